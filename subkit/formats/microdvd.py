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
from subkit.formats._timed_lines import close_ends
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
)
from subkit.timing import FPS_23_976, frames_to_ms, ms_to_frames, parse_fps

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
    """Content and alignment of a cue's text."""
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
    if unknown:
        sink.warn(f"unknown control code {unknown[0]}", "kept it as text", line=line_no, excerpt=unknown[0])
    return tuple(items), align


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse MicroDVD text (``\\n`` newlines) into a document.

    Raises:
        ParseError: nothing in non-empty input is a cue, or (strict) any flaw.
    """
    sink = DiagnosticSink(NAME, options)
    rate = _fps_option(options.fps)
    declared: Fraction | None = None
    rows: list[tuple[int, int, int | None, str]] = []  # line, start frame, end frame, text
    for line_no, line in enumerate(data.split("\n"), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match is None:
            sink.error("not a {start}{end} cue line", "skipped it", line=line_no, excerpt=line)
            continue
        start_text, end_text, text = match.groups()
        start, end = int(start_text), (int(end_text) if end_text else None)
        if not rows and declared is None and start in (0, 1) and end in (0, 1) and _FPS_TEXT.match(text):
            # The frame-rate declaration ({1}{1}23.976; {0}{0} from a few writers).
            try:
                declared = parse_fps(text.strip().replace(",", "."))
            except ValueError:
                declared = None
            if declared is not None:
                if start != 1 or end != 1:
                    sink.warn("frame rate declared with {0}{0} rather than {1}{1}", "used it", line=line_no)
                continue
        if not _CANONICAL.match(line):
            sink.warn("spaces inside the frame braces", "read them leniently", line=line_no, excerpt=line)
        rows.append((line_no, start, end, text))
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


def _cue_text(cue: Cue, index: int, report: LossReport) -> str:
    lines: list[list[ContentItem]] = cue.lines()
    out: list[str] = []
    for line in lines:
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
        out.append("".join(parts))
    text = "|".join(out)
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
    for index, cue in lowered.cues:
        start = ms_to_frames(cue.start_ms, rate)
        end = ms_to_frames(cue.end_ms, rate)
        out.append(f"{{{start}}}{{{end}}}{_cue_text(cue, index, report)}\n")
    return "".join(out)
