"""Which model features a document uses, and the shared capability filter for writers.

Feature keys (used in ``FEATURES`` of each format module, in loss reports and
in ``subkit info``):

============== ===============================================================
key            used when
============== ===============================================================
italic         a run is italic
bold           a run is bold or has a weight
underline      a run is underlined
strike         a run is struck through
color          a run has a text colour
background     a run has a background colour
outline        a run has an outline or shadow colour
font           a run has a font family or size
classes        a run has classes
language       a run or cue has a language
voice          a run names a voice (partial-cue speaker)
ruby           a run has a ruby annotation
raw            raw markup of another format is present (no writer supports it: own raw never counts)
alignment      a cue has a 9-point alignment or text alignment
position       a cue has an x/y position
line           a cue has WebVTT line/position/size settings
region         a cue refers to a region
vertical       a cue has vertical text
margins        a cue has margins
layer          a cue has a non-zero layer
speaker        a cue has a speaker
word-timing    a cue has timed words
karaoke        timed words carry a karaoke kind
comment        a cue is a comment
forced         a cue is forced
effect         a cue has an effect string
caption-mode   a cue has a 608 caption mode
id             a cue has an identifier
styles         the document has named styles or cues name a style
regions        the document defines regions
stylesheets    the document has CSS
notes          the document has comment blocks
attachments    the document has embedded files
============== ===============================================================
"""

from __future__ import annotations

from collections.abc import Iterable

from subkit.model import (
    NOWHERE,
    PLAIN,
    Cue,
    Document,
    LineBreak,
    LossReport,
    Placement,
    Raw,
    Run,
    RunStyle,
    _PlainCue,
    _stored_items,
)

__all__ = ["FEATURE_MESSAGES", "cue_features", "document_features", "report_unsupported"]

#: What a writer says when it drops a feature.
FEATURE_MESSAGES: dict[str, str] = {
    "italic": "italic text written plain",
    "bold": "bold text written plain",
    "underline": "underline dropped",
    "strike": "strike-through dropped",
    "color": "text colours dropped",
    "background": "background colours dropped",
    "outline": "outline and shadow colours dropped",
    "font": "font family and size dropped",
    "classes": "classes dropped",
    "language": "language tags dropped",
    "voice": "voice spans inside cues dropped",
    "ruby": "ruby annotations dropped",
    "raw": "markup of another format dropped",
    "alignment": "alignment dropped",
    "position": "positions dropped",
    "line": "line/position/size settings dropped",
    "region": "region references dropped",
    "vertical": "vertical text written horizontally",
    "margins": "margins dropped",
    "layer": "layers dropped",
    "speaker": "speakers dropped",
    "word-timing": "word timings dropped",
    "karaoke": "karaoke kinds (\\k, \\kf, \\ko) dropped",
    "comment": "comment cues dropped",
    "forced": "forced flags dropped",
    "effect": "effects dropped",
    "caption-mode": "caption modes dropped",
    "id": "cue identifiers dropped",
    "styles": "named styles dropped",
    "regions": "region definitions dropped",
    "stylesheets": "style sheets dropped",
    "notes": "comment blocks dropped",
    "attachments": "embedded files dropped",
}


_ORDER = {name: index for index, name in enumerate(FEATURE_MESSAGES)}


def cue_features(cue: Cue, raw_format: str | None = None) -> set[str]:
    """The feature keys ``cue`` uses; raw markup of ``raw_format`` does not count."""
    found: set[str] = set()
    content = cue.content if type(cue) is not _PlainCue else _stored_items(cue)
    for item in content:
        if type(item) is Run:
            if item.style is not PLAIN:  # the usual run: no feature
                _style_features(item.style, found)
        elif type(item) is Raw:
            if item.format != raw_format:
                found.add("raw")
        elif type(item) is not LineBreak:  # pragma: no cover - exhaustive
            raise TypeError(f"unexpected content item {item!r}")
    if cue.placement is not NOWHERE:
        _placement_features(cue.placement, found)
    _cue_features(cue, found)
    return found


def _style_features(style: RunStyle, found: set[str]) -> None:
    """Add the feature keys a run's style uses to ``found``."""
    if style.italic:
        found.add("italic")
    if style.bold or style.weight is not None:
        found.add("bold")
    if style.underline:
        found.add("underline")
    if style.strike:
        found.add("strike")
    if style.color is not None:
        found.add("color")
    if style.background is not None:
        found.add("background")
    if style.outline_color is not None or style.shadow_color is not None:
        found.add("outline")
    if style.font_family is not None or style.font_size is not None:
        found.add("font")
    if style.classes:
        found.add("classes")
    if style.language is not None:
        found.add("language")
    if style.voice is not None:
        found.add("voice")
    if style.ruby is not None:
        found.add("ruby")


def _placement_features(p: Placement, found: set[str]) -> None:
    """Add the feature keys a placement other than :data:`~subkit.model.NOWHERE` uses to ``found``."""
    if p.align is not None or p.text_align is not None:
        found.add("alignment")
    if p.x is not None:
        found.add("position")
    if p.line is not None or p.position is not None or p.size is not None or p.line_align or p.position_align:
        found.add("line")
    if p.region is not None:
        found.add("region")
    if p.vertical is not None:
        found.add("vertical")
    if p.margin_l is not None or p.margin_r is not None or p.margin_v is not None:
        found.add("margins")
    if p.layer:
        found.add("layer")


def _cue_features(cue: Cue, found: set[str]) -> None:
    """Add the feature keys of the cue's own fields (not its text or placement) to ``found``."""
    if cue.speaker is not None:
        found.add("speaker")
    if cue.language is not None:
        found.add("language")
    if cue.words:
        found.add("word-timing")
        if any(w.kind is not None for w in cue.words):
            found.add("karaoke")
    if cue.comment:
        found.add("comment")
    if cue.forced:
        found.add("forced")
    if cue.effect:
        found.add("effect")
    if cue.caption_mode is not None:
        found.add("caption-mode")
    if cue.id is not None:
        found.add("id")
    if cue.style is not None:
        found.add("styles")


def document_features(doc: Document, raw_format: str | None = None) -> dict[str, tuple[int, int | None]]:
    """Every feature ``doc`` uses, with (count of cues, index of the first cue or None)."""
    result: dict[str, tuple[int, int | None]] = {}
    for index, cue in enumerate(doc.cues):
        for feature in cue_features(cue, raw_format):
            count, first = result.get(feature, (0, index))
            result[feature] = (count + 1, first)
    for feature, present in (
        ("styles", bool(doc.styles)),
        ("regions", bool(doc.regions)),
        ("stylesheets", bool(doc.stylesheets)),
        ("notes", bool(doc.notes)),
        ("attachments", bool(doc.attachments)),
    ):
        if present and feature not in result:
            result[feature] = (0, None)
    return result


def report_unsupported(
    doc: Document,
    supported: Iterable[str],
    report: LossReport,
    *,
    raw_format: str | None = None,
    messages: dict[str, str] | None = None,
) -> set[str]:
    """Report every feature of ``doc`` outside ``supported``; return the dropped keys.

    Writers call this first, then simply ignore what they cannot express.

    Raises:
        UnsupportedFeatureError: when ``report`` is strict and something would be dropped.
    """
    allowed = set(supported)
    dropped: set[str] = set()
    used = document_features(doc, raw_format)
    # Report in the fixed order of FEATURE_MESSAGES so loss reports are stable between runs.
    for feature in sorted(used, key=lambda name: _ORDER.get(name, len(_ORDER))):
        count, first = used[feature]
        if feature in allowed:
            continue
        message = (messages or {}).get(feature) or FEATURE_MESSAGES.get(feature, f"{feature} dropped")
        report.add(feature, message, cue=first, count=max(count, 1))
        dropped.add(feature)
    return dropped
