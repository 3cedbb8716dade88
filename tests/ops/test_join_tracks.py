"""``ops.join_tracks`` and ``streaming.write_package``: several packaged languages presented as one title."""

from __future__ import annotations

from pathlib import Path

import pytest

import subkit
from subkit import ops
from subkit.errors import OperationError
from subkit.model import Document
from subkit.streaming import write_package

EN = subkit.loads("1\n00:00:01,000 --> 00:00:02,000\none\n\n2\n00:00:07,000 --> 00:00:08,000\ntwo\n")
FR = subkit.loads("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nun\n").replace(language="fr")


def _package(doc: Document, **options: object) -> ops.Package:
    return ops.package(doc, 6, duration_ms=8000, **options)  # type: ignore[arg-type]


def test_webvtt_tracks_get_a_master_playlist() -> None:
    joined = ops.join_tracks([("en", _package(EN, language="en")), ("fr", _package(FR))])
    assert [f.name for f in joined] == ["master.m3u8"]
    text = joined[0].data.decode("utf-8")
    assert 'NAME="Subtitles (en)",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,URI="en/prog_index.m3u8"' in text
    assert 'NAME="Subtitles (fr)",LANGUAGE="fr",DEFAULT=NO,AUTOSELECT=YES,URI="fr/prog_index.m3u8"' in text
    assert "CODECS" not in text, "WebVTT files have no CODECS identifier"


def test_fmp4_tracks_get_both_manifests_with_their_folders() -> None:
    tracks = [(name, _package(doc, container="fmp4", manifest="both", language=lang))
              for name, doc, lang in (("text en", EN, None), ("fr", FR, None))]
    master, mpd = ops.join_tracks(tracks, variants=[("v.m3u8", 900000, "avc1.4d401f")])
    assert master.name == "master.m3u8" and mpd.name == "manifest.mpd"
    text = master.data.decode("utf-8")
    assert 'URI="text%20en/prog_index.m3u8"' in text, "folders are URI-escaped"
    assert 'NAME="Subtitles"' in text and 'LANGUAGE="fr"' in text
    assert 'CODECS="avc1.4d401f,wvtt"' in text
    manifest = mpd.data.decode("utf-8")
    assert 'initialization="text%20en/init.mp4" media="text%20en/fileSequence$Number$.m4s"' in manifest
    assert manifest.count("<AdaptationSet ") == 2


def test_names_made_unique_and_refusals() -> None:
    one, two = _package(EN, language="en"), _package(FR, language="en")
    text = ops.join_tracks([("a", one), ("b", two)])[0].data.decode("utf-8")
    assert 'NAME="Subtitles (en) a"' in text and 'NAME="Subtitles (en) b"' in text
    with pytest.raises(OperationError, match="at least one"):
        ops.join_tracks([])
    with pytest.raises(OperationError, match="relative path"):
        ops.join_tracks([("../up", one)])
    dash = _package(EN, container="fmp4", manifest="dash")
    with pytest.raises(OperationError, match="no manifest in common"):
        ops.join_tracks([("a", one), ("b", dash)])


def test_write_package_removes_what_the_old_playlist_listed(tmp_path: Path) -> None:
    long = _package(EN, language="en")
    write_package(long, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fileSequence0.webvtt", "fileSequence1.webvtt",
                                                          "prog_index.m3u8"]
    (tmp_path / "mine.txt").write_text("kept", encoding="utf-8")
    short = ops.package(EN.replace(cues=EN.cues[:1]), 6)
    written = write_package(short, tmp_path)
    assert sorted(Path(p).name for p in written) == ["fileSequence0.webvtt", "prog_index.m3u8"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fileSequence0.webvtt", "mine.txt", "prog_index.m3u8"]
