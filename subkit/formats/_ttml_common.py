"""What the TTML-family modules share: namespaces, colours, lengths, detection.

The family is one reader (:mod:`subkit.formats._ttml_read`) and one writer
(:mod:`subkit.formats._ttml_write`) with three profiles: ``ttml`` (IMSC1 text
profile), ``dfxp`` (the 2006 draft namespace) and ``ebu_tt_d`` (EBU Tech 3380).
"""

from __future__ import annotations

import re

from subkit.model import Color

__all__ = [
    "NS_EBUTTM",
    "NS_EBUTTS",
    "NS_ITTP",
    "NS_ITTS",
    "NS_TT",
    "NS_TTM",
    "NS_TTP",
    "NS_TTS",
    "NS_XML",
    "TT_NAMESPACES",
    "classify",
    "format_color",
    "is_generated_id",
    "is_ncname",
    "parse_color",
]

#: TTML core namespace.
NS_TT = "http://www.w3.org/ns/ttml"
#: TTML styling, parameter and metadata namespaces.
NS_TTS = NS_TT + "#styling"
NS_TTP = NS_TT + "#parameter"
NS_TTM = NS_TT + "#metadata"
#: IMSC extension namespaces.
NS_ITTS = "http://www.w3.org/ns/ttml/profile/imsc1#styling"
NS_ITTP = "http://www.w3.org/ns/ttml/profile/imsc1#parameter"
#: EBU-TT namespaces.
NS_EBUTTS = "urn:ebu:tt:style"
NS_EBUTTM = "urn:ebu:tt:metadata"
#: The ``xml:`` namespace.
NS_XML = "http://www.w3.org/XML/1998/namespace"
#: The legacy DFXP namespace the ``dfxp`` writer uses.
NS_DFXP = "http://www.w3.org/2006/10/ttaf1"

#: Element namespaces read as TTML: the core, the three DFXP drafts, and none at all
#: (a bare ``<tt>`` written by hand or by tools that forget the namespace).
TT_NAMESPACES = frozenset(
    {NS_TT, NS_DFXP, "http://www.w3.org/2006/04/ttaf1", "http://www.w3.org/2006/02/ttaf1", ""}
)

#: TTML named colours (TTML ``green`` is #008000; ``lime`` is #00FF00).
NAMED_COLORS: dict[str, tuple[int, int, int, int]] = {
    "transparent": (0, 0, 0, 0),
    "black": (0, 0, 0, 255),
    "silver": (192, 192, 192, 255),
    "gray": (128, 128, 128, 255),
    "grey": (128, 128, 128, 255),
    "white": (255, 255, 255, 255),
    "maroon": (128, 0, 0, 255),
    "red": (255, 0, 0, 255),
    "purple": (128, 0, 128, 255),
    "fuchsia": (255, 0, 255, 255),
    "magenta": (255, 0, 255, 255),
    "green": (0, 128, 0, 255),
    "lime": (0, 255, 0, 255),
    "olive": (128, 128, 0, 255),
    "yellow": (255, 255, 0, 255),
    "navy": (0, 0, 128, 255),
    "blue": (0, 0, 255, 255),
    "teal": (0, 128, 128, 255),
    "aqua": (0, 255, 255, 255),
    "cyan": (0, 255, 255, 255),
}

_RGB = re.compile(r"rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*(\d{1,3})\s*)?\)", re.IGNORECASE)
_NCNAME = re.compile(r"[A-Za-z_\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*")


def parse_color(text: str) -> Color | None:
    """A TTML colour: ``#rrggbb[aa]``, ``rgb()``, ``rgba()`` or a name; ``None`` if unreadable.

    >>> parse_color("rgba(255,0,0,128)").to_hex()
    '#FF000080'
    >>> parse_color("lime").to_hex()
    '#00FF00'
    """
    value = text.strip()
    if value.startswith("#"):
        digits = value[1:]
        if len(digits) == 3:  # CSS shorthand, seen in hand-written files
            digits = "".join(c * 2 for c in digits)
        try:
            return Color.from_hex(digits)
        except ValueError:
            return None
    named = NAMED_COLORS.get(value.lower())
    if named is not None:
        r, g, b, a = named
        return Color(r=r, g=g, b=b, a=a)
    match = _RGB.fullmatch(value)
    if match:
        parts = [int(p) for p in match.groups() if p is not None]
        if all(p <= 255 for p in parts):
            return Color(r=parts[0], g=parts[1], b=parts[2], a=parts[3] if len(parts) == 4 else 255)
    return None


def format_color(color: Color) -> str:
    """``#rrggbb``, or ``#rrggbbaa`` when translucent (the form every profile accepts)."""
    return color.to_hex().lower()


def is_ncname(text: str) -> bool:
    """Whether ``text`` can be an ``xml:id`` (an XML NCName)."""
    return _NCNAME.fullmatch(text) is not None


#: Identifiers the family's writers make up: ``sk.c1`` for a paragraph EBU-TT-D needs an ``xml:id`` on,
#: ``sk.s1`` for a style holding one element's attributes (EBU-TT-D styles only by reference).
_GENERATED_ID = re.compile(r"sk\.[cs][0-9]+")


def is_generated_id(text: str) -> bool:
    """Whether ``text`` is an identifier a family writer generated (not a cue id or a named style)."""
    return text.startswith("sk.") and _GENERATED_ID.fullmatch(text) is not None


_ROOT = re.compile(r"<(?:([A-Za-z_][\w.\-]*):)?tt[\s>/]")


def classify(head: str) -> str | None:
    """Which family member the start of a document looks like: ``ttml``, ``dfxp``, ``ebu_tt_d`` or ``None``.

    * a root element ``tt`` (any prefix) is needed: SAMI and other XML never match;
    * the 2006 draft namespace (``.../ttaf1``) means ``dfxp``;
    * an EBU-TT metadata or style namespace means ``ebu_tt_d`` (EBU-TT Part 1
      files land there too; the reader is the same);
    * anything else with a ``tt`` root (core namespace, IMSC, no namespace) is ``ttml``.
    """
    text = head.lstrip("\ufeff")
    match = _ROOT.search(text)
    if match is None:
        return None
    before = text[: match.start()]
    # Only the prolog may come before the root element: declarations, comments, white space.
    stripped = re.sub(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", "", before, flags=re.DOTALL)
    if stripped.strip():
        return None
    rest = text[match.start() : match.start() + 4096]
    if "ttaf1" in rest:
        return "dfxp"
    if NS_EBUTTM in rest or NS_EBUTTS in rest:
        return "ebu_tt_d"
    return "ttml"
