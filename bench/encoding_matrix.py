"""Print the encoding-detection matrix: per detector, how many files decode exactly.

Run from the repository root: ``python bench/encoding_matrix.py``. The files are
built by ``tests/data/dialogue.py`` (35 languages, 51 language x code-page cells,
one 150-cue file and ten 3-cue files per cell). A file counts as exact when the
detected encoding decodes it to the text it was made from.
"""

from __future__ import annotations

import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from subkit import _encoding
from tests.data.dialogue import CELLS, short_files, srt_bytes


def _exact(data: bytes, text: str, codec: str | None) -> bool:
    if not codec:
        return False
    try:
        return unicodedata.normalize("NFC", data.decode(codec)) == text
    except (UnicodeDecodeError, LookupError):
        return False


def _detectors() -> dict[str, Callable[[bytes, str], tuple[str | None, bool]]]:
    import chardet
    import charset_normalizer

    def normalizer(data: bytes, _language: str) -> tuple[str | None, bool]:
        best = charset_normalizer.from_bytes(data).best()
        return (None if best is None else str(best.encoding)), False

    def chardet7(data: bytes, _language: str) -> tuple[str | None, bool]:
        return chardet.detect(data)["encoding"], False

    def subkit_plain(data: bytes, _language: str) -> tuple[str | None, bool]:
        guess = _encoding.detect(data)
        return guess.encoding, guess.alternative is not None

    def subkit_hint(data: bytes, language: str) -> tuple[str | None, bool]:
        guess = _encoding.detect(data, language)
        return guess.encoding, guess.alternative is not None

    return {
        "charset-normalizer (whole file)": normalizer,
        f"chardet {chardet.__version__} (whole file)": chardet7,
        "subkit (no hint)": subkit_plain,
        "subkit (language hint)": subkit_hint,
    }


def main() -> None:
    """Print one line per detector and the cells it missed."""
    for name, detector in _detectors().items():
        started = time.perf_counter()
        long_ok = short_ok = short_total = flagged_misses = misses = 0
        missed: list[str] = []
        for language, codec in CELLS:
            data, text = srt_bytes(language, codec, 150)
            if _exact(data, text, detector(data, language)[0]):
                long_ok += 1
            else:
                missed.append(f"{language}/{codec} (long)")
            for data, text in short_files(language, codec):
                short_total += 1
                found, flagged = detector(data, language)
                if _exact(data, text, found):
                    short_ok += 1
                else:
                    misses += 1
                    flagged_misses += flagged
                    missed.append(f"{language}/{codec}")
        elapsed = time.perf_counter() - started
        print(f"{name}: long {long_ok}/{len(CELLS)}, short {short_ok}/{short_total} "
              f"({100 * short_ok / short_total:.1f} %), short misses flagged {flagged_misses}/{misses}, "
              f"{elapsed:.1f} s")
        if missed:
            print("    missed:", ", ".join(sorted(set(missed))))


if __name__ == "__main__":
    main()
