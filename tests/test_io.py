"""Bytes to text, newlines and atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from subkit import _io
from subkit.errors import SubkitIOError

TEXT = "1\n00:00:01,000 --> 00:00:02,000\nÄrger über Öl — ça va\n"


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_decode_boms(codec: str) -> None:
    data = TEXT.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    if codec == "utf-32-be":
        data = b"\x00\x00\xfe\xff" + data
    decoded = _io.decode(data)
    assert decoded.text == TEXT
    assert decoded.bom


def test_decode_plain_utf8_and_utf16_without_bom() -> None:
    assert _io.decode(TEXT.encode()).encoding == "utf-8"
    decoded = _io.decode(TEXT.encode("utf-16-le"))
    assert decoded.text == TEXT and decoded.guessed


def test_decode_legacy_code_page_is_guessed() -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nПривет, как дела? Это тест кодировки.\n" * 5
    decoded = _io.decode(text.encode("cp1251"))
    assert decoded.guessed
    assert "Привет" in decoded.text


def test_decode_explicit_encoding_and_errors() -> None:
    assert _io.decode("é".encode("latin-1"), "latin-1").text == "é"
    with pytest.raises(SubkitIOError, match="unknown encoding"):
        _io.decode(b"x", "no-such-codec")
    with pytest.raises(SubkitIOError, match="not valid utf-8"):
        _io.decode(b"\xff\xfe\xfa", "utf-8")


def test_normalize_newlines() -> None:
    assert _io.normalize_newlines("a\r\nb\rc\n") == "a\nb\nc\n"


def test_atomic_write_replaces_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.srt"
    target.write_text("old")
    target.chmod(0o640)
    _io.atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.srt"]


def test_atomic_write_failure_leaves_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.srt"
    target.write_text("precious")

    def boom(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(SubkitIOError, match="No space left"):
        _io.atomic_write(target, b"new")
    assert target.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["out.srt"]


def test_read_bytes_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SubkitIOError, match="cannot read"):
        _io.read_bytes(tmp_path / "missing.srt")


def test_write_into_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(SubkitIOError, match="cannot write"):
        _io.atomic_write(tmp_path / "no" / "such.srt", b"x")


def test_gc_pause_nests_and_restores() -> None:
    import gc

    from subkit._gc import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled(), "a collector that was off stays off"
    finally:
        gc.enable()


def test_gc_pause_survives_reader_errors() -> None:
    import gc

    import subkit

    with pytest.raises(subkit.ParseError):
        subkit.loads("x" * 70_000, format="srt")
    assert gc.isenabled()
