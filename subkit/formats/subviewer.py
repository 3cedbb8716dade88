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
from subkit.formats._text_blocks import checked_end
from subkit.model import ContentItem, Cue, Document, LineBreak, LossReport, Raw, Run
from subkit.timing import MinutePrefix

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


_TIME = r"(-?)(\d{1,2}):(\d{1,2}):(\d{1,2})[.,:](\d{1,3})"
#: A timing line. Groups: sign h m s frac (start), sign h m s frac (end).
_TIMING = re.compile(rf"^[ \t]*{_TIME}[ \t]*,[ \t]*{_TIME}[ \t]*$")
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


def _ms(sign: str, h: str, m: str, s: str, frac: str) -> int:
    # Two digits are centiseconds, three milliseconds, one a tenth.
    millis = int(frac.ljust(3, "0")) if len(frac) < 3 else int(frac)
    value = ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + millis
    return -value if sign else value


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse SubViewer 2.0 text (``\\n`` newlines) into a document.

    Raises:
        ParseError: nothing in non-empty input parses, or (strict) any flaw.
    """
    sink = DiagnosticSink(NAME, options)
    lines = data.split("\n")
    header: dict[str, str] = {}
    title: str | None = None
    cues: list[Cue] = []
    pending: tuple[int, int, int, list[tuple[int, str]]] | None = None
    previous_blank = True
    in_header = False
    seen_timing = False

    def finish() -> None:
        if pending is None:
            return
        start, end, _line_no, text = pending
        cues.append(Cue(start_ms=start, end_ms=end, content=_content(text, sink)))

    for index, raw in enumerate(lines):
        line_no = index + 1
        line = raw.strip()
        if not line:
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
            seen_timing = True
            in_header = False
            groups = timing.groups()
            start, end = _ms(*groups[:5]), _ms(*groups[5:])
            if not _CANONICAL.fullmatch(line):
                sink.warn("non-standard timing line", "read it leniently", line=line_no, excerpt=line)
            if start < 0 or end < 0:
                sink.warn("negative time", "kept it (the writer clamps it to 0)", line=line_no, excerpt=line)
            end = checked_end(start, end, sink, line=line_no, excerpt=line)
            pending = (start, end, line_no, [])
            previous_blank = False
            continue
        previous_blank = False
        if pending is not None:
            if pending[3] and len(pending[3]) == 1:
                sink.warn("cue text on several lines", "read each line as a line break", line=line_no)
            pending[3].append((line_no, line))
            continue
        tag = _TAG_LINE.match(line)
        if tag and not seen_timing:
            name, value = tag.group(1).upper().strip(), tag.group(2).strip()
            if name == "INFORMATION":
                in_header = True
            elif name in ("END INFORMATION", "SUBTITLE"):
                in_header = False
            elif name == "TITLE":
                title = value or None
            elif name in STYLE_TAGS:
                for item in _STYLE_ITEM.finditer(line):
                    header[f"{NAME}.{item.group(1).upper()}"] = item.group(2).strip()
            elif in_header or name in INFO_TAGS:
                header[f"{NAME}.{name}"] = value
            else:
                sink.warn(f"unknown header line [{name}]", "kept it", line=line_no, excerpt=line)
                header[f"{NAME}.{name}"] = value
            continue
        if _TIMING_LIKE.match(line):
            sink.error("timing line does not parse", "skipped the cue", line=line_no, excerpt=line)
        else:
            sink.error("text without a timing line", "skipped it", line=line_no, excerpt=line)
    finish()
    if not cues and not header and title is None and data.strip():
        first = next(i for i, line in enumerate(lines) if line.strip())
        raise sink.fail(
            "no SubViewer timing line (00:00:00.00,00:00:00.00) found", line=first + 1, excerpt=lines[first].strip()
        )
    return Document(cues=tuple(cues), title=title, header=header, diagnostics=tuple(sink.items), source_format=NAME)


_TIMING_LIKE = re.compile(r"^-?\d{1,2}:\d")


def _content(text: list[tuple[int, str]], sink: DiagnosticSink) -> tuple[ContentItem, ...]:
    state = TagState()
    items: list[ContentItem] = []
    unknown: list[str] = []
    first_line = text[0][0] if text else None
    for number, (_line_no, line) in enumerate(text):
        if number:
            items.append(LineBreak())
        for index, part in enumerate(_BR.split(line)):
            if index:
                items.append(LineBreak())
            items.extend(parse_tagged_line(part, state, NAME, unknown))
    if unknown:
        sink.warn(
            f"unknown markup {', '.join(sorted(set(unknown)))[:80]}",
            "kept it as SubViewer-only markup",
            line=first_line,
        )
    merged: list[ContentItem] = []
    for item in items:
        previous = merged[-1] if merged else None
        if isinstance(item, Run) and not item.text:
            continue
        if isinstance(item, Run) and isinstance(previous, Run) and previous.style == item.style:
            merged[-1] = Run(previous.text + item.text, item.style)
        else:
            merged.append(item)
    return tuple(merged)


def format_time(ms: int) -> str:
    """``HH:MM:SS.cc``, rounded to the nearest centisecond; negative times clamp to zero.

    >>> format_time(3723456)
    '01:02:03.46'
    """
    cs = (max(ms, 0) + 5) // 10
    seconds, cs = divmod(cs, 100)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{cs:02d}"


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
    prefix = MinutePrefix()

    def clock(ms: int) -> str:  # format_time, with the HH:MM: prefix cached
        minute, cs = divmod((max(ms, 0) + 5) // 10, 6000)
        return f"{prefix(minute)}{cs // 100:02d}.{cs % 100:02d}"

    for _, cue in lowered.cues:
        out.append(f"\n{clock(cue.start_ms)},{clock(cue.end_ms)}\n{_text(cue)}\n")
    return "".join(out)
