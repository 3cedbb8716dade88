"""Word timing: use the input's word times, estimate the missing ones, re-cut cues into lines.

Word times reach the model from several formats (ASS ``\\k``, WebVTT inner
timestamps, TTML timed spans, Whisper and Rev JSON): they all arrive as
:attr:`Cue.words <subkit.model.Cue.words>`. :func:`words` keeps those and, for
every cue without them, estimates them by spreading the cue's time over its
words:

* ``estimate="chars"`` weighs each word by its letters and digits (at least
  one), so "a" is short and "extraordinary" long;
* ``estimate="syllables"`` weighs it by :func:`~subkit.ops._syllables.count_syllables`,
  closer to speech for words such as "through";
* with ``pauses=True`` (the default) a word ending a sentence (``. ! ? …``)
  is followed by a silence worth 60 % of an average word, one ending a clause
  (``, ; : – —``) by 30 %: speakers breathe there. The last word ends with
  the cue.

Estimated words are written the way markup-derived words are: their texts
join to the cue's text, spaces and line breaks included, so the ASS writer
turns them into ``\\k`` tags and the WebVTT writer into inner timestamps.

With ``max_words_per_line``, ``max_chars`` or ``max_lines``, cues are also
re-cut: the words of each cue are split into cues that fit in ``max_lines``
lines, and each cue's words into lines that respect the limits. Every break
has a price: nothing after a sentence end (or a pause of 500 ms or more),
little after clause punctuation (or a pause of 250 ms), a bit more at the
input's own line breaks, most inside a phrase. Lines: among the splits with
the fewest lines, the cheapest breaks and then the most even lengths win.
Cues: one more cue costs about as much as ending a cue after a clause, so a
cue ends inside a phrase only when that saves more than one cue; evenly
filled cues beat a full one and a stub. A single word longer than
``max_chars`` gets a line of its own. The new cues share out the old
cue's time at their first word's start, so together they cover exactly the
time the old cue did; their text is plain (inline formatting and raw markup
of re-cut cues are not carried over), and every other field (style,
placement, speaker...) is copied from the old cue.

>>> import subkit
>>> doc = subkit.loads("1\\n00:00:00,000 --> 00:00:02,000\\nHello big world\\n", format="srt")
>>> [(w.text, w.start_ms, w.end_ms) for w in words(doc).cues[0].words]
[('Hello ', 0, 769), ('big ', 769, 1231), ('world', 1231, 2000)]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from subkit.errors import OperationError
from subkit.model import Cue, Document, LineBreak, Run, Word
from subkit.ops._report import ChangeReport, add_to
from subkit.ops._syllables import count_syllables

__all__ = ["ESTIMATES", "Estimate", "Token", "cue_tokens", "estimate_words", "words"]

#: How a missing word time is estimated: by characters or by syllables.
Estimate = Literal["chars", "syllables"]
#: The accepted values of ``estimate``.
ESTIMATES: tuple[str, ...] = ("chars", "syllables")

#: A word ending a sentence, possibly followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*$")
#: A word ending a clause.
_CLAUSE_END = re.compile(r"[,;:–—、，；：][\"'”’»)\]]*$")
_TOKEN = re.compile(r"\S+")
#: Silence after a sentence end and after a clause end, as a share of the average word weight.
_SENTENCE_PAUSE = 0.6
_CLAUSE_PAUSE = 0.3
#: A gap between two words that counts as a pause when choosing where to break (ms).
_PAUSE_MS = 250


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a cue with its time, as the ops see it.

    Attributes:
        text: the word without surrounding spaces.
        start_ms, end_ms: its time (``end_ms >= start_ms``).
        line_break: whether a line break follows it in the cue's text.
    """

    text: str
    start_ms: int
    end_ms: int
    line_break: bool = False


# ---------------------------------------------------------------- tokens of a cue


def _split_words(text: str) -> list[tuple[str, str]]:
    """(word, the whitespace after it) pairs; leading whitespace joins the first word's text."""
    pairs: list[tuple[str, str]] = []
    matches = list(_TOKEN.finditer(text))
    for number, match in enumerate(matches):
        end = matches[number + 1].start() if number + 1 < len(matches) else len(text)
        pairs.append((match.group(0), text[match.end() : end]))
    return pairs


def _weight(word: str, method: Estimate) -> int:
    if method == "syllables":
        return count_syllables(word)
    return max(sum(1 for char in word if char.isalnum()), 1)


def _pause_after(word: str) -> float:
    if _SENTENCE_END.search(word):
        return _SENTENCE_PAUSE
    if _CLAUSE_END.search(word):
        return _CLAUSE_PAUSE
    return 0.0


def estimate_words(cue: Cue, *, method: Estimate = "chars", pauses: bool = True) -> tuple[Word, ...]:
    """Words for ``cue`` with estimated times, whatever words it already has.

    The words' texts join to ``cue.plain_text()`` (the spaces and line breaks
    after a word belong to it; spaces before the first word to the first), so
    writers can place them back in the text. A cue without words gets ``()``.

    >>> from subkit.model import Cue, content_from_text
    >>> cue = Cue(start_ms=0, end_ms=1000, content=content_from_text("Hi, you"))
    >>> [(w.text, w.start_ms, w.end_ms) for w in estimate_words(cue)]
    [('Hi, ', 0, 348), ('you', 478, 1000)]

    Raises:
        OperationError: ``method`` is not ``chars`` or ``syllables``.
    """
    if method not in ESTIMATES:
        raise OperationError(f"estimate must be one of {', '.join(ESTIMATES)}, not {method!r}")
    text = cue.plain_text()
    pairs = _split_words(text)
    if not pairs:
        return ()
    leading = text[: len(text) - len(text.lstrip())]
    weights = [float(_weight(word, method)) for word, _ in pairs]
    average = sum(weights) / len(weights)
    gaps = [(_pause_after(word) * average if pauses else 0.0) for word, _ in pairs]
    gaps[-1] = 0.0
    total = sum(weights) + sum(gaps)
    start, duration = cue.start_ms, cue.duration_ms

    def at(position: float) -> int:
        return start + round(duration * position / total)

    result: list[Word] = []
    position = 0.0
    for number, ((word, space), weight, gap) in enumerate(zip(pairs, weights, gaps, strict=True)):
        begin = at(position)
        position += weight
        end = at(position)
        position += gap
        prefix = leading if number == 0 else ""
        result.append(Word(text=prefix + word + space, start_ms=begin, end_ms=end))
    return tuple(result)


def _clamp_words(cue: Cue) -> tuple[Word, ...]:
    """The cue's words moved inside the cue and made non-decreasing."""
    words: list[Word] = []
    floor = cue.start_ms
    changed = False
    for word in cue.words:
        start = min(max(word.start_ms, floor), cue.end_ms)
        end = min(max(word.end_ms, start), cue.end_ms)
        if (start, end) != (word.start_ms, word.end_ms):
            changed = True
            word = Word(text=word.text, start_ms=start, end_ms=end, confidence=word.confidence, kind=word.kind)
        words.append(word)
        floor = start
    return tuple(words) if changed else cue.words


def _split_token(text: str, start: int, end: int) -> list[Token]:
    """Tokens of a timed piece of text; several words in it share its time by their letters."""
    pairs = _split_words(text)
    if len(pairs) == 1:
        word, space = pairs[0]
        return [Token(word, start, end, "\n" in space)]
    weights = [_weight(word, "chars") for word, _ in pairs]
    total = sum(weights)
    tokens = []
    position = 0
    for (word, space), weight in zip(pairs, weights, strict=True):
        begin = start + round((end - start) * position / total)
        position += weight
        tokens.append(Token(word, begin, start + round((end - start) * position / total), "\n" in space))
    return tokens


def _tokens_from_words(words: Sequence[Word], aligned: bool) -> list[Token]:
    tokens: list[Token] = []
    if aligned:
        # Markup-derived words may be syllables ("ka" "ra" "o" "ke "): a token ends
        # where the text has whitespace. Empty words (timing gaps) add nothing.
        text = ""
        start: int | None = None
        end = 0
        for number, word in enumerate(words):
            if word.text.strip():
                if start is None:
                    start = word.start_ms
                end = max(end, word.end_ms)
            text += word.text
            last = number == len(words) - 1
            if (text and text[-1].isspace()) or last:
                if text.strip() and start is not None:
                    tokens.extend(_split_token(text, start, max(end, start)))
                text, start, end = "", None, 0
        return tokens
    # Transcript words (Whisper, Rev) are whole words, often with a leading space.
    for word in words:
        stripped = word.text.strip()
        if not stripped:
            continue
        if tokens and not word.text[:1].isspace() and not any(c.isalnum() for c in stripped):
            # A punctuation-only piece belongs to the word before it ("Hello" ",").
            previous = tokens[-1]
            tokens[-1] = Token(previous.text + stripped, previous.start_ms, max(previous.end_ms, word.end_ms))
            continue
        tail = word.text[len(word.text.rstrip()) :]
        tokens.append(Token(" ".join(stripped.split()), word.start_ms, max(word.end_ms, word.start_ms), "\n" in tail))
    return tokens


def cue_tokens(cue: Cue, *, estimate: Estimate = "chars", pauses: bool = True) -> list[Token]:
    """The words of ``cue`` with times: its own word times when it has any, else estimated.

    Syllables of markup-derived words are joined into words; transcript
    words are taken one by one. Times are kept as given (use :func:`words`
    for times clamped into the cue).

    Raises:
        OperationError: ``estimate`` is not ``chars`` or ``syllables``.
    """
    if cue.words and any(word.text.strip() for word in cue.words):
        return _tokens_from_words(cue.words, cue.words_align())
    return _tokens_from_words(estimate_words(cue, method=estimate, pauses=pauses), True)


# ---------------------------------------------------------------- re-cutting


def _break_penalty(tokens: Sequence[Token], index: int) -> float:
    """What breaking after ``tokens[index]`` costs: free at a sentence end, cheap at a pause."""
    if index >= len(tokens) - 1:
        return 0.0
    token = tokens[index]
    gap = tokens[index + 1].start_ms - token.end_ms
    if _SENTENCE_END.search(token.text) or gap >= 2 * _PAUSE_MS:
        return 0.0
    if _CLAUSE_END.search(token.text) or gap >= _PAUSE_MS:
        return 1.0
    if token.line_break:
        return 1.5
    return 3.0


#: The cost of one more line: far above any break penalty, so the fewest lines win.
_SEGMENT_COST = 10.0


def _partition(
    count: int, fits: Callable[[int, int], bool], cost: Callable[[int, int], float]
) -> list[tuple[int, int]]:
    """Split ``range(count)`` into consecutive ``[i, j)`` pieces minimising the summed cost.

    ``fits(i, j)`` says whether a piece is allowed; a one-item piece always is.
    """
    best: list[float] = [0.0] + [float("inf")] * count
    choice = [0] * (count + 1)
    for end in range(1, count + 1):
        for begin in range(end - 1, -1, -1):
            if end - begin > 1 and not fits(begin, end):
                break  # pieces only grow from here on
            value = best[begin] + cost(begin, end)
            if value < best[end]:
                best[end] = value
                choice[end] = begin
    pieces: list[tuple[int, int]] = []
    end = count
    while end > 0:
        pieces.append((choice[end], end))
        end = choice[end]
    return pieces[::-1]


def _lines(
    tokens: Sequence[Token], max_words: int | None, max_chars: int | None
) -> list[list[Token]]:
    """The tokens split into lines within the limits (without limits: at the input's line breaks)."""
    if max_words is None and max_chars is None:
        lines: list[list[Token]] = [[]]
        for number, token in enumerate(tokens):
            lines[-1].append(token)
            if token.line_break and number < len(tokens) - 1:
                lines.append([])
        return lines
    lengths = [len(token.text) for token in tokens]

    def width(begin: int, end: int) -> int:
        return sum(lengths[begin:end]) + (end - begin - 1)

    def fits(begin: int, end: int) -> bool:
        if max_words is not None and end - begin > max_words:
            return False
        return max_chars is None or width(begin, end) <= max_chars

    def cost(begin: int, end: int) -> float:
        # Slack, as a share of the limit: even lines read better than a full one and a stub.
        slack = 0.0
        if max_chars is not None:
            slack = max(max_chars - width(begin, end), 0) / max_chars
        elif max_words is not None:
            slack = (max_words - (end - begin)) / max_words
        return _SEGMENT_COST + _break_penalty(tokens, end - 1) + slack * slack

    return [list(tokens[begin:end]) for begin, end in _partition(len(tokens), fits, cost)]


#: The cost of one more cue. Ending a cue costs three times the break penalty of its last word, so a
#: cue ends mid-phrase only when that saves more than one cue over ending at punctuation or a pause.
_CUE_COST = 4.0
_CUE_BREAK_WEIGHT = 3.0


def _line_count(tokens: Sequence[Token], max_words: int | None, max_chars: int | None) -> int:
    """The fewest lines ``tokens`` fill within the limits (filling each line greedily is optimal for this)."""
    count, words, width = 1, 0, -1
    for token in tokens:
        too_many = max_words is not None and words + 1 > max_words
        too_wide = max_chars is not None and width + 1 + len(token.text) > max_chars
        if words and (too_many or too_wide):
            count, words, width = count + 1, 0, -1
        words += 1
        width += 1 + len(token.text)
    return count


def _groups(
    tokens: Sequence[Token], max_words: int | None, max_chars: int | None, max_lines: int | None
) -> list[list[list[Token]]]:
    """The tokens cut into cues of at most ``max_lines`` lines, each cue's tokens cut into lines.

    With line limits, a cue is any run of tokens that fits in ``max_lines``
    lines; without them, a run of the input's lines.
    """
    if max_lines is None:
        return [_lines(tokens, max_words, max_chars)]
    if max_words is None and max_chars is None:
        lines = _lines(tokens, None, None)
        ends: list[int] = []
        position = -1
        for line in lines:
            position += len(line)
            ends.append(position)

        def lines_fit(begin: int, end: int) -> bool:
            return end - begin <= max_lines

        def lines_cost(begin: int, end: int) -> float:
            return _CUE_COST + _CUE_BREAK_WEIGHT * _break_penalty(tokens, ends[end - 1])

        return [lines[begin:end] for begin, end in _partition(len(lines), lines_fit, lines_cost)]

    def fits(begin: int, end: int) -> bool:
        return _line_count(tokens[begin:end], max_words, max_chars) <= max_lines

    lengths = [len(token.text) + 1 for token in tokens]

    def cost(begin: int, end: int) -> float:
        # Among equal choices, cues filled evenly beat a full cue and a stub.
        if max_chars is not None:
            fill = (sum(lengths[begin:end]) - 1) / (max_chars * max_lines)
        else:
            fill = (end - begin) / ((max_words or 1) * max_lines)
        slack = max(1.0 - fill, 0.0)
        return _CUE_COST + _CUE_BREAK_WEIGHT * _break_penalty(tokens, end - 1) + slack * slack

    return [_lines(tokens[begin:end], max_words, max_chars) for begin, end in _partition(len(tokens), fits, cost)]


def _aligned_words(lines: list[list[Token]], start_ms: int, end_ms: int) -> tuple[tuple[Word, ...], str]:
    """Words whose texts join to the text of ``lines`` (returned too), times clamped to the cue."""
    words: list[Word] = []
    parts: list[str] = []
    floor = start_ms
    for line_no, line in enumerate(lines):
        for number, token in enumerate(line):
            last_in_line = number == len(line) - 1
            if not last_in_line:
                tail = " "
            elif line_no < len(lines) - 1:
                tail = "\n"
            else:
                tail = ""
            begin = min(max(token.start_ms, floor), end_ms)
            finish = min(max(token.end_ms, begin), end_ms)
            words.append(Word(text=token.text + tail, start_ms=begin, end_ms=finish))
            parts.append(token.text + tail)
            floor = begin
    return tuple(words), "".join(parts)


def _content(text: str) -> tuple[Run | LineBreak, ...]:
    items: list[Run | LineBreak] = []
    for number, line in enumerate(text.split("\n")):
        if number:
            items.append(LineBreak())
        if line:
            items.append(Run(line))
    return tuple(items)


def _recut(cue: Cue, tokens: list[Token], max_words: int | None, max_chars: int | None,
           max_lines: int | None) -> list[Cue]:
    groups = _groups(tokens, max_words, max_chars, max_lines)
    cues: list[Cue] = []
    starts = [max(min(group[0][0].start_ms, cue.end_ms), cue.start_ms) for group in groups]
    starts[0] = cue.start_ms
    for number in range(1, len(starts)):
        starts[number] = max(starts[number], starts[number - 1])
    for number, group in enumerate(groups):
        start = starts[number]
        end = starts[number + 1] if number + 1 < len(groups) else cue.end_ms
        words, text = _aligned_words(group, start, end)
        ident = cue.id if len(groups) == 1 or cue.id is None else f"{cue.id}-{number + 1}"
        cues.append(cue.replace(start_ms=start, end_ms=end, content=_content(text), words=words, id=ident))
    return cues


def _check_limit(name: str, value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise OperationError(f"{name} must be a whole number of at least 1, not {value!r}")


def words(
    doc: Document,
    *,
    estimate: Estimate = "chars",
    max_words_per_line: int | None = None,
    max_chars: int | None = None,
    max_lines: int | None = None,
    pauses: bool = True,
    reestimate: bool = False,
    report: ChangeReport | None = None,
) -> Document:
    """Give every cue timed words, and re-cut cues into lines and cues when limits are given.

    Args:
        doc: the document (not changed).
        estimate: ``"chars"`` or ``"syllables"``: how missing word times are
            estimated (see the module docs).
        max_words_per_line: at most this many words per line.
        max_chars: at most this many characters per line (spaces included).
        max_lines: at most this many lines per cue.
        pauses: leave a short silence after sentence and clause ends when estimating.
        reestimate: estimate every cue, ignoring the word times it has.
        report: counts ``estimated`` cues, ``clamped`` cues (word times moved
            inside their cue) and ``split`` cues (one per new cue beyond the first).

    Returns:
        A new document. Cue order is kept; word times lie inside their cue.

    Raises:
        OperationError: a limit below 1 or an unknown ``estimate``.
    """
    if estimate not in ESTIMATES:
        raise OperationError(f"estimate must be one of {', '.join(ESTIMATES)}, not {estimate!r}")
    _check_limit("max_words_per_line", max_words_per_line)
    _check_limit("max_chars", max_chars)
    _check_limit("max_lines", max_lines)
    recut = max_words_per_line is not None or max_chars is not None or max_lines is not None
    out: list[Cue] = []
    for cue in doc.cues:
        has_words = bool(cue.words) and any(word.text.strip() for word in cue.words)
        if reestimate or not has_words:
            estimated = estimate_words(cue, method=estimate, pauses=pauses)
            if estimated:
                add_to(report, "estimated")
            cue = cue.replace(words=estimated)
        else:
            clamped = _clamp_words(cue)
            if clamped is not cue.words:
                add_to(report, "clamped")
                cue = cue.replace(words=clamped)
        if not recut or not cue.words:
            out.append(cue)
            continue
        tokens = _tokens_from_words(cue.words, cue.words_align())
        if not tokens:
            out.append(cue)
            continue
        pieces = _recut(cue, tokens, max_words_per_line, max_chars, max_lines)
        add_to(report, "split", len(pieces) - 1)
        out.extend(pieces)
    return doc.with_cues(out)
