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


@functools.lru_cache(maxsize=1)
def idiom_words() -> frozenset[str]:
    """Words jieba's dictionary tags as idioms (i) or set phrases (l), four characters or more."""
    jieba = _jieba()
    words: set[str] = set()
    path = jieba.get_dict_file()
    try:
        for raw in path:
            parts = raw.decode("utf-8").split() if isinstance(raw, bytes) else raw.split()
            if len(parts) == 3 and parts[2] in ("i", "l") and len(parts[0]) >= 4 and _CJK_WORD.match(parts[0]):
                # frequency 3 is what jieba gives bulk-added compounds (生态环境, 体制改革); real
                # idioms carry counts, or show the idiom's form (风风火火, 又富又美, 苦干实干)
                if int(parts[1]) >= 5 or _idiom_form(parts[0]):
                    words.add(parts[0])
    finally:
        path.close()
    return frozenset(words)
