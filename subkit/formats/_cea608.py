"""The CEA-608 machinery shared by SCC and MCC: parity, the decoder model, the encoder.

608 data is a stream of byte pairs, one pair per frame (per field). A pair
whose first byte is 0x10-0x1F is a control code (misc commands, preamble
address codes, mid-row codes, special and extended characters); other pairs
carry one or two characters of the standard set. Every byte has odd parity.

**Decoding** (:class:`Decoder`) runs the receiver model of CTA-608: a displayed
memory, a non-displayed memory and a cursor, in one of three caption modes.
A change of what is displayed ends the caption on screen and starts the next:

* pop-on: text loads into the non-displayed memory; ``EOC`` swaps the memories,
  so a caption starts at the frame of its ``EOC``; ``EDM`` (or the next ``EOC``)
  ends it;
* roll-up (``RU2``-``RU4``) and paint-on (``RDC``): text, ``CR``, ``BS``, ``DER``
  and ``EDM`` change the display directly. The changes of one burst (pairs on
  consecutive frames, no null pair between) make one caption, starting at the
  burst's first change, so typing a line does not make a caption per letter.

**Encoding** (:func:`encode`) lays each cue out on the 15x32 grid, turns it
into words and schedules them so that a pop-on caption's ``EOC`` lands on the
cue's start frame: the loading words go into the free frames before it
(*load-time scheduling*), the ``EDM`` at the cue's end frame. When captions
come too close to load in time, a caption starts late (or is dropped) and the
loss report says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction

from subkit.formats._cea608_chars import (
    EXTENDED,
    FALLBACK,
    SPECIAL,
    STANDARD,
    encode_char,
    substitute,
)
from subkit.model import (
    NOWHERE,
    Color,
    ContentItem,
    Cue,
    Document,
    LineBreak,
    LossReport,
    Placement,
    Run,
    RunStyle,
    _trusted_run,
)
from subkit.timing import ms_to_frames

__all__ = [
    "COLORS",
    "LAYOUT_KEY",
    "Caption",
    "Decoder",
    "Scheduled",
    "Throttle",
    "caption_cue",
    "captions_to_cues",
    "describe",
    "encode",
    "frame_ms",
    "has_odd_parity",
    "placement_of",
    "with_parity",
]

#: The ``Cue.extra`` key holding the 608 layout (``row:column`` per line), shared by SCC and MCC.
LAYOUT_KEY = "cea608.layout"

#: The seven 608 foreground colours in code order; white (index 0) is the default, ``None``.
COLORS: tuple[Color | None, ...] = (
    None,
    Color(r=0, g=255, b=0),
    Color(r=0, g=0, b=255),
    Color(r=0, g=255, b=255),
    Color(r=255, g=0, b=0),
    Color(r=255, g=255, b=0),
    Color(r=255, g=0, b=255),
)
_COLOR_NAMES = ("white", "green", "blue", "cyan", "red", "yellow", "magenta", "italics")

#: Byte with its odd-parity bit set, for every 7-bit value.
_PARITY = bytes(b | (0x80 if bin(b).count("1") % 2 == 0 else 0) for b in range(128))


def with_parity(byte: int) -> int:
    """``byte`` (7-bit) with the parity bit that makes its count of 1 bits odd.

    >>> hex(with_parity(0x48)), hex(with_parity(0x69))
    ('0xc8', '0xe9')
    """
    return _PARITY[byte & 0x7F]


#: 1 where a byte value has an odd number of 1 bits.
_ODD = bytes(bin(b).count("1") % 2 for b in range(256))


def has_odd_parity(byte: int) -> bool:
    """Whether ``byte`` has an odd number of 1 bits (608 bytes must)."""
    return _ODD[byte] == 1


def frame_ms(frame: int, fps: Fraction) -> int:
    """:func:`subkit.timing.frames_to_ms` (half up) in integer arithmetic, for speed.

    >>> from subkit.timing import FPS_29_97, frames_to_ms
    >>> all(frame_ms(n, FPS_29_97) == frames_to_ms(n, FPS_29_97) for n in range(0, 10**6, 997))
    True
    """
    num, den = fps.numerator, fps.denominator
    return (2000 * frame * den + num) // (2 * num)


def _word(b1: int, b2: int) -> int:
    return _PARITY[b1] << 8 | _PARITY[b2]


# Misc control codes: second byte -> name (first byte 0x14/0x1C field 1, 0x15/0x1D field 2).
_MISC = {
    0x20: "RCL", 0x21: "BS", 0x22: "AOF", 0x23: "AON", 0x24: "DER", 0x25: "RU2", 0x26: "RU3",
    0x27: "RU4", 0x28: "FON", 0x29: "RDC", 0x2A: "TR", 0x2B: "RTD", 0x2C: "EDM", 0x2D: "CR",
    0x2E: "ENM", 0x2F: "EOC",
}
_MISC_CODE = {name: code for code, name in _MISC.items()}

# PAC rows: (first byte without the channel bit, second byte & 0x60) -> row.
_PAC_ROWS = {
    (0x11, 0x40): 1, (0x11, 0x60): 2, (0x12, 0x40): 3, (0x12, 0x60): 4, (0x15, 0x40): 5, (0x15, 0x60): 6,
    (0x16, 0x40): 7, (0x16, 0x60): 8, (0x17, 0x40): 9, (0x17, 0x60): 10, (0x10, 0x40): 11, (0x10, 0x60): 11,
    (0x13, 0x40): 12, (0x13, 0x60): 13, (0x14, 0x40): 14, (0x14, 0x60): 15,
}
_ROW_CODES = {row: key for key, row in _PAC_ROWS.items() if key != (0x10, 0x60)}

# A cell of a caption memory: (character, style key); a style key is (colour index, italic, underline).
StyleKey = tuple[int, bool, bool]
Cell = tuple[str, StyleKey]
_WHITE: StyleKey = (0, False, False)


# --------------------------------------------------------------------------- disassembly


def describe(b1: int, b2: int) -> tuple[str, int | None]:
    """Name the pair ``b1 b2`` (parity stripped) and its caption channel (1-4, or None).

    Misc codes name their channel exactly (``0x14`` CC1, ``0x1C`` CC2,
    ``0x15`` CC3, ``0x1D`` CC4); other control codes only name the data
    channel, reported as CC1/CC2 (field 1, as SCC carries).

    >>> describe(0x14, 0x20), describe(0x14, 0x72), describe(0x48, 0x69)
    (('RCL', 1), ('PAC row 15 indent 4', 1), ('"Hi"', None))
    """
    if b1 == 0 and b2 == 0:
        return "null", None
    if b1 < 0x10:
        return f"XDS {b1:02x}{b2:02x}", None
    if b1 >= 0x20:
        text = "".join(STANDARD[b] for b in (b1, b2) if b >= 0x20)
        return f'"{text}"', None
    channel = 2 if b1 & 0x08 else 1
    base = b1 & 0xF7
    if base in (0x14, 0x15) and 0x20 <= b2 <= 0x2F:
        return _MISC[b2], channel + (2 if base == 0x15 else 0)
    if base == 0x17 and 0x21 <= b2 <= 0x23:
        return f"TO{b2 - 0x20}", channel
    if b2 >= 0x40:
        row = _PAC_ROWS[(base, b2 & 0x60)]
        low = b2 & 0x1F
        what = f"indent {(low & 0x0E) * 2}" if low & 0x10 else _COLOR_NAMES[low >> 1]
        return f"PAC row {row} {what}{' underline' if b2 & 1 else ''}", channel
    if base == 0x11 and b2 < 0x30 and b2 >= 0x20:
        return f"mid-row {_COLOR_NAMES[(b2 & 0x0E) >> 1]}{' underline' if b2 & 1 else ''}", channel
    if base == 0x11 and 0x30 <= b2 <= 0x3F:
        return ("transparent space" if b2 == 0x39 else f"special '{SPECIAL[b2]}'"), channel
    if base in (0x12, 0x13) and 0x20 <= b2 <= 0x3F:
        return f"extended '{EXTENDED[(base, b2)]}'", channel
    if (base == 0x10 and 0x20 <= b2 <= 0x2F) or (base == 0x17 and 0x2D <= b2 <= 0x2F):
        return "background/attribute", channel
    return f"unknown {b1:02x}{b2:02x}", channel


# --------------------------------------------------------------------------- decoding


@dataclass(frozen=True, slots=True)
class Caption:
    """One decoded display state.

    Attributes:
        start: the frame it appeared at.
        end: the frame it disappeared at, ``None`` when still shown at the end of the data.
        rows: ``(row, column, cells)`` per non-blank row, top to bottom.
        mode: ``pop-on``, ``roll-up2``-``roll-up4`` or ``paint-on``.
    """

    start: int
    end: int | None
    rows: tuple[tuple[int, int, tuple[Cell, ...]], ...]
    mode: str


Memory = dict[int, list[Cell | None]]
#: Called with (message, action) when the decoder skips something odd.
NoteCallback = Callable[[str, str], None]


def _ignore(message: str, action: str) -> None:
    """The default note callback: discard."""


class Decoder:
    """The 608 receiver model for one caption channel; feed it pairs, collect :class:`Caption` objects.

    Args:
        channel: 1-4 (CC1-CC4). CC1/CC2 are field 1, CC3/CC4 field 2.
        field: the field the pairs come from when the container says (MCC);
            ``None`` (SCC) takes it from the misc codes (``0x14`` field 1,
            ``0x15`` field 2).
        note: called with ``(message, action)`` for odd data the decoder skips.
    """

    def __init__(self, channel: int = 1, *, field: int | None = None, note: NoteCallback = _ignore) -> None:
        self.want = ((channel - 1) // 2 + 1, (channel - 1) % 2 + 1)  # (field, data channel)
        self.known_field = field
        self.note = note
        self.active = (field or 1, 1)
        self.displayed: Memory = {}
        self.hidden: Memory = {}
        self.mode = ""
        self.depth = 2
        self.base = 15
        self.row = 15
        self.col = 0
        self.style: StyleKey = _WHITE
        self.text_mode = False
        self.last_control = -1
        self.frame = 0
        self.last_frame = -2
        self.dirty: int | None = None
        self.burst = 0  # the first frame of the current burst (pairs on consecutive frames, no null)
        self.after_null = False
        self.open: tuple[int, tuple[tuple[int, int, tuple[Cell, ...]], ...], str] | None = None
        self.captions: list[Caption] = []
        self.skipped: set[str] = set()

    # ---------------------------------------------------------------- input

    def feed(self, frame: int, b1: int, b2: int) -> None:
        """Process one pair (parity already stripped) received at ``frame``."""
        null = b1 == 0 and b2 == 0
        gap = frame > self.last_frame + 1
        if self.dirty is not None and (gap or null):
            self._flush()
        if gap or self.after_null:
            self.burst = frame
        self.after_null = null
        self.frame = frame
        self.last_frame = frame
        if null:
            # Padding: it does not separate a control code from its repeat (MCC streams put
            # null pairs of the other field's rate between them).
            return
        if 0x10 <= b1 <= 0x1F:
            word = b1 << 8 | b2
            if word == self.last_control:
                # The redundant copy of a control code: ignored once.
                self.last_control = -1
                return
            self.last_control = word
            self._control(b1, b2)
            return
        self.last_control = -1
        if b1 < 0x10:
            return  # extended data services (field 2): not captions
        if self.active != self.want or self.text_mode:
            return
        # Two characters: the hot path, with _put() written out.
        direct = self.mode == "roll-up" or self.mode == "paint-on"
        memory = self.displayed if direct else self.hidden
        cells = memory.get(self.row)
        if cells is None:
            cells = memory[self.row] = [None] * 32
        col, style = self.col, self.style
        cells[col] = (STANDARD[b1], style)
        if col < 31:
            col += 1
        if b2 >= 0x20:
            cells[col] = (STANDARD[b2], style)
            if col < 31:
                col += 1
        self.col = col
        if direct:
            self._touch()

    def feed_line(self, frame: int, pairs: list[tuple[int, int] | None]) -> None:
        """Process consecutive pairs: pair *k* at ``frame + k`` (``None``: a word to skip, its frame kept).

        The same as :meth:`feed` for each pair, with the commonest case (two
        characters loading into a pop-on caption) written out for speed.
        """
        feed = self.feed
        for offset, pair in enumerate(pairs):
            if pair is None:
                continue
            b1, b2 = pair
            at = frame + offset
            # (A pending display change is flushed only at a gap, a null pair or EOC: none here.)
            if (b1 >= 0x20 and self.mode == "pop-on" and at == self.last_frame + 1 and not self.after_null
                    and not self.text_mode and self.active == self.want):
                self.frame = self.last_frame = at
                self.last_control = -1
                cells = self.hidden.get(self.row)
                if cells is None:
                    cells = self.hidden[self.row] = [None] * 32
                col, style = self.col, self.style
                cells[col] = (STANDARD[b1], style)
                if col < 31:
                    col += 1
                if b2 >= 0x20:
                    cells[col] = (STANDARD[b2], style)
                    if col < 31:
                        col += 1
                self.col = col
                continue
            feed(at, b1, b2)

    def finish(self) -> list[Caption]:
        """Close the stream: the caption on screen stays open (``end=None``)."""
        self._flush()
        if self.open is not None:
            start, rows, mode = self.open
            self.captions.append(Caption(start, None, rows, mode))
            self.open = None
        return self.captions

    # ---------------------------------------------------------------- commands

    def _control(self, b1: int, b2: int) -> None:
        data_channel = 2 if b1 & 0x08 else 1
        base = b1 & 0xF7
        field = self.active[0]
        if base in (0x14, 0x15) and 0x20 <= b2 <= 0x2F:
            field = self.known_field or (2 if base == 0x15 else 1)
        self.active = (field, data_channel)
        if self.active != self.want:
            return
        if base in (0x14, 0x15) and 0x20 <= b2 <= 0x2F:
            self._misc(_MISC[b2])
        elif self.text_mode:
            return
        elif base == 0x17 and 0x21 <= b2 <= 0x23:
            self.col = min(31, self.col + b2 - 0x20)
        elif b2 >= 0x40:
            self._pac(_PAC_ROWS[(base, b2 & 0x60)], b2)
        elif base == 0x11 and 0x20 <= b2 <= 0x2F:
            # A mid-row code takes a column, shown as a space in the style before it.
            attr, underline = (b2 & 0x0E) >> 1, bool(b2 & 1)
            self._put(" ")
            if attr == 7:
                self.style = (self.style[0], True, underline)
            else:
                self.style = (attr, False, underline)
        elif base == 0x11 and 0x30 <= b2 <= 0x3F:
            self._put(SPECIAL[b2])
        elif base in (0x12, 0x13) and 0x20 <= b2 <= 0x3F:
            # An extended character replaces the fallback sent before it (implied backspace).
            self._backspace()
            self._put(EXTENDED[(base, b2)])
        elif (base == 0x10 and 0x20 <= b2 <= 0x2F) or (base == 0x17 and 0x2D <= b2 <= 0x2F):
            return  # background and foreground attribute codes: optional, not modelled
        else:
            self._skip(f"unknown control code {b1:02x}{b2:02x}")

    def _skip(self, what: str) -> None:
        if what not in self.skipped:
            self.skipped.add(what)
            self.note(what, "ignored it")

    def _misc(self, name: str) -> None:
        if name == "RCL":
            self.mode, self.text_mode = "pop-on", False
        elif name in ("RU2", "RU3", "RU4"):
            depth = int(name[2])
            if self.mode != "roll-up":
                # Entering roll-up erases both memories and puts the cursor on the base row.
                self._erase_displayed()
                self.hidden = {}
                self.base = 15
            else:
                for row in list(self.displayed):
                    if row <= self.base - depth:
                        del self.displayed[row]
                        self._touch()
            self.mode, self.depth, self.text_mode = "roll-up", depth, False
            self.row, self.col = self.base, 0
        elif name == "RDC":
            self.mode, self.text_mode = "paint-on", False
        elif name in ("TR", "RTD"):
            self.text_mode = True  # text service data follows: not captions
        elif name == "EDM":
            self._erase_displayed()
        elif name == "ENM":
            self.hidden = {}
        elif name == "EOC":
            self._flush()
            self.displayed, self.hidden = self.hidden, self.displayed
            self.mode, self.text_mode = "pop-on", False
            self._emit(self.frame)
        elif name == "CR":
            if self.mode == "roll-up":
                self._roll()
            self.col = 0
        elif name == "BS":
            self._backspace()
        elif name == "DER":
            cells = self._target().get(self.row)
            if cells is not None:
                for col in range(self.col, 32):
                    cells[col] = None
                self._touch_if_displayed()
        # AOF, AON and FON (flash) change nothing in the text.

    def _pac(self, row: int, b2: int) -> None:
        low = b2 & 0x1F
        underline = bool(b2 & 1)
        if low & 0x10:
            self.style = (0, False, underline)
            self.col = (low & 0x0E) * 2
        else:
            attr = low >> 1
            self.style = (0, True, underline) if attr == 7 else (attr, False, underline)
            self.col = 0
        if self.mode == "roll-up":
            row = max(row, self.depth)
            if row != self.base and self.displayed:
                # The roll-up window moves with its base row.
                shift = row - self.base
                self.displayed = {r + shift: cells for r, cells in self.displayed.items() if 1 <= r + shift <= 15}
                self._touch()
            self.base = row
        self.row = row

    def _roll(self) -> None:
        top = self.base - self.depth + 1
        moved: Memory = {}
        for row, cells in self.displayed.items():
            if top < row <= self.base:
                moved[row - 1] = cells
        if moved or self.displayed:
            self._touch()
        self.displayed = moved

    # ---------------------------------------------------------------- memory

    def _target(self) -> Memory:
        return self.displayed if self.mode in ("roll-up", "paint-on") else self.hidden

    def _put(self, char: str) -> None:
        memory = self._target()
        cells = memory.get(self.row)
        if cells is None:
            cells = memory[self.row] = [None] * 32
        cells[self.col] = (char, self.style)
        if self.col < 31:
            self.col += 1
        if memory is self.displayed:
            self._touch()

    def _backspace(self) -> None:
        if self.col > 0:
            self.col -= 1
            cells = self._target().get(self.row)
            if cells is not None:
                cells[self.col] = None
                self._touch_if_displayed()

    def _erase_displayed(self) -> None:
        if self.displayed:
            self.displayed = {}
            self._touch()

    def _touch_if_displayed(self) -> None:
        if self.mode in ("roll-up", "paint-on"):
            self._touch()

    def _touch(self) -> None:
        # Roll-up and paint-on changes date from the start of their burst, so that a
        # line typed over a few frames is one caption from its first word on.
        if self.dirty is None:
            self.dirty = self.burst if self.mode in ("roll-up", "paint-on") else self.frame

    # ---------------------------------------------------------------- output

    def _flush(self) -> None:
        if self.dirty is not None:
            frame, self.dirty = self.dirty, None
            self._emit(frame)

    def _mode_name(self) -> str:
        if self.mode == "roll-up":
            return f"roll-up{self.depth}"
        return self.mode or "pop-on"

    def _emit(self, frame: int) -> None:
        rows = _snapshot(self.displayed)
        if self.open is not None:
            start, shown, mode = self.open
            if rows == shown:
                return
            if frame > start:
                self.captions.append(Caption(start, frame, shown, mode))
        self.open = (frame, rows, self._mode_name()) if rows else None


def _snapshot(memory: Memory) -> tuple[tuple[int, int, tuple[Cell, ...]], ...]:
    """The non-blank rows of ``memory``: leading and trailing spaces are not text."""
    rows = []
    for row in sorted(memory):
        cells = memory[row]
        shown = [i for i, c in enumerate(cells) if c is not None and c[0] != " "]
        if not shown:
            continue
        first, last = shown[0], shown[-1]
        line: list[Cell] = []
        style = cells[first][1]  # type: ignore[index]
        for cell in cells[first : last + 1]:
            if cell is None:
                cell = (" ", style)  # an unwritten column inside a row reads as a space
            style = cell[1]
            line.append(cell)
        rows.append((row, first, tuple(line)))
    return tuple(rows)


_STYLES: dict[StyleKey, RunStyle] = {}


def _run_style(key: StyleKey) -> RunStyle:
    style = _STYLES.get(key)
    if style is None:
        color, italic, underline = key
        style = _STYLES[key] = RunStyle(
            color=COLORS[color], italic=True if italic else None, underline=True if underline else None
        )
    return style


def placement_of(rows: Iterable[tuple[int, int, int]]) -> Placement:
    """The placement of a block of ``(row, column, length)`` rows on the 608 grid.

    The grid (15 rows of 32 columns) fills the central 80 % of the picture, as
    608 decoders draw it. The anchor (numpad ``align``) follows where the
    block sits: bottom, middle or top third; left, centred or right, and
    ``x``/``y`` (percent) are that anchor point.

    >>> p = placement_of([(14, 4, 24), (15, 4, 24)])
    >>> p.align, p.x, p.y
    (2, 50.0, 90.0)
    """
    items = tuple(rows)
    cached = _PLACEMENTS.get(items)
    if cached is None:
        cached = _PLACEMENTS[items] = _placement(items)
    return cached


_PLACEMENTS: dict[tuple[tuple[int, int, int], ...], Placement] = {}


def _placement(items: tuple[tuple[int, int, int], ...]) -> Placement:
    top = min(r for r, _, _ in items)
    bottom = max(r for r, _, _ in items)
    left = min(c for _, c, _ in items)
    right = max(c + n for _, c, n in items)
    if abs(left - (32 - right)) <= 1:
        column, h = Fraction(left + right, 2), 2
    elif left < 32 - right:
        column, h = Fraction(left), 1
    else:
        column, h = Fraction(right), 3
    if bottom >= 12:
        y, v = 10 + Fraction(bottom * 80, 15), 0
    elif top <= 4:
        y, v = 10 + Fraction((top - 1) * 80, 15), 6
    else:
        y, v = 10 + Fraction((top - 1 + bottom) * 40, 15), 3
    x = 10 + column * Fraction(5, 2)
    return Placement(align=v + h, x=round(float(x), 3), y=round(float(y), 3))


def caption_cue(caption: Caption, start_ms: int, end_ms: int) -> Cue:
    """The cue of a decoded caption (content, placement, mode and layout)."""
    content: list[ContentItem] = []
    layout: list[str] = []
    for row, col, cells in caption.rows:
        if content:
            content.append(LineBreak())
        layout.append(f"{row}:{col}")
        text: list[str] = []
        style = cells[0][1]
        for char, key in cells:
            if key != style:
                content.append(_trusted_run("".join(text), _run_style(style)))
                text, style = [], key
            text.append(char)
        content.append(_trusted_run("".join(text), _run_style(style)))
    placement = placement_of((row, col, len(cells)) for row, col, cells in caption.rows)
    return Cue(
        start_ms=start_ms,
        end_ms=max(end_ms, start_ms),
        content=tuple(content),
        placement=placement,
        caption_mode=caption.mode,
        extra={LAYOUT_KEY: " ".join(layout)},
    )


def captions_to_cues(captions: list[Caption], fps: Fraction, last_frame: int) -> list[Cue]:
    """Cues of decoded captions at ``fps``; a caption open at the end lasts until ``last_frame``
    (at least two seconds)."""
    cues = []
    minimum = ms_to_frames(2000, fps)
    for caption in captions:
        end = caption.end if caption.end is not None else max(last_frame, caption.start + minimum)
        cues.append(caption_cue(caption, frame_ms(caption.start, fps), frame_ms(end, fps)))
    return cues


# --------------------------------------------------------------------------- encoding


def _nearest_color(color: Color | None) -> tuple[int, bool]:
    """The 608 colour index for ``color`` and whether it is exact (white and None are both index 0)."""
    if color is None:
        return 0, True
    rgb = (color.r, color.g, color.b)
    if rgb == (255, 255, 255):
        return 0, color.a == 255
    best = min(
        range(7),
        key=lambda i: sum((a - b) ** 2 for a, b in zip(rgb, _rgb(COLORS[i]), strict=True)),
    )
    return best, _rgb(COLORS[best]) == rgb and color.a == 255


def _rgb(color: Color | None) -> tuple[int, int, int]:
    return (255, 255, 255) if color is None else (color.r, color.g, color.b)


class _Losses:
    """Counts value-dependent losses per feature, reported once at the end."""

    def __init__(self, report: LossReport) -> None:
        self.report = report
        self.entries: dict[str, tuple[str, int, int]] = {}

    def add(self, feature: str, message: str, cue: int) -> None:
        if self.report.strict:
            self.report.add(feature, message, cue=cue)
        old = self.entries.get(feature)
        self.entries[feature] = (message, cue, 1) if old is None else (old[0], old[1], old[2] + 1)

    def flush(self) -> None:
        for feature, (message, cue, count) in self.entries.items():
            self.report.add(feature, message, cue=cue, count=count)


def _cells(cue: Cue, index: int, losses: _Losses) -> list[list[Cell]]:
    """The cue's lines as 608 cells: characters mapped into the sets, styles into style keys."""
    lines: list[list[Cell]] = [[]]
    for item in cue.content:
        if type(item) is LineBreak:
            lines.append([])
        elif type(item) is Run:
            style = item.style
            color, exact = _nearest_color(style.color)
            if not exact:
                losses.add("color", "colours snapped to the seven 608 colours", index)
            key = (color, bool(style.italic), bool(style.underline))
            for char in item.text:
                if encode_char(char) is None:
                    replacement = substitute(char)
                    losses.add("characters", "characters outside the 608 sets replaced", index)
                    lines[-1].extend((c, key) for c in replacement)
                else:
                    lines[-1].append((char, key))
    result = []
    for line in lines:
        while line and line[0][0] == " ":
            line.pop(0)
        while line and line[-1][0] == " ":
            line.pop()
        if line:
            result.append(line)
    return result


def _wrap(line: list[Cell], width: int = 32) -> list[list[Cell]]:
    """Split a line longer than ``width`` at spaces (a word longer than a row is cut).

    It walks the line with an index (no slicing of the remainder), so a long
    line costs time linear in its length.
    """
    rows: list[list[Cell]] = []
    pos = 0
    size = len(line)
    while size - pos > width:
        cut = width
        for i in range(width, 0, -1):
            if line[pos + i][0] == " ":
                cut = i
                break
        rows.append(line[pos : pos + cut])
        pos += cut
        while pos < size and line[pos][0] == " ":
            pos += 1
    rows.append(line[pos:])
    return rows


def _transition(current: StyleKey, target: StyleKey) -> list[StyleKey]:
    """The mid-row codes (as the style each leaves) that go from ``current`` to ``target``."""
    color, italic, underline = target
    if italic:
        if current[0] == color:
            return [target]
        return [(color, False, underline), target]
    return [target]


def _midrow(after: StyleKey) -> tuple[int, int]:
    color, italic, underline = after
    return 0x11, 0x20 + 2 * (7 if italic else color) + underline


# A row token: ("c", char, key) a character; ("m", "", key) a mid-row code leaving style key.
Token = tuple[str, str, StyleKey]


def _row_tokens(cells: list[Cell], col: int, index: int, losses: _Losses) -> tuple[StyleKey, list[Token]]:
    """The PAC style and the tokens of one row starting at ``col`` (each token takes one column).

    A PAC sets white, a colour or white italics at column 0, and only white
    at an indent; other starting styles need mid-row codes before the text.
    """
    first = cells[0][1]
    pac_can = col == 0 and not (first[1] and first[0] != 0)
    start: StyleKey = first if pac_can else (0, False, first[2])
    tokens: list[Token] = []
    current = start
    for char, key in cells:
        if key != current:
            codes = _transition(current, key)
            if tokens and tokens[-1][0] == "c" and tokens[-1][1] == " ":
                tokens.pop()  # the space before a style change becomes the mid-row code
                extra = len(codes) - 1
            else:
                extra = len(codes)
            if extra and tokens:
                losses.add("style-space", "a style change inside a word costs a column (a space)", index)
            tokens.extend(("m", "", code) for code in codes)
            current = key
        tokens.append(("c", char, key))
    return start, tokens


def _pac_word(row: int, *, indent: int | None, style: StyleKey) -> tuple[int, int]:
    """The PAC (channel 1) for ``row`` with an indent (white) or a style at column 0."""
    b1, b2 = _ROW_CODES[row]
    if indent is not None:
        return b1, b2 | 0x10 | (indent // 4) << 1 | style[2]
    attr = 7 if style[1] else style[0]
    return b1, b2 | attr << 1 | style[2]


class _Words:
    """Builds the words of one caption: characters packed two per word, control codes doubled."""

    def __init__(self, channel: int) -> None:
        self.channel = channel
        self.words: list[int] = []
        self.pending: list[int] = []

    def control(self, b1: int, b2: int, *, double: bool = True) -> None:
        self._flush()
        if self.channel == 2:
            b1 |= 0x08
        word = _word(b1, b2)
        self.words.append(word)
        if double:
            self.words.append(word)

    def misc(self, name: str) -> None:
        self.control(0x14, _MISC_CODE[name])

    def char(self, char: str) -> None:
        code = encode_char(char)
        if code is None:  # pragma: no cover - cells hold encodable characters only
            code = (0x3F,)
        if len(code) == 1:
            self.pending.append(code[0])
            if len(self.pending) == 2:
                self._flush()
        else:
            if code[0] != 0x11:
                fallback = FALLBACK.get(char) or substitute(char)
                fallback_code = encode_char(fallback[:1])
                self.pending.append(fallback_code[0] if fallback_code and len(fallback_code) == 1 else 0x20)
            self.control(code[0], code[1])

    def _flush(self) -> None:
        if self.pending:
            first = self.pending[0]
            second = self.pending[1] if len(self.pending) > 1 else 0
            self.words.append(_word(first, second))
            self.pending = []

    def done(self) -> list[int]:
        self._flush()
        return self.words


@dataclass(slots=True)
class _Layout:
    rows: list[tuple[int, int, list[Cell]]]  # (row, column, cells)


def _default_rows(count: int, align: int | None) -> int:
    """The first row of a ``count``-row block for a numpad alignment (bottom ends at row 14)."""
    vertical = 0 if align is None else (align - 1) // 3
    if vertical == 2:
        return 2
    if vertical == 1:
        return max(1, 8 - count // 2)
    return 15 - count


def _layout(cue: Cue, lines: list[list[Cell]], index: int, losses: _Losses, max_rows: int) -> _Layout | None:
    """Place the lines on the grid: the cue's 608 layout when it fits, else from its placement."""
    layout = cue.extra.get(LAYOUT_KEY) if cue.extra else None
    if layout:
        try:
            spots = [tuple(int(v) for v in item.split(":")) for item in layout.split()]
        except ValueError:
            spots = []
        if len(spots) == len(lines) and all(
            len(s) == 2 and 1 <= s[0] <= 15 and s[1] >= 0 and s[1] + len(line) <= 32
            for s, line in zip(spots, lines, strict=True)
        ) and len({s[0] for s in spots}) == len(spots):
            return _Layout([(s[0], s[1], line) for s, line in zip(spots, lines, strict=True)])
    rows: list[list[Cell]] = []
    for line in lines:
        if len(line) > 32:
            losses.add("line-length", "rows longer than 32 characters wrapped", index)
            rows.extend(_wrap(line))
        else:
            rows.append(line)
    if len(rows) > max_rows:
        losses.add("rows", f"captions longer than {max_rows} rows cut", index)
        rows = rows[:max_rows]
    if not rows:
        return None
    placement = cue.placement
    align = placement.align
    if placement.x is not None and placement.y is not None and placement.unit == "%":
        first = _row_from_y(placement.y, len(rows), align)
    else:
        first = _default_rows(len(rows), align)
    horizontal = 2 if align is None else (align - 1) % 3 + 1
    placed = []
    for offset, line in enumerate(rows):
        width = len(line)
        if placement.x is not None and placement.unit == "%":
            column = (placement.x - 10) / 2.5
            col = round(column - (width / 2 if horizontal == 2 else width if horizontal == 3 else 0))
        elif horizontal == 1:
            col = 0
        elif horizontal == 3:
            col = 32 - width
        else:
            col = (32 - width) // 2
        placed.append((first + offset, max(0, min(col, 32 - width)), line))
    result = _Layout(placed)
    if placement is not NOWHERE and not _close(placement, placement_of((r, c, len(cells)) for r, c, cells in placed)):
        losses.add("position", "positions snapped to the 608 grid (15 rows, 32 columns)", index)
    return result


def _close(wanted: Placement, got: Placement) -> bool:
    """Whether ``got`` is ``wanted`` on the grid: same anchor, the same row, within half a column."""
    if wanted.align is not None and wanted.align != got.align:
        return False
    if wanted.x is None or wanted.y is None or got.x is None or got.y is None:
        return wanted.x is None
    return abs(wanted.x - got.x) <= 1.25 and abs(wanted.y - got.y) <= 0.01


def _row_from_y(y: float, count: int, align: int | None) -> int:
    vertical = 0 if align is None else (align - 1) // 3
    if vertical == 0:  # bottom edge
        first = round((y - 10) * 15 / 80) - count + 1
    elif vertical == 2:  # top edge
        first = round((y - 10) * 15 / 80) + 1
    else:
        first = round((y - 10) * 15 / 80 + 1 - count / 2)
    return max(1, min(first, 16 - count))


def _caption_words(layout: _Layout, words: _Words, index: int, losses: _Losses, *, roll_base: int | None) -> None:
    """Append the PACs, tab offsets, mid-row codes and text of ``layout`` to ``words``.

    With ``roll_base`` (roll-up) every row is sent as a new line: ``CR`` and a
    PAC for the base row.
    """
    for row, col, cells in layout.rows:
        start, tokens = _row_tokens(cells, col, index, losses)
        lead = 0
        while lead < len(tokens) and tokens[lead][0] == "m":
            lead += 1
        pac_col = max(col - lead, 0)
        if pac_col + len(tokens) > 32:
            losses.add("line-length", "rows longer than 32 characters truncated", index)
            tokens = tokens[: 32 - pac_col]
        if roll_base is not None:
            words.misc("CR")
            row = roll_base
        if pac_col == 0 and start != (0, False, start[2]):
            words.control(*_pac_word(row, indent=None, style=start))
        else:
            words.control(*_pac_word(row, indent=pac_col - pac_col % 4, style=start))
            if pac_col % 4:
                words.control(0x17, 0x20 + pac_col % 4)
        for kind, char, key in tokens:
            if kind == "m":
                words.control(*_midrow(key))
            else:
                words.char(char)


@dataclass(frozen=True, slots=True)
class Scheduled:
    """The encoder's output.

    Attributes:
        words: frame -> 16-bit word (parity included), one word per frame.
        fps: the frame rate the frames count at.
    """

    words: dict[int, int]
    fps: Fraction


def encode(
    doc: Document,
    *,
    fps: Fraction,
    report: LossReport,
    mode: str | None = None,
    roll_up_rows: int | None = None,
    channel: int = 1,
) -> Scheduled:
    """Schedule ``doc`` as 608 words on the frames of ``fps``.

    Args:
        doc: the document (its cues are taken in time order).
        fps: the frame rate of the frame numbers.
        report: where losses go (strict: raise instead).
        mode: ``pop-on``, ``roll-up`` or ``paint-on`` for every cue; ``None``
            follows each cue's ``caption_mode`` (pop-on when unset).
        roll_up_rows: the roll-up depth (2-4) when ``mode`` is ``roll-up``;
            ``None`` takes it from the cue (else 3).
        channel: the data channel, 1 or 2 (CC1/CC2 on field 1).

    Raises:
        UnsupportedFeatureError: strict and something would be lost.
    """
    losses = _Losses(report)
    timeline: dict[int, int] = {}
    order = sorted(range(len(doc.cues)), key=lambda i: (doc.cues[i].start_ms, doc.cues[i].end_ms))
    cues = [(i, doc.cues[i]) for i in order if not doc.cues[i].comment]
    state = _State()
    plans: list[tuple[int, int, int, str, int, _Layout]] = []
    limit = ms_to_frames(100 * 3_600_000, fps)
    for index, cue in cues:
        cue_mode = _cue_mode(cue, mode, roll_up_rows)
        depth = int(cue_mode[7:]) if cue_mode.startswith("roll-up") else 4
        lines = _cells(cue, index, losses)
        layout = _layout(cue, lines, index, losses, depth if cue_mode.startswith("roll-up") else 4) if lines else None
        if layout is None:
            # 608 has no empty caption: a cue without text shows nothing and writes nothing.
            report.add("empty-cue", "cues without text dropped", cue=index)
            continue
        start = ms_to_frames(cue.start_ms, fps)
        end = ms_to_frames(cue.end_ms, fps)
        if end >= limit:
            # SMPTE labels have two hour digits: nothing at or after 100:00:00:00 can be written.
            report.add("time-range", "captions at or after 100 hours dropped (timecodes have two hour digits)",
                       cue=index)
            continue
        plans.append((index, start, end, cue_mode, depth, layout))
    for position, (index, start, end, cue_mode, depth, layout) in enumerate(plans):
        next_start = plans[position + 1][1] if position + 1 < len(plans) else None
        if cue_mode == "pop-on":
            state.pop_on(timeline, index, start, end, layout, losses, channel)
        else:
            state.direct(timeline, index, start, end, cue_mode, depth, layout, losses, channel)
        state.close(timeline, index, end, next_start, losses, channel)
    losses.flush()
    return Scheduled(timeline, fps)


def _cue_mode(cue: Cue, mode: str | None, roll_up_rows: int | None) -> str:
    wanted = mode or cue.caption_mode or "pop-on"
    if wanted.startswith("roll-up"):
        depth = roll_up_rows or (int(wanted[7:]) if wanted[7:].isdigit() else None)
        if depth is None and cue.caption_mode and cue.caption_mode[7:].isdigit():
            depth = int(cue.caption_mode[7:])
        return f"roll-up{min(max(depth or 3, 2), 4)}"
    return wanted if wanted in ("pop-on", "paint-on") else "pop-on"


class _State:
    """What the scheduler knows about the receiver: the mode, what is shown, where the data ends."""

    def __init__(self) -> None:
        self.floor = 0  # the first frame new data may use
        self.mode = ""
        self.depth = 0
        self.shown: list[tuple[int, int, list[Cell]]] = []  # rows on screen (roll-up bookkeeping)
        self.showing = False
        self.ends_at: int | None = None  # the frame the caption on screen should end at
        self.on_screen: tuple[tuple[int, int, tuple[Cell, ...]], ...] = ()  # what the last caption showed

    def pop_on(
        self, timeline: dict[int, int], index: int, start: int, end: int, layout: _Layout, losses: _Losses,
        channel: int,
    ) -> None:
        words = _Words(channel)
        words.misc("RCL")
        words.misc("ENM")
        _caption_words(layout, words, index, losses, roll_base=None)
        load = words.done()
        eoc = _word(0x14 | (0x08 if channel == 2 else 0), _MISC_CODE["EOC"])
        at = max(start, self.floor)
        while True:
            while at in timeline or at + 1 in timeline:
                at += 1
            frames: list[int] = []
            frame = at - 1
            while frame >= self.floor and len(frames) < len(load):
                if frame not in timeline:
                    frames.append(frame)
                frame -= 1
            if len(frames) == len(load):
                break
            # Not enough room before the start: load right after the previous caption.
            frame, found = self.floor, 0
            while found < len(load):
                if frame not in timeline:
                    found += 1
                frame += 1
            at = max(at, frame)
        if at >= end:
            losses.add("dropped", "captions with no time to load before their end dropped", index)
            return
        if at > start:
            losses.add("timing", "captions started late: too little time to load them", index)
        visible = self._check_merge(layout, index, losses)
        for frame, word in zip(reversed(frames), load, strict=True):
            timeline[frame] = word
        timeline[at] = timeline[at + 1] = eoc
        self.floor = at + 2
        self.mode = "pop-on"
        self.showing = True
        self.shown = []
        self.on_screen = visible

    def _check_merge(
        self, layout: _Layout, index: int, losses: _Losses
    ) -> tuple[tuple[int, int, tuple[Cell, ...]], ...]:
        """What ``layout`` shows; reports a caption that would show exactly what is already on screen."""
        visible = _snapshot({row: [None] * column + list(cells) for row, column, cells in layout.rows})
        if self.showing and visible == self.on_screen:
            # Sending the same caption again makes no visible change, which a decoder (and our reader)
            # cannot tell from a reload of the caption on screen: the two cues read back as one.
            losses.add("merged", "captions identical to the one on screen when they appear join it", index)
        return visible

    def direct(
        self, timeline: dict[int, int], index: int, start: int, end: int, cue_mode: str, depth: int,
        layout: _Layout, losses: _Losses, channel: int,
    ) -> None:
        words = _Words(channel)
        rows = layout.rows
        if cue_mode == "paint-on":
            if self.mode != "paint-on":
                words.misc("RDC")
            if self.showing:
                words.misc("EDM")
            _caption_words(layout, words, index, losses, roll_base=None)
            self.shown = []
        else:
            if self.mode != "roll-up" or self.depth != depth:
                words.misc(f"RU{depth}")
                if self.mode != "roll-up":
                    self.shown = []
            new = _continuation(self.shown, rows, depth) if self.mode == "roll-up" else None
            if new is None:
                if self.showing:
                    words.misc("EDM")
                new = rows
            base = rows[-1][0]
            _caption_words(_Layout(new), words, index, losses, roll_base=base)
            self.shown = rows
        burst = words.done()
        # Bursts need an idle frame between them, or a decoder reads them as one change.
        at = max(start, self.floor)
        while any(f in timeline for f in range(at - 1, at + len(burst) + 1)):
            at += 1
        if at >= end:
            losses.add("dropped", "captions with no time to send before their end dropped", index)
            self.shown = []
            return
        if at > start:
            losses.add("timing", "captions started late: too little time to send them", index)
        visible = self._check_merge(layout, index, losses)
        for offset, word in enumerate(burst):
            timeline[at + offset] = word
        self.floor = at + len(burst) + 1
        self.mode = "paint-on" if cue_mode == "paint-on" else "roll-up"
        self.depth = depth
        self.showing = True
        self.on_screen = visible

    def close(
        self, timeline: dict[int, int], index: int, end: int, next_start: int | None, losses: _Losses,
        channel: int,
    ) -> None:
        """Erase the caption at ``end`` unless the next one replaces it by then."""
        if not self.showing:
            return
        if next_start is not None and next_start <= end:
            if next_start < end:
                losses.add("overlap", "overlapping captions: each ends when the next appears", index)
            return
        edm = _word(0x14 | (0x08 if channel == 2 else 0), _MISC_CODE["EDM"])
        direct = self.mode != "pop-on"
        at = max(end, self.floor)
        while at in timeline or (direct and at - 1 in timeline):
            at += 1
        if at > end:
            losses.add("timing", "captions ended late: the erase code had no free frame", index)
        timeline[at] = edm
        # The copy goes on the next frame when free; before a roll-up or paint-on burst
        # an idle frame must remain, or a decoder reads both as one change.
        if at + 1 not in timeline and (next_start is None or at + 1 + direct < next_start):
            timeline[at + 1] = edm
        self.showing = False
        self.shown = []


def _continuation(
    shown: list[tuple[int, int, list[Cell]]], rows: list[tuple[int, int, list[Cell]]], depth: int
) -> list[tuple[int, int, list[Cell]]] | None:
    """The rows to send when ``rows`` is what ``shown`` becomes after rolling up new lines, else ``None``."""
    if not shown:
        return None
    old = [(c, cells) for _, c, cells in shown]
    lines = [(c, cells) for _, c, cells in rows]
    for added in range(1, len(lines) + 1):
        if (old + lines[len(lines) - added :])[-depth:] == lines:
            return rows[len(rows) - added :]
    return None


class Throttle:
    """Passes diagnostics to a sink, at most ``limit`` per kind; then one note that more were left out.

    Files with a systematic flaw (every CDP with a bad checksum) would
    otherwise bury the other diagnostics.
    """

    def __init__(self, warn: Callable[..., None], limit: int = 10) -> None:
        self.warn = warn
        self.limit = limit
        self.counts: dict[str, int] = {}

    def __call__(self, kind: str, message: str, action: str, *, line: int | None, excerpt: str | None = None) -> None:
        count = self.counts.get(kind, 0) + 1
        self.counts[kind] = count
        if count <= self.limit:
            self.warn(message, action, line=line, excerpt=excerpt)
        elif count == self.limit + 1:
            self.warn(f"more of the same: {kind}", "not listed further", line=line)
