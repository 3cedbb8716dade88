"""ASS/SSA event text: override tags and escapes, read into model content and written back.

Reading (:func:`parse_event_text`) turns one event's Text field into runs,
line breaks and raw markup, plus the line-wide placement and the karaoke
words. Writing (:func:`format_event_text`) does the reverse. The two share
one tag tokenizer and one interpreter (:func:`apply_tag`), so what the
writer emits reads back to the same model.

How tags map (see ``docs/formats/ass.md`` for the full table):

* **modelled** tags are removed from the markup and live in the model:
  ``\\i \\b \\u \\s \\fn \\fs \\c \\1c \\3c \\4c \\1a \\3a \\4a`` (run style),
  ``\\an \\a \\pos`` (placement, the first of each only) and
  ``\\k \\K \\kf \\ko \\kt`` (words);
* **raw with state**: ``\\r`` and ``\\alpha`` stay in the markup as
  :class:`~subkit.model.Raw` *and* change the run style that follows (``\\alpha``
  also sets the secondary alpha, which the model has no field for, and ``\\r``
  also resets what raw tags set). A modelled tag whose argument carries junk
  (``\\i1 note``) is treated the same way, so its text survives;
* **raw**: every other tag (``\\t \\move \\fad \\clip \\blur \\bord \\p ...``),
  comments inside braces, and the text of drawings (``\\p1``).

Run styles are stored *relative to the event's style*: an attribute is
``None`` when it equals the style's value, so ``{\\i1}`` in an italic style
reads as ``italic=None``. The writer compares effective values and emits only
the tags that change something.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Final, Literal, NamedTuple

from subkit.model import (
    PLAIN,
    Color,
    ContentItem,
    Cue,
    LineBreak,
    LossReport,
    Raw,
    Run,
    RunStyle,
    Style,
    Word,
    _trusted_run,
)
from subkit.timing import ass_round, round_half_up

__all__ = [
    "ASS_TO_SSA_ALIGN",
    "DEFAULT_BASE",
    "SSA_TO_ASS_ALIGN",
    "Base",
    "EventPlans",
    "Flavour",
    "ParsedText",
    "TagContext",
    "Token",
    "apply_tag",
    "base_of",
    "color_from_ass",
    "color_to_ass",
    "escape_text",
    "format_event_text",
    "format_number",
    "karaoke_tags",
    "parse_event_text",
    "style_diff",
    "style_tags",
    "tokenize_block",
]

#: ``"ass"`` (v4.00+) or ``"ssa"`` (v4.00): decides legacy alignment and decimal colours.
Flavour = Literal["ass", "ssa"]
#: ``warn(message, action)``: how the parser reports a repaired problem.
Warn = Callable[[str, str], None]

#: SSA legacy alignment (1-3 bottom, 5-7 top, 9-11 middle) to numpad.
SSA_TO_ASS_ALIGN: dict[int, int] = {1: 1, 2: 2, 3: 3, 5: 7, 6: 8, 7: 9, 9: 4, 10: 5, 11: 6}
#: Numpad alignment to SSA legacy values.
ASS_TO_SSA_ALIGN: dict[int, int] = {v: k for k, v in SSA_TO_ASS_ALIGN.items()}

_WHITE = Color(r=255, g=255, b=255)
_BLACK = Color(r=0, g=0, b=0)
#: Word joiner: the writer puts it after a literal backslash that would
#: otherwise start an escape (``\\N``, ``\\h``...), and the reader removes it.
_WJ = "\u2060"
_NBSP = "\u00a0"

# Tag names, longest first so that a regex alternation finds the longest
# prefix (libass matches by prefix too: \bord before \b, \fscx before \fs).
_TAG_NAMES = sorted(
    {
        "xbord", "ybord", "xshad", "yshad", "fax", "fay", "iclip", "blur", "fscx", "fscy", "fsp", "fs",
        "bord", "move", "frx", "fry", "frz", "fr", "fn", "fe", "alpha", "an", "a", "pos", "fade", "fad",
        "org", "t", "clip", "c", "1c", "2c", "3c", "4c", "1a", "2a", "3a", "4a", "r", "be", "b", "i",
        "kf", "K", "ko", "kt", "k", "shad", "s", "u", "pbo", "p", "q",
    },
    key=lambda name: (-len(name), name),
)  # fmt: skip
_TAG_NAME = re.compile("|".join(_TAG_NAMES))
#: Tags whose argument is a parenthesised list (which may hold nested tags: \t).
_PAREN_TAGS = frozenset({"t", "move", "pos", "org", "clip", "iclip", "fad", "fade"})
_KARAOKE = {"k": "k", "K": "kf", "kf": "kf", "ko": "ko", "kt": "kt"}
_NUMBER = re.compile(r"\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*")
_NUMBER_PREFIX = re.compile(r"\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))")
_HEX_COLOR = re.compile(r"\s*(&?[Hh])?([0-9A-Fa-f]+)&*\s*")
_POS_ARGS = re.compile(r"\(\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*,\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*\)\s*")


# ---------------------------------------------------------------- colours


def color_from_ass(value: int) -> Color:
    """The model colour of a 32-bit ``AABBGGRR`` value (ASS alpha is inverted)."""
    value &= 0xFFFFFFFF
    return Color(r=value & 0xFF, g=(value >> 8) & 0xFF, b=(value >> 16) & 0xFF, a=255 - (value >> 24))


def color_to_ass(color: Color) -> str:
    """``&HAABBGGRR`` for style lines."""
    return f"&H{255 - color.a:02X}{color.b:02X}{color.g:02X}{color.r:02X}"


def _tag_rgb(color: Color) -> str:
    return f"&H{color.b:02X}{color.g:02X}{color.r:02X}&"


def _tag_alpha(color: Color) -> str:
    return f"&H{255 - color.a:02X}&"


def _parse_tag_number(arg: str, flavour: Flavour) -> int | None:
    """The integer of a colour or alpha argument (``&HBBGGRR&``; SSA takes bare decimals)."""
    match = _HEX_COLOR.fullmatch(arg)
    if not match:
        return None
    prefix, digits = match.groups()
    if prefix or flavour == "ass":
        return int(digits, 16) & 0xFFFFFFFF
    if not digits.isdigit():
        return None
    return int(digits) & 0xFFFFFFFF


# ---------------------------------------------------------------- effective style


@dataclass(frozen=True, slots=True)
class Base:
    """The effective values of an event's style, the reference for run styles.

    ``weight`` follows libass ``\\b``: 0 normal, 1 bold, 100-900 a weight.
    Unset style fields take the values the writer puts in a style line.
    """

    italic: bool = False
    weight: int = 0
    underline: bool = False
    strike: bool = False
    color: Color = _WHITE
    outline: Color = _BLACK
    shadow: Color = _BLACK
    font: str = "Arial"
    size: float = 20.0


#: The base of an event whose style is unknown and no Default style exists.
DEFAULT_BASE = Base()


def base_of(style: Style | None) -> Base:
    """The effective values of ``style`` (``None``: the writer's defaults)."""
    if style is None:
        return DEFAULT_BASE
    weight = style.weight if style.weight is not None else int(bool(style.bold))
    return Base(
        italic=bool(style.italic),
        weight=weight,
        underline=bool(style.underline),
        strike=bool(style.strike),
        color=style.primary_color or _WHITE,
        outline=style.outline_color or _BLACK,
        shadow=style.back_color or _BLACK,
        font=style.font_family or "Arial",
        size=style.font_size if style.font_size is not None else 20.0,
    )


def _eff_weight(style: RunStyle, base: Base) -> int:
    if style.weight is not None:
        return style.weight
    if style.bold is not None:
        return 1 if style.bold else 0
    return base.weight


def _weight_fields(weight: int, base: Base) -> tuple[bool | None, int | None]:
    if weight == base.weight:
        return None, None
    if weight in (0, 1):
        return weight == 1, None
    # CSS calls 600 and up bold; other formats only see the bold flag.
    return weight >= 600, weight


def _flag(value: bool, reference: bool) -> bool | None:
    return None if value == reference else value


def _relative(value: Color, reference: Color) -> Color | None:
    return None if value == reference else value


def style_diff(other: Base, base: Base) -> RunStyle:
    """The run style that turns ``base`` into ``other`` (what ``\\r<other>`` does)."""
    bold, weight = _weight_fields(other.weight, base)
    return RunStyle(
        italic=_flag(other.italic, base.italic),
        bold=bold,
        weight=weight,
        underline=_flag(other.underline, base.underline),
        strike=_flag(other.strike, base.strike),
        color=_relative(other.color, base.color),
        outline_color=_relative(other.outline, base.outline),
        shadow_color=_relative(other.shadow, base.shadow),
        font_family=None if other.font == base.font else other.font,
        font_size=None if other.size == base.size else other.size,
    )


# ---------------------------------------------------------------- tokenizer


@dataclass(frozen=True, slots=True)
class Token:
    """One piece of an override block.

    Attributes:
        name: the tag name (``"i"``, ``"1c"``, ``"t"``...), ``"?"`` for an
            unknown tag, ``""`` for comment text.
        arg: the argument text after the name (parentheses included).
        text: the piece exactly as written.
    """

    name: str
    arg: str
    text: str


def tokenize_block(inner: str) -> list[Token]:
    """Split the inside of ``{...}`` into tags and comment text, as libass reads it.

    A tag's argument runs to the next backslash, except for tags taking a
    parenthesised list (``\\t``, ``\\clip``, ``\\move``...), whose argument
    runs to the matching ``)`` so that nested tags stay inside it.
    """
    tokens: list[Token] = []
    length = len(inner)
    first = inner.find("\\")
    if first == -1:
        return [Token("", "", inner)] if inner else []
    if first > 0:
        tokens.append(Token("", "", inner[:first]))
    index = first
    while index < length:
        match = _TAG_NAME.match(inner, index + 1)
        name = match.group(0) if match else "?"
        arg_start = match.end() if match else index + 1
        end = arg_start
        if name in _PAREN_TAGS:
            probe = arg_start
            while probe < length and inner[probe] in " \t":
                probe += 1
            if probe < length and inner[probe] == "(":
                depth = 0
                end = probe
                while end < length:
                    char = inner[end]
                    end += 1
                    if char == "(":
                        depth += 1
                    elif char == ")":
                        depth -= 1
                        if depth == 0:
                            break
        next_tag = inner.find("\\", end)
        if next_tag == -1:
            next_tag = length
        tokens.append(Token(name, inner[arg_start:next_tag], inner[index:next_tag]))
        index = next_tag
    return tokens


def _number(arg: str) -> float | None:
    match = _NUMBER.fullmatch(arg)
    return float(match.group(1)) if match else None


def _int_prefix(arg: str) -> tuple[int | None, bool]:
    """libass ``mystrtoi``: the leading integer and whether nothing else followed."""
    match = _NUMBER_PREFIX.match(arg)
    if not match:
        return None, not arg.strip()
    try:
        value = int(float(match.group(1)))
    except (ValueError, OverflowError):
        return None, False
    return value, not arg[match.end() :].strip()


# ---------------------------------------------------------------- interpreter


@dataclass(slots=True)
class TagContext:
    """What the tag interpreter needs besides the run style.

    Attributes:
        base: the effective values of the event's style.
        styles: the document's styles (for ``\\r<name>``).
        flavour: ``ass`` or ``ssa`` (bare colour numbers are decimal in SSA).
        warn: diagnostic callback, or ``None`` when writing.
    """

    base: Base
    styles: Mapping[str, Style]
    flavour: Flavour
    warn: Warn | None = None

    def note(self, message: str, action: str) -> None:
        """Report a repaired problem (nothing when writing)."""
        if self.warn is not None:
            self.warn(message, action)


def _set_switch(state: RunStyle, attr: str, arg: str, ctx: TagContext) -> tuple[RunStyle, bool]:
    value, clean = _int_prefix(arg)
    reference: bool = getattr(ctx.base, attr)
    if value in (0, 1):
        return state.merged(**{attr: _flag(value == 1, reference)}), clean
    if value is not None or not clean:
        ctx.note(f"\\{_SWITCH_TAG[attr]}{arg.strip()} is not 0 or 1", _RESET)
    return state.merged(**{attr: None}), value is None and clean


_SWITCH_TAG = {"italic": "i", "underline": "u", "strike": "s"}
_RESET = "reset it to the style's value as libass does"


def _set_color(
    state: RunStyle, attr: str, arg: str, ctx: TagContext, *, alpha: bool
) -> tuple[RunStyle, bool]:
    reference: Color = getattr(ctx.base, _COLOR_BASE[attr])
    current: Color = getattr(state, attr) or reference
    value = _parse_tag_number(arg, ctx.flavour) if arg.strip() else None
    if value is None:
        # No (usable) value: libass resets the part the tag sets (colour or
        # alpha) to the style's and leaves the other part alone.
        if arg.strip():
            ctx.note(f"unreadable colour {arg.strip()!r}", "reset it to the style's colour as libass does")
        if alpha:
            new = Color(r=current.r, g=current.g, b=current.b, a=reference.a)
        else:
            new = Color(r=reference.r, g=reference.g, b=reference.b, a=current.a)
        return state.merged(**{attr: _relative(new, reference)}), not arg.strip()
    if alpha:
        new = Color(r=current.r, g=current.g, b=current.b, a=255 - (value & 0xFF))
    else:
        new = Color(r=value & 0xFF, g=(value >> 8) & 0xFF, b=(value >> 16) & 0xFF, a=current.a)
    return state.merged(**{attr: _relative(new, reference)}), True


_COLOR_BASE = {"color": "color", "outline_color": "outline", "shadow_color": "shadow"}
_COLOR_TAGS = {"c": "color", "1c": "color", "3c": "outline_color", "4c": "shadow_color"}
_ALPHA_TAGS = {"1a": "color", "3a": "outline_color", "4a": "shadow_color"}


def apply_tag(state: RunStyle, token: Token, ctx: TagContext) -> tuple[RunStyle, bool] | None:
    """Apply a style-changing tag to ``state`` (a run style relative to ``ctx.base``).

    Returns ``None`` when ``token`` does not change the run style, else the
    new style and whether the tag is fully modelled (``False``: keep its text
    as raw markup, because the model cannot say everything it says).
    """
    name, arg = token.name, token.arg
    base = ctx.base
    if name in ("i", "u", "s"):
        return _set_switch(state, {"i": "italic", "u": "underline", "s": "strike"}[name], arg, ctx)
    if name == "b":
        value, clean = _int_prefix(arg)
        if value is None or not (value in (0, 1) or value >= 100):
            if value is not None or not clean:
                ctx.note(f"\\b{arg.strip()} is not 0, 1 or a weight", _RESET)
            value = base.weight
            clean = clean and not arg.strip()
        bold, weight = _weight_fields(value, base)
        return state.merged(bold=bold, weight=weight), clean
    if name == "fn":
        family = arg.strip()
        if not family or family == "0":
            return state.merged(font_family=None), True
        return state.merged(font_family=None if family == base.font else family), True
    if name == "fs":
        text = arg.strip()
        if text.startswith(("+", "-")):
            return None  # relative size (VSFilter extension): kept raw, not tracked
        size = _number(arg)
        if size is None and text:
            ctx.note(f"unreadable font size {text!r}", "reset it to the style's size as libass does")
            return state.merged(font_size=None), False
        if size is None or size <= 0:
            return state.merged(font_size=None), True
        return state.merged(font_size=None if size == base.size else size), True
    if name in _COLOR_TAGS:
        return _set_color(state, _COLOR_TAGS[name], arg, ctx, alpha=False)
    if name in _ALPHA_TAGS:
        return _set_color(state, _ALPHA_TAGS[name], arg, ctx, alpha=True)
    if name == "alpha":
        # Sets all four alphas; the secondary one has no model field, so the
        # tag stays raw while the three others follow it in the run style.
        for attr in ("color", "outline_color", "shadow_color"):
            state, _ = _set_color(state, attr, arg, ctx, alpha=True)
        return state, False
    if name == "r":
        target = arg.strip()
        if not target:
            return PLAIN, False
        style = ctx.styles.get(target.lstrip("*"))
        if style is None:
            ctx.note(f"\\r names an undefined style {target!r}", "reset to the line's style")
            return PLAIN, False
        return style_diff(base_of(style), base), False
    return None


# ---------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class ParsedText:
    """What an event's Text field holds.

    Attributes:
        content: runs, breaks and raw markup.
        align: numpad alignment from the first ``\\an``/``\\a``.
        pos: ``(x, y)`` of the first ``\\pos``.
        words: karaoke syllables as timed words.
    """

    content: tuple[ContentItem, ...]
    align: int | None = None
    pos: tuple[float, float] | None = None
    words: tuple[Word, ...] = ()


@dataclass(slots=True)
class _Syllable:
    start: int
    end: int
    kind: Literal["k", "kf", "ko", "kt"] | None
    parts: list[str] = field(default_factory=list)


class _TextReader:
    """One pass over an event's text; see :func:`parse_event_text`."""

    __slots__ = (
        "align", "align_seen", "buffer", "buffer_style", "clock", "ctx", "drawing", "duration", "items", "pos",
        "positioned", "pre", "state", "syllables", "wrap",
    )  # fmt: skip

    def __init__(self, ctx: TagContext, wrap_style: int, duration: int) -> None:
        self.ctx = ctx
        self.wrap = wrap_style
        self.duration = duration
        self.state = PLAIN
        self.items: list[ContentItem] = []
        self.buffer: list[str] = []
        self.buffer_style = PLAIN
        self.drawing = False
        self.align: int | None = None
        self.align_seen = False
        self.pos: tuple[float, float] | None = None
        self.positioned = False
        self.clock = 0
        self.pre: list[str] = []
        self.syllables: list[_Syllable] = []

    # -- text

    def text(self, piece: str) -> None:
        """Add text to the current run and to the current syllable."""
        # The buffer holds text of one style; blocks that change nothing (karaoke
        # tags) do not cut it, so long lines are not rebuilt run by run.
        if self.buffer and self.state != self.buffer_style:
            self.flush()
        if not self.buffer:
            self.buffer_style = self.state
        self.buffer.append(piece)
        (self.syllables[-1].parts if self.syllables else self.pre).append(piece)

    def flush(self) -> None:
        """Turn the buffered text into a run (merged with an equal-styled run before it)."""
        if not self.buffer:
            return
        text = "".join(self.buffer)
        self.buffer.clear()
        items = self.items
        last = items[-1] if items else None
        style = self.buffer_style
        if type(last) is Run and last.style == style:
            items[-1] = Run(last.text + text, style)
        else:
            items.append(Run(text, style))

    def line_break(self) -> None:
        self.flush()
        self.items.append(LineBreak())
        (self.syllables[-1].parts if self.syllables else self.pre).append("\n")

    def raw(self, markup: str) -> None:
        self.flush()
        self.items.append(Raw("ass", markup))

    # -- blocks

    def block(self, inner: str) -> None:
        """Interpret one override block: style, placement and karaoke tags; the rest stays raw."""
        raw: list[str] = []
        ctx = self.ctx
        for token in tokenize_block(inner):
            name = token.name
            if name in ("", "?"):
                raw.append(token.text)
                continue
            changed = apply_tag(self.state, token, ctx)
            if changed is not None:
                self.state, clean = changed
                if not clean:
                    raw.append(token.text)
                continue
            if name in _KARAOKE:
                self.karaoke(name, token.arg)
            elif name in ("an", "a"):
                if not self.line_align(name, token.arg):
                    raw.append(token.text)
            elif name == "pos":
                if not self.line_pos(token.arg):
                    raw.append(token.text)
            else:
                if name == "move":
                    self.positioned = True
                elif name == "p":
                    value, _ = _int_prefix(token.arg)
                    self.drawing = bool(value and value > 0)
                elif name == "q":
                    value, _ = _int_prefix(token.arg)
                    self.wrap = value if value is not None and 0 <= value <= 3 else self.wrap
                raw.append(token.text)
        if raw:
            self.raw("{" + "".join(raw) + "}")

    def line_align(self, name: str, arg: str) -> bool:
        """Take ``\\an``/``\\a`` as the line's alignment; ``False`` keeps the tag raw."""
        if self.align_seen:
            self.ctx.note(f"a second \\{name} in one line", "kept it as raw markup (the first one counts)")
            return False
        self.align_seen = True
        value, clean = _int_prefix(arg)
        if name == "an":
            align = value if value is not None and 1 <= value <= 9 else None
        elif value in (4, 8):
            align = 7  # VSFilter quirk kept by libass: \a4 and \a8 act as \a5
        else:
            align = SSA_TO_ASS_ALIGN.get(value) if value is not None else None
        if align is None or not clean:
            self.ctx.note(f"invalid \\{name}{arg.strip()}", "kept it as raw markup")
            return False
        self.align = align
        return True

    def line_pos(self, arg: str) -> bool:
        """Take ``\\pos`` as the line's position; ``False`` keeps the tag raw."""
        if self.positioned:
            self.ctx.note("a second \\pos (or \\pos after \\move) in one line",
                          "kept it as raw markup (ignored)")
            return False
        self.positioned = True
        match = _POS_ARGS.fullmatch(arg)
        if not match:
            self.ctx.note(f"invalid \\pos{arg.strip()}", "kept it as raw markup")
            return False
        self.pos = (float(match.group(1)), float(match.group(2)))
        return True

    def karaoke(self, name: str, arg: str) -> None:
        """Start a syllable (``\\k``, ``\\kf``, ``\\ko``) or set the karaoke clock (``\\kt``)."""
        kind = _KARAOKE[name]
        if arg.isdigit():
            ms = int(arg) * 10  # the usual case, without Fraction's cost
        else:
            match = _NUMBER_PREFIX.match(arg)
            if match is None:
                # libass takes a missing duration as 100 cs.
                self.ctx.note(f"\\{name} without a duration", "used 100 centiseconds as libass does")
                value = Fraction(100)
            else:
                value = Fraction(match.group(1))
            ms = round_half_up(value * 10)
        if ms < 0:
            self.ctx.note(f"negative karaoke time \\{name}{arg.strip()}", "used 0")
            ms = 0
        if not self.syllables and self.pre:
            # Text before the first \k is a syllable of its own, at the line start.
            self.syllables.append(_Syllable(0, 0, None, self.pre))
        if kind == "kt":
            # \kt sets the karaoke clock (centiseconds from the line start).
            self.clock = ms
            self.syllables.append(_Syllable(ms, ms, "kt"))
        else:
            self.syllables.append(_Syllable(self.clock, self.clock + ms, kind))  # type: ignore[arg-type]
            self.clock += ms

    # -- driver

    def run(self, text: str) -> None:
        """Read the whole Text field: blocks, escapes and plain text."""
        length = len(text)
        index = 0
        while index < length:
            char = text[index]
            if char == "{":
                close = text.find("}", index + 1)
                if close == -1:
                    self.ctx.note("'{' without a closing '}'", "kept it as text")
                    self.text("{")
                    index += 1
                    continue
                self.block(text[index + 1 : close])
                index = close + 1
                continue
            if self.drawing:
                end = text.find("{", index)
                end = length if end == -1 else end
                self.raw(text[index:end])
                index = end
                continue
            if char == "\\" and index + 1 < length:
                following = text[index + 1]
                if following == "N":
                    self.line_break()
                elif following == "n":
                    # A soft break: a line break only in wrap style 2, else a space.
                    if self.wrap == 2:
                        self.line_break()
                    else:
                        self.text(" ")
                elif following == "h":
                    self.text(_NBSP)
                elif following in "{}":
                    self.text(following)  # libass escapes
                elif following == _WJ:
                    self.text("\\")  # subkit's escape of a literal backslash (see escape_text)
                else:
                    self.text("\\")
                    index += 1
                    continue
                index += 2
                continue
            end = index + 1
            while end < length and text[end] not in "{\\":
                end += 1
            self.text(text[index:end])
            index = end
        self.flush()

    def words(self, start_ms: int) -> tuple[Word, ...]:
        """The syllables as words with absolute times."""
        if not self.syllables:
            return ()
        if self.clock > self.duration:
            self.ctx.note("karaoke syllables run past the end of the line", "kept their times")
        return tuple(
            Word(text="".join(s.parts), start_ms=start_ms + s.start, end_ms=start_ms + s.end, kind=s.kind)
            for s in self.syllables
        )


def parse_event_text(
    text: str,
    *,
    start_ms: int,
    end_ms: int,
    ctx: TagContext,
    wrap_style: int = 0,
) -> ParsedText:
    """Read an event's Text field.

    Escapes: ``\\N`` is a hard break; ``\\n`` a break under wrap style 2
    (``WrapStyle: 2`` or ``\\q2``), else a space; ``\\h`` U+00A0; ``\\{`` and
    ``\\}`` literal braces (libass); a backslash followed by U+2060 (word
    joiner) is a literal backslash and the joiner is dropped (subkit's own
    escape, see :func:`escape_text`).
    """
    if "{" not in text and "\\" not in text:
        return ParsedText((Run(text),) if text else ())
    reader = _TextReader(ctx, wrap_style, end_ms - start_ms)
    reader.run(text)
    return ParsedText(tuple(reader.items), reader.align, reader.pos, reader.words(start_ms))


# ---------------------------------------------------------------- plans

#: ``{...}`` override blocks; :meth:`re.Pattern.split` gives text, block, text, ...
_BLOCK: Final = re.compile(r"\{([^}]*)\}")
#: The escapes of event text (a lone backslash before anything else is literal).
_ESCAPE: Final = re.compile("\\\\([Nnh{}\u2060])")
_BREAK_ITEM: Final[ContentItem] = LineBreak()
_PLANS_MAX: Final = 4096
_NO_PLAN: Final = object()


class _Plan(NamedTuple):
    """How to build the content of event text with one override-tag sequence.

    ``ops`` holds, in order, ``(index, style)`` for the text piece
    ``parts[index]`` of the split text, or ``(-1, raw)`` for raw markup.
    """

    ops: tuple[tuple[int, RunStyle | Raw], ...]
    align: int | None
    pos: tuple[float, float] | None


#: Event text without override blocks: one piece in the event's style.
_PLAIN_PLAN: Final = _Plan(((0, PLAIN),), None, None)

#: What :meth:`EventPlans.read` gives: content, alignment, position, words.
EventText = tuple[tuple[ContentItem, ...], int | None, tuple[float, float] | None, tuple[Word, ...]]


def _lines(piece: str, wrap: int) -> list[str]:
    """The text of ``piece`` (no override block) with its escapes resolved, cut at its line breaks."""
    if piece.count("\\") == piece.count("\\N"):
        return piece.split("\\N")
    lines: list[str] = []
    current: list[str] = []
    for number, chunk in enumerate(_ESCAPE.split(piece)):
        if not number & 1:
            current.append(chunk)
        elif chunk == "N" or (chunk == "n" and wrap == 2):
            lines.append("".join(current))
            current = []
        elif chunk == "n":
            current.append(" ")
        elif chunk == "h":
            current.append(_NBSP)
        elif chunk == _WJ:
            current.append("\\")
        else:
            current.append(chunk)  # an escaped brace
    lines.append("".join(current))
    return lines


class EventPlans:
    """Event texts read through one plan per distinct override-tag sequence.

    Scripts repeat a few tag sequences (``{\\i1}..``, ``{\\an8}..``) on
    thousands of events. The tag interpreter runs once per sequence (and per
    event style and wrap style), with the text pieces left out, and records the
    run style in force at each piece and the raw markup between them; later
    events with the same sequence are built from that record. Sequences whose
    effect depends on the text (karaoke, drawings, ``\\q``) or that raise a
    diagnostic are read by :func:`parse_event_text` every time, and so is text
    with an escaped ``\\{``. The content is the same either way.
    """

    __slots__ = ("plans",)

    def __init__(self) -> None:
        self.plans: dict[tuple[object, ...], object] = {}

    def read(self, text: str, style: str | None, ctx: TagContext, wrap_style: int, start_ms: int,
             end_ms: int) -> EventText:
        """The content, alignment, position and karaoke words of an event's Text field."""
        if "{" not in text:
            if "\\" not in text:
                return ((_trusted_run(text),) if text else ()), None, None, ()
            if text.count("\\") == text.count("\\N"):
                # Plain lines (the usual two): no plan needed.
                items: list[ContentItem] = []
                for number, line in enumerate(text.split("\\N")):
                    if number:
                        items.append(_BREAK_ITEM)
                    if line:
                        items.append(_trusted_run(line))
                return tuple(items), None, None, ()
            parts = [text]
            plan: object = _PLAIN_PLAN
        else:
            parts = _BLOCK.split(text)
            if "\\{" in text or text.count("{") != len(parts) >> 1:
                plan = None  # an escaped or unclosed brace
            else:
                key = (style, wrap_style, *parts[1::2])
                plan = self.plans.get(key, _NO_PLAN)
                if plan is _NO_PLAN:
                    plan = _make_plan(parts, ctx, wrap_style)
                    if len(self.plans) < _PLANS_MAX:
                        self.plans[key] = plan
        if plan is None:
            parsed = parse_event_text(text, start_ms=start_ms, end_ms=end_ms, ctx=ctx, wrap_style=wrap_style)
            return parsed.content, parsed.align, parsed.pos, parsed.words
        ops: tuple[tuple[int, RunStyle | Raw], ...]
        align: int | None
        pos: tuple[float, float] | None
        ops, align, pos = plan  # type: ignore[misc]
        items = []
        append = items.append
        last: RunStyle | None = None  # the style of items[-1] when it is a run
        for index, what in ops:
            if index < 0:
                append(what)  # type: ignore[arg-type]
                last = None
                continue
            piece = parts[index]
            if not piece:
                continue
            lines = _lines(piece, wrap_style) if "\\" in piece else (piece,)
            for number, line in enumerate(lines):
                if number:
                    append(_BREAK_ITEM)
                    last = None
                if not line:
                    continue
                if last is not None and (last is what or last == what):
                    items[-1] = _trusted_run(items[-1].text + line, what)  # type: ignore[union-attr]
                else:
                    append(_trusted_run(line, what))
                    last = what  # type: ignore[assignment]
        return tuple(items), align, pos, ()


def _make_plan(parts: list[str], ctx: TagContext, wrap_style: int) -> _Plan | None:
    """Interpret the blocks of ``parts`` without the text; ``None`` when the sequence needs the text."""
    notes: list[str] = []
    quiet = TagContext(base=ctx.base, styles=ctx.styles, flavour=ctx.flavour,
                       warn=lambda message, action: notes.append(message))
    reader = _TextReader(quiet, wrap_style, 0)
    ops: list[tuple[int, RunStyle | Raw]] = []
    for index, part in enumerate(parts):
        if not index & 1:
            ops.append((index, reader.state))
            continue
        before = len(reader.items)
        reader.block(part)
        if notes or reader.drawing or reader.syllables or reader.wrap != wrap_style:
            return None
        ops.extend((-1, item) for item in reader.items[before:])  # type: ignore[misc]
    return _Plan(tuple(ops), reader.align, reader.pos)


# ---------------------------------------------------------------- writing


_NEEDS_ESCAPE = re.compile("[\\\\{}\u00a0]")


def escape_text(text: str) -> str:
    """Escape run text for an event line (see :func:`parse_event_text`)."""
    if not _NEEDS_ESCAPE.search(text):
        return text
    out: list[str] = []
    last = len(text) - 1
    for index, char in enumerate(text):
        if char == "\\":
            out.append("\\")
            # A backslash before N, n, h, { or } (or at the run's end, where
            # the next piece is unknown) would start an escape: a word joiner
            # (invisible, ignored by shapers) keeps it literal. One before a
            # literal word joiner gets one too, so the reader keeps both.
            if index == last or text[index + 1] in "Nnh{}" + _WJ:
                out.append(_WJ)
        elif char in "{}":
            out.append("\\" + char)
        elif char == _NBSP:
            out.append("\\h")
        else:
            out.append(char)
    return "".join(out)


def style_tags(new: RunStyle, cur: RunStyle, base: Base, flavour: Flavour) -> str:
    """The override tags that turn run style ``cur`` into ``new`` (both relative to ``base``)."""
    if new is cur or new == cur:
        return ""
    tags: list[str] = []
    font_new = new.font_family or base.font
    if font_new != (cur.font_family or base.font):
        tags.append("\\fn" + font_new.replace("\\", "").replace("}", ""))
    size_new = new.font_size if new.font_size is not None else base.size
    if size_new != (cur.font_size if cur.font_size is not None else base.size):
        tags.append("\\fs" + format_number(size_new))
    weight = _eff_weight(new, base)
    if weight != _eff_weight(cur, base):
        tags.append(f"\\b{weight}")
    for attr, tag, reference in (
        ("italic", "i", base.italic),
        ("underline", "u", base.underline),
        ("strike", "s", base.strike),
    ):
        if flavour == "ssa" and tag in "us":
            continue  # SSA has no \u or \s (reported by the writer)
        value = getattr(new, attr)
        value = reference if value is None else value
        old = getattr(cur, attr)
        old = reference if old is None else old
        if value != old:
            tags.append(f"\\{tag}{1 if value else 0}")
    for attr, rgb_tag, alpha_tag, default in (
        ("color", "\\c", "\\1a", base.color),
        ("outline_color", "\\3c", "\\3a", base.outline),
        ("shadow_color", "\\4c", "\\4a", base.shadow),
    ):
        color: Color = getattr(new, attr) or default
        previous: Color = getattr(cur, attr) or default
        if (color.r, color.g, color.b) != (previous.r, previous.g, previous.b):
            tags.append(rgb_tag + _tag_rgb(color))
        if color.a != previous.a:
            tags.append(alpha_tag + _tag_alpha(color))
    return "".join(tags)


def format_number(value: float) -> str:
    """A number as short as it reads back exactly: ``20``, ``2.4``."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def _replay(markup: str, state: RunStyle, ctx: TagContext) -> RunStyle:
    """The run style after raw markup, as the reader would see it."""
    if not markup.startswith("{"):
        return state
    for block in re.findall(r"\{([^{}]*)\}", markup):
        for token in tokenize_block(block):
            changed = apply_tag(state, token, ctx)
            if changed is not None:
                state = changed[0]
    return state


def _mergeable(markup: str) -> bool:
    # Tags appended to an unbalanced "\\t(" would end up inside its argument.
    return (
        markup.startswith("{\\")
        and markup.endswith("}")
        and markup.count("{") == markup.count("}") == 1
        and markup.count("(") == markup.count(")")
    )


def _word_offsets(cue: Cue, plain: str) -> list[int] | None:
    """Where each word starts in the plain text, or ``None`` if they cannot be placed."""
    words = cue.words
    if "".join(w.text for w in words) == plain:
        offsets = []
        position = 0
        for word in words:
            offsets.append(position)
            position += len(word.text)
        return offsets
    # Words from transcripts carry no spaces: find each one in order.
    offsets = []
    position = 0
    for word in words:
        needle = word.text.strip()
        found = plain.find(needle, position) if needle else position
        if found < 0:
            return None
        offsets.append(found)
        position = found + len(needle)
    offsets[0] = 0
    return offsets


def karaoke_tags(
    cue: Cue, start_cs: int, report: LossReport, index: int, flavour: Flavour = "ass"
) -> list[tuple[int, str]] | None:
    """``(offset in plain text, tags)`` for the cue's words, or ``None`` when they cannot be placed.

    Durations come from rounding the absolute word boundaries to centiseconds
    and subtracting (formats.md §0), so they add up to the rounded times. A
    gap before a word becomes an empty syllable; overlaps are cut.
    """
    plain = cue.plain_text()
    offsets = _word_offsets(cue, plain)
    if offsets is None:
        report.add("word-timing", "word texts do not match the cue text; no \\k tags written", cue=index)
        return None
    words = cue.words
    result: list[tuple[int, str]] = []
    clock = start_cs
    adjusted = False
    for number, (word, offset) in enumerate(zip(words, offsets, strict=True)):
        begin = ass_round(word.start_ms) // 10
        end = ass_round(word.end_ms) // 10
        if number == 0 and word.kind is None and begin == start_cs and end == begin and len(words) > 1:
            continue  # text before the first \k: no tag needed
        if word.kind == "kt":
            result.append((offset, f"\\kt{max(begin - start_cs, 0)}"))
            clock = max(begin, start_cs)
            continue
        if begin > clock:
            result.append((offset, f"\\k{begin - clock}"))  # an empty syllable for the gap
            clock = begin
        elif begin < clock:
            adjusted = True
        if number + 1 < len(words) and words[number + 1].kind != "kt":
            following = ass_round(words[number + 1].start_ms) // 10
            if following < end:
                end = following
                adjusted = True
        end = max(end, clock)
        # SSA v4.00 spells the sweep \\K; \\kf is the v4.00+ name.
        tag = {"kf": "\\kf" if flavour == "ass" else "\\K", "ko": "\\ko"}.get(word.kind or "k", "\\k")
        result.append((offset, f"{tag}{end - clock}"))
        clock = end
    if adjusted:
        report.add("word-timing", "overlapping word times were cut to fit consecutive \\k syllables",
                   cue=index)
    return result


def _plain_event_text(cue: Cue) -> str | None:
    """The Text field of a cue of unstyled runs and breaks (the usual event), else ``None``."""
    plain: list[str] = []
    for item in cue.content:
        kind = type(item)
        if kind is Run and item.style is PLAIN:  # type: ignore[union-attr]
            text = item.text  # type: ignore[union-attr]
            plain.append(escape_text(text) if _NEEDS_ESCAPE.search(text) else text)
        elif kind is LineBreak:
            plain.append("\\N")
        else:
            return None
    return "".join(plain)


def format_event_text(
    cue: Cue,
    *,
    ctx: TagContext,
    line_tags: str,
    karaoke: Sequence[tuple[int, str]] = (),
) -> str:
    """Write a cue's content as an event Text field.

    ``line_tags`` (``\\an``, ``\\pos``) open the text; ``karaoke`` tags go at
    their plain-text offsets, before anything else at that offset. Style tags
    are merged into the block just before them when that block holds tags
    only; raw markup of the ``ass`` format is written verbatim.
    """
    if not line_tags and not karaoke:
        plain = _plain_event_text(cue)
        if plain is not None:
            return plain
    out: list[str] = []
    mergeable = False  # whether out[-1] is a tag block more tags may join

    def tags(text: str) -> None:
        nonlocal mergeable
        if not text:
            return
        if mergeable:
            out[-1] = out[-1][:-1] + text + "}"
        else:
            out.append("{" + text + "}")
            mergeable = True

    def emit(text: str) -> None:
        nonlocal mergeable
        if text:
            out.append(text)
            mergeable = False

    tags(line_tags)
    pending = iter(karaoke)
    upcoming: tuple[int, str] | None = next(pending, None)
    state = PLAIN
    offset = 0

    def karaoke_until(limit: int) -> Iterator[tuple[int, str]]:
        nonlocal upcoming
        while upcoming is not None and upcoming[0] <= limit:
            yield upcoming
            upcoming = next(pending, None)

    for item in cue.content:
        kind = type(item)
        if kind is Run:
            run: Run = item  # type: ignore[assignment]
            for _, tag in karaoke_until(offset):
                tags(tag)
            tags(style_tags(run.style, state, ctx.base, ctx.flavour))
            state = run.style
            text = run.text
            cut = 0
            for position, tag in karaoke_until(offset + len(text) - 1):
                emit(escape_text(text[cut : position - offset]))
                tags(tag)
                cut = position - offset
            emit(escape_text(text[cut:]))
            offset += len(text)
        elif kind is LineBreak:
            for _, tag in karaoke_until(offset):
                tags(tag)
            emit("\\N")
            offset += 1
        else:
            raw: Raw = item  # type: ignore[assignment]
            if raw.format != "ass":
                continue  # reported by the writer
            for _, tag in karaoke_until(offset):
                tags(tag)
            out.append(raw.markup)
            mergeable = _mergeable(raw.markup)
            state = _replay(raw.markup, state, ctx)
    for _, tag in karaoke_until(offset):
        tags(tag)
    return "".join(out)
