"""ISO base media file format (ISO/IEC 14496-12) boxes for timed-text tracks, with :mod:`struct` only.

Three layers:

* a **box walker**: :func:`walk` yields the boxes of a byte range (32-bit,
  64-bit ``largesize`` and "to the end" sizes), :func:`full_box` splits the
  version and flags off a full box;
* a **box builder**: :func:`box` and :func:`full` assemble a box from its
  payload parts, :func:`init_segment` and :func:`fragment` build the init
  segment and one ``moof`` + ``mdat`` pair of a text track;
* a **track reader**: :func:`read_track` turns a fragmented (or a plain
  ``stbl``) file into a :class:`Track`: the sample entry, the media timescale
  and language, and every sample with its decode time and duration.

The track reader handles what real files do: the timescale comes from the
track's ``mdhd`` (never from ``mvhd``, whose timescale only serves the movie's
duration fields); sample durations, sizes and the description index fall back
from ``trun`` to ``tfhd`` to ``trex``; a fragment may carry several ``traf``
and a ``traf`` several ``trun``; data offsets are taken from the ``moof`` (or
the base data offset) as the flags say; and a media segment read without its
init segment is decoded with stated assumptions (see :func:`read_track`).

>>> payload = box(b"free", b"abc")
>>> [(b.type, b.payload(payload)) for b in walk(payload)]
[('free', b'abc')]
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

__all__ = [
    "Box",
    "Mp4Error",
    "Sample",
    "SampleEntry",
    "Track",
    "box",
    "find",
    "fragment",
    "full",
    "full_box",
    "init_segment",
    "iso639_2",
    "language_tag",
    "read_track",
    "sniff_codec",
    "walk",
]

_U32 = struct.Struct(">I")
_U64 = struct.Struct(">Q")
_HEADER = struct.Struct(">I4s")

#: Boxes whose payload is nothing but child boxes.
CONTAINERS = frozenset({"moov", "trak", "mdia", "minf", "stbl", "mvex", "moof", "traf", "dinf", "edts", "udta"})

#: ISO 639-1 codes and their ISO 639-2/T equivalents, for ``mdhd`` (which holds three letters) and back.
ISO639: dict[str, str] = {
    "ar": "ara", "bg": "bul", "ca": "cat", "cs": "ces", "cy": "cym", "da": "dan", "de": "deu", "el": "ell",
    "en": "eng", "es": "spa", "et": "est", "eu": "eus", "fa": "fas", "fi": "fin", "fr": "fra", "ga": "gle",
    "gl": "glg", "he": "heb", "hi": "hin", "hr": "hrv", "hu": "hun", "hy": "hye", "id": "ind", "is": "isl",
    "it": "ita", "ja": "jpn", "ka": "kat", "ko": "kor", "lt": "lit", "lv": "lav", "mk": "mkd", "ms": "msa",
    "mt": "mlt", "nb": "nob", "nl": "nld", "nn": "nno", "no": "nor", "pl": "pol", "pt": "por", "ro": "ron",
    "ru": "rus", "sk": "slk", "sl": "slv", "sq": "sqi", "sr": "srp", "sv": "swe", "sw": "swa", "ta": "tam",
    "th": "tha", "tr": "tur", "uk": "ukr", "ur": "urd", "vi": "vie", "zh": "zho",
}  # fmt: skip
_ISO639_BACK = {three: two for two, three in ISO639.items()}
# Bibliographic ISO 639-2/B codes some muxers still write.
_ISO639_BACK.update({"fre": "fr", "ger": "de", "dut": "nl", "chi": "zh", "cze": "cs", "gre": "el", "per": "fa",
                     "rum": "ro", "slo": "sk", "alb": "sq", "arm": "hy", "baq": "eu", "geo": "ka", "ice": "is",
                     "mac": "mk", "may": "ms", "wel": "cy"})


class Mp4Error(Exception):
    """A structural problem the reader cannot step over (turned into a ParseError by the formats)."""


@dataclass(frozen=True, slots=True)
class Box:
    """One box found by :func:`walk`.

    Attributes:
        type: the four-character type as text (``latin-1``).
        offset: where the box starts in the buffer.
        start: where its payload starts.
        end: where it ends.
    """

    type: str
    offset: int
    start: int
    end: int

    def payload(self, data: bytes) -> bytes:
        """The payload bytes (after the header)."""
        return data[self.start : self.end]


def walk(data: bytes, start: int = 0, end: int | None = None, *, problems: list[str] | None = None) -> Iterator[Box]:
    """The boxes laid end to end in ``data[start:end]``.

    A box whose size runs past the end is cut at the end (and reported in
    ``problems`` when given); fewer than 8 bytes left over end the walk.
    """
    stop = len(data) if end is None else end
    pos = start
    while pos + 8 <= stop:
        size, kind = _HEADER.unpack_from(data, pos)
        header = 8
        if size == 1:
            if pos + 16 > stop:
                break
            size = _U64.unpack_from(data, pos + 8)[0]
            header = 16
        elif size == 0:
            size = stop - pos
        name = kind.decode("latin-1")
        if size < header:
            if problems is not None:
                problems.append(f"box {name!r} at byte {pos} has an impossible size {size}")
            return
        box_end = pos + size
        if box_end > stop:
            if problems is not None:
                problems.append(f"box {name!r} at byte {pos} runs {box_end - stop} byte(s) past the end")
            box_end = stop
        yield Box(name, pos, pos + header, box_end)
        pos = box_end


def find(data: bytes, parent: Box | None, path: str) -> Box | None:
    """The first box along ``path`` (``"mdia/minf/stbl"``) below ``parent`` (``None``: top level)."""
    current = parent
    for name in path.split("/"):
        found = None
        for child in walk(data, current.start if current else 0, current.end if current else None):
            if child.type == name:
                found = child
                break
        if found is None:
            return None
        current = found
    return current


def full_box(data: bytes, item: Box) -> tuple[int, int, int]:
    """``(version, flags, payload start)`` of a full box.

    Raises:
        Mp4Error: the box is too short for its header.
    """
    if item.end - item.start < 4:
        raise Mp4Error(f"{item.type} box at byte {item.offset} is too short")
    word = _U32.unpack_from(data, item.start)[0]
    return word >> 24, word & 0xFFFFFF, item.start + 4


# -- builder -------------------------------------------------------------------


def box(kind: bytes, *parts: bytes) -> bytes:
    """A box of type ``kind`` whose payload is the concatenation of ``parts``."""
    payload = b"".join(parts)
    size = len(payload) + 8
    if size > 0xFFFFFFFF:
        return _U32.pack(1) + kind + _U64.pack(size + 8) + payload
    return _U32.pack(size) + kind + payload


def full(kind: bytes, version: int, flags: int, *parts: bytes) -> bytes:
    """A full box: ``version`` and 24-bit ``flags`` before the payload."""
    return box(kind, _U32.pack((version << 24) | (flags & 0xFFFFFF)), *parts)


def iso639_2(tag: str | None) -> str:
    """The three-letter ISO 639-2/T code ``mdhd`` holds for BCP 47 ``tag`` (``und`` when unknown)."""
    if not tag:
        return "und"
    primary = tag.split("-")[0].lower()
    if len(primary) == 3 and primary.isalpha() and primary.isascii():
        return primary
    return ISO639.get(primary, "und")


def language_tag(code: str) -> str | None:
    """The BCP 47 tag for an ``mdhd`` language code (``None`` for ``und``)."""
    if not code or code == "und" or not code.isalpha():
        return None
    return _ISO639_BACK.get(code, code)


def _packed_language(code: str) -> int:
    letters = (code + "und")[:3] if len(code) == 3 else "und"
    value = 0
    for char in letters:
        value = (value << 5) | ((ord(char) - 0x60) & 0x1F)
    return value


def _unpacked_language(value: int) -> str:
    chars = [((value >> shift) & 0x1F) + 0x60 for shift in (10, 5, 0)]
    if any(not 0x61 <= c <= 0x7A for c in chars):
        return "und"
    return "".join(map(chr, chars))


_MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)


def init_segment(
    *,
    sample_entry: bytes,
    handler: bytes,
    timescale: int,
    language: str | None,
    duration: int = 0,
    track_id: int = 1,
    handler_name: str = "subkit",
    brands: tuple[bytes, ...] = (b"iso6", b"cmfc", b"dash"),
) -> bytes:
    """``ftyp`` + ``moov`` of a fragmented file with one text track.

    Args:
        sample_entry: the whole ``wvtt`` or ``stpp`` sample entry box.
        handler: ``b"text"`` (WebVTT) or ``b"subt"`` (TTML).
        timescale: ticks per second of the media timeline (``mdhd``).
        language: BCP 47 tag; ``mdhd`` gets its ISO 639-2 code, ``elng`` the tag itself.
        duration: the track duration in ``timescale`` ticks (0: unknown, as fragmented files allow).
        track_id: the track's ID.
        handler_name: the ``hdlr`` name.
        brands: the major brand then the compatible brands.
    """
    ftyp = box(b"ftyp", brands[0], _U32.pack(0), *brands)
    mvhd = full(b"mvhd", 1, 0, _U64.pack(0), _U64.pack(0), _U32.pack(timescale), _U64.pack(duration),
                struct.pack(">IH10x", 0x10000, 0x100), _MATRIX, bytes(24), _U32.pack(track_id + 1))
    tkhd = full(b"tkhd", 1, 0x3, _U64.pack(0), _U64.pack(0), _U32.pack(track_id), bytes(4), _U64.pack(duration),
                bytes(8), struct.pack(">hhH2x", 0, 0, 0), _MATRIX, _U32.pack(0), _U32.pack(0))
    code = iso639_2(language)
    mdhd = full(b"mdhd", 1, 0, _U64.pack(0), _U64.pack(0), _U32.pack(timescale), _U64.pack(duration),
                struct.pack(">HH", _packed_language(code), 0))
    parts = [mdhd]
    if language and language != code:
        parts.append(full(b"elng", 0, 0, language.encode("ascii", "replace") + b"\0"))
    parts.append(full(b"hdlr", 0, 0, bytes(4), handler, bytes(12), handler_name.encode("utf-8") + b"\0"))
    media_header = full(b"nmhd", 0, 0) if handler == b"text" else full(b"sthd", 0, 0)
    dinf = box(b"dinf", full(b"dref", 0, 0, _U32.pack(1), full(b"url ", 0, 1)))
    stbl = box(
        b"stbl",
        full(b"stsd", 0, 0, _U32.pack(1), sample_entry),
        full(b"stts", 0, 0, _U32.pack(0)),
        full(b"stsc", 0, 0, _U32.pack(0)),
        full(b"stsz", 0, 0, _U32.pack(0), _U32.pack(0)),
        full(b"stco", 0, 0, _U32.pack(0)),
    )
    parts.append(box(b"minf", media_header, dinf, stbl))
    trak = box(b"trak", tkhd, box(b"mdia", *parts))
    # Text samples are all sync samples: sample_depends_on = 2 (depends on no other sample).
    trex = full(b"trex", 0, 0, struct.pack(">5I", track_id, 1, 0, 0, 0x02000000))
    moov = box(b"moov", mvhd, trak, box(b"mvex", trex))
    return ftyp + moov


def fragment(
    samples: list[tuple[int, bytes]],
    *,
    sequence: int,
    decode_time: int,
    track_id: int = 1,
    segment_type: bool = False,
) -> bytes:
    """One ``moof`` + ``mdat`` holding ``samples`` (``(duration, data)`` pairs) from ``decode_time``.

    With ``segment_type`` a ``styp`` comes first, making a DASH/CMAF media segment.
    """
    count = len(samples)
    # tfhd: default-base-is-moof; trun: data offset, per-sample duration and size.
    tfhd = full(b"tfhd", 0, 0x020000, _U32.pack(track_id))
    tfdt = full(b"tfdt", 1, 0, _U64.pack(decode_time))
    entries = b"".join(struct.pack(">II", duration, len(data)) for duration, data in samples)
    trun_size = 12 + 8 + 8 * count
    moof_size = 8 + 16 + 8 + len(tfhd) + len(tfdt) + trun_size
    trun = full(b"trun", 0, 0x000301, struct.pack(">Ii", count, moof_size + 8), entries)
    moof = box(b"moof", full(b"mfhd", 0, 0, _U32.pack(sequence)), box(b"traf", tfhd, tfdt, trun))
    assert len(moof) == moof_size
    head = box(b"styp", b"msdh", _U32.pack(0), b"msdh", b"msix", b"cmfs") if segment_type else b""
    return head + moof + box(b"mdat", *(data for _, data in samples))


# -- reader --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SampleEntry:
    """A text sample entry (``stsd`` child).

    Attributes:
        codec: ``wvtt``, ``stpp`` or another four-character code.
        boxes: the child boxes' payloads by type (``vttC``, ``vlab``, ``mime``...).
        namespace, schema_location, mime_types: the three strings of an ``stpp`` entry.
    """

    codec: str
    boxes: dict[str, bytes] = field(default_factory=dict)
    namespace: str = ""
    schema_location: str = ""
    mime_types: str = ""


@dataclass(frozen=True, slots=True)
class Sample:
    """One sample: decode time and duration in media ticks, its bytes, its entry index (1-based)."""

    time: int
    duration: int
    data: bytes
    entry: int = 1


@dataclass(slots=True)
class Track:
    """What :func:`read_track` found.

    Attributes:
        track_id: the track read.
        timescale: ticks per second (from ``mdhd``).
        language: BCP 47 tag (``elng``, else ``mdhd``), or ``None``.
        handler: the ``hdlr`` type.
        entries: the sample entries, 1-based as samples refer to them.
        samples: in decode order.
        problems: what was repaired or assumed, as sentences.
        has_init: whether a ``moov`` was present.
    """

    track_id: int | None = None
    timescale: int = 0
    language: str | None = None
    handler: str | None = None
    entries: list[SampleEntry] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    has_init: bool = False


@dataclass(slots=True)
class _Defaults:
    entry: int = 1
    duration: int = 0
    size: int = 0


def _cstrings(data: bytes, pos: int, count: int) -> tuple[list[str], int]:
    out: list[str] = []
    for _ in range(count):
        end = data.find(b"\0", pos)
        if end < 0:
            out.append(data[pos:].decode("utf-8", "replace"))
            pos = len(data)
            continue
        out.append(data[pos:end].decode("utf-8", "replace"))
        pos = end + 1
    return out, pos


def _sample_entry(data: bytes, item: Box) -> SampleEntry:
    # SampleEntry: 6 reserved bytes and a data_reference_index before the format's own fields.
    pos = item.start + 8
    codec = item.type
    strings = ["", "", ""]
    if codec == "stpp":
        strings, pos = _cstrings(data, pos, 3)
        pos = min(pos, item.end)
    boxes: dict[str, bytes] = {}
    for child in walk(data, pos, item.end):
        boxes.setdefault(child.type, child.payload(data))
    return SampleEntry(codec, boxes, *strings)


def _read_moov(data: bytes, moov: Box, track: Track, wanted: Callable[[str], bool],
               defaults: dict[int, _Defaults]) -> None:
    for trak in walk(data, moov.start, moov.end):
        if trak.type != "trak":
            continue
        hdlr = find(data, trak, "mdia/hdlr")
        handler = data[hdlr.start + 8 : hdlr.start + 12].decode("latin-1") if hdlr else ""
        stsd = find(data, trak, "mdia/minf/stbl/stsd")
        entries: list[SampleEntry] = []
        if stsd is not None:
            _, _, pos = full_box(data, stsd)
            entries = [_sample_entry(data, child) for child in walk(data, pos + 4, stsd.end)]
        if not entries or not wanted(entries[0].codec):
            continue
        tkhd = find(data, trak, "tkhd")
        if tkhd is not None:
            version, _, pos = full_box(data, tkhd)
            track.track_id = _U32.unpack_from(data, pos + (16 if version == 1 else 8))[0]
        mdhd = find(data, trak, "mdia/mdhd")
        if mdhd is None:
            raise Mp4Error("the text track has no mdhd box")
        version, _, pos = full_box(data, mdhd)
        pos += 16 if version == 1 else 8
        track.timescale = _U32.unpack_from(data, pos)[0]
        pos += 4 + (8 if version == 1 else 4)
        track.language = language_tag(_unpacked_language(struct.unpack_from(">H", data, pos)[0]))
        elng = find(data, trak, "mdia/elng")
        if elng is not None:
            tag = data[elng.start + 4 : elng.end].split(b"\0")[0].decode("ascii", "replace")
            track.language = tag or track.language
        track.handler = handler
        track.entries = entries
        track.has_init = True
        stbl = find(data, trak, "mdia/minf/stbl")
        if stbl is not None:
            _read_stbl(data, stbl, track)
        mvex = find(data, moov, "mvex")
        if mvex is not None:
            for trex in walk(data, mvex.start, mvex.end):
                if trex.type == "trex":
                    _, _, pos = full_box(data, trex)
                    tid, entry, duration, size = struct.unpack_from(">4I", data, pos)
                    defaults[tid] = _Defaults(entry, duration, size)
        return
    raise Mp4Error("no WebVTT or TTML track in the movie box")


def _table(data: bytes, item: Box | None, fmt: str) -> list[tuple[int, ...]]:
    if item is None:
        return []
    _, _, pos = full_box(data, item)
    count = _U32.unpack_from(data, pos)[0]
    row = struct.Struct(">" + fmt)
    count = min(count, (item.end - pos - 4) // row.size)
    return list(row.iter_unpack(data[pos + 4 : pos + 4 + count * row.size]))


def _read_stbl(data: bytes, stbl: Box, track: Track) -> None:
    """Samples of a non-fragmented track (``stts``, ``stsz``, ``stsc``, ``stco``/``co64``)."""
    stts = _table(data, find(data, stbl, "stts"), "II")
    stsz_box = find(data, stbl, "stsz")
    if not stts or stsz_box is None:
        return
    _, _, pos = full_box(data, stsz_box)
    fixed, count = struct.unpack_from(">II", data, pos)
    if fixed:
        sizes = [fixed] * count
    else:
        count = min(count, (stsz_box.end - pos - 8) // 4)
        sizes = list(struct.unpack_from(f">{count}I", data, pos + 8))
    stsc = _table(data, find(data, stbl, "stsc"), "III")
    co64 = find(data, stbl, "co64")
    offsets = [o[0] for o in (_table(data, co64, "Q") if co64 else _table(data, find(data, stbl, "stco"), "I"))]
    durations = [delta for n, delta in stts for _ in range(n)]
    index = 0
    time = 0
    for chunk_number, offset in enumerate(offsets, start=1):
        per_chunk, entry = 0, 1
        for first, samples, description in stsc:
            if first <= chunk_number:
                per_chunk, entry = samples, description
        for _ in range(per_chunk):
            if index >= len(sizes) or index >= len(durations):
                return
            size = sizes[index]
            track.samples.append(Sample(time, durations[index], data[offset : offset + size], entry))
            time += durations[index]
            offset += size
            index += 1


def _read_traf(data: bytes, moof: Box, traf: Box, track: Track, defaults: dict[int, _Defaults],
               next_time: dict[int, int]) -> None:
    children = list(walk(data, traf.start, traf.end))
    tfhd = next((child for child in children if child.type == "tfhd"), None)
    if tfhd is None:
        track.problems.append(f"traf at byte {traf.offset} has no tfhd; skipped")
        return
    _, flags, pos = full_box(data, tfhd)
    tid = _U32.unpack_from(data, pos)[0]
    pos += 4
    if track.track_id is None:
        track.track_id = tid
    if tid != track.track_id:
        return
    base = defaults.get(tid, _Defaults())
    base_offset = moof.offset
    if flags & 0x000001:
        base_offset = _U64.unpack_from(data, pos)[0]
        pos += 8
    entry, duration, size = base.entry, base.duration, base.size
    if flags & 0x000002:
        entry = _U32.unpack_from(data, pos)[0]
        pos += 4
    if flags & 0x000008:
        duration = _U32.unpack_from(data, pos)[0]
        pos += 4
    if flags & 0x000010:
        size = _U32.unpack_from(data, pos)[0]
        pos += 4
    time = next_time.get(tid)
    tfdt = next((child for child in children if child.type == "tfdt"), None)
    if tfdt is not None:
        version, _, tpos = full_box(data, tfdt)
        time = _U64.unpack_from(data, tpos)[0] if version == 1 else _U32.unpack_from(data, tpos)[0]
    if time is None:
        time = 0
        track.problems.append(f"fragment at byte {moof.offset} has no tfdt; assumed to start at 0")
    # Without a base data offset or default-base-is-moof, the first trun's data follows the previous
    # traf's data (ISO/IEC 14496-12 8.8.7.1); moof's start serves for the first one.
    data_end: int | None = None
    for trun in children:
        if trun.type != "trun":
            continue
        _, tflags, tpos = full_box(data, trun)
        count = _U32.unpack_from(data, tpos)[0]
        tpos += 4
        offset = data_end if data_end is not None and not tflags & 0x000001 else base_offset
        if tflags & 0x000001:
            offset = base_offset + struct.unpack_from(">i", data, tpos)[0]
            tpos += 4
        if tflags & 0x000004:
            tpos += 4
        fields = [(0x000100, "duration"), (0x000200, "size"), (0x000400, "flags"), (0x000800, "cto")]
        present = [name for bit, name in fields if tflags & bit]
        row = 4 * len(present)
        if tpos + row * count > trun.end:
            track.problems.append(f"trun at byte {trun.offset} lists more samples than it holds; cut short")
            count = (trun.end - tpos) // row if row else count
        if not row:
            # Samples with no row of their own take the defaults: as many as the data can hold (empty ones
            # at most _MAX_EMPTY_SAMPLES), so that a damaged count cannot make billions of them.
            most = (len(data) - offset) // size if size else _MAX_EMPTY_SAMPLES
            if count > max(most, 0):
                track.problems.append(f"trun at byte {trun.offset} lists {count} samples the data cannot hold; "
                                      f"read {max(most, 0)}")
                count = max(most, 0)
        for _ in range(count):
            values = dict(zip(present, struct.unpack_from(f">{len(present)}I", data, tpos), strict=True))
            tpos += row
            sample_duration = values.get("duration", duration)
            sample_size = values.get("size", size)
            chunk = data[offset : offset + sample_size]
            if len(chunk) < sample_size:
                track.problems.append(f"sample at byte {offset} is cut short ({len(chunk)} of {sample_size} bytes)")
            track.samples.append(Sample(time, sample_duration, chunk, entry))
            time += sample_duration
            offset += sample_size
        data_end = offset
    next_time[tid] = time


#: The most samples without data one ``trun`` may make (a damaged sample count is not believed past it).
_MAX_EMPTY_SAMPLES = 100_000


def read_track(data: bytes, wanted: Callable[[str], bool], *, assume_codec: str,
               assume_timescale: int = 1000) -> Track:
    """Read the first text track whose sample-entry codec ``wanted`` accepts.

    A lone media segment (``moof`` without ``moov``) is read as track
    ``assume_codec`` with ``assume_timescale`` ticks per second (what CMAF text
    tracks normally use) and a problem saying so: its cue times are only right
    if the real init segment agrees.

    Raises:
        Mp4Error: no moov and no moof, or no track of the wanted kind.
    """
    track = Track()
    problems: list[str] = []
    top = list(walk(data, problems=problems))
    track.problems.extend(problems)
    defaults: dict[int, _Defaults] = {}
    moov = next((item for item in top if item.type == "moov"), None)
    if moov is not None:
        _read_moov(data, moov, track, wanted, defaults)
    moofs = [item for item in top if item.type == "moof"]
    if moov is None:
        if not moofs:
            raise Mp4Error("neither a movie box (moov) nor a movie fragment (moof) found")
        track.timescale = assume_timescale
        track.entries = [SampleEntry(assume_codec)]
        track.problems.append(
            f"no init segment (moov): read as {assume_codec} with a timescale of {assume_timescale} "
            f"per second; times are wrong if the track's real timescale differs"
        )
    if track.timescale <= 0:
        raise Mp4Error("the text track's mdhd gives a timescale of 0")
    next_time: dict[int, int] = {}
    for moof in moofs:
        for traf in walk(data, moof.start, moof.end):
            if traf.type == "traf":
                _read_traf(data, moof, traf, track, defaults, next_time)
    return track


def sniff_codec(head: bytes) -> str | None:
    """``wvtt``/``stpp`` when the head of a file looks like an ISO BMFF file with such a track.

    The head may be cut anywhere; the top-level box types and the sample
    entry code are recognised without reading the whole file.
    """
    if len(head) < 8 or head[4:8] not in (b"ftyp", b"styp", b"moov", b"moof", b"sidx", b"free", b"emsg"):
        return None
    if b"wvtt" in head and (b"vttC" in head or b"vttc" in head or b"vtte" in head):
        return "wvtt"
    if b"stpp" in head:
        return "stpp"
    # A lone media segment: look at the first sample's bytes.
    if b"moof" in head and b"mdat" in head:
        rest = head[head.find(b"mdat") + 4 :]
        if rest[4:8] in (b"vttc", b"vtte"):
            return "wvtt"
        if b"<tt" in rest[:512] or b"<?xml" in rest[:64]:
            return "stpp"
    return None
