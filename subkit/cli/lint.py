"""``subkit lint``: check subtitle files against a delivery profile; fix what can be fixed; text, JSON, CSV and HTML."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from subkit import _plan
from subkit.cli._ops import OpStep, op_step
from subkit.cli._run import RunSettings, expand_inputs, io_options, pass_settings, read_input, write_output
from subkit.cli._shared import Loaded, echo_json, echo_warnings, format_loss
from subkit.errors import ConfigError, OperationError
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


@dataclass(frozen=True, slots=True)
class _Lint:
    """What every file of a ``subkit lint`` run is checked (and repaired) with."""

    profile: Any
    fps: str | None
    video: str | None
    shot_file: str | None
    shot_unit: str | None
    shot_threshold: float
    fix: bool
    output: str | None


def _usage(sources: tuple[str, ...], settings: RunSettings, lint: _Lint, as_csv: bool) -> list[str]:
    """The files to lint (folders expanded), after refusing contradictory options.

    Raises:
        click.UsageError: no FILE, or options that do not go together.
    """
    if not sources:
        raise click.UsageError("give at least one FILE (or --list-rules / --list-profiles)")
    files = expand_inputs(sources, recursive=settings.recursive)  # a folder stands for the subtitle files in it
    wants_output = bool(lint.output or settings.out_dir)
    refusals = [
        (settings.as_json and as_csv, "--json and --csv both print on stdout: choose one"),
        (wants_output and not lint.fix, "-o/--out-dir write the repaired file: add --fix"),
        (lint.fix and not wants_output, "--fix needs -o OUT (one FILE) or --out-dir DIR for the repaired files"),
        (bool(lint.output) and len(files) > 1, "-o takes one FILE; use --out-dir for several"),
        (bool(lint.video and lint.shot_file), "give shot changes by --video or by --shot-changes, not both"),
    ]
    for refused, message in refusals:
        if refused:
            raise click.UsageError(message)
    if lint.fix and settings.out_dir is not None:
        # Repaired files keep their names: two inputs of one name (two folders, -R) would be one file.
        try:
            _plan.check_collisions([(f, str(settings.out_dir / Path(f).name)) for f in files if f != "-"])
        except ConfigError as exc:
            raise click.UsageError(str(exc)) from None
    return files


def _lint_one(source: str, settings: RunSettings, lint: _Lint) -> tuple[str, Any]:
    """Read ``source``, repair it (``--fix``, written out), check it; return its name and report.

    Raises:
        click.UsageError: ``--fix`` would overwrite the input.
        click.BadParameter: a profile rule cannot run on this file.
    """
    from subkit.qc import check
    from subkit.qc import fix as repair

    loaded = read_input(source, RunSettings(from_spec=settings.from_spec, encoding=settings.encoding,
                                            quiet=settings.quiet))
    try:
        shots = _shot_changes(lint.video, lint.shot_file, lint.shot_unit, lint.shot_threshold, loaded.doc,
                              lint.fps, lint.profile)
        doc = loaded.doc
        if lint.fix:
            doc, changes = repair(doc, lint.profile, fps=lint.fps, shot_changes=shots)
            _write_fixed(source, loaded, doc, changes, settings, lint.output)
        return loaded.name, check(doc, lint.profile, fps=lint.fps, shot_changes=shots)
    except OperationError as exc:
        raise click.BadParameter(str(exc)) from None


def _write_fixed(source: str, loaded: Loaded, doc: Document, changes: dict[str, int], settings: RunSettings,
                 output: str | None) -> None:
    """Write the repaired document to ``-o`` or into ``--out-dir`` under the input's name."""
    target = output or str(Path(settings.out_dir or ".") / Path(loaded.name).name)
    if target == source:
        raise click.UsageError(f"--fix would overwrite its input {source}; write elsewhere")
    spec = settings.output_spec(target, loaded.format)
    written = write_output(doc, target, spec, RunSettings())
    if not settings.quiet:
        summary = ", ".join(f"{rule} {count}" for rule, count in changes.items()) or "nothing to fix"
        click.echo(f"{loaded.name}: fixed: {summary}; written to {target}", err=True)
        echo_warnings([format_loss(loss, written.format, target) for loss in written.losses])


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
@io_options("out_dir", "to", "from", "encoding", "recursive", "quiet", "json",
            out_dir={"help": "Where --fix writes repaired files (same names)."},
            to={"help": "Format of the repaired file (default: from OUT, else the input's)."},
            quiet={"help": "Print no read diagnostics and no summary."},
            json={"help": "Print the report as JSON."})
@click.option("--csv", "as_csv", is_flag=True, help="Print the findings as CSV.")
@click.option("--html", "html_path", metavar="FILE", help="Write a self-contained HTML report with a timeline.")
@click.option("--list-rules", is_flag=True, expose_value=False, is_eager=True, callback=_list_rules,
              help="List every rule (id, severity, fix, description, parameters) and exit.")
@click.option("--list-profiles", is_flag=True, expose_value=False, is_eager=True, callback=_list_profiles,
              help="List the built-in profiles and exit.")
@click.pass_context
@pass_settings
def lint_command(
    settings: RunSettings,
    ctx: click.Context,
    /,
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
    from subkit.qc import report_csv, report_html, report_text, summary_line

    lint = _Lint(None, fps, video, shot_file, shot_unit, shot_threshold, fix, output)
    files = _usage(sources, settings, lint, as_csv)
    lint = dataclasses.replace(lint, profile=_profile(profile, rules, sets))
    if settings.out_dir:
        settings.out_dir.mkdir(parents=True, exist_ok=True)
    reports = []
    for source in files:
        name, report = _lint_one(source, settings, lint)
        reports.append((name, report))
        if not settings.as_json and not as_csv:
            for line in report_text(report, name):
                click.echo(line)
            if not settings.quiet:
                click.echo(summary_line(report, name), err=True)
    failed = any(report.failed for _, report in reports)
    if settings.as_json:
        records = [{"file": name, **report.to_dict()} for name, report in reports]
        echo_json(records[0] if len(records) == 1 else {"files": records, "failed": failed})
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
