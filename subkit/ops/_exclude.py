"""Exclude time ranges from a document: drop the cues in them, clip them, or cut the time out.

Ranges are the strings Revid's ``exclude_time_ranges`` takes (``hh:mm:ss.mmm``)
and also ``m:ss``, plain seconds (``12.5-20``) and ``1500ms``; see
:func:`~subkit.ops._ranges.parse_range`. Overlapping or touching ranges are
merged first.

>>> import subkit
>>> doc = subkit.loads("1\\n00:00:01,000 --> 00:00:04,000\\nA\\n\\n2\\n00:00:05,000 --> 00:00:06,000\\nB\\n")
>>> [(c.start_ms, c.end_ms) for c in exclude(doc, ["0:02-0:03"], mode="cut")]
[(1000, 3000), (4000, 5000)]
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from typing import Literal, NamedTuple

from subkit._text import Edit, collapse_removal, edit_cue, slice_cue
from subkit.errors import OperationError
from subkit.model import Cue, Document, Word
from subkit.ops._ranges import TimeRange, cut_time, merge_ranges, parse_range, subtract
from subkit.ops._report import ChangeReport, add_to

__all__ = ["MODES", "TimeRange", "exclude", "parse_range"]

#: The ways of excluding a range.
MODES = ("drop", "clip", "cut")

Mode = Literal["drop", "clip", "cut"]


class _Cuts(NamedTuple):
    """Merged, sorted ranges with their look-up keys: each question about a time is a binary search.

    ``removed[i]`` is the total length of ``ranges[:i]`` (prefix sums).
    """

    ranges: tuple[TimeRange, ...]
    starts: list[int]
    ends: list[int]
    removed: list[int]

    @classmethod
    def of(cls, ranges: tuple[TimeRange, ...]) -> _Cuts:
        return cls(ranges, [r.start_ms for r in ranges], [r.end_ms for r in ranges],
                   list(itertools.accumulate((r.duration_ms for r in ranges), initial=0)))

    def cut(self, ms: int) -> int:
        """Where ``ms`` lands once the ranges are cut out (see :func:`cut_time`)."""
        return cut_time(ms, self.ranges, self.starts, self.removed)


def _overlaps(start: int, end: int, cuts: _Cuts) -> bool:
    """Whether ``[start, end)`` shares time with a range (a zero-length cue inside one counts)."""
    # Ranges ending at or before ``start`` cannot share time with it: start at the first one after.
    ranges = cuts.ranges
    for index in range(bisect.bisect_right(cuts.ends, start), len(ranges)):
        item = ranges[index]
        if item.start_ms >= end and not (start == end == item.start_ms):
            break
        if start < item.end_ms and (end > item.start_ms or start == end >= item.start_ms):
            return True
    return False


def _words_in(words: Sequence[Word], start: int, end: int) -> list[Word]:
    """Words overlapping ``[start, end)``, trimmed to it."""
    kept = []
    for word in words:
        outside = word.end_ms <= start or word.start_ms >= end
        if outside and not (word.start_ms == word.end_ms and start <= word.start_ms < end):
            continue
        kept.append(Word(text=word.text, start_ms=max(word.start_ms, start), end_ms=min(word.end_ms, end),
                         confidence=word.confidence, kind=word.kind))
    return kept


def _piece(cue: Cue, start: int, end: int, index: int) -> Cue | None:
    """The part of ``cue`` shown during ``[start, end)``, or ``None`` when no word of it is left.

    Without timed words, the text stays whole; with words that join to the text,
    the text is cut down to the words kept; free-standing words are only filtered.
    """
    ident = cue.id if index == 0 or cue.id is None else f"{cue.id}.{index + 1}"
    if not cue.words:
        return cue.replace(start_ms=start, end_ms=end, id=ident)
    words = _words_in(cue.words, start, end)
    if not any(w.text.strip() for w in words):
        return None
    content = cue.content
    if cue.words_align() and len(words) != len(cue.words):
        offsets = []
        offset = 0
        for word in cue.words:
            offsets.append(offset)
            offset += len(word.text)
        first = next(i for i, w in enumerate(cue.words) if w.end_ms > start or w.start_ms >= start)
        last = first + len(words)
        content = slice_cue(cue, offsets[first], offsets[last] if last < len(offsets) else offset)
        # The kept words are re-cut to the trimmed text so that they still join to it.
        words = _rejoin(words, content_text := Cue(start_ms=0, end_ms=0, content=content).plain_text())
        if not content_text.strip():
            return None
    return cue.replace(start_ms=start, end_ms=end, id=ident, content=content, words=tuple(words))


def _rejoin(words: list[Word], text: str) -> list[Word]:
    """Words whose texts join to ``text``: each word runs from where it is found to where the next is found.

    Spaces stay at the end of the word before them, as in markup-derived words.
    Returns an empty list when a word cannot be found (the words then do not
    join and are better left out than wrong).
    """
    starts: list[int] = []
    position = 0
    for word in words:
        core = word.text.strip()
        found = text.find(core, position) if core else position
        if found < 0:
            return []
        starts.append(found)
        position = found + len(core)
    if not starts:
        return []
    starts[0] = 0
    bounds = [*starts[1:], len(text)]
    return [
        Word(text=text[begin:stop], start_ms=word.start_ms, end_ms=word.end_ms, confidence=word.confidence,
             kind=word.kind)
        for word, begin, stop in zip(words, starts, bounds, strict=True)
        if stop > begin or not word.text
    ]


def _clip(cue: Cue, ranges: Sequence[TimeRange]) -> list[Cue]:
    parts = subtract(cue.start_ms, cue.end_ms, ranges)
    pieces = [_piece(cue, start, end, index) for index, (start, end) in enumerate(parts)]
    return [p for p in pieces if p is not None]


def _cut(cue: Cue, cuts: _Cuts) -> Cue | None:
    start = cuts.cut(cue.start_ms)
    end = cuts.cut(cue.end_ms)
    if end <= start and cue.end_ms > cue.start_ms:
        return None
    if not cue.words:
        return cue.replace(start_ms=start, end_ms=end)
    # Words said during a cut range go with it; the others move with the time.
    kept = [w for w in cue.words if not _inside(w, cuts)]
    if not any(w.text.strip() for w in kept):
        return None
    moved = _move_words(cue.words, cuts, start, end)
    if len(kept) == len(cue.words):
        return cue.replace(start_ms=start, end_ms=end, words=moved)
    if not cue.words_align():
        return cue.replace(start_ms=start, end_ms=end, words=tuple(w for w, old in zip(moved, cue.words, strict=True)
                                                                   if not _inside(old, cuts)))
    edits: list[Edit] = []
    offset = 0
    text = cue.plain_text()
    for word in cue.words:
        if _inside(word, cuts) and word.text.strip():
            s, e = collapse_removal(text, offset, offset + len(word.text.rstrip()))
            if edits and s < edits[-1][1]:
                s = edits[-1][1]
            edits.append((s, e, ""))
        offset += len(word.text)
    edited = edit_cue(cue.replace(words=moved), edits)
    if edited is None:
        return None
    return edited.replace(start_ms=start, end_ms=end)


def _move_words(words: Sequence[Word], cuts: _Cuts, start: int, end: int) -> tuple[Word, ...]:
    """``words`` moved through the cut, clamped to the cue's new times."""
    return tuple(
        Word(text=w.text, start_ms=min(max(cuts.cut(w.start_ms), start), end),
             end_ms=min(max(cuts.cut(w.end_ms), start), end), confidence=w.confidence, kind=w.kind)
        for w in words
    )


def _inside(word: Word, cuts: _Cuts) -> bool:
    """Whether a word lies wholly within one range (the ranges are disjoint: only the last starting
    at or before it can hold it)."""
    index = bisect.bisect_right(cuts.starts, word.start_ms) - 1
    return index >= 0 and word.end_ms <= cuts.ends[index]


def exclude(
    doc: Document,
    ranges: Iterable[str | TimeRange | Sequence[int]],
    *,
    mode: Mode | str = "drop",
    report: ChangeReport | None = None,
) -> Document:
    """Remove what happens during ``ranges``.

    Modes:

    * ``drop``: remove every cue that overlaps a range (touching its edge is
      not overlapping); the others are untouched.
    * ``clip``: trim cues (and their timed words) at the range edges and drop
      what is left empty. A cue that spans a range is split in two, the part
      before and the part after; with timed words each part keeps only its
      words (and, when the words join to the text, only their text), without
      them both parts show the whole text. A part with no word left goes.
    * ``cut``: remove the time itself, as when the video is cut: everything
      after a range moves earlier by its length. Cues inside a range go; a cue
      spanning one closes up around the cut, losing the words said during it.

    Args:
        doc: the document.
        ranges: ``"A-B"`` strings, :class:`TimeRange` objects or ``(start_ms, end_ms)``
            pairs; merged when they overlap.
        mode: ``drop``, ``clip`` or ``cut``.
        report: counts ``cues dropped``, ``cues clipped``, ``cues split``, ``cues moved``.

    Returns:
        A new document, cues in their original order.

    Raises:
        OperationError: no ranges, a bad range, or an unknown mode.
    """
    if mode not in MODES:
        raise OperationError(f"unknown exclude mode {mode!r} (choose from {', '.join(MODES)})")
    merged = merge_ranges(ranges)
    if not merged:
        raise OperationError("exclude needs at least one time range")
    cuts = _Cuts.of(merged)
    cues: list[Cue] = []
    dropped = changed = split = moved = 0
    for cue in doc.cues:
        hit = _overlaps(cue.start_ms, cue.end_ms, cuts)
        if mode == "cut":
            new = _cut(cue, cuts)
            if new is None:
                dropped += 1
                continue
            if hit:
                changed += 1
            elif new.start_ms != cue.start_ms:
                moved += 1
            cues.append(new)
            continue
        if not hit:
            cues.append(cue)
            continue
        if mode == "drop":
            dropped += 1
            continue
        pieces = _clip(cue, merged)
        if not pieces:
            dropped += 1
        else:
            changed += 1
            split += len(pieces) - 1
        cues.extend(pieces)
    add_to(report, "cues dropped", dropped)
    add_to(report, "cues clipped", changed)
    add_to(report, "cues split", split)
    add_to(report, "cues moved", moved)
    return doc.with_cues(cues)
