"""Speeches as users paste them from the web (issue 11): one-line texts, glued headers, photo
captions, credits and datelines inside the text, run-on inline headings, and time linear in the
length of a line."""

from __future__ import annotations

import bisect
import random

import pytest

from drafter.corpus import clean_lines
from drafter.mining.extract import _Spans
from drafter.sections import _outermost, _runs, find_markers
from drafter.textmap import BodyText


# ---------------------------------------------------------------------------
# Linear time: look-ups that replaced scans give the answers the scans gave


def test_span_lookup_answers_as_a_scan_does():
    rng = random.Random(0)
    for _ in range(200):
        spans, pos = [], 0
        for _ in range(rng.randint(0, 8)):
            pos += rng.randint(0, 5)
            end = pos + rng.randint(1, 6)
            spans.append((pos, end))
            pos = end
        lookup = _Spans(spans)
        for first in range(pos + 3):
            for last in range(first, first + 4):
                assert lookup.holding(first, last) == any(s <= first and last < e for s, e in spans)
                assert lookup.holding(first, last, closed=True) == any(s <= first and last <= e for s, e in spans)


_PIECES = ["一、", "二、", "三、", "（一）", "（二）", "（三）", "一是", "二是", "三是", "1.", "2.", "3.", "要加强学习。",
           "。", "；", "，", "\n", "正文", "首先，", "其次，", "最后，"]


def _contained(inner, outer, body, span_end) -> bool:
    """The pairwise test `_outermost` replaced: does `inner` sit inside one item of `outer`?"""
    starts = [m.start for m in outer.markers]
    first, last = inner.markers[0].start, inner.markers[-1].start
    slot = bisect.bisect_right(starts, first) - 1
    if slot < 0:
        return False
    slot_end = starts[slot + 1] if slot + 1 < len(starts) else outer.last_item_end(body, span_end)
    return last < slot_end


def test_outermost_runs_are_those_no_other_run_holds():
    rng = random.Random(1)
    for _ in range(300):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 60)))
        body = BodyText(clean_lines(text.split("\n"), "t"))
        runs = _runs(find_markers(body.text))
        expected = [r for r in runs if not any(o is not r and _contained(r, o, body, len(body)) for o in runs)]
        assert sorted(id(r) for r in _outermost(runs, body, len(body))) == sorted(id(r) for r in expected)


def test_body_text_line_lookups_answer_as_scans_do():
    text = "一、甲\n乙。丙\n\n丁"
    body = BodyText(clean_lines(text.split("\n"), "t"))
    for start in range(len(body.text) + 1):
        for end in range(start, len(body.text) + 1):
            assert body.breaks_between(start, end) == body.text.count("\n", start, end)
            found = body.text.find("\n", start, end)
            assert body.line_end(start, end) == (end if found < 0 else found)
