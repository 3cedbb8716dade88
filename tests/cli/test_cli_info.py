"""``subkit info``: the facts about a file, as text and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import subkit
from subkit.cli import cli
from subkit.model import Document
from tests.cli.helpers import DEMO_TEXT, needs_formats


def _json(runner: CliRunner, *args: str, stdin: bytes | None = None) -> dict[str, object]:
    result = runner.invoke(cli, ["info", "--json", *args], input=stdin)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    facts = json.loads(result.stdout)
    assert isinstance(facts, dict)
    return facts


def test_info_text_report(runner: CliRunner, demo: Path) -> None:
    result = runner.invoke(cli, ["info", "--from", "srt", str(demo)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    rows = dict(line.split(":", 1) for line in result.stdout.splitlines())
    values = {key: value.strip() for key, value in rows.items()}
    assert values["file"] == str(demo)
    assert values["format"] == "srt (SubRip)"
    assert values["encoding"] == "utf-8"
    assert values["cues"] == "3"
    assert values["duration"] == "0:00:09.000"
    assert values["first cue"] == "0:00:01.000 --> 0:00:03.200"
    assert values["last cue"] == "0:00:06.500 --> 0:00:09.000"
    assert values["word timing"] == "0 of 3 cues"
    assert values["styles"] == "none"
    assert values["regions"] == "none"
    assert values["canvas"] == "-"
    assert values["frame rate"] == "-"
    assert "italic (1)" in values["features"]
    assert "alignment (1)" in values["features"]
    assert values["diagnostics"] == "none"


def test_info_json_report(runner: CliRunner, demo: Path) -> None:
    facts = _json(runner, "-f", "srt", str(demo))
    assert facts["file"] == str(demo)
    assert (facts["format"], facts["source_format"], facts["encoding"]) == ("srt", "srt", "utf-8")
    assert facts["cues"] == 3
    assert facts["duration_ms"] == 9000
    assert facts["first_cue"] == {"start_ms": 1000, "end_ms": 3200}
    assert facts["last_cue"] == {"start_ms": 6500, "end_ms": 9000}
    assert facts["word_timed_cues"] == 0
    assert facts["styles"] == [] and facts["regions"] == []
    assert facts["canvas"] is None and facts["frame_rate"] is None and facts["fps"] is None
    features = facts["features"]
    assert isinstance(features, dict)
    assert features["italic"] == {"cues": 1, "first_cue": 0}
    assert features["alignment"] == {"cues": 1, "first_cue": 2}
    assert facts["diagnostics"] == []


def test_info_model_extras(runner: CliRunner, rich: Path) -> None:
    facts = _json(runner, "--from", "subkit-json", str(rich))
    assert facts["format"] == "subkit_json"
    assert facts["word_timed_cues"] == 1
    assert facts["styles"] == ["Default"]
    assert facts["regions"] == ["top"]
    assert facts["canvas"] == [1920, 1080]
    assert facts["frame_rate"] == "24000/1001"
    assert facts["fps"] == 23.976
    features = facts["features"]
    assert isinstance(features, dict)
    assert features["speaker"] == {"cues": 2, "first_cue": 0}
    assert features["word-timing"] == {"cues": 1, "first_cue": 0}
    assert features["regions"] == {"cues": 0, "first_cue": None}

    text = runner.invoke(cli, ["info", "-f", "subkit_json", str(rich)])
    assert text.exit_code == 0, text.stderr
    assert "canvas:      1920x1080" in text.stdout
    assert "frame rate:  23.976 fps (24000/1001)" in text.stdout
    assert "styles:      1: Default" in text.stdout
    assert "word timing: 1 of 2 cues" in text.stdout


def test_info_names_the_format_a_stored_document_came_from(
    runner: CliRunner, demo: Path, tmp_path: Path
) -> None:
    stored = tmp_path / "demo.subkit.json"
    data = subkit.dumps(subkit.load(demo, format="srt"), "subkit_json")
    assert isinstance(data, str)
    stored.write_text(data, encoding="utf-8")
    facts = _json(runner, "-f", "subkit_json", str(stored))
    assert (facts["format"], facts["source_format"]) == ("subkit_json", "srt")
    text = runner.invoke(cli, ["info", "-f", "subkit_json", str(stored)])
    assert "made from:   srt (SubRip)" in text.stdout


def test_info_diagnostics_with_line_numbers(runner: CliRunner, flawed: Path) -> None:
    facts = _json(runner, "-f", "srt", str(flawed))
    diagnostics = facts["diagnostics"]
    assert isinstance(diagnostics, list)
    assert [(d["line"], d["severity"]) for d in diagnostics] == [(2, "warning"), (6, "error")]
    text = runner.invoke(cli, ["info", "-f", "srt", str(flawed)])
    assert text.exit_code == 0
    assert "diagnostics: 2" in text.stdout
    assert f"  {flawed}:2: warning: " in text.stdout
    assert f"  {flawed}:6: error: " in text.stdout


def test_info_empty_document(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.subkit.json"
    data = subkit.dumps(Document(), "subkit_json")
    assert isinstance(data, str)
    empty.write_text(data, encoding="utf-8")
    facts = _json(runner, "-f", "subkit_json", str(empty))
    assert facts["cues"] == 0
    assert facts["first_cue"] is None and facts["last_cue"] is None
    assert facts["features"] == {}
    text = runner.invoke(cli, ["info", "-f", "subkit_json", str(empty)])
    assert "first cue:   -" in text.stdout


def test_info_reads_stdin_and_encodings(runner: CliRunner) -> None:
    data = DEMO_TEXT.replace("Welcome", "Café").encode("cp1252")
    facts = _json(runner, "-f", "srt", "-e", "cp1252", "-", stdin=data)
    assert facts["file"] == "<stdin>"
    assert facts["encoding"] == "cp1252"
    assert facts["cues"] == 3


@pytest.mark.usefixtures("only_srt_and_json")
def test_info_detection_path(runner: CliRunner, demo: Path) -> None:
    assert _json(runner, str(demo))["format"] == "srt"
    assert _json(runner, "-", stdin=demo.read_bytes())["format"] == "srt"


@needs_formats()
def test_info_detects_the_format(runner: CliRunner, demo: Path) -> None:
    facts = _json(runner, str(demo))
    assert facts["format"] == "srt"


def test_info_bad_file_is_one_line_exit_1(runner: CliRunner, bad: Path) -> None:
    result = runner.invoke(cli, ["info", "-f", "srt", str(bad)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"subkit: {bad}:1: ")
    assert result.stderr.count("\n") == 1


def test_info_missing_file_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["info", "-f", "srt", str(tmp_path / "gone.srt")])
    assert result.exit_code == 1
    assert result.stderr == f"subkit: {tmp_path / 'gone.srt'}: cannot read: No such file or directory\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["info", "--from", "docx", "F"], "unknown format 'docx'"),
        (["info", "--encoding", "nope", "F"], "unknown encoding 'nope'"),
        (["info"], "Missing argument 'FILE...'"),
    ],
)
def test_info_usage_errors_exit_2(runner: CliRunner, demo: Path, args: list[str], message: str) -> None:
    result = runner.invoke(cli, [str(demo) if a in ("F", "G") else a for a in args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
