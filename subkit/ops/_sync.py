"""Automatic sync: retime a document to a media file's speech or to a reference subtitle.

The search is pure: it compares two sets of time intervals, the cues of the
document (those with speech in them) and the *activity* of the reference:
where someone speaks in the audio (a voice-activity detector run by
:mod:`subkit.media`), or where a reference subtitle shows its cues. For a
candidate model ``new = old * ratio + offset`` the score is the time the moved
cues overlap the activity; the best model wins.

How the search goes (``docs/sync.md`` has the details and the measurements):

1. **Offset and frame rate.** For each candidate ratio (1 and the common frame
   rate changes: 24/23.976, 25/23.976, 25/24 and their inverses) the overlap
   is computed at every offset in ``±max_offset`` on a 10 ms grid in one pass
   over the pairs of intervals that can meet (the overlap of two intervals is
   a trapezoid in the offset, so each pair adds four slope changes). The
   ratio with the highest peak is kept.
2. **Splits.** Each speech cue may take one of a few candidate offsets (the
   peaks of that curve, then the best offset of each segment found); dynamic
   programming over the cues finds the assignment with the most overlap,
   paying ``split_penalty`` milliseconds of overlap for each change of
   offset, so a file without breaks is never split.
3. **Refinement.** Each segment's offset is refined to the millisecond on the
   exact overlap.
4. **Confidence.** How much better than chance the chosen model covers the
   activity (``lift``), weighed by how sharply the offsets of its segments
   stand out from the other offsets (``prominence``). Below
   ``min_confidence`` the op refuses unless ``force=True``.

Cues that :func:`~subkit.ops.clean` would empty as hearing-impaired or music
(``[music]``, ``♪ ... ♪``, ``(laughs)``) and empty cues take no part in the
search; they move with the segment of the speech cue before them. Timed
words move with their cues. Times pushed before 0:00 are clamped, and a cue
that ends up wholly before it is dropped (and counted), as ``retime`` does.

>>> import subkit
>>> ref = subkit.loads("1\\n00:00:01,000 --> 00:00:02,500\\nOne\\n\\n2\\n00:00:04,000 --> 00:00:05,000\\nTwo\\n"
...                    "\\n3\\n00:00:09,000 --> 00:00:11,000\\nThree\\n")
>>> late = subkit.ops.shift(ref, 2500)
>>> fixed, report = sync(late, ref)
>>> report.model, report.offset_ms, [c.start_ms for c in fixed]
('offset', -2500, [1000, 4000, 9000])
"""

from __future__ import annotations

import math
import os
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from subkit.errors import OperationError
from subkit.model import Cue, Document, Word
from subkit.ops._report import ChangeReport, add_to
from subkit.timing import round_half_up

__all__ = [
    "DEFAULT_FPS_RATIOS",
    "DEFAULT_MAX_OFFSET_MS",
    "DEFAULT_MIN_CONFIDENCE",
    "SpeechActivity",
    "SyncReport",
    "SyncSegment",
    "activity_from_document",
    "speech_cues",
    "sync",
    "sync_to_activity",
]

#: The widest offset searched by default, each way (ffsubsync searches 60 s).
DEFAULT_MAX_OFFSET_MS = 120_000

_NTSC = Fraction(24000, 1001)
#: Frame-rate changes tried besides 1: a subtitle timed for one rate played at another.
DEFAULT_FPS_RATIOS: tuple[Fraction, ...] = (
    Fraction(24) / _NTSC, _NTSC / 24,
    Fraction(25) / _NTSC, _NTSC / 25,
    Fraction(25, 24), Fraction(24, 25),
)

#: Below this confidence the op refuses (calibrated on the benchmark: see docs/sync.md).
DEFAULT_MIN_CONFIDENCE = 0.2

#: The grid of the offset search, in milliseconds (then refined to 1 ms).
_STEP_MS = 10
#: Candidate offsets taken from the global curve for the split search.
_PEAKS = 12
#: Peaks closer than this to a better one are the same peak.
_PEAK_SPACING_MS = 400
#: A ratio must beat ratio 1 by this share of the cue time to be chosen (a clean file keeps ratio 1).
_RATIO_MARGIN = 0.002
#: Prominence (z-score) that chance alone reaches, and that a sure single-offset match reaches.
_PROMINENCE_CHANCE = 2.0
_PROMINENCE_FULL = 5.0
#: A ratio this much better (share of the cue time) on one offset wins without fitting ratio 1 with splits.
_RATIO_CLEAR = 0.15
#: Weight of the activity in the pauses around cues (see :class:`_Problem`).
_GAP_WEIGHT = 1.0
#: How far into the pause before and after it a cue answers for the activity there.
_GAP_REACH_MS = 1500
#: The end of a cue that counts neither for nor against it (at most a quarter of the cue): subtitles stay on
#: screen after the speech ends (reading time, minimum durations) far more than they come up before it starts.
_HOLD_MS = 400

ProgressCallback = Callable[[str], None]


# ------------------------------------------------------------------ data


@dataclass(frozen=True, slots=True)
class SpeechActivity:
    """Where the reference is active: sorted, disjoint ``(start_ms, end_ms)`` intervals.

    For audio it is where a voice-activity detector heard speech; for a
    reference subtitle, where its speech cues are shown.

    Attributes:
        intervals: sorted, disjoint, non-empty intervals in milliseconds.
        duration_ms: the length of the reference (0 when unknown).
        source: what it was made from (``"audio"``, ``"subtitle"``...), for the report.
    """

    intervals: tuple[tuple[int, int], ...]
    duration_ms: int = 0
    source: str = "audio"

    def __post_init__(self) -> None:
        last = -1
        for start, end in self.intervals:
            if start < last or end <= start:
                raise OperationError("speech activity intervals must be sorted, disjoint and non-empty")
            last = end

    @classmethod
    def from_intervals(
        cls, intervals: Iterable[tuple[int, int]], *, duration_ms: int = 0, source: str = "audio"
    ) -> SpeechActivity:
        """Activity from any intervals: sorted, and overlapping or touching ones joined; empty ones dropped.

        >>> SpeechActivity.from_intervals([(500, 900), (0, 200), (150, 300), (900, 1000)]).intervals
        ((0, 300), (500, 1000))
        """
        merged: list[list[int]] = []
        for start, end in sorted((int(s), int(e)) for s, e in intervals):
            if end <= start:
                continue
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        return cls(tuple((s, e) for s, e in merged), duration_ms=duration_ms, source=source)

    @classmethod
    def from_frames(
        cls, flags: Iterable[bool | int], frame_ms: int, *, min_gap_ms: int = 0, source: str = "audio"
    ) -> SpeechActivity:
        """Activity from per-frame decisions (``True`` = speech), ``frame_ms`` each.

        Gaps of at most ``min_gap_ms`` between speech runs are filled.

        >>> SpeechActivity.from_frames([0, 1, 1, 0, 1, 0, 0, 1], 10, min_gap_ms=10).intervals
        ((10, 50), (70, 80))
        """
        intervals: list[tuple[int, int]] = []
        start: int | None = None
        index = -1
        for index, flag in enumerate(flags):
            if flag and start is None:
                start = index * frame_ms
            elif not flag and start is not None:
                intervals.append((start, index * frame_ms))
                start = None
        total = (index + 1) * frame_ms
        if start is not None:
            intervals.append((start, total))
        joined: list[tuple[int, int]] = []
        for interval in intervals:
            if joined and interval[0] - joined[-1][1] <= min_gap_ms:
                joined[-1] = (joined[-1][0], interval[1])
            else:
                joined.append(interval)
        return cls(tuple(joined), duration_ms=total, source=source)

    @property
    def active_ms(self) -> int:
        """The total active time."""
        return sum(end - start for start, end in self.intervals)


@dataclass(frozen=True, slots=True)
class SyncSegment:
    """A run of consecutive cues moved by one map ``new = old * ratio + offset_ms``.

    Attributes:
        first_cue, last_cue: indexes (inclusive) of the segment's cues in the input document.
        start_ms: the input time the segment starts at (its first cue's start).
        new_start_ms: where that cue starts after sync.
        offset_ms: the offset of the map (after the ratio).
        ratio: the time scale of the map.
        cues: how many cues the segment holds.
        coverage: the share of its speech cues' time that meets the reference's activity.
    """

    first_cue: int
    last_cue: int
    start_ms: int
    new_start_ms: int
    offset_ms: int
    ratio: Fraction
    cues: int
    coverage: float

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready record."""
        return {"first_cue": self.first_cue, "last_cue": self.last_cue, "start_ms": self.start_ms,
                "new_start_ms": self.new_start_ms, "offset_ms": self.offset_ms, "ratio": _ratio_text(self.ratio),
                "cues": self.cues, "coverage": round(self.coverage, 4)}


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What :func:`sync` chose and how sure it is.

    Attributes:
        model: ``"offset"``, ``"offset+ratio"`` or ``"piecewise"`` (with ``splits`` breaks).
        offset_ms: the offset of the segment holding most speech cues.
        ratio: the time scale applied to every cue (1 unless a frame-rate change was found).
        segments: each run of cues with its own offset, in order.
        score: the share of the speech cues' time that meets the activity after sync (0-1).
        baseline: the share expected by chance (the mean over all offsets searched).
        lift: how far ``score`` is from ``baseline`` towards 1 (``(score - baseline) / (1 - baseline)``).
        prominence: how many standard deviations the chosen offsets stand above the
            other offsets of the search (cue-weighted mean over the segments).
        confidence: 0-1, from ``lift`` and ``prominence``; the gate compares it with ``min_confidence``.
        min_confidence: the threshold in force.
        accepted: the result passed the gate (or was forced).
        reason: why it was refused, or an empty string.
        reference: ``"audio"`` or ``"subtitle"`` (the activity's source).
        speech_cues: cues used in the search.
        other_cues: cues left out of it (hearing-impaired, music, empty) and moved with their neighbours.
    """

    model: str
    offset_ms: int
    ratio: Fraction
    segments: tuple[SyncSegment, ...]
    score: float
    baseline: float
    lift: float
    prominence: float
    confidence: float
    min_confidence: float
    accepted: bool
    reason: str = ""
    reference: str = "audio"
    speech_cues: int = 0
    other_cues: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def splits(self) -> tuple[int, ...]:
        """The input times where a new segment starts (one per break)."""
        return tuple(segment.start_ms for segment in self.segments[1:])

    def summary(self) -> str:
        """One line: model, offsets, score and confidence.

        >>> seg = SyncSegment(0, 9, 0, 1500, 1500, Fraction(1), 10, 0.9)
        >>> SyncReport("offset", 1500, Fraction(1), (seg,), 0.9, 0.4, 0.83, 9.1, 0.8, 0.35, True).summary()
        'offset +1.500s; score 0.900 (chance 0.400), confidence 0.80'
        """
        if self.model == "piecewise":
            parts = ", ".join(f"{_seconds(s.offset_ms)} from {_clock(s.start_ms)}" for s in self.segments)
            what = f"piecewise with {len(self.segments) - 1} split(s): {parts}"
        else:
            what = f"offset {_seconds(self.offset_ms)}"
        if self.ratio != 1:
            what += f", ratio {_ratio_text(self.ratio)}"
        return f"{what}; score {self.score:.3f} (chance {self.baseline:.3f}), confidence {self.confidence:.2f}"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready record (``--json``)."""
        return {
            "model": self.model, "offset_ms": self.offset_ms, "ratio": _ratio_text(self.ratio),
            "splits": len(self.segments) - 1, "split_at_ms": list(self.splits),
            "segments": [segment.as_dict() for segment in self.segments],
            "score": round(self.score, 4), "baseline": round(self.baseline, 4), "lift": round(self.lift, 4),
            "prominence": round(self.prominence, 2), "confidence": round(self.confidence, 4),
            "min_confidence": self.min_confidence, "accepted": self.accepted, "reason": self.reason,
            "reference": self.reference, "speech_cues": self.speech_cues, "other_cues": self.other_cues,
            "timings": {key: round(value, 3) for key, value in self.timings.items()},
        }


def _ratio_text(ratio: Fraction) -> str:
    return str(ratio.numerator) if ratio.denominator == 1 else f"{ratio.numerator}/{ratio.denominator}"


def _seconds(ms: int) -> str:
    return f"{'+' if ms >= 0 else '-'}{abs(ms) / 1000:.3f}s"


def _clock(ms: int) -> str:
    seconds, milli = divmod(max(ms, 0), 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}.{milli:03d}"


# ------------------------------------------------------------------ cues with speech


def _is_speech(cue: Cue) -> bool:
    from subkit.ops._clean import _hi_edits

    if cue.comment or cue.end_ms <= cue.start_ms:
        return False
    text = cue.plain_text()
    kept: list[str] = []
    position = 0
    for start, end, _ in _hi_edits(text, {"brackets": True, "parentheses": True, "music": True}):
        kept.append(text[position:start])
        position = end
    kept.append(text[position:])
    return any(ch.isalnum() for ch in "".join(kept))


def speech_cues(doc: Document) -> list[int]:
    """Indexes of the cues that carry speech: not empty, not only hearing-impaired or music text.

    >>> import subkit
    >>> doc = subkit.loads("1\\n00:00:01,000 --> 00:00:02,000\\n[door slams]\\n\\n"
    ...                    "2\\n00:00:03,000 --> 00:00:04,000\\n♪ la la ♪\\n\\n"
    ...                    "3\\n00:00:05,000 --> 00:00:06,000\\n(sighs) Fine.\\n")
    >>> speech_cues(doc)
    [2]
    """
    return [index for index, cue in enumerate(doc.cues) if _is_speech(cue)]


def activity_from_document(doc: Document) -> SpeechActivity:
    """The activity of a reference subtitle: where its speech cues are shown.

    Raises:
        OperationError: the reference has no speech cue.
    """
    indexes = speech_cues(doc)
    if not indexes:
        raise OperationError("the reference subtitle has no cue with speech in it")
    cues = doc.cues
    return SpeechActivity.from_intervals(((cues[i].start_ms, cues[i].end_ms) for i in indexes),
                                         duration_ms=doc.duration_ms, source="subtitle")


# ------------------------------------------------------------------ the overlap curve


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:  # the pure-Python path serves
        return None
    return numpy


#: A curve of scores on a grid of offsets: a numpy array when numpy is installed, else a list.
Curve = Any


def _curve(
    kernels: Sequence[Sequence[float]],
    starts: Sequence[int],
    ends: Sequence[int],
    lo: int,
    count: int,
    step: int,
    deltas: Sequence[float] = (1.0, -1.0),
) -> Curve:
    """The correlation of ``kernels`` moved by ``lo + k * step`` with the activity, for ``k`` in ``range(count)``.

    Each kernel is a step function given by its step positions (one tuple of
    non-decreasing times per cue) and the shared step sizes ``deltas``; the
    default ``(1, -1)`` makes a kernel ``(a, b)`` the indicator of the cue
    ``[a, b]``, so the curve is the overlap with the activity.

    The correlation of one kernel step ``delta`` at ``p`` with one activity
    edge ``sigma`` (+1 where an interval starts, -1 where it ends) at ``q`` is
    a ramp whose slope changes by ``-delta * sigma`` at the offset ``q - p``
    (for the indicator of ``[a, b]`` against ``[c, f]`` this gives the
    trapezoid with slope changes +1 at ``c - b``, -1 at ``c - a``, -1 at
    ``f - b`` and +1 at ``f - a``). Each slope change ``w`` at ``x`` adds
    ``w * (d - x)`` for ``d > x``: on the grid, a jump at the first point past
    ``x`` and a slope from there on. Summing them and integrating once gives
    the curve exactly at the grid points. Only the pairs that can meet within
    the range are visited.
    """
    hi = lo + (count - 1) * step
    numpy = _numpy()
    if numpy is not None and kernels:
        return _curve_numpy(numpy, kernels, deltas, starts, ends, lo, hi, count, step)
    jump = [0.0] * count
    slope = [0.0] * count
    for points in kernels:
        first = bisect_right(ends, points[0] + lo)
        last = bisect_left(starts, points[-1] + hi)
        for j in range(first, last):
            for q, sigma in ((starts[j], 1.0), (ends[j], -1.0)):
                for p, delta in zip(points, deltas, strict=True):
                    x = q - p
                    w = -delta * sigma
                    k = max(math.floor((x - lo) / step) + 1, 0)
                    if k < count:
                        jump[k] += w * (lo + k * step - x)
                        slope[k] += w
    values: list[float] = []
    value = rate = 0.0
    for k in range(count):
        value += rate * step + jump[k]
        rate += slope[k]
        values.append(value)
    return values


def _curve_numpy(
    np: Any, kernels: Sequence[Sequence[float]], deltas: Sequence[float], starts: Sequence[int],
    ends: Sequence[int], lo: int, hi: int, count: int, step: int,
) -> Curve:
    points = np.asarray(kernels, dtype=np.float64).reshape(len(kernels), len(deltas))
    s = np.asarray(starts, dtype=np.float64)
    e = np.asarray(ends, dtype=np.float64)
    first = np.searchsorted(e, points[:, 0] + lo, side="right")
    last = np.searchsorted(s, points[:, -1] + hi, side="left")
    counts = np.maximum(last - first, 0)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(count)
    owner = np.repeat(np.arange(len(points)), counts)
    cumulative = np.cumsum(counts) - counts
    j = first[owner] + (np.arange(total) - cumulative[owner])
    mine = points[owner]
    jump = np.zeros(count)
    slope = np.zeros(count)
    # One group per (activity edge, kernel step): every slope change in it has the same size.
    for edge, sigma in ((s[j], 1.0), (e[j], -1.0)):
        for column, delta in enumerate(deltas):
            if delta == 0:
                continue
            xs = edge - mine[:, column]
            k = np.floor((xs - lo) / step).astype(np.int64) + 1
            np.maximum(k, 0, out=k)
            keep = k < count
            if not keep.all():
                k, xs = k[keep], xs[keep]
            w = -delta * sigma
            jump += w * np.bincount(k, weights=lo + k * step - xs, minlength=count)
            slope += w * np.bincount(k, minlength=count)
    rate = np.concatenate(([0.0], np.cumsum(slope)[:-1]))
    return np.cumsum(jump + rate * step)


def _overlap(a: float, b: float, starts: Sequence[int], ends: Sequence[int]) -> float:
    """The time ``[a, b]`` meets the activity."""
    total = 0.0
    j = bisect_right(ends, a)
    while j < len(starts) and starts[j] < b:
        total += min(b, ends[j]) - max(a, starts[j])
        j += 1
    return total


def _top(values: Curve) -> float:
    return float(values.max()) if hasattr(values, "max") else max(values)


def _mean(values: Curve) -> float:
    return float(values.mean()) if hasattr(values, "mean") else sum(values) / len(values)


def _best_index(values: Curve, tolerance: float = 1e-6) -> int:
    """The index of the maximum; the middle of a plateau of equal maxima."""
    top = _top(values)
    if hasattr(values, "nonzero"):
        best = [int(i) for i in (values >= top - tolerance).nonzero()[0]]
    else:
        best = [i for i, v in enumerate(values) if v >= top - tolerance]
    run_start = best[0]
    runs: list[tuple[int, int]] = []
    previous = best[0]
    for index in best[1:]:
        if index != previous + 1:
            runs.append((run_start, previous))
            run_start = index
        previous = index
    runs.append((run_start, previous))
    first, last = max(runs, key=lambda r: r[1] - r[0])
    return (first + last) // 2


def _peaks(values: Curve, lo: int, step: int, limit: int) -> list[int]:
    """Offsets of the highest local maxima, at least ``_PEAK_SPACING_MS`` apart."""
    if hasattr(values, "argsort"):
        order = values.argsort()[::-1].tolist()
        values = values.tolist()
    else:
        order = sorted(range(len(values)), key=values.__getitem__, reverse=True)
    chosen: list[int] = []
    spacing = _PEAK_SPACING_MS // step
    for index in order:
        if len(chosen) >= limit:
            break
        if values[index] <= 0:
            break
        if all(abs(index - other) > spacing for other in chosen):
            chosen.append(index)
    return [lo + index * step for index in chosen]


# ------------------------------------------------------------------ the search


@dataclass(slots=True)
class _Problem:
    """The search's inputs: speech cues as ``(start, end)``, the pauses around each, and the activity.

    The score of a placement is the time the cues meet the activity minus
    ``_GAP_WEIGHT`` times the activity that falls in the pauses around them:
    speech where the subtitle shows nothing is evidence against the
    placement, as a cue over silence is (the cue's own term gains nothing
    there). Each cue owns the halves of the pauses next to it, at most
    ``_GAP_REACH_MS`` each way, so that at a break each side's pause moves
    with its own cue. The cue's hold (its last quarter, at most ``_HOLD_MS``)
    counts neither way.
    """

    cues: list[tuple[int, int]]
    leads: list[float]  # where the pause a cue answers for starts (its start when none)
    holds: list[float]  # where its hold starts: the end of the time the cue counts as speech
    trails: list[float]  # where the pause after it that it answers for ends (its end when none)
    starts: list[int]
    ends: list[int]
    max_offset: int
    arrays: Any = None  # numpy: (cue starts, ends, leads, holds, trails, activity knots, cumulative activity)

    @classmethod
    def build(cls, cues: list[tuple[int, int]], activity: SpeechActivity, max_offset: int) -> _Problem:
        leads: list[float] = []
        holds: list[float] = []
        trails: list[float] = []
        for index, (start, end) in enumerate(cues):
            before = cues[index - 1][1] if index else -math.inf
            after = cues[index + 1][0] if index + 1 < len(cues) else math.inf
            leads.append(max(start - _GAP_REACH_MS, (before + start) / 2 if before < start else start))
            trails.append(min(end + _GAP_REACH_MS, (end + after) / 2 if after > end else end))
            holds.append(end - min(_HOLD_MS, (end - start) / 4))
        problem = cls(cues, leads, holds, trails, [s for s, _ in activity.intervals],
                      [e for _, e in activity.intervals], max_offset)
        np = _numpy()
        if np is not None:
            knots = np.asarray([t for pair in activity.intervals for t in pair], dtype=np.float64)
            lengths = np.asarray([e - s for s, e in activity.intervals], dtype=np.float64)
            cumulative = np.zeros(len(knots))
            cumulative[1::2] = np.cumsum(lengths)
            cumulative[2::2] = np.cumsum(lengths)[:-1]
            problem.arrays = (np.asarray([c[0] for c in cues], dtype=np.float64),
                              np.asarray([c[1] for c in cues], dtype=np.float64),
                              np.asarray(leads, dtype=np.float64), np.asarray(holds, dtype=np.float64),
                              np.asarray(trails, dtype=np.float64), knots, cumulative)
        return problem

    def curve(self, ratio: Fraction, members: Sequence[int], *, overlap: bool = False) -> tuple[int, Curve]:
        """``(lo, values)`` on the search grid: the score (or, with ``overlap``, the cues' overlap alone)."""
        count = 2 * self.max_offset // _STEP_MS + 1
        lo = -(count // 2) * _STEP_MS
        return lo, self._grid(ratio, members, lo, count, _STEP_MS, overlap=overlap)

    def _grid(self, ratio: Fraction, members: Sequence[int], lo: int, count: int, step: int, *,
              overlap: bool = False) -> Curve:
        r = float(ratio)
        if overlap or _GAP_WEIGHT == 0:
            return _curve([(self.cues[i][0] * r, self.cues[i][1] * r) for i in members], self.starts, self.ends,
                          lo, count, step)
        # The pause before (weight -w), the cue up to its hold (+1), the hold (0), the pause after (-w):
        # steps -w, 1 + w, -1, -w, +w.
        kernels = [(self.leads[i] * r, self.cues[i][0] * r, self.holds[i] * r, self.cues[i][1] * r,
                    self.trails[i] * r) for i in members]
        w = _GAP_WEIGHT
        return _curve(kernels, self.starts, self.ends, lo, count, step, (-w, 1 + w, -1, -w, w))

    def gains(self, ratio: Fraction, offsets: Sequence[float], members: Sequence[int] | None = None) -> Any:
        """Each cue's score at each offset (rows: cues of ``members``, default all; columns: offsets).

        A cue's score is its overlap with the activity, less ``_GAP_WEIGHT``
        times the activity in the pauses it answers for.
        """
        r = float(ratio)
        indexes = range(len(self.cues)) if members is None else members
        if self.arrays is not None:
            import numpy as np

            starts, ends, leads, holds, trails, knots, cumulative = self.arrays
            pick = np.asarray(indexes, dtype=np.int64)
            shifts = np.asarray(offsets, dtype=np.float64)[None, :]

            def active(times: Any) -> Any:
                return np.interp(times[pick][:, None] * r + shifts, knots, cumulative)

            at_start = active(starts)
            pauses = (at_start - active(leads)) + (active(trails) - active(ends))
            return (active(holds) - at_start) - _GAP_WEIGHT * pauses
        rows: list[list[float]] = []
        for i in indexes:
            a, b = self.cues[i]
            row: list[float] = []
            for d in offsets:
                value = _overlap(a * r + d, self.holds[i] * r + d, self.starts, self.ends)
                value -= _GAP_WEIGHT * (_overlap(self.leads[i] * r + d, a * r + d, self.starts, self.ends)
                                        + _overlap(b * r + d, self.trails[i] * r + d, self.starts, self.ends))
                row.append(value)
            rows.append(row)
        return rows

    def exact(self, ratio: Fraction, offset: float, members: Sequence[int]) -> float:
        """The score of ``members`` at ``offset``."""
        table = self.gains(ratio, [offset], members)
        return float(table.sum()) if hasattr(table, "sum") else sum(row[0] for row in table)

    def covered(self, ratio: Fraction, offset: float, members: Sequence[int]) -> float:
        """The time the cues of ``members`` meet the activity at ``offset``."""
        r = float(ratio)
        return sum(_overlap(self.cues[i][0] * r + offset, self.cues[i][1] * r + offset, self.starts, self.ends)
                   for i in members)

    def refine(self, ratio: Fraction, coarse: int, members: Sequence[int]) -> int:
        """The best whole-millisecond offset within one grid step of ``coarse``."""
        lo = coarse - _STEP_MS
        return lo + _best_index(self._grid(ratio, members, lo, 2 * _STEP_MS + 1, 1))


def _viterbi(gains: Any, penalty: float) -> list[int]:
    """The state per cue maximising the total gain minus ``penalty`` per change of state.

    ``gains`` is a cues x states table (a numpy array, or a list of rows).
    """
    if hasattr(gains, "shape"):
        import numpy as np

        score = gains[0].copy()
        leaders = np.zeros(len(gains), dtype=np.int64)
        jumped = np.zeros(gains.shape, dtype=bool)
        for index in range(1, len(gains)):
            leader = int(score.argmax())
            jump = score[leader] - penalty
            leaders[index] = leader
            jumped[index] = score < jump
            score = np.maximum(score, jump) + gains[index]
        state = int(score.argmax())
        path = [state]
        for index in range(len(gains) - 1, 0, -1):
            if jumped[index, state]:
                state = int(leaders[index])
            path.append(state)
        path.reverse()
        return path
    states = len(gains[0])
    score = list(gains[0])
    back: list[list[int]] = []
    for row in gains[1:]:
        leader = max(range(states), key=score.__getitem__)
        jump = score[leader] - penalty
        pointers: list[int] = []
        new: list[float] = []
        for k in range(states):
            if score[k] >= jump:
                new.append(score[k] + row[k])
                pointers.append(k)
            else:
                new.append(jump + row[k])
                pointers.append(leader)
        back.append(pointers)
        score = new
    state = max(range(states), key=score.__getitem__)
    path = [state]
    for pointers in reversed(back):
        state = pointers[state]
        path.append(state)
    path.reverse()
    return path


def _runs(path: Sequence[int]) -> list[tuple[int, int, int]]:
    """``(first, last, state)`` for each run of equal states."""
    runs: list[tuple[int, int, int]] = []
    start = 0
    for index in range(1, len(path) + 1):
        if index == len(path) or path[index] != path[start]:
            runs.append((start, index - 1, path[start]))
            start = index
    return runs


def _prominence(values: Curve, peak: float) -> float:
    mean = _mean(values)
    var = float(values.var()) if hasattr(values, "var") else sum((v - mean) ** 2 for v in values) / len(values)
    return (peak - mean) / math.sqrt(var) if var > 0 else 0.0


@dataclass(frozen=True, slots=True)
class _Fit:
    ratio: Fraction
    runs: list[tuple[int, int, int]]  # (first, last, offset) over speech-cue positions
    score: float
    baseline: float
    prominence: float


def _fit_offsets(
    problem: _Problem, ratio: Fraction, lo: int, values: Curve, split: bool, penalty: float
) -> tuple[list[tuple[int, int, int]], float]:
    """The segments ``(first, last, offset)`` at ``ratio`` and their objective (score less the penalties)."""
    everyone = list(range(len(problem.cues)))
    single = problem.refine(ratio, lo + _best_index(values) * _STEP_MS, everyone)
    runs = [(0, len(everyone) - 1, single)]
    if split and len(everyone) > 1:
        candidates = set(_peaks(values, lo, _STEP_MS, _PEAKS)) | {single}
        for _ in range(4):
            offsets = sorted(candidates)
            path = _viterbi(problem.gains(ratio, offsets), penalty)
            refined: list[tuple[int, int, int]] = []
            for first, last, state in _runs(path):
                members = list(range(first, last + 1))
                seg_lo, seg_values = problem.curve(ratio, members)
                found = problem.refine(ratio, seg_lo + _best_index(seg_values) * _STEP_MS, members)
                if problem.exact(ratio, found, members) < problem.exact(ratio, offsets[state], members):
                    found = offsets[state]
                refined.append((first, last, found))
            merged: list[tuple[int, int, int]] = []
            for item in refined:
                if merged and merged[-1][2] == item[2]:
                    merged[-1] = (merged[-1][0], item[1], item[2])
                else:
                    merged.append(item)
            if merged == runs:
                break
            runs = merged
            new = {offset for _, _, offset in runs}
            if new <= candidates:
                break
            candidates |= new
    objective = sum(problem.exact(ratio, offset, range(first, last + 1)) for first, last, offset in runs)
    return runs, objective - penalty * (len(runs) - 1)


def _search(
    problem: _Problem, ratios: Sequence[Fraction], split: bool, penalty: float, progress: ProgressCallback | None
) -> _Fit:
    total_ms = sum(b - a for a, b in problem.cues)
    everyone = list(range(len(problem.cues)))
    curves: dict[Fraction, tuple[int, Curve]] = {}
    for ratio in (Fraction(1), *[r for r in ratios if r != 1]):
        curves[ratio] = problem.curve(ratio, everyone)
    # The ratio with the highest peak challenges ratio 1; it wins only by a margin, on the full fit
    # (with splits): breaks can make a wrong ratio's single peak look good.
    challenger = max(curves, key=lambda q: (_top(curves[q][1]), q == 1))
    if progress:
        progress("searching for splits" if split else "refining")
    ratio = Fraction(1)
    lo, values = curves[ratio]
    if challenger != 1 and _top(curves[challenger][1]) > _top(values) + _RATIO_CLEAR * total_ms:
        # A clear winner on one offset: ratio 1 need not be fitted with splits.
        ratio = challenger
        lo, values = curves[ratio]
        runs, _ = _fit_offsets(problem, ratio, lo, values, split, penalty)
    else:
        runs, objective = _fit_offsets(problem, ratio, lo, values, split, penalty)
        if challenger != 1:
            c_lo, c_values = curves[challenger]
            c_runs, c_objective = _fit_offsets(problem, challenger, c_lo, c_values, split, penalty)
            if c_objective > objective + _RATIO_MARGIN * total_ms:
                ratio, lo, values, runs = challenger, c_lo, c_values, c_runs
    overlap = problem.curve(ratio, everyone, overlap=True)[1]
    covered = sum(problem.covered(ratio, offset, range(first, last + 1)) for first, last, offset in runs)
    baseline = _mean(overlap) / total_ms if total_ms else 0.0
    weights = 0.0
    prominence = 0.0
    for first, last, offset in runs:
        members = list(range(first, last + 1))
        seg_values = values if len(runs) == 1 else problem.curve(ratio, members)[1]
        prominence += _prominence(seg_values, problem.exact(ratio, offset, members)) * len(members)
        weights += len(members)
    return _Fit(ratio, runs, covered / total_ms if total_ms else 0.0, baseline,
                prominence / weights if weights else 0.0)


def _confidence(lift: float, prominence: float, pieces: int) -> float:
    """0-1: the lift over chance, damped when the chosen offsets barely stand out from the others.

    The prominence is a z-score: how many standard deviations a segment's
    chosen offset scores above the mean of all offsets searched. The best of
    some 24,000 offsets of an unrelated pair stands about 2.5-3.5 above the
    mean; a true match of a few minutes of dialogue stands 4-12 above, more
    for longer files. Each extra segment asks for a little more, as it had one
    more chance to find a good spot by luck. A true match also covers the
    activity well above chance (lift); a wrong pair may reach some lift by
    splitting, but not both.
    """
    needed = _PROMINENCE_FULL + 0.5 * (pieces - 1)
    sharpness = min(1.0, max(0.0, (prominence - _PROMINENCE_CHANCE) / (needed - _PROMINENCE_CHANCE)))
    return max(0.0, min(1.0, lift)) * sharpness


# ------------------------------------------------------------------ applying the model


def _move(cue: Cue, ratio: Fraction, offset: int) -> Cue:
    def new(ms: int) -> int:
        return max(round_half_up(ms * ratio + offset), 0)

    start, end = new(cue.start_ms), new(cue.end_ms)
    words = cue.words
    if words:
        words = tuple(Word(text=w.text, start_ms=min(max(new(w.start_ms), start), end),
                           end_ms=min(max(new(w.end_ms), start), end), confidence=w.confidence, kind=w.kind)
                      for w in words)
    if (start, end) == (cue.start_ms, cue.end_ms) and words == cue.words:
        return cue
    return cue.replace(start_ms=start, end_ms=end, words=words)


def sync_to_activity(
    doc: Document,
    activity: SpeechActivity,
    *,
    max_offset_ms: int = DEFAULT_MAX_OFFSET_MS,
    fps_ratios: Sequence[Fraction | str | float] | None = None,
    split: bool = True,
    split_penalty_ms: int | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    force: bool = False,
    report: ChangeReport | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[Document, SyncReport]:
    """Retime ``doc`` to an activity signal (the pure core of :func:`sync`).

    Args:
        doc: the subtitle to fix.
        activity: where the reference is active (speech in the audio, or a reference subtitle's cues).
        max_offset_ms: the widest offset searched, each way.
        fps_ratios: time scales tried besides 1 (default :data:`DEFAULT_FPS_RATIOS`); ``()`` for none.
        split: look for breaks (a cut or an inserted ad) where the offset changes.
        split_penalty_ms: the overlap a break must gain to be taken (default: twice the median speech cue
            length, at least 4 s); higher means fewer splits.
        min_confidence: refuse below this confidence (0 accepts everything).
        force: apply the result even below ``min_confidence``.
        report: counts ``cues retimed``, ``cues dropped`` (moved wholly before 0:00) and ``sync splits``.
        progress: called with a short message at each stage.

    Returns:
        The retimed document and the :class:`SyncReport`.

    Raises:
        OperationError: bad arguments, no speech cue, no activity, or (unless ``force``) a result below
            ``min_confidence``; the error carries the report as ``report``.
    """
    import time

    clock = time.perf_counter()
    ratios = _ratios(fps_ratios)
    if isinstance(max_offset_ms, bool) or not isinstance(max_offset_ms, int) or max_offset_ms < _STEP_MS:
        raise OperationError(f"max_offset_ms must be a whole number of at least {_STEP_MS}, got {max_offset_ms!r}")
    if not 0.0 <= min_confidence <= 1.0:
        raise OperationError(f"min_confidence must be within 0-1, got {min_confidence!r}")
    if split_penalty_ms is not None and (not isinstance(split_penalty_ms, int) or split_penalty_ms < 0):
        raise OperationError(f"split_penalty_ms must be a whole number >= 0, got {split_penalty_ms!r}")
    indexes = speech_cues(doc)
    if not indexes:
        raise OperationError("the subtitle has no cue with speech in it to align")
    if not activity.intervals:
        raise OperationError(f"no activity found in the reference ({activity.source}): nothing to align to")
    cues = doc.cues
    problem = _Problem.build([(cues[i].start_ms, cues[i].end_ms) for i in indexes], activity, max_offset_ms)
    if split_penalty_ms is None:
        lengths = sorted(b - a for a, b in problem.cues)
        split_penalty_ms = max(4000, 2 * lengths[len(lengths) // 2])
    if progress:
        progress(f"searching offsets within ±{max_offset_ms / 1000:g}s and {len(ratios) + 1} frame-rate ratios")
    fit = _search(problem, ratios, split, float(split_penalty_ms), progress)
    searched = time.perf_counter() - clock

    # Every cue takes the segment of the last speech cue at or before it (the first segment before any).
    segment_of = [0] * len(cues)
    position = 0
    run_index = 0
    for index in range(len(cues)):
        while position < len(indexes) and indexes[position] <= index:
            position += 1
        if position:
            while fit.runs[run_index][1] < position - 1:
                run_index += 1
        segment_of[index] = run_index
    moved: list[Cue] = []
    kept: list[int] = []  # index in ``moved`` of each input cue (-1: dropped)
    retimed = dropped = 0
    for index, cue in enumerate(cues):
        new = _move(cue, fit.ratio, fit.runs[segment_of[index]][2])
        if new.end_ms == 0 and cue.end_ms > 0:  # moved wholly before 0:00, as retime drops it
            dropped += 1
            kept.append(-1)
            continue
        retimed += new is not cue
        kept.append(len(moved))
        moved.append(new)

    segments: list[SyncSegment] = []
    for number, (first, last, offset) in enumerate(fit.runs):
        members = [i for i in range(len(cues)) if segment_of[i] == number]
        members_speech = range(first, last + 1)
        length = sum(problem.cues[i][1] - problem.cues[i][0] for i in members_speech)
        covered = problem.covered(fit.ratio, offset, members_speech)
        head = members[0]
        new_start = next((moved[kept[i]].start_ms for i in members if kept[i] >= 0), 0)
        segments.append(SyncSegment(
            first_cue=head, last_cue=members[-1], start_ms=cues[head].start_ms, new_start_ms=new_start,
            offset_ms=offset, ratio=fit.ratio, cues=len(members), coverage=covered / length if length else 0.0))
    lift = (fit.score - fit.baseline) / (1 - fit.baseline) if fit.baseline < 1 else 0.0
    confidence = _confidence(lift, fit.prominence, len(segments))
    main = max(segments, key=lambda s: s.cues)
    model = "piecewise" if len(segments) > 1 else ("offset" if fit.ratio == 1 else "offset+ratio")
    accepted = confidence >= min_confidence
    reason = "" if accepted else (
        f"confidence {confidence:.2f} is below {min_confidence:.2f}: the best model covers "
        f"{fit.score:.1%} of the cue time with {activity.source} activity against {fit.baseline:.1%} by chance "
        f"(prominence {fit.prominence:.1f}); the subtitle may not belong to this reference")
    result = SyncReport(
        model=model, offset_ms=main.offset_ms, ratio=fit.ratio, segments=tuple(segments), score=fit.score,
        baseline=fit.baseline, lift=lift, prominence=fit.prominence, confidence=confidence,
        min_confidence=min_confidence, accepted=accepted or force, reason=reason, reference=activity.source,
        speech_cues=len(indexes), other_cues=len(cues) - len(indexes), timings={"search_s": searched})
    if not accepted and not force:
        raise OperationError(f"sync refused: {reason} (use force to apply it anyway)", report=result)
    add_to(report, "cues retimed", retimed)
    add_to(report, "cues dropped", dropped)
    add_to(report, "sync splits", len(segments) - 1)
    return doc.with_cues(moved), result


def _ratios(values: Sequence[Fraction | str | float] | None) -> tuple[Fraction, ...]:
    if values is None:
        return DEFAULT_FPS_RATIOS
    out: list[Fraction] = []
    for value in values:
        out.append(parse_ratio(value))
    return tuple(out)


def parse_ratio(value: Fraction | str | float) -> Fraction:
    """A time-scale ratio: ``1.001``, ``25/23.976`` (rates as :func:`~subkit.ops.parse_rate` reads them).

    Raises:
        OperationError: not a positive ratio within 0.5-2.

    >>> parse_ratio("25/23.976"), parse_ratio("24/25")
    (Fraction(1001, 960), Fraction(24, 25))
    """
    from subkit.ops._retime import parse_rate

    try:
        if isinstance(value, str) and "/" in value:
            top, _, bottom = value.partition("/")
            ratio = parse_rate(top.strip()) / parse_rate(bottom.strip())
        else:
            ratio = Fraction(str(value)) if not isinstance(value, Fraction) else value
    except (ValueError, ZeroDivisionError, OperationError):
        raise OperationError(f"not a frame-rate ratio: {value!r}") from None
    if not Fraction(1, 2) <= ratio <= 2:
        raise OperationError(f"a frame-rate ratio must be within 0.5-2, got {value!r}")
    return ratio


# ------------------------------------------------------------------ the op


Reference = Any  # Document | SpeechActivity | str | os.PathLike[str] | bytes | array of samples


def sync(
    doc: Document,
    reference: Reference,
    *,
    max_offset_ms: int = DEFAULT_MAX_OFFSET_MS,
    fps_ratios: Sequence[Fraction | str | float] | None = None,
    split: bool = True,
    split_penalty_ms: int | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    force: bool = False,
    sample_rate: int = 16000,
    report: ChangeReport | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[Document, SyncReport]:
    """Retime ``doc`` to a reference: a media file's speech, audio samples, or another subtitle.

    Args:
        doc: the subtitle to fix.
        reference: a :class:`~subkit.model.Document` (a subtitle in any format and language; needs no
            extra), a media file path (its audio is extracted with ffmpeg), a WAV file path, 16-bit mono PCM
            ``bytes`` or an array of samples at ``sample_rate``, or a ready :class:`SpeechActivity`. Audio
            needs the ``sync`` extra (``pip install 'subkit[sync]'``).
        max_offset_ms, fps_ratios, split, split_penalty_ms, min_confidence, force, report, progress:
            as in :func:`sync_to_activity`.
        sample_rate: the rate of PCM ``bytes`` or an array (8000, 16000, 32000 or 48000).

    Returns:
        The retimed document and the :class:`SyncReport`.

    Raises:
        OperationError: bad arguments, nothing to align, or a result below ``min_confidence``.
        ConfigError: audio asked for without the ``sync`` extra or without ffmpeg.
        SubkitIOError: the media file cannot be read.
    """
    if isinstance(reference, Document):
        activity = activity_from_document(reference)
    elif isinstance(reference, SpeechActivity):
        activity = reference
    else:
        from subkit.media import speech_activity

        if isinstance(reference, (str, os.PathLike, bytes, bytearray, memoryview)) or hasattr(reference, "__len__"):
            activity = speech_activity(reference, sample_rate=sample_rate, progress=progress)
        else:
            raise OperationError(f"cannot sync to a {type(reference).__name__}: give a Document, a media path, "
                                 "PCM bytes, an array of samples or a SpeechActivity")
    return sync_to_activity(
        doc, activity, max_offset_ms=max_offset_ms, fps_ratios=fps_ratios, split=split,
        split_penalty_ms=split_penalty_ms, min_confidence=min_confidence, force=force, report=report,
        progress=progress)
