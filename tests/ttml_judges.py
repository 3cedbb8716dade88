"""Real TTML players as judges of what subkit writes: ttconv's ISDs and imscJS.

A document subkit writes as ``ttml`` or ``ebu_tt_d`` must show, at every
instant, the lines subkit itself reads from the source. These helpers sample
each source at the midpoints between its cue boundaries and ask each judge
what it presents there:

* ttconv: ``imsc.reader.to_model`` then ``ISD.generate_isd_sequence``, the
  intermediate synchronic documents of TTML1 §9.3.2 (region association,
  timing, ``display``);
* imscJS (npm ``imsc``, the parser dash.js uses): ``fromXML`` then
  ``generateISD`` at each instant, all documents through one node process
  (``tests/judges/imsc_lines.js``).

Lines are compared as sorted lists with white space collapsed, so the order of
regions on screen does not matter, only what text is visible.
"""

from __future__ import annotations

import bisect
import csv
import itertools
import json
import logging
import re
import shutil
import subprocess
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import subkit
from subkit.model import Document

from .conftest import CORPUS

JUDGES = Path(__file__).resolve().parent / "judges"
#: EBU's XSD for EBU-TT-D, beside the corpus in ../shared/schemas.
EBU_XSD = CORPUS.parent / "schemas" / "ebu-tt-d" / "ebutt_d.xsd"
#: index.tsv labels of the sources whose outputs the judges read.
SOURCE_LABELS = {"ttml": "ttml", "dfxp": "dfxp", "webvtt": "webvtt", "srt": "srt"}
_SPACE = re.compile(r"\s+")

Lines = tuple[str, ...]


def normalise(lines: Iterable[str]) -> Lines:
    """Lines with white space collapsed, empty ones dropped, sorted."""
    return tuple(sorted(text for text in (_SPACE.sub(" ", line).strip() for line in lines) if text))


def corpus_sources() -> list[tuple[str, str]]:
    """(path, subkit format) of every corpus TTML/DFXP/WebVTT/SRT file not marked broken."""
    index = CORPUS / "index.tsv"
    if not index.is_file():
        return []
    rows = []
    with index.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            label = row["format"]
            name = SOURCE_LABELS.get(label.split(" (")[0].strip())
            if name is None or "malformed" in label or "(bad" in label or row["path"].startswith("vtt.js/"):
                continue
            rows.append((row["path"], name))
    return rows


def load_source(path: Path, name: str) -> Document | None:
    """subkit's reading of a source, or ``None`` when it does not load."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return subkit.load(path, format=name)
    except subkit.SubkitError:
        return None


def write(doc: Document, fmt: str) -> str:
    """``doc`` written as ``fmt``, losses ignored (they are the writer's tests' business)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", subkit.LossyConversionWarning)
        return str(subkit.dumps(doc, fmt))


def instants(doc: Document, limit: int | None = None) -> list[int]:
    """Midpoints (ms) between consecutive cue boundaries; at most ``limit``.

    Only times from 0 on: TTML has no earlier ones (the writers clamp negative times to 0 and report it).
    """
    bounds = sorted({max(t, 0) for cue in doc.cues if not cue.comment for t in (cue.start_ms, cue.end_ms)})
    points = [(a + b) // 2 for a, b in itertools.pairwise(bounds) if b - a >= 2]
    if limit is not None and len(points) > limit:
        step = len(points) / limit
        points = [points[int(i * step)] for i in range(limit)]
    return points


def subkit_lines(doc: Document, at_ms: int) -> Lines:
    """The lines subkit's model shows at ``at_ms``: every cue active then, split at its breaks."""
    lines: list[str] = []
    for cue in doc.cues:
        if not cue.comment and cue.start_ms <= at_ms < cue.end_ms:
            lines.extend(cue.plain_text().split("\n"))
    return normalise(lines)


# ---------------------------------------------------------------- ttconv


def _ttconv_text(element: Any, lines: list[str]) -> None:
    from ttconv import model

    if isinstance(element, model.P):
        lines.append("")
    for child in element:
        if isinstance(child, model.Text):
            lines[-1] += child.get_text()
        elif isinstance(child, model.Br):
            lines.append("")
        else:
            _ttconv_text(child, lines)
    if isinstance(element, model.P):
        lines.append("")


def ttconv_lines(xml: str, times_ms: Sequence[int]) -> list[Lines] | str:
    """The lines of ttconv's ISD active at each instant, or the error ttconv raised."""
    from ttconv.imsc.reader import to_model
    from ttconv.isd import ISD

    logging.getLogger("ttconv").setLevel(logging.CRITICAL)
    try:
        model = to_model(ET.ElementTree(ET.fromstring(xml)))
        sequence = ISD.generate_isd_sequence(model) if model is not None else []
    except Exception as exc:  # a judge's failure is a finding, reported by the caller
        return f"{type(exc).__name__}: {exc}"
    starts = [t for t, _ in sequence]
    shown: list[Lines] = []
    cache: dict[int, Lines] = {}
    for at_ms in times_ms:
        index = bisect.bisect_right(starts, Fraction(at_ms, 1000)) - 1
        if index < 0:
            shown.append(())
            continue
        if index not in cache:
            lines: list[str] = [""]
            for region in sequence[index][1].iter_regions():
                _ttconv_text(region, lines)
            cache[index] = normalise(lines)
        shown.append(cache[index])
    return shown


# ---------------------------------------------------------------- imscJS


def imsc_available() -> bool:
    """Whether node and the npm ``imsc`` package (tests/judges/node_modules) are there."""
    return shutil.which("node") is not None and (JUDGES / "node_modules" / "imsc").is_dir()


def imsc_lines(batch: Sequence[tuple[str, Sequence[int]]]) -> list[list[Lines] | str]:
    """imscJS's lines at each instant for every (document, instants) pair: one node process for all."""
    payload = json.dumps([{"xml": xml, "times": [t / 1000 for t in times]} for xml, times in batch])
    done = subprocess.run(["node", str(JUDGES / "imsc_lines.js")], input=payload, capture_output=True,
                          text=True, cwd=JUDGES, check=True, timeout=600)
    results: list[list[Lines] | str] = []
    for item in json.loads(done.stdout):
        if "error" in item:
            results.append(str(item["error"]))
        else:
            results.append([normalise(lines) for lines in item["lines"]])
    return results


# ---------------------------------------------------------------- tallies


@dataclass
class Tally:
    """Agreement of one judge on one output format."""

    documents: int = 0
    agreeing_documents: int = 0
    instants: int = 0
    agreeing_instants: int = 0
    errors: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, label: str, expected: Sequence[Lines], shown: list[Lines] | str) -> None:
        """Count one document: ``shown`` is the judge's lines per instant, or its error."""
        self.documents += 1
        self.instants += len(expected)
        if isinstance(shown, str):
            self.errors += 1
            self.failures.append(f"{label}: judge error {shown}")
            return
        bad = [(i, want, got) for i, (want, got) in enumerate(zip(expected, shown, strict=True)) if want != got]
        self.agreeing_instants += len(expected) - len(bad)
        if not bad:
            self.agreeing_documents += 1
        else:
            i, want, got = bad[0]
            self.failures.append(f"{label}: {len(bad)}/{len(expected)} instants differ, first #{i}: "
                                 f"subkit {list(want)} judge {list(got)}")

    def summary(self) -> str:
        """One line of figures."""
        rate = 100 * self.agreeing_instants / self.instants if self.instants else 100.0
        return (f"{self.agreeing_documents}/{self.documents} documents, {self.agreeing_instants}/{self.instants}"
                f" instants ({rate:.2f} %), {self.errors} judge errors")


def dropped_cues(doc: Document, times_ms: Sequence[int], shown: list[Lines] | str) -> int:
    """Cues with text that the judge never shows whole at any sampled instant within them."""
    if isinstance(shown, str):
        return sum(1 for cue in doc.cues if not cue.comment and cue.plain_text().strip())
    dropped = 0
    for cue in doc.cues:
        lines = normalise(cue.plain_text().split("\n"))
        if cue.comment or not lines:
            continue
        within = [i for i, t in enumerate(times_ms) if cue.start_ms <= t < cue.end_ms]
        if within and not any(set(lines) <= set(shown[i]) for i in within):
            dropped += 1
    return dropped
