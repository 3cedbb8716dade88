"""What the media commands share: reading a subtitle input, showing render warnings, progress, times.

The library reports what drawing as ASS loses and which fonts are missing as
Python warnings (:class:`~subkit.errors.LossyConversionWarning`,
:class:`subkit.media.FontWarning`); :func:`shown_warnings` turns them into
``IN: warning: ...`` lines on standard error, the way ``convert`` prints losses.
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from subkit.cli._shared import echo_warnings
from subkit.errors import SubkitWarning
from subkit.timing import format_clock, parse_clock

__all__ = ["ClockType", "RangeType", "progress_printer", "shown_warnings"]

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
