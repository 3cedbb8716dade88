"""Running a profile: the frame rate every frame-based rule shares, the checks, the fixes."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from subkit.errors import OperationError
from subkit.model import Document
from subkit.qc._core import DEFAULT_FPS, Context, Finding
from subkit.qc._profiles import Profile, load_profile
from subkit.qc._rules import RULES, TIMING_RULES
from subkit.timing import parse_fps

__all__ = ["QCReport", "check", "fix", "resolve_fps"]

ProfileSource = str | Path | Mapping[str, Any] | Profile | None


def resolve_fps(doc: Document, profile: Profile | None = None, fps: Any = None) -> tuple[Fraction, str]:
    """The frame rate for frame-based limits, and where it came from.

    The caller's ``fps`` wins, then the document's own frame rate, then the
    profile's, and last 23.976 (said as ``assumed``). ``clean`` and ``lint``
    both use this, so a gap ``clean`` widens to 2 frames is 2 frames to ``lint``.

    Raises:
        OperationError: ``fps`` is not a frame rate.
    """
    if fps is not None:
        try:
            return parse_fps(fps), "option"
        except (ValueError, TypeError) as exc:
            raise OperationError(str(exc)) from None
    if doc.frame_rate is not None:
        return doc.frame_rate, "document"
    if profile is not None and profile.fps is not None:
        return profile.fps, "profile"
    return DEFAULT_FPS, "assumed"


@dataclass(frozen=True, slots=True, kw_only=True)
class QCReport:
    """What a check found.

    Attributes:
        findings: every finding, by cue then in registry order (document-level ones first).
        profile: the profile that ran.
        fps: the frame rate the frame-based rules used; fps_source: where it came from.
        cues: how many cues the document has; duration_ms: where the last one ends.
        shot_changes: how many shot changes were given (``None``: none were).
        shot_times: their times in ms.
    """

    findings: tuple[Finding, ...]
    profile: Profile
    fps: Fraction
    fps_source: str
    cues: int
    duration_ms: int
    shot_changes: int | None = None
    shot_times: tuple[int, ...] = ()

    @property
    def failed(self) -> bool:
        """Whether anything worse than ``info`` was found."""
        return any(f.severity != "info" for f in self.findings)

    def counts(self) -> dict[str, int]:
        """Findings per rule, in registry order."""
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.rule] = counts.get(finding.rule, 0) + 1
        return {rule: counts[rule] for rule in RULES if rule in counts}

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON."""
        return {
            "profile": self.profile.to_dict(),
            "fps": str(self.fps), "fps_source": self.fps_source,
            "cues": self.cues, "duration_ms": self.duration_ms, "shot_changes": self.shot_changes,
            "count": len(self.findings), "counts": self.counts(),
            "findings": [finding.to_dict() for finding in self.findings],
        }


def _context(doc: Document, profile: Profile, fps: Any, shot_changes: Sequence[int] | None) -> Context:
    rate, source = resolve_fps(doc, profile, fps)
    shots = sorted(shot_changes) if shot_changes is not None else None
    return Context(doc, rate, source, shots, profile.language or doc.language, profile.rules)


def check(
    doc: Document,
    profile: ProfileSource = None,
    *,
    fps: Any = None,
    shot_changes: Sequence[int] | None = None,
) -> QCReport:
    """Check ``doc`` against ``profile`` (default ``"default"``).

    Args:
        doc: the document.
        profile: a profile (see :func:`load_profile`).
        fps: the programme's frame rate, when the file does not carry it.
        shot_changes: shot-change times in ms (from :func:`read_shot_changes` or a video).

    Raises:
        OperationError: a bad profile or frame rate.

    >>> import subkit
    >>> doc = subkit.loads("1\\n00:00:01,000 --> 00:00:01,500\\nA rather long line of text for half a second\\n")
    >>> [f.rule for f in check(doc).findings]
    ['min-duration', 'cps', 'cpl']
    """
    resolved = load_profile(profile)
    ctx = _context(doc, resolved, fps, shot_changes)
    findings: list[Finding] = []
    for rule_id, rule in RULES.items():
        params = resolved.rules.get(rule_id)
        if params is None:
            continue
        severity = resolved.severities.get(rule_id)
        for finding in rule.check(ctx, params):
            findings.append(dataclasses.replace(finding, severity=severity) if severity else finding)
    order = {rule: n for n, rule in enumerate(RULES)}
    findings.sort(key=lambda f: (-1 if f.cue is None else f.cue, order[f.rule], f.line or 0))
    return QCReport(findings=tuple(findings), profile=resolved, fps=ctx.fps, fps_source=ctx.fps_source,
                    cues=len(doc.cues), duration_ms=doc.duration_ms,
                    shot_changes=len(shot_changes) if shot_changes is not None else None,
                    shot_times=tuple(sorted(shot_changes or ())))


def fix(
    doc: Document,
    profile: ProfileSource = None,
    *,
    fps: Any = None,
    shot_changes: Sequence[int] | None = None,
) -> tuple[Document, dict[str, int]]:
    """Apply the fix of every active rule that has one, until nothing changes.

    Fixes run in registry order (timing, layout, text), and the whole round is
    repeated until the document stops changing, so fixing a fixed document
    changes nothing. What no fix can repair is left for :func:`check` to report.

    Returns:
        The fixed document and, per rule, how many cues its fix changed (the duration, gap
        and overlap rules share one repair, counted under ``timing``).

    Raises:
        OperationError: a bad profile or frame rate.
    """
    resolved = load_profile(profile)
    changed: dict[str, int] = {}
    current = doc
    for _ in range(6):
        before = current
        done: set[int] = set()
        for rule_id, rule in RULES.items():
            params = resolved.rules.get(rule_id)
            if params is None or rule.fix is None or id(rule.fix) in done:
                continue
            done.add(id(rule.fix))
            ctx = _context(current, resolved, fps, shot_changes)
            result = rule.fix(ctx, params)
            if result is not current:
                count = _differences(current, result)
                if count:
                    # The duration, gap and overlap rules share one repair, counted once as "timing".
                    key = "timing" if rule_id in TIMING_RULES else rule_id
                    changed[key] = changed.get(key, 0) + count
                    current = result
        if current is before or current.cues == before.cues:
            break
    return current, changed


def _differences(old: Document, new: Document) -> int:
    if len(old.cues) != len(new.cues):
        return abs(len(old.cues) - len(new.cues))
    return sum(1 for a, b in zip(old.cues, new.cues, strict=True) if a != b)
