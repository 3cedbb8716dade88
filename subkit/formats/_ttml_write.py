"""The TTML-family writer, one :class:`Profile` per format: IMSC1 text (``ttml``), ``dfxp``, ``ebu_tt_d``.

The document is written in media time (``hh:mm:ss.mmm``), one ``<p>`` per
cue, in document order:

* named styles become ``<style>`` elements referenced by the cue's ``style``;
  run overrides become ``<span>`` attributes (EBU-TT-D: a generated style
  ``sk.sN`` the span refers to, as the profile allows no inline styling),
  hard breaks ``<br/>``;
* model regions become ``<region>`` elements; a numpad alignment without a
  region becomes one of the regions ``an1`` ... ``an9`` (the whole root
  container, ``displayAlign`` from the row) with ``tts:textAlign`` from the
  column, which the reader maps back to the alignment;
* region association (TTML1 §9.3.2): a paragraph with a region names it
  itself and sits in a ``<div>`` without one; paragraphs without a region sit
  in a ``<div region="an2">`` (bottom centre), so that they stay visible once
  regions exist. A ``div`` that named a region would hide every paragraph
  naming another one, so consecutive paragraphs of each kind share a ``div``;
* timed words are carried in the paragraph's ``metadata``
  (:mod:`subkit.formats._ttml_words`): timed spans would make players show one
  word at a time;
* speakers become ``ttm:agent`` references to agents declared in the head;
* text whose spaces would not survive XML white-space collapsing is written
  with ``xml:space="preserve"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from subkit._lang import writer_language
from subkit.errors import ConfigError
from subkit.formats._base import BaseWriteOptions
from subkit.formats._lower import Lowering, lower
from subkit.formats._ttml_common import (
    NS_EBUTTM,
    NS_EBUTTS,
    NS_ITTP,
    NS_ITTS,
    format_color,
    is_generated_id,
    is_ncname,
)
from subkit.formats._ttml_read import RAW_FORMAT
from subkit.formats._ttml_words import NS_SUBKIT, words_metadata
from subkit.model import Color, Cue, Document, LineBreak, LossReport, Raw, Run, RunStyle, Style, Word
from subkit.timing import format_timecode, ms_to_frames, parse_fps

__all__ = ["DFXP", "EBU_TT_D", "IMSC1", "ITT", "LOWERING", "PROFILES", "Profile", "Timing", "write_document"]


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
        by_reference: EBU-TT-D rules: styling only through ``style`` elements, an ``xml:id`` on every
            paragraph, only the attributes and values the EBU-TT-D schema allows.
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
    by_reference: bool = False
    designator_attr: str = "ttp:profile"
    smpte_allowed: bool = True


_COMMON = frozenset(
    {"italic", "bold", "underline", "strike", "color", "background", "font", "language", "alignment", "region",
     "word-timing", "karaoke", "id", "styles", "regions"}
)
#: IMSC1 text profile (``ttml``).
IMSC1 = Profile(
    name="ttml", ns="http://www.w3.org/ns/ttml", ns_tts="http://www.w3.org/ns/ttml#styling",
    ns_ttp="http://www.w3.org/ns/ttml#parameter", ns_ttm="http://www.w3.org/ns/ttml#metadata",
    designator="http://www.w3.org/ns/ttml/profile/imsc1/text", agents=True, forced=True, px_fonts=True,
    root_extent=True, always_regions=False, images=True, frame_rate=True,
    features=_COMMON | {"speaker", "voice", "forced"},
)
#: Apple iTunes Timed Text (``itt``): SMPTE time base, frame-based times, no profile designator.
ITT = Profile(
    name="itt", ns="http://www.w3.org/ns/ttml", ns_tts="http://www.w3.org/ns/ttml#styling",
    ns_ttp="http://www.w3.org/ns/ttml#parameter", ns_ttm="http://www.w3.org/ns/ttml#metadata",
    designator=None, agents=False, forced=False, px_fonts=False, root_extent=False, always_regions=True,
    images=False, frame_rate=True, features=_COMMON - {"word-timing", "karaoke"},
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
    images=False, frame_rate=False, features=_COMMON - {"strike"}, by_reference=True, smpte_allowed=False,
)
#: The ``profile`` writer option of ``ttml``: the IMSC1 text profile with another designator, or another member.
PROFILES: dict[str, Profile] = {
    "imsc1": replace(IMSC1, smpte_allowed=False),
    "imsc1.1": replace(IMSC1, designator="http://www.w3.org/ns/ttml/profile/imsc1.1/text",
                       designator_attr="ttp:contentProfiles", smpte_allowed=False),
    "smpte-tt": replace(IMSC1, designator="http://www.smpte-ra.org/schemas/2052-1/2010/profiles/smpte-tt-full"),
    "dfxp-full": replace(IMSC1, designator="http://www.w3.org/ns/ttml/profile/dfxp-full"),
    "none": replace(IMSC1, designator=None),
    "ebu-tt-d": EBU_TT_D,
    "dfxp": DFXP,
    "itt": ITT,
}


@dataclass(frozen=True, slots=True)
class Timing:
    """How the writer spells times and names the document's language.

    Attributes:
        language: ``xml:lang`` of the root (default: the document's language).
        fps: the frame rate for ``ttp:frameRate`` and frame-based times (default: the document's).
        frames: write clock times with frames (``hh:mm:ss:ff``) instead of milliseconds.
        smpte: ``ttp:timeBase="smpte"`` (times are SMPTE timecodes; implies ``frames``).
    """

    language: str | None = None
    fps: str | Fraction | None = None
    frames: bool = False
    smpte: bool = False


class _FrameClock:
    """``hh:mm:ss:ff``: media time (whole seconds plus frames at the effective rate) or SMPTE labels."""

    __slots__ = ("nominal", "rate", "smpte")

    def __init__(self, rate: Fraction, smpte: bool) -> None:
        self.rate = rate
        self.nominal = round(rate)
        self.smpte = smpte

    def __call__(self, ms: int) -> str:
        if self.smpte:
            return format_timecode(ms_to_frames(ms, self.rate), self.rate)
        seconds, rest = divmod(ms, 1000)
        frame = ms_to_frames(rest, self.rate)
        if frame >= self.nominal:
            seconds, frame = seconds + 1, 0
        minutes, second = divmod(seconds, 60)
        hours, minute = divmod(minutes, 60)
        return f"{hours:02d}:{minute:02d}:{second:02d}:{frame:02d}"

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
        self.clock: Callable[[int], str] = _Clock()
        self.span_cache: dict[RunStyle, str] = {}
        self.agents: dict[str, str] = {}
        self.ids: set[str] = set()
        self.uses_px = False
        self.style_ids: dict[str, str] = {}
        #: Styles generated for one element's attributes (EBU-TT-D): attribute text -> id, in order.
        self.generated: dict[str, str] = {}
        self.uses_words = False
        self.raw_dropped = 0
        self.first_raw: int | None = None
        self.cue_index = 0
        self.uses_images = False
        self.aligned: set[int] = set()  # numpad alignments written as regions an1 ... an9
        self.next_id = 0  # of the generated paragraph ids (EBU-TT-D)

    # -------------------------------------------------------------- attributes

    def font_size(self, size: float) -> str:
        """``tts:fontSize`` in pixels, or nothing (reported) when the profile has no pixel lengths."""
        if not self.profile.px_fonts:
            self.report.add("font", "pixel font sizes dropped (the profile has no px lengths)")
            return ""
        self.uses_px = True
        return f' tts:fontSize="{_number(size)}px"'

    def decoration(self, underline: bool | None, strike: bool | None) -> str:
        """``tts:textDecoration`` for the set switches (EBU-TT-D: ``underline`` or ``none`` only)."""
        if self.profile.by_reference:
            return "" if underline is None else f' tts:textDecoration="{"underline" if underline else "none"}"'
        return _decoration(underline, strike)

    def generated_style(self, attrs: str) -> str:
        """The id of the generated style holding ``attrs`` (made on first use)."""
        found = self.generated.get(attrs)
        if found is None:
            number = len(self.generated) + 1
            while f"sk.s{number}" in self.ids:
                number += 1
            found = self.generated[attrs] = f"sk.s{number}"
            self.ids.add(found)
        return found

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
        parts.append(self.decoration(style.underline, style.strike))
        if style.color is not None:
            parts.append(f' tts:color="{format_color(style.color)}"')
        if style.background is not None:
            parts.append(f' tts:backgroundColor="{format_color(style.background)}"')
        if style.font_family is not None:
            parts.append(f' tts:fontFamily="{_attr(style.font_family)}"')
        if style.font_size is not None:
            parts.append(self.font_size(style.font_size))
        styling = "".join(parts)
        if self.profile.by_reference and styling:
            styling = f' style="{self.generated_style(styling)}"'
        if style.language is not None:
            styling += f' xml:lang="{_attr(style.language)}"'
        if style.voice is not None and self.profile.agents:
            styling += f' ttm:agent="{self.agent(style.voice)}"'
        self.span_cache[style] = styling
        return styling

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
        words = cue.words if cue.words and "word-timing" in self.profile.features else ()
        if words and not cue.words_align():
            self.report.add("word-timing", "word timings that do not match the cue text dropped", cue=index)
            words = ()
        if words:
            out.append(words_metadata(self.clip_words(cue, words, index), cue.start_ms, self.clock))
            self.uses_words = True
        self.cue_index = index
        for item in cue.content:
            self.item(item, out)

    def clip_words(self, cue: Cue, words: tuple[Word, ...], index: int) -> list[Word]:
        """``words`` within their cue (reported when any was outside it)."""
        start, end = max(cue.start_ms, 0), max(cue.end_ms, 0)
        clipped: list[Word] = []
        outside = False
        for word in words:
            if word.start_ms < start or word.end_ms > end:
                outside = True
                w_start = min(max(word.start_ms, start), end)
                word = Word(text=word.text, start_ms=w_start, end_ms=min(max(word.end_ms, w_start), end),
                            confidence=word.confidence, kind=word.kind)
            clipped.append(word)
        if outside:
            self.report.add("word-timing", "word times outside their cue clipped to it", cue=index)
        return clipped

    def item(self, item: Any, out: list[str]) -> None:
        if type(item) is Run:
            style = item.style
            if style.is_plain():
                out.append(_escape(item.text))
            else:
                attrs = self.span_attrs(style)
                out.append(f"<span{attrs}>{_escape(item.text)}</span>" if attrs else _escape(item.text))
        elif type(item) is LineBreak:
            out.append("<br/>")
        elif isinstance(item, Raw) and item.format == RAW_FORMAT:
            if self.profile.by_reference:  # animations and foreign markup are outside EBU-TT-D
                self.raw_dropped += 1
                self.first_raw = self.cue_index if self.first_raw is None else self.first_raw
            else:
                out.append(item.markup)

    # -------------------------------------------------------------- body

    def body_items(self, cue_ids: list[str | None], region_ids: dict[str, str],
                   dropped: set[str]) -> list[tuple[str, bool]]:
        """The body's items: (markup, whether it names its own region), one per cue written."""
        report = self.report
        items: list[tuple[str, bool]] = []
        for index, cue in enumerate(self.doc.cues):  # times already lowered (no negative ones)
            if cue.comment:
                continue
            start, end = cue.start_ms, cue.end_ms
            image = cue.extra.get("ttml.backgroundImage") if cue.extra else None
            if image is not None and not cue.content:
                self.image(items, cue, index, image, start, end, region_ids)
                continue
            items.append(self.paragraph(cue, index, cue_ids[index], start, end, region_ids, dropped))
        if self.raw_dropped:
            report.add("raw", "TTML animations and foreign markup dropped (outside EBU-TT-D)", cue=self.first_raw,
                       count=self.raw_dropped)
        return items

    def image(self, items: list[tuple[str, bool]], cue: Cue, index: int, image: str, start: int, end: int,
              region_ids: dict[str, str]) -> None:
        """An image caption: a ``div`` with ``smpte:backgroundImage`` (or a loss, in profiles without images)."""
        if not self.profile.images:
            self.report.add("image", "image captions (smpte:backgroundImage) dropped", cue=index)
            return
        region = cue.placement.region
        where = f' region="{region_ids[region]}"' if region in region_ids else ""
        items.append((f'<div begin="{self.clock(start)}" end="{self.clock(end)}"{where}'
                      f' smpte:backgroundImage="{_attr(image)}"/>\n', bool(where)))
        self.uses_images = True

    def paragraph(self, cue: Cue, index: int, cue_id: str | None, start: int, end: int,
                  region_ids: dict[str, str], dropped: set[str]) -> tuple[str, bool]:
        """The ``p`` of one cue, and whether it names its own region."""
        profile = self.profile
        if cue_id is None and profile.by_reference:  # EBU-TT-D: every paragraph has an xml:id
            self.next_id += 1
            while f"sk.c{self.next_id}" in self.ids:
                self.next_id += 1
            cue_id = f"sk.c{self.next_id}"
        attrs = [f'<p xml:id="{cue_id}" ' if cue_id is not None else "<p ",
                 f'begin="{self.clock(start)}" end="{self.clock(end)}"']
        styling: list[str] = []  # the paragraph's own styling attributes
        own_region = self.placement_attrs(cue, index, attrs, styling, region_ids, dropped)
        if cue.extra:
            styling.append(self.extra_attrs(cue.extra, _EBU_STYLE if profile.by_reference else None, "paragraph"))
        refs = [self.style_ids[cue.style]] if cue.style is not None and cue.style in self.style_ids else []
        if profile.by_reference and "".join(styling):
            refs.append(self.generated_style("".join(styling)))
            styling = []
        if refs:
            attrs.append(f' style="{" ".join(refs)}"')
        attrs.extend(styling)
        if cue.speaker is not None and profile.agents:
            attrs.append(f' ttm:agent="{self.agent(cue.speaker)}"')
        if cue.language is not None:
            attrs.append(f' xml:lang="{_attr(cue.language)}"')
        if cue.forced and profile.forced:
            attrs.append(' itts:forcedDisplay="true"')
        if _needs_preserve(cue):
            attrs.append(' xml:space="preserve"')
        attrs.append(">")
        paragraph = ["".join(attrs)]
        self.content(cue, index, paragraph)
        paragraph.append("</p>\n")
        return "".join(paragraph), own_region

    def placement_attrs(self, cue: Cue, index: int, attrs: list[str], styling: list[str],
                        region_ids: dict[str, str], dropped: set[str]) -> bool:
        """Add the region and text alignment of a cue's ``p``; whether it names its own region."""
        report = self.report
        placement = cue.placement
        region = placement.region
        own_region = False
        if region is not None and region in region_ids and "region" not in dropped:
            attrs.append(f' region="{region_ids[region]}"')
            own_region = True
            if placement.align is not None:
                report.add("alignment", "alignment of cues in a region dropped (the region places them)",
                           cue=index)
        elif placement.align is not None:
            self.aligned.add(placement.align)
            attrs.append(f' region="an{placement.align}"')
            own_region = True
            if placement.text_align is None:
                styling.append(f' tts:textAlign="{_TEXT_ALIGN[placement.align]}"')
        elif region is not None and "region" not in dropped:
            report.add("region", "references to regions the document does not define dropped", cue=index)
        if placement.text_align is not None:
            styling.append(f' tts:textAlign="{placement.text_align}"')
        return own_region

    # -------------------------------------------------------------- head

    def root_element(self, body: str, style_lines: list[str], region_lines: list[str], rate: Fraction | None,
                     smpte: bool, timing: Timing) -> str:
        """The ``tt`` start tag: namespaces in use, profile, time base, frame rate, language, extent."""
        profile = self.profile
        doc = self.doc
        root = [f'<tt xmlns="{profile.ns}" xmlns:tts="{profile.ns_tts}" xmlns:ttp="{profile.ns_ttp}"'
                f' xmlns:ttm="{profile.ns_ttm}"']
        if profile.forced:
            root.append(f' xmlns:itts="{NS_ITTS}" xmlns:ittp="{NS_ITTP}"')
        used = body + "".join(style_lines) + "".join(region_lines) if not profile.forced else ""
        if not profile.forced and " itts:" in used:
            root.append(f' xmlns:itts="{NS_ITTS}"')
        if profile.name == "ebu_tt_d" or " ebutts:" in used or (profile.forced and _uses_ebutts([body], style_lines,
                                                                                                 region_lines)):
            root.append(f' xmlns:ebuttm="{NS_EBUTTM}" xmlns:ebutts="{NS_EBUTTS}"')
        if self.uses_images:
            root.append(f' xmlns:smpte="{NS_SMPTE}"')
        if self.uses_words:
            root.append(f' xmlns:sk="{NS_SUBKIT}"')
        if profile.designator:
            root.append(f' {profile.designator_attr}="{profile.designator}"')
        root.append(' ttp:timeBase="smpte"' if smpte else ' ttp:timeBase="media"')
        if rate is not None and profile.frame_rate:
            root.append(_rate_attrs(rate, smpte))
        cells = doc.header.get("ttml.cellResolution")
        if cells and (not profile.by_reference or re.fullmatch(r"[1-9][0-9]* [1-9][0-9]*", cells)):
            root.append(f' ttp:cellResolution="{_attr(cells)}"')
        language = timing.language if timing.language is not None else doc.language
        root.append(f' xml:lang="{_attr(language)}"' if language else ' xml:lang=""')
        if profile.root_extent and (doc.canvas is not None or self.uses_px):
            width, height = doc.canvas or (1920, 1080)
            root.append(f' tts:extent="{width}px {height}px"')
        root.append(">\n")
        return "".join(root)

    def head(self, out: list[str], style_lines: list[str], region_lines: list[str], use_regions: bool) -> None:
        """The content of ``head``: metadata (title, agents), styling and layout."""
        profile = self.profile
        metadata: list[str] = []
        if self.doc.title:
            metadata.append(f"<ttm:title>{_escape(self.doc.title)}</ttm:title>\n")
        for name, agent_id in self.agents.items():
            metadata.append(f'<ttm:agent xml:id="{agent_id}" type="person"><ttm:name type="full">{_escape(name)}'
                            "</ttm:name></ttm:agent>\n")
        if profile.name == "ebu_tt_d":
            metadata.append("<ebuttm:documentMetadata><ebuttm:conformsToStandard>urn:ebu:tt:distribution:2014-01"
                            "</ebuttm:conformsToStandard></ebuttm:documentMetadata>\n")
        if metadata:
            out.append("<metadata>\n")
            out.extend(metadata)
            out.append("</metadata>\n")
        if not style_lines and profile.by_reference:  # EBU-TT-D needs at least one style
            style_lines.append(f'<style xml:id="{self.generated_style("")}"/>')
        if style_lines:
            out.append("<styling>\n")
            out.extend(line + "\n" for line in style_lines)
            out.append("</styling>\n")
        if use_regions:
            out.append("<layout>\n")
            out.extend(region_lines)
            for number in sorted(self.aligned):
                out.append(f'<region xml:id="an{number}" tts:origin="0% 0%" tts:extent="100% 100%"'
                           f' tts:displayAlign="{_DISPLAY_ALIGN[number]}"/>\n')
            out.append("</layout>\n")

    def extra_attrs(self, extra: Any, allowed: frozenset[str] | None, what: str) -> str:
        """The ``ttml.<prefix>:<name>`` entries of ``extra`` as attributes (EBU-TT-D: those its schema allows)."""
        parts: list[str] = []
        for key, value in extra.items():
            if not key.startswith(_EXTRA_PREFIXES):
                continue
            name = key[5:]
            if allowed is not None and not _ebu_allows(name, value, allowed):
                self.report.add("styles", f"{what} attributes EBU-TT-D does not allow dropped ({name}=\"{value}\")")
                continue
            parts.append(f' {name}="{_attr(value)}"')
        return "".join(parts)

    def style_element(self, style: Style) -> str:
        parts: list[str] = []
        if style.font_family is not None:
            parts.append(f' tts:fontFamily="{_attr(style.font_family)}"')
        if style.font_size is not None:
            parts.append(self.font_size(style.font_size))
        if style.primary_color is not None:
            parts.append(f' tts:color="{format_color(style.primary_color)}"')
        box = _box_color(style, self.doc.source_format)
        if box is not None:
            parts.append(f' tts:backgroundColor="{format_color(box)}"')
        if style.bold is not None:
            parts.append(f' tts:fontWeight="{"bold" if style.bold else "normal"}"')
        if style.italic is not None:
            parts.append(f' tts:fontStyle="{"italic" if style.italic else "normal"}"')
        if style.strike is not None and self.profile.by_reference:
            self.report.add("strike", "strike-through of named styles dropped (EBU-TT-D has no lineThrough)")
        parts.append(self.decoration(style.underline, style.strike))
        parts.append(self.extra_attrs(style.extra, _EBU_STYLE if self.profile.by_reference else None, "style"))
        if any(getattr(style, name) is not None for name in _UNMAPPED_STYLE_FIELDS) or \
                (style.back_color is not None and box is None):
            self.report.add("styles", "style fields TTML has no attribute for (outline, shadow, margins, "
                            "alignment, scaling, ...) dropped", cue=None)
        return f'<style xml:id="{self.style_ids[style.name]}"{"".join(parts)}/>'


def _box_color(style: Style, source_format: str | None) -> Color | None:
    """The colour of the box behind the text a named style draws, if it draws one (``tts:backgroundColor``).

    ASS styles have no background: ``BackColour`` is the shadow's colour. Only an opaque box draws one:
    ``BorderStyle=3`` in the outline colour, libass's ``BorderStyle=4`` in the back colour. Styles from
    other formats keep their background in ``back_color``.
    """
    if style.border_style == 3:
        return style.outline_color
    if style.border_style == 4:
        return style.back_color
    if style.border_style is None and source_format not in ("ass", "ssa"):
        return style.back_color
    return None


#: Attributes the EBU-TT-D schema allows on ``style`` and ``region`` elements, with their values.
_EBU_LENGTH = r"\+?\d+(?:\.?\d+)?%"
_EBU_VALUES: dict[str, str] = {
    "tts:direction": "ltr|rtl", "tts:fontFamily": r"[^\n]*", "tts:fontSize": _EBU_LENGTH,
    "tts:lineHeight": f"normal|{_EBU_LENGTH}", "tts:textAlign": "left|center|right|start|end",
    "tts:color": "#[0-9a-fA-F]{6}(?:[0-9a-fA-F]{2})?", "tts:backgroundColor": "#[0-9a-fA-F]{6}(?:[0-9a-fA-F]{2})?",
    "tts:fontStyle": "normal|italic", "tts:fontWeight": "normal|bold", "tts:textDecoration": "none|underline",
    "tts:unicodeBidi": "normal|embed|bidiOverride", "tts:wrapOption": "wrap|noWrap",
    "ebutts:multiRowAlign": "start|center|end|auto", "ebutts:linePadding": r"\+?\d+(?:\.?\d+)?c",
    "tts:displayAlign": "before|center|after", "tts:padding": f"{_EBU_LENGTH}(?: {_EBU_LENGTH}){{0,3}}",
    "tts:writingMode": "lrtb|rltb|tbrl|tblr|lr|rl|tb", "tts:showBackground": "always|whenActive",
    "tts:overflow": "visible|hidden",
}
_EBU_STYLE = frozenset({"tts:direction", "tts:fontFamily", "tts:fontSize", "tts:lineHeight", "tts:textAlign",
                        "tts:color", "tts:backgroundColor", "tts:fontStyle", "tts:fontWeight", "tts:textDecoration",
                        "tts:unicodeBidi", "tts:wrapOption", "ebutts:multiRowAlign", "ebutts:linePadding"})
_EBU_REGION = frozenset({"tts:displayAlign", "tts:padding", "tts:writingMode", "tts:showBackground",
                         "tts:overflow"})


def _ebu_allows(name: str, value: str, allowed: frozenset[str]) -> bool:
    return name in allowed and re.fullmatch(_EBU_VALUES[name], value.strip()) is not None and value == value.strip()


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


def _frame_rate(doc: Document, profile: Profile, timing: Timing) -> Fraction | None:
    """The rate written as ``ttp:frameRate``, checked against what the profile allows.

    Raises:
        ConfigError: frame-based times without a frame rate, or in a profile that allows only media time.
    """
    try:
        rate = parse_fps(timing.fps) if timing.fps is not None else doc.frame_rate
    except ValueError as exc:
        raise ConfigError(f"{profile.name} writer option fps: {exc}") from None
    if rate is None and profile is ITT:
        rate = Fraction(30)  # iTT needs a frame rate; 30 is the rate Apple's own examples use
    framed = timing.frames or timing.smpte or profile is ITT
    if framed and not profile.frame_rate:
        raise ConfigError(f"{profile.name} times are media time in milliseconds only (no frame-based times)")
    if (timing.smpte or profile is ITT) and not profile.smpte_allowed:
        raise ConfigError(f"the {profile.name} profile allows only media time: choose profile=smpte-tt, dfxp or none "
                          "for time_base=smpte")
    if framed and rate is None:
        raise ConfigError(f"frame-based {profile.name} times need a frame rate: give fps (convert --fps)")
    if rate is not None and framed and rate != round(rate) and rate * 1001 != round(rate) * 1000:
        raise ConfigError(f"TTML cannot state the frame rate {rate} (an integer rate, or one times 1000/1001)")
    return rate


#: How every TTML profile lowers documents (see :mod:`subkit.formats._lower`): media time has no limit.
LOWERING = Lowering(zero_label="00:00:00.000")


def write_document(doc: Document, profile: Profile, report: LossReport, timing: Timing | None = None,
                   options: BaseWriteOptions | None = None) -> str:
    """Serialise ``doc`` in ``profile``; losses go to ``report`` (``options.strict`` makes it strict).

    Raises:
        ConfigError: ``timing`` asks for something the profile cannot write.
        UnsupportedFeatureError: the report is strict and something would be lost.
    """
    timing = timing or Timing()
    writer_language(timing.language, profile.name)
    rate = _frame_rate(doc, profile, timing)
    lowered = lower(doc, LOWERING, report, options=options, supported=profile.features, raw_format=RAW_FORMAT)
    doc, dropped = lowered.doc, lowered.dropped
    writer = _Writer(doc, profile, report)
    smpte = timing.smpte or profile is ITT
    if rate is not None and (timing.frames or smpte):
        writer.clock = _FrameClock(rate, smpte)
    taken = writer.ids
    # Cue ids first: they are the most likely to be referred to from outside.
    cue_ids = _cue_ids(doc, dropped, taken, report)
    for name in doc.styles:
        writer.style_ids[name] = _ncname(name, taken, "style")
    region_ids = {rid: _ncname(rid, taken, "region") for rid in doc.regions}
    items = writer.body_items(cue_ids, region_ids, dropped)
    use_regions = bool(region_ids) or bool(writer.aligned) or profile.always_regions
    if use_regions:
        writer.aligned.add(2)
    style_lines = [writer.style_element(style) for style in doc.styles.values()]
    style_lines.extend(f'<style xml:id="{sid}"{attrs}/>' for attrs, sid in writer.generated.items())
    region_lines = [_region_element(region_ids[rid], region, report, profile) for rid, region in doc.regions.items()]
    body = "".join(markup for markup, _ in items)
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n',
           writer.root_element(body, style_lines, region_lines, rate, smpte, timing), "<head>\n"]
    writer.head(out, style_lines, region_lines, use_regions)
    out.append("</head>\n")
    if items or not profile.by_reference:  # an EBU-TT-D div holds at least one paragraph
        _body(out, items, body, use_regions)
    out.append("</tt>\n")
    return "".join(out)


def _cue_ids(doc: Document, dropped: set[str], taken: set[str], report: LossReport) -> list[str | None]:
    """The ``xml:id`` of each cue: its id when it is a unique XML name the writer would not generate."""
    cue_ids: list[str | None] = []
    bad_ids = 0
    first_bad: int | None = None
    for index, cue in enumerate(doc.cues):
        cue_id = cue.id
        if cue_id is not None and "id" not in dropped:
            if is_ncname(cue_id) and cue_id not in taken and not is_generated_id(cue_id):
                taken.add(cue_id)
                cue_ids.append(cue_id)
                continue
            bad_ids += 1
            first_bad = index if first_bad is None else first_bad
        cue_ids.append(None)
    if bad_ids:
        report.add("id", "cue identifiers that are not unique XML names dropped", cue=first_bad, count=bad_ids)
    return cue_ids


def _body(out: list[str], items: list[tuple[str, bool]], body: str, use_regions: bool) -> None:
    """The ``body``: the paragraphs in ``div`` elements, which flow into ``an2`` where regions are in use."""
    out.append("<body>\n")
    if not use_regions:
        out.append("<div>\n")
        out.append(body)
        out.append("</div>\n")
    else:
        # Region association: a div naming a region hides paragraphs naming another one, so paragraphs with
        # a region of their own go in divs without one, the others in divs flowing into an2.
        start = 0
        while start < len(items):
            own = items[start][1]
            stop = start
            while stop < len(items) and items[stop][1] == own:
                stop += 1
            out.append("<div>\n" if own else '<div region="an2">\n')
            out.extend(markup for markup, _ in items[start:stop])
            out.append("</div>\n")
            start = stop
        if not items:
            out.append("<div/>\n")
    out.append("</body>\n")


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


def _rate_attrs(rate: Fraction, smpte: bool) -> str:
    """The effective rate as TTML spells it: an integer rate and, for 29.97 and the like, a multiplier."""
    nominal = round(rate)
    text = ""
    if nominal > 0 and rate == nominal:
        text = f' ttp:frameRate="{nominal}"'
    elif nominal > 0 and rate * 1001 == nominal * 1000:
        text = f' ttp:frameRate="{nominal}" ttp:frameRateMultiplier="1000 1001"'
    if smpte:
        text += ' ttp:dropMode="nonDrop"'
    return text


def _uses_ebutts(*parts: list[str]) -> bool:
    return any(" ebutts:" in text for part in parts for text in part)


def _percent(value: float) -> str:
    """A percentage as the EBU-TT-D and IMSC grammars take it: no exponent, at most 4 decimals."""
    text = f"{round(value, 4):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _region_element(region_id: str, region: Any, report: LossReport, profile: Profile) -> str:
    parts = [f'<region xml:id="{region_id}"']
    origin = region.origin
    extent = region.extent
    if origin is None and extent is None and region.width is not None:
        origin, extent = _from_webvtt(region)
    origin = origin or (0.0, 0.0)
    extent = extent or (100.0, 100.0)
    if profile.by_reference and min(*origin, *extent) < 0:
        report.add("regions", "negative region origins or extents clamped to 0 (EBU-TT-D has none)")
        origin = (max(origin[0], 0.0), max(origin[1], 0.0))
        extent = (max(extent[0], 0.0), max(extent[1], 0.0))
    parts.append(f' tts:origin="{_percent(origin[0])}% {_percent(origin[1])}%"')
    parts.append(f' tts:extent="{_percent(extent[0])}% {_percent(extent[1])}%"')
    written = {"tts:origin", "tts:extent"}
    if region.display_align:
        parts.append(f' tts:displayAlign="{_attr(region.display_align)}"')
        written.add("tts:displayAlign")
    if region.writing_mode:
        parts.append(f' tts:writingMode="{_attr(region.writing_mode)}"')
        written.add("tts:writingMode")
    for key, value in region.extra.items():
        # An attribute is written once (a raw origin kept in extra must not repeat tts:origin).
        if key.startswith(_EXTRA_PREFIXES) and key[5:] not in written:
            if profile.by_reference and not _ebu_allows(key[5:], value, _EBU_REGION):
                report.add("regions", f"region attributes EBU-TT-D does not allow dropped ({key[5:]}=\"{value}\")")
                continue
            written.add(key[5:])
            parts.append(f' {key[5:]}="{_attr(value)}"')
    if region.width is not None or region.lines is not None or region.region_anchor is not None \
            or region.viewport_anchor is not None or region.scroll is not None:
        report.add("regions", "WebVTT regions approximated by an origin and extent (scrolling dropped)")
    parts.append("/>\n")
    return "".join(parts)
