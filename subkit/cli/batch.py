"""``subkit batch``: a whole folder, several folders or a manifest through one pipeline, resumable.

``subkit batch IN... --to FMT --out-dir D [options] [-- STEP [ARGS]...]``:
the steps after ``--`` are those of ``subkit process`` (split and built the
same way). The work is :func:`subkit.batch.run`; this module parses options,
shows a progress bar on a terminal and prints the summary.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

import click

from subkit import batch
from subkit.cli._options import format_options
from subkit.cli._run import RunSettings, io_options, pass_settings
from subkit.cli._shared import echo_json, echo_warnings
from subkit.cli.process import _build, split_steps
from subkit.errors import ConfigError
from subkit.formats import FormatSpec

__all__ = ["EXIT_INTERRUPTED", "batch_command"]

#: The exit status of a run stopped by Ctrl-C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130

#: The exit status when some files failed (the others were converted).
EXIT_FAILED = 1


class _StepsCommand(click.Command):
    """A command whose arguments after the first ``--`` are the pipeline steps, kept apart from IN...."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            cut = args.index("--")
            ctx.meta["batch.steps"] = args[cut + 1:]
            args = args[:cut]
        return super().parse_args(ctx, args)


def _progress(
    stream: TextIO | None, interval: float = 0.1
) -> tuple[Callable[[batch.FileResult, int, int], None] | None, Callable[[], None]]:
    """A progress bar on ``stream`` (tqdm, when installed and the stream is a terminal) and its closer.

    ``interval`` is the least time between two redraws (tests draw every update).
    """
    if stream is None or not stream.isatty():
        return None, lambda: None
    try:
        tqdm: Any = importlib.import_module("tqdm").tqdm
    except ImportError:
        return None, lambda: None
    bar: list[Any] = []

    def update(result: batch.FileResult, done: int, total: int) -> None:
        if not bar:
            bar.append(tqdm(total=total, file=stream, unit="file", leave=False, dynamic_ncols=True,
                            mininterval=interval, miniters=1 if interval == 0 else None))
        bar[0].update(1)
        if result.status == "failed":
            bar[0].set_postfix_str(f"failed: {os.path.basename(result.input)}", refresh=interval == 0)

    def close() -> None:
        if bar:
            bar[0].close()

    return update, close


def _pairs(spec: FormatSpec | None, kind: str, pairs: Sequence[str], flag: str) -> dict[str, Any]:
    if not pairs:
        return {}
    if spec is None:
        raise click.UsageError(f"{flag} needs {'--from' if kind == 'read' else '--to'} in a batch: "
                               "its options belong to one format")
    return format_options(spec, "read" if kind == "read" else "write", pairs)


@click.command("batch", cls=_StepsCommand, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("inputs", nargs=-1, metavar="[IN]...", type=click.Path(exists=True, path_type=Path))
@click.option("-m", "--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV (with a header) or JSON Lines: input, output, format, from, encoding, read_options, "
                   "write_options per row.")
@click.option("--include", multiple=True, metavar="GLOB", help="Only files of a folder matching GLOB (repeatable).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip files of a folder matching GLOB (repeatable).")
@click.option("--journal", type=click.Path(dir_okay=False, path_type=Path),
              help="The journal file [default: DIR/subkit-batch.jsonl].")
@click.option("--resume", is_flag=True, help="Continue the run the journal records, skipping what it finished.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes [default: the usable cores].")
@click.option("--engine", type=click.Choice(batch.ENGINES), default="process", show_default=True,
              help="Where files run: local processes, a Dask cluster or a Ray cluster.")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler (tcp://host:8786); default: a local cluster.")
@click.option("--address", metavar="ADDRESS", help="Ray cluster address; default: a local Ray.")
@click.option("--chunk", type=click.IntRange(min=1), metavar="N", help="Files per work unit [default: automatic].")
@click.option("--timeout-per-file", "timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="End a file that takes longer, report it, go on.")
@click.option("--memory-per-file", "memory_mb", type=click.IntRange(min=1), metavar="MB",
              help="Memory a worker may allocate for a file; a file needing more fails.")
@click.option("--sync-each", is_flag=True,
              help="Sync each output to disk before its rename (default: in groups, before the journal records them).")
@io_options(
    "to", "out_dir", "name", "from", "encoding", "out_encoding", "strict", "read", "write", "quiet", "json",
    to={"help": "Format to write (a manifest row's format column wins)."},
    out_dir={"decls": ("-o", "-d", "--out-dir"), "help": "Folder for the outputs (and the journal)."},
    name={"default": batch.DEFAULT_TEMPLATE, "show_default": True,
          "help": "Output name under DIR: {relpath} {reldir} {name} {stem} {base} {lang} {suffix} {ext} {format} "
                  "{command} (as in every command; docs/cli.md)."},
    encoding={"help": "Text encoding of the inputs; detected per file when omitted."},
    strict={"help": "Fail a file on any flaw or anything its output cannot express."},
    read={"help": "A reader option (needs --from), repeatable."},
    write={"help": "A writer option of --to's format, repeatable."},
    quiet={"help": "No progress bar and no summary on stderr."},
    json={"help": "Print the report as JSON on stdout."},
)
@click.pass_context
@pass_settings
def batch_command(
    settings: RunSettings,
    ctx: click.Context,
    /,
    inputs: tuple[Path, ...],
    manifest: Path | None,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    journal: Path | None,
    resume: bool,
    jobs: int | None,
    engine: str,
    scheduler: str | None,
    address: str | None,
    chunk: int | None,
    timeout: float | None,
    memory_mb: int | None,
    sync_each: bool,
) -> None:
    """Convert many files through one pipeline, resumable, in parallel.

    Takes files, folders (walked recursively) or a --manifest, writes each
    input to DIR named by --name, and runs the steps given after "--" on each
    (the steps of subkit process). Outputs are written atomically and every
    outcome goes into a journal: after a crash or Ctrl-C, --resume does only
    what is left (and any input that changed). Two inputs with the same output
    are refused before anything runs. Exit status: 0 all converted, 1 some
    failed, 2 usage error, 130 interrupted.

    \b
    Examples:
      subkit batch captions/ --to ttml --out-dir out -- clean lint --profile netflix-en
      subkit batch a/ b/ --to vtt -o out --name '{base}.{lang}{ext}' --jobs 8
      subkit batch --manifest jobs.csv -o out --resume --timeout-per-file 30
      subkit batch archive/ --to srt -o out --engine dask --scheduler tcp://10.0.0.5:8786
    """
    to_spec, from_spec, out_dir, template = settings.to_spec, settings.from_spec, settings.out_dir, settings.template
    encoding, quiet = settings.encoding, settings.quiet
    assert template is not None  # --name has a default here
    step_args = ctx.meta.get("batch.steps", [])
    steps: list[Callable[..., Any]] = []
    if step_args:
        target, plan = split_steps(step_args)
        if target is not None:
            raise click.UsageError("batch names the outputs itself: no OUT or 'save' in the steps")
        steps = [_build(ctx, name, args) for name, args in plan]
    if not inputs and manifest is None:
        raise click.UsageError("give files or folders, or --manifest")
    if inputs and manifest is not None:
        raise click.UsageError("give files and folders, or --manifest, not both")
    if manifest is None and to_spec is None:
        raise click.UsageError("--to FORMAT is needed (or a manifest with a format column)")
    if out_dir is None and manifest is None:
        raise click.UsageError("--out-dir DIR is needed")
    if journal is None and out_dir is not None:
        journal = out_dir / batch.JOURNAL_NAME
    read_options = _pairs(from_spec, "read", settings.read_pairs, "--read-option")
    write_options = _pairs(to_spec, "write", settings.write_pairs, "--write-option")
    to_name = to_spec.name if to_spec is not None else None
    from_name = from_spec.name if from_spec is not None else None
    if manifest is not None:
        tasks = batch.read_manifest(manifest, out_dir=out_dir, to_format=to_name, template=template,
                                    from_format=from_name, encoding=encoding, read_options=read_options,
                                    write_options=write_options)
    else:
        assert to_name is not None and out_dir is not None
        tasks = batch.plan(list(inputs), out_dir=out_dir, to_format=to_name, template=template, include=include,
                           exclude=exclude, from_format=from_name, encoding=encoding, read_options=read_options,
                           write_options=write_options)
    if not tasks:
        raise ConfigError("no input files (a folder yields the files a subkit reader claims, or --include GLOB)")
    update, close = _progress(None if quiet else sys.stderr)
    try:
        summary = batch.run(tasks, steps=steps, journal=journal, resume=resume, engine=engine, jobs=jobs,
                            chunk=chunk, timeout=timeout, memory_mb=memory_mb, strict=settings.strict,
                            out_encoding=settings.out_encoding, scheduler=scheduler, address=address, progress=update,
                            sync_each=sync_each)
    finally:
        close()
    if not quiet:
        echo_warnings(summary.lines())
    if settings.as_json:
        echo_json(summary.record())
    if summary.interrupted:
        ctx.exit(EXIT_INTERRUPTED)
    if summary.failed:
        ctx.exit(EXIT_FAILED)
