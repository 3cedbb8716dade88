"""TTML (``.ttml``, ``.xml``): read the whole TTML family, write the IMSC1 text profile.

The reader (:mod:`subkit.formats._ttml_read`) takes TTML1 and TTML2, the DFXP
drafts, IMSC1 (1.0.1 and 1.1), SMPTE-TT and EBU-TT / EBU-TT-D alike; the
writer (:mod:`subkit.formats._ttml_write`) emits IMSC1 text-profile TTML in
media time. See ``docs/formats/ttml.md`` for the mapping to the model, the
leniencies and what the writer loses.

>>> import subkit
>>> doc = subkit.loads('<tt xmlns="http://www.w3.org/ns/ttml"><body><div>'
...                    '<p begin="1s" end="2.5s">Hello<br/>world</p></div></body></tt>', format="ttml")
>>> doc.cues[0].start_ms, doc.cues[0].end_ms, doc.cues[0].plain_text()
(1000, 2500, 'Hello\\nworld')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from subkit.formats._base import BaseWriteOptions
from subkit.formats._ttml_common import classify
from subkit.formats._ttml_read import TtmlReadOptions, read_document
from subkit.formats._ttml_write import IMSC1, LOWERING, PROFILES, Timing, write_document
from subkit.model import Document, LossReport

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "read", "sniff", "write"]

NAME = "ttml"

#: What the writer can express.
FEATURES = IMSC1.features


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(TtmlReadOptions):
    """TTML reader options: those of the TTML family reader (``nested_times``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """TTML writer options.

    Attributes:
        language: the document's language as a BCP 47 tag (``xml:lang`` on ``tt``); default: the document's own.
        profile: ``imsc1`` (IMSC1 text, the default), ``imsc1.1`` (IMSC1.1 text, ``ttp:contentProfiles``),
            ``smpte-tt`` (SMPTE ST 2052-1), ``dfxp-full`` (TTML1 DFXP full), ``none`` (no designator),
            or another family member: ``ebu-tt-d``, ``dfxp`` (the 2006 namespace), ``itt`` (iTunes Timed Text).
        fps: the frame rate for ``ttp:frameRate`` and frame-based times (``25``, ``29.97``, ``30000/1001``);
            default: the document's.
        time_format: ``clock`` (``hh:mm:ss.mmm``) or ``frames`` (``hh:mm:ss:ff``, needs a frame rate).
        time_base: ``media`` or ``smpte`` (``ttp:timeBase="smpte"``, SMPTE timecodes in non-drop mode;
            not in the IMSC profiles, whose time base is media).
    """

    language: str | None = None
    profile: Literal["imsc1", "imsc1.1", "smpte-tt", "dfxp-full", "none", "ebu-tt-d", "dfxp", "itt"] = "imsc1"
    fps: str | None = None
    time_format: Literal["clock", "frames"] = "clock"
    time_base: Literal["media", "smpte"] = "media"


def sniff(head: str) -> bool:
    """True for a ``tt`` document in the TTML namespace (or none) that is neither DFXP nor EBU-TT."""
    return classify(head) == NAME


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse any TTML-family document.

    Raises:
        ParseError: not a TTML document, or (strict) any flaw.
    """
    return read_document(data, name=NAME, options=options)


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as IMSC1 text-profile TTML (or the profile ``options`` name).

    Raises:
        ConfigError: a frame-based time format without a frame rate, or a time base the profile forbids.
        UnsupportedFeatureError: strict and something would be dropped.
    """
    timing = Timing(language=options.language, fps=options.fps, frames=options.time_format == "frames",
                    smpte=options.time_base == "smpte")
    return write_document(doc, PROFILES[options.profile], report, timing, options)
