"""``subkit formats``: the registry as a table and as JSON."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import subkit.cli.formats as formats_cli
from subkit.cli import cli
from subkit.formats import FORMATS, FormatSpec
from subkit.formats import srt as srt_module


def test_formats_table_lists_every_format(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["formats"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["FORMAT", "ALIASES", "EXTENSIONS", "R/W", "WRITER", "EXPRESSES"]
    assert [line.split()[0] for line in lines[1:]] == [spec.name for spec in FORMATS]
    srt_line = next(line for line in lines if line.startswith("srt "))
    assert "subrip" in srt_line and ".srt" in srt_line and " rw " in srt_line
    assert ", ".join(sorted(srt_module.FEATURES)) in srt_line
    json_line = next(line for line in lines if line.startswith("subkit_json "))
    assert "subkit-json" in json_line and ".subkit.json" in json_line


def test_formats_json(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["formats", "--json"])
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert [r["name"] for r in records] == [spec.name for spec in FORMATS]
    by_name = {r["name"]: r for r in records}
    srt_details = by_name["srt"].pop("write_option_details")
    assert [(d["name"], d["values"], d["default"]) for d in srt_details] == [
        ("bom", "bool", False), ("alignment", "bool", True), ("speaker_prefix", "bool", False)]
    assert all(d["meaning"] for d in srt_details) and by_name["srt"].pop("read_option_details") == []
    assert by_name["srt"] == {
        "name": "srt",
        "title": "SubRip",
        "aliases": ["subrip"],
        "extensions": [".srt"],
        "read": True,
        "write": True,
        "binary": False,
        "available": True,
        "features": sorted(srt_module.FEATURES),
        "read_options": {},
        "write_options": {"alignment": "bool", "bom": "bool", "speaker_prefix": "bool"},
    }
    assert "vtt" in by_name["webvtt"]["aliases"]
    assert by_name["webvtt"]["extensions"][0] == ".vtt"
    assert "word-timing" in by_name["subkit_json"]["features"]


def test_formats_marks_a_missing_implementation(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    ghost = FormatSpec("ghost", "Ghost", "subkit.formats._no_such_module", (".ghost",))
    reader = FormatSpec("readonly", "Read only", "subkit.formats.srt", (".ro",), can_write=False)
    monkeypatch.setattr(formats_cli, "FORMATS", (ghost, reader))
    records = json.loads(runner.invoke(cli, ["formats", "--json"]).stdout)
    assert records[0]["available"] is False and records[0]["features"] is None
    assert records[1]["write"] is False and records[1]["features"] == []
    table = runner.invoke(cli, ["formats"]).stdout.splitlines()
    assert table[1].split()[:4] == ["ghost", "-", ".ghost", "rw"]
    assert table[1].endswith("(not available)")
    assert table[2].split()[3:] == ["r-", "-"]


def test_formats_rejects_arguments(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["formats", "srt"])
    assert result.exit_code == 2
    assert "unexpected extra argument" in result.stderr
