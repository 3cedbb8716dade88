"""Timed transcripts as CSV or TSV (``.csv``, ``.tsv``): one row per cue; reader and writer.

Speech-recognition tools and converters write transcripts as tables: a start,
an end and the text per row, sometimes a speaker. The shapes seen:

* ``"text",start,end`` in seconds, no header (whisper-timestamped ``.csv``);
* ``start<TAB>end<TAB>text`` in milliseconds under a header row
  (whisper-timestamped ``.tsv``);
* ``start,end,"text"`` with ``HH:MM:SS:FF`` timecodes (converters).

Reading:

* the delimiter is a tab when the first line holds one, else a comma;
  quoted fields may span lines (``csv`` module rules);
* a first row naming ``start`` and ``end`` is a header: it places the
  columns (``text``, ``transcript``, ``caption``, ``subtitle`` or ``word``
  for the text; ``speaker`` for a speaker). Without a header, the two
  columns whose first-row values are times are start and end, and the first
  other column is the text;
* times: ``HH:MM:SS.mmm`` / ``HH:MM:SS,mmm``; ``HH:MM:SS:FF`` (frames at
  ``fps``, 30 unless given); plain numbers in seconds, except that a file
  whose numbers are all integers is read in milliseconds (``unit`` option:
  ``"auto"``, ``"s"`` or ``"ms"``), which is how the tools above write them;
* a text's blank lines and surrounding whitespace are dropped; its other
  line breaks are kept.

Leniencies (each a diagnostic; ``strict=True`` raises instead): rows whose
times do not read, or with too few fields (skipped); an end before the start
(set to the start); blank lines inside a text (dropped).

The writer emits a header ``start,end[,speaker],text`` and times in seconds
with three decimals (``unit="ms"`` writes integer milliseconds;
``delimiter="\\t"`` writes TSV).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink
from subkit.formats._lower import Lowering, lower
from subkit.model import Cue, Document, LossReport, content_from_text
from subkit.timing import clock_ms, frames_to_ms, parse_fps, round_half_up

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "read", "sniff", "write"]

NAME = "transcript_csv"

#: What the writer can express.
FEATURES = frozenset({"speaker"})
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
#: Negative times are written as such (the reader takes them back).
LOWERING = Lowering(negative="keep")

_TEXT_NAMES = ("text", "transcript", "caption", "subtitle", "word", "words")
_NUMBER = re.compile(r"\s*-?\d+(?:\.\d+)?\s*")
_CLOCK = re.compile(r"\s*(\d{1,2}):(\d{2}):(\d{2})(?:([.,])(\d{1,3})|:(\d{1,3}))?\s*")
_BLANKS = re.compile(r"\n\s*\n+")
_DEFAULT_FPS = Fraction(30)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(BaseReadOptions):
    """Timed CSV/TSV reader options.

    Attributes:
        unit: plain numbers are ``"s"`` (seconds) or ``"ms"``; ``"auto"``
            takes milliseconds when every number in the file is an integer.
        fps: frame rate of ``HH:MM:SS:FF`` timecodes (``"25"``, ``"29.97"``,
            ``"30000/1001"``, ``23.976``, ``Fraction(24000, 1001)``);
            ``None``: 30.
    """

    unit: Literal["auto", "s", "ms"] = "auto"
    fps: str | float | Fraction | None = None

    def __post_init__(self) -> None:
        if self.unit not in ("auto", "s", "ms"):
            raise ValueError(f"unit must be 'auto', 's' or 'ms', got {self.unit!r}")
        if self.fps is not None:
            parse_fps(self.fps)


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """Timed CSV/TSV writer options.

    Attributes:
        delimiter: ``","`` (CSV) or ``"\\t"`` (TSV).
        unit: ``"s"`` (seconds, three decimals) or ``"ms"`` (integers).
        header: write the ``start,end,text`` header row.
    """

    delimiter: Literal[",", "\t"] = ","
    unit: Literal["s", "ms"] = "s"
    header: bool = True

    def __post_init__(self) -> None:
        if self.delimiter not in (",", "\t"):
            raise ValueError(f"delimiter must be ',' or a tab, got {self.delimiter!r}")
        if self.unit not in ("s", "ms"):
            raise ValueError(f"unit must be 's' or 'ms', got {self.unit!r}")


def _rows(data: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """The rows with the line each starts on."""
    reader = csv.reader(io.StringIO(data), delimiter=delimiter, strict=False)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error:  # pragma: no cover - strict=False makes the csv module accept anything
        pass
    return rows


def _is_header(row: list[str]) -> bool:
    names = {cell.strip().lower() for cell in row}
    return "start" in names and "end" in names


def sniff(head: str) -> bool:
    """True for a ``start``/``end`` header row, or a first row of text and two times.

    Times are plain numbers, or clock times when the text is a quoted CSV
    field (``00:00:01:00,00:00:02:00,"Hello"``); an unquoted row of two
    timecodes and text is also a Spruce STL line, and the ``.csv``
    extension settles that tie.
    """
    first = head.split("\n", 1)[0].rstrip("\r")
    if not first.strip():
        return False
    delimiter = "\t" if "\t" in first else ","
    rows = _rows(first, delimiter)
    if not rows:
        return False
    row = rows[0][1]
    if _is_header(row):
        return True
    numbers = [cell for cell in row if _NUMBER.fullmatch(cell)]
    if len(row) == 3 and len(numbers) == 2 and any(c.strip() and not _NUMBER.fullmatch(c) for c in row):
        return True
    clocks = [cell for cell in row[:2] if _CLOCK.fullmatch(cell)]
    return len(row) == 3 and len(clocks) == 2 and first.split(delimiter, 2)[-1].lstrip().startswith('"')


def _time(cell: str, unit: str, rate: Fraction) -> int | None:
    """Milliseconds of a time cell, or ``None``."""
    if _NUMBER.fullmatch(cell):
        value = Fraction(cell.strip())
        return round_half_up(value if unit == "ms" else value * 1000)
    clock = _CLOCK.fullmatch(cell)
    if clock is None:
        return None
    h, m, s, _sep, fraction, frames = clock.groups()
    ms = clock_ms(h, m, s, fraction)
    if fraction is None and frames is not None:
        ms += frames_to_ms(int(frames), rate)
    return ms


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse a timed CSV or TSV transcript.

    Raises:
        ParseError: no row has readable times, or (strict) any flaw.
    """
    sink = DiagnosticSink(NAME, options)
    rate = parse_fps(options.fps) if options.fps is not None else _DEFAULT_FPS
    first_line = next((line for line in data.split("\n") if line.strip()), "")
    delimiter = "\t" if "\t" in first_line else ","
    rows = [(line, row) for line, row in _rows(data, delimiter) if any(cell.strip() for cell in row)]
    if not rows:
        return Document(source_format=NAME)
    start_col, end_col, text_col, speaker_col = 0, 1, 2, None
    if _is_header(rows[0][1]):
        names = [cell.strip().lower() for cell in rows[0][1]]
        start_col, end_col = names.index("start"), names.index("end")
        text_col = next((names.index(n) for n in _TEXT_NAMES if n in names), -1)
        speaker_col = names.index("speaker") if "speaker" in names else None
        rows = rows[1:]
    elif rows:
        first = rows[0][1]
        timed = [index for index, cell in enumerate(first) if _time(cell, "s", rate) is not None]
        if len(timed) >= 2:
            start_col, end_col = timed[0], timed[1]
            text_col = next((i for i in range(len(first)) if i not in (start_col, end_col)), -1)
    unit = options.unit
    if unit == "auto":
        numbers = [
            row[c] for _, row in rows for c in (start_col, end_col) if c < len(row) and _NUMBER.fullmatch(row[c])
        ]
        unit = "ms" if numbers and all("." not in n for n in numbers) else "s"
    cues: list[Cue] = []
    for line, row in rows:
        cells = max(start_col, end_col, text_col)
        if len(row) <= cells:
            sink.error("row with too few fields", "skipped it", line=line, excerpt=delimiter.join(row))
            continue
        start, end = _time(row[start_col], unit, rate), _time(row[end_col], unit, rate)
        if start is None or end is None:
            sink.error("row whose times do not read", "skipped it", line=line, excerpt=delimiter.join(row))
            continue
        if end < start:
            sink.error("cue ends before it starts", "set its end to its start", line=line)
            end = start
        text = row[text_col].replace("\r", "").strip() if text_col >= 0 else ""
        if _BLANKS.search(text):
            sink.warn("blank lines inside a text", "dropped them", line=line)
            text = _BLANKS.sub("\n", text)
        speaker: str | None = None
        if speaker_col is not None and speaker_col < len(row):
            speaker = row[speaker_col].strip() or None
        cues.append(Cue(start_ms=start, end_ms=end, content=content_from_text(text), speaker=speaker))
    if not cues and rows:
        raise sink.fail("no row with readable times", line=rows[0][0], excerpt=delimiter.join(rows[0][1]))
    return Document(cues=tuple(cues), source_format=NAME, diagnostics=tuple(sink.items))


def _format(ms: int, unit: str) -> str:
    if unit == "ms":
        return str(ms)
    sign = "-" if ms < 0 else ""
    seconds, millis = divmod(abs(ms), 1000)
    return f"{sign}{seconds}.{millis:03d}"


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as a timed CSV (or TSV) transcript.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    lowered = lower(doc, LOWERING, report, options=options, supported=FEATURES, raw_format=NAME)
    speakers = any(cue.speaker for cue in doc.cues)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=options.delimiter, lineterminator="\n")
    if options.header:
        writer.writerow(["start", "end", *(["speaker"] if speakers else []), "text"])
    for _, cue in lowered.cues:
        text = "\n".join(line for line in cue.plain_text().split("\n") if line.strip())
        row = [_format(cue.start_ms, options.unit), _format(cue.end_ms, options.unit)]
        if speakers:
            row.append(cue.speaker or "")
        writer.writerow([*row, text])
    return out.getvalue()
