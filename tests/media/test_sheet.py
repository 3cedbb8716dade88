"""Contact sheets over a video: one ffmpeg run, the right frame and the right captions in every tile.

The captions are large and coloured (one colour a cue). The video is made for
the test: flat grey frames whose two halves spell the frame number (left:
``n % 16``, right: ``n // 16``), lossless x264 with a keyframe every second,
so a tile tells which frame it was cut from.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

import subkit
from subkit.media import _ffmpeg, _render, contact_sheet
from tests.ops._render import Frame

from .conftest import needs_ffmpeg
from .test_render import decode

#: Tile geometry of a 3x2 sheet of a 320x180 video at tile width 160: 90 pixels high, a 12-pixel label bar.
TILE_W, TILE_H, BAR = 160, 90, 12
#: Moments: two in the first second (one keyframe interval), two in the second (1000 ms is on a keyframe and on
#: a frame), one alone, and the last frame of the video.
MOMENTS = [200, 530, 1000, 1480, 2040, 3960]
ASS = (
    "[Script Info]\nScriptType: v4.00+\nPlayResX: 320\nPlayResY: 180\n\n[V4+ Styles]\n"
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, "
    "Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, "
    "MarginR, MarginV, Encoding\n"
    "Style: Default,DejaVu Sans,48,&H00FFFFFF,&H00FFFFFF,&H00000000,&H00000000,-1,0,0,0,100,100,0,0,1,1,0,2,"
    "10,10,10,1\n\n[Events]\n"
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    "Dialogue: 0,0:00:00.00,0:00:00.60,Default,,0,0,0,,{\\c&H0000FF&}RED\n"
    "Dialogue: 0,0:00:00.90,0:00:01.49,Default,,0,0,0,,{\\c&H00FF00&}GREEN\n"
    "Dialogue: 0,0:00:02.00,0:00:02.10,Default,,0,0,0,,{\\c&HFF0000&}BLUE\n"
)
#: The caption colour each tile must show (``None``: no caption at that moment).
EXPECTED = ["red", "red", "green", "green", "blue", None]
COLOURS = {
    "red": lambda rgb: rgb[0] > 170 and rgb[1] < 90 and rgb[2] < 90,
    "green": lambda rgb: rgb[1] > 170 and rgb[0] < 90 and rgb[2] < 90,
    "blue": lambda rgb: rgb[2] > 170 and rgb[0] < 90 and rgb[1] < 90,
}


def _level(value: int) -> int:
    """The luma (limited range) that carries ``value`` (0..15)."""
    return 16 + 13 * value


@pytest.fixture(scope="module")
def numbered_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """4 s of 320x180 at 25 fps whose frames spell their own number; a keyframe every 25 frames."""
    path = tmp_path_factory.mktemp("sheet") / "numbered.mp4"
    luma = f"if(lt(X,W/2),{_level(0)}+13*mod(N,16),{_level(0)}+13*floor(N/16))"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", "color=c=black:s=320x180:r=25:d=4",
         "-vf", f"format=yuv420p,geq=lum='{luma}':cb=128:cr=128", "-c:v", "libx264", "-preset", "ultrafast",
         "-qp", "0", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0", "-pix_fmt", "yuv420p", str(path)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return path


def _tile_box(index: int) -> tuple[int, int, int, int]:
    """The picture of tile ``index`` (row-major in a 3-column sheet), without its label bar."""
    column, row = index % 3, index // 3
    x0 = 4 + column * (TILE_W + 4)
    y0 = 4 + row * (TILE_H + BAR + 4) + BAR
    return x0, y0, x0 + TILE_W, y0 + TILE_H


def _digit(sheet: Frame, x: int, y: int) -> int:
    """The value (0..15) a grey level in the tile stands for."""
    red, green, blue = sheet.pixel(x, y)
    assert max(red, green, blue) - min(red, green, blue) <= 6, f"grey expected at ({x}, {y})"
    luma = 16 + red * 219 / 255
    return round((luma - _level(0)) / 13)


def _frame_number(sheet: Frame, index: int) -> int:
    x0, y0, x1, _ = _tile_box(index)
    return _digit(sheet, x0 + 20, y0 + 15) + 16 * _digit(sheet, x1 - 20, y0 + 15)


def _caption(sheet: Frame, index: int) -> str | None:
    box = _tile_box(index)
    shown = [name for name, test in COLOURS.items() if sheet.count(test, box) > 30]
    assert len(shown) <= 1, f"tile {index} shows {shown}"
    return shown[0] if shown else None


class _Calls:
    """Counts the ffmpeg runs of the renderer and keeps their arguments."""

    def __init__(self) -> None:
        self.args: list[list[str]] = []

    def __call__(self, args: Sequence[str], **kwargs: Any) -> bytes:
        self.args.append(list(args))
        return subkit_run_ffmpeg(args, **kwargs)


subkit_run_ffmpeg = _ffmpeg.run_ffmpeg


@needs_ffmpeg
def test_sheet_over_a_video_is_one_ffmpeg_run_with_the_right_frames_and_captions(
    numbered_video: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _Calls()
    monkeypatch.setattr(_render, "run_ffmpeg", calls)
    doc = subkit.loads(ASS, format="ass")
    sheet = decode(contact_sheet(doc, columns=3, rows=2, moments=MOMENTS, video=numbered_video, tile_width=TILE_W))
    assert len(calls.args) == 1, "one ffmpeg process draws the whole sheet"
    # One input per keyframe interval that holds moments: 0-1 s, 1-2 s, 2-3 s, 3-4 s.
    assert calls.args[0].count("-i") == 4
    assert (sheet.width, sheet.height) == (3 * TILE_W + 4 * 4, 2 * (TILE_H + BAR) + 3 * 4)
    # The frame a seek gives: the first at or after the moment (25 fps: frame n starts at 40 n ms).
    assert [_frame_number(sheet, index) for index in range(6)] == [-(-ms // 40) for ms in MOMENTS]
    assert [_caption(sheet, index) for index in range(6)] == EXPECTED
    labels = sheet.count(lambda rgb: min(rgb) > 180, (4, 4, 4 + TILE_W, 4 + BAR))
    assert labels > 20, "the first tile's time label"


@needs_ffmpeg
def test_sheet_with_a_seek_per_moment_is_the_same_picture(
    numbered_video: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs of moments sharing a keyframe are an optimisation: without them the sheet is byte for byte the same."""
    doc = subkit.loads(ASS, format="ass")
    grouped = contact_sheet(doc, columns=3, rows=2, moments=MOMENTS, video=numbered_video, tile_width=TILE_W)
    real = _render._seek_groups

    def alone(video: str | Path, times: Sequence[int]) -> tuple[tuple[int, int], list[list[int]]]:
        size, _groups = real(video, times)
        return size, [[ms] for ms in times]

    calls = _Calls()
    monkeypatch.setattr(_render, "_seek_groups", alone)
    monkeypatch.setattr(_render, "run_ffmpeg", calls)
    single = contact_sheet(doc, columns=3, rows=2, moments=MOMENTS, video=numbered_video, tile_width=TILE_W)
    assert calls.args[0].count("-i") == len(MOMENTS)
    assert single == grouped


@needs_ffmpeg
def test_seek_groups_follow_the_keyframes(numbered_video: Path, tmp_path: Path) -> None:
    size, groups = _render._seek_groups(numbered_video, MOMENTS)
    assert size == (320, 180)
    assert groups == [[200, 530], [1000, 1480], [2040], [3960]]
    # A container that does not start at 0 (MPEG-TS starts at 1.4 s): ffprobe's times are not ffmpeg's -ss
    # times, so every moment gets its own seek.
    stream = tmp_path / "numbered.ts"
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", str(numbered_video), "-c", "copy", str(stream)],
                   check=True, capture_output=True, timeout=300)
    assert _render._seek_groups(stream, MOMENTS)[1] == [[ms] for ms in MOMENTS]
    doc = subkit.loads(ASS, format="ass")
    sheet = decode(contact_sheet(doc, columns=3, rows=2, moments=MOMENTS, video=stream, tile_width=TILE_W))
    assert [_caption(sheet, index) for index in range(6)] == EXPECTED


def test_sheet_frame_picker_in_the_graph() -> None:
    inputs, graph = _render._video_tiles("v.mp4", [[200, 530], [2040]], (320, 180))
    assert inputs == ["-threads", "2", "-ss", "0.200", "-i", "v.mp4", "-threads", "2", "-ss", "2.040", "-i", "v.mp4"]
    assert graph.startswith("[0:v]split=2[s0_0][s0_1];[s0_0]trim=end_frame=1,")
    assert "[s0_1]trim=start=0.330,trim=end_frame=1," in graph
    assert graph.endswith("[f0][f1][f2]concat=n=3:v=1:a=0,")
