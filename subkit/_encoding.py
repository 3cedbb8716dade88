"""Which legacy code page a subtitle file is in.

Files that are neither UTF-8 nor UTF-16/32 are in one of the code pages that
subtitle files are really written in: the Windows pages 874 and 1250-1258,
their ISO 8859 cousins, KOI8-R/U, DOS 866, and the East Asian multi-byte
pages. :func:`detect` picks one:

1. only lines with a non-ASCII byte are looked at: indices, timecodes and
   ASCII tags say nothing about the code page and only dilute the statistics;
2. chardet (whose models know every one of these pages and the languages
   written in them) ranks the candidate pages, restricted to the list above;
3. a decoding that has C1 control characters (U+0080-U+009F) or an undefined
   byte is refused whenever another candidate has none: no subtitle contains
   them, and a wrong Windows/ISO pairing is exactly what produces them;
4. a language hint (``language=``, ``movie.fr.srt``) prefers that language's
   code pages among candidates that are close to the best;
5. among the candidates close to the best that decode to different text, the
   one whose text reads most like words wins (fewest symbols inside words,
   scripts mixed inside a word, or capitals after small letters).

When a runner-up was close and decodes differently, the result names it, so
that the caller can say the choice was a guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["SUBTITLE_CODE_PAGES", "Guess", "detect", "language_from_path", "pages_for_language"]

#: Code pages that subtitle files are written in (Python codec names), per script.
_WESTERN = ("cp1252", "iso8859-1", "iso8859-15")
_CENTRAL = ("cp1250", "iso8859-2")
_CYRILLIC = ("cp1251", "koi8-r", "koi8-u", "cp866", "iso8859-5")
_BALTIC = ("cp1257", "iso8859-13")

SUBTITLE_CODE_PAGES: tuple[str, ...] = (
    *_WESTERN, *_CENTRAL, *_CYRILLIC,
    "cp1253", "iso8859-7",
    "cp1254", "iso8859-9",
    "cp1255", "iso8859-8",
    "cp1256", "iso8859-6",
    *_BALTIC,
    "cp1258",
    "cp874", "tis-620",
    "cp932", "euc_jis_2004",
    "gb18030", "big5hkscs",
    "cp949",
)

_BY_LANGUAGE: dict[str, tuple[str, ...]] = {}
for _langs, _pages in (
    ("af br ca cy da de en es eu fi fo fr ga gl id is it ms nl no nb nn oc pt sq sv sw", _WESTERN),
    ("bs cs hr hu pl ro sk sl", _CENTRAL),
    ("be bg kk mk ru sr uk", _CYRILLIC),
    ("el", ("cp1253", "iso8859-7")),
    ("az ku tr", ("cp1254", "iso8859-9")),
    ("he yi", ("cp1255", "iso8859-8")),
    ("ar fa ur", ("cp1256", "iso8859-6")),
    ("et lt lv", _BALTIC),
    ("vi", ("cp1258",)),
    ("th", ("cp874", "tis-620")),
    ("ja", ("cp932", "euc_jis_2004")),
    ("zh", ("gb18030", "big5hkscs")),
    ("ko", ("cp949",)),
):
    for _lang in _langs.split():
        _BY_LANGUAGE[_lang] = _pages

#: ISO 639-2 codes seen in subtitle file names (``movie.fre.srt``), mapped to ISO 639-1.
_THREE_LETTER = {
    "ara": "ar", "bul": "bg", "ces": "cs", "cze": "cs", "chi": "zh", "zho": "zh", "dan": "da", "deu": "de",
    "ger": "de", "ell": "el", "gre": "el", "eng": "en", "est": "et", "fin": "fi", "fra": "fr", "fre": "fr",
    "heb": "he", "hrv": "hr", "hun": "hu", "ice": "is", "isl": "is", "ita": "it", "jpn": "ja", "kor": "ko",
    "lav": "lv", "lit": "lt", "nld": "nl", "dut": "nl", "nor": "no", "pol": "pl", "por": "pt", "ron": "ro",
    "rum": "ro", "rus": "ru", "slk": "sk", "slo": "sk", "slv": "sl", "spa": "es", "srp": "sr", "swe": "sv",
    "tha": "th", "tur": "tr", "ukr": "uk", "vie": "vi", "per": "fa", "fas": "fa",
}

#: A candidate within this fraction of the best chardet confidence is "close".
_CLOSE = 0.8
#: Candidates within this fraction of the best confidence are weighed by how their text reads.
_WIDE = 0.25
#: Fewer non-ASCII bytes than this are too little evidence to rule any plausible page out.
_FEW = 3
#: A rival whose text has at most this many more oddities than the winner's still makes it a guess.
_MARGIN = 1


@dataclass(frozen=True, slots=True)
class Guess:
    """The code page chosen for a file.

    Attributes:
        encoding: the Python codec name.
        alternative: a close runner-up that decodes to different text, or
            ``None`` when the choice was clear.
    """

    encoding: str
    alternative: str | None = None


def _primary(language: str) -> str:
    return language.strip().replace("_", "-").split("-")[0].lower()


def pages_for_language(language: str | None) -> tuple[str, ...]:
    """The code pages files in ``language`` (a BCP 47 tag or ISO 639 code) are written in.

    Traditional Chinese (``zh-Hant``, ``zh-TW``, ``zh-HK``) puts Big5 first.

    >>> pages_for_language("fr-CA")
    ('cp1252', 'iso8859-1', 'iso8859-15')
    >>> pages_for_language("xx")
    ()
    """
    if not language:
        return ()
    primary = _primary(language)
    primary = _THREE_LETTER.get(primary, primary)
    pages = _BY_LANGUAGE.get(primary, ())
    if primary == "zh" and re.search(r"(?i)-(hant|tw|hk|mo)\b", language.replace("_", "-")):
        pages = ("big5hkscs", "gb18030")
    return pages


def language_from_path(path: str | None) -> str | None:
    """The language a subtitle file name carries before its extension (``movie.pt-BR.srt``), if any.

    >>> language_from_path("/films/Movie.2001.fre.srt")
    'fr'
    >>> language_from_path("movie.srt") is None
    True
    """
    if not path:
        return None
    name = re.split(r"[\\/]", path)[-1]
    parts = name.split(".")
    for part in reversed(parts[1:-1]):
        tag = part.replace("_", "-")
        primary = _primary(tag)
        if len(primary) == 3 and primary in _THREE_LETTER:
            return _THREE_LETTER[primary]
        if len(primary) == 2 and primary in _BY_LANGUAGE:
            return tag if "-" in tag else primary
    return None


def _text_lines(data: bytes) -> bytes:
    """The lines of ``data`` that have a non-ASCII byte (the dialogue that tells code pages apart)."""
    return b"\n".join(line for line in data.splitlines() if not line.isascii())


def _c1_or_undefined(text: str) -> int:
    return sum(1 for char in text if "\x80" <= char <= "\x9f" or char == "\ufffd")


#: Signs that are at home next to letters (degrees, currencies, the Catalan middle dot).
_WORDLY_SIGNS = frozenset("°€£¥·")


def _is_sign(char: str) -> bool:
    return not char.isascii() and char not in _WORDLY_SIGNS and (
        unicodedata.category(char)[0] in "SNC" or char in "¶§¦¤"
    )


def _oddities(text: str) -> int:
    """How many characters of ``text`` do not read like words.

    A sign or control next to a letter (``¬le``, ``caf¤``), a letter of
    another script than the letter before it (``veritа``), or a capital right
    after a small non-ASCII letter (``crÈme``). Used to settle close calls.
    """
    odd = 0
    previous = " "
    prev_script = ""
    for index, char in enumerate(text):
        if char.isascii():
            if char.isalpha():
                odd += prev_script not in ("", "LATIN")
                prev_script = "LATIN"
            else:
                prev_script = ""
            previous = char
            continue
        category = unicodedata.category(char)
        if category[0] == "M":
            previous = char if previous.isalpha() else " "
            continue
        if category[0] == "L":
            name = unicodedata.name(char, "")
            script = name.split(" ")[0] if name else ""
            if script in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "KATAKANA-HIRAGANA", "FULLWIDTH"):
                script = "CJK"
            odd += bool(prev_script and script and script != prev_script)
            odd += char.isupper() and previous.islower() and not previous.isascii()
            prev_script = script or prev_script
        elif _is_sign(char):
            following = text[index + 1] if index + 1 < len(text) else " "
            odd += previous.isalpha() or following.isalpha() or category[0] == "C"
            prev_script = ""
        else:
            prev_script = ""
        previous = char
    return odd


def detect(data: bytes, language: str | None = None) -> Guess:
    """Choose the code page of ``data`` (bytes that are not UTF-8) among :data:`SUBTITLE_CODE_PAGES`.

    Args:
        data: the whole file.
        language: a hint (BCP 47 or ISO 639), or ``None``.

    Returns:
        The code page, and a close runner-up when the choice was a guess.
    """
    # chardet is imported here: it costs tens of milliseconds and most files are UTF-8.
    import chardet

    sample = _text_lines(data[:400_000]) or data[:400_000]
    ranked = chardet.detect_all(
        sample, ignore_threshold=True, compat_names=False, include_encodings=SUBTITLE_CODE_PAGES
    )
    candidates: list[tuple[str, float, str]] = []
    seen: set[str] = set()
    for row in ranked:
        codec = str(row["encoding"] or "")
        if not codec or codec in seen:
            continue
        seen.add(codec)
        try:
            text = sample.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        candidates.append((codec, float(row["confidence"] or 0.0), text))
    if not candidates:
        return Guess("cp1252", "latin-1")
    clean = [c for c in candidates if not _c1_or_undefined(c[2])]
    if clean:
        candidates = clean
    best_confidence = max(c[1] for c in candidates)
    hinted = pages_for_language(language)
    pool = [c for c in candidates if c[1] >= best_confidence * _WIDE]
    if hinted:
        # A hinted page that is at all plausible beats the pages of other languages.
        pool = [c for c in pool if c[0] in hinted] or pool
    # Equal text is no choice at all (cp1252 and latin-1 on a file without 0x80-0x9F).
    # The same text from several pages counts once, under the first page listed
    # (the Windows superset) and the best confidence among them.
    distinct: dict[str, tuple[str, float, str, int]] = {}
    for codec, confidence, text in sorted(pool, key=lambda c: _page_rank(c[0], hinted)):
        if text in distinct:
            first = distinct[text]
            distinct[text] = (first[0], max(first[1], confidence), text, first[3])
        else:
            distinct[text] = (codec, confidence, text, _oddities(text))
    options = sorted(distinct.values(), key=lambda c: (c[3], -c[1], _page_rank(c[0], hinted)))
    winner = options[0]
    # With only a handful of non-ASCII bytes, any other plausible reading leaves the choice open.
    few = sum(byte >= 0x80 for byte in sample) < _FEW
    rivals = [
        c for c in options[1:] if (few or c[1] >= winner[1] * _CLOSE) and c[3] <= winner[3] + _MARGIN
    ]
    return Guess(winner[0], rivals[0][0] if rivals else None)


def _page_rank(codec: str, hinted: tuple[str, ...]) -> int:
    if codec in hinted:
        return hinted.index(codec)
    return len(hinted) + SUBTITLE_CODE_PAGES.index(codec) if codec in SUBTITLE_CODE_PAGES else 999
