"""Golden-file checks shared by the tests of MicroDVD, MPL2, TMPlayer, LRC, transcripts and the ASR JSON formats.

``fixtures/<format>/<case>.<ext>`` is read; its model snapshot is
``<case>.subkit.json`` and the writer's output from that snapshot is
``<case>.<ext>.out``. ``SUBKIT_REGEN=1`` rewrites both (review the diff).
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from pathlib import Path
from typing import Any

import subkit

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
REGEN = os.environ.get("SUBKIT_REGEN") == "1"


def golden_cases(folder: str) -> list[Path]:
    """The input files of ``fixtures/<folder>`` (snapshots and outputs left out)."""
    return sorted(
        p for p in (FIXTURES / folder).glob("*")
        if p.is_file() and not p.name.endswith((".subkit.json", ".out", ".md"))
    )


def check_snapshot(path: Path, actual: str) -> None:
    if REGEN or not path.exists():
        path.write_text(actual, encoding="utf-8", newline="\n")
    assert actual == path.read_text(encoding="utf-8"), f"{path} differs (SUBKIT_REGEN=1 rewrites it)"


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


# ---------------------------------------------------------------- robustness

from hypothesis import strategies as st  # noqa: E402 - kept beside the helpers that use it

from subkit.errors import ParseError  # noqa: E402

#: Pieces of the syntax of these formats, so that random inputs reach deep into the readers.
TOKENS = [
    "\n", "\n\n", " ", "1", "0", "25", "-", ":", ".", ",", "=", "|", "/", "{", "}", "[", "]", "<", ">", "{1}{1}",
    "{1}{1}23.976\n", "{25}{50}", "{y:i}", "{Y:b,u}", "{c:$0000FF}", "{P:0}", "{s:0}", "[10][20]", "[10][]",
    "00:00:01:", "00:00:01=", "00:00:01,2=", "[00:01.00]", "<00:01.50>", "[ti:x]", "[offset:+100]", "[offset:x]",
    "[00:00:01]", "Speaker 1:", "Ann:", '{"segments": [', '{"monologues": [', "{", "}", '"start": 1.5', '"end": ',
    '"words": [', '{"word": " a", "start": 0, "end": 1}', '"type": "text"', '"value": "x"', '"ts": 1e400',
    '"end_ts": -1', "null", "true", "NaN", ", ", "]", "é", "漢", "\x00",
]  # fmt: skip

noise = st.lists(st.sampled_from(TOKENS) | st.text(max_size=5), max_size=50).map("".join)


def check_reader_is_robust(fmt: str, text: str, strict: bool) -> None:
    """Reading ``text`` gives a document or a located ParseError; what reads also writes and reads back."""
    import warnings

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
