"""``ops.style`` for WebVTT: cues, inner timestamps and a ``STYLE`` block.

The settings that apply to all text go into one ``::cue`` rule: ``color``
(``line_color``), ``font-family``, ``font-size`` (in ``vh``: the size's share
of the canvas height), ``font-weight``/``font-style``/``text-decoration``,
a transparent background (as in ASS, no box) and ``text-shadow`` drawing the
outline (four shadows offset by ``outline_width``) and the shadow (one black
shadow offset by ``shadow_offset``), in ``vh`` too. The position becomes cue
settings (the WebVTT writer turns the anchor into ``line``/``position``/
``align``). Per style:

* ``classic``: one cue per cue, all lines.
* ``karaoke``: one cue per cue from the first word's start to the last
  word's end, an inner timestamp before each word, and the rules
  ``::cue(:past) { color: <word_color> }`` and ``::cue(:future) { color:
  <line_color> }``: a word turns to ``word_color`` when its time comes.
* ``highlight``: one cue per word state, back to back (WebVTT cues do not
  overlap in place: a player stacks them), with the current word in a class
  coloured ``word_color``.
* ``underline``: the same states with the current word in ``<u>``.
* ``word_by_word``: one cue per word, for its own time, in ``word_color``.

WebVTT has no letter spacing or rotation for cues: a ``spacing`` or an
``angle`` other than 0 is reported as lost.
"""

from __future__ import annotations

from subkit.model import PLAIN, Cue, Document, LossReport, Placement, RunStyle
from subkit.ops._style_layout import anchor, blocks_of, color, content_of, marking, states, words_of
from subkit.ops._style_settings import StyleSettings
from subkit.ops._words import Estimate

__all__ = ["css_for", "render_vtt"]


def _vh(pixels: float, height: int) -> str:
    value = round(pixels * 100 / height, 3)
    return f"{value:g}vh"


def css_for(settings: StyleSettings, canvas: tuple[int, int]) -> str:
    """The ``STYLE`` block body for ``settings`` on a canvas of ``canvas`` pixels."""
    height = canvas[1]
    size = settings.font_size if settings.font_size is not None else int(height * 0.05) or 1
    decorations = [name for name, on in (("underline", settings.underline),
                                         ("line-through", settings.strikeout)) if on]
    shadows: list[str] = []
    if settings.outline_width:
        w = _vh(settings.outline_width, height)
        shadows += [f"{dx}{w} {dy}{w} 0 {settings.outline_color}"
                    for dx, dy in (("-", "-"), ("", "-"), ("-", ""), ("", ""))]
    if settings.shadow_offset:
        s = _vh(settings.shadow_offset, height)
        shadows.append(f"{s} {s} 0 #000000")
    family = settings.font_family.replace('"', "")
    rules = [
        "::cue {",
        f"  color: {settings.line_color};",
        "  background-color: transparent;",
        f'  font-family: "{family}", sans-serif;',
        f"  font-size: {_vh(size, height)};",
        f"  font-weight: {'bold' if settings.bold else 'normal'};",
        f"  font-style: {'italic' if settings.italic else 'normal'};",
    ]
    if decorations:
        rules.append(f"  text-decoration: {' '.join(decorations)};")
    if shadows:
        rules.append(f"  text-shadow: {', '.join(shadows)};")
    rules.append("}")
    if settings.style == "karaoke":
        rules.append(f"::cue(:past) {{ color: {settings.word_color}; }}")
        rules.append(f"::cue(:future) {{ color: {settings.line_color}; }}")
    return "\n".join(rules)


def report_vtt_losses(settings: StyleSettings, losses: LossReport | None) -> None:
    """Record the settings WebVTT cannot express.

    Raises:
        UnsupportedFeatureError: ``losses`` is strict and something is lost.
    """
    if losses is None:
        return
    if settings.spacing:
        losses.add("spacing", "letter spacing cannot be set on WebVTT cues; dropped")
    if settings.angle:
        losses.add("angle", "WebVTT cues cannot be rotated; angle dropped")


def render_vtt(
    doc: Document, settings: StyleSettings, *, estimate: Estimate, pauses: bool, losses: LossReport | None
) -> Document:
    """The styled document for the WebVTT writer.

    Raises:
        UnsupportedFeatureError: ``losses`` is strict and a setting cannot be expressed.
    """
    report_vtt_losses(settings, losses)
    canvas = settings.canvas_or(doc.canvas)
    align, x, y = anchor(settings, canvas)
    placement = Placement(align=align, x=float(x), y=float(y), unit="px")
    word = RunStyle(color=color(settings.word_color))
    underline = RunStyle(underline=True)
    together = settings.style in ("classic", "karaoke")
    cues: list[Cue] = []
    for cue in doc.cues:
        if cue.comment:
            continue
        for block in blocks_of(cue, settings, estimate=estimate, pauses=pauses, together=together):
            lines = block.lines
            if settings.style == "classic":
                cues.append(Cue(start_ms=block.cue_start, end_ms=block.cue_end, placement=placement,
                                content=content_of(lines, lambda _: PLAIN)))
            elif settings.style == "karaoke":
                cues.append(Cue(start_ms=block.start_ms, end_ms=block.end_ms, placement=placement,
                                content=content_of(lines, lambda _: PLAIN), words=words_of(lines, contiguous=True)))
            elif settings.style in ("highlight", "underline"):
                current = word if settings.style == "highlight" else underline
                for number, start, end in states(block):
                    content = content_of(lines, marking(number, current, PLAIN))
                    cues.append(Cue(start_ms=start, end_ms=end, placement=placement, content=content))
            else:  # word_by_word
                for token in block.tokens:
                    if token.end_ms > token.start_ms:
                        cues.append(Cue(start_ms=token.start_ms, end_ms=token.end_ms, placement=placement,
                                        content=content_of([[token]], lambda _: word)))
    return Document(
        cues=tuple(cues),
        language=doc.language,
        title=doc.title,
        canvas=canvas,
        stylesheets=(css_for(settings, canvas),),
        diagnostics=doc.diagnostics,
        source_format=doc.source_format,
        encoding=doc.encoding,
    )
