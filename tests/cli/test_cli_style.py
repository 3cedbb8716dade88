"""``subkit style``: settings from a file and flags, the output format's layout, reports and errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import subkit
from subkit.cli import cli

SRT = "1\n00:00:01,000 --> 00:00:03,000\nHello big world\n\n2\n00:00:04,000 --> 00:00:05,000\nBye now\n"


@pytest.fixture
def talk(tmp_path: Path) -> Path:
    path = tmp_path / "talk.srt"
    path.write_text(SRT, encoding="utf-8")
    return path


def _dialogues(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("Dialogue:")]


def test_style_to_ass_with_flags(runner: CliRunner, talk: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.ass"
    result = runner.invoke(cli, ["style", str(talk), str(out), "--style", "karaoke", "--word-color", "#00FF00",
                                 "--canvas-width", "1280", "--canvas-height", "720", "--all-caps"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert "PlayResX: 1280" in text
    dialogues = _dialogues(text)
    assert len(dialogues) == 2
    assert "\\c&H00FF00&" in dialogues[0] and "\\k" in dialogues[0] and "HELLO" in dialogues[0]
    assert "style: cues 2 -> 2" in result.stderr


def test_settings_file_and_flags_override_it(runner: CliRunner, talk: Path, tmp_path: Path) -> None:
    settings = tmp_path / "revid.json"
    settings.write_text(json.dumps({"media_url": "https://example.com/v.mp4", "canvas_width": 640,
                                    "canvas_height": 360,
                                    "settings": {"style": "highlight", "font_size": 30, "bold": True}}),
                        encoding="utf-8")
    out = tmp_path / "out.ass"
    result = runner.invoke(cli, ["style", str(talk), str(out), "--settings", str(settings), "--font-size", "44",
                                 "--no-bold", "--json"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["settings"]["font_size"] == 44 and summary["settings"]["bold"] is False
    assert summary["settings"]["style"] == "highlight" and summary["settings"]["canvas_width"] == 640
    assert summary["cues_in"] == 2 and summary["cues_out"] == len(_dialogues(out.read_text(encoding="utf-8")))
    assert "Style: Default,Arial,44," in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--line-color", "whitish"], "line_color: not a colour: 'whitish' (did you mean 'white'?)"),
        (["--x", "10"], "x and y go together"),
        (["--canvas-width", "100"], "canvas_width and canvas_height go together"),
        (["--font-size", "0"], "font_size must be within 1-1000"),
        (["--style", "karoke"], "Invalid value for '--style'"),
    ],
)
def test_bad_settings_are_usage_errors(runner: CliRunner, talk: Path, tmp_path: Path, args: list[str],
                                       message: str) -> None:
    out = tmp_path / "out.ass"
    result = runner.invoke(cli, ["style", str(talk), str(out), *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert not out.exists()


def test_unknown_key_in_the_settings_file_names_the_nearest(runner: CliRunner, talk: Path, tmp_path: Path) -> None:
    settings = tmp_path / "s.json"
    settings.write_text('{"word_colour": "#FFFFFF"}', encoding="utf-8")
    result = runner.invoke(cli, ["style", str(talk), str(tmp_path / "o.ass"), "--settings", str(settings)])
    assert result.exit_code == 2
    assert "unknown style setting 'word_colour' (did you mean 'word_color'?)" in result.stderr


def test_missing_settings_file_is_an_input_error(runner: CliRunner, talk: Path, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["style", str(talk), str(tmp_path / "o.ass"), "--settings", str(tmp_path / "no")])
    assert result.exit_code == 1
    assert result.stderr.startswith("subkit: ")


def test_webvtt_output_and_losses_on_stderr(runner: CliRunner, talk: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.vtt"
    result = runner.invoke(cli, ["style", str(talk), str(out), "--style", "karaoke", "--angle", "5"])
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "::cue(:past)" in text and "<00:00:" in text
    assert f"{out}: warning: webvtt cannot express angle" in result.stderr


def test_strict_refuses_a_loss(runner: CliRunner, talk: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.vtt"
    result = runner.invoke(cli, ["style", str(talk), str(out), "--angle", "5", "--strict"])
    assert result.exit_code == 1
    assert "angle" in result.stderr
    assert not out.exists()


def test_srt_to_stdout_with_to(runner: CliRunner, talk: Path) -> None:
    result = runner.invoke(cli, ["style", str(talk), "-", "--to", "srt", "--style", "word_by_word", "-q"])
    assert result.exit_code == 0, result.stderr
    doc = subkit.loads(result.stdout, format="srt")
    assert [c.plain_text() for c in doc] == ["Hello", "big", "world", "Bye", "now"]
    assert result.stderr == ""


def test_stdin_to_stdout_keeps_the_input_format(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["style", "-", "-", "--style", "underline", "-q"], input=SRT)
    assert result.exit_code == 0, result.stderr
    assert "<u>Hello</u>" in result.stdout


def test_json_needs_an_output_file(runner: CliRunner, talk: Path) -> None:
    result = runner.invoke(cli, ["style", str(talk), "-", "--to", "ass", "--json"])
    assert result.exit_code == 2
    assert "--json needs an output file" in result.stderr


def test_estimate_and_sweep(runner: CliRunner, talk: Path) -> None:
    result = runner.invoke(cli, ["style", str(talk), "-", "--to", "ass", "--style", "karaoke", "--sweep",
                                 "--estimate", "syllables"])
    assert result.exit_code == 0, result.stderr
    assert "\\kf" in result.stdout


def test_process_step_takes_the_output_format(runner: CliRunner, talk: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.vtt"
    result = runner.invoke(cli, ["process", str(talk), str(out), "style", "--style", "highlight"])
    assert result.exit_code == 0, result.stderr
    assert "<c.yellow>Hello</c>" in out.read_text(encoding="utf-8")
    ass = tmp_path / "out.ass"
    result = runner.invoke(cli, ["process", str(talk), "words", "--max-words-per-line", "2", "style",
                                 "--style", "classic", "--target", "ass", "save", str(ass)])
    assert result.exit_code == 0, result.stderr
    assert "Hello big\\Nworld" in ass.read_text(encoding="utf-8")


def test_process_step_to_stdout_takes_the_input_format(runner: CliRunner, talk: Path) -> None:
    result = runner.invoke(cli, ["process", "-q", str(talk), "-", "style", "--style", "highlight"])
    assert result.exit_code == 0, result.stderr
    doc = subkit.loads(result.stdout, format="srt")
    assert [c.plain_text() for c in doc][:2] == ["Hello big world", "Hello big world"]
    assert all(a.end_ms <= b.start_ms for a, b in zip(doc.cues, doc.cues[1:], strict=False)), "no overlaps"


def test_process_step_bad_settings(runner: CliRunner, talk: Path, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["process", str(talk), str(tmp_path / "o.ass"), "style", "--word-color", "rde"])
    assert result.exit_code == 2
    assert "word_color: not a colour: 'rde' (did you mean 'red'?)" in result.stderr
    result = runner.invoke(cli, ["process", str(talk), str(tmp_path / "o.ass"), "style", "--line-color", "darkred"])
    assert result.exit_code == 0, result.stderr
    assert "&H0000008B" in (tmp_path / "o.ass").read_text(encoding="utf-8").upper()


def test_help_lists_every_setting(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["style", "--help"])
    assert result.exit_code == 0
    for flag in ("--settings", "--style", "--line-color", "--word-color", "--outline-color", "--all-caps",
                 "--max-words-per-line", "--x", "--y", "--position", "--alignment", "--font-family",
                 "--font-size", "--bold", "--italic", "--underline", "--strikeout", "--outline-width",
                 "--spacing", "--angle", "--shadow-offset", "--canvas-width", "--canvas-height"):
        assert flag in result.stdout


def test_through_a_subprocess(talk: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.ass"
    completed = subprocess.run(
        [sys.executable, "-m", "subkit", "style", str(talk), str(out), "--style", "word_by_word", "-q"],
        capture_output=True, text=True, check=False, timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert len(_dialogues(out.read_text(encoding="utf-8"))) == 5
