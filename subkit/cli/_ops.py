"""What the op commands share: the IN/OUT options, the step object, and the read-apply-write run.

Every op is exposed twice from its module ``subkit/cli/<op>.py``, built from
one option decorator and one builder so the two cannot drift:

* ``<op>_command``: ``subkit <op> IN OUT [options]`` (:func:`op_command`);
* ``<op>_step``: the same options without IN/OUT, whose callback returns an
  :class:`OpStep`, for ``subkit process`` (:func:`op_step`).

A builder validates the options (a bad value is a usage error, raised before
any file is read) and returns the :class:`OpStep` to run.
"""

from __future__ import annotations

import difflib
import string
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

import click

import subkit
from subkit import formats
from subkit.cli._options import format_options
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
from subkit.errors import LossyConversionWarning, OperationError, SubkitError
from subkit.formats import FormatSpec, WriteResult
from subkit.model import Document
from subkit.ops import ChangeReport
from subkit.timing import parse_duration

__all__ = [
    "MANY_INPUTS",
    "OpStep",
    "RunSettings",
    "StepResult",
    "apply_steps",
    "expand_inputs",
    "io_options",
    "op_command",
    "op_step",
    "output_spec",
    "output_stem",
    "parse_ms",
    "parse_offset",
    "plan_targets",
    "run_pipeline",
    "usage_errors",
    "write_output",
]

F = TypeVar("F", bound=Callable[..., Any])

#: An option decorator: takes the callback and returns it with its click parameters attached.
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]

_CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"]}


@dataclass(frozen=True, slots=True)
class OpStep:
    """One configured op, ready to run on a document.

    Calling it runs the op (``Document -> Document``); :meth:`run` also
    collects what the op changed.

    Attributes:
        name: the step's name, as in ``subkit process``.
        op: the library function (its first argument is the document and it takes ``report=``).
        kwargs: the validated arguments.
    """

    name: str
    op: Callable[..., Document]
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    def __call__(self, doc: Document) -> Document:
        return self.op(doc, **self.kwargs)

    def run(self, doc: Document, report: ChangeReport) -> Document:
        """Run the op, counting its changes in ``report``."""
        return self.op(doc, report=report, **self.kwargs)


@dataclass(frozen=True, slots=True)
class StepResult:
    """What one step did: its name, the cue counts before and after, and its change counts."""

    name: str
    cues_before: int
    cues_after: int
    changes: dict[str, int]

    def record(self) -> dict[str, Any]:
        """The JSON object of ``--json`` summaries."""
        return {"step": self.name, "cues_before": self.cues_before, "cues_after": self.cues_after,
                "changes": self.changes}

    def line(self) -> str:
        """``replace: cues 12 -> 11; replaced 3, cues dropped 1``."""
        summary = ", ".join(f"{key} {count}" for key, count in self.changes.items()) or "no changes"
        return f"{self.name}: cues {self.cues_before} -> {self.cues_after}; {summary}"


@dataclass(frozen=True, slots=True)
class RunSettings:
    """The input/output options of an op command."""

    from_spec: FormatSpec | None = None
    to_spec: FormatSpec | None = None
    encoding: str | None = None
    out_encoding: str = "utf-8"
    strict: bool = False
    quiet: bool = False
    as_json: bool = False
    read_pairs: tuple[str, ...] = ()
    write_pairs: tuple[str, ...] = ()

    def read_options(self, spec: FormatSpec) -> dict[str, Any]:
        """The ``--read-option KEY=VALUE`` pairs as options of ``spec``'s reader.

        Raises:
            ConfigError: an option that reader does not have, or a bad value.
        """
        return format_options(spec, "read", self.read_pairs)

    def write_options(self, spec: FormatSpec) -> dict[str, Any]:
        """The ``--write-option KEY=VALUE`` pairs as options of ``spec``'s writer.

        Raises:
            ConfigError: an option that writer does not have, or a bad value.
        """
        return format_options(spec, "write", self.write_pairs)


def io_options(function: F) -> F:
    """``--from``, ``--to``, ``--encoding``, ``--out-encoding``, ``--strict``, ``--quiet``, ``--json`` and the
    ``-r/--read-option``, ``-w/--write-option`` pairs (as in ``subkit convert``)."""
    decorators = [
        click.option("-f", "--from", "from_spec", type=FormatType(), metavar="FORMAT",
                     help="Format of IN; detected from the content (and extension) when omitted."),
        click.option("-t", "--to", "to_spec", type=FormatType(writable=True), metavar="FORMAT",
                     help="Format to write; from OUT's extension, or IN's format for '-'."),
        click.option("-e", "--encoding", type=EncodingType(), metavar="ENCODING",
                     help="Text encoding of IN; detected when omitted."),
        click.option("--out-encoding", type=EncodingType(), default="utf-8", show_default=True,
                     metavar="ENCODING", help="Text encoding of OUT."),
        click.option("--strict", is_flag=True,
                     help="Fail on any flaw in IN and on anything OUT's format cannot express."),
        click.option("-q", "--quiet", is_flag=True, help="Print no diagnostics, losses or change counts."),
        click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout (OUT must be a file)."),
        click.option("-r", "--read-option", "read_pairs", multiple=True, metavar="KEY=VALUE",
                     help="A reader option of IN's format, repeatable (e.g. fps=25); see subkit formats -v."),
        click.option("-w", "--write-option", "write_pairs", multiple=True, metavar="KEY=VALUE",
                     help="A writer option of OUT's format, repeatable (e.g. canvas=1920x1080)."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def usage_errors(build: Callable[..., OpStep]) -> Callable[..., OpStep]:
    """Wrap a builder so that an :class:`OperationError` becomes a click usage error (exit status 2)."""

    def wrapped(**params: Any) -> OpStep:
        try:
            return build(**params)
        except OperationError as exc:
            raise click.UsageError(str(exc)) from None

    wrapped.__name__ = getattr(build, "__name__", "build")
    wrapped.__doc__ = build.__doc__
    return wrapped


def op_step(
    name: str,
    options: Decorator,
    build: Callable[..., OpStep],
    help: str,
    *,
    cls: type[click.Command] = click.Command,
) -> click.Command:
    """The ``subkit process`` step: ``options`` without IN/OUT; the callback returns the :class:`OpStep`."""
    checked = usage_errors(build)

    def callback(**params: Any) -> OpStep:
        return checked(**params)

    return click.command(name, cls=cls, help=help, context_settings=_CONTEXT)(options(callback))


#: The ``--name`` template of the op commands: ``ep1.srt`` cleaned is ``ep1.clean.srt``.
OP_TEMPLATE = "{stem}.{command}{ext}"
_FIELDS = ("stem", "ext", "format", "command", "name")


def output_stem(source: str) -> str:
    """The name of ``source`` without its folder and without a known subtitle extension (taken off whole).

    >>> output_stem("shows/ep1.en.srt"), output_stem("x.subkit.json"), output_stem("notes")
    ('ep1.en', 'x', 'notes')
    """
    base = Path(source).name
    lowered = base.lower()
    known = [ext for spec in formats.FORMATS for ext in spec.extensions
             if lowered.endswith(ext) and len(ext) < len(base)]
    return base[: -len(max(known, key=len))] if known else Path(base).stem


def _subtitle_extensions() -> tuple[str, ...]:
    return tuple(sorted({ext for spec in formats.FORMATS if spec.can_read for ext in spec.extensions}))


def expand_inputs(paths: Sequence[str]) -> list[str]:
    """``paths`` with each folder replaced by the subtitle files directly in it (by extension, sorted).

    Raises:
        click.UsageError: a folder holds no subtitle file.
    """
    extensions = _subtitle_extensions()
    found: list[str] = []
    for path in paths:
        folder = Path(path)
        if path != "-" and folder.is_dir():
            files = sorted(str(p) for p in folder.iterdir() if p.is_file() and p.name.lower().endswith(extensions)
                           and not p.name.startswith("."))
            if not files:
                raise click.UsageError(f"{path} is a folder with no subtitle file in it")
            found.extend(files)
        else:
            found.append(path)
    return found


def _render_name(template: str, source: str, spec: FormatSpec, command: str) -> str:
    """``template`` filled in for ``source`` (fields: stem, ext, format, command, name).

    Raises:
        click.UsageError: an unknown field, or a template that names a folder.
    """
    values = {"stem": output_stem(source), "ext": spec.extensions[0] if spec.extensions else f".{spec.name}",
              "format": spec.name, "command": command, "name": Path(source).name}
    for _, field_name, _, _ in string.Formatter().parse(template):
        if field_name is not None and field_name not in values:
            close = difflib.get_close_matches(field_name, _FIELDS, n=1)
            hint = f" (did you mean {{{close[0]}}}?)" if close else ""
            raise click.UsageError(f"--name {template!r}: unknown field {{{field_name}}}{hint}; "
                                   f"fields: {', '.join('{' + f + '}' for f in _FIELDS)}")
    name = template.format(**values)
    if not name or "/" in name or name in (".", ".."):
        raise click.UsageError(f"--name {template!r} gives {name!r} for {source}: not a file name")
    return name


def plan_targets(
    paths: Sequence[str],
    *,
    out_dir: Path | None,
    template: str | None,
    to_spec: FormatSpec | None,
    command: str,
    default_template: str = OP_TEMPLATE,
) -> list[tuple[str, str]]:
    """Pair the paths of a command with the files it writes: ``[(IN, OUT), ...]``.

    * ``IN OUT`` (two paths, neither a folder, no ``--out-dir``/``--name``): as given;
    * otherwise every path is an input (a folder stands for the subtitle files in it); a last path that is an
      existing folder, when there are several, is where the outputs go (as ``--out-dir``);
    * each output is named by ``template`` (default ``default_template``): beside its input, or in ``out_dir``;
      ``-`` alone reads standard input and writes standard output.

    The output format (for ``{ext}``) is ``to_spec``, else the input's format guessed from its extension.

    Raises:
        click.UsageError: no input, ``-`` among several inputs, an output that would overwrite an input
            or another input's output, or a bad template.
    """
    if not paths:
        raise click.UsageError("give at least one input file")
    explicit = out_dir is not None or template is not None
    if not explicit and len(paths) == 2 and not Path(paths[0]).is_dir() and \
            (paths[1] == "-" or not Path(paths[1]).is_dir()):
        return [(paths[0], paths[1])]
    inputs = list(paths)
    if out_dir is None and len(inputs) >= 2 and inputs[-1] != "-" and Path(inputs[-1]).is_dir():
        out_dir = Path(inputs.pop())
    if inputs == ["-"] and out_dir is None:
        return [("-", "-")]
    if "-" in inputs:
        raise click.UsageError("standard input (-) is one input with one output: give IN OUT")
    pairs: list[tuple[str, str]] = []
    seen: dict[Path, str] = {}
    sources = {Path(p).resolve() for p in expand_inputs(inputs)}
    for source in expand_inputs(inputs):
        try:
            spec = to_spec or formats.for_path(source)
        except SubkitError:
            raise click.UsageError(f"{source}: cannot tell its format from the name: give --to FORMAT") from None
        name = _render_name(template or default_template, source, spec, command)
        target = str((out_dir if out_dir is not None else Path(source).parent) / name)
        key = Path(target).resolve()
        if key in sources:
            raise click.UsageError(f"{source} -> {target}: refusing to overwrite an input; give OUT or --out-dir")
        if key in seen:
            raise click.UsageError(f"{source} and {seen[key]} would both be written to {target}: give --name")
        seen[key] = source
        pairs.append((source, target))
    return pairs


def op_command(
    name: str,
    options: Decorator,
    build: Callable[..., OpStep],
    help: str,
    *,
    cls: type[click.Command] = click.Command,
) -> click.Command:
    """The standalone ``subkit <name> IN... [OUT] [options]`` command (many inputs: see :func:`plan_targets`)."""
    checked = usage_errors(build)

    def callback(
        paths: tuple[str, ...],
        out_dir: Path | None,
        template: str | None,
        from_spec: FormatSpec | None,
        to_spec: FormatSpec | None,
        encoding: str | None,
        out_encoding: str,
        strict: bool,
        quiet: bool,
        as_json: bool,
        read_pairs: tuple[str, ...],
        write_pairs: tuple[str, ...],
        **params: Any,
    ) -> None:
        step = checked(**params)
        jobs = plan_targets(paths, out_dir=out_dir, template=template, to_spec=to_spec, command=name)
        single = len(jobs) == 1
        settings = RunSettings(from_spec, to_spec, encoding, out_encoding, strict, quiet, as_json and single,
                               read_pairs, write_pairs)
        if single:
            run_pipeline(jobs[0][0], jobs[0][1], [step], settings)
            return
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
        summaries: list[dict[str, Any]] = []
        failed = 0
        for source, target in jobs:
            try:
                summary = run_pipeline(source, target, [step], settings)
            except SubkitError as exc:
                failed += 1
                click.echo(f"{source}: error: {exc}", err=True)
                summaries.append({"input": source, "output": target, "ok": False, "error": str(exc)})
                continue
            summaries.append({**summary, "ok": True})
            if not quiet:
                click.echo(f"{source} -> {target}", err=True)
        if as_json:
            echo_json(summaries)
        if failed:
            raise SystemExit(1)

    function = io_options(options(callback))
    function = click.option("--name", "template", metavar="TEMPLATE",
                            help=f"Output file names for several inputs (default {OP_TEMPLATE}; "
                                 "fields {stem} {ext} {format} {command} {name}).")(function)
    function = click.option("-d", "--out-dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
                            help="Write every output into DIR (created if missing), named by --name.")(function)
    function = click.argument("paths", nargs=-1, required=True, metavar="IN... [OUT]")(function)
    return click.command(name, cls=cls, help=help + MANY_INPUTS, context_settings=_CONTEXT)(function)


#: The help paragraph of the commands that take many inputs.
MANY_INPUTS = """

\b
Inputs: IN OUT reads one file and writes one. Give one IN, several, or a
folder (its subtitle files) to write each result beside its input as
IN.COMMAND.EXT (ep1.srt -> ep1.clean.srt), or into --out-dir DIR (a last
path that is a folder works the same); --name TEMPLATE changes the names.
"""


def apply_steps(doc: Document, steps: Sequence[Callable[[Document], Document]]) -> tuple[Document, list[StepResult]]:
    """Run ``steps`` in order, recording the cue counts and changes of each.

    Steps that are :class:`OpStep` objects report their changes; any other
    ``Document -> Document`` callable is run as it is (its changes are empty).
    """
    results: list[StepResult] = []
    for step in steps:
        before = len(doc.cues)
        report = ChangeReport()
        doc = step.run(doc, report) if isinstance(step, OpStep) else step(doc)
        name = step.name if isinstance(step, OpStep) else getattr(step, "__name__", type(step).__name__)
        results.append(StepResult(str(name), before, len(doc.cues), dict(report)))
    return doc, results


def output_spec(target: str, to_spec: FormatSpec | None, input_format: str) -> FormatSpec:
    """The format to write ``target`` in: ``--to``, else the input's for ``-``, else from the extension.

    Raises:
        UnknownFormatError: no format claims the extension.
        SubkitError: the format is read-only.
    """
    spec = to_spec or (formats.get(input_format) if target == "-" else formats.for_path(target))
    if not spec.can_write:
        raise SubkitError(f"subkit reads {spec.name} but cannot write it")
    return spec


def write_output(doc: Document, target: str, spec: FormatSpec, settings: RunSettings) -> WriteResult:
    """Write ``doc`` (atomically) with the command's encoding, strictness and ``--write-option`` pairs.

    The losses come back in the result for the command to print, not as a
    :class:`~subkit.errors.LossyConversionWarning`.

    Raises:
        SubkitError: writing failed, or (strict) something would be lost.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LossyConversionWarning)
        return subkit.dump(doc.replace(diagnostics=()), target, format=spec.name, encoding=settings.out_encoding,
                           strict=settings.strict, **settings.write_options(spec))


def run_pipeline(
    source: str,
    target: str,
    steps: Sequence[Callable[[Document], Document]],
    settings: RunSettings,
) -> dict[str, Any]:
    """Read ``source``, run ``steps``, write ``target``; report on stderr (and stdout with ``--json``).

    Returns:
        The JSON summary.

    Raises:
        click.UsageError: ``--json`` with ``-`` as OUT.
        SubkitError: reading, an op or writing failed (nothing is written then).
    """
    if target == "-" and settings.as_json:
        raise click.UsageError("--json needs an output file: standard output carries the subtitles")
    source_name = "<stdin>" if source == "-" else source
    target_name = "<stdout>" if target == "-" else target
    loaded = load_input(source, format=settings.from_spec, encoding=settings.encoding, strict=settings.strict,
                        options=settings.read_options)
    if not settings.quiet:
        echo_warnings(diagnostic_lines(loaded.doc.diagnostics, source_name))
    doc, results = apply_steps(loaded.doc, steps)
    spec = output_spec(target, settings.to_spec, loaded.format)
    written = write_output(doc, target, spec, settings)
    if not settings.quiet:
        echo_warnings([format_loss(loss, written.format, target_name) for loss in written.losses])
        echo_warnings([result.line() for result in results])
    summary = {
        "input": source,
        "output": target,
        "from": loaded.format,
        "to": written.format,
        "cues_in": len(loaded.doc.cues),
        "cues_out": len(doc.cues),
        "steps": [result.record() for result in results],
        "losses": [loss_record(loss) for loss in written.losses],
        "diagnostics": [diagnostic_record(diag) for diag in loaded.doc.diagnostics],
    }
    if settings.as_json:
        echo_json(summary)
    return summary


def parse_ms(text: str, name: str | None = None, *, fps: Fraction | None = None) -> int:
    """Milliseconds of a duration option that cannot be negative (:func:`subkit.timing.parse_duration`).

    A bare number is seconds, as everywhere: ``90``, ``1.5s``, ``1500ms``, ``1m30s``, ``0:02``.

    Raises:
        OperationError: not a duration (the message names the option), or negative.

    >>> parse_ms("2"), parse_ms("1.5s"), parse_ms("0:02"), parse_ms("250ms")
    (2000, 1500, 2000, 250)
    """
    value = parse_offset(text, name, fps=fps)
    if value < 0:
        raise OperationError(f"{name + ': ' if name else ''}must not be negative, got {text!r}")
    return value


def parse_offset(text: str, name: str | None = None, *, fps: Fraction | None = None) -> int:
    """A signed duration: ``+1.5s``, ``-500ms``, ``-0:02``, ``2`` (seconds); see :func:`parse_ms`.

    Raises:
        OperationError: not a duration (the message names the option).

    >>> parse_offset("-1.5s"), parse_offset("+250ms"), parse_offset("2")
    (-1500, 250, 2000)
    """
    try:
        return parse_duration(text, fps=fps, name=name)
    except ValueError as exc:
        raise OperationError(str(exc)) from None
