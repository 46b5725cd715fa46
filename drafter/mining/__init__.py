"""Stage 3: mine a corpus into a phrasebank.

`analyze(paths, output_dir)` loads the corpus, runs the per-document map step (extract.py; in
worker processes for a large corpus), finds set phrases from corpus statistics (terms.py),
merges everything into entries (reduce), assigns themes, and writes phrases.yaml and frames.yaml
atomically. It never writes custom.yaml, themes.yaml or anything under custom/."""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from drafter.bank import FRAMES_FILE, PHRASES_FILE, assign_themes, load_themes, themes_file
from drafter.canon import Canon, canon_path, load_canon
from drafter.corpus import Document, expand_paths, load_corpus
from drafter.errors import DrafterError
from drafter.fileio import atomic_write_text, dump_bank_yaml, prime_yaml_cache
from drafter.mining.canonical import CanonMatcher
from drafter.mining.extract import DocMined, mine_document
from drafter.mining.segment import WordClasses, lexicon, prepare, segment, word_classes
from drafter.mining.terms import find_terms, locate_terms
from drafter.model import BANK_ORDER, KINDS, Entry, Found, Source

log = logging.getLogger(__name__)

MAX_SOURCES = 20
_NO_QUOTES = dict.fromkeys(map(ord, "“”‘’"), None)
PARALLEL_THRESHOLD = 200_000  # characters: below this, worker processes cost more than they save


@dataclass
class AnalysisSummary:
    documents: int
    characters: int
    counts: dict[str, int]
    files: list[str]
    output: str
    years: dict[str, int] = field(default_factory=dict)  # how many documents were dated how (日期, 标题 … 未注明)

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


# ---------------------------------------------------------------------------
# map


def _mine_one(doc: Document, default_year: int | None = None, canon: CanonMatcher | None = None) -> DocMined:
    return mine_document(doc, lexicon(), segment, default_year, canon)


def _start_pool(workers: int):
    """Worker processes that load jieba while the main process reads the corpus."""
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    return context.Pool(workers, initializer=prepare)


def _map(
    docs: list[Document],
    pool,
    progress: Callable[[int, int], None] | None,
    default_year: int | None = None,
    canon: CanonMatcher | None = None,
) -> list[DocMined]:
    """Mine every document, in the pool's worker processes when there is a pool."""
    if pool is None or len(docs) < 2:
        results = []
        for i, doc in enumerate(docs):
            results.append(_mine_one(doc, default_year, canon))
            if progress:
                progress(i + 1, len(docs))
        return results
    # big documents first, so the workers finish together
    order = sorted(range(len(docs)), key=lambda i: -len(docs[i].text))
    results: list[DocMined | None] = [None] * len(docs)
    for done, (index, mined) in enumerate(pool.imap_unordered(_mine_indexed, [(i, docs[i], default_year, canon) for i in order]), 1):
        results[index] = mined
        if progress:
            progress(done, len(docs))
    return [r for r in results if r is not None]


def _mine_indexed(item: tuple[int, Document, int | None, CanonMatcher | None]) -> tuple[int, DocMined]:
    index, doc, default_year, canon = item
    return index, _mine_one(doc, default_year, canon)


# ---------------------------------------------------------------------------
# reduce


def _only_weak(founds: Iterable[Found]) -> bool:
    """Every find is form-only evidence (an unquoted 四个X), none quoted."""
    return all(f.weak for f in founds)


def _keep_weak(kind: str, founds: list[Found], docs: int, strong_texts: set[str]) -> bool:
    """Form-only evidence (an unquoted 四个X) needs the corpus to confirm it."""
    if not _only_weak(founds):
        return True
    text = founds[0].text
    if kind == "formula":
        if any(text != s and text in s and "、" not in s for s in strong_texts):
            return False  # 三个区分 inside “三个区分开来” (but 两个基本点 is an item of 一个中心、两个基本点)
        return docs >= 2 or len(founds) >= 3
    return True


def _choose_counted_phrases(groups: dict[tuple[str, str], list[tuple[str, Found]]]) -> None:
    """An unquoted numeral and measure was mined with one, two and three of the words after it
    (四项基本 / 四项基本原则 / …), all marked with the same place. Read across the corpus, these
    form a tree: keep a length where most places that reach it stop there (四个意识, and not
    四项基本, which always goes on as 四项基本原则), and where most places that reach the
    shortest length go on to it (四项基本原则, but not 两个基本点统一). Drop the unquoted
    lengths that fail; quoted formulas are never dropped."""
    chains: dict[tuple, list[str]] = defaultdict(list)
    for (kind, text), items in groups.items():
        if kind == "formula":
            for source, found in items:
                if found.chain is not None:
                    chains[(source, found.line, found.chain)].append(text)
    reached: Counter = Counter()
    stopped: Counter = Counter()
    stems: dict[str, Counter] = defaultdict(Counter)  # the shortest length at the same places
    for texts in chains.values():
        texts.sort(key=len)
        reached.update(texts)
        stopped[texts[-1]] += 1
        for longer in texts[1:]:
            stems[longer][texts[0]] += 1
    for text, count in reached.items():
        if not _only_weak(f for _, f in groups[("formula", text)]):
            continue
        stem = stems[text].most_common(1)[0][0] if stems[text] else None
        goes_on = stopped[text] < 0.5 * count
        branch = stem is not None and count < 0.5 * reached[stem]
        if goes_on or branch:
            del groups[("formula", text)]


QUOTED_SHARE = 0.5  # at least half of its occurrences in quotation marks: a slogan


def _choose_quoted_terms(groups: dict[tuple[str, str], list[tuple[str, Found]]]) -> None:
    """A quoted expression is a set phrase when several documents quote it and they mostly use
    it in quotes (“放管服”, “走出去”; not “和平”). Where statistics found the term as well, its
    counts stand and the quoted finds go."""
    for key in [k for k in groups if k[0] == "term"]:
        items = groups[key]
        quoted = [(source, f) for source, f in items if f.quoted]
        if not quoted:
            continue
        if len(quoted) < len(items):
            groups[key] = [(source, f) for source, f in items if not f.quoted]
            continue
        occurrences = {source: f.in_document for source, f in quoted}
        if len(occurrences) < 2 or len(quoted) < QUOTED_SHARE * sum(occurrences.values()):
            del groups[key]
            continue
        for _, found in quoted:
            found.total, found.total_docs = sum(occurrences.values()), len(occurrences)


def _kind(found: Found, classes: WordClasses) -> str | None:
    """The kind an entry is filed under, or None to drop it. jieba's "set phrases" built as
    a modifier and a noun (高等教育, 固定资产) are terms, not idioms; a quoted four-character
    dictionary word that is no idiom (“马来西亚”) is no idiom either."""
    if found.kind == "idiom" and not found.canonical:
        if found.text in classes.compounds:
            return "term"
        if found.weak and found.text in classes.plain_four:
            return None
    return found.kind


def reduce_entries(
    mined: list[DocMined],
    terms: list[tuple[str, Found]],
    themes: dict[str, list[str]],
    classes: WordClasses = WordClasses(),
    canon: Canon | None = None,
) -> list[Entry]:
    """Every find of every document, grouped by kind and text, into entries with their sources.
    The canon's formulations are entries whenever they occur, of the canon's kind and themes;
    their truncations (以习近平同志为核心 without 的党中央) never are."""
    canon = canon or Canon([], [])
    order = {m.source: i for i, m in enumerate(mined)}
    by_source = {m.source: m for m in mined}
    groups = _group(mined, terms, classes)
    _choose_counted_phrases(groups)
    _choose_quoted_terms(groups)
    strong_formulas = {
        text for (kind, text), items in groups.items() if kind == "formula" and not _only_weak(f for _, f in items)
    }
    best_kind = _best_kinds(groups, canon)
    entries: list[Entry] = []
    for (kind, text), items in groups.items():
        if best_kind[text] != kind or canon.is_truncation(text):
            continue
        founds = [f for _, f in items]
        canonical = canon.canonical_entry(text)
        if not canonical and not _keep_weak(kind, founds, len({source for source, _ in items}), strong_formulas):
            continue
        # newest documents first, so that the sources kept (MAX_SOURCES) include the current ones
        items.sort(key=lambda item: (-(by_source[item[0]].year or 0), order.get(item[0], 0), item[1].line))
        count, docs = _count(items)
        years = _years([by_source[source].year for source, _ in items] + [y for f in founds if f.years for y in f.years])
        entry = Entry(
            text=text,
            kind=kind,
            themes=[],
            count=count,
            docs=docs,
            sources=_sources(items, by_source),
            first_year=years[0] if years else None,
            last_year=years[1] if years else None,
            canonical=canonical is not None,
        )
        _merge_kind_fields(entry, founds)
        entry.themes = assign_themes(text, [s.context for s in entry.sources], themes, kind)
        if canonical:
            entry.themes += [t for t in canonical.themes if t not in entry.themes]
        entries.append(entry)
    entries.sort(key=lambda e: (KINDS[e.kind].bank_rank, -e.docs, -e.count, e.text))
    return entries


def _best_kinds(groups: dict[tuple[str, str], list[tuple[str, Found]]], canon: Canon) -> dict[str, str]:
    """The kind each text is filed under: the canon's, else the more specific of those mined."""
    best: dict[str, str] = {}
    for kind, text in groups:
        if text not in best or KINDS[kind].merge_rank < KINDS[best[text]].merge_rank:
            best[text] = kind
    for text in best:
        entry = canon.canonical_entry(text)
        if entry is not None and (entry.kind, text) in groups:
            best[text] = entry.kind
    return best


def _count(items: list[tuple[str, Found]]) -> tuple[int, int]:
    """Occurrences and documents. The canon's finds see every occurrence of a formulation; set
    phrases were located by position and counted in full there; else each find is one."""
    canonical = [(source, f) for source, f in items if f.canonical]
    if canonical:
        return len(canonical), len({source for source, _ in canonical})
    first = items[0][1]
    if first.total is not None:
        return first.total, first.total_docs or 0
    return len(items), len({source for source, _ in items})


def _group(
    mined: list[DocMined], terms: list[tuple[str, Found]], classes: WordClasses
) -> dict[tuple[str, str], list[tuple[str, Found]]]:
    """Every find under (kind, text), with the document it came from."""
    groups: dict[tuple[str, str], list[tuple[str, Found]]] = defaultdict(list)
    for doc in mined:
        for found in doc.found:
            kind = _kind(found, classes)
            if kind:
                found.kind = kind
                groups[(kind, found.text)].append((doc.source, found))
    for source, found in terms:
        groups[("term", found.text)].append((source, found))
    return groups


def _years(years: Iterable[int | None]) -> tuple[int, int] | None:
    known = [year for year in years if year]
    return (min(known), max(known)) if known else None


def _sources(items: list[tuple[str, Found]], by_source: dict[str, DocMined]) -> list[Source]:
    """The first MAX_SOURCES distinct places, in corpus order."""
    seen_places: set[tuple[str, int]] = set()
    sources: list[Source] = []
    for source, found in items:
        if (source, found.line) in seen_places:
            continue
        seen_places.add((source, found.line))
        if len(sources) < MAX_SOURCES:
            doc = by_source[source]
            sources.append(Source(source, found.line, found.context, doc.year, doc.title))
    return sources


def _merge_kind_fields(entry: Entry, founds: list[Found]) -> None:
    if entry.kind == "frame":
        for found in founds:
            for fill, example in zip(found.fills or [], found.examples or []):
                if fill not in entry.fills:
                    entry.fills.append(fill)
                    entry.examples.append(example)
    elif entry.kind == "parallel":  # the canon's series come without items: split them
        entry.items = next((f.items for f in founds if f.items), None) or re.split("[、，；]", entry.text.translate(_NO_QUOTES))
    elif entry.kind == "quote":
        sayers = Counter(f.attribution for f in founds if f.attribution)  # the canon's finds name no sayer
        entry.attribution = sayers.most_common(1)[0][0] if sayers else None
    elif entry.kind == "move":
        entry.role = Counter(f.role for f in founds).most_common(1)[0][0]
        occasions = sorted({f.occasion for f in founds if f.occasion})
        entry.occasion = occasions[0] if len(occasions) == 1 else None


# ---------------------------------------------------------------------------


def term_thresholds(documents: int, characters: int) -> dict:
    """A handful of speeches: a phrase seen twice in two speeches counts; a large corpus must
    show more, or every frequent word pair would pass."""
    if documents < 20 and characters < 300_000:
        return {"min_count": 2, "min_docs": min(2, documents), "min_pmi": 3.0, "min_entropy": 0.6}
    return {"min_count": 6, "min_docs": 4, "min_pmi": 4.0, "min_entropy": 1.8}


def analyze(
    paths: Iterable[str | os.PathLike],
    output_dir: str | os.PathLike,
    workers: int | None = None,
    themes_path: str | os.PathLike | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    default_year: int | None = None,
) -> AnalysisSummary:
    """Mine `paths` (files, folders, JSONL) into a phrasebank in `output_dir`. `default_year`
    dates the documents that carry no date, year field, or year in their title or file name."""
    output = Path(output_dir)
    if output.exists() and not output.is_dir():
        raise DrafterError(f"{output} 是一个文件，-o 需要一个文件夹。")
    files = expand_paths(list(paths))
    themes = load_themes(themes_file(output, themes_path))
    canon = load_canon(canon_path(output))
    if workers is None:  # about three bytes a character in UTF-8
        size = sum(f.stat().st_size for f in files)
        workers = min(2, os.cpu_count() or 1) if size >= 3 * PARALLEL_THRESHOLD else 1
    pool = _start_pool(workers) if workers > 1 else None
    try:
        docs = load_corpus(files)
        if not docs:
            raise DrafterError("没有找到可分析的文档。请给出讲话稿文件、文件夹或 JSONL 文件。")
        mined = _map(docs, pool, (lambda done, total: progress("分析", done, total)) if progress else None, default_year, CanonMatcher(canon))
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    characters = sum(len(d.text) for d in docs)
    theme_words = frozenset(w for words in themes.values() for w in words if len(w) >= 2)
    def merging(done: int) -> None:
        if progress:
            progress("汇总", done, 3)

    merging(0)
    classes = word_classes()
    term_stats = find_terms(mined, theme_words=theme_words, classes=classes, **term_thresholds(len(mined), characters))
    merging(1)
    entries = reduce_entries(mined, locate_terms(mined, term_stats, MAX_SOURCES), themes, classes, canon)
    merging(2)
    files = write_bank(output, entries, len(docs), catalog(mined))
    files.append(__import__("drafter.mining.sentences").mining.sentences.write_sentences(output, docs, {m.source: (m.year, m.title) for m in mined}, themes))
    merging(3)
    counts = Counter(e.kind for e in entries)
    return AnalysisSummary(
        documents=len(docs),
        characters=characters,
        counts={k: counts.get(k, 0) for k in BANK_ORDER},
        files=files,
        output=str(output),
        years=dict(sorted(Counter(m.dated_by or "未注明" for m in mined).items())),
    )


HEADER = "# 由 drafter analyze 生成，请勿手工修改：重新分析会覆盖本文件。\n# 自己的条目请写在同一文件夹的 custom.yaml 里（格式相同），分析永远不会改动它。\n"


def catalog(mined: list[DocMined]) -> dict[str, dict]:
    """What a bank says of each document its entries cite: title, year and how the year was found."""
    return {
        m.source: {key: value for key, value in (("title", m.title), ("year", m.year), ("dated_by", m.dated_by)) if value}
        for m in mined
    }


def write_bank(output: Path, entries: list[Entry], documents: int, documents_catalog: dict[str, dict]) -> list[str]:
    """phrases.yaml and frames.yaml, each written atomically (a killed run leaves the old files).
    Each file lists the documents its sources cite in `catalog` (title, year), once."""
    written = []
    for name, chosen in ((PHRASES_FILE, [e for e in entries if e.kind != "frame"]), (FRAMES_FILE, [e for e in entries if e.kind == "frame"])):
        cited = sorted({s.doc for e in chosen for s in e.sources})
        data = {
            "version": 1,
            "documents": documents,
            "catalog": {doc: documents_catalog.get(doc) or {} for doc in cited},
            "entries": [e.to_bank_dict() for e in chosen],
        }
        atomic_write_text(output / name, HEADER + dump_bank_yaml(data))
        prime_yaml_cache(output / name, data)  # the first look-up need not parse the YAML
        written.append(str(output / name))
    return written
