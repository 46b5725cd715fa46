"""Process-wide settings for the length of one job."""

from __future__ import annotations

import contextlib
import gc


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
