"""SAMI (``.smi``, ``.sami``): reader and writer.

SAMI (Microsoft's Synchronized Accessible Media Interchange) looks like
HTML, and like most HTML in the wild it is not well-formed XML: end tags are
left out, attribute values go unquoted, comments are written ``<-- -->``.
So the reader tokenises the text itself with a forgiving scanner rather than
an XML parser (lxml's XML parser rejects most real files; its HTML parser
would restructure ``<SYNC>`` soup into nested elements and drop the line
numbers that diagnostics need)::

    <SAMI><HEAD><TITLE>Film</TITLE>
    <STYLE TYPE="text/css"><!--
    P { font-family: Arial; text-align: center; }
    .ENUSCC { Name: English; lang: en-US; SAMIType: CC; }
    .FRFRCC { Name: French; lang: fr-FR; SAMIType: CC; }
    --></STYLE></HEAD><BODY>
    <SYNC Start=1000><P Class=ENUSCC>Hello<br><i>world</i>
                     <P Class=FRFRCC>Bonjour
    <SYNC Start=3000><P Class=ENUSCC>&nbsp;<P Class=FRFRCC>&nbsp;
    </BODY></SAMI>

Timing: ``Start`` is in milliseconds; there is no end. A caption of a class
lasts until the next ``<SYNC>`` that has a ``<P>`` of the same class; a
``<P>`` holding only ``&nbsp;`` (or nothing) clears that class.

Mapping into the model:

* each ``.CLASS`` of the style sheet is a track; its ``lang`` is the
  language of its cues. With one track the language goes to
  ``doc.language``; with several, every cue's ``language`` is set, so all
  tracks are read into one document (the writer's ``language`` option picks
  one back out);
* ``<TITLE>`` is ``doc.title``; the style sheet (without its comment
  markers) is ``doc.header["sami.style"]`` and ``<SAMIParam>`` is
  ``doc.header["sami.param"]``, both written back verbatim;
* ``<i>``/``<em>``, ``<b>``/``<strong>``, ``<u>``, ``<s>``/``<strike>`` and
  ``<font color face size>`` become run styles; ``<br>`` a hard break;
  ``style="..."`` on ``<P>`` or on a plain ``<span>`` (font style and weight,
  text decoration, colours, font family and size) too; whitespace collapses
  as in HTML; entities are decoded (``&nbsp;`` is kept as U+00A0 inside
  text); other tags (``<span class=...>``, ``<ruby>``...) are kept as SAMI-only
  raw markup;
* a ``<P ID=Source>`` beside a caption names its speaker (``cue.speaker``);
* a cue's class is kept in ``extra["sami.class"]`` only when the writer would
  not pick it again from the cue's language.

Tags and attributes in any case, unquoted values and missing ``</P>`` and
``</SYNC>`` are ordinary SAMI and read silently. Leniencies (each recorded as a
diagnostic; ``strict=True`` raises instead):

* ``<-- -->`` comments, a comment never closed, a missing ``<SAMI>`` or ``<BODY>``;
* inline CSS with no run field (``text-align``, margins: ignored);
* text in a ``<SYNC>`` without ``<P>``, and ``<P>`` without ``Class`` (read
  as the first class of the style sheet);
* several ``<P>`` of one class in a ``<SYNC>`` (joined with line breaks);
* an undefined class (read without a language);
* ``Start`` values with a unit or a fraction (``1000ms``, ``1000.4``);
  unreadable ones skip their ``<SYNC>``;
* ``<SYNC>`` elements out of order (sorted by start);
* no clearing ``<SYNC>`` after the last caption (it lasts ``last_duration_ms``).
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from subkit.formats._base import BaseWriteOptions, DiagnosticSink, LineCounter
from subkit.formats._html import color_to_html, parse_color, tags_for_style
from subkit.formats._lower import Lowering, lower
from subkit.formats._text_blocks import LastCueReadOptions, Tally
from subkit.model import (
    NOWHERE,
    PLAIN,
    ContentItem,
    Cue,
    Document,
    LineBreak,
    LossReport,
    Raw,
    Run,
    RunStyle,
    _trusted_cue,
    _trusted_run,
)

__all__ = [
    "FEATURES",
    "LOWERING",
    "NAME",
    "ReadOptions",
    "WriteOptions",
    "read",
    "sniff",
    "stylesheet",
    "write",
]

NAME = "sami"

#: What the writer can express.
FEATURES = frozenset({"italic", "bold", "underline", "strike", "color", "background", "font", "language", "speaker"})
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
#: Cues without text and overlaps are handled per class (language track) by the writer.
LOWERING = Lowering()

#: The base rule of a style sheet the writer makes for a document that has none.
BASE_RULE = (
    "P { margin-left: 8pt; margin-right: 8pt; margin-bottom: 2pt; margin-top: 2pt;\n"
    "    text-align: center; font-size: 12pt; font-family: Arial, sans-serif;\n"
    "    font-weight: normal; color: white; }"
)
#: The class of cues without a language.
DEFAULT_CLASS = "SUBTTL"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(LastCueReadOptions):
    """SAMI reader options.

    Attributes:
        last_duration_ms: how long a caption lasts when no later ``<SYNC>`` clears it.
    """


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """SAMI writer options.

    Attributes:
        language: write only the cues of this language (``"en"`` matches
            ``"en-US"``); ``None`` writes every language as its own class.
    """

    language: str | None = None


# ---------------------------------------------------------------- scanning

_TOKEN = re.compile(
    r"<!--|<--"  # comment openers; the end is found with str.find (a lazy regex is quadratic when it is missing)
    r"|<(/?)[ \t]*([A-Za-z][A-Za-z0-9:_-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>"
)
_TAGS = re.compile(r"<[^<>]*>")
_ATTR = re.compile(r"""([A-Za-z_:][A-Za-z0-9_:.-]*)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_OPEN = {name: re.compile(rf"<\s*{name}\b[^<>]*>", re.IGNORECASE) for name in ("title", "style", "samiparam")}
_CLOSE = {name: re.compile(rf"<\s*/\s*{name}\s*>", re.IGNORECASE) for name in ("title", "style", "samiparam")}
_BODY = re.compile(r"<\s*body\b[^<>]*>", re.IGNORECASE)
_FIRST_SYNC = re.compile(r"<\s*sync\b", re.IGNORECASE)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
_START = re.compile(r"\s*(\d+)(?:\.(\d+))?\s*(?:ms)?\s*", re.IGNORECASE)
_TOGGLES = {"i": "italic", "em": "italic", "b": "bold", "strong": "bold", "u": "underline", "s": "strike",
            "strike": "strike"}  # fmt: skip
_STRUCTURE = {"sami", "head", "body", "title", "style", "samiparam", "html"}
_BREAK = LineBreak()


def sniff(head: str) -> bool:
    """True when a ``<SAMI>`` tag appears near the top (any case)."""
    return re.search(r"<\s*sami[\s>]", head[:4096], re.IGNORECASE) is not None


def _attrs(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "") for m in _ATTR.finditer(text)
    }


def parse_classes(css: str) -> dict[str, tuple[str, str | None]]:
    """``{lowercase class: (class as written, lang or None)}`` of a SAMI style sheet, in order.

    >>> parse_classes(".ENCC { Name: English; lang: en-US; }")
    {'encc': ('ENCC', 'en-US')}
    """
    classes: dict[str, tuple[str, str | None]] = {}
    for rule in _RULE.finditer(css):
        declarations: dict[str, str] = {}
        for declaration in rule.group(2).split(";"):
            key, _, value = declaration.partition(":")
            if value.strip():
                declarations[key.strip().lower()] = value.strip()
        for selector in rule.group(1).split(","):
            selector = selector.strip()
            if selector.startswith(".") and len(selector) > 1:
                classes[selector[1:].lower()] = (selector[1:], declarations.get("lang") or None)
    return classes


@dataclass(slots=True)
class _Para:
    """One ``<P>`` while it is read."""

    cls: str  # as written; compared in lowercase
    id: str
    offset: int  # of the <P> tag in the data (its line is found only for a diagnostic)
    pieces: list[tuple[str, RunStyle] | LineBreak | Raw]
    implicit: bool = False


@dataclass(slots=True)
class _Sync:
    start: int
    offset: int  # of the <SYNC> tag
    paras: list[_Para]


class _Inline:
    """Inline formatting state inside one ``<P>``."""

    __slots__ = ("base", "counts", "fonts", "spans")

    def __init__(self, base: dict[str, object] | None = None) -> None:
        self.base = base or {}  # from the <P style=...> attribute
        self.counts = {"italic": 0, "bold": 0, "underline": 0, "strike": 0}
        self.fonts: list[dict[str, object]] = []
        self.spans: list[dict[str, object] | None] = []  # None: a <span> kept as raw markup

    def copy(self) -> _Inline:
        other = _Inline(self.base)
        other.counts = dict(self.counts)
        other.fonts = list(self.fonts)
        other.spans = list(self.spans)
        return other

    def style(self) -> RunStyle:
        values: dict[str, object] = dict(self.base)
        values.update((key, True) for key, count in self.counts.items() if count > 0)
        for font in self.fonts:
            values.update(font)
        for span in self.spans:
            if span is not None:
                values.update(span)
        return RunStyle(**values) if values else PLAIN  # type: ignore[arg-type]


_FONT_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(?:pt|px)?\s*", re.IGNORECASE)


def _css(text: str, ignored: set[str]) -> dict[str, object]:
    """Run style fields of an inline ``style="..."`` attribute; what has no field goes to ``ignored``."""
    values: dict[str, object] = {}
    for declaration in text.split(";"):
        key, _, value = declaration.partition(":")
        key, value = key.strip().lower(), value.strip()
        lowered = value.lower()
        if not key:
            continue
        if key == "font-style" and lowered in ("italic", "oblique"):
            values["italic"] = True
        elif key == "font-weight" and (lowered in ("bold", "bolder") or lowered in ("600", "700", "800", "900")):
            values["bold"] = True
        elif key == "text-decoration" and ("underline" in lowered or "line-through" in lowered):
            if "underline" in lowered:
                values["underline"] = True
            if "line-through" in lowered:
                values["strike"] = True
        elif key in ("color", "background-color") and parse_color(value) is not None:
            values["color" if key == "color" else "background"] = parse_color(value)
        elif key == "font-family" and value:
            values["font_family"] = value.strip("\"'")
        elif key == "font-size" and (size := _FONT_SIZE.fullmatch(value)) and float(size.group(1)) > 0:
            values["font_size"] = float(size.group(1))  # the unit (pt or px) is dropped
        else:
            ignored.add(f"{key}: {value}")
    return values


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse SAMI text (``\\n`` newlines) into a document.

    Raises:
        ParseError: no ``<SYNC>`` in non-empty input, or (strict) any flaw.
    """
    sink = DiagnosticSink(NAME, options)
    line_of = LineCounter(data)
    if not data.strip():
        return Document(source_format=NAME)
    if not sniff(data):
        sink.warn("no <SAMI> tag", "read it as SAMI anyway", line=1)
    header: dict[str, str] = {}
    title_text = _block(data, "title")
    title = html.unescape(_WHITESPACE.sub(" ", title_text)).strip() or None if title_text else None
    css = (_block(data, "style") or "").strip().removeprefix("<!--").removesuffix("-->").strip()
    if css:
        header[f"{NAME}.style"] = css
    param = (_block(data, "samiparam") or "").strip()
    if param:
        header[f"{NAME}.param"] = param
    classes = parse_classes(css)
    default_class = next(iter(classes.values()), ("", None))[0]

    body = _BODY.search(data)
    if body is not None:
        # A <BODY> inside the STYLE block is CSS text (the writer keeps a file's CSS as it was): look after it.
        style = _OPEN["style"].search(data)
        closing = _CLOSE["style"].search(data, style.end()) if style else None
        if style and closing and style.end() <= body.start() < closing.start():
            body = _BODY.search(data, closing.end())
    if body is None:
        first_sync = _FIRST_SYNC.search(data)
        if first_sync is None:
            raise sink.fail("no <SYNC> element found", line=1, excerpt=data.strip().split("\n", 1)[0])
        sink.warn("no <BODY> tag", "read from the first <SYNC>", line=line_of(first_sync.start()))
        position = first_sync.start()
    else:
        position = body.end()
    syncs = _scan(data, position, default_class, sink, line_of)
    if not syncs:
        rest = _TAGS.sub("", data[position:]).strip()
        if body is not None and not rest:
            # A body without captions: an empty but well-formed file (what the writer makes of no cues).
            return Document(title=title, header=header, diagnostics=tuple(sink.items), source_format=NAME)
        raise sink.fail("no <SYNC> element found", line=line_of(position), excerpt=rest.split("\n", 1)[0] or None)
    undefined: dict[str, _Para] = {}
    for para in (p for s in syncs for p in s.paras if p.cls and p.cls.lower() not in classes):
        undefined.setdefault(para.cls.lower(), para)
    for para in undefined.values():
        sink.warn(
            f"class {para.cls!r} is not defined in the style sheet", "read its cues without a language",
            line=line_of(para.offset),
        )
    return _timeline(syncs, classes, header, title, options, sink, line_of)


def _block(data: str, name: str) -> str | None:
    """The text inside the first ``<name>...</name>`` of the head, or ``None``."""
    # Two plain searches rather than one lazy pattern, which is quadratic when the end tag is missing.
    opening = _OPEN[name].search(data)
    if opening is None:
        return None
    closing = _CLOSE[name].search(data, opening.end())
    return data[opening.end() : closing.start()] if closing else None


def _scan(data: str, position: int, default_class: str, sink: DiagnosticSink, line_of: LineCounter) -> list[_Sync]:
    """Walk the tags of the body into SYNC elements holding paragraphs of pieces."""
    return _Scanner(data, default_class, sink, line_of).run(position)


#: A ``<SYNC>`` tag as :data:`_TOKEN` reads it (the end of a block).
_SYNC_TOKEN = re.compile(r"""<[ \t]*sync(?![A-Za-z0-9:_-])(?:[^<>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
#: A tag as :data:`_TOKEN` reads it, for one piece of a block.
_TAG = re.compile(r"""<(/?)[ \t]*([A-Za-z][A-Za-z0-9:_-]*)((?:[^<>"']|"[^"]*"|'[^']*')*)>""")
#: A block cut into text and tag pieces: text, tag, text, ..., text.
_PIECES = re.compile(r"(<[^<>]*>)")
#: The usual ``<SYNC>`` tag, whose Start needs no repair.
_PLAIN_SYNC = re.compile(r"<sync start=(0|[1-9][0-9]*)>", re.IGNORECASE)
_PLANS_MAX = 4096
_NO_PLAN = object()


@dataclass(frozen=True, slots=True)
class _BlockPlan:
    """What the tags of a ``<SYNC>`` block (all but its own) make of its text pieces.

    ``paras`` holds (class, id, index of the ``<P>`` tag, pieces) per
    paragraph, where a piece ``(index, style)`` stands for the text piece
    ``parts[index]``; ``blank`` lists the pieces that must be blank (the
    general path drops them only then). The rest is the scanner's state after
    the block.
    """

    paras: tuple[tuple[str, str, int, tuple[tuple[int, RunStyle] | LineBreak | Raw, ...]], ...]
    blank: tuple[int, ...]
    open_sync: bool
    open_para: int  # index into paras, or -1
    inline: _Inline


class _Scanner:
    """One walk over the tags of the body (the state :func:`_scan` keeps between tags).

    A ``<SYNC>`` block whose tags were met before (same tags after the
    ``<SYNC>`` itself, in the same order) is built from the plan recorded
    for them: the tags are interpreted once, without the text, and later
    blocks only place their text pieces. Blocks that could report something,
    or whose result depends on what came before, go through the tags one by
    one every time; the result is the same either way.
    """

    def __init__(self, data: str, default_class: str, sink: DiagnosticSink, line_of: Callable[[int], int]) -> None:
        self.data = data
        self.default_class = default_class
        self.sink = sink
        self.line_of = line_of
        self.syncs: list[_Sync] = []
        self.sync: _Sync | None = None
        self.para: _Para | None = None
        self.inline = _Inline()
        self.inline_shared = False  # self.inline belongs to a plan: copy it before a change
        self.unknown: set[str] = set()
        self.unknown_line: int | None = None
        self.ignored: set[str] = set()  # inline CSS declarations with no model field
        self.ignored_line: int | None = None
        self.warned_comment = False
        self.skipping = False  # inside a SYNC whose Start did not parse
        self.ended = False
        self.recording = False  # building a plan: text pieces are their indexes
        self.blank: list[int] = []
        self.plans: dict[tuple[str, ...], object] = {}

    def run(self, position: int) -> list[_Sync]:
        """Scan from ``position`` to the end of the body."""
        data = self.data
        pos = position
        while True:
            match = _TOKEN.search(data, pos)
            if match is None:
                break
            if match.start() > pos:
                self.add_text(data[pos : match.start()], pos)
            pos = match.end()
            whole = match.group(0)
            if whole in ("<!--", "<--"):
                pos = self.comment(whole, match.start(), pos)
                continue
            closing, name, attr_text = match.group(1), match.group(2).lower(), match.group(3)
            if name == "sync" and not closing:
                resume = self.planned_blocks(match.start(), whole)
                if resume is not None:
                    pos = resume
                    continue
            self.tag(closing, name, attr_text, whole, match.start())
            if self.ended:
                break
        if not self.ended and pos < len(data):
            self.add_text(data[pos:], pos)
        if self.ignored:
            self.sink.warn(f"inline style without a model field: {', '.join(sorted(self.ignored))[:80]}",
                           "ignored it", line=self.ignored_line)
        if self.unknown:
            self.sink.warn(f"unknown markup {', '.join(sorted(self.unknown))[:80]}", "kept it as SAMI-only markup",
                           line=self.unknown_line)
        return self.syncs

    def comment(self, whole: str, start: int, pos: int) -> int:
        """Skip a comment; the position after it (the end of the data when it is never closed)."""
        close = self.data.find("-->", pos)
        if close < 0:
            self.sink.warn("comment never closed", "skipped the rest of the file", line=self.line_of(start))
            return len(self.data)
        if whole == "<--" and not self.warned_comment:
            self.warned_comment = True
            self.sink.warn("comment written '<--' instead of '<!--'", "skipped it", line=self.line_of(start))
        return close + 3

    # -- text and tags

    def add_text(self, text: str, offset: int) -> None:
        sync, para = self.sync, self.para
        if sync is None or self.skipping:
            if self.recording:
                self.blank.append(offset)
            elif text.strip() and not self.skipping:
                self.sink.warn("text outside <SYNC>", "skipped it", line=self.line_of(offset), excerpt=text.strip())
            return
        if para is None:
            if self.recording:
                self.blank.append(offset)
                return
            if not text.strip():
                return
            self.sink.warn("text in <SYNC> without <P>", "read it as a paragraph", line=self.line_of(offset),
                           excerpt=text.strip())
            para = self.para = _Para(self.default_class, "", offset, [], implicit=True)
            sync.paras.append(para)
        para.pieces.append((text, self.inline.style()))

    def own_inline(self) -> _Inline:
        """The inline state, to be changed (a plan's is copied first)."""
        if self.inline_shared:
            self.inline = self.inline.copy()
            self.inline_shared = False
        return self.inline

    def tag(self, closing: str, name: str, attr_text: str, whole: str, offset: int) -> None:
        """Interpret one tag (``name`` in lowercase) at ``offset``."""
        if name == "sync":
            self.sync_tag(closing, attr_text, whole, offset)
        elif name == "p":
            self.p_tag(closing, attr_text, offset)
        elif name == "br":
            if self.para is not None:
                self.para.pieces.append(_BREAK)
        elif name in _TOGGLES:
            counts = self.own_inline().counts
            key = _TOGGLES[name]
            counts[key] = max(0, counts[key] + (-1 if closing else 1))
        elif name == "font":
            inline = self.own_inline()
            if not closing:
                inline.fonts.append(_font(_attrs(attr_text), self.unknown))
            elif inline.fonts:
                inline.fonts.pop()
        elif name == "span" and self.para is not None:
            self.span_tag(closing, attr_text, whole, offset)
        elif name in _STRUCTURE:
            self.ended = bool(closing) and name in ("body", "sami")
        elif self.para is not None:
            self.para.pieces.append(Raw(NAME, whole))
            self.unknown.add(f"<{closing}{name}>")
            self.unknown_line = self.unknown_line or self.line_of(offset)

    def sync_tag(self, closing: str, attr_text: str, whole: str, offset: int) -> None:
        self.para = None
        if closing:
            self.sync = None
            self.skipping = False
            return
        attrs = _attrs(attr_text)
        start = _start(attrs.get("start"))
        if start is None:
            self.sink.error(f"SYNC Start is not a number: {attrs.get('start')!r}", "skipped the SYNC",
                            line=self.line_of(offset), excerpt=whole)
            self.sync, self.skipping = None, True
            return
        if attrs.get("start", "").strip() != str(start):
            self.sink.warn(f"SYNC Start is not an integer: {attrs.get('start')!r}", f"read it as {start}",
                           line=self.line_of(offset), excerpt=whole)
        self.sync, self.skipping = _Sync(start, offset, []), False
        self.syncs.append(self.sync)

    def p_tag(self, closing: str, attr_text: str, offset: int) -> None:
        if closing:
            self.para = None
            return
        attrs = _attrs(attr_text)
        self.inline = _Inline(_css(attrs["style"], self.ignored) if "style" in attrs else None)
        self.inline_shared = False
        self.ignored_line = self.ignored_line or (self.line_of(offset) if self.ignored else None)
        if self.sync is None:
            if not self.skipping:
                self.sink.warn("<P> outside <SYNC>", "skipped it", line=self.line_of(offset))
            self.para = None
            return
        self.para = _Para(attrs.get("class", self.default_class), attrs.get("id", "").lower(), offset, [])
        self.sync.paras.append(self.para)

    def span_tag(self, closing: str, attr_text: str, whole: str, offset: int) -> None:
        assert self.para is not None
        inline = self.own_inline()
        attrs = _attrs(attr_text)
        if closing:
            kept = inline.spans.pop() if inline.spans else None
            if kept is None:
                self.para.pieces.append(Raw(NAME, whole))
        elif set(attrs) == {"style"}:
            # A span that only restyles text is a run style; any other span stays raw markup.
            inline.spans.append(_css(attrs["style"], self.ignored))
            self.ignored_line = self.ignored_line or (self.line_of(offset) if self.ignored else None)
        else:
            inline.spans.append(None)
            self.para.pieces.append(Raw(NAME, whole))
            self.unknown.add("<span>")
            self.unknown_line = self.unknown_line or self.line_of(offset)

    # -- planned blocks

    def planned_blocks(self, start: int, whole: str) -> int | None:
        """Read ``<SYNC>`` blocks through their plans, from the one at ``start`` (``whole`` is its tag).

        Gives the position where the general path takes over (the start of the
        first block without a plan, or the end of the data), or ``None`` when
        the first block has none.
        """
        data = self.data
        resume = None
        while True:
            following = _SYNC_TOKEN.search(data, start + len(whole))
            end = following.start() if following is not None else len(data)
            if not self.planned_block(data[start:end], start, whole):
                return resume
            if following is None:
                return end
            start = resume = end
            whole = following.group(0)

    def planned_block(self, block: str, start: int, whole: str) -> bool:
        """Read the ``<SYNC>`` block ``block`` (at ``start``) through a plan; ``False`` when it has none."""
        parts = _PIECES.split(block)
        if len(parts) < 5 or parts[1] != whole or block.count("<") != len(parts) >> 1:
            return False  # not cut into tags as the general path cuts it, or no tag after <SYNC>
        key = tuple(parts[3::2])
        plan = self.plans.get(key, _NO_PLAN)
        if plan is _NO_PLAN:
            plan = self.make_plan(parts)
            if len(self.plans) < _PLANS_MAX:
                self.plans[key] = plan
        sync_start = _PLAIN_SYNC.fullmatch(whole)
        if plan is None or sync_start is None:
            return False
        for index in plan.blank:  # type: ignore[attr-defined]
            if parts[index].strip():
                return False
        sync = _Sync(int(sync_start.group(1)), start, [])
        self.syncs.append(sync)
        paras = sync.paras
        offset, done = start, 0
        for cls, para_id, index, template in plan.paras:  # type: ignore[attr-defined]
            while done < index:
                offset += len(parts[done])
                done += 1
            pieces = [(parts[item[0]], item[1]) if type(item) is tuple else item for item in template]
            paras.append(_Para(cls, para_id, offset, pieces))
        self.sync = sync if plan.open_sync else None  # type: ignore[attr-defined]
        self.para = paras[plan.open_para] if plan.open_para >= 0 else None  # type: ignore[attr-defined]
        self.inline, self.inline_shared, self.skipping = plan.inline, True, False  # type: ignore[attr-defined]
        return True

    def make_plan(self, parts: list[str]) -> _BlockPlan | None:
        """Interpret the tags of a block (``parts`` of :data:`_PIECES`) without its text; ``None`` if it can't be."""
        first = _TAG.fullmatch(parts[3])
        if first is None or first.group(1) or first.group(2).lower() != "p":
            return None  # what comes before the first <P> would depend on the state before the block
        quiet = DiagnosticSink(NAME, ReadOptions())
        recorder = _Scanner("", self.default_class, quiet, lambda offset: 1)
        recorder.recording = True
        recorder.sync = sync = _Sync(0, 0, [])
        for index in range(2, len(parts)):
            if not index & 1:
                recorder.add_text(index, index)  # type: ignore[arg-type]
                continue
            tag = _TAG.fullmatch(parts[index])
            if tag is None:
                return None
            closing, name = tag.group(1), tag.group(2).lower()
            if name == "sync" and not closing:
                return None
            recorder.tag(closing, name, tag.group(3), parts[index], index)
            if recorder.ended or quiet.items or recorder.unknown or recorder.ignored:
                return None
        paras = tuple((para.cls, para.id, para.offset, tuple(para.pieces)) for para in sync.paras)
        open_para = sync.paras.index(recorder.para) if recorder.para is not None else -1
        return _BlockPlan(paras, tuple(recorder.blank), recorder.sync is not None, open_para,  # type: ignore[arg-type]
                          recorder.inline)


def _start(value: str | None) -> int | None:
    if value is None:
        return None
    match = _START.fullmatch(value)
    if not match:
        return None
    whole, fraction = match.groups()
    # A fraction is rounded half up to whole milliseconds.
    return int(whole) + (1 if fraction and fraction[0] >= "5" else 0)


def _font(attrs: dict[str, str], unknown: set[str]) -> dict[str, object]:
    font: dict[str, object] = {}
    if "color" in attrs:
        color = parse_color(attrs["color"])
        if color is not None:
            font["color"] = color
        else:
            unknown.add(f'color="{attrs["color"]}"')
    if attrs.get("face"):
        font["font_family"] = attrs["face"]
    if "size" in attrs:
        try:
            size = float(attrs["size"])
        except ValueError:
            size = 0.0
        if size > 0:
            font["font_size"] = size
        else:
            unknown.add(f'size="{attrs["size"]}"')
    return font


#: Short text pieces with entities, decoded (shared by all reads; at most 256).
_DECODED: dict[str, str] = {}


def _clean(text: str) -> str:
    """A text piece with its white space collapsed and its entities decoded (line breaks in them as spaces)."""
    text = _WHITESPACE.sub(" ", text)
    if "&" in text:
        if text in _DECODED:
            return _DECODED[text]
        decoded = html.unescape(text).replace("\r", "").replace("\n", " ")
        if len(text) <= 16 and len(_DECODED) < 256:
            _DECODED[text] = decoded  # the clearing "&nbsp;" and other short pieces
        return decoded
    return text


def _content(pieces: list[tuple[str, RunStyle] | LineBreak | Raw]) -> tuple[ContentItem, ...]:
    """Runs from scanned pieces, with HTML whitespace rules: runs of spaces and newlines
    collapse to one space, and spaces at the start and end of a line go."""
    if len(pieces) == 1 and type(pieces[0]) is tuple:  # one text piece (the usual paragraph)
        text = _clean(pieces[0][0]).strip(" ")
        return (_trusted_run(text, pieces[0][1]),) if text else ()
    items: list[ContentItem] = []
    after_space = True  # at the start of a line, leading spaces are dropped
    for piece in pieces:
        if type(piece) is tuple:
            text = _clean(piece[0])
            if after_space:
                text = text.lstrip(" ")
            if not text:
                continue
            previous = items[-1] if items else None
            if type(previous) is Run and previous.style == piece[1]:
                items[-1] = _trusted_run(previous.text + text, piece[1])
            else:
                items.append(_trusted_run(text, piece[1]))
            after_space = text.endswith(" ")
        elif isinstance(piece, LineBreak):
            _trim_line_end(items)
            items.append(piece)
            after_space = True
        else:
            items.append(piece)  # type: ignore[arg-type]
    _trim_line_end(items)
    return tuple(items)


def _trim_line_end(items: list[ContentItem]) -> None:
    """Drop the spaces at the end of the last line of ``items`` (and the runs left empty)."""
    index = len(items) - 1
    while index >= 0 and not isinstance(items[index], LineBreak):
        item = items[index]
        if isinstance(item, Run):
            text = item.text.rstrip(" ")
            if text:
                if text != item.text:
                    items[index] = _trusted_run(text, item.style)
                return
            del items[index]
        index -= 1


def _is_blank(content: tuple[ContentItem, ...]) -> bool:
    return not any(isinstance(item, Run) and item.text.replace("\xa0", " ").strip() for item in content)


def _timeline(
    syncs: list[_Sync],
    classes: dict[str, tuple[str, str | None]],
    header: dict[str, str],
    title: str | None,
    options: ReadOptions,
    sink: DiagnosticSink,
    line_of: Callable[[int], int],
) -> Document:
    """Turn SYNC elements into cues: a caption of a class lasts until that class's next SYNC."""
    for previous, current in itertools.pairwise(syncs):
        if current.start < previous.start:
            sink.warn("SYNC elements out of order", "sorted them by start", line=line_of(current.offset))
            syncs = sorted(syncs, key=lambda s: s.start)
            break
    # Per class, the open caption: (start, content, speaker, offset, sequence number).
    open_: dict[str, tuple[int, tuple[ContentItem, ...], str | None, int, int]] = {}
    found: list[tuple[int, int, str, Cue]] = []
    written: dict[str, str] = {}  # lowercase class -> as first written
    sequence = 0
    for sync in syncs:
        for cls, paras in _by_class(sync.paras, written).items():
            if cls in open_:
                start, content, speaker, _, number = open_.pop(cls)
                found.append((start, number, cls, _cue(start, sync.start, content, speaker)))
            caption = _caption(paras, sink, line_of)
            if caption is not None:
                open_[cls] = (sync.start, caption[0], caption[1], sync.offset, sequence)
                sequence += 1
    for cls, (start, content, speaker, offset, number) in open_.items():
        sink.warn("no SYNC clears the last caption", f"gave it {options.last_duration_ms} ms", line=line_of(offset))
        found.append((start, number, cls, _cue(start, start + options.last_duration_ms, content, speaker)))
    found.sort(key=lambda entry: (entry[0], entry[1]))
    used = {cls for _, _, cls, _ in found}
    languages = {classes.get(cls, ("", None))[1] for cls in used}
    doc_language = next(iter(languages)) if len(used) == 1 else None
    # What each class changes in its cues (the same for all of them).
    changes: dict[str, dict[str, object]] = {}
    for cls in used:
        language = None if len(used) == 1 else classes.get(cls, ("", None))[1]
        changes[cls] = {"language": language} if language is not None else {}
        if cls and _pick_class(language or doc_language, classes).lower() != cls:
            changes[cls]["extra"] = {f"{NAME}.class": classes.get(cls, (written[cls], None))[0]}
    cues = [cue.replace(**changes[cls]) if changes[cls] else cue for _, _, cls, cue in found]
    return Document(
        cues=tuple(cues),
        language=doc_language,
        title=title,
        header=header,
        diagnostics=tuple(sink.items),
        source_format=NAME,
    )


def _by_class(paras: list[_Para], written: dict[str, str]) -> dict[str, list[_Para]]:
    """The paragraphs of a SYNC by lowercase class; ``written`` learns how each class was first written."""
    if len(paras) == 1:
        para = paras[0]
        cls = para.cls.lower()
        if cls not in written:
            written[cls] = para.cls
        return {cls: paras}
    by_class: dict[str, list[_Para]] = {}
    for para in paras:
        by_class.setdefault(para.cls.lower(), []).append(para)
        written.setdefault(para.cls.lower(), para.cls)
    return by_class


def _caption(paras: list[_Para], sink: DiagnosticSink,
             line_of: Callable[[int], int]) -> tuple[tuple[ContentItem, ...], str | None] | None:
    """The content and speaker of the paragraphs of one class in a SYNC; ``None`` when it clears the class."""
    if len(paras) == 1 and paras[0].id != "source":
        pieces = paras[0].pieces
        if len(pieces) == 1 and type(pieces[0]) is tuple:  # one text piece: a caption, or a clearing &nbsp;
            text = _clean(pieces[0][0]).strip(" ")
            return ((_trusted_run(text, pieces[0][1]),), None) if text.replace("\xa0", " ").strip() else None
        content = _content(pieces)
        return None if _is_blank(content) else (content, None)
    speaker = None
    items: list[ContentItem] = []
    texts = 0
    for para in paras:
        content = _content(para.pieces)
        if para.id == "source":
            if not _is_blank(content):
                speaker = "".join(
                    i.text if isinstance(i, Run) else " " for i in content if not isinstance(i, Raw)
                ).strip()
            continue
        if _is_blank(content):
            continue
        if texts:
            sink.warn("several <P> of one class in a SYNC", "joined them with line breaks", line=line_of(para.offset))
            items.append(LineBreak())
        items.extend(content)
        texts += 1
    return (tuple(items), speaker) if texts else None


def _cue(start: int, end: int, content: tuple[ContentItem, ...], speaker: str | None) -> Cue:
    cue: Cue = _trusted_cue(start, max(end, start), content, None, NOWHERE, speaker)
    return cue


def _class_name(language: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", language).upper() + "CC"


def _pick_class(language: str | None, classes: dict[str, tuple[str, str | None]]) -> str:
    """The class the writer uses for ``language``: the style sheet's, else a generated one."""
    for name, lang in classes.values():
        if (lang or None) == language or (lang and language and lang.lower() == language.lower()):
            return name
    return _class_name(language) if language else DEFAULT_CLASS


def stylesheet(languages: list[str | None], base: str = BASE_RULE) -> str:
    """A style sheet with ``base`` and one class per language (``None``: :data:`DEFAULT_CLASS`).

    >>> print(stylesheet(["en-US"], base="P { color: white; }"))
    P { color: white; }
    .ENUSCC { Name: en-US; lang: en-US; SAMIType: CC; }
    """
    rules = [base] if base else []
    for language in languages:
        if language:
            rules.append(f".{_class_name(language)} {{ Name: {language}; lang: {language}; SAMIType: CC; }}")
        else:
            rules.append(f".{DEFAULT_CLASS} {{ Name: Subtitles; SAMIType: CC; }}")
    return "\n".join(rules)


# ---------------------------------------------------------------- writing


def _matches(language: str | None, wanted: str) -> bool:
    if language is None:
        return False
    language, wanted = language.lower(), wanted.lower()
    return language == wanted or language.startswith(wanted + "-") or wanted.startswith(language + "-")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\xa0", "&nbsp;")


def _text(cue: Cue) -> str:
    parts: list[str] = []
    for item in cue.content:
        if isinstance(item, Run):
            opening, closing = tags_for_style(item.style) if item.style is not PLAIN else ("", "")
            if item.style.background is not None:
                opening = f'<span style="background-color: {color_to_html(item.style.background)}">{opening}'
                closing = f"{closing}</span>"
            parts.append(f"{opening}{_escape(item.text)}{closing}")
        elif isinstance(item, LineBreak):
            parts.append("<br>")
        elif item.format == NAME:
            parts.append(item.markup)
    return "".join(parts)


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as SAMI, one class per language.

    Every cue becomes a ``<SYNC>`` with a ``<P>`` of its class, and a
    clearing ``<P>&nbsp;</P>`` follows at its end unless the next cue of the
    class starts right then. Cues of one class cannot overlap: an earlier cue
    is cut where the next one starts (reported as ``overlap``). Negative times
    are clamped to zero; comment cues and cues without text are left out.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    lowered = lower(doc, LOWERING, report, options=options, supported=FEATURES, raw_format=NAME)
    doc = lowered.doc
    css = doc.header.get(f"{NAME}.style", "") if doc.header else ""
    classes = parse_classes(css)
    cues = lowered.cues
    if options.language is not None:
        cues = [(n, c) for n, c in cues if _matches(c.language or doc.language, options.language)]
    added: list[str | None] = []
    tracks: dict[str, list[tuple[int, Cue]]] = {}
    empty = Tally()
    for number, cue in cues:
        if _is_blank(cue.content):
            empty.add(number)
            continue
        explicit = cue.extra.get(f"{NAME}.class") if cue.extra else None
        language = cue.language or doc.language
        cls = explicit or _pick_class(language, classes)
        if cls.lower() not in classes and not explicit:
            added.append(language)
            classes[cls.lower()] = (cls, language)
        tracks.setdefault(cls, []).append((number, cue))
    if not css:
        css = stylesheet(added)
    elif added:
        css = css + "\n" + stylesheet(added, base="")

    events: list[tuple[int, int, int, str, Cue | None]] = []
    overlaps = Tally()
    for class_index, (cls, track) in enumerate(tracks.items()):
        # Overlaps are cut per class (language), not across them: the stage's overlap cut does not apply.
        track.sort(key=lambda entry: entry[1].start_ms)
        for position, (number, cue) in enumerate(track):
            start, end = cue.start_ms, cue.end_ms
            following = track[position + 1][1].start_ms if position + 1 < len(track) else None
            if following is not None and following < end:
                overlaps.add(number)
                end = following
            events.append((start, class_index, 2 * position, cls, cue))
            if following is None or following > end:
                events.append((end, class_index, 2 * position + 1, cls, None))
    events.sort(key=lambda event: event[:3])

    out = ["<SAMI>\n<HEAD>\n"]
    if doc.title:
        out.append(f"<TITLE>{_escape(doc.title)}</TITLE>\n")
    if doc.header and f"{NAME}.param" in doc.header:
        out.append(f"<SAMIParam>\n{doc.header[f'{NAME}.param']}\n</SAMIParam>\n")
    out.append(f'<STYLE TYPE="text/css">\n<!--\n{css}\n-->\n</STYLE>\n</HEAD>\n<BODY>\n')
    index = 0
    while index < len(events):
        time = events[index][0]
        seen: set[str] = set()
        parts: list[str] = []
        while index < len(events) and events[index][0] == time and events[index][3] not in seen:
            _, _, _, cls, shown = events[index]
            seen.add(cls)
            if shown is None:
                parts.append(f"<P Class={cls}>&nbsp;</P>")
            else:
                if shown.speaker:
                    parts.append(f"<P Class={cls} ID=Source>{_escape(shown.speaker)}</P>")
                parts.append(f"<P Class={cls}>{_text(shown)}</P>")
            index += 1
        out.append(f"<SYNC Start={time}>{''.join(parts)}</SYNC>\n")
    out.append("</BODY>\n</SAMI>\n")
    overlaps.report_to(report, "overlap", "overlapping cues of one language cut where the next starts")
    empty.report_to(report, "empty-cue", "cues without text dropped")
    return "".join(out)
