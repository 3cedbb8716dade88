"""LRC (simple and enhanced) reader and writer."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import subkit
from subkit.errors import ConfigError, ParseError
from subkit.model import Cue, Document, LineBreak, Run, Word

from ..strategies import SAFE_ALPHABET, timed_words, words_text
from ._format_checks import golden_test, reader_robustness_test


def read(text: str, **options: Any) -> Document:
    return subkit.loads(text, format="lrc", **options)


def spans(doc: Document) -> list[tuple[int, int, str]]:
    return [(c.start_ms, c.end_ms, c.plain_text()) for c in doc]


def test_lines_end_where_the_next_starts() -> None:
    doc = read("[00:01.00]One\n[00:02.50]Two\n")
    assert spans(doc) == [(1000, 2500, "One"), (2500, 5500, "Two")]
    assert doc.diagnostics == ()
    assert subkit.dumps(doc, "lrc") == "[00:01.00]One\n[00:02.50]Two\n"


def test_id_tags_title_and_header() -> None:
    doc = read("[ti:Song]\n[ar:Artist]\n[length:03:20]\n[00:01.00]x\n")
    assert doc.title == "Song"
    assert dict(doc.header) == {"lrc.ar": "Artist", "lrc.length": "03:20"}
    assert str(subkit.dumps(doc, "lrc")).startswith("[ti:Song]\n[ar:Artist]\n[length:03:20]\n")


def test_offset_is_applied() -> None:
    assert read("[offset:+500]\n[00:02.00]x\n")[0].start_ms == 1500
    assert read("[offset:-500]\n[00:02.00]x\n")[0].start_ms == 2500
    assert read("[offset:500]\n[00:02.00]x\n", apply_offset=False)[0].start_ms == 2000


def test_repeated_timestamps_make_one_cue_each_in_time_order() -> None:
    doc = read("[00:10.00][00:30.00]Chorus\n[00:20.00]Verse\n")
    assert spans(doc) == [(10000, 20000, "Chorus"), (20000, 30000, "Verse"), (30000, 33000, "Chorus")]


def test_empty_line_ends_the_cue_on_screen() -> None:
    doc = read("[00:01.00]a\n[00:02.00]b\n[00:03.00]\n[00:09.00]c\n")
    assert spans(doc) == [(1000, 2000, "a"), (2000, 3000, "b"), (9000, 12000, "c")]
    assert subkit.dumps(doc, "lrc") == "[00:01.00]a\n[00:02.00]b\n[00:03.00]\n[00:09.00]c\n"


def test_enhanced_word_times() -> None:
    doc = read("[00:12.00]<00:12.00>Sing <00:12.50>with <00:13.00>me<00:14.00>\n[00:15.00]next\n")
    assert doc[0].plain_text() == "Sing with me"
    assert [(w.text, w.start_ms, w.end_ms) for w in doc[0].words] == [
        ("Sing ", 12000, 12500), ("with ", 12500, 13000), ("me", 13000, 14000)]
    assert doc[0].words_align()
    assert doc[1].words == ()
    assert str(subkit.dumps(doc, "lrc")).startswith("[00:12.00]<00:12.00>Sing <00:12.50>with <00:13.00>me<00:14.00>\n")


def test_text_before_the_first_word_tag_is_a_word() -> None:
    doc = read("[00:01.00]Hey <00:01.50>you\n[00:03.00]\n")
    assert [(w.text, w.start_ms, w.end_ms) for w in doc[0].words] == [("Hey ", 1000, 1500), ("you", 1500, 3000)]


def test_word_times_move_with_repeated_timestamps() -> None:
    doc = read("[00:01.00][00:11.00]<00:01.00>la <00:01.50>la\n[00:05.00]\n[00:15.00]\n")
    assert [w.start_ms for w in doc[1].words] == [11000, 11500]


def test_enhanced_writer_option() -> None:
    doc = read("[00:01.00]<00:01.00>a <00:01.50>b\n[00:03.00]c\n")
    plain = subkit.render(doc, "lrc", enhanced=False)
    assert str(plain.data) == "[00:01.00]a b\n[00:03.00]c\n"
    assert [loss.feature for loss in plain.losses] == ["word-timing"]
    forced = str(subkit.dumps(doc, "lrc", enhanced=True))
    assert "[00:03.00]<00:03.00>c" in forced
    assert "[00:01.000]<00:01.000>a <00:01.500>b" in str(subkit.dumps(doc, "lrc", precision=3))
    with pytest.raises(ConfigError):
        subkit.dumps(doc, "lrc", precision=4)


@pytest.mark.parametrize(
    ("line", "message", "start"),
    [
        ("[00:01:50]x", "non-standard time tag", 1500),
        ("[0:03]x", "non-standard time tag", 3000),
        ("[-00:01.00]x", "negative time", -1000),
        ("[00:05.00]<00:06.00>out <00:05.50>of", "word times out of order", 5000),
    ],
)
def test_leniencies(line: str, message: str, start: int) -> None:
    doc = read(f"[ti:x]\n{line}\n")
    assert doc[0].start_ms == start
    assert any(message in d.message for d in doc.diagnostics)
    with pytest.raises(ParseError) as info:
        read(f"[ti:x]\n{line}\n", strict=True)
    assert info.value.line == 2


def test_untimed_lines_and_bad_offset() -> None:
    doc = read("[offset:abc]\n[00:01.00]a\nplain line\n")
    assert [d.line for d in doc.diagnostics] == [1, 3]
    with pytest.raises(ParseError) as info:
        read("just text\n")
    assert info.value.line == 1


def test_writer_losses() -> None:
    doc = Document(cues=(
        Cue(start_ms=1005, end_ms=2000, content=(Run("a"), LineBreak(), Run("b")), speaker="Ann"),
        Cue(start_ms=1500, end_ms=3000, content=(Run("c"),)),
    ))
    result = subkit.render(doc, "lrc")
    assert {loss.feature for loss in result.losses} == {"speaker", "precision", "line-break", "overlap"}


def test_sniff() -> None:
    from subkit.formats import lrc

    assert lrc.sniff("[ar:x]\n[00:01.00]a") and lrc.sniff("[00:01.00]a") and lrc.sniff("[-00:06.84]a")
    assert not lrc.sniff("[00:01:02] transcript") and not lrc.sniff("[Script Info]")


@st.composite
def lrc_documents(draw: st.DrawFn) -> Document:
    """Cues in time order on a 10 ms grid, one line each, some with contiguous words."""
    cues = []
    clock = 0
    for _ in range(draw(st.integers(0, 5))):
        start = clock + draw(st.integers(0, 500)) * 10
        end = start + draw(st.integers(1, 800)) * 10
        text = draw(words_text(SAFE_ALPHABET.replace("<", "")))
        words: tuple[Word, ...] = ()
        if draw(st.booleans()):
            words = draw(timed_words(text, start, end, step=10))
        cues.append(Cue(start_ms=start, end_ms=end, content=(Run(text),), words=words))
        clock = end
    title = draw(st.none() | words_text())
    return Document(cues=tuple(cues), title=title)


@given(lrc_documents())
def test_round_trip_property(doc: Document) -> None:
    again = subkit.loads(subkit.dumps(doc, "lrc", strict=True), format="lrc", strict=True)
    assert again.replace(source_format=None) == doc


test_golden = golden_test("lrc")


test_reader_only_raises_parse_errors = reader_robustness_test("lrc")


def test_lines_never_go_back_in_time() -> None:
    """Two lines starting at the same time: no end line between them, and lines in time order."""
    doc = Document(cues=(
        Cue(start_ms=3000, end_ms=5000, content=(Run("a"),)),
        Cue(start_ms=3000, end_ms=6000, content=(Run("b"),)),
        Cue(start_ms=1000, end_ms=2000, content=(Run("early"),)),
    ))
    result = subkit.render(doc, "lrc")
    times = [line[1:9] for line in str(result.data).splitlines()]
    assert times == sorted(times) == ["00:01.00", "00:02.00", "00:03.00", "00:03.00"]  # b: the last, 3 s
    assert "overlap" in {loss.feature for loss in result.losses}
