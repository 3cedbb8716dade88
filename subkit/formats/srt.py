"""SubRip (``.srt``): reader and writer.

There is no spec; the reader follows what FFmpeg and Subtitle Edit accept and
the writer emits what every player reads. Parsing is driven by timing lines:
one regular expression finds every ``start --> end`` line, and the text
between two of them is the first cue's text plus, at its end, the second
cue's index. So missing blank lines, missing or wrong indexes and blank lines
inside the text do not derail it.

Leniencies (each recorded as a diagnostic; ``strict=True`` raises instead):

* ``.`` or ``:`` instead of ``,`` before the milliseconds, 1-2 digit fields,
  missing hours, 1-2 digit fractions (read as decimals: ``,5`` is 500 ms,
  like pysubs2; FFmpeg would say 5 ms);
* arrow variants ``->``, ``-- >``, ``—>`` and extra spaces;
* minutes or seconds above 59 (added up arithmetically);
* negative times (kept; writers clamp them to zero);
* an end before the start (the end is set to the start);
* missing, duplicate or out-of-sequence indexes (ignored: the writer renumbers);
* text before the first timing line (skipped);
* blank lines inside a cue's text (dropped);
* a trailing ``X1:.. X2:.. Y1:.. Y2:..`` box on the timing line (kept as a position).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink, LineCounter
from subkit.formats._html import TagState, parse_tagged_line, tags_for_style
from subkit.formats._limits import HOURS_9999
from subkit.formats._lower import Lowering, lower
from subkit.formats._placement import nearest_alignment
from subkit.model import (
    EMPTY,
    NOWHERE,
    PLAIN,
    ContentItem,
    Cue,
    Document,
    LineBreak,
    LossReport,
    Placement,
    Raw,
    Run,
    RunStyle,
    _stored_content,
    _trusted_cue,
    _trusted_plain_cue,
    _trusted_run,
    content_from_text,
)
from subkit.timing import SRT_TIME, clock_ms

__all__ = ["FEATURES", "NAME", "ReadOptions", "WriteOptions", "read", "read_pieces", "sniff", "write", "write_pieces"]

NAME = "srt"

#: What the writer can express.
FEATURES = frozenset(
    {"italic", "bold", "underline", "strike", "color", "font", "alignment", "position"}
)
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
LOWERING = Lowering(max_ms=HOURS_9999, zero_label="00:00:00,000", max_label="9999:59:59,999")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(BaseReadOptions):
    """SRT reader options (only the common ones)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """SRT writer options.

    Attributes:
        alignment: write ``{\\anN}`` for cues with an alignment.
        speaker_prefix: write a cue's speaker as ``Name: `` before its text
            (otherwise the speaker is reported as dropped).
    """

    alignment: bool = True
    speaker_prefix: bool = False


# One timing line. Groups: sign, h, m, s, frac (start); sign, h, m, s, frac (end); rest.
# The sign group takes the blanks after a "-" itself: an optional sign between two runs of blanks
# would let a long run of spaces split in n² ways (catastrophic backtracking on a line of spaces).
_TIME = SRT_TIME  # one time as timing.parse_srt reads it
_TIMING = re.compile(
    rf"^([ \t]*{_TIME}[ \t]*(?:-+[ \t]*>|—+>|–+>|=+>|→)[ \t]*{_TIME})([^\n]*)$",
    re.MULTILINE,
)
_CANONICAL = re.compile(r"\d\d:\d\d:\d\d,\d\d\d --> \d\d:\d\d:\d\d,\d\d\d")
# Past 99 hours the hour field grows to three or four digits (as the writer writes it): still regular.
_LONG_HOURS = re.compile(r"(\d{2,4}):([0-5]\d):([0-5]\d),(\d\d\d) --> (\d{2,4}):([0-5]\d):([0-5]\d),(\d\d\d)")
_COORDS = re.compile(r"^\s*X1:\s*(-?\d+)\s+X2:\s*(-?\d+)\s+Y1:\s*(-?\d+)\s+Y2:\s*(-?\d+)\s*$", re.IGNORECASE)
_HOURS = {f"{n:02d}": n * 3_600_000 for n in range(100)}
_MINUTES = {f"{n:02d}": n * 60_000 for n in range(60)}
_SECONDS = {f"{n:02d}": n * 1000 for n in range(60)}
_MILLIS = {f"{n:03d}": n for n in range(1000)}
_SPACED_ARROW = re.compile(r"-[ \t]+>")
_BLANKS = re.compile(r"\n\s*\n+")
_AN = re.compile(r"^\{\\an([1-9])\}")
#: The placement of each ``{\anN}``, shared by the cues that have it.
_ALIGNED = {str(n): Placement(align=n) for n in range(1, 10)}
_CONTROL = re.compile("[\x00\u200b\ufeff]")
# A timing line cut short or garbled (a truncated file: ``00:00:17,350 --> 00:``): a time,
# then an arrow or a piece of one, then nothing but time characters.
_DAMAGED = re.compile(
    r"^[ \t]*-?\d{1,2}:\d{1,2}(?::\d{1,2})?(?:[,.]\d{0,3})?[ \t]*"
    r"(?:(?:--?>?|—>?|–>?|=>|→)[ \t]*[\d:,.]*|[,.]|:\d{0,2})?[ \t]*$",
    re.MULTILINE,
)


def sniff(head: str) -> bool:
    """True when an SRT timing line (``00:00:01,000 --> 00:00:02,000``) appears near the top."""
    if head.lstrip()[:6].upper() == "WEBVTT":
        return False
    match = _TIMING.search(head[:4096])
    return match is not None and not head[: match.start()].lstrip().startswith(("[", "{"))


def _ms(sign: str, h: str | None, m: str, s: str, frac: str | None) -> tuple[int, bool]:
    """Milliseconds of a matched time (:func:`subkit.timing.clock_ms`), and whether a field overflowed (m or s > 59)."""
    return clock_ms(h, m, s, frac, sign), (int(m) > 59 or int(s) > 59)


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse SRT text (``\\n`` newlines) into a document.

    Well-formed files take a fast path (:func:`_read_regular`); at the first
    irregularity the whole file is read again by the lenient parser, which
    gives the same result on regular files (a property test checks it).

    Raises:
        ParseError: nothing in non-empty input parses, or (strict) any flaw.
    """
    # Three `in` tests are a hundred times faster than one regex search over the file.
    if "\x00" not in data and "\u200b" not in data and "\ufeff" not in data:
        regular = _read_regular(_blocks(data))
        if regular is not None:
            return regular
    return _read_lenient(data, options)


def read_pieces(pieces: Iterable[str], *, options: ReadOptions) -> Document | None:
    """Read a large file given in pieces of whole lines, or ``None`` when :func:`read` must have it whole.

    Only the fast path of :func:`read` reads pieces (it gives the same result
    as reading their join); at the first irregularity the caller reads the
    joined text with :func:`read`.
    """
    return _read_regular(_piece_blocks(pieces), compact=True)


def _read_regular(blocks: Iterable[str], *, compact: bool = False) -> Document | None:
    """Read regular blocks (index, canonical timing line, text), else ``None``.

    ``compact`` (large files): cues of plain text store the text itself (see ``Cue.content``), which
    saves memory and costs a little time each time a writer reads their content.
    """
    cues: list[Cue] = []
    append = cues.append
    timing_shape = _CANONICAL.fullmatch
    long_shape = _LONG_HOURS.fullmatch
    hidden_timing = _TIMING.search
    placement = NOWHERE
    for block in blocks:
        if not block:
            continue
        if block[0] == "\n":
            block = block.lstrip("\n")
            if not block:
                continue
        pieces = block.split("\n", 2)
        if len(pieces) < 2 or not pieces[0].isdigit():
            return None
        timing = pieces[1]
        if timing_shape(timing):
            try:
                # Dictionary look-ups beat int() on two- and three-digit fields; minutes and
                # seconds above 59 are missing from the tables and send the file to the lenient path.
                start = _HOURS[timing[0:2]] + _MINUTES[timing[3:5]] + _SECONDS[timing[6:8]] + _MILLIS[timing[9:12]]
                end = (_HOURS[timing[17:19]] + _MINUTES[timing[20:22]] + _SECONDS[timing[23:25]]
                       + _MILLIS[timing[26:29]])
            except KeyError:
                return None
        else:
            long = long_shape(timing)
            if long is None:
                return None
            h1, m1, s1, f1, h2, m2, s2, f2 = long.groups()
            start = ((int(h1) * 60 + int(m1)) * 60 + int(s1)) * 1000 + int(f1)
            end = ((int(h2) * 60 + int(m2)) * 60 + int(s2)) * 1000 + int(f2)
        if end < start:
            return None
        body = pieces[2].rstrip() if len(pieces) == 3 else ""
        if not body:
            content: tuple[ContentItem, ...] = ()
        elif "<" in body or "{" in body or ">" in body or "→" in body:
            if _may_hide_timing(body) and hidden_timing(body):
                return None
            if body[0] == "{" and body[1:4] == "\\an" and (anchor := _AN.match(body)) is not None:
                # A leading {\anN}, as the lenient reader takes it: the rest is read as markup.
                placement = _ALIGNED[anchor.group(1)]
                body = body[anchor.end() :]
                if body.startswith("\n"):  # the tag stood alone on the first line
                    body = body[1:]
            unknown: list[str] = []
            content = _markup_items(body, unknown) if body else ()
            if unknown:
                return None
        else:
            # Plain text: a large file's cue stores it as it is (it stands for content_from_text(body)).
            if compact:
                append(_trusted_plain_cue(start, end, body, None, placement))
                placement = NOWHERE
                continue
            content = _plain(body)
        append(_trusted_cue(start, end, content, None, placement))
        placement = NOWHERE
    if not cues:
        return None
    return Document(cues=tuple(cues), source_format=NAME)


def _blocks(data: str) -> Iterator[str]:
    """The pieces of ``data`` between blank lines (``data.split("\\n\\n")`` without the list of them all).

    A million-cue file would otherwise hold a second copy of its text, in a
    million strings, while the cues are built.
    """
    start = 0
    find = data.find
    while True:
        cut = find("\n\n", start)
        if cut < 0:
            yield data[start:]
            return
        yield data[start:cut]
        start = cut + 2


def _plain(body: str) -> tuple[ContentItem, ...]:
    """``content_from_text(body)`` of non-empty text, its commonest shapes (one line, two lines) built directly."""
    if "\n" not in body:
        return (_trusted_run(body),)
    first, _, rest = body.partition("\n")
    if first and rest and "\n" not in rest:
        return (_trusted_run(first), _BREAK, _trusted_run(rest))
    return content_from_text(body)


def _piece_blocks(pieces: Iterable[str]) -> Iterator[str]:
    """The blocks of the joined ``pieces``, as :func:`_blocks` gives them, never holding more than two pieces.

    A piece with a character that sends :func:`read` to the lenient path gives
    a block the fast path refuses (``"\\x00"``), which ends the reading there.
    """
    carry = ""
    for piece in pieces:
        if "\x00" in piece or "\u200b" in piece or "\ufeff" in piece:
            yield "\x00"
            return
        text = carry + piece if carry else piece
        # The same leftmost scan as _blocks: what follows the last separator found waits for the next piece.
        start = 0
        find = text.find
        while (cut := find("\n\n", start)) >= 0:
            yield text[start:cut]
            start = cut + 2
        carry = text[start:]
    yield carry


def _may_hide_timing(body: str) -> bool:
    """Whether ``body`` has an arrow, so that a timing line might hide in it (cheap pre-test)."""
    if "→" in body:
        return True
    if ">" not in body:
        return False
    return "->" in body or "—>" in body or "–>" in body or "=>" in body or _SPACED_ARROW.search(body) is not None


def _read_lenient(data: str, options: ReadOptions) -> Document:
    """The timing-line driven reader that repairs what it can and says so."""
    sink = DiagnosticSink(NAME, options)
    if _CONTROL.search(data):
        sink.warn("NUL or zero-width characters in the text", "removed them")
        data = _CONTROL.sub("", data)
    # split() yields: text before the first timing line, then per cue the 12 groups of
    # its timing line followed by everything up to the next timing line.
    parts = _TIMING.split(data)
    if len(parts) == 1:
        if data.strip():
            raise sink.fail("no SRT timing line (00:00:00,000 --> 00:00:00,000) found", line=1,
                            excerpt=data.strip().split("\n", 1)[0])
        return Document(source_format=NAME)

    line_of = LineCounter(data)
    lead = parts[0].strip()
    if lead and not lead.isdigit():
        sink.warn("text before the first cue", "skipped it", line=1, excerpt=lead.split("\n", 1)[0])

    cues: list[Cue] = []
    append = cues.append
    canonical = _LONG_HOURS.fullmatch
    last = len(parts) - 13
    offset = len(parts[0])  # offset of the current timing line, kept only for line numbers
    for i in range(1, len(parts), 13):
        timing, sign1, h1, m1, s1, f1, sign2, h2, m2, s2, f2, rest, body = parts[i : i + 13]
        span = len(timing) + len(rest) + len(body)
        if canonical(timing):
            start = ((int(h1) * 60 + int(m1)) * 60 + int(s1)) * 1000 + int(f1)
            end = ((int(h2) * 60 + int(m2)) * 60 + int(s2)) * 1000 + int(f2)
            overflow = m1[0] > "5" or s1[0] > "5" or m2[0] > "5" or s2[0] > "5"
        else:
            start, over1 = _ms(sign1, h1, m1, s1, f1)
            end, over2 = _ms(sign2, h2, m2, s2, f2)
            overflow = over1 or over2
            timing = timing.strip()
            sink.warn(_describe(timing, (sign1, h1, m1, s1, f1, sign2, h2, m2, s2, f2)), "read it leniently",
                      line=line_of(offset), excerpt=timing)
        damaged = _DAMAGED.search(body) if ":" in body else None
        if damaged and (damaged.group().count(":") >= 2 or "-" in damaged.group() or "," in damaged.group()):
            body = _cut_damaged(body, damaged, sink, line_of(offset + span - len(body) + damaged.start() + 1))
        body = body.rstrip()
        if i < last:
            # The last line before the next timing line may be the next cue's index.
            cut = body.rfind("\n")
            if body[cut + 1 :].isdigit():
                body = body[: cut if cut > 0 else 0].rstrip()
        body = body.lstrip("\n")
        placement, extra = _after_timing(rest, sink, line_of, offset) if rest else (NOWHERE, EMPTY)
        if overflow:
            sink.warn("minutes or seconds above 59", "added them up", line=line_of(offset), excerpt=timing)
        if start < 0 or end < 0:
            sink.warn("negative time", "kept it (writers clamp it to 0)", line=line_of(offset))
        if end < start:
            sink.error("cue ends before it starts", "set its end to its start", line=line_of(offset),
                       excerpt=timing)
            end = start
        body_offset = offset + len(timing) + len(rest) + 1
        if "\n\n" in body:
            sink.warn("blank line inside a cue's text", "dropped it", line=line_of(body_offset))
            body = _BLANKS.sub("\n", body)
        content, placement = _lenient_content(body, placement, sink, line_of, body_offset)
        append(Cue(start_ms=start, end_ms=end, content=content, placement=placement, extra=extra))
        offset += span
    return Document(cues=tuple(cues), diagnostics=tuple(sink.items), source_format=NAME)


def _after_timing(rest: str, sink: DiagnosticSink, line_of: LineCounter,
                  offset: int) -> tuple[Placement, Mapping[str, str]]:
    """The placement and extra fields of what follows a timing line: ``X1:… X2:… Y1:… Y2:…`` or nothing."""
    coords = _COORDS.match(rest)
    if coords:
        x1, _x2, y1, _y2 = (int(g) for g in coords.groups())
        return Placement(align=7, x=float(x1), y=float(y1), unit="px"), {"srt.coords": rest.strip()}
    if rest.strip():
        sink.warn("unexpected text after the timing line", "ignored it", line=line_of(offset), excerpt=rest.strip())
    return NOWHERE, EMPTY


def _lenient_content(body: str, placement: Placement, sink: DiagnosticSink, line_of: LineCounter,
                     body_offset: int) -> tuple[tuple[ContentItem, ...], Placement]:
    """A cue's content from its text, and its placement with a leading ``{\\anN}`` applied."""
    if not body:
        return (), placement
    if "<" in body or "{" in body:
        anchor = _AN.match(body)
        if anchor:
            placement = Placement(align=int(anchor.group(1)), x=placement.x, y=placement.y, unit=placement.unit)
            body = body[anchor.end() :]
            if body.startswith("\n"):  # the tag stood alone on the first line
                body = body[1:]
        return _parse_markup(body, sink, line_of, body_offset), placement
    if "\n" in body:
        return content_from_text(body), placement
    return (Run(body),), placement


def _cut_damaged(body: str, damaged: re.Match[str], sink: DiagnosticSink, line: int) -> str:
    """Drop a damaged timing line (and the index before it) from a cue's text, saying so.

    What follows it up to the next good timing line has no time and goes too;
    the diagnostic counts those lines.
    """
    head = body[: damaged.start()].rstrip()
    cut = head.rfind("\n")
    if head[cut + 1 :].strip().isdigit():
        head = head[: max(cut, 0)].rstrip()
    after = [text for text in body[damaged.end() :].split("\n") if text.strip()]
    if after and after[-1].strip().isdigit():
        after.pop()  # the next cue's index
    action = "dropped it" + (f" and the {len(after)} line(s) of text after it, which have no time" if after else "")
    sink.error("damaged timing line (cut short or garbled; the file may be truncated)", action, line=line,
               excerpt=damaged.group().strip())
    return head


def _describe(timing: str, groups: tuple[str | None, ...]) -> str:
    """Say what makes a timing line non-standard, for the diagnostic."""
    problems: list[str] = []
    for offset, which in ((0, "start"), (5, "end")):
        sign, hours, _m, _s, frac = groups[offset : offset + 5]
        if sign:
            problems.append(f"negative {which}")
        if hours is None:
            problems.append(f"{which} without hours")
        if frac is None:
            problems.append(f"{which} without milliseconds")
        elif len(frac) < 3:
            millis = frac.ljust(3, "0")
            problems.append(f"{which} has a {len(frac)}-digit fraction (read as decimal: ,{frac} = {millis} ms)")
    if "-->" not in timing:
        problems.append("arrow is not '-->'")
    if timing.count(",") < sum(1 for frac in (groups[4], groups[9]) if frac is not None):
        problems.append("'.' or ':' instead of ',' before the milliseconds")
    return "non-standard timing line: " + ("; ".join(problems) if problems else "unusual digits or spacing")


_BREAK = LineBreak()


def _parse_markup(
    body: str, sink: DiagnosticSink, line_of: LineCounter, offset: int
) -> tuple[ContentItem, ...]:
    unknown: list[str] = []
    result = _markup_items(body, unknown)
    if unknown:
        sink.warn(f"unknown markup {', '.join(sorted(set(unknown)))[:80]}", "kept it as SRT-only markup",
                  line=line_of(offset))
    return result


def _markup_items(body: str, unknown: list[str]) -> tuple[ContentItem, ...]:
    """Runs of a tagged body; unknown markup is collected in ``unknown``.

    The content is built by the plan of the body's tag sequence (see
    :func:`_plan`), made once per distinct sequence: a file has few of them
    (``<i>…</i>``, ``<i>…</i>`` on two lines, one ``<b>`` word...).
    """
    if body.startswith("<i>") and body.endswith("</i>") and body.count("<") == 2 and "{" not in body:
        # The commonest markup by far: a whole cue in italics.
        return content_from_text(body[3:-4], _ITALIC)
    parts = _SPLIT(body)
    if len(parts) > _PLAN_PARTS_MAX:
        return _parse_items(body, unknown)
    # The tags and line breaks, then which texts are empty (an empty text makes no run).
    key = (*parts[1::2], *map(bool, parts[::2]))
    plan = _PLANS.get(key)
    if plan is None:
        plan = _plan(parts)
        if len(_PLANS) < _PLANS_MAX:
            _PLANS[key] = plan
    ops, plan_unknown = plan
    if plan_unknown:
        unknown.extend(plan_unknown)
    items: list[ContentItem] = []
    append = items.append
    for op in ops:
        if type(op) is tuple:
            indexes, style = op
            text = parts[indexes[0]] if len(indexes) == 1 else "".join([parts[i] for i in indexes])
            append(_trusted_run(text, style))
        else:
            append(op)  # type: ignore[arg-type]  # a line break or raw markup
    return tuple(items)


# A tag as parse_tagged_line finds it, or a line break; a tag never spans lines (each line is parsed on its own).
_SPLIT = re.compile(
    r"(\n|<[^\S\n]*/?[^\S\n]*[a-zA-Z]+(?:[^\S\n]+[^<>\n]*)?[^\S\n]*/?[^\S\n]*>|\{\\[^{}\n]*\})"
).split
#: A text run of a plan: the indexes of the texts it joins, and its style.
_RunOp = tuple[tuple[int, ...], RunStyle]
#: A plan: its items (run operations, line breaks, raw markup), and the markup it does not know.
_Plan = tuple[tuple[_RunOp | LineBreak | Raw, ...], tuple[str, ...]]
_PLANS: dict[tuple[object, ...], _Plan] = {}
_PLANS_MAX = 4096
_PLAN_PARTS_MAX = 129
_MARK = 0xE000  # private-use characters stand for the texts while a plan is made


def _plan(parts: list[str]) -> _Plan:
    """How to build the content of a body cut as ``parts`` (texts at even indexes, tags and breaks between).

    The body is parsed once with each text replaced by one private-use
    character naming its index (a character no tag can start or end at, so
    the tags are found as in the real text); the runs of the result say which
    texts each run joins, and in which style.
    """
    synthetic = "".join(part if index & 1 else (chr(_MARK + index) if part else "") for index, part in enumerate(parts))
    unknown: list[str] = []
    ops: list[_RunOp | LineBreak | Raw] = []
    for item in _parse_items(synthetic, unknown):
        if type(item) is Run:
            ops.append((tuple(ord(mark) - _MARK for mark in item.text), item.style))
        else:
            ops.append(item)  # type: ignore[arg-type]
    return tuple(ops), tuple(unknown)


def _parse_items(body: str, unknown: list[str]) -> tuple[ContentItem, ...]:
    """Runs of a tagged body, parsed line by line."""
    state = TagState()
    items: list[ContentItem] = []
    for index, text in enumerate(body.split("\n")):
        if index:
            items.append(_BREAK)
        items.extend(parse_tagged_line(text, state, NAME, unknown))
    return _merge_runs(items)


_ITALIC = RunStyle(italic=True)


def _merge_runs(items: list[ContentItem]) -> tuple[ContentItem, ...]:
    merged: list[ContentItem] = []
    for item in items:
        previous = merged[-1] if merged else None
        if type(item) is Run and type(previous) is Run and previous.style == item.style:
            merged[-1] = Run(previous.text + item.text, item.style)
        elif type(item) is Run and not item.text:
            continue
        else:
            merged.append(item)
    return tuple(merged)


def _content_text(cue: Cue) -> str:
    content = _stored_content(cue)
    if type(content) is str:  # plain text, stored as it is
        text = content
        if "\n\n" in text or text.startswith("\n") or text.endswith("\n"):
            text = "\n".join(line for line in text.split("\n") if line)
        return text
    if len(content) == 1:
        only = content[0]
        if type(only) is Run and only.style is PLAIN:
            return only.text
    parts: list[str] = []
    for item in content:
        if isinstance(item, Run):
            if item.style is PLAIN or item.style == PLAIN:
                parts.append(item.text)
            else:
                opening, closing = tags_for_style(item.style)
                parts.append(f"{opening}{item.text}{closing}")
        elif isinstance(item, LineBreak):
            parts.append("\n")
        elif item.format == NAME:
            parts.append(item.markup)
    # Empty lines would end the cue early for every reader.
    text = "".join(parts)
    if "\n\n" in text or text.startswith("\n") or text.endswith("\n"):
        text = "\n".join(line for line in text.split("\n") if line)
    return text


class _TimeFormatter:
    """``HH:MM:SS,mmm`` with the ``HH:MM:`` prefix cached per minute (cues come in order)."""

    __slots__ = ("_minute", "_prefix")

    def __init__(self) -> None:
        self._minute = -1
        self._prefix = ""

    def __call__(self, ms: int) -> str:
        if ms < 0:
            ms = 0
        minute, rest = divmod(ms, 60_000)
        if minute != self._minute:
            self._minute = minute
            hours, minutes = divmod(minute, 60)
            self._prefix = f"{hours:02d}:{minutes:02d}:"
        return f"{self._prefix}{rest // 1000:02d},{rest % 1000:03d}"


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` as SRT: cues renumbered from 1, ``HH:MM:SS,mmm`` times.

    Comment cues are left out; positions survive only as the ``X1..Y2`` box they
    were read from; negative times are clamped to zero. Every cue, the last one
    included, ends with a blank line.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    return "".join(write_pieces(doc, options=options, report=report))


#: Cues joined into one piece by :func:`write_pieces`.
_PIECE_CUES = 512


def write_pieces(doc: Document, *, options: WriteOptions, report: LossReport) -> Iterator[str]:
    """:func:`write` in pieces of a few hundred cues, for writing a large file without holding its text.

    The losses counted over all cues are reported once the last piece is made.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    supported = set(FEATURES)
    if options.speaker_prefix:
        supported.add("speaker")
    if not options.alignment:
        supported.discard("alignment")
    lowered = lower(doc, LOWERING, report, options=options, supported=supported, raw_format=NAME)
    doc = lowered.doc
    write_align = options.alignment and "alignment" not in lowered.dropped
    fmt = _TimeFormatter()
    out: list[str] = []
    lost_position = 0
    first_lost: int | None = None
    for index, (number, cue) in enumerate(lowered.each(), 1):
        start, end = cue.start_ms, cue.end_ms
        timing = f"{fmt(start)} --> {fmt(end)}"
        placement = cue.placement
        text = _content_text(cue)
        if options.speaker_prefix and cue.speaker:
            text = f"{cue.speaker}: {text}"
        if placement is not NOWHERE:
            coords = cue.extra.get("srt.coords") if cue.extra is not EMPTY else None
            if placement.x is not None:
                if coords and placement.unit == "px":
                    timing += f" {coords}"
                else:
                    lost_position += 1
                    first_lost = number if first_lost is None else first_lost
            align = placement.align
            if align is None:
                # WebVTT lines, TTML regions, coordinates: the nearest of the nine points.
                align = nearest_alignment(placement, doc.regions, doc.canvas)
                align = None if align == 2 else align
            if write_align and align is not None and not coords:
                text = f"{{\\an{align}}}{text}"  # first, where players look for it
        out.append(f"{index}\n{timing}\n{text}\n\n")
        if len(out) >= _PIECE_CUES:
            yield "".join(out)
            out.clear()
    yield "".join(out)
    if lost_position:
        report.add("position", "x/y positions cannot be written in SRT", cue=first_lost, count=lost_position)
