"""Lint: check cues against a QC profile and list every finding (the document is not changed).

This is the op face of :mod:`subkit.qc`: :func:`lint` runs a profile's rules
and returns their findings (:class:`Violation` is :class:`subkit.qc.Finding`).
The rules, the profiles (Netflix per language, BBC, FCC/CEA-608, EBU-TT-D,
IMSC1, and the default/children/relaxed ones) and the fixes live there; see
``subkit lint --list-rules`` and ``--list-profiles``.

>>> import subkit
>>> doc = subkit.loads("1\\n00:00:01,000 --> 00:00:01,500\\nA rather long line of text for half a second\\n")
>>> [v.rule for v in lint(doc)]
['min-duration', 'cps', 'cpl']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from subkit.model import Document
from subkit.qc import RULES, Finding, Profile, check, load_profile, profile_names

__all__ = ["PROFILES", "RULES", "LintProfile", "Violation", "lint", "load_profile"]

#: A finding of :func:`lint`.
Violation = Finding
#: A lint profile.
LintProfile = Profile
#: The names of the built-in profiles.
PROFILES: tuple[str, ...] = tuple(profile_names())


def lint(
    doc: Document,
    profile: str | Path | Mapping[str, Any] | Profile | None = None,
    *,
    fps: Any = None,
    shot_changes: Sequence[int] | None = None,
) -> list[Violation]:
    """Check every shown cue against ``profile`` (default: ``"default"``).

    Args:
        doc: the document.
        profile: a built-in name, a JSON file, a mapping or a :class:`~subkit.qc.Profile`.
        fps: the programme's frame rate when the file does not carry it.
        shot_changes: shot-change times in ms, for the shot-change rule.

    Returns:
        The findings, by cue then by rule; empty when the document is clean.

    Raises:
        OperationError: a bad profile or frame rate.
    """
    return list(check(doc, profile, fps=fps, shot_changes=shot_changes).findings)
