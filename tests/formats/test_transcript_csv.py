"""Timed CSV/TSV transcripts: reader and writer."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import subkit
from subkit import formats
from subkit.errors import ConfigError, ParseError
from subkit.model import Cue, Document, LineBreak, Run

from ..strategies import SAFE_ALPHABET, words_text
from ._format_checks import golden_test, reader_robustness_test


def read(text: str, **options: Any) -> Document:
    return subkit.loads(text, format="transcript_csv", **options)


def spans(doc: Document) -> list[tuple[int, int, str]]:
    return [(c.start_ms, c.end_ms, c.plain_text()) for c in doc]


def test_text_first_seconds_without_header() -> None:
    doc = read('"Dis-moi, est-ce vrai ?",0.38,2.76\r\nnext,3,4.5\r\n')
    assert spans(doc) == [(380, 2760, "Dis-moi, est-ce vrai ?"), (3000, 4500, "next")]
    assert doc.diagnostics == ()


def test_tsv_header_in_milliseconds() -> None:
    doc = read("start\tend\ttext\n380\t1100\tDis-moi,\n1280\t1500\test-ce\n")
    assert spans(doc) == [(380, 1100, "Dis-moi,"), (1280, 1500, "est-ce")]
    assert spans(read("start\tend\ttext\n1\t2\tx\n", unit="s")) == [(1000, 2000, "x")]


def test_timecodes_speakers_and_multiline_text() -> None:
    doc = read('Speaker,Start,End,Caption\nAnn,00:00:01:15,00:00:02.500,"a\n\nb"\n')
    assert spans(doc) == [(1500, 2500, "a\nb")]
    assert doc[0].speaker == "Ann"
    assert "blank lines" in doc.diagnostics[0].message
    assert read("00:00:01:12,00:00:02:00,x\n", fps=24)[0].start_ms == 1500


@pytest.mark.parametrize(
    ("row", "message"),
    [("1,x", "too few fields"), ("a,b,c", "do not read"), ("x,3,2", "ends before it starts")],
)
def test_leniencies_and_strict_lines(row: str, message: str) -> None:
    doc = read(f"ok,0,1\n{row}\n")
    assert any(message in d.message for d in doc.diagnostics)
    with pytest.raises(ParseError) as info:
        read(f"ok,0,1\n{row}\n", strict=True)
    assert info.value.line == 2


def test_nothing_readable_fails_and_bad_options() -> None:
    with pytest.raises(ParseError):
        read("start,end,text\nx,y,z\n")
    with pytest.raises(ConfigError):
        read("a,1,2\n", unit="minutes")
    with pytest.raises(ConfigError):
        subkit.dumps(Document(), "transcript_csv", delimiter=";")


def test_writer_shapes() -> None:
    doc = Document(cues=(Cue(start_ms=500, end_ms=2000, content=(Run("a, b"), LineBreak(), Run("c")),
                             speaker="Ann"),))
    assert subkit.dumps(doc, "transcript_csv") == 'start,end,speaker,text\n0.500,2.000,Ann,"a, b\nc"\n'
    tsv = subkit.dumps(doc, "transcript_csv", delimiter="\t", unit="ms", header=False)
    assert tsv == '500\t2000\tAnn\t"a, b\nc"\n'


def test_sniff() -> None:
    from subkit.formats import transcript_csv

    assert transcript_csv.sniff("start\tend\ttext\n1\t2\tx")
    assert transcript_csv.sniff('"Hello, you",0.5,1.0\r\n')
    assert not transcript_csv.sniff("00:00:01:00 , 00:00:02:00 , text")
    # Timecodes and a quoted (possibly multi-line) text field: CSV; the .csv name beats Spruce STL.
    quoted = '00:00:01:00,00:00:02:00,"Oh! Can I believe\nmy eyes!"\n'
    assert transcript_csv.sniff(quoted)
    assert formats.detect(quoted, "talk.csv").name == "transcript_csv"
    assert not transcript_csv.sniff("1\n00:00:01,000 --> 00:00:02,000\n")


@st.composite
def csv_documents(draw: st.DrawFn) -> Document:
    cues = []
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, 10_000_000))
        end = start + draw(st.integers(0, 20_000))
        lines = draw(st.lists(words_text(SAFE_ALPHABET + '";\t'), min_size=1, max_size=2))
        content: list[Run | LineBreak] = []
        for number, text in enumerate(lines):
            if number:
                content.append(LineBreak())
            content.append(Run(text))
        cues.append(Cue(start_ms=start, end_ms=end, content=tuple(content),
                        speaker=draw(st.none() | st.sampled_from(["Ann", "Bob"]))))
    return Document(cues=tuple(cues))


@given(csv_documents(), st.sampled_from([",", "\t"]), st.sampled_from(["s", "ms"]))
def test_round_trip_property(doc: Document, delimiter: str, unit: str) -> None:
    text = subkit.dumps(doc, "transcript_csv", strict=True, delimiter=delimiter, unit=unit)
    again = subkit.loads(text, format="transcript_csv", strict=True)
    assert again.replace(source_format=None) == doc


test_golden = golden_test("transcript_csv")


test_reader_only_raises_parse_errors = reader_robustness_test("transcript_csv")
