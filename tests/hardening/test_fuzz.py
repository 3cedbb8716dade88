"""Fuzzing the readers with mutated real files: only subkit errors, and never a hang.

Seeds are the project's own fixtures (always) and small files of the shared
corpus (when present). Hypothesis mutates them (truncations, flipped bytes,
inserted syntax tokens and long runs, deleted and repeated spans, splices of
two seeds) and every reader is called on the result as the forced format,
leniently and strictly, and through detection. Each call runs under a
real-time deadline (``SIGALRM``): a call that does not finish is a hang. A
reader's own crash, which the API reports as an "internal error" ParseError,
counts as an escape.

The default run is quick; ``CI=1`` (or ``SUBKIT_FUZZ_EXAMPLES=N``) runs more.
"""

from __future__ import annotations

import csv
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import subkit
from subkit.errors import SubkitError
from subkit.formats._registry import FORMATS
from tests.conftest import CORPUS

ROOT = Path(__file__).resolve().parents[2]
#: Examples per format and seed source.
EXAMPLES = int(os.environ.get("SUBKIT_FUZZ_EXAMPLES", "120" if os.environ.get("CI") else "12"))
#: Seconds one reader call may take on an input of a few KB before it counts as a hang.
CALL_DEADLINE = 10.0
#: Seeds larger than this are left out (mutations of small files reach the same code faster).
MAX_SEED = 16_384

#: Syntax pieces and runs that once took readers down quadratic paths.
TOKENS = [
    b"\n", b"\n\n", b"\r\n", b" ", b"-->", b" --> ", b":", b",", b".", b"<", b">", b"</", b"&", b";", b"{", b"}",
    b"\\", b"\x00", b"\xff", b"\xef\xbb\xbf", b"00:00:01,000", b"99:59:59.999", b"<i>", b"<zz>", b"<c.x>",
    b"<00:00:0x>", b"&amp;", b"WEBVTT\n\n", b"NOTE ", b"[Events]", b"Dialogue: ", b"<p begin=\"1s\">", b"\"",
    b" " * 4000, b"9" * 40, b"<b>" * 500, b"\t", b"T", b"ZZ", b"  ", b"$" * 500, b"\n" * 300,
]  # fmt: skip

READABLE = [spec.name for spec in FORMATS if spec.can_read]

#: index.tsv format label -> format identifier, as the corpus test reads it.
_CORPUS_LABELS = {"srt": "srt", "webvtt": "webvtt", "ass": "ass", "ssa": "ssa", "ttml": "ttml", "dfxp": "dfxp",
                  "sami": "sami", "sbv": "sbv", "subviewer": "subviewer", "spruce-stl": "spruce_stl",
                  "ebu-stl": "ebu_stl", "scc": "scc", "mcc": "mcc", "microdvd": "microdvd", "mpl2": "mpl2",
                  "tmplayer": "tmplayer", "lrc": "lrc", "whisper-json": "whisper_json", "rev-json": "rev_json",
                  "csv": "transcript_csv", "tsv": "transcript_csv"}  # fmt: skip


def _fixture_seeds() -> dict[str, list[bytes]]:
    seeds: dict[str, list[bytes]] = {}
    for name in READABLE:
        folder = ROOT / "fixtures" / name
        files = sorted(p for p in folder.rglob("*") if p.is_file() and p.stat().st_size <= MAX_SEED) \
            if folder.is_dir() else []
        seeds[name] = [p.read_bytes() for p in files[:6]]
    return seeds


def _corpus_seeds() -> dict[str, list[bytes]]:
    index = CORPUS / "index.tsv"
    seeds: dict[str, list[bytes]] = {}
    if not index.is_file():
        return seeds
    with index.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            name = _CORPUS_LABELS.get(row["format"].split(" (")[0].strip())
            path = CORPUS / row["path"]
            if name is None or row["path"].startswith("vtt.js/") or not path.is_file():
                continue
            if path.stat().st_size <= MAX_SEED and len(seeds.setdefault(name, [])) < 8:
                seeds[name].append(path.read_bytes())
    return seeds


FIXTURE_SEEDS = _fixture_seeds()


class _HangError(Exception):
    pass


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise _HangError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "repeat", "splice"]))
        if kind == "truncate":
            del data[at:]
        elif kind == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(TOKENS)) * draw(st.sampled_from([1, 1, 2, 50]))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 200))]
        elif kind == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 400))] * draw(st.integers(2, 20))
        elif kind == "splice":
            other = draw(st.sampled_from(seeds))
            data = data[:at] + other[draw(st.integers(0, len(other))) :]
    return bytes(data)


def _read_everywhere(fmt: str, data: bytes) -> None:
    for format_name, strict in ((fmt, False), (fmt, True), (None, False)):
        try:
            with _deadline(CALL_DEADLINE):
                subkit.loads(data, format=format_name, strict=strict)
        except SubkitError as exc:
            # The API turns a reader's own crash into a ParseError saying so: that is an escape all the same.
            assert "internal error while reading" not in str(exc), \
                f"{format_name or 'detection'} (strict={strict}) crashed: {exc} on {data[:80]!r}"
        except _HangError:
            pytest.fail(f"{format_name or 'detection'} (strict={strict}) did not finish in {CALL_DEADLINE} s "
                        f"on {len(data)} bytes: {data[:80]!r}")


def _fuzz(fmt: str, seeds: list[bytes]) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
    @given(data=mutated(seeds))
    def run(data: bytes) -> None:
        _read_everywhere(fmt, data)

    run()


@pytest.mark.skipif(sys.platform == "win32", reason="the per-call deadline uses SIGALRM")
@pytest.mark.parametrize("fmt", [name for name in READABLE if FIXTURE_SEEDS.get(name)])
def test_fuzz_fixtures(fmt: str) -> None:
    _fuzz(fmt, FIXTURE_SEEDS[fmt])


@pytest.mark.corpus
@pytest.mark.skipif(sys.platform == "win32", reason="the per-call deadline uses SIGALRM")
@pytest.mark.parametrize("fmt", sorted(set(_CORPUS_LABELS.values())))
def test_fuzz_corpus(fmt: str) -> None:
    seeds = _corpus_seeds().get(fmt)
    if not seeds:
        pytest.skip("no small corpus file of this format")
    _fuzz(fmt, seeds)


@pytest.mark.parametrize("fmt", ["subkit_json", "whisper_json", "rev_json"])
@pytest.mark.parametrize("payload", [
    b'{"segments": [{"start": ' + b"9" * 5000 + b', "end": 1, "text": "x"}], "subkit": ' + b"9" * 5000 + b"}",
    b"[" * 100_000,
])
def test_json_readers_refuse_huge_numbers_and_deep_nesting_with_a_parse_error(fmt: str, payload: bytes) -> None:
    # A number over Python's 4,300-digit conversion limit raised a bare ValueError inside json.loads.
    with pytest.raises(subkit.ParseError) as info:
        subkit.loads(payload, format=fmt)
    assert "internal error" not in str(info.value)
