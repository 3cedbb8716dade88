"""Streaming manifests for a text track in fragmented MP4: DASH MPD, HLS media and master playlists.

Pure text builders; :func:`subkit.ops.segment` decides what goes in them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from subkit.errors import OperationError

__all__ = ["TrackInfo", "dash_template", "hls_master", "hls_master_tracks", "hls_media", "mpd", "mpd_tracks"]


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
    return mpd_tracks([(track, media_name)])


def _timeline(track: TrackInfo) -> list[str]:
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
    return timeline


def mpd_tracks(tracks: Sequence[tuple[TrackInfo, str]]) -> str:
    """A static DASH MPD (isoff-live, CMAF) with one text adaptation set per track (the languages of a title).

    Each track comes with its segment-name pattern (see :func:`dash_template`);
    its URIs (``init`` and the pattern) are relative to the MPD. The
    presentation lasts as long as the longest track.

    Raises:
        OperationError: no track, or a name DASH cannot express.
    """
    if not tracks:
        raise OperationError("a DASH manifest needs at least one track")
    seconds = max(sum(duration for _, _, duration, _ in track.segments) / track.timescale for track, _ in tracks)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" '
        'profiles="urn:mpeg:dash:profile:isoff-live:2011,urn:mpeg:dash:profile:cmaf:2019" type="static" '
        f'mediaPresentationDuration="PT{seconds:.3f}S" minBufferTime="PT2S">',
        '  <Period id="0" start="PT0S">',
    ]
    for number, (track, media_name) in enumerate(tracks):
        media, start_number = dash_template(media_name)
        bits = max((size * 8 * track.timescale / max(duration, 1) for _, _, duration, size in track.segments),
                   default=0)
        lang = f' lang="{_attr(track.language)}"' if track.language else ""
        representation = "text" if len(tracks) == 1 else f"text-{number}"
        lines += [
            f'    <AdaptationSet id="{number}" contentType="text" mimeType="application/mp4"{lang} '
            'segmentAlignment="true" startWithSAP="1">',
            '      <Role schemeIdUri="urn:mpeg:dash:role:2011" value="subtitle"/>',
            f'      <Representation id="{representation}" bandwidth="{max(math.ceil(bits), 1)}" '
            f'codecs="{_attr(track.codecs)}">',
            f'        <SegmentTemplate timescale="{track.timescale}" initialization="{_attr(track.init)}" '
            f'media="{_attr(media)}" startNumber="{start_number}">',
            "          <SegmentTimeline>",
            *_timeline(track),
            "          </SegmentTimeline>",
            "        </SegmentTemplate>",
            "      </Representation>",
            "    </AdaptationSet>",
        ]
    lines += ["  </Period>", "</MPD>"]
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
    return hls_master_tracks([(track, media_playlist)], group=group, variants=variants)


def hls_master_tracks(renditions: Sequence[tuple[TrackInfo, str]], *, group: str = "subs",
                      variants: Sequence[tuple[str, int, str]] = ()) -> str:
    """The HLS master playlist of several subtitle renditions of one group (the languages of a title).

    Each rendition comes with the URI of its media playlist. The first is the
    ``DEFAULT``; every one is ``AUTOSELECT`` (a player picks the one of the
    viewer's language). The names must differ within the group (RFC 8216
    4.3.4.1.1). ``variants`` are as in :func:`hls_master`; the text codecs
    join each one's ``CODECS``.

    Raises:
        OperationError: no rendition, or two with one name.
    """
    if not renditions:
        raise OperationError("a master playlist needs at least one rendition")
    names = [track.name for track, _ in renditions]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise OperationError(f"two subtitle renditions are both named {twice[0]!r}: each needs its own name")
    lines = ["#EXTM3U", "#EXT-X-VERSION:6", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for number, (track, media_playlist) in enumerate(renditions):
        language = f",LANGUAGE={_quoted(track.language)}" if track.language else ""
        default = "YES" if number == 0 else "NO"
        lines.append(f"#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID={_quoted(group)},NAME={_quoted(track.name)}{language},"
                     f"DEFAULT={default},AUTOSELECT=YES,URI={_quoted(media_playlist)}")
    text_codecs = list(dict.fromkeys(track.codecs for track, _ in renditions if track.codecs))
    for uri, bandwidth, codecs in variants:
        joined = ",".join(part for part in (codecs, *text_codecs) if part)
        lines.append(f"#EXT-X-STREAM-INF:BANDWIDTH={bandwidth},CODECS={_quoted(joined)},SUBTITLES={_quoted(group)}")
        lines.append(uri)
    return "\n".join(lines) + "\n"
