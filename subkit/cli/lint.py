"""``subkit lint``: check a subtitle file against readability rules (CPS, CPL, lines, durations, gaps)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from subkit.cli._ops import OpStep, op_step
from subkit.cli._shared import (
    EncodingType,
    FormatType,
    echo_json,
    echo_warnings,
    format_diagnostic,
    load_input,
)
from subkit.errors import OperationError
from subkit.formats import FormatSpec
from subkit.model import Document
from subkit.ops._report import ChangeReport
from subkit.ops.lint import PROFILES, LintProfile, lint, load_profile

__all__ = ["lint_command", "lint_step"]


@click.command("lint", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("source", metavar="FILE")
@click.option("-p", "--profile", default="default", show_default=True, metavar="NAME|FILE",
              help=f"A built-in profile ({', '.join(PROFILES)}) or a JSON profile file.")
@click.option("-f", "--from", "from_spec", type=FormatType(), metavar="FORMAT",
              help="Format of FILE; detected when omitted.")
@click.option("-e", "--encoding", type=EncodingType(), metavar="ENCODING", help="Text encoding of FILE.")
@click.option("-q", "--quiet", is_flag=True, help="Print no read diagnostics.")
@click.option("--json", "as_json", is_flag=True, help="Print the violations as JSON.")
@click.pass_context
def lint_command(
    ctx: click.Context,
    source: str,
    profile: str,
    from_spec: FormatSpec | None,
    encoding: str | None,
    quiet: bool,
    as_json: bool,
) -> None:
    """Check subtitle timing and reading speed against a profile.

    Lists each violation with its cue number and times: characters per
    second, characters per line, lines per cue, minimum and maximum duration,
    minimum gap, overlaps. Exits with status 1 when there is any, 0 when the
    file is clean. The default profile uses Netflix-like numbers (20 cps,
    42 characters a line, 2 lines, 0.833 s to 7 s, 83 ms between cues).

    \b
    Examples:
      subkit lint movie.srt
      subkit lint movie.vtt --profile relaxed --json
      subkit lint movie.srt --profile house-rules.json
    """
    try:
        rules = load_profile(profile)
    except OperationError as exc:
        raise click.BadParameter(str(exc), param_hint="--profile") from None
    loaded = load_input(source, format=from_spec, encoding=encoding)
    if not quiet:
        echo_warnings([format_diagnostic(diag, loaded.name) for diag in loaded.doc.diagnostics])
    violations = lint(loaded.doc, rules)
    if as_json:
        echo_json({
            "file": source,
            "format": loaded.format,
            "profile": rules.to_dict(),
            "cues": len(loaded.doc.cues),
            "count": len(violations),
            "violations": [v.to_dict() for v in violations],
        })
    else:
        for violation in violations:
            click.echo(f"{loaded.name}: {violation}")
        if not quiet:
            cues = len({v.cue for v in violations})
            summary = (f"{len(violations)} violation(s) in {cues} of {len(loaded.doc.cues)} cue(s)"
                       if violations else f"no violations in {len(loaded.doc.cues)} cue(s)")
            click.echo(f"{loaded.name}: {summary} (profile {rules.name})", err=True)
    if violations:
        ctx.exit(1)


def _check(doc: Document, *, profile: LintProfile, report: ChangeReport | None = None) -> Document:
    """Lint ``doc``, print the violations on stderr, count them, and pass the document on unchanged."""
    violations = lint(doc, profile)
    for violation in violations:
        click.echo(f"lint: {violation}", err=True)
    if report is not None:
        report.add("violations", len(violations))
    return doc


def _step_options(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("-p", "--profile", default="default", show_default=True, metavar="NAME|FILE",
                        help=f"A built-in profile ({', '.join(PROFILES)}) or a JSON profile file.")(function)


def _build_step(profile: str) -> OpStep:
    return OpStep("lint", _check, {"profile": load_profile(profile)})


#: ``subkit process ... lint [--profile P]``: report the violations at that point of the chain
#: (on standard error and as the step's ``violations`` count); the document passes unchanged.
lint_step = op_step(
    "lint",
    _step_options,
    _build_step,
    "Check the document at this point of the chain and print its violations (it passes on unchanged).",
)
