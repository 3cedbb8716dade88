"""Messages that help: did-you-mean for misspelt names, clean step usage lines, replace's tidy results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import subkit
from subkit.cli import cli
from subkit.errors import OperationError, UnknownFormatError
from subkit.ops._replace import Rule, replace
from tests.ops.helpers import run_subkit

SRT = ("1\n00:00:01,000 --> 00:00:02,000\nDamn it!\n\n2\n00:00:03,000 --> 00:00:04,000\nUm.\n\n"
       "3\n00:00:05,000 --> 00:00:06,000\nUm.\nHello there\n\n4\n00:00:07,000 --> 00:00:08,000\n...\n\n"
       "5\n00:00:09,000 --> 00:00:10,000\nDAMN.\n")


def test_replace_keeps_case_and_cleans_up_what_it_empties() -> None:
    doc = replace(subkit.loads(SRT, format="srt"), [Rule("damn", "darn", ignore_case=True),
                                                    Rule("um", ignore_case=True)])
    assert [c.plain_text() for c in doc] == ["Darn it!", "Hello there", "...", "DARN."]
    kept = replace(subkit.loads(SRT, format="srt"), [Rule("damn", "heck Yeah", ignore_case=True)])
    assert kept.cues[0].plain_text() == "heck Yeah it!"  # a replacement with capitals is kept as written


def test_misspelt_names_get_a_suggestion(runner: CliRunner, tmp_path: Path) -> None:
    with pytest.raises(OperationError, match=r"'replce' \(did you mean 'replace'\?\)"):
        Rule.from_mapping({"find": "x", "replce": "y"})
    with pytest.raises(UnknownFormatError, match="did you mean 'webvtt'"):
        subkit.formats.get("webvt")
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps([{"find": "um", "ignore_cse": True}]), encoding="utf-8")
    result = runner.invoke(cli, ["replace", "-", "-", "--rules", str(rules)], input=SRT)
    assert result.exit_code == 2 and "'ignore_cse' (did you mean 'ignore_case'?)" in result.stderr
    result = runner.invoke(cli, ["convert", "-", "-", "--to", "vtx"], input=SRT)
    assert result.exit_code == 2 and "did you mean 'webvtt'?" in result.stderr


def test_process_step_errors_print_a_clean_usage_line(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["process", "-", "-", "clean", "--bogus"], input=SRT)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "Usage: subkit clean [OPTIONS]"
    assert lines[1] == "Try 'subkit clean --help' for help."
    assert lines[-1] == "Error: step clean: No such option '--bogus'."
    completed = run_subkit("process", "-", "-", "retime", "--shif", "2", input=SRT)
    assert completed.returncode == 2
    assert "Error: step retime: No such option '--shif'. Did you mean '--shift'?" in completed.stderr
    assert "[save OUT] retime" not in completed.stderr
