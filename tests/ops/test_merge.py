"""``subkit.ops.merge`` and ``split``: bilingual documents, both layouts, and back."""

from __future__ import annotations

import copy
import warnings

import pytest
from hypothesis import given

import subkit
from subkit.errors import OperationError
from subkit.model import Document, LineBreak, Run, RunStyle
from subkit.ops import ChangeReport, merge, split
from tests.ops.helpers import cue, doc, documents

EN = doc(cue(1000, 3000, "Hello"), cue(4000, 6000, "How are you?\nFine."), cue(9000, 10000, "Bye"))
FR = doc(cue(1100, 2900, "Bonjour"), cue(4200, 5800, "Comment ça va ?"), cue(7000, 8000, "Seul"))


def test_stack_pairs_by_overlap_and_tags_languages() -> None:
    report = ChangeReport()
    both = merge(EN, FR, primary_language="en", secondary_language="fr", report=report)
    assert [c.plain_text() for c in both] == [
        "Hello\nBonjour", "How are you?\nFine.\nComment ça va ?", "Seul", "Bye",
    ]
    first = both[0]
    english, french = RunStyle(language="en"), RunStyle(language="fr")
    assert first.content == (Run("Hello", english), LineBreak(), Run("Bonjour", french))
    assert (first.start_ms, first.end_ms) == (1000, 3000)
    assert both[2].language == "fr" and both[3].language == "en"
    assert both.language is None
    assert dict(report) == {"cues stacked": 2, "cues unpaired": 1}


def test_stack_languages_from_the_documents() -> None:
    both = merge(EN.replace(language="en"), FR.replace(language="fr"))
    assert both[0].content[0] == Run("Hello", RunStyle(language="en"))


def test_a_secondary_cue_goes_to_the_primary_cue_it_overlaps_most() -> None:
    primary = doc(cue(0, 1000, "A"), cue(1000, 3000, "B"))
    secondary = doc(cue(800, 2000, "x"))
    assert [c.plain_text() for c in merge(primary, secondary)] == ["A", "B\nx"]


def test_stack_drops_words_that_no_longer_join() -> None:
    from tests.ops.helpers import worded

    both = merge(doc(worded(0, 1000, "a b")), doc(cue(0, 1000, "c")))
    assert both[0].words == ()


def test_ass_top_bottom_layout() -> None:
    both = merge(EN, FR, layout="ass-top-bottom", primary_language="en", secondary_language="fr")
    assert set(both.styles) >= {"Top", "Bottom"}
    assert both.styles["Top"].align == 8 and both.styles["Bottom"].align == 2
    assert [(c.style, c.plain_text()) for c in both][:2] == [("Top", "Hello"), ("Bottom", "Bonjour")]
    assert len(both) == len(EN) + len(FR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", subkit.LossyConversionWarning)
        text = subkit.dumps(both, "ass")
    assert isinstance(text, str)
    assert "Style: Top," in text and "Dialogue: 0,0:00:01.10,0:00:02.90,Bottom," in text
    primary, secondary = split(subkit.loads(text, format="ass"))
    assert [c.plain_text() for c in primary] == ["Hello", "How are you?\nFine.", "Bye"]
    assert [c.plain_text() for c in secondary] == ["Bonjour", "Comment ça va ?", "Seul"]


def test_split_by_language_undoes_stack() -> None:
    both = merge(EN, FR, primary_language="en", secondary_language="fr")
    primary, secondary = split(both)
    assert [c.plain_text() for c in primary] == [c.plain_text() for c in EN]
    assert [c.plain_text() for c in secondary] == [c.plain_text() for c in FR]
    assert primary.language == "en" and secondary.language == "fr"
    assert primary[0].content == (Run("Hello"),)


def test_split_by_lines_for_untagged_double_subtitles() -> None:
    # A "double" SRT: source line(s) on top, target line(s) under them.
    double = subkit.loads("1\n00:00:01,000 --> 00:00:02,000\nHello\nBonjour\n\n"
                          "2\n00:00:03,000 --> 00:00:04,000\nOne\nTwo\nUn deux\n", format="srt")
    top, bottom = split(double, by="lines")
    assert [c.plain_text() for c in top] == ["Hello", "One\nTwo"]
    assert [c.plain_text() for c in bottom] == ["Bonjour", "Un deux"]
    top, bottom = split(double, primary_lines=1)
    assert [c.plain_text() for c in bottom] == ["Bonjour", "Two\nUn deux"]


def test_split_errors() -> None:
    with pytest.raises(OperationError, match="style"):
        split(EN, by="style")
    with pytest.raises(OperationError, match="language"):
        split(EN, by="language")
    with pytest.raises(OperationError, match="unknown split mode"):
        split(EN, by="colour")
    with pytest.raises(OperationError, match="at least 1"):
        split(EN, primary_lines=0)
    with pytest.raises(OperationError, match="layout"):
        merge(EN, FR, layout="side-by-side")


def _lines(document: Document) -> list[str]:
    return sorted(line for c in document for line in c.plain_text().split("\n"))


@given(documents(words=False), documents(words=False))
def test_merge_then_split_round_trip(primary: Document, secondary: Document) -> None:
    snapshots = copy.deepcopy((primary, secondary))
    both = merge(primary, secondary, primary_language="en", secondary_language="fr")
    assert (primary, secondary) == snapshots
    assert sum(len(c.plain_text()) for c in both) >= sum(len(c.plain_text()) for c in primary)
    if not primary.cues or not secondary.cues:
        return
    first, second = split(both, by="language", primary_language="en")
    # Every line comes back on its side; secondary cues stacked under the same
    # primary cue come back as one cue, so lines rather than cues are compared.
    assert _lines(first) == _lines(primary)
    assert _lines(second) == _lines(secondary)
    top = merge(primary, secondary, layout="ass-top-bottom")
    a, b = split(top, by="style")
    assert [c.plain_text() for c in a] == [c.plain_text() for c in sorted(primary.cues, key=lambda c: c.start_ms)]
    assert len(b) == len(secondary)
