"""QuickTime Text (``.txt`` starting with ``{QTtext}``): reader and writer.

A QuickTime text track in text form: ``{QTtext}`` and descriptors that hold
until changed, then samples, each opened by a time stamp::

    {QTtext} {font:Tahoma}
    {plain} {size:20}
    {timeScale:30}
    {width:160} {height:32}
    {timeStamps:absolute} {language:0}
    [00:00:01.15]
    First caption
    [00:00:03.00]

    [00:00:04.00]
    {italic}Second{plain} caption
    [00:00:06.00]

A sample lasts until the next stamp; a stamp with no text clears the screen;
the last stamp marks the end. The fraction after the dot counts units of
``{timeScale:N}`` (at 30 it is frames, at 600 ``.300`` is half a second).

Mapping into the model:

* descriptors before the first stamp are kept in ``doc.header`` as
  ``"qt_text.<descriptor>"`` (lowercase name, value as written; ``""`` for
  switches such as ``{plain}``) and written back; the header's style switches
  (``{bold}``, ``{italic}``, ``{underline}``, ``{plain}``) are the style the
  first sample starts from;
* ``{bold}``, ``{italic}``, ``{underline}`` and ``{plain}`` inside samples
  become the runs' ``bold``/``italic``/``underline`` (``True`` when on,
  ``None`` when off); like the header's, they hold into later samples;
* other descriptors inside samples (``{textColor:...}``, ``{font:...}``...)
  are kept as QuickTime-only raw markup in place.

Leniencies (each recorded as a diagnostic; ``strict=True`` raises instead):

* a missing ``{timeScale:}`` (30 is assumed), a missing ``{QTtext}``;
* spaces inside descriptors and stamps, descriptor names in any case;
* a fraction at or above the time scale (added up arithmetically);
* ``{timeStamps:relative}`` (each stamp counts from the one before);
* stamps going backwards (the earlier sample ends where the later starts);
* a missing final stamp (the last sample lasts ``last_duration_ms``);
* text before the first stamp that is not a descriptor (skipped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from subkit.formats._base import BaseWriteOptions, DiagnosticSink
from subkit.formats._lower import Lowering, lower
from subkit.formats._text_blocks import LastCueReadOptions
from subkit.model import ContentItem, Cue, Document, LineBreak, LossReport, Raw, Run, RunStyle
from subkit.timing import QT_STAMP, ClockFormat, scaled_ms

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "default_header", "read", "sniff", "write"]

NAME = "qt_text"

#: What the writer can express.
FEATURES = frozenset({"italic", "bold", "underline"})
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
#: A stamp with no text clears the screen, and one cue shows at a time: empty cues cannot be written and
#: overlapping cues are cut where the next one starts.
LOWERING = Lowering(max_ms=1000 * 3_600_000 - 1000, zero_label="00:00:00.000", max_label="999:59:59", empty="drop",
                    overlaps="cut")

#: The time scale assumed when the file names none (as QuickTime does).
DEFAULT_TIME_SCALE = 30


def default_header() -> dict[str, str]:
    """The header the writer uses for a document that has none of its own.

    >>> default_header()["qt_text.timescale"]
    '1000'
    """
    return {
        f"{NAME}.font": "Arial",
        f"{NAME}.plain": "",
        f"{NAME}.size": "24",
        f"{NAME}.textcolor": "65535, 65535, 65535",
        f"{NAME}.backcolor": "0, 0, 0",
        f"{NAME}.justify": "center",
        f"{NAME}.timescale": "1000",
        f"{NAME}.timestamps": "absolute",
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(LastCueReadOptions):
    """QuickTime Text reader options.

    Attributes:
        last_duration_ms: how long the last sample lasts when no final stamp ends it.
    """


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """QuickTime Text writer options.

    Attributes:
        time_scale: units per second of the stamps' fraction (1-10000);
            ``None``: the document's ``{timeScale:}``, else 1000 (milliseconds).
    """

    time_scale: int | None = None

    def __post_init__(self) -> None:
        if self.time_scale is not None and not 1 <= self.time_scale <= 10000:
            raise ValueError("time_scale must be within 1-10000")


_STAMP = re.compile(rf"^{QT_STAMP}$")
_DESCRIPTOR = re.compile(r"\{([^{}\n]*)\}")
_SWITCHES = ("bold", "italic", "underline")
#: Descriptor names as QuickTime spells them (the header keeps them in lowercase).
_SPELLING = {
    name.lower(): name
    for name in (
        "timeScale", "timeStamps", "textColor", "backColor", "textBox", "keyedText", "dropShadow",
        "textEncoding", "hiliteColor", "scrollIn", "scrollOut", "horizontalScroll", "reverseScroll",
        "continuousScroll", "flowHorizontal", "continuousKaraoke", "dropShadowOffset", "dropShadowTransparency",
        "QTtext", "anti-alias", "noAntiAlias", "shrinkTextBox", "doNotAutoScale",
    )
}  # fmt: skip


def sniff(head: str) -> bool:
    """True when the text starts with ``{QTtext}`` (any case, spaces allowed)."""
    return re.match(r"\s*\{\s*qttext\s*\}", head, re.IGNORECASE) is not None


def _split_descriptor(body: str) -> tuple[str, str]:
    name, _, value = body.partition(":")
    return name.strip().lower(), value.strip()


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse QuickTime Text (``\\n`` newlines) into a document.

    Raises:
        ParseError: nothing in non-empty input parses, or (strict) any flaw.
    """
    sink = DiagnosticSink(NAME, options)
    lines = data.split("\n")
    first_stamp = next((i for i, line in enumerate(lines) if _STAMP.match(line.strip())), None)
    if first_stamp is None and sniff(data):
        first_stamp = len(lines)  # descriptors only: an empty track
    if first_stamp is None:
        if data.strip():
            first = next(i for i, line in enumerate(lines) if line.strip())
            raise sink.fail(
                "no QuickTime time stamp ([00:00:00.00]) found", line=first + 1, excerpt=lines[first].strip()
            )
        return Document(source_format=NAME)
    header, style = _header(lines[:first_stamp], sink)
    if not sniff(data):
        sink.warn("no {QTtext} at the start", "read it as QuickTime Text anyway", line=1)
    header.pop(f"{NAME}.qttext", None)
    scale = _time_scale(header.get(f"{NAME}.timescale"), sink)
    relative = header.get(f"{NAME}.timestamps", "absolute").lower() == "relative"
    cues = _samples(lines, first_stamp, scale, relative, style, sink, options.last_duration_ms)
    return Document(cues=tuple(cues), header=header, diagnostics=tuple(sink.items), source_format=NAME)


def _header(lines: list[str], sink: DiagnosticSink) -> tuple[dict[str, str], dict[str, bool]]:
    """The descriptors before the first stamp, and the style switches they set."""
    header: dict[str, str] = {}
    style = dict.fromkeys(_SWITCHES, False)
    for index, raw in enumerate(lines):
        line = raw.strip()
        rest = _DESCRIPTOR.sub("", line).strip()
        for match in _DESCRIPTOR.finditer(line):
            name, value = _split_descriptor(match.group(1))
            if not name:
                continue
            header[f"{NAME}.{name}"] = value
            _switch(style, name)
        if rest:
            sink.warn("text before the first time stamp", "skipped it", line=index + 1, excerpt=rest)
    return header, style


def _time_scale(text: str | None, sink: DiagnosticSink) -> int:
    """The ``{timeScale:}`` value, or the default (with a warning) when it is missing or unreadable."""
    if text is None:
        sink.warn("no {timeScale:}", f"assumed {DEFAULT_TIME_SCALE}", line=1)
        return DEFAULT_TIME_SCALE
    try:
        scale = int(text)
        if not 1 <= scale <= 10000:
            raise ValueError(text)
    except ValueError:
        sink.warn("unreadable {timeScale:}", f"assumed {DEFAULT_TIME_SCALE}", line=1, excerpt=text)
        return DEFAULT_TIME_SCALE
    return scale


def _samples(lines: list[str], index: int, scale: int, relative: bool, style: dict[str, bool],
             sink: DiagnosticSink, last_duration_ms: int) -> list[Cue]:
    """The cues of the samples from ``lines[index]``: each lasts until the next stamp."""
    cues: list[Cue] = []
    open_sample: tuple[int, int, list[ContentItem]] | None = None  # start, line, content
    previous_time = 0
    while index < len(lines):
        line = lines[index].strip()
        line_no = index + 1
        index += 1
        stamp = _STAMP.match(line)
        if not stamp:
            continue  # only reached by blank lines between a stamp's text and the next stamp
        h, m, s, frac = stamp.groups()
        if frac and int(frac) >= scale:
            sink.warn("time stamp fraction at or above the time scale", "added it up", line=line_no, excerpt=line)
        time = scaled_ms(h, m, s, frac, scale)
        if relative:
            time += previous_time
        if open_sample is not None:
            start, _start_line, content = open_sample
            end = time
            if end < start:
                sink.error(
                    "time stamps go backwards", "ended the earlier sample at its start", line=line_no, excerpt=line
                )
                end = start
            cues.append(Cue(start_ms=start, end_ms=end, content=tuple(content)))
            open_sample = None
        previous_time = time
        text: list[str] = []
        while index < len(lines) and not _STAMP.match(lines[index].strip()):
            text.append(lines[index].rstrip())
            index += 1
        while text and not text[-1].strip():
            text.pop()
        if text:
            content = _content(text, style)
            if any(isinstance(item, Run) for item in content):
                open_sample = (time, line_no, content)
    if open_sample is not None:
        start, start_line, content = open_sample
        sink.warn("no time stamp after the last sample", f"gave it {last_duration_ms} ms", line=start_line)
        cues.append(Cue(start_ms=start, end_ms=start + last_duration_ms, content=tuple(content)))
    return cues


def _switch(style: dict[str, bool], name: str) -> bool:
    """Apply a style descriptor to ``style``; False when ``name`` is not one."""
    if name == "plain":
        for key in _SWITCHES:
            style[key] = False
        return True
    if name in _SWITCHES:
        style[name] = True
        return True
    return False


def _content(text: list[str], style: dict[str, bool]) -> list[ContentItem]:
    items: list[ContentItem] = []
    for number, line in enumerate(text):
        if number:
            items.append(LineBreak())
        pos = 0
        for match in _DESCRIPTOR.finditer(line):
            if match.start() > pos:
                _append(items, line[pos : match.start()], style)
            name, _value = _split_descriptor(match.group(1))
            if not _switch(style, name):
                items.append(Raw(NAME, match.group(0)))
            pos = match.end()
        if pos < len(line):
            _append(items, line[pos:], style)
    return items


def _append(items: list[ContentItem], text: str, style: dict[str, bool]) -> None:
    run_style = RunStyle(
        italic=style["italic"] or None, bold=style["bold"] or None, underline=style["underline"] or None
    )
    previous = items[-1] if items else None
    if isinstance(previous, Run) and previous.style == run_style:
        items[-1] = Run(previous.text + text, run_style)
    else:
        items.append(Run(text, run_style))


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as QuickTime Text with absolute time stamps.

    The descriptors come from ``doc.header`` when it came from QuickTime Text,
    else from :func:`default_header`; ``{timeScale:}`` and
    ``{timeStamps:absolute}`` are always written. Overlapping cues cannot be
    shown at once: a cue is cut where the next one starts (reported as
    ``overlap``). Negative times are clamped to zero; comment cues are left out.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    lowered = lower(doc, LOWERING, report, options=options, supported=FEATURES, raw_format=NAME)
    doc = lowered.doc
    own = {key: value for key, value in doc.header.items() if key.startswith(f"{NAME}.")}
    header = own if own else default_header()
    scale = options.time_scale
    if scale is None:
        try:
            scale = int(header.get(f"{NAME}.timescale", "1000"))
        except ValueError:
            scale = 1000
        scale = scale if 1 <= scale <= 10000 else 1000
    header = {**header, f"{NAME}.timescale": str(scale), f"{NAME}.timestamps": "absolute"}
    descriptors = []
    for key, value in header.items():
        name = key[len(NAME) + 1 :]
        name = _SPELLING.get(name, name)
        descriptors.append(f"{{{name}:{value}}}" if value else f"{{{name}}}")
    out = ["{QTtext} " + " ".join(descriptors) + "\n"]
    state = dict.fromkeys(_SWITCHES, False)
    for key in header:
        _switch(state, key[len(NAME) + 1 :])
    cues = lowered.cues  # in order of start, without overlaps
    clock = ClockFormat(2, ".", scale, fraction_digits=len(str(scale - 1)))

    def stamp(ms: int) -> str:  # timing.format_qt_text(ms, scale), with the HH:MM: prefix cached
        return f"[{clock(ms)}]"

    for position, (_, cue) in enumerate(cues):
        start, end = cue.start_ms, cue.end_ms
        following = cues[position + 1][1].start_ms if position + 1 < len(cues) else None
        out.append(f"{stamp(start)}\n{_text(cue, state)}\n")
        if following is None or following > end:
            out.append(f"{stamp(end)}\n\n")
    return "".join(out)


def _text(cue: Cue, state: dict[str, bool]) -> str:
    parts: list[str] = []
    for item in cue.content:
        if isinstance(item, LineBreak):
            parts.append("\n")
        elif isinstance(item, Raw):
            if item.format == NAME:
                parts.append(item.markup)
        else:
            wanted = {
                "italic": bool(item.style.italic),
                "bold": bool(item.style.bold),
                "underline": bool(item.style.underline),
            }
            if wanted != state:
                if any(state[key] and not wanted[key] for key in _SWITCHES):
                    parts.append("{plain}")
                    for key in _SWITCHES:
                        state[key] = False
                for key in _SWITCHES:
                    if wanted[key] and not state[key]:
                        parts.append(f"{{{key}}}")
                        state[key] = True
            parts.append(item.text)
    text = "".join(parts)
    # A blank line would be read as the end of the sample's text only at the end; inner ones are kept.
    return "\n".join(line for line in text.split("\n") if line.strip())
