"""The TTML family (ttml, dfxp, ebu_tt_d): timing, styling, regions, words, leniency, writers, golden files."""

from __future__ import annotations

import csv
import dataclasses
import warnings
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import subkit
from subkit import formats
from subkit.errors import ParseError, UnsupportedFeatureError
from subkit.formats import dfxp, ebu_tt_d, ttml
from subkit.formats._ttml_read import INDEFINITE_TAIL_MS
from subkit.model import (
    Color,
    Cue,
    Document,
    LineBreak,
    Placement,
    Raw,
    Region,
    Run,
    RunStyle,
    Style,
    Word,
)
from tests import golden

from ..conftest import CORPUS
from ..strategies import SAFE_ALPHABET, cue_times, opaque_colors, timed_words, words_text
from ._format_checks import without_ruby

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
NS = ('xmlns="http://www.w3.org/ns/ttml" xmlns:tts="http://www.w3.org/ns/ttml#styling" '
      'xmlns:ttp="http://www.w3.org/ns/ttml#parameter" xmlns:ttm="http://www.w3.org/ns/ttml#metadata"')
RED = Color(r=255, g=0, b=0)


def tt(body: str, head: str = "", attrs: str = "", fmt: str = "ttml", **options: Any) -> Document:
    text = f"<tt {NS} {attrs}><head>{head}</head><body>{body}</body></tt>"
    return subkit.loads(text, format=fmt, **options)


def one(p: str, **kwargs: Any) -> Cue:
    doc = tt(f"<div>{p}</div>", **kwargs)
    assert len(doc.cues) == 1
    return doc.cues[0]


def render(doc: Document, fmt: str = "ttml", **options: Any) -> tuple[str, list[str]]:
    result = subkit.render(doc, fmt, **options)
    assert isinstance(result.data, str)
    return result.data, [loss.feature for loss in result.losses]


# ---------------------------------------------------------------- detection


def test_sniff_tells_the_family_members_apart() -> None:
    core = f'<?xml version="1.0"?>\n<!-- c -->\n<tt {NS}><body/></tt>'
    draft = '<tt xmlns="http://www.w3.org/2006/10/ttaf1"><body/></tt>'
    ebu = '<tt:tt xmlns:tt="http://www.w3.org/ns/ttml" xmlns:ebuttm="urn:ebu:tt:metadata"><tt:body/></tt:tt>'
    bare = "<tt>\n<body/></tt>"
    assert (ttml.sniff(core), dfxp.sniff(core), ebu_tt_d.sniff(core)) == (True, False, False)
    assert (ttml.sniff(draft), dfxp.sniff(draft), ebu_tt_d.sniff(draft)) == (False, True, False)
    assert (ttml.sniff(ebu), dfxp.sniff(ebu), ebu_tt_d.sniff(ebu)) == (False, False, True)
    assert ttml.sniff(bare)
    for spec_name, text in (("ttml", core), ("dfxp", draft), ("ebu_tt_d", ebu)):
        assert formats.detect(text).name == spec_name


@pytest.mark.parametrize("text", [
    "<SAMI><BODY><SYNC Start=0>hi</SYNC></BODY></SAMI>",
    '<?xml version="1.0"?><rss><channel/></rss>',
    "<html><body><tt>code</tt></body></html>",
    "1\n00:00:01,000 --> 00:00:02,000\n<tt>x</tt>\n",
    "",
])
def test_sniff_does_not_claim_other_xml(text: str) -> None:
    assert not ttml.sniff(text) and not dfxp.sniff(text) and not ebu_tt_d.sniff(text)


# ---------------------------------------------------------------- time expressions


@pytest.mark.parametrize(("expr", "ms"), [
    ("00:00:01.500", 1500),
    ("01:02:03.004", 3723004),
    ("00:00:01.5", 1500),
    ("00:00:01.0005", 1001),  # rounded half up, once
    ("100:00:00.000", 360_000_000),
    ("00:00:01:12", 1500),  # frames at ttp:frameRate 24
    ("00:00:01:12.1", 1521),  # sub-frames: half a frame at subFrameRate 2
    ("2h", 7_200_000),
    ("1.5m", 90_000),
    ("2.25s", 2250),
    ("750ms", 750),
    ("48f", 2000),
    ("24000t", 1000),
])
def test_time_expressions(expr: str, ms: int) -> None:
    attrs = 'ttp:frameRate="24" ttp:subFrameRate="2" ttp:tickRate="24000"'
    cue = one(f'<p begin="{expr}" end="200h">x</p>', attrs=attrs)
    assert cue.start_ms == ms


def test_frame_rate_multiplier_and_default_tick_rate() -> None:
    attrs = 'ttp:frameRate="30" ttp:frameRateMultiplier="1000 1001"'
    doc = tt('<div><p begin="00:00:01:00" end="30f">x</p><p begin="30t" end="60t">y</p></div>', attrs=attrs)
    # Media time: hh:mm:ss:ff is real seconds plus frames; 30f at 29.97 fps = 1.001 s; without
    # tickRate, ticks run at the effective frame rate.
    assert [(c.start_ms, c.end_ms) for c in doc.cues] == [(1000, 1001), (1001, 2002)]
    assert doc.frame_rate is not None and doc.frame_rate * 1001 == 30000


def test_smpte_time_base_with_drop_frame() -> None:
    attrs = 'ttp:timeBase="smpte" ttp:frameRate="30" ttp:frameRateMultiplier="1000 1001" ttp:dropMode="dropNTSC"'
    cue = one('<p begin="00:01:00:02" end="00:10:00:00">x</p>', attrs=attrs)
    # 00:01:00;02 is frame 1800 (labels ;00 and ;01 are skipped): 1800 * 1001 / 30000 s.
    assert cue.start_ms == 60060
    assert cue.end_ms == 599999  # 00:10:00;00 is frame 17982: 17982 * 1001/30000 = 599.9994 s


def test_tick_times_without_tick_rate_guess_10mhz_with_a_warning() -> None:
    doc = tt('<div><p begin="10000000t" end="25000000t">x</p></div>')
    assert (doc.cues[0].start_ms, doc.cues[0].end_ms) == (1000, 2500)
    assert any("tickRate" in d.message for d in doc.diagnostics)


@pytest.mark.parametrize(("expr", "ms", "message"), [
    ("4.7", 4700, "no unit"),
    ("0:00:01.000", 1000, None),  # one-digit hours are fine
    ("00:00:01,250", 1250, "decimal separator"),
    ("00:00:75.000", 75000, "above 59"),
    ("1:02.500", 62500, "without hours"),
])
def test_lenient_time_expressions(expr: str, ms: int, message: str | None) -> None:
    doc = tt(f'<div><p begin="{expr}" end="100s">x</p></div>')
    assert doc.cues[0].start_ms == ms
    if message:
        assert any(message in d.message for d in doc.diagnostics)
        with pytest.raises(ParseError) as info:
            tt(f'<div>\n<p begin="{expr}" end="100s">x</p></div>', strict=True)
        assert info.value.line == 1 + 0 or info.value.line == 2


def test_unreadable_time_is_an_error_with_its_line_in_strict_mode() -> None:
    text = f'<tt {NS}>\n<body>\n<div>\n<p begin="soon" end="2s">x</p>\n</div></body></tt>'
    doc = subkit.loads(text, format="ttml")
    assert doc.cues[0].start_ms == 0
    assert doc.diagnostics[0].line == 4 and doc.diagnostics[0].severity == "error"
    with pytest.raises(ParseError) as info:
        subkit.loads(text, format="ttml", strict=True)
    assert info.value.line == 4


def test_clock_time_base_and_wallclock_are_read_with_warnings() -> None:
    doc = tt('<div><p begin="00:00:01.000" end="wallclock(2024-01-01T00:00:00)">x</p></div>',
             attrs='ttp:timeBase="clock"')
    assert doc.cues[0].start_ms == 1000
    assert [d.line for d in doc.diagnostics] == [1, 1]
    with pytest.raises(ParseError):
        tt('<div><p begin="1s" end="2s">x</p></div>', attrs='ttp:timeBase="clock"', strict=True)


def test_bad_parameters_fall_back_with_warnings() -> None:
    doc = tt('<div><p begin="30f" end="60f">x</p></div>',
             attrs='ttp:frameRate="abc" ttp:frameRateMultiplier="1 0" ttp:tickRate="-5"')
    assert (doc.cues[0].start_ms, doc.cues[0].end_ms) == (1000, 2000)  # 30 fps
    assert [d.message.split(" ")[0] for d in doc.diagnostics] == [
        "ttp:frameRate", "ttp:frameRateMultiplier", "ttp:tickRate"]


# ---------------------------------------------------------------- nesting


def test_par_nesting_offsets_from_the_parent_and_clips() -> None:
    doc = tt('<div begin="10s" end="20s"><p begin="1s" end="2s">a</p><p begin="5s" end="30s">b</p>'
             '<p>c</p></div>', attrs="")
    assert [(c.start_ms, c.end_ms) for c in doc.cues] == [(11000, 12000), (15000, 20000), (10000, 20000)]


def test_body_begin_and_dur_against_end() -> None:
    doc = tt('<div><p begin="1s" dur="2s" end="10s">a</p><p begin="1s" dur="10s" end="4s">b</p></div>')
    assert [(c.start_ms, c.end_ms) for c in doc.cues] == [(1000, 3000), (1000, 4000)]


def test_seq_container_runs_children_one_after_another() -> None:
    doc = tt('<div timeContainer="seq"><p dur="2s">a</p><p begin="1s" dur="3s">b</p>'
             '<p timeContainer="seq">never</p><p dur="1s">c</p></div>')
    times = [(c.plain_text(), c.start_ms, c.end_ms) for c in doc.cues]
    assert times[0] == ("a", 0, 2000)
    assert times[1] == ("b", 3000, 6000)
    assert times[-1] == ("c", 6000, 7000)


def test_nested_times_authored_as_absolute_warn_and_have_an_option() -> None:
    body = '<div begin="10s" end="20s"><p begin="12s" end="14s">x</p></div>'
    doc = tt(body)
    assert any("look absolute" in d.message for d in doc.diagnostics)
    fixed = tt(body, nested_times="absolute")
    assert (fixed.cues[0].start_ms, fixed.cues[0].end_ms) == (12000, 14000)


def test_paragraph_without_times_lasts_past_the_last_known_time() -> None:
    # Indefinite content is active for the whole document: to the latest time it names, plus the tail.
    doc = tt('<div><p>always</p><p begin="1s" end="5s">b</p></div>')
    assert (doc.cues[0].start_ms, doc.cues[0].end_ms) == (0, 5000 + INDEFINITE_TAIL_MS)


def test_document_without_times_is_shown_not_zero_length() -> None:
    doc = tt("<div><p>one</p><p>two</p></div>")
    assert [(c.start_ms, c.end_ms) for c in doc.cues] == [(0, INDEFINITE_TAIL_MS)] * 2
    assert "00:00:00,000 --> 00:00:10,000" in subkit.dumps(doc, "srt")


# ---------------------------------------------------------------- content, white space


def test_br_and_white_space_collapsing() -> None:
    cue = one('<p begin="0s" end="1s">\n   Hello\n   <span>big</span>   world <br/>\n  second  line  </p>')
    assert cue.content == (Run("Hello big world"), LineBreak(), Run("second line"))


def test_xml_space_preserve_keeps_spaces_and_newlines() -> None:
    cue = one('<p begin="0s" end="1s" xml:space="preserve">  two  spaces\nnext</p>')
    assert cue.content == (Run("  two  spaces"), LineBreak(), Run("next"))


def test_unknown_markup_is_kept_raw_in_place() -> None:
    cue = one('<p begin="0s" end="4s">a<animate begin="1s" tts:color="red"/>b</p>')
    assert cue.content == (Run("a"), Raw("ttml", '<animate begin="1s" tts:color="red"/>'), Run("b"))
    text, _ = render(Document(cues=(cue,)))
    assert '<animate begin="1s" tts:color="red"/>' in text
    assert render(Document(cues=(cue,)), "srt")[1] == ["raw"]


# ---------------------------------------------------------------- styling


HEAD_STYLES = ('<styling><style xml:id="base" tts:color="yellow" tts:fontFamily="Arial"/>'
               '<style xml:id="it" style="base" tts:fontStyle="italic"/>'
               '<style xml:id="bg" tts:backgroundColor="#000000c0"/></styling>')


def test_referential_style_chains_and_inline_overrides() -> None:
    doc = tt('<div><p begin="0s" end="1s" style="it">a<span tts:fontStyle="normal" tts:color="red">b</span>'
             '<span style="bg">c</span></p></div>', head=HEAD_STYLES)
    cue = doc.cues[0]
    assert cue.style == "it"
    assert doc.styles["it"] == Style(name="it", font_family="Arial", primary_color=Color(r=255, g=255, b=0),
                                     italic=True)
    assert cue.content == (
        Run("a"),
        Run("b", RunStyle(italic=False, color=RED)),
        Run("c", RunStyle(background=Color(r=0, g=0, b=0, a=0xC0))),
    )


def test_inheritance_from_div_and_region_styles() -> None:
    head = ('<layout><region xml:id="r" tts:origin="10% 80%" tts:extent="80% 15%" tts:displayAlign="after" '
            'tts:textAlign="right" tts:fontWeight="bold"/></layout>')
    cue = one('<p begin="0s" end="1s" region="r" tts:textDecoration="underline lineThrough">x</p>', head=head)
    assert cue.content == (Run("x", RunStyle(bold=True, underline=True, strike=True)),)
    assert cue.placement == Placement(region="r", text_align="right")
    doc = tt('<div tts:color="red" region="r"><p begin="0s" end="1s">x</p></div>', head=head)
    assert doc.regions["r"].origin == (10.0, 80.0) and doc.regions["r"].display_align == "after"
    assert doc.cues[0].content == (Run("x", RunStyle(bold=True, color=RED)),)


def test_background_does_not_inherit_into_following_text() -> None:
    cue = one('<p begin="0s" end="1s"><span tts:backgroundColor="black">a</span>b</p>')
    assert cue.content == (Run("a", RunStyle(background=Color(r=0, g=0, b=0))), Run("b"))


def test_keyword_case_slips_are_read_with_a_warning() -> None:
    doc = tt('<div><p begin="0s" end="1s" tts:fontStyle="Italic">x</p></div>')
    assert doc.cues[0].content == (Run("x", RunStyle(italic=True)),)
    assert doc.diagnostics


def test_missing_style_and_region_references_are_diagnosed() -> None:
    doc = tt('<div><p begin="0s" end="1s" style="nope" region="nowhere">x</p></div>')
    assert doc.cues[0].placement == Placement()
    assert len(doc.diagnostics) == 2


def test_regions_in_pixels_and_cells_become_percentages() -> None:
    head = ('<layout><region xml:id="px" tts:origin="192px 540px" tts:extent="960px 108px"/>'
            '<region xml:id="c" tts:origin="4c 12c" tts:extent="24c 3c" tts:writingMode="tbrl"/></layout>')
    doc = tt('<div><p begin="0s" end="1s" region="px">x</p></div>', head=head,
             attrs='tts:extent="1920px 1080px" ttp:cellResolution="32 15"')
    assert doc.canvas == (1920, 1080)
    assert doc.regions["px"].origin == (10.0, 50.0) and doc.regions["px"].extent == (50.0, 10.0)
    assert doc.regions["c"].origin == (12.5, 80.0) and doc.regions["c"].writing_mode == "tbrl"


# ---------------------------------------------------------------- words, agents, language


def test_timed_spans_become_words_joining_to_the_text() -> None:
    cue = one('<p begin="10s" end="13s">\n <span begin="0s" end="1s">Hello </span>\n'
              ' <span begin="1s" end="2.5s" tts:fontStyle="italic">big</span>\n'
              ' <span begin="2.5s" end="3s">world</span></p>')
    assert cue.plain_text() == "Hello big world"
    assert cue.words == (Word(text="Hello ", start_ms=10000, end_ms=11000),
                         Word(text="big ", start_ms=11000, end_ms=12500),
                         Word(text="world", start_ms=12500, end_ms=13000))
    assert cue.words_align()


def test_agents_become_speakers_and_voices() -> None:
    head = ('<metadata><ttm:agent xml:id="a1" type="person"><ttm:name type="full">Ann Lee</ttm:name></ttm:agent>'
            '<ttm:agent xml:id="b2"/></metadata>')
    cue = one('<p begin="0s" end="1s" ttm:agent="a1">Hi <span ttm:agent="b2">there</span></p>', head=head)
    assert cue.speaker == "Ann Lee"
    assert cue.content == (Run("Hi "), Run("there", RunStyle(voice="b2")))


def test_language_of_document_cue_and_span() -> None:
    doc = tt('<div><p begin="0s" end="1s">a</p><p begin="1s" end="2s" xml:lang="fr">b '
             '<span xml:lang="de">c</span></p></div>', attrs='xml:lang="en"')
    assert doc.language == "en"
    assert [c.language for c in doc.cues] == [None, "fr"]
    assert doc.cues[1].content == (Run("b "), Run("c", RunStyle(language="de")))


# ---------------------------------------------------------------- presentation (what the ISDs show)


def spans(doc: Document) -> list[tuple[int, int, str]]:
    return [(c.start_ms, c.end_ms, c.plain_text()) for c in doc.cues]


def test_timed_spans_split_the_paragraph_at_their_times() -> None:
    doc = tt('<div><p id="c1" begin="0s" end="10s">A <span begin="2s" end="5s">B</span> C</p></div>')
    assert spans(doc) == [(0, 2000, "A C"), (2000, 5000, "A B C"), (5000, 10000, "A C")]
    assert all(not c.words and c.id == "c1" for c in doc.cues)
    assert len(doc.diagnostics) == 1  # 'id' without the xml: prefix, said once


def test_text_outside_a_span_interval_is_not_shown() -> None:
    # The imsc-tests BasicTiming007 shape: the span's text only, and only in its interval.
    doc = tt('<div><p begin="0s" end="15s"><span begin="5s">shown</span></p></div>')
    assert spans(doc) == [(5000, 15000, "shown")]


def test_cumulative_spans_are_split_not_words() -> None:
    doc = tt('<div><p begin="0s" end="6s"><span begin="0s">These</span><span begin="2s"> words</span>'
             '<span begin="4s"> appear</span></p></div>')
    assert spans(doc) == [(0, 2000, "These"), (2000, 4000, "These words"), (4000, 6000, "These words appear")]


def test_anonymous_text_of_a_seq_container_has_no_duration() -> None:
    doc = tt('<div timeContainer="seq"><p begin="1s" timeContainer="seq">never</p><p dur="2s">next</p></div>')
    assert spans(doc) == [(1000, 3000, "next")]


def test_a_seq_container_ends_at_its_last_child() -> None:
    doc = tt('<div timeContainer="seq"><div timeContainer="seq"><p dur="1s">a</p><p dur="1s">b</p></div>'
             '<p dur="1s">c</p></div>')
    assert spans(doc) == [(0, 1000, "a"), (1000, 2000, "b"), (2000, 3000, "c")]


def test_display_none_is_not_presented() -> None:
    doc = tt('<div><p begin="0s" end="1s" tts:display="none">p gone</p>'
             '<p begin="1s" end="2s">kept <span tts:display="none">span gone</span></p></div>'
             '<div tts:display="none"><p begin="2s" end="3s">div gone</p></div>')
    assert spans(doc) == [(1000, 2000, "kept")]


def test_hidden_text_is_not_shown_but_a_visible_span_inside_is() -> None:
    doc = tt('<div><p begin="0s" end="1s">a <span tts:visibility="hidden">secret</span> b</p>'
             '<p begin="1s" end="2s" tts:visibility="hidden">x <span tts:visibility="visible">y</span></p></div>')
    assert spans(doc) == [(0, 1000, "a b"), (1000, 2000, "y")]


def test_with_regions_declared_content_without_one_is_not_presented() -> None:
    head = '<layout><region xml:id="r1"/><region xml:id="r2"/></layout>'
    doc = tt('<div><p begin="0s" end="1s">nowhere</p><p begin="0s" end="1s" region="r1">one</p></div>'
             '<div region="r1"><p begin="0s" end="1s" region="r2">pruned</p></div>'
             '<div><p begin="0s" end="1s">lost <span region="r2">span in r2</span></p></div>', head=head)
    assert [(c.plain_text(), c.placement.region) for c in doc.cues] == [("one", "r1"), ("span in r2", "r2")]
    assert any("associated with no region" in d.message for d in doc.diagnostics)


def test_a_span_of_another_region_than_its_paragraph_is_not_presented() -> None:
    head = '<layout><region xml:id="r1"/><region xml:id="r2"/></layout>'
    doc = tt('<div><p begin="0s" end="1s" region="r1">a <span region="r2">b</span> c</p></div>', head=head)
    assert spans(doc) == [(0, 1000, "a c")]


def test_a_timed_region_presents_only_in_its_interval() -> None:
    head = '<layout><region xml:id="r1" begin="2s" end="4s"/></layout>'
    doc = tt('<div region="r1"><p begin="0s" end="10s">x</p></div>', head=head)
    assert spans(doc) == [(2000, 4000, "x")]


def test_region_opacity_and_its_set_animations_decide_when_it_presents() -> None:
    head = ('<layout><region xml:id="r1"><set begin="1s" dur="2s" tts:opacity="0.5"/>'
            '<style tts:opacity="0"/></region></layout>')
    doc = tt('<div region="r1"><p begin="0s" end="5s">x</p></div>', head=head)
    assert spans(doc) == [(1000, 3000, "x")]


def test_style_children_of_a_region_style_it() -> None:
    head = ('<styling><style xml:id="s" tts:color="blue" tts:extent="10% 10%"/></styling><layout>'
            '<region xml:id="r1" style="s" tts:origin="5% 5%"><style tts:color="red" tts:extent="50% 20%"/></region>'
            '</layout>')
    doc = tt('<div region="r1"><p begin="0s" end="1s">x</p></div>', head=head)
    assert doc.regions["r1"].extent == (50.0, 20.0)
    assert doc.cues[0].content == (Run("x", RunStyle(color=RED)),)


def test_space_preserve_on_tt_applies_to_the_whole_document() -> None:
    doc = tt('<div><p begin="0s" end="1s">a  b\nc</p></div>', attrs='xml:space="preserve"')
    assert doc.cues[0].content == (Run("a  b"), LineBreak(), Run("c"))


def test_region_position_is_resolved_to_an_origin() -> None:
    head = ('<layout><region xml:id="c" tts:extent="60% 20%" tts:position="center"/>'
            '<region xml:id="r" tts:extent="60% 20%" tts:position="right"/>'
            '<region xml:id="b" tts:extent="60% 20%" tts:position="center bottom 10%"/>'
            '<region xml:id="o" tts:extent="60% 20%" tts:position="left 5% top 10%"/></layout>')
    doc = tt('', head=head)
    assert {rid: r.origin for rid, r in doc.regions.items()} == {
        "c": (20.0, 40.0), "r": (40.0, 40.0), "b": (20.0, 72.0), "o": (2.0, 8.0)}
    assert all("ttml.tts:position" not in r.extra for r in doc.regions.values())


def test_inline_div_background_wins_over_its_referenced_style() -> None:
    head = '<styling><style xml:id="s1" tts:backgroundColor="green"/></styling>'
    doc = tt('<div style="s1" tts:backgroundColor="blue"><p begin="0s" end="1s">x</p></div>', head=head)
    assert doc.cues[0].style == "s1"
    assert doc.cues[0].content == (Run("x", RunStyle(background=Color(r=0, g=0, b=255))),)


def test_initial_sets_the_initial_values() -> None:
    head = '<styling><initial tts:color="lime" tts:fontStyle="italic"/></styling>'
    doc = tt('<div><p begin="0s" end="1s">x <span tts:color="red">y</span></p></div>', head=head)
    assert doc.cues[0].content == (Run("x ", RunStyle(italic=True, color=Color(r=0, g=255, b=0))),
                                   Run("y", RunStyle(italic=True, color=RED)))


def test_discrete_set_animations_split_the_cue() -> None:
    doc = tt('<div><p begin="0s" end="10s" tts:textAlign="left"><set begin="5s" tts:color="red"/>'
             '<set begin="8s" tts:textAlign="right"/>x</p>'
             '<p begin="0s" end="4s" tts:display="none"><set begin="2s" tts:display="auto"/>late</p></div>')
    assert [(c.start_ms, c.end_ms, c.content, c.placement.text_align) for c in doc.cues] == [
        (0, 5000, (Run("x"),), "left"), (5000, 8000, (Run("x", RunStyle(color=RED)),), "left"),
        (8000, 10000, (Run("x", RunStyle(color=RED)),), "right"), (2000, 4000, (Run("late"),), None)]


def test_ruby_base_carries_its_annotation() -> None:
    doc = tt('<div><p begin="0s" end="1s"><span tts:ruby="container"><span tts:ruby="base">東南</span>'
             '<span tts:ruby="delimiter">(</span><span tts:ruby="text">とうなん</span>'
             '<span tts:ruby="delimiter">)</span></span>の方角</p></div>')
    assert doc.cues[0].content == (Run("東南", RunStyle(ruby="とうなん")), Run("の方角"))


def test_paragraphs_in_their_own_region_inside_an_alignment_div_are_read_as_written() -> None:
    # Earlier subkit writers nested every paragraph in an an2 div; such files stay readable (with a warning).
    head = ('<layout><region xml:id="an2" tts:origin="0% 0%" tts:extent="100% 100%" tts:displayAlign="after"/>'
            '<region xml:id="top" tts:origin="10% 10%" tts:extent="80% 20%"/></layout>')
    doc = tt('<div region="an2"><p begin="0s" end="1s" region="top">x</p></div>', head=head)
    assert spans(doc) == [(0, 1000, "x")] and doc.cues[0].placement.region == "top"
    assert any("alignment region" in d.message for d in doc.diagnostics)


# ---------------------------------------------------------------- leniency and failure


def test_legacy_namespaces_and_bare_ids() -> None:
    text = ('<tt xmlns="http://www.w3.org/2006/04/ttaf1" xmlns:tts="http://www.w3.org/2006/10/ttaf1#style">'
            '<head><styling><style id="s" tts:color="red"/></styling></head>'
            '<body><div style="s"><p begin="1s" end="2s">x</p></div></body></tt>')
    doc = subkit.loads(text)
    assert doc.source_format == "dfxp"
    assert doc.cues[0].style == "s" and doc.styles["s"].primary_color == RED
    assert any("xml: prefix" in d.message for d in doc.diagnostics)


def test_malformed_xml_is_recovered_leniently_and_refused_strictly() -> None:
    text = f'<tt {NS}>\n<body><div>\n<p begin="0s" end="1s">a &amp b</p>\n</div></body></tt>'
    doc = subkit.loads(text, format="ttml")
    assert doc.cues and doc.diagnostics[0].line == 3
    with pytest.raises(ParseError) as info:
        subkit.loads(text, format="ttml", strict=True)
    assert info.value.line == 3


@pytest.mark.parametrize("text", ["just text", "<html><body/></html>", "\x00\x01garbage<"])
def test_not_ttml_fails_with_a_line(text: str) -> None:
    with pytest.raises(ParseError) as info:
        subkit.loads(text, format="ttml")
    assert info.value.line is not None


def test_empty_input_is_an_empty_document() -> None:
    assert subkit.loads("", format="ttml").cues == ()


# ---------------------------------------------------------------- writers


def sample_doc() -> Document:
    words = (Word(text="Hello ", start_ms=1000, end_ms=1400), Word(text="big\n", start_ms=1400, end_ms=1800),
             Word(text="world", start_ms=1800, end_ms=3000))
    return Document(
        cues=(
            Cue(start_ms=1000, end_ms=3000, content=(Run("Hello "), Run("big", RunStyle(italic=True)), LineBreak(),
                                                     Run("world")), words=words, speaker="Ann", id="c1"),
            Cue(start_ms=3000, end_ms=4000, content=(Run("top"),), placement=Placement(align=8)),
            Cue(start_ms=4000, end_ms=5000, content=(Run("styled", RunStyle(color=RED, font_size=40.0)),),
                style="yellow", placement=Placement(region="low", text_align="left")),
        ),
        styles={"yellow": Style(name="yellow", primary_color=Color(r=255, g=255, b=0), bold=True)},
        regions={"low": Region(id="low", origin=(10.0, 80.0), extent=(80.0, 15.0), display_align="after")},
        language="en",
        title="Sample",
    )


@pytest.mark.parametrize("fmt", ["ttml", "dfxp", "ebu_tt_d"])
def test_writer_output_reads_back(fmt: str) -> None:
    doc = sample_doc()
    text, losses = render(doc, fmt)
    back = subkit.loads(text)  # detected from content
    assert back.source_format == fmt
    assert [c.plain_text() for c in back.cues] == [c.plain_text() for c in doc.cues]
    assert back.cues[0].words == doc.cues[0].words
    assert back.cues[1].placement == Placement(align=8)
    assert back.cues[2].placement == Placement(region="low", text_align="left")
    assert back.styles["yellow"] == doc.styles["yellow"]
    if fmt == "ebu_tt_d":
        assert set(losses) == {"font", "speaker"}
        assert back.cues[0].speaker is None
        assert "tts:extent" not in text.split("<head>")[0]
    else:
        assert losses == []
        assert back.cues[0].speaker == "Ann" and back.cues[2].content == doc.cues[2].content


def test_ttml_writer_declares_the_imsc_profile_and_media_time() -> None:
    text, _ = render(sample_doc())
    assert 'ttp:profile="http://www.w3.org/ns/ttml/profile/imsc1/text"' in text
    assert 'ttp:timeBase="media"' in text and 'begin="00:00:01.000"' in text
    assert '<ttm:agent xml:id="Ann" type="person"><ttm:name type="full">Ann</ttm:name></ttm:agent>' in text
    assert 'tts:extent="1920px 1080px"' in text  # pixel font sizes need the root extent in IMSC


def test_writer_reports_and_strict_refuses() -> None:
    doc = Document(cues=(Cue(start_ms=-5, end_ms=10, content=(Run("x"),), placement=Placement(x=1.0, y=2.0),
                             id="1", comment=False, effect="fx"),))
    _, losses = render(doc)
    assert losses == ["position", "effect", "negative-time", "id"]  # the lowering stage first
    with pytest.raises(UnsupportedFeatureError):
        render(doc, strict=True)


def test_karaoke_from_ass_to_ttml_and_back_keeps_word_times() -> None:
    ass_text = ("[Script Info]\nScriptType: v4.00+\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, "
                "MarginR, MarginV, Effect, Text\nDialogue: 0,0:00:01.00,0:00:04.00,Default,,0,0,0,,"
                "{\\k50}Hel{\\k100}lo {\\k150}world\n")
    source = subkit.loads(ass_text, format="ass")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", subkit.LossyConversionWarning)
        back = subkit.loads(subkit.dumps(source, "ttml"), format="ttml")
    assert [(w.text, w.start_ms, w.end_ms) for w in back.cues[0].words] == [
        (w.text, w.start_ms, w.end_ms) for w in source.cues[0].words
    ]


def test_dfxp_and_ebu_tt_d_writers_use_their_namespaces_and_metadata() -> None:
    doc = Document(cues=(Cue(start_ms=0, end_ms=1000, content=(Run("x"),), speaker="Ann", forced=True),))
    text, losses = render(doc, "dfxp")
    assert 'xmlns="http://www.w3.org/2006/10/ttaf1"' in text and "ttp:profile" not in text
    assert losses == ["forced"]
    text, losses = render(doc, "ebu_tt_d")
    assert "<ebuttm:conformsToStandard>urn:ebu:tt:distribution:2014-01</ebuttm:conformsToStandard>" in text
    assert '<div region="an2">' in text and "ttm:agent" not in text
    assert losses == ["speaker", "forced"]


def test_writer_turns_names_into_xml_names_and_keeps_ids_unique() -> None:
    doc = Document(
        cues=(Cue(start_ms=0, end_ms=1, content=(Run("a"),), id="dup", style="Sign 2"),
              Cue(start_ms=1, end_ms=2, content=(Run("b"),), id="dup")),
        styles={"Sign 2": Style(name="Sign 2", italic=True)},
    )
    text, losses = render(doc)
    back = subkit.loads(text, format="ttml")
    assert back.cues[0].style == "Sign_2" and back.styles["Sign_2"].italic
    assert [c.id for c in back.cues] == ["dup", None]
    assert losses == ["id"]


def test_writer_escapes_text_and_drops_control_characters() -> None:
    doc = Document(cues=(Cue(start_ms=0, end_ms=1, content=(Run('a < b & "c"\x07'),)),))
    text, _ = render(doc)
    assert "a &lt; b &amp; \"c\"</p>" in text
    assert subkit.loads(text, format="ttml").cues[0].plain_text() == 'a < b & "c"'


def test_smpte_image_captions_are_kept_as_cues_without_text() -> None:
    doc = tt('<div begin="1s" end="3s" region="r" '
             'xmlns:smpte="http://www.smpte-ra.org/schemas/2052-1/2010/smpte-tt" smpte:backgroundImage="a.png"/>',
             head='<layout><region xml:id="r" tts:origin="0% 80%" tts:extent="100% 20%"/></layout>')
    image = Cue(start_ms=1000, end_ms=3000, placement=Placement(region="r"),
                extra={"ttml.backgroundImage": "a.png"})
    assert doc.cues == (image,)
    text, losses = render(doc)
    assert 'smpte:backgroundImage="a.png"' in text and losses == []
    assert subkit.loads(text, format="ttml").cues == (image,)
    assert render(doc, "dfxp")[1] == ["image"]


def test_frame_rate_survives_a_round_trip() -> None:
    for rate in (Fraction(25), Fraction(30000, 1001)):
        doc = Document(cues=(Cue(start_ms=0, end_ms=40, content=(Run("x"),)),), frame_rate=rate)
        text, _ = render(doc)
        assert subkit.loads(text, format="ttml").frame_rate == rate


def test_webvtt_regions_are_approximated_by_origin_and_extent() -> None:
    region = Region(id="r", width=40.0, lines=3, region_anchor=(0.0, 100.0), viewport_anchor=(10.0, 90.0))
    doc = Document(cues=(Cue(start_ms=0, end_ms=1, content=(Run("x"),), placement=Placement(region="r")),),
                   regions={"r": region})
    text, losses = render(doc)
    back = subkit.loads(text, format="ttml")
    assert back.regions["r"].origin == (10.0, 74.01) and back.regions["r"].extent == (40.0, 15.99)
    assert losses == ["regions"]


def test_a_region_attribute_is_written_once() -> None:
    """A raw origin kept in Region.extra (pixels without a root extent) must not repeat tts:origin."""
    doc = tt('<p begin="0s" end="1s" region="r">x</p>',
             head='<layout><region xml:id="r" tts:origin="10px 20px" tts:extent="50% 10%"/></layout>')
    for fmt in ("ttml", "dfxp", "ebu_tt_d"):
        text, _ = render(doc, fmt)
        region = next(line for line in text.splitlines() if '<region xml:id="r"' in line)
        assert region.count("tts:origin=") == 1 and region.count("tts:extent=") == 1
        subkit.loads(text, format=fmt)  # well-formed


def test_carried_words_that_do_not_match_the_text_are_dropped_with_a_warning() -> None:
    doc = Document(cues=(Cue(start_ms=1000, end_ms=2000, content=(Run("ab cd"),),
                             words=(Word(text="ab ", start_ms=1000, end_ms=1500),
                                    Word(text="cd", start_ms=1500, end_ms=2000, confidence=0.5))),))
    text, losses = render(doc)
    assert losses == [] and "<span" not in text
    assert subkit.loads(text, format="ttml").cues == doc.cues
    edited = subkit.loads(text.replace(">ab cd</p>", ">ab cx</p>"), format="ttml")
    assert edited.cues[0].words == ()
    assert "do not match" in edited.diagnostics[0].message


def test_ebu_tt_d_styles_by_reference_and_reports_strike() -> None:
    doc = Document(cues=(Cue(start_ms=0, end_ms=1000, content=(Run("a", RunStyle(strike=True, italic=True)),
                                                               Run("b", RunStyle(underline=False))),
                             placement=Placement(text_align="left"), style="s",
                             extra={"ttml.ebutts:multiRowAlign": "center"}),),
                   styles={"s": Style(name="s", strike=True, underline=True)})
    text, losses = render(doc, "ebu_tt_d")
    assert "strike" in losses
    body = text.split("<body>")[1]
    assert " tts:" not in body and "lineThrough" not in text
    assert '<p xml:id="sk.c1" begin="00:00:00.000" end="00:00:01.000" style="s sk.s' in body
    back = subkit.loads(text, format="ebu_tt_d")
    assert list(back.styles) == ["s"] and back.cues[0].style == "s" and back.cues[0].id is None
    assert back.cues[0].placement == Placement(text_align="left")
    assert back.cues[0].content[0] == Run("a", RunStyle(italic=True))
    assert back.cues[0].extra == {"ttml.ebutts:multiRowAlign": "center"}


# ---------------------------------------------------------------- round-trip property

NAMED_COLOR = Color(r=1, g=2, b=3)
TEXT = SAFE_ALPHABET.replace("'", "") + "&<>\""


@st.composite
def family_documents(draw: st.DrawFn, fmt: str) -> Document:
    """Documents within what every family writer expresses (plus speakers/voices for ttml and dfxp)."""
    styles = st.builds(
        RunStyle,
        italic=st.sampled_from([None, True]), bold=st.sampled_from([None, True]),
        underline=st.sampled_from([None, True]),
        strike=st.sampled_from([None, True]) if fmt != "ebu_tt_d" else st.none(),  # EBU-TT-D: no lineThrough
        color=st.none() | opaque_colors.filter(lambda c: c != NAMED_COLOR), background=st.none() | opaque_colors,
        font_family=st.none() | st.sampled_from(["Arial", "monospaceSerif"]),
        font_size=st.none() | st.integers(8, 96).map(float) if fmt != "ebu_tt_d" else st.none(),
        language=st.none() | st.sampled_from(["fr", "de"]),
        voice=st.none() | st.sampled_from(["Cy", "Dee"]) if fmt != "ebu_tt_d" else st.none(),
    )
    region_ids = draw(st.lists(st.sampled_from(["r1", "r2"]), unique=True, max_size=2))
    regions = {r: Region(id=r, origin=(draw(st.integers(0, 50)) * 1.0, 10.0), extent=(50.0, 20.0),
                         display_align=draw(st.none() | st.sampled_from(["before", "center", "after"])))
               for r in region_ids}
    style_names = draw(st.lists(st.sampled_from(["s1", "s2"]), unique=True, max_size=2))
    # Named styles use values no run override repeats: an override equal to the style is no override.
    named = {n: Style(name=n, primary_color=draw(st.none() | st.just(NAMED_COLOR)),
                      bold=draw(st.none() | st.just(False)), font_family=draw(st.none() | st.just("Serif")))
             for n in style_names}
    cues = []
    for index in range(draw(st.integers(0, 4))):
        start, end = draw(cue_times())
        items: list[Any] = []
        for line in range(draw(st.integers(1, 2))):
            if line:
                items.append(LineBreak())
            previous = None
            for _ in range(draw(st.integers(1, 3))):
                style = draw(styles)
                if style == previous:
                    continue
                items.append(Run(draw(words_text(TEXT)), style))
                previous = style
        cue = Cue(start_ms=start, end_ms=end, content=tuple(items))
        words = draw(timed_words(cue.plain_text(), start, end)) if draw(st.booleans()) else ()
        align = draw(st.none() | st.integers(1, 9))
        region = draw(st.none() | st.sampled_from(region_ids)) if region_ids and align is None else None
        cues.append(cue.replace(
            words=words,
            id=draw(st.none() | st.just(f"cue{index}")),
            style=draw(st.none() | st.sampled_from(style_names)) if style_names else None,
            placement=Placement(align=align, region=region,
                                # With an alignment, the column's own textAlign is implied (not stored).
                                text_align=draw(st.none() | st.sampled_from(
                                    ["start", "end"] if align else ["start", "center", "end"]))),
            speaker=draw(st.none() | st.sampled_from(["Ann", "Bo"])) if fmt != "ebu_tt_d" else None,
            language=draw(st.none() | st.just("ja")),
        ))
    return Document(cues=tuple(cues), styles=named, regions=regions, language=draw(st.none() | st.just("en")),
                    title=draw(st.none() | words_text(max_size=10)),
                    canvas=(1920, 1080) if fmt != "ebu_tt_d" else None)


def assert_round_trip(doc: Document, fmt: str) -> None:
    text, losses = render(doc, fmt, strict=True)
    assert losses == []
    back = subkit.loads(text, format=fmt)
    # Writers before the region fix nest positioned paragraphs in an an2 div; the reader warns and presents them.
    assert [d for d in back.diagnostics if "alignment region" not in d.message] == []
    assert back.cues == doc.cues
    assert dict(back.styles) == dict(doc.styles) and dict(back.regions) == dict(doc.regions)
    assert (back.language, back.title, back.canvas) == (doc.language, doc.title, doc.canvas)
    assert formats.detect(text).name == fmt
    assert render(back, fmt)[0] == text


@given(family_documents("ttml"))
def test_round_trip_property_ttml(doc: Document) -> None:
    assert_round_trip(doc, "ttml")


@given(family_documents("dfxp"))
def test_round_trip_property_dfxp(doc: Document) -> None:
    assert_round_trip(doc, "dfxp")


@given(family_documents("ebu_tt_d"))
def test_round_trip_property_ebu_tt_d(doc: Document) -> None:
    assert_round_trip(doc, "ebu_tt_d")


EBU_XSD = CORPUS.parent / "schemas" / "ebu-tt-d" / "ebutt_d.xsd"


@pytest.fixture(scope="module")
def ebu_schema() -> Any:
    """EBU's XSD for EBU-TT-D (../shared/schemas); skips when absent."""
    if not EBU_XSD.is_file():
        pytest.skip("EBU-TT-D schema not available")
    from lxml import etree  # type: ignore[import-untyped]

    return etree.XMLSchema(etree.parse(str(EBU_XSD)))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(family_documents("ebu_tt_d"))
def test_ebu_tt_d_output_is_valid_against_the_ebu_schema(ebu_schema: Any, doc: Document) -> None:
    from lxml import etree

    text, _ = render(doc, "ebu_tt_d")
    ebu_schema.assertValid(etree.fromstring(text.encode("utf-8")))


NOISE = st.text(alphabet="<>/=\"' tpspanbrdivbegin0123456789:.smf", max_size=120)


@given(st.lists(st.sampled_from([f"<tt {NS}><body><div>", '<p begin="1s" end="2s">', "<span>", "</span>",
                                 "<br/>", "</p>", "</div></body></tt>"]) | NOISE, max_size=10).map(
    lambda parts: "".join(p if isinstance(p, str) else "".join(p) for p in parts)))
def test_reader_never_fails_on_noise(text: str) -> None:
    for fmt in ("ttml", "ebu_tt_d"):
        try:
            subkit.loads(text, format=fmt, strict=True)
        except ParseError as exc:
            assert exc.format == fmt
    try:
        doc = subkit.loads(text, format="ttml")
    except ParseError as exc:
        assert exc.line is not None
        return
    for cue in doc.cues:
        assert not cue.words or cue.words_align()
    render(doc)


# ---------------------------------------------------------------- golden files


def check_snapshot(path: Path, actual: str) -> None:
    golden.check_text(path, actual)


GOLDEN = [*sorted((FIXTURES / "ttml").glob("*.ttml")), *sorted((FIXTURES / "dfxp").glob("*.dfxp")),
          *sorted((FIXTURES / "ebu_tt_d").glob("*.xml"))]


@pytest.mark.parametrize("source", GOLDEN, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_golden(source: Path) -> None:
    doc = subkit.load(source)
    doc = doc.replace(diagnostics=tuple(dataclasses.replace(d, source=None) for d in doc.diagnostics))
    snapshot = str(subkit.dumps(doc, "subkit_json"))
    check_snapshot(source.with_suffix(".subkit.json"), snapshot)
    model = subkit.loads(snapshot, format="subkit_json")
    for fmt in ("ttml", "dfxp", "ebu_tt_d"):
        written, losses = render(model, fmt)
        check_snapshot(source.with_name(f"{source.stem}.{fmt}.out"), written + "".join(f"<!-- loss: {x} -->\n"
                                                                                       for x in losses))
        again = subkit.loads(written, format=fmt)
        assert render(again, fmt)[0] == written  # the output is stable


# ---------------------------------------------------------------- corpus


def corpus_rows() -> list[tuple[str, str]]:
    index = CORPUS / "index.tsv"
    if not index.is_file():
        return []
    with index.open(encoding="utf-8") as handle:
        return [(row["path"], row["format"]) for row in csv.DictReader(handle, delimiter="\t")
                if row["format"].split(" (")[0] in ("ttml", "dfxp")]


@pytest.mark.corpus
def test_corpus_every_family_file_loads_is_detected_and_round_trips() -> None:
    rows = corpus_rows()
    if not rows:
        pytest.skip("shared corpus not available")
    loaded: dict[str, list[int]] = {}
    for path, label in rows:
        folder = "/".join(path.split("/")[:2])
        counts = loaded.setdefault(folder, [0, 0])
        counts[1] += 1
        data = (CORPUS / path).read_bytes()
        spec = formats.detect(data, None)
        assert spec.name in ("ttml", "dfxp", "ebu_tt_d"), path
        if label == "ttml" or label.startswith("dfxp"):
            assert spec.name == label.split(" ")[0], path
        doc = subkit.load(CORPUS / path)  # any ParseError fails the test: every file must load
        counts[0] += 1
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", subkit.LossyConversionWarning)
            text = subkit.dumps(doc, spec.name)
        back = subkit.loads(text, format=spec.name)
        expected = [c.content for c in doc.cues]
        if any("ruby" in str(w.message) for w in caught):
            # The family's writers drop ruby annotations (and say so): the base text stays.
            expected = [without_ruby(content) for content in expected]
        assert [c.content for c in back.cues] == expected, path
        assert [c.words for c in back.cues] == [c.words for c in doc.cues], path
        assert [(c.start_ms, c.end_ms) for c in back.cues] == [(c.start_ms, c.end_ms) for c in doc.cues], path
    assert all(ok == total for ok, total in loaded.values()), loaded
