"""Helpers shared by the speech-recognition JSON formats (Whisper, Rev).

* :func:`load_json` parses JSON, optionally into values whose objects and
  arrays remember where they started, so that diagnostics can name a line
  (readers parse fast first and again with positions only when they have
  something to report: :func:`read_twice`); :func:`load_json_list` also
  checks the top-level list that each format keeps its cues in;
* :func:`read_confidence` reads a word's confidence, clamped to 0-1;
* :func:`seconds_to_ms` / :func:`ms_to_seconds` convert float seconds
  exactly (through the shortest decimal that reads back as the float);
* :func:`trailing_spaces` and :func:`align_to_text` give words the texts the
  model wants: joined, they are the cue text, each word keeping the space
  and punctuation that follow it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from subkit.errors import ParseError
from subkit.formats._base import DiagnosticSink, LineCounter
from subkit.model import Document
from subkit.timing import round_half_up

__all__ = [
    "JsonArray",
    "JsonObject",
    "JsonSource",
    "align_to_text",
    "dump_json",
    "leading_spaces",
    "load_json",
    "load_json_list",
    "ms_to_seconds",
    "read_confidence",
    "read_twice",
    "seconds_to_ms",
    "trailing_spaces",
]


class JsonObject(dict[str, Any]):
    """A JSON object that knows the offset of its ``{`` in the text."""

    __slots__ = ("offset",)

    def __init__(self, pairs: Any, offset: int) -> None:
        super().__init__(pairs)
        self.offset = offset


class JsonArray(list[Any]):
    """A JSON array that knows the offset of its ``[`` in the text."""

    __slots__ = ("offset",)

    def __init__(self, items: Any, offset: int) -> None:
        super().__init__(items)
        self.offset = offset


def _positioned_decoder() -> json.JSONDecoder:
    """A decoder whose objects are :class:`JsonObject`; it uses the pure-Python scanner to see offsets."""
    from json import decoder, scanner

    dec = json.JSONDecoder()
    parse_pairs = getattr(decoder, "JSONObject")  # noqa: B009 - not in the type stubs

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[JsonObject, int]:
        _, end = s_and_end
        value, after = parse_pairs(s_and_end, *args)
        return JsonObject(value, end - 1), after

    parse_items = getattr(decoder, "JSONArray")  # noqa: B009 - not in the type stubs

    def parse_array(s_and_end: tuple[str, int], *args: Any) -> tuple[JsonArray, int]:
        _, end = s_and_end
        value, after = parse_items(s_and_end, *args)
        return JsonArray(value, end - 1), after

    dec.parse_object = parse_object  # type: ignore[attr-defined]
    dec.parse_array = parse_array  # type: ignore[attr-defined]
    dec.scan_once = scanner.py_make_scanner(dec)  # type: ignore[attr-defined]
    return dec


class JsonSource:
    """Parsed JSON plus line numbers for its objects."""

    __slots__ = ("line_of", "memo", "positioned", "value")

    def __init__(self, value: Any, text: str, positioned: bool) -> None:
        self.value = value
        self.positioned = positioned
        self.memo: tuple[list[Any], int, int | None] | None = None  # the last answer of line_in
        self.line_of = LineCounter(text)

    def line(self, obj: Any) -> int | None:
        """The 1-based line where ``obj`` starts (``None`` when it is not a parsed object or array)."""
        return self.line_of(obj.offset) if isinstance(obj, (JsonObject, JsonArray)) else None

    def line_in(self, items: Any, index: int) -> int | None:
        """The line of ``items[index]``: its own, else that of the nearest object before it, else the array's.

        The answer for the last index asked is kept, so that asking along an
        array, whatever it holds, walks it once.
        """
        if not self.positioned:
            return None
        if isinstance(items, list):
            floor, known = -1, None
            if self.memo is not None and self.memo[0] is items and self.memo[1] <= index:
                floor, known = self.memo[1], self.memo[2]
            found = None
            for position in range(index, floor, -1):
                found = self.line(items[position])
                if found is not None:
                    break
            else:
                found = known if floor >= 0 else self.line(items)
            self.memo = (items, index, found)
            return found
        return self.line(items)


def load_json(data: str, sink: DiagnosticSink, what: str, *, positions: bool) -> JsonSource:
    """Parse ``data``, or raise the sink's ParseError with the line of the syntax error.

    ``positions`` uses the (slower) pure-Python scanner so that objects and
    arrays know their lines; without it :meth:`JsonSource.line` says ``None``.

    Raises:
        ParseError: ``data`` is not JSON.
    """
    if not data.strip():
        raise sink.fail(f"empty input: no {what} JSON", line=1)
    try:
        value = _positioned_decoder().decode(data) if positions else json.loads(data)
    except json.JSONDecodeError as exc:
        raise sink.fail(f"not valid JSON: {exc.msg}", line=exc.lineno,
                        excerpt=data.split("\n")[exc.lineno - 1] if exc.lineno else None) from None
    except RecursionError:
        raise sink.fail("JSON nested too deeply", line=1) from None
    except ValueError as exc:  # a number beyond what Python converts (over 4,300 digits)
        raise sink.fail(f"not valid JSON: a number too long to read ({str(exc).split(':')[0]})", line=1) from None
    return JsonSource(value, data, positions)


def load_json_list(
    data: str, sink: DiagnosticSink, what: str, key: str, *, positions: bool, not_this: str
) -> tuple[JsonSource, dict[str, Any]]:
    """:func:`load_json`, then the top-level object, which must hold a list under ``key``.

    ``not_this`` begins the error message (``"not Whisper JSON"``).

    Raises:
        ParseError: ``data`` is not JSON, or not an object with a ``key`` list.
    """
    src = load_json(data, sink, what, positions=positions)
    top = src.value
    if not isinstance(top, dict) or not isinstance(top.get(key), list):
        raise sink.fail(f"{not_this}: no '{key}' list", line=1, excerpt=data.strip().split("\n", 1)[0])
    return src, top


def read_confidence(value: Any, sink: DiagnosticSink, line: int | None) -> float | None:
    """A word's confidence as a float: ``None`` when it is no number, clamped (with a warning) outside 0-1."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return None
    if not 0.0 <= value <= 1.0:
        sink.warn(f"confidence {value!r} outside 0-1", "clamped it", line=line)
        return float(min(max(value, 0.0), 1.0))
    return float(value)


def read_twice(parse: Callable[[bool], Document], strict: bool) -> Document:
    """Run ``parse`` without positions, and again with them when it reported something.

    Most files have nothing to report, and the C JSON parser is several times
    faster than the pure-Python one that knows positions.

    Raises:
        ParseError: as ``parse`` does (with the line, from the second run).
    """
    try:
        doc = parse(False)
    except ParseError as exc:
        if exc.line is None or strict:
            return parse(True)
        raise
    return parse(True) if doc.diagnostics else doc


def seconds_to_ms(value: Any) -> int | None:
    """Milliseconds of a JSON number of seconds (rounded half up), ``None`` when it is no finite number.

    >>> seconds_to_ms(1.234), seconds_to_ms(0.1), seconds_to_ms(2), seconds_to_ms("x")
    (1234, 100, 2000, None)
    """
    kind = type(value)
    if kind is float and value >= 0 and value != math.inf:
        # The decimal digits of its shortest form, rounded half up at the third (Decimal's result).
        text = repr(value)
        if "e" not in text:
            whole, _, fraction = text.partition(".")
            ms = int(whole) * 1000 + int(fraction[:3].ljust(3, "0"))
            return ms + 1 if fraction[3:4] >= "5" else ms
    elif kind is int:
        return int(value) * 1000
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:  # pragma: no cover - repr of a finite float is always a decimal
        return None
    from fractions import Fraction

    return round_half_up(Fraction(exact) * 1000)


def ms_to_seconds(ms: int) -> float:
    """Seconds as JSON writes them: the float closest to ``ms / 1000``, whose shortest form reads back exactly.

    >>> ms_to_seconds(1234), ms_to_seconds(2000)
    (1.234, 2.0)
    """
    return ms / 1000


def trailing_spaces(texts: Sequence[str]) -> list[str]:
    """Move each word's leading whitespace to the end of the word before it (Whisper to model).

    >>> trailing_spaces([" Hello,", " world"])
    ['Hello, ', 'world']
    """
    result: list[str] = []
    for index, text in enumerate(texts):
        core = text.lstrip()
        lead = text[: len(text) - len(core)]
        if index and lead:
            result[-1] += lead
        result.append(core)
    if result:
        result[-1] = result[-1].rstrip()
    return result


def leading_spaces(texts: Sequence[str]) -> list[str]:
    """The reverse of :func:`trailing_spaces`: a word carries the whitespace before it (model to Whisper).

    >>> leading_spaces(["Hello, ", "world"])
    [' Hello,', ' world']
    """
    result: list[str] = []
    lead = " "
    for text in texts:
        core = text.rstrip()
        result.append(lead + core)
        lead = text[len(core) :] or ""
    return result


def align_to_text(text: str, words: Sequence[str]) -> list[str] | None:
    """Word texts extended to cover ``text`` exactly, or ``None`` when the words are not found in order.

    Each word is looked for after the previous one; the text between two
    words (spaces, punctuation) goes to the first, text before the first word
    to the first word too.

    >>> align_to_text("Dis-moi, est-ce vrai ?", ["Dis-moi", "est-ce", "vrai"])
    ['Dis-moi, ', 'est-ce ', 'vrai ?']
    """
    positions: list[int] = []
    cursor = 0
    for word in words:
        core = word.strip()
        found = text.find(core, cursor) if core else cursor
        if found < 0:
            return None
        positions.append(found)
        cursor = found + len(core)
    if not positions:
        return None
    positions[0] = 0
    bounds = [*positions[1:], len(text)]
    return [text[start:end] for start, end in zip(positions, bounds, strict=True)]


def dump_json(value: Any) -> str:
    """JSON text as the writers emit it: two-space indent, UTF-8 characters kept, a final newline."""
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"
