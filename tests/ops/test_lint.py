"""``subkit.ops.lint``: the op face of the QC rules, profiles, and that linting changes nothing."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given

from subkit.errors import OperationError
from subkit.model import Document, Placement
from subkit.ops import PROFILES, Violation, clean, lint, load_profile
from tests.ops.helpers import cue, doc, documents

CLEAN = doc(cue(0, 2000, "A short line."), cue(2500, 5000, "Two lines\nof text."))


def _rules(violations: list[Violation]) -> list[tuple[str, int | None]]:
    return [(v.rule, v.cue) for v in violations]


def test_a_clean_document_has_no_violations() -> None:
    assert lint(CLEAN) == []


def test_characters_per_second() -> None:
    fast = doc(cue(0, 1000, "x" * 21), cue(2000, 3000, "x" * 20))
    (violation,) = lint(fast)
    assert (violation.rule, violation.cue, violation.value, violation.limit) == ("cps", 0, 21.0, 20.0)
    assert "21 characters per second" in violation.message
    assert lint(doc(cue(0, 1000, "ab\ncd")), {"max_cps": 3.9, "min_duration_ms": None}) == lint(
        doc(cue(0, 1000, "abcd")), {"max_cps": 3.9, "min_duration_ms": None})


def test_characters_per_line_names_the_line() -> None:
    (violation,) = lint(doc(cue(0, 5000, "short\n" + "y" * 43)))
    assert (violation.rule, violation.line, violation.value) == ("cpl", 2, 43)


def test_lines_per_cue() -> None:
    assert _rules(lint(doc(cue(0, 5000, "a\nb\nc")))) == [("max-lines", 0)]


def test_durations() -> None:
    assert _rules(lint(doc(cue(0, 500, "a"), cue(1000, 9000, "b")))) == [("min-duration", 0), ("max-duration", 1)]


def test_gaps_and_overlaps() -> None:
    source = doc(cue(0, 2000, "a"), cue(2050, 4000, "b"), cue(3000, 5000, "c"), cue(5000, 7000, "d"))
    assert _rules(lint(source)) == [("min-gap", 1), ("overlap", 2)]
    other_layer = doc(cue(0, 2000, "a"), cue(1000, 3000, "b", placement=Placement(layer=1)))
    assert lint(other_layer) == []


def test_comments_are_not_linted() -> None:
    assert lint(doc(cue(0, 10, "x" * 100, comment=True))) == []


def test_profiles() -> None:
    relaxed = load_profile("relaxed")
    assert relaxed.rules["max-lines"]["max_lines"] == 3 and "min-gap" not in relaxed.rules
    assert lint(doc(cue(0, 5000, "a\nb\nc")), "relaxed") == []
    assert set(PROFILES) >= {"default", "children", "relaxed", "netflix-en", "bbc", "fcc-608", "ebu-tt-d"}
    assert load_profile(None) == load_profile("default")
    assert _rules(lint(doc(cue(0, 2000, "abcdef")), {"max_cpl": 5})) == [("cpl", 0)]


def test_profile_file(tmp_path: Path) -> None:
    path = tmp_path / "house.json"
    path.write_text(json.dumps({"extends": "relaxed", "max_cpl": 10, "min_duration_ms": None}), encoding="utf-8")
    profile = load_profile(path)
    assert profile.name == "house"
    assert profile.rules["cpl"]["max_cpl"] == 10 and profile.rules["max-lines"]["max_lines"] == 3
    assert "min-duration" not in profile.rules
    assert load_profile(str(path)) == profile


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("nonesuch", "unknown lint profile"),
        ({"max_cpl": -1}, "max_cpl"),
        ({"max_cps": "fast"}, "max_cps"),
        ({"colour": 1}, "unknown key"),
        ({"extends": "nonesuch"}, "extends unknown"),
        ({"min_duration_ms": 10, "max_duration_ms": 5}, "above"),
        ({"overlaps": "yes"}, "true or false"),
        ({"rules": {"cpss": {}}}, "did you mean 'cps'"),
        ({"rules": {"cps": {"max": 3}}}, "no parameter 'max'"),
        ({"rules": {"min-gap": {"min_gap": "two frames"}}}, "not a length of time"),
    ],
)
def test_bad_profiles(source: object, message: str) -> None:
    with pytest.raises(OperationError, match=message):
        load_profile(source)  # type: ignore[arg-type]


def test_violation_records() -> None:
    (violation,) = lint(doc(cue(61000, 61500, "a")))
    record = violation.to_dict()
    assert record["start"] == "0:01:01.000" and record["rule"] == "min-duration" and record["cue"] == 0
    assert str(violation).startswith("cue 1 (0:01:01.000 --> 0:01:01.500): min-duration:")


@given(documents())
def test_lint_properties(source: Document) -> None:
    snapshot = copy.deepcopy(source)
    violations = lint(source)
    assert source == snapshot
    assert [v.cue for v in violations] == sorted(v.cue for v in violations if v.cue is not None)
    assert all(v.rule != "overlap" for v in lint(clean(source)))
