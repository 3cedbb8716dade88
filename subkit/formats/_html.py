"""HTML-like inline tags shared by SRT (and later SAMI): ``<b> <i> <u> <s> <font>`` and colours.

The parser treats ``b/i/u/s`` as on/off toggles (mis-nesting is harmless, as in
FFmpeg) and keeps a stack for ``<font>``. Tags it does not know are kept as
:class:`~subkit.model.Raw` markup of the calling format.
"""

from __future__ import annotations

import re

from subkit.model import Color, ContentItem, LineBreak, Raw, Run, RunStyle

__all__ = ["HTML_COLORS", "color_to_html", "parse_color", "parse_tagged_line", "tags_for_style"]

#: CSS/HTML colour keywords seen in subtitle files (the 16 basic colours plus common extras).
HTML_COLORS: dict[str, str] = {
    "black": "#000000", "silver": "#C0C0C0", "gray": "#808080", "grey": "#808080", "white": "#FFFFFF",
    "maroon": "#800000", "red": "#FF0000", "purple": "#800080", "fuchsia": "#FF00FF", "magenta": "#FF00FF",
    "green": "#008000", "lime": "#00FF00", "olive": "#808000", "yellow": "#FFFF00", "navy": "#000080",
    "blue": "#0000FF", "teal": "#008080", "aqua": "#00FFFF", "cyan": "#00FFFF", "orange": "#FFA500",
    "pink": "#FFC0CB", "brown": "#A52A2A", "gold": "#FFD700", "violet": "#EE82EE",
}  # fmt: skip


def parse_color(value: str) -> Color | None:
    """A colour from ``#RRGGBB``, ``#RGB``, ``RRGGBB``, any CSS name or ``rgb()``; ``None`` if unreadable."""
    text = value.strip().strip("\"'").strip()
    lowered = text.lower()
    if lowered in HTML_COLORS:
        return Color.from_hex(HTML_COLORS[lowered])
    digits = text[1:] if text.startswith("#") else text
    if len(digits) == 8 and all(c in "0123456789abcdefABCDEF" for c in digits):
        digits = digits[:6]  # players ignore the alpha of a font colour
    try:
        return Color.parse(digits if len(digits) in (3, 6) else text)
    except ValueError:
        return None


def color_to_html(color: Color) -> str:
    """``#rrggbb`` as SRT players expect (alpha is not expressible)."""
    return f"#{color.r:02x}{color.g:02x}{color.b:02x}"


_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z]+)((?:\s+[^<>]*)?)\s*/?\s*>|\{\\[^{}]*\}")
_ATTR = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_TOGGLES = {"b": "bold", "i": "italic", "u": "underline", "s": "strike"}


#: Styles of the font-less toggle combinations (at most 16), shared between runs.
_STYLE_CACHE: dict[tuple[bool, ...], RunStyle] = {}


class TagState:
    """Formatting state carried across the lines of one cue."""

    __slots__ = ("counts", "fonts")

    def __init__(self) -> None:
        self.counts = {"bold": 0, "italic": 0, "underline": 0, "strike": 0}
        self.fonts: list[dict[str, object]] = []

    def style(self) -> RunStyle:
        if not self.fonts:
            key = tuple(count > 0 for count in self.counts.values())
            cached = _STYLE_CACHE.get(key)
            if cached is None:
                cached = _STYLE_CACHE[key] = self._build()
            return cached
        return self._build()

    def _build(self) -> RunStyle:
        values: dict[str, object] = {}
        for key, count in self.counts.items():
            if count > 0:
                values[key] = True
        for font in self.fonts:
            values.update(font)
        return RunStyle(**values) if values else RunStyle()  # type: ignore[arg-type]


def parse_tagged_line(
    line: str, state: TagState, raw_format: str, unknown: list[str]
) -> list[ContentItem]:
    """Parse one line of tagged text into runs, updating ``state``.

    ``<br>`` becomes a :class:`LineBreak`; tags outside b/i/u/s/font and
    ``{\\...}`` blocks become :class:`Raw` of ``raw_format`` and their text is
    appended to ``unknown`` (so the reader can diagnose them).
    """
    items: list[ContentItem] = []
    pos = 0
    for match in _TAG.finditer(line):
        if match.start() > pos:
            items.append(Run(line[pos : match.start()], state.style()))
        pos = match.end()
        whole = match.group(0)
        if whole.startswith("{"):
            items.append(Raw(raw_format, whole))
            unknown.append(whole)
            continue
        closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
        if name in _TOGGLES:
            key = _TOGGLES[name]
            state.counts[key] = max(0, state.counts[key] + (-1 if closing else 1))
        elif name == "font":
            if closing:
                if state.fonts:
                    state.fonts.pop()
            else:
                font: dict[str, object] = {}
                for attr in _ATTR.finditer(attrs or ""):
                    key, value = attr.group(1).lower(), attr.group(2) or attr.group(3) or attr.group(4) or ""
                    if key == "color":
                        color = parse_color(value)
                        if color is not None:
                            font["color"] = color
                        else:
                            unknown.append(f'color="{value}"')
                    elif key == "face":
                        font["font_family"] = value
                    elif key == "size":
                        try:
                            size = float(value)
                        except ValueError:
                            size = 0.0
                        if size > 0:
                            font["font_size"] = size
                        else:
                            unknown.append(f'size="{value}"')
                state.fonts.append(font)
        elif name == "br" and not closing:
            items.append(LineBreak())
        else:
            items.append(Raw(raw_format, whole))
            unknown.append(whole)
    if pos < len(line):
        items.append(Run(line[pos:], state.style()))
    return items


def tags_for_style(style: RunStyle) -> tuple[str, str]:
    """Opening and closing tags expressing ``style`` in SRT-style HTML."""
    opening: list[str] = []
    closing: list[str] = []
    attrs: list[str] = []
    if style.color is not None:
        attrs.append(f'color="{color_to_html(style.color)}"')
    if style.font_family is not None:
        attrs.append(f'face="{style.font_family}"')
    if style.font_size is not None:
        attrs.append(f'size="{style.font_size:g}"')
    if attrs:
        opening.append(f"<font {' '.join(attrs)}>")
        closing.append("</font>")
    for flag, tag in (("bold", "b"), ("italic", "i"), ("underline", "u"), ("strike", "s")):
        if getattr(style, flag):
            opening.append(f"<{tag}>")
            closing.append(f"</{tag}>")
    return "".join(opening), "".join(reversed(closing))
