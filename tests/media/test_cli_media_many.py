"""``subkit render IN...`` and ``subkit burn VIDEO IN...``: many subtitles and folders, one picture or video each."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from subkit.cli import cli
from subkit.cli._media import _fill_media_fields

from .conftest import needs_ffmpeg

ROOT = Path(__file__).resolve().parents[2]
EN = "1\n00:00:00,200 --> 00:00:00,900\nHello there\n\n2\n00:00:01,000 --> 00:00:02,000\nSecond line\n"
FR = "WEBVTT\n\n00:00.200 --> 00:00.900\nBonjour\n\n00:01.000 --> 00:02.000\nDeuxième\n"
BROKEN = "1\n00:00:01,000 --> nonsense\n\x00\x01\x02 not a subtitle\n"
SIZE = ["--size", "160x90"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def title(tmp_path: Path) -> Path:
    """A folder with two subtitles of one title, and a video beside them (left out of folder inputs)."""
    folder = tmp_path / "subs"
    folder.mkdir()
    (folder / "ep1.en.srt").write_text(EN, encoding="utf-8")
    (folder / "ep1.fr.vtt").write_text(FR, encoding="utf-8")
    return folder


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _subkit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "subkit", *args], capture_output=True, text=True, env=_env(),
                          timeout=300, check=False)


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (and a check that it is a PNG)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def probe(path: Path) -> tuple[list[str], float]:
    """The stream types and the duration (seconds) of a media file."""
    done = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type:format=duration",
                           "-of", "json", str(path)], capture_output=True, text=True, check=True, timeout=60)
    info = json.loads(done.stdout)
    return [s["codec_type"] for s in info["streams"]], float(info["format"]["duration"])


def test_media_fields_of_the_name_template() -> None:
    assert _fill_media_fields("{stem}.frame{ext}", ".png") == "{stem}.frame.png"
    assert _fill_media_fields("{format}/{name}{{x}}{stem:>4}", ".mp4") == "mp4/{name}{{x}}{stem:>4}"


@needs_ffmpeg
def test_render_many_inputs_beside_each_input(runner: CliRunner, title: Path) -> None:
    en, fr = title / "ep1.en.srt", title / "ep1.fr.vtt"
    result = runner.invoke(cli, ["render", str(en), str(fr), "--at", "0.5s", *SIZE, "--json"])
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert [(r["input"], r["output"], r["kind"], r["ok"]) for r in records] == [
        (str(en), str(title / "ep1.en.frame.png"), "frame", True),
        (str(fr), str(title / "ep1.fr.frame.png"), "frame", True)]
    assert png_size(title / "ep1.en.frame.png") == (160, 90)
    assert (title / "ep1.en.frame.png").read_bytes() != (title / "ep1.fr.frame.png").read_bytes(), \
        "each picture draws its own subtitle"
    assert f"{en} -> {title / 'ep1.en.frame.png'}" in result.stderr


@needs_ffmpeg
def test_render_folder_out_dir_and_name(runner: CliRunner, title: Path, tmp_path: Path, video_mp4: Path) -> None:
    (title / "ep1.mp4").write_bytes(video_mp4.read_bytes())  # a video in the folder is not an input
    out = tmp_path / "sheets"
    result = runner.invoke(cli, ["render", str(title), "--sheet", "2x1", *SIZE, "--tile-width", "80",
                                 "--out-dir", str(out), "-q"])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["ep1.en.sheet.png", "ep1.fr.sheet.png"]
    alone = runner.invoke(cli, ["render", str(title / "ep1.en.srt"), "--sheet", "2x1", *SIZE, "--tile-width", "80",
                                "-o", "-"])
    assert alone.exit_code == 0 and (out / "ep1.en.sheet.png").read_bytes() == alone.stdout_bytes, \
        "a folder's sheet is the one the file alone gives"
    # --name with the media extension, and a last folder standing for --out-dir.
    shots = tmp_path / "shots"
    shots.mkdir()
    result = runner.invoke(cli, ["render", str(title / "ep1.en.srt"), str(title / "ep1.fr.vtt"), str(shots),
                                 "--at", "1.5s", *SIZE, "--name", "{stem}-1.5s{ext}", "--video", str(video_mp4)])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in shots.iterdir()) == ["ep1.en-1.5s.png", "ep1.fr-1.5s.png"]


@needs_ffmpeg
def test_render_failing_input_and_collisions(runner: CliRunner, title: Path, tmp_path: Path) -> None:
    (title / "broken.srt").write_bytes(BROKEN.encode("latin-1"))
    result = runner.invoke(cli, ["render", str(title), "--at", "0.5s", *SIZE, "--json"])
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    assert [(Path(r["input"]).name, r["ok"]) for r in records] == [
        ("broken.srt", False), ("ep1.en.srt", True), ("ep1.fr.vtt", True)]
    assert "broken.srt" in records[0]["error"] and "broken.srt" in result.stderr
    assert not (title / "broken.frame.png").exists() and (title / "ep1.fr.frame.png").is_file()
    # Two inputs onto one name: refused before anything is drawn.
    out = tmp_path / "one"
    result = runner.invoke(cli, ["render", str(title / "ep1.en.srt"), str(title / "ep1.fr.vtt"), "--at", "1s",
                                 "--out-dir", str(out), "--name", "frame{ext}"])
    assert result.exit_code == 2 and "would both be written to" in result.stderr and not out.exists()
    # An output onto an input, and -o with several inputs.
    result = runner.invoke(cli, ["render", str(title / "ep1.en.srt"), "--clip", "0s-1s", "--name", "{name}"])
    assert result.exit_code == 2 and "refusing to overwrite an input" in result.stderr
    result = runner.invoke(cli, ["render", str(title / "ep1.en.srt"), str(title / "ep1.fr.vtt"), "--at", "1s",
                                 "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 2 and "-o OUT" in result.stderr
    result = runner.invoke(cli, ["render", str(title), "--at", "1s", "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 2 and "-o OUT" in result.stderr
    result = runner.invoke(cli, ["render", str(title / "ep1.en.srt"), "--at", "1s", "--name", "{stem}.jpg"])
    assert result.exit_code == 2 and "PNG" in result.stderr


@needs_ffmpeg
def test_render_in_out_positional(runner: CliRunner, title: Path, tmp_path: Path) -> None:
    frame = tmp_path / "frame.png"
    result = runner.invoke(cli, ["render", str(title / "ep1.en.srt"), str(frame), "--at", "0.5s", *SIZE])
    assert result.exit_code == 0, result.stderr
    assert png_size(frame) == (160, 90) and result.stderr == ""
    same = runner.invoke(cli, ["render", str(title / "ep1.en.srt"), "--at", "0.5s", *SIZE, "-o", "-"])
    assert same.stdout_bytes == frame.read_bytes(), "IN OUT draws what -o OUT draws"


@needs_ffmpeg
def test_render_many_through_a_subprocess(title: Path, tmp_path: Path) -> None:
    (title / "broken.srt").write_bytes(BROKEN.encode("latin-1"))
    out = tmp_path / "out"
    done = _subkit("render", str(title), "--at", "0.5s", *SIZE, "--out-dir", str(out), "--name", "{stem}.f{ext}")
    assert done.returncode == 1, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["ep1.en.f.png", "ep1.fr.f.png"]
    assert "broken.srt" in done.stderr and "Traceback" not in done.stderr
    clash = _subkit("render", str(title / "ep1.en.srt"), str(title / "ep1.fr.vtt"), "--at", "1s", "--name", "x.png")
    assert clash.returncode == 2 and "would both be written to" in clash.stderr


@needs_ffmpeg
def test_burn_one_video_per_subtitle(runner: CliRunner, title: Path, tmp_path: Path, video_mp4: Path) -> None:
    video = title / "ep1.mp4"
    video.write_bytes(video_mp4.read_bytes())
    (title / "broken.srt").write_bytes(BROKEN.encode("latin-1"))
    out = tmp_path / "burned"
    result = runner.invoke(cli, ["burn", str(video), str(title), "--clip", "0s-1s", "--preset", "ultrafast",
                                 "--crf", "35", "--out-dir", str(out), "--json"])
    assert result.exit_code == 1, result.stderr
    records = json.loads(result.stdout)
    assert [(Path(r["input"]).name, Path(r["output"]).name, r["ok"]) for r in records] == [
        ("broken.srt", "broken.burn.mp4", False), ("ep1.en.srt", "ep1.en.burn.mp4", True),
        ("ep1.fr.vtt", "ep1.fr.burn.mp4", True)]
    assert sorted(p.name for p in out.iterdir()) == ["ep1.en.burn.mp4", "ep1.fr.burn.mp4"]
    streams, seconds = probe(out / "ep1.en.burn.mp4")
    assert streams == ["video", "audio"] and 0.9 <= seconds <= 1.2
    assert (out / "ep1.en.burn.mp4").read_bytes() != (out / "ep1.fr.burn.mp4").read_bytes()


@needs_ffmpeg
def test_burn_name_beside_and_refusals(runner: CliRunner, title: Path, tmp_path: Path, video_mp4: Path) -> None:
    en, fr = title / "ep1.en.srt", title / "ep1.fr.vtt"
    result = runner.invoke(cli, ["burn", str(video_mp4), str(en), str(fr), "--clip", "0s-0.5s", "--preset",
                                 "ultrafast", "--name", "{stem}.captioned.mkv", "-q"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert probe(title / "ep1.en.captioned.mkv")[0] == ["video", "audio"]
    assert (title / "ep1.fr.captioned.mkv").is_file()
    result = runner.invoke(cli, ["burn", str(video_mp4), str(en), str(fr), "--name", "same{ext}"])
    assert result.exit_code == 2 and "would both be written to" in result.stderr
    result = runner.invoke(cli, ["burn", str(video_mp4), str(en), "--out-dir", str(video_mp4.parent),
                                 "--name", video_mp4.name])
    assert result.exit_code == 2 and "refusing to overwrite an input" in result.stderr
    result = runner.invoke(cli, ["burn", str(video_mp4), str(en), str(fr), "-o", str(tmp_path / "x.mp4")])
    assert result.exit_code == 2 and "-o OUT" in result.stderr
    result = runner.invoke(cli, ["burn", str(video_mp4), str(title), "-o", str(tmp_path / "x.mp4")])
    assert result.exit_code == 2 and "-o OUT" in result.stderr
    result = runner.invoke(cli, ["burn", str(video_mp4), str(en), "-o", str(video_mp4)])
    assert result.exit_code == 2 and "refusing to overwrite an input" in result.stderr


@needs_ffmpeg
def test_burn_many_through_a_subprocess(title: Path, tmp_path: Path, video_mp4: Path) -> None:
    (title / "broken.srt").write_bytes(BROKEN.encode("latin-1"))
    out = tmp_path / "out"
    out.mkdir()
    done = _subkit("burn", str(video_mp4), str(title / "ep1.en.srt"), str(title / "broken.srt"), str(out),
                   "--clip", "0s-0.5s", "--preset", "ultrafast")
    assert done.returncode == 1, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["ep1.en.burn.mp4"]
    assert "broken.srt" in done.stderr and f"-> {out / 'ep1.en.burn.mp4'}" in done.stderr
    clash = _subkit("burn", str(video_mp4), str(title / "ep1.en.srt"), str(title / "ep1.fr.vtt"), "--name", "a.mp4")
    assert clash.returncode == 2 and "would both be written to" in clash.stderr
