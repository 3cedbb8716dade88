"""``subkit segment IN... OUT_DIR``: several tracks of one title, each in its subfolder, joined by the manifests."""

from __future__ import annotations

import json
import platform
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

import subkit
from subkit.cli import cli
from subkit.cli.segment import name_tag
from subkit.errors import OperationError
from subkit.ops import _manifests
from tests.ops.helpers import run_subkit
from tests.ops.test_segment import parse_playlist, parse_segment

EN = "1\n00:00:01,000 --> 00:00:02,000\none\n\n2\n00:00:05,000 --> 00:00:08,000\nacross\n"
FR = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nun\n\n00:00:13.000 --> 00:00:14.000\ndernier\n"
BROKEN = "1\n00:00:01,000 --> nonsense\n\x00\x01\x02 not a subtitle\n"
MPD_NS = {"d": "urn:mpeg:dash:schema:mpd:2011"}


@pytest.fixture
def title(tmp_path: Path) -> Path:
    """A folder with the English and French subtitles of one title."""
    folder = tmp_path / "subs"
    folder.mkdir()
    (folder / "movie.en.srt").write_text(EN, encoding="utf-8")
    (folder / "movie.fr.vtt").write_text(FR, encoding="utf-8")
    return folder


def _media(line: str) -> dict[str, str]:
    """The attributes of an ``#EXT-X-MEDIA`` line."""
    return dict(re.findall(r'([A-Z-]+)=("[^"]*"|[^,]*)', line.split(":", 1)[1]))


def _renditions(master: Path) -> list[dict[str, str]]:
    return [_media(line) for line in master.read_text(encoding="utf-8").splitlines()
            if line.startswith("#EXT-X-MEDIA:")]


def test_two_languages_as_renditions_of_one_master(runner: CliRunner, title: Path, tmp_path: Path) -> None:
    out = tmp_path / "hls"
    result = runner.invoke(cli, ["segment", str(title / "movie.en.srt"), str(title / "movie.fr.vtt"), str(out),
                                 "--json"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["ok"] is True and summary["master"] == str(out / "master.m3u8") and summary["mpd"] is None
    assert [(f["output"], f["language"]) for f in summary["files"]] == [(str(out / "movie.en"), "en"),
                                                                       (str(out / "movie.fr"), "fr")]
    renditions = _renditions(out / "master.m3u8")
    assert [(r["LANGUAGE"], r["DEFAULT"], r["AUTOSELECT"], r["GROUP-ID"], r["URI"]) for r in renditions] == [
        ('"en"', "YES", "YES", '"subs"', '"movie.en/prog_index.m3u8"'),
        ('"fr"', "NO", "YES", '"subs"', '"movie.fr/prog_index.m3u8"'),
    ]
    assert len({r["NAME"] for r in renditions}) == 2, "names are unique within the group (RFC 8216 4.3.4.1.1)"
    # One timeline for every track: the French file ends at 14 s, so the English one is cut to 14 s too.
    en = parse_playlist((out / "movie.en" / "prog_index.m3u8").read_text(encoding="utf-8"))
    fr = parse_playlist((out / "movie.fr" / "prog_index.m3u8").read_text(encoding="utf-8"))
    assert en["entries"] == fr["entries"] == [(6.0, "fileSequence0.webvtt"), (6.0, "fileSequence1.webvtt"),
                                              (2.0, "fileSequence2.webvtt")]
    mpegts, cues = parse_segment((out / "movie.fr" / "fileSequence2.webvtt").read_text(encoding="utf-8"))
    assert mpegts == 900000 and [c[2] for c in cues] == ["dernier"]
    assert "movie.en.srt -> " in result.stderr and "2 track(s)" in result.stderr
    assert [c.plain_text() for c in subkit.load(out / "master.m3u8", language="fr").cues] == ["un", "dernier"]


def test_a_folder_with_fmp4_and_both_manifests(runner: CliRunner, title: Path, tmp_path: Path) -> None:
    out = tmp_path / "cmaf"
    result = runner.invoke(cli, ["segment", str(title), str(out), "--container", "fmp4", "--codec", "stpp",
                                 "--manifest", "both", "--variant", "video/index.m3u8,2000000,avc1.64001f", "-q"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    for track in ("movie.en", "movie.fr"):
        assert (out / track / "init.mp4").read_bytes()[4:8] == b"ftyp"
        assert (out / track / "prog_index.m3u8").is_file()
    master = (out / "master.m3u8").read_text(encoding="utf-8")
    assert '#EXT-X-STREAM-INF:BANDWIDTH=2000000,CODECS="avc1.64001f,stpp.ttml.im1t",SUBTITLES="subs"' in master
    assert [r["LANGUAGE"] for r in _renditions(out / "master.m3u8")] == ['"en"', '"fr"']
    root = ET.parse(out / "manifest.mpd").getroot()
    sets = root.findall("d:Period/d:AdaptationSet", MPD_NS)
    assert [(s.get("id"), s.get("lang"), s.get("contentType")) for s in sets] == [("0", "en", "text"),
                                                                                  ("1", "fr", "text")]
    for adaptation, track in zip(sets, ("movie.en", "movie.fr"), strict=True):
        template = adaptation.find("d:Representation/d:SegmentTemplate", MPD_NS)
        assert template is not None
        assert template.get("initialization") == f"{track}/init.mp4"
        media = template.get("media") or ""
        assert media == f"{track}/fileSequence$Number$.m4s"
        timeline = template.findall("d:SegmentTimeline/d:S", MPD_NS)
        count = sum(int(s.get("r", "0")) + 1 for s in timeline)
        assert count == 3 and all((out / media.replace("$Number$", str(n))).is_file() for n in range(count))
    assert len({rep.get("id") for rep in root.iter("{urn:mpeg:dash:schema:mpd:2011}Representation")}) == 2
    # Read back through either manifest, each language picks its own track.
    for manifest in ("master.m3u8", "manifest.mpd"):
        assert [c.plain_text() for c in subkit.load(out / manifest, language="fr").cues] == ["un", "dernier"]
        assert [c.plain_text() for c in subkit.load(out / manifest, language="en").cues] == ["one", "across"]


def test_track_dir_template_and_collisions(runner: CliRunner, title: Path, tmp_path: Path) -> None:
    out = tmp_path / "hls"
    result = runner.invoke(cli, ["segment", str(title), str(out), "--track-dir", "text_{stem}"])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["master.m3u8", "text_movie.en", "text_movie.fr"]
    # --track-dir alone makes even one input a track in a subfolder.
    one = tmp_path / "one"
    result = runner.invoke(cli, ["segment", str(title / "movie.en.srt"), str(one), "--track-dir", "{stem}"])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in one.iterdir()) == ["master.m3u8", "movie.en"]
    # Two inputs, one folder: refused before anything is written.
    (title / "movie.en.vtt").write_text(FR, encoding="utf-8")
    clash = tmp_path / "clash"
    result = runner.invoke(cli, ["segment", str(title / "movie.en.srt"), str(title / "movie.en.vtt"), str(clash)])
    assert result.exit_code == 2 and "would both be written to" in result.stderr
    assert not clash.exists()
    result = runner.invoke(cli, ["segment", str(title / "movie.en.srt"), str(title / "movie.fr.vtt"), str(clash),
                                 "--track-dir", "same"])
    assert result.exit_code == 2 and "would both be written to" in result.stderr


def test_a_failing_input_is_reported_and_the_others_are_packaged(runner: CliRunner, title: Path,
                                                                 tmp_path: Path) -> None:
    (title / "movie.de.srt").write_bytes(BROKEN.encode("latin-1"))
    out = tmp_path / "hls"
    result = runner.invoke(cli, ["segment", str(title), str(out), "--json", "-q"])
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["ok"] is False
    assert [(Path(f["input"]).name, f["ok"]) for f in summary["files"]] == [
        ("movie.de.srt", False), ("movie.en.srt", True), ("movie.fr.vtt", True)]
    assert "movie.de.srt" in summary["files"][0]["error"]
    assert "movie.de.srt" in result.stderr, "the failure is reported even with -q"
    assert [r["LANGUAGE"] for r in _renditions(out / "master.m3u8")] == ['"en"', '"fr"']
    assert not (out / "movie.de").exists()


def test_usage_errors_of_many_inputs(runner: CliRunner, title: Path, tmp_path: Path) -> None:
    en, fr = str(title / "movie.en.srt"), str(title / "movie.fr.vtt")
    result = runner.invoke(cli, ["segment", en, fr, str(tmp_path / "o"), "--language", "de"])
    assert result.exit_code == 2 and "--language" in result.stderr
    result = runner.invoke(cli, ["segment", en])
    assert result.exit_code == 2 and "OUT_DIR" in result.stderr
    result = runner.invoke(cli, ["segment", en, fr, str(tmp_path / "o"), "--duration", "soon"])
    assert result.exit_code == 2 and "--duration" in result.stderr
    result = runner.invoke(cli, ["segment", en, "-", str(tmp_path / "o")])
    assert result.exit_code == 2 and "standard input" in result.stderr
    assert not (tmp_path / "o").exists()


def test_one_input_writes_into_out_dir_as_before(runner: CliRunner, title: Path, tmp_path: Path) -> None:
    out = tmp_path / "hls"
    result = runner.invoke(cli, ["segment", str(title / "movie.en.srt"), str(out), "--json"])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["fileSequence0.webvtt", "fileSequence1.webvtt",
                                                     "prog_index.m3u8"]
    assert json.loads(result.stdout)["playlist"] == str(out / "prog_index.m3u8")


def test_many_inputs_through_a_subprocess(title: Path, tmp_path: Path) -> None:
    (title / "broken.srt").write_bytes(BROKEN.encode("latin-1"))
    out = tmp_path / "out"
    completed = run_subkit("segment", str(title), str(out), "--container", "fmp4", "--manifest", "dash")
    assert completed.returncode == 1, completed.stderr
    assert "broken.srt" in completed.stderr and f"{title / 'movie.fr.vtt'} -> {out / 'movie.fr'}" in completed.stderr
    root = ET.parse(out / "manifest.mpd").getroot()
    assert [s.get("lang") for s in root.iter("{urn:mpeg:dash:schema:mpd:2011}AdaptationSet")] == ["en", "fr"]
    assert not (out / "master.m3u8").exists()
    # --track-dir through the process too, and the collision refusal (exit status 2).
    completed = run_subkit("segment", str(title / "movie.en.srt"), str(title / "movie.fr.vtt"), str(tmp_path / "t"),
                           "--track-dir", "{format}")
    assert completed.returncode == 2 and "would both be written to" in completed.stderr


def test_name_tag() -> None:
    assert [name_tag(n) for n in ("a.en.srt", "a.pt-BR.vtt", "a.zh-Hant.srt", "a.final.srt", "a.srt",
                                  "a.xx.srt", "a.EN.srt")] == ["en", "pt-BR", "zh-Hant", None, None, None, None]


def test_manifests_of_one_track_are_those_of_the_single_builders() -> None:
    track = _manifests.TrackInfo("wvtt", 1000, "en", "init.mp4", (("s0.m4s", 0, 6000, 100), ("s1.m4s", 6000, 6000, 90)),
                                 name="Subtitles (en)")
    assert _manifests.mpd_tracks([(track, "s{index}.m4s")]) == _manifests.mpd(track, media_name="s{index}.m4s")
    assert _manifests.hls_master_tracks([(track, "p.m3u8")], variants=[("v.m3u8", 1, "avc1")]) == \
        _manifests.hls_master(track, media_playlist="p.m3u8", variants=[("v.m3u8", 1, "avc1")])
    with pytest.raises(OperationError, match="both named"):
        _manifests.hls_master_tracks([(track, "a.m3u8"), (track, "b.m3u8")])


SHAKA = Path(__file__).resolve().parents[2] / "tests" / "judges" / "node_modules" / "shaka-packager" / "bin" / \
    "packager-linux-x64"


@pytest.mark.skipif(not SHAKA.is_file() or platform.system() != "Linux" or platform.machine() != "x86_64",
                    reason="shaka-packager (tests/judges, npm) is not installed for this platform")
def test_two_languages_as_shaka_packager_packages_them(tmp_path: Path) -> None:
    """The same two WebVTT files packaged by shaka-packager and by subkit: the same renditions and tracks."""
    sources = {"en": "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nHello\n\n00:00:05.000 --> 00:00:13.000\nacross\n",
               "fr": "WEBVTT\n\n00:00:01.500 --> 00:00:03.000\nBonjour\n\n00:00:12.000 --> 00:00:14.000\nfin\n"}
    for lang, text in sources.items():
        (tmp_path / f"movie.{lang}.vtt").write_text(text, encoding="utf-8")
    shaka = tmp_path / "shaka"
    streams = [f"in={tmp_path / f'movie.{lang}.vtt'},stream=text,init_segment={shaka}/{lang}/init.mp4,"
               f"segment_template={shaka}/{lang}/seg_$Number$.m4s,playlist_name={lang}/text.m3u8,language={lang},"
               f"hls_group_id=subs,hls_name={lang}" for lang in sources]
    subprocess.run([str(SHAKA), *streams, "--segment_duration", "6", "--generate_static_live_mpd",
                    "--mpd_output", str(shaka / "manifest.mpd"), "--hls_master_playlist_output",
                    str(shaka / "master.m3u8")], check=True, capture_output=True, timeout=300)
    ours = tmp_path / "ours"
    completed = run_subkit("segment", *(str(tmp_path / f"movie.{lang}.vtt") for lang in sources), str(ours),
                           "--container", "fmp4", "--manifest", "both")
    assert completed.returncode == 0, completed.stderr

    def renditions(folder: Path) -> list[tuple[str, str, str]]:
        found = _renditions(folder / "master.m3u8")
        assert len({r["GROUP-ID"] for r in found}) == 1, "one group holds every language"
        for r in found:
            assert (folder / r["URI"].strip('"')).is_file()
        return [(r["TYPE"], r["LANGUAGE"], r["AUTOSELECT"]) for r in found]

    def adaptation_sets(folder: Path) -> list[tuple[str, ...]]:
        root = ET.parse(folder / "manifest.mpd").getroot()
        found: list[tuple[str, ...]] = []
        for adaptation in root.findall("d:Period/d:AdaptationSet", MPD_NS):
            role = adaptation.find("d:Role", MPD_NS)
            rep = adaptation.find("d:Representation", MPD_NS)
            assert role is not None and rep is not None
            found.append((adaptation.get("contentType", ""), adaptation.get("lang", ""), role.get("value", ""),
                          rep.get("codecs", ""), rep.get("mimeType", "") or adaptation.get("mimeType", "")))
        ids = [adaptation.get("id", "") for adaptation in root.iter("{urn:mpeg:dash:schema:mpd:2011}AdaptationSet")]
        assert sorted(ids) == [str(n) for n in range(len(found))]
        return sorted(found)

    # shaka-packager lists the renditions in the order its threads finish: compare them as sets.
    assert renditions(ours) == sorted(renditions(shaka)) == [("SUBTITLES", '"en"', "YES"),
                                                             ("SUBTITLES", '"fr"', "YES")]
    assert adaptation_sets(ours) == adaptation_sets(shaka)
    for lang in sources:
        for manifest in ("master.m3u8", "manifest.mpd"):
            theirs = [(c.start_ms, c.end_ms, c.plain_text())
                      for c in subkit.load(shaka / manifest, language=lang).cues]
            mine = [(c.start_ms, c.end_ms, c.plain_text()) for c in subkit.load(ours / manifest, language=lang).cues]
            assert mine == theirs and len(mine) == 2, (lang, manifest)
