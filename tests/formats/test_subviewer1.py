"""SubViewer 1.0: header, start/end time lines, delay, leniencies, writer, round trip, golden files."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import subkit
from subkit import formats
from subkit.errors import ParseError, UnsupportedFeatureError
from subkit.formats import subviewer1
from subkit.model import Cue, Document, LineBreak, Run, RunStyle

from ..strategies import contents, cue_times, words_text
from ._format_checks import (
    golden_fixtures_exist_test,
    golden_test,
    noise_from,
    read_and_rewrite,
    writer_accepts_any_document_test,
)

HEAD = """[TITLE]
Sample
[AUTHOR]
Ann
[SOURCE]
[PRG]
[FILEPATH]
[DELAY]
0
[CD TRACK]
0
[BEGIN]
******** START SCRIPT ********
"""
TAIL = "[end]\n******** END SCRIPT ********\n"


def read(text: str, **options: Any) -> Document:
    return subkit.loads(text, format="subviewer1", **options)


def test_sniff_needs_the_start_script_marker() -> None:
    assert subviewer1.sniff(HEAD)
    assert subviewer1.sniff(HEAD.replace("\n", "\r\n"))
    assert not subviewer1.sniff("[INFORMATION]\n[TITLE]x\n")
    assert not subviewer1.sniff("[00:00:01]\nHello\n")
    assert formats.detect(HEAD + "[00:00:01]\nA\n[00:00:02]\n\n" + TAIL, "x.sub").name == "subviewer1"


def test_cues_end_at_an_empty_time_line_or_the_next_cue() -> None:
    doc = read(
        HEAD + "[00:00:01]\nHello|world\n[00:00:03]\n\n[00:00:05]\nSecond\n[00:00:07]\nThird\n[00:00:09]\n\n" + TAIL
    )
    assert doc.title == "Sample" and doc.header["subviewer1.AUTHOR"] == "Ann"
    assert "subviewer1.DELAY" not in doc.header
    assert [(c.start_ms, c.end_ms, c.plain_text()) for c in doc] == [
        (1000, 3000, "Hello\nworld"),
        (5000, 7000, "Second"),
        (7000, 9000, "Third"),
    ]
    assert doc[0].content == (Run("Hello"), LineBreak(), Run("world"))
    assert doc.diagnostics == ()


def test_delay_is_applied_in_seconds_and_written_as_zero() -> None:
    doc = read(HEAD.replace("[DELAY]\n0", "[DELAY]\n2") + "[00:00:01]\nA\n[00:00:02]\n\n" + TAIL)
    assert (doc[0].start_ms, doc[0].end_ms) == (3000, 4000)
    out = str(subkit.dumps(doc, "subviewer1"))
    assert "[DELAY]\n0\n" in out and "[00:00:03]\nA\n[00:00:04]\n" in out
    with pytest.raises(ParseError) as info:
        read(HEAD.replace("[DELAY]\n0", "[DELAY]\nsoon") + TAIL, strict=True)
    assert info.value.line == 9


def test_leniencies_are_diagnosed_with_lines() -> None:
    text = "[00:00:01.5]\nFraction\n[00:00:02]\n\nstray line\n[00:00:04]\nOne\nTwo\n[00:00:03]\n\n[00:00:08]\nLast\n"
    doc = read(text)
    assert [(c.start_ms, c.end_ms, c.plain_text()) for c in doc] == [
        (1500, 2000, "Fraction"),
        (4000, 4000, "One\nTwo"),
        (8000, 12000, "Last"),
    ]
    lines = {d.message: d.line for d in doc.diagnostics}
    assert lines["no START SCRIPT line"] == 1
    assert lines["line outside a cue"] == 5
    assert lines["time line earlier than the cue it ends"] == 9
    assert lines["the last cue is never ended"] == 11
    with pytest.raises(ParseError) as info:
        read(text, strict=True)
    assert info.value.line == 1
    assert read(text, last_duration_ms=500)[-1].end_ms == 8500


def test_nothing_parses_is_an_error() -> None:
    with pytest.raises(ParseError, match=r"no SubViewer 1\.0 time line") as info:
        read("\nhello\n")
    assert info.value.line == 2
    assert len(read("")) == 0


def test_writer_rounds_to_seconds_and_reports() -> None:
    cues = (
        Cue(start_ms=1400, end_ms=2600, content=(Run("a", RunStyle(italic=True)), LineBreak(), Run("b"))),
        Cue(start_ms=5000, end_ms=6000),
    )
    result = subkit.render(Document(cues=cues), "subviewer1")
    text = str(result.data)
    assert "[BEGIN]\n******** START SCRIPT ********\n[00:00:01]\na|b\n[00:00:03]\n\n[end]\n" in text
    assert [loss.feature for loss in result.losses] == ["italic", "precision", "empty-cue"]
    with pytest.raises(UnsupportedFeatureError):
        subkit.render(Document(cues=cues[1:]), "subviewer1", strict=True)
    assert dict(read(text).header) == subviewer1.default_header()


@st.composite
def subviewer1_documents(draw: st.DrawFn) -> Document:
    cues = []
    for _ in range(draw(st.integers(0, 5))):
        start, end = draw(cue_times(step=1000))
        cues.append(Cue(start_ms=start, end_ms=end, content=draw(contents())))
    return Document(
        cues=tuple(cues),
        title=draw(st.none() | words_text()),
        header=subviewer1.default_header(),
        source_format="subviewer1",
    )


@given(subviewer1_documents())
def test_round_trip_property(doc: Document) -> None:
    text = subkit.dumps(doc, "subviewer1", strict=True)
    assert subkit.loads(text, format="subviewer1", strict=True) == doc


test_writer_accepts_any_document = writer_accepts_any_document_test("subviewer1")


TOKENS = ["[00:00:01]", "[00:00:02]", "\n", "\n\n", "|", "[TITLE]", "[DELAY]", "[end]",
          "******** START SCRIPT ********", "1", "x", " "]  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(noise_from(TOKENS), st.booleans())
def test_reader_only_raises_parse_errors(text: str, strict: bool) -> None:
    if read_back := read_and_rewrite("subviewer1", text, strict):
        doc, again = read_back
        assert len(again.cues) <= len(doc.cues)


test_golden_fixtures_exist = golden_fixtures_exist_test("subviewer1", "*.sub")
test_golden = golden_test("subviewer1", "*.sub")
