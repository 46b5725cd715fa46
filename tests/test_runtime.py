"""Process-wide helpers: work in a background thread."""

from __future__ import annotations

import threading

import pytest

from drafter.runtime import in_background


def test_background_work_gives_its_result_when_asked():
    started = threading.Event()
    release = threading.Event()

    def work():
        started.set()
        release.wait(10)
        return 42

    result = in_background(work)
    assert started.wait(10)  # running while the caller goes on
    release.set()
    assert result() == 42
    assert result() == 42  # asked again: the same result


def test_background_work_raises_in_the_caller():
    def work():
        raise ValueError("坏了")

    result = in_background(work)
    with pytest.raises(ValueError, match="坏了"):
        result()
