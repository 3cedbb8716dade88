"""Spruce STL and DVD Studio Pro STL (text ``.stl``): reader and writer.

This is the text subtitle list of Spruce Technologies and Apple DVD Studio
Pro, not the binary EBU STL (identifier ``ebu_stl``). A file is a list of
lines of three kinds::

    //Font select and font size          <- a comment
    $FontName = Arial                     <- a directive, in force until changed
    $Italic = FALSE
    00:00:01:10 , 00:00:03:00 , First line|^Isecond^I line
    00:00:04:00\t,\t00:00:05:12\t,\tDVD Studio Pro separates with tabs

Cue lines hold two ``HH:MM:SS:FF`` timecodes (``;`` before the frames means
drop-frame) and the text: ``|`` breaks the line, ``^I``, ``^B`` and ``^U``
toggle italic, bold and underline from the state the directives set.

Mapping into the model:

* times: frames at the ``fps`` read option (the frame rate is not stored in
  the file; the default is 25, or a ``$SMPTEFormat`` directive, also as a
  ``//$SMPTEFormat`` comment, when it names a rate); the rate is kept in
  ``doc.frame_rate`` so a write at the same rate is frame-exact;
* everything before the first cue line (directives, comments, blank lines)
  is kept verbatim in ``doc.header["spruce_stl.header"]``;
* ``$Italic``, ``$Bold``, ``$UnderLined`` and the toggles become the runs'
  ``italic``/``bold``/``underline`` (``True`` when on, ``None`` when off);
* ``$HorzAlign`` and ``$VertAlign`` become ``placement.align`` (numpad); the
  default position, centred at the bottom, reads as no alignment;
* ``$ForceDisplay = TRUE`` makes the cues that follow ``forced``;
* other directives and comments between cues (``$FontName``, ``$ColorIndex1``,
  ``$TapeOffset``...) are kept verbatim in the next cue's
  ``extra["spruce_stl.before"]`` and written back before it.

Leniencies (each recorded as a diagnostic; ``strict=True`` raises instead):

* any spacing around the commas; ``.`` or ``;`` before the frames;
* frame numbers at or above the frame rate (added up arithmetically);
* an end before the start (set to the start);
* directive values in any case, booleans as ``TRUE``/``FALSE``/``1``/``0``;
* unreadable directive values and unknown lines (skipped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from subkit.formats._base import DiagnosticSink
from subkit.formats._limits import HOURS_99
from subkit.formats._lower import Lowering, lower
from subkit.formats._text_blocks import (
    FpsReadOptions,
    FpsWriteOptions,
    checked_end,
    clamped_timecode,
    timecode_ms,
    write_rate,
)
from subkit.model import NOWHERE, ContentItem, Cue, Document, LineBreak, LossReport, Placement, Run, RunStyle
from subkit.timing import parse_fps

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "default_header", "read", "sniff", "write"]

NAME = "spruce_stl"

#: What the writer can express.
FEATURES = frozenset({"italic", "bold", "underline", "alignment", "forced"})
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
LOWERING = Lowering(max_ms=HOURS_99, zero_label="00:00:00:00", max_label="99:59:59")

#: The frame rate assumed when neither the options nor the file name one.
DEFAULT_FPS = Fraction(25)

_DEFAULT_HEADER = """\
//Font select and font size
$FontName = Arial
$FontSize = 30

//Character attributes (global)
$Bold = FALSE
$UnderLined = FALSE
$Italic = FALSE

//Position Control
$HorzAlign = Center
$VertAlign = Bottom
$XOffset = 0
$YOffset = 0

//Contrast Control
$TextContrast = 15
$Outline1Contrast = 8
$Outline2Contrast = 15
$BackgroundContrast = 0

//Effects Control
$ForceDisplay = FALSE
$FadeIn = 0
$FadeOut = 0

//Other Controls
$TapeOffset = FALSE

//Colors
$ColorIndex1 = 0
$ColorIndex2 = 1
$ColorIndex3 = 2
$ColorIndex4 = 3

//Subtitles"""


def default_header() -> dict[str, str]:
    """The header the writer uses for a document that has none of its own.

    >>> "$FontName = Arial" in default_header()["spruce_stl.header"]
    True
    """
    return {f"{NAME}.header": _DEFAULT_HEADER}


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(FpsReadOptions):
    """Spruce STL reader options.

    Attributes:
        fps: frame rate of the timecodes (``25``, ``"29.97"``, ``Fraction(30000, 1001)``);
            ``None``: a ``$SMPTEFormat`` directive of the file, else 25.
    """


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(FpsWriteOptions):
    """Spruce STL writer options.

    Attributes:
        fps: frame rate of the timecodes; ``None``: the document's, else 25.
        drop_frame: write drop-frame labels (``;``); ``None``: the document's
            flag, at 29.97 and 59.94 only.
        tabs: separate the fields with ``\\t,\\t`` as DVD Studio Pro does
            (the default ``" , "`` is Spruce's).
    """

    tabs: bool = False


_TC = r"(\d{1,2}):(\d{1,2}):(\d{1,2})([:;.])(\d{1,3})"
#: A cue line. Groups: h m s sep f (start), h m s sep f (end), text.
_CUE = re.compile(rf"^[ \t]*{_TC}[ \t]*,[ \t]*{_TC}[ \t]*,[ \t]?(.*)$")
_CANONICAL = re.compile(r"\d\d:\d\d:\d\d[:;]\d\d(?: , |\t,\t|,)\d\d:\d\d:\d\d[:;]\d\d(?: , |\t,\t|,).*")
_DIRECTIVE = re.compile(r"^[ \t]*(?://[ \t]*)?\$([A-Za-z][A-Za-z0-9]*)[ \t]*=[ \t]*(.*?)[ \t]*$")
_TOGGLE = re.compile(r"\^([IBUibu])")
_EBU_GSI = re.compile(r"^\d{3}STL")
_NUMBER = re.compile(r"\d+(?:[./]\d+)?")

_HORZ = {"left": 1, "center": 2, "centre": 2, "right": 3}
_VERT = {"bottom": 0, "center": 3, "centre": 3, "top": 6}
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def sniff(head: str) -> bool:
    """True when the first meaningful line is a Spruce cue line, directive or ``//`` comment.

    A head that starts like an EBU STL GSI block (``850STL25.01``) never matches.
    """
    if _EBU_GSI.match(head):
        return False
    saw_directive = False
    for line in head.replace("\r", "\n").split("\n")[:200]:
        stripped = line.strip()
        if not stripped:
            continue
        if _CUE.match(stripped):
            return True
        if _DIRECTIVE.match(stripped):
            saw_directive = True
            continue
        if stripped.startswith("//"):
            continue
        return False
    return saw_directive


class _State:
    """The directives in force."""

    __slots__ = ("bold", "forced", "horz", "italic", "underline", "vert")

    def __init__(self) -> None:
        self.italic = self.bold = self.underline = self.forced = False
        self.horz, self.vert = 2, 0

    @property
    def align(self) -> int:
        return self.vert + self.horz

    def apply(self, key: str, value: str) -> bool | None:
        """Apply a directive; True if it is a state directive, False if not, None if its value is bad."""
        lowered = value.strip().strip('"').lower()
        if key in ("italic", "bold", "underlined", "underline", "forcedisplay"):
            if lowered in _TRUE:
                flag = True
            elif lowered in _FALSE:
                flag = False
            else:
                return None
            attribute = {"underlined": "underline", "forcedisplay": "forced"}.get(key, key)
            setattr(self, attribute, flag)
            return True
        if key == "horzalign":
            if lowered not in _HORZ:
                return None
            self.horz = _HORZ[lowered]
            return True
        if key == "vertalign":
            if lowered not in _VERT:
                return None
            self.vert = _VERT[lowered]
            return True
        return False


def _header_state(header: str) -> _State:
    state = _State()
    for line in header.split("\n"):
        directive = _DIRECTIVE.match(line)
        if directive and not line.lstrip().startswith("//"):
            state.apply(directive.group(1).lower(), directive.group(2))
    return state


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse Spruce / DVD Studio Pro STL text (``\\n`` newlines) into a document.

    Raises:
        ParseError: nothing in non-empty input parses, or (strict) any flaw.
    """
    sink = DiagnosticSink(NAME, options)
    lines = data.split("\n")
    fps = options.fps if isinstance(options.fps, Fraction) else None
    if fps is None:
        fps = _declared_rate(lines, sink) or DEFAULT_FPS
    state = _State()
    cues: list[Cue] = []
    header_lines: list[str] = []
    before: list[str] = []
    # The header is what precedes the first cue, up to its last blank line: directives
    # after that line belong to the first cue (the writer puts them there).
    first_cue = next((i for i, line in enumerate(lines) if _CUE.match(line)), len(lines))
    header_end = max((i for i in range(first_cue) if not lines[i].strip()), default=first_cue)
    drop_frame = False
    for index, raw in enumerate(lines):
        line_no = index + 1
        line = raw.rstrip()
        stripped = line.strip()
        cue = _CUE.match(line)
        if cue:
            drop_frame = drop_frame or ";" in (cue.group(4), cue.group(9))
            cues.append(_cue(cue, line_no, fps, state, before, sink))
            before = []
            continue
        if index < header_end:
            header_lines.append(line)
        directive = _DIRECTIVE.match(stripped)
        if directive and not stripped.startswith("//"):
            applied = state.apply(directive.group(1).lower(), directive.group(2))
            if applied is None:
                sink.warn(f"unreadable value for ${directive.group(1)}", "ignored it", line=line_no, excerpt=stripped)
            elif not applied and index >= header_end:
                before.append(stripped)
            continue
        if stripped.startswith("//"):
            if index >= header_end:
                before.append(stripped)
            continue
        if stripped:
            sink.error("not a cue line, directive or comment", "skipped it", line=line_no, excerpt=stripped)
    if not cues and data.strip() and not any(_DIRECTIVE.match(line.strip()) for line in lines):
        first = next(i for i, line in enumerate(lines) if line.strip())
        raise sink.fail(
            "no Spruce STL cue line (00:00:00:00 , 00:00:00:00 , text) found",
            line=first + 1,
            excerpt=lines[first].strip(),
        )
    while header_lines and not header_lines[-1].strip():
        header_lines.pop()
    header = {f"{NAME}.header": "\n".join(header_lines)} if header_lines else {}
    return Document(
        cues=tuple(cues),
        header=header,
        frame_rate=fps,
        drop_frame=drop_frame and fps.denominator == 1001,
        diagnostics=tuple(sink.items),
        source_format=NAME,
    )


def _declared_rate(lines: list[str], sink: DiagnosticSink) -> Fraction | None:
    for index, line in enumerate(lines):
        directive = _DIRECTIVE.match(line.strip())
        if directive and directive.group(1).lower() == "smpteformat":
            number = _NUMBER.search(directive.group(2))
            try:
                return parse_fps(number.group(0)) if number else None
            except ValueError:
                sink.warn("unreadable $SMPTEFormat", "used the default frame rate", line=index + 1)
                return None
    return None


def _cue(
    match: re.Match[str],
    line_no: int,
    fps: Fraction,
    state: _State,
    before: list[str],
    sink: DiagnosticSink,
) -> Cue:
    groups = match.groups()
    times: list[int] = []
    for fields in (groups[0:5], groups[5:10]):
        times.append(timecode_ms(fields, fps, sink, line=line_no, excerpt=match.group(0)))
        if fields[3] == ".":
            sink.warn("'.' before the frames", "read it as ':'", line=line_no)
    start, end = times
    end = checked_end(start, end, sink, line=line_no, excerpt=match.group(0).strip())
    content = _content(match.group(11).strip(), state)
    align = state.align
    placement = NOWHERE if align == 2 else Placement(align=align)
    extra = {f"{NAME}.before": "\n".join(before)} if before else {}
    return Cue(start_ms=start, end_ms=end, content=content, placement=placement, forced=state.forced, extra=extra)


_STYLES: dict[tuple[bool, bool, bool], RunStyle] = {
    (i, b, u): RunStyle(italic=i or None, bold=b or None, underline=u or None)
    for i in (False, True)
    for b in (False, True)
    for u in (False, True)
}


def _content(text: str, state: _State) -> tuple[ContentItem, ...]:
    flags = {"i": state.italic, "b": state.bold, "u": state.underline}
    items: list[ContentItem] = []
    for number, line in enumerate(text.split("|")):
        if number:
            items.append(LineBreak())
        line = line.strip()
        pos = 0
        for toggle in _TOGGLE.finditer(line):
            if toggle.start() > pos:
                _append(items, line[pos : toggle.start()], flags)
            key = toggle.group(1).lower()
            flags[key] = not flags[key]
            pos = toggle.end()
        if pos < len(line):
            _append(items, line[pos:], flags)
    return tuple(items)


def _append(items: list[ContentItem], text: str, flags: dict[str, bool]) -> None:
    style = _STYLES[(flags["i"], flags["b"], flags["u"])]
    previous = items[-1] if items else None
    if isinstance(previous, Run) and previous.style == style:
        items[-1] = Run(previous.text + text, style)
    else:
        items.append(Run(text, style))


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as Spruce STL.

    The header is the document's own (``doc.header["spruce_stl.header"]``)
    or :func:`default_header`; directives are added before a cue when its
    alignment or forced flag differs from what is in force, and ``^I``, ``^B``
    and ``^U`` toggles switch styles inside the text. Times are rounded to the
    nearest frame; negative times are clamped to zero; comment cues are left out.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    lowered = lower(doc, LOWERING, report, options=options, supported=FEATURES, raw_format=NAME)
    doc = lowered.doc
    fps, drop_frame = write_rate(options, doc, DEFAULT_FPS)
    separator = "\t,\t" if options.tabs else " , "
    header = doc.header.get(f"{NAME}.header") if doc.header else None
    if header is None:
        header = _DEFAULT_HEADER
    state = _header_state(header)
    out = [header + "\n\n"] if header else []
    for _, cue in lowered.cues:
        before = cue.extra.get(f"{NAME}.before") if cue.extra else None
        if before:
            out.append(before + "\n")
        if cue.forced != state.forced:
            state.forced = cue.forced
            out.append(f"$ForceDisplay = {'TRUE' if cue.forced else 'FALSE'}\n")
        align = cue.placement.align or 2
        horz, vert = (align - 1) % 3 + 1, (align - 1) // 3 * 3
        if horz != state.horz:
            state.horz = horz
            out.append(f"$HorzAlign = {('Left', 'Center', 'Right')[horz - 1]}\n")
        if vert != state.vert:
            state.vert = vert
            out.append(f"$VertAlign = {({0: 'Bottom', 3: 'Center', 6: 'Top'})[vert]}\n")
        start = clamped_timecode(cue.start_ms, fps, drop_frame=drop_frame)
        end = clamped_timecode(cue.end_ms, fps, drop_frame=drop_frame)
        out.append(f"{start}{separator}{end}{separator}{_text(cue, state)}\n")
    return "".join(out)


def _text(cue: Cue, state: _State) -> str:
    current = {"I": state.italic, "B": state.bold, "U": state.underline}
    parts: list[str] = []
    for item in cue.content:
        if isinstance(item, LineBreak):
            parts.append("|")
        elif isinstance(item, Run):
            wanted = {"I": bool(item.style.italic), "B": bool(item.style.bold), "U": bool(item.style.underline)}
            for key in "IBU":
                if wanted[key] != current[key]:
                    parts.append(f"^{key}")
                    current[key] = wanted[key]
            parts.append(item.text)
    return "".join(parts)
