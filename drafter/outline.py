"""Stage 2: a clean Document in, its Outline out (title, speaker, date, occasion, salutation,
opening, section tree, closing).

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

from drafter.corpus import Document


@dataclass
class Section:
    level: int  # depth, 1 = top
    number: int  # position in its numbering sequence, 1-based
    marker: str  # the numbering as written: "一、", "（一）", "第一，", "一要", "一是", "第一个问题："
    heading: str  # heading text without marker and trailing punctuation (inline: up to the first 。！？)
    line: int  # 1-based line in the original file
    children: list["Section"] = field(default_factory=list)
    body: str = ""  # the text the heading introduces, up to the next heading of its level or above


@dataclass
class Outline:
    source: str
    title: str | None
    speaker: str | None
    date: str | None  # YYYY-MM-DD
    occasion: str | None
    salutation: str | None
    opening: str
    sections: list[Section]
    closing: str
    opening_line: int | None = None  # original line of the opening's first sentence
    closing_line: int | None = None


def section_to_dict(section: Section) -> dict:
    return {
        "level": section.level,
        "number": section.number,
        "marker": section.marker,
        "heading": section.heading,
        "line": section.line,
        "children": [section_to_dict(child) for child in section.children],
    }


def outline_to_dict(outline: Outline) -> dict:
    return {
        "source": outline.source,
        "title": outline.title,
        "speaker": outline.speaker,
        "date": outline.date,
        "occasion": outline.occasion,
        "salutation": outline.salutation,
        "opening": outline.opening,
        "sections": [section_to_dict(s) for s in outline.sections],
        "closing": outline.closing,
    }


def iter_sections(sections: list[Section]):
    """Every section of a tree, depth first, in document order."""
    for section in sections:
        yield section
        yield from iter_sections(section.children)


# ---------------------------------------------------------------------------
# Numerals and dates

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = "一二三四五六七八九十"


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 九十九 → 99; also plain digits."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


_DATE = re.compile(
    r"(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*"
    r"(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)


def parse_date(text: str) -> str | None:
    """The first full date in `text` as YYYY-MM-DD (Arabic or Chinese numerals)."""
    for match in _DATE.finditer(text):
        year_text, month_text, day_text = match.groups()
        year = int(year_text) if year_text.isdigit() else int("".join(str(_CN_DIGITS[c]) for c in year_text))
        month, day = cn_number(month_text), cn_number(day_text)
        if month and day and 1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= 2100:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


# ---------------------------------------------------------------------------
# Title, speaker, occasion, salutation

# Meeting types, most specific first where one contains another.
OCCASIONS = (
    "全国人民代表大会", "人民代表大会", "全国代表大会", "代表大会", "警示教育大会", "警示教育会", "廉政谈话", "集体廉政谈话",
    "集体约谈", "约谈会", "组织生活会", "民主生活会", "专题党课", "党课", "座谈会", "表彰大会", "表彰会",
    "工作会议", "工作部署会", "部署会", "动员大会", "动员会", "推进会", "现场会", "务虚会", "全体会议", "常务会议",
    "全会", "培训班", "开班式", "结业式", "报告会", "研讨会", "誓师大会", "纪念大会", "庆祝大会", "联席会议",
    "专题会议", "调度会", "汇报会", "述职会", "总结会", "交流会", "大会", "会议",
)
_OCCASION_RE = re.compile("|".join(sorted(map(re.escape, OCCASIONS), key=len, reverse=True)))
_SPEECH_WORDS = r"讲话|报告|发言|致辞|讲稿|党课|讲话提纲|总结讲话|主持词|谈话"
_TITLE_MEETING = re.compile(rf"^(?P<speaker>.{{0,16}}?)在(?P<meeting>.+?)(?:上|时|中|期间)的(?:{_SPEECH_WORDS})")
_TITLE_THEN_BODY = re.compile(rf"^(.{{0,30}}?在[^，。！？；：]{{2,40}}?(?:上|时)的(?:{_SPEECH_WORDS}))")
_GLUED_TITLE = re.compile(
    rf"^(?P<title>.+?(?:{_SPEECH_WORDS}))[（(](?P<date>[^（）()]*?\d{{1,2}}\s*日|[^（）()]*?日)[）)](?P<speaker>[\u4e00-\u9fff·]{{2,8}})?$"
)
_SALUTATION_START = re.compile(r"^(尊敬的|亲爱的|同志们|各位|女士们|先生们|朋友们|代表们|老师们|同学们|大家好)")
_CLOSING_CUE = re.compile(  # used with .match(text, pos): no "^"
    r"(同志们[，！!]|同志们、朋友们|总之|总而言之|一言以蔽之|综上所述|最后，|最后,|我的讲话(就)?(到此|完了|结束)|我就讲(这些|这么多)|"
    r"以上(是|就是)|谢谢大家|让我们|各位代表[，！!]|在此，)"
)
_CLOSING_ANYWHERE = re.compile(r"谢谢大家|讲话完了|讲到这里|就讲这些|批评指正")
_END = "。！？!?"


def find_occasion(*texts: str | None) -> str | None:
    """The meeting type named in a title or subtitle, as written: the longest known type."""
    for text in texts:
        if not text:
            continue
        match = _TITLE_MEETING.search(text)
        scope = match.group("meeting") if match else text
        found = _OCCASION_RE.findall(scope)
        if found:
            return max(found, key=len)
    return None


def _is_salutation(line: str) -> bool:
    """A line of address: "同志们：", "各位代表！", "尊敬的各位来宾，女士们，先生们："."""
    return (
        len(line) <= 40
        and bool(_SALUTATION_START.match(line))
        and line[-1] in "：:！!，,"
        and not any(ch in line for ch in "。？?；;")
    )


@dataclass
class _Header:
    title: str | None = None
    speaker: str | None = None
    date: str | None = None
    occasion: str | None = None
    salutation: str | None = None
    body_start: int = 0  # index of the first body line
    salutation_prefix: int = 0  # characters of the first body line taken by an inline salutation


def _looks_like_title_line(line: str) -> bool:
    return (
        len(line) <= 70
        and line[-1] not in _END + "；;，,"
        and not _MARKER_AT_START.match(line)
        and not _BARE_NUMERAL_LINE.fullmatch(line)
    )


def _parse_header(doc: Document) -> _Header:
    lines = doc.lines
    header = _Header()
    title_parts: list[str] = []
    subtitle = ""
    people: list[str] = []
    index = 0
    while index < min(len(lines), 10):
        line = lines[index]
        if _is_salutation(line):
            break
        bare = line.strip("（）()[]【】")
        if _DATE.search(line) and len(line) <= 24:  # "（2017年10月18日）", "2018年2月12日"
            header.date = header.date or parse_date(line)
            index += 1
            continue
        if line.startswith(("——", "—", "--", "－－")) or (_DATE.match(line) and "在" in line):
            subtitle = line.lstrip("—－- ")
            header.date = header.date or parse_date(subtitle)
            index += 1
            continue
        if line[0] in "（(" and line[-1] in "）)" and len(line) <= 60:  # editorial note: "(译自…俄文稿)"
            index += 1
            continue
        if not _looks_like_title_line(line):
            glued_body = _TITLE_THEN_BODY.match(line) if not title_parts and not people else None
            if glued_body and len(line) - glued_body.end() > 20:
                # no line breaks at all: "在…上的讲话同志们：今天…"
                title_parts.append(glued_body.group(1))
                header.salutation_prefix = glued_body.end()
            break
        glued = _GLUED_TITLE.match(line)
        if glued:
            title_parts.append(glued.group("title"))
            header.date = header.date or parse_date(glued.group("date"))
            if glued.group("speaker"):
                people.append(glued.group("speaker"))
            index += 1
            continue
        if (subtitle or header.date or title_parts and re.search(f"({_SPEECH_WORDS})$", title_parts[-1])) and len(bare) <= 12:
            people.append(bare)  # "国务院总理" / "李强" under the title
        elif people:
            break
        else:
            title_parts.append(line)
        index += 1
    if title_parts and len("".join(title_parts)) > 80:
        title_parts, index = [], 0  # not a title: a long unpunctuated opening
    header.body_start = index
    title_split = header.salutation_prefix  # characters of the first body line that were the title
    title = "".join(title_parts) if len(title_parts) <= 1 else " ".join(title_parts)
    if subtitle:
        title = f"{title}——{subtitle}" if title else subtitle
    title = title or doc.title_hint
    header.title = title or None
    header.occasion = find_occasion(subtitle, title, doc.title_hint)
    if header.date is None:
        header.date = parse_date(title or "") or (parse_date(doc.title_hint) if doc.title_hint else None)
    speaker_source = title_parts[0] if title_parts else (doc.title_hint or "")
    match = _TITLE_MEETING.match(speaker_source)
    if people:
        header.speaker = "".join(people)
    elif match and 2 <= len(match.group("speaker")) <= 16:
        header.speaker = match.group("speaker").strip("：:，, ")
    if index < len(lines):
        first = lines[index][title_split:]
        if _is_salutation(first) and not title_split:
            header.salutation = first
            header.body_start = index + 1
        else:
            inline = re.match(r"^(同志们|各位代表|同志们、朋友们|女士们、先生们|各位领导、同志们)[，,！!：:]", first)
            if inline:
                header.salutation = inline.group(0)
                header.salutation_prefix = title_split + inline.end()
    return header


# ---------------------------------------------------------------------------
# Heading markers

_CN = "一二三四五六七八九十"
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
    ("circled", 6, re.compile(r"([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*")),
    ("cn_bare", 0, re.compile(rf"([{_CN}]{{1,3}})[ \t]*(?=\n|\Z)")),  # a numeral alone on its line
]
_RANK = {style: rank for style, rank, _ in _STYLES}
_SEQ_NUMBERS = {"首先": 1, "其次": 2, "再次": 3}
_BOUNDARY = "\n。！？；：!?;:"
_BOUNDARY_CHAR = re.compile(f"[{_BOUNDARY}]")
# the characters a marker (or an unnumbered 要-point) can start with, besides digits
_MARKER_FIRST = set(_CN + "第（(首其再最要①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")
_BARE_NUMERAL_LINE = re.compile(rf"[{_CN}]{{1,3}}\s*")  # "一" alone on its line: a section mark, not a title
_MARKER_AT_START = re.compile("|".join(f"(?:{p.pattern})" for _, _, p in _STYLES[:3]))
# Unnumbered parallel points: short "要…。" sentences opening paragraphs or following a sentence end.
_PARALLEL_POINT = re.compile(r"要[^，。；！？,;!?\n]{2,16}[。！!]")


@dataclass
class _Marker:
    style: str
    number: int  # 0 for "最后" (continues whatever run it closes)
    start: int  # offset of the marker in the body text
    end: int  # offset just after the marker
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
        end = text.find("\n", last)
        end = span_end if end < 0 else min(end, span_end)
        if self.clause_level(text):
            stops = [text.find(ch, last) for ch in _END]
            stops = [s + 1 for s in stops if 0 <= s < end]
            if stops:
                end = min(stops)
        return end


def _find_markers(text: str) -> list[_Marker]:
    markers: list[_Marker] = []
    positions = [0] + [m.end() for m in _BOUNDARY_CHAR.finditer(text)]
    for pos in positions:
        while pos < len(text) and text[pos] in " ”’」』":  # a sentence end inside quotes: 。”二是
            pos += 1
        if pos >= len(text):
            continue
        if text[pos] not in _MARKER_FIRST and not text[pos].isdecimal():
            continue  # no marker starts here: most sentences
        line_start = pos == 0 or text[pos - 1] == "\n"
        for style, _, pattern in _STYLES:
            match = pattern.match(text, pos)
            if not match:
                continue
            token = match.group(1)
            if style == "seq":
                number = _SEQ_NUMBERS.get(token, 0)
            elif style == "circled":
                number = ord(token) - ord("①") + 1
            else:
                number = cn_number(token) or 0
                if number == 0:
                    continue
            if style == "cn_bare" and not line_start:
                continue
            if style == "di" and text.startswith(("一个", "一次", "一位", "一批", "一线"), match.start(1)):
                continue
            markers.append(_Marker(style, number, match.start(), match.end(), line_start))
            break
        else:
            for match in [_PARALLEL_POINT.match(text, pos)]:
                if match:
                    markers.append(_Marker("para", 0, match.start(), match.start(), line_start))
    return markers


def _runs(markers: list[_Marker]) -> list[_Run]:
    """Runs that count up from one, per style; stray markers that break the count are dropped."""
    by_style: dict[str, list[_Marker]] = {}
    for marker in markers:
        by_style.setdefault(marker.style, []).append(marker)
    runs: list[_Run] = []
    for style, items in by_style.items():
        if style == "para":
            runs.extend(_parallel_runs(items))
            continue
        current: list[_Marker] = []
        for marker in items:
            if current and (marker.number == current[-1].number + 1 or (style == "seq" and marker.number == 0 and len(current) >= 2)):
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


def _heading_end(text: str, marker: _Marker, limit: int) -> int:
    """Where a heading's text ends: the line end for a heading line of its own, else the first
    sentence end (。！？), or the next heading, whichever comes first."""
    end = text.find("\n", marker.end)
    end = len(text) if end < 0 else end
    end = min(end, limit)
    for pos in range(marker.end, end):
        if text[pos] in _END:
            return pos
    return end


_TRAILING = "，,。；;：:、！!？? "


def _build(text: str, markers: list[_Marker], start: int, end: int, level: int, to_line) -> list[Section]:
    inside = [m for m in markers if start <= m.start < end]
    runs = _runs(inside)
    run = _choose_run(runs, text, end)
    if run is None:
        return []
    group = _sibling_runs(run, runs, text)
    run_markers = [m for r in group for m in r.markers]
    sections: list[Section] = []
    starts = [m.start for m in run_markers] + [group[-1].last_item_end(text, end)]
    for i, marker in enumerate(run_markers):
        item_end = starts[i + 1]
        child_markers = [m for m in inside if marker.start < m.start < item_end]
        head_end = _heading_end(text, marker, min([m.start for m in child_markers if m.start > marker.end] + [item_end]))
        heading = text[marker.end:head_end].strip().rstrip(_TRAILING).strip()
        if not heading and run.style != "para" and text[head_end:head_end + 1] == "\n":
            # the marker stands alone on its line ("第一，" then the text): the heading is the
            # first sentence of the next line
            next_marker = _Marker(marker.style, marker.number, head_end + 1, head_end + 1, True)
            head_end = _heading_end(text, next_marker, item_end)
            heading = text[next_marker.end:head_end].strip().rstrip(_TRAILING).strip()
        if run.style == "para":
            marker_text = ""
            heading = text[marker.start:head_end].rstrip(_TRAILING)
        else:
            marker_text = text[marker.start:marker.end].strip()
        section = Section(
            level=level,
            number=marker.number,
            marker=marker_text,
            heading=heading,
            line=to_line(marker.start),
            body=text[head_end:item_end].lstrip("。！？!? \n").strip(),
        )
        section.children = _build(text, child_markers, head_end, item_end, level + 1, to_line)
        sections.append(section)
    return sections


# ---------------------------------------------------------------------------


def parse_outline(doc: Document) -> Outline:
    header = _parse_header(doc)
    body_lines = doc.lines[header.body_start:]
    body_numbers = doc.line_numbers[header.body_start:]
    if body_lines and header.salutation_prefix:
        body_lines = [body_lines[0][header.salutation_prefix:].lstrip()] + body_lines[1:]
    text = "\n".join(body_lines)
    line_offsets = [0]
    for line in body_lines[:-1]:
        line_offsets.append(line_offsets[-1] + len(line) + 1)

    def to_line(offset: int) -> int:
        if not body_numbers:
            return 0
        k = bisect.bisect_right(line_offsets, offset) - 1
        within = offset - line_offsets[k] + (header.salutation_prefix if k == 0 else 0)
        return doc.line_of(header.body_start + k, within) if doc.joins else body_numbers[k]

    markers = _find_markers(text)
    sections = _build(text, markers, 0, len(text), 1, to_line)
    if sections:
        first = min(m.start for m in markers if to_line(m.start) == sections[0].line and text[m.start:].startswith(sections[0].marker or sections[0].heading[:2]))
    else:
        sections, first = _unnumbered_parts(body_lines, line_offsets, text, to_line)

    if sections:
        opening = text[:first].strip()
        closing_start = _closing_start(text, sections, line_offsets, to_line)
        closing = text[closing_start:].strip() if closing_start is not None else ""
        if closing_start is not None:
            _trim_last(sections, closing_start, text)
    else:
        opening, closing, closing_start = text.strip(), "", None

    return Outline(
        source=doc.source,
        title=header.title,
        speaker=header.speaker,
        date=header.date,
        occasion=header.occasion,
        salutation=header.salutation,
        opening=opening,
        sections=sections,
        closing=closing,
        opening_line=body_numbers[0] if opening and body_numbers else None,
        closing_line=to_line(closing_start) if closing_start is not None else None,
    )


_NOT_A_PART_TITLE_END = "。！？!?；;：:，,、…”’）)"


def _unnumbered_parts(lines: list[str], offsets: list[int], text: str, to_line) -> tuple[list[Section], int]:
    """Part titles without numbers, asked for only when a speech has no numbering at all: short
    lines of their own, each followed by a long paragraph, that open alike (关于九大路线 /
    关于粉碎林彪反党集团的胜利 / 关于形势和任务)."""
    titles: dict[str, list[int]] = defaultdict(list)
    for k, line in enumerate(lines[:-1]):
        if 4 <= len(line) <= 24 and line[-1] not in _NOT_A_PART_TITLE_END and line[0] not in "“‘《（(" and len(lines[k + 1]) >= 30:
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
                line=to_line(offsets[k]),
                body=text[offsets[k] + len(lines[k]):end].strip(),
            )
        )
    return sections, offsets[parallel[0]]


def _closing_start(text: str, sections: list[Section], line_offsets: list[int], to_line) -> int | None:
    """Where the closing begins: the first paragraph after the last heading that opens with a
    closing cue (总之 / 同志们， / 我的讲话完了 …); failing that, paragraphs beyond the length the
    other top-level sections have, when the speech ends with a thank-you or a wrap-up."""
    last_line = max(s.line for s in iter_sections(sections))
    offsets_after = [o for o in line_offsets if o < len(text)]
    paragraph_starts = [o for o in offsets_after if _line_at(line_offsets, o, to_line) > last_line]
    for offset in paragraph_starts:
        if _CLOSING_CUE.match(text, offset):
            return offset
    if not paragraph_starts:
        return None
    # Sections of one paragraph each (heading and text on one line), then more paragraphs:
    # the extra ones are the closing.
    top = sections
    lines_per_section = []
    for a, b in zip(top, top[1:]):
        lines_per_section.append(sum(1 for o in line_offsets if a.line <= _line_at(line_offsets, o, to_line) < b.line))
    if lines_per_section and max(lines_per_section) <= 2:
        typical = max(lines_per_section)
        last_section_lines = [o for o in line_offsets if _line_at(line_offsets, o, to_line) >= top[-1].line]
        if len(last_section_lines) > typical:
            return last_section_lines[typical]
    last = paragraph_starts[-1]
    if _CLOSING_ANYWHERE.search(text, last):
        return last
    return None


def _line_at(line_offsets: list[int], offset: int, to_line) -> int:
    return to_line(offset)


def _trim_last(sections: list[Section], closing_start: int, text: str) -> None:
    """The closing is not part of the last section's body."""
    closing = text[closing_start:].strip()
    node = sections[-1]
    while True:
        if closing and node.body.endswith(closing):
            node.body = node.body[: -len(closing)].rstrip()
        if not node.children:
            break
        node = node.children[-1]


# ---------------------------------------------------------------------------


def render_outline_text(outline: Outline) -> str:
    """An indented tree a person can read in a terminal."""
    out: list[str] = []
    out.append(f"标题：{outline.title or '（未识别）'}")
    facts = [
        ("讲话人", outline.speaker),
        ("日期", outline.date),
        ("会议类型", outline.occasion),
        ("称呼语", outline.salutation),
    ]
    for label, value in facts:
        if value:
            out.append(f"{label}：{value}")
    if outline.opening:
        out.append(f"开头：{_gist(outline.opening)}")
    if outline.sections:
        out.append("结构：")
        for section in iter_sections(outline.sections):
            indent = "  " * section.level
            marker = section.marker or "·"
            if marker[-1] in _CN:  # a bare numeral ("一" alone on its line in the source)
                marker += " "
            out.append(f"{indent}{marker}{section.heading}  （第 {section.line} 行）")
    else:
        out.append("结构：未发现编号标题")
    if outline.closing:
        out.append(f"结尾：{_gist(outline.closing)}")
    out.append(f"来源：{outline.source}")
    return "\n".join(out)


def _gist(text: str, width: int = 60) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[:width] + "…"
