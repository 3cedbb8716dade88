"""Retiming: shift, scale around an anchor, frame-rate conversion, two-point sync, snapping to frames.

Every retiming is a map from old times to new times, applied to each cue's
start and end and to its timed words, so words move with their cues. The
maps use exact :class:`~fractions.Fraction` arithmetic and round once, half
up, to whole milliseconds. Times that would fall before zero are clamped to
zero, and a cue that ends up with no time left on screen (it ended before 0)
is dropped and counted.

>>> import subkit
>>> doc = subkit.loads("1\\n00:00:10,000 --> 00:00:12,000\\nHi\\n")
>>> [(c.start_ms, c.end_ms) for c in shift(doc, 1500)]
[(11500, 13500)]
>>> [(c.start_ms, c.end_ms) for c in convert_fps(doc, "23.976", 25)]
[(9590, 11508)]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction

from subkit.errors import OperationError
from subkit.model import Cue, Document, Word
from subkit.ops._report import ChangeReport, add_to
from subkit.timing import Duration, parse_fps, round_half_up, to_ms

__all__ = ["FRAME_RATES", "convert_fps", "parse_rate", "retime", "scale", "shift", "snap", "sync"]

#: The frame rates named on the command line, as exact fractions.
FRAME_RATES: dict[str, Fraction] = {
    "23.976": Fraction(24000, 1001),
    "24": Fraction(24),
    "25": Fraction(25),
    "29.97": Fraction(30000, 1001),
    "30": Fraction(30),
    "50": Fraction(50),
    "59.94": Fraction(60000, 1001),
    "60": Fraction(60),
}

#: A time map: old milliseconds (exact) to new milliseconds (exact).
TimeMap = Callable[[int], Fraction]


def parse_rate(value: str | float | Fraction) -> Fraction:
    """A frame rate: ``23.976`` (24000/1001), ``29.97``, ``25``, ``30000/1001``...

    Raises:
        OperationError: not a positive rate.

    >>> parse_rate("23.976"), parse_rate(25)
    (Fraction(24000, 1001), Fraction(25, 1))
    """
    if isinstance(value, str) and value.strip() in FRAME_RATES:
        return FRAME_RATES[value.strip()]
    try:
        return parse_fps(value)
    except (ValueError, TypeError) as exc:
        raise OperationError(str(exc)) from None


def _offset(value: Duration, name: str = "offset") -> int:
    try:
        return to_ms(value, name=name)
    except ValueError as exc:
        raise OperationError(str(exc)) from None


def _apply(doc: Document, mapping: TimeMap, report: ChangeReport | None) -> Document:
    """Map every cue and word time; clamp at zero; drop cues left with no time."""
    cache: dict[int, int] = {}

    def new(ms: int) -> int:
        found = cache.get(ms)
        if found is None:
            found = cache[ms] = max(round_half_up(mapping(ms)), 0)
        return found

    cues: list[Cue] = []
    moved = dropped = 0
    for cue in doc.cues:
        start, end = new(cue.start_ms), new(cue.end_ms)
        if end < start:  # a decreasing map would need a reversal; never produced here
            start, end = end, start
        if end == start and cue.end_ms > cue.start_ms and end == 0:
            dropped += 1
            continue
        words = cue.words
        if words:
            words = tuple(
                Word(text=w.text, start_ms=min(max(new(w.start_ms), start), end),
                     end_ms=min(max(new(w.end_ms), start), end), confidence=w.confidence, kind=w.kind)
                for w in words
            )
        if (start, end) != (cue.start_ms, cue.end_ms) or words != cue.words:
            moved += 1
            cue = cue.replace(start_ms=start, end_ms=end, words=words)
        cues.append(cue)
    add_to(report, "cues retimed", moved)
    add_to(report, "cues dropped", dropped)
    return doc.with_cues(cues)


def _shift_map(offset: Duration) -> TimeMap:
    delta = _offset(offset)
    return lambda ms: Fraction(ms + delta)


def _scale_map(factor: float | str | Fraction, anchor: Duration) -> TimeMap:
    try:
        ratio = Fraction(str(factor)) if not isinstance(factor, Fraction) else factor
    except (ValueError, ZeroDivisionError):
        raise OperationError(f"not a scale factor: {factor!r}") from None
    if ratio <= 0:
        raise OperationError(f"the scale factor must be positive, got {factor!r}")
    pivot = _offset(anchor, "anchor")
    return lambda ms: pivot + (ms - pivot) * ratio


def _fps_map(source: float | str | Fraction, target: float | str | Fraction) -> TimeMap:
    ratio = parse_rate(source) / parse_rate(target)
    return lambda ms: ms * ratio


def _sync_map(points: Sequence[tuple[Duration, Duration]]) -> TimeMap:
    if len(points) != 2:
        raise OperationError(f"sync needs exactly two points OLD=NEW, got {len(points)}")
    (a, b), (c, d) = ((_offset(o, "sync_points"), _offset(n, "sync_points")) for o, n in points)
    if a == c:
        raise OperationError("the two sync points need different old times")
    slope = Fraction(d - b, c - a)
    if slope <= 0:
        raise OperationError("the sync points would reverse time (a later old time must map to a later new time)")
    return lambda ms: b + (ms - a) * slope


def _snap_map(fps: float | str | Fraction) -> TimeMap:
    rate = parse_rate(fps)
    return lambda ms: Fraction(round_half_up(Fraction(ms) * rate / 1000)) * 1000 / rate


def _compose(maps: Sequence[TimeMap]) -> TimeMap:
    """Apply ``maps`` in order, rounding to whole milliseconds between them (as separate runs would)."""

    def mapping(ms: int) -> Fraction:
        value = Fraction(ms)
        for index, step in enumerate(maps):
            value = step(ms if index == 0 else round_half_up(value))
        return value

    return mapping


def shift(doc: Document, offset: Duration, *, report: ChangeReport | None = None) -> Document:
    """Move every cue by ``offset``: ``int`` milliseconds, a ``timedelta``, or a duration (``"1.5s"``, ``"-0:02"``).

    A float is refused (``2.0`` could be seconds or milliseconds); a bare
    number in a string is seconds (:func:`subkit.timing.parse_duration`).

    Raises:
        OperationError: a bad offset.
    """
    return _apply(doc, _shift_map(offset), report)


def scale(
    doc: Document, factor: float | str | Fraction, *, anchor: Duration = 0, report: ChangeReport | None = None
) -> Document:
    """Stretch times by ``factor`` around ``anchor`` (a time that stays put): ``anchor + (t - anchor) * factor``.

    Raises:
        OperationError: a factor that is not positive, or a bad anchor.
    """
    return _apply(doc, _scale_map(factor, anchor), report)


def convert_fps(
    doc: Document,
    source: float | str | Fraction,
    target: float | str | Fraction,
    *,
    report: ChangeReport | None = None,
) -> Document:
    """Retime for a video whose frame rate changed from ``source`` to ``target`` (frames kept, speed changed).

    A frame shown at ``t`` at ``source`` fps is shown at ``t * source / target``
    at ``target`` fps (23.976 -> 25 is the PAL speed-up). The document's frame
    rate becomes ``target`` when it was set.

    Raises:
        OperationError: a rate that is not positive.
    """
    result = _apply(doc, _fps_map(source, target), report)
    if doc.frame_rate is not None:
        result = result.replace(frame_rate=parse_rate(target))
    return result


def sync(
    doc: Document,
    points: Sequence[tuple[Duration, Duration]],
    *,
    report: ChangeReport | None = None,
) -> Document:
    """Two-point linear sync: the map through ``(old1 -> new1)`` and ``(old2 -> new2)``.

    Use it when a subtitle drifts: pick an early and a late line, note when
    each is shown and when it should be.

    Raises:
        OperationError: not exactly two points, equal old times, or a map that reverses time.
    """
    return _apply(doc, _sync_map(points), report)


def snap(doc: Document, fps: float | str | Fraction, *, report: ChangeReport | None = None) -> Document:
    """Move every time to the nearest frame boundary at ``fps`` (half up).

    Raises:
        OperationError: a rate that is not positive.
    """
    return _apply(doc, _snap_map(fps), report)


def retime(
    doc: Document,
    *,
    shift_by: Duration | None = None,
    scale_by: float | str | Fraction | None = None,
    anchor: Duration = 0,
    fps: tuple[float | str | Fraction, float | str | Fraction] | None = None,
    sync_points: Sequence[tuple[Duration, Duration]] | None = None,
    snap_to: float | str | Fraction | None = None,
    report: ChangeReport | None = None,
) -> Document:
    """Apply several retimings at once, in a fixed order: fps conversion, sync, scale, shift, then snap.

    The result equals running them one after the other; ``report`` counts each
    cue once.

    Raises:
        OperationError: nothing asked for, or a bad value.
    """
    maps: list[TimeMap] = []
    if fps is not None:
        maps.append(_fps_map(fps[0], fps[1]))
    if sync_points:
        maps.append(_sync_map(sync_points))
    if scale_by is not None:
        maps.append(_scale_map(scale_by, anchor))
    if shift_by is not None:
        maps.append(_shift_map(shift_by))
    if snap_to is not None:
        maps.append(_snap_map(snap_to))
    if not maps:
        raise OperationError("retime needs one of shift_by, scale_by, fps, sync_points or snap_to")
    result = _apply(doc, _compose(maps), report)
    if fps is not None and doc.frame_rate is not None:
        result = result.replace(frame_rate=parse_rate(fps[1]))
    return result
