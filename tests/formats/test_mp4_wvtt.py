"""mp4_wvtt: WebVTT in fragmented MP4 (ISO/IEC 14496-30), the box layout, every reading trap, round trips."""

from __future__ import annotations

import struct
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import subkit
from subkit.errors import ParseError
from subkit.formats import _mp4, detect
from subkit.model import Cue, Document, content_from_text

from ..strategies import words_text
from . import mp4_crafting as craft


def _doc(*cues: tuple[int, int, str]) -> Document:
    return Document(cues=tuple(Cue(start_ms=a, end_ms=b, content=content_from_text(t)) for a, b, t in cues))


def _triples(doc: Document) -> list[tuple[int, int, str]]:
    return [(c.start_ms, c.end_ms, c.plain_text()) for c in doc.cues]


def _key(cue: Cue) -> tuple[int, int, str]:
    # Cues with the same times may come back in another order: their text orders them too.
    return cue.start_ms, cue.end_ms, cue.plain_text()


def _samples(data: bytes) -> list[tuple[int, int, bytes]]:
    track = _mp4.read_track(data, lambda codec: codec == "wvtt", assume_codec="wvtt")
    return [(s.time, s.duration, s.data) for s in track.samples]


def _dumps(doc: Document, **options: Any) -> bytes:
    data = subkit.dumps(doc, "mp4_wvtt", **options)
    assert isinstance(data, bytes)
    return data


# -- layout -----------------------------------------------------------------------


def test_mp4_wvtt_layout_has_init_and_fragment_boxes() -> None:
    data = _dumps(_doc((1000, 2000, "Hi")), language="fr", label="source")
    top = [b.type for b in _mp4.walk(data)]
    assert top == ["ftyp", "moov", "moof", "mdat"]
    moov = next(b for b in _mp4.walk(data) if b.type == "moov")
    mdhd = _mp4.find(data, moov, "trak/mdia/mdhd")
    hdlr = _mp4.find(data, moov, "trak/mdia/hdlr")
    entry = _mp4.find(data, moov, "trak/mdia/minf/stbl/stsd")
    assert mdhd is not None and hdlr is not None and entry is not None
    assert data[hdlr.start + 8 : hdlr.start + 12] == b"text"
    assert _mp4.find(data, moov, "trak/mdia/minf/nmhd") is not None
    assert _mp4.find(data, moov, "mvex/trex") is not None
    track = _mp4.read_track(data, lambda codec: codec == "wvtt", assume_codec="wvtt")
    assert track.timescale == 1000 and track.language == "fr" and track.handler == "text"
    assert track.entries[0].boxes["vttC"] == b"WEBVTT" and track.entries[0].boxes["vlab"] == b"source"


def test_mp4_wvtt_overlapping_cues_become_non_overlapping_samples() -> None:
    data = _dumps(_doc((1000, 4000, "A"), (2000, 3000, "B"), (5000, 6000, "C")))
    samples = _samples(data)
    assert [(t, d) for t, d, _ in samples] == [(0, 1000), (1000, 1000), (2000, 1000), (3000, 1000), (4000, 1000),
                                              (5000, 1000)]
    assert samples[0][2] == craft.VTTE and samples[4][2] == craft.VTTE
    assert samples[2][2] == craft.vttc("A") + craft.vttc("B")
    assert samples[1][2] == samples[3][2] == craft.vttc("A")
    assert _triples(subkit.loads(data)) == [(1000, 4000, "A"), (2000, 3000, "B"), (5000, 6000, "C")]


def test_mp4_wvtt_cue_spanning_fragments_is_split_into_samples_and_read_back_whole() -> None:
    doc = _doc((1500, 7500, "long"), (8000, 9000, "x"))
    data = _dumps(doc, fragment_seconds=3)
    assert [b.type for b in _mp4.walk(data)].count("moof") == 3
    spans = [(t, d) for t, d, payload in _samples(data) if payload != craft.VTTE]
    assert spans == [(1500, 1500), (3000, 3000), (6000, 1500), (8000, 1000)]
    assert _triples(subkit.loads(data)) == [(1500, 7500, "long"), (8000, 9000, "x")]


def test_mp4_wvtt_identical_cues_back_to_back_stay_two_cues() -> None:
    doc = _doc((1000, 2000, "Thank you."), (2000, 3000, "Thank you."), (3000, 3500, "Thank you."))
    data = _dumps(doc)
    assert b"ctim" in data
    assert _triples(subkit.loads(data)) == _triples(doc)


def test_mp4_wvtt_keeps_ids_settings_styles_and_regions() -> None:
    text = ("WEBVTT\n\nSTYLE\n::cue(.loud) { color: red }\n\nREGION\nid:r1\nwidth:40%\n\n"
            "intro\n00:00:01.000 --> 00:00:02.000 region:r1 align:left\n<c.loud>Hey</c> <i>you</i>\n")
    doc = subkit.loads(text, format="webvtt")
    back = subkit.loads(_dumps(doc))
    assert back.cues == doc.cues
    assert back.stylesheets == doc.stylesheets and back.regions == doc.regions


def test_mp4_wvtt_timescale_other_than_milliseconds() -> None:
    doc = _doc((1001, 2002, "a"), (3003, 4004, "b"))
    for timescale in (90000, 44100):
        data = _dumps(doc, timescale=timescale)
        assert _mp4.read_track(data, lambda c: True, assume_codec="wvtt").timescale == timescale
        assert _triples(subkit.loads(data)) == _triples(doc)


def test_mp4_wvtt_zero_length_cue_gets_a_zero_duration_sample() -> None:
    doc = _doc((1000, 1000, "blink"), (0, 3000, "around"), (3000, 3000, "end"))
    result = subkit.render(doc, "mp4_wvtt")
    assert not result.losses and isinstance(result.data, bytes)
    samples = _samples(result.data)
    assert (1000, 0, craft.vttc("blink")) in samples and (3000, 0, craft.vttc("end")) in samples
    assert [(t, d) for t, d, _ in samples] == [(0, 1000), (1000, 0), (1000, 2000), (3000, 0), (3000, 1)]
    assert sorted(_triples(subkit.loads(result.data))) == sorted(_triples(doc))


def test_mp4_wvtt_is_detected_and_not_confused_with_stpp() -> None:
    data = _dumps(_doc((0, 1000, "a")))
    assert detect(data).name == "mp4_wvtt"
    segment = data[len(data) - len(data.split(b"moof")[-1]) - 8 :]
    assert segment[4:8] == b"moof"
    assert detect(segment).name == "mp4_wvtt"
    assert subkit.formats.get("wvtt").name == "mp4_wvtt"


# -- traps ------------------------------------------------------------------------


def _cue_file(init: bytes, fragments: list[bytes]) -> Document:
    return subkit.loads(init + b"".join(fragments), format="mp4_wvtt")


def test_trap_timescale_comes_from_mdhd_not_mvhd() -> None:
    # mvhd says 600 ticks a second, mdhd 1000: reading mvhd's would put cues 5/3 too late.
    init = craft.init(craft.wvtt_entry(), mvhd_timescale=600, mdhd_timescale=1000)
    frag = craft.fragment([(3000, craft.vttc("Hi"))], decode_time=3000)
    assert _triples(_cue_file(init, [frag])) == [(3000, 6000, "Hi")]
    init = craft.init(craft.wvtt_entry(), mvhd_timescale=1000, mdhd_timescale=90000, mdhd_version=1)
    frag = craft.fragment([(90000, craft.vttc("Hi"))], decode_time=180000)
    assert _triples(_cue_file(init, [frag])) == [(2000, 3000, "Hi")]


def test_trap_trex_defaults_give_duration_and_size() -> None:
    samples = [craft.vttc("A"), craft.vttc("B"), craft.vttc("C")]
    size = len(samples[0])
    init = craft.init(craft.wvtt_entry(), trex=(1, 2000, size))

    def build(offset: int) -> bytes:
        run = craft.trun([(None, None)] * 3, data_offset=offset)
        return craft.moof(1, [craft.traf(1, [run], decode_time=1000)])

    head = build(len(build(0)) + 8)
    doc = _cue_file(init, [head + _mp4.box(b"mdat", *samples)])
    assert _triples(doc) == [(1000, 3000, "A"), (3000, 5000, "B"), (5000, 7000, "C")]


def test_trap_tfhd_defaults_override_trex() -> None:
    samples = [craft.vttc("A"), craft.vttc("B")]
    init = craft.init(craft.wvtt_entry(), trex=(1, 9999, 1))
    fields = struct.pack(">II", 500, len(samples[0]))  # default duration, default size

    def build(offset: int) -> bytes:
        run = craft.trun([(None, None)] * 2, data_offset=offset)
        return craft.moof(1, [craft.traf(1, [run], decode_time=0, tfhd_flags=0x020000 | 0x08 | 0x10,
                                         tfhd_fields=fields)])

    head = build(len(build(0)) + 8)
    assert _triples(_cue_file(init, [head + _mp4.box(b"mdat", *samples)])) == [(0, 500, "A"), (500, 1000, "B")]


def test_trap_several_traf_and_trun_per_fragment() -> None:
    a, b, c, other = craft.vttc("A"), craft.vttc("B"), craft.vttc("C"), craft.vttc("other track")
    init = craft.init(craft.wvtt_entry())

    def build(base: int) -> bytes:
        # traf 1: two truns (A; then B right after A's data, found by data offset);
        # traf 2: another track's sample (ignored); traf 3: track 1 again with C.
        first = craft.traf(1, [craft.trun([(1000, len(a))], data_offset=base),
                               craft.trun([(1000, len(b))], data_offset=base + len(a))], decode_time=0)
        second = craft.traf(2, [craft.trun([(5000, len(other))], data_offset=base + len(a) + len(b))],
                            decode_time=0)
        third = craft.traf(1, [craft.trun([(1000, len(c))], data_offset=base + len(a) + len(b) + len(other))],
                           decode_time=4000)
        return craft.moof(1, [first, second, third])

    head = build(len(build(0)) + 8)
    doc = _cue_file(init, [head + _mp4.box(b"mdat", a, b, other, c)])
    assert _triples(doc) == [(0, 1000, "A"), (1000, 2000, "B"), (4000, 5000, "C")]


def test_trap_trun_without_data_offset_follows_previous_data() -> None:
    a, b = craft.vttc("A"), craft.vttc("B")
    init = craft.init(craft.wvtt_entry())

    def build(base: int) -> bytes:
        runs = [craft.trun([(1000, len(a))], data_offset=base), craft.trun([(1000, len(b))], data_offset=None)]
        return craft.moof(1, [craft.traf(1, runs, decode_time=0)])

    head = build(len(build(0)) + 8)
    assert _triples(_cue_file(init, [head + _mp4.box(b"mdat", a, b)])) == [(0, 1000, "A"), (1000, 2000, "B")]


def test_trap_base_data_offset_in_tfhd() -> None:
    a = craft.vttc("absolute")
    init = craft.init(craft.wvtt_entry())

    def build(start: int) -> bytes:
        run = craft.trun([(1000, len(a))], data_offset=0)
        return craft.moof(1, [craft.traf(1, [run], decode_time=0, tfhd_flags=0x01,
                                         tfhd_fields=struct.pack(">Q", start))])

    probe = build(0)
    head = build(len(init) + len(probe) + 8)
    assert _triples(_cue_file(init, [head + _mp4.box(b"mdat", a)])) == [(0, 1000, "absolute")]


def test_trap_lone_media_segment_without_init() -> None:
    frag = craft.fragment([(2000, craft.vttc("alone"))], decode_time=12000)
    doc = subkit.loads(frag)
    assert doc.source_format == "mp4_wvtt"
    assert _triples(doc) == [(12000, 14000, "alone")]
    assert any("no init segment" in d.message and "1000" in d.message for d in doc.diagnostics)
    assert subkit.loads(frag, format="mp4_wvtt", assume_timescale=90000).cues[0].start_ms == 133
    with pytest.raises(ParseError, match="no init segment"):
        subkit.loads(frag, format="mp4_wvtt", strict=True)


def test_trap_fragment_without_tfdt_continues_the_timeline() -> None:
    init = craft.init(craft.wvtt_entry())
    a, b = craft.vttc("A"), craft.vttc("B")

    def frag(sample: bytes, decode_time: int | None, sequence: int) -> bytes:
        def build(offset: int) -> bytes:
            run = craft.trun([(1000, len(sample))], data_offset=offset)
            return craft.moof(sequence, [craft.traf(1, [run], decode_time=decode_time)])

        return build(len(build(0)) + 8) + _mp4.box(b"mdat", sample)

    doc = _cue_file(init, [frag(a, 5000, 1), frag(b, None, 2)])
    assert _triples(doc) == [(5000, 6000, "A"), (6000, 7000, "B")]


def test_truncated_file_is_read_leniently_and_refused_strictly() -> None:
    data = _dumps(_doc((0, 1000, "A"), (2000, 3000, "B")))
    cut = data[:-3]
    doc = subkit.loads(cut, format="mp4_wvtt")
    assert doc.diagnostics
    with pytest.raises(ParseError):
        subkit.loads(cut, format="mp4_wvtt", strict=True)


def test_not_an_mp4_file_fails_cleanly() -> None:
    with pytest.raises(ParseError):
        subkit.loads(b"\x00\x00\x00\x10free\x00\x00\x00\x00\x00\x00\x00\x00", format="mp4_wvtt")
    with pytest.raises(ParseError, match="no WebVTT or TTML track"):
        subkit.loads(craft.init(craft.stpp_entry(), handler=b"subt"), format="mp4_wvtt")


@pytest.mark.parametrize("size", range(0, 200, 7))
def test_damaged_file_never_raises_a_foreign_error(size: int) -> None:
    data = _dumps(_doc((0, 1000, "A"), (500, 2000, "B")), fragment_seconds=1)
    try:
        doc = subkit.loads(data[:size] + data[size + 3 :], format="mp4_wvtt")
    except ParseError as exc:
        assert exc.format == "mp4_wvtt"
    else:
        assert doc.source_format == "mp4_wvtt"


# -- round trips --------------------------------------------------------------------

_CUES = st.lists(
    st.tuples(st.integers(0, 60_000), st.integers(1, 20_000), words_text(min_size=1, max_size=20)),
    max_size=25,
)


@settings(deadline=None, max_examples=60)
@given(_CUES, st.sampled_from([None, 1.0, 2.5, 6.0]), st.sampled_from([1000, 90000]))
def test_mp4_wvtt_round_trip_property(cues: list[tuple[int, int, str]], fragment: float | None,
                                      timescale: int) -> None:
    doc = _doc(*((start, start + length, text) for start, length, text in cues))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = subkit.loads(subkit.dumps(doc, "webvtt"), format="webvtt")
        back = subkit.loads(_dumps(doc, fragment_seconds=fragment, timescale=timescale))
    assert sorted(back.cues, key=_key) == sorted(expected.cues, key=_key)


# -- a committed sample of shaka-packager's output (fixtures/mp4_wvtt/README.md) ----------------


def test_committed_shaka_packager_sample() -> None:
    from .test_mp4_shaka import agreement, merge_touching, wvtt_view

    folder = Path(__file__).resolve().parents[2] / "fixtures" / "mp4_wvtt"
    source = merge_touching(subkit.load(folder / "shaka-source.vtt"))
    for manifest in ("out.mpd", "master.m3u8", "text.m3u8"):
        read = subkit.load(folder / "shaka" / manifest)
        assert read.source_format == "mp4_wvtt" and read.language == "en"
        assert agreement(source, read, wvtt_view) == (4, 4)


@pytest.mark.parametrize("codec", ["mp4_wvtt", "mp4_stpp"])
def test_far_apart_cues_make_few_fragments_and_long_samples_are_split(codec: str) -> None:
    # 58 days apart: one empty fragment covers the gap, and its 32-bit sample durations are split.
    doc = _doc((0, 1000, "near"), (5_000_000_000, 5_000_001_000, "far"))
    data = subkit.dumps(doc, codec, fragment_seconds=6)
    assert isinstance(data, bytes)
    assert [b.type for b in _mp4.walk(data)].count("moof") == 3
    assert _triples(subkit.loads(data)) == _triples(doc)
