"""The pieces every QC rule shares: spans in ms or frames, the check context, findings and the rule type."""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

from subkit.errors import OperationError
from subkit.model import Cue, Document
from subkit.timing import format_clock, parse_duration, round_half_up

__all__ = ["DEFAULT_FPS", "Check", "Context", "Finding", "Fix", "Rule", "Severity", "Span", "parse_span"]

Severity = Literal["error", "warning", "info"]

#: The frame rate assumed when neither the command line, the document nor the profile gives one.
DEFAULT_FPS = Fraction(24000, 1001)

_FRAMES = re.compile(r"^\s*(\d+)\s*f\s*$", re.IGNORECASE)
_FRACTION_SECONDS = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*s\s*$")


@dataclass(frozen=True, slots=True)
class Span:
    """A length of time as a profile states it: milliseconds, or frames at the programme's frame rate.

    Frame spans are compared in whole frames (a time is rounded to the nearest
    frame), so that a gap written by a fix as :meth:`ms` always passes the check.
    """

    amount: int
    unit: Literal["ms", "f"] = "ms"

    def ms(self, fps: Fraction) -> int:
        """The span in milliseconds (frames rounded up, so that a fix never falls short)."""
        if self.unit == "ms":
            return self.amount
        exact = Fraction(self.amount * 1000) / fps
        return -((-exact.numerator) // exact.denominator)

    def frames(self, ms: int, fps: Fraction) -> int:
        """``ms`` as whole frames at ``fps`` (nearest, halves up), in integer arithmetic."""
        scale = 1000 * fps.denominator
        return (2 * ms * fps.numerator + scale) // (2 * scale)

    def shorter(self, ms: int, fps: Fraction) -> bool:
        """Whether ``ms`` is less than this span (in whole frames for frame spans)."""
        if self.unit == "ms":
            return ms < self.amount
        return self.frames(ms, fps) < self.amount

    def __str__(self) -> str:
        return f"{self.amount} frames" if self.unit == "f" else f"{self.amount} ms"


def parse_span(value: Any, *, name: str = "value") -> Span:
    """A :class:`Span` from a profile value: ``"2f"``, ``"833ms"``, ``"0.5s"``, ``"5/6s"``, or an int of ms.

    Raises:
        OperationError: not a length of time.

    >>> parse_span("2f"), parse_span("5/6s"), parse_span(1500)
    (Span(amount=2, unit='f'), Span(amount=833, unit='ms'), Span(amount=1500, unit='ms'))
    """
    if isinstance(value, Span):
        return value
    if isinstance(value, bool) or value is None:
        raise OperationError(f"{name}: not a length of time: {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise OperationError(f"{name}: must not be negative, got {value!r}")
        return Span(value)
    if isinstance(value, float):
        return parse_span(f"{value}s", name=name)
    text = str(value)
    frames = _FRAMES.match(text)
    if frames:
        return Span(int(frames.group(1)), "f")
    fraction = _FRACTION_SECONDS.match(text)
    if fraction:
        if int(fraction.group(2)) == 0:
            raise OperationError(f"{name}: division by zero in {text!r}")
        return Span(round_half_up(Fraction(int(fraction.group(1)) * 1000, int(fraction.group(2)))))
    try:
        ms = parse_duration(text)
    except ValueError:
        raise OperationError(f"{name}: not a length of time: {text!r} (try 2f, 833ms, 0.5s or 5/6s)") from None
    if ms < 0:
        raise OperationError(f"{name}: must not be negative, got {text!r}")
    return Span(ms)


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One broken rule.

    Attributes:
        rule: the rule's id.
        cue: index of the cue in the document (0-based); ``None`` for the whole document.
        start_ms, end_ms: the cue's times (the instant concerned for document-level findings).
        value: the measured value (characters per second, characters, ms, frames...).
        limit: the limit it broke.
        message: a sentence for people.
        severity: ``error``, ``warning`` or ``info``.
        line: the 1-based line of the cue, for line rules.
        fixable: whether the rule has an automatic fix that may repair it.
    """

    rule: str
    cue: int | None
    start_ms: int
    end_ms: int
    value: float
    limit: float
    message: str
    severity: Severity = "error"
    line: int | None = None
    fixable: bool = False

    def __str__(self) -> str:
        where = "document" if self.cue is None else f"cue {self.cue + 1}"
        return f"{where} ({format_clock(self.start_ms)} --> {format_clock(self.end_ms)}): {self.rule}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON object: the fields, plus the times as clock strings."""
        record = dataclasses.asdict(self)
        record["start"] = format_clock(self.start_ms)
        record["end"] = format_clock(self.end_ms)
        return record


@dataclass(slots=True)
class Context:
    """What a rule looks at besides its parameters.

    Attributes:
        doc: the document.
        fps: the programme's frame rate (from the caller, the document or the profile).
        fps_source: where ``fps`` came from (``option``, ``document``, ``profile`` or ``assumed``).
        shot_changes: shot-change times in ms, sorted; ``None`` when none were given.
        language: the profile's or document's language.
        active: the parameters of every rule the check runs, by rule id (fixes that work
            together, such as the timing rules, read each other's).
    """

    doc: Document
    fps: Fraction = DEFAULT_FPS
    fps_source: str = "assumed"
    shot_changes: list[int] | None = None
    language: str | None = None
    active: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    _order: list[int] | None = field(default=None, repr=False)
    _texts: list[str] | None = field(default=None, repr=False)

    def text(self, index: int) -> str:
        """The plain text of cue ``index`` (computed once per check)."""
        if self._texts is None:
            self._texts = [cue.plain_text() for cue in self.doc.cues]
        return self._texts[index]

    @property
    def cues(self) -> tuple[Cue, ...]:
        """The document's cues."""
        return self.doc.cues

    def time_order(self) -> list[int]:
        """Indexes of the shown cues (comments left out), by start then end."""
        if self._order is None:
            cues = self.doc.cues
            self._order = sorted((i for i, c in enumerate(cues) if not c.comment),
                                 key=lambda i: (cues[i].start_ms, cues[i].end_ms))
        return self._order

    def neighbours(self) -> Iterator[tuple[int, int]]:
        """Consecutive pairs ``(earlier, later)`` of shown cues on the same layer, in time order."""
        last: dict[int, int] = {}
        for index in self.time_order():
            layer = self.doc.cues[index].placement.layer
            if layer in last:
                yield last[layer], index
            last[layer] = index

    def nearest_shot(self, ms: int) -> int | None:
        """The shot change closest to ``ms``."""
        shots = self.shot_changes
        if not shots:
            return None
        at = bisect.bisect_left(shots, ms)
        near = [shots[i] for i in (at - 1, at) if 0 <= i < len(shots)]
        return min(near, key=lambda s: abs(s - ms))

    def finding(self, rule: Rule, index: int | None, value: float, limit: float, message: str,
                *, line: int | None = None, at_ms: int = 0) -> Finding:
        """A :class:`Finding` of ``rule`` for cue ``index`` (or the document when ``None``)."""
        if index is None:
            start = end = at_ms
        else:
            cue = self.doc.cues[index]
            start, end = cue.start_ms, cue.end_ms
        return Finding(rule=rule.id, cue=index, start_ms=start, end_ms=end, value=value, limit=limit,
                       message=message, severity=rule.severity, line=line, fixable=rule.fix is not None)


#: ``check(context, params) -> findings``.
Check = Callable[[Context, Mapping[str, Any]], Iterator[Finding]]
#: ``fix(context, params) -> document``: returns the repaired document (the same object when nothing changed).
Fix = Callable[[Context, Mapping[str, Any]], Document]


@dataclass(frozen=True, slots=True)
class Rule:
    """One QC rule of the registry.

    Attributes:
        id: the stable identifier (``min-gap``, ``cps``...), used in profiles, ``--rules`` and reports.
        description: one line for ``--list-rules``.
        severity: how bad a finding is by default.
        category: ``timing``, ``layout``, ``text``, ``cea608`` or ``imsc``.
        params: the parameters and their defaults (a profile overrides them).
        check: finds the violations.
        fix: repairs them, where a safe repair exists; idempotent.
    """

    id: str
    description: str
    severity: Severity
    category: str
    params: Mapping[str, Any]
    check: Check
    fix: Fix | None = None
