"""Every corpus WebVTT and TTML file through both fragmented-MP4 codecs, cut into 6-second fragments.

A ``wvtt`` round trip must give the cues a WebVTT round trip gives (the payload is WebVTT); an ``stpp`` round
trip must give the cues a TTML round trip gives (each sample is a TTML document from the same writer). Cues
are compared in start order, every field of every cue.
"""

from __future__ import annotations

import warnings

import pytest

import subkit
from subkit.errors import SubkitError
from subkit.model import Cue

from ..conftest import CORPUS
from ..test_corpus import ROWS, _malformed

SOURCES = [(path, name) for path, name, label in ROWS if name in ("webvtt", "ttml", "dfxp") and not _malformed(label)]

pytestmark = [pytest.mark.corpus, pytest.mark.skipif(not SOURCES, reason="shared corpus not available")]


def _start(cue: Cue) -> int:
    return cue.start_ms


@pytest.mark.parametrize(("path", "name"), SOURCES, ids=[path for path, _ in SOURCES])
def test_corpus_file_round_trips_through_wvtt_and_stpp(path: str, name: str) -> None:
    try:
        doc = subkit.load(CORPUS / path)
    except SubkitError:
        pytest.skip("not readable as a whole (test_corpus covers it)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for codec, native in (("mp4_wvtt", "webvtt"), ("mp4_stpp", "ttml")):
            expected = subkit.loads(subkit.dumps(doc, native), format=native)
            data = subkit.dumps(doc, codec, fragment_seconds=6)
            back = subkit.loads(data, format=codec)
            assert sorted(back.cues, key=_start) == sorted(expected.cues, key=_start), codec
