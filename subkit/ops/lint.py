"""Lint: check cues against readability rules and list every violation (the document is not changed).

Rules, each with a limit in a :class:`LintProfile` (``None`` switches it off):

========== ==================================================================
rule       a cue violates it when
========== ==================================================================
cps        its characters per second exceed ``max_cps`` (all characters but
           line breaks, over its duration)
cpl        one of its lines is longer than ``max_cpl`` characters
lines      it has more than ``max_lines`` lines
duration   it is shorter than ``min_duration_ms`` or longer than ``max_duration_ms``
gap        it starts less than ``min_gap_ms`` after the previous cue (in time
           order) ends, without overlapping it
overlap    it starts before the previous cue (in time order, same layer) ends
========== ==================================================================

>>> import subkit
>>> doc = subkit.loads("1\\n00:00:01,000 --> 00:00:01,500\\nA rather long line of text for half a second\\n")
>>> [v.rule for v in lint(doc)]
['cps', 'cpl', 'duration']
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from subkit.errors import OperationError
from subkit.model import Document
from subkit.timing import format_clock

__all__ = ["PROFILES", "RULES", "LintProfile", "Violation", "lint", "load_profile"]

#: Every rule, in the order violations of one cue are listed.
RULES = ("cps", "cpl", "lines", "duration", "gap", "overlap")


@dataclass(frozen=True, slots=True, kw_only=True)
class LintProfile:
    """Limits for :func:`lint`; ``None`` switches a rule off.

    Attributes:
        name: what the profile is called in messages.
        max_cps: characters per second.
        max_cpl: characters per line.
        max_lines: lines per cue.
        min_duration_ms, max_duration_ms: time on screen.
        min_gap_ms: time between consecutive cues.
        overlaps: whether overlapping cues are reported.
    """

    name: str = "custom"
    max_cps: float | None = 20.0
    max_cpl: int | None = 42
    max_lines: int | None = 2
    min_duration_ms: int | None = 833
    max_duration_ms: int | None = 7000
    min_gap_ms: int | None = 83
    overlaps: bool = True

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name in ("name", "overlaps") or value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise OperationError(f"lint profile {self.name!r}: {f.name} must be a number >= 0 or null")
        if not isinstance(self.overlaps, bool):
            raise OperationError(f"lint profile {self.name!r}: overlaps must be true or false")
        if (self.min_duration_ms is not None and self.max_duration_ms is not None
                and self.min_duration_ms > self.max_duration_ms):
            raise OperationError(f"lint profile {self.name!r}: min_duration_ms is above max_duration_ms")

    def to_dict(self) -> dict[str, Any]:
        """The profile as a JSON object (the shape :func:`load_profile` reads)."""
        return dataclasses.asdict(self)


#: The built-in profiles. ``default`` uses numbers close to Netflix's English
#: guidelines for adult programmes (20 cps, 42 characters, 2 lines, 5/6 s to
#: 7 s, 2 frames at 24 fps between cues); ``children`` lowers the reading speed
#: to 17 cps; ``relaxed`` suits machine transcripts and fan subtitles.
PROFILES: dict[str, LintProfile] = {
    "default": LintProfile(name="default"),
    "children": LintProfile(name="children", max_cps=17.0, min_duration_ms=1500),
    "relaxed": LintProfile(name="relaxed", max_cps=25.0, max_cpl=50, max_lines=3, min_duration_ms=500,
                           max_duration_ms=10000, min_gap_ms=None, overlaps=True),
}


def load_profile(source: str | Path | Mapping[str, Any] | LintProfile | None = None) -> LintProfile:
    """A profile by built-in name, from a JSON file, or from a mapping.

    A JSON profile may name a built-in one to start from with ``"extends"``
    (default ``"default"``) and override any limit; ``null`` switches a rule off:
    ``{"extends": "relaxed", "max_cpl": 37, "min_gap_ms": null}``.

    Raises:
        OperationError: an unknown name, an unreadable file, or unknown keys or bad values.

    >>> load_profile({"max_cpl": 37}).max_cpl, load_profile("relaxed").max_lines
    (37, 3)
    """
    if source is None:
        return PROFILES["default"]
    if isinstance(source, LintProfile):
        return source
    data: Any = source
    name = "custom"
    if isinstance(source, (str, Path)):
        text = str(source)
        if text in PROFILES:
            return PROFILES[text]
        path = Path(source)
        if not path.is_file():
            raise OperationError(
                f"unknown lint profile {text!r}: not a built-in one ({', '.join(PROFILES)}) nor a JSON file"
            )
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise OperationError(f"{text}: cannot read the profile: {exc.strerror or exc}") from None
        except ValueError as exc:
            raise OperationError(f"{text}: not JSON: {exc}") from None
        name = path.stem
    if not isinstance(data, Mapping):
        raise OperationError("a lint profile must be a JSON object")
    values = dict(data)
    base_name = values.pop("extends", "default")
    if base_name not in PROFILES:
        raise OperationError(f"lint profile extends unknown profile {base_name!r} (known: {', '.join(PROFILES)})")
    known = {f.name for f in dataclasses.fields(LintProfile)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise OperationError(
            f"unknown key(s) in lint profile: {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        )
    values.setdefault("name", name)
    return dataclasses.replace(PROFILES[base_name], **values)


@dataclass(frozen=True, slots=True, kw_only=True)
class Violation:
    """One broken rule.

    Attributes:
        rule: the rule's name (see :data:`RULES`).
        cue: index of the cue in the document (0-based).
        start_ms, end_ms: the cue's times.
        value: the measured value (characters per second, characters, lines, ms).
        limit: the profile's limit it broke.
        message: a sentence for people.
        line: for ``cpl``, the 1-based line of the cue.
    """

    rule: str
    cue: int
    start_ms: int
    end_ms: int
    value: float
    limit: float
    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"cue {self.cue + 1} ({format_clock(self.start_ms)} --> {format_clock(self.end_ms)}): {self.rule}: " \
               f"{self.message}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON object: the fields, plus the times as clock strings."""
        record = dataclasses.asdict(self)
        record["start"] = format_clock(self.start_ms)
        record["end"] = format_clock(self.end_ms)
        return record


def _number(value: float) -> str:
    return f"{value:.1f}" if isinstance(value, float) and not value.is_integer() else f"{value:g}"


def lint(doc: Document, profile: str | Path | Mapping[str, Any] | LintProfile | None = None) -> list[Violation]:
    """Check every cue (comment cues excepted) against ``profile`` (default: ``"default"``).

    Returns:
        The violations, by cue then by rule; empty when the document is clean.

    Raises:
        OperationError: a bad profile.
    """
    rules = load_profile(profile)
    found: list[Violation] = []

    def add(rule: str, index: int, value: float, limit: float, message: str, line: int | None = None) -> None:
        cue = doc.cues[index]
        found.append(Violation(rule=rule, cue=index, start_ms=cue.start_ms, end_ms=cue.end_ms,
                               value=value, limit=limit, message=message, line=line))

    for index, cue in enumerate(doc.cues):
        if cue.comment:
            continue
        lines = cue.plain_text().split("\n")
        characters = sum(len(line) for line in lines)
        if rules.max_cps is not None and characters:
            seconds = cue.duration_ms / 1000
            cps = characters / seconds if seconds > 0 else float("inf")
            if cps > rules.max_cps:
                add("cps", index, round(cps, 2), rules.max_cps,
                    f"{_number(round(cps, 1))} characters per second (limit {_number(rules.max_cps)})")
        if rules.max_cpl is not None:
            for number, line in enumerate(lines, 1):
                if len(line) > rules.max_cpl:
                    add("cpl", index, len(line), rules.max_cpl,
                        f"line {number} has {len(line)} characters (limit {rules.max_cpl})", line=number)
        if rules.max_lines is not None and len(lines) > rules.max_lines:
            add("lines", index, len(lines), rules.max_lines, f"{len(lines)} lines (limit {rules.max_lines})")
        if rules.min_duration_ms is not None and cue.duration_ms < rules.min_duration_ms:
            add("duration", index, cue.duration_ms, rules.min_duration_ms,
                f"on screen {cue.duration_ms} ms (minimum {rules.min_duration_ms} ms)")
        elif rules.max_duration_ms is not None and cue.duration_ms > rules.max_duration_ms:
            add("duration", index, cue.duration_ms, rules.max_duration_ms,
                f"on screen {cue.duration_ms} ms (maximum {rules.max_duration_ms} ms)")
    if rules.min_gap_ms is not None or rules.overlaps:
        order = sorted((i for i, c in enumerate(doc.cues) if not c.comment),
                       key=lambda i: (doc.cues[i].start_ms, doc.cues[i].end_ms))
        last_end: dict[int, int] = {}
        for index in order:
            cue = doc.cues[index]
            layer = cue.placement.layer
            previous = last_end.get(layer)
            if previous is not None:
                if cue.start_ms < previous and rules.overlaps:
                    add("overlap", index, previous - cue.start_ms, 0,
                        f"starts {previous - cue.start_ms} ms before the previous cue ends")
                elif rules.min_gap_ms is not None and 0 < cue.start_ms - previous < rules.min_gap_ms:
                    gap = cue.start_ms - previous
                    add("gap", index, gap, rules.min_gap_ms,
                        f"{gap} ms after the previous cue (minimum {rules.min_gap_ms} ms)")
            last_end[layer] = max(previous if previous is not None else cue.end_ms, cue.end_ms)
    order_of = {rule: n for n, rule in enumerate(RULES)}
    found.sort(key=lambda v: (v.cue, order_of[v.rule]))
    return found
