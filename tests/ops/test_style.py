"""ops.style: the settings, what each style emits for ASS, WebVTT and SRT, losses, golden files."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import subkit
from subkit.errors import OperationError, UnknownFormatError, UnsupportedFeatureError
from subkit.model import Color, Cue, Document, LossReport, RunStyle, Word, content_from_text
from subkit.ops._report import ChangeReport
from subkit.ops._style import POSITIONS, STYLES, StyleSettings, style, target_family
from subkit.ops._style_layout import anchor
from tests import golden

from ..strategies import cue_times, timed_words, words_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "style"
YELLOW = Color(r=255, g=255, b=0)


def timed(text: str, times: list[tuple[int, int]], start: int | None = None, end: int | None = None) -> Cue:
    """A cue whose words (split at spaces) have the given times."""
    pieces = text.split(" ")
    words = tuple(
        Word(text=piece + (" " if n < len(pieces) - 1 else ""), start_ms=s, end_ms=e)
        for n, (piece, (s, e)) in enumerate(zip(pieces, times, strict=True))
    )
    return Cue(start_ms=times[0][0] if start is None else start, end_ms=times[-1][1] if end is None else end,
               content=content_from_text(text), words=words)


SAMPLE = Document(cues=(timed("one two three", [(1000, 1400), (1500, 1900), (1900, 2500)]),))


def events(doc: Document, **settings: Any) -> list[str]:
    """The Dialogue lines of the ASS rendering."""
    text = str(subkit.dumps(style(doc, settings), "ass"))
    return [line for line in text.splitlines() if line.startswith("Dialogue:")]


# ---------------------------------------------------------------- settings


def test_defaults_are_revids() -> None:
    settings = StyleSettings()
    assert (settings.style, settings.line_color, settings.word_color, settings.outline_color) == (
        "classic", "#FFFFFF", "#FFFF00", "#000000")
    assert (settings.font_family, settings.outline_width, settings.shadow_offset, settings.max_words_per_line) == (
        "Arial", 2, 0, 0)


def test_from_json_reads_the_settings_object_and_the_request_body() -> None:
    flat = StyleSettings.from_json({"style": "karaoke", "font_size": 24, "canvas_width": 1280, "canvas_height": 720})
    body = StyleSettings.from_json({"media_url": "https://x/y.mp4", "canvas_width": 1280, "canvas_height": 720,
                                    "language": "en", "id": "r1",
                                    "settings": {"style": "karaoke", "font_size": 24.0}})
    assert flat == body
    assert body.font_size == 24 and isinstance(body.font_size, int)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"word_colour": "#FFFFFF"}, r"unknown style setting 'word_colour' \(did you mean 'word_color'\?\)"),
        ({"fontsize": 3}, r"did you mean 'font_size'\?"),
        ({"zzz": 1}, "unknown style setting 'zzz'$"),
        ({"line_color": "whit"}, r"line_color: not a colour: 'whit' \(did you mean 'white'\?\)"),
        ({"line_color": "#FFFF0"}, "#rrggbb"),
        ({"line_color": 7}, "must be a colour"),
        ({"style": "karoke"}, "style must be one of classic, karaoke, .*not 'karoke' \\(did you mean 'karaoke'\\?\\)"),
        ({"position": "bottom"}, "position must be one of"),
        ({"alignment": "middle"}, "alignment must be one of left, center, right"),
        ({"all_caps": 1}, "all_caps must be true or false"),
        ({"font_size": True}, "font_size must be a whole number"),
        ({"font_size": 12.5}, "font_size must be a whole number"),
        ({"font_size": 0}, "font_size must be within 1-1000, not 0"),
        ({"max_words_per_line": -1}, "max_words_per_line must be within 0-1000"),
        ({"outline_width": 101}, "outline_width must be within 0-100"),
        ({"angle": 400}, "angle must be within -360-360"),
        ({"x": 10}, "x and y go together"),
        ({"canvas_width": 640}, "canvas_width and canvas_height go together"),
        ({"canvas_width": 0, "canvas_height": 10}, "canvas_width must be within 1-16384"),
        ({"font_family": "A,B"}, "font_family cannot contain"),
        ({"font_family": " "}, "font_family must be a font name"),
        ({"style": None}, "style cannot be null"),
        ({"settings": {}, "replace": []}, "'replace' is not a style setting: apply it with the replace op"),
        ({"settings": {}, "exclude_time_ranges": []}, "exclude op"),
        ({"settings": {}, "webhook": "x"}, "unknown key 'webhook' in the request \\(did you mean 'webhook_url'\\?\\)"),
        ({"settings": []}, "'settings' must be a JSON object"),
    ],
)
def test_validation_rejects_bad_settings_with_a_clear_message(data: dict[str, Any], message: str) -> None:
    with pytest.raises(OperationError, match=message):
        StyleSettings.from_json(data)


def test_from_json_rejects_bad_json() -> None:
    with pytest.raises(OperationError, match="not valid JSON"):
        StyleSettings.from_json("{nope")
    with pytest.raises(OperationError, match="must be a JSON object, not list"):
        StyleSettings.from_json("[]")


def test_merged_overrides_and_keeps() -> None:
    base = StyleSettings(style="karaoke", font_size=30)
    assert base.merged({"font_size": 40, "style": None}) == StyleSettings(style="karaoke", font_size=40)
    with pytest.raises(OperationError, match="did you mean 'bold'"):
        base.merged({"bolt": True})


def test_from_file_and_to_request(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"settings": {"style": "highlight"}, "canvas_width": 640, "canvas_height": 360}',
                    encoding="utf-8")
    settings = StyleSettings.from_file(str(path))
    assert settings.canvas_or(None) == (640, 360)
    request = settings.to_request()
    assert request["canvas_width"] == 640 and request["settings"]["style"] == "highlight"
    assert "canvas_width" not in request["settings"]
    assert StyleSettings.from_json(request) == settings


settings_strategy = st.builds(
    StyleSettings,
    style=st.sampled_from(STYLES),
    line_color=st.from_regex(r"#[0-9A-F]{6}", fullmatch=True),
    word_color=st.from_regex(r"#[0-9a-f]{6}", fullmatch=True),
    all_caps=st.booleans(),
    max_words_per_line=st.integers(0, 5),
    position=st.sampled_from(POSITIONS),
    alignment=st.sampled_from(["left", "center", "right"]),
    font_size=st.none() | st.integers(1, 200),
    bold=st.booleans(),
    outline_width=st.integers(0, 100),
    spacing=st.integers(-100, 100),
    angle=st.integers(-360, 360),
)


@given(settings_strategy)
def test_settings_json_round_trip(settings: StyleSettings) -> None:
    assert StyleSettings.from_json(json.loads(json.dumps(settings.to_json()))) == settings
    assert StyleSettings.from_json(settings.to_request()) == settings


@given(st.dictionaries(st.text(max_size=12), st.integers() | st.text(max_size=8) | st.booleans(), max_size=4))
def test_validation_rejects_or_accepts_but_never_crashes(data: dict[str, Any]) -> None:
    try:
        settings = StyleSettings.from_json(data)
    except OperationError as exc:
        assert str(exc)
    else:
        assert settings.to_json().items() >= {k: v for k, v in data.items() if v is not None}.items()


@given(st.text(max_size=9).filter(lambda t: re.fullmatch(r"#[0-9A-Fa-f]{6}", t) is None),
       st.sampled_from(["line_color", "word_color", "outline_color"]))
def test_a_setting_colour_is_any_css_colour_or_rejected(text: str, name: str) -> None:
    from subkit.model import Color

    try:
        expected = Color.parse(text).to_hex()
    except ValueError:
        with pytest.raises(OperationError, match=f"{name}: not a colour"):
            StyleSettings.from_json({name: text})
    else:
        assert getattr(StyleSettings.from_json({name: text}), name) == expected


@given(st.sampled_from(["max_words_per_line", "font_size", "outline_width", "spacing", "angle", "shadow_offset"]),
       st.integers(-100_000, 100_000) | st.floats(allow_nan=True) | st.text(max_size=3) | st.booleans())
def test_numbers_are_range_checked(name: str, value: object) -> None:
    low, high = {"max_words_per_line": (0, 1000), "font_size": (1, 1000), "outline_width": (0, 100),
                 "spacing": (-100, 100), "angle": (-360, 360), "shadow_offset": (0, 100)}[name]
    number = int(value) if isinstance(value, float) and value.is_integer() else value
    valid = type(number) is int and low <= number <= high
    if valid:
        assert getattr(StyleSettings.from_json({name: value}), name) == number
    else:
        with pytest.raises(OperationError, match=name):
            StyleSettings.from_json({name: value})


def test_non_string_keys_are_rejected_cleanly() -> None:
    with pytest.raises(OperationError, match="unknown key 1 in the request"):
        StyleSettings.from_json({"settings": {}, 1: 2})  # type: ignore[dict-item]
    with pytest.raises(OperationError, match="unknown style setting 3"):
        StyleSettings().merged({3: 4})  # type: ignore[dict-item]


# ---------------------------------------------------------------- layout


@pytest.mark.parametrize(
    ("position", "alignment", "expected"),
    [
        ("bottom_center", "center", (2, 960, 900)),
        ("bottom_left", "left", (1, 0, 900)),
        ("bottom_right", "right", (3, 1920, 900)),
        ("middle_center", "center", (5, 960, 540)),
        ("middle_right", "center", (5, 1600, 540)),
        ("top_left", "center", (8, 320, 180)),
        ("top_center", "left", (7, 640, 180)),
    ],
)
def test_anchor_follows_revids_grid(position: str, alignment: str, expected: tuple[int, int, int]) -> None:
    assert anchor(StyleSettings(position=position, alignment=alignment), (1920, 1080)) == expected


def test_anchor_with_x_y_is_the_middle_row() -> None:
    assert anchor(StyleSettings(x=100, y=200, alignment="right"), (1920, 1080)) == (6, 100, 200)


def test_canvas_from_settings_then_document_then_default() -> None:
    assert style(SAMPLE).canvas == (384, 288)
    assert style(SAMPLE.replace(canvas=(1280, 720))).canvas == (1280, 720)
    assert style(SAMPLE.replace(canvas=(1280, 720)), {"canvas_width": 640, "canvas_height": 360}).canvas == (640, 360)
    script = str(subkit.dumps(style(SAMPLE, {"canvas_width": 640, "canvas_height": 360}), "ass"))
    assert "PlayResX: 640\nPlayResY: 360" in script
    assert "Style: Default,Arial,18," in script, "font size defaults to 5% of the canvas height"


# ---------------------------------------------------------------- ASS, style by style


def test_classic_is_one_event_per_cue_without_karaoke() -> None:
    assert events(SAMPLE, canvas_width=640, canvas_height=360) == [
        "Dialogue: 0,0:00:01.00,0:00:02.50,Default,,0,0,0,,{\\an2\\pos(320,300)}one two three"]


def test_classic_max_words_per_line_breaks_lines_in_one_event() -> None:
    (line,) = events(SAMPLE, max_words_per_line=2, all_caps=True)
    assert line.endswith("}ONE TWO\\NTHREE")


def test_karaoke_emits_k_tags_in_word_color_with_gaps() -> None:
    (line,) = events(SAMPLE, style="karaoke")
    assert line.startswith("Dialogue: 0,0:00:01.00,0:00:02.50,")
    assert line.endswith("{\\an2\\pos(192,240)\\k40\\c&H00FFFF&}one {\\k10\\k40}two {\\k60}three")
    (swept,) = [e for e in str(subkit.dumps(style(SAMPLE, {"style": "karaoke"}, sweep=True), "ass")).splitlines()
                if e.startswith("Dialogue")]
    assert "\\kf40" in swept
    script = str(subkit.dumps(style(SAMPLE, {"style": "karaoke", "line_color": "#00FF00"}), "ass"))
    assert "Style: Default,Arial,14,&H0000FF00,&H0000FF00," in script, "secondary (unsung) = line_color"


def test_highlight_is_a_base_line_and_one_layer_1_event_per_word() -> None:
    lines = events(SAMPLE, style="highlight")
    assert lines == [
        "Dialogue: 0,0:00:01.00,0:00:02.50,Default,,0,0,0,,{\\an2\\pos(192,240)}one two three",
        "Dialogue: 1,0:00:01.00,0:00:01.40,Default,,0,0,0,,"
        "{\\an2\\pos(192,240)\\c&H00FFFF&}one{\\c&HFFFFFF&} two three",
        "Dialogue: 1,0:00:01.50,0:00:01.90,Default,,0,0,0,,"
        "{\\an2\\pos(192,240)}one {\\c&H00FFFF&}two{\\c&HFFFFFF&} three",
        "Dialogue: 1,0:00:01.90,0:00:02.50,Default,,0,0,0,,{\\an2\\pos(192,240)}one two {\\c&H00FFFF&}three",
    ]


def test_underline_states_run_back_to_back() -> None:
    lines = events(SAMPLE, style="underline")
    assert [line.split(",")[1:3] for line in lines] == [
        ["0:00:01.00", "0:00:01.50"], ["0:00:01.50", "0:00:01.90"], ["0:00:01.90", "0:00:02.50"]]
    assert lines[1].endswith("}one {\\u1}two{\\u0} three")


def test_word_by_word_is_one_event_per_word_in_word_color() -> None:
    lines = events(SAMPLE, style="word_by_word", all_caps=True)
    assert [line.split(",", 9)[9] for line in lines] == [
        "{\\an2\\pos(192,240)\\c&H00FFFF&}ONE", "{\\an2\\pos(192,240)\\c&H00FFFF&}TWO",
        "{\\an2\\pos(192,240)\\c&H00FFFF&}THREE"]
    assert [line.split(",")[1] for line in lines] == ["0:00:01.00", "0:00:01.50", "0:00:01.90"]


def test_max_words_per_line_makes_line_sets_for_word_styles() -> None:
    lines = events(SAMPLE, style="highlight", max_words_per_line=2)
    base = [line for line in lines if line.startswith("Dialogue: 0")]
    assert [line.rsplit("}", 1)[-1] for line in base] == ["one two", "three"]


def test_style_line_carries_every_setting() -> None:
    settings = {"font_family": "DejaVu Sans", "font_size": 30, "bold": True, "italic": True, "underline": True,
                "strikeout": True, "outline_width": 3, "spacing": 2, "angle": -5, "shadow_offset": 4,
                "outline_color": "#102030", "line_color": "#A0B0C0"}
    script = str(subkit.dumps(style(SAMPLE, settings), "ass"))
    assert ("Style: Default,DejaVu Sans,30,&H00C0B0A0,&H00C0B0A0,&H00302010,&H00000000,-1,-1,-1,-1,100,100,2,-5,"
            "1,3,4,2,20,20,20,1") in script


def test_position_and_xy_in_events() -> None:
    (line,) = events(SAMPLE, position="top_right", alignment="right", canvas_width=600, canvas_height=300)
    assert "{\\an9\\pos(600,50)}" in line
    (line,) = events(SAMPLE, x=10, y=20)
    assert "{\\an5\\pos(10,20)}" in line


def test_ass_input_words_and_header_are_replaced() -> None:
    source = subkit.loads(
        "[Script Info]\nScriptType: v4.00+\nPlayResX: 1280\nPlayResY: 720\nWrapStyle: 1\n\n[V4+ Styles]\n"
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, "
        "Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, "
        "MarginR, MarginV, Encoding\nStyle: Song,Comic,50,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,"
        "100,0,0,1,2,0,2,10,10,10,1\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, "
        "Effect, Text\nDialogue: 0,0:00:01.00,0:00:02.00,Song,,0,0,0,,{\\k50}la {\\k50}{\\i1}la\n",
        format="ass",
    )
    styled = style(source, {"style": "word_by_word"})
    assert list(styled.styles) == ["Default"] and styled.canvas == (1280, 720)
    assert [(c.start_ms, c.end_ms, c.plain_text()) for c in styled] == [(1000, 1500, "la"), (1500, 2000, "la")]
    script = str(subkit.dumps(styled, "ass"))
    assert "WrapStyle: 0" in script and "Song" not in script


def test_ass_keeps_embedded_fonts_and_other_targets_do_not() -> None:
    from subkit.model import Attachment

    font = Attachment(kind="font", name="Brand.ttf", data=b"\x00\x01font")
    doc = SAMPLE.replace(attachments=(font,))
    assert style(doc, {"font_family": "Brand"}).attachments == (font,)
    assert style(doc, target="webvtt").attachments == ()


def test_comment_and_empty_cues_are_left_out_and_report_counts() -> None:
    doc = Document(cues=(Cue(start_ms=0, end_ms=10, content=content_from_text("x"), comment=True),
                         Cue(start_ms=0, end_ms=10), SAMPLE[0]))
    report = ChangeReport()
    assert len(style(doc, {"style": "classic"}, report=report)) == 1
    assert dict(report) == {"cues": 3, "events": 1}


# ---------------------------------------------------------------- WebVTT and SRT


def test_target_family() -> None:
    assert [target_family(name) for name in ("ass", "ssa", "vtt", "webvtt", "srt", "subkit_json")] == [
        "ass", "ass", "webvtt", "webvtt", "flat", "flat"]
    with pytest.raises(UnknownFormatError):
        target_family("nope")


def test_webvtt_karaoke_uses_inner_timestamps_and_past_future_css() -> None:
    text = str(subkit.dumps(style(SAMPLE, {"style": "karaoke", "word_color": "#00FF00"}, target="webvtt"), "webvtt"))
    assert "::cue(:past) { color: #00FF00; }" in text
    assert "::cue(:future) { color: #FFFFFF; }" in text
    assert "one <00:00:01.500>two <00:00:01.900>three" in text


def test_webvtt_style_block_carries_the_look() -> None:
    styled = style(SAMPLE, {"bold": True, "italic": True, "underline": True, "font_family": "Verdana",
                            "font_size": 36, "shadow_offset": 2, "canvas_width": 640, "canvas_height": 360},
                   target="vtt")
    (css,) = styled.stylesheets
    for part in ("font-weight: bold;", "font-style: italic;", "text-decoration: underline;", '"Verdana"',
                 "font-size: 10vh;", "0.556vh 0.556vh 0 #000000", "color: #FFFFFF;"):
        assert part in css


def test_webvtt_highlight_and_underline_are_sequential_states() -> None:
    for name, marker in (("highlight", "<c.yellow>two</c>"), ("underline", "<u>two</u>")):
        styled = style(SAMPLE, {"style": name}, target="webvtt")
        assert [(c.start_ms, c.end_ms) for c in styled] == [(1000, 1500), (1500, 1900), (1900, 2500)]
        assert marker in str(subkit.dumps(styled, "webvtt"))


def test_webvtt_reports_spacing_and_angle() -> None:
    losses = LossReport("webvtt")
    style(SAMPLE, {"spacing": 3, "angle": 10}, target="webvtt", losses=losses)
    assert [loss.feature for loss in losses] == ["spacing", "angle"]
    with pytest.raises(UnsupportedFeatureError, match="angle"):
        style(SAMPLE, {"angle": 10}, target="webvtt", losses=LossReport("webvtt", strict=True))


def test_srt_karaoke_is_one_cue_per_state_with_sung_words_coloured() -> None:
    styled = style(SAMPLE, {"style": "karaoke"}, target="srt")
    assert [(c.start_ms, c.end_ms) for c in styled] == [(1000, 1500), (1500, 1900), (1900, 2500)]
    text = str(subkit.dumps(styled, "srt"))
    assert '<font color="#ffff00">one</font> two three\n' in text
    assert '<font color="#ffff00">one two</font> three\n' in text
    assert '<font color="#ffff00">one two three</font>\n' in text
    assert [run.style.color for run in styled[0].content] == [YELLOW, None]  # type: ignore[union-attr]


def test_srt_line_color_alignment_and_losses() -> None:
    losses = LossReport("srt")
    styled = style(SAMPLE, {"line_color": "#FF0000", "position": "top_left", "alignment": "left", "font_size": 30,
                            "outline_width": 3}, target="srt", losses=losses)
    text = str(subkit.dumps(styled, "srt"))
    assert '{\\an7}<font color="#ff0000">one two three</font>' in text
    assert [loss.feature for loss in losses] == ["font_size", "outline"]
    underline = style(SAMPLE, {"style": "underline", "bold": True}, target="srt")
    assert underline[1].content[1].style == RunStyle(bold=True, underline=True)  # type: ignore[union-attr]


def test_srt_word_by_word() -> None:
    styled = style(SAMPLE, {"style": "word_by_word", "font_family": "Verdana"}, target="srt")
    assert [c.plain_text() for c in styled] == ["one", "two", "three"]
    assert styled[0].content[0].style == RunStyle(color=YELLOW, font_family="Verdana")  # type: ignore[union-attr]


def test_bad_arguments() -> None:
    with pytest.raises(OperationError, match="estimate must be"):
        style(SAMPLE, estimate="words")  # type: ignore[arg-type]
    with pytest.raises(OperationError, match="settings must be StyleSettings or a mapping"):
        style(SAMPLE, "karaoke")  # type: ignore[arg-type]


# ---------------------------------------------------------------- properties


@st.composite
def documents(draw: st.DrawFn) -> Document:
    """Cues with text, half of them with word times (from markup) of their own."""
    cues = []
    for _ in range(draw(st.integers(0, 4))):
        start, end = draw(cue_times(max_ms=60_000))
        cue = Cue(start_ms=start, end_ms=end, content=content_from_text(draw(words_text(max_size=20))))
        if draw(st.booleans()):
            cue = cue.replace(words=draw(timed_words(cue.plain_text(), start, end)))
        cues.append(cue)
    return Document(cues=tuple(cues))


@given(documents(), settings_strategy, st.sampled_from(["ass", "webvtt", "srt"]))
def test_style_properties(doc: Document, settings: StyleSettings, target: str) -> None:
    before = dataclasses.replace(doc)
    styled = style(doc, settings, target=target)
    assert doc == before, "the input is never changed"
    for cue in styled:
        assert cue.end_ms >= cue.start_ms >= 0
        for word in cue.words:
            assert cue.start_ms <= word.start_ms <= word.end_ms <= cue.end_ms
        if cue.words:
            assert cue.words_align()
    # Events follow the cues they were made from: cues in order and apart give events in order and apart
    # (ASS highlight draws its word events over the line on purpose: layer 1).
    apart = all(a.end_ms <= b.start_ms for a, b in zip(doc.cues, doc.cues[1:], strict=False))
    if apart and not (target == "ass" and settings.style == "highlight"):
        assert all(a.end_ms <= b.start_ms for a, b in zip(styled.cues, styled.cues[1:], strict=False))
    text = subkit.dumps(styled, target) if target == "ass" else subkit.render(styled, target).data
    assert isinstance(text, str)
    words_in = [w.upper() if settings.all_caps else w for c in doc if not c.comment for w in c.plain_text().split()]
    if settings.style == "classic":
        assert [w for c in styled for w in c.plain_text().split()] == words_in


# ---------------------------------------------------------------- golden files


def _golden_cases() -> list[Path]:
    return sorted(FIXTURES.glob("*.settings.json")) if FIXTURES.is_dir() else []


@pytest.mark.parametrize("settings_file", _golden_cases(), ids=lambda p: p.name.split(".")[0])
def test_golden(settings_file: Path) -> None:
    """``fixtures/style/<case>.settings.json`` names an input (``"input"``) and holds the settings."""
    spec = json.loads(settings_file.read_text(encoding="utf-8"))
    source = subkit.load(FIXTURES / spec.pop("input"))
    case = settings_file.name.split(".")[0]
    for target, extension in (("ass", "ass"), ("webvtt", "vtt"), ("srt", "srt")):
        result = subkit.render(style(source, spec, target=target), target)
        expected = FIXTURES / f"{case}.expected.{extension}"
        golden.check_text(expected, str(result.data), newline=None)
        assert not [loss for loss in result.losses if loss.feature == "word-timing"]
        assert re.sub(r"\s", "", str(result.data))


# ---------------------------------------------------------------- the shared corpus


def _corpus_rows() -> list[tuple[str, str]]:
    from ..conftest import CORPUS

    index = CORPUS / "index.tsv"
    if not index.is_file():
        return []
    names = {"srt": "srt", "webvtt": "webvtt", "ass": "ass", "ssa": "ssa", "whisper-json": "whisper_json"}
    rows = []
    for line in index.read_text(encoding="utf-8").splitlines()[1:]:
        path, label, *_ = line.split("\t")
        name = names.get(label)
        if name is not None:
            rows.append((path, name))
    return rows


CORPUS_ROWS = _corpus_rows()


@pytest.mark.corpus
@pytest.mark.parametrize(("number", "path", "name"), [(n, *row) for n, row in enumerate(CORPUS_ROWS)],
                         ids=[row[0] for row in CORPUS_ROWS])
def test_corpus_file_styles_and_reads_back(corpus: Path, number: int, path: str, name: str) -> None:
    """Every well-formed SRT, WebVTT, ASS, SSA and Whisper file of the corpus styles (one style per file, in turn)."""
    file = corpus / path
    try:
        doc = subkit.load(file, format=name)
    except subkit.SubkitError:
        pytest.skip("does not load (the format's own corpus test covers it)")
    if file.stat().st_size > 64_000:
        doc = doc.replace(cues=doc.cues[:200])  # large files: their first 200 cues keep the suite fast
    chosen = STYLES[number % len(STYLES)]
    target = ("ass", "webvtt", "srt")[number % 3]
    styled = style(doc, {"style": chosen, "max_words_per_line": 4}, target=target)
    text = subkit.render(styled, target).data
    back = subkit.loads(text, format=target)
    assert len(back) == len(styled)
    spoken = [w for c in doc if not c.comment for w in c.plain_text().split()]
    if chosen == "classic" and target == "ass":
        assert sum(len(c.plain_text().split()) for c in back) == len(spoken)


def test_settings_colours_take_any_css_colour() -> None:
    from subkit.ops._style_settings import StyleSettings

    settings = StyleSettings(line_color="lightblue", word_color="#f80", outline_color="rgba(0, 0, 0, 0.5)")
    assert (settings.line_color, settings.word_color, settings.outline_color) == ("#ADD8E6", "#FF8800", "#00000080")
