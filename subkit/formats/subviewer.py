"""SubViewer 2.0 (``.sub``): reader and writer.

A SubViewer 2.0 file opens with an information block and a style line::

    [INFORMATION]
    [TITLE]My film
    [AUTHOR]
    [SOURCE]
    [PRG]
    [FILEPATH]
    [DELAY]0
    [CD TRACK]0
    [COMMENT]
    [END INFORMATION]
    [SUBTITLE]
    [COLF]&HFFFFFF,[STYLE]no,[SIZE]24,[FONT]Arial

then blocks separated by blank lines: a timing line
``HH:MM:SS.cc,HH:MM:SS.cc`` (centiseconds) and the text, whose lines are
joined with ``[br]``.

Mapping into the model: ``[TITLE]`` is ``doc.title``; every other header tag,
the style line's ``[COLF]``, ``[STYLE]``, ``[SIZE]`` and ``[FONT]`` included,
is kept in ``doc.header`` as ``"subviewer.<TAG>"`` in file order and written
back. ``[DELAY]`` is kept but not applied (its unit is not agreed on; FFmpeg
ignores it too). ``[br]`` is a hard break. HTML-like tags (``<i>``,
``<b>``, ``<u>``, ``<s>``, ``<font>``), which SubViewer editors such as Gaupol
write, become styled runs as in SRT; other markup is kept as SubViewer-only
raw markup.

Leniencies (each recorded as a diagnostic; ``strict=True`` raises instead):

* no header at all (the file starts with a timing line);
* three-digit fractions (read as milliseconds), one-digit ones (read as
  decimals), 1-digit fields, ``,`` or ``:`` before the fraction;
* negative times (kept; the writer clamps them to zero), an end before the
  start (set to the start);
* text on several lines instead of ``[br]`` (each line is a hard break);
* a missing blank line before a timing line;
* unknown header tags (kept in the header);
* text without a timing line, and timing lines that do not parse (skipped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink
from subkit.formats._html import TagState, parse_tagged_line, tags_for_style
from subkit.formats._limits import HOURS_99
from subkit.formats._lower import Lowering, lower
from subkit.formats._markup_plans import MarkupPlans
from subkit.formats._text_blocks import checked_end
from subkit.model import ContentItem, Cue, Document, LineBreak, LossReport, Raw, Run, _trusted_cue, _trusted_run
from subkit.timing import HEAD_MS, SECONDS_MS, SUBVIEWER_TIME, ClockFormat, clock_ms, format_subviewer, head_ms

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "default_header", "read", "sniff", "write"]

NAME = "subviewer"

#: What the writer can express.
FEATURES = frozenset({"italic", "bold", "underline", "strike", "color", "font"})
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
LOWERING = Lowering(max_ms=HOURS_99, zero_label="00:00:00.00", max_label="99:59:59")

#: The information tags in the order SubViewer writes them (TITLE is ``doc.title``).
INFO_TAGS = ("AUTHOR", "SOURCE", "PRG", "FILEPATH", "DELAY", "CD TRACK", "COMMENT")
#: The tags of the style line after ``[SUBTITLE]``.
STYLE_TAGS = ("COLF", "STYLE", "SIZE", "FONT")


def default_header() -> dict[str, str]:
    """The header the writer uses for a document that has none of its own.

    >>> default_header()["subviewer.FONT"]
    'Arial'
    """
    values = {"DELAY": "0", "CD TRACK": "0", "COLF": "&HFFFFFF", "STYLE": "no", "SIZE": "24", "FONT": "Arial"}
    return {f"{NAME}.{tag}": values.get(tag, "") for tag in (*INFO_TAGS, *STYLE_TAGS)}


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(BaseReadOptions):
    """SubViewer 2.0 reader options (only the common ones)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """SubViewer 2.0 writer options (only the common ones)."""


#: A timing line. Groups: sign h m s frac (start), sign h m s frac (end).
_TIMING = re.compile(rf"^[ \t]*{SUBVIEWER_TIME}[ \t]*,[ \t]*{SUBVIEWER_TIME}[ \t]*$")
_CANONICAL = re.compile(r"-?\d\d:\d\d:\d\d\.\d\d,-?\d\d:\d\d:\d\d\.\d\d")
_TAG_LINE = re.compile(r"^\[([A-Z ]+)\](.*)$", re.IGNORECASE)
_STYLE_ITEM = re.compile(r"\[(COLF|STYLE|SIZE|FONT)\]([^,]*)", re.IGNORECASE)
_BR = re.compile(r"\[br\]", re.IGNORECASE)


def sniff(head: str) -> bool:
    """True for an ``[INFORMATION]`` header or a first timing line with two-digit centiseconds."""
    for line in head.replace("\r", "\n").split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.upper() in ("[INFORMATION]", "[SUBTITLE]"):
            return True
        return _CANONICAL.fullmatch(stripped) is not None
    return False


def _timing_ms(line: str) -> tuple[int, int] | None:
    """Start and end of a canonical timing line ``HH:MM:SS.cc,HH:MM:SS.cc`` (cached halves), else ``None``."""
    if len(line) != 23 or line[8] != "." or line[11] != "," or line[20] != ".":
        return None
    head, tail = HEAD_MS.get(line[:6]), HEAD_MS.get(line[12:18])
    if head is None or tail is None:
        head, tail = head_ms(line[:6]), head_ms(line[12:18])
        if head is None or tail is None:
            return None
    seconds, end_seconds = SECONDS_MS.get(line[6:8]), SECONDS_MS.get(line[18:20])
    cs, end_cs = _CENTIS.get(line[9:11]), _CENTIS.get(line[21:23])
    if seconds is None or end_seconds is None or cs is None or end_cs is None:
        return None
    return head + seconds + cs, tail + end_seconds + end_cs


#: Milliseconds of two-digit centisecond fields.
_CENTIS = {f"{n:02d}": n * 10 for n in range(100)}


class _Reader:
    """The state of one read: the header so far, the cue being collected, the cues."""

    def __init__(self, sink: DiagnosticSink) -> None:
        self.sink = sink
        self.header: dict[str, str] = {}
        self.title: str | None = None
        self.cues: list[Cue] = []
        self.pending: tuple[int, int, list[tuple[int, str]]] | None = None  # start, end, text lines
        self.previous_blank = True
        self.in_header = False
        self.seen_timing = False

    def regular_blocks(self, lines: list[str], index: int) -> int:
        """Read the regular blocks from ``lines[index]`` on; the index of the first line not read.

        A regular block is a canonical timing line whose end is not before its
        start, one line of text with no blanks around it that is no timing
        line, and an empty line: exactly what the line-by-line reading takes
        without a diagnostic (but for unknown markup, diagnosed in the same order).
        """
        cues, sink = self.cues, self.sink
        last = len(lines) - 2
        while index < last:
            times = _timing_ms(lines[index])
            text = lines[index + 1]
            if (times is None or times[1] < times[0] or lines[index + 2] or not text or text[0].isspace()
                    or text[-1].isspace() or _timing_ms(text) is not None or _TIMING.match(text)):
                return index
            self.seen_timing = True
            self.in_header = False
            cues.append(_trusted_cue(times[0], times[1], _content([(index + 2, text)], sink)))
            index += 3
        return index

    def finish(self) -> None:
        """Add the cue being collected, if any."""
        if self.pending is not None:
            start, end, text = self.pending
            self.cues.append(_trusted_cue(start, end, _content(text, self.sink)))

    def blank(self) -> None:
        """A blank line: it ends a cue that has text."""
        self.previous_blank = True
        if self.pending is not None and self.pending[2]:
            self.finish()
            self.pending = None

    def timing(self, start: int, end: int, line: str, line_no: int, canonical: bool) -> None:
        """A timing line: it starts a cue."""
        sink = self.sink
        if not self.previous_blank and self.pending is not None:
            sink.warn("no blank line before a timing line", "started a new cue there", line=line_no)
        self.finish()
        self.seen_timing = True
        self.in_header = False
        if not canonical:
            sink.warn("non-standard timing line", "read it leniently", line=line_no, excerpt=line)
        if start < 0 or end < 0:
            sink.warn("negative time", "kept it (the writer clamps it to 0)", line=line_no, excerpt=line)
        end = checked_end(start, end, sink, line=line_no, excerpt=line)
        self.pending = (start, end, [])
        self.previous_blank = False

    def text(self, line: str, line_no: int) -> None:
        """Any other line: cue text, a header line, or something to skip."""
        self.previous_blank = False
        if self.pending is not None:
            lines = self.pending[2]
            if len(lines) == 1:
                self.sink.warn("cue text on several lines", "read each line as a line break", line=line_no)
            lines.append((line_no, line))
            return
        tag = _TAG_LINE.match(line)
        if tag and not self.seen_timing:
            self.header_line(tag.group(1).upper().strip(), tag.group(2).strip(), line, line_no)
        elif _TIMING_LIKE.match(line):
            self.sink.error("timing line does not parse", "skipped the cue", line=line_no, excerpt=line)
        else:
            self.sink.error("text without a timing line", "skipped it", line=line_no, excerpt=line)

    def header_line(self, name: str, value: str, line: str, line_no: int) -> None:
        """A ``[TAG]value`` line before the first timing line."""
        if name == "INFORMATION":
            self.in_header = True
        elif name in ("END INFORMATION", "SUBTITLE"):
            self.in_header = False
        elif name == "TITLE":
            self.title = value or None
        elif name in STYLE_TAGS:
            for item in _STYLE_ITEM.finditer(line):
                self.header[f"{NAME}.{item.group(1).upper()}"] = item.group(2).strip()
        elif self.in_header or name in INFO_TAGS:
            self.header[f"{NAME}.{name}"] = value
        else:
            self.sink.warn(f"unknown header line [{name}]", "kept it", line=line_no, excerpt=line)
            self.header[f"{NAME}.{name}"] = value


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse SubViewer 2.0 text (``\\n`` newlines) into a document.

    Raises:
        ParseError: nothing in non-empty input parses, or (strict) any flaw.
    """
    sink = DiagnosticSink(NAME, options)
    lines = data.split("\n")
    reader = _Reader(sink)
    index, count = 0, len(lines)
    while index < count:
        if reader.pending is None and reader.previous_blank:
            index = reader.regular_blocks(lines, index)
            if index >= count:
                break
        _read_line(reader, lines[index].strip(), index + 1)
        index += 1
    reader.finish()
    if not reader.cues and not reader.header and reader.title is None and data.strip():
        first = next(i for i, line in enumerate(lines) if line.strip())
        raise sink.fail(
            "no SubViewer timing line (00:00:00.00,00:00:00.00) found", line=first + 1, excerpt=lines[first].strip()
        )
    return Document(cues=tuple(reader.cues), title=reader.title, header=reader.header,
                    diagnostics=tuple(sink.items), source_format=NAME)


_TIMING_LIKE = re.compile(r"^-?\d{1,2}:\d")


def _read_line(reader: _Reader, line: str, line_no: int) -> None:
    """Give one (stripped) line to the reader: blank, timing line or other."""
    if not line:
        reader.blank()
        return
    times = _timing_ms(line)
    if times is not None:
        reader.timing(times[0], times[1], line, line_no, True)
        return
    timing = _TIMING.match(line)
    if timing:
        g = timing.groups()
        start, end = clock_ms(g[1], g[2], g[3], g[4], g[0]), clock_ms(g[6], g[7], g[8], g[9], g[5])
        reader.timing(start, end, line, line_no, _CANONICAL.fullmatch(line) is not None)
        return
    reader.text(line, line_no)


def _content(text: list[tuple[int, str]], sink: DiagnosticSink) -> tuple[ContentItem, ...]:
    """The content of a cue's text lines (unknown markup diagnosed once, at the first line)."""
    if len(text) == 1:
        line = text[0][1]
        if "<" not in line and "[" not in line and "{" not in line:
            return (_trusted_run(line),)  # no markup: what the parser gives, without it
        content, unknown = _PLANS(line)
    else:
        content, unknown = _markup([line for _line_no, line in text])
    if unknown:
        sink.warn(f"unknown markup {unknown}", "kept it as SubViewer-only markup", line=text[0][0] if text else None)
    return content


def _markup_line(line: str) -> tuple[tuple[ContentItem, ...], str]:
    return _markup([line])


def _markup(text: list[str]) -> tuple[tuple[ContentItem, ...], str]:
    """Content of text lines (``[br]`` and line ends are breaks), and the unknown markup met ("" for none)."""
    state = TagState()
    items: list[ContentItem] = []
    unknown: list[str] = []
    for number, line in enumerate(text):
        if number:
            items.append(LineBreak())
        for index, part in enumerate(_BR.split(line)):
            if index:
                items.append(LineBreak())
            items.extend(parse_tagged_line(part, state, NAME, unknown))
    merged: list[ContentItem] = []
    for item in items:
        previous = merged[-1] if merged else None
        if isinstance(item, Run) and not item.text:
            continue
        if isinstance(item, Run) and isinstance(previous, Run) and previous.style == item.style:
            merged[-1] = Run(previous.text + item.text, item.style)
        else:
            merged.append(item)
    return tuple(merged), ", ".join(sorted(set(unknown)))[:80] if unknown else ""


#: The markup the text parser reads: HTML-like tags, ``{\...}`` blocks and ``[br]``.
_TOKEN = re.compile(r"(<\s*/?\s*[a-zA-Z]+(?:\s+[^<>]*)?\s*/?\s*>|\{\\[^{}]*\}|\[[bB][rR]\])")
#: Content plans per distinct markup sequence (see :mod:`subkit.formats._markup_plans`).
_PLANS = MarkupPlans(_TOKEN, _markup_line)


def format_time(ms: int) -> str:
    """``HH:MM:SS.cc``, rounded to the nearest centisecond; negative times clamp to zero.

    >>> format_time(3723456)
    '01:02:03.46'
    """
    return format_subviewer(ms)


def _text(cue: Cue) -> str:
    parts: list[str] = []
    for item in cue.content:
        if isinstance(item, Run):
            opening, closing = tags_for_style(item.style)
            parts.append(f"{opening}{item.text}{closing}")
        elif isinstance(item, LineBreak):
            parts.append("[br]")
        elif isinstance(item, Raw) and item.format == NAME:
            parts.append(item.markup)
    return "".join(parts)


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as SubViewer 2.0: information block, style line, cues.

    The header comes from ``doc.header`` when the document was read from
    SubViewer, else from :func:`default_header`. Times are rounded to the
    nearest centisecond; negative times are clamped to zero; comment cues are
    left out.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    lowered = lower(doc, LOWERING, report, options=options, supported=FEATURES, raw_format=NAME)
    doc = lowered.doc
    own = {key: value for key, value in doc.header.items() if key.startswith(f"{NAME}.")}
    header = own if own else default_header()
    out = ["[INFORMATION]\n", f"[TITLE]{doc.title or ''}\n"]
    for tag in INFO_TAGS:
        out.append(f"[{tag}]{header.get(f'{NAME}.{tag}', '')}\n")
    for key, value in header.items():
        tag = key[len(NAME) + 1 :]
        if tag not in INFO_TAGS and tag not in STYLE_TAGS:
            out.append(f"[{tag}]{value}\n")
    out.append("[END INFORMATION]\n[SUBTITLE]\n")
    style = [f"[{tag}]{header[f'{NAME}.{tag}']}" for tag in STYLE_TAGS if f"{NAME}.{tag}" in header]
    if style:
        out.append(",".join(style) + "\n")
    clock = ClockFormat(2, ".", 100)  # format_time, with the HH:MM: prefix cached

    for _, cue in lowered.cues:
        out.append(f"\n{clock(cue.start_ms)},{clock(cue.end_ms)}\n{_text(cue)}\n")
    return "".join(out)
