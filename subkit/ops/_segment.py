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

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from subkit import formats
from subkit.errors import OperationError
from subkit.model import Cue, Document, LossReport
from subkit.timing import format_vtt, round_half_up

if TYPE_CHECKING:
    from subkit.ops._manifests import TrackInfo

__all__ = [
    "DEFAULT_MPEGTS",
    "FMP4_SEGMENT_NAME",
    "PLAYLIST_NAME",
    "SEGMENT_NAME",
    "Package",
    "PackageFile",
    "Segment",
    "join_tracks",
    "package",
    "playlist",
    "segment",
    "segment_text",
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


# -- CMAF / fragmented MP4 packaging -------------------------------------------

#: Media segment names of the fragmented-MP4 container; ``{index}`` counts from 0.
FMP4_SEGMENT_NAME = "fileSequence{index}.m4s"
#: The init segment's file name.
INIT_NAME = "init.mp4"
#: The HLS master playlist's file name.
MASTER_NAME = "master.m3u8"
#: The DASH manifest's file name.
MPD_NAME = "manifest.mpd"
#: Container, codec and manifest values :func:`package` takes.
CONTAINERS = ("ts-webvtt", "fmp4")
CODECS = ("wvtt", "stpp")
MANIFESTS = ("hls", "dash", "both")


@dataclass(frozen=True, slots=True)
class PackageFile:
    """One file of a package: its name (relative to the output folder) and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Package:
    """Everything :func:`package` built, in memory; the caller writes the files.

    Attributes:
        files: init segment, media segments, then the manifests, in writing order.
        segments: each media segment's index, span and file name (``Segment.document``
            holds the cues shown during it).
        codecs: the track's ``CODECS`` value (``wvtt``, ``stpp.ttml.im1t``; ``wvtt`` for ts-webvtt).
        playlist: the HLS media playlist's name, if written.
        master: the HLS master playlist's name, if written.
        mpd: the DASH manifest's name, if written.
        track: what the manifests say about the track, for :func:`join_tracks` (``codecs`` is empty for
            ts-webvtt: WebVTT files have no ``CODECS`` identifier).
        segment_name: the segment file-name pattern (with ``{index}``).
    """

    files: tuple[PackageFile, ...]
    segments: tuple[Segment, ...]
    codecs: str
    playlist: str | None = None
    master: str | None = None
    mpd: str | None = None
    track: TrackInfo | None = None
    segment_name: str = SEGMENT_NAME


def package(
    doc: Document,
    seconds: float | str | Fraction = 6,
    *,
    container: str = "ts-webvtt",
    codec: str = "wvtt",
    manifest: str = "hls",
    language: str | None = None,
    timescale: int = 1000,
    duration_ms: int | None = None,
    mpegts: int = DEFAULT_MPEGTS,
    media_sequence: int = 0,
    name: str | None = None,
    init_name: str = INIT_NAME,
    playlist_name: str = PLAYLIST_NAME,
    master_name: str = MASTER_NAME,
    mpd_name: str = MPD_NAME,
    variants: tuple[tuple[str, int, str], ...] = (),
    report: LossReport | None = None,
) -> Package:
    """Build the files of a streaming subtitle track, without writing anything.

    ``container="ts-webvtt"`` makes today's HLS WebVTT segments (see
    :func:`segment`) and their playlist; ``"fmp4"`` makes a CMAF text track: an
    init segment and one media segment (``styp`` + ``moof`` + ``mdat``) per
    span of ``seconds``, as ``wvtt`` (WebVTT, ISO/IEC 14496-30) or ``stpp``
    (IMSC1 text profile TTML), and the manifests asked for: an HLS media
    playlist plus a master playlist (``hls``), a DASH MPD (``dash``) or all
    three (``both``).

    Args:
        doc: any document.
        seconds: segment length, at least 1.
        container, codec, manifest: see above.
        language: BCP 47 tag of the track (default: the document's).
        timescale: ticks per second of the fMP4 media timeline.
        duration_ms: the length of the video (default: where the last cue ends).
        mpegts: X-TIMESTAMP-MAP value of the ts-webvtt segments.
        media_sequence: ``#EXT-X-MEDIA-SEQUENCE``.
        name: segment file names with ``{index}`` (default ``fileSequence{index}.webvtt``
            or ``fileSequence{index}.m4s``).
        init_name, playlist_name, master_name, mpd_name: the other file names.
        variants: ``(uri, bandwidth, codecs)`` of video playlists for the HLS master playlist.
        report: collects what the segment writer cannot express.

    Raises:
        OperationError: a bad argument, or a combination that does not exist
            (DASH with ts-webvtt, stpp with ts-webvtt).
    """
    from subkit.ops import _manifests

    if container not in CONTAINERS:
        raise OperationError(f"container must be one of {', '.join(CONTAINERS)}, got {container!r}")
    if codec not in CODECS:
        raise OperationError(f"codec must be one of {', '.join(CODECS)}, got {codec!r}")
    if manifest not in MANIFESTS:
        raise OperationError(f"manifest must be one of {', '.join(MANIFESTS)}, got {manifest!r}")
    if isinstance(timescale, bool) or not isinstance(timescale, int) or not 0 < timescale < 2**32:
        raise OperationError(f"timescale must be a positive 32-bit integer, got {timescale!r}")
    if media_sequence < 0:
        raise OperationError("the media sequence number cannot be negative")
    language = language or doc.language
    if container == "ts-webvtt":
        if codec != "wvtt":
            raise OperationError("the ts-webvtt container carries WebVTT only; use --container fmp4 for stpp")
        if manifest != "hls":
            raise OperationError("DASH does not take HLS WebVTT segments; use --container fmp4 for DASH")
        parts = segment(doc, seconds, mpegts=mpegts, duration_ms=duration_ms, name=name or SEGMENT_NAME)
        files = [PackageFile(p.name, segment_text(p, report).encode("utf-8")) for p in parts]
        files.append(PackageFile(playlist_name, playlist(parts, media_sequence=media_sequence).encode("utf-8")))
        spans = tuple((f.name, p.start_ms, p.end_ms - p.start_ms, len(f.data))
                      for p, f in zip(parts, files[:len(parts)], strict=True))
        info = _manifests.TrackInfo("", 1000, language, "", spans, name=_rendition_name(language))
        return Package(tuple(files), tuple(parts), "wvtt", playlist=playlist_name, track=info,
                       segment_name=name or SEGMENT_NAME)
    pattern = name or FMP4_SEGMENT_NAME
    if manifest in ("dash", "both"):
        _manifests.dash_template(pattern)  # fail before any work when DASH cannot name the segments
    _milliseconds(seconds)  # a bad length fails before the encoders run
    # The encoders get the whole document: its styles, regions and header, and every cue.
    whole = doc.replace(diagnostics=())
    if report is None:
        report = LossReport(f"mp4_{codec}")
    try:
        encoder, codecs = formats.track_encoder(codec, whole, report)
        end = encoder.end_ms()
        parts = segment(doc, seconds, duration_ms=max(duration_ms or 0, end) or None, name=pattern)
        encoded = formats.encode_track(encoder, [(p.start_ms, p.end_ms) for p in parts], timescale=timescale,
                                       language=language, segments=True)
    except ValueError as exc:
        raise OperationError(str(exc)) from None
    files = [PackageFile(init_name, encoded.init)]
    entries: list[tuple[str, int, int, int]] = []
    tick = 0
    for part, data in zip(parts, encoded.fragments, strict=True):
        files.append(PackageFile(part.name, data))
        end_tick = round_half_up(Fraction(part.end_ms * timescale, 1000))
        entries.append((part.name, tick, end_tick - tick, len(data)))
        tick = end_tick
    info = _manifests.TrackInfo(codecs, timescale, language, init_name, tuple(entries),
                                name=_rendition_name(language))
    result: dict[str, str | None] = {"playlist": None, "master": None, "mpd": None}
    if manifest in ("hls", "both"):
        files.append(PackageFile(playlist_name, _manifests.hls_media(info, media_sequence=media_sequence)
                                 .encode("utf-8")))
        files.append(PackageFile(master_name, _manifests.hls_master(info, media_playlist=playlist_name,
                                                                    variants=variants).encode("utf-8")))
        result["playlist"], result["master"] = playlist_name, master_name
    if manifest in ("dash", "both"):
        files.append(PackageFile(mpd_name, _manifests.mpd(info, media_name=pattern).encode("utf-8")))
        result["mpd"] = mpd_name
    return Package(tuple(files), tuple(parts), codecs, playlist=result["playlist"], master=result["master"],
                   mpd=result["mpd"], track=info, segment_name=pattern)


def join_tracks(
    tracks: Sequence[tuple[str, Package]],
    *,
    variants: Sequence[tuple[str, int, str]] = (),
    group: str = "subs",
    master_name: str = MASTER_NAME,
    mpd_name: str = MPD_NAME,
) -> tuple[PackageFile, ...]:
    """The manifests presenting several packaged tracks as the text renditions of one title.

    ``tracks`` are ``(folder, package)``: each package's files go into its own
    folder, and the manifests made here go above them. Where every package has
    an HLS playlist, the master playlist (``master_name``) lists each as a
    ``SUBTITLES`` rendition of ``group`` (the first the ``DEFAULT``, every one
    ``AUTOSELECT``, names made unique with the folder where two languages
    match), with the ``variants``; where every package has a DASH MPD (fMP4),
    the MPD (``mpd_name``) has one text adaptation set per track. Package the
    tracks with one ``duration_ms`` so that their segments line up.

    Raises:
        OperationError: no track, a track without manifest information, a folder that is not a plain
            relative path, or no manifest common to every track.
    """
    from urllib.parse import quote

    from subkit.ops import _manifests

    if not tracks:
        raise OperationError("joining tracks needs at least one track")
    infos: list[_manifests.TrackInfo] = []
    for folder, built in tracks:
        if built.track is None:
            raise OperationError(f"{folder}: the package carries no track information")
        if not folder or folder.startswith("/") or ".." in folder.split("/"):
            raise OperationError(f"{folder!r}: a track's folder must be a relative path inside the output")
        infos.append(built.track)
    labels = [info.name for info in infos]
    labels = [label if labels.count(label) == 1 else f"{label} {folder}"
              for label, (folder, _) in zip(labels, tracks, strict=True)]
    uris = [quote(folder.rstrip("/")) + "/" for folder, _ in tracks]
    infos = [dataclasses.replace(info, name=label, init=uri + info.init if info.init else "")
             for info, label, uri in zip(infos, labels, uris, strict=True)]
    files: list[PackageFile] = []
    if all(built.playlist for _, built in tracks):
        renditions = [(info, uri + (built.playlist or "")) for info, uri, (_, built) in zip(infos, uris, tracks,
                                                                                            strict=True)]
        files.append(PackageFile(master_name, _manifests.hls_master_tracks(renditions, group=group,
                                                                           variants=variants).encode("utf-8")))
    if all(built.mpd for _, built in tracks):
        sets = [(info, uri + built.segment_name) for info, uri, (_, built) in zip(infos, uris, tracks, strict=True)]
        files.append(PackageFile(mpd_name, _manifests.mpd_tracks(sets).encode("utf-8")))
    if not files:
        raise OperationError("the tracks have no manifest in common (give them one --manifest)")
    return tuple(files)


def _rendition_name(language: str | None) -> str:
    return f"Subtitles ({language})" if language else "Subtitles"
