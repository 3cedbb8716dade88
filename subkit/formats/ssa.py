"""SubStation Alpha v4.00 (``.ssa``): reader and writer, sharing :mod:`subkit.formats.ass`.

SSA differs from ASS (v4.00+) in its field lists, not its structure:

* ``ScriptType: v4.00`` and a ``[V4 Styles]`` section whose fields are Name,
  Fontname, Fontsize, PrimaryColour, SecondaryColour, TertiaryColour,
  BackColour, Bold, Italic, BorderStyle, Outline, Shadow, Alignment, MarginL,
  MarginR, MarginV, AlphaLevel, Encoding: no underline, strike-out, scale,
  spacing or angle; TertiaryColour is the outline colour;
* legacy alignment values (1-3 bottom, 5-7 top, 9-11 middle) in styles and
  in ``\\a`` tags (``\\an`` is read too, as libass does);
* events start with ``Marked=0`` instead of a Layer (kept in
  ``Cue.extra["ssa.marked"]`` when not 0);
* colours are often decimal BGR numbers, and bare numbers in colour tags are
  decimal.

Reading is the ASS reader's; the content decides the flavour, so an SSA file
read as ASS (or the reverse) is still read right. Raw override markup is
shared with ASS (``Raw("ass", ...)``), since both write it the same way.
The writer emits SSA field lists, ``\\a`` legacy alignment, decimal colours
(``&HAABBGGRR`` for translucent ones) and no ``\\u``/``\\s`` tags.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from subkit.formats import ass
from subkit.formats.ass import detect_flavour, read_script, write_script
from subkit.model import Document, LossReport

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "read", "read_pieces", "sniff", "write"]

NAME = "ssa"

#: What the writer can express: ASS's features minus underline, strike and layers.
FEATURES = ass.FEATURES - {"underline", "strike", "layer"}
#: How documents are lowered: as ASS (the script writer they share runs the stage).
LOWERING = ass.LOWERING


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(ass.ReadOptions):
    """SSA reader options (only the common ones)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(ass.WriteOptions):
    """SSA writer options (as :class:`subkit.formats.ass.WriteOptions`)."""


def sniff(head: str) -> bool:
    """True for a SubStation script that is v4.00 (``ScriptType: v4.00`` or ``[V4 Styles]``)."""
    return detect_flavour(head) == "ssa"


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse SSA text (``\\n`` newlines) into a document.

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


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as SSA (v4.00).

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    return write_script(doc, options, report, "ssa", FEATURES)
