"""Each line finder of the map step, through the one interface they share (LineView -> finds):
a sentence where it must find its stock phrase, and one where it must find nothing."""

from __future__ import annotations

import pytest

from drafter.canon import canon_path, load_canon
from drafter.mining.canonical import CanonMatcher
from drafter.mining.extract import LINE_FINDERS, LineView
from drafter.mining.segment import lexicon, segment

CANON = CanonMatcher(load_canon(canon_path()))


def finds(finder, text: str) -> set[str]:
    view = LineView.of(text, segment(text), lambda offset: 7, lexicon(), CANON)
    found = finder(view)
    assert all(f.line == 7 and f.context for f in found)  # place and context come from the view
    return {f.text for f in found}


# finder name -> (a sentence, what it must find there), (a sentence, what it must not find)
CASES = {
    "_formulas": (
        ("要增强“四个意识”、坚定“四个自信”、做到“两个维护”。", {"四个意识", "四个自信", "两个维护"}),
        ("三个月以后，五年之内完成二十多项工作。", {"三个月", "五年", "二十多项"}),
    ),
    "_idioms": (
        ("我们要兢兢业业、任劳任怨地为人民服务。", {"兢兢业业", "任劳任怨"}),
        ("今天召开全市工作会议。", {"全市工作", "工作会议"}),
    ),
    "_parallels": (
        ("做到政治上规规矩矩、工作上风风火火、生活上清清白白。", {"政治上规规矩矩、工作上风风火火、生活上清清白白"}),
        ("今年完成了第一、二季度的任务。", {"第一、二季度"}),
    ),
    "_quotes": (
        ("古人云：“名为招祸之本，利乃忘志之媒。”", {"名为招祸之本，利乃忘志之媒"}),
        ("他尖锐地指出：“问题就在这里。”", {"问题就在这里"}),
    ),
    "_canonical": (
        (
            "在以习近平同志为核心的党中央坚强领导下，深入学习贯彻习近平新时代中国特色社会主义思想，做到“两个维护”。",
            {"以习近平同志为核心的党中央", "习近平新时代中国特色社会主义思想", "两个维护"},
        ),
        ("以习近平同志为核心，这是一句被截断的话。", {"以习近平同志为核心"}),
    ),
    "_quoted_terms": (
        ("要深化“放管服”改革，坚持“走出去”。", {"放管服", "走出去"}),
        ("要把“坚持党的领导、加强党的建设”落到实处。", {"坚持党的领导、加强党的建设"}),
    ),
}


def test_every_line_finder_has_cases():
    assert {f.__name__ for f in LINE_FINDERS} == set(CASES)


@pytest.mark.parametrize("finder", LINE_FINDERS, ids=lambda f: f.__name__)
def test_finder_finds_its_stock_phrases(finder):
    (text, wanted), _ = CASES[finder.__name__]
    assert wanted <= finds(finder, text)


@pytest.mark.parametrize("finder", LINE_FINDERS, ids=lambda f: f.__name__)
def test_finder_passes_over_what_is_not_its_kind(finder):
    _, (text, unwanted) = CASES[finder.__name__]
    assert not finds(finder, text) & unwanted


def test_a_list_of_examples_is_no_series():
    """"A、B、C等": examples of a kind (issue 9: 图书馆、文化馆…等 filed as 排比); the same
    series standing on its own stays one."""
    from drafter.mining.extract import _parallels

    assert not finds(_parallels, "建设图书馆、博物馆、科技馆等公共文化设施。")
    assert finds(_parallels, "我们要建设图书馆、博物馆、科技馆。") == {"图书馆、博物馆、科技馆"}


def test_an_event_named_by_its_date_is_no_formula():
    from drafter.mining.extract import _formulas, _idioms

    text = "这就是“五四运动”，也是“九一八事变”以后的事。"
    assert not finds(_formulas, text) & {"五四运动", "九一八事变"}
    assert "五四运动" not in finds(_idioms, text)
    assert finds(_formulas, "要坚持“三严三实”。") == {"三严三实"}
