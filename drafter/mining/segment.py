"""jieba, loaded lazily: segmentation and what its dictionary's tags say.

jieba's dict.txt tags idioms `i`, set phrases (习用语) `l` and numerals `m`; reading those tags
from the file costs a fraction of what jieba.posseg would cost per token."""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass

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


_IDIOM_ROW = re.compile(r"^([\u4e00-\u9fff]{4,})[ \t]+(\d+)[ \t]+[il][ \t]*\r?$", re.MULTILINE)
_NUMERAL_ROW = re.compile(r"^([^\s一二两三四五六七八九十百千万双]*[一二两三四五六七八九十百千万双]\S*)[ \t]+\d+[ \t]+([im])[ \t]*\r?$", re.MULTILINE)


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """From jieba's dict.txt ("word frequency tag" rows). Frequency 3 is what jieba gives
    bulk-added compounds (生态环境, 体制改革); real idioms carry counts, or show the idiom's
    form (风风火火, 又富又美, 苦干实干)."""
    jieba = _jieba()
    with jieba.get_dict_file() as handle:
        raw = handle.read()
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    idioms = frozenset(word for word, count in _IDIOM_ROW.findall(text) if int(count) >= 5 or _idiom_form(word))
    numeral_rows = _NUMERAL_ROW.findall(text)
    return Lexicon(
        idioms,
        frozenset(word for word, tag in numeral_rows if tag == "i"),
        frozenset(word for word, tag in numeral_rows if tag == "m"),
    )

