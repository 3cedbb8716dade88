"""The short paths of the line-format readers give what their full readers give.

MPL2 and MicroDVD read regular files on a short path, TMPlayer and SubViewer
read canonical time fields through cached halves, and MicroDVD and SubViewer
build cue text through a parse plan per markup sequence. Each is checked here
against the path it shortens: on the files the writers make of generated cues,
on the fixtures, and on generated lines and markup.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import subkit
from subkit.formats import microdvd, mpl2, subviewer
from subkit.formats._markup_plans import MarkupPlans
from subkit.model import PLAIN, ContentItem, Cue, LineBreak, Run, RunStyle

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

_WORDS = ("I", "you", "we", "the", "a", "and", "but", "so", "now", "never", "here", "café", "naïve", "déjà", "|", "/",
          "{", "}", "<", ">")
_STYLES = (PLAIN, PLAIN, PLAIN, RunStyle(italic=True), RunStyle(bold=True), RunStyle(italic=True, bold=True))


@pytest.fixture(scope="module")
def generated() -> subkit.Document:
    """400 cues in time order: one or two lines, some italic or bold, a few odd characters."""
    rng = random.Random(11)
    cues = []
    start = 0
    for _ in range(400):
        start += rng.randint(0, 1500)
        content: list[ContentItem] = []
        for line in range(rng.choice((1, 1, 2))):
            if line:
                content.append(LineBreak())
            content.append(Run(" ".join(rng.choices(_WORDS, k=rng.randint(1, 7))), rng.choice(_STYLES)))
        cues.append(Cue(start_ms=start, end_ms=start + rng.randint(500, 4000), content=tuple(content)))
    return subkit.Document(cues=tuple(cues))


def _text(data: str | bytes) -> str:
    assert isinstance(data, str)
    return data


def _files(name: str, pattern: str, doc: subkit.Document) -> list[str]:
    """The fixtures, what the writer makes of each, and the writer's file of generated cues."""
    texts = [path.read_text(encoding="utf-8").replace("\r\n", "\n") for path in sorted(FIXTURES.glob(pattern))]
    rewritten = [_text(subkit.dumps(subkit.loads(text, format=name), name)) for text in texts]
    return [*texts, *rewritten, _text(subkit.dumps(doc, name))]


@pytest.mark.filterwarnings("ignore::subkit.LossyConversionWarning")
def test_mpl2_regular_path_matches_the_full_reader(generated: subkit.Document) -> None:
    checked = 0
    for data in _files("mpl2", "mpl2/*.txt", generated):
        regular = mpl2._read_regular(data)
        if regular is not None:
            checked += 1
            assert regular == mpl2._read_lenient(data, mpl2.ReadOptions())
    assert checked >= 2


@pytest.mark.filterwarnings("ignore::subkit.LossyConversionWarning")
def test_microdvd_regular_path_matches_the_full_reader(generated: subkit.Document) -> None:
    checked = 0
    for data in _files("microdvd", "microdvd/*.sub", generated):
        regular = microdvd._read_regular(data, None, microdvd.ReadOptions())
        if regular is not None:
            checked += 1
            assert regular == microdvd._read_lenient(data, None, microdvd.ReadOptions())
    assert checked >= 2


@pytest.mark.filterwarnings("ignore::subkit.LossyConversionWarning")
def test_tmplayer_cached_times_match_the_line_pattern(generated: subkit.Document) -> None:
    data = _text(subkit.dumps(generated, "tmplayer"))
    # A leading blank sends every line through the line pattern; the reader accepts it silently.
    padded = "\n".join(" " + line if line else line for line in data.split("\n"))
    assert subkit.loads(data, format="tmplayer") == subkit.loads(padded, format="tmplayer")


_CLOCK_FIELD = st.integers(0, 99).map(lambda n: f"{n:02d}")


@given(st.lists(st.tuples(_CLOCK_FIELD, _CLOCK_FIELD, _CLOCK_FIELD, _CLOCK_FIELD), min_size=2, max_size=2))
def test_subviewer_cached_timing_lines_match_the_pattern(fields: list[tuple[str, str, str, str]]) -> None:
    line = ",".join(f"{h}:{m}:{s}.{cs}" for h, m, s, cs in fields)
    cached = subviewer._timing_ms(line)
    match = subviewer._TIMING.match(line)
    assert match is not None
    groups = match.groups()
    start = subkit.timing.clock_ms(groups[1], groups[2], groups[3], groups[4], groups[0])
    exact = (start, subkit.timing.clock_ms(groups[6], groups[7], groups[8], groups[9], groups[5]))
    # The cache takes only minutes and seconds up to 59; the rest goes the long way, to the same value.
    if all(int(m) < 60 and int(s) < 60 for _h, m, s, _cs in fields):
        assert cached == exact
    else:
        assert cached is None


_MICRODVD_PIECES = st.sampled_from(
    ["", "a", "Hello there", "/x", "/", " ", "{", "}", "{y:i}", "{Y:b}", "{y:ib}", "{y:q}", "{c:$0000FF}",
     "{C:$00FF00}", "{f:Arial}", "{s:20}", "{s:x}", "{P:0}", "{P:1}", "{o:1,2}", "{H:UTF-8}", "{x:1}", "|", "||",
     "{y:i|}", "\U000f0001"]
)
_SUBVIEWER_PIECES = st.sampled_from(
    ["", "a", "Hello there", "/x", "<i>", "</i>", "<b>", "</b>", "<u>", "<s>", "</s>", "<font color=red>",
     '<font color="#00ff00" face="Arial">', "<font size=x>", "</font>", "[br]", "[BR]", "<br>", "<ruby>",
     "{\\an8}", "<", ">", "[", "]", "< i>", "<i >", "\U000f0002"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_MICRODVD_PIECES, max_size=8).map("".join))
def test_microdvd_plans_match_the_markup_parser(text: str) -> None:
    plans = MarkupPlans(microdvd._TOKEN, microdvd._markup)
    assert plans(text) == microdvd._markup(text)
    assert plans(text) == microdvd._markup(text)  # from the stored plan


@settings(max_examples=300, deadline=None)
@given(st.lists(_SUBVIEWER_PIECES, max_size=8).map("".join))
def test_subviewer_plans_match_the_markup_parser(text: str) -> None:
    plans = MarkupPlans(subviewer._TOKEN, subviewer._markup_line)
    assert plans(text) == subviewer._markup_line(text)
    assert plans(text) == subviewer._markup_line(text)


def test_plans_are_shared_by_texts_of_one_shape() -> None:
    calls: list[str] = []

    def parse(text: str) -> tuple[tuple[ContentItem, ...], None]:
        calls.append(text)
        return microdvd._markup(text)[0], None

    plans = MarkupPlans(re.compile(r"(\{[a-zA-Z]:[^{}|]*\}|\|)"), parse)
    first = plans("{y:i}Hello|world")
    second = plans("{y:i}Other text|here")
    assert len(calls) == 1
    assert second == (microdvd._markup("{y:i}Other text|here")[0], None)
    assert first != second


@pytest.mark.filterwarnings("ignore::subkit.LossyConversionWarning")
def test_subviewer_regular_blocks_match_the_line_reader(generated: subkit.Document) -> None:
    for data in _files("subviewer", "subviewer/*.sub", generated):
        # A blank line holding a space is no regular block's end: every block goes line by line, silently.
        spaced = "\n".join(line or " " for line in data.split("\n"))
        assert subkit.loads(data, format="subviewer") == subkit.loads(spaced, format="subviewer")
