"""jieba, loaded lazily: segmentation and what its dictionary's tags say.

jieba's dict.txt tags idioms `i`, set phrases (习用语) `l` and numerals `m`; reading those tags
from the file costs a fraction of what jieba.posseg would cost per token."""

from __future__ import annotations

import functools
import importlib.util
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from drafter.fileio import cached_for_file

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)  # jieba logs its cache build at INFO on its own handler
    jieba.initialize()
    return jieba


def segment(text: str) -> list[str]:
    """Tokens of `text` from jieba's dictionary (no HMM guessing: unknown runs stay as single
    characters, which is what the n-gram statistics for set phrases want)."""
    return _jieba().lcut(text, HMM=False)


def _idiom_form(word: str) -> bool:
    if len(word) != 4:
        return False
    a, b, c, d = word
    return (a == b and c == d) or a == c or b == d


@dataclass(frozen=True)
class Lexicon:
    """What the map step needs from jieba's dictionary besides segmentation."""

    idioms: frozenset[str]  # tagged idiom (i) or set phrase (l), four characters or more
    numeral_idioms: frozenset[str]  # idioms (i) with a numeral: 千方百计, 四通八达 — not formulas
    numbers: frozenset[str]  # numerals and quantities (m): 千千万万, 一百多 — not formulas
    # idioms jieba's dictionary mistags as names of people (清正廉洁, 严于律己, 廉洁奉公 nr):
    # idioms when a corpus uses them more than once (a four-character name seldom recurs in speeches)
    rare_idioms: frozenset[str] = frozenset()


_IDIOM_ROW = re.compile(r"^([\u4e00-\u9fff]{4,})[ \t]+(\d+)[ \t]+[il][ \t]*\r?$", re.MULTILINE)
_RARE_IDIOM_ROW = re.compile(r"^([\u4e00-\u9fff]{4})[ \t]+(\d+)[ \t]+nr[ \t]*\r?$", re.MULTILINE)
_TWO_ROW = re.compile(r"^([\u4e00-\u9fff]{2})[ \t]+(\d+)[ \t]", re.MULTILINE)
_NUMERAL_ROW = re.compile(r"^([^\s一二两三四五六七八九十百千万双]*[一二两三四五六七八九十百千万双]\S*)[ \t]+\d+[ \t]+([im])[ \t]*\r?$", re.MULTILINE)


# Bump when what is read from the dictionary changes: the results are cached per dict.txt.
_CACHE_VERSION = 14


def _dictionary_path() -> Path | None:
    """jieba's dict.txt, found without importing jieba."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(spec.submodule_search_locations[0]) / "dict.txt"


def _from_dictionary(kind: str, derive):
    """`derive(text of dict.txt)`, cached in the user's cache folder until dict.txt changes."""
    path = _dictionary_path()

    def compute():
        try:
            text = path.read_text(encoding="utf-8") if path else ""
        except OSError:
            text = ""
        return derive(text)

    return cached_for_file(path, f"jieba-{kind}-{_CACHE_VERSION}", compute) if path else compute()


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """From jieba's dict.txt ("word frequency tag" rows). Frequency 3 is what jieba gives
    bulk-added compounds (生态环境, 体制改革); real idioms carry counts, or show the idiom's
    form (风风火火, 又富又美, 苦干实干)."""

    def derive(text: str) -> tuple:
        idioms = frozenset(word for word, count in _IDIOM_ROW.findall(text) if int(count) >= 5 or _idiom_form(word))
        numeral_rows = _NUMERAL_ROW.findall(text)
        numeral_idioms = frozenset(word for word, tag in numeral_rows if tag == "i")
        frequent = {word for word, count in _TWO_ROW.findall(text) if int(count) >= 1000}
        rare = frozenset(
            word for word, count in _RARE_IDIOM_ROW.findall(text)
            if int(count) >= 5 and word not in idioms and not (word[:2] in frequent and word[2:] in frequent)
        )  # not two frequent words: 明显|增加, 采取|措施
        return idioms, numeral_idioms, frozenset(word for word, tag in numeral_rows if tag == "m"), rare

    return Lexicon(*_from_dictionary("lexicon", derive))


def prepare() -> None:
    """Load what segmenting and mining a document need (in each worker process, at start)."""
    _jieba()
    lexicon()


@dataclass(frozen=True)
class WordClasses:
    """Word classes from jieba's dictionary tags, for telling set phrases from stretches of
    speech without tagging the corpus."""

    verbs: frozenset[str] = frozenset()  # v: 构建, 坚持, 实施 (jieba tags 发展, 建设 vn)
    adverbs: frozenset[str] = frozenset()  # d, ad: 更加, 逐步, 切实
    prepositions: frozenset[str] = frozenset()  # p: 在, 向, 把, 经过, 以, 为
    # no set phrase ends with a pronoun, time word, numeral, conjunction, measure, particle or
    # preposition (世界各国, 领导岗位上来, 平均每年), nor starts with a conjunction, measure or
    # particle or time word. Adverbs are not on these lists: jieba tags 进步, 互动, 更新 as adverbs.
    no_end: frozenset[str] = frozenset()
    no_start: frozenset[str] = frozenset()
    # set phrases (l) built as a modifier and a noun: 高等教育, 对外贸易, 固定资产 — terms, not idioms
    compounds: frozenset[str] = frozenset()
    # four-character names of places and organisations: 马来西亚 — no idiom even in quotes
    plain_four: frozenset[str] = frozenset()
    # everyday two-character nouns (n, vn, nz, ns): a quoted four-character expression made of
    # one and a noun head (“僵尸企业”, “厕所革命”, “投资中国”) is a name or compound, no idiom
    nouns: frozenset[str] = frozenset()
    # four-character dictionary words that are idioms or names of things, whatever the tag
    # jieba gave them (烫手山芋 n, 五湖四海 nz, 柳暗花明 nr): a quoted one is no coinage
    known_four: frozenset[str] = frozenset()
    # everyday two-character words a quoted expression may be (“减法”, “和平”): emphasis, no set phrase
    everyday_two: frozenset[str] = frozenset()
    # set phrases (l) that end in a place or time word (不久以后, 在此之前): no idioms
    plain_phrases: frozenset[str] = frozenset()
    # three-character words of jieba's that start with a numeral and name a thing (一把手 m,
    # 双刃剑 nr, 两张皮 n, 三角债 n): no formula, unlike the set phrases 三步走, 两手抓 (l)
    numeral_nouns: frozenset[str] = frozenset()
    adjectives: frozenset[str] = frozenset()  # a, ad: 正确, 充分 — a verb phrase does not end on one (树立正确|的…)


_TAGGED_ROW = re.compile(r"^([\u4e00-\u9fff]{2,})[ \t]+(\d+)[ \t]+([a-z]+)[ \t]*\r?$", re.MULTILINE)
_LEADING_NUMERALS = set("一二两三四五六七八九十百千万双")
_COMMON = 100  # a dictionary frequency above which a two-character word is an everyday word
_CLASS_ROW = re.compile(r"^(\S+)[ \t]+\d+[ \t]+(v|d|ad|a|p|r|t|m|c|q|u|f|b)[ \t]*\r?$", re.MULTILINE)


@functools.lru_cache(maxsize=1)
def word_classes() -> WordClasses:
    """Read from the dictionary file without loading jieba: the main process of `analyze`
    needs them and never segments."""

    def derive(text: str) -> dict:
        by_tag: dict[str, set[str]] = {}
        for word, tag in _CLASS_ROW.findall(text):
            by_tag.setdefault(tag, set()).add(word)

        def tagged(*tags: str) -> frozenset[str]:
            return frozenset().union(*(by_tag.get(tag, ()) for tag in tags))

        common: dict[str, str] = {}  # everyday two-character words and their tags
        set_phrases: list[str] = []
        plain_four: set[str] = set()
        known_four: set[str] = set()
        everyday_two: set[str] = set()
        numeral_nouns: set[str] = set()
        for word, count, tag in _TAGGED_ROW.findall(text):
            if len(word) == 2:
                if int(count) >= _COMMON:
                    common[word] = tag
                if int(count) >= 20 and tag not in ("m", "q", "j"):
                    everyday_two.add(word)
            elif tag == "l" and len(word) == 4:
                set_phrases.append(word)
            elif len(word) == 4 and tag in ("ns", "nt"):
                plain_four.add(word)
            if len(word) == 3 and word[0] in _LEADING_NUMERALS and tag in ("n", "nr", "nz", "ns", "j", "m", "t"):
                numeral_nouns.add(word)
            if len(word) == 4 and tag in ("i", "l", "n", "nz", "nr") and int(count) >= 3:
                known_four.add(word)
        # two everyday words, a modifier and a noun: 高等|教育, 固定|资产, 主要|矛盾 (jieba tags 长途
        # an adverb: 长途|电话), and -isms (享乐主义); not 两袖|清风 or 广为|流传
        compounds = frozenset(
            word for word in set_phrases
            if common.get(word[2:]) in ("n", "vn", "nz", "an") and common.get(word[:2]) in ("n", "vn", "nz", "a", "b", "s", "f", "d")
            or word.endswith("主义")  # 享乐主义, 官僚主义: the name of an -ism
        )
        return {
            "compounds": compounds,
            "plain_four": frozenset(plain_four),
            "nouns": frozenset(w for w, tag in common.items() if tag in ("n", "vn", "nz", "ns")),
            "known_four": frozenset(known_four),
            "everyday_two": frozenset(everyday_two),
            "numeral_nouns": frozenset(numeral_nouns),
            "adjectives": tagged("a", "ad"),
            "plain_phrases": frozenset(w for w in set_phrases if common.get(w[:2]) and common.get(w[2:]) in ("f", "t")),
            "verbs": tagged("v"),
            "adverbs": tagged("d", "ad"),
            "prepositions": tagged("p"),
            # nor on a place word or a modifier that only stands before its noun: 社会生产之间, 城乡居民|主要
            "no_end": tagged("r", "t", "m", "c", "q", "u", "p", "f", "b"),
            "no_start": tagged("c", "q", "u", "t"),  # nor on a time word: 今年|政府工作
        }

    return WordClasses(**_from_dictionary("classes", derive))
