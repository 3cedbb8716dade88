"""WebVTT in fragmented MP4 (ISO/IEC 14496-30 ``wvtt``, CMAF/DASH/HLS): reader and writer.

A ``wvtt`` track keeps the WebVTT file header (``WEBVTT`` line, ``STYLE`` and
``REGION`` blocks) in the sample entry's ``vttC`` box and a source label in
``vlab``. The timeline is cut into samples that never overlap: each sample
holds one ``vttc`` box per cue shown during the whole of it (``iden`` the
cue identifier, ``sttg`` the settings, ``payl`` the cue text), or a single
``vtte`` box when nothing is shown. A cue that lasts over several samples
(because another cue starts or ends meanwhile, or a fragment boundary falls
inside it) is repeated in each of them.

Reading joins the repeats back into one cue: a ``vttc`` identical byte for
byte to one in the sample right before continues that cue. The cues are then
given to the WebVTT reader as a WebVTT file (header from ``vttC``), so cue
text, settings, styles and regions mean exactly what they mean in ``.vtt``.
Writing runs the WebVTT writer first and packs its cues the same way back.
See ``docs/formats/mp4_wvtt.md`` for the box layout.

Diagnostics about the boxes carry the sample number as ``line``.

>>> import subkit
>>> from subkit.model import Cue, Document, content_from_text
>>> doc = Document(cues=(Cue(start_ms=1000, end_ms=4000, content=content_from_text("Hello")),
...                      Cue(start_ms=2000, end_ms=3000, content=content_from_text("World"))))
>>> data = subkit.dumps(doc, "mp4_wvtt")
>>> data[4:8], subkit.formats.detect(data).name
(b'ftyp', 'mp4_wvtt')
>>> [(c.start_ms, c.end_ms, c.plain_text()) for c in subkit.loads(data).cues]
[(1000, 4000, 'Hello'), (2000, 3000, 'World')]
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

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
from subkit.formats.webvtt import FEATURES as WEBVTT_FEATURES
from subkit.formats.webvtt import LOWERING as WEBVTT_LOWERING
from subkit.model import Document, LossReport
from subkit.timing import format_vtt

__all__ = ["CODECS", "FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "read", "sniff", "write"]

NAME = "mp4_wvtt"

#: The ``CODECS`` / ``codecs`` value of the track in HLS and DASH manifests.
CODECS = "wvtt"

#: What the writer can express: what WebVTT can.
FEATURES = WEBVTT_FEATURES
#: How documents are lowered: WebVTT's way (its writer runs the stage), cues then cut to what a sample can last.
LOWERING = WEBVTT_LOWERING

#: ``Document.header`` key of the ``vlab`` source label.
LABEL_KEY = "mp4_wvtt.label"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(Mp4ReadOptions):
    """Reader options (see :class:`~subkit.formats._mp4_track.Mp4ReadOptions`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(Mp4WriteOptions):
    """Writer options (see :class:`~subkit.formats._mp4_track.Mp4WriteOptions`).

    Attributes:
        label: the ``vlab`` source label (default: the one read, else none).
    """

    label: str | None = None


def sniff(head: bytes) -> bool:
    """True for an ISO BMFF file (or media segment) with a ``wvtt`` track."""
    return _mp4.sniff_codec(head) == "wvtt"


# -- reading -------------------------------------------------------------------


@dataclass(slots=True)
class _Open:
    start: int
    order: tuple[int, int]
    end: int


def _vttc_boxes(sample: TimedSample, sink: DiagnosticSink) -> list[bytes] | None:
    """The ``vttc`` payloads of a sample (``[]`` for ``vtte``), ``None`` when unreadable."""
    problems: list[str] = []
    boxes = list(_mp4.walk(sample.data, problems=problems))
    for problem in problems:
        sink.warn(f"sample {sample.number}: {problem}", "read what fits", line=sample.number)
    out: list[bytes] = []
    for item in boxes:
        if item.type == "vttc":
            out.append(item.payload(sample.data))
        elif item.type not in ("vtte", "vtta"):
            sink.warn(f"sample {sample.number}: unexpected {item.type!r} box", "ignored", line=sample.number)
    if not boxes and sample.data:
        sink.error(f"sample {sample.number} holds no boxes", "sample skipped", line=sample.number)
        return None
    return out


def _cue_fields(payload: bytes, number: int, sink: DiagnosticSink) -> tuple[str, str, str]:
    ident = settings = text = ""
    for item in _mp4.walk(payload):
        value = item.payload(payload).decode("utf-8", "replace")
        if item.type == "iden":
            ident = value
        elif item.type == "sttg":
            settings = value
        elif item.type == "payl":
            text = value
        elif item.type != "ctim":  # ctim: the time of the sample within a split cue; times here are absolute
            sink.warn(f"sample {number}: unknown {item.type!r} box in a cue", "ignored", line=number)
    return ident, settings, text


def _clean(text: str, what: str, number: int, sink: DiagnosticSink) -> str:
    # A blank line or '-->' would end the cue early in the WebVTT text handed to the WebVTT reader.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = [line for line in lines if line]  # a line of spaces is text in WebVTT; only an empty one ends a cue
    if len(kept) != len(lines) and text:
        sink.warn(f"sample {number}: blank lines in the cue {what}", "removed", line=number)
    if any("-->" in line for line in kept):
        sink.warn(f"sample {number}: '-->' in the cue {what}", "written as '--&gt;'", line=number)
        kept = [line.replace("-->", "--&gt;") for line in kept]
    return "\n".join(kept)


def read(data: bytes, *, options: ReadOptions) -> Document:
    """Read the ``wvtt`` track of a fragmented (or plain) MP4 file, init segment and media segments.

    Raises:
        ParseError: no ``wvtt`` track, or (strict) any flaw.
    """
    from subkit.formats import webvtt

    sink = DiagnosticSink(NAME, options)
    track, samples = read_samples(data, "wvtt", sink, options)
    entry = track.entries[0] if track.entries else _mp4.SampleEntry("wvtt")
    # Cues still shown at the end of the previous sample, by vttc bytes; a multiset since two identical
    # cues may be shown at once.
    open_cues: dict[bytes, list[_Open]] = {}
    done: list[tuple[tuple[int, int], bytes, int, int]] = []
    previous_end: int | None = None
    for sample in samples:
        boxes = _vttc_boxes(sample, sink)
        if boxes is None:
            continue
        if sample.end_ms < sample.start_ms:
            sink.warn(f"sample {sample.number} ends before it starts", "skipped", line=sample.number)
            continue
        if sample.end_ms == sample.start_ms:
            # A zero-duration sample holds zero-length cues; it neither ends nor continues the others.
            done.extend(((sample.number, i), payload, sample.start_ms, sample.start_ms)
                        for i, payload in enumerate(boxes))
            continue
        contiguous = previous_end is not None and sample.start_ms == previous_end
        carried: dict[bytes, list[_Open]] = {}
        for position, payload in enumerate(boxes):
            waiting = open_cues.get(payload) if contiguous else None
            if waiting:
                cue = waiting.pop(0)
                cue.end = sample.end_ms
            else:
                cue = _Open(sample.start_ms, (sample.number, position), sample.end_ms)
            carried.setdefault(payload, []).append(cue)
        for payload, left in open_cues.items():
            done.extend((cue.order, payload, cue.start, cue.end) for cue in left)
        open_cues = carried
        previous_end = sample.end_ms
    for payload, left in open_cues.items():
        done.extend((cue.order, payload, cue.start, cue.end) for cue in left)
    done.sort(key=lambda item: (item[2], item[0]))
    header = entry.boxes.get("vttC", b"").decode("utf-8", "replace").replace("\r\n", "\n").strip("\n")
    if not header.startswith("WEBVTT"):
        if header:
            sink.warn("the vttC header does not start with WEBVTT", "WEBVTT line added")
        header = "WEBVTT\n\n" + header if header else "WEBVTT"
    blocks = [header]
    for (number, _), payload, start, end in done:
        ident, settings, text = _cue_fields(payload, number, sink)
        ident = _clean(ident, "identifier", number, sink).replace("\n", " ")
        timing = f"{format_vtt(start)} --> {format_vtt(end)}"
        settings = settings.replace("\n", " ").strip()
        lines = [ident] if ident else []
        lines.append(f"{timing} {settings}" if settings else timing)
        text = _clean(text, "text", number, sink)
        if text:
            lines.append(text)
        blocks.append("\n".join(lines))
    doc = webvtt.read("\n\n".join(blocks) + "\n", options=webvtt.ReadOptions(strict=options.strict,
                                                                             source=options.source))
    header_fields = dict(doc.header)
    label = entry.boxes.get("vlab")
    if label:
        header_fields[LABEL_KEY] = label.decode("utf-8", "replace")
    return doc.replace(
        header=header_fields,
        language=doc.language or track.language,
        diagnostics=(*sink.items, *doc.diagnostics),
        source_format=NAME,
    )


# -- writing -------------------------------------------------------------------

#: The sample shown when no cue is.
_EMPTY = _mp4.box(b"vtte")

_TIMING = re.compile(r"^(\S+) --> (\S+)(?: (.*))?$")


def _ms(text: str) -> int:
    *hours, minutes, rest = text.split(":")
    seconds, millis = rest.split(".")
    return ((int(hours[0]) if hours else 0) * 3600 + int(minutes) * 60 + int(seconds)) * 1000 + int(millis)


@dataclass(frozen=True, slots=True)
class _WvttCue:
    start: int
    end: int
    box: bytes
    order: int


class _Encoder:
    """The WebVTT writer's output cut into ``wvtt`` samples."""

    codec = "wvtt"
    handler = b"text"

    def __init__(self, doc: Document, options: WriteOptions, report: LossReport) -> None:
        from subkit.formats import webvtt
        from subkit.formats._limits import clamp_sample_durations

        doc = clamp_sample_durations(doc, options.timescale, report)
        text = webvtt.write(doc, options=webvtt.WriteOptions(strict=options.strict), report=report)
        header: list[str] = []
        cues: list[_WvttCue] = []
        zero: dict[int, list[bytes]] = {}
        dropped_notes = 0
        for block in text.split("\n\n"):
            lines = [line for line in block.split("\n") if line]
            if not lines:
                continue
            timed = 0 if "-->" in lines[0] else 1 if len(lines) > 1 and "-->" in lines[1] else -1
            if timed < 0:
                if cues and lines[0].startswith("NOTE"):
                    dropped_notes += 1
                else:
                    header.append("\n".join(lines))
                continue
            match = _TIMING.match(lines[timed])
            if match is None:  # the WebVTT writer always writes "start --> end [settings]"
                raise AssertionError(f"unexpected WebVTT timing line {lines[timed]!r}")
            start, end = _ms(match.group(1)), _ms(match.group(2))
            parts = []
            if timed:
                parts.append(_mp4.box(b"iden", lines[0].encode("utf-8")))
            if match.group(3):
                parts.append(_mp4.box(b"sttg", match.group(3).encode("utf-8")))
            parts.append(_mp4.box(b"payl", "\n".join(lines[timed + 1 :]).encode("utf-8")))
            if end <= start:
                # A zero-length cue goes into a sample of zero duration at its time.
                zero.setdefault(start, []).append(_mp4.box(b"vttc", *parts))
                continue
            cues.append(_WvttCue(start, end, _mp4.box(b"vttc", *parts), len(cues)))
        # Identical cues that touch or overlap would read as one (or swap ends); a ctim box holding each
        # one's start tells them apart without changing what is shown.
        groups: dict[bytes, list[int]] = {}
        for index, cue in enumerate(cues):
            groups.setdefault(cue.box, []).append(index)
        marked: set[int] = set()
        for members in groups.values():
            members.sort(key=lambda i: cues[i].start)
            reach = -1
            for index in members:
                if reach >= 0 and cues[index].start <= cues[reach].end:
                    marked.update((index, reach))
                if reach < 0 or cues[index].end > cues[reach].end:
                    reach = index
        for index in sorted(marked):
            cue = cues[index]
            stamp = _mp4.box(b"ctim", format_vtt(cue.start).encode("ascii"))
            cues[index] = _WvttCue(cue.start, cue.end, _mp4.box(b"vttc", stamp, cue.box[8:]), cue.order)
        if dropped_notes:
            report.add("notes", "comments between cues have no place in wvtt samples; dropped", count=dropped_notes)
        self.header = "\n\n".join(header)
        self.label = options.label if options.label is not None else doc.header.get(LABEL_KEY)
        self.cues = cues
        # Sample boundaries: every cue start and end; a sweep keeps the cues shown between two of them.
        self._bounds = sorted({c.start for c in cues} | {c.end for c in cues})
        self._order = sorted(range(len(cues)), key=lambda i: cues[i].start)
        self._zero = {time: b"".join(boxes) for time, boxes in zero.items()}
        self._zero_times = sorted(self._zero)
        self._intervals: list[tuple[int, int, bytes]] | None = None
        self._starts: list[int] = []

    def sample_entry(self) -> bytes:
        boxes = [_mp4.box(b"vttC", self.header.encode("utf-8"))]
        if self.label:
            boxes.append(_mp4.box(b"vlab", self.label.encode("utf-8")))
        return _mp4.box(b"wvtt", bytes(6), b"\x00\x01", *boxes)

    def end_ms(self) -> int:
        return max(max((c.end for c in self.cues), default=0), max(self._zero_times, default=-1) + 1)

    def busy(self) -> list[tuple[int, int]]:
        """Where cues are shown (zero-length ones included), for fragment planning."""
        return [(c.start, c.end) for c in self.cues] + [(t, t) for t in self._zero_times]

    def intervals(self) -> list[tuple[int, int, bytes]]:
        """Every stretch between two boundaries with the concatenated ``vttc`` boxes (``b""``: none shown)."""
        cues, bounds = self.cues, self._bounds
        out: list[tuple[int, int, bytes]] = []
        shown: list[int] = []
        nxt = 0
        order = self._order
        for a, b in itertools.pairwise(bounds):
            while nxt < len(order) and cues[order[nxt]].start <= a:
                shown.append(order[nxt])
                nxt += 1
            shown = [i for i in shown if cues[i].end > a]
            shown.sort()
            out.append((a, b, b"".join(cues[i].box for i in shown)))
        return out

    def samples(self, start_ms: int, end_ms: int) -> list[tuple[int, int, bytes]]:
        if self._intervals is None:
            self._intervals = self.intervals()
            self._starts = [item[0] for item in self._intervals]
        items = self._intervals
        index = max(bisect.bisect_right(self._starts, start_ms) - 1, 0)
        out: list[tuple[int, int, bytes]] = []
        position = start_ms
        while position < end_ms:
            if index < len(items) and items[index][1] <= position:
                index += 1
                continue
            if index < len(items) and items[index][0] <= position:
                stop = min(items[index][1], end_ms)
                data = items[index][2] or _EMPTY
            else:
                stop = min(items[index][0], end_ms) if index < len(items) else end_ms
                data = _EMPTY
            # Neighbouring empty stretches make one vtte sample.
            if data is _EMPTY and out and out[-1][2] is _EMPTY:
                out[-1] = (out[-1][0], stop, _EMPTY)
            else:
                out.append((position, stop, data))
            position = stop
        # Zero-length cues: a zero-duration sample at their time, splitting the sample that time falls in.
        first = bisect.bisect_left(self._zero_times, start_ms)
        last = bisect.bisect_left(self._zero_times, end_ms)
        for time in self._zero_times[first:last]:
            at = next(i for i, (a, b, _) in enumerate(out) if a <= time < b)
            a, b, data = out[at]
            pieces = [(time, time, self._zero[time]), (time, b, data)]
            out[at : at + 1] = ([(a, time, data)] if a < time else []) + pieces
        return out


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> bytes:
    """Serialise ``doc`` as one fragmented MP4 file with a ``wvtt`` track.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    encoder = _Encoder(doc, options, report)
    length = None if options.fragment_seconds is None else max(round(options.fragment_seconds * 1000), 1)
    spans = plan_spans(encoder.end_ms(), length, encoder.busy())
    encoded = encode(encoder, spans, timescale=options.timescale, language=options.language or doc.language,
                     track_id=options.track_id)
    return encoded.init + b"".join(encoded.fragments)


def encoder(doc: Document, options: WriteOptions, report: LossReport) -> _Encoder:
    """The sample encoder for ``doc`` (used to build media segments).

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    return _Encoder(doc, options, report)
