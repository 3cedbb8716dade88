"""The lowering stage and the one vocabulary of loss keys, over every writer of the registry.

Each writer gets documents made to need one lowering each (a negative time, an overlap, a comment cue,
a zero-length cue, a time past any format's last one, an empty cue, styling few formats hold) and one
that needs all of them. Whatever a writer reports must be a key of ``LOSS_KEYS``, a cue's problem is
reported once, nothing about the timeline is lost silently, and strict mode (from ``render`` or from the
writer's own ``strict`` option) refuses with a subkit error.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from types import ModuleType

import pytest

import subkit
from subkit import formats
from subkit.errors import SubkitError, UnsupportedFeatureError
from subkit.formats import LOSS_KEYS, FormatSpec
from subkit.formats._lower import LOWERING_KEYS, Lowering, lower
from subkit.model import Color, Cue, Document, LossReport, Placement, Run, RunStyle, Word

ROOT = Path(__file__).resolve().parents[2]
HOUR = 3_600_000
WRITERS = [spec for spec in formats.FORMATS if spec.can_write]

#: Keys that speak of one cue's place on the timeline: a cue with one such problem is counted once among them.
TIMELINE = {"negative-time", "time-range", "timing", "overlap", "empty-cue", "comment", "dropped"}


def _cue(start: int, end: int, text: str, **fields: object) -> Cue:
    return Cue(start_ms=start, end_ms=end, content=(Run(text),), **fields)  # type: ignore[arg-type]


#: One document per lowering; the offending cue is the only one of its kind and sits on whole seconds, so
#: that rounding to a format's resolution does not add a loss of its own.
CASES: dict[str, tuple[Cue, ...]] = {
    "negative": (_cue(-2000, 1000, "before zero"), _cue(2000, 3000, "after")),
    "overlap": (_cue(1000, 5000, "first"), _cue(3000, 7000, "second")),
    "comment": (_cue(1000, 2000, "a"), _cue(2000, 3000, "a note", comment=True), _cue(4000, 5000, "b")),
    "zero-length": (_cue(1000, 2000, "a"), _cue(3000, 3000, "no time"), _cue(4000, 5000, "b")),
    "late": (_cue(1000, 2000, "a"), _cue(12_000 * HOUR, 12_000 * HOUR + 2000, "past every format's last time")),
    "long": (_cue(1000, 1300 * HOUR, "longer than a 32-bit count of milliseconds"),),
    "empty": (_cue(1000, 2000, "a"), Cue(start_ms=3000, end_ms=4000, content=()), _cue(5000, 6000, "b")),
    "styled": (
        Cue(
            start_ms=1000,
            end_ms=3000,
            content=(
                Run("shout ", RunStyle(bold=True, color=Color(r=255, g=0, b=0), ruby="ru")),
                Run("softly", RunStyle(italic=True, underline=True, strike=True, font_family="Arial")),
            ),
            placement=Placement(align=7, x=10.0, y=20.0, margin_l=5, layer=1, vertical="rl"),
            speaker="Ann",
            effect="Banner;10",
            words=(Word(text="shout", start_ms=1000, end_ms=2000), Word(text="softly", start_ms=2000, end_ms=3000)),
        ),
    ),
}
CASES["everything"] = tuple(sorted((cue for cues in CASES.values() for cue in cues), key=lambda c: c.start_ms))


def _write(spec: FormatSpec, cues: tuple[Cue, ...], **options: object) -> tuple[str | bytes, LossReport]:
    module: ModuleType = spec.load()
    report = LossReport(spec.name)
    data = module.write(Document(cues=cues), options=module.WriteOptions(**options), report=report)
    return data, report


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("spec", WRITERS, ids=lambda s: s.name)
def test_every_loss_has_a_key_of_the_vocabulary_and_comes_once(spec: FormatSpec, case: str) -> None:
    _, report = _write(spec, CASES[case])
    keys = [loss.feature for loss in report]
    assert set(keys) <= set(LOSS_KEYS), sorted(set(keys) - set(LOSS_KEYS))
    assert len(keys) == len(set(keys))
    if case != "everything":
        timeline = sum(loss.count for loss in report if loss.feature in TIMELINE)
        assert timeline <= 1, report.summary()


@pytest.mark.parametrize("spec", WRITERS, ids=lambda s: s.name)
def test_the_declared_lowering_is_what_the_writer_reports(spec: FormatSpec) -> None:
    lowering: Lowering = spec.load().LOWERING
    assert isinstance(lowering, Lowering)
    negative = {loss.feature: loss for loss in _write(spec, CASES["negative"])[1]}
    if lowering.negative == "clamp":
        assert negative["negative-time"].count == 1 and negative["negative-time"].first_cue == 0
    else:
        assert "negative-time" not in negative or spec.name == "ebu_stl"  # EBU STL clamps at its timecode origin
    late = {loss.feature: loss for loss in _write(spec, CASES["late"])[1]}
    if lowering.max_ms is not None:
        assert late["time-range"].count == 1 and late["time-range"].first_cue == 1
    comment = {loss.feature for loss in _write(spec, CASES["comment"])[1]}
    assert ("comment" in comment) == ("comment" not in spec.load().FEATURES)
    if lowering.empty == "drop":
        assert {loss.feature for loss in _write(spec, CASES["empty"])[1]} == {"empty-cue"}
    if lowering.overlaps == "cut":
        assert "overlap" in {loss.feature for loss in _write(spec, CASES["overlap"])[1]}


@pytest.mark.parametrize("case", ["negative", "late"])
@pytest.mark.parametrize("spec", [s for s in WRITERS if s.can_read], ids=lambda s: s.name)
def test_a_time_the_writer_changes_is_reported(spec: FormatSpec, case: str) -> None:
    """No silent lowering: a time that does not read back (within a frame or the format's resolution) was reported."""
    cues = CASES[case]
    data, report = _write(spec, cues)
    reported = {loss.feature for loss in report} & {"negative-time", "time-range", "timing", "precision"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        back = subkit.loads(data, format=spec.name)
    wanted = cues[0] if case == "negative" else cues[1]
    near = [cue for cue in back.cues if abs(cue.start_ms - wanted.start_ms) <= 1000]
    assert near or reported, f"{spec.name}: {wanted.start_ms} ms neither read back nor reported"


@pytest.mark.parametrize("spec", WRITERS, ids=lambda s: s.name)
def test_strict_refuses_with_a_subkit_error(spec: FormatSpec) -> None:
    doc = Document(cues=CASES["everything"])
    lenient = subkit.render(doc, spec.name)
    if not lenient.losses:  # the lossless model format: strict writes the same
        assert spec.name == "subkit_json"
        assert subkit.render(doc, spec.name, strict=True).data == lenient.data
        return
    with pytest.raises(UnsupportedFeatureError) as caught:
        subkit.render(doc, spec.name, strict=True)
    assert isinstance(caught.value, SubkitError)
    assert caught.value.feature == lenient.losses.losses[0].feature
    # The writer's own ``strict`` option is honoured too, whatever report it is given.
    module = spec.load()
    with pytest.raises(UnsupportedFeatureError):
        module.write(doc, options=module.WriteOptions(strict=True), report=LossReport(spec.name))


def test_the_vocabulary_is_documented() -> None:
    text = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    section = text[text.index("## Lowering and loss keys") :]
    section = section[: section.find("\n## ", 1)] if "\n## " in section[1:] else section
    documented = re.findall(r"^\| `([a-z0-9-]+)` \|", section, flags=re.MULTILINE)
    assert sorted(documented) == sorted(LOSS_KEYS)
    assert formats.LOSS_KEYS is LOSS_KEYS


def test_a_cue_left_out_is_not_reported_for_its_times_as_well() -> None:
    cues = (
        _cue(-3000, -1000, "a comment before zero", comment=True),
        Cue(start_ms=-2000, end_ms=-1000, content=(Run("  "),)),
        _cue(-500, 1000, "kept"),
        _cue(9000, 9000 + 200 * HOUR, "long"),
    )
    report = LossReport("x")
    lowered = lower(Document(cues=cues), Lowering(max_ms=100 * HOUR, empty="drop"), report, options=None,
                    supported=set())
    assert [(loss.feature, loss.count, loss.first_cue) for loss in report] == [
        ("comment", 1, 0), ("negative-time", 1, 2), ("time-range", 1, 3), ("empty-cue", 1, 1),
    ]
    assert [index for index, _ in lowered.cues] == [2, 3]
    assert [(c.start_ms, c.end_ms) for _, c in lowered.cues] == [(0, 1000), (9000, 100 * HOUR)]
    assert len(lowered.doc.cues) == 4  # the document keeps its comment cue in place (notes refer to positions)


def test_overlaps_are_cut_in_order_of_start() -> None:
    cues = (_cue(5000, 9000, "c"), _cue(1000, 6000, "a"), _cue(2000, 3000, "b"))
    report = LossReport("x")
    lowered = lower(Document(cues=cues), Lowering(overlaps="cut"), report, options=None, supported={"comment"})
    assert [(index, c.start_ms, c.end_ms) for index, c in lowered.cues] == [(1, 1000, 2000), (2, 2000, 3000),
                                                                             (0, 5000, 9000)]
    assert [(loss.feature, loss.count, loss.first_cue) for loss in report] == [("overlap", 1, 1)]


def test_the_options_strict_flag_makes_the_report_strict() -> None:
    report = LossReport("srt")
    with pytest.raises(UnsupportedFeatureError, match="negative-time"):
        lower(Document(cues=CASES["negative"]), Lowering(), report, options=formats.BaseWriteOptions(strict=True),
              supported=set())
    assert report.strict


def test_lowering_keys_are_part_of_the_vocabulary() -> None:
    assert set(LOWERING_KEYS) <= set(LOSS_KEYS)
    assert all(key == key.lower() and " " not in key for key in LOSS_KEYS)
