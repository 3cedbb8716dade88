"""Avid DS / SubCap caption text (``.txt``): reader and writer.

The layout the Avid Caption plugin (SubCap) reads and writes::

    @ This file written with the Avid Caption plugin, version 1

    <begin subtitles>
    10:00:01:00 10:00:03:12
    First caption
    second line

    10:00:04:00 10:00:05:00
    Next caption
    <end subtitles>

``@`` lines are comments (formatting commands there are ignored by Avid).
Each block is two ``HH:MM:SS:FF`` timecodes separated by one space, then the
text lines; a blank line separates blocks. There is no styling.

Mapping into the model: times are frames at the ``fps`` read option
(default 25; the rate is not stored in the file) and the rate is kept in
``doc.frame_rate``; timecodes stay on the sequence clock (a file starting at
10:00:00:00 gives cues at ten hours). The ``@`` lines are kept in
``doc.header["avid_ds.comments"]`` and written back.

Leniencies (each recorded as a diagnostic; ``strict=True`` raises instead):

* a missing ``<begin subtitles>`` (cues from the first timing line) or
  ``<end subtitles>`` line;
* several spaces or a tab between the timecodes, ``;`` or ``.`` before the frames;
* frame numbers at or above the frame rate (added up arithmetically);
* an end before the start (set to the start);
* a missing blank line before a timing line;
* text without a timing line (skipped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from subkit.formats._base import DiagnosticSink
from subkit.formats._limits import HOURS_99
from subkit.formats._lower import Lowering, lower
from subkit.formats._text_blocks import (
    FpsReadOptions,
    FpsWriteOptions,
    checked_end,
    clamped_timecode,
    plain_lines,
    timecode_ms,
    write_rate,
)
from subkit.model import Cue, Document, LossReport, content_from_text

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "read", "sniff", "write"]

NAME = "avid_ds"

#: What the writer can express: plain text with line breaks only.
FEATURES: frozenset[str] = frozenset()
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
LOWERING = Lowering(max_ms=HOURS_99, zero_label="00:00:00:00", max_label="99:59:59", empty="drop")

#: The frame rate assumed when the options name none.
DEFAULT_FPS = Fraction(25)

#: The comment line the writer puts first when the document has none of its own.
DEFAULT_COMMENT = "@ This file written with the Avid Caption plugin, version 1"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(FpsReadOptions):
    """Avid DS reader options.

    Attributes:
        fps: frame rate of the timecodes (``25``, ``"23.976"``, ``Fraction(30000, 1001)``);
            ``None`` means 25.
    """


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(FpsWriteOptions):
    """Avid DS writer options.

    Attributes:
        fps: frame rate of the timecodes; ``None``: the document's, else 25.
        drop_frame: write drop-frame labels (``;``); ``None``: the document's
            flag, at 29.97 and 59.94 only.
    """


_TC = r"(\d{1,2}):(\d{1,2}):(\d{1,2})([:;.])(\d{1,3})"
_TIMING = re.compile(rf"^[ \t]*{_TC}[ \t]+{_TC}[ \t]*$")
_CANONICAL = re.compile(r"\d\d:\d\d:\d\d[:;]\d\d \d\d:\d\d:\d\d[:;]\d\d")
_BEGIN = re.compile(r"^\s*<\s*begin subtitles\s*>\s*$", re.IGNORECASE)
_END = re.compile(r"^\s*<\s*end subtitles\s*>\s*$", re.IGNORECASE)


def sniff(head: str) -> bool:
    """True when a ``<begin subtitles>`` line is present."""
    return any(_BEGIN.match(line) for line in head.replace("\r", "\n").split("\n"))


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse Avid DS caption text (``\\n`` newlines) into a document.

    Raises:
        ParseError: nothing in non-empty input parses, or (strict) any flaw.
    """
    sink = DiagnosticSink(NAME, options)
    fps = options.fps if isinstance(options.fps, Fraction) else DEFAULT_FPS
    lines = data.split("\n")
    comments = [line.rstrip() for line in lines if line.startswith("@")]
    begin = next((i for i, line in enumerate(lines) if _BEGIN.match(line)), None)
    if begin is None:
        begin = next((i - 1 for i, line in enumerate(lines) if _TIMING.match(line)), None)
        if begin is not None:
            sink.warn("no <begin subtitles> line", "read the cues from the first timing line", line=begin + 2)
    cues: list[Cue] = []
    drop_frame = False
    pending: tuple[int, int, int, list[str]] | None = None
    previous_blank = True
    ended = False

    def finish() -> None:
        if pending is not None:
            start, end, line_no, text = pending
            if not text:
                sink.warn("cue without text", "kept it empty", line=line_no)
            cues.append(Cue(start_ms=start, end_ms=end, content=content_from_text("\n".join(text))))

    for index in range((begin + 1) if begin is not None else len(lines), len(lines)):
        line_no = index + 1
        line = lines[index].rstrip()
        if _END.match(line):
            ended = True
            break
        if not line.strip():
            previous_blank = True
            if pending is not None and pending[3]:
                finish()
                pending = None
            continue
        timing = _TIMING.match(line)
        if timing:
            if not previous_blank and pending is not None:
                sink.warn("no blank line before a timing line", "started a new cue there", line=line_no)
            finish()
            groups = timing.groups()
            if not _CANONICAL.fullmatch(line):
                sink.warn("non-standard timing line", "read it leniently", line=line_no, excerpt=line)
            drop_frame = drop_frame or ";" in (groups[3], groups[8])
            start = timecode_ms(groups[0:5], fps, sink, line=line_no, excerpt=line)
            end = timecode_ms(groups[5:10], fps, sink, line=line_no, excerpt=line)
            end = checked_end(start, end, sink, line=line_no, excerpt=line)
            pending = (start, end, line_no, [])
            previous_blank = False
            continue
        previous_blank = False
        if line.startswith("@"):
            continue
        if pending is None:
            sink.error("text without a timing line", "skipped it", line=line_no, excerpt=line.strip())
            continue
        pending[3].append(line.strip())
    finish()
    if begin is not None and not ended:
        sink.warn("no <end subtitles> line", "read to the end of the file", line=len(lines))
    if not cues and begin is None and data.strip():
        first = next(i for i, line in enumerate(lines) if line.strip())
        raise sink.fail(
            "no Avid DS timing line (00:00:00:00 00:00:00:00) found", line=first + 1, excerpt=lines[first].strip()
        )
    header = {f"{NAME}.comments": "\n".join(comments)} if comments else {}
    return Document(
        cues=tuple(cues),
        header=header,
        frame_rate=fps,
        drop_frame=drop_frame and fps.denominator == 1001,
        diagnostics=tuple(sink.items),
        source_format=NAME,
    )


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as Avid DS caption text.

    Times are rounded to the nearest frame at ``fps`` (the document's rate by
    default); negative times are clamped to zero; styling is dropped; comment
    cues and cues without text are left out (Avid rejects empty captions).

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    lowered = lower(doc, LOWERING, report, options=options, supported=FEATURES, raw_format=NAME)
    doc = lowered.doc
    fps, drop_frame = write_rate(options, doc, DEFAULT_FPS)
    comments = doc.header.get(f"{NAME}.comments") if doc.header else None
    out = [f"{comments or DEFAULT_COMMENT}\n\n<begin subtitles>\n"]
    for _, cue in lowered.cues:
        text = plain_lines(cue)
        start = clamped_timecode(cue.start_ms, fps, drop_frame=drop_frame)
        end = clamped_timecode(cue.end_ms, fps, drop_frame=drop_frame)
        out.append(f"{start} {end}\n{text}\n\n")
    if out[-1].endswith("\n\n") and len(out) > 1:
        out[-1] = out[-1][:-1]
    out.append("<end subtitles>\n")
    return "".join(out)
