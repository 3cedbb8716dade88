"""mp4_stpp: TTML/IMSC1 in fragmented MP4 (ISO/IEC 14496-30), layout, reading traps, round trips."""

from __future__ import annotations

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


def _start(cue: Cue) -> int:
    return cue.start_ms


def _dumps(doc: Document, **options: Any) -> bytes:
    data = subkit.dumps(doc, "mp4_stpp", **options)
    assert isinstance(data, bytes)
    return data


def _ttml(*paragraphs: tuple[str, str, str]) -> bytes:
    body = "".join(f'<p begin="{b}" end="{e}">{t}</p>' for b, e, t in paragraphs)
    return (f'<?xml version="1.0" encoding="UTF-8"?><tt xmlns="http://www.w3.org/ns/ttml" xml:lang="en">'
            f"<body><div>{body}</div></body></tt>").encode()


def _stpp_init(mvhd_timescale: int = 1000, mdhd_timescale: int = 1000) -> bytes:
    return craft.init(craft.stpp_entry(), handler=b"subt", mvhd_timescale=mvhd_timescale,
                      mdhd_timescale=mdhd_timescale)


def test_mp4_stpp_layout_sample_entry_and_documents() -> None:
    data = _dumps(_doc((1000, 2000, "Hi"), (7000, 8000, "there")), fragment_seconds=6, language="de")
    track = _mp4.read_track(data, lambda codec: codec == "stpp", assume_codec="stpp")
    entry = track.entries[0]
    assert (track.handler, track.timescale, track.language) == ("subt", 1000, "de")
    assert entry.namespace == "http://www.w3.org/ns/ttml"
    assert entry.boxes["mime"][4:].rstrip(b"\0") == b"application/ttml+xml;codecs=im1t"
    moov = next(b for b in _mp4.walk(data) if b.type == "moov")
    assert _mp4.find(data, moov, "trak/mdia/minf/sthd") is not None
    assert [(s.time, s.duration) for s in track.samples] == [(0, 6000), (6000, 2000)]
    for sample in track.samples:
        assert sample.data.startswith(b"<?xml") and b"http://www.w3.org/ns/ttml/profile/imsc1/text" in sample.data
    assert b'begin="00:00:07.000"' in track.samples[1].data  # media time, not relative to the sample


def test_mp4_stpp_cue_repeated_in_segments_is_read_once() -> None:
    doc = _doc((1000, 13000, "long"), (14000, 15000, "next"))
    data = _dumps(doc, fragment_seconds=6)
    track = _mp4.read_track(data, lambda codec: codec == "stpp", assume_codec="stpp")
    assert sum(b"long" in s.data for s in track.samples) == 3
    assert _triples(subkit.loads(data)) == [(1000, 13000, "long"), (14000, 15000, "next")]


def test_mp4_stpp_empty_stretch_gets_an_empty_document() -> None:
    data = _dumps(_doc((13000, 14000, "late")), fragment_seconds=6)
    track = _mp4.read_track(data, lambda codec: codec == "stpp", assume_codec="stpp")
    # The two empty 6-second stretches make one fragment; the documents are empty there.
    assert [(s.time, s.duration) for s in track.samples] == [(0, 12000), (12000, 2000)]
    assert b"<p" not in track.samples[0].data
    assert _triples(subkit.loads(data)) == [(13000, 14000, "late")]


def test_trap_several_ttml_documents_in_one_mdat() -> None:
    docs = [_ttml(("0s", "1s", "one")), _ttml(("1s", "2s", "two")), _ttml(("2s", "3s", "three"))]
    frag = craft.fragment([(1000, d) for d in docs], decode_time=0)
    doc = subkit.loads(_stpp_init() + frag)
    assert doc.source_format == "mp4_stpp"
    assert _triples(doc) == [(0, 1000, "one"), (1000, 2000, "two"), (2000, 3000, "three")]


def test_trap_pieces_cut_at_sample_boundaries_are_joined() -> None:
    docs = [_ttml(("0.5s", "2s", "cut")), _ttml(("2s", "3.5s", "cut"))]
    frag = craft.fragment([(2000, docs[0]), (2000, docs[1])], decode_time=0)
    assert _triples(subkit.loads(_stpp_init() + frag)) == [(500, 3500, "cut")]


def test_trap_sample_relative_times_are_detected() -> None:
    # Second sample starts at 10 s; its document says 0.5s-1.5s, which lies outside the sample unless shifted.
    docs = [_ttml(("1s", "2s", "first")), _ttml(("0.5s", "1.5s", "second"))]
    frag = craft.fragment([(10000, docs[0]), (5000, docs[1])], decode_time=0)
    doc = subkit.loads(_stpp_init() + frag)
    assert _triples(doc) == [(1000, 2000, "first"), (10500, 11500, "second")]
    assert any("relative" in d.message for d in doc.diagnostics)
    forced = subkit.loads(_stpp_init() + frag, format="mp4_stpp", ttml_times="media")
    assert _triples(forced) == [(500, 1500, "second"), (1000, 2000, "first")]
    shifted = subkit.loads(_stpp_init() + frag, format="mp4_stpp", ttml_times="sample")
    assert _triples(shifted) == [(1000, 2000, "first"), (10500, 11500, "second")]


def test_trap_timescale_from_mdhd_for_stpp() -> None:
    init = _stpp_init(mvhd_timescale=600, mdhd_timescale=90000)
    frag = craft.fragment([(90000 * 6, _ttml(("6s", "7s", "x")))], decode_time=90000 * 6)
    assert _triples(subkit.loads(init + frag)) == [(6000, 7000, "x")]


def test_trap_lone_stpp_segment() -> None:
    frag = craft.fragment([(6000, _ttml(("12s", "13s", "alone")))], decode_time=12000)
    assert detect(frag).name == "mp4_stpp"
    doc = subkit.loads(frag)
    assert _triples(doc) == [(12000, 13000, "alone")]
    assert any("no init segment" in d.message for d in doc.diagnostics)


def test_unreadable_sample_is_skipped_leniently_and_fails_strictly() -> None:
    frag = craft.fragment([(1000, b"<tt oops"), (1000, _ttml(("1s", "2s", "fine")))], decode_time=0)
    doc = subkit.loads(_stpp_init() + frag, format="mp4_stpp")
    assert _triples(doc) == [(1000, 2000, "fine")]
    assert any("sample 1" in d.message for d in doc.diagnostics)
    with pytest.raises(ParseError):
        subkit.loads(_stpp_init() + frag, format="mp4_stpp", strict=True)


def test_stpp_losses_are_reported_once() -> None:
    doc = Document(cues=tuple(Cue(start_ms=i * 4000, end_ms=i * 4000 + 3000, content=content_from_text("x"),
                                  speaker="Ann") for i in range(6)))
    plain = subkit.render(doc, "ttml")
    result = subkit.render(doc, "mp4_stpp", fragment_seconds=6)
    assert [(loss.feature, loss.count) for loss in result.losses] == [(loss.feature, loss.count)
                                                                      for loss in plain.losses]


_CUES = st.lists(
    st.tuples(st.integers(0, 60_000), st.integers(0, 20_000), words_text(min_size=1, max_size=20)),
    max_size=20,
)


@settings(deadline=None, max_examples=40)
@given(_CUES, st.sampled_from([None, 1.0, 6.0]), st.sampled_from([1000, 90000]))
def test_mp4_stpp_round_trip_property(cues: list[tuple[int, int, str]], fragment: float | None,
                                      timescale: int) -> None:
    doc = _doc(*((start, start + length, text) for start, length, text in cues))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = subkit.loads(subkit.dumps(doc, "ttml"), format="ttml")
        back = subkit.loads(_dumps(doc, fragment_seconds=fragment, timescale=timescale))
    assert sorted(back.cues, key=_start) == sorted(expected.cues, key=_start)


def test_committed_shaka_packager_sample() -> None:
    from .test_mp4_shaka import agreement, stpp_view

    folder = Path(__file__).resolve().parents[2] / "fixtures" / "mp4_stpp"
    source = subkit.load(folder / "shaka-source.vtt")
    read = subkit.load(folder / "shaka" / "out.mpd")
    assert read.source_format == "mp4_stpp"
    assert read.language == "eng"  # the documents' own xml:lang comes before the track's language
    assert agreement(source, read, stpp_view) == (4, 4)
