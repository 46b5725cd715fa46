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
import re
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable, Sequence

from drafter.document import line_at
from drafter.genre import CJK_BASIC, FORMULA_NUMERALS, NUMBER_CHARS
from drafter.mining.counting import PythonCounting, counting_for, numpy_module
from drafter.mining.extract import FUNCTION_CHARS, context_of
from drafter.mining.mined import BOUNDARY, DocMined
from drafter.mining.segment import WordClasses
from drafter.model import Found

_CJK = re.compile(f"^[{CJK_BASIC}]+$")
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
    "更加", "更好", "更为", "非常", "十分", "极为", "最为",  # degree: 更加充分, 极为重要 (but 比较优势)
    "不能", "不要", "一件", "一次", "很多", "许多", "所有", "其他", "有的", "这样", "那样", "特别", "尤其",
}
_WEAK_ENDS = {
    "来说", "不是", "起来", "一下", "什么", "等等", "之后", "以后", "以来", "时候", "方面", "问题", "的话",
    "他们", "我们", "大家", "必须", "一套", "一件", "不行", "以为", "同志", "亲自", "尚未", "不少", "空前",
}
_INNER_PARTICLES = {"了", "地", "着", "过", "要", "得", "等"}  # 等: the tail of a list (档案等事业)
# prepositions that may stand in a set phrase: 以人民为中心, 为人民服务, 世界和平与发展, 党同人民群众
_LINKING_PREPOSITIONS = {"以", "为", "与", "同", "和", "及"}
_ONE_CHAR_STARTS = set("以为讲抓促新大全党可")  # 可|持续|发展
_ONE_CHAR_ENDS = set("梦区省市县乡镇村国军局委院部厅")  # 中国|梦, 粤港澳|大湾|区
_BARE_NOUNS = {"政治", "理论", "工作", "思想", "组织"}
# verbs of saying and deciding: a phrase with one at its edge is the start or end of a report
# of what someone said or decided (代表国务院向大会…, 会议号召全国…, 国务院决定…)
_SAYING_VERBS = {
    "指出", "认为", "号召", "强调", "宣布", "表示", "声明", "宣告", "审议", "听取", "提请", "同意", "批准", "说",
}
_SPEAKING_FOR = {"代表", "决定"}  # before a name, not a noun (代表国务院, but 代表人物), nor at the end (人大代表)


# heads that turn a named idea into the policy or doctrine of it: 科教兴国|战略, 一国两制|方针
_NAMED_BY_HEAD = {"战略", "方针", "政策", "思想", "理论"}
MAX_TOKENS = 5  # 以|经济|建设|为|中心
USED_AS_OBJECT = 0.25  # the share of occurrences after a verb that shows a phrase used as a noun
ADVERBIAL_SHARE = 0.5  # a word that stands before a verb this often is used as an adverb
ADVERBIAL_VERBS = 15  # … and before this many different verbs
TIED_SHARE = 0.85  # followed by one word this often, a phrase is the start of a longer one
# nouns a set phrase names the kind of (行政执法|体制, 可再生能源|发电): after a phrase, the
# phrase used as a modifier, not a verb going on to its object
_HEAD_NOUNS = {
    "体制", "机制", "制度", "体系", "部门", "机构", "机关", "人员", "队伍", "能力", "水平", "工作", "战略",
    "政策", "工程", "项目", "规划", "行动", "领域", "产业", "行业", "企业", "建设", "改革", "发展", "问题",
    "力度", "标准", "资金", "设施", "方式", "模式", "成果", "任务", "目标", "责任", "事业", "权", "法",
}
# before a phrase, verbs that say nothing of it being used as a noun: 要|倾听群众, 必须|坚持…
_NO_OBJECT_TAKERS = _FUNCTION_TOKENS | {"必须", "能够", "可以", "应该", "应当", "需要", "努力", "不断"}
_LOCALIZERS = {"上", "下", "中", "里", "内", "时"}  # the end of 在…上, 在…下: 在很大程度上


@dataclass
class TermStats:
    text: str
    tokens: tuple[str, ...]
    positions: Sequence[int] = field(default_factory=list)  # where it stands in the corpus token stream (an array)


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


def _frames_with_yi_wei(gram: tuple[str, ...]) -> bool:
    """以 and 为 in a phrase: 以人民为中心, 坚持以人民为中心, 依法治国和以德治国, 全心全意为人民服务;
    but not 以公有制 or 以优异成绩 (an opening 以 without its 为), 行动上同以习近平 (以 without its 为)
    or 思想为指导 (…为 + one word without its 以)."""
    if gram[0] == "以" and "为" not in "".join(gram[1:]):
        return False
    for i, token in enumerate(gram[1:], 1):
        if token == "以" and "为" not in gram[i + 1:] and gram[i - 1] not in ("和", "与", "及"):
            return False
        if token == "为" and "以" not in gram[:i] and i >= len(gram) - 2:
            return False
    return True


def _usable(gram: tuple[str, ...], classes: WordClasses) -> bool:
    if BOUNDARY in gram or not all(_CJK.match(t) for t in gram):
        return False
    return _no_clause(gram, classes) and _no_report(gram, classes) and _edges_hold(gram) and (3 if gram[-1] in _ONE_CHAR_ENDS else 4) <= sum(map(len, gram)) <= 12  # 中国梦


def _no_clause(gram: tuple[str, ...], classes: WordClasses) -> bool:
    """jieba's word classes say the tokens make a phrase, not a clause or a verb and its adverb."""
    if gram[-1] in classes.no_end or gram[0] in classes.no_start:
        return False  # 世界各国, 领导岗位上来
    if (gram[0] in classes.adverbs or gram[0] in classes.adjectives) and gram[1] in classes.verbs:
        return False  # an adverb and its verb: 稳步推进, 牢牢把握, 逐步建立, 广泛开展
    if len(gram) > 2 and gram[-2] in classes.adverbs and gram[-1] in classes.verbs and gram[0] not in classes.verbs:
        return False  # a subject, an adverb and a verb: 人民日益增长(的…), a clause
    if gram[0][0] in "要应" and gram[0][1:] in classes.verbs:
        return False  # "要带头" (a dictionary word of jieba's) is 要 + a verb: 要带头遵纪守法
    if any(t in classes.prepositions and t not in _LINKING_PREPOSITIONS for t in gram):
        return False  # a clause, not a phrase: 人民币汇率在合理, 代表国务院向大会, 经过几年
    if len(gram) == 2 and gram[0] in classes.verbs and gram[1] in classes.adjectives:
        return False  # a verb and the adjective of its object: 树立正确(的…)
    return _frames_with_yi_wei(gram) and not any(t in _INNER_PARTICLES for t in gram[1:-1])  # 持久地开展, 审议了国务院总理


def _no_report(gram: tuple[str, ...], classes: WordClasses) -> bool:
    """No report of what someone said or decided, and no adjective of degree."""
    if gram[-2] in classes.adverbs and gram[-1] in classes.adjectives:
        return False  # an adverb of degree and its adjective: 实施更加积极(的…), 各族人民更加紧密(地…)
    if gram[0] in _SAYING_VERBS or gram[-1] in _SAYING_VERBS:
        return False  # 会议号召, 国务院认为, 请予审议
    return not (gram[0] in _SPEAKING_FOR and gram[1] not in classes.nouns)  # 代表国务院(向…)


def _edges_hold(gram: tuple[str, ...]) -> bool:
    """No function word, number, weak word or stray character at either edge."""
    if gram[0] in _FUNCTION_TOKENS or gram[-1] in _FUNCTION_TOKENS:
        return False
    if gram[0][0] in FUNCTION_CHARS or gram[-1][-1] in FUNCTION_CHARS:
        return False
    if all(len(t) == 1 for t in gram) or any(t[0] in FORMULA_NUMERALS for t in gram):
        return False
    if "的" in gram and gram[0] != "党":  # "产品的产量", but "党的建设"
        return False
    if len(gram) == 2 and gram[-1] in _BARE_NOUNS:  # "提高政治", "强化理论": a verb and half its object
        return False
    if gram[0] in _WEAK_STARTS or gram[-1] in _WEAK_ENDS or (len(gram[-1]) == 1 and gram[-1] not in _ONE_CHAR_ENDS):
        return False
    return not (len(gram[0]) == 1 and gram[0] not in _ONE_CHAR_STARTS)


class TokenStream:
    """The corpus as one stream of token ids (a BOUNDARY after every line, documents in order).
    An n-gram is keyed by one integer, its ids read as digits in base `base`: counting ints is
    about twice as fast as counting tuples of strings, and a key's prefix and suffix are one
    division away. With `release`, each document's token lists are dropped once its ids are in
    the stream (nothing but the statistics needs them, and the ids take a fifth of the memory):
    the stream also records where each line starts, for locate_terms."""

    def __init__(self, mined: list[DocMined], release: bool = False):
        vocabulary: defaultdict[str, int] = defaultdict()
        vocabulary.default_factory = vocabulary.__len__  # a new token gets the next id
        vocabulary[BOUNDARY] = 0
        # ids in a C int array: 4 bytes a token instead of a pointer and an int object (a
        # vocabulary never nears 2**31 words)
        ids = array("i")
        bounds = [0]
        line_starts: list[int] = []  # a list: bisect reads it fastest
        first_lines = [0]  # the index in line_starts of each document's first line
        translate = _translator()
        for doc in mined:
            words, lengths, local_ids = doc.token_ids()
            # the document's tokens come in the order they first stand in it: new ones get the
            # next ids in that order, as token by token in the stream
            to_corpus = list(map(vocabulary.__getitem__, words))
            if lengths:  # each line's tokens and the BOUNDARY after it
                line_starts.extend(itertools.accumulate(map((1).__add__, lengths[:-1]), initial=len(ids)))
            translate(ids, to_corpus, local_ids)
            bounds.append(len(ids))
            first_lines.append(len(line_starts))
            if release:
                doc.packed_tokens = b""
        self.ids = ids
        self.line_starts = line_starts
        self.first_lines = first_lines
        vocabulary.default_factory = None
        self.vocabulary = vocabulary
        self.words = list(vocabulary)
        self.bounds = bounds  # where each document starts in the stream
        self.document_of = functools.partial(bisect.bisect_right, bounds)  # a position's document, plus one
        self.base = len(self.words)
        self.position_type = "i" if len(ids) < 2**31 else "q"  # a C array of positions in the stream
        numpy = numpy_module()
        self._bounds_array = numpy.asarray(bounds, dtype=numpy.int64) if numpy is not None else None
        self.documents_of = self._documents if numpy is None else functools.partial(self._documents_with_numpy, numpy)

    def _documents(self, positions: Sequence[int]) -> list[int]:
        """The documents (by index, ascending) that `positions` fall in."""
        return sorted({d - 1 for d in map(self.document_of, positions)})

    def _documents_with_numpy(self, np, positions: Sequence[int]) -> list[int]:
        """The same, one numpy look-up for all positions (a common phrase stands thousands of
        times in a large corpus); `positions` ascending, as the counting gives them."""
        if len(positions) < 64:
            return self._documents(positions)
        at = np.asarray(positions)
        documents = np.searchsorted(self._bounds_array, at, side="right") - 1
        if len(at) > 1 and not (at[1:] >= at[:-1]).all():
            return sorted(set(documents.tolist()))
        return documents[np.concatenate(([True], documents[1:] != documents[:-1]))].tolist()

    def decode(self, key: int, n: int) -> tuple[str, ...]:
        parts = []
        for _ in range(n):
            key, last = divmod(key, self.base)
            parts.append(self.words[last])
        return tuple(reversed(parts))


def _translator() -> Callable[[array, list[int], array], None]:
    """`translate(ids, to_corpus, local_ids)` appends `to_corpus[i]` for each i of `local_ids`
    to `ids`: with numpy where it is installed (one array look-up), else id by id."""
    numpy = numpy_module()
    if numpy is None:
        return lambda ids, to_corpus, local_ids: ids.extend(map(to_corpus.__getitem__, local_ids))
    dtype = numpy.int32 if array("i").itemsize == 4 else numpy.int64

    def translate(ids: array, to_corpus: list[int], local_ids: array) -> None:
        local = numpy.frombuffer(local_ids, dtype=numpy.uint16 if local_ids.typecode == "H" else dtype)
        ids.frombytes(numpy.asarray(to_corpus, dtype=dtype)[local].tobytes())

    return translate


def find_terms(
    mined: list[DocMined],
    min_count: int,
    min_docs: int,
    min_pmi: float = 3.0,
    min_entropy: float = 0.6,
    theme_words: frozenset[str] = frozenset(),
    classes: WordClasses = WordClasses(),
    stream: TokenStream | None = None,
) -> list[TermStats]:
    """Set phrases by cohesion and boundary statistics. A phrase from a single document passes
    the document-count test only when it is frequent there and speaks of one of the themes
    (党风廉政建设 in a five-speech corpus), so that one speech's place names do not.
    `stream`: the TokenStream of `mined`, when already built."""
    search = _TermSearch(stream or TokenStream(mined), classes, min_count, min_docs, min_pmi, min_entropy, theme_words)
    stream, counting = search.stream, search.counting
    counts: dict[int, dict[int, int]] = {1: counting.unigrams()}
    search.occurrences = counts[1]
    found: list[TermStats] = []
    keys, starts = counting.bigrams(counts[1], min_count)  # starts: where each of `keys` starts in the stream
    clean: set[int] = set()
    for n in range(2, MAX_TOKENS + 1):
        if n > 2:
            keys, starts = counting.longer(keys, starts, clean, n)
        counts[n] = counting.frequent(keys, min_count)
        clean = {key for key in counts[n] if key % stream.base != search.boundary and (n > 2 or key // stream.base != search.boundary)}
        candidates = search.cohesive(n, counts, clean)
        if candidates:
            found.extend(search.free_standing(n, candidates, keys, starts, counts[n]))
    found.extend(_word_terms(stream, counting, counts[1], mined, min_count, min_docs, classes))
    return _drop_fragments(found, classes.verbs)


@dataclass
class _TermSearch:
    stream: TokenStream
    classes: WordClasses
    min_count: int
    min_docs: int
    min_pmi: float
    min_entropy: float
    theme_words: frozenset[str]

    before_verbs: Counter | None = None  # how often each token stands before a verb (counted when first asked)
    verbs_after: Counter | None = None  # before how many different verbs
    occurrences: Counter | None = None  # each token's count (find_terms counts them first)

    def __post_init__(self) -> None:
        vocabulary = self.stream.vocabulary
        self.clause_prepositions = self.classes.prepositions - _LINKING_PREPOSITIONS
        # A function word next to a phrase marks its edge as surely as punctuation does. So does a
        # verb before a phrase that does not start with a verb, or after one that does not end with
        # one: 构建|人类命运共同体, 坚持|精准扶贫 — the phrase is the verb's object, not part of it.
        self.free = {vocabulary[w] for w in _FUNCTION_TOKENS if w in vocabulary} | {vocabulary[BOUNDARY]}
        self.free_beside_nouns = self.free | {vocabulary[w] for w in self.classes.verbs if w in vocabulary}
        # tokens no candidate starts or ends with, tested on the integer key before decoding it
        # (the same tests as in _usable, only sooner)
        self.cannot_start = {vocabulary[w] for w in _FUNCTION_TOKENS | _WEAK_STARTS | self.classes.no_start if w in vocabulary}
        self.cannot_end = {vocabulary[w] for w in _FUNCTION_TOKENS | _WEAK_ENDS | self.classes.no_end if w in vocabulary}
        self.boundary = vocabulary[BOUNDARY]  # 0: a key holds a boundary where one of its digits is 0
        self.counting = counting_for(self.stream)

    def cohesive(self, n: int, counts: dict[int, dict[int, int]], clean: set[int]) -> dict[int, tuple[str, ...]]:
        """Usable n-grams whose pointwise mutual information at the weakest split is high enough."""
        base, total = self.stream.base, len(self.stream.ids)
        candidates: dict[int, tuple[str, ...]] = {}
        first_digit = base ** (n - 1)
        for key in counts[n]:
            if key not in clean or key // first_digit in self.cannot_start or key % base in self.cannot_end:
                continue
            count = counts[n][key]
            weakest = min(
                math.log(count * total / ((counts[k].get(key // base ** (n - k)) or 1) * (counts[n - k].get(key % base ** (n - k)) or 1)))
                for k in range(1, n)
            )
            if weakest < self.min_pmi:
                continue  # tested first: a few divisions, where decoding and _usable are slow
            gram = self.stream.decode(key, n)
            if _usable(gram, self.classes):
                candidates[key] = gram
        return candidates

    def free_standing(self, n: int, candidates: dict[int, tuple[str, ...]], keys: Sequence[int], starts, counts: dict[int, int]) -> list[TermStats]:
        """The candidates seen in enough documents and free at their edges (varied neighbours)."""
        ids, verbs = self.stream.ids, self.classes.verbs
        positions = self.counting.positions(keys, starts, candidates)
        found = []
        for key, gram in candidates.items():
            where = positions[key]
            if len(self.stream.documents_of(where)) < self.min_docs and not self._single_document_ok(gram, counts[key]):
                continue
            # no candidate holds a boundary and the stream ends with one, so i + n is inside
            # it, and for i = 0 the neighbour at -1 is that final boundary
            before = Counter(map(ids.__getitem__, map((-1).__add__, where)))  # the token before each occurrence
            after = Counter(map(ids.__getitem__, map(n.__add__, where)))
            le = _entropy(before, self.free if gram[0] in verbs else self.free_beside_nouns)
            # a verb and its object (减轻企业|负担, 增加城乡居民|收入): the word after it may be
            # the object's head, tagged a verb by jieba, so only a function word marks the edge
            re_ = _entropy(after, self.free if gram[-1] in verbs or gram[0] in verbs else self.free_beside_nouns)
            # free at both ends; or very free at one end and not tied at the other
            # ("坚持|以人民为中心|的": nearly always after 坚持, always a clean break after)
            if min(le, re_) >= self.min_entropy or (max(le, re_) >= self.min_entropy + 0.8 and min(le, re_) >= 0.7):
                if not self._clause_fragment(gram, len(where), before, after):
                    found.append(TermStats("".join(gram), gram, where))
        return found

    def _clause_fragment(self, gram: tuple[str, ...], occurrences: int, before: Counter, after: Counter) -> bool:
        """A stretch of a clause, told by where it stands in the corpus: its `occurrences`, and
        how often each token stands `before` and `after` it. A set phrase with a
        verb in it is used as a noun: the object of another verb (坚持|精准扶贫, 提高党的|执政能力)
        in a good share of its occurrences. A stretch of a clause is not, and shows it:
        - a verb at its end after a lead word that mostly stands before verbs (全面|贯彻,
          依法|保护, 有序|推进: jieba tags 全面, 依法 nouns, but they are used as adverbs);
        - a verb at its end that goes on to its object (会议听取和审议|…, 完善和落实|…);
        - a verb at its end inside a prepositional phrase (从|国情出发, 向|中西部地区倾斜);
        - a verb at its start and an object that goes on (保持物价|稳定, 减轻企业|负担)."""
        words, verbs = self.stream.words, self.classes.verbs
        if self._tied_to_next(gram, occurrences, after) or self._tied_to_previous(occurrences, before):
            return True
        previous = [(words[token], count) for token, count in before.items()]
        after_verb, goes_on = self._object_shares(previous, after, occurrences)
        if gram[-1] in verbs and gram[0] not in verbs:
            if sum(count for w, count in previous if w in self.clause_prepositions) >= 0.5 * occurrences:
                return True
            return after_verb < USED_AS_OBJECT and (self._adverbial(gram[0]) or goes_on >= 0.6)
        if gram[0] in verbs:  # 保持物价|稳定, 推动构建|人类命运共同体
            after_de = sum(count for w, count in previous if w == "的") / occurrences
            return goes_on >= 0.75 and after_verb + after_de < USED_AS_OBJECT
        return False

    def _object_shares(self, previous: list[tuple[str, int]], after: Counter, occurrences: int) -> tuple[float, float]:
        """The share of occurrences after a verb that takes an object, and the share that go on
        (followed by no edge and no head noun)."""
        verbs, words = self.classes.verbs, self.stream.words
        after_verb = sum(count for w, count in previous if w in verbs and w not in _NO_OBJECT_TAKERS) / occurrences
        goes_on = sum(count for token, count in after.items() if token not in self.free and words[token] not in _HEAD_NOUNS) / occurrences
        return after_verb, goes_on

    def _tied_to_previous(self, occurrences: int, before: Counter) -> bool:
        """Nearly always after one and the same word that is no verb: the end of a longer
        phrase (可|支配收入, 就业|优先战略)."""
        token, count = before.most_common(1)[0]
        if count < TIED_SHARE * occurrences or occurrences < 5:
            return False
        return self.stream.words[token] not in self.classes.verbs and token not in self.free

    def _tied_to_next(self, gram: tuple[str, ...], occurrences: int, after: Counter) -> bool:
        """Nearly always followed by one and the same word: the start of a longer phrase
        (人均可支配|收入, 上海合作|组织: jieba tags 收入 a verb, which the entropy test counts
        as a free edge), of a frame (任何情况|下, 很大程度|上), or an adjective before its noun
        (重大而深远|的)."""
        token, count = after.most_common(1)[0]
        if count < TIED_SHARE * occurrences or occurrences < 5:
            return False
        word = self.stream.words[token]
        return token not in self.free or word in _LOCALIZERS or word == "的" and gram[-1] in self.classes.adjectives

    def _adverbial(self, word: str) -> bool:
        """Does the word stand before a verb in most of its occurrences, and before many
        different verbs (全面, 依法, 有序: jieba tags them nouns)? A noun that names the field of
        a few verbs is no adverb (行政|审批, 行政|执法, 污染|防治, 村民|自治)."""
        if self.before_verbs is None:
            self.before_verbs, self.verbs_after = self.counting.before_verbs(bytes(w in self.classes.verbs for w in self.stream.words))
            if self.occurrences is None:
                self.occurrences = self.counting.unigrams()
        key = self.stream.vocabulary[word]
        return self.before_verbs[key] >= ADVERBIAL_SHARE * self.occurrences[key] and self.verbs_after[key] >= ADVERBIAL_VERBS

    def _single_document_ok(self, gram: tuple[str, ...], count: int) -> bool:
        return self.min_docs <= 2 and count >= 3 and any(w in "".join(gram) for w in self.theme_words)


# quantities and an adverb that start like numbers: 二十多年, 三分之一, 十分重视
_NUMBER_WORD = re.compile(f"^[{NUMBER_CHARS}]+[年月日天次届个种项批部位点]$|分之|^十分")
_ADVERBIAL_WORD = re.compile(r"^([在从于当].*[上中起下里时后]|与此|由此|从而)")  # 在思想上, 从今年起, 与此同时


def _word_terms(
    stream: TokenStream, counting: PythonCounting, unigrams: Counter, mined, min_count: int, min_docs: int, classes: WordClasses
) -> list[TermStats]:
    """Set phrases that jieba's dictionary already holds as one word (改革开放, 实事求是,
    精神文明, 五年计划): long words that recur across documents, not numbers (一系列, 一部分)."""
    words = stream.words
    long_words = {
        i for i, n in unigrams.items()
        if n >= 2 * min_count and len(words[i]) >= 4 and _CJK.match(words[i]) and words[i] not in classes.no_end
        and not (words[i][0] in FORMULA_NUMERALS and _NUMBER_WORD.search(words[i]))
    }
    if not long_words:
        return []
    positions = counting.token_positions(long_words)
    terms = []
    for i in sorted(long_words, key=words.__getitem__):
        w = words[i]
        if (
            len(stream.documents_of(positions[i])) >= max(min_docs, 2 if len(mined) > 1 else 1)
            and w[0] not in "的了着过"  # but 和平统一, 与时俱进, 从严治党 are dictionary words
            and not _ADVERBIAL_WORD.match(w)
            and not any(w.startswith(p) for p in _WEAK_STARTS)  # 切实增强, 不断提高
            and not ((w[:2] in classes.adverbs or w[:2] in classes.adjectives) and w[2:] in classes.verbs)  # 充分发挥, 广泛开展: an adverb and its verb
        ):
            terms.append(TermStats(w, (w,), positions[i]))
    return terms


def _drop_fragments(terms: list[TermStats], verbs: frozenset[str] = frozenset()) -> list[TermStats]:
    """A shorter term that (almost) always occurs inside one longer term is a fragment of it:
    创新驱动 inside 创新驱动发展战略 (but not 小康社会, found inside many). Counted by position in
    the token stream, so that 社会主义市场经济 is not taken for a fragment of 社会主义市场经济体制
    where jieba cut the two differently. The object of a verb phrase is no fragment:
    人类命运共同体 stands on its own, though it mostly comes as 构建人类命运共同体."""
    terms.sort(key=lambda t: (-len(t.text), t.text, t.tokens))  # one order, however they were found
    holders: dict[str, list[int]] = defaultdict(list)  # substring -> the kept terms that hold it
    kept: list[TermStats] = []
    for term in terms:
        n = len(term.tokens)
        if term.text in holders:
            at = set(term.positions)
            most_inside = 0
            for container in (kept[index] for index in holders[term.text]):
                m = len(container.tokens)
                if m < n or container.text[len(term.text):] in _NAMED_BY_HEAD and container.text.startswith(term.text):
                    continue  # 科教兴国 is named on its own as often as 科教兴国战略 names the policy
                # inside an occurrence of a verb phrase only if it starts with the verb
                last = 0 if m > 1 and container.tokens[0] in verbs else m - n
                first = 1 if m == n else 0  # as long as the term and at the same place: the term itself
                inside = set().union(*(at.intersection(map(k.__add__, container.positions)) for k in range(first, last + 1)))
                most_inside = max(most_inside, len(inside))
            if most_inside >= 0.8 * len(term.positions):
                continue
        text = term.text
        for sub in {text[a:b] for a in range(len(text)) for b in range(a + 2, len(text) + 1)}:
            holders[sub].append(len(kept))
        kept.append(term)
    return kept


def locate_terms(
    mined: list[DocMined], terms: list[TermStats], max_sources: int = 20, stream: TokenStream | None = None
) -> list[tuple[str, Found]]:
    """Every occurrence of each term: (document, Found with original line and context), from the
    positions the statistics pass recorded in the corpus token stream (one token per position,
    a BOUNDARY after every line, documents in order: `stream`, or the documents' tokens when
    not given). Only the first `max_sources` lines get a Found, the newest documents first (in
    corpus order within a year); every Found carries the term's total occurrences and documents."""
    stream = stream or TokenStream(mined)
    starts, first_lines, bounds = stream.line_starts, stream.first_lines, stream.bounds
    years = [doc.year or 0 for doc in mined]
    newest_first = {d: rank for rank, d in enumerate(sorted(range(len(mined)), key=lambda d: -years[d]))}

    places: list[tuple[int, int, int]] = []  # (term, document, line): the lines that get a Found
    counts: list[tuple[int, int, tuple[int, int] | None]] = []  # each term's occurrences, documents, years
    for number, term in enumerate(terms):
        positions = term.positions  # ascending: in corpus order
        docs = sorted(stream.documents_of(positions), key=newest_first.__getitem__)
        known = [years[d] for d in docs if years[d]]
        counts.append((len(positions), len(docs), (min(known), max(known)) if known else None))
        lines: list[tuple[int, int]] = []  # (document, line), the first max_sources distinct
        for d in docs:
            at = bisect.bisect_left(positions, bounds[d])
            end = bisect.bisect_left(positions, bounds[d + 1])
            for position in itertools.islice(positions, at, end):
                spot = (d, bisect.bisect_right(starts, position) - 1 - first_lines[d])
                if not lines or lines[-1] != spot:  # positions ascending: one line's come together
                    lines.append(spot)
                    if len(lines) == max_sources:
                        break
            if len(lines) == max_sources:
                break
        places.extend((number, d, index) for d, index in lines)
    found: list[tuple[str, Found]] = [None] * len(places)  # type: ignore[list-item]
    by_document = sorted(range(len(places)), key=lambda i: places[i][1])
    for d, group in itertools.groupby(by_document, key=lambda i: places[i][1]):
        doc = mined[d]
        text_lines = doc.text_lines()  # unpacked once for all the terms it holds
        for i in group:
            number, _, index = places[i]
            text, (total, total_docs, years_seen) = terms[number].text, counts[number]
            line = text_lines[index]
            pos = line.find(text)
            context = context_of(line, pos, pos + len(text))
            line_number = line_at(doc.line_numbers, doc.joins, index, max(pos, 0))
            found[i] = (doc.source, Found("term", text, line_number, context, total=total, total_docs=total_docs, years=years_seen))
    return found
