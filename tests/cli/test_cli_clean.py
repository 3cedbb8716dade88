"""``subkit clean``: default fixes, switches, gaps in frames, counts on stderr and in JSON."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import subkit
from subkit.cli import cli
from tests.ops.helpers import run_subkit

SRT = (
    "1\n00:00:01,000 --> 00:00:03,000\n[MUSIC]\n\n"
    "2\n00:00:02,000 --> 00:00:04,000\nJOHN: (laughs) Hello there\n\n"
    "3\n00:00:04,000 --> 00:00:06,000\nHello there\nhow are you\n\n"
    "4\n00:00:06,000 --> 00:00:08,000\nhow are you\n<i>fine</i>\n"
)


def _run(runner: CliRunner, *args: str) -> tuple[int, list[tuple[int, int, str]], str]:
    result = runner.invoke(cli, ["clean", "-", "-", *args], input=SRT)
    doc = subkit.loads(result.stdout, format="srt") if result.exit_code == 0 else None
    cues = [(c.start_ms, c.end_ms, c.plain_text()) for c in doc] if doc else []
    return result.exit_code, cues, result.stderr


def test_clean_defaults(runner: CliRunner) -> None:
    code, cues, err = _run(runner)
    assert code == 0, err
    assert [text for _, _, text in cues] == ["Hello there", "Hello there\nhow are you", "how are you\nfine"]
    assert "hearing-impaired removed 3" in err and "cues removed (empty) 1" in err


def test_clean_rolling_strip_and_gap(runner: CliRunner) -> None:
    code, cues, err = _run(runner, "--rolling", "--strip-styling", "--min-gap", "2f", "--fps", "25")
    assert code == 0, err
    assert cues == [(2000, 3920, "Hello there"), (4000, 5920, "how are you"), (6000, 8000, "fine")]
    assert "rolling duplicates removed 2" in err and "gaps widened 2" in err


def test_clean_switches_off(runner: CliRunner) -> None:
    code, cues, _ = _run(runner, "--no-brackets", "--no-parentheses", "--no-speakers", "--no-fix-overlaps")
    assert code == 0
    assert cues[0] == (1000, 3000, "[MUSIC]")
    assert cues[1][2] == "JOHN: (laughs) Hello there"


def test_clean_durations_and_json(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "in.srt"
    source.write_text(SRT, encoding="utf-8")
    result = runner.invoke(cli, ["clean", str(source), str(tmp_path / "out.srt"), "--max-duration", "1.5s",
                                 "--min-duration", "1000", "--json"])
    assert result.exit_code == 0, result.stderr
    (step,) = json.loads(result.stdout)["steps"]
    assert step["step"] == "clean" and step["changes"]["durations shortened"] == 3
    assert step["cues_before"] == 4 and step["cues_after"] == 3


def test_clean_usage_errors(runner: CliRunner) -> None:
    assert _run(runner, "--fps", "25")[0] == 2
    code, _, err = _run(runner, "--min-duration", "3s", "--max-duration", "1s")
    assert code == 2 and "above" in err
    assert _run(runner, "--min-gap", "soon")[0] == 2


def test_clean_through_a_subprocess() -> None:
    completed = run_subkit("clean", "-", "-", "-q", input=SRT)
    assert completed.returncode == 0, completed.stderr
    assert "[MUSIC]" not in completed.stdout and completed.stderr == ""
