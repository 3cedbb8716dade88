"""WebVTT cue text: the W3C tokenizer and tree builder, the flattening into model runs, escaping.

Reading happens in two steps, as in the W3C specification:

1. :func:`parse_cue_text` runs the *WebVTT cue text parsing rules* and returns
   a tree of :class:`Element` nodes whose children are text (``str``),
   :class:`Timestamp` leaves and :class:`Unknown` leaves. The tree is exactly
   the W3C node tree (``c i b u ruby rt v lang``, classes, annotations), plus
   the unknown tags W3C drops, kept as :class:`Unknown` so that they survive a
   WebVTT round trip as :class:`~subkit.model.Raw` markup.
2. :func:`flatten` turns the tree into model content: runs with
   italic/bold/underline, classes, colours (built-in colour classes and
   single-colour ``::cue(.x)`` rules), language, voice and ruby, hard line
   breaks, and timed words from the inner timestamps.

Files repeat the same few tag sequences (``<i>..</i>``, ``<v Anna>..``) on
thousands of cues, so :class:`TextPlans` runs both steps once per sequence of
tags (and empty or non-empty texts between them) and keeps the result as a
:class:`Plan`: the style of each text piece and where raw markup goes. Cue
text with the same sequence is then built from the plan without a tree; the
content is the same as the two steps give (tests compare them). Ruby and
inner timestamps, which depend on the text itself, always take the two steps.

Character references are decoded as the current specification says, with
the HTML rules over the full named-reference table (:func:`html.unescape`;
plain replacements when only the six usual ones occur), a superset of the six
references older parsers such as vtt.js know. The one addition to the W3C
tree: tags W3C ignores are kept as :class:`Unknown` leaves (an unknown tag
left open at the end of the text gets its ``>``). Unmatched end tags, ``<rt>``
outside ``<ruby>`` and invalid timestamps are ignored, as W3C says, and
reported through ``problems``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final, NamedTuple, Union

from subkit.model import PLAIN, Color, ContentItem, LineBreak, Raw, Run, RunStyle, Word, _trusted_run

__all__ = [
    "BUILTIN_COLORS",
    "Element",
    "Flat",
    "Node",
    "Plan",
    "StyleCache",
    "TextPlans",
    "Timestamp",
    "Unknown",
    "apply_plan",
    "escape_annotation",
    "escape_text",
    "flatten",
    "format_cue_text",
    "parse_cue_text",
    "parse_timestamp",
    "split_tags",
]

#: The format identifier used for :class:`~subkit.model.Raw` markup.
RAW_FORMAT: Final = "webvtt"

#: The WebVTT built-in colour classes (W3C §"Default classes"), as colours.
BUILTIN_COLORS: Final[dict[str, Color]] = {
    "white": Color(r=255, g=255, b=255),
    "lime": Color(r=0, g=255, b=0),
    "cyan": Color(r=0, g=255, b=255),
    "red": Color(r=255, g=0, b=0),
    "yellow": Color(r=255, g=255, b=0),
    "magenta": Color(r=255, g=0, b=255),
    "blue": Color(r=0, g=0, b=255),
    "black": Color(r=0, g=0, b=0),
}

#: Tag names that build nodes; everything else is ignored by W3C (kept by us as Unknown).
KNOWN_TAGS: Final = frozenset({"c", "i", "b", "u", "ruby", "rt", "v", "lang"})

# A WebVTT timestamp as the W3C "collect a WebVTT timestamp" steps accept it:
# the first field is hours when it is not exactly two digits or is above 59
# (checked in code), minutes and seconds are exactly two digits, the fraction
# exactly three.
_TIMESTAMP = re.compile(r"(\d+):(\d{2})(?::(\d{2}))?\.(\d{3})", re.ASCII)
# Every '<' opens a tag that runs to the next '>' or to the end of the text.
_TAG = re.compile(r"<([^>]*)>?")
#: Cue text cut at its tags: ``[text, tag body, text, ..., text]``.
split_tags: Final = _TAG.split
# A start tag body: name, dot-classes, then an annotation after the first
# whitespace. A LF is whitespace here too (it ends the name or class).
_START_TAG = re.compile(r"([^\t\n\f .]*)((?:\.[^\t\n\f .]*)*)(?:[\t\n\f ](.*))?", re.DOTALL)
_ASCII_WS = re.compile(r"[\t\n\f\r ]+")
_WS_CHARS: Final = "\t\n\f\r "


class Timestamp:
    """An inner timestamp ``<00:00:01.000>`` (a W3C timestamp object).

    Attributes:
        ms: the time in milliseconds.
    """

    __slots__ = ("ms",)

    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __repr__(self) -> str:
        return f"Timestamp({self.ms})"


class Unknown:
    """A tag the W3C parser ignores (``<font>``, ``<br>``, ``</span>``), kept verbatim.

    Attributes:
        markup: the tag as written, ``<`` and ``>`` included; a tag left open at
            the end of the cue text gets its ``>`` (so writing it back cannot
            swallow the tags that follow).
    """

    __slots__ = ("markup",)

    def __init__(self, markup: str) -> None:
        self.markup = markup

    def __repr__(self) -> str:
        return f"Unknown({self.markup!r})"


#: A node of the cue text tree.
Node = Union["Element", str, Timestamp, Unknown]


class Element:
    """An internal node: ``root`` or one of ``c i b u ruby rt v lang``.

    Attributes:
        kind: the tag name (``"root"`` for the list of nodes the parser returns).
        classes: the dot-classes, empty ones left out (as W3C says).
        annotation: the annotation of ``v`` and ``lang`` (whitespace collapsed,
            character references decoded); ``None`` when the tag had none.
        children: child nodes in order.
    """

    __slots__ = ("annotation", "children", "classes", "kind")

    def __init__(self, kind: str, classes: tuple[str, ...] = (), annotation: str | None = None) -> None:
        self.kind = kind
        self.classes = classes
        self.annotation = annotation
        self.children: list[Node] = []

    def __repr__(self) -> str:
        return f"Element({self.kind!r}, {self.classes!r}, {self.annotation!r}, {self.children!r})"


def parse_timestamp(text: str) -> int | None:
    """Milliseconds of a whole WebVTT timestamp, or ``None`` when W3C rejects it.

    >>> parse_timestamp("01:02.500"), parse_timestamp("100:00:00.000"), parse_timestamp("1:02.000")
    (62500, 360000000, None)
    """
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return None
    first, second, third, frac = match.groups()
    if third is None:
        if len(first) != 2 or int(first) > 59:
            return None  # a first field that is hours needs the seconds field
        hours, minutes, seconds = 0, int(first), int(second)
    else:
        hours, minutes, seconds = int(first), int(second), int(third)
    if minutes > 59 or seconds > 59:
        return None
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + int(frac)


# An '&' that does not start one of the six references WebVTT writers use.
_OTHER_REFERENCE = re.compile(r"&(?!(?:amp|lt|gt|nbsp|lrm|rlm);)")


def _unescape(text: str) -> str:
    """Decode character references as the HTML tokenizer does (W3C: "consume a character reference")."""
    if _OTHER_REFERENCE.search(text) is None:
        # Only the usual six: plain replacements, '&amp;' last so that "&amp;lt;" stays "&lt;".
        return (
            text.replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", "\u00a0").replace("&lrm;", "\u200e")
            .replace("&rlm;", "\u200f").replace("&amp;", "&")
        )
    # html is imported here, not at module level: ``import subkit`` stays light.
    import html

    return html.unescape(text)


#: Parsed start tags by their text between ``<`` and ``>``: cue text repeats the same few tags.
_START_TAGS: dict[str, tuple[str, tuple[str, ...], str | None]] = {}
_START_TAGS_MAX: Final = 4096


def _start_tag(body: str) -> tuple[str, tuple[str, ...], str | None]:
    """(name, classes, annotation) of a start tag; the annotation is ``""`` for a bare ``v``/``lang``."""
    parsed = _START_TAG.fullmatch(body)
    assert parsed is not None  # the pattern accepts any string
    name, class_text, annotation = parsed.groups()
    classes = tuple(c for c in class_text.split(".") if c) if class_text else ()
    if name in ("v", "lang"):
        if annotation is None:
            annotation = ""
        else:
            if "&" in annotation:
                annotation = _unescape(annotation)
            annotation = _ASCII_WS.sub(" ", annotation).strip(_WS_CHARS)
    else:
        annotation = None  # only v and lang carry one
    tag = (name, classes, annotation)
    if len(_START_TAGS) < _START_TAGS_MAX:
        _START_TAGS[body] = tag
    return tag


def parse_cue_text(text: str, problems: list[tuple[str, str]] | None = None) -> Element:
    """Run the W3C cue text parsing rules over ``text``; return the root node.

    Args:
        text: the cue payload (lines joined with ``\\n``).
        problems: when given, receives a message for each thing the parser
            ignored (unknown tags, unmatched end tags, bad timestamps, voice or
            language tags without an annotation).

    >>> parse_cue_text("<v Bob>Hi <i>there</i>")
    Element('root', (), None, [Element('v', (), 'Bob', ['Hi ', Element('i', (), None, ['there'])])])
    """
    root = Element("root")
    stack: list[Element] = [root]
    current = root
    # Text and tag bodies alternate: [text, tag, text, tag, ..., text].
    parts = split_tags(text)
    for number, body in enumerate(parts):
        if not number & 1:
            if body:
                current.children.append(_unescape(body) if "&" in body else body)
            continue
        if not body:
            if problems is not None:
                problems.append(("empty tag <>", "ignored it"))
            continue
        first = body[0]
        if first == "/":
            _end_tag(body[1:], stack, problems)
            current = stack[-1]
        elif "0" <= first <= "9":
            ms = parse_timestamp(body)
            if ms is None:
                if problems is not None:
                    problems.append((f"invalid timestamp tag <{body[:30]}>", "ignored it"))
            else:
                current.children.append(Timestamp(ms))
        else:
            node = _start_tag_node(body, current, problems)
            if node is not None:
                current.children.append(node)
                stack.append(node)
                current = node
    return root


def _end_tag(name: str, stack: list[Element], problems: list[tuple[str, str]] | None) -> None:
    """An end tag ``</name>``: close the current element, or keep or ignore the tag as W3C says."""
    current = stack[-1]
    if name == current.kind and name in KNOWN_TAGS:
        stack.pop()
    elif name == "ruby" and current.kind == "rt":
        # </ruby> inside <rt> closes both (W3C tree building rules).
        del stack[-2:]
    elif name in KNOWN_TAGS:
        if problems is not None:
            problems.append((f"end tag </{name}> does not close an open <{name}>", "ignored it"))
    else:
        markup = f"</{name}>"
        current.children.append(Unknown(markup))
        if problems is not None:
            problems.append((f"unknown tag {markup[:40]}", "kept it as WebVTT markup"))


def _start_tag_node(body: str, current: Element, problems: list[tuple[str, str]] | None) -> Element | None:
    """The element a start tag opens inside ``current``; ``None`` for a tag kept as markup or ignored."""
    tag = _START_TAGS.get(body)
    if tag is None:
        tag = _start_tag(body)
    name, classes, annotation = tag
    if name not in KNOWN_TAGS:
        markup = f"<{body}>"
        if name and name != "root":
            current.children.append(Unknown(markup))
            if problems is not None:
                problems.append((f"unknown tag {markup[:40]}", "kept it as WebVTT markup"))
        elif problems is not None:
            problems.append((f"tag without a name {markup[:40]}", "ignored it"))
        return None
    if name == "rt" and current.kind != "ruby":
        if problems is not None:
            problems.append(("<rt> outside <ruby>", "ignored it"))
        return None
    if annotation == "" and problems is not None:
        what = "a voice name" if name == "v" else "a language"
        problems.append((f"<{name}> without {what}", "kept the span"))
    return Element(name, classes, annotation)


class Flat:
    """The model view of one cue's text (the result of :func:`flatten`).

    Attributes:
        content: runs, line breaks and raw markup.
        words: timed words from inner timestamps (empty when there are none).
        speaker: the voice of a ``<v>`` spanning the whole cue.
        language: the language of a ``<lang>`` spanning the whole cue.
        problems: timestamp repairs, for diagnostics.
    """

    __slots__ = ("content", "language", "problems", "speaker", "words")

    def __init__(
        self,
        content: tuple[ContentItem, ...],
        words: tuple[Word, ...],
        speaker: str | None,
        language: str | None,
        problems: list[tuple[str, str]],
    ) -> None:
        self.content = content
        self.words = words
        self.speaker = speaker
        self.language = language
        self.problems = problems


_BREAK = LineBreak()
# (italic, bold, underline, classes, language, voice)
_Context = tuple[bool, bool, bool, tuple[str, ...], "str | None", "str | None"]


class StyleCache:
    """RunStyle objects per formatting context, built once and shared (so runs compare by identity).

    Contexts that give equal styles share one object (text without formatting gets :data:`PLAIN`).
    """

    __slots__ = ("cache", "color_classes", "interned")

    def __init__(self, color_classes: Mapping[str, tuple[str, Color]]) -> None:
        self.color_classes = color_classes
        self.cache: dict[_Context, RunStyle] = {}
        self.interned: dict[RunStyle, RunStyle] = {PLAIN: PLAIN}

    def get(self, ctx: _Context) -> RunStyle:
        style = self.cache.get(ctx)
        if style is None:
            italic, bold, underline, classes, language, voice = ctx
            color: Color | None = None
            background: Color | None = None
            kept: list[str] = []
            for name in classes:
                mapped = self.color_classes.get(name)
                if mapped is None:
                    kept.append(name)
                elif mapped[0] == "color":
                    color = mapped[1]
                else:
                    background = mapped[1]
            style = RunStyle(
                italic=True if italic else None,
                bold=True if bold else None,
                underline=True if underline else None,
                color=color,
                background=background,
                classes=tuple(kept),
                language=language,
                voice=voice,
            )
            style = self.interned.setdefault(style, style)
            self.cache[ctx] = style
        return style


def _merge_classes(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[str, ...]:
    if not new:
        return old
    if not old:
        return new
    return old + tuple(c for c in new if c not in old)


def _rt_text(node: Element) -> str:
    parts: list[str] = []
    # Depth-first, children in order: a stack of reversed child lists (no recursion).
    stack: list[list[Node]] = [list(reversed(node.children))]
    while stack:
        top = stack[-1]
        if not top:
            stack.pop()
            continue
        child = top.pop()
        if type(child) is str:
            parts.append(child)
        elif type(child) is Element:
            stack.append(list(reversed(child.children)))
    return "".join(parts)


def flatten(
    root: Element,
    start_ms: int,
    end_ms: int,
    color_classes: Mapping[str, tuple[str, Color]],
    styles: StyleCache | None = None,
) -> Flat:
    """Lower a cue text tree into model content, words, speaker and language.

    * A ``<v>`` (or ``<lang>``) that is the only node of the cue becomes the
      cue's speaker (language); its classes go to every run. Elsewhere it
      becomes :attr:`RunStyle.voice` (:attr:`RunStyle.language`).
    * Classes listed in ``color_classes`` (``{"yellow": ("color", Color)}``)
      become colours; the other classes stay as :attr:`RunStyle.classes`.
    * ``<ruby>base<rt>annotation</rt></ruby>``: the runs of each base get
      :attr:`RunStyle.ruby`; the annotation is plain text.
    * Inner timestamps become words: the text before the first one is a word
      starting at the cue start, each timestamp starts a word, a word ends
      where the next starts and the last one at the cue end; word texts join
      to the plain text (line breaks as ``\\n``). Timestamps outside the cue
      or going backwards are clamped, with a problem reported.
    """
    if styles is None:
        styles = StyleCache(color_classes)
    node, speaker, language, base_classes = _peel(root)
    items: list[ContentItem] = []
    texts: list[str] = []
    offset = 0
    bounds: list[tuple[int, int]] = []
    barrier = 0  # runs before this index never merge (ruby bases)
    problems: list[tuple[str, str]] = []

    style_cache = styles.cache
    make_style = styles.get
    # An explicit stack instead of recursion, so deeply nested tags cannot overflow it; the
    # current element's state lives in locals: its children, next index, context, ruby mark.
    stack: list[tuple[list[Node], int, _Context, int]] = []
    children = node.children
    index = 0
    ctx: _Context = (False, False, False, base_classes, None, None)
    ruby_mark = -1
    while True:
        if index >= len(children):
            if not stack:
                break
            if ruby_mark >= 0:
                barrier = len(items)  # runs after a ruby never merge into its base
            children, index, ctx, ruby_mark = stack.pop()
            continue
        child = children[index]
        index += 1
        kind = type(child)
        if kind is str:
            text: str = child  # type: ignore[assignment]
            style = style_cache.get(ctx) or make_style(ctx)
            texts.append(text)
            offset += len(text)
            _add_text(items, text, style, barrier)
        elif kind is Timestamp:
            bounds.append((offset, child.ms))  # type: ignore[union-attr]
        elif kind is Unknown:
            items.append(Raw(RAW_FORMAT, child.markup))  # type: ignore[union-attr]
        else:
            element: Element = child  # type: ignore[assignment]
            name = element.kind
            if name == "rt":
                # Only ever a child of <ruby>: annotate the base runs since the last <rt>.
                _annotate_ruby(items, ruby_mark, _rt_text(element))
                ruby_mark = barrier = len(items)
                continue
            stack.append((children, index, ctx, ruby_mark))
            children = element.children
            index = 0
            ctx = _inside(element, ctx)
            if name == "ruby":
                ruby_mark = barrier = len(items)
            else:
                ruby_mark = -1

    words: tuple[Word, ...] = ()
    if bounds:
        words = _words("".join(texts), bounds, start_ms, end_ms, problems)
    return Flat(tuple(items), words, speaker, language, problems)


def _peel(root: Element) -> tuple[Element, str | None, str | None, tuple[str, ...]]:
    """Whole-cue ``<v>`` and ``<lang>`` wrappers as cue fields: the node inside, speaker, language, their classes."""
    speaker: str | None = None
    language: str | None = None
    base_classes: tuple[str, ...] = ()
    node = root
    while len(node.children) == 1:
        only = node.children[0]
        if type(only) is not Element or not only.annotation:
            break
        if only.kind == "v" and speaker is None:
            speaker = only.annotation
        elif only.kind == "lang" and language is None:
            language = only.annotation
        else:
            break
        base_classes = _merge_classes(base_classes, only.classes)
        node = only
    return node, speaker, language, base_classes


def _add_text(items: list[ContentItem], text: str, style: RunStyle, barrier: int) -> None:
    """Add a text node's runs and line breaks, merged into the run before when of the same style.

    Items before ``barrier`` (ruby bases) never merge.
    """
    if "\n" not in text:
        last = items[-1] if len(items) > barrier else None
        if type(last) is Run and last.style is style:
            items[-1] = _trusted_run(last.text + text, style)
        else:
            items.append(_trusted_run(text, style))
        return
    for number, piece in enumerate(text.split("\n")):
        if number:
            items.append(_BREAK)
        if not piece:
            continue
        if len(items) > barrier:
            last = items[-1]
            if type(last) is Run and last.style is style:
                items[-1] = _trusted_run(last.text + piece, style)
                continue
        items.append(_trusted_run(piece, style))


def _annotate_ruby(items: list[ContentItem], mark: int, annotation: str) -> None:
    """Give the runs from ``mark`` on (a ruby base) the annotation of the ``<rt>`` after them."""
    for at in range(mark, len(items)):
        item = items[at]
        if type(item) is Run:
            items[at] = Run(item.text, item.style.merged(ruby=annotation))


def _inside(element: Element, ctx: _Context) -> _Context:
    """The formatting context inside ``element``, given the one around it."""
    italic, bold, underline, classes, lang, voice = ctx
    if element.classes:
        classes = _merge_classes(classes, element.classes)
    name = element.kind
    if name == "i":
        italic = True
    elif name == "b":
        bold = True
    elif name == "u":
        underline = True
    elif name == "v":
        voice = element.annotation or None
    elif name == "lang":
        lang = element.annotation or None
    return (italic, bold, underline, classes, lang, voice)


def _words(
    plain: str, bounds: list[tuple[int, int]], start_ms: int, end_ms: int, problems: list[tuple[str, str]]
) -> tuple[Word, ...]:
    starts: list[tuple[int, int]] = []
    previous = start_ms
    for at, ms in bounds:
        if ms < start_ms or ms > end_ms:
            clamped = min(max(ms, start_ms), end_ms)
            problems.append((f"inner timestamp {ms} ms outside the cue ({start_ms}-{end_ms} ms)", "clamped it"))
            ms = clamped
        if ms < previous:
            problems.append((f"inner timestamp {ms} ms earlier than the one before ({previous} ms)", "clamped it"))
            ms = previous
        previous = ms
        starts.append((at, ms))
    if starts[0][0] > 0:
        starts.insert(0, (0, start_ms))
    words: list[Word] = []
    for number, (at, ms) in enumerate(starts):
        if number + 1 < len(starts):
            upto, until = starts[number + 1]
        else:
            upto, until = len(plain), end_ms
        words.append(Word(text=plain[at:upto], start_ms=ms, end_ms=until))
    return tuple(words)


# ---------------------------------------------------------------- plans

#: Private-use characters that stand for the text pieces of a cue while its plan is made.
_MARK: Final = 0xF0000
#: Longer tag sequences are rare and not worth a plan.
_PLAN_TAGS_MAX: Final = 64
_PLANS_MAX: Final = 4096
_NO_PLAN: Final = object()


class Plan(NamedTuple):
    """How to build the content of cue text with one tag sequence.

    Attributes:
        ops: in order, ``(index, style)`` for the text piece ``parts[index]``
            of :func:`split_tags`, or ``(-1, Raw)`` for unknown markup.
        speaker, language: from a ``<v>`` or ``<lang>`` around the whole cue.
        problems: what the W3C parser ignored, reported for every such cue.
    """

    ops: tuple[tuple[int, RunStyle | Raw], ...]
    speaker: str | None
    language: str | None
    problems: tuple[tuple[str, str], ...]


class TextPlans:
    """The :class:`Plan` of each tag sequence met in one document (see the module docstring)."""

    __slots__ = ("color_classes", "plans", "styles")

    def __init__(self, color_classes: Mapping[str, tuple[str, Color]], styles: StyleCache) -> None:
        self.color_classes = color_classes
        self.styles = styles
        self.plans: dict[tuple[object, ...], object] = {}

    def get(self, parts: list[str]) -> Plan | None:
        """The plan for text cut as ``parts`` (:func:`split_tags`), or ``None`` when it needs the tree."""
        # The tag bodies, then which texts are empty (that decides whether a <v> spans the whole cue).
        key = (*parts[1::2], *map(bool, parts[::2]))
        plan = self.plans.get(key, _NO_PLAN)
        if plan is _NO_PLAN:
            plan = self._make(parts)
            if len(self.plans) < _PLANS_MAX:
                self.plans[key] = plan
        return plan  # type: ignore[return-value]

    def _make(self, parts: list[str]) -> Plan | None:
        if len(parts) > 2 * _PLAN_TAGS_MAX + 1:
            return None
        synthetic: list[str] = []
        pieces = 0
        for index, part in enumerate(parts):
            if index & 1:
                if part and ("0" <= part[0] <= "9" or (part[0] != "/" and _tag_name(part) in ("ruby", "rt"))):
                    return None  # inner timestamps and ruby depend on the text
                synthetic.append(f"<{part}>")
            elif part:
                synthetic.append(chr(_MARK + index))
                pieces += 1
        problems: list[tuple[str, str]] = []
        flat = flatten(parse_cue_text("".join(synthetic), problems), 0, 0, self.color_classes, self.styles)
        ops: list[tuple[int, RunStyle | Raw]] = []
        for item in flat.content:
            if type(item) is Run:
                ops.extend((ord(mark) - _MARK, item.style) for mark in item.text)
            elif type(item) is Raw:
                ops.append((-1, item))
            else:
                return None  # no line breaks without text: cannot happen
        if len(ops) - sum(1 for index, _ in ops if index < 0) != pieces or flat.words:
            return None  # every text piece appears once: cannot fail
        problems.extend(flat.problems)
        return Plan(tuple(ops), flat.speaker, flat.language, tuple(problems))


def _tag_name(body: str) -> str:
    tag = _START_TAGS.get(body)
    return (tag or _start_tag(body))[0]


_BREAK_ITEM: Final[ContentItem] = _BREAK


def apply_plan(plan: Plan, parts: list[str]) -> tuple[ContentItem, ...]:
    """The content of the text cut as ``parts``, built by ``plan`` (what :func:`flatten` gives).

    Runs are built with :func:`~subkit.model._trusted_run`: each text is split at its line breaks first.
    """
    ops = plan[0]
    if len(ops) == 1:
        # One styled text: "<i>text</i>", "<v Anna>text".
        index, what = ops[0]
        if index >= 0:
            text = parts[index]
            if "&" not in text and "\n" not in text:
                return (_trusted_run(text, what),) if text else ()
    items: list[ContentItem] = []
    append = items.append
    for index, what in ops:
        if index < 0:
            append(what)  # type: ignore[arg-type]
            continue
        text = parts[index]
        if not text:
            continue
        if "&" in text:
            text = _unescape(text)
        style: RunStyle = what  # type: ignore[assignment]
        if "\n" not in text:
            if items:
                last = items[-1]
                if type(last) is Run and last.style is style:
                    items[-1] = _trusted_run(last.text + text, style)
                    continue
            append(_trusted_run(text, style))
            continue
        for number, piece in enumerate(text.split("\n")):
            if number:
                append(_BREAK_ITEM)
            if not piece:
                continue
            if items:
                last = items[-1]
                if type(last) is Run and last.style is style:
                    items[-1] = _trusted_run(last.text + piece, style)
                    continue
            append(_trusted_run(piece, style))
    return tuple(items)


def format_cue_text(root: Element) -> str:
    """Cue text whose W3C tree is ``root``: the inverse of :func:`parse_cue_text` (tokens it ignored left out).

    Every element is closed; text is escaped; unknown tags are written as they came.

    >>> format_cue_text(parse_cue_text("<v.loud   Bob>a &lt; b</i><1>"))
    '<v.loud Bob>a &lt; b</v>'
    """
    out: list[str] = []
    # Depth-first without recursion: (children, next index, end tag) per open element.
    stack: list[tuple[list[Node], int, str]] = [(root.children, 0, "")]
    while stack:
        children, index, closer = stack.pop()
        if index >= len(children):
            out.append(closer)
            continue
        stack.append((children, index + 1, closer))
        child = children[index]
        if type(child) is str:
            out.append(escape_text(child))
        elif type(child) is Timestamp:
            ms = child.ms
            hours, rest = divmod(ms, 3_600_000)
            minutes, rest = divmod(rest, 60_000)
            out.append(f"<{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}>")
        elif type(child) is Unknown:
            out.append(child.markup)
        else:
            element: Element = child  # type: ignore[assignment]
            tag = element.kind + "".join("." + name for name in element.classes)
            if element.annotation:
                tag += " " + escape_annotation(element.annotation)
            out.append(f"<{tag}>")
            stack.append((element.children, 0, f"</{element.kind}>"))
    return "".join(out)


_TEXT_ESCAPES: Final = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\u00a0": "&nbsp;", "\u200e": "&lrm;", "\u200f": "&rlm;"}
)
_NEEDS_ESCAPE = re.compile("[&<>\u00a0\u200e\u200f]")


def escape_text(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` (and write NBSP, LRM, RLM as references).

    ``>`` is escaped too, so text can never form ``-->``.

    >>> escape_text("a < b & c --> d")
    'a &lt; b &amp; c --&gt; d'
    """
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    return text.translate(_TEXT_ESCAPES)


def escape_annotation(text: str) -> str:
    """An annotation (voice name, language) safe inside a start tag.

    Whitespace runs become one space (the parser collapses them anyway).
    """
    return escape_text(" ".join(_ASCII_WS.split(text.strip(_WS_CHARS))))
