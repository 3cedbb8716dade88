"""``subkit exclude``: remove time ranges from a subtitle file (drop, clip or cut)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from subkit.cli._ops import OpStep, op_command, op_step
from subkit.errors import OperationError
from subkit.ops import EXCLUDE_MODES, exclude, merge_ranges

__all__ = ["exclude_command", "exclude_step"]

F = TypeVar("F", bound=Callable[..., Any])

HELP = """Remove time ranges: drop, clip or cut out the cues in them.

\b
Ranges are START-END, each time as 1:02:03.500, 2:03, 12.5 (seconds) or 1500ms;
overlapping ranges are merged. Modes:
  drop  remove every cue that overlaps a range (the default)
  clip  trim cues and their timed words at the range edges; a cue spanning
        a range is split in two
  cut   remove the time itself, as when the video is cut: everything after
        a range moves earlier by its length

\b
Examples:
  subkit exclude in.srt out.srt --range 0:10-0:20
  subkit exclude in.vtt out.vtt --range 00:01:00.000-00:01:30.000 --range 95-100 --mode cut
"""


def _options(function: F) -> F:
    function = click.option("-m", "--mode", type=click.Choice(EXCLUDE_MODES), default="drop", show_default=True,
                            help="What to do with the cues in a range.")(function)
    return click.option("--range", "ranges", multiple=True, metavar="START-END",
                        help="A time range to exclude (repeatable).")(function)


def _build(ranges: tuple[str, ...], mode: str) -> OpStep:
    if not ranges:
        raise OperationError("exclude needs --range START-END (the short -r is --read-option, as in every command)")
    return OpStep("exclude", exclude, {"ranges": merge_ranges(ranges), "mode": mode})


exclude_command = op_command("exclude", _options, _build, HELP)
exclude_step = op_step("exclude", _options, _build, HELP)
