"""SubViewer 1.0 (``.sub``): reader and writer.

The oldest SubViewer layout has a header of ``[TAG]`` lines, each followed by
its value on the next line, then the script between two marker lines::

    [TITLE]
    My film
    [AUTHOR]
    [SOURCE]
    [PRG]
    [FILEPATH]
    [DELAY]
    0
    [CD TRACK]
    0
    [BEGIN]
    ******** START SCRIPT ********
    [00:00:01]
    First line|second line
    [00:00:03]

    [end]
    ******** END SCRIPT ********

A ``[hh:mm:ss]`` line followed by text starts a cue (and ends the one
before); followed by an empty line it ends the cue on screen. Times are
whole seconds. ``|`` breaks a line. There is no styling.

Mapping into the model: ``[TITLE]`` is ``doc.title``; ``[DELAY]`` (seconds,
as FFmpeg reads it) is added to every time and not kept; the other header
tags are kept in ``doc.header`` as ``"subviewer1.<TAG>"`` and written back.

Leniencies (each recorded as a diagnostic; ``strict=True`` raises instead):

* a missing ``START SCRIPT`` marker (cues start at the first time line);
* time lines with a fraction (``[00:00:01.50]``, read as decimals) or 1-digit
  fields;
* text on several lines after a time line (each line is a line break);
* a cue that is never ended (it lasts ``last_duration_ms``);
* a time line earlier than the cue it ends (the end is set to the start);
* unknown lines (skipped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from subkit.formats._base import BaseWriteOptions, DiagnosticSink
from subkit.formats._limits import HOURS_99
from subkit.formats._lower import Lowering, lower
from subkit.formats._text_blocks import LastCueReadOptions, Tally, plain_lines
from subkit.model import Cue, Document, LossReport, content_from_text
from subkit.timing import SUBVIEWER1_STAMP, ClockFormat, format_subviewer1, parse_subviewer1

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "default_header", "read", "sniff", "write"]

NAME = "subviewer1"

#: What the writer can express: plain text with line breaks only.
FEATURES: frozenset[str] = frozenset()
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
LOWERING = Lowering(max_ms=HOURS_99, zero_label="00:00:00", max_label="99:59:59")

#: The header tags in the order SubViewer 1.0 writes them (TITLE is ``doc.title``, DELAY is applied).
HEADER_TAGS = ("AUTHOR", "SOURCE", "PRG", "FILEPATH", "DELAY", "CD TRACK")

_START = "******** START SCRIPT ********"
_END = "******** END SCRIPT ********"


def default_header() -> dict[str, str]:
    """The header tags a document read from SubViewer 1.0 written by this module has.

    >>> default_header()["subviewer1.CD TRACK"]
    '0'
    """
    return {f"{NAME}.{tag}": "0" if tag == "CD TRACK" else "" for tag in HEADER_TAGS if tag != "DELAY"}


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(LastCueReadOptions):
    """SubViewer 1.0 reader options.

    Attributes:
        last_duration_ms: how long a cue lasts when no time line ends it.
    """


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """SubViewer 1.0 writer options (only the common ones)."""


_STAMP = re.compile(rf"^{SUBVIEWER1_STAMP}$")
_CANONICAL = re.compile(r"\[\d\d:\d\d:\d\d\]")
_TAG = re.compile(r"^\[([A-Za-z][A-Za-z ]*)\]$")


def sniff(head: str) -> bool:
    """True when the ``******** START SCRIPT ********`` marker is present (as FFmpeg probes)."""
    return "START SCRIPT" in head.upper() and _START in head.replace("\r", "")


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse SubViewer 1.0 text (``\\n`` newlines) into a document.

    Raises:
        ParseError: nothing in non-empty input parses, or (strict) any flaw.
    """
    sink = DiagnosticSink(NAME, options)
    lines = data.split("\n")
    body_from = next((i + 1 for i, line in enumerate(lines) if line.strip() == _START), None)
    if body_from is None:
        body_from = next((i for i, line in enumerate(lines) if _STAMP.match(line.strip())), len(lines))
        if body_from < len(lines):
            sink.warn("no START SCRIPT line", "read the cues from the first time line", line=body_from + 1)
    header, title, delay_ms = _header(lines, body_from, sink)
    cues = _Script(sink, delay_ms).read(lines, body_from, options.last_duration_ms)
    if not cues and not header and title is None and data.strip():
        first = next(i for i, line in enumerate(lines) if line.strip())
        raise sink.fail("no SubViewer 1.0 time line ([00:00:00]) found", line=first + 1, excerpt=lines[first].strip())
    return Document(cues=tuple(cues), title=title, header=header, diagnostics=tuple(sink.items), source_format=NAME)


def _header(lines: list[str], body_from: int, sink: DiagnosticSink) -> tuple[dict[str, str], str | None, int]:
    """The header tags, the title and the delay (ms) of the lines before the script.

    Each ``[TAG]`` line is followed by its value on the next line unless that is another tag.
    """
    header: dict[str, str] = {}
    title: str | None = None
    delay_ms = 0
    index = 0
    while index < body_from:
        line = lines[index].strip()
        tag = _TAG.match(line)
        index += 1
        if line == _START:
            continue
        if not tag:
            if line:
                sink.warn("unexpected header line", "skipped it", line=index, excerpt=line)
            continue
        name = tag.group(1).upper()
        if name == "BEGIN":
            continue
        value = ""
        if index < body_from and not _TAG.match(lines[index].strip()) and lines[index].strip() != _START:
            value = lines[index].strip()
            index += 1
        if name == "TITLE":
            title = value or None
        elif name == "DELAY":
            try:
                delay_ms = int(value or "0") * 1000
            except ValueError:
                sink.warn("[DELAY] is not a whole number of seconds", "ignored it", line=index, excerpt=value)
        else:
            header[f"{NAME}.{name}"] = value
    return header, title, delay_ms


def _is_end(line: str) -> bool:
    return line.lower() == "[end]" or line == _END


class _Script:
    """The cues of the script part: a time line with text starts a cue and ends the one before."""

    def __init__(self, sink: DiagnosticSink, delay_ms: int) -> None:
        self.sink = sink
        self.delay_ms = delay_ms
        self.cues: list[Cue] = []
        self.open_cue: tuple[int, int, list[str]] | None = None  # start, line, text lines

    def close(self, end: int, line_no: int) -> None:
        """End the cue on screen (if any) at ``end``."""
        if self.open_cue is None:
            return
        start, _start_line, text = self.open_cue
        if end < start:
            self.sink.error("time line earlier than the cue it ends", "set the end to the start", line=line_no)
            end = start
        self.cues.append(Cue(start_ms=start, end_ms=end, content=content_from_text("\n".join(text))))
        self.open_cue = None

    def read(self, lines: list[str], index: int, last_duration_ms: int) -> list[Cue]:
        """Read the time lines and texts from ``lines[index]`` to the end marker."""
        sink = self.sink
        while index < len(lines):
            line = lines[index].strip()
            line_no = index + 1
            index += 1
            if _is_end(line):
                break
            time = parse_subviewer1(line)
            if time is None:
                if line:
                    sink.error("line outside a cue", "skipped it", line=line_no, excerpt=line)
                continue
            time += self.delay_ms
            if not _CANONICAL.fullmatch(line):
                sink.warn("non-standard time line", "read it leniently", line=line_no, excerpt=line)
            text: list[str] = []
            while index < len(lines):
                following = lines[index].strip()
                if not following or _STAMP.match(following) or _is_end(following):
                    break
                text.append(following)
                index += 1
            if len(text) > 1:
                sink.warn("cue text on several lines", "read each line as a line break", line=line_no + 2)
            self.close(time, line_no)
            if text:
                lines_of_text = [part.strip() for joined in text for part in joined.split("|")]
                self.open_cue = (time, line_no, lines_of_text)
            if index < len(lines) and not lines[index].strip():
                index += 1  # the empty line that follows a time line
        if self.open_cue is not None:
            start, start_line = self.open_cue[0], self.open_cue[1]
            sink.warn("the last cue is never ended", f"gave it {last_duration_ms} ms", line=start_line)
            self.close(start + last_duration_ms, start_line)
        return self.cues


def format_time(ms: int) -> str:
    """``[hh:mm:ss]``, rounded to the nearest second (half up); negative times clamp to zero.

    >>> format_time(3723500)
    '[01:02:04]'
    """
    return format_subviewer1(ms)


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as SubViewer 1.0.

    Each cue is written as its start line, its text (``|`` between lines) and
    its end line followed by an empty line. Times are rounded to whole seconds
    (reported as ``precision``); styling is dropped; comment cues are left out.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    lowered = lower(doc, LOWERING, report, options=options, supported=FEATURES, raw_format=NAME)
    doc = lowered.doc
    own = {key: value for key, value in doc.header.items() if key.startswith(f"{NAME}.")}
    header = own if own else default_header()
    out = ["[TITLE]\n", f"{doc.title or ''}\n"]
    for tag in HEADER_TAGS:
        value = "0" if tag == "DELAY" else header.get(f"{NAME}.{tag}", "")
        out.append(f"[{tag}]\n{value}\n" if value else f"[{tag}]\n")
    for key, value in header.items():
        tag = key[len(NAME) + 1 :]
        if tag not in HEADER_TAGS:
            out.append(f"[{tag}]\n{value}\n" if value else f"[{tag}]\n")
    out.append(f"[BEGIN]\n{_START}\n")
    rounded, empty = Tally(), Tally()
    to_clock = ClockFormat(scale=1)

    def clock(ms: int) -> str:  # format_time, with the HH:MM: prefix cached
        return f"[{to_clock(ms)}]"

    for number, cue in lowered.cues:
        if cue.start_ms % 1000 or cue.end_ms % 1000:
            rounded.add(number)
        text = plain_lines(cue, "|")
        if not text:
            # An empty cue cannot be written: a time line with no text ends a cue.
            empty.add(number)
            continue
        out.append(f"{clock(cue.start_ms)}\n{text}\n{clock(cue.end_ms)}\n\n")
    out.append(f"[end]\n{_END}\n")
    rounded.report_to(report, "precision", "times rounded to whole seconds")
    empty.report_to(report, "empty-cue", "cues without text dropped")
    return "".join(out)
