"""``subkit clean``: fix timing, remove hearing-impaired text and rolling duplicates, tidy cues."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from subkit.cli._ops import OpStep, op_command, op_step, parse_ms
from subkit.errors import OperationError
from subkit.ops.clean import clean
from subkit.ops.retime import parse_rate

__all__ = ["clean_command", "clean_step"]

F = TypeVar("F", bound=Callable[..., Any])

HELP = """Fix timing, remove hearing-impaired text and rolling duplicates.

\b
On by default (each can be switched off): remove [brackets], (parentheses),
♪ music ♪ and SPEAKER: labels, drop empty cues, merge identical adjacent cues,
fix overlaps. Off by default: --rolling (YouTube rolling auto-captions),
--strip-styling, --min-gap, --min-duration, --max-duration. Each fix is
counted on standard error.

\b
Examples:
  subkit clean in.srt out.srt
  subkit clean auto.vtt out.vtt --rolling --strip-styling
  subkit clean in.srt out.srt --min-gap 2f --fps 25 --min-duration 1s --no-speakers
"""


def _options(function: F) -> F:
    decorators = [
        click.option("--brackets/--no-brackets", default=True, help="Remove [text in brackets]."),
        click.option("--parentheses/--no-parentheses", default=True, help="Remove (text in parentheses)."),
        click.option("--music/--no-music", default=True, help="Remove ♪ lyrics ♪ and music-note lines."),
        click.option("--speakers/--no-speakers", default=True, help="Remove SPEAKER: labels at line starts."),
        click.option("--rolling", is_flag=True, help="Collapse rolling auto-caption duplicates."),
        click.option("--strip-styling", is_flag=True, help="Drop inline styles and raw markup."),
        click.option("--empty/--keep-empty", "remove_empty", default=True, help="Remove cues with no text."),
        click.option("--merge-identical/--no-merge-identical", default=True,
                     help="Merge adjacent identical cues that touch or overlap."),
        click.option("--fix-overlaps/--no-fix-overlaps", default=True,
                     help="End a cue where the next one starts."),
        click.option("--min-gap", metavar="TIME|Nf", help="Minimum gap between cues (80, 0.08s, or 2f frames)."),
        click.option("--fps", metavar="FPS", help="Frame rate of --min-gap in frames (default: the file's, else 25)."),
        click.option("--min-duration", metavar="TIME", help="Lengthen shorter cues."),
        click.option("--max-duration", metavar="TIME", help="Shorten longer cues."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def _build(
    brackets: bool,
    parentheses: bool,
    music: bool,
    speakers: bool,
    rolling: bool,
    strip_styling: bool,
    remove_empty: bool,
    merge_identical: bool,
    fix_overlaps: bool,
    min_gap: str | None,
    fps: str | None,
    min_duration: str | None,
    max_duration: str | None,
) -> OpStep:
    kwargs: dict[str, Any] = {
        "brackets": brackets, "parentheses": parentheses, "music": music, "speakers": speakers,
        "rolling": rolling, "strip_styling": strip_styling, "remove_empty": remove_empty,
        "merge_identical": merge_identical, "fix_overlaps": fix_overlaps,
    }
    if min_gap is not None:
        text = min_gap.strip()
        if text.lower().endswith("f") and text[:-1].isdigit():
            kwargs["min_gap_frames"] = int(text[:-1])
        else:
            kwargs["min_gap_ms"] = parse_ms(text)
    if fps is not None:
        if "min_gap_frames" not in kwargs:
            raise OperationError("--fps only applies to --min-gap in frames (e.g. --min-gap 2f)")
        kwargs["fps"] = parse_rate(fps)
    if min_duration is not None:
        kwargs["min_duration_ms"] = parse_ms(min_duration)
    if max_duration is not None:
        kwargs["max_duration_ms"] = parse_ms(max_duration)
    if kwargs.get("min_duration_ms", 0) > kwargs.get("max_duration_ms", float("inf")):
        raise OperationError("--min-duration is above --max-duration")
    return OpStep("clean", clean, kwargs)


clean_command = op_command("clean", _options, _build, HELP)
clean_step = op_step("clean", _options, _build, HELP)
