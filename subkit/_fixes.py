"""Text repairs shared by ``clean``'s fix-common-errors rules and the QC fixes.

Each repair looks at a cue's plain text (hard breaks as ``"\\n"``) and returns
:data:`~subkit._text.Edit` spans, which :func:`~subkit._text.edit_cue`
applies while keeping the runs' styles and the timed words in step. Every
repair is idempotent: applied to its own output it finds nothing more to do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from subkit._text import Edit, edit_cue
from subkit.model import Cue, Raw, Run

__all__ = [
    "FIXES",
    "TextFix",
    "apply_fix",
    "dash_edits",
    "ellipsis_edits",
    "markup_edits",
    "ocr_edits",
    "punctuation_space_edits",
    "rebalance",
    "sentence_case_edits",
    "whitespace_edits",
]

#: The dashes a dialogue line may start with.
DASHES = "-\u2010\u2013\u2014"

_MULTI_SPACE = re.compile(r"[ \t\u00a0]{2,}")
_EDGE_SPACE = re.compile(r"^[ \t]+|[ \t]+$", re.MULTILINE)


def whitespace_edits(text: str) -> list[Edit]:
    """Double spaces become one; spaces at the start or end of a line go.

    >>> whitespace_edits("Hi  there ")
    [(2, 4, ' '), (9, 10, '')]
    """
    edits: list[Edit] = [(m.start(), m.end(), " ") for m in _MULTI_SPACE.finditer(text)]
    edits += [(m.start(), m.end(), "") for m in _EDGE_SPACE.finditer(text)]
    return _resolve(edits)


# A letter, then , ; ! ? : directly followed by a letter: "Hi,John" -> "Hi, John". A full stop only between a
# lower-case word of two letters or more and a capital ("gone.We") so that "e.g." and "U.S." are left alone.
_AFTER_MARK = re.compile(r"(?<=[^\W\d_])[,;!?](?=[^\W\d_])|(?<=[^\W\d_]):(?=[^\W\d_/])")
_AFTER_STOP = re.compile(r"(?<=[a-zà-ÿ]{2})\.(?=[A-ZÀ-Þ][a-zà-ÿ])")


def punctuation_space_edits(text: str) -> list[Edit]:
    """A missing space after punctuation is added.

    >>> punctuation_space_edits("Hi,John.Wait!Go")
    [(3, 3, ' '), (8, 8, ' '), (13, 13, ' ')]
    """
    edits: list[Edit] = []
    for pattern in (_AFTER_MARK, _AFTER_STOP):
        edits += [(m.end(), m.end(), " ") for m in pattern.finditer(text) if "://" not in text[m.start():m.end() + 3]]
    return sorted(edits)


_THREE_DOTS = re.compile(r"(?<!\.)\.\.\.(?!\.)")


def ellipsis_edits(text: str, form: str) -> list[Edit]:
    """Ellipses in the other form become ``form`` (``"…"`` or ``"..."``).

    >>> ellipsis_edits("Wait... what…", "…")
    [(4, 7, '…')]
    """
    if form == "\u2026":
        return [(m.start(), m.end(), form) for m in _THREE_DOTS.finditer(text)]
    return [(m.start(), m.end(), form) for m in re.finditer("\u2026", text)]


_LINE_DASH = re.compile(rf"^([{DASHES}])([ \t]*)(?=\S)", re.MULTILINE)


def dash_edits(text: str, dash: str = "-", space: bool = False, both_lines: bool = True) -> list[Edit]:
    """Dialogue dashes in one style: the profile's dash, followed by a space or not.

    With ``both_lines``, a two-speaker cue whose later line starts with a dash
    gets one on its first line too.

    >>> dash_edits("Are you coming?\\n– Yes.", "-", False)
    [(0, 0, '-'), (16, 18, '-')]
    """
    lines = text.split("\n")
    dashed = [bool(_LINE_DASH.match(line)) for line in lines]
    if not any(dashed):
        return []
    wanted = dash + (" " if space else "")
    edits = [(m.start(), m.end(), wanted) for m in _LINE_DASH.finditer(text) if m.group() != wanted]
    if both_lines and len(lines) > 1 and not dashed[0] and any(dashed[1:]) and lines[0].strip():
        edits.append((0, 0, wanted))
    return sorted(edits)


_TAGS = re.compile(r"</?(?:i|b|u|s|font)\b[^<>]{0,80}>|\{\\[^{}\n]{0,80}\}", re.IGNORECASE)


def markup_edits(text: str) -> list[Edit]:
    """Markup left in the text as letters (``<i>``, ``</font>``, ``{\\an8}``) goes.

    >>> markup_edits("<i>Hi</i> {\\\\an8}there")
    [(0, 3, ''), (5, 9, ''), (10, 16, '')]
    """
    return [(m.start(), m.end(), "") for m in _TAGS.finditer(text)]


#: OCR confusions of ``l`` and ``I`` in English, each ``(pattern, replacement)``.
OCR_FIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bl(?=['\u2019](?:m|ll|ve|d)\b)"), "I"),  # l'm, l'll, l've, l'd
    (re.compile(r"(?<![\w'\u2019-])l(?=[ ,.!?]|$)", re.MULTILINE), "I"),  # a lone "l"
    (re.compile(r"(?:(?<=^)|(?<=[.!?-] )|(?<=^- )|(?<=^-))l(?=[tfns]\b)", re.MULTILINE), "I"),  # lt lf ln ls
    (re.compile(r"(?<=[a-z])II(?=[a-z]|\b)"), "ll"),  # wiII, caII
    (re.compile(r"(?<=[a-z])I(?=[a-z])"), "l"),  # heIp
)


def ocr_edits(text: str) -> list[Edit]:
    """English ``l``/``I`` OCR confusions repaired (``l'm`` → ``I'm``, ``wiII`` → ``will``).

    >>> ocr_edits("l'm fine, l think. lt is heIp.")
    [(0, 1, 'I'), (10, 11, 'I'), (19, 20, 'I'), (27, 28, 'l')]
    """
    edits: list[Edit] = []
    for pattern, replacement in OCR_FIXES:
        edits += [(m.start(), m.end(), replacement) for m in pattern.finditer(text)]
    return _resolve(edits)


#: Words after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "etc", "prof", "gen", "col", "lt", "sgt", "capt", "mt", "no",
    "e.g", "i.e",
))
_SENTENCE_END = re.compile(r"(?<![.])([.!?])([\"'\u201d\u2019)\]]*)(\s+)([\"'\u201c\u2018(\[-]*)([a-zà-ÿ])")


def sentence_case_edits(text: str, *, starts_sentence: bool = False) -> list[Edit]:
    """A lower-case letter that begins a sentence is capitalised.

    A sentence begins after ``.``, ``!`` or ``?`` (not an ellipsis nor an
    abbreviation such as ``Mr.``) and, with ``starts_sentence``, at the start
    of the cue (when the previous cue ended one).

    >>> sentence_case_edits("done. then go")
    [(6, 7, 'T')]
    >>> sentence_case_edits("well. so", starts_sentence=True)
    [(0, 1, 'W'), (6, 7, 'S')]
    """
    edits: list[Edit] = []
    for match in _SENTENCE_END.finditer(text):
        before = text[:match.start()].rsplit(None, 1)[-1:] or [""]
        word = before[0].lower().strip("\"'(")
        if match.group(1) == "." and (word in ABBREVIATIONS or len(word) == 1):
            continue
        at = match.start(5)
        edits.append((at, at + 1, match.group(5).upper()))
    if starts_sentence:
        first = re.match(r"[\"'\u201c\u2018(\[\s-]*([a-zà-ÿ])", text)
        if first and not text.lstrip().startswith(("...", "\u2026")):
            at = first.start(1)
            edits.insert(0, (at, at + 1, first.group(1).upper()))
    return edits


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends with a full stop, ``!`` or ``?`` (not an ellipsis)."""
    stripped = text.rstrip(" \"'\u201d\u2019)]\n")
    return stripped.endswith((".", "!", "?")) and not stripped.endswith(("...", "\u2026"))


def rebalance(text: str, max_cpl: int, max_lines: int) -> str | None:
    """The text re-broken into at most ``max_lines`` lines of at most ``max_cpl`` characters, evenly.

    Returns ``None`` when the text already fits (nothing to do), is dialogue
    (one speaker a line, kept as it is), or cannot fit.

    >>> rebalance("This is a rather long line that needs\\na break", 30, 2)
    'This is a rather long\\nline that needs a break'
    """
    lines = text.split("\n")
    if len(lines) <= max_lines and all(len(line) <= max_cpl for line in lines):
        return None
    if sum(1 for line in lines if _LINE_DASH.match(line)) > 1:
        return None
    # Only spaces and breaks separate words: a no-break space or a direction mark stays inside its word.
    words = [word for word in re.split(r"[ \n]+", text) if word]
    if any(not word.strip() for word in words):
        return None  # a "word" of other white space alone (a no-break space) would become a blank line
    if len(words) == 1 and len(words[0]) > max_cpl and all(_wide(c) for c in words[0]):
        # Scripts written without spaces (Japanese, Chinese) break between any two characters.
        return _rebalance_unspaced(words[0], max_cpl, max_lines)
    if not words or any(len(word) > max_cpl for word in words):
        return None
    best: tuple[tuple[int, int], list[str]] | None = None
    for count in range(1, max_lines + 1):
        for layout in _layouts(words, count, max_cpl):
            widths = [len(line) for line in layout]
            # Even lines first; then a bottom-heavy pyramid (a longer last line) over a top-heavy one.
            score = (max(widths) - min(widths), -widths[-1])
            if best is None or (count, score) < (len(best[1]), best[0]):
                best = (score, layout)
        if best is not None:
            break
    return "\n".join(best[1]) if best is not None else None


def _wide(char: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(char) in ("W", "F")


def _rebalance_unspaced(text: str, max_cpl: int, max_lines: int) -> str | None:
    count = -(-len(text) // max_cpl)
    if count > max_lines:
        return None
    size = -(-len(text) // count)
    return "\n".join(text[i:i + size] for i in range(0, len(text), size))


def _layouts(words: list[str], count: int, width: int) -> list[list[str]]:
    if count == 1:
        line = " ".join(words)
        return [[line]] if len(line) <= width else []
    found = []
    for cut in range(1, len(words)):
        head = " ".join(words[:cut])
        if len(head) > width:
            break
        found += [[head, *rest] for rest in _layouts(words[cut:], count - 1, width)]
    return found


def _resolve(edits: list[Edit]) -> list[Edit]:
    """Sorted edits, later ones that overlap an earlier one dropped."""
    result: list[Edit] = []
    for edit in sorted(edits):
        if result and edit[0] < result[-1][1]:
            continue
        result.append(edit)
    return result


@dataclass(frozen=True, slots=True)
class TextFix:
    """A named repair of ``clean``'s fix-common-errors set.

    Attributes:
        name: the name ``--rules`` takes.
        description: one line.
        edits: ``edits(text, previous_text, params) -> Edit list``.
    """

    name: str
    description: str
    edits: Callable[[str, str | None, Mapping[str, Any]], list[Edit]]


def _rebalance_edits(text: str, previous: str | None, params: Mapping[str, Any]) -> list[Edit]:
    better = rebalance(text, int(params.get("max_cpl", 42)), int(params.get("max_lines", 2)))
    if better is None:
        return []
    # Only the breaks and spaces change, so each of them is one edit and the styles stay in place.
    edits: list[Edit] = []
    i = j = 0
    while i < len(text) and j < len(better):
        if text[i] == better[j]:
            i += 1
            j += 1
            continue
        start = i
        while i < len(text) and text[i] in " \n":
            i += 1
        replacement_start = j
        while j < len(better) and better[j] in " \n":
            j += 1
        if start == i and replacement_start == j:
            return []  # the texts differ in more than breaks and spaces: leave the cue alone
        edits.append((start, i, better[replacement_start:j]))
    if i < len(text):
        edits.append((i, len(text), ""))
    return edits


#: The fix-common-errors set of ``clean``, by name, in the order they run.
FIXES: dict[str, TextFix] = {fix.name: fix for fix in (
    TextFix("unbalanced-italics", "remove markup left as text (<i>, </font>, {\\an8})",
            lambda text, previous, params: markup_edits(text)),
    TextFix("double-spaces", "collapse double spaces and trim line edges",
            lambda text, previous, params: whitespace_edits(text)),
    TextFix("space-after-punctuation", "add the missing space after , ; : ! ? and a full stop",
            lambda text, previous, params: punctuation_space_edits(text)),
    TextFix("ellipsis", "one form of ellipsis: … (default) or ... (ellipsis=...)",
            lambda text, previous, params: ellipsis_edits(text, str(params.get("ellipsis", "\u2026")))),
    TextFix("dialogue-dash", "one dialogue-dash style (dash=-, dash_space=false by default)",
            lambda text, previous, params: dash_edits(text, str(params.get("dash", "-")),
                                                      bool(params.get("dash_space", False)))),
    TextFix("ocr-l-i", "English OCR confusions of l and I (l'm, wiII)",
            lambda text, previous, params: ocr_edits(text)),
    TextFix("sentence-case", "capitalise the first letter of a sentence",
            lambda text, previous, params: sentence_case_edits(
                text, starts_sentence=previous is None or ends_sentence(previous))),
    TextFix("broken-lines", "re-break lines that are too long or too many (max_cpl, max_lines)",
            _rebalance_edits),
)}


def apply_fix(cue: Cue, edits: Sequence[Edit]) -> Cue:
    """``cue`` with ``edits`` applied (the cue itself when there are none, or when nothing would be left)."""
    if not edits:
        return cue
    edited = edit_cue(cue, list(edits))
    return edited if edited is not None else cue


def plain_runs_only(cue: Cue) -> bool:
    """Whether the cue's content is runs and breaks only (no raw markup)."""
    return not any(type(item) is Raw for item in cue.content) and any(type(i) is Run for i in cue.content)
