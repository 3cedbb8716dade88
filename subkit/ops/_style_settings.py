"""The caption settings of ``ops.style``: Revid's ``settings`` object, validated.

Revid's ``POST /paid/media/generate/ass`` takes a ``settings`` object (see
``docs/ops.md`` for every key) and, beside it, ``canvas_width`` and
``canvas_height``. :class:`StyleSettings` holds the same keys with the same
names and defaults, and checks them as Revid's schema does (unknown keys
rejected, types, the enumerations), plus what Revid leaves to chance:
colours must be colours (``#RRGGBB``; any CSS colour is accepted and stored as
``#RRGGBB``/``#RRGGBBAA``, where Revid silently turns anything else white) and
numbers must lie in sensible ranges.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from subkit.errors import OperationError
from subkit.model import Color

__all__ = ["ALIGNMENTS", "POSITIONS", "REQUEST_KEYS", "STYLES", "StyleSettings"]

#: The five caption styles.
STYLES: tuple[str, ...] = ("classic", "karaoke", "highlight", "underline", "word_by_word")
#: The nine screen positions.
POSITIONS: tuple[str, ...] = (
    "bottom_left", "bottom_center", "bottom_right",
    "middle_left", "middle_center", "middle_right",
    "top_left", "top_center", "top_right",
)  # fmt: skip
#: Horizontal alignment of the text.
ALIGNMENTS: tuple[str, ...] = ("left", "center", "right")
#: Keys of a whole Revid request body (besides ``settings``) that the style op accepts and ignores.
_IGNORED_REQUEST_KEYS = ("media_url", "language", "webhook_url", "id")
#: Keys of a Revid request body that other ops handle.
_OTHER_OPS = {"replace": "replace", "exclude_time_ranges": "exclude"}
#: Every top-level key of a Revid request body.
REQUEST_KEYS: tuple[str, ...] = (
    "media_url", "canvas_width", "canvas_height", "settings", "replace", "exclude_time_ranges",
    "language", "webhook_url", "id",
)  # fmt: skip

_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
#: Inclusive ranges of the integer settings (``None`` bounds are open).
_RANGES: dict[str, tuple[int, int]] = {
    "max_words_per_line": (0, 1000),
    "x": (0, 16384),
    "y": (0, 16384),
    "font_size": (1, 1000),
    "outline_width": (0, 100),
    "spacing": (-100, 100),
    "angle": (-360, 360),
    "shadow_offset": (0, 100),
    "canvas_width": (1, 16384),
    "canvas_height": (1, 16384),
}
_BOOLEANS = ("all_caps", "bold", "italic", "underline", "strikeout")
_COLORS = ("line_color", "word_color", "outline_color")
_CHOICES: dict[str, tuple[str, ...]] = {"style": STYLES, "position": POSITIONS, "alignment": ALIGNMENTS}
#: Settings that may be ``None`` (``null`` in JSON): "not given".
_OPTIONAL = ("x", "y", "font_size", "canvas_width", "canvas_height")


def _nearest(word: str, choices: tuple[str, ...] | list[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass(frozen=True, slots=True, kw_only=True)
class StyleSettings:
    """How ``ops.style`` draws captions: Revid's settings, with Revid's names and defaults.

    Attributes:
        style: ``classic``, ``karaoke``, ``highlight``, ``underline`` or ``word_by_word``.
        line_color: the text colour, ``#RRGGBB``.
        word_color: the colour of sung (karaoke), current (highlight) and shown
            (word_by_word) words.
        outline_color: the outline colour.
        all_caps: upper-case the text.
        max_words_per_line: words per line (0: no limit); in highlight,
            underline and word_by_word each line is shown on its own.
        x, y: the anchor point in canvas pixels (both or neither); the text is
            then anchored at its vertical middle, aligned by ``alignment``.
        position: one of nine screen cells, ``bottom_center`` by default.
        alignment: ``left``, ``center`` or ``right`` within the cell.
        font_family, font_size: the font; the size defaults to 5 % of the canvas height.
        bold, italic, underline, strikeout: the font switches.
        outline_width, shadow_offset: in canvas pixels.
        spacing: extra space between letters, canvas pixels.
        angle: rotation in degrees (counter-clockwise).
        canvas_width, canvas_height: the canvas (ASS PlayRes), both or neither;
            without them the document's canvas, else 384x288.

    Raises:
        OperationError: a value of the wrong type or outside its range, or
            only one of ``x``/``y`` or of the canvas sizes.
    """

    style: str = "classic"
    line_color: str = "#FFFFFF"
    word_color: str = "#FFFF00"
    outline_color: str = "#000000"
    all_caps: bool = False
    max_words_per_line: int = 0
    x: int | None = None
    y: int | None = None
    position: str = "bottom_center"
    alignment: str = "center"
    font_family: str = "Arial"
    font_size: int | None = None
    bold: bool = False
    italic: bool = False
    underline: bool = False
    strikeout: bool = False
    outline_width: int = 2
    spacing: int = 0
    angle: int = 0
    shadow_offset: int = 0
    canvas_width: int | None = None
    canvas_height: int | None = None

    def __post_init__(self) -> None:
        for name in _BOOLEANS:
            value = getattr(self, name)
            if not isinstance(value, bool):
                raise OperationError(f"style setting {name} must be true or false, not {value!r}")
        for name in _COLORS:
            value = getattr(self, name)
            if isinstance(value, str) and not _COLOR.fullmatch(value):
                try:  # any CSS colour (a name, #rgb, #rrggbbaa, rgb()), stored as #RRGGBB or #RRGGBBAA
                    object.__setattr__(self, name, Color.parse(value).to_hex())
                except ValueError as exc:
                    raise OperationError(f"style setting {name}: {exc}") from None
            elif not isinstance(value, str):
                raise OperationError(f"style setting {name} must be a colour (#RRGGBB, a CSS name, rgb()), "
                                     f"not {value!r}")
        for name, choices in _CHOICES.items():
            value = getattr(self, name)
            if value not in choices:
                hint = _nearest(value, choices) if isinstance(value, str) else ""
                raise OperationError(
                    f"style setting {name} must be one of {', '.join(choices)}, not {value!r}{hint}"
                )
        for name, (low, high) in _RANGES.items():
            value = getattr(self, name)
            if value is None and name in _OPTIONAL:
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise OperationError(f"style setting {name} must be a whole number, not {value!r}")
            if not low <= value <= high:
                raise OperationError(f"style setting {name} must be within {low}-{high}, not {value}")
        family = self.font_family
        if not isinstance(family, str) or not family.strip() or len(family) > 100:
            raise OperationError(f"style setting font_family must be a font name, not {family!r}")
        if any(char in family for char in ",{}\\\n\r"):
            raise OperationError(f"style setting font_family cannot contain , {{ }} \\ or line breaks: {family!r}")
        if (self.x is None) != (self.y is None):
            raise OperationError("style settings x and y go together: give both or neither")
        if (self.canvas_width is None) != (self.canvas_height is None):
            raise OperationError("canvas_width and canvas_height go together: give both or neither")

    # -- JSON

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | str) -> StyleSettings:
        """Settings from Revid's JSON: the ``settings`` object or a whole request body.

        The ``settings`` object may also hold ``canvas_width``/``canvas_height``
        (which Revid takes beside it). In a request body, ``media_url``,
        ``language``, ``webhook_url`` and ``id`` are ignored; ``replace`` and
        ``exclude_time_ranges`` are refused, as the ``replace`` and ``exclude``
        ops do that work.

        >>> StyleSettings.from_json('{"style": "karaoke", "word_color": "#00FF00"}').style
        'karaoke'

        Raises:
            OperationError: not JSON, not an object, an unknown key (the
                message names the nearest valid one) or a bad value.
        """
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError as exc:
                raise OperationError(f"style settings are not valid JSON: {exc}") from None
        if not isinstance(data, Mapping):
            raise OperationError(f"style settings must be a JSON object, not {type(data).__name__}")
        values: dict[str, Any] = {}
        if "settings" in data:
            for key in data:
                if key not in REQUEST_KEYS:
                    raise OperationError(f"unknown key {key!r} in the request{_nearest(str(key), REQUEST_KEYS)}")
                if key in _OTHER_OPS:
                    raise OperationError(
                        f"{key!r} is not a style setting: apply it with the {_OTHER_OPS[key]} op "
                        f"(subkit process IN OUT {_OTHER_OPS[key]} ... style ...)"
                    )
            inner = data["settings"]
            if not isinstance(inner, Mapping):
                raise OperationError(f"'settings' must be a JSON object, not {type(inner).__name__}")
            values.update({key: data[key] for key in ("canvas_width", "canvas_height") if key in data})
            data = inner
        names = [f.name for f in dataclasses.fields(cls)]
        for key, value in data.items():
            if key not in names:
                raise OperationError(f"unknown style setting {key!r}{_nearest(str(key), names)}")
            if value is None and key not in _OPTIONAL:
                raise OperationError(f"style setting {key} cannot be null")
            if isinstance(value, float) and key in _RANGES and value.is_integer():
                value = int(value)  # JSON Schema counts 24.0 as an integer
            values[key] = value
        return cls(**values)

    @classmethod
    def from_file(cls, path: str) -> StyleSettings:
        """Settings from a JSON file (``-`` for standard input); see :meth:`from_json`.

        Raises:
            SubkitIOError: the file cannot be read.
            OperationError: its content is not valid settings.
        """
        from subkit import _io

        return cls.from_json(_io.decode(_io.read_bytes(path), None).text)

    def to_json(self) -> dict[str, Any]:
        """The settings as a JSON object (``None`` values left out); :meth:`from_json` reads it back."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if getattr(self, f.name) is not None}

    def to_request(self) -> dict[str, Any]:
        """The part of a Revid request body these settings make: ``settings`` plus the canvas keys."""
        settings = self.to_json()
        body: dict[str, Any] = {}
        for key in ("canvas_width", "canvas_height"):
            if key in settings:
                body[key] = settings.pop(key)
        body["settings"] = settings
        return body

    def merged(self, changes: Mapping[str, Any]) -> StyleSettings:
        """A copy with ``changes`` applied (``None`` values mean "keep").

        Raises:
            OperationError: an unknown key or a bad value.
        """
        names = [f.name for f in dataclasses.fields(self)]
        for key in changes:
            if key not in names:
                raise OperationError(f"unknown style setting {key!r}{_nearest(str(key), names)}")
        kept = {key: value for key, value in changes.items() if value is not None}
        return dataclasses.replace(self, **kept) if kept else self

    def canvas_or(self, fallback: tuple[int, int] | None) -> tuple[int, int]:
        """The canvas: the settings', else ``fallback``, else 384x288 (libass's default)."""
        if self.canvas_width is not None and self.canvas_height is not None:
            return self.canvas_width, self.canvas_height
        return fallback or (384, 288)
