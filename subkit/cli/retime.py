"""``subkit retime``: shift, scale, convert frame rates, sync by two points, snap to frames."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from subkit.cli._ops import OpStep, op_command, op_step, parse_ms, parse_offset
from subkit.errors import OperationError
from subkit.model import Document
from subkit.ops import parse_rate, retime

__all__ = ["retime_command", "retime_step"]

F = TypeVar("F", bound=Callable[..., Any])

HELP = """Shift, scale, convert frame rates, sync or snap to frames.

\b
Times: 1500ms, 1.5s, 1m30s, 0:02, 1:02:03.5; a bare number is seconds;
12f or 00:01:02:12 count frames at --fps (the programme's frame rate).
Several retimings apply in this order: --convert-fps, --sync, --scale,
--shift, --snap.
Timed words move with their cues; cues pushed before 0:00 are dropped.

\b
Examples:
  subkit retime in.srt out.srt --shift 1.5s
  subkit retime in.srt out.srt --shift=-500ms
  subkit retime in.srt out.srt --shift 12f --fps 25
  subkit retime in.srt out.srt --convert-fps 23.976:25
  subkit retime in.srt out.srt --scale 1.001 --anchor 0:10
  subkit retime in.srt out.srt --sync 0:01:00=0:01:02.5 --sync 0:40:00=0:40:05
  subkit retime in.srt out.srt --snap 25
"""


def _options(function: F) -> F:
    decorators = [
        click.option("--shift", "shift_by", metavar="TIME", help="Move every cue by TIME (negative: earlier)."),
        click.option("--scale", "scale_by", metavar="FACTOR", help="Multiply times by FACTOR around --anchor."),
        click.option("--anchor", default="0", show_default=True, metavar="TIME",
                     help="The time --scale keeps in place."),
        click.option("--convert-fps", "convert_fps", metavar="FROM:TO",
                     help="Frame-rate conversion, e.g. 23.976:25 (23.976, 24, 25, 29.97, 30, or n/d)."),
        click.option("--fps", "fps", metavar="RATE",
                     help="The programme's frame rate, for times given in frames (12f, 00:00:01:12)."),
        click.option("--sync", "sync_points", multiple=True, metavar="OLD=NEW",
                     help="A sync point; give exactly two for a linear two-point sync."),
        click.option("--snap", "snap_to", metavar="FPS", help="Move every time to the nearest frame at FPS."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def _build(
    shift_by: str | None,
    scale_by: str | None,
    anchor: str,
    convert_fps: str | None,
    fps: str | None,
    sync_points: tuple[str, ...],
    snap_to: str | None,
) -> OpStep:
    kwargs: dict[str, Any] = {}
    rate = None
    if fps is not None:
        if ":" in fps:
            raise OperationError(f"--fps is the programme's frame rate; a conversion is --convert-fps {fps}")
        rate = parse_rate(fps)
    if shift_by is not None:
        kwargs["shift_by"] = parse_offset(shift_by, "--shift", fps=rate)
    if scale_by is not None:
        kwargs["scale_by"] = scale_by
        kwargs["anchor"] = parse_ms(anchor, "--anchor", fps=rate)
    if convert_fps is not None:
        source, separator, target = convert_fps.partition(":")
        if not separator:
            raise OperationError(f"--convert-fps needs FROM:TO, got {convert_fps!r}")
        kwargs["fps"] = (parse_rate(source), parse_rate(target))
    if sync_points:
        points = []
        for point in sync_points:
            old, separator, new = point.partition("=")
            if not separator:
                raise OperationError(f"--sync needs OLD=NEW, got {point!r}")
            points.append((parse_ms(old, "--sync", fps=rate), parse_ms(new, "--sync", fps=rate)))
        if len(points) != 2:
            raise OperationError(f"--sync needs exactly two points, got {len(points)}")
        kwargs["sync_points"] = tuple(points)
    if snap_to is not None:
        kwargs["snap_to"] = parse_rate(snap_to)
    if not kwargs:
        raise OperationError("retime needs --shift, --scale, --convert-fps, --sync or --snap")
    # Check every value now, so a bad one is a usage error before the input is read.
    retime(Document(), **kwargs)
    return OpStep("retime", retime, kwargs)


retime_command = op_command("retime", _options, _build, HELP)
retime_step = op_step("retime", _options, _build, HELP)
