"""What every target of ``ops.style`` shares: word groups, the anchor point, styled content.

A cue becomes a list of *lines* of :class:`~subkit.ops._words.Token` (the
cue's own word times, else estimated ones). With ``max_words_per_line`` the
words are cut into lines of that many words, as Revid does (plain chunks;
``ops.words`` offers the smarter cut); without it the cue's own line breaks
are kept. ``classic`` and ``karaoke`` show all lines of a cue at once; the
other styles show one line set at a time: each line on its own with
``max_words_per_line``, the whole cue without.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from subkit.model import PLAIN, Color, ContentItem, Cue, LineBreak, Run, RunStyle, Word
from subkit.ops._style_settings import StyleSettings
from subkit.ops._words import Estimate, Token, cue_tokens

__all__ = ["Block", "anchor", "blocks_of", "color", "content_of", "marking", "states", "words_of"]

#: Lines of tokens shown together.
Lines = list[list[Token]]


@dataclass(frozen=True, slots=True)
class Block:
    """Lines shown together, taken from one cue.

    Attributes:
        lines: the lines of words.
        cue_start, cue_end: the time of the cue they came from.
    """

    lines: Lines
    cue_start: int
    cue_end: int

    @property
    def tokens(self) -> list[Token]:
        """The words in order."""
        return [token for line in self.lines for token in line]

    @property
    def start_ms(self) -> int:
        """The first word's start."""
        return self.lines[0][0].start_ms

    @property
    def end_ms(self) -> int:
        """The last word's end (never before the first word's start)."""
        return max(self.lines[-1][-1].end_ms, self.start_ms)


def color(hex_text: str) -> Color:
    """A settings colour as a model colour."""
    return Color.from_hex(hex_text)


def _lines(tokens: list[Token], max_words: int) -> Lines:
    if max_words > 0:
        return [tokens[i : i + max_words] for i in range(0, len(tokens), max_words)]
    lines: Lines = [[]]
    for number, token in enumerate(tokens):
        lines[-1].append(token)
        if token.line_break and number < len(tokens) - 1:
            lines.append([])
    return lines


def blocks_of(
    cue: Cue, settings: StyleSettings, *, estimate: Estimate, pauses: bool, together: bool
) -> list[Block]:
    """The blocks of ``cue``: one with every line (``together``), else one per line set.

    Word times are moved inside the cue and made non-decreasing.
    """
    tokens: list[Token] = []
    floor = cue.start_ms
    for token in cue_tokens(cue, estimate=estimate, pauses=pauses):
        start = min(max(token.start_ms, floor), cue.end_ms)
        end = min(max(token.end_ms, start), cue.end_ms)
        text = token.text.upper() if settings.all_caps else token.text
        tokens.append(Token(text, start, end, token.line_break))
        floor = start
    if not tokens:
        return []
    lines = _lines(tokens, settings.max_words_per_line)
    if together or settings.max_words_per_line <= 0:
        return [Block(lines, cue.start_ms, cue.end_ms)]
    return [Block([line], cue.start_ms, cue.end_ms) for line in lines]


def anchor(settings: StyleSettings, canvas: tuple[int, int]) -> tuple[int, float, float]:
    """(numpad alignment, x, y) of the text, in canvas pixels, as Revid computes them.

    With ``x``/``y`` the text is anchored there at its vertical middle
    (``\\an4-6``). Otherwise the canvas is a 3x3 grid: the row's anchor line
    is at 1/6, 1/2 or 5/6 of the height (top, middle, bottom rows, anchored
    at the text's top, middle and bottom), and within the column the text
    starts at the cell's left edge, centres on its middle or ends at its right
    edge, by ``alignment``.

    >>> anchor(StyleSettings(), (1920, 1080))
    (2, 960, 900)
    >>> anchor(StyleSettings(position="top_left", alignment="left"), (1920, 1080))
    (7, 0, 180)
    """
    column = {"left": 1, "center": 2, "right": 3}[settings.alignment]
    if settings.x is not None and settings.y is not None:
        return 3 + column, settings.x, settings.y
    width, height = canvas
    row, _, cell = settings.position.partition("_")
    base, y = {"top": (7, height / 6), "middle": (4, height / 2)}.get(row, (1, 5 * height / 6))
    left, right = {"left": (0.0, width / 3), "right": (2 * width / 3, float(width))}.get(
        cell, (width / 3, 2 * width / 3)
    )
    x = {1: left, 3: right}.get(column, (left + right) / 2)
    return base + column - 1, int(x), int(y)


def content_of(
    lines: Lines,
    word_style: Callable[[int], RunStyle],
    space_style: RunStyle | Callable[[int], RunStyle] = PLAIN,
) -> tuple[ContentItem, ...]:
    """The lines as runs: word ``n`` (counted over all lines) in ``word_style(n)``.

    The space before word ``n`` is in ``space_style`` (or ``space_style(n)``).
    """
    items: list[ContentItem] = []
    pieces: list[tuple[str, RunStyle]] = []

    def flush() -> None:
        for text, style in pieces:
            last = items[-1] if items else None
            if isinstance(last, Run) and last.style == style:
                items[-1] = Run(last.text + text, style)
            else:
                items.append(Run(text, style))
        pieces.clear()

    number = 0
    for line_no, line in enumerate(lines):
        if line_no:
            flush()
            items.append(LineBreak())
        for position, token in enumerate(line):
            if position:
                pieces.append((" ", space_style(number) if callable(space_style) else space_style))
            pieces.append((token.text, word_style(number)))
            number += 1
    flush()
    return tuple(items)


def marking(index: int, on: RunStyle, off: RunStyle, *, through: bool = False) -> Callable[[int], RunStyle]:
    """A word style function: word ``index`` (``through``: every word up to it) in ``on``, the rest ``off``."""

    def pick(number: int) -> RunStyle:
        return on if number == index or (through and number < index) else off

    return pick


def words_of(lines: Lines, kind: str | None = None, *, contiguous: bool = False) -> tuple[Word, ...]:
    """Words whose texts join to the text :func:`content_of` makes of ``lines``.

    With ``contiguous`` each word ends where the next starts (WebVTT inner
    timestamps only mark starts).
    """
    words: list[Word] = []
    flat = [token for line in lines for token in line]
    number = 0
    for line_no, line in enumerate(lines):
        for position, token in enumerate(line):
            if position < len(line) - 1:
                tail = " "
            elif line_no < len(lines) - 1:
                tail = "\n"
            else:
                tail = ""
            end = token.end_ms
            if contiguous:
                end = flat[number + 1].start_ms if number + 1 < len(flat) else max(token.end_ms, token.start_ms)
            words.append(Word(text=token.text + tail, start_ms=token.start_ms, end_ms=max(end, token.start_ms),
                              kind=kind))  # type: ignore[arg-type]
            number += 1
    return tuple(words)


def states(block: Block) -> list[tuple[int, int, int]]:
    """(word index, start, end) of each "current word" state of ``block``, back to back.

    A state lasts from its word's start to the next word's start, so the
    block stays on screen without gaps from its first word's start to its last
    word's end. Empty states (two words starting together) are left out.
    """
    tokens: Sequence[Token] = block.tokens
    result: list[tuple[int, int, int]] = []
    for number, token in enumerate(tokens):
        start = token.start_ms
        end = tokens[number + 1].start_ms if number + 1 < len(tokens) else block.end_ms
        if end > start:
            result.append((number, start, end))
    return result
