"""WebVTT reading: the W3C file parser and the lowering of its cues into the model (see :mod:`.webvtt`)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Final, NamedTuple

from subkit.formats._base import DiagnosticSink, LineCounter
from subkit.formats._vtt_common import (
    CUE_TEXT_KEY,
    CUE_TIMES_KEY,
    HEADER_KEY,
    LANGUAGE_LINE,
    NAME,
    POSITION_ALIGN,
    ReadOptions,
    WriteOptions,
    color_classes,
)
from subkit.formats._vtt_cuetext import (
    Element,
    StyleCache,
    TextPlans,
    apply_plan,
    flatten,
    format_cue_text,
    parse_cue_text,
    split_tags,
)
from subkit.formats._vtt_write import Writer, without_ignored
from subkit.model import (
    NOWHERE,
    ContentItem,
    Cue,
    Document,
    FrozenMap,
    LineBreak,
    LossReport,
    Note,
    Placement,
    Region,
    _trusted_cue,
    _trusted_plain_cue,
    _trusted_run,
    content_from_text,
)
from subkit.timing import format_vtt, parse_vtt_loose, vtt_fields_ms

# ---------------------------------------------------------------- reading: syntax

_BREAK = LineBreak()

_WS: Final = " \t\n\f\r"
# One timestamp as the W3C "collect a WebVTT timestamp" steps read it (the
# first field is hours when it is not two digits or is above 59: checked in
# code), and a timing line made of two.
_TS = r"(\d+):(\d{2})(?::(\d{2}))?\.(\d{3})(?!\d)"
_TIMING = re.compile(rf"[ \t\f\r]*{_TS}[ \t\f\r]*-->[ \t\f\r]*{_TS}", re.ASCII)
# A timing line W3C rejects, cut into its two would-be timestamps (for lenient
# reading and for saying what is wrong): whatever stands before and after the
# arrow up to whitespace, so "00:00:1d.890" is one (bad) timestamp, not
# "00:00:1" and a setting. The settings follow.
_LOOSE_TIMING = re.compile(r"[ \t\f\r]*([^ \t\f\r]*?)[ \t\f\r]*-->[ \t\f\r]*([^ \t\f\r]*)")
# One whole cue block of the usual shape, matched at the start of a block: an
# optional id line, a timing line with valid '.'-times (minutes and seconds
# checked by the pattern; a missing hours field needs a 2-digit mm <= 59, as
# W3C says), the settings, the payload lines, then the blank lines after it.
# Python checks that neither the id nor the payload holds "-->".
_FAST_TS = r"(?:(\d+):)?([0-5]\d:[0-5]\d)\.(\d{3})(?!\d)"
_FAST_CUE = (
    rf"[ \t\f\r]*{_FAST_TS}[ \t\f\r]*-->[ \t\f\r]*{_FAST_TS}([^\n]*)(?:\n([^\n]+(?:\n[^\n]+)*))?(?:\n\n+|\n*\Z)"
)
_FAST_BLOCK = re.compile(rf"([^\n]*)\n{_FAST_CUE}", re.ASCII)
# The same without an id line, tried first: no backtracking over the id group.
_FAST_BLOCK_NO_ID = re.compile(_FAST_CUE, re.ASCII)
#: Time fields as the fast path meets them -> milliseconds: "MM:SS", the fraction, the hours.
_MMSS: Final = {f"{m:02d}:{s:02d}": (m * 60 + s) * 1000 for m in range(60) for s in range(60)}
_FRACTION: Final = {f"{f:03d}": f for f in range(1000)}
_HOURS: Final[dict[str | None, int]] = {None: 0, **{f"{h:02d}": h * 3_600_000 for h in range(100)},
                                        **{str(h): h * 3_600_000 for h in range(10)}}
_PERCENT = re.compile(r"\d+(?:\.\d+)?%", re.ASCII)
_LINE_NUMBER = re.compile(r"-?\d+(?:\.\d+)?", re.ASCII)
_CUE_KEYS: Final = ("region", "vertical", "line", "position", "size", "align")
_LINE_ALIGN: Final = ("start", "center", "end")
_TEXT_ALIGN: Final = ("start", "center", "end", "left", "right")
# Keywords of the 2013-2016 drafts that older tools still write, and their current meaning.
_OBSOLETE_TEXT_ALIGN: Final = {"middle": "center"}
_OBSOLETE_LINE_ALIGN: Final = {"middle": "center"}
_OBSOLETE_POSITION_ALIGN: Final = {"middle": "center", "start": "line-left", "end": "line-right"}
_LEGACY_REGION = re.compile(r"Region:(.*)")
# W3C splits settings on ASCII whitespace only (str.split() would also split at NBSP).
_SPLIT_SETTINGS = re.compile(r"[ \t\n\f\r]+").split


class ParsedCue(NamedTuple):
    """One cue as the W3C parser sees it, before its text becomes model content.

    Attributes:
        offset: character offset of the timing line in the input.
        id: the cue identifier, or ``None``.
        start_ms, end_ms: the cue times.
        placement: the cue settings.
        text: the raw cue text (payload lines joined with ``\\n``).
    """

    offset: int
    id: str | None
    start_ms: int
    end_ms: int
    placement: Placement
    text: str


# (offset, id, start_ms, end_ms, placement, text): a ParsedCue as a plain tuple, for speed.
_RawCue = tuple[int, "str | None", int, int, Placement, str]


@dataclass(slots=True)
class ParsedFile:
    """Everything the W3C parser collects from a file.

    Attributes:
        header: text after the signature and the header lines (``None`` if none).
        language: from a ``Language:`` header line.
        cues: the cues in file order.
        regions: regions by id, in order.
        stylesheets: CSS of the STYLE blocks.
        notes: NOTE blocks with the index of the cue they precede.
    """

    header: str | None = None
    language: str | None = None
    cues: list[ParsedCue] = field(default_factory=list)
    regions: dict[str, Region] = field(default_factory=dict)
    stylesheets: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def _percent(text: str) -> float | None:
    """The W3C "parse a percentage string" rules: ``\\d+(.\\d+)?%`` within 0-100."""
    if _PERCENT.fullmatch(text) is None:
        return None
    value = float(text[:-1])
    return value if 0 <= value <= 100 else None


def _is_keyword_line(line: str, keyword: str) -> bool:
    """``STYLE``/``REGION`` followed only by whitespace (the W3C block header test)."""
    return line.startswith(keyword) and not line[len(keyword) :].strip(_WS)


#: A line that looks like a timing line with a wrong arrow (``->``, ``- ->``, ``—>``).
_BAD_ARROW = re.compile(r"[ \t\f\r]*\d[\d:.,]*[ \t\f\r]*(?:-[- ]*>|[\u2013\u2014]+>?|=+>)[ \t\f\r]*\d")


def _untimed_block(lines: list[str]) -> tuple[str, str]:
    """The error (message, action) for a block that is neither a cue, NOTE, STYLE nor REGION."""
    for line in lines[:2]:
        if _BAD_ARROW.match(line):
            return "block without a cue timing line ('-->' is the only arrow WebVTT knows)", "skipped it"
    return "block without a cue timing line", "skipped it"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _is_note(text: str) -> bool:
    return text.startswith("NOTE") and (len(text) == 4 or text[4] in " \t\n")


class _LooseTiming(NamedTuple):
    start_ms: int
    end_ms: int
    end: int  # where the settings start


class _Parser:
    """The W3C file parser over one input, with the sink and caches of one read."""

    def __init__(
        self, data: str, sink: DiagnosticSink, *, lenient_timestamps: bool = True, obsolete_keywords: bool = True,
        fast: bool = True, lenient_signature: bool = True,
    ) -> None:
        self.data = data
        self.sink = sink
        self.lenient_timestamps = lenient_timestamps
        self.lenient_signature = lenient_signature
        self.obsolete_keywords = obsolete_keywords
        self.fast = fast
        self.line_of = LineCounter(data)
        self.result = ParsedFile()
        self.seen_cue = False
        # Regions visible to cue settings: only those defined before the first cue (W3C).
        self.visible_regions: set[str] = set()
        self.settings_cache: dict[str, Placement] = {}
        self.ids: set[str] = set()
        self.previous_start = -1
        self.cues: list[_RawCue] = []
        # Cues read from earlier pieces of the file (read_pieces), for the notes' places.
        self.cue_base = 0
        # Blocks dropped for a bad timing line, and text blocks without one (for the "no cues" summary).
        self.bad_timings = 0
        self.untimed_blocks = 0

    # -- diagnostics ------------------------------------------------------

    def warn(self, message: str, action: str, offset: int, excerpt: str | None = None) -> None:
        self.sink.warn(message, action, line=self.line_of(offset), excerpt=excerpt)

    def error(self, message: str, action: str, offset: int, excerpt: str | None = None) -> None:
        self.sink.error(message, action, line=self.line_of(offset), excerpt=excerpt)

    # -- the file algorithm -----------------------------------------------

    def run(self, *, summary: bool = True) -> ParsedFile:
        """Read the signature, the header and the blocks of :attr:`data`.

        ``summary=False`` leaves out the error saying no cue could be read
        (more of the file follows, through :meth:`feed`).
        """
        data = self.data
        if len(data) < 6:
            raise self.sink.fail("not a WebVTT file: shorter than the WEBVTT signature", line=1, excerpt=data)
        signature = data[:6]
        if len(data) > 6 and data[6] not in " \t\n":
            raise self.sink.fail(
                "not a WebVTT file: WEBVTT must be followed by a space, tab or line break",
                line=1,
                excerpt=data.split("\n", 1)[0],
            )
        if signature != "WEBVTT":
            if signature.upper() != "WEBVTT":
                raise self.sink.fail(
                    "not a WebVTT file: it does not start with WEBVTT", line=1, excerpt=data.split("\n", 1)[0]
                )
            if not self.lenient_signature:
                raise self.sink.fail(
                    f"not a WebVTT file: signature {signature!r} is not uppercase WEBVTT (lenient_signature reads it)",
                    line=1, excerpt=data.split("\n", 1)[0],
                )
            self.warn(f"signature {signature!r} is not uppercase WEBVTT", "read it as WEBVTT", 0)
        newline = data.find("\n")
        if newline < 0:
            rest = data[7:]
            self._header(rest, [], 0)
            return self.result
        first_rest = data[7:newline] if newline > 6 else ""
        pos = newline + 1
        if pos < len(data) and data[pos] != "\n":
            # The header block: lines up to a blank line or a line with "-->".
            stop = data.find("\n\n", pos)
            stop = len(data) if stop < 0 else stop
            lines = data[pos:stop].rstrip("\n").split("\n")
            cut = 0
            while cut < len(lines) and "-->" not in lines[cut]:
                cut += 1
            self._header(first_rest, lines[:cut], pos)
            if cut < len(lines):
                offset = pos + sum(len(line) + 1 for line in lines[:cut])
                self.warn("no blank line after the header", "read the cue that follows it", offset)
                self._slow_chunk(lines[cut:], offset)
            pos = stop
        else:
            self._header(first_rest, [], pos)
        if self.fast:
            self._body(pos)
        else:
            self._slow_body(pos)
        if summary and not self.cues and (self.bad_timings or self.untimed_blocks):
            # Every would-be cue failed: say so once, above the errors of the blocks.
            what = []
            if self.bad_timings:
                what.append(_count(self.bad_timings, "block") + " with an invalid timing line")
            if self.untimed_blocks:
                what.append(_count(self.untimed_blocks, "block") + " without a timing line")
            self.sink.error(
                f"no cue could be read: skipped {' and '.join(what)}",
                "returned no cues (each skipped block is reported at its line)",
            )
        return self.result

    def feed(self, data: str, line: int) -> None:
        """Read the blocks of a later piece of the file (whole blocks, its first line being ``line``).

        The cues already taken from :attr:`cues` are counted in :attr:`cue_base`.
        """
        self.data = data
        self.line_of = LineCounter(data, line)
        if self.fast:
            self._body(0)
        else:
            self._slow_body(0)

    def _header(self, first_rest: str, lines: list[str], offset: int) -> None:
        # "WEBVTT Language: en": the place the writer uses (W3C has no header lines after the signature).
        language = LANGUAGE_LINE.fullmatch(first_rest.strip(" \t"))
        if language:
            self.result.language = language.group(1)
        kept: list[str] = []
        line_offset = offset
        for line in lines:
            legacy = _LEGACY_REGION.fullmatch(line)
            if legacy:
                self.warn(
                    "obsolete 'Region:' header line (2013 draft syntax)", "read it as a REGION block", line_offset,
                    excerpt=line,
                )
                self._region(legacy.group(1), "=", line_offset)
            else:
                language = LANGUAGE_LINE.fullmatch(line)
                if language and self.result.language is None:
                    self.result.language = language.group(1)
                kept.append(line)
            line_offset += len(line) + 1
        header = first_rest
        if kept:
            header += "\n" + "\n".join(kept)
        self.result.header = header or None

    def _slow_body(self, pos: int) -> None:
        data = self.data
        size = len(data)
        while pos < size:
            if data[pos] == "\n":
                pos += 1
                continue
            stop = data.find("\n\n", pos)
            stop = size if stop < 0 else stop
            self._slow_chunk(data[pos:stop].rstrip("\n").split("\n"), pos)
            pos = stop

    def _body(self, pos: int) -> None:
        """The blocks after the header: the fast path where it applies, else the W3C steps."""
        data = self.data
        size = len(data)
        block = _FAST_BLOCK.match
        block_no_id = _FAST_BLOCK_NO_ID.match
        mmss = _MMSS
        fraction = _FRACTION
        hours = _HOURS
        settings_cache = self.settings_cache
        append = self.cues.append
        ids = self.ids
        previous_start = self.previous_start
        with_id = False
        while pos < size:
            if data[pos] == "\n":
                pos += 1
                continue
            # Files either number their cues or do not: try the shape that matched last first.
            match = block(data, pos) if with_id else block_no_id(data, pos)
            if match is None:
                with_id = not with_id
                match = block(data, pos) if with_id else block_no_id(data, pos)
            if match is not None:
                if with_id:
                    ident, h1, ms1, f1, h2, ms2, f2, settings, payload = match.groups()
                    line_offset = pos + len(ident) + 1
                else:
                    ident = None
                    h1, ms1, f1, h2, ms2, f2, settings, payload = match.groups()
                    line_offset = pos
                text = payload or ""
                if (ident is None or "-->" not in ident) and "-->" not in text:
                    try:
                        start_ms = hours[h1] + mmss[ms1] + fraction[f1]
                        end_ms = hours[h2] + mmss[ms2] + fraction[f2]
                    except KeyError:  # hours above 99
                        start_ms = mmss[ms1] + int(f1) + (int(h1) * 3600000 if h1 else 0)
                        end_ms = mmss[ms2] + int(f2) + (int(h2) * 3600000 if h2 else 0)
                    if end_ms < start_ms:
                        self.warn("cue ends before it starts", "set its end to its start", line_offset)
                        end_ms = start_ms
                    if not settings:
                        placement = NOWHERE
                    else:
                        # Whitespace-only settings are cached as NOWHERE too.
                        placement = settings_cache.get(settings) or self._settings(settings, line_offset)
                    if ident is not None:
                        if ident in ids:
                            self.warn(f"duplicate cue identifier {ident[:40]!r}", "kept it", pos, excerpt=ident)
                        ids.add(ident)
                    if start_ms < previous_start:
                        self.warn("cue starts before the previous cue", "kept it in file order", line_offset)
                    previous_start = start_ms
                    append((line_offset, ident, start_ms, end_ms, placement, text))
                    pos = match.end()
                    continue
            # Anything else: the W3C block steps over this blank-line-separated chunk.
            stop = data.find("\n\n", pos)
            stop = size if stop < 0 else stop
            self.previous_start = previous_start
            self.seen_cue = self.seen_cue or bool(self.cues)
            self._slow_chunk(data[pos:stop].rstrip("\n").split("\n"), pos)
            previous_start = self.previous_start
            pos = stop
        self.previous_start = previous_start
        self.seen_cue = self.seen_cue or bool(self.cues)

    def _add_cue(
        self, offset: int, ident: str | None, start_ms: int, end_ms: int, placement: Placement, text: str
    ) -> None:
        if ident is not None:
            if ident in self.ids:
                self.warn(f"duplicate cue identifier {ident[:40]!r}", "kept it", offset - len(ident) - 1,
                          excerpt=ident)
            self.ids.add(ident)
        if start_ms < self.previous_start:
            self.warn("cue starts before the previous cue", "kept it in file order", offset)
        self.previous_start = start_ms
        self.cues.append((offset, ident, start_ms, end_ms, placement, text))

    def _slow_chunk(self, lines: list[str], offset: int) -> None:
        offsets: list[int] = []
        at = offset
        for line in lines:
            offsets.append(at)
            at += len(line) + 1
        index = 0
        while index < len(lines):
            index = self._block(lines, offsets, index)

    def _block(self, lines: list[str], offsets: list[int], index: int) -> int:
        """The W3C "collect a WebVTT block" steps over the lines of one chunk; returns the next index."""
        count = len(lines)
        line_count = 0
        buffer: list[str] = []
        seen_arrow = False
        cue: tuple[str | None, int, int, Placement, int] | None = None
        kind: str | None = None
        failed = False
        broke_on_arrow = False
        first_offset = offsets[index]
        while index < count:
            line = lines[index]
            line_count += 1
            if "-->" in line:
                if line_count == 1 or (line_count == 2 and not seen_arrow):
                    seen_arrow = True
                    parsed = self._timing(line, offsets[index])
                    if parsed is None:
                        cue = None
                        failed = True
                    else:
                        ident = buffer[0] if buffer else None
                        cue = (ident, parsed[0], parsed[1], parsed[2], offsets[index])
                        buffer = []
                        self.seen_cue = True
                    index += 1
                    continue
                broke_on_arrow = True
                break
            if line_count == 2 and buffer and not self.seen_cue:
                if _is_keyword_line(buffer[0], "STYLE"):
                    kind = "style"
                    buffer = []
                elif _is_keyword_line(buffer[0], "REGION"):
                    kind = "region"
                    buffer = []
            buffer.append(line)
            index += 1
        if cue is not None:
            ident, start_ms, end_ms, placement, line_offset = cue
            if broke_on_arrow:
                self.warn("no blank line before the next cue", "started a new cue there", offsets[index])
            self._add_cue(line_offset, ident, start_ms, end_ms, placement, "\n".join(buffer))
        elif kind == "style":
            self.result.stylesheets.append("\n".join(buffer))
        elif kind == "region":
            self._region("\n".join(buffer), ":", first_offset)
        elif failed:
            self.bad_timings += 1  # the timing line was diagnosed; its payload goes with it
        elif buffer:
            text = "\n".join(buffer)
            if _is_note(text):
                self.result.notes.append(Note(text=text[5:], before_cue=self.cue_base + len(self.cues)))
            elif _is_keyword_line(buffer[0], "STYLE") and len(buffer) > 1:
                # W3C ignores STYLE blocks after the first cue; browsers lose them. We keep them.
                self.warn("STYLE block after the first cue", "kept it", first_offset)
                self.result.stylesheets.append("\n".join(buffer[1:]))
            elif _is_keyword_line(buffer[0], "REGION") and len(buffer) > 1:
                self.warn("REGION block after the first cue", "kept it (cues before it cannot use it)",
                          first_offset)
                self._region("\n".join(buffer[1:]), ":", first_offset, late=True)
            elif _is_keyword_line(buffer[0], "STYLE") or _is_keyword_line(buffer[0], "REGION"):
                self.warn(f"empty {buffer[0].strip()} block", "ignored it", first_offset)
            elif all(line.startswith("Region:") for line in buffer):
                # The 2013 draft had these in the header only; vtt.js ignores them elsewhere too.
                self.error("obsolete 'Region:' lines outside the header (2013 drafts allowed them only there)",
                           "skipped them: cues cannot use these regions", first_offset, excerpt=buffer[0])
            else:
                self.untimed_blocks += 1
                self.error(*_untimed_block(buffer), first_offset, excerpt=buffer[0])
        return index

    # -- timing lines and settings -----------------------------------------

    def _timing(self, line: str, offset: int) -> tuple[int, int, Placement] | None:
        """Collect cue timings and settings (W3C, then lenient); ``None`` (diagnosed) when they fail."""
        match = _TIMING.match(line)
        start_ms = end_ms = None
        if match is not None:
            g = match.groups()
            start_ms = vtt_fields_ms(g[0], g[1], g[2], g[3])
            end_ms = vtt_fields_ms(g[4], g[5], g[6], g[7])
        if match is None or start_ms is None or end_ms is None:
            loose = self._loose_timing(line, offset)
            if loose is None:
                return None
            start_ms, end_ms = loose.start_ms, loose.end_ms
            remainder = line[loose.end :]
        else:
            remainder = line[match.end() :]
        if end_ms < start_ms:
            self.warn("cue ends before it starts", "set its end to its start", offset, excerpt=line)
            end_ms = start_ms
        placement = NOWHERE if not remainder.strip(_WS) else self._settings(remainder, offset)
        return start_ms, end_ms, placement

    def _loose_timing(self, line: str, offset: int) -> _LooseTiming | None:
        """A timing line W3C rejects: read it leniently (one warning) or say why it fails (one error)."""
        match = _LOOSE_TIMING.match(line)
        if match is None:
            self.error("invalid cue timing line (expected [hh:]mm:ss.ttt --> [hh:]mm:ss.ttt)",
                       "skipped the cue", offset, excerpt=line)
            return None
        texts = match.group(1, 2)
        start_ms, start_notes = parse_vtt_loose(texts[0])
        end_ms, end_notes = parse_vtt_loose(texts[1])
        if start_ms is None or end_ms is None:
            wrong = [f"{text!r} ({notes[0]})" for text, ms, notes in
                     ((texts[0], start_ms, start_notes), (texts[1], end_ms, end_notes)) if ms is None]
            self.error(f"invalid cue timestamp{'s' if len(wrong) > 1 else ''}: {', '.join(wrong)}",
                       "skipped the cue", offset, excerpt=line)
            return None
        repaired = [f"{text!r} ({', '.join(notes)})" for text, notes in
                    ((texts[0], start_notes), (texts[1], end_notes)) if notes]
        plural = len(repaired) > 1
        message = f"non-standard cue timestamp{'s' if plural else ''}: {', '.join(repaired)}"
        reading = f"{format_vtt(start_ms)} --> {format_vtt(end_ms)}"
        if not self.lenient_timestamps:
            self.error(message, f"skipped the cue (lenient_timestamps would read {reading})", offset, excerpt=line)
            return None
        self.warn(message, f"read {'them' if plural else 'it'} as {reading}", offset, excerpt=line)
        return _LooseTiming(start_ms, end_ms, match.end())

    def _settings(self, text: str, offset: int) -> Placement:
        """The placement of a settings string; its problems are diagnosed the first time it is seen.

        Files repeat the same settings on thousands of cues (``align:middle``):
        one diagnostic per distinct settings string says it all.
        """
        placement = self.settings_cache.get(text)
        if placement is None:
            problems: list[tuple[str, str]] = []
            placement = self._parse_settings(text, problems)
            self.settings_cache[text] = placement
            for message, action in problems:
                self.warn(message, action, offset)
        return placement

    def _parse_settings(self, text: str, problems: list[tuple[str, str]]) -> Placement:
        """The W3C "parse the WebVTT cue settings" steps (later settings win)."""
        values: dict[str, object] = {}
        seen: set[str] = set()
        for setting in _SPLIT_SETTINGS(text):
            if not setting:
                continue
            colon = setting.find(":")
            if colon <= 0 or colon == len(setting) - 1:
                problems.append((f"malformed cue setting {setting[:40]!r}", "ignored that setting"))
                continue
            name, value = setting[:colon], setting[colon + 1 :]
            if name not in _CUE_KEYS:
                problems.append((f"unknown cue setting {name[:40]!r}", "ignored that setting"))
                continue
            if name in seen:
                problems.append((f"cue setting {name!r} given twice", "the last one wins"))
            seen.add(name)
            if name == "region":
                if value in self.visible_regions:
                    values["region"] = value
                else:
                    problems.append((f"cue refers to undefined region {value[:40]!r}", "left it out of any region"))
                    values["region"] = None
            elif name == "vertical" and value in ("rl", "lr"):
                values["vertical"] = value
                values["region"] = None  # there are no vertical regions
            elif not _SETTING_READERS[name](self, value, values, problems):
                problems.append((f"invalid value {value[:40]!r} for cue setting {name!r}", "ignored that setting"))
        if not any(v is not None and k != "snap_to_lines" for k, v in values.items()):
            return NOWHERE
        return Placement(**values)  # type: ignore[arg-type]

    def _line_setting(self, value: str, values: dict[str, object], problems: list[tuple[str, str]]) -> bool:
        """``line:``; whether the value was valid (an out-of-range number is reported here and counts as valid)."""
        linepos, comma, linealign = value.partition(",")
        number: float | None = None
        if any("0" <= c <= "9" for c in linepos):
            if linepos.endswith("%"):
                number = _percent(linepos)
            elif _LINE_NUMBER.fullmatch(linepos):
                number = float(linepos)
                if not math.isfinite(number):
                    # Beyond the double range: an error for the HTML number rules W3C uses.
                    problems.append((f"line number {linepos[:20]}... beyond the range of a number",
                                     "ignored that setting"))
                    return True
        if comma and linealign not in _LINE_ALIGN and self.obsolete_keywords:
            linealign = self._obsolete(linealign, _OBSOLETE_LINE_ALIGN, "line", problems)
        if number is None or (comma and linealign not in _LINE_ALIGN):
            return False
        values["line"] = number
        values["line_align"] = linealign if comma else None
        values["snap_to_lines"] = not linepos.endswith("%")
        values["region"] = None  # an explicitly placed cue leaves its region
        return True

    def _position_setting(self, value: str, values: dict[str, object], problems: list[tuple[str, str]]) -> bool:
        """``position:``; whether the value was valid."""
        colpos, comma, colalign = value.partition(",")
        number = _percent(colpos)
        if comma and colalign not in POSITION_ALIGN and self.obsolete_keywords:
            colalign = self._obsolete(colalign, _OBSOLETE_POSITION_ALIGN, "position", problems)
        if number is None or (comma and colalign not in POSITION_ALIGN):
            return False
        values["position"] = number
        values["position_align"] = colalign if comma else None
        return True

    def _size_setting(self, value: str, values: dict[str, object], problems: list[tuple[str, str]]) -> bool:
        """``size:``; whether the value was valid."""
        number = _percent(value)
        if number is None:
            return False
        values["size"] = number
        if number != 100:
            values["region"] = None  # an explicitly sized cue leaves its region
        return True

    def _align_setting(self, value: str, values: dict[str, object], problems: list[tuple[str, str]]) -> bool:
        """``align:``; whether the value was valid."""
        if value in _TEXT_ALIGN:
            values["text_align"] = value
        elif self.obsolete_keywords and value in _OBSOLETE_TEXT_ALIGN:
            values["text_align"] = self._obsolete(value, _OBSOLETE_TEXT_ALIGN, "align", problems)
        else:
            return False
        return True

    @staticmethod
    def _obsolete(value: str, table: dict[str, str], name: str, problems: list[tuple[str, str]]) -> str:
        """The current keyword for a draft one (diagnosed), or ``value`` unchanged."""
        current = table.get(value)
        if current is None:
            return value
        problems.append((f"obsolete keyword {value!r} in cue setting {name!r}", f"read it as {current!r}"))
        return current

    def _region(self, text: str, separator: str, offset: int, *, late: bool = False) -> None:
        """The W3C "collect WebVTT region settings" steps (``separator`` is '=' for legacy headers)."""
        ident = ""
        values: dict[str, object] = {}
        for setting in _SPLIT_SETTINGS(text):
            if not setting:
                continue
            colon = setting.find(separator)
            if colon <= 0 or colon == len(setting) - 1:
                self.warn(f"malformed region setting {setting[:40]!r}", "ignored it", offset)
                continue
            name, value = setting[:colon], setting[colon + 1 :]
            if name == "id":
                ident = value
            elif name == "width":
                number = _percent(value)
                if number is None:
                    self.warn(f"invalid region width {value[:40]!r}", "ignored it", offset)
                else:
                    values["width"] = number
            elif name == "lines":
                if value.isascii() and value.isdigit():
                    values["lines"] = int(value)
                else:
                    self.warn(f"invalid region lines {value[:40]!r}", "ignored it", offset)
            elif name in ("regionanchor", "viewportanchor"):
                x_text, comma, y_text = value.partition(",")
                x, y = _percent(x_text), _percent(y_text)
                if not comma or x is None or y is None:
                    self.warn(f"invalid region {name} {value[:40]!r}", "ignored it", offset)
                else:
                    values["region_anchor" if name == "regionanchor" else "viewport_anchor"] = (x, y)
            elif name == "scroll":
                if value == "up":
                    values["scroll"] = "up"
                else:
                    self.warn(f"invalid region scroll {value[:40]!r}", "ignored it", offset)
            else:
                self.warn(f"unknown region setting {name[:40]!r}", "ignored it", offset)
        if not ident:
            self.warn("region without an id", "ignored it (no cue can refer to it)", offset)
            return
        if "-->" in ident:
            self.warn("region id contains '-->'", "ignored the region", offset)
            return
        regions = self.result.regions
        if ident in regions:
            self.warn(f"duplicate region id {ident[:40]!r}", "the later definition wins", offset)
            del regions[ident]
        regions[ident] = Region(id=ident, **values)  # type: ignore[arg-type]
        if not late:
            self.visible_regions.add(ident)
            self.settings_cache.clear()


#: The readers of the cue settings whose values need more than a look-up, by name.
_SETTING_READERS: Final[dict[str, Callable[[_Parser, str, dict[str, object], list[tuple[str, str]]], bool]]] = {
    "line": _Parser._line_setting,
    "position": _Parser._position_setting,
    "size": _Parser._size_setting,
    "align": _Parser._align_setting,
    "vertical": lambda _parser, value, values, problems: False,
}


def _prepare(data: str, sink: DiagnosticSink) -> str:
    """The W3C input transformations: no BOM, LF line ends, NUL as U+FFFD."""
    if data.startswith("\ufeff"):
        data = data[1:]
    if "\r" in data:
        data = data.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in data:
        sink.warn("NUL characters in the text", "replaced them with U+FFFD (W3C)")
        data = data.replace("\x00", "\ufffd")
    return data


def parse_file(
    data: str,
    sink: DiagnosticSink,
    *,
    lenient_timestamps: bool = True,
    obsolete_keywords: bool = True,
    fast: bool = True,
    lenient_signature: bool = True,
) -> ParsedFile:
    """Run the W3C WebVTT parser over ``data`` without touching cue text.

    ``fast=False`` forces the line-by-line W3C path for every block (the
    result is the same; tests compare the two).

    Raises:
        ParseError: the signature is missing (nothing parses), or (strict) any flaw.

    >>> from subkit.formats._base import DiagnosticSink
    >>> text = "WEBVTT\\n\\n1\\n00:01.000 --> 00:02.000 align:start\\n<b>Hi"
    >>> parsed = parse_file(text, DiagnosticSink(NAME, ReadOptions()))
    >>> cue = parsed.cues[0]
    >>> cue.id, cue.start_ms, cue.placement.text_align, cue.text
    ('1', 1000, 'start', '<b>Hi')
    """
    parser = _Parser(
        _prepare(data, sink), sink, lenient_timestamps=lenient_timestamps, obsolete_keywords=obsolete_keywords,
        fast=fast, lenient_signature=lenient_signature,
    )
    result = parser.run()
    result.cues = [ParsedCue._make(raw) for raw in parser.cues]
    return result


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse WebVTT text (``\\n`` newlines) into a document.

    Raises:
        ParseError: the WEBVTT signature is missing, or (strict) any flaw.
    """
    # subkit.loads pauses the garbage collector around large inputs (subkit._gc).
    return _read(data, options)


def _read(data: str, options: ReadOptions) -> Document:
    sink = DiagnosticSink(NAME, options)
    parser = _Parser(
        _prepare(data, sink), sink, lenient_timestamps=options.lenient_timestamps,
        obsolete_keywords=options.obsolete_keywords, lenient_signature=options.lenient_signature,
    )
    parsed = parser.run()
    builder = _CueBuilder(parsed.stylesheets, sink)
    builder.take(parser.cues, parser.line_of)
    return _document(parsed, builder.cues, sink)


def read_pieces(pieces: Iterable[str], *, options: ReadOptions) -> Document | None:
    """Read a large file given in pieces of whole lines, or ``None`` when :func:`read` must have it whole.

    The parser goes through the file a run of whole blocks at a time, and the
    cues of each run are built before the next is read, so neither the text
    nor the parser's raw cues exist whole. ``None`` where the joined text could
    read otherwise: NUL characters or a byte-order mark (which :func:`read`
    replaces first), a STYLE block after the cues were built with the ones
    before it, a file without cues (the whole-text reading says why), and
    strict reading (which must name the file's first flaw, as the
    whole-text reading does).
    """
    if options.strict:
        return None
    runs = _block_runs(pieces)
    first = next(runs, "")
    if "\x00" in first or first.startswith("\ufeff"):
        return None
    sink = DiagnosticSink(NAME, options)
    parser = _Parser(first, sink, lenient_timestamps=options.lenient_timestamps,
                     obsolete_keywords=options.obsolete_keywords, lenient_signature=options.lenient_signature)
    parsed = parser.run(summary=False)
    # The cues are built with the stylesheets that come before the first of them.
    builder: _CueBuilder | None = None
    sheets = 0
    line = 1 + first.count("\n")
    del first
    while True:
        if builder is None and parser.cues:
            builder = _CueBuilder(parsed.stylesheets, sink, compact=True)
            sheets = len(parsed.stylesheets)
        if builder is not None:
            parser.cue_base += len(parser.cues)
            builder.take(parser.cues, parser.line_of)
        run = next(runs, None)
        if run is None:
            break
        if "\x00" in run:
            return None
        parser.feed(run, line)
        line += run.count("\n")
    if builder is None or len(parsed.stylesheets) != sheets:
        return None
    return _document(parsed, builder.cues, sink)


def _block_runs(pieces: Iterable[str]) -> Iterator[str]:
    """The joined ``pieces`` cut after a blank line (``\\n\\n``) where a piece has one: runs of whole blocks.

    Every block ends at the first blank line after its start, so no block
    spans a cut, and what follows a cut is where the file parser looks for
    the next block.
    """
    carry = ""
    for piece in pieces:
        text = carry + piece if carry else piece
        cut = text.rfind("\n\n") + 2
        if cut < 2:
            carry = text
            continue
        carry = text[cut:]
        yield text[:cut]
    if carry:
        yield carry


class _CueBuilder:
    """Turns the parser's raw cues into model cues, with the style caches of one file's stylesheets."""

    def __init__(self, stylesheets: list[str], sink: DiagnosticSink, *, compact: bool = False) -> None:
        """``compact`` (large files): cues of plain text store the text itself (see ``Cue.content``)."""
        self.compact = compact
        classes = color_classes(stylesheets)
        self.classes = classes
        self.style_cache = StyleCache(classes)
        self.plans = TextPlans(classes, self.style_cache)
        self.trees = _TreeCheck(stylesheets)
        self.sink = sink
        self.cues: list[Cue] = []

    def take(self, raw: list[_RawCue], line_of: LineCounter) -> None:
        """Build the cues of ``raw`` (emptied as it goes: each raw cue is freed as soon as its cue is built)."""
        sink = self.sink
        compact = self.compact
        plans = self.plans
        trees = self.trees
        append = self.cues.append
        # The parser checked the times (ints, end >= start) and runs are split at line breaks,
        # so cues and runs can be built with the model's trusted constructors where they apply.
        raw.reverse()
        take = raw.pop
        while raw:
            offset, ident, start_ms, end_ms, placement, text = take()
            if "<" not in text and "&" not in text:
                # No markup: skip the cue text parser.
                if compact and text:  # the cue stores the text as it is (it stands for content_from_text(text))
                    append(_trusted_plain_cue(start_ms, end_ms, text, ident, placement))
                    continue
                if "\n" not in text:
                    content: tuple[ContentItem, ...] = (_trusted_run(text),) if text else ()
                else:
                    first, _, rest = text.partition("\n")
                    if first and rest and "\n" not in rest:
                        content = (_trusted_run(first), _BREAK, _trusted_run(rest))
                    else:
                        content = content_from_text(text)
                append(_trusted_cue(start_ms, end_ms, content, ident, placement))
                continue
            parts = split_tags(text)
            plan = plans.get(parts)
            if plan is not None:
                # A tag sequence seen before (or simple enough): built without the tree.
                if plan.problems:
                    line = line_of(offset) + 1
                    excerpt = text.split("\n", 1)[0]
                    for message, action in plan.problems:
                        sink.warn(message, action, line=line, excerpt=excerpt)
                content = apply_plan(plan, parts)
                cue = _trusted_cue(start_ms, end_ms, content, ident, placement, plan.speaker, plan.language)
                kept = trees.kept(cue, text, plan, parts, plan.problems) if "<" in text else None
                if kept is not None:
                    cue = _trusted_cue(start_ms, end_ms, content, ident, placement, plan.speaker, plan.language,
                                      FrozenMap({CUE_TEXT_KEY: kept}))
                append(cue)
                continue
            append(self._parsed(offset, ident, start_ms, end_ms, placement, text, parts, line_of))

    def _parsed(self, offset: int, ident: str | None, start_ms: int, end_ms: int, placement: Placement, text: str,
                parts: list[str], line_of: LineCounter) -> Cue:
        """A cue whose text goes through the cue text parser (markup not seen before)."""
        problems: list[tuple[str, str]] = []
        root = parse_cue_text(text, problems)
        tree_problems = list(problems)
        flat = flatten(root, start_ms, end_ms, self.classes, self.style_cache)
        problems.extend(flat.problems)
        if problems:
            line = line_of(offset) + 1
            # One excerpt per cue, not per problem: a line with thousands of bad tags stays linear.
            excerpt = text.split("\n", 1)[0]
            for message, action in problems:
                self.sink.warn(message, action, line=line, excerpt=excerpt)
        cue = Cue(
            start_ms=start_ms,
            end_ms=end_ms,
            content=flat.content,
            id=ident,
            placement=placement,
            speaker=flat.speaker,
            language=flat.language,
            words=flat.words,
        )
        kept = None
        if "<" in text:
            # Inner timestamps strictly inside the cue and in order (every word lasts) are written back
            # where they stood whatever their values, so cue text with the same tags is kept alike.
            key: tuple[object, ...] | None = None
            if not flat.problems and all(w.end_ms > w.start_ms for w in flat.words):
                key = _skeleton(parts)
                if flat.words and not key[-1] and flat.words[0].start_ms == start_ms:
                    key = None  # a first timestamp at the cue start: the writer leaves it out
            kept = self.trees.kept(cue, text, key, parts, tree_problems, root)
        if kept is not None:
            extra = {CUE_TEXT_KEY: kept}
            if flat.words:
                extra[CUE_TIMES_KEY] = f"{start_ms} {end_ms}"
            cue = cue.replace(extra=FrozenMap(extra))
        return cue


def _document(parsed: ParsedFile, cues: list[Cue], sink: DiagnosticSink) -> Document:
    header = {HEADER_KEY: parsed.header} if parsed.header is not None else {}
    return Document(
        cues=tuple(cues),
        regions=parsed.regions,
        language=parsed.language,
        header=header,
        stylesheets=tuple(parsed.stylesheets),
        notes=tuple(parsed.notes),
        # Cue text is read after the whole file: put its diagnostics back in line order.
        diagnostics=tuple(sorted(sink.items, key=lambda d: d.line or 0)),
        source_format=NAME,
    )


class _TreeCheck:
    """Which cues need their source text kept (:data:`CUE_TEXT_KEY`): those the writer would not give back.

    The model's runs flatten the element tree: ``<v>`` without a name, a
    class-less ``<c>``, classes on ``<b>``, the nesting order, two adjacent
    ``<i>`` and the place of inner timestamps between elements are not in
    them. A cue whose text is not exactly what the writer makes of its runs
    keeps its text, so that WebVTT -> WebVTT gives CSS the same tree ("the
    same" as W3C parses it: ``<v Anna>hi`` and ``<v Anna>hi</v>`` are one tree).
    Cue texts with the tags of one plan (see :class:`TextPlans`), or of one
    skeleton of tags and regular inner timestamps, and with line breaks in the
    same places of their texts, give the same answer, so one cue answers for
    all of them.
    """

    __slots__ = ("plans", "skeletons", "writer")

    def __init__(self, stylesheets: list[str]) -> None:
        self.writer = Writer(Document(stylesheets=tuple(stylesheets)), WriteOptions(), LossReport(NAME))
        self.plans: dict[tuple[object, ...], tuple[object, bool]] = {}
        self.skeletons: dict[tuple[object, ...], bool] = {}

    def kept(
        self,
        cue: Cue,
        text: str,
        plan: object | None,
        parts: list[str],
        problems: tuple[tuple[str, str], ...] | list[tuple[str, str]],
        root: Element | None = None,
    ) -> str | None:
        """The cue text to keep for ``cue`` (read from ``text``), or ``None`` when the writer gives it back.

        Text in which the W3C parser ignored tokens (an unmatched end tag, a
        bad timestamp) is kept as its tree without them, so that the text
        kept is the text written, and a second round trip changes nothing.
        """
        if any(action == "ignored it" for _, action in problems):
            text = without_ignored(root or parse_cue_text(text))
            plan = None
        if type(plan) is tuple:
            # A skeleton (see _skeleton): already checked to be one the writer's output depends on alone.
            found = self.skeletons.get(plan)
            if found is not None:
                return text if found else None
            differs = _differs(self.writer.text(cue, 0), text)
            self.skeletons[plan] = differs
            return text if differs else None
        if plan is None:
            return text if _differs(self.writer.text(cue, 0), text) else None
        # The same tags, and line breaks in the same places of the texts: the same trees either way.
        key = (id(plan),) if "\n" not in text else (id(plan), *map(_lines_of, parts[::2]))
        known = self.plans.get(key)
        if known is not None and known[0] is plan:
            return text if known[1] else None
        differs = _differs(self.writer.text(cue, 0), text)
        self.plans[key] = (plan, differs)
        return text if differs else None


def _differs(written: str, text: str) -> bool:
    """Whether two cue texts give different W3C trees (an open tag at the end, ``&#38;`` for ``&amp;``... do not)."""
    if written == text:
        return False
    return format_cue_text(parse_cue_text(written)) != format_cue_text(parse_cue_text(text))




def _lines_of(piece: str) -> object:
    """Where a text piece is empty and where it breaks lines: what of a text shapes a cue's runs."""
    return tuple(map(bool, piece.split("\n"))) if "\n" in piece else bool(piece)


def _skeleton(parts: list[str]) -> tuple[object, ...]:
    """Cue text cut by :func:`split_tags` without its texts (but where they are empty and break lines) and
    without the values of its timestamps.

    The last item says whether any text comes before the first timestamp.
    """
    tags: list[object] = []
    texts: list[object] = []
    text_first = False
    seen_timestamp = False
    for index, part in enumerate(parts):
        if index & 1:
            if part and "0" <= part[0] <= "9":
                tags.append(None)
                seen_timestamp = True
            else:
                tags.append(part)
        else:
            texts.append(_lines_of(part))
            if part and not seen_timestamp:
                text_first = True
    return (*tags, *texts, text_first)
