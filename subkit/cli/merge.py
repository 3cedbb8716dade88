"""``subkit merge``: two subtitle files into one bilingual file ("double" subtitles)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from subkit._lang import check_language_tag
from subkit.cli._run import (
    READ_WRITE,
    Job,
    Outcome,
    RunSettings,
    Transform,
    expand_inputs,
    io_options,
    partner_key,
    partners,
    pass_settings,
    plan_jobs,
    run_jobs,
)
from subkit.cli._shared import EncodingType, FormatType, Loaded
from subkit.formats import FormatSpec
from subkit.model import Color, RunStyle
from subkit.ops import LAYOUTS, ChangeReport, merge

__all__ = ["merge_command", "partner_key"]

def _pair(jobs: list[Job], with_b: str) -> list[Job]:
    """Give every job of A its B: the file ``with_b``, or the file of folder ``with_b`` named like it.

    Raises:
        click.UsageError: a folder of B with no file for an A, or with two.
    """
    if with_b == "-" or not Path(with_b).is_dir():
        return [Job((job.source, with_b), job.targets) for job in jobs]
    paired = partners([job.source for job in jobs], expand_inputs([with_b]), with_b)
    return [Job((job.source, paired[job.source]), job.targets) for job in jobs]


def _plan(paths: Sequence[str], with_b: str | None, settings: RunSettings) -> list[Job]:
    """``A B OUT`` as given, or (``--with B``) every path an input of A, named as the op commands do.

    Raises:
        click.UsageError: not ``A B OUT`` without ``--with``; stdin twice; an output collision.
    """
    if with_b is None:
        if len(paths) != 3 or settings.out_dir is not None or settings.template is not None:
            raise click.UsageError("give A B OUT, or A... --with B to merge B into each A (see --help)")
        if paths[0] == paths[1] == "-":
            raise click.UsageError("only one of A and B can be standard input")
        return [Job((paths[0], paths[1]), (paths[2],))]
    if with_b == "-" and "-" in paths:
        raise click.UsageError("only one of A and B can be standard input")
    also = expand_inputs([with_b]) if with_b != "-" else []
    return _pair(plan_jobs(paths, settings, command="merge", also_read=also), with_b)


def _look(color_b: str | None, italic_b: bool) -> RunStyle | None:
    """The style of B's lines.

    Raises:
        click.BadParameter: not a colour.
    """
    if color_b is None and not italic_b:
        return None
    try:
        color = Color.parse(color_b) if color_b is not None else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--color-b") from None
    return RunStyle(color=color, italic=True if italic_b else None)


def _transform(layout: str, language_a: str | None, language_b: str | None, look: RunStyle | None) -> Transform:
    def transform(job: Job, loaded: Sequence[Loaded], specs: Sequence[FormatSpec]) -> Outcome:
        first, second = loaded
        report = ChangeReport()
        doc = merge(first.doc, second.doc, layout=layout, primary_language=language_a,
                    secondary_language=language_b, secondary_style=look, report=report)
        line = f"merge: cues {len(first.doc.cues)} + {len(second.doc.cues)} -> {len(doc.cues)}; {report.summary()}"
        return Outcome([doc], lines=[line], record={"layout": layout, "changes": dict(report)})

    return transform


@click.command("merge", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, required=True, metavar="A B OUT | A... --with B")
@click.option("--with", "with_b", metavar="B",
              help="Merge B into every A: a file, or a folder whose files pair with A's by name.")
@click.option("-l", "--layout", type=click.Choice(LAYOUTS), default="stack", show_default=True,
              help="stack: B's lines under A's in one cue; ass-top-bottom: two ASS styles, A on top.")
@click.option("--lang-a", "language_a", metavar="TAG", help="Language of A (default: A's own, if known).")
@click.option("--lang-b", "language_b", metavar="TAG", help="Language of B (default: B's own, if known).")
@click.option("--from-b", "from_b", type=FormatType(), metavar="FORMAT",
              help="Format of B when it differs from --from (default: detected).")
@click.option("--encoding-b", "encoding_b", type=EncodingType(), metavar="ENCODING",
              help="Text encoding of B when it differs from --encoding (default: detected).")
@click.option("--color-b", "color_b", metavar="COLOUR",
              help="Colour of B's lines (a CSS name, #rgb, #rrggbb, #rrggbbaa, rgb()).")
@click.option("--italic-b", "italic_b", is_flag=True, help="Show B's lines in italics.")
@io_options(*READ_WRITE)
@pass_settings
def merge_command(
    settings: RunSettings,
    /,
    paths: tuple[str, ...],
    with_b: str | None,
    layout: str,
    language_a: str | None,
    language_b: str | None,
    from_b: FormatSpec | None,
    encoding_b: str | None,
    color_b: str | None,
    italic_b: bool,
) -> None:
    """Merge two subtitle files into one bilingual file.

    Cues of B are paired with the cue of A they overlap most. With the stack
    layout each pair becomes one cue, A's lines on top (each run tagged with
    its language); with ass-top-bottom every cue stays separate, A's in style
    Top and B's in style Bottom (write it as .ass). Undo it with subkit split.

    \b
    Many inputs: with --with B, every A (files, or folders of them) is merged
    with B and written beside it as A.merge.EXT, or into --out-dir DIR (or a
    last path that is a folder), named by --name. When B is a folder, each A
    takes the file of B with its name, language tags set aside: en/ep1.en.srt
    pairs with fr/ep1.fr.srt.

    \b
    Examples:
      subkit merge movie.en.srt movie.fr.srt movie.en-fr.srt --lang-a en --lang-b fr
      subkit merge en.vtt es.vtt both.ass --layout ass-top-bottom --color-b lightblue --italic-b
      subkit merge en.srt zh.srt both.srt --encoding-b gb18030 --lang-b zh-Hans
      subkit merge en/ --with fr/ -d both/ --lang-a en --lang-b fr

    --from, --encoding and -r apply to A, and to B unless --from-b or
    --encoding-b say otherwise.
    """
    for value, flag in ((language_a, "--lang-a"), (language_b, "--lang-b")):
        if value is not None:
            try:
                check_language_tag(value, name=flag)
            except ValueError as exc:
                raise click.BadParameter(str(exc).removeprefix(f"{flag}: "), param_hint=flag) from None
    look = _look(color_b, italic_b)
    jobs = _plan(paths, with_b, settings)
    reads: list[dict[str, Any]] = [{}, {"format": from_b, "encoding": encoding_b}]
    run_jobs(jobs, settings, _transform(layout, language_a, language_b, look), reads=reads)
