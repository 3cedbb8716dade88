"""ASS (v4.00+): reader, writer, override tags, karaoke, attachments, golden files and the corpus."""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import subkit
from subkit import formats
from subkit.errors import ParseError, UnsupportedFeatureError
from subkit.formats import ass
from subkit.formats._ass_tags import Base, base_of, escape_text, tokenize_block
from subkit.model import (
    PLAIN,
    Attachment,
    Color,
    ContentItem,
    Cue,
    Document,
    LineBreak,
    LossReport,
    Note,
    Placement,
    Raw,
    Region,
    Run,
    RunStyle,
    Style,
    Word,
)
from subkit.timing import ass_round
from tests import golden

from ..conftest import CORPUS
from ..strategies import SAFE_ALPHABET, colors, full_documents, words_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

STYLE_FORMAT = (
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, "
    "Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, "
    "MarginL, MarginR, MarginV, Encoding"
)
HEAD = f"""[Script Info]
Title: Test
ScriptType: v4.00+
PlayResX: 640
PlayResY: 480

[V4+ Styles]
{STYLE_FORMAT}
Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,2,10,10,10,1
Style: Ital,Georgia,30,&H0000FFFF,&H000000FF,&H00000000,&H00000000,-1,-1,0,0,100,100,0,0,1,2,2,2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
"""
RED = Color(r=255, g=0, b=0)
WHITE = Color(r=255, g=255, b=255)
BLACK = Color(r=0, g=0, b=0)


def events(*lines: str, strict: bool = False) -> Document:
    return subkit.loads(HEAD + "\n".join(lines) + "\n", format="ass", strict=strict)


def cue_of(text: str, style: str = "Default") -> Cue:
    return events(f"Dialogue: 0,0:00:01.00,0:00:05.00,{style},,0,0,0,,{text}").cues[0]


def runs(cue: Cue) -> list[tuple[str, RunStyle] | ContentItem]:
    return [(item.text, item.style) if isinstance(item, Run) else item for item in cue.content]


def render(doc: Document, fmt: str = "ass", **options: Any) -> tuple[str, LossReport]:
    result = subkit.render(doc, fmt, **options)
    assert isinstance(result.data, str)
    return result.data, result.losses


def event_text(doc: Document, index: int = 0) -> str:
    """The Text field of the index-th event line the writer produced."""
    text, _ = render(doc)
    lines = [line for line in text.split("\n") if line.startswith(("Dialogue:", "Comment:"))]
    return lines[index].split(",", 9)[9]


def doc_of(*cues: Cue, **fields: object) -> Document:
    return Document(cues=cues, **fields)  # type: ignore[arg-type]


# ---------------------------------------------------------------- sniffing and detection


def test_sniff_ass_by_script_type_or_styles_section() -> None:
    assert ass.sniff("[Script Info]\nScriptType: v4.00+\n")
    assert ass.sniff("[Script Info]\nTitle: x\n\n[V4+ Styles]\n")
    assert ass.sniff("[Script Info]\nTitle: unknown version\n\n[Events]\n")
    assert ass.sniff("\n  [script info]\r\nScriptType: V4.00+\r\n")
    assert ass.sniff("[Script Info]\rScriptType: v4.00+\r")


def test_sniff_ass_rejects_ssa_and_other_formats() -> None:
    assert not ass.sniff("[Script Info]\nScriptType: v4.00\n")
    assert not ass.sniff("[Script Info]\nScriptType: v4.00+\n\n[V4 Styles]\n")
    assert not ass.sniff("1\n00:00:01,000 --> 00:00:02,000\nHi\n")
    assert not ass.sniff("WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n")
    assert not ass.sniff("[Something]\nkey: value\n")
    assert not ass.sniff("")


def test_detect_gives_exactly_one_format_whatever_the_extension() -> None:
    ass_text = HEAD + "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,Hi\n"
    ssa_text = ass_text.replace("v4.00+", "v4.00").replace("[V4+ Styles]", "[V4 Styles]")
    assert formats.detect(ass_text, "movie.ssa").name == "ass"
    assert formats.detect(ssa_text, "movie.txt").name == "ssa"
    assert formats.detect(ssa_text, "movie.ass").name == "ssa"
    assert formats.detect(ass_text.encode("utf-8-sig"), None).name == "ass"


# ---------------------------------------------------------------- Script Info


def test_read_script_info_title_canvas_and_header() -> None:
    doc = subkit.loads(
        "[Script Info]\n; made by hand\n;\nTitle: My show\nScriptType: v4.00+\nPlayResX: 1920\nPlayResY:1080\n"
        "WrapStyle: 0\nYCbCr Matrix: TV.709\n\n[Aegisub Project Garbage]\nActive Line: 3\n\n[Events]\n",
        format="ass",
    )
    assert doc.title == "My show"
    assert doc.canvas == (1920, 1080)
    assert dict(doc.header) == {
        "ass.;": "made by hand\n",
        "ass.ScriptType": "v4.00+",
        "ass.PlayResX": "1920",
        "ass.PlayResY": "1080",
        "ass.WrapStyle": "0",
        "ass.YCbCr Matrix": "TV.709",
        "ass.[Aegisub Project Garbage]": "Active Line: 3",
    }
    assert doc.source_format == "ass" and not doc.diagnostics


@pytest.mark.parametrize(
    "lines",
    ["", "PlayResX: 1280\n", "PlayResY: 720\n", "PlayResX: 0\nPlayResY: 0\n", "PlayResX:\nPlayResY:\n"],
)
def test_read_canvas_is_none_unless_both_playres_are_given(lines: str) -> None:
    doc = subkit.loads(f"[Script Info]\nScriptType: v4.00+\n{lines}\n[Events]\n", format="ass")
    assert doc.canvas is None
    for line in lines.splitlines():
        key = line.partition(":")[0]
        assert f"ass.{key}" in doc.header  # kept as written, so it writes back


def test_write_script_info_keeps_keys_in_order_and_model_values_win() -> None:
    source = (
        "[Script Info]\n; note\nTitle: Old\nScriptType: v4.00\nCollisions: Reverse\nPlayResX: 640\n"
        "PlayResY: 480\nTimer: 100.0000\n\n[Aegisub Extradata]\nData: x\n\n[Events]\n"
    )
    doc = subkit.loads(source, format="ass").replace(title="New", canvas=(1280, 720))
    text, losses = render(doc)
    assert text.startswith(
        "[Script Info]\n; note\nTitle: New\nScriptType: v4.00+\nCollisions: Reverse\nPlayResX: 1280\n"
        "PlayResY: 720\nTimer: 100.0000\n\n[V4+ Styles]\n"
    )
    assert text.endswith("[Aegisub Extradata]\nData: x\n")
    assert not losses


def test_write_defaults_for_a_document_from_another_format() -> None:
    doc = subkit.loads("1\n00:00:01,000 --> 00:00:02,000\n<i>Hello</i>\n", format="srt")
    text, losses = render(doc)
    assert text == (
        "[Script Info]\nScriptType: v4.00+\nWrapStyle: 0\nScaledBorderAndShadow: yes\nPlayResX: 384\n"
        "PlayResY: 288\n\n[V4+ Styles]\n" + STYLE_FORMAT + "\n"
        "Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,2,"
        "10,10,10,1\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{\\i1}Hello\n"
    )
    assert not losses
    assert render(doc, canvas=(1920, 1080))[0].count("PlayResX: 1920\nPlayResY: 1080\n") == 1
    back = subkit.loads(text, format="ass")
    assert back.canvas == (384, 288) and back.cues[0].content == doc.cues[0].content


def test_write_canvas_option_is_validated() -> None:
    with pytest.raises(subkit.ConfigError):
        render(Document(), canvas=(0, 10))


# ---------------------------------------------------------------- styles


def test_read_style_fields() -> None:
    doc = subkit.loads(
        f"[V4+ Styles]\n{STYLE_FORMAT}\n"
        "Style: Main,Noto Sans,42.5,&H80112233,&H000000FF,&H00FFFFFF,&HFF000000,700,-1,1,0,90,110,1.5,-5,3,2.4,0,"
        "7,11,12,13,128\n",
        format="ass",
    )
    style = doc.styles["Main"]
    assert style == Style(
        name="Main", font_family="Noto Sans", font_size=42.5,
        primary_color=Color(r=0x33, g=0x22, b=0x11, a=0x7F), secondary_color=Color(r=255, g=0, b=0),
        outline_color=WHITE, back_color=Color(r=0, g=0, b=0, a=0), bold=True, weight=700, italic=True,
        underline=True, strike=False, scale_x=90.0, scale_y=110.0, spacing=1.5, angle=-5.0, border_style=3,
        outline=2.4, shadow=0.0, align=7, margin_l=11, margin_r=12, margin_v=13, encoding=128,
    )  # fmt: skip


def test_read_style_by_custom_format_line() -> None:
    doc = subkit.loads(
        "[V4+ Styles]\nFormat: Name, Alignment, TertiaryColour, Fontname\nStyle: *S1, 9 ,&H00FF0000, Arial\n",
        format="ass",
    )
    assert doc.styles["S1"] == Style(name="S1", align=9, outline_color=Color(r=0, g=0, b=255), font_family="Arial")
    assert [d.message for d in doc.diagnostics] == [
        "non-standard style Format line",
        "style name with a leading '*'",
    ]


@pytest.mark.parametrize(
    ("text", "color"),
    [
        ("&H00FF8000", Color(r=0, g=128, b=255)),
        ("&HFF8000&", Color(r=0, g=128, b=255)),
        ("&h80000000", Color(r=0, g=0, b=0, a=127)),
        ("0x0000FF", Color(r=255, g=0, b=0)),
        ("65535", Color(r=255, g=255, b=0)),
        ("-2147483640", Color(r=8, g=0, b=0, a=127)),
        ("nope", None),
        ("", None),
    ],
)
def test_parse_color_notations(text: str, color: Color | None) -> None:
    assert ass.parse_color(text) == color


def test_read_style_problems_are_diagnosed() -> None:
    doc = subkit.loads(
        f"[V4+ Styles]\n{STYLE_FORMAT}\nStyle: A,Arial,big,&HZZ,&H0,&H0,&H0,0,0,0,0,100,100,0,0,1,2,2,2,1,1,1\n"
        "Style: A,Arial,20\nStyle: ,Arial\nWhat is this\n",
        format="ass",
    )
    assert list(doc.styles) == ["A"] and doc.styles["A"].font_size == 20.0
    messages = [d.message for d in doc.diagnostics]
    assert "unreadable style field Fontsize 'big'" in messages
    assert "unreadable style field PrimaryColour '&HZZ'" in messages
    assert "style 'A' defined twice" in messages
    assert "style without a name" in messages
    assert "unrecognised line in the styles section" in messages


def test_write_style_line_fills_defaults_in_standard_order() -> None:
    doc = Document(styles={"Sparse": Style(name="Sparse", italic=True, weight=900, align=7)})
    text, _ = render(doc)
    assert "Style: Sparse,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,900,-1,0,0,100,100,0,0,1,2,2,7," \
           "10,10,10,1\n" in text
    assert "Style: Default," not in text  # no cue needs one


# ---------------------------------------------------------------- events


def test_read_event_fields() -> None:
    doc = events(
        "Dialogue: 2,0:00:01.00,0:00:02.50,Ital,Mia,0010,0000,0005,Banner;5,Text, with commas",
        "Comment: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,,a note",
    )
    first, second = doc.cues
    assert (first.start_ms, first.end_ms, first.style, first.speaker, first.effect) == (
        1000, 2500, "Ital", "Mia", "Banner;5"
    )
    assert first.placement == Placement(margin_l=10, margin_v=5, layer=2)
    assert first.plain_text() == "Text, with commas"
    assert second.comment and second.placement == Placement() and second.speaker is None


@pytest.mark.parametrize(
    ("time", "ms"),
    [("0:00:01.5", 1050), ("0:00:01.50", 1500), ("0:00:01.500", 1500), ("0:00:01", 1000),
     ("1:02:03.04", 3723040), ("00:00:01.00", 1000), ("0:00:01.12345", 1123), ("-0:00:01.00", -1000)],
)  # fmt: skip
def test_parse_time_fraction_rules(time: str, ms: int) -> None:
    notes: list[str] = []
    assert ass.parse_time(time, lambda category, *_: notes.append(category)) == ms
    assert bool(notes) == (time not in ("0:00:01.50", "1:02:03.04", "-0:00:01.00"))


def test_read_times_negative_reversed_and_unreadable() -> None:
    doc = events(
        "Dialogue: 0,-0:00:01.00,0:00:01.00,Default,,0,0,0,,negative",
        "Dialogue: 0,0:00:05.00,0:00:04.00,Default,,0,0,0,,reversed",
        "Dialogue: 0,soon,0:00:04.00,Default,,0,0,0,,unreadable",
    )
    assert [(c.start_ms, c.end_ms) for c in doc.cues] == [(-1000, 1000), (5000, 5000)]
    assert [(d.line, d.severity, d.message) for d in doc.diagnostics] == [
        (14, "warning", "negative time"),
        (15, "error", "event ends before it starts"),
        (16, "error", "unreadable event time"),
    ]


def test_read_custom_event_format_and_unknown_fields() -> None:
    doc = subkit.loads(
        "[Events]\nFormat: Start, End, Style, Actor, Marked, MarginT, Text\n"
        "Dialogue: 0:00:01.00,0:00:02.00,Default,Bob,Marked=1,12,Hello, you\n",
        format="ass",
    )
    (cue,) = doc.cues
    assert cue.speaker == "Bob" and cue.plain_text() == "Hello, you"
    assert dict(cue.extra) == {"ssa.marked": "1", "ass.MarginT": "12"}


def test_read_skips_media_events_and_unknown_lines() -> None:
    doc = events(
        "Picture: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,pic.bmp",
        "; a comment line",
        "Nonsense here",
        "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,kept",
    )
    assert [c.plain_text() for c in doc.cues] == ["kept"]
    assert [(d.severity, d.message) for d in doc.diagnostics] == [
        ("error", "SSA Picture event"),
        ("warning", "unrecognised line in [Events]"),
    ]


def test_read_without_format_lines_uses_standard_order() -> None:
    doc = subkit.loads(
        "[Script Info]\nScriptType: v4.00+\n\n[V4+ Styles]\n"
        "Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,-1,0,0,100,100,0,0,1,2,2,5,1,2,3,1\n"
        "\n[Events]\nDialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,Hi\n",
        format="ass",
    )
    assert doc.styles["Default"].italic and doc.styles["Default"].align == 5
    assert doc.cues[0].plain_text() == "Hi"
    assert [d.line for d in doc.diagnostics] == [5, 8]


def test_read_undefined_style_is_kept_and_diagnosed() -> None:
    doc = events("Dialogue: 0,0:00:01.00,0:00:02.00,Nowhere,,0,0,0,,x")
    assert doc.cues[0].style == "Nowhere"
    assert doc.diagnostics[0].message == "event uses an undefined style 'Nowhere'"


# ---------------------------------------------------------------- override tags


def test_tags_switches_become_run_styles() -> None:
    cue = cue_of(r"{\i1}it{\i0} {\b1}bold{\b0} {\u1}under{\u0} {\s1}struck")
    assert runs(cue) == [
        ("it", RunStyle(italic=True)), (" ", PLAIN), ("bold", RunStyle(bold=True)), (" ", PLAIN),
        ("under", RunStyle(underline=True)), (" ", PLAIN), ("struck", RunStyle(strike=True)),
    ]  # fmt: skip


def test_tags_are_relative_to_the_event_style() -> None:
    cue = cue_of(r"{\i1\b1}as style {\i0}upright{\i}again {\c&H00FFFF&}style colour {\fnGeorgia\fs30}same", "Ital")
    assert runs(cue) == [("as style ", PLAIN), ("upright", RunStyle(italic=False)),
                         ("again style colour same", PLAIN)]


def test_tags_weights_fonts_and_sizes() -> None:
    cue = cue_of(r"{\b700}w700 {\b900\fnTimes New Roman\fs31.5}black {\b0\fn\fs}plain {\b1\fs0}bold")
    assert runs(cue) == [
        ("w700 ", RunStyle(bold=True, weight=700)),
        ("black ", RunStyle(bold=True, weight=900, font_family="Times New Roman", font_size=31.5)),
        ("plain ", PLAIN),
        ("bold", RunStyle(bold=True)),
    ]


def test_tags_colours_and_alphas() -> None:
    cue = cue_of(r"{\c&H0000FF&}red {\1a&H80&}half {\3c&HFF0000&\3a&HFF&\4c&H00FF00&\4a&H00&}edges {\1c}reset")
    translucent = Color(r=255, g=0, b=0, a=127)
    assert runs(cue) == [
        ("red ", RunStyle(color=RED)),
        ("half ", RunStyle(color=translucent)),
        ("edges ", RunStyle(color=translucent, outline_color=Color(r=0, g=0, b=255, a=0),
                            shadow_color=Color(r=0, g=255, b=0))),
        ("reset", RunStyle(color=Color(r=255, g=255, b=255, a=127), outline_color=Color(r=0, g=0, b=255, a=0),
                           shadow_color=Color(r=0, g=255, b=0))),
    ]


def test_tags_alpha_is_kept_raw_and_applied() -> None:
    cue = cue_of(r"{\alpha&HFF&}hidden{\alpha&H00&} shown")
    clear = RunStyle(color=Color(r=255, g=255, b=255, a=0), outline_color=Color(r=0, g=0, b=0, a=0),
                     shadow_color=Color(r=0, g=0, b=0, a=0))
    assert runs(cue) == [Raw("ass", r"{\alpha&HFF&}"), ("hidden", clear), Raw("ass", r"{\alpha&H00&}"),
                         (" shown", PLAIN)]
    assert event_text(doc_of(cue, styles=events().styles)) == r"{\alpha&HFF&}hidden{\alpha&H00&} shown"


def test_tags_reset_to_the_line_or_a_named_style() -> None:
    cue = cue_of(r"{\i1\blur3}a{\r}b{\rItal}c{\rMissing}d")
    assert runs(cue) == [
        Raw("ass", r"{\blur3}"), ("a", RunStyle(italic=True)), Raw("ass", r"{\r}"), ("b", PLAIN),
        Raw("ass", r"{\rItal}"),
        ("c", RunStyle(italic=True, bold=True, color=Color(r=255, g=255, b=0), font_family="Georgia",
                       font_size=30.0)),
        Raw("ass", r"{\rMissing}"), ("d", PLAIN),
    ]  # fmt: skip


def test_tags_line_wide_first_wins() -> None:
    cue = events(r"Dialogue: 0,0:00:01.00,0:00:05.00,Default,,0,0,0,,{\an8\pos(10.5,-2)}a{\an2\pos(1,1)}b").cues[0]
    assert cue.placement == Placement(align=8, x=10.5, y=-2.0, unit="px")
    assert runs(cue) == [("a", PLAIN), Raw("ass", r"{\an2\pos(1,1)}"), ("b", PLAIN)]
    moved = cue_of(r"{\move(1,2,3,4)\pos(5,6)}x")
    assert moved.placement.x is None and moved.content[0] == Raw("ass", r"{\move(1,2,3,4)\pos(5,6)}")


@pytest.mark.parametrize(("tag", "align"), [("\\a1", 1), ("\\a2", 2), ("\\a3", 3), ("\\a5", 7), ("\\a6", 8),
                                            ("\\a7", 9), ("\\a9", 4), ("\\a10", 5), ("\\a11", 6), ("\\a4", 7),
                                            ("\\an5", 5)])  # fmt: skip
def test_tags_legacy_alignment(tag: str, align: int) -> None:
    assert cue_of("{" + tag + "}x").placement.align == align


def test_tags_unmodelled_are_raw_in_place() -> None:
    cue = cue_of(r"{\fad(10,20)\i1\t(0,100,\frz10\clip(0,0,5,5))}a {\bord2}b{TN: comment}c{}d")
    assert runs(cue) == [
        Raw("ass", r"{\fad(10,20)\t(0,100,\frz10\clip(0,0,5,5))}"), ("a ", RunStyle(italic=True)),
        Raw("ass", r"{\bord2}"), ("b", RunStyle(italic=True)), Raw("ass", "{TN: comment}"),
        ("cd", RunStyle(italic=True)),
    ]  # fmt: skip


def test_tags_drawing_text_is_raw() -> None:
    cue = cue_of(r"{\p1}m 0 0 l 10 0 10 10\N{\p0}text")
    assert runs(cue) == [Raw("ass", r"{\p1}"), Raw("ass", r"m 0 0 l 10 0 10 10\N"), Raw("ass", r"{\p0}"),
                         ("text", PLAIN)]
    assert cue.plain_text() == "text"


def test_tags_with_junk_or_bad_arguments_follow_libass() -> None:
    cue = cue_of(r"{\i1 note}a{\b5}b{\c&HXYZ&}c")
    assert runs(cue) == [Raw("ass", r"{\i1 note}"), ("a", RunStyle(italic=True)), Raw("ass", r"{\b5}"),
                         ("b", RunStyle(italic=True)), Raw("ass", r"{\c&HXYZ&}"), ("c", RunStyle(italic=True))]


def test_tokenize_block_keeps_parenthesised_arguments_whole() -> None:
    tokens = tokenize_block(r"note\t(\c&HFF&\clip(1,2))\fnArial Black\xyz")
    assert [(t.name, t.text) for t in tokens] == [
        ("", "note"), ("t", r"\t(\c&HFF&\clip(1,2))"), ("fn", r"\fnArial Black"), ("?", r"\xyz"),
    ]


def test_text_escapes() -> None:
    cue = cue_of(r"a\Nb\nc\hd \{e\} f\g")
    assert runs(cue) == [("a", PLAIN), LineBreak(), ("b c\u00a0d {e} f\\g", PLAIN)]
    wrapped = subkit.loads(HEAD.replace("PlayResY: 480", "PlayResY: 480\nWrapStyle: 2")
                           + r"Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,a\nb{\q0}c\nd", format="ass")
    assert runs(wrapped.cues[0]) == [("a", PLAIN), LineBreak(), ("b", PLAIN), Raw("ass", r"{\q0}"),
                                      ("c d", PLAIN)]


def test_text_unclosed_brace_is_text() -> None:
    doc = events(r"Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,a {b")
    assert doc.cues[0].plain_text() == "a {b"
    assert doc.diagnostics[0].message == "'{' without a closing '}'"


# ---------------------------------------------------------------- karaoke


def test_karaoke_words_and_kinds() -> None:
    cue = cue_of(r"{\k50}Ka{\kf30}ra{\K20}o{\ko100}ke {\k0}now")
    assert cue.words == (
        Word(text="Ka", start_ms=1000, end_ms=1500, kind="k"),
        Word(text="ra", start_ms=1500, end_ms=1800, kind="kf"),
        Word(text="o", start_ms=1800, end_ms=2000, kind="kf"),
        Word(text="ke ", start_ms=2000, end_ms=3000, kind="ko"),
        Word(text="now", start_ms=3000, end_ms=3000, kind="k"),
    )
    assert cue.words_align() and cue.plain_text() == "Karaoke now"


def test_karaoke_text_before_first_tag_and_empty_syllables() -> None:
    cue = cue_of(r"{\blur1}Intro {\k30}one{\k20}{\k40}two\N{\k60}three{\k10}")
    assert [(w.text, w.start_ms, w.end_ms, w.kind) for w in cue.words] == [
        ("Intro ", 1000, 1000, None), ("one", 1000, 1300, "k"), ("", 1300, 1500, "k"),
        ("two\n", 1500, 1900, "k"), ("three", 1900, 2500, "k"), ("", 2500, 2600, "k"),
    ]  # fmt: skip
    assert cue.words_align()


def test_karaoke_default_fraction_and_kt_durations() -> None:
    doc = events(r"Dialogue: 0,0:00:01.00,0:00:05.00,Default,,0,0,0,,{\k}a{\k12.5}b{\kt300}{\k-5}c")
    assert [(w.text, w.start_ms, w.end_ms, w.kind) for w in doc.cues[0].words] == [
        ("a", 1000, 2000, "k"), ("b", 2000, 2125, "k"), ("", 4000, 4000, "kt"), ("c", 4000, 4000, "k"),
    ]
    assert [d.message for d in doc.diagnostics] == [r"\k without a duration", r"negative karaoke time \k-5"]


def test_karaoke_longer_than_the_line_is_diagnosed() -> None:
    doc = events(r"Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{\k60}a{\k60}b")
    assert doc.cues[0].words[-1].end_ms == 2200
    assert doc.diagnostics[0].message == "karaoke syllables run past the end of the line"


def test_write_words_round_cumulative_boundaries() -> None:
    words = (Word(text="a ", start_ms=1003, end_ms=1507), Word(text="b ", start_ms=1507, end_ms=2011),
             Word(text="c", start_ms=2011, end_ms=2016, kind="kf"))
    cue = Cue(start_ms=1003, end_ms=3000, content=(Run("a b c"),), words=words)
    # boundaries 1003 -> 100 cs, 1507 -> 151, 2011 -> 201, 2016 -> 202: durations 51, 50, 1
    assert event_text(doc_of(cue)) == r"{\k51}a {\k50}b {\kf1}c"
    back = subkit.loads(render(doc_of(cue))[0], format="ass").cues[0]
    assert [(w.start_ms, w.end_ms) for w in back.words] == [(1000, 1510), (1510, 2010), (2010, 2020)]


def test_write_words_with_gaps_and_overlaps() -> None:
    words = (Word(text="late ", start_ms=1200, end_ms=1500), Word(text="gap ", start_ms=1800, end_ms=2600),
             Word(text="overlap", start_ms=2400, end_ms=2700, kind="ko"))
    cue = Cue(start_ms=1000, end_ms=3000, content=(Run("late gap overlap"),), words=words)
    text, losses = render(doc_of(cue))
    assert text.rstrip("\n").endswith(r"{\k20\k30}late {\k30\k60}gap {\ko30}overlap")
    assert [loss.feature for loss in losses] == ["word-timing"]


def test_write_words_found_in_text_when_they_carry_no_spaces() -> None:
    words = (Word(text="Hello", start_ms=0, end_ms=400), Word(text="world!", start_ms=400, end_ms=900))
    cue = Cue(start_ms=0, end_ms=1000, content=(Run("Hello "), Run("world!", RunStyle(italic=True))), words=words)
    assert event_text(doc_of(cue)) == r"{\k40}Hello {\k50\i1}world!"


def test_write_words_that_do_not_fit_the_text_are_reported() -> None:
    cue = Cue(start_ms=0, end_ms=1000, content=(Run("Hello"),), words=(Word(text="Bye", start_ms=0, end_ms=10),))
    text, losses = render(doc_of(cue))
    assert text.rstrip("\n").endswith(",,Hello")
    assert losses.losses[0].feature == "word-timing"


# ---------------------------------------------------------------- attachments


def test_uudecode_known_values() -> None:
    assert ass.uuencode(b"Man") == ["47&O"]
    assert ass.uudecode("47&O") == b"Man"
    assert ass.uudecode("47%") == b"Ma"  # a final group of 3 characters holds 2 bytes
    assert ass.uudecode("47") == b"M"
    assert ass.uudecode("4") is None and ass.uudecode("ab") is None
    assert [len(line) for line in ass.uuencode(bytes(200))] == [80, 80, 80, 27]


@given(st.binary(max_size=500))
def test_uuencode_round_trips(data: bytes) -> None:
    assert ass.uudecode("".join(ass.uuencode(data))) == data


def test_read_fonts_and_graphics_sections() -> None:
    data = bytes([0xE8]) + bytes(range(101))  # 102 bytes: whole groups, and lines starting with "["
    lines = ass.uuencode(data)
    assert lines[0].startswith("[")
    text = (
        "[Script Info]\nScriptType: v4.00+\n\n[Fonts]\nfontname: My Font Bold_0.ttf\n" + "\n".join(lines)
        + "\n[AB]\n\nfontname: empty.ttf\n\n[Graphics]\nfilename: bad.png\n!!!!abc\n\n[EVENTS]\n"
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,after the fonts\n"
    )
    doc = subkit.loads(text, format="ass")
    tail = ass.uudecode("[AB]")
    assert tail is not None
    assert doc.attachments == (
        Attachment(kind="font", name="My Font Bold_0.ttf", data=data + tail),  # "[AB]" is data, not a section
        Attachment(kind="font", name="empty.ttf", data=b""),
    )
    assert doc.cues[0].plain_text() == "after the fonts"  # "[EVENTS]" names a section: it ends the data
    assert [(d.severity, d.message) for d in doc.diagnostics] == [("error", "malformed data of attachment 'bad.png'")]


def test_write_attachments_round_trip() -> None:
    doc = Document(attachments=(Attachment(kind="graphic", name="a.png", data=b"\x89PNG"),
                                Attachment(kind="font", name="F 1.ttf", data=bytes(range(256))),
                                Attachment(kind="font", name="f2.otf", data=b"x")))
    text, losses = render(doc)
    assert text.index("[Fonts]\nfontname: F 1.ttf\n") < text.index("[Graphics]\nfilename: a.png\n")
    back = subkit.loads(text, format="ass")
    assert sorted(back.attachments, key=lambda a: a.name) == sorted(doc.attachments, key=lambda a: a.name)
    assert not losses


# ---------------------------------------------------------------- writing


def test_write_escapes_literal_markup_characters() -> None:
    assert escape_text("a{b}c") == r"a\{b\}c"
    assert escape_text("x\u00a0y") == r"x\hy"
    assert escape_text("C:\\New \\h\\") == "C:\\\u2060New \\\u2060h\\\u2060"
    assert escape_text("a\\b") == "a\\b"
    cue = Cue(start_ms=0, end_ms=1000, content=(Run("{x} C:\\New\u00a0\\"), LineBreak(), Run("\\\u2060!")))
    back = subkit.loads(render(doc_of(cue))[0], format="ass").cues[0]
    assert back.content == cue.content


def test_write_minimal_tags_relative_to_style() -> None:
    styles = events().styles
    cue = Cue(start_ms=0, end_ms=1000, style="Ital", content=(
        Run("same "), Run("up ", RunStyle(italic=False)), Run("red ", RunStyle(italic=False, color=RED)),
        Run("half", RunStyle(italic=False, color=Color(r=255, g=0, b=0, a=128))), Run(" back"),
    ))  # fmt: skip
    assert event_text(doc_of(cue, styles=styles)) == (
        r"same {\i0}up {\c&H0000FF&}red {\1a&H7F&}half{\i1\c&H00FFFF&\1a&H00&} back"
    )


def test_write_style_reset_values_come_from_the_style() -> None:
    cue = Cue(start_ms=0, end_ms=1000, content=(
        Run("a", RunStyle(bold=True, weight=800, font_family="Mono", font_size=12.5, underline=True,
                          strike=True, outline_color=RED, shadow_color=Color(r=1, g=2, b=3, a=4))),
        Run("b"),
    ))  # fmt: skip
    assert event_text(doc_of(cue)) == (
        r"{\fnMono\fs12.5\b800\u1\s1\3c&H0000FF&\4c&H030201&\4a&HFB&}a"
        r"{\fnArial\fs20\b0\u0\s0\3c&H000000&\4c&H000000&\4a&H00&}b"
    )


def test_write_placement() -> None:
    cue = Cue(start_ms=0, end_ms=1000, content=(Run("x"),),
              placement=Placement(align=7, x=50.0, y=25.0, unit="%", margin_l=5, margin_r=6, margin_v=7, layer=3))
    text, _ = render(doc_of(cue, canvas=(1280, 720)))
    assert r"Dialogue: 3,0:00:00.00,0:00:01.00,Default,,5,6,7,,{\an7\pos(640,180)}x" in text
    aligned = Cue(start_ms=0, end_ms=1000, content=(Run("x"),), placement=Placement(text_align="right"))
    assert event_text(doc_of(aligned)) == r"{\an3}x"


def test_write_reports_what_ass_cannot_express() -> None:
    cue = Cue(
        start_ms=0, end_ms=1000, id="c1", language="en", forced=True,
        content=(Run("a", RunStyle(background=RED, classes=("x",), ruby="r", voice="v", language="fr")),
                 Raw("webvtt", "<c.x>")),
        placement=Placement(line=3.0, region="r1", vertical="rl"),
    )  # fmt: skip
    doc = doc_of(cue, regions={"r1": Region(id="r1")}, notes=(Note(text="n", before_cue=0),),
                 stylesheets=("::cue {}",))
    text, losses = render(doc)
    assert sorted(loss.feature for loss in losses) == sorted([
        "background", "classes", "language", "voice", "ruby", "raw", "line", "region", "vertical", "forced",
        "id", "regions", "stylesheets", "notes",
    ])  # fmt: skip
    # WebVTT line 3 (from the top) keeps its place as the nearest alignment point.
    assert text.rstrip("\n").endswith(",,{\\an8}a")
    with pytest.raises(UnsupportedFeatureError):
        subkit.render(doc, "ass", strict=True)


def test_write_times_are_rounded_clamped_and_kept_apart() -> None:
    doc = doc_of(
        Cue(start_ms=-500, end_ms=1004, content=(Run("a"),)),
        Cue(start_ms=2001, end_ms=2004, content=(Run("b"),)),
        Cue(start_ms=36_000_000, end_ms=36_500_000, content=(Run("c"),)),
        Cue(start_ms=1234, end_ms=1235, content=(Run("d"),)),
    )
    text, losses = render(doc)
    times = [line.split(",")[1:3] for line in text.split("\n") if line.startswith("Dialogue")]
    assert times == [["0:00:00.00", "0:00:01.00"], ["0:00:02.00", "0:00:02.01"],
                     ["9:59:59.99", "9:59:59.99"], ["0:00:01.23", "0:00:01.24"]]
    assert [loss.feature for loss in losses] == ["negative-time", "time-range"]


def test_write_commas_in_fields_are_replaced_and_reported() -> None:
    cue = Cue(start_ms=0, end_ms=1000, content=(Run("x, y"),), speaker="Smith, J.", effect="a,b", style="A,B")
    text, losses = render(doc_of(cue))
    assert "Dialogue: 0,0:00:00.00,0:00:01.00,A;B,Smith; J.,0,0,0,a;b,x, y" in text
    assert sorted(loss.feature for loss in losses) == ["effect", "speaker", "styles"]


def test_write_raw_markup_and_merging_of_tags() -> None:
    cue = Cue(start_ms=0, end_ms=1000, content=(
        Raw("ass", r"{\blur2}"), Run("a", RunStyle(italic=True)), Raw("ass", "{TN}"), Run("b"),
        Raw("ass", r"{\t(\frz5}"), Run("c", RunStyle(bold=True)), Raw("srt", "<blink>"),
    ))  # fmt: skip
    text, losses = render(doc_of(cue))
    assert text.rstrip("\n").endswith(r"{\blur2\i1}a{TN}{\i0}b{\t(\frz5}{\b1}c")
    assert [loss.feature for loss in losses] == ["raw"]


def test_write_cue_without_style_uses_a_default_style() -> None:
    doc = Document(styles={"Main": Style(name="Main")}, cues=(Cue(start_ms=0, end_ms=1, content=(Run("x"),)),))
    text, _ = render(doc)
    assert text.index("Style: Default,") < text.index("Style: Main,")
    assert ",Default,,0,0,0,,x" in text


# ---------------------------------------------------------------- strictness


def test_strict_read_raises_parse_error_with_line() -> None:
    with pytest.raises(ParseError) as info:
        events("Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{\\b2}x", strict=True)
    assert info.value.line == 14 and info.value.format == "ass"
    with pytest.raises(ParseError) as info:
        subkit.loads("[Script Info]\nScriptType: v4.00+\nno colon here\n", format="ass", strict=True)
    assert info.value.line == 3
    assert events("Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{\\b1}x", strict=True).cues


def test_read_refuses_text_that_is_not_a_script() -> None:
    with pytest.raises(ParseError) as info:
        subkit.loads("hello\nworld\n", format="ass")
    assert info.value.line == 1
    assert subkit.loads("", format="ass") == Document(source_format="ass")
    assert subkit.loads("\n\n", format="ass").cues == ()


# ---------------------------------------------------------------- round-trip property

NAME_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_"
FIELD_ALPHABET = SAFE_ALPHABET.replace(",", "")
TEXT_ALPHABET = SAFE_ALPHABET + "{}\\\u00a0\u2060Nnh"
FONTS = ["Arial", "Georgia", "Noto Sans CJK JP", "Times New Roman"]
RAWS: list[tuple[Raw, ...]] = [
    (Raw("ass", r"{\blur2}"),), (Raw("ass", r"{\fad(100,200)}"),), (Raw("ass", r"{\t(0,500,\frz30)}"),),
    (Raw("ass", "{TN: a note}"),), (Raw("ass", r"{\bord3\shad0}"),), (Raw("ass", r"{\2c&H00FF00&}"),),
    (Raw("ass", r"{\alpha&H80&}"),), (Raw("ass", r"{\r}"),), (Raw("ass", r"{\move(0,0,10,10)}"),),
    (Raw("ass", r"{\p1}"), Raw("ass", "m 0 0 l 10 0 10 10"), Raw("ass", r"{\p0}")),
]  # fmt: skip


def halves(low: int, high: int) -> st.SearchStrategy[float]:
    """Floats on a 0.5 grid: written and read back exactly."""
    return st.integers(low * 2, high * 2).map(lambda n: n / 2)


@st.composite
def ass_styles(draw: st.DrawFn, name: str, flavour: str = "ass") -> Style:
    """A fully specified style (every field set, as a read style is)."""
    weight = draw(st.none() | st.sampled_from([100, 300, 700, 900]))
    full = flavour == "ass"
    extra = draw(st.sampled_from([{}, {"ssa.AlphaLevel": "128"}])) if not full else {}
    return Style(
        name=name,
        font_family=draw(st.sampled_from(FONTS)),
        font_size=draw(halves(1, 120)),
        primary_color=draw(colors), secondary_color=draw(colors),
        outline_color=draw(colors), back_color=draw(colors),
        bold=weight >= 600 if weight is not None else draw(st.booleans()),
        weight=weight,
        italic=draw(st.booleans()),
        underline=draw(st.booleans()) if full else None,
        strike=draw(st.booleans()) if full else None,
        scale_x=draw(halves(1, 300)) if full else None,
        scale_y=draw(halves(1, 300)) if full else None,
        spacing=draw(halves(-10, 10)) if full else None,
        angle=draw(halves(-360, 360)) if full else None,
        border_style=draw(st.sampled_from([1, 3])),
        outline=draw(halves(0, 10)), shadow=draw(halves(0, 10)),
        align=draw(st.integers(1, 9)),
        margin_l=draw(st.integers(0, 300)), margin_r=draw(st.integers(0, 300)),
        margin_v=draw(st.integers(0, 300)),
        encoding=draw(st.sampled_from([0, 1, 128])),
        extra=extra,
    )  # fmt: skip


@st.composite
def relative_run_styles(draw: st.DrawFn, base: Base, flavour: str = "ass") -> RunStyle:
    """Run styles as the reader produces them: only values that differ from ``base``."""
    changes: dict[str, object] = {}
    if draw(st.booleans()):
        changes["italic"] = not base.italic
    weight = draw(st.none() | st.sampled_from([w for w in (0, 1, 400, 700, 900) if w != base.weight]))
    if weight is not None:
        changes["bold"] = weight == 1 or weight >= 600
        changes["weight"] = weight if weight > 1 else None
    if flavour == "ass":
        if draw(st.booleans()):
            changes["underline"] = not base.underline
        if draw(st.booleans()):
            changes["strike"] = not base.strike
    for attr, reference in (("color", base.color), ("outline_color", base.outline),
                            ("shadow_color", base.shadow)):
        color = draw(st.none() | colors)
        if color is not None and color != reference:
            changes[attr] = color
    font = draw(st.none() | st.sampled_from(FONTS))
    if font is not None and font != base.font:
        changes["font_family"] = font
    size = draw(st.none() | halves(1, 100))
    if size is not None and size != base.size:
        changes["font_size"] = size
    return RunStyle(**changes)  # type: ignore[arg-type]


@st.composite
def ass_contents(draw: st.DrawFn, base: Base, flavour: str = "ass") -> tuple[ContentItem, ...]:
    items: list[ContentItem] = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["run", "run", "run", "break", "raw"]))
        if kind == "run":
            style = draw(st.just(PLAIN) | relative_run_styles(base, flavour))
            text = draw(st.text(alphabet=TEXT_ALPHABET, min_size=1, max_size=12))
            if items and isinstance(items[-1], Run) and items[-1].style == style:
                continue
            items.append(Run(text, style))
        elif kind == "break":
            items.append(LineBreak())
        else:
            items.extend(draw(st.sampled_from(RAWS)))
    return tuple(items)


KINDS: list[Literal["k", "kf", "ko"]] = ["k", "kf", "ko"]


@st.composite
def karaoke_words(draw: st.DrawFn, plain: str, start_ms: int) -> tuple[Word, ...]:
    cuts = sorted(draw(st.lists(st.integers(0, len(plain)), max_size=5)))
    bounds = [0, *cuts, len(plain)]
    pieces = [plain[bounds[i] : bounds[i + 1]] for i in range(len(bounds) - 1)]
    words: list[Word] = []
    clock = start_ms
    for index, piece in enumerate(pieces):
        if index == 0 and piece and len(pieces) > 1 and draw(st.booleans()):
            words.append(Word(text=piece, start_ms=clock, end_ms=clock))  # text before the first \k
            continue
        length = draw(st.integers(0, 300)) * 10
        kind = draw(st.sampled_from(KINDS))
        words.append(Word(text=piece, start_ms=clock, end_ms=clock + length, kind=kind))
        clock += length
    return tuple(words)


@st.composite
def ass_documents(draw: st.DrawFn, flavour: str = "ass") -> Document:
    """Documents within what ASS (or SSA) expresses, at centisecond times."""
    names = ["Default", *draw(st.lists(st.text(NAME_ALPHABET[:52], min_size=1, max_size=6), max_size=2,
                                       unique=True).filter(lambda n: "Default" not in n))]
    styles = {name: draw(ass_styles(name, flavour)) for name in names}
    cues: list[Cue] = []
    for _ in range(draw(st.integers(0, 4))):
        style = draw(st.sampled_from(names))
        base = base_of(styles[style])
        start = draw(st.integers(0, 9 * 360_000)) * 10
        end = start + draw(st.integers(0, 2_000)) * 10
        content = draw(ass_contents(base, flavour))
        plain = Cue(start_ms=start, end_ms=end, content=content).plain_text()
        words = draw(karaoke_words(plain, start)) if draw(st.booleans()) else ()
        has_pos = draw(st.booleans())
        placement = Placement(
            align=draw(st.none() | st.integers(1, 9)),
            x=draw(halves(-100, 2000)) if has_pos else None,
            y=draw(halves(-100, 2000)) if has_pos else None,
            unit="px" if has_pos else "%",
            margin_l=draw(st.none() | st.integers(1, 400)),
            margin_r=draw(st.none() | st.integers(1, 400)),
            margin_v=draw(st.none() | st.integers(1, 400)),
            layer=draw(st.integers(0, 5)) if flavour == "ass" else 0,
        )
        cues.append(Cue(
            start_ms=start, end_ms=end, content=content, style=style, placement=placement,
            speaker=draw(st.none() | words_text(FIELD_ALPHABET, max_size=10)),
            comment=draw(st.booleans()),
            effect=draw(st.none() | words_text(FIELD_ALPHABET, max_size=10)),
            words=words,
            extra=draw(st.sampled_from([{}, {"ssa.marked": "1"}])) if flavour == "ssa" else {},
        ))  # fmt: skip
    fonts = draw(st.lists(st.builds(Attachment, kind=st.just("font"), name=words_text(FIELD_ALPHABET, max_size=12),
                                    data=st.binary(max_size=100)), max_size=2))
    graphics = draw(st.lists(st.builds(Attachment, kind=st.just("graphic"), name=words_text(FIELD_ALPHABET),
                                       data=st.binary(max_size=100)), max_size=1))
    return Document(
        cues=tuple(cues),
        styles=styles,
        title=draw(st.none() | words_text(max_size=20)),
        canvas=(draw(st.integers(1, 4000)), draw(st.integers(1, 4000))),
        attachments=tuple(fonts + graphics),
    )


def assert_same_document(back: Document, doc: Document) -> None:
    assert back.cues == doc.cues
    assert list(back.styles.items()) == list(doc.styles.items())
    assert (back.title, back.canvas, back.attachments) == (doc.title, doc.canvas, doc.attachments)


@given(ass_documents())
def test_round_trip_property(doc: Document) -> None:
    text, losses = render(doc, strict=True)
    back = subkit.loads(text, format="ass")
    assert_same_document(back, doc)
    assert not losses
    assert [d for d in back.diagnostics if "karaoke" not in d.message] == []
    assert render(back)[0] == text


# ---------------------------------------------------------------- robustness

NOISE = st.text(alphabet="[]{}()\\:,.;-+&*= \n0123456789abkKNnhpqrstioFDSEHV\u00a0\u2060", max_size=200)
SECTIONS = st.sampled_from(["[Script Info]\n", "[V4+ Styles]\n", "[V4 Styles]\n", "[Events]\n", "[Fonts]\n",
                            "[Graphics]\n", "Format: Start, End, Text\n", "Style: x,", "Dialogue: 0,",
                            "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,", "fontname: f\n"])


@given(st.lists(SECTIONS | NOISE, max_size=12).map("".join))
def test_reader_never_fails_on_noise(text: str) -> None:
    try:
        doc = subkit.loads(text, format="ass")
    except ParseError as exc:
        assert exc.line is not None
        return
    for cue in doc.cues:
        assert not cue.words or cue.words_align()
    render(doc)  # and whatever was read can be written


@given(full_documents())
def test_writer_accepts_any_document(doc: Document) -> None:
    text, _ = render(doc)
    back = subkit.loads(text, format="ass")
    assert len(back.cues) == len(doc.cues)
    assert [d for d in back.diagnostics if d.severity == "error"] == []


# ---------------------------------------------------------------- golden files


def golden_cases(folder: str, suffix: str) -> list[Path]:
    return sorted((FIXTURES / folder).glob(f"*{suffix}"))


def check_snapshot(path: Path, actual: str) -> None:
    golden.check_text(path, actual)


def check_golden(source: Path, fmt: str) -> None:
    """Reader snapshot (``<case>.subkit.json``) and writer output from it (``<case>.<fmt>.out``)."""
    doc = subkit.load(source, format=fmt)
    doc = doc.replace(diagnostics=tuple(dataclasses.replace(d, source=None) for d in doc.diagnostics))
    snapshot = str(subkit.dumps(doc, "subkit_json"))
    check_snapshot(source.with_suffix(".subkit.json"), snapshot)
    model = subkit.loads(snapshot, format="subkit_json")
    written, _ = render(model, fmt)
    check_snapshot(source.with_name(source.name + ".out"), written)
    assert render(subkit.loads(written, format=fmt), fmt)[0] == written  # the output is stable


@pytest.mark.parametrize("source", golden_cases("ass", ".ass"), ids=lambda p: p.stem)
def test_golden(source: Path) -> None:
    check_golden(source, "ass")


# ---------------------------------------------------------------- corpus


def corpus_rows(fmt: str) -> list[str]:
    index = CORPUS / "index.tsv"
    if not index.is_file():
        return []
    with index.open(encoding="utf-8") as handle:
        return [row["path"] for row in csv.DictReader(handle, delimiter="\t") if row["format"] == fmt]


def check_corpus_file(path: str, fmt: str) -> None:
    file = CORPUS / path
    assert formats.detect(file.read_bytes(), None).name == fmt  # content alone decides
    try:
        doc = subkit.load(file)
    except ParseError as exc:  # allowed, if it says where
        assert exc.line is not None
        return
    assert doc.source_format == fmt
    first, _ = render(doc, fmt)
    again = subkit.loads(first, format=fmt)
    second, _ = render(again, fmt)
    assert second == first  # read -> write -> read -> write is stable
    assert subkit.loads(second, format=fmt).cues == again.cues
    # The first write changes only what ASS cannot hold: times outside
    # 0..9:59:59.99 and times finer than centiseconds.
    assert [c.content for c in again.cues] == [c.content for c in doc.cues]
    assert [(c.style, c.speaker, c.placement, c.comment, c.effect) for c in again.cues] == [
        (c.style, c.speaker, c.placement, c.comment, c.effect) for c in doc.cues
    ]
    assert list(again.styles) == list(doc.styles) and again.attachments == doc.attachments
    assert [(c.start_ms, c.end_ms) for c in again.cues] == [written_times(c) for c in doc.cues]
    assert [[(w.text, w.kind, ass_round(w.start_ms)) for w in c.words] for c in again.cues] == [
        [(w.text, w.kind, ass_round(w.start_ms)) for w in c.words] for c in doc.cues
    ]


def written_times(cue: Cue) -> tuple[int, int]:
    """What the writer makes of a cue's times: clamped (a cue wholly before zero becomes 0 to 0), rounded to
    10 ms, kept apart."""
    first, last = max(cue.start_ms, 0), max(cue.end_ms, 0)
    start, end = ass_round(first), ass_round(last)
    if last > first and end <= start:
        end = start + 10
    return start, end


ASS_CORPUS = corpus_rows("ass")


@pytest.mark.corpus
@pytest.mark.parametrize("path", ASS_CORPUS or ["<absent>"])
def test_corpus_file_loads_and_round_trips(path: str) -> None:
    if not ASS_CORPUS:
        pytest.skip("shared corpus not available")
    check_corpus_file(path, "ass")


def pysubs2_agrees(path: str, fmt: str, reader: Callable[[Path], Document]) -> None:
    """Cross-check against pysubs2 where it reads the file (standard Format lines)."""
    import warnings

    pysubs2 = pytest.importorskip("pysubs2")
    file = CORPUS / path
    text = file.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            theirs = pysubs2.SSAFile.from_string(text, format_=fmt)
        except Exception:
            pytest.skip("pysubs2 cannot read this file")
    ours = reader(file)
    standard = " ".join((ass.ASS_STYLE_FIELDS if fmt == "ass" else ass.SSA_STYLE_FIELDS).split())
    if ours.styles and not any(" ".join(line.split()) == f"Format: {standard}" for line in text.split("\n")):
        pytest.skip("custom style Format line: pysubs2 misreads it")
    assert len(ours.cues) == len(theirs.events)
    for cue, event in zip(ours.cues, theirs.events, strict=True):
        assert (cue.start_ms, cue.end_ms) == (event.start, max(event.end, event.start))
        assert cue.comment == event.is_comment
        assert (cue.style or "") == event.style.lstrip("*")
    assert [name for name in ours.styles] == [name.lstrip("*") for name in theirs.styles]
    for name, style in ours.styles.items():
        theirs_style = theirs.styles.get(name) or theirs.styles.get("*" + name)
        primary = theirs_style.primarycolor
        assert style.primary_color == Color(r=primary.r, g=primary.g, b=primary.b, a=255 - primary.a)
        assert style.font_family == theirs_style.fontname
    assert sorted(a.name for a in ours.attachments) == sorted([*theirs.fonts_opaque, *theirs.graphics_opaque])


@pytest.mark.corpus
@pytest.mark.parametrize("path", ASS_CORPUS or ["<absent>"])
def test_corpus_agrees_with_pysubs2(path: str) -> None:
    if not ASS_CORPUS:
        pytest.skip("shared corpus not available")
    pysubs2_agrees(path, "ass", lambda file: subkit.load(file, format="ass"))


# ---------------------------------------------------------------- the short path for events

# Mostly what the short path takes, with what it leaves to the general one among it.
_EVENT_HEADS = ["Dialogue: 0"] * 30 + ["Dialogue: 3", "Comment: 0", "Dialogue: x", "Dialogue: Marked=0", "Picture: 0",
                                      "dialogue: 0", "Dialogue:  0"]
_EVENT_TIMES = ["0:00:01.00", "0:00:02.50", "0:01:00.99"] * 10 + [
    "00:00:03.00", "0:00:04.5", "0:00:05.123", "-0:00:01.00", "0:00:61.00", " 0:00:06.00", "x"]
_EVENT_STYLES = ["Default"] * 15 + ["Alt"] * 5 + ["", " Default ", "*Default", "Missing"]
_EVENT_MARGINS = ["0"] * 40 + ["0000", "10", "x", "", " 5"]
_EVENT_TEXTS = ["plain", "two\\Nlines", "\\Nlead", "trail\\N", "{\\i1}it", "{\\an8}top\\Nx", "{\\k20}ka{\\k30}ra",
                "a\\hb", "esc\\{x\\}", "{unclosed", "x{\\b1}y{\\b0}z", "\\n", "{\\pos(1,2)}p", "{\\p1}m 0 0{\\p0}", ""]


def _event_line(draw: st.DrawFn) -> str:
    fields = [draw(st.sampled_from(_EVENT_HEADS)), draw(st.sampled_from(_EVENT_TIMES)),
              draw(st.sampled_from(_EVENT_TIMES)), draw(st.sampled_from(_EVENT_STYLES)),
              draw(st.sampled_from(["", "Bob", " Ann "])), draw(st.sampled_from(_EVENT_MARGINS)),
              draw(st.sampled_from(_EVENT_MARGINS)), draw(st.sampled_from(_EVENT_MARGINS)),
              draw(st.sampled_from(["", "Banner;5", " fx "])), draw(st.sampled_from(_EVENT_TEXTS))]
    if draw(st.integers(0, 5)):
        return ",".join(fields)
    return draw(st.sampled_from(["; note", "", "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, "
                                 "Effect, Text", "[Fonts]", "[Events]", "Dialogue: 0,0:00:01.00"]))


@st.composite
def _scripts(draw: st.DrawFn) -> str:
    ssa = draw(st.booleans())
    styles = ("[V4 Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, TertiaryColour, "
              "BackColour, Bold, Italic, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, "
              "AlphaLevel, Encoding\nStyle: Default,Arial,20,16777215,255,0,0,0,0,1,2,2,2,10,10,10,0,1\n"
              "Style: Alt,Arial,20,16777215,255,0,0,-1,0,1,2,2,6,10,10,10,0,1\n") if ssa else (
              f"[V4+ Styles]\nFormat: {ass.ASS_STYLE_FIELDS}\n"
              "Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,2,"
              "10,10,10,1\nStyle: Alt,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,-1,0,0,0,100,100,0,0,"
              "1,2,2,8,10,10,10,1\n")
    event_format = ass.SSA_EVENT_FIELDS if ssa else ass.ASS_EVENT_FIELDS
    lines = [_event_line(draw) for _ in range(draw(st.integers(0, 12)))]
    wrap = draw(st.sampled_from([0, 2]))
    return (f"[Script Info]\nScriptType: {'v4.00' if ssa else 'v4.00+'}\nWrapStyle: {wrap}\n\n{styles}\n"
            f"[Events]\nFormat: {event_format}\n" + "\n".join(lines) + "\n")


@given(_scripts())
def test_short_path_for_events_reads_as_the_general_one(text: str) -> None:
    """Events of the standard layout read the same through the short path and through the general one."""
    fast = subkit.loads(text, format="ass")

    def general_only(self: Any, lines: Any) -> tuple[int, str] | None:
        return next(lines, None)  # hand every line to the general path

    original = ass._ScriptReader._fast_events
    ass._ScriptReader._fast_events = general_only  # type: ignore[method-assign]
    try:
        slow = subkit.loads(text, format="ass")
    finally:
        ass._ScriptReader._fast_events = original  # type: ignore[method-assign]
    assert fast == slow
    assert fast.diagnostics == slow.diagnostics
