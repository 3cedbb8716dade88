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
from dataclasses import dataclass

from subkit.formats._base import BaseWriteOptions, DiagnosticSink, LineCounter
from subkit.formats._html import color_to_html, parse_color, tags_for_style
from subkit.formats._lower import Lowering, lower
from subkit.formats._text_blocks import LastCueReadOptions, Tally
from subkit.model import PLAIN, ContentItem, Cue, Document, LineBreak, LossReport, Raw, Run, RunStyle

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
    line: int
    pieces: list[tuple[str, RunStyle] | LineBreak | Raw]
    implicit: bool = False


@dataclass(slots=True)
class _Sync:
    start: int
    line: int
    paras: list[_Para]


class _Inline:
    """Inline formatting state inside one ``<P>``."""

    __slots__ = ("base", "counts", "fonts", "spans")

    def __init__(self, base: dict[str, object] | None = None) -> None:
        self.base = base or {}  # from the <P style=...> attribute
        self.counts = {"italic": 0, "bold": 0, "underline": 0, "strike": 0}
        self.fonts: list[dict[str, object]] = []
        self.spans: list[dict[str, object] | None] = []  # None: a <span> kept as raw markup

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
            f"class {para.cls!r} is not defined in the style sheet", "read its cues without a language", line=para.line
        )
    return _timeline(syncs, classes, header, title, options, sink)


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
    syncs: list[_Sync] = []
    sync: _Sync | None = None
    para: _Para | None = None
    inline = _Inline()
    unknown: set[str] = set()
    unknown_line: int | None = None
    ignored: set[str] = set()  # inline CSS declarations with no model field
    ignored_line: int | None = None
    warned_comment = False
    skipping = False  # inside a SYNC whose Start did not parse

    def add_text(text: str, offset: int) -> None:
        nonlocal para
        if sync is None or skipping:
            if text.strip() and not skipping:
                sink.warn("text outside <SYNC>", "skipped it", line=line_of(offset), excerpt=text.strip())
            return
        if para is None:
            if not text.strip():
                return
            sink.warn(
                "text in <SYNC> without <P>", "read it as a paragraph", line=line_of(offset), excerpt=text.strip()
            )
            para = _Para(default_class, "", line_of(offset), [], implicit=True)
            sync.paras.append(para)
        para.pieces.append((text, inline.style()))

    pos = position
    ended = False
    while True:
        match = _TOKEN.search(data, pos)
        if match is None:
            break
        if match.start() > pos:
            add_text(data[pos : match.start()], pos)
        pos = match.end()
        whole = match.group(0)
        if whole in ("<!--", "<--"):
            close = data.find("-->", pos)
            if close < 0:
                sink.warn("comment never closed", "skipped the rest of the file", line=line_of(match.start()))
                pos = len(data)
                break
            pos = close + 3
            if whole == "<--" and not warned_comment:
                warned_comment = True
                sink.warn("comment written '<--' instead of '<!--'", "skipped it", line=line_of(match.start()))
            continue
        closing, name, attr_text = match.group(1), match.group(2).lower(), match.group(3)
        if name == "sync":
            para = None
            if closing:
                sync = None
                skipping = False
                continue
            attrs = _attrs(attr_text)
            start = _start(attrs.get("start"))
            line = line_of(match.start())
            if start is None:
                sink.error(
                    f"SYNC Start is not a number: {attrs.get('start')!r}", "skipped the SYNC", line=line, excerpt=whole
                )
                sync, skipping = None, True
                continue
            if attrs.get("start", "").strip() != str(start):
                sink.warn(
                    f"SYNC Start is not an integer: {attrs.get('start')!r}",
                    f"read it as {start}",
                    line=line,
                    excerpt=whole,
                )
            sync, skipping = _Sync(start, line, []), False
            syncs.append(sync)
        elif name == "p":
            if closing:
                para = None
                continue
            attrs = _attrs(attr_text)
            inline = _Inline(_css(attrs["style"], ignored) if "style" in attrs else None)
            ignored_line = ignored_line or (line_of(match.start()) if ignored else None)
            if sync is None:
                if not skipping:
                    sink.warn("<P> outside <SYNC>", "skipped it", line=line_of(match.start()))
                para = None
                continue
            para = _Para(attrs.get("class", default_class), attrs.get("id", "").lower(), line_of(match.start()), [])
            sync.paras.append(para)
        elif name == "br":
            if para is not None:
                para.pieces.append(LineBreak())
        elif name in _TOGGLES:
            key = _TOGGLES[name]
            inline.counts[key] = max(0, inline.counts[key] + (-1 if closing else 1))
        elif name == "font":
            if closing:
                if inline.fonts:
                    inline.fonts.pop()
            else:
                inline.fonts.append(_font(_attrs(attr_text), unknown))
        elif name == "span" and para is not None:
            attrs = _attrs(attr_text)
            if closing:
                kept = inline.spans.pop() if inline.spans else None
                if kept is None:
                    para.pieces.append(Raw(NAME, whole))
            elif set(attrs) == {"style"}:
                # A span that only restyles text is a run style; any other span stays raw markup.
                inline.spans.append(_css(attrs["style"], ignored))
                ignored_line = ignored_line or (line_of(match.start()) if ignored else None)
            else:
                inline.spans.append(None)
                para.pieces.append(Raw(NAME, whole))
                unknown.add("<span>")
                unknown_line = unknown_line or line_of(match.start())
        elif name in _STRUCTURE:
            if closing and name in ("body", "sami"):
                ended = True
                break
        elif para is not None:
            para.pieces.append(Raw(NAME, whole))
            unknown.add(f"<{closing}{name}>")
            unknown_line = unknown_line or line_of(match.start())
    if not ended and pos < len(data):
        add_text(data[pos:], pos)
    if ignored:
        sink.warn(
            f"inline style without a model field: {', '.join(sorted(ignored))[:80]}", "ignored it", line=ignored_line
        )
    if unknown:
        sink.warn(f"unknown markup {', '.join(sorted(unknown))[:80]}", "kept it as SAMI-only markup", line=unknown_line)
    return syncs


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


def _content(pieces: list[tuple[str, RunStyle] | LineBreak | Raw]) -> tuple[ContentItem, ...]:
    """Runs from scanned pieces, with HTML whitespace rules: runs of spaces and newlines
    collapse to one space, and spaces at the start and end of a line go."""
    items: list[ContentItem] = []
    after_space = True  # at the start of a line, leading spaces are dropped

    def trim_line_end() -> None:
        index = len(items) - 1
        while index >= 0 and not isinstance(items[index], LineBreak):
            item = items[index]
            if isinstance(item, Run):
                text = item.text.rstrip(" ")
                if text:
                    items[index] = Run(text, item.style)
                    return
                del items[index]
            index -= 1

    for piece in pieces:
        if isinstance(piece, LineBreak):
            trim_line_end()
            items.append(piece)
            after_space = True
        elif isinstance(piece, Raw):
            items.append(piece)
        else:
            text = html.unescape(_WHITESPACE.sub(" ", piece[0]))
            text = text.replace("\r", "").replace("\n", " ")
            if after_space:
                text = text.lstrip(" ")
            if not text:
                continue
            previous = items[-1] if items else None
            if isinstance(previous, Run) and previous.style == piece[1]:
                items[-1] = Run(previous.text + text, piece[1])
            else:
                items.append(Run(text, piece[1]))
            after_space = text.endswith(" ")
    trim_line_end()
    return tuple(items)


def _is_blank(content: tuple[ContentItem, ...]) -> bool:
    return not any(isinstance(item, Run) and item.text.replace("\xa0", " ").strip() for item in content)


def _timeline(
    syncs: list[_Sync],
    classes: dict[str, tuple[str, str | None]],
    header: dict[str, str],
    title: str | None,
    options: ReadOptions,
    sink: DiagnosticSink,
) -> Document:
    """Turn SYNC elements into cues: a caption of a class lasts until that class's next SYNC."""
    for previous, current in itertools.pairwise(syncs):
        if current.start < previous.start:
            sink.warn("SYNC elements out of order", "sorted them by start", line=current.line)
            syncs = sorted(syncs, key=lambda s: s.start)
            break
    # Per class, the open caption: (start, content, speaker, line, sequence number).
    open_: dict[str, tuple[int, tuple[ContentItem, ...], str | None, int, int]] = {}
    found: list[tuple[int, int, str, Cue]] = []
    written: dict[str, str] = {}  # lowercase class -> as first written
    sequence = 0
    for sync in syncs:
        by_class: dict[str, list[_Para]] = {}
        for para in sync.paras:
            by_class.setdefault(para.cls.lower(), []).append(para)
            written.setdefault(para.cls.lower(), para.cls)
        for cls, paras in by_class.items():
            if cls in open_:
                start, content, speaker, line, number = open_.pop(cls)
                found.append((start, number, cls, _cue(start, sync.start, content, speaker)))
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
                    sink.warn("several <P> of one class in a SYNC", "joined them with line breaks", line=para.line)
                    items.append(LineBreak())
                items.extend(content)
                texts += 1
            if texts:
                open_[cls] = (sync.start, tuple(items), speaker, sync.line, sequence)
                sequence += 1
    for cls, (start, content, speaker, line, number) in open_.items():
        sink.warn("no SYNC clears the last caption", f"gave it {options.last_duration_ms} ms", line=line)
        found.append((start, number, cls, _cue(start, start + options.last_duration_ms, content, speaker)))
    found.sort(key=lambda entry: (entry[0], entry[1]))
    used = {cls for _, _, cls, _ in found}
    languages = {classes.get(cls, ("", None))[1] for cls in used}
    doc_language = next(iter(languages)) if len(used) == 1 else None
    cues: list[Cue] = []
    for _, _, cls, cue in found:
        language = None if len(used) == 1 else classes.get(cls, ("", None))[1]
        changes: dict[str, object] = {}
        if language is not None:
            changes["language"] = language
        if cls and _pick_class(language or doc_language, classes).lower() != cls:
            changes["extra"] = {f"{NAME}.class": classes.get(cls, (written[cls], None))[0]}
        cues.append(cue.replace(**changes) if changes else cue)
    return Document(
        cues=tuple(cues),
        language=doc_language,
        title=title,
        header=header,
        diagnostics=tuple(sink.items),
        source_format=NAME,
    )


def _cue(start: int, end: int, content: tuple[ContentItem, ...], speaker: str | None) -> Cue:
    return Cue(start_ms=start, end_ms=max(end, start), content=content, speaker=speaker)


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
