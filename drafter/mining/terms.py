"""Set phrases (全面从严治党, 以人民为中心, 供给侧结构性改革) from corpus statistics.

A set phrase is several jieba tokens that belong together. Frequency alone finds "我们要" and
"的工作"; so a candidate must also hold together (its parts co-occur far more often than chance:
pointwise mutual information at its weakest split) and stand free at both ends (varied
neighbours: branching entropy), and it may not start or end on a function word."""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import operator
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from drafter.mining.extract import BOUNDARY, FUNCTION_CHARS, NUMERALS, DocMined, Found, context_of

_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
_FUNCTION_TOKENS = {
    "的", "了", "和", "在", "把", "与", "及", "等", "或", "而", "并", "也", "都", "就", "着", "过", "被", "将",
    "从", "向", "给", "对", "是", "有", "要", "我", "我们", "你", "他", "它", "这", "那", "这个", "那个", "一个",
    "一些", "一定", "不", "没有", "就是", "还", "又", "再", "很", "更", "最", "所", "其", "之", "以及", "但",
    "但是", "如果", "因为", "所以", "为了", "通过", "进行", "各", "每", "该", "此", "其中", "已经", "正在",
    "继续", "进一步", "大家", "自己", "地", "得", "中", "上", "下", "里", "时", "后", "前", "年",
}
# Words that open or close a stretch of speech rather than a set phrase: "对于领导干部来说",
# "按照习近平总书记", "真正做到".
_WEAK_STARTS = {
    "对于", "按照", "根据", "通过", "关于", "作为", "为了", "今天", "现在", "有些", "一名", "每个", "各个",
    "这些", "那些", "什么", "怎样", "如何", "跟", "同", "让", "使", "不断", "真正", "时刻", "始终", "切实",
    "坚决", "认真", "积极", "深入", "全力", "大力", "持续", "同时", "还要", "必须", "能够", "可以", "应该",
    "不能", "不要", "一件", "一次", "很多", "许多", "所有", "其他", "有的", "这样", "那样", "特别", "尤其",
}
_WEAK_ENDS = {
    "来说", "不是", "起来", "一下", "什么", "等等", "之后", "以后", "以来", "时候", "方面", "问题", "的话",
    "他们", "我们", "大家", "必须", "一套", "一件", "不行", "以为", "同志",
}
_ONE_CHAR_STARTS = set("以为讲抓促新大全党")
_BARE_NOUNS = {"政治", "理论", "工作", "思想", "组织"}


@dataclass
class TermStats:
    text: str
    tokens: tuple[str, ...]
    count: int
    pmi: float
    left_entropy: float
    right_entropy: float
    positions: list[int] = field(default_factory=list)  # where it stands in the corpus token stream


def _entropy(neighbours: Counter, free: set[int]) -> float:
    """Branching entropy of a phrase's neighbours (token ids). A line edge, punctuation or a
    function word is a free boundary: each such occurrence counts as a neighbour of its own."""
    total = sum(neighbours.values())
    if not total:
        return 0.0
    edges = sum(n for token, n in neighbours.items() if token in free)
    h = -sum(n / total * math.log(n / total) for token, n in neighbours.items() if token not in free)
    if edges:
        h += edges / total * math.log(total)
    return h


def _usable(gram: tuple[str, ...]) -> bool:
    if BOUNDARY in gram or not all(_CJK.match(t) for t in gram):
        return False
    if gram[0] in _FUNCTION_TOKENS or gram[-1] in _FUNCTION_TOKENS:
        return False
    if gram[0][0] in FUNCTION_CHARS or gram[-1][-1] in FUNCTION_CHARS:
        return False
    if all(len(t) == 1 for t in gram) or any(t[0] in NUMERALS for t in gram):
        return False
    if "的" in gram and gram[0] != "党":  # "产品的产量", but "党的建设"
        return False
    if len(gram) == 2 and gram[-1] in _BARE_NOUNS:  # "提高政治", "强化理论": a verb and half its object
        return False
    if gram[0] in _WEAK_STARTS or gram[-1] in _WEAK_ENDS or len(gram[-1]) == 1:
        return False
    if len(gram[0]) == 1 and gram[0] not in _ONE_CHAR_STARTS:
        return False
    return 4 <= sum(map(len, gram)) <= 12


class TokenStream:
    """The corpus as one stream of token ids (a BOUNDARY after every line, documents in order).
    An n-gram is keyed by one integer, its ids read as digits in base `base`: counting ints is
    about twice as fast as counting tuples of strings, and a key's prefix and suffix are one
    division away."""

    def __init__(self, mined: list[DocMined]):
        vocabulary: defaultdict[str, int] = defaultdict()
        vocabulary.default_factory = vocabulary.__len__  # a new token gets the next id
        vocabulary[BOUNDARY] = 0
        tokens: list[str] = []
        bounds = [0]
        for doc in mined:
            for line in doc.line_tokens:
                tokens.extend(line)
                tokens.append(BOUNDARY)
            bounds.append(len(tokens))
        self.ids = list(map(vocabulary.__getitem__, tokens))
        vocabulary.default_factory = None
        self.vocabulary = vocabulary
        self.words = list(vocabulary)
        self.bounds = bounds  # where each document starts in the stream
        self.base = len(self.words)

    def __len__(self) -> int:
        return len(self.ids)

    def next_keys(self, keys: list[int], n: int) -> list[int]:
        """Keys of the n-grams from the keys of the (n-1)-grams."""
        return list(map(operator.add, map(operator.mul, keys, itertools.repeat(self.base)), self.ids[n - 1:]))

    def decode(self, key: int, n: int) -> tuple[str, ...]:
        parts = []
        for _ in range(n):
            key, last = divmod(key, self.base)
            parts.append(self.words[last])
        return tuple(reversed(parts))


def find_terms(
    mined: list[DocMined],
    min_count: int,
    min_docs: int,
    min_pmi: float = 3.0,
    min_entropy: float = 0.6,
    theme_words: frozenset[str] = frozenset(),
) -> list[TermStats]:
    """Set phrases by cohesion and boundary statistics. A phrase from a single document passes
    the document-count test only when it is frequent there and speaks of one of the themes
    (党风廉政建设 in a five-speech corpus), so that one speech's place names do not."""
    stream = TokenStream(mined)
    ids, base = stream.ids, stream.base
    total = len(ids)
    document_of = functools.partial(bisect.bisect_right, stream.bounds)
    # a function word next to a phrase marks its edge as surely as punctuation does
    free = {stream.vocabulary[w] for w in _FUNCTION_TOKENS if w in stream.vocabulary} | {stream.vocabulary[BOUNDARY]}
    counts: dict[int, dict[int, int]] = {1: Counter(ids)}
    found: list[TermStats] = []
    keys = ids
    for n in (2, 3, 4):
        keys = stream.next_keys(keys, n)
        every = Counter(keys)
        # Only frequent n-grams are candidates, and the parts of a frequent n-gram are frequent
        # too: the rest need not be kept for the longer n-grams' cohesion test.
        counts[n] = {key: every[key] for key in itertools.compress(every.keys(), map(min_count.__le__, every.values()))}
        del every
        # cohesion: pointwise mutual information at the weakest split
        candidates: dict[int, tuple[tuple[str, ...], float]] = {}
        for key, count in counts[n].items():
            gram = stream.decode(key, n)
            if not _usable(gram):
                continue
            weakest = min(
                math.log(count * total / ((counts[k].get(key // base ** (n - k)) or 1) * (counts[n - k].get(key % base ** (n - k)) or 1)))
                for k in range(1, n)
            )
            if weakest >= min_pmi:
                candidates[key] = (gram, weakest)
        if not candidates:
            continue
        # boundaries: where each candidate stands, in how many documents, and its neighbours
        positions: dict[int, list[int]] = defaultdict(list)
        for i in itertools.compress(itertools.count(), map(candidates.__contains__, keys)):
            positions[keys[i]].append(i)
        for key, (gram, pmi) in candidates.items():
            count = counts[n][key]
            where = positions[key]
            if len(set(map(document_of, where))) < min_docs:
                single_doc_ok = min_docs <= 2 and count >= 3 and any(w in "".join(gram) for w in theme_words)
                if not single_doc_ok:
                    continue
            # no candidate holds a boundary and the stream ends with one, so i + n is inside
            # it, and for i = 0 the neighbour at -1 is that final boundary
            le = _entropy(Counter(map(ids.__getitem__, map((-1).__add__, where))), free)
            re_ = _entropy(Counter(map(ids.__getitem__, map(n.__add__, where))), free)
            # free at both ends; or very free at one end and not tied at the other
            # ("坚持|以人民为中心|的": nearly always after 坚持, always a clean break after)
            if min(le, re_) >= min_entropy or (max(le, re_) >= min_entropy + 0.8 and min(le, re_) >= 0.7):
                found.append(TermStats("".join(gram), gram, count, pmi, le, re_, where))
    found.extend(_word_terms(stream, counts[1], mined, min_count, min_docs))
    return _drop_fragments(found)


def _word_terms(stream: TokenStream, unigrams: Counter, mined, min_count: int, min_docs: int) -> list[TermStats]:
    """Set phrases that jieba's dictionary already holds as one word (改革开放, 实事求是,
    精神文明): long words that recur across documents."""
    words = stream.words
    long_words = {
        i for i, n in unigrams.items()
        if n >= 2 * min_count and len(words[i]) >= 4 and _CJK.match(words[i]) and words[i][0] not in NUMERALS
    }
    if not long_words:
        return []
    docs: dict[int, set[int]] = defaultdict(set)
    positions: dict[int, list[int]] = defaultdict(list)
    for i in itertools.compress(itertools.count(), map(long_words.__contains__, stream.ids)):
        docs[stream.ids[i]].add(bisect.bisect_right(stream.bounds, i) - 1)
        positions[stream.ids[i]].append(i)
    terms = []
    for i in sorted(long_words, key=words.__getitem__):
        w = words[i]
        if (
            len(docs[i]) >= max(min_docs, 2 if len(mined) > 1 else 1)
            and w[0] not in FUNCTION_CHARS
            and not any(w.startswith(p) for p in _WEAK_STARTS)  # 切实增强, 不断提高
        ):
            terms.append(TermStats(w, (w,), unigrams[i], 0.0, 0.0, 0.0, positions[i]))
    return terms


def _drop_fragments(terms: list[TermStats]) -> list[TermStats]:
    """A shorter term that (almost) only occurs inside a longer one is a fragment of it."""
    terms.sort(key=lambda t: (-len(t.text), t.text))
    container_count: dict[str, int] = {}  # substring of a kept term -> the largest such term's count
    kept: list[TermStats] = []
    for term in terms:
        if term.count <= container_count.get(term.text, 0) * 1.25:
            continue
        kept.append(term)
        text = term.text
        for i in range(len(text)):
            for j in range(i + 4, len(text) + (1 if i else 0)):
                sub = text[i:j]
                if container_count.get(sub, 0) < term.count:
                    container_count[sub] = term.count
    return kept


def locate_terms(mined: list[DocMined], terms: list[TermStats], max_sources: int = 20) -> list[tuple[str, Found]]:
    """Every occurrence of each term: (document, Found with original line and context), from the
    positions the statistics pass recorded in the corpus token stream (one token per position,
    a BOUNDARY after every line, documents in order). Only the first `max_sources` lines get a
    Found; every Found carries the term's total occurrences and documents in its extra."""
    starts: list[int] = []
    places: list[tuple[DocMined, int]] = []
    position = 0
    for doc in mined:
        for index, tokens in enumerate(doc.line_tokens):
            starts.append(position)
            places.append((doc, index))
            position += len(tokens) + 1
    found: list[tuple[str, Found]] = []
    for term in terms:
        where = [places[bisect.bisect_right(starts, at) - 1] for at in term.positions]
        totals = {"total": len(where), "total_docs": len({id(doc) for doc, _ in where})}
        seen: set[tuple[int, int]] = set()
        for doc, index in where:
            if (id(doc), index) in seen:
                continue
            seen.add((id(doc), index))
            if len(seen) > max_sources:
                break  # the rest only count, and totals carries the count
            line = doc.lines[index]
            pos = line.find(term.text)
            context = context_of(line, pos, pos + len(term.text))
            found.append((doc.source, Found("term", term.text, doc.line_numbers[index], context, totals)))
    return found
