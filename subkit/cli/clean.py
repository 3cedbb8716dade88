"""``subkit clean``: fix timing, remove hearing-impaired text and rolling duplicates, tidy cues."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from subkit.cli._ops import OpStep, op_command, op_step, parse_ms
from subkit.errors import OperationError
from subkit.ops import clean, fix_names, parse_rate
from subkit.qc import load_profile

__all__ = ["clean_command", "clean_step"]

F = TypeVar("F", bound=Callable[..., Any])

HELP = """Fix timing and common errors, remove hearing-impaired text.

\b
On by default (each can be switched off): drop empty cues, merge identical
adjacent cues, fix overlaps. Off until asked for: --hi (remove [brackets],
(parentheses), ♪ music ♪ and SPEAKER: labels; or each with its own switch),
--rules (the fix-common-errors set: unbalanced-italics, double-spaces,
space-after-punctuation, ellipsis, dialogue-dash, ocr-l-i, sentence-case,
broken-lines, or all), --rolling (YouTube rolling auto-captions),
--strip-styling, --min-gap, --min-duration, --max-duration, and --profile
(the timing limits and text style of a lint profile, measured as lint
measures them). Each fix is counted on standard error.

\b
Examples:
  subkit clean in.srt out.srt --hi
  subkit clean auto.vtt out.vtt --rolling --strip-styling
  subkit clean in.srt out.srt --min-gap 2f --fps 25 --min-duration 1s
  subkit clean in.srt out.srt --profile netflix-en --rules all
"""


def _options(function: F) -> F:
    decorators = [
        click.option("--hi", is_flag=True, help="Remove hearing-impaired text: all four kinds below."),
        click.option("--brackets/--no-brackets", default=None, help="Remove [text in brackets] (default: as --hi)."),
        click.option("--parentheses/--no-parentheses", default=None,
                     help="Remove (text in parentheses) (default: as --hi)."),
        click.option("--music/--no-music", default=None, help="Remove ♪ lyrics ♪ and music-note lines (as --hi)."),
        click.option("--speakers/--no-speakers", default=None,
                     help="Remove SPEAKER: labels at line starts (as --hi); two speakers get dialogue dashes."),
        click.option("--rules", metavar="NAMES", help="Fix-common-errors rules, comma-separated, or all."),
        click.option("--ellipsis", type=click.Choice(["…", "..."]), help="The ellipsis form of --rules ellipsis."),
        click.option("--dash", metavar="DASH", help="The dialogue dash of --rules dialogue-dash (default -)."),
        click.option("--dash-space/--no-dash-space", default=None, help="A space after the dialogue dash."),
        click.option("--profile", metavar="NAME|FILE",
                     help="Apply a lint profile's timing limits and text style (see subkit lint --list-profiles)."),
        click.option("--rolling", is_flag=True, help="Collapse rolling auto-caption duplicates."),
        click.option("--strip-styling", is_flag=True, help="Drop inline styles and raw markup."),
        click.option("--empty/--keep-empty", "remove_empty", default=True, help="Remove cues with no text."),
        click.option("--merge-identical/--no-merge-identical", default=True,
                     help="Merge adjacent identical cues that touch or overlap."),
        click.option("--fix-overlaps/--no-fix-overlaps", default=True,
                     help="End a cue where the next one starts."),
        click.option("--min-gap", metavar="TIME|Nf", help="Minimum gap between cues (80ms, 0.08s, or 2f frames)."),
        click.option("--fps", metavar="RATE",
                     help="The programme's frame rate, for frame limits "
                          "(default: the file's, the profile's, else 23.976)."),
        click.option("--min-duration", metavar="TIME", help="Lengthen shorter cues."),
        click.option("--max-duration", metavar="TIME", help="Shorten longer cues."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def _build(
    hi: bool,
    brackets: bool | None,
    parentheses: bool | None,
    music: bool | None,
    speakers: bool | None,
    rules: str | None,
    ellipsis: str | None,
    dash: str | None,
    dash_space: bool | None,
    profile: str | None,
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
        "hi": hi, "brackets": brackets, "parentheses": parentheses, "music": music, "speakers": speakers,
        "rules": rules, "profile": profile,
        "rolling": rolling, "strip_styling": strip_styling, "remove_empty": remove_empty,
        "merge_identical": merge_identical, "fix_overlaps": fix_overlaps,
    }
    rate = parse_rate(fps) if fps is not None else None
    if min_gap is not None:
        text = min_gap.strip()
        if text.lower().endswith("f") and text[:-1].strip().isdigit():
            kwargs["min_gap_frames"] = int(text[:-1])
        else:
            kwargs["min_gap_ms"] = parse_ms(text, "--min-gap", fps=rate)
    fix_names(rules)
    if profile is not None:
        load_profile(profile)
    options = {key: value for key, value in (("ellipsis", ellipsis), ("dash", dash), ("dash_space", dash_space))
               if value is not None}
    if options:
        kwargs["rule_options"] = options
    if rate is not None:
        kwargs["fps"] = rate
    if min_duration is not None:
        kwargs["min_duration_ms"] = parse_ms(min_duration, "--min-duration", fps=rate)
    if max_duration is not None:
        kwargs["max_duration_ms"] = parse_ms(max_duration, "--max-duration", fps=rate)
    if kwargs.get("min_duration_ms", 0) > kwargs.get("max_duration_ms", float("inf")):
        raise OperationError("--min-duration is above --max-duration")
    return OpStep("clean", clean, kwargs)


clean_command = op_command("clean", _options, _build, HELP)
clean_step = op_step("clean", _options, _build, HELP)
