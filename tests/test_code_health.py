"""Code health the team agreed on (issue #8): no function above cyclomatic complexity 20 and every
module's maintainability index at grade A or B, as radon measures them."""

from __future__ import annotations

import pytest

from conftest import ROOT

radon = pytest.importorskip("radon", reason="radon is in the test extra: pip install '.[test]'")


def _sources():
    return sorted((ROOT / "drafter").rglob("*.py"))


def test_no_function_is_more_complex_than_twenty():
    from radon.complexity import cc_visit

    too_complex = [
        f"{path.relative_to(ROOT)}:{block.lineno} {block.name} ({block.complexity})"
        for path in _sources()
        for block in cc_visit(path.read_text(encoding="utf-8"))
        if block.complexity > 20
    ]
    assert not too_complex


def test_every_module_is_maintainable():
    from radon.metrics import mi_rank, mi_visit

    poor = [
        f"{path.relative_to(ROOT)} ({mi_rank(score)}, {score:.0f})"
        for path in _sources()
        for score in [mi_visit(path.read_text(encoding="utf-8"), multi=True)]
        if mi_rank(score) not in ("A", "B")
    ]
    assert not poor
