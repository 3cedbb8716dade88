"""Find and replace in cue text: literal whole words by default, or regular expressions.

Rules follow the shape of Revid's ``replace`` setting, a list of
``{"find": ..., "replace": ...}`` objects, with three optional switches of
subkit's own per rule: ``"regex"``, ``"ignore_case"`` and ``"whole_word"``.

>>> import subkit
>>> doc = subkit.loads("1\\n00:00:01,000 --> 00:00:02,000\\nSo um, the umbrella\\n", format="srt")
>>> replace(doc, [Rule("um,")]).cues[0].plain_text()
'So the umbrella'
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from subkit._text import TRAILING, Edit, collapse_removal, edit_cue
from subkit.errors import OperationError
from subkit.model import Cue, Document, Word
from subkit.ops._report import ChangeReport, add_to

__all__ = ["Rule", "load_rules", "replace"]

#: Keys a rule object may have.
RULE_KEYS = frozenset({"find", "replace", "regex", "ignore_case", "whole_word"})


@dataclass(frozen=True, slots=True)
class Rule:
    """One find/replace rule.

    Attributes:
        find: the text (or, with ``regex``, the pattern) to look for; not empty.
        replace: what to put instead; ``""`` removes the match and the space
            around it that would otherwise double.
        regex: ``find`` is a Python regular expression and ``replace`` may use
            its groups (``\\1``, ``\\g<name>``).
        ignore_case: match regardless of case.
        whole_word: a literal ``find`` matches only where it is not part of a
            longer word (``um`` does not hit ``umbrella``); ignored with ``regex``.

    Raises:
        OperationError: an empty ``find`` or a pattern that does not compile.
    """

    find: str
    replace: str = ""
    regex: bool = False
    ignore_case: bool = False
    whole_word: bool = True
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.find, str) or not self.find:
            raise OperationError("a replace rule needs a non-empty 'find'")
        if not isinstance(self.replace, str):
            raise OperationError(f"rule {self.find!r}: 'replace' must be a string, got {self.replace!r}")
        flags = re.IGNORECASE if self.ignore_case else 0
        if self.regex:
            source = self.find
        else:
            source = re.escape(self.find)
            if self.whole_word:
                # Word boundaries only where the text itself begins or ends with a word
                # character, so that rules such as "um," or "(laughs)" still match.
                if re.match(r"\w", self.find[0]):
                    source = r"(?<!\w)" + source
                if re.match(r"\w", self.find[-1]):
                    source += r"(?!\w)"
        try:
            compiled = re.compile(source, flags)
        except re.error as exc:
            raise OperationError(f"rule {self.find!r}: not a valid regular expression: {exc}") from None
        object.__setattr__(self, "pattern", compiled)

    def substitute(self, match: re.Match[str]) -> str:
        """The replacement for one match (groups expanded in regex mode).

        Raises:
            OperationError: the replacement names a group the pattern lacks.
        """
        if not self.regex:
            return _match_case(self.replace, match.group(0))
        try:
            return match.expand(self.replace)
        except (re.error, IndexError) as exc:
            raise OperationError(f"rule {self.find!r}: bad replacement {self.replace!r}: {exc}") from None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, regex: bool = False, ignore_case: bool = False,
                     whole_word: bool = True) -> Rule:
        """A rule from a ``{"find": ..., "replace": ...}`` object; the keywords are defaults for missing keys.

        Raises:
            OperationError: unknown keys, a missing ``find``, or values of the wrong type.
        """
        if not isinstance(data, Mapping):
            raise OperationError(f"a replace rule must be an object with 'find' and 'replace', got {data!r}")
        unknown = sorted(set(data) - RULE_KEYS)
        if unknown:
            hints = [f"{key!r} (did you mean {close[0]!r}?)" if (close := difflib.get_close_matches(
                str(key), sorted(RULE_KEYS), n=1)) else repr(key) for key in unknown]
            raise OperationError(f"unknown key(s) in replace rule: {', '.join(hints)}; "
                                 f"a rule has {', '.join(sorted(RULE_KEYS))}")
        if "find" not in data:
            raise OperationError(f"replace rule without 'find': {dict(data)!r}")
        switches = {"regex": regex, "ignore_case": ignore_case, "whole_word": whole_word}
        for key in switches:
            if key in data:
                if not isinstance(data[key], bool):
                    raise OperationError(f"rule {data['find']!r}: {key!r} must be true or false")
                switches[key] = data[key]
        value = data.get("replace")
        return cls(data["find"], "" if value is None else value, **switches)


def load_rules(source: str | os.PathLike[str] | Sequence[Mapping[str, Any]], **defaults: bool) -> list[Rule]:
    """Rules from a JSON file (a path) or an already decoded list of rule objects.

    The file holds Revid's list shape, ``[{"find": "um", "replace": ""}, ...]``,
    or an object with that list under ``"replace"``. ``defaults`` (``regex``,
    ``ignore_case``, ``whole_word``) apply to rules that do not say.

    Raises:
        OperationError: the file cannot be read or is not such a list.
    """
    data: Any = source
    if isinstance(source, (str, os.PathLike)):
        try:
            data = json.loads(Path(source).read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise OperationError(f"{os.fspath(source)}: cannot read the rules: {exc.strerror or exc}") from None
        except ValueError as exc:
            raise OperationError(f"{os.fspath(source)}: not JSON: {exc}") from None
    if isinstance(data, Mapping) and "replace" in data and not isinstance(data["replace"], str):
        data = data["replace"]
    if not isinstance(data, list):
        raise OperationError("replace rules must be a JSON list of {\"find\": ..., \"replace\": ...} objects")
    return [Rule.from_mapping(item, **defaults) for item in data]


def _match_case(replacement: str, found: str) -> str:
    """``replacement`` in the case of ``found`` when the rule wrote it in lower case.

    ``Damn it!`` with ``damn -> darn`` keeps its sentence case (``Darn it!``) and
    ``DAMN`` gives ``DARN``; a replacement with capitals of its own is kept as written.

    >>> _match_case("darn", "Damn"), _match_case("darn", "DAMN"), _match_case("iPhone", "IPHONE")
    ('Darn', 'DARN', 'iPhone')
    """
    if not replacement or replacement != replacement.lower() or not any(c.isalpha() for c in found):
        return replacement
    if len(found) > 1 and found.isupper():
        return replacement.upper()
    if found[0].isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement


#: What a line may hold once a rule has emptied it of words: it is then removed (``Um.`` -> ``.``).
_LEFTOVER = frozenset(".,;:!?…-–—\"'()[] ")


def _leftovers(before: str, cue: Cue) -> Cue | None:
    """``cue`` without the lines a rule left holding only punctuation (lines that had words before)."""
    had = set(before.split("\n"))
    text = cue.plain_text()
    edits: list[Edit] = []
    offset = 0
    for line in text.split("\n"):
        if line.strip() and set(line) <= _LEFTOVER and line not in had:
            edits.append((offset, offset + len(line), ""))
        offset += len(line) + 1
    return edit_cue(cue, edits) if edits else cue


def _coerce(rules: Iterable[Rule | Mapping[str, Any]] | Rule) -> list[Rule]:
    if isinstance(rules, Rule):
        return [rules]
    result = [rule if isinstance(rule, Rule) else Rule.from_mapping(rule) for rule in rules]
    if not result:
        raise OperationError("replace needs at least one rule")
    return result


def _cue_edits(rule: Rule, text: str) -> list[Edit]:
    edits: list[Edit] = []
    for match in rule.pattern.finditer(text):
        start, end = match.span()
        if start == end:  # an empty match (a pattern such as "x*") changes nothing useful
            continue
        replacement = rule.substitute(match)
        if not replacement:
            # A removed literal word takes a comma (or ; :) right after it along, when it
            # begins a line or a clause: "Um, hello" -> "hello", "so, um, yes" -> "so, yes".
            if (not rule.regex and end < len(text) and text[end] in TRAILING
                    and (start == 0 or text[start - 1] in " \n")):
                end += 1
            start, end = collapse_removal(text, start, end)
        if edits and start < edits[-1][1]:  # a widened removal met the previous edit
            start = edits[-1][1]
        edits.append((start, end, replacement))
    return edits


def _free_words(rule: Rule, words: tuple[Word, ...]) -> tuple[Word, ...]:
    """Apply ``rule`` to words that do not join to the cue text, one word at a time."""
    result: list[Word] = []
    changed = False
    for word in words:
        text = rule.pattern.sub(rule.substitute, word.text)
        if text != word.text:
            changed = True
            if not text.strip():
                continue
            word = Word(text=text, start_ms=word.start_ms, end_ms=word.end_ms,
                        confidence=word.confidence, kind=word.kind)
        result.append(word)
    return tuple(result) if changed else words


def replace(
    doc: Document,
    rules: Iterable[Rule | Mapping[str, Any]] | Rule,
    *,
    report: ChangeReport | None = None,
) -> Document:
    """Apply find/replace rules to every cue, in order (each rule sees the result of the ones before).

    Matches are found in each cue's plain text, line breaks as ``"\\n"``, so a
    match may cross styled runs; the replacement takes the style of the text
    it replaces. Removing text also removes the space that would double
    around it, and drops lines and cues left empty or holding only the
    punctuation of removed words (``Um.``). A literal replacement written in
    lower case takes the case of what it replaces (``Damn it!`` -> ``Darn it!``).
    Timed words follow: a
    replaced word is renamed, a removed one disappears from the timings.

    Args:
        doc: the document.
        rules: :class:`Rule` objects or ``{"find": ..., "replace": ...}`` mappings.
        report: counts ``replaced`` (matches) and ``cues dropped``.

    Returns:
        A new document.

    Raises:
        OperationError: no rules, or a bad rule.
    """
    checked = _coerce(rules)
    cues: list[Cue] = []
    replaced = dropped = 0
    for cue in doc.cues:
        current: Cue | None = cue
        for rule in checked:
            assert current is not None
            aligned = current.words_align()
            before = current.plain_text()
            edits = _cue_edits(rule, before)
            if edits:
                replaced += len(edits)
                current = edit_cue(current, edits)
                if current is not None:
                    current = _leftovers(before, current)
                if current is None:
                    break
            if current.words and not aligned:
                current = current.replace(words=_free_words(rule, current.words))
        if current is None:
            dropped += 1
        else:
            cues.append(current)
    add_to(report, "replaced", replaced)
    add_to(report, "cues dropped", dropped)
    return doc.with_cues(cues) if (replaced or dropped or cues != list(doc.cues)) else doc
