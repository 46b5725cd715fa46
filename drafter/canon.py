"""The genre's canon: phrasebank/canon.yaml, hand-kept, never written by analysis.

Two lists:

- `canonical`: the current formulations a speech cannot do without (以习近平同志为核心的党中央,
  两个确立 …), with kind, themes and the year each became current. Analysis keeps them whole;
  their truncations are never entries of their own.
- `expired`: expressions superseded or no longer current (以阶级斗争为纲, 以习近平同志为总书记的党中央,
  十三五 as the current plan, campaigns that ended …), with the years they were current and what
  replaced them. Drafting never suggests one for a speech dated after its `until`.

- `variants`: wrong or non-standard ways of writing a formulation (以习近平总书记为核心的党中央 for
  以习近平同志为核心的党中央), each with the standard form. They are loaded as expired entries that
  were never current (`ExpiredEntry.variant`): never suggested, always marked.

A bank folder may hold its own canon.yaml; otherwise the built-in one is used (`canon_path`).

Truncation rule (`is_truncation`): a text that is not itself an entry of the canon is a
truncation of a canonical formulation C (quotation marks aside) when it is a proper beginning of
C and

  1. C is marked `whole: true` and the text has four characters or more: the formulation is
     indivisible, and its beginnings are wrong on their own (习近平新时代中国特色社会主义 | 思想,
     全面从严 | 治党, 人类命运 | 共同体, 一体推进不敢腐 | 、不能腐、不想腐); or
  2. C opens with a preposition (以, 把, 对 …) and the text stops right before a 的: a modifier
     without its head (以习近平同志为核心 | 的党中央); or
  3. C is a series and the text holds two or more of its items but not all (不敢腐、不能腐 |
     、不想腐; 形式主义、官僚主义、享乐主义 | 和奢靡之风); or
  4. C is a numeral formula (四个意识, 三严三实): a numeral without its noun is no formulation;

or when C opens with a 以…为 frame and the text starts after 以 and keeps 为: the frame is broken
(习近平同志为核心的党中央, 人民为中心的发展思想, 国内大循环为主体).

The whole first item of a series is not a truncation unless C is `whole` (经济建设 of
经济建设、政治建设…, 政治纪律 of 政治纪律和政治规矩, 以国内大循环为主体 of …、国内国际双循环…). Nor
are suffixes and inner parts, nor the beginnings of formulations not marked `whole`: many of them
are terms of their own (生态文明 of 生态文明建设, 社会主义市场经济 of …体制, 中华人民共和国 of
中华人民共和国监察法, 新时代中国特色社会主义 of …思想, 高质量 of 高质量发展). `whole` is knowledge a
rule cannot have: which formulations are indivisible is said in canon.yaml, entry by entry. A
shorter formulation the genre does use alone is an entry of its own (以人民为中心 beside
以人民为中心的发展思想), and an entry is never a truncation.

`expired_in(text, year)` finds the expired expressions in a text (one scan of the text over an
index by first character, built on first use). An expression that starts with a numeral does
not match after another numeral (十三五 is not found in 二十三五…), a body's name ending in 部
does not match in 部门, 部署 or 部分 (监察部 is not found in 纪检监察部门), one starting with 有
does not match in 只有, 具有, 没有 … (有中国特色社会主义 is not found in 只有中国特色社会主义才能
发展中国), and an occurrence inside a formulation that is canonical and current in that year does
not count. Quotation marks are ignored everywhere: “十三五”规划 holds 十三五, and
“三严三实”专题教育 is found in 三严三实专题教育.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.errors import DrafterError

CANON_FILE = "canon.yaml"
THEMES_FILE = "themes.yaml"
KINDS = {"formula": "数字概括语", "term": "固定提法", "idiom": "成语", "parallel": "排比", "quote": "引语"}
TOP_KEYS = ("version", "canonical", "expired", "variants")
CANONICAL_KEYS = ("text", "kind", "themes", "since", "full", "note", "whole")
CANONICAL_REQUIRED = ("text", "kind", "since")
EXPIRED_KEYS = ("text", "from", "until", "replaced_by", "kind", "note", "not_after")
EXPIRED_REQUIRED = ("text", "from", "until")
VARIANT_KEYS = ("text", "replaced_by", "note", "not_after")
VARIANT_REQUIRED = ("text", "replaced_by")
FIRST_YEAR, LAST_YEAR = 1921, 2100
_NUMERALS = "一二三四五六七八九十百千万两〇零"
_LIST_SEPARATORS = "、，；"
MIN_CUT = 4  # under `whole`, a beginning shorter than this is a word of its own (习近平, 全过程)
_PREPOSITIONS = "以把对为在从向按将"  # a formulation opening with one of these needs its head
_QUOTES = dict.fromkeys(map(ord, "“”‘’「」『』\"'"), None)
_QUOTE_CHARS = "".join(map(chr, _QUOTES))
_QUOTE_MARK = re.compile("[" + re.escape(_QUOTE_CHARS) + "]")
_NOT_AFTER_BU = "门署分"  # 监察部 is not found in 纪检监察部门, 农业部 not in 农业部署
_NOT_BEFORE_YOU = "只具没拥享所占保持含富固"  # 有中国特色社会主义 is not found in 只有中国特色社会主义才能…


def plain(text: str) -> str:
    """`text` without quotation marks: the canon is compared without them (“十三五”规划)."""
    # most texts hold no quotation mark: a substring test per mark instead of a per-character translation
    return text.translate(_QUOTES) if any(map(text.__contains__, _QUOTE_CHARS)) else text


@dataclass(frozen=True)
class CanonicalEntry:
    text: str
    kind: str
    themes: tuple[str, ...]
    since: int  # the year it became current
    full: str | None = None  # what a numeral formula stands for
    note: str | None = None
    line: int = 0  # its line in canon.yaml
    whole: bool = False  # every beginning of it (four characters or more) is a truncation


@dataclass(frozen=True)
class ExpiredEntry:
    text: str
    start: int  # `from` in the YAML: the first year it was current
    until: int  # the last year it was current
    replaced_by: str | None = None
    kind: str | None = None
    note: str | None = None
    line: int = 0
    not_after: str = ""  # characters after which it does not count: 苏修 not in 江苏修建 (not_after: 江)

    def current_in(self, year: int) -> bool:
        return self.start <= year <= self.until

    @property
    def variant(self) -> bool:
        """A non-standard way of writing `replaced_by`, never current (from the canon's `variants`)."""
        return self.until == NEVER


NEVER = 0  # the years of a variant: current in no year


@dataclass
class Canon:
    canonical: list[CanonicalEntry]
    expired: list[ExpiredEntry]
    path: Path | None = None
    # built on first use: entries by their quote-free text, and by the first character of that
    # text (each list longest first), which is all a scan of a line needs
    _expired_by_text: dict[str, list[ExpiredEntry]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _expired_index: dict[str, list[str]] | None = field(default=None, init=False, repr=False, compare=False)
    _not_after: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _canonical_by_text: dict[str, CanonicalEntry] = field(default_factory=dict, init=False, repr=False, compare=False)
    _canonical_index: dict[str, list[str]] | None = field(default=None, init=False, repr=False, compare=False)
    _canonical_starts: re.Pattern | None = field(default=None, init=False, repr=False, compare=False)
    _truncations: dict[str, CanonicalEntry | ExpiredEntry] | None = field(default=None, init=False, repr=False, compare=False)

    # -- look-ups ------------------------------------------------------------------------

    def canonical_entry(self, text: str) -> CanonicalEntry | None:
        """The canonical entry written as `text` (quotation marks aside), if any."""
        if not self._canonical_by_text:
            self._canonical_by_text = {plain(e.text): e for e in self.canonical}
        return self._canonical_by_text.get(plain(text))

    def expired_entries(self, text: str) -> list[ExpiredEntry]:
        """The expired entries written exactly as `text` (quotation marks aside)."""
        self._expired()
        return list(self._expired_by_text.get(plain(text), ()))

    def expired_in(self, text: str, year: int) -> list[ExpiredEntry]:
        """The expired expressions contained in `text` that are no longer current in `year`
        (their `until` is before it), in order of first occurrence."""
        if not text or not self.expired:
            return []
        text = plain(text)
        spans = _scan(text, self._expired(), self._not_after)
        if not spans:
            return []
        shelter = self._canonical_spans(text, year)
        result: list[ExpiredEntry] = []
        for start, end in spans:
            if any(s <= start and end <= e and (s, e) != (start, end) for s, e in shelter):
                continue  # part of a formulation that is current: not the expired one
            for entry in self._expired_by_text[text[start:end]]:
                if entry.until < year and entry not in result:
                    result.append(entry)
        return result

    def canonical_in(self, text: str, year: int | None = None) -> list[tuple[int, int, CanonicalEntry]]:
        """Where canonical formulations occur in `text`: (start, end, entry), offsets into `text`
        as given (a quotation mark the formulation opens or closes included), in order of
        position, longest first at each. With `year`, only those current by then."""
        if not text or not self.canonical:
            return []
        bare = plain(text)
        # the i-th quotation mark of `text` has shifts[i] characters of `bare` before it, so the
        # character at j in `bare` stands at j + (the number of shifts <= j) in `text`
        shifts = [m.start() - i for i, m in enumerate(_QUOTE_MARK.finditer(text))] if bare is not text else []
        found = []
        for start, end in self._canonical_spans(bare, year if year is not None else LAST_YEAR):
            entry = self._canonical_by_text[bare[start:end]]
            first = start + bisect.bisect_right(shifts, start)
            last = end - 1 + bisect.bisect_right(shifts, end - 1)
            found.append((*_balanced(text, first, last + 1), entry))
        return found

    def truncations(self) -> dict[str, CanonicalEntry | ExpiredEntry]:
        """Every truncation of a formulation of the canon, current or expired (see the module's
        rule), with the formulation it was cut from (the shortest, when several): 以习近平同志为核心
        of …的党中央, and 以习近平同志为总书记 of the expired …的党中央 alike."""
        if self._truncations is None:
            entries = {plain(e.text) for e in self.canonical} | {plain(e.text) for e in self.expired}
            cuts: dict[str, CanonicalEntry | ExpiredEntry] = {}
            every: list[CanonicalEntry | ExpiredEntry] = [*self.canonical, *self.expired]
            for entry in sorted(every, key=lambda e: (len(plain(e.text)), e.text)):
                for cut in _cuts(plain(entry.text), entry.kind or "term", getattr(entry, "whole", False)):
                    if cut not in entries and cut not in cuts:
                        cuts[cut] = entry
            self._truncations = cuts
        return self._truncations

    def is_truncation(self, text: str) -> CanonicalEntry | ExpiredEntry | None:
        """The formulation `text` was cut from, when it is a truncation; else None."""
        return self.truncations().get(plain(text))

    # -- internals ------------------------------------------------------------------------

    def _expired(self) -> dict[str, list[str]]:
        if self._expired_index is None:
            for entry in self.expired:
                self._expired_by_text.setdefault(plain(entry.text), []).append(entry)
                if entry.not_after:
                    self._not_after[plain(entry.text)] = self._not_after.get(plain(entry.text), "") + entry.not_after
            self._expired_index = _index(self._expired_by_text)
        return self._expired_index

    def _canonical_spans(self, text: str, year: int) -> list[tuple[int, int]]:
        """Spans of the canonical formulations current in `year`, in quote-free `text`."""
        if self._canonical_index is None:
            self.canonical_entry("")
            self._canonical_index = _index(self._canonical_by_text)
            words = [t for t in self._canonical_by_text if t]
            self._canonical_starts = re.compile(trie_pattern(words)) if words else None
        return [
            (start, end) for start, end in _scan(text, self._canonical_index, starts=self._canonical_starts)
            if self._canonical_by_text[text[start:end]].since <= year
        ]


def trie_pattern(words: list[str]) -> str:
    """A regex matching any of `words`, written as a trie (the longest word first at each branch)."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _branch(root)


def _branch(node: dict) -> str:
    ends = "" in node
    alternatives = [re.escape(ch) + _branch(child) for ch, child in sorted(node.items()) if ch]
    if not alternatives:
        return ""
    body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
    if ends:
        return f"(?:{body})?"
    return body


def _index(texts) -> dict[str, list[str]]:
    """Texts by their first character, longest first."""
    index: dict[str, list[str]] = {}
    for text in sorted(texts, key=lambda t: (-len(t), t)):
        if text:
            index.setdefault(text[0], []).append(text)
    return index


def _scan(
    text: str, index: dict[str, list[str]], not_after: dict[str, str] | None = None, starts: re.Pattern | None = None
) -> list[tuple[int, int]]:
    """Every occurrence (start, end) of an indexed text in `text`, overlapping ones included,
    with the module's boundary rules: no numeral-led text right after a numeral, no 部-final
    name before 门/署/分, no 有-led text inside 只有/具有/没有 …, and an entry's own `not_after`.
    `starts`, a pattern matching the indexed texts, spares looking at every other position."""
    found = []
    get = index.get
    for start in _starts(starts, text) if starts is not None else range(len(text)):
        char = text[start]
        candidates = get(char)
        if not candidates:
            continue
        before = text[start - 1] if start else ""
        for word in candidates:
            if not text.startswith(word, start):
                continue
            end = start + len(word)
            if before and ((char in _NUMERALS and before in _NUMERALS) or (char == "有" and before in _NOT_BEFORE_YOU)):
                continue
            if word[-1] == "部" and text[end:end + 1] and text[end] in _NOT_AFTER_BU:
                continue
            if before and not_after and before in not_after.get(word, ""):
                continue
            found.append((start, end))
    return found


def _starts(pattern: re.Pattern, text: str):
    """Every position where a match of `pattern` begins, overlapping matches included (the regex
    engine skips the positions where none can begin)."""
    match = pattern.search(text)
    while match:
        yield match.start()
        match = pattern.search(text, match.start() + 1)


def _balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen text[start:end] by a quotation mark it opens or closes but does not hold:
    做到“两个维护 → 做到“两个维护”."""
    for left, right in ("“”", "‘’", "「」", "『』"):
        span = text[start:end]
        if span.count(left) > span.count(right) and text[end:end + 1] == right:
            end += 1
        elif span.count(right) > span.count(left) and start > 0 and text[start - 1] == left:
            start -= 1
    return start, end


def _cuts(text: str, kind: str = "term", whole: bool = False) -> set[str]:
    """The truncations of one formulation (quotation marks removed), by the module's rule."""
    cuts: set[str] = set()
    first_item = re.split(f"[{_LIST_SEPARATORS}]|(?<=..)[和与及](?=..)", text)[0]
    numeral_formula = kind == "formula" and text[0] in _NUMERALS
    opens_with_preposition = text[0] in _PREPOSITIONS
    for end in range(2, len(text)):
        cut = text[:end]
        if cut[-1] in _LIST_SEPARATORS:
            continue
        if whole and end >= MIN_CUT:
            cuts.add(cut)  # 习近平新时代中国特色社会主义 | 思想, 人类命运 | 共同体
            continue
        if cut == first_item:
            continue  # 经济建设 of 经济建设、政治建设…; 政治纪律 of 政治纪律和政治规矩
        series_cut_short = text[end] in _LIST_SEPARATORS + "和与及" and any(c in cut for c in _LIST_SEPARATORS)
        modifier_alone = opens_with_preposition and text[end] == "的"
        if series_cut_short or modifier_alone or numeral_formula:
            cuts.add(cut)
    frame = re.match(r"以(.+?)为", text)
    if frame:
        wei = frame.end() - 1  # index of 为
        for start in range(1, wei + 1):
            for end in range(wei + 1, len(text) + 1):
                cut = text[start:end].strip(_LIST_SEPARATORS)
                if len(cut) >= 2 and cut != text:
                    cuts.add(cut)
    cuts.discard(text)
    return cuts


# ---------------------------------------------------------------------------------------
# Loading


def canon_path(bank_dir: str | os.PathLike | None = None) -> Path:
    """The bank folder's canon.yaml if it has one, else the built-in phrasebank/canon.yaml."""
    if bank_dir is not None:
        own = Path(bank_dir) / CANON_FILE
        if own.is_file():
            return own
    from drafter.resources import builtin_dir

    return builtin_dir("phrasebank") / CANON_FILE


def load_canon(path: str | os.PathLike, themes: set[str] | None = None) -> Canon:
    """Load and check a canon file. `themes`: the known theme names; by default those of the
    themes.yaml beside the file, else of the built-in one. Any problem is a DrafterError
    naming the file and line, in Chinese."""
    from drafter.fileio import cached_for_file, read_bytes

    path = Path(path)
    if themes is None:
        themes = _theme_names(path)
    known = tuple(sorted(themes))

    def compute() -> list:
        raw = read_bytes(path, "规范提法文件")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DrafterError(f"规范提法文件 {path} 不是 UTF-8 编码，请用 UTF-8 保存后重试。") from None
        return [list(known), _parse(text, path, set(known))]

    # the cache kind names the layout of the cached tuples: change it when they change
    checked_with, data = cached_for_file(path, "canon-3", compute)
    if tuple(checked_with) != known:  # the themes changed since the cache was written
        data = compute()[1]
    canonical = [
        CanonicalEntry(text=t, kind=k, themes=tuple(th), since=s, full=f, note=n, line=ln, whole=w)
        for t, k, th, s, f, n, ln, w in data[0]
    ]
    expired = [
        ExpiredEntry(text=t, start=a, until=u, replaced_by=r, kind=k, note=n, line=ln, not_after=na)
        for t, a, u, r, k, n, ln, na in data[1]
    ]
    return Canon(canonical=canonical, expired=expired, path=path)


def _theme_names(canon_file: Path) -> set[str]:
    """The theme names of the themes.yaml beside the canon file, else of the built-in one
    (kept in the user's cache like the canon itself)."""
    from drafter.bank import load_themes
    from drafter.fileio import cached_for_file
    from drafter.resources import builtin_dir

    beside = canon_file.parent / THEMES_FILE
    source = beside if beside.is_file() else builtin_dir("phrasebank") / THEMES_FILE
    return set(cached_for_file(source, "theme-names", lambda: sorted(load_themes(source))))


def _parse(text: str, path: Path, themes: set[str]) -> list:
    """Check the YAML and return plain data (marshal-able, for the cache):
    [[(text, kind, themes, since, full, note, line, whole) …], [(text, from, until, replaced_by, kind, note, line, not_after) …]]."""
    import yaml

    try:
        loader_class = yaml.CSafeLoader
    except AttributeError:  # pragma: no cover - depends on how PyYAML was built
        loader_class = yaml.SafeLoader
    name = f"规范提法文件 {path}"
    try:
        for event in yaml.parse(text, Loader=loader_class):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise DrafterError(
                    f"{name} 第 {event.start_mark.line + 1} 行用了 YAML 锚点或别名（& 或 *）。"
                    "规范提法文件不支持锚点和别名，请把内容直接写出来。"
                )
        loader = loader_class(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"第 {mark.line + 1} 行" if mark else "某处"
        raise DrafterError(f"{name} {where}有 YAML 格式错误（{exc.problem or exc.context}）。请检查缩进、冒号和引号后重试。") from None
    except yaml.YAMLError as exc:
        raise DrafterError(f"{name} 有 YAML 格式错误：{exc}。") from None
    if root is None:
        raise DrafterError(f"{name} 是空的。请参照内置的 phrasebank/canon.yaml 写出 version、canonical 和 expired。")
    top = _mapping(root, name, "顶层", TOP_KEYS, ())
    if "version" in top:
        node = top["version"][1]
        if _scalar(node, int) != 1:
            raise DrafterError(f"{name} 第 {_line(node)} 行：version 应为 1。")
    seen: dict[str, int] = {}
    canonical = []
    for node in _sequence(top, "canonical", name):
        fields = _mapping(node, name, "canonical 中的条目", CANONICAL_KEYS, CANONICAL_REQUIRED)
        text = _text(fields, "text", name, required=True)
        where = f"{name} 第 {_line(node)} 行（{text}）"
        kind = _text(fields, "kind", name, required=True)
        if kind not in KINDS:
            raise DrafterError(f"{where}：kind 是“{kind}”，应为 {_kinds()} 之一。{_nearest_hint(kind, KINDS)}")
        entry_themes = _themes(fields, name, where, themes)
        since = _year(fields, "since", name, where)
        whole = _flag(fields, "whole", name)
        canonical.append((text, kind, entry_themes, since, _text(fields, "full", name), _text(fields, "note", name), _line(node), whole))
        _unique(text, node, seen, name)
    expired = _expired_entries(top, name, seen) + _variant_entries(top, name, seen)
    return [canonical, expired]


def _expired_entries(top: dict, name: str, seen: dict[str, int]) -> list[tuple]:
    expired = []
    for node in _sequence(top, "expired", name):
        fields = _mapping(node, name, "expired 中的条目", EXPIRED_KEYS, EXPIRED_REQUIRED)
        text = _text(fields, "text", name, required=True)
        where = f"{name} 第 {_line(node)} 行（{text}）"
        start = _year(fields, "from", name, where)
        until = _year(fields, "until", name, where)
        if until < start:
            raise DrafterError(f"{name} 第 {_line(fields['until'][1])} 行（{text}）：until（{until}）早于 from（{start}）。")
        kind = _text(fields, "kind", name)
        if kind is not None and kind not in KINDS:
            raise DrafterError(f"{where}：kind 是“{kind}”，应为 {_kinds()} 之一。{_nearest_hint(kind, KINDS)}")
        replaced = _text(fields, "replaced_by", name)
        not_after = _text(fields, "not_after", name) or ""
        expired.append((text, start, until, replaced, kind, _text(fields, "note", name), _line(node), not_after))
        _unique(text, node, seen, name)
    return expired


def _variant_entries(top: dict, name: str, seen: dict[str, int]) -> list[tuple]:
    expired = []
    for node in _sequence(top, "variants", name):
        fields = _mapping(node, name, "variants 中的条目", VARIANT_KEYS, VARIANT_REQUIRED)
        text = _text(fields, "text", name, required=True)
        replaced = _text(fields, "replaced_by", name, required=True)
        not_after = _text(fields, "not_after", name) or ""
        expired.append((text, NEVER, NEVER, replaced, None, _text(fields, "note", name), _line(node), not_after))
        _unique(text, node, seen, name)
    return expired


def _line(node: Any) -> int:
    return node.start_mark.line + 1


def _kinds() -> str:
    return "、".join(f"{k}（{v}）" for k, v in KINDS.items())


def _nearest_hint(word: str, choices) -> str:
    import difflib  # only when there is a mistake to point out

    near = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f"是不是“{near[0]}”？" if near else ""


def _mapping(node: Any, name: str, what: str, allowed: tuple[str, ...], required: tuple[str, ...]) -> dict:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        raise DrafterError(f"{name} 第 {_line(node)} 行：{what}应是“键: 值”的映射（如 - text: 两个确立）。")
    fields: dict[str, tuple[Any, Any]] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in allowed:
            hint = _nearest_hint(str(key), allowed) or ""
            raise DrafterError(
                f"{name} 第 {_line(key_node)} 行：未知的键“{key}”。{hint}{what}可用的键：{'、'.join(allowed)}。"
            )
        if key in fields:
            raise DrafterError(f"{name} 第 {_line(key_node)} 行：键“{key}”重复了。")
        fields[key] = (key_node, value_node)
    for key in required:
        if key not in fields:
            raise DrafterError(f"{name} 第 {_line(node)} 行：{what}缺少 {key}。")
    return fields


def _sequence(top: dict, key: str, name: str) -> list:
    import yaml

    if key not in top:
        return []
    node = top[key][1]
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise DrafterError(f"{name} 第 {_line(node)} 行：{key} 应是一个列表（每项以“- text:”开头）。")
    return node.value


def _scalar(node: Any, kind: type):
    """The value of a plain scalar node, resolved as YAML would, if it is of `kind`."""
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        return None
    tag = node.tag.rsplit(":", 1)[-1]
    if kind is int and tag == "int":
        try:
            return int(node.value, 10)
        except ValueError:
            return None
    if kind is str and tag == "str":
        return node.value
    return None


def _text(fields: dict, key: str, name: str, required: bool = False) -> str | None:
    if key not in fields:
        return None
    node = fields[key][1]
    value = _scalar(node, str)
    if value is None or (required and not value.strip()):
        raise DrafterError(f"{name} 第 {_line(node)} 行：{key} 应是一段文字。")
    return value.strip()


def _flag(fields: dict, key: str, name: str) -> bool:
    import yaml

    if key not in fields:
        return False
    node = fields[key][1]
    if not isinstance(node, yaml.ScalarNode) or not node.tag.endswith(":bool"):
        raise DrafterError(f"{name} 第 {_line(node)} 行：{key} 应为 true 或 false。")
    return node.value.lower() in ("true", "yes", "on")


def _year(fields: dict, key: str, name: str, where: str) -> int:
    node = fields[key][1]
    value = _scalar(node, int)
    if value is None or not FIRST_YEAR <= value <= LAST_YEAR:
        raise DrafterError(f"{name} 第 {_line(node)} 行：{key} 应是年份（{FIRST_YEAR} 到 {LAST_YEAR} 的整数，如 2021）。")
    return value


def _themes(fields: dict, name: str, where: str, themes: set[str]) -> list[str]:
    import yaml

    if "themes" not in fields:
        return []
    node = fields["themes"][1]
    if not isinstance(node, yaml.SequenceNode) or any(_scalar(item, str) is None for item in node.value):
        raise DrafterError(f"{name} 第 {_line(node)} 行：themes 应是主题名的列表，如 [政治建设]。")
    names = [item.value for item in node.value]
    for theme, item in zip(names, node.value):
        if theme not in themes:
            raise DrafterError(
                f"{name} 第 {_line(item)} 行：未知的主题“{theme}”。{_nearest_hint(theme, themes)}"
                f"主题名见 themes.yaml：{'、'.join(sorted(themes))}。"
            )
    return names


def _unique(text: str, node: Any, seen: dict[str, int], name: str) -> None:
    if text in seen:
        raise DrafterError(f"{name} 第 {_line(node)} 行：“{text}”与第 {seen[text]} 行重复。一个提法只写一次。")
    seen[text] = _line(node)
