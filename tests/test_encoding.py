"""Legacy code-page detection on a matrix of languages and code pages, and how loads reports it."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import subkit
from subkit import _encoding, _io
from subkit.cli import cli
from tests.data.dialogue import CELLS, LINES, short_files, srt_bytes, srt_text


def _exact(data: bytes, text: str, codec: str) -> bool:
    try:
        return unicodedata.normalize("NFC", data.decode(codec)) == text
    except UnicodeDecodeError:
        return False


def test_matrix_covers_twenty_languages_and_their_code_pages() -> None:
    assert len({lang for lang, _ in CELLS}) >= 20
    assert {"cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
            "koi8_r", "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr", "tis_620"} <= {c for _, c in CELLS}
    assert all(len(LINES[lang]) == 10 for lang, _ in CELLS)


@pytest.mark.parametrize(("language", "codec"), CELLS, ids=[f"{lang}-{codec}" for lang, codec in CELLS])
def test_long_file_decoded_exactly(language: str, codec: str) -> None:
    data, text = srt_bytes(language, codec, 150)
    decoded = _io.decode(data)
    assert unicodedata.normalize("NFC", decoded.text) == text
    assert decoded.guessed


def test_short_files_decoded_exactly_or_flagged() -> None:
    total = exact = 0
    unflagged: list[str] = []
    for language, codec in CELLS:
        for data, text in short_files(language, codec):
            total += 1
            guess = _encoding.detect(data)
            if _exact(data, text, guess.encoding):
                exact += 1
            elif guess.alternative is None:
                unflagged.append(f"{language}/{codec}: {guess.encoding}")
    assert exact / total >= 0.98, f"{exact}/{total}"
    assert unflagged == []


def test_language_hint_settles_every_short_file() -> None:
    misses = [
        f"{language}/{codec}"
        for language, codec in CELLS
        for data, text in short_files(language, codec)
        if not _exact(data, text, _encoding.detect(data, language).encoding)
    ]
    assert misses == []


@pytest.mark.parametrize("line", ["Ça va ?", "Café crème", "Naïve", "Où est la gare ? Je suis perdu…"])
def test_tiny_western_files_never_decode_silently_wrong(line: str) -> None:
    data = srt_text([line]).encode("cp1252")
    decoded = _io.decode(data)
    assert line in decoded.text or decoded.alternative is not None
    assert not any("\x80" <= char <= "\x9f" for char in decoded.text)


def test_c1_controls_are_refused_when_another_page_has_none() -> None:
    # 0x85 (…) and 0x97 (—) are C1 controls in every ISO 8859 page.
    data = srt_text(["— Attends… je reviens.", "Très bien… à demain."]).encode("cp1252")
    decoded = _io.decode(data)
    assert decoded.encoding == "cp1252"
    assert "…" in decoded.text and "—" in decoded.text


def test_only_text_lines_are_looked_at() -> None:
    data, _ = srt_bytes("ru", "koi8_r", 3)
    assert b"-->" not in _encoding._text_lines(data)
    assert _encoding._text_lines(b"1\n00:00:01,000 --> 00:00:02,000\nabc\n") == b""


def test_language_from_path_and_pages() -> None:
    assert _encoding.language_from_path("Film.2001.pt-BR.srt") == "pt-BR"
    assert _encoding.language_from_path("dir.fr/movie.srt") is None
    assert _encoding.language_from_path("movie.rus.srt") == "ru"
    assert _encoding.pages_for_language("zh-TW")[0] == "big5hkscs"
    assert _encoding.pages_for_language(None) == ()


# ---------------------------------------------------------------- through loads


def _close_call() -> bytes:
    # "Así no vamos a ningún sitio, José." and its neighbours: their letters exist in
    # cp1250 and cp1252 alike except ñ/¿, which both pages map to a plausible letter.
    data, _ = srt_bytes("es", "cp1252", 3, 4)
    assert _encoding.detect(data).alternative is not None
    return data


def test_close_call_is_a_diagnostic_and_loaded_says_so() -> None:
    doc = subkit.loads(_close_call())
    assert doc.loaded is not None and doc.loaded.guessed and doc.loaded.alternative
    assert str(doc.diagnostics[0]).endswith(
        f"encoding guessed as {doc.loaded.encoding} ({doc.loaded.alternative} nearly as likely); "
        "pass --encoding to be sure"
    )


def test_strict_refuses_a_close_call() -> None:
    with pytest.raises(subkit.ParseError, match="encoding guessed as"):
        subkit.loads(_close_call(), strict=True)
    assert subkit.loads(_close_call(), strict=True, encoding="cp1252").cues[0].plain_text().startswith("¿Por")


def test_file_name_and_language_hint_settle_a_close_call(tmp_path: Path) -> None:
    path = tmp_path / "film.es.srt"
    path.write_bytes(_close_call())
    doc = subkit.load(path, strict=True)
    assert doc.encoding == "cp1252" and doc.diagnostics == ()
    assert subkit.loads(_close_call(), language="es").encoding == "cp1252"


def test_explicit_encoding_reaches_format_detection(tmp_path: Path) -> None:
    path = tmp_path / "u32.txt"
    path.write_bytes(srt_text(["Hello", "Grüße"]).encode("utf-32-le"))
    doc = subkit.load(path, encoding="utf-32-le")
    assert doc.source_format == "srt" and len(doc.cues) == 2
    assert doc.loaded == subkit.LoadInfo("srt", "utf-32-le")


def test_loaded_records_reader_encoding_and_bom() -> None:
    doc = subkit.loads(b"\xef\xbb\xbf" + srt_text(["x"]).encode())
    assert doc.loaded == subkit.LoadInfo("srt", "utf-8", bom=True)
    assert subkit.loads(srt_text(["x"])).loaded == subkit.LoadInfo("srt")
    # Not part of equality: a document read and the same document built compare equal.
    assert doc == doc.replace(loaded=None)


def test_cli_shows_the_guess(tmp_path: Path) -> None:
    path = tmp_path / "film.srt"
    path.write_bytes(_close_call())
    runner = CliRunner()
    result = runner.invoke(cli, ["info", str(path)])
    assert result.exit_code == 0
    assert "nearly as likely: pass --encoding to be sure" in result.output
    result = runner.invoke(cli, ["convert", str(path), str(tmp_path / "out.vtt")])
    assert result.exit_code == 0
    assert "nearly as likely); pass --encoding to be sure" in result.stderr
    result = runner.invoke(cli, ["convert", "--strict", str(path), str(tmp_path / "out2.vtt")])
    assert result.exit_code == 1 and "encoding guessed as" in result.stderr
    result = runner.invoke(cli, ["convert", "-e", "cp1252", str(path), str(tmp_path / "out3.vtt")])
    assert result.exit_code == 0 and "guessed" not in result.stderr


@settings(max_examples=60, deadline=None)
@given(st.binary(min_size=1, max_size=300))
def test_any_bytes_decode_without_error(data: bytes) -> None:
    decoded = _io.decode(data)
    assert isinstance(decoded.text, str)
    assert decoded.alternative is None or decoded.guessed


def test_document_language_settles_a_close_call() -> None:
    cues = "".join(f"00:00:0{i}.000 --> 00:00:0{i}.500\n{line}\n\n" for i, line in enumerate(LINES["es"][4:7]))
    plain = subkit.loads(f"WEBVTT\n\n{cues}".encode("cp1252"))
    assert plain.loaded is not None and plain.loaded.alternative is not None
    doc = subkit.loads(f"WEBVTT\nLanguage: es\n\n{cues}".encode("cp1252"), strict=True)
    assert doc.language == "es" and doc.encoding == "cp1252" and doc.diagnostics == ()
    assert doc.cues[0].plain_text() == LINES["es"][4]
