"""What the op commands share: the step object, the two faces of each op, and the step pipeline.

Every op is exposed twice from its module ``subkit/cli/<op>.py``, built from
one option decorator and one builder so the two cannot drift:

* ``<op>_command``: ``subkit <op> IN OUT [options]`` (:func:`op_command`);
* ``<op>_step``: the same options without IN/OUT, whose callback returns an
  :class:`OpStep`, for ``subkit process`` (:func:`op_step`).

A builder validates the options (a bad value is a usage error, raised before
any file is read) and returns the :class:`OpStep` to run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, TypeVar

import click

from subkit.cli._run import (
    READ_WRITE,
    Job,
    Outcome,
    RunSettings,
    Transform,
    io_options,
    pass_settings,
    plan_jobs,
    run_jobs,
)
from subkit.cli._shared import Loaded
from subkit.errors import OperationError
from subkit.formats import FormatSpec
from subkit.model import Document
from subkit.ops import ChangeReport
from subkit.timing import parse_duration

__all__ = [
    "MANY_INPUTS",
    "OpStep",
    "StepResult",
    "apply_steps",
    "op_command",
    "op_step",
    "parse_ms",
    "parse_offset",
    "pipeline",
    "usage_errors",
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


def pipeline(steps: Sequence[Callable[[Document], Document]]) -> Transform:
    """The :data:`~subkit.cli._run.Transform` that runs ``steps`` on the one input and reports each step."""

    def transform(job: Job, loaded: Sequence[Loaded], specs: Sequence[FormatSpec]) -> Outcome:
        doc, results = apply_steps(loaded[0].doc, steps)
        return Outcome([doc], lines=[result.line() for result in results],
                       record={"steps": [result.record() for result in results]})

    return transform


def op_command(
    name: str,
    options: Decorator,
    build: Callable[..., OpStep],
    help: str,
    *,
    cls: type[click.Command] = click.Command,
) -> click.Command:
    """The standalone ``subkit <name> IN... [OUT] [options]`` command (many inputs: see :func:`plan_jobs`)."""
    checked = usage_errors(build)

    @pass_settings
    def callback(settings: RunSettings, /, paths: tuple[str, ...], **params: Any) -> None:
        step = checked(**params)
        jobs = plan_jobs(paths, settings, command=name)
        run_jobs(jobs, settings, pipeline([step]))

    function = io_options(*READ_WRITE)(options(callback))
    function = click.argument("paths", nargs=-1, required=True, metavar="IN... [OUT]")(function)
    return click.command(name, cls=cls, help=help + MANY_INPUTS, context_settings=_CONTEXT)(function)


#: The help paragraph of the commands that take many inputs.
MANY_INPUTS = """

\b
Inputs: IN OUT reads one file and writes one. Give one IN, several, or a
folder (its subtitle files) to write each result beside its input as
IN.COMMAND.EXT (ep1.srt -> ep1.clean.srt), or into --out-dir DIR (a last
path that is a folder works the same); --name TEMPLATE changes the names
('{relpath}.clean{ext}'); --recursive takes subfolders too. An existing
OUT with IN's extension is refused without --force (it may be an input).
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
