"""Helpers shared by the block text formats: SAMI, SBV, SubViewer 1 and 2, Spruce STL, QuickTime Text, Avid DS.

These formats grew the same small pieces independently; here each is written once:

* option bases: a frame rate (``fps``, parsed by :func:`subkit.timing.parse_fps`)
  for the frame-based formats (Spruce STL, Avid DS), and ``last_duration_ms``
  for the formats that may end a file without ending its last cue;
* reading: SMPTE timecode fields into milliseconds, and an end before the
  start set to the start, each with its diagnostic;
* writing: the frame rate and drop-frame flag to write with, timecodes with
  negative times clamped to zero, a cue's plain text lines, and a
  :class:`Tally` of the cues the writer had to change in one way, reported once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink
from subkit.model import Cue, Document, LineBreak, LossReport, Run
from subkit.timing import (
    format_timecode,
    frames_to_ms,
    ms_to_frames,
    parse_fps,
    round_half_up,
    timecode_to_frames,
)

__all__ = [
    "FpsReadOptions",
    "FpsWriteOptions",
    "LastCueReadOptions",
    "Tally",
    "checked_end",
    "clamped_timecode",
    "plain_lines",
    "timecode_ms",
    "write_rate",
]


def _rate(value: Fraction | float | str | None) -> Fraction | None:
    return None if value is None else parse_fps(value)


@dataclass(frozen=True, slots=True, kw_only=True)
class FpsReadOptions(BaseReadOptions):
    """Reader options of a frame-based format.

    Attributes:
        fps: frame rate of the timecodes (``25``, ``"29.97"``, ``Fraction(30000, 1001)``);
            stored parsed, as a :class:`~fractions.Fraction`; ``None``: the format's default.
    """

    fps: str | float | Fraction | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "fps", _rate(self.fps))


@dataclass(frozen=True, slots=True, kw_only=True)
class FpsWriteOptions(BaseWriteOptions):
    """Writer options of a frame-based format.

    Attributes:
        fps: frame rate of the timecodes; ``None``: the document's, else the format's default.
        drop_frame: write drop-frame labels (``;``); ``None``: the document's
            flag, at 29.97 and 59.94 only.
    """

    fps: str | float | Fraction | None = None
    drop_frame: bool | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "fps", _rate(self.fps))


@dataclass(frozen=True, slots=True, kw_only=True)
class LastCueReadOptions(BaseReadOptions):
    """Reader options of a format whose last cue may have no end.

    Attributes:
        last_duration_ms: how long that cue lasts.
    """

    last_duration_ms: int = 4000

    def __post_init__(self) -> None:
        if self.last_duration_ms < 0:
            raise ValueError("last_duration_ms cannot be negative")


def timecode_ms(fields: Sequence[str], fps: Fraction, sink: DiagnosticSink, *, line: int, excerpt: str) -> int:
    """Milliseconds of the ``(h, m, s, separator, f)`` fields of a timecode; ``;`` means drop-frame.

    Lenient: minutes, seconds or frames out of range are added up
    arithmetically, with a warning.
    """
    h, m, s, sep, f = fields
    if int(f) >= round_half_up(fps) or int(m) > 59 or int(s) > 59:
        sink.warn("a timecode field is out of range", "added it up", line=line, excerpt=excerpt)
    return frames_to_ms(timecode_to_frames(int(h), int(m), int(s), int(f), fps, drop_frame=sep == ";"), fps)


def checked_end(start_ms: int, end_ms: int, sink: DiagnosticSink, *, line: int, excerpt: str) -> int:
    """``end_ms``, or ``start_ms`` (with an error diagnostic) when the cue would end before it starts."""
    if end_ms < start_ms:
        sink.error("cue ends before it starts", "set its end to its start", line=line, excerpt=excerpt)
        return start_ms
    return end_ms


def write_rate(options: FpsWriteOptions, doc: Document, default: Fraction) -> tuple[Fraction, bool]:
    """The frame rate and drop-frame flag to write with: the options', else the document's, else ``default``.

    Drop-frame labels exist only at the NTSC rates (29.97, 59.94).
    """
    fps = options.fps if isinstance(options.fps, Fraction) else doc.frame_rate or default
    drop_frame = options.drop_frame if options.drop_frame is not None else doc.drop_frame
    return fps, drop_frame and fps.denominator == 1001


def clamped_timecode(ms: int, fps: Fraction, *, drop_frame: bool) -> str:
    """``HH:MM:SS:FF`` of the frame nearest ``ms``; negative times are clamped to zero."""
    return format_timecode(ms_to_frames(max(ms, 0), fps), fps, drop_frame=drop_frame)


def plain_lines(cue: Cue, separator: str = "\n") -> str:
    """The cue's text lines, stripped and joined with ``separator``; blank lines and styling dropped."""
    text = "".join(
        item.text if isinstance(item, Run) else separator if isinstance(item, LineBreak) else "" for item in cue.content
    )
    return separator.join(line.strip() for line in text.split(separator) if line.strip())


class Tally:
    """The cues a writer had to change in one way: how many, and the index of the first."""

    __slots__ = ("count", "first")

    def __init__(self) -> None:
        self.count = 0
        self.first: int | None = None

    def add(self, number: int) -> None:
        """Count cue ``number``."""
        self.count += 1
        if self.first is None:
            self.first = number

    def report_to(self, report: LossReport, feature: str, message: str) -> None:
        """Add one loss for all the counted cues to ``report`` (nothing when none was counted)."""
        if self.count:
            report.add(feature, message, cue=self.first, count=self.count)
