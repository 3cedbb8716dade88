"""Delivery QC: a registry of rules, profiles that implement delivery specs, checks, fixes and reports.

A :class:`Rule` has an id, a description, a severity, parameters and, where a
safe repair exists, a fix. A :class:`Profile` (built-in ones: Netflix per
language with children's and SDH variants, BBC, FCC/CEA-608, EBU-TT-D, IMSC1,
and subkit's default/children/relaxed) switches rules on with parameters.
:func:`check` returns a :class:`QCReport`; :func:`fix` repairs what can be
repaired. Frame-based limits use :func:`resolve_fps`, which ``clean`` uses too.

>>> import subkit
>>> doc = subkit.loads("1\\n00:00:01,000 --> 00:00:02,000\\nOne  fine line...\\n")
>>> [f.rule for f in check(doc, "netflix-en").findings]
['ellipsis', 'whitespace']
>>> fixed, changes = fix(doc, "netflix-en")
>>> fixed.cues[0].text, changes
('One fine line…', {'ellipsis': 1, 'whitespace': 1})
"""

from subkit.qc._core import DEFAULT_FPS, Context, Finding, Rule, Span, parse_span
from subkit.qc._engine import QCReport, check, fix, resolve_fps
from subkit.qc._profiles import Profile, load_profile, profile_names
from subkit.qc._report import report_csv, report_html, report_text, summary_line
from subkit.qc._rules import GLYPH_SETS, RULES, fix_timing
from subkit.qc._shots import format_shot_changes, parse_shot_changes, read_shot_changes

__all__ = [
    "DEFAULT_FPS",
    "GLYPH_SETS",
    "RULES",
    "Context",
    "Finding",
    "Profile",
    "QCReport",
    "Rule",
    "Span",
    "check",
    "fix",
    "fix_timing",
    "format_shot_changes",
    "load_profile",
    "parse_shot_changes",
    "parse_span",
    "profile_names",
    "read_shot_changes",
    "report_csv",
    "report_html",
    "report_text",
    "resolve_fps",
    "summary_line",
]
