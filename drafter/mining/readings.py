"""What jieba's dictionary tags say of its set phrases (l) and idioms (i) that are no idioms.

jieba tags as set phrases many names of things and fields (学前教育, 可比价格, 技术改造), verbs
with their objects (强化食品, 发生变化) and words that link sentences (也就是说, 总的看来).
Reduce files the first as terms and drops the others; read from dict.txt once and cached
until it changes."""

from __future__ import annotations

import functools
import re

from drafter.mining.segment import _from_dictionary


def _idiom_form(word: str) -> bool:
    a, b, c, d = word
    return (a == b and c == d) or a == c or b == d


_MODIFIERS = {"n", "vn", "v", "b", "a", "an", "m", "j", "nz", "nt", "s", "f"}  # not ns: jieba tags 广为 a place
_ROW = re.compile(r"^([\u4e00-\u9fff]{2,5})[ \t]+(\d+)[ \t]+([a-z]+)[ \t]*\r?$", re.MULTILINE)


@functools.lru_cache(maxsize=1)
def set_phrase_readings() -> dict[str, frozenset[str]]:
    """How jieba's set phrases (l) and idioms (i) that are no idioms read, from its dictionary:
    "terms": a modifier and an everyday noun or verb head that name a thing or a field
    (学前|教育, 可比|价格, 剩余|劳动力, 刑事|犯罪, 技术|改造, 综合|治理); "connectives": words
    that link sentences (也就是说, 总的看来, 尽管如此, 无论如何)."""

    def derive(text: str) -> dict[str, list[str]]:
        rows = {word: (int(count), tag) for word, count, tag in _ROW.findall(text)}
        phrases = [word for word, (_, tag) in rows.items() if len(word) >= 4 and tag in ("i", "l")]
        # quoted, a dictionary noun of that make is a term too: “先进分子”, but not “烫手山芋” (n)
        nouns = [word for word, (_, tag) in rows.items() if len(word) >= 4 and tag in ("n", "nz")]
        return {
            "terms": sorted(w for w in phrases + nouns if _modifier_and_head(w, rows[w][1], rows)),
            "verb_objects": sorted(w for w in phrases if rows[w][1] == "l" and _verb_and_object(w, rows)),
            "connectives": sorted(w for w in phrases if rows[w][1] == "l" and _connective(w, rows)),
        }

    readings = _from_dictionary("set-phrase-readings-7", derive)
    return {name: frozenset(words) for name, words in readings.items()}


def _verb_and_object(word: str, rows: dict[str, tuple[int, str]]) -> bool:
    """A common verb and a noun (强化|食品, 发生|变化, 运载|火箭): a verb and its object as often
    as a name, and no idiom; the statistics find it as a term if it is one."""
    if len(word) != 4 or _idiom_form(word):
        return False
    (verb_count, verb_tag), (_, noun_tag) = rows.get(word[:2], (0, "")), rows.get(word[2:], (0, ""))
    return verb_tag == "v" and verb_count >= 500 and noun_tag in ("n", "vn") and word[0] not in "不无未非"  # 不失时机


def _connective(word: str, rows: dict[str, tuple[int, str]]) -> bool:
    if len(word) == 4 and _idiom_form(word):
        return False  # 敢想敢说
    if word.endswith(("来说", "说来", "地说", "是说", "看来", "一来")):
        return True  # 也就是说, 总的看来, 这样一来
    # a conjunction and a pronoun or particle: 尽管|如此, 无论|如何, 不然|的话
    return len(word) == 4 and rows.get(word[:2], (0, ""))[1] == "c" and rows.get(word[2:], (0, ""))[1] in ("r", "u")


def _modifier_and_head(word: str, tag: str, rows: dict[str, tuple[int, str]]) -> bool:
    """A modifier and a head noun (学前|教育) or, for a set phrase, a noun and a verb head
    (技术|改造, 综合|治理). A verb and its object stays an idiom (诉诸|武力, 留有|余地: the
    verb is a rare word), and so does a negated one (不失|时机, 不容|忽视), unless its head is
    one of the commonest nouns (不变|价格)."""
    if len(word) == 4 and _idiom_form(word):
        return False
    for cut in (len(word) - 2, len(word) - 3):
        modifier, head = word[:cut], word[cut:]
        if len(modifier) < 2 or modifier not in rows or head not in rows:
            continue
        if _named(word, tag, rows[modifier], rows[head], modifier[0] in "不无未非有"):
            return True
    return False


def _named(word: str, tag: str, modifier: tuple[int, str], head: tuple[int, str], negated: bool) -> bool:
    (modifier_count, modifier_tag), (head_count, head_tag) = modifier, head
    if tag == "i":  # idioms proper, but for a class word before a noun: 刑事|犯罪, 土壤|污染
        return head_count >= 100 and (modifier_tag == "b" and head_tag in ("n", "vn") or modifier_tag == "n" and head_tag == "vn")
    if head_tag == "v":
        return head_count >= 1000 and modifier_tag in ("n", "vn", "b", "nz", "j") and modifier_count >= 200 and not negated
    if len(word) > 4 and modifier_tag == "v" and head_tag == "n" and head_count >= 100:
        return True  # 剩余|劳动力
    return _noun_head(negated and word[0] != "有", modifier_count, modifier_tag, head_count, head_tag)


def _noun_head(negated: bool, modifier_count: int, modifier_tag: str, head_count: int, head_tag: str) -> bool:
    if head_count < 100 or head_tag not in ("n", "vn", "nz"):
        return False
    if modifier_tag not in _MODIFIERS or modifier_count < 20:
        return False
    if modifier_tag == "v" and modifier_count >= 150:
        return False  # a verb and its object, or a name (_verb_and_object)
    if modifier_tag in ("v", "a") and modifier_count < 150 and head_tag != "vn":
        return False  # 诉诸|武力, 牟取|暴利, 勤俭|节约; but 学前|教育, 抽样|调查
    return not (negated and head_count < 3000)
