"""The header of a speech: title, speaker, date, occasion and salutation, and where the body starts.

The header is read line by line from the top; each line is classified by a small test (a date
line, a subtitle, an editorial note, a person, a title line, a salutation) and the scan stops at
the first line that is none of these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from drafter.corpus import Document
from drafter.genre import CN_DIGITS, MEETING_TYPES, SALUTATION_STARTS, cn_to_int
from drafter.sections import is_bare_numeral, starts_with_marker
from drafter.textmap import LinePos

# Named thresholds (characters unless said otherwise)
HEADER_MAX_LINES = 10  # the header is found among the first lines only
DATE_LINE_MAX = 24  # "（2017年10月18日）", "2018年2月12日"
NOTE_LINE_MAX = 60  # "(译自…俄文稿)"
TITLE_LINE_MAX = 70  # a title line; longer is running text
TITLE_MAX = 80  # all title lines together; longer is a long unpunctuated opening
PERSON_LINE_MAX = 12  # "国务院总理" / "李强" under the title
GLUED_BODY_MIN = 20  # text after a title glued to the body ("在…上的讲话同志们：今天…")
SALUTATION_MAX = 40

_END = "。！？!?"

# ---------------------------------------------------------------------------
# Dates


_DATE = re.compile(
    r"(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*"
    r"(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)


def date_in_text(text: str) -> str | None:
    """The first full date in `text` as YYYY-MM-DD (Arabic or Chinese numerals)."""
    for match in _DATE.finditer(text):
        year_text, month_text, day_text = match.groups()
        year = int(year_text) if year_text.isdigit() else int("".join(str(CN_DIGITS[c]) for c in year_text))
        month, day = cn_to_int(month_text), cn_to_int(day_text)
        if month and day and 1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= 2100:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


# ---------------------------------------------------------------------------
# Occasion

_OCCASION_RE = re.compile("|".join(sorted(map(re.escape, MEETING_TYPES), key=len, reverse=True)))
_SPEECH_WORDS = r"讲话|报告|发言|致辞|讲稿|党课|讲话提纲|总结讲话|主持词|谈话"
_TITLE_MEETING = re.compile(rf"^(?P<speaker>.{{0,16}}?)在(?P<meeting>.+?)(?:上|时|中|期间)的(?:{_SPEECH_WORDS})")


def occasion_in_text(*texts: str | None) -> str | None:
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


# ---------------------------------------------------------------------------
# Line classifiers

_TITLE_THEN_BODY = re.compile(rf"^(.{{0,30}}?在[^，。！？；：]{{2,40}}?(?:上|时)的(?:{_SPEECH_WORDS}))")
_GLUED_TITLE = re.compile(
    rf"^(?P<title>.+?(?:{_SPEECH_WORDS}))[（(](?P<date>[^（）()]*?\d{{1,2}}\s*日|[^（）()]*?日)[）)](?P<speaker>[\u4e00-\u9fff·]{{2,8}})?$"
)
_ENDS_WITH_SPEECH_WORD = re.compile(f"({_SPEECH_WORDS})$")
_SALUTATION_START = re.compile("^(" + "|".join(SALUTATION_STARTS) + ")")
_INLINE_SALUTATION = re.compile(r"^(同志们|各位代表|同志们、朋友们|女士们、先生们|各位领导、同志们)[，,！!：:]")
_SUBTITLE_DASHES = ("——", "—", "--", "－－")


def is_salutation(line: str) -> bool:
    """A line of address: "同志们：", "各位代表！", "尊敬的各位来宾，女士们，先生们："."""
    return (
        len(line) <= SALUTATION_MAX
        and bool(_SALUTATION_START.match(line))
        and line[-1] in "：:！!，,"
        and not any(ch in line for ch in "。？?；;")
    )


def _is_date_line(line: str) -> bool:
    return bool(_DATE.search(line)) and len(line) <= DATE_LINE_MAX


def _is_subtitle(line: str) -> bool:
    """"——在…上的讲话", or a line that opens with a date and names a place: "2017年3月5日在…上"."""
    return line.startswith(_SUBTITLE_DASHES) or (bool(_DATE.match(line)) and "在" in line)


def _is_editorial_note(line: str) -> bool:
    return line[0] in "（(" and line[-1] in "）)" and len(line) <= NOTE_LINE_MAX


def _looks_like_title_line(line: str) -> bool:
    return (
        len(line) <= TITLE_LINE_MAX
        and line[-1] not in _END + "；;，,"
        and not starts_with_marker(line)
        and not is_bare_numeral(line)
    )


# ---------------------------------------------------------------------------
# The scan


@dataclass
class Header:
    title: str | None = None
    speaker: str | None = None
    date: str | None = None
    occasion: str | None = None
    salutation: str | None = None
    body: LinePos = LinePos(0)  # where the body starts (after an inline salutation, if any)


@dataclass
class _Scan:
    """What the line-by-line scan of the header has collected so far."""

    title_parts: list[str] = field(default_factory=list)
    subtitle: str = ""
    people: list[str] = field(default_factory=list)
    date: str | None = None
    title_cut: int = 0  # characters of the first body line that are the title glued to it

    def note_date(self, text: str) -> None:
        self.date = self.date or date_in_text(text)

    def expects_person(self) -> bool:
        """A short line here names the speaker: after a subtitle, a date, or a "…的讲话" title."""
        return bool(self.subtitle or self.date or self.title_parts and _ENDS_WITH_SPEECH_WORD.search(self.title_parts[-1]))


def _take_line(scan: _Scan, line: str) -> bool:
    """Take one header line into the scan; False when the line is no header line (body starts)."""
    if _is_date_line(line):
        scan.note_date(line)
    elif _is_subtitle(line):
        scan.subtitle = line.lstrip("—－- ")
        scan.note_date(scan.subtitle)
    elif _is_editorial_note(line):
        pass
    elif not _looks_like_title_line(line):
        _take_title_glued_to_body(scan, line)
        return False
    else:
        return _take_title_or_person(scan, line)
    return True


def _take_title_glued_to_body(scan: _Scan, line: str) -> None:
    """No line breaks at all: "在…上的讲话同志们：今天…"."""
    if scan.title_parts or scan.people:
        return
    glued = _TITLE_THEN_BODY.match(line)
    if glued and len(line) - glued.end() > GLUED_BODY_MIN:
        scan.title_parts.append(glued.group(1))
        scan.title_cut = glued.end()


def _take_title_or_person(scan: _Scan, line: str) -> bool:
    glued = _GLUED_TITLE.match(line)  # "在…上的讲话（2018年7月3日）习近平"
    if glued:
        scan.title_parts.append(glued.group("title"))
        scan.note_date(glued.group("date"))
        if glued.group("speaker"):
            scan.people.append(glued.group("speaker"))
        return True
    bare = line.strip("（）()[]【】")
    if scan.expects_person() and len(bare) <= PERSON_LINE_MAX:
        scan.people.append(bare)
    elif scan.people:
        return False
    else:
        scan.title_parts.append(line)
    return True


def _scan_lines(lines: list[str]) -> tuple[_Scan, int]:
    """The header lines at the top and the index of the first line after them."""
    scan = _Scan()
    index = 0
    while index < min(len(lines), HEADER_MAX_LINES):
        if is_salutation(lines[index]) or not _take_line(scan, lines[index]):
            break
        index += 1
    if scan.title_parts and len("".join(scan.title_parts)) > TITLE_MAX:
        scan.title_parts, index = [], 0  # not a title: a long unpunctuated opening
    return scan, index


def _speaker(scan: _Scan, title_hint: str | None) -> str | None:
    if scan.people:
        return "".join(scan.people)
    match = _TITLE_MEETING.match(scan.title_parts[0] if scan.title_parts else (title_hint or ""))
    if match and 2 <= len(match.group("speaker")) <= 16:
        return match.group("speaker").strip("：:，, ")
    return None


def parse_header(doc: Document) -> Header:
    lines = doc.lines
    scan, index = _scan_lines(lines)
    title = "".join(scan.title_parts) if len(scan.title_parts) <= 1 else " ".join(scan.title_parts)
    if scan.subtitle:
        title = f"{title}——{scan.subtitle}" if title else scan.subtitle
    title = title or doc.title_hint
    header = Header(
        title=title or None,
        speaker=_speaker(scan, doc.title_hint),
        date=scan.date or date_in_text(title or "") or (date_in_text(doc.title_hint) if doc.title_hint else None),
        occasion=occasion_in_text(scan.subtitle, title, doc.title_hint),
        body=LinePos(index, scan.title_cut),
    )
    if index < len(lines):
        first = lines[index][scan.title_cut:]
        if is_salutation(first) and not scan.title_cut:
            header.salutation = first
            header.body = LinePos(index + 1)
        else:
            inline = _INLINE_SALUTATION.match(first)
            if inline:
                header.salutation = inline.group(0)
                header.body = LinePos(index, scan.title_cut + inline.end())
    return header
