"""SAMI: HTML-like scanning, classes and languages, clears, markup, leniencies, writer, round trip, golden files."""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import subkit
from subkit import formats
from subkit.errors import ParseError, UnsupportedFeatureError
from subkit.formats import sami
from subkit.model import Color, Cue, Document, LineBreak, Raw, Run, RunStyle

from ..strategies import contents, names, run_styles, words_text
from ._format_checks import (
    golden_fixtures_exist_test,
    golden_test,
    noise_from,
    read_and_rewrite,
    writer_accepts_any_document_test,
)

HEAD = """<SAMI>
<HEAD>
<TITLE>Test</TITLE>
<STYLE TYPE="text/css">
<!--
P { font-family: Arial; text-align: center; }
.ENUSCC { Name: English; lang: en-US; SAMIType: CC; }
.FRFRCC { Name: French; lang: fr-FR; SAMIType: CC; }
-->
</STYLE>
</HEAD>
<BODY>
"""
TAIL = "</BODY>\n</SAMI>\n"
BILINGUAL = (
    HEAD
    + (
        "<SYNC Start=1000><P Class=ENUSCC>Hello<P Class=FRFRCC>Bonjour\n"
        "<SYNC Start=2000><P Class=ENUSCC>&nbsp;\n"
        "<SYNC Start=2500><P Class=ENUSCC>Again<P Class=FRFRCC>&nbsp;\n"
        "<SYNC Start=3000><P Class=ENUSCC>&nbsp;\n"
    )
    + TAIL
)


def read(text: str, **options: Any) -> Document:
    return subkit.loads(text, format="sami", **options)


def body(syncs: str, head: str = HEAD) -> str:
    return head + syncs + TAIL


def test_sniff_sami() -> None:
    assert sami.sniff(BILINGUAL)
    assert sami.sniff("\n<sami>\n<body>")
    assert not sami.sniff("<tt xmlns='http://www.w3.org/ns/ttml'>")
    assert not sami.sniff("1\n00:00:01,000 --> 00:00:02,000\n<i>x</i>\n")
    assert formats.detect(BILINGUAL, "x.smi").name == "sami"


def test_every_language_is_read_and_each_class_clears_itself() -> None:
    doc = read(BILINGUAL)
    assert [(c.start_ms, c.end_ms, c.plain_text(), c.language) for c in doc] == [
        (1000, 2000, "Hello", "en-US"),
        (1000, 2500, "Bonjour", "fr-FR"),
        (2500, 3000, "Again", "en-US"),
    ]
    assert doc.language is None and doc.title == "Test"
    assert ".FRFRCC" in doc.header["sami.style"] and not doc.header["sami.style"].startswith("<!--")
    assert doc.diagnostics == ()
    assert all("sami.class" not in c.extra for c in doc)


def test_writer_language_option_and_class_per_language() -> None:
    doc = read(BILINGUAL)
    out = str(subkit.dumps(doc, "sami"))
    assert "<SYNC Start=1000><P Class=ENUSCC>Hello</P><P Class=FRFRCC>Bonjour</P></SYNC>" in out
    assert read(out).cues == doc.cues
    french = str(subkit.dumps(doc, "sami", language="fr"))
    assert "ENUSCC>Hello" not in french and "<P Class=FRFRCC>Bonjour</P>" in french
    only = read(french)
    assert [(c.plain_text(), c.language) for c in only] == [("Bonjour", None)] and only.language == "fr-FR"


def test_single_language_goes_to_the_document() -> None:
    doc = read(body("<SYNC Start=1000><P Class=ENUSCC>Hi</P></SYNC>\n<SYNC Start=2000><P Class=ENUSCC>&nbsp;</P>"))
    assert doc.language == "en-US" and doc[0].language is None


def test_markup_entities_and_whitespace() -> None:
    doc = read(
        body(
            "<SYNC Start=1000><P Class=ENUSCC>\n   <i>it</i>   <b>bold\n words</b>&nbsp;&amp; <u>u</u><s>s</s><br/>\n"
            '   <font color="#00ff00" face="Times" size=3>green</font> <FONT COLOR=red>red</FONT>'
            "&#039;s <span class=x>kept</span>  \n</P>\n<SYNC Start=2000><P Class=ENUSCC>&nbsp;</P>"
        )
    )
    assert doc[0].content == (
        Run("it", RunStyle(italic=True)),
        Run(" "),
        Run("bold words", RunStyle(bold=True)),
        Run("\xa0& "),
        Run("u", RunStyle(underline=True)),
        Run("s", RunStyle(strike=True)),
        LineBreak(),
        Run("green", RunStyle(color=Color(r=0, g=255, b=0), font_family="Times", font_size=3.0)),
        Run(" "),
        Run("red", RunStyle(color=Color(r=255, g=0, b=0))),
        Run("'s "),
        Raw("sami", "<span class=x>"),
        Run("kept"),
        Raw("sami", "</span>"),
    )
    assert [(d.line, d.message) for d in doc.diagnostics] == [(16, "unknown markup <span>")]
    out = str(subkit.dumps(doc, "sami"))
    assert "&nbsp;&amp; " in out and "<span class=x>kept</span>" in out
    assert read(out).cues == doc.cues
    as_srt = subkit.render(doc, "srt")
    assert "span" not in str(as_srt.data) and "raw" in [loss.feature for loss in as_srt.losses]


def test_inline_style_attributes_become_run_styles() -> None:
    doc = read(
        body(
            '<SYNC Start=1000><P Class=ENUSCC style="font-style: italic; text-align: left">a '
            '<span style="color: red; background-color: #000000; font-size: 12pt">b</span> '
            "<span style=\"font-weight: bold; text-decoration: underline line-through; font-family: 'Times'\">c</span>"
            "<span class=q>d</span>\n<SYNC Start=2000><P Class=ENUSCC>&nbsp;"
        )
    )
    italic = RunStyle(italic=True)
    assert doc[0].content == (
        Run("a ", italic),
        Run("b", RunStyle(italic=True, color=Color(r=255, g=0, b=0), background=Color(r=0, g=0, b=0), font_size=12.0)),
        Run(" ", italic),
        Run("c", RunStyle(italic=True, bold=True, underline=True, strike=True, font_family="Times")),
        Raw("sami", "<span class=q>"),
        Run("d", italic),
        Raw("sami", "</span>"),
    )
    assert [(d.line, d.message) for d in doc.diagnostics] == [
        (13, "inline style without a model field: text-align: left"),
        (13, "unknown markup <span>"),
    ]
    out = str(subkit.dumps(doc, "sami"))
    assert '<span style="background-color: #000000"><font color="#ff0000" size="12"><i>b</i></font></span>' in out
    assert read(out).cues == doc.cues


def test_speaker_from_source_paragraph() -> None:
    doc = read(
        body(
            "<SYNC Start=1000><P Class=ENUSCC ID=Source>Narrator<P Class=ENUSCC>Once upon a time\n"
            "<SYNC Start=2000><P Class=ENUSCC>&nbsp;"
        )
    )
    assert doc[0].speaker == "Narrator" and doc[0].plain_text() == "Once upon a time"
    out = str(subkit.dumps(doc, "sami"))
    assert "<P Class=ENUSCC ID=Source>Narrator</P><P Class=ENUSCC>Once upon a time</P>" in out
    assert read(out).cues == doc.cues


def test_leniencies_are_diagnosed_with_lines() -> None:
    text = (
        "<SYNC Start=3000><P Class=KRCC>Korean\n"  # line 1: undefined class, decreasing start next
        "<-- a malformed comment -->\n"  # line 2
        "<SYNC Start=1000ms><P>No class</P>\n"  # line 3: unit, P without class (the first class)
        "<SYNC Start=abc><P Class=ENUSCC>Skipped\n"  # line 4
        "<SYNC Start=4000>loose text\n"  # line 5: text without P
        "<SYNC Start=5000><P Class=ENUSCC>one<P Class=ENUSCC>two\n"  # line 6: two P of one class
    )
    doc = read(HEAD.replace("<BODY>\n", "") + text)
    assert [(c.start_ms, c.end_ms, c.plain_text()) for c in doc] == [
        (1000, 4000, "No class"),
        (3000, 7000, "Korean"),
        (4000, 5000, "loose text"),
        (5000, 9000, "one\ntwo"),
    ]
    korean = doc[1]
    assert korean.language is None and korean.extra == {"sami.class": "KRCC"}
    lines = [(d.line - 11 if d.line and d.line > 11 else d.line, d.severity, d.message) for d in doc.diagnostics]
    messages = {message: (line, severity) for line, severity, message in lines}
    assert messages["no <BODY> tag"][0] == 1
    assert messages["comment written '<--' instead of '<!--'"][0] == 2
    assert messages["SYNC Start is not an integer: '1000ms'"][0] == 3
    assert messages["SYNC Start is not a number: 'abc'"] == (4, "error")
    assert messages["text in <SYNC> without <P>"][0] == 5
    assert messages["several <P> of one class in a SYNC"][0] == 6
    assert messages["SYNC elements out of order"][0] == 3
    assert messages["class 'KRCC' is not defined in the style sheet"][0] == 1
    assert messages["no SYNC clears the last caption"][0] in (1, 6)
    with pytest.raises(ParseError) as info:
        read(HEAD + text, strict=True)
    assert info.value.line == 14  # the '<--' comment, after 12 head lines and the first SYNC
    out = str(subkit.dumps(doc, "sami"))
    assert ".KRCC" not in out.split("<BODY>")[0].split(".FRFRCC")[0]
    assert read(out).cues == doc.cues


def test_fractional_start_and_last_duration() -> None:
    doc = read(body("<SYNC Start=1000.6><P Class=ENUSCC>A"), last_duration_ms=500)
    assert (doc[0].start_ms, doc[0].end_ms) == (1001, 1501)


def test_no_sync_is_an_error_and_empty_is_empty() -> None:
    with pytest.raises(ParseError, match="no <SYNC>") as info:
        read("<SAMI><BODY>\n\nnothing here\n</BODY></SAMI>")
    assert info.value.line == 1
    with pytest.raises(ParseError, match="no <SYNC>"):
        read("just text")
    assert len(read("")) == 0


def test_writer_makes_a_style_sheet_and_reports() -> None:
    cues = (
        Cue(start_ms=1000, end_ms=3000, content=(Run("a<b", RunStyle(italic=True, ruby="x")),)),
        Cue(start_ms=2000, end_ms=4000, content=(Run("b"),)),
        Cue(start_ms=-5, end_ms=500, content=(Run("c"),), language="de"),
        Cue(start_ms=5000, end_ms=6000),
    )
    result = subkit.render(Document(cues=cues, title="T&T"), "sami")
    text = str(result.data)
    assert "<TITLE>T&amp;T</TITLE>" in text
    assert f".{sami.DEFAULT_CLASS} {{ Name: Subtitles; SAMIType: CC; }}" in text
    assert ".DECC { Name: de; lang: de; SAMIType: CC; }" in text
    assert f"<SYNC Start=1000><P Class={sami.DEFAULT_CLASS}><i>a&lt;b</i></P></SYNC>" in text
    assert f"<SYNC Start=2000><P Class={sami.DEFAULT_CLASS}>b</P></SYNC>" in text
    assert "<SYNC Start=0><P Class=DECC>c</P></SYNC>" in text
    # The lowering stage's losses first, then the per-track ones.
    assert [loss.feature for loss in result.losses] == ["ruby", "negative-time", "overlap", "empty-cue"]
    with pytest.raises(UnsupportedFeatureError):
        subkit.render(Document(cues=cues[:1]), "sami", strict=True)
    back = read(text)
    assert [(c.plain_text(), c.language) for c in back] == [("c", "de"), ("a<b", None), ("b", None)]


@pytest.mark.parametrize(
    "tail",
    ["<!-- " * 20000, "<-- x" * 20000, '<font color="' * 20000, "<style>" * 20000, "<title " * 20000, "<" * 50000],
    ids=["comment", "bad-comment", "quote", "style", "title", "brackets"],
)
def test_unclosed_constructs_take_linear_time(tail: str) -> None:
    started = time.perf_counter()
    try:
        read("<SAMI><HEAD><STYLE><TITLE><BODY><SYNC Start=1><P>" + tail)
    except ParseError as exc:
        assert exc.line is not None
    # Lazy patterns rescanning to the end of the input made these take 10-20 s.
    assert time.perf_counter() - started < 3


LANGUAGES = ["en-US", "fr-FR"]


@st.composite
def sami_documents(draw: st.DrawFn) -> Document:
    chosen = draw(st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=2, unique=True))
    cues: list[Cue] = []
    for parity, track_language in enumerate(chosen):
        time = 0
        for _ in range(draw(st.integers(0, 4))):
            # Starts of the two languages never coincide (even and odd ms), so the order is unambiguous.
            start = time + draw(st.integers(0, 3000)) * 2 + parity
            end = start + draw(st.integers(1, 3000))
            time = end + 1
            content = draw(contents(styles=run_styles()))
            cues.append(
                Cue(
                    start_ms=start,
                    end_ms=end,
                    content=content,
                    language=track_language,
                    speaker=draw(st.none() | names),
                )
            )
    cues.sort(key=lambda c: c.start_ms)
    used = {c.language for c in cues}
    language: str | None = None
    if len(used) == 1:
        language = used.pop()
        cues = [c.replace(language=None) for c in cues]
    return Document(
        cues=tuple(cues),
        language=language,
        title=draw(st.none() | words_text()),
        header={"sami.style": sami.stylesheet(list(LANGUAGES))},
        source_format="sami",
    )


@given(sami_documents())
def test_round_trip_property(doc: Document) -> None:
    text = subkit.dumps(doc, "sami", strict=True)
    assert subkit.loads(text, format="sami", strict=True) == doc


test_writer_accepts_any_document = writer_accepts_any_document_test("sami")


TOKENS = ["<SAMI>", "<BODY>", "<SYNC Start=1000>", "<SYNC Start=2000>", "<P Class=ENCC>", "<P>", "</P>", "&nbsp;",
          "<br>", "<i>", "</i>", "<font color=red>", "</font>", "<!--", "-->", "<--", "<STYLE>", ".ENCC {lang: en}",
          "</STYLE>", "<", ">", "&", "\n", " ", "x"]  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(noise_from(TOKENS), st.booleans())
def test_reader_only_raises_parse_errors(text: str, strict: bool) -> None:
    if read_back := read_and_rewrite("sami", text, strict):
        doc, again = read_back
        assert len(again.cues) <= len(doc.cues)


test_golden_fixtures_exist = golden_fixtures_exist_test("sami", "*.smi")
test_golden = golden_test("sami", "*.smi")


# ---------------------------------------------------------------- <SYNC> blocks read through plans

_BLOCK_PIECES = ["Hello", " world ", "&nbsp;", "&amp;", "a  b", "\n", "<br>", "<i>", "</i>", "<b>", "</b>",
                 "<font color=red>", "</font>", "<font color=\"#zz\">", "<span style=\"font-style: italic\">",
                 "</span>", "<span class=x>", "<ruby>", "<!-- c -->", "<-- c -->", "&#10;", "x > y", "a < b",
                 "<P Class=ENUSCC>", "<P Class=FRFRCC>", "<P Class=ENUSCC ID=Source>", "</P>", "<P>", "<P Class=XX>",
                 "<P Class=ENUSCC style=\"text-align: left\">", "</SYNC>", "<p class=enuscc>", "</BODY>"]


@st.composite
def _sync_blocks(draw: st.DrawFn) -> str:
    blocks = []
    for number in range(draw(st.integers(1, 8))):
        start = draw(st.sampled_from([str(1000 * number)] * 4 + ["x", f"{number}.5", f"0{number}"]))
        pieces = draw(st.lists(st.sampled_from(_BLOCK_PIECES), max_size=6))
        blocks.append(f"<SYNC Start={start}>" + "".join(pieces) + draw(st.sampled_from(["\n", "", "</SYNC>\n"])))
    # Repeat the blocks, so that later ones are read through the plans the first ones made.
    return "".join(blocks) + "".join(blocks)


@given(_sync_blocks())
def test_planned_blocks_read_as_tag_by_tag(syncs: str) -> None:
    """A body read through block plans gives the document (and diagnostics) of a tag-by-tag read."""
    text = body(syncs)
    try:
        planned: Document | str = read(text)
    except ParseError as exc:
        planned = str(exc)
    original = sami._Scanner.planned_blocks
    sami._Scanner.planned_blocks = lambda self, start, whole: None  # type: ignore[method-assign]
    try:
        try:
            general: Document | str = read(text)
        except ParseError as exc:
            general = str(exc)
    finally:
        sami._Scanner.planned_blocks = original  # type: ignore[method-assign]
    assert planned == general
    if isinstance(planned, Document) and isinstance(general, Document):
        assert planned.diagnostics == general.diagnostics


def test_a_body_tag_inside_the_style_block_is_css_not_the_body() -> None:
    """The writer keeps a file's CSS as it was; a ``<BODY>`` in it must not be taken for the document's body."""
    doc = subkit.loads("<SAMI><HEAD><STYLE><BODY></STYLE></HEAD><BODY></BODY></SAMI>", format="sami")
    written = subkit.dumps(doc, "sami")
    assert isinstance(written, str) and "<!--\n<BODY>\n-->" in written
    again = subkit.loads(written, format="sami")
    assert again.cues == doc.cues == ()
    text = ("<SAMI><HEAD><STYLE><!-- <BODY> P {} --></STYLE></HEAD><BODY>"
            "<SYNC Start=1000><P>Hello</P><SYNC Start=2000><P>&nbsp;</P></BODY></SAMI>")
    assert [cue.plain_text() for cue in subkit.loads(text, format="sami").cues] == ["Hello"]
