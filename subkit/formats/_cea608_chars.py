"""CEA-608 character sets: the byte values of every character, both ways.

Three sets exist (47 CFR §15.119, CTA-608-E):

* the **standard** set, one byte 0x20-0x7F: ASCII with ten exceptions
  (0x2A á, 0x5C é, 0x5E í, 0x5F ó, 0x60 ú, 0x7B ç, 0x7C ÷, 0x7D Ñ, 0x7E ñ, 0x7F █);
* the **special** set, a two-byte code ``11 30``-``11 3f`` (``19 3x`` on data
  channel 2): ® ° ½ ¿ ™ ¢ £ ♪ à, a transparent space, è â ê î ô û;
* the **extended** sets, ``12 20``-``13 3f`` (``1a``/``1b`` on channel 2):
  Spanish, French, Portuguese, German and Danish letters, quotes, a few
  symbols, the ASCII characters the standard set gave away ({ } \\ | ~ _ *)
  and box corners. A decoder applies an implied backspace before each one, so
  writers send an ASCII fallback first.

Values here are 7-bit (parity stripped); codes for channel 1.
"""

from __future__ import annotations

import unicodedata

__all__ = [
    "EXTENDED",
    "FALLBACK",
    "SPECIAL",
    "STANDARD",
    "TRANSPARENT_SPACE",
    "encode_char",
    "substitute",
]

#: The standard set: byte -> character (0x20-0x7F).
STANDARD: dict[int, str] = {code: chr(code) for code in range(0x20, 0x80)}
STANDARD.update(
    {0x2A: "á", 0x5C: "é", 0x5E: "í", 0x5F: "ó", 0x60: "ú", 0x7B: "ç", 0x7C: "÷", 0x7D: "Ñ", 0x7E: "ñ", 0x7F: "█"}
)

#: The transparent space of the special set (a column with nothing drawn); read as a space.
TRANSPARENT_SPACE = 0x39

#: The special set: second byte (after ``0x11``) -> character.
SPECIAL: dict[int, str] = dict(zip(range(0x30, 0x40), "®°½¿™¢£♪à èâêîôû", strict=True))

# The extended sets in code order: 0x12 0x20-0x3F, then 0x13 0x20-0x3F. 0x122C is the
# service mark, 0x132C the caret (written as ASCII "^"; some tables give U+028C), 0x1337 a
# heavy vertical bar, 0x133C-3F the box corners.
_EXTENDED_12 = "ÁÉÓÚÜü‘¡*'—©℠•“”ÀÂÇÈÊËëÎÏïÔÙùÛ«»"
_EXTENDED_13 = "ÃãÍÌìÒòÕõ{}\\^_|~ÄäÖöß¥¤┃ÅåØø┏┓┗┛"

#: The extended sets: (first byte, second byte) -> character.
EXTENDED: dict[tuple[int, int], str] = {
    **{(0x12, 0x20 + i): ch for i, ch in enumerate(_EXTENDED_12)},
    **{(0x13, 0x20 + i): ch for i, ch in enumerate(_EXTENDED_13)},
}

#: What a writer sends before an extended character, for decoders without the extended sets.
FALLBACK: dict[str, str] = {
    "‘": "'", "¡": "!", "*": ".", "'": "'", "—": "-", "©": "c", "℠": "s", "•": ".", "“": '"', "”": '"',
    "«": '"', "»": '"', "{": "[", "}": "]", "\\": "/", "^": "'", "_": "-", "|": "!", "~": "-", "ß": "s",
    "¥": "Y", "¤": "$", "┃": "!", "┏": "+", "┓": "+", "┗": "+", "┛": "+",
}

# character -> ("std", byte) | ("special", second byte) | ("ext", first byte, second byte)
_ENCODE: dict[str, tuple[int, ...]] = {}
for _first_second, _char in EXTENDED.items():
    _ENCODE.setdefault(_char, _first_second)
for _second, _char in SPECIAL.items():
    if _second != TRANSPARENT_SPACE:
        _ENCODE[_char] = (0x11, _second)
for _code, _char in STANDARD.items():
    _ENCODE[_char] = (_code,)

#: Common characters with no code, and what a writer puts in their place.
_SUBSTITUTES: dict[str, str] = {
    "’": "'", "‚": ",", "„": '"', "‹": "<", "›": ">", "–": "-", "‐": "-", "‑": "-", "−": "-", "…": "...",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\t": " ", "`": "'", "´": "'", "·": ".", "×": "x",
    "♫": "♪", "█": "█",
}


def encode_char(char: str) -> tuple[int, ...] | None:
    """The code of ``char``: ``(byte,)`` (standard), ``(0x11, b)`` (special),
    ``(0x12|0x13, b)`` (extended), or ``None`` when 608 has no code for it.

    >>> encode_char("a"), encode_char("♪"), encode_char("Á"), encode_char("漢")
    ((97,), (17, 55), (18, 32), None)
    """
    return _ENCODE.get(char)


def substitute(char: str) -> str:
    """A replacement for a character 608 cannot show: a close look-alike, else ``?``.

    Accented letters lose the accents the sets lack (``ā`` becomes ``a``).

    >>> substitute("’"), substitute("ā"), substitute("漢")
    ("'", 'a', '?')
    """
    known = _SUBSTITUTES.get(char)
    if known is not None:
        return known
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if base and all(c in _ENCODE for c in base):
        return base
    return "?"
