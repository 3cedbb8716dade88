"""Advanced SubStation Alpha (``.ass``, ScriptType v4.00+): reader and writer.

The file is INI-like: ``[Script Info]`` key/value lines, a styles section with
a ``Format:`` line and ``Style:`` lines, ``[Events]`` with a ``Format:`` line
and ``Dialogue:``/``Comment:`` lines, optional ``[Fonts]``/``[Graphics]``
(uuencoded files) and editor sections. SSA (v4.00) is the same structure with
other field lists; :mod:`subkit.formats.ssa` reuses this module.

The structure is parsed here, line by line, rather than by pysubs2: pysubs2
ignores ``Format:`` lines (it fails on, or silently misreads, files with
custom field orders), reports no line numbers, raises bare ``ValueError`` or
emits ``RuntimeWarning`` on bad fields, reads ``.5`` as 500 ms where libass
reads 50 ms, and truncates attachment names at the first space. Override
tags live in :mod:`subkit.formats._ass_tags`.

Mapping into the model:

* Script Info: every key kept in ``doc.header`` as ``"ass.<Key>"`` (in file
  order); ``Title`` becomes ``doc.title``; ``PlayResX``/``PlayResY`` become
  ``doc.canvas`` when both are positive integers (libass would derive a
  missing one; subkit does not invent it). Comment lines are kept under
  ``"ass.;"`` and other sections (``[Aegisub Project Garbage]``...) verbatim
  under ``"ass.[<Section>]"``.
* Styles: :class:`~subkit.model.Style`, in file order; colours
  ``&HAABBGGRR`` to :class:`~subkit.model.Color` (alpha inverted).
* Events: :class:`~subkit.model.Cue`; Name is the speaker, Effect the effect,
  Layer and margins the placement (a margin of 0 means "the style's" and
  reads as ``None``), ``Comment:`` lines are comment cues.

Leniencies (each recorded as a diagnostic; ``strict=True`` raises instead):

* section names in any case; ``[`` lines inside ``[Fonts]`` data are data
  unless they hold a lowercase letter or name a known section;
* missing ``Format:`` lines (the standard order is used), custom or
  reordered ``Format:`` lines (fields are read by name: ``Actor`` is
  ``Name``, ``TertiaryColour`` is ``OutlineColour``);
* a leading ``*`` on style names (stripped, as libass does);
* timestamps with 2-digit hours or 1-digit fractions (``.5`` is 50 ms, as in
  libass and VSFilter); 3-digit fractions are read as milliseconds
  (renderers would read ``.766`` as 7.66 s, which no tool means);
* negative times (kept; writers clamp them to 0); an end before the start
  (set to the start);
* colours as ``&HAABBGGRR``, ``&HBBGGRR&``, ``0x...`` or signed decimal;
* fields that do not parse (the style default is used), too many or too few
  fields, unknown lines (skipped), SSA ``Picture``/``Sound``/``Movie``/
  ``Command`` events (skipped).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from subkit.formats._ass_tags import (
    ASS_TO_SSA_ALIGN,
    SSA_TO_ASS_ALIGN,
    EventPlans,
    Flavour,
    TagContext,
    base_of,
    color_from_ass,
    color_to_ass,
    format_event_text,
    format_number,
    karaoke_tags,
)
from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink
from subkit.formats._lower import Lowering, lower
from subkit.formats._placement import exact_anchor, nearest_alignment
from subkit.model import (
    EMPTY,
    NOWHERE,
    Attachment,
    Color,
    ContentItem,
    Cue,
    Document,
    LineBreak,
    LossReport,
    Placement,
    Style,
    Word,
    _trusted_cue,
    _trusted_run,
)
from subkit.timing import ass_round, parse_ass

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "read", "read_pieces", "sniff", "write"]

NAME = "ass"

#: What the writer can express.
FEATURES = frozenset(
    {
        "italic", "bold", "underline", "strike", "color", "outline", "font", "alignment", "position",
        "margins", "layer", "speaker", "word-timing", "karaoke", "comment", "effect", "styles",
        "attachments",
    }
)  # fmt: skip
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
#: The last time is 9:59:59.99 (one hour digit); comment cues are written as Comment lines.
LOWERING = Lowering(max_ms=3_599_999 * 10, zero_label="0:00:00.00", max_label="9:59:59.99")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(BaseReadOptions):
    """ASS reader options (only the common ones)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """ASS writer options.

    Attributes:
        canvas: ``PlayResX``/``PlayResY`` written for a document that has no
            canvas and did not come from ASS/SSA; also the frame for percent
            positions when nothing else gives one. The default, 384x288, is
            what libass and VSFilter assume when the keys are missing, so
            it changes nothing for them and pins it for everyone else.
    """

    canvas: tuple[int, int] = (384, 288)

    def __post_init__(self) -> None:
        if len(self.canvas) != 2 or min(self.canvas) <= 0:
            raise ValueError(f"canvas must be two positive integers, got {self.canvas!r}")


# ---------------------------------------------------------------- sniffing

_SECTION_NAMES = ("script info", "v4+ styles", "v4 styles", "v4 styles+", "events")
_STYLES_HEADER = re.compile(r"^[ \t]*\[(v4\+ styles|v4 styles\+?)\][ \t]*$", re.IGNORECASE | re.MULTILINE)
_SCRIPT_TYPE = re.compile(r"^[ \t]*scripttype[ \t]*:[ \t]*v?4\.00(\+?)", re.IGNORECASE | re.MULTILINE)


def detect_flavour(head: str) -> Flavour | None:
    """``"ass"``, ``"ssa"`` or ``None`` (not SubStation) for the head of a file.

    The styles section header decides (``[V4+ Styles]`` or ``[V4 Styles]``),
    then ``ScriptType``; a script with neither is taken as ASS. libass decides
    the same way: the later of the two wins, and styles follow Script Info.
    """
    text = head.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff \t\n")
    first = text.split("\n", 1)[0].strip().lower()
    if not (first.startswith("[") and first.endswith("]") and first[1:-1].strip() in _SECTION_NAMES):
        return None
    styles = _STYLES_HEADER.search(text)
    if styles:
        return "ass" if "+" in styles.group(1) else "ssa"
    script_type = _SCRIPT_TYPE.search(text)
    if script_type:
        return "ass" if script_type.group(1) else "ssa"
    return "ass"


def sniff(head: str) -> bool:
    """True for a SubStation script that is v4.00+ (or of unknown version with no v4 styles)."""
    return detect_flavour(head) == "ass"


# ---------------------------------------------------------------- field tables

#: Standard field lists (lowercase, no spaces), as the writer emits them.
ASS_STYLE_FIELDS = (
    "Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, "
    "Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, "
    "MarginL, MarginR, MarginV, Encoding"
)
SSA_STYLE_FIELDS = (
    "Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, TertiaryColour, BackColour, Bold, Italic, "
    "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, AlphaLevel, Encoding"
)
ASS_EVENT_FIELDS = "Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text"
SSA_EVENT_FIELDS = "Marked, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text"


def _split_format(text: str) -> list[str]:
    return [part.strip() for part in text.split(",")]


def _key(name: str) -> str:
    """Field names compare without case, spaces or British spelling."""
    return re.sub(r"\s+", "", name).lower().replace("colour", "color")


_FIELD_ALIASES = {"actor": "name", "tertiarycolor": "outlinecolor"}


def _field_keys(names: list[str]) -> list[str]:
    return [_FIELD_ALIASES.get(_key(n), _key(n)) for n in names]


# ---------------------------------------------------------------- values

#: The standard event Format lines, as field keys: events in these layouts take a short path.
_STANDARD_EVENT_KEYS = (
    ["layer", "start", "end", "style", "name", "marginl", "marginr", "marginv", "effect", "text"],
    ["marked", "start", "end", "style", "name", "marginl", "marginr", "marginv", "effect", "text"],
)


def parse_time(text: str, note: Callable[[str, str, str], None]) -> int | None:
    """Milliseconds of an ASS time, or ``None`` when it is not one (:func:`subkit.timing.parse_ass`).

    ``note(category, message, action)`` reports deviations from ``H:MM:SS.cc``.
    """
    return parse_ass(text, note)


_CLOCK_HEAD = re.compile(r"\d:[0-5]\d:")
_CLOCK_TAIL = re.compile(r"[0-5]\d\.\d\d")
#: Milliseconds of the ``H:MM:`` and ``SS.cc`` halves of standard times met so far (at most 600 and 6,000).
_HEAD_MS: dict[str, int] = {}
_TAIL_MS: dict[str, int] = {}


#: Margins of an event that keeps its style's (three zero fields).
_NO_MARGINS: tuple[None, None, None] = (None, None, None)
#: A style field not read yet, or one the short path leaves to the general one (compared by identity).
_UNSEEN = "\x00unseen"
_LINE_BREAK = LineBreak()


def _event_margins(left: str, right: str, vertical: str) -> tuple[int | None, int | None, int | None] | None:
    """An event's margins (0 is ``None``: the style's) when all three are plain digits, else ``None``."""
    if not all(value.isdigit() and value.isascii() for value in (left, right, vertical)):
        return None
    return int(left) or None, int(right) or None, int(vertical) or None


def _two_lines(first: str, second: str) -> tuple[ContentItem, ...]:
    """The content of ``first\\Nsecond`` (plain text) when one of the two is empty."""
    return ((_trusted_run(first),) if first else ()) + (_LINE_BREAK,) + ((_trusted_run(second),) if second else ())


def _standard_ms(text: str) -> int | None:
    """Milliseconds of a time written exactly ``H:MM:SS.cc`` (what :func:`parse_time` gives), else ``None``."""
    if len(text) != 10:
        return None
    head = text[:5]
    ms = _HEAD_MS.get(head)
    if ms is None:
        if not _CLOCK_HEAD.fullmatch(head):
            return None
        ms = _HEAD_MS[head] = int(head[0]) * 3_600_000 + int(head[2:4]) * 60_000
    tail = text[5:]
    rest = _TAIL_MS.get(tail)
    if rest is None:
        if not _CLOCK_TAIL.fullmatch(tail):
            return None
        rest = _TAIL_MS[tail] = int(tail[:2]) * 1000 + int(tail[3:]) * 10
    return ms + rest


def parse_color(text: str) -> Color | None:
    """A style colour: ``&HAABBGGRR``, ``&HBBGGRR&``, ``0x...`` or (signed) decimal."""
    value = text.strip().rstrip("&").strip()
    try:
        if value[:2].lower() == "&h" or value[:2].lower() == "0x":
            number = int(value[2:], 16)
        elif value[:1] in ("h", "H"):
            number = int(value[1:], 16)
        else:
            number = int(value)
    except ValueError:
        return None
    return color_from_ass(number)


def _int(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        value = _float(text)
        return int(value) if value is not None and value == int(value) else None


def _float(text: str) -> float | None:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _bool_field(text: str) -> tuple[bool | None, int | None]:
    """(bold, weight) of a Bold/Italic/... field: ``-1`` true, ``0`` false, a weight above 1."""
    number = _int(text)
    if number is None:
        return None, None
    if number >= 100:
        return number >= 600, number
    return number != 0, None


# ---------------------------------------------------------------- uuencoding

# ASS "uuencoding": 6-bit groups written as chr(33 + value), 3 bytes to 4
# characters, a final 1-2 bytes as 2-3 characters. That is base64 with
# another alphabet and no padding, so the standard codec does the work.
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_UU = "".join(chr(33 + i) for i in range(64))
_UU_TO_B64 = str.maketrans(_UU, _B64)
_B64_TO_UU = str.maketrans(_B64, _UU)
_UU_BAD = re.compile(r"[^!-`]")


def uudecode(text: str) -> bytes | None:
    """Bytes of ASS-uuencoded text (line breaks removed), or ``None`` when it is malformed."""
    if _UU_BAD.search(text) or len(text) % 4 == 1:
        return None
    encoded = text.translate(_UU_TO_B64)
    return base64.b64decode(encoded + "=" * (-len(encoded) % 4))


def uuencode(data: bytes) -> list[str]:
    """ASS-uuencoded lines of 80 characters."""
    text = base64.b64encode(data).decode("ascii").rstrip("=").translate(_B64_TO_UU)
    return [text[i : i + 80] for i in range(0, len(text), 80)]


# ---------------------------------------------------------------- reading


@dataclass(slots=True)
class _Pending:
    kind: Literal["font", "graphic"]
    name: str
    line: int
    data: list[str] = field(default_factory=list)


class _ScriptReader:
    """One pass over the lines of a script."""

    def __init__(self, lines: Iterable[str], options: BaseReadOptions, name: str) -> None:
        self.sink = DiagnosticSink(name, options)
        self.lines = lines
        # The first line with text, for saying what a file without sections holds.
        self.first_text: str | None = None
        self.flavour: Flavour = "ass"
        self.header: dict[str, str] = {}
        self.comments: list[str] = []
        self.title: str | None = None
        self.styles: dict[str, Style] = {}
        self.cues: list[Cue] = []
        self.attachments: list[Attachment] = []
        self.sections: dict[str, list[str]] = {}
        self.style_format: list[str] | None = None
        self.style_format_names: list[str] = []
        self.event_format: list[str] | None = None
        self.event_format_names: list[str] = []
        self.pending: _Pending | None = None
        self.noted: set[str] = set()
        self.wrap_style = 0
        self.line_no = 0
        # One tag context per style name; styles are all read before the events.
        self.contexts: dict[str | None, TagContext] = {}
        self.plans = EventPlans()
        # The event Format line is a standard one: events may take the short path.
        self.fast_events = False
        self.placements: dict[tuple[object, ...], Placement] = {}
        self.section: str | None = None
        self.raw_section: list[str] | None = None
        self.seen_section = False

    # -- diagnostics

    def warn(self, message: str, action: str, excerpt: str | None = None) -> None:
        self.sink.warn(message, action, line=self.line_no, excerpt=excerpt)

    def error(self, message: str, action: str, excerpt: str | None = None) -> None:
        self.sink.error(message, action, line=self.line_no, excerpt=excerpt)

    def once(self, category: str, message: str, action: str) -> None:
        """Report a cosmetic deviation only where it first occurs."""
        if category not in self.noted:
            self.noted.add(category)
            self.warn(message, action + " (reported once per file)")

    # -- driver

    def run(self) -> None:
        """Read every line, dispatching on the section it is in."""
        lines = enumerate(self.lines, 1)
        for number, line in lines:
            self._line(number, line)
            # Inside [Events] with a standard Format line, events take the short path until a
            # line it leaves to the general one (which may end the section).
            while self.section == "events" and self.fast_events:
                handed = self._fast_events(lines)
                if handed is None:
                    break
                self._line(*handed)
        self._finish_attachment()
        if not self.seen_section and self.first_text is not None:
            raise self.sink.fail(
                "not a SubStation script: no [Script Info], [V4+ Styles] or [Events] section",
                line=1,
                excerpt=self.first_text,
            )

    def _line(self, number: int, line: str) -> None:
        """Read one line through the general path."""
        self.line_no = number
        if self.first_text is None and line.strip():
            self.first_text = line
        if line.startswith("\ufeff"):
            line = line.lstrip("\ufeff")
        stripped = line.strip()
        section = self.section
        header = self._section_header(stripped, section)
        if header is not None:
            self._open_section(header)
            return
        if section is None:
            if stripped:
                self.once("preamble", "text before the first section", "skipped it")
        elif self.raw_section is not None:
            self.raw_section.append(line.rstrip())
        elif section == "script info":
            self._info(stripped)
        elif section in ("v4+ styles", "v4 styles", "v4 styles+"):
            self._style_line(stripped)
        elif section == "events":
            self._event_line(line)
        else:
            self._attachment_line(stripped, "font" if section == "fonts" else "graphic")

    def _open_section(self, header: str) -> None:
        self._finish_attachment()
        self.seen_section = True
        section = self.section = header.lower()
        self.raw_section = None
        if section in ("v4+ styles", "v4 styles+"):
            self.flavour = "ass"
        elif section == "v4 styles":
            self.flavour = "ssa"
        elif section not in ("script info", "events", "fonts", "graphics"):
            self.raw_section = self.sections.setdefault(header, [])

    @staticmethod
    def _section_header(stripped: str, section: str | None) -> str | None:
        if not (stripped.startswith("[") and stripped.endswith("]")):
            return None
        name = stripped[1:-1].strip()
        # Inside attachment data a "[...]" line is data, unless it has a
        # lowercase letter (impossible in the encoding) or names a section.
        known = name.lower() in _SECTION_NAMES or name.lower() in ("fonts", "graphics")
        if section in ("fonts", "graphics") and not (known or any(c.islower() for c in name)):
            return None
        return name

    # -- Script Info

    def _info(self, stripped: str) -> None:
        if not stripped:
            return
        if stripped.startswith(";"):
            self.comments.append(stripped[1:].removeprefix(" "))
            return
        key, colon, value = stripped.partition(":")
        key = key.strip()
        if not colon or not key:
            self.warn("line without a key in [Script Info]", "skipped it", excerpt=stripped)
            return
        value = value.strip()
        lowered = key.lower()
        if lowered == "title":
            self.title = value or None
            return
        if key in self.header:
            self.warn(f"duplicate [Script Info] key {key!r}", "kept the last value", excerpt=stripped)
        self.header[key] = value
        if lowered == "scripttype":
            if value.lower().rstrip() in ("v4.00", "4.00"):
                self.flavour = "ssa"
            elif value.lower() in ("v4.00+", "4.00+"):
                self.flavour = "ass"
        elif lowered == "wrapstyle":
            number = _int(value)
            self.wrap_style = number if number is not None and 0 <= number <= 3 else 0

    # -- styles

    def _style_line(self, stripped: str) -> None:
        if not stripped or stripped.startswith(";"):
            return
        kind, colon, rest = stripped.partition(":")
        kind = kind.strip().lower()
        if colon and kind == "format":
            names = _split_format(rest)
            self.style_format_names = names
            self.style_format = _field_keys(names)
            standard = ASS_STYLE_FIELDS if self.flavour == "ass" else SSA_STYLE_FIELDS
            if self.style_format != _field_keys(_split_format(standard)):
                self.once("style-format", "non-standard style Format line", "read the fields by name")
            return
        if not (colon and kind == "style"):
            self.warn("unrecognised line in the styles section", "skipped it", excerpt=stripped)
            return
        if self.style_format is None:
            standard = ASS_STYLE_FIELDS if self.flavour == "ass" else SSA_STYLE_FIELDS
            self.warn("Style line before any Format line", "used the standard field order")
            self.style_format_names = _split_format(standard)
            self.style_format = _field_keys(self.style_format_names)
        values = [v.strip() for v in rest.split(",")]
        fields = self.style_format
        if len(values) != len(fields):
            self.warn(
                f"style has {len(values)} fields, the Format line {len(fields)}",
                "read the fields present" if len(values) < len(fields) else "ignored the extra fields",
                excerpt=stripped,
            )
        style = self._style(
            dict(zip(fields, values, strict=False)),
            dict(zip(fields, self.style_format_names, strict=False)),
            stripped,
        )
        if style is None:
            return
        if style.name in self.styles:
            self.warn(f"style {style.name!r} defined twice", "kept the last definition", excerpt=stripped)
        self.styles[style.name] = style

    def _style(self, values: dict[str, str], names: dict[str, str], excerpt: str) -> Style | None:
        name = values.get("name", "").strip()
        if name.startswith("*"):
            self.once("star", "style name with a leading '*'", "stripped it, as libass does")
            name = name.lstrip("*")
        if not name:
            self.error("style without a name", "skipped it", excerpt=excerpt)
            return None
        kwargs: dict[str, object] = {"name": name}
        extra: dict[str, str] = {}

        def bad(field_name: str, value: str) -> None:
            self.warn(f"unreadable style field {field_name} {value!r}", "left it unset (the default applies)",
                      excerpt=excerpt)

        for key, value in values.items():
            if key == "name":
                continue
            if key in ("marginl", "marginr", "marginv", "encoding", "alignment", "borderstyle"):
                ok = self._style_int(key, value, kwargs)
            else:
                ok = self._style_field(key, value, kwargs, extra, names)
            if not ok:
                bad(names[key], value)
        if extra:
            kwargs["extra"] = extra
        return Style(**kwargs)  # type: ignore[arg-type]

    @staticmethod
    def _style_field(key: str, value: str, kwargs: dict[str, object], extra: dict[str, str],
                     names: dict[str, str]) -> bool:
        """Read a style field other than the name and the integer ones into ``kwargs`` or ``extra``.

        ``False`` when the value does not parse (the field is left unset).
        """
        if key == "fontname":
            kwargs["font_family"] = value or None
        elif key in ("fontsize", "scalex", "scaley", "spacing", "angle", "outline", "shadow"):
            number = _float(value)
            if number is None or (key == "fontsize" and number <= 0):
                return False
            kwargs[{"fontsize": "font_size", "scalex": "scale_x", "scaley": "scale_y"}.get(key, key)] = number
        elif key in ("primarycolor", "secondarycolor", "outlinecolor", "backcolor"):
            color = parse_color(value)
            if color is None:
                return False
            kwargs[key.replace("color", "_color")] = color
        elif key in ("bold", "italic", "underline", "strikeout"):
            flag, weight = _bool_field(value)
            if flag is None:
                return False
            kwargs["strike" if key == "strikeout" else key] = flag
            if key == "bold" and weight is not None:
                kwargs["weight"] = weight
        elif key == "alphalevel":
            if value.strip() not in ("", "0"):
                extra["ssa.AlphaLevel"] = value.strip()
        else:
            extra[f"ass.{names[key]}"] = value
        return True

    def _style_int(self, key: str, value: str, kwargs: dict[str, object]) -> bool:
        """Read an integer style field (margins, encoding, alignment, border style); ``False`` when bad."""
        number = _int(value)
        if number is None:
            return False
        if key == "alignment":
            align = self._style_align(number)
            if align is None:
                return False
            kwargs["align"] = align
        else:
            kwargs[{"borderstyle": "border_style", "marginl": "margin_l", "marginr": "margin_r",
                    "marginv": "margin_v"}.get(key, key)] = number
        return True

    def _style_align(self, number: int) -> int | None:
        if self.flavour == "ass":
            return number if 1 <= number <= 9 else None
        if number in (4, 8):
            # Not SSA values; VSFilter (and libass for \\a) treat them as 5, top left.
            self.warn(f"invalid SSA alignment {number}", "used 5 (top left), as VSFilter does")
            return 7
        return SSA_TO_ASS_ALIGN.get(number)

    # -- events

    def standard_events(self) -> str:
        return ASS_EVENT_FIELDS if self.flavour == "ass" else SSA_EVENT_FIELDS

    def _event_line(self, line: str) -> None:
        stripped = line.strip()
        if not stripped or stripped.startswith(";"):
            return
        kind, colon, rest = line.lstrip().partition(":")
        kind = kind.strip().lower()
        if not colon:
            self.warn("unrecognised line in [Events]", "skipped it", excerpt=stripped)
            return
        if kind == "format":
            names = _split_format(rest)
            self.event_format_names = names
            self.event_format = _field_keys(names)
            self.fast_events = self.event_format in _STANDARD_EVENT_KEYS
            if self.event_format != _field_keys(_split_format(self.standard_events())):
                self.once("event-format", "non-standard event Format line", "read the fields by name")
            return
        if kind in ("picture", "sound", "movie", "command"):
            self.error(f"SSA {kind.capitalize()} event", "skipped it (subkit keeps only text events)",
                       excerpt=stripped)
            return
        if kind not in ("dialogue", "comment"):
            self.warn("unrecognised line in [Events]", "skipped it", excerpt=stripped)
            return
        if self.event_format is None:
            self.warn("event before any Format line", "used the standard field order")
            self.event_format_names = _split_format(self.standard_events())
            self.event_format = _field_keys(self.event_format_names)
        fields = self.event_format
        values = rest.lstrip(" \t").split(",", len(fields) - 1)
        if len(values) < len(fields):
            self.warn(f"event has {len(values)} fields, the Format line {len(fields)}",
                      "read the fields present", excerpt=stripped)
        cue = self._cue(dict(zip(fields, values, strict=False)), kind == "comment", stripped)
        if cue is not None:
            self.cues.append(cue)

    def _cue(self, values: dict[str, str], comment: bool, excerpt: str) -> Cue | None:
        def note(category: str, message: str, action: str) -> None:
            self.once(category, message, action)

        start_text = values.get("start", "")
        end_text = values.get("end", "")
        start = parse_time(start_text, note)
        end = parse_time(end_text, note)
        if start is None or end is None:
            self.error("unreadable event time", "skipped the event", excerpt=excerpt)
            return None
        if start < 0 or end < 0:
            self.once("negative", "negative time", "kept it (writers clamp it to 0)")
        if end < start:
            self.error("event ends before it starts", "set its end to its start", excerpt=excerpt)
            end = start
        fields = self._event_fields(values, excerpt)
        text, layer, margins, style, speaker, effect, extra = fields
        if style is not None and self.styles and style not in self.styles:
            self.once("undefined-style", f"event uses an undefined style {style!r}",
                      "kept the name (players fall back to Default)")
        content, align, pos, words = self.plans.read(text, style, self._context(style), self.wrap_style, start, end)
        placement = self._placement(align, pos, layer, *margins)
        return Cue(
            start_ms=start,
            end_ms=end,
            content=content,
            style=style,
            placement=placement,
            speaker=speaker,
            comment=comment,
            effect=effect,
            words=words,
            **({"extra": extra} if extra else {}),  # type: ignore[arg-type]
        )

    def _event_fields(self, values: dict[str, str], excerpt: str) -> tuple[
        str, int, tuple[int | None, int | None, int | None], str | None, str | None, str | None, dict[str, str]
    ]:
        """Text, layer, margins, style, speaker, effect and kept extra fields of an event (times aside)."""
        extra: dict[str, str] = {}
        layer = 0
        margins: dict[str, int | None] = {"marginl": None, "marginr": None, "marginv": None}
        style: str | None = None
        speaker: str | None = None
        effect: str | None = None
        text = ""
        for key, value in values.items():
            if key in ("start", "end"):
                continue
            if key == "text":
                text = value
            elif key == "layer":
                if value == "0":
                    continue
                number = _int(value)
                if number is None:
                    self.warn(f"unreadable Layer {value.strip()!r}", "used 0", excerpt=excerpt)
                else:
                    layer = number
            elif key == "marked":
                marked = value.strip().lower().removeprefix("marked=").strip()
                if marked not in ("", "0"):
                    extra["ssa.marked"] = marked
            elif key in margins:
                if value in ("0", "0000"):
                    continue  # the usual "the style's margin"
                number = _int(value) if value.strip() else 0
                if number is None:
                    self.warn(f"unreadable margin {value.strip()!r}", "used the style's", excerpt=excerpt)
                margins[key] = number or None
            elif key == "style":
                name = value.strip()
                if name.startswith("*"):
                    self.once("star", "style name with a leading '*'", "stripped it, as libass does")
                    name = name.lstrip("*")
                style = name or None
            elif key == "name":
                speaker = value.strip() or None
            elif key == "effect":
                effect = value.strip() or None
            else:
                original = self.event_format_names[self.event_format.index(key)] if self.event_format else key
                extra[f"ass.{original}"] = value.strip()
        return (text, layer, (margins["marginl"], margins["marginr"], margins["marginv"]), style, speaker, effect,
                extra)

    def _context(self, style: str | None) -> TagContext:
        """The tag context of events in ``style`` (made at its first event)."""
        ctx = self.contexts.get(style)
        if ctx is None:
            base = base_of(self.styles.get(style or "Default") or self.styles.get("Default"))
            ctx = self.contexts[style] = TagContext(base=base, styles=self.styles, flavour=self.flavour,
                                                    warn=self.warn)
        return ctx

    def _placement(self, align: int | None, pos: tuple[float, float] | None, layer: int, margin_l: int | None,
                   margin_r: int | None, margin_v: int | None) -> Placement:
        """The placement of an event (one shared object per distinct value)."""
        if align is None and pos is None and not layer and not (margin_l or margin_r or margin_v):
            return NOWHERE
        key = (align, pos, layer, margin_l, margin_r, margin_v)
        placement = self.placements.get(key)
        if placement is None:
            x, y = pos if pos is not None else (None, None)
            placement = self.placements[key] = Placement(
                align=align,
                x=x,
                y=y,
                unit="px" if pos is not None else "%",
                margin_l=margin_l,
                margin_r=margin_r,
                margin_v=margin_v,
                layer=layer,
            )
        return placement

    def _fast_events(self, lines: Iterator[tuple[int, str]]) -> tuple[int, str] | None:
        """Read events of the standard layout from ``lines`` while they need no repair.

        Gives back the first numbered line left to the general path, which
        reads it again (nothing is reported before), or ``None`` at the end.
        The loop keeps its look-ups in locals.
        """
        cues_append = self.cues.append
        plans_read = self.plans.read
        placement_of = self._placement
        head_ms, tail_ms = _HEAD_MS, _TAIL_MS
        nowhere, line_break, run = NOWHERE, _LINE_BREAK, _trusted_run
        # Style field -> style name, for the fields met so far (styles do not change in [Events]).
        style_of: dict[str, str | None] = {}
        # SSA's Marked field: "Marked=0" reads as "0" (an ASS Layer field must be a number).
        assert self.event_format is not None  # a standard Format line was read
        marked = "Dialogue: Marked=0" if self.event_format[0] == "marked" else "Dialogue: 0"
        for number, line in lines:
            values = line.split(",", 9)
            if len(values) != 10:
                return number, line
            head, start_text, end_text, style_text, name, margin_l, margin_r, margin_v, effect, text = values
            if head == "Dialogue: 0" or head == marked:
                layer, comment = 0, False
            else:
                lead = self._event_lead(head)
                if lead is None:
                    return number, line
                layer, comment = lead
            # Times written H:MM:SS.cc, from the caches of their two halves (whose keys are
            # exactly "H:MM:" and "SS.cc": a time found in both is a standard one).
            try:
                start = head_ms[start_text[:5]] + tail_ms[start_text[5:]]
                end = head_ms[end_text[:5]] + tail_ms[end_text[5:]]
            except KeyError:
                slow_start, slow_end = _standard_ms(start_text), _standard_ms(end_text)
                if slow_start is None or slow_end is None:
                    return number, line
                start, end = slow_start, slow_end
            if end < start:
                return number, line
            margins: tuple[int | None, int | None, int | None] = _NO_MARGINS
            if not margin_l == margin_r == margin_v == "0":
                read_margins = _event_margins(margin_l, margin_r, margin_v)
                if read_margins is None:
                    return number, line
                margins = read_margins
            style = style_of.get(style_text, _UNSEEN)
            if style is _UNSEEN:
                style = style_of[style_text] = self._fast_style(style_text)
            if style is _UNSEEN:
                return number, line
            align: int | None = None
            pos: tuple[float, float] | None = None
            words: tuple[Word, ...] = ()
            content: tuple[ContentItem, ...]
            if "\\" not in text and "{" not in text:
                content = (run(text),) if text else ()
            elif "{" not in text and text.count("\\") == text.count("\\N") == 1:
                first, second = text.split("\\N")
                content = (run(first), line_break, run(second)) if first and second else _two_lines(first, second)
            else:
                self.line_no = number  # for what the full reader of a text may report
                content, align, pos, words = plans_read(text, style, self.contexts.get(style) or self._context(style),
                                                        self.wrap_style, start, end)
            if align is None and pos is None and not layer and margins is _NO_MARGINS:
                placement = nowhere
            else:
                placement = placement_of(align, pos, layer, *margins)
            cues_append(_trusted_cue(start, end, content, None, placement, (name.strip() or None) if name else None,
                                    None, EMPTY, style, comment, (effect.strip() or None) if effect else None, words))
        return None

    def _event_lead(self, head: str) -> tuple[int, bool] | None:
        """(layer, comment) of the text before an event's first comma when it needs no repair."""
        kind, _, first = head.partition(": ")
        if kind == "Comment":
            comment = True
        elif kind == "Dialogue":
            comment = False
        else:
            return None
        if first == "0":
            return 0, comment
        assert self.event_format is not None  # a standard Format line was read
        if self.event_format[0] == "layer":
            return (int(first), comment) if first.isdigit() and first.isascii() else None
        return (0, comment) if first == "Marked=0" else None

    def _fast_style(self, text: str) -> str | None:
        """The style of an event's Style field, or :data:`_UNSEEN` when it needs the general path."""
        style = text.strip()
        if not style:
            return None
        if style[0] == "*" or (self.styles and style not in self.styles):
            return _UNSEEN
        return style

    # -- attachments

    def _attachment_line(self, stripped: str, kind: Literal["font", "graphic"]) -> None:
        lowered = stripped.lower()
        if lowered.startswith(("fontname:", "filename:")):
            self._finish_attachment()
            name = stripped.partition(":")[2].strip()
            if not name:
                self.error("attachment without a name", "skipped it", excerpt=stripped)
                return
            self.pending = _Pending(kind, name, self.line_no)
            return
        if not stripped:
            self._finish_attachment()
            return
        if self.pending is None:
            self.warn("data outside an attachment", "skipped it", excerpt=stripped)
            return
        self.pending.data.append(stripped)

    def _finish_attachment(self) -> None:
        pending, self.pending = self.pending, None
        if pending is None:
            return
        data = uudecode("".join(pending.data))
        if data is None:
            self.sink.error(f"malformed data of attachment {pending.name!r}", "skipped the attachment",
                            line=pending.line)
            return
        self.attachments.append(Attachment(kind=pending.kind, name=pending.name, data=data))

    # -- result

    def document(self, source_format: str) -> Document:
        """The document read."""
        header: dict[str, str] = {}
        if self.comments:
            header["ass.;"] = "\n".join(self.comments)
        for key, value in self.header.items():
            header[f"ass.{key}"] = value
        for name, body in self.sections.items():
            while body and not body[-1]:
                body.pop()
            header[f"ass.[{name}]"] = "\n".join(body)
        canvas: tuple[int, int] | None = None
        lowered = {key.lower(): value for key, value in self.header.items()}
        width, height = _int(lowered.get("playresx", "")), _int(lowered.get("playresy", ""))
        if width and height and width > 0 and height > 0:
            canvas = (width, height)
        return Document(
            cues=tuple(self.cues),
            styles=self.styles,
            title=self.title,
            canvas=canvas,
            header=header,
            attachments=tuple(self.attachments),
            diagnostics=tuple(self.sink.items),
            source_format=source_format,
        )


def read_script(data: str | Iterable[str], options: BaseReadOptions, source_format: str) -> Document:
    """Parse an ASS or SSA script (the flavour comes from the content), given whole or in pieces of whole lines.

    Raises:
        ParseError: no section in non-empty input, or (strict) any flaw.
    """
    reader = _ScriptReader(data.split("\n") if isinstance(data, str) else _piece_lines(data), options, source_format)
    try:
        reader.run()
        return reader.document(source_format)
    finally:
        # The tag contexts report through the reader: without them it is no reference cycle, and the
        # document's objects are freed as soon as the caller drops it, not at the next collection.
        reader.contexts.clear()


def _piece_lines(pieces: Iterable[str]) -> Iterator[str]:
    """The lines of the joined ``pieces``, as ``"".join(pieces).split("\\n")`` gives them, a piece at a time."""
    carry = ""
    for piece in pieces:
        lines = (carry + piece if carry else piece).split("\n")
        carry = lines.pop()
        yield from lines
    yield carry


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse ASS text (``\\n`` newlines) into a document.

    Raises:
        ParseError: the text is not a SubStation script, or (strict) any flaw.
    """
    return read_script(data, options, NAME)


def read_pieces(pieces: Iterable[str], *, options: ReadOptions) -> Document:
    """:func:`read` of a large file given in pieces of whole lines, never holding its text or its lines.

    Raises:
        ParseError: the text is not a SubStation script, or (strict) any flaw.
    """
    return read_script(pieces, options, NAME)


# ---------------------------------------------------------------- writing

_DEFAULT_STYLE = Style(name="Default")
#: 9:59:59.99, the largest time the notation holds, in centiseconds.
_MAX_CS = 3599999
_GARBAGE = "Aegisub Project Garbage"


def _field(value: str) -> str:
    """A value for a comma-separated field: commas and line breaks cannot appear."""
    return value.replace("\n", " ").replace(",", ";")


def _canvas(doc: Document, options: WriteOptions) -> tuple[int, int]:
    """The coordinate frame: the document's, else libass's reading of the header, else the option."""
    if doc.canvas is not None:
        return doc.canvas
    lowered = {k[4:].lower(): v for k, v in doc.header.items() if k.startswith("ass.")}
    width = _int(lowered.get("playresx", "")) or 0
    height = _int(lowered.get("playresy", "")) or 0
    if width > 0 and height > 0:
        return width, height
    # libass: with one of the two missing, X = 4Y/3 or Y = 3X/4 (1280 -> 1024).
    if width > 0:
        return width, 1024 if width == 1280 else width * 3 // 4
    if height > 0:
        return height * 4 // 3, height
    return options.canvas


class _ClockFormatter:
    """``H:MM:SS.cc`` of a centisecond count, with the ``H:MM:`` prefix cached per minute (events come in order).

    The count is clamped to 0..9:59:59.99 by the caller (what :func:`~subkit.timing.format_ass` gives).
    """

    __slots__ = ("_minute", "_prefix")

    def __init__(self) -> None:
        self._minute = -1
        self._prefix = ""

    def __call__(self, cs: int) -> str:
        minute, rest = divmod(cs, 6000)
        if minute != self._minute:
            self._minute = minute
            hours, minutes = divmod(minute, 60)
            self._prefix = f"{hours:d}:{minutes:02d}:"
        return f"{self._prefix}{rest // 100:02d}.{rest % 100:02d}"


class _Writer:
    def __init__(self, doc: Document, options: WriteOptions, report: LossReport, flavour: Flavour) -> None:
        self.doc = doc
        self.options = options
        self.report = report
        self.flavour = flavour
        self.from_script = any(key.startswith("ass.") for key in doc.header)
        self.commas: set[str] = set()
        self.contexts: dict[str, TagContext] = {}
        self.clean_styles: set[str] = set()  # style names that need no repair in a field
        self.clock = _ClockFormatter()

    def style_field(self, name: str) -> str:
        """A style name as an event field (names that need no repair are remembered)."""
        cleaned = self.field(name, "styles")
        if cleaned == name:
            self.clean_styles.add(name)
        return cleaned

    def field(self, value: str, feature: str) -> str:
        cleaned = _field(value)
        if cleaned != value and feature not in self.commas:
            self.commas.add(feature)
            self.report.add(feature, "commas or line breaks in a field replaced (';' or space)")
        return cleaned

    # -- sections

    def script_info(self) -> list[str]:
        """The ``[Script Info]`` lines: kept comments and keys, with the model's title and canvas."""
        doc = self.doc
        script_type = "v4.00+" if self.flavour == "ass" else "v4.00"
        lines = ["[Script Info]"]
        comments = doc.header.get("ass.;")
        if comments is not None:
            lines.extend(f"; {line}" if line else ";" for line in comments.split("\n"))
        if doc.title is not None:
            lines.append(f"Title: {_field_free(doc.title)}")
        entries: list[tuple[str, str]] = []
        for key, value in doc.header.items():
            if not key.startswith("ass.") or key[4:5] in ("[", ";"):
                continue
            entries.append((key[4:], value))
        if not self.from_script:
            entries = [("WrapStyle", "0"), ("ScaledBorderAndShadow", "yes")]
        keys = {key.lower() for key, _ in entries}
        if "scripttype" not in keys:
            entries.insert(0, ("ScriptType", script_type))
        canvas = doc.canvas or (None if self.from_script else self.options.canvas)
        if canvas is not None:
            for key, size in (("PlayResX", canvas[0]), ("PlayResY", canvas[1])):
                if key.lower() not in keys:
                    entries.append((key, str(size)))
        for key, value in entries:
            lowered = key.lower()
            if lowered == "scripttype":
                value = script_type
            elif lowered == "playresx" and canvas is not None:
                value = str(canvas[0])
            elif lowered == "playresy" and canvas is not None:
                value = str(canvas[1])
            lines.append(f"{_field_free(key)}: {_field_free(value)}")
        return lines

    def raw_sections(self, *, garbage: bool) -> list[list[str]]:
        out = []
        for key, body in self.doc.header.items():
            if not (key.startswith("ass.[") and key.endswith("]")):
                continue
            name = key[5:-1]
            if (name == _GARBAGE) != garbage:
                continue
            out.append([f"[{name}]", *([body] if body else [])])
        return out

    def styles(self) -> list[str]:
        """The styles section, with a ``Default`` style when one is needed."""
        doc = self.doc
        styles = list(doc.styles.values())
        if not styles or (
            "Default" not in doc.styles and any(cue.style is None for cue in doc.cues)
        ):
            styles.insert(0, _DEFAULT_STYLE)
        if self.flavour == "ass":
            lines = ["[V4+ Styles]", f"Format: {ASS_STYLE_FIELDS}"]
        else:
            lines = ["[V4 Styles]", f"Format: {SSA_STYLE_FIELDS}"]
            self.report_ssa_styles(styles)
        lines.extend(self.style_line(style) for style in styles)
        return lines

    def report_ssa_styles(self, styles: list[Style]) -> None:
        for style in styles:
            if style.underline or style.strike or style.angle or style.spacing or (
                style.scale_x not in (None, 100.0) or style.scale_y not in (None, 100.0)
            ):
                self.report.add("styles", "SSA styles have no underline, strike-out, scale, spacing or angle")
                return

    def color(self, color: Color | None, default: Color) -> str:
        value = color or default
        if self.flavour == "ssa" and value.a == 255:
            # SSA's own notation: decimal BGR. Translucent colours keep &H (libass reads both).
            return str((value.b << 16) | (value.g << 8) | value.r)
        return color_to_ass(value)

    def style_line(self, style: Style) -> str:
        white, black, red = Color(r=255, g=255, b=255), Color(r=0, g=0, b=0), Color(r=255, g=0, b=0)

        def number(value: float | None, default: float) -> str:
            return format_number(default if value is None else value)

        def flag(value: bool | None) -> str:
            return "-1" if value else "0"

        bold = str(style.weight) if style.weight is not None else flag(style.bold)
        name = self.field(style.name, "styles")
        font = self.field(style.font_family or "Arial", "styles")
        align = style.align or 2
        margins = [str(style.margin_l if style.margin_l is not None else 10),
                   str(style.margin_r if style.margin_r is not None else 10),
                   str(style.margin_v if style.margin_v is not None else 10)]
        encoding = str(style.encoding if style.encoding is not None else 1)
        colors = [self.color(style.primary_color, white), self.color(style.secondary_color, red),
                  self.color(style.outline_color, black), self.color(style.back_color, black)]
        border = [str(style.border_style if style.border_style is not None else 1),
                  number(style.outline, 2), number(style.shadow, 2)]
        if self.flavour == "ass":
            fields = [name, font, number(style.font_size, 20), *colors, bold, flag(style.italic),
                      flag(style.underline), flag(style.strike), number(style.scale_x, 100),
                      number(style.scale_y, 100), number(style.spacing, 0), number(style.angle, 0),
                      *border, str(align), *margins, encoding]
        else:
            fields = [name, font, number(style.font_size, 20), *colors, bold, flag(style.italic),
                      *border, str(ASS_TO_SSA_ALIGN[align]), *margins,
                      style.extra.get("ssa.AlphaLevel", "0"), encoding]
        return "Style: " + ",".join(fields)

    def attachments(self) -> list[list[str]]:
        sections = []
        for kind, title, label in (("font", "[Fonts]", "fontname"), ("graphic", "[Graphics]", "filename")):
            items = [a for a in self.doc.attachments if a.kind == kind]
            if not items:
                continue
            lines = [title]
            for number, attachment in enumerate(items):
                if number:
                    lines.append("")
                lines.append(f"{label}: {_field_free(attachment.name)}")
                lines.extend(uuencode(attachment.data))
            sections.append(lines)
        return sections

    def events(self) -> list[str]:
        """The ``[Events]`` section (times were lowered by the stage)."""
        doc = self.doc
        if self.flavour == "ass":
            lines = ["[Events]", f"Format: {ASS_EVENT_FIELDS}"]
        else:
            lines = ["[Events]", f"Format: {SSA_EVENT_FIELDS}"]
        canvas = _canvas(doc, self.options)
        self.clock = _ClockFormatter()
        for index, cue in enumerate(doc.cues):
            start_cs = ass_round(cue.start_ms) // 10
            end_cs = ass_round(cue.end_ms) // 10
            if cue.end_ms > cue.start_ms and end_cs <= start_cs and start_cs < _MAX_CS:
                end_cs = start_cs + 1  # rounding must not swallow a cue (formats.md §19)
            lines.append(self.event_line(cue, index, start_cs, end_cs, canvas))
        return lines

    def event_line(self, cue: Cue, index: int, start_cs: int, end_cs: int, canvas: tuple[int, int]) -> str:
        """One ``Dialogue:``/``Comment:`` line."""
        placement = cue.placement
        style_name = cue.style or "Default"
        ctx = self.contexts.get(style_name)
        if ctx is None:
            base = base_of(self.doc.styles.get(style_name) or self.doc.styles.get("Default"))
            ctx = self.contexts[style_name] = TagContext(base=base, styles=self.doc.styles, flavour=self.flavour)
        clock = self.clock
        if placement is NOWHERE and not cue.words and self.flavour == "ass":
            # The usual event: no line tags, layer and margins 0.
            speaker, effect = cue.speaker, cue.effect
            return "".join((
                "Comment: 0," if cue.comment else "Dialogue: 0,",
                clock(start_cs), ",", clock(end_cs), ",",
                style_name if style_name in self.clean_styles else self.style_field(style_name), ",",
                self.field(speaker, "speaker") if speaker else "", ",0,0,0,",
                self.field(effect, "effect") if effect else "", ",",
                format_event_text(cue, ctx=ctx, line_tags=""),
            ))
        line_tags = ""
        # WebVTT lines, TTML regions, text alignment: the nearest of the nine points, and
        # the exact spot as \pos when WebVTT pins it in percent.
        # With \pos of its own the cue keeps its alignment (the style's when it has none).
        exact = exact_anchor(placement) if placement.x is None else None
        if placement.x is not None:
            align = placement.align
        else:
            align = exact[0] if exact else nearest_alignment(placement, self.doc.regions, canvas)
        if align is not None and (align != 2 or placement.align is not None or exact):
            line_tags += f"\\an{align}" if self.flavour == "ass" else f"\\a{ASS_TO_SSA_ALIGN[align]}"
        if exact or (placement.x is not None and placement.y is not None):
            x, y = (exact[1], exact[2]) if exact else (placement.x or 0.0, placement.y or 0.0)
            if exact or placement.unit == "%":
                x, y = x * canvas[0] / 100, y * canvas[1] / 100
            line_tags += f"\\pos({format_number(round(x, 3))},{format_number(round(y, 3))})"
        karaoke = karaoke_tags(cue, start_cs, self.report, index, self.flavour) if cue.words else None
        text = format_event_text(cue, ctx=ctx, line_tags=line_tags, karaoke=karaoke or ())
        lead = str(placement.layer) if self.flavour == "ass" else f"Marked={cue.extra.get('ssa.marked', '0')}"
        fields = [
            lead,
            clock(start_cs),
            clock(end_cs),
            self.field(style_name, "styles"),
            self.field(cue.speaker or "", "speaker"),
            str(placement.margin_l or 0),
            str(placement.margin_r or 0),
            str(placement.margin_v or 0),
            self.field(cue.effect or "", "effect"),
            text,
        ]
        return ("Comment: " if cue.comment else "Dialogue: ") + ",".join(fields)

    def write(self, features: frozenset[str]) -> str:
        """The whole script (``write_script`` has lowered the document and reported its features)."""
        sections = [self.script_info(), *self.raw_sections(garbage=True), self.styles(),
                    *self.attachments(), self.events(), *self.raw_sections(garbage=False)]
        return "\n\n".join("\n".join(lines) for lines in sections) + "\n"


def _field_free(value: str) -> str:
    """A header value on one line."""
    return value.replace("\n", " ")


def write_script(doc: Document, options: WriteOptions, report: LossReport, flavour: Flavour,
                 features: frozenset[str]) -> str:
    """Serialise ``doc`` as an ASS (``flavour="ass"``) or SSA script.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    doc = lower(doc, LOWERING, report, options=options, supported=features, raw_format="ass").doc
    return _Writer(doc, options, report, flavour).write(features)


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as ASS (v4.00+).

    Standard ``Format:`` lines; Script Info from ``doc.header``, ``title`` and
    ``canvas`` (see :class:`WriteOptions` for the defaults); a ``Default``
    style when the document has none or a cue names none; times rounded to
    centiseconds; override tags relative to each cue's style.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    return write_script(doc, options, report, "ass", FEATURES)
