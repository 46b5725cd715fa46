"""jieba, loaded lazily: segmentation and what its dictionary's tags say.

jieba's dict.txt tags idioms `i`, set phrases (习用语) `l` and numerals `m`; reading those tags
from the file costs a fraction of what jieba.posseg would cost per token."""

from __future__ import annotations

import functools
import importlib.util
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from drafter.fileio import cached_for_file

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def _jieba():
    """jieba, initialised with its prefix-dictionary cache in our cache folder (not the shared
    temporary folder, where another user's file makes every run log "Dump cache file failed"
    with a traceback). Without a cache folder jieba builds its dictionary and keeps no cache.
    Its logger stays quiet about cache trouble either way."""
    import jieba

    from drafter.fileio import cache_dir, make_cache_dir

    jieba.setLogLevel(logging.WARNING)  # jieba logs its cache build at INFO on its own handler
    folder = cache_dir()
    if folder is not None and make_cache_dir(folder):
        jieba.dt.tmp_dir = str(folder)
    else:
        jieba.dt.tmp_dir = os.devnull  # not a folder: nothing is read from it, nothing written
    logger = jieba.default_logger
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)  # jieba reports a failed cache write with a traceback
    try:
        jieba.initialize()
    finally:
        logger.setLevel(level)
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


_IDIOM_ROW = re.compile(r"^([\u4e00-\u9fff]{4,})[ \t]+(\d+)[ \t]+[il][ \t]*\r?$", re.MULTILINE)
_NUMERAL_ROW = re.compile(r"^([^\s一二两三四五六七八九十百千万双]*[一二两三四五六七八九十百千万双]\S*)[ \t]+\d+[ \t]+([im])[ \t]*\r?$", re.MULTILINE)


# Bump when what is read from the dictionary changes: the results are cached per dict.txt.
_CACHE_VERSION = 5


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
        return idioms, numeral_idioms, frozenset(word for word, tag in numeral_rows if tag == "m")

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
    # particle. Adverbs are not on these lists: jieba tags 进步, 互动, 更新 as adverbs.
    no_end: frozenset[str] = frozenset()
    no_start: frozenset[str] = frozenset()
    # set phrases (l) built as a modifier and a noun: 高等教育, 对外贸易, 固定资产 — terms, not idioms
    compounds: frozenset[str] = frozenset()
    # four-character names of places and organisations: 马来西亚 — no idiom even in quotes
    plain_four: frozenset[str] = frozenset()


_TAGGED_ROW = re.compile(r"^([\u4e00-\u9fff]{2,})[ \t]+(\d+)[ \t]+([a-z]+)[ \t]*\r?$", re.MULTILINE)
_COMMON = 100  # a dictionary frequency above which a two-character word is an everyday word
_CLASS_ROW = re.compile(r"^(\S+)[ \t]+\d+[ \t]+(v|d|ad|p|r|t|m|c|q|u)[ \t]*\r?$", re.MULTILINE)


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
        for word, count, tag in _TAGGED_ROW.findall(text):
            if len(word) == 2:
                if int(count) >= _COMMON:
                    common[word] = tag
            elif tag == "l" and len(word) == 4:
                set_phrases.append(word)
            elif len(word) == 4 and tag in ("ns", "nt"):
                plain_four.add(word)
        # two everyday words, a modifier and a noun: 高等|教育, 固定|资产; not 两袖|清风 or 广为|流传
        compounds = frozenset(
            word for word in set_phrases
            if common.get(word[2:]) in ("n", "vn", "nz") and common.get(word[:2]) in ("n", "vn", "nz", "a", "b", "s", "f")
        )
        return {
            "compounds": compounds,
            "plain_four": frozenset(plain_four),
            "verbs": tagged("v"),
            "adverbs": tagged("d", "ad"),
            "prepositions": tagged("p"),
            "no_end": tagged("r", "t", "m", "c", "q", "u", "p"),
            "no_start": tagged("c", "q", "u"),
        }

    return WordClasses(**_from_dictionary("classes", derive))
