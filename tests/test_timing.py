"""Time arithmetic: notations, frames and SMPTE timecodes."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from subkit import timing
from subkit.timing import FPS_23_976, FPS_29_97, FPS_59_94


def test_format_and_parse_notations() -> None:
    assert timing.format_srt(3_723_456) == "01:02:03,456"
    assert timing.format_srt(-5) == "00:00:00,000"
    assert timing.format_vtt(3_723_456) == "01:02:03.456"
    assert timing.format_vtt(62_005, short=True) == "01:02.005"
    assert timing.format_ass(3_723_455) == "1:02:03.46"
    assert timing.format_ass(10 * 3600 * 1000) == "9:59:59.99"
    assert timing.parse_vtt("00:01.000") == 1000
    assert timing.parse_vtt("100:00:00.000") == 360_000_000
    for bad in ("1:02.000", "00:60.000", "00:00:00,000", "00:00.00"):
        assert timing.parse_vtt(bad, strict=True) is None
    assert timing.parse_vtt("00:60.000") is None  # no repair for seconds above 59
    assert timing.parse_ass("0:00:01.5") == 1050
    assert timing.parse_ass("-0:00:01.00") == -1000
    assert timing.parse_ass("x") is None


def test_parse_ass_reads_three_digits_as_milliseconds() -> None:
    # Regression: the fraction was always read as centiseconds (6000 ms here) where the ASS reader reads 1500.
    assert timing.parse_ass("0:00:01.500") == 1500
    assert timing.parse_ass("0:00:01.500", strict=True) is None
    notes: list[str] = []
    assert timing.parse_ass("0:00:01.500", lambda category, message, action: notes.append(category)) == 1500
    assert notes == ["time-ms", "time-format"]


def test_parse_vtt_accepts_what_the_reader_repairs() -> None:
    # Regression: parse_vtt refused timestamps that the WebVTT reader reads (with a warning).
    assert timing.parse_vtt("1:02:03.000") == 3_723_000  # hours of one digit are W3C-valid
    assert timing.parse_vtt("1:02:03.000", strict=True) == 3_723_000
    assert timing.parse_vtt("00:00:01,5") == 1500
    assert timing.parse_vtt("00:00:01") == 1000
    assert timing.parse_vtt("00:00:01,5", strict=True) is None


@given(st.integers(-(10**9), 10**9),
       st.sampled_from([Fraction(25), FPS_23_976, FPS_29_97, Fraction(1000), Fraction(7, 3)]))
def test_integer_frame_arithmetic_matches_fractions(value: int, fps: Fraction) -> None:
    assert timing.frames_to_ms(value, fps) == timing.round_half_up(Fraction(value * 1000) / fps)
    exact = Fraction(value) * fps / 1000
    assert timing.ms_to_frames(value, fps) == timing.round_half_up(exact)
    assert timing.ms_to_frames(value, fps, rounding="floor") == exact.__floor__()
    assert timing.ms_to_frames(value, fps, rounding="ceil") == exact.__ceil__()
    assert timing.units_ms(value, 100) == timing.round_half_up(Fraction(value, 100))
    to_ms, to_frames = timing.frame_converters(fps)
    assert (to_ms(value), to_frames(value)) == (timing.frames_to_ms(value, fps), timing.ms_to_frames(value, fps))


@given(st.integers(-10**8, 10**9), st.sampled_from([(1, ".", 1000), (2, ",", 100), (2, ".", 1), (2, ".", 30),
                                                   (3, ".", 600)]))
def test_clock_format_matches_exact_rounding(ms: int, layout: tuple[int, str, int]) -> None:
    hour_digits, separator, scale = layout
    units = timing.round_half_up(Fraction(max(ms, 0) * scale, 1000))
    seconds, fraction = divmod(units, scale)
    expected = f"{seconds // 3600:0{hour_digits}d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    if scale > 1:
        expected += f"{separator}{fraction:0{len(str(scale - 1))}d}"
    assert timing.ClockFormat(hour_digits, separator, scale)(ms) == expected


@pytest.mark.parametrize(
    ("text", "ms"),
    [("1:02:03.5", 3_723_500), ("02:03,250", 123_250), ("62.5", 62_500), ("62.5s", 62_500),
     ("1500ms", 1500), ("-1.5", -1500), ("0.0005", 1)],
)
def test_parse_clock(text: str, ms: int) -> None:
    assert timing.parse_clock(text) == ms


@pytest.mark.parametrize("text", ["", "1:2:3:4", "1:75", "abc", "1:00ms"])
def test_parse_clock_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        timing.parse_clock(text)


def test_parse_fps() -> None:
    assert timing.parse_fps("29.97") == FPS_29_97
    assert timing.parse_fps(23.976) == FPS_23_976
    assert timing.parse_fps("25") == 25
    assert timing.parse_fps("30000/1001") == FPS_29_97
    with pytest.raises(ValueError):
        timing.parse_fps("0")
    with pytest.raises(ValueError):
        timing.parse_fps("fast")


def test_drop_frame_known_values() -> None:
    # One drop-frame hour is 107892 frames (formats.md §0).
    assert timing.parse_timecode("01:00:00;00", FPS_29_97) == 107_892
    assert timing.parse_timecode("00:01:00;02", FPS_29_97) == 1800
    assert timing.parse_timecode("00:10:00;00", FPS_29_97) == 17_982
    # NDF label 01:00:00:00 at 29.97 is 108000 frames = 3603.6 s.
    assert timing.frames_to_ms(timing.parse_timecode("01:00:00:00", FPS_29_97), FPS_29_97) == 3_603_600
    assert timing.format_timecode(1800, FPS_29_97, drop_frame=True) == "00:01:00;02"
    assert timing.format_timecode(17_982, FPS_29_97, drop_frame=True) == "00:10:00;00"
    # Invalid ;00 label at a non-tenth minute maps to ;02.
    assert timing.parse_timecode("00:01:00;00", FPS_29_97) == 1800


@given(st.integers(0, 2_000_000), st.sampled_from([FPS_29_97, FPS_59_94]))
def test_drop_frame_labels_round_trip(frames: int, fps: Fraction) -> None:
    label = timing.frames_to_timecode(frames, fps, drop_frame=True)
    assert timing.timecode_to_frames(*label, fps, drop_frame=True) == frames


@given(st.integers(0, 2_000_000), st.sampled_from([Fraction(24), Fraction(25), FPS_23_976, FPS_29_97, Fraction(30)]))
def test_frames_ms_round_trip_is_exact(frames: int, fps: Fraction) -> None:
    assert timing.ms_to_frames(timing.frames_to_ms(frames, fps), fps) == frames
    label = timing.frames_to_timecode(frames, fps)
    assert timing.timecode_to_frames(*label, fps) == frames


def test_ms_to_frames_rounding_modes() -> None:
    assert timing.ms_to_frames(20, Fraction(25), rounding="floor") == 0
    assert timing.ms_to_frames(20, Fraction(25), rounding="ceil") == 1
    assert timing.ms_to_frames(20, Fraction(25)) == 1
    with pytest.raises(ValueError):
        timing.ms_to_frames(20, Fraction(25), rounding="up")


@given(st.integers(0, 359_999_990))
def test_ass_vtt_srt_formats_round_trip(ms: int) -> None:
    assert timing.parse_vtt(timing.format_vtt(ms)) == ms
    assert timing.parse_ass(timing.format_ass(ms)) == timing.ass_round(ms)
    assert timing.parse_clock(timing.format_clock(ms)) == ms
