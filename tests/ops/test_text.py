"""``subkit._text``: the styled-string editing behind replace, clean and exclude."""

from __future__ import annotations

import pytest
from hypothesis import given

from subkit._text import StyledText, collapse_removal, edit_cue, slice_cue
from subkit.model import Cue, LineBreak, Raw, Run, RunStyle
from tests.ops.helpers import worded
from tests.strategies import contents, run_styles

BOLD = RunStyle(bold=True)


@given(contents(styles=run_styles(), raw=True))
def test_styled_text_round_trip(content: tuple[Run | LineBreak | Raw, ...]) -> None:
    assert StyledText.of(content).content() == content


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ("a um b", (2, 4), "a b"),
        ("um b", (0, 2), "b"),
        ("a um", (2, 4), "a"),
        ("a um.", (2, 4), "a."),
        ("a\num\nb", (2, 4), "a\n\nb"),
        ("aumb", (1, 3), "ab"),
    ],
)
def test_collapse_removal(text: str, span: tuple[int, int], expected: str) -> None:
    start, end = collapse_removal(text, *span)
    assert text[:start] + text[end:] == expected


def test_edit_keeps_styles_raw_and_rebuilds_lines() -> None:
    cue = Cue(start_ms=0, end_ms=1, content=(Raw("ass", "{\\an8}"), Run("ab"), Run("cd", BOLD), LineBreak(), Run("e")))
    edited = edit_cue(cue, [(1, 3, "XY\nZ")])
    assert edited is not None
    assert edited.content == (Raw("ass", "{\\an8}"), Run("aXY"), LineBreak(), Run("Z"), Run("d", BOLD), LineBreak(),
                              Run("e"))
    assert edit_cue(cue, [(0, 6, "  ")]) is None


def test_edit_recuts_words_that_join_to_the_text() -> None:
    cue = worded(0, 3000, "one two three")
    edited = edit_cue(cue, [(4, 8, "")])
    assert edited is not None and edited.words_align()
    assert [(w.text, w.start_ms) for w in edited.words] == [("one ", 0), ("three", 2000)]


def test_slice_cue_trims_edges_and_keeps_styles() -> None:
    cue = Cue(start_ms=0, end_ms=1, content=(Run("one "), Run("two", BOLD), LineBreak(), Run("three")))
    assert slice_cue(cue, 4, 8) == (Run("two", BOLD),)
    assert slice_cue(cue, 0, 4) == (Run("one"),)
