"""The EBU STL text field (TF): control codes and characters to model content, and back.

A subtitle's text is the TF bytes of its blocks joined. ``8A`` starts a new
row, ``8F`` is unused space. Teletext spacing attributes (``00``-``1F``) each
take one cell that shows as a blank; the open-subtitle codes ``80``-``85``
take none. Every other byte is a character of the CCT table.

Reading (:func:`decode_text_field`):

* colour codes ``00``-``07`` (and the mosaic colours ``10``-``17``) set the
  text colour of what follows; white, the teletext default, is "no colour";
* ``1D`` (new background) makes the current colour the background, ``1C``
  (black background) goes back to the default; both reset at each row, as
  teletext does;
* ``80``/``81`` italic, ``82``/``83`` underline, for the rest of the subtitle
  or until switched off;
* ``0B``/``0A`` (teletext box) and ``84``/``85`` (open-subtitle box), ``0D``
  (double height) and ``0C`` (normal height) are layout: they are reported to
  the reader, which keeps them on the cue;
* flash, steady, conceal, double width or size, hold/release mosaic,
  contiguous/separated mosaic and ESC (``08``, ``09``, ``0E``, ``0F``, ``18``-``1B``,
  ``1E``, ``1F``) have no model field: they stay in place as ``Raw("ebu_stl", "{XX}")``.

Blanks: a row's leading and trailing blanks (spaces and attribute cells) are
dropped. Between two characters an attribute cell reads as one space unless a
real space is next to it, so ``Hello{01}world`` is "Hello world" with the
space in the colour before it, and ``Hello {01}world`` keeps its single space.
Several ``8A`` in a row are one line break (double height writes ``8A 8A``);
rows with no characters are dropped.

Writing (:func:`encode_rows`) produces exactly what the reader reads back,
with the attribute codes placed at run boundaries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from subkit.formats._iso6937 import Charset
from subkit.model import PLAIN, Color, ContentItem, LineBreak, Raw, Run, RunStyle

__all__ = [
    "COLOURS",
    "NAME",
    "DecodedText",
    "EncodedText",
    "decode_text_field",
    "encode_rows",
    "nearest_colour",
]

NAME = "ebu_stl"

#: Teletext colours by code (alpha ``00``-``07``; mosaic ``10``-``17`` use the same order).
COLOURS: tuple[Color, ...] = (
    Color(r=0, g=0, b=0),
    Color(r=255, g=0, b=0),
    Color(r=0, g=255, b=0),
    Color(r=255, g=255, b=0),
    Color(r=0, g=0, b=255),
    Color(r=255, g=0, b=255),
    Color(r=0, g=255, b=255),
    Color(r=255, g=255, b=255),
)
_WHITE = COLOURS[7]
_CODE_OF = {colour: code for code, colour in enumerate(COLOURS)}

NEWLINE = 0x8A
UNUSED = 0x8F
START_BOX = 0x0B
END_BOX = 0x0A
DOUBLE_HEIGHT = 0x0D
NORMAL_HEIGHT = 0x0C
BLACK_BACKGROUND = 0x1C
NEW_BACKGROUND = 0x1D
ITALIC_ON, ITALIC_OFF, UNDERLINE_ON, UNDERLINE_OFF, BOX_ON, BOX_OFF = 0x80, 0x81, 0x82, 0x83, 0x84, 0x85
#: Spacing attributes with no model field, kept as raw markup.
RAW_CODES = frozenset({0x08, 0x09, 0x0E, 0x0F, 0x18, 0x19, 0x1A, 0x1B, 0x1E, 0x1F})
_RAW_MARKUP = re.compile(r"\{([0-9A-F]{2})\}")

_GAP = object()  # an attribute cell: blank on screen


def nearest_colour(colour: Color) -> Color:
    """The teletext colour closest to ``colour`` (squared RGB distance; alpha ignored)."""
    return min(
        COLOURS,
        key=lambda c: (c.r - colour.r) ** 2 + (c.g - colour.g) ** 2 + (c.b - colour.b) ** 2,
    )


@dataclass(slots=True)
class DecodedText:
    """What :func:`decode_text_field` found.

    Attributes:
        content: runs, line breaks and raw codes.
        double_height: a row used double height (``0D``).
        boxed: a row used the open-subtitle box (``84``).
        problems: ``(message, action)`` pairs for diagnostics.
    """

    content: tuple[ContentItem, ...]
    double_height: bool = False
    boxed: bool = False
    problems: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class _State:
    """The decoder's attributes: italic and underline last the whole subtitle, colours one row."""

    italic: bool = False
    underline: bool = False
    colour: Color | None = None
    background: Color | None = None
    double_height: bool = False
    boxed: bool = False
    mosaic: bool = False
    bad_chars: int = 0
    undefined: set[int] = field(default_factory=set)

    def style(self) -> RunStyle:
        if not (self.italic or self.underline or self.colour or self.background):
            return PLAIN
        return RunStyle(
            italic=True if self.italic else None,
            underline=True if self.underline else None,
            color=self.colour,
            background=self.background,
        )


_Cell = tuple[object, RunStyle] | Raw


def decode_text_field(tf: bytes, charset: Charset) -> DecodedText:
    """Turn the joined TF bytes of one subtitle into model content."""
    result = DecodedText(content=())
    interior_unused = tf.find(UNUSED)
    if interior_unused != -1 and tf[interior_unused:].strip(bytes([UNUSED])):
        result.problems.append(("unused-space code 8F inside the text", "skipped it"))
    tf = tf.replace(bytes([UNUSED]), b"")
    state = _State()
    items: list[ContentItem] = []
    for row in tf.split(bytes([NEWLINE])):
        state.colour = state.background = None  # teletext attributes start afresh on every row
        line = _row_items(_row_cells(row, charset, state))
        if line:
            if items:
                items.append(LineBreak())
            items.extend(line)
    result.double_height = state.double_height
    result.boxed = state.boxed
    if state.undefined:
        codes = ", ".join(f"{code:02X}" for code in sorted(state.undefined))
        result.problems.append((f"undefined control code(s) {codes} in the text", "ignored them"))
    if state.bad_chars:
        result.problems.append(
            (f"{state.bad_chars} byte(s) not defined in the {charset.name} table (or a diacritic without a letter)",
             "skipped them")
        )
    if state.mosaic:
        result.problems.append(("mosaic graphics codes in the text", "read the mosaic characters as text"))
    result.content = tuple(items)
    return result


def _flush(pending: bytearray, style: RunStyle, cells: list[_Cell], charset: Charset, state: _State) -> None:
    """Decode the character bytes collected so far into one text cell."""
    if pending:
        text, bad = charset.decode(bytes(pending))
        state.bad_chars += len(bad)
        if text:
            cells.append((text, style))
        pending.clear()


def _row_cells(row: bytes, charset: Charset, state: _State) -> list[_Cell]:
    """The cells of one row: (text, style), (gap, style) for attribute cells, and raw codes."""
    cells: list[_Cell] = []
    pending = bytearray()
    pending_style = PLAIN
    for byte in row:
        if 0x20 <= byte <= 0x7F or byte >= 0xA0:
            if not pending:
                pending_style = state.style()
            pending.append(byte)
            continue
        _flush(pending, pending_style, cells, charset, state)
        if byte <= 0x07 or 0x10 <= byte <= 0x17:
            cells.append((_GAP, state.style()))
            state.mosaic = state.mosaic or byte >= 0x10
            state.colour = None if byte & 0x07 == 7 else COLOURS[byte & 0x07]
        elif byte == NEW_BACKGROUND:
            cells.append((_GAP, state.style()))
            # A black new background is the teletext default: no background.
            state.background = None if state.colour == COLOURS[0] else state.colour or _WHITE
        elif byte == BLACK_BACKGROUND:
            cells.append((_GAP, state.style()))
            state.background = None
        elif byte in (START_BOX, END_BOX, NORMAL_HEIGHT):
            cells.append((_GAP, state.style()))
        elif byte == DOUBLE_HEIGHT:
            state.double_height = True
            cells.append((_GAP, state.style()))
        elif byte in RAW_CODES:
            cells.append((_GAP, state.style()))
            cells.append(Raw(NAME, f"{{{byte:02X}}}"))
        elif byte in (ITALIC_ON, ITALIC_OFF):
            state.italic = byte == ITALIC_ON
        elif byte in (UNDERLINE_ON, UNDERLINE_OFF):
            state.underline = byte == UNDERLINE_ON
        elif byte == BOX_ON:
            state.boxed = True
        elif byte != BOX_OFF:
            state.undefined.add(byte)
    _flush(pending, pending_style, cells, charset, state)
    return cells


def _row_items(cells: list[_Cell]) -> list[ContentItem]:
    """One row's cells as runs: blanks trimmed, attribute cells between characters as one space."""
    visible = [i for i, cell in enumerate(cells) if type(cell) is tuple and cell[0] is not _GAP
               and str(cell[0]).strip(" ")]  # fmt: skip
    if not visible:
        return []
    first, last = visible[0], visible[-1]
    # (text, style) pieces and raw codes, in order, with the row's outer blanks gone.
    pieces: list[tuple[str, RunStyle] | Raw] = []
    for index, cell in enumerate(cells):
        if type(cell) is Raw:
            pieces.append(cell)
            continue
        assert isinstance(cell, tuple)
        value, style = cell
        if index < first or index > last:
            continue
        if value is _GAP:
            before = _last_text(pieces)
            after = _next_text(cells, index)
            if before is not None and after is not None and before[0][-1] != " " and after[0] != " ":
                pieces.append((" ", before[1]))
            continue
        text = str(value)
        if index == first:
            text = text.lstrip(" ")
        if index == last:
            text = text.rstrip(" ")
        pieces.append((text, style))
    items: list[ContentItem] = []
    for piece in pieces:
        if type(piece) is Raw:
            items.append(piece)
            continue
        assert isinstance(piece, tuple)
        text, style = piece
        previous = items[-1] if items else None
        if type(previous) is Run and previous.style == style:
            items[-1] = Run(previous.text + text, style)
        else:
            items.append(Run(text, style))
    return items


def _last_text(pieces: list[tuple[str, RunStyle] | Raw]) -> tuple[str, RunStyle] | None:
    """The last text piece so far (raw codes are skipped)."""
    for piece in reversed(pieces):
        if type(piece) is not Raw:
            assert isinstance(piece, tuple)
            return piece
    return None


def _next_text(cells: list[_Cell], index: int) -> str | None:
    """The text of the next text cell after ``index``."""
    for cell in cells[index + 1 :]:
        if type(cell) is tuple and cell[0] is not _GAP:
            return str(cell[0])
    return None


@dataclass(slots=True)
class EncodedText:
    """What :func:`encode_rows` made of a cue's content.

    Attributes:
        data: the TF bytes (without ``8F`` fill).
        rows: how many rows.
        widths: the cells each row takes on screen.
        unencodable: characters outside the table (written as ``?``).
        glued: colour changes between two letters, which cost a blank cell.
        approximated: colours that were not teletext colours.
    """

    data: bytes
    rows: int
    widths: list[int]
    unencodable: list[str] = field(default_factory=list)
    glued: int = 0
    approximated: int = 0


def encode_rows(
    content: tuple[ContentItem, ...],
    charset: Charset,
    *,
    teletext: bool,
    double_height: bool,
    boxed: bool,
    centre_in: int | None = None,
) -> EncodedText:
    """Encode content as TF bytes that :func:`decode_text_field` reads back to the same content.

    Rows start with ``0D`` when ``double_height`` (and are then separated by
    ``8A 8A``); teletext rows then take ``0B 0B`` (start box), open-subtitle
    rows are wrapped in ``84``/``85`` when ``boxed``. With ``centre_in``, each
    row is padded with leading spaces to sit in the middle of that many cells
    (for JC 0, "as typed"); the reader drops them again.
    """
    lines: list[list[ContentItem]] = [[]]
    for item in content:
        if type(item) is LineBreak:
            lines.append([])
        else:
            lines[-1].append(item)
    lines = [line for line in lines if any(type(i) is Run and i.text.strip(" ") for i in line)]
    out = bytearray()
    result = EncodedText(data=b"", rows=len(lines), widths=[])
    for row_no, line in enumerate(lines):
        if row_no:
            out.append(NEWLINE)
            if double_height:
                out.append(NEWLINE)
        row = _Row(result, teletext=teletext, double_height=double_height, boxed=boxed)
        for item in line:
            if type(item) is Raw:
                row.raw(item)
            elif isinstance(item, Run) and item.text:
                row.run(item, charset)
        out += row.finish(centre_in)
        result.widths.append(row.width)
    if not lines and double_height:
        out.append(DOUBLE_HEIGHT)  # an empty subtitle keeps its double height
    result.data = bytes(out)
    return result


class _Row:
    """One row of a text field being encoded: its bytes, its width in cells and the attributes in force."""

    def __init__(self, result: EncodedText, *, teletext: bool, double_height: bool, boxed: bool) -> None:
        self.result = result
        self.teletext = teletext
        self.boxed = boxed and not teletext
        self.data = bytearray()
        self.width = 0
        self.colour: Color | None = None
        self.background: Color | None = None
        self.italic = self.underline = False
        self.at_start = True
        self.last_char: str | None = None
        if double_height:
            self.data.append(DOUBLE_HEIGHT)
            self.width += 1
        if self.boxed:
            self.data.append(BOX_ON)
        self.head = len(self.data)  # where teletext colour codes and the start box go

    def raw(self, item: Raw) -> None:
        """A raw ``{XX}`` code of this format, written as its byte; other raw markup is not this format's."""
        match = _RAW_MARKUP.fullmatch(item.markup)
        if match is not None:
            self.data.append(int(match.group(1), 16))
            self.width += 1

    def run(self, item: Run, charset: Charset) -> None:
        """A run of text, after the codes that change colour, background, italics and underline to its style."""
        style = item.style
        codes = self._colour_codes(self._snap(style.color, _WHITE), self._snap(style.background, COLOURS[0]))
        if codes and not self.at_start and self.last_char != " " and not item.text.startswith(" "):
            self.result.glued += 1
        if codes:
            self.width += len(codes)
            if self.at_start and self.teletext:
                self.data[self.head:self.head] = codes  # before the start box, as teletext subtitles usually have it
                self.head += len(codes)
            else:
                self.data += codes
        if bool(style.italic) != self.italic:
            self.italic = bool(style.italic)
            self.data.append(ITALIC_ON if self.italic else ITALIC_OFF)
        if bool(style.underline) != self.underline:
            self.underline = bool(style.underline)
            self.data.append(UNDERLINE_ON if self.underline else UNDERLINE_OFF)
        if self.at_start and self.teletext:
            self.data[self.head:self.head] = bytes([START_BOX, START_BOX])
            self.width += 2
        encoded, bad = charset.encode(item.text)
        self.result.unencodable.extend(bad)
        self.data += encoded
        self.width += len(item.text)
        self.last_char = item.text[-1]
        self.at_start = False

    def _snap(self, wanted: Color | None, default: Color) -> Color | None:
        """``wanted`` as the nearest teletext colour (counted when it had to move); ``None`` for the default."""
        if wanted is None:
            return None
        snapped = nearest_colour(wanted)
        if snapped != Color(r=wanted.r, g=wanted.g, b=wanted.b):
            self.result.approximated += 1
        return None if snapped == default else snapped

    def _colour_codes(self, colour: Color | None, background: Color | None) -> bytearray:
        codes = bytearray()
        if background != self.background:
            if background is None:
                codes.append(BLACK_BACKGROUND)
            else:
                codes.append(_CODE_OF[background])
                codes.append(NEW_BACKGROUND)
                self.colour = None if background == _WHITE else background
            self.background = background
        if colour != self.colour:
            codes.append(7 if colour is None else _CODE_OF[colour])
            self.colour = colour
        return codes

    def finish(self, centre_in: int | None) -> bytearray:
        """The row's bytes, attributes closed, padded to sit centred in ``centre_in`` cells if given."""
        if self.italic:
            self.data.append(ITALIC_OFF)
        if self.underline:
            self.data.append(UNDERLINE_OFF)
        if self.boxed:
            self.data.append(BOX_OFF)
        if centre_in is not None and self.width < centre_in:
            padding = (centre_in - self.width) // 2
            self.data[0:0] = b" " * padding
            self.width += padding
        return self.data
