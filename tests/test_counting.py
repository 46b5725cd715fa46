"""The n-gram counting of find_terms (drafter/mining/counting.py): the pruned counting keeps every
frequent n-gram with its full count, and the numpy counting gives what the Python counting gives
(counts, positions and their orders), down to the set phrases found and the bank."""

from __future__ import annotations

import bisect
import random
from array import array
from collections import Counter

import pytest

from conftest import SEED_FILES
from drafter.corpus import load_corpus
from drafter.mining import _mine_one, term_thresholds
from drafter.mining import counting as C
from drafter.mining import terms as T
from drafter.mining.mined import DocMined

def _backends() -> list:
    """The Python counting, and numpy's where numpy is installed (the test extra installs it)."""
    try:
        import numpy as np
    except ImportError:
        np = None
    return [pytest.param(None, id="python"), pytest.param(np, id="numpy", marks=pytest.mark.skipif(np is None, reason="numpy not installed"))]


def _counting(stream: T.TokenStream, np) -> C.PythonCounting:
    return C.PythonCounting(stream) if np is None else C.NumpyCounting(stream, np)


def _doc(source: str, lines: list[list[str]]) -> DocMined:
    return DocMined.of(source, [], lines, list(range(1, len(lines) + 1)), ["".join(t) for t in lines])


def _frequent_clean(stream: T.TokenStream, n: int, min_count: int) -> dict[tuple, int]:
    """Every n-gram without a boundary seen at least min_count times, counted at every position."""
    ids = stream.ids
    every = Counter(tuple(ids[i : i + n]) for i in range(len(ids) - n + 1))
    return {gram: c for gram, c in every.items() if c >= min_count and 0 not in gram}


def _digits(key: int, base: int, n: int) -> tuple[int, ...]:
    out = []
    for _ in range(n):
        key, last = divmod(key, base)
        out.append(last)
    return tuple(reversed(out))


def _random_stream(seed: int, vocabulary: int = 12) -> T.TokenStream:
    rng = random.Random(seed)
    words = [f"词{i}" for i in range(vocabulary)]
    return T.TokenStream([
        _doc(f"d{d}", [[rng.choice(words[: rng.randint(3, vocabulary)]) for _ in range(rng.randint(0, 30))] for _ in range(8)])
        for d in range(4)
    ])


@pytest.mark.parametrize("np", _backends())
@pytest.mark.parametrize("seed", range(5))
def test_pruned_counting_keeps_every_frequent_ngram_and_its_full_count(seed, np):
    stream = _random_stream(seed)
    counting = _counting(stream, np)
    base = stream.base
    assert counting.unigrams() == Counter(stream.ids)
    # only bigrams of two frequent tokens are counted
    keys, starts = counting.bigrams(counting.unigrams(), 3)
    clean: set[int] = set()
    for n in range(2, T.MAX_TOKENS + 1):
        if n > 2:
            keys, starts = counting.longer(keys, starts, clean, n)
        counted = counting.frequent(keys, 1)
        # every position counted holds the n-gram its key says
        assert all(tuple(stream.ids[s : s + n]) == _digits(int(k), base, n) for k, s in zip(keys, starts))
        expected = _frequent_clean(stream, n, 3)
        got = {_digits(k, base, n): c for k, c in counted.items() if c >= 3 and 0 not in _digits(k, base, n)}
        assert got == expected
        clean = {k for k, c in counted.items() if c >= 3 and 0 not in _digits(k, base, n)}


def _numpy():
    return pytest.importorskip("numpy")


def _steps(counting: C.PythonCounting, min_count: int) -> list:
    """Everything the counting hands find_terms, as plain lists (orders included)."""
    stream = counting.stream
    unigrams = counting.unigrams()
    out = [sorted(unigrams.items())]
    keys, starts = counting.bigrams(unigrams, min_count)
    clean: set[int] = set()
    for n in range(2, T.MAX_TOKENS + 1):
        if n > 2:
            keys, starts = counting.longer(keys, starts, clean, n)
        frequent = counting.frequent(keys, min_count)
        out.append((n, [int(k) for k in keys], [int(s) for s in starts], list(frequent.items())))
        clean = {k for k in frequent if 0 not in _digits(k, stream.base, n)}
        wanted = set(list(clean)[::3])
        positions = counting.positions(keys, starts, wanted)
        out.append(sorted((k, list(v)) for k, v in positions.items() if k in wanted))
    common = {t for t, c in unigrams.items() if c >= 2 * min_count and t}
    out.append(sorted((k, list(v)) for k, v in counting.token_positions(common).items()))
    is_verb = bytes(random.Random(0).random() < 0.3 for _ in stream.words)
    out.append([sorted(c.items()) for c in counting.before_verbs(is_verb)])
    return out


@pytest.mark.parametrize("seed", range(3))
def test_numpy_counting_gives_the_python_counting(seed):
    np = _numpy()
    stream = _random_stream(seed)
    assert _steps(C.NumpyCounting(stream, np), 2) == _steps(C.PythonCounting(stream), 2)


def test_numpy_counting_hands_over_where_a_key_outgrows_64_bits():
    """With 70,000 words, a key of four tokens needs more than 63 bits: from there on, the
    Python counting's arbitrary-size ints take over, with the same results."""
    np = _numpy()
    rng = random.Random(7)
    rare = [f"罕{i}" for i in range(70_000)]
    phrases = [["全面", "从严", "治党", "向", "纵深", "发展"], ["以", "人民", "为", "中心"]]
    lines = []
    for i in range(0, len(rare), 50):
        lines.append(rare[i : i + 50] + rng.choice(phrases) + rare[i : i + 3])
    stream = T.TokenStream([_doc("big", lines)])
    assert stream.base**4 >= 2**63
    numpy_steps, python_steps = _steps(C.NumpyCounting(stream, np), 3), _steps(C.PythonCounting(stream), 3)
    assert numpy_steps == python_steps
    assert any(step[0] == 5 and step[3] for step in numpy_steps if isinstance(step, tuple))  # 5-grams were counted


@pytest.mark.parametrize("wanted_size", [1, 40, 5_000, 200_000])
def test_the_membership_filter_answers_as_a_set_would(wanted_size, monkeypatch):
    """NumpyCounting._member turns most values away with a bitmap of hashes before a binary
    search: its answer is a set's, for n-gram keys near 2**62 and token ids alike, whether the
    wanted values are few (a bitmap of 1,024 slots, most values colliding) or many, over
    several chunks of values."""
    np = _numpy()
    monkeypatch.setattr(C, "CHUNK", 65_536)
    rng = np.random.default_rng(wanted_size)
    counting = C.NumpyCounting(_random_stream(0), np)
    for values in (rng.integers(0, 2**62, 300_000, dtype=np.int64), rng.integers(0, 70_000, 300_000).astype(np.int32)):
        wanted = set(rng.choice(values, wanted_size).tolist()) | {int(values.max()) + 1}
        expected = np.fromiter((v in wanted for v in values.tolist()), dtype=np.bool_, count=len(values))
        assert (counting._member(values, wanted) == expected).all()
        assert not counting._member(values, set()).any()


def _terms_both_ways(mined, monkeypatch, **kwargs) -> tuple[list, list]:
    found = {}
    for name in ("python", "numpy"):
        if name == "numpy":
            monkeypatch.delenv(C.COUNTING_ENV, raising=False)
        else:
            monkeypatch.setenv(C.COUNTING_ENV, "python")
        stream = T.TokenStream(mined)
        assert C.counting_for(stream).name == name
        terms = T.find_terms(mined, stream=stream, **kwargs)
        found[name] = [(t.text, t.tokens, list(t.positions)) for t in terms]
    return found["python"], found["numpy"]


def test_both_countings_find_the_same_set_phrases_in_the_seeds(monkeypatch):
    _numpy()
    mined = [_mine_one(d) for d in load_corpus(SEED_FILES)]
    python, numpy_found = _terms_both_ways(mined, monkeypatch, min_count=2, min_docs=2)
    assert python and python == numpy_found


def test_both_countings_find_the_same_set_phrases_in_real_reports(monkeypatch, corpus_docs):
    _numpy()
    docs = corpus_docs[::8]
    mined = [_mine_one(d) for d in docs]
    thresholds = term_thresholds(len(mined), sum(len(d.text) for d in docs))
    python, numpy_found = _terms_both_ways(mined, monkeypatch, **thresholds)
    assert len(python) > 50 and python == numpy_found


def test_the_python_counting_on_request_or_without_numpy(monkeypatch):
    stream = _random_stream(0)
    monkeypatch.setenv(C.COUNTING_ENV, "python")
    assert C.counting_for(stream).name == "python"
    monkeypatch.delenv(C.COUNTING_ENV)
    real_import = __import__

    def no_numpy(name, *args, **kwargs):
        if name == "numpy":
            raise ImportError("no numpy here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr("builtins.__import__", no_numpy)
    assert C.counting_for(stream).name == "python"


def _stream_token_by_token(mined: list[DocMined]) -> tuple[list[int], list[int], list[int], list[str]]:
    """The stream as it was built before documents kept their tokens as ids: a token at a time,
    a new token taking the next id."""
    vocabulary = {T.BOUNDARY: 0}
    ids, line_starts, bounds = [], [], [0]
    for doc in mined:
        for line in doc.token_lines():
            line_starts.append(len(ids))
            ids.extend(vocabulary.setdefault(t, len(vocabulary)) for t in line)
            ids.append(0)
        bounds.append(len(ids))
    return ids, line_starts, bounds, list(vocabulary)


@pytest.mark.parametrize("numpy_off", [False, True], ids=["numpy-where-installed", "python"])
def test_the_stream_from_the_documents_ids_is_the_stream_token_by_token(monkeypatch, numpy_off):
    if numpy_off:
        monkeypatch.setenv(C.COUNTING_ENV, "python")
    rng = random.Random(7)
    many = [f"字{i}" for i in range(70_000)]  # more distinct tokens than two-byte ids hold
    mined = [
        _doc("甲", [["全面", T.BOUNDARY, "从严治党"], [], ["我们", "全面"]]),
        _doc("空", []),
        _doc("多", [many[:40_000], [], many[35_000:], [T.BOUNDARY]]),
        _doc("乙", [[rng.choice(many[:50]) for _ in range(rng.randint(0, 12))] for _ in range(30)]),
    ]
    assert [m.token_lines() for m in mined][0] == [["全面", T.BOUNDARY, "从严治党"], [], ["我们", "全面"]]
    stream = T.TokenStream(mined)
    ids, line_starts, bounds, words = _stream_token_by_token(mined)
    assert (list(stream.ids), stream.line_starts, stream.bounds, stream.words) == (ids, line_starts, bounds, words)
    assert stream.first_lines == [0, 3, 3, 7, 37]


@pytest.mark.parametrize("numpy_off", [False, True], ids=["numpy-where-installed", "python"])
def test_the_documents_a_term_stands_in(monkeypatch, numpy_off):
    """documents_of: the distinct documents of a term's positions, ascending, whether looked up
    a position at a time or all at once with numpy (a few positions, many, out of order)."""
    if numpy_off:
        monkeypatch.setenv(C.COUNTING_ENV, "python")
    rng = random.Random(3)
    stream = T.TokenStream([_doc(f"d{d}", [["词"] * rng.randint(0, 40) for _ in range(rng.randint(0, 5))]) for d in range(30)])
    edges = {p for b in stream.bounds[1:-1] for p in (b - 1, b)}  # a document's last position and the next one's first
    for size in (0, 1, 5, 63, 64, 500):
        positions = sorted(set(rng.sample(range(len(stream.ids)), min(size, len(stream.ids)))) | set(rng.sample(sorted(edges), min(size, 8))))
        expected = sorted({bisect.bisect_right(stream.bounds, p) - 1 for p in positions})
        assert stream.documents_of(positions) == expected
        assert stream.documents_of(array("i", positions)) == expected
        assert stream.documents_of(positions[::-1]) == expected
