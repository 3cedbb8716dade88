"""Operations on documents: pure ``Document -> Document`` functions.

Every op takes a :class:`~subkit.model.Document` first and its options as
keywords, validates them (bad ones raise :class:`~subkit.errors.OperationError`),
and returns a new document; the input is never changed (the model is frozen).
Ops that change things count what they did in an optional
:class:`ChangeReport` (``report=``), which the CLI prints.

The implementation modules are private (``subkit.ops._replace``...); the
names below are this package's public face. They are imported on first use,
so ``import subkit.ops`` stays as light as ``import subkit``. To add an op,
add its row to ``_EXPORTS``, its name to ``__all__`` and its import to the
``TYPE_CHECKING`` block (``tests/ops/test_ops_package.py`` checks the three agree).

>>> import subkit, subkit.ops
>>> doc = subkit.loads("1\\n00:00:01,000 --> 00:00:02,000\\num, hello\\n", format="srt")
>>> report = subkit.ops.ChangeReport()
>>> subkit.ops.replace(doc, [{"find": "um,", "replace": ""}], report=report).cues[0].plain_text()
'hello'
>>> report.total
1
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from subkit.ops._clean import clean, fix_names
    from subkit.ops._exclude import MODES as EXCLUDE_MODES
    from subkit.ops._exclude import TimeRange, exclude, parse_range
    from subkit.ops._lint import PROFILES, LintProfile, Violation, lint, load_profile
    from subkit.ops._merge import LAYOUTS, SPLIT_MODES, merge, split
    from subkit.ops._ranges import merge_ranges
    from subkit.ops._replace import Rule, load_rules, replace
    from subkit.ops._report import ChangeReport, counted
    from subkit.ops._retime import convert_fps, parse_rate, retime, scale, shift, snap
    from subkit.ops._segment import (
        DEFAULT_MPEGTS,
        PLAYLIST_NAME,
        SEGMENT_NAME,
        Package,
        PackageFile,
        Segment,
        join_tracks,
        package,
        playlist,
        segment,
        segment_text,
    )
    from subkit.ops._style import style
    from subkit.ops._style_settings import ALIGNMENTS, POSITIONS, STYLES, StyleSettings
    from subkit.ops._sync import DEFAULT_MIN_CONFIDENCE, SpeechActivity, SyncReport, parse_ratio, sync
    from subkit.ops._words import ESTIMATES, words

#: Public name -> ``"module:attribute"``, imported lazily by :func:`__getattr__`.
_EXPORTS: dict[str, str] = {
    "ALIGNMENTS": "subkit.ops._style_settings:ALIGNMENTS",
    "ChangeReport": "subkit.ops._report:ChangeReport",
    "DEFAULT_MIN_CONFIDENCE": "subkit.ops._sync:DEFAULT_MIN_CONFIDENCE",
    "DEFAULT_MPEGTS": "subkit.ops._segment:DEFAULT_MPEGTS",
    "ESTIMATES": "subkit.ops._words:ESTIMATES",
    "EXCLUDE_MODES": "subkit.ops._exclude:MODES",
    "LAYOUTS": "subkit.ops._merge:LAYOUTS",
    "LintProfile": "subkit.ops._lint:LintProfile",
    "PLAYLIST_NAME": "subkit.ops._segment:PLAYLIST_NAME",
    "POSITIONS": "subkit.ops._style_settings:POSITIONS",
    "PROFILES": "subkit.ops._lint:PROFILES",
    "Rule": "subkit.ops._replace:Rule",
    "SEGMENT_NAME": "subkit.ops._segment:SEGMENT_NAME",
    "SPLIT_MODES": "subkit.ops._merge:SPLIT_MODES",
    "STYLES": "subkit.ops._style_settings:STYLES",
    "Package": "subkit.ops._segment:Package",
    "PackageFile": "subkit.ops._segment:PackageFile",
    "Segment": "subkit.ops._segment:Segment",
    "SpeechActivity": "subkit.ops._sync:SpeechActivity",
    "StyleSettings": "subkit.ops._style_settings:StyleSettings",
    "SyncReport": "subkit.ops._sync:SyncReport",
    "TimeRange": "subkit.ops._exclude:TimeRange",
    "Violation": "subkit.ops._lint:Violation",
    "clean": "subkit.ops._clean:clean",
    "convert_fps": "subkit.ops._retime:convert_fps",
    "counted": "subkit.ops._report:counted",
    "exclude": "subkit.ops._exclude:exclude",
    "fix_names": "subkit.ops._clean:fix_names",
    "lint": "subkit.ops._lint:lint",
    "load_profile": "subkit.ops._lint:load_profile",
    "load_rules": "subkit.ops._replace:load_rules",
    "merge": "subkit.ops._merge:merge",
    "merge_ranges": "subkit.ops._ranges:merge_ranges",
    "join_tracks": "subkit.ops._segment:join_tracks",
    "package": "subkit.ops._segment:package",
    "parse_range": "subkit.ops._exclude:parse_range",
    "parse_rate": "subkit.ops._retime:parse_rate",
    "parse_ratio": "subkit.ops._sync:parse_ratio",
    "playlist": "subkit.ops._segment:playlist",
    "replace": "subkit.ops._replace:replace",
    "retime": "subkit.ops._retime:retime",
    "scale": "subkit.ops._retime:scale",
    "segment": "subkit.ops._segment:segment",
    "segment_text": "subkit.ops._segment:segment_text",
    "shift": "subkit.ops._retime:shift",
    "snap": "subkit.ops._retime:snap",
    "split": "subkit.ops._merge:split",
    "style": "subkit.ops._style:style",
    "sync": "subkit.ops._sync:sync",
    "words": "subkit.ops._words:words",
}

__all__ = [
    "ALIGNMENTS",
    "DEFAULT_MIN_CONFIDENCE",
    "DEFAULT_MPEGTS",
    "ESTIMATES",
    "EXCLUDE_MODES",
    "LAYOUTS",
    "PLAYLIST_NAME",
    "POSITIONS",
    "PROFILES",
    "SEGMENT_NAME",
    "SPLIT_MODES",
    "STYLES",
    "ChangeReport",
    "LintProfile",
    "Package",
    "PackageFile",
    "Rule",
    "Segment",
    "SpeechActivity",
    "StyleSettings",
    "SyncReport",
    "TimeRange",
    "Violation",
    "clean",
    "convert_fps",
    "counted",
    "exclude",
    "fix_names",
    "join_tracks",
    "lint",
    "load_profile",
    "load_rules",
    "merge",
    "merge_ranges",
    "package",
    "parse_range",
    "parse_rate",
    "parse_ratio",
    "playlist",
    "replace",
    "retime",
    "scale",
    "segment",
    "segment_text",
    "shift",
    "snap",
    "split",
    "style",
    "sync",
    "words",
]


def __getattr__(name: str) -> Any:
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'subkit.ops' has no attribute {name!r}")
    module_name, _, attribute = target.partition(":")
    value = getattr(importlib.import_module(module_name), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(_EXPORTS)
