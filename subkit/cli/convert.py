"""``subkit convert``: read subtitle files and write them in another format.

The command plans (input, output) pairs and runs them through the shared
read → write loop (:func:`subkit.cli._run.run_jobs`); everything about
formats happens in the library.
Writes are atomic (``subkit.dump`` writes a temporary file and renames it), and
an input is read completely before its output is opened, so a failure never
leaves a partial or clobbered output file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

import subkit
from subkit import formats
from subkit.cli._options import takes_fps
from subkit.cli._run import (
    Job,
    Outcome,
    RunSettings,
    Transform,
    io_options,
    output_stem,
    pass_settings,
    plan_jobs,
    run_jobs,
)
from subkit.cli._shared import Loaded
from subkit.errors import ConfigError
from subkit.formats import FormatSpec

__all__ = ["convert_command", "output_name"]


def output_name(source: str, target: FormatSpec) -> str:
    """The file name ``--out-dir`` gives the conversion of ``source``: its stem plus ``target``'s extension.

    A known subtitle extension is taken off whole, so ``x.subkit.json`` gives
    ``x.srt`` rather than ``x.subkit.srt``.

    >>> output_name("shows/ep1.en.srt", formats.get("vtt"))
    'ep1.en.vtt'
    """
    extension = target.extensions[0] if target.extensions else f".{target.name}"
    return output_stem(source) + extension


def _plan(paths: tuple[str, ...], settings: RunSettings) -> list[Job]:
    """Pair inputs with outputs, or fail with a usage error."""
    to_spec = settings.to_spec
    if settings.out_dir is None and settings.template is None:
        if len(paths) != 2 and "-" not in paths:
            # One IN, or several: each is written beside its input as IN.stem + the --to extension.
            if to_spec is None:
                raise click.UsageError("name the output format with --to FORMAT (or give IN OUT)")
            return plan_jobs(paths, settings, command="convert", template="{stem}{ext}")
        if len(paths) != 2:
            raise click.UsageError(
                f"expected IN and OUT, got {len(paths)} path(s); to convert several files use --out-dir DIR"
            )
        source, target = paths
        if source != "-" and Path(source).is_dir():
            if to_spec is None:
                raise click.UsageError(f"{source} is a folder: name the output format with --to FORMAT")
            return plan_jobs(paths, settings, command="convert", template="{stem}{ext}")
        if target != "-" and Path(target).is_dir() and source != "-":
            # An existing folder as OUT: the input's name goes into it, as with --out-dir.
            if to_spec is None:
                raise click.UsageError(f"{target} is a folder: name the output format with --to FORMAT")
            return [Job((source,), (str(Path(target) / output_name(source, to_spec)),))]
        if target == "-" and to_spec is None:
            raise click.UsageError("writing to standard output (-) needs --to FORMAT")
        if target == "-" and settings.as_json:
            raise click.UsageError("--json needs an output file: standard output carries the subtitles")
        _check_not_an_input(source, target, to_spec)
        return [Job((source,), (target,))]
    if to_spec is None:
        raise click.UsageError(f"{'--out-dir' if settings.out_dir is not None else '--name'} needs --to FORMAT")
    if "-" in paths:
        raise click.UsageError("standard input (-) cannot be used with --out-dir or --name")
    return plan_jobs(paths, settings, command="convert", template="{stem}{ext}")


def _check_not_an_input(source: str, target: str, to_spec: FormatSpec | None) -> None:
    """Refuse ``convert a.srt b.srt --to vtt``: OUT looks like a second input, not an output.

    An existing OUT whose extension names other formats than ``--to`` is
    taken for an input given by a shell glob (``*.srt``), which would be
    overwritten.

    Raises:
        click.UsageError: OUT exists and its extension contradicts ``--to``.
    """
    if to_spec is None or target == "-" or source == "-" or not Path(target).is_file():
        return
    if _identity(source) == _identity(target):
        return  # the input itself: refused with its own message when the job runs
    claimed = formats._by_extension(target)
    if claimed and to_spec not in claimed:
        raise click.UsageError(
            f"{target} exists and is a {claimed[0].name} file, not {to_spec.name}: refusing to overwrite "
            "what looks like a second input; to convert several files use --out-dir DIR"
        )


def _check_fps(source: FormatSpec, target: FormatSpec, settings: RunSettings) -> None:
    """Refuse ``--fps`` when neither format is frame-based (it would be silently ignored).

    Raises:
        ConfigError: neither the reader nor the writer takes a frame rate.
    """
    if settings.fps is not None and not (takes_fps(source, "read") or takes_fps(target, "write")):
        raise ConfigError(f"--fps does not apply to {source.name} or {target.name}: neither is frame-based")


def _named_target(target: str, spec: FormatSpec, doc: subkit.Document, settings: RunSettings) -> str:
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


def _transform(settings: RunSettings) -> Transform:
    """Convert: check ``--fps``, and name the output after its language where the format wants that."""

    def transform(job: Job, loaded: Sequence[Loaded], specs: Sequence[FormatSpec]) -> Outcome:
        _check_fps(formats.get(loaded[0].format), specs[0], settings)
        return Outcome([loaded[0].doc], record={"cues": len(loaded[0].doc.cues)},
                       targets=[_named_target(job.targets[0], specs[0], loaded[0].doc, settings)])

    return transform


@click.command("convert")
@click.argument("paths", nargs=-1, required=True, metavar="IN... [OUT]")
@io_options("from", "to", "out_dir", "name", "recursive", "encoding", "out_encoding", "bom", "language", "fps", "read",
            "write", "strict", "quiet", "json", "force",
            out_dir={"help": "Convert every IN into DIR (created if missing), named after the input; needs --to."})
@pass_settings
def convert_command(settings: RunSettings, /, paths: tuple[str, ...]) -> None:
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
    jobs = _plan(paths, settings)
    run_jobs(jobs, settings, _transform(settings), files=True)
