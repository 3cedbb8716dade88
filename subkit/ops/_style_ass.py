"""``ops.style`` for ASS: a document that the ASS writer turns into Revid-style events.

Every event is on the one ``Default`` style (see :func:`default_style`) and
opens with ``{\\anN\\pos(x,y)}`` (see :func:`~subkit.ops._style_layout.anchor`).
What each style emits, per cue (``L`` a line set, ``w`` a word):

* ``classic``: one event for the cue's time with all its lines (``\\N``).
* ``karaoke``: one event from the first word's start to the last word's end,
  all lines, the text in ``{\\c<word_color>}`` and a ``{\\kN}`` before each
  word (``\\kf`` with ``sweep``). The style's secondary colour is
  ``line_color``, so a word is drawn in ``line_color`` until its time comes,
  then in ``word_color``. Silences between words are empty ``{\\kN}``
  syllables, so each word changes colour exactly at its start.
* ``highlight``: per line set, a layer-0 event showing ``L`` from its first
  word's start to its last word's end, and per word a layer-1 event for the
  word's own time showing ``L`` with ``w`` in ``{\\c<word_color>}``, drawn
  exactly over the layer-0 text.
* ``underline``: per line set, one event per word, showing ``L`` with ``w``
  in ``{\\u1}``, from the word's start to the next word's start (the last:
  to its end), so the line stays up between words.
* ``word_by_word``: one event per word, for the word's own time, showing
  the word alone in ``{\\c<word_color>}``.
"""

from __future__ import annotations

from subkit.model import PLAIN, Color, Cue, Document, Placement, RunStyle, Style
from subkit.ops._style_layout import anchor, blocks_of, color, content_of, marking, states, words_of
from subkit.ops._style_settings import StyleSettings
from subkit.ops._words import Estimate

__all__ = ["default_style", "render_ass"]

_BLACK = Color(r=0, g=0, b=0)


def default_style(settings: StyleSettings, canvas: tuple[int, int]) -> Style:
    """The ``Default`` style: Revid's style line for these settings.

    Primary and secondary colours are ``line_color``; the outline colour is
    ``outline_color``; the back (shadow) colour black; border style 1
    (outline and shadow); margins 20; the font size 5 % of the canvas height
    unless given.
    """
    line = color(settings.line_color)
    size = settings.font_size if settings.font_size is not None else int(canvas[1] * 0.05) or 1
    return Style(
        name="Default",
        font_family=settings.font_family,
        font_size=float(size),
        primary_color=line,
        secondary_color=line,
        outline_color=color(settings.outline_color),
        back_color=_BLACK,
        bold=settings.bold,
        italic=settings.italic,
        underline=settings.underline,
        strike=settings.strikeout,
        scale_x=100.0,
        scale_y=100.0,
        spacing=float(settings.spacing),
        angle=float(settings.angle),
        border_style=1,
        outline=float(settings.outline_width),
        shadow=float(settings.shadow_offset),
        align=2,
        margin_l=20,
        margin_r=20,
        margin_v=20,
    )


def _cue(start: int, end: int, placement: Placement, **fields: object) -> Cue:
    return Cue(start_ms=start, end_ms=end, style="Default", placement=placement, **fields)  # type: ignore[arg-type]


def render_ass(
    doc: Document, settings: StyleSettings, *, estimate: Estimate, pauses: bool, sweep: bool
) -> Document:
    """The styled document for the ASS (and SSA) writers."""
    canvas = settings.canvas_or(doc.canvas)
    align, x, y = anchor(settings, canvas)
    base = Placement(align=align, x=float(x), y=float(y), unit="px")
    raised = Placement(align=align, x=float(x), y=float(y), unit="px", layer=1)
    word = RunStyle(color=color(settings.word_color))
    underline = RunStyle(underline=True)
    kind = "kf" if sweep else "k"
    together = settings.style in ("classic", "karaoke")
    cues: list[Cue] = []
    for cue in doc.cues:
        if cue.comment:
            continue
        for block in blocks_of(cue, settings, estimate=estimate, pauses=pauses, together=together):
            lines = block.lines
            if settings.style == "classic":
                cues.append(_cue(block.cue_start, block.cue_end, base,
                                 content=content_of(lines, lambda _: PLAIN)))
            elif settings.style == "karaoke":
                cues.append(_cue(block.start_ms, block.end_ms, base,
                                 content=content_of(lines, lambda _: word, word),
                                 words=words_of(lines, kind)))
            elif settings.style == "highlight":
                cues.append(_cue(block.start_ms, block.end_ms, base,
                                 content=content_of(lines, lambda _: PLAIN)))
                for number, token in enumerate(block.tokens):
                    if token.end_ms > token.start_ms:
                        cues.append(_cue(token.start_ms, token.end_ms, raised,
                                         content=content_of(lines, marking(number, word, PLAIN))))
            elif settings.style == "underline":
                for number, start, end in states(block):
                    cues.append(_cue(start, end, base,
                                     content=content_of(lines, marking(number, underline, PLAIN))))
            else:  # word_by_word
                for token in block.tokens:
                    if token.end_ms > token.start_ms:
                        cues.append(_cue(token.start_ms, token.end_ms, base,
                                         content=content_of([[token]], lambda _: word)))
    header = {
        "ass.ScriptType": "v4.00+",
        "ass.PlayResX": str(canvas[0]),
        "ass.PlayResY": str(canvas[1]),
        "ass.WrapStyle": "0",
        "ass.ScaledBorderAndShadow": "yes",
    }
    return Document(
        cues=tuple(cues),
        styles={"Default": default_style(settings, canvas)},
        language=doc.language,
        title=doc.title,
        canvas=canvas,
        header=header,
        attachments=doc.attachments,  # embedded fonts the settings may name
        diagnostics=doc.diagnostics,
        source_format=doc.source_format,
        encoding=doc.encoding,
    )
