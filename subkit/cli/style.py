"""``subkit style``: render captions in one of Revid's five styles (see :func:`subkit.ops.style`).

Settings come from a Revid-style JSON file (``--settings``) and from one flag
per setting; flags override the file. The output format decides the layout:
ASS gets Revid's events, WebVTT a ``STYLE`` block with inner timestamps,
SRT (and the rest) inline colours with one cue per word state.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from subkit.cli._ops import MANY_INPUTS, OpStep, op_step
from subkit.cli._run import (
    READ_WRITE,
    Job,
    Outcome,
    RunSettings,
    Transform,
    io_options,
    pass_settings,
    plan_jobs,
    run_jobs,
)
from subkit.cli._shared import FormatType, Loaded, echo_warnings, format_loss
from subkit.errors import OperationError
from subkit.formats import FormatSpec
from subkit.model import Document, LossReport
from subkit.ops import ALIGNMENTS, ESTIMATES, POSITIONS, STYLES, ChangeReport, StyleSettings, style

__all__ = ["SETTING_FLAGS", "build_settings", "style_command", "style_options", "style_step"]

F = TypeVar("F", bound=Callable[..., Any])

#: Setting name -> (flag declarations, click type or None for an on/off pair, help).
SETTING_FLAGS: dict[str, tuple[str, Any, str]] = {
    "style": ("--style", click.Choice(STYLES), "Caption style."),
    "line_color": ("--line-color", str, "Text colour: #RRGGBB, #rgb, #RRGGBBAA, a CSS name, rgb() (default #FFFFFF)."),
    "word_color": ("--word-color", str, "Colour of the sung/current/shown word, as --line-color (default #FFFF00)."),
    "outline_color": ("--outline-color", str, "Outline colour, as --line-color (default #000000)."),
    "all_caps": ("--all-caps/--no-all-caps", None, "Upper-case the text."),
    "max_words_per_line": ("--max-words-per-line", int, "Words per line, 0 for no limit."),
    "x": ("--x", int, "Anchor x in canvas pixels (needs --y)."),
    "y": ("--y", int, "Anchor y in canvas pixels (needs --x)."),
    "position": ("--position", click.Choice(POSITIONS), "Screen cell (default bottom_center)."),
    "alignment": ("--alignment", click.Choice(ALIGNMENTS), "Text alignment in the cell (default center)."),
    "font_family": ("--font-family", str, "Font name (default Arial)."),
    "font_size": ("--font-size", int, "Font size in canvas pixels (default 5% of the canvas height)."),
    "bold": ("--bold/--no-bold", None, "Bold text."),
    "italic": ("--italic/--no-italic", None, "Italic text."),
    "underline": ("--underline/--no-underline", None, "Underline all text."),
    "strikeout": ("--strikeout/--no-strikeout", None, "Strike all text out."),
    "outline_width": ("--outline-width", int, "Outline width in canvas pixels (default 2)."),
    "spacing": ("--spacing", int, "Extra letter spacing in canvas pixels (default 0)."),
    "angle": ("--angle", int, "Rotation in degrees (default 0)."),
    "shadow_offset": ("--shadow-offset", int, "Shadow offset in canvas pixels (default 0)."),
    "canvas_width": ("--canvas-width", int, "Canvas width (PlayResX); needs --canvas-height."),
    "canvas_height": ("--canvas-height", int, "Canvas height (PlayResY); needs --canvas-width."),
}


def style_options(function: F) -> F:
    """The options of the style op, shared by ``subkit style`` and the ``style`` step of ``subkit process``."""
    decorators = [
        click.option("-s", "--settings", "settings_file", metavar="FILE",
                     help="Revid settings JSON (the settings object or a whole request body)."),
    ]
    for name, (declaration, kind, text) in SETTING_FLAGS.items():
        if kind is None:
            decorators.append(click.option(declaration, name, default=None, help=text))
        else:
            metavar = "COLOR" if name.endswith("_color") else None
            decorators.append(click.option(declaration, name, type=kind, default=None, help=text,
                                           metavar=metavar))
    decorators += [
        click.option("--estimate", type=click.Choice(ESTIMATES), default="chars", show_default=True,
                     help="How missing word times are estimated."),
        click.option("--sweep", is_flag=True,
                     help="ASS karaoke: fill each word left to right (\\kf) instead of at once (\\k)."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def build_settings(options: dict[str, Any]) -> StyleSettings:
    """The settings of the file ``settings_file`` (if any) with the flags on top.

    Raises:
        OperationError: bad settings in the file or the flags.
        SubkitIOError: the file cannot be read.
    """
    path = options.get("settings_file")
    settings = StyleSettings.from_file(path) if path else StyleSettings()
    return settings.merged({name: options.get(name) for name in SETTING_FLAGS})


HELP = """Draw captions in a Revid style: karaoke, highlight, word by word.

The styles are classic, karaoke, highlight, underline and word_by_word (see
docs/ops.md). Settings come from a Revid JSON file (--settings) and
from one flag per setting; flags override the file. Word times of IN are
used when it has them and estimated otherwise. The output format picks the
layout: ASS gets Revid's events (one style, \\an/\\pos, karaoke tags,
layered highlights); WebVTT a STYLE block, inner timestamps and
::cue(:past)/::cue(:future); SRT and the rest inline colours and underlines
with one cue per word state. What the output cannot express is reported on
standard error.

\b
Examples:
  subkit style talk.srt talk.ass --style karaoke --word-color '#FFFF00'
  subkit style whisper.json out.ass --settings revid.json --font-size 48
  subkit style talk.ass talk.vtt --style highlight --position top_center
"""


def _settings_or_usage(options: dict[str, Any]) -> StyleSettings:
    try:
        return build_settings(options)
    except OperationError as exc:
        raise click.UsageError(str(exc)) from None


def _transform(settings: StyleSettings, estimate: str, sweep: bool, strict: bool) -> Transform:
    """Style the one input for its output's format (the layout depends on it)."""

    def transform(job: Job, loaded: Sequence[Loaded], specs: Sequence[FormatSpec]) -> Outcome:
        doc, spec = loaded[0].doc, specs[0]
        losses = LossReport(spec.name, strict=strict)
        report = ChangeReport()
        styled = style(doc, settings, target=spec.name, estimate=estimate, sweep=sweep,  # type: ignore[arg-type]
                       losses=losses, report=report)
        return Outcome([styled], losses=[list(losses)],
                       lines=[f"style: cues {len(doc.cues)} -> {len(styled.cues)}; {report.summary()}"],
                       record={"settings": settings.to_json(), "changes": dict(report)})

    return transform


@click.command("style", help=HELP + MANY_INPUTS, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, required=True, metavar="IN... [OUT]")
@io_options(*READ_WRITE)
@style_options
@pass_settings
def style_command(run: RunSettings, /, paths: tuple[str, ...], **options: Any) -> None:
    settings = _settings_or_usage(options)
    jobs = plan_jobs(paths, run, command="style")
    run_jobs(jobs, run, _transform(settings, options["estimate"], options["sweep"], run.strict))


def _styled(doc: Document, *, target: str | None, report: ChangeReport | None = None, **options: Any) -> Document:
    """Run the style op for a ``subkit process`` step, printing what the output format cannot express.

    Without ``--target`` the layout is that of the format the run writes (the
    run's settings in ``ctx.obj`` say which, per input), else ASS.
    """
    if target is None:
        context = click.get_current_context(silent=True)
        run = context.find_object(RunSettings) if context is not None else None
        target = (run.writing if run is not None else None) or "ass"
    losses = LossReport(target)
    result = style(doc, target=target, losses=losses, report=report, **options)
    echo_warnings([format_loss(loss, target, "style") for loss in losses])
    return result


def _step_options(function: F) -> F:
    function = click.option(
        "--target", type=FormatType(writable=True), default=None, metavar="FORMAT",
        help="The format the result is written in (decides the layout); default: the output's, else ass.",
    )(function)
    return style_options(function)


def _build_step(target: FormatSpec | None, estimate: str, sweep: bool, **options: Any) -> OpStep:
    settings = build_settings(options)
    if target is None:
        # --to of the run (subkit process, batch) fixes the format; otherwise each job's output says.
        run = click.get_current_context().find_object(RunSettings)
        target = run.to_spec if run is not None else None
    name = target.name if target is not None else None
    return OpStep("style", _styled, {"settings": settings, "target": name, "estimate": estimate, "sweep": sweep})


style_step = op_step("style", _step_options, _build_step, HELP)
