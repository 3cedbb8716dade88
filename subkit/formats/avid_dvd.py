"""Avid DVD subtitle text (``.txt``): reader and writer.

There is no published specification; the layout is the one Subtitle Edit
reads and writes (see ``docs/formats/avid_dvd.md``). One caption per line::

    $Italic = TRUE
    1	10:03:20:23	10:03:23:05	I see, on my way.|New line also.

    2	10:03:31:18	10:03:34:00	Panessa, why didn't they give them
    an escape route?

Index, start and end timecodes (``HH:MM:SS:FF``, frames at the ``fps``
option, default 25) and text are separated by tabs; ``|`` breaks a line; lines
without a timecode continue the caption above; ``$Italic = TRUE`` /
``$Italic = FALSE`` switch italics for the captions that follow.

Leniencies (diagnosed; ``strict=True`` raises):

* spaces instead of tabs between the fields;
* ``.`` or ``,`` instead of ``:`` in a timecode (accepted silently: writers use all three);
* text before the first caption (skipped), unknown ``$`` directives (ignored);
* an end before the start (set to the start).

>>> import subkit
>>> doc = subkit.loads("$Italic = TRUE\\n1\\t00:00:01:00\\t00:00:02:12\\tHi|there\\n", format="avid_dvd")
>>> doc.cues[0].plain_text(), doc.cues[0].end_ms, doc.cues[0].content[0].style.italic
('Hi\\nthere', 2480, True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink
from subkit.formats._lower import Lowering, lower
from subkit.model import PLAIN, ContentItem, Cue, Document, LineBreak, LossReport, Run, RunStyle
from subkit.timing import frames_to_ms, frames_to_timecode, ms_to_frames, parse_fps, timecode_to_frames

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "read", "sniff", "write"]

NAME = "avid_dvd"

#: What the writer can express (italics of whole captions).
FEATURES = frozenset({"italic"})
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
#: Times past 99 hours are clamped by the writer, on the frame grid (99:59:59 and the last frame).
LOWERING = Lowering(zero_label="00:00:00:00")

_TC = r"(\d{1,2})[:.,](\d{1,2})[:.,](\d{1,2})[:.,](\d{1,3})"
_TIMING = re.compile(rf"^[ \t]*(\d+)([ \t]+){_TC}([ \t]+){_TC}(?:([ \t])(.*))?$")
_SNIFF = re.compile(r"^\d+\t\d\d[:.,]\d\d[:.,]\d\d[:.,]\d\d\t\d\d[:.,]\d\d[:.,]\d\d[:.,]\d\d(\t|$)", re.MULTILINE)
_ITALIC = re.compile(r"^\$\s*italic\s*=\s*(true|false)\s*$", re.IGNORECASE)
_ITALIC_STYLE = RunStyle(italic=True)
_DEFAULT_FPS = Fraction(25)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(BaseReadOptions):
    """Avid DVD reader options.

    Attributes:
        fps: the rate the frame numbers count at (``"25"``, ``"29.97"``,
            ``"30000/1001"``, ``23.976``, ``Fraction(24000, 1001)``);
            ``None``: 25.
    """

    fps: str | float | Fraction | None = None

    def __post_init__(self) -> None:
        if self.fps is not None:
            parse_fps(self.fps)


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """Avid DVD writer options.

    Attributes:
        fps: the rate of the frame numbers, as for :class:`ReadOptions`;
            ``None``: the document's, else 25.
    """

    fps: str | float | Fraction | None = None

    def __post_init__(self) -> None:
        if self.fps is not None:
            parse_fps(self.fps)


def sniff(head: str) -> bool:
    """True when a line ``index<TAB>HH:MM:SS:FF<TAB>HH:MM:SS:FF`` appears near the top."""
    return _SNIFF.search(head[:4096]) is not None


def _content(lines: list[str], italic: bool) -> tuple[ContentItem, ...]:
    style = _ITALIC_STYLE if italic else PLAIN
    items: list[ContentItem] = []
    for line in (part.strip() for text in lines for part in text.split("|")):
        if not line:
            continue
        if items:
            items.append(LineBreak())
        items.append(Run(line, style))
    return tuple(items)


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse Avid DVD text.

    Raises:
        ParseError: nothing in non-empty input is a caption, or (strict) any flaw.
    """
    sink = DiagnosticSink(NAME, options)
    rate = parse_fps(options.fps) if options.fps is not None else _DEFAULT_FPS
    nominal = Fraction(round(rate))
    italic = False
    pending: list[tuple[int, int, int, list[str], bool]] = []  # line, start, end, text lines, italic
    for number, line in enumerate(data.split("\n"), start=1):
        stripped = line.strip()
        match = _TIMING.match(line)
        if match:
            groups = match.groups()
            if groups[1] != "\t" or groups[6] != "\t" or (groups[11] is not None and groups[11] != "\t"):
                sink.warn("spaces instead of a tab between the fields", "read them as a tab", line=number,
                          excerpt=line)
            h1, m1, s1, f1 = (int(g) for g in groups[2:6])
            h2, m2, s2, f2 = (int(g) for g in groups[7:11])
            for m, s, f in ((m1, s1, f1), (m2, s2, f2)):
                if m > 59 or s > 59 or f >= nominal:
                    sink.warn("a timecode field is out of range", "added the fields up", line=number, excerpt=line)
            start = frames_to_ms(timecode_to_frames(h1, m1, s1, f1, nominal), rate)
            end = frames_to_ms(timecode_to_frames(h2, m2, s2, f2, nominal), rate)
            if end < start:
                sink.error("the caption ends before it starts", "set its end to its start", line=number,
                           excerpt=line)
                end = start
            pending.append((number, start, end, [groups[12] or ""], italic))
        elif stripped.startswith("$"):
            switch = _ITALIC.match(stripped)
            if switch:
                italic = switch.group(1).lower() == "true"
            else:
                sink.warn("unknown directive", "ignored it", line=number, excerpt=stripped)
        elif stripped:
            if pending:
                pending[-1][3].append(stripped)  # an untimed line continues the caption above
            else:
                sink.warn("text before the first caption", "skipped it", line=number, excerpt=stripped)
    if not pending and data.strip():
        raise sink.fail("no Avid DVD caption line (index<TAB>HH:MM:SS:FF<TAB>HH:MM:SS:FF<TAB>text) found", line=1,
                        excerpt=data.strip().split("\n", 1)[0])
    cues = tuple(
        Cue(start_ms=start, end_ms=end, content=_content(lines, is_italic))
        for _number, start, end, lines, is_italic in pending
    )
    return Document(cues=cues, frame_rate=rate, diagnostics=tuple(sink.items), source_format=NAME)


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as Avid DVD text: captions numbered from 1, italics by ``$Italic`` switches.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    lowered = lower(doc, LOWERING, report, options=options, supported=FEATURES, raw_format=NAME)
    rate = parse_fps(options.fps) if options.fps is not None else (doc.frame_rate or _DEFAULT_FPS)
    nominal = Fraction(round(rate))

    def timecode(ms: int) -> str:
        h, m, s, f = frames_to_timecode(max(ms_to_frames(ms, rate), 0), nominal)
        if h > 99:
            h, m, s, f = 99, 59, 59, int(nominal) - 1
        return f"{h:02d}:{m:02d}:{s:02d}:{f:02d}"

    out: list[str] = []
    italic = False
    for number, (index, cue) in enumerate(lowered.cues, 1):
        runs = [item for item in cue.content if type(item) is Run and item.text]
        cue_italic = bool(runs) and all(run.style.italic for run in runs)
        if not cue_italic and any(run.style.italic for run in runs):
            report.add("italic", "italics of part of a caption dropped (Avid DVD switches whole captions)",
                       cue=index)
        if max(cue.start_ms, cue.end_ms) >= 100 * 3_600_000:
            report.add("time-range", "times beyond 99 hours written as 99:59:59", cue=index)
        if cue_italic != italic:
            out.append(f"$Italic = {'TRUE' if cue_italic else 'FALSE'}\n")
            italic = cue_italic
        lines: list[str] = [""]
        for item in cue.content:
            if type(item) is LineBreak:
                lines.append("")
            elif type(item) is Run:
                lines[-1] += item.text
        text = "|".join(line.strip() for line in lines if line.strip())
        if "\t" in text or "|" in "".join(lines):
            report.add("text", "tabs and '|' in the text replaced (they are field and line separators)", cue=index)
            text = "|".join(line.strip().replace("|", "/").replace("\t", " ") for line in lines if line.strip())
        out.append(f"{number}\t{timecode(cue.start_ms)}\t{timecode(cue.end_ms)}\t{text}\n\n")
    return "".join(out)
