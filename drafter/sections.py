"""The section tree of a speech body: numbering markers, the runs they form, how runs nest.

Headings are found wherever Chinese speeches put them: at the start of a line, or inline at the
start of a paragraph or right after a sentence end (texts often arrive with whole sections on one
line, or with no line breaks at all). A marker only counts as a heading when it belongs to a run
that counts up from one (一、 二、 三、 …), so "统一、政治上" inside a sentence is never a heading.
Levels come from how runs nest: a run that sits inside one item of another run is its child.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from drafter.genre import CLOSING_CUES, CLOSING_WORDS, MARKER_NUMERALS, cn_to_int, int_to_cn
from drafter.textmap import BodyText


@dataclass
class Section:
    level: int  # depth, 1 = top
    number: int  # position in its numbering sequence, 1-based
    marker: str  # the numbering as written: "一、", "（一）", "第一，", "一要", "一是", "第一个问题："
    heading: str  # without marker and trailing punctuation (inline: up to the first 。！？, cut when that runs long)
    line: int  # 1-based line in the original file
    children: list["Section"] = field(default_factory=list)
    body: str = ""  # the text the heading introduces, up to the next heading of its level or above
    heading_full: str | None = None  # the whole sentence when an inline heading ran on and was cut
    at: int = field(default=-1, repr=False, compare=False)  # body offset of the marker (internal)


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
_BOUNDARY_CHARS = "\n。！？；：!?;:"
_QUOTE_CLOSERS = " ”’」』"  # a sentence end inside quotes: 。”二是
# the characters a marker (or an unnumbered 要-point) can start with, besides digits
_MARKER_FIRST = set(_CN + "第（(首其再最要" + _CIRCLED)
# where a marker can start (a match's end): after the text's start or a boundary character,
# closing quotes skipped, before a marker's first character or a digit (most sentences start
# with neither). Led by the boundary character, so that the regex engine skips to the next one.
_BEFORE_MARKER = rf"[{_QUOTE_CLOSERS}]*(?=[{re.escape(''.join(sorted(_MARKER_FIRST)))}]|\d)"
_MARKER_PLACE = re.compile(f"[{_BOUNDARY_CHARS}]" + _BEFORE_MARKER)
_MARKER_PLACE_AT_START = re.compile(_BEFORE_MARKER)
_BARE_NUMERAL_LINE = re.compile(rf"[{_CN}]{{1,3}}\s*")  # "一" alone on its line: a section mark, not a title
_MARKER_AT_START = re.compile("|".join(f"(?:{p.pattern})" for _, _, p in _STYLES[:3]))
# Unnumbered parallel points: short "要…。" sentences opening paragraphs or following a sentence end.
_PARALLEL_POINT = re.compile(r"要[^，。；！？,;!?\n]{2,16}[。！!]")
_NOT_DI_MARKER = ("一个", "一次", "一位", "一批", "一线")  # 第一个, 第一次 …: ordinals, not markers
_END = "。！？!?"
_END_RE = re.compile(f"[{_END}]")
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

    def last_item_end(self, body: BodyText, span_end: int) -> int:
        """An inline run ends with the paragraph (a clause-level list, with its sentence);
        a run of heading lines runs on to the end of the span."""
        if self.line_start:
            return span_end
        text = body.text
        last = self.markers[-1].start
        end = body.line_end(last, span_end)
        if self.clause_level(text):
            stop = _END_RE.search(text, last, end)
            if stop:
                end = stop.end()
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
    at_start = _MARKER_PLACE_AT_START.match(text)
    for candidate in itertools.chain([at_start] if at_start else [], _MARKER_PLACE.finditer(text)):
        pos = candidate.end()
        marker = _marker_at(text, pos, pos == 0 or text[pos - 1] == "\n")
        if marker:
            markers.append(marker)
    glued = _glued_markers(text, markers)
    return sorted(markers + glued, key=lambda m: m.start) if glued else markers


# Heading lines pasted with no line break and no punctuation run into the next one
# (…提出意见一、2011年工作回顾 / 一、总体要求（一）指导思想): a marker of a run that otherwise
# counts up is looked for there too, between its neighbours on the same line.
_GLUED_STYLES = {"cn_dun": ("{}、",), "paren_cn": ("（{}）", "({})"), "shi": ("{}是",), "yao": ("{}要",)}
_GLUED_AFTER = re.compile(r"[\u4e00-\u9fff）)”’》0-9A-Za-z]")
_WORD_WITH_ONE = "统唯第之同万专划任某逐其另每单归合不"  # 统一、 唯一、 …: no marker


def _glued_markers(text: str, markers: list[_Marker]) -> list[_Marker]:
    found: list[_Marker] = []
    breaks = [m.start() for m in re.finditer("\n", text)]
    for style, forms in _GLUED_STYLES.items():
        mine = [m for m in markers if m.style == style]
        for before, after in zip([None] + mine, mine):
            k = bisect.bisect_left(breaks, after.start)  # looked up: a one-line text has no break to find
            start = _gap_start(breaks[k - 1] + 1 if k else 0, before, after)
            if start is None:
                continue
            marker = _glued_marker(text, style, forms, after.number - 1, start, after.start, last=after.number == 2)
            if marker:
                found.append(marker)
    return found


def _gap_start(line_start: int, before: _Marker | None, after: _Marker) -> int | None:
    """Where to look for the marker missing before `after` (None: nothing is missing): after the
    previous marker of the style when it is two behind, or, for a run that starts at two, from
    the start of its line (`line_start`)."""
    if before is not None and before.number == after.number - 2:
        return before.end if before.start >= line_start else None
    if after.number == 2 and (before is None or before.number != 1 or before.start < line_start):
        return max(line_start, before.end if before else 0)
    return None


def _glued_marker(text: str, style: str, forms: tuple[str, ...], number: int, start: int, end: int, last: bool) -> _Marker | None:
    candidates = []
    for form in forms:
        token = form.format(int_to_cn(number))
        at = text.find(token, start, end)
        while at >= 0:
            before = text[at - 1] if at else ""
            # glued to the end of a heading line: after a character or a closing bracket, not
            # after a comma (…基本任务，一是…；二是… is a list in a sentence)
            if _GLUED_AFTER.match(before) and not (number == 1 and before in _WORD_WITH_ONE):
                marker = _marker_at(text, at, False)
                if marker and marker.style == style and marker.number == number:
                    candidates.append(marker)
            at = text.find(token, at + 1, end)
    if len(candidates) == 1 or (candidates and last):
        return max(candidates, key=lambda m: m.start)
    return None


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


def _outermost(runs: list[_Run], body: BodyText, span_end: int) -> list[_Run]:
    """The runs that do not sit inside a single item of another run.

    Every item of every run is a slot [its marker, the next marker or the run's end). A run
    sits inside another's item when some slot that starts before its first marker ends after
    its last one (its own slots all start at or after its first marker). One sweep over the
    slots in start order, keeping the farthest end seen, answers that for all runs at once."""
    slots: list[tuple[int, int]] = []
    for run in runs:
        starts = [m.start for m in run.markers]
        slots.extend(zip(starts, starts[1:] + [run.last_item_end(body, span_end)]))
    slots.sort()
    outer: list[_Run] = []
    farthest, k = -1, 0
    for run in sorted(runs, key=lambda r: r.markers[0].start):
        first, last = run.markers[0].start, run.markers[-1].start
        while k < len(slots) and slots[k][0] < first:
            farthest = max(farthest, slots[k][1])
            k += 1
        if farthest <= last:
            outer.append(run)
    return outer


def _choose_run(runs: list[_Run], body: BodyText, span_end: int) -> _Run | None:
    text = body.text
    outer = _outermost(runs, body, span_end)
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


def _compact(run: _Run, body: BodyText) -> bool:
    """Items on consecutive lines: a short list, not a set of sections."""
    return all(body.breaks_between(a.start, b.start) <= 1 for a, b in zip(run.markers, run.markers[1:]))


def _sibling_runs(run: _Run, runs: list[_Run], body: BodyText) -> list[_Run]:
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
        if _compact(other, body) and not _compact(group[-1], body):
            break
        group.append(other)
    return group


# ---------------------------------------------------------------------------
# The tree


def _heading_end(body: BodyText, start: int, limit: int) -> int:
    """Where a heading that starts at `start` ends: the line end for a heading line of its own,
    else the first sentence end (。！？), or `limit` (the next heading), whichever comes first."""
    text = body.text
    end = body.line_end(start, limit)
    for pos in range(start, end):
        if text[pos] in _END:
            return pos
    return end


HEADING_RUN_ON = 40  # a heading sentence longer than this is cut at a clause end …
HEADING_MIN_RUN = 4  # … the first one after at least this many characters
_CLAUSE_END = re.compile(r"[，；：;]|(?<!\d)[,:](?!\d)")  # not the comma in 1,234


@dataclass
class _Heading:
    text: str
    end: int  # body offset where the heading's sentence (or line) ends
    full: str | None = None  # the whole sentence, when `text` is cut short of it


def _heading(body: BodyText, marker: _Marker, limit: int, item_end: int, para: bool) -> _Heading:
    """A section's heading (`limit`: the first child marker or the item's end)."""
    text = body.text
    start = marker.end
    head_end = _heading_end(body, start, limit)
    heading = text[start:head_end].strip().rstrip(_TRAILING).strip()
    if not heading and not para and text[head_end:head_end + 1] == "\n":
        # the marker stands alone on its line ("第一，" then the text): the heading is the
        # first sentence of the next line
        start = head_end + 1
        head_end = _heading_end(body, start, item_end)
        heading = text[start:head_end].strip().rstrip(_TRAILING).strip()
    if para:
        return _Heading(text[marker.start:head_end].rstrip(_TRAILING), head_end)
    own_line = marker.line_start and start == marker.end and body.line_end(head_end) == head_end
    if own_line or len(heading) <= HEADING_RUN_ON:
        return _Heading(heading, head_end)
    # an inline heading with no sentence end soon (a one-line text): cut at the first clause end
    # (past a lead-in such as 更重要的是)
    cut = _cut(heading, 1)
    two = _cut(heading, 2)
    if _LEAD_IN.search(cut) or _paired(cut, two):
        cut = two
    return _Heading(heading, head_end) if cut == heading else _Heading(cut, head_end, heading)


# A clause that only leads in: 更重要的是 / 总的来看 / 在管理方式上 / 对原材料、燃料等重要生产资料
_LEAD_IN = re.compile(
    r"(的是|来说|来看|而言|看来|^同时|^此外|^其中|^另一方面|^一方面)$|^(在|对|对于|通过|随着|为了|根据|按照|从|关于|由于|经过|鉴于)"
)


PAIRED_CLAUSE_MAX = 12  # 提高政治站位，时刻保持清醒: two clauses of one length make one heading


def _paired(first: str, two: str) -> bool:
    second = two[len(first) + 1:]
    return len(first) == len(second) <= PAIRED_CLAUSE_MAX


def _cut(sentence: str, clauses: int) -> str:
    """`sentence` up to the end of its n-th clause (counted from HEADING_MIN_RUN on), or whole."""
    ends = [m.start() for m in _CLAUSE_END.finditer(sentence, HEADING_MIN_RUN) if not _inside_quotes(sentence, m.start())]
    if len(ends) < clauses:
        return sentence
    return sentence[: ends[clauses - 1]].rstrip(_TRAILING).strip()


def _inside_quotes(text: str, pos: int) -> bool:
    return text.count("“", 0, pos) > text.count("”", 0, pos)


def _tell_siblings_apart(sections: list[Section]) -> None:
    """Siblings whose cut headings came out the same (贯彻“三个代表”重要思想，必须… ×3) share a
    lead: each keeps one more clause of its sentence, until they differ or run out."""
    for clauses in range(2, 5):
        seen: dict[str, int] = defaultdict(int)
        for section in sections:
            seen[section.heading] += 1
        alike = [s for s in sections if s.heading_full and seen[s.heading] > 1]
        if not alike:
            return
        for section in alike:
            section.heading = _cut(section.heading_full, clauses)
            if section.heading == section.heading_full:
                section.heading_full = None


def build_tree(body: BodyText, markers: list[_Marker], start: int, end: int, level: int) -> list[Section]:
    """The sections whose markers lie in [start, end) of the body, at `level` and below.
    `markers` is in text order."""
    text = body.text
    starts = [m.start for m in markers]
    inside = markers[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]
    runs = _runs(inside)
    run = _choose_run(runs, body, end)
    if run is None:
        return []
    group = _sibling_runs(run, runs, body)
    run_markers = [m for r in group for m in r.markers]
    item_ends = [m.start for m in run_markers[1:]] + [group[-1].last_item_end(body, end)]
    inside_starts = [m.start for m in inside]
    sections: list[Section] = []
    for marker, item_end in zip(run_markers, item_ends):
        child_markers = inside[bisect.bisect_right(inside_starts, marker.start):bisect.bisect_left(inside_starts, item_end)]
        next_child = next((m.start for m in child_markers if m.start > marker.end), item_end)
        heading = _heading(body, marker, min(next_child, item_end), item_end, run.style == "para")
        section = Section(
            level=level,
            number=marker.number,
            marker="" if run.style == "para" else text[marker.start:marker.end].strip(),
            heading=heading.text,
            line=body.line(marker.start),
            body=text[heading.end:item_end].lstrip("。！？!? \n").strip(),
            heading_full=heading.full,
            at=marker.start,
        )
        section.children = build_tree(body, child_markers, heading.end, item_end, level + 1)
        sections.append(section)
    _tell_siblings_apart(sections)
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
                at=offsets[k],
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
        return _closing_sentence(text, max(s.at for s in iter_sections(sections)))
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


_SENTENCE_START = re.compile(r"[。！？!?][”’」』]?")


def _closing_sentence(text: str, last_heading: int) -> int | None:
    """No paragraph after the last heading's (a one-line text): the first sentence after that
    heading that opens with a closing cue."""
    for end in _SENTENCE_START.finditer(text, last_heading):
        if _CLOSING_CUE.match(text, end.end()):
            return end.end()
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
