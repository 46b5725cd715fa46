"""Cleaning: the boilerplate template sites and web pages glue onto speeches goes (advert blocks,
QQ numbers, photo credits, captions and datelines, page footers, notes at the end, lines repeated
across a corpus), spaces and indents are normalised, and every clean line keeps the original line
numbers it came from."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from drafter.document import Document
from drafter.genre import CJK, MARKER_NUMERALS, SALUTATION_STARTS

_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_FULLWIDTH_ALNUM.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})
_FULLWIDTH_ALNUM.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_INVISIBLE.update(dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F], None))  # control characters
# One pass for both tables (what one deletes or yields the other leaves alone), and only on the
# rare line that holds a character of either.
_INVISIBLE_AND_FULLWIDTH = {**_INVISIBLE, **_FULLWIDTH_ALNUM}
_TO_TRANSLATE = re.compile("[" + "".join(re.escape(chr(c)) for c in _INVISIBLE_AND_FULLWIDTH) + "]")
_WHITESPACE = re.compile(r"\s")
_SPACES = re.compile(r"[ \t\u3000\u00a0\u2002\u2003\u2009\u202f\f\v]+")
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}0-9０-９，。、；：！？“”（）《》])\s+(?=[{CJK}0-9，。、；：！？“”（）《》])")
_SPACE_BETWEEN_DIGITS = re.compile(r"(?<=\d) (?=\d)")

# Advert and watermark lines from template sites. Strong signs mark a line of up to 80
# characters; weak words ("会员", "订阅", "侵权" ...) also occur in real speeches, so they only
# mark short lines that are not sentences.
_ADVERT_STRONG = re.compile(
    r"(QQ|ＱＱ|微信|VX|vx)(群|号)?\s*[:：]?\s*\d{5,}|QQ群|公众号|微信号|扫码|二维码|www\.|https?://|"
    r"整理[，,]\s*(咨询|联系|加)|咨询QQ|仅供学习|禁止外传|关注我们|下载地址|淘宝店"
)
_ADVERT_WEAK = re.compile(
    r"QQ|微信|订阅|会员|倒卖|版权所有|侵权|客服|免费(领取|赠送)|更多精彩|原创|文章来源|来源[：:]|责任编辑|编辑[：:]"
)
# The same glued into running text (a page pasted as one line): contact numbers, "…整理，咨询QQ…".
# The site's name goes too where it stands apart: after punctuation or a title's last word.
_ADVERT_INLINE = re.compile(
    rf"(?:(?:(?<=讲话|报告|致辞|发言|讲稿)|(?<![{CJK}]))[{CJK}]{{2,6}})?整理[，,]\s*(?:咨询|联系|加)[^。！？\n]{{0,12}}?\d{{5,}}"
    r"|(?:QQ|ＱＱ|微信|VX|vx)(?:群|号)?\s*[:：]?\s*\d{5,}"
)
ADVERT_ZONE = 300  # a long line opening with adverts (two signs, one strong) loses them …
ADVERT_GAP = 60  # … up to the last sign that follows the one before within this many characters
_ADVERT_TAIL = re.compile(r"[\s：:！!，,、】\]）)\d]*")
ADVERT_STRONG_MAX = 80  # a line with a strong advert sign, up to this length, is an advert
ADVERT_WEAK_MAX = 40  # likewise a short non-sentence with a weak one
ADVERT_BLOCK_LINE_MAX = 40  # every line of an advert block is this short
# The tail a web page or wiki adds after the text: licence notes, "责任编辑", print/close links.
_TAIL_MARKER = re.compile(
    r"^(本作品(是|在|属于|屬於|来自|來自|不适用)|本模板|(这|這)部作品在|↑$|Public domain$|注：中文维基文库|版权声明|免责声明"
    r"|【(打印|关闭)|（责任编辑|责任编辑[：:]"
    r"|(注|注释|註|註釋)[：:]?$)"  # a notes section at the end: "注：" and then ①… lines
)
TAIL_MAX = 3000  # characters after a tail marker, at most …
TAIL_MAX_SHARE = 0.6  # … and at most this share of the document

# Photo credits at the end of a line (a heading): "新华社记者 王晔/摄", "（记者 张三 摄）".
_PHOTO_CREDIT = re.compile(
    rf"[（(]?(?:新华社|人民日报|本报|中新社|央视)?(?:特约)?(?:记者|摄影)\s*[{CJK}]{{2,4}}(?:\s*[、，]\s*[{CJK}]{{2,4}})*\s*[/／]?\s*摄(?:影)?[）)]?$"
)
_PHOTO_LINE = re.compile(r"^(图为|图片来源|图片由|摄影[:：]|（图片|\(图片)")
PHOTO_LINE_MAX = 200  # a longer line that opens with "图为", or one of more sentences, holds more
_END_INSIDE = re.compile("[。！？!?]")

# What news sites put wherever a picture or a wire story starts, glued to the text around it
# once the line breaks are gone. Each needs a sign that it is no sentence of the speech: a news
# organisation, a slash, brackets, a page number.
_NEWS_ORG = "新华社|人民日报|本报|中新社|央视|人民网|新华网|光明日报|经济日报|中国日报|央广网|求是网"
_NAMES = rf"[{CJK}]{{2,4}}(?:\s*[、，,]\s*[{CJK}]{{2,4}})*"
_REPORTER = r"(?:特约|摄影)?记者"
_TU_WORDS = "蓝地意版企试构宏草绘插略制作画海拼挂谱瞰视全原航力示附上下左右本该此各两三四五六七八九十一二"
_DATE_MD = r"[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日"
_WEB_CAPTIONS = re.compile(
    "|".join(
        [
            # "（新华社记者 李学仁 摄）", "（记者 张三、李四/摄）"
            rf"[（(]\s*(?:{_NEWS_ORG})?{_REPORTER}\s*{_NAMES}\s*[/／]?\s*摄影?\s*[）)]",
            # "新华社记者 鞠鹏/摄", "人民日报记者 王五摄"
            rf"(?:{_NEWS_ORG}){_REPORTER}\s*{_NAMES}\s*[/／]?\s*摄影?",
            # "记者 鞠鹏/摄"
            rf"{_REPORTER}\s*{_NAMES}\s*[/／]\s*摄影?",
            # "新华社发", "新华社发（张三 作）"; not 新华社发布 / 发表 …
            r"[（(]?新华社发(?![布表出行展现生给往放的了稿文])(?:\s*[（(][^（）()\n]{0,20}[）)])?[）)]?",
            # datelines: "新华社北京9月11日电", "（新华社北京11月24日电）", "本报北京3月5日讯（记者 张三）"
            rf"[（(]?(?:{_NEWS_ORG})[{CJK}]{{0,8}}?{_DATE_MD}[电讯](?:\s*[（(]记者[^（）()\n]{{1,30}}[）)])?[）)]?",
            # print editions: "《 人民日报 》（ 2020年11月25日 02 版）"
            r"《?\s*(?:人民日报|光明日报|经济日报|求是)(?:\s*海外版)?\s*》?\s*[（(]\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*第?\s*\d{1,2}\s*版\s*[）)]",
            # "（责编：张三、李四）", "（责任编辑：王五）", "【来源：新华网】"
            r"[（(【]\s*(?:责编|责任编辑|编辑|来源)\s*[：:][^（）()【】\n]{1,30}[）)】]",
            # picture captions that open a sentence: "图为…。", "（图为…）"
            r"[（(]图为[^（）()\n]{1,200}[）)]",
            # (after a heading too, but not the 图 of a word: 蓝图为, 地图为, 意图为, 试图为 …)
            rf"(?<![{_TU_WORDS}])图为[^。！？!?\n]{{1,200}}(?:[。！？!?]|$)",
        ]
    )
)
_PAGE_FOOTER = re.compile(
    r"^(?:第\s*\d+\s*页\s*[，,/／]?\s*共\s*\d+\s*页|[-—－]+\s*\d+\s*[-—－]+|\d+\s*/\s*\d+|page\s*\d+(\s*of\s*\d+)?)$",
    re.IGNORECASE,
)
_PAGE_FOOTER_INLINE = re.compile(r"第\s*\d+\s*页\s*[，,/／]?\s*共\s*\d+\s*页")
_FOOTNOTE_REF = re.compile(r"\[\s*\d{1,3}\s*\]|\[\s*注\s*\d*\s*\]")
_FOOTNOTE_MARK_LINE = re.compile(r"[\[\]\d\s]+")  # what is left of a line that held only "[1]"
_OPENERS = "《“（(「『【‘"
_CLOSERS = "。，、；：！？）)」』】”’》"
_SALUTATION_LIKE = re.compile("^(" + "|".join(SALUTATION_STARTS) + ")")
_SENTENCE_END = "。！？!?；;…"
_CLAUSE_END = _SENTENCE_END + "：:"
BROKEN_LINK_MAX = 15  # a link broken out of its sentence onto a line of its own is this short


def split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n").split("\n")


def strip_markdown(line: str) -> str:
    line = re.sub(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+(?=\S))", "", line)
    return re.sub(r"(\*\*|__|\*|`)", "", line)


def normalize_line(line: str) -> str:
    """Spaces, indents, invisible characters and full-width digits/letters; nothing else changes."""
    if _TO_TRANSLATE.search(line):
        line = line.translate(_INVISIBLE_AND_FULLWIDTH)
    if not _WHITESPACE.search(line):
        return line  # every step below removes or replaces whitespace (str.isspace, as \s and strip)
    line = _SPACES.sub(" ", line).strip()
    line = _SPACE_BETWEEN_CJK.sub("", line)
    if " " in line:
        line = _SPACE_BETWEEN_DIGITS.sub("", line)
    return line


def is_advert(line: str) -> bool:
    if len(line) <= ADVERT_STRONG_MAX and _ADVERT_STRONG.search(line):
        return True
    return len(line) <= ADVERT_WEAK_MAX and line[-1] not in "。！？" and bool(_ADVERT_WEAK.search(line))


def _advert_blocks(normalized: list[str]) -> list[bool]:
    """Advert blocks: a run of short lines between blank lines, one of which is an advert,
    goes whole (the seeds open with "仅供学习 禁止外传 / 酷乐文行 / 自建平台、实时分享 …")."""
    drop = [False] * len(normalized)
    start = 0
    while start < len(normalized):
        if not normalized[start]:
            start += 1
            continue
        end = start
        while end < len(normalized) and normalized[end]:
            end += 1
        block = normalized[start:end]
        if any(is_advert(line) for line in block) and all(
            len(line) <= ADVERT_BLOCK_LINE_MAX and not line.endswith("。") for line in block
        ):
            drop[start:end] = [True] * (end - start)
        start = end
    return drop


def _tail_start(normalized: list[str]) -> int:
    """The index of the line where a licence or notes tail begins (len(normalized) if none):
    a tail marker with little text after it, not most of the document."""
    content = [i for i, line in enumerate(normalized) if line]
    total = remaining = sum(len(normalized[i]) for i in content)
    for position, i in enumerate(content):
        if position > 0 and remaining <= min(TAIL_MAX, TAIL_MAX_SHARE * total) and _TAIL_MARKER.match(normalized[i]):
            return i
        remaining -= len(normalized[i])
    return len(normalized)


def _boilerplate_line(line: str) -> bool:
    """An advert, a page footer, or a picture caption of its own (one sentence at most)."""
    if is_advert(line) or _PAGE_FOOTER.match(line):
        return True
    return bool(_PHOTO_LINE.match(line)) and len(line) <= PHOTO_LINE_MAX and not _END_INSIDE.search(line, 0, len(line) - 1)


def _advert_prefix(line: str) -> int:
    """How many characters of adverts a long line opens with (a template site's watermark block
    pasted on one line with the speech: 仅供学习 禁止外传 … 免费QQ群：)."""
    if len(line) <= ADVERT_STRONG_MAX:
        return 0
    zone = line[:ADVERT_ZONE]
    if not _ADVERT_STRONG.search(zone):
        return 0
    strong = list(_ADVERT_STRONG.finditer(zone))
    signs = sorted(strong + list(_ADVERT_WEAK.finditer(zone)), key=lambda m: m.start())
    if not strong or len(signs) < 2 or signs[0].start() > ADVERT_GAP:
        return 0
    end = signs[0].end()
    for sign in signs[1:]:  # the block ends where the signs thin out
        if sign.start() - end > ADVERT_GAP:
            break
        end = max(end, sign.end())
    return _ADVERT_TAIL.match(line, end).end()


def _strip_inline(line: str) -> tuple[str, list[str]]:
    """A line without the adverts, photo credits, captions, datelines, page footers and footnote
    marks inside it, and the pieces taken out."""
    pieces: list[str] = []

    def cut(match: re.Match[str]) -> str:
        pieces.append(match.group(0))
        return ""

    if "QQ" in line or "ＱＱ" in line or "微信" in line or "VX" in line or "vx" in line:
        line = _ADVERT_INLINE.sub(cut, line)
    prefix = _advert_prefix(line)
    if prefix:
        pieces.append(line[:prefix])
        line = line[prefix:]
    # each regex runs only where the characters it cannot match without are there
    stripped = _WEB_CAPTIONS.sub(cut, line) if _may_hold_caption(line) else line
    if "摄" in stripped:
        stripped = _PHOTO_CREDIT.sub(cut, stripped)
    stripped = stripped.rstrip()
    if "页" in stripped:
        stripped = _PAGE_FOOTER_INLINE.sub(cut, stripped)
    if "[" in stripped:
        stripped = _FOOTNOTE_REF.sub(cut, stripped)
    return stripped.strip(), pieces


def _may_hold_caption(line: str) -> bool:
    """A cheap test before the caption regex: every caption holds one of these (a photographer's
    摄, 图为, 新华社发, a dateline's 日电/日讯, a paper's 版, an editor's 编 or a 来源)."""
    return any(sign in line for sign in ("摄", "图为", "新华社发", "日电", "日讯", "版", "编", "来源"))


@dataclass
class _CleanLines:
    """The clean lines being built, each with its original line number and the joins in it."""

    lines: list[str] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    joins: list[tuple[tuple[int, int], ...]] = field(default_factory=list)

    def append(self, line: str, number: int) -> None:
        self.lines.append(line)
        self.numbers.append(number)
        self.joins.append(())

    def join(self, line: str, number: int) -> None:
        """Glue `line` (original line `number`) to the end of the last clean line."""
        self.joins[-1] += ((len(self.lines[-1]), number),)
        self.lines[-1] += line

    def rejoin_broken_link(self) -> None:
        """Glue the last clean line (a short fragment) back onto the one before it."""
        fragment, fragment_number, fragment_joins = self.lines.pop(), self.numbers.pop(), self.joins.pop()
        shift = len(self.lines[-1])
        self.joins[-1] += ((shift, fragment_number),) + tuple((shift + at, n) for at, n in fragment_joins)
        self.lines[-1] += fragment

    def broken_link_before(self, line: str) -> bool:
        """"…所作的 / 政府工作报告 / 。会议…": a link broken out of its sentence."""
        lines = self.lines
        return line[0] in _CLOSERS and len(lines) >= 2 and len(lines[-1]) <= BROKEN_LINK_MAX and lines[-2][-1] not in _CLAUSE_END


def clean_lines(raw_lines: list[str], source: str, title_hint: str | None = None) -> Document:
    """Normalise lines, drop boilerplate, re-join lines that a web page broke mid-sentence."""
    out = _CleanLines()
    removed: list[tuple[int, str]] = []
    normalized = [normalize_line(line) for line in raw_lines]
    drop = _advert_blocks(normalized)
    tail_start = _tail_start(normalized)
    skipped_marker = False
    for index, line in enumerate(normalized):
        number = index + 1
        if not line:
            continue
        if index >= tail_start or drop[index] or _boilerplate_line(line):
            removed.append((number, raw_lines[index].strip()))
            continue
        line, pieces = _strip_inline(line)
        removed.extend((number, piece) for piece in pieces)
        if not line or _FOOTNOTE_MARK_LINE.fullmatch(line):
            skipped_marker = skipped_marker or bool(line)
            continue
        if out.lines and _continues(out.lines[-1], line):
            if out.broken_link_before(line):
                out.rejoin_broken_link()
            out.join(line, number)
            continue
        if out.lines and skipped_marker and out.lines[-1][-1] not in _CLAUSE_END:
            out.join(line, number)  # a footnote mark "[1]" had split the sentence
        else:
            out.append(line, number)
        skipped_marker = False
    return Document(source=source, lines=out.lines, line_numbers=out.numbers, title_hint=title_hint, removed=removed, joins=out.joins)


def _continues(previous: str, line: str) -> bool:
    """True where a web page broke one sentence over two lines: "…所作的 / 政府工作报告 / 。会议…"."""
    if line[0] in _CLOSERS:
        return True
    if previous[-1] in _OPENERS:
        return True
    # a lone character left over from a broken word: "政府工作报 / 告"; not a numeral alone on
    # its line, which numbers a part of the speech
    return len(line) == 1 and "\u4e00" <= line <= "\u9fff" and line not in MARKER_NUMERALS and previous[-1] not in _CLAUSE_END

def strip_repeated_lines(docs: list[Document], min_docs: int = 3, min_share: float = 0.5) -> None:
    """Remove, in place, short non-sentence lines that recur in many documents of a corpus
    (site names, navigation, watermarks). Salutations, headings and sentences are kept."""
    if len(docs) < min_docs:
        return
    seen: Counter[str] = Counter()
    for doc in docs:
        seen.update(set(doc.lines))
    threshold = max(min_docs, min_share * len(docs))
    repeated = {line for line, n in seen.items() if n >= threshold and _boilerplate_candidate(line)}
    if not repeated:
        return
    for doc in docs:
        keep = [i for i, line in enumerate(doc.lines) if line not in repeated]
        if len(keep) == len(doc.lines):
            continue
        doc.removed.extend((doc.line_numbers[i], doc.lines[i]) for i in range(len(doc.lines)) if doc.lines[i] in repeated)
        doc.lines = [doc.lines[i] for i in keep]
        doc.line_numbers = [doc.line_numbers[i] for i in keep]
        doc.joins = [doc.joins[i] for i in keep] if doc.joins else []


def _boilerplate_candidate(line: str) -> bool:
    if len(line) > 30 or line[-1] in _SENTENCE_END or _SALUTATION_LIKE.match(line):
        return False
    if re.search(r"讲话|报告|发言|致辞|会议|大会|工作|谈话|同志", line):
        return False  # titles and meeting names legitimately recur
    if re.match(rf"^(第?[{MARKER_NUMERALS}]+[、，是要]|（[{MARKER_NUMERALS}]+）|\d+[.．、])", line):
        return False  # numbered headings
    return True


# ---------------------------------------------------------------------------
# Traditional characters

_TRADITIONAL_MARKERS = set("們會國說這個來時為對經動實現當發與體關於產黨頭區縣幾應當進開團義將還從總黨費運過廣問題學習議員區")


def is_traditional(text: str) -> bool:
    """A cheap test: does this text use traditional characters throughout?"""
    sample = text[:5000]
    hits = sum(1 for ch in sample if ch in _TRADITIONAL_MARKERS)
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    return cjk > 0 and hits > 0.02 * cjk


def to_simplified(text: str) -> str:
    """Traditional → simplified (zhconv, imported lazily). Length can change only rarely, so
    callers that need character offsets should convert line by line."""
    import zhconv

    return zhconv.convert(text, "zh-cn")
