"""Subtitle tracks inside MKV, MP4, MOV and MPEG-TS files: list, extract, mux (verified).

* :func:`tracks` lists every subtitle track (ffprobe), with its cue count,
  plus closed captions carried in a video stream;
* :func:`extract` pulls one text track out through ffmpeg and reads it into
  a :class:`~subkit.model.Document`; image tracks (PGS, VobSub, DVB) are
  refused, they need OCR;
* :func:`mux` adds documents as new tracks to a video without re-encoding
  anything: MKV gets ASS (for ASS/SSA documents), WebVTT (for WebVTT ones) or
  SRT; MP4/MOV get ``mov_text`` (through SRT, whose losses are reported).
  Then it **verifies**: every new track is extracted again and compared, cue
  by cue, with what was meant to be written; any difference is an error and
  the output is not kept.

Timestamps are taken as the container stores them (``-copyts``): ffmpeg
otherwise moves every file so that its earliest packet is at 0, and a file
whose AAC audio starts before 0 (the encoder's priming samples, hidden by an
MP4 edit list: 1024 samples, 64 ms at 16 kHz) would have all its cues shifted
later by that much on the way in or out.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import re
import tempfile
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from subkit._api import loads
from subkit._api import render as _write
from subkit.errors import ConfigError, LossyConversionWarning, SubkitIOError, UnsupportedFeatureError
from subkit.media._ffmpeg import MediaError, run_ffmpeg, run_ffprobe
from subkit.model import ContentItem, Cue, Document, LineBreak, Loss, LossReport

__all__ = [
    "IMAGE_CODECS",
    "MuxResult",
    "MuxTrack",
    "MuxVerifyError",
    "SubtitleInput",
    "Track",
    "compare_cues",
    "extract",
    "extract_all",
    "flatten_overlaps",
    "language_code",
    "mux",
    "select_track",
    "tracks",
]

#: Subtitle codecs that carry pictures, not text: extracting them needs OCR.
IMAGE_CODECS = frozenset({"hdmv_pgs_subtitle", "dvd_subtitle", "dvb_subtitle", "xsub", "dvb_teletext_image"})

#: Text codecs and how they leave the container: (ffmpeg subtitle codec, muxer, subkit format).
_TEXT_OUT: dict[str, tuple[str, str, str]] = {
    "subrip": ("copy", "srt", "srt"),
    "srt": ("copy", "srt", "srt"),
    "ass": ("copy", "ass", "ass"),
    "ssa": ("ass", "ass", "ass"),
    "webvtt": ("copy", "webvtt", "webvtt"),
    # mov_text/tx3g to SRT keeps millisecond times; ffmpeg turns its styles into <b>, <i>, <u>, <font>.
    "mov_text": ("srt", "srt", "srt"),
    "text": ("srt", "srt", "srt"),
    # 608 byte pairs as SCC, read by subkit's own SCC reader: ffmpeg's 608 decoder times pop-on captions poorly.
    "eia_608": ("copy", "scc", "scc"),
}

#: Track names ffmpeg gives MP4/MOV handlers by itself: not titles.
_DEFAULT_HANDLERS = (None, "", "SubtitleHandler", "VideoHandler", "SoundHandler", "ClosedCaptionHandler")

#: Seconds a probe, an extraction or a mux may take.
TIMEOUT = 300.0

#: ISO 639-1 codes to the ISO 639-2/B codes containers store (Matroska and MP4 both want three letters).
_ISO639_2 = {
    "ar": "ara", "bg": "bul", "ca": "cat", "cs": "cze", "da": "dan", "de": "ger", "el": "gre", "en": "eng",
    "es": "spa", "et": "est", "eu": "baq", "fa": "per", "fi": "fin", "fr": "fre", "ga": "gle", "gl": "glg",
    "he": "heb", "hi": "hin", "hr": "hrv", "hu": "hun", "id": "ind", "is": "ice", "it": "ita", "ja": "jpn",
    "ko": "kor", "lt": "lit", "lv": "lav", "ms": "may", "nb": "nob", "nl": "dut", "nn": "nno", "no": "nor",
    "pl": "pol", "pt": "por", "ro": "rum", "ru": "rus", "sk": "slo", "sl": "slv", "sr": "srp", "sv": "swe",
    "th": "tha", "tr": "tur", "uk": "ukr", "vi": "vie", "zh": "chi",
}


def language_code(tag: str) -> str:
    """A language as containers store it: ISO 639-2 (``fr``, ``fr-CA``, ``fre``, ``fra`` -> ``fre``/``fra``).

    Raises:
        ConfigError: not a language tag subkit can map.

    >>> language_code("fr-CA"), language_code("deu"), language_code("EN")
    ('fre', 'deu', 'eng')
    """
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    if re.fullmatch(r"[a-z]{3}", primary):
        return primary
    if primary in _ISO639_2:
        return _ISO639_2[primary]
    raise ConfigError(f"unknown language {tag!r}: give an ISO 639 code (fr, fre, fra)")


class MuxVerifyError(MediaError):
    """A muxed track read back differs from what was written; the output was not kept.

    Attributes:
        differences: one line per difference found (the first few).
    """

    differences: tuple[str, ...]

    def __init__(self, message: str, *, differences: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.differences = tuple(differences)
        self._attrs["differences"] = self.differences

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_verify, (self.message, self.differences))


def _rebuild_verify(message: str, differences: tuple[str, ...]) -> MuxVerifyError:
    return MuxVerifyError(message, differences=differences)


# ---------------------------------------------------------------- listing


@dataclass(frozen=True, slots=True)
class Track:
    """One subtitle track of a media file.

    Attributes:
        index: the stream index in the file (what ``--track`` takes).
        codec: ffmpeg's codec name (``subrip``, ``ass``, ``mov_text``,
            ``hdmv_pgs_subtitle``, ``eia_608`` for captions in a video stream ...).
        kind: ``"text"``, ``"image"`` (needs OCR) or ``"captions"`` (608 in the video).
        language: the language tag as stored (``None`` when unset or ``und``).
        title: the track name, if any.
        default, forced: the track's flags.
        cues: how many cues it holds (``None`` when not counted).
    """

    index: int
    codec: str
    kind: str
    language: str | None = None
    title: str | None = None
    default: bool = False
    forced: bool = False
    cues: int | None = None

    def as_json(self) -> dict[str, Any]:
        """The track as a JSON object."""
        return {"index": self.index, "codec": self.codec, "kind": self.kind, "language": self.language,
                "title": self.title, "default": self.default, "forced": self.forced, "cues": self.cues}


def _check_file(path: str | Path) -> str:
    name = os.fspath(path)
    if not Path(name).is_file():
        raise SubkitIOError(f"{name}: no such file", path=name)
    return name


def _probe(name: str) -> list[dict[str, Any]]:
    out = run_ffprobe(["-show_entries", "stream=index,codec_type,codec_name,closed_captions:stream_tags:"
                       "stream_disposition=default,forced", "-of", "json", name], timeout=TIMEOUT)
    streams: list[dict[str, Any]] = json.loads(out.decode("utf-8", errors="replace") or "{}").get("streams", [])
    return streams


def _count_cues(name: str) -> dict[int, int]:
    """Cues per subtitle stream: packets, less the empty samples MP4 muxers put in the gaps."""
    out = run_ffprobe(["-select_streams", "s", "-show_entries", "packet=stream_index,size", "-of", "csv=p=0",
                       name], timeout=TIMEOUT)
    counts: dict[int, int] = {}
    for line in out.decode("ascii", errors="replace").splitlines():
        parts = line.strip().split(",")
        if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit():
            index, size = int(parts[0]), int(parts[1])
            # An empty mov_text sample is its 2-byte length field alone.
            counts[index] = counts.get(index, 0) + (size > 2)
    return counts


def tracks(path: str | Path, *, count: bool = True) -> list[Track]:
    """Every subtitle track of ``path``, in stream order, and the closed captions of its video streams.

    Args:
        path: an MKV, MP4, MOV, TS ... file.
        count: count the cues of each track (reads the whole file's packet index).

    Raises:
        SubkitIOError: the file does not exist.
        MediaError: ffprobe cannot read it.
        ConfigError: ffprobe is missing.
    """
    name = _check_file(path)
    streams = _probe(name)
    counts = _count_cues(name) if count and any(s.get("codec_type") == "subtitle" for s in streams) else {}
    found = []
    for stream in streams:
        tags = {str(k).lower(): str(v) for k, v in (stream.get("tags") or {}).items()}
        disposition = stream.get("disposition") or {}
        language = tags.get("language")
        # MP4 keeps a track name in its handler; ffmpeg's own default name is not a title.
        title = tags.get("title") or (tags.get("handler_name") if tags.get("handler_name") not in
                                      _DEFAULT_HANDLERS else None)
        plain = Track(index=int(stream["index"]), codec="", kind="",
                      language=None if language in (None, "", "und") else language, title=title,
                      default=bool(disposition.get("default")), forced=bool(disposition.get("forced")))
        if stream.get("codec_type") == "subtitle":
            codec = str(stream.get("codec_name") or "unknown")
            kind = "image" if codec in IMAGE_CODECS else "text"
            # 608 packets are byte pairs in frames, not cues: they are not counted.
            counted = count and codec != "eia_608"
            found.append(dataclasses.replace(plain, codec=codec, kind=kind,
                                             cues=counts.get(plain.index, 0) if counted else None))
        elif stream.get("codec_type") == "video" and stream.get("closed_captions"):
            found.append(dataclasses.replace(plain, codec="eia_608", kind="captions"))
    return found


# ---------------------------------------------------------------- extraction


def select_track(found: Sequence[Track], name: str, track: int | None, language: str | None) -> Track:
    """The track numbered ``track``, else the first text track in ``language``, else the first text track.

    Raises:
        ConfigError: no such track, no track in that language, no subtitle tracks.
    """
    if track is not None:
        for item in found:
            if item.index == track:
                return item
        listed = ", ".join(str(item.index) for item in found) or "none"
        raise ConfigError(f"{name} has no subtitle track {track} (subtitle tracks: {listed})")
    candidates = list(found)
    if language is not None:
        wanted = {language.lower(), language_code(language)}
        candidates = [item for item in found if item.language and item.language.lower() in wanted]
        if not candidates:
            raise ConfigError(f"{name} has no subtitle track in {language!r}")
    text = [item for item in candidates if item.kind != "image"]
    if not candidates:
        raise ConfigError(f"{name} has no subtitle tracks")
    return text[0] if text else candidates[0]


def _refuse_image(item: Track, name: str) -> None:
    if item.kind == "image":
        raise UnsupportedFeatureError(
            f"{name}: track {item.index} is {item.codec}, subtitles stored as pictures: turning them into text "
            "needs OCR, which subkit does not do",
            feature="image_subtitles",
        )


def _extract_bytes(name: str, items: Sequence[Track]) -> list[tuple[bytes, str]]:
    """The content of each track in a format subkit reads, and that format; one ffmpeg run for them all."""
    for item in items:
        _refuse_image(item, name)
    results: list[tuple[bytes, str]] = []
    with tempfile.TemporaryDirectory(prefix="subkit-extract-") as folder:
        args = ["-copyts", "-i", name]
        outputs: list[tuple[Path, str]] = []
        for number, item in enumerate(items):
            if item.kind == "captions":
                continue
            codec, muxer, fmt = _TEXT_OUT.get(item.codec, ("srt", "srt", "srt"))
            path = Path(folder, f"track{number}.{muxer}")
            args += ["-map", f"0:{item.index}", "-c:s", codec, "-f", muxer, str(path)]
            outputs.append((path, fmt))
        if outputs:
            run_ffmpeg(args, timeout=TIMEOUT)
        by_track = iter(outputs)
        for item in items:
            if item.kind == "captions":
                results.append((_extract_captions(name, item, folder), "srt"))
            else:
                path, fmt = next(by_track)
                results.append((path.read_bytes(), fmt))
    return results


def _extract_captions(name: str, item: Track, folder: str) -> bytes:
    """608 captions of a video stream, as SRT: the lavfi movie source splits them out (``[out0+subcc]``)."""
    # The movie source takes a file name inside a filter graph; a link with a plain name spares quoting it.
    link = Path(folder, "captions-source" + Path(name).suffix)
    link.symlink_to(Path(name).resolve())
    return run_ffmpeg(["-f", "lavfi", "-i", f"movie={link.name}:si={item.index}[out0+subcc]",
                       "-map", "0:1", "-c:s", "srt", "-f", "srt", "pipe:1"], timeout=TIMEOUT, cwd=folder)


def _as_document(data: bytes, fmt: str, name: str, item: Track) -> Document:
    doc = loads(data, format=fmt, source=f"{name}#{item.index}")
    changes: dict[str, Any] = {}
    if item.language and doc.language is None:
        changes["language"] = item.language
    if item.title and doc.title is None:
        changes["title"] = item.title
    return doc.replace(**changes) if changes else doc


def extract_all(path: str | Path, selected: Sequence[Track] | None = None) -> list[tuple[Track, Document]]:
    """Read several tracks of ``path`` in one pass (all text tracks by default).

    Raises:
        SubkitIOError: the file does not exist.
        UnsupportedFeatureError: a selected track holds pictures and needs OCR.
        MediaError: ffmpeg failed.
        ConfigError: ffmpeg is missing.
        ParseError: what ffmpeg wrote cannot be read.
    """
    name = _check_file(path)
    items = list(selected) if selected is not None else [t for t in tracks(name, count=False) if t.kind != "image"]
    return [(item, _as_document(data, fmt, name, item))
            for item, (data, fmt) in zip(items, _extract_bytes(name, items), strict=True)]


def extract(path: str | Path, *, track: int | None = None, language: str | None = None) -> Document:
    """Read one subtitle track of ``path`` into a document.

    Without ``track`` or ``language`` the first text track is taken. Times are
    the container's own (see the module notes on ``-copyts``).

    Args:
        path: the media file.
        track: the stream index, as :func:`tracks` lists it.
        language: the first track in this language (``fr``, ``fre``, ``fra``).

    Raises:
        SubkitIOError: the file does not exist.
        ConfigError: no such track, no subtitle tracks, or ffmpeg is missing.
        UnsupportedFeatureError: the track holds pictures (PGS, VobSub, DVB) and needs OCR.
        MediaError: ffmpeg failed.
        ParseError: what ffmpeg wrote cannot be read (strict reading is not used).
    """
    name = _check_file(path)
    item = select_track(tracks(name, count=False), name, track, language)
    return extract_all(name, [item])[0][1]


# ---------------------------------------------------------------- muxing


@dataclass(frozen=True, slots=True)
class SubtitleInput:
    """A document to add as a track, and the track's settings.

    Attributes:
        doc: the captions.
        language: a language tag (``fr``, ``fr-CA``, ``fre``); the document's when ``None``.
        title: the track's name.
        default, forced: the track's flags.
    """

    doc: Document
    language: str | None = None
    title: str | None = None
    default: bool = False
    forced: bool = False


@dataclass(frozen=True, slots=True)
class MuxTrack:
    """A track :func:`mux` wrote.

    Attributes:
        index: its stream index in the output.
        codec: the codec written (``ass``, ``subrip``, ``webvtt``, ``mov_text``).
        cues: how many cues it holds (checked by reading it back).
        losses: what the conversion to the track's format dropped.
    """

    index: int
    codec: str
    cues: int
    losses: tuple[Loss, ...] = ()


@dataclass(frozen=True, slots=True)
class MuxResult:
    """What :func:`mux` did.

    Attributes:
        output: the file written.
        tracks: the new subtitle tracks.
        corrected_ms: a constant offset ffmpeg introduced and that was taken
            back (``None`` when the first mux was exact).
    """

    output: str
    tracks: tuple[MuxTrack, ...] = field(default_factory=tuple)
    corrected_ms: int | None = None


_MATROSKA = (".mkv", ".mka", ".mks")
_MP4 = (".mp4", ".m4v", ".mov")


def _container(output: str) -> str:
    suffix = Path(output).suffix.lower()
    if suffix in _MATROSKA:
        return "matroska"
    if suffix in _MP4:
        return "mp4"
    raise ConfigError(f"{output}: subkit muxes into .mkv, .mp4, .m4v or .mov files, not {suffix or 'no extension'}")


def _track_format(doc: Document, container: str) -> tuple[str, str]:
    """(subkit format written to a temporary file, ffmpeg codec of the track)."""
    if container == "mp4":
        return "srt", "mov_text"
    if doc.source_format in ("ass", "ssa"):
        return "ass", "ass"
    if doc.source_format == "webvtt":
        return "webvtt", "webvtt"
    return "srt", "subrip"


def _key(doc: Document) -> list[tuple[int, int, str]]:
    """Cues as (start, end, text with whitespace collapsed), sorted."""
    return sorted((cue.start_ms, cue.end_ms, " ".join(cue.plain_text().split())) for cue in doc.cues)


def compare_cues(expected: Document, found: Document) -> tuple[list[str], int | None]:
    """Differences between two documents' cue times and text, and the common shift if all times moved alike.

    Returns:
        (one line per difference, at most 5; the offset in ms when every cue
        moved by the same non-zero amount with its text unchanged, else ``None``).
    """
    want, got = _key(expected), _key(found)
    lines: list[str] = []
    if len(want) != len(got):
        lines.append(f"{len(want)} cues written, {len(got)} read back")
    shifts: set[int | None] = set()
    for number, (a, b) in enumerate(zip(want, got, strict=False)):
        if a != b:
            if a[2] == b[2] and b[0] - a[0] == b[1] - a[1]:
                shifts.add(b[0] - a[0])
            else:
                shifts.add(None)
            if len(lines) < 5:
                lines.append(f"cue {number + 1}: wrote {a[0]}-{a[1]} ms {a[2]!r}, read {b[0]}-{b[1]} ms {b[2]!r}")
    offset = None
    if lines and len(want) == len(got) and len(shifts) == 1:
        only = next(iter(shifts))
        if only:
            offset = only
            lines.insert(0, f"every cue moved by {offset:+d} ms")
    return lines, offset


def flatten_overlaps(doc: Document) -> tuple[Document, int]:
    """``doc`` with overlapping cues cut into pieces that do not overlap, and how many cues overlapped.

    A track that shows one sample at a time (MP4's mov_text) cannot hold two
    cues at once. The timeline is cut at every start and end; each piece shows
    the text of every cue on screen then, in order of start, one under the
    other (the first cue's other attributes carry over; word times do not).

    >>> from subkit.model import Cue, content_from_text as t
    >>> flat, count = flatten_overlaps(Document(cues=(Cue(start_ms=0, end_ms=2000, content=t("a")),
    ...                                               Cue(start_ms=1000, end_ms=3000, content=t("b")))))
    >>> count, [(c.start_ms, c.end_ms, c.plain_text()) for c in flat]
    (2, [(0, 1000, 'a'), (1000, 2000, 'a\\nb'), (2000, 3000, 'b')])
    """
    cues = sorted((cue for cue in doc.cues if cue.end_ms > cue.start_ms), key=lambda c: (c.start_ms, c.end_ms))
    overlapping = _overlapping(cues)
    if not overlapping:
        return doc, 0
    cuts = sorted({ms for cue in cues for ms in (cue.start_ms, cue.end_ms)})
    pieces: list[Cue] = []
    active: list[Cue] = []
    waiting = iter(cues)
    upcoming = next(waiting, None)
    for start, end in itertools.pairwise(cuts):
        while upcoming is not None and upcoming.start_ms <= start:
            active.append(upcoming)
            upcoming = next(waiting, None)
        active = [cue for cue in active if cue.end_ms > start]
        shown = [cue for cue in active if end <= cue.end_ms]
        if not shown:
            continue
        content: list[ContentItem] = []
        for number, cue in enumerate(shown):
            if number:
                content.append(LineBreak())
            content.extend(cue.content)
        pieces.append(shown[0].replace(start_ms=start, end_ms=end, content=tuple(content), words=()))
    return doc.with_cues(pieces), len(overlapping)


def _overlapping(cues: Sequence[Cue]) -> set[int]:
    """Indexes of the sorted cues that overlap another one (one sweep)."""
    found: set[int] = set()
    latest_end, latest = -1, -1
    for number, cue in enumerate(cues):
        if cue.start_ms < latest_end:
            found.update((latest, number))
        if cue.end_ms > latest_end:
            latest_end, latest = cue.end_ms, number
    return found


def _mov_text_losses(doc: Document, strict: bool) -> tuple[Loss, ...]:
    """What ffmpeg's mov_text encoder drops beyond SRT: alignment and position tags (cues go to the bottom).

    Raises:
        UnsupportedFeatureError: ``strict`` and a cue is placed.
    """
    report = LossReport("mov_text", strict=strict)
    placed = [number for number, cue in enumerate(doc.cues)
              if cue.placement.align not in (None, 2) or cue.placement.x is not None]
    if placed:
        report.add("alignment", "mov_text as ffmpeg writes it has no placement: cues are drawn at the bottom",
                   cue=placed[0], count=len(placed))
    return tuple(report.losses)


def _mux_command(
    video: str, files: Sequence[tuple[Path, str]], settings: Sequence[SubtitleInput], output: str,
    container: str, existing: int, offset_ms: int,
) -> list[str]:
    args = ["-copyts", "-i", video]
    for path, _codec in files:
        if offset_ms:
            args += ["-itsoffset", f"{-offset_ms / 1000:.3f}"]
        args += ["-i", str(path)]
    args += ["-map", "0:v?", "-map", "0:a?", "-map", "0:s?"]
    if container == "matroska":
        args += ["-map", "0:t?"]
    for number in range(len(files)):
        args += ["-map", f"{number + 1}:0"]
    args += ["-c", "copy"]
    if container == "mp4":
        args += ["-c:s", "mov_text"]
    for number, ((_path, _codec), item) in enumerate(zip(files, settings, strict=True)):
        stream = existing + number
        if container == "matroska":
            args += [f"-c:s:{stream}", "copy"]
        language = item.language or item.doc.language
        args += [f"-metadata:s:s:{stream}", f"language={language_code(language) if language else 'und'}"]
        if item.title:
            args += [f"-metadata:s:s:{stream}", f"title={item.title}"]
            if container == "mp4":
                args += [f"-metadata:s:s:{stream}", f"handler_name={item.title}"]
        flags = [flag for flag, on in (("default", item.default), ("forced", item.forced)) if on]
        args += [f"-disposition:s:{stream}", "+".join(flags) if flags else "0"]
    if container == "matroska":
        # Keep the timeline: Matroska cannot say "skip the priming" as MP4's edit list does, so negative
        # audio timestamps are stored as they are rather than every stream (cues included) being moved.
        args += ["-avoid_negative_ts", "disabled", "-default_mode", "infer_no_subs"]
    args += ["-f", "matroska" if container == "matroska" else ("mov" if output.lower().endswith(".mov") else "mp4"),
             "-y", output]
    return args


def mux(
    video: str | Path,
    subtitles: Sequence[SubtitleInput | Document],
    output: str | Path,
    *,
    verify: bool = True,
    strict: bool = False,
) -> MuxResult:
    """Add ``subtitles`` as new tracks to ``video`` and write ``output``, copying every stream as it is.

    The video's own streams (video, audio, existing subtitles, Matroska
    attachments) are copied, never re-encoded. The output is written to a
    temporary file beside it; with ``verify`` every new track is extracted
    and compared with what was written (times to the millisecond, text), a
    constant shift introduced by ffmpeg is corrected once, and any remaining
    difference raises :class:`MuxVerifyError` without keeping the output.

    Args:
        video: the source media file.
        subtitles: documents (or :class:`SubtitleInput` with track settings).
        output: ``.mkv`` (ASS, WebVTT or SRT tracks) or ``.mp4``/``.m4v``/``.mov`` (``mov_text``).
        verify: read the new tracks back and compare them.
        strict: refuse a conversion that would lose something (MP4's mov_text holds less than ASS).

    Raises:
        SubkitIOError: the video does not exist, or ``output`` is the video.
        ConfigError: an unsupported container or language, or ffmpeg is missing.
        UnsupportedFeatureError: ``strict`` and a track's format cannot hold everything.
        MediaError: ffmpeg failed.
        MuxVerifyError: a track read back differs from what was written.
    """
    source = _check_file(video)
    target = os.fspath(output)
    if Path(target).resolve() == Path(source).resolve():
        raise SubkitIOError(f"{target}: refusing to overwrite the source video", path=target)
    if not Path(target).resolve().parent.is_dir():
        raise SubkitIOError(f"{target}: the folder does not exist", path=target)
    container = _container(target)
    items = [item if isinstance(item, SubtitleInput) else SubtitleInput(item) for item in subtitles]
    if not items:
        raise ConfigError("nothing to mux: give at least one subtitle document")
    existing = sum(1 for t in tracks(source, count=False) if t.kind != "captions")
    temporary = Path(target).with_name(f".{Path(target).stem}.subkit-tmp{Path(target).suffix}")
    with tempfile.TemporaryDirectory(prefix="subkit-mux-") as folder:
        files: list[tuple[Path, str]] = []
        written: list[Document] = []
        losses: list[tuple[Loss, ...]] = []
        for number, item in enumerate(items):
            fmt, codec = _track_format(item.doc, container)
            doc, overlapped = flatten_overlaps(item.doc) if container == "mp4" else (item.doc.sorted(), 0)
            if overlapped:
                flat = LossReport("mov_text", strict=strict)
                flat.add("overlap", "mov_text shows one cue at a time: overlapping cues were cut into pieces "
                         "that show every text on screen", count=overlapped)
            result = _write(doc.sorted(), fmt, strict=strict)
            path = Path(folder, f"track{number}.{ {'webvtt': 'vtt'}.get(fmt, fmt) }")
            data = result.data if isinstance(result.data, bytes) else result.data.encode("utf-8")
            path.write_bytes(data)
            files.append((path, codec))
            # What the track should hold: the file as subkit itself reads it back.
            back = loads(data, format=fmt)
            written.append(back)
            losses.append((*(flat.losses if overlapped else ()), *result.losses, *_mov_text_losses(back, strict))
                          if container == "mp4" else tuple(result.losses))
        try:
            corrected = None
            offset = 0
            found: list[Track] = []
            for attempt in range(2):
                run_ffmpeg(_mux_command(source, files, items, str(temporary.resolve()), container, existing, offset),
                           timeout=TIMEOUT)
                if not verify:
                    found = [t for t in tracks(temporary) if t.kind != "captions"][-len(files):]
                    break
                problems, shift, found = _verify(temporary, written)
                if not problems:
                    corrected = offset or None
                    break
                if attempt == 0 and shift is not None:
                    offset = shift
                    continue
                raise MuxVerifyError(f"{target}: the subtitles read back from the mux differ from what was "
                                     f"written: {'; '.join(problems[:3])}", differences=problems)
            temporary.replace(target)
        finally:
            temporary.unlink(missing_ok=True)
    return MuxResult(
        output=target,
        tracks=tuple(MuxTrack(index=t.index, codec=t.codec, cues=t.cues or 0, losses=lost)
                     for t, lost in zip(found, losses, strict=False)),
        corrected_ms=corrected,
    )


def _verify(path: Path, written: Sequence[Document]) -> tuple[list[str], int | None, list[Track]]:
    """Compare the new tracks of ``path`` with the documents written into them.

    Returns:
        (differences, the common shift of every differing track or ``None``, the new tracks).
    """
    found = [t for t in tracks(path, count=False) if t.kind != "captions"][-len(written):]
    if len(found) != len(written):
        return [f"{len(written)} subtitle tracks written, {len(found)} found"], None, found
    problems: list[str] = []
    shifts: set[int | None] = set()
    counted: list[int] = []
    name = str(path)
    for item, expected, (data, fmt) in zip(found, written, _extract_bytes(name, found), strict=True):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", LossyConversionWarning)
            back = loads(data, format=fmt)
        lines, shift = compare_cues(expected, back)
        counted.append(len(back.cues))
        if lines:
            problems += [f"track {item.index}: {line}" for line in lines]
            shifts.add(shift)
    common = next(iter(shifts)) if len(shifts) == 1 else None
    return problems, common, [dataclasses.replace(t, cues=n) for t, n in zip(found, counted, strict=True)]
