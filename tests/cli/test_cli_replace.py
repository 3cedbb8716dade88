"""``subkit replace``: --find/--replace pairs, rule files, switches, counts."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import subkit
from subkit.cli import cli
from tests.ops.helpers import run_subkit

SRT = ("1\n00:00:01,000 --> 00:00:02,000\nSo um, the <i>colour</i> of the umbrella\n\n"
       "2\n00:00:03,000 --> 00:00:04,000\num\n")


def _run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, ["replace", "-", "-", *args], input=SRT)
    return result.exit_code, result.stdout, result.stderr


def test_find_without_replace_removes(runner: CliRunner) -> None:
    code, out, err = _run(runner, "--find", "um")
    assert code == 0, err
    doc = subkit.loads(out, format="srt")
    assert [c.plain_text() for c in doc] == ["So the colour of the umbrella"]
    assert "replace: cues 2 -> 1; replaced 2, cues dropped 1" in err


def test_find_replace_pairs_follow_the_command_line_order(runner: CliRunner) -> None:
    code, out, err = _run(runner, "--find", "um", "--find", "colour", "--replace", "color", "--find", "the")
    assert code == 0, err
    assert subkit.loads(out, format="srt")[0].plain_text() == "So color of umbrella"
    assert "<i>color</i>" in out


def test_equals_forms_and_flags(runner: CliRunner) -> None:
    code, out, err = _run(runner, "--find=COLOUR", "--replace=hue", "-i")
    assert code == 0, err
    assert "<i>hue</i>" in out
    code, out, _ = _run(runner, "--regex", "--find", r"(\w+)rella", "--replace", r"[\1]")
    assert "the [umb]" in out
    code, out, _ = _run(runner, "--no-whole-word", "--find", "um", "--replace", "UM")
    assert "UMbrella" in out


def test_rules_file(runner: CliRunner, tmp_path: Path) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps([{"find": "um"}, {"find": "colour", "replace": "color"}]), encoding="utf-8")
    code, _out, err = _run(runner, "--rules", str(rules), "--json")
    assert code == 2 and "--json needs an output file" in err
    target = tmp_path / "out.srt"
    result = runner.invoke(cli, ["replace", "-", str(target), "--rules", str(rules), "--json"], input=SRT)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["steps"][0]["changes"] == {"replaced": 3, "cues dropped": 1}


def test_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    assert _run(runner)[0] == 2
    code, _, err = _run(runner, "--replace", "x")
    assert code == 2 and "--replace must follow" in err
    code, _, err = _run(runner, "--regex", "--find", "(")
    assert code == 2 and "regular expression" in err
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    code, _, err = _run(runner, "--rules", str(bad))
    assert code == 2 and "not JSON" in err


def test_replace_through_a_subprocess() -> None:
    completed = run_subkit("replace", "-", "-", "--find", "colour", "--replace", "color", input=SRT)
    assert completed.returncode == 0, completed.stderr
    assert "<i>color</i>" in completed.stdout and "replaced 1" in completed.stderr
