"""Rev transcript JSON (``.json``): Rev.ai and rev.com transcripts; reader and writer.

The shape: ``{"monologues": [{"speaker": 0, "speaker_name": "Ann",
"elements": [...]}]}``, where an element is ``{"type": "text", "value":
"Hi", "ts": 0.3, "end_ts": 0.52, "confidence": 1.0}`` for a word,
``{"type": "punct", "value": ","}`` for punctuation and the spaces between
words (no times), or ``{"type": "unknown", ...}`` for markers such as
``<inaudible>``. The transcript is the concatenation of the values.

Mapping to the model:

* a text element (or a timed unknown element) starts a :class:`Word` with
  its times and confidence; the punctuation and spaces after it join the
  word's text, so the words of a cue join to its text;
* each monologue is cut into caption-sized cues (:func:`group_words`):
  after a word that ends a sentence (``.``, ``?``, ``!``, ``…``), before a
  pause of :data:`PAUSE_MS` or more, and before a word that would make the
  cue longer than :data:`MAX_CUE_MS` or :data:`MAX_CUE_CHARS` characters;
  a cue runs from its first word's start to its last word's end;
* the speaker is ``speaker_name``, else ``Speaker <n>``; the number is kept
  in ``Cue.extra["rev_json.speaker"]``.

The writer emits one monologue per cue, so a file it wrote reads back into
the same cues, except cues that :func:`group_words` would cut (reported as
``split``). A cue without timed words gets words estimated from its text
(times shared out by length) and the estimate is reported.

Leniencies (each a diagnostic; ``strict=True`` raises instead):

* text elements without times (their text joins the word before);
* an end before the start (set to the start);
* confidences outside 0-1 (clamped);
* monologues or elements that are not objects (skipped).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring as _encode_string
from typing import Any

from subkit.formats._asr_json import (
    JsonSource,
    load_json_list,
    ms_to_seconds,
    read_confidence,
    read_twice,
    seconds_to_ms,
)
from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink
from subkit.formats._lower import Lowering, lower
from subkit.formats._timed_lines import flat_text
from subkit.model import Cue, Document, LossReport, Run, Word

__all__ = [
    "FEATURES",
    "LOWERING",
    "MAX_CUE_CHARS",
    "MAX_CUE_MS",
    "NAME",
    "PAUSE_MS",
    "ReadOptions",
    "WriteOptions",
    "group_words",
    "read",
    "sniff",
    "write",
]

NAME = "rev_json"

#: What the writer can express.
FEATURES = frozenset({"word-timing", "speaker"})
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
#: Negative times are written as such (the reader takes them back).
LOWERING = Lowering(negative="keep")

#: A silence at least this long between two words starts a new cue.
PAUSE_MS = 1000
#: The longest cue the grouping makes (unless one word is longer).
MAX_CUE_MS = 6000
#: The most characters in a cue (two lines of 42).
MAX_CUE_CHARS = 84

_SENTENCE_END = re.compile(r"[.?!…。？！][\"'”’)\]]*\s*$")
_SPEAKER_N = re.compile(r"Speaker (\d+)")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(BaseReadOptions):
    """Rev JSON reader options.

    Attributes:
        pause_ms, max_cue_ms, max_cue_chars: the grouping limits (see
            :func:`group_words`).
    """

    pause_ms: int = PAUSE_MS
    max_cue_ms: int = MAX_CUE_MS
    max_cue_chars: int = MAX_CUE_CHARS


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """Rev JSON writer options (only the common ones)."""


def sniff(head: str) -> bool:
    """True for a JSON object with a ``"monologues"`` key near the top."""
    return head.lstrip().startswith("{") and '"monologues"' in head


def group_words(
    words: Sequence[Word],
    *,
    pause_ms: int = PAUSE_MS,
    max_cue_ms: int = MAX_CUE_MS,
    max_cue_chars: int = MAX_CUE_CHARS,
) -> list[list[Word]]:
    """Cut one speaker's words into caption-sized groups.

    A group ends after a word that ends a sentence; a new group starts before
    a word that follows a pause of ``pause_ms`` or more, or that would make
    the group last longer than ``max_cue_ms`` or hold more than
    ``max_cue_chars`` characters (spaces at its end not counted). Applied to
    a group it made, the rule gives that group back.

    >>> ws = [Word(text=t, start_ms=s, end_ms=s + 300) for t, s in (("Hi. ", 0), ("So ", 400), ("there", 3000))]
    >>> [[w.text for w in g] for g in group_words(ws)]
    [['Hi. '], ['So '], ['there']]
    """
    groups: list[list[Word]] = []
    current: list[Word] = []
    length = 0
    last_end = 0  # the latest end in the current group
    for word in words:
        if current:
            longer = max(last_end, word.end_ms) - current[0].start_ms > max_cue_ms
            wider = length + len(word.text.rstrip()) > max_cue_chars
            if word.start_ms - last_end >= pause_ms or longer or wider:
                groups.append(current)
                current, length = [], 0
        last_end = max(last_end, word.end_ms) if current else word.end_ms
        current.append(word)
        length += len(word.text)
        if _SENTENCE_END.search(word.text):
            groups.append(current)
            current, length = [], 0
    if current:
        groups.append(current)
    return groups


def _monologue_words(mono: dict[str, Any], src: JsonSource, sink: DiagnosticSink) -> list[Word]:
    """The words of one monologue, punctuation attached to the word before it."""
    elements = mono.get("elements")
    if not isinstance(elements, list):
        sink.error("monologue without an 'elements' list", "skipped it", line=src.line(mono))
        return []
    pending: list[list[Any]] = []  # [text, start, end, confidence]
    prefix = ""
    for position, element in enumerate(elements):
        # The line of an element is looked up only for what is reported about it.
        if not isinstance(element, dict):
            sink.error("an element is not an object", "skipped it", line=src.line_in(elements, position))
            continue
        value = element.get("value")
        if not isinstance(value, str):
            sink.error("an element without a text value", "skipped it", line=src.line_in(elements, position))
            continue
        kind = element.get("type")
        start, end = seconds_to_ms(element.get("ts")), seconds_to_ms(element.get("end_ts"))
        timed = start is not None and end is not None
        if kind == "text" and not timed:
            sink.warn("a word without times", "joined it to the word before", line=src.line_in(elements, position))
        if kind in ("text", "unknown") and timed:
            assert start is not None and end is not None
            if end < start:
                sink.error("word ends before it starts", "set its end to its start",
                           line=src.line_in(elements, position))
                end = start
            confidence = element.get("confidence")
            if confidence is not None:
                confidence = read_confidence(confidence, sink, src.line_in(elements, position))
            pending.append([prefix + value, start, end, confidence])
            prefix = ""
        elif pending:
            pending[-1][0] += value
        else:
            prefix += value
    words: list[Word] = []
    for text, start, end, confidence in pending:
        words.append(Word(text=text, start_ms=start, end_ms=end, confidence=confidence))
    return words


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse Rev transcript JSON into a document.

    Raises:
        ParseError: the text is not JSON with a ``monologues`` list, or (strict) any flaw.
    """
    return read_twice(lambda positions: _read(data, options, positions), options.strict)


def _read(data: str, options: ReadOptions, positions: bool) -> Document:
    sink = DiagnosticSink(NAME, options)
    src, top = load_json_list(
        data, sink, "Rev transcript", "monologues", positions=positions, not_this="not a Rev transcript"
    )
    cues: list[Cue] = []
    for position, mono in enumerate(top["monologues"]):
        if not isinstance(mono, dict):
            sink.error("a monologue is not an object", "skipped it", line=src.line_in(top["monologues"], position))
            continue
        number = mono.get("speaker")
        name = mono.get("speaker_name")
        speaker: str | None = name if isinstance(name, str) and name else None
        extra: dict[str, str] = {}
        if isinstance(number, int) and not isinstance(number, bool):
            extra[f"{NAME}.speaker"] = str(number)
            speaker = speaker or f"Speaker {number}"
        words = _monologue_words(mono, src, sink)
        groups = group_words(words, pause_ms=options.pause_ms, max_cue_ms=options.max_cue_ms,
                             max_cue_chars=options.max_cue_chars)
        for group in groups:
            last = group[-1]
            stripped = last.text.rstrip()
            if stripped != last.text:
                group = [*group[:-1], Word(text=stripped, start_ms=last.start_ms, end_ms=last.end_ms,
                                           confidence=last.confidence)]
            first = group[0]
            if first.text != first.text.lstrip():
                group[0] = Word(text=first.text.lstrip(), start_ms=first.start_ms, end_ms=first.end_ms,
                                confidence=first.confidence)
            text = "".join(w.text for w in group)
            cues.append(Cue(start_ms=group[0].start_ms, end_ms=max(w.end_ms for w in group),
                            content=(Run(text),) if text else (), words=tuple(group), speaker=speaker,
                            extra=extra))
    if top["monologues"] and not cues and sink.items:
        raise sink.fail("no word could be read", line=src.line(top["monologues"]))
    return Document(cues=tuple(cues), source_format=NAME, diagnostics=tuple(sink.items))


_TAIL = re.compile(r"(?:\s+|[^\w\s]+)+$")
_PIECES = re.compile(r"\s+|[^\w\s]+")


_INDENT = " " * 10  # of an element's fields


def _json_scalar(value: Any) -> str:
    """A JSON scalar as :func:`~subkit.formats._asr_json.dump_json` writes it."""
    kind = type(value)
    if kind is str:
        return _encode_string(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    if kind is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def _elements(word: Word) -> list[str]:
    """A text element for the word and punct elements for what follows it, as JSON object texts.

    They are laid out as :func:`~subkit.formats._asr_json.dump_json` lays out
    the whole transcript (two-space indent, at the depth of an element), which
    its pure-Python encoder would do many times slower.
    """
    text = word.text.replace("\n", " ")
    tail = _TAIL.search(text)
    core = text[: tail.start()] if tail and tail.start() > 0 else text.rstrip()
    if not core:
        core = text
    rest = text[len(core) :]
    confidence = "" if word.confidence is None else f',\n{_INDENT}"confidence": {_json_scalar(word.confidence)}'
    element = (f'        {{\n{_INDENT}"type": "text",\n{_INDENT}"value": {_encode_string(core)},\n'
               f'{_INDENT}"ts": {_json_scalar(ms_to_seconds(word.start_ms))},\n'
               f'{_INDENT}"end_ts": {_json_scalar(ms_to_seconds(word.end_ms))}{confidence}\n        }}')
    result = [element]
    result.extend(f'        {{\n{_INDENT}"type": "punct",\n{_INDENT}"value": {_encode_string(piece)}\n        }}'
                  for piece in _PIECES.findall(rest))
    return result


def _monologue_json(speaker: int | None, speaker_name: str | None, elements: list[str]) -> str:
    """One monologue as JSON text, at its depth in the transcript (see :func:`_elements`)."""
    lines = ["    {"]
    if speaker is not None:
        lines.append(f'      "speaker": {_json_scalar(speaker)},')
    if speaker_name is not None:
        lines.append(f'      "speaker_name": {_encode_string(speaker_name)},')
    lines.append('      "elements": [')
    lines.append(",\n".join(elements))
    lines.append("      ]\n    }")
    return "\n".join(lines)


def _estimated_words(cue: Cue, text: str) -> tuple[Word, ...]:
    """Words of ``text`` with the cue's time shared out by their length (exact integer arithmetic)."""
    pieces = re.findall(r"\S+\s*", text)
    if not pieces:
        return ()
    total = sum(len(p) for p in pieces)
    span = cue.end_ms - cue.start_ms
    words: list[Word] = []
    done = 0
    for piece in pieces:
        start = cue.start_ms + span * done // total
        done += len(piece)
        words.append(Word(text=piece, start_ms=start, end_ms=cue.start_ms + span * done // total))
    return tuple(words)


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as Rev transcript JSON, one monologue per cue.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    lowered = lower(doc, LOWERING, report, options=options, supported=FEATURES, raw_format=NAME)
    numbers: dict[str, int] = {}
    for cue in doc.cues:
        kept = cue.extra.get(f"{NAME}.speaker", "")
        if cue.speaker is not None and kept.isdigit():
            numbers.setdefault(cue.speaker, int(kept))
    monologues: list[str] = []
    for index, cue in lowered.cues:
        text = flat_text(cue, index, report)
        words = cue.words
        if not words or not cue.words_align():
            if words:
                report.add("word-timing", "word texts do not match the cue text; words estimated from the text",
                           cue=index)
            else:
                report.add("estimated-words", "cues without word times: word times estimated from text length",
                           cue=index)
            words = _estimated_words(cue, text)
        if not words:
            report.add("empty-cue", "cues without text left out", cue=index)
            continue
        if words[0].start_ms != cue.start_ms or max(w.end_ms for w in words) != cue.end_ms:
            report.add("cue-times", "cue times not written: a cue runs from its first word to its last", cue=index)
        if len(group_words(words)) > 1:
            # The reader cuts every monologue into caption-sized cues: a longer cue comes back in pieces.
            report.add("split", "cues longer than one caption (a sentence, 6 s, 84 characters, no 1 s pause) "
                       "read back as several", cue=index)
        speaker: int | None = None
        speaker_name: str | None = None
        if cue.speaker is not None:
            if cue.speaker not in numbers:
                # "Speaker 3" keeps its number when it is free; other names take the next one.
                named = _SPEAKER_N.fullmatch(cue.speaker)
                taken = set(numbers.values())
                wanted = int(named.group(1)) if named else None
                numbers[cue.speaker] = wanted if wanted is not None and wanted not in taken else (
                    max(taken, default=-1) + 1
                )
            speaker = numbers[cue.speaker]
            if cue.speaker != f"Speaker {speaker}":
                speaker_name = cue.speaker
        elements: list[str] = []
        for word in words:
            elements.extend(_elements(word))
        monologues.append(_monologue_json(speaker, speaker_name, elements))
    # The layout of dump_json (json.dumps with a two-space indent), written directly.
    if not monologues:
        return '{\n  "monologues": []\n}\n'
    return '{\n  "monologues": [\n' + ",\n".join(monologues) + "\n  ]\n}\n"
