"""HLS delivery of subtitles: numbered WebVTT segments and their ``.m3u8`` media playlist.

The timeline is cut into segments of ``seconds`` each, the last one shorter.
Every segment is a complete WebVTT file with an ``X-TIMESTAMP-MAP`` header
(RFC 8216 §3.5) mapping its cue times to the MPEG-2 timestamps of the video;
cue times stay absolute, so a cue that spans a boundary is written, with the
same times, in every segment it overlaps (players drop the repeats). The
playlist follows RFC 8216 §4: ``#EXTM3U``, ``#EXT-X-TARGETDURATION`` (the
longest segment rounded up to whole seconds), ``#EXT-X-VERSION:3`` (decimal
``#EXTINF``), ``#EXT-X-MEDIA-SEQUENCE``, ``#EXT-X-PLAYLIST-TYPE:VOD``, one
``#EXTINF`` and URI per segment, and ``#EXT-X-ENDLIST``.

File names follow webvtt-py's segmenter (``fileSequence0.webvtt`` ...,
``prog_index.m3u8``), so either tool's output can replace the other's.

>>> import subkit
>>> doc = subkit.loads("1\\n00:00:05,000 --> 00:00:07,000\\nHi\\n")
>>> parts = segment(doc, seconds=6)
>>> [(p.name, len(p.document.cues)) for p in parts]
[('fileSequence0.webvtt', 1), ('fileSequence1.webvtt', 1)]
>>> print(playlist(parts), end="")
#EXTM3U
#EXT-X-TARGETDURATION:6
#EXT-X-VERSION:3
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-PLAYLIST-TYPE:VOD
#EXTINF:6.000,
fileSequence0.webvtt
#EXTINF:1.000,
fileSequence1.webvtt
#EXT-X-ENDLIST
"""

from __future__ import annotations

import contextlib
import math
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from subkit.errors import OperationError, SubkitIOError
from subkit.model import Cue, Document, LossReport
from subkit.timing import format_vtt, round_half_up

__all__ = [
    "DEFAULT_MPEGTS",
    "PLAYLIST_NAME",
    "SEGMENT_NAME",
    "Segment",
    "playlist",
    "segment",
    "segment_text",
    "write_hls",
]

#: The MPEG-2 timestamp of the video's first frame: 10 s at 90 kHz, the usual
#: value of HLS encoders (and webvtt-py's default).
DEFAULT_MPEGTS = 900000
#: The largest 33-bit MPEG-2 timestamp.
MAX_MPEGTS = 2**33 - 1
#: Segment file names; ``{index}`` counts from 0.
SEGMENT_NAME = "fileSequence{index}.webvtt"
#: The playlist's file name.
PLAYLIST_NAME = "prog_index.m3u8"


@dataclass(frozen=True, slots=True)
class Segment:
    """One HLS segment.

    Attributes:
        index: 0-based position in the playlist.
        start_ms, end_ms: the span of the timeline it covers.
        name: its file name (the URI in the playlist).
        document: the cues shown during the span (with the source's styles
            and regions) and the ``X-TIMESTAMP-MAP`` header.
    """

    index: int
    start_ms: int
    end_ms: int
    name: str
    document: Document

    @property
    def duration_ms(self) -> int:
        """``end_ms - start_ms``."""
        return self.end_ms - self.start_ms


def _milliseconds(seconds: float | str | Fraction) -> int:
    try:
        value = Fraction(str(seconds)) if not isinstance(seconds, Fraction) else seconds
    except (ValueError, ZeroDivisionError):
        raise OperationError(f"not a number of seconds: {seconds!r}") from None
    ms = round_half_up(value * 1000)
    if ms < 1000:
        raise OperationError(f"segments must last at least one second, got {seconds!r}")
    return ms


def segment(
    doc: Document,
    seconds: float | str | Fraction = 6,
    *,
    mpegts: int = DEFAULT_MPEGTS,
    duration_ms: int | None = None,
    name: str = SEGMENT_NAME,
) -> list[Segment]:
    """Cut ``doc`` into HLS segments of ``seconds`` each.

    Args:
        doc: any document (cues are sorted by time; comment cues and notes are left out).
        seconds: segment length, at least 1 (fractions allowed).
        mpegts: the MPEG-2 timestamp (90 kHz) of media time zero, for ``X-TIMESTAMP-MAP``.
        duration_ms: the length of the video; default: where the last cue ends.
            Segments cover the whole of it, empty ones included.
        name: the file-name pattern, with ``{index}``.

    Returns:
        The segments, at least one.

    Raises:
        OperationError: bad ``seconds``, ``mpegts``, ``duration_ms`` or ``name``.
    """
    length = _milliseconds(seconds)
    if isinstance(mpegts, bool) or not isinstance(mpegts, int) or not 0 <= mpegts <= MAX_MPEGTS:
        raise OperationError(f"MPEG-TS value must be 0 to 2**33-1, got {mpegts!r}")
    if "{index" not in name:
        raise OperationError(f"the segment name pattern needs {{index}}: {name!r}")
    cues = sorted((c for c in doc.cues if not c.comment), key=lambda c: (c.start_ms, c.end_ms))
    end = max((c.end_ms for c in cues), default=0)
    if duration_ms is not None:
        if duration_ms <= 0:
            raise OperationError(f"duration must be positive, got {duration_ms!r}")
        end = max(end, duration_ms)
    count = max(math.ceil(end / length), 1)
    # Cue times stay absolute; LOCAL:00:00:00.000 maps media time zero to ``mpegts``.
    header = {"webvtt.header": f"\nX-TIMESTAMP-MAP=MPEGTS:{mpegts},LOCAL:{format_vtt(0)}"}
    base = doc.replace(notes=(), header=header, diagnostics=(), cues=())
    buckets: list[list[Cue]] = [[] for _ in range(count)]
    for cue in cues:
        # A cue goes into every segment it is shown in; a zero-length one into the segment of its time.
        first = min(cue.start_ms // length, count - 1)
        last = first if cue.end_ms <= cue.start_ms else min((cue.end_ms - 1) // length, count - 1)
        for index in range(max(first, 0), last + 1):
            buckets[index].append(cue)
    total = end if end > 0 else length
    segments: list[Segment] = []
    for index, shown in enumerate(buckets):
        start, stop = index * length, min((index + 1) * length, total)
        try:
            file_name = name.format(index=index)
        except (KeyError, IndexError, ValueError) as exc:
            raise OperationError(f"bad segment name pattern {name!r}: {exc}") from None
        segments.append(Segment(index, start, stop, file_name, base.replace(cues=tuple(shown))))
    return segments


def segment_text(part: Segment, report: LossReport | None = None) -> str:
    """The WebVTT text of a segment (what the WebVTT writer cannot express goes to ``report``)."""
    from subkit.formats import webvtt

    result = webvtt.write(part.document, options=webvtt.WriteOptions(),
                          report=report if report is not None else LossReport("webvtt"))
    assert isinstance(result, str)
    return result


def playlist(segments: list[Segment], *, media_sequence: int = 0) -> str:
    """The media playlist (``.m3u8``) listing ``segments``.

    Raises:
        OperationError: no segments or a negative media sequence number.
    """
    if not segments:
        raise OperationError("a playlist needs at least one segment")
    if media_sequence < 0:
        raise OperationError("the media sequence number cannot be negative")
    # EXTINF durations rounded to the nearest integer must not exceed the target
    # duration (RFC 8216 §4.3.3.1); the ceiling of the longest one satisfies that.
    target = max(math.ceil(s.duration_ms / 1000) for s in segments)
    lines = [
        "#EXTM3U",
        f"#EXT-X-TARGETDURATION:{target}",
        "#EXT-X-VERSION:3",
        f"#EXT-X-MEDIA-SEQUENCE:{media_sequence}",
        "#EXT-X-PLAYLIST-TYPE:VOD",
    ]
    for part in segments:
        lines.append(f"#EXTINF:{part.duration_ms / 1000:.3f},")
        lines.append(part.name)
    lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def write_hls(
    doc: Document,
    out_dir: str | os.PathLike[str],
    seconds: float | str | Fraction = 6,
    *,
    mpegts: int = DEFAULT_MPEGTS,
    duration_ms: int | None = None,
    media_sequence: int = 0,
    name: str = SEGMENT_NAME,
    playlist_name: str = PLAYLIST_NAME,
    report: LossReport | None = None,
) -> tuple[Path, list[Segment]]:
    """Write the segments and the playlist into ``out_dir`` (created if missing).

    Every file is built before any is written, so a failure leaves the folder
    as it was; each file is written atomically.

    Returns:
        The playlist's path and the segments.

    Raises:
        OperationError: bad arguments.
        SubkitIOError: the folder or a file cannot be written.
    """
    from subkit import _io

    parts = segment(doc, seconds, mpegts=mpegts, duration_ms=duration_ms, name=name)
    texts = [(part.name, segment_text(part, report)) for part in parts]
    index = playlist(parts, media_sequence=media_sequence)
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SubkitIOError(f"{folder}: cannot create the folder: {exc.strerror or exc}", path=str(folder)) from None
    target = folder / playlist_name
    previous = _listed_segments(target)
    for file_name, text in texts:
        _io.write_bytes(str(folder / file_name), text.encode("utf-8"))
    _io.write_bytes(str(target), index.encode("utf-8"))
    # Segments of an earlier run into this folder that the new playlist does not
    # list would be served stale: remove them (only names the old playlist listed).
    for stale in sorted(previous - {file_name for file_name, _ in texts}):
        with contextlib.suppress(OSError):
            (folder / stale).unlink()
    return target, parts


def _listed_segments(playlist_path: Path) -> set[str]:
    """The segment file names an existing playlist lists (plain names in its folder only)."""
    try:
        text = playlist_path.read_text("utf-8", errors="replace")
    except OSError:
        return set()
    if not text.startswith("#EXTM3U"):
        return set()
    names = set()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "/" not in line and "\\" not in line and line not in (".", ".."):
            names.add(line)
    return names
