"""Checks shared by the tests of the text and ASR formats: golden files, robustness, strict read-back.

Golden files: ``fixtures/<format>/<case>.<ext>`` is read; its model snapshot
is ``<case>.subkit.json`` and the writer's output from that snapshot is
``<case>.<ext>.out``. ``SUBKIT_REGEN=1`` rewrites both (review the diff).

The ``*_test`` functions make the tests that are the same for every format;
a test module binds them to the usual names, so test ids do not change::

    test_golden = golden_test("sbv", "*.sbv")
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import subkit
from subkit.errors import ParseError
from subkit.model import Document, Run
from tests import golden

from ..strategies import full_documents

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def without_ruby(content: tuple[Any, ...]) -> tuple[Any, ...]:
    """Content with its ruby annotations removed and the runs they separated merged again.

    What a writer that drops ruby (and reports the loss) gives back.
    """
    items: list[Any] = []
    for item in content:
        if isinstance(item, Run) and item.style.ruby is not None:
            item = Run(item.text, item.style.merged(ruby=None))
        if isinstance(item, Run) and items and isinstance(items[-1], Run) and items[-1].style == item.style:
            items[-1] = Run(items[-1].text + item.text, item.style)
        else:
            items.append(item)
    return tuple(items)


def golden_cases(folder: str, pattern: str = "*") -> list[Path]:
    """The input files of ``fixtures/<folder>`` that match ``pattern`` (snapshots and outputs left out)."""
    return sorted(
        p for p in (FIXTURES / folder).glob(pattern)
        if p.is_file() and not p.name.endswith((".subkit.json", ".out", ".md"))
    )


def check_snapshot(path: Path, actual: str) -> None:
    golden.check_text(path, actual)


def check_golden(source: Path, fmt: str, **write_options: Any) -> None:
    """Reader snapshot, writer output from the snapshot, and a stable second write."""
    doc = subkit.load(source, format=fmt)
    doc = doc.replace(diagnostics=tuple(dataclasses.replace(d, source=None) for d in doc.diagnostics))
    snapshot = str(subkit.dumps(doc, "subkit_json"))
    stem = source.name.split(".")[0]
    check_snapshot(source.with_name(f"{stem}.subkit.json"), snapshot)
    model = subkit.loads(snapshot, format="subkit_json")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", subkit.LossyConversionWarning)
        written = str(subkit.dumps(model, fmt, **write_options))
        check_snapshot(source.with_name(source.name + ".out"), written)
        again = str(subkit.dumps(subkit.loads(written, format=fmt), fmt, **write_options))
    assert again == written, "the writer's output does not read back to the same document"


def golden_fixtures_exist_test(folder: str, pattern: str = "*") -> Callable[[], None]:
    """``test_golden_fixtures_exist``: ``fixtures/<folder>`` holds cases that match ``pattern``."""
    cases = golden_cases(folder, pattern)

    def test_golden_fixtures_exist() -> None:
        assert cases, f"fixtures/{folder} holds the golden files"

    return test_golden_fixtures_exist


def golden_test(fmt: str, pattern: str = "*", **write_options: Any) -> Callable[[Path], None]:
    """``test_golden``: :func:`check_golden` for each case of ``fixtures/<fmt>`` that matches ``pattern``."""

    @pytest.mark.parametrize("source", golden_cases(fmt, pattern), ids=lambda p: p.name)
    def test_golden(source: Path) -> None:
        check_golden(source, fmt, **write_options)

    return test_golden


def writer_accepts_any_document_test(fmt: str, *, frame_based: bool = False) -> Callable[..., None]:
    """``test_writer_accepts_any_document``: whatever the document holds, the output reads back strictly.

    The output has no more cues than the document's non-comment ones.
    ``frame_based`` reads it back at the document's frame rate.
    """

    @settings(max_examples=20, deadline=None)
    @given(full_documents())
    def test_writer_accepts_any_document(doc: Document) -> None:
        """Whatever the document holds, the output reads back cleanly, even in strict mode."""
        result = subkit.render(doc, fmt)
        read_options: dict[str, Any] = {"fps": doc.frame_rate} if frame_based else {}
        back = subkit.loads(result.data, format=fmt, strict=True, **read_options)
        assert len(back.cues) <= len([cue for cue in doc.cues if not cue.comment])

    return test_writer_accepts_any_document


# ---------------------------------------------------------------- robustness


def noise_from(tokens: Sequence[str], *, pieces: int = 40, piece_size: int = 4) -> st.SearchStrategy[str]:
    """Random text made of up to ``pieces`` syntax tokens and short random strings."""
    return st.lists(st.sampled_from(tokens) | st.text(max_size=piece_size), max_size=pieces).map("".join)


def read_and_rewrite(fmt: str, text: str, strict: bool) -> tuple[Document, Document] | None:
    """Read ``text``, write it and read that back: ``(doc, again)``, or ``None`` after a located ParseError."""
    try:
        doc = subkit.loads(text, format=fmt, strict=strict)
    except ParseError as exc:
        assert exc.format == fmt
        return None
    # What the writer has to drop (negative times, say) is reported, not the point here.
    return doc, subkit.loads(str(subkit.render(doc, fmt).data), format=fmt)


#: Pieces of the syntax of these formats, so that random inputs reach deep into the readers.
TOKENS = [
    "\n", "\n\n", " ", "1", "0", "25", "-", ":", ".", ",", "=", "|", "/", "{", "}", "[", "]", "<", ">", "{1}{1}",
    "{1}{1}23.976\n", "{25}{50}", "{y:i}", "{Y:b,u}", "{c:$0000FF}", "{P:0}", "{s:0}", "[10][20]", "[10][]",
    "00:00:01:", "00:00:01=", "00:00:01,2=", "[00:01.00]", "<00:01.50>", "[ti:x]", "[offset:+100]", "[offset:x]",
    "[00:00:01]", "Speaker 1:", "Ann:", '{"segments": [', '{"monologues": [', "{", "}", '"start": 1.5', '"end": ',
    '"words": [', '{"word": " a", "start": 0, "end": 1}', '"type": "text"', '"value": "x"', '"ts": 1e400',
    '"end_ts": -1', "null", "true", "NaN", ", ", "]", "é", "漢", "\x00",
]  # fmt: skip

noise = noise_from(TOKENS, pieces=50, piece_size=5)


def check_reader_is_robust(fmt: str, text: str, strict: bool) -> None:
    """Reading ``text`` gives a document or a located ParseError; what reads also writes and reads back."""
    try:
        doc = subkit.loads(text, format=fmt, strict=strict)
    except ParseError as exc:
        assert exc.format == fmt
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", subkit.LossyConversionWarning)
        written = subkit.dumps(doc, fmt)
    again = subkit.loads(written, format=fmt)
    assert len(again.cues) <= len(doc.cues) + 1


def reader_robustness_test(fmt: str) -> Callable[..., None]:
    """``test_reader_only_raises_parse_errors``: :func:`check_reader_is_robust` on :data:`noise`."""

    @settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
    @given(text=noise, strict=st.booleans())
    def test_reader_only_raises_parse_errors(text: str, strict: bool) -> None:
        check_reader_is_robust(fmt, text, strict)

    return test_reader_only_raises_parse_errors
