"""Every op command on many inputs and folders: beside the input, --out-dir, --name, and the refusals."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import subkit
from subkit.cli import cli
from tests.ops.helpers import run_subkit

SRT = "1\n00:00:10,000 --> 00:00:12,000\n[MUSIC] Hi\n\n2\n00:00:13,000 --> 00:00:14,000\nthere\n"


def _inputs(tmp_path: Path, *names: str) -> list[Path]:
    paths = []
    for name in names:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(SRT, encoding="utf-8")
        paths.append(path)
    return paths


def test_one_input_is_written_beside_it(runner: CliRunner, tmp_path: Path) -> None:
    (source,) = _inputs(tmp_path, "ep1.srt")
    result = runner.invoke(cli, ["clean", str(source), "--hi"])
    assert result.exit_code == 0, result.stderr
    assert [c.plain_text() for c in subkit.load(tmp_path / "ep1.clean.srt")] == ["Hi", "there"]
    assert source.read_text(encoding="utf-8") == SRT  # the input is untouched
    result = runner.invoke(cli, ["retime", str(source), "--shift", "2", "--to", "vtt"])
    assert result.exit_code == 0, result.stderr
    assert subkit.load(tmp_path / "ep1.retime.vtt").cues[0].start_ms == 12000


def test_a_folder_and_out_dir_and_a_template(runner: CliRunner, tmp_path: Path) -> None:
    _inputs(tmp_path, "season/ep1.srt", "season/ep2.srt")
    (tmp_path / "season" / "notes.md").write_text("not subtitles", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["replace", str(tmp_path / "season"), "--find", "there", "--replace", "here",
                                 "-d", str(out), "--name", "{stem}.fixed{ext}", "--json"])
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert [Path(r["output"]).name for r in records] == ["ep1.fixed.srt", "ep2.fixed.srt"]
    assert all(r["ok"] for r in records)
    assert subkit.load(out / "ep2.fixed.srt").cues[1].plain_text() == "here"


def test_two_paths_stay_in_out_and_a_last_folder_is_the_out_dir(runner: CliRunner, tmp_path: Path) -> None:
    a, b = _inputs(tmp_path, "a.srt", "b.srt")
    (tmp_path / "dest").mkdir()
    result = runner.invoke(cli, ["exclude", str(a), str(tmp_path / "cut.srt"), "--range", "9-12.5"])
    assert result.exit_code == 0, result.stderr
    assert len(subkit.load(tmp_path / "cut.srt").cues) == 1
    result = runner.invoke(cli, ["exclude", str(a), str(b), str(tmp_path / "dest"), "--range", "9-12.5"])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "dest").iterdir()) == ["a.exclude.srt", "b.exclude.srt"]


def test_refusals(runner: CliRunner, tmp_path: Path) -> None:
    (source,) = _inputs(tmp_path, "ep1.srt")
    result = runner.invoke(cli, ["clean", str(source), "--name", "{stem}{ext}"])
    assert result.exit_code == 2 and "refusing to overwrite an input" in result.stderr
    result = runner.invoke(cli, ["clean", str(source), "--name", "{stm}{ext}"])
    assert result.exit_code == 2 and "did you mean {stem}?" in result.stderr
    (tmp_path / "empty").mkdir()
    result = runner.invoke(cli, ["clean", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "no subtitle file" in result.stderr


def test_convert_one_input_writes_beside_it_and_lint_takes_a_folder(tmp_path: Path) -> None:
    _inputs(tmp_path, "ep1.srt", "ep2.srt", "one/ep3.srt")
    completed = run_subkit("convert", str(tmp_path / "one" / "ep3.srt"), "--to", "vtt")
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "one" / "ep3.vtt").read_text(encoding="utf-8").startswith("WEBVTT")
    # Two paths are IN OUT; a folder (or --out-dir, or --name) makes every path an input.
    completed = run_subkit("words", str(tmp_path), "--to", "vtt")
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "ep2.words.vtt").is_file() and (tmp_path / "ep1.words.vtt").is_file()
    completed = run_subkit("lint", str(tmp_path), "--json")
    assert sorted(Path(f["file"]).name for f in json.loads(completed.stdout)["files"]) == [
        "ep1.srt", "ep1.words.vtt", "ep2.srt", "ep2.words.vtt"]


def test_facebook_srt_into_a_folder_is_named_after_the_input(runner: CliRunner, tmp_path: Path) -> None:
    (source,) = _inputs(tmp_path, "demo.srt")
    (tmp_path / "upload").mkdir()
    result = runner.invoke(cli, ["convert", str(source), str(tmp_path / "upload"), "--to", "facebook_srt",
                                 "-l", "en_US"])
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in (tmp_path / "upload").iterdir()] == ["demo.en_US.srt"]


def test_style_takes_many_inputs(runner: CliRunner, tmp_path: Path) -> None:
    _inputs(tmp_path, "a.srt", "b.srt")
    result = runner.invoke(cli, ["style", str(tmp_path / "a.srt"), str(tmp_path / "b.srt"), "-d", str(tmp_path / "o"),
                                 "--to", "ass", "--style", "classic"])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["a.style.ass", "b.style.ass"]


def test_info_takes_many_files_and_folders(runner: CliRunner, tmp_path: Path) -> None:
    _inputs(tmp_path, "a.srt", "b.srt")
    result = runner.invoke(cli, ["info", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.stderr
    assert [r["cues"] for r in json.loads(result.stdout)] == [2, 2]
    result = runner.invoke(cli, ["info", str(tmp_path / "a.srt"), str(tmp_path / "b.srt")])
    assert result.exit_code == 0 and result.stdout.count("== ") == 2
    single = json.loads(runner.invoke(cli, ["info", str(tmp_path / "a.srt"), "--json"]).stdout)
    assert isinstance(single, dict) and single["cues"] == 2
