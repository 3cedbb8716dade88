"""Notebook views: the cue table of ``Document._repr_html_`` and the player of ``notebook_view``."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys

import subkit
from subkit.media import notebook_view

SRT = "1\n00:00:01,000 --> 00:00:02,500\nFish & <i>chips</i>\nsecond line\n\n2\n00:00:03,000 --> 00:00:04,000\nBye\n"


def test_document_repr_html_is_a_cue_table() -> None:
    doc = subkit.loads(SRT, format="srt")
    page = doc._repr_html_()
    assert "2 cues, srt" in page
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td>", page)
    assert rows == [("1", "0:00:01.000", "0:00:02.500"), ("2", "0:00:03.000", "0:00:04.000")]
    assert "Fish &amp; chips<br>second line" in page and "<i>" not in page


def test_long_documents_are_cut_with_a_count() -> None:
    text = "".join(f"{n}\n00:00:{n:02d},000 --> 00:00:{n:02d},500\nline {n}\n\n" for n in range(1, 60))
    page = subkit.loads(text, format="srt")._repr_html_()
    assert page.count("<tr><td>") == 59
    from subkit._html import document_table

    short = document_table(subkit.loads(text, format="srt"), max_rows=10)
    assert short.count("<tr><td>") == 10 and "... 49 more cues" in short


def test_notebook_view_plays_the_video_with_the_captions_as_a_track() -> None:
    doc = subkit.loads(SRT, format="srt").replace(language="en")
    page = notebook_view(doc, "clips/episode 1.mp4")._repr_html_()
    assert page.startswith('<video controls width="640" src="clips/episode 1.mp4">')
    match = re.search(r'<track kind="subtitles" default label="en" srclang="en" src="data:text/vtt;base64,([^"]+)">',
                      page)
    assert match is not None
    vtt = base64.b64decode(match.group(1)).decode("utf-8")
    back = subkit.loads(vtt, format="webvtt")
    assert [(c.start_ms, c.end_ms, c.plain_text()) for c in back] == [
        (c.start_ms, c.end_ms, c.plain_text()) for c in doc]
    assert "<table>" in page


def test_showing_a_document_stays_light() -> None:
    script = (
        "import sys, subkit\n"
        "subkit.loads('1\\n00:00:01,000 --> 00:00:02,000\\nx\\n', format='srt')._repr_html_()\n"
        "import json\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('subkit.media') or m == 'subprocess')))\n"
    )
    loaded = json.loads(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                       check=True).stdout)
    assert loaded == []
