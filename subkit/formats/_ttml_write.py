"""The TTML-family writer, one :class:`Profile` per format: IMSC1 text (``ttml``), ``dfxp``, ``ebu_tt_d``.

The document is written in media time (``hh:mm:ss.mmm``), one ``<p>`` per
cue inside a single ``<div>``:

* named styles become ``<style>`` elements referenced by the cue's ``style``;
  run overrides become ``<span>`` attributes, hard breaks ``<br/>``;
* model regions become ``<region>`` elements; a numpad alignment without a
  region becomes one of the regions ``an1`` ... ``an9`` (the whole root
  container, ``displayAlign`` from the row) with ``tts:textAlign`` from the
  column, which the reader maps back to the alignment. When any region is
  written, the ``div`` flows into ``an2`` (bottom centre) so that cues without
  a region stay visible;
* timed words become ``<span begin end>`` around their text (times relative to
  the paragraph), which the reader turns back into words;
* speakers become ``ttm:agent`` references to agents declared in the head;
* text whose spaces would not survive XML white-space collapsing is written
  with ``xml:space="preserve"``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from subkit.formats._features import report_unsupported
from subkit.formats._ttml_common import (
    NS_EBUTTM,
    NS_EBUTTS,
    NS_ITTP,
    NS_ITTS,
    format_color,
    is_ncname,
)
from subkit.formats._ttml_read import RAW_FORMAT
from subkit.model import Cue, Document, LineBreak, LossReport, Raw, Run, RunStyle, Style

__all__ = ["DFXP", "EBU_TT_D", "IMSC1", "Profile", "write_document"]


@dataclass(frozen=True, slots=True)
class Profile:
    """What one family member writes.

    Attributes:
        name: the format identifier.
        ns: the element namespace; ``ns_tts``/``ns_ttp``/``ns_ttm`` the attribute ones.
        designator: the ``ttp:profile`` value, if any.
        agents: whether speakers are written as ``ttm:agent``.
        forced: whether forced cues are written (``itts:forcedDisplay``).
        px_fonts: whether pixel font sizes may be written.
        root_extent: whether ``tts:extent`` may appear on ``tt`` (needed with pixel sizes in IMSC).
        always_regions: every paragraph must flow into a region (EBU-TT-D).
        images: whether image captions (``smpte:backgroundImage``) are written.
        frame_rate: whether ``ttp:frameRate`` is written for a document with a frame rate.
        features: the feature keys the writer expresses.
    """

    name: str
    ns: str
    ns_tts: str
    ns_ttp: str
    ns_ttm: str
    designator: str | None
    agents: bool
    forced: bool
    px_fonts: bool
    root_extent: bool
    always_regions: bool
    images: bool
    frame_rate: bool
    features: frozenset[str]


_COMMON = frozenset(
    {"italic", "bold", "underline", "strike", "color", "background", "font", "language", "alignment", "region",
     "word-timing", "id", "styles", "regions"}
)
#: IMSC1 text profile (``ttml``).
IMSC1 = Profile(
    name="ttml", ns="http://www.w3.org/ns/ttml", ns_tts="http://www.w3.org/ns/ttml#styling",
    ns_ttp="http://www.w3.org/ns/ttml#parameter", ns_ttm="http://www.w3.org/ns/ttml#metadata",
    designator="http://www.w3.org/ns/ttml/profile/imsc1/text", agents=True, forced=True, px_fonts=True,
    root_extent=True, always_regions=False, images=True, frame_rate=True,
    features=_COMMON | {"speaker", "voice", "forced"},
)
#: The 2006/10 DFXP draft namespace (``dfxp``).
DFXP = Profile(
    name="dfxp", ns="http://www.w3.org/2006/10/ttaf1", ns_tts="http://www.w3.org/2006/10/ttaf1#styling",
    ns_ttp="http://www.w3.org/2006/10/ttaf1#parameter", ns_ttm="http://www.w3.org/2006/10/ttaf1#metadata",
    designator=None, agents=True, forced=False, px_fonts=True, root_extent=True, always_regions=False,
    images=False, frame_rate=True, features=_COMMON | {"speaker", "voice"},
)
#: EBU-TT-D (EBU Tech 3380, ``ebu_tt_d``).
EBU_TT_D = Profile(
    name="ebu_tt_d", ns="http://www.w3.org/ns/ttml", ns_tts="http://www.w3.org/ns/ttml#styling",
    ns_ttp="http://www.w3.org/ns/ttml#parameter", ns_ttm="http://www.w3.org/ns/ttml#metadata",
    designator=None, agents=False, forced=False, px_fonts=False, root_extent=False, always_regions=True,
    images=False, frame_rate=False, features=_COMMON,
)

_DISPLAY_ALIGN = {1: "after", 2: "after", 3: "after", 4: "center", 5: "center", 6: "center", 7: "before",
                  8: "before", 9: "before"}
_TEXT_ALIGN = {1: "left", 4: "left", 7: "left", 2: "center", 5: "center", 8: "center", 3: "right", 6: "right",
               9: "right"}
#: SMPTE-TT namespace (ST 2052-1:2010), for image captions.
NS_SMPTE = "http://www.smpte-ra.org/schemas/2052-1/2010/smpte-tt"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EXTRA_PREFIXES = ("ttml.tts:", "ttml.itts:", "ttml.ebutts:")
_UNMAPPED_STYLE_FIELDS = ("secondary_color", "outline_color", "weight", "scale_x", "scale_y", "spacing", "angle",
                          "border_style", "outline", "shadow", "align", "margin_l", "margin_r", "margin_v",
                          "encoding")


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    return text


def _attr(text: str) -> str:
    return _escape(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


class _Clock:
    """``hh:mm:ss.mmm`` with the ``hh:mm:`` prefix cached per minute."""

    __slots__ = ("minute", "prefix")

    def __init__(self) -> None:
        self.minute = -1
        self.prefix = ""

    def __call__(self, ms: int) -> str:
        minute, rest = divmod(ms, 60_000)
        if minute != self.minute:
            self.minute = minute
            hours, minutes = divmod(minute, 60)
            self.prefix = f"{hours:02d}:{minutes:02d}:"
        return f"{self.prefix}{rest // 1000:02d}.{rest % 1000:03d}"


class _Writer:
    def __init__(self, doc: Document, profile: Profile, report: LossReport) -> None:
        self.doc = doc
        self.profile = profile
        self.report = report
        self.clock = _Clock()
        self.span_cache: dict[RunStyle, str] = {}
        self.agents: dict[str, str] = {}
        self.ids: set[str] = set()
        self.uses_px = False
        self.style_ids: dict[str, str] = {}

    # -------------------------------------------------------------- attributes

    def font_size(self, size: float) -> str:
        """``tts:fontSize`` in pixels, or nothing (reported) when the profile has no pixel lengths."""
        if not self.profile.px_fonts:
            self.report.add("font", "pixel font sizes dropped (the profile has no px lengths)")
            return ""
        self.uses_px = True
        return f' tts:fontSize="{_number(size)}px"'

    def span_attrs(self, style: RunStyle) -> str:
        found = self.span_cache.get(style)
        if found is not None:
            return found
        parts: list[str] = []
        if style.italic is not None:
            parts.append(f' tts:fontStyle="{"italic" if style.italic else "normal"}"')
        if style.bold is not None or style.weight is not None:
            bold = style.bold if style.bold is not None else (style.weight or 400) >= 600
            parts.append(f' tts:fontWeight="{"bold" if bold else "normal"}"')
        parts.append(_decoration(style.underline, style.strike))
        if style.color is not None:
            parts.append(f' tts:color="{format_color(style.color)}"')
        if style.background is not None:
            parts.append(f' tts:backgroundColor="{format_color(style.background)}"')
        if style.font_family is not None:
            parts.append(f' tts:fontFamily="{_attr(style.font_family)}"')
        if style.font_size is not None:
            parts.append(self.font_size(style.font_size))
        if style.language is not None:
            parts.append(f' xml:lang="{_attr(style.language)}"')
        if style.voice is not None and self.profile.agents:
            parts.append(f' ttm:agent="{self.agent(style.voice)}"')
        text = "".join(parts)
        self.span_cache[style] = text
        return text

    def agent(self, name: str) -> str:
        found = self.agents.get(name)
        if found is None:
            candidate = name if is_ncname(name) and name not in self.ids else f"agent{len(self.agents) + 1}"
            while candidate in self.ids:
                candidate += "_"
            self.ids.add(candidate)
            found = self.agents[name] = candidate
        return found

    # -------------------------------------------------------------- content

    def content(self, cue: Cue, index: int, out: list[str]) -> None:
        items = cue.content
        words = cue.words if cue.words and "word-timing" in self.profile.features else ()
        if words and not cue.words_align():
            self.report.add("word-timing", "word timings that do not match the cue text dropped", cue=index)
            words = ()
        if not words:
            for item in items:
                self.item(item, out)
            return
        # Cut the content at the word boundaries (character offsets in the plain text).
        bounds: list[int] = []
        total = 0
        for word in words:
            total += len(word.text)
            bounds.append(total)
        word_index = 0
        position = 0
        self.open_word(cue, words[0], index, out)
        for item in items:
            if isinstance(item, Run):
                text = item.text
                while text:
                    while word_index < len(words) - 1 and position >= bounds[word_index]:
                        out.append("</span>")
                        word_index += 1
                        self.open_word(cue, words[word_index], index, out)
                    take = bounds[word_index] - position if word_index < len(words) - 1 else len(text)
                    piece, text = text[:take], text[take:]
                    self.item(Run(piece, item.style), out)
                    position += len(piece)
            elif isinstance(item, LineBreak):
                while word_index < len(words) - 1 and position >= bounds[word_index]:
                    out.append("</span>")
                    word_index += 1
                    self.open_word(cue, words[word_index], index, out)
                out.append("<br/>")
                position += 1
            else:
                self.item(item, out)
        while word_index < len(words) - 1:  # empty words at the end
            out.append("</span>")
            word_index += 1
            self.open_word(cue, words[word_index], index, out)
        out.append("</span>")

    def open_word(self, cue: Cue, word: Any, index: int, out: list[str]) -> None:
        start = word.start_ms - cue.start_ms
        end = word.end_ms - cue.start_ms
        if start < 0 or end > cue.end_ms - cue.start_ms:
            self.report.add("word-timing", "word times outside their cue clipped to it", cue=index)
            start = min(max(start, 0), cue.end_ms - cue.start_ms)
            end = min(max(end, start), cue.end_ms - cue.start_ms)
        out.append(f'<span begin="{self.clock(start)}" end="{self.clock(end)}">')

    def item(self, item: Any, out: list[str]) -> None:
        if type(item) is Run:
            style = item.style
            if style.is_plain():
                out.append(_escape(item.text))
            else:
                out.append(f"<span{self.span_attrs(style)}>{_escape(item.text)}</span>")
        elif type(item) is LineBreak:
            out.append("<br/>")
        elif isinstance(item, Raw) and item.format == RAW_FORMAT:
            out.append(item.markup)

    # -------------------------------------------------------------- head

    def style_element(self, style: Style) -> str:
        parts: list[str] = []
        if style.font_family is not None:
            parts.append(f' tts:fontFamily="{_attr(style.font_family)}"')
        if style.font_size is not None:
            parts.append(self.font_size(style.font_size))
        if style.primary_color is not None:
            parts.append(f' tts:color="{format_color(style.primary_color)}"')
        if style.back_color is not None:
            parts.append(f' tts:backgroundColor="{format_color(style.back_color)}"')
        if style.bold is not None:
            parts.append(f' tts:fontWeight="{"bold" if style.bold else "normal"}"')
        if style.italic is not None:
            parts.append(f' tts:fontStyle="{"italic" if style.italic else "normal"}"')
        parts.append(_decoration(style.underline, style.strike))
        _append_extras(parts, style.extra)
        if any(getattr(style, name) is not None for name in _UNMAPPED_STYLE_FIELDS):
            self.report.add("styles", "style fields TTML has no attribute for (outline, shadow, margins, "
                            "alignment, scaling, ...) dropped", cue=None)
        return f'<style xml:id="{self.style_ids[style.name]}"{"".join(parts)}/>'


def _append_extras(parts: list[str], extra: Mapping[str, str]) -> None:
    """Append the kept ``tts:``/``itts:``/``ebutts:`` attributes of ``extra`` not already in ``parts``.

    An extra may name an attribute the model's own fields wrote (an element
    read from TTML keeps its attributes): written twice it would not be
    well-formed XML, so the model's field wins.
    """
    written = {part.split("=", 1)[0].strip() for part in parts if "=" in part}
    for key, value in extra.items():
        name = key[5:]
        if key.startswith(_EXTRA_PREFIXES) and name not in written:
            written.add(name)
            parts.append(f' {name}="{_attr(value)}"')


def _decoration(underline: bool | None, strike: bool | None) -> str:
    """``tts:textDecoration`` for the set switches, or nothing."""
    decoration = []
    if underline is not None:
        decoration.append("underline" if underline else "noUnderline")
    if strike is not None:
        decoration.append("lineThrough" if strike else "noLineThrough")
    return f' tts:textDecoration="{" ".join(decoration)}"' if decoration else ""


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _ncname(text: str, taken: set[str], fallback: str) -> str:
    candidate = text if is_ncname(text) else (re.sub(r"[^\w.\-]", "_", text) or fallback)
    if not is_ncname(candidate):
        candidate = f"{fallback}_{candidate}"
    while candidate in taken:
        candidate += "_"
    taken.add(candidate)
    return candidate


def _needs_preserve(cue: Cue) -> bool:
    for line in cue.plain_text().split("\n"):
        if line != line.strip(" ") or "  " in line or "\t" in line or "\r" in line:
            return True
    return False


def write_document(doc: Document, profile: Profile, report: LossReport) -> str:
    """Serialise ``doc`` in ``profile``; losses go to ``report``.

    Raises:
        UnsupportedFeatureError: the report is strict and something would be lost.
    """
    dropped = report_unsupported(doc, profile.features, report, raw_format=RAW_FORMAT)
    writer = _Writer(doc, profile, report)
    taken = writer.ids
    # Cue ids first: they are the most likely to be referred to from outside.
    cue_ids: list[str | None] = []
    bad_ids = 0
    first_bad: int | None = None
    for index, cue in enumerate(doc.cues):
        cue_id = cue.id
        if cue_id is not None and "id" not in dropped:
            if is_ncname(cue_id) and cue_id not in taken:
                taken.add(cue_id)
                cue_ids.append(cue_id)
                continue
            bad_ids += 1
            first_bad = index if first_bad is None else first_bad
        cue_ids.append(None)
    if bad_ids:
        report.add("id", "cue identifiers that are not unique XML names dropped", cue=first_bad, count=bad_ids)
    for name in doc.styles:
        writer.style_ids[name] = _ncname(name, taken, "style")
    region_ids = {rid: _ncname(rid, taken, "region") for rid in doc.regions}

    body: list[str] = []
    uses_images = False
    clock = writer.clock
    aligned: set[int] = set()
    negative = 0
    first_negative: int | None = None
    for index, cue in enumerate(doc.cues):
        if cue.comment:
            continue
        start, end = cue.start_ms, cue.end_ms
        if start < 0 or end < 0:
            negative += 1
            first_negative = index if first_negative is None else first_negative
            start, end = max(start, 0), max(end, 0)
        image = cue.extra.get("ttml.backgroundImage") if cue.extra else None
        if image is not None and not cue.content:
            if profile.images:
                region = cue.placement.region
                where = f' region="{region_ids[region]}"' if region in region_ids else ""
                body.append(f'<div begin="{clock(start)}" end="{clock(end)}"{where}'
                            f' smpte:backgroundImage="{_attr(image)}"/>\n')
                uses_images = True
            else:
                report.add("image", "image captions (smpte:backgroundImage) dropped", cue=index)
            continue
        attrs = [f'<p begin="{clock(start)}" end="{clock(end)}"']
        cue_id = cue_ids[index]
        if cue_id is not None:
            attrs.insert(0, "")
            attrs[0] = f'<p xml:id="{cue_id}"'
            attrs[1] = attrs[1][2:]
        placement = cue.placement
        region = placement.region
        if region is not None and region in region_ids and "region" not in dropped:
            attrs.append(f' region="{region_ids[region]}"')
            if placement.align is not None:
                report.add("alignment", "alignment of cues in a region dropped (the region places them)",
                           cue=index)
        elif placement.align is not None:
            aligned.add(placement.align)
            attrs.append(f' region="an{placement.align}"')
            if placement.text_align is None:
                attrs.append(f' tts:textAlign="{_TEXT_ALIGN[placement.align]}"')
        elif region is not None and "region" not in dropped:
            report.add("region", "references to regions the document does not define dropped", cue=index)
        if cue.style is not None and cue.style in writer.style_ids:
            attrs.append(f' style="{writer.style_ids[cue.style]}"')
        if placement.text_align is not None:
            attrs.append(f' tts:textAlign="{placement.text_align}"')
        if cue.speaker is not None and profile.agents:
            attrs.append(f' ttm:agent="{writer.agent(cue.speaker)}"')
        if cue.language is not None:
            attrs.append(f' xml:lang="{_attr(cue.language)}"')
        if cue.forced and profile.forced:
            attrs.append(' itts:forcedDisplay="true"')
        if cue.extra:
            _append_extras(attrs, cue.extra)
        if _needs_preserve(cue):
            attrs.append(' xml:space="preserve"')
        attrs.append(">")
        body.append("".join(attrs))
        writer.content(cue, index, body)
        body.append("</p>\n")
    if negative:
        report.add("negative-time", "negative times clamped to 00:00:00.000", cue=first_negative, count=negative)

    use_regions = bool(region_ids) or bool(aligned) or profile.always_regions
    if use_regions:
        aligned.add(2)

    # ------------------------------------------------------------ the document head
    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    root = [f'<tt xmlns="{profile.ns}" xmlns:tts="{profile.ns_tts}" xmlns:ttp="{profile.ns_ttp}"'
            f' xmlns:ttm="{profile.ns_ttm}"']
    if profile.forced:
        root.append(f' xmlns:itts="{NS_ITTS}" xmlns:ittp="{NS_ITTP}"')
    style_lines = [writer.style_element(style) for style in doc.styles.values()]
    region_lines = [_region_element(region_ids[rid], region, report) for rid, region in doc.regions.items()]
    used = "".join(body) + "".join(style_lines) + "".join(region_lines) if not profile.forced else ""
    if not profile.forced and " itts:" in used:
        root.append(f' xmlns:itts="{NS_ITTS}"')
    if profile.name == "ebu_tt_d" or " ebutts:" in used or (profile.forced and _uses_ebutts(body, style_lines,
                                                                                             region_lines)):
        root.append(f' xmlns:ebuttm="{NS_EBUTTM}" xmlns:ebutts="{NS_EBUTTS}"')
    if uses_images:
        root.append(f' xmlns:smpte="{NS_SMPTE}"')
    if profile.designator:
        root.append(f' ttp:profile="{profile.designator}"')
    root.append(' ttp:timeBase="media"')
    rate = doc.frame_rate
    if rate is not None and profile.frame_rate:
        # The effective rate as TTML spells it: an integer rate and, for 29.97 and the like, a multiplier.
        nominal = round(rate)
        if nominal > 0 and rate == nominal:
            root.append(f' ttp:frameRate="{nominal}"')
        elif nominal > 0 and rate * 1001 == nominal * 1000:
            root.append(f' ttp:frameRate="{nominal}" ttp:frameRateMultiplier="1000 1001"')
    cells = doc.header.get("ttml.cellResolution")
    if cells:
        root.append(f' ttp:cellResolution="{_attr(cells)}"')
    if doc.language:
        root.append(f' xml:lang="{_attr(doc.language)}"')
    else:
        root.append(' xml:lang=""')
    if profile.root_extent and (doc.canvas is not None or writer.uses_px):
        width, height = doc.canvas or (1920, 1080)
        root.append(f' tts:extent="{width}px {height}px"')
    root.append(">\n")
    out.append("".join(root))
    out.append("<head>\n")
    metadata: list[str] = []
    if doc.title:
        metadata.append(f"<ttm:title>{_escape(doc.title)}</ttm:title>\n")
    for name, agent_id in writer.agents.items():
        metadata.append(f'<ttm:agent xml:id="{agent_id}" type="person"><ttm:name type="full">{_escape(name)}'
                        "</ttm:name></ttm:agent>\n")
    if profile.name == "ebu_tt_d":
        metadata.append("<ebuttm:documentMetadata><ebuttm:conformsToStandard>urn:ebu:tt:distribution:2014-01"
                        "</ebuttm:conformsToStandard></ebuttm:documentMetadata>\n")
    if metadata:
        out.append("<metadata>\n")
        out.extend(metadata)
        out.append("</metadata>\n")
    if style_lines:
        out.append("<styling>\n")
        out.extend(line + "\n" for line in style_lines)
        out.append("</styling>\n")
    if use_regions:
        out.append("<layout>\n")
        out.extend(region_lines)
        for number in sorted(aligned):
            out.append(f'<region xml:id="an{number}" tts:origin="0% 0%" tts:extent="100% 100%"'
                       f' tts:displayAlign="{_DISPLAY_ALIGN[number]}"/>\n')
        out.append("</layout>\n")
    out.append("</head>\n")
    out.append('<body>\n<div region="an2">\n' if use_regions else "<body>\n<div>\n")
    out.extend(body)
    out.append("</div>\n</body>\n</tt>\n")
    return "".join(out)


#: Height of one line of a WebVTT region, in % of the video height (WebVTT: 0.0533 vh per line).
_VTT_LINE = 5.33


def _from_webvtt(region: Any) -> tuple[tuple[float, float], tuple[float, float]]:
    """Origin and extent (in %) of a WebVTT region: its width, ``lines`` lines, placed by its two anchors."""
    width = float(region.width)
    height = min(100.0, _VTT_LINE * (region.lines if region.lines is not None else 3))
    anchor_x, anchor_y = region.region_anchor or (0.0, 100.0)
    view_x, view_y = region.viewport_anchor or (0.0, 100.0)
    x = min(max(view_x - anchor_x * width / 100, 0.0), 100.0 - width)
    y = min(max(view_y - anchor_y * height / 100, 0.0), 100.0 - height)
    return (round(x, 2), round(y, 2)), (round(width, 2), round(height, 2))


def _uses_ebutts(*parts: list[str]) -> bool:
    return any(" ebutts:" in text for part in parts for text in part)


def _region_element(region_id: str, region: Any, report: LossReport) -> str:
    parts = [f'<region xml:id="{region_id}"']
    origin = region.origin
    extent = region.extent
    if origin is None and extent is None and region.width is not None:
        origin, extent = _from_webvtt(region)
    origin = origin or (0.0, 0.0)
    extent = extent or (100.0, 100.0)
    parts.append(f' tts:origin="{_number(origin[0])}% {_number(origin[1])}%"')
    parts.append(f' tts:extent="{_number(extent[0])}% {_number(extent[1])}%"')
    if region.display_align:
        parts.append(f' tts:displayAlign="{_attr(region.display_align)}"')
    if region.writing_mode:
        parts.append(f' tts:writingMode="{_attr(region.writing_mode)}"')
    _append_extras(parts, region.extra)
    if region.width is not None or region.lines is not None or region.region_anchor is not None \
            or region.viewport_anchor is not None or region.scroll is not None:
        report.add("regions", "WebVTT regions approximated by an origin and extent (scrolling dropped)")
    parts.append("/>\n")
    return "".join(parts)
