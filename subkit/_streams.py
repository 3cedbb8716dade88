"""Reading a streamed subtitle track from its manifest: a DASH MPD or an HLS playlist, and the files it names.

``subkit.load("manifest.mpd")`` (or ``prog_index.m3u8``, or a master
playlist) lands here: the manifest's text track is found, its init segment
and media segments are read from the manifest's folder (URIs are resolved
relative to it; remote URLs are never fetched), and the track is read as one
document:

* fragmented MP4 segments (``wvtt``/``stpp``) are joined after their init
  segment, which makes one fragmented MP4 file, and read by ``mp4_wvtt`` or
  ``mp4_stpp``;
* HLS WebVTT segments are each read as WebVTT, and a cue repeated in the
  segments it spans (same times, same content) is kept once.

Files that cannot be read are diagnostics, not failures, unless ``strict``.
"""

from __future__ import annotations

import dataclasses
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from subkit import _io
from subkit.errors import ParseError, SubkitIOError
from subkit.model import Cue, Diagnostic, Document

__all__ = ["StreamTrack", "is_manifest", "load_stream", "parse_hls", "parse_mpd"]

_MPD_NS = "urn:mpeg:dash:schema:mpd:2011"
_TEXT_CODECS = ("wvtt", "stpp")


@dataclass(slots=True)
class StreamTrack:
    """The files of one text track, as a manifest lists them.

    Attributes:
        init: the init segment's URI (``None``: none named).
        segments: media segment URIs in order.
        codecs: the codecs the manifest states, if any.
        language: the track's language, if stated.
        notes: what was chosen or assumed, as sentences.
    """

    init: str | None = None
    segments: list[str] = field(default_factory=list)
    codecs: str | None = None
    language: str | None = None
    notes: list[str] = field(default_factory=list)


def is_manifest(head: bytes) -> bool:
    """Whether the head of a file is an HLS playlist or a DASH MPD."""
    text = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"#EXTM3U"):
        return True
    return text.startswith((b"<?xml", b"<MPD", b"<!--")) and b"<MPD" in text


def _attributes(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for match in re.finditer(r'([A-Z0-9-]+)=("[^"]*"|[^,]*)', text):
        out[match.group(1)] = match.group(2).strip('"')
    return out


def parse_hls(text: str, *, language: str | None = None) -> tuple[StreamTrack, str | None]:
    """The track of a media playlist, or ``(empty track, URI of the subtitle playlist)`` for a master playlist.

    In a master playlist the ``EXT-X-MEDIA`` subtitle rendition in ``language``
    (else the default one, else the first) is chosen.
    """
    track = StreamTrack()
    renditions: list[dict[str, str]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#EXT-X-MEDIA:"):
            attrs = _attributes(line[len("#EXT-X-MEDIA:") :])
            if attrs.get("TYPE") == "SUBTITLES" and "URI" in attrs:
                renditions.append(attrs)
        elif line.startswith("#EXT-X-MAP:"):
            track.init = _attributes(line[len("#EXT-X-MAP:") :]).get("URI")
        elif line.startswith("#EXT-X-STREAM-INF:"):
            continue
        elif not line.startswith("#"):
            track.segments.append(line)
    if renditions:
        chosen = next((r for r in renditions if language and r.get("LANGUAGE", "").lower() == language.lower()),
                      None) or next((r for r in renditions if r.get("DEFAULT") == "YES"), renditions[0])
        if len(renditions) > 1:
            track.notes.append(f"{len(renditions)} subtitle renditions; read {chosen.get('NAME', chosen['URI'])!r}")
        track.language = chosen.get("LANGUAGE")
        return track, chosen["URI"]
    return track, None


def _local(el: Any) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def _child(el: Any, name: str) -> Any:
    for child in el:
        if _local(child) == name:
            return child
    return None


def _children(el: Any, name: str) -> list[Any]:
    return [child for child in el if _local(child) == name]


def _iso_duration(text: str | None) -> float | None:
    if not text:
        return None
    match = re.fullmatch(r"P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?",
                         text.strip())
    if match is None:
        return None
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + seconds


def _fill(template: str, values: dict[str, int | str]) -> str:
    def one(match: re.Match[str]) -> str:
        name, width = match.group(1), match.group(2)
        if not name:
            return "$"
        value = values.get(name, match.group(0))
        if width and isinstance(value, int):
            return format(value, width.lstrip("%"))
        return str(value)

    return re.sub(r"\$(\w*)(%0\d+d)?\$", one, template)


def parse_mpd(text: str, *, language: str | None = None) -> StreamTrack:
    """The text track of a DASH MPD (``SegmentTemplate`` with or without a timeline, ``SegmentList``,
    ``SegmentBase``/``BaseURL``).

    Raises:
        ParseError: not an MPD, or no text adaptation set in ``wvtt``/``stpp``.
    """
    from subkit.formats import parse_xml

    root = parse_xml(text.encode("utf-8"), format="dash")
    if _local(root) != "MPD":
        raise ParseError("not a DASH MPD", format="dash")
    track = StreamTrack()
    total = _iso_duration(root.get("mediaPresentationDuration"))
    candidates = _text_representations(root)
    if not candidates:
        raise ParseError("the MPD has no wvtt or stpp text track", format="dash")
    chosen = next((c for c in candidates if language and (c[1].get("lang") or "").lower() == language.lower()),
                  candidates[0])
    if len(candidates) > 1:
        track.notes.append(f"{len(candidates)} text representations; read {chosen[2].get('id')!r}")
    _, aset, rep, bases = chosen
    track.codecs = rep.get("codecs") or aset.get("codecs")
    track.language = aset.get("lang") or rep.get("lang")
    base = ""
    for part in bases:
        base = urllib.parse.urljoin(base, part)
    values: dict[str, int | str] = {"RepresentationID": rep.get("id") or "",
                                    "Bandwidth": int(rep.get("bandwidth") or 0)}
    template = _child(rep, "SegmentTemplate")
    if template is None:
        template = _child(aset, "SegmentTemplate")
    seg_list = _child(rep, "SegmentList") if _child(rep, "SegmentList") is not None else _child(aset, "SegmentList")
    if template is not None:
        _template_segments(track, template, base, values, total)
    elif seg_list is not None:
        init = _child(seg_list, "Initialization")
        if init is not None and init.get("sourceURL"):
            track.init = base + init.get("sourceURL")
        track.segments = [base + (url.get("media") or "") for url in _children(seg_list, "SegmentURL")]
    elif base:
        track.segments = [base]
    else:
        raise ParseError("the text representation names no segments", format="dash")
    return track


def _text_representations(root: Any) -> list[tuple[Any, Any, Any, list[str]]]:
    """Every text representation of the MPD: its period, adaptation set, element and ``BaseURL`` chain."""
    candidates: list[tuple[Any, Any, Any, list[str]]] = []
    for period in _children(root, "Period"):
        for aset in _children(period, "AdaptationSet"):
            for rep in _children(aset, "Representation"):
                codecs = rep.get("codecs") or aset.get("codecs") or ""
                mime = rep.get("mimeType") or aset.get("mimeType") or ""
                kind = aset.get("contentType") or ""
                if codecs.split(".")[0] in _TEXT_CODECS or (kind == "text" and mime == "application/mp4"):
                    bases = [_text(_child(el, "BaseURL")) for el in (root, period, aset, rep)]
                    candidates.append((period, aset, rep, [b for b in bases if b]))
    return candidates


def _template_segments(track: StreamTrack, template: Any, base: str, values: dict[str, int | str],
                       total: float | None) -> None:
    """Fill ``track`` from a ``SegmentTemplate``: its timeline, or ``@duration`` over the presentation.

    Raises:
        ParseError: no timeline and no ``@duration`` or presentation duration to count segments by.
    """
    timescale = int(template.get("timescale") or 1)
    number = int(template.get("startNumber") or 1)
    if template.get("initialization"):
        track.init = base + _fill(template.get("initialization"), values)
    media = template.get("media") or ""
    timeline = _child(template, "SegmentTimeline")
    if timeline is not None:
        for index, time in _timeline(_children(timeline, "S"), number, timescale, total):
            track.segments.append(base + _fill(media, {**values, "Number": index, "Time": time}))
        return
    duration = int(template.get("duration") or 0)
    if duration <= 0 or total is None:
        raise ParseError("a SegmentTemplate without a timeline needs @duration and the MPD's "
                         "mediaPresentationDuration", format="dash")
    count = max(int(-(-total * timescale // duration)), 1)
    for index in range(count):
        track.segments.append(base + _fill(media, {**values, "Number": number + index, "Time": index * duration}))


def _timeline(entries: list[Any], number: int, timescale: int, total: float | None) -> list[tuple[int, int]]:
    """``(number, time)`` of each segment of a ``SegmentTimeline`` (``@r="-1"`` runs to the next ``S`` or the end)."""
    segments: list[tuple[int, int]] = []
    time = 0
    for index, s in enumerate(entries):
        time = int(s.get("t")) if s.get("t") is not None else time
        duration = int(s.get("d") or 0)
        repeat = int(s.get("r") or 0)
        if repeat < 0:  # until the next S or the end of the period
            if index + 1 < len(entries) and entries[index + 1].get("t") is not None:
                repeat = max((int(entries[index + 1].get("t")) - time) // max(duration, 1) - 1, 0)
            elif total is not None:
                repeat = max(int((total * timescale - time + duration - 1) // max(duration, 1)) - 1, 0)
            else:
                repeat = 0
        for _ in range(repeat + 1):
            segments.append((number, time))
            number += 1
            time += duration
    return segments


def _text(el: Any) -> str:
    return (el.text or "").strip() if el is not None else ""


def _resolve(base: str, uri: str) -> str:
    """``uri`` relative to the file ``base`` (a manifest path), as a local path.

    Raises:
        SubkitIOError: the URI is remote.
    """
    joined = urllib.parse.urljoin(base, uri)
    parsed = urllib.parse.urlsplit(joined)
    if parsed.scheme and parsed.scheme != "file" and len(parsed.scheme) > 1:  # one letter: a Windows drive
        raise SubkitIOError(f"{uri}: remote segments are not fetched; download the track first", path=uri)
    return urllib.parse.unquote(parsed.path) if parsed.scheme == "file" else joined


def _read_track(path: str, text: str, language: str | None) -> StreamTrack:
    """The track, its URIs made local paths (relative to the working folder, like ``path``)."""
    if text.lstrip("\ufeff \t\r\n").startswith("#EXTM3U"):
        track, media = parse_hls(text, language=language)
        if media is not None:
            media_path = _resolve(path, media)
            inner, _ = parse_hls(_io.decode(_io.read_bytes(media_path)).text)
            inner.language, inner.notes = track.language, track.notes
            path, track = media_path, inner
    else:
        track = parse_mpd(text, language=language)
    track.init = _resolve(path, track.init) if track.init else None
    track.segments = [_resolve(path, uri) for uri in track.segments]
    return track


def load_stream(path: str, data: bytes, *, strict: bool = False, language: str | None = None,
                **options: Any) -> Document:
    """Read the text track a manifest (``data``, read from ``path``) points at.

    Raises:
        SubkitIOError: a segment cannot be read (strict), or a segment is remote.
        ParseError: the manifest names no text track, or the track cannot be read.
    """
    import subkit

    track = _read_track(path, _io.decode(data).text, language)
    notes = [Diagnostic(message=note, action="chosen", source=path, severity="warning") for note in track.notes]
    missing: list[Diagnostic] = []
    chunks: list[tuple[str, bytes]] = []
    for uri in ([track.init] if track.init else []) + track.segments:
        try:
            chunks.append((uri, _io.read_bytes(uri)))
        except SubkitIOError as exc:
            if strict or uri == track.init:
                raise
            missing.append(Diagnostic(message=f"{uri}: {exc}", action="segment skipped", source=path,
                                      severity="error"))
    if not chunks:
        raise ParseError("the manifest names no segment that could be read", format="dash", source=path)
    codec = (track.codecs or "").split(".")[0]
    if track.init is None and chunks[0][1][4:8] not in (b"ftyp", b"styp", b"moof", b"moov", b"sidx"):
        doc = _merge_webvtt([subkit.loads(chunk, format="webvtt", strict=strict, source=uri)
                             for uri, chunk in chunks])
    else:
        joined = b"".join(chunk for _, chunk in chunks)
        name = {"wvtt": "mp4_wvtt", "stpp": "mp4_stpp"}.get(codec)
        doc = subkit.loads(joined, format=name, strict=strict, source=path, **options)
    changes: dict[str, Any] = {"diagnostics": (*notes, *missing, *doc.diagnostics)}
    if doc.language is None and track.language:
        changes["language"] = track.language
    return dataclasses.replace(doc, **changes)


def _merge_webvtt(parts: list[Document]) -> Document:
    # HLS WebVTT segments repeat a cue in every segment it spans, with the same times.
    seen: set[Cue] = set()
    cues: list[Cue] = []
    for part in parts:
        for cue in part.cues:
            if cue not in seen:
                seen.add(cue)
                cues.append(cue)
    diagnostics = tuple(d for part in parts for d in part.diagnostics)
    return parts[0].replace(cues=tuple(cues), diagnostics=diagnostics, header={
        k: v for k, v in parts[0].header.items() if not v.lstrip().startswith("X-TIMESTAMP-MAP")})
