"""The character tables of EBU STL text fields: ISO 6937 (CCT 00) and ISO 8859-5/6/7/8 (CCT 01-04).

ISO 6937 is a variable-length code: bytes ``C1``-``CF`` are non-spacing
diacritics written *before* the letter they sit on. :func:`decode` composes
each pair to NFC (``C2 65`` is ``é``) and :func:`encode` splits a character
into base letter and mark with NFD to find the pair again.

Only character bytes reach these functions (``20``-``7F`` and ``A0``-``FF``);
the control codes of the text field are handled by :mod:`subkit.formats._stl_text`.

>>> decode(b"caf\\xc2e \\xd5")
('café ♪', [])
>>> encode("Grüße Œ")
(b'Gr\\xc8u\\xfbe \\xea', [])
"""

from __future__ import annotations

import codecs
import unicodedata

__all__ = ["CHARSETS", "Charset", "decode", "encode"]

#: Single bytes of the upper half (Tech 3264 Latin table, ISO 6937). Gaps are undefined.
_UPPER: dict[int, str] = {
    0xA0: "\u00a0", 0xA1: "¡", 0xA2: "¢", 0xA3: "£", 0xA4: "$", 0xA5: "¥", 0xA6: "#", 0xA7: "§",
    0xA8: "¤", 0xA9: "‘", 0xAA: "“", 0xAB: "«", 0xAC: "←", 0xAD: "↑", 0xAE: "→", 0xAF: "↓",
    0xB0: "°", 0xB1: "±", 0xB2: "²", 0xB3: "³", 0xB4: "×", 0xB5: "µ", 0xB6: "¶", 0xB7: "·",
    0xB8: "÷", 0xB9: "’", 0xBA: "”", 0xBB: "»", 0xBC: "¼", 0xBD: "½", 0xBE: "¾", 0xBF: "¿",
    0xD0: "—", 0xD1: "¹", 0xD2: "®", 0xD3: "©", 0xD4: "™", 0xD5: "♪", 0xD6: "¬", 0xD7: "¦",
    0xDC: "⅛", 0xDD: "⅜", 0xDE: "⅝", 0xDF: "⅞",
    0xE0: "Ω", 0xE1: "Æ", 0xE2: "Đ", 0xE3: "ª", 0xE4: "Ħ", 0xE6: "Ĳ", 0xE7: "Ŀ",
    0xE8: "Ł", 0xE9: "Ø", 0xEA: "Œ", 0xEB: "º", 0xEC: "Þ", 0xED: "Ŧ", 0xEE: "Ŋ", 0xEF: "ŉ",
    0xF0: "ĸ", 0xF1: "æ", 0xF2: "đ", 0xF3: "ð", 0xF4: "ħ", 0xF5: "ı", 0xF6: "ĳ", 0xF7: "ŀ",
    0xF8: "ł", 0xF9: "ø", 0xFA: "œ", 0xFB: "ß", 0xFC: "þ", 0xFD: "ŧ", 0xFE: "ŋ", 0xFF: "\u00ad",
}  # fmt: skip

#: Non-spacing diacritics: byte -> (combining mark, spacing form used when a space follows).
#: C9 is the old umlaut position of ISO 6937-2:1983; it decodes as a diaeresis.
_MARKS: dict[int, tuple[str, str]] = {
    0xC1: ("\u0300", "`"), 0xC2: ("\u0301", "´"), 0xC3: ("\u0302", "^"), 0xC4: ("\u0303", "~"),
    0xC5: ("\u0304", "¯"), 0xC6: ("\u0306", "˘"), 0xC7: ("\u0307", "˙"), 0xC8: ("\u0308", "¨"),
    0xC9: ("\u0308", "¨"), 0xCA: ("\u030a", "˚"), 0xCB: ("\u0327", "¸"), 0xCD: ("\u030b", "˝"),
    0xCE: ("\u0328", "˛"), 0xCF: ("\u030c", "ˇ"),
}  # fmt: skip

_DECODE: dict[int, str] = {b: chr(b) for b in range(0x20, 0x7F)}
_DECODE.update(_UPPER)

_ENCODE_ONE: dict[str, bytes] = {text: bytes([b]) for b, text in _DECODE.items()}
# ASCII wins over the duplicates of the upper half (A4 "$", A6 "#").
_ENCODE_ONE.update({chr(b): bytes([b]) for b in range(0x20, 0x7F)})
# Characters that NFC or other tables spell differently.
_ENCODE_ONE.update({"\u2126": b"\xe0", "\u00d0": b"\xe2", "\u2015": b"\xd0"})
_ENCODE_MARK: dict[str, int] = {}
for _byte, (_mark, _spacing) in _MARKS.items():
    _ENCODE_MARK.setdefault(_mark, _byte)
    _ENCODE_ONE.setdefault(_spacing, bytes([_byte, 0x20]))


def decode(data: bytes) -> tuple[str, list[int]]:
    """Decode ISO 6937 character bytes; return the NFC text and the offsets of bytes it skipped.

    A diacritic followed by a space gives the spacing accent; a diacritic
    before anything but a letter, or at the end, is skipped, as are
    undefined bytes.
    """
    if data.isascii() and b"\x7f" not in data:
        return data.decode("ascii"), []  # the usual case: plain ASCII text
    out: list[str] = []
    bad: list[int] = []
    index = 0
    size = len(data)
    while index < size:
        byte = data[index]
        mark = _MARKS.get(byte)
        if mark is not None:
            following = data[index + 1] if index + 1 < size else None
            if following == 0x20:
                out.append(mark[1])
                index += 2
                continue
            if following is not None and 0x41 <= following <= 0x7A and chr(following).isalpha():
                out.append(unicodedata.normalize("NFC", chr(following) + mark[0]))
                index += 2
                continue
            bad.append(index)
            index += 1
            continue
        text = _DECODE.get(byte)
        if text is None:
            bad.append(index)
        else:
            out.append(text)
        index += 1
    return "".join(out), bad


def _clusters(text: str) -> list[str]:
    """``text`` cut into base characters each followed by its combining marks."""
    result: list[str] = []
    for char in text:
        if result and unicodedata.combining(char):
            result[-1] += char
        else:
            result.append(char)
    return result


def encode(text: str) -> tuple[bytes, list[str]]:
    """Encode ``text`` in ISO 6937; return the bytes and the characters it could not encode (as ``?``)."""
    if text.isascii() and text.isprintable():
        return text.encode("ascii"), []  # the usual case: printable ASCII maps to itself
    out = bytearray()
    bad: list[str] = []
    for cluster in _clusters(unicodedata.normalize("NFC", text)):
        single = _ENCODE_ONE.get(cluster)
        if single is not None:
            out += single
            continue
        decomposed = unicodedata.normalize("NFD", cluster)
        base, marks = decomposed[0], decomposed[1:]
        if len(marks) == 1 and marks in _ENCODE_MARK and base.isascii() and base.isalpha():
            out.append(_ENCODE_MARK[marks])
            out.append(ord(base))
            continue
        bad.append(cluster)
        out.append(0x3F)
    return bytes(out), bad


class Charset:
    """One character code table (CCT) of the text field.

    Attributes:
        code: the two-digit CCT value (``"00"``-``"04"``).
        name: a human name.
        codec: the Python codec for CCT 01-04, ``None`` for ISO 6937.
        diacritics: whether bytes C1-CF are non-spacing diacritics (ISO 6937 only).
    """

    __slots__ = ("code", "codec", "diacritics", "name")

    def __init__(self, code: str, name: str, codec: str | None) -> None:
        self.code = code
        self.name = name
        self.codec = codec
        self.diacritics = codec is None

    def decode(self, data: bytes) -> tuple[str, list[int]]:
        """Text of character bytes and the offsets of the bytes skipped."""
        if self.codec is None:
            return decode(data)
        out: list[str] = []
        bad: list[int] = []
        for index, byte in enumerate(data):
            try:
                out.append(bytes([byte]).decode(self.codec))
            except UnicodeDecodeError:
                bad.append(index)
        text = "".join(out)
        # In canonical order, as encode() writes it: marks on one letter (Arabic tanwin, say) in another order
        # would read back reordered.
        return (text if text.isascii() else unicodedata.normalize("NFC", text)), bad

    def encode(self, text: str) -> tuple[bytes, list[str]]:
        """Bytes of ``text`` and the characters that are not in the table (written as ``?``)."""
        if self.codec is None:
            return encode(text)
        out = bytearray()
        bad: list[str] = []
        for char in unicodedata.normalize("NFC", text):
            try:
                encoded = char.encode(self.codec)
            except UnicodeEncodeError:
                encoded = b""
            # The C1 range of ISO 8859 holds the STL control codes, never characters.
            if len(encoded) != 1 or 0x80 <= encoded[0] < 0xA0 or encoded[0] < 0x20:
                bad.append(char)
                out.append(0x3F)
            else:
                out += encoded
        return bytes(out), bad


#: The CCT values of Tech 3264 and their tables.
CHARSETS: dict[str, Charset] = {
    "00": Charset("00", "Latin (ISO 6937)", None),
    "01": Charset("01", "Latin/Cyrillic (ISO 8859-5)", "iso8859_5"),
    "02": Charset("02", "Latin/Arabic (ISO 8859-6)", "iso8859_6"),
    "03": Charset("03", "Latin/Greek (ISO 8859-7)", "iso8859_7"),
    "04": Charset("04", "Latin/Hebrew (ISO 8859-8)", "iso8859_8"),
}

# The codecs exist in every CPython build; fail at import, not in the middle of a file.
for _charset in CHARSETS.values():
    if _charset.codec:
        codecs.lookup(_charset.codec)
