"""subkit.media rendering through libass: pixels of frames, sheets and burnt video.

Frames come back as PNG; :func:`decode` turns them into the
:class:`tests.ops._render.Frame` the style tests already read pixels with.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import subkit
from subkit.errors import ConfigError, LossyConversionWarning
from subkit.media import (
    FontWarning,
    MediaError,
    burn,
    choose_moments,
    contact_sheet,
    preview_clip,
    render_frame,
    render_frames,
)
from subkit.media._render import ass_script, font_substitutions, parse_color, parse_size
from subkit.model import Cue, Document, content_from_text
from subkit.ops._style import STYLES, style
from subkit.ops._words import cue_tokens
from tests.ops._render import Frame, bright, hex_rgb, near

from .conftest import needs_ffmpeg

W, H = 480, 270
white = near(hex_rgb("#FFFFFF"), 60)
green = near(hex_rgb("#00FF00"), 60)
FONT = "DejaVu Sans"
#: The styled tests draw in DejaVu Sans; where fontconfig has no such font they would (rightly) warn, so they skip.
needs_font = pytest.mark.skipif(bool(font_substitutions([FONT])), reason=f"the {FONT} font is not installed")


def decode(png: bytes) -> Frame:
    """A PNG as packed RGB rows (the size from its IHDR chunk, the pixels through ffmpeg)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    data = subprocess.run(["ffmpeg", "-v", "error", "-i", "pipe:0", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
                          input=png, capture_output=True, check=True, timeout=300).stdout
    assert len(data) == width * height * 3
    return Frame(width, height, data)


# ---------------------------------------------------------------- inputs in four formats

SRT = "1\n00:00:00,500 --> 00:00:02,500\nmove the text\n"
VTT = "WEBVTT\n\n00:00.500 --> 00:02.500\nmove the text\n"
ASS = (
    "[Script Info]\nScriptType: v4.00+\nPlayResX: 640\nPlayResY: 360\n\n[Events]\n"
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    "Dialogue: 0,0:00:00.50,0:00:02.50,Default,,0,0,0,,{\\k50}move {\\k50}the {\\k10}{\\k80}text\n"
)


def _input(name: str) -> Document:
    if name == "scc":
        # A real SCC file: the SRT cue written by the SCC writer (pop-on, 29.97 drop-frame) and read back.
        scc = subkit.dumps(subkit.loads(SRT, format="srt"), "scc")
        return subkit.loads(scc, format="scc")
    return subkit.loads({"srt": SRT, "vtt": VTT, "ass": ASS}[name], format={"vtt": "webvtt"}.get(name, name))


def _styled(doc: Document, **changes: Any) -> Document:
    base: dict[str, Any] = {"canvas_width": W, "canvas_height": H, "font_size": 40, "line_color": "#FFFFFF",
                            "word_color": "#00FF00", "all_caps": True, "position": "middle_center",
                            "font_family": FONT}
    base.update(changes)
    return style(doc, base)


def _moments(doc: Document) -> list[int]:
    """Before the line, the middle of the first word, the middle of the last word (10 ms grid)."""
    tokens = cue_tokens(doc[0])
    first, last = tokens[0], tokens[-1]
    return [100, (first.start_ms + first.end_ms) // 20 * 10, (last.start_ms + last.end_ms) // 20 * 10]


def _frames(doc: Document, moments: list[int]) -> list[Frame]:
    return [decode(png) for png in render_frames(doc, moments, size=(W, H))]


def _center_x(box: tuple[int, int, int, int] | None) -> float:
    assert box is not None
    return (box[0] + box[2]) / 2


SOURCES = ("srt", "vtt", "ass", "scc")


@needs_ffmpeg
@needs_font
@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("name", STYLES)
def test_render_frames_draw_each_style_from_each_format(source: str, name: str) -> None:
    doc = _input(source)
    frames = _frames(_styled(doc, style=name), _moments(doc))
    before, first, last = frames
    assert before.count(bright) == 0, "nothing before the cue"
    if name == "classic":
        assert first.count(white) > 200 and first.count(green) == 0
        assert first.data == last.data, "classic does not change during the cue"
        assert abs(_center_x(first.bbox(white)) - W / 2) < 12
    elif name == "karaoke":
        sung_first, sung_last = first.count(green), last.count(green)
        assert sung_first > 50 and first.count(white) > sung_first
        assert sung_last > 2 * sung_first, "more of the line is sung later"
    elif name == "highlight":
        word_first, word_last = first.bbox(green), last.bbox(green)
        assert word_first is not None and word_last is not None
        assert word_first[2] <= word_last[0], "the highlight moves from the first word to the last"
        assert first.count(white) > first.count(green) > 50
    elif name == "underline":
        assert first.count(green) == 0 and first.count(white) > 200
        assert first.data != last.data, "the line under the word moves"
    else:  # word_by_word
        for frame in (first, last):
            box = frame.bbox(green)
            assert box is not None and box[2] - box[0] < W / 3, "one word at a time"
            assert frame.count(white) == 0
        assert first.data != last.data


@needs_ffmpeg
@needs_font
@pytest.mark.parametrize(
    ("changes", "check"),
    [
        ({"position": "top_center"}, lambda b: b[3] < H / 3),
        ({"position": "middle_center"}, lambda b: H / 3 < (b[1] + b[3]) / 2 < 2 * H / 3),
        ({"position": "bottom_center"}, lambda b: b[1] > 2 * H / 3),
        ({"x": 100, "y": 60, "alignment": "left"}, lambda b: abs(b[0] - 100) < 10 and abs((b[1] + b[3]) / 2 - 60) < 12),
        ({"x": 360, "y": 200}, lambda b: abs((b[0] + b[2]) / 2 - 360) < 12 and abs((b[1] + b[3]) / 2 - 200) < 12),
    ],
    ids=["top", "middle", "bottom", "x_y_left", "x_y_center"],
)
def test_render_frame_places_captions(changes: dict[str, Any], check: Any) -> None:
    doc = _styled(_input("srt"), style="classic", **changes)
    frame = decode(render_frame(doc, 1500, size=(W, H)))
    box = frame.bbox(white)
    assert box is not None and check(box), box


@needs_ffmpeg
def test_render_frame_follows_placement_of_plain_inputs() -> None:
    top = subkit.loads("1\n00:00:01,000 --> 00:00:02,000\n{\\an8}Top line\n\n2\n00:00:03,000 --> 00:00:04,000\n"
                       "Bottom line\n", format="srt")
    frames = [decode(png) for png in render_frames(top, [1500, 3500], size=(W, H))]
    high, low = frames[0].bbox(white), frames[1].bbox(white)
    assert high is not None and low is not None
    assert high[3] < H / 3 < 2 * H / 3 < low[1]
    ass = subkit.loads(ASS.replace("{\\k50}move", "{\\pos(160,90)}move"), format="ass")
    box = decode(render_frame(ass, 1000, size=(W, H))).bbox(bright)
    # \pos(160,90) on a 640x360 script is (120, 67.5) on 480x270, bottom-centre anchored.
    assert box is not None and abs(_center_x(box) - 120) < 12 and abs(box[3] - 67) < 12


@needs_ffmpeg
def test_render_frame_background_and_millisecond_moments() -> None:
    doc = subkit.loads("1\n00:00:01,230 --> 00:00:01,270\nBlink\n", format="srt")
    inside, after = (decode(render_frame(doc, ms, size=(320, 180), background="#203040")) for ms in (1240, 1270))
    assert inside.pixel(2, 2) == after.pixel(2, 2) and all(abs(a - b) <= 3 for a, b in
                                                            zip(inside.pixel(2, 2), (0x20, 0x30, 0x40), strict=True))
    assert inside.data != after.data, "shown at 1.240 s, gone at its end 1.270 s: no 40 ms frame grid"


@needs_ffmpeg
def test_render_frame_over_a_video(video_mp4: Path) -> None:
    doc = subkit.loads(SRT, format="srt")
    plain = decode(render_frame(Document(), 1000, video=video_mp4))
    captioned = decode(render_frame(doc, 1000, video=video_mp4))
    assert (plain.width, plain.height) == (160, 90)
    assert plain.data != captioned.data
    assert plain.count(bright) > 1000, "testsrc is colourful"
    with pytest.raises(MediaError, match="no frame"):
        render_frame(doc, 60_000, video=video_mp4)


@needs_ffmpeg
@needs_font
def test_writer_losses_and_missing_fonts_are_warned() -> None:
    vtt = subkit.loads("WEBVTT\n\n00:01.000 --> 00:02.000 line:0 position:10% align:start\nHi\n", format="webvtt")
    with pytest.warns(LossyConversionWarning, match="ass cannot express line"):
        render_frame(vtt, 1500, size=(160, 90))
    doc = _styled(_input("srt"), style="classic", font_family="No Such Font Family 42")
    script = ass_script(doc, size=(W, H))
    assert [font.requested for font in script.fonts] == ["No Such Font Family 42"]
    assert script.fonts[0].used and script.fonts[0].used != "No Such Font Family 42"
    with pytest.warns(FontWarning, match=r"No Such Font Family 42.*libass draws it with"):
        render_frame(doc, 1000, size=(W, H))
    assert font_substitutions([FONT]) == []


@needs_ffmpeg
def test_contact_sheet_tiles_and_labels() -> None:
    doc = subkit.load(Path(__file__).resolve().parents[2] / "fixtures" / "demo.srt")
    sheet = decode(contact_sheet(doc, columns=3, rows=2, size=(320, 180), tile_width=160))
    bar = 12  # the label bar: a tenth of the tile's height, at least 12 pixels
    assert (sheet.width, sheet.height) == (3 * 160 + 4 * 4, 2 * (90 + bar) + 3 * 4)
    labels = sheet.count(bright, (4, 4, 4 + 160, 4 + bar))
    assert labels > 20, "the first tile's time label"
    lit = near((0, 0, 0), 59)
    tiles_with_text = sum(
        sheet.count(lambda rgb: not lit(rgb),
                    (4 + c * 164, 4 + r * (90 + bar + 4) + bar, 4 + c * 164 + 160, 4 + (r + 1) * (90 + bar + 4)))
        > 50 for c in range(3) for r in range(2))
    assert tiles_with_text == 6, "the busiest moments all show captions"


@needs_ffmpeg
def test_contact_sheet_over_a_video(video_mp4: Path) -> None:
    doc = subkit.loads(SRT, format="srt")
    sheet = decode(contact_sheet(doc, columns=2, rows=1, moments="even", video=video_mp4, tile_width=160))
    assert sheet.width == 2 * 160 + 3 * 4


def test_choose_moments_busiest_and_even() -> None:
    doc = Document(cues=(
        Cue(start_ms=0, end_ms=1000, content=content_from_text("short")),
        Cue(start_ms=500, end_ms=1500, content=content_from_text("overlapping, long text")),
        Cue(start_ms=5000, end_ms=6000, content=content_from_text("a much longer line of text here")),
    ))
    assert choose_moments(doc, 1) == [5500]
    assert choose_moments(doc, 3) == [500, 1000, 5500]
    assert choose_moments(doc, 4, "even") == [750, 2250, 3750, 5250]
    with pytest.raises(ConfigError):
        choose_moments(doc, 0)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 100_000), st.integers(0, 5_000)), max_size=12),
    st.integers(1, 20),
    st.sampled_from(["busiest", "even"]),
)
def test_choose_moments_gives_distinct_sorted_moments(cues: list[tuple[int, int]], count: int, how: Any) -> None:
    doc = Document(cues=tuple(Cue(start_ms=s, end_ms=s + d, content=content_from_text("x")) for s, d in cues))
    moments = choose_moments(doc, count, how)
    assert len(moments) == count and moments == sorted(set(moments))
    assert all(ms >= 0 and ms % 10 == 0 for ms in moments)


def _probe(path: Path) -> dict[str, Any]:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name:format=duration",
                          "-of", "json", str(path)], capture_output=True, check=True, timeout=300).stdout
    data: dict[str, Any] = json.loads(out)
    return data


def _audio_hash(path: Path) -> bytes:
    return subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:a", "-c", "copy", "-f", "md5", "-"],
                          capture_output=True, check=True, timeout=300).stdout


@needs_ffmpeg
def test_burn_keeps_duration_and_audio_and_draws_the_captions(video_mp4: Path, tmp_path: Path) -> None:
    doc = subkit.loads(SRT, format="srt")
    out = tmp_path / "burnt.mp4"
    seen: list[float] = []
    burn(video_mp4, doc, out, preset="ultrafast", progress=lambda done, total: seen.append(done))
    source, burnt = _probe(video_mp4), _probe(out)
    assert [s["codec_type"] for s in burnt["streams"]] == ["video", "audio"]
    assert abs(float(burnt["format"]["duration"]) - float(source["format"]["duration"])) < 0.05
    assert _audio_hash(out) == _audio_hash(video_mp4), "the audio is copied, not re-encoded"
    assert seen and max(seen) > 3.0
    at_cue = decode(render_frame(Document(), 1500, video=out))
    untouched = decode(render_frame(Document(), 1500, video=video_mp4))
    changed = [
        (x, y) for y in range(90) for x in range(160)
        if max(abs(a - b) for a, b in zip(at_cue.pixel(x, y), untouched.pixel(x, y), strict=True)) > 100
    ]
    assert len(changed) > 50, "the captions are drawn in"
    assert all(y >= 45 for _, y in changed), "at the bottom only"
    assert not list(tmp_path.glob(".*subkit-tmp*")), "no temporary file left behind"


@needs_ffmpeg
def test_preview_clip_without_and_with_video(video_mp4: Path, tmp_path: Path) -> None:
    doc = subkit.loads(SRT, format="srt")
    plain = tmp_path / "plain.mp4"
    preview_clip(doc, plain, start_ms=400, end_ms=1400, size=(160, 90), preset="ultrafast")
    assert abs(float(_probe(plain)["format"]["duration"]) - 1.0) < 0.05
    cut = tmp_path / "cut.mkv"
    preview_clip(doc, cut, start_ms=1000, end_ms=3000, video=video_mp4, preset="ultrafast")
    info = _probe(cut)
    assert abs(float(info["format"]["duration"]) - 2.0) < 0.1
    assert "audio" in [s["codec_type"] for s in info["streams"]]


def test_missing_ffmpeg_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("SUBKIT_FFMPEG", raising=False)
    with pytest.raises(ConfigError, match=r"ffmpeg was not found.*install ffmpeg"):
        render_frame(subkit.loads(SRT, format="srt"), 1000)
    monkeypatch.setenv("SUBKIT_FFMPEG", "/nonexistent/ffmpeg")
    with pytest.raises(ConfigError, match="SUBKIT_FFMPEG"):
        render_frame(subkit.loads(SRT, format="srt"), 1000)


@needs_ffmpeg
def test_bad_arguments_and_broken_video(tmp_path: Path) -> None:
    doc = subkit.loads(SRT, format="srt")
    with pytest.raises(ConfigError):
        render_frame(doc, -5)
    with pytest.raises(ConfigError):
        parse_size("641x360")
    with pytest.raises(ConfigError):
        parse_color("#12345")
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"not a video at all")
    with pytest.raises(MediaError):
        render_frame(doc, 1000, video=broken)
    with pytest.raises(subkit.SubkitIOError):
        render_frame(doc, 1000, video=tmp_path / "missing.mp4")
