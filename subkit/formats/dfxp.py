"""DFXP (``.dfxp``): TTML in the 2006 draft namespace (``http://www.w3.org/2006/10/ttaf1``).

Reading is the TTML family reader (any member is accepted); writing uses the
``2006/10/ttaf1`` namespaces with ``#styling``, media time, and no IMSC
extensions. See ``docs/formats/dfxp.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from subkit.formats._base import BaseWriteOptions
from subkit.formats._ttml_common import classify
from subkit.formats._ttml_read import TtmlReadOptions, read_document
from subkit.formats._ttml_write import DFXP, LOWERING, Timing, write_document
from subkit.model import Document, LossReport

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "read", "sniff", "write"]

NAME = "dfxp"

#: What the writer can express.
FEATURES = DFXP.features


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(TtmlReadOptions):
    """DFXP reader options: those of the TTML family reader (``nested_times``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """DFXP writer options.

    Attributes:
        language: the document's language as a BCP 47 tag (``xml:lang`` on ``tt``); default: the document's own.
        fps: the frame rate for ``ttp:frameRate`` and frame-based times; default: the document's.
        time_format: ``clock`` (``hh:mm:ss.mmm``) or ``frames`` (``hh:mm:ss:ff``, needs a frame rate).
        time_base: ``media`` or ``smpte`` (``ttp:timeBase="smpte"``, SMPTE timecodes in non-drop mode).
    """

    language: str | None = None
    fps: str | None = None
    time_format: Literal["clock", "frames"] = "clock"
    time_base: Literal["media", "smpte"] = "media"


def sniff(head: str) -> bool:
    """True for a ``tt`` document in one of the 2006 ``ttaf1`` draft namespaces."""
    return classify(head) == NAME


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse any TTML-family document.

    Raises:
        ParseError: not a TTML document, or (strict) any flaw.
    """
    return read_document(data, name=NAME, options=options)


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as DFXP.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    timing = Timing(language=options.language, fps=options.fps, frames=options.time_format == "frames",
                    smpte=options.time_base == "smpte")
    return write_document(doc, DFXP, report, timing, options)
