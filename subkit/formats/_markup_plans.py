"""Parse plans per distinct markup sequence, for the readers of line formats with inline codes.

Subtitle files repeat a few markup shapes thousands of times (``{y:i}text``,
``<i>text</i>[br]text``): the markup differs from cue to cue only in the text
between the codes. :class:`MarkupPlans` runs a reader's own markup parser
once per *shape*, on a stand-in text where each piece of plain text is one
placeholder character, records where each piece went in the resulting
content, and builds later cues of the same shape from the record.

A shape is the sequence of tokens (the codes as written) plus, for each piece
of text between them, whether it is empty, is ``/`` alone, starts with ``/``
(which the line formats read as an italic marker at the start of a line) or
is other text.
The parser must not look inside the text pieces beyond that; a differential
test per reader checks that plans give what the parser gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Generic, TypeVar

from subkit.model import ContentItem, Run, _trusted_run

__all__ = ["MarkupPlans"]

T = TypeVar("T")

#: Placeholders: characters of the supplementary private use area, one per text piece.
_FIRST = 0xF0000
_MAX_PIECES = 0xFFFD - 0x0000
_PLACEHOLDER = re.compile("([\U000f0000-\U000ffffd])")

#: A run template: its style and the parts of its text (literal strings, or the index of a piece).
_Template = tuple[Run, tuple[str | int, ...]]


class MarkupPlans(Generic[T]):
    """Content of marked-up text through a cache of plans per markup shape.

    Args:
        token: a pattern with exactly one capturing group around the whole
            token (``(\\{[a-z]:[^{}]*\\}|\\|)``): the markup the parser reads.
        parse: the reader's parser: text to (content, extra); ``extra`` (an
            alignment, the unknown codes met...) must depend on the tokens only.
        limit: the most plans kept (a file with more shapes parses the rest directly).
    """

    __slots__ = ("_limit", "_parse", "_plans", "_split")

    def __init__(self, token: re.Pattern[str], parse: Callable[[str], tuple[tuple[ContentItem, ...], T]],
                 limit: int = 4096) -> None:
        self._split = token.split
        self._parse = parse
        self._limit = limit
        self._plans: dict[tuple[tuple[str, ...], tuple[int, ...]],
                          tuple[tuple[ContentItem | _Template, ...], T] | None] = {}

    def __call__(self, text: str) -> tuple[tuple[ContentItem, ...], T]:
        """The content of ``text`` and the parser's extra value, as ``parse(text)`` gives them."""
        parts = self._split(text)
        pieces = parts[0::2]
        shapes = tuple([((3 if piece == "/" else 2) if piece[0] == "/" else 1) if piece else 0 for piece in pieces])
        key = (tuple(parts[1::2]), shapes)
        try:
            plan = self._plans[key]
        except KeyError:
            plan = self._plan(key[0], shapes)
            if len(self._plans) < self._limit:
                self._plans[key] = plan
        if plan is None:
            return self._parse(text)
        entries, extra = plan
        if 2 in shapes:
            pieces = [piece[1:] if shape == 2 else piece for piece, shape in zip(pieces, shapes, strict=True)]
        items: list[ContentItem] = []
        append = items.append
        for entry in entries:
            if type(entry) is tuple:
                model, template = entry
                if len(template) == 1 and type(template[0]) is int:
                    append(_trusted_run(pieces[template[0]], model.style))
                else:
                    joined = "".join([pieces[part] if isinstance(part, int) else part for part in template])
                    append(_trusted_run(joined, model.style))
            else:
                append(entry)  # type: ignore[arg-type]
        return tuple(items), extra

    def _plan(self, tokens: tuple[str, ...], shapes: tuple[int, ...]
              ) -> tuple[tuple[ContentItem | _Template, ...], T] | None:
        """Parse the stand-in text of a shape and record where its pieces went (``None``: no plan)."""
        if len(shapes) > _MAX_PIECES or any(_PLACEHOLDER.search(token) or "\n" in token for token in tokens):
            return None
        stand_in: list[str] = []
        for index, shape in enumerate(shapes):
            if index:
                stand_in.append(tokens[index - 1])
            if shape == 3:
                stand_in.append("/")
            elif shape:
                stand_in.append(("/" if shape == 2 else "") + chr(_FIRST + index))
        content, extra = self._parse("".join(stand_in))
        entries: list[ContentItem | _Template] = []
        for item in content:
            if type(item) is Run and _PLACEHOLDER.search(item.text):
                template = tuple(
                    ord(part) - _FIRST if number % 2 else part
                    for number, part in enumerate(_PLACEHOLDER.split(item.text))
                    if part or number % 2
                )
                entries.append((item, template))
            else:
                entries.append(item)
        return tuple(entries), extra
