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


def test_clean_defaults_keep_hearing_impaired_text(runner: CliRunner) -> None:
    code, cues, err = _run(runner)
    assert code == 0, err
    assert cues[0] == (1000, 2000, "[MUSIC]") and cues[1][2] == "JOHN: (laughs) Hello there"
    assert "hearing-impaired" not in err and "overlaps fixed 1" in err


def test_clean_hi(runner: CliRunner) -> None:
    code, cues, err = _run(runner, "--hi")
    assert code == 0, err
    assert [text for _, _, text in cues] == ["Hello there", "Hello there\nhow are you", "how are you\nfine"]
    assert "hearing-impaired removed 3" in err and "cues removed (empty) 1" in err


def test_clean_rolling_strip_and_gap(runner: CliRunner) -> None:
    code, cues, err = _run(runner, "--hi", "--rolling", "--strip-styling", "--min-gap", "2f", "--fps", "25")
    assert code == 0, err
    assert cues == [(2000, 3920, "Hello there"), (4000, 5920, "how are you"), (6000, 8000, "fine")]
    assert "rolling duplicates removed 2" in err and "gaps widened 2" in err


def test_clean_switches_off(runner: CliRunner) -> None:
    code, cues, _ = _run(runner, "--hi", "--no-brackets", "--no-parentheses", "--no-speakers", "--no-fix-overlaps")
    assert code == 0
    assert cues[0] == (1000, 3000, "[MUSIC]")
    assert cues[1][2] == "JOHN: (laughs) Hello there"


def test_clean_durations_and_json(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "in.srt"
    source.write_text(SRT, encoding="utf-8")
    result = runner.invoke(cli, ["clean", str(source), str(tmp_path / "out.srt"), "--hi", "--max-duration", "1.5s",
                                 "--min-duration", "1000ms", "--json"])
    assert result.exit_code == 0, result.stderr
    (step,) = json.loads(result.stdout)["steps"]
    assert step["step"] == "clean" and step["changes"]["durations shortened"] == 3
    assert step["cues_before"] == 4 and step["cues_after"] == 3


def test_clean_usage_errors(runner: CliRunner) -> None:
    assert _run(runner, "--fps", "fast")[0] == 2
    code, _, err = _run(runner, "--rules", "double-space")
    assert code == 2 and "did you mean 'double-spaces'" in err
    code, _, err = _run(runner, "--min-duration", "3s", "--max-duration", "1s")
    assert code == 2 and "above" in err
    assert _run(runner, "--min-gap", "soon")[0] == 2


def test_clean_through_a_subprocess() -> None:
    completed = run_subkit("clean", "-", "-", "-q", "--hi", input=SRT)
    assert completed.returncode == 0, completed.stderr
    assert "[MUSIC]" not in completed.stdout and completed.stderr == ""


def test_clean_rules_and_profile(runner: CliRunner) -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nl'm  here...wait.\n\n2\n00:00:02,010 --> 00:00:04,000\nso.Then go\n"
    result = runner.invoke(cli, ["clean", "-", "-", "--rules", "all", "--profile", "netflix-en"], input=text)
    assert result.exit_code == 0, result.stderr
    doc = subkit.loads(result.stdout, format="srt")
    assert [c.plain_text() for c in doc] == ["I'm here…wait.", "So. Then go"]
    # Netflix wants 2 frames between cues at 23.976 (84 ms); lint with the same profile agrees.
    assert doc.cues[1].start_ms - doc.cues[0].end_ms == 84
    check = runner.invoke(cli, ["lint", "-", "--from", "srt", "--profile", "netflix-en", "--rules", "min-gap"],
                          input=result.stdout)
    assert check.exit_code == 0, check.stdout
