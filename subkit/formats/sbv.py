"""YouTube SBV (``.sbv``): reader and writer.

An SBV file is a list of blocks separated by blank lines; each block is a
timing line ``H:MM:SS.mmm,H:MM:SS.mmm`` followed by the text lines. There is
no index, no header and no markup. Hours are not padded.

YouTube captions mark a change of speaker with ``>>``; a cue that starts
with ``>> NAME: `` is read with ``speaker="NAME"`` and the prefix taken off
(``speaker_prefix=False`` keeps the text as it is). The writer puts a
cue's speaker back the same way.

Leniencies (each recorded as a diagnostic; ``strict=True`` raises instead):

* ``:`` or ``,`` before the milliseconds, 1-2 digit fractions (read as
  decimals, ``.5`` is 500 ms), 1-2 digit fields, spaces around the comma;
* a missing blank line before a timing line (the timing line starts a new cue);
* a cue with no text (kept, empty);
* an end before the start (the end is set to the start);
* minutes or seconds above 59 (added up arithmetically);
* a block whose first line is not a timing line, or whose timing line does
  not parse (skipped, as an error);
* text before the first timing line (skipped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink
from subkit.formats._limits import HOURS_99
from subkit.formats._lower import Lowering, lower
from subkit.formats._text_blocks import checked_end, plain_lines
from subkit.model import ContentItem, Cue, Document, LossReport, content_from_text
from subkit.timing import SBV_TIME, ClockFormat, clock_ms, format_sbv

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "read", "sniff", "write"]

NAME = "sbv"

#: What the writer can express (the speaker as a ``>> NAME:`` prefix).
FEATURES = frozenset({"speaker"})
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
LOWERING = Lowering(max_ms=HOURS_99, zero_label="0:00:00.000", max_label="99:59:59")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(BaseReadOptions):
    """SBV reader options.

    Attributes:
        speaker_prefix: read a leading ``>> NAME:`` as the cue's speaker.
    """

    speaker_prefix: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """SBV writer options.

    Attributes:
        speaker_prefix: write a cue's speaker as ``>> NAME: `` before its text
            (otherwise speakers are reported as dropped).
    """

    speaker_prefix: bool = True


#: A timing line, read leniently. Groups: h m s sep frac (start), h m s sep frac (end).
_TIMING = re.compile(rf"^[ \t]*{SBV_TIME}[ \t]*,[ \t]*{SBV_TIME}[ \t]*$")
#: The timing line as YouTube writes it.
_CANONICAL = re.compile(r"\d{1,2}:\d\d:\d\d\.\d{3},\d{1,2}:\d\d:\d\d\.\d{3}")
#: Something that was meant to be a timing line (digits, colons and one comma).
_BROKEN_TIMING = re.compile(r"^[ \t]*\d{1,2}:\d[^,\n]*,[ \t]*\d[^\n]*$")
_SPEAKER = re.compile(r"^>>[ \t]*([^:\n]{1,40}?)[ \t]*:[ \t]+")


def sniff(head: str) -> bool:
    """True when the first non-blank line is an SBV timing line (three-digit milliseconds).

    SubViewer timing lines look alike but have two digits after the dot.
    """
    for line in head.replace("\r", "\n").split("\n"):
        if line.strip():
            return _CANONICAL.fullmatch(line.strip()) is not None
    return False


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse SBV text (``\\n`` newlines) into a document.

    Raises:
        ParseError: nothing in non-empty input parses, or (strict) any flaw.
    """
    sink = DiagnosticSink(NAME, options)
    lines = data.split("\n")
    cues: list[Cue] = []
    # Each pending cue: (start, end, timing line number, text lines).
    current: tuple[int, int, int, list[str]] | None = None
    skipping = False  # inside a block that is being skipped
    previous_blank = True
    first_timing: int | None = None

    def finish() -> None:
        if current is None:
            return
        start, end, line_no, text = current
        if not text:
            sink.warn("cue without text", "kept it empty", line=line_no)
        cues.append(_cue(start, end, text, options.speaker_prefix))

    for index, raw in enumerate(lines):
        line_no = index + 1
        line = raw.rstrip()
        if not line.strip():
            previous_blank = True
            skipping = False
            if current is not None and current[3]:
                finish()
                current = None
            continue
        timing = _TIMING.match(line)
        if timing:
            if not previous_blank:
                sink.warn("no blank line before a timing line", "started a new cue there", line=line_no)
            finish()
            skipping = False
            if first_timing is None:
                first_timing = line_no
            start_parts = timing.group(1, 2, 3, 5)
            end_parts = timing.group(6, 7, 8, 10)
            start, end = clock_ms(*start_parts), clock_ms(*end_parts)
            if not _CANONICAL.fullmatch(line.strip()):
                sink.warn("non-standard timing line", "read it leniently", line=line_no, excerpt=line.strip())
            if any(int(part) > 59 for part in (start_parts[1], start_parts[2], end_parts[1], end_parts[2])):
                sink.warn("minutes or seconds above 59", "added them up", line=line_no, excerpt=line.strip())
            end = checked_end(start, end, sink, line=line_no, excerpt=line.strip())
            current = (start, end, line_no, [])
            previous_blank = False
            continue
        if skipping:
            previous_blank = False
            continue
        if previous_blank and (current is None or current[3]):
            # A block that does not open with a timing line.
            if current is not None:
                finish()
                current = None
            if _BROKEN_TIMING.match(line):
                sink.error("timing line does not parse", "skipped the cue", line=line_no, excerpt=line.strip())
            elif first_timing is None:
                sink.warn("text before the first cue", "skipped it", line=line_no, excerpt=line.strip())
            else:
                sink.error("text without a timing line", "skipped it", line=line_no, excerpt=line.strip())
            skipping = True
            previous_blank = False
            continue
        previous_blank = False
        assert current is not None
        current[3].append(line.strip())
    finish()
    if not cues and data.strip():
        first = next(i for i, line in enumerate(lines) if line.strip())
        raise sink.fail(
            "no SBV timing line (0:00:00.000,0:00:00.000) found", line=first + 1, excerpt=lines[first].strip()
        )
    return Document(cues=tuple(cues), diagnostics=tuple(sink.items), source_format=NAME)


def _cue(start: int, end: int, text: list[str], speaker_prefix: bool) -> Cue:
    speaker = None
    body = "\n".join(text)
    if speaker_prefix:
        match = _SPEAKER.match(body)
        if match and match.end() < len(body) and body[match.end()] != "\n":
            speaker = match.group(1)
            body = body[match.end() :]
    content: tuple[ContentItem, ...] = content_from_text(body) if body else ()
    return Cue(start_ms=start, end_ms=end, content=content, speaker=speaker)


def format_time(ms: int) -> str:
    """``H:MM:SS.mmm`` as YouTube writes it (negative times clamp to zero).

    >>> format_time(3723456)
    '1:02:03.456'
    """
    return format_sbv(ms)


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as SBV: timing line, text lines, blank line.

    Styling is dropped (and reported); comment cues are left out; empty lines
    inside a cue are removed, since a blank line ends a cue; negative times
    are clamped to zero.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    supported = set(FEATURES) if options.speaker_prefix else set()
    lowered = lower(doc, LOWERING, report, options=options, supported=supported, raw_format=NAME)
    out: list[str] = []
    format_time = ClockFormat(1)  # the module's format_time, with the H:MM: prefix cached

    for _, cue in lowered.cues:
        text = plain_lines(cue)
        if options.speaker_prefix and cue.speaker:
            text = f">> {cue.speaker}: {text}"
        out.append(
            f"{format_time(cue.start_ms)},{format_time(cue.end_ms)}\n{text}\n\n"
            if text
            else f"{format_time(cue.start_ms)},{format_time(cue.end_ms)}\n\n"
        )
    return "".join(out)
