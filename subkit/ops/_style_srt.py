"""``ops.style`` for SRT and every other target without styles or word timing.

Everything is said with inline formatting (SRT ``<font color>``, ``<b>``,
``<i>``, ``<u>``, ``<s>``, ``<font face>``) and one cue per visible state:

* ``classic``: one cue per cue, all lines, in ``line_color``.
* ``karaoke``: one cue per word state from the first word's start to the
  last word's end, the words already sung in ``word_color``, the others in
  ``line_color``.
* ``highlight``: the same states with only the current word in ``word_color``.
* ``underline``: the same states with the current word in ``<u>``.
* ``word_by_word``: one cue per word, for its own time, in ``word_color``.

``line_color`` is written only when it is not white (every player's default
colour), the font family only when it is not Arial. The position is kept as
a numpad alignment (``{\\anN}`` in SRT); what these formats cannot say is
reported as lost: ``x``/``y``, the font size, the outline and shadow,
spacing and angle (each only when set to something else than its default).
"""

from __future__ import annotations

from subkit.model import Cue, Document, LossReport, Placement, RunStyle
from subkit.ops._style_layout import anchor, blocks_of, color, content_of, marking, states
from subkit.ops._style_settings import StyleSettings
from subkit.ops._words import Estimate

__all__ = ["render_flat"]

_WHITE = "#FFFFFF"


def report_flat_losses(settings: StyleSettings, losses: LossReport | None) -> None:
    """Record the settings a target without styles cannot express.

    Raises:
        UnsupportedFeatureError: ``losses`` is strict and something is lost.
    """
    if losses is None:
        return
    checks = (
        ("position", settings.x is not None, "x/y anchor points dropped (the 9-point position is kept)"),
        ("font_size", settings.font_size is not None, "font size dropped"),
        ("outline", settings.outline_width != 2 or settings.outline_color != "#000000",
         "outline colour and width dropped"),
        ("shadow_offset", settings.shadow_offset != 0, "shadow dropped"),
        ("spacing", settings.spacing != 0, "letter spacing dropped"),
        ("angle", settings.angle != 0, "rotation dropped"),
    )
    for feature, lost, message in checks:
        if lost:
            losses.add(feature, message)


def render_flat(
    doc: Document, settings: StyleSettings, *, target: str, estimate: Estimate, pauses: bool,
    losses: LossReport | None,
) -> Document:
    """The styled document for SRT-like writers.

    Raises:
        UnsupportedFeatureError: ``losses`` is strict and a setting cannot be expressed.
    """
    report_flat_losses(settings, losses)
    canvas = settings.canvas_or(doc.canvas)
    align, _, _ = anchor(settings, canvas)
    placement = Placement(align=align)
    common = RunStyle(
        bold=settings.bold or None,
        italic=settings.italic or None,
        underline=settings.underline or None,
        strike=settings.strikeout or None,
        font_family=None if settings.font_family == "Arial" else settings.font_family,
    )
    line = common.merged(color=None if settings.line_color.upper() == _WHITE else color(settings.line_color))
    word = common.merged(color=color(settings.word_color))
    current_underline = line.merged(underline=True)
    together = settings.style in ("classic", "karaoke")
    cues: list[Cue] = []
    for cue in doc.cues:
        if cue.comment:
            continue
        for block in blocks_of(cue, settings, estimate=estimate, pauses=pauses, together=together):
            lines = block.lines
            if settings.style == "classic":
                cues.append(Cue(start_ms=block.cue_start, end_ms=block.cue_end, placement=placement,
                                content=content_of(lines, lambda _: line, line)))
            elif settings.style == "word_by_word":
                for token in block.tokens:
                    if token.end_ms > token.start_ms:
                        cues.append(Cue(start_ms=token.start_ms, end_ms=token.end_ms, placement=placement,
                                        content=content_of([[token]], lambda _: word, word)))
            else:
                for number, start, end in states(block):
                    if settings.style == "karaoke":
                        sung = marking(number, word, line, through=True)
                        content = content_of(lines, sung, sung)
                    elif settings.style == "highlight":
                        content = content_of(lines, marking(number, word, line), line)
                    else:
                        content = content_of(lines, marking(number, current_underline, line), line)
                    cues.append(Cue(start_ms=start, end_ms=end, placement=placement, content=content))
    return Document(
        cues=tuple(cues),
        language=doc.language,
        title=doc.title,
        canvas=canvas,
        diagnostics=doc.diagnostics,
        source_format=doc.source_format,
        encoding=doc.encoding,
    )
