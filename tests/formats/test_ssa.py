"""SSA (v4.00): what differs from ASS (field lists, legacy alignment, Marked, colours), golden files, corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

import subkit
from subkit.formats import ssa
from subkit.model import PLAIN, Color, Cue, Document, LineBreak, Placement, Raw, Run, RunStyle, Style, Word

from ..strategies import full_documents
from .test_ass import (
    ass_documents,
    assert_same_document,
    check_corpus_file,
    check_golden,
    corpus_rows,
    golden_cases,
    pysubs2_agrees,
    render,
    runs,
)

HEAD = """[Script Info]
ScriptType: v4.00
PlayResX: 640
PlayResY: 480

[V4 Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, TertiaryColour, BackColour, Bold, Italic, \
BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, AlphaLevel, Encoding
Style: Default,Tahoma,24,16777215,65535,255,&H80000000,-1,0,1,2,1,6,30,30,20,0,0

[Events]
Format: Marked, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
"""


def events(*lines: str) -> Document:
    return subkit.loads(HEAD + "\n".join(lines) + "\n", format="ssa")


def test_sniff_ssa_only_for_v4_scripts() -> None:
    assert ssa.sniff("[Script Info]\nScriptType: v4.00\n")
    assert ssa.sniff("[Script Info]\nTitle: x\n\n[V4 Styles]\n")
    assert ssa.sniff("\ufeff[Script Info]\r\nScriptType: v4.00+\r\n\r\n[V4 Styles]\r\n")  # the section decides
    assert not ssa.sniff("[Script Info]\nScriptType: v4.00+\n")
    assert not ssa.sniff("[Script Info]\nTitle: unknown version\n\n[Events]\n")
    assert not ssa.sniff("1\n00:00:01,000 --> 00:00:02,000\nHi\n")


def test_read_ssa_styles() -> None:
    doc = events()
    assert doc.styles["Default"] == Style(
        name="Default", font_family="Tahoma", font_size=24.0, primary_color=Color(r=255, g=255, b=255),
        secondary_color=Color(r=255, g=255, b=0), outline_color=Color(r=255, g=0, b=0),
        back_color=Color(r=0, g=0, b=0, a=127), bold=True, italic=False, border_style=1, outline=2.0,
        shadow=1.0, align=8, margin_l=30, margin_r=30, margin_v=20, encoding=0,
    )  # fmt: skip
    assert doc.source_format == "ssa" and not doc.diagnostics


def test_read_ssa_events_marked_and_legacy_alignment() -> None:
    doc = events(
        r"Dialogue: Marked=1,0:00:01.00,0:00:02.00,*Default,Bob,0000,0000,0000,,{\a9}middle left {\c65280}green",
        "Sound: Marked=0,0:00:02.00,0:00:03.00,Default,,0000,0000,0000,,ding.wav",
    )
    (cue,) = doc.cues
    assert dict(cue.extra) == {"ssa.marked": "1"}
    assert cue.placement == Placement(align=4)
    assert runs(cue) == [("middle left ", PLAIN), ("green", RunStyle(color=Color(r=0, g=255, b=0)))]
    assert [d.message for d in doc.diagnostics] == [
        "style name with a leading '*'",
        "SSA Sound event",
    ]


def test_write_ssa_fields_colours_and_alignment() -> None:
    doc = Document(
        styles={"Default": Style(name="Default", primary_color=Color(r=255, g=0, b=0), outline_color=Color(
            r=0, g=0, b=255, a=128), align=5, underline=True)},
        cues=(Cue(start_ms=0, end_ms=1500, content=(Run("x"), Run("y", RunStyle(italic=True, underline=True))),
                  placement=Placement(align=9, layer=2), extra={"ssa.marked": "1"}),),
    )  # fmt: skip
    text, losses = render(doc, "ssa")
    assert "ScriptType: v4.00\n" in text and "[V4 Styles]\n" in text
    assert "Style: Default,Arial,20,255,255,&H7FFF0000,0,0,0,1,2,2,10,10,10,10,0,1\n" in text
    assert "Format: Marked, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n" in text
    assert "Dialogue: Marked=1,0:00:00.00,0:00:01.50,Default,,0,0,0,,{\\a7}x{\\i1}y\n" in text
    assert sorted(loss.feature for loss in losses) == ["layer", "styles", "underline"]


def test_write_ssa_karaoke_and_breaks() -> None:
    cue = Cue(start_ms=0, end_ms=1000, content=(Run("ka"), LineBreak(), Run("ra")),
              words=(Word(text="ka\n", start_ms=0, end_ms=300, kind="kf"), Word(text="ra", start_ms=300,
                                                                               end_ms=600)))
    text, losses = render(Document(cues=(cue,)), "ssa")
    assert text.endswith(",,{\\K30}ka\\N{\\k30}ra\n") and not losses
    assert subkit.loads(text, format="ssa").cues[0].words[1].kind == "k"


def test_ssa_raw_markup_is_shared_with_ass() -> None:
    doc = events(r"Dialogue: Marked=0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{\fad(1,2)}x")
    assert doc.cues[0].content[0] == Raw("ass", r"{\fad(1,2)}")
    text, losses = render(doc, "ass")
    assert text.endswith(",,{\\fad(1,2)}x\n") and not losses


@given(ass_documents(flavour="ssa"))
def test_round_trip_property(doc: Document) -> None:
    text, losses = render(doc, "ssa", strict=True)
    back = subkit.loads(text, format="ssa")
    assert_same_document(back, doc)
    assert not losses
    assert render(back, "ssa")[0] == text


@given(full_documents())
def test_writer_accepts_any_document(doc: Document) -> None:
    text, _ = render(doc, "ssa")
    back = subkit.loads(text, format="ssa")
    assert len(back.cues) == len(doc.cues)
    assert [d for d in back.diagnostics if d.severity == "error"] == []


@pytest.mark.parametrize("source", golden_cases("ssa", ".ssa"), ids=lambda p: p.stem)
def test_golden(source: Path) -> None:
    check_golden(source, "ssa")


SSA_CORPUS = corpus_rows("ssa")


@pytest.mark.corpus
@pytest.mark.parametrize("path", SSA_CORPUS or ["<absent>"])
def test_corpus_file_loads_and_round_trips(path: str) -> None:
    if not SSA_CORPUS:
        pytest.skip("shared corpus not available")
    check_corpus_file(path, "ssa")


@pytest.mark.corpus
@pytest.mark.parametrize("path", SSA_CORPUS or ["<absent>"])
def test_corpus_agrees_with_pysubs2(path: str) -> None:
    if not SSA_CORPUS:
        pytest.skip("shared corpus not available")
    pysubs2_agrees(path, "ssa", lambda file: subkit.load(file, format="ssa"))
