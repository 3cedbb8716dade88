"""Every WebVTT document subkit writes passes the W3C validator's parser (npm ``webvtt-parser``).

The sources are the WebVTT, SRT and TTML files of the shared corpus and the
WebVTT, SRT and TTML fixtures. All outputs go through one node process
(``tests/judges/webvtt-validate.js``). What the validator may still report:

* syntax it does not know: ``REGION`` blocks and the ``region:`` cue setting
  (:func:`_region_error`);
* for a WebVTT source, the errors the source itself has: a WebVTT -> WebVTT
  conversion keeps the element tree (a ``<v>`` without a name, an inner
  timestamp equal to the cue start) and the header lines (HLS needs its
  ``X-TIMESTAMP-MAP``) that the validator objects to; subkit adds none;
* the document's own timing, which a conversion keeps rather than invents: a
  cue that ends when it starts (the validator wants it to end later) and a
  cue that starts before the one above it (it wants them in order). Each such
  error must match such a cue of the document.

The test skips when node, the npm judges (``npm install`` in tests/judges) or the corpus are missing.
"""

from __future__ import annotations

import csv
import functools
import json
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

import pytest

import subkit
from subkit.errors import SubkitError

from ..conftest import CORPUS

JUDGES = Path(__file__).resolve().parents[1] / "judges"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SCRIPT = JUDGES / "webvtt-validate.js"

#: index.tsv labels of the sources, and the fixture extensions.
SOURCE_LABELS = ("webvtt", "srt", "ttml", "dfxp")
FIXTURE_SUFFIXES = (".vtt", ".srt", ".ttml", ".dfxp")

pytestmark = [pytest.mark.corpus, pytest.mark.slow]


def _sources() -> list[tuple[str, Path]]:
    sources: list[tuple[str, Path]] = []
    index = CORPUS / "index.tsv"
    if index.is_file():
        with index.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                if row["format"].split(" (")[0] in SOURCE_LABELS:
                    sources.append((row["path"], CORPUS / row["path"]))
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix in FIXTURE_SUFFIXES and not path.name.endswith(".out"):
            sources.append((str(path.relative_to(FIXTURES.parent)), path))
    return sources


def validate(texts: list[str]) -> list[list[dict[str, Any]]]:
    """The validator's errors for each text (one node process for all)."""
    completed = subprocess.run(
        ["node", str(SCRIPT)], input=json.dumps(texts).encode("utf-8"), capture_output=True, timeout=300,
        check=True, cwd=JUDGES,
    )
    result: list[list[dict[str, Any]]] = json.loads(completed.stdout)
    return result


def _region_lines(lines: list[str]) -> set[int]:
    """1-based numbers of the lines of REGION blocks, and of the blank line after each."""
    numbers: set[int] = set()
    inside = False
    for number, line in enumerate(lines, start=1):
        if not inside and line.rstrip(" \t") == "REGION" and (number == 1 or not lines[number - 2]):
            inside = True
        if inside:
            numbers.add(number)
            if not line:
                inside = False
    return numbers


def _region_error(error: dict[str, Any], lines: list[str], region_lines: set[int]) -> bool:
    """An error caused by REGION syntax, which the validator does not know.

    A REGION block reads to it as a cue identifier not followed by a timing line (reported inside the
    block or on the blank line after it); the ``region:`` cue setting is an invalid setting.
    """
    number = error["line"]
    line = lines[number - 1] if 0 < number <= len(lines) else ""
    if error["message"] == "Invalid setting." and "region:" in line:
        return True
    return number in region_lines and error["message"] in (
        "Cue identifier needs to be followed by timestamp.", "Cue identifier cannot be standalone.",
    )


_ZERO_LENGTH = "End timestamp is not greater than start timestamp."
_BACKWARDS = "Start timestamp is not greater than or equal to start timestamp of previous cue."


@functools.cache
def _judgement() -> list[tuple[str, str | None, list[str], set[str]]]:
    """Per source: (name, why there is no output, the output's unexplained errors, the source's errors)."""
    if shutil.which("node") is None or not (JUDGES / "node_modules" / "webvtt-parser").is_dir():
        pytest.skip("node or the npm judges (npm install in tests/judges) not available")
    sources = _sources()
    if not sources:
        pytest.skip("no sources")
    outputs: list[str] = []
    originals: list[str] = []
    rows: list[tuple[str, str | None, bool]] = []
    timing: list[tuple[int, int]] = []
    for name, path in sources:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                doc = subkit.load(path)
                text = subkit.dumps(doc, "webvtt")
        except SubkitError as exc:
            rows.append((name, f"{type(exc).__name__}", False))
            continue
        assert isinstance(text, str)
        is_vtt = doc.source_format == "webvtt"
        rows.append((name, None, is_vtt))
        timing.append((
            # Negative times are clamped to 0 (a reported loss): a cue wholly before 0 ends when it starts.
            sum(1 for cue in doc.cues if max(cue.start_ms, 0) == max(cue.end_ms, 0) and not cue.comment),
            sum(1 for a, b in zip(doc.cues, doc.cues[1:], strict=False) if b.start_ms < a.start_ms),
        ))
        outputs.append(text)
        originals.append(path.read_bytes().decode("utf-8", "replace") if is_vtt else "")
    errors = validate(outputs + originals)
    result: list[tuple[str, str | None, list[str], set[str]]] = []
    at = 0
    for name, skipped, is_vtt in rows:
        if skipped is not None:
            result.append((name, skipped, [], set()))
            continue
        lines = outputs[at].split("\n")
        regions = _region_lines(lines)
        found = [e for e in errors[at] if not _region_error(e, lines, regions)]
        source_errors = {e["message"] for e in errors[len(outputs) + at]} if is_vtt else set()
        zero_length, backwards = timing[at]
        ends = sum(1 for e in found if e["message"] == _ZERO_LENGTH)
        starts = sum(1 for e in found if e["message"] == _BACKWARDS)
        explained = set(source_errors)
        if ends <= zero_length:
            explained.add(_ZERO_LENGTH)
        if starts <= backwards:
            explained.add(_BACKWARDS)
        unexplained = [f"line {e['line']}: {e['message']}" for e in found if e["message"] not in explained]
        result.append((name, None, unexplained, source_errors))
        at += 1
    return result


def test_every_webvtt_output_passes_the_validator() -> None:
    judged = [row for row in _judgement() if row[1] is None]
    wrong = [f"{name}: {errors[:3]}" for name, _, errors, _ in judged if errors]
    print(f"\nwebvtt-parser: {len(judged) - len(wrong)}/{len(judged)} outputs pass (REGION syntax and errors "
          "the WebVTT source has aside)")
    assert not wrong, "\n".join(wrong)


def test_region_errors_are_only_region_syntax() -> None:
    """The REGION exception is narrow: a document with a region gives exactly those errors."""
    doc = subkit.loads("WEBVTT\n\nREGION\nid:top width:40%\n\n00:00.000 --> 00:01.000 region:top\nHi\n")
    text = subkit.dumps(doc, "webvtt")
    assert isinstance(text, str)
    if shutil.which("node") is None or not (JUDGES / "node_modules" / "webvtt-parser").is_dir():
        pytest.skip("node or the npm judges not available")
    (errors,) = validate([text])
    lines = text.split("\n")
    assert errors and all(_region_error(e, lines, _region_lines(lines)) for e in errors), errors
