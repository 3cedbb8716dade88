"""The format table: one :class:`FormatSpec` row per format, implementations imported lazily.

To add a format: write ``subkit/formats/<name>.py`` following the contract in
:mod:`subkit.formats._base`, add a row here, a fixtures folder
``fixtures/<name>/``, tests ``tests/formats/test_<name>.py`` (with a
round-trip property) and a page ``docs/formats/<name>.md``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

__all__ = ["FORMATS", "FormatSpec"]


@dataclass(frozen=True, slots=True)
class FormatSpec:
    """One registered format.

    Attributes:
        name: the identifier (registry key, module name, ``--from``/``--to`` value).
        title: a human name.
        module: dotted module path of the implementation.
        extensions: file extensions, lowercase with the dot, preferred first.
        aliases: other names accepted for it.
        binary: whether the reader takes bytes rather than text.
        can_read, can_write: which directions are implemented.
    """

    name: str
    title: str
    module: str
    extensions: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    binary: bool = False
    can_read: bool = True
    can_write: bool = True

    def load(self) -> ModuleType:
        """Import and return the implementation module."""
        return importlib.import_module(self.module)


#: Every built-in format, in the order ``subkit formats`` lists them.
FORMATS: tuple[FormatSpec, ...] = (
    FormatSpec("srt", "SubRip", "subkit.formats.srt", (".srt",), aliases=("subrip",)),
    FormatSpec("webvtt", "WebVTT", "subkit.formats.webvtt", (".vtt", ".webvtt"), aliases=("vtt",)),
    FormatSpec("ass", "Advanced SubStation Alpha (v4.00+)", "subkit.formats.ass", (".ass",)),
    FormatSpec("ssa", "SubStation Alpha (v4.00)", "subkit.formats.ssa", (".ssa",)),
    FormatSpec(
        "subkit_json",
        "subkit JSON (lossless model)",
        "subkit.formats.subkit_json",
        (".subkit.json", ".subkit-json"),
        aliases=("subkit-json", "json-model"),
    ),
)
