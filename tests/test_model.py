"""The model's invariants and helpers."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from subkit.errors import FrozenModelError, ModelError, SubkitError, UnsupportedFeatureError
from subkit.model import (
    Color,
    Cue,
    Document,
    LineBreak,
    LossReport,
    Placement,
    Raw,
    Run,
    RunStyle,
    Style,
    Word,
    content_from_text,
)


def test_cue_rejects_end_before_start() -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        Cue(start_ms=10, end_ms=5)


def test_cue_requires_int_times() -> None:
    with pytest.raises(ValueError, match="int milliseconds"):
        Cue(start_ms=1.5, end_ms=2)  # type: ignore[arg-type]


def test_cue_is_frozen_and_keyword_only() -> None:
    cue = Cue(start_ms=0, end_ms=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        cue.start_ms = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        Cue(0, 1)  # type: ignore[call-arg]


def test_run_refuses_newlines() -> None:
    with pytest.raises(ValueError, match="LineBreak"):
        Run("a\nb")


def test_content_from_text_and_plain_text_round_trip() -> None:
    content = content_from_text("one\n\ntwo")
    cue = Cue(start_ms=0, end_ms=1, content=content)
    assert cue.plain_text() == "one\n\ntwo"
    assert [len(line) for line in cue.lines()] == [1, 0, 1]


def test_plain_text_skips_raw_markup() -> None:
    cue = Cue(start_ms=0, end_ms=1, content=(Raw("ass", "{\\blur3}"), Run("x"), LineBreak(), Run("y")))
    assert cue.plain_text() == "x\ny"


def test_words_align_checks_concatenation() -> None:
    words = (Word(text="a ", start_ms=0, end_ms=5), Word(text="b", start_ms=5, end_ms=10))
    assert Cue(start_ms=0, end_ms=10, content=(Run("a b"),), words=words).words_align()
    assert not Cue(start_ms=0, end_ms=10, content=(Run("a c"),), words=words).words_align()


def test_word_invariants() -> None:
    with pytest.raises(ValueError):
        Word(text="x", start_ms=5, end_ms=4)
    with pytest.raises(ValueError):
        Word(text="x", start_ms=0, end_ms=4, confidence=1.5)


@pytest.mark.parametrize(
    "kwargs",
    [{"align": 0}, {"align": 10}, {"x": 1.0}, {"size": 101.0}, {"position": -1.0}],
)
def test_placement_invariants(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Placement(**kwargs)  # type: ignore[arg-type]


def test_color_hex_round_trip_and_validation() -> None:
    assert Color.from_hex("#10203040") == Color(r=16, g=32, b=48, a=64)
    assert Color(r=1, g=2, b=3).to_hex() == "#010203"
    assert Color(r=1, g=2, b=3, a=4).to_hex() == "#01020304"
    with pytest.raises(ValueError):
        Color.from_hex("#12345")
    with pytest.raises(ValueError):
        Color(r=256, g=0, b=0)


def test_document_checks_style_and_region_keys() -> None:
    with pytest.raises(ValueError):
        Document(styles={"A": Style(name="B")})


def test_document_helpers_do_not_mutate() -> None:
    cues = (Cue(start_ms=5, end_ms=6), Cue(start_ms=1, end_ms=9))
    doc = Document(cues=cues)
    ordered = doc.sorted()
    assert [c.start_ms for c in ordered] == [1, 5]
    assert doc.cues == cues
    assert doc.duration_ms == 9
    assert len(doc) == 2 and doc[0] is cues[0]
    assert list(doc.with_cues(cues[:1])) == [cues[0]]


def test_run_style_merged_and_plain() -> None:
    assert RunStyle().is_plain()
    assert RunStyle().merged(italic=True).italic is True


def test_loss_report_merges_and_strict_raises() -> None:
    report = LossReport("srt")
    report.add("ruby", "dropped", cue=3)
    report.add("ruby", "dropped", cue=5)
    assert len(report) == 1
    (loss,) = report.losses
    assert (loss.count, loss.first_cue) == (2, 3)
    assert "ruby" in report.summary()
    with pytest.raises(UnsupportedFeatureError) as info:
        LossReport("srt", strict=True).add("ruby", "dropped", cue=0)
    assert info.value.feature == "ruby"


def test_model_errors_are_subkit_errors_and_value_errors() -> None:
    with pytest.raises(ModelError) as info:
        Cue(start_ms=10, end_ms=5)
    assert isinstance(info.value, SubkitError)
    assert isinstance(info.value, ValueError)
    for build in (
        lambda: Word(text="a", start_ms=2, end_ms=1),
        lambda: Run("a\nb"),
        lambda: Color(r=300, g=0, b=0),
        lambda: Placement(align=0),
        lambda: Style(name=""),
    ):
        with pytest.raises(ModelError):
            build()


@pytest.mark.parametrize("name", ["text", "start_ms", "anything"])
def test_assignment_says_the_model_is_immutable(name: str) -> None:
    cue = Cue(start_ms=0, end_ms=1, content=content_from_text("a"))
    with pytest.raises(FrozenModelError, match=r"immutable.*replace"):
        setattr(cue, name, "x")
    with pytest.raises(AttributeError):
        delattr(cue, "start_ms")
    assert cue.text == "a"


def test_mapping_fields_keep_a_frozen_copy() -> None:
    extra: dict[str, str] = {}
    cue = Cue(start_ms=0, end_ms=1, extra=extra)
    extra["ass.x"] = "1"
    assert dict(cue.extra) == {}
    assert hash(cue) == hash(Cue(start_ms=0, end_ms=1))
    styles = {"S": Style(name="S", extra={"k": "v"})}
    doc = Document(styles=styles, header={"webvtt.x": "y"})
    styles.clear()
    assert list(doc.styles) == ["S"]
    hash(doc.styles)
    hash(doc.header)
    with pytest.raises(ModelError, match="mapping"):
        Cue(start_ms=0, end_ms=1, extra=["not", "a", "mapping"])  # type: ignore[arg-type]


def test_cue_replace_text_builds_content_and_drops_words() -> None:
    cue = Cue(
        start_ms=0,
        end_ms=1000,
        content=content_from_text("a b"),
        words=(Word(text="a ", start_ms=0, end_ms=500), Word(text="b", start_ms=500, end_ms=1000)),
    )
    changed = cue.replace(text="one\ntwo")
    assert changed.content == content_from_text("one\ntwo")
    assert changed.words == ()
    assert cue.text == "a b"
    with pytest.raises(ModelError):
        cue.replace(text="x", content=())
    with pytest.raises(ModelError):
        cue.replace(nonsense=1)


@given(st.text(alphabet=st.sampled_from("ab \n\u3000é"), max_size=12))
def test_a_cue_storing_plain_text_is_the_cue_of_its_runs(text: str) -> None:
    """Readers store plain text as it is; nothing outside the model can tell it from the runs it stands for."""
    import copy
    import pickle

    from subkit.model import _stored_content, _trusted_cue, _trusted_plain_cue

    stored = _trusted_plain_cue(0, 1000, text) if text else _trusted_cue(0, 1000, ())
    built = Cue(start_ms=0, end_ms=1000, content=content_from_text(text))
    assert stored == built and hash(stored) == hash(built)
    assert stored.content == built.content and type(stored.content) is tuple
    assert stored.plain_text() == built.plain_text() == text
    assert pickle.loads(pickle.dumps(stored)) == built
    assert copy.deepcopy(stored) == built
    assert stored.replace(end_ms=2000) == built.replace(end_ms=2000)
    assert repr(stored) == repr(built)
    assert _stored_content(stored) == (text or ())


def test_the_public_constructor_still_wants_a_tuple_of_content() -> None:
    with pytest.raises(ModelError, match="tuple"):
        Cue(start_ms=0, end_ms=1, content="plain")  # type: ignore[arg-type]
