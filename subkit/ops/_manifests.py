"""Streaming manifests for a text track in fragmented MP4: DASH MPD, HLS media and master playlists.

Pure text builders; :func:`subkit.ops.segment` decides what goes in them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from subkit.errors import OperationError

__all__ = ["TrackInfo", "dash_template", "hls_master", "hls_media", "mpd"]


@dataclass(frozen=True, slots=True)
class TrackInfo:
    """What the manifests say about the track.

    Attributes:
        codecs: the ``CODECS`` value (``wvtt``, ``stpp.ttml.im1t``).
        timescale: ticks per second of the media timeline.
        language: BCP 47 tag or ``None``.
        init: the init segment's URI.
        segments: ``(uri, start tick, duration in ticks, size in bytes)`` per media segment.
        name: the rendition's human name.
    """

    codecs: str
    timescale: int
    language: str | None
    init: str
    segments: tuple[tuple[str, int, int, int], ...]
    name: str = "Subtitles"


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _quoted(value: str) -> str:
    # HLS quoted strings cannot hold double quotes, CR or LF (RFC 8216 4.2).
    return '"' + re.sub(r'["\r\n]', "'", value) + '"'


def _seconds(ticks: int, timescale: int) -> str:
    return f"{ticks / timescale:.3f}"


def dash_template(name: str) -> tuple[str, int]:
    """The ``$Number$`` template for a segment-name pattern with ``{index}`` (``{index:05d}`` too).

    Raises:
        OperationError: the pattern has other fields or formats DASH cannot express.
    """
    fields = re.findall(r"\{([^{}]*)\}", name)
    if len(fields) != 1:
        raise OperationError(f"a DASH segment template needs exactly one {{index}} in the name: {name!r}")
    field = fields[0]
    match = re.fullmatch(r"index(?::0?(\d+)d)?", field)
    if match is None:
        raise OperationError(f"DASH cannot express the segment name field {{{field}}}; use {{index}} or {{index:05d}}")
    width = f"%0{match.group(1)}d" if match.group(1) else ""
    return name.replace("$", "$$").replace("{" + field + "}", f"$Number{width}$"), 0


def mpd(track: TrackInfo, *, media_name: str) -> str:
    """A static DASH MPD (isoff-live, CMAF) with one text adaptation set.

    ``media_name`` is the segment-name pattern (see :func:`dash_template`).

    Raises:
        OperationError: a name DASH cannot express.
    """
    media, start_number = dash_template(media_name)
    total = sum(duration for _, _, duration, _ in track.segments)
    bits = max((size * 8 * track.timescale / max(duration, 1) for _, _, duration, size in track.segments), default=0)
    timeline: list[str] = []
    runs: list[list[int]] = []  # [start, duration, repeat]
    for _, start, duration, _ in track.segments:
        if runs and runs[-1][1] == duration and runs[-1][0] + runs[-1][1] * (runs[-1][2] + 1) == start:
            runs[-1][2] += 1
        else:
            runs.append([start, duration, 0])
    previous_end: int | None = None
    for start, duration, repeat in runs:
        t = f' t="{start}"' if previous_end != start else ""
        r = f' r="{repeat}"' if repeat else ""
        timeline.append(f'            <S{t} d="{duration}"{r}/>')
        previous_end = start + duration * (repeat + 1)
    lang = f' lang="{_attr(track.language)}"' if track.language else ""
    seconds = total / track.timescale
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" '
        'profiles="urn:mpeg:dash:profile:isoff-live:2011,urn:mpeg:dash:profile:cmaf:2019" type="static" '
        f'mediaPresentationDuration="PT{seconds:.3f}S" minBufferTime="PT2S">',
        '  <Period id="0" start="PT0S">',
        f'    <AdaptationSet id="0" contentType="text" mimeType="application/mp4"{lang} segmentAlignment="true" '
        'startWithSAP="1">',
        '      <Role schemeIdUri="urn:mpeg:dash:role:2011" value="subtitle"/>',
        f'      <Representation id="text" bandwidth="{max(math.ceil(bits), 1)}" codecs="{_attr(track.codecs)}">',
        f'        <SegmentTemplate timescale="{track.timescale}" initialization="{_attr(track.init)}" '
        f'media="{_attr(media)}" startNumber="{start_number}">',
        "          <SegmentTimeline>",
        *timeline,
        "          </SegmentTimeline>",
        "        </SegmentTemplate>",
        "      </Representation>",
        "    </AdaptationSet>",
        "  </Period>",
        "</MPD>",
    ]
    return "\n".join(lines) + "\n"


def hls_media(track: TrackInfo, *, media_sequence: int = 0) -> str:
    """The HLS media playlist of the fMP4 segments (``EXT-X-MAP`` names the init segment; version 6).

    Raises:
        OperationError: no segments.
    """
    if not track.segments:
        raise OperationError("a playlist needs at least one segment")
    target = max(math.ceil(duration / track.timescale - 1e-9) for _, _, duration, _ in track.segments)
    lines = [
        "#EXTM3U",
        f"#EXT-X-TARGETDURATION:{max(target, 1)}",
        # EXT-X-MAP in a media playlist without I-frames needs version 6 (RFC 8216 7).
        "#EXT-X-VERSION:6",
        f"#EXT-X-MEDIA-SEQUENCE:{media_sequence}",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        "#EXT-X-INDEPENDENT-SEGMENTS",
        f"#EXT-X-MAP:URI={_quoted(track.init)}",
    ]
    for uri, _, duration, _ in track.segments:
        lines.append(f"#EXTINF:{_seconds(duration, track.timescale)},")
        lines.append(uri)
    lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def hls_master(track: TrackInfo, *, media_playlist: str, group: str = "subs",
               variants: Sequence[tuple[str, int, str]] = ()) -> str:
    """The HLS master playlist: the subtitle rendition, and the video variants that use it.

    ``variants`` are ``(uri, bandwidth, codecs)`` of the video playlists; the
    text track's codec joins each one's ``CODECS``. Without variants the
    playlist holds the ``EXT-X-MEDIA`` rendition alone, for merging into a
    master playlist made for the video.
    """
    language = f",LANGUAGE={_quoted(track.language)}" if track.language else ""
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:6",
        "#EXT-X-INDEPENDENT-SEGMENTS",
        f"#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID={_quoted(group)},NAME={_quoted(track.name)}{language},"
        f"DEFAULT=YES,AUTOSELECT=YES,URI={_quoted(media_playlist)}",
    ]
    for uri, bandwidth, codecs in variants:
        joined = ",".join(part for part in (codecs, track.codecs) if part)
        lines.append(f"#EXT-X-STREAM-INF:BANDWIDTH={bandwidth},CODECS={_quoted(joined)},SUBTITLES={_quoted(group)}")
        lines.append(uri)
    return "\n".join(lines) + "\n"
