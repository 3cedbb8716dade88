"""The public load/save API and the format registry."""

from __future__ import annotations

import pickle
import warnings
from pathlib import Path

import pytest

import subkit
from subkit import formats
from subkit.errors import (
    ConfigError,
    FormatDetectionError,
    ParseError,
    SubkitError,
    UnknownFormatError,
    UnsupportedFeatureError,
)
from subkit.model import Cue, Document, Placement, Run, RunStyle

SRT = "1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:03,000 --> 00:00:04,000\nWorld\n\n"


def test_registry_lookup_by_name_alias_and_path() -> None:
    assert formats.get("VTT").name == "webvtt"
    assert formats.get("subkit-json").name == "subkit_json"
    assert formats.for_path("a/b/movie.en.SRT").name == "srt"
    assert formats.for_path("x.subkit.json").name == "subkit_json"
    assert "srt" in formats.names()
    with pytest.raises(UnknownFormatError, match="known:"):
        formats.get("docx")
    with pytest.raises(UnknownFormatError):
        formats.for_path("notes.docx")
    # Several formats share these extensions; the table's first one is the default.
    assert formats.for_path("notes.txt").name == "transcript"
    assert formats.for_path("movie.sub").name == "microdvd"
    assert formats.for_path("programme.stl").name == "ebu_stl"


def test_detect_content_first_then_extension() -> None:
    assert formats.detect(SRT, "misnamed.vtt").name == "srt"
    assert formats.detect(SRT.encode("utf-16"), None).name == "srt"
    with pytest.raises(FormatDetectionError) as info:
        formats.detect("hello world", None)
    assert info.value.candidates == ()
    # Prose has no signature: a .txt name makes it a transcript.
    assert formats.detect("hello world", "notes.txt").name == "transcript"


def test_loads_and_dumps_srt() -> None:
    doc = subkit.loads(SRT)
    assert doc.source_format == "srt"
    assert [c.plain_text() for c in doc] == ["Hello", "World"]
    assert subkit.dumps(doc, "srt") == SRT


def test_loads_bytes_reports_encoding() -> None:
    doc = subkit.loads(("\ufeff" + SRT).replace("\n", "\r\n").encode("utf-8"))
    assert doc.encoding == "utf-8"
    assert doc.cues[1].plain_text() == "World"


def test_loads_unknown_option_is_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown option"):
        subkit.loads(SRT, format="srt", fps=25)


def test_nothing_parses_is_an_error() -> None:
    with pytest.raises(ParseError) as info:
        subkit.loads("this is not a subtitle\njust text\n", format="srt", source="notes.srt")
    assert info.value.line == 1
    assert "notes.srt:1" in str(info.value)


def test_load_and_save_files(tmp_path: Path) -> None:
    src = tmp_path / "in.srt"
    src.write_text(SRT, encoding="utf-8")
    doc = subkit.load(src)
    out = tmp_path / "out.subkit.json"
    result = doc.save(str(out))
    assert result.format == "subkit_json" and not result.losses
    assert subkit.load(out) == doc


def test_dump_to_stdout_needs_format() -> None:
    with pytest.raises(UnknownFormatError):
        subkit.dump(Document(), "-")


def test_lossy_write_warns_and_strict_refuses() -> None:
    doc = Document(cues=(Cue(start_ms=0, end_ms=1, content=(Run("x", RunStyle(ruby="y")),)),))
    with pytest.warns(subkit.LossyConversionWarning, match="ruby"):
        subkit.dumps(doc, "srt")
    result = subkit.render(doc, "srt")
    assert [loss.feature for loss in result.losses] == ["ruby"]
    with pytest.raises(UnsupportedFeatureError):
        subkit.dumps(doc, "srt", strict=True)


def test_failed_strict_dump_keeps_existing_file(tmp_path: Path) -> None:
    out = tmp_path / "out.srt"
    out.write_text("precious")
    doc = Document(cues=(Cue(start_ms=0, end_ms=1, placement=Placement(x=1.0, y=2.0)),))
    with pytest.raises(UnsupportedFeatureError):
        subkit.dump(doc, out, strict=True)
    assert out.read_text() == "precious"


def test_unencodable_text_is_io_error(tmp_path: Path) -> None:
    doc = subkit.loads("1\n00:00:01,000 --> 00:00:02,000\n漢字\n")
    with pytest.raises(subkit.SubkitIOError, match="cannot be encoded"):
        subkit.dump(doc, tmp_path / "x.srt", encoding="ascii")
    assert not (tmp_path / "x.srt").exists()


def test_dump_with_bom(tmp_path: Path) -> None:
    out = tmp_path / "x.srt"
    with warnings.catch_warnings():
        subkit.dump(subkit.loads(SRT), out, bom=True)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf1\n")


@pytest.mark.parametrize(
    "error",
    [
        ParseError("bad", format="srt", source="a.srt", line=3, column=2, excerpt="x"),
        UnknownFormatError("nope", name="docx"),
        FormatDetectionError("tie", candidates=("ass", "ssa")),
        UnsupportedFeatureError("no", format="srt", feature="ruby"),
        subkit.ProviderError("down", provider="rev", code="500", retry_after=2.0),
    ],
)
def test_errors_pickle_with_attributes(error: SubkitError) -> None:
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is type(error)
    assert str(clone) == str(error)
    assert vars(clone) == vars(error)


def test_parse_error_message_names_file_and_line() -> None:
    err = ParseError("bad timing", format="srt", source="in.srt", line=7, excerpt="00:00 -> x")
    assert str(err) == "in.srt:7: bad timing (near '00:00 -> x')"
    assert err.reason == "bad timing"


def test_bom_is_a_write_option_of_every_text_writer() -> None:
    from subkit.errors import ConfigError
    from subkit.model import Cue, Document, Run

    doc = Document(cues=(Cue(start_ms=0, end_ms=1000, content=(Run("é"),)),))
    for name in ("srt", "webvtt", "ass", "ttml"):
        data = subkit.render(doc, name, bom=True).data
        assert isinstance(data, str) and data.startswith("\ufeff") and not data.startswith("\ufeff\ufeff")
        assert subkit.loads(data, format=name).cues[0].plain_text() == "é"
    assert not str(subkit.render(doc, "srt").data).startswith("\ufeff")
    with pytest.raises(ConfigError):
        subkit.render(doc, "ebu_stl", bom=True)


def test_a_vtt_file_without_the_signature_says_so(tmp_path: Path) -> None:
    from subkit.errors import ParseError

    misnamed = tmp_path / "movie.vtt"
    misnamed.write_text("1\n00:00:01,000 --> 00:00:02,000\nHi\n", encoding="utf-8")
    doc = subkit.load(misnamed)
    assert doc.source_format == "srt" and len(doc.cues) == 1
    (first, *_) = doc.diagnostics
    assert "does not start with its signature" in first.message and first.line == 1 and "srt" in first.action
    with pytest.raises(ParseError):
        subkit.load(misnamed, strict=True)
    assert not subkit.load(misnamed, format="srt").diagnostics  # asked for: no word


def test_dump_warn_false_keeps_the_losses_in_the_result_only(tmp_path: Path) -> None:
    import warnings as _warnings

    from subkit.model import Cue, Document, Run, RunStyle

    doc = Document(cues=(Cue(start_ms=0, end_ms=1000, content=(Run("hi", RunStyle(italic=True)),)),))
    with _warnings.catch_warnings():
        _warnings.simplefilter("error")  # any warning would raise here
        result = subkit.dump(doc, tmp_path / "out.sbv", warn=False)
        # SRT is written in pieces: a comment cue is its loss here.
        noted = doc.with_cues([*doc.cues, Cue(start_ms=2000, end_ms=3000, content=(Run("note"),), comment=True)])
        streamed = subkit.dump(noted, tmp_path / "out.srt", warn=False)
    assert [loss.feature for loss in result.losses] == ["italic"]
    assert [loss.feature for loss in streamed.losses] == ["comment"]
    with pytest.warns(subkit.LossyConversionWarning):
        subkit.dump(doc, tmp_path / "again.sbv")
