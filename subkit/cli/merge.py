"""``subkit merge``: two subtitle files into one bilingual file ("double" subtitles)."""

from __future__ import annotations

import click

from subkit._lang import check_language_tag
from subkit.cli._ops import RunSettings, io_options, output_spec, write_output
from subkit.cli._shared import (
    EncodingType,
    FormatType,
    diagnostic_lines,
    diagnostic_record,
    echo_json,
    echo_warnings,
    format_loss,
    load_input,
    loss_record,
)
from subkit.formats import FormatSpec
from subkit.model import Color, RunStyle
from subkit.ops import LAYOUTS, ChangeReport, merge

__all__ = ["merge_command"]


@click.command("merge", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("primary", metavar="A")
@click.argument("secondary", metavar="B")
@click.argument("target", metavar="OUT")
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
@io_options
def merge_command(
    primary: str,
    secondary: str,
    target: str,
    layout: str,
    language_a: str | None,
    language_b: str | None,
    from_b: FormatSpec | None,
    encoding_b: str | None,
    color_b: str | None,
    italic_b: bool,
    from_spec: FormatSpec | None,
    to_spec: FormatSpec | None,
    encoding: str | None,
    out_encoding: str,
    strict: bool,
    quiet: bool,
    as_json: bool,
    read_pairs: tuple[str, ...],
    write_pairs: tuple[str, ...],
) -> None:
    """Merge two subtitle files into one bilingual file.

    Cues of B are paired with the cue of A they overlap most. With the stack
    layout each pair becomes one cue, A's lines on top (each run tagged with
    its language); with ass-top-bottom every cue stays separate, A's in style
    Top and B's in style Bottom (write it as .ass). Undo it with subkit split.

    \b
    Examples:
      subkit merge movie.en.srt movie.fr.srt movie.en-fr.srt --lang-a en --lang-b fr
      subkit merge en.vtt es.vtt both.ass --layout ass-top-bottom --color-b lightblue --italic-b
      subkit merge en.srt zh.srt both.srt --encoding-b gb18030 --lang-b zh-Hans

    --from, --encoding and -r apply to A, and to B unless --from-b or
    --encoding-b say otherwise.
    """
    if primary == secondary == "-":
        raise click.UsageError("only one of A and B can be standard input")
    if target == "-" and as_json:
        raise click.UsageError("--json needs an output file: standard output carries the subtitles")
    for value, flag in ((language_a, "--lang-a"), (language_b, "--lang-b")):
        if value is not None:
            try:
                check_language_tag(value, name=flag)
            except ValueError as exc:
                raise click.BadParameter(str(exc).removeprefix(f"{flag}: "), param_hint=flag) from None
    look = None
    if color_b is not None or italic_b:
        try:
            color = Color.parse(color_b) if color_b is not None else None
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--color-b") from None
        look = RunStyle(color=color, italic=True if italic_b else None)
    settings = RunSettings(from_spec, to_spec, encoding, out_encoding, strict, quiet, as_json, read_pairs, write_pairs)
    first = load_input(primary, format=from_spec, encoding=encoding, strict=strict, options=settings.read_options)
    second = load_input(secondary, format=from_b or from_spec, encoding=encoding_b or encoding, strict=strict,
                        options=settings.read_options)
    if not quiet:
        for loaded in (first, second):
            echo_warnings(diagnostic_lines(loaded.doc.diagnostics, loaded.name))
    report = ChangeReport()
    doc = merge(first.doc, second.doc, layout=layout, primary_language=language_a,
                secondary_language=language_b, secondary_style=look, report=report)
    written = write_output(doc, target, output_spec(target, to_spec, first.format), settings)
    target_name = "<stdout>" if target == "-" else target
    if not quiet:
        echo_warnings([format_loss(loss, written.format, target_name) for loss in written.losses])
        echo_warnings([f"merge: cues {len(first.doc.cues)} + {len(second.doc.cues)} -> {len(doc.cues)}; "
                       f"{report.summary()}"])
    if as_json:
        echo_json({
            "inputs": [primary, secondary],
            "output": target,
            "to": written.format,
            "layout": layout,
            "cues_in": [len(first.doc.cues), len(second.doc.cues)],
            "cues_out": len(doc.cues),
            "changes": dict(report),
            "losses": [loss_record(loss) for loss in written.losses],
            "diagnostics": [diagnostic_record(d) for loaded in (first, second) for d in loaded.doc.diagnostics],
        })
