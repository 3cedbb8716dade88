"""TMPlayer reader and writer."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import subkit
from subkit.errors import ConfigError, ParseError
from subkit.model import Cue, Document, LineBreak, Run, RunStyle

from ..strategies import SAFE_ALPHABET, words_text
from ._format_checks import golden_test, reader_robustness_test


def read(text: str, **options: Any) -> Document:
    return subkit.loads(text, format="tmplayer", **options)


def test_start_times_and_ends_from_the_next_line() -> None:
    doc = read("00:00:01:Hello|/there\n00:00:04:Next\n")
    assert [(c.start_ms, c.end_ms) for c in doc] == [(1000, 4000), (4000, 7000)]
    assert doc[0].content == (Run("Hello"), LineBreak(), Run("there", RunStyle(italic=True)))
    assert doc.diagnostics == ()


def test_empty_line_ends_the_cue_and_the_writer_puts_it_back() -> None:
    text = "00:00:01:A\n00:00:03:\n00:00:10:B\n00:00:11:\n"
    doc = read(text)
    assert [(c.start_ms, c.end_ms) for c in doc] == [(1000, 3000), (10000, 11000)]
    assert subkit.dumps(doc, "tmplayer") == text


def test_variants() -> None:
    doc = read("1:02:03=plus\n01:02:05,1=first\n01:02:05,2=second\n")
    assert doc[0].start_ms == 3_723_000
    assert doc[1].content == (Run("first"), LineBreak(), Run("second"))
    assert str(subkit.dumps(doc, "tmplayer", separator="=")).startswith("01:02:03=plus\n01:02:05=first|second\n")
    with pytest.raises(ConfigError):
        subkit.dumps(doc, "tmplayer", separator="-")


@pytest.mark.parametrize(
    ("line", "message", "start"),
    [("-00:00:02:x", "negative time", -2000), ("00:00:75:x", "above 59", 75000)],
)
def test_leniencies(line: str, message: str, start: int) -> None:
    doc = read(f"00:00:00:first\n{line}\n")
    assert doc[1].start_ms == start
    assert any(message in d.message for d in doc.diagnostics)
    with pytest.raises(ParseError) as info:
        read(f"00:00:00:first\n{line}\n", strict=True)
    assert info.value.line == 2


def test_skipped_lines_and_failure() -> None:
    doc = read("00:00:01:a\nrubbish\n")
    assert doc.diagnostics[0].line == 2
    with pytest.raises(ParseError) as info:
        read("\n\nrubbish\n")
    assert info.value.line == 3


def test_writer_reports_precision_overlap_and_empty_cues() -> None:
    doc = Document(cues=(
        Cue(start_ms=1400, end_ms=5000, content=(Run("a"),)),
        Cue(start_ms=3000, end_ms=4000, content=(Run("b"),)),
        Cue(start_ms=6000, end_ms=7000, content=()),
    ))
    result = subkit.render(doc, "tmplayer")
    assert {loss.feature for loss in result.losses} == {"precision", "overlap", "empty-cue"}
    assert str(result.data) == "00:00:01:a\n00:00:03:b\n00:00:04:\n"


def test_sniff_rejects_timecodes() -> None:
    from subkit.formats import tmplayer

    assert tmplayer.sniff("00:00:01:Hello")
    assert not tmplayer.sniff("00:00:01:02\t9420 9420")
    assert not tmplayer.sniff("00:00:01:00,00:00:02:00,text")
    assert subkit.loads("00:00:01:x\n").source_format == "tmplayer"


@st.composite
def tmplayer_documents(draw: st.DrawFn) -> Document:
    """Cues in order, whole seconds, not overlapping."""
    cues = []
    clock = 0
    for _ in range(draw(st.integers(0, 5))):
        start = clock + draw(st.integers(0, 5)) * 1000
        end = start + draw(st.integers(1, 8)) * 1000
        content: list[Run | LineBreak] = []
        for number in range(draw(st.integers(1, 2))):
            if number:
                content.append(LineBreak())
            text = draw(words_text(SAFE_ALPHABET.replace("/", "")))
            content.append(Run(text, draw(st.sampled_from([RunStyle(), RunStyle(italic=True)]))))
        cues.append(Cue(start_ms=start, end_ms=end, content=tuple(content)))
        clock = end
    return Document(cues=tuple(cues))


@given(tmplayer_documents())
def test_round_trip_property(doc: Document) -> None:
    again = subkit.loads(subkit.dumps(doc, "tmplayer", strict=True), format="tmplayer", strict=True)
    assert again.replace(source_format=None) == doc


test_golden = golden_test("tmplayer")


test_reader_only_raises_parse_errors = reader_robustness_test("tmplayer")


def test_lines_never_go_back_in_time() -> None:
    """Two cues starting in the same second: no end line between them (03, 05, 03 went backwards)."""
    doc = Document(cues=(
        Cue(start_ms=3000, end_ms=5000, content=(Run("a"),)),
        Cue(start_ms=3400, end_ms=6000, content=(Run("b"),)),
        Cue(start_ms=1000, end_ms=2000, content=(Run("early"),)),
    ))
    result = subkit.render(doc, "tmplayer")
    times = [line[:8] for line in str(result.data).splitlines()]
    assert times == sorted(times) == ["00:00:01", "00:00:02", "00:00:03", "00:00:03"]  # b: the last, 3 s
    assert "overlap" in {loss.feature for loss in result.losses}
    back = subkit.loads(str(result.data), format="tmplayer")
    assert [(c.plain_text(), c.start_ms, c.end_ms) for c in back.cues] == [
        ("early", 1000, 2000), ("a", 3000, 6000), ("b", 3000, 6000)]
