"""``subkit lint``: check subtitle files against a delivery profile; fix what can be fixed; text, JSON, CSV and HTML."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from subkit.cli._ops import OpStep, RunSettings, expand_inputs, op_step, output_spec, write_output
from subkit.cli._shared import (
    EncodingType,
    FormatType,
    diagnostic_lines,
    echo_json,
    echo_warnings,
    format_loss,
    load_input,
)
from subkit.errors import OperationError
from subkit.formats import FormatSpec
from subkit.model import Document
from subkit.ops import ChangeReport

__all__ = ["lint_command", "lint_step"]

_EPILOG = """\b
Examples:
  subkit lint movie.srt
  subkit lint movie.srt --profile netflix-en --video movie.mp4 --html report.html
  subkit lint ep*.vtt --profile bbc --rules all,-numbers --set max_wpm=200 --json
  subkit lint movie.srt --profile netflix-fr --fix -o movie.fixed.srt
  subkit lint --list-profiles
"""


def _pairs(values: tuple[str, ...]) -> dict[str, str]:
    result = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected KEY=VALUE, got {value!r}", param_hint="--set")
        result[key.strip()] = text.strip()
    return result


def _profile(profile: str, rules: str | None, sets: tuple[str, ...]) -> Any:
    from subkit.qc import load_profile

    try:
        return load_profile(profile, rules=rules, overrides=_pairs(sets))
    except OperationError as exc:
        raise click.BadParameter(str(exc), param_hint="--profile/--rules/--set") from None


def _list_rules(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from subkit.qc import RULES

    for rule in RULES.values():
        params = ", ".join(f"{k}={v}" for k, v in rule.params.items()) or "no parameters"
        fix = "fix" if rule.fix is not None else "   "
        click.echo(f"{rule.id:<18} {rule.severity:<7} {fix}  {rule.description} [{params}]")
    ctx.exit(0)


def _list_profiles(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from subkit.qc import load_profile, profile_names

    for name in profile_names():
        profile = load_profile(name)
        click.echo(f"{name:<22} {profile.title} ({len(profile.rules)} rules)")
    ctx.exit(0)


def _shot_changes(video: str | None, shot_file: str | None, unit: str | None, threshold: float,
                  doc: Document, fps: str | None, profile: Any) -> list[int] | None:
    if video is not None:
        from subkit.media import detect_shot_changes

        return detect_shot_changes(video, threshold=threshold)
    if shot_file is not None:
        from subkit.qc import read_shot_changes, resolve_fps

        rate, _ = resolve_fps(doc, profile, fps)
        return read_shot_changes(shot_file, fps=rate, unit=unit)
    return None


@click.command("lint", epilog=_EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("sources", metavar="FILE|FOLDER...", nargs=-1)
@click.option("-p", "--profile", default="default", show_default=True, metavar="NAME|FILE",
              help="A built-in profile (see --list-profiles) or a JSON profile file.")
@click.option("--rules", metavar="SELECTION", help="Rules to run: all, a list of ids, +id to add, -id to drop.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
              help="Override a rule parameter, repeatable (max_cps=17, cps.max_cps=17, min_gap=3f, fps=25).")
@click.option("--fps", metavar="FPS", help="Frame rate of the programme (default: the file's, then the profile's).")
@click.option("--video", metavar="VIDEO", help="Find shot changes in VIDEO (ffmpeg scdet; cached beside it).")
@click.option("--shot-changes", "shot_file", metavar="FILE",
              help="A shot-change list: seconds, timecodes or frame numbers, one a line.")
@click.option("--shot-unit", type=click.Choice(["seconds", "frames"]),
              help="Read the numbers of --shot-changes as this (whole numbers alone mean frames).")
@click.option("--shot-threshold", type=float, default=10.0, show_default=True,
              help="scdet threshold for --video (0-100; lower finds more).")
@click.option("--fix", is_flag=True, help="Repair what the rules can repair; write it with -o or --out-dir.")
@click.option("-o", "--output", metavar="OUT", help="Where --fix writes the repaired file (one FILE).")
@click.option("--out-dir", type=click.Path(file_okay=False), help="Where --fix writes repaired files (same names).")
@click.option("-t", "--to", "to_spec", type=FormatType(writable=True), metavar="FORMAT",
              help="Format of the repaired file (default: from OUT, else the input's).")
@click.option("-f", "--from", "from_spec", type=FormatType(), metavar="FORMAT",
              help="Format of FILE; detected when omitted.")
@click.option("-e", "--encoding", type=EncodingType(), metavar="ENCODING", help="Text encoding of FILE.")
@click.option("-q", "--quiet", is_flag=True, help="Print no read diagnostics and no summary.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the findings as CSV.")
@click.option("--html", "html_path", metavar="FILE", help="Write a self-contained HTML report with a timeline.")
@click.option("--list-rules", is_flag=True, expose_value=False, is_eager=True, callback=_list_rules,
              help="List every rule (id, severity, fix, description, parameters) and exit.")
@click.option("--list-profiles", is_flag=True, expose_value=False, is_eager=True, callback=_list_profiles,
              help="List the built-in profiles and exit.")
@click.pass_context
def lint_command(
    ctx: click.Context,
    sources: tuple[str, ...],
    profile: str,
    rules: str | None,
    sets: tuple[str, ...],
    fps: str | None,
    video: str | None,
    shot_file: str | None,
    shot_unit: str | None,
    shot_threshold: float,
    fix: bool,
    output: str | None,
    out_dir: str | None,
    to_spec: FormatSpec | None,
    from_spec: FormatSpec | None,
    encoding: str | None,
    quiet: bool,
    as_json: bool,
    as_csv: bool,
    html_path: str | None,
) -> None:
    """Check subtitle files against a delivery profile.

    Netflix (per language, with -children and -sdh variants), BBC, FCC/CEA-608,
    EBU-TT-D and IMSC1 profiles, and subkit's default, children and relaxed
    ones; each finding names its cue, times and rule. Exits with status 1 when
    anything worse than a note is found (after --fix: anything left), 0 when
    the files pass.
    """
    from subkit.qc import check, report_csv, report_html, report_text, summary_line
    from subkit.qc import fix as repair

    if not sources:
        raise click.UsageError("give at least one FILE (or --list-rules / --list-profiles)")
    sources = tuple(expand_inputs(sources))  # a folder stands for the subtitle files in it
    if as_json and as_csv:
        raise click.UsageError("--json and --csv both print on stdout: choose one")
    if (output or out_dir) and not fix:
        raise click.UsageError("-o/--out-dir write the repaired file: add --fix")
    if fix and not (output or out_dir):
        raise click.UsageError("--fix needs -o OUT (one FILE) or --out-dir DIR for the repaired files")
    if output and len(sources) > 1:
        raise click.UsageError("-o takes one FILE; use --out-dir for several")
    if video and shot_file:
        raise click.UsageError("give shot changes by --video or by --shot-changes, not both")
    resolved = _profile(profile, rules, sets)
    if out_dir:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
    reports = []
    failed = False
    for source in sources:
        loaded = load_input(source, format=from_spec, encoding=encoding)
        if not quiet:
            echo_warnings(diagnostic_lines(loaded.doc.diagnostics, loaded.name))
        try:
            shots = _shot_changes(video, shot_file, shot_unit, shot_threshold, loaded.doc, fps, resolved)
            doc = loaded.doc
            if fix:
                doc, changes = repair(doc, resolved, fps=fps, shot_changes=shots)
                target = output or str(Path(out_dir or ".") / Path(loaded.name).name)
                if target == source:
                    raise click.UsageError(f"--fix would overwrite its input {source}; write elsewhere")
                spec = output_spec(target, to_spec, loaded.format)
                written = write_output(doc, target, spec, RunSettings())
                if not quiet:
                    summary = ", ".join(f"{rule} {count}" for rule, count in changes.items()) or "nothing to fix"
                    click.echo(f"{loaded.name}: fixed: {summary}; written to {target}", err=True)
                    echo_warnings([format_loss(loss, written.format, target) for loss in written.losses])
            report = check(doc, resolved, fps=fps, shot_changes=shots)
        except OperationError as exc:
            raise click.BadParameter(str(exc)) from None
        reports.append((loaded.name, report))
        failed = failed or report.failed
        if not as_json and not as_csv:
            for line in report_text(report, loaded.name):
                click.echo(line)
            if not quiet:
                click.echo(summary_line(report, loaded.name), err=True)
    if as_json:
        files = [{"file": name, **report.to_dict()} for name, report in reports]
        echo_json(files[0] if len(files) == 1 else {"files": files, "failed": failed})
    elif as_csv:
        click.echo(report_csv(reports), nl=False)
    if html_path:
        from subkit import _io

        _io.write_bytes(html_path, report_html(reports).encode("utf-8"))
    if failed:
        ctx.exit(1)


def _check(doc: Document, *, profile: Any, fix: bool, fps: str | None,
           report: ChangeReport | None = None) -> Document:
    """Lint ``doc`` (repairing it first with ``fix``), print the findings on stderr, count them, pass it on."""
    from subkit.qc import check
    from subkit.qc import fix as repair

    if fix:
        doc, changes = repair(doc, profile, fps=fps)
        for rule, count in changes.items():
            if report is not None:
                report.add(f"fixed {rule}", count)
    found = check(doc, profile, fps=fps).findings
    for finding in found:
        click.echo(f"lint: {finding}", err=True)
    if report is not None:
        report.add("violations", len(found))
    return doc


def _step_options(function: Callable[..., Any]) -> Callable[..., Any]:
    decorators = [
        click.option("-p", "--profile", default="default", show_default=True, metavar="NAME|FILE",
                     help="A built-in profile or a JSON profile file."),
        click.option("--rules", metavar="SELECTION", help="Rules to run: all, ids, +id, -id."),
        click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Override a rule parameter."),
        click.option("--fps", metavar="FPS", help="Frame rate of the programme."),
        click.option("--fix", is_flag=True, help="Repair what the rules can repair and pass that on."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def _build_step(profile: str, rules: str | None, sets: tuple[str, ...], fps: str | None, fix: bool) -> OpStep:
    return OpStep("lint", _check, {"profile": _profile(profile, rules, sets), "fix": fix, "fps": fps})


#: ``subkit process ... lint [--profile P] [--fix]``: report the findings at that point of the chain
#: (on standard error and as the step's ``violations`` count); the document passes on (repaired with --fix).
lint_step = op_step(
    "lint",
    _step_options,
    _build_step,
    "Check the document at this point of the chain and print its findings (--fix repairs it first).",
)
