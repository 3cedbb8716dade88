"""Every SRT, WebVTT, ASS and SSA file of the shared corpus loads, or fails with a located ParseError.

The corpus (``../shared/corpus`` beside the checkout) holds real files written
by other people; ``index.tsv`` says what each one is. Tests skip when it is
absent.
"""

from __future__ import annotations

import csv
import warnings

import pytest

import subkit
from subkit.errors import FormatDetectionError, ParseError

from .conftest import CORPUS
from .formats._format_checks import without_ruby

#: index.tsv format label (before any parenthesis) -> subkit format identifier.
LABELS = {"srt": "srt", "webvtt": "webvtt", "ass": "ass", "ssa": "ssa", "ttml": "ttml", "dfxp": "dfxp",
          "sami": "sami", "sbv": "sbv", "subviewer": "subviewer", "spruce-stl": "spruce_stl",
          "ebu-stl": "ebu_stl", "scc": "scc", "mcc": "mcc",
          "microdvd": "microdvd", "mpl2": "mpl2", "tmplayer": "tmplayer", "lrc": "lrc",
          "plain text / transcript": "transcript", "whisper-json": "whisper_json", "rev-json": "rev_json",
          "csv": "transcript_csv", "tsv": "transcript_csv"}


def _rows() -> list[tuple[str, str, str]]:
    index = CORPUS / "index.tsv"
    if not index.is_file():
        return []
    rows = []
    with index.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            label = row["format"].split(" (")[0].strip()
            if label in LABELS and not row["path"].startswith("vtt.js/"):
                rows.append((row["path"], LABELS[label], row["format"]))
    return rows


#: Formats whose valid files may hold no cue.
MAY_BE_EMPTY = frozenset({"ass", "webvtt", "whisper_json", "ttml", "dfxp", "ebu_tt_d"})

#: Formats read by one reader: detecting any member of the family is right (EBU-TT documents are read
#: as ``ebu_tt_d``, the TTML reader's EBU profile).
FAMILIES = {"ttml": {"ttml", "dfxp", "ebu_tt_d"}, "dfxp": {"ttml", "dfxp", "ebu_tt_d"}}


def _malformed(label: str) -> bool:
    """Whether index.tsv marks the file as broken on purpose (``srt (malformed)``, ``webvtt (bad/missing signature)``).

    Other parenthesised notes (``ttml (IMSC)``, ``srt (no indexes)``) describe valid files.
    """
    return "malformed" in label or "(bad" in label


ROWS = _rows()
pytestmark = pytest.mark.skipif(not ROWS, reason="shared corpus not available")


@pytest.mark.parametrize(("path", "name", "label"), ROWS, ids=[r[0] for r in ROWS])
def test_corpus_file_loads_or_fails_with_line(path: str, name: str, label: str) -> None:
    file = CORPUS / path
    try:
        doc = subkit.load(file, format=name)
    except ParseError as exc:
        assert exc.line is not None, f"ParseError without a line: {exc}"
        assert _malformed(label) or file.stat().st_size == 0, f"a well-formed {name} file failed: {exc}"
        return
    if not _malformed(label):
        # Formats whose valid files may hold no cue: an ASS with styles only, a WebVTT header, a Whisper
        # result for silent audio (`"segments": []`), a TTML document with no body or only empty paragraphs.
        assert doc.cues or name in MAY_BE_EMPTY, "a well-formed file gave no cues"


@pytest.mark.parametrize(("path", "name", "label"), ROWS, ids=[r[0] for r in ROWS])
def test_corpus_file_is_detected_from_content(path: str, name: str, label: str) -> None:
    file = CORPUS / path
    if _malformed(label) or file.stat().st_size == 0:
        pytest.skip("malformed on purpose")
    try:
        doc = subkit.load(file)
    except FormatDetectionError as exc:  # pragma: no cover - reported as a failure
        pytest.fail(f"not detected: {exc}")
    assert doc.source_format in FAMILIES.get(name, {name})


@pytest.mark.parametrize(("path", "name", "label"), ROWS, ids=[r[0] for r in ROWS])
def test_corpus_round_trip_is_stable(path: str, name: str, label: str) -> None:
    """read -> write -> read gives the same cues as the first read (same format)."""
    file = CORPUS / path
    try:
        first = subkit.load(file, format=name)
    except ParseError:
        pytest.skip("does not load")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", subkit.LossyConversionWarning)
        text = subkit.dumps(first, name)
    second = subkit.loads(text, format=name)
    # A writer that drops ruby annotations says so; the base text stays.
    ruby_lost = any("ruby" in str(w.message) for w in caught)
    assert len(second.cues) == len([c for c in first.cues if not (c.comment and name in ("srt", "webvtt"))])
    for a, b in zip(first.cues, second.cues, strict=False):
        if name in ("srt", "webvtt"):  # negative times are clamped (and reported) by the writers
            assert (max(a.start_ms, 0), max(a.end_ms, 0)) == (b.start_ms, b.end_ms)
        assert a.plain_text() == b.plain_text()
        assert (without_ruby(a.content) if ruby_lost else a.content) == b.content
        assert a.words == b.words


def test_corpus_load_rate_summary(capsys: pytest.CaptureFixture[str]) -> None:
    """Prints the load rate per format (shown with -s; asserted nowhere else)."""
    totals: dict[str, list[int]] = {}
    for path, name, _label in ROWS:
        entry = totals.setdefault(name, [0, 0])
        entry[1] += 1
        try:
            subkit.load(CORPUS / path, format=name)
            entry[0] += 1
        except ParseError:
            pass
    with capsys.disabled():
        for name, (ok, total) in sorted(totals.items()):
            print(f"\ncorpus {name}: {ok}/{total} files load")
    assert totals


@pytest.mark.parametrize(("path", "name", "label"), ROWS, ids=[r[0] for r in ROWS])
def test_corpus_file_through_subkit_json_is_identity(path: str, name: str, label: str) -> None:
    """X -> subkit_json -> X: the JSON form keeps every document exactly."""
    try:
        doc = subkit.load(CORPUS / path, format=name)
    except ParseError:
        pytest.skip("does not load")
    assert subkit.loads(subkit.dumps(doc, "subkit_json"), format="subkit_json") == doc
