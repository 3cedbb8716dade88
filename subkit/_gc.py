"""Pausing the cyclic garbage collector while a large document is built or written.

Readers allocate a few small objects per cue and none of them form reference
cycles, yet the collector runs every few hundred allocations and rescans the
growing heap: on 100k cues that doubles the time of a read. :func:`gc_paused`
switches it off for the duration and restores the previous state. Nothing that
would be collected is lost: the next collection after the read finds it.

The collector is process-wide, so nested and concurrent pauses (two threads
reading at once) are counted under a lock: the collector comes back on only
when the last pause ends, and only if it was on before the first began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["PAUSE_FROM", "PAUSE_FROM_CUES", "gc_paused"]

#: Inputs from this many characters (or bytes) up are read with the collector paused.
PAUSE_FROM = 1 << 16
#: Documents of this many cues or more are written with the collector paused: writers
#: build a few strings and lists per cue, which count towards collections as well.
PAUSE_FROM_CUES = 1000

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the body with the cyclic garbage collector off (see the module docstring)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
