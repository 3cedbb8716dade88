"""Word timings survive every conversion between the formats that carry them.

ASS ``\\k`` tags, WebVTT inner timestamps, enhanced LRC, Whisper JSON and Rev
JSON all hold timed words. A document whose words any of them can express
(contiguous words of at least 10 ms on a 10 ms grid, two or more per cue, one
line per cue, caption-sized cues: a conforming WebVTT file gives every inner
timestamp a place strictly inside its cue, after the one before) goes
through each ordered pair of them and comes back with the same words.

To cover another format, add its identifier to :data:`WORD_TIMED`.
"""

from __future__ import annotations

import itertools
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import subkit
from subkit.model import Cue, Document, Run, Word

from .strategies import SAFE_ALPHABET, timed_words, words_text

#: Every format that reads and writes timed words.
WORD_TIMED = ["ass", "webvtt", "ttml", "dfxp", "ebu_tt_d", "lrc", "whisper_json", "rev_json"]

#: Formats that also keep each word's confidence.
WITH_CONFIDENCE = ["whisper_json", "rev_json", "ttml"]

PAIRS = list(itertools.permutations(WORD_TIMED, 2))

# No sentence ends (Rev cuts a cue after them) and no apostrophes (ASS and WebVTT keep them, but a
# lone "'" between spaces is an awkward word for every format).
_ALPHABET = SAFE_ALPHABET.replace(".", "").replace("!", "").replace("?", "").replace("'", "").replace(" ", "")


@st.composite
def word_timed_documents(draw: st.DrawFn, confidence: bool = False) -> Document:
    """Cues in time order, 2-6 contiguous words of 10 ms or more each, on a 10 ms grid, at most 6 s and 84
    characters."""
    cues: list[Cue] = []
    clock = draw(st.integers(0, 1000)) * 10
    for _ in range(draw(st.integers(1, 4))):
        start = clock + draw(st.integers(0, 300)) * 10
        end = start + draw(st.integers(8, 600)) * 10
        text = " ".join(draw(st.lists(words_text(alphabet=_ALPHABET, max_size=8), min_size=2, max_size=6)))
        words = draw(timed_words(text, start, end, step=10, distinct=True))
        if confidence:
            words = tuple(
                Word(text=w.text, start_ms=w.start_ms, end_ms=w.end_ms,
                     confidence=draw(st.integers(0, 1000)) / 1000)
                for w in words
            )
        cues.append(Cue(start_ms=start, end_ms=end, content=(Run(text),), words=words))
        clock = end
    return Document(cues=tuple(cues))


def _through(doc: Document, fmt: str) -> Document:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", subkit.LossyConversionWarning)
        text = subkit.dumps(doc, fmt)
    return subkit.loads(text, format=fmt, strict=True)


def _timed(doc: Document) -> list[tuple[int, int, str, list[tuple[str, int, int]]]]:
    return [
        (cue.start_ms, cue.end_ms, cue.plain_text(), [(w.text, w.start_ms, w.end_ms) for w in cue.words])
        for cue in doc.cues
    ]


@pytest.mark.parametrize(("first", "second"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
@settings(max_examples=12)
@given(doc=word_timed_documents())
def test_word_times_survive_each_pair(first: str, second: str, doc: Document) -> None:
    there = _through(doc, first)
    assert _timed(there) == _timed(doc)
    back = _through(there, second)
    assert _timed(back) == _timed(doc)


@pytest.mark.parametrize("fmt", WORD_TIMED)
@settings(max_examples=25)
@given(doc=word_timed_documents())
def test_word_times_survive_a_round_trip(fmt: str, doc: Document) -> None:
    assert _timed(_through(doc, fmt)) == _timed(doc)


@pytest.mark.parametrize(("first", "second"), list(itertools.permutations(WITH_CONFIDENCE, 2)))
@settings(max_examples=25)
@given(doc=word_timed_documents(confidence=True))
def test_confidences_survive_between_asr_formats(first: str, second: str, doc: Document) -> None:
    back = _through(_through(doc, first), second)
    assert [[w.confidence for w in cue.words] for cue in back.cues] == [
        [w.confidence for w in cue.words] for cue in doc.cues
    ]


@pytest.mark.parametrize("fmt", ["lrc", "webvtt"])
def test_formats_without_confidence_report_it(fmt: str) -> None:
    doc = Document(cues=(Cue(start_ms=0, end_ms=1000, content=(Run("a b"),), words=(
        Word(text="a ", start_ms=0, end_ms=500, confidence=0.5),
        Word(text="b", start_ms=500, end_ms=1000, confidence=0.9),
    )),))
    result = subkit.render(doc, fmt)
    assert "confidence" in {loss.feature for loss in result.losses}
    assert _timed(subkit.loads(str(result.data), format=fmt)) == _timed(doc)
