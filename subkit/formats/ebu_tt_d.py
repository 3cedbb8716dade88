"""EBU-TT-D (EBU Tech 3380): the EBU distribution profile of TTML.

Reading is the TTML family reader (EBU-TT Part 1 files read too); writing
emits media time, percentage regions (every paragraph in one), styles by
reference and the EBU-TT-D conformance metadata. Speakers, pixel font sizes
and ``tts:extent`` on the root are outside the profile. See
``docs/formats/ebu_tt_d.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

from subkit.formats._base import BaseWriteOptions
from subkit.formats._ttml_common import classify
from subkit.formats._ttml_read import TtmlReadOptions, read_document
from subkit.formats._ttml_write import EBU_TT_D, LOWERING, Timing, write_document
from subkit.model import Document, LossReport

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "read", "sniff", "write"]

NAME = "ebu_tt_d"

#: What the writer can express.
FEATURES = EBU_TT_D.features


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(TtmlReadOptions):
    """EBU-TT-D reader options: those of the TTML family reader (``nested_times``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """EBU-TT-D writer options (its times are media time in milliseconds, as the profile requires).

    Attributes:
        language: the document's language as a BCP 47 tag (``xml:lang`` on ``tt``, which EBU-TT-D requires);
            default: the document's own.
    """

    language: str | None = None


def sniff(head: str) -> bool:
    """True for a ``tt`` document that declares an EBU-TT namespace (and is not DFXP)."""
    return classify(head) == NAME


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse any TTML-family document.

    Raises:
        ParseError: not a TTML document, or (strict) any flaw.
    """
    return read_document(data, name=NAME, options=options)


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as EBU-TT-D.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    return write_document(doc, EBU_TT_D, report, Timing(language=options.language), options)
