"""``subkit render | burn | tracks | extract | mux`` through click's runner and as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import subkit
from subkit.cli import cli

from .conftest import needs_ffmpeg

SRT = "1\n00:00:00,500 --> 00:00:01,500\nHello <i>there</i>\n\n2\n00:00:02,000 --> 00:00:03,250\nSecond cue\n"
VTT = "WEBVTT\n\n00:00.250 --> 00:01.333 line:0\nHola\n"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def subs(tmp_path: Path) -> tuple[Path, Path]:
    srt = tmp_path / "in.srt"
    srt.write_text(SRT, encoding="utf-8")
    vtt = tmp_path / "in.vtt"
    vtt.write_text(VTT, encoding="utf-8")
    return srt, vtt


@needs_ffmpeg
def test_render_frame_and_sheet(runner: CliRunner, subs: tuple[Path, Path], tmp_path: Path) -> None:
    srt, vtt = subs
    frame = tmp_path / "frame.png"
    result = runner.invoke(cli, ["render", str(srt), "--at", "1s", "--size", "320x180", "--background", "#203040",
                                 "-o", str(frame)])
    assert result.exit_code == 0, result.stderr
    assert frame.read_bytes()[:4] == b"\x89PNG" and result.stdout == ""
    sheet = tmp_path / "sheet.png"
    result = runner.invoke(cli, ["render", str(vtt), "--sheet", "2x1", "--size", "320x180", "--tile-width", "160",
                                 "-o", str(sheet)])
    assert result.exit_code == 0, result.stderr
    assert sheet.read_bytes()[:4] == b"\x89PNG"
    assert f"{vtt}: warning: ass cannot express line" in result.stderr, "the ASS writer's losses are shown"


@needs_ffmpeg
def test_render_clip_and_burn(runner: CliRunner, subs: tuple[Path, Path], tmp_path: Path, video_mp4: Path) -> None:
    srt, _ = subs
    clip = tmp_path / "clip.mp4"
    result = runner.invoke(cli, ["render", str(srt), "--clip", "0.5s-1.5s", "--size", "160x90", "--preset",
                                 "ultrafast", "-o", str(clip)])
    assert result.exit_code == 0, result.stderr
    assert clip.stat().st_size > 0
    burnt = tmp_path / "burnt.mkv"
    result = runner.invoke(cli, ["burn", str(video_mp4), str(srt), "-o", str(burnt), "--preset", "ultrafast",
                                 "--crf", "30"])
    assert result.exit_code == 0, result.stderr
    assert "\r" not in result.stderr, "no progress line when stderr is not a terminal"
    streams = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0",
                              str(burnt)], capture_output=True, text=True, check=True).stdout.split()
    assert streams == ["video", "audio"]


def test_render_usage_errors(runner: CliRunner, subs: tuple[Path, Path], tmp_path: Path) -> None:
    srt, _ = subs
    result = runner.invoke(cli, ["render", str(srt), "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 2 and "exactly one of --at" in result.stderr
    result = runner.invoke(cli, ["render", str(srt), "--at", "soon", "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 2 and "not a duration" in result.stderr
    result = runner.invoke(cli, ["render", str(srt), "--at", "1s", "-o", str(tmp_path / "x.jpg")])
    assert result.exit_code == 2 and "PNG" in result.stderr
    result = runner.invoke(cli, ["render", str(srt), "--clip", "5s-2s", "-o", str(tmp_path / "x.mp4")])
    assert result.exit_code == 2 and "ends before it starts" in result.stderr
    result = runner.invoke(cli, ["render", str(srt), "--clip", "1s-2s", "-o", "-"])
    assert result.exit_code == 2 and "a clip is a video file" in result.stderr
    result = runner.invoke(cli, ["burn", "movie.mp4", str(srt), "-o", "-"])
    assert result.exit_code == 2 and "burn writes a video file" in result.stderr
    result = runner.invoke(cli, ["render", str(srt), "--sheet", "four", "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 2 and "COLUMNSxROWS" in result.stderr


@needs_ffmpeg
def test_mux_tracks_extract_round_trip(runner: CliRunner, subs: tuple[Path, Path], tmp_path: Path,
                                       video_mp4: Path) -> None:
    srt, vtt = subs
    out = tmp_path / "out.mkv"
    result = runner.invoke(cli, ["mux", str(video_mp4), str(srt), str(vtt), "-o", str(out), "--lang", "en",
                                 "--lang", "es", "--title", "English", "--default", "--json"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["verified"] is True and [t["codec"] for t in summary["tracks"]] == ["subrip", "webvtt"]
    assert "verified 2 track(s)" in result.stderr
    result = runner.invoke(cli, ["tracks", str(out)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["index", "codec", "kind", "lang", "flags", "cues", "title"]
    assert lines[1].split() == ["2", "subrip", "text", "eng", "default", "2", "English"]
    assert lines[2].split() == ["3", "webvtt", "text", "spa", "-", "1"]
    listed = json.loads(runner.invoke(cli, ["tracks", str(out), "--json"]).stdout)
    assert [t["language"] for t in listed["tracks"]] == ["eng", "spa"]
    result = runner.invoke(cli, ["extract", str(out), "--lang", "es", "-", "--to", "srt"])
    assert result.exit_code == 2  # "-" is not an option value: -o is required for a single output
    result = runner.invoke(cli, ["extract", str(out), "--lang", "es", "-o", "-", "--to", "srt"])
    assert result.exit_code == 0, result.stderr
    # The WebVTT cue sits at the top (line:0), which SRT says with {\an8}.
    assert result.stdout == "1\n00:00:00,250 --> 00:00:01,333\n{\\an8}Hola\n\n"
    folder = tmp_path / "subs"
    result = runner.invoke(cli, ["extract", str(out), "--out-dir", str(folder), "--to", "vtt", "--json"])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["out.2.eng.vtt", "out.3.spa.vtt"]
    english = subkit.load(folder / "out.2.eng.vtt")
    assert [(c.start_ms, c.end_ms) for c in english] == [(500, 1500), (2000, 3250)]


@needs_ffmpeg
def test_mux_and_extract_errors(runner: CliRunner, subs: tuple[Path, Path], tmp_path: Path, video_mp4: Path) -> None:
    srt, _ = subs
    result = runner.invoke(cli, ["mux", str(video_mp4), str(srt), "-o", str(tmp_path / "o.mkv"), "--lang", "en",
                                 "--lang", "fr"])
    assert result.exit_code == 2 and "--lang is given 2 times" in result.stderr
    result = runner.invoke(cli, ["mux", str(video_mp4), str(srt), "-o", str(tmp_path / "o.avi")])
    assert result.exit_code == 2 and result.stderr.startswith("subkit: ")
    result = runner.invoke(cli, ["extract", str(video_mp4), "-o", str(tmp_path / "x.srt")])
    assert result.exit_code == 2 and "no subtitle tracks" in result.stderr
    result = runner.invoke(cli, ["extract", str(video_mp4)])
    assert result.exit_code == 2 and "either -o OUT or --out-dir DIR" in result.stderr
    result = runner.invoke(cli, ["tracks", str(tmp_path / "missing.mkv")])
    assert result.exit_code == 1 and result.stderr == f"subkit: {tmp_path / 'missing.mkv'}: no such file\n"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@needs_ffmpeg
def test_commands_as_a_process(subs: tuple[Path, Path], tmp_path: Path, video_mp4: Path) -> None:
    srt, _ = subs
    out = tmp_path / "proc.mp4"
    done = subprocess.run([sys.executable, "-m", "subkit", "mux", str(video_mp4), str(srt), "-o", str(out),
                           "--lang", "en"], capture_output=True, text=True, env=_env(), timeout=300)
    assert done.returncode == 0, done.stderr
    listed = subprocess.run([sys.executable, "-m", "subkit", "tracks", str(out), "--json"], capture_output=True,
                            text=True, env=_env(), timeout=300)
    assert json.loads(listed.stdout)["tracks"][0]["codec"] == "mov_text"
    frame = subprocess.run([sys.executable, "-m", "subkit", "render", str(srt), "--at", "0:01", "--size", "160x90",
                            "-o", "-"], capture_output=True, env=_env(), timeout=300)
    assert frame.returncode == 0 and frame.stdout[:4] == b"\x89PNG"
    missing = subprocess.run([sys.executable, "-m", "subkit", "render", str(srt), "--at", "1s", "-o", "-"],
                             capture_output=True, text=True, timeout=300,
                             env={**_env(), "SUBKIT_FFMPEG": str(tmp_path / "no-ffmpeg")})
    assert missing.returncode == 2 and "SUBKIT_FFMPEG" in missing.stderr and "Traceback" not in missing.stderr


def test_time_and_range_parameters() -> None:
    from subkit.cli._media import ClockType, RangeType

    clock = ClockType()
    assert [clock.convert(text, None, None) for text in ("12.5s", "1500ms", "1:02.5", "00:01:02,500", "90")] == [
        12_500, 1_500, 62_500, 62_500, 90_000]
    assert RangeType().convert("10s-1:00", None, None) == (10_000, 60_000)


def test_progress_line_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    from subkit.cli._media import end_progress, progress_printer

    assert progress_printer("burning", enabled=False) is None
    show = progress_printer("burning", enabled=True)
    assert show is not None
    show(12.6, 30.0)
    end_progress(show)
    err = capsys.readouterr().err
    assert err.startswith("\rburning  42.0% (0:00:12.600 of 0:00:30.000)") and err.endswith("\r\033[K")
