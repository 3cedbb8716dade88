"""``subkit.ops`` retiming: shift, scale, frame rates, two-point sync, snapping; words move with cues."""

from __future__ import annotations

import copy
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from subkit.errors import OperationError
from subkit.model import Document
from subkit.ops import ChangeReport, convert_fps, retime, scale, shift, snap
from subkit.ops._retime import parse_rate, sync
from tests.ops.helpers import cue, doc, documents, is_sorted, overlaps, worded


def _times(document: Document) -> list[tuple[int, int]]:
    return [(c.start_ms, c.end_ms) for c in document]


SAMPLE = doc(cue(1000, 2000, "a"), worded(10000, 13000, "one two three"))


def test_shift_moves_cues_and_words() -> None:
    result = shift(SAMPLE, 1500)
    assert _times(result) == [(2500, 3500), (11500, 14500)]
    assert [(w.start_ms, w.end_ms) for w in result[1].words] == [(11500, 12500), (12500, 13500), (13500, 14500)]
    assert _times(shift(SAMPLE, "-0.5s")) == [(500, 1500), (9500, 12500)]
    assert _times(shift(SAMPLE, "+0:01")) == [(2000, 3000), (11000, 14000)]


def test_shift_before_zero_clamps_and_drops() -> None:
    report = ChangeReport()
    result = shift(SAMPLE, -1500, report=report)
    assert _times(result) == [(0, 500), (8500, 11500)]
    result = shift(SAMPLE, -2500, report=report)
    assert _times(result) == [(7500, 10500)]
    assert report["cues dropped"] == 1


def test_scale_around_an_anchor() -> None:
    assert _times(scale(SAMPLE, 2)) == [(2000, 4000), (20000, 26000)]
    assert _times(scale(SAMPLE, "0.5", anchor=10000)) == [(5500, 6000), (10000, 11500)]
    assert _times(scale(SAMPLE, Fraction(1001, 1000))) == [(1001, 2002), (10010, 13013)]


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("23.976", "25", [(959, 1918), (9590, 12468)]),
        ("25", "23.976", [(1043, 2085), (10427, 13555)]),
        ("24", "23.976", [(1001, 2002), (10010, 13013)]),
        ("29.97", "30", [(999, 1998), (9990, 12987)]),
        ("30", "30", [(1000, 2000), (10000, 13000)]),
    ],
)
def test_convert_fps_uses_exact_fractions(source: str, target: str, expected: list[tuple[int, int]]) -> None:
    assert _times(convert_fps(SAMPLE, source, target)) == expected


def test_convert_fps_updates_the_frame_rate() -> None:
    framed = SAMPLE.replace(frame_rate=Fraction(24000, 1001))
    assert convert_fps(framed, "23.976", 25).frame_rate == 25
    assert convert_fps(SAMPLE, "23.976", 25).frame_rate is None


def test_parse_rate_names_exact_rates() -> None:
    assert parse_rate("23.976") == Fraction(24000, 1001)
    assert parse_rate("29.97") == Fraction(30000, 1001)
    assert parse_rate("30000/1001") == Fraction(30000, 1001)
    with pytest.raises(OperationError):
        parse_rate("fast")
    with pytest.raises(OperationError):
        parse_rate("0")


def test_two_point_sync() -> None:
    result = sync(SAMPLE, [(1000, 2000), (10000, 20000)])
    assert _times(result) == [(2000, 4000), (20000, 26000)]  # slope 2 through (1 s -> 2 s)
    assert _times(sync(SAMPLE, [("0:01", "0:02"), ("0:10", "0:11")])) == [(2000, 3000), (11000, 14000)]


@pytest.mark.parametrize(
    ("points", "message"),
    [([(0, 0)], "exactly two"), ([(0, 0), (0, 5)], "different"), ([(0, 10), (10, 0)], "reverse")],
)
def test_sync_rejects(points: list[tuple[int, int]], message: str) -> None:
    with pytest.raises(OperationError, match=message):
        sync(SAMPLE, points)


def test_snap_to_frames() -> None:
    source = doc(cue(1001, 1019, "a"), cue(1021, 2000, "b"))
    assert _times(snap(source, 25)) == [(1000, 1000), (1040, 2000)]
    assert _times(snap(source, "23.976")) == [(1001, 1001), (1001, 2002)]


def test_retime_combines_in_a_fixed_order_and_counts_each_cue_once() -> None:
    report = ChangeReport()
    combined = retime(SAMPLE, shift_by=1000, scale_by=2, snap_to=25, report=report)
    assert combined == snap(shift(scale(SAMPLE, 2), 1000), 25)
    assert report["cues retimed"] == 2
    with pytest.raises(OperationError, match="needs"):
        retime(SAMPLE)


def test_scale_rejects_bad_factors() -> None:
    for factor in ("0", "-1", "abc"):
        with pytest.raises(OperationError):
            scale(SAMPLE, factor)


@given(documents(), st.integers(-20000, 20000), st.sampled_from(["1", "1.001", "0.5", "2", "25/24"]))
def test_retime_properties(source: Document, offset: int, factor: str) -> None:
    snapshot = copy.deepcopy(source)
    result = retime(source, shift_by=offset, scale_by=factor)
    assert source == snapshot
    assert all(0 <= c.start_ms <= c.end_ms for c in result)
    for c in result:
        assert all(c.start_ms <= w.start_ms <= w.end_ms <= c.end_ms for w in c.words)
    if is_sorted(source):
        assert is_sorted(result)
    if offset >= 0:
        assert len(result) == len(source)
        if overlaps(source) == 0 and factor in ("1", "2"):
            assert overlaps(result) == 0
    if factor == "1" and offset >= 0:
        # A shift is undone by the opposite shift.
        assert shift(result, -offset) == source
