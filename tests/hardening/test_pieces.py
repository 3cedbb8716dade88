"""Large inputs are read a piece at a time: the result never depends on the path.

``subkit.load`` reads a file of ``PIECES_FROM`` bytes or more from the disk a
piece at a time (``loads`` of such bytes decodes them a piece at a time), for
the readers that take pieces (SRT, WebVTT, ASS, SSA): the decoded text never
exists whole. These tests lower the threshold and the piece size so that
small files go that way, and hold every result against the whole-text path:
the same document, diagnostics and encoding, or the same error.
"""

from __future__ import annotations

import codecs
import csv
import functools
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import subkit
from subkit import _api, _io
from subkit.errors import SubkitError
from subkit.formats import _vtt_read, ass, srt

from ..conftest import CORPUS

#: Piece sizes (bytes): one byte (every line its own piece, UTF-8 sequences cut), odd and usual.
SIZES = (1, 7, 64, 4096)


def _whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_api, "PIECES_FROM", 1 << 60)


def _pieces(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    monkeypatch.setattr(_api, "PIECES_FROM", 1)
    monkeypatch.setattr(_io, "byte_pieces", functools.partial(_io.byte_pieces, size=size))
    monkeypatch.setattr(_io, "file_pieces", functools.partial(_io.file_pieces, size=size))


def _outcome(path: Path, **options: Any) -> object:
    """Both entry points' documents, or the error they raise (as text: errors compare by message)."""
    try:
        return subkit.load(path, **options), subkit.loads(path.read_bytes(), **options)
    except SubkitError as exc:
        return f"{type(exc).__name__}: {exc}"


def _corpus_files() -> list[str]:
    index = CORPUS / "index.tsv"
    if not index.is_file():
        return []
    with index.open(encoding="utf-8") as handle:
        return [row["path"] for row in csv.DictReader(handle, delimiter="\t")
                if row["format"].startswith(("srt", "webvtt", "ass", "ssa"))]


@pytest.mark.corpus
@pytest.mark.parametrize("relpath", _corpus_files())
def test_corpus_file_reads_alike_in_pieces(relpath: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = CORPUS / relpath
    for options in ({}, {"strict": True}):
        _whole(monkeypatch)
        expected = _outcome(path, **options)
        for size in SIZES:
            _pieces(monkeypatch, size)
            assert _outcome(path, **options) == expected, (relpath, options, size)


def _taken(monkeypatch: pytest.MonkeyPatch, module: Any) -> None:
    """Make the module's whole-text reader fail, so that a successful load proves the pieces path."""

    def refuse(data: str, *, options: Any) -> Any:
        raise AssertionError("read the whole text")

    monkeypatch.setattr(module, "read", refuse)


SAMPLES = {
    "srt": "1\n00:00:01,000 --> 00:00:02,000\nHello 😀\nthere\n\n2\n00:00:03,000 --> 00:00:04,500\n<i>again</i>\n",
    "vtt": ("WEBVTT Language: en\n\nSTYLE\n::cue(.a) { color: red }\n\nNOTE a note\n\n"
            "1\n00:01.000 --> 00:02.000 align:start\n<c.a>Hello</c> 😀\n\n"
            "00:03.000 --> 00:04.000\n<v Ann>there <b>bold\n\nNOTE later\n\n2\n00:05.000 --> 00:06.000\nend\n"),
    "ass": ("[Script Info]\nScriptType: v4.00+\nPlayResX: 640\nPlayResY: 480\n\n[V4+ Styles]\n"
            "Format: Name, Fontname, Fontsize, PrimaryColour, Bold, Italic, Alignment\n"
            "Style: Default,Arial,20,&H00FFFFFF,0,0,2\n\n[Events]\n"
            "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
            "Dialogue: 0,0:00:01.00,0:00:02.00,Default,Ann,0,0,0,,{\\i1}Hello{\\i0} 😀\\Nthere\n"
            "Comment: 0,0:00:02.00,0:00:03.00,Default,,0,0,0,,a comment\n"
            "Dialogue: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,,again\n"),
}
MODULES = {"srt": srt, "vtt": _vtt_read, "ass": ass}


@pytest.mark.parametrize("kind", sorted(SAMPLES))
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
def test_pieces_path_is_taken_and_reads_alike(kind: str, newline: str, bom: bytes, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / f"sample.{kind}"
    path.write_bytes(bom + SAMPLES[kind].replace("\n", newline).encode("utf-8"))
    _whole(monkeypatch)
    expected = _outcome(path)
    assert not isinstance(expected, str), expected
    for size in SIZES:
        with monkeypatch.context() as patch:
            _pieces(patch, size)
            module = MODULES[kind]
            if kind == "vtt":
                from subkit.formats import webvtt

                module = webvtt
            _taken(patch, module)
            assert _outcome(path) == expected, (size, newline, bom)


@pytest.mark.parametrize(("name", "data", "options"), [
    # Not UTF-8: the code page is weighed over the whole text.
    ("legacy.srt", "1\n00:00:01,000 --> 00:00:02,000\nCafé à la crème\n".encode("cp1252"), {}),
    # An irregular SRT: the lenient reader needs the whole text.
    ("damaged.srt", b"1\n00:00:01,000 --> 00:00:02,000\nA\n\n2\n00:00:03,000 -> 00:00:04,000\nB\n", {}),
    # WebVTT: a STYLE block after the cues were built; NUL characters; strict reading names the first flaw.
    ("late.vtt", b"WEBVTT\n\n00:01.000 --> 00:02.000\n<c.x>A</c>\n\n" + b"\n" * 200
     + b"STYLE\n::cue(.x) { color: lime }\n\n00:03.000 --> 00:04.000\n<c.x>B</c>\n", {}),
    ("nul.vtt", b"WEBVTT\n\n00:01.000 --> 00:02.000\nA\x00B\n", {}),
    ("strict.vtt", b"WEBVTT\n\n00:01.000 --> 00:02.000 bogus:1\nA\n\n00:03.000 --> 00:02.000\nB\n", {"strict": True}),
    # Named encodings, with and without a mark.
    ("named.srt", "1\n00:00:01,000 --> 00:00:02,000\nÅngström\n".encode("latin-1"), {"encoding": "latin-1"}),
    ("utf16.srt", codecs.BOM_UTF16_LE + "1\n00:00:01,000 --> 00:00:02,000\nÅ\n".encode("utf-16-le"), {}),
    ("named-bom.srt", codecs.BOM_UTF8 + b"1\n00:00:01,000 --> 00:00:02,000\nA\n", {"encoding": "utf-8"}),
    # Nothing parses: the same error either way.
    ("prose.srt", b"just some prose\nwith no times\n", {"format": "srt"}),
])
def test_inputs_the_pieces_path_declines_read_as_whole(name: str, data: bytes, options: dict[str, Any],
                                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    _whole(monkeypatch)
    expected = _outcome(path, **options)
    for size in SIZES:
        _pieces(monkeypatch, size)
        assert _outcome(path, **options) == expected, size


@given(st.lists(st.sampled_from(["a", "é", "漢", "\U0001f600", "\n", "\r", "\r\n", "\n\n", " "]), max_size=60),
       st.sampled_from(["utf-8", "utf-16-le", "utf-32-be", "cp1252", "gb18030"]), st.integers(1, 9))
def test_decode_pieces_join_to_the_whole_text(chars: list[str], codec: str, size: int) -> None:
    text = "".join(chars)
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        return
    pieces = list(_io.decode_pieces(_io.byte_pieces(data, size=size), codec))
    assert "".join(pieces) == _io.normalize_newlines(text)
    assert all(piece.endswith("\n") for piece in pieces[:-1])
    assert all(pieces)


@given(st.lists(st.sampled_from(["a", "b\n", "\n", "\n\n", "\n\n\n", "-->", "1\n"]), max_size=40),
       st.lists(st.integers(0, 80), max_size=5))
def test_block_splitting_in_pieces_is_that_of_the_whole_text(parts: list[str], cuts: list[int]) -> None:
    text = "".join(parts)
    bounds = sorted({min(cut, len(text)) for cut in cuts})
    pieces = [text[a:b] for a, b in zip([0, *bounds], [*bounds, len(text)], strict=True)]
    assert list(srt._piece_blocks(pieces)) == list(srt._blocks(text))
    assert "".join(_vtt_read._block_runs(pieces)) == text
    assert all(run.endswith("\n\n") for run in list(_vtt_read._block_runs(pieces))[:-1])
    assert list(ass._piece_lines(pieces)) == text.split("\n")


def test_a_large_file_never_holds_its_whole_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One character outside the BMP makes the text four bytes a character; the pieces path never builds it."""
    blocks = [f"{i}\n00:00:{i % 60:02d},000 --> 00:00:{i % 60:02d},500\nLine {i} with words\nsecond line\n"
              for i in range(1, 20_001)]
    data = ("\n".join(blocks) + "\U0001f600\n").encode("utf-8")
    path = tmp_path / "wide.srt"
    path.write_bytes(data)
    wide_text = 4 * len(data)  # the decoded text: 4 bytes a character
    _pieces(monkeypatch, 1 << 16)

    tracemalloc.start()
    try:
        doc = subkit.load(path)
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(doc.cues) == 20_000
    # Above what the document holds, the read needed a few pieces, never the text (nor the bytes).
    assert peak - held < wide_text / 4, (peak - held, wide_text)


def test_a_fifo_is_read_once_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A named pipe is not a regular file: it is read as a stream, opened once (a second open would lose data)."""
    import os
    import threading

    _pieces(monkeypatch, 7)
    fifo = tmp_path / "pipe.srt"
    os.mkfifo(fifo)
    data = SAMPLES["srt"].encode("utf-8")
    loaded: list[subkit.Document] = []
    reader = threading.Thread(target=lambda: loaded.append(subkit.load(fifo)), daemon=True)
    reader.start()
    fifo.write_bytes(data)
    reader.join(timeout=10)
    assert loaded, "load() did not finish: the pipe was opened twice and its data lost"
    assert [cue.plain_text() for cue in loaded[0].cues] == ["Hello 😀\nthere", "again"]


@settings(max_examples=40)
@given(st.lists(st.text(alphabet=st.sampled_from("ab \n&<é"), min_size=1, max_size=10), min_size=1, max_size=4))
def test_plain_cues_write_what_the_cues_of_their_runs_write(texts: list[str]) -> None:
    """A large file's plain cues store their text; every writer writes them as the cues of the runs they stand for."""
    import warnings

    from subkit.model import Cue, Document, _trusted_plain_cue, content_from_text

    plain = Document(cues=tuple(_trusted_plain_cue(i * 1000, i * 1000 + 500, text) for i, text in enumerate(texts)))
    built = Document(cues=tuple(Cue(start_ms=i * 1000, end_ms=i * 1000 + 500, content=content_from_text(text))
                                for i, text in enumerate(texts)))
    assert plain == built
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for fmt in ("srt", "webvtt", "ass", "ttml", "microdvd", "sbv", "transcript"):
            options: dict[str, Any] = {"fps": 25} if fmt == "microdvd" else {}
            assert subkit.render(plain, fmt, **options).data == subkit.render(built, fmt, **options).data, fmt
