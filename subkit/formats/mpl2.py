"""MPL2 (``.txt``): ``[start][end]text`` lines in deciseconds; reader and writer.

Each line is one cue: start and end in tenths of a second, then the text
with ``|`` between its lines and a leading ``/`` marking an italic line.
The model's milliseconds are exact multiples of 100 after reading; the
writer rounds other times to the nearest decisecond and reports it.

pysubs2 reads MPL2 too, but drops negative times and says nothing about the
lines it skips; this reader keeps both (see the tests, which compare the two
on the corpus file).

Leniencies (each a diagnostic; ``strict=True`` raises instead):

* spaces inside or between the brackets;
* an empty end ``[n][]``: the cue lasts until the next one starts;
* negative times (kept);
* an end before the start: the end is set to the start;
* lines that are not cues: skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink
from subkit.formats._lower import Lowering, lower
from subkit.formats._timed_lines import close_ends, format_slash_lines, parse_slash_lines
from subkit.model import Cue, Document, LossReport, _trusted_cue, _trusted_run
from subkit.timing import parse_mpl2, units_ms

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "read", "sniff", "write"]

NAME = "mpl2"

#: What the writer can express.
FEATURES = frozenset({"italic"})
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
#: Negative times are written as such (the reader takes them back).
LOWERING = Lowering(negative="keep")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(BaseReadOptions):
    """MPL2 reader options (only the common ones)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """MPL2 writer options (only the common ones)."""


_LINE = re.compile(r"^[ \t]*\[[ \t]*(-?\d+)[ \t]*\][ \t]*\[[ \t]*(-?\d*)[ \t]*\](.*)$")
_CANONICAL = re.compile(r"\[-?\d+\]\[-?\d*\]")


def sniff(head: str) -> bool:
    """True when the first non-blank line is a ``[start][end]`` cue."""
    for line in head.split("\n", 20):
        if line.strip():
            return _LINE.match(line) is not None
    return False


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse MPL2 text (``\\n`` newlines) into a document.

    Regular files (every line ``[start][end]text`` with ``end >= start >= 0``)
    take a short path (:func:`_read_regular`) that gives what the full reader
    gives; anything else is read by the full reader, which repairs and says so.

    Raises:
        ParseError: nothing in non-empty input is a cue, or (strict) any flaw.
    """
    regular = _read_regular(data)
    if regular is not None:
        return regular
    return _read_lenient(data, options)


def _read_lenient(data: str, options: ReadOptions) -> Document:
    """The full reader: every line diagnosed, repairs said."""
    sink = DiagnosticSink(NAME, options)
    rows = _rows(data, sink)
    if not rows:
        if data.strip():
            first = next(i for i, text in enumerate(data.split("\n"), start=1) if text.strip())
            raise sink.fail("no MPL2 cue ([start][end]text) found", line=first, excerpt=data.split("\n")[first - 1])
        return Document(source_format=NAME)

    def open_end(index: int) -> None:
        sink.warn("empty end time", "the cue lasts until the next one", line=rows[index][0])

    starts = [row[1] for row in rows]
    ends = close_ends(starts, [row[2] for row in rows], on_open=open_end)
    cues: list[Cue] = []
    for (line_no, start, given, text), end in zip(rows, ends, strict=True):
        if start < 0 or (given is not None and given < 0):
            sink.warn("negative time", "kept it", line=line_no)
        if given is not None and given < start:
            sink.error("cue ends before it starts", "set its end to its start", line=line_no)
        cues.append(Cue(start_ms=start, end_ms=max(end, start), content=parse_slash_lines(text)))
    return Document(cues=tuple(cues), source_format=NAME, diagnostics=tuple(sink.items))


def _rows(data: str, sink: DiagnosticSink) -> list[tuple[int, int, int | None, str]]:
    """(line, start ms, end ms or ``None``, text) of each cue line; other lines diagnosed."""
    rows: list[tuple[int, int, int | None, str]] = []
    for line_no, line in enumerate(data.split("\n"), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match is None:
            sink.error("not a [start][end] cue line", "skipped it", line=line_no, excerpt=line)
            continue
        if not _CANONICAL.match(line):
            sink.warn("spaces inside the time brackets", "read them leniently", line=line_no, excerpt=line)
        start_text, end_text, text = match.groups()
        start = parse_mpl2(start_text)
        assert start is not None  # the line pattern took an integer
        rows.append((line_no, start, parse_mpl2(end_text) if end_text else None, text.rstrip()))
    return rows


#: A cue line of a regular file: both times given, not negative.
_REGULAR = re.compile(r"\[(\d+)\]\[(\d+)\](.*)")


def _read_regular(data: str) -> Document | None:
    """Read a file whose every non-blank line is ``[start][end]text`` with ``end >= start >= 0``, else ``None``.

    Such a file has nothing to diagnose: each line is one cue as written.
    """
    cues: list[Cue] = []
    append = cues.append
    regular = _REGULAR.match
    cue = _trusted_cue
    run = _trusted_run
    for line in data.split("\n"):
        match = regular(line)
        if match is None:
            if line.strip():
                return None
            continue
        start_text, end_text, text = match.groups()
        start = int(start_text) * 100
        end = int(end_text) * 100
        if end < start:
            return None
        text = text.rstrip()
        if "|" in text or text[:1] == "/":
            append(cue(start, end, parse_slash_lines(text)))
        else:
            append(cue(start, end, (run(text),) if text else ()))
    if not cues:
        return None
    return Document(cues=tuple(cues), source_format=NAME)


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as MPL2; times are rounded to the nearest decisecond (half up).

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    lowered = lower(doc, LOWERING, report, options=options, supported=FEATURES, raw_format=NAME)
    out: list[str] = []
    for index, cue in lowered.cues:
        if cue.start_ms % 100 or cue.end_ms % 100:
            report.add("precision", "times rounded to tenths of a second", cue=index)
        out.append(f"[{units_ms(cue.start_ms, 100)}][{units_ms(cue.end_ms, 100)}]"
                   f"{format_slash_lines(cue, index, report)}\n")
    return "".join(out)

