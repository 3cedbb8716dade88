"""Text that is not text and placement lost: damaged timing lines, non-subtitle files, empty input, top placement."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

import subkit
from subkit.cli import cli
from subkit.formats._placement import exact_anchor, nearest_alignment
from subkit.model import Cue, Document, Placement, Region, content_from_text

ROOT = Path(__file__).resolve().parent.parent
HEAD = "1\n00:00:01,000 --> 00:00:02,000\nA\n\n2\n00:00:03,000 --> 00:00:04,000\nB\n\n"


# ---------------------------------------------------------------- damaged timing lines


@pytest.mark.parametrize("tail", ["3\n00:00:17,350 --> 00:", "3\n00:00:17,350", "3\n00:00:17,35", "3\n00:00:1"])
def test_truncated_timing_line_is_not_dialogue(tail: str) -> None:
    doc = subkit.loads((HEAD + tail).encode(), source="cut.srt")
    assert [cue.plain_text() for cue in doc.cues] == ["A", "B"]
    (diag,) = doc.diagnostics
    assert diag.line == 10 and diag.severity == "error" and "damaged timing line" in diag.message
    with pytest.raises(subkit.ParseError, match="damaged timing line"):
        subkit.loads(HEAD + tail, strict=True)


def test_damaged_timing_line_in_the_middle_counts_what_it_drops() -> None:
    doc = subkit.loads(HEAD + "3\n00:00:17,350 -- 00:00:19,000\nLost line\n\n4\n00:00:20,000 --> 00:00:21,000\nD\n")
    assert [cue.plain_text() for cue in doc.cues] == ["A", "B", "D"]
    assert "1 line(s) of text after it" in doc.diagnostics[0].action


def test_times_in_dialogue_are_not_damaged_timing_lines() -> None:
    doc = subkit.loads(HEAD + "3\n00:00:05,000 --> 00:00:06,000\nSee you at 10:30\n12:45\n")
    assert doc.cues[-1].plain_text() == "See you at 10:30\n12:45" and doc.diagnostics == ()


# ---------------------------------------------------------------- files that are not text subtitles


@pytest.mark.parametrize(
    ("head", "what"),
    [
        (b"\x1a\x45\xdf\xa3\x93\x42\x82\x88matroska", "Matroska"),
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", "MP4"),
        (b"\x00\x00\x01\xba\x44\x00\x04\x00\x04\x01", "VobSub"),
        (b"PG\x00\x00\x00\x00\x00\x00\x00\x00\x16\x00\x13", "PGS"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"# VobSub index file, v7 (do not modify this line!)\n", "VobSub index"),
    ],
)
def test_media_and_image_files_say_what_they_are(head: bytes, what: str, tmp_path: Path) -> None:
    path = tmp_path / "movie.srt"
    path.write_bytes(head + bytes(range(256)) * 4)
    with pytest.raises(subkit.FormatDetectionError, match=what) as info:
        subkit.load(path)
    if what in ("VobSub", "PGS", "VobSub index"):
        assert "OCR" in str(info.value)
    result = CliRunner().invoke(cli, ["convert", str(path), str(tmp_path / "out.vtt")])
    assert result.exit_code == 1 and what in result.stderr and not (tmp_path / "out.vtt").exists()


def test_empty_file_and_prose_warn(tmp_path: Path) -> None:
    empty = tmp_path / "empty.srt"
    empty.write_bytes(b"")
    assert [d.message for d in subkit.load(empty).diagnostics] == ["the input is empty"]
    prose = tmp_path / "notes.txt"
    prose.write_text("It was a dark and stormy night.\nThe rain fell in torrents.\n")
    (diag,) = subkit.load(prose).diagnostics
    assert "read as 1 cue of 0 ms" in diag.message and "format=" in diag.action
    result = CliRunner().invoke(cli, ["convert", str(empty), str(tmp_path / "e.vtt")])
    assert result.exit_code == 0 and "the input is empty" in result.stderr
    # Named formats are taken at their word.
    assert subkit.loads("", format="srt").diagnostics == ()


def test_non_subtitle_file_through_a_subprocess(tmp_path: Path) -> None:
    path = tmp_path / "clip.srt"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(500))
    proc = subprocess.run([sys.executable, "-m", "subkit", "info", str(path)], capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=60)
    assert proc.returncode == 1 and "MP4" in proc.stderr and "Traceback" not in proc.stderr


# ---------------------------------------------------------------- placement


def _one(placement: Placement, **doc: object) -> Document:
    cue = Cue(start_ms=0, end_ms=1000, content=content_from_text("x"), placement=placement)
    return Document(cues=(cue,), **doc)  # type: ignore[arg-type]


def _convert(text: str, source: str, target: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return str(subkit.dumps(subkit.loads(text, format=source), target))


@pytest.mark.parametrize("align", range(1, 10))
@pytest.mark.parametrize("via", ["webvtt", "ttml"])
def test_srt_alignment_survives_a_trip_through(via: str, align: int) -> None:
    srt = f"1\n00:00:01,000 --> 00:00:02,000\n{{\\an{align}}}Text\n"
    back = _convert(_convert(srt, "srt", via), via, "srt")
    expected = ("", "{\\an2}") if align == 2 else (f"{{\\an{align}}}",)
    assert back.splitlines()[2] in [f"{tag}Text" for tag in expected]
    ass = _convert(_convert(srt, "srt", via), via, "ass")
    assert f"\\an{align}" in ass or align == 2


@pytest.mark.parametrize(
    ("settings", "srt_tag", "ass_tag"),
    [
        ("line:0", "{\\an8}", "{\\an8}"),
        ("line:0%,start", "{\\an8}", "{\\an8}"),
        ("line:5% position:3% align:left", "{\\an7}", "{\\an7\\pos(11.52,14.4)}"),
        ("line:-1", "", ""),
        ("line:50%,center align:right", "{\\an6}", "{\\an6}"),
        ("align:left", "{\\an1}", "{\\an1}"),
        ("position:90%,line-right align:right line:95%,end", "{\\an3}", "{\\an3\\pos(345.6,273.6)}"),
        # A box from 0 to 90 % with centred text: the text is centred at 45 %.
        ("position:90%,line-right line:95%,end", "", "{\\an2\\pos(172.8,273.6)}"),
        ("line:-2 position:30%,line-left size:50%", "", ""),
    ],
)
def test_webvtt_settings_map_to_the_nearest_point(settings: str, srt_tag: str, ass_tag: str) -> None:
    vtt = f"WEBVTT\n\n00:01.000 --> 00:02.000 {settings}\nText\n"
    assert _convert(vtt, "webvtt", "srt").splitlines()[2] == f"{srt_tag}Text"
    assert _convert(vtt, "webvtt", "ass").splitlines()[-1].endswith(f",,{ass_tag}Text")


def test_ttml_top_region_gives_top_alignment() -> None:
    ttml = """<tt xmlns="http://www.w3.org/ns/ttml" xmlns:tts="http://www.w3.org/ns/ttml#styling">
<head><layout><region xml:id="top" tts:origin="10% 5%" tts:extent="80% 20%" tts:displayAlign="before"/>
<region xml:id="bottom" tts:origin="10% 75%" tts:extent="80% 20%" tts:displayAlign="after"/></layout></head>
<body><div><p begin="1s" end="2s" region="top">Up</p>
<p begin="3s" end="4s" region="bottom">Down</p></div></body></tt>"""
    srt = _convert(ttml, "ttml", "srt")
    assert "{\\an8}Up" in srt and "\nDown" in srt
    assert "{\\an8}Up" in _convert(ttml, "ttml", "ass")


def test_nearest_alignment_table() -> None:
    assert nearest_alignment(Placement()) is None
    assert nearest_alignment(Placement(line=2)) == 8
    assert nearest_alignment(Placement(line=-3)) == 2
    assert nearest_alignment(Placement(line=50, snap_to_lines=False, text_align="left")) == 4
    assert nearest_alignment(Placement(x=90, y=10)) == 9
    assert nearest_alignment(Placement(x=10, y=50, unit="px"), canvas=(100, 100)) == 4
    assert nearest_alignment(Placement(x=10, y=50, unit="px")) is None
    regions = {"r": Region(id="r", display_align="center")}
    assert nearest_alignment(Placement(region="r"), regions) == 5
    assert exact_anchor(Placement(line=20, snap_to_lines=False)) is None
    assert exact_anchor(Placement(line=20, snap_to_lines=False, position=50)) == (8, 50, 20)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert "{\\an8}x" in str(subkit.dumps(_one(Placement(line=1)), "srt"))


# ---------------------------------------------------------------- EBU STL character tables


def _lines(*lines: str) -> Document:
    return Document(cues=tuple(
        Cue(start_ms=i * 2000, end_ms=i * 2000 + 1500, content=content_from_text(text)) for i, text in enumerate(lines)
    ))


@pytest.mark.parametrize(
    ("lines", "table"),
    [
        (("Привет, как дела?", "Всё хорошо…"), "01"),
        (("مرحبا", "كيف حالك؟"), "02"),
        (("Καλημέρα…", "Τι κάνεις;"), "03"),
        (("שלום", "מה שלומך?"), "04"),
        (("Où est… la gare — «ici»", "Ça va"), "00"),
    ],
)
def test_stl_table_is_chosen_from_the_text(lines: tuple[str, ...], table: str) -> None:
    result = subkit.render(_lines(*lines), "ebu_stl")
    back = subkit.loads(result.data, format="ebu_stl")
    assert back.header["ebu_stl.CCT"] == table
    assert [cue.plain_text() for cue in back.cues] == [line.replace("…", "...") for line in lines]
    assert {loss.feature for loss in result.losses} <= {"transliteration"}


def test_stl_text_no_table_holds_is_reported_per_cue_with_the_option() -> None:
    result = subkit.render(_lines("こんにちは", "元気？", "はい", "Fine"), "ebu_stl")
    (loss,) = result.losses
    assert loss.feature == "charset" and loss.count == 3 and loss.first_cue == 0
    assert "no STL character table" in loss.message
    with pytest.raises(subkit.UnsupportedFeatureError):
        subkit.render(_lines("こんにちは"), "ebu_stl", strict=True)
    forced = subkit.render(_lines("Привет"), "ebu_stl", character_table="03")
    (forced_loss,) = forced.losses
    assert "-w character_table=" in forced_loss.message and forced_loss.count == 1
