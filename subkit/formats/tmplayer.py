"""TMPlayer (``.txt``): ``hh:mm:ss:text`` lines, start times only; reader and writer.

Each line gives a start time to the second and the text, with ``|`` between
text lines and a leading ``/`` marking an italic line. Three spellings exist:

* ``00:00:05:text`` (TMPlayer; hours also with one digit);
* ``00:00:05=text`` (TMPlayer+);
* ``00:00:05,1=first line`` then ``00:00:05,2=second line`` (TMPlayer+
  multi-line: the number after the comma is the line of the cue).

A cue lasts until the next line's time; a line with no text only ends the
cue before it (players clear the screen); the last cue lasts three seconds
(:data:`subkit.formats._timed_lines.LAST_CUE_MS`) unless such a line ends it.
The writer emits those empty lines wherever a cue ends before the next one
starts, so gaps survive a round trip.

pysubs2 reads TMPlayer as well (it has no ``,1=`` multi-line form and skips
negative times); this reader keeps its own line numbers for diagnostics.

Leniencies (each a diagnostic; ``strict=True`` raises instead):

* negative times (kept);
* minutes or seconds above 59 (added up);
* lines that are not cues: skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink
from subkit.formats._limits import HOURS_99
from subkit.formats._lower import Lowering, lower
from subkit.formats._timed_lines import (
    LAST_CUE_MS,
    close_ends,
    format_slash_lines,
    next_starts,
    parse_slash_lines,
    units,
)
from subkit.model import ContentItem, Cue, Document, LineBreak, LossReport, _trusted_cue
from subkit.timing import SECONDS_MS, TMPLAYER_TIME, ClockFormat, clock_ms, head_ms

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "read", "sniff", "write"]

NAME = "tmplayer"

#: What the writer can express.
FEATURES = frozenset({"italic"})
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
#: Negative times are written as such (the reader takes them back).
LOWERING = Lowering(negative="keep", max_ms=HOURS_99, max_label="99:59:59")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(BaseReadOptions):
    """TMPlayer reader options (only the common ones)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """TMPlayer writer options.

    Attributes:
        separator: ``":"`` (TMPlayer) or ``"="`` (TMPlayer+) after the time.
    """

    separator: Literal[":", "="] = ":"

    def __post_init__(self) -> None:
        if self.separator not in (":", "="):
            raise ValueError(f"separator must be ':' or '=', got {self.separator!r}")


_LINE = re.compile(rf"^[ \t]*{TMPLAYER_TIME}([:=])(.*)$")
# A SMPTE timecode followed by a separator is another format (SCC, CSV timecodes), not TMPlayer.
_TIMECODE = re.compile(r"^\s*\d{1,2}:\d\d:\d\d[:;]\d\d(?:[\t ,;]|$)")


def sniff(head: str) -> bool:
    """True when the first non-blank line is an ``hh:mm:ss:`` or ``hh:mm:ss=`` cue."""
    for line in head.split("\n", 20):
        if line.strip():
            return _LINE.match(line) is not None and not _TIMECODE.match(line)
    return False


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse TMPlayer text (``\\n`` newlines) into a document.

    Raises:
        ParseError: nothing in non-empty input is a cue, or (strict) any flaw.
    """
    sink = DiagnosticSink(NAME, options)
    lines = _Lines()
    seen_any = False
    for line_no, line in enumerate(data.split("\n"), start=1):
        # Short path: a canonical "HH:MM:SS:" or "HH:MM:SS=" start, its two halves looked up.
        head = head_ms(line[:6])
        seconds = SECONDS_MS.get(line[6:8]) if head is not None else None
        if seconds is not None and line[8:9] in _SEPARATORS:
            seen_any = True
            lines.add(head + seconds, None, line[9:].rstrip())  # type: ignore[operator]
            continue
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match is None:
            sink.error("not an hh:mm:ss: cue line", "skipped it", line=line_no, excerpt=line)
            continue
        seen_any = True
        sign, h, m, s, part, _sep, text = match.groups()
        if int(m) > 59 or int(s) > 59:
            sink.warn("minutes or seconds above 59", "added them up", line=line_no, excerpt=line)
        ms = clock_ms(h, m, s, None, sign)
        if sign:
            sink.warn("negative time", "kept it", line=line_no)
        lines.add(ms, part, text.rstrip())
    if not seen_any and data.strip():
        first = next(i for i, text in enumerate(data.split("\n"), start=1) if text.strip())
        raise sink.fail("no TMPlayer cue (hh:mm:ss:text) found", line=first, excerpt=data.split("\n")[first - 1])
    return Document(cues=lines.cues(), source_format=NAME, diagnostics=tuple(sink.items))


_SEPARATORS = ("=", ":")


class _Lines:
    """The cues of a file as its lines come: start times, ends once known, text lines."""

    __slots__ = ("ends", "starts", "texts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int | None] = []
        self.texts: list[str | list[str]] = []

    def add(self, ms: int, part: str | None, text: str) -> None:
        """Take one line: a cue, the next line of the cue before, or (no text) the end of what is on screen."""
        starts, ends = self.starts, self.ends
        if part is not None and part != "1" and starts and starts[-1] == ms and ends[-1] is None:
            # TMPlayer+ multi-line: "hh:mm:ss,2=" continues the cue of "hh:mm:ss,1=".
            previous = self.texts[-1]
            self.texts[-1] = [previous, text] if isinstance(previous, str) else [*previous, text]
            return
        if not text:
            # An empty line ends what is on screen: the cues of the last start time.
            for index in range(len(ends) - 1, -1, -1):
                if ends[index] is not None or starts[index] != starts[-1]:
                    break
                ends[index] = max(ms, starts[index])
            return
        starts.append(ms)
        ends.append(None)
        self.texts.append(text)

    def cues(self) -> tuple[Cue, ...]:
        """The cues, each lasting until the next start where no empty line ended it."""
        closed = close_ends(self.starts, self.ends)
        cues: list[Cue] = []
        append = cues.append
        for start, end, parts in zip(self.starts, closed, self.texts, strict=True):
            if isinstance(parts, str):
                content = parse_slash_lines(parts)
            else:
                items: list[ContentItem] = []
                for number, part_text in enumerate(parts):
                    if number:
                        items.append(LineBreak())
                    items.extend(parse_slash_lines(part_text))
                content = tuple(items)
            append(_trusted_cue(start, end, content))
        return tuple(cues)


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as TMPlayer; times are rounded to the nearest second (half up).

    An empty line at a cue's end is written when the next cue does not start
    then (or, for the last cue, when it does not last three seconds).

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    lowered = lower(doc, LOWERING, report, options=options, supported=FEATURES, raw_format=NAME)
    # Lines go forward in time: cues in order of their start second (stable; players read the file in order).
    cues = sorted(lowered.cues, key=lambda pair: units(pair[1].start_ms, 1000))
    seconds = [(units(cue.start_ms, 1000), units(cue.end_ms, 1000)) for _, cue in cues]
    followers = next_starts([start for start, _ in seconds])
    out: list[str] = []
    sep = options.separator
    to_clock = ClockFormat(scale=1, signed=True)

    def clock(seconds: int) -> str:
        return to_clock(seconds * 1000)

    for position, (index, cue) in enumerate(cues):
        start, end = seconds[position]
        if cue.start_ms % 1000 or cue.end_ms % 1000:
            report.add("precision", "times rounded to whole seconds", cue=index)
        text = format_slash_lines(cue, index, report)
        if not text.strip("/|"):
            # An empty line would read as the end of the cue before it.
            report.add("empty-cue", "cues without text left out", cue=index)
            continue
        out.append(f"{clock(start)}{sep}{text}\n")
        if position + 1 < len(cues) and seconds[position + 1][0] == start:
            # The next cue starts in the same second: an end line here would go back in time. The
            # cues of one second end together, when the last of them ends.
            if end != seconds[position + 1][1]:
                report.add("overlap", "cues starting in the same second end together (TMPlayer lines "
                           "cannot go back in time)", cue=index)
            continue
        following = followers[position]
        if following is not None and end > following:
            report.add("overlap", "overlapping cues cut: a cue ends when the next one starts", cue=index)
            continue
        expected = following if following is not None else start + LAST_CUE_MS // 1000
        if end != expected:
            out.append(f"{clock(end)}{sep}\n")
    return "".join(out)
