"""One table of timestamps against every reader with a timestamp syntax and its ``timing`` counterpart.

For each (reader, timestamp) pair the test builds a minimal one-cue file with
the timestamp where the reader expects a time (as both start and end where the
format has an end) and asserts that the reader and the ``timing`` function of
its notation agree:

* lenient: the reader's cue starts at the value the function gives, or the
  reader reads no such cue and the function gives ``None``;
* strict: the strict reader accepts the file exactly when the function with
  ``strict=True`` gives a value (a reader that repairs a time, with a
  diagnostic, refuses it when strict; the function says ``None``).

The reader is taken to read the timestamp only when it makes exactly one cue
whose text is exactly ``text`` and reports no error (an error diagnostic means
data was skipped: the TTML reader, for one, drops an unreadable ``begin`` and
times the paragraph from its parent): a reader that reads part of the
timestamp as time and the rest as text did not read that timestamp.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import pytest

import subkit
from subkit import timing
from subkit.errors import SubkitError

#: The shared table: valid, edge and malformed timestamps in every notation the readers know.
TIMESTAMPS = (
    # SRT / WebVTT shapes
    "00:00:01,500", "00:00:01.500", "01:02:03,456", "01:02:03.456", "1:02:03.456", "00:01.500", "01:02.500",
    "99:59:59,999", "100:00:00,000", "100:00:00.000", "1000:00:00.000", "9999:59:59,999",
    "00:60:00,000", "00:00:60,000", "00:59:59,999", "00:00:01,5", "00:00:01.5", "00:00:01,50", "00:00:01",
    "00:00:01,5000", "00:00:01.1234", "00:00:01;500", "00:00:01:500", "-00:00:01,000", "- 00:00:01,000",
    "0:0:1,5", "00:00:1,500", "00:0:01.500", "120:00.000", "60:00.000", "59:59.999", "1:02.000",
    # ASS / SSA and SubViewer shapes (centiseconds)
    "0:00:01.50", "0:00:01.5", "0:00:01.500", "9:59:59.99", "10:00:00.00", "0:00:01.05", "-0:00:01.00",
    "00:00:01.50", "01:02:03.45", "0:00:75.00", "0:75:00.00", "00:00:01:50", "1:02:03",
    "01:02:03", "0:1:2.3",
    # whole seconds (TMPlayer, SubViewer 1) and LRC minutes:seconds
    "00:00:05", "0:00:05", "00:00:75", "00:75:00", "-00:00:05", "99:59:59", "100:00:00",
    "62:03.45", "01:02.45", "01:02.4", "1:02", "01:02:5", "123:45.67", "00:75.00", "-01:02.00", "01:02.456",
    # integers (MPL2 deciseconds, MicroDVD frames) and plain garbage
    "0", "15", "37235", "-5", "99999999999", "",
    "abc", "00:00:xx,000", "00:00:01,500 ", " 00:00:01,500", "1:2:3:4", "01:02:03:04", "01:02:03;04",
    "1.5s", "1500ms", "2m", "1h", "12f", "5t", "15000000t", "1.5", "1,5s", "01:02:03:12", "01:02:03:40",
    "01:02:03:12.1", "00:00:60.000", "00:00:61.000", "1:02.5", "00:00:01.", ".5s",
    "12:34:56,789,0", "٠١:٠٢:٠٣,٤٥٦", " 00:00:01.500", "00:00:01.500 ", "\t0:00:01.50", " 00:00:05",
    "00:00:05 ", "00:00:05,2", "[00:00:01]", "<00:00:01.500>",
)  # fmt: skip

_ASS_HEAD = (
    "[Script Info]\nScriptType: v4.00+\nPlayResX: 384\nPlayResY: 288\n\n[V4+ Styles]\n"
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, "
    "Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, "
    "MarginR, MarginV, Encoding\n"
    "Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,2,10,10,10,1\n\n"
    "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
)
_SSA_HEAD = (
    "[Script Info]\nScriptType: v4.00\n\n[V4 Styles]\n"
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, TertiaryColour, BackColour, Bold, Italic, "
    "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, AlphaLevel, Encoding\n"
    "Style: Default,Arial,20,16777215,255,0,0,0,0,1,2,2,2,10,10,10,0,1\n\n"
    "[Events]\nFormat: Marked, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
)
_SV1_HEAD = "[TITLE]\nx\n[BEGIN]\n******** START SCRIPT ********\n"
_SV1_TAIL = "[end]\n******** END SCRIPT ********\n"


def _vtt(ts: str, strict: bool) -> int | None:
    return timing.parse_vtt(ts, strict=strict)


def _ass(ts: str, strict: bool) -> int | None:
    return timing.parse_ass(ts, strict=strict)


#: reader name -> (file around the timestamp, the timing counterpart ``(ts, strict) -> ms | None``).
READERS: dict[str, tuple[Callable[[str], str], Callable[[str, bool], int | None]]] = {
    "srt": (lambda ts: f"1\n{ts} --> {ts}\ntext\n", lambda ts, strict: timing.parse_srt(ts, strict=strict)),
    "webvtt": (lambda ts: f"WEBVTT\n\n{ts} --> {ts}\ntext\n", _vtt),
    "ass": (lambda ts: f"{_ASS_HEAD}Dialogue: 0,{ts},{ts},Default,,0,0,0,,text\n", _ass),
    "sbv": (lambda ts: f"{ts},{ts}\ntext\n", lambda ts, strict: timing.parse_sbv(ts, strict=strict)),
    "subviewer": (lambda ts: f"[INFORMATION]\n[TITLE]x\n[END INFORMATION]\n[SUBTITLE]\n\n{ts},{ts}\ntext\n",
                  lambda ts, strict: timing.parse_subviewer(ts, strict=strict)),
    "subviewer1": (lambda ts: f"{_SV1_HEAD}[{ts}]\ntext\n[{ts}]\n\n{_SV1_TAIL}",
                   lambda ts, strict: timing.parse_subviewer1(f"[{ts}]", strict=strict)),
    "tmplayer": (lambda ts: f"{ts}:text\n", lambda ts, strict: timing.parse_tmplayer(ts, strict=strict)),
    "lrc": (lambda ts: f"[{ts}]text\n", lambda ts, strict: timing.parse_lrc(ts, strict=strict)),
    "mpl2": (lambda ts: f"[{ts}][{ts}]text\n", lambda ts, strict: timing.parse_mpl2(ts, strict=strict)),
    "microdvd": (lambda ts: f"{{1}}{{1}}25\n{{{ts}}}{{{ts}}}text\n",
                 lambda ts, strict: timing.parse_microdvd(ts, Fraction(25), strict=strict)),
    "ttml": (lambda ts: f'<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="{ts}" end="{ts}">text</p>'
                      "</div></body></tt>", lambda ts, strict: timing.parse_ttml(ts, strict=strict)),
    "ssa": (lambda ts: f"{_SSA_HEAD}Dialogue: Marked=0,{ts},{ts},Default,,0000,0000,0000,,text\n", _ass),
    "qt_text": (lambda ts: f"{{QTtext}} {{timeScale:1000}} {{timeStamps:absolute}}\n[{ts}]\ntext\n[{ts}]\n",
                lambda ts, strict: timing.parse_qt_text(f"[{ts}]", 1000, strict=strict)),
}


def _reader_ms(name: str, ts: str, *, strict: bool) -> int | None:
    """The start of the one cue ``text`` the reader makes of the file around ``ts``, else ``None``."""
    build, _counterpart = READERS[name]
    try:
        doc = subkit.loads(build(ts), format=name, strict=strict)
    except SubkitError:
        return None
    if len(doc.cues) != 1 or doc.cues[0].plain_text() != "text":
        return None
    if any(item.severity == "error" for item in doc.diagnostics):
        return None
    return doc.cues[0].start_ms


@pytest.mark.parametrize("name", sorted(READERS))
def test_every_reader_agrees_with_its_timing_function(name: str) -> None:
    _build, counterpart = READERS[name]
    disagreements = []
    for ts in TIMESTAMPS:
        for strict in (False, True):
            expected = counterpart(ts, strict)
            got = _reader_ms(name, ts, strict=strict)
            if got != expected:
                disagreements.append((ts, "strict" if strict else "lenient", f"reader {got}", f"timing {expected}"))
    assert disagreements == []


def test_the_table_has_no_duplicates() -> None:
    assert len(set(TIMESTAMPS)) == len(TIMESTAMPS)


@pytest.mark.parametrize("name", sorted(READERS))
def test_the_table_exercises_each_reader(name: str) -> None:
    # Each notation must meet timestamps it reads, ones it repairs and ones it refuses, or the table proves little.
    _build, counterpart = READERS[name]
    strict = [counterpart(ts, True) for ts in TIMESTAMPS]
    lenient = [counterpart(ts, False) for ts in TIMESTAMPS]
    assert any(value is not None for value in strict)
    assert any(value is None for value in lenient)
    assert any(a is None and b is not None for a, b in zip(strict, lenient, strict=True))
