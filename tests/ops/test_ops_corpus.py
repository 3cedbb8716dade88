"""Every op runs on every SRT, WebVTT, ASS and SSA file of the shared corpus and keeps its promises.

Real files have what generated ones lack: overlapping cues, negative and
zero-length times, karaoke words, raw markup, thousands of cues. The files
come from ``../shared/corpus`` (see ``tests/test_corpus.py``); tests skip when
it is absent.
"""

from __future__ import annotations

import warnings

import pytest

import subkit
from subkit import ops
from subkit.errors import ParseError
from subkit.ops._segment import playlist, segment
from tests.conftest import CORPUS
from tests.ops.helpers import overlaps
from tests.test_corpus import ROWS

#: The cue formats that ops meet most; the other formats' files load into the same model.
FORMATS = ("srt", "webvtt", "ass", "ssa")
OP_ROWS = [row for row in ROWS if row[1] in FORMATS]

pytestmark = [pytest.mark.corpus, pytest.mark.skipif(not OP_ROWS, reason="shared corpus not available")]


def _load(path: str, name: str) -> subkit.Document:
    try:
        return subkit.load(CORPUS / path, format=name)
    except ParseError:
        pytest.skip("does not load")


@pytest.mark.parametrize(("path", "name", "label"), OP_ROWS, ids=[r[0] for r in OP_ROWS])
def test_ops_on_corpus_file(path: str, name: str, label: str) -> None:
    doc = _load(path, name)
    cleaned = ops.clean(doc, rolling=True, min_gap_frames=2)
    assert overlaps(cleaned.replace(cues=tuple(c for c in cleaned if not c.comment and not c.placement.layer))) == 0
    assert not [v for v in ops.lint(cleaned) if v.rule == "overlap"]
    replaced = ops.replace(doc, [{"find": "the", "replace": "THE", "ignore_case": True}, {"find": "a"}])
    assert len(replaced) <= len(doc)
    for mode in ("drop", "clip", "cut"):
        excluded = ops.exclude(doc, ["0:05-0:10", "1:00-1:30"], mode=mode)
        assert all(c.start_ms <= w.start_ms <= w.end_ms <= c.end_ms for c in excluded for w in c.words)
    retimed = ops.retime(doc, fps=("23.976", "25"), shift_by=-2000, snap_to=25)
    assert all(c.start_ms >= 0 for c in retimed)
    both = ops.merge(doc, ops.shift(doc, 100), primary_language="en", secondary_language="fr")
    if doc.cues:
        first, _ = ops.split(both, by="language", primary_language="en")
        assert len(first) <= len(doc)
    parts = segment(doc, 6)
    assert playlist(parts).endswith("#EXT-X-ENDLIST\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", subkit.LossyConversionWarning)
        text = subkit.dumps(cleaned, name)
    if cleaned.cues and any(c.plain_text().strip() for c in cleaned if not c.comment):
        assert len(subkit.loads(text, format=name)) >= 1
