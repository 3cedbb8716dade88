"""``subkit convert``: read subtitle files and write them in another format.

The command is a loop over (input, output) pairs around :func:`subkit.loads`
and :func:`subkit.dump`; everything about formats happens in the library.
Writes are atomic (``subkit.dump`` writes a temporary file and renames it), and
an input is read completely before its output is opened, so a failure never
leaves a partial or clobbered output file.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

import subkit
from subkit import formats
from subkit.cli._options import format_options, takes_fps
from subkit.cli._shared import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EncodingType,
    FormatType,
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
from subkit.errors import ConfigError, LossyConversionWarning, SubkitError, SubkitIOError
from subkit.formats import FormatSpec

__all__ = ["convert_command", "output_name"]


@dataclass(frozen=True, slots=True)
class _Job:
    """One conversion: ``source`` and ``target`` are paths or ``-``."""

    source: str
    target: str

    @property
    def source_name(self) -> str:
        """The input as messages name it."""
        return "<stdin>" if self.source == "-" else self.source

    @property
    def target_name(self) -> str:
        """The output as messages name it."""
        return "<stdout>" if self.target == "-" else self.target


@dataclass(frozen=True, slots=True)
class _Settings:
    """The options that apply to every job."""

    from_spec: FormatSpec | None
    to_spec: FormatSpec | None
    encoding: str | None
    out_encoding: str
    strict: bool
    quiet: bool
    language: str | None = None
    fps: str | None = None
    read_pairs: tuple[str, ...] = ()
    write_pairs: tuple[str, ...] = ()
    bom: bool = False
    force: bool = False


def output_name(source: str, target: FormatSpec) -> str:
    """The file name ``--out-dir`` gives the conversion of ``source``: its stem plus ``target``'s extension.

    A known subtitle extension is taken off whole, so ``x.subkit.json`` gives
    ``x.srt`` rather than ``x.subkit.srt``.

    >>> output_name("shows/ep1.en.srt", formats.get("vtt"))
    'ep1.en.vtt'
    """
    base = Path(source).name
    lowered = base.lower()
    known = [
        ext
        for spec in formats.FORMATS
        for ext in spec.extensions
        if lowered.endswith(ext) and len(ext) < len(base)
    ]
    stem = base[: -len(max(known, key=len))] if known else Path(base).stem
    extension = target.extensions[0] if target.extensions else f".{target.name}"
    return stem + extension


def _plan(paths: tuple[str, ...], settings: _Settings, out_dir: Path | None, as_json: bool) -> list[_Job]:
    """Pair inputs with outputs, or fail with a usage error."""
    if out_dir is None:
        if len(paths) != 2 and "-" not in paths:
            # One IN, or several: each is written beside its input as IN.stem + the --to extension.
            if settings.to_spec is None:
                raise click.UsageError("name the output format with --to FORMAT (or give IN OUT)")
            from subkit.cli._ops import plan_targets  # the op machinery, only when it is needed

            return [_Job(source, target) for source, target in plan_targets(
                paths, out_dir=None, template="{stem}{ext}", to_spec=settings.to_spec, command="convert")]
        if len(paths) != 2:
            raise click.UsageError(
                f"expected IN and OUT, got {len(paths)} path(s); to convert several files use --out-dir DIR"
            )
        source, target = paths
        if target != "-" and Path(target).is_dir() and source != "-":
            # An existing folder as OUT: the input's name goes into it, as with --out-dir.
            if settings.to_spec is None:
                raise click.UsageError(f"{target} is a folder: name the output format with --to FORMAT")
            return [_Job(source, str(Path(target) / output_name(source, settings.to_spec)))]
        if target == "-" and settings.to_spec is None:
            raise click.UsageError("writing to standard output (-) needs --to FORMAT")
        if target == "-" and as_json:
            raise click.UsageError("--json needs an output file: standard output carries the subtitles")
        _check_not_an_input(source, target, settings)
        return [_Job(source, target)]
    if settings.to_spec is None:
        raise click.UsageError("--out-dir needs --to FORMAT")
    if "-" in paths:
        raise click.UsageError("standard input (-) cannot be used with --out-dir")
    return [_Job(source, str(out_dir / output_name(source, settings.to_spec))) for source in paths]


def _check_not_an_input(source: str, target: str, settings: _Settings) -> None:
    """Refuse ``convert a.srt b.srt --to vtt``: OUT looks like a second input, not an output.

    An existing OUT whose extension names other formats than ``--to`` is
    taken for an input given by a shell glob (``*.srt``), which would be
    overwritten.

    Raises:
        click.UsageError: OUT exists and its extension contradicts ``--to``.
    """
    if settings.to_spec is None or target == "-" or source == "-" or not Path(target).is_file():
        return
    if _identity(source) == _identity(target):
        return  # the input itself: refused with its own message when the job runs
    claimed = formats._by_extension(target)
    if claimed and settings.to_spec not in claimed:
        raise click.UsageError(
            f"{target} exists and is a {claimed[0].name} file, not {settings.to_spec.name}: refusing to overwrite "
            "what looks like a second input; to convert several files use --out-dir DIR"
        )


def _write_options(spec: FormatSpec, settings: _Settings) -> dict[str, Any]:
    """The writer options the command passes on: ``-w KEY=VALUE``, ``--language`` and ``--fps``.

    Raises:
        ConfigError: an option the writer does not have, or ``--language`` for a
            writer without that option.
    """
    options = format_options(spec, "write", settings.write_pairs)
    if settings.fps is not None and takes_fps(spec, "write"):
        options.setdefault("fps", settings.fps)
    if settings.language is None:
        return options
    fields = {f.name for f in dataclasses.fields(spec.load().WriteOptions)}
    if "language" not in fields:
        raise ConfigError(f"--language does not apply to {spec.name} (its writer records no language)")
    options.setdefault("language", settings.language)
    return options


def _read_options(spec: FormatSpec, settings: _Settings) -> dict[str, Any]:
    """The reader options the command passes on: ``-r KEY=VALUE`` and ``--fps``.

    Raises:
        ConfigError: an option the reader does not have.
    """
    options = format_options(spec, "read", settings.read_pairs)
    if settings.fps is not None and takes_fps(spec, "read"):
        options.setdefault("fps", settings.fps)
    return options


def _check_fps(source: FormatSpec, target: FormatSpec, settings: _Settings) -> None:
    """Refuse ``--fps`` when neither format is frame-based (it would be silently ignored).

    Raises:
        ConfigError: neither the reader nor the writer takes a frame rate.
    """
    if settings.fps is not None and not (takes_fps(source, "read") or takes_fps(target, "write")):
        raise ConfigError(f"--fps does not apply to {source.name} or {target.name}: neither is frame-based")


def _named_target(target: str, spec: FormatSpec, doc: subkit.Document, settings: _Settings) -> str:
    """The output path, renamed when the target format names its files (``name.en_US.srt``).

    Raises:
        ConfigError: the format needs a language for the name and none is known.
    """
    module = spec.load()
    rename = getattr(module, "output_path", None)
    if rename is None or target == "-":
        return target
    locale = module.locale_of_path(target) if settings.language is None else settings.language
    locale = locale or module.document_locale(doc, None)
    if locale is None:
        raise ConfigError(f"{spec.name} files are named after their language: give --language (e.g. en_US)")
    try:
        return str(rename(target, locale))
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def _identity(path: str) -> Path:
    """A key under which two names of the same file compare equal."""
    return Path(path).resolve()


def _convert(job: _Job, settings: _Settings, inputs: set[Path], written: set[Path]) -> dict[str, Any]:
    """Run one job and return its JSON record.

    Raises:
        SubkitError: the job failed; nothing was written.
    """
    target_spec = settings.to_spec or formats.for_path(job.target)
    write_options = _write_options(target_spec, settings)
    loaded = load_input(
        job.source, format=settings.from_spec, encoding=settings.encoding, strict=settings.strict,
        options=lambda spec: _read_options(spec, settings), language=settings.language,
    )
    _check_fps(formats.get(loaded.format), target_spec, settings)
    doc = loaded.doc
    job = _Job(job.source, _named_target(job.target, target_spec, doc, settings))
    key: Path | None = None
    if job.target != "-":
        key = _identity(job.target)
        if key in inputs:
            raise SubkitIOError(
                f"{job.source_name} -> {job.target}: refusing to overwrite an input file", path=job.target
            )
        if key in written:
            raise SubkitIOError(
                f"{job.source_name} -> {job.target}: refusing to overwrite the output of another input",
                path=job.target,
            )
    if not settings.quiet:
        echo_warnings(diagnostic_lines(doc.diagnostics, job.source_name))
    # The loss report is printed below as part of the command's output; as a
    # Python warning it would also show up as a traceback-like line (or, under
    # -W error, as an exception), so it is silenced here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LossyConversionWarning)
        if settings.bom:
            write_options["bom"] = True
        result = subkit.dump(doc, job.target, format=target_spec.name, encoding=settings.out_encoding,
                             strict=settings.strict, force=settings.force, **write_options)
    if key is not None:
        written.add(key)
    if not settings.quiet:
        echo_warnings([format_loss(loss, result.format, job.target_name) for loss in result.losses])
    return {
        "input": job.source,
        "output": job.target,
        "ok": True,
        "from": loaded.format,
        "to": result.format,
        "encoding": loaded.encoding,
        "cues": len(doc.cues),
        "losses": [loss_record(loss) for loss in result.losses],
        "diagnostics": [diagnostic_record(diag) for diag in doc.diagnostics],
    }


@click.command("convert")
@click.argument("paths", nargs=-1, required=True, metavar="IN... [OUT]")
@click.option("-f", "--from", "from_spec", type=FormatType(), metavar="FORMAT",
              help="Format of the input(s); detected from the content (and extension) when omitted.")
@click.option("-t", "--to", "to_spec", type=FormatType(writable=True), metavar="FORMAT",
              help="Format to write; taken from OUT's extension when omitted.")
@click.option("-d", "--out-dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Convert every IN into DIR (created if missing), named after the input; needs --to.")
@click.option("-e", "--encoding", type=EncodingType(), metavar="ENCODING",
              help="Text encoding of the input(s); detected when omitted.")
@click.option("--out-encoding", type=EncodingType(), default="utf-8", show_default=True, metavar="ENCODING",
              help="Text encoding of the output.")
@click.option("--bom", is_flag=True,
              help="Start text output with a byte order mark (GStreamer reads long BOM-less UTF-8 SRT wrongly).")
@click.option("-l", "--language", metavar="LOCALE",
              help="Language of the output, for formats that record one (facebook_srt: en_US, which also "
                   "goes into the file name).")
@click.option("--fps", metavar="RATE",
              help="Frame rate of frame-based formats (MicroDVD, SCC, EBU STL ...), read and write: 25, 29.97, "
                   "30000/1001.")
@click.option("-r", "--read-option", "read_pairs", multiple=True, metavar="KEY=VALUE",
              help="A reader option of the input format (repeatable); subkit formats --verbose lists them.")
@click.option("-w", "--write-option", "write_pairs", multiple=True, metavar="KEY=VALUE",
              help="A writer option of the output format (repeatable), e.g. -w enhanced=yes for LRC.")
@click.option("--strict", is_flag=True,
              help="Fail on any flaw in the input and on anything the target cannot express.")
@click.option("-q", "--quiet", is_flag=True, help="Do not print read diagnostics and conversion losses.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary of each conversion on stdout.")
@click.option("--force", is_flag=True, help="Replace read-only output files (as cp -f does).")
@click.pass_context
def convert_command(
    ctx: click.Context,
    paths: tuple[str, ...],
    from_spec: FormatSpec | None,
    to_spec: FormatSpec | None,
    out_dir: Path | None,
    encoding: str | None,
    out_encoding: str,
    bom: bool,
    language: str | None,
    fps: str | None,
    read_pairs: tuple[str, ...],
    write_pairs: tuple[str, ...],
    strict: bool,
    quiet: bool,
    as_json: bool,
    force: bool = False,
) -> None:
    """Convert subtitle files from one format to another.

    Reads IN and writes OUT; "-" stands for standard input or output (writing
    to standard output needs --to). With --out-dir DIR, every IN is written to
    DIR under its own name with the target's extension; a failing file is
    reported and the others are still converted.

    What the target format cannot express, and what was repaired while
    reading, is reported on standard error. Formats that name their files
    after a language (facebook_srt: movie.en_US.srt) get the --language
    locale (or the document's) in the output name.

    \b
    Examples:
      subkit convert movie.srt movie.vtt
      subkit convert movie.ass - --to srt | less
      cat in.vtt | subkit convert - out.srt
      subkit convert *.srt --to vtt --out-dir web/
      subkit convert movie.srt upload/ --to facebook_srt --language en_US
      subkit convert film.sub film.srt --fps 23.976
      subkit convert song.ass song.lrc -w enhanced=yes
    """
    settings = _Settings(from_spec, to_spec, encoding, out_encoding, strict, quiet, language, fps,
                         read_pairs, write_pairs, bom, force)
    jobs = _plan(paths, settings, out_dir, as_json)
    if out_dir is not None:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SubkitIOError(f"{out_dir}: cannot create the folder: {exc.strerror or exc}",
                                path=str(out_dir)) from None
    inputs = {_identity(job.source) for job in jobs if job.source != "-"}
    written: set[Path] = set()
    records: list[dict[str, Any]] = []
    status = EXIT_OK
    interrupted = False
    for job in jobs:
        try:
            records.append(_convert(job, settings, inputs, written))
        except SubkitError as exc:
            status = max(status, report_failure(exc, job.source_name, job.target_name))
            records.append({"input": job.source, "output": job.target, "ok": False,
                            "error": describe(exc, job.source_name, job.target_name)})
        except KeyboardInterrupt:
            # Ctrl-C: the file being written is intact (atomic writes); say what was done.
            interrupted = True
            status = EXIT_INTERRUPTED
            done = sum(1 for record in records if record["ok"])
            click.echo(f"subkit: interrupted: {done} of {len(jobs)} file(s) converted, "
                       f"{len(jobs) - len(records)} not done (from {job.source_name} on)", err=True)
            break
    if as_json:
        summary: dict[str, Any] = {"ok": status == EXIT_OK, "files": records}
        if interrupted:
            summary["interrupted"] = True
            summary["not_done"] = [j.source for j in jobs[len(records):]]
        echo_json(summary)
    if status != EXIT_OK:
        ctx.exit(status)
