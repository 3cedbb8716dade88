"""WebVTT writing: the model lowered to WebVTT text (see :mod:`subkit.formats.webvtt`)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from typing import Final

from subkit._lang import writer_language
from subkit.formats._lower import Lowering, lower
from subkit.formats._vtt_common import (
    CUE_TEXT_KEY,
    CUE_TIMES_KEY,
    FEATURES,
    HEADER_KEY,
    LANGUAGE_LINE,
    NAME,
    POSITION_ALIGN,
    WriteOptions,
    color_classes,
    css_color,
    css_color_classes,
)
from subkit.formats._vtt_cuetext import (
    BUILTIN_COLORS,
    Element,
    StyleCache,
    TextPlans,
    apply_plan,
    escape_annotation,
    escape_text,
    flatten,
    format_cue_text,
    parse_cue_text,
    split_tags,
)
from subkit.model import (
    EMPTY,
    NOWHERE,
    PLAIN,
    Color,
    ContentItem,
    Cue,
    Document,
    LineBreak,
    LossReport,
    Note,
    Placement,
    Raw,
    Run,
    RunStyle,
    _PlainCue,
    _stored_content,
    _stored_items,
)
from subkit.timing import format_vtt

# ---------------------------------------------------------------- writing

_CLASS_NAME = re.compile(r"[^\s.<>&]+")
_REGION_ID = re.compile(r"[^ \t\n\f\r]+")
_ROW_LINE: Final = {2: "line:0", 1: "line:50%,center"}  # numpad row (0 bottom, 1 middle, 2 top)
_COL_ALIGN: Final = {0: "align:left", 2: "align:right"}


def _num(value: float) -> str:
    """A number as WebVTT wants it: no exponent, no trailing ``.0``."""
    if value == int(value):
        return str(int(value))
    text = repr(float(value))
    if "e" in text or "E" in text:
        text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text


class _ColorPlan:
    """Which class names stand for which colours, and the CSS to add for new ones.

    In order of preference: a class the document's own CSS defines as exactly
    that colour (so VTT -> model -> VTT keeps the source's class names); a
    built-in colour class (opaque exact matches: ``white lime cyan red yellow
    magenta blue black`` and their ``bg_`` forms) unless the CSS redefines it;
    otherwise a class named after the colour, ``c`` or ``bg`` plus its hex
    digits, with a generated ``::cue(.cff8000) { color: #ff8000; }`` rule.
    """

    def __init__(self, stylesheets: tuple[str, ...], *, generate: bool = True) -> None:
        self.generate = generate
        self.by_color: dict[tuple[str, Color], str] = {}
        css = css_color_classes(stylesheets)
        for name, key in css.items():
            self.by_color.setdefault(key, name)
        for name, color in BUILTIN_COLORS.items():
            if name not in css:
                self.by_color.setdefault(("color", color), name)
            if "bg_" + name not in css:
                self.by_color.setdefault(("background", color), "bg_" + name)
        self.rules: list[str] = []

    def name(self, prop: str, color: Color) -> str | None:
        """The class for a colour; ``None`` when it needs a rule and rules cannot be written."""
        key = (prop, color)
        found = self.by_color.get(key)
        if found is None:
            if not self.generate:
                return None
            digits = color.to_hex().lstrip("#").lower()
            found = ("c" if prop == "color" else "bg") + digits
            css_prop = "color" if prop == "color" else "background-color"
            self.rules.append(f"::cue(.{found}) {{ {css_prop}: #{digits}; }}")
            self.by_color[key] = found
        return found


class Writer:
    """Lowers one document to WebVTT text."""

    def __init__(self, doc: Document, options: WriteOptions, report: LossReport) -> None:
        self.doc = doc
        self.options = options
        self.report = report
        self.css = options.stylesheets == "keep"
        self.colors = _ColorPlan(doc.stylesheets if self.css else (), generate=self.css)
        self.region_ids = set(doc.regions) if options.regions == "keep" else set()
        self._plans: TextPlans | None = None
        #: Losses reported so far: a settings string or a run's tags are cached only when making them lost nothing.
        self.lost = 0
        self._settings: dict[Placement, str] = {}
        self._layers: dict[int, tuple[RunStyle, list[tuple[str, str]]]] = {}
        self._wraps: dict[int, tuple[RunStyle, str, str]] = {}
        self.settings_lost = ""
        self._plans_by_styles: dict[tuple[int, ...], tuple[tuple[RunStyle, ...], list[str]]] = {}

    @property
    def plans(self) -> TextPlans:
        """Cue text plans over the document's colour classes (made when a cue keeps its source text)."""
        if self._plans is None:
            classes = color_classes(self.doc.stylesheets)
            self._plans = TextPlans(classes, StyleCache(classes))
        return self._plans

    def lose(self, feature: str, message: str, cue: int | None = None) -> None:
        self.lost += 1
        self.report.add(feature, message, cue=cue)

    # -- blocks ---------------------------------------------------------------

    def header(self) -> str:
        text = self.doc.header.get(HEADER_KEY)
        lines: list[str] = []
        first = ""
        if text:
            first, *lines = text.split("\n")
            if "-->" in first or any("-->" in line for line in lines):
                self.lose("header", "header lines containing '-->' dropped")
                first = "" if "-->" in first else first
                lines = [line for line in lines if "-->" not in line]
            lines = [line for line in lines if line]
        language = self.options.language if self.options.language is not None else self.doc.language
        if self.options.language is not None:  # the option replaces a Language: line of the source
            first = "" if LANGUAGE_LINE.fullmatch(first) else first
            lines = [line for line in lines if not LANGUAGE_LINE.fullmatch(line)]
        if language and not any(LANGUAGE_LINE.fullmatch(line) for line in (first, *lines)):
            # The language goes on the signature line when that is free: W3C's syntax has no header
            # lines after it (validators reject them, players skip them), and readers that know the
            # "Language:" header (subkit among them) find it there too.
            if not first and _CLASS_NAME.fullmatch(language):
                first = f"Language: {language}"
            else:
                lines.append(f"Language: {language}")
        signature = f"WEBVTT {first}" if first else "WEBVTT"
        return "\n".join([signature, *lines])

    def stylesheet_blocks(self, extra_rules: list[str]) -> list[str]:
        if not self.css:
            if self.options.stylesheets == "drop" and any(sheet.strip() for sheet in self.doc.stylesheets):
                self.lose("stylesheets", "STYLE blocks left out (stylesheets=drop)")
            return []
        blocks: list[str] = []
        sheets = list(self.doc.stylesheets)
        if extra_rules:
            sheets.append("\n".join(extra_rules))
        for sheet in sheets:
            lines = [line for line in sheet.split("\n") if line]
            if any("-->" in line for line in lines):
                self.lose("stylesheets", "CSS lines containing '-->' dropped")
                lines = [line for line in lines if "-->" not in line]
            if lines:
                blocks.append("STYLE\n" + "\n".join(lines))
        return blocks

    def region_blocks(self) -> list[str]:
        if self.options.regions != "keep":
            if self.doc.regions:
                self.lose("regions", "REGION blocks left out (regions=drop)")
            return []
        blocks: list[str] = []
        for region in self.doc.regions.values():
            if not _REGION_ID.fullmatch(region.id) or "-->" in region.id:
                self.lose("regions", f"region id {region.id!r} cannot be written in WebVTT")
                self.region_ids.discard(region.id)
                continue
            parts = [f"id:{region.id}"]
            width, anchor, viewport = region.width, region.region_anchor, region.viewport_anchor
            if width is None and region.extent is not None:
                # A TTML-style region: the width is its extent, anchored by displayAlign.
                ox, oy = region.origin or (0.0, 0.0)
                ex, ey = region.extent
                width = ex
                fraction = {"after": 1.0, "center": 0.5}.get(region.display_align or "before", 0.0)
                anchor = anchor or (0.0, fraction * 100)
                viewport = viewport or (ox, oy + ey * fraction)
                self.lose("regions", "TTML region geometry approximated by WebVTT width and anchors")
            if width is not None:
                parts.append(f"width:{_num(_clamp(width))}%")
            if region.lines is not None:
                parts.append(f"lines:{region.lines}")
            if anchor is not None:
                parts.append(f"regionanchor:{_num(_clamp(anchor[0]))}%,{_num(_clamp(anchor[1]))}%")
            if viewport is not None:
                parts.append(f"viewportanchor:{_num(_clamp(viewport[0]))}%,{_num(_clamp(viewport[1]))}%")
            if region.scroll == "up":
                parts.append("scroll:up")
            blocks.append("REGION\n" + "\n".join(parts))
        return blocks

    def note_block(self, note: Note) -> str:
        lines = [line for line in note.text.split("\n") if line]
        if len(lines) != len(note.text.split("\n")) and note.text:
            self.lose("notes", "blank lines inside comments dropped")
        if any("-->" in line for line in lines):
            self.lose("notes", "'-->' inside a comment written as '- ->'")
            lines = [line.replace("-->", "- ->") for line in lines]
        if not lines:
            return "NOTE"
        if len(lines) == 1:
            return f"NOTE {lines[0]}"
        return "NOTE\n" + "\n".join(lines)

    def cue_block(self, cue: Cue, index: int, settings: str | None = None, text: str | None = None) -> str:
        """One cue block: identifier, timing line with settings (``settings`` when already made), payload."""
        lines: list[str] = []
        ident = cue.id
        if ident:
            if "\n" in ident or "-->" in ident:
                self.lose("id", "cue identifiers with line breaks or '-->' dropped", index)
            else:
                lines.append(ident)
        short = self.options.short_times
        timing = f"{format_vtt(cue.start_ms, short=short)} --> {format_vtt(cue.end_ms, short=short)}"
        if settings is None:
            settings = self.settings(cue, index)
        lines.append(f"{timing} {settings}" if settings else timing)
        if text is None:
            text = self.text(cue, index)
        if text:
            lines.append(text)
        return "\n".join(lines)

    # -- settings ---------------------------------------------------------

    def settings(self, cue: Cue, index: int) -> str:
        """The cue settings of ``cue``'s placement (losses reported at cue ``index``)."""
        p = cue.placement
        if p is NOWHERE:
            return ""
        line, snap, line_align = p.line, p.snap_to_lines, p.line_align
        position, position_align, text_align = p.position, p.position_align, p.text_align
        row_col: tuple[int, int] | None = None
        if p.align is not None:
            row_col = ((p.align - 1) // 3, (p.align - 1) % 3)
        if p.x is not None and p.y is not None:
            xy = self._xy(p, p.x, p.y, row_col, index)
            if xy is not None:
                x, y, row, col = xy
                if position is None:
                    position, position_align = _clamp(x), POSITION_ALIGN[col]
                if line is None:
                    line, snap, line_align = _clamp(y), False, ("end", "center", "start")[row]
                if text_align is None:
                    text_align = ("left", "center", "right")[col]
                row_col = None
        parts: list[str] = []
        region = p.region
        if region is not None and region not in self.region_ids:
            self.lose("region", "references to regions the document does not define dropped", index)
            region = None
        if p.vertical:
            parts.append(f"vertical:{p.vertical}")
        line = self._line_part(parts, line, snap, line_align, index)
        if position is not None:
            value = _num(position) + "%"
            parts.append(f"position:{value},{position_align}" if position_align else f"position:{value}")
        elif position_align:
            self.lose("line", "a position alignment without a position cannot be written", index)
        if p.size is not None:
            parts.append(f"size:{_num(p.size)}%")
        if text_align:
            parts.append(f"align:{text_align}")
        if row_col is not None and self.options.alignment:
            row, col = row_col
            if line is None and row in _ROW_LINE:
                parts.append(_ROW_LINE[row])
            if text_align is None and position is None and col in _COL_ALIGN:
                parts.append(_COL_ALIGN[col])
        if region is not None:
            _add_region(parts, region, p.size)
        return " ".join(parts)

    def _xy(self, p: Placement, x: float, y: float, row_col: tuple[int, int] | None,
            index: int) -> tuple[float, float, int, int] | None:
        """An x/y position as percentages with the numpad row and column that anchor it; ``None`` if unusable."""
        if p.unit == "px":
            if self.doc.canvas is None:
                self.lose("position", "pixel positions need the document canvas (PlayRes)", index)
                return None
            # Three decimals of a percent are far below a pixel at any video size.
            x = round(x * 100 / self.doc.canvas[0], 3)
            y = round(y * 100 / self.doc.canvas[1], 3)
        row, col = row_col or (0, 1)  # ASS \pos anchors at the bottom centre by default
        if not (0 <= x <= 100 and 0 <= y <= 100):
            self.lose("position", "positions outside the video clamped to its edges", index)
        return x, y, row, col

    def _line_part(self, parts: list[str], line: float | None, snap: bool, line_align: str | None,
                   index: int) -> float | None:
        """Add the ``line:`` setting to ``parts``; return the line written (``None`` if none)."""
        if line is not None and not math.isfinite(line):
            self.lose("line", "line positions that are not finite numbers dropped", index)
            line = None
        if line is not None:
            if not snap and not 0 <= line <= 100:
                self.lose("line", "line percentages outside 0-100 clamped", index)
                line = _clamp(line)
            value = _num(line) + ("" if snap else "%")
            parts.append(f"line:{value},{line_align}" if line_align else f"line:{value}")
        elif line_align:
            self.lose("line", "a line alignment without a line position cannot be written", index)
        return line

    # -- cue text ---------------------------------------------------------

    def word_bounds(self, cue: Cue, index: int) -> list[tuple[int, int]]:
        words = cue.words
        if not words:
            return []
        if not cue.words_align():
            self.lose("word-timing", "word timings whose texts do not match the cue text dropped", index)
            return []
        bounds: list[tuple[int, int]] = []
        offset = 0
        previous = cue.start_ms
        approximated = False
        # W3C wants each inner timestamp after the cue start, after the one before and before the cue end.
        last_written = cue.start_ms
        unwritable = False
        for number, word in enumerate(words):
            ms = word.start_ms
            if ms < previous or ms > cue.end_ms:
                approximated = True
                ms = min(max(ms, previous), cue.end_ms)
            following = words[number + 1].start_ms if number + 1 < len(words) else cue.end_ms
            if word.end_ms != following:
                approximated = True
            if word.confidence is not None:
                self.lose("confidence", "word confidences dropped", index)
            # The first word's start is implied by the cue's when it is the cue's. A timestamp that
            # cannot be later than the one before (a word of no duration, a single word filling the
            # cue, an empty first word) or that is the cue end is left out: the word joins the one
            # before (or is the cue), which the validator's parser accepts and every reader shows alike.
            if number == 0 and ms == cue.start_ms and word.text and len(words) > 1:
                pass
            elif last_written < ms < cue.end_ms or (number == 0 and cue.start_ms < ms < cue.end_ms):
                bounds.append((offset, ms))
                last_written = ms
            else:
                unwritable = True
            previous = ms
            offset += len(word.text)
        if approximated:
            self.lose("word-timing", "word times approximated: each word ends where the next starts", index)
        if unwritable:
            self.lose("word-timing", "words of no duration (or one word filling its cue) joined to the word "
                      "before (or the cue): inner timestamps must fall strictly inside the cue, in order", index)
        return bounds

    def layers(self, style: RunStyle, index: int) -> list[tuple[str, str]]:
        """The tags around a run, outermost first, as (name, opening tag).

        Styles are shared objects (readers intern them), so the tags are kept per style object, unless
        making them lost something (then every run reports its loss).
        """
        if style is PLAIN:
            return []
        known = self._layers.get(id(style))
        if known is not None and known[0] is style:
            return known[1]
        lost = self.lost
        result = self._make_layers(style, index)
        if self.lost == lost:
            self._layers[id(style)] = (style, result)
        return result

    def _mixed(self, cue: Cue, index: int) -> str | None:
        """The payload of a cue of runs in several styles through a tag plan per style sequence, or ``None``.

        The tags :meth:`text` writes around runs depend only on the sequence of
        their styles and line breaks (no words, speaker or language here), so the
        first cue of a sequence is written by :meth:`text` with a marker for each
        run's text, and later ones fill the text between the tags. Only for
        non-empty runs without ruby, no empty line, and styles whose tags lose
        nothing (a lossy style reports its loss on every run, through :meth:`text`).
        """
        content = cue.content
        if not content or type(content[-1]) is not Run:
            return None
        key: list[int] = []
        texts: list[str] = []
        previous_break = True
        for item in content:
            kind = type(item)
            if kind is Run:
                run: Run = item  # type: ignore[assignment]
                if run.style.ruby is not None or not run.text or "\n" in run.text:
                    return None
                key.append(id(run.style))
                texts.append(run.text)
                previous_break = False
            elif kind is LineBreak and not previous_break:
                key.append(0)
                previous_break = True
            else:
                return None
        plan = self._plans_by_styles.get(tuple(key))
        if plan is None:
            plan = self._style_plan(content, index)
            if plan is None:
                return None
            self._plans_by_styles[tuple(key)] = plan
        between = plan[1]
        out = [between[0]]
        for number, text in enumerate(texts, 1):
            out.append(escape_text(text))
            out.append(between[number])
        return "".join(out)

    def _style_plan(self, content: tuple[ContentItem, ...],
                    index: int) -> tuple[tuple[RunStyle, ...], list[str]] | None:
        """The tags between the runs of ``content`` (see :meth:`_mixed`), with its styles kept alive."""
        styles = tuple(item.style for item in content if type(item) is Run)
        if any(style is not PLAIN and id(style) not in self._layers for style in styles):
            return None  # not yet known to lose nothing: text() writes it (and caches its tags)
        marked: list[ContentItem] = []
        number = 0
        for item in content:
            if type(item) is Run:
                marked.append(Run(chr(_MARK + number), item.style))
                number += 1
            else:
                marked.append(item)
        lost = self.lost
        template = self.text(Cue(start_ms=0, end_ms=0, content=tuple(marked)), index)
        between = _MARKS.split(template)
        if self.lost != lost or len(between) != number + 1:
            return None
        return styles, between

    def _new_settings(self, cue: Cue, index: int) -> str | None:
        """The settings of a placement met for the first time, with a space before them, cached for later cues.

        ``None`` when making them lost something: then :attr:`settings_lost` holds them for this cue's
        block, and each later cue with that placement reports the loss again.
        """
        lost = self.lost
        made = self.settings(cue, index)
        if self.lost != lost:
            self.settings_lost = made
            return None
        made = self._settings[cue.placement] = " " + made if made else ""
        return made

    def _wrap(self, style: RunStyle, index: int) -> tuple[RunStyle, str, str]:
        """The opening and closing tags around a cue that is one run of ``style`` (no ruby).

        Kept per style object unless making them lost something (then each cue reports its loss).
        """
        lost = self.lost
        layers = self.layers(style, index)
        wrap = (style, "".join(opening for _, opening in layers), "".join(f"</{name}>" for name, _ in reversed(layers)))
        if self.lost == lost:
            self._wraps[id(style)] = wrap
        return wrap

    def _make_layers(self, style: RunStyle, index: int) -> list[tuple[str, str]]:
        result: list[tuple[str, str]] = []
        if style.voice:
            result.append(("v", f"<v {escape_annotation(style.voice)}>"))
        if style.language:
            result.append(("lang", f"<lang {escape_annotation(style.language)}>"))
        classes = [c for c in style.classes if _CLASS_NAME.fullmatch(c)]
        if len(classes) != len(style.classes):
            self.lose("classes", "class names with spaces, dots or '<>&' dropped", index)
        for prop, color in (("color", style.color), ("background", style.background)):
            if color is not None:
                name = self.colors.name(prop, color)
                if name is None:
                    self.lose("color", "colours without a built-in WebVTT colour class dropped (no STYLE "
                              "block to define one)", index)
                else:
                    classes.append(name)
        if classes:
            result.append(("c", "<c." + ".".join(classes) + ">"))
        if style.bold or (style.weight is not None and style.weight >= 600):
            result.append(("b", "<b>"))
        if style.italic:
            result.append(("i", "<i>"))
        if style.underline:
            result.append(("u", "<u>"))
        return result

    def source_text(self, cue: Cue, source: str) -> str | None:
        """The payload rebuilt from the cue's source text, or ``None`` when the cue no longer says what it says.

        The source text is read again with the document's colour classes; when
        its runs, words, speaker and language are still the cue's, its element
        tree is the one to write. The text goes out as it came in unless the
        W3C parser ignored something in it (an unmatched end tag, a bad
        timestamp, ``<>``): then the tree is written without what was ignored.
        """
        lines = source.split("\n")
        if "-->" in source or "" in lines:
            return None  # not a cue payload (the extra did not come from this reader)
        parts = split_tags(source)
        plans = self.plans
        plan = plans.get(parts)
        root: Element | None = None
        if plan is not None:
            if cue.words or plan.speaker != cue.speaker or plan.language != cue.language:
                return None
            if apply_plan(plan, parts) != cue.content:
                return None
            problems: list[tuple[str, str]] | tuple[tuple[str, str], ...] = plan.problems
        else:
            problems = []
            root = parse_cue_text(source, problems)
            flat = flatten(root, cue.start_ms, cue.end_ms, plans.color_classes, plans.styles)
            if flat.words and cue.extra.get(CUE_TIMES_KEY) != f"{cue.start_ms} {cue.end_ms}":
                return None  # retimed: the absolute inner timestamps of the text are not the cue's
            if (
                flat.content != cue.content
                or flat.words != cue.words
                or flat.speaker != cue.speaker
                or flat.language != cue.language
            ):
                return None
        if all(action != "ignored it" for _, action in problems):
            return source
        return without_ignored(root or parse_cue_text(source))

    def text(self, cue: Cue, index: int) -> str:
        """The cue payload: escaped text, tags, inner timestamps; never an empty line."""
        if cue.extra is not EMPTY and self.css:
            source = cue.extra.get(CUE_TEXT_KEY)
            if source is not None:
                kept = self.source_text(cue, source)
                if kept is not None:
                    return kept
        content = cue.content
        bounds = self.word_bounds(cue, index)
        if (
            not bounds
            and len(content) == 1
            and type(content[0]) is Run
            and content[0].style is PLAIN
            and cue.speaker is None
            and cue.language is None
        ):
            return escape_text(content[0].text)
        # The tags each run needs, outermost first; a line break closes what the next run does not share.
        wanted: list[list[tuple[str, str]] | None] = [
            self.layers(item.style, index) if type(item) is Run else None for item in content
        ]
        out, closers = _cue_wrappers(cue)
        open_layers: list[tuple[str, str]] = []
        offset = 0
        next_bound = 0
        count = len(bounds)
        following_at = 0  # the position of the next run after the last line break looked at
        for position, item in enumerate(content):
            kind = type(item)
            if kind is Run:
                run: Run = item  # type: ignore[assignment]
                layers = wanted[position] or []
                keep = _shared(open_layers, layers)
                out.extend(f"</{name}>" for name, _ in reversed(open_layers[keep:]))
                out.extend(opening for _, opening in layers[keep:])
                open_layers = layers
                ruby = run.style.ruby
                if ruby is not None:
                    out.append("<ruby>")
                text = run.text
                end = offset + len(text)
                cut = 0
                while next_bound < count and bounds[next_bound][0] < end:
                    at, ms = bounds[next_bound]
                    out.append(escape_text(text[cut : at - offset]))
                    out.append(f"<{format_vtt(ms)}>")
                    cut = at - offset
                    next_bound += 1
                out.append(escape_text(text[cut:]))
                if ruby is not None:
                    out.append(f"<rt>{escape_text(ruby)}</rt></ruby>")
                offset = end
            elif kind is LineBreak:
                if following_at <= position:
                    # The next run's tags, found by a scan that resumes where the last one stopped
                    # (slicing ``wanted`` at each break would cost time quadratic in the lines).
                    scan = position + 1
                    while scan < len(wanted) and wanted[scan] is None:
                        scan += 1
                    following_at = scan
                scan = following_at
                following = (wanted[scan] or []) if scan < len(wanted) else []
                keep = _shared(open_layers, following)
                out.extend(f"</{name}>" for name, _ in reversed(open_layers[keep:]))
                open_layers = open_layers[:keep]
                while next_bound < count and bounds[next_bound][0] <= offset:
                    out.append(f"<{format_vtt(bounds[next_bound][1])}>")
                    next_bound += 1
                out.append("\n")
                offset += 1
            elif kind is Raw and item.format == NAME:  # type: ignore[union-attr]
                markup: str = item.markup  # type: ignore[union-attr]
                # A tag left open at the end of its cue would swallow the tags written after it.
                out.append(markup if markup.endswith(">") else markup + ">")
        while next_bound < count:
            out.append(f"<{format_vtt(bounds[next_bound][1])}>")
            next_bound += 1
        out.extend(f"</{name}>" for name, _ in reversed(open_layers))
        out.extend(reversed(closers))
        return _no_empty_lines("".join(out))

    # -- document ---------------------------------------------------------

    def run(self) -> str:
        return "".join(self.pieces())

    def pieces(self) -> Iterator[str]:
        """The WebVTT text in pieces (a block or a few cues each) that join to the whole file."""
        doc = self.doc
        # Colours first: the STYLE block with generated rules precedes the cues.
        for cue in doc.cues if self.css else ():
            for item in cue.content if type(cue) is not _PlainCue else _stored_items(cue):
                if type(item) is Run and item.style is not PLAIN:
                    if item.style.color is not None:
                        self.colors.name("color", item.style.color)
                    if item.style.background is not None:
                        self.colors.name("background", item.style.background)
        blocks = [self.header()]
        blocks.extend(self.stylesheet_blocks(self.colors.rules))
        blocks.extend(self.region_blocks())
        yield "\n\n".join(blocks)
        notes = sorted(doc.notes, key=lambda n: n.before_cue)
        cues = doc.cues
        start = 0
        for note in notes:
            upto = min(max(note.before_cue, start), len(cues))
            yield from self.cue_pieces(start, upto)
            yield "\n\n" + self.note_block(note)
            start = upto
        yield from self.cue_pieces(start, len(cues))
        yield "\n"

    def _other_payload(self, cue: Cue, content: tuple[ContentItem, ...] | str, index: int,
                       block: Callable[[str], str]) -> tuple[RunStyle, str] | str:
        """The style and text of a cue that is not one plain run, or its whole block when the short path cannot.

        ``content`` is what the cue stores: a large file's plain cue stores its text, written as it is unless
        it has an empty line. ``block`` writes the block of a cue whose text a tag plan made.
        """
        if isinstance(content, str):
            if "\n\n" not in content and content[0] != "\n" and content[-1] != "\n":
                return PLAIN, content
            content = cue.content
        uniform = _uniform_lines(content)
        if uniform is None:
            mixed = self._mixed(cue, index)
            return "\n\n" + (self.cue_block(cue, index) if mixed is None else block(mixed))
        return uniform

    def cue_pieces(self, start: int, stop: int) -> Iterator[str]:
        """Cues ``start`` to ``stop`` (comment cues left out), each after a blank line, a few hundred at a time.

        The usual cue (no negative time, an identifier without line breaks, settings already met without a
        loss, text of plain runs and line breaks without blank lines, no words, speaker, language or kept
        source text) is written here; any other goes through :meth:`cue_block`.
        """
        cues = self.doc.cues
        short = self.options.short_times
        settings_of = self._settings
        wraps = self._wraps
        two, three, needs_escape, piece_cues = _TWO_DIGITS, _THREE_DIGITS, _NEEDS_ESCAPE, _PIECE_CUES

        def block(text: str) -> str:
            # A cue whose text the short path could not make but a tag plan could: cue_block with that text.
            return self.cue_block(cue, index, text=text)

        minute = -1
        prefix = ""
        out: list[str] = []
        append = out.append
        for index in range(start, stop):
            cue = cues[index]
            if cue.comment:  # comment cues are reported by the lowering stage and left out
                continue
            start_ms = cue.start_ms
            end_ms = cue.end_ms
            # A large file's plain cue stores its text (a str), written as it is where it can be.
            content = cue.content if type(cue) is not _PlainCue else _stored_content(cue)
            if (
                start_ms < 0 or end_ms < 0 or cue.extra is not EMPTY or cue.words or cue.speaker is not None
                or cue.language is not None
            ):
                append("\n\n" + self.cue_block(cue, index))
                continue
            ident = cue.id
            if ident and ("\n" in ident or "-->" in ident):
                append("\n\n" + self.cue_block(cue, index))
                continue
            placement = cue.placement
            settings = "" if placement is NOWHERE else settings_of.get(placement)
            if settings is None:
                settings = self._new_settings(cue, index)
                if settings is None:
                    append("\n\n" + self.cue_block(cue, index, self.settings_lost))
                    continue
            # The payload: one run (without ruby), or plain runs and line breaks without an empty line.
            first = content[0] if len(content) == 1 else None
            if type(first) is Run and first.style is PLAIN:
                style, text = PLAIN, first.text
            else:
                payload = self._other_payload(cue, content, index, block)
                if isinstance(payload, str):
                    append(payload)
                    continue
                style, text = payload
            if needs_escape(text) is not None:
                text = escape_text(text)
            if style is not PLAIN:
                wrap = wraps.get(id(style))
                if wrap is None or wrap[0] is not style:
                    if len(content) > 1 and id(style) not in self._layers:
                        # Not yet known to lose nothing: text() reports a loss once per run, as it always has.
                        append("\n\n" + self.cue_block(cue, index))
                        continue
                    wrap = self._wrap(style, index)
                text = f"{wrap[1]}{text}{wrap[2]}"
            # HH:MM:SS.mmm, the HH:MM: prefix made once per minute (cues come in time order).
            whole, rest = divmod(start_ms, 60_000)
            if whole != minute:
                minute = whole
                hours, minutes = divmod(whole, 60)
                prefix = f"{minutes:02d}:" if short and not hours else f"{hours:02d}:{minutes:02d}:"
            timing = f"{prefix}{two[rest // 1000]}.{three[rest % 1000]} --> "
            whole, rest = divmod(end_ms, 60_000)
            if whole != minute:
                minute = whole
                hours, minutes = divmod(whole, 60)
                prefix = f"{minutes:02d}:" if short and not hours else f"{hours:02d}:{minutes:02d}:"
            timing = f"{timing}{prefix}{two[rest // 1000]}.{three[rest % 1000]}{settings}"
            if ident:
                append(f"\n\n{ident}\n{timing}\n{text}" if text else f"\n\n{ident}\n{timing}")
            else:
                append(f"\n\n{timing}\n{text}" if text else f"\n\n{timing}")
            if len(out) >= piece_cues:
                yield "".join(out)
                out.clear()
        if out:
            yield "".join(out)



def without_ignored(root: Element) -> str:
    """Cue text for a tree, leaving out what W3C ignored; never an empty line (that would end the cue)."""
    text = format_cue_text(root)
    if "\n\n" not in text and not text.startswith("\n") and not text.endswith("\n"):
        return text
    # A line of nothing but ignored tokens: an empty tag keeps it (and is ignored again).
    return "\n".join(line or "<>" for line in text.split("\n"))

#: Cues joined into one piece by :meth:`Writer.cue_pieces`.
_PIECE_CUES: Final = 512
#: Private-use characters that stand for the run texts of a cue while its tag plan is made (see Writer._mixed).
_MARK: Final = 0xF0000
_MARKS = re.compile("[\U000f0000-\U000ffffd]")
#: Seconds and milliseconds as written (a look-up is cheaper than formatting the number).
_TWO_DIGITS: Final = tuple(f"{n:02d}" for n in range(60))
_THREE_DIGITS: Final = tuple(f"{n:03d}" for n in range(1000))
_NEEDS_ESCAPE = re.compile("[&<>\u00a0\u200e\u200f]").search


def _cue_wrappers(cue: Cue) -> tuple[list[str], list[str]]:
    """The ``<v>`` and ``<lang>`` tags around a whole cue, and their end tags (in the same order)."""
    out: list[str] = []
    closers: list[str] = []
    if cue.speaker:
        out.append(f"<v {escape_annotation(cue.speaker)}>")
        closers.append("</v>")
    if cue.language:
        out.append(f"<lang {escape_annotation(cue.language)}>")
        closers.append("</lang>")
    return out, closers


def _no_empty_lines(text: str) -> str:
    """``text`` with each empty line written as an empty class span: an empty line would end the cue."""
    if "\n" in text:
        lines = text.split("\n")
        if "" in lines:
            text = "\n".join(line or "<c></c>" for line in lines)
    return text


def _add_region(parts: list[str], region: str, size: float | None) -> None:
    """Add ``region:`` to the other settings in ``parts`` where W3C keeps it.

    W3C drops the region of a cue whose line, size or vertical setting comes
    before ``region:``: it goes first when nothing can cancel it (the usual
    order), else last.
    """
    cancels = any(part.startswith(("line:", "vertical:")) for part in parts) or size not in (None, 100)
    if cancels:
        parts.append(f"region:{region}")
    else:
        parts.insert(0, f"region:{region}")


def _uniform_lines(content: tuple[ContentItem, ...]) -> tuple[RunStyle, str] | None:
    """The style and text of content whose runs all have one style (without ruby), else ``None``.

    Line breaks are ``\n`` in the text; content with an empty line (or a styled
    run holding a line break) gives ``None`` as well: :meth:`Writer.text` writes those.
    """
    size = len(content)
    first = content[0] if size else None
    if type(first) is not Run:
        return None
    style = first.style
    if size == 1:
        text = first.text
        if style is not PLAIN and (style.ruby is not None or "\n" in text):
            return None
        return style, text
    if style.ruby is not None:
        return None
    if size == 3:
        middle, last = content[1], content[2]
        if type(middle) is LineBreak and type(last) is Run and last.style is style and first.text and last.text:
            return style, f"{first.text}\n{last.text}"
    parts: list[str] = []
    for item in content:
        kind = type(item)
        if kind is Run and item.style is style:  # type: ignore[union-attr]
            parts.append(item.text)  # type: ignore[union-attr]
        elif kind is LineBreak:
            parts.append("\n")
        else:
            return None
    text = "".join(parts)
    if "\n" in text and ("\n\n" in text or text[0] == "\n" or text[-1] == "\n"):
        return None  # an empty line: cue_block writes it as an empty class span
    return style, text


def _shared(open_layers: list[tuple[str, str]], layers: list[tuple[str, str]]) -> int:
    """How many of the open tags (outermost first) the next run keeps."""
    keep = 0
    limit = min(len(open_layers), len(layers))
    while keep < limit and open_layers[keep] == layers[keep]:
        keep += 1
    return keep


def _clamp(value: float) -> float:
    if math.isnan(value):
        return 0.0
    return min(max(value, 0.0), 100.0)


#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
LOWERING = Lowering(zero_label="00:00:00.000")


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as WebVTT.

    Writes ``WEBVTT`` and the header text, STYLE blocks (plus generated
    colour rules), REGION blocks, NOTEs in place, then each cue: identifier,
    ``HH:MM:SS.mmm`` times, settings from its placement, and escaped text
    with ``<c> <i> <b> <u> <v> <lang> <ruby>`` tags and inner timestamps for
    word timing. Comment cues are left out.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
        ConfigError: a ``language`` option that is not a BCP 47 tag.
    """
    return _writer(doc, options, report).run()


def write_pieces(doc: Document, *, options: WriteOptions, report: LossReport) -> Iterator[str]:
    """:func:`write` in pieces (the header blocks, then a few hundred cues at a time) that join to its text.

    For writing a large file without holding its whole text.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
        ConfigError: a ``language`` option that is not a BCP 47 tag.
    """
    return _writer(doc, options, report).pieces()


def _writer(doc: Document, options: WriteOptions, report: LossReport) -> Writer:
    """The writer of ``doc`` once lowered (and its style sheets inlined when asked).

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
        ConfigError: a ``language`` option that is not a BCP 47 tag.
    """
    writer_language(options.language, NAME)
    doc = lower(doc, LOWERING, report, options=options, supported=FEATURES, raw_format=NAME).doc
    if options.stylesheets == "inline" and doc.stylesheets:
        doc = _inline_stylesheets(doc, report)
    return Writer(doc, options, report)


# ---------------------------------------------------------------- writing: CSS as inline markup

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CUE_CLASS = re.compile(r"::cue\(\s*\.([^\s.()<>&]+)\s*\)")


def _inline_declarations(body: str) -> tuple[dict[str, object], list[str]]:
    """What inline markup can say of a CSS declaration block, and the properties it cannot say."""
    changes: dict[str, object] = {}
    rest: list[str] = []
    for declaration in body.split(";"):
        prop, colon, value = declaration.partition(":")
        prop, value = prop.strip().lower(), value.strip().lower().removesuffix("!important").strip()
        if not colon:
            if prop:
                rest.append(prop)
            continue
        if prop == "font-weight" and (value in ("bold", "bolder") or value in ("600", "700", "800", "900")):
            changes["bold"] = True
        elif prop == "font-style" and value in ("italic", "oblique"):
            changes["italic"] = True
        elif prop in ("text-decoration", "text-decoration-line") and value.split() == ["underline"]:
            changes["underline"] = True
        elif prop == "color" and css_color(value) is not None:
            changes["color"] = css_color(value)
        elif prop in ("background-color", "background") and css_color(value) is not None:
            changes["background"] = css_color(value)
        else:
            rest.append(prop)
    return changes, rest


def _inline_stylesheets(doc: Document, report: LossReport) -> Document:
    """``doc`` with what its ``::cue`` and ``::cue(.class)`` rules say moved onto the runs they style.

    A run's own formatting wins over a rule's (as inline style beats a
    stylesheet); rules for other selectors and properties inline markup has
    no tag for are reported.
    """
    everything: dict[str, object] = {}
    by_class: dict[str, dict[str, object]] = {}
    for sheet in doc.stylesheets:
        for selectors, body in _CSS_RULE.findall(_CSS_COMMENT.sub("", sheet)):
            changes, rest = _inline_declarations(body)
            if rest:
                report.add("stylesheets", "CSS properties without inline markup dropped: " + ", ".join(rest[:4]))
            for selector in selectors.split(","):
                selector = selector.strip()
                if selector == "::cue":
                    everything.update(changes)
                    continue
                match = _CUE_CLASS.fullmatch(selector)
                if match is None:
                    report.add("stylesheets",
                               f"CSS rules for selectors inline markup cannot say dropped ({selector[:40]})")
                    continue
                by_class.setdefault(match.group(1), {}).update(changes)
    if not everything and not by_class:
        return doc
    cues: list[Cue] = []
    for cue in doc.cues:
        content: list[ContentItem] = []
        for item in cue.content:
            if type(item) is Run:
                changes = dict(everything)
                for name in item.style.classes:
                    changes.update(by_class.get(name, {}))
                wanted = {k: v for k, v in changes.items() if getattr(item.style, k) is None}
                if wanted:
                    item = Run(item.text, item.style.merged(**wanted))
            content.append(item)
        cues.append(cue.replace(content=tuple(content)))
    return doc.with_cues(cues)
