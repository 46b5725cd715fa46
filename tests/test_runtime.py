"""Process-wide helpers: memory given back between the steps of an analysis."""

from __future__ import annotations

import sys

import pytest

from drafter import runtime


def _resident_kib() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))


@pytest.mark.skipif(not sys.platform.startswith("linux") or runtime._glibc_trim() is None, reason="glibc only")
def test_memory_freed_in_many_small_pieces_goes_back_to_the_system():
    """What a step held in pieces (lines, token lists, their pickles) stays with the process
    after it is freed, unless given back: a large analysis then counts earlier steps at its peak."""
    held = [("行" * 1000) + str(i) for i in range(50_000)]  # about 100 MiB of lines, each from malloc
    del held[:-1]  # all but the last: the allocator cannot shrink its heap from the top
    before = _resident_kib()
    runtime.give_back_memory()
    assert _resident_kib() < before - 30 * 1024


def test_giving_back_memory_without_glibc_does_nothing(monkeypatch):
    monkeypatch.setattr(runtime, "_glibc_trim", lambda: None)
    runtime.give_back_memory()  # no error
