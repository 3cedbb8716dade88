"""Reader and writer options on the command line: ``--fps``, ``-r KEY=VALUE``, ``-w KEY=VALUE``."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from subkit import formats
from subkit.cli import cli
from subkit.cli._options import convert_value, format_options
from subkit.errors import ConfigError

MICRODVD = "{25}{50}Hello\n{75}{100}World\n"


def test_values_follow_the_declared_types() -> None:
    assert convert_value("yes", bool) is True
    assert convert_value("off", bool | None) is False
    assert convert_value("none", int | None) is None
    assert convert_value("30000/1001", Fraction) == Fraction(30000, 1001)
    assert convert_value("1920x1080", tuple[int, int]) == (1920, 1080)
    with pytest.raises(ValueError, match="is not int"):
        convert_value("many", int)


def test_unknown_option_lists_the_formats_options() -> None:
    options = r"alignment, bom, language, regions, short_times, stylesheets"
    with pytest.raises(ConfigError, match=rf"has no option 'colour' \(its options: {options}\)"):
        format_options(formats.get("webvtt"), "write", ["colour=red"])
    with pytest.raises(ConfigError, match="expected KEY=VALUE"):
        format_options(formats.get("webvtt"), "write", ["short_times"])
    with pytest.raises(ConfigError, match="precision"):
        format_options(formats.get("lrc"), "write", ["precision=4"])


def test_fps_reads_frame_based_input(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "film.sub"
    source.write_text(MICRODVD, encoding="utf-8")
    out = tmp_path / "film.srt"
    result = runner.invoke(cli, ["convert", str(source), str(out), "--fps", "25"])
    assert result.exit_code == 0, result.stderr
    assert "00:00:01,000 --> 00:00:02,000" in out.read_text(encoding="utf-8")
    result = runner.invoke(cli, ["convert", str(source), "-", "--to", "srt", "--fps", "50"])
    assert result.exit_code == 0, result.stderr
    assert "00:00:00,500 --> 00:00:01,000" in result.stdout


def test_fps_writes_frame_based_output(runner: CliRunner, demo: Path) -> None:
    result = runner.invoke(cli, ["convert", str(demo), "-", "--to", "microdvd", "--fps", "25"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "{1}{1}25"
    assert "{25}{80}" in result.stdout  # 1.000 s to 3.200 s at 25 fps


def test_fps_for_formats_without_frames_is_an_error(runner: CliRunner, demo: Path) -> None:
    result = runner.invoke(cli, ["convert", str(demo), "-", "--to", "vtt", "--fps", "25"])
    assert result.exit_code == 2  # a configuration error, like a usage error
    assert "--fps does not apply to srt or webvtt" in result.stderr


def test_write_and_read_options(runner: CliRunner, demo: Path, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["convert", str(demo), "-", "--to", "ass", "-w", "canvas=1280x720"])
    assert result.exit_code == 0, result.stderr
    assert "PlayResX: 1280" in result.stdout and "PlayResY: 720" in result.stdout
    result = runner.invoke(cli, ["convert", str(demo), "-", "--to", "vtt", "-w", "bogus=1"])
    assert result.exit_code == 2
    assert "has no option 'bogus'" in result.stderr
    source = tmp_path / "talk.txt"
    source.write_text("[00:00:01] Ann: Hello there.\n\n[00:00:04] Bob: Hi.\n", encoding="utf-8")
    result = runner.invoke(cli, ["convert", str(source), "-", "--to", "srt", "-r", "speakers=no"])
    assert result.exit_code == 0, result.stderr
    assert "Ann: Hello there." in result.stdout


def test_formats_verbose_lists_options(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["formats", "--verbose"])
    assert result.exit_code == 0, result.stderr
    assert "lrc writer:\n  bom = bool (default: false)\n" in result.stdout
    assert "  enhanced = bool | none (default: none)\n" in result.stdout
    assert "  precision = 2 | 3 (default: 2)\n" in result.stdout
    records = json.loads(runner.invoke(cli, ["formats", "--json"]).stdout)
    by_name = {record["name"]: record for record in records}
    assert by_name["microdvd"]["read_options"]["fps"].startswith("str")
    assert by_name["srt"]["read_options"] == {}


def test_op_commands_take_reader_and_writer_options(runner: CliRunner, demo: Path, tmp_path: Path) -> None:
    source = tmp_path / "film.sub"
    source.write_text(MICRODVD, encoding="utf-8")
    result = runner.invoke(cli, ["clean", str(source), "-", "--to", "srt", "--read-option", "fps=50"])
    assert result.exit_code == 0, result.stderr
    assert "00:00:00,500 --> 00:00:01,000" in result.stdout
    result = runner.invoke(cli, ["process", "--write-option", "canvas=1280x720", "--to", "ass", str(demo), "-",
                                 "retime", "--shift", "1s"])
    assert result.exit_code == 0, result.stderr
    assert "PlayResX: 1280" in result.stdout
    result = runner.invoke(cli, ["style", str(demo), "-", "--to", "vtt", "--write-option", "short_times=yes"])
    assert result.exit_code == 0, result.stderr
    assert "00:01.000 --> " in result.stdout
    result = runner.invoke(cli, ["clean", str(demo), "-", "--to", "srt", "--read-option", "fps=25"])
    assert result.exit_code == 2
    assert "has no option 'fps'" in result.stderr
