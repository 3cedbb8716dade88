"""MicroDVD reader and writer."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import subkit
from subkit.errors import ConfigError, ParseError, UnsupportedFeatureError
from subkit.model import Color, Cue, Document, LineBreak, Placement, Raw, Run, RunStyle
from subkit.timing import FPS_23_976, frames_to_ms

from ..conftest import CORPUS
from ..strategies import SAFE_ALPHABET, run_styles, words_text
from ._format_checks import golden_test, reader_robustness_test


def read(text: str, **options: Any) -> Document:
    return subkit.loads(text, format="microdvd", **options)


def test_fps_declaration_is_read_and_written() -> None:
    doc = read("{1}{1}25\n{25}{50}Hello\n")
    assert doc.frame_rate == Fraction(25)
    assert [(c.start_ms, c.end_ms, c.plain_text()) for c in doc] == [(1000, 2000, "Hello")]
    assert doc.diagnostics == ()
    assert subkit.dumps(doc, "microdvd") == "{1}{1}25\n{25}{50}Hello\n"
    assert subkit.dumps(doc, "microdvd", fps_header=False) == "{25}{50}Hello\n"


def test_ntsc_rates_are_exact() -> None:
    doc = read("{1}{1}23.976\n{24000}{24024}x\n")
    assert doc.frame_rate == FPS_23_976
    assert doc[0].start_ms == 1_001_000  # 24000 frames at 24000/1001 fps
    assert "{1}{1}23.976\n{24000}{24024}x" in str(subkit.dumps(doc, "microdvd"))


def test_fps_option_overrides_the_declaration_and_converts_on_write() -> None:
    doc = read("{1}{1}25\n{30}{60}x\n", fps=30)
    assert (doc[0].start_ms, doc[0].end_ms) == (1000, 2000)
    assert "{50}{100}x" in str(subkit.dumps(doc, "microdvd", fps=50))


def test_bad_fps_option_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        read("{1}{2}x\n", fps="fast")


def test_missing_fps_is_assumed_leniently_and_an_error_in_strict_mode() -> None:
    doc = read("{24}{48}x\n")
    assert doc.frame_rate == FPS_23_976
    assert "assumed 23.976" in doc.diagnostics[0].action
    with pytest.raises(ParseError) as info:
        read("\n{24}{48}x\n", strict=True)
    assert info.value.line == 2
    assert read("{24}{48}x\n", strict=True, fps=24)[0].start_ms == 1000


def test_pipes_and_style_codes() -> None:
    doc = read("{1}{1}25\n{0}{25}{y:i}one|{y:b,u}two {c:$0000FF}red\n")
    content = doc[0].content
    assert content[0] == Run("one", RunStyle(italic=True))
    assert content[1] == LineBreak()
    assert content[2] == Run("two ", RunStyle(bold=True, underline=True))
    assert content[3] == Run("red", RunStyle(bold=True, underline=True, color=Color(r=255, g=0, b=0)))


def test_uppercase_codes_apply_to_every_line() -> None:
    doc = read("{1}{1}25\n{0}{25}{Y:i}{F:Arial}{S:20}a|b\n")
    style = RunStyle(italic=True, font_family="Arial", font_size=20.0)
    assert doc[0].content == (Run("a", style), LineBreak(), Run("b", style))


def test_position_codes_and_kept_markup() -> None:
    doc = read("{1}{1}25\n{0}{25}{P:0}top\n{25}{50}{o:10,20}{H:cp1250}kept\n")
    assert doc[0].placement == Placement(align=8)
    assert Raw("microdvd", "{o:10,20}") in doc[1].content
    out = str(subkit.dumps(doc, "microdvd"))
    assert "{0}{25}{P:0}top" in out and "{o:10,20}{H:cp1250}kept" in out
    assert "raw" in {loss.feature for loss in subkit.render(doc, "srt").losses}


def test_unknown_code_is_text_with_a_diagnostic() -> None:
    doc = read("{1}{1}25\n{0}{25}{q:1}text\n")
    assert doc[0].plain_text() == "{q:1}text"
    assert "unknown control code" in doc.diagnostics[0].message
    with pytest.raises(ParseError) as info:
        read("{1}{1}25\n{0}{25}{q:1}text\n", strict=True)
    assert info.value.line == 2


@pytest.mark.parametrize(
    ("line", "message", "start", "end"),
    [
        ("{ 25 }{ 50 }x", "spaces inside", 1000, 2000),
        ("{50}{25}x", "ends before it starts", 2000, 2000),
        ("{-25}{25}x", "negative frame", -1000, 1000),
        ("{25}{}x", "empty end frame", 1000, 4000),
    ],
)
def test_leniencies(line: str, message: str, start: int, end: int) -> None:
    doc = read(f"{{1}}{{1}}25\n{line}\n")
    assert (doc[0].start_ms, doc[0].end_ms) == (start, end)
    assert any(message in d.message for d in doc.diagnostics)
    with pytest.raises(ParseError) as info:
        read(f"{{1}}{{1}}25\n{line}\n", strict=True)
    assert info.value.line == 2


def test_open_end_lasts_until_the_next_cue() -> None:
    doc = read("{1}{1}25\n{25}{}a\n{100}{125}b\n")
    assert doc[0].end_ms == 4000


def test_non_cue_lines_are_skipped_and_nothing_is_a_failure() -> None:
    doc = read("{1}{1}25\nrubbish\n{0}{25}x\n")
    assert len(doc) == 1 and doc.diagnostics[0].line == 2
    with pytest.raises(ParseError) as info:
        read("\nno cues at all\n")
    assert info.value.line == 2
    assert len(read("")) == 0


def test_writer_reports_what_it_cannot_express() -> None:
    doc = Document(cues=(
        Cue(start_ms=0, end_ms=1000, content=(Run("a", RunStyle(italic=True)), Run("b")), speaker="Ann",
            placement=Placement(align=9)),
    ))
    result = subkit.render(doc, "microdvd")
    assert {loss.feature for loss in result.losses} == {"speaker", "frame-rate", "inline-style", "alignment"}
    assert str(result.data) == "{1}{1}23.976\n{0}{24}{P:0}ab\n"


def test_codes_are_written_only_at_the_start_of_a_line() -> None:
    """FFmpeg, GStreamer and aeidon print a code inside a line as text: "This is {y:i}really important"."""
    doc = Document(frame_rate=Fraction(25), cues=(
        Cue(start_ms=0, end_ms=1000, content=(
            Run("This is "), Run("really", RunStyle(italic=True)), Run(" important"), LineBreak(),
            Run("all ", RunStyle(bold=True, italic=True)), Run("bold", RunStyle(bold=True)),
        )),
    ))
    result = subkit.render(doc, "microdvd", fps_header=False)
    assert str(result.data) == "{0}{25}This is really important|{y:b}all bold\n"
    assert [loss.feature for loss in result.losses] == ["inline-style"]
    with pytest.raises(UnsupportedFeatureError):
        subkit.render(doc, "microdvd", strict=True)
    whole = Document(frame_rate=Fraction(25), cues=(
        Cue(start_ms=0, end_ms=1000, content=(Run("a", RunStyle(italic=True)), LineBreak(), Run("b"))),))
    result = subkit.render(whole, "microdvd", fps_header=False)
    assert str(result.data) == "{0}{25}{y:i}a|b\n" and not result.losses


def test_sniff() -> None:
    from subkit.formats import microdvd

    assert microdvd.sniff("\n{1}{1}25\n{1}{2}x")
    assert not microdvd.sniff("1\n00:00:01,000 --> 00:00:02,000\nx")
    assert subkit.loads("{1}{1}25\n{0}{25}x\n").source_format == "microdvd"


# ---------------------------------------------------------------- properties


@st.composite
def microdvd_documents(draw: st.DrawFn) -> Document:
    """Documents within MicroDVD's features, on the frame grid of their frame rate."""
    rate = draw(st.sampled_from([Fraction(25), FPS_23_976, Fraction(30000, 1001)]))
    cues = []
    styles = run_styles(italic=True, bold=True, underline=True, strike=True, color=True, font=True)
    for _ in range(draw(st.integers(0, 5))):
        start = draw(st.integers(0, 200_000))
        end = start + draw(st.integers(0, 500))
        lines = draw(st.lists(st.tuples(words_text(SAFE_ALPHABET.replace("/", "")), styles), min_size=1, max_size=3))
        content: list[Run | LineBreak] = []
        for number, (text, style) in enumerate(lines):
            if number:
                content.append(LineBreak())
            content.append(Run(text, style))
        align = draw(st.sampled_from([None, 2, 8]))
        cues.append(Cue(start_ms=frames_to_ms(start, rate), end_ms=frames_to_ms(end, rate), content=tuple(content),
                        placement=Placement(align=align) if align else Placement()))
    return Document(cues=tuple(cues), frame_rate=rate)


@given(microdvd_documents())
def test_round_trip_property(doc: Document) -> None:
    text = subkit.dumps(doc, "microdvd", strict=True)
    again = subkit.loads(text, format="microdvd", strict=True)
    assert again.replace(source_format=None) == doc


# ---------------------------------------------------------------- golden files and corpus


test_golden = golden_test("microdvd")


MICRODVD_CORPUS = [
    "gaupol/data/samples/microdvd.sub",
    "mantas-subtitles/tests/files/sub_microdvd.sub",
    "mantas-subtitles/tests/files/sub_microdvd_with_styles.sub",
    "pycaption/examples/example.sub",
]


@pytest.mark.parametrize("path", MICRODVD_CORPUS)
def test_corpus_agrees_with_pysubs2(path: str) -> None:
    """pysubs2 reads the same times (to the millisecond it rounds to) and the same text."""
    pysubs2 = pytest.importorskip("pysubs2")
    file = CORPUS / path
    if not file.is_file():
        pytest.skip("shared corpus not available")
    ours = subkit.load(file, format="microdvd", fps=25)
    text = file.read_text(encoding="utf-8")
    if "{-" in text:
        pytest.skip("pysubs2 does not read negative frames")
    theirs = pysubs2.SSAFile.from_string(text, format_="microdvd", fps=25)
    assert len(ours) == len(theirs)
    for cue, event in zip(ours, theirs, strict=True):
        assert abs(cue.start_ms - event.start) <= 1 and abs(cue.end_ms - event.end) <= 1
        assert cue.plain_text() == event.plaintext


test_reader_only_raises_parse_errors = reader_robustness_test("microdvd")
