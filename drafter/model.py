"""The phrasebank's data model, in one place: the kinds of entry, an entry with its sources, and
what a finder reports from one document.

Mining returns `Entry` objects, the bank writer serialises them with `Entry.to_bank_dict`, the
loader reads them back with `Entry.from_dict`, and look-ups print `Entry.to_dict`. Adding a kind
means one row in `KIND_TABLE` and one finder in mining/extract.py."""

from __future__ import annotations

import marshal
import re
import zlib
from dataclasses import dataclass, field
from typing import Any

from drafter.errors import DrafterError


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # as users read it
    lookup_rank: int  # look-up lists short stock phrases before long sentences
    merge_rank: int  # when one text is mined as two kinds, the lower rank (the more specific form) wins
    bank_rank: int  # order of the kinds in a generated bank and in the analysis summary
    drafting: bool  # drafting suggests it as a stock phrase under a point
    fields: tuple[str, ...] = ()  # the kind's own fields, in the order a bank file writes them


KIND_TABLE: tuple[Kind, ...] = (
    #    name        label              lookup merge bank  drafting fields
    Kind("idiom", "成语/四字格", 2, 5, 2, True),
    Kind("formula", "数字概括语", 0, 0, 0, True),
    Kind("term", "固定提法", 1, 6, 1, True),
    Kind("parallel", "排比", 3, 2, 3, True, ("items",)),
    Kind("quote", "引语", 5, 1, 4, True, ("attribution",)),
    Kind("frame", "标题框架", 4, 3, 6, False, ("fills", "examples")),
    Kind("move", "开头/过渡/结尾句", 6, 4, 5, False, ("role", "occasion")),
)
KINDS: dict[str, Kind] = {kind.name: kind for kind in KIND_TABLE}
BANK_ORDER: tuple[str, ...] = tuple(k.name for k in sorted(KIND_TABLE, key=lambda k: k.bank_rank))
DRAFTING_KINDS: frozenset[str] = frozenset(k.name for k in KIND_TABLE if k.drafting)
ROLES = {"opening": "开头", "transition": "过渡", "closing": "结尾"}  # the roles of a move

_LIST_FIELDS = ("fills", "examples", "items")
_TEXT_FIELDS = ("attribution", "role", "occasion")


def kinds_help() -> str:
    """“idiom（成语/四字格），formula（数字概括语），…” for messages."""
    return "，".join(f"{k.name}（{k.label}）" for k in KIND_TABLE)


@dataclass
class Source:
    doc: str  # the file (or FILE#ROW of a JSONL corpus)
    line: int  # 1-based line in the original file
    context: str = ""
    year: int | None = None  # the year of the document (a bank keeps it in its catalog)
    title: str | None = None  # the document's title (likewise)

    def to_dict(self) -> dict[str, Any]:
        """As a bank file holds it: the document's year and title are in the bank's catalog."""
        return {"doc": self.doc, "line": self.line, "context": self.context}

    def to_full_dict(self) -> dict[str, Any]:
        """As look-ups and drafts print it, with the document's year and title when known."""
        data = self.to_dict()
        if self.year:
            data["year"] = self.year
        if self.title:
            data["title"] = self.title
        return data


@dataclass
class Entry:
    text: str
    kind: str
    themes: list[str]
    count: int
    docs: int
    sources: list[Source]
    fills: list[list[str]] = field(default_factory=list)  # frame: what each heading put in the slots
    examples: list[str] = field(default_factory=list)  # frame: the headings it was mined from
    items: list[str] = field(default_factory=list)  # parallel: the items of the series
    attribution: str | None = None  # quote: who said it
    role: str | None = None  # move: opening / transition / closing
    occasion: str | None = None  # move: the meeting type of the speeches it came from
    custom: bool = False  # from the user's custom.yaml
    first_year: int | None = None  # the years of the oldest and the newest document it was seen in
    last_year: int | None = None
    canonical: bool = False  # a formulation of the canon (canon.yaml): kept whole, never cut
    # expressions of the canon in the text that are no longer current (set by look-ups, never stored)
    expired: list[dict[str, Any]] = field(default_factory=list)

    def to_bank_dict(self) -> dict[str, Any]:
        """The entry as a generated bank file holds it: common fields, then the kind's own."""
        data: dict[str, Any] = {
            "text": self.text,
            "kind": self.kind,
            "themes": self.themes,
            "count": self.count,
            "docs": self.docs,
        }
        if self.first_year:
            data["years"] = [self.first_year, self.last_year]
        if self.canonical:
            data["canonical"] = True
        data["sources"] = [s.to_dict() for s in self.sources]
        for name in KINDS[self.kind].fields:
            data[name] = getattr(self, name)
        return data

    def to_dict(self) -> dict[str, Any]:
        """The entry as look-ups print it (`drafter phrases --json`): empty fields left out."""
        data = {key: value for key, value in self.to_bank_dict().items() if key not in KINDS[self.kind].fields}
        data.pop("years", None)
        data.pop("canonical", None)
        if self.first_year:
            data["first_year"], data["last_year"] = self.first_year, self.last_year
        data["sources"] = [s.to_full_dict() for s in self.sources]
        for name in _LIST_FIELDS + _TEXT_FIELDS:
            if getattr(self, name):
                data[name] = getattr(self, name)
        if self.custom:
            data["custom"] = True
        if self.canonical:
            data["canonical"] = True
        if self.expired:
            data["expired"] = self.expired
        return data

    @classmethod
    def from_dict(cls, raw: Any, where: str, custom: bool = False) -> Entry:
        """An entry read from a bank file; `where` names it in messages ("词库文件 X 第 3 个条目")."""
        text, kind = _text_and_kind(raw, where, custom)
        where = f"{where}（{text}）"
        count, docs = _counts(raw, where)
        themes = raw.get("themes") or []
        first_year, last_year = _years(raw.get("years"), where)
        return cls(
            text=text,
            kind=kind,
            themes=[str(t) for t in ([themes] if isinstance(themes, str) else themes)],
            count=count,
            docs=docs,
            sources=_sources(raw.get("sources"), where),
            fills=[[str(x) for x in f] if isinstance(f, list) else [str(f)] for f in raw.get("fills") or []],
            examples=[str(x) for x in raw.get("examples") or []],
            items=[str(x) for x in raw.get("items") or []],
            attribution=raw.get("attribution"),
            role=raw.get("role"),
            occasion=raw.get("occasion"),
            custom=custom,
            first_year=first_year,
            last_year=last_year,
            canonical=raw.get("canonical") is True,
        )

    def to_row(self) -> dict[str, Any]:
        """Plain data for the look-up cache (marshal): a checked entry is rebuilt from it without
        being checked again. The sources are packed apart (one compressed marshal string per
        entry: their contexts are most of a bank) and unpacked on first use: a draft cites a few
        dozen entries of a bank of thousands."""
        row = {name: getattr(self, name) for name in _ROW_FIELDS}
        sources = [(x.doc, x.line, x.context, x.year, x.title) for x in self.sources]
        row["_packed_sources"] = zlib.compress(marshal.dumps(sources), 1) if sources else None
        row["expired"] = []
        row["_in_speeches"] = self.in_speeches
        return row

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Entry:
        """The entry of a row of to_row, as read back from the cache (the row becomes its
        attributes: no __init__, no copying)."""
        entry = cls.__new__(cls)
        entry.__dict__ = row
        return entry

    def __getattr__(self, name: str) -> Any:
        # only reached for an attribute the instance does not hold: the packed sources of an
        # entry rebuilt by from_row, unpacked here once
        if name != "sources" or "_packed_sources" not in self.__dict__:
            raise AttributeError(name)
        packed = self.__dict__.pop("_packed_sources")
        self.sources = [Source(*row) for row in marshal.loads(zlib.decompress(packed))] if packed else []
        return self.sources

    @property
    def in_speeches(self) -> bool:
        """Seen in a speech and not only in reports (a 政府工作报告's policy vocabulary is poor
        material for a 廉政谈话): a source whose document's title is no report's (is_report_title),
        or an entry of the user's own. Kept in the look-up cache, so that no sources are unpacked."""
        if "_in_speeches" in self.__dict__:
            return self.__dict__["_in_speeches"]
        return self.custom or any(not is_report_title(s.title) for s in self.sources)

    @property
    def has_sources(self) -> bool:
        """Whether the entry cites any place, without unpacking its sources."""
        if "_packed_sources" in self.__dict__:
            return self.__dict__["_packed_sources"] is not None
        return bool(self.sources)

    def is_current(self, since: int) -> bool:
        """Seen in a document of `since` or later; an undated entry (a user's own, or one from
        speeches without a date) is not known to be old and counts as current."""
        return self.last_year is None or self.last_year >= since


_ROW_FIELDS = (
    "text", "kind", "themes", "count", "docs", "fills", "examples", "items",
    "attribution", "role", "occasion", "custom", "first_year", "last_year", "canonical",
)


def _text_and_kind(raw: Any, where: str, custom: bool) -> tuple[str, str]:
    if not isinstance(raw, dict):
        raise DrafterError(f"{where}不是映射。每个条目应写成“- text: …”再加 kind: 等字段。")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise DrafterError(f"{where}缺少 text（词句本身）。")
    kind = raw.get("kind", "term" if custom else None)
    if kind not in KINDS:
        raise DrafterError(f"{where}（{text}）的 kind 是 {kind!r}，应为 {', '.join(KINDS)} 之一。")
    if kind == "frame" and "{}" not in text:
        raise DrafterError(f"{where}（{text}）是标题框架，应含 {{}} 表示要填的位置，如 以{{}}之心对待{{}}。")
    return text.strip(), kind


def _counts(raw: dict, where: str) -> tuple[int, int]:
    try:
        return int(raw.get("count") or 0), int(raw.get("docs") or 0)
    except (TypeError, ValueError):
        raise DrafterError(f"{where}的 count/docs 应为整数。") from None


def _years(raw: Any, where: str) -> tuple[int | None, int | None]:
    """`years: [2013, 2025]` (first and last year seen), or one year, or nothing."""
    if raw is None:
        return None, None
    values = raw if isinstance(raw, list) else [raw]
    if not values or len(values) > 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise DrafterError(f"{where}的 years 应写成 [最早年份, 最近年份]，如 [2013, 2025]。")
    return min(values), max(values)


def _sources(raw: Any, where: str) -> list[Source]:
    sources = []
    for s in raw or []:
        if not isinstance(s, dict) or "doc" not in s:
            raise DrafterError(f"{where}的 sources 每项应有 doc 和 line。")
        try:
            line = int(s.get("line") or 0)
        except (TypeError, ValueError):
            raise DrafterError(f"{where}的 sources 中 line 应为整数。") from None
        sources.append(Source(str(s["doc"]), line, str(s.get("context") or "")))
    return sources


_TITLE_PARTS = re.compile("——|—|：|:")
# a note in brackets at the end of a title: （摘要）, (十八大), （2025年）
_TITLE_NOTE = re.compile(r"\s*[（(][^（()）]*[）)]\s*$")
_SPEECH_ENDS = ("讲话", "致辞", "发言", "党课", "讲稿", "演讲", "辅导报告")
# documents that are no speech: reports, and the resolutions, decisions, bulletins … that the
# same sources publish beside them (关于政府工作报告的决议)
_DOCUMENT_ENDS = ("报告", "决议", "决定", "公报", "通知", "意见", "纲要", "条例", "规划")
_CONGRESS_NOTE = re.compile(r"[（(][一二三四五六七八九十]+大[）)]")  # (十八大): a party congress's report


def is_report_title(title: str | None) -> bool:
    """A report's (or another official document's) title, not a speech's: a part of it ends in
    报告 (政府工作报告——2025年3月5日在第十四届全国人民代表大会第三次会议上; 高举…旗帜——在中国共产党
    第二十次全国代表大会上的报告; …政府工作报告（摘要）), in 决议, 决定, 公报 … (关于政府工作报告的决议),
    or it is marked as a party congress's (坚定不移沿着中国特色社会主义道路前进… (十八大)); but
    在形势报告会上的讲话 is a speech, and so is any title a part of which ends in 讲话, 致辞 …"""
    title = title or ""
    bare = title
    while _TITLE_NOTE.search(bare):
        bare = _TITLE_NOTE.sub("", bare)
    parts = [part.strip() for part in _TITLE_PARTS.split(bare)]
    if any(part.endswith(_SPEECH_ENDS) for part in parts):
        return False
    return any(part.endswith(_DOCUMENT_ENDS) for part in parts) or bool(_CONGRESS_NOTE.search(title))


@dataclass(slots=True)
class Found:
    """One stock phrase a finder saw at one place of one document (the map step's output).
    Besides the common fields, each finder fills only what its kind needs."""

    kind: str
    text: str
    line: int  # original 1-based line
    context: str
    items: list[str] | None = None  # parallel
    attribution: str | None = None  # quote
    fills: list[list[str]] | None = None  # frame
    examples: list[str] | None = None  # frame
    role: str | None = None  # move
    occasion: str | None = None  # move
    weak: bool = False  # formula or idiom known by its form only (an unquoted 四个X), not quoted
    chain: int | None = None  # formula: the token an unquoted numeral+measure starts at, shared by its lengths
    quoted: bool = False  # term: an expression the speaker put in quotation marks
    in_document: int = 0  # quoted term: its occurrences in the document, quoted or not
    total: int | None = None  # term located by the corpus statistics: occurrences in the corpus
    total_docs: int | None = None  # … and documents
    years: tuple[int, int] | None = None  # … and the first and last year of those documents
    canonical: bool = False  # a formulation of the canon found in the text (drafter.canon)
