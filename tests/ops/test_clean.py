"""``subkit.ops.clean``: each fix on its own, its switch, its count; properties."""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given

from subkit.errors import OperationError
from subkit.model import Cue, Document, LineBreak, Raw, Run, RunStyle
from subkit.ops import ChangeReport, clean
from tests.ops.helpers import cue, doc, documents, is_sorted, overlaps, worded

#: Every default fix switched off (values typed Any so that ** fits clean's mixed keywords).
NONE: dict[str, Any] = {"brackets": False, "parentheses": False, "music": False, "speakers": False,
                        "remove_empty": False, "merge_identical": False, "fix_overlaps": False}


def _texts(document: Document) -> list[str]:
    return [c.plain_text() for c in document]


@pytest.mark.parametrize(
    ("switch", "text", "expected"),
    [
        ("brackets", "[MUSIC PLAYING]", None),
        ("brackets", "Hello [door slams] there", "Hello there"),
        ("parentheses", "(laughs) Yes.", "Yes."),
        ("parentheses", "Yes (sighs).", "Yes."),
        ("music", "♪ la la la ♪", None),
        ("music", "♪ unclosed lyrics", None),
        ("music", "Hi\n♪♪", "Hi"),
        ("music", "# sung line #", None),
        ("speakers", "JOHN: Hello", "Hello"),
        ("speakers", "Mary Smith: Hello\n>> NARRATOR: Then", "-Hello\n-Then"),
        ("speakers", "- JOHN: Hi.\n- MARY: Hello.", "- Hi.\n- Hello."),
        ("speakers", "NOTE: the door is open", "NOTE: the door is open"),
        ("speakers", "WARNING: Do not enter", "WARNING: Do not enter"),
        ("speakers", "At 10:30: fine", "At 10:30: fine"),
        ("speakers", "he said: no", "he said: no"),
    ],
)
def test_hearing_impaired_removal(switch: str, text: str, expected: str | None) -> None:
    report = ChangeReport()
    switches: dict[str, Any] = {**NONE, switch: True, "remove_empty": True}
    result = clean(doc(cue(0, 2000, text)), report=report, **switches)
    assert _texts(result) == ([] if expected is None else [expected])
    if expected != text:
        assert report.total >= 1
    off = clean(doc(cue(0, 2000, text)), **NONE)
    assert _texts(off) == [text]


def test_hearing_impaired_removal_keeps_styles_and_words() -> None:
    styled = Cue(start_ms=0, end_ms=1000, content=(Run("[sighs] "), Run("I know", RunStyle(italic=True))))
    assert clean(doc(styled), hi=True)[0].content == (Run("I know", RunStyle(italic=True)),)
    assert clean(doc(styled))[0].content == styled.content  # hearing-impaired removal is opt-in
    timed = clean(doc(worded(0, 3000, "(laughs) okay then")), hi=True)[0]
    assert [w.text for w in timed.words] == ["okay ", "then"] and timed.words_align()


def test_rolling_auto_captions_collapse() -> None:
    rolling = doc(cue(0, 2000, "the quick"), cue(2000, 4000, "the quick\nbrown fox"),
                  cue(4000, 6000, "brown fox\njumps over"), cue(6000, 8000, "jumps over\nthe dog"))
    report = ChangeReport()
    result = clean(rolling, rolling=True, report=report)
    assert _texts(result) == ["the quick", "brown fox", "jumps over", "the dog"]
    assert report["rolling duplicates removed"] == 3
    assert _texts(clean(rolling)) == _texts(rolling)


def test_strip_styling() -> None:
    styled = Cue(start_ms=0, end_ms=1000, content=(Raw("ass", "{\\an8}"), Run("a", RunStyle(bold=True)), Run("b"),
                                                   LineBreak(), Run("c", RunStyle(italic=True))))
    report = ChangeReport()
    result = clean(doc(styled), strip_styling=True, report=report)
    assert result[0].content == (Run("ab"), LineBreak(), Run("c"))
    assert report["cues unstyled"] == 1


def test_remove_empty_and_merge_identical() -> None:
    source = doc(cue(0, 1000, "a"), cue(1000, 2000, " "), cue(2000, 3000, "b"), cue(3000, 4000, "b"),
                 cue(5000, 6000, "b"))
    report = ChangeReport()
    result = clean(source, report=report)
    assert [(c.start_ms, c.end_ms, c.plain_text()) for c in result] == [
        (0, 1000, "a"), (2000, 4000, "b"), (5000, 6000, "b"),
    ]
    assert report["cues removed (empty)"] == 1 and report["identical cues merged"] == 1
    kept = clean(source, remove_empty=False, merge_identical=False)
    assert len(kept) == 5


def test_fix_overlaps() -> None:
    source = doc(cue(0, 3000, "a"), cue(2000, 4000, "b"))
    report = ChangeReport()
    result = clean(source, report=report)
    assert [(c.start_ms, c.end_ms) for c in result] == [(0, 2000), (2000, 4000)]
    assert report["overlaps fixed"] == 1
    assert clean(source, fix_overlaps=False) == source


def test_minimum_gap_in_ms_and_frames() -> None:
    source = doc(cue(0, 1000, "a"), cue(1000, 2000, "b"), cue(2050, 3000, "c"))
    assert [c.end_ms for c in clean(source, min_gap_ms=100)] == [900, 1950, 3000]
    frames = clean(source, min_gap_frames=2, fps="25")
    assert [c.end_ms for c in frames] == [920, 1970, 3000]
    framed = source.replace(frame_rate=Fraction(24000, 1001))
    # Two frames at 23.976 are 83.4 ms: the gap is widened to 84 ms, which is 2 frames to lint too.
    assert [c.end_ms for c in clean(framed, min_gap_frames=2)] == [916, 1966, 3000]


def test_minimum_and_maximum_duration() -> None:
    source = doc(cue(0, 200, "short"), cue(5000, 20000, "long"))
    report = ChangeReport()
    result = clean(source, min_duration_ms=1000, max_duration_ms=7000, report=report)
    assert [(c.start_ms, c.end_ms) for c in result] == [(0, 1000), (5000, 12000)]
    assert report["durations lengthened"] == 1 and report["durations shortened"] == 1
    # A lengthened cue does not run into the next one.
    crowded = clean(doc(cue(0, 200, "a"), cue(500, 1500, "b")), min_duration_ms=1000)
    assert [(c.start_ms, c.end_ms) for c in crowded] == [(0, 500), (500, 1500)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_gap_ms": -1}, "min_gap_ms"),
        ({"min_gap_ms": 1, "min_gap_frames": 1}, "not both"),
        ({"min_duration_ms": 5, "max_duration_ms": 1}, "above"),
        ({"max_duration_ms": 1.5}, "whole number"),
    ],
)
def test_clean_validates(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(OperationError, match=message):
        clean(doc(), **kwargs)  # type: ignore[arg-type]


@given(documents())
def test_clean_properties(source: Document) -> None:
    snapshot = copy.deepcopy(source)
    once = clean(source, min_gap_ms=40)
    assert source == snapshot
    assert len(once) <= len(source)
    assert overlaps(once) == 0
    assert all(0 <= c.start_ms <= c.end_ms for c in once)
    for c in once:
        assert all(c.start_ms <= w.start_ms <= w.end_ms <= c.end_ms for w in c.words)
        assert not c.words or c.words_align()
    if is_sorted(source):
        assert is_sorted(once)
    # Cleaning is idempotent: a second run finds nothing left to fix.
    report = ChangeReport()
    assert clean(once, min_gap_ms=40, report=report) == once
    assert not report


def test_rolling_drops_flash_cues_and_filler_lines() -> None:
    # YouTube: the new line rolls in under the old one, then a 10 ms cue repeats it over a blank filler line.
    youtube = doc(cue(0, 2000, "so today"), cue(2000, 4000, "so today\nwe talk"), cue(4000, 4010, "we talk\n "),
                  cue(4010, 6000, "we talk\nabout captions"))
    report = ChangeReport()
    result = clean(youtube, rolling=True, merge_identical=False, report=report)
    assert [(c.start_ms, c.end_ms, c.plain_text()) for c in result] == [
        (0, 2000, "so today"), (2000, 4010, "we talk"), (4010, 6000, "about captions"),
    ]
    assert report["rolling duplicates removed"] == 3
