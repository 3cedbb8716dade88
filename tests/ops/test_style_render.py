"""ops.style through libass: render the ASS output with ffmpeg and look at the pixels.

Each test styles one input (a Whisper JSON transcript with word times, an
SRT file whose word times are estimated, an ASS karaoke file), writes ASS,
renders a few frames over black with ffmpeg's ``ass`` filter (one ffmpeg
call per test, see :mod:`tests.ops._render`) and checks what a viewer would
see: colours, where they are, and how they change over time.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import subkit
from subkit.model import Cue, Document, Word, content_from_text
from subkit.ops._style import STYLES, style
from subkit.ops._words import cue_tokens

from ._render import Frame, bright, draw_docs, hex_rgb, near, render

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg (with libass) is not installed")

W, H = 480, 270
LINE = "#FFFFFF"
WORD = "#00FF00"
white = near(hex_rgb(LINE), 60)
green = near(hex_rgb(WORD), 60)

#: Three words without descenders (the underline test looks below them), shown in capitals.
WHISPER_JSON = """{
  "text": " move the text",
  "language": "en",
  "segments": [{"id": 0, "start": 0.5, "end": 2.5, "text": " move the text",
                "words": [{"word": " move", "start": 0.5, "end": 1.0, "probability": 0.9},
                          {"word": " the", "start": 1.0, "end": 1.5, "probability": 0.9},
                          {"word": " text", "start": 1.6, "end": 2.4, "probability": 0.9}]}]
}"""
SRT = "1\n00:00:00,500 --> 00:00:02,500\nmove the text\n"
ASS = (
    "[Script Info]\nScriptType: v4.00+\nPlayResX: 640\nPlayResY: 360\n\n[Events]\n"
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    "Dialogue: 0,0:00:00.50,0:00:02.50,Default,,0,0,0,,{\\k50}move {\\k50}the {\\k10}{\\k80}text\n"
)


def _whisper() -> Document:
    """The Whisper transcript through the whisper_json reader, or built by hand when there is none yet."""
    try:
        doc = subkit.loads(WHISPER_JSON, format="whisper_json")
    except subkit.SubkitError:
        doc = None
    if doc is not None and len(doc) == 1 and len(doc[0].words) == 3:
        return doc
    times = [(" move", 500, 1000), (" the", 1000, 1500), (" text", 1600, 2400)]  # pragma: no cover
    words = tuple(Word(text=t, start_ms=s, end_ms=e) for t, s, e in times)  # pragma: no cover
    return Document(cues=(Cue(start_ms=500, end_ms=2500, content=content_from_text("move the text"),
                              words=words),))  # pragma: no cover


def _srt() -> Document:
    return subkit.loads(SRT, format="srt")


def _ass() -> Document:
    return subkit.loads(ASS, format="ass")


INPUTS: dict[str, Callable[[], Document]] = {
    "whisper": _whisper,
    "srt": _srt,
    "ass": _ass,
}


def _frames(doc: Document, times: list[int], **settings: Any) -> list[Frame]:
    base: dict[str, Any] = {"canvas_width": W, "canvas_height": H, "font_size": 40, "line_color": LINE,
                            "word_color": WORD, "all_caps": True, "position": "middle_center"}
    base.update(settings)
    script = subkit.dumps(style(doc, base), "ass")
    assert isinstance(script, str)
    return render(script, times, (W, H))


def _moments(doc: Document) -> tuple[int, int, int]:
    """Before the line, in the middle of the first word, in the middle of the last word (10 ms grid)."""
    tokens = cue_tokens(doc[0])
    first, last = tokens[0], tokens[-1]
    return 200, (first.start_ms + first.end_ms) // 20 * 10, (last.start_ms + last.end_ms) // 20 * 10


def _center_x(box: tuple[int, int, int, int] | None) -> float:
    assert box is not None
    return (box[0] + box[2]) / 2


@pytest.mark.parametrize("source", INPUTS)
def test_classic_shows_the_whole_line_in_line_color(source: str) -> None:
    doc = INPUTS[source]()
    before, first, last = _moments(doc)
    frames = _frames(doc, [before, first, last], style="classic", line_color="#FF0000")
    red = near((255, 0, 0), 60)
    assert frames[0].count(bright) == 0, "nothing before the cue"
    for frame in frames[1:]:
        assert frame.count(red) > 200 and frame.count(white) == 0 and frame.count(green) == 0
    assert frames[1].data == frames[2].data, "classic does not change during the cue"
    box = frames[1].bbox(red)
    assert box is not None and abs(_center_x(box) - W / 2) < 10 and box[2] - box[0] > W / 3


@pytest.mark.parametrize("source", INPUTS)
def test_karaoke_sweeps_word_color_over_the_line(source: str) -> None:
    doc = INPUTS[source]()
    before, first, last = _moments(doc)
    frames = _frames(doc, [before, first, last], style="karaoke")
    assert frames[0].count(bright) == 0
    green_first, green_last = frames[1].count(green), frames[2].count(green)
    assert green_first > 100, "the first word is sung"
    assert frames[1].count(white) > green_first, "the rest is still in line_color"
    assert green_last > 2 * green_first, "more words are sung later"
    assert frames[2].count(white) < frames[1].count(white)
    sung = frames[1].bbox(green)
    line = frames[1].bbox(bright)
    assert sung is not None and line is not None and sung[2] < _center_x(line), "the sung part starts at the left"


@pytest.mark.parametrize("source", INPUTS)
def test_highlight_colours_only_the_current_word(source: str) -> None:
    doc = INPUTS[source]()
    before, first, last = _moments(doc)
    frames = _frames(doc, [before, first, last], style="highlight")
    assert frames[0].count(green) == 0 and frames[0].count(bright) == 0
    word_first, word_last = frames[1].bbox(green), frames[2].bbox(green)
    assert word_first is not None and word_last is not None
    assert word_first[2] < word_last[0], "the highlight moves from the first word to the last"
    for frame in frames[1:]:
        assert frame.count(white) > frame.count(green) > 100, "the other words stay in line_color"
    line = frames[1].bbox(bright)
    assert line is not None and line[0] <= word_first[0] and word_last[2] <= line[2]


def _underline(frame: Frame) -> tuple[int, int]:
    """The longest horizontal white run below the middle of the text: (start x, length)."""
    box = frame.bbox(white)
    assert box is not None
    middle = (box[1] + box[3]) // 2
    return max((frame.longest_run(white, y) for y in range(middle, box[3])), key=lambda run: run[1])


@pytest.mark.parametrize("source", INPUTS)
def test_underline_draws_a_line_under_the_current_word_only(source: str) -> None:
    doc = INPUTS[source]()
    before, first, last = _moments(doc)
    frames = _frames(doc, [before, first, last], style="underline")
    assert frames[0].count(bright) == 0
    line = frames[1].bbox(white)
    assert line is not None
    width = line[2] - line[0]
    start_first, length_first = _underline(frames[1])
    start_last, length_last = _underline(frames[2])
    assert width / 5 < length_first < width / 2, "a line as wide as one word, not the whole text"
    assert width / 5 < length_last < width / 2
    assert start_first < line[0] + 10, "under the first word"
    assert start_last + length_last > line[2] - 10, "under the last word"
    assert frames[1].count(green) == 0


@pytest.mark.parametrize("source", INPUTS)
def test_word_by_word_shows_one_word_at_a_time(source: str) -> None:
    doc = INPUTS[source]()
    before, first, last = _moments(doc)
    frames = _frames(doc, [before, first, last], style="word_by_word")
    assert frames[0].count(bright) == 0
    for frame in frames[1:]:
        box = frame.bbox(green)
        assert box is not None and box[2] - box[0] < W / 4, "one short word"
        assert frame.count(white) == 0, "shown in word_color"
        assert abs(_center_x(box) - W / 2) < 10, "at the anchor"
    assert frames[1].data != frames[2].data, "another word later"


# ---------------------------------------------------------------- placement and canvas


@pytest.mark.parametrize(
    ("settings", "check"),
    [
        ({"position": "top_left", "alignment": "left"}, lambda b: b[0] < 10 and b[3] < H / 3),
        ({"position": "bottom_right", "alignment": "right"}, lambda b: b[2] > W - 10 and b[1] > 2 * H / 3),
        ({"position": "bottom_center"}, lambda b: abs((b[0] + b[2]) / 2 - W / 2) < 10 and b[3] <= 5 * H / 6 + 8),
        ({"x": 100, "y": 60, "alignment": "left"}, lambda b: abs(b[0] - 100) < 8 and abs((b[1] + b[3]) / 2 - 60) < 10),
        ({"canvas_width": 960, "canvas_height": 540, "x": 480, "y": 270, "font_size": 80},
         lambda b: abs((b[0] + b[2]) / 2 - W / 2) < 10 and abs((b[1] + b[3]) / 2 - H / 2) < 10 and b[3] - b[1] < 40),
    ],
    ids=["top_left", "bottom_right", "bottom_center", "x_y", "canvas"],
)
def test_position_x_y_and_canvas_move_the_text(settings: dict[str, Any], check: Any) -> None:
    doc = INPUTS["srt"]()
    (frame,) = _frames(doc, [1000], **{"style": "classic", "font_size": 30, **settings})
    box = frame.bbox(bright)
    assert box is not None and check(box), box


def test_bold_outline_and_shadow_render() -> None:
    doc = INPUTS["srt"]()
    plain, heavy = (
        _frames(doc, [1000], style="classic", outline_color="#0000FF", outline_width=0)[0],
        _frames(doc, [1000], style="classic", outline_color="#0000FF", outline_width=3, bold=True,
                shadow_offset=4)[0],
    )
    blue = near((0, 0, 255), 60)
    assert plain.count(blue) == 0 and heavy.count(blue) > 200
    assert heavy.count(white) > plain.count(white), "bold strokes are wider"


def test_docs_pictures_are_drawn(tmp_path: Path) -> None:
    written = draw_docs(tmp_path)
    assert [path.name for path in written] == ["before.png", *(f"{name}.png" for name in STYLES)]
    for path in written:
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) < 60_000
