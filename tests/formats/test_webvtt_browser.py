"""WebVTT as a browser reads it: headless Chromium against subkit's reader and subkit's WebVTT -> WebVTT output.

Every WebVTT file of the shared corpus (the vtt.js vectors included) and of
``fixtures/`` is loaded as a ``<track>`` in one Chromium start, together with
subkit's WebVTT output for it in both reading modes. For every file the test
compares, cue by cue, the identifier, the times, ``line``/``position``/
``size``/``align``/``vertical``/``snapToLines``/``region`` and the
``getCueAsHTML()`` serialisation:

* Chromium on the original against Chromium on subkit's output, reading in the
  W3C-exact mode (``lenient_timestamps=False``): identical, except the files
  listed in :data:`CHROMIUM_DEVIATIONS`, where Chromium departs from the W3C
  algorithm (each has a minimal file in ``fixtures/webvtt/chromium``);
* Chromium on the original against subkit's own reading (the W3C parser and
  cue text tree, serialised as the W3C DOM construction rules say): identical
  with the same exceptions;
* in the default lenient mode, Chromium on subkit's output may differ from
  Chromium on the original only where subkit said what it repaired (a warning
  diagnostic on the file).

The test skips when Chromium or the corpus is missing.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path
from typing import Any

import pytest

import subkit
from subkit.errors import ParseError
from subkit.formats import webvtt
from subkit.formats._base import DiagnosticSink
from subkit.formats._vtt_cuetext import Element, Node, Timestamp, parse_cue_text
from subkit.timing import format_vtt

from ..conftest import CORPUS
from ._chromium import browser, read_tracks

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

#: Where Chromium contradicts the W3C algorithm: a key, what it does, and the minimal file that shows it
#: (fixtures/webvtt/chromium/). test_chromium_deviations_still_hold checks each on its file.
DEVIATIONS: dict[str, tuple[str, str]] = {
    "no-regions": ("cue.region is always null: REGION blocks and region: settings are not applied", "no-regions.vtt"),
    "annotation-whitespace": ("<v> and <lang> annotations keep their whitespace (W3C strips and collapses it)",
                              "annotation-whitespace.vtt"),
    "timestamp-trailing": ("a timestamp tag with characters after the time (<00:01.000 >, or no '>' before the "
                           "end of the text) is read as a timestamp (W3C ignores it)", "timestamp-trailing.vtt"),
    "bom-only": ("a file holding only a byte order mark loads as an empty track (W3C: not a WebVTT file)",
                 "bom-only.vtt"),
    "utf16-bom": ("a UTF-16 byte order mark switches the decoding to UTF-16 (W3C decodes WebVTT as UTF-8)",
                  "utf16-bom.vtt"),
}

#: Files whose readings differ only through a deviation above (the minimal files are listed too).
CHROMIUM_DEVIATIONS: dict[str, str] = {
    **{f"fixtures/webvtt/chromium/{file}": key for key, (_, file) in DEVIATIONS.items()},
    "vtt.js/tests/cuetext/timestamp/no-end-gt.vtt": "timestamp-trailing",
    "vtt.js/tests/cuetext/timestamp/space-before-gt.vtt": "timestamp-trailing",
    "vtt.js/tests/file-layout/blank-file-with-bom.vtt": "bom-only",
    "go-astisub/testdata/example-in-non-utf8.vtt": "utf16-bom",
}

#: W3C-exact reading: every leniency off.
EXACT: dict[str, Any] = {"lenient_timestamps": False, "obsolete_keywords": False, "lenient_signature": False}

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

Cue = dict[str, Any]


def _files() -> list[tuple[str, bytes]]:
    files: list[tuple[str, bytes]] = []
    index = CORPUS / "index.tsv"
    if index.is_file():
        with index.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                if row["format"].startswith("webvtt"):
                    files.append((row["path"], (CORPUS / row["path"]).read_bytes()))
    for path in sorted(FIXTURES.rglob("*.vtt")):
        files.append((str(path.relative_to(FIXTURES.parent)), path.read_bytes()))
    return files


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\u00a0", "&nbsp;")


def _escape_attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("\u00a0", "&nbsp;")


#: W3C "WebVTT cue text DOM construction rules": the HTML element of each node.
_HTML_NAMES = {"c": "span", "v": "span", "lang": "span", "i": "i", "b": "b", "u": "u", "ruby": "ruby", "rt": "rt"}


def tree_html(nodes: list[Node]) -> str:
    """The ``innerHTML`` of the fragment the W3C DOM construction rules build from a cue text tree."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(_escape_text(node))
        elif isinstance(node, Timestamp):
            out.append(f"<?timestamp {format_vtt(node.ms)}?>")
        elif isinstance(node, Element):
            name = _HTML_NAMES[node.kind]
            attributes = ""
            # Chromium's attribute order: title (v) or lang first, then class.
            if node.kind in ("v", "lang"):
                name_of = "title" if node.kind == "v" else "lang"
                attributes += f' {name_of}="{_escape_attribute(node.annotation or "")}"'
            if node.classes:
                attributes += f' class="{_escape_attribute(" ".join(node.classes))}"'
            out.append(f"<{name}{attributes}>{tree_html(node.children)}</{name}>")
        # Unknown tags build no node.
    return "".join(out)


def _decode(data: bytes, *, lenient: bool) -> str:
    """The text subkit reads: UTF-8 as W3C says (exact), or subkit's own decoding (lenient: BOMs honoured)."""
    if lenient:
        from subkit import _io

        try:
            return _io.decode(data, None).text
        except subkit.SubkitError:
            pass
    text = data.decode("utf-8", "replace")
    return text[1:] if text.startswith("\ufeff") else text


def subkit_reading(data: bytes, *, lenient: bool) -> list[Cue] | None:
    """subkit's reading of a file in the shape the page reports, ``None`` when subkit rejects it.

    Cues come in the HTML "text track cue order" (start time, then the longer cue first), as
    ``TextTrack.cues`` lists them; regions are left out, as Chromium has none (see :data:`DEVIATIONS`).
    """
    text = _decode(data, lenient=lenient).replace("\r\n", "\n").replace("\r", "\n")
    options = {} if lenient else EXACT
    try:
        parsed = webvtt.parse_file(text, DiagnosticSink("webvtt", webvtt.ReadOptions()), **options)
    except ParseError:
        return None
    cues: list[Cue] = []
    for cue in sorted(parsed.cues, key=lambda c: (c.start_ms, -c.end_ms)):
        p = cue.placement
        cues.append({
            "id": cue.id or "", "start": cue.start_ms, "end": cue.end_ms,
            "line": "auto" if p.line is None else p.line, "position": "auto" if p.position is None else p.position,
            "size": 100 if p.size is None else p.size, "align": p.text_align or "center",
            "vertical": p.vertical or "", "snap": p.snap_to_lines, "region": None,
            "html": tree_html(parse_cue_text(cue.text).children),
        })
    return cues


def _normalise(cues: list[Cue] | None) -> list[Cue] | None:
    if cues is None:
        return None
    result = []
    for cue in cues:
        cue = dict(cue)
        cue["start"] = round(cue["start"] * 1000)
        cue["end"] = round(cue["end"] * 1000)
        result.append(cue)
    return result


def _difference(left: list[Cue] | None, right: list[Cue] | None) -> str | None:
    """The first difference between two readings, ``None`` when they agree."""
    if left is None or right is None:
        return None if left is right else f"rejected: {left is None} vs {right is None}"
    if len(left) != len(right):
        return f"{len(left)} cues vs {len(right)}"
    for number, (a, b) in enumerate(zip(left, right, strict=True)):
        for key in a:
            if a[key] != b.get(key):
                return f"cue {number + 1} {key}: {a[key]!r} vs {b.get(key)!r}"
    return None


def _write(data: bytes, *, lenient: bool) -> tuple[bytes | None, str | None, bool]:
    """subkit's WebVTT output for a file: (bytes or None, why not, whether a warning was diagnosed)."""
    try:
        doc = subkit.loads(_decode(data, lenient=lenient), format="webvtt", **({} if lenient else EXACT))
    except ParseError:
        return None, None, False
    repaired = any(d.severity == "warning" for d in doc.diagnostics)
    try:
        out = subkit.render(doc, "webvtt").data
    except Exception as exc:  # the comparison reports writer crashes as disagreements
        return None, f"writer crashed: {type(exc).__name__}: {exc}", repaired
    assert isinstance(out, str)
    return out.encode("utf-8"), None, repaired


@functools.cache
def _judgement() -> dict[str, dict[str, str | None]]:
    """Per file: the difference (or None) for each comparison."""
    files = _files()
    if not files:
        pytest.skip("no WebVTT files")
    if browser() is None:
        pytest.skip("chromium not installed")
    exact = [_write(data, lenient=False) for _, data in files]
    lenient = [_write(data, lenient=True) for _, data in files]
    payloads = [data for _, data in files]
    payloads += [out or b"" for out, _, _ in exact]
    payloads += [out or b"" for out, _, _ in lenient]
    readings = [_normalise(r) if isinstance(r, list) or r is None else r for r in read_tracks(payloads)]
    count = len(files)
    result: dict[str, dict[str, str | None]] = {}
    for number, (name, data) in enumerate(files):
        original = readings[number]
        entry: dict[str, str | None] = {}
        for mode, outputs, offset in (("exact", exact, count), ("lenient", lenient, 2 * count)):
            out, crash, repaired = outputs[number]
            if crash is not None:
                entry[f"output-{mode}"] = crash
            elif out is None:
                entry[f"output-{mode}"] = None if original is None else "subkit rejected a file Chromium reads"
            else:
                entry[f"output-{mode}"] = _difference(original, readings[offset + number])
            entry[f"repaired-{mode}"] = "yes" if repaired else None
        entry["reader-exact"] = _difference(original, subkit_reading(data, lenient=False))
        entry["reader-lenient"] = _difference(original, subkit_reading(data, lenient=True))
        result[name] = entry
    return result


def _summary(key: str) -> tuple[int, int, list[str]]:
    judged = _judgement()
    bad = [f"{name}: {entry[key]}" for name, entry in judged.items() if entry[key] is not None]
    return len(judged) - len(bad), len(judged), bad


@pytest.mark.parametrize("mode", ["exact", "lenient"])
def test_chromium_reads_subkit_output_as_the_original(mode: str) -> None:
    judged = _judgement()
    wrong = []
    for name, entry in judged.items():
        difference = entry[f"output-{mode}"]
        if difference is None or name in CHROMIUM_DEVIATIONS:
            continue
        if mode == "lenient" and entry["repaired-lenient"] and not difference.startswith("writer"):
            continue  # subkit repaired something and said so
        wrong.append(f"{name}: {difference}")
    print(f"\nChromium: original vs subkit {mode} output agree on {len(judged) - len(wrong)}/{len(judged)} files")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("mode", ["exact", "lenient"])
def test_chromium_reads_files_as_subkit_does(mode: str) -> None:
    judged = _judgement()
    wrong = []
    for name, entry in judged.items():
        difference = entry[f"reader-{mode}"]
        if difference is None or name in CHROMIUM_DEVIATIONS:
            continue
        if mode == "lenient" and entry["repaired-lenient"]:
            continue
        wrong.append(f"{name}: {difference}")
    print(f"\nChromium vs subkit's {mode} reading agree on {len(judged) - len(wrong)}/{len(judged)} files")
    assert not wrong, "\n".join(wrong)


def test_chromium_deviations_still_hold() -> None:
    """Each listed deviation shows on its minimal file: Chromium's reading is not the W3C one."""
    judged = _judgement()
    for key, (what, file) in DEVIATIONS.items():
        entry = judged[f"fixtures/webvtt/chromium/{file}"]
        if key == "no-regions":
            text = (FIXTURES / "webvtt" / "chromium" / file).read_text(encoding="utf-8")
            parsed = webvtt.parse_file(text, DiagnosticSink("webvtt", webvtt.ReadOptions()))
            assert parsed.cues[0].placement.region == "top" and entry["reader-exact"] is None, what
        else:
            assert entry["reader-exact"] is not None, f"Chromium now follows W3C: {what}"


def test_chromium_agrees_on_the_tree_fixtures() -> None:
    """The element tree around inner timestamps, voices without names, class-less <c> and classes on b/i/u."""
    judged = _judgement()
    for name in ("past-future.vtt", "voice-class.vtt", "line-overflow.vtt"):
        entry = judged[f"fixtures/webvtt/tree/{name}"]
        assert entry["output-exact"] is None and entry["output-lenient"] is None, (name, entry)
