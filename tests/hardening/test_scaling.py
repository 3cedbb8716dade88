"""Every reader and writer takes time linear in its input: ten times the input, at most fifteen times the time.

Measured in-process on generated inputs with ``time.process_time`` (the best of
a few runs, so a loaded machine does not count), and only where the larger run
takes long enough to measure. Beside the general case (many ordinary cues, one
huge cue), the inputs that once took quadratic time are kept here: a line of
spaces in SRT, thousands of unknown tags in a WebVTT cue, an element with a
hundred thousand attributes in TTML, bad characters in an MCC payload.
"""

from __future__ import annotations

import gc
import time
import warnings
from collections.abc import Callable

import pytest

import subkit
from subkit.formats._registry import FORMATS
from subkit.model import Cue, Document, content_from_text

#: The allowed growth of the time for ten times the input.
MAX_RATIO = 15
#: Below this (seconds, the larger run) timings are noise: the check passes.
FLOOR = 0.03
#: Formats slow enough per cue that fewer cues are used.
HEAVY = {"mcc": 40, "scc": 100, "rev_json": 100, "ebu_stl": 150, "cheetah_cap": 150, "sami": 150}


def _best(run: Callable[[], object], repeat: int = 3) -> float:
    """The shortest CPU time of ``repeat`` runs, with the cyclic garbage collector held off.

    A collection pass costs time in the number of live objects, whatever the
    code under test does: it would make every larger run look superlinear.
    """
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            began = time.process_time()
            run()
            best = min(best, time.process_time() - began)
        finally:
            gc.enable()
    return best


def _assert_linear(small: Callable[[], object], large: Callable[[], object], what: str) -> None:
    """Ten calls on the small input against one on the large: the same amount of input, timed over a like span.

    One call on the small input may take a millisecond, where timer and
    scheduler noise alone can double a measurement; ten calls in a row last
    as long as the large call. A failing ratio is measured again (up to three
    times) before the test fails: another process may have had the core.
    """
    ratio = small_time = large_time = 0.0
    for _ in range(3):
        small_time = _best(lambda: [small() for _ in range(10)]) / 10
        large_time = _best(large)
        if large_time < FLOOR:
            return
        ratio = large_time / max(small_time, FLOOR / MAX_RATIO)
        if ratio <= MAX_RATIO:
            return
    raise AssertionError(f"{what}: x10 input took x{ratio:.1f} time ({small_time:.4f} s -> {large_time:.4f} s)")


def _cues(count: int) -> Document:
    return Document(cues=tuple(
        Cue(start_ms=i * 2000, end_ms=i * 2000 + 1500, content=content_from_text(f"Line {i} with words\nsecond"))
        for i in range(count)
    ))


def _huge(size: int) -> Document:
    text = "\n".join(["word " * 6] * (size // 30))
    return Document(cues=(Cue(start_ms=1000, end_ms=5000, content=content_from_text(text)),))


def _render(doc: Document, fmt: str) -> str | bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return subkit.render(doc, fmt).data


WRITERS = [spec.name for spec in FORMATS if spec.can_write]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", WRITERS)
def test_writer_and_reader_are_linear_in_cues(fmt: str) -> None:
    count = HEAVY.get(fmt, 300)
    small, large = _cues(count), _cues(count * 10)
    _assert_linear(lambda: _render(small, fmt), lambda: _render(large, fmt), f"{fmt} writer")
    small_data, large_data = _render(small, fmt), _render(large, fmt)
    _assert_linear(lambda: subkit.loads(small_data, format=fmt), lambda: subkit.loads(large_data, format=fmt),
                   f"{fmt} reader")


@pytest.mark.slow
@pytest.mark.parametrize("fmt", WRITERS)
def test_writer_and_reader_are_linear_in_cue_size(fmt: str) -> None:
    size = 3_000 if fmt == "rev_json" else 30_000  # Rev JSON writes ~40 bytes per word: keep it small
    small, large = _huge(size), _huge(size * 10)
    _assert_linear(lambda: _render(small, fmt), lambda: _render(large, fmt), f"{fmt} writer, one huge cue")
    small_data, large_data = _render(small, fmt), _render(large, fmt)
    _assert_linear(lambda: subkit.loads(small_data, format=fmt), lambda: subkit.loads(large_data, format=fmt),
                   f"{fmt} reader, one huge cue")


def _read(fmt: str, data: str) -> Callable[[], object]:
    def run() -> object:
        try:
            return subkit.loads(data, format=fmt)
        except subkit.ParseError:
            return None

    return run


def _mcc_with_bad_payload(size: int) -> str:
    doc = Document(cues=(Cue(start_ms=1000, end_ms=2000, content=content_from_text("hi")),))
    lines = str(_render(doc, "mcc")).split("\n")
    index = next(i for i, line in enumerate(lines) if line[:2].isdigit() and "\t" in line)
    timecode, payload = lines[index].split("\t")
    lines[index] = f"{timecode}\t{payload[:10]}{'$ ' * size}{payload[10:]}"
    return "\n".join(lines)


#: (format, input of a given size) for the inputs that were quadratic.
PATHOLOGICAL: dict[str, tuple[str, Callable[[int], str]]] = {
    "srt-spaces": ("srt", lambda n: "1\n" + " " * n + "x\n"),
    "srt-spaces-timing": ("srt", lambda n: "1\n00:00:01,000" + " " * n + "-->\nx\n"),
    "webvtt-unknown-tags": ("webvtt", lambda n: "WEBVTT\n\n00:00.000 --> 00:01.000\n" + "<zz>a</zz>" * (n // 10)),
    "webvtt-bad-timestamps": ("webvtt", lambda n: "WEBVTT\n\n00:00.000 --> 00:01.000\n" + "<00:0x>a" * (n // 8)),
    "ttml-attributes": ("ttml", lambda n: '<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="0s" end="1s" '
                        + " ".join(f'a{i}="1"' for i in range(n // 8)) + ">x</p></div></body></tt>"),
    "mcc-bad-payload": ("mcc", lambda n: _mcc_with_bad_payload(n // 2)),
}


@pytest.mark.parametrize("case", sorted(PATHOLOGICAL))
def test_inputs_that_were_quadratic_read_in_linear_time(case: str) -> None:
    fmt, make = PATHOLOGICAL[case]
    small, large = make(20_000), make(200_000)
    _assert_linear(_read(fmt, small), _read(fmt, large), case)


@pytest.mark.parametrize("fmt", ["scc", "mcc", "ebu_stl", "cheetah_cap", "rev_json"])
def test_one_long_line_writes_in_linear_time(fmt: str) -> None:
    def doc(size: int) -> Document:
        return Document(cues=(Cue(start_ms=1000, end_ms=5000, content=content_from_text("word " * (size // 5))),))

    size = 10_000 if fmt == "rev_json" else 40_000  # Rev JSON writes ~40 bytes per word: keep it small
    small, large = doc(size), doc(size * 10)
    _assert_linear(lambda: _render(small, fmt), lambda: _render(large, fmt), f"{fmt} writer, one long line")


def test_mcc_output_is_bounded_by_the_cues_not_their_span() -> None:
    doc = Document(cues=(
        Cue(start_ms=1000, end_ms=2000, content=content_from_text("first")),
        Cue(start_ms=99 * 3_600_000, end_ms=99 * 3_600_000 + 1000, content=content_from_text("last")),
    ))
    began = time.process_time()
    data = str(_render(doc, "mcc"))
    assert time.process_time() - began < 10
    assert data.count("\n") < 10_000
    back = subkit.loads(data, format="mcc")
    assert [c.plain_text() for c in back.cues] == ["first", "last"]
