"""Plain-text transcript reader and writer."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import subkit
from subkit.errors import ParseError
from subkit.formats.transcript import UNTIMED
from subkit.model import Cue, Document, LineBreak, Run

from ..strategies import SAFE_ALPHABET, words_text
from ._format_checks import golden_test, reader_robustness_test


def read(text: str, **options: Any) -> Document:
    return subkit.loads(text, format="transcript", **options)


def rows(doc: Document) -> list[tuple[int, int, str | None, str]]:
    return [(c.start_ms, c.end_ms, c.speaker, c.plain_text()) for c in doc]


def test_paragraphs_without_times_are_untimed_cues() -> None:
    doc = read("One paragraph\non two lines.\n\nAnother one.\n")
    assert rows(doc) == [(0, 0, None, "One paragraph\non two lines."), (0, 0, None, "Another one.")]
    assert all(c.extra == {UNTIMED: "yes"} for c in doc)
    assert subkit.dumps(doc, "transcript") == "One paragraph\non two lines.\n\nAnother one.\n"


@pytest.mark.parametrize(
    ("stamp", "ms"),
    [("[00:01:02]", 62000), ("[00:01:02.500]", 62500), ("[01:02]", 62000), ("(00:01:02)", 62000),
     ("00:01:02.5", 62500), ("00:01:02 -", 62000), ("[1:02:03,25]", 3_723_250)],
)
def test_timestamp_shapes(stamp: str, ms: int) -> None:
    doc = read(f"{stamp} Hello\n")
    assert rows(doc) == [(ms, ms + 3000, None, "Hello")]


def test_timed_cues_last_until_the_next_and_lines_start_cues() -> None:
    doc = read("[00:00:01] a\n[00:00:04] b\nmore b\n\nuntimed c\n")
    assert rows(doc) == [(1000, 4000, None, "a"), (4000, 7000, None, "b\nmore b"), (4000, 7000, None, "untimed c")]
    assert UNTIMED in doc[2].extra


@pytest.mark.parametrize(
    ("line", "speaker", "text"),
    [("Speaker 1: hi", "Speaker 1", "hi"), ("Ann Lee: hi", "Ann Lee", "hi"), ("MAN 2: hi", "MAN 2", "hi"),
     ("SPEAKER_00: hi", "SPEAKER_00", "hi"), ("a note: hi", None, "a note: hi"), ("Time 10:30 is late", None,
                                                                                   "Time 10:30 is late")],
)
def test_speaker_labels(line: str, speaker: str | None, text: str) -> None:
    doc = read(line + "\n")
    assert (doc[0].speaker, doc[0].plain_text()) == (speaker, text)
    assert read(line + "\n", speakers=False)[0].speaker is None


def test_label_or_stamp_alone_on_a_line() -> None:
    doc = read("[00:00:05]\nAnn:\nHello there.\nBob: Hi.\n")
    assert rows(doc)[0] == (5000, 8000, "Ann", "Hello there.")
    assert rows(doc)[1][2:] == ("Bob", "Hi.")


def test_writer_switches() -> None:
    doc = Document(cues=(Cue(start_ms=1500, end_ms=4000, content=(Run("a"), LineBreak(), Run("b")), speaker="Ann"),
                         Cue(start_ms=4000, end_ms=7000, content=(Run("c"),))))
    assert subkit.dumps(doc, "transcript") == "[00:00:01.500] Ann: a\nb\n\n[00:00:04] c\n"
    plain = subkit.render(doc, "transcript", timestamps=False, speakers=False)
    assert str(plain.data) == "a\nb\n\nc\n"
    assert [loss.feature for loss in plain.losses] == ["speaker", "timing"]


def test_writer_reports_end_times_it_cannot_write() -> None:
    doc = Document(cues=(Cue(start_ms=0, end_ms=1000, content=(Run("a"),)),
                         Cue(start_ms=5000, end_ms=6000, content=(Run("b"),))))
    assert [loss.feature for loss in subkit.render(doc, "transcript").losses] == ["end-time"]


def test_overflowing_timestamp_is_diagnosed_and_strict_fails_with_line() -> None:
    doc = read("intro\n\n[00:00:75] late\n")
    assert doc[1].start_ms == 75000 and doc.diagnostics[0].line == 3
    with pytest.raises(ParseError) as info:
        read("intro\n\n[00:00:75] late\n", strict=True)
    assert info.value.line == 3


def test_sniff_claims_prose_only() -> None:
    from subkit.formats import transcript

    assert not transcript.sniff("Hello there.\nHow are you?\n")  # prose: the .txt extension decides
    assert transcript.sniff("Ann: Hello there.\nBob: How are you?\n")
    assert transcript.sniff("[00:00:01] Ann: hi\n")
    for other in ("1\n00:00:01,000 --> 00:00:02,000\nx", "[00:01.00]lyrics", "{1}{1}25", "[Script Info]",
                  "00:00:01:tmplayer", "[10][20]mpl2", "null", "a\x00b", '{"segments": []}'):
        assert not transcript.sniff(other), other


@st.composite
def transcript_documents(draw: st.DrawFn) -> Document:
    """Timed cues in order, each lasting until the next (the last three seconds), some untimed after them."""
    alphabet = SAFE_ALPHABET.replace("-", "")
    cues: list[Cue] = []
    clock = 0
    count = draw(st.integers(0, 4))
    starts = []
    for _ in range(count):
        clock += draw(st.integers(0, 5000)) + 1
        starts.append(clock)
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else start + 3000
        lines = draw(st.lists(words_text(alphabet).map(str.lower), min_size=1, max_size=3))
        content: list[Run | LineBreak] = []
        for number, text in enumerate(lines):
            if number:
                content.append(LineBreak())
            content.append(Run(text))
        speaker = draw(st.none() | st.sampled_from(["Ann", "Speaker 2", "MAN 1"]))
        cues.append(Cue(start_ms=start, end_ms=end, content=tuple(content), speaker=speaker))
        if draw(st.booleans()):
            cues.append(Cue(start_ms=start, end_ms=end, content=(Run(draw(words_text(alphabet)).lower()),),
                            extra={UNTIMED: "yes"}))
    return Document(cues=tuple(cues))


@given(transcript_documents())
def test_round_trip_property(doc: Document) -> None:
    again = subkit.loads(subkit.dumps(doc, "transcript", strict=True), format="transcript", strict=True)
    assert again.replace(source_format=None) == doc


test_golden = golden_test("transcript")


test_reader_only_raises_parse_errors = reader_robustness_test("transcript")


def test_writer_reports_text_that_reads_back_as_syntax() -> None:
    doc = Document(cues=(
        Cue(start_ms=0, end_ms=2000, content=(Run("Isn't that wonderful?"), LineBreak(), Run("REPORTERS: Senator!"))),
        Cue(start_ms=2000, end_ms=5000, content=(Run("ALL: Ooh!"),)),
    ))  # fmt: skip
    result = subkit.render(doc, "transcript")
    assert [(loss.feature, loss.first_cue) for loss in result.losses] == [("split", 0), ("label", 1)]
    assert rows(read(str(result.data))) == [(0, 2000, None, "Isn't that wonderful?"),
                                            (0, 2000, "REPORTERS", "Senator!"), (2000, 5000, "ALL", "Ooh!")]
    # A cue's own speaker label goes first, so its text is read as text.
    spoken = Document(cues=(Cue(start_ms=0, end_ms=3000, content=(Run("ALL: Ooh!"),), speaker="Ann"),))
    assert subkit.render(spoken, "transcript").losses.losses == ()
