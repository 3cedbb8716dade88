"""Every writer's output reads back through its own reader, whatever the times and texts.

Documents with extreme times (0, 99:59:59.999, past 100 hours, near the
model's limit), empty and zero-length cues, long lines and huge cues are
written to every format and read back leniently by the same format's reader.
The reader must accept the output, and when the writer reported no loss the
cues must all come back, at their times (within the format's precision).
What a format cannot write must be reported as a loss (or refused in strict
mode), never silently garbled.
"""

from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import subkit
from subkit.errors import SubkitError, UnsupportedFeatureError
from subkit.formats._registry import FORMATS
from subkit.model import Cue, Document, content_from_text

HOUR = 3_600_000

#: Times that sit on the formats' edges.
EDGE_TIMES = [0, 1, 999, 59_999, 99 * HOUR + 59 * 60_000 + 59_999, 100 * HOUR, 100 * HOUR + 1,
              9_999 * HOUR, 277_777 * HOUR, 999_999_999_000]  # fmt: skip

#: Texts: empty, one word, a long line, a huge cue of many lines.
TEXTS = ["", "a", "Hello there", "w " * 2000, "\n".join(["abc def"] * 300), "x" * 5000]

#: Formats whose reader skips a cue without text by design (an empty ``<p>`` presents nothing in TTML);
#: their writers write it, so it is not a loss of theirs.
#: (mp4_stpp carries TTML documents, and itt is TTML, read by the same reader.)
EMPTY_SKIPPED_ON_READ = frozenset({"ttml", "dfxp", "ebu_tt_d", "mp4_stpp", "itt"})

WRITERS = [spec.name for spec in FORMATS if spec.can_write and spec.can_read]

times = st.sampled_from(EDGE_TIMES) | st.integers(0, 200 * HOUR)


@st.composite
def cues(draw: st.DrawFn) -> Cue:
    start = draw(times)
    end = draw(st.sampled_from([start, start + 1, start + 1000]) | times.filter(lambda t: t >= start))
    return Cue(start_ms=start, end_ms=end, content=content_from_text(draw(st.sampled_from(TEXTS))))


documents = st.lists(cues(), min_size=1, max_size=5).map(
    lambda items: Document(cues=tuple(sorted(items, key=lambda c: (c.start_ms, c.end_ms))))
)


def _check(fmt: str, doc: Document) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            strict = subkit.render(doc, fmt, strict=True)
        except UnsupportedFeatureError:
            strict = None
        result = subkit.render(doc, fmt)
    if strict is not None:
        assert not result.losses, f"strict accepted what lenient reports lost: {result.losses}"
    try:
        back = subkit.loads(result.data, format=fmt)
    except SubkitError as exc:
        pytest.fail(f"{fmt} cannot read its own output ({exc}); losses reported: {result.losses}")
    if result.losses:
        return
    expected = [c for c in doc.cues if c.plain_text().strip() or fmt not in EMPTY_SKIPPED_ON_READ]
    assert len(back.cues) == len(expected), f"cues vanished without a reported loss: {len(expected)} -> " \
                                            f"{len(back.cues)}"
    # Frame-based formats round to a frame (at most 1/23.976 s, 42 ms, half of it each way); a cue shorter
    # than a frame gets one frame after its rounded start: 1.5 frames, 63 ms, in all.
    # Starts and ends are compared as sorted lists: cues at the same time may come back in another order.
    for want, got in ((sorted(c.start_ms for c in expected), sorted(c.start_ms for c in back.cues)),
                      (sorted(c.end_ms for c in expected), sorted(c.end_ms for c in back.cues))):
        assert all(abs(a - b) <= 63 for a, b in zip(want, got, strict=True)), (want, got)

@pytest.mark.parametrize("fmt", WRITERS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(doc=documents)
def test_writer_output_reads_back(fmt: str, doc: Document) -> None:
    _check(fmt, doc)


@pytest.mark.parametrize("fmt", WRITERS)
@pytest.mark.parametrize(
    "case",
    [
        [(0, 0, "a")],
        [(99 * HOUR + 59 * 60_000 + 58_999, 99 * HOUR + 59 * 60_000 + 59_999, "end")],
        [(100 * HOUR, 100 * HOUR + 1000, "a"), (1_000_000_000, 1_000_001_000, "b")],
        [(999_999_999_000, 1_000_000_000_000, "x")],
        [(1000, 2000, ""), (3000, 4000, "b")],
        [(1000, 1000, "a"), (2000, 3000, "b")],
        [(1000, 2000, "w " * 5000)],
        [(1000, 2000, "\n".join(["abc def"] * 3000))],
    ],
    ids=["zero", "last-second-before-100h", "past-100h", "huge-time", "empty", "zero-length", "long-line", "huge"],
)
def test_writer_output_reads_back_on_edge_cases(fmt: str, case: list[tuple[int, int, str]]) -> None:
    _check(fmt, Document(cues=tuple(Cue(start_ms=s, end_ms=e, content=content_from_text(t)) for s, e, t in case)))


@pytest.mark.slow
def test_ebu_stl_past_99999_blocks_reports_the_cues_it_drops() -> None:
    doc = Document(cues=tuple(Cue(start_ms=i * 100, end_ms=i * 100 + 50, content=content_from_text("a"))
                              for i in range(100_005)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = subkit.render(doc, "ebu_stl")
        with pytest.raises(UnsupportedFeatureError):
            subkit.render(doc, "ebu_stl", strict=True)
    assert [(loss.feature, loss.count) for loss in result.losses] == [("cue-count", 6)]
    assert isinstance(result.data, bytes) and result.data[238:243] == b"99999"  # TNB
    back = subkit.loads(result.data, format="ebu_stl")
    assert len(back.cues) == 99_999 and not back.diagnostics
