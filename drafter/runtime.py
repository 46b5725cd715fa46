"""Process-wide settings for the length of one job."""

from __future__ import annotations

import contextlib
import functools
import gc
from typing import Callable


@contextlib.contextmanager
def few_collections():
    """Python's cycle collector runs a full pass over every live object after every ~70,000
    allocations. An analysis allocates millions of objects (tokens, finds, entries) and a draft
    tens of thousands (the bank's entries), and both free almost none of them before they end,
    so those passes find nothing: they cost a fifth of a re-run of analysis and a tenth of a
    draft. Rarely during the job (worker processes started in it inherit this), as before
    afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@functools.cache
def _glibc_trim() -> Callable[[int], int] | None:
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl): nothing to do
        return None


def give_back_memory() -> None:
    """Return the memory freed so far to the system. Freed memory otherwise stays with the
    process (glibc keeps it for later use, in every thread's arena): a large analysis would
    count, at its peak, the text and token lists of earlier steps it no longer holds."""
    trim = _glibc_trim()
    if trim is not None:
        trim(0)
