"""``subkit segment``: files written, playlist and segments parsed back."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from subkit.cli import cli
from tests.ops.helpers import run_subkit
from tests.ops.test_segment import parse_playlist, parse_segment

SRT = ("1\n00:00:01,000 --> 00:00:02,000\none\n\n2\n00:00:05,000 --> 00:00:08,000\nacross\n\n"
       "3\n00:00:13,000 --> 00:00:14,000\nlast\n")


def test_segment_writes_playlist_and_segments(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "in.srt"
    source.write_text(SRT, encoding="utf-8")
    out = tmp_path / "hls"
    result = runner.invoke(cli, ["segment", str(source), str(out), "--seconds", "6", "--json"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert [s["cues"] for s in summary["segments"]] == [2, 1, 1]
    playlist = parse_playlist((out / "prog_index.m3u8").read_text(encoding="utf-8"))
    assert playlist["target"] == 6
    assert [uri for _, uri in playlist["entries"]] == [f"fileSequence{i}.webvtt" for i in range(3)]  # type: ignore[attr-defined]
    mpegts, cues = parse_segment((out / "fileSequence1.webvtt").read_text(encoding="utf-8"))
    assert mpegts == 900000 and cues == [(5000, 8000, "across")]


def test_segment_options(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["segment", "-", str(tmp_path), "--seconds", "10", "--mpegts", "0", "--duration",
                                 "0:30", "--media-sequence", "5", "--name", "sub_{index:03d}.vtt", "--playlist",
                                 "subs.m3u8"], input=SRT)
    assert result.exit_code == 0, result.stderr
    playlist = parse_playlist((tmp_path / "subs.m3u8").read_text(encoding="utf-8"))
    assert playlist["sequence"] == 5
    assert [uri for _, uri in playlist["entries"]] == ["sub_000.vtt", "sub_001.vtt", "sub_002.vtt"]  # type: ignore[attr-defined]
    assert parse_segment((tmp_path / "sub_002.vtt").read_text(encoding="utf-8")) == (0, [])


def test_segment_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    for args in (["--seconds", "0.2"], ["--duration", "soon"], ["--name", "fixed.vtt"]):
        result = runner.invoke(cli, ["segment", "-", str(tmp_path / "o"), *args], input=SRT)
        assert result.exit_code == 2, args
    assert not (tmp_path / "o").exists()


def test_segment_through_a_subprocess(tmp_path: Path) -> None:
    completed = run_subkit("segment", "-", str(tmp_path), "--from", "srt", input=SRT)
    assert completed.returncode == 0, completed.stderr
    assert parse_playlist((tmp_path / "prog_index.m3u8").read_text(encoding="utf-8"))["target"] == 6
