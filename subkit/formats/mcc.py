"""MacCaption MCC (``.mcc``): CEA-708 CDPs in ANC packets, one line per frame; read and written.

A file starts with ``File Format=MacCaption_MCC V1.0`` (or ``V2.0``), a
``//`` comment block (Telestream's description, which generated files must
carry), and ``key=value`` lines: ``UUID``, ``Creation Program``, ``Creation
Date``, ``Creation Time``, ``Time Code Rate`` (24, 25, 30, 30DF, 50, 60, 60DF).
Each data line is ``HH:MM:SS:FF<TAB>hex``: one ANC packet whose hex is
shortened with letters (``G``-``O`` for runs of ``FA 00 00``, ``S`` for
``96 69`` ...; see :mod:`subkit.formats._cdp`).

The reader takes the 608 pairs of the chosen field from each CDP's
``cc_data`` and feeds them, one frame per line, to the same decoder as SCC
(:mod:`subkit.formats._cea608`). DTVCC (708) data is skipped. The header
fields are kept in ``Document.header`` as ``mcc.<key>``.

Leniencies (diagnostics with the line; ``strict=True`` raises instead):

* a missing or different ``File Format`` line;
* CDP and ANC checksum errors, a footer counter that differs from the
  header's, a ``cc_count`` that does not fit the frame rate, a wrong CDP
  length (the data is used as far as it goes);
* letters outside the MCC table (FFmpeg's ``V``-``Y`` are expanded as FFmpeg
  does), odd hex digits;
* ``;`` as well as ``:`` before the frames; the V2 ``.field,line`` suffix;
* bytes with even parity in 608 pairs (the parity bit is stripped).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink
from subkit.formats._cdp import RATE_CODES, LineWriter, expand, parse_anc
from subkit.formats._cea608 import Decoder, Throttle, captions_to_cues, describe, encode, has_odd_parity
from subkit.formats._lower import Lowering, lower
from subkit.formats.scc import Instruction
from subkit.model import Document, LossReport
from subkit.timing import frames_to_timecode, parse_fps, timecode_to_frames

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "disassemble", "read", "sniff", "write"]

NAME = "mcc"

#: What the writer can express (608 captions: as SCC).
FEATURES = frozenset({"italic", "underline", "color", "alignment", "position", "caption-mode"})
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
#: The 608 schedule lowers the timeline itself: a caption that cannot be on screen in time, one with a
#: negative time included, goes at the first frame it can (``timing``); one at or after 100 hours is
#: dropped (``time-range``).
LOWERING = Lowering(negative="keep")

#: The description block every generated file must include (the MacCaption format's condition).
COMMENT_BLOCK = """\
///////////////////////////////////////////////////////////////////////////////////
// Telestream, LLC
// Ancillary Data Packet Transfer File
//
// Permission to generate this format is granted provided that
//   1. This ANC Transfer file format is used on an as-is basis and no warranty is given, and
//   2. This entire descriptive information text is included in a generated .mcc file.
//
// General file format:
//   HH:MM:SS:FF(tab)[Hexadecimal ANC data in groups of 2 characters]
//     Hexadecimal data starts with the Ancillary Data Packet DID (Data ID defined in S291M)
//       and concludes with the Check Sum following the User Data Words.
//     Each time code line must contain at most one complete ancillary data packet.
//     To transfer additional ANC Data successive lines may contain identical time code.
//     Time Code Rate=[24, 25, 30, 30DF, 50, 60, 60DF]
//
//   ANC data bytes may be represented by one ASCII character according to the following schema:
//     G  FAh 00h 00h
//     H  2 x (FAh 00h 00h)
//     I  3 x (FAh 00h 00h)
//     J  4 x (FAh 00h 00h)
//     K  5 x (FAh 00h 00h)
//     L  6 x (FAh 00h 00h)
//     M  7 x (FAh 00h 00h)
//     N  8 x (FAh 00h 00h)
//     O  9 x (FAh 00h 00h)
//     P  FBh 80h 80h
//     Q  FCh 80h 80h
//     R  FDh 80h 80h
//     S  96h 69h
//     T  61h 01h
//     U  E1h 00h 00h 00h
//     Z  00h
//
///////////////////////////////////////////////////////////////////////////////////"""

_KEYS = ("UUID", "Creation Program", "Creation Date", "Creation Time", "Time Code Rate")
_LINE = re.compile(r"^(\d{1,2}):(\d{2}):(\d{2})([:;.,])(\d{1,2})(?:\.(\d)(?:,(\d+))?)?[ \t]+(\S.*?)\s*$")
_RATES = {"24": Fraction(24000, 1001), "25": Fraction(25), "30": Fraction(30000, 1001), "50": Fraction(50),
          "60": Fraction(60000, 1001)}


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(BaseReadOptions):
    """MCC reader options.

    Attributes:
        channel: the 608 caption channel, 1-4 (CC1/CC2 field 1, CC3/CC4 field 2).
        fps: the frame rate (``"25"``, ``"29.97"``, ``"30000/1001"``,
            ``23.976``, ``Fraction(24000, 1001)``); ``None``: the CDPs'
            frame-rate code when it fits the ``Time Code Rate``, else that
            rate, 30 meaning 29.97.
        dtvcc: ``"skip"`` records one diagnostic when 708 data is skipped;
            ``"ignore"`` skips it silently.
    """

    channel: int = 1
    fps: str | float | Fraction | None = None
    dtvcc: str = "skip"

    def __post_init__(self) -> None:
        if self.fps is not None:
            parse_fps(self.fps)
        if self.channel not in (1, 2, 3, 4):
            raise ValueError(f"channel must be 1-4, got {self.channel!r}")
        if self.dtvcc not in ("skip", "ignore"):
            raise ValueError(f"dtvcc must be 'skip' or 'ignore', got {self.dtvcc!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """MCC writer options.

    Attributes:
        version: ``"1.0"`` or ``"2.0"`` (the ``File Format`` line).
        mode, roll_up_rows, channel: as for SCC (608 caption mode, roll-up
            depth, CC1/CC2).
        fps: the frame rate, as for :class:`ReadOptions`; ``None``: the
            document's, else 29.97.
        drop_frame: drop-frame timecodes (default: the document's when it has
            a frame rate, else ``True`` at 29.97 and 59.94).
        fill: write a line for every frame between the first and the last
            caption data (as broadcast files do), except across gaps longer
            than :data:`FILL_GAP_SECONDS`, so that the output stays bounded
            by the captions rather than by the time they span; ``False``
            writes only the frames that carry 608 data.
        created: ``YYYY-MM-DDTHH:MM:SS`` for the creation date and time
            (default: the document's ``mcc.`` header, else now).
    """

    version: str = "1.0"
    mode: str | None = None
    roll_up_rows: int | None = None
    channel: int = 1
    fps: str | float | Fraction | None = None
    drop_frame: bool | None = None
    fill: bool = True
    created: str | None = None

    def __post_init__(self) -> None:
        if self.fps is not None:
            _rate_code(parse_fps(self.fps))
        if self.created is not None:
            _created(Document(), self.created)
        if self.version not in ("1.0", "2.0"):
            raise ValueError(f"version must be 1.0 or 2.0, got {self.version!r}")
        if self.mode not in (None, "pop-on", "roll-up", "paint-on"):
            raise ValueError(f"mode must be pop-on, roll-up or paint-on, got {self.mode!r}")
        if self.channel not in (1, 2):
            raise ValueError(f"channel must be 1 or 2, got {self.channel!r}")


def sniff(head: str) -> bool:
    """True for the ``File Format=MacCaption_MCC`` header."""
    return head.lstrip()[:26].lower() == "file format=maccaption_mcc"


def _nominal_rate(text: str) -> tuple[int, bool] | None:
    match = re.fullmatch(r"\s*(\d+)\s*(DF)?\s*", text, re.IGNORECASE)
    if not match:
        return None
    return int(match.group(1)), match.group(2) is not None


def read(data: str, *, options: ReadOptions) -> Document:
    """Decode the 608 captions of an MCC file.

    Raises:
        ParseError: no data line in non-empty input, or (strict) any flaw.
    """
    sink = DiagnosticSink(NAME, options)
    header: dict[str, str] = {}
    lines = data.split("\n")
    number = 0
    first = next((i for i, text in enumerate(lines) if text.strip()), None)
    if first is None:
        return Document(source_format=NAME)
    head = lines[first].strip()
    if head.lower().startswith("file format="):
        header["mcc.File Format"] = head.split("=", 1)[1].strip()
        if head not in ("File Format=MacCaption_MCC V1.0", "File Format=MacCaption_MCC V2.0"):
            sink.warn(f"unexpected header {head!r}", "read on", line=first + 1, excerpt=head)
        first += 1
    else:
        sink.warn("no 'File Format=MacCaption_MCC' line", "read the data lines", line=first + 1, excerpt=head)
    rate: tuple[int, bool] | None = None
    junk: int | None = None
    data_lines: list[tuple[int, re.Match[str]]] = []
    for index in range(first, len(lines)):
        text = lines[index]
        number = index + 1
        if not text.strip() or text.startswith("//"):
            continue
        match = _LINE.match(text)
        if match:
            data_lines.append((number, match))
            continue
        key, sep, value = text.partition("=")
        if sep and not data_lines:
            header[f"mcc.{key.strip()}"] = value.strip()
            if key.strip().lower() == "time code rate":
                rate = _nominal_rate(value)
                if rate is None:
                    sink.warn(f"unknown Time Code Rate {value.strip()!r}", "assumed 30DF", line=number)
            continue
        sink.error("not a data line", "skipped it", line=number, excerpt=text.strip())
        junk = junk or number
    if not data_lines:
        if junk is not None:
            raise sink.fail("no MCC data line (timecode, tab, hex) found", line=junk, excerpt=lines[junk - 1])
        if header:
            return Document(header=header, diagnostics=tuple(sink.items), source_format=NAME)
        raise sink.fail("no MCC data line (timecode, tab, hex) found", line=first + 1, excerpt=head)
    return _decode(data_lines, header, rate, sink, options)


def _decode(
    data_lines: list[tuple[int, re.Match[str]]],
    header: dict[str, str],
    rate: tuple[int, bool] | None,
    sink: DiagnosticSink,
    options: ReadOptions,
) -> Document:
    nominal, drop = rate or (30, True)
    field = 1 if options.channel <= 2 else 2
    fps: Fraction | None = parse_fps(options.fps) if options.fps is not None else None
    current = [0]

    def note(message: str, action: str) -> None:
        sink.warn(message, action, line=current[0])

    decoder = Decoder(options.channel, field=field, note=note)
    throttle = Throttle(sink.warn)
    dtvcc = 0
    last = 0
    seconds_cache: dict[tuple[int, int, int, bool], int] = {}
    for number, match in data_lines:
        current[0] = number
        h, m, s, sep, f = match.group(1, 2, 3, 4, 5)
        problems: list[str] = []
        packet = expand(match.group(8), problems)
        cdp = parse_anc(packet)
        problems.extend(cdp.problems)
        if fps is None:
            code_rate = RATE_CODES.get(cdp.rate_code)
            if code_rate is not None and round(code_rate) == nominal:
                fps = code_rate
            else:
                fps = _RATES.get(str(nominal)) or Fraction(nominal)
        if problems:
            payload = match.group(8)  # once per line: a copy per problem would make bad lines quadratic
            for problem in problems:
                throttle(problem.split(" (")[0].rstrip("0123456789 "), problem, "used the data as far as it goes",
                         line=number, excerpt=payload)
        df = drop or sep == ";"
        hours, minutes, seconds = int(h), int(m), int(s)
        if seconds:
            # Labels run without gaps inside a second: one exact conversion per second, then add the frames.
            key = (hours, minutes, seconds, df)
            base = seconds_cache.get(key)
            if base is None:
                base = seconds_cache[key] = timecode_to_frames(
                    hours, minutes, seconds, 0, fps, drop_frame=df and nominal in (30, 60))
            frame = base + int(f)
        else:
            frame = timecode_to_frames(hours, minutes, 0, int(f), fps, drop_frame=df and nominal in (30, 60))
        dtvcc += cdp.dtvcc
        for pair_field, b1, b2 in cdp.pairs608:
            if pair_field != field:
                continue
            if not (has_odd_parity(b1) and has_odd_parity(b2)):
                throttle("parity error", f"parity error in 608 pair {b1:02x}{b2:02x}", "stripped the parity bit",
                         line=number)
            decoder.feed(frame, b1 & 0x7F, b2 & 0x7F)
        last = max(last, frame + 1)
    if dtvcc and options.dtvcc == "skip":
        sink.warn(f"{dtvcc} DTVCC (CEA-708) data triplets", "skipped them: the 608 captions were decoded",
                  line=data_lines[0][0])
    assert fps is not None
    cues = captions_to_cues(decoder.finish(), fps, last)
    return Document(
        cues=tuple(cues), frame_rate=fps, drop_frame=drop, header=header, diagnostics=tuple(sink.items),
        source_format=NAME,
    )


def _rate_code(fps: Fraction) -> int:
    for code, value in RATE_CODES.items():
        if value == fps:
            return code
    raise ValueError(f"MCC has no CDP frame-rate code for {fps} fps")


#: The longest gap between caption data the writer fills with empty frames; a longer one is a jump
#: in the timecodes (which MCC readers accept), so a cue at 99:00:00 does not cost 10 million lines.
FILL_GAP_SECONDS = 60


def _filled(frames: list[int], max_gap: int) -> Iterator[int]:
    """``frames`` (sorted) with every frame between two of them added, unless they are ``max_gap`` apart or more."""
    previous: int | None = None
    for frame in frames:
        if previous is not None and frame - previous < max_gap:
            yield from range(previous + 1, frame)
        yield frame
        previous = frame


class _Labels:
    """``HH:MM:SS:FF`` of frame numbers (``:`` before the frames even for drop-frame, as MCC writes them).

    Frames come mostly one after the other: within a second the label of the
    next frame is the last one's with one more frame (drop-frame skips labels
    only at the start of a second), so the full conversion runs once a second.
    """

    __slots__ = ("drop", "fps", "frame", "last", "nominal", "prefix")

    def __init__(self, fps: Fraction, drop: bool) -> None:
        self.fps, self.drop = fps, drop
        self.nominal = (2 * fps.numerator + fps.denominator) // (2 * fps.denominator)  # labels a second (half up)
        self.frame = self.last = -2
        self.prefix = ""

    def __call__(self, frame: int) -> str:
        if frame == self.frame + 1 and self.last + 1 < self.nominal:
            self.last += 1
        else:
            hours, minutes, seconds, self.last = frames_to_timecode(frame, self.fps, drop_frame=self.drop)
            self.prefix = f"{hours:02d}:{minutes:02d}:{seconds:02d}:"
        self.frame = frame
        return f"{self.prefix}{self.last:02d}"


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Encode ``doc`` as MCC: its 608 captions (as the SCC writer schedules them) in one CDP per frame.

    Raises:
        UnsupportedFeatureError: strict and something would be lost.
        ValueError: a frame rate MCC has no code for.
    """
    lower(doc, LOWERING, report, options=options, supported=FEATURES, raw_format=NAME)
    fps = parse_fps(options.fps) if options.fps is not None else (doc.frame_rate or Fraction(30000, 1001))
    code = _rate_code(fps)
    nominal = round(fps)
    drop = options.drop_frame
    if drop is None:
        drop = doc.drop_frame if doc.frame_rate is not None else True
    drop = drop and fps.denominator == 1001 and nominal in (30, 60)
    scheduled = encode(
        doc, fps=fps, report=report, mode=options.mode, roll_up_rows=options.roll_up_rows, channel=options.channel
    )
    words = scheduled.words
    writer = LineWriter(code)
    body: list[str] = []
    if words:
        frames = _filled(sorted(words), round(fps * FILL_GAP_SECONDS)) if options.fill else sorted(words)
        label = _Labels(fps, drop)
        for counter, frame in enumerate(frames):
            word = words.get(frame)
            pair = None if word is None else (word >> 8, word & 0xFF)
            body.append(f"{label(frame)}\t{writer.line(counter % 65536, pair)}")
    date, time = _created(doc, options.created)
    rate = f"{nominal}{'DF' if drop else ''}"
    uid = doc.header.get("mcc.UUID") or str(uuid.uuid5(uuid.NAMESPACE_URL, "subkit:" + "\n".join(body))).upper()
    head = [
        f"File Format=MacCaption_MCC V{options.version}",
        "",
        COMMENT_BLOCK,
        "",
        f"UUID={uid}",
        "Creation Program=subkit",
        f"Creation Date={date}",
        f"Creation Time={time}",
        f"Time Code Rate={rate}",
        "",
    ]
    return "\n".join(head + body) + "\n"


def _created(doc: Document, created: str | None) -> tuple[str, str]:
    """The creation date and time lines: the option, else the document's header, else now."""
    import datetime as dt

    if created is None:
        date, time = doc.header.get("mcc.Creation Date"), doc.header.get("mcc.Creation Time")
        if date and time:
            return date, time
        moment = dt.datetime.now()
    else:
        try:
            moment = dt.datetime.fromisoformat(created)
        except ValueError:
            raise ValueError(f"created must be YYYY-MM-DDTHH:MM:SS, got {created!r}") from None
    return f"{moment:%A, %B} {moment.day}, {moment:%Y}", f"{moment:%H:%M:%S}"


def disassemble(data: str) -> list[Instruction]:
    """The 608 pairs of an MCC file that are not padding, one entry each, with the field they came on.

    >>> text = "File Format=MacCaption_MCC V1.0\\n\\n00:00:01:00\\tT49S494F43ZZ72F4FC9420ROO74ZZ0BAB\\n"
    >>> [str(item) for item in disassemble(text)]
    ['00:00:01:00  9420  RCL (CC1, field 1)']
    """
    result: list[Instruction] = []
    for text in data.split("\n"):
        match = _LINE.match(text)
        if not match:
            continue
        timecode = text.split()[0]
        problems: list[str] = []
        cdp = parse_anc(expand(match.group(8), problems))
        for field, b1, b2 in cdp.pairs608:
            if (b1 & 0x7F, b2 & 0x7F) == (0, 0):
                continue
            name, channel = describe(b1 & 0x7F, b2 & 0x7F)
            if channel is not None and field == 2 and channel <= 2:
                channel += 2
            where = f"CC{channel}, field {field}" if channel is not None else f"field {field}"
            result.append(Instruction(timecode, (f"{b1:02x}{b2:02x}",), f"{name} ({where})"))
        if cdp.dtvcc:
            result.append(Instruction(timecode, (), f"{cdp.dtvcc} DTVCC triplets"))
    return result
