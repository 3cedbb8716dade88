"""Time ranges: parsing ``A-B`` strings, merging, subtracting, and the time map of a cut."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from subkit.errors import OperationError
from subkit.timing import format_clock, parse_clock

__all__ = ["TimeRange", "cut_time", "merge_ranges", "parse_range", "parse_time", "subtract"]


@dataclass(frozen=True, slots=True, order=True)
class TimeRange:
    """A half-open span of time ``[start_ms, end_ms)``, with ``end_ms > start_ms``.

    Raises:
        OperationError: when the end is not after the start, or the start is negative.
    """

    start_ms: int
    end_ms: int

    def __post_init__(self) -> None:
        if self.end_ms <= self.start_ms:
            raise OperationError(
                f"time range {format_clock(self.start_ms)}-{format_clock(self.end_ms)}: the end must be after the start"
            )
        if self.start_ms < 0:
            raise OperationError(f"time range starting at {format_clock(self.start_ms)}: times cannot be negative")

    @property
    def duration_ms(self) -> int:
        """``end_ms - start_ms``."""
        return self.end_ms - self.start_ms

    def __str__(self) -> str:
        return f"{format_clock(self.start_ms)}-{format_clock(self.end_ms)}"


def parse_time(text: str) -> int:
    """Milliseconds of ``hh:mm:ss.mmm``, ``m:ss``, ``12.5`` (seconds), ``12.5s``, ``1m30s`` or ``1500ms``.

    The syntax of :func:`subkit.timing.parse_duration`.

    Raises:
        OperationError: when ``text`` is not a time.

    >>> parse_time("1:02.5"), parse_time("00:00:10.250")
    (62500, 10250)
    """
    try:
        return parse_clock(text)
    except ValueError as exc:
        raise OperationError(str(exc)) from None


# The separator is the first "-" that follows a digit, "s" or "ms", so that times
# themselves never contain it (negative times make no sense in a range).
_RANGE = re.compile(r"^\s*([^-\s][^-]*?)\s*(?:-|–|\.\.)\s*([^-\s].*?)\s*$")


def parse_range(text: str | TimeRange | Sequence[int]) -> TimeRange:
    """A :class:`TimeRange` from ``"A-B"`` (each side as :func:`parse_time` reads it).

    Also accepts a ``TimeRange`` or a ``(start_ms, end_ms)`` pair. An en dash or
    ``..`` may separate the two times.

    Raises:
        OperationError: not a range, or the end is not after the start.

    >>> str(parse_range("0:10-0:20.5")), parse_range("12.5-20").end_ms
    ('0:00:10.000-0:00:20.500', 20000)
    """
    if isinstance(text, TimeRange):
        return text
    if not isinstance(text, str):
        try:
            start, end = text
        except (TypeError, ValueError):
            raise OperationError(f"not a time range: {text!r}") from None
        if type(start) is not int or type(end) is not int:
            raise OperationError(f"a time range pair needs int milliseconds, got {text!r}")
        return TimeRange(start, end)
    match = _RANGE.match(text)
    if not match:
        raise OperationError(f"not a time range: {text!r} (expected START-END, e.g. 0:10-0:20 or 12.5-20)")
    return TimeRange(parse_time(match.group(1)), parse_time(match.group(2)))


def merge_ranges(ranges: Iterable[str | TimeRange | Sequence[int]]) -> tuple[TimeRange, ...]:
    """Parse, sort and merge overlapping or touching ranges.

    Raises:
        OperationError: a range that does not parse or is empty.

    >>> [str(r) for r in merge_ranges(["0:05-0:10", "0:08-0:12", "0:20-0:21"])]
    ['0:00:05.000-0:00:12.000', '0:00:20.000-0:00:21.000']
    """
    parsed = sorted(parse_range(r) for r in ranges)
    merged: list[TimeRange] = []
    for item in parsed:
        if merged and item.start_ms <= merged[-1].end_ms:
            last = merged[-1]
            merged[-1] = TimeRange(last.start_ms, max(last.end_ms, item.end_ms))
        else:
            merged.append(item)
    return tuple(merged)


def subtract(start_ms: int, end_ms: int, ranges: Sequence[TimeRange]) -> list[tuple[int, int]]:
    """The parts of ``[start_ms, end_ms]`` outside ``ranges`` (merged, sorted), each of positive length.

    >>> subtract(0, 100, [TimeRange(20, 30), TimeRange(90, 200)])
    [(0, 20), (30, 90)]
    """
    parts: list[tuple[int, int]] = []
    cursor = start_ms
    for item in ranges:
        if item.end_ms <= cursor:
            continue
        if item.start_ms >= end_ms:
            break
        if item.start_ms > cursor:
            parts.append((cursor, item.start_ms))
        cursor = max(cursor, item.end_ms)
    if cursor < end_ms:
        parts.append((cursor, end_ms))
    return parts


def cut_time(
    ms: int, ranges: Sequence[TimeRange], starts: Sequence[int] | None = None, removed: Sequence[int] | None = None
) -> int:
    """Where ``ms`` lands once ``ranges`` (merged, sorted) are cut out and the rest closed up.

    A time inside a range lands on the cut point (the range's start, moved by
    the earlier cuts). ``starts`` is ``[r.start_ms for r in ranges]`` and
    ``removed`` the prefix sums of the range lengths (``removed[i]``: the
    length of ``ranges[:i]``), passed to save rebuilding them on every call:
    with both, a call costs a binary search instead of a pass over the ranges.

    >>> ranges = (TimeRange(10, 20), TimeRange(30, 40))
    >>> [cut_time(t, ranges) for t in (5, 15, 25, 35, 50)]
    [5, 10, 15, 20, 30]
    """
    keys = starts if starts is not None else [r.start_ms for r in ranges]
    index = bisect.bisect_right(keys, ms)
    if removed is not None:
        total = removed[max(index - 1, 0)]
    else:
        total = sum(r.duration_ms for r in ranges[: max(index - 1, 0)])
    if index:
        last = ranges[index - 1]
        total += min(ms, last.end_ms) - last.start_ms
    return ms - total
