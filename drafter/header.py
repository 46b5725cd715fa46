"""The header of a speech: title, speaker, date, occasion and salutation, and where the body starts.

The header is read piece by piece from the top. A piece is a line, or a part of a line that holds
a glued header (text pasted from the web: "在…座谈会上的讲话（2018年2月12日）习近平同志们：…" is
cut into title, date, speaker and salutation, and the body starts after them). Each piece is
classified by a small test (a date, a subtitle, an editorial note, a person, a title line, a
salutation) and the scan stops at the first piece that is none of these.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from drafter.document import Document
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


OPENING_SENTENCES = 3  # the opening sentences that may name the meeting
_NOW = re.compile("今天|今日|这次|本次|此次|这一次")
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")


def occasion_in_opening(opening: str) -> str | None:
    """The meeting a speech names in its first sentences when its title does not: "今天，我们召开
    科学家座谈会", "这次会议的主要任务是", "今天的座谈会". Only a sentence about this meeting
    (今天 / 这次 …) counts, so "党的十一届三中全会召开以来" names none; a bare 大会 or 会议 there
    takes the fuller name the other first sentences give it (…第十四次全国代表大会…。这次大会…)."""
    sentences = [m.group(0) for m in itertools.islice(_SENTENCE.finditer(opening), OPENING_SENTENCES)]
    for sentence in sentences:
        if not _NOW.search(sentence):
            continue
        found = _OCCASION_RE.findall(sentence)
        if found:
            occasion = max(found, key=len)
            fuller = [t for s in sentences for t in _OCCASION_RE.findall(s) if t.endswith(occasion)]
            return max(fuller, key=len)
    return None


# ---------------------------------------------------------------------------
# Line classifiers

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
    return len(line) <= DATE_LINE_MAX and bool(_DATE.search(line))


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
# Glued headers: one line that holds title, （date）, speaker and salutation, and the body after

_SPEECH_WORDS_LONGEST = "|".join(sorted(_SPEECH_WORDS.split("|"), key=len, reverse=True))
_NO_SENTENCE = "^。！？!?；;：:（()）"
# "在打好精准脱贫攻坚战座谈会上的讲话", "习近平在…上的讲话", "决胜…——在…大会上的报告"
_GLUED_SPEECH_TITLE = re.compile(  # news sites also write "习近平：在…上的讲话"
    rf"(?:[\u4e00-\u9fff·]{{2,12}}[：:])?[{_NO_SENTENCE}]{{0,60}}?在[{_NO_SENTENCE}，,]{{2,50}}?(?:上|时|中|期间)的(?:{_SPEECH_WORDS_LONGEST})"
)
_PAREN_DATE = re.compile(rf"[（(][^（）()\n]{{0,40}}?(?:{_DATE.pattern})[^（）()\n]{{0,40}}?[）)]")
# "政府工作报告（2024年3月5日在…上）": a title ended by its date in brackets
_TITLE_BEFORE_DATE = re.compile(rf"[{_NO_SENTENCE}]{{4,80}}?(?={_PAREN_DATE.pattern})")
_ADDRESS = r"(?:同志们|朋友们|女士们|先生们|同学们|老师们|代表们|大家好|各位[\u4e00-\u9fff]{1,6}?|尊敬的[^。！？!?；;：:\n]{1,30}?)"
# "同志们：", "同志们，朋友们：", "各位专家，大家好！", "尊敬的各位来宾："
_GLUED_SALUTATION = re.compile(rf"(?:{_ADDRESS}[，,、])*{_ADDRESS}[！!：:，,]")
# "——2024年3月5日在第十四届全国人民代表大会第二次会议上", "——在…上的报告",
# or with no dash: "政府工作报告1957年6月26日在第一届全国人民代表大会第四次会议上"
_GLUED_SUBTITLE = re.compile(
    rf"(?:——[{_NO_SENTENCE}]{{0,20}}?|(?:{_DATE.pattern}))在[{_NO_SENTENCE}，,]{{2,50}}?(?:上|时)(?:的(?:{_SPEECH_WORDS_LONGEST}))?"
)
_TITLE_BEFORE_SUBTITLE = re.compile(rf"[{_NO_SENTENCE}—]{{2,60}}?(?={_GLUED_SUBTITLE.pattern})")
# after the title, a date with no brackets: "…的讲话2018年2月12日习近平…" (not "…，" that opens a sentence)
_BARE_DATE = re.compile(rf"(?:{_DATE.pattern})(?![，,、在])")
_PERSON_CHARS = re.compile(r"[\u4e00-\u9fff·、]")
# What a speech body opens with: never part of a speaker's name glued before it.
_BODY_OPENERS = (
    "今天", "现在", "这次", "本次", "此次", "今年", "去年", "近年", "近来", "当前", "目前", "过去", "一年来", "党的", "在", "我", "大家",
    "刚才", "首先", "根据", "按照", "为了", "为", "经", "受", "这", "同志", "各位", "非常", "很", "今", "从", "自", "中国", "全国", "新中国",
    "新时代", "改革", "当今", "关于", "对于", "随着", "由于", "近期", "上午", "下午", "金秋", "春", "夏", "秋", "冬", "一",
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐", "端木", "申屠")
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白"
    "邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝"
    "包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫"
    "费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝习栗鄂禹"
)
SPEAKER_NAME_MAX = 4  # characters of a name glued straight to the body


@dataclass(frozen=True)
class _Piece:
    """A stretch of a header line: a whole line, or one part of a glued header."""

    text: str
    pos: LinePos
    kind: str = ""  # "title", "subtitle", "date", "speaker", "salutation" when the split tells; "" for a whole line or the rest


def header_pieces(lines: list[str]) -> list[_Piece]:
    """The first lines, with glued headers taken apart into pieces."""
    pieces: list[_Piece] = []
    title_seen = False
    for index, line in enumerate(lines[:HEADER_MAX_LINES]):
        column = 0
        for kind, end in _split_glued(line, title_seen):
            pieces.append(_Piece(line[column:end], LinePos(index, column), kind))
            column = end
        if column < len(line):
            pieces.append(_Piece(line[column:], LinePos(index, column)))
        title_seen = title_seen or any(p.kind == "title" or (not p.kind and _looks_like_title_line(p.text)) for p in pieces)
    return pieces


def _split_glued(line: str, title_seen: bool) -> list[tuple[str, int]]:
    """Where a line holding a glued header is cut: (kind, end) of each header part."""
    cuts: list[tuple[str, int]] = []
    pos = 0
    if not title_seen and not _PAREN_DATE.match(line):  # a date may open an untitled header
        title = _GLUED_SPEECH_TITLE.match(line) or _TITLE_BEFORE_DATE.match(line) or _TITLE_BEFORE_SUBTITLE.match(line)
        if not title or not _header_follows(line, title.end()):
            return []
        cuts.append(("title", title.end()))
        pos, title_seen = title.end(), True
        subtitle = _GLUED_SUBTITLE.match(line, pos)
        if subtitle and _header_follows(line, subtitle.end()):
            pos = subtitle.end()
            cuts.append(("subtitle", pos))
    title_seen = True
    speaker_done = False
    while pos < len(line):
        date = _PAREN_DATE.match(line, pos) or (_BARE_DATE.match(line, pos) if cuts else None)
        salutation = _GLUED_SALUTATION.match(line, pos) if cuts else None
        length = None if date or salutation or speaker_done or not title_seen else _speaker_length(line, pos, follows_header=bool(cuts))
        if date:
            pos = date.end()
            cuts.append(("date", pos))
        elif salutation:
            cuts.append(("salutation", salutation.end()))
            break
        elif length:
            pos += length
            cuts.append(("speaker", pos))
            speaker_done = True
        else:
            break
    return cuts


def _header_follows(line: str, pos: int) -> bool:
    """After a title glued to what follows: a date, a salutation, a speaker, or a body long enough
    not to be part of the title."""
    rest = line[pos:]
    return (
        len(rest) > GLUED_BODY_MIN
        or bool(_PAREN_DATE.match(line, pos) or _GLUED_SALUTATION.match(line, pos) or _GLUED_SUBTITLE.match(line, pos))
        or 2 <= len(rest) <= PERSON_LINE_MAX and all(_PERSON_CHARS.match(ch) for ch in rest)
    )


def _speaker_length(line: str, pos: int, follows_header: bool) -> int | None:
    """The length of a speaker's name (with a post before it: 国务院总理李强) at `pos`: up to a
    (date) or salutation after it, or to the line's end; glued straight to the body, a name of
    two to four characters that starts with a surname (only right after other header parts)."""
    if not _PERSON_CHARS.match(line, pos) or line.startswith(SALUTATION_STARTS, pos):
        return None
    for k in range(2, PERSON_LINE_MAX + 1):
        if pos + k > len(line) or not _PERSON_CHARS.match(line, pos + k - 1):
            break
        end = pos + k
        # a whole short line is left to the line scan, which knows whether a name is due there
        # (a second title line such as 为全面建成小康社会而奋斗 is no speaker)
        if (end == len(line) and follows_header) or _PAREN_DATE.match(line, end) or _GLUED_SALUTATION.match(line, end):
            return k
    if not follows_header or line.startswith(_BODY_OPENERS, pos):
        return None
    compound = line.startswith(_COMPOUND_SURNAMES, pos)
    if not compound and line[pos] not in _SURNAMES:
        return None
    name = SPEAKER_NAME_MAX if compound else SPEAKER_NAME_MAX - 1
    if line.startswith(_BODY_OPENERS, pos + name - 1):
        name -= 1  # a two-character name: 李强今天…
    if len(line) - pos <= name or not all(_PERSON_CHARS.match(ch) for ch in line[pos:pos + name]):
        return None
    return name


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
        return False
    else:
        return _take_title_or_person(scan, line)
    return True


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


def _scan_pieces(pieces: list[_Piece]) -> tuple[_Scan, int]:
    """The header pieces at the top and the index of the first piece after them."""
    scan = _Scan()
    k = 0
    while k < len(pieces):
        piece = pieces[k]
        if piece.kind == "salutation" or is_salutation(piece.text) or not _take_piece(scan, piece):
            break
        k += 1
    if scan.title_parts and len("".join(scan.title_parts)) > TITLE_MAX:
        scan.title_parts, k = [], 0  # not a title: a long unpunctuated opening
    return scan, k


def _take_piece(scan: _Scan, piece: _Piece) -> bool:
    if piece.kind == "title":
        scan.title_parts.append(piece.text)
    elif piece.kind == "date":
        scan.note_date(piece.text)
    elif piece.kind == "speaker":
        scan.people.append(piece.text)
    elif piece.kind == "subtitle":
        scan.subtitle = piece.text.lstrip("—－- ")
        scan.note_date(scan.subtitle)
    else:
        return _take_line(scan, piece.text)
    return True


def _speaker(scan: _Scan, title_hint: str | None) -> str | None:
    if scan.people:
        return "".join(scan.people)
    match = _TITLE_MEETING.match(scan.title_parts[0] if scan.title_parts else (title_hint or ""))
    if match and 2 <= len(match.group("speaker")) <= 16:
        return match.group("speaker").strip("：:，, ")
    return None


def parse_header(doc: Document) -> Header:
    lines = doc.lines
    pieces = header_pieces(lines)
    scan, k = _scan_pieces(pieces)
    title = "".join(scan.title_parts) if len(scan.title_parts) <= 1 else " ".join(scan.title_parts)
    if scan.subtitle:
        title = f"{title}——{scan.subtitle}" if title else scan.subtitle
    title = title or doc.title_hint
    header = Header(
        title=title or None,
        speaker=_speaker(scan, doc.title_hint),
        date=scan.date or date_in_text(title or "") or (date_in_text(doc.title_hint) if doc.title_hint else None),
        occasion=occasion_in_text(scan.subtitle, title, doc.title_hint),
        body=pieces[k].pos if k < len(pieces) else LinePos(min(len(lines), HEADER_MAX_LINES)),
    )
    if k < len(pieces):
        piece = pieces[k]
        whole = piece.kind == "salutation" or (piece.pos.column == 0 and is_salutation(piece.text))
        inline = None if whole else _INLINE_SALUTATION.match(piece.text)
        if whole or inline:
            header.salutation = piece.text if whole else inline.group(0)
            end = piece.pos.column + len(header.salutation)
            header.body = LinePos(piece.pos.index, end) if end < len(lines[piece.pos.index]) else LinePos(piece.pos.index + 1)
    return header
