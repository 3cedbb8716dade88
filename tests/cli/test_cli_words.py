"""``subkit words``: estimating word times and re-cutting cues from the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import subkit
from subkit.cli import cli

SRT = "1\n00:00:00,000 --> 00:00:04,000\nOne two three, four five six.\n"


@pytest.fixture
def talk(tmp_path: Path) -> Path:
    path = tmp_path / "talk.srt"
    path.write_text(SRT, encoding="utf-8")
    return path


def test_words_to_ass_writes_karaoke_tags(runner: CliRunner, talk: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.ass"
    result = runner.invoke(cli, ["words", str(talk), str(out)])
    assert result.exit_code == 0, result.stderr
    (line,) = [line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("Dialogue")]
    assert line.count("\\k") >= 6
    assert "words: cues 1 -> 1; estimated 1" in result.stderr


def test_words_recut_to_webvtt(runner: CliRunner, talk: Path) -> None:
    result = runner.invoke(cli, ["words", str(talk), "-", "--to", "vtt", "--max-words-per-line", "3",
                                 "--max-lines", "1"])
    assert result.exit_code == 0, result.stderr
    doc = subkit.loads(result.stdout, format="webvtt")
    assert [c.plain_text() for c in doc] == ["One two three,", "four five six."]
    assert all(c.words for c in doc)


def test_words_syllables_and_no_pauses_json(runner: CliRunner, talk: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.subkit.json"
    result = runner.invoke(cli, ["words", str(talk), str(out), "--estimate", "syllables", "--no-pauses",
                                 "--max-chars", "15", "--json"])
    assert result.exit_code == 0, result.stderr
    doc = subkit.load(out, format="subkit_json")
    assert all(len(line) <= 15 for line in doc[0].plain_text().split("\n"))
    assert '"estimated": 1' in result.stdout


@pytest.mark.parametrize("args", [["--max-lines", "0"], ["--estimate", "letters"], ["--max-chars", "x"]])
def test_bad_options_are_usage_errors(runner: CliRunner, talk: Path, tmp_path: Path, args: list[str]) -> None:
    result = runner.invoke(cli, ["words", str(talk), str(tmp_path / "o.srt"), *args])
    assert result.exit_code == 2


def test_words_step_in_process(runner: CliRunner, talk: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.srt"
    result = runner.invoke(cli, ["process", str(talk), str(out), "words", "--max-words-per-line", "2",
                                 "--max-lines", "2"])
    assert result.exit_code == 0, result.stderr
    assert len(subkit.load(out)) == 2


def test_words_through_a_subprocess(talk: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.vtt"
    completed = subprocess.run([sys.executable, "-m", "subkit", "words", str(talk), str(out), "-q"],
                               capture_output=True, text=True, check=False, timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert "<00:00:0" in out.read_text(encoding="utf-8")
