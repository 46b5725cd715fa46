"""Process-wide settings for the length of one job."""

from __future__ import annotations

import contextlib
import gc
import threading
from typing import Callable, TypeVar

T = TypeVar("T")


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


def in_background(function: Callable[[], T]) -> Callable[[], T]:
    """Start `function()` in a thread and return a call that waits for it and gives its result
    (or raises what it raised). For work that mostly waits on other processes (worker
    processes, a cluster) while this one does its own. A daemon thread: a job stopped meanwhile
    is not held up by it."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["result"] = function()
        except BaseException as error:  # handed to the caller of the result
            outcome["error"] = error

    thread = threading.Thread(target=run, name="drafter-background", daemon=True)
    thread.start()

    def result() -> T:
        thread.join()
        if "error" in outcome:
            raise outcome["error"]  # type: ignore[misc]
        return outcome["result"]  # type: ignore[return-value]

    return result


def _glibc_trim() -> Callable[[int], int] | None:
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl): nothing to do
        return None


_TRIM: list = []


def give_back_memory() -> None:
    """Return the memory freed so far to the system. Freed memory otherwise stays with the
    process (glibc keeps it for later use, in every thread's arena): a large analysis would
    count, at its peak, the text and token lists of earlier steps it no longer holds."""
    if not _TRIM:
        _TRIM.append(_glibc_trim())
    if _TRIM[0] is not None:
        _TRIM[0](0)
