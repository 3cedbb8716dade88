"""``subkit.ops.replace``: literal, whole-word, case, regex, styles, words, rule files, properties."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from subkit.errors import OperationError
from subkit.model import Cue, Document, LineBreak, Raw, Run, RunStyle, Word
from subkit.ops import ChangeReport, Rule, load_rules, replace
from tests.ops.helpers import cue, doc, documents, worded

ITALIC = RunStyle(italic=True)


def _texts(document: Document) -> list[str]:
    return [c.plain_text() for c in document]


def test_literal_whole_word_by_default() -> None:
    source = doc(cue(0, 1000, "um, the umbrella, um"))
    report = ChangeReport()
    assert _texts(replace(source, [{"find": "um", "replace": "uh"}], report=report)) == ["uh, the umbrella, uh"]
    assert report["replaced"] == 2


def test_substring_match_when_asked() -> None:
    source = doc(cue(0, 1000, "the umbrella"))
    assert _texts(replace(source, [Rule("um", "UM", whole_word=False)])) == ["the UMbrella"]


def test_ignore_case() -> None:
    source = doc(cue(0, 1000, "Colour and COLOUR"))
    assert _texts(replace(source, [Rule("colour", "color", ignore_case=True)])) == ["Color and COLOR"]
    assert _texts(replace(source, [Rule("colour", "color")])) == ["Colour and COLOUR"]


def test_regex_with_groups() -> None:
    source = doc(cue(0, 1000, "50% of 20%"))
    result = replace(source, [Rule(r"(\d+)%", r"\1 percent", regex=True)])
    assert _texts(result) == ["50 percent of 20 percent"]
    named = replace(source, [Rule(r"(?P<n>\d+)%", r"\g<n>pc", regex=True)])
    assert _texts(named) == ["50pc of 20pc"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("say um hello", "say hello"),
        ("um hello", "hello"),
        ("hello um", "hello"),
        ("Um, hello", "hello"),
        ("so, um, yes", "so, yes"),
        ("I said um.", "I said."),
        ("um\nsecond line", "second line"),
        ("first\num", "first"),
    ],
)
def test_removal_collapses_spaces_and_lines(text: str, expected: str) -> None:
    result = replace(doc(cue(0, 1000, text)), [Rule("um", ignore_case=True)])
    assert _texts(result) == [expected]


def test_removal_drops_cues_left_empty() -> None:
    report = ChangeReport()
    result = replace(doc(cue(0, 1000, "um"), cue(1000, 2000, "ok")), [Rule("um")], report=report)
    assert _texts(result) == ["ok"]
    assert dict(report) == {"replaced": 1, "cues dropped": 1}


def test_replacement_inside_and_across_styled_runs() -> None:
    source = doc(Cue(start_ms=0, end_ms=1000, content=(Run("say "), Run("hello world", ITALIC), Run("!"))))
    result = replace(source, [Rule("hello", "goodbye")])
    assert result[0].content == (Run("say "), Run("goodbye world", ITALIC), Run("!"))
    across = replace(source, [Rule("say hello", "greet")])
    # The replacement takes the style of the text it starts in.
    assert across[0].content == (Run("greet"), Run(" world", ITALIC), Run("!"))


def test_raw_markup_and_breaks_are_kept() -> None:
    source = doc(Cue(start_ms=0, end_ms=1000, content=(Raw("ass", "{\\an8}"), Run("a um b"), LineBreak(), Run("c"))))
    result = replace(source, [Rule("um")])
    assert result[0].content == (Raw("ass", "{\\an8}"), Run("a b"), LineBreak(), Run("c"))


def test_removed_word_leaves_the_timings_and_replaced_word_is_renamed() -> None:
    source = doc(worded(0, 3000, "say um hello"))
    removed = replace(source, [Rule("um")])[0]
    assert [(w.text, w.start_ms) for w in removed.words] == [("say ", 0), ("hello", 2000)]
    assert removed.words_align()
    renamed = replace(source, [Rule("hello", "goodbye")])[0]
    assert [w.text for w in renamed.words] == ["say ", "um ", "goodbye"]
    assert renamed.words_align()


def test_a_phrase_spanning_words_merges_their_times() -> None:
    source = doc(worded(0, 3000, "thank you all"))
    result = replace(source, [Rule("thank you", "thanks")])[0]
    assert [(w.text, w.start_ms, w.end_ms) for w in result.words] == [("thanks ", 0, 2000), ("all", 2000, 3000)]


def test_free_standing_words_are_renamed_one_by_one() -> None:
    words = (Word(text="say", start_ms=0, end_ms=100), Word(text="um", start_ms=100, end_ms=200),
             Word(text="hello", start_ms=200, end_ms=300))
    source = doc(Cue(start_ms=0, end_ms=300, content=(Run("say um hello"),), words=words))
    result = replace(source, [Rule("um")])[0]
    assert result.plain_text() == "say hello"
    assert [w.text for w in result.words] == ["say", "hello"]


def test_rules_apply_in_order() -> None:
    source = doc(cue(0, 1000, "a"))
    assert _texts(replace(source, [Rule("a", "b"), Rule("b", "c")])) == ["c"]


def test_load_rules_from_revid_shaped_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps([{"find": "um", "replace": ""}, {"find": "colour", "replace": "color"},
                                {"find": "x+", "replace": "y", "regex": True}]), encoding="utf-8")
    rules = load_rules(path)
    assert [r.find for r in rules] == ["um", "colour", "x+"] and rules[2].regex
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"replace": [{"find": "a"}]}), encoding="utf-8")
    assert load_rules(wrapped)[0].replace == ""
    assert load_rules(path, ignore_case=True)[0].ignore_case


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[{\"find\": \"\"}]", "non-empty"),
        ("[{\"replace\": \"x\"}]", "without 'find'"),
        ("[{\"find\": \"a\", \"with\": \"b\"}]", "unknown key"),
        ("[{\"find\": \"(\", \"regex\": true}]", "regular expression"),
        ("[{\"find\": \"a\", \"regex\": \"yes\"}]", "true or false"),
        ("{\"find\": \"a\"}", "JSON list"),
        ("not json", "not JSON"),
        ("[\"um\"]", "must be an object"),
    ],
)
def test_load_rules_rejects(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "rules.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(OperationError, match=message):
        load_rules(path)


def test_replace_validates() -> None:
    with pytest.raises(OperationError, match="at least one"):
        replace(doc(), [])
    with pytest.raises(OperationError, match=r"missing\.json"):
        load_rules("missing.json")
    with pytest.raises(OperationError, match="bad replacement"):
        replace(doc(cue(0, 1, "a")), [Rule("a", r"\2", regex=True)])


WORDS = st.sampled_from(["um", "uh", "a", "b"])


@given(documents(), WORDS, st.sampled_from(["", "X", "two words"]))
def test_replace_properties(source: Document, find: str, replacement: str) -> None:
    snapshot = copy.deepcopy(source)
    report = ChangeReport()
    result = replace(source, [Rule(find, replacement, ignore_case=True)], report=report)
    assert source == snapshot
    assert len(result) <= len(source)
    # Cue order and times are kept: the result's cues are a subsequence of the source's.
    remaining = iter((c.start_ms, c.end_ms) for c in source)
    assert all(any(times == (c.start_ms, c.end_ms) for times in remaining) for c in result)
    for after in result:
        assert after.plain_text().strip()
        assert not after.words or after.words_align()  # the strategy's words join to the text
        assert all(after.start_ms <= w.start_ms <= w.end_ms <= after.end_ms for w in after.words)
    if not report:
        assert result == source
    if replacement == "":
        # Removing is idempotent, and leaves no double spaces behind.
        assert replace(result, [Rule(find, ignore_case=True)]) == result
        for c in result:
            for line in c.plain_text().split("\n"):
                assert "  " not in line or "  " in "".join(x.plain_text() for x in source)
