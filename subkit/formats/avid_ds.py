"""Avid DS / SubCap caption text (``.txt``): reader and writer.

The layout the Avid Caption plugin (SubCap) reads and writes::

    @ This file written with the Avid Caption plugin, version 1

    <begin subtitles>
    10:00:01:00 10:00:03:12
    First caption
    second line

    10:00:04:00 10:00:05:00
    Next caption
    <end subtitles>

``@`` lines are comments (formatting commands there are ignored by Avid).
Each block is two ``HH:MM:SS:FF`` timecodes separated by one space, then the
text lines; a blank line separates blocks. There is no styling.

Mapping into the model: times are frames at the ``fps`` read option
(default 25; the rate is not stored in the file) and the rate is kept in
``doc.frame_rate``; timecodes stay on the sequence clock (a file starting at
10:00:00:00 gives cues at ten hours). The ``@`` lines are kept in
``doc.header["avid_ds.comments"]`` and written back.

Leniencies (each recorded as a diagnostic; ``strict=True`` raises instead):

* a missing ``<begin subtitles>`` (cues from the first timing line) or
  ``<end subtitles>`` line;
* several spaces or a tab between the timecodes, ``;`` or ``.`` before the frames;
* frame numbers at or above the frame rate (added up arithmetically);
* an end before the start (set to the start);
* a missing blank line before a timing line;
* text without a timing line (skipped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink
from subkit.formats._features import report_unsupported
from subkit.model import Cue, Document, LineBreak, LossReport, Run, content_from_text
from subkit.timing import format_timecode, frames_to_ms, ms_to_frames, parse_fps, round_half_up, timecode_to_frames

__all__ = ["FEATURES", "NAME", "ReadOptions", "WriteOptions", "read", "sniff", "write"]

NAME = "avid_ds"

#: What the writer can express: plain text with line breaks only.
FEATURES: frozenset[str] = frozenset()

#: The frame rate assumed when the options name none.
DEFAULT_FPS = Fraction(25)

#: The comment line the writer puts first when the document has none of its own.
DEFAULT_COMMENT = "@ This file written with the Avid Caption plugin, version 1"


def _rate(value: Fraction | float | str | None) -> Fraction | None:
    return None if value is None else parse_fps(value)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(BaseReadOptions):
    """Avid DS reader options.

    Attributes:
        fps: frame rate of the timecodes (``25``, ``"23.976"``, ``Fraction(30000, 1001)``);
            ``None`` means 25.
    """

    fps: str | float | Fraction | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "fps", _rate(self.fps))


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """Avid DS writer options.

    Attributes:
        fps: frame rate of the timecodes; ``None``: the document's, else 25.
        drop_frame: write drop-frame labels (``;``); ``None``: the document's
            flag, at 29.97 and 59.94 only.
    """

    fps: str | float | Fraction | None = None
    drop_frame: bool | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "fps", _rate(self.fps))


_TC = r"(\d{1,2}):(\d{1,2}):(\d{1,2})([:;.])(\d{1,3})"
_TIMING = re.compile(rf"^[ \t]*{_TC}[ \t]+{_TC}[ \t]*$")
_CANONICAL = re.compile(r"\d\d:\d\d:\d\d[:;]\d\d \d\d:\d\d:\d\d[:;]\d\d")
_BEGIN = re.compile(r"^\s*<\s*begin subtitles\s*>\s*$", re.IGNORECASE)
_END = re.compile(r"^\s*<\s*end subtitles\s*>\s*$", re.IGNORECASE)


def sniff(head: str) -> bool:
    """True when a ``<begin subtitles>`` line is present."""
    return any(_BEGIN.match(line) for line in head.replace("\r", "\n").split("\n"))


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse Avid DS caption text (``\\n`` newlines) into a document.

    Raises:
        ParseError: nothing in non-empty input parses, or (strict) any flaw.
    """
    sink = DiagnosticSink(NAME, options)
    fps = options.fps if isinstance(options.fps, Fraction) else DEFAULT_FPS
    nominal = round_half_up(fps)
    lines = data.split("\n")
    comments = [line.rstrip() for line in lines if line.startswith("@")]
    begin = next((i for i, line in enumerate(lines) if _BEGIN.match(line)), None)
    if begin is None:
        begin = next((i - 1 for i, line in enumerate(lines) if _TIMING.match(line)), None)
        if begin is not None:
            sink.warn("no <begin subtitles> line", "read the cues from the first timing line", line=begin + 2)
    cues: list[Cue] = []
    drop_frame = False
    pending: tuple[int, int, int, list[str]] | None = None
    previous_blank = True
    ended = False

    def finish() -> None:
        if pending is not None:
            start, end, line_no, text = pending
            if not text:
                sink.warn("cue without text", "kept it empty", line=line_no)
            cues.append(Cue(start_ms=start, end_ms=end, content=content_from_text("\n".join(text))))

    for index in range((begin + 1) if begin is not None else len(lines), len(lines)):
        line_no = index + 1
        line = lines[index].rstrip()
        if _END.match(line):
            ended = True
            break
        if not line.strip():
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
            groups = timing.groups()
            if not _CANONICAL.fullmatch(line):
                sink.warn("non-standard timing line", "read it leniently", line=line_no, excerpt=line)
            times = []
            for h, m, s, sep, f in (groups[0:5], groups[5:10]):
                if int(f) >= nominal or int(m) > 59 or int(s) > 59:
                    sink.warn("a timecode field is out of range", "added it up", line=line_no, excerpt=line)
                drop_frame = drop_frame or sep == ";"
                count = timecode_to_frames(int(h), int(m), int(s), int(f), fps, drop_frame=sep == ";")
                times.append(frames_to_ms(count, fps))
            start, end = times
            if end < start:
                sink.error("cue ends before it starts", "set its end to its start", line=line_no, excerpt=line)
                end = start
            pending = (start, end, line_no, [])
            previous_blank = False
            continue
        previous_blank = False
        if line.startswith("@"):
            continue
        if pending is None:
            sink.error("text without a timing line", "skipped it", line=line_no, excerpt=line.strip())
            continue
        pending[3].append(line.strip())
    finish()
    if begin is not None and not ended:
        sink.warn("no <end subtitles> line", "read to the end of the file", line=len(lines))
    if not cues and begin is None and data.strip():
        first = next(i for i, line in enumerate(lines) if line.strip())
        raise sink.fail(
            "no Avid DS timing line (00:00:00:00 00:00:00:00) found", line=first + 1, excerpt=lines[first].strip()
        )
    header = {f"{NAME}.comments": "\n".join(comments)} if comments else {}
    return Document(
        cues=tuple(cues),
        header=header,
        frame_rate=fps,
        drop_frame=drop_frame and fps.denominator == 1001,
        diagnostics=tuple(sink.items),
        source_format=NAME,
    )


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as Avid DS caption text.

    Times are rounded to the nearest frame at ``fps`` (the document's rate by
    default); negative times are clamped to zero; styling is dropped; comment
    cues and cues without text are left out (Avid rejects empty captions).

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    report_unsupported(doc, FEATURES, report, raw_format=NAME)
    fps = options.fps if isinstance(options.fps, Fraction) else doc.frame_rate or DEFAULT_FPS
    drop_frame = options.drop_frame if options.drop_frame is not None else doc.drop_frame
    drop_frame = drop_frame and fps.denominator == 1001
    comments = doc.header.get(f"{NAME}.comments") if doc.header else None
    out = [f"{comments or DEFAULT_COMMENT}\n\n<begin subtitles>\n"]
    negative = empty = 0
    first_negative: int | None = None
    first_empty: int | None = None
    for number, cue in enumerate(doc.cues):
        if cue.comment:
            continue
        text = "".join(
            item.text if isinstance(item, Run) else "\n" if isinstance(item, LineBreak) else "" for item in cue.content
        )
        text = "\n".join(line.strip() for line in text.split("\n") if line.strip())
        if not text:
            empty += 1
            first_empty = number if first_empty is None else first_empty
            continue
        if cue.start_ms < 0 or cue.end_ms < 0:
            negative += 1
            first_negative = number if first_negative is None else first_negative
        start = format_timecode(ms_to_frames(max(cue.start_ms, 0), fps), fps, drop_frame=drop_frame)
        end = format_timecode(ms_to_frames(max(cue.end_ms, 0), fps), fps, drop_frame=drop_frame)
        out.append(f"{start} {end}\n{text}\n\n")
    if out[-1].endswith("\n\n") and len(out) > 1:
        out[-1] = out[-1][:-1]
    out.append("<end subtitles>\n")
    if negative:
        report.add("negative-time", "negative times clamped to 00:00:00:00", cue=first_negative, count=negative)
    if empty:
        report.add("empty-cue", "cues without text dropped", cue=first_empty, count=empty)
    return "".join(out)
