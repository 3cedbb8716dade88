"""Helpers shared by the op tests: small documents and hypothesis strategies."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import strategies as st

from subkit.model import Cue, Document, Word, content_from_text
from tests.strategies import contents, run_styles, timed_words


def cue(start_ms: int, end_ms: int, text: str, **fields: object) -> Cue:
    """A cue of plain text (``\\n`` for breaks)."""
    return Cue(start_ms=start_ms, end_ms=end_ms, content=content_from_text(text), **fields)  # type: ignore[arg-type]


def worded(start_ms: int, end_ms: int, text: str) -> Cue:
    """A cue whose words join to its text, each word an equal share of its time."""
    pieces = [w + " " for w in text.split(" ")]
    pieces[-1] = pieces[-1][:-1]
    step = (end_ms - start_ms) // len(pieces)
    words = tuple(
        Word(text=p, start_ms=start_ms + i * step, end_ms=end_ms if i == len(pieces) - 1 else start_ms + (i + 1) * step)
        for i, p in enumerate(pieces)
    )
    return Cue(start_ms=start_ms, end_ms=end_ms, content=content_from_text(text), words=words)


def doc(*cues: Cue) -> Document:
    """A document of ``cues``."""
    return Document(cues=tuple(cues))


@st.composite
def documents(draw: st.DrawFn, *, overlapping: bool = True, words: bool = True, max_cues: int = 8) -> Document:
    """Documents of styled cues in time order, some with words joining to their text.

    ``overlapping=False`` keeps every cue apart from the next.
    """
    count = draw(st.integers(0, max_cues))
    cues: list[Cue] = []
    clock = draw(st.integers(0, 5000))
    for _ in range(count):
        start = clock + draw(st.integers(0 if overlapping else 1, 3000))
        if overlapping and cues and draw(st.booleans()):
            start = max(cues[-1].start_ms, cues[-1].end_ms - draw(st.integers(0, 1000)))
        end = start + draw(st.integers(0, 6000))
        content = draw(contents(styles=run_styles(color=False, font=False), max_lines=2))
        item = Cue(start_ms=start, end_ms=end, content=content)
        if words and draw(st.booleans()):
            item = item.replace(words=draw(timed_words(item.plain_text(), start, end)))
        cues.append(item)
        clock = end if not overlapping else start
    return Document(cues=tuple(cues))


def overlaps(document: Document) -> int:
    """How many consecutive cues (in time order) overlap."""
    ordered = sorted(document.cues, key=lambda c: (c.start_ms, c.end_ms))
    return sum(1 for a, b in itertools.pairwise(ordered) if b.start_ms < a.end_ms)


def is_sorted(document: Document) -> bool:
    """Whether the cues are in order of start time."""
    starts = [c.start_ms for c in document.cues]
    return starts == sorted(starts)


ROOT = Path(__file__).resolve().parents[2]


def run_subkit(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m subkit ARGS`` in a subprocess (the checkout first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("SUBKIT_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "subkit", *args], input=input, capture_output=True, text=True,
                          env=env, check=False)
