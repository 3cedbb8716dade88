"""``subkit split``: a bilingual subtitle file into its two languages."""

from __future__ import annotations

from typing import Any

import click

from subkit.cli._ops import RunSettings, io_options, output_spec, write_output
from subkit.cli._shared import (
    diagnostic_lines,
    diagnostic_record,
    echo_json,
    echo_warnings,
    format_loss,
    load_input,
    loss_record,
)
from subkit.errors import SubkitIOError
from subkit.formats import FormatSpec
from subkit.ops import SPLIT_MODES, ChangeReport, split

__all__ = ["split_command"]


@click.command("split", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("source", metavar="IN")
@click.argument("target_a", metavar="OUT_A")
@click.argument("target_b", metavar="OUT_B")
@click.option("-b", "--by", type=click.Choice(SPLIT_MODES), default="auto", show_default=True,
              help="Tell the languages apart by ASS style, by language tags, or by line position.")
@click.option("--lines", "primary_lines", type=click.IntRange(min=1), metavar="N",
              help="With --by lines: the first N lines of each cue go to OUT_A (default: the top half).")
@io_options
def split_command(
    source: str,
    target_a: str,
    target_b: str,
    by: str,
    primary_lines: int | None,
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
    """Split a bilingual subtitle file into its two languages.

    The reverse of subkit merge, and a way to take apart "double" subtitles
    from captioning services. With --by auto: by ASS style when the cues use
    two styles (Top first), else by language tags, else by line position
    (the top half of each stacked cue goes to OUT_A).

    \b
    Examples:
      subkit split both.ass en.srt fr.srt
      subkit split double.srt source.srt target.srt --by lines --lines 1
    """
    if "-" in (target_a, target_b) and (as_json or target_a == target_b):
        raise click.UsageError("only one output can be '-', and not with --json")
    if target_a == target_b:
        raise SubkitIOError(f"{target_a}: both outputs name the same file", path=target_a)
    settings = RunSettings(from_spec, to_spec, encoding, out_encoding, strict, quiet, as_json, read_pairs, write_pairs)
    loaded = load_input(source, format=from_spec, encoding=encoding, strict=strict, options=settings.read_options)
    if not quiet:
        echo_warnings(diagnostic_lines(loaded.doc.diagnostics, loaded.name))
    report = ChangeReport()
    first, second = split(loaded.doc, by=by, primary_lines=primary_lines, report=report)
    records: list[dict[str, Any]] = []
    for doc, target in ((first, target_a), (second, target_b)):
        written = write_output(doc, target, output_spec(target, to_spec, loaded.format), settings)
        if not quiet:
            name = "<stdout>" if target == "-" else target
            echo_warnings([format_loss(loss, written.format, name) for loss in written.losses])
        records.append({"output": target, "to": written.format, "cues": len(doc.cues),
                        "language": doc.language, "losses": [loss_record(loss) for loss in written.losses]})
    if not quiet:
        echo_warnings([f"split: cues {len(loaded.doc.cues)} -> {len(first.cues)} + {len(second.cues)}; "
                       f"{report.summary()}"])
    if as_json:
        echo_json({"input": source, "from": loaded.format, "cues_in": len(loaded.doc.cues), "outputs": records,
                   "changes": dict(report),
                   "diagnostics": [diagnostic_record(d) for d in loaded.doc.diagnostics]})
