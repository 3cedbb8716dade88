"""iTunes Timed Text (``.itt``): Apple's TTML profile for iTunes and Apple TV deliveries.

An iTT file is TTML in the core namespace with ``ttp:timeBase="smpte"``,
``ttp:frameRate`` (and a multiplier for 29.97 and the like),
``ttp:dropMode="nonDrop"``, and SMPTE timecodes ``hh:mm:ss:ff``. Reading is the
TTML family reader (an ``.itt`` file's content is detected as ``ttml``, which
reads it the same way); writing is the TTML writer with those parameters,
every paragraph in a region. The frame rate is the ``fps`` option, else the
document's, else 30. See ``docs/formats/itt.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

from subkit.formats._base import BaseWriteOptions
from subkit.formats._ttml_read import TtmlReadOptions, read_document
from subkit.formats._ttml_write import ITT, LOWERING, Timing, write_document
from subkit.model import Document, LossReport

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "read", "sniff", "write"]

NAME = "itt"

#: What the writer can express.
FEATURES = ITT.features


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(TtmlReadOptions):
    """iTT reader options: those of the TTML family reader (``nested_times``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """iTT writer options.

    Attributes:
        language: the document's language as a BCP 47 tag (``xml:lang`` on ``tt``); default: the document's own.
        fps: the frame rate of the timecodes (``24``, ``25``, ``29.97``...); default: the document's, else 30.
    """

    language: str | None = None
    fps: str | None = None


def sniff(head: str) -> bool:
    """Always false: an iTT file is TTML by content (``ttml`` reads it); the ``.itt`` extension names this format."""
    return False


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse an iTT (or any TTML-family) document.

    Raises:
        ParseError: not a TTML document, or (strict) any flaw.
    """
    return read_document(data, name=NAME, options=options)


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as iTunes Timed Text (SMPTE time base, frame-based times).

    Raises:
        ConfigError: a frame rate TTML cannot state.
        UnsupportedFeatureError: strict and something would be dropped.
    """
    return write_document(doc, ITT, report, Timing(language=options.language, fps=options.fps, smpte=True),
                          options)
