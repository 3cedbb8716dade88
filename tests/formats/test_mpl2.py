"""MPL2 reader and writer."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import subkit
from subkit.errors import ParseError
from subkit.model import Cue, Document, LineBreak, Run, RunStyle

from ..conftest import CORPUS
from ..strategies import SAFE_ALPHABET, words_text
from ._format_checks import golden_test, reader_robustness_test


def read(text: str, **options: Any) -> Document:
    return subkit.loads(text, format="mpl2", **options)


def test_deciseconds_pipes_and_slash_italics() -> None:
    doc = read("[10][25]Hello|/there\n[30][45]/All italic\n")
    assert [(c.start_ms, c.end_ms) for c in doc] == [(1000, 2500), (3000, 4500)]
    assert doc[0].content == (Run("Hello"), LineBreak(), Run("there", RunStyle(italic=True)))
    assert doc[1].content == (Run("All italic", RunStyle(italic=True)),)
    assert doc.diagnostics == ()
    assert subkit.dumps(doc, "mpl2") == "[10][25]Hello|/there\n[30][45]/All italic\n"


@pytest.mark.parametrize(
    ("line", "message", "start", "end"),
    [
        ("[ 10 ] [ 20 ]x", "spaces inside", 1000, 2000),
        ("[20][10]x", "ends before it starts", 2000, 2000),
        ("[-10][10]x", "negative time", -1000, 1000),
        ("[10][]x", "empty end time", 1000, 4000),
    ],
)
def test_leniencies(line: str, message: str, start: int, end: int) -> None:
    doc = read(f"[0][5]first\n{line}\n")
    assert (doc[1].start_ms, doc[1].end_ms) == (start, end)
    assert any(message in d.message for d in doc.diagnostics)
    with pytest.raises(ParseError) as info:
        read(f"[0][5]first\n{line}\n", strict=True)
    assert info.value.line == 2


def test_skipped_lines_and_failure() -> None:
    doc = read("[0][5]a\nnot a cue\n")
    assert len(doc) == 1 and doc.diagnostics[0].line == 2 and doc.diagnostics[0].severity == "error"
    with pytest.raises(ParseError) as info:
        read("hello\n")
    assert info.value.line == 1


def test_writer_rounds_and_reports() -> None:
    doc = Document(cues=(Cue(start_ms=1049, end_ms=2050, content=(Run("a", RunStyle(italic=True)), Run("b"))),
                         Cue(start_ms=3000, end_ms=4000, content=(Run("c", RunStyle(bold=True)),))))
    result = subkit.render(doc, "mpl2")
    assert str(result.data) == "[10][21]ab\n[30][40]c\n"
    assert {loss.feature for loss in result.losses} == {"bold", "precision", "italic"}


def test_sniff_and_detection() -> None:
    from subkit.formats import mpl2

    assert mpl2.sniff("[1][2]x") and not mpl2.sniff("[00:01.00]x")
    assert subkit.loads("[10][20]x\n").source_format == "mpl2"


@st.composite
def mpl2_documents(draw: st.DrawFn) -> Document:
    cues = []
    for _ in range(draw(st.integers(0, 5))):
        start = draw(st.integers(0, 100_000)) * 100
        end = start + draw(st.integers(0, 100)) * 100
        content: list[Run | LineBreak] = []
        for number in range(draw(st.integers(1, 3))):
            if number:
                content.append(LineBreak())
            text = draw(words_text(SAFE_ALPHABET.replace("/", "")))
            content.append(Run(text, draw(st.sampled_from([RunStyle(), RunStyle(italic=True)]))))
        cues.append(Cue(start_ms=start, end_ms=end, content=tuple(content)))
    return Document(cues=tuple(cues))


@given(mpl2_documents())
def test_round_trip_property(doc: Document) -> None:
    again = subkit.loads(subkit.dumps(doc, "mpl2", strict=True), format="mpl2", strict=True)
    assert again.replace(source_format=None) == doc


test_golden = golden_test("mpl2")


def test_corpus_agrees_with_pysubs2() -> None:
    pysubs2 = pytest.importorskip("pysubs2")
    file = CORPUS / "gaupol/data/samples/mpl2.txt"
    if not file.is_file():
        pytest.skip("shared corpus not available")
    ours = [c for c in subkit.load(file, format="mpl2") if c.start_ms >= 0]
    theirs = pysubs2.SSAFile.from_string(file.read_text(encoding="utf-8"), format_="mpl2")
    theirs_kept = [e for e in theirs if e.start >= 0]
    assert [(c.start_ms, c.end_ms) for c in ours] == [(e.start, e.end) for e in theirs_kept]


test_reader_only_raises_parse_errors = reader_robustness_test("mpl2")
