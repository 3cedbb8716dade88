"""Operations on documents: pure ``Document -> Document`` functions.

Every op takes a :class:`~subkit.model.Document` first and its options as
keywords, validates them (bad ones raise :class:`~subkit.errors.OperationError`),
and returns a new document; the input is never changed (the model is frozen).
Ops that change things count what they did in an optional
:class:`ChangeReport` (``report=``), which the CLI prints.

The names below are imported on first use, so ``import subkit.ops`` stays as
light as ``import subkit``. To add an op, add its row to ``_EXPORTS``, its
name to ``__all__`` and its import to the ``TYPE_CHECKING`` block.

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
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from subkit.ops._report import ChangeReport, counted
    from subkit.ops.clean import clean
    from subkit.ops.exclude import TimeRange, exclude, parse_range
    from subkit.ops.lint import PROFILES, LintProfile, Violation, lint, load_profile
    from subkit.ops.merge import merge, split
    from subkit.ops.replace import Rule, load_rules, replace
    from subkit.ops.retime import convert_fps, retime, scale, shift, snap
    from subkit.ops.segment import Segment, segment
    from subkit.ops.style import StyleSettings, style
    from subkit.ops.sync import SpeechActivity, SyncReport, sync
    from subkit.ops.words import words

#: Public name -> ``"module:attribute"``, imported lazily by :func:`__getattr__`.
_EXPORTS: dict[str, str] = {
    "ChangeReport": "subkit.ops._report:ChangeReport",
    "LintProfile": "subkit.ops.lint:LintProfile",
    "PROFILES": "subkit.ops.lint:PROFILES",
    "Rule": "subkit.ops.replace:Rule",
    "Segment": "subkit.ops.segment:Segment",
    "SpeechActivity": "subkit.ops.sync:SpeechActivity",
    "StyleSettings": "subkit.ops.style:StyleSettings",
    "SyncReport": "subkit.ops.sync:SyncReport",
    "TimeRange": "subkit.ops.exclude:TimeRange",
    "Violation": "subkit.ops.lint:Violation",
    "clean": "subkit.ops.clean:clean",
    "convert_fps": "subkit.ops.retime:convert_fps",
    "counted": "subkit.ops._report:counted",
    "exclude": "subkit.ops.exclude:exclude",
    "lint": "subkit.ops.lint:lint",
    "load_profile": "subkit.ops.lint:load_profile",
    "load_rules": "subkit.ops.replace:load_rules",
    "merge": "subkit.ops.merge:merge",
    "parse_range": "subkit.ops.exclude:parse_range",
    "replace": "subkit.ops.replace:replace",
    "retime": "subkit.ops.retime:retime",
    "scale": "subkit.ops.retime:scale",
    "segment": "subkit.ops.segment:segment",
    "shift": "subkit.ops.retime:shift",
    "snap": "subkit.ops.retime:snap",
    "split": "subkit.ops.merge:split",
    "style": "subkit.ops.style:style",
    "sync": "subkit.ops.sync:sync",
    "words": "subkit.ops.words:words",
}

__all__ = [
    "PROFILES",
    "ChangeReport",
    "LintProfile",
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
    "lint",
    "load_profile",
    "load_rules",
    "merge",
    "parse_range",
    "replace",
    "retime",
    "scale",
    "segment",
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


class _OpsPackage(types.ModuleType):
    """The package's module type: an op's submodule never hides the op function of the same name.

    Importing ``subkit.ops.replace`` (the module) makes Python set the
    package attribute ``replace`` to that module; this refuses it, so that
    ``subkit.ops.replace`` stays the function. The module remains in
    ``sys.modules``: reach its other names with ``from subkit.ops.replace
    import Rule`` (``import subkit.ops.replace as m`` gives the function).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _EXPORTS and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _OpsPackage
