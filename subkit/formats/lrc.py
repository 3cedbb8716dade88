"""LRC lyrics (``.lrc``), simple and enhanced; reader and writer.

A line is ``[mm:ss.xx]text``: one or more time tags, then the text. Several
time tags on one line repeat the text at each time (a chorus). Enhanced LRC
adds ``<mm:ss.xx>`` tags inside the text, each starting a word; a last tag
with nothing after it ends the last word. ID tags ``[ar:...]``, ``[ti:...]``,
``[al:...]``, ``[by:...]`` and the like fill the header; ``[offset:+n]``
(milliseconds) is applied: a positive offset makes every line appear ``n``
ms earlier, as players do.

Mapping to the model:

* each timed line (and each repetition) is a cue, sorted by time;
* a cue ends where the next later line starts; a line with a time but no
  text only ends the cue before it; the last cue lasts three seconds;
* ``[ti:]`` is :attr:`Document.title`; other ID tags are kept in
  :attr:`Document.header` as ``lrc.<tag>`` and written back;
* word tags become :attr:`Cue.words`, whose texts join to the cue text (a
  word keeps the space after it); a word ends where the next one starts.

The writer emits ``[mm:ss.xx]`` (or ``.xxx`` with ``precision=3``), an empty
line wherever a cue ends before the next starts, and word tags when the
cues have words (``enhanced``). The offset is not written back: times are
written as displayed.

Leniencies (each a diagnostic; ``strict=True`` raises instead):

* ``:`` instead of ``.`` before the fraction, a missing fraction, 1-3
  fraction digits (read as a decimal), minutes above 99 or seconds above 59;
* negative times (kept);
* word tags out of order or outside their line (clamped into order);
* an unreadable ``[offset:]`` (ignored);
* lines with no time tag: skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink
from subkit.formats._lower import Lowering, lower
from subkit.formats._timed_lines import LAST_CUE_MS, close_ends, flat_text, next_starts, units
from subkit.model import Cue, Document, LossReport, Run, Word
from subkit.timing import LRC_TIME, format_lrc, lrc_ms

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "read", "sniff", "write"]

NAME = "lrc"

#: What the writer can express (word timing with ``enhanced`` on, the default).
FEATURES = frozenset({"word-timing"})
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
#: Negative times are written as such (the reader takes them back).
LOWERING = Lowering(negative="keep")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(BaseReadOptions):
    """LRC reader options.

    Attributes:
        apply_offset: apply an ``[offset:]`` tag to the times (as players do).
    """

    apply_offset: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """LRC writer options.

    Attributes:
        enhanced: write ``<mm:ss.xx>`` word tags: ``None`` when cues have
            words, ``True`` always (a cue without words becomes one word),
            ``False`` never (word timing is reported as dropped).
        precision: fraction digits of times, 2 (centiseconds) or 3.
    """

    enhanced: bool | None = None
    precision: Literal[2, 3] = 2

    def __post_init__(self) -> None:
        if self.precision not in (2, 3):
            raise ValueError(f"precision must be 2 or 3, got {self.precision!r}")


_TIME_TAG = re.compile(r"\[[ \t]*" + LRC_TIME + r"[ \t]*\]")
_WORD_TAG = re.compile(r"<" + LRC_TIME + r">")
_ID_TAG = re.compile(r"^\[([A-Za-z#][A-Za-z0-9#_-]*):(.*)\][ \t]*$")
_CANONICAL = re.compile(r"-?\d\d+:\d\d\.\d\d\d?")
_SNIFF = re.compile(r"^\ufeff?\[(?:-?\d+:\d\d(?:\.\d{1,3})?|(?:ar|ti|al|by|au|re|ve|length|offset|la):[^\]\n]*)\]")


def sniff(head: str) -> bool:
    """True when the first non-blank line starts with ``[mm:ss.xx]`` or an LRC ID tag."""
    for line in head.split("\n", 20):
        if line.strip():
            return _SNIFF.match(line.strip()) is not None
    return False


class _Line:
    """One timed line of the file before cue ends are known."""

    __slots__ = ("end", "end_mark", "line_no", "prefix", "segments", "start")

    def __init__(
        self, line_no: int, start: int, prefix: str, segments: list[tuple[int, str]], end_mark: int | None
    ) -> None:
        self.end: int | None = None
        self.line_no = line_no
        self.start = start
        self.prefix = prefix
        self.segments = segments
        self.end_mark = end_mark


def _split_words(text: str, shift: int) -> tuple[str, list[tuple[int, str]], int | None, bool]:
    """(text before the first word tag, [(time, text)], time of a closing tag, whether any tag) of a line."""
    pieces = _WORD_TAG.split(text)
    if len(pieces) == 1:
        return text, [], None, False
    prefix = pieces[0]
    segments: list[tuple[int, str]] = []
    for i in range(1, len(pieces), 5):
        sign, minutes, seconds, fraction, after = pieces[i : i + 5]
        segments.append((lrc_ms(sign, minutes, seconds, fraction) + shift, after))
    end_mark = None
    if segments and not segments[-1][1].strip():
        end_mark = segments.pop()[0]
    return prefix, segments, end_mark, True


def _offset(raw_lines: list[str], options: ReadOptions, sink: DiagnosticSink) -> int:
    """The ``[offset:]`` in milliseconds (0 when there is none or it is not applied).

    ID tags may come anywhere, but the offset applies to every line: it is found first.
    """
    offset = 0
    for line_no, line in enumerate(raw_lines, start=1):
        tag = _ID_TAG.match(line.strip())
        if tag and tag.group(1).lower() == "offset" and options.apply_offset:
            try:
                offset = int(tag.group(2).strip().replace("+", "", 1) or "0")
            except ValueError:
                sink.warn(f"unreadable offset {tag.group(2).strip()!r}", "ignored it", line=line_no)
    return offset


def _time_tags(stripped: str, line_no: int, offset: int, sink: DiagnosticSink) -> tuple[list[int], int]:
    """The times of the ``[mm:ss.xx]`` tags a line starts with, and where its text begins."""
    position = 0
    times: list[int] = []
    while True:
        match = _TIME_TAG.match(stripped, position)
        if match is None:
            return times, position
        sign, minutes, seconds, fraction = match.groups()
        canonical = _CANONICAL.fullmatch(match.group(0)[1:-1].strip())
        if not canonical or int(seconds) > 59:
            sink.warn(f"non-standard time tag {match.group(0)}", "read it leniently", line=line_no,
                      excerpt=match.group(0))
        times.append(lrc_ms(sign, minutes, seconds, fraction) - offset)
        position = match.end()


def _end_open_lines(lines: list[_Line], since: int, times: list[int]) -> None:
    """A time with no text ends what is on screen: the open lines that started by then."""
    for time in times:
        # Lines before the previous empty line are closed or replaced by later ones.
        open_lines = [earlier for earlier in lines[since:] if earlier.end is None and earlier.start <= time]
        latest = max((earlier.start for earlier in open_lines), default=None)
        for earlier in open_lines:
            if earlier.start == latest:
                earlier.end = time


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse LRC text (``\\n`` newlines) into a document.

    Raises:
        ParseError: nothing in non-empty input is a timed line, or (strict) any flaw.
    """
    sink = DiagnosticSink(NAME, options)
    header: dict[str, str] = {}
    title: str | None = None
    raw_lines = data.split("\n")
    offset = _offset(raw_lines, options, sink)
    lines: list[_Line] = []
    since = 0
    seen_timed = False
    for line_no, line in enumerate(raw_lines, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        tag = _ID_TAG.match(stripped)
        if tag and not _TIME_TAG.match(stripped):
            key, value = tag.group(1).lower(), tag.group(2).strip()
            if key == "ti":
                title = value
            elif key != "offset":
                header[f"lrc.{key}"] = value
            continue
        times, position = _time_tags(stripped, line_no, offset, sink)
        if not times:
            sink.error("line without a time tag", "skipped it", line=line_no, excerpt=stripped)
            continue
        seen_timed = True
        if any(t < 0 for t in times):
            sink.warn("negative time", "kept it", line=line_no)
        text = stripped[position:]
        prefix, segments, end_mark, tagged = _split_words(text, -offset)
        prefix = prefix.lstrip() if tagged else text.strip()
        if not prefix and not segments:
            _end_open_lines(lines, since, times)
            since = len(lines)
            continue
        first = times[0]
        for time in times:
            # A repeated line carries its word times along with its own start.
            shift = time - first
            moved = [(at + shift, piece) for at, piece in segments]
            mark = None if end_mark is None else end_mark + shift
            lines.append(_Line(line_no, time, prefix, moved, mark))
    if not seen_timed:
        if data.strip() and not header and title is None:
            first_line = next(i for i, text in enumerate(raw_lines, start=1) if text.strip())
            raise sink.fail("no LRC time tag ([mm:ss.xx]) found", line=first_line, excerpt=raw_lines[first_line - 1])
        return Document(title=title, header=header, source_format=NAME, diagnostics=tuple(sink.items))
    lines.sort(key=lambda item: item.start)
    closed = close_ends([item.start for item in lines], [item.end for item in lines])
    cues = [_cue(item, end, sink) for item, end in zip(lines, closed, strict=True)]
    return Document(cues=tuple(cues), title=title, header=header, source_format=NAME,
                    diagnostics=tuple(sink.items))


def _cue(item: _Line, end: int, sink: DiagnosticSink) -> Cue:
    """The cue of one timed line ending at ``end``, with its words."""
    pieces: list[tuple[int, str]] = []
    if item.prefix:
        pieces.append((item.start, item.prefix))
    pieces.extend(item.segments)
    if not item.segments:
        return Cue(start_ms=item.start, end_ms=end, content=(Run(item.prefix),))
    # The line's text without spaces at either end; the words keep the spaces between them.
    texts = [text for _, text in pieces]
    texts[0] = texts[0].lstrip()
    texts[-1] = texts[-1].rstrip()
    plain = "".join(texts)
    times = [at for at, _ in pieces]
    clamped = False
    previous = item.start
    for index, at in enumerate(times):
        bounded = min(max(at, previous), end)
        if bounded != at:
            clamped = True
        times[index] = previous = bounded
    if clamped:
        sink.warn("word times out of order or outside their line", "clamped them into order", line=item.line_no)
    final = end if item.end_mark is None else min(max(item.end_mark, times[-1]), end)
    bounds = [*times[1:], final]
    words = tuple(
        Word(text=text, start_ms=at, end_ms=until) for text, at, until in zip(texts, times, bounds, strict=True)
    )
    return Cue(start_ms=item.start, end_ms=end, content=(Run(plain),) if plain else (), words=words)


def _time(ms: int, precision: int) -> str:
    return format_lrc(ms, precision)


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as LRC (enhanced when its cues have words, see :class:`WriteOptions`).

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    enhanced = options.enhanced is not False
    lowered = lower(doc, LOWERING, report, options=options, supported=FEATURES if enhanced else frozenset(),
                    raw_format=NAME)
    precision = options.precision
    unit = 10 if precision == 2 else 1
    out: list[str] = []
    if doc.title is not None:
        out.append(f"[ti:{doc.title}]\n")
    for key, value in doc.header.items():
        if key.startswith("lrc.") and key != "lrc.ti":
            out.append(f"[{key[4:]}:{value}]\n")
    # Lines go forward in time: cues in order of their start (stable; players read the file in order).
    cues = sorted(lowered.cues, key=lambda pair: units(pair[1].start_ms, unit))
    ticks = [(units(cue.start_ms, unit), units(cue.end_ms, unit)) for _, cue in cues]
    followers = next_starts([start for start, _ in ticks])
    for position, (index, cue) in enumerate(cues):
        start, end = ticks[position]
        if cue.start_ms % unit or cue.end_ms % unit:
            report.add("precision", f"times rounded to {'centiseconds' if unit == 10 else 'milliseconds'}",
                       cue=index)
        text = flat_text(cue, index, report)
        if enhanced and (cue.words or options.enhanced):
            text = _word_text(cue, index, text, unit, report)
        if not text.strip():
            report.add("empty-cue", "cues without text left out", cue=index)
            continue
        out.append(f"[{_time(start * unit, precision)}]{text}\n")
        if position + 1 < len(cues) and ticks[position + 1][0] == start:
            # The next line starts at the same time: an end line here would go back in time. Lines
            # of one time end together, when the last of them ends.
            if end != ticks[position + 1][1]:
                report.add("overlap", "lines starting at the same time end together (LRC lines cannot go "
                           "back in time)", cue=index)
            continue
        following = followers[position]
        if following is not None and end > following:
            report.add("overlap", "overlapping cues cut: a line ends when the next one starts", cue=index)
            continue
        expected = following if following is not None else start + LAST_CUE_MS // unit
        if end != expected:
            out.append(f"[{_time(end * unit, precision)}]\n")
    return "".join(out)


def _word_text(cue: Cue, index: int, text: str, unit: int, report: LossReport) -> str:
    """The line text with ``<mm:ss.xx>`` before each word (and after the last when it ends early)."""
    precision = 2 if unit == 10 else 3
    words = cue.words
    if not words:
        return f"<{_time(units(cue.start_ms, unit) * unit, precision)}>{text}" if text else text
    if "".join(w.text for w in words).replace("\n", " ") != text:
        report.add("word-timing", "word texts do not match the cue text; word times dropped", cue=index)
        return text
    parts: list[str] = []
    approximated = False
    for number, word in enumerate(words):
        if word.confidence is not None:
            report.add("confidence", "word confidences dropped", cue=index)
        following = words[number + 1].start_ms if number + 1 < len(words) else None
        if following is not None and word.end_ms != following:
            approximated = True
        parts.append(f"<{_time(units(word.start_ms, unit) * unit, precision)}>{word.text.replace(chr(10), ' ')}")
    last = words[-1]
    if units(last.end_ms, unit) != units(cue.end_ms, unit):
        parts.append(f"<{_time(units(last.end_ms, unit) * unit, precision)}>")
    if approximated:
        report.add("word-timing", "word times approximated: each word ends where the next starts", cue=index)
    return "".join(parts)
