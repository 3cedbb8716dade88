"""YouTube SBV: reader leniencies, speakers, writer, round trip, golden files."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import subkit
from subkit import formats
from subkit.errors import ParseError, UnsupportedFeatureError
from subkit.formats import sbv
from subkit.model import Cue, Document, LineBreak, Run, RunStyle

from ..strategies import contents, cue_times, names
from ._format_checks import (
    golden_fixtures_exist_test,
    golden_test,
    noise_from,
    read_and_rewrite,
    writer_accepts_any_document_test,
)


def read(text: str, **options: Any) -> Document:
    return subkit.loads(text, format="sbv", **options)


def texts(doc: Document) -> list[str]:
    return [cue.plain_text() for cue in doc]


def test_sniff_sbv_and_not_its_neighbours() -> None:
    assert sbv.sniff("0:00:01.000,0:00:02.500\nHi\n")
    assert sbv.sniff("\n\r\n12:00:01.000,12:00:02.500\r\nHi\r\n")
    assert not sbv.sniff("00:00:01.00,00:00:02.50\nHi\n")  # SubViewer: centiseconds
    assert not sbv.sniff("1\n00:00:01,000 --> 00:00:02,000\nHi\n")
    assert not sbv.sniff("WEBVTT\n")
    assert not sbv.sniff("")
    assert formats.detect("0:00:01.000,0:00:02.500\nHi\n").name == "sbv"


def test_basic_blocks_and_times() -> None:
    doc = read("0:00:00.378,0:00:11.378\nCaption one\n\n1:02:03.004,1:02:04.000\nLine 1\nLine 2\n")
    assert [(c.start_ms, c.end_ms) for c in doc] == [(378, 11_378), (3_723_004, 3_724_000)]
    assert texts(doc) == ["Caption one", "Line 1\nLine 2"]
    assert doc.diagnostics == ()
    assert doc.source_format == "sbv"


@pytest.mark.parametrize(
    ("timing", "start", "end"),
    [
        ("0:00:01:000,0:00:02:500", 1000, 2500),
        ("0:00:01,000,0:00:02,500", 1000, 2500),
        ("00:00:01.5 , 00:00:02.25", 1500, 2250),
        ("0:0:1.000,0:0:2.000", 1000, 2000),
        ("0:00:75.000,0:01:20.000", 75_000, 80_000),
    ],
)
def test_lenient_timing_lines(timing: str, start: int, end: int) -> None:
    doc = read(f"{timing}\nText\n")
    assert (doc[0].start_ms, doc[0].end_ms) == (start, end)
    assert doc.diagnostics
    with pytest.raises(ParseError) as info:
        read(f"{timing}\nText\n", strict=True)
    assert info.value.line == 1


def test_end_before_start_is_an_error_and_repaired() -> None:
    doc = read("0:00:05.000,0:00:04.000\nB\n")
    assert (doc[0].start_ms, doc[0].end_ms) == (5000, 5000)
    assert doc.diagnostics[0].severity == "error"
    with pytest.raises(ParseError, match="ends before it starts") as info:
        read("0:00:01.000,0:00:02.000\nA\n\n0:00:05.000,0:00:04.000\nB\n", strict=True)
    assert info.value.line == 4


def test_bad_timing_and_missing_timing_skip_the_block() -> None:
    text = (
        "0:00:00.378,0:00:11.378\nOne\n\n"
        "0:00:13.f89,0:00:15.489\nBroken\n\n"
        "Orphan text\n\n"
        "0:00:15.489,0:00:16.234\nFour\n"
    )
    doc = read(text)
    assert texts(doc) == ["One", "Four"]
    assert [(d.line, d.severity) for d in doc.diagnostics] == [(4, "error"), (7, "error")]
    assert "does not parse" in doc.diagnostics[0].message
    with pytest.raises(ParseError) as info:
        read(text, strict=True)
    assert info.value.line == 4


def test_missing_blank_line_and_empty_cue() -> None:
    doc = read("0:00:01.000,0:00:02.000\nA\n0:00:03.000,0:00:04.000\n\n0:00:05.000,0:00:06.000\nC\n")
    assert texts(doc) == ["A", "", "C"]
    assert doc[1].content == ()
    messages = [d.message for d in doc.diagnostics]
    assert any("blank line" in m for m in messages) and any("without text" in m for m in messages)


def test_text_before_first_cue_is_skipped() -> None:
    doc = read("Title of the video\n\n0:00:01.000,0:00:02.000\nA\n")
    assert texts(doc) == ["A"]
    assert doc.diagnostics[0].line == 1


def test_speaker_prefix_read_and_written() -> None:
    doc = read("0:00:01.000,0:00:02.000\n>> JOHN: Hello there\nsecond line\n\n0:00:03.000,0:00:04.000\n>> no name\n")
    assert doc[0].speaker == "JOHN"
    assert doc[0].plain_text() == "Hello there\nsecond line"
    assert doc[1].speaker is None and doc[1].plain_text() == ">> no name"
    assert read("0:00:01.000,0:00:02.000\n>> JOHN: Hi\n", speaker_prefix=False)[0].plain_text() == ">> JOHN: Hi"
    out = str(subkit.dumps(doc, "sbv"))
    assert ">> JOHN: Hello there\nsecond line\n" in out
    plain = subkit.render(doc, "sbv", speaker_prefix=False)
    assert [loss.feature for loss in plain.losses] == ["speaker"]


def test_nothing_parses_is_an_error_and_empty_is_empty() -> None:
    with pytest.raises(ParseError, match="no SBV timing line") as info:
        read("\nsome text")
    assert info.value.line == 2
    assert len(read("")) == 0
    assert len(read("\n\n")) == 0


def test_writer_format_and_losses() -> None:
    cue = Cue(
        start_ms=3_723_004,
        end_ms=3_724_000,
        content=(Run("it", RunStyle(italic=True)), LineBreak(), LineBreak(), Run(" b ")),
    )
    negative = Cue(start_ms=-500, end_ms=100, content=(Run("x"),))
    result = subkit.render(Document(cues=(cue, negative)), "sbv")
    assert result.data == "1:02:03.004,1:02:04.000\nit\nb\n\n0:00:00.000,0:00:00.100\nx\n\n"
    assert [loss.feature for loss in result.losses] == ["italic", "negative-time"]
    with pytest.raises(UnsupportedFeatureError):
        subkit.render(Document(cues=(cue,)), "sbv", strict=True)
    comment = Cue(start_ms=0, end_ms=1, content=(Run("hidden"),), comment=True)
    assert subkit.render(Document(cues=(comment,)), "sbv").data == ""


@st.composite
def sbv_documents(draw: st.DrawFn) -> Document:
    cues = []
    for _ in range(draw(st.integers(0, 6))):
        start, end = draw(cue_times())
        cues.append(
            Cue(start_ms=start, end_ms=end, content=draw(contents()), speaker=draw(st.none() | names.map(str.upper)))
        )
    return Document(cues=tuple(cues), source_format="sbv")


@given(sbv_documents())
def test_round_trip_property(doc: Document) -> None:
    text = subkit.dumps(doc, "sbv", strict=True)
    assert subkit.loads(text, format="sbv", strict=True) == doc


test_writer_accepts_any_document = writer_accepts_any_document_test("sbv")


TOKENS = ["0:00:01.000,0:00:02.000", "\n", "\n\n", ">> A: ", ",", ":", ".", "0", "9", "x", " ", "-"]


@settings(max_examples=100, deadline=None)
@given(noise_from(TOKENS), st.booleans())
def test_reader_only_raises_parse_errors(text: str, strict: bool) -> None:
    if read_back := read_and_rewrite("sbv", text, strict):
        doc, again = read_back
        assert len(again.cues) == len(doc.cues)


test_golden_fixtures_exist = golden_fixtures_exist_test("sbv", "*.sbv")
test_golden = golden_test("sbv", "*.sbv")
