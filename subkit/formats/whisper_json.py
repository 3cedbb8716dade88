"""Whisper JSON (``.json``): the transcription result of openai-whisper; reader and writer.

The de-facto schema is the dictionary ``whisper.transcribe`` returns:
``{"text", "segments": [...], "language"}``, each segment with ``id``,
``seek``, ``start`` and ``end`` (float seconds), ``text`` (usually with a
leading space), decoder statistics and, with word timestamps, ``words``:
``{"word", "start", "end", "probability"}``, a word keeping its leading space.
Variants read as well:

* whisper-timestamped: words are ``{"text", "start", "end", "confidence"}``
  without spaces or punctuation, and segments have a ``confidence``;
* WhisperX: a ``speaker`` on segments (read into :attr:`Cue.speaker`).

Mapping to the model:

* a segment is a cue, its text stripped; the decoder statistics (``seek``,
  ``tokens``, ``temperature``, ``avg_logprob``, ``compression_ratio``,
  ``no_speech_prob``, ``confidence``) are kept in :attr:`Cue.extra` as JSON
  text under ``whisper_json.<key>`` and written back;
* words become :attr:`Cue.words` with their probability as confidence; the
  word texts are made to join to the cue text: Whisper's leading spaces move
  to the end of the previous word, and words without punctuation
  (whisper-timestamped) take the text up to the next word;
* ``language`` is :attr:`Document.language`.

The writer emits the same shape (``word``/``probability`` spelling) from any
document: segment text with a leading space, words when the cue has them,
hard line breaks as spaces (reported).

Leniencies (each a diagnostic; ``strict=True`` raises instead):

* segments or words that are not objects or lack times (skipped; a segment
  without times takes them from its words);
* an end before the start (set to the start);
* words outside their segment or out of order (kept);
* confidences outside 0-1 (clamped).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

from subkit.formats._asr_json import (
    JsonSource,
    align_to_text,
    dump_json,
    leading_spaces,
    load_json_list,
    ms_to_seconds,
    read_confidence,
    read_twice,
    seconds_to_ms,
    trailing_spaces,
)
from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink
from subkit.formats._lower import Lowering, lower
from subkit.formats._timed_lines import flat_text
from subkit.model import Cue, Document, LossReport, Run, Word

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "read", "sniff", "write"]

NAME = "whisper_json"

#: What the writer can express.
FEATURES = frozenset({"word-timing", "speaker"})
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
#: Negative times are written as such (the reader takes them back).
LOWERING = Lowering(negative="keep")

#: Segment fields kept in ``Cue.extra`` (as JSON text) and written back.
KEPT_FIELDS = ("seek", "tokens", "temperature", "avg_logprob", "compression_ratio", "no_speech_prob", "confidence")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(BaseReadOptions):
    """Whisper JSON reader options (only the common ones)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """Whisper JSON writer options.

    Attributes:
        words: write the cues' timed words (``False`` leaves them out, reported).
    """

    words: bool = True


def sniff(head: str) -> bool:
    """True for a JSON object with a ``"segments"`` key near the top (and no ``"subkit"`` or ``"monologues"``)."""
    start = head.lstrip()
    return start.startswith("{") and '"segments"' in head and '"monologues"' not in head and not start.startswith(
        '{"subkit"'
    )


def _words(seg: dict[str, Any], src: JsonSource, sink: DiagnosticSink) -> list[tuple[str, int, int, float | None]]:
    raw = seg.get("words")
    if raw is None:
        return []
    if not isinstance(raw, list):
        sink.error("'words' is not a list", "ignored it", line=src.line(seg))
        return []
    result: list[tuple[str, int, int, float | None]] = []
    for position, word in enumerate(raw):
        line = src.line_in(raw, position)
        if not isinstance(word, dict):
            sink.error("a word is not an object", "skipped it", line=line)
            continue
        text = word.get("word", word.get("text"))
        start, end = seconds_to_ms(word.get("start")), seconds_to_ms(word.get("end"))
        if not isinstance(text, str) or start is None or end is None:
            sink.error("a word without text or times", "skipped it", line=line)
            continue
        if end < start:
            sink.error("word ends before it starts", "set its end to its start", line=line)
            end = start
        confidence = read_confidence(word.get("probability", word.get("confidence")), sink, line)
        result.append((text, start, end, confidence))
    return result


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse Whisper JSON into a document.

    Raises:
        ParseError: the text is not JSON with a ``segments`` list, or (strict) any flaw.
    """
    return read_twice(lambda positions: _read(data, options, positions), options.strict)


def _read(data: str, options: ReadOptions, positions: bool) -> Document:
    sink = DiagnosticSink(NAME, options)
    src, top = load_json_list(data, sink, "Whisper", "segments", positions=positions, not_this="not Whisper JSON")
    language = top.get("language") if isinstance(top.get("language"), str) else None
    cues: list[Cue] = []
    for position, seg in enumerate(top["segments"]):
        line = src.line_in(top["segments"], position)
        if not isinstance(seg, dict):
            sink.error("a segment is not an object", "skipped it", line=line)
            continue
        words = _words(seg, src, sink)
        start, end = seconds_to_ms(seg.get("start")), seconds_to_ms(seg.get("end"))
        if (start is None or end is None) and words:
            sink.warn("segment without times", "took them from its words", line=line)
            start = words[0][1] if start is None else start
            end = max(w[2] for w in words) if end is None else end
        if start is None or end is None:
            sink.error("segment without start or end", "skipped it", line=line)
            continue
        if end < start:
            sink.error("segment ends before it starts", "set its end to its start", line=line)
            end = start
        text_value = seg.get("text")
        text = text_value.strip() if isinstance(text_value, str) else ""
        if not text and words:
            text = "".join(trailing_spaces([w[0] for w in words]))
        if any(w[1] < start or w[2] > end for w in words):
            sink.warn("words outside their segment", "kept them", line=line)
        if any(b[1] < a[1] for a, b in itertools.pairwise(words)):
            sink.warn("words out of time order", "kept them", line=line)
        texts = _word_texts(text, [w[0] for w in words])
        cue_words = tuple(
            Word(text=word_text, start_ms=w[1], end_ms=w[2], confidence=w[3])
            for word_text, w in zip(texts, words, strict=True)
        )
        extra = {f"{NAME}.{key}": json.dumps(seg[key]) for key in KEPT_FIELDS if key in seg}
        speaker = seg.get("speaker") if isinstance(seg.get("speaker"), str) else None
        cues.append(Cue(start_ms=start, end_ms=end, content=(Run(text),) if text else (), words=cue_words,
                        speaker=speaker, extra=extra))
    if top["segments"] and not cues:
        raise sink.fail("no segment could be read", line=src.line(top["segments"]))
    return Document(cues=tuple(cues), language=language, source_format=NAME, diagnostics=tuple(sink.items))


def _word_texts(text: str, raw: list[str]) -> list[str]:
    """Word texts that join to ``text`` when the words fit it; else the words' own texts, stripped."""
    if not raw:
        return []
    moved = trailing_spaces(raw)
    if "".join(moved) == text:
        return moved
    aligned = align_to_text(text, raw)
    return aligned if aligned is not None else [w.strip() for w in raw]


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as Whisper JSON.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    supported = set(FEATURES) if options.words else FEATURES - {"word-timing"}
    lowered = lower(doc, LOWERING, report, options=options, supported=supported, raw_format=NAME)
    segments: list[dict[str, Any]] = []
    for index, cue in lowered.cues:
        text = flat_text(cue, index, report)
        segment: dict[str, Any] = {"id": len(segments)}
        for key in KEPT_FIELDS[:1]:
            if f"{NAME}.{key}" in cue.extra:
                segment[key] = _kept(cue.extra[f"{NAME}.{key}"])
        segment["start"] = ms_to_seconds(cue.start_ms)
        segment["end"] = ms_to_seconds(cue.end_ms)
        segment["text"] = " " + text if text else ""
        for key in KEPT_FIELDS[1:]:
            if f"{NAME}.{key}" in cue.extra:
                segment[key] = _kept(cue.extra[f"{NAME}.{key}"])
        if cue.speaker is not None:
            segment["speaker"] = cue.speaker
        if cue.words and options.words:
            texts = leading_spaces([w.text.replace("\n", " ") for w in cue.words])
            if not cue.words_align():
                texts = [" " + w.text.strip() for w in cue.words]
            words: list[dict[str, Any]] = []
            for word, word_text in zip(cue.words, texts, strict=True):
                entry: dict[str, Any] = {
                    "word": word_text,
                    "start": ms_to_seconds(word.start_ms),
                    "end": ms_to_seconds(word.end_ms),
                }
                if word.confidence is not None:
                    entry["probability"] = word.confidence
                words.append(entry)
            segment["words"] = words
        segments.append(segment)
    top: dict[str, Any] = {"text": "".join(s["text"] for s in segments), "segments": segments}
    if doc.language is not None:
        top["language"] = doc.language
    return dump_json(top)


def _kept(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text
