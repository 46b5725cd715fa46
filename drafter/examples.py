"""The index of exemplary sentences a bank keeps next to phrases.yaml (sentences.yaml, written by
drafter.mining.sentences): sentences that open or develop a point in real speeches (要…, 必须…,
坚持…, a quotation), each with its document's occasion, year and title, its themes and its place.
Drafting reads it on first use only (through the parsed-YAML cache), and never imports the
mining package."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from drafter.errors import DrafterError
from drafter.fileio import cached_for_file, load_yaml_cached

SENTENCES_FILE = "sentences.yaml"


@dataclass
class Exemplar:
    text: str
    doc: str
    line: int
    themes: tuple[str, ...]
    occasion: str | None = None
    year: int | None = None
    title: str | None = None


@dataclass
class ExampleIndex:
    sentences: list[Exemplar] = field(default_factory=list)
    # doc -> (occasion, the lines of its level-1 headings): which mined frames head which speeches
    documents: dict[str, tuple[str | None, frozenset[int]]] = field(default_factory=dict)

    def occasion_of(self, doc: str) -> str | None:
        return self.documents.get(doc, (None, frozenset()))[0]

    def is_top_heading(self, doc: str, line: int) -> bool:
        return line in self.documents.get(doc, (None, frozenset()))[1]


def load_examples(bank_dir: Path) -> ExampleIndex:
    """The bank's sentence index; an empty one for a bank mined before there was one. What is
    read from the file is kept in the cache folder as plain rows (fileio.cached_for_file)."""
    path = Path(bank_dir) / SENTENCES_FILE
    if not path.is_file():
        return ExampleIndex()
    documents, rows = cached_for_file(path, "examples-2", lambda: _index_rows(path))
    return ExampleIndex(
        list(map(_exemplar, rows)),
        {doc: (occasion, frozenset(top)) for doc, (occasion, top) in documents.items()},
    )


_FIELDS = ("text", "doc", "line", "themes", "occasion", "year", "title")


def _exemplar(row: dict) -> Exemplar:
    """An Exemplar of a checked row of the cache: the row becomes its attributes (thousands of
    sentences, no __init__ each)."""
    sentence = Exemplar.__new__(Exemplar)
    sentence.__dict__ = row
    return sentence


def _index_rows(path: Path) -> tuple[dict[str, tuple[str | None, list[int]]], list[dict]]:
    """The file's documents (occasion, lines of level-1 headings) and its sentences as the
    fields of Exemplar, checked."""
    data = load_yaml_cached(path, "例句索引")
    if not isinstance(data, dict):
        raise DrafterError(f"例句索引 {path} 的格式不对。请重新运行 drafter analyze 生成。")
    documents: dict[str, tuple[str | None, list[int]]] = {}
    about: dict[str, dict] = {}
    try:
        for doc, info in (data.get("documents") or {}).items():
            if isinstance(info, dict):
                about[str(doc)] = info
                documents[str(doc)] = (info.get("occasion"), sorted(int(x) for x in info.get("top") or []))
    except (TypeError, ValueError, AttributeError):
        raise DrafterError(f"例句索引 {path} 中 documents 的格式不对。请重新运行 drafter analyze 生成。") from None
    rows = []
    for raw in data.get("sentences") or []:
        try:
            text, doc, line, themes = raw
            info = about.get(doc) or {}
            fields = (str(text), str(doc), int(line), tuple(str(t) for t in themes or ()), info.get("occasion"), info.get("year"), info.get("title"))
            rows.append(dict(zip(_FIELDS, fields)))
        except (TypeError, ValueError):
            raise DrafterError(f"例句索引 {path} 中有一条不是 [句子, 文档, 行, 主题] 的形式。请重新运行 drafter analyze 生成。") from None
    return documents, rows
