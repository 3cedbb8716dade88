"""Cheetah CAP (``.cap``, binary): reader and writer, as far as the public facts go.

There is no public specification; everything here is what Subtitle Edit's
reader and writer show (see ``docs/formats/cheetah_cap.md`` for every
assumption). A file is a 128-byte header starting ``EA 22 0x`` (x at most 3)
with the caption count at bytes 4-5 (little-endian), then one record per
caption:

======  ====================================================================
offset  record field
======  ====================================================================
0       record length (this byte included)
1       type: ``61``/``62`` with an end time, ``41``/``42`` without
        (the caption lasts until the next one); ``x2`` = several lines
2-5     start: hours, minutes, seconds, frames (binary)
6-9     end, same layout; ``02 01 00 00`` when unset
10-18   style (with an end time): ``12 01 00 00 00 00``, justification,
        row, column
10-14   style (without): ``00 00``, justification, row, column
19/15   text up to the record length; ``00`` ends a line
======  ====================================================================

Text is Windows-1252 except ``81``-``95`` (♪ and accented letters) and the
codes ``00``-``1F`` and ``C0``-``FF``; ``D0`` switches italics on to the end
of the line. Other codes stay in place as ``Raw("cheetah_cap", "{XX}")``.

Justification (1 left, 2 right, 3 centre), row (1 top to 15 bottom) and
column give the 9-point alignment (bottom centre is left unset, the default);
the bytes stay in ``Cue.extra``.
Timecodes count frames at the ``fps`` option (default 29.97, labels at 30).

>>> import subkit
>>> from subkit.model import Cue, Document, content_from_text
>>> doc = Document(cues=(Cue(start_ms=1001, end_ms=2002, content=content_from_text("Hi ♪")),))
>>> back = subkit.loads(subkit.dumps(doc, "cheetah_cap"), format="cheetah_cap")
>>> back.cues[0].plain_text(), back.cues[0].start_ms, back.cues[0].end_ms
('Hi ♪', 1001, 2002)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink
from subkit.formats._lower import Lowering, lower
from subkit.model import (
    NOWHERE,
    PLAIN,
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
from subkit.timing import frames_to_ms, frames_to_timecode, ms_to_frames, parse_fps, timecode_to_frames

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "read", "sniff", "write"]

NAME = "cheetah_cap"

#: What the writer can express.
FEATURES = frozenset({"italic", "alignment"})
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
#: Times past 255 hours are clamped by the writer, on the frame grid.
LOWERING = Lowering(zero_label="00:00:00:00")

HEADER_SIZE = 128
#: Bytes 6-9 of the header as Subtitle Edit writes them (meaning unknown).
_HEADER_TAIL = bytes([0x09, 0xA8, 0xAF, 0x4F])
#: The end time of a caption without one.
UNSET_END = (2, 1, 0, 0)
ITALIC = 0xD0
#: Special characters of the text.
SPECIAL: dict[int, str] = dict(zip(range(0x81, 0x96), "♪áéíóúâêîôûàèÑñç¢£¿½®", strict=True))
_SPECIAL_CODES = {char: code for code, char in SPECIAL.items()}
_RAW = re.compile(r"\{([0-9A-F]{2})\}")
_DEFAULT_RATE = Fraction(30000, 1001)
_ITALIC_STYLE = RunStyle(italic=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(BaseReadOptions):
    """Cheetah CAP reader options.

    Attributes:
        fps: the rate the frame numbers count at (``"25"``, ``"29.97"``,
            ``"30000/1001"``, ``23.976``, ``Fraction(24000, 1001)``);
            ``None``: 29.97.
        last_duration_ms: how long the last caption lasts when it has no end time.
    """

    fps: str | float | Fraction | None = None
    last_duration_ms: int = 2000

    def __post_init__(self) -> None:
        if self.fps is not None:
            parse_fps(self.fps)
        if self.last_duration_ms < 0:
            raise ValueError("last_duration_ms must not be negative")


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """Cheetah CAP writer options.

    Attributes:
        fps: the rate of the frame numbers, as for :class:`ReadOptions`;
            ``None``: the document's, else 29.97.
    """

    fps: str | float | Fraction | None = None

    def __post_init__(self) -> None:
        if self.fps is not None:
            parse_fps(self.fps)


def sniff(head: bytes) -> bool:
    """True when ``head`` starts with the CAP header ``EA 22 0x`` (x at most 3) and is 128 bytes or more."""
    return len(head) >= HEADER_SIZE and head[0] == 0xEA and head[1] == 0x22 and head[2] <= 3


def _placement(justify: int, row: int, column: int) -> Placement:
    """9-point alignment: row thirds of 1-15; justification, else the column, for the side."""
    base = 7 if row <= 5 else (4 if row <= 10 else 1)
    if justify == 1:
        side = 0
    elif justify == 2:
        side = 2
    elif column < 0x0A:
        side = 0
    elif column > 0x16:
        side = 2
    else:
        side = 1
    # Bottom centre is every player's default: leave it unset, as the EBU STL reader does.
    return NOWHERE if base + side == 2 else Placement(align=base + side)


def read(data: bytes, *, options: ReadOptions) -> Document:
    """Parse a Cheetah CAP file.

    Raises:
        ParseError: the data has no CAP header, or (strict) any flaw. ``line``
            is the record number (1 for the first caption).
    """
    sink = DiagnosticSink(NAME, options)
    if not data:
        return Document(source_format=NAME)
    if not sniff(data[:HEADER_SIZE]):
        raise sink.fail("not a Cheetah CAP file: no 128-byte header starting EA 22", line=0)
    rate = parse_fps(options.fps) if options.fps is not None else _DEFAULT_RATE
    nominal = Fraction(round(rate))
    declared = data[4] | (data[5] << 8)
    records: list[tuple[int, int, int | None, tuple[ContentItem, ...], dict[str, str]]] = []
    offset = HEADER_SIZE
    number = 0
    while offset < len(data):
        length = data[offset]
        if length == 0:
            offset += 1  # padding between records
            continue
        number += 1
        record = data[offset : offset + length]
        where = f"record {number} (byte offset {offset})"
        offset += length
        if len(record) < 16:
            sink.error(f"{where}: only {len(record)} bytes, too short for a caption", "skipped it", line=number)
            continue
        kind = record[1]
        start_tc = (record[2], record[3], record[4], record[5])
        end_tc = (record[6], record[7], record[8], record[9])
        if kind in (0x61, 0x62):
            has_end = True
        elif kind in (0x41, 0x42):
            has_end = False
        else:
            has_end = end_tc != UNSET_END
            sink.warn(f"{where}: unknown record type {kind:02X}", "told the layout by the end time", line=number)
        style = record[10:19] if has_end else record[10:15]
        justify, row, column = style[-3], style[-2], style[-1]
        text = record[19:] if has_end else record[15:]
        content, unknown = _decode(text)
        if unknown:
            sink.warn(f"{where}: unknown code(s) {', '.join(sorted(unknown))} in the text", "kept them as raw codes",
                      line=number)
        for tc, name in ((start_tc, "start"), (end_tc if has_end else None, "end")):
            if tc is not None and (tc[1] > 59 or tc[2] > 59 or tc[3] >= nominal):
                sink.warn(f"{where}: {name} time has a field out of range", "added the fields up", line=number)
        start = frames_to_ms(timecode_to_frames(*start_tc, nominal), rate)
        end = frames_to_ms(timecode_to_frames(*end_tc, nominal), rate) if has_end else None
        if end is not None and end < start:
            sink.error(f"{where}: the caption ends before it starts", "set its end to its start", line=number)
            end = start
        extra = {f"{NAME}.justify": str(justify), f"{NAME}.row": str(row), f"{NAME}.column": str(column)}
        if not has_end:
            extra[f"{NAME}.end"] = "unset"
        records.append((number, start, end, content, extra))
    if declared != len(records):
        sink.warn(f"header (byte offset 4): says {declared} captions, the file holds {len(records)}", "read them all",
                  line=0)
    cues: list[Cue] = []
    for index, (_number, start, end, content, extra) in enumerate(records):
        if end is None:
            following = records[index + 1][1] if index + 1 < len(records) else start + options.last_duration_ms
            end = max(following, start)
        placement = _placement(int(extra[f"{NAME}.justify"]), int(extra[f"{NAME}.row"]), int(extra[f"{NAME}.column"]))
        cues.append(Cue(start_ms=start, end_ms=end, content=content, placement=placement, extra=extra))
    return Document(cues=tuple(cues), frame_rate=rate, diagnostics=tuple(sink.items), source_format=NAME)


def _flush(chars: list[str], italic: bool, items: list[ContentItem]) -> None:
    if chars:
        items.append(Run("".join(chars), _ITALIC_STYLE if italic else PLAIN))
        chars.clear()


def _decode(text: bytes) -> tuple[tuple[ContentItem, ...], set[str]]:
    """Content of the text bytes, and the unknown codes met."""
    lines: list[list[ContentItem]] = []
    unknown: set[str] = set()
    for raw_line in text.split(b"\x00"):
        items: list[ContentItem] = []
        chars: list[str] = []
        italic = False
        for byte in raw_line:
            if byte in SPECIAL:
                chars.append(SPECIAL[byte])
            elif byte == ITALIC:
                _flush(chars, italic, items)
                italic = True
            elif byte < 0x20 or byte >= 0xC0:
                _flush(chars, italic, items)
                markup = f"{{{byte:02X}}}"
                unknown.add(markup)
                items.append(Raw(NAME, markup))
            else:
                chars.append(bytes([byte]).decode("cp1252", "replace"))
        _flush(chars, italic, items)
        if any(type(item) is Run for item in items):
            lines.append(items)
    content: list[ContentItem] = []
    for index, items in enumerate(lines):
        if index:
            content.append(LineBreak())
        content.extend(items)
    return tuple(content), unknown


#: More text bytes than a record can hold: encoding stops there (the record is cut anyway).
_ENOUGH = 256


def _encode_line(items: list[ContentItem]) -> tuple[bytes, list[str], bool]:
    """Bytes of one line, the characters it could not encode, and whether italics were approximated.

    Encoding stops past :data:`_ENOUGH` bytes: a record holds at most 235, so
    a multi-megabyte cue costs no more than a long line.
    """
    out = bytearray()
    bad: list[str] = []
    italic = False
    approximated = False
    for item in items:
        if type(item) is Raw:
            match = _RAW.fullmatch(item.markup) if item.format == NAME else None
            if match:
                out.append(int(match.group(1), 16))
            continue
        if type(item) is not Run or not item.text:
            continue
        if item.style.italic and not italic:
            out.append(ITALIC)
            italic = True
        elif italic and not item.style.italic:
            approximated = True  # CAP italics last to the end of the line
        if len(out) > _ENOUGH:
            break
        for char in item.text[:_ENOUGH]:
            code = _SPECIAL_CODES.get(char)
            if code is not None:
                out.append(code)
                continue
            try:
                encoded = char.encode("cp1252")
            except UnicodeEncodeError:
                encoded = b"?"
                bad.append(char)
            if encoded[0] < 0x20 or encoded[0] >= 0xC0 or encoded[0] in SPECIAL:
                encoded = b"?"
                bad.append(char)
            out += encoded
    return bytes(out), bad, approximated


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> bytes:
    """Serialise ``doc`` as a Cheetah CAP file.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    lowered = lower(doc, LOWERING, report, options=options, supported=FEATURES, raw_format=NAME)
    rate = parse_fps(options.fps) if options.fps is not None else (doc.frame_rate or _DEFAULT_RATE)
    nominal = Fraction(round(rate))
    records = bytearray()
    count = 0
    written = lowered.cues
    for position, (index, cue) in enumerate(written):
        lines: list[list[ContentItem]] = [[]]
        for item in cue.content:
            if type(item) is LineBreak:
                lines.append([])
            else:
                lines[-1].append(item)
        text = bytearray()
        written_lines = 0
        for items in lines:
            if len(text) > _ENOUGH:
                break  # the record is full: the rest is cut (reported below as text-length)
            encoded, bad, approximated = _encode_line(items)
            if bad:
                report.add("charset", f"characters outside Windows-1252 written as '?': {''.join(bad)[:20]}",
                           cue=index, count=len(bad))
            if approximated:
                report.add("italic", "italics run to the end of the line in CAP", cue=index)
            if not any(type(i) is Run and i.text for i in items):
                continue
            if written_lines:
                text += b"\x00" * 4
            text += encoded
            written_lines += 1
        extra = cue.extra
        justify, row, column = _style(cue, extra)
        following = written[position + 1][1].start_ms if position + 1 < len(written) else None
        unset = extra.get(f"{NAME}.end") == "unset" and following is not None and following == cue.end_ms
        header_size = 15 if unset else 19
        if len(text) + header_size + 1 > 255:
            report.add("text-length", "text longer than a CAP record holds (235 bytes) cut", cue=index)
            text = text[: 255 - header_size - 1]
        start = frames_to_timecode(max(ms_to_frames(cue.start_ms, rate), 0), nominal)
        end = frames_to_timecode(max(ms_to_frames(cue.end_ms, rate), 0), nominal)
        if max(start[0], end[0]) > 255:
            report.add("time-range", "times beyond 255 hours written as 255:59:59", cue=index)
            start, end = _clamp(start, nominal), _clamp(end, nominal)
        multi = 0x02 if written_lines > 1 else 0x01
        record = bytearray([0, (0x40 if unset else 0x60) | multi, *start])
        if unset:
            record += bytes([*UNSET_END, 0, 0, justify, row, column])
        else:
            record += bytes([*end, 0x12, 0x01, 0, 0, 0, 0, justify, row, column])
        record += text + b"\x00"
        record[0] = len(record)
        records += record
        count += 1
    header = bytearray(HEADER_SIZE)
    header[0:4] = bytes([0xEA, 0x22, 0x01, 0x00])
    header[4] = count & 0xFF
    header[5] = (count >> 8) & 0xFF
    header[6:10] = _HEADER_TAIL
    return bytes(header) + bytes(records)


def _clamp(tc: tuple[int, int, int, int], nominal: Fraction) -> tuple[int, int, int, int]:
    return tc if tc[0] <= 255 else (255, 59, 59, int(nominal) - 1)


def _style(cue: Cue, extra: Mapping[str, str]) -> tuple[int, int, int]:
    """Justification, row and column: as read when the placement still agrees, else from the alignment."""
    values = [extra.get(f"{NAME}.{key}", "") for key in ("justify", "row", "column")]
    if all(v.isascii() and v.isdigit() and int(v) <= 255 for v in values):
        justify, row, column = (int(v) for v in values)
        if _placement(justify, row, column) == cue.placement:
            return justify, row, column
    align = cue.placement.align or 2
    row = 1 if align >= 7 else (8 if align >= 4 else 0x0F)
    column = {0: 0x03, 1: 0x10, 2: 0x1E}[(align - 1) % 3]
    return 3, row, column
