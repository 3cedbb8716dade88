"""``subkit segment --container fmp4``: CMAF files and manifests, through click and a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import subkit
from subkit.cli import cli
from tests.ops.helpers import run_subkit

SRT = ("1\n00:00:01,000 --> 00:00:02,000\none\n\n2\n00:00:05,000 --> 00:00:08,000\nacross\n\n"
       "3\n00:00:13,000 --> 00:00:14,000\nlast\n")
CUES = [(1000, 2000, "one"), (5000, 8000, "across"), (13000, 14000, "last")]


def _triples(doc: subkit.Document) -> list[tuple[int, int, str]]:
    return [(c.start_ms, c.end_ms, c.plain_text()) for c in doc.cues]


def test_segment_fmp4_stpp_both_manifests(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "in.srt"
    source.write_text(SRT, encoding="utf-8")
    out = tmp_path / "cmaf"
    result = runner.invoke(cli, ["segment", str(source), str(out), "--container", "fmp4", "--codec", "stpp",
                                 "--manifest", "both", "--language", "en", "--json"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["codecs"] == "stpp.ttml.im1t" and summary["mpd"] == str(out / "manifest.mpd")
    assert [s["cues"] for s in summary["segments"]] == [2, 1, 1]
    assert sorted(p.name for p in out.iterdir()) == ["fileSequence0.m4s", "fileSequence1.m4s", "fileSequence2.m4s",
                                                     "init.mp4", "manifest.mpd", "master.m3u8", "prog_index.m3u8"]
    assert 'lang="en"' in (out / "manifest.mpd").read_text(encoding="utf-8")
    assert _triples(subkit.load(out / "manifest.mpd")) == CUES
    assert "segment: 3 segment(s)" in result.stderr


def test_segment_default_stays_hls_webvtt(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["segment", "-", str(tmp_path)], input=SRT)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fileSequence0.webvtt", "fileSequence1.webvtt",
                                                          "fileSequence2.webvtt", "prog_index.m3u8"]


def test_segment_dash_needs_fmp4(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["segment", "-", str(tmp_path), "--manifest", "dash"], input=SRT)
    assert result.exit_code == 2
    assert "fmp4" in result.stderr and not list(tmp_path.iterdir())


def test_segment_fmp4_subprocess_and_convert_from_manifest(tmp_path: Path) -> None:
    source = tmp_path / "in.srt"
    source.write_text(SRT, encoding="utf-8")
    out = tmp_path / "cmaf"
    done = run_subkit("segment", str(source), str(out), "--container", "fmp4", "--codec", "wvtt",
                      "--variant", "v.m3u8,800000,avc1.4d401f")
    assert done.returncode == 0, done.stderr
    assert 'CODECS="avc1.4d401f,wvtt"' in (out / "master.m3u8").read_text(encoding="utf-8")
    converted = run_subkit("convert", str(out / "master.m3u8"), str(tmp_path / "back.srt"))
    assert converted.returncode == 0, converted.stderr
    assert _triples(subkit.load(tmp_path / "back.srt")) == CUES
    info = run_subkit("info", str(out / "init.mp4"))
    assert info.returncode == 0 and "mp4_wvtt" in info.stdout
