"""What ``mp4_wvtt`` and ``mp4_stpp`` share: options, the read driver, and the fragment/segment writer.

A codec (:class:`Encoder`) turns a document into samples for a span of the
timeline; this module cuts the timeline into fragments, builds the init
segment and the ``moof`` + ``mdat`` pairs with :mod:`subkit.formats._mp4`,
and on reading hands each codec the samples of its track with times in
milliseconds.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

from subkit.formats import _mp4
from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink
from subkit.timing import round_half_up

__all__ = [
    "Encoded",
    "Encoder",
    "Mp4ReadOptions",
    "Mp4WriteOptions",
    "TimedSample",
    "encode",
    "plan_spans",
    "read_samples",
]


#: The longest sample a ``trun`` entry can state, in ticks.
MAX_SAMPLE_TICKS = 0xFFFFFFFF


@dataclass(frozen=True, slots=True, kw_only=True)
class Mp4ReadOptions(BaseReadOptions):
    """Options of the fragmented-MP4 readers.

    Attributes:
        assume_timescale: ticks per second assumed for a media segment read
            without its init segment (the timescale is in the init segment's
            ``mdhd``; 1000 is what CMAF text tracks normally use).
    """

    assume_timescale: int = 1000

    def __post_init__(self) -> None:
        if isinstance(self.assume_timescale, bool) or not isinstance(self.assume_timescale, int) \
                or self.assume_timescale <= 0:
            raise ValueError(f"assume_timescale must be a positive integer, got {self.assume_timescale!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Mp4WriteOptions(BaseWriteOptions):
    """Options of the fragmented-MP4 writers.

    Attributes:
        language: BCP 47 tag of the track (default: the document's).
        timescale: ticks per second of the media timeline (``mdhd``).
        fragment_seconds: cut the file into fragments of this length
            (default: one fragment for the whole document).
        track_id: the track's ID.
    """

    language: str | None = None
    timescale: int = 1000
    fragment_seconds: float | None = None
    track_id: int = 1

    def __post_init__(self) -> None:
        if isinstance(self.timescale, bool) or not isinstance(self.timescale, int) or not 0 < self.timescale < 2**32:
            raise ValueError(f"timescale must be a positive 32-bit integer, got {self.timescale!r}")
        if self.fragment_seconds is not None and not self.fragment_seconds > 0:
            raise ValueError(f"fragment_seconds must be positive, got {self.fragment_seconds!r}")
        if isinstance(self.track_id, bool) or not isinstance(self.track_id, int) or not 0 < self.track_id < 2**32:
            raise ValueError(f"track_id must be a positive 32-bit integer, got {self.track_id!r}")


@dataclass(frozen=True, slots=True)
class TimedSample:
    """A sample with its span in milliseconds and its 1-based number in the track."""

    number: int
    start_ms: int
    end_ms: int
    data: bytes


def read_samples(data: bytes, codec: str, sink: DiagnosticSink, options: Mp4ReadOptions) -> tuple[
        _mp4.Track, list[TimedSample]]:
    """The track of ``codec`` in ``data`` and its samples in milliseconds.

    Problems found in the boxes go to ``sink`` (``line`` is the sample number
    where there is one).

    Raises:
        ParseError: not an MP4 file with such a track.
    """
    try:
        track = _mp4.read_track(data, lambda found: found == codec, assume_codec=codec,
                                assume_timescale=options.assume_timescale)
    except _mp4.Mp4Error as exc:
        raise sink.fail(str(exc)) from None
    except (IndexError, ValueError, OverflowError, struct.error) as exc:  # a table that lies about its length
        raise sink.fail(f"damaged MP4 structure: {exc}") from None
    for problem in track.problems:
        action = "read with that assumption" if problem.startswith("no init segment") else "repaired"
        sink.warn(problem, action)
    scale = track.timescale
    double = 2 * scale
    out: list[TimedSample] = []
    for number, sample in enumerate(track.samples, start=1):
        if sample.entry != 1 and sample.entry > len(track.entries):
            sink.warn(f"sample {number} refers to sample description {sample.entry}, which does not exist",
                      "read with the first one", line=number)
        # Ticks to milliseconds, rounded half up, in integers: floor((2 * t * 1000 + scale) / (2 * scale)).
        start = (2000 * sample.time + scale) // double
        end = (2000 * (sample.time + sample.duration) + scale) // double
        out.append(TimedSample(number, start, end, sample.data))
    return track, out


def plan_spans(end_ms: int, length_ms: int | None,
               busy: Sequence[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Fragment spans covering ``[0, end_ms)``: ``length_ms`` each, the last one shorter (one span if ``None``).

    With ``busy`` (the cues' ``(start, end)``), a run of spans no cue touches becomes one span, so a
    timeline with a cue hours after the others does not become thousands of empty fragments.
    """
    total = max(end_ms, 1)
    if length_ms is None:
        return [(0, total)]
    count = max(math.ceil(total / length_ms), 1)
    if busy is None:
        return [(i * length_ms, min((i + 1) * length_ms, total)) for i in range(count)]
    touched: set[int] = set()
    for start, end in busy:
        first = max(start, 0) // length_ms
        last = max(end - 1, start, 0) // length_ms
        touched.update(range(min(first, count - 1), min(last, count - 1) + 1))
    spans: list[tuple[int, int]] = []
    position = 0
    for index in sorted(touched):
        start = index * length_ms
        if start > position:
            spans.append((position, start))
        spans.append((start, min(start + length_ms, total)))
        position = spans[-1][1]
    if position < total:
        spans.append((position, total))
    return spans


class Encoder(Protocol):
    """A codec's writer half, set up with one document."""

    #: Four-character code of the sample entry.
    codec: str
    #: The ``hdlr`` handler type.
    handler: bytes

    def sample_entry(self) -> bytes:
        """The whole sample entry box."""
        ...

    def end_ms(self) -> int:
        """Where the last cue ends."""
        ...

    def samples(self, start_ms: int, end_ms: int) -> list[tuple[int, int, bytes]]:
        """Samples ``(start_ms, end_ms, data)`` tiling ``[start_ms, end_ms)`` without gaps."""
        ...


@dataclass(frozen=True, slots=True)
class Encoded:
    """A track ready to be stored: the init segment and one fragment per span.

    Attributes:
        init: ``ftyp`` + ``moov``.
        fragments: ``moof`` + ``mdat`` per span (with ``styp`` first when built as media segments).
        spans: each fragment's ``(start_ms, end_ms)``.
        timescale: the media timescale used.
    """

    init: bytes
    fragments: tuple[bytes, ...]
    spans: tuple[tuple[int, int], ...]
    timescale: int


def encode(encoder: Encoder, spans: Sequence[tuple[int, int]], *, timescale: int, language: str | None,
           track_id: int = 1, segments: bool = False) -> Encoded:
    """Build the init segment and the fragments of ``encoder``'s track over ``spans``."""
    ticks: Callable[[int], int] = (lambda ms: ms * (timescale // 1000)) if timescale % 1000 == 0 else (
        lambda ms: round_half_up(Fraction(ms * timescale, 1000)))
    fragments: list[bytes] = []
    for sequence, (start, end) in enumerate(spans, start=1):
        samples = encoder.samples(start, end)
        entries: list[tuple[int, bytes]] = []
        for begin, stop, data in samples:
            first, last = ticks(begin), ticks(stop)
            # trun durations are 32-bit: a longer stretch becomes several samples with the same content,
            # which readers join again.
            while last - first > MAX_SAMPLE_TICKS:
                entries.append((MAX_SAMPLE_TICKS, data))
                first += MAX_SAMPLE_TICKS
            entries.append((last - first, data))
        fragments.append(_mp4.fragment(entries, sequence=sequence, decode_time=ticks(start), track_id=track_id,
                                       segment_type=segments))
    duration = ticks(spans[-1][1]) if spans else 0
    init = _mp4.init_segment(sample_entry=encoder.sample_entry(), handler=encoder.handler, timescale=timescale,
                             language=language, duration=duration, track_id=track_id)
    return Encoded(init, tuple(fragments), tuple(spans), timescale)
