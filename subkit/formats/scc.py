"""Scenarist SCC (``.scc``): CEA-608 byte pairs with SMPTE timecodes, read and written.

A file is the line ``Scenarist_SCC V1.0``, a blank line, then data lines
``HH:MM:SS:FF<TAB>9420 9420 94ae ...``: each 4-hex-digit word is one 608 byte
pair (odd parity), and word *k* of a line is sent at the line's timecode plus
*k* frames. ``:`` before the frames means 29.97 fps non-drop-frame labels,
``;`` drop-frame labels. The pairs run through the 608 decoder of
:mod:`subkit.formats._cea608`, so cue times are when captions show and
disappear on a receiver, not the timecodes of the lines.

Leniencies (each a diagnostic with its line; ``strict=True`` raises instead):

* a missing or misspelt header line (read on);
* words of 3 hex digits (a leading zero added) and hex in either case;
* bytes with even parity (the parity bit is stripped, the value used);
* words that are not hex (skipped; they still take their frame);
* frames of 30 or more, and drop-frame labels that do not exist (``;00`` at
  minute 1): the next valid frame is used;
* lines whose timecode lies before the end of the previous line's words (the
  words are decoded in file order at the times the line gives);
* data for other channels, field-2 codes and text-mode data (skipped silently,
  or once per kind with a diagnostic when unknown).

Timecodes separated with ``.`` or ``,`` before the frames are read as drop-frame,
as ttconv does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink
from subkit.formats._cea608 import Decoder, Throttle, captions_to_cues, describe, encode, has_odd_parity
from subkit.formats._lower import Lowering, lower
from subkit.model import Document, LossReport
from subkit.timing import FPS_29_97, format_timecode, parse_fps, timecode_to_frames

__all__ = [
    "FEATURES",
    "LOWERING",
    "NAME",
    "Instruction",
    "ReadOptions",
    "WriteOptions",
    "disassemble",
    "read",
    "sniff",
    "write",
]

NAME = "scc"

#: What the writer can express (colours and positions within the 608 grid and palette).
FEATURES = frozenset({"italic", "underline", "color", "alignment", "position", "caption-mode"})
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
#: The 608 schedule lowers the timeline itself: a caption that cannot be on screen in time, one with a
#: negative time included, goes at the first frame it can (``timing``); one at or after 100 hours is
#: dropped (``time-range``).
LOWERING = Lowering(negative="keep")

HEADER = "Scenarist_SCC V1.0"

_LINE = re.compile(r"^\s*(\d{1,2}):(\d{1,2}):(\d{1,2})([:;.,])(\d{1,3})\s+(.*?)\s*$")
_HEX_WORD = re.compile(r"^[0-9a-fA-F]{3,4}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(BaseReadOptions):
    """SCC reader options.

    Attributes:
        channel: the caption channel to decode, 1-4 (CC1-CC4). SCC carries
            field 1 (CC1, CC2); CC3/CC4 are decoded from field-2 codes
            (``15xx``/``1dxx``) when a file mixes them in.
        fps: the rate the timecodes count at (``"25"``, ``"29.97"``,
            ``"30000/1001"``, ``23.976``, ``Fraction(24000, 1001)``);
            ``None``: 29.97.
        drop_frame: read the labels as drop-frame (``True``) or not; ``None``
            takes it from each line's separator (``;`` drop-frame).
    """

    channel: int = 1
    fps: str | float | Fraction | None = None
    drop_frame: bool | None = None

    def __post_init__(self) -> None:
        if self.channel not in (1, 2, 3, 4):
            raise ValueError(f"channel must be 1-4, got {self.channel!r}")
        if self.fps is not None:
            parse_fps(self.fps)


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """SCC writer options.

    Attributes:
        mode: ``pop-on``, ``roll-up`` or ``paint-on`` for every cue; ``None``
            follows each cue's caption mode (pop-on when it has none).
        roll_up_rows: roll-up depth, 2-4 (default: the cue's, else 3).
        channel: 1 (CC1) or 2 (CC2).
        fps: the timecode rate, as for :class:`ReadOptions`; ``None``: the
            document's when it has one, else 29.97.
        drop_frame: drop-frame labels (default: the document's when it has a
            frame rate, else ``True``).
    """

    mode: str | None = None
    roll_up_rows: int | None = None
    channel: int = 1
    fps: str | float | Fraction | None = None
    drop_frame: bool | None = None

    def __post_init__(self) -> None:
        if self.fps is not None:
            parse_fps(self.fps)
        if self.mode not in (None, "pop-on", "roll-up", "paint-on"):
            raise ValueError(f"mode must be pop-on, roll-up or paint-on, got {self.mode!r}")
        if self.roll_up_rows not in (None, 2, 3, 4):
            raise ValueError(f"roll_up_rows must be 2-4, got {self.roll_up_rows!r}")
        if self.channel not in (1, 2):
            raise ValueError(f"channel must be 1 or 2, got {self.channel!r}")


def sniff(head: str) -> bool:
    """True for the ``Scenarist_SCC`` header, or a first line of timecode and hex words."""
    stripped = head.lstrip()
    if stripped[:13].lower() == "scenarist_scc":
        return True
    first = stripped.split("\n", 1)[0]
    match = _LINE.match(first)
    return bool(match and match.group(6) and all(_HEX_WORD.match(w) for w in match.group(6).split()[:8]))


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    timecode: str
    frame: int
    words: list[str]


def _lines(data: str, sink: DiagnosticSink, fps: Fraction, drop: bool | None, df_seen: list[bool]) -> Iterator[_Line]:
    """The data lines, with the frame of their first word; ``df_seen`` gets whether labels are drop-frame."""
    header_seen = False
    lines = 0
    nominal = round(fps)
    per_second: dict[tuple[int, int, int, bool], int] = {}
    for number, text in enumerate(data.split("\n"), 1):
        if not text.strip():
            continue
        if not header_seen:
            header_seen = True
            stripped = text.strip()
            if stripped == HEADER:
                continue
            if stripped.lower().startswith("scenarist"):
                sink.warn(f"header {stripped!r} is not {HEADER!r}", "read on", line=number, excerpt=stripped)
                continue
            sink.warn(f"no {HEADER!r} header", "read the data lines", line=number, excerpt=stripped)
        match = _LINE.match(text)
        if not match:
            sink.error("not a timecode line", "skipped it", line=number, excerpt=text.strip())
            continue
        h, m, s, sep, f, rest = match.groups()
        df = (sep != ":") if drop is None else drop
        if not df_seen:
            df_seen.append(df)
        hours, minutes, seconds, frames = int(h), int(m), int(s), int(f)
        if minutes > 59 or seconds > 59 or frames >= nominal:
            sink.warn(f"timecode field out of range in {text.split()[0]}", "added it up", line=number)
        if df and seconds == 0 and frames < 2 * (nominal // 30) and minutes % 10 and nominal in (30, 60):
            sink.warn(f"drop-frame label {text.split()[0]} does not exist", "used the next valid frame", line=number)
        df = df and nominal in (30, 60)
        if seconds:
            # Labels run without gaps inside a second (drop-frame skips only at second 0):
            # one exact conversion per second, then add the frames.
            key = (hours, minutes, seconds, df)
            base = per_second.get(key)
            if base is None:
                base = per_second[key] = timecode_to_frames(hours, minutes, seconds, 0, fps, drop_frame=df)
            frame = base + frames
        else:
            frame = timecode_to_frames(hours, minutes, seconds, frames, fps, drop_frame=df)
        lines += 1
        yield _Line(number, text.split()[0], frame, rest.split())


#: word -> (b1, b2) with parity stripped, for the words whose parity is right (filled as met).
_GOOD_WORDS: dict[str, tuple[int, int]] = {}


def _pairs(line: _Line, sink: DiagnosticSink, throttle: Throttle) -> list[tuple[int, int] | None]:
    """The byte pairs of a line, parity stripped; ``None`` for a word that is not hex."""
    pairs: list[tuple[int, int] | None] = []
    known = _GOOD_WORDS
    for word in line.words:
        pair = known.get(word)
        if pair is not None:
            pairs.append(pair)
            continue
        if not _HEX_WORD.match(word):
            sink.error(f"{word!r} is not a 4-digit hex word", "skipped it", line=line.number, excerpt=word)
            pairs.append(None)
            continue
        if len(word) == 3:
            sink.warn(f"3-digit word {word!r}", "read it with a leading zero", line=line.number, excerpt=word)
        value = int(word, 16)
        b1, b2 = value >> 8, value & 0xFF
        pair = (b1 & 0x7F, b2 & 0x7F)
        if not (has_odd_parity(b1) and has_odd_parity(b2)):
            throttle("parity error", f"parity error in {word}", "stripped the parity bit", line=line.number,
                     excerpt=word)
        elif len(word) == 4 and len(known) < 70_000:
            known[word] = pair
        pairs.append(pair)
    return pairs


def _fps(value: str | float | Fraction | None) -> Fraction:
    return FPS_29_97 if value is None else parse_fps(value)


def read(data: str, *, options: ReadOptions) -> Document:
    """Decode SCC text into cues: one cue per displayed caption (see :mod:`subkit.formats._cea608`).

    Raises:
        ParseError: no data line in non-empty input, or (strict) any flaw.

    >>> doc = read(HEADER + "\\n\\n00:00:01;00\\t9420 9420 94d0 94d0 c8e9 942f 942f\\n\\n"
    ...            "00:00:03;00\\t942c 942c\\n", options=ReadOptions())
    >>> [(c.start_ms, c.end_ms, c.plain_text()) for c in doc]
    [(1168, 3003, 'Hi')]
    """
    sink = DiagnosticSink(NAME, options)
    fps = _fps(options.fps)
    seen: list[bool] = []
    current = [0]

    def note(message: str, action: str) -> None:
        sink.warn(message, action, line=current[0])

    decoder = Decoder(options.channel, note=note)
    throttle = Throttle(sink.warn)
    next_free = 0
    last = 0
    count = 0
    for line in _lines(data, sink, fps, options.drop_frame, seen):
        count += 1
        current[0] = line.number
        if line.frame < next_free:
            sink.warn(f"timecode {line.timecode} lies before the end of the previous line's words",
                      "decoded the line in file order", line=line.number, excerpt=line.timecode)
        decoder.feed_line(line.frame, _pairs(line, sink, throttle))
        next_free = line.frame + len(line.words)
        last = max(last, next_free)
    drop = bool(seen and seen[0])
    if not count:
        if data.strip() and data.strip() != HEADER:
            raise sink.fail("no SCC data line (timecode, tab, hex words) found", line=1,
                            excerpt=data.strip().split("\n", 1)[0])
        return Document(source_format=NAME, frame_rate=fps, drop_frame=drop, diagnostics=tuple(sink.items))
    cues = captions_to_cues(decoder.finish(), fps, last)
    return Document(
        cues=tuple(cues), frame_rate=fps, drop_frame=drop, diagnostics=tuple(sink.items), source_format=NAME
    )


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Encode ``doc`` as SCC: 608 pop-on captions (or roll-up/paint-on), timed to land on the cues' times.

    Cues are laid out on the 15x32 grid (the 608 layout they were read with,
    else from their placement, else centred at the bottom), and each
    caption's ``EOC`` is sent on its start frame, with the loading words in
    the frames before it. What 608 cannot express is reported (see
    ``docs/formats/scc.md``).

    Raises:
        UnsupportedFeatureError: strict and something would be lost.
    """
    lower(doc, LOWERING, report, options=options, supported=FEATURES, raw_format=NAME)
    fps, drop = _write_rate(doc, options.fps, options.drop_frame)
    scheduled = encode(
        doc, fps=fps, report=report, mode=options.mode, roll_up_rows=options.roll_up_rows, channel=options.channel
    )
    out = [HEADER, ""]
    frames = sorted(scheduled.words)
    i = 0
    while i < len(frames):
        j = i
        while j + 1 < len(frames) and frames[j + 1] == frames[j] + 1:
            j += 1
        words = " ".join(f"{scheduled.words[f]:04x}" for f in frames[i : j + 1])
        out.append(f"{format_timecode(frames[i], fps, drop_frame=drop)}\t{words}")
        out.append("")
        i = j + 1
    return "\n".join(out) + ("\n" if frames else "")


def _write_rate(doc: Document, rate: str | float | Fraction | None, drop: bool | None) -> tuple[Fraction, bool]:
    """The frame rate and drop-frame choice of a writer: options, else the document's, else 29.97 DF."""
    fps = parse_fps(rate) if rate is not None else (doc.frame_rate or FPS_29_97)
    if drop is None:
        drop = doc.drop_frame if doc.frame_rate is not None else True
    return fps, drop and round(fps) in (30, 60) and fps.denominator == 1001


@dataclass(frozen=True, slots=True)
class Instruction:
    """One decoded command of an SCC file, for people.

    Attributes:
        timecode: the SMPTE label of its first word.
        words: the words (as written in the file), a doubled code's copy included.
        text: what they mean (``RCL (CC1)``, ``PAC row 15 indent 4``, ``"Hello"``).
    """

    timecode: str
    words: tuple[str, ...]
    text: str

    def __str__(self) -> str:
        return f"{self.timecode}  {' '.join(self.words)}  {self.text}"


def disassemble(data: str) -> list[Instruction]:
    """The commands of an SCC file, one per control code (with its copy) or run of text.

    >>> for item in disassemble(HEADER + "\\n\\n00:00:01;02\\t9420 9420 c8e9 942f\\n"):
    ...     print(item)
    00:00:01;02  9420 9420  RCL (CC1)
    00:00:01;04  c8e9  "Hi"
    00:00:01;05  942f  EOC (CC1)
    """
    sink = DiagnosticSink(NAME, BaseReadOptions())
    fps = FPS_29_97
    result: list[Instruction] = []
    for line in _lines(data, sink, fps, None, []):
        drop = line.timecode[-3] != ":"
        previous: tuple[int, int] | None = None
        for offset, word in enumerate(line.words):
            label = format_timecode(line.frame + offset, fps, drop_frame=drop)
            if not _HEX_WORD.match(word):
                result.append(Instruction(label, (word,), "not hex"))
                previous = None
                continue
            value = int(word, 16)
            pair = ((value >> 8) & 0x7F, value & 0x7F)
            name, channel = describe(*pair)
            parity = "" if has_odd_parity(value >> 8) and has_odd_parity(value & 0xFF) else " [parity error]"
            if 0x10 <= pair[0] <= 0x1F and pair == previous and result:
                last = result[-1]
                result[-1] = Instruction(last.timecode, (*last.words, word), last.text)
                previous = None
                continue
            if (pair[0] >= 0x20 and previous is not None and previous[0] >= 0x20 and not parity
                    and result[-1].text.endswith('"')):
                last = result[-1]
                result[-1] = Instruction(last.timecode, (*last.words, word), last.text[:-1] + name[1:])
                previous = pair
                continue
            suffix = f" (CC{channel})" if channel is not None else ""
            result.append(Instruction(label, (word,), f"{name}{suffix}{parity}"))
            previous = pair
    return result
