"""Large inputs are not held twice: the input is freed once decoded, the output written in chunks.

The chunked path must write exactly what the whole-string path writes, and an
encoding failure in its middle must leave the target as it was. The peak
memory of a whole conversion is measured in a fresh process (``ru_maxrss``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import subkit
from subkit import _io
from subkit.errors import SubkitIOError
from subkit.model import Cue, Document, content_from_text

ROOT = Path(__file__).resolve().parents[2]


def _doc(count: int, text: str = "Line {i} with some words\nand a second line") -> Document:
    return Document(cues=tuple(
        Cue(start_ms=i * 2000, end_ms=i * 2000 + 1500, content=content_from_text(text.format(i=i)))
        for i in range(count)
    ))


def test_encode_chunks_equals_one_encode() -> None:
    text = "é漢a\U0001f600" * 1000
    for encoding in ("utf-8", "utf-16", "utf-8-sig", "latin-1"):
        try:
            whole = text.encode(encoding)
        except UnicodeEncodeError:
            whole = None
        if whole is None:
            with pytest.raises(UnicodeEncodeError):
                b"".join(_io.encode_chunks(text, encoding, size=7))
        else:
            assert b"".join(_io.encode_chunks(text, encoding, size=7)) == whole


def test_large_output_is_written_in_chunks_and_equals_dumps(tmp_path: Path) -> None:
    doc = _doc(40_000)  # ~2.5 M characters: more than one chunk
    target = tmp_path / "big.srt"
    subkit.dump(doc, target)
    text = subkit.dumps(doc, "srt")
    assert isinstance(text, str) and len(text) > _io.CHUNK_CHARS
    assert target.read_bytes() == text.encode("utf-8")


def test_encode_pieces_equals_one_encode() -> None:
    pieces = ["é漢", "", "a\U0001f600" * 50, "x"] * 20
    for encoding in ("utf-8", "utf-16", "utf-8-sig"):
        for size in (1, 7, 10_000):
            assert b"".join(_io.encode_pieces(pieces, encoding, size=size)) == "".join(pieces).encode(encoding)


@pytest.mark.parametrize("suffix", [".srt", ".vtt"])
def test_writers_in_pieces_write_what_dumps_gives(tmp_path: Path, suffix: str) -> None:
    cues = list(_doc(3_000, "Line {i} & <more>").cues)
    cues[5] = cues[5].replace(start_ms=-5)  # a loss counted over every cue, reported after the last piece
    doc = Document(cues=tuple(cues))
    target = tmp_path / f"out{suffix}"
    with pytest.warns(subkit.LossyConversionWarning):
        result = subkit.dump(doc, target, encoding="utf-16")
    with pytest.warns(subkit.LossyConversionWarning):
        text = subkit.dumps(doc, "srt" if suffix == ".srt" else "webvtt")
    assert target.read_bytes() == text.encode("utf-16")
    assert result.data == "" and [loss.feature for loss in result.losses]


def test_strict_write_refuses_before_writing_anything(tmp_path: Path) -> None:
    cues = list(_doc(3_000).cues)
    cues[-1] = cues[-1].replace(start_ms=-5)
    target = tmp_path / "out.srt"
    target.write_bytes(b"old")
    with pytest.raises(subkit.UnsupportedFeatureError):
        subkit.dump(Document(cues=tuple(cues)), target, strict=True)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.srt"]


def test_unencodable_character_mid_file_leaves_the_target_alone(tmp_path: Path) -> None:
    doc = _doc(40_000, "Line {i} é")
    cues = list(doc.cues)
    cues[-1] = Cue(start_ms=cues[-1].start_ms, end_ms=cues[-1].end_ms, content=content_from_text("漢"))
    target = tmp_path / "out.srt"
    target.write_bytes(b"old")
    with pytest.raises(SubkitIOError, match="cannot be encoded in latin-1"):
        subkit.dump(Document(cues=tuple(cues)), target, encoding="latin-1")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.srt"]


def _peak_kib(code: str, *args: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", code + "\nimport resource\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)",
         *args], capture_output=True, text=True, cwd=ROOT, check=True, timeout=600)
    return int(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_conversion_peak_memory_stays_a_small_multiple_of_the_input(tmp_path: Path) -> None:
    source = tmp_path / "in.srt"
    subkit.dump(_doc(200_000), source)
    size = source.stat().st_size
    base = _peak_kib("import sys, subkit, subkit.cli, subkit.formats.srt, subkit.formats.webvtt")
    peak = _peak_kib("import sys, subkit.cli\nsubkit.cli.cli.main(['convert', sys.argv[1], sys.argv[2], '-q'], "
                     "standalone_mode=False)", str(source), str(tmp_path / "out.vtt"))
    extra = (peak - base) * 1024
    # The document itself takes about five times an SRT file; the input and output add one each at most.
    assert extra <= 8 * size, json.dumps({"input": size, "extra": extra, "ratio": extra / size})
