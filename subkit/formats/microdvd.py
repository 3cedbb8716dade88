"""MicroDVD (``.sub``): frame-based ``{start}{end}text`` lines; reader and writer.

Each line is one cue: the start and end frame in braces, then the text with
``|`` between its lines. A first line ``{1}{1}23.976`` declares the frame
rate (VLC's convention, which pysubs2 follows). Frames become milliseconds
with exact arithmetic (:mod:`subkit.timing`); the document keeps the frame
rate, so a write at the same rate gives back the same frames.

Control codes (lowercase: the current line; uppercase: every line of the
cue, from FFmpeg's decoder):

* ``{y:i}``, ``{y:b}``, ``{y:u}``, ``{y:s}``, combinable (``{y:ib}``,
  ``{y:b,u}``): italic, bold, underline, strike;
* ``{c:$BBGGRR}``: colour, blue first; ``{f:name}``: font; ``{s:size}``: size;
* ``{P:0}`` top, ``{P:1}`` bottom: the cue's alignment (8 or 2);
* ``{o:x,y}`` and ``{H:charset}``: kept as MicroDVD-only markup;
* a leading ``/`` on a line: italic (a common player extension).

pysubs2 also reads MicroDVD, but with float frame rates, no negative frames,
no colours and no line numbers for problems; this reader is written for the
model instead, and the tests check that both agree on the corpus files.

Leniencies (each a diagnostic; ``strict=True`` raises instead):

* no frame rate declared or given: 23.976 is assumed;
* spaces inside the braces; negative frames (kept);
* an empty end ``{n}{}``: the cue lasts until the next one starts;
* an end before the start: the end is set to the start;
* lines that are not cues: skipped;
* unknown control codes: kept as text, as FFmpeg does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink
from subkit.formats._lower import Lowering, lower
from subkit.formats._markup_plans import MarkupPlans
from subkit.formats._timed_lines import close_ends, parse_slash_lines
from subkit.model import (
    NOWHERE,
    PLAIN,
    Color,
    ContentItem,
    Cue,
    Document,
    LineBreak,
    LossReport,
    Placement,
    Raw,
    Run,
    RunStyle,
    _trusted_cue,
    _trusted_run,
)
from subkit.timing import FPS_23_976, frame_converters, frames_to_ms, parse_fps

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "format_fps", "read", "sniff", "write"]

NAME = "microdvd"

#: What the writer can express.
FEATURES = frozenset({"italic", "bold", "underline", "strike", "color", "font", "alignment"})
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
#: Negative frame numbers are written as such (the reader takes them back).
LOWERING = Lowering(negative="keep")

#: The frame rate assumed when neither the file nor the options give one.
DEFAULT_FPS = FPS_23_976


def _fps_option(value: str | float | Fraction | None) -> Fraction | None:
    return None if value is None else parse_fps(value)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(BaseReadOptions):
    """MicroDVD reader options.

    Attributes:
        fps: the frame rate (``25``, ``"23.976"``, ``Fraction(24000, 1001)``);
            it overrides a ``{1}{1}`` declaration in the file.
    """

    fps: str | float | Fraction | None = None

    def __post_init__(self) -> None:
        _fps_option(self.fps)


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """MicroDVD writer options.

    Attributes:
        fps: the frame rate to write at; the document's when ``None``
            (23.976 when it has none, reported as ``frame-rate``).
        fps_header: write the ``{1}{1}<fps>`` declaration as the first line.
    """

    fps: str | float | Fraction | None = None
    fps_header: bool = True

    def __post_init__(self) -> None:
        _fps_option(self.fps)


_LINE = re.compile(r"^[ \t]*\{[ \t]*(-?\d+)[ \t]*\}[ \t]*\{[ \t]*(-?\d*)[ \t]*\}(.*)$")
_CANONICAL = re.compile(r"\{-?\d+\}\{-?\d*\}")
_CODE = re.compile(r"\{([a-zA-Z]):([^{}]*)\}")
_FPS_TEXT = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*$")


def sniff(head: str) -> bool:
    """True when the first non-blank line is a ``{start}{end}`` cue."""
    for line in head.split("\n", 20):
        if line.strip():
            return _LINE.match(line) is not None
    return False


def format_fps(rate: Fraction) -> str:
    """The frame rate as MicroDVD declares it: ``23.976``, ``25``, ``29.97``.

    >>> format_fps(Fraction(24000, 1001)), format_fps(Fraction(25)), format_fps(Fraction(30000, 1001))
    ('23.976', '25', '29.97')
    """
    if rate.denominator == 1:
        return str(rate.numerator)
    text = f"{float(rate):.3f}".rstrip("0").rstrip(".")
    return text


class _LineStyle:
    """The style a line's control codes build up."""

    __slots__ = ("values",)

    def __init__(self) -> None:
        self.values: dict[str, object] = {}

    def copy(self) -> _LineStyle:
        other = _LineStyle()
        other.values = dict(self.values)
        return other

    def style(self) -> RunStyle:
        return RunStyle(**self.values) if self.values else PLAIN  # type: ignore[arg-type]


def _apply_code(key: str, value: str, target: _LineStyle) -> bool:
    """Apply ``{key:value}`` to ``target``; False when it is not a style code."""
    lowered = key.lower()
    if lowered == "y":
        flags = value.lower().replace(",", "").replace(" ", "")
        if not flags or any(c not in "ibus" for c in flags):
            return False
        names = {"i": "italic", "b": "bold", "u": "underline", "s": "strike"}
        for flag in flags:
            target.values[names[flag]] = True
        return True
    if lowered == "c":
        digits = value.strip().lstrip("$").lstrip("#")
        if len(digits) != 6 or any(c not in "0123456789abcdefABCDEF" for c in digits):
            return False
        # MicroDVD colours are BGR, like ASS.
        target.values["color"] = Color(r=int(digits[4:6], 16), g=int(digits[2:4], 16), b=int(digits[0:2], 16))
        return True
    if lowered == "f":
        if not value.strip():
            return False
        target.values["font_family"] = value.strip()
        return True
    if lowered == "s":
        try:
            size = float(value)
        except ValueError:
            return False
        if size <= 0:
            return False
        target.values["font_size"] = size
        return True
    return False


def _parse_text(
    text: str, sink: DiagnosticSink, line_no: int
) -> tuple[tuple[ContentItem, ...], int | None]:
    """Content and alignment of a cue's text (an unknown control code is diagnosed)."""
    content, (align, unknown) = _PLANS(text)
    if unknown is not None:
        sink.warn(f"unknown control code {unknown}", "kept it as text", line=line_no, excerpt=unknown)
    return content, align


def _markup(text: str) -> tuple[tuple[ContentItem, ...], tuple[int | None, str | None]]:
    """Content of a cue's text, with its alignment and the first unknown control code."""
    cue_style = _LineStyle()
    align: int | None = None
    items: list[ContentItem] = []
    unknown: list[str] = []
    for number, line in enumerate(text.split("|")):
        if number:
            items.append(LineBreak())
        current = cue_style.copy()
        if line.startswith("/"):
            current.values["italic"] = True
            line = line[1:]
        position = 0
        pending = ""
        for match in _CODE.finditer(line):
            pending += line[position : match.start()]
            position = match.end()
            key, value = match.group(1), match.group(2)
            if key == "P" and value.strip() in ("0", "1"):
                align = 8 if value.strip() == "0" else 2
                continue
            if key.lower() in ("o", "h"):
                if pending:
                    items.append(Run(pending, current.style()))
                    pending = ""
                items.append(Raw(NAME, match.group(0)))
                continue
            # Uppercase codes before any text of the first line apply to the whole cue.
            whole_cue = key.isupper() and number == 0 and not pending and not items
            target = current.copy()
            if not _apply_code(key, value, target):
                unknown.append(match.group(0))
                pending += match.group(0)
                continue
            if pending:
                items.append(Run(pending, current.style()))
                pending = ""
            current = target
            if whole_cue:
                _apply_code(key, value, cue_style)
        pending += line[position:]
        if pending:
            items.append(Run(pending, current.style()))
    return tuple(items), (align, unknown[0] if unknown else None)


#: The markup the text parser reads: control codes and line separators.
_TOKEN = re.compile(r"(\{[a-zA-Z]:[^{}|]*\}|\|)")
#: Content plans per distinct markup sequence of the file (see :mod:`subkit.formats._markup_plans`).
_PLANS = MarkupPlans(_TOKEN, _markup)


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse MicroDVD text (``\\n`` newlines) into a document.

    Regular files (a ``{1}{1}`` frame rate or ``fps=``, then lines
    ``{start}{end}text`` with ``end >= start >= 0``) take a short path
    (:func:`_read_regular`) that gives what the full reader gives.

    Raises:
        ParseError: nothing in non-empty input is a cue, or (strict) any flaw.
    """
    rate = _fps_option(options.fps)
    regular = _read_regular(data, rate, options)
    if regular is not None:
        return regular
    return _read_lenient(data, rate, options)


def _read_lenient(data: str, rate: Fraction | None, options: ReadOptions) -> Document:
    """The full reader: every line diagnosed, repairs said."""
    sink = DiagnosticSink(NAME, options)
    rows, declared = _rows(data, sink)
    if not rows:
        if data.strip() and declared is None:
            first = next(i for i, text in enumerate(data.split("\n"), start=1) if text.strip())
            raise sink.fail("no MicroDVD cue ({start}{end}text) found", line=first,
                            excerpt=data.split("\n")[first - 1])
        return Document(frame_rate=rate or declared, source_format=NAME, diagnostics=tuple(sink.items))
    if rate is None:
        rate = declared
    if rate is None:
        sink.warn("no frame rate declared ({1}{1}fps) or given (fps=)", "assumed 23.976", line=rows[0][0])
        rate = DEFAULT_FPS
    starts = [frames_to_ms(start, rate) for _, start, _, _ in rows]
    ends: list[int | None] = [None if end is None else frames_to_ms(end, rate) for _, _, end, _ in rows]

    def open_end(index: int) -> None:
        sink.warn("empty end frame", "the cue lasts until the next one", line=rows[index][0])

    closed = close_ends(starts, ends, on_open=open_end)
    cues: list[Cue] = []
    for (line_no, start_frame, end_frame, text), start, end, given in zip(rows, starts, closed, ends, strict=True):
        if start_frame < 0 or (end_frame is not None and end_frame < 0):
            sink.warn("negative frame number", "kept it", line=line_no)
        if given is not None and given < start:
            sink.error("cue ends before it starts", "set its end to its start", line=line_no)
        content, align = _parse_text(text.rstrip("\r"), sink, line_no)
        placement = NOWHERE if align is None else Placement(align=align)
        cues.append(Cue(start_ms=start, end_ms=max(end, start), content=content, placement=placement))
    return Document(cues=tuple(cues), frame_rate=rate, source_format=NAME, diagnostics=tuple(sink.items))


def _declaration(text: str) -> Fraction | None:
    """The frame rate a ``{1}{1}`` line declares, or ``None`` when its text is not one."""
    if not _FPS_TEXT.match(text):
        return None
    try:
        return parse_fps(text.strip().replace(",", "."))
    except ValueError:
        return None


def _rows(data: str, sink: DiagnosticSink) -> tuple[list[tuple[int, int, int | None, str]], Fraction | None]:
    """The cue lines (line, start frame, end frame or ``None``, text) and the declared frame rate."""
    declared: Fraction | None = None
    rows: list[tuple[int, int, int | None, str]] = []
    for line_no, line in enumerate(data.split("\n"), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match is None:
            sink.error("not a {start}{end} cue line", "skipped it", line=line_no, excerpt=line)
            continue
        start_text, end_text, text = match.groups()
        start, end = int(start_text), (int(end_text) if end_text else None)
        if not rows and declared is None and start in (0, 1) and end in (0, 1):
            # The frame-rate declaration ({1}{1}23.976; {0}{0} from a few writers).
            declared = _declaration(text)
            if declared is not None:
                if start != 1 or end != 1:
                    sink.warn("frame rate declared with {0}{0} rather than {1}{1}", "used it", line=line_no)
                continue
        if not _CANONICAL.match(line):
            sink.warn("spaces inside the frame braces", "read them leniently", line=line_no, excerpt=line)
        rows.append((line_no, start, end, text))
    return rows, declared


#: A cue line of a regular file: both frames given, not negative.
_REGULAR = re.compile(r"\{(\d+)\}\{(\d+)\}(.*)")


def _read_regular(data: str, rate: Fraction | None, options: ReadOptions) -> Document | None:
    """Read a regular file (see :func:`read`), else ``None``.

    Such a file has nothing to diagnose but unknown control codes, which come
    in cue order here as in the full reader.
    """
    lines = data.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None
    head = _REGULAR.fullmatch(lines[first])
    declared = _declaration(head[3]) if head is not None and head[1] == head[2] == "1" else None
    if declared is not None:
        first += 1
    elif head is not None and head[1] in ("0", "1") and head[2] in ("0", "1") and _FPS_TEXT.match(head[3]):
        return None  # a declaration the full reader diagnoses, or a cue it reads as one
    rate = rate or declared
    if rate is None:
        return None
    sink = DiagnosticSink(NAME, options)
    to_ms, _to_frames = frame_converters(rate)
    cues: list[Cue] = []
    append = cues.append
    regular = _REGULAR.match
    for line_no in range(first, len(lines)):
        line = lines[line_no]
        match = regular(line)
        if match is None:
            if line.strip():
                return None
            continue
        start_text, end_text, text = match.groups()
        start_frame, end_frame = int(start_text), int(end_text)
        if end_frame < start_frame:
            return None
        start, end = to_ms(start_frame), to_ms(end_frame)
        if text[-1:] == "\r":
            text = text.rstrip("\r")
        if "{" in text:
            content, align = _parse_text(text, sink, line_no + 1)
            if align is not None:
                append(_trusted_cue(start, end, content, placement=Placement(align=align)))
                continue
        elif "|" in text or text[:1] == "/":
            content = parse_slash_lines(text)
        else:
            content = (_trusted_run(text),) if text else ()
        append(_trusted_cue(start, end, content))
    if not cues:
        return None
    return Document(cues=tuple(cues), frame_rate=rate, source_format=NAME, diagnostics=tuple(sink.items))


def _codes(style: RunStyle, upper: bool) -> str:
    """Control codes for ``style`` (``upper``: the cue-wide spelling)."""
    out: list[str] = []
    flags = "".join(
        flag for flag, on in (("i", style.italic), ("b", style.bold), ("u", style.underline), ("s", style.strike))
        if on
    )
    if flags:
        out.append(f"{{{'Y' if upper else 'y'}:{flags}}}")
    if style.color is not None:
        c = style.color
        out.append(f"{{{'C' if upper else 'c'}:${c.b:02X}{c.g:02X}{c.r:02X}}}")
    if style.font_family:
        out.append(f"{{{'F' if upper else 'f'}:{style.font_family}}}")
    if style.font_size is not None:
        size = style.font_size
        out.append(f"{{{'S' if upper else 's'}:{int(size) if size == int(size) else size}}}")
    return "".join(out)


def _writable(style: RunStyle) -> RunStyle:
    """Only what MicroDVD codes carry."""
    return RunStyle(
        italic=style.italic or None,
        bold=style.bold or None,
        underline=style.underline or None,
        strike=style.strike or None,
        color=None if style.color is None else Color(r=style.color.r, g=style.color.g, b=style.color.b),
        font_family=style.font_family,
        font_size=style.font_size,
    )


#: The style attributes MicroDVD codes carry.
_CODED = ("italic", "bold", "underline", "strike", "color", "font_family", "font_size")


#: Line-start codes per run style met so far (a file uses a handful of styles), by the style's identity
#: (runs share their style objects; hashing a style field by field costs more than writing its codes).
#: Each entry keeps its style alive, so that an identity is not reused while it is in the table.
_STYLE_CODES: dict[int, tuple[RunStyle, str]] = {}


def _style_codes(style: RunStyle) -> str:
    """The codes a line whose text is all in ``style`` starts with (``""`` for none)."""
    entry = _STYLE_CODES.get(id(style))
    if entry is not None and entry[0] is style:
        return entry[1]
    writable = _writable(style)
    codes = _codes(writable, upper=False) if writable != PLAIN else ""
    if len(_STYLE_CODES) < 1024:
        _STYLE_CODES[id(style)] = (style, codes)
    return codes


def _line_text(line: list[ContentItem], index: int, report: LossReport) -> str:
    """One line of a cue: the codes of the style its text shares, then the text."""
    if len(line) == 1 and type(line[0]) is Run:
        text = line[0].text
        if "|" in text:
            text = text.replace("|", "¦")
        return _style_codes(line[0].style) + text if text.strip() else text
    # Players (FFmpeg, GStreamer, aeidon...) read codes only at the start of a line and print the
    # others as text: each line gets one set of codes, for what all its text shares.
    styles = [_writable(item.style) for item in line if type(item) is Run and item.text.strip()]
    common = PLAIN
    if styles:
        first = styles[0]
        common = RunStyle(**{name: getattr(first, name) for name in _CODED
                             if all(getattr(s, name) == getattr(first, name) for s in styles[1:])})
        if any(style != common for style in styles):
            report.add("inline-style", "style changes inside a line dropped: players read MicroDVD codes "
                       "only at the start of a line", cue=index)
    parts: list[str] = [_codes(common, upper=False)] if common != PLAIN else []
    for item in line:
        if type(item) is Run:
            parts.append(item.text.replace("|", "¦"))
        elif type(item) is Raw and item.format == NAME:
            parts.append(item.markup)
    return "".join(parts)


def _cue_text(cue: Cue, index: int, report: LossReport) -> str:
    content = cue.content
    if len(content) == 1 and type(content[0]) is not LineBreak:
        text = _line_text([content[0]], index, report)
    else:
        text = "|".join([_line_text(line, index, report) for line in cue.lines()])
    align = cue.placement.align
    if align is not None:
        if align in (7, 8, 9):
            text = "{P:0}" + text
        elif align in (1, 2, 3):
            text = "{P:1}" + text
        if align not in (2, 8):
            report.add("alignment", "alignment written as top or bottom only", cue=index)
    return text


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as MicroDVD at ``options.fps`` (else the document's frame rate).

    Times become the nearest frame. Codes go at the start of each line only,
    for the style all of the line's text shares (players print codes
    elsewhere as text); style changes inside a line are reported
    (``inline-style``).

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    lowered = lower(doc, LOWERING, report, options=options, supported=FEATURES, raw_format=NAME)
    rate = _fps_option(options.fps) or doc.frame_rate
    if rate is None:
        report.add("frame-rate", "no frame rate known; wrote at 23.976 fps")
        rate = DEFAULT_FPS
    out: list[str] = []
    if options.fps_header:
        out.append(f"{{1}}{{1}}{format_fps(rate)}\n")
    _to_ms, to_frames = frame_converters(rate)
    for index, cue in lowered.cues:
        out.append(f"{{{to_frames(cue.start_ms)}}}{{{to_frames(cue.end_ms)}}}{_cue_text(cue, index, report)}\n")
    return "".join(out)
