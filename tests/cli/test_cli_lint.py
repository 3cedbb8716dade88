"""``subkit lint``: text, JSON, CSV and HTML reports, exit statuses, profiles, rule selection, fixes, shot changes."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import subkit
from subkit.cli import cli
from tests.ops.helpers import run_subkit

GOOD = "1\n00:00:01,000 --> 00:00:03,000\nA fine line.\n"
BAD = GOOD + "\n2\n00:00:02,500 --> 00:00:02,800\n" + "x" * 50 + "\n"


def _file(tmp_path: Path, text: str, name: str = "in.srt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_lint_clean_file_exits_0(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["lint", str(_file(tmp_path, GOOD))])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no findings in 1 cue(s) (profile default, 23.976 fps assumed)" in result.stderr


def test_lint_lists_findings_and_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    path = _file(tmp_path, BAD)
    result = runner.invoke(cli, ["lint", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split(": ")[2] for line in lines] == ["min-duration", "overlap", "cps", "cpl"]
    assert lines[0].startswith(f"{path}: cue 2 (0:00:02.500 --> 0:00:02.800): min-duration:")
    assert "4 finding(s) in 1 of 2 cue(s) (profile default" in result.stderr


def test_lint_json(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["lint", str(_file(tmp_path, BAD)), "--json", "--profile", "relaxed"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["count"] == len(report["findings"]) == 3  # 50 characters fit the relaxed 50
    assert report["profile"]["name"] == "relaxed" and report["fps_source"] == "assumed"
    first = report["findings"][0]
    assert {"rule", "cue", "start", "end", "start_ms", "end_ms", "value", "limit", "message", "severity",
            "fixable"} <= set(first)


def test_lint_csv_and_html(runner: CliRunner, tmp_path: Path) -> None:
    html = tmp_path / "report.html"
    result = runner.invoke(cli, ["lint", str(_file(tmp_path, BAD)), "--csv", "--html", str(html)])
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["rule"] for row in rows] == ["min-duration", "overlap", "cps", "cpl"]
    assert rows[0]["cue"] == "2" and rows[0]["start"] == "0:00:02.500"
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "<script" not in page
    assert page.count("<tr class=") == 4 and "min-duration (1)" in page


def test_lint_profile_file_and_bad_profile(runner: CliRunner, tmp_path: Path) -> None:
    profile = tmp_path / "loose.json"
    profile.write_text(json.dumps({"max_cps": None, "max_cpl": None, "min_duration_ms": None, "overlaps": False}),
                       encoding="utf-8")
    result = runner.invoke(cli, ["lint", str(_file(tmp_path, BAD)), "--profile", str(profile)])
    assert result.exit_code == 0, result.stdout
    bad = runner.invoke(cli, ["lint", str(_file(tmp_path, BAD)), "--profile", "netflix-english"])
    assert bad.exit_code == 2 and "unknown lint profile" in bad.stderr


def test_lint_rule_selection_and_overrides(runner: CliRunner, tmp_path: Path) -> None:
    path = str(_file(tmp_path, BAD))
    only = runner.invoke(cli, ["lint", path, "--rules", "cpl", "--json"])
    assert [f["rule"] for f in json.loads(only.stdout)["findings"]] == ["cpl"]
    dropped = runner.invoke(cli, ["lint", path, "--rules", "-cps,-cpl", "--json"])
    assert [f["rule"] for f in json.loads(dropped.stdout)["findings"]] == ["min-duration", "overlap"]
    loosened = runner.invoke(cli, ["lint", path, "--set", "max_cpl=60", "--set", "cps.max_cps=200", "--json"])
    assert [f["rule"] for f in json.loads(loosened.stdout)["findings"]] == ["min-duration", "overlap"]
    typo = runner.invoke(cli, ["lint", path, "--set", "max_cpss=3"])
    assert typo.exit_code == 2 and "did you mean 'max_cps'" in typo.stderr
    unknown = runner.invoke(cli, ["lint", path, "--rules", "all,-cpss"])
    assert unknown.exit_code == 2 and "did you mean 'cps'" in unknown.stderr


def test_lint_lists_rules_and_profiles(runner: CliRunner) -> None:
    rules = runner.invoke(cli, ["lint", "--list-rules"])
    assert rules.exit_code == 0 and rules.stdout.startswith("min-duration")
    profiles = runner.invoke(cli, ["lint", "--list-profiles"]).stdout
    for name in ("netflix-en", "netflix-en-children", "netflix-ja-sdh", "bbc", "fcc-608", "ebu-tt-d", "default"):
        assert f"\n{name} " in f"\n{profiles}"


def test_lint_fix_writes_the_repaired_file(runner: CliRunner, tmp_path: Path) -> None:
    source = _file(tmp_path, "1\n00:00:01,000 --> 00:00:03,000\nWait...  what?\n\n"
                             "2\n00:00:03,010 --> 00:00:05,000\n(door slams)\n", name="ep.srt")
    out = tmp_path / "fixed.vtt"
    result = runner.invoke(cli, ["lint", str(source), "--profile", "netflix-en-sdh", "--fix", "-o", str(out)])
    assert result.exit_code == 0, result.stdout + result.stderr
    fixed = subkit.load(out)
    assert [c.plain_text() for c in fixed] == ["Wait… what?", "[door slams]"]
    assert fixed.cues[1].start_ms - fixed.cues[0].end_ms == 84
    assert "fixed: timing 1, ellipsis 1, whitespace 1, hi-brackets 1" in result.stderr
    again = runner.invoke(cli, ["lint", str(out), "--profile", "netflix-en-sdh", "--fix", "-o",
                                str(tmp_path / "b.vtt")])
    assert "nothing to fix" in again.stderr
    assert (tmp_path / "b.vtt").read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_lint_fix_usage(runner: CliRunner, tmp_path: Path) -> None:
    path = str(_file(tmp_path, GOOD))
    assert runner.invoke(cli, ["lint", path, "--fix"]).exit_code == 2
    assert runner.invoke(cli, ["lint", path, "-o", "x.srt"]).exit_code == 2
    assert runner.invoke(cli, ["lint", path, "--fix", "-o", path]).exit_code == 2
    assert runner.invoke(cli, ["lint"]).exit_code == 2


def test_lint_many_files_and_out_dir(runner: CliRunner, tmp_path: Path) -> None:
    a, b = _file(tmp_path, GOOD, "a.srt"), _file(tmp_path, BAD, "b.srt")
    out = tmp_path / "fixed"
    result = runner.invoke(cli, ["lint", str(a), str(b), "--fix", "--out-dir", str(out), "--json"])
    report = json.loads(result.stdout)
    assert [f["file"] for f in report["files"]] == [str(a), str(b)] and report["failed"] is True
    assert sorted(p.name for p in out.iterdir()) == ["a.srt", "b.srt"]


def test_lint_shot_changes_from_a_file(runner: CliRunner, tmp_path: Path) -> None:
    source = _file(tmp_path, "1\n00:00:01,100 --> 00:00:02,950\nA line.\n")
    shots = tmp_path / "shots.txt"
    shots.write_text("# seconds\n1.0\n3.0\n", encoding="utf-8")
    result = runner.invoke(cli, ["lint", str(source), "--profile", "netflix-en", "--rules", "shot-change",
                                 "--shot-changes", str(shots), "--json"])
    findings = json.loads(result.stdout)["findings"]
    assert [f["message"].split(" ")[0] for f in findings] == ["starts", "ends"]
    frames = tmp_path / "frames.txt"
    frames.write_text("24\n72\n", encoding="utf-8")  # whole numbers: frames at --fps
    by_frames = runner.invoke(cli, ["lint", str(source), "--profile", "netflix-en", "--rules", "shot-change",
                                    "--shot-changes", str(frames), "--fps", "24", "--json"])
    assert len(json.loads(by_frames.stdout)["findings"]) == 2


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")
def test_lint_shot_changes_from_a_video(runner: CliRunner, tmp_path: Path) -> None:
    video = tmp_path / "cuts.mp4"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", "color=red:s=128x72:d=1:r=25", "-f", "lavfi", "-i", "color=blue:s=128x72:d=1:r=25",
         "-f", "lavfi", "-i", "color=green:s=128x72:d=1:r=25", "-filter_complex", "[0][1][2]concat=n=3:v=1",
         str(video)], check=True)
    source = _file(tmp_path, "1\n00:00:01,120 --> 00:00:01,800\nA line.\n")
    result = runner.invoke(cli, ["lint", str(source), "--profile", "netflix-en", "--rules", "shot-change",
                                 "--video", str(video), "--fix", "-o", str(tmp_path / "snapped.srt")])
    assert result.exit_code == 0, result.stdout + result.stderr
    snapped = subkit.load(tmp_path / "snapped.srt")
    # In on the cut at 1 s; out 2 frames before the cut at 2 s (at the profile's 23.976 fps: 84 ms).
    assert snapped.cues[0].start_ms == 1000 and snapped.cues[0].end_ms == 2000 - 84
    assert (tmp_path / "cuts.mp4.shotchanges").read_text(encoding="utf-8").splitlines()[1:] == ["1.000", "2.000"]


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
    assert "lint: cue 2 (0:00:02.500 --> 0:00:02.800): min-duration:" in result.stderr
    bad = runner.invoke(cli, ["process", str(_file(tmp_path, BAD)), str(tmp_path / "bad.srt"), "lint", "--profile",
                              "nonesuch"])
    assert bad.exit_code == 2 and "unknown lint profile" in bad.stderr
    # out.srt is there from the first run: replacing it (an OUT of IN's kind) takes --force.
    fixed = runner.invoke(cli, ["process", "--json", "--force", str(_file(tmp_path, BAD)), str(out), "lint", "--fix"])
    (step,) = json.loads(fixed.stdout)["steps"]
    assert step["changes"]["fixed timing"] == 2
