"""The conventions Python users expect: file objects, OSError subclasses, typed dumps, warnings at the caller."""

from __future__ import annotations

import errno
import io
import pickle
import typing
import warnings
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

import subkit
from subkit import ops
from subkit._api import BinaryFormat, TextFormat
from subkit.cli import cli
from subkit.errors import ConfigError, FormatDetectionError, OperationError, SubkitError, SubkitIOError
from subkit.formats import FORMATS

SRT = "1\n00:00:01,000 --> 00:00:02,500\n<i>Héllo</i>\n"


def test_load_takes_binary_and_text_file_objects(tmp_path: Path) -> None:
    path = tmp_path / "x.srt"
    path.write_bytes(SRT.encode("cp1252"))
    with path.open("rb") as handle:
        doc = subkit.load(handle)
    assert doc.cues[0].plain_text() == "Héllo" and doc.loaded is not None and doc.loaded.format == "srt"
    assert subkit.load(io.BytesIO(SRT.encode("utf-8"))).cues[0].end_ms == 2500
    assert subkit.load(io.StringIO(SRT), format="srt").cues[0].plain_text() == "Héllo"
    with path.open(encoding="cp1252") as text:
        assert subkit.load(text).cues[0].start_ms == 1000


def test_dump_takes_binary_and_text_file_objects(tmp_path: Path) -> None:
    doc = subkit.loads(SRT)
    text = io.StringIO()
    subkit.dump(doc, text, format="vtt")
    assert text.getvalue().startswith("WEBVTT")
    raw = io.BytesIO()
    subkit.dump(doc, raw, format="srt", encoding="utf-16")
    assert raw.getvalue().decode("utf-16") == subkit.dumps(doc, "srt")
    with (tmp_path / "named.vtt").open("wb") as handle:  # the format from the object's name
        subkit.dump(doc, handle)
    assert (tmp_path / "named.vtt").read_text(encoding="utf-8").startswith("WEBVTT")
    stl = io.BytesIO()
    subkit.dump(doc, stl, format="ebu_stl")
    assert stl.getvalue() == subkit.dumps(doc, "ebu_stl")
    with pytest.raises(ConfigError, match="binary format: pass a binary file object"):
        subkit.dump(doc, io.StringIO(), format="ebu_stl")
    with pytest.raises(subkit.errors.UnknownFormatError, match="needs format="):
        subkit.dump(doc, io.BytesIO())


def test_io_errors_are_oserrors_with_errno(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        subkit.load(tmp_path / "missing.srt")
    error = caught.value
    assert isinstance(error, SubkitIOError) and isinstance(error, SubkitError)  # and so a SubkitIOError below
    assert error.errno == errno.ENOENT and error.filename == str(tmp_path / "missing.srt")
    assert str(error).endswith("cannot read: No such file or directory")
    assert repr(error).startswith("SubkitIOError(")
    with pytest.raises(IsADirectoryError):
        subkit.dump(subkit.loads(SRT), tmp_path, format="srt")
    again = pickle.loads(pickle.dumps(error))
    assert isinstance(again, FileNotFoundError) and isinstance(again, SubkitIOError)
    assert again.path == error.path and str(again) == str(error)
    plain = SubkitIOError("no errno", path="p")
    assert isinstance(plain, OSError) and plain.errno is None and not isinstance(plain, FileNotFoundError)


def test_dumps_literals_match_the_registry() -> None:
    binary = {n for s in FORMATS if s.binary and s.can_write for n in (s.name, *s.aliases)}
    text = {n for s in FORMATS if not s.binary and s.can_write for n in (s.name, *s.aliases)}
    assert set(typing.get_args(BinaryFormat)) == binary
    assert set(typing.get_args(TextFormat)) == text
    doc = subkit.loads(SRT)
    srt: str = subkit.dumps(doc, "srt")  # typed str without narrowing (mypy checks this file)
    stl: bytes = subkit.dumps(doc, "ebu_stl")
    assert isinstance(srt, str) and isinstance(stl, bytes)


def test_warnings_point_at_the_caller(tmp_path: Path) -> None:
    doc = subkit.loads("1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<font color=\"#ff0000\">red</font>\n")
    for write in (lambda: doc.save(tmp_path / "x.txt", format="transcript"),
                  lambda: subkit.dumps(doc, "transcript"),
                  lambda: subkit.dump(doc, tmp_path / "y.txt", format="transcript")):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            write()
        assert caught and all(w.filename == __file__ for w in caught), [w.filename for w in caught]


def test_durations_in_python() -> None:
    doc = subkit.loads(SRT)
    assert ops.shift(doc, timedelta(seconds=1.5)).cues[0].start_ms == 2500
    assert ops.shift(doc, "1m").cues[0].start_ms == 61000
    assert ops.shift(doc, "2").cues[0].start_ms == 3000  # a bare number in a string is seconds
    assert ops.shift(doc, -500).cues[0].start_ms == 500
    with pytest.raises(OperationError, match=r"2\.0 is ambiguous: give int milliseconds \(2000\)"):
        ops.shift(doc, 2.0)  # type: ignore[arg-type]
    with pytest.raises(OperationError, match="anchor: not a duration"):
        ops.scale(doc, 2, anchor="later")


def test_python_errors_speak_python_and_the_cli_speaks_options() -> None:
    with pytest.raises(FormatDetectionError) as caught:
        subkit.loads("hello there, no subtitles here\x00" * 3)
    assert "--from" not in str(caught.value)
    with pytest.raises(subkit.errors.UnknownFormatError) as unknown:
        subkit.formats.for_path("out.xyz")
    assert "format=" in str(unknown.value) and "--" not in str(unknown.value)
    result = CliRunner().invoke(cli, ["convert", "-", "out.xyz", "-f", "srt"], input=SRT)
    assert result.exit_code != 0 and "name it with --from/--to" in result.stderr and "format=" not in result.stderr
