"""Avid DS / SubCap: blocks, frames, leniencies, writer, round trip, golden files."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import subkit
from subkit import formats
from subkit.errors import ConfigError, ParseError, UnsupportedFeatureError
from subkit.formats import avid_ds
from subkit.model import Cue, Document, LineBreak, Run, RunStyle
from subkit.timing import FPS_23_976, FPS_29_97, frames_to_ms

from ..strategies import contents
from ._format_checks import (
    golden_fixtures_exist_test,
    golden_test,
    noise_from,
    read_and_rewrite,
    writer_accepts_any_document_test,
)

SAMPLE = """@ This file written with the Avid Caption plugin, version 1

<begin subtitles>
10:00:01:00 10:00:03:12
First caption
second line

10:00:04:00 10:00:05:00
Next caption
<end subtitles>
"""


def read(text: str, **options: Any) -> Document:
    return subkit.loads(text, format="avid_ds", **options)


def test_sniff_needs_begin_subtitles() -> None:
    assert avid_ds.sniff(SAMPLE)
    assert avid_ds.sniff("<BEGIN SUBTITLES>\r\n00:00:01:00 00:00:02:00\r\nx\r\n")
    assert not avid_ds.sniff("00:00:01:00 00:00:02:00\nHi\n")
    assert not avid_ds.sniff("{QTtext}\n")
    assert formats.detect(SAMPLE, "x.txt").name == "avid_ds"


def test_blocks_frames_and_comments() -> None:
    doc = read(SAMPLE)
    assert [(c.start_ms, c.end_ms) for c in doc] == [(36_001_000, 36_003_480), (36_004_000, 36_005_000)]
    assert doc[0].content == (Run("First caption"), LineBreak(), Run("second line"))
    assert doc.frame_rate == Fraction(25)
    assert doc.header == {"avid_ds.comments": "@ This file written with the Avid Caption plugin, version 1"}
    assert doc.diagnostics == ()
    assert subkit.dumps(doc, "avid_ds") == SAMPLE


def test_fps_option_and_drop_frame() -> None:
    doc = read("<begin subtitles>\n00:00:01:12 00:00:02:00\nA\n<end subtitles>\n", fps="23.976")
    assert doc.frame_rate == FPS_23_976 and doc[0].start_ms == frames_to_ms(36, FPS_23_976)
    df = read("<begin subtitles>\n00:10:00;00 00:10:01;00\nA\n<end subtitles>\n", fps=FPS_29_97)
    assert df.drop_frame and df[0].start_ms == frames_to_ms(17982, FPS_29_97)
    assert "00:10:00;00 00:10:01;00\nA\n" in str(subkit.dumps(df, "avid_ds"))
    assert "00:09:59:12 00:10:00:12\nA\n" in str(subkit.dumps(df, "avid_ds", drop_frame=False))
    with pytest.raises(ConfigError):
        read(SAMPLE, fps=0)


def test_leniencies_are_diagnosed_with_lines() -> None:
    text = "stray\n00:00:01:00  00:00:02:00\nA\n00:00:03:30 00:00:02:00\nB\n\n00:00:05:00 00:00:06:00\n"
    doc = read(text)
    assert [(c.start_ms, c.end_ms, c.plain_text()) for c in doc] == [
        (1000, 2000, "A"),
        (4200, 4200, "B"),
        (5000, 6000, ""),
    ]
    found = [(d.line, d.message) for d in doc.diagnostics]
    assert found == [
        (2, "no <begin subtitles> line"),
        (2, "non-standard timing line"),
        (4, "no blank line before a timing line"),
        (4, "a timecode field is out of range"),
        (4, "cue ends before it starts"),
        (7, "cue without text"),
        (8, "no <end subtitles> line"),
    ]
    with pytest.raises(ParseError) as info:
        read(text, strict=True)
    assert info.value.line == 2
    missing_end = read("<begin subtitles>\n00:00:01:00 00:00:02:00\nA\n")
    assert missing_end.diagnostics[-1].message == "no <end subtitles> line"
    orphan = read("<begin subtitles>\nOrphan\n\n00:00:01:00 00:00:02:00\nA\n<end subtitles>\n")
    assert [(d.line, d.severity) for d in orphan.diagnostics] == [(2, "error")]


def test_nothing_parses_is_an_error() -> None:
    with pytest.raises(ParseError, match="no Avid DS timing line") as info:
        read("\nhello\n")
    assert info.value.line == 2
    assert len(read("")) == 0
    assert len(read("<begin subtitles>\n<end subtitles>\n")) == 0


def test_writer_drops_styling_and_empty_cues() -> None:
    cues = (
        Cue(start_ms=1000, end_ms=2000, content=(Run("a", RunStyle(italic=True)),)),
        Cue(start_ms=3000, end_ms=4000),
        Cue(start_ms=-40, end_ms=40, content=(Run("b"),)),
    )
    result = subkit.render(Document(cues=cues), "avid_ds", fps=30)
    assert result.data == (
        f"{avid_ds.DEFAULT_COMMENT}\n\n<begin subtitles>\n00:00:01:00 00:00:02:00\na\n\n"
        "00:00:00:00 00:00:00:01\nb\n<end subtitles>\n"
    )
    assert [loss.feature for loss in result.losses] == ["italic", "negative-time", "empty-cue"]
    with pytest.raises(UnsupportedFeatureError):
        subkit.render(Document(cues=cues[:1]), "avid_ds", strict=True)


@st.composite
def avid_documents(draw: st.DrawFn) -> Document:
    fps = draw(st.sampled_from([Fraction(25), FPS_29_97, FPS_23_976, Fraction(24)]))
    cues = []
    for _ in range(draw(st.integers(0, 5))):
        first = draw(st.integers(0, 30 * 3600 * 20))
        last = first + draw(st.integers(0, 300))
        cues.append(Cue(start_ms=frames_to_ms(first, fps), end_ms=frames_to_ms(last, fps), content=draw(contents())))
    return Document(
        cues=tuple(cues),
        header={"avid_ds.comments": avid_ds.DEFAULT_COMMENT},
        frame_rate=fps,
        source_format="avid_ds",
    )


@given(avid_documents())
def test_round_trip_property(doc: Document) -> None:
    text = subkit.dumps(doc, "avid_ds", strict=True)
    assert subkit.loads(text, format="avid_ds", strict=True, fps=doc.frame_rate) == doc


test_writer_accepts_any_document = writer_accepts_any_document_test("avid_ds", frame_based=True)


TOKENS = ["<begin subtitles>", "<end subtitles>", "00:00:01:00", " ", "\t", "\n", "\n\n", "@ c", ";", ":", "0", "x"]


@settings(max_examples=100, deadline=None)
@given(noise_from(TOKENS), st.booleans())
def test_reader_only_raises_parse_errors(text: str, strict: bool) -> None:
    if read_back := read_and_rewrite("avid_ds", text, strict):
        doc, again = read_back
        assert len(again.cues) == len([c for c in doc.cues if c.plain_text().strip()])


test_golden_fixtures_exist = golden_fixtures_exist_test("avid_ds", "*.txt")
test_golden = golden_test("avid_ds", "*.txt")
