"""Worker processes that stop cleanly, and a main process that stops them.

Ctrl-C reaches every process of the terminal's process group: without care, each worker of a
multiprocessing pool prints its own KeyboardInterrupt traceback, and a worker whose parent was
killed prints an EOFError traceback (or lingers). Here the parent alone decides: workers
ignore SIGINT, die silently on SIGTERM (which pool.terminate() sends) and, on Linux, are
killed with their parent; in the parent, SIGTERM and SIGHUP raise KeyboardInterrupt for the
length of the work, so the same clean path (terminate the pool, keep the old bank, one line
of Chinese) serves every way of being stopped."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from typing import Iterator


def cap_workers(workers: int | None) -> int | None:
    """`--workers`, never more than the CPU count (more only makes the run slower)."""
    if workers is None:
        return None
    return max(1, min(workers, os.cpu_count() or 1))


def quiet_worker() -> None:
    """Pool initializer: leave Ctrl-C to the parent, die silently when told or orphaned."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        if os.getppid() == 1:  # the parent died before prctl took effect
            os._exit(1)
    except (OSError, AttributeError):
        pass


class Stopped(KeyboardInterrupt):
    """The run was stopped by a signal (SIGINT, SIGTERM, SIGHUP); `signum` says which."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")
_done = [False]  # the job's result is being put in place (result_in_place): a stop has nothing left to undo
_held: list[list[int] | None] = [None]  # the stops held back by stops_held, while it lasts


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """In the main thread: SIGTERM and SIGHUP (and SIGINT) raise Stopped for the length of the
    block, until the job puts its result in place (result_in_place); the previous handlers come back
    afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame) -> None:
        if _done[0]:
            return
        if _held[0] is not None:
            _held[0].append(signum)
            return
        raise Stopped(signum)

    _done[0] = False

    saved = {}
    for name in _STOP_SIGNALS:
        number = getattr(signal, name, None)
        if number is None:
            continue
        try:
            saved[number] = signal.signal(number, stop)
        except (ValueError, OSError):  # pragma: no cover
            pass
    try:
        yield
    finally:
        _done[0] = False
        for number, handler in saved.items():
            signal.signal(number, handler)


@contextlib.contextmanager
def stops_held() -> Iterator[list[int]]:
    """Within stop_on_signals: a stop that comes during the block does not raise there but is
    listed, for the caller to act on after it. Starting worker processes needs this: a fork
    runs the interpreter's at-fork hooks in this thread, and Stopped raised inside one is only
    printed, as an ignored exception with its traceback, and the run goes on."""
    held: list[int] = []
    previous, _held[0] = _held[0], held
    try:
        yield held
    finally:
        _held[0] = previous
        if previous is not None:
            previous.extend(held)


def result_in_place() -> None:
    """The job is putting its result in place (the commit of a bank, which cannot be undone
    once begun): a stop that comes from here to the end of stop_on_signals lets the job end as
    it is. Stopped there, it would report that nothing was written. (A flag the handler reads,
    not a blocked signal mask: with other threads running, the process's signal reaches one of
    them and Python runs the handler in the main thread all the same.)"""
    _done[0] = True


POOL_STOP_WAIT = 3.0  # seconds a pool's threads get to end once its workers are stopped


def stop_pool(pool, wait: float = POOL_STOP_WAIT) -> None:
    """Terminate a multiprocessing pool, waiting at most `wait` seconds for its threads.

    Pool.terminate() can wait forever: a worker killed while it writes a result leaves the
    result queue's lock held, and the pool's task-handler thread takes that lock to post its
    last message before it ends (a limitation of CPython's pool). The workers are dead by
    then and the pool's threads are daemons: after `wait` seconds the run goes on (to its
    message and exit) and leaves the stuck thread behind."""
    def terminate() -> None:
        pool.terminate()
        pool.join()

    closer = threading.Thread(target=terminate, name="drafter-stop-pool", daemon=True)
    closer.start()
    closer.join(wait)
    if closer.is_alive():
        for process in list(getattr(pool, "_pool", None) or []):  # the workers, should any remain
            if process.exitcode is None:
                process.kill()
