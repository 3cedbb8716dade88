"""Rev transcript JSON reader and writer."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import subkit
from subkit.errors import ParseError
from subkit.formats.rev_json import MAX_CUE_CHARS, MAX_CUE_MS, group_words
from subkit.model import Cue, Document, Run, Word

from ..conftest import CORPUS
from ..strategies import SAFE_ALPHABET, timed_words, words_text
from ._format_checks import FIXTURES, golden_test, reader_robustness_test


def read(text: str, **options: Any) -> Document:
    return subkit.loads(text, format="rev_json", **options)


def mono(elements: list[Any], **fields: Any) -> str:
    return json.dumps({"monologues": [{"speaker": 0, **fields, "elements": elements}]}, indent=1)


def word(value: str, ts: float, end: float, confidence: float = 1.0) -> dict[str, Any]:
    return {"type": "text", "value": value, "ts": ts, "end_ts": end, "confidence": confidence}


def punct(value: str) -> dict[str, Any]:
    return {"type": "punct", "value": value}


def test_speakers_words_and_sentence_cues() -> None:
    doc = subkit.load(FIXTURES / "rev_json" / "speakers.json")
    assert doc.source_format == "rev_json"
    assert [(c.start_ms, c.end_ms, c.speaker, c.plain_text()) for c in doc] == [
        (300, 800, "Ann", "Hi, Bob."),
        (1000, 1400, "Ann", "Ready?"),
        (2000, 3100, "Speaker 1", "Yes <inaudible>"),
        (5000, 5900, "Speaker 1", "after a pause"),
    ]
    assert [(w.text, w.start_ms, w.end_ms, w.confidence) for w in doc[0].words] == [
        ("Hi, ", 300, 520, 1.0), ("Bob.", 540, 800, 0.97)]
    assert all(cue.words_align() for cue in doc)
    assert doc[0].extra == {"rev_json.speaker": "0"} and doc[2].extra == {"rev_json.speaker": "1"}


def test_writer_keeps_speaker_numbers_and_names() -> None:
    doc = subkit.load(FIXTURES / "rev_json" / "speakers.json")
    data = json.loads(str(subkit.dumps(doc, "rev_json")))
    heads = [(m.get("speaker"), m.get("speaker_name")) for m in data["monologues"]]
    assert heads == [(0, "Ann"), (0, "Ann"), (1, None), (1, None)]
    assert data["monologues"][0]["elements"] == [word("Hi", 0.3, 0.52), punct(","), punct(" "),
                                                 word("Bob", 0.54, 0.8, 0.97), punct(".")]


def test_grouping_rule() -> None:
    def words(*spans: tuple[str, int, int]) -> list[Word]:
        return [Word(text=t, start_ms=s, end_ms=e) for t, s, e in spans]

    assert [len(g) for g in group_words(words(("a ", 0, 100), ("b. ", 100, 200), ("c", 200, 300)))] == [2, 1]
    assert [len(g) for g in group_words(words(("a ", 0, 100), ("b", 1100, 1200)))] == [1, 1]
    long = words(*((f"w{i} ", i * 1000, i * 1000 + 900) for i in range(8)))
    assert all(g[-1].end_ms - g[0].start_ms <= MAX_CUE_MS for g in group_words(long))
    wide = words(*(("abcdefghi ", i * 10, i * 10 + 10) for i in range(20)))
    assert all(len("".join(w.text for w in g).rstrip()) <= MAX_CUE_CHARS for g in group_words(wide))
    doc = read(mono([word("a", 0, 0.1), punct(" "), word("b", 2, 2.1)]), pause_ms=5000)
    assert len(doc) == 1


def test_speaker_names_get_numbers_in_order() -> None:
    doc = Document(cues=(
        Cue(start_ms=0, end_ms=100, content=(Run("x"),), speaker="Zed"),
        Cue(start_ms=100, end_ms=200, content=(Run("y"),), speaker="Speaker 4"),
        Cue(start_ms=200, end_ms=300, content=(Run("z"),)),
    ))
    data = json.loads(str(subkit.render(doc, "rev_json").data))
    assert [(m.get("speaker"), m.get("speaker_name")) for m in data["monologues"]] == [
        (0, "Zed"), (4, None), (None, None)]


def test_cues_without_words_get_estimated_words() -> None:
    doc = Document(cues=(Cue(start_ms=0, end_ms=1000, content=(Run("ab cd"),)),))
    result = subkit.render(doc, "rev_json")
    assert [loss.feature for loss in result.losses] == ["estimated-words"]
    back = read(str(result.data))
    assert [(w.text, w.start_ms, w.end_ms) for w in back[0].words] == [("ab ", 0, 600), ("cd", 600, 1000)]


@pytest.mark.parametrize(
    ("elements", "message"),
    [
        ([word("a", 2, 1)], "ends before it starts"),
        ([word("a", 0, 1), punct(" "), {"type": "text", "value": "b"}], "without times"),
        ([word("a", 0, 1, 1.5)], "outside 0-1"),
        ([word("a", 0, 1), "junk"], "not an object"),
        ([word("a", 0, 1), {"type": "text"}], "without a text value"),
    ],
)
def test_leniencies_and_strict_lines(elements: list[Any], message: str) -> None:
    text = mono(elements)
    doc = read(text)
    assert any(message in d.message for d in doc.diagnostics)
    with pytest.raises(ParseError) as info:
        read(text, strict=True)
    assert info.value.line is not None and info.value.line >= 4


def test_nothing_readable_fails() -> None:
    with pytest.raises(ParseError) as info:
        read('{"monologues": [\n  {"speaker": 0}\n]}')
    assert info.value.line is not None
    assert len(read('{"monologues": []}')) == 0


def test_not_rev_json() -> None:
    with pytest.raises(ParseError, match="no 'monologues'"):
        read('{"segments": []}')
    with pytest.raises(ParseError) as info:
        read('{"monologues": [\n}')
    assert info.value.line == 2


def test_sniff_and_detection() -> None:
    from subkit.formats import rev_json

    assert rev_json.sniff('{"monologues": []}') and not rev_json.sniff('{"segments": []}')
    assert subkit.loads(mono([word("a", 0, 1)])).source_format == "rev_json"


# No sentence ends inside a cue; short enough for one cue.
_ALPHABET = SAFE_ALPHABET.replace(".", "").replace("!", "").replace("?", "")


@st.composite
def rev_documents(draw: st.DrawFn) -> Document:
    """Caption-sized cues with contiguous words (what the grouping rule gives back as it is)."""
    cues = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, 10_000_000))
        end = start + draw(st.integers(1, MAX_CUE_MS))
        text = draw(words_text(_ALPHABET, max_size=MAX_CUE_CHARS))
        words = draw(timed_words(text, start, end))
        words = tuple(Word(text=w.text, start_ms=w.start_ms, end_ms=w.end_ms,
                           confidence=draw(st.none() | st.floats(0, 1))) for w in words)
        number = draw(st.none() | st.integers(0, 3))
        speaker = None if number is None else draw(st.sampled_from([f"Speaker {number}", "Ann"]))
        extra = {} if number is None or speaker != f"Speaker {number}" else {"rev_json.speaker": str(number)}
        cues.append(Cue(start_ms=start, end_ms=end, content=(Run(text),), words=words, speaker=speaker,
                        extra=extra))
    # "Ann" reads back with the number the writer gave her: keep it in extra as the reader does.
    return _with_numbers(Document(cues=tuple(cues)))


def _with_numbers(doc: Document) -> Document:
    data = json.loads(str(subkit.render(doc, "rev_json").data))
    cues = []
    for cue, monologue in zip(doc.cues, data["monologues"], strict=True):
        extra = {} if "speaker" not in monologue else {"rev_json.speaker": str(monologue["speaker"])}
        cues.append(cue.replace(extra=extra))
    return doc.with_cues(cues)


@given(rev_documents())
def test_round_trip_property(doc: Document) -> None:
    again = subkit.loads(subkit.dumps(doc, "rev_json", strict=True), format="rev_json", strict=True)
    assert again.replace(source_format=None) == doc


test_golden = golden_test("rev_json")


def test_corpus_transcript_text_is_kept() -> None:
    file = CORPUS / "revai-python-sdk/tests/resources/transcript.json"
    if not file.is_file():
        pytest.skip("shared corpus not available")
    doc = subkit.load(file)
    data = json.loads(file.read_text(encoding="utf-8"))
    theirs = " ".join("".join(e["value"] for e in m["elements"]).strip() for m in data["monologues"])
    assert " ".join(c.plain_text() for c in doc) == theirs
    assert all(c.words_align() and c.speaker == "Speaker 0" for c in doc)


test_reader_only_raises_parse_errors = reader_robustness_test("rev_json")


def test_writer_reports_cues_the_reader_would_cut() -> None:
    long_text = "First sentence. Second one."
    doc = Document(cues=(Cue(start_ms=0, end_ms=2000, content=(Run(long_text),)),
                         Cue(start_ms=3000, end_ms=4000, content=(Run("Short."),))))
    result = subkit.render(doc, "rev_json")
    assert [(loss.feature, loss.first_cue) for loss in result.losses] == [("estimated-words", 0), ("split", 0)]
    assert [c.plain_text() for c in read(str(result.data))] == ["First sentence.", "Second one.", "Short."]
    seven_seconds = Document(cues=(Cue(start_ms=0, end_ms=7000, content=(Run("a b c d"),)),))
    assert "split" in [loss.feature for loss in subkit.render(seven_seconds, "rev_json").losses]


@given(st.lists(st.tuples(st.text(min_size=1, max_size=12), st.integers(0, 10**8), st.integers(0, 5000),
                          st.one_of(st.none(), st.floats(0, 1))), min_size=1, max_size=8),
       st.one_of(st.none(), st.text(max_size=8)))
def test_writer_lays_out_json_as_the_json_module(words: list[tuple[str, int, int, float | None]],
                                                 speaker: str | None) -> None:
    """The writer's own layout is that of ``json.dumps(..., indent=2, ensure_ascii=False)``."""
    cue_words = tuple(Word(text=text.replace("\n", " ") or "x", start_ms=start, end_ms=start + length,
                           confidence=confidence) for text, start, length, confidence in words)
    cues = [Cue(start_ms=cue_words[0].start_ms, end_ms=max(w.end_ms for w in cue_words),
                content=(Run("".join(w.text for w in cue_words)),), words=cue_words, speaker=speaker)]
    for doc in (Document(cues=tuple(cues)), Document()):
        text = subkit.render(doc, "rev_json").data
        assert isinstance(text, str)
        assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_lines_of_many_bad_elements_are_found_in_one_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each of n elements that are not objects is reported with a line, looking at O(n) elements in all."""
    from subkit.formats._asr_json import JsonSource

    looked = 0
    original = JsonSource.line

    def counting(self: JsonSource, obj: Any) -> int | None:
        nonlocal looked
        looked += 1
        return original(self, obj)

    monkeypatch.setattr(JsonSource, "line", counting)
    n = 3000
    doc = read(mono(["x"] * n + [word("a", 1.0, 2.0)]))
    assert len(doc.diagnostics) == n
    assert all(d.line is not None for d in doc.diagnostics)
    assert looked <= 3 * n
