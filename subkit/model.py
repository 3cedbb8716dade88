"""The canonical cue model: every reader produces it and every writer consumes it.

A :class:`Document` holds ordered :class:`Cue` objects plus everything that is
not a cue: named :class:`Style` objects, :class:`Region` objects, metadata,
attachments, notes and the :class:`Diagnostic` list a reader left behind.

A cue's text is its :attr:`Cue.content`, a tuple of three kinds of item:

* :class:`Run`: text with a :class:`RunStyle` (italic, bold, colour, ...);
* :class:`LineBreak`: a hard line break (soft wraps are never stored);
* :class:`Raw`: markup of one format that the model has no field for (an ASS
  ``{\\blur3}``, say). Only a writer of that same format emits it; every other
  writer drops it and reports the loss.

Timed words (:class:`Word`) are first-class: ``Cue.words`` lists them in order
and, when they came from markup (ASS ``\\k``, WebVTT inner timestamps), their
texts concatenate to :meth:`Cue.plain_text`, which is how writers put them
back in place.

All model types are frozen, slotted dataclasses built with keywords only; they
check their invariants when built, so an invalid cue cannot exist. Operations
return new objects (:func:`dataclasses.replace`) and never mutate.

Times are ``int`` milliseconds everywhere. Frame-based formats convert at the
edge with :mod:`fractions` arithmetic and record the frame rate in
:attr:`Document.frame_rate`.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from subkit.errors import FrozenModelError, ModelError

if TYPE_CHECKING:
    import os
    from fractions import Fraction
    from typing import IO


__all__ = [
    "PLAIN",
    "Attachment",
    "Color",
    "Content",
    "ContentItem",
    "Cue",
    "Diagnostic",
    "Document",
    "FrozenMap",
    "LineBreak",
    "LoadInfo",
    "Loss",
    "LossReport",
    "Note",
    "Placement",
    "Raw",
    "Region",
    "Run",
    "RunStyle",
    "Style",
    "Word",
    "WriteResult",
    "content_from_text",
]


class FrozenMap(Mapping[str, Any]):
    """An immutable, hashable mapping: what every mapping field of the model holds.

    Model fields typed ``Mapping`` accept any mapping (plain dicts included) and
    keep a frozen copy, so a caller changing its dict afterwards cannot change a
    cue, and every model object stays hashable.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._data: dict[str, Any] = dict(data or {})

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._data.items(), key=lambda kv: kv[0])))

    def __repr__(self) -> str:
        return repr(self._data)


#: The shared empty mapping used as the default of mapping fields.
EMPTY: Mapping[str, Any] = FrozenMap()


def _compact_repr(self: Any) -> str:
    """``Type(field=value, ...)`` listing only the fields that differ from their defaults."""
    parts = []
    for f in dataclasses.fields(self):
        value = getattr(self, f.name)
        if f.default is not dataclasses.MISSING and value == f.default:
            continue
        parts.append(f"{f.name}={value!r}" if f.kw_only else repr(value))
    return f"{type(self).__name__}({', '.join(parts)})"


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ModelError(message)


def _freeze(obj: Any, *names: str) -> None:
    """Replace the mapping fields ``names`` of a model object being built with frozen copies."""
    for name in names:
        value = getattr(obj, name)
        if type(value) is not FrozenMap:
            _check(isinstance(value, Mapping), f"{type(obj).__name__}.{name} must be a mapping")
            object.__setattr__(obj, name, FrozenMap(value))


def _refuse_assignment(self: Any, name: str, value: Any) -> None:
    raise FrozenModelError(
        f"{type(self).__name__} objects are immutable: cannot set {name!r}; build a copy with .replace({name}=...)"
    )


def _refuse_deletion(self: Any, name: str) -> None:
    raise FrozenModelError(f"{type(self).__name__} objects are immutable: cannot delete {name!r}")


_RGB_FUNCTION = re.compile(r"(rgba?)\(\s*([^,()]+,[^,()]+,[^,()]+?)\s*(?:,\s*([^,()]+?)\s*)?\)")


def _channel(text: str, scale: int) -> int | None:
    """One ``rgb()`` argument as 0-255: ``128``, ``50%``, or (``scale`` 1, alpha) ``0.5``."""
    part = text.strip()
    try:
        value = float(part[:-1]) / 100 * 255 if part.endswith("%") else float(part) * (255 if scale == 1 else 1)
    except ValueError:
        return None
    return int(value + 0.5) if 0 <= value <= 255 else None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class Color:
    """An sRGB colour with opacity.

    Attributes:
        r: red, 0-255.
        g: green, 0-255.
        b: blue, 0-255.
        a: opacity, 0 (transparent) to 255 (opaque). ASS stores the inverse.

    >>> Color.from_hex("#FF8000").to_hex()
    '#FF8000'
    """

    r: int
    g: int
    b: int
    a: int = 255

    def __post_init__(self) -> None:
        for name in ("r", "g", "b", "a"):
            value = getattr(self, name)
            _check(isinstance(value, int) and 0 <= value <= 255, f"Color.{name} must be 0-255, got {value!r}")

    @classmethod
    def from_hex(cls, text: str) -> Color:
        """Parse a colour: ``#RRGGBB``, ``#RRGGBBAA`` (alpha as opacity), and everything :meth:`parse` reads.

        Raises:
            ModelError: when ``text`` is not a colour (a ``ValueError`` too).
        """
        return cls.parse(text)

    @classmethod
    def parse(cls, text: str) -> Color:
        """Parse a CSS colour: a name (all 148 CSS names: ``lightblue``, ``darkred``...), ``#rgb``, ``#rgba``,
        ``#rrggbb``, ``#rrggbbaa`` (the ``#`` may be left out), ``rgb(r, g, b)`` or ``rgba(r, g, b, a)``
        (``a`` from 0 to 1, or a percentage; channels may be percentages).

        Raises:
            ModelError: when ``text`` is not a colour (a ``ValueError`` too).

        >>> Color.parse("lightblue").to_hex(), Color.parse("#f80").to_hex(), Color.parse("rgba(255, 0, 0, 0.5)").a
        ('#ADD8E6', '#FF8800', 128)
        """
        value = str(text).strip()
        lowered = value.lower()
        function = _RGB_FUNCTION.fullmatch(lowered)
        if function:
            channels = [_channel(part, 255) for part in function.group(2).split(",")[:3]]
            alpha = _channel(function.group(3), 1) if function.group(3) is not None else 255
            if None not in channels and alpha is not None:
                r, g, b = (int(c) for c in channels if c is not None)
                return cls(r=r, g=g, b=b, a=alpha)
            raise ModelError(f"not a colour: {text!r}")
        digits = lowered[1:] if lowered.startswith("#") else lowered
        if len(digits) in (3, 4, 6, 8) and all(c in "0123456789abcdef" for c in digits):
            if len(digits) in (3, 4):
                digits = "".join(c * 2 for c in digits)
            alpha = int(digits[6:8], 16) if len(digits) == 8 else 255
            return cls(r=int(digits[0:2], 16), g=int(digits[2:4], 16), b=int(digits[4:6], 16), a=alpha)
        if lowered == "transparent":
            return cls(r=0, g=0, b=0, a=0)
        import webcolors

        try:
            rgb = webcolors.name_to_rgb(lowered)
        except ValueError:
            names = webcolors.names()
            import difflib  # only for this message: it is not worth its import time at start-up

            close = difflib.get_close_matches(lowered, names, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ModelError(f"not a colour: {text!r}{hint}; use a CSS name, #rgb, #rrggbb, #rrggbbaa "
                             "or rgb(r, g, b)") from None
        return cls(r=rgb.red, g=rgb.green, b=rgb.blue)

    def to_hex(self, *, alpha: bool | None = None) -> str:
        """Format as ``#RRGGBB``, or ``#RRGGBBAA`` when translucent or asked."""
        text = f"#{self.r:02X}{self.g:02X}{self.b:02X}"
        if alpha or (alpha is None and self.a != 255):
            text += f"{self.a:02X}"
        return text


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class RunStyle:
    """Inline formatting of a run of text. ``None`` means "as the cue's style".

    Attributes:
        italic, bold, underline, strike: switches; ``False`` turns off what a
            named style turned on.
        weight: a numeric font weight (100-900) when the source gave one.
        color: text colour. background: box colour behind the text.
        outline_color, shadow_color: ASS ``\\3c`` and ``\\4c``.
        font_family, font_size: font (size in the source's units: ASS script
            pixels, SRT ``size``).
        classes: WebVTT/TTML class names, in source order.
        language: BCP 47 tag of a language span.
        voice: the speaker of this span (WebVTT ``<v>`` around part of a cue).
        ruby: a ruby annotation over this run's text.
    """

    italic: bool | None = None
    bold: bool | None = None
    weight: int | None = None
    underline: bool | None = None
    strike: bool | None = None
    color: Color | None = None
    background: Color | None = None
    outline_color: Color | None = None
    shadow_color: Color | None = None
    font_family: str | None = None
    font_size: float | None = None
    classes: tuple[str, ...] = ()
    language: str | None = None
    voice: str | None = None
    ruby: str | None = None

    def __post_init__(self) -> None:
        _check(isinstance(self.classes, tuple), "RunStyle.classes must be a tuple")
        _check(self.font_size is None or self.font_size > 0, "RunStyle.font_size must be positive")

    def merged(self, **changes: Any) -> RunStyle:
        """A copy with ``changes`` applied (a convenience over ``dataclasses.replace``)."""
        return dataclasses.replace(self, **changes)

    def is_plain(self) -> bool:
        """True when nothing is set."""
        return self == PLAIN


#: The style of unformatted text.
PLAIN = RunStyle()


@dataclass(frozen=True, slots=True, repr=False)
class Run:
    """Text with one inline style. The text holds no line breaks."""

    text: str
    style: RunStyle = PLAIN

    def __post_init__(self) -> None:
        _check(isinstance(self.text, str), "Run.text must be a str")
        if "\n" in self.text:
            raise ModelError("Run.text cannot contain a line break; use LineBreak")


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A hard line break inside a cue."""


@dataclass(frozen=True, slots=True)
class Raw:
    """Markup of one format that has no field in the model, kept for that format.

    Attributes:
        format: the format identifier that can write it back (``"ass"``, ...).
        markup: the markup exactly as it stood in the source.
    """

    format: str
    markup: str


ContentItem = Run | LineBreak | Raw
#: A cue's content: runs, hard breaks and raw markup, in order.
Content = tuple[ContentItem, ...]

_BREAK = LineBreak()


def content_from_text(text: str, style: RunStyle = PLAIN) -> Content:
    """Build content from plain text, ``\\n`` becoming hard breaks (empty lines give no run).

    >>> content_from_text("a\\nb")
    (Run('a'), LineBreak(), Run('b'))
    """
    # The text is split at every line break here, so runs skip their own check.
    lines = text.split("\n")
    if all(lines):
        # The usual case, no empty line: run, break, run, ...
        items: list[ContentItem] = [_BREAK] * (2 * len(lines) - 1)
        items[::2] = [_trusted_run(line, style) for line in lines]
        return tuple(items)
    items = []
    for index, line in enumerate(lines):
        if index:
            items.append(_BREAK)
        if line:
            items.append(_trusted_run(line, style))
    return tuple(items)


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class Word:
    """A timed word (or syllable) inside a cue.

    Attributes:
        text: the word as it stands in the cue, including trailing spaces when
            it came from markup, so that the words of a cue join to its text.
        start_ms, end_ms: absolute times.
        confidence: ASR confidence or probability, 0-1.
        kind: karaoke kind from ASS (``k``, ``kf``, ``ko``, ``kt``) or ``None``.
    """

    text: str
    start_ms: int
    end_ms: int
    confidence: float | None = None
    kind: Literal["k", "kf", "ko", "kt"] | None = None

    def __post_init__(self) -> None:
        _check(type(self.start_ms) is int and type(self.end_ms) is int, "Word times must be int milliseconds")
        if self.end_ms < self.start_ms:
            raise ModelError(f"Word ends before it starts: {self.start_ms} > {self.end_ms}")
        if self.confidence is not None and not 0.0 <= self.confidence <= 1.0:
            raise ModelError(f"Word.confidence must be within 0-1, got {self.confidence!r}")


#: Numpad alignments: 1-3 bottom, 4-6 middle, 7-9 top; left, centre, right.
ALIGNMENTS = range(1, 10)


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class Placement:
    """Where a cue is drawn. ``None`` everywhere means the player's default.

    Attributes:
        align: numpad anchor (7 8 9 / 4 5 6 / 1 2 3).
        x, y: anchor position, in ``unit``: ``"px"`` is script pixels of the
            document's canvas (ASS ``\\pos``), ``"%"`` is percent of the video.
        region: the id of a :class:`Region` of the document.
        line, snap_to_lines, line_align: WebVTT ``line`` (a line number when
            ``snap_to_lines``, else a percentage) and its alignment.
        position, position_align: WebVTT ``position`` (percent) and alignment.
        size: WebVTT ``size`` (percent of the video).
        text_align: ``start``, ``center``, ``end``, ``left`` or ``right``.
        vertical: ``rl`` or ``lr`` for vertical text.
        margin_l, margin_r, margin_v: ASS margins in script pixels (``None``:
            the style's).
        layer: z-order (ASS Layer).
    """

    align: int | None = None
    x: float | None = None
    y: float | None = None
    unit: Literal["px", "%"] = "%"
    region: str | None = None
    line: float | None = None
    snap_to_lines: bool = True
    line_align: Literal["start", "center", "end"] | None = None
    position: float | None = None
    position_align: Literal["line-left", "center", "line-right"] | None = None
    size: float | None = None
    text_align: Literal["start", "center", "end", "left", "right"] | None = None
    vertical: Literal["rl", "lr"] | None = None
    margin_l: int | None = None
    margin_r: int | None = None
    margin_v: int | None = None
    layer: int = 0

    def __post_init__(self) -> None:
        _check(self.align is None or self.align in ALIGNMENTS, f"Placement.align must be 1-9, got {self.align!r}")
        _check((self.x is None) == (self.y is None), "Placement.x and y go together")
        _check(self.size is None or 0 <= self.size <= 100, "Placement.size is a percentage")
        _check(self.position is None or 0 <= self.position <= 100, "Placement.position is a percentage")


#: The default placement.
NOWHERE = Placement()


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class Cue:
    """One timed caption.

    Attributes:
        start_ms, end_ms: times in milliseconds; ``end_ms >= start_ms``.
            Negative times are allowed (sources have them) and diagnosed.
        content: the text (see the module docstring).
        id: the cue identifier (WebVTT id, SRT index as read).
        style: the name of a :class:`Style` of the document.
        placement: where it is drawn.
        speaker: who speaks the whole cue (WebVTT ``<v>``, ASS Name, TTML agent).
        language: BCP 47 tag of the whole cue.
        comment: an ASS ``Comment:`` line (kept, never shown).
        forced: forced display.
        effect: the ASS Effect field.
        caption_mode: ``pop-on``, ``roll-up2/3/4`` or ``paint-on`` (CEA-608).
        words: timed words in order.
        extra: per-format fields that only the same format writes back, keyed
            ``"<format>.<field>"``.
    """

    start_ms: int
    end_ms: int
    content: Content = ()
    id: str | None = None
    style: str | None = None
    placement: Placement = NOWHERE
    speaker: str | None = None
    language: str | None = None
    comment: bool = False
    forced: bool = False
    effect: str | None = None
    caption_mode: str | None = None
    words: tuple[Word, ...] = ()
    extra: Mapping[str, str] = EMPTY

    def __post_init__(self) -> None:
        # One combined test keeps construction cheap: readers build 100k cues at a time.
        if not (
            type(self.start_ms) is int
            and type(self.end_ms) is int
            and self.end_ms >= self.start_ms
            and type(self.content) is tuple
            and type(self.words) is tuple
            and type(self.extra) is FrozenMap
        ):
            _check(type(self.start_ms) is int and type(self.end_ms) is int, "Cue times must be int milliseconds")
            _check(self.end_ms >= self.start_ms, f"Cue ends before it starts: {self.start_ms} > {self.end_ms}")
            _check(isinstance(self.content, tuple), "Cue.content must be a tuple")
            _check(isinstance(self.words, tuple), "Cue.words must be a tuple")
            _freeze(self, "extra")

    @property
    def duration_ms(self) -> int:
        """``end_ms - start_ms``."""
        return self.end_ms - self.start_ms

    def plain_text(self) -> str:
        """The text without formatting, hard breaks as ``\\n``; raw markup left out."""
        parts: list[str] = []
        for item in self.content:
            if type(item) is Run:
                parts.append(item.text)
            elif type(item) is LineBreak:
                parts.append("\n")
        return "".join(parts)

    @property
    def text(self) -> str:
        """Alias of :meth:`plain_text`."""
        return self.plain_text()

    def lines(self) -> list[list[ContentItem]]:
        """The content split at hard breaks."""
        result: list[list[ContentItem]] = [[]]
        for item in self.content:
            if type(item) is LineBreak:
                result.append([])
            else:
                result[-1].append(item)
        return result

    def words_align(self) -> bool:
        """True when the words join exactly to the plain text (markup-derived words)."""
        return bool(self.words) and "".join(w.text for w in self.words) == self.plain_text()

    def replace(self, **changes: Any) -> Cue:
        """A copy with ``changes`` applied.

        ``text=`` is accepted as a convenience: it replaces the content with
        plain text (``\n`` for hard breaks) and drops the timed words, which
        belonged to the old text.

        >>> Cue(start_ms=0, end_ms=1000, content=content_from_text("Hi")).replace(text="Bye").text
        'Bye'

        Raises:
            ModelError: when the changed cue breaks an invariant, or ``text``
                comes with ``content``.
        """
        if "text" in changes:
            _check("content" not in changes, "Cue.replace takes text= or content=, not both")
            text = changes.pop("text")
            _check(isinstance(text, str), "Cue.replace(text=...) takes a str")
            changes["content"] = content_from_text(text)
            changes.setdefault("words", ())
        try:
            return dataclasses.replace(self, **changes)
        except TypeError as exc:  # an unknown field name
            raise ModelError(f"Cue has no field for {exc}") from None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class Style:
    """A named style (ASS style, TTML referential style, WebVTT class defaults).

    ``None`` means "not set" (the player's default). Colours carry opacity.
    Margins, outline, shadow and font size are in script pixels of the
    document's canvas.
    """

    name: str
    font_family: str | None = None
    font_size: float | None = None
    primary_color: Color | None = None
    secondary_color: Color | None = None
    outline_color: Color | None = None
    back_color: Color | None = None
    bold: bool | None = None
    weight: int | None = None
    italic: bool | None = None
    underline: bool | None = None
    strike: bool | None = None
    scale_x: float | None = None
    scale_y: float | None = None
    spacing: float | None = None
    angle: float | None = None
    border_style: int | None = None
    outline: float | None = None
    shadow: float | None = None
    align: int | None = None
    margin_l: int | None = None
    margin_r: int | None = None
    margin_v: int | None = None
    encoding: int | None = None
    extra: Mapping[str, str] = EMPTY

    def __post_init__(self) -> None:
        _check(bool(self.name), "Style.name cannot be empty")
        _check(self.align is None or self.align in ALIGNMENTS, f"Style.align must be 1-9, got {self.align!r}")
        _freeze(self, "extra")


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class Region:
    """A display region (WebVTT REGION, TTML region).

    Attributes:
        id: unique identifier.
        width: percent of the video width.
        lines: height in lines (WebVTT) when known.
        region_anchor, viewport_anchor: (x %, y %) pairs.
        scroll: ``"up"`` for roll-up regions.
        origin, extent: TTML origin and extent as (x %, y %).
        display_align: ``before``, ``center`` or ``after``.
        writing_mode: TTML writing mode.
        extra: per-format fields.
    """

    id: str
    width: float | None = None
    lines: int | None = None
    region_anchor: tuple[float, float] | None = None
    viewport_anchor: tuple[float, float] | None = None
    scroll: str | None = None
    origin: tuple[float, float] | None = None
    extent: tuple[float, float] | None = None
    display_align: str | None = None
    writing_mode: str | None = None
    extra: Mapping[str, str] = EMPTY

    def __post_init__(self) -> None:
        _check(bool(self.id), "Region.id cannot be empty")
        _freeze(self, "extra")


@dataclass(frozen=True, slots=True, kw_only=True)
class Attachment:
    """An embedded file (ASS ``[Fonts]`` or ``[Graphics]``).

    Attributes:
        kind: ``"font"`` or ``"graphic"``.
        name: the file name as declared.
        data: the decoded bytes.
    """

    kind: Literal["font", "graphic"]
    name: str
    data: bytes


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class Note:
    """A comment block between cues (WebVTT ``NOTE``).

    Attributes:
        text: the comment text.
        before_cue: index of the cue it precedes (``len(cues)`` at the end).
    """

    text: str
    before_cue: int


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class Diagnostic:
    """Something a reader noticed and repaired (or skipped) in lenient mode.

    Attributes:
        message: what was wrong.
        action: what was done about it.
        line: 1-based line (block number for binary formats).
        column: 1-based column.
        source: file name.
        severity: ``warning`` (repaired) or ``error`` (data was skipped).
    """

    message: str
    action: str = ""
    line: int | None = None
    column: int | None = None
    source: str | None = None
    severity: Literal["warning", "error"] = "warning"

    def __str__(self) -> str:
        where = self.source or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.severity}: {self.message}"
        return f"{text}; {self.action}" if self.action else text


@dataclass(frozen=True, slots=True)
class LoadInfo:
    """How :func:`subkit.load` / :func:`subkit.loads` read a document.

    Attributes:
        format: the identifier of the reader used (``Document.source_format``
            may differ: subkit JSON keeps the format its document came from).
        encoding: the text encoding the bytes were decoded with (``None`` for
            binary formats and for ``str`` input).
        bom: whether the bytes started with a byte-order mark.
        guessed: whether the encoding was found statistically (no BOM, not
            UTF-8, not given).
        alternative: a code page nearly as likely that would give different
            text, when the guess was a close call (also reported as a
            diagnostic; ``strict=True`` refuses such a guess).
    """

    format: str
    encoding: str | None = None
    bom: bool = False
    guessed: bool = False
    alternative: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class Document:
    """A subtitle document: cues plus everything around them.

    Attributes:
        cues: the cues in order of appearance (not necessarily sorted).
        styles: named styles by name, in file order.
        regions: regions by id, in file order.
        language: BCP 47 tag of the document.
        title: a title, when the source has one.
        frame_rate: frames per second of the source (exact), if frame-based.
        drop_frame: whether timecodes of the source use drop-frame labels.
        canvas: (width, height) of the coordinate space (ASS PlayRes).
        header: format-specific header fields kept for round trips, keyed
            ``"<format>.<field>"`` (ASS Script Info keys, WebVTT header text).
        stylesheets: raw CSS blocks (WebVTT ``STYLE``).
        notes: comment blocks between cues.
        attachments: embedded fonts and graphics.
        diagnostics: what the reader repaired or skipped.
        source_format: the format identifier it was read from.
        encoding: the text encoding it was read in.
        loaded: how :func:`subkit.load` read it (reader, encoding, whether the
            encoding was a guess); ``None`` for documents built in code. Not
            part of equality.
    """

    cues: tuple[Cue, ...] = ()
    styles: Mapping[str, Style] = EMPTY
    regions: Mapping[str, Region] = EMPTY
    language: str | None = None
    title: str | None = None
    frame_rate: Fraction | None = None
    drop_frame: bool = False
    canvas: tuple[int, int] | None = None
    header: Mapping[str, str] = EMPTY
    stylesheets: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    source_format: str | None = None
    encoding: str | None = None
    loaded: LoadInfo | None = dataclasses.field(default=None, compare=False)

    def __post_init__(self) -> None:
        _check(isinstance(self.cues, tuple), "Document.cues must be a tuple")
        _freeze(self, "styles", "regions", "header")
        for name, style in self.styles.items():
            _check(name == style.name, f"style registered as {name!r} is named {style.name!r}")
        for rid, region in self.regions.items():
            _check(rid == region.id, f"region registered as {rid!r} has id {region.id!r}")
        _check(self.frame_rate is None or self.frame_rate > 0, "Document.frame_rate must be positive")

    def __len__(self) -> int:
        return len(self.cues)

    def __iter__(self) -> Iterator[Cue]:
        return iter(self.cues)

    def __getitem__(self, index: int) -> Cue:
        return self.cues[index]

    @property
    def duration_ms(self) -> int:
        """The end of the last-ending cue (0 for an empty document)."""
        return max((c.end_ms for c in self.cues), default=0)

    def replace(self, **changes: Any) -> Document:
        """A copy with ``changes`` applied."""
        return dataclasses.replace(self, **changes)

    def with_cues(self, cues: Iterable[Cue]) -> Document:
        """A copy holding ``cues`` instead."""
        return dataclasses.replace(self, cues=tuple(cues))

    def sorted(self) -> Document:
        """A copy with cues sorted stably by start, then end."""
        return self.with_cues(sorted(self.cues, key=lambda c: (c.start_ms, c.end_ms)))

    def _repr_html_(self) -> str:
        """The cues as an HTML table, for notebooks (:func:`subkit.media.notebook_view` adds a video)."""
        from subkit._html import document_table

        return document_table(self)

    def save(
        self,
        path: str | os.PathLike[str] | IO[str] | IO[bytes],
        *,
        format: str | None = None,
        encoding: str = "utf-8",
        strict: bool = False,
        **options: Any,
    ) -> WriteResult:
        """Write to ``path`` (``"-"`` for stdout, or an open file object) atomically; see :func:`subkit.dump`.

        Raises:
            UnknownFormatError: no format for ``format`` or the file extension.
            UnsupportedFeatureError: ``strict`` and the target drops something.
            SubkitIOError: the file cannot be written.
        """
        from subkit._api import dump

        return dump(self, path, format=format, encoding=encoding, strict=strict, **options)


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class Loss:
    """One kind of thing a writer dropped or approximated.

    Attributes:
        feature: a short key (``"position"``, ``"word-timing"``, ``"ruby"``...).
        message: what happened, for people.
        count: how many cues (or items) it concerned.
        first_cue: index of the first cue concerned.
    """

    feature: str
    message: str
    count: int = 1
    first_cue: int | None = None

    def __str__(self) -> str:
        where = f" (first at cue {self.first_cue + 1})" if self.first_cue is not None else ""
        return f"{self.feature}: {self.message} [{self.count}x]{where}"


class LossReport:
    """Collects :class:`Loss` entries while a writer runs, one entry per feature.

    In strict mode the first loss raises :class:`~subkit.errors.UnsupportedFeatureError`.
    """

    __slots__ = ("_entries", "format", "strict")

    def __init__(self, format: str, *, strict: bool = False) -> None:
        self.format = format
        self.strict = strict
        self._entries: dict[str, Loss] = {}

    def add(self, feature: str, message: str, *, cue: int | None = None, count: int = 1) -> None:
        """Record a loss of ``feature`` at cue index ``cue``.

        Raises:
            UnsupportedFeatureError: in strict mode.
        """
        if self.strict:
            from subkit.errors import UnsupportedFeatureError

            where = f" (cue {cue + 1})" if cue is not None else ""
            raise UnsupportedFeatureError(
                f"{self.format} cannot express {feature}{where}: {message}", format=self.format, feature=feature
            )
        old = self._entries.get(feature)
        if old is None:
            self._entries[feature] = Loss(feature=feature, message=message, count=count, first_cue=cue)
        else:
            self._entries[feature] = dataclasses.replace(old, count=old.count + count)

    @property
    def losses(self) -> tuple[Loss, ...]:
        """The entries, in the order first seen."""
        return tuple(self._entries.values())

    def __bool__(self) -> bool:
        return bool(self._entries)

    def __iter__(self) -> Iterator[Loss]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"LossReport({self.format!r}, {list(self._entries.values())!r})"

    def summary(self) -> str:
        """One line per loss."""
        return "\n".join(str(loss) for loss in self._entries.values())



@dataclass(frozen=True, slots=True)
class WriteResult:
    """The output of a writer and what it lost (what :func:`subkit.dump` and :meth:`Document.save` return).

    Attributes:
        data: the serialised document (``str`` for text formats).
        format: the format identifier written.
        losses: what was dropped or approximated.
    """

    data: str | bytes
    format: str
    losses: LossReport = dataclasses.field(compare=False)


for _cls in (Color, RunStyle, Run, Word, Placement, Cue, Style, Region, Note, Diagnostic, Document, Loss):
    _cls.__repr__ = _compact_repr  # type: ignore[method-assign]
# Frozen slotted dataclasses answer an assignment to a non-field name (``cue.text = ...``) with a
# confusing ``super(type, obj)`` TypeError; every model type says plainly that it is immutable instead.
_MODEL_TYPES: tuple[type, ...] = (
    Color, RunStyle, Run, LineBreak, Raw, Word, Placement, Cue, Style, Region, Attachment, Note, Diagnostic,
    Document, Loss,
)  # fmt: skip
for _type in _MODEL_TYPES:
    _type.__setattr__ = _refuse_assignment  # type: ignore[method-assign,assignment]
    _type.__delattr__ = _refuse_deletion  # type: ignore[method-assign,assignment]


#: The slot behind :attr:`Cue.content`.
_CONTENT_SLOT: Any = vars(Cue)["content"]

#: ``_stored_content(cue)``: what the cue stores for its content: the tuple, or for a :class:`_PlainCue` the
#: plain text it stands for (``content_from_text(text)``), for writers that write plain text as it is.
_stored_content: Callable[[Cue], Content | str] = _CONTENT_SLOT.__get__

#: ``content_from_text`` of the texts plain cues store, for the last few read: a writer reads a cue's content
#: two or three times in a row, and the tuples are immutable, so equal texts may share one.
_runs_of_text: Callable[[str], Content] = functools.lru_cache(maxsize=64)(content_from_text)


def _stored_items(cue: Cue) -> Content:
    """The content items a cue stores: none for a plain cue that stores its text (plain text has no style)."""
    stored = _stored_content(cue)
    return () if isinstance(stored, str) else stored


def _plain_content(cue: Cue) -> Content:
    stored = _stored_content(cue)
    return _runs_of_text(stored) if type(stored) is str else stored  # type: ignore[return-value]


class _PlainCue(Cue):
    """A :class:`Cue` that stores the plain text it was read from in place of its content tuple.

    A large file's reader (one read in pieces) makes these for cues without
    markup: a million-cue file would otherwise hold a tuple and a
    :class:`Run` for every line of every cue, more than the text itself. The
    text stands for ``content_from_text(text)``; reading :attr:`content` builds
    those runs. Nothing outside the model can tell the two apart: it compares
    and hashes equal to the :class:`Cue` with those runs, shows as one,
    pickles, copies and takes ``replace`` (which gives a cue storing the
    tuple). Plain cues are made only by :func:`_trusted_plain_cue`; the class
    is separate so that an ordinary cue's ``content`` stays a plain slot.
    """

    __slots__ = ()

    content = property(_plain_content, _CONTENT_SLOT.__set__)

    def plain_text(self) -> str:
        """The text without formatting, hard breaks as ``\\n``."""
        stored = _stored_content(self)
        return stored if type(stored) is str else super().plain_text()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Cue):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _CUE_FIELDS)

    __hash__ = Cue.__hash__

    def __repr__(self) -> str:
        return "Cue" + _compact_repr(self).removeprefix(type(self).__name__)


_CUE_FIELDS = tuple(f.name for f in dataclasses.fields(Cue))


def _shell(cls: type) -> type:
    """A plain class with the slots of model class ``cls``: what the trusted constructors fill.

    Storing into the slots of an ordinary class is the interpreter's cheapest
    attribute store; a frozen dataclass instead goes through
    ``object.__setattr__`` for every field. Once filled, the object's class is
    set to ``cls`` (the layouts are the same), after which it is frozen like
    any other instance: assignment raises :class:`~subkit.errors.FrozenModelError`.
    """
    return type(f"_{cls.__name__}Shell", (), {"__slots__": vars(cls)["__slots__"], "__module__": __name__})


def _build_trusted_cue(cls: type = Cue) -> Any:
    """Make :func:`_trusted_cue`, its code unrolled from the fields of :class:`Cue` once, at import.

    Building a cue this way costs about half of the checks-skipping slot stores
    used before and a third of the validating constructor.
    """
    fields = dataclasses.fields(Cue)
    given = ("start_ms", "end_ms", "content", "id", "placement", "speaker", "language", "extra", "style", "comment",
             "effect", "words")
    namespace: dict[str, Any] = {"Shell": _shell(Cue), "Cue": cls, "NOWHERE": NOWHERE, "EMPTY": EMPTY}
    lines = [
        "def _trusted_cue(start_ms, end_ms, content, id=None, placement=NOWHERE, speaker=None, language=None,"
        " extra=EMPTY, style=None, comment=False, effect=None, words=()):",
        "    cue = Shell()",
    ]
    for index, f in enumerate(fields):
        if f.name in given:
            value = f.name
        else:
            namespace[f"default{index}"] = f.default
            value = f"default{index}"
        lines.append(f"    cue.{f.name} = {value}")
    lines += ["    cue.__class__ = Cue", "    return cue"]
    exec("\n".join(lines), namespace)  # code built above from field names only
    return namespace["_trusted_cue"]


def _build_trusted_run() -> Any:
    shell = _shell(Run)

    def _trusted_run(text: str, style: RunStyle = PLAIN) -> Run:
        run = shell()
        run.text = text
        run.style = style
        run.__class__ = Run
        return run  # type: ignore[no-any-return]

    return _trusted_run


#: ``_trusted_cue(start_ms, end_ms, content, id=None, placement=NOWHERE, speaker=None,
#: language=None, extra=EMPTY, style=None, comment=False, effect=None, words=())``: a
#: :class:`Cue` with every other field at its default, built without the invariant checks
#: (about three times as fast). For readers only, which must have checked that the times are
#: ints with ``end_ms >= start_ms``, that ``content`` and ``words`` are tuples and that
#: ``extra`` is a :class:`FrozenMap`. Private: it can build a cue that breaks the invariants.
_trusted_cue = _build_trusted_cue()

#: ``_trusted_plain_cue(start_ms, end_ms, text, id=None, placement=NOWHERE, ...)``: as :func:`_trusted_cue`,
#: a :class:`_PlainCue` storing ``text`` (non-empty plain text) for ``content_from_text(text)``.
_trusted_plain_cue = _build_trusted_cue(_PlainCue)

#: ``_trusted_run(text, style=PLAIN)``: a :class:`Run` built without checking that
#: ``text`` holds no line break. For readers that split lines themselves.
_trusted_run = _build_trusted_run()
