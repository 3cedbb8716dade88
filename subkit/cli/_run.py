"""What every command that reads and writes subtitles shares: settings, options, many inputs, one run loop.

* :class:`RunSettings` is the one settings object of a command run. The
  shared I/O options (:func:`io_options`) store their values in it, in
  ``ctx.obj``, instead of passing them as arguments, and :data:`pass_settings`
  hands it to the command (as click's own ``make_pass_decorator`` examples do).
  A ``subkit process`` step finds it too (its context's parent holds it), so a
  step learns about the run (the format being written) from the object rather
  than from the command line.
* :func:`plan_jobs` turns the paths of a command into :class:`Job` objects
  (``IN OUT``, one input written beside itself, many inputs, folders,
  ``--out-dir``, ``--name``), refusing output collisions before anything is read.
* :func:`run_job` is the one read → transform → write → report step and
  :func:`run_jobs` the loop over many jobs: a failing file is reported and the
  others go on; Ctrl-C says what was done.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click

import subkit
from subkit import _plan, formats
from subkit.cli._options import format_options, takes_fps
from subkit.cli._shared import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EncodingType,
    FormatType,
    Loaded,
    describe,
    diagnostic_lines,
    diagnostic_record,
    echo_json,
    echo_warnings,
    format_loss,
    load_input,
    loss_record,
    report_failure,
)
from subkit.errors import ConfigError, SubkitError, SubkitIOError
from subkit.formats import FormatSpec, WriteResult
from subkit.model import Document, Loss

__all__ = [
    "Job",
    "Outcome",
    "RunSettings",
    "check_in_out",
    "each_job",
    "expand_inputs",
    "io_options",
    "output_stem",
    "pass_settings",
    "plan_jobs",
    "read_input",
    "run_job",
    "run_jobs",
    "write_output",
]

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(slots=True)
class RunSettings:
    """The input/output settings of one command run (``ctx.obj``), filled in by :func:`io_options`.

    Attributes:
        from_spec, encoding: the input format and text encoding (``None``: detected).
        to_spec: the output format (``None``: from the output's extension, else the input's).
        out_encoding: the text encoding of text outputs.
        strict: fail on any flaw in an input and on anything an output cannot express.
        quiet: print no diagnostics, losses or summaries on stderr.
        as_json: print a JSON summary on stdout.
        read_pairs, write_pairs: the ``-r``/``-w`` ``KEY=VALUE`` reader and writer options.
        out_dir: ``--out-dir``: the folder outputs go to.
        template: ``--name``: the output name template.
        recursive: ``-R``: a folder stands for the subtitle files below it too, not only those directly in it.
        force: replace read-only outputs.
        language: ``-l``: the language writers record (and name files after).
        fps: ``--fps`` of convert: the frame rate of frame-based formats, read and write.
        bom: start text outputs with a byte order mark.
        writing: the format the current job writes, for ``subkit process`` steps that depend on it.
    """

    from_spec: FormatSpec | None = None
    to_spec: FormatSpec | None = None
    encoding: str | None = None
    out_encoding: str = "utf-8"
    strict: bool = False
    quiet: bool = False
    as_json: bool = False
    read_pairs: tuple[str, ...] = ()
    write_pairs: tuple[str, ...] = ()
    out_dir: Path | None = None
    template: str | None = None
    recursive: bool = False
    force: bool = False
    language: str | None = None
    fps: str | None = None
    bom: bool = False
    writing: str | None = None

    def read_options(self, spec: FormatSpec) -> dict[str, Any]:
        """The reader options for ``spec``: the ``-r KEY=VALUE`` pairs, and ``--fps`` where the reader takes it.

        Raises:
            ConfigError: an option that reader does not have, or a bad value.
        """
        options = format_options(spec, "read", self.read_pairs)
        if self.fps is not None and takes_fps(spec, "read"):
            options.setdefault("fps", self.fps)
        return options

    def write_options(self, spec: FormatSpec) -> dict[str, Any]:
        """The writer options for ``spec``: ``-w KEY=VALUE``, ``--fps``, ``--language`` and ``--bom``.

        Raises:
            ConfigError: an option that writer does not have, a bad value, or
                ``--language`` for a writer that records none.
        """
        options = format_options(spec, "write", self.write_pairs)
        if self.fps is not None and takes_fps(spec, "write"):
            options.setdefault("fps", self.fps)
        if self.bom:
            options["bom"] = True
        if self.language is not None:
            if "language" not in {f.name for f in dataclasses.fields(spec.load().WriteOptions)}:
                raise ConfigError(f"--language does not apply to {spec.name} (its writer records no language)")
            options.setdefault("language", self.language)
        return options

    def output_spec(self, target: str, input_format: str) -> FormatSpec:
        """The format to write ``target`` in: ``--to``, else the input's for ``-``, else from the extension.

        Raises:
            UnknownFormatError: no format claims the extension.
            SubkitError: the format is read-only.
        """
        spec = self.to_spec or (formats.get(input_format) if target == "-" else formats.for_path(target))
        if not spec.can_write:
            raise SubkitError(f"subkit reads {spec.name} but cannot write it")
        return spec


#: ``@pass_settings`` gives a command the :class:`RunSettings` of its run (made on first use).
pass_settings = click.make_pass_decorator(RunSettings, ensure=True)


def _store(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Option callback: keep the value in the run's :class:`RunSettings` rather than as an argument."""
    if param.name is not None and not ctx.resilient_parsing:
        setattr(ctx.ensure_object(RunSettings), param.name, value)
    return value


#: Every shared I/O option: key -> (declarations, click.option keywords). The destination names are
#: the attributes of :class:`RunSettings`.
_IO_OPTIONS: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "from": (("-f", "--from", "from_spec"), {
        "type": FormatType(), "metavar": "FORMAT",
        "help": "Format of the input(s); detected from the content (and extension) when omitted."}),
    "to": (("-t", "--to", "to_spec"), {
        "type": FormatType(writable=True), "metavar": "FORMAT",
        "help": "Format to write; from OUT's extension, else the input's format."}),
    "out_dir": (("-d", "--out-dir", "out_dir"), {
        "type": click.Path(file_okay=False, path_type=Path), "metavar": "DIR",
        "help": "Write every output into DIR (created if missing), named by --name."}),
    "name": (("--name", "template"), {
        "metavar": "TEMPLATE",
        "help": "Names of the outputs of several inputs or --out-dir: fields {name} {stem} {base} {lang} {suffix} "
                "{ext} {format} {command} {part} {relpath} {reldir} (docs/cli.md)."}),
    "recursive": (("-R", "--recursive", "recursive"), {
        "is_flag": True, "help": "A folder stands for the subtitle files in its subfolders too (names: {relpath})."}),
    "encoding": (("-e", "--encoding", "encoding"), {
        "type": EncodingType(), "metavar": "ENCODING",
        "help": "Text encoding of the input(s); detected when omitted."}),
    "out_encoding": (("--out-encoding", "out_encoding"), {
        "type": EncodingType(), "default": "utf-8", "show_default": True, "metavar": "ENCODING",
        "help": "Text encoding of the output(s)."}),
    "read": (("-r", "--read-option", "read_pairs"), {
        "multiple": True, "metavar": "KEY=VALUE",
        "help": "A reader option of the input format, repeatable (e.g. fps=25); subkit formats -v lists them."}),
    "write": (("-w", "--write-option", "write_pairs"), {
        "multiple": True, "metavar": "KEY=VALUE",
        "help": "A writer option of the output format, repeatable (e.g. canvas=1920x1080)."}),
    "strict": (("--strict", "strict"), {
        "is_flag": True, "help": "Fail on any flaw in the input and on anything the output cannot express."}),
    "force": (("--force", "force"), {"is_flag": True, "help": "Replace read-only output files (as cp -f does)."}),
    "quiet": (("-q", "--quiet", "quiet"), {"is_flag": True, "help": "Print no diagnostics, losses or summaries."}),
    "json": (("--json", "as_json"), {"is_flag": True, "help": "Print a JSON summary on stdout (OUT must be a file)."}),
    "bom": (("--bom", "bom"), {
        "is_flag": True,
        "help": "Start text output with a byte order mark (GStreamer reads long BOM-less UTF-8 SRT wrongly)."}),
    "language": (("-l", "--language", "language"), {
        "metavar": "LOCALE", "help": "Language of the output, for formats that record one (facebook_srt: en_US, "
                                     "which also goes into the file name)."}),
    "fps": (("--fps", "fps"), {
        "metavar": "RATE", "help": "Frame rate of frame-based formats (MicroDVD, SCC, EBU STL ...), read and write: "
                                   "25, 29.97, 30000/1001."}),
}

#: The options of a command that reads subtitles and writes subtitles, in help order.
READ_WRITE = ("from", "to", "out_dir", "name", "recursive", "encoding", "out_encoding", "read", "write", "strict",
              "force", "quiet", "json")


def io_options(*names: str, **changes: Mapping[str, Any]) -> Callable[[F], F]:
    """A decorator adding the shared I/O options ``names`` (keys of :data:`READ_WRITE`) to a command.

    Their values go into the run's :class:`RunSettings` (use :data:`pass_settings`),
    not into the callback's arguments. ``changes`` adjusts an option for one
    command: ``help=...``, ``default=...``, or ``decls=(...)`` for other flag names.
    A short flag the command's own options (declared below this decorator)
    already use stays theirs: the shared option keeps its long name only
    (``replace -R`` is ``--replace``; its ``--recursive`` has no short form).

    Raises:
        KeyError: an unknown option key.
    """
    chosen = []
    for name in names or READ_WRITE:
        decls, kwargs = _IO_OPTIONS[name]
        change = dict(changes.get(name, {}))
        flags = change.pop("decls", decls[:-1])
        chosen.append((tuple(flags), decls[-1], {**kwargs, **change}))

    def decorate(function: F) -> F:
        taken = {opt for param in getattr(function, "__click_params__", []) for opt in param.opts}
        for flags, dest, kwargs in reversed(chosen):
            kept = [flag for flag in flags if flag.startswith("--") or flag not in taken]
            function = click.option(*kept, dest, **kwargs, expose_value=False, callback=_store)(function)
        return function

    return decorate


# ---------------------------------------------------------------- many inputs


def output_stem(source: str) -> str:
    """The name of ``source`` without its folder and without a known subtitle extension (taken off whole).

    >>> output_stem("shows/ep1.en.srt"), output_stem("x.subkit.json"), output_stem("notes")
    ('ep1.en', 'x', 'notes')
    """
    return _plan.split_extension(Path(source).name)[0]


def partner_key(path: str) -> str:
    """The name under which a file finds its partner in another folder: no extension, no language tag.

    >>> partner_key("en/ep1.en.srt"), partner_key("fr/ep1.fr.vtt"), partner_key("ep1.srt")
    ('ep1', 'ep1', 'ep1')
    """
    return _plan.split_language(output_stem(path))[0]


def partners(sources: Sequence[str], candidates: Sequence[str], folder: str) -> dict[str, str]:
    """Each source's partner among ``candidates`` (the files of ``folder``): the one with its :func:`partner_key`.

    Raises:
        click.UsageError: two candidates with one key, or a source with no partner.
    """
    by_key: dict[str, str] = {}
    for path in candidates:
        key = partner_key(path)
        if key in by_key:
            raise click.UsageError(f"{by_key[key]} and {path} in {folder} both pair with {key}.*: "
                                   "give one file instead of the folder, or keep one of them")
        by_key[key] = path
    found: dict[str, str] = {}
    for source in sources:
        partner = by_key.get(partner_key(source))
        if partner is None:
            raise click.UsageError(f"{source}: no file named {partner_key(source)}.* in {folder}")
        found[source] = partner
    return found


def expand_inputs(paths: Sequence[str], *, recursive: bool = False) -> list[str]:
    """``paths`` with each folder replaced by its subtitle files (by extension, hidden ones passed over, sorted).

    ``recursive`` walks the folders inside each folder too. Paths that are
    not folders stay as given (a missing file fails when it is read).

    Raises:
        click.UsageError: a folder holds no subtitle file.
    """
    found: list[str] = []
    try:
        for path in paths:
            found.extend(["-"] if path == "-" else
                         (file for file, _ in _plan.expand([path], recursive=recursive, missing_ok=True)))
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    return found


@dataclass(frozen=True, slots=True)
class Job:
    """One run of a command: the files it reads and the files it writes (``-`` for the standard streams)."""

    sources: tuple[str, ...]
    targets: tuple[str, ...]
    #: Create the targets' folders when missing (outputs named by a template may go into subfolders).
    make_folders: bool = False

    @property
    def source(self) -> str:
        """The (first) input."""
        return self.sources[0]


def _explicit(paths: Sequence[str], outputs: int) -> bool:
    """Whether ``paths`` are one input and its ``outputs`` outputs, as given (``IN OUT``, ``IN OUT_A OUT_B``)."""
    if len(paths) != 1 + outputs or (paths[0] != "-" and Path(paths[0]).is_dir()):
        return False
    return all(path == "-" or not Path(path).is_dir() for path in paths[1:])


def _has_force() -> bool:
    """Whether the running command has the shared ``--force`` option (or one that sets the same setting)."""
    ctx = click.get_current_context(silent=True)
    return ctx is not None and any(param.name == "force" for param in ctx.command.params)


def check_in_out(paths: Sequence[str], settings: RunSettings, command: str, template: str,
                 also_read: Iterable[str] = ()) -> None:
    """Refuse ``IN OUT`` when OUT is an input, or an existing file of IN's kind that may be a second input.

    With two paths a command reads the first and writes the second, so
    ``subkit clean a.srt b.srt`` or ``subkit merge a.srt b.srt --with fr.srt``
    would replace ``b.srt``. An OUT that already exists and has IN's subtitle
    extension is refused unless ``--force`` is given; an OUT of another
    extension (``a.srt a.vtt``, ``--to``) is replaced as always.

    Raises:
        click.UsageError: naming OUT and the ways out.
    """
    source, targets = paths[0], paths[1:]
    if source == "-":
        return
    reads = {Path(p).resolve(): p for p in [source, *also_read] if p != "-"}
    suffix = _plan.split_extension(Path(source).name)[1].lower()
    for target in targets:
        if target == "-":
            continue
        if Path(target).resolve() in reads:
            raise click.UsageError(f"refusing to overwrite an input: {source} would be written over the input "
                                   f"{reads[Path(target).resolve()]}")
        if settings.force or not Path(target).is_file() or not suffix \
                or _plan.split_extension(Path(target).name)[1].lower() != suffix:
            continue
        shape = "IN OUT" if len(targets) == 1 else "IN " + " ".join(f"OUT_{chr(65 + i)}" for i in range(len(targets)))
        replace = f"give --force to replace {target}" if _has_force() else f"remove {target} first to replace it"
        raise click.UsageError(
            f"{target} already exists and is a {suffix} file like {source}: with {len(paths)} paths, {command} reads "
            f"the first and writes the others ({shape}), so {target} would be replaced. To take every path as an "
            f"input, give --out-dir DIR or --name '{template}'; {replace}")


def plan_jobs(
    paths: Sequence[str],
    settings: RunSettings,
    *,
    command: str,
    template: str = "{stem}.{command}{ext}",
    parts: Sequence[str] = ("",),
    also_read: Iterable[str] = (),
) -> list[Job]:
    """Pair the paths of a command with the files it writes (through the planning :func:`subkit.batch.plan` uses).

    * ``IN OUT`` (``IN OUT_A OUT_B`` for two ``parts``; no folder, no ``--out-dir``/``--name``): as given, but an
      OUT that exists with IN's subtitle extension is refused without ``--force`` (it may be a second input);
    * otherwise every path is an input (a folder stands for the subtitle files in it, and below it with
      ``--recursive``); a last path that is an existing folder, when there are several, is where the outputs go
      (as ``--out-dir``);
    * each output is named by ``--name`` (default ``template``, once per part): beside its input, or in
      ``--out-dir``; ``-`` alone reads standard input and writes standard output.

    The output format (for ``{ext}``) is ``--to``, else the input's format guessed from its extension.
    ``also_read`` are other files the jobs read (they must not be written either).

    Raises:
        click.UsageError: no input, ``-`` among several inputs, an output that would overwrite an input
            or another output (naming both inputs), an existing OUT that looks like an input, or a bad template.
    """
    if not paths:
        raise click.UsageError("give at least one input file")
    also_read = list(also_read)
    out_dir = settings.out_dir
    name_template = settings.template or template
    if out_dir is None and settings.template is None and _explicit(paths, len(parts)):
        check_in_out(paths, settings, command, name_template, also_read)
        return [Job((paths[0],), tuple(paths[1:]))]
    inputs = list(paths)
    if out_dir is None and len(inputs) >= 2 and inputs[-1] != "-" and Path(inputs[-1]).is_dir():
        out_dir = Path(inputs.pop())
    if inputs == ["-"] and out_dir is None and len(parts) == 1:
        return [Job(("-",), ("-",))]
    if "-" in inputs:
        raise click.UsageError("standard input (-) is one input with its own output: give IN OUT")

    def output_format(source: str) -> tuple[str, str]:
        try:
            spec = settings.to_spec or formats.for_path(source)
        except SubkitError:
            raise ConfigError(f"{source}: cannot tell its format from the name: give --to FORMAT") from None
        return (spec.extensions[0] if spec.extensions else f".{spec.name}"), spec.name

    try:
        _plan.check_template(name_template, parts=len(parts))
        found = _plan.expand(inputs, recursive=settings.recursive, skip=[out_dir] if out_dir is not None else (),
                             missing_ok=True)
        planned = _plan.plan_outputs(found, template=name_template, out_dir=out_dir, output_format=output_format,
                                     command=command, parts=parts, also_read=also_read)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    settings.out_dir = out_dir
    return [Job((source,), targets, make_folders=True) for source, targets in planned]


# ---------------------------------------------------------------- one job


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a command made of its inputs, for :func:`run_job` to write and report.

    Attributes:
        docs: one document per output of the job.
        lines: summary lines for stderr (``clean: cues 12 -> 11; ...``), printed after the losses.
        losses: what the command itself could not carry into each output (beside the writer's own).
        record: more fields of the JSON summary.
        outputs: more fields of each output's JSON record (commands with several outputs).
        targets: the outputs renamed (formats that name their files after a language), or ``None``.
    """

    docs: Sequence[Document]
    lines: Sequence[str] = ()
    losses: Sequence[Sequence[Loss]] = ()
    record: Mapping[str, Any] = field(default_factory=dict)
    outputs: Sequence[Mapping[str, Any]] = ()
    targets: Sequence[str] | None = None


#: Turns the loaded inputs of a job (and its output formats) into an :class:`Outcome`.
Transform = Callable[[Job, Sequence[Loaded], Sequence[FormatSpec]], Outcome]


def _shown(path: str, stream: str) -> str:
    return stream if path == "-" else path


def read_input(source: str, settings: RunSettings, *, format: FormatSpec | None = None,
               encoding: str | None = None) -> Loaded:
    """Read ``source`` as the settings say (``format``/``encoding`` override them) and print its diagnostics.

    Raises:
        SubkitError: the file cannot be read or parsed (or, strict, has a flaw).
    """
    loaded = load_input(source, format=format or settings.from_spec, encoding=encoding or settings.encoding,
                        strict=settings.strict, options=settings.read_options, language=settings.language)
    if not settings.quiet:
        echo_warnings(diagnostic_lines(loaded.doc.diagnostics, loaded.name))
    return loaded


def write_output(doc: Document, target: str, spec: FormatSpec, settings: RunSettings) -> WriteResult:
    """Write ``doc`` (atomically) with the run's encoding, strictness, ``--force`` and writer options.

    The losses come back in the result for the command to print, not as a
    :class:`~subkit.errors.LossyConversionWarning`.

    Raises:
        SubkitError: writing failed, or (strict) something would be lost.
    """
    # As a Python warning the loss report would also show up as a traceback-like line (or, under -W error,
    # as an exception); the command prints it itself.
    return subkit.dump(doc.replace(diagnostics=()), target, format=spec.name, encoding=settings.out_encoding,
                       strict=settings.strict, force=settings.force, warn=False, **settings.write_options(spec))


def run_job(
    job: Job,
    settings: RunSettings,
    transform: Transform,
    *,
    reads: Sequence[Mapping[str, Any]] = (),
    written: set[Path] | None = None,
) -> dict[str, Any]:
    """Read the job's inputs, transform them, write its outputs; report on stderr; return the JSON record.

    ``reads`` holds per-input overrides of :func:`read_input` (``format``, ``encoding``). ``written`` collects
    the outputs of earlier jobs, none of which is overwritten (nor an input of the job).

    Raises:
        click.UsageError: ``--json`` with ``-`` as an output.
        SubkitError: reading, the transform or writing failed; nothing of the failing output is written.
    """
    if settings.as_json and "-" in job.targets:
        raise click.UsageError("--json needs an output file: standard output carries the subtitles")
    loaded = [read_input(source, settings, **(reads[i] if i < len(reads) else {}))
              for i, source in enumerate(job.sources)]
    specs = [settings.output_spec(target, loaded[0].format) for target in job.targets]
    settings.writing = specs[0].name if specs else None
    outcome = transform(job, loaded, specs)
    targets = list(outcome.targets or job.targets)
    results = []
    for doc, target, spec in zip(outcome.docs, targets, specs, strict=True):
        _refuse_overwrite(job, target, written)
        if job.make_folders and target != "-":
            _make_folder(Path(target).parent)
        results.append(write_output(doc, target, spec, settings))
        if written is not None and target != "-":
            written.add(Path(target).resolve())
    losses = [[*(outcome.losses[i] if i < len(outcome.losses) else ()), *result.losses]
              for i, result in enumerate(results)]
    if not settings.quiet:
        for target, result, lost in zip(targets, results, losses, strict=True):
            echo_warnings([format_loss(loss, result.format, _shown(target, "<stdout>")) for loss in lost])
        echo_warnings(list(outcome.lines))
    return _record(job.sources, loaded, targets, outcome, results, losses)


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SubkitIOError(f"{folder}: cannot create the folder: {exc.strerror or exc}", path=str(folder),
                            errno=exc.errno) from None


def _refuse_overwrite(job: Job, target: str, written: set[Path] | None) -> None:
    if written is None or target == "-":
        return
    key = Path(target).resolve()
    what = "an input file" if key in {Path(s).resolve() for s in job.sources if s != "-"} else \
        "the output of another input" if key in written else None
    if what is not None:
        raise SubkitIOError(f"{_shown(job.source, '<stdin>')} -> {target}: refusing to overwrite {what}",
                            path=target)


def _record(sources: Sequence[str], loaded: Sequence[Loaded], targets: Sequence[str], outcome: Outcome,
            results: Sequence[WriteResult], losses: Sequence[Sequence[Loss]]) -> dict[str, Any]:
    """The JSON summary of a job: one input and output as plain fields, several as lists."""
    record: dict[str, Any] = {}
    if len(sources) == 1:
        record.update({"input": sources[0], "from": loaded[0].format, "encoding": loaded[0].encoding,
                       "cues_in": len(loaded[0].doc.cues)})
    else:
        record.update({"inputs": list(sources), "from": [one.format for one in loaded],
                       "cues_in": [len(one.doc.cues) for one in loaded]})
    outputs = [{"output": target, "to": result.format, "cues": len(doc.cues),
                "losses": [loss_record(loss) for loss in lost],
                **(outcome.outputs[i] if i < len(outcome.outputs) else {})}
               for i, (target, result, doc, lost) in enumerate(zip(targets, results, outcome.docs, losses,
                                                                   strict=True))]
    if len(outputs) == 1:
        record.update({"output": outputs[0]["output"], "to": outputs[0]["to"], "cues_out": outputs[0]["cues"],
                       "losses": outputs[0]["losses"]})
    else:
        record["outputs"] = outputs
    record["diagnostics"] = [diagnostic_record(diag) for one in loaded for diag in one.doc.diagnostics]
    record.update(outcome.record)
    return record


# ---------------------------------------------------------------- many jobs


def run_jobs(
    jobs: Sequence[Job],
    settings: RunSettings,
    transform: Transform,
    *,
    files: bool = False,
    reads: Sequence[Mapping[str, Any]] = (),
) -> None:
    """Run every job; a failure is reported and the rest go on; exit with the status unless all went well.

    With one job and not ``files``, a failure propagates (the group reports it) and ``--json`` prints the
    job's record; with several, ``--json`` prints a list of records (each with ``ok``), and each done job
    is announced on stderr. ``files`` (convert) reports failures per file even for one job and prints
    ``{"ok": ..., "files": [...]}``. Outputs are never written over an input or over another job's output.

    Raises:
        SubkitError: the only job failed (one job, not ``files``).
        click.UsageError: ``--json`` with ``-`` as an output.
        click.exceptions.Exit: with status 1 (or 2) when a job failed, 130 when interrupted.
    """
    status = _run_all(jobs, settings, transform, files=files, reads=reads)
    if status != EXIT_OK:
        click.get_current_context().exit(status)


def _run_all(jobs: Sequence[Job], settings: RunSettings, transform: Transform, *, files: bool,
             reads: Sequence[Mapping[str, Any]]) -> int:
    # One job on its own writes as it always did; several never write over an earlier job's output.
    written: set[Path] | None = set() if files or len(jobs) > 1 else None
    return each_job(jobs, settings, lambda job: run_job(job, settings, transform, reads=reads, written=written),
                    files=files)


def each_job(jobs: Sequence[Job], settings: RunSettings, one: Callable[[Job], Mapping[str, Any]], *,
             files: bool = False, verb: str = "converted") -> int:
    """Run ``one`` on every job and report: a failing file is reported and the others go on.

    ``one`` does a job and returns its JSON record. With one job and not
    ``files``, a failure propagates and ``--json`` prints the job's record;
    otherwise each done job is announced on stderr (not with ``files``),
    ``--json`` prints the records (each with ``ok``, and ``error``), as a list
    or, with ``files``, as ``{"ok": ..., "files": [...]}``. Ctrl-C says how
    many files were ``verb`` and which were not done.

    Returns:
        The exit status: 0, the worst failure's, or 130 when interrupted.

    Raises:
        SubkitError: the only job failed (one job, not ``files``).
        SubkitIOError: ``--out-dir`` cannot be created.
    """
    if settings.out_dir is not None:
        _make_folder(settings.out_dir)
    if len(jobs) == 1 and not files:
        record = one(jobs[0])
        if settings.as_json:
            echo_json(record)
        return EXIT_OK
    records: list[dict[str, Any]] = []
    status = EXIT_OK
    for job in jobs:
        names = (_shown(job.source, "<stdin>"), *(_shown(t, "<stdout>") for t in job.targets))
        try:
            records.append({**one(job), "ok": True})
        except SubkitError as exc:
            status = max(status, report_failure(exc, *names))
            records.append({"input": job.source, "output": job.targets[0] if len(job.targets) == 1 else
                            list(job.targets), "ok": False, "error": describe(exc, *names)})
            continue
        except KeyboardInterrupt:
            # Ctrl-C: the file being written is intact (atomic writes); say what was done.
            done = sum(1 for record in records if record["ok"])
            click.echo(f"subkit: interrupted: {done} of {len(jobs)} file(s) {verb}, {len(jobs) - len(records)} "
                       f"not done (from {names[0]} on)", err=True)
            if settings.as_json:
                echo_json({"ok": False, "files": records, "interrupted": True,
                           "not_done": [j.source for j in jobs[len(records):]]})
            return EXIT_INTERRUPTED
        if not files and not settings.quiet:
            click.echo(f"{job.source} -> {', '.join(job.targets)}", err=True)
    if settings.as_json:
        echo_json({"ok": status == EXIT_OK, "files": records} if files else records)
    return status
