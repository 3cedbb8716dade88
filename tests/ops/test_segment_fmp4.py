"""CMAF packaging (``subkit.ops.segment.package``), its manifests, and reading a track back from them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import subkit
from subkit import _io, _streams
from subkit.errors import OperationError, ParseError, SubkitIOError
from subkit.formats import _mp4
from subkit.model import Cue, Document, content_from_text
from subkit.ops._segment import package


def _doc(*cues: tuple[int, int, str], language: str | None = None) -> Document:
    return Document(cues=tuple(Cue(start_ms=a, end_ms=b, content=content_from_text(t)) for a, b, t in cues),
                    language=language)


DOC = _doc((1000, 2000, "one"), (5000, 8000, "across"), (13000, 14000, "last"), language="en")


def _triples(doc: Document) -> list[tuple[int, int, str]]:
    return [(c.start_ms, c.end_ms, c.plain_text()) for c in doc.cues]


@pytest.mark.parametrize("codec", ["wvtt", "stpp"])
def test_package_fmp4_files_and_read_back_from_each_manifest(codec: str, tmp_path: Path) -> None:
    built = package(DOC, 6, container="fmp4", codec=codec, manifest="both")
    names = [f.name for f in built.files]
    assert names == ["init.mp4", "fileSequence0.m4s", "fileSequence1.m4s", "fileSequence2.m4s", "prog_index.m3u8",
                     "master.m3u8", "manifest.mpd"]
    files = dict((f.name, f.data) for f in built.files)
    assert [b.type for b in _mp4.walk(files["init.mp4"])] == ["ftyp", "moov"]
    assert [b.type for b in _mp4.walk(files["fileSequence1.m4s"])] == ["styp", "moof", "mdat"]
    _io.write_files(tmp_path, [(f.name, f.data) for f in built.files])
    for manifest in ("manifest.mpd", "prog_index.m3u8", "master.m3u8"):
        doc = subkit.load(tmp_path / manifest)
        assert doc.source_format == f"mp4_{codec}"
        assert _triples(doc) == _triples(DOC)
        assert doc.language == "en"
    # init + segments joined make one fragmented MP4 file.
    joined = b"".join(files[n] for n in names[:4])
    assert _triples(subkit.loads(joined)) == _triples(DOC)


def test_mpd_states_codecs_timescale_language_and_timeline() -> None:
    built = package(DOC, 6, container="fmp4", codec="stpp", manifest="dash", timescale=90000, language="fr-CA")
    mpd = dict((f.name, f.data) for f in built.files)["manifest.mpd"].decode()
    assert 'codecs="stpp.ttml.im1t"' in mpd and 'mimeType="application/mp4"' in mpd
    assert 'lang="fr-CA"' in mpd and 'contentType="text"' in mpd and 'type="static"' in mpd
    assert '<SegmentTemplate timescale="90000" initialization="init.mp4" media="fileSequence$Number$.m4s" ' \
           'startNumber="0">' in mpd
    assert re.findall(r"<S [^>]*/>", mpd) == ['<S t="0" d="540000" r="1"/>', '<S d="180000"/>']
    assert 'mediaPresentationDuration="PT14.000S"' in mpd
    init = dict((f.name, f.data) for f in built.files)["init.mp4"]
    track = _mp4.read_track(init, lambda c: True, assume_codec="stpp")
    assert (track.timescale, track.language) == (90000, "fr-CA")


def test_hls_playlists_for_fmp4() -> None:
    built = package(DOC, 6, container="fmp4", codec="wvtt", manifest="hls",
                    variants=(("video/720p.m3u8", 2_000_000, "avc1.64001f,mp4a.40.2"),))
    files = dict((f.name, f.data.decode()) for f in built.files if f.name.endswith(".m3u8"))
    media = files["prog_index.m3u8"].splitlines()
    assert media[:7] == ["#EXTM3U", "#EXT-X-TARGETDURATION:6", "#EXT-X-VERSION:6", "#EXT-X-MEDIA-SEQUENCE:0",
                         "#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-INDEPENDENT-SEGMENTS", '#EXT-X-MAP:URI="init.mp4"']
    assert media[7:] == ["#EXTINF:6.000,", "fileSequence0.m4s", "#EXTINF:6.000,", "fileSequence1.m4s",
                         "#EXTINF:2.000,", "fileSequence2.m4s", "#EXT-X-ENDLIST"]
    master = files["master.m3u8"]
    assert ('#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="Subtitles (en)",LANGUAGE="en",DEFAULT=YES,'
            'AUTOSELECT=YES,URI="prog_index.m3u8"') in master
    assert ('#EXT-X-STREAM-INF:BANDWIDTH=2000000,CODECS="avc1.64001f,mp4a.40.2,wvtt",SUBTITLES="subs"\n'
            "video/720p.m3u8") in master


def test_cue_spanning_segments_is_in_each_and_read_once() -> None:
    built = package(DOC, 3, container="fmp4", codec="wvtt", manifest="hls")
    segments = [f.data for f in built.files if f.name.endswith(".m4s")]
    assert sum(b"across" in data for data in segments) == 2
    joined = b"".join(f.data for f in built.files if f.name.endswith((".mp4", ".m4s")))
    assert _triples(subkit.loads(joined)) == _triples(DOC)


def test_ts_webvtt_default_is_todays_output() -> None:
    built = package(DOC, 6)
    assert [f.name for f in built.files] == ["fileSequence0.webvtt", "fileSequence1.webvtt", "fileSequence2.webvtt",
                                             "prog_index.m3u8"]
    assert built.files[0].data.startswith(b"WEBVTT")


def test_package_refuses_impossible_combinations() -> None:
    with pytest.raises(OperationError, match="DASH"):
        package(DOC, 6, manifest="dash")
    with pytest.raises(OperationError, match="stpp"):
        package(DOC, 6, codec="stpp")
    with pytest.raises(OperationError, match="index"):
        package(DOC, 6, container="fmp4", manifest="dash", name="seg_{index!r}.m4s")
    with pytest.raises(OperationError, match="container"):
        package(DOC, 6, container="mkv")
    with pytest.raises(OperationError, match="timescale"):
        package(DOC, 6, container="fmp4", timescale=0)


def test_dash_template_with_padded_number(tmp_path: Path) -> None:
    built = package(DOC, 6, container="fmp4", manifest="dash", name="text/seg-{index:04d}.m4s")
    mpd = dict((f.name, f.data) for f in built.files)["manifest.mpd"].decode()
    assert 'media="text/seg-$Number%04d$.m4s"' in mpd
    _io.write_files(tmp_path, [(f.name, f.data) for f in built.files])
    assert (tmp_path / "text" / "seg-0002.m4s").is_file()
    assert _triples(subkit.load(tmp_path / "manifest.mpd")) == _triples(DOC)


def test_write_files_refuses_names_leaving_the_folder(tmp_path: Path) -> None:
    with pytest.raises(SubkitIOError):
        _io.write_files(tmp_path / "out", [("../evil.txt", b"x")])
    assert not (tmp_path / "evil.txt").exists()


# -- reading manifests made elsewhere ---------------------------------------------------

_MPD = """<?xml version="1.0"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT12S">
  <Period>
    <AdaptationSet contentType="video" mimeType="video/mp4"><Representation id="v" codecs="avc1"/></AdaptationSet>
    <AdaptationSet contentType="text" mimeType="application/mp4" lang="de">
      <BaseURL>de/</BaseURL>
      <Representation id="sub" bandwidth="100" codecs="wvtt">
        {segments}
      </Representation>
    </AdaptationSet>
  </Period>
</MPD>
"""


@pytest.mark.parametrize("segments", [
    '<SegmentTemplate timescale="1000" initialization="$RepresentationID$-init.mp4" media="$RepresentationID$-'
    '$Time$.m4s"><SegmentTimeline><S t="0" d="6000" r="-1"/></SegmentTimeline></SegmentTemplate>',
    '<SegmentTemplate timescale="1000" duration="6000" startNumber="1" initialization="sub-init.mp4" '
    'media="n$Number%03d$.m4s"/>',
    '<SegmentList><Initialization sourceURL="sub-init.mp4"/><SegmentURL media="a.m4s"/>'
    '<SegmentURL media="b.m4s"/></SegmentList>',
])
def test_parse_mpd_segment_addressing(segments: str) -> None:
    track = _streams.parse_mpd(_MPD.format(segments=segments))
    assert track.codecs == "wvtt" and track.language == "de"
    assert track.init == "de/sub-init.mp4"
    assert track.segments in (["de/sub-0.m4s", "de/sub-6000.m4s"], ["de/n001.m4s", "de/n002.m4s"],
                              ["de/a.m4s", "de/b.m4s"])


def test_parse_mpd_without_text_track_fails() -> None:
    with pytest.raises(ParseError, match="no wvtt or stpp"):
        _streams.parse_mpd(_MPD.replace('contentType="text" mimeType="application/mp4"', 'contentType="audio"')
                           .replace('codecs="wvtt"', 'codecs="mp4a"').format(segments=""))


def test_master_playlist_picks_the_language(tmp_path: Path) -> None:
    for language, text in (("en", "hello"), ("fr", "bonjour")):
        built = package(_doc((0, 1000, text)), 6, container="fmp4", manifest="hls",
                        init_name=f"{language}/init.mp4", name=f"{language}/s{{index}}.m4s",
                        playlist_name=f"{language}.m3u8")
        _io.write_files(tmp_path, [(f.name, f.data) for f in built.files if f.name != "master.m3u8"])
    (tmp_path / "master.m3u8").write_text(
        "#EXTM3U\n"
        '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="s",NAME="English",LANGUAGE="en",DEFAULT=YES,URI="en.m3u8"\n'
        '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="s",NAME="French",LANGUAGE="fr",URI="fr.m3u8"\n', encoding="utf-8")
    assert subkit.load(tmp_path / "master.m3u8").cues[0].plain_text() == "hello"
    french = subkit.load(tmp_path / "master.m3u8", language="fr")
    assert french.cues[0].plain_text() == "bonjour" and french.language == "fr"
    assert any("2 subtitle renditions" in d.message for d in french.diagnostics)


def test_remote_segments_are_not_fetched(tmp_path: Path) -> None:
    (tmp_path / "p.m3u8").write_text("#EXTM3U\n#EXT-X-MAP:URI=\"https://cdn.example/init.mp4\"\n#EXTINF:6,\n"
                                     "https://cdn.example/1.m4s\n", encoding="utf-8")
    with pytest.raises(SubkitIOError, match="remote"):
        subkit.load(tmp_path / "p.m3u8")


def test_missing_segment_is_a_diagnostic_unless_strict(tmp_path: Path) -> None:
    built = package(DOC, 6, container="fmp4", manifest="hls")
    _io.write_files(tmp_path, [(f.name, f.data) for f in built.files if f.name != "fileSequence2.m4s"])
    doc = subkit.load(tmp_path / "prog_index.m3u8")
    assert _triples(doc) == _triples(DOC)[:2]
    assert any("fileSequence2.m4s" in d.message for d in doc.diagnostics)
    with pytest.raises(SubkitIOError):
        subkit.load(tmp_path / "prog_index.m3u8", strict=True)


def test_hls_webvtt_segments_read_back(tmp_path: Path) -> None:
    built = package(DOC, 3)
    _io.write_files(tmp_path, [(f.name, f.data) for f in built.files])
    doc = subkit.load(tmp_path / "prog_index.m3u8")
    assert _triples(doc) == _triples(DOC)
