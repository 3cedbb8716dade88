"""SubViewer 2.0: header, [br], tags, leniencies, writer, round trip, golden files."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import subkit
from subkit import formats
from subkit.errors import ParseError, UnsupportedFeatureError
from subkit.formats import subviewer
from subkit.model import Color, Cue, Document, LineBreak, Raw, Run, RunStyle

from ..strategies import contents, cue_times, run_styles, words_text
from ._format_checks import (
    golden_fixtures_exist_test,
    golden_test,
    noise_from,
    read_and_rewrite,
    writer_accepts_any_document_test,
)

HEADER = """[INFORMATION]
[TITLE]My film
[AUTHOR]Ann
[SOURCE]
[PRG]
[FILEPATH]
[DELAY]0
[CD TRACK]0
[COMMENT]
[END INFORMATION]
[SUBTITLE]
[COLF]&HFFFFFF,[STYLE]bd,[SIZE]18,[FONT]Sans
"""


def read(text: str, **options: Any) -> Document:
    return subkit.loads(text, format="subviewer", **options)


def test_sniff_subviewer_and_not_its_neighbours() -> None:
    assert subviewer.sniff(HEADER)
    assert subviewer.sniff("\r\n00:02:17.40,00:02:20.40\r\nHi\r\n")
    assert not subviewer.sniff("0:00:01.000,0:00:02.500\nHi\n")  # SBV: milliseconds
    assert not subviewer.sniff("[TITLE]\nx\n[BEGIN]\n******** START SCRIPT ********\n")  # SubViewer 1.0
    assert not subviewer.sniff("{1}{25}Hello\n")  # MicroDVD
    assert not subviewer.sniff("")
    assert formats.detect(HEADER + "\n00:00:01.00,00:00:02.00\nA\n", "x.sub").name == "subviewer"


def test_header_title_style_line_and_cues() -> None:
    doc = read(HEADER + "\n00:00:01.00,00:00:02.50\nFirst[br]second\n\n01:02:03.45,01:02:04.00\nBye\n")
    assert doc.title == "My film"
    assert doc.header["subviewer.AUTHOR"] == "Ann"
    assert doc.header["subviewer.COLF"] == "&HFFFFFF" and doc.header["subviewer.FONT"] == "Sans"
    assert [(c.start_ms, c.end_ms) for c in doc] == [(1000, 2500), (3_723_450, 3_724_000)]
    assert doc[0].content == (Run("First"), LineBreak(), Run("second"))
    assert doc.diagnostics == ()
    out = str(subkit.dumps(doc, "subviewer"))
    assert out.startswith("[INFORMATION]\n[TITLE]My film\n[AUTHOR]Ann\n")
    assert "[COLF]&HFFFFFF,[STYLE]bd,[SIZE]18,[FONT]Sans\n" in out
    assert "\n00:00:01.00,00:00:02.50\nFirst[br]second\n" in out


def test_tags_become_runs_and_unknown_markup_stays_subviewer_only() -> None:
    doc = read('00:00:01.00,00:00:02.00\n<i>it</i>[br]<font color="#ff0000">red</font> <blink>x</blink>\n')
    assert doc[0].content[0] == Run("it", RunStyle(italic=True))
    assert Run("red", RunStyle(color=Color(r=255, g=0, b=0))) in doc[0].content
    assert Raw("subviewer", "<blink>") in doc[0].content
    assert any("unknown markup" in d.message for d in doc.diagnostics)
    assert "<blink>x</blink>" in str(subkit.dumps(doc, "subviewer"))
    as_srt = subkit.render(doc, "srt")
    assert "blink" not in str(as_srt.data) and [loss.feature for loss in as_srt.losses] == ["raw"]


@pytest.mark.parametrize(
    ("timing", "start", "end"),
    [
        ("00:00:01.500,00:00:02.250", 1500, 2250),
        ("0:0:1.5,0:0:2.25", 1500, 2250),
        ("00:00:01,50 , 00:00:02:25", 1500, 2250),
    ],
)
def test_lenient_timing_lines(timing: str, start: int, end: int) -> None:
    doc = read(f"{timing}\nText\n")
    assert (doc[0].start_ms, doc[0].end_ms) == (start, end)
    assert doc.diagnostics
    with pytest.raises(ParseError) as info:
        read(f"{timing}\nText\n", strict=True)
    assert info.value.line == 1


def test_negative_and_inverted_times() -> None:
    doc = read("-00:00:06.84,-00:00:02.85\nA\n\n00:00:05.00,00:00:04.00\nB\n")
    assert (doc[0].start_ms, doc[0].end_ms) == (-6840, -2850)
    assert (doc[1].start_ms, doc[1].end_ms) == (5000, 5000)
    assert {d.severity for d in doc.diagnostics} == {"warning", "error"}
    result = subkit.render(doc, "subviewer")
    assert "\n00:00:00.00,00:00:00.00\nA\n" in str(result.data)
    assert [loss.feature for loss in result.losses] == ["negative-time"]
    with pytest.raises(ParseError) as info:
        read("00:00:01.00,00:00:02.00\nA\n\n00:00:05.00,00:00:04.00\nB\n", strict=True)
    assert info.value.line == 4


def test_multi_line_text_missing_blank_line_and_orphans() -> None:
    doc = read("Orphan\n00:00:01.00,00:00:02.00\nOne\nTwo\n00:00:03.00,00:00:04.00\nThree\n\n00:00:0x.00,1\nZ\n")
    assert [c.plain_text() for c in doc] == ["One\nTwo", "Three"]
    messages = [(d.line, d.message) for d in doc.diagnostics]
    assert (1, "text without a timing line") in messages
    assert any("several lines" in m for _, m in messages)
    assert any("no blank line" in m for _, m in messages)
    assert any(line == 8 and "does not parse" in m for line, m in messages)


def test_nothing_parses_is_an_error() -> None:
    with pytest.raises(ParseError, match="no SubViewer timing line") as info:
        read("hello\nworld\n")
    assert info.value.line == 1
    assert len(read("")) == 0


def test_writer_default_header_losses_and_rounding() -> None:
    cue = Cue(start_ms=1004, end_ms=2005, content=(Run("a", RunStyle(ruby="r")),), speaker="Ann")
    result = subkit.render(Document(cues=(cue,), title="T"), "subviewer")
    text = str(result.data)
    assert text.startswith("[INFORMATION]\n[TITLE]T\n")
    assert "[COLF]&HFFFFFF,[STYLE]no,[SIZE]24,[FONT]Arial\n" in text
    assert text.endswith("\n00:00:01.00,00:00:02.01\na\n")
    assert {loss.feature for loss in result.losses} == {"ruby", "speaker"}
    with pytest.raises(UnsupportedFeatureError):
        subkit.render(Document(cues=(cue,)), "subviewer", strict=True)
    back = read(text)
    assert dict(back.header) == subviewer.default_header()


@st.composite
def subviewer_documents(draw: st.DrawFn) -> Document:
    cues = []
    for _ in range(draw(st.integers(0, 5))):
        start, end = draw(cue_times(step=10, max_ms=99 * 3600 * 1000))
        content = draw(contents(styles=run_styles()))
        cues.append(Cue(start_ms=start, end_ms=end, content=content))
    return Document(
        cues=tuple(cues),
        title=draw(st.none() | words_text()),
        header=subviewer.default_header(),
        source_format="subviewer",
    )


@given(subviewer_documents())
def test_round_trip_property(doc: Document) -> None:
    text = subkit.dumps(doc, "subviewer", strict=True)
    assert subkit.loads(text, format="subviewer", strict=True) == doc


test_writer_accepts_any_document = writer_accepts_any_document_test("subviewer")


TOKENS = ["00:00:01.00,00:00:02.00", "[br]", "[INFORMATION]", "[TITLE]", "[COLF]&H0,[FONT]A", "\n", "\n\n",
          "<i>", "</i>", "-", ":", ".", ",", "0", "x", " "]  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(noise_from(TOKENS), st.booleans())
def test_reader_only_raises_parse_errors(text: str, strict: bool) -> None:
    if read_back := read_and_rewrite("subviewer", text, strict):
        doc, again = read_back
        assert len(again.cues) == len(doc.cues)


test_golden_fixtures_exist = golden_fixtures_exist_test("subviewer", "*.sub")
test_golden = golden_test("subviewer", "*.sub")
