"""What the media commands share: many inputs, reading a subtitle, showing render warnings, progress, times.

The library reports what drawing as ASS loses and which fonts are missing as
Python warnings (:class:`~subkit.errors.LossyConversionWarning`,
:class:`subkit.media.FontWarning`); :func:`shown_warnings` turns them into
``IN: warning: ...`` lines on standard error, the way ``convert`` prints losses.

:func:`plan_media_jobs` pairs many subtitle inputs (and folders) with the
media files made of them through :func:`subkit.cli._run.plan_jobs`, and
:func:`run_media_jobs` runs them: a failing file is reported and the others
go on, as the subtitle commands do.
"""

from __future__ import annotations

import string
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from subkit import formats
from subkit.cli._run import Job, RunSettings, each_job, expand_inputs, plan_jobs
from subkit.cli._shared import EXIT_OK, echo_warnings
from subkit.errors import SubkitWarning
from subkit.timing import format_clock, parse_clock

__all__ = ["ClockType", "RangeType", "plan_media_jobs", "progress_printer", "run_media_jobs", "shown_warnings"]

if TYPE_CHECKING:
    _IntParam = click.ParamType[int]
    _RangeParam = click.ParamType[tuple[int, int]]
else:
    _IntParam = _RangeParam = click.ParamType


class ClockType(_IntParam):
    """A time (``12.5s``, ``1:02.5``, ``00:01:02,500``, ``1500ms``, ``90``) converted to milliseconds."""

    name = "time"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        """Parse the time.

        Raises:
            click.BadParameter: not a time, or negative.
        """
        if isinstance(value, int):
            return value
        try:
            ms = parse_clock(str(value).strip())
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
        if ms < 0:
            self.fail(f"{value!r} is before the start", param, ctx)
        return ms


class RangeType(_RangeParam):
    """``START-END`` (``10s-20s``, ``1:00-1:30``) converted to ``(start_ms, end_ms)``."""

    name = "range"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> tuple[int, int]:
        """Parse the range.

        Raises:
            click.BadParameter: not two times, or the end not after the start.
        """
        if isinstance(value, tuple):
            return value
        start_text, dash, end_text = str(value).partition("-")
        if not dash:
            self.fail(f"{value!r} is not START-END (e.g. 10s-20s)", param, ctx)
        clock = ClockType()
        start, end = clock.convert(start_text, param, ctx), clock.convert(end_text, param, ctx)
        if end <= start:
            self.fail(f"{value!r} ends before it starts", param, ctx)
        return start, end


@contextmanager
def shown_warnings(name: str, *, quiet: bool) -> Iterator[None]:
    """Collect subkit warnings raised inside and print them as ``NAME: warning: ...`` (unless ``quiet``)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SubkitWarning)
        yield
    if not quiet:
        echo_warnings([f"{name}: warning: {item.message}" for item in caught
                       if issubclass(item.category, SubkitWarning)])


def progress_printer(label: str, *, enabled: bool | None = None) -> Callable[[float, float | None], None] | None:
    """A progress callback that rewrites one line on standard error, or ``None`` when stderr is not a terminal."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return None
    last = [0.0]

    def show(done: float, total: float | None) -> None:
        now = time.monotonic()
        if now - last[0] < 0.25:
            return
        last[0] = now
        where = format_clock(round(done * 1000))
        if total:
            line = f"\r{label} {min(100.0, 100 * done / total):5.1f}% ({where} of {format_clock(round(total * 1000))})"
        else:
            line = f"\r{label} {where}"
        click.echo(line, nl=False, err=True)

    return show


def end_progress(callback: Callable[[float, float | None], None] | None) -> None:
    """End the progress line (a transient line: it is cleared)."""
    if callback is not None:
        click.echo("\r\033[K", nl=False, err=True, color=True)


# ---------------------------------------------------------------- many inputs


#: Files of a folder input that are taken for videos, not subtitles (an MP4 text track is read when named).
VIDEO_SUFFIXES = (".mp4", ".m4v", ".mkv", ".mov", ".webm")


def _fill_media_fields(template: str, suffix: str) -> str:
    """``template`` with ``{ext}`` and ``{format}`` set to the media file's (``.png``, ``png``); other fields kept.

    >>> _fill_media_fields("{stem}{ext}", ".png"), _fill_media_fields("{format:>4}/{name}", ".mp4")
    ('{stem}.png', ' mp4/{name}')
    """
    def escape(text: str) -> str:
        return text.replace("{", "{{").replace("}", "}}")

    pieces: list[str] = []
    for literal, field_name, spec, conversion in string.Formatter().parse(template):
        pieces.append(escape(literal))
        if field_name is None:
            continue
        if field_name in ("ext", "format"):
            value = suffix if field_name == "ext" else suffix.lstrip(".")
            pieces.append(escape(format(repr(value) if conversion == "r" else value, spec or "")))
        else:
            pieces.append("{" + field_name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
                          + "}")
    return "".join(pieces)


def plan_media_jobs(
    paths: Sequence[str],
    settings: RunSettings,
    *,
    command: str,
    template: str,
    suffix: str,
    exclude: Iterable[str] = (),
) -> list[Job]:
    """The jobs of a media command over many subtitle inputs: one media file (``suffix``) per subtitle.

    Every path is an input (a folder stands for the subtitle files in it, less
    the ``exclude`` files and the videos: :data:`VIDEO_SUFFIXES`); a last path that is an
    existing folder, when there are several, is where the outputs go, as
    ``--out-dir``. Each output is named by ``--name`` (default ``template``),
    whose ``{ext}`` and ``{format}`` are those of the media file written
    (``.png``, ``.mp4``), beside its input or in ``--out-dir``; outputs that
    would overwrite an input, the ``exclude`` files or each other are refused
    before anything is drawn.

    Raises:
        click.UsageError: no input, standard input among them, a folder without subtitles, a bad template
            or an output collision.
    """
    if not paths:
        raise click.UsageError("give at least one subtitle file")
    if "-" in paths:
        raise click.UsageError("standard input (-) is one input with its own output: give -o OUT")
    keep_last = settings.out_dir is None and len(paths) >= 2 and Path(paths[-1]).is_dir()
    inputs = list(paths[:-1] if keep_last else paths)
    skipped = {Path(path).resolve() for path in exclude}
    expanded: list[str] = []
    for path in inputs:
        if Path(path).is_dir():
            expanded.extend(p for p in expand_inputs([path]) if Path(p).resolve() not in skipped
                            and not p.lower().endswith(VIDEO_SUFFIXES))
        else:
            expanded.append(path)
    if not expanded:
        raise click.UsageError(f"{', '.join(inputs)}: no subtitle file in it, only videos")
    chosen = _fill_media_fields(settings.template or template, suffix)
    saved = settings.template, settings.to_spec
    # The names are those of media files, not of a subtitle format: the fields that depend on one are filled in
    # already, so the input's format is not guessed from its name (inputs are read by their content).
    settings.template, settings.to_spec = chosen, formats.get("ass")
    try:
        return plan_jobs([*expanded, *paths[-1:]] if keep_last else expanded, settings, command=command,
                         template=chosen, also_read=exclude)
    finally:
        settings.template, settings.to_spec = saved


def run_media_jobs(
    jobs: Sequence[Job],
    settings: RunSettings,
    one: Callable[[Job], dict[str, Any]],
    *,
    verb: str,
) -> None:
    """Run ``one`` on every job: a failing file is reported and the others go on; exit with the worst status.

    ``one`` makes the media file of a job and returns its JSON record. With
    one job a failure propagates (the group reports it) and ``--json`` prints
    its record; with several, each done job is announced on stderr and
    ``--json`` prints a list of records, each with ``ok`` (and ``error``).

    Raises:
        SubkitError: the only job failed.
        SubkitIOError: ``--out-dir`` cannot be created.
        click.exceptions.Exit: with status 1 (or 2) when a job failed, 130 when interrupted.
    """
    status = each_job(jobs, settings, one, verb=verb)
    if status != EXIT_OK:
        click.get_current_context().exit(status)
