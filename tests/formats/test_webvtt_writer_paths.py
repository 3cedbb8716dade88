"""The WebVTT writer's short path for usual cues writes what its general path (``cue_block``) writes.

``Writer.cue_pieces`` writes cues of plain lines or of runs sharing one style
itself and hands every other cue to ``cue_block``. These tests write the same
documents both ways (the reference sends every cue through ``cue_block``) and
compare the text and the loss reports, over generated documents (shared and
equal-but-distinct styles, text needing escapes, empty runs and lines, lossy
classes and colours, settings that lose something) and over the corpus.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import subkit
from subkit.formats import _vtt_write, webvtt
from subkit.model import (
    NOWHERE,
    PLAIN,
    Color,
    ContentItem,
    Cue,
    Document,
    LineBreak,
    LossReport,
    Note,
    Placement,
    Raw,
    Region,
    Run,
    RunStyle,
)

from ..conftest import CORPUS
from ..strategies import full_documents

_ITALIC = RunStyle(italic=True)
_STYLES = (
    PLAIN,
    RunStyle(),  # equal to PLAIN, another object
    _ITALIC,
    _ITALIC,
    RunStyle(bold=True, underline=True),
    RunStyle(color=Color(r=255, g=128, b=0)),  # a colour without a built-in class: a rule, or a loss
    RunStyle(classes=("ok", "bad name")),  # a class that cannot be written: a loss on every run
    RunStyle(voice="Ann", language="en"),
    RunStyle(ruby="rt"),
)
_PLACEMENTS = (
    NOWHERE,
    NOWHERE,
    Placement(line=-2.0, text_align="start"),
    Placement(position=30.0, position_align="line-left", size=50.0),
    Placement(align=8),
    Placement(region="top"),
    Placement(region="nowhere"),  # undefined: a loss
    Placement(line=150.0, snap_to_lines=False),  # clamped: a loss
    Placement(x=10.0, y=20.0, unit="px"),  # no canvas: a loss
)
_texts = st.text(alphabet="ab &<>\u00a0\u200e-", max_size=6)


@st.composite
def _contents(draw: st.DrawFn) -> tuple[ContentItem, ...]:
    items: list[ContentItem] = []
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            items.append(LineBreak())
        elif kind == 1:
            items.append(Raw(draw(st.sampled_from(["webvtt", "ass"])), "<x>"))
        else:
            items.append(Run(draw(_texts), draw(st.sampled_from(_STYLES))))
    return tuple(items)


@st.composite
def _documents(draw: st.DrawFn) -> Document:
    cues = []
    for number in range(draw(st.integers(0, 8))):
        start = draw(st.integers(-1000, 400_000_000))
        cues.append(Cue(
            start_ms=start,
            end_ms=start + draw(st.integers(0, 5000)),
            content=draw(_contents()),
            id=draw(st.none() | st.sampled_from(["", "7", "a-->b", "two\nlines"])),
            placement=draw(st.sampled_from(_PLACEMENTS)),
            speaker=draw(st.none() | st.just("Bo")),
            comment=draw(st.integers(0, 9)) == 0,
        ))
        del number
    # Cues again with other texts: the writer's caches (settings, tags, tag plans per style sequence) are reused.
    cues += [cue.replace(content=tuple(Run(item.text[::-1] + "x", item.style) if type(item) is Run else item
                                       for item in cue.content))
             for cue in cues[: draw(st.integers(0, len(cues)))]]
    notes = tuple(Note(text="n", before_cue=at) for at in draw(st.lists(st.integers(-1, 9), max_size=3)))
    return Document(cues=tuple(cues), notes=notes, regions={"top": Region(id="top", width=40.0)},
                    stylesheets=draw(st.sampled_from([(), ("::cue(.ok) { color: lime; }",)])))


def _every_cue_through_cue_block(self: _vtt_write.Writer, start: int, stop: int) -> Iterator[str]:
    for index in range(start, stop):
        cue = self.doc.cues[index]
        if not cue.comment:
            yield "\n\n" + self.cue_block(cue, index)


def _write(doc: Document, options: dict[str, Any]) -> tuple[str, list[tuple[str, str, int, int | None]]]:
    report = LossReport(webvtt.NAME)
    text = webvtt.write(doc, options=webvtt.WriteOptions(**options), report=report)
    return text, [(loss.feature, loss.message, loss.count, loss.first_cue) for loss in report]


_OPTIONS: tuple[dict[str, Any], ...] = (
    {}, {"short_times": True}, {"stylesheets": "inline"},
    {"stylesheets": "drop", "regions": "drop", "alignment": False},
)


def _check_both_ways(doc: Document) -> None:
    for options in _OPTIONS:
        fast = _write(doc, options)
        with mock.patch.object(_vtt_write.Writer, "cue_pieces", _every_cue_through_cue_block):
            general = _write(doc, options)
        assert fast == general, options


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents())
def test_short_path_writes_what_cue_block_writes(doc: Document) -> None:
    _check_both_ways(doc)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(full_documents())
def test_short_path_on_documents_using_every_field(doc: Document) -> None:
    _check_both_ways(doc)


@settings(max_examples=100, deadline=None)
@given(_documents())
def test_pieces_join_to_the_whole_text(doc: Document) -> None:
    options = webvtt.WriteOptions()
    whole = webvtt.write(doc, options=options, report=LossReport(webvtt.NAME))
    assert "".join(webvtt.write_pieces(doc, options=options, report=LossReport(webvtt.NAME))) == whole


def test_a_large_document_comes_in_several_pieces_of_whole_cues() -> None:
    cues = tuple(Cue(start_ms=i * 1000, end_ms=i * 1000 + 900, content=(Run(f"cue {i}"),)) for i in range(2000))
    pieces = list(webvtt.write_pieces(Document(cues=cues), options=webvtt.WriteOptions(),
                                      report=LossReport(webvtt.NAME)))
    assert len(pieces) > 3
    assert all(piece.startswith("\n\n") for piece in pieces[1:-1]) and pieces[-1] == "\n"


def _corpus_files() -> list[str]:
    index = CORPUS / "index.tsv"
    if not index.is_file():
        return []
    rows = [line.split("\t") for line in index.read_text(encoding="utf-8").splitlines()[1:]]
    return [row[0] for row in rows if len(row) > 1 and row[1].split(" ")[0] in ("webvtt", "srt", "ass")]


@pytest.mark.corpus
@pytest.mark.parametrize("path", _corpus_files()[::3] or ["(no corpus)"])
def test_short_path_over_the_corpus(path: str) -> None:
    file = CORPUS / path
    if not file.is_file():
        pytest.skip("corpus absent")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            doc = subkit.load(Path(file))
        except subkit.SubkitError:
            pytest.skip("not readable")
    _check_both_ways(doc)
