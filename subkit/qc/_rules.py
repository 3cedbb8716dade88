"""The QC rule registry: every rule's check and, where a safe repair exists, its fix.

Rules are grouped by what they look at: ``timing`` (durations, gaps, reading
speed, shot changes, frame rate), ``layout`` (lines and their length), ``text``
(glyphs, punctuation, dashes, numbers, markup), ``cea608`` (the line-21 grid)
and ``imsc`` (regions of the IMSC1/EBU-TT-D text profiles). A profile switches
rules on and sets their parameters; :data:`RULES` gives every rule's defaults.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from fractions import Fraction
from typing import Any

from subkit._fixes import (
    apply_fix,
    dash_edits,
    ellipsis_edits,
    markup_edits,
    whitespace_edits,
)
from subkit._text import Edit
from subkit.model import Cue, Document, Run
from subkit.qc._core import Check, Context, Finding, Fix, Rule, Severity, Span, parse_span
from subkit.timing import format_clock, parse_fps

__all__ = ["RULES", "TIMING_RULES", "fix_timing"]

_RULES: list[Rule] = []


def _rule(id: str, description: str, severity: Severity, category: str, **params: Any) -> Callable[[Check], Check]:
    """Register the decorated check under ``id``; a ``fix`` is attached with :func:`_fix_for`."""

    def register(check: Check) -> Check:
        _RULES.append(Rule(id, description, severity, category, params, check))
        return check

    return register


def _fix_for(id: str) -> Callable[[Fix], Fix]:
    def attach(fix: Fix) -> Fix:
        for index, rule in enumerate(_RULES):
            if rule.id == id:
                _RULES[index] = Rule(rule.id, rule.description, rule.severity, rule.category, rule.params,
                                     rule.check, fix)
        return fix

    return attach


def _shown(ctx: Context) -> Iterator[tuple[int, Cue]]:
    for index, cue in enumerate(ctx.cues):
        if not cue.comment:
            yield index, cue



def _span(params: Mapping[str, Any], name: str) -> Span:
    return parse_span(params[name], name=name)


def _number(value: float) -> str:
    return f"{value:.1f}" if isinstance(value, float) and not float(value).is_integer() else f"{value:g}"


def _frames_or_ms(span: Span, ms: int, fps: Fraction) -> str:
    return f"{span.frames(ms, fps)} frames" if span.unit == "f" else f"{ms} ms"


# ---------------------------------------------------------------- timing


def fix_timing(
    doc: Document,
    fps: Fraction,
    *,
    min_gap: Span | None = None,
    touching_ok: bool = True,
    min_duration: Span | None = None,
    max_duration: Span | None = None,
    fix_overlaps: bool = True,
    counts: dict[str, int] | None = None,
) -> Document:
    """Repair durations, overlaps and gaps together, the way the matching checks measure them.

    Maximum durations are cut first; then each cue ends early enough to leave
    the minimum gap before the next cue on its layer (or at its start, for
    overlaps); then short cues are lengthened into the room that is left. A
    cue is never moved, and never shortened to nothing: what cannot be
    repaired without moving cues stays for the checks to report. Running it
    twice changes nothing the second time.
    """
    tally = counts if counts is not None else {}
    cues = list(doc.cues)
    gap_ms = min_gap.ms(fps) if min_gap is not None else 0

    def set_end(index: int, end: int, key: str) -> None:
        cue = cues[index]
        if end != cue.end_ms:
            cues[index] = _with_end(cue, end)
            tally[key] = tally.get(key, 0) + 1

    if max_duration is not None:
        limit = max_duration.ms(fps)
        for index, cue in enumerate(cues):
            if not cue.comment and cue.duration_ms > limit:
                set_end(index, cue.start_ms + limit, "durations shortened")
    context = Context(doc.with_cues(cues), fps)
    following: dict[int, int] = {}
    for first, second in context.neighbours():
        following[first] = second
        a, b = cues[first], cues[second]
        limit_end = b.start_ms
        if min_gap is not None and not (touching_ok and a.end_ms == b.start_ms):
            limit_end = b.start_ms - gap_ms
        if a.end_ms > limit_end and (fix_overlaps or a.end_ms <= b.start_ms):
            if limit_end > a.start_ms:
                set_end(first, limit_end, "gaps widened" if a.end_ms <= b.start_ms else "overlaps fixed")
            elif fix_overlaps and a.end_ms > b.start_ms >= a.start_ms:
                set_end(first, max(b.start_ms, a.start_ms), "overlaps fixed")
    if min_duration is not None:
        wanted = min_duration.ms(fps)
        for index, cue in enumerate(cues):
            if cue.comment or not min_duration.shorter(cue.duration_ms, fps):
                continue
            room = None
            if index in following:
                nxt = cues[following[index]]
                room = nxt.start_ms - (gap_ms if min_gap is not None else 0)
                if touching_ok and min_gap is not None and cue.end_ms == nxt.start_ms:
                    room = nxt.start_ms
            end = cue.start_ms + wanted if room is None else min(cue.start_ms + wanted, max(room, cue.end_ms))
            if max_duration is not None:
                end = min(end, cue.start_ms + max_duration.ms(fps))
            if end > cue.end_ms:
                set_end(index, end, "durations lengthened")
    return doc.with_cues(cues) if any(a is not b for a, b in zip(cues, doc.cues, strict=True)) else doc


def _with_end(cue: Cue, end: int) -> Cue:
    words = cue.words
    if words and words[-1].end_ms > end:
        words = tuple(w if w.end_ms <= end else type(w)(
            text=w.text, start_ms=min(w.start_ms, end), end_ms=end, confidence=w.confidence, kind=w.kind)
            for w in words)
    return cue.replace(end_ms=end, words=words)


def _timing_fix(ctx: Context, params: Mapping[str, Any]) -> Document:
    """The one timing repair behind the duration, gap and overlap rules, with every active one's parameters."""
    active = ctx.active
    return fix_timing(
        ctx.doc, ctx.fps,
        min_gap=_span(active["min-gap"], "min_gap") if "min-gap" in active else None,
        touching_ok=bool(active["min-gap"].get("touching_ok", True)) if "min-gap" in active else True,
        min_duration=_span(active["min-duration"], "min_duration") if "min-duration" in active else None,
        max_duration=_span(active["max-duration"], "max_duration") if "max-duration" in active else None,
        fix_overlaps="overlap" in active,
    )


@_rule("min-duration", "a cue is on screen for less than the minimum", "error", "timing", min_duration="5/6s")
def _min_duration(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    span = _span(params, "min_duration")
    for index, cue in _shown(ctx):
        if span.shorter(cue.duration_ms, ctx.fps):
            yield ctx.finding(RULES["min-duration"], index, cue.duration_ms, span.ms(ctx.fps),
                              f"on screen {_frames_or_ms(span, cue.duration_ms, ctx.fps)} (minimum {span})")


@_rule("max-duration", "a cue is on screen for longer than the maximum", "error", "timing", max_duration="7s")
def _max_duration(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    span = _span(params, "max_duration")
    limit = span.ms(ctx.fps)
    for index, cue in _shown(ctx):
        if cue.duration_ms > limit:
            yield ctx.finding(RULES["max-duration"], index, cue.duration_ms, limit,
                              f"on screen {cue.duration_ms} ms (maximum {span})")


@_rule("min-gap", "consecutive cues are closer than the minimum gap", "error", "timing",
       min_gap="2f", touching_ok=True)
def _min_gap(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    span = _span(params, "min_gap")
    touching_ok = bool(params.get("touching_ok", True))
    for first, second in ctx.neighbours():
        gap = ctx.cues[second].start_ms - ctx.cues[first].end_ms
        if gap < 0 or (gap == 0 and touching_ok) or not span.shorter(gap, ctx.fps):
            continue
        yield ctx.finding(RULES["min-gap"], second, gap, span.ms(ctx.fps),
                          f"{_frames_or_ms(span, gap, ctx.fps)} after the previous cue (minimum {span})")


@_rule("overlap", "a cue starts before the previous one on its layer ends", "error", "timing")
def _overlap(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for first, second in ctx.neighbours():
        overlap = ctx.cues[first].end_ms - ctx.cues[second].start_ms
        if overlap > 0:
            yield ctx.finding(RULES["overlap"], second, overlap, 0,
                              f"starts {overlap} ms before the previous cue ends")


for _id in ("min-duration", "max-duration", "min-gap", "overlap"):
    _fix_for(_id)(_timing_fix)


def _characters(text: str, ignore_spaces: bool) -> int:
    text = text.replace("\n", "")
    return len(text.replace(" ", "")) if ignore_spaces else len(text)


@_rule("cps", "reading speed above the limit, in characters per second", "error", "timing",
       max_cps=20.0, ignore_spaces=False)
def _cps(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    limit = float(params["max_cps"])
    for index, cue in _shown(ctx):
        characters = _characters(ctx.text(index), bool(params.get("ignore_spaces")))
        if not characters:
            continue
        seconds = cue.duration_ms / 1000
        cps = characters / seconds if seconds > 0 else float("inf")
        if cps > limit:
            said = (f"{_number(round(cps, 1))} characters per second" if seconds > 0
                    else f"{characters} character(s) in no time at all")
            yield ctx.finding(RULES["cps"], index, round(cps, 2), limit, f"{said} (limit {_number(limit)})")


@_fix_for("cps")
def _cps_fix(ctx: Context, params: Mapping[str, Any]) -> Document:
    """Lengthen fast cues into the room before the next cue (never past the maximum duration)."""
    limit = float(params["max_cps"])
    active = ctx.active
    gap = _span(active["min-gap"], "min_gap").ms(ctx.fps) if "min-gap" in active else 0
    longest = _span(active["max-duration"], "max_duration").ms(ctx.fps) if "max-duration" in active else None
    following = dict(ctx.neighbours())
    cues = list(ctx.cues)
    for index, cue in _shown(ctx):
        characters = _characters(ctx.text(index), bool(params.get("ignore_spaces")))
        needed = _needed_ms(characters, limit)
        if not characters or cue.duration_ms >= needed:
            continue
        end = cue.start_ms + needed
        if index in following:
            end = min(end, max(cues[following[index]].start_ms - gap, cue.end_ms))
        if longest is not None:
            end = min(end, max(cue.start_ms + longest, cue.end_ms))
        if end > cue.end_ms:
            cues[index] = _with_end(cue, end)
    return ctx.doc.with_cues(cues)


def _needed_ms(characters: int, cps: float) -> int:
    exact = Fraction(characters) / Fraction(str(cps)) * 1000
    return -((-exact.numerator) // exact.denominator)


@_rule("wpm", "reading speed above the limit, in words per minute", "warning", "timing", max_wpm=180)
def _wpm(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    limit = float(params["max_wpm"])
    for index, cue in _shown(ctx):
        words = len(ctx.text(index).split())
        if not words:
            continue
        minutes = cue.duration_ms / 60000
        wpm = words / minutes if minutes > 0 else float("inf")
        if wpm > limit:
            said = f"{round(wpm):d} words per minute" if minutes > 0 else f"{words} word(s) in no time at all"
            yield ctx.finding(RULES["wpm"], index, round(wpm, 1), limit, f"{said} (limit {_number(limit)})")


@_rule("frame-rate", "the programme's frame rate is not one the profile delivers at", "error", "timing",
       allowed=["23.976", "24", "25", "29.97", "30", "50", "59.94", "60"])
def _frame_rate(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    allowed = {parse_fps(str(rate)) for rate in params["allowed"]}
    rate = ctx.fps
    if ctx.fps_source == "assumed":
        yield Finding(rule="frame-rate", cue=None, start_ms=0, end_ms=0, value=float(rate), limit=0,
                      message=f"the frame rate is not known (the file does not say): {float(rate):.3f} fps "
                              "assumed; pass --fps to check frame-based rules exactly",
                      severity="info")
    elif rate not in allowed:
        yield Finding(rule="frame-rate", cue=None, start_ms=0, end_ms=0, value=float(rate), limit=0,
                      message=f"{float(rate):.3f} fps is not an allowed frame rate "
                              f"({', '.join(str(r) for r in params['allowed'])})",
                      severity=RULES["frame-rate"].severity)


@_rule("shot-change", "a cue starts or ends close to a shot change instead of on it", "warning", "timing",
       window="12f", in_offset="0f", out_offset="2f")
def _shot_change(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    if not ctx.shot_changes:
        return
    for index, _cue, kind, at, target, shot in _shot_targets(ctx, params):
        frames = round(Fraction(target - at) * ctx.fps / 1000)
        direction = "later" if frames > 0 else "earlier"
        yield ctx.finding(RULES["shot-change"], index, abs(frames), 0,
                          f"{kind} {abs(frames)} frame(s) from where the shot change at {format_clock(shot)} puts it; "
                          f"snap it {direction} to {format_clock(target)}")


def _shot_targets(ctx: Context, params: Mapping[str, Any]) -> Iterator[tuple[int, Cue, str, int, int, int]]:
    window = _span(params, "window")
    in_offset = _span(params, "in_offset").ms(ctx.fps)
    out_offset = _span(params, "out_offset").ms(ctx.fps)
    for index, cue in _shown(ctx):
        for kind, at, offset in (("starts", cue.start_ms, in_offset), ("ends", cue.end_ms, -out_offset)):
            shot = ctx.nearest_shot(at)
            if shot is None or (window.shorter(abs(at - shot), ctx.fps) is False and not _same(window, at, shot, ctx)):
                continue
            target = shot + offset
            if round(Fraction(target - at) * ctx.fps / 1000) != 0:
                yield index, cue, kind, at, target, shot


def _same(window: Span, at: int, shot: int, ctx: Context) -> bool:
    """Whether ``at`` is exactly the window's length from ``shot`` (the window's edge counts as inside)."""
    distance = abs(at - shot)
    return window.frames(distance, ctx.fps) == window.amount if window.unit == "f" else distance == window.amount


@_fix_for("shot-change")
def _shot_change_fix(ctx: Context, params: Mapping[str, Any]) -> Document:
    """Snap in-times to the shot change and out-times to just before it, where that keeps the cue whole."""
    if not ctx.shot_changes:
        return ctx.doc
    cues = list(ctx.cues)
    for index, _, kind, _, target, _ in _shot_targets(ctx, params):
        cue = cues[index]
        if kind == "starts" and target < cue.end_ms:
            cues[index] = cue.replace(start_ms=target, words=tuple(
                w if w.start_ms >= target else type(w)(text=w.text, start_ms=target, end_ms=max(w.end_ms, target),
                                                        confidence=w.confidence, kind=w.kind) for w in cue.words))
        elif kind == "ends" and target > cue.start_ms:
            cues[index] = _with_end(cue, target) if target < cue.end_ms else cue.replace(end_ms=target)
    return ctx.doc.with_cues(cues)


# ---------------------------------------------------------------- layout


def _long_lines(ctx: Context, rule: str, limit: int, said: str) -> Iterator[Finding]:
    """Lines longer than ``limit``; ``said`` words the finding (``{length}``, ``{limit}``, ``{line}``)."""
    for index, _ in _shown(ctx):
        for number, line in enumerate(ctx.text(index).split("\n"), 1):
            if len(line) > limit:
                yield ctx.finding(RULES[rule], index, len(line), limit,
                                  said.format(length=len(line), limit=limit, line=number), line=number)


def _many_lines(ctx: Context, rule: str, limit: int, said: str) -> Iterator[Finding]:
    """Cues of more than ``limit`` lines; ``said`` words the finding (``{count}``, ``{limit}``)."""
    for index, _ in _shown(ctx):
        count = ctx.text(index).count("\n") + 1
        if count > limit:
            yield ctx.finding(RULES[rule], index, count, limit, said.format(count=count, limit=limit))


@_rule("cpl", "a line is longer than the limit, in characters", "error", "layout", max_cpl=42)
def _cpl(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    yield from _long_lines(ctx, "cpl", int(params["max_cpl"]), "line {line} has {length} characters (limit {limit})")


@_rule("max-lines", "a cue has more lines than the limit", "error", "layout", max_lines=2)
def _max_lines(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    yield from _many_lines(ctx, "max-lines", int(params["max_lines"]), "{count} lines (limit {limit})")


def _rebreak_fix(ctx: Context, params: Mapping[str, Any]) -> Document:
    """Re-break cues whose lines are too long or too many, when their words fit the limits."""
    from subkit._fixes import FIXES

    active = ctx.active
    limits = {"max_cpl": active.get("cpl", {}).get("max_cpl", 10**6),
              "max_lines": active.get("max-lines", {}).get("max_lines", 2)}
    fix = FIXES["broken-lines"]
    return _edit_texts(ctx, lambda text: fix.edits(text, None, limits))


_fix_for("cpl")(_rebreak_fix)
_fix_for("max-lines")(_rebreak_fix)


def _edit_texts(ctx: Context, edits_of: Any) -> Document:
    cues = list(ctx.cues)
    changed = False
    for index, cue in _shown(ctx):
        edits: list[Edit] = edits_of(ctx.text(index))
        if edits:
            edited = apply_fix(cue, edits)
            if edited is not cue:
                cues[index] = edited
                changed = True
    return ctx.doc.with_cues(cues) if changed else ctx.doc


# ---------------------------------------------------------------- text

#: Named glyph sets: the characters a profile's language may use (beyond these, a glyph is flagged).
GLYPH_SETS: dict[str, str] = {
    "latin": "Basic Latin, Latin-1, Latin Extended-A/B, general punctuation, ♪",
    "cyrillic": "latin plus Cyrillic",
    "greek": "latin plus Greek",
    "arabic": "latin plus Arabic",
    "hebrew": "latin plus Hebrew",
    "japanese": "latin plus kana, CJK ideographs and full-width forms",
    "korean": "latin plus Hangul and CJK ideographs",
    "chinese": "latin plus CJK ideographs and full-width forms",
    "cea608": "the CEA-608 basic, special and extended character sets",
}

_LATIN = ((0x20, 0x7E), (0xA0, 0x24F), (0x2010, 0x2027), (0x2030, 0x203A), (0x20AC, 0x20AC), (0x2122, 0x2122),
          (0x266A, 0x266B))
_BLOCKS: dict[str, tuple[tuple[int, int], ...]] = {
    "latin": _LATIN,
    "cyrillic": (*_LATIN, (0x400, 0x52F)),
    "greek": (*_LATIN, (0x370, 0x3FF), (0x1F00, 0x1FFF)),
    "arabic": (*_LATIN, (0x600, 0x6FF), (0x750, 0x77F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF), (0x200E, 0x200F)),
    "hebrew": (*_LATIN, (0x590, 0x5FF), (0xFB1D, 0xFB4F), (0x200E, 0x200F)),
    "japanese": (*_LATIN, (0x3000, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF), (0x31F0, 0x31FF)),
    "korean": (*_LATIN, (0x1100, 0x11FF), (0x3000, 0x303F), (0x3130, 0x318F), (0xAC00, 0xD7AF), (0x4E00, 0x9FFF),
               (0xFF00, 0xFFEF)),
    "chinese": (*_LATIN, (0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF)),
}


_OUTSIDE: dict[str, re.Pattern[str]] = {}


def _outside(glyphs: str) -> re.Pattern[str]:
    """A pattern matching one character outside the glyph set (built once per set)."""
    pattern = _OUTSIDE.get(glyphs)
    if pattern is None:
        if glyphs == "cea608":
            from subkit.formats import cea608_encodable

            allowed = "".join(chr(c) for c in range(0x20, 0x3000) if cea608_encodable(chr(c)))
            pattern = re.compile(f"[^{re.escape(allowed)}\n]")
        else:
            ranges = "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in _BLOCKS[glyphs])
            pattern = re.compile(f"[^{ranges}\n]")
        _OUTSIDE[glyphs] = pattern
    return pattern


@_rule("glyphs", "a character outside the profile's glyph set", "error", "text", glyphs="latin")
def _glyphs(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    glyphs = str(params["glyphs"])
    if glyphs not in GLYPH_SETS:
        from subkit.errors import OperationError

        raise OperationError(f"unknown glyph set {glyphs!r} (known: {', '.join(GLYPH_SETS)})")
    outside = _outside(glyphs)
    for index, _ in _shown(ctx):
        if not outside.search(ctx.text(index)):
            continue
        for number, line in enumerate(ctx.text(index).split("\n"), 1):
            bad = sorted(set(outside.findall(line)))
            if bad:
                names = ", ".join(f"{c!r} ({unicodedata.name(c, f'U+{ord(c):04X}')})" for c in bad[:5])
                yield ctx.finding(RULES["glyphs"], index, len(bad), 0,
                                  f"line {number} has character(s) outside the {glyphs} glyph set: {names}",
                                  line=number)


@_rule("italics", "italics where the profile's language does not use them", "error", "text")
def _italics(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for index, cue in _shown(ctx):
        if any(type(item) is Run and item.style.italic for item in cue.content):
            yield ctx.finding(RULES["italics"], index, 1, 0, "italic text (this language does not use italics)")


@_rule("dialogue-dash", "dialogue dashes not in the profile's style", "warning", "text",
       dash="-", dash_space=False, both_lines=True)
def _dialogue_dash(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    dash, space = str(params["dash"]), bool(params["dash_space"])
    wanted = dash + (" " if space else "")
    for index, _ in _shown(ctx):
        if dash_edits(ctx.text(index), dash, space, bool(params.get("both_lines", True))):
            yield ctx.finding(RULES["dialogue-dash"], index, 1, 0,
                              f"dialogue lines should start with {wanted!r} (every speaker's line)")


@_fix_for("dialogue-dash")
def _dialogue_dash_fix(ctx: Context, params: Mapping[str, Any]) -> Document:
    return _edit_texts(ctx, lambda text: dash_edits(text, str(params["dash"]), bool(params["dash_space"]),
                                                    bool(params.get("both_lines", True))))


@_rule("ellipsis", "ellipses not in the profile's form (… or ...)", "warning", "text", ellipsis="\u2026")
def _ellipsis(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    form = str(params["ellipsis"])
    for index, _ in _shown(ctx):
        count = len(ellipsis_edits(ctx.text(index), form))
        if count:
            yield ctx.finding(RULES["ellipsis"], index, count, 0, f"write ellipses as {form!r}")


@_fix_for("ellipsis")
def _ellipsis_fix(ctx: Context, params: Mapping[str, Any]) -> Document:
    return _edit_texts(ctx, lambda text: ellipsis_edits(text, str(params["ellipsis"])))


@_rule("whitespace", "double spaces, or spaces at the start or end of a line", "warning", "text")
def _whitespace(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for index, _ in _shown(ctx):
        count = len(whitespace_edits(ctx.text(index)))
        if count:
            yield ctx.finding(RULES["whitespace"], index, count, 0, "double spaces or spaces at a line's edge")


@_fix_for("whitespace")
def _whitespace_fix(ctx: Context, params: Mapping[str, Any]) -> Document:
    return _edit_texts(ctx, whitespace_edits)


_SMALL_NUMBER = re.compile(r"(?<![\w.,:/'\u2019$€£%-])(\d{1,2})(?![\w.,:/%°'\u2019-])")


@_rule("numbers", "numbers up to ten written as digits instead of words", "warning", "text", spell_out_max=10)
def _numbers(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    limit = int(params["spell_out_max"])
    for index, _ in _shown(ctx):
        small = [m.group(1) for m in _SMALL_NUMBER.finditer(ctx.text(index)) if 1 <= int(m.group(1)) <= limit]
        if small:
            yield ctx.finding(RULES["numbers"], index, len(small), limit,
                              f"spell out {', '.join(small)} (numbers from one to {limit} are written as words)")


_HI_PARENS = re.compile(r"(?:(?<=^)|(?<=^- )|(?<=^-))\(([^()\n]{1,80})\)", re.MULTILINE)


@_rule("hi-brackets", "sound descriptions in parentheses instead of brackets", "warning", "text")
def _hi_brackets(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for index, _ in _shown(ctx):
        if _HI_PARENS.search(ctx.text(index)):
            yield ctx.finding(RULES["hi-brackets"], index, 1, 0,
                              "sound descriptions and speaker IDs go in [brackets]")


@_fix_for("hi-brackets")
def _hi_brackets_fix(ctx: Context, params: Mapping[str, Any]) -> Document:
    def edits(text: str) -> list[Edit]:
        found: list[Edit] = []
        for match in _HI_PARENS.finditer(text):
            found += [(match.start(), match.start() + 1, "["), (match.end() - 1, match.end(), "]")]
        return found

    return _edit_texts(ctx, edits)


@_rule("empty", "a cue with no visible text", "error", "text")
def _empty(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for index, _ in _shown(ctx):
        if not ctx.text(index).strip():
            yield ctx.finding(RULES["empty"], index, 0, 0, "no visible text")


@_fix_for("empty")
def _empty_fix(ctx: Context, params: Mapping[str, Any]) -> Document:
    kept = tuple(c for c in ctx.cues if c.comment or c.plain_text().strip())
    return ctx.doc.with_cues(kept) if len(kept) != len(ctx.cues) else ctx.doc


@_rule("markup-in-text", "markup shown as text (<i>, </font>, {\\an8})", "error", "text")
def _markup(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for index, _ in _shown(ctx):
        count = len(markup_edits(ctx.text(index)))
        if count:
            yield ctx.finding(RULES["markup-in-text"], index, count, 0, "markup tags would be shown as text")


@_fix_for("markup-in-text")
def _markup_fix(ctx: Context, params: Mapping[str, Any]) -> Document:
    return _edit_texts(ctx, markup_edits)


@_rule("colors", "text in a colour outside the profile's palette", "warning", "text",
       colors=["#FFFFFF", "#FFFF00", "#00FFFF", "#00FF00"])
def _colors(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    palette = {str(c).upper() for c in params["colors"]}
    for index, cue in _shown(ctx):
        used = {item.style.color.to_hex(alpha=False) for item in cue.content
                if type(item) is Run and item.style.color is not None}
        bad = sorted(used - palette)
        if bad:
            yield ctx.finding(RULES["colors"], index, len(bad), 0,
                              f"colour(s) {', '.join(bad)} outside the palette {', '.join(sorted(palette))}")


# ---------------------------------------------------------------- CEA-608


@_rule("cea608-columns", "a line is longer than the 608 grid's 32 columns", "error", "cea608", columns=32)
def _608_columns(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    yield from _long_lines(ctx, "cea608-columns", int(params["columns"]),
                           "line {line} needs {length} columns (608 has {limit})")


@_rule("cea608-rows", "more rows than a 608 caption may hold at once", "error", "cea608", rows=4)
def _608_rows(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    yield from _many_lines(ctx, "cea608-rows", int(params["rows"]), "{count} rows (608 shows at most {limit})")


@_rule("cea608-charset", "a character that the 608 character sets do not have", "error", "cea608")
def _608_charset(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    yield from (dataclass_replace(f, rule="cea608-charset", severity=RULES["cea608-charset"].severity)
                for f in _glyphs(ctx, {"glyphs": "cea608"}))


@_rule("cea608-safe-area", "a caption placed outside the caption-safe area", "error", "cea608",
       margin_percent=10.0)
def _608_safe_area(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    margin = float(params["margin_percent"])
    canvas = ctx.doc.canvas
    for index, cue in _shown(ctx):
        placement = cue.placement
        if placement.x is None or placement.y is None:
            continue
        x, y = placement.x, placement.y
        if placement.unit == "px":
            if canvas is None:
                continue
            x, y = 100 * x / canvas[0], 100 * y / canvas[1]
        if not (margin <= x <= 100 - margin and margin <= y <= 100 - margin):
            yield ctx.finding(RULES["cea608-safe-area"], index, 0, margin,
                              f"anchored at {x:.3g}%, {y:.3g}%: outside the safe area ({margin:g}% margins)")


_ROLL_UP = re.compile(r"roll-?up(\d)")


@_rule("rollup-depth", "a roll-up caption with more rows than its roll-up depth", "error", "cea608")
def _rollup_depth(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for index, cue in _shown(ctx):
        match = _ROLL_UP.fullmatch(cue.caption_mode or "")
        rows = ctx.text(index).count("\n") + 1
        if match and rows > int(match.group(1)):
            depth = int(match.group(1))
            yield ctx.finding(RULES["rollup-depth"], index, rows, depth, f"{rows} rows in a roll-up of depth {depth}")


# ---------------------------------------------------------------- IMSC / EBU-TT-D


@_rule("regions-at-once", "more regions shown at one time than the profile allows", "error", "imsc", max_regions=4)
def _regions_at_once(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    limit = int(params["max_regions"])
    events: list[tuple[int, int, int]] = []
    for index, cue in _shown(ctx):
        events += [(cue.start_ms, 1, index), (cue.end_ms, -1, index)]
    active: dict[int, object] = {}
    reported: set[int] = set()
    for _, delta, index in sorted(events):
        if delta < 0:
            active.pop(index, None)
            continue
        cue = ctx.cues[index]
        p = cue.placement
        active[index] = p.region or (p.align, p.x, p.y, p.line, p.position)
        areas = set(active.values())
        if len(areas) > limit and index not in reported:
            reported.add(index)
            yield ctx.finding(RULES["regions-at-once"], index, len(areas), limit,
                              f"{len(areas)} regions on screen at once (limit {limit})")


@_rule("region-bounds", "a region that reaches outside the root container", "error", "imsc")
def _region_bounds(ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for region in ctx.doc.regions.values():
        if region.origin is None or region.extent is None:
            continue
        (x, y), (w, h) = region.origin, region.extent
        if x < 0 or y < 0 or x + w > 100.0001 or y + h > 100.0001:
            yield Finding(rule="region-bounds", cue=None, start_ms=0, end_ms=0, value=max(x + w, y + h), limit=100,
                          message=f"region {region.id!r} spans {x:g}%+{w:g}% by {y:g}%+{h:g}%: "
                                  "outside the root container",
                          severity=RULES["region-bounds"].severity)


def dataclass_replace(finding: Finding, **changes: Any) -> Finding:
    """A copy of ``finding`` with ``changes``."""
    import dataclasses

    return dataclasses.replace(finding, **changes)


#: Every rule by id, in the order findings of one cue are listed.
RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}

#: The rules whose fix is the shared timing repair.
TIMING_RULES = ("min-duration", "max-duration", "min-gap", "overlap")

