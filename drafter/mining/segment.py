"""jieba, loaded lazily: segmentation and what its dictionary's tags say.

jieba's dict.txt tags idioms `i`, set phrases (习用语) `l` and numerals `m`; reading those tags
from the file costs a fraction of what jieba.posseg would cost per token.

Segmentation has an optional accelerator: `rjieba` (the jieba-rs bindings, `pip install
"drafter[fast]"`), about fifteen times faster. jieba stays the reference. The accelerator is only
handed the runs of text that jieba itself cuts with its dictionary (jieba's own regular
expression finds them; everything else is split here exactly as jieba splits it), and it is
loaded with jieba's dict.txt and jieba's dictionary total, so the tokens are jieba's.

Without rjieba, those runs are cut by `_route_cutter`: jieba's own dictionary cut (the same
prefix dictionary, the same best route, computed with the same floating-point steps) written as
one pass instead of jieba's three, in less than half of jieba's time; it is checked against
jieba when loaded, and jieba cuts instead if they ever disagree. With DRAFTER_SEGMENTER=jieba,
jieba does everything."""

from __future__ import annotations

import functools
import importlib.util
import logging
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

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
    return _segmenter()(text)


# "jieba": jieba alone; "python": not the accelerator (jieba's cut by _route_cutter); "rjieba": insist on it
SEGMENTER_ENV = "DRAFTER_SEGMENTER"


@functools.lru_cache(maxsize=1)
def _segmenter() -> Callable[[str], list[str]]:
    choice = os.environ.get(SEGMENTER_ENV, "").strip().lower()
    if choice != "jieba":
        fast = _fast_segmenter() if choice != "python" else None
        if fast is not None:
            return fast
        if choice == "rjieba":
            raise RuntimeError(f"{SEGMENTER_ENV}=rjieba, but rjieba cannot be used (pip install rjieba)")
        route = _route_segmenter()
        if route is not None:
            return route
    return functools.partial(_jieba().lcut, HMM=False)


def segmenter_name() -> str:
    """Which tokenizer `segment` uses: "rjieba", "python" (jieba's cut computed by _route_cutter) or "jieba"."""
    chosen = _segmenter()
    return chosen.name if isinstance(chosen, _FastCut) else "jieba"


# jieba's own patterns (jieba.re_han_default, jieba.re_skip_default; a test holds them equal):
# the runs jieba cuts with its dictionary, and the whitespace it keeps whole between them.
# jieba-rs matches a wider set of characters (CJK extension A, compatibility ideographs, ...),
# which is why it is only ever given the runs this pattern finds.
_RE_HAN = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)", re.U)
_RE_SKIP = re.compile("(\r\n|\\s)", re.U)


# Characters on which jieba-rs and jieba may split a text into runs differently: those jieba-rs
# counts as Chinese and jieba does not (CJK extension A, U+9FD6-U+9FFF, compatibility
# ideographs, everything beyond the basic plane), and the separators U+001C-U+001F, which
# Python's \s matches and Rust's does not. A line free of them is one call to jieba-rs.
_WIDER = re.compile("[\u3400-\u4DBF\u9FD6-\u9FFF\uF900-\uFAFF\U00010000-\U0010FFFF\x1c-\x1f]")
# A self-check when loading: these lines must come out the same in one call and run by run
# (punctuation, full-width and ASCII letters and digits, every kind of space jieba keeps whole).
_PROBES = (
    "为人民服务，全面从严治党！ABC abc 123 4.5% C++ #1 a_b-c&d。",
    "　“两个维护”\t（二〇二五年）\r\n第一，Ａ股１２３\u00a0\u2003 \u3000 《决定》…—·",
    "GDP增长5.2%，CPI上涨0.2%；“十四五”规划\n\n  2025年",
)


class _FastCut:
    """jieba.lcut(text, HMM=False), the dictionary runs cut by `cut_run` (jieba-rs, or
    _route_cutter). Whole lines go to it in one call when `whole_lines` says it splits them
    into runs as jieba does (and the probes agree)."""

    def __init__(self, cut_run: Callable[[str, bool], list[str]], name: str = "rjieba", whole_lines: bool = True):
        self._cut_run = cut_run
        self.name = name
        self._whole = whole_lines and all(cut_run(probe, False) == self._by_runs(probe) for probe in _PROBES)

    def __call__(self, text: str) -> list[str]:
        if self._whole and not _WIDER.search(text):
            return self._cut_run(text, False)
        return self._by_runs(text)

    def _by_runs(self, text: str) -> list[str]:
        tokens: list[str] = []
        for block in _RE_HAN.split(text):
            if not block:
                continue
            if _RE_HAN.match(block):
                tokens.extend(self._cut_run(block, False))
            else:  # as jieba: whitespace runs whole, every other character on its own
                for piece in _RE_SKIP.split(block):
                    if _RE_SKIP.match(piece):
                        tokens.append(piece)
                    else:
                        tokens.extend(piece)
        return tokens


def _route_cutter(freq: dict[str, int], total: int) -> Callable[[str, bool], list[str]]:
    """jieba's cut of a run without HMM (Tokenizer.get_DAG, calc, __cut_DAG_NO_HMM) in one pass
    from the end of the run: at each position, the words of the prefix dictionary `freq` that
    start there, and the best route on from each (log frequency minus log total, plus the
    route's score after the word; on a tie the longer word, as jieba's max over (score, end)
    gives). A position that starts no word is a word of its own, weighing log(1) - log total.
    Then single letters and digits are joined, as jieba joins them. The weight of each word
    is computed once (at most one per word of the dictionary)."""
    log_total = math.log(total)
    unknown = 0.0 - log_total  # jieba's log(FREQ.get(char) or 1) - logtotal for a character it lacks
    prefix_only = 1.0  # the weight kept for a prefix that is no word (every real weight is < 0)
    weights: dict[str, float] = {}
    no_route = float("-inf")
    ascii_char = re.compile("[a-zA-Z0-9]").match  # jieba's re_eng

    def cut_run(run: str, _hmm: bool = False) -> list[str]:
        weight_of, count_of = weights.get, freq.get
        length = len(run)
        score = [0.0] * (length + 1)
        end = list(range(length + 1))  # where the best word starting at each position ends
        for start in range(length - 1, -1, -1):
            best = no_route
            at = start
            fragment = run[start]
            while True:
                weight = weight_of(fragment)
                if weight is None:
                    count = count_of(fragment)
                    if count is None:
                        break
                    weight = weights[fragment] = math.log(count) - log_total if count else prefix_only
                if weight is not prefix_only:
                    through = weight + score[at + 1]
                    if through >= best:
                        best = through
                        end[start] = at
                at += 1
                if at == length:
                    break
                fragment = run[start : at + 1]
            score[start] = best if best != no_route else unknown + score[start + 1]
        return _words_on_route(run, end, ascii_char)

    return cut_run


def _words_on_route(run: str, end: list[int], ascii_char) -> list[str]:
    tokens: list[str] = []
    letters = ""
    at = 0
    while at < len(run):
        after = end[at] + 1
        word = run[at:after]
        if after - at == 1 and ascii_char(word):
            letters += word
        else:
            if letters:
                tokens.append(letters)
                letters = ""
            tokens.append(word)
        at = after
    if letters:
        tokens.append(letters)
    return tokens


# sentences the route cut must cut as jieba does before it is used (with _PROBES)
_ROUTE_PROBES = (
    "全面从严治党永远在路上，坚持以人民为中心的发展思想，推进供给侧结构性改革。",
    "以习近平同志为核心的党中央团结带领全党全国各族人民，B超检查abc123网球拍卖会。",
)


def _route_segmenter() -> _FastCut | None:
    """jieba's cut computed by _route_cutter on jieba's loaded dictionary, or None when it does
    not cut the probes as jieba does (a jieba whose algorithm has changed)."""
    jieba = _jieba()
    route = _FastCut(_route_cutter(jieba.dt.FREQ, jieba.dt.total), name="python", whole_lines=False)
    if all(route(probe) == jieba.lcut(probe, HMM=False) for probe in _PROBES + _ROUTE_PROBES):
        return route
    log.warning("drafter's cut disagrees with jieba %s: segmenting with jieba", getattr(jieba, "__version__", "?"))
    return None


# A word that can never occur in a run given to jieba-rs (a private-use character): it carries
# the difference between jieba's dictionary total and the one jieba-rs keeps (see below).
_TOTAL_CARRIER = "\ue000"


def _fast_segmenter() -> _FastCut | None:
    """rjieba loaded with jieba's dictionary, or None when rjieba is not installed (or unusable)."""
    spec = importlib.util.find_spec("rjieba")
    if spec is None:
        return None
    try:
        words, freqs, total = _dictionary_rows()
        if not words:
            return None
        tokenizer = _rjieba_class(spec).empty()
        add = tokenizer.add_word
        kept = 0
        for word, freq in zip(words, freqs):
            if freq:  # jieba never cuts a word of frequency 0 (it is only a prefix there)
                add(word, freq, None)
                kept += freq
        # jieba adds every row to its total, a repeated word (B超) twice; jieba-rs counts each
        # word once. The total weighs every word of a cut, so it must be jieba's.
        if total > kept:
            add(_TOTAL_CARRIER, total - kept, None)
        return _FastCut(tokenizer.cut, name="rjieba")
    except Exception as error:  # an accelerator that fails to load must not stop the analysis
        log.warning("rjieba unusable, segmenting with jieba: %s", error)
        return None


def _rjieba_class(spec):
    """rjieba.Jieba. The package's __init__ builds a default tokenizer from jieba-rs's own copy
    of the dictionary (a quarter of a second, in every worker process) that drafter never
    uses; the compiled module is loaded on its own when it can be, and registered under its
    name, so that a later `import rjieba` finds it instead of initialising it again."""
    import sys

    module = sys.modules.get("rjieba.rjieba") or sys.modules.get("rjieba")
    if module is None:
        for folder in spec.submodule_search_locations or ():
            for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                if entry.name.startswith("rjieba.") and entry.name.endswith((".so", ".pyd")):
                    compiled = importlib.util.spec_from_file_location("rjieba.rjieba", entry.path)
                    if compiled is None or compiled.loader is None:
                        continue
                    module = importlib.util.module_from_spec(compiled)
                    compiled.loader.exec_module(module)
                    sys.modules["rjieba.rjieba"] = module
                    break
            if module is not None:
                break
    if module is None or not hasattr(module, "Jieba"):
        import rjieba as module
    return module.Jieba


def _dictionary_rows() -> tuple[list[str], list[int], int]:
    """jieba's dictionary as jieba.Tokenizer.gen_pfdict reads it: each word's last frequency
    (in the order first seen) and the sum of every row's frequency."""

    def derive(text: str) -> tuple:
        freq: dict[str, int] = {}
        total = 0
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            word, count = line.split(" ")[:2]
            count = int(count)
            freq[word] = count
            total += count
        return list(freq), list(freq.values()), total

    return _from_dictionary("rows", derive)


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
