"""Word timings carried in a paragraph's ``metadata``, so that players still show the whole line.

TTML has no karaoke: a ``span`` with ``begin``/``end`` is *presented* only in
its interval, so words written as timed spans make a player show one word at a
time. The family's writers therefore keep the paragraph's text as it is and put
the word timings in the ``metadata`` element TTML allows as the first child of
a ``p`` (EBU-TT-D too), in subkit's own namespace, which players ignore::

    <p begin="00:00:01.000" end="00:00:04.000"><metadata><sk:words>
      <sk:w begin="00:00:00.000" end="00:00:00.500">Hel</sk:w><sk:w begin="00:00:00.500" end="00:00:03.000">lo</sk:w>
    </sk:words></metadata>Hel<span tts:fontStyle="italic">lo</span></p>

Each ``sk:w`` holds one word's text (the words join to the paragraph's text)
and its times relative to the paragraph's begin, like TTML's own nested times;
``confidence`` is the optional ASR score and ``kind`` the karaoke kind (ASS
``k``, ``kf``, ``ko``, ``kt``). The reader takes these words when the
texts join to what it read from the paragraph, and says so when they do not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Literal

from subkit.model import Word

__all__ = ["NS_SUBKIT", "read_words", "words_metadata"]

#: The namespace of subkit's own TTML metadata.
NS_SUBKIT = "urn:subkit:ttml"
_WORDS = f"{{{NS_SUBKIT}}}words"
_W = f"{{{NS_SUBKIT}}}w"
_KINDS: dict[str | None, Literal["k", "kf", "ko", "kt"]] = {"k": "k", "kf": "kf", "ko": "ko", "kt": "kt"}
_CLOCK = re.compile(r"(\d+):([0-5]\d):([0-5]\d)(?:\.(\d{1,3}))?")


def _text(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
            .replace("\n", "&#10;").replace("\t", "&#9;"))


def words_metadata(words: Sequence[Word], cue_start_ms: int, clock: Callable[[int], str],
                   prefix: str = "") -> str:
    """The ``metadata`` element carrying ``words`` (times already within the cue).

    Args:
        words: the cue's words, joining to its text.
        cue_start_ms: the paragraph's begin; word times are written relative to it.
        clock: formats milliseconds as a TTML clock time.
        prefix: the prefix of the TTML namespace in the document (``""`` for the default namespace).
    """
    parts = [f"<{prefix}metadata><sk:words>"]
    for word in words:
        confidence = f' confidence="{word.confidence:g}"' if word.confidence is not None else ""
        kind = f' kind="{word.kind}"' if word.kind is not None else ""
        parts.append(f'<sk:w begin="{clock(word.start_ms - cue_start_ms)}" end="{clock(word.end_ms - cue_start_ms)}"'
                     f"{confidence}{kind}>{_text(word.text)}</sk:w>")
    parts.append(f"</sk:words></{prefix}metadata>")
    return "".join(parts)


def _ms(text: str | None) -> int | None:
    match = _CLOCK.fullmatch((text or "").strip())
    if match is None:
        return None
    hours, minutes, seconds, fraction = match.groups()
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int((fraction or "0").ljust(3, "0"))


def read_words(metadata: Any, start_ms: int, end_ms: int | None, text: str) -> tuple[tuple[Word, ...], str | None]:
    """The words a paragraph's ``metadata`` element carries, and a problem to report, if any.

    Args:
        metadata: the ``metadata`` element (lxml).
        start_ms, end_ms: the paragraph's interval (``end_ms`` ``None`` when indefinite).
        text: the paragraph's plain text as read; the words must join to it.

    Returns:
        The words (clipped to the paragraph) and ``None``, or ``()`` and what was wrong; ``((), None)`` when
        the element carries no words.
    """
    carrier = next((child for child in metadata if child.tag == _WORDS), None)
    if carrier is None:
        return (), None
    words: list[Word] = []
    for element in carrier:
        if element.tag != _W:
            continue
        begin, end = _ms(element.get("begin")), _ms(element.get("end"))
        if begin is None or end is None:
            return (), "a carried word has no readable begin/end"
        begin, end = start_ms + begin, start_ms + end
        if end_ms is not None:
            begin, end = min(begin, end_ms), min(end, end_ms)
        confidence: float | None = None
        raw = element.get("confidence")
        if raw is not None:
            try:
                confidence = float(raw)
            except ValueError:
                confidence = None
            if confidence is not None and not 0.0 <= confidence <= 1.0:
                confidence = None
        kind = element.get("kind")
        words.append(Word(text=element.text or "", start_ms=begin, end_ms=max(begin, end), confidence=confidence,
                          kind=_KINDS.get(kind)))
    if words and "".join(word.text for word in words) != text:
        return (), "the carried word timings do not match the paragraph's text"
    return tuple(words), None
