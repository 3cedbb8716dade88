"""QuickTime Text: descriptors, time scale, samples, leniencies, writer, round trip, golden files."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import subkit
from subkit import formats
from subkit.errors import ConfigError, ParseError, UnsupportedFeatureError
from subkit.formats import qt_text
from subkit.model import Cue, Document, LineBreak, Raw, Run, RunStyle

from ..strategies import contents, run_styles
from ._format_checks import (
    golden_fixtures_exist_test,
    golden_test,
    noise_from,
    read_and_rewrite,
    writer_accepts_any_document_test,
)

ITALIC = RunStyle(italic=True)

SAMPLE = """{QTtext} {font:Tahoma}
{plain} {size:20}
{timeScale:30}
{width:160} {height:32}
{timeStamps:absolute} {language:0}
[00:00:01.15]
First caption
[00:00:03.00]

[00:00:04.00]
{italic}Second{plain} caption
line two {textColor: 65535, 0, 0}red
[00:00:06.00]
"""


def read(text: str, **options: Any) -> Document:
    return subkit.loads(text, format="qt_text", **options)


def test_sniff_needs_qttext() -> None:
    assert qt_text.sniff(SAMPLE)
    assert qt_text.sniff("\n { QTtext }{font:Arial}\n")
    assert not qt_text.sniff("[00:00:01.00]\nHi\n")
    assert not qt_text.sniff("<begin subtitles>\n")
    assert formats.detect(SAMPLE, "x.txt").name == "qt_text"


def test_header_time_scale_and_samples() -> None:
    doc = read(SAMPLE)
    assert doc.header["qt_text.font"] == "Tahoma" and doc.header["qt_text.timescale"] == "30"
    assert "qt_text.qttext" not in doc.header
    assert [(c.start_ms, c.end_ms) for c in doc] == [(1500, 3000), (4000, 6000)]
    assert doc[1].content == (
        Run("Second", ITALIC),
        Run(" caption"),
        LineBreak(),
        Run("line two "),
        Raw("qt_text", "{textColor: 65535, 0, 0}"),
        Run("red"),
    )
    assert doc.diagnostics == ()
    out = str(subkit.dumps(doc, "qt_text"))
    assert out.startswith("{QTtext} {font:Tahoma} {plain} {size:20} {timeScale:30} {width:160}")
    assert "[00:00:04.00]\n{italic}Second{plain} caption\nline two {textColor: 65535, 0, 0}red\n[00:00:06.00]\n" in out
    assert read(out).cues == doc.cues


def test_time_scale_units_are_not_milliseconds() -> None:
    doc = read("{QTtext}{timeScale:600}\n[00:00:01.300]\nA\n[00:00:02.000]\n")
    assert (doc[0].start_ms, doc[0].end_ms) == (1500, 2000)
    assert "[00:00:01.300]" in str(subkit.dumps(doc, "qt_text"))
    assert "[00:00:01.500]" in str(subkit.dumps(doc, "qt_text", time_scale=1000))
    with pytest.raises(ConfigError):
        subkit.dumps(doc, "qt_text", time_scale=0)


def test_styles_hold_across_samples() -> None:
    doc = read(
        "{QTtext}{timeScale:1000}{bold}\n[00:00:01.000]\nbold\n[00:00:02.000]\n"
        "{plain}plain{underline}u\n[00:00:03.000]\nu too\n[00:00:04.000]\n"
    )
    assert [c.content for c in doc] == [
        (Run("bold", RunStyle(bold=True)),),
        (Run("plain"), Run("u", RunStyle(underline=True))),
        (Run("u too", RunStyle(underline=True)),),
    ]
    assert read(str(subkit.dumps(doc, "qt_text"))).cues == doc.cues


def test_relative_time_stamps() -> None:
    doc = read(
        "{QTtext}{timeScale:10}{timeStamps:relative}\n[00:00:01.0]\nA\n[00:00:02.5]\n\n[00:00:01.0]\nB\n[00:00:01.0]\n"
    )
    assert [(c.start_ms, c.end_ms) for c in doc] == [(1000, 3500), (4500, 5500)]
    assert "{timeStamps:absolute}" in str(subkit.dumps(doc, "qt_text"))


def test_leniencies_are_diagnosed_with_lines() -> None:
    text = "{QTtext}\nstray\n[00:00:01.45]\nA\n[00:00:00.00]\nB\n"
    doc = read(text)
    assert [(c.start_ms, c.end_ms) for c in doc] == [(2500, 2500), (0, 4000)]
    found = [(d.line, d.message) for d in doc.diagnostics]
    assert found == [
        (2, "text before the first time stamp"),
        (1, "no {timeScale:}"),
        (3, "time stamp fraction at or above the time scale"),
        (5, "time stamps go backwards"),
        (5, "no time stamp after the last sample"),
    ]
    with pytest.raises(ParseError) as info:
        read(text, strict=True)
    assert info.value.line == 2
    assert read("[00:00:01.00]\nA\n[00:00:02.00]\n").diagnostics[0].message == "no {QTtext} at the start"


def test_nothing_parses_is_an_error() -> None:
    with pytest.raises(ParseError, match="no QuickTime time stamp") as info:
        read("\nhello\nworld\n")
    assert info.value.line == 2
    header_only = read("{QTtext}{timeScale:30}\n\nhello\n")
    assert len(header_only) == 0 and header_only.diagnostics[0].line == 3
    assert len(read("")) == 0


def test_writer_default_header_overlaps_and_losses() -> None:
    cues = (
        Cue(start_ms=1000, end_ms=3000, content=(Run("a", RunStyle(strike=True)),)),
        Cue(start_ms=2000, end_ms=4000, content=(Run("b"),)),
        Cue(start_ms=5000, end_ms=6000),
    )
    result = subkit.render(Document(cues=cues), "qt_text")
    text = str(result.data)
    assert text.startswith("{QTtext} {font:Arial} {plain} {size:24} {textColor:65535, 65535, 65535}")
    assert "[00:00:01.000]\na\n[00:00:02.000]\nb\n[00:00:04.000]\n" in text
    assert [loss.feature for loss in result.losses] == ["strike", "empty-cue", "overlap"]
    with pytest.raises(UnsupportedFeatureError):
        subkit.render(Document(cues=cues[:1]), "qt_text", strict=True)
    assert dict(read(text).header) == qt_text.default_header()


@st.composite
def qt_documents(draw: st.DrawFn) -> Document:
    cues = []
    time = 0
    for _ in range(draw(st.integers(0, 5))):
        start = time + draw(st.integers(0, 5000))
        end = start + draw(st.integers(0, 5000))
        time = end
        content = draw(contents(styles=run_styles(strike=False, color=False, font=False)))
        cues.append(Cue(start_ms=start, end_ms=end, content=content))
    return Document(cues=tuple(cues), header=qt_text.default_header(), source_format="qt_text")


@given(qt_documents())
def test_round_trip_property(doc: Document) -> None:
    text = subkit.dumps(doc, "qt_text", strict=True)
    assert subkit.loads(text, format="qt_text", strict=True) == doc


test_writer_accepts_any_document = writer_accepts_any_document_test("qt_text")


TOKENS = ["{QTtext}", "{timeScale:30}", "{italic}", "{plain}", "{bold}", "[00:00:01.00]", "[00:00:02.15]", "\n",
          "{", "}", ":", ".", "0", "x", " "]  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(noise_from(TOKENS), st.booleans())
def test_reader_only_raises_parse_errors(text: str, strict: bool) -> None:
    if read_back := read_and_rewrite("qt_text", text, strict):
        doc, again = read_back
        assert len(again.cues) <= len(doc.cues)


test_golden_fixtures_exist = golden_fixtures_exist_test("qt_text", "*.txt")
test_golden = golden_test("qt_text", "*.txt")
