"""TTML / IMSC1 in fragmented MP4 (ISO/IEC 14496-30 ``stpp``, CMAF/DASH/HLS): reader and writer.

An ``stpp`` track's sample entry (``XMLSubtitleSampleEntry``) names the XML
namespace (``http://www.w3.org/ns/ttml``), a schema location and auxiliary
MIME types, and may carry a ``mime`` box with the profile
(``application/ttml+xml;codecs=im1t``). Each sample is one complete TTML
document, in force for the span of the sample.

Reading parses every sample with the TTML reader and puts the cues on the
track's timeline. Time expressions in the documents are media time (the
track's timeline: DASH-IF, CMAF and every packager in use write them so); a
sample none of whose cues meets its own span but all of whose cues do once
shifted by the sample's start is read as sample-relative, with a diagnostic
(``ttml_times`` forces either reading). A cue repeated in consecutive samples
with the same times, or cut at a sample boundary into identical pieces that
meet there, is read as one cue.

Writing runs the TTML writer (IMSC1 text profile) once per fragment, on the
cues shown during the fragment, with their times kept on the media timeline
(a cue spanning a boundary is in both documents, times unchanged); a stretch
without cues gets a document with an empty body. See
``docs/formats/mp4_stpp.md`` for the box layout.

Diagnostics about the boxes carry the sample number as ``line``; those of a
sample's TTML document say ``sample N:`` and give the line in that document.

>>> import subkit
>>> from subkit.model import Cue, Document, content_from_text
>>> doc = Document(cues=(Cue(start_ms=1000, end_ms=4000, content=content_from_text("Hello")),))
>>> data = subkit.dumps(doc, "mp4_stpp", fragment_seconds=2)
>>> subkit.formats.detect(data).name
'mp4_stpp'
>>> [(c.start_ms, c.end_ms, c.plain_text()) for c in subkit.loads(data).cues]
[(1000, 4000, 'Hello')]
"""

from __future__ import annotations

import bisect
import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from subkit.formats import _mp4
from subkit.formats._base import DiagnosticSink
from subkit.formats._mp4_track import (
    Mp4ReadOptions,
    Mp4WriteOptions,
    TimedSample,
    encode,
    plan_spans,
    read_samples,
)
from subkit.formats._ttml_write import IMSC1, LOWERING
from subkit.model import Cue, Diagnostic, Document, LossReport

__all__ = ["CODECS", "FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "read", "sniff", "write"]

NAME = "mp4_stpp"

#: The ``CODECS`` / ``codecs`` value of the track in HLS and DASH manifests (IMSC1 text profile).
CODECS = "stpp.ttml.im1t"

#: What the writer can express: what the IMSC1 text-profile TTML writer can.
FEATURES = IMSC1.features

#: The sample entry's namespace and the ``mime`` box content the writer stores.
NAMESPACE = "http://www.w3.org/ns/ttml"
MIME_TYPE = "application/ttml+xml;codecs=im1t"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(Mp4ReadOptions):
    """Reader options.

    Attributes:
        ttml_times: ``auto`` (media time unless a sample is plainly
            sample-relative), ``media`` or ``sample`` (times count from the
            start of each sample).
    """

    ttml_times: Literal["auto", "media", "sample"] = "auto"

    def __post_init__(self) -> None:
        Mp4ReadOptions.__post_init__(self)
        if self.ttml_times not in ("auto", "media", "sample"):
            raise ValueError(f"ttml_times must be auto, media or sample, got {self.ttml_times!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(Mp4WriteOptions):
    """Writer options (see :class:`~subkit.formats._mp4_track.Mp4WriteOptions`)."""


def sniff(head: bytes) -> bool:
    """True for an ISO BMFF file (or media segment) with an ``stpp`` track."""
    return _mp4.sniff_codec(head) == "stpp"


# -- reading -------------------------------------------------------------------


def _meets(cues: tuple[Cue, ...], start: int, end: int, shift: int) -> bool:
    return any(c.start_ms + shift < end and c.end_ms + shift > start for c in cues) or any(
        c.start_ms == c.end_ms and start <= c.start_ms + shift < end for c in cues)


def _sample_relative(parsed: list[tuple[TimedSample, Document, list[tuple[Cue, Any]]]]) -> bool:
    """Whether the track's documents count time from each sample's start, judged on the whole track.

    Media time unless no sample after time zero has a cue meeting its span and some sample does once
    its cues are shifted by the sample's start.
    """
    relative = False
    previous: Document | None = None
    for sample, piece, _ in parsed:
        repeated = piece is previous or (previous is not None and piece.cues == previous.cues)
        previous = piece
        # A sample repeating the one before (a stretch longer than one 32-bit sample duration, split)
        # says nothing: its document was written for the first of them.
        if not piece.cues or sample.start_ms <= 0 or repeated:
            continue
        if _meets(piece.cues, sample.start_ms, sample.end_ms, 0):
            return False
        relative = relative or _meets(piece.cues, sample.start_ms, sample.end_ms, sample.start_ms)
    return relative


def _identity(cue: Cue) -> Any:
    """What two pieces of one cue share: everything but the times (hashable)."""
    rest = dataclasses.replace(cue, start_ms=0, end_ms=0, words=())
    try:
        hash(rest)
    except TypeError:  # a mapping in Cue.extra holding unhashable values
        return repr(rest)
    return rest


def _shifted(cue: Cue, shift: int) -> Cue:
    if not shift:
        return cue
    words = tuple(dataclasses.replace(w, start_ms=w.start_ms + shift, end_ms=w.end_ms + shift) for w in cue.words)
    return dataclasses.replace(cue, start_ms=cue.start_ms + shift, end_ms=cue.end_ms + shift, words=words)


def read(data: bytes, *, options: ReadOptions) -> Document:
    """Read the ``stpp`` track of a fragmented (or plain) MP4 file, init segment and media segments.

    Raises:
        ParseError: no ``stpp`` track, or (strict) any flaw.
    """
    from subkit.errors import ParseError
    from subkit.formats._ttml_read import TtmlReadOptions, read_document

    sink = DiagnosticSink(NAME, options)
    track, samples = read_samples(data, "stpp", sink, options)
    first: Document | None = None
    styles: dict[str, object] = {}
    regions: dict[str, object] = {}
    cues: list[Cue] = []
    seen_messages: set[str] = set()
    diagnostics: list[Diagnostic] = []
    previous: dict[tuple[int, int, Any], int] = {}  # cue (times, rest) of the previous sample -> index in cues
    previous_end: int | None = None
    last_text: bytes | None = None
    last_piece: Document | None = None
    last_keyed: list[tuple[Cue, Any]] = []
    parsed: list[tuple[TimedSample, Document, list[tuple[Cue, Any]]]] = []
    for sample in samples:
        text = sample.data
        if not text.strip(b"\0 \t\r\n"):
            sink.warn(f"sample {sample.number} is empty", "skipped", line=sample.number)
            continue
        # The same document in consecutive samples (a long cue) is parsed once.
        if text == last_text and last_piece is not None:
            piece, keyed = last_piece, last_keyed
        else:
            try:
                piece = read_document(text.decode("utf-8", "replace").lstrip("\ufeff"), name="ttml",
                                      options=TtmlReadOptions(strict=options.strict, source=(
                                          f"{options.source or 'track'} sample {sample.number}")))
            except ParseError as exc:
                if options.strict:
                    raise
                sink.error(f"sample {sample.number}: not a readable TTML document ({exc})", "sample skipped",
                           line=sample.number)
                continue
            keyed = [(cue, _identity(cue)) for cue in piece.cues]
            last_text, last_piece, last_keyed = text, piece, keyed
            for diag in piece.diagnostics:
                if diag.message not in seen_messages:
                    seen_messages.add(diag.message)
                    diagnostics.append(dataclasses.replace(diag, message=f"sample {sample.number}: {diag.message}"))
        if first is None:
            first = piece
        styles.update(piece.styles)
        regions.update(piece.regions)
        parsed.append((sample, piece, keyed))
    relative = options.ttml_times == "sample" or (options.ttml_times == "auto" and _sample_relative(parsed))
    for sample, _, keyed in parsed:
        shift = sample.start_ms if relative else 0
        contiguous = previous_end is not None and previous_end == sample.start_ms
        current: dict[tuple[int, int, Any], int] = {}
        for cue, rest in keyed:
            cue = _shifted(cue, shift)
            key = (cue.start_ms, cue.end_ms, rest)
            if contiguous and key in previous:
                current[key] = previous[key]  # the same cue repeated in the next sample
                continue
            if contiguous and cue.start_ms == sample.start_ms:
                # A piece cut at the sample boundary: continue the cue that ended there.
                joined = next((i for (s, e, r), i in previous.items()
                               if e == sample.start_ms and r == rest and cues[i].end_ms == sample.start_ms), None)
                if joined is not None:
                    old = cues[joined]
                    cues[joined] = dataclasses.replace(old, end_ms=cue.end_ms, words=(*old.words, *cue.words))
                    current[key] = joined
                    continue
            current[key] = len(cues)
            cues.append(cue)
        previous = current
        previous_end = sample.end_ms
    if relative and options.ttml_times == "auto":
        sink.warn("the samples hold times relative to their own start", "shifted onto the track's timeline")
    if first is None and samples:
        raise sink.fail("no sample holds a readable TTML document")
    base = first or Document()
    cues.sort(key=lambda c: c.start_ms)
    return base.replace(
        cues=tuple(cues),
        styles=styles,
        regions=regions,
        language=base.language or track.language,
        diagnostics=(*sink.items, *diagnostics),
        source_format=NAME,
    )


# -- writing -------------------------------------------------------------------


class _Encoder:
    """One IMSC1 document per fragment."""

    codec = "stpp"
    handler = b"subt"

    def __init__(self, doc: Document, options: WriteOptions, report: LossReport) -> None:
        from subkit.formats._limits import clamp_sample_durations
        from subkit.formats._ttml_common import is_ncname
        from subkit.formats._ttml_write import write_document

        doc = clamp_sample_durations(doc, options.timescale, report)
        write_document(doc, IMSC1, report, options=options)  # the losses, once for the whole document
        # Cue ids the whole-document writer drops (not XML names, or repeated) are dropped here too: a
        # fragment would otherwise keep the second of two equal ids when the first is elsewhere.
        taken: set[str] = set()
        cues: list[Cue] = []
        for cue in doc.cues:
            if cue.id is not None:
                if is_ncname(cue.id) and cue.id not in taken:
                    taken.add(cue.id)
                else:
                    cue = dataclasses.replace(cue, id=None)
            if not cue.comment:
                cues.append(cue)
        self.doc = doc.replace(diagnostics=())
        self.cues = cues  # document order within each sample
        self.write_document = write_document
        self._by_start: list[int] | None = None
        self._starts: list[int] = []
        self._longest = 0
        self._empty: bytes | None = None
        self._written: dict[tuple[int, ...], bytes] = {}

    def sample_entry(self) -> bytes:
        mime = _mp4.full(b"mime", 0, 0, MIME_TYPE.encode("ascii") + b"\0")
        return _mp4.box(b"stpp", bytes(6), b"\x00\x01", NAMESPACE.encode("ascii") + b"\0", b"\0", b"\0", mime)

    def end_ms(self) -> int:
        # A zero-length cue is shown in the sample holding its time, so the track lasts past it.
        return max((c.end_ms if c.end_ms > c.start_ms else c.start_ms + 1 for c in self.cues), default=0)

    def samples(self, start_ms: int, end_ms: int) -> list[tuple[int, int, bytes]]:
        # Cues are sorted by start once; a span looks only at those starting before its end.
        if self._by_start is None:
            self._by_start = sorted(range(len(self.cues)), key=lambda i: self.cues[i].start_ms)
            self._starts = [self.cues[i].start_ms for i in self._by_start]
            self._longest = max((c.end_ms - c.start_ms for c in self.cues), default=0)
        first = bisect.bisect_left(self._starts, start_ms - self._longest)
        last = bisect.bisect_left(self._starts, end_ms)
        picked = sorted(i for i in self._by_start[first:last]
                        if (self.cues[i].end_ms > start_ms or self.cues[i].start_ms == self.cues[i].end_ms >= start_ms))
        if not picked:
            if self._empty is None:
                self._empty = self.write_document(self.doc.replace(cues=()), IMSC1, LossReport(NAME)).encode("utf-8")
            return [(start_ms, end_ms, self._empty)]
        # A long cue makes many fragments show the same cues: their document is written once.
        key = tuple(picked)
        data = self._written.get(key)
        if data is None:
            shown = tuple(self.cues[i] for i in picked)
            data = self.write_document(self.doc.replace(cues=shown), IMSC1, LossReport(NAME)).encode("utf-8")
            self._written = {key: data}
        return [(start_ms, end_ms, data)]


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> bytes:
    """Serialise ``doc`` as one fragmented MP4 file with an ``stpp`` track.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    enc = _Encoder(doc, options, report)
    length = None if options.fragment_seconds is None else max(round(options.fragment_seconds * 1000), 1)
    spans = plan_spans(enc.end_ms(), length, [(c.start_ms, c.end_ms) for c in enc.cues])
    encoded = encode(enc, spans, timescale=options.timescale, language=options.language or doc.language,
                     track_id=options.track_id)
    return encoded.init + b"".join(encoded.fragments)


def encoder(doc: Document, options: WriteOptions, report: LossReport) -> _Encoder:
    """The sample encoder for ``doc`` (used to build media segments).

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    return _Encoder(doc, options, report)
