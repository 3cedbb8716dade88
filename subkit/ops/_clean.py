"""Clean-up: timing fixes, hearing-impaired text, rolling auto-caption duplicates, styling, empty cues.

:func:`clean` runs a fixed sequence of independent fixes, each switched on or
off by its own argument, and counts what each one changed:

1. ``strip_styling``: runs lose their inline styles, raw markup goes;
2. hearing-impaired text, off until asked for (``hi=True`` switches on all
   four): ``brackets`` (``[music]``), ``parentheses`` (``(laughs)``),
   ``music`` (lines made of ``♪``/``♫`` and what they enclose), ``speakers``
   (``JOHN:`` labels at the start of a line or after a dialogue dash; when
   labels of two speakers go, their lines get dialogue dashes instead);
3. the fix-common-errors rules named in ``rules`` (see :data:`FIXES`):
   markup left as text, double spaces, the space after punctuation, one form
   of ellipsis, one dialogue-dash style, English ``l``/``I`` OCR confusions,
   sentence case, and re-breaking lines that are too long;
4. ``rolling``: YouTube's rolling auto-captions, where each cue repeats the
   last line of the one before it: the repeated line is removed;
5. ``remove_empty``: cues with no visible text go;
6. ``merge_identical``: adjacent cues with the same text that touch or
   overlap become one;
7. timing: ``fix_overlaps``, ``min_duration_ms``, ``max_duration_ms``,
   ``min_gap_ms`` (or ``min_gap_frames`` at the frame rate), repaired by the
   same code and measured the same way as the matching QC rules, so that the
   output of ``clean(doc, profile=P)`` passes ``lint`` with profile ``P`` on
   every timing rule it can repair.

>>> import subkit
>>> text = "1\\n00:00:01,000 --> 00:00:02,000\\n[MUSIC]\\n\\n2\\n00:00:02,000 --> 00:00:03,000\\nJOHN: (laughs) Hi\\n"
>>> doc = subkit.loads(text)
>>> [c.plain_text() for c in clean(doc, hi=True)]
['Hi']
>>> [c.plain_text() for c in clean(doc)]
['[MUSIC]', 'JOHN: (laughs) Hi']
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from subkit._fixes import DASHES, FIXES, apply_fix
from subkit._text import Edit, collapse_removal, edit_cue
from subkit.errors import OperationError
from subkit.model import PLAIN, ContentItem, Cue, Document, Raw, Run
from subkit.ops._report import ChangeReport, add_to

if TYPE_CHECKING:
    from subkit.qc import Profile, Span

__all__ = ["FIXES", "HI_PATTERNS", "NOT_SPEAKERS", "clean", "fix_names"]

#: The hearing-impaired patterns, by option name. Each removes what it matches,
#: with the spaces around it, from every line.
HI_PATTERNS: dict[str, re.Pattern[str]] = {
    # [music], [door slams]; at most 80 characters, no nesting.
    "brackets": re.compile(r"\[[^\[\]\n]{1,80}\]"),
    # (laughs), (SIGHS); a parenthesis of any case, at most 80 characters.
    "parentheses": re.compile(r"\([^()\n]{1,80}\)"),
    # ♪ la la ♪ and lines made only of notes; a note to the end of the line when unclosed.
    "music": re.compile(r"[♪♫#][^♪♫#\n]*(?:[♪♫#]|$)|^[ \t]*[♪♫][^\n]*$", re.MULTILINE),
    # JOHN:, MARY SMITH:, Doctor:, >> NARRATOR: at the start of a line or after a dialogue dash
    # ("- JOHN: Hi."; the dash stays); a capitalised name of up to three words; digits and times
    # such as 10:30 do not count, nor do words in NOT_SPEAKERS ("NOTE: ...").
    "speakers": re.compile(
        rf"^(?:>>\s*)?(?:[{DASHES}][ \t]*)?"
        r"(?P<label>(?:[A-Z][A-Za-z'.\-]*(?:[ \t][A-Z][A-Za-z'.\-]*){0,2}|[A-Z][A-Z0-9 '.\-]{1,29})):[ \t]+",
        re.MULTILINE,
    ),
}

#: Words that open ordinary dialogue with a colon and are not speaker labels ("NOTE: the door is open").
NOT_SPEAKERS = frozenset((
    "note", "warning", "caution", "danger", "attention", "notice", "important", "update", "breaking", "reminder",
    "ps", "p.s", "re", "fyi", "example", "question", "answer", "step", "tip", "hint", "rule", "chapter", "part",
    "scene", "day", "week", "year", "level", "subject", "to", "from", "date", "time", "location", "address",
))

_LINE_START = re.compile(rf"^(?:>>\s*)?(?P<dash>[{DASHES}][ \t]*)?", re.MULTILINE)

# "♪" alone is only music when paired or whole-line; "#" is used as a note by some
# rippers, but only when it stands at the start of a line and is paired.
_HASH_NOTE = re.compile(r"^#[^#\n]*#")


def _hi_edits(text: str, switches: dict[str, bool], dash: str = "-") -> list[Edit]:
    """Removals of hearing-impaired text; labels of two or more speakers in a cue become dialogue dashes."""
    spans: list[tuple[int, int, str]] = []
    for name, pattern in HI_PATTERNS.items():
        if not switches.get(name):
            continue
        matches = [m for m in pattern.finditer(text) if m.start() != m.end()]
        if name == "speakers":
            matches = [m for m in matches if m.group("label").lower().rstrip(".") not in NOT_SPEAKERS]
            dialogue = len(matches) >= 2
        for match in matches:
            start, end = match.span()
            replacement = ""
            if name == "music" and match.group().startswith("#") and not _HASH_NOTE.match(text[start:]):
                continue
            if name == "speakers":
                # A dialogue dash before the label stays; a line of a dialogue without one gets one.
                if any(d in text[start:match.start("label")] for d in DASHES):
                    start = match.start("label")
                elif dialogue:
                    replacement = dash
            spans.append((start, end, replacement))
    if not spans:
        return []
    spans.sort()
    edits: list[Edit] = []
    for start, end, replacement in spans:
        if edits and start < edits[-1][1]:
            if end <= edits[-1][1]:
                continue
            start = edits[-1][1]
        if not replacement:
            start, end = collapse_removal(text, start, end)
        if edits and start < edits[-1][1]:
            start = edits[-1][1]
        if start < end:
            edits.append((start, end, replacement))
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


def clean(
    doc: Document,
    *,
    hi: bool = False,
    brackets: bool | None = None,
    parentheses: bool | None = None,
    music: bool | None = None,
    speakers: bool | None = None,
    rules: Sequence[str] | str | None = None,
    rule_options: Mapping[str, Any] | None = None,
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
    profile: str | Path | Mapping[str, Any] | None = None,
    report: ChangeReport | None = None,
) -> Document:
    """Clean a document; every fix is a switch and is counted in ``report``.

    With the defaults: empty cues go, identical adjacent cues merge and
    overlaps are fixed (the earlier cue ends where the next starts).
    Hearing-impaired removal (``hi``), the fix-common-errors ``rules``,
    rolling-caption collapse, styling removal, minimum gaps and durations are
    off until asked for.

    Args:
        doc: the document.
        hi: remove hearing-impaired text: brackets, parentheses, music and speaker labels.
        brackets, parentheses, music, speakers: each kind on its own (``None``: as ``hi``).
        rules: fix-common-errors rules by name (see :data:`FIXES`), or ``"all"``.
        rule_options: their options: ``ellipsis`` (``"…"`` or ``"..."``), ``dash``,
            ``dash_space``, ``max_cpl``, ``max_lines`` (the profile's when one is given).
        rolling: collapse YouTube rolling auto-caption duplicates.
        strip_styling: drop inline styles and raw markup.
        remove_empty: drop cues with no visible text.
        merge_identical: merge adjacent cues with the same content that touch or overlap.
        fix_overlaps: end a cue where the next one (in time) starts, on the same layer.
        min_gap_ms: at least this gap between consecutive cues: the earlier one ends sooner
            (never moved; a cue that would be left with nothing keeps its end).
        min_gap_frames: the minimum gap in frames (instead of ``min_gap_ms``).
        fps: the frame rate of frame-based limits (default: the document's, then the
            profile's, then 23.976, as ``lint`` resolves it).
        min_duration_ms: lengthen shorter cues into the room before the next one.
        max_duration_ms: shorten longer cues.
        profile: a QC profile whose timing rules (minimum gap, durations, overlaps) and
            text options this clean applies, the way ``lint`` with it measures them.
        report: counts each fix by name.

    Raises:
        OperationError: negative or contradictory values, an unknown rule or profile.
    """
    from subkit.qc import fix_timing, load_profile, resolve_fps

    _check_limits(min_gap_ms, min_gap_frames, min_duration_ms, max_duration_ms)
    qc_profile = load_profile(profile, rules=None) if profile is not None else None
    rate, _ = resolve_fps(doc, qc_profile, fps)
    limits = _TimingLimits.of(qc_profile, min_gap_ms, min_gap_frames, min_duration_ms, max_duration_ms)
    if qc_profile is not None:
        fix_overlaps = fix_overlaps and "overlap" in qc_profile.rules
    options = {**limits.text_options, **(rule_options or {})}
    switches = {name: hi if value is None else value for name, value in
                (("brackets", brackets), ("parentheses", parentheses), ("music", music), ("speakers", speakers))}
    cues, counts = _clean_text(doc.cues, strip_styling=strip_styling, switches=switches, fixes=fix_names(rules),
                               options=options, remove_empty=remove_empty)
    add_to(report, "cues unstyled", counts.get("cues unstyled", 0))
    add_to(report, "hearing-impaired removed", counts.get("hearing-impaired removed", 0))
    for key, count in counts.items():  # the rules in the order they first fixed something
        if key in FIXES:
            add_to(report, key, count)
    if rolling:
        cues, count = _rolling(cues)
        add_to(report, "rolling duplicates removed", count)
    add_to(report, "cues removed (empty)", counts.get("cues removed (empty)", 0))
    if merge_identical:
        cues, count = _merge_identical(cues)
        add_to(report, "identical cues merged", count)
    timing: dict[str, int] = {}
    timed = fix_timing(doc.with_cues(cues), rate, min_gap=limits.gap, touching_ok=limits.touching_ok,
                       min_duration=limits.min_duration, max_duration=limits.max_duration,
                       fix_overlaps=fix_overlaps, counts=timing)
    for key in ("durations lengthened", "durations shortened", "overlaps fixed", "gaps widened"):
        add_to(report, key, timing.get(key, 0))
    return timed


def _check_limits(min_gap_ms: int | None, min_gap_frames: int | None, min_duration_ms: int | None,
                  max_duration_ms: int | None) -> None:
    """Refuse negative, non-integer or contradictory timing limits.

    Raises:
        OperationError: a bad limit, a gap in both units, a minimum duration above the maximum.
    """
    for name, value in (("min_gap_ms", min_gap_ms), ("min_gap_frames", min_gap_frames),
                        ("min_duration_ms", min_duration_ms), ("max_duration_ms", max_duration_ms)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise OperationError(f"{name} must be a whole number >= 0, got {value!r}")
    if min_gap_ms is not None and min_gap_frames is not None:
        raise OperationError("give the minimum gap in ms or in frames, not both")
    if min_duration_ms is not None and max_duration_ms is not None and min_duration_ms > max_duration_ms:
        raise OperationError("min_duration_ms is above max_duration_ms")


@dataclass(slots=True)
class _TimingLimits:
    """The timing limits of a clean and the text options a profile gives, arguments over the profile."""

    gap: Span | None = None
    touching_ok: bool = True
    min_duration: Span | None = None
    max_duration: Span | None = None
    text_options: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, qc_profile: Profile | None, min_gap_ms: int | None, min_gap_frames: int | None,
           min_duration_ms: int | None, max_duration_ms: int | None) -> _TimingLimits:
        from subkit.qc import Span, parse_span

        limits = cls(min_duration=Span(min_duration_ms) if min_duration_ms is not None else None,
                     max_duration=Span(max_duration_ms) if max_duration_ms is not None else None)
        active = qc_profile.rules if qc_profile is not None else {}
        if "min-gap" in active:
            limits.gap = parse_span(active["min-gap"]["min_gap"], name="min_gap")
            limits.touching_ok = bool(active["min-gap"].get("touching_ok", True))
        if "min-duration" in active and limits.min_duration is None:
            limits.min_duration = parse_span(active["min-duration"]["min_duration"], name="min_duration")
        if "max-duration" in active and limits.max_duration is None:
            limits.max_duration = parse_span(active["max-duration"]["max_duration"], name="max_duration")
        for rule_id, keys in (("ellipsis", ("ellipsis",)), ("dialogue-dash", ("dash", "dash_space")),
                              ("cpl", ("max_cpl",)), ("max-lines", ("max_lines",))):
            if rule_id in active:
                for key in keys:
                    limits.text_options[key] = active[rule_id][key]
        # A gap asked for explicitly separates touching cues too; a profile says itself whether they may touch.
        if min_gap_ms is not None:
            limits.gap, limits.touching_ok = Span(min_gap_ms), False
        elif min_gap_frames is not None:
            limits.gap, limits.touching_ok = Span(min_gap_frames, "f"), False
        return limits


def _clean_text(cues: Sequence[Cue], *, strip_styling: bool, switches: dict[str, bool], fixes: Sequence[str],
                options: dict[str, Any], remove_empty: bool) -> tuple[list[Cue], dict[str, int]]:
    """The text fixes, cue by cue: styling, hearing-impaired text, the named rules, empty cues; with counts."""
    dash = str(options.get("dash", "-")) + (" " if options.get("dash_space") else "")
    hi_on = any(switches.values())
    kept: list[Cue] = []
    counts: dict[str, int] = {}
    previous_text: str | None = None
    for cue in cues:
        current: Cue | None = cue
        if strip_styling and _is_styled(cue):
            current = _strip(cue)
            counts["cues unstyled"] = counts.get("cues unstyled", 0) + 1
        if hi_on:
            assert current is not None
            edits = _hi_edits(current.plain_text(), switches, dash)
            if edits:
                counts["hearing-impaired removed"] = counts.get("hearing-impaired removed", 0) + len(edits)
                current = edit_cue(current, edits)
        if current is not None:
            current = _apply_fixes(current, fixes, previous_text, options, counts)
        if current is None or (remove_empty and not current.plain_text().strip() and not current.comment):
            counts["cues removed (empty)"] = counts.get("cues removed (empty)", 0) + 1
            continue
        if not current.comment:
            previous_text = current.plain_text()
        kept.append(current)
    return kept, counts


def _apply_fixes(cue: Cue, fixes: Sequence[str], previous_text: str | None, options: dict[str, Any],
                 counts: dict[str, int]) -> Cue:
    for name in fixes:
        edits = FIXES[name].edits(cue.plain_text(), previous_text, options)
        if edits:
            changed = apply_fix(cue, edits)
            if changed is not cue:
                counts[name] = counts.get(name, 0) + 1
                cue = changed
    return cue


def fix_names(rules: Sequence[str] | str | None) -> list[str]:
    """The fix-common-errors rules to run, in :data:`FIXES` order.

    Raises:
        OperationError: an unknown name.
    """
    if rules is None:
        return []
    names = [r.strip() for r in (rules.split(",") if isinstance(rules, str) else rules) if r.strip()]
    if "all" in names:
        return list(FIXES)
    for name in names:
        if name not in FIXES:
            import difflib

            close = difflib.get_close_matches(name, list(FIXES), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise OperationError(f"unknown clean rule {name!r}{hint}; known: {', '.join(FIXES)}")
    return [name for name in FIXES if name in names]
