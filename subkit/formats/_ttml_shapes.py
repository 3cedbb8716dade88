"""Paragraph plans: the TTML reader's short path for paragraphs of a shape it has read before.

Most documents repeat a handful of paragraph *shapes*: the same tags nested the
same way, with the same attributes (other than ``begin``, ``end`` and
``xml:id``), text in the same places, in the same container. What the reader
makes of a paragraph (its run styles, line breaks, placement, speaker,
language, named style, extra attributes) depends only on that shape and on what
the paragraph inherits; its times, its id and its text differ. The reader reads
the first paragraph of a shape the long way, watching what it does, and keeps a
:class:`Plan`: the run style of each text node in document order and where the
line breaks go, plus the cue the paragraph gave. Later paragraphs of that shape
are built from their text nodes, their times and their id alone.

A plan is kept only when the long way was *static* and *quiet*: no timed span,
``set`` or ``seq`` container (the content would change with time), no ruby,
metadata, foreign element or comment, every text node presented (text whose
white space is preserved is split into its lines again for each paragraph),
exactly one cue, and no diagnostic (which would have to be repeated with each
paragraph's line). The plan is checked on the paragraph it came from:
rebuilt from its text nodes, that paragraph must give the very cue the long way
gave, or no plan is kept for the shape.

Times of the short path are clock times ``hh:mm:ss.mmm`` read straight to
integer milliseconds (:class:`ClockMs`); any other time expression, and every
paragraph whose times are not whole milliseconds, takes the long way, which
keeps exact fractions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from subkit.formats._xml import etree
from subkit.model import PLAIN, ContentItem, Cue, LineBreak, RunStyle, _trusted_cue, _trusted_run

__all__ = ["ClockMs", "Plan", "fast_fields", "finish_pieces", "line_content", "make_plan", "scan_blocks", "shape_of"]

_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
#: The elements a planned paragraph may hold.
_PLANNED = frozenset({"span", "br"})

_WS = re.compile(r"[ \t\r\n]+")
_BREAK = LineBreak()


class ClockMs:
    """``hh:mm:ss.mmm`` as integer milliseconds, with the value of each ``hh:mm:`` prefix cached.

    It accepts exactly what the reader's exact path reads as that shape (two-digit fields, minutes and
    seconds below 60) and gives the same value; anything else is ``None``, for the exact path.
    """

    __slots__ = ("prefixes",)

    def __init__(self) -> None:
        self.prefixes: dict[str, int] = {}

    def __call__(self, text: str) -> int | None:
        text = text.strip()
        if len(text) == 12 and text[8] == ".":
            try:
                base = self.prefixes[text[:6]]
                seconds = int(text[6:8])
                if seconds < 60:
                    return base + seconds * 1000 + int(text[9:12])
            except KeyError:
                return self.first(text)
            except ValueError:
                pass
        return None

    def first(self, text: str) -> int | None:
        """A time whose ``hh:mm:`` prefix has not been seen: read the prefix, then the time."""
        base = _prefix_ms(text[:6])
        if base is None:
            return None
        self.prefixes[text[:6]] = base
        return self(text)


def _prefix_ms(prefix: str) -> int | None:
    """Milliseconds of ``hh:mm:``, or ``None`` when it is not that shape."""
    if prefix[2] != ":" or prefix[5] != ":":
        return None
    try:
        hours, minutes = int(prefix[0:2]), int(prefix[3:5])
    except ValueError:
        return None
    return (hours * 60 + minutes) * 60_000 if minutes < 60 else None


def shape_of(p: Any) -> tuple[str | None, str | None, str | None, tuple[Any, ...], list[str | None]] | None:
    """``begin``, ``end``, ``xml:id``, the shape and the text nodes of a ``p``; ``None`` when it has a ``dur``.

    The text nodes are ``p.text``, then each descendant's text and tail, in preorder. The shape holds
    the ``p``'s other attributes, and for each descendant its tag, its attributes, its number of
    children and which of its text and tail are empty.
    """
    begin = end = ident = None
    own: list[tuple[str, str]] = []
    for item in p.items():
        key = item[0]
        if key == "begin":
            begin = item[1]
        elif key == "end":
            end = item[1]
        elif key == _XML_ID:
            ident = item[1]
        elif key == "dur":
            return None
        else:
            own.append(item)
    first = p.text
    texts: list[str | None] = [first]
    if not len(p):
        return begin, end, ident, (tuple(own), not first), texts
    parts: list[Any] = [tuple(own), not first]
    for el in p.iterdescendants():
        text, tail = el.text, el.tail
        texts.append(text)
        texts.append(tail)
        parts.append((el.tag, tuple(el.items()), len(el), not text, not tail))
    return begin, end, ident, tuple(parts), texts


#: One paragraph of a container's serialised markup (lxml writes attributes with double quotes, escapes
#: ``<``, ``>`` and ``&`` in text and attributes, and closes empty elements with ``/>``). The first
#: alternative is the commonest layout: an optional ``xml:id``, then clock ``begin`` and ``end`` (groups:
#: id, begin ``hh:mm:``, seconds, milliseconds, the same for end, the other attributes, the content).
_BLOCK = re.compile(
    r'[^<]*<p(?:(?: xml:id="([^"&]*)")?'
    r' begin="([0-9][0-9]:[0-5][0-9]:)([0-5][0-9])\.([0-9]{3})"'
    r' end="([0-9][0-9]:[0-5][0-9]:)([0-5][0-9])\.([0-9]{3})"'
    r'([^>]*)(?<!/)>([^<]*(?:<(?!/p>)[^<]*)*)</p>'
    r'|(?=[\s/>])[^>]*?(?:/>|>[^<]*(?:<(?!/p>)[^<]*)*</p>))'
)
_TAG_SPLIT = re.compile(r"(<[^>]*>)").split
_REFERENCE = re.compile(r"&(?:(lt|gt|amp|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _character(match: re.Match[str]) -> str:
    name, decimal, hexadecimal = match.groups()
    if name is not None:
        return _NAMED[name]
    return chr(int(decimal) if decimal is not None else int(hexadecimal, 16))


def _unescape(text: str) -> str:
    return _REFERENCE.sub(_character, text) if "&" in text else text


def scan_blocks(el: Any, local: Callable[[Any], str | None]) -> tuple[str, list[re.Match[str]]] | None:
    """The start tag of a container and one match of :data:`_BLOCK` per child, if its children are all
    paragraphs (in the default namespace, which is TTML's); ``None`` otherwise.

    The start tag declares every namespace in scope, so the markup of paragraphs means the same
    wherever that tag is the same.
    """
    namespace = el.nsmap.get(None)
    if local(f"{{{namespace}}}p" if namespace else "p") != "p":
        return None
    markup = etree().tostring(el, encoding="unicode", with_tail=False)
    head_end = markup.find(">") + 1
    close = markup.rfind("</")
    if head_end <= 0 or close < head_end:
        return None
    blocks: list[re.Match[str]] = []
    position = head_end
    match = _BLOCK.match
    while True:
        found = match(markup, position, close)
        if found is None:
            break
        blocks.append(found)
        position = found.end()
    if "<" in markup[position:close]:
        return None  # another element, a comment or a processing instruction
    return markup[:head_end], blocks


def fast_fields(block: re.Match[str], prefixes: dict[str, int]) -> tuple[
        str | None, int, int, tuple[Any, ...], list[str | None]] | None:
    """(xml:id, begin ms, end ms, shape, text segments) of a paragraph of the commonest layout, else ``None``.

    The shape of serialised markup is the other attributes, the tags, and which text segments are empty.
    """
    ident, b_prefix, b_seconds, b_millis, e_prefix, e_seconds, e_millis, rest, inner = block.groups()
    if b_prefix is None or (rest and ("xmlns" in rest or " dur=" in rest or "xml:id=" in rest)):
        return None
    begin = prefixes.get(b_prefix)
    if begin is None:
        begin = prefixes[b_prefix] = (int(b_prefix[:2]) * 60 + int(b_prefix[3:5])) * 60_000
    end = prefixes.get(e_prefix)
    if end is None:
        end = prefixes[e_prefix] = (int(e_prefix[:2]) * 60 + int(e_prefix[3:5])) * 60_000
    # Two digits of seconds and three of milliseconds (ASCII digits, as matched): one integer.
    begin += int(b_seconds + b_millis)
    end += int(e_seconds + e_millis)
    texts: list[str | None]
    if "<" not in inner:
        texts = [inner if "&" not in inner else _unescape(inner)]
        return ident, begin, end, (rest, not inner), texts
    parts = _TAG_SPLIT(inner)
    texts = parts[0::2]
    if "&" in inner:
        texts = [_unescape(text or "") for text in texts]
    return ident, begin, end, (rest, tuple(parts[1::2]), tuple(map(bool, texts))), texts


def _segments(p: Any) -> tuple[list[str], list[int]]:
    """The text segments of ``p``'s serialised content (as :func:`fast_fields` gives them) and the
    segments of the tails of its children."""
    out = [p.text or ""]
    child_tails: list[int] = []

    def visit(el: Any, top: bool) -> None:
        for child in el:
            if len(child) or child.text:  # written with an end tag: its text is a segment
                out.append(child.text or "")
                visit(child, False)
            out.append(child.tail or "")
            if top:
                child_tails.append(len(out) - 1)

    visit(p, True)
    return out, child_tails


def _document_order(p: Any) -> tuple[list[int], list[int]]:
    """The text slots of :func:`shape_of` in document order, and the slots of the tails of ``p``'s children."""
    order = [0]
    child_tails: list[int] = []
    counter = 0

    def visit(el: Any, top: bool) -> None:
        nonlocal counter
        for child in el:
            index = counter
            counter += 1
            order.append(1 + 2 * index)
            visit(child, False)
            order.append(2 + 2 * index)
            if top:
                child_tails.append(2 + 2 * index)

    visit(p, True)
    return order, child_tails


class Plan:
    """What every paragraph of one shape gives, but its times, id and text.

    ``pieces`` (text slot and run style, or -1 for a line break) are white-space normalised like the
    long way's pieces; ``lines`` (the text slots of each line) are for paragraphs of text and ``br`` only.
    """

    __slots__ = ("extra", "forced", "language", "lines", "pieces", "placement", "speaker", "style", "style_name")

    def __init__(self, cue: Cue, style: RunStyle | None, lines: list[int] | None,
                 pieces: list[tuple[int, RunStyle | None, bool]] | None) -> None:
        self.style = style
        self.lines = lines
        self.pieces = pieces
        self.placement = cue.placement
        self.speaker = cue.speaker
        self.language = cue.language
        self.extra = cue.extra
        self.style_name = cue.style
        self.forced = cue.forced

    def content(self, texts: list[str | None]) -> tuple[ContentItem, ...]:
        """The content of a paragraph of this shape with text nodes ``texts``."""
        lines = self.lines
        if lines is not None:
            if len(lines) == 1:  # one line of text, the commonest paragraph
                text = texts[0]
                if not text:
                    return ()
                if "\n" in text or "\t" in text or "  " in text or "\r" in text:
                    text = _WS.sub(" ", text)
                text = text.strip(" ")
                return (_trusted_run(text, self.style or PLAIN),) if text else ()
            return line_content([texts[slot] or "" for slot in lines], self.style or PLAIN)
        pieces: list[list[Any]] = []
        for slot, style, preserve in self.pieces or ():
            if slot < 0:
                pieces.append([1, "\n", None, None, False])
            elif preserve:
                pieces.extend(_preserved_pieces(texts[slot] or "", style))
            else:
                pieces.append([0, texts[slot], style, None, False])
        return finish_pieces(pieces)

    def cue(self, start_ms: int, end_ms: int, content: tuple[ContentItem, ...], cue_id: str | None) -> Cue:
        """The cue of a paragraph of this shape (times checked by the caller: ``end_ms >= start_ms``)."""
        if self.forced:
            return Cue(start_ms=start_ms, end_ms=end_ms, content=content, id=cue_id, placement=self.placement,
                       speaker=self.speaker, language=self.language, extra=self.extra, style=self.style_name,
                       forced=True)
        cue: Cue = _trusted_cue(start_ms, end_ms, content, cue_id, self.placement, self.speaker, self.language,
                               self.extra, self.style_name)
        return cue


def make_plan(p: Any, texts: list[str | None], captured: list[tuple[Any, ...]],
              local: Callable[[Any], str | None], cue_id: str | None, segments: bool = False) -> Plan | None:
    """The plan of ``p``'s shape from what the long way did with it, or ``None`` when it cannot have one.

    ``captured`` is what the long way recorded: ``("simple", run style)`` or ``("walk", pieces)`` for the
    content, then ``("cue", cue)``. ``texts`` are those of :func:`shape_of`, or with ``segments`` those of
    :func:`fast_fields`, which must be the element's.
    """
    if len(captured) != 2 or captured[1][0] != "cue" or captured[0][0] not in ("simple", "walk"):
        return None
    if p.get("id") is not None:
        return None  # read as the cue's id, with a diagnostic, only when the p has no xml:id
    for el in p.iterdescendants():
        tag = el.tag
        if not isinstance(tag, str) or local(tag) not in _PLANNED:
            return None
    cue: Cue = captured[1][1]
    if cue.words or cue.id != cue_id:
        return None
    if segments:
        element_texts, child_tails = _segments(p)
        if element_texts != texts:
            return None
        order = list(range(len(texts)))
    else:
        order, child_tails = _document_order(p)
    if captured[0][0] == "simple":
        plan = Plan(cue, captured[0][1], [0, *child_tails], None)
    else:
        pieces = _piece_slots(captured[0][1], [slot for slot in order if texts[slot]], texts)
        if pieces is None:
            return None
        plan = Plan(cue, None, None, pieces)
    # The plan must give back the cue it came from.
    if plan.cue(cue.start_ms, cue.end_ms, plan.content(texts), cue_id) != cue:
        return None
    return plan


def _piece_slots(pieces: list[list[Any]], filled: list[int],
                 texts: list[str | None]) -> list[tuple[int, RunStyle | None, bool]] | None:
    """The long way's pieces with their text replaced by its slot (and whether it preserves white space),
    if every non-empty text node gave its pieces in order."""
    out: list[tuple[int, RunStyle | None, bool]] = []
    index = position = 0
    while position < len(pieces):
        kind, _text, style, word, preserve = pieces[position]
        if word is not None or kind not in (0, 1):
            return None
        if kind == 1 and not preserve:  # a br
            out.append((-1, None, False))
            position += 1
            continue
        if index >= len(filled):
            return None
        slot_text = texts[filled[index]] or ""
        if preserve:
            expected = _preserved_pieces(slot_text, None)
            chunk = pieces[position:position + len(expected)]
            # The run style of the text node, from its first line (a node of line breaks only does not say).
            style = next((piece[2] for piece in chunk if piece[0] == 0), None)
            if style is None:
                return None
            expected = _preserved_pieces(slot_text, style)
        else:
            expected = [[0, slot_text, style, None, False]]
        if pieces[position:position + len(expected)] != expected:
            return None
        out.append((filled[index], style, preserve))
        position += len(expected)
        index += 1
    return out if index == len(filled) else None


def _preserved_pieces(text: str, style: RunStyle | None) -> list[list[Any]]:
    """The pieces of a text node whose white space is preserved: its lines, with breaks between them."""
    pieces: list[list[Any]] = []
    for index, part in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        if index:
            pieces.append([1, "\n", None, None, True])
        if part:
            pieces.append([0, part, style, None, True])
    return pieces


def line_content(lines: list[str], style: RunStyle) -> tuple[ContentItem, ...]:
    """Runs of ``style`` and line breaks for lines of text (white space collapsed, stripped at the edges)."""
    items: list[ContentItem] = []
    for index, line in enumerate(lines):
        if index:
            items.append(_BREAK)
        if "\n" in line or "\t" in line or "  " in line or "\r" in line:
            line = _WS.sub(" ", line)
        line = line.strip(" ")
        if line:
            items.append(_trusted_run(line, style))
    return tuple(items)


def finish_pieces(pieces: list[list[Any]], raw: Callable[[str], ContentItem] | None = None) -> tuple[ContentItem, ...]:
    """Content from text pieces ``[kind, text, style, word, preserve]`` (kind 0 text, 1 break, 2 raw markup).

    White space that is not preserved collapses to one space and is dropped at the edges of lines;
    adjacent text of one style makes one run. ``pieces`` is changed in place (its text normalised).
    """
    _normalise(pieces)
    items: list[ContentItem] = []
    current: str | None = None
    current_style: RunStyle = PLAIN
    for piece in pieces:
        kind = piece[0]
        if kind == 0:
            text = piece[1]
            if not text:
                continue
            style = piece[2]
            if current is not None and (current_style is style or current_style == style):
                current += text
            else:
                if current is not None:
                    items.append(_trusted_run(current, current_style))
                current, current_style = text, style
        elif kind == 1 or kind == 2:
            if current is not None:
                items.append(_trusted_run(current, current_style))
                current = None
            if kind == 1:
                items.append(_BREAK)
            elif raw is not None:
                items.append(raw(piece[1]))
    if current is not None:
        items.append(_trusted_run(current, current_style))
    return tuple(items)


def _normalise(pieces: list[list[Any]]) -> None:
    """Collapse and strip the white space of the text pieces that do not preserve it (XML default)."""
    at_line_start = True
    last_text: list[Any] | None = None
    for piece in pieces:
        kind = piece[0]
        if kind == 0:
            if piece[4]:
                at_line_start = False
                last_text = None
                continue
            text = piece[1]
            if "\n" in text or "\t" in text or "  " in text or "\r" in text:
                text = _WS.sub(" ", text)
            if at_line_start or (last_text is not None and last_text[1].endswith(" ")):
                text = text.lstrip(" ")
            piece[1] = text
            if text:
                at_line_start = False
                last_text = piece
        elif kind == 1:
            if last_text is not None and last_text[1].endswith(" "):
                last_text[1] = last_text[1].rstrip(" ")
            at_line_start = True
            last_text = None
    if last_text is not None and last_text[1].endswith(" "):
        last_text[1] = last_text[1].rstrip(" ")
