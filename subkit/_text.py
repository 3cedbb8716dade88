"""Editing the text of a cue while keeping its styling, raw markup and word timings in step.

A cue's content is flattened into a *styled string*: its plain text (hard
breaks as ``"\\n"``), the :class:`~subkit.model.RunStyle` of every character,
and the raw markup items anchored at character offsets. Edits are
``(start, end, replacement)`` spans on the plain text; :func:`edit_cue`
applies them, rebuilds runs (a replacement takes the style of the text it
replaces) and carries the timed words along:

* words that join to the text (markup-derived) are re-cut from the new text
  through the same edits, so a replaced word is renamed and a removed word
  disappears (its time goes to the word before it, when an edit spans both);
* free-standing words (ASR output, which need not join to the text) are left
  to the caller.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from subkit.model import PLAIN, ContentItem, Cue, LineBreak, Raw, Run, RunStyle, Word

__all__ = ["TRAILING", "Edit", "StyledText", "collapse_removal", "edit_cue", "slice_cue"]

#: One edit of a cue's plain text: replace ``text[start:end]`` by ``replacement``.
Edit = tuple[int, int, str]

_BREAK = LineBreak()


@dataclass(frozen=True, slots=True)
class StyledText:
    """A cue's content as plain text, one style per character, and anchored raw items.

    Attributes:
        text: the plain text, hard breaks as ``"\\n"``.
        styles: the style of each character (breaks get :data:`PLAIN`).
        raws: ``(offset, Raw)`` pairs: the raw item stands before ``text[offset]``.
    """

    text: str
    styles: tuple[RunStyle, ...]
    raws: tuple[tuple[int, Raw], ...]

    @classmethod
    def of(cls, content: Sequence[ContentItem]) -> StyledText:
        """Flatten cue content."""
        parts: list[str] = []
        styles: list[RunStyle] = []
        raws: list[tuple[int, Raw]] = []
        offset = 0
        for item in content:
            if type(item) is Run:
                parts.append(item.text)
                styles.extend([item.style] * len(item.text))
                offset += len(item.text)
            elif type(item) is LineBreak:
                parts.append("\n")
                styles.append(PLAIN)
                offset += 1
            elif type(item) is Raw:
                raws.append((offset, item))
        return cls("".join(parts), tuple(styles), tuple(raws))

    def content(self) -> tuple[ContentItem, ...]:
        """Rebuild content: runs of equal style, breaks, and the raw items in place."""
        items: list[ContentItem] = []
        raws = list(self.raws)
        raw_index = 0
        text = self.text
        start = 0
        length = len(text)

        def flush_raws(upto: int) -> None:
            nonlocal raw_index
            while raw_index < len(raws) and raws[raw_index][0] <= upto:
                items.append(raws[raw_index][1])
                raw_index += 1

        while start < length:
            flush_raws(start)
            if text[start] == "\n":
                items.append(_BREAK)
                start += 1
                continue
            style = self.styles[start]
            end = start + 1
            styles = self.styles
            # Identity first: characters of one run share one style object.
            while end < length and text[end] != "\n" and (styles[end] is style or styles[end] == style):
                # A raw item anchored inside the run splits it, so it keeps its place.
                if raw_index < len(raws) and raws[raw_index][0] == end:
                    break
                end += 1
            items.append(Run(text[start:end], style))
            start = end
        flush_raws(length)
        while raw_index < len(raws):  # anchored past the end after an edit
            items.append(raws[raw_index][1])
            raw_index += 1
        return tuple(items)

    def edit(self, edits: Sequence[Edit]) -> tuple[StyledText, list[int]]:
        """Apply sorted, non-overlapping edits; return the new text and the offset map.

        The map gives, for every old offset ``0..len(text)``, the new offset of
        that position; a position strictly inside an edited span maps to the
        end of its replacement.
        """
        text = self.text
        pieces: list[str] = []
        styles: list[RunStyle] = []
        mapping = [0] * (len(text) + 1)
        cursor = 0
        new_len = 0
        for start, end, replacement in edits:
            for old in range(cursor, start + 1):
                mapping[old] = new_len + (old - cursor)
            pieces.append(text[cursor:start])
            styles.extend(self.styles[cursor:start])
            new_len += start - cursor
            # The replacement takes the style of the first character it replaces
            # (or of the character before it, for an insertion).
            source = start if start < end else start - 1
            style = self.styles[source] if 0 <= source < len(self.styles) and text[source] != "\n" else PLAIN
            pieces.append(replacement)
            styles.extend(PLAIN if ch == "\n" else style for ch in replacement)
            new_len += len(replacement)
            for old in range(start + 1, end + 1):
                mapping[old] = new_len
            cursor = end
        for old in range(cursor, len(text) + 1):
            mapping[old] = new_len + (old - cursor)
        pieces.append(text[cursor:])
        styles.extend(self.styles[cursor:])
        raws = tuple((mapping[offset], raw) for offset, raw in self.raws)
        return StyledText("".join(pieces), tuple(styles), raws), mapping


_SPACES = re.compile(r"[ \t]+")


def collapse_removal(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a removal ``text[start:end]`` so that no double space or edge space is left.

    >>> text = "say um hello"
    >>> s, e = collapse_removal(text, 4, 6); text[:s] + text[e:]
    'say hello'
    >>> s, e = collapse_removal("um hi", 0, 2); "um hi"[e:]
    'hi'
    >>> s, e = collapse_removal("said um.", 5, 7); "said um."[:s] + "said um."[e:]
    'said.'
    """
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    after = end
    while after < line_end and text[after] in " \t":
        after += 1
    before = start
    while before > line_start and text[before - 1] in " \t":
        before -= 1
    if before == line_start:  # at the start of a line: drop the spaces after it
        return start if before < start else before, after
    if after == line_end:  # at the end of a line: drop the spaces before it
        return before, end
    if before < start and after > end:  # between words: keep one space
        return start, after
    if before < start and text[end] in _CLOSING:  # "said um." -> "said."
        return before, end
    return start, end


#: Punctuation that hugs the word before it: a removal just before one also removes the space before it.
_CLOSING = frozenset(".,;:!?…)]")
#: Punctuation a removed filler word takes along when it stands right after it ("um," in "so um, yes").
TRAILING = frozenset(",;:")


def _recut_words(cue: Cue, new_text: str, mapping: list[int], edits: Sequence[Edit]) -> tuple[Word, ...]:
    """Words that joined to the old text, re-cut from ``new_text`` through ``mapping``."""
    words: list[Word] = []
    spans = [(start, end) for start, end, _ in edits]
    offset = 0
    for word in cue.words:
        old_start, old_end = offset, offset + len(word.text)
        offset = old_end
        start, end = mapping[old_start], mapping[old_end]
        # Every word starts where the previous one ended, so the new texts still join.
        if words:
            start = max(start, _joined_length(words))
        end = max(end, start)
        text = new_text[start:end]
        if words and word.text.strip() and any(s < old_start < e for s, e in spans):
            # The word was swallowed by an edit that began in the word before it:
            # that word takes what is left of its text and covers its time too.
            last = words[-1]
            words[-1] = Word(text=last.text + text, start_ms=last.start_ms, end_ms=max(last.end_ms, word.end_ms),
                             confidence=last.confidence, kind=last.kind)
        elif text:
            words.append(Word(text=text, start_ms=word.start_ms, end_ms=word.end_ms,
                              confidence=word.confidence, kind=word.kind))
    joined = _joined_length(words)
    if words and joined < len(new_text):
        # Text appended at the very end (or left by a dropped last word) joins the last word.
        last = words[-1]
        words[-1] = Word(text=last.text + new_text[joined:], start_ms=last.start_ms, end_ms=last.end_ms,
                         confidence=last.confidence, kind=last.kind)
    elif not words and new_text:
        return ()
    return tuple(words)


def _joined_length(words: list[Word]) -> int:
    return sum(len(w.text) for w in words)


def edit_cue(cue: Cue, edits: Sequence[Edit]) -> Cue | None:
    """Apply ``edits`` to the cue's text; ``None`` when nothing but blanks is left.

    Styles follow the text, raw markup stays at its place, and words that join
    to the text are re-cut (see the module docstring). Free-standing words are
    kept as they are. Lines left blank by the edits are removed.
    """
    if not edits:
        return cue
    styled = StyledText.of(cue.content)
    new, mapping = styled.edit(edits)
    new, mapping = _drop_blank_lines(styled.text, new, mapping)
    if not new.text.strip():
        return None
    words = cue.words
    if cue.words_align():
        words = _recut_words(cue, new.text, mapping, edits)
    return cue.replace(content=new.content(), words=words)


def _drop_blank_lines(old_text: str, new: StyledText, mapping: list[int]) -> tuple[StyledText, list[int]]:
    """Remove lines that the edits left empty or blank (with the break before or after them)."""
    lines = new.text.split("\n")
    if len(lines) == 1 or all(line.strip() for line in lines):
        return new, mapping
    old_blank = {i for i, line in enumerate(old_text.split("\n")) if not line.strip()}
    removals: list[Edit] = []
    offset = 0
    for index, line in enumerate(lines):
        if not line.strip() and index not in old_blank:
            if index + 1 < len(lines):
                removals.append((offset, offset + len(line) + 1, ""))
            elif index:
                removals.append((offset - 1, offset + len(line), ""))
        offset += len(line) + 1
    if not removals:
        return new, mapping
    removals = _merge_edits(removals)
    newer, second = new.edit(removals)
    return newer, [second[m] for m in mapping]


def _merge_edits(edits: list[Edit]) -> list[Edit]:
    merged: list[Edit] = []
    for start, end, replacement in sorted(edits):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2] + replacement)
        else:
            merged.append((start, end, replacement))
    return merged


def slice_cue(cue: Cue, start: int, end: int) -> tuple[ContentItem, ...]:
    """The content of ``plain_text()[start:end]``, with its styles (edge breaks and spaces trimmed)."""
    styled = StyledText.of(cue.content)
    text = styled.text
    while start < end and text[start] in " \n":
        start += 1
    while end > start and text[end - 1] in " \n":
        end -= 1
    edits: list[Edit] = []
    if start > 0:
        edits.append((0, start, ""))
    if end < len(text):
        edits.append((end, len(text), ""))
    new, _ = styled.edit(edits)
    # Raw markup outside the kept part goes with the text it stood in.
    kept = StyledText(new.text, new.styles, tuple((o, r) for (o, r), (old, _) in zip(new.raws, styled.raws, strict=True)
                                                 if start <= old <= end))
    return kept.content()
