"""``subkit sync``: retime a subtitle to a media file's speech or to a reference subtitle."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from subkit.cli._ops import OpStep, op_step, parse_ms
from subkit.cli._run import (
    Job,
    Outcome,
    RunSettings,
    Transform,
    expand_inputs,
    io_options,
    partners,
    pass_settings,
    plan_jobs,
    run_jobs,
)
from subkit.cli._shared import Loaded, echo_json
from subkit.errors import OperationError
from subkit.formats import FormatSpec
from subkit.model import Document
from subkit.ops import ChangeReport

__all__ = ["sync_command", "sync_step"]

F = TypeVar("F", bound=Callable[..., Any])

HELP = """Sync a subtitle to a media file's speech or to another subtitle.

\b
Finds the offset, a frame-rate change (24/23.976, 25/23.976, 25/24 and back)
and breaks where the offset changes (an ad cut), by matching the cues with
the speech in the audio (--to-audio; needs ffmpeg and the sync extra:
pip install 'subkit[sync]') or with the cues of another subtitle in any
format or language (--to-subtitle). Hearing-impaired and music cues move
with their neighbours; timed words move with their cues.

\b
When the match is weak (the subtitle may belong to another cut or episode)
nothing is written and the exit status is 1, with the score; --force writes
the result anyway (and replaces an existing OUT of IN's kind, which is
otherwise refused as a possible second input). --json prints the report: the model, each segment's
offset, the score and the confidence.

\b
Many inputs: with --out-dir DIR or --name (or three paths or more), every
path is an input (a folder stands for its subtitle files), written as
IN.sync.EXT beside it or into DIR. One reference serves them all (the
language tracks of one video), or, when --to-audio or --to-subtitle names a
folder, each input takes the file of that folder with its name, language
tags set aside (fr/ep1.fr.srt syncs to video/ep1.mkv).

\b
Examples:
  subkit sync in.srt out.srt --to-audio episode.mkv
  subkit sync movie.fr.srt movie.de.srt -d synced/ --to-audio movie.mkv
  subkit sync fr/ -d synced/ --to-audio videos/
  subkit sync in.srt out.srt --to-subtitle reference.en.vtt --no-split
  subkit sync in.srt out.srt --to-audio movie.mp4 --max-offset 5m --fps-ratios none --json
"""


def _options(function: F) -> F:
    decorators = [
        click.option("--to-audio", "media", metavar="MEDIA", help="Align to the speech in MEDIA (a video, audio or "
                     "WAV file)."),
        click.option("--to-subtitle", "reference", metavar="REF", help="Align to the subtitle REF (any format)."),
        click.option("--max-offset", default="120s", show_default=True, metavar="TIME",
                     help="The widest offset searched, each way (1.5s, 250ms, 2:00)."),
        click.option("--no-split", is_flag=True, help="One offset for the whole file (no breaks)."),
        click.option("--split-penalty", metavar="TIME",
                     help="Overlap a break must gain to be taken (default: twice the median cue, at least 4s)."),
        click.option("--fps-ratios", metavar="LIST",
                     help="Frame-rate ratios to try, comma-separated (25/23.976,1.001), or 'none' "
                     "[default: 24/23.976, 25/23.976, 25/24 and their inverses]."),
        click.option("--min-confidence", type=click.FloatRange(0, 1), default=None, metavar="0-1",
                     help="Refuse below this confidence [default: 0.2]."),
        click.option("--force", is_flag=True,
                     help="Write the result even when the confidence is too low, or over an existing OUT."),
        click.option("--ref-from", "ref_spec", metavar="FORMAT", help="Format of REF; detected when omitted."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def _ratios(text: str | None) -> tuple[Any, ...] | None:
    from subkit.ops import parse_ratio

    if text is None:
        return None
    if text.strip().lower() in ("none", "1", ""):
        return ()
    return tuple(parse_ratio(part.strip()) for part in text.split(",") if part.strip())


def _kwargs(
    media: str | None,
    reference: str | None,
    max_offset: str,
    no_split: bool,
    split_penalty: str | None,
    fps_ratios: str | None,
    min_confidence: float | None,
    force: bool,
    ref_spec: str | None,
) -> dict[str, Any]:
    """Check the options; return the arguments of :func:`subkit.ops.sync` (the reference still a path)."""
    from subkit.ops import DEFAULT_MIN_CONFIDENCE

    if (media is None) == (reference is None):
        raise OperationError("give exactly one of --to-audio MEDIA or --to-subtitle REF")
    if ref_spec is not None and reference is None:
        raise OperationError("--ref-from goes with --to-subtitle")
    kwargs: dict[str, Any] = {
        "max_offset_ms": parse_ms(max_offset, "--max-offset"),
        "split": not no_split,
        "fps_ratios": _ratios(fps_ratios),
        "min_confidence": DEFAULT_MIN_CONFIDENCE if min_confidence is None else min_confidence,
        "force": force,
    }
    if kwargs["max_offset_ms"] < 10:
        raise OperationError(f"--max-offset must be at least 10ms, got {max_offset!r}")
    if split_penalty is not None:
        kwargs["split_penalty_ms"] = parse_ms(split_penalty, "--split-penalty")
    return kwargs


def _reference(media: str | None, reference: str | None, ref_spec: str | None) -> Any:
    if media is not None:
        return media
    import subkit

    assert reference is not None
    return subkit.load(reference, format=ref_spec)


def _progress(quiet: bool) -> Callable[[str], None] | None:
    """Stage messages on stderr, only on a terminal."""
    if quiet or not sys.stderr.isatty():
        return None
    return lambda message: click.echo(f"sync: {message}", err=True)


def _sync_op(doc: Document, *, reference: Any, report: ChangeReport | None = None, **kwargs: Any) -> Document:
    """The ``process`` step: the op's document alone (the report's counts go to ``report``)."""
    from subkit.ops import sync

    source = reference() if callable(reference) else reference
    result, _ = sync(doc, source, report=report, progress=_progress(False), **kwargs)
    return result


def _build_step(media: str | None, reference: str | None, ref_spec: str | None, **params: Any) -> OpStep:
    kwargs = _kwargs(media, reference, ref_spec=ref_spec, **params)
    return OpStep("sync", _sync_op, {"reference": lambda: _reference(media, reference, ref_spec), **kwargs})


sync_step = op_step("sync", _options, _build_step, HELP)


def _transform(kwargs: dict[str, Any], reference_of: Callable[[Job], Any], quiet: bool, as_json: bool) -> Transform:
    def transform(job: Job, loaded: Sequence[Loaded], specs: Sequence[FormatSpec]) -> Outcome:
        from subkit.ops import sync

        source = loaded[0]
        reference = reference_of(job)
        changes = ChangeReport()
        try:
            doc, sync_report = sync(source.doc, reference, report=changes, progress=_progress(quiet), **kwargs)
        except OperationError as exc:
            refused = getattr(exc, "report", None)
            if as_json and refused is not None:
                echo_json({"input": source.name, "output": None, "sync": refused.as_dict()})
            raise
        return Outcome([doc], lines=[f"sync: {sync_report.summary()}"],
                       record={"cues": len(doc.cues), "changes": dict(changes), "sync": sync_report.as_dict()})

    return transform


@click.command("sync", help=HELP, context_settings={"help_option_names": ["-h", "--help"]})
@_options
@io_options("from", "to", "out_dir", "name", "recursive", "encoding", "out_encoding", "read", "write", "strict",
            "quiet", "json")
@click.argument("paths", nargs=-1, required=True, metavar="IN OUT | IN...")
@pass_settings
def sync_command(
    settings: RunSettings,
    /,
    paths: tuple[str, ...],
    media: str | None,
    reference: str | None,
    ref_spec: str | None,
    **params: Any,
) -> None:
    if paths[-1] == "-" and settings.as_json:
        raise click.UsageError("--json needs an output file: standard output carries the subtitles")
    try:
        kwargs = _kwargs(media, reference, ref_spec=ref_spec, **params)
    except OperationError as exc:
        raise click.UsageError(str(exc)) from None
    target = media if media is not None else reference
    assert target is not None
    folder = target != "-" and Path(target).is_dir()
    settings.force = settings.force or bool(params.get("force"))  # --force writes anyway: also over an existing OUT
    jobs = plan_jobs(paths, settings, command="sync", also_read=[] if folder else [target])
    if folder:
        # Media files have any extension; references are the subtitle files of the folder.
        candidates = sorted(str(p) for p in Path(target).iterdir() if p.is_file() and not p.name.startswith(".")) \
            if media is not None else expand_inputs([target])
        paired = partners([job.sources[0] for job in jobs], candidates, target)
        refs: dict[str, Any] = {}

        def ref_of(job: Job) -> Any:
            path = paired[job.sources[0]]
            if path not in refs:
                refs[path] = path if media is not None else _reference(None, path, ref_spec)
            return refs[path]

        run_jobs(jobs, settings, _transform(kwargs, ref_of, settings.quiet, settings.as_json))
        return
    shared = _reference(media, reference, ref_spec)
    run_jobs(jobs, settings, _transform(kwargs, lambda job: shared, settings.quiet, settings.as_json))
