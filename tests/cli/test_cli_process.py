"""``subkit process``: chains of steps, ``save OUT``, argument splitting, JSON summary, a real subprocess."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import subkit
from subkit.cli import cli
from subkit.cli.process import STEPS, load_step, split_steps
from tests.ops.helpers import run_subkit

SRT = ("1\n00:00:01,000 --> 00:00:03,000\num, hello there\n\n2\n00:00:12,000 --> 00:00:14,000\ncut me\n\n"
       "3\n00:00:25,000 --> 00:00:27,000\n[MUSIC] clean me\n")


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "in.srt"
    path.write_text(SRT, encoding="utf-8")
    return path


def test_every_step_is_a_command_returning_a_document_function() -> None:
    for name in STEPS:
        command = load_step(name)
        assert isinstance(command, click.Command) and command.name == name


def test_process_chain_with_positional_output(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out.ass"
    result = runner.invoke(cli, ["process", str(_file(tmp_path)), str(out), "exclude", "--range", "0:10-0:20",
                                 "--mode", "cut", "replace", "--find", "um", "clean", "--hi"])
    assert result.exit_code == 0, result.stderr
    doc = subkit.load(out)
    assert [(c.start_ms, c.end_ms, c.plain_text()) for c in doc] == [(1000, 3000, "hello there"),
                                                                       (15000, 17000, "clean me")]
    assert result.stderr.splitlines()[-3:] == [
        "exclude: cues 3 -> 2; cues dropped 1, cues moved 1",
        "replace: cues 2 -> 2; replaced 1",
        "clean: cues 2 -> 2; hearing-impaired removed 1",
    ]


def test_process_save_step_and_json(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out.vtt"
    result = runner.invoke(cli, ["process", "--json", str(_file(tmp_path)), "retime", "--shift", "1s",
                                 "replace", "--find", "clean", "--replace", "retime", "save", str(out)])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["cues_in"] == 3 and summary["cues_out"] == 3 and summary["to"] == "webvtt"
    assert summary["steps"] == [
        {"step": "retime", "cues_before": 3, "cues_after": 3, "changes": {"cues retimed": 3}},
        {"step": "replace", "cues_before": 3, "cues_after": 3, "changes": {"replaced": 1}},
    ]
    assert "[MUSIC] retime me" in out.read_text(encoding="utf-8")


def test_split_steps_respects_option_values() -> None:
    target, steps = split_steps(["replace", "--find", "clean", "--replace=exclude", "clean", "save", "o.srt"])
    assert target == "o.srt"
    assert steps == [("replace", ["--find", "clean", "--replace=exclude"]), ("clean", [])]


@pytest.mark.parametrize(
    ("chain", "message"),
    [
        ([], "no steps"),
        (["out.srt"], "no steps"),
        (["out.srt", "explode"], "expected a step name"),
        (["out.srt", "clean", "save", "other.srt"], "given twice"),
        (["clean", "save"], "needs an output"),
        (["clean", "save", "o.srt", "clean"], "must come last"),
        (["out.srt", "exclude"], "--range"),
        (["out.srt", "retime", "--json"], "No such option"),
    ],
)
def test_process_usage_errors(runner: CliRunner, tmp_path: Path, chain: list[str], message: str) -> None:
    result = runner.invoke(cli, ["process", str(_file(tmp_path)), *chain])
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr


def test_process_through_a_subprocess(tmp_path: Path) -> None:
    source = _file(tmp_path)
    completed = run_subkit("process", "--to", "srt", str(source), "-", "exclude", "--range", "10-20", "replace",
                           "--find", "um")
    assert completed.returncode == 0, completed.stderr
    doc = subkit.loads(completed.stdout, format="srt")
    assert [c.plain_text() for c in doc] == ["hello there", "[MUSIC] clean me"]
    assert "exclude: cues 3 -> 2; cues dropped 1" in completed.stderr
