"""SRT reader and writer."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import subkit
from subkit.errors import ParseError, UnsupportedFeatureError
from subkit.model import Color, Cue, Document, LineBreak, Placement, Raw, Run, RunStyle, Word

from ..strategies import contents, cue_times, run_styles


def read(text: str, **options: Any) -> Document:
    return subkit.loads(text, format="srt", **options)


def texts(doc: Document) -> list[str]:
    return [cue.plain_text() for cue in doc]


def test_basic_cues_and_times() -> None:
    doc = read("1\n00:00:01,000 --> 00:00:02,500\nHello\nthere\n\n2\n01:02:03,004 --> 01:02:04,000\nBye\n")
    assert [(c.start_ms, c.end_ms) for c in doc] == [(1000, 2500), (3_723_004, 3_724_000)]
    assert texts(doc) == ["Hello\nthere", "Bye"]
    assert doc.diagnostics == ()


@pytest.mark.parametrize(
    ("timing", "start", "end"),
    [
        ("00:00:01.000 --> 00:00:02.000", 1000, 2000),
        ("0:0:1,5 --> 0:0:2,25", 1500, 2250),
        ("00:01,000 --> 00:02,000", 1000, 2000),
        ("00:00:01,000 -> 00:00:02,000", 1000, 2000),
        ("00:00:01,000 -- > 00:00:02,000", 1000, 2000),
        ("00:00:01,000—>00:00:02,000", 1000, 2000),
        ("00:00:01:000 --> 00:00:02:000", 1000, 2000),
        ("00:00:75,000 --> 00:01:20,000", 75_000, 80_000),
    ],
)
def test_lenient_timing_lines(timing: str, start: int, end: int) -> None:
    doc = read(f"1\n{timing}\nText\n")
    assert (doc[0].start_ms, doc[0].end_ms) == (start, end)
    assert doc.diagnostics, "a non-standard timing line is diagnosed"
    with pytest.raises(ParseError) as info:
        read(f"1\n{timing}\nText\n", strict=True)
    assert info.value.line == 2


def test_missing_and_wrong_indexes_and_blank_lines() -> None:
    text = (
        "\n\n00:00:01,000 --> 00:00:02,000\nno index\n"
        "7\n00:00:03,000 --> 00:00:04,000\nmissing blank line above\n\n\n"
        "7\n00:00:05,000 --> 00:00:06,000\nfirst\n\nafter a blank line\n"
        "0\n00:00:07,000 --> 00:00:08,000\n42\n"
    )
    doc = read(text)
    assert texts(doc) == ["no index", "missing blank line above", "first\nafter a blank line", "42"]
    assert any("blank line" in d.message for d in doc.diagnostics)


def test_negative_and_inverted_times_are_diagnosed() -> None:
    doc = read("1\n-00:00:01,000 --> 00:00:02,000\nA\n\n2\n00:00:05,000 --> 00:00:04,000\nB\n")
    assert doc[0].start_ms == -1000
    assert (doc[1].start_ms, doc[1].end_ms) == (5000, 5000)
    severities = {d.severity for d in doc.diagnostics}
    assert severities == {"warning", "error"}
    result = subkit.render(doc, "srt")
    assert "00:00:00,000 --> 00:00:02,000" in str(result.data)
    assert [loss.feature for loss in result.losses] == ["negative-time"]


def test_tags_become_runs() -> None:
    doc = read(
        '1\n00:00:01,000 --> 00:00:02,000\n<i>it <b>bold</i> b</b> <font color="#00ff00" face="Arial" size="20">'
        "green</font> <u>u</u><s>s</s>\n"
    )
    runs = [item for item in doc[0].content if isinstance(item, Run)]
    assert [(r.text, r.style.italic, r.style.bold) for r in runs[:3]] == [
        ("it ", True, None),
        ("bold", True, True),
        (" b", None, True),
    ]
    green = next(r for r in runs if r.text == "green")
    assert green.style.color == Color(r=0, g=255, b=0)
    assert (green.style.font_family, green.style.font_size) == ("Arial", 20.0)
    assert {r.text for r in runs if r.style.underline} == {"u"}
    assert {r.text for r in runs if r.style.strike} == {"s"}


def test_font_color_names_and_unknown_tags() -> None:
    doc = read("1\n00:00:01,000 --> 00:00:02,000\n<font color=red>x</font> <blink>y</blink>{\\pos(1,2)}\n")
    assert doc[0].content[0] == Run("x", RunStyle(color=Color(r=255, g=0, b=0)))
    assert Raw("srt", "<blink>") in doc[0].content
    assert Raw("srt", "{\\pos(1,2)}") in doc[0].content
    assert any("unknown markup" in d.message for d in doc.diagnostics)
    # Raw SRT markup survives an SRT round trip but not a move to another format.
    assert "<blink>y</blink>{\\pos(1,2)}" in str(subkit.dumps(doc, "srt"))


def test_an_alignment_and_coordinates() -> None:
    doc = read(
        "1\n00:00:01,000 --> 00:00:02,000\n{\\an8}\nTop\n\n"
        "2\n00:00:03,000 --> 00:00:04,000  X1:100 X2:600 Y1:400 Y2:460\nBoxed\n"
    )
    assert doc[0].placement.align == 8 and doc[0].plain_text() == "Top"
    assert doc[1].placement == Placement(align=7, x=100.0, y=400.0, unit="px")
    out = str(subkit.dumps(doc, "srt"))
    assert "{\\an8}Top" in out
    assert "00:00:04,000 X1:100 X2:600 Y1:400 Y2:460" in out


def test_bom_crlf_and_control_characters() -> None:
    data = "\ufeff1\r\n00:00:01,000 --> 00:00:02,000\r\nA\x00b\u200b\r\n".encode()
    doc = subkit.loads(data)
    assert doc.source_format == "srt" and doc[0].plain_text() == "Ab"


def test_nothing_parses_is_an_error_and_empty_is_empty() -> None:
    with pytest.raises(ParseError, match="no SRT timing line"):
        read("Hello\nworld\n")
    assert len(read("")) == 0
    assert len(read("\n\n")) == 0


def test_strict_mode_accepts_clean_files() -> None:
    doc = read("1\n00:00:01,000 --> 00:00:02,000\n<i>Fine</i>\n", strict=True)
    assert doc[0].content == (Run("Fine", RunStyle(italic=True)),)


def test_writer_drops_and_reports() -> None:
    cue = Cue(
        start_ms=0,
        end_ms=1000,
        content=(Run("a", RunStyle(ruby="r", classes=("x",))), LineBreak(), LineBreak(), Raw("ass", "{\\blur2}")),
        speaker="Ann",
        words=(Word(text="a\n\n", start_ms=0, end_ms=1000),),
        placement=Placement(x=10.0, y=10.0),
    )
    result = subkit.render(Document(cues=(cue,)), "srt")
    assert {loss.feature for loss in result.losses} >= {"ruby", "classes", "speaker", "word-timing", "raw", "position"}
    # The position is lost; its nearest alignment point (top left) is kept.
    assert result.data == "1\n00:00:00,000 --> 00:00:01,000\n{\\an7}a\n\n"
    with pytest.raises(UnsupportedFeatureError):
        subkit.render(Document(cues=(cue,)), "srt", strict=True)
    prefixed = subkit.render(Document(cues=(cue,)), "srt", speaker_prefix=True)
    assert "Ann: a" in str(prefixed.data)


def test_comment_cues_are_not_written() -> None:
    doc = Document(cues=(Cue(start_ms=0, end_ms=1, content=(Run("hidden"),), comment=True),))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert subkit.dumps(doc, "srt") == ""


@st.composite
def srt_documents(draw: st.DrawFn) -> Document:
    cues = []
    for _ in range(draw(st.integers(0, 6))):
        start, end = draw(cue_times(max_ms=99 * 3600 * 1000))
        content = draw(contents(styles=run_styles()))
        align = draw(st.none() | st.integers(1, 9))
        cues.append(Cue(start_ms=start, end_ms=end, content=content, placement=Placement(align=align)))
    return Document(cues=tuple(cues), source_format="srt")


@given(srt_documents())
def test_round_trip_property(doc: Document) -> None:
    text = subkit.dumps(doc, "srt", strict=True)
    again = subkit.loads(text, format="srt", strict=True)
    assert again == doc


@st.composite
def srt_texts(draw: st.DrawFn) -> str:
    """SRT text from a valid document, then a few random edits that real files show."""
    doc = draw(srt_documents())
    text = str(subkit.dumps(doc, "srt"))
    edits = draw(st.lists(st.sampled_from(["blank", "crlf-blank", "dot", "noindex", "text", "spaces", "markup"]),
                          max_size=3))
    for edit in edits:
        if edit == "markup" and " --> " in text:
            # Markup at the start of a cue's text (where {\anN} goes) or after its first line.
            cut = text.index("\n", text.index(" --> ")) + 1
            text = text[:cut] + draw(markup_lines()) + text[cut:]
        elif edit == "blank":
            text = text.replace("\n\n", "\n\n\n", 1)
        elif edit == "dot":
            text = text.replace(",", ".", 1)
        elif edit == "noindex":
            text = text.replace("\n2\n", "\n", 1)
        elif edit == "text":
            text = "garbage line\n" + text
        elif edit == "spaces":
            text = text.replace("\n", " \n", 1)
        else:
            text = text + "\n\n"
    return text


_TAGS = ("<i>", "</i>", "<b>", "</b>", "<u>", "</U>", "< i >", "<font color=\"red\">", "<font size='0'>", "</font>",
         "<br>", "<br/>", "<zz>", "{\\an8}", "{\\an2}", "{\\b1}", "{\\an8}\n", "<i\n>", "{x}", "<", ">")


@st.composite
def markup_lines(draw: st.DrawFn) -> str:
    """Text with tags (known, unknown, unbalanced, split across lines) and line breaks."""
    pieces = draw(st.lists(st.sampled_from(_TAGS) | st.sampled_from(("a", "b c", " ", "\n", "é 🙂", "这")),
                           min_size=1, max_size=8))
    return "".join(pieces).replace("\n\n", "\n") + "\n"


@given(markup_lines())
def test_tag_plans_build_what_the_tag_parser_builds(body: str) -> None:
    from subkit.formats import srt as srt_module

    body = body.strip("\n")
    for _ in range(2):  # the second time through the cached plan
        unknown: list[str] = []
        expected_unknown: list[str] = []
        assert srt_module._markup_items(body, unknown) == srt_module._parse_items(body, expected_unknown)
        assert unknown == expected_unknown


def test_alignment_tags_keep_the_fast_path() -> None:
    from subkit.formats import srt as srt_module

    text = "1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<i>Top</i>\n\n2\n00:00:03,000 --> 00:00:04,000\n{\\an7}\nLeft\n"
    fast = srt_module._read_regular(srt_module._blocks(text))
    assert fast is not None
    assert [cue.placement.align for cue in fast] == [8, 7]
    assert fast.cues == srt_module._read_lenient(text, srt_module.ReadOptions()).cues


@given(srt_texts())
def test_fast_path_matches_lenient_reader(text: str) -> None:
    from subkit.formats import srt as srt_module

    fast = srt_module._read_regular(srt_module._blocks(text))
    if fast is not None:
        lenient = srt_module._read_lenient(text, srt_module.ReadOptions())
        assert fast.cues == lenient.cues
        assert lenient.diagnostics == ()
