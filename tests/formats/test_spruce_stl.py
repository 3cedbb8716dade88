"""Spruce / DVD Studio Pro STL: directives, toggles, frames, leniencies, writer, round trip, golden files."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import subkit
from subkit import formats
from subkit.errors import ConfigError, ParseError, UnsupportedFeatureError
from subkit.formats import spruce_stl
from subkit.model import NOWHERE, Cue, Document, LineBreak, Placement, Run, RunStyle
from subkit.timing import FPS_29_97, frames_to_ms

from ..strategies import contents, run_styles
from ._format_checks import (
    golden_fixtures_exist_test,
    golden_test,
    noise_from,
    read_and_rewrite,
    writer_accepts_any_document_test,
)

ITALIC = RunStyle(italic=True)
BOLD = RunStyle(bold=True)


def read(text: str, **options: Any) -> Document:
    return subkit.loads(text, format="spruce_stl", **options)


def test_sniff_spruce_and_not_ebu_stl() -> None:
    assert spruce_stl.sniff("00:00:01:00 , 00:00:02:00 , Hi\n")
    assert spruce_stl.sniff("00:00:01:00\t,\t00:00:02:00\t,\tHi\n")
    assert spruce_stl.sniff("//comment\n$FontName = Arial\n\n00:00:01:00,00:00:02:00,Hi\n")
    assert spruce_stl.sniff("$FontName = Arial\n")
    assert not spruce_stl.sniff("850STL25.01\x31\x00\x00 00:00:01:00 , 00:00:02:00 , x")
    assert not spruce_stl.sniff("1\n00:00:01,000 --> 00:00:02,000\nHi\n")
    assert not spruce_stl.sniff("00:00:01:00 00:00:02:00\nHi\n")  # Avid DS
    assert not spruce_stl.sniff("")
    assert formats.detect("00:00:01:00 , 00:00:02:00 , Hi\n", "x.stl").name == "spruce_stl"


def test_cue_lines_frames_and_line_breaks() -> None:
    doc = read("00:02:17:10 , 00:02:20:10 , Senator, we're making | our final approach.\n01:02:20:12,01:02:22:12,B\n")
    assert [(c.start_ms, c.end_ms) for c in doc] == [(137_400, 140_400), (3_740_480, 3_742_480)]
    assert doc[0].content == (Run("Senator, we're making"), LineBreak(), Run("our final approach."))
    assert doc.frame_rate == Fraction(25)
    assert doc.diagnostics == ()


def test_fps_option_declared_rate_and_drop_frame() -> None:
    doc = read("00:00:01:15 , 00:00:02:00 , A\n", fps="29.97")
    assert doc.frame_rate == FPS_29_97
    assert doc[0].start_ms == frames_to_ms(45, FPS_29_97)
    declared = read("//$SMPTEFormat = 30\n00:00:01:15 , 00:00:02:00 , A\n")
    assert declared.frame_rate == Fraction(30) and declared[0].start_ms == 1500
    df = read("00:01:00;02 , 00:01:01;00 , A\n", fps="29.97")
    assert df.drop_frame and df[0].start_ms == frames_to_ms(1800, FPS_29_97)
    assert "00:01:00;02 , 00:01:01;00 , A" in str(subkit.dumps(df, "spruce_stl"))
    with pytest.raises(ConfigError):
        read("00:00:01:15 , 00:00:02:00 , A\n", fps="fast")


def test_directives_and_toggles_become_styles_alignment_and_forced() -> None:
    text = (
        "$FontName = Arial\n$Italic = TRUE\n$HorzAlign = Left\n$VertAlign = Top\n\n"
        "00:00:01:00 , 00:00:02:00 , all italic ^Iplain^I ^Bbold\n"
        "$Italic = False\n$HorzAlign = Center\n$VertAlign = Bottom\n$ForceDisplay = True\n$ColorIndex1 = 3\n"
        "// a note\n"
        "00:00:03:00 , 00:00:04:00 , ^Uunder|line^U two\n"
    )
    doc = read(text)
    first, second = doc.cues
    assert first.content == (
        Run("all italic ", ITALIC),
        Run("plain"),
        Run(" ", ITALIC),
        Run("bold", RunStyle(italic=True, bold=True)),
    )
    assert first.placement == Placement(align=7) and not first.forced
    assert second.placement is NOWHERE and second.forced
    assert second.content == (
        Run("under", RunStyle(underline=True)),
        LineBreak(),
        Run("line", RunStyle(underline=True)),
        Run(" two"),
    )
    assert second.extra == {"spruce_stl.before": "$ColorIndex1 = 3\n// a note"}
    assert doc.header["spruce_stl.header"].startswith("$FontName = Arial\n$Italic = TRUE")
    out = str(subkit.dumps(doc, "spruce_stl"))
    assert "00:00:01:00 , 00:00:02:00 , all italic ^Iplain^I ^Bbold\n" in out
    assert "$ColorIndex1 = 3\n// a note\n$ForceDisplay = TRUE\n$HorzAlign = Center\n$VertAlign = Bottom\n" in out
    assert "^I^Uunder|line^U two" in out
    assert read(out).cues == doc.cues


def test_leniencies_are_diagnosed_with_lines() -> None:
    text = "$Italic = maybe\nnot a cue\n00:00:01:30 , 00:00:01.10 , A\n00:00:05:00 , 00:00:04:00 , B\n"
    doc = read(text)
    # Frame 30 at 25 fps is added up (2.2 s); the first cue then ends before it starts.
    assert [(c.start_ms, c.end_ms) for c in doc] == [(2200, 2200), (5000, 5000)]
    found = [(d.line, d.severity, d.message) for d in doc.diagnostics]
    assert (1, "warning", "unreadable value for $Italic") in found
    assert (2, "error", "not a cue line, directive or comment") in found
    assert any(line == 3 and "out of range" in message for line, _, message in found)
    assert any(line == 3 and "'.'" in message for line, _, message in found)
    assert (3, "error", "cue ends before it starts") in found
    assert (4, "error", "cue ends before it starts") in found
    for start in range(4):
        with pytest.raises(ParseError) as info:
            read("\n".join(text.split("\n")[start:]), strict=True)
        assert info.value.line == 1


def test_nothing_parses_is_an_error() -> None:
    with pytest.raises(ParseError, match="no Spruce STL cue line") as info:
        read("\nhello\n")
    assert info.value.line == 2
    assert len(read("")) == 0
    assert len(read("$FontName = Arial\n")) == 0


def test_writer_default_header_tabs_fps_and_losses() -> None:
    cue = Cue(start_ms=1000, end_ms=2000, content=(Run("x", RunStyle(color=None, strike=True)),))
    result = subkit.render(Document(cues=(cue,)), "spruce_stl", tabs=True, fps=30)
    text = str(result.data)
    assert text.startswith(spruce_stl.default_header()["spruce_stl.header"] + "\n\n")
    assert text.endswith("00:00:01:00\t,\t00:00:02:00\t,\tx\n")
    assert [loss.feature for loss in result.losses] == ["strike"]
    with pytest.raises(UnsupportedFeatureError):
        subkit.render(Document(cues=(cue,)), "spruce_stl", strict=True)
    late = Cue(start_ms=1020, end_ms=1060, content=(Run("y"),))
    assert "00:00:01:01 , 00:00:01:02 , y" in str(subkit.dumps(Document(cues=(late,)), "spruce_stl"))


RATES = [Fraction(25), FPS_29_97, Fraction(24000, 1001), Fraction(30)]


@st.composite
def spruce_documents(draw: st.DrawFn) -> Document:
    fps = draw(st.sampled_from(RATES))
    cues = []
    for _ in range(draw(st.integers(0, 5))):
        first = draw(st.integers(0, 30 * 3600 * 9))
        last = first + draw(st.integers(0, 300))
        cues.append(
            Cue(
                start_ms=frames_to_ms(first, fps),
                end_ms=frames_to_ms(last, fps),
                content=draw(contents(styles=run_styles(strike=False, color=False, font=False))),
                placement=Placement(align=draw(st.sampled_from([1, 3, 4, 5, 6, 7, 8, 9])))
                if draw(st.booleans())
                else NOWHERE,
                forced=draw(st.booleans()),
            )
        )
    return Document(cues=tuple(cues), header=spruce_stl.default_header(), frame_rate=fps, source_format="spruce_stl")


@given(spruce_documents())
def test_round_trip_property(doc: Document) -> None:
    text = subkit.dumps(doc, "spruce_stl", strict=True)
    assert subkit.loads(text, format="spruce_stl", strict=True, fps=doc.frame_rate) == doc


test_writer_accepts_any_document = writer_accepts_any_document_test("spruce_stl", frame_based=True)


TOKENS = ["00:00:01:00", " , ", ",", "\t", "|", "^I", "^B", "^U", "$Italic = TRUE", "$HorzAlign = Left", "//",
          "\n", ";", ":", "0", "x", " "]  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(noise_from(TOKENS), st.booleans())
def test_reader_only_raises_parse_errors(text: str, strict: bool) -> None:
    if read_back := read_and_rewrite("spruce_stl", text, strict):
        doc, again = read_back
        assert len(again.cues) == len(doc.cues)


test_golden_fixtures_exist = golden_fixtures_exist_test("spruce_stl", "*.stl")
test_golden = golden_test("spruce_stl", "*.stl")
