"""``subkit lint``: text and JSON reports, exit statuses, profiles."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from subkit.cli import cli
from tests.ops.helpers import run_subkit

GOOD = "1\n00:00:01,000 --> 00:00:03,000\nA fine line.\n"
BAD = GOOD + "\n2\n00:00:02,500 --> 00:00:02,800\n" + "x" * 50 + "\n"


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "in.srt"
    path.write_text(text, encoding="utf-8")
    return path


def test_lint_clean_file_exits_0(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["lint", str(_file(tmp_path, GOOD))])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no violations in 1 cue(s)" in result.stderr


def test_lint_lists_violations_and_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    path = _file(tmp_path, BAD)
    result = runner.invoke(cli, ["lint", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split(": ")[2] for line in lines] == ["cps", "cpl", "duration", "overlap"]
    assert lines[0].startswith(f"{path}: cue 2 (0:00:02.500 --> 0:00:02.800): cps:")
    assert "4 violation(s) in 1 of 2 cue(s) (profile default)" in result.stderr


def test_lint_json(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["lint", str(_file(tmp_path, BAD)), "--json", "--profile", "relaxed"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["count"] == len(report["violations"]) == 3  # 50 characters fit the relaxed 50
    assert report["profile"]["name"] == "relaxed"
    first = report["violations"][0]
    assert {"rule", "cue", "start", "end", "start_ms", "end_ms", "value", "limit", "message"} <= set(first)


def test_lint_profile_file_and_bad_profile(runner: CliRunner, tmp_path: Path) -> None:
    profile = tmp_path / "loose.json"
    profile.write_text(json.dumps({"max_cps": None, "max_cpl": None, "min_duration_ms": None, "overlaps": False}),
                       encoding="utf-8")
    result = runner.invoke(cli, ["lint", str(_file(tmp_path, BAD)), "--profile", str(profile)])
    assert result.exit_code == 0, result.stdout
    bad = runner.invoke(cli, ["lint", str(_file(tmp_path, BAD)), "--profile", "nonesuch"])
    assert bad.exit_code == 2 and "unknown lint profile" in bad.stderr


def test_lint_reads_stdin(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["lint", "-", "--from", "srt"], input=BAD)
    assert result.exit_code == 1 and result.stdout.startswith("<stdin>: cue 2")


def test_lint_through_a_subprocess(tmp_path: Path) -> None:
    assert run_subkit("lint", str(_file(tmp_path, GOOD))).returncode == 0
    completed = run_subkit("lint", str(_file(tmp_path, BAD)), "--json")
    assert completed.returncode == 1 and json.loads(completed.stdout)["count"] == 4


def test_lint_as_a_process_step(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out.srt"
    result = runner.invoke(cli, ["process", "--json", str(_file(tmp_path, BAD)), str(out), "lint", "clean", "lint",
                                 "--profile", "relaxed"])
    assert result.exit_code == 0, result.stderr
    steps = json.loads(result.stdout)["steps"]
    assert [s["changes"].get("violations", 0) for s in steps if s["step"] == "lint"] == [4, 2]
    assert "lint: cue 2 (0:00:02.500 --> 0:00:02.800): cps:" in result.stderr
    bad = runner.invoke(cli, ["process", str(_file(tmp_path, BAD)), str(out), "lint", "--profile", "nonesuch"])
    assert bad.exit_code == 2 and "unknown lint profile" in bad.stderr
