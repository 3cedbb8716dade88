"""``subkit merge``: per-input format and encoding, styling of language B, BCP 47 tags checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import subkit
from subkit.cli import cli
from subkit.errors import OperationError
from subkit.model import Color, Run, RunStyle
from subkit.ops._merge import merge
from tests.ops.helpers import run_subkit

EN = "1\n00:00:01,000 --> 00:00:03,000\nHello\n"
ZH_VTT = "WEBVTT\n\n00:00:01.100 --> 00:00:02.900\n你好，世界\n"


def _files(tmp_path: Path) -> tuple[Path, Path]:
    en = tmp_path / "en.srt"
    en.write_text(EN, encoding="utf-8")
    zh = tmp_path / "zh.txt"  # an extension that names no WebVTT: --from-b says what it is
    zh.write_bytes(ZH_VTT.encode("gb18030"))
    return en, zh


def test_per_input_format_and_encoding_and_styling(runner: CliRunner, tmp_path: Path) -> None:
    en, zh = _files(tmp_path)
    out = tmp_path / "both.vtt"
    result = runner.invoke(cli, ["merge", str(en), str(zh), str(out), "-f", "srt", "--from-b", "webvtt",
                                 "--encoding-b", "gb18030", "--lang-b", "zh-Hans", "--color-b", "lightblue",
                                 "--italic-b"])
    assert result.exit_code == 0, result.stderr
    (cue,) = subkit.load(out)
    runs = [item for item in cue.content if isinstance(item, Run)]
    assert [r.text for r in runs] == ["Hello", "你好，世界"]
    assert runs[1].style.italic and runs[1].style.color == Color(r=0xAD, g=0xD8, b=0xE6)
    assert runs[1].style.language == "zh-Hans" and not runs[0].style.italic


def test_ass_top_bottom_styles_language_b(tmp_path: Path) -> None:
    en, zh = _files(tmp_path)
    out = tmp_path / "both.ass"
    completed = run_subkit("merge", str(en), str(zh), str(out), "--from-b", "webvtt", "--encoding-b", "gb18030",
                           "--layout", "ass-top-bottom", "--color-b", "#ff0", "--italic-b")
    assert completed.returncode == 0, completed.stderr
    bottom = subkit.load(out).styles["Bottom"]
    assert bottom.primary_color == Color(r=255, g=255, b=0) and bottom.italic


@pytest.mark.parametrize(("tag", "message"), [
    ("not a tag!", "is not a BCP 47 language tag"),
    ("en_US", "write 'en-US'"),
    ("xx-QQ", "is not a BCP 47 language tag"),
])
def test_language_tags_are_checked(runner: CliRunner, tmp_path: Path, tag: str, message: str) -> None:
    en, zh = _files(tmp_path)
    result = runner.invoke(cli, ["merge", str(en), str(zh), str(tmp_path / "o.vtt"), "--lang-b", tag])
    assert result.exit_code == 2 and message in result.stderr
    with pytest.raises(OperationError, match=message):
        merge(subkit.loads(EN), subkit.loads(EN), secondary_language=tag)


def test_library_secondary_style_and_a_bad_colour(runner: CliRunner, tmp_path: Path) -> None:
    both = merge(subkit.loads(EN), subkit.loads(EN), secondary_style=RunStyle(italic=True))
    runs = [item for item in both.cues[0].content if isinstance(item, Run)]
    assert [r.style.italic for r in runs] == [None, True]
    en, zh = _files(tmp_path)
    result = runner.invoke(cli, ["merge", str(en), str(zh), str(tmp_path / "o.vtt"), "--color-b", "lightbleu"])
    assert result.exit_code == 2 and "did you mean 'lightblue'?" in result.stderr
