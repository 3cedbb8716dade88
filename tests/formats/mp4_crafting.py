"""Hand-built ISO BMFF files for the mp4_wvtt / mp4_stpp trap tests, made with subkit's own box builder.

Each helper spells out the boxes a trap needs (two timescales, ``trex``
defaults, several ``traf``/``trun``, base data offsets...) instead of going
through the writer, which never produces them.
"""

from __future__ import annotations

import struct

from subkit.formats._mp4 import box, full

U32 = struct.Struct(">I")
U64 = struct.Struct(">Q")


def vttc(text: str, *, ident: str = "", settings: str = "") -> bytes:
    """A ``vttc`` box."""
    parts = []
    if ident:
        parts.append(box(b"iden", ident.encode()))
    if settings:
        parts.append(box(b"sttg", settings.encode()))
    parts.append(box(b"payl", text.encode()))
    return box(b"vttc", *parts)


VTTE = box(b"vtte")


def wvtt_entry(header: str = "WEBVTT", label: str | None = None) -> bytes:
    """A ``wvtt`` sample entry."""
    extra = [box(b"vlab", label.encode())] if label else []
    return box(b"wvtt", bytes(6), b"\x00\x01", box(b"vttC", header.encode()), *extra)


def stpp_entry() -> bytes:
    """An ``stpp`` sample entry."""
    return box(b"stpp", bytes(6), b"\x00\x01", b"http://www.w3.org/ns/ttml\0", b"\0", b"\0")


def init(entry: bytes, *, handler: bytes = b"text", mvhd_timescale: int = 1000, mdhd_timescale: int = 1000,
         track_id: int = 1, trex: tuple[int, int, int] = (1, 0, 0), language: str = "eng",
         mdhd_version: int = 0) -> bytes:
    """``ftyp`` + ``moov`` with the movie and media timescales and the ``trex`` defaults
    ``(description index, duration, size)`` chosen freely."""
    ftyp = box(b"ftyp", b"iso6", U32.pack(0), b"iso6", b"cmfc")
    mvhd = full(b"mvhd", 0, 0, bytes(8), U32.pack(mvhd_timescale), U32.pack(0), bytes(80), U32.pack(track_id + 1))
    tkhd = full(b"tkhd", 0, 3, bytes(8), U32.pack(track_id), bytes(4), U32.pack(0), bytes(60))
    packed = 0
    for char in language:
        packed = (packed << 5) | (ord(char) - 0x60)
    if mdhd_version == 1:
        mdhd = full(b"mdhd", 1, 0, bytes(16), U32.pack(mdhd_timescale), U64.pack(0), struct.pack(">HH", packed, 0))
    else:
        mdhd = full(b"mdhd", 0, 0, bytes(8), U32.pack(mdhd_timescale), U32.pack(0), struct.pack(">HH", packed, 0))
    hdlr = full(b"hdlr", 0, 0, bytes(4), handler, bytes(12), b"crafted\0")
    stbl = box(b"stbl", full(b"stsd", 0, 0, U32.pack(1), entry), full(b"stts", 0, 0, U32.pack(0)),
               full(b"stsc", 0, 0, U32.pack(0)), full(b"stsz", 0, 0, U32.pack(0), U32.pack(0)),
               full(b"stco", 0, 0, U32.pack(0)))
    minf = box(b"minf", full(b"nmhd", 0, 0), stbl)
    trak = box(b"trak", tkhd, box(b"mdia", mdhd, hdlr, minf))
    mvex = box(b"mvex", full(b"trex", 0, 0, struct.pack(">5I", track_id, *trex, 0)))
    return ftyp + box(b"moov", mvhd, trak, mvex)


def trun(samples: list[tuple[int | None, int | None]], *, data_offset: int | None) -> bytes:
    """A ``trun`` with per-sample ``(duration, size)`` where given (all samples alike)."""
    flags = 0
    if data_offset is not None:
        flags |= 0x1
    has_duration = samples and samples[0][0] is not None
    has_size = samples and samples[0][1] is not None
    flags |= 0x100 if has_duration else 0
    flags |= 0x200 if has_size else 0
    body = U32.pack(len(samples))
    if data_offset is not None:
        body += struct.pack(">i", data_offset)
    for duration, size in samples:
        if has_duration:
            body += U32.pack(duration or 0)
        if has_size:
            body += U32.pack(size or 0)
    return full(b"trun", 0, flags, body)


def traf(track_id: int, truns: list[bytes], *, decode_time: int | None, tfhd_flags: int = 0x020000,
         tfhd_fields: bytes = b"") -> bytes:
    """A ``traf``: ``tfhd`` (flags and optional fields as given), ``tfdt`` (version 1), then the ``trun``s."""
    parts = [full(b"tfhd", 0, tfhd_flags, U32.pack(track_id), tfhd_fields)]
    if decode_time is not None:
        parts.append(full(b"tfdt", 1, 0, U64.pack(decode_time)))
    return box(b"traf", *parts, *truns)


def moof(sequence: int, trafs: list[bytes]) -> bytes:
    """A ``moof`` with ``mfhd``."""
    return box(b"moof", full(b"mfhd", 0, 0, U32.pack(sequence)), *trafs)


def fragment(samples: list[tuple[int, bytes]], *, decode_time: int, sequence: int = 1, track_id: int = 1) -> bytes:
    """A plain one-traf, one-trun ``moof`` + ``mdat`` (offsets from the moof), for quick files."""
    def build(offset: int) -> bytes:
        run = trun([(d, len(b)) for d, b in samples], data_offset=offset)
        return moof(sequence, [traf(track_id, [run], decode_time=decode_time)])

    head = build(0)
    head = build(len(head) + 8)
    return head + box(b"mdat", *(b for _, b in samples))
