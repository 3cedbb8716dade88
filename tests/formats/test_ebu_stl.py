"""EBU STL (Tech 3264) reader and writer, with the ISO 6937 and text-field codecs."""

from __future__ import annotations

import csv
import dataclasses
import warnings
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import subkit
from subkit import formats
from subkit.errors import ConfigError, ParseError, UnsupportedFeatureError
from subkit.formats import _iso6937, _stl_text, ebu_stl
from subkit.model import Color, Cue, Document, LineBreak, Placement, Raw, Run, RunStyle
from subkit.timing import frames_to_ms
from tests import golden

from ..conftest import CORPUS
from ..strategies import words_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ebu_stl"

RED = Color(r=255, g=0, b=0)
BLUE = Color(r=0, g=0, b=255)


# ---------------------------------------------------------------- building files by hand


def gsi(**fields: str) -> bytes:
    """A GSI block with Tech 3264 defaults and the given fields (by abbreviation)."""
    defaults = {"CPN": "850", "DFC": "STL25.01", "DSC": "1", "CCT": "00", "LC": "09", "TNG": "001", "MNC": "40",
                "MNR": "23", "TCS": "1", "TCP": "00000000", "TCF": "00000000", "TND": "1", "DSN": "1"}
    values = {**defaults, **fields}
    out = bytearray(b" " * 1024)
    for name, offset, length in ebu_stl.GSI_FIELDS:
        out[offset : offset + length] = values.get(name, "").encode("latin-1")[:length].ljust(length, b" ")
    return bytes(out)


def tti(text: bytes, *, sn: int = 1, tci: tuple[int, ...] = (0, 0, 1, 0), tco: tuple[int, ...] = (0, 0, 2, 0),
        ebn: int = 0xFF, cs: int = 0, vp: int = 22, jc: int = 2, cf: int = 0, sgn: int = 0) -> bytes:
    return bytes([sgn, sn & 0xFF, sn >> 8, ebn, cs, *tci, *tco, vp, jc, cf]) + text.ljust(112, b"\x8f")


def stl(*blocks: bytes, **fields: str) -> bytes:
    fields.setdefault("TNB", f"{len(blocks):05d}")
    fields.setdefault("TNS", f"{len(blocks):05d}")
    return gsi(**fields) + b"".join(blocks)


def read(data: bytes, **options: Any) -> Document:
    return subkit.loads(data, format="ebu_stl", **options)


def render(doc: Document, **options: Any) -> tuple[bytes, list[str]]:
    if "ebu_stl.CD" not in doc.header:
        options.setdefault("creation_date", "260101")  # fixed output, whatever the day
    result = subkit.render(doc, "ebu_stl", **options)
    assert isinstance(result.data, bytes)
    return result.data, [loss.feature for loss in result.losses]


def cue(text: str, start: int = 1000, end: int = 2000, **kwargs: Any) -> Cue:
    from subkit.model import content_from_text

    return Cue(start_ms=start, end_ms=end, content=content_from_text(text), **kwargs)


# ---------------------------------------------------------------- ISO 6937 and the other tables


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"\xc1a\xc2e\xc3i\xc4n\xc5o\xc6u\xc7z\xc8a\xcaa\xcbc\xcdo\xcee\xcfs", "àéîñōŭżäåçőęš"),
        (b"\xc2E\xc8O\xcfZ", "ÉÖŽ"),
        (b"\xa9\xaa\xb9\xba\xd0\xd5\xe1\xe9\xea\xf1\xf9\xfa\xfb", "‘“’”—♪ÆØŒæøœß"),
        (b"\xa3\xa4\xa8\xb0\xbd", "£$¤°½"),
        (b"\xc2 \xc8 ", "´¨"),
    ],
)
def test_iso6937_decodes_diacritics_and_singles(data: bytes, text: str) -> None:
    assert _iso6937.decode(data) == (text, [])
    encoded, bad = _iso6937.encode(text)
    assert bad == []
    assert _iso6937.decode(encoded)[0] == text


def test_iso6937_encodes_from_nfd_and_reports_the_rest() -> None:
    assert _iso6937.encode("e\u0301")[0] == b"\xc2e"  # decomposed input
    assert _iso6937.encode("Ω")[0] == b"\xe0"  # ohm sign and omega alike
    assert _iso6937.encode("a漢b") == (b"a?b", ["漢"])
    assert _iso6937.decode(b"a\xc2") == ("a", [1])  # a diacritic with no letter
    assert _iso6937.decode(b"\xe5x") == ("x", [0])  # undefined byte


@pytest.mark.parametrize(
    ("cct", "text"),
    [("01", "Привет"), ("02", "مرحبا"), ("03", "Καλημέρα"), ("04", "שלום")],
)
def test_other_character_tables_both_ways(cct: str, text: str) -> None:
    charset = _iso6937.CHARSETS[cct]
    encoded, bad = charset.encode(text)
    assert bad == []
    assert charset.decode(encoded) == (text, [])
    data = stl(tti(b"\x0d\x0b\x0b" + encoded), CCT=cct)
    assert read(data)[0].plain_text() == text
    doc = Document(cues=(cue(text),))
    written, losses = render(doc, character_table=cct)
    assert losses == []
    assert read(written)[0].plain_text() == text


def test_character_outside_the_table_is_reported_and_refused_in_strict_mode() -> None:
    doc = Document(cues=(cue("Grüße 漢"),))
    written, losses = render(doc)
    assert losses == ["charset"]
    assert read(written)[0].plain_text() == "Grüße ?"
    with pytest.raises(UnsupportedFeatureError):
        render(doc, strict=True)


# ---------------------------------------------------------------- GSI


def test_gsi_fields_are_kept_in_the_header() -> None:
    data = stl(tti(b"Hi"), OPT="Programme", OET="Episode", TPT="Titre", TET="Episode FR", TN="Ann", TCD="Ann 1",
               SLR="SLR-1", CD="991231", RD="000101", RN="02", CO="FRA", PUB="Pub", EN="Ed", ECD="ed@x", LC="0F",
               UDA="user area")  # fmt: skip
    doc = read(data)
    header = doc.header
    expected = {"OPT": "Programme", "OET": "Episode", "TPT": "Titre", "TET": "Episode FR", "TN": "Ann",
                "TCD": "Ann 1", "SLR": "SLR-1", "CD": "991231", "RD": "000101", "RN": "02", "CO": "FRA",
                "PUB": "Pub", "EN": "Ed", "ECD": "ed@x", "LC": "0F", "UDA": "user area", "CPN": "850",
                "DFC": "STL25.01", "DSC": "1", "CCT": "00", "TNB": "00001", "TNS": "00001", "TNG": "001",
                "MNC": "40", "MNR": "23", "TCS": "1", "TCP": "00000000", "TCF": "00000000", "TND": "1", "DSN": "1"}
    assert {key: header[f"ebu_stl.{key}"] for key in expected} == expected
    assert (doc.title, doc.language, doc.frame_rate) == ("Programme", "fr", Fraction(25))
    again = read(render(doc)[0])
    for key in ("OET", "TPT", "TET", "TN", "TCD", "SLR", "CD", "RD", "RN", "CO", "PUB", "EN", "ECD", "UDA", "LC"):
        assert again.header[f"ebu_stl.{key}"] == expected[key]


@pytest.mark.parametrize("cpn", ["437", "850", "860", "863", "865"])
def test_gsi_code_pages(cpn: str) -> None:
    title = "Ça été"
    block = bytearray(gsi(CPN=cpn, TNB="00001", TNS="00001"))
    block[16:48] = title.encode(f"cp{cpn}").ljust(32, b" ")
    doc = read(bytes(block) + tti(b"x"))
    assert doc.title == title
    assert doc.diagnostics == ()
    written = render(doc, code_page=cpn)[0]
    assert written[:3] == cpn.encode()
    assert read(written).title == title


@pytest.mark.parametrize(
    ("dfc", "rate", "end_ms"),
    [("STL25.01", Fraction(25), 2040), ("STL30.01", Fraction(30), 2033), ("STL24.01", Fraction(24), 2042),
     ("STL23.01", Fraction(24000, 1001), 2044), ("STL50.01", Fraction(50), 2020)],
)
def test_rate_comes_from_dfc(dfc: str, rate: Fraction, end_ms: int) -> None:
    doc = read(stl(tti(b"x", tco=(0, 0, 2, 1)), DFC=dfc))
    assert doc.frame_rate == rate
    assert doc[0].end_ms == end_ms
    assert render(doc)[0][3:11] == dfc.encode()


def test_fps_option_overrides_dfc() -> None:
    doc = read(stl(tti(b"x", tco=(0, 0, 2, 15)), DFC="STL30.01"), fps="29.97")
    assert doc.frame_rate == Fraction(30000, 1001)
    assert (doc[0].start_ms, doc[0].end_ms) == (1001, 2503)


FPS_FORMS = [("25", Fraction(25)), ("29.97", Fraction(30000, 1001)), ("30000/1001", Fraction(30000, 1001)),
             (23.976, Fraction(24000, 1001)), (Fraction(24000, 1001), Fraction(24000, 1001))]


@pytest.mark.parametrize(("fps", "rate"), FPS_FORMS)
def test_fps_takes_strings_floats_and_fractions(fps: str | float | Fraction, rate: Fraction) -> None:
    doc = read(stl(tti(b"x", tco=(0, 0, 2, 15))), fps=fps)
    assert doc.frame_rate == rate and doc[0].end_ms == frames_to_ms(2 * round(rate) + 15, rate)
    written, _ = render(doc.replace(frame_rate=None), fps=fps)
    assert read(written).frame_rate == (Fraction(30) if rate == Fraction(30000, 1001) else rate)  # 29.97 is STL30.01


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"CPN": "ABC"}, "CPN"),
        ({"DFC": "STL99.01"}, "DFC"),
        ({"DSC": "9"}, "DSC"),
        ({"CCT": "07"}, "CCT"),
        ({"LC": "ZZ"}, "LC"),
        ({"MNC": "xx"}, "MNC"),
        ({"MNR": "  "}, "MNR"),
        ({"TNB": "00009"}, "TNB"),
        ({"TNS": "00004"}, "TNS"),
        ({"TCP": "10:00:00"}, "TCP"),
    ],
)
def test_gsi_problems_are_diagnosed_at_block_zero(fields: dict[str, str], message: str) -> None:
    data = stl(tti(b"Text"), **fields)
    doc = read(data)
    assert doc[0].plain_text() == "Text"
    assert any(message in d.message and d.line == 0 and "GSI block" in d.message for d in doc.diagnostics)
    with pytest.raises(ParseError) as info:
        read(data, strict=True)
    assert info.value.line == 0


def test_not_stl_fails_and_empty_is_empty() -> None:
    with pytest.raises(ParseError) as info:
        read(b"x" * 2000)
    assert info.value.line == 0
    with pytest.raises(ParseError):
        read(b"850STL25.01")  # shorter than a GSI block
    assert read(b"").cues == ()


def test_sniff_is_exact() -> None:
    data = stl(tti(b"x"))
    assert ebu_stl.sniff(data)
    assert not ebu_stl.sniff(data[:1000])
    assert not ebu_stl.sniff(b"850STL25.02" + data[11:])
    assert not ebu_stl.sniff(b"$FontName = Arial\n" * 100)
    assert formats.detect(data, "x.stl").name == "ebu_stl"
    assert formats.detect(stl(tti(b"x"), CPN="ABC"), None).name == "ebu_stl"


# ---------------------------------------------------------------- TTI blocks


def test_times_vp_jc_and_placement() -> None:
    data = stl(
        tti(b"top left", tci=(0, 0, 1, 5), tco=(0, 0, 2, 10), vp=1, jc=1),
        tti(b"middle right", sn=2, vp=11, jc=3),
        tti(b"bottom", sn=3, vp=22, jc=0),
    )
    doc = read(data)
    assert (doc[0].start_ms, doc[0].end_ms) == (1200, 2400)
    assert [c.placement.align for c in doc] == [7, 6, None]
    assert [(c.extra["ebu_stl.vp"], c.extra["ebu_stl.jc"]) for c in doc] == [("1", "1"), ("11", "3"), ("22", "0")]
    again = read(render(doc)[0])
    assert again.cues == doc.cues


def test_writer_positions_cues_from_their_alignment() -> None:
    doc = Document(cues=tuple(cue(f"a\nb{align}", placement=Placement(align=align)) for align in range(1, 10)))
    written, losses = render(doc)
    assert losses == []
    back = read(written)
    assert [c.placement.align for c in back] == [1, None, *range(3, 10)]
    vps = [int(c.extra["ebu_stl.vp"]) for c in back]
    assert vps[:3] == [20, 20, 20] and vps[6:] == [1, 1, 1]  # two double-height rows end at row 23


def test_extension_blocks_are_joined_and_written() -> None:
    text = "\n".join(["Row number one of a long subtitle", "Row number two of a long subtitle",
                      "Row number three, with é and ç, more"])
    doc = Document(cues=(cue(text),))
    written, losses = render(doc)
    assert losses == []
    assert len(written) == 1024 + 2 * 128
    assert written[1024 + 3] == 0x00 and written[1024 + 128 + 3] == 0xFF
    assert read(written)[0].plain_text() == text
    assert read(written).diagnostics == ()


def test_writer_never_splits_a_diacritic_from_its_letter() -> None:
    data = b"x" * 111 + b"\xc2e" + b"y"
    chunks = ebu_stl._chunks(data, _iso6937.CHARSETS["00"])
    assert [len(c) for c in chunks] == [111, 3]


def test_extension_chain_without_last_block_is_diagnosed() -> None:
    data = stl(tti(b"first part ", ebn=0), tti(b"other", sn=2))
    doc = read(data)
    assert [c.plain_text() for c in doc] == ["first part", "other"]
    problem = next(d for d in doc.diagnostics if "EBN FF" in d.message)
    assert problem.line == 2 and "TTI block 2 (byte offset 1152)" in problem.message
    with pytest.raises(ParseError) as info:
        read(data, strict=True)
    assert info.value.line == 2


def test_user_data_and_reserved_blocks_are_skipped() -> None:
    doc = read(stl(tti(b"data", ebn=0xFE), tti(b"kept", sn=2), tti(b"reserved", sn=3, ebn=0xF5), TNS="00001"))
    assert [c.plain_text() for c in doc] == ["kept"]
    assert [d.line for d in doc.diagnostics] == [3]


def test_cumulative_sets_groups_and_comments_are_kept() -> None:
    data = stl(
        tti(b"one", cs=1, sgn=2, tco=(0, 0, 9, 0)),
        tti(b"two", sn=2, cs=2, sgn=2, tci=(0, 0, 2, 0), tco=(0, 0, 9, 0)),
        tti(b"three", sn=3, cs=3, sgn=2, tci=(0, 0, 3, 0), tco=(0, 0, 9, 0)),
        tti(b"a comment", sn=4, cf=1),
    )
    doc = read(data)
    assert [c.extra.get("ebu_stl.cs") for c in doc] == ["1", "2", "3", None]
    assert [c.extra.get("ebu_stl.sgn") for c in doc] == ["2", "2", "2", None]
    assert [c.comment for c in doc] == [False, False, False, True]
    written = render(doc)[0]
    assert read(written).cues == doc.cues
    assert written[1024 + 4] == 1 and written[1024 + 3 * 128 + 15] == 1


def test_times_out_of_order_or_range_are_diagnosed_with_block_numbers() -> None:
    doc = read(stl(tti(b"ok"), tti(b"reversed", sn=2, tci=(0, 0, 5, 0), tco=(0, 0, 4, 0)),
                   tti(b"bad frame", sn=3, tci=(0, 0, 6, 30), tco=(0, 0, 8, 0))))
    assert doc[1].end_ms == doc[1].start_ms == 5000
    assert {(d.line, d.severity) for d in doc.diagnostics} == {(2, "error"), (3, "warning")}
    assert all("TTI block" in d.message for d in doc.diagnostics)


@pytest.mark.parametrize(
    ("block", "line", "words"),
    [
        (tti(b"x", vp=30), 1, "VP"),
        (tti(b"x", jc=7), 1, "JC"),
        (tti(b"x", cs=9), 1, "CS"),
        (tti(b"x", cf=5), 1, "CF"),
        (tti(b"x\x86y"), 1, "undefined control code"),
        (tti(b"a\xc2"), 1, "not defined"),
        (tti(b"a\x8fb"), 1, "unused-space"),
        (tti(b"x" * 50), 1, "MNC"),
        (tti(b"x", tco=(0, 0, 1, 0)), 1, "TCO equals TCI"),
    ],
)
def test_tti_flaws_in_strict_mode_raise_with_the_block_number(block: bytes, line: int, words: str) -> None:
    data = stl(tti(b"fine", sn=0, tci=(0, 0, 0, 0), tco=(0, 0, 0, 10)), block)
    doc = read(data)
    assert any(words in d.message for d in doc.diagnostics)
    with pytest.raises(ParseError) as info:
        read(data, strict=True)
    assert info.value.line == line + 1
    assert "TTI block 2" in str(info.value)


def test_file_size_not_a_block_multiple_and_wrong_tnb() -> None:
    data = stl(tti(b"x")) + b"junk"
    doc = read(data)
    assert doc[0].plain_text() == "x"
    assert any("1024 + 128" in d.message for d in doc.diagnostics)


# ---------------------------------------------------------------- timecode origin


def test_tcp_is_subtracted_when_in_use_and_added_back() -> None:
    data = stl(tti(b"x", tci=(10, 0, 1, 0), tco=(10, 0, 2, 0)), TCP="10000000")
    doc = read(data)
    assert (doc[0].start_ms, doc[0].end_ms) == (1000, 2000)
    assert doc.header["ebu_stl.timecode_origin"] == "10:00:00:00"
    written = render(doc)[0]
    assert written[1024 + 5 : 1024 + 9] == bytes([10, 0, 1, 0])
    assert written[256:264] == b"10000000"
    assert read(written).cues == doc.cues


def test_tcp_is_kept_when_subtitles_start_before_it_or_tcs_is_zero() -> None:
    early = read(stl(tti(b"x", tci=(0, 0, 1, 0)), TCP="10000000"))
    assert early[0].start_ms == 1000
    assert any("before TCP" in d.message for d in early.diagnostics)
    unused = read(stl(tti(b"x", tci=(10, 0, 1, 0), tco=(10, 0, 2, 0)), TCP="10000000", TCS="0"))
    assert unused[0].start_ms == 36_001_000


@pytest.mark.parametrize(
    ("origin", "start"),
    [("none", 36_001_000), ("tcp", 1000), ("09:00:00:00", 3_601_000), ("auto", 1000)],
)
def test_timecode_origin_option(origin: str, start: int) -> None:
    doc = read(stl(tti(b"x", tci=(10, 0, 1, 0), tco=(10, 0, 2, 0)), TCP="10000000"), timecode_origin=origin)
    assert doc[0].start_ms == start


def test_bad_options_are_config_errors() -> None:
    data = stl(tti(b"x"))
    with pytest.raises(ConfigError):
        read(data, timecode_origin="soon")
    with pytest.raises(ConfigError):
        read(data, fps="fast")
    with pytest.raises(ConfigError):
        render(Document(), fps="48")
    with pytest.raises(ConfigError):
        render(Document(), code_page="1252")
    with pytest.raises(ConfigError):
        render(Document(), language="xx-unknown")


def test_writer_timecode_origin_option() -> None:
    written = render(Document(cues=(cue("x"),)), timecode_origin="10:00:00:00")[0]
    assert written[256:264] == b"10000000"
    assert written[1024 + 5 : 1024 + 9] == bytes([10, 0, 1, 0])
    assert read(written)[0].start_ms == 1000


# ---------------------------------------------------------------- control codes


def test_teletext_colours_backgrounds_and_spaces() -> None:
    doc = read(stl(tti(b"  \x0d\x07\x0b\x0bHello\x01red \x02green\x07 white\x0a\x0a   \x8a\x8a"
                       b"\x0d\x04\x1d\x07\x0b\x0bon blue\x1cback")))
    assert doc[0].content == (
        Run("Hello "),
        Run("red ", RunStyle(color=RED)),
        Run("green", RunStyle(color=Color(r=0, g=255, b=0))),
        Run(" white"),
        LineBreak(),
        Run("on blue ", RunStyle(background=BLUE)),
        Run("back"),
    )
    assert doc[0].extra["ebu_stl.double_height"] == "1"
    assert read(render(doc)[0]).cues == doc.cues


def test_open_subtitle_codes_italic_underline_box() -> None:
    doc = read(stl(tti(b"\x84\x80Ital\x81ic \x82under\x83\x85\x8a\x80next row\x81"), DSC="0"))
    assert doc[0].content == (
        Run("Ital", RunStyle(italic=True)), Run("ic "), Run("under", RunStyle(underline=True)), LineBreak(),
        Run("next row", RunStyle(italic=True)),
    )
    assert doc[0].extra["ebu_stl.box"] == "1"
    written = render(doc)[0]
    assert written[11:12] == b"0"
    assert read(written).cues == doc.cues


def test_italic_lasts_across_rows_until_switched_off() -> None:
    doc = read(stl(tti(b"\x80one\x8atwo\x81 three")))
    assert doc[0].content == (Run("one", RunStyle(italic=True)), LineBreak(), Run("two", RunStyle(italic=True)),
                              Run(" three"))


def test_unmodelled_codes_stay_raw_and_are_written_back() -> None:
    doc = read(stl(tti(b"\x0b\x0bFlash\x08here\x09")))
    assert doc[0].content == (Run("Flash "), Raw("ebu_stl", "{08}"), Run("here"), Raw("ebu_stl", "{09}"))
    assert read(render(doc)[0]).cues == doc.cues
    srt = subkit.render(doc, "srt")
    assert "raw" in [loss.feature for loss in srt.losses]


def test_writer_reports_what_stl_cannot_say() -> None:
    doc = Document(cues=(
        Cue(start_ms=0, end_ms=1000, content=(Run("bold", RunStyle(bold=True)),)),
        Cue(start_ms=1000, end_ms=2000, content=(Run("ab"), Run("cd", RunStyle(color=RED)))),
        Cue(start_ms=2000, end_ms=3000, content=(Run("orange", RunStyle(color=Color(r=250, g=120, b=0))),)),
        cue("x" * 45, 3000, 4000),
        cue("\n".join("row" for _ in range(15)), 4000, 5000),
    ))  # fmt: skip
    _, losses = render(doc)
    assert losses == ["bold", "color", "row-length", "rows"]
    with pytest.raises(UnsupportedFeatureError):
        render(doc, strict=True)


def test_writer_fills_the_gsi_from_the_document_and_options() -> None:
    doc = Document(cues=(cue("Hallo"), cue("Welt", 3000, 4000)), language="de", title="Titel",
                   frame_rate=Fraction(30000, 1001))
    written, losses = render(doc, display_standard="0", max_chars="38" and 38, max_rows=11)
    assert losses == []
    assert written[0:16] == b"850STL30.01000" + b"08"
    assert written[16:21] == b"Titel"
    assert written[238:255] == b"00002000020013811"
    assert written[264:272] == b"00000100"
    back = read(written)
    assert (back.language, back.title, back.frame_rate) == ("de", "Titel", Fraction(30))
    assert written[1024 + 13] == 11  # one row at the bottom of 11


def test_writer_drops_negative_times_to_zero() -> None:
    written, losses = render(Document(cues=(cue("x", -2000, -1000),)))
    assert losses == ["negative-time"]
    assert read(written)[0].start_ms == 0


# ---------------------------------------------------------------- round trip property

#: Characters of the ISO 6937 table that survive a round trip, accents included.
STL_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,!?'-éèüçñÅŒøß♪“”"
TELETEXT = [None, RED, BLUE, Color(r=255, g=255, b=0), Color(r=0, g=255, b=255)]


@st.composite
def stl_documents(draw: st.DrawFn) -> Document:
    """Documents within what STL expresses, on the 25 fps frame grid."""
    cues = []
    frame = 0
    for _ in range(draw(st.integers(0, 5))):
        frame += draw(st.integers(0, 100))
        length = draw(st.integers(1, 200))
        lines = []
        for _ in range(draw(st.integers(1, 3))):
            runs: list[Run] = []
            for index in range(draw(st.integers(1, 3))):
                text = draw(words_text(STL_ALPHABET, max_size=10))
                style = RunStyle(
                    italic=draw(st.sampled_from([None, True])),
                    underline=draw(st.sampled_from([None, True])),
                    color=draw(st.sampled_from(TELETEXT)),
                )
                if runs and style == runs[-1].style:
                    continue
                if index and runs:  # a change of colour costs a cell: keep a space at the boundary
                    text = " " + text
                runs.append(Run(text, style))
            lines.append(runs)
        content: list[Any] = []
        for number, runs in enumerate(lines):
            if number:
                content.append(LineBreak())
            content.extend(runs)
        cues.append(Cue(
            start_ms=frame * 40, end_ms=(frame + length) * 40, content=tuple(content),
            placement=Placement(align=draw(st.sampled_from([None, 1, 3, 4, 5, 6, 7, 8, 9]))),
            comment=draw(st.booleans()),
        ))  # fmt: skip
        frame += length
    return Document(cues=tuple(cues), language=draw(st.sampled_from([None, "en", "fr"])),
                    title=draw(st.none() | words_text(STL_ALPHABET[:62], max_size=20)), frame_rate=Fraction(25))


@given(stl_documents(), st.sampled_from(["0", "1"]))
def test_round_trip_property(doc: Document, dsc: str) -> None:
    written, losses = render(doc, strict=True, display_standard=dsc)
    assert losses == []
    back = read(written, strict=True)
    assert len(back.cues) == len(doc.cues)
    for ours, theirs in zip(back.cues, doc.cues, strict=True):
        assert (ours.start_ms, ours.end_ms, ours.content, ours.placement, ours.comment) == (
            theirs.start_ms, theirs.end_ms, theirs.content, theirs.placement, theirs.comment)
    assert (back.language, back.title, back.frame_rate) == (doc.language, doc.title, doc.frame_rate)
    assert render(back)[0] == written  # and the STL written from the read document is the same


@example(b"\xec\xeb", "02")  # two Arabic marks out of canonical order
@given(st.binary(min_size=0, max_size=112 * 2), st.sampled_from(list(_iso6937.CHARSETS)))
def test_text_field_decoder_is_stable(tf: bytes, cct: str) -> None:
    """Whatever a text field holds, decoding, encoding and decoding again gives the same content."""
    charset = _iso6937.CHARSETS[cct]
    decoded = _stl_text.decode_text_field(tf, charset)
    for double in (False, True):
        encoded = _stl_text.encode_rows(decoded.content, charset, teletext=True, double_height=double, boxed=False)
        assert _stl_text.decode_text_field(encoded.data, charset).content == decoded.content


@given(st.binary(min_size=1024, max_size=1600))
def test_reader_only_raises_parse_errors(noise: bytes) -> None:
    data = noise[:3] + b"STL25.01" + noise[11:]
    for strict in (False, True):
        try:
            doc = read(data, strict=strict)
        except ParseError as exc:
            assert exc.line is not None
            continue
        assert isinstance(doc, Document)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            subkit.dumps(doc, "ebu_stl")


# ---------------------------------------------------------------- golden fixtures


def check_snapshot(path: Path, actual: str) -> None:
    golden.check_text(path, actual)


@pytest.mark.parametrize("source", sorted(FIXTURES.glob("*.stl")), ids=lambda p: p.stem)
def test_golden(source: Path) -> None:
    doc = subkit.load(source)
    assert doc.source_format == "ebu_stl"
    doc = doc.replace(diagnostics=tuple(dataclasses.replace(d, source=None) for d in doc.diagnostics))
    check_snapshot(source.with_suffix(".subkit.json"), str(subkit.dumps(doc, "subkit_json")))
    written, _ = render(doc)
    expected = source.with_name(source.name + ".out")
    golden.check_bytes(expected, written)
    assert read(written).cues == doc.cues


def test_fixture_builder_matches_the_fixtures() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.teletext() == (FIXTURES / "teletext.stl").read_bytes()
    assert module.open_subtitles() == (FIXTURES / "open.stl").read_bytes()
    assert module.greek() == (FIXTURES / "greek.stl").read_bytes()


# ---------------------------------------------------------------- corpus


def corpus_files() -> list[str]:
    index = CORPUS / "index.tsv"
    if not index.is_file():
        return []
    with index.open(encoding="utf-8") as handle:
        return [row["path"] for row in csv.DictReader(handle, delimiter="\t") if row["format"] == "ebu-stl"]


STL_CORPUS = corpus_files()


@pytest.mark.parametrize("path", STL_CORPUS or ["<absent>"])
def test_corpus_file_loads_and_round_trips(path: str) -> None:
    if not STL_CORPUS:
        pytest.skip("shared corpus not available")
    file = CORPUS / path
    doc = subkit.load(file, format="ebu_stl")  # detection is checked by tests/test_corpus.py
    assert doc.cues
    written, _ = render(doc)
    back = read(written)
    assert [(c.start_ms, c.end_ms, c.content, c.placement, c.comment, c.extra) for c in back.cues] == [
        (c.start_ms, c.end_ms, c.content, c.placement, c.comment, c.extra) for c in doc.cues
    ]
    assert render(back)[0] == written


def test_webvtt_line_settings_choose_the_nearest_third() -> None:
    doc = Document(cues=(
        cue("top", placement=Placement(line=0.0)),
        cue("bottom", placement=Placement(line=-1.0)),
        cue("middle", placement=Placement(line=50.0, snap_to_lines=False, text_align="left")),
    ))  # fmt: skip
    written, losses = render(doc)
    assert losses == ["line"]
    assert [c.placement.align for c in read(written)] == [8, None, 4]


def test_blank_display_standard_is_kept() -> None:
    doc = read(stl(tti(b"x"), DSC=" "))
    assert doc.header["ebu_stl.DSC"] == " "
    assert render(doc)[0][11:12] == b" "
    assert render(Document(cues=(cue("x"),)))[0][11:12] == b"1"  # teletext for documents from elsewhere


def test_unjustified_rows_are_centred_with_spaces_on_writing() -> None:
    doc = read(stl(tti(b"\x0d\x0b\x0bShort", jc=0)))
    assert doc[0].plain_text() == "Short"
    written = render(doc)[0]
    text = written[1024 + 16 :].rstrip(b"\x8f")
    assert text == b" " * 16 + b"\x0d\x0b\x0bShort"  # (40 - 8 cells) / 2
    assert read(written).cues == doc.cues
