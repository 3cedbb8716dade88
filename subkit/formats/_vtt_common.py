"""WebVTT: the names, options and CSS colour rules its reader and writer share (see :mod:`subkit.formats.webvtt`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from subkit.formats._base import BaseReadOptions, BaseWriteOptions
from subkit.formats._html import HTML_COLORS
from subkit.formats._vtt_cuetext import (
    BUILTIN_COLORS,
)
from subkit.model import (
    Color,
)

NAME = "webvtt"

#: What the writer can express.
FEATURES = frozenset(
    {
        "italic", "bold", "underline", "color", "background", "classes", "language", "voice", "ruby",
        "alignment", "position", "line", "region", "vertical", "speaker", "word-timing", "id",
        "regions", "stylesheets", "notes",
    }
)  # fmt: skip

#: The key of the header text in :attr:`Document.header`.
HEADER_KEY: Final = "webvtt.header"

#: The :attr:`Cue.extra` key of a cue's source text when it holds tags: the element tree (``<v>`` without a
#: name, classes on ``<b>``, timestamps between elements...) is more than the model's runs keep, and the
#: writer rebuilds it from this text while the cue still says what the text says.
CUE_TEXT_KEY: Final = "webvtt.cuetext"

#: The :attr:`Cue.extra` key of the cue times (``"start_ms end_ms"``) a kept cue text with inner timestamps
#: was read with: the timestamps are absolute, so a retimed cue is written from its words instead.
CUE_TIMES_KEY: Final = "webvtt.cuetimes"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(BaseReadOptions):
    """WebVTT reader options.

    Attributes:
        lenient_timestamps: read cue timestamps that W3C rejects but that
            have one clear reading, with one warning per cue: ``,`` before
            the fraction (``00:01,000``, files converted from SRT), no
            fraction (``00:01:39``), 1-2 fraction digits read as a decimal
            (``.04`` is 40 ms, ``.5`` is 500 ms), 1-digit minutes or seconds,
            and a 2-field time whose first field is minutes up to 59 but not
            two digits (``1:02.000``). A first field above 59 with no seconds
            field (``120:00.000``: hours for vtt.js, minutes for others) and
            more than three fraction digits are never guessed. ``False``
            drops such cues, as the W3C parser does.
        obsolete_keywords: read the keywords of the 2013-2016 drafts that
            older tools still write (``align:middle``, ``line:..,middle``,
            ``position:..,middle|start|end``) as their current equivalents,
            with a warning. ``False`` ignores such settings, as the W3C parser
            does (for ``align:middle`` the effect is the same).
        lenient_signature: read a ``webvtt`` signature in lower or mixed
            case, with a warning. ``False`` rejects the file, as W3C does.
    """

    lenient_timestamps: bool = True
    obsolete_keywords: bool = True
    lenient_signature: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """WebVTT writer options.

    Attributes:
        alignment: map a numpad :attr:`Placement.align` without WebVTT
            settings to ``line``/``align`` settings (see the module docs).
        short_times: write ``MM:SS.mmm`` for times under an hour.
        stylesheets: ``"keep"`` writes STYLE blocks (the document's CSS and
            generated colour rules). ``"inline"`` writes none and moves what
            inline markup can say into the cues: ``::cue`` and
            ``::cue(.class)`` rules giving bold, italic, underline or a
            colour become ``<b> <i> <u>`` and built-in colour classes; the
            rest is reported. ``"drop"`` writes none and reports the loss.
            Both are for players whose WebVTT reader stops at the first
            STYLE block (FFmpeg's); cues are then written from the model,
            not from their source text.
        regions: ``"keep"`` writes REGION blocks and ``region:`` settings;
            ``"drop"`` leaves them out and reports the loss (FFmpeg's reader
            also stops at the first REGION block).
        language: the ``Language:`` header (a BCP 47 tag); default: the
            document's language.
    """

    alignment: bool = True
    short_times: bool = False
    stylesheets: Literal["keep", "inline", "drop"] = "keep"
    regions: Literal["keep", "drop"] = "keep"
    language: str | None = None

    def __post_init__(self) -> None:
        if self.stylesheets not in ("keep", "inline", "drop"):
            raise ValueError(f"stylesheets must be keep, inline or drop, not {self.stylesheets!r}")
        if self.regions not in ("keep", "drop"):
            raise ValueError(f"regions must be keep or drop, not {self.regions!r}")


#: A ``Language:`` header line.
LANGUAGE_LINE = re.compile(r"Language:[ \t]*([^ \t]+)[ \t]*", re.IGNORECASE)
#: The position alignments of the ``position:`` cue setting, left to right.
POSITION_ALIGN: Final = ("line-left", "center", "line-right")


#: A CSS rule that gives one class one colour: ``::cue(.name) { color: #hex; }``.
_COLOR_RULE = re.compile(
    r"::cue\(\s*\.([A-Za-z0-9_-]+)\s*\)\s*\{\s*(color|background-color|background)\s*:\s*([^;{}]+?)\s*;?\s*\}"
)
_RGB = re.compile(r"rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*([0-9.]+)\s*)?\)", re.ASCII)


def css_color(value: str) -> Color | None:
    """A CSS colour: ``#rgb``, ``#rgba``, ``#rrggbb``, ``#rrggbbaa``, ``rgb()``, ``rgba()``, a keyword."""
    text = value.strip().lower()
    if text.startswith("#"):
        digits = text[1:]
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits)
        try:
            return Color.from_hex(digits) if len(digits) in (6, 8) else None
        except ValueError:
            return None
    match = _RGB.fullmatch(text)
    if match:
        r, g, b = (int(v) for v in match.group(1, 2, 3))
        alpha = match.group(4)
        try:
            a = 255 if alpha is None else round(float(alpha) * 255)
            return Color(r=r, g=g, b=b, a=a)
        except ValueError:
            return None
    if text in HTML_COLORS:
        return Color.from_hex(HTML_COLORS[text])
    return None


def css_color_classes(stylesheets: tuple[str, ...] | list[str]) -> dict[str, tuple[str, Color]]:
    """Classes that the document's CSS gives exactly one colour: ``::cue(.x) { color: ... }``."""
    mapping: dict[str, tuple[str, Color]] = {}
    for sheet in stylesheets:
        if "::cue" not in sheet:
            continue
        for match in _COLOR_RULE.finditer(sheet):
            parsed = css_color(match.group(3))
            if parsed is not None:
                mapping[match.group(1)] = ("color" if match.group(2) == "color" else "background", parsed)
    return mapping


def color_classes(stylesheets: tuple[str, ...] | list[str]) -> dict[str, tuple[str, Color]]:
    """Class names that mean one colour: the built-in ones plus single-colour ``::cue(.x)`` rules.

    Returns ``{class: ("color" | "background", Color)}``; a rule in the
    document's CSS overrides a built-in class of the same name.

    >>> color_classes(["::cue(.loud) { color: #ff8000 }"])["loud"]
    ('color', Color(r=255, g=128, b=0))
    """
    mapping: dict[str, tuple[str, Color]] = {}
    for name, color in BUILTIN_COLORS.items():
        mapping[name] = ("color", color)
        mapping["bg_" + name] = ("background", color)
    mapping.update(css_color_classes(stylesheets))
    return mapping
