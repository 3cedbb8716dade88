"""Pipeline steps for the batch tests: module-level, so that they pickle into worker processes."""

from __future__ import annotations

import os
import signal
import time

from subkit.model import Document


def _text(doc: Document) -> str:
    return " ".join(cue.text for cue in doc.cues)


def stall_on_slow(doc: Document) -> Document:
    """Sleep for a minute on a document whose text says SLOW (a file that never finishes in time)."""
    if "SLOW" in _text(doc):
        time.sleep(60)
    return doc


def die_on_crash(doc: Document) -> Document:
    """Kill the worker process on a document whose text says CRASH (a reader or writer that segfaults)."""
    if "CRASH" in _text(doc):
        os.kill(os.getpid(), signal.SIGKILL)
    return doc


def hog_on_big(doc: Document) -> Document:
    """Allocate 2 GB on a document whose text says BIG (a file that needs far more memory than it should)."""
    if "BIG" in _text(doc):
        hoard = bytearray(2 * 1024 * 1024 * 1024)
        hoard[-1] = 1
    return doc


def pause(doc: Document) -> Document:
    """Take 20 ms per file (so that a run lasts long enough to be interrupted)."""
    time.sleep(0.02)
    return doc
