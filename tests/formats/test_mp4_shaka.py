"""Reading what shaka-packager writes: wvtt and stpp tracks, single file and segments + MPD + HLS.

shaka-packager (the npm package ``shaka-packager``, installed by ``.ci/run``
into ``tests/judges/node_modules``) packages WebVTT sources; these tests run
it on the same sources subkit reads and compare the cues. The binary runs on
x86-64 Linux only; elsewhere, or when it is missing, the tests skip.

What is compared: for ``wvtt``, times, identifier, text and placement of
every cue against the source read directly (shaka writes the default
``align:center`` out, so an unset alignment counts as centre, and it turns runs
of spaces into one, so both sides do); for ``stpp``, times and text,
where shaka writes WebVTT tags (``<c.yellow>``) as literal text inside the
TTML, so tags are stripped from both sides.
"""

from __future__ import annotations

import dataclasses
import platform
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import subkit
from subkit.model import Cue, Document

from ..conftest import CORPUS

ROOT = Path(__file__).resolve().parents[2]
PACKAGER = ROOT / "tests" / "judges" / "node_modules" / "shaka-packager" / "bin" / "packager-linux-x64"

pytestmark = pytest.mark.skipif(
    not PACKAGER.is_file() or platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"),
    reason="shaka-packager (tests/judges, npm) is not installed for this platform",
)

#: A source of our own: overlapping cues, ids, settings, a cue across segments, tags.
SOURCE = """WEBVTT

intro
00:00:01.000 --> 00:00:04.000 align:start line:10%
<i>Hello</i> there

00:00:02.500 --> 00:00:03.500
overlap

00:00:05.000 --> 00:00:13.000 position:30%
spans <b>two</b> segments

00:00:13.000 --> 00:00:14.000
right after
"""

#: Corpus WebVTT files the slow test packages (paths under the corpus folder).
CORPUS_SOURCES = (
    "pycaption/examples/example.vtt",
    "STL2TTML/test/4751521.stl.vtt",
)


def package_with_shaka(source: Path, out: Path, *, ttml: bool, segment_seconds: int = 6) -> Path:
    """Package ``source`` with shaka-packager into ``out``: init + segments, MPD and HLS; return the MPD path."""
    out.mkdir(parents=True, exist_ok=True)
    output_format = "ttml+mp4" if ttml else "mp4"
    descriptor = (f"in={source},stream=text,init_segment={out}/init.mp4,segment_template={out}/seg_$Number$.m4s,"
                  f"playlist_name=text.m3u8,language=en,format={output_format}")
    subprocess.run([str(PACKAGER), descriptor, "--segment_duration", str(segment_seconds),
                    "--generate_static_live_mpd", "--mpd_output", str(out / "out.mpd"),
                    "--hls_master_playlist_output", str(out / "master.m3u8")],
                   check=True, capture_output=True, timeout=300)
    return out / "out.mpd"


def single_file_with_shaka(source: Path, target: Path) -> Path:
    """One fragmented MP4 file with a wvtt track."""
    subprocess.run([str(PACKAGER), f"in={source},stream=text,output={target}", "--segment_duration", "6"],
                   check=True, capture_output=True, timeout=300)
    return target


def _strip(text: str) -> str:
    return re.sub(r"<[^>]*>", "", text)


def _spaces(text: str) -> str:
    # shaka-packager's WebVTT parser turns runs of spaces into one.
    return re.sub(" {2,}", " ", text)


def wvtt_view(cue: Cue) -> tuple[object, ...]:
    """What a wvtt reading must keep of a WebVTT cue (shaka spells out the default ``align:center``)."""
    placement = dataclasses.replace(cue.placement, text_align=cue.placement.text_align or "center")
    return cue.start_ms, cue.end_ms, cue.id, _spaces(cue.plain_text()), placement


def stpp_view(cue: Cue) -> tuple[object, ...]:
    """What shaka's TTML keeps of a WebVTT cue: times and the text without tags."""
    return cue.start_ms, cue.end_ms, _spaces(_strip(cue.plain_text()))


def agreement(source: Document, read: Document, view: Callable[[Cue], tuple[object, ...]]) -> tuple[int, int]:
    """``(cues agreeing, cues in the source)``, matching cues as multisets of their views."""
    wanted = sorted((view(c) for c in source.cues), key=repr)
    got = sorted((view(c) for c in read.cues), key=repr)
    remaining = list(got)
    same = 0
    for item in wanted:
        if item in remaining:
            remaining.remove(item)
            same += 1
    return same, len(wanted) + len(remaining)


def merge_touching(doc: Document) -> Document:
    """``doc`` with identical cues that follow each other without a gap joined into one.

    shaka-packager writes such cues as the same ``vttc`` in consecutive samples, which no reader can tell
    from one longer cue (subkit's writer adds a ``ctim`` box to keep them apart).
    """
    cues: list[Cue] = []
    for cue in sorted(doc.cues, key=lambda c: (c.start_ms, c.end_ms)):
        rest = dataclasses.replace(cue, start_ms=0, end_ms=0)
        joined = next((i for i in range(len(cues) - 1, -1, -1) if cues[i].end_ms == cue.start_ms
                       and dataclasses.replace(cues[i], start_ms=0, end_ms=0) == rest), None)
        if joined is None:
            cues.append(cue)
        else:
            cues[joined] = dataclasses.replace(cues[joined], end_ms=cue.end_ms)
    return doc.replace(cues=tuple(cues))


def _check(source_path: Path, tmp_path: Path) -> None:
    original = subkit.load(source_path)
    source = merge_touching(original)
    mpd = package_with_shaka(source_path, tmp_path / "wvtt", ttml=False)
    for manifest in (mpd, mpd.parent / "master.m3u8"):
        read = subkit.load(manifest)
        assert read.source_format == "mp4_wvtt" and read.language == "en"
        assert agreement(source, read, wvtt_view) == (len(source.cues), len(source.cues))
    single = subkit.load(single_file_with_shaka(source_path, tmp_path / "single.mp4"))
    assert agreement(source, single, wvtt_view) == (len(source.cues), len(source.cues))
    stpp = subkit.load(package_with_shaka(source_path, tmp_path / "stpp", ttml=True))
    assert stpp.source_format == "mp4_stpp"
    # TTML gives every cue its own times: nothing to merge.
    assert agreement(original, stpp, stpp_view) == (len(original.cues), len(original.cues))


def test_shaka_packager_output_of_our_source(tmp_path: Path) -> None:
    source = tmp_path / "source.vtt"
    source.write_text(SOURCE, encoding="utf-8")
    _check(source, tmp_path)


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("path", CORPUS_SOURCES)
def test_shaka_packager_output_of_corpus_files(path: str, tmp_path: Path) -> None:
    file = CORPUS / path
    if not file.is_file():
        pytest.skip("shared corpus not available")
    _check(file, tmp_path)
