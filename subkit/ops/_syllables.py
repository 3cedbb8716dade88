"""A rough syllable count, the weight ``ops.words`` gives a word when estimating its duration.

Spoken time follows syllables more closely than letters ("through" is one
syllable in seven letters, "area" three in four), so ``--estimate syllables``
spreads a cue's time by this count. It is a heuristic, not a dictionary:

* Latin, Greek and Cyrillic letters: one syllable per group of consecutive
  vowels (``y`` counts as a vowel after the first letter), less a silent
  final ``e`` in English-looking words (``make``, but not ``the`` or
  ``table``), at least one per word;
* CJK ideographs, kana and Hangul syllables: one each (each is spoken as
  one syllable or mora);
* digits: one per digit (``2024`` takes about as long as four syllables);
* anything else (punctuation, symbols): nothing, though every word counts at
  least one.
"""

from __future__ import annotations

import unicodedata

__all__ = ["count_syllables"]

#: Vowels of the Latin, Greek and Cyrillic alphabets (after removing accents).
_VOWELS = frozenset("aeiouy" + "αεηιουω" + "аеёиоуыэюяіїє")


def _is_syllabic_char(char: str) -> bool:
    """CJK ideographs, kana and Hangul syllables: one syllable per character."""
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0x3400 <= code <= 0x4DBF  # extension A
        or 0x3040 <= code <= 0x30FF  # hiragana and katakana
        or 0xAC00 <= code <= 0xD7A3  # Hangul syllables
    )


def _base_letter(char: str) -> str:
    """The letter without its accents, lowercased (``É`` -> ``e``)."""
    decomposed = unicodedata.normalize("NFD", char.lower())
    return decomposed[0] if decomposed else char


def count_syllables(word: str) -> int:
    """The estimated number of syllables in ``word``; at least 1.

    >>> [count_syllables(w) for w in ("cat", "make", "table", "rhythm", "beautiful", "東京", "2024", "...")]
    [1, 1, 2, 1, 3, 2, 4, 1]
    """
    count = 0
    letters: list[str] = []
    previous_vowel = False
    for char in word:
        if _is_syllabic_char(char):
            count += 1
            previous_vowel = False
            continue
        if char.isdigit():
            count += 1
            previous_vowel = False
            continue
        if not char.isalpha():
            previous_vowel = False
            continue
        base = _base_letter(char)
        # "y" starts "yes" as a consonant; elsewhere ("rhythm", "happy") it is a vowel.
        vowel = base in _VOWELS and not (base == "y" and not letters)
        letters.append(base)
        if vowel and not previous_vowel:
            count += 1
        previous_vowel = vowel
    # A silent final "e" ("make", "time"), but not "the", "be", "table" or "free".
    if (
        count > 1
        and len(letters) > 2
        and letters[-1] == "e"
        and letters[-2] not in _VOWELS
        and not (letters[-2] == "l" and letters[-3] not in _VOWELS)
    ):
        count -= 1
    return max(count, 1)
