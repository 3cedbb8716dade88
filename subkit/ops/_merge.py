"""Bilingual subtitles: merge two documents into one ("double" subtitles) and split them apart again.

:func:`merge` pairs the cues of a primary and a secondary document by time
overlap, the way Autosubtitle's ``double`` download shows source and
translation together, in one of two layouts:

* ``stack``: one cue per primary cue, its lines on top and the overlapping
  secondary lines under them (each run tagged with its document's language);
* ``ass-top-bottom``: every cue of both documents kept separate, the primary
  ones in style ``Top`` (alignment 8) and the secondary ones in style
  ``Bottom`` (alignment 2), for an ASS output.

:func:`split` undoes either: by ASS style, by cue language, by run language,
or by line position in stacked cues.

>>> import subkit
>>> en = subkit.loads("1\\n00:00:01,000 --> 00:00:03,000\\nHello\\n")
>>> fr = subkit.loads("1\\n00:00:01,100 --> 00:00:02,900\\nBonjour\\n")
>>> both = merge(en, fr, primary_language="en", secondary_language="fr")
>>> both.cues[0].plain_text()
'Hello\\nBonjour'
>>> [d.cues[0].plain_text() for d in split(both)]
['Hello', 'Bonjour']
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Sequence
from typing import Literal

from subkit._lang import check_language_tag
from subkit.errors import OperationError
from subkit.model import Color, ContentItem, Cue, Document, LineBreak, Placement, Run, RunStyle, Style
from subkit.ops._report import ChangeReport, add_to

__all__ = ["LAYOUTS", "SPLIT_MODES", "merge", "split"]

#: The merge layouts.
LAYOUTS = ("stack", "ass-top-bottom")
#: How :func:`split` tells the two languages apart.
SPLIT_MODES = ("auto", "style", "language", "lines")

#: Style names of the ``ass-top-bottom`` layout.
TOP_STYLE = "Top"
BOTTOM_STYLE = "Bottom"


def _overlap(a: Cue, b: Cue) -> int:
    return min(a.end_ms, b.end_ms) - max(a.start_ms, b.start_ms)


def _assign(primary: Sequence[Cue], secondary: Sequence[Cue]) -> list[int | None]:
    """For each secondary cue, the index of the primary cue it overlaps most (``None``: none)."""
    order = sorted(range(len(primary)), key=lambda i: primary[i].start_ms)
    starts = [primary[i].start_ms for i in order]
    result: list[int | None] = []
    longest = max((c.duration_ms for c in primary), default=0)
    for cue in secondary:
        best: int | None = None
        best_overlap = 0
        # Only primary cues starting before this one ends, and not so early that they must have ended.
        hi = bisect.bisect_left(starts, cue.end_ms)
        lo = bisect.bisect_left(starts, cue.start_ms - longest)
        for position in range(lo, hi):
            index = order[position]
            amount = _overlap(primary[index], cue)
            if amount > best_overlap:
                best, best_overlap = index, amount
        result.append(best)
    return result


def _tag(content: Sequence[ContentItem], language: str | None) -> list[ContentItem]:
    if language is None:
        return list(content)
    return [
        Run(item.text, item.style.merged(language=language))
        if type(item) is Run and item.style.language is None else item
        for item in content
    ]


def _language(doc: Document, given: str | None) -> str | None:
    if given:
        return given
    if doc.language:
        return doc.language
    found = {c.language for c in doc.cues if c.language}
    return found.pop() if len(found) == 1 else None


def merge(
    primary: Document,
    secondary: Document,
    *,
    layout: Literal["stack", "ass-top-bottom"] | str = "stack",
    primary_language: str | None = None,
    secondary_language: str | None = None,
    secondary_style: RunStyle | None = None,
    report: ChangeReport | None = None,
) -> Document:
    """Merge two documents into one bilingual document.

    The result keeps the primary document's metadata (styles, canvas, ...);
    its ``language`` is unset because it holds two. Languages come from the
    arguments, else from each document's ``language``, else from its cues.

    In the ``stack`` layout a secondary cue goes under the primary cue it
    overlaps most; one that overlaps none stays a cue of its own. The stacked
    cue keeps the primary cue's times and attributes; timed words are dropped
    from stacked cues, since they no longer join to the text (the
    ``ass-top-bottom`` layout keeps them).

    Args:
        primary: the document shown on top.
        secondary: the other one (a translation).
        layout: ``stack`` or ``ass-top-bottom``.
        primary_language, secondary_language: BCP 47 tags (checked).
        secondary_style: how the secondary language looks (``RunStyle(color=..., italic=True)``, as
            bilingual viewers show it): set on its runs in ``stack``; in ``ass-top-bottom`` the colour,
            italic, bold and font go into the ``Bottom`` style.
        report: counts ``cues stacked`` and ``cues unpaired``.

    Raises:
        OperationError: an unknown layout, or a language that is not a BCP 47 tag.
    """
    if layout not in LAYOUTS:
        raise OperationError(f"unknown merge layout {layout!r} (choose from {', '.join(LAYOUTS)})")
    for value, label in ((primary_language, "primary_language"), (secondary_language, "secondary_language")):
        if value is not None:
            try:
                check_language_tag(value, name=label)
            except ValueError as exc:
                raise OperationError(str(exc)) from None
    if secondary_style is not None and layout == "stack":
        secondary = secondary.with_cues([cue.replace(content=_styled(cue.content, secondary_style))
                                         for cue in secondary.cues])
    first = _language(primary, primary_language)
    second = _language(secondary, secondary_language)
    if layout == "ass-top-bottom":
        return _top_bottom(primary, secondary, first, second, secondary_style)
    owners = _assign(primary.cues, secondary.cues)
    extra: dict[int, list[Cue]] = {}
    unpaired: list[Cue] = []
    for cue, owner in zip(secondary.cues, owners, strict=True):
        if owner is None:
            unpaired.append(cue.replace(language=cue.language or second))
        else:
            extra.setdefault(owner, []).append(cue)
    cues: list[Cue] = []
    for index, cue in enumerate(primary.cues):
        partners = extra.get(index)
        if not partners:
            cues.append(cue.replace(language=cue.language or first))
            continue
        content: list[ContentItem] = _tag(cue.content, cue.language or first)
        for partner in sorted(partners, key=lambda c: c.start_ms):
            if content:
                content.append(LineBreak())
            content.extend(_tag(partner.content, partner.language or second))
        cues.append(cue.replace(content=tuple(content), words=(), language=None))
    add_to(report, "cues stacked", sum(len(v) for v in extra.values()))
    add_to(report, "cues unpaired", len(unpaired))
    merged = sorted([*cues, *unpaired], key=lambda c: c.start_ms)
    return primary.replace(cues=tuple(merged), language=None)


def _styled(content: Sequence[ContentItem], style: RunStyle) -> tuple[ContentItem, ...]:
    """``content`` with ``style``'s set fields laid over each run's own."""
    overrides = {f.name: getattr(style, f.name) for f in dataclasses.fields(style)
                 if getattr(style, f.name) not in (None, ())}
    return tuple(Run(item.text, item.style.merged(**overrides)) if type(item) is Run else item for item in content)


def _top_bottom(primary: Document, secondary: Document, first: str | None, second: str | None,
                look: RunStyle | None = None) -> Document:
    base = primary.styles.get("Default") or Style(name="Default")
    styles = dict(primary.styles)
    styles[TOP_STYLE] = dataclasses.replace(base, name=TOP_STYLE, align=8)
    bottom: dict[str, Color | bool | str | float | None] = {}
    if look is not None:
        bottom = {key: value for key, value in (("primary_color", look.color), ("italic", look.italic),
                                                ("bold", look.bold), ("font_family", look.font_family),
                                                ("font_size", look.font_size)) if value is not None}
    styles[BOTTOM_STYLE] = dataclasses.replace(base, name=BOTTOM_STYLE, align=2, **bottom)  # type: ignore[arg-type]
    top = [c.replace(style=TOP_STYLE, language=c.language or first, placement=_unaligned(c.placement))
           for c in primary.cues]
    lower = [c.replace(style=BOTTOM_STYLE, language=c.language or second, placement=_unaligned(c.placement))
              for c in secondary.cues]
    cues = sorted([*top, *lower], key=lambda c: c.start_ms)
    return primary.replace(cues=tuple(cues), styles=styles, language=None)


def _unaligned(placement: Placement) -> Placement:
    """The placement without an alignment of its own, so that the style's top/bottom applies."""
    return dataclasses.replace(placement, align=None) if placement.align is not None else placement


def _run_languages(cue: Cue) -> list[str | None]:
    """The language of each line of ``cue`` (the first tagged run of the line)."""
    result: list[str | None] = []
    for line in cue.lines():
        tags = [item.style.language for item in line if type(item) is Run and item.style.language]
        result.append(tags[0] if tags else None)
    return result


def _join_lines(lines: Sequence[Sequence[ContentItem]]) -> tuple[ContentItem, ...]:
    items: list[ContentItem] = []
    for index, line in enumerate(lines):
        if index:
            items.append(LineBreak())
        items.extend(line)
    return tuple(items)


def _untag(content: Sequence[ContentItem], language: str | None) -> tuple[ContentItem, ...]:
    """Remove run language tags equal to the cue's language (they move to the cue)."""
    return tuple(
        Run(item.text, item.style.merged(language=None))
        if type(item) is Run and language is not None and item.style.language == language else item
        for item in content
    )


def split(
    doc: Document,
    *,
    by: Literal["auto", "style", "language", "lines"] | str = "auto",
    primary_lines: int | None = None,
    primary_language: str | None = None,
    report: ChangeReport | None = None,
) -> tuple[Document, Document]:
    """Split a bilingual document into its primary and secondary documents.

    ``by`` chooses how (``auto`` tries them in this order):

    * ``style``: cues in style ``Top`` (or, when the document has no such
      style, the first style used) are primary, the others secondary;
    * ``language``: ``primary_language`` is primary; by default the language
      of the top line of the first stacked cue, else the first language met
      (cue language, or run language of a line);
    * ``lines``: stacked cues are cut by line position: the first
      ``primary_lines`` lines (default: the first half, the middle line going
      to the top) are primary.

    Args:
        doc: the bilingual document.
        by: ``auto``, ``style``, ``language`` or ``lines``.
        primary_lines: lines of each cue that belong to the primary document.
        primary_language: with ``language``, the tag of the primary document.
        report: counts ``cues split``.

    Returns:
        ``(primary, secondary)``.

    Raises:
        OperationError: an unknown ``by``, or a document that cannot be split that way.
    """
    if by not in SPLIT_MODES:
        raise OperationError(f"unknown split mode {by!r} (choose from {', '.join(SPLIT_MODES)})")
    if primary_lines is not None and primary_lines < 1:
        raise OperationError("primary_lines must be at least 1")
    styles = list(dict.fromkeys(c.style for c in doc.cues if c.style))
    cue_languages = list(dict.fromkeys(c.language for c in doc.cues if c.language))
    run_languages = list(dict.fromkeys(lang for c in doc.cues for lang in _run_languages(c) if lang))
    if by == "auto":
        if len(styles) >= 2 and primary_lines is None:
            by = "style"
        elif (len(cue_languages) >= 2 or len(run_languages) >= 2) and primary_lines is None:
            by = "language"
        else:
            by = "lines"
    if by == "style":
        if len(styles) < 2:
            raise OperationError("cannot split by style: the cues use fewer than two styles")
        top = TOP_STYLE if TOP_STYLE in styles else styles[0]
        first = [c for c in doc.cues if c.style == top]
        second = [c for c in doc.cues if c.style != top]
        add_to(report, "cues split", len(doc.cues))
        return _halves(doc, first, second, top)
    if by == "language":
        return _split_language(doc, cue_languages, run_languages, primary_language, report)
    return _split_lines(doc, primary_lines, report)


def _halves(doc: Document, first: list[Cue], second: list[Cue], top_style: str | None) -> tuple[Document, Document]:
    styles = {name: style for name, style in doc.styles.items() if name not in (TOP_STYLE, BOTTOM_STYLE)}
    if top_style in (TOP_STYLE,):
        first = [c.replace(style=None) for c in first]
        second = [c.replace(style=None) if c.style == BOTTOM_STYLE else c for c in second]
    else:
        styles = dict(doc.styles)
    return (_finish(doc.replace(cues=tuple(first), styles=styles)),
            _finish(doc.replace(cues=tuple(second), styles=styles)))


def _finish(doc: Document) -> Document:
    """Set the document language when all its cues agree on one."""
    found = {c.language for c in doc.cues}
    if len(found) == 1 and None not in found:
        return doc.replace(language=found.pop())
    return doc


def _split_language(
    doc: Document,
    cue_languages: list[str],
    run_languages: list[str],
    primary_language: str | None,
    report: ChangeReport | None,
) -> tuple[Document, Document]:
    languages = list(dict.fromkeys([*cue_languages, *run_languages]))
    if len(languages) < 2 and primary_language is None:
        raise OperationError("cannot split by language: fewer than two languages are tagged")
    if primary_language is None:
        # The top line of a stacked cue is the primary language; unpaired cues
        # alone say nothing about which document came first.
        stacked = [tags for tags in map(_run_languages, doc.cues) if len(set(filter(None, tags))) >= 2]
        primary_language = next((t for t in stacked[0] if t), None) if stacked else languages[0]
    assert primary_language is not None
    first: list[Cue] = []
    second: list[Cue] = []
    for cue in doc.cues:
        line_tags = _run_languages(cue)
        if len(set(filter(None, line_tags))) >= 2:
            lines = cue.lines()
            top = [line for line, tag in zip(lines, line_tags, strict=True) if tag == primary_language]
            rest = [line for line, tag in zip(lines, line_tags, strict=True) if tag != primary_language]
            other = next(tag for tag in line_tags if tag and tag != primary_language)
            first.append(cue.replace(content=_untag(_join_lines(top), primary_language), language=primary_language,
                                     words=()))
            second.append(cue.replace(content=_untag(_join_lines(rest), other), language=other, words=()))
            add_to(report, "cues split")
            continue
        language = cue.language or next((tag for tag in line_tags if tag), None)
        target = first if language == primary_language else second
        target.append(cue.replace(content=_untag(cue.content, language), language=language))
    return _finish(doc.replace(cues=tuple(first))), _finish(doc.replace(cues=tuple(second)))


def _split_lines(
    doc: Document, primary_lines: int | None, report: ChangeReport | None
) -> tuple[Document, Document]:
    first: list[Cue] = []
    second: list[Cue] = []
    for cue in doc.cues:
        lines = cue.lines()
        if len(lines) < 2:
            # A one-line cue has no partner: it stays in the primary document.
            first.append(cue)
            continue
        count = primary_lines if primary_lines is not None else (len(lines) + 1) // 2
        count = min(count, len(lines) - 1)
        first.append(cue.replace(content=_join_lines(lines[:count]), words=()))
        second.append(cue.replace(content=_join_lines(lines[count:]), words=(), id=cue.id))
        add_to(report, "cues split")
    return doc.replace(cues=tuple(first)), doc.replace(cues=tuple(second))
