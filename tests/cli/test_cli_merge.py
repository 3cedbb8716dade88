"""``subkit merge`` and ``subkit split``: bilingual files both ways."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import subkit
from subkit.cli import cli
from tests.ops.helpers import run_subkit

EN = "1\n00:00:01,000 --> 00:00:03,000\nHello\n\n2\n00:00:04,000 --> 00:00:06,000\nBye\n"
FR = "1\n00:00:01,100 --> 00:00:02,900\nBonjour\n\n2\n00:00:04,000 --> 00:00:06,000\nAu revoir\n"


def _inputs(tmp_path: Path) -> tuple[Path, Path]:
    en, fr = tmp_path / "en.srt", tmp_path / "fr.srt"
    en.write_text(EN, encoding="utf-8")
    fr.write_text(FR, encoding="utf-8")
    return en, fr


def test_merge_stack_then_split_by_lines(runner: CliRunner, tmp_path: Path) -> None:
    en, fr = _inputs(tmp_path)
    both = tmp_path / "both.srt"
    result = runner.invoke(cli, ["merge", str(en), str(fr), str(both), "--lang-a", "en", "--lang-b", "fr"])
    assert result.exit_code == 0, result.stderr
    assert [c.plain_text() for c in subkit.load(both)] == ["Hello\nBonjour", "Bye\nAu revoir"]
    assert "merge: cues 2 + 2 -> 2; cues stacked 2" in result.stderr
    # SRT keeps no language tags, so the split goes by line position.
    a, b = tmp_path / "a.srt", tmp_path / "b.srt"
    back = runner.invoke(cli, ["split", str(both), str(a), str(b)])
    assert back.exit_code == 0, back.stderr
    assert [c.plain_text() for c in subkit.load(a)] == ["Hello", "Bye"]
    assert [c.plain_text() for c in subkit.load(b)] == ["Bonjour", "Au revoir"]


def test_merge_ass_top_bottom_and_split_by_style(runner: CliRunner, tmp_path: Path) -> None:
    en, fr = _inputs(tmp_path)
    both = tmp_path / "both.ass"
    result = runner.invoke(cli, ["merge", str(en), str(fr), str(both), "--layout", "ass-top-bottom", "--json", "-q"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["cues_out"] == 4 and summary["to"] == "ass" and result.stderr == ""
    text = both.read_text(encoding="utf-8")
    assert "Style: Top," in text and "Style: Bottom," in text
    a, b = tmp_path / "a.vtt", tmp_path / "b.vtt"
    back = runner.invoke(cli, ["split", str(both), str(a), str(b), "--by", "style", "--json"])
    assert back.exit_code == 0, back.stderr
    assert [c.plain_text() for c in subkit.load(b)] == ["Bonjour", "Au revoir"]
    assert [o["cues"] for o in json.loads(back.stdout)["outputs"]] == [2, 2]


def test_split_errors(runner: CliRunner, tmp_path: Path) -> None:
    en, _ = _inputs(tmp_path)
    same = runner.invoke(cli, ["split", str(en), str(tmp_path / "x.srt"), str(tmp_path / "x.srt")])
    assert same.exit_code == 1 and "same file" in same.stderr
    by_style = runner.invoke(cli, ["split", str(en), str(tmp_path / "a.srt"), str(tmp_path / "b.srt"), "--by",
                                   "style"])
    assert by_style.exit_code == 1 and "fewer than two styles" in by_style.stderr
    bad = runner.invoke(cli, ["merge", str(en), str(en), str(tmp_path / "o.srt"), "--layout", "diagonal"])
    assert bad.exit_code == 2
    stdin_twice = runner.invoke(cli, ["merge", "-", "-", str(tmp_path / "o.srt")], input=EN)
    assert stdin_twice.exit_code == 2 and "standard input" in stdin_twice.stderr


def test_merge_and_split_through_a_subprocess(tmp_path: Path) -> None:
    en, fr = _inputs(tmp_path)
    both = tmp_path / "both.vtt"
    assert run_subkit("merge", str(en), str(fr), str(both)).returncode == 0
    completed = run_subkit("split", str(both), "-", str(tmp_path / "fr.vtt"), "--to", "srt")
    assert completed.returncode == 0, completed.stderr
    assert [c.plain_text() for c in subkit.loads(completed.stdout, format="srt")] == ["Hello", "Bye"]
