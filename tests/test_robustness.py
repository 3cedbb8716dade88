"""Readers never crash, hang or raise anything but ParseError, whatever text they get."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import subkit
from subkit.errors import ParseError
from subkit.model import Document

#: Pieces of the formats' syntax, so random inputs get deep into the parsers.
TOKENS = [
    "\n", "\n\n", " ", "1", "0", "99", ":", ",", ".", "-->", "->", "00:00:01,000", "00:00:02.500", "01:02.003",
    "0:00:01.00", "-", "WEBVTT", "WEBVTT\n\n", "NOTE", "STYLE", "REGION", "id:r", "width:50%", "line:0",
    "position:10%", "align:start", "region:r", "<", ">", "</", "<i>", "</i>", "<b>", "<c.x>", "<v A>", "</v>",
    "<ruby>", "<rt>", "<00:00:01.500>", "&amp;", "&", ";", "{", "}", "\\", "{\\an8}", "{\\k50}", "{\\pos(1,2)}",
    "{\\p1}m 0 0 l 1 1{\\p0}", "\\N", "[Script Info]", "ScriptType: v4.00+", "ScriptType: v4.00",
    "[V4+ Styles]", "[V4 Styles]", "[Events]", "[Fonts]", "fontname: a.ttf", "Format: Name, Fontname",
    "Format: Layer, Start, End, Style, Text", "Style: Default,Arial,20,&H00FFFFFF",
    "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,", "Comment: ", "&H", "X1:1 X2:2 Y1:3 Y2:4",
    '<font color="#fff">', "</font>", "\x00", "\ufeff", "é", "漢",
]  # fmt: skip

inputs = st.lists(st.sampled_from(TOKENS) | st.text(max_size=5), max_size=60).map("".join)


@pytest.mark.parametrize("fmt", ["srt", "webvtt", "ass", "ssa", "subkit_json"])
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=inputs, strict=st.booleans())
def test_readers_only_raise_parse_errors(fmt: str, text: str, strict: bool) -> None:
    try:
        doc = subkit.loads(text, format=fmt, strict=strict)
    except ParseError as exc:
        assert exc.format == fmt
        return
    assert isinstance(doc, Document)


@pytest.mark.parametrize("fmt", ["srt", "webvtt", "ass", "ssa"])
@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=inputs)
def test_whatever_reads_also_writes_and_reads_back(fmt: str, text: str) -> None:
    try:
        doc = subkit.loads(text, format=fmt)
    except ParseError:
        return
    for target in ("srt", "webvtt", "ass", "ssa", "subkit_json"):
        written = subkit.render(doc, target).data
        assert isinstance(written, str)
        again = subkit.loads(written, format=target)
        assert len(again.cues) <= len(doc.cues)


@pytest.mark.parametrize(
    "data", [b"\x00\x01\x02" * 100, bytes(range(256)) * 4, b"\xff\xfe" + b"\x00" * 50, b"\x89PNG\r\n\x1a\n" * 20]
)
def test_binary_noise_is_a_format_error(data: bytes) -> None:
    with pytest.raises(subkit.FormatError):
        subkit.loads(data)
