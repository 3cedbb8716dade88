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
from subkit.formats._timed_lines import close_ends, format_slash_lines, parse_slash_lines, units
from subkit.model import Cue, Document, LossReport

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

    Raises:
        ParseError: nothing in non-empty input is a cue, or (strict) any flaw.
    """
    sink = DiagnosticSink(NAME, options)
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
        rows.append((line_no, int(start_text) * 100, int(end_text) * 100 if end_text else None, text.rstrip()))
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
        start = units(cue.start_ms, 100)
        end = units(cue.end_ms, 100)
        out.append(f"[{start}][{end}]{format_slash_lines(cue, index, report)}\n")
    return "".join(out)

