"""Time limits of the writers whose time fields are bounded.

A writer whose timestamps have a fixed number of hour digits cannot write a
time past its last representable instant: the text would not read back
(``100:00:00.000`` in a two-digit field, ``277777:46:40,000`` in SRT). Such
writers declare that instant as ``max_ms`` of their lowering (see
:mod:`subkit.formats._lower`), which clamps the times to it and reports a
``time-range`` loss (strict refuses), so the output always reads back.
"""

from __future__ import annotations

from subkit.model import Document, LossReport

__all__ = ["HOURS_99", "HOURS_9999", "clamp_sample_durations"]

_HOUR = 3_600_000

#: The last whole second before 100 hours (a safe limit whatever the rounding to frames or centiseconds).
HOURS_99 = 100 * _HOUR - 1000
#: The last millisecond SRT's four hour digits can hold.
HOURS_9999 = 10_000 * _HOUR - 1


def clamp_sample_durations(doc: Document, timescale: int, report: LossReport) -> Document:
    """``doc`` with every cue shortened to what one MP4 sample of ``timescale`` ticks can last.

    ``trun`` states a sample's duration as a 32-bit count of ticks (49.7 days at 1000 ticks a second); a longer
    gap between cues is split into several empty samples, but one cue lasts one sample. A shortened cue is
    reported as a ``time-range`` loss.

    Raises:
        UnsupportedFeatureError: strict and a cue is longer than that.
    """
    longest = (0xFFFFFFFF * 1000) // max(timescale, 1)
    late = [index for index, cue in enumerate(doc.cues) if cue.end_ms - cue.start_ms > longest]
    if not late:
        return doc
    report.add("time-range", f"cues longer than one sample can last ({longest // 3_600_000} hours) shortened to it",
               cue=late[0], count=len(late))
    cues = list(doc.cues)
    for index in late:
        cues[index] = cues[index].replace(end_ms=cues[index].start_ms + longest, words=())
    return doc.with_cues(cues)
