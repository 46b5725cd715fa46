"""The map step: everything one document yields on its own.

Stock phrases are recognised by their form as much as by frequency — five speeches are few, and a
phrase quoted once (“五比五不比”), numbered, four characters long or standing in a parallel series
is a stock phrase all the same. What needs the whole corpus (set phrases by cohesion and boundary
statistics) is done in terms.py from the tokens this step returns."""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import re
import sys
from dataclasses import dataclass
from typing import Callable

from drafter.cleaning import is_traditional, to_simplified
from drafter.document import Document
from drafter.dating import document_year
from drafter.genre import CJK_BASIC, FORMULA_NUMERALS, NUMBER_CHARS
from drafter.mining.canonical import CanonMatcher
from drafter.mining.frames import frames_from_siblings, normalize_heading
from drafter.mining.mined import BOUNDARY, DocMined
from drafter.model import Found
from drafter.mining.segment import Lexicon
from drafter.mining.sentences import sentences_of
from drafter.outline import Outline, Section, parse_outline

FUNCTION_CHARS = set("的了和在把与及等或而并也都就着过被将从向给之其这那么吗呢吧啊")
_CJK = re.compile(f"^[{CJK_BASIC}]+$")


class _PerToken(dict):
    """`function(token)`, worked out once per distinct token: mapping `__getitem__` over a
    line's tokens then costs no Python-level step for a token seen before."""

    MAX = 500_000  # distinct tokens kept before starting afresh (a bound on memory)

    def __init__(self, function: Callable[[str], object]):
        super().__init__()
        self.function = function

    def __missing__(self, token: str):
        if len(self) > self.MAX:
            self.clear()
        value = self[token] = self.function(token)
        return value


def _stream_token(token: str) -> str:
    """A token as the corpus statistics see it: a Chinese word (interned), anything else a BOUNDARY."""
    return sys.intern(token) if "\u4e00" <= token[0] <= "\u9fff" else BOUNDARY


_STREAM_TOKEN = _PerToken(_stream_token)


class _lazy:
    """functools.cached_property without its lock (Python 3.11 takes one on every first use,
    which costs more than working out a line's token offsets): computed once, then an instance
    attribute."""

    def __init__(self, function: Callable):
        self.function = function
        self.name = function.__name__
        self.__doc__ = function.__doc__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)
        return value


LineOf = Callable[[int], int]  # a character's offset in a clean line -> its original line number


@dataclass
class LineView:
    """One clean line as every line finder sees it: its text, jieba's tokens, where each
    character came from, and the spans in quotation marks."""

    text: str
    tokens: list[str]
    line_of: LineOf
    lexicon: Lexicon
    quoted: list[tuple[int, int, str]]  # (start of “, end after ”, the text inside)
    canon: CanonMatcher | None = None

    @classmethod
    def of(cls, text: str, tokens: list[str], line_of: LineOf, lexicon: Lexicon, canon: CanonMatcher | None = None) -> LineView:
        quoted = [(m.start(), m.end(), m.group(1)) for m in _QUOTED.finditer(text)] if "“" in text else []
        return cls(text, tokens, line_of, lexicon, quoted, canon)

    @_lazy
    def offsets(self) -> list[int]:
        """Where each token starts in the line (and the line's length last)."""
        return list(itertools.accumulate(map(len, self.tokens), initial=0))

    @_lazy
    def word_starts(self) -> set[int]:
        return set(self.offsets)


def context_of(line: str, start: int, end: int, width: int = 16) -> str:
    left = max(0, start - width)
    right = min(len(line), end + width)
    return ("…" if left else "") + line[left:right] + ("…" if right < len(line) else "")


# ---------------------------------------------------------------------------
# formulas 数字概括语

_QUOTED = re.compile(r"“([^“”\n]{2,12})”")  # spans start at the quotation mark, the text one later
_FORMULA_SHAPES = (
    re.compile(rf"^[{FORMULA_NUMERALS}]{{1,3}}[个项大条种点张位][\u4e00-\u9fff]{{1,6}}$"),  # 四个意识, 八项规定, 三大攻坚战
    re.compile(rf"^(?=(?:.*[{FORMULA_NUMERALS}]){{2}})[\u4e00-\u9fff]{{3,6}}$"),  # 一国两制, 三严三实, 五比五不比, 一岗双责
    re.compile(rf"^[{FORMULA_NUMERALS}]{{1,2}}[\u4e00-\u9fff]{{1,2}}$"),  # 四风, 三定, 十三五
)
_NOT_FORMULA_END = re.compile(rf"[{FORMULA_NUMERALS}个项条种位][年月日天次人元倍岁点个]$")  # 三个月, 五年, 两个人, 三点
_NUMERAL_CHAR = re.compile(f"[{FORMULA_NUMERALS}]")
_MEASURE_TOKEN = re.compile(rf"^[{FORMULA_NUMERALS}]{{1,2}}[个项大条种]$")
_NUMERAL_TOKEN = re.compile(rf"^[{FORMULA_NUMERALS}]{{1,2}}$")
_MEASURES = set("个项大条种")
_FORMULA_STOP_HEADS = {
    "方面", "问题", "小时", "月份", "部分", "阶段", "环节", "单位", "部门", "同志", "干部", "人员", "地方",
    "国家", "城市", "项目", "企业", "地区", "省份", "领域", "重点", "多月", "多小时", "百分点", "星期",
    "以来", "以后", "以前", "期间", "之后", "之前", "召开", "提出", "确定", "确立", "胜利", "精神", "路线",
}
# Numbers and quantities are not formulas: 一百零五, 百分之二十, 十一点七, 二十八万, 十五亿元,
# 四十项, 第十一届, 九十年代, 二十世纪, 十二连增 (a streak of years); nor is a party congress: 十六大以来, 十一大路线.
_PURE_NUMBER = re.compile(f"^[{NUMBER_CHARS}]+$")
_QUANTITY = re.compile(rf"分之|[{FORMULA_NUMERALS}]点[{FORMULA_NUMERALS}]|[{FORMULA_NUMERALS}][万亿]|[二三四五六七八九]十|^第|年代$|世纪$|届$|^[{FORMULA_NUMERALS}]+连[增涨降升]")
_CONGRESS = re.compile(r"^(十[一二三四五六七八九]|[二三]十[一二三四五六七八九]?)大")
_FIVE_YEAR_PLAN = re.compile(r"^十[一二三四五六七八九]?五$")  # 十五, 十一五 … 十四五
_SPANS_OF_YEARS = re.compile(rf"^[{FORMULA_NUMERALS}]{{1,2}}个[{FORMULA_NUMERALS}]{{2,}}年$")  # 两个一百年
_HEAD_CHARS = 6  # a formula counts at most a few words: 四项基本原则, 三个区分开来
# an event named by its date, no summary of a policy: 五四运动, 九一八事变, 一二·九运动
_DATED_EVENT = re.compile(rf"^[{FORMULA_NUMERALS}]{{2,3}}(运动|事变|惨案|起义|罢工|事件)$")


def _is_formula(text: str, lexicon: Lexicon, quoted: bool = False) -> bool:
    if any(ch.isdigit() for ch in text):
        return False
    if _FIVE_YEAR_PLAN.match(text) or _SPANS_OF_YEARS.match(text):
        return True
    if _PURE_NUMBER.match(text) or _QUANTITY.search(text) or _CONGRESS.match(text) or _NOT_FORMULA_END.search(text):
        return False
    if _DATED_EVENT.match(text):
        return False
    if text in lexicon.numeral_idioms:
        return False  # 千方百计, 四通八达: idioms with numerals, mined as idioms
    if text in lexicon.numbers and not quoted:
        return False  # 三台, 四尺; but a quoted “一把手” is a stock phrase
    return any(shape.match(text) for shape in _FORMULA_SHAPES)


class _Spans:
    """Non-overlapping (start, end) spans in text order (quotations found by one regex), looked
    up by bisection: a one-line text may hold thousands of them."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = spans
        self.starts = [s for s, _ in spans]

    def holding(self, first: int, last: int, closed: bool = False) -> bool:
        """Is there a span with start <= first and last < end (last <= end when `closed`)?"""
        k = bisect.bisect_right(self.starts, first) - 1
        if k < 0:
            return False
        end = self.spans[k][1]
        return last <= end if closed else last < end


def _may_start_formula(token: str) -> bool:
    """Whether the token loop of _formulas can find anything at this token: a numeral and
    measure that is not 一… (_counted_from), or a four- or five-character token of two numerals."""
    counts = not token.startswith("一") and (_MEASURE_TOKEN.match(token) or _NUMERAL_TOKEN.match(token))
    return bool(counts) or (4 <= len(token) <= 5 and sum(ch in FORMULA_NUMERALS for ch in token) >= 2)


_MAY_START_FORMULA = _PerToken(_may_start_formula)


def _formulas(view: LineView) -> list[Found]:
    line, line_of, tokens, quoted_spans, lexicon = view.text, view.line_of, view.tokens, view.quoted, view.lexicon
    if not quoted_spans and not _NUMERAL_CHAR.search(line):
        return []  # no quotation and no numeral token in the line
    found: list[Found] = []
    for start, end, inner in quoted_spans:
        if _is_formula(inner, lexicon, quoted=True) and (inner[0] in FORMULA_NUMERALS or _FORMULA_SHAPES[1].match(inner)):
            found.append(Found("formula", inner, line_of(start + 1), context_of(line, start, end)))
    seen = {f.text for f in found}
    inside_quotes = _Spans([(start, end) for start, end, inner in quoted_spans if inner in seen])
    # the common case, a token that starts no formula, is skipped without a Python-level step
    for i in itertools.compress(itertools.count(), map(_MAY_START_FORMULA.__getitem__, tokens)):
        token = tokens[i]
        start = view.offsets[i]
        if inside_quotes.holding(start, start):
            continue  # already seen as a quoted formula
        # unquoted: a numeral and measure (四个, 三 + 大) and the words it counts; kept only when
        # the corpus confirms it (weak): quoted somewhere, or in several documents.
        first = _counted_from(tokens, i)
        if first:
            for text in _counted_phrases(tokens, i, first):
                if _is_formula(text, lexicon):
                    # "at" tells reduce which lengths came from one place in the text
                    found.append(Found("formula", text, line_of(start), context_of(line, start, start + len(text)), weak=True, chain=start))
        elif 4 <= len(token) <= 5 and sum(ch in FORMULA_NUMERALS for ch in token) >= 2 and _is_formula(token, lexicon):
            found.append(Found("formula", token, line_of(start), context_of(line, start, start + len(token)), weak=True))
    return found


def _counted_from(tokens: list[str], i: int) -> int:
    """Where the counted words start after a numeral and measure at token i (四个|意识,
    三|大|攻坚战), or 0. 一个 is left out: it counts anything."""
    token = tokens[i]
    if token.startswith("一"):
        return 0
    if _MEASURE_TOKEN.match(token):
        return i + 1
    if _NUMERAL_TOKEN.match(token) and i + 1 < len(tokens) and tokens[i + 1] in _MEASURES:
        return i + 2
    return 0


def _counted_phrases(tokens: list[str], i: int, first: int) -> list[str]:
    """The numeral and measure with one, two and three of the words after it (四项基本,
    四项基本原则, …): reduce keeps the longest that the corpus says belongs together."""
    head = tokens[first] if first < len(tokens) else ""
    if not (2 <= len(head) <= 4 and _CJK.match(head) and head not in _FORMULA_STOP_HEADS):
        return []
    prefix = "".join(tokens[i:first])
    phrases = [prefix + head]
    for token in tokens[first + 1:first + 3]:
        if (
            len(token) < 2
            or not _CJK.match(token)
            or token[0] in FUNCTION_CHARS
            or token[-1] in FUNCTION_CHARS
            or token in _FORMULA_STOP_HEADS
            or len(head + token) > _HEAD_CHARS
        ):
            break  # 八项规定|精神, 四个意识|的
        head += token
        phrases.append(prefix + head)
    return phrases


# ---------------------------------------------------------------------------
# idioms 成语 / 四字格


_CLAUSE_MARKS = set("，、；。：！？,;:!?“”")
_NOT_IDIOM_START = re.compile(r"^(在|各|不断|切实|进一步|党的|走起|回过|那么|有期|认真|严格|高度|深刻|明确|共同|重要|组成|科学|文化|长期)")


def _idiom_like_clause(view: LineView, at: int, start: int) -> bool:
    """Whether the four characters at `start`, a clause of their own beside the idiom at `at`,
    are a 四字格 of the idiom's make (以上|率|下 beside 以身作则)."""
    line, lexicon = view.text, view.lexicon
    if start < 0 or start + 4 > len(line) or line[min(at, start) + 4] not in _CLAUSE_MARKS:
        return False
    if (start > 0 and line[start - 1] not in _CLAUSE_MARKS) or (start + 4 < len(line) and line[start + 4] not in _CLAUSE_MARKS):
        return False
    text = line[start:start + 4]
    if text in lexicon.idioms or text in lexicon.rare_idioms or not _CJK.match(text) or text[0] in FUNCTION_CHARS:
        return False
    cuts = [p for p in range(start + 1, start + 4) if p in view.word_starts]
    # one dictionary word (改革开放) or two (坚定|信心): no coinage of the idiom's make
    return start in view.word_starts and start + 4 in view.word_starts and cuts not in ([], [start + 2])


def _idioms(view: LineView) -> list[Found]:
    line, line_of, tokens, quoted_spans, lexicon = view.text, view.line_of, view.tokens, view.quoted, view.lexicon
    found: list[Found] = []
    idiom_words = lexicon.idioms
    idiom_indices = list(itertools.compress(itertools.count(), map(idiom_words.__contains__, tokens)))
    for i in idiom_indices:
        token = tokens[i]
        if _NOT_IDIOM_START.match(token):
            continue
        offsets = view.offsets
        found.append(Found("idiom", token, line_of(offsets[i]), context_of(line, offsets[i], offsets[i] + len(token))))
    # a rare or mistagged dictionary idiom (清正廉洁): reduce keeps it when it recurs
    for i in itertools.compress(itertools.count(), map(lexicon.rare_idioms.__contains__, tokens)):
        offsets = view.offsets
        found.append(Found("idiom", tokens[i], line_of(offsets[i]), context_of(line, offsets[i], offsets[i] + 4), weak=True))
    # a four-character clause beside a dictionary idiom that jieba cuts into pieces (以身作则，
    # 以上|率|下; 病|有所|医): a 四字格 of the same make; reduce keeps it when it recurs
    idiom_at = [view.offsets[i] for i in idiom_indices if len(tokens[i]) == 4] if found else []
    for at in idiom_at:
        for start in (at - 5, at + 5):
            if _idiom_like_clause(view, at, start):
                found.append(Found("idiom", line[start:start + 4], line_of(start), context_of(line, start, start + 4), weak=True))
    for start, end, inner in quoted_spans:  # a quoted four-character expression: “击鼓传花”
        if len(inner) == 4 and _CJK.match(inner) and inner not in idiom_words and not _is_formula(inner, lexicon) and not _DATED_EVENT.match(inner):
            found.append(Found("idiom", inner, line_of(start + 1), context_of(line, start, end), weak=True, quoted=True))
    return found


# ---------------------------------------------------------------------------
# parallel series 排比

_CLAUSE = re.compile(r"[^，,；;：:。！？!?（）()“”\n]+")


def _parallels(view: LineView) -> list[Found]:
    line, line_of, quoted_spans = view.text, view.line_of, view.quoted
    if "、" not in line:
        return []  # most lines: no series, and no need for the token offsets
    word_starts = view.word_starts
    found: list[Found] = []
    quoted_ranges = _Spans([(s, e) for s, e, _ in quoted_spans])
    for clause in _CLAUSE.finditer(line):
        text = clause.group(0)
        if "、" not in text:
            continue
        raw_items = text.split("、")
        items = [item.strip("‘’ ") for item in raw_items]
        first_item = items[0]
        last_start = clause.end() - len(raw_items[-1].lstrip("‘’ "))  # where the last item starts in `line`
        offset = _trim_ends(items, lambda width: last_start + width in word_starts)
        cut_at = clause.start() + offset
        if offset and cut_at not in word_starts and line[cut_at - 1] not in "的之":
            # the cut would split a word (经|济活力、控制力、影响力), and not after a 的 that jieba
            # took into its word (党的基|本理论)
            items[0], offset = first_item, 0
        run = _best_run(items)
        if not run:
            continue
        first, last = run
        chosen = items[first:last + 1]
        start = clause.start() + sum(len(r) + 1 for r in raw_items[:first]) + (offset if first == 0 else 0)
        end = start + len("、".join(chosen))
        quoted = quoted_ranges.holding(start + 1, end - 1, closed=True)
        if len(chosen) < 3 and not (quoted and len(chosen) >= 2):
            continue
        if line.startswith("等", end) and not quoted:
            continue  # "图书馆、文化馆、博物馆等": examples of a kind, no 排比 (a stock series recurs elsewhere)
        found.append(
            Found("parallel", "、".join(chosen), line_of(start), context_of(line, start, end), items=chosen)
        )
    return found


_NUMBER_PART = re.compile(f"[{NUMBER_CHARS}]+")
_SERIES_END = set("的地得和与及等是在中上下之为")


def _trim_ends(items: list[str], ends_a_word=lambda at: False) -> int:
    """A series glued into its sentence: "切实增强四个意识、四个自信" or "不敢腐、不能腐、不想腐的机制".
    Cut the first and last items to the length of the inner ones when the cut piece fits the
    series' shared pattern; returns how many characters were cut from the front of the first.
    The last item is cut before a function character, or where `ends_a_word(width)` says a word
    of the last item ends after its first `width` characters (政绩观|还不够端正)."""
    if len(items) < 3:
        width = len(items[0]) if len(items) == 2 and len(items[0]) <= len(items[1]) else 0
        if len(items) == 2 and width and len(items[1]) > width and _same_pattern(items[0], items[1][:width]) and items[1][width] in _SERIES_END:
            items[1] = items[1][:width]
        return 0
    inner = items[1:-1]
    width = len(inner[0])
    if any(len(i) != width for i in inner) or not 2 <= width <= 8:
        return 0
    cut = 0
    if len(items[-1]) > width and _same_pattern(inner[-1], items[-1][:width]) and (items[-1][width] in _SERIES_END or ends_a_word(width)):
        items[-1] = items[-1][:width]  # "不想腐的机制" -> "不想腐", but never "不可持续" -> "不可持"
    if len(items[0]) > width and _same_pattern(inner[0], items[0][-width:]):
        cut = len(items[0]) - width
        items[0] = items[0][-width:]
    return cut


def _same_pattern(a: str, b: str) -> bool:
    return len(a) == len(b) and any(x == y for x, y in zip(a, b))


def _best_run(items: list[str]) -> tuple[int, int] | None:
    """The longest run of consecutive items of equal length (2–8 characters) that share a
    character at the same place: 不敢腐、不能腐、不想腐; 守土有责、守土担责、守土尽责.
    Two items may share nothing when quoted as a pair (咬耳朵、扯袖子): checked by the caller."""
    best: tuple[int, int] | None = None
    i = 0
    while i < len(items):
        j = i
        while (
            j + 1 < len(items)
            and len(items[j + 1]) == len(items[i])
            and 2 <= len(items[i]) <= 8
            and _CJK.match(items[j + 1])
        ):
            j += 1
        if j > i and _CJK.match(items[i]) and items[i][0] not in FUNCTION_CHARS:
            group = items[i:j + 1]
            if len(group[0]) <= 2 and all(item[0] in FORMULA_NUMERALS for item in group) or all(
                len(_NUMBER_PART.sub("", item)) <= 1 for item in group
            ):
                i = j + 1
                continue  # "三中、四中、五中" (全会): numbering; "六十斤、八十斤": quantities
            shares = any(len({item[k] for item in group}) == 1 for k in range(len(group[0])))
            if (shares or j - i == 1) and (best is None or j - i > best[1] - best[0]):
                best = (i, j)
        i = j + 1
    return best


# ---------------------------------------------------------------------------
# quotations 引语

_QUOTE_VERB = re.compile(
    r"(?:曾经|曾|多次|反复|深刻|明确|一再)?(?:指出|强调|说过|说得好|说的好|说|讲过|讲|云|曰|提出|告诫|写道|所言|有言)[：:，,]?\s*“([^“”]{6,160})”"
)
_SAYING_MANNER = re.compile(r"(曾经|曾|多次|反复|一再|深刻地?|明确地?|尖锐地?|郑重地?|这样|那样|在.*上)$")
_SAYER_OF_TITLE = re.compile(r"([\u4e00-\u9fff]{2,8}?(?:同志)?)在[“《][^”》]{1,40}[”》](?:一文|一书|这篇著作|著作|的讲话|讲话|报告|的信|信)?中$")
_ATTRIBUTION = re.compile(
    r"(总书记|同志|主席|总理|书记|报告|讲话|党章|古人|俗话|常言|老话|先贤|名言|古语|诗|子|先生|"
    r"习近平|毛泽东|邓小平|周恩来|孔子|孟子|荀子|老子|韩非|司马光|苏轼|王安石|朱熹|诸葛亮)$"
)


# pronouns and everyone: a saying they say has no speaker to name
_GENERIC_SAYER = re.compile(r"^(大家|人们|有人|有的人|别人|他人|我们|你们|他们|她们|群众|百姓|老百姓|外界|社会上)[都也常总还]?$")


# a quoted slogan: Chinese, possibly with digits or a plus (“互联网+”, “中国制造2025”), no list
_SLOGAN = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff0-9+＋]*$")


def _quoted_terms(view: LineView) -> list[Found]:
    """Short expressions the speaker puts in quotation marks: “放管服”, “走出去”, “菜篮子”. Reduce
    keeps those quoted in several documents and mostly used in quotes (not “和平” or “自由”,
    words quoted once for emphasis)."""
    return [
        Found("term", inner, view.line_of(start + 1), context_of(view.text, start, end), quoted=True)
        for start, end, inner in view.quoted
        if _SLOGAN.match(inner)
    ]


def _count_quoted_terms(found: list[Found], text: str) -> None:
    """How often each quoted expression occurs in the document, quoted or not."""
    occurrences: dict[str, int] = {}
    for item in found:
        if item.quoted:
            if item.text not in occurrences:
                occurrences[item.text] = text.count(item.text)
            item.in_document = occurrences[item.text]


def _quotes(view: LineView) -> list[Found]:
    line, line_of = view.text, view.line_of
    if "“" not in line:
        return []  # no quotation to attribute
    found: list[Found] = []
    for match in _QUOTE_VERB.finditer(line):
        before = line[max(0, match.start() - 16):match.start()]
        who = re.split(r"[，。；：、“”！？,;:\s]", before)[-1]
        who = re.sub(r"^(正如|就像|如|诚如|因为|所以|而且|同时|当年|曾经|过去|后来|还|也|又|就)", "", who)
        while True:  # "曾经这样说过", "尖锐地指出": the manner of saying is not the sayer
            stripped = _SAYING_MANNER.sub("", who)
            if stripped == who:
                break
            who = stripped
        if who.endswith(("文中", "书中", "著作中", "讲话中", "报告中", "信中")):
            # "毛泽东同志在“论十大关系”一文中指出": the sayer stands before the title
            titled = _SAYER_OF_TITLE.search(line[max(0, match.start() - 60):match.start()])
            who = titled.group(1) if titled else ""
        if _GENERIC_SAYER.match(who):
            continue  # "大家都说", "有人讲": no one in particular
        if not (2 <= len(who) <= 14 and (_ATTRIBUTION.search(who) or len(who) <= 3)):
            continue
        saying = match.group(1).rstrip("。！？；，")
        if len(saying) < 6:
            continue
        found.append(
            Found("quote", saying, line_of(match.start(1)), context_of(line, match.start(1), match.end(1), 8), attribution=who)
        )
    return found


# ---------------------------------------------------------------------------
# moves: how a speech opens, turns and closes

_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*")
_OPENING_MOVE = re.compile(
    r"(今天|这次|本次|此次).{0,16}(召开|举行|组织|开展|进行|参加)|主要目的|目的(就)?是|主要任务是|主要是围绕|很高兴"
)
_TRANSITION_MOVE = re.compile(
    r"(下面|接下来|现在|为此|借此机会|最后)[，,]?\s*我(再|就|想|主要)?(讲|强调|谈|提|说)"
    r"|我(再|就|想)?(讲|强调|谈)[一二三四五六七八九两几]+(点|个(方面|问题))"
)
_CLOSING_MOVE = re.compile(r"谢谢|讲话完了|就讲这些|讲到这里|共勉|批评指正|以上|总之|同志们[，！]|让我们")


def _moves(outline: Outline, doc: Document, lines: list[str]) -> list[Found]:
    found: list[Found] = []
    occasion = outline.occasion

    def locate(sentence: str) -> tuple[int, str] | None:
        probe = sentence[:20]
        for i, line in enumerate(lines):
            pos = line.find(probe)
            if pos >= 0:
                return doc.line_of(i, pos), context_of(line, pos, pos + len(sentence), 0)
        return None

    def add(sentence: str, role: str) -> None:
        sentence = sentence.strip()
        if not 6 <= len(sentence) <= 120:
            return
        where = locate(sentence)
        if where:
            found.append(Found("move", sentence, where[0], where[1], role=role, occasion=occasion))

    opening = [s.group(0) for s in _SENTENCE.finditer(outline.opening)]
    openers = [s for s in opening if _OPENING_MOVE.search(s)]
    for sentence in openers[:2]:
        add(sentence, "opening")
    for sentence in opening:
        if _TRANSITION_MOVE.search(sentence) and sentence not in openers[:2]:
            add(sentence, "transition")
    closing = [s.group(0) for s in _SENTENCE.finditer(outline.closing)]
    for i, sentence in enumerate(closing):
        if i == 0 or _CLOSING_MOVE.search(sentence):
            add(sentence, "closing")
    return found


# ---------------------------------------------------------------------------
# frames from sibling headings


def _sibling_groups(sections: list[Section]) -> list[list[Section]]:
    groups = [sections] if len(sections) >= 2 else []
    for section in sections:
        groups.extend(_sibling_groups(section.children))
    return groups


def _frames(outline: Outline, line_text: dict[int, str]) -> list[Found]:
    found: list[Found] = []
    for group in _sibling_groups(outline.sections):
        headings = [normalize_heading(s.heading) for s in group]
        result = frames_from_siblings(headings)
        if not result:
            continue
        frame, members, fills = result
        for index, fill in zip(members, fills):
            section = group[index]
            line = line_text.get(section.line, "")
            at = line.find(section.heading)
            found.append(
                Found(
                    "frame",
                    frame,
                    section.line,
                    context_of(line, at, at + len(section.heading), 6) if at >= 0 else section.heading,
                    fills=[fill],
                    examples=[headings[index]],
                )
            )
    return found


# ---------------------------------------------------------------------------


def _canonical(view: LineView) -> list[Found]:
    """The canon's formulations, however rare, long or cut by jieba (canon.yaml)."""
    return view.canon.finds(view.text, view.line_of, context_of) if view.canon else []


# Every finder that reads one line at a time, in the order their finds are reported.
LINE_FINDERS: tuple[Callable[[LineView], list[Found]], ...] = (_formulas, _idioms, _parallels, _quotes, _quoted_terms, _canonical)


def mine_document(
    doc: Document,
    lexicon: Lexicon,
    segment,
    default_year: int | None = None,
    canon: CanonMatcher | None = None,
    themes: dict[str, list[str]] | None = None,
) -> DocMined:
    """Everything one document yields on its own, plus its tokens for the corpus statistics;
    with `themes`, its example sentences too (sharing the outline)."""
    lines = doc.lines
    if is_traditional(doc.text):
        lines = [to_simplified(line) for line in lines]
        doc = dataclasses.replace(doc, lines=lines)
    found: list[Found] = []
    line_tokens: list[list[str]] = []
    for index, line in enumerate(lines):
        tokens = segment(line)
        # for the corpus statistics, anything that is not a Chinese word is a boundary
        line_tokens.append(list(map(_STREAM_TOKEN.__getitem__, tokens)))
        # the original line of a character of this line (a re-joined line spans several)
        view = LineView.of(line, tokens, functools.partial(doc.line_of, index), lexicon, canon)
        for finder in LINE_FINDERS:
            found.extend(finder(view))
    _count_quoted_terms(found, "\n".join(lines))
    outline = parse_outline(doc)
    found.extend(_moves(outline, doc, lines))
    found.extend(_frames(outline, dict(zip(doc.line_numbers, lines))))
    title = outline.title or doc.title_hint
    dated = document_year(outline.date, doc.year_hint, title or doc.title_hint, doc.source, doc.text, default_year)
    sentences = sentences_of(doc, themes, outline) if themes is not None else None
    return DocMined.of(doc.source, found, line_tokens, doc.line_numbers, lines, doc.joins, dated.year, dated.how, title, sentences)
