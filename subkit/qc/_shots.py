"""Shot-change lists: read from a file, or (through :mod:`subkit.media`) detected in a video and cached."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

from subkit.errors import OperationError
from subkit.timing import frames_to_ms, parse_clock, parse_timecode, round_half_up

__all__ = ["format_shot_changes", "parse_shot_changes", "read_shot_changes"]

_TIMECODE = re.compile(r"^\d{1,2}:\d{2}:\d{2}[:;]\d{2}$")


def parse_shot_changes(text: str, *, fps: Fraction | None = None, unit: str | None = None,
                       source: str = "<shot changes>") -> list[int]:
    """Shot-change times in ms from a list: one time a line, ``#`` starting a comment.

    A line holds seconds (``12.345``, the form Subtitle Edit keeps in its
    ``.shotchanges`` files), a clock time (``0:01:02.500``), a timecode
    (``00:01:02:12``, at ``fps``) or a frame number. A list of whole numbers
    only is read as frame numbers (at ``fps``) unless ``unit`` says
    ``seconds``; ``unit="frames"`` reads every number as a frame.

    Raises:
        OperationError: a line that is none of these, or frames without a frame rate.

    >>> parse_shot_changes("1.5\\n# cut\\n0:00:03.250\\n")
    [1500, 3250]
    >>> parse_shot_changes("24\\n48\\n", fps=Fraction(24))
    [1000, 2000]
    """
    values = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip().rstrip(",;")
        if line:
            values.append((number, line))
    whole = all(line.isdigit() for _, line in values)
    as_frames = unit == "frames" or (whole and unit != "seconds" and values != [])
    times: list[int] = []
    for number, line in values:
        try:
            if _TIMECODE.match(line):
                if fps is None:
                    raise OperationError(f"{source}:{number}: a timecode needs a frame rate (--fps)")
                times.append(frames_to_ms(parse_timecode(line, fps), fps))
            elif as_frames:
                if fps is None:
                    raise OperationError(f"{source}:{number}: frame numbers need a frame rate (--fps)")
                times.append(round_half_up(Fraction(int(line) * 1000) / fps))
            else:
                times.append(parse_clock(line))
        except ValueError:
            raise OperationError(f"{source}:{number}: not a time, timecode or frame number: {line!r}") from None
    return sorted(set(times))


def read_shot_changes(path: str | Path, *, fps: Fraction | None = None, unit: str | None = None) -> list[int]:
    """:func:`parse_shot_changes` on a file.

    Raises:
        OperationError: the file cannot be read or holds a bad line.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise OperationError(f"{path}: cannot read the shot changes: {exc.strerror or exc}") from None
    return parse_shot_changes(text, fps=fps, unit=unit, source=str(path))


def format_shot_changes(times: list[int], header: str = "") -> str:
    """The list as seconds, one a line (readable by :func:`parse_shot_changes` and Subtitle Edit)."""
    lines = [f"# {line}" for line in header.splitlines()]
    lines += [f"{ms / 1000:.3f}" for ms in times]
    return "\n".join(lines) + "\n"
