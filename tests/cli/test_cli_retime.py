"""``subkit retime``: each retiming from the command line, and bad values."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import subkit
from subkit.cli import cli
from tests.ops.helpers import run_subkit

SRT = "1\n00:00:10,000 --> 00:00:12,000\nHi\n"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--shift", "1.5s"], (11500, 13500)),
        (["--shift=-500ms"], (9500, 11500)),
        (["--shift", "2"], (12000, 14000)),
        (["--shift", "2.0"], (12000, 14000)),
        (["--shift", "1m30s"], (100000, 102000)),
        (["--shift", "12f", "--fps", "25"], (10480, 12480)),
        (["--shift", "00:00:01:12", "--fps", "25"], (11480, 13480)),
        (["--shift", "-0:01"], (9000, 11000)),
        (["--scale", "2", "--anchor", "0:10"], (10000, 14000)),
        (["--convert-fps", "23.976:25"], (9590, 11508)),
        (["--sync", "10=20", "--sync", "20=40"], (20000, 24000)),
        (["--snap", "23.976"], (10010, 12012)),
        (["--convert-fps", "25:24", "--shift", "1s"], (11417, 13500)),
    ],
)
def test_retime_options(runner: CliRunner, args: list[str], expected: tuple[int, int]) -> None:
    result = runner.invoke(cli, ["retime", "-", "-", *args], input=SRT)
    assert result.exit_code == 0, result.stderr
    (cue,) = subkit.loads(result.stdout, format="srt")
    assert (cue.start_ms, cue.end_ms) == expected
    assert "retime: cues 1 -> 1; cues retimed 1" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "needs --shift"),
        (["--convert-fps", "25"], "FROM:TO"),
        (["--convert-fps", "25:fast"], "frame rate"),
        (["--fps", "23.976:25"], "--convert-fps 23.976:25"),
        (["--shift", "12f"], "--shift: '12f' counts frames"),
        (["--sync", "1=later", "--sync", "2=3"], "--sync: not a duration"),
        (["--sync", "1=2"], "exactly two"),
        (["--sync", "1"], "OLD=NEW"),
        (["--scale", "-1"], "positive"),
        (["--shift", "soon"], "--shift: not a duration: 'soon'"),
    ],
)
def test_retime_usage_errors(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(cli, ["retime", "-", "-", *args], input=SRT)
    assert result.exit_code == 2
    assert message in result.stderr


def test_retime_through_a_subprocess() -> None:
    completed = run_subkit("retime", "-", "-", "--shift", "2s", "--to", "vtt", input=SRT)
    assert completed.returncode == 0, completed.stderr
    assert "00:00:12.000 --> 00:00:14.000" in completed.stdout


def test_retime_old_fps_spelling_refused_through_a_subprocess() -> None:
    completed = run_subkit("retime", "-", "-", "--fps", "23.976:25", input=SRT)
    assert completed.returncode == 2
    assert "--convert-fps 23.976:25" in completed.stderr
    completed = run_subkit("retime", "-", "-", "--shift", "1m", input=SRT)
    assert completed.returncode == 0, completed.stderr
    assert "00:01:10,000 --> 00:01:12,000" in completed.stdout
