"""Clean-up: timing fixes, hearing-impaired text, rolling auto-caption duplicates, styling, empty cues.

:func:`clean` runs a fixed sequence of independent fixes, each switched on or
off by its own argument, and counts what each one changed:

1. ``strip_styling``: runs lose their inline styles, raw markup goes;
2. hearing-impaired text: ``brackets`` (``[music]``), ``parentheses``
   (``(laughs)``), ``music`` (lines made of ``♪``/``♫`` and what they enclose),
   ``speakers`` (``JOHN:`` labels at the start of a line);
3. ``rolling``: YouTube's rolling auto-captions, where each cue repeats the
   last line of the one before it: the repeated line is removed;
4. ``remove_empty``: cues with no visible text go;
5. ``merge_identical``: adjacent cues with the same text that touch or
   overlap become one;
6. timing: ``fix_overlaps``, ``min_duration_ms``, ``max_duration_ms``,
   ``min_gap_ms`` (or ``min_gap_frames`` at ``fps``).

>>> import subkit
>>> text = "1\\n00:00:01,000 --> 00:00:02,000\\n[MUSIC]\\n\\n2\\n00:00:02,000 --> 00:00:03,000\\nJOHN: (laughs) Hi\\n"
>>> doc = subkit.loads(text)
>>> [c.plain_text() for c in clean(doc)]
['Hi']
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from fractions import Fraction

from subkit.errors import OperationError
from subkit.model import PLAIN, ContentItem, Cue, Document, Raw, Run
from subkit.ops._report import ChangeReport, add_to
from subkit.ops._text import Edit, collapse_removal, edit_cue
from subkit.timing import round_half_up

__all__ = ["HI_PATTERNS", "clean"]

#: The hearing-impaired patterns, by option name. Each removes what it matches,
#: with the spaces around it, from every line.
HI_PATTERNS: dict[str, re.Pattern[str]] = {
    # [music], [door slams]; at most 80 characters, no nesting.
    "brackets": re.compile(r"\[[^\[\]\n]{1,80}\]"),
    # (laughs), (SIGHS); a parenthesis of any case, at most 80 characters.
    "parentheses": re.compile(r"\([^()\n]{1,80}\)"),
    # ♪ la la ♪ and lines made only of notes; a note to the end of the line when unclosed.
    "music": re.compile(r"[♪♫#][^♪♫#\n]*(?:[♪♫#]|$)|^[ \t]*[♪♫][^\n]*$", re.MULTILINE),
    # JOHN:, MARY SMITH:, Doctor:, >> NARRATOR: at the start of a line (a capitalised
    # name of up to three words; digits and times such as 10:30 do not count).
    "speakers": re.compile(
        r"^(?:>>\s*)?(?:[A-Z][A-Za-z'.\-]*(?:[ \t][A-Z][A-Za-z'.\-]*){0,2}|[A-Z][A-Z0-9 '.\-]{1,29}):[ \t]+",
        re.MULTILINE,
    ),
}

# "♪" alone is only music when paired or whole-line; "#" is used as a note by some
# rippers, but only when it stands at the start of a line and is paired.
_HASH_NOTE = re.compile(r"^#[^#\n]*#")


def _hi_edits(text: str, switches: dict[str, bool]) -> list[Edit]:
    spans: list[tuple[int, int]] = []
    for name, pattern in HI_PATTERNS.items():
        if not switches.get(name):
            continue
        for match in pattern.finditer(text):
            start, end = match.span()
            if start == end:
                continue
            piece = match.group()
            if name == "music" and piece.startswith("#") and not _HASH_NOTE.match(text[start:]):
                continue
            spans.append((start, end))
    if not spans:
        return []
    spans.sort()
    edits: list[Edit] = []
    for start, end in spans:
        if edits and start < edits[-1][1]:
            if end <= edits[-1][1]:
                continue
            start = edits[-1][1]
        start, end = collapse_removal(text, start, end)
        if edits and start < edits[-1][1]:
            start = edits[-1][1]
        if start < end:
            edits.append((start, end, ""))
    return edits


def _strip(cue: Cue) -> Cue:
    content: list[ContentItem] = []
    for item in cue.content:
        if type(item) is Raw:
            continue
        if type(item) is Run:
            if content and type(content[-1]) is Run:
                last = content[-1]
                assert type(last) is Run
                content[-1] = Run(last.text + item.text)
                continue
            content.append(Run(item.text) if item.style is not PLAIN else item)
        else:
            content.append(item)
    return cue.replace(content=tuple(content))


def _is_styled(cue: Cue) -> bool:
    return any(type(i) is Raw or (type(i) is Run and not i.style.is_plain()) for i in cue.content)


def _rolling(cues: Sequence[Cue]) -> tuple[list[Cue], int]:
    """Collapse rolling captions.

    Leading lines of a cue that repeat the previous cue's last line(s) are
    removed, and so are blank lines (rolling captions keep two lines on
    screen with a blank one as filler). A cue that only repeats (YouTube's
    short "flash" cues between two rolls) goes, the cue before it staying on
    screen until it ends.
    """
    result: list[Cue] = []
    changed = 0
    previous_lines: list[str] = []
    for cue in cues:
        text = cue.plain_text()
        lines = text.split("\n")
        repeat = 0
        # The longest run of leading lines equal to the previous cue's trailing lines.
        for count in range(min(len(lines), len(previous_lines)), 0, -1):
            if [line.strip() for line in lines[:count]] == [line.strip() for line in previous_lines[-count:]]:
                repeat = count
                break
        previous_lines = [line for line in lines if line.strip()]
        if not any(line.strip() for line in lines[:repeat]):
            repeat = 0
        edits: list[Edit] = []
        offset = 0
        for index, line in enumerate(lines):
            if index < repeat or (not line.strip() and len(lines) > 1):
                # The line and the break after it (the break before it for the last line).
                stop = offset + len(line) + (1 if index + 1 < len(lines) else 0)
                edits.append((offset - (1 if index + 1 == len(lines) and index else 0), stop, ""))
            offset += len(line) + 1
        if not edits:
            result.append(cue)
            continue
        changed += 1
        edited = edit_cue(cue, _merged(edits))
        if edited is not None:
            result.append(edited)
        elif result and repeat:
            last = result[-1]
            result[-1] = last.replace(end_ms=max(last.end_ms, cue.end_ms))
        else:
            result.append(cue)
            changed -= 1
    return result, changed


def _merged(edits: list[Edit]) -> list[Edit]:
    """Sorted edits with overlapping ones joined."""
    joined: list[Edit] = []
    for start, end, text in sorted(edits):
        if joined and start <= joined[-1][1]:
            last = joined[-1]
            joined[-1] = (last[0], max(last[1], end), last[2] + text)
        else:
            joined.append((start, end, text))
    return joined


def _merge_identical(cues: Sequence[Cue]) -> tuple[list[Cue], int]:
    result: list[Cue] = []
    merged = 0
    for cue in cues:
        if result:
            last = result[-1]
            if (last.content == cue.content and cue.start_ms <= last.end_ms and last.style == cue.style
                    and last.placement == cue.placement):
                result[-1] = last.replace(end_ms=max(last.end_ms, cue.end_ms), words=last.words + cue.words
                                          if last.words and cue.words and not last.words_align() else last.words)
                merged += 1
                continue
        result.append(cue)
    return result, merged


def _timing(
    cues: list[Cue],
    *,
    fix_overlaps: bool,
    min_gap: int,
    min_duration: int | None,
    max_duration: int | None,
    report: ChangeReport | None,
) -> list[Cue]:
    """Durations first, then overlaps and gaps (which may shorten a cue again, never below its start)."""
    counts = {"durations lengthened": 0, "durations shortened": 0, "overlaps fixed": 0, "gaps widened": 0}
    out: list[Cue] = []
    for cue in cues:
        end = cue.end_ms
        if max_duration is not None and cue.duration_ms > max_duration:
            end = cue.start_ms + max_duration
            counts["durations shortened"] += 1
        elif min_duration is not None and cue.duration_ms < min_duration:
            end = cue.start_ms + min_duration
            counts["durations lengthened"] += 1
        out.append(_with_end(cue, end) if end != cue.end_ms else cue)
    if fix_overlaps or min_gap:
        # Only consecutive cues in time order are compared; cue order in the document is kept.
        order = sorted(range(len(out)), key=lambda i: (out[i].start_ms, out[i].end_ms))
        for a, b in itertools.pairwise(order):
            first, second = out[a], out[b]
            if first.placement.layer != second.placement.layer or first.comment or second.comment:
                continue
            new_end = first.end_ms
            if fix_overlaps and new_end > second.start_ms:
                new_end = max(second.start_ms, first.start_ms)
                counts["overlaps fixed"] += 1
            limit = second.start_ms - min_gap
            # A gap is widened only when the cue keeps at least half its length; otherwise it
            # is left as it is (all or nothing, so that a second run changes nothing).
            keeps_half = limit - first.start_ms >= (new_end - first.start_ms) / 2
            if min_gap and limit < new_end <= second.start_ms and keeps_half:
                new_end = limit
                counts["gaps widened"] += 1
            if new_end == first.end_ms:
                continue
            out[a] = _with_end(first, new_end)
    for key, count in counts.items():
        add_to(report, key, count)
    return out


def _with_end(cue: Cue, end: int) -> Cue:
    words = cue.words
    if words and words[-1].end_ms > end:
        words = tuple(w if w.end_ms <= end else w.__class__(
            text=w.text, start_ms=min(w.start_ms, end), end_ms=end, confidence=w.confidence, kind=w.kind)
            for w in words)
    return cue.replace(end_ms=end, words=words)


def clean(
    doc: Document,
    *,
    brackets: bool = True,
    parentheses: bool = True,
    music: bool = True,
    speakers: bool = True,
    rolling: bool = False,
    strip_styling: bool = False,
    remove_empty: bool = True,
    merge_identical: bool = True,
    fix_overlaps: bool = True,
    min_gap_ms: int | None = None,
    min_gap_frames: int | None = None,
    fps: float | str | Fraction | None = None,
    min_duration_ms: int | None = None,
    max_duration_ms: int | None = None,
    report: ChangeReport | None = None,
) -> Document:
    """Clean a document; every fix is a switch and is counted in ``report``.

    With the defaults: hearing-impaired text is removed, empty cues go,
    identical adjacent cues merge and overlaps are fixed (the earlier cue ends
    where the next starts). Rolling-caption collapse, styling removal, minimum
    gaps and durations are off until asked for.

    Args:
        doc: the document.
        brackets, parentheses, music, speakers: hearing-impaired text to remove.
        rolling: collapse YouTube rolling auto-caption duplicates.
        strip_styling: drop inline styles and raw markup.
        remove_empty: drop cues with no visible text.
        merge_identical: merge adjacent cues with the same content that touch or overlap.
        fix_overlaps: end a cue where the next one (in time) starts, on the same layer.
        min_gap_ms: at least this gap between consecutive cues: the earlier one
            ends sooner, when it keeps at least half its length (else that gap stays).
        min_gap_frames: the minimum gap in frames at ``fps`` (instead of ``min_gap_ms``).
        fps: the frame rate of ``min_gap_frames`` (default: the document's, else 25).
        min_duration_ms: lengthen shorter cues (gaps and overlaps are fixed after).
        max_duration_ms: shorten longer cues.
        report: counts each fix by name.

    Raises:
        OperationError: negative or contradictory values.
    """
    from subkit.ops.retime import parse_rate

    for name, value in (("min_gap_ms", min_gap_ms), ("min_gap_frames", min_gap_frames),
                        ("min_duration_ms", min_duration_ms), ("max_duration_ms", max_duration_ms)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise OperationError(f"{name} must be a whole number >= 0, got {value!r}")
    if min_gap_ms is not None and min_gap_frames is not None:
        raise OperationError("give the minimum gap in ms or in frames, not both")
    if min_duration_ms is not None and max_duration_ms is not None and min_duration_ms > max_duration_ms:
        raise OperationError("min_duration_ms is above max_duration_ms")
    gap = min_gap_ms or 0
    if min_gap_frames:
        rate = parse_rate(fps) if fps is not None else (doc.frame_rate or Fraction(25))
        gap = round_half_up(Fraction(min_gap_frames * 1000) / rate)
    switches = {"brackets": brackets, "parentheses": parentheses, "music": music, "speakers": speakers}
    cues: list[Cue] = []
    styled = hi = emptied = 0
    for cue in doc.cues:
        current: Cue | None = cue
        if strip_styling and _is_styled(cue):
            current = _strip(cue)
            styled += 1
        if any(switches.values()):
            assert current is not None
            edits = _hi_edits(current.plain_text(), switches)
            if edits:
                hi += len(edits)
                current = edit_cue(current, edits)
                if current is None:
                    emptied += 1
                    continue
        assert current is not None
        if remove_empty and not current.plain_text().strip() and not current.comment:
            emptied += 1
            continue
        cues.append(current)
    add_to(report, "cues unstyled", styled)
    add_to(report, "hearing-impaired removed", hi)
    if rolling:
        cues, count = _rolling(cues)
        add_to(report, "rolling duplicates removed", count)
    add_to(report, "cues removed (empty)", emptied)
    if merge_identical:
        cues, count = _merge_identical(cues)
        add_to(report, "identical cues merged", count)
    cues = _timing(cues, fix_overlaps=fix_overlaps, min_gap=gap, min_duration=min_duration_ms,
                   max_duration=max_duration_ms, report=report)
    return doc.with_cues(cues)
