"""MCC reader and writer: header, letters, CDPs, 608 captions through the shared decoder."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import subkit
from subkit.errors import ConfigError, ParseError, UnsupportedFeatureError
from subkit.formats import mcc
from subkit.formats._cdp import CC_COUNT, LETTERS, LineWriter, build_anc, compress, expand, parse_anc
from subkit.model import Cue, Document, Run, RunStyle
from subkit.timing import FPS_29_97, FPS_59_94, frames_to_ms

from .test_scc import FIXTURES, MEDIA, check_golden, dump_captions, normalised, plain_cue, pop_on_documents

CREATED = "2026-11-21T12:00:00"


def read(text: str, **options: Any) -> Document:
    return subkit.loads(text, format="mcc", **options)


def render(doc: Document, **options: Any) -> tuple[str, list[str]]:
    result = subkit.render(doc, "mcc", created=CREATED, **options)
    return str(result.data), [loss.feature for loss in result.losses]


def frames(n: int, fps: Fraction = FPS_29_97) -> int:
    return frames_to_ms(n, fps)


def mcc_file(*lines: str, rate: str = "30DF") -> str:
    head = f"File Format=MacCaption_MCC V1.0\n\n{mcc.COMMENT_BLOCK}\n\nUUID=X\nTime Code Rate={rate}\n\n"
    return head + "\n".join(lines) + "\n"


def cdp_line(tc: str, counter: int, pair: tuple[int, int] | None) -> str:
    return f"{tc}\t{LineWriter(4).line(counter, pair)}"


# ------------------------------------------------------------------ letters and CDPs


def test_letters_expand_and_compress() -> None:
    assert expand("GHO", []) == bytes.fromhex("fa0000" * 12)
    assert expand("PQRSTUZ", []) == bytes.fromhex("fb8080fc8080fd80809669610 1e100000000".replace(" ", ""))
    problems: list[str] = []
    assert expand("V0", problems) == bytes.fromhex("fc8080") and len(problems) == 2
    data = bytes.fromhex("6101" + "9669" + "fa0000" * 10 + "e1000000" + "0000" + "ff00fa")
    text = compress(data)
    assert "U" not in text and expand(text, []) == data
    assert text.startswith("TSOG") and set(LETTERS) >= set(c for c in text if c.isalpha() and c > "F")


def test_compression_stays_on_byte_boundaries() -> None:
    # "F0 0A" must not become "F" + "Z" + "A": the 00 it contains spans two bytes.
    assert compress(bytes.fromhex("f00a")) == "F00A"
    assert compress(bytes.fromhex("0fa00000")) == "0FA0ZZ"


def test_cdp_build_and_parse() -> None:
    packet = build_anc(4, 300, [(0, 0x94, 0x20)], bytes.fromhex("01020304"))
    cdp = parse_anc(packet)
    assert cdp.problems == [] and cdp.counter == 300 and cdp.rate_code == 4
    assert cdp.pairs608[0] == (1, 0x94, 0x20)
    assert packet[0:2] == b"\x61\x01" and sum(packet[3:-1]) % 256 == 0
    assert sum(packet[:-1]) % 256 == packet[-1]
    for code, count in CC_COUNT.items():
        assert parse_anc(build_anc(code, 0, [], None)).problems == [] and count in (10, 12, 20, 24, 25)


def test_cdp_problems_are_found() -> None:
    good = bytearray(build_anc(4, 9, [(0, 0x94, 0x20)], None))
    bad = bytearray(good)
    bad[-2] ^= 1  # the CDP checksum
    assert "CDP checksum error" in parse_anc(bytes(bad)).problems
    bad = bytearray(good)
    bad[-3] ^= 1  # footer counter
    assert any("counter" in p for p in parse_anc(bytes(bad)).problems)
    bad = bytearray(good)
    bad[-1] ^= 1
    assert parse_anc(bytes(bad)).problems == ["ANC checksum error"]
    assert parse_anc(b"\x61\x02\x03\x80\x94\x20\x00").pairs608 == [(1, 0x94, 0x20)]
    assert parse_anc(b"\x41\x05\x00").problems


def test_dtvcc_triplets_are_counted_not_decoded() -> None:
    packet = build_anc(4, 0, [(0, 0x80, 0x80), (3, 0x02, 0x21), (2, 0x10, 0x20)], None)
    cdp = parse_anc(packet)
    assert cdp.dtvcc == 2


# ------------------------------------------------------------------ reader


def caption_lines(start: int, message_pairs: list[tuple[int, int]], counter: int = 0) -> list[str]:
    lines = []
    for offset, pair in enumerate(message_pairs):
        tc = subkit.timing.format_timecode(start + offset, FPS_29_97, drop_frame=True).replace(";", ":")
        lines.append(cdp_line(tc, counter + offset, pair))
    return lines


HI = [(0x94, 0x20), (0x94, 0x20), (0x94, 0xD0), (0x94, 0xD0), (0xC8, 0xE9), (0x94, 0x2F), (0x94, 0x2F)]


def test_reader_decodes_608_pairs_per_frame() -> None:
    lines = caption_lines(30, HI) + caption_lines(90, [(0x94, 0x2C), (0x94, 0x2C)], 10)
    doc = read(mcc_file(*lines))
    (cue,) = doc.cues
    assert (cue.start_ms, cue.end_ms, cue.plain_text()) == (frames(35), frames(90), "Hi")
    assert doc.frame_rate == FPS_29_97 and doc.drop_frame
    assert doc.header["mcc.UUID"] == "X" and doc.header["mcc.File Format"] == "MacCaption_MCC V1.0"
    assert doc.diagnostics == ()


def test_header_rates() -> None:
    lines = caption_lines(30, HI)
    doc = read(mcc_file(*lines, rate="30"))
    assert not doc.drop_frame and doc.frame_rate == FPS_29_97
    assert read(mcc_file(*lines), fps="30").frame_rate == 30


FPS_FORMS = [("25", Fraction(25)), ("29.97", Fraction(30000, 1001)), ("30000/1001", Fraction(30000, 1001)),
             (23.976, Fraction(24000, 1001)), (Fraction(24000, 1001), Fraction(24000, 1001))]


@pytest.mark.parametrize(("fps", "rate"), FPS_FORMS)
def test_fps_takes_strings_floats_and_fractions(fps: str | float | Fraction, rate: Fraction) -> None:
    doc = read(mcc_file(*caption_lines(30, HI)), fps=fps)
    assert doc.frame_rate == rate
    text, _ = render(doc.replace(frame_rate=None), fps=fps)
    assert read(text).frame_rate == rate
    with pytest.raises(ConfigError):
        render(doc, fps="fast")


def test_field_two_channel() -> None:
    lines = []
    for offset, pair in enumerate(HI):
        packet = build_anc(4, offset, [(1, *pair)], None)
        lines.append(f"00:00:01:{offset:02d}\t{compress(packet)}")
    assert read(mcc_file(*lines)).cues == ()
    assert [c.plain_text() for c in read(mcc_file(*lines), channel=3)] == ["Hi"]


def test_lenient_fixture_and_strict_mode() -> None:
    doc = subkit.load(FIXTURES / "mcc" / "lenient.mcc", format="mcc")
    messages = [(d.line, d.message) for d in doc.diagnostics]
    assert messages[0][0] == 2 and "File Format" in messages[0][1]
    assert {"ANC checksum error", "CDP checksum error"} <= {m for _, m in messages}
    assert any("odd number" in m for _, m in messages)
    assert len(doc.cues) == 4
    with pytest.raises(ParseError) as error:
        subkit.load(FIXTURES / "mcc" / "lenient.mcc", format="mcc", strict=True)
    assert error.value.line == 2


def test_not_mcc_and_empty() -> None:
    assert read("").cues == ()
    with pytest.raises(ParseError):
        read("File Format=MacCaption_MCC V1.0\n\nrandom words here\n")
    with pytest.raises(ConfigError):
        read(mcc_file(), channel=9)
    assert mcc.sniff("File Format=MacCaption_MCC V2.0\n") and not mcc.sniff("Scenarist_SCC V1.0")


def test_dtvcc_diagnostic_option() -> None:
    packet = build_anc(4, 0, [(0, 0x80, 0x80), (3, 0x02, 0x21)], None)
    text = mcc_file(f"00:00:01:00\t{compress(packet)}")
    assert "DTVCC" in read(text).diagnostics[0].message
    assert read(text, dtvcc="ignore").diagnostics == ()
    with pytest.raises(ParseError, match="DTVCC"):
        read(text, strict=True)
    assert read(text, strict=True, dtvcc="ignore").cues == ()


# ------------------------------------------------------------------ writer


def test_writer_header_and_lines() -> None:
    doc = Document(cues=(plain_cue(frames(120), frames(200), "Hello"),))
    text, losses = render(doc)
    assert losses == []
    head, _, body = text.partition("Time Code Rate=30DF\n\n")
    assert head.startswith("File Format=MacCaption_MCC V1.0\n\n///")
    assert "This entire descriptive information text is included" in head
    assert "Creation Date=Saturday, November 21, 2026\nCreation Time=12:00:00" in head
    lines = body.splitlines()
    assert all("\t" in line and "U" not in line.split("\t")[1] for line in lines)
    counters = [parse_anc(expand(line.split("\t")[1], [])).counter for line in lines]
    assert counters == list(range(len(lines)))
    assert all(parse_anc(expand(line.split("\t")[1], [])).problems == [] for line in lines)
    assert read(text).cues[0].start_ms == frames(120)


def test_writer_options() -> None:
    doc = Document(cues=(plain_cue(frames(120), frames(200), "Hello"),))
    sparse, _ = render(doc, fill=False)
    full, _ = render(doc)
    assert len(sparse.splitlines()) < len(full.splitlines())
    assert [c.start_ms for c in read(sparse)] == [c.start_ms for c in read(full)]
    v2, _ = render(doc, version="2.0", fps="59.94")
    assert v2.startswith("File Format=MacCaption_MCC V2.0") and "Time Code Rate=60DF" in v2
    back = read(v2)
    assert back.frame_rate == FPS_59_94 and back.cues[0].plain_text() == "Hello"
    with pytest.raises(ConfigError):
        render(doc, version="3.0")
    bold = Document(cues=(Cue(start_ms=frames(120), end_ms=frames(200), content=(Run("b", RunStyle(bold=True)),)),))
    with pytest.raises(UnsupportedFeatureError):
        subkit.render(bold, "mcc", strict=True, created=CREATED)


@pytest.mark.parametrize("drop_frame", [True, False])
def test_long_round_trip_is_frame_exact(drop_frame: bool) -> None:
    # 10 minutes of captions at 29.97 with a CDP on every frame (18,000 lines).
    cues = tuple(plain_cue(frames(150 + n * 180), frames(150 + n * 180 + 150), f"Caption {n}") for n in range(100))
    doc = Document(cues=cues, frame_rate=FPS_29_97, drop_frame=drop_frame)
    text, losses = render(doc)
    assert losses == []
    back = read(text)
    assert back.drop_frame == drop_frame
    expected = [(c.start_ms, c.end_ms, c.plain_text()) for c in cues]
    assert [(c.start_ms, c.end_ms, c.plain_text()) for c in back] == expected


@given(pop_on_documents())
def test_round_trip_property(doc: Document) -> None:
    """Documents within 608's limits -> MCC -> the same cues."""
    text, losses = render(doc, fill=False)
    assert losses == []
    back = read(text)
    assert [(c.start_ms, c.end_ms, c.content, c.caption_mode) for c in back] == [
        (c.start_ms, c.end_ms, c.content, c.caption_mode) for c in doc]
    assert back.diagnostics == ()


def test_scc_and_mcc_agree() -> None:
    doc = subkit.load(FIXTURES / "scc" / "popon.scc")
    assert read(render(doc)[0]).cues == doc.cues


@pytest.mark.parametrize("source", sorted((FIXTURES / "mcc").glob("*.mcc")), ids=lambda p: p.stem)
def test_golden(source: Path) -> None:
    check_golden(source, "mcc")


# ------------------------------------------------------------------ corpus


@pytest.mark.parametrize(
    ("name", "dump", "channel"),
    [
        ("NightOfTheLivingDead.mcc", "NightOfTheLivingDead-C1.608", 1),
        ("BigBuckBunny_256x144-24fps.mcc", "BigBuckBunny_256x144-24fps-C1.608", 1),
    ],
)
def test_caption_inspector_dumps(name: str, dump: str, channel: int) -> None:
    if not MEDIA.is_dir():
        pytest.skip("shared corpus not available")
    doc = subkit.load(MEDIA / name, channel=channel)
    assert normalised(doc) == dump_captions(MEDIA / dump)


def test_bigbuckbunny_flaws_are_reported_not_fatal() -> None:
    if not MEDIA.is_dir():
        pytest.skip("shared corpus not available")
    doc = subkit.load(MEDIA / "BigBuckBunny_256x144-24fps.mcc")
    assert doc.frame_rate == Fraction(24000, 1001)
    messages = {d.message for d in doc.diagnostics}
    assert "CDP checksum error" in messages and any("DTVCC" in m for m in messages)
    assert len(doc.diagnostics) < 50  # repeated flaws are listed a few times, then summarised


# ------------------------------------------------------------------ robustness

TOKENS = ["File Format=MacCaption_MCC V1.0", "Time Code Rate=30DF", "\n", "\t", "00:00:01:00", "00:00:01;00",
          "T", "S", "49", "4F", "43", "ZZ", "72", "F4", "FC", "9420", "942F", "R", "O", "74", "AB", "U", "V", "X"]
noise = st.lists(st.sampled_from(TOKENS) | st.text(max_size=4), max_size=60).map("".join)


@given(text=noise, strict=st.booleans())
def test_reader_only_raises_parse_errors(text: str, strict: bool) -> None:
    try:
        doc = read(text, strict=strict)
    except ParseError as exc:
        assert exc.format == "mcc"
        return
    assert isinstance(doc, Document)


def test_cc3_matches_the_dump_except_extended_characters() -> None:
    """CC3 of Big Buck Bunny: the dump shows the extended characters as codes; the decoder applies them."""
    if not MEDIA.is_dir():
        pytest.skip("shared corpus not available")
    ours = normalised(subkit.load(MEDIA / "BigBuckBunny_256x144-24fps.mcc", channel=3))
    theirs = dump_captions(MEDIA / "BigBuckBunny_256x144-24fps-C3.608")
    differing = [(a, b) for a, b in zip(ours, theirs, strict=True) if a != b]
    assert len(differing) == 3
    assert differing[0] == ("YO\nGANO,\nNOS DAMOS AÍ.", "YO\nGANO,\nNOS DAMOS AL\n.")  # "L", then Í replacing it
    assert all(any(c in a for c in "ÍÓ¿") for a, _ in differing)


def test_disassembler_lists_608_pairs() -> None:
    text, _ = render(Document(cues=(plain_cue(frames(120), frames(200), "Hi"),)))
    listing = [str(item) for item in mcc.disassemble(text)]
    assert listing[0].endswith("9420  RCL (CC1, field 1)") and listing[1].endswith("9420  RCL (CC1, field 1)")
    assert any('"Hi"' in line for line in listing) and listing[-1].endswith("942c  EDM (CC1, field 1)")
    packet = build_anc(4, 0, [(1, 0x94, 0x2C), (3, 0x02, 0x21)], None)
    assert [str(i) for i in mcc.disassemble(mcc_file(f"00:00:01:00\t{compress(packet)}"))] == [
        "00:00:01:00  942c  EDM (CC3, field 2)", "00:00:01:00    1 DTVCC triplets"]
