"""``subkit.ops.exclude``: ranges, the three modes, words, properties."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from subkit.errors import OperationError
from subkit.ops import ChangeReport, TimeRange, exclude, parse_range
from subkit.ops._ranges import cut_time, merge_ranges, subtract
from tests.ops.helpers import cue, doc, documents, is_sorted, overlaps, worded


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("00:00:10.000-00:00:20.500", (10000, 20500)),
        ("0:10-0:20", (10000, 20000)),
        ("12.5-20", (12500, 20000)),
        ("1:00:00-1:00:01", (3600000, 3601000)),
        ("1500ms-2s", (1500, 2000)),
        (" 5 - 6 ", (5000, 6000)),
        ("5–6", (5000, 6000)),
        ("5..6", (5000, 6000)),
    ],
)
def test_parse_range_notations(text: str, expected: tuple[int, int]) -> None:
    parsed = parse_range(text)
    assert (parsed.start_ms, parsed.end_ms) == expected


@pytest.mark.parametrize("text", ["20-10", "5-5", "abc", "5", "-1-2", "1:75-2:00", ""])
def test_parse_range_rejects(text: str) -> None:
    with pytest.raises(OperationError):
        parse_range(text)


def test_merge_ranges_merges_overlapping_and_touching() -> None:
    merged = merge_ranges(["0:20-0:30", "0:05-0:10", "0:08-0:12", "0:12-0:15"])
    assert merged == (TimeRange(5000, 15000), TimeRange(20000, 30000))


def test_subtract_and_cut_time() -> None:
    ranges = (TimeRange(10, 20), TimeRange(30, 40))
    assert subtract(0, 50, ranges) == [(0, 10), (20, 30), (40, 50)]
    assert subtract(12, 18, ranges) == []
    assert [cut_time(t, ranges) for t in (0, 10, 15, 20, 25, 30, 40, 45)] == [0, 10, 10, 10, 15, 20, 20, 25]


SAMPLE = doc(cue(0, 1000, "a"), cue(1500, 2500, "b"), cue(3000, 4000, "c"), cue(5000, 9000, "d"))


def test_drop_removes_overlapping_cues_only() -> None:
    report = ChangeReport()
    result = exclude(SAMPLE, ["2-3"], mode="drop", report=report)
    # b overlaps [2000, 3000); c starts where the range ends, so it stays.
    assert [c.plain_text() for c in result] == ["a", "c", "d"]
    assert dict(report) == {"cues dropped": 1}


def test_clip_trims_at_edges_and_splits_a_spanning_cue() -> None:
    report = ChangeReport()
    result = exclude(SAMPLE, ["0.5-1.7", "6-7"], mode="clip", report=report)
    assert [(c.start_ms, c.end_ms, c.plain_text()) for c in result] == [
        (0, 500, "a"), (1700, 2500, "b"), (3000, 4000, "c"), (5000, 6000, "d"), (7000, 9000, "d"),
    ]
    assert report["cues split"] == 1 and report["cues clipped"] == 3


def test_clip_drops_a_cue_inside_a_range() -> None:
    assert [c.plain_text() for c in exclude(SAMPLE, ["1-2.6"], mode="clip")] == ["a", "c", "d"]


def test_clip_keeps_ids_apart() -> None:
    result = exclude(doc(cue(0, 3000, "x", id="7")), ["1-2"], mode="clip")
    assert [c.id for c in result] == ["7", "7.2"]


def test_clip_cuts_words_and_their_text() -> None:
    source = doc(worded(0, 3000, "one two three"))
    result = exclude(source, ["1-2"], mode="clip")
    assert [(c.start_ms, c.end_ms, c.plain_text()) for c in result] == [(0, 1000, "one"), (2000, 3000, "three")]
    assert all(c.words_align() for c in result)
    assert [w.text for w in result[1].words] == ["three"]


def test_cut_pulls_later_cues_earlier() -> None:
    report = ChangeReport()
    result = exclude(SAMPLE, ["1.2-1.4", "6-7"], mode="cut", report=report)
    assert [(c.start_ms, c.end_ms) for c in result] == [(0, 1000), (1300, 2300), (2800, 3800), (4800, 7800)]
    assert report["cues moved"] == 2 and report["cues clipped"] == 1


def test_cut_drops_cues_inside_and_words_said_during_the_cut() -> None:
    source = doc(cue(1000, 2000, "gone"), worded(3000, 6000, "one two three"))
    result = exclude(source, ["1-2", "4-5"], mode="cut")
    assert len(result) == 1
    only = result[0]
    assert (only.start_ms, only.end_ms, only.plain_text()) == (2000, 4000, "one three")
    assert [(w.text, w.start_ms, w.end_ms) for w in only.words] == [("one ", 2000, 3000), ("three", 3000, 4000)]


def test_exclude_validates_its_arguments() -> None:
    with pytest.raises(OperationError, match="mode"):
        exclude(SAMPLE, ["1-2"], mode="erase")
    with pytest.raises(OperationError, match="at least one"):
        exclude(SAMPLE, [])
    with pytest.raises(OperationError, match="after the start"):
        exclude(SAMPLE, ["3-2"])


def test_exclude_accepts_pairs_and_ranges() -> None:
    assert exclude(SAMPLE, [(2000, 3000)]) == exclude(SAMPLE, [TimeRange(2000, 3000)]) == exclude(SAMPLE, ["2-3"])


ranges_strategy = st.lists(
    st.tuples(st.integers(0, 30000), st.integers(1, 5000)).map(lambda p: (p[0], p[0] + p[1])), min_size=1, max_size=3
)


@given(documents(), ranges_strategy, st.sampled_from(["drop", "clip", "cut"]))
def test_exclude_properties(source: object, ranges: list[tuple[int, int]], mode: str) -> None:
    from subkit.model import Document

    assert isinstance(source, Document)
    snapshot = copy.deepcopy(source)
    result = exclude(source, ranges, mode=mode)
    assert source == snapshot  # never mutated
    assert len(result) <= len(source) or mode == "clip"
    assert all(0 <= c.start_ms <= c.end_ms for c in result)
    if overlaps(source) == 0:
        # Cue order is kept: apart cues stay in time order, and none come to overlap.
        assert is_sorted(result) == is_sorted(source) or not is_sorted(source)
        assert overlaps(result) == 0
    merged = merge_ranges(ranges)
    if mode in ("drop", "clip"):
        # Nothing is shown inside a range any more, and a second run changes nothing.
        for c in result:
            assert all(c.end_ms <= r.start_ms or c.start_ms >= r.end_ms for r in merged)
        assert exclude(result, ranges, mode=mode) == result
    aligned = all(c.words_align() for c in source if c.words)
    for c in result:
        assert all(c.start_ms <= w.start_ms <= w.end_ms <= c.end_ms for w in c.words)
        # Words that joined to the text still do after clipping or cutting.
        assert not (aligned and c.words) or c.words_align()


def test_cut_reads_each_range_length_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """``cut`` with many ranges does not walk the earlier ranges for every cue: the lengths are summed once."""
    reads = 0
    length = TimeRange.duration_ms

    def counted(self: TimeRange) -> int:
        nonlocal reads
        reads += 1
        return length.fget(self)  # type: ignore[attr-defined,no-any-return]

    monkeypatch.setattr(TimeRange, "duration_ms", property(counted))
    ranges = [(10_000 * i + 2_000, 10_000 * i + 3_000) for i in range(500)]
    cues = [worded(10_000 * i, 10_000 * i + 5_000, "one two three four") for i in range(500)]
    result = exclude(doc(*cues), ranges, mode="cut")
    assert reads == len(ranges)
    # Each cue loses the second it spanned (and the word said in it); cue i moves back by i seconds.
    assert [(c.start_ms, c.end_ms) for c in result.cues[:3]] == [(0, 4_000), (9_000, 13_000), (18_000, 22_000)]
    assert result.cues[-1].start_ms == 10_000 * 499 - 499 * 1_000
