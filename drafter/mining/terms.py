"""Set phrases (全面从严治党, 以人民为中心, 供给侧结构性改革) from corpus statistics.

A set phrase is several jieba tokens that belong together. Frequency alone finds "我们要" and
"的工作"; so a candidate must also hold together (its parts co-occur far more often than chance:
pointwise mutual information at its weakest split) and stand free at both ends (varied
neighbours: branching entropy), and it may not start or end on a function word."""

from __future__ import annotations

import bisect
import math
import multiprocessing
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


def _entropy(neighbours: Counter) -> float:
    total = sum(neighbours.values())
    if not total:
        return 0.0
    # a line edge or punctuation is a free boundary: count each such occurrence as its own neighbour
    free = neighbours.pop(BOUNDARY, 0)
    h = -sum(n / total * math.log(n / total) for n in neighbours.values())
    if free:
        h += free / total * math.log(total)
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


def count_ngrams(flat: list[str], min_count: int, parallel: bool = False) -> dict[int, Counter | dict]:
    """Token n-gram counts, n = 1..4. Unigrams and bigrams are kept whole (they are the
    denominators of the cohesion test); trigrams and 4-grams only where frequent enough to be
    candidates (a frequent n-gram's parts are frequent too, so nothing the tests ask for is lost).
    With `parallel`, a forked child counts the 4-grams while this process counts the rest.""" 
    if parallel and "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_count_long, args=(flat, min_count, send), daemon=True)
        child.start()
        send.close()
        short = {**_count_short(flat), **_frequent(flat, min_count, (3,))}
        try:
            long = receive.recv()
        except EOFError:  # the child died: count here instead
            long = _frequent(flat, min_count, (4,))
        child.join()
        return {**short, **long}
    return {**_count_short(flat), **_frequent(flat, min_count, (3, 4))}


def _count_short(flat: list[str]) -> dict[int, Counter]:
    return {1: Counter(flat), 2: Counter(zip(flat, flat[1:]))}


def _frequent(flat: list[str], min_count: int, sizes: tuple[int, ...]) -> dict[int, dict]:
    result = {}
    for n in sizes:
        counts = Counter(zip(*(flat[i:] for i in range(n))))
        result[n] = {gram: count for gram, count in counts.items() if count >= min_count}
    return result


def _count_long(flat: list[str], min_count: int, send) -> None:
    send.send(_frequent(flat, min_count, (4,)))
    send.close()


def find_terms(
    mined: list[DocMined],
    min_count: int,
    min_docs: int,
    min_pmi: float = 3.0,
    min_entropy: float = 0.6,
    theme_words: frozenset[str] = frozenset(),
    parallel: bool = False,
) -> list[TermStats]:
    """Set phrases by cohesion and boundary statistics. A phrase from a single document passes
    the document-count test only when it is frequent there and speaks of one of the themes
    (党风廉政建设 in a five-speech corpus), so that one speech's place names do not."""
    flat: list[str] = []
    for doc in mined:
        for tokens in doc.line_tokens:
            flat.extend(tokens)
            flat.append(BOUNDARY)
    total = len(flat)
    grams = count_ngrams(flat, min_count, parallel)
    candidates: dict[tuple[str, ...], float] = {}
    for n in (2, 3, 4):
        frequent = [(gram, count) for gram, count in grams[n].items() if count >= min_count]
        for gram, count in frequent:
            if not _usable(gram):
                continue
            weakest = min(
                math.log(count * total / (_count(grams, gram[:k]) * _count(grams, gram[k:])))
                for k in range(1, n)
            )
            if weakest >= min_pmi:
                candidates[gram] = weakest
    if not candidates:
        return []
    left: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    right: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    doc_sets: dict[tuple[str, ...], set[int]] = defaultdict(set)
    positions: dict[tuple[str, ...], list[int]] = defaultdict(list)
    by_length: dict[int, set] = defaultdict(set)
    for gram in candidates:
        by_length[len(gram)].add(gram)
    bounds = [0]
    for doc in mined:
        bounds.append(bounds[-1] + sum(len(t) + 1 for t in doc.line_tokens))
    for n, wanted in by_length.items():
        doc_index = 0
        for i, gram in enumerate(zip(*(flat[j:] for j in range(n)))):
            if gram in wanted:
                while i >= bounds[doc_index + 1]:
                    doc_index += 1
                doc_sets[gram].add(doc_index)
                positions[gram].append(i)
                # a function word next to a phrase marks its edge as surely as punctuation does
                before = flat[i - 1] if i else BOUNDARY
                after = flat[i + n] if i + n < total else BOUNDARY
                left[gram][BOUNDARY if before in _FUNCTION_TOKENS else before] += 1
                right[gram][BOUNDARY if after in _FUNCTION_TOKENS else after] += 1
    found: list[TermStats] = []
    for gram, pmi in candidates.items():
        if len(doc_sets[gram]) < min_docs:
            single_doc_ok = min_docs <= 2 and grams[len(gram)][gram] >= 3 and any(w in "".join(gram) for w in theme_words)
            if not single_doc_ok:
                continue
        le, re_ = _entropy(left[gram]), _entropy(right[gram])
        count = grams[len(gram)][gram]
        # free at both ends; or very free at one end and not tied at the other
        # ("坚持|以人民为中心|的": nearly always after 坚持, always a clean break after)
        if min(le, re_) >= min_entropy or (max(le, re_) >= min_entropy + 0.8 and min(le, re_) >= 0.7):
            found.append(TermStats("".join(gram), gram, count, pmi, le, re_, positions[gram]))
    found.extend(_word_terms(grams[1], flat, bounds, mined, min_count, min_docs))
    return _drop_fragments(found)


def _word_terms(unigrams: Counter, flat: list[str], bounds: list[int], mined, min_count: int, min_docs: int) -> list[TermStats]:
    """Set phrases that jieba's dictionary already holds as one word (改革开放, 实事求是,
    精神文明): long words that recur across documents."""
    long_words = {w for w, n in unigrams.items() if len(w) >= 4 and n >= 2 * min_count and _CJK.match(w) and w[0] not in NUMERALS}
    if not long_words:
        return []
    docs: dict[str, set[int]] = defaultdict(set)
    positions: dict[str, list[int]] = defaultdict(list)
    doc_index = 0
    for i, token in enumerate(flat):
        if token in long_words:
            while i >= bounds[doc_index + 1]:
                doc_index += 1
            docs[token].add(doc_index)
            positions[token].append(i)
    return [
        TermStats(w, (w,), unigrams[w], 0.0, 0.0, 0.0, positions[w])
        for w in sorted(long_words)
        if len(docs[w]) >= max(min_docs, 2 if len(mined) > 1 else 1)
        and w[0] not in FUNCTION_CHARS
        and not any(w.startswith(p) for p in _WEAK_STARTS)  # 切实增强, 不断提高
    ]


def _count(grams: dict[int, Counter | dict], part: tuple[str, ...]) -> int:
    if len(part) == 1:
        return grams[1][part[0]] or 1
    return grams[len(part)].get(part) or 1


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
