"""Placement in one of the nine alignment points, for formats that only have those.

SRT (``{\\anN}``) and ASS (``\\anN``) place a cue at one of nine points of
the screen (the numeric keypad: 7 8 9 top, 4 5 6 middle, 1 2 3 bottom).
WebVTT, TTML, SCC and EBU STL place cues by line, position, region or
coordinates instead, and the reader keeps those as they are. These helpers
pick the nearest of the nine points (docs/model.md has the table):

* the row from WebVTT ``line`` (a line number counts 5.33 % of the height
  per line, from the top when positive or zero, from the bottom when
  negative; a percentage is taken as it is, shifted a little by its
  ``start``/``end`` alignment), else from ``y``, else from the region (its
  origin and extent with its ``displayAlign``, or WebVTT's viewport anchor);
  the top third is the top row, the bottom third the bottom row;
* the column from WebVTT ``position`` or ``x`` (thirds again), else from the
  text alignment (``left``/``start`` left, ``right``/``end`` right), else
  from the region's horizontal centre;
* no placement at all stays ``None`` (the player's default, bottom centre).

:func:`exact_anchor` gives the point and coordinates when they are exact
(WebVTT ``line`` and ``position`` both in percent): ASS then writes them as
``\\anN\\pos(x,y)``.
"""

from __future__ import annotations

from collections.abc import Mapping

from subkit.model import Placement, Region

__all__ = ["LINE_HEIGHT", "exact_anchor", "nearest_alignment"]

#: Height of one WebVTT line as a percentage of the video (the spec's 5 % of the
#: video height for the font plus line spacing, rounded as players do).
LINE_HEIGHT = 5.33

_LEFT = ("left", "start")
_RIGHT = ("right", "end")


def _band(fraction: float) -> int:
    """0, 1 or 2 for the first, middle or last third of 0..1."""
    if fraction < 1 / 3:
        return 0
    if fraction > 2 / 3:
        return 2
    return 1


def _row(p: Placement, region: Region | None, canvas: tuple[int, int] | None) -> int | None:
    """0 top, 1 middle, 2 bottom; ``None`` when nothing says."""
    if p.line is not None:
        if p.snap_to_lines:
            offset = p.line * LINE_HEIGHT / 100
            return _band(offset if p.line >= 0 else 1 + offset)
        shift = {"start": 0.03, "end": -0.03}.get(p.line_align or "start", 0.0)
        return _band(p.line / 100 + shift)
    if p.y is not None:
        if p.unit == "px":
            return None if canvas is None else _band(p.y / canvas[1])
        return _band(p.y / 100)
    if region is not None:
        if region.origin is not None and region.extent is not None:
            top, height = region.origin[1], region.extent[1]
            share = {"before": 0.0, "center": 0.5, "after": 1.0}.get(region.display_align or "before", 0.0)
            # A text line sits inside the region: move the anchor in by one line from its edge.
            inner = min(LINE_HEIGHT, height) / 2
            return _band((top + inner + share * (height - 2 * inner)) / 100)
        if region.viewport_anchor is not None:
            return _band(region.viewport_anchor[1] / 100)
        if region.display_align is not None:
            return {"before": 0, "center": 1, "after": 2}.get(region.display_align)
    return None


def _text_x(p: Placement) -> tuple[float, int]:
    """Where WebVTT puts the text horizontally for ``p.position``: (x %, 0 left / 1 centre / 2 right edge).

    The cue box is anchored at the position by its position alignment (which,
    when not given, follows the text alignment), is ``size`` wide (by default
    as wide as fits), and the text sits at its left edge, centre or right
    edge by the text alignment.
    """
    assert p.position is not None
    position = p.position
    column = 0 if p.text_align in _LEFT else 2 if p.text_align in _RIGHT else 1
    anchor = p.position_align or ("line-left", "center", "line-right")[column]
    if p.size is not None:
        size = p.size
    elif anchor == "line-left":
        size = 100 - position
    elif anchor == "line-right":
        size = position
    else:
        size = 2 * min(position, 100 - position)
    left = {"line-left": position, "line-right": position - size}.get(anchor, position - size / 2)
    return left + size * column / 2, column


def _column(p: Placement, region: Region | None, canvas: tuple[int, int] | None) -> int | None:
    """0 left, 1 centre, 2 right; ``None`` when nothing says."""
    if p.position is not None:
        return _band(_text_x(p)[0] / 100)
    if p.x is not None:
        if p.unit == "px":
            return None if canvas is None else _band(p.x / canvas[0])
        return _band(p.x / 100)
    if p.text_align in _LEFT:
        return 0
    if p.text_align in _RIGHT:
        return 2
    if p.text_align == "center":
        return 1
    if region is not None and region.origin is not None and region.extent is not None:
        return _band((region.origin[0] + region.extent[0] / 2) / 100)
    return None


def nearest_alignment(
    p: Placement, regions: Mapping[str, Region] | None = None, canvas: tuple[int, int] | None = None
) -> int | None:
    """The numpad alignment (1-9) nearest to ``p``, or ``None`` when it is the player's default.

    Args:
        p: the cue's placement.
        regions: the document's regions, to resolve ``p.region``.
        canvas: the document's canvas, for pixel coordinates.

    >>> nearest_alignment(Placement(line=0))
    8
    >>> nearest_alignment(Placement(line=5, snap_to_lines=False, position=3, text_align="left"))
    7
    >>> nearest_alignment(Placement()) is None
    True
    """
    if p.align is not None:
        return p.align
    region = regions.get(p.region) if regions and p.region else None
    row = _row(p, region, canvas)
    column = _column(p, region, canvas)
    if row is None and column is None:
        return None
    return (2 - (2 if row is None else row)) * 3 + (1 if column is None else column) + 1


def exact_anchor(p: Placement) -> tuple[int, float, float] | None:
    """``(alignment, x %, y %)`` when ``p`` pins the cue exactly (WebVTT ``line`` and ``position`` in percent).

    The row comes from ``line``'s alignment (``start``: the text hangs from
    that height), the column and ``x`` from where the text sits in its box
    (its left edge, centre or right edge, by the text alignment).

    >>> exact_anchor(Placement(line=5, snap_to_lines=False, position=3, text_align="left"))
    (7, 3.0, 5)
    """
    if p.align is not None or p.line is None or p.snap_to_lines or p.position is None:
        return None
    row = {"start": 0, "center": 1, "end": 2}[p.line_align or "start"]
    x, column = _text_x(p)
    return (2 - row) * 3 + column + 1, x, p.line
