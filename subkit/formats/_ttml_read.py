"""The TTML-family reader: TTML1/TTML2, DFXP drafts, IMSC1, SMPTE-TT, EBU-TT and EBU-TT-D.

A ``<p>`` gives the cues of what TTML presents of it (TTML1 §9.3.2, the
intermediate synchronic documents): usually one cue, more when its timed
spans or ``set`` animations change what it shows (one cue per interval), or
when its spans flow into several regions (one cue per region). The walk goes
body → div → p → span, carrying down the tree:

* **time**: every ``begin``/``end``/``dur`` is an offset from the parent's
  begin (SMIL ``par`` semantics, the default) or from the previous sibling's
  end (``timeContainer="seq"``, where an element without an end ends at its
  implicit end); a child is clipped to its parent's interval. Times stay
  exact :class:`~fractions.Fraction` seconds until the cue is built and round
  once (half up) to milliseconds;
* **style**: TTML2 ``initial`` values, referential styles (``style`` IDREFS,
  chains resolved once), inline ``tts:`` attributes, and the styles of the
  region the content flows into, with TTML's inheritance (``backgroundColor``
  and the region-only properties do not inherit);
* ``xml:lang``, ``xml:space``, ``ttm:agent`` and the associated region:
  once regions are declared, content associated with none (or with another
  region than its ancestor's) is not presented.

``tts:display="none"`` and ``tts:visibility="hidden"`` content is not read;
discrete ``set`` animations are applied in their interval; a region presents
nothing outside its own interval or while it is hidden. A paragraph of
contiguous word spans covering it is word-level timing: one cue whose timed
words (:class:`Word`) join to its text.

Leniencies (each a diagnostic with its line; ``strict=True`` raises instead):

* malformed XML: libxml2's recovery mode reads what it can;
* unknown namespaces on the root, or none at all (a bare ``<tt>``);
* ``id`` without the ``xml:`` prefix;
* time expressions with one-digit fields, minutes or seconds above 59,
  frames at or above the frame rate (added up arithmetically), a bare number
  without a unit (read as seconds), ``,`` as the decimal separator;
* ``t`` (tick) times with no ``ttp:tickRate`` and no frame rate: 10 000 000
  ticks per second (the Microsoft/Netflix convention) when the values are that
  large, otherwise the specified fallback of 1;
* keyword case errors (``tts:fontStyle="Italic"``);
* IDREFs to styles, regions or agents that do not exist (ignored);
* style reference cycles (broken);
* an element's end before its begin (the element is not shown);
* a ``p`` naming its own region inside a ``div`` of a numpad region
  ``an1``-``an9``, as earlier subkit writers wrote positioned cues: presented
  in its own region, as meant (TTML players leave it out).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from subkit.formats._base import BaseReadOptions, DiagnosticSink
from subkit.formats._ttml_common import (
    NS_EBUTTS,
    NS_ITTS,
    NS_XML,
    TT_NAMESPACES,
    is_generated_id,
    parse_color,
)
from subkit.formats._ttml_shapes import (
    ClockMs,
    Plan,
    fast_fields,
    finish_pieces,
    line_content,
    make_plan,
    scan_blocks,
    shape_of,
)
from subkit.formats._ttml_words import read_words
from subkit.formats._xml import limit_attributes, parse_xml
from subkit.model import (
    EMPTY,
    NOWHERE,
    PLAIN,
    ContentItem,
    Cue,
    Document,
    Placement,
    Raw,
    Region,
    Run,
    RunStyle,
    Style,
    Word,
    _trusted_cue,
)
from subkit.timing import (
    TTML_CLOCK,
    TTML_MINUTES_SECONDS,
    TTML_OFFSET,
    round_half_up,
    timecode_to_frames,
    ttml_clock_seconds,
    ttml_minutes_seconds,
    ttml_offset_seconds,
)

__all__ = ["INDEFINITE_TAIL_MS", "RAW_FORMAT", "read_document"]

#: The ``Raw.format`` of markup kept from any family member (every family writer emits it).
RAW_FORMAT = "ttml"

#: How long content with an indefinite end stays after the latest time its document names (or after its
#: own begin, when later): the model holds only finite times.
INDEFINITE_TAIL_MS = 10_000

#: Styling properties that do not inherit (TTML2 §10.2); everything else does.
_NOT_INHERITED = frozenset(
    {
        "backgroundColor", "display", "origin", "extent", "padding", "opacity", "overflow", "showBackground",
        "writingMode", "zIndex", "displayAlign", "unicodeBidi", "position", "ruby",
    }
)
#: Properties that become run attributes; the rest of a p's inline styling is kept in ``Cue.extra``.
_RUN_PROPS = frozenset(
    {"color", "fontFamily", "fontSize", "fontStyle", "fontWeight", "textDecoration", "backgroundColor"}
)
_PREFIX = {"tts": "tts", "itts": "itts", "ebutts": "ebutts"}
#: Properties of a p the reader applies (to placement, or to what is presented) rather than keeps in extra.
_APPLIED = frozenset({"textAlign", "display", "visibility"})
_ZERO = Fraction(0)

_CLOCK = TTML_CLOCK
_OFFSET = TTML_OFFSET
_MINUTES_SECONDS = TTML_MINUTES_SECONDS
_PX = re.compile(r"\s*(\d+(?:\.\d+)?)px\s*")
_PAIR = re.compile(r"\s*(-?\d+(?:\.\d+)?)(px|%|c|rw|rh)\s+(-?\d+(?:\.\d+)?)(px|%|c|rw|rh)\s*")
_LONG_TAIL = re.compile(r"\.(\d{3})\d+$")


class _Kinds:
    """Attribute key → (kind, local name), cached per key string."""

    __slots__ = ("cache",)

    def __init__(self) -> None:
        self.cache: dict[str, tuple[str, str]] = {}

    def __call__(self, key: str) -> tuple[str, str]:
        found = self.cache.get(key)
        if found is not None:
            return found
        if key[0] != "{":
            result = ("none", key)
        else:
            ns, local = key[1:].split("}", 1)
            if ns == NS_XML:
                kind = "xml"
            elif ns == NS_ITTS:
                kind = "itts"
            elif ns == NS_EBUTTS:
                kind = "ebutts"
            elif ns.endswith(("#styling", "#style")) and ("ttml" in ns or "ttaf1" in ns):
                kind = "tts"
            elif ns.endswith("#parameter") and ("ns/ttml#" in ns or "ttaf1" in ns):
                kind = "ttp"
            elif ns.endswith("#metadata") and ("ns/ttml#" in ns or "ttaf1" in ns):
                kind = "ttm"
            else:
                kind = "other"
            result = (kind, local)
        self.cache[key] = result
        return result


class _Reader:
    """The state of one read."""

    def __init__(self, name: str, options: TtmlReadOptions) -> None:
        self.name = name
        self.sink = DiagnosticSink(name, options)
        self.kinds = _Kinds()
        self.local_cache: dict[str, str | None] = {}
        self.styles: dict[str, dict[str, str]] = {}  # id -> resolved properties ("tts:color", "itts:...")
        self.style_lines: dict[str, int] = {}
        self.regions: dict[str, dict[str, str]] = {}  # id -> resolved region styling
        self.agents: dict[str, str] = {}
        self.run_cache: dict[tuple[Any, ...], RunStyle] = {}
        self.merge_cache: dict[tuple[Any, ...], dict[str, str]] = {}
        self.props_cache: dict[tuple[Any, ...], dict[str, str]] = {}
        self.open_words: dict[int, list[int]] = {}  # cue index -> words ending with their indefinite cue
        self.frame_rate = Fraction(30)
        self.sub_frame_rate = 1
        self.tick_rate: Fraction | None = None
        self.smpte = False
        self.drop_frame = False
        self.tick_guess_reported = False
        self.absolute = options.nested_times == "absolute"
        self.absolute_reported = False
        self.extra_ns = ""
        self.legacy = False  # a DFXP draft namespace is in use: attributes may sit in it
        self.placements: dict[tuple[Any, ...], Placement] = {}
        self.initial: dict[str, str] = {}  # TTML2 <initial> values ("tts:color" as "color")
        # Regions presented only part of the time (timed, hidden, or animated): their [begin, end) windows.
        self.region_times: dict[str, list[tuple[Fraction, Fraction | None]]] = {}
        self.declared_regions = False  # any <region> at all: content without one is not presented
        self.unassociated = 0  # paragraphs left out for want of a region
        self.align_nesting_reported = False
        # element -> (parent begin, its explicit times): each element's times are read once per paragraph.
        self.times_cache: dict[Any, tuple[Fraction, tuple[Fraction, Fraction | None, bool]]] = {}
        self.canvas: tuple[int, int] | None = None
        self.cells = (32, 15)
        # Dicts whose ids are cache keys stay referenced here, so no id is reused while reading.
        self.keep: list[Any] = []

    # ------------------------------------------------------------------ helpers

    def local(self, tag: Any) -> str | None:
        """The local name of a TTML element, ``None`` for comments and foreign elements."""
        if not isinstance(tag, str):
            return None
        found = self.local_cache.get(tag, "")
        if found != "":
            return found
        if tag[0] == "{":
            ns, name = tag[1:].split("}", 1)
            result: str | None = name if ns in TT_NAMESPACES or ns == self.extra_ns else None
        else:
            result = tag
        self.local_cache[tag] = result
        return result

    def warn(self, message: str, action: str, line: int | None) -> None:
        self.sink.warn(message, action, line=line)

    # ------------------------------------------------------------------ time

    def parse_time(self, text: str, line: int | None) -> Fraction | None:
        """Seconds of a time expression, or ``None`` (diagnosed) when it cannot be read."""
        value = text.strip()
        if len(value) == 12 and value[2] == ":" and value[5] == ":" and value[8] == "." and not self.smpte:
            # The commonest shape by far, hh:mm:ss.mmm; anything odd falls through to the regexes.
            try:
                h, m, s, ms = int(value[0:2]), int(value[3:5]), int(value[6:8]), int(value[9:12])
            except ValueError:
                pass
            else:
                if m < 60 and s < 60:
                    return Fraction(((h * 60 + m) * 60 + s) * 1000 + ms, 1000)
        clock = _CLOCK.fullmatch(value)
        if clock:
            return self._clock(value, clock, line)
        short = _MINUTES_SECONDS.fullmatch(value)
        if short:
            return ttml_minutes_seconds(short, lambda _, message, action: self.warn(message, action, line))
        offset = _OFFSET.fullmatch(value)
        if offset:
            return ttml_offset_seconds(offset.group(1), offset.group(2), self.frame_rate, self.tick_rate,
                                       lambda category, message, action: self._note(category, message, action, line))
        if value.startswith("wallclock("):
            self.warn(f"wall-clock time {value!r} is not supported", "ignored it", line)
            return None
        self.sink.error(f"unreadable time expression {value!r}", "ignored it", line=line, excerpt=value)
        return None

    def _note(self, category: str, message: str, action: str, line: int | None) -> None:
        # The guessed tick rate is said once per document; every other repair at each time.
        if category == "tick-rate":
            if self.tick_guess_reported:
                return
            self.tick_guess_reported = True
        self.warn(message, action, line)

    def _clock(self, value: str, clock: re.Match[str], line: int | None) -> Fraction:
        fraction, frames, sub = clock.group(4), clock.group(5), clock.group(6)
        if not (self.smpte and frames is not None and fraction is None):
            return ttml_clock_seconds(clock, self.frame_rate, self.sub_frame_rate,
                                      lambda _, message, action: self.warn(message, action, line))
        # An SMPTE time base: the label counts frames of the timecode (drop-frame where it says so).
        hours, minutes, seconds = int(clock.group(1)), int(clock.group(2)), int(clock.group(3))
        if minutes > 59 or seconds > 60:
            self.warn(f"minutes or seconds above 59 in {value!r}", "added them up", line)
        nominal = round_half_up(self.frame_rate)
        if int(frames) >= nominal:
            self.warn(f"frame {frames} at or above the frame rate in {value!r}", "added it up", line)
        count = timecode_to_frames(hours, minutes, seconds, int(frames), self.frame_rate, drop_frame=self.drop_frame)
        total = Fraction(count) / self.frame_rate
        if sub:
            total += Fraction(int(sub), self.sub_frame_rate) / self.frame_rate
        return total

    def interval(
        self, el: Any, parent_begin: Fraction, parent_end: Fraction | None, line: int | None, in_seq: bool = False
    ) -> tuple[Fraction, Fraction | None, bool]:
        """(begin, end or None for indefinite, explicitly timed) of an element, absolute and clipped.

        An element without an explicit end ends with its parent, except in a ``seq`` container
        (``in_seq``), where it ends at its implicit end (TTML1 §10.4: the end of its last child in a
        ``seq`` container, of its latest child in a ``par`` one, indefinite when it holds text). In a
        ``par`` parent the implicit end never clips what the element presents, so it is not computed.
        """
        begin, end, timed = self.explicit(el, parent_begin, parent_end, line)
        if end is None and in_seq:
            implicit = self.implicit_end(el, begin, 0)
            end = parent_end if implicit is None else implicit
        elif end is None:
            end = parent_end
        if end is not None and parent_end is not None and end > parent_end:
            end = parent_end
        return begin, end, timed

    def implicit_end(self, el: Any, begin: Fraction, depth: int) -> Fraction | None:
        """The implicit end of an element that has no explicit one (``None``: indefinite).

        ``seq``: the end of its last child (anonymous text has no duration there). ``par``: indefinite
        when it holds text or a ``br`` (anonymous spans and ``br`` are indefinite in ``par``), else the
        latest end of its children, or its begin when it has none.
        """
        if depth > 100:
            return None
        local_of = self.local
        seq = el.get("timeContainer") == "seq"
        mixed = local_of(el.tag) in ("p", "span")
        if not seq and mixed and (el.text is not None or any(child.tail is not None for child in el)):
            return None
        clock = latest = begin
        for child in el:
            local = local_of(child.tag)
            if local not in ("div", "p", "span", "br"):
                continue
            if local == "br":
                if seq:
                    continue
                return None
            c_begin, c_end, _ = self.explicit(child, clock if seq else begin, None, child.sourceline)
            if c_end is None:
                c_end = self.implicit_end(child, c_begin, depth + 1)
                if c_end is None:
                    return None
            if seq:
                clock = c_end
            elif c_end > latest:
                latest = c_end
        return clock if seq else latest

    def explicit(
        self, el: Any, parent_begin: Fraction, parent_end: Fraction | None, line: int | None
    ) -> tuple[Fraction, Fraction | None, bool]:
        """(begin, explicit end or None, timed): the element's own times, absolute, not clipped to the parent."""
        found = self.times_cache.get(el)
        if found is not None and found[0] == parent_begin:
            return found[1]
        result = self._explicit(el, parent_begin, parent_end, line)
        self.times_cache[el] = (parent_begin, result)
        return result

    def _explicit(
        self, el: Any, parent_begin: Fraction, parent_end: Fraction | None, line: int | None
    ) -> tuple[Fraction, Fraction | None, bool]:
        begin_text = el.get("begin")
        end_text = el.get("end")
        dur_text = el.get("dur")
        if begin_text is None and end_text is None and dur_text is None:
            return parent_begin, None, False
        begin = parent_begin
        # In "absolute" mode (an option, for files whose nested times were authored as absolute),
        # offsets count from zero instead of the parent's begin.
        origin = _ZERO if self.absolute else parent_begin
        if begin_text is not None:
            offset = self.parse_time(begin_text, line)
            if offset is not None:
                begin = origin + offset if origin else offset
                if (
                    origin
                    and not self.absolute_reported
                    and parent_end is not None
                    and origin <= offset < parent_end < begin
                ):
                    self.absolute_reported = True
                    self.warn(
                        "nested begin times look absolute: they fall after their parent's end",
                        "read them as offsets from the parent, as TTML says (nested_times='absolute' reads "
                        "them as absolute)", line,
                    )
        end: Fraction | None = None
        if end_text is not None:
            offset = self.parse_time(end_text, line)
            if offset is not None:
                end = origin + offset if origin else offset
        if dur_text is not None:
            dur = self.parse_time(dur_text, line)
            if dur is not None and (end is None or begin + dur < end):
                end = begin + dur
        return begin, end, True

    # ------------------------------------------------------------------ styling

    def own_props(self, el: Any, line: int | None) -> dict[str, str]:
        """The styling an element specifies itself: referential styles first, inline attributes win.

        Elements with the same styling get the same dict, so the caches keyed on dict identity hit.
        """
        refs = el.get("style")
        kinds = self.kinds
        inline = [(key, value) for key, value in el.attrib.items() if kinds(key)[0] in _PREFIX]
        if not refs and not inline:
            return _NO_PROPS
        cache_key = (refs, *inline)
        found = self.props_cache.get(cache_key)
        if found is not None:
            return found
        props = self._own_props(el, refs, line)
        self.props_cache[cache_key] = props
        return props

    def _own_props(self, el: Any, refs: str | None, line: int | None) -> dict[str, str]:
        props: dict[str, str] | None = None
        if refs:
            for ref in refs.split():
                found = self.styles.get(ref)
                if found is None:
                    self.warn(f"style {ref!r} is not defined", "ignored the reference", line)
                    continue
                if props is None:
                    props = dict(found)
                else:
                    props.update(found)
        kinds = self.kinds
        for key, value in el.attrib.items():
            kind, local = kinds(key)
            if kind == "tts" or kind == "itts" or kind == "ebutts":
                if props is None:
                    props = {}
                props[f"{kind}:{local}" if kind != "tts" else local] = value
        return props if props is not None else _NO_PROPS

    def read_styles(self, styling: Any) -> None:
        raw: dict[str, tuple[Any, int | None]] = {}
        for el in styling:
            local = self.local(el.tag)
            if local == "initial":
                # TTML2 <initial>: new initial values for the properties it names.
                for key, value in el.attrib.items():
                    kind, name = self.kinds(key)
                    if kind in _PREFIX:
                        self.initial[f"{kind}:{name}" if kind != "tts" else name] = value
                continue
            if local != "style":
                continue
            style_id = self.element_id(el)
            if style_id:
                raw[style_id] = (el, el.sourceline)

        def resolve(style_id: str, seen: tuple[str, ...]) -> dict[str, str]:
            done = self.styles.get(style_id)
            if done is not None:
                return done
            el, line = raw[style_id]
            props: dict[str, str] = {}
            for ref in (el.get("style") or "").split():
                if ref in seen:
                    self.warn(f"style {style_id!r} refers back to {ref!r}", "broke the cycle", line)
                    continue
                if ref not in raw:
                    self.warn(f"style {ref!r} is not defined", "ignored the reference", line)
                    continue
                props.update(resolve(ref, (*seen, ref)))
            for key, value in el.attrib.items():
                kind, local = self.kinds(key)
                if kind in _PREFIX:
                    props[f"{kind}:{local}" if kind != "tts" else local] = value
            self.styles[style_id] = props
            self.style_lines[style_id] = line or 0
            return props

        for style_id in raw:
            resolve(style_id, (style_id,))

    def element_id(self, el: Any) -> str | None:
        value = el.get("{http://www.w3.org/XML/1998/namespace}id")
        if value is None:
            value = el.get("id")
            if value is not None:
                # Leniency: `id` without the xml: prefix, as several DFXP tools write it.
                self.warn("'id' without the xml: prefix", "read it as xml:id", el.sourceline)
        return None if value is None else str(value)

    def run_style(self, props: dict[str, str], background: str | None, base: dict[str, str],
                  language: str | None, voice: str | None, line: int | None) -> RunStyle:
        key = (id(props), id(base), background, language, voice)
        found = self.run_cache.get(key)
        if found is not None:
            return found
        run = _diff_style(_run_values(props, background, self, line), _run_values(base, base.get("backgroundColor"),
                                                                                   self, line))
        if language is not None or voice is not None:
            run = run.merged(language=language, voice=voice)
        self.run_cache[key] = run
        # Keep the dicts alive while their ids are cache keys.
        self.keep.append((props, base))
        return run



_NO_PROPS: dict[str, str] = {}


def _keyword(value: str, reader: _Reader, line: int | None, what: str) -> str:
    stripped = value.strip()
    lowered = stripped.lower()
    if stripped not in _CANONICAL and lowered in _KEYWORDS:
        reader.warn(f"{what} {value!r} in the wrong case", "read it regardless of case", line)
    return lowered


_CANONICAL = frozenset({"italic", "oblique", "normal", "bold", "underline", "lineThrough", "noUnderline",
                        "noLineThrough", "none", "overline", "noOverline"})
_KEYWORDS = frozenset(word.lower() for word in _CANONICAL)


def _run_values(props: dict[str, str], background: str | None, reader: _Reader,
                line: int | None) -> tuple[Any, ...]:
    """(italic, bold, underline, strike, color, background, family, size) as the properties say."""
    italic = bold = underline = strike = None
    style = props.get("fontStyle")
    if style is not None:
        word = _keyword(style, reader, line, "tts:fontStyle")
        italic = word in ("italic", "oblique")
        if word == "bold":  # a common authoring slip: fontStyle="bold"
            italic, bold = False, True
    weight = props.get("fontWeight")
    if weight is not None:
        bold = _keyword(weight, reader, line, "tts:fontWeight") == "bold"
    decoration = props.get("textDecoration")
    if decoration is not None:
        words = [_keyword(w, reader, line, "tts:textDecoration") for w in decoration.split()]
        underline = "underline" in words if ("underline" in words or "nounderline" in words or "none" in words) \
            else None
        strike = "linethrough" in words if ("linethrough" in words or "nolinethrough" in words
                                            or "none" in words) else None
    color = parse_color(props["color"]) if "color" in props else None
    back = parse_color(background) if background else None
    if back is not None and back.a == 0:
        back = None
    family = props.get("fontFamily")
    size: float | None = None
    size_text = props.get("fontSize")
    if size_text is not None:
        px = _PX.fullmatch(size_text)
        if px:
            size = float(px.group(1)) or None
    return italic, bold, underline, strike, color, back, family, size


def _diff_style(run: tuple[Any, ...], base: tuple[Any, ...]) -> RunStyle:
    """The run's values that differ from the named style's: the overrides the model stores."""
    italic, bold, underline, strike, color, back, family, size = run
    b_italic, b_bold, b_underline, b_strike, b_color, b_back, b_family, b_size = base

    def switch(value: bool | None, base_value: bool | None) -> bool | None:
        if value is None or value == bool(base_value):
            return None if value == base_value or (not value and not base_value) else value
        return value

    result = RunStyle(
        italic=switch(italic, b_italic),
        bold=switch(bold, b_bold),
        underline=switch(underline, b_underline),
        strike=switch(strike, b_strike),
        color=None if color == b_color else color,
        background=None if back == b_back else back,
        font_family=None if family == b_family else family,
        font_size=None if size == b_size else size,
    )
    return PLAIN if result == PLAIN else result


def _style_model(name: str, props: dict[str, str], reader: _Reader, line: int | None) -> Style:
    italic, bold, underline, strike, color, back, family, size = _run_values(
        props, props.get("backgroundColor"), reader, line
    )
    extra: dict[str, str] = {}
    for key, value in props.items():
        if key in ("visibility", "display", "ruby"):
            continue  # applied to what is presented (hidden text is not read), never written back
        if key in _RUN_PROPS:
            if key == "fontSize" and size is None:
                extra["ttml.tts:fontSize"] = value
            continue
        extra[f"ttml.{key if ':' in key else 'tts:' + key}"] = value
    return Style(
        name=name, font_family=family, font_size=size, primary_color=color, back_color=back, bold=bold,
        italic=italic, underline=underline, strike=strike, extra=extra,
    )


def _percent_pair(text: str | None, reader: _Reader) -> tuple[float, float] | None:
    """An origin or extent as percentages of the root container (px need ``tts:extent`` on tt)."""
    if not text:
        return None
    match = _PAIR.fullmatch(text)
    if not match:
        return None
    x, xu, y, yu = match.groups()
    out: list[float] = []
    for value, unit, axis in ((float(x), xu, 0), (float(y), yu, 1)):
        if unit == "%" or unit in ("rw", "rh"):
            out.append(value)
        elif unit == "px":
            if reader.canvas is None:
                return None
            out.append(value * 100 / reader.canvas[axis])
        else:  # cells
            out.append(value * 100 / reader.cells[axis])
    return round(out[0], 4), round(out[1], 4)


_ALIGN_REGION = re.compile(r"an([1-9])")
_ALIGN_TEXT = {1: "left", 4: "left", 7: "left", 2: "center", 5: "center", 8: "center", 3: "right", 6: "right",
               9: "right"}


@dataclass(frozen=True, slots=True, kw_only=True)
class TtmlReadOptions(BaseReadOptions):
    """The options of the TTML family reader (``ttml``, ``dfxp`` and ``ebu_tt_d`` alike).

    Attributes:
        nested_times: ``"offset"`` (TTML: nested begin/end count from the
            parent's begin) or ``"absolute"`` for files whose nested times
            were authored as absolute (a common authoring error; the reader
            warns when times look like it, and never switches on its own).
    """

    nested_times: Literal["offset", "absolute"] = "offset"


def read_document(data: str, *, name: str, options: TtmlReadOptions) -> Document:
    """Read any TTML-family document; ``name`` is the format identifier recorded on it.

    Raises:
        ParseError: not XML, not a ``tt`` document, or (strict) any flaw.
    """
    reader = _Reader(name, options)
    sink = reader.sink
    if not data.strip():
        return Document(source_format=name)
    root = parse_xml(
        data, format=name, source=options.source, recover=not options.strict,
        on_recover=lambda message, line: sink.warn(message, "read what libxml2 could recover", line=line),
    )
    limit_attributes(root, reader.warn)
    reader.legacy = "ttaf1" in str(root.tag) or any("ttaf1" in (ns or "") for ns in root.nsmap.values())
    root_local = reader.local(root.tag)
    if root_local != "tt":
        tag = root.tag if isinstance(root.tag, str) else "?"
        local_name = tag.rsplit("}", 1)[-1]
        if local_name != "tt":
            raise sink.fail(f"not a TTML document: the root element is <{local_name}>", line=root.sourceline or 1)
        reader.warn(f"unknown namespace on the root element ({tag.split('}')[0][1:]})", "read it as TTML",
                    root.sourceline)
        reader.local_cache.clear()
        reader.extra_ns = tag[1:].split("}", 1)[0]
    header: dict[str, str] = {}
    _read_parameters(reader, root, header)
    head = body = None
    for child in root:
        local = reader.local(child.tag)
        if local == "head":
            head = child
        elif local == "body":
            body = child
    regions_model: dict[str, Region] = {}
    title: str | None = None
    if head is not None:
        for section in head:
            local = reader.local(section.tag)
            if local == "styling":
                reader.read_styles(section)
        for section in head:
            local = reader.local(section.tag)
            if local == "layout":
                _read_layout(reader, section, regions_model)
            elif local == "metadata":
                title = _read_metadata(reader, section) or title
    language = root.get("{http://www.w3.org/XML/1998/namespace}lang") or None
    cues: list[Cue] = []
    if body is not None:
        preserve = root.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
        _Walker(reader, cues, language).body(body, preserve)
    # Content with no end anywhere up its tree is active for the rest of the document (TTML1 §10.4: its
    # end is indefinite). The model needs a finite end: the latest time the document names, or the
    # content's begin when later, plus INDEFINITE_TAIL_MS.
    indefinite = [index for index, cue in enumerate(cues) if cue.extra and cue.extra.get("ttml.end") == "indefinite"]
    if indefinite:
        last = max(max(cue.start_ms, cue.end_ms, max((w.end_ms for w in cue.words), default=0)) for cue in cues)
        for index in indefinite:
            cue = cues[index]
            end_ms = max(cue.start_ms, last) + INDEFINITE_TAIL_MS
            words = list(cue.words)
            for word_index in reader.open_words.get(index, ()):
                words[word_index] = Word(text=words[word_index].text, start_ms=words[word_index].start_ms,
                                         end_ms=end_ms)
            cues[index] = cue.replace(end_ms=end_ms, words=tuple(words))
    if reader.unassociated:
        sink.warn(f"{reader.unassociated} element(s) with content are associated with no region, or with another "
                  "region than their parent, while the document declares regions", "left them out: they are not "
                  "presented (TTML1 §9.3.2)", line=body.sourceline if body is not None else None)
    styles = {
        style_id: _style_model(style_id, props, reader, reader.style_lines.get(style_id))
        for style_id, props in reader.styles.items() if not is_generated_id(style_id)
    }
    return Document(
        cues=tuple(cues),
        styles=styles,
        regions=regions_model,
        language=language,
        title=title,
        frame_rate=reader.frame_rate if "ttml.frameRate" in header else None,
        drop_frame=reader.drop_frame,
        canvas=reader.canvas,
        header=header,
        diagnostics=tuple(sink.items),
        source_format=name,
    )


def _read_parameters(reader: _Reader, root: Any, header: dict[str, str]) -> None:
    params: dict[str, str] = {}
    extent = None
    for key, value in root.attrib.items():
        kind, local = reader.kinds(key)
        if kind == "ttp":
            params[local] = value.strip()
        elif kind == "tts" and local == "extent":
            extent = value
        elif kind == "other" and local in ("contentProfiles", "profile"):
            params[local] = value.strip()
    line = root.sourceline
    rate_text = params.get("frameRate")
    if rate_text:
        reader.frame_rate = _frame_rate(reader, rate_text, params.get("frameRateMultiplier"), line)
        rate = reader.frame_rate
        header["ttml.frameRate"] = f"{rate.numerator}/{rate.denominator}" if rate.denominator != 1 else str(rate)
    _read_rates(reader, params, line)
    base = params.get("timeBase", "media")
    if base == "smpte":
        reader.smpte = True
        drop = params.get("dropMode", "nonDrop")
        reader.drop_frame = drop in ("dropNTSC", "dropPAL")
    elif base == "clock":
        reader.warn("ttp:timeBase=\"clock\"", "read the times as media times", line)
    elif base != "media":
        reader.warn(f"unknown ttp:timeBase {base!r}", "read the times as media times", line)
    for key in ("timeBase", "cellResolution", "profile", "contentProfiles", "dropMode"):
        if key in params:
            header[f"ttml.{key}"] = params[key]
    _read_geometry(reader, params.get("cellResolution"), extent)


def _frame_rate(reader: _Reader, rate_text: str, multiplier: str | None, line: int | None) -> Fraction:
    """The effective frame rate: ``ttp:frameRate`` times ``ttp:frameRateMultiplier`` (30 when unreadable)."""
    try:
        rate = Fraction(int(rate_text))
        if rate <= 0:
            raise ValueError(rate_text)
    except ValueError:
        reader.warn(f"ttp:frameRate {rate_text!r} is not a positive integer", "used 30", line)
        rate = Fraction(30)
    if multiplier:
        parts = multiplier.split()
        try:
            num, den = int(parts[0]), int(parts[1])
            if num <= 0 or den <= 0:
                raise ValueError(multiplier)
            rate = rate * num / den
        except (ValueError, IndexError):
            reader.warn(f"ttp:frameRateMultiplier {multiplier!r} is not two positive integers", "ignored it",
                        line)
    return rate


def _read_rates(reader: _Reader, params: dict[str, str], line: int | None) -> None:
    """``ttp:subFrameRate`` and ``ttp:tickRate`` (by default the effective frame rate times the sub-frame rate)."""
    sub = params.get("subFrameRate")
    if sub:
        try:
            reader.sub_frame_rate = max(1, int(sub))
        except ValueError:
            reader.warn(f"ttp:subFrameRate {sub!r} is not an integer", "used 1", line)
    tick = params.get("tickRate")
    if tick:
        try:
            reader.tick_rate = Fraction(int(tick))
            if reader.tick_rate <= 0:
                raise ValueError(tick)
        except ValueError:
            reader.warn(f"ttp:tickRate {tick!r} is not a positive integer", "ignored it", line)
            reader.tick_rate = None
    if reader.tick_rate is None and params.get("frameRate"):
        # TTML: without tickRate, the tick rate is the effective frame rate times subFrameRate.
        reader.tick_rate = reader.frame_rate * reader.sub_frame_rate


def _read_geometry(reader: _Reader, cells: str | None, extent: str | None) -> None:
    """``ttp:cellResolution`` and the root container's pixel ``tts:extent``, when they are well formed."""
    if cells:
        parts = cells.split()
        if len(parts) == 2 and all(p.isdigit() and int(p) > 0 for p in parts):
            reader.cells = (int(parts[0]), int(parts[1]))
    if extent:
        parts = extent.split()
        if len(parts) == 2 and all(_PX.fullmatch(p) for p in parts):
            width, height = (round(float(p.strip()[:-2])) for p in parts)
            if width > 0 and height > 0:
                reader.canvas = (width, height)


def _read_layout(reader: _Reader, layout: Any, regions: dict[str, Region]) -> None:
    for el in layout:
        if reader.local(el.tag) != "region":
            continue
        reader.declared_regions = True
        region_id = reader.element_id(el)
        if not region_id:
            reader.warn("region without xml:id", "ignored it", el.sourceline)
            continue
        props = _region_props(reader, el)
        reader.regions[region_id] = props
        windows = _region_windows(reader, el, props)
        if windows is not None:
            reader.region_times[region_id] = windows
        if _is_align_region(region_id, props):
            continue  # a numpad alignment region (see the writer): no model region
        origin = _percent_pair(props.get("origin"), reader)
        extent = _percent_pair(props.get("extent"), reader)
        position = props.get("position")
        if position is not None:
            resolved = _position_origin(position, extent or (100.0, 100.0), reader)
            if resolved is not None:
                origin = resolved
        extra: dict[str, str] = {}
        for key, value in props.items():
            if (key == "origin" and origin is not None) or (key == "extent" and extent is not None):
                continue
            if key in ("displayAlign", "writingMode") or (key == "position" and origin is not None):
                continue
            if windows is not None and key in ("opacity", "display", "visibility"):
                continue  # applied: the cues are presented only in the region's windows
            extra[f"ttml.{key if ':' in key else 'tts:' + key}"] = value
        regions[region_id] = Region(
            id=region_id, origin=origin, extent=extent, display_align=props.get("displayAlign"),
            writing_mode=props.get("writingMode"), extra=extra,
        )


def _region_windows(reader: _Reader, el: Any, props: dict[str, str]) -> list[tuple[Fraction, Fraction | None]] | None:
    """When a region presents its content: ``None`` for always, else its [begin, end) windows.

    A region presents nothing outside its own interval (``begin``/``end``/``dur``), nor while its
    ``tts:display`` is ``none``, its ``tts:opacity`` 0 or its ``tts:visibility`` hidden, counting its
    ``set`` animations of those properties.
    """
    begin, end, timed = reader.explicit(el, _ZERO, None, el.sourceline)
    sets: list[tuple[Fraction, Fraction | None, dict[str, str]]] = []
    for child in el:
        if isinstance(child.tag, str) and reader.local(child.tag) == "set":
            s_begin, s_end, _ = reader.interval(child, begin, end, child.sourceline)
            sets.append((s_begin, s_end, reader.own_props(child, child.sourceline)))

    def hidden(values: dict[str, str]) -> bool:
        opacity = values.get("opacity", "1").strip()
        try:
            transparent = float(opacity) == 0
        except ValueError:
            transparent = False
        return transparent or _display_none(values) or _hidden(values)

    if not timed and not sets and not hidden(props):
        return None
    times = sorted({begin, *(t for s_begin, s_end, _ in sets for t in (s_begin, s_end) if t is not None)})
    times = [t for t in times if t >= begin and (end is None or t < end)]
    windows: list[tuple[Fraction, Fraction | None]] = []
    for index, start in enumerate(times):
        stop = times[index + 1] if index + 1 < len(times) else end
        values = dict(props)
        for s_begin, s_end, changes in sets:
            if s_begin <= start and (s_end is None or start < s_end):
                values.update(changes)
        if hidden(values):
            continue
        if windows and windows[-1][1] == start:
            windows[-1] = (windows[-1][0], stop)
        else:
            windows.append((start, stop))
    return windows


def _region_props(reader: _Reader, el: Any) -> dict[str, str]:
    """A region's specified styles: referential styles, then its nested ``style`` children, then its own
    attributes, each overriding the one before (TTML1 §8.4.4.2)."""
    props = dict(reader.own_props(el, el.sourceline)) if el.get("style") else {}
    for child in el:
        if isinstance(child.tag, str) and reader.local(child.tag) == "style":
            props.update(reader.own_props(child, child.sourceline))
    kinds = reader.kinds
    for key, value in el.attrib.items():
        kind, local = kinds(key)
        if kind in _PREFIX:
            props[f"{kind}:{local}" if kind != "tts" else local] = value
    return props


_POSITION_KEYWORDS = frozenset({"left", "right", "top", "bottom", "center"})


def _position_origin(value: str, extent: tuple[float, float], reader: _Reader) -> tuple[float, float] | None:
    """The origin (in %) of a region placed with TTML2 ``tts:position`` (CSS background-position rules).

    A percentage p places the point p% across the region at p% across the root container; an edge
    keyword with an offset measures the offset from that edge; ``center`` is 50%.
    """
    tokens = value.split()
    if not 1 <= len(tokens) <= 4:
        return None
    # (edge keyword or "", offset or None) per axis; an offset follows its edge only in the 3-4 value forms.
    groups: list[tuple[str, str | None]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token in _POSITION_KEYWORDS:
            offset = None
            if len(tokens) > 2 and token != "center" and index + 1 < len(tokens) \
                    and tokens[index + 1] not in _POSITION_KEYWORDS:
                index += 1
                offset = tokens[index]
            groups.append((token, offset))
        else:
            groups.append(("", token))
        index += 1
    if len(groups) == 1:
        only = groups[0]
        groups = [("center", None), only] if only[0] in ("top", "bottom") else [only, ("center", None)]
    if len(groups) != 2:
        return None
    horizontal, vertical = groups
    if horizontal[0] in ("top", "bottom") or vertical[0] in ("left", "right"):
        horizontal, vertical = vertical, horizontal
    if horizontal[0] not in ("", "left", "right", "center") or vertical[0] not in ("", "top", "bottom", "center"):
        return None
    out: list[float] = []
    for (edge, offset), size, axis in ((horizontal, extent[0], 0), (vertical, extent[1], 1)):
        room = 100.0 - size
        if edge == "center":
            out.append(room / 2)
            continue
        length = _length_percent(offset or "0%", room, axis, reader)
        if length is None:
            return None
        out.append(room - length if edge in ("right", "bottom") else length)
    return round(out[0], 4), round(out[1], 4)


def _length_percent(text: str, room: float, axis: int, reader: _Reader) -> float | None:
    """An offset in % of the root container: percentages are of ``room`` (container minus region)."""
    match = re.fullmatch(r"(-?\d+(?:\.\d+)?)(px|%|c|rw|rh)", text)
    if not match:
        return None
    number, unit = float(match.group(1)), match.group(2)
    if unit == "%":
        return number * room / 100
    if unit in ("rw", "rh"):
        return number
    if unit == "px":
        if reader.canvas is None:
            return None
        return number * 100 / reader.canvas[axis]
    return number * 100 / reader.cells[axis]


def _read_metadata(reader: _Reader, metadata: Any) -> str | None:
    title = None
    for el in metadata:
        tag = el.tag if isinstance(el.tag, str) else ""
        local = tag.rsplit("}", 1)[-1]
        if local == "agent":
            agent_id = reader.element_id(el)
            if not agent_id:
                continue
            name = agent_id
            for child in el:
                child_tag = child.tag if isinstance(child.tag, str) else ""
                if child_tag.endswith("}name") and (child.text or "").strip():
                    name = " ".join((child.text or "").split())
                    break
            reader.agents[agent_id] = name
        elif local == "title" and (el.text or "").strip():
            title = " ".join((el.text or "").split())
    return title


class _Walker:
    """Walks the body and builds the cues of each ``p`` (see :meth:`paragraph`)."""

    def __init__(self, reader: _Reader, cues: list[Cue], language: str | None) -> None:
        self.reader = reader
        self.cues = cues
        self.language = language
        self.cue_id: str | None = None  # of the paragraph being read
        # The short path (see _ttml_shapes): plans per container context, then per paragraph shape.
        self.plans_on = PARAGRAPH_PLANS
        self.plans: dict[Any, dict[Any, Plan | int]] = {}
        self.capture: _Pending | None = None  # what the long way does with a paragraph whose shape is new
        self.clock_ms = ClockMs()
        self.planned = 0  # paragraphs built from a plan
        self.attempts = 0  # paragraphs read the long way to make a plan

    def body(self, body: Any, preserve: bool) -> None:
        reader = self.reader
        line = body.sourceline
        begin, end, _ = reader.interval(body, _ZERO, None, line)
        own = reader.own_props(body, line)
        if _display_none(own) and not _has_set(reader, body):
            return
        space = body.get("{http://www.w3.org/XML/1998/namespace}space")
        region = body.get("region")
        if region is not None and region not in reader.regions:
            reader.warn(f"region {region!r} is not defined", "ignored the reference", line)
            region = None
        self.container(body, begin, end, own, region, self.language,
                       preserve if space is None else space == "preserve", body.get("style"), 1,
                       _background(own.get("backgroundColor"), reader.initial.get("backgroundColor")))

    def container(self, el: Any, begin: Fraction, end: Fraction | None, props: dict[str, str],
                  region: str | None, language: str | None, preserve: bool, style_ref: str | None,
                  depth: int, background: str | None) -> None:
        """Walk the children of a body or div.

        ``region`` is the region the element is associated with (its own ``region`` or the nearest
        ancestor's); a child naming another region is not presented (TTML1 §9.3.2: it belongs to its
        region, and its parent, belonging to another, is pruned from that region's ISDs).
        ``background`` is the innermost visible background of the enclosing body and divs.
        """
        scope = _Scope(end, props, region, language, preserve, style_ref, depth, background)
        seq = el.get("timeContainer") == "seq"
        shortcut = None if seq else self.shortcut(scope, begin)
        if shortcut is not None and shortcut.scan(el, scope, begin):
            return  # every child was a paragraph, read from the serialised markup
        clock = begin
        local_of = self.reader.local
        for child in el:
            local = local_of(child.tag)
            if local != "div" and local != "p":
                continue
            pending = None
            if shortcut is not None and local == "p":
                pending = shortcut.paragraph(child)
                if pending is _PLANNED:
                    continue  # built from the plan of its shape
            c_end = self.child(child, local, clock if seq else begin, scope, seq, pending, shortcut)
            if seq:
                clock = c_end if c_end is not None else clock
        self.capture = None

    def child(self, child: Any, local: str, child_begin: Fraction, scope: _Scope, seq: bool,
              pending: _Pending | None, shortcut: _Shortcut | None) -> Fraction | None:
        """Walk one ``div`` or ``p`` child of a container (the long way); returns its end."""
        reader = self.reader
        end, props, region = scope.end, scope.props, scope.region
        self.capture = pending
        line = child.sourceline
        c_begin, c_end, timed = reader.interval(child, child_begin, end, line, seq)
        if c_end is not None and timed and c_end < c_begin:
            return c_end  # clipped away by its parent: never presented
        own = reader.own_props(child, line)
        if own and _display_none(own) and not _has_set(reader, child):
            return c_end  # tts:display="none": neither it nor its descendants are presented
        child_props = _inherit(reader, props, own)
        child_region = child.get("region")
        if child_region is not None and child_region not in reader.regions:
            reader.warn(f"region {child_region!r} is not defined", "ignored the reference", line)
            child_region = None
        if child_region is None:
            child_region = region
        elif region is not None and child_region != region:
            if not _is_align_region(region, reader.regions.get(region, _NO_PROPS)):
                reader.unassociated += 1
                return c_end
            # Leniency: writers of earlier subkit versions wrapped every paragraph in a div of a
            # numpad region (an1-an9, the whole root container), positioned ones included; read
            # those in their own region, as written, instead of pruning them as TTML players do.
            if not reader.align_nesting_reported:
                reader.align_nesting_reported = True
                reader.warn(f"an element in region {child_region!r} inside a div of alignment region "
                            f"{region!r}", "presented it in its own region (TTML players leave it out)",
                            line)
        lang = child.get("{http://www.w3.org/XML/1998/namespace}lang")
        child_lang = scope.language if lang is None else (lang or None)
        space = child.get("{http://www.w3.org/XML/1998/namespace}space")
        child_preserve = scope.preserve if space is None else space == "preserve"
        refs = child.get("style")
        # The first named style; styles a writer generated for one element's attributes are not named.
        child_style = next((ref for ref in refs.split() if not is_generated_id(ref)), scope.style_ref) if refs \
            else scope.style_ref
        child_background = _background(own.get("backgroundColor"), scope.background) if own else scope.background
        if scope.depth > 100:
            raise reader.sink.fail("div elements nested too deeply", line=line)
        if local == "div":
            image = _image_of(child) if len(child.attrib) > 1 else None
            if image is not None:
                self.image(child, image, c_begin, c_end, child_region)
            self.container(child, c_begin, c_end, child_props, child_region, child_lang,
                           child_preserve, child_style, scope.depth + 1, child_background)
        else:
            self.paragraph(child, c_begin, c_end, child_props, own, child_region, child_lang,
                           child_preserve, child_style, child_background)
            if pending is not None and shortcut is not None:
                shortcut.record(pending, child)
        return c_end

    def shortcut(self, scope: _Scope, begin: Fraction) -> _Shortcut | None:
        """The short path for the paragraphs of a ``par`` container, when its times are whole milliseconds.

        Not taken for regions presented part of the time (their windows clip the cues), SMPTE time
        bases or nesting deep enough to fail.
        """
        reader = self.reader
        end = scope.end
        if not self.plans_on or reader.region_times or reader.smpte or scope.depth > 100 \
                or 1000 % begin.denominator or (end is not None and 1000 % end.denominator):
            return None
        context = (id(scope.props), scope.region, scope.language, scope.preserve, scope.style_ref, scope.background)
        plans = self.plans.get(context)
        if plans is None:
            plans = self.plans[context] = {}
            reader.keep.append(scope.props)  # its id is in the key
        return _Shortcut(self, plans, context, _ms(begin), None if end is None else _ms(end))

    def image(self, div: Any, image: str, begin: Fraction, end: Fraction | None, region: str | None) -> None:
        """An image caption (SMPTE-TT ``smpte:backgroundImage`` on a ``div``): a cue with no text.

        The image reference stays in ``Cue.extra["ttml.backgroundImage"]`` for the family's writers.
        """
        start_ms = _ms(begin)
        end_ms = _ms(end) if end is not None else start_ms
        if end_ms < start_ms:
            return
        region_props = self.reader.regions.get(region, _NO_PROPS) if region else _NO_PROPS
        placement = _placement(region if region in self.reader.regions else None, region_props, None,
                               div.get("region") == region)
        extra = {"ttml.backgroundImage": image}
        if end is None:
            extra["ttml.end"] = "indefinite"
        self.cues.append(Cue(start_ms=start_ms, end_ms=end_ms, id=self.reader.element_id(div)
                             if div.get("{http://www.w3.org/XML/1998/namespace}id") else None,
                             placement=placement, extra=extra))

    def paragraph(self, p: Any, begin: Fraction, end: Fraction | None, props: dict[str, str],
                  own: dict[str, str], region: str | None, language: str | None, preserve: bool,
                  style_ref: str | None, background: str | None) -> None:
        """The cues of one ``p``: one per region it is presented in and per interval its content is constant.

        With regions declared, a ``p`` associated with none is presented only through the spans that name
        one (TTML1 §9.3.2). Timed spans and ``set`` animations split the ``p`` at their times, each cue
        holding what is presented in its interval, as the ISDs do; a ``p`` made of word spans that follow
        each other and cover it (word-level timing) stays one cue with :class:`Word` timings instead.
        """
        # Read once: the cues of one paragraph share its id (and its diagnostics are given once).
        self.cue_id = self.reader.element_id(p) if p.get("{http://www.w3.org/XML/1998/namespace}id") is not None \
            or p.get("id") is not None else None
        if self.cue_id is not None and is_generated_id(self.cue_id):
            self.cue_id = None  # an id a writer generated (sk.c<n>) is not the cue's
        try:
            self.paragraph_cues(p, begin, end, props, own, region, language, preserve, style_ref, background)
        finally:
            self.reader.times_cache.clear()  # times are cached per paragraph (its walks share them)

    def paragraph_cues(self, p: Any, begin: Fraction, end: Fraction | None, props: dict[str, str],
                       own: dict[str, str], region: str | None, language: str | None, preserve: bool,
                       style_ref: str | None, background: str | None) -> None:
        reader = self.reader
        line = p.sourceline
        targets: list[str | None]
        if not reader.declared_regions:
            targets = [None]
        elif region is not None:
            targets = [region]
        else:
            targets = _span_regions(reader, p)
            if not targets:
                reader.unassociated += 1
                return
        base = reader.styles.get(style_ref, _NO_PROPS) if style_ref else _NO_PROPS
        if style_ref and style_ref not in reader.styles:
            style_ref = None
        agent_ref = _agent_of(p, reader.legacy)
        speaker = None
        if agent_ref:
            first = agent_ref.split()[0]
            speaker = reader.agents.get(first)
            if speaker is None:
                reader.warn(f"agent {first!r} is not defined", "used its id as the speaker", line)
                speaker = first
        for target in targets:
            windows = reader.region_times.get(target) if target else None
            if windows is None:
                self.present_in(p, begin, end, props, own, target, region, language, preserve, style_ref, base,
                                speaker, background)
                continue
            for w_begin, w_end in windows:
                # A region presents nothing outside its windows (its interval, and while it is visible).
                t_begin = max(begin, w_begin)
                t_end = w_end if end is None else end if w_end is None else min(end, w_end)
                if t_end is not None and t_end <= t_begin:
                    continue
                self.present_in(p, t_begin, t_end, props, own, target, region, language, preserve, style_ref, base,
                                speaker, background)

    def present_in(self, p: Any, t_begin: Fraction, t_end: Fraction | None, props: dict[str, str],
                   own: dict[str, str], target: str | None, region: str | None, language: str | None,
                   preserve: bool, style_ref: str | None, base: dict[str, str], speaker: str | None,
                   background: str | None) -> None:
        """Present ``p`` in region ``target`` during [t_begin, t_end), with the region's styles inherited."""
        reader = self.reader
        region_props = reader.regions.get(target, _NO_PROPS) if target else _NO_PROPS
        t_props = props
        if region_props or reader.initial:
            cache_key = ("region", id(region_props), id(props))
            merged = reader.merge_cache.get(cache_key)
            if merged is None:
                merged = {k: v for k, v in reader.initial.items() if k not in _NOT_INHERITED}
                merged.update((k, v) for k, v in region_props.items() if k not in _NOT_INHERITED)
                merged.update(props)
                reader.merge_cache[cache_key] = merged
                reader.keep.append((region_props, props))
            t_props = merged
        self.present(p, t_begin, t_end, t_props, own, target, region is not None, language, preserve,
                     style_ref, base, speaker, background)

    def present(self, p: Any, begin: Fraction, end: Fraction | None, props: dict[str, str], own: dict[str, str],
                region: str | None, associated: bool, language: str | None, preserve: bool,
                style_ref: str | None, base: dict[str, str], speaker: str | None, background: str | None) -> None:
        """Add the cues of ``p`` as presented in ``region`` during [begin, end)."""
        reader = self.reader
        line = p.sourceline
        style = None if preserve or p.get("timeContainer") == "seq" else reader.run_style(
            props, _background(own.get("backgroundColor"), background), base, None, None, line)
        items = None if style is None else _simple_content(p, style)
        if items is not None:
            if self.capture is not None:
                self.capture.captured.append(("simple", style))
            if _hidden(props):
                return
            self.add_cue(p, begin, end, items, (), props, own, region, language, style_ref, speaker)
            return
        times: set[Fraction] = set()
        context = _Context(reader, base, language, speaker, region, associated)
        if p.get("timeContainer") is None:
            builder = _Content(context, begin)
            builder.walk(p, props, preserve, background, begin, end, language, speaker, 0, None, None, times)
            if not builder.dynamic:
                # Nothing inside changes with time: this walk presents the whole interval.
                if self.capture is not None:
                    self.capture.captured.append(("walk", [list(piece) for piece in builder.pieces]))
                items, _ = builder.finish(end)
                self.add_cue(p, begin, end, items, (), builder.p_props, own, region, language, style_ref, speaker)
                return
            times.clear()
        if _word_spans(reader, p, begin, end):
            builder = _Content(context, begin)
            builder.walk(p, props, preserve, background, begin, end, language, speaker, 0, None, None, times)
            if end is None and builder.max_end is not None:
                end = builder.max_end
            items, words = builder.finish(end)
            self.add_cue(p, begin, end, items, words, builder.p_props, own, region, language, style_ref, speaker,
                         builder.open_words)
            return
        now: Fraction | None = begin
        pieces: list[tuple[Fraction, Fraction | None, tuple[ContentItem, ...], dict[str, str]]] = []
        while now is not None:  # at least once: a zero-length p is kept as a zero-length cue
            builder = _Content(context, begin)
            builder.walk(p, props, preserve, background, begin, end, language, speaker, 0, None, now, times)
            later = sorted(t for t in times if t > now and (end is None or t < end))
            until = later[0] if later else end
            items, _ = builder.finish(until)
            if pieces and pieces[-1][2] == items and pieces[-1][3] == builder.p_props:
                first = pieces.pop()
                pieces.append((first[0], until, items, builder.p_props))
            else:
                pieces.append((now, until, items, builder.p_props))
            now = until if until is not None and (end is None or until < end) else None
        for start, stop, items, p_props in pieces:
            if len(pieces) > 1 and not any(type(item) is Run for item in items):
                continue  # nothing presented in this interval
            self.add_cue(p, start, stop, items, (), p_props, own, region, language, style_ref, speaker)

    def add_cue(self, p: Any, begin: Fraction, end: Fraction | None, items: tuple[ContentItem, ...],
                words: tuple[Word, ...], props: dict[str, str], own: dict[str, str], region: str | None,
                language: str | None, style_ref: str | None, speaker: str | None,
                open_words: list[int] | None = None) -> None:
        reader = self.reader
        if not items:
            return
        start_ms = _ms(begin)
        extra: dict[str, str] = {}
        if end is None:
            end_ms = start_ms
            extra["ttml.end"] = "indefinite"
            if words and open_words:
                reader.open_words[len(self.cues)] = open_words
        else:
            end_ms = _ms(end)
            if end_ms < start_ms:
                return  # never shown: clipped away by its parent
        region_props = reader.regions.get(region, _NO_PROPS) if region else _NO_PROPS
        text_align = props.get("textAlign")
        own_region = p.get("region") == region if region else False
        placement_key = (region, text_align, own_region)
        placement = reader.placements.get(placement_key)
        if placement is None:
            placement = _placement(region, region_props, text_align, own_region)
            reader.placements[placement_key] = placement
        if own:
            _own_extra(reader, p, extra)
        cue_id = self.cue_id
        cue_language = language if language != self.language else None
        forced = props.get("itts:forcedDisplay") == "true"
        if extra or words or style_ref or forced:
            cue = Cue(start_ms=start_ms, end_ms=end_ms, content=items, id=cue_id, placement=placement,
                      speaker=speaker, language=cue_language, extra=extra or EMPTY, words=words, style=style_ref,
                      forced=forced)
        else:
            cue = _trusted_cue(start_ms, end_ms, items, cue_id, placement, speaker, cue_language)
        if not words:
            # Word timings the family's writers carry in the paragraph's metadata (see _ttml_words).
            for child in p:
                if isinstance(child.tag, str) and _is_metadata(child.tag):
                    carried, problem = read_words(child, start_ms, None if end is None else end_ms, cue.plain_text())
                    if problem:
                        reader.warn(problem, "dropped the word timings", child.sourceline)
                    elif carried:
                        cue = cue.replace(words=carried)
        self.cues.append(cue)
        if self.capture is not None:
            self.capture.captured.append(("cue", cue))


def _own_extra(reader: _Reader, p: Any, extra: dict[str, str]) -> None:
    """Add the inline styling of ``p`` that no model field holds (referential styles live in Document.styles)."""
    for attr_key, value in p.attrib.items():
        kind, local = reader.kinds(attr_key)
        if kind in _PREFIX and local not in _RUN_PROPS and local not in _APPLIED and \
                not (kind == "itts" and local == "forcedDisplay"):
            extra[f"ttml.{kind}:{local}"] = value
    for ref in (p.get("style") or "").split():
        if is_generated_id(ref):  # a writer's style holding the p's own attributes (EBU-TT-D)
            for key, value in reader.styles.get(ref, _NO_PROPS).items():
                local = key.rsplit(":", 1)[-1]
                if local not in _RUN_PROPS and local not in _APPLIED and key != "itts:forcedDisplay":
                    extra[f"ttml.{key if ':' in key else 'tts:' + key}"] = value


#: Whether the reader builds paragraphs of a shape it has read before from the plan of that shape
#: (:mod:`subkit.formats._ttml_shapes`); off, every paragraph is read the long way (the differential tests).
PARAGRAPH_PLANS = True
#: A paragraph shape is read the long way at most this many times without giving a plan.
_TRIES = 3
#: After this many paragraphs read the long way for a plan, the short path stays on only while plans are used.
_ATTEMPTS = 2000
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


class _Scope:
    """What a container passes down to each child: its end, styling, region, language, space, style and depth."""

    __slots__ = ("background", "depth", "end", "language", "preserve", "props", "region", "style_ref")

    def __init__(self, end: Fraction | None, props: dict[str, str], region: str | None, language: str | None,
                 preserve: bool, style_ref: str | None, depth: int, background: str | None) -> None:
        self.end = end
        self.props = props
        self.region = region
        self.language = language
        self.preserve = preserve
        self.style_ref = style_ref
        self.depth = depth
        self.background = background


class _Pending:
    """A paragraph read the long way for a plan: its shape, its text nodes, and what the read did.

    ``segments``: the text nodes are those of the serialised markup (:func:`scan_blocks`), not the
    preorder ones of :func:`shape_of`; ``plans`` is where the plan goes.
    """

    __slots__ = ("captured", "cues", "diagnostics", "plans", "segments", "shape", "texts", "unassociated")

    def __init__(self, plans: dict[Any, Plan | int], shape: Any, texts: list[str | None], segments: bool,
                 cues: int, diagnostics: int, unassociated: int) -> None:
        self.plans = plans
        self.shape = shape
        self.texts = texts
        self.segments = segments
        self.cues = cues
        self.diagnostics = diagnostics
        self.unassociated = unassociated
        self.captured: list[tuple[Any, ...]] = []


#: What :meth:`_Shortcut.paragraph` returns for a paragraph it has built.
_PLANNED = _Pending({}, (), [], False, 0, 0, 0)


class _Shortcut:
    """The short path for the paragraphs of one ``par`` container (see :mod:`subkit.formats._ttml_shapes`).

    ``begin_ms``/``end_ms`` are the container's interval; ``plans`` the plans of its context.
    """

    __slots__ = ("begin_ms", "context", "end_ms", "origin_ms", "plans", "walker")

    def __init__(self, walker: _Walker, plans: dict[Any, Plan | int], context: tuple[Any, ...], begin_ms: int,
                 end_ms: int | None) -> None:
        self.walker = walker
        self.plans = plans
        self.context = context
        self.begin_ms = begin_ms
        self.end_ms = end_ms
        self.origin_ms = 0 if walker.reader.absolute else begin_ms

    def times(self, begin_ms: int | None, end_ms: int | None) -> tuple[int, int] | None:
        """(start, end) of a ``p`` whose ``begin``/``end`` read as these offsets (``None``: absent), as
        :meth:`_Reader.interval` gives them; ``None`` for the long way (no time at all, an indefinite end,
        or times that look absolute, which it reports)."""
        origin, parent_end = self.origin_ms, self.end_ms
        start = self.begin_ms
        if begin_ms is not None:
            start = origin + begin_ms
            if origin and parent_end is not None and origin <= begin_ms < parent_end < start:
                return None
        if end_ms is not None:
            stop = origin + end_ms
            if parent_end is not None and stop > parent_end:
                stop = parent_end
        elif parent_end is None or begin_ms is None:
            return None
        else:
            stop = parent_end
        return start, stop

    def paragraph(self, p: Any) -> _Pending | None:
        """Build ``p`` from the plan of its shape (``_PLANNED``), or say how to read it the long way.

        ``None``: the long way; a :class:`_Pending`: the long way, recording a plan (see :meth:`record`).
        Only clock times take the short path: not other time expressions, nor ``dur``.
        """
        walker = self.walker
        read = shape_of(p) if walker.plans_on else None
        if read is None:
            return None
        begin_text, end_text, cue_id, shape, texts = read
        clock = walker.clock_ms
        begin_ms = None if begin_text is None else clock(begin_text)
        end_ms = None if end_text is None else clock(end_text)
        if (begin_ms is None and begin_text is not None) or (end_ms is None and end_text is not None):
            return None
        times = self.times(begin_ms, end_ms)
        if times is None:
            return None
        return self.build(self.plans, shape, texts, False, times, cue_id)

    def build(self, plans: dict[Any, Plan | int], shape: Any, texts: list[str | None], segments: bool,
              times: tuple[int, int], cue_id: str | None) -> _Pending | None:
        """Add the cue of a paragraph of ``shape`` from its plan (``_PLANNED``), or say how to read it."""
        start, stop = times
        if stop < start:
            return _PLANNED  # clipped away by its parent: never presented
        plan = plans.get(shape)
        if not isinstance(plan, Plan):
            return self.pending(plans, shape, texts, segments, plan)
        content = plan.content(texts)
        walker = self.walker
        if content:
            if cue_id is not None and cue_id[:3] == "sk." and is_generated_id(cue_id):
                cue_id = None
            walker.cues.append(plan.cue(start, stop, content, cue_id))
        walker.planned += 1
        return _PLANNED

    def scan(self, el: Any, scope: _Scope, begin: Fraction) -> bool:
        """Read a container whose children are all paragraphs from its serialised markup; ``False`` if it is not.

        Paragraphs of the commonest layout (clock ``begin`` and ``end``) are built from the markup;
        the others, and those of a shape without a plan yet, are read the long way from their element.
        """
        walker = self.walker
        found = scan_blocks(el, walker.reader.local) if walker.plans_on and len(el) > 1 else None
        if found is None:
            return False
        head, blocks = found
        plans = walker.plans.setdefault((self.context, head), {})
        prefixes = walker.clock_ms.prefixes
        local = walker.reader.local
        children = iter(el)
        position = 0
        for index, block in enumerate(blocks):
            pending = None
            fields = fast_fields(block, prefixes)
            if fields is not None:
                times = self.times(fields[1], fields[2])
                if times is not None:
                    pending = self.build(plans, fields[3], fields[4], True, times, fields[0])
                    if pending is _PLANNED:
                        continue
            while position < index:  # the elements of the paragraphs built from the markup
                next(children)
                position += 1
            child = next(children)
            position += 1
            if local(child.tag) != "p":
                continue  # a p of another namespace (its own declaration): not TTML's
            if pending is None:
                pending = self.paragraph(child)
                if pending is _PLANNED:
                    continue
            walker.child(child, "p", begin, scope, False, pending, self)
        walker.capture = None
        return True

    def pending(self, plans: dict[Any, Plan | int], shape: Any, texts: list[str | None], segments: bool,
                tries: int | None) -> _Pending | None:
        """A new record of what the long way does with a paragraph of ``shape``, if another try is due."""
        walker = self.walker
        if tries is not None and tries >= _TRIES:
            return None
        if walker.attempts >= _ATTEMPTS and walker.attempts > walker.planned:
            walker.plans_on = False  # shapes hardly repeat in this document: the long way only
            return None
        walker.attempts += 1
        plans[shape] = (tries or 0) + 1
        reader = walker.reader
        return _Pending(plans, shape, texts, segments, len(walker.cues), len(reader.sink.items), reader.unassociated)

    def record(self, pending: _Pending, p: Any) -> None:
        """Keep the plan of ``pending``'s shape, after the long way read ``p``, when it can have one."""
        walker = self.walker
        reader = walker.reader
        walker.capture = None
        if len(reader.sink.items) != pending.diagnostics or reader.unassociated != pending.unassociated:
            return  # the next paragraph of this shape may be quiet
        if len(walker.cues) != pending.cues + 1:
            return  # no cue (no text, or not presented) or several: try again
        cue_id = p.get(_XML_ID)
        if cue_id is not None and is_generated_id(cue_id):
            cue_id = None
        plan = make_plan(p, pending.texts, pending.captured, reader.local, cue_id, pending.segments)
        pending.plans[pending.shape] = _TRIES if plan is None else plan  # no plan: the long way from now on


def _background(own: str | None, parent: str | None) -> str | None:
    """The background behind text: an element's own unless it is transparent, else its parent's."""
    if own is None:
        return parent
    color = parse_color(own)
    if color is None or color.a == 0:
        return parent
    return own


def _display_none(props: dict[str, str]) -> bool:
    value = props.get("display")
    return value is not None and value.strip() == "none"


def _hidden(props: dict[str, str]) -> bool:
    value = props.get("visibility")
    return value is not None and value.strip() == "hidden"


def _has_set(reader: _Reader, el: Any) -> bool:
    """Whether ``el`` has ``set`` children (which may change its display)."""
    return any(isinstance(child.tag, str) and reader.local(child.tag) == "set" for child in el)


def _span_regions(reader: _Reader, p: Any) -> list[str | None]:
    """The declared regions that spans of a ``p`` with no region of its own name, in document order."""
    found: list[str | None] = []
    for el in p.iter():
        if el is p or not isinstance(el.tag, str):
            continue
        region = el.get("region")
        if region is not None and region in reader.regions and region not in found and reader.local(el.tag) == "span":
            found.append(region)
    return found


def _word_spans(reader: _Reader, p: Any, begin: Fraction, end: Fraction | None) -> bool:
    """Whether a ``p`` is word-level timing: kept as one cue with timed words instead of split.

    The rule: timed spans, children of the ``p``, none with timed or animated content of its own,
    following each other without gap or overlap from the ``p``'s begin to its end, with no text outside
    them but white space (and no ``seq`` container, no animation, no region of their own). A TTML
    presentation shows only the active word at each instant; the model keeps the line and its word
    timings (which is what karaoke and word-timed sources mean).
    """
    if p.get("timeContainer") == "seq" or (p.text and p.text.strip()):
        return False
    previous = begin
    count = 0
    for child in p:
        if child.tail and child.tail.strip():
            return False
        local = reader.local(child.tag)
        if local is None and not isinstance(child.tag, str):
            continue
        if local != "span":
            if local == "set" or local == "br":
                return False
            continue
        if child.get("region") is not None or child.get("timeContainer") == "seq":
            return False
        for inner in child.iter():
            if inner is not child and isinstance(inner.tag, str) and (
                    inner.get("begin") is not None or inner.get("end") is not None or inner.get("dur") is not None
                    or reader.local(inner.tag) == "set"):
                return False
        c_begin, c_end, timed = reader.interval(child, begin, end, child.sourceline)
        if not timed or c_end is None or c_begin != previous or c_end < c_begin:
            return False
        previous = c_end
        count += 1
    return count >= 1 and previous == end


def _image_of(div: Any) -> str | None:
    """The ``smpte:backgroundImage`` of a ``div`` (any SMPTE-TT namespace version), if any."""
    for key, value in div.attrib.items():
        if key.endswith("}backgroundImage") and "smpte" in key:
            return str(value)
    return None


def _placement(region: str | None, region_props: dict[str, str], text_align: str | None,
               own_region: bool) -> Placement:
    """The placement of a paragraph: its region (or numpad alignment region) and text alignment."""
    align_match = _ALIGN_REGION.fullmatch(region) if region and own_region else None
    if align_match and _is_align_region(region or "", region_props):
        number = int(align_match.group(1))
        if text_align == _ALIGN_TEXT[number]:
            text_align = None
        return Placement(align=number, text_align=_text_align(text_align))
    model_region = region if region and not _is_align_region(region, region_props) else None
    if model_region or text_align:
        return Placement(region=model_region, text_align=_text_align(text_align))
    return NOWHERE


def _simple_content(p: Any, style: RunStyle) -> tuple[ContentItem, ...] | None:
    """Content of a paragraph holding only text and ``br`` (the common case), or ``None`` for the full walk."""
    lines = [p.text or ""]
    for child in p:
        tag = child.tag
        if not isinstance(tag, str):  # a comment or processing instruction: its tail continues the line
            if child.tail:
                lines[-1] += child.tail
            continue
        if tag[-3:] != "}br" and tag != "br":
            return None
        lines.append(child.tail or "")
    return line_content(lines, style)


def _raw(markup: str) -> Raw:
    return Raw(RAW_FORMAT, markup)


def _ms(value: Fraction) -> int:
    """Milliseconds of exact seconds, rounded half up (integer arithmetic when it is exact)."""
    denominator = value.denominator
    if 1000 % denominator == 0:
        return value.numerator * (1000 // denominator)
    return round_half_up(value * 1000)


def _agent_of(el: Any, legacy: bool) -> str | None:
    """The ``ttm:agent`` attribute in the core or a legacy metadata namespace."""
    value = el.get("{http://www.w3.org/ns/ttml#metadata}agent")
    if value is None and legacy and len(el.attrib):
        for key, found in el.attrib.items():
            if key.endswith("#metadata}agent"):
                return str(found)
    return None if value is None else str(value)


def _is_align_region(region_id: str, props: dict[str, str]) -> bool:
    """Whether a region is one of the writer's numpad regions ``an1``-``an9`` (the whole root container)."""
    return (
        _ALIGN_REGION.fullmatch(region_id) is not None
        and props.get("origin", "0% 0%").split() == ["0%", "0%"]
        and props.get("extent", "100% 100%").split() == ["100%", "100%"]
    )


def _text_align(value: str | None) -> Any:
    if value is None:
        return None
    lowered = value.strip().lower()
    if lowered in ("start", "center", "end", "left", "right"):
        return lowered
    if lowered == "justify":
        return "start"
    return None


def _inherit(reader: _Reader, parent: dict[str, str], own: dict[str, str]) -> dict[str, str]:
    """The specified style of a child: the parent's inheritable properties under its own."""
    if not parent:
        return own
    key = (id(parent), id(own))
    if not own:
        found = reader.merge_cache.get(key)
        if found is None:
            found = parent if _NOT_INHERITED.isdisjoint(parent) else \
                {k: v for k, v in parent.items() if k not in _NOT_INHERITED}
            reader.merge_cache[key] = found
            reader.keep.append((parent, own))
        return found
    found = reader.merge_cache.get(key)
    if found is not None:
        return found
    merged = {k: v for k, v in parent.items() if k not in _NOT_INHERITED}
    merged.update(own)
    reader.merge_cache[key] = merged
    reader.keep.append((parent, own))
    return merged


class _Context:
    """What every walk of one ``p`` shares: the reader, the named style, the cue's language and speaker,
    and the region the walk presents (``None`` without declared regions)."""

    __slots__ = ("associated", "base", "language", "reader", "region", "speaker")

    def __init__(self, reader: _Reader, base: dict[str, str], language: str | None, speaker: str | None,
                 region: str | None, associated: bool) -> None:
        self.reader = reader
        self.base = base
        self.language = language
        self.speaker = speaker
        self.region = region
        self.associated = associated


class _Content:
    """Collects the text pieces of one ``p`` as presented at one instant (or, for word-level timing, over
    its whole interval), then normalises white space and builds runs and words."""

    __slots__ = ("base", "begin", "context", "dynamic", "language", "max_end", "now", "open_words", "p_props",
                 "pieces", "reader", "speaker", "times", "words")

    def __init__(self, context: _Context, begin: Fraction) -> None:
        self.context = context
        self.reader = context.reader
        self.base = context.base
        self.begin = begin
        self.language = context.language
        self.speaker = context.speaker
        # (kind, text, style, word index, preserve): kind 0 text, 1 break, 2 raw.
        self.pieces: list[list[Any]] = []
        # [begin, end, open?]: one entry per word segment, in order.
        self.words: list[list[Any]] = []
        self.max_end: Fraction | None = None
        self.open_words: list[int] = []  # words whose end is the paragraph's, still unknown
        self.p_props: dict[str, str] = _NO_PROPS
        self.now: Fraction | None = None
        self.times: set[Fraction] = set()
        self.dynamic = False  # met a timed span, a seq container or a set: the p changes with time

    def walk(self, el: Any, props: dict[str, str], preserve: bool, background: str | None, begin: Fraction,
             end: Fraction | None, language: str | None, voice: str | None, depth: int,
             word: int | None, now: Fraction | None, times: set[Fraction]) -> None:
        """Walk the ``p`` itself (``now``: the instant presented, ``None`` for every span at once)."""
        self.now = now
        self.times = times
        region = self.context.region if self.context.associated else None
        self.element(el, props, preserve, background, begin, end, language, voice, depth, word, region, True)

    def element(self, el: Any, props: dict[str, str], preserve: bool, background: str | None, begin: Fraction,
                end: Fraction | None, language: str | None, voice: str | None, depth: int, word: int | None,
                region: str | None, is_p: bool = False) -> None:
        reader = self.reader
        line = el.sourceline
        if len(el):
            props = self.animate(el, props, begin, end)
        if is_p:
            self.p_props = props
        if props.get("display") == "none":
            return  # not presented, nor its descendants (display does not inherit, but prunes)
        own_background = props.get("backgroundColor")
        if own_background is not None:
            background = _background(own_background, background)
        language_run = language if language != self.language else None
        voice_run = voice if voice != self.speaker else None
        style = reader.run_style(props, background, self.base, language_run, voice_run, line)
        ruby = props.get("ruby")
        if ruby == "container":
            self.ruby(el, props, preserve, background, begin, end, language, voice, depth, word, region)
            return
        seq = el.get("timeContainer") == "seq"
        # Text is presented in the region of the walk only when it is associated with it; in a seq
        # container, anonymous text has no duration and is never presented.
        shown = (self.context.region is None or region == self.context.region) and not seq \
            and props.get("visibility") != "hidden"
        if el.text and shown:
            self.text(el.text, style, preserve, word)
        clock = begin
        for child in el:
            tag = child.tag
            local = reader.local(tag)
            if local == "span":
                c_end = self.span(child, props, preserve, background, clock if seq else begin, end, seq, language,
                                  voice, depth, word, region)
                if seq:
                    clock = c_end if c_end is not None else clock
            elif local == "br":
                if shown or (self.context.region is None or region == self.context.region):
                    self.pieces.append([1, "\n", None, word, False])
            elif local == "set":
                pass  # applied by animate()
            elif (local is None and isinstance(tag, str) and not _is_metadata(tag)) or local == "animate":
                # Continuous animations and foreign elements: kept in place for the family's writers.
                self.pieces.append([2, _serialise(child, reader.kinds), None, word, False])
            if child.tail and shown:
                self.text(child.tail, style, preserve, word)

    def span(self, child: Any, props: dict[str, str], preserve: bool, background: str | None, begin: Fraction,
             end: Fraction | None, seq: bool, language: str | None, voice: str | None, depth: int,
             word: int | None, region: str | None) -> Fraction | None:
        """Walk a ``span`` child (``begin``: where its times count from); returns its end.

        A span associated with another region than its parent's is pruned everywhere; one that is not
        active at the walk's instant only has its times collected.
        """
        reader = self.reader
        if depth > 100:
            raise reader.sink.fail("span elements nested too deeply", line=child.sourceline)
        c_begin, c_end, timed = reader.interval(child, begin, end, child.sourceline, seq)
        if timed or seq:
            self.dynamic = True
            self.times.add(c_begin)
            if c_end is not None:
                self.times.add(c_end)
        span_region = child.get("region")
        if span_region is not None and span_region in reader.regions:
            if region is not None and span_region != region:
                self.collect(child, c_begin, c_end, depth + 1)
                return c_end  # associated with another region than its parent: pruned everywhere
            region = span_region
        # An untimed span of a par container is active with its parent.
        # Word-level timing (now is None) keeps every word.
        now = self.now
        active = now is None or (not timed and not seq) or (c_begin <= now and (c_end is None or now < c_end))
        if not active:
            self.collect(child, c_begin, c_end, depth + 1)
        else:
            self.active_span(child, props, preserve, background, c_begin, c_end, timed, language, voice, depth,
                             word, region)
        return c_end

    def active_span(self, child: Any, props: dict[str, str], preserve: bool, background: str | None,
                    begin: Fraction, end: Fraction | None, timed: bool, language: str | None, voice: str | None,
                    depth: int, word: int | None, region: str | None) -> None:
        """Walk a span presented at the walk's instant, with what it specifies and inherits."""
        reader = self.reader
        own = reader.own_props(child, child.sourceline)
        c_props = _inherit(reader, props, own) if own else _inherit(reader, props, _NO_PROPS)
        space = child.get("{http://www.w3.org/XML/1998/namespace}space")
        c_preserve = preserve if space is None else space == "preserve"
        lang = child.get("{http://www.w3.org/XML/1998/namespace}lang")
        c_lang = language if lang is None else (lang or None)
        agent = _agent_of(child, reader.legacy)
        c_voice = voice
        if agent:
            c_voice = reader.agents.get(agent.split()[0], agent.split()[0])
        c_word = word
        timed_word = timed and self.now is None
        if timed_word:
            if end is not None and (self.max_end is None or end > self.max_end):
                self.max_end = end
            c_word = len(self.words)
            self.words.append([begin, end])
            self.pieces.append([3, "", None, c_word, False])  # marks where the word starts
        self.element(child, c_props, c_preserve, background, begin, end, c_lang, c_voice, depth + 1, c_word, region)
        if timed_word:
            self.pieces.append([4, "", None, word, False])  # back in the parent's segment

    def animate(self, el: Any, props: dict[str, str], begin: Fraction, end: Fraction | None) -> dict[str, str]:
        """``props`` with the discrete ``set`` animations of ``el`` active at the walk's instant applied."""
        reader = self.reader
        changed: dict[str, str] | None = None
        for child in el:
            if not isinstance(child.tag, str) or reader.local(child.tag) != "set":
                continue
            s_begin, s_end, _ = reader.interval(child, begin, end, child.sourceline)
            self.dynamic = True
            self.times.add(s_begin)
            if s_end is not None:
                self.times.add(s_end)
            now = self.now
            if now is None or now < s_begin or (s_end is not None and now >= s_end):
                continue
            values = reader.own_props(child, child.sourceline)
            if values:
                if changed is None:
                    changed = dict(props)
                changed.update(values)
        if changed is None:
            return props
        reader.keep.append(changed)
        return changed

    def collect(self, el: Any, begin: Fraction, end: Fraction | None, depth: int) -> None:
        """Record the times of an element that is not presented at the walk's instant (it may be later)."""
        if depth > 100:
            return
        reader = self.reader
        seq = el.get("timeContainer") == "seq"
        clock = begin
        for child in el:
            local = reader.local(child.tag)
            if local == "span" or local == "set":
                c_begin, c_end, timed = reader.interval(child, clock if seq else begin, end, child.sourceline,
                                                        seq)
                if seq:
                    clock = c_end if c_end is not None else clock
                if timed or seq or local == "set":
                    self.times.add(c_begin)
                    if c_end is not None:
                        self.times.add(c_end)
                if local == "span":
                    self.collect(child, c_begin, c_end, depth + 1)

    def ruby(self, el: Any, props: dict[str, str], preserve: bool, background: str | None, begin: Fraction,
             end: Fraction | None, language: str | None, voice: str | None, depth: int, word: int | None,
             region: str | None) -> None:
        """A ruby container: its base text becomes runs carrying the annotation (``RunStyle.ruby``).

        Delimiters (shown only where ruby is not supported) are left out; several annotations (above
        and below) are joined with a space.
        """
        reader = self.reader
        annotations: list[str] = []
        start = len(self.pieces)
        for child in el:
            if reader.local(child.tag) != "span":
                continue
            own = reader.own_props(child, child.sourceline)
            kind = own.get("ruby", "")
            if kind in ("text", "textContainer"):
                text = " ".join("".join(child.itertext()).split())
                if text:
                    annotations.append(text)
            elif kind != "delimiter":
                c_props = _inherit(reader, props, own)
                self.element(child, c_props, preserve, background, begin, end, language, voice, depth + 1, word,
                             region)
        if annotations:
            annotation = " ".join(annotations)
            for piece in self.pieces[start:]:
                if piece[0] == 0 and piece[2] is not None:
                    piece[2] = piece[2].merged(ruby=annotation)

    def text(self, text: str, style: RunStyle, preserve: bool, word: int | None) -> None:
        if preserve:
            parts = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            for index, part in enumerate(parts):
                if index:
                    self.pieces.append([1, "\n", None, word, True])
                if part:
                    self.pieces.append([0, part, style, word, True])
        else:
            self.pieces.append([0, text, style, word, False])

    def finish(self, end: Fraction | None) -> tuple[tuple[ContentItem, ...], tuple[Word, ...]]:
        content = finish_pieces(self.pieces, _raw)
        if not self.words:
            return content, ()
        return content, self._words(end)

    def _words(self, p_end: Fraction | None) -> tuple[Word, ...]:
        """Word segments from the pieces: timed spans, and the untimed text between them."""
        segments: list[list[Any]] = []  # [text, begin, end]
        p_begin = self.begin
        current: list[Any] | None = None
        for piece in self.pieces:
            kind = piece[0]
            if kind == 3:
                begin, end = self.words[piece[3]]
                current = ["", begin, end if end is not None else p_end, True]
                segments.append(current)
            elif kind == 4:
                current = None
            elif kind == 0 or kind == 1:
                if current is None:
                    current = ["", p_begin, p_end if p_end is not None else p_begin, False]
                    segments.append(current)
                current[0] += piece[1]
        # Untimed white space between timed words belongs to the word before it.
        merged: list[list[Any]] = []
        for segment in segments:
            if not segment[3] and not segment[0].strip(" \n") and merged:
                merged[-1][0] += segment[0]
                continue
            merged.append(segment)
        if merged and not merged[0][3] and not merged[0][0].strip(" \n") and len(merged) > 1:
            merged[1][0] = merged[0][0] + merged[1][0]
            merged.pop(0)
        words: list[Word] = []
        low = _ms(p_begin)
        high = _ms(p_end) if p_end is not None else None
        for text, begin, end, _timed in merged:
            # A word lies within its cue: spans are clipped to their parent's interval.
            start_ms = max(_ms(begin), low)
            if end is None:  # no end up to the paragraph: settled with the paragraph's end, later
                self.open_words.append(len(words))
                end = begin
            end_ms = max(start_ms, _ms(end))
            if high is not None:
                start_ms, end_ms = min(start_ms, high), min(end_ms, high)
            words.append(Word(text=text, start_ms=start_ms, end_ms=end_ms))
        return tuple(words)


def _is_metadata(tag: str) -> bool:
    return tag.endswith("}metadata")


_PREFIXES = {"tts": "tts", "ttp": "ttp", "ttm": "ttm", "xml": "xml", "itts": "itts", "ebutts": "ebutts"}


def _serialise(el: Any, kinds: _Kinds | None = None, local_of: Any = None) -> str:
    """Markup of an element kept as :class:`Raw`, with the family's usual prefixes.

    The element is written without namespace declarations for the TTML
    namespaces (every family writer declares ``tts``, ``ttp`` and ``ttm``), so
    the markup is the same whichever document it came from; a foreign element
    declares its own namespace.
    """
    kinds = kinds or _Kinds()
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag.startswith("{"):
        ns, local = tag[1:].split("}", 1)
        if ns in TT_NAMESPACES:
            name, declare = local, ""
        else:
            name, declare = f"x:{local}", f' xmlns:x="{_quote(ns)}"'
    else:
        name, declare = tag, ""
    parts = [f"<{name}{declare}"]
    for key, value in el.attrib.items():
        kind, local = kinds(key)
        prefix = _PREFIXES.get(kind)
        if kind == "none":
            parts.append(f' {local}="{_quote(value)}"')
        elif prefix is not None:
            parts.append(f' {prefix}:{local}="{_quote(value)}"')
    inner: list[str] = []
    if el.text:
        inner.append(_text(el.text))
    for child in el:
        if isinstance(child.tag, str):
            inner.append(_serialise(child, kinds))
        if child.tail:
            inner.append(_text(child.tail))
    if inner:
        return "".join(parts) + ">" + "".join(inner) + f"</{name}>"
    return "".join(parts) + "/>"


def _text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _quote(text: str) -> str:
    return _text(text).replace('"', "&quot;")
