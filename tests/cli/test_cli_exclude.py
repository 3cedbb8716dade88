"""``subkit exclude``: ranges, modes, streams, JSON summary, usage errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import subkit
from subkit.cli import cli
from tests.ops.helpers import run_subkit

SRT = ("1\n00:00:01,000 --> 00:00:02,000\none\n\n2\n00:00:03,000 --> 00:00:05,000\ntwo\n\n"
       "3\n00:00:10,000 --> 00:00:11,000\nthree\n")


def _write(tmp_path: Path) -> Path:
    path = tmp_path / "in.srt"
    path.write_text(SRT, encoding="utf-8")
    return path


def test_exclude_drop_by_default(runner: CliRunner, tmp_path: Path) -> None:
    source, out = _write(tmp_path), tmp_path / "out.srt"
    result = runner.invoke(cli, ["exclude", str(source), str(out), "--range", "0:02.5-0:04"])
    assert result.exit_code == 0, result.stderr
    assert [c.plain_text() for c in subkit.load(out)] == ["one", "three"]
    assert result.stdout == ""
    assert "exclude: cues 3 -> 2; cues dropped 1" in result.stderr


def test_exclude_cut_to_stdout_keeps_the_input_format(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["exclude", "-", "-", "--range", "2-3", "--range", "5-9", "--mode", "cut", "-q"],
                           input=SRT)
    assert result.exit_code == 0, result.stderr
    doc = subkit.loads(result.stdout, format="srt")
    assert [(c.start_ms, c.end_ms) for c in doc] == [(1000, 2000), (2000, 4000), (5000, 6000)]
    assert result.stderr == ""


def test_exclude_json_summary(runner: CliRunner, tmp_path: Path) -> None:
    source, out = _write(tmp_path), tmp_path / "out.vtt"
    result = runner.invoke(cli, ["exclude", str(source), str(out), "--range", "4-10.5", "-m", "clip", "--json"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["from"] == "srt" and summary["to"] == "webvtt"
    assert summary["steps"] == [{"step": "exclude", "cues_before": 3, "cues_after": 3,
                                 "changes": {"cues clipped": 2}}]
    assert out.read_text(encoding="utf-8").startswith("WEBVTT")


def test_exclude_bad_range_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    source, out = _write(tmp_path), tmp_path / "out.srt"
    result = runner.invoke(cli, ["exclude", str(source), str(out), "--range", "20-10"])
    assert result.exit_code == 2
    assert "the end must be after the start" in result.stderr
    assert not out.exists()
    missing = runner.invoke(cli, ["exclude", str(source), str(out)])
    assert missing.exit_code == 2 and "--range" in missing.stderr


def test_exclude_unreadable_input_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["exclude", str(tmp_path / "nope.srt"), str(tmp_path / "o.srt"), "--range", "1-2"])
    assert result.exit_code == 1
    assert result.stderr.startswith("subkit: ")


def test_exclude_through_a_subprocess() -> None:
    completed = run_subkit("exclude", "-", "-", "--range", "0:02.5-0:04", input=SRT)
    assert completed.returncode == 0, completed.stderr
    assert [c.plain_text() for c in subkit.loads(completed.stdout, format="srt")] == ["one", "three"]
    bad = run_subkit("exclude", "-", "-", "--range", "4-3", input=SRT)
    assert bad.returncode == 2 and "subkit" in bad.stderr


def test_short_r_is_the_read_option_everywhere(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["exclude", "-", "-", "-r", "2-3"], input=SRT)
    assert result.exit_code == 2
    assert "exclude needs --range START-END (the short -r is --read-option" in result.stderr
    result = runner.invoke(cli, ["exclude", "-", "-", "--range", "2-3", "-w", "short_times=yes", "--to", "vtt"],
                           input=SRT)
    assert result.exit_code == 0, result.stderr
    times = [line for line in result.stdout.splitlines() if " --> " in line]
    assert times and all(len(line.split(" --> ")[0]) == len("00:01.000") for line in times)
