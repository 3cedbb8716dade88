"""Cheetah CAP reader and writer (layout as Subtitle Edit reads and writes it)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import subkit
from subkit import formats
from subkit.errors import ParseError, UnsupportedFeatureError
from subkit.formats import cheetah_cap
from subkit.model import Cue, Document, LineBreak, Placement, Raw, Run, RunStyle, content_from_text
from subkit.timing import frames_to_ms
from tests import golden

from ..strategies import words_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "cheetah_cap"
ITALIC = RunStyle(italic=True)
NTSC = Fraction(30000, 1001)


def header(count: int) -> bytes:
    return bytes([0xEA, 0x22, 0x01, 0x00, count & 0xFF, count >> 8, 0x09, 0xA8, 0xAF, 0x4F]) + bytes(118)


def record(start: tuple[int, ...], end: tuple[int, ...] | None, text: bytes, *, justify: int = 3, row: int = 0x0F,
           column: int = 0x10, kind: int | None = None) -> bytes:
    """A caption record: with an end time (type 61/62) or without (41/42, end 02:01:00:00)."""
    multi = 2 if b"\x00" in text else 1
    if end is None:
        body = bytes([(kind or 0x40 | multi), *start, 2, 1, 0, 0, 0, 0, justify, row, column]) + text + b"\x00"
    else:
        body = bytes([(kind or 0x60 | multi), *start, *end, 0x12, 1, 0, 0, 0, 0, justify, row, column]) + text
        body += b"\x00"
    return bytes([len(body) + 1]) + body


def sample() -> bytes:
    return header(3) + b"".join([
        record((0, 0, 1, 0), (0, 0, 2, 15), b"Hello \x81\x00\x00\x00\x00\xd0in italics", row=1, column=0x03),
        record((0, 0, 3, 0), None, b"No end: na\x8fo \x82t\x8e", justify=2, row=8),
        record((0, 0, 5, 0), (0, 0, 6, 0), b"Last\x05one"),
    ])  # fmt: skip


def read(data: bytes, **options: Any) -> Document:
    return subkit.loads(data, format="cheetah_cap", **options)


def render(doc: Document, **options: Any) -> tuple[bytes, list[str]]:
    result = subkit.render(doc, "cheetah_cap", **options)
    assert isinstance(result.data, bytes)
    return result.data, [loss.feature for loss in result.losses]


def test_sniff_and_detect() -> None:
    data = sample()
    assert cheetah_cap.sniff(data)
    assert not cheetah_cap.sniff(data[:100])
    assert not cheetah_cap.sniff(b"\xea\x22\x07" + data[3:])
    assert formats.detect(data, "x.cap").name == "cheetah_cap"


def test_read_records_text_and_placement() -> None:
    doc = read(sample())
    assert [d.line for d in doc.diagnostics] == [3]  # the unknown code 05
    assert doc.frame_rate == NTSC
    first, second, third = doc.cues
    assert first.content == (Run("Hello ♪"), LineBreak(), Run("in italics", ITALIC))
    assert (first.start_ms, first.end_ms) == (1001, frames_to_ms(75, NTSC))
    assert first.placement == Placement(align=7)
    assert second.plain_text() == "No end: naño átÑ"
    assert second.end_ms == third.start_ms  # no end time: until the next caption
    assert second.extra["cheetah_cap.end"] == "unset"
    assert second.placement == Placement(align=6)
    assert third.content == (Run("Last"), Raw("cheetah_cap", "{05}"), Run("one"))
    assert third.placement == Placement()  # bottom centre: the default


def test_round_trip_of_the_sample_keeps_every_record_layout() -> None:
    doc = read(sample())
    written, losses = render(doc)
    assert losses == []
    assert read(written).cues == doc.cues
    assert written[128 + 1] == 0x62  # two lines, with an end
    second = 128 + written[128]
    assert written[second + 1] == 0x41  # one line, no end time


def test_last_caption_without_end_lasts_the_configured_time() -> None:
    doc = read(header(1) + record((0, 0, 1, 0), None, b"alone"), last_duration_ms=1500)
    assert doc[0].end_ms == doc[0].start_ms + 1500


FPS_FORMS = [("25", Fraction(25)), ("29.97", Fraction(30000, 1001)), ("30000/1001", Fraction(30000, 1001)),
             (23.976, Fraction(24000, 1001)), (Fraction(24000, 1001), Fraction(24000, 1001))]


@pytest.mark.parametrize(("fps", "rate"), FPS_FORMS)
def test_fps_takes_strings_floats_and_fractions(fps: str | float | Fraction, rate: Fraction) -> None:
    doc = read(header(1) + record((0, 0, 1, 15), (0, 0, 2, 0), b"x"), fps=fps)
    assert doc.frame_rate == rate
    nominal = round(rate)
    assert (doc[0].start_ms, doc[0].end_ms) == (frames_to_ms(nominal + 15, rate), frames_to_ms(2 * nominal, rate))
    data, _ = render(doc.replace(frame_rate=None), fps=fps)
    back = read(data, fps=fps)
    assert (back[0].start_ms, back[0].end_ms) == (doc[0].start_ms, doc[0].end_ms)


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (header(1) + bytes([10, 0x61, 0, 0, 1, 0, 0, 0, 2, 0]), 1, "too short"),
        (header(1) + record((0, 0, 1, 0), (0, 0, 2, 0), b"odd", kind=0x70), 1, "unknown record type"),
        (header(1) + record((0, 0, 3, 0), (0, 0, 2, 0), b"backwards"), 1, "ends before"),
        (header(1) + record((0, 0, 1, 40), (0, 0, 2, 0), b"frames"), 1, "out of range"),
        (header(1) + record((0, 0, 1, 0), (0, 0, 2, 0), b"code\xf5"), 1, "unknown code"),
        (header(5) + record((0, 0, 1, 0), (0, 0, 2, 0), b"count"), 0, "says 5 captions"),
    ],
)
def test_flaws_are_diagnosed_and_strict_raises_with_the_record_number(data: bytes, line: int, words: str) -> None:
    doc = read(data)
    assert any(words in d.message and d.line == line for d in doc.diagnostics)
    with pytest.raises(ParseError) as info:
        read(data, strict=True)
    assert info.value.line == line


def test_not_cap_fails() -> None:
    with pytest.raises(ParseError):
        read(b"\x00" * 300)
    assert read(b"").cues == ()


def test_writer_reports_losses() -> None:
    doc = Document(cues=(
        Cue(start_ms=0, end_ms=1000, content=(Run("bold", RunStyle(bold=True)),)),
        Cue(start_ms=1000, end_ms=2000, content=(Run("it", ITALIC), Run(" then plain"))),
        Cue(start_ms=2000, end_ms=3000, content=content_from_text("漢字")),
        Cue(start_ms=3000, end_ms=4000, content=content_from_text("x" * 300)),
    ))  # fmt: skip
    _, losses = render(doc)
    assert losses == ["bold", "italic", "charset", "text-length"]
    with pytest.raises(UnsupportedFeatureError):
        render(doc, strict=True)


CAP_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,!?'-♪áéíóúñÑç¢£¿½®"


@st.composite
def cap_documents(draw: st.DrawFn) -> Document:
    cues = []
    frame = 0
    for _ in range(draw(st.integers(0, 5))):
        frame += draw(st.integers(0, 60))
        length = draw(st.integers(1, 150))
        content: list[Any] = []
        for number in range(draw(st.integers(1, 3))):
            if number:
                content.append(LineBreak())
            plain = draw(st.none() | words_text(CAP_ALPHABET, max_size=12))
            italic = draw(st.none() | words_text(CAP_ALPHABET, max_size=12))
            if plain is None and italic is None:
                plain = "x"
            if plain is not None:
                content.append(Run(plain + (" " if italic else "")))
            if italic is not None:
                content.append(Run(italic, ITALIC))
        align = draw(st.sampled_from([None, 1, 3, 4, 5, 6, 7, 8, 9]))
        cues.append(Cue(start_ms=frames_to_ms(frame, NTSC), end_ms=frames_to_ms(frame + length, NTSC),
                        content=tuple(content), placement=Placement(align=align) if align else Placement()))
        frame += length
    return Document(cues=tuple(cues), frame_rate=NTSC)


@given(cap_documents())
def test_round_trip_property(doc: Document) -> None:
    written, losses = render(doc, strict=True)
    assert losses == []
    back = read(written, strict=True)
    assert [(c.start_ms, c.end_ms, c.content, c.placement) for c in back.cues] == [
        (c.start_ms, c.end_ms, c.content, c.placement) for c in doc.cues
    ]
    assert render(back)[0] == written


@given(st.binary(min_size=0, max_size=400))
def test_reader_only_raises_parse_errors(noise: bytes) -> None:
    data = bytes([0xEA, 0x22, 0x01]) + bytes(125) + noise
    for strict in (False, True):
        try:
            doc = read(data, strict=strict)
        except ParseError as exc:
            assert exc.line is not None
            continue
        render(doc)


def test_golden() -> None:
    source = FIXTURES / "sample.cap"
    golden.check_bytes(source, sample())
    doc = subkit.load(source)
    assert doc.source_format == "cheetah_cap"
    snapshot = str(subkit.dumps(doc.replace(diagnostics=()), "subkit_json"))
    expected = FIXTURES / "sample.subkit.json"
    golden.check_text(expected, snapshot)
    out = FIXTURES / "sample.cap.out"
    written, _ = render(doc)
    golden.check_bytes(out, written)


def test_writer_leaves_comment_cues_out() -> None:
    doc = Document(cues=(
        Cue(start_ms=1000, end_ms=2000, content=content_from_text("shown")),
        Cue(start_ms=2000, end_ms=3000, content=content_from_text("note to self"), comment=True),
        Cue(start_ms=3000, end_ms=4000, content=content_from_text("last")),
    ))  # fmt: skip
    written, losses = render(doc)
    assert losses == ["comment"]
    assert written[4] == 2  # the record count in the header
    assert [cue.plain_text() for cue in read(written).cues] == ["shown", "last"]
