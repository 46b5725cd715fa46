"""Segmentation: jieba is the reference; the optional accelerator (rjieba) and drafter's own
computation of jieba's cut (the default without rjieba) must give its tokens."""

from __future__ import annotations

import functools
import importlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CORPORA, ROOT, SEEDS

seg = importlib.import_module("drafter.mining.segment")

CORPORA_DIR = Path(os.environ.get("DRAFTER_CORPORA") or CORPORA)


@pytest.fixture
def fresh_segmenter(monkeypatch):
    """The segmenter chosen again under the test's environment, and again after it."""
    seg._segmenter.cache_clear()
    yield monkeypatch
    seg._segmenter.cache_clear()


def jieba_cut(text: str) -> list[str]:
    return seg._jieba().lcut(text, HMM=False)


def fast_cut():
    pytest.importorskip("rjieba")
    return _fast()


@functools.lru_cache(maxsize=1)
def _fast():
    fast = seg._fast_segmenter()
    assert fast is not None
    return fast


@functools.lru_cache(maxsize=1)
def route_cut():
    route = seg._route_segmenter()
    assert route is not None
    return route


def cutter(name: str):
    return fast_cut() if name == "rjieba" else route_cut()


CUTTERS = ["rjieba", "python"]


def test_patterns_are_jiebas():
    import jieba

    assert seg._RE_HAN.pattern == jieba.re_han_default.pattern
    assert seg._RE_HAN.flags == jieba.re_han_default.flags
    assert seg._RE_SKIP.pattern == jieba.re_skip_default.pattern
    assert seg._RE_SKIP.flags == jieba.re_skip_default.flags


def test_dictionary_rows_are_what_jieba_loads():
    jieba = seg._jieba()
    words, freqs, total = seg._dictionary_rows()
    assert total == jieba.dt.total  # every row counted, the repeated B超 twice
    assert len(words) == len(set(words))
    assert {w: f for w, f in jieba.dt.FREQ.items() if f} == {w: f for w, f in zip(words, freqs) if f}


def test_without_accelerator_jieba_segments(fresh_segmenter):
    fresh_segmenter.setenv(seg.SEGMENTER_ENV, "jieba")
    assert seg.segmenter_name() == "jieba"
    assert seg.segment("全面从严治党永远在路上") == jieba_cut("全面从严治党永远在路上")


def test_accelerator_not_installed(fresh_segmenter):
    real = importlib.util.find_spec
    fresh_segmenter.delenv(seg.SEGMENTER_ENV, raising=False)
    fresh_segmenter.setattr(seg.importlib.util, "find_spec", lambda name, *a: None if name == "rjieba" else real(name, *a))
    assert seg._fast_segmenter() is None
    assert seg.segmenter_name() == "python"


def test_python_cut_chosen_on_request(fresh_segmenter):
    fresh_segmenter.setenv(seg.SEGMENTER_ENV, "python")
    assert seg.segmenter_name() == "python"
    assert seg.segment("全面从严治党永远在路上") == jieba_cut("全面从严治党永远在路上")


def test_python_cut_that_disagrees_with_jieba_is_not_used(fresh_segmenter, caplog):
    """A jieba whose algorithm changed: drafter's cut no longer gives its tokens on the probes,
    and jieba cuts instead."""
    real = seg._route_cutter

    def off_by_one(freq, total):
        cut = real(freq, total)
        return lambda run, hmm=False: cut(run[::-1], hmm)

    fresh_segmenter.setattr(seg, "_route_cutter", off_by_one)
    fresh_segmenter.setenv(seg.SEGMENTER_ENV, "python")
    assert seg._route_segmenter() is None
    assert seg.segmenter_name() == "jieba"
    assert "disagrees with jieba" in caplog.text


def test_accelerator_chosen_when_installed(fresh_segmenter):
    pytest.importorskip("rjieba")
    fresh_segmenter.delenv(seg.SEGMENTER_ENV, raising=False)
    assert seg.segmenter_name() == "rjieba"


TRICKY = [
    "",
    "我们要坚持以人民为中心的发展思想。",
    "GDP增长5.2%，CPI上涨0.2%；“十四五”规划 2025年",
    "abc网球拍卖会def C++ #1 a_b-c&d 3.14",
    "　“两个维护”\t（二〇二五年）\r\n第一，Ａ股１２３\u00a0\u2003 \u3000 《决定》…—·",
    "钱学森先生䶮㐀研究鿖鿗豈更车𠀀𪚥人民",  # extension A, U+9FD6.., compatibility, plane 2
    "发展\x1c改革\x1d开放\x1e创新\x1f协调",  # separators Python counts as space and Rust does not
    "坚持😀党的领导\U0001F1E8\U0001F1F3，B超检查",
    "\r\n\r\n  \n\t",
]


@pytest.mark.parametrize("name", CUTTERS)
@pytest.mark.parametrize("text", TRICKY)
def test_accelerator_gives_jiebas_tokens(text, name):
    assert cutter(name)(text) == jieba_cut(text)


_ALPHABET = list("全面从严治党的发展改革开放中国特色社会主义建设人民群众坚持以为中心新时代两个维护四个意识")
_ALPHABET += list("，。、；：“”《》（）！？ 　\t\n\r\x1caZ09.%-_+#&") + ["㐀", "鿖", "豈", "𠀀", "😀", "\u00a0"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=40).map("".join))
def test_accelerator_agrees_on_mixed_text(text):
    assert fast_cut()(text) == jieba_cut(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=40).map("".join))
def test_python_cut_agrees_on_mixed_text(text):
    assert route_cut()(text) == jieba_cut(text)


@pytest.mark.parametrize("name", CUTTERS)
def test_accelerator_agrees_on_the_corpus(name):
    """Token agreement on every line the map step segments in ../shared/corpora (88 reports,
    traditional ones converted as mining converts them): measured 773,198 tokens, 0 differ
    (rjieba, and drafter's own computation of jieba's cut)."""
    if not CORPORA_DIR.is_dir():
        pytest.skip("../shared/corpora is not present")
    fast = cutter(name)
    from drafter.cleaning import is_traditional, to_simplified
    from drafter.corpus import load_corpus

    tokens = differing_lines = 0
    for doc in load_corpus([CORPORA_DIR]):
        lines = [to_simplified(line) for line in doc.lines] if is_traditional(doc.text) else doc.lines
        for line in lines:
            expected = jieba_cut(line)
            tokens += len(expected)
            differing_lines += fast(line) != expected
    assert tokens > 700_000
    assert differing_lines == 0


def test_bank_is_the_same_with_the_accelerator(tmp_path, fresh_segmenter):
    pytest.importorskip("rjieba")
    from drafter.mining import analyze

    banks = {}
    for name in ("jieba", "rjieba", "python"):
        fresh_segmenter.setenv(seg.SEGMENTER_ENV, name)
        seg._segmenter.cache_clear()
        analyze([SEEDS], tmp_path / name, workers=1)
        assert seg.segmenter_name() == name
        banks[name] = [(tmp_path / name / f).read_bytes() for f in ("phrases.yaml", "frames.yaml")]
    assert banks["jieba"] == banks["rjieba"] == banks["python"]


def test_rjieba_still_imports_after_the_accelerator_loaded():
    """The compiled module is loaded without the package's __init__; importing rjieba afterwards
    must find it, not initialise it a second time."""
    pytest.importorskip("rjieba")
    import subprocess
    import sys

    code = (
        "import importlib; seg = importlib.import_module('drafter.mining.segment');"
        "print(seg._fast_segmenter()('全面从严治党'));"
        "import rjieba; print(rjieba.Jieba.empty() is not None, rjieba.cut('全面从严治党', False))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.split("\n")[:2] == ["['全面', '从严治党']", "True ['全面', '从严治党']"]
