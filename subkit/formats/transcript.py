"""Plain-text transcripts (``.txt``) as caption services deliver them; reader and writer.

There is no standard. The reader takes the common shapes:

* paragraphs separated by blank lines;
* an optional timestamp opening a paragraph: ``[00:01:02]``,
  ``[00:01:02.500]``, ``[01:02]``, ``(00:01:02)``, ``00:01:02.500`` or
  ``00:01:02 -`` (unbracketed times need hours);
* an optional speaker label after it: ``Name:``, ``Speaker 1:``, ``MAN 2:``
  (up to three capitalised words, or an all-caps label, then a colon), on
  the paragraph's first line or alone on a line before its text.

A line that opens with a timestamp or a speaker label starts a new cue even
without a blank line before it; the other lines of a paragraph are the cue's
lines (hard breaks).

Times: a timed cue lasts until the next timed cue starts; the last one lasts
three seconds. A paragraph without a timestamp is marked untimed
(``Cue.extra["transcript.untimed"] = "yes"``) and shares the times of the cue
before it (0 at the start); the writer writes no timestamp for it. A file
without any timestamp is thus a list of untimed cues at 0.

The writer has switches for timestamps and speaker labels; it separates
cues with blank lines and writes ``[HH:MM:SS]`` (``[HH:MM:SS.mmm]`` when the
time has milliseconds). End times are not written: where a cue does not end
when the next starts, that is reported.

Content detection: plain text has no signature, so :func:`sniff` claims
only text that shows no syntax of another format *and* has a transcript's
marks (a timestamp or a speaker label opening a line). Prose without either
is a transcript by its ``.txt`` extension: the registry lists this format
first among the ``.txt`` formats, which makes it that extension's default.

Leniencies: there is little to repair. Timestamps with minutes or seconds
above 59 are added up (a diagnostic).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink
from subkit.formats._lower import Lowering, lower
from subkit.formats._timed_lines import close_ends, next_starts
from subkit.model import Cue, Document, LossReport, content_from_text
from subkit.timing import MinutePrefix, clock_ms

__all__ = ["FEATURES", "LOWERING", "NAME", "UNTIMED", "ReadOptions", "WriteOptions", "read", "sniff", "write"]

NAME = "transcript"

#: What the writer can express.
FEATURES = frozenset({"speaker"})
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
#: Timestamps have two hour digits: later times would read back as text.
LOWERING = Lowering(zero_label="00:00:00", max_ms=100 * 3_600_000 - 1, max_label="99:59:59.999")
#: Without timestamps no time is written: there is nothing to clamp (the times are reported as ``timing``).
_UNSTAMPED = Lowering(negative="keep")

#: The ``Cue.extra`` key marking a cue that had no timestamp.
UNTIMED = f"{NAME}.untimed"

_LAST_MS = 3000

_STAMP = re.compile(
    r"^[ \t]*(?:"
    r"[\[(][ \t]*(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?[ \t]*[\])]"
    r"|(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,3}))?(?=[ \t]|$)"
    r")[ \t]*(?:[-–—][ \t]+)?"
)
_SPEAKER = re.compile(
    r"^((?:Speaker|SPEAKER|speaker)[ _]?\d+|[A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,2}|[A-Z][A-Z0-9'. -]{0,30}[A-Z0-9])"
    r":(?:[ \t]+|$)"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(BaseReadOptions):
    """Transcript reader options.

    Attributes:
        speakers: read ``Name:`` labels as speakers (``False`` keeps them as text).
    """

    speakers: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """Transcript writer options.

    Attributes:
        timestamps: open each timed cue with ``[HH:MM:SS]``.
        speakers: write a cue's speaker as a ``Name:`` label.
    """

    timestamps: bool = True
    speakers: bool = True


#: Characters and words that belong to other formats' syntax; a transcript has none of them near the top.
_FOREIGN = ("-->", "{", "}", "<", ">", "WEBVTT", "Scenarist_SCC", "[Script Info]", "\x00")
#: The start of a line in another line-based format: numbers with separators, brackets, sigils.
_FOREIGN_LINE = re.compile(r"^\s*(?:-?\d+\s*$|-?\d+[:.,;\t\[\]{}]|[\[{@$#%*=]|[A-Z_]+=)|,\s*-?\d+(?:\.\d+)?\s*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def sniff(head: str) -> bool:
    """True for prose: text lines with no syntax of another format (timestamps of our kinds allowed).

    Plain text has no signature, so this only says "nothing here belongs to
    another format": no ``-->``, braces or angle brackets, no control
    characters, and no line opening with numbers and separators, brackets or
    sigils (unless it is a transcript timestamp: ``[00:01:02]`` or
    ``00:01:02.500``). When another format also claims the file, its
    extension decides.
    """
    if not head.strip() or _CONTROL.search(head) or any(marker in head for marker in _FOREIGN):
        return False
    if head.strip() in ("null", "true", "false"):  # JSON
        return False
    lines = [line for line in head.split("\n", 40)[:40] if line.strip()]
    texts: list[str] = []
    marked = False
    for line in lines:
        stamp = _STAMP.match(line)
        if stamp:
            # [mm:ss.xx] is LRC's time tag, not a transcript timestamp.
            if stamp.group(1) is None and stamp.group(4) is not None:
                return False
            texts.append(line[stamp.end() :])
            marked = True
            continue
        if _FOREIGN_LINE.search(line):
            return False
        marked = marked or _SPEAKER.match(line) is not None
        texts.append(line)
    if not marked:
        return False
    # Mostly letters: prose, not data.
    body = "".join("".join(texts).split())
    return sum(1 for c in body if c.isalpha()) * 2 >= len(body)


def _stamp_ms(match: re.Match[str]) -> tuple[int, bool]:
    """Milliseconds of a matched timestamp, and whether a field was above 59."""
    groups = match.groups()
    h, m, s, frac = groups[0:4] if groups[2] is not None else groups[4:8]
    return clock_ms(h, m, s, frac), int(m) > 59 or int(s) > 59


class _Block:
    __slots__ = ("lines", "speaker", "start")

    def __init__(self, start: int | None, speaker: str | None) -> None:
        self.start = start
        self.speaker = speaker
        self.lines: list[str] = []


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse a plain-text transcript into a document.

    Raises:
        ParseError: (strict) a timestamp with minutes or seconds above 59.
    """
    sink = DiagnosticSink(NAME, options)
    blocks: list[_Block] = []
    current: _Block | None = None
    for line_no, raw in enumerate(data.split("\n"), start=1):
        line = raw.rstrip()
        if not line.strip():
            current = None
            continue
        start: int | None = None
        stamp = _STAMP.match(line)
        if stamp:
            start, overflow = _stamp_ms(stamp)
            if overflow:
                sink.warn("minutes or seconds above 59 in a timestamp", "added them up", line=line_no,
                          excerpt=stamp.group(0).strip())
            line = line[stamp.end() :]
        speaker: str | None = None
        label = _SPEAKER.match(line) if options.speakers else None
        if label:
            speaker = label.group(1)
            line = line[label.end() :]
        if stamp or label:
            fits = (
                current is not None
                and not current.lines
                and (start is None or current.start is None)
                and (speaker is None or current.speaker is None)
            )
            if fits and current is not None:
                # "[00:01:02]" or "Name:" alone on a line: the rest of the cue follows.
                current.start = current.start if start is None else start
                current.speaker = current.speaker or speaker
            else:
                current = _Block(start, speaker)
                blocks.append(current)
        elif current is None:
            current = _Block(None, None)
            blocks.append(current)
        if line.strip():
            current.lines.append(line.strip())
    timed = [block for block in blocks if block.start is not None]
    ends = close_ends([b.start for b in timed if b.start is not None], [None] * len(timed), last_ms=_LAST_MS)
    end_of = {id(block): end for block, end in zip(timed, ends, strict=True)}
    cues: list[Cue] = []
    previous = (0, 0)
    for block in blocks:
        text = "\n".join(block.lines)
        content = content_from_text(text) if text else ()
        if block.start is not None:
            previous = (block.start, max(end_of[id(block)], block.start))
            cues.append(Cue(start_ms=previous[0], end_ms=previous[1], content=content, speaker=block.speaker))
        else:
            cues.append(Cue(start_ms=previous[0], end_ms=previous[1], content=content, speaker=block.speaker,
                            extra={UNTIMED: "yes"}))
    return Document(cues=tuple(cues), source_format=NAME, diagnostics=tuple(sink.items))


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as a plain-text transcript: one paragraph per cue.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    lowered = lower(doc, LOWERING if options.timestamps else _UNSTAMPED, report, options=options,
                    supported=FEATURES if options.speakers else frozenset(), raw_format=NAME)
    cues = lowered.cues
    timed = [(index, cue) for index, cue in cues if cue.extra.get(UNTIMED) != "yes"]
    followers = next_starts([cue.start_ms for _, cue in timed])
    if not options.timestamps and timed:
        report.add("timing", "times dropped (timestamps switched off)", cue=timed[0][0], count=len(timed))
    elif timed:
        for position, (index, cue) in enumerate(timed):
            following = followers[position]
            expected = following if following is not None else cue.start_ms + _LAST_MS
            if cue.end_ms != expected:
                report.add("end-time", "end times not written: a cue lasts until the next one", cue=index)
    paragraphs: list[str] = []
    prefix = MinutePrefix()
    for index, cue in cues:
        lines = [line for line in cue.plain_text().split("\n") if line.strip()]
        text = "\n".join(lines)
        head = ""
        if options.timestamps and cue.extra.get(UNTIMED) != "yes":
            # _stamp, with the HH:MM: prefix cached
            minute, millis = divmod(max(cue.start_ms, 0), 60_000)
            second, millis = divmod(millis, 1000)
            head = f"[{prefix(minute)}{second:02d}.{millis:03d}] " if millis else f"[{prefix(minute)}{second:02d}] "
        # Plain text has no escapes: text that looks like the reader's syntax is read as that syntax.
        if lines and not (options.speakers and cue.speaker) and (
            _SPEAKER.match(lines[0]) or (not head and _STAMP.match(lines[0]))
        ):
            report.add("label", "text opening like a timestamp or a speaker label read back as one", cue=index)
        if any(_STAMP.match(line) or _SPEAKER.match(line) for line in lines[1:]):
            report.add("split", "lines opening like a timestamp or a speaker label read back as new cues",
                       cue=index)
        if options.speakers and cue.speaker:
            head += f"{cue.speaker}:" + (" " if text else "")
        paragraphs.append((head + text).rstrip())
    return "\n\n".join(p for p in paragraphs if p) + ("\n" if paragraphs else "")
