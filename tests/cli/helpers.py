"""Helpers shared by the command-line tests: file contents, a documents builder, a skip marker."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from subkit.formats import FORMATS
from subkit.model import Cue, Document, Region, Style, Word, content_from_text

#: The demo file the README converts; the tests fall back to a copy of their own.
DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo.srt"

#: The same three cues as fixtures/demo.srt.
DEMO_TEXT = (
    "1\n00:00:01,000 --> 00:00:03,200\nWelcome to <i>subkit</i>.\n\n"
    "2\n00:00:03,400 --> 00:00:06,000\nOne model in the middle,\nevery format around it.\n\n"
    "3\n00:00:06,500 --> 00:00:09,000\n"
    '{\\an8}<font color="#ffff00">Convert</font>, <b>clean</b> and style captions.\n'
)

#: An SRT the reader repairs: ``.`` before the milliseconds (line 2), an end before its start (line 6).
FLAWED_TEXT = "1\n00:00:01.000 --> 00:00:02,000\nHi\n\n2\n00:00:03,000 --> 00:00:02,000\nThere\n"


def _importable(name: str) -> bool:
    for spec in FORMATS:
        if spec.name == name:
            try:
                spec.load()
            except Exception:  # missing, or being written right now: the format's own tests tell
                return False
            return True
    return False


def needs_formats(*names: str) -> pytest.MarkDecorator:
    """Skip a test until the named format modules exist (no names: every registered format).

    Content detection asks every format's sniffer, so tests that rely on it
    need them all.
    """
    wanted = names or tuple(spec.name for spec in FORMATS)
    missing = [name for name in wanted if not _importable(name)]
    reason = f"format module(s) not available yet: {', '.join(missing)}"
    return pytest.mark.skipif(bool(missing), reason=reason)



def rich_document() -> Document:
    """A document with what SRT cannot express: speakers, word timing, styles, regions, canvas, frame rate."""
    return Document(
        cues=(
            Cue(
                start_ms=0,
                end_ms=1000,
                content=content_from_text("Hi there"),
                speaker="Ann",
                style="Default",
                words=(
                    Word(text="Hi ", start_ms=0, end_ms=400),
                    Word(text="there", start_ms=400, end_ms=1000),
                ),
            ),
            Cue(start_ms=1500, end_ms=2500, content=content_from_text("Bye"), speaker="Bob"),
        ),
        styles={"Default": Style(name="Default")},
        regions={"top": Region(id="top")},
        canvas=(1920, 1080),
        frame_rate=Fraction(24000, 1001),
    )
