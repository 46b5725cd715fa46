"""Exemplary sentences for drafting: in each document, the sentences that open or develop a point
(要…, 必须…, 坚持…, 务必…, a saying quoted with 指出/强调), with the document's occasion and year and
the sentence's themes and place, kept compactly in sentences.yaml next to phrases.yaml. Headings
are not examples, nor are sentences of figures (a report's 增长5.2%) or with blanks to fill."""

from __future__ import annotations

import dataclasses
import re
from typing import Iterator

from drafter.bank import theme_assigner
from drafter.cleaning import is_traditional, to_simplified
from drafter.document import Document
from drafter.yamlwrite import dump_bank_yaml_in_chunks
from drafter.outline import Outline, parse_outline
from drafter.sections import iter_sections

MIN_CHARS, MAX_CHARS = 16, 120
PER_DOCUMENT = 120  # the most a document gives (a long report would otherwise fill the index)

_SENTENCE = re.compile(r"[^。！？!?；\n]+[。！？!?；]?")
_OPENS = re.compile(
    r"^(?:坚持|始终|必须|务必|切实|坚决|时刻|自觉|牢记|牢固树立|着力|一定要|要)"
    r"|^[^，。；：“”]{0,14}?(?<![主重需只纲提概摘])(?:要|必须|务必)(?![求素点件是求闻])"
)
_QUOTING = re.compile(r"(指出|强调|说过?|讲过?|告诫)[：:，,]?“[^”]{6,}”")
_CONNECTIVE = re.compile(r"^(所以|因此|因而|同时|另外|此外|而且|当然|其次|首先|最后|再次|总之|为此|对此)[，,]?")
_FIGURES = re.compile(r"\d|%|％|亿|万元")
# a point's number: （一）, 1., 第一，, 第三个是…, 第二件事是…, 一是…: the sentence goes on from the
# speaker's count, and reads as a fragment on its own
_MARKER = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[）)、．.]|^第[一二三四五六七八九十]+(?:[，、]|个|件|条|点|项|方面|是)|^[一二三四五六七八九十]是")


def _example_text(sentence: str) -> str | None:
    """The sentence without a leading connective (所以，…) when it opens or develops a point, else None."""
    text = sentence.strip().rstrip("；;")
    lead = _CONNECTIVE.match(text)
    text = text[lead.end():] if lead else text
    if text.endswith(("，", "：", ":", "？", "?")):
        return None
    if not MIN_CHARS <= len(text) <= MAX_CHARS or "【" in text or _FIGURES.search(text) or _MARKER.match(text):
        return None
    return text if _OPENS.match(text) or _QUOTING.search(text) else None


def _heading_test(headings: list[str]):
    """A test of whether a sentence is one of `headings`: it starts with one, or one starts with
    the sentence (its end mark aside)."""
    starts = tuple(headings)
    if any("\n" in h for h in headings):
        return lambda text: text.startswith(starts) or any(h.startswith(text.rstrip("。！？")) for h in headings)
    # a heading starts with the sentence when the sentence follows a line break in this text
    joined = "".join("\n" + h for h in headings)
    return lambda text: text.startswith(starts) or "\n" + text.rstrip("。！？") in joined


def sentences_of(doc: Document, themes: dict[str, list[str]], outline: Outline | None = None) -> tuple[dict, list[list]]:
    """(what the index says of the document, its exemplary sentences as [text, doc, line, themes]).
    `outline`: the document's outline when known (the map step has it), its lines then already
    in simplified script."""
    lines = doc.lines
    if outline is None:
        if is_traditional(doc.text):
            lines = [to_simplified(line) for line in lines]
        outline = parse_outline(dataclasses.replace(doc, lines=lines))
    headings = [s.heading for s in iter_sections(outline.sections) if len(s.heading) >= 4]
    top = sorted(s.line for s in outline.sections)
    found: list[list] = []
    seen: set[str] = set()
    is_heading = _heading_test(headings)
    assign_themes = theme_assigner(themes)
    for index, line in enumerate(lines):
        for match in _SENTENCE.finditer(line):
            if len(match.group(0)) < MIN_CHARS:
                continue  # too short for an example even before it is trimmed
            text = _example_text(match.group(0))
            if text is None or is_heading(text):
                continue
            if text.count("“") != text.count("”") or text[:12] in seen:
                continue
            seen.add(text[:12])
            if not text.endswith(("。", "！", "？")):
                text += "。"
            at = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
            found.append([text, doc.source, doc.line_of(index, at), assign_themes(text, [], "move")])
    if len(found) > PER_DOCUMENT:  # those that speak of a theme first, in document order
        keep = set(map(id, sorted(found, key=lambda s: not s[3])[:PER_DOCUMENT]))
        found = [s for s in found if id(s) in keep]
    info = {"occasion": outline.occasion, "top": top}
    return {k: v for k, v in info.items() if v}, found


def sentence_index(
    docs: list[Document],
    years: dict[str, tuple[int | None, str | None]],
    themes: dict[str, list[str]],
    found_in: list[tuple[dict, list[list]]] | None = None,
) -> tuple[Iterator[bytes], dict]:
    """sentences.yaml for the bank folder, as its bytes in chunks (made as they are read) and
    as the data they hold (for the look-up cache); `years`: doc -> (year, title); `found_in`:
    sentences_of each document, when already known (the map step keeps them in its store). The
    bank writer writes it with phrases.yaml and frames.yaml as one unit."""
    documents: dict[str, dict] = {}
    sentences: list[list] = []
    for i, doc in enumerate(docs):
        info, found = found_in[i] if found_in is not None else sentences_of(doc, themes)
        info = dict(info)  # a stored result is not changed in place
        year, title = years.get(doc.source, (None, None))
        info.update({k: v for k, v in (("year", year), ("title", title)) if v})
        documents[doc.source] = info
        sentences.extend(found)
    data = {"version": 1, "documents": dict(sorted(documents.items())), "sentences": sentences}
    return _index_chunks(data), data


SENTENCE_CHUNK = 2048  # sentences turned into YAML at a time
_INDEX_HEADER = "# 由 drafter analyze 生成的例句索引（[句子, 文档, 行, 主题]），请勿手工修改。\n"


def _index_chunks(data: dict) -> Iterator[bytes]:
    """sentences.yaml a few thousand sentences at a time (the text of a large index, made at
    once, held it three times over: its lines, the text and its bytes)."""
    sentences = data["sentences"]
    head = {key: value for key, value in data.items() if key != "sentences"}
    yield _INDEX_HEADER.encode("utf-8")
    chunks = (sentences[start : start + SENTENCE_CHUNK] for start in range(0, len(sentences), SENTENCE_CHUNK))
    for text in dump_bank_yaml_in_chunks(head, "sentences", chunks):
        yield text.encode("utf-8")
