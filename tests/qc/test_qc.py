"""``subkit.qc``: planted defects found exactly, fixes idempotent, clean and lint agreeing, every profile sound."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import subkit
from subkit.errors import OperationError
from subkit.model import Cue, Document, Region, content_from_text
from subkit.ops import clean
from subkit.qc import (
    RULES,
    Span,
    check,
    fix,
    load_profile,
    parse_shot_changes,
    parse_span,
    profile_names,
    report_csv,
    report_html,
    resolve_fps,
)
from tests.conftest import CORPUS

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures" / "qc"
CASES: list[dict[str, Any]] = json.loads((FIXTURES / "cases.json").read_text(encoding="utf-8"))


def _cue(start: int, end: int, text: str, **kwargs: Any) -> Cue:
    return Cue(start_ms=start, end_ms=end, content=content_from_text(text), **kwargs)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["file"])
def test_every_planted_defect_is_found_and_nothing_else(case: dict[str, Any]) -> None:
    doc = subkit.load(FIXTURES / case["file"])
    report = check(doc, case["profile"], shot_changes=case.get("shot_changes"))
    found = sorted([f.rule, f.cue] for f in report.findings if f.severity != "info")
    assert found == sorted(case["expected"], key=lambda e: (e[0], -1 if e[1] is None else e[1])), case["defect"]


def test_the_planted_set_covers_every_rule_family_and_language() -> None:
    assert len(CASES) >= 30
    planted = {rule for case in CASES for rule, _ in case["expected"]}
    # Every rule has a planted defect of its own; roll-up depth needs CEA-608 caption modes (see below).
    assert planted == set(RULES) - {"rollup-depth"}
    assert {case["profile"] for case in CASES} >= {
        "netflix-en", "netflix-en-children", "netflix-en-sdh", "netflix-fr", "netflix-ja", "netflix-ko",
        "netflix-ru", "netflix-de-children", "bbc", "fcc-608", "ebu-tt-d",
    }


@pytest.mark.parametrize("case", [c for c in CASES if c["expected"]], ids=lambda c: c["file"])
def test_fix_repairs_what_it_can_and_is_idempotent(case: dict[str, Any]) -> None:
    doc = subkit.load(FIXTURES / case["file"])
    shots = case.get("shot_changes")
    fixed, _ = fix(doc, case["profile"], shot_changes=shots)
    again, changes = fix(fixed, case["profile"], shot_changes=shots)
    assert again == fixed and changes == {}
    for rule, _cue_index in case["expected"]:
        if RULES[rule].fix is not None:
            left = [f for f in check(fixed, case["profile"], shot_changes=shots).findings if f.rule == rule]
            assert not left, left


def test_rollup_depth() -> None:
    doc = Document(cues=(_cue(0, 2000, "one\ntwo\nthree", caption_mode="roll-up2"),
                         _cue(3000, 5000, "one\ntwo", caption_mode="roll-up2")))
    assert [(f.rule, f.cue) for f in check(doc, "fcc-608").findings] == [("rollup-depth", 0)]


def test_documents_with_regions_check_bounds() -> None:
    inside = Document(regions={"r": Region(id="r", origin=(10.0, 80.0), extent=(80.0, 15.0))})
    assert check(inside, "imsc1").findings == ()


def test_every_builtin_profile_loads_and_documents_itself() -> None:
    names = profile_names()
    assert len(names) >= 40
    for name in names:
        profile = load_profile(name)
        assert profile.title and profile.document and profile.version, name
        assert set(profile.rules) <= set(RULES)
    assert load_profile("netflix-ja").rules["cpl"]["max_cpl"] == 13
    assert "dialogue-dash" not in load_profile("netflix-ja").rules
    assert load_profile("netflix-fr").rules["dialogue-dash"]["dash_space"] is True
    assert load_profile("netflix-en-sdh").rules.keys() >= {"hi-brackets"}


def test_selection_and_overrides() -> None:
    assert sorted(load_profile("netflix-en", rules="cps,cpl").rules) == ["cpl", "cps"]
    assert "numbers" not in load_profile("netflix-en", rules="all,-numbers").rules
    assert len(load_profile("default", rules="all").rules) == len(RULES)
    assert load_profile("netflix-en", overrides={"max_cps": "17"}).rules["cps"]["max_cps"] == 17
    assert load_profile("netflix-en", overrides={"min_gap": "3f"}).rules["min-gap"]["min_gap"] == "3f"
    assert load_profile("default", overrides={"fps": "25"}).fps == 25
    with pytest.raises(OperationError, match="did you mean"):
        load_profile("default", overrides={"max_cpx": 3})
    with pytest.raises(OperationError, match="must be a number"):
        load_profile("default", overrides={"max_cps": "fast"})


def test_spans_and_frame_rates() -> None:
    assert parse_span("2f") == Span(2, "f") and parse_span("833ms") == Span(833) and parse_span("0.5s") == Span(500)
    assert Span(2, "f").ms(Fraction(24000, 1001)) == 84 and Span(2, "f").ms(Fraction(25)) == 80
    assert not Span(2, "f").shorter(83, Fraction(24))  # 83 ms rounds to 2 frames at 24 fps
    for bad in ("soon", "-1s", True, None):
        with pytest.raises(OperationError):
            parse_span(bad)
    doc = Document(frame_rate=Fraction(25))
    assert resolve_fps(doc) == (Fraction(25), "document")
    assert resolve_fps(Document(), load_profile("bbc")) == (Fraction(25), "profile")
    assert resolve_fps(Document(), None, "29.97") == (Fraction(30000, 1001), "option")
    assert resolve_fps(Document()) == (Fraction(24000, 1001), "assumed")


def test_shot_change_lists() -> None:
    assert parse_shot_changes("1.5\n0:00:03.250\n# comment\n") == [1500, 3250]
    assert parse_shot_changes("25\n50\n", fps=Fraction(25)) == [1000, 2000]
    assert parse_shot_changes("25\n50\n", unit="seconds") == [25000, 50000]
    assert parse_shot_changes("00:00:01:12\n", fps=Fraction(24)) == [1500]
    with pytest.raises(OperationError, match="frame rate"):
        parse_shot_changes("25\n")
    with pytest.raises(OperationError, match=":2:"):
        parse_shot_changes("1.0\nlater\n")


def test_reports() -> None:
    doc = subkit.load(FIXTURES / "cps.srt")
    report = check(doc, "netflix-en")
    csv_text = report_csv([("cps.srt", report)])
    assert csv_text.splitlines()[0].startswith("file,rule,severity,cue")
    page = report_html([("cps.srt", report)])
    assert "<svg" in page and "cps (1)" in page and "Netflix" in page
    record = report.to_dict()
    assert record["counts"] == {"cps": 1} and record["profile"]["name"] == "netflix-en"


#: Documents with every kind of timing problem, for the clean/lint agreement.
timed_cues = st.lists(
    st.tuples(st.integers(0, 60_000), st.integers(0, 9_000), st.sampled_from(["Hi.", "A longer line of text."])),
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timed_cues, st.sampled_from(sorted(set(profile_names()) - {"imsc1", "ebu-tt-d", "fcc-608"})))
def test_clean_with_a_profile_passes_lint_with_it(raw: list[tuple[int, int, str]], name: str) -> None:
    doc = Document(cues=tuple(_cue(start, start + length, text) for start, length, text in sorted(raw)))
    cleaned = clean(doc, profile=name)
    profile = load_profile(name)
    findings = check(cleaned, profile).findings
    assert not [f for f in findings if f.rule in ("overlap", "max-duration")], findings
    # A gap is left short only where the previous cue started less than the gap before this one
    # (its end cannot be pulled back far enough, and cues never move).
    gap_ms = Span(2, "f").ms(resolve_fps(cleaned, profile)[0])
    for finding in (f for f in findings if f.rule == "min-gap"):
        assert finding.cue is not None
        start = cleaned.cues[finding.cue].start_ms
        assert any(start - gap_ms <= c.start_ms <= start for i, c in enumerate(cleaned.cues) if i != finding.cue)
    # A cue is left short only when the next one starts too soon for it to be lengthened.
    for finding in (f for f in findings if f.rule == "min-duration"):
        assert finding.cue is not None
        later = [c.start_ms for c in cleaned.cues if c.start_ms >= cleaned.cues[finding.cue].end_ms]
        assert later, finding
    # And lint --fix with the same profile finds nothing more to repair in the timing.
    _, changes = fix(cleaned, profile.name, fps=None)
    assert "timing" not in changes


def test_clean_and_lint_share_the_frame_rate() -> None:
    doc = Document(cues=(_cue(0, 1000, "a"), _cue(1000, 2000, "b")))
    cleaned = clean(doc, min_gap_frames=2)
    assert cleaned.cues[0].end_ms == 1000 - 84  # 2 frames at 23.976, as lint assumes
    assert not check(cleaned, {"rules": {"min-gap": {"min_gap": "2f", "touching_ok": False}}}).findings


@pytest.mark.corpus
@pytest.mark.slow
def test_fix_is_idempotent_on_the_corpus() -> None:
    index = CORPUS / "index.tsv"
    if not index.is_file():
        pytest.skip("no shared corpus")
    rows = [line.split("\t") for line in index.read_text(encoding="utf-8").splitlines()[1:]]
    checked = 0
    for row in rows:
        path = CORPUS / row[0]
        if path.suffix.lower() not in (".srt", ".vtt", ".ass", ".ttml", ".xml", ".scc", ".stl") or not path.is_file():
            continue
        try:
            doc = subkit.load(path)
        except subkit.SubkitError:
            continue
        if len(doc.cues) > 400:
            doc = doc.with_cues(doc.cues[:400])
        once, _ = fix(doc, "netflix-en")
        twice, changes = fix(once, "netflix-en")
        assert twice == once and changes == {}, (row[0], changes)
        checked += 1
    assert checked > 100


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "bb", " ", "\n", "\xa0", "\u200e", "日本", "-", "."]), max_size=40).map("".join),
       st.integers(1, 20), st.integers(1, 3))
def test_rebreaking_any_text_ends_and_keeps_the_words(text: str, width: int, lines: int) -> None:
    from subkit._fixes import FIXES

    edits = FIXES["broken-lines"].edits(text, None, {"max_cpl": width, "max_lines": lines})
    assert len(edits) <= len(text)
    cue = _cue(0, 1000, text)
    fixed = fix(Document(cues=(cue,)), {"rules": {"cpl": {"max_cpl": width}, "max-lines": {"max_lines": lines}}})[0]
    if fixed.cues:
        # Only spaces and breaks move (a no-break space is part of its word; CJK text breaks between characters).
        def letters(value: str) -> str:
            return value.replace(" ", "").replace("\n", "")

        assert letters(fixed.cues[0].plain_text()) == letters(cue.plain_text().strip(" \n"))


def test_a_no_break_space_does_not_stall_the_line_repair() -> None:
    text = "Some text < &> < &nb\xa0 &am< \u200f&lr\u200e other stuff and more more more words."
    fixed, changes = fix(Document(cues=(_cue(0, 5000, text),)), "netflix-en")
    assert fixed.cues[0].plain_text().split("\n")[1] == "other stuff and more more more words."
    assert changes["cpl"] == 1
