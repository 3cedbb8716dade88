"""WebVTT (``.vtt``): reader and writer.

The reader follows the W3C *WebVTT parser algorithm* (https://www.w3.org/TR/webvtt1/):
signature check, header, blocks separated by blank lines, where a line holding
``-->`` always starts a new block (so a missing blank line between cues is
read as the specification says). Cue text goes through the W3C cue text
parsing rules (:mod:`subkit.formats._vtt_cuetext`).

Speed: a block of the usual shape (optional id line, timing line with valid
times, payload without ``-->``) is matched whole by one regular expression
at its first character; payloads with neither ``<`` nor ``&`` skip the cue
text parser, and the others are read through a plan per tag sequence (the
tags of cue text repeat: ``<i>..</i>``, ``<v Anna>``), made once by the W3C
parser; a settings string is parsed once per file; cues and runs whose
fields the reader has checked are built with the model's trusted
constructors. Every other block goes through a line-by-line transcription of
the W3C block steps (tests check that both paths agree). Line numbers are
only counted for diagnostics.

What the reader keeps (see ``docs/formats/webvtt.md``):

* header text after ``WEBVTT`` (including HLS ``X-TIMESTAMP-MAP=`` lines) in
  ``doc.header["webvtt.header"]``; a ``Language:`` header line also sets
  ``doc.language``;
* ``NOTE`` blocks as :class:`~subkit.model.Note`, ``STYLE`` blocks as
  ``doc.stylesheets``, ``REGION`` blocks as :class:`~subkit.model.Region`
  (only the settings given; ``None`` means the WebVTT default);
* cue identifiers, every cue setting as :class:`~subkit.model.Placement`
  fields (never a numpad ``align``: settings stay settings, so VTT -> model ->
  VTT is the identity);
* cue text as runs, line breaks, raw markup (unknown tags) and timed words;
  when what the writer would make of the runs gives another W3C element tree
  (``<v>`` without a name, classes on ``<b>``, timestamps between elements),
  the cue text itself in ``Cue.extra["webvtt.cuetext"]``, which the writer
  uses while the cue still says what it says.

Leniencies (each recorded as a diagnostic; ``strict=True`` raises instead):

* a lowercase or mixed-case ``webvtt`` signature (``lenient_signature``);
* timestamps W3C rejects but that have one clear reading (``lenient_timestamps``):
  ``,`` before the fraction (files converted from SRT), no fraction
  (``00:01:39``), a 1-2 digit fraction read as a decimal (``.04`` is 40 ms),
  1-digit fields, and a 2-field time whose first field is minutes up to 59
  (``1:02.000``); one warning per cue says what was read how;
* an end time before the start (the end is set to the start);
* ``STYLE`` and ``REGION`` blocks after the first cue (W3C ignores them; kept);
* obsolete ``Region: id=... width=...`` header lines of the 2013 draft (read
  as regions; elsewhere they are reported and skipped, as vtt.js skips them)
  and the draft keywords ``middle``/``start``/``end`` in ``align``, ``line``
  and ``position`` (``obsolete_keywords``);
* inner timestamps outside the cue or going backwards (clamped).

Everything else the W3C parser drops is dropped here too, with a diagnostic
saying why: blocks whose timing line fails (and, when no cue at all could be
read, one more error saying so), invalid settings (one by one), references to
undefined regions, unmatched end tags. Unknown tags (``<font>``, ``<br>``)
are kept as :class:`~subkit.model.Raw` WebVTT markup.
"""

from __future__ import annotations

from subkit.formats._vtt_common import (
    CUE_TEXT_KEY as CUE_TEXT_KEY,
)
from subkit.formats._vtt_common import (
    CUE_TIMES_KEY as CUE_TIMES_KEY,
)
from subkit.formats._vtt_common import (
    FEATURES,
    NAME,
    ReadOptions,
    WriteOptions,
)
from subkit.formats._vtt_common import (
    HEADER_KEY as HEADER_KEY,
)
from subkit.formats._vtt_common import (
    color_classes as color_classes,
)
from subkit.formats._vtt_read import ParsedCue, ParsedFile, parse_file, read, read_pieces
from subkit.formats._vtt_write import LOWERING, write, write_pieces

__all__ = [
    "FEATURES",
    "LOWERING",
    "NAME",
    "ParsedCue",
    "ParsedFile",
    "ReadOptions",
    "WriteOptions",
    "parse_file",
    "read",
    "read_pieces",
    "sniff",
    "write",
    "write_pieces",
]


def sniff(head: str) -> bool:
    """True when the text starts with the ``WEBVTT`` signature (any case)."""
    start = head.lstrip("\ufeff \t\r\n")
    return start[:6].upper() == "WEBVTT" and (len(start) == 6 or start[6] in " \t\r\n")
