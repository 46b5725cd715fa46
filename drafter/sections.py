"""The section tree of a speech body: numbering markers, the runs they form, how runs nest.

Headings are found wherever Chinese speeches put them: at the start of a line, or inline at the
start of a paragraph or right after a sentence end (texts often arrive with whole sections on one
line, or with no line breaks at all). A marker only counts as a heading when it belongs to a run
that counts up from one (一、 二、 三、 …), so "统一、政治上" inside a sentence is never a heading.
Levels come from how runs nest: a run that sits inside one item of another run is its child.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field

from drafter.genre import CLOSING_CUES, CLOSING_WORDS, MARKER_NUMERALS, cn_to_int
from drafter.textmap import BodyText


@dataclass
class Section:
    level: int  # depth, 1 = top
    number: int  # position in its numbering sequence, 1-based
    marker: str  # the numbering as written: "一、", "（一）", "第一，", "一要", "一是", "第一个问题："
    heading: str  # heading text without marker and trailing punctuation (inline: up to the first 。！？)
    line: int  # 1-based line in the original file
    children: list["Section"] = field(default_factory=list)
    body: str = ""  # the text the heading introduces, up to the next heading of its level or above


def iter_sections(sections: list[Section]):
    """Every section of a tree, depth first, in document order."""
    for section in sections:
        yield section
        yield from iter_sections(section.children)


# ---------------------------------------------------------------------------
# Markers

_CN = MARKER_NUMERALS
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# (style, rank, pattern). Rank is the usual hierarchy, used only to break ties between runs
# that do not nest (一、 > 第一， > （一） > 一要/一是 > 1. > （1） > ①).
_STYLES: list[tuple[str, int, re.Pattern[str]]] = [
    ("cn_dun", 0, re.compile(rf"([{_CN}]{{1,3}})、")),
    ("di_wenti", 1, re.compile(rf"第([{_CN}]{{1,3}})个问题[：:，,。、]?")),
    ("di_fangmian", 1, re.compile(rf"第([{_CN}]{{1,3}})个?方面[：:，,。、]?")),
    ("di_bufen", 1, re.compile(rf"第([{_CN}]{{1,3}})部分[：:，,。、]?")),
    ("di", 1, re.compile(rf"第([{_CN}]{{1,3}})[，,、：:]")),
    ("paren_cn", 2, re.compile(rf"[（(]([{_CN}]{{1,3}})[）)]\s*")),
    ("yao", 3, re.compile(rf"([{_CN}]{{1,2}})要(?=[\u4e00-\u9fff“])")),
    ("shi", 3, re.compile(rf"([{_CN}]{{1,2}})是(?=[\u4e00-\u9fff“《])")),
    ("seq", 3, re.compile(r"(首先|其次|再次|最后)[，,：:]")),
    ("ar_dot", 4, re.compile(r"(\d{1,2})[.．](?!\d)\s*")),
    ("ar_dun", 4, re.compile(r"(\d{1,2})、")),
    ("paren_ar", 5, re.compile(r"[（(](\d{1,2})[）)]\s*")),
    ("circled", 6, re.compile(rf"([{_CIRCLED}])\s*")),
    ("cn_bare", 0, re.compile(rf"([{_CN}]{{1,3}})[ \t]*(?=\n|\Z)")),  # a numeral alone on its line
]
_RANK = {style: rank for style, rank, _ in _STYLES}
_SEQ_NUMBERS = {"首先": 1, "其次": 2, "再次": 3}
_BOUNDARY_CHAR = re.compile("[\n。！？；：!?;:]")
_QUOTE_CLOSERS = " ”’」』"  # a sentence end inside quotes: 。”二是
# the characters a marker (or an unnumbered 要-point) can start with, besides digits
_MARKER_FIRST = set(_CN + "第（(首其再最要" + _CIRCLED)
_BARE_NUMERAL_LINE = re.compile(rf"[{_CN}]{{1,3}}\s*")  # "一" alone on its line: a section mark, not a title
_MARKER_AT_START = re.compile("|".join(f"(?:{p.pattern})" for _, _, p in _STYLES[:3]))
# Unnumbered parallel points: short "要…。" sentences opening paragraphs or following a sentence end.
_PARALLEL_POINT = re.compile(r"要[^，。；！？,;!?\n]{2,16}[。！!]")
_NOT_DI_MARKER = ("一个", "一次", "一位", "一批", "一线")  # 第一个, 第一次 …: ordinals, not markers
_END = "。！？!?"
_TRAILING = "，,。；;：:、！!？? "


def starts_with_marker(line: str) -> bool:
    """Does a line open with a top-level marker (一、 / 第一个问题 / 第一方面)?"""
    return bool(_MARKER_AT_START.match(line))


def is_bare_numeral(line: str) -> bool:
    """A line that is only a numeral ("一"): a part mark of old reports."""
    return bool(_BARE_NUMERAL_LINE.fullmatch(line))


def is_bare_marker(marker: str) -> bool:
    return bool(marker) and marker[-1] in _CN


@dataclass
class _Marker:
    style: str
    number: int  # 0 for "最后" (continues whatever run it closes)
    start: int  # body offset of the marker
    end: int  # body offset just after the marker
    line_start: bool  # the marker opens a line


@dataclass
class _Run:
    style: str
    markers: list[_Marker]

    @property
    def line_start(self) -> bool:
        return all(m.line_start for m in self.markers)

    def clause_level(self, text: str) -> bool:
        """Items joined by ；or ， ("…：一是…；二是…；三是…。") make a list inside a sentence,
        not a set of points."""
        return any(m.start > 0 and text[m.start - 1] in "；;，," for m in self.markers[1:])

    def last_item_end(self, text: str, span_end: int) -> int:
        """An inline run ends with the paragraph (a clause-level list, with its sentence);
        a run of heading lines runs on to the end of the span."""
        if self.line_start:
            return span_end
        last = self.markers[-1].start
        end = text.find("\n", last, span_end)
        end = span_end if end < 0 else end
        if self.clause_level(text):
            stops = [text.find(ch, last, end) for ch in _END]
            stops = [s + 1 for s in stops if s >= 0]
            if stops:
                end = min(stops)
        return end


def _marker_number(style: str, token: str) -> int:
    if style == "seq":
        return _SEQ_NUMBERS.get(token, 0)
    if style == "circled":
        return ord(token) - ord("①") + 1
    return cn_to_int(token) or 0


def _marker_at(text: str, pos: int, line_start: bool) -> _Marker | None:
    """The marker (or unnumbered 要-point) that starts at `pos`, if any."""
    for style, _, pattern in _STYLES:
        match = pattern.match(text, pos)
        if not match:
            continue
        token = match.group(1)
        number = _marker_number(style, token)
        if number == 0 and style != "seq":
            continue
        if style == "cn_bare" and not line_start:
            continue
        if style == "di" and text.startswith(_NOT_DI_MARKER, match.start(1)):
            continue
        return _Marker(style, number, match.start(), match.end(), line_start)
    point = _PARALLEL_POINT.match(text, pos)
    if point:
        return _Marker("para", 0, point.start(), point.start(), line_start)
    return None


def find_markers(text: str) -> list[_Marker]:
    """Every marker that stands where a heading can start, in text order."""
    markers: list[_Marker] = []
    positions = [0] + [m.end() for m in _BOUNDARY_CHAR.finditer(text)]
    for pos in positions:
        while pos < len(text) and text[pos] in _QUOTE_CLOSERS:
            pos += 1
        if pos >= len(text):
            continue
        if text[pos] not in _MARKER_FIRST and not text[pos].isdecimal():
            continue  # no marker starts here: most sentences
        marker = _marker_at(text, pos, pos == 0 or text[pos - 1] == "\n")
        if marker:
            markers.append(marker)
    return markers


# ---------------------------------------------------------------------------
# Runs


def _runs(markers: list[_Marker]) -> list[_Run]:
    """Runs that count up from one, per style; stray markers that break the count are dropped."""
    by_style: dict[str, list[_Marker]] = {}
    for marker in markers:
        by_style.setdefault(marker.style, []).append(marker)
    runs: list[_Run] = []
    for style, items in by_style.items():
        if style == "para":
            runs.extend(_parallel_runs(items))
        else:
            runs.extend(_numbered_runs(style, items))
    return runs


def _numbered_runs(style: str, items: list[_Marker]) -> list[_Run]:
    runs: list[_Run] = []
    current: list[_Marker] = []
    for marker in items:
        closes = style == "seq" and marker.number == 0 and len(current) >= 2  # 最后 after 首先, 其次
        if current and (marker.number == current[-1].number + 1 or closes):
            current.append(marker)
            if marker.number == 0:
                marker.number = current[-2].number + 1
        elif marker.number == 1:
            if len(current) >= 2:
                runs.append(_Run(style, current))
            current = [marker]
    if len(current) >= 2:
        runs.append(_Run(style, current))
    return runs


def _parallel_runs(items: list[_Marker]) -> list[_Run]:
    """Unnumbered "要…。" points count as a run when there are enough of them."""
    need = 2 if all(m.line_start for m in items) else 3
    if len(items) < need:
        return []
    for number, marker in enumerate(items, 1):
        marker.number = number
    return [_Run("para", items)]


def _contained(inner: _Run, outer: _Run, text: str, span_end: int) -> bool:
    """Does `inner` sit inside a single item of `outer`?"""
    starts = [m.start for m in outer.markers]
    first, last = inner.markers[0].start, inner.markers[-1].start
    slot = bisect.bisect_right(starts, first) - 1
    if slot < 0:
        return False
    slot_end = starts[slot + 1] if slot + 1 < len(starts) else outer.last_item_end(text, span_end)
    return last < slot_end


def _choose_run(runs: list[_Run], text: str, span_end: int) -> _Run | None:
    outer = [r for r in runs if not any(o is not r and _contained(r, o, text, span_end) for o in runs)]
    if not outer:
        return None
    return min(
        outer,
        key=lambda r: (
            not r.line_start,
            r.clause_level(text),
            r.style == "para",
            _RANK.get(r.style, 3),
            -len(r.markers),
            r.markers[0].start,
        ),
    )


def _compact(run: _Run, text: str) -> bool:
    """Items on consecutive lines: a short list, not a set of sections."""
    return all(text.count("\n", a.start, b.start) <= 1 for a, b in zip(run.markers, run.markers[1:]))


def _sibling_runs(run: _Run, runs: list[_Run], text: str) -> list[_Run]:
    """A run of heading lines may be followed by more runs of the same style that start again
    from one (a report whose parts each number their points 一、二、三、 anew). They are its
    siblings, not children of its last item: nobody numbers 一、 inside 一、. Not so when
    heading lines of another style come in between (they own the new run), or when a
    short list follows sections with long text (a list inside the last section)."""
    group = [run]
    if not run.line_start:
        return group
    heading_lines = sorted(m.start for r in runs if r.line_start and r.style not in (run.style, "para") for m in r.markers)
    for other in sorted(runs, key=lambda r: r.markers[0].start):
        after, first = group[-1].markers[-1].start, other.markers[0].start
        if other.style != run.style or not other.line_start or first <= after:
            continue
        if bisect.bisect_left(heading_lines, first) > bisect.bisect_right(heading_lines, after):
            break  # heading lines of another style in between: the new run belongs to them
        if _compact(other, text) and not _compact(group[-1], text):
            break
        group.append(other)
    return group


# ---------------------------------------------------------------------------
# The tree


def _heading_end(text: str, start: int, limit: int) -> int:
    """Where a heading that starts at `start` ends: the line end for a heading line of its own,
    else the first sentence end (。！？), or `limit` (the next heading), whichever comes first."""
    end = text.find("\n", start, limit)
    end = limit if end < 0 else end
    for pos in range(start, end):
        if text[pos] in _END:
            return pos
    return end


def _heading(text: str, marker: _Marker, limit: int, item_end: int, para: bool) -> tuple[str, int]:
    """A section's heading text and the body offset where it ends (`limit`: the first child
    marker or the item's end)."""
    head_end = _heading_end(text, marker.end, limit)
    heading = text[marker.end:head_end].strip().rstrip(_TRAILING).strip()
    if not heading and not para and text[head_end:head_end + 1] == "\n":
        # the marker stands alone on its line ("第一，" then the text): the heading is the
        # first sentence of the next line
        start = head_end + 1
        head_end = _heading_end(text, start, item_end)
        heading = text[start:head_end].strip().rstrip(_TRAILING).strip()
    if para:
        heading = text[marker.start:head_end].rstrip(_TRAILING)
    return heading, head_end


def build_tree(body: BodyText, markers: list[_Marker], start: int, end: int, level: int) -> list[Section]:
    """The sections whose markers lie in [start, end) of the body, at `level` and below.
    `markers` is in text order."""
    text = body.text
    starts = [m.start for m in markers]
    inside = markers[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]
    runs = _runs(inside)
    run = _choose_run(runs, text, end)
    if run is None:
        return []
    group = _sibling_runs(run, runs, text)
    run_markers = [m for r in group for m in r.markers]
    item_ends = [m.start for m in run_markers[1:]] + [group[-1].last_item_end(text, end)]
    inside_starts = [m.start for m in inside]
    sections: list[Section] = []
    for marker, item_end in zip(run_markers, item_ends):
        child_markers = inside[bisect.bisect_right(inside_starts, marker.start):bisect.bisect_left(inside_starts, item_end)]
        next_child = next((m.start for m in child_markers if m.start > marker.end), item_end)
        heading, head_end = _heading(text, marker, min(next_child, item_end), item_end, run.style == "para")
        section = Section(
            level=level,
            number=marker.number,
            marker="" if run.style == "para" else text[marker.start:marker.end].strip(),
            heading=heading,
            line=body.line(marker.start),
            body=text[head_end:item_end].lstrip("。！？!? \n").strip(),
        )
        section.children = build_tree(body, child_markers, head_end, item_end, level + 1)
        sections.append(section)
    return sections


def first_section_start(body: BodyText, markers: list[_Marker], first: Section) -> int:
    """The body offset where the first top-level section begins."""
    prefix = first.marker or first.heading[:2]
    return min(m.start for m in markers if body.line(m.start) == first.line and body.text.startswith(prefix, m.start))


_NOT_A_PART_TITLE_END = "。！？!?；;：:，,、…”’）)"
_PART_TITLE_MIN, _PART_TITLE_MAX = 4, 24  # characters of an unnumbered part title
_PART_PARAGRAPH_MIN = 30  # characters of the paragraph that must follow it


def unnumbered_parts(body: BodyText) -> tuple[list[Section], int]:
    """Part titles without numbers, asked for only when a speech has no numbering at all: short
    lines of their own, each followed by a long paragraph, that open alike (关于九大路线 /
    关于粉碎林彪反党集团的胜利 / 关于形势和任务)."""
    lines, offsets, text = body.lines, body.line_starts, body.text
    titles: dict[str, list[int]] = defaultdict(list)
    for k, line in enumerate(lines[:-1]):
        if (
            _PART_TITLE_MIN <= len(line) <= _PART_TITLE_MAX
            and line[-1] not in _NOT_A_PART_TITLE_END
            and line[0] not in "“‘《（("
            and len(lines[k + 1]) >= _PART_PARAGRAPH_MIN
        ):
            titles[line[:2]].append(k)
    parallel = max(titles.values(), key=len, default=[])
    if len(parallel) < 2:
        return [], 0
    sections = []
    for i, k in enumerate(parallel):
        end = offsets[parallel[i + 1]] if i + 1 < len(parallel) else len(text)
        sections.append(
            Section(
                level=1,
                number=i + 1,
                marker="",
                heading=lines[k].strip(_TRAILING),
                line=body.line(offsets[k]),
                body=text[offsets[k] + len(lines[k]):end].strip(),
            )
        )
    return sections, offsets[parallel[0]]


# ---------------------------------------------------------------------------
# The closing

_CLOSING_CUE = re.compile("|".join(CLOSING_CUES))  # used with .match(text, pos): no "^"
_CLOSING_ANYWHERE = re.compile("|".join(CLOSING_WORDS))


def closing_start(body: BodyText, sections: list[Section]) -> int | None:
    """Where the closing begins: the first paragraph after the last heading that opens with a
    closing cue (总之 / 同志们， / 我的讲话完了 …); failing that, paragraphs beyond the length the
    other top-level sections have, when the speech ends with a thank-you or a wrap-up."""
    text = body.text
    last_line = max(s.line for s in iter_sections(sections))
    # original line of each body line's start, non-decreasing
    starts = [o for o in body.line_starts if o < len(text)]
    lines = [body.line(o) for o in starts]
    paragraph_starts = starts[bisect.bisect_right(lines, last_line):]
    for offset in paragraph_starts:
        if _CLOSING_CUE.match(text, offset):
            return offset
    if not paragraph_starts:
        return None
    # Sections of one paragraph each (heading and text on one line), then more paragraphs:
    # the extra ones are the closing.
    all_lines = [body.line(o) for o in body.line_starts]
    lines_per_section = [
        max(0, bisect.bisect_left(all_lines, b.line) - bisect.bisect_left(all_lines, a.line)) for a, b in zip(sections, sections[1:])
    ]
    if lines_per_section and max(lines_per_section) <= 2:
        typical = max(lines_per_section)
        last_section_lines = body.line_starts[bisect.bisect_left(all_lines, sections[-1].line):]
        if len(last_section_lines) > typical:
            return last_section_lines[typical]
    last = paragraph_starts[-1]
    if _CLOSING_ANYWHERE.search(text, last):
        return last
    return None


def trim_last(sections: list[Section], closing: str) -> None:
    """The closing is not part of the last section's body."""
    node = sections[-1]
    while True:
        if closing and node.body.endswith(closing):
            node.body = node.body[: -len(closing)].rstrip()
        if not node.children:
            break
        node = node.children[-1]
