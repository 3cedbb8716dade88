"""ops.words: keeping word times, estimating them, re-cutting cues into lines."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import subkit
from subkit.errors import OperationError
from subkit.model import Cue, Document, LineBreak, Run, RunStyle, Word, content_from_text
from subkit.ops._report import ChangeReport
from subkit.ops._syllables import count_syllables
from subkit.ops._words import cue_tokens, estimate_words, words
from tests import golden

from ..strategies import cue_times, words_text


def cue(text: str, start: int = 0, end: int = 1000, **fields: object) -> Cue:
    return Cue(start_ms=start, end_ms=end, content=content_from_text(text), **fields)  # type: ignore[arg-type]


def doc_of(*cues: Cue) -> Document:
    return Document(cues=cues)


# ---------------------------------------------------------------- estimating


def test_estimate_by_characters_spreads_the_cue_and_joins_to_the_text() -> None:
    result = estimate_words(cue("a bbbb", 0, 1000), pauses=False)
    assert [(w.text, w.start_ms, w.end_ms) for w in result] == [("a ", 0, 200), ("bbbb", 200, 1000)]
    assert "".join(w.text for w in result) == "a bbbb"


def test_estimate_by_syllables_weighs_spoken_length() -> None:
    # "through" has 7 letters but one syllable; "area" 4 letters, 3 syllables.
    by_chars = estimate_words(cue("through area"), method="chars", pauses=False)
    by_syllables = estimate_words(cue("through area"), method="syllables", pauses=False)
    assert by_chars[0].end_ms > 500
    assert by_syllables[0].end_ms < 500


def test_estimate_leaves_pauses_after_punctuation() -> None:
    with_pauses = estimate_words(cue("Stop. Go on", 0, 3000))
    assert with_pauses[1].start_ms > with_pauses[0].end_ms, "a silence after the full stop"
    assert with_pauses[2].start_ms == with_pauses[1].end_ms, "no silence between plain words"
    without = estimate_words(cue("Stop. Go on", 0, 3000), pauses=False)
    assert without[1].start_ms == without[0].end_ms
    assert with_pauses[-1].end_ms == without[-1].end_ms == 3000


def test_estimate_keeps_line_breaks_and_leading_space_in_word_texts() -> None:
    c = Cue(start_ms=0, end_ms=900, content=(Run(" one two"), LineBreak(), Run("three")))
    result = estimate_words(c)
    assert [w.text for w in result] == [" one ", "two\n", "three"]
    assert c.replace(words=result).words_align()


def test_estimate_of_an_empty_cue_is_empty_and_zero_length_cues_work() -> None:
    assert estimate_words(cue("")) == ()
    assert estimate_words(Cue(start_ms=0, end_ms=0, content=(Run("   "),))) == ()
    result = estimate_words(cue("a b", 500, 500))
    assert all(w.start_ms == w.end_ms == 500 for w in result)


def test_estimate_rejects_an_unknown_method() -> None:
    with pytest.raises(OperationError, match="estimate must be one of chars, syllables"):
        estimate_words(cue("a"), method="letters")  # type: ignore[arg-type]
    with pytest.raises(OperationError, match="estimate"):
        words(doc_of(cue("a")), estimate="letters")  # type: ignore[arg-type]


def test_syllable_counts() -> None:
    assert [count_syllables(w) for w in ("a", "hello", "make", "little", "strengths", "ÉCOLE", "日本語")] == [
        1, 2, 1, 2, 1, 2, 3,
    ]  # fmt: skip


# ---------------------------------------------------------------- existing word times


def test_existing_word_times_are_kept_and_clamped_into_the_cue() -> None:
    own = (Word(text="Hi ", start_ms=-50, end_ms=300), Word(text="there", start_ms=300, end_ms=1500))
    report = ChangeReport()
    result = words(doc_of(cue("Hi there", 0, 1000, words=own)), report=report)
    assert [(w.start_ms, w.end_ms) for w in result[0].words] == [(0, 300), (300, 1000)]
    assert dict(report) == {"clamped": 1}


def test_karaoke_syllables_become_words_and_gaps_are_skipped() -> None:
    doc = subkit.loads(
        "[Script Info]\nScriptType: v4.00+\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, "
        "MarginV, Effect, Text\nDialogue: 0,0:00:01.00,0:00:03.00,Default,,0,0,0,,"
        "{\\k20}{\\k30}ka{\\k20}ra{\\k40}o{\\k30}ke {\\k50}time\n",
        format="ass",
    )
    tokens = cue_tokens(doc[0])
    assert [(t.text, t.start_ms, t.end_ms) for t in tokens] == [("karaoke", 1200, 2400), ("time", 2400, 2900)]


def test_transcript_words_without_spaces_are_words_and_punctuation_joins() -> None:
    own = (Word(text=" Hello", start_ms=0, end_ms=400), Word(text=",", start_ms=400, end_ms=410),
           Word(text=" world", start_ms=500, end_ms=900))
    tokens = cue_tokens(cue("Hello, world", 0, 1000, words=own))
    assert [(t.text, t.start_ms, t.end_ms) for t in tokens] == [("Hello,", 0, 410), ("world", 500, 900)]


def test_reestimate_ignores_the_words_a_cue_has() -> None:
    own = (Word(text="a ", start_ms=0, end_ms=10), Word(text="b", start_ms=10, end_ms=20))
    result = words(doc_of(cue("a b", 0, 1000, words=own)), reestimate=True, pauses=False)
    assert [(w.start_ms, w.end_ms) for w in result[0].words] == [(0, 500), (500, 1000)]


# ---------------------------------------------------------------- re-cutting


def test_max_words_per_line_and_max_lines_split_cues() -> None:
    source = cue("one two three four five six seven", 0, 7000)
    report = ChangeReport()
    result = words(doc_of(source), max_words_per_line=2, max_lines=2, pauses=False, report=report)
    assert [c.plain_text() for c in result] == ["one two\nthree four", "five six\nseven"]
    assert result[0].start_ms == 0 and result[-1].end_ms == 7000
    assert result[0].end_ms == result[1].start_ms == result[1].words[0].start_ms
    assert dict(report) == {"estimated": 1, "split": 1}
    assert all(c.words_align() for c in result)


def test_breaks_prefer_sentence_ends_and_clauses() -> None:
    source = cue("Yes, we can do it. Then we rest now", 0, 8000)
    result = words(doc_of(source), max_words_per_line=5, max_lines=1)
    assert [c.plain_text() for c in result] == ["Yes, we can do it.", "Then we rest now"]
    lines = words(doc_of(cue("We came, we saw it all", 0, 6000)), max_words_per_line=4)[0].plain_text()
    assert lines == "We came,\nwe saw it all"


def test_breaks_prefer_pauses_in_real_word_times() -> None:
    own = tuple(
        Word(text=t, start_ms=s, end_ms=e)
        for t, s, e in [("a ", 0, 100), ("b ", 100, 200), ("c ", 900, 1000), ("d ", 1000, 1100), ("e", 1100, 1200)]
    )
    result = words(doc_of(cue("a b c d e", 0, 1200, words=own)), max_words_per_line=3)
    assert result[0].plain_text() == "a b\nc d e"


def test_cues_are_filled_evenly_rather_than_leaving_a_stub() -> None:
    source = cue("I think that this is a really good idea and we should do it soon", 0, 8000)
    result = words(doc_of(source), max_chars=30, max_lines=2)
    assert [c.plain_text() for c in result] == ["I think that this\nis a really good", "idea and we should do it soon"]


def test_cues_end_at_punctuation_when_they_can() -> None:
    source = cue("Go. Now we run to the car, and we drive away fast", 0, 8000)
    result = words(doc_of(source), max_words_per_line=4, max_lines=2)
    assert [c.plain_text().replace("\n", " ") for c in result] == ["Go. Now we run to the car,",
                                                                   "and we drive away fast"]
    # Without the comma the cut falls inside a phrase, but still two cues.
    plain = words(doc_of(cue("Go. Now we run to the car and we drive away fast", 0, 8000)),
                  max_words_per_line=4, max_lines=2)
    assert len(plain) == 2


def test_max_chars_limits_lines_and_a_long_word_gets_its_own_line() -> None:
    text = words(doc_of(cue("tiny supercalifragilistic word here")), max_chars=10)[0].plain_text()
    assert text.split("\n") == ["tiny", "supercalifragilistic", "word here"]


def test_max_lines_alone_regroups_the_input_lines() -> None:
    result = words(doc_of(cue("a\nb\nc", 0, 3000)), max_lines=2, pauses=False)
    assert [c.plain_text() for c in result] == ["a\nb", "c"]


def test_split_cues_keep_other_fields_and_number_ids() -> None:
    source = cue("one two three four", 0, 4000, id="7", speaker="Ann", style="Main")
    result = words(doc_of(source), max_words_per_line=2, max_lines=1)
    assert [c.id for c in result] == ["7-1", "7-2"]
    assert {c.speaker for c in result} == {"Ann"} and {c.style for c in result} == {"Main"}


def test_recut_text_is_plain() -> None:
    source = Cue(start_ms=0, end_ms=2000, content=(Run("bold words", RunStyle(bold=True)), Run(" here")))
    result = words(doc_of(source), max_words_per_line=2)
    assert result[0].content == (Run("bold words"), LineBreak(), Run("here"))


def test_without_limits_only_words_are_added() -> None:
    source = Cue(start_ms=0, end_ms=2000, content=(Run("bold", RunStyle(bold=True)), Run(" here")))
    result = words(doc_of(source))
    assert result[0].content == source.content and result[0].words


@pytest.mark.parametrize("name", ["max_words_per_line", "max_chars", "max_lines"])
@pytest.mark.parametrize("value", [0, -1, True, 2.5])
def test_limits_are_validated(name: str, value: object) -> None:
    with pytest.raises(OperationError, match=f"{name} must be a whole number of at least 1"):
        words(doc_of(cue("a")), **{name: value})  # type: ignore[arg-type]


# ---------------------------------------------------------------- properties


@st.composite
def documents(draw: st.DrawFn) -> Document:
    cues = []
    for _ in range(draw(st.integers(0, 4))):
        start, end = draw(cue_times(max_ms=100_000))
        lines = draw(st.lists(words_text(alphabet="abc ,.!?xyz"), min_size=1, max_size=3))
        cues.append(cue("\n".join(lines), start, end))
    return Document(cues=tuple(cues))


limits = st.none() | st.integers(1, 6)


@given(documents(), limits, limits, limits, st.sampled_from(["chars", "syllables"]), st.booleans())
def test_words_properties(doc: Document, per_line: int | None, chars: int | None, lines: int | None,
                          method: str, pauses: bool) -> None:
    before = dataclasses.replace(doc)
    result = words(doc, estimate=method, max_words_per_line=per_line, max_chars=chars,  # type: ignore[arg-type]
                   max_lines=lines, pauses=pauses)
    assert doc == before, "the input is never changed"
    if all(a.end_ms <= b.start_ms for a, b in zip(doc.cues, doc.cues[1:], strict=False)):
        # Cues in order and apart stay in order (pieces of a cue follow each other).
        assert all(a.end_ms <= b.start_ms for a, b in zip(result.cues, result.cues[1:], strict=False))
    for out in result:
        assert out.end_ms >= out.start_ms
        assert out.words_align()
        for word in out.words:
            assert out.start_ms <= word.start_ms <= word.end_ms <= out.end_ms
        for line in out.plain_text().split("\n"):
            if per_line is not None:
                assert len(line.split()) <= per_line
            if chars is not None and " " in line:
                assert len(line) <= chars
        if lines is not None:
            assert out.plain_text().count("\n") < lines
    # Re-cutting never loses or adds a word, and keeps each source cue's span.
    assert [w for c in doc for w in c.plain_text().split()] == [w for c in result for w in c.plain_text().split()]
    assert sum(c.duration_ms for c in result) == sum(c.duration_ms for c in doc)


@given(documents())
def test_words_is_idempotent(doc: Document) -> None:
    once = words(doc, max_words_per_line=3, max_lines=2)
    assert words(once, max_words_per_line=3, max_lines=2) == once


# ---------------------------------------------------------------- golden files

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "words"


def _golden_cases() -> list[Path]:
    return sorted(FIXTURES.glob("*.options.json")) if FIXTURES.is_dir() else []


@pytest.mark.parametrize("options_file", _golden_cases(), ids=lambda p: p.name.split(".")[0])
def test_golden(options_file: Path) -> None:
    """``fixtures/words/<case>.options.json`` names an input (``"input"``) and holds the op's options."""
    options = json.loads(options_file.read_text(encoding="utf-8"))
    source = subkit.load(FIXTURES / options.pop("input"))
    result = words(source, **options)
    case = options_file.name.split(".")[0]
    for target, extension in (("webvtt", "vtt"), ("ass", "ass")):
        text = str(subkit.render(result, target).data)
        expected = FIXTURES / f"{case}.expected.{extension}"
        golden.check_text(expected, text, newline=None)
    again = subkit.loads((FIXTURES / f"{case}.expected.vtt").read_text(encoding="utf-8"), format="webvtt")
    assert [c.plain_text() for c in again] == [c.plain_text() for c in result if not c.comment]
