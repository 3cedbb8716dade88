"""Avid DVD caption text: reader and writer."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import subkit
from subkit import formats
from subkit.errors import ParseError, UnsupportedFeatureError
from subkit.formats import avid_dvd
from subkit.model import Cue, Document, LineBreak, Run, RunStyle, content_from_text
from subkit.timing import frames_to_ms
from tests import golden

from ..strategies import SAFE_ALPHABET, words_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "avid_dvd"
ITALIC = RunStyle(italic=True)

SAMPLE = (
    "25\t10:03:20:23\t10:03:23:05\tI see, on my way.|New line also.\n"
    "\n"
    "$Italic = TRUE\n"
    "26\t10:03:31:18\t10:03:34:00\teven more text\n"
    "Panessa, why didn't they give them\n"
    "an escape route ?\n"
    "\n"
    "$italic=false\n"
    "27\t10.03.40.00\t10,03,41,12\tDots and commas\n"
)


def read(text: str, **options: Any) -> Document:
    return subkit.loads(text, format="avid_dvd", **options)


def render(doc: Document, **options: Any) -> tuple[str, list[str]]:
    result = subkit.render(doc, "avid_dvd", **options)
    assert isinstance(result.data, str)
    return result.data, [loss.feature for loss in result.losses]


def test_sniff_and_detect() -> None:
    assert avid_dvd.sniff(SAMPLE)
    assert not avid_dvd.sniff("1\n00:00:01,000 --> 00:00:02,000\nHi\n")
    assert not avid_dvd.sniff("00:00:01:00 , 00:00:02:00 , Spruce\n")
    assert formats.detect(SAMPLE, "x.txt").name == "avid_dvd"


def test_read_sample() -> None:
    doc = read(SAMPLE)
    assert doc.diagnostics == ()
    assert doc.frame_rate == Fraction(25)
    first, second, third = doc.cues
    assert first.content == (Run("I see, on my way."), LineBreak(), Run("New line also."))
    assert (first.start_ms, first.end_ms) == (36_200_920, 36_203_200)
    assert second.content == (
        Run("even more text", ITALIC), LineBreak(), Run("Panessa, why didn't they give them", ITALIC), LineBreak(),
        Run("an escape route ?", ITALIC),
    )
    assert third.content == (Run("Dots and commas"),)
    assert third.end_ms == 36_221_480


def test_fps_option() -> None:
    doc = read("1\t00:00:01:15\t00:00:02:00\tx\n", fps="30")
    assert doc[0].start_ms == 1500


FPS_FORMS = [("25", Fraction(25)), ("29.97", Fraction(30000, 1001)), ("30000/1001", Fraction(30000, 1001)),
             (23.976, Fraction(24000, 1001)), (Fraction(24000, 1001), Fraction(24000, 1001))]


@pytest.mark.parametrize(("fps", "rate"), FPS_FORMS)
def test_fps_takes_strings_floats_and_fractions(fps: str | float | Fraction, rate: Fraction) -> None:
    doc = read("1\t00:00:01:15\t00:00:02:00\tx\n", fps=fps)
    assert doc.frame_rate == rate and doc[0].start_ms == frames_to_ms(round(rate) + 15, rate)
    assert "\t00:00:01:15\t00:00:02:00\t" in render(doc.replace(frame_rate=None), fps=fps)[0]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("1 00:00:01:00 00:00:02:00 spaces\n", 1, "spaces instead of a tab"),
        ("header\n1\t00:00:01:00\t00:00:02:00\tx\n", 1, "before the first caption"),
        ("1\t00:00:03:00\t00:00:02:00\tx\n", 1, "ends before"),
        ("1\t00:00:01:00\t00:00:02:00\tx\n$Bold = TRUE\n", 2, "unknown directive"),
        ("1\t00:00:01:40\t00:00:02:00\tx\n", 1, "out of range"),
    ],
)
def test_flaws_are_diagnosed_and_strict_raises_with_the_line(text: str, line: int, words: str) -> None:
    doc = read(text)
    assert doc.cues
    assert any(words in d.message and d.line == line for d in doc.diagnostics)
    with pytest.raises(ParseError) as info:
        read(text, strict=True)
    assert info.value.line == line


def test_nothing_parses_is_an_error_and_empty_is_empty() -> None:
    with pytest.raises(ParseError) as info:
        read("just some words\n")
    assert info.value.line == 1
    assert read("").cues == ()


def test_writer_switches_italics_and_reports_losses() -> None:
    doc = Document(cues=(
        Cue(start_ms=1000, end_ms=2000, content=content_from_text("one\ntwo", ITALIC)),
        Cue(start_ms=2000, end_ms=3000, content=(Run("part", ITALIC), Run(" plain"))),
        Cue(start_ms=3000, end_ms=4000, content=(Run("bold", RunStyle(bold=True)),)),
        Cue(start_ms=4000, end_ms=5000, content=content_from_text("a|b")),
    ))  # fmt: skip
    text, losses = render(doc)
    assert text.startswith("$Italic = TRUE\n1\t00:00:01:00\t00:00:02:00\tone|two\n\n$Italic = FALSE\n")
    assert losses == ["bold", "italic", "text"]
    with pytest.raises(UnsupportedFeatureError):
        render(doc, strict=True)


@st.composite
def avid_documents(draw: st.DrawFn) -> Document:
    cues = []
    frame = 0
    alphabet = SAFE_ALPHABET.replace("|", "")
    for _ in range(draw(st.integers(0, 6))):
        frame += draw(st.integers(0, 50))
        length = draw(st.integers(0, 200))
        lines = draw(st.lists(words_text(alphabet, max_size=20), min_size=1, max_size=3))
        style = ITALIC if draw(st.booleans()) else RunStyle()
        cues.append(Cue(start_ms=frames_to_ms(frame, Fraction(25)), end_ms=frames_to_ms(frame + length, Fraction(25)),
                        content=content_from_text("\n".join(lines), style)))
        frame += length
    return Document(cues=tuple(cues), frame_rate=Fraction(25))


@given(avid_documents())
def test_round_trip_property(doc: Document) -> None:
    text, losses = render(doc, strict=True)
    assert losses == []
    back = read(text, strict=True)
    assert back.cues == doc.cues
    assert render(back)[0] == text


@given(st.lists(st.sampled_from(["1", "\t", " ", "00:00:01:00", "10.00.00.00", "$Italic = TRUE", "$x", "|", "\n",
                                 "text", "é"]), max_size=30).map("".join))
def test_reader_only_raises_parse_errors(text: str) -> None:
    for strict in (False, True):
        try:
            doc = read(text, strict=strict)
        except ParseError as exc:
            assert exc.line is not None
            continue
        render(doc)


def test_golden() -> None:
    source = FIXTURES / "sample.txt"
    golden.check_text(source, SAMPLE)
    doc = subkit.load(source, format="avid_dvd")
    snapshot = str(subkit.dumps(doc.replace(diagnostics=()), "subkit_json"))
    expected = FIXTURES / "sample.subkit.json"
    golden.check_text(expected, snapshot)
    written, _ = render(doc)
    out = FIXTURES / "sample.txt.out"
    golden.check_text(out, written)
    assert read(written).cues == doc.cues


def test_writer_leaves_comment_cues_out() -> None:
    doc = Document(cues=(
        Cue(start_ms=1000, end_ms=2000, content=content_from_text("note to self"), comment=True),
        Cue(start_ms=2000, end_ms=3000, content=content_from_text("shown")),
    ))  # fmt: skip
    text, losses = render(doc)
    assert text == "1\t00:00:02:00\t00:00:03:00\tshown\n\n"
    assert losses == ["comment"]
    assert [cue.plain_text() for cue in read(text).cues] == ["shown"]
