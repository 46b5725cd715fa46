"""jieba, loaded lazily: segmentation and the dictionary's idiom tags.

jieba's dict.txt tags idioms `i` and set phrases (习用语) `l`; reading those tags from the file
costs a fraction of what jieba.posseg would cost per token."""

from __future__ import annotations

import functools
import logging
import re

log = logging.getLogger(__name__)

_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]+$")


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


# a dictionary row "word frequency tag", tagged idiom (i) or set phrase (l)
_IDIOM_ROW = re.compile(r"^([\u4e00-\u9fff]{4,})[ \t]+(\d+)[ \t]+[il][ \t]*\r?$", re.MULTILINE)


@functools.lru_cache(maxsize=1)
def idiom_words() -> frozenset[str]:
    """Words jieba's dictionary tags as idioms (i) or set phrases (l), four characters or more.
    Frequency 3 is what jieba gives bulk-added compounds (生态环境, 体制改革); real idioms carry
    counts, or show the idiom's form (风风火火, 又富又美, 苦干实干)."""
    jieba = _jieba()
    with jieba.get_dict_file() as handle:
        raw = handle.read()
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    return frozenset(word for word, count in _IDIOM_ROW.findall(text) if int(count) >= 5 or _idiom_form(word))
