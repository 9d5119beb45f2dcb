"""Keep the garbage collector's full passes out of streaming runs.

A run with logprobs keeps an object per token (:class:`app.core.logprobs.TokenLogprob`, a
named tuple: the collector tracks it, unlike a plain tuple). CPython collects the oldest
generation whenever it has grown by a quarter, and each of those passes walks every token
kept so far: on a 100k-token stream with top-5 logprobs, six full passes took 0.27 s of
the core client's 1.24 s. While any run streams, :func:`streaming` raises generation 2's
threshold so that those passes wait until the last run has ended; the young generations
are collected as usual (short-lived cycles still go at once), and the old threshold is
back when the last run ends, so the next automatic full pass takes in what the runs left,
once. A run is bounded by its output limit, so what waits is bounded too.

The window collects from its own timer (``app/ui/shell/gc_guard.py``) with the same rule
and reads the same threshold, so its full passes wait for the runs as well.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["PAUSED_THRESHOLD", "streaming"]

#: Generation 2's threshold while a run streams (collections of generation 1 before a full
#: one is considered; CPython's default is 10).
PAUSED_THRESHOLD = 1_000_000

_lock = threading.Lock()
_active = 0
_saved: tuple[int, int, int] | None = None


@contextlib.contextmanager
def streaming() -> Iterator[None]:
    """No automatic full collection until every ``streaming()`` block has ended."""
    global _active, _saved
    with _lock:
        if _active == 0:
            threshold = gc.get_threshold()
            if threshold[0] and threshold[2] < PAUSED_THRESHOLD:
                _saved = threshold
                gc.set_threshold(threshold[0], threshold[1], PAUSED_THRESHOLD)
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _saved is not None:
                current = gc.get_threshold()
                # Someone else changed the thresholds meanwhile: theirs stay.
                if current[2] == PAUSED_THRESHOLD:
                    gc.set_threshold(current[0], current[1], _saved[2])
                _saved = None
