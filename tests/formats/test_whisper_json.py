"""Whisper JSON reader and writer."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import subkit
from subkit.errors import ParseError
from subkit.model import Cue, Document, LineBreak, Run, Word

from ..strategies import SAFE_ALPHABET, timed_words, words_text
from ._format_checks import FIXTURES, golden_test, reader_robustness_test


def read(text: str, **options: Any) -> Document:
    return subkit.loads(text, format="whisper_json", **options)


def segment(**fields: Any) -> str:
    return json.dumps({"text": "", "segments": [{"start": 0, "end": 1, "text": "ok"}, fields], "language": "en"})


def test_segments_become_cues_with_words_and_probabilities() -> None:
    doc = subkit.load(FIXTURES / "whisper_json" / "openai.json")
    assert doc.source_format == "whisper_json" and doc.language == "en"
    assert [(c.start_ms, c.end_ms, c.plain_text()) for c in doc] == [
        (0, 1840, "Hello there, my friend."), (2500, 3600, "How are you?")]
    first = doc[0]
    assert [(w.text, w.start_ms, w.end_ms, w.confidence) for w in first.words] == [
        ("Hello ", 0, 420, 0.91), ("there, ", 420, 800, 0.88), ("my ", 900, 1100, 0.99),
        ("friend.", 1100, 1840, 0.97)]
    assert first.words_align()
    assert first.extra["whisper_json.avg_logprob"] == "-0.25"
    assert doc.diagnostics == ()


def test_whisper_timestamped_words_take_the_text_between_them() -> None:
    doc = subkit.load(FIXTURES / "whisper_json" / "timestamped.json")
    cue = doc[0]
    assert [w.text for w in cue.words] == ["Dis-moi, ", "est-ce ", "vrai ?"]
    assert [w.confidence for w in cue.words] == [0.801, 0.966, 0.891]
    assert cue.speaker == "SPEAKER_00"
    assert cue.extra["whisper_json.confidence"] == "0.925"


def test_writer_emits_whisper_shape() -> None:
    doc = Document(cues=(Cue(start_ms=1000, end_ms=2500, content=(Run("Hi"), LineBreak(), Run("you")),
                             words=(Word(text="Hi\n", start_ms=1000, end_ms=1500, confidence=0.5),
                                    Word(text="you", start_ms=1500, end_ms=2500))),),
                   language="de")
    result = subkit.render(doc, "whisper_json")
    data = json.loads(str(result.data))
    assert data["language"] == "de" and data["text"] == " Hi you"
    seg = data["segments"][0]
    assert (seg["id"], seg["start"], seg["end"], seg["text"]) == (0, 1.0, 2.5, " Hi you")
    assert seg["words"] == [{"word": " Hi", "start": 1.0, "end": 1.5, "probability": 0.5},
                            {"word": " you", "start": 1.5, "end": 2.5}]
    assert [loss.feature for loss in result.losses] == ["line-break"]
    no_words = json.loads(str(subkit.render(doc, "whisper_json", words=False).data))
    assert "words" not in no_words["segments"][0]


@pytest.mark.parametrize(
    ("fields", "message", "severity"),
    [
        ({"start": 2.0, "end": 1.0, "text": "x"}, "ends before it starts", "error"),
        ({"text": "x"}, "without start or end", "error"),
        ({"start": 0, "end": 1, "text": "x", "words": [{"word": "x"}]}, "without text or times", "error"),
        ({"start": 0, "end": 1, "text": "x", "words": [{"word": "x", "start": 0, "end": 2}]}, "outside", "warning"),
        ({"start": 0, "end": 1, "text": "x", "words": [{"word": "x", "start": 0, "end": 1, "probability": 2}]},
         "outside 0-1", "warning"),
        ({"start": 0, "end": 1, "text": "x", "words": "no"}, "not a list", "error"),
        ({"text": "x", "words": [{"word": "x", "start": 0, "end": 1}]}, "took them from its words", "warning"),
    ],
)
def test_leniencies_and_strict_lines(fields: dict[str, Any], message: str, severity: str) -> None:
    text = segment(**fields)
    doc = read(text)
    found = [d for d in doc.diagnostics if message in d.message or message in d.action]
    assert found and found[0].severity == severity and found[0].line == 1
    pretty = json.dumps(json.loads(text), indent=1)
    with pytest.raises(ParseError) as info:
        read(pretty, strict=True)
    assert info.value.line is not None and info.value.line > 2


def test_lines_point_at_the_segment() -> None:
    text = '{\n"segments": [\n{"start": 0, "end": 1, "text": "ok"},\n{"start": 3, "end": 2, "text": "bad"}\n]\n}'
    assert read(text).diagnostics[0].line == 4


def test_not_whisper_json() -> None:
    with pytest.raises(ParseError) as info:
        read('{\n  "a": 1,\n  oops\n}')
    assert info.value.line == 3
    with pytest.raises(ParseError, match="no 'segments'"):
        read('{"text": "x"}')
    with pytest.raises(ParseError):
        read("")


def test_empty_result_is_an_empty_document_but_unreadable_segments_fail() -> None:
    doc = read('{"text": "", "segments": [], "language": "fr"}')
    assert len(doc) == 0 and doc.language == "fr"
    with pytest.raises(ParseError) as info:
        read('{\n"segments": [\n"a", "b"]}')
    assert info.value.line == 2


def test_sniff() -> None:
    from subkit.formats import whisper_json

    assert whisper_json.sniff('{"text": " Hi", "segments": []}')
    assert not whisper_json.sniff('{"monologues": [], "segments": 1}')
    assert not whisper_json.sniff('{"subkit": 1, "segments": 2}')


@st.composite
def whisper_documents(draw: st.DrawFn) -> Document:
    cues = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, 10_000_000))
        end = start + draw(st.integers(0, 30_000))
        text = draw(words_text(SAFE_ALPHABET))
        words: tuple[Word, ...] = ()
        if draw(st.booleans()):
            words = draw(timed_words(text, start, end))
            words = tuple(Word(text=w.text, start_ms=w.start_ms, end_ms=w.end_ms,
                               confidence=draw(st.none() | st.floats(0, 1))) for w in words)
        speaker = draw(st.none() | st.sampled_from(["SPEAKER_00", "SPEAKER_01"]))
        cues.append(Cue(start_ms=start, end_ms=end, content=(Run(text),), words=words, speaker=speaker))
    return Document(cues=tuple(cues), language=draw(st.none() | st.sampled_from(["en", "ja"])))


@given(whisper_documents())
def test_round_trip_property(doc: Document) -> None:
    again = subkit.loads(subkit.dumps(doc, "whisper_json", strict=True), format="whisper_json", strict=True)
    assert again.replace(source_format=None) == doc


test_golden = golden_test("whisper_json")


test_reader_only_raises_parse_errors = reader_robustness_test("whisper_json")
