"""Facebook SRT: the SRT body, the ll_CC locale option and the file naming of ``subkit convert``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import subkit
from subkit.cli import cli
from subkit.errors import ConfigError
from subkit.formats import facebook_srt
from subkit.model import Cue, Document, Run

from ..strategies import cue_times, words_text
from ._format_checks import golden_test

SRT = "1\n00:00:01,000 --> 00:00:02,000\nHello\n\n"


@pytest.mark.parametrize(("value", "locale"), [("en_US", "en_US"), ("en-us", "en_US"), ("CS_cz", "cs_CZ")])
def test_locale_is_normalised(value: str, locale: str) -> None:
    assert facebook_srt.normalize_locale(value) == locale
    assert facebook_srt.WriteOptions(language=value).language == locale


@pytest.mark.parametrize("value", ["english", "en", "en_USA", "e1_US", ""])
def test_bad_locale_is_a_config_error(value: str) -> None:
    doc = subkit.loads(SRT, format="srt")
    with pytest.raises(ConfigError):
        subkit.dumps(doc, "facebook_srt", language=value)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("movie.srt", "movie.en_US.srt"),
        ("out/movie.en_US.srt", "out/movie.en_US.srt"),
        ("out/movie.fr_FR.srt", "out/movie.en_US.srt"),
        ("movie", "movie.en_US.srt"),
        ("dir/movie.facebook_srt", "dir/movie.en_US.srt"),
    ],
)
def test_output_path(path: str, expected: str) -> None:
    assert facebook_srt.output_path(path, "en_US") == str(Path(expected))


def test_body_is_srt_and_reads_back() -> None:
    doc = subkit.loads(SRT, format="srt")
    assert subkit.dumps(doc, "facebook_srt", language="en_US") == subkit.dumps(doc, "srt")
    assert subkit.loads(SRT, format="facebook_srt").source_format == "facebook_srt"
    assert not facebook_srt.sniff(SRT)


def test_document_locale() -> None:
    assert facebook_srt.document_locale(Document(language="pt-BR"), None) == "pt_BR"
    assert facebook_srt.document_locale(Document(language="pt"), None) is None
    assert facebook_srt.document_locale(Document(), "de-de") == "de_DE"


@given(st.lists(st.tuples(cue_times(), words_text()), max_size=4))
def test_round_trip_property(items: list[tuple[tuple[int, int], str]]) -> None:
    doc = Document(cues=tuple(Cue(start_ms=s, end_ms=e, content=(Run(t),)) for (s, e), t in items))
    text = subkit.dumps(doc, "facebook_srt", language="en_US", strict=True)
    assert subkit.loads(text, format="facebook_srt", strict=True).cues == doc.cues


test_golden = golden_test("facebook_srt", language="en_US")


# ---------------------------------------------------------------- subkit convert


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "clip.srt"
    path.write_text(SRT, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stderr


def test_convert_adds_the_locale_to_the_output_name(source: Path, tmp_path: Path) -> None:
    code, err = run("convert", str(source), str(tmp_path / "out.srt"), "--to", "facebook_srt", "--language", "en_US")
    assert code == 0, err
    assert (tmp_path / "out.en_US.srt").read_text(encoding="utf-8") == SRT


def test_convert_into_a_folder(source: Path, tmp_path: Path) -> None:
    folder = tmp_path / "upload"
    folder.mkdir()
    code, err = run("convert", str(source), str(folder), "--to", "facebook", "-l", "cs-CZ")
    assert code == 0, err
    assert [p.name for p in folder.iterdir()] == ["clip.cs_CZ.srt"]


def test_convert_out_dir_and_name_with_locale(source: Path, tmp_path: Path) -> None:
    code, err = run("convert", str(source), "--out-dir", str(tmp_path / "d"), "--to", "facebook_srt", "-l", "en_GB")
    assert code == 0, err
    assert [p.name for p in (tmp_path / "d").iterdir()] == ["clip.en_GB.srt"]
    code, err = run("convert", str(source), str(tmp_path / "named.de_DE.srt"), "--to", "facebook_srt")
    assert code == 0, err
    assert (tmp_path / "named.de_DE.srt").is_file()


def test_convert_without_a_locale_fails_cleanly(source: Path, tmp_path: Path) -> None:
    code, err = run("convert", str(source), str(tmp_path / "x.srt"), "--to", "facebook_srt")
    assert code != 0
    assert "--language" in err and "Traceback" not in err
    assert not (tmp_path / "x.srt").exists()


def test_language_for_a_writer_without_it_is_refused(source: Path, tmp_path: Path) -> None:
    code, err = run("convert", str(source), str(tmp_path / "x.vtt"), "--language", "en_US")
    assert code != 0 and "'en_US' is a locale, not a BCP 47 tag: write 'en-US'" in err  # WebVTT records BCP 47
    code, err = run("convert", str(source), str(tmp_path / "x.sbv"), "--language", "en_US")
    assert code != 0 and "does not apply to sbv" in err
    code, err = run("convert", str(source), str(tmp_path / "y.srt"), "--to", "facebook_srt", "-l", "bad")
    assert code != 0 and "Facebook locale" in err
