"""Conversions between formats: word timings survive, losses are reported, parallel corpus files agree."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import subkit
from subkit.errors import UnsupportedFeatureError
from subkit.model import Cue, Document, Run, RunStyle, Word

from .conftest import CORPUS
from .strategies import SAFE_ALPHABET, cue_times, timed_words, words_text


def _quiet_dumps(doc: Document, fmt: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", subkit.LossyConversionWarning)
        data = subkit.dumps(doc, fmt)
    assert isinstance(data, str)
    return data


@st.composite
def word_timed_documents(draw: st.DrawFn) -> Document:
    """Documents whose cues carry contiguous words on a 10 ms grid (what ASS can hold)."""
    cues = []
    for _ in range(draw(st.integers(1, 4))):
        start, end = draw(cue_times(step=10, max_ms=9 * 3600 * 1000))
        end = max(end, start + 10 * 8)
        # Two words at least, each lasting: one word covering the whole cue, or a word of no duration,
        # carries no timing a conforming WebVTT file can write.
        alphabet = SAFE_ALPHABET.replace("'", "").replace(" ", "")
        text = " ".join(draw(st.lists(words_text(alphabet=alphabet, max_size=8), min_size=2, max_size=6)))
        words = draw(timed_words(text, start, end, step=10, distinct=True))
        cues.append(Cue(start_ms=start, end_ms=end, content=(Run(text),), words=words))
    return Document(cues=tuple(cues))


def _word_times(doc: Document) -> list[list[tuple[str, int, int]]]:
    return [[(w.text, w.start_ms, w.end_ms) for w in cue.words] for cue in doc.cues]


@settings(max_examples=60)
@given(word_timed_documents())
def test_word_times_survive_ass_to_webvtt_and_back(doc: Document) -> None:
    ass = subkit.loads(_quiet_dumps(doc, "ass"), format="ass")
    assert _word_times(ass) == _word_times(doc)
    vtt = subkit.loads(_quiet_dumps(ass, "webvtt"), format="webvtt")
    assert _word_times(vtt) == _word_times(doc)
    back = subkit.loads(_quiet_dumps(vtt, "ass"), format="ass")
    assert _word_times(back) == _word_times(doc)


def test_karaoke_tags_become_inner_timestamps_and_come_back() -> None:
    ass = (
        "[Script Info]\nScriptType: v4.00+\n\n[Events]\n"
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        "Dialogue: 0,0:00:01.00,0:00:03.00,Default,,0,0,0,,{\\k50}Sing {\\k50}with {\\k100}me\n"
    )
    doc = subkit.loads(ass, format="ass")
    vtt = _quiet_dumps(doc, "webvtt")
    assert "Sing <00:00:01.500>with <00:00:02.000>me" in vtt
    back = subkit.loads(_quiet_dumps(subkit.loads(vtt, format="webvtt"), "ass"), format="ass")
    assert _word_times(back) == _word_times(doc)
    assert "{\\k50}Sing {\\k50}with {\\k100}me" in _quiet_dumps(back, "ass")


@pytest.mark.parametrize(
    ("cue", "target", "feature"),
    [
        (Cue(start_ms=0, end_ms=10, content=(Run("a", RunStyle(ruby="r")),)), "srt", "ruby"),
        (Cue(start_ms=0, end_ms=10, content=(Run("a", RunStyle(ruby="r")),)), "ass", "ruby"),
        (Cue(start_ms=0, end_ms=10, content=(Run("a"),), words=(Word(text="a", start_ms=0, end_ms=10),)), "srt",
         "word-timing"),
        (Cue(start_ms=0, end_ms=10, content=(Run("a", RunStyle(strike=True)),)), "webvtt", "strike"),
        (Cue(start_ms=0, end_ms=10, content=(Run("a"),), speaker="Ann"), "srt", "speaker"),
    ],
)
def test_cross_format_losses_warn_and_strict_refuses(cue: Cue, target: str, feature: str) -> None:
    doc = Document(cues=(cue,))
    with pytest.warns(subkit.LossyConversionWarning, match=feature):
        subkit.dumps(doc, target)
    assert feature in {loss.feature for loss in subkit.render(doc, target).losses}
    with pytest.raises(UnsupportedFeatureError) as info:
        subkit.dumps(doc, target, strict=True)
    assert info.value.feature == feature


#: Files of the corpus that carry the same captions in two formats.
PARALLEL = [
    ("pycaption/examples/example.srt", "pycaption/examples/example.vtt"),
    ("scf/misc/ci/test_pipeline_3/1_SRT.srt", "scf/misc/ci/test_pipeline_1/6_WebVTT.vtt"),
    ("subtitleedit/tests/seconv/Fixtures/test.srt", "subtitleedit/tests/seconv/Fixtures/test.ass"),
    ("subtitleedit/tests/seconv/Fixtures/test.srt", "subtitleedit/tests/seconv/Fixtures/test.vtt"),
    ("whisper-timestamped/tests/expected/punctuations_yes/punctuations.mp3.words.srt",
     "whisper-timestamped/tests/expected/punctuations_yes/punctuations.mp3.words.vtt"),
]


@pytest.mark.parametrize(("left", "right"), PARALLEL)
def test_parallel_corpus_files_give_the_same_cues(left: str, right: str) -> None:
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not available")
    a = [c for c in subkit.load(CORPUS / left) if not c.comment]
    b = [c for c in subkit.load(CORPUS / right) if not c.comment]
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert (x.start_ms, x.end_ms) == (y.start_ms, y.end_ms)
        assert x.plain_text() == y.plain_text()


@pytest.mark.parametrize(("left", "right"), PARALLEL)
def test_converting_one_gives_the_other(left: str, right: str) -> None:
    """Reading the SRT, writing the other format and reading that back equals reading the other file."""
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not available")
    target = subkit.load(CORPUS / right)
    converted = subkit.loads(_quiet_dumps(subkit.load(CORPUS / left), target.source_format or ""),
                             format=target.source_format)
    ours = [(c.start_ms, c.end_ms, c.plain_text()) for c in converted if not c.comment]
    theirs = [(c.start_ms, c.end_ms, c.plain_text()) for c in target if not c.comment]
    assert ours == theirs
