"""``subkit.ops.segment``: HLS WebVTT segments and playlists, checked against RFC 8216."""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

import pytest
from hypothesis import given

import subkit
from subkit.errors import OperationError
from subkit.model import Document
from subkit.ops import segment
from subkit.ops._segment import playlist, segment_text
from subkit.streaming import write_hls
from tests.ops.helpers import cue, doc, documents

SAMPLE = doc(cue(1000, 2000, "a"), cue(5000, 7000, "spans"), cue(12000, 12000, "instant"), cue(13000, 14500, "c"))


def parse_playlist(text: str) -> dict[str, object]:
    """Check a media playlist against the RFC 8216 rules subkit relies on, and return its parts."""
    lines = text.splitlines()
    assert lines[0] == "#EXTM3U", "a playlist starts with #EXTM3U (4.3.1.1)"
    assert lines[-1] == "#EXT-X-ENDLIST"
    tags = {line.split(":", 1)[0]: line.split(":", 1)[1] for line in lines if ":" in line and line.startswith("#EXT-X")}
    target = int(tags["#EXT-X-TARGETDURATION"])
    assert int(tags["#EXT-X-VERSION"]) >= 3, "decimal EXTINF durations need version 3 (4.3.2.1)"
    assert int(tags["#EXT-X-MEDIA-SEQUENCE"]) >= 0
    entries = []
    for index, line in enumerate(lines):
        if line.startswith("#EXTINF:"):
            match = re.fullmatch(r"#EXTINF:(\d+(?:\.\d+)?),.*", line)
            assert match, line
            uri = lines[index + 1]
            assert uri and not uri.startswith("#"), "each EXTINF is followed by its URI"
            duration = float(match.group(1))
            assert round(duration) <= target, "rounded EXTINF must not exceed the target duration (4.3.3.1)"
            entries.append((duration, uri))
    assert entries
    return {"target": target, "entries": entries, "sequence": int(tags["#EXT-X-MEDIA-SEQUENCE"])}


def parse_segment(text: str) -> tuple[int, list[tuple[int, int, str]]]:
    """The MPEGTS of a segment's X-TIMESTAMP-MAP and its cues (RFC 8216 3.5)."""
    header = text.split("\n\n", 1)[0].splitlines()
    assert header[0] == "WEBVTT"
    (mapping,) = [line for line in header if line.startswith("X-TIMESTAMP-MAP=")]
    match = re.fullmatch(r"X-TIMESTAMP-MAP=MPEGTS:(\d+),LOCAL:(\d\d:\d\d:\d\d\.\d{3})", mapping)
    assert match, mapping
    parsed = subkit.loads(text, format="webvtt", strict=True)
    return int(match.group(1)), [(c.start_ms, c.end_ms, c.plain_text()) for c in parsed]


def test_segments_hold_every_cue_they_show() -> None:
    parts = segment(SAMPLE, seconds=6)
    assert [(p.index, p.start_ms, p.end_ms, p.name) for p in parts] == [
        (0, 0, 6000, "fileSequence0.webvtt"), (1, 6000, 12000, "fileSequence1.webvtt"),
        (2, 12000, 14500, "fileSequence2.webvtt"),
    ]
    assert [[c.plain_text() for c in p.document] for p in parts] == [["a", "spans"], ["spans"], ["instant", "c"]]
    # Cue times stay absolute in every segment.
    assert [(c.start_ms, c.end_ms) for c in parts[1].document] == [(5000, 7000)]


def test_a_cue_ending_on_a_boundary_stays_out_of_the_next_segment() -> None:
    parts = segment(doc(cue(0, 6000, "a")), seconds=6)
    assert len(parts) == 1


def test_playlist_follows_rfc_8216() -> None:
    parts = segment(SAMPLE, seconds=6)
    text = playlist(parts, media_sequence=3)
    parsed = parse_playlist(text)
    assert parsed["target"] == 6 and parsed["sequence"] == 3
    assert parsed["entries"] == [(6.0, "fileSequence0.webvtt"), (6.0, "fileSequence1.webvtt"),
                                 (2.5, "fileSequence2.webvtt")]
    assert "#EXT-X-PLAYLIST-TYPE:VOD" in text


def test_target_duration_is_the_ceiling_of_the_longest_segment() -> None:
    parts = segment(doc(cue(0, 20000, "a")), seconds="7.5")
    assert parse_playlist(playlist(parts))["target"] == 8


def test_segment_text_has_the_timestamp_map() -> None:
    parts = segment(SAMPLE, seconds=6, mpegts=0)
    mpegts, cues = parse_segment(segment_text(parts[0]))
    assert mpegts == 0 and cues == [(1000, 2000, "a"), (5000, 7000, "spans")]


def test_duration_extends_the_timeline_with_empty_segments() -> None:
    parts = segment(doc(cue(0, 1000, "a")), seconds=6, duration_ms=20000)
    assert len(parts) == 4 and parts[-1].end_ms == 20000 and not parts[-1].document.cues


def test_an_empty_document_gives_one_empty_segment() -> None:
    parts = segment(Document(), seconds=6)
    assert len(parts) == 1 and parse_playlist(playlist(parts))["target"] == 6


def test_write_hls(tmp_path: Path) -> None:
    source = subkit.loads("[Script Info]\nScriptType: v4.00+\n\n[Events]\nFormat: Layer, Start, End, Style, Name, "
                          "MarginL, MarginR, MarginV, Effect, Text\nDialogue: 0,0:00:01.00,0:00:08.00,Default,,0,0,0,,"
                          "{\\i1}Hello{\\i0} there\n", format="ass")
    path, parts = write_hls(source, tmp_path / "hls", seconds=6)
    assert path == tmp_path / "hls" / "prog_index.m3u8"
    parsed = parse_playlist(path.read_text(encoding="utf-8"))
    for (_, uri), part in zip(parsed["entries"], parts, strict=True):  # type: ignore[call-overload]
        mpegts, cues = parse_segment((tmp_path / "hls" / uri).read_text(encoding="utf-8"))
        assert mpegts == 900000 and cues == [(1000, 8000, "Hello there")]
        assert part.name == uri
    assert "<i>Hello</i>" in (tmp_path / "hls" / "fileSequence1.webvtt").read_text(encoding="utf-8")


def test_webvtt_py_reads_the_segments(tmp_path: Path) -> None:
    webvtt = pytest.importorskip("webvtt")
    write_hls(SAMPLE, tmp_path, seconds=6)
    captions = webvtt.read(str(tmp_path / "fileSequence0.webvtt"))
    assert [c.text for c in captions] == ["a", "spans"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seconds": 0.5}, "at least one second"),
        ({"seconds": "x"}, "not a number"),
        ({"mpegts": -1}, "MPEG-TS"),
        ({"mpegts": 2**33}, "MPEG-TS"),
        ({"name": "seg.vtt"}, "{index}"),
        ({"duration_ms": 0}, "positive"),
    ],
)
def test_segment_validates(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(OperationError, match=message):
        segment(SAMPLE, **kwargs)  # type: ignore[arg-type]


@given(documents(max_cues=6))
def test_segment_properties(source: Document) -> None:
    parts = segment(source, seconds=4)
    parse_playlist(playlist(parts))
    # The segments tile the timeline from 0 to the end of the last cue.
    assert sum(p.duration_ms for p in parts) == (source.duration_ms or 4000)
    assert all(a.end_ms == b.start_ms for a, b in itertools.pairwise(parts))
    for c in source:
        shown = [p for p in parts if c in p.document.cues]
        expected = max(1, math.ceil(c.end_ms / 4000) - c.start_ms // 4000) if c.end_ms > c.start_ms else 1
        assert len(shown) == expected
        assert all(p.start_ms <= max(c.start_ms, p.start_ms) < p.end_ms or c.start_ms == c.end_ms for p in shown)
