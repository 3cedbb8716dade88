"""The lowering stage every writer runs before producing text, and the one vocabulary of loss keys.

A writer declares, next to its ``FEATURES``, how a document must be lowered
to fit its format (a :class:`Lowering` row), and its ``write`` starts with
:func:`lower`. The stage passes the document through a fixed chain of
filters, each reporting what it changed once, under one key of
:data:`LOSS_KEYS`:

1. strictness: ``options.strict`` makes the report strict (the first loss
   raises :class:`~subkit.errors.UnsupportedFeatureError`);
2. features the format cannot express are reported (keys of
   :data:`~subkit.formats._features.FEATURE_MESSAGES`); comment cues of a
   format without ``comment`` in its features are left out of
   :attr:`Lowered.cues`;
3. ``negative``: times before zero are clamped to zero (``negative-time``);
4. ``max_ms``: times after the last one the format can write are clamped to
   it (``time-range``), so that the output reads back;
5. ``empty``: cues without text are left out (``empty-cue``);
6. ``overlaps``: cues are put in order of their start and each one ends
   when the next one starts (``overlap``).

What is left to a writer is the lowering only its format knows (rounding to
frames, the 608 schedule, per-language tracks), reported under the same
vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from subkit.formats._base import BaseWriteOptions
from subkit.formats._features import FEATURE_MESSAGES, report_unsupported
from subkit.model import Cue, Document, LossReport, Run, _stored_content

__all__ = ["LOSS_KEYS", "LOWERING_KEYS", "Lowered", "Lowering", "is_empty", "lower"]

#: Loss keys of the lowering stage itself (the timeline changes every writer shares).
LOWERING_KEYS: dict[str, str] = {
    "negative-time": "times before zero clamped to zero (or to the timecode origin)",
    "time-range": "times the format cannot write (past its last time, longer than one sample) clamped, or cues dropped",
    "empty-cue": "cues without text left out (the format cannot write them, or they would end another cue)",
    "overlap": "overlapping cues cut: a cue ends when the next one starts (the format shows one at a time)",
    "precision": "times rounded to the format's resolution (tenths, whole seconds, centiseconds)",
    "timing": "times moved or left out to fit the format (608 load and erase schedule, untimed transcripts)",
}

#: Loss keys of what one format alone has to change (text, layout, metadata).
FORMAT_KEYS: dict[str, str] = {
    "characters": "characters outside the caption character sets replaced",
    "charset": "characters outside the file's character table or code page replaced",
    "confidence": "word confidences dropped",
    "cue-count": "cues past the most the file can number dropped",
    "cue-times": "cue times not written: a cue runs from its first word to its last",
    "dropped": "captions with no time to be sent or loaded before their end dropped",
    "end-time": "end times not written: a cue lasts until the next one starts",
    "estimated-words": "word times the format needs estimated from the text",
    "frame-rate": "no usable frame rate: the format's default rate written",
    "header": "header lines the format cannot hold dropped",
    "image": "image captions dropped",
    "inline-style": "style changes inside a line dropped",
    "label": "text that looks like the format's own syntax (a timestamp, a speaker label) reads back as it",
    "line-break": "line breaks written as spaces",
    "line-length": "rows longer than the format's width wrapped or truncated",
    "merged": "captions identical to the one on screen joined to it",
    "metadata": "header fields cut to their size or code page",
    "row-length": "rows longer than the file's declared maximum",
    "rows": "more rows than the format or the file's declared maximum",
    "split": "cues that read back as several",
    "style-space": "a style change inside a word costs a column (a space)",
    "text": "characters the format uses as separators replaced in the text",
    "text-length": "text longer than a record holds cut",
    "transliteration": "typographic characters the character table lacks spelled in ASCII",
    "angle": "rotation dropped (style settings)",
    "spacing": "letter spacing dropped (style settings)",
}

#: Every key a writer may report in a :class:`~subkit.model.LossReport`, with its meaning: the feature keys
#: (a model feature the format cannot express), the lowering keys and the format keys. Documented in
#: ``docs/design.md``; a test writes awkward documents through every writer and checks the keys are these.
LOSS_KEYS: dict[str, str] = {**FEATURE_MESSAGES, **LOWERING_KEYS, **FORMAT_KEYS}


@dataclass(frozen=True, slots=True, kw_only=True)
class Lowering:
    """How a writer's format needs documents lowered (one row per writer, beside ``FEATURES``).

    Comment cues follow the features: a format without ``comment`` in its
    features reports them (``comment``) and leaves them out of
    :attr:`Lowered.cues`.

    Attributes:
        negative: ``"clamp"`` times before zero to zero (``negative-time``), or
            ``"keep"`` them (the format writes negative times, or the writer
            lowers them itself).
        max_ms: the last time the format can write; later times are clamped
            to it (``time-range``). ``None``: no limit.
        zero_label: time zero as the format writes it, for the message.
        max_label: ``max_ms`` as the format writes it, for the message.
        empty: ``"drop"`` cues without text (``empty-cue``), or ``"keep"`` them.
        overlaps: ``"cut"`` each cue where the next one starts, in order of
            start (``overlap``), or ``"keep"`` them.
    """

    negative: Literal["clamp", "keep"] = "clamp"
    max_ms: int | None = None
    zero_label: str = "0"
    max_label: str = ""
    empty: Literal["keep", "drop"] = "keep"
    overlaps: Literal["keep", "cut"] = "keep"


_ALL_FEATURES = frozenset(FEATURE_MESSAGES)


class Lowered:
    """The outcome of :func:`lower`.

    Attributes:
        doc: the document with its times lowered; comment cues stay in their
            places (notes and ids refer to cue positions), for writers that
            hand the whole document on.
        dropped: the feature keys reported as dropped.
    """

    __slots__ = ("_cues", "_drop_comments", "doc", "dropped")

    def __init__(self, doc: Document, dropped: set[str], drop_comments: bool,
                 cues: list[tuple[int, Cue]] | None = None) -> None:
        self.doc = doc
        self.dropped = dropped
        self._drop_comments = drop_comments
        self._cues = cues

    @property
    def cues(self) -> list[tuple[int, Cue]]:
        """The cues to write with their indices in the original document (for loss reports)."""
        if self._cues is None:
            if self._drop_comments:
                self._cues = [(index, cue) for index, cue in enumerate(self.doc.cues) if not cue.comment]
            else:
                self._cues = list(enumerate(self.doc.cues))
        return self._cues

    def each(self) -> Iterator[tuple[int, Cue]]:
        """:attr:`cues` one at a time, without the list of them all where none was needed (a large file's)."""
        if self._cues is not None:
            return iter(self._cues)
        if self._drop_comments:
            return ((index, cue) for index, cue in enumerate(self.doc.cues) if not cue.comment)
        return enumerate(self.doc.cues)


def is_empty(cue: Cue) -> bool:
    """Whether ``cue`` has no text to show (only spaces, line breaks or foreign markup)."""
    stored = _stored_content(cue)
    if type(stored) is str:
        return not stored.strip()
    return not any(type(item) is Run and item.text.strip() for item in stored)


def lower(
    doc: Document,
    lowering: Lowering,
    report: LossReport,
    *,
    options: BaseWriteOptions | None,
    supported: Iterable[str],
    raw_format: str | None = None,
    messages: dict[str, str] | None = None,
) -> Lowered:
    """Lower ``doc`` as ``lowering`` says, reporting each change once under :data:`LOSS_KEYS`.

    Args:
        doc: the document to write.
        lowering: the writer's declaration.
        report: where the losses go.
        options: the writer's options (``strict`` makes ``report`` strict); ``None`` from an inner writer
            whose caller passed them already.
        supported: the feature keys the writer can express with these options.
        raw_format: the format whose raw markup the writer writes back.
        messages: feature messages that differ from the usual ones.

    Returns:
        The lowered document and the cues to write.

    Raises:
        UnsupportedFeatureError: strict and something would be dropped or changed.
    """
    if options is not None and options.strict:
        report.strict = True
    supported = supported if isinstance(supported, (set, frozenset)) else set(supported)
    if supported >= _ALL_FEATURES:
        dropped: set[str] = set()  # a lossless writer: no cue needs looking at
    else:
        dropped = report_unsupported(doc, supported, report, raw_format=raw_format, messages=messages)
    drop_comments = "comment" not in supported
    cues = doc.cues
    # The cues that will be written: a cue left out is reported for that alone, not for its times too.
    written: list[int] | range = range(len(cues))
    empty: list[int] = []
    if drop_comments or lowering.empty == "drop":
        written = []
        for index, cue in enumerate(cues):
            if drop_comments and cue.comment:
                continue
            if lowering.empty == "drop" and is_empty(cue):
                empty.append(index)
                continue
            written.append(index)
    changed: list[Cue] | None = None
    if lowering.negative == "clamp":
        negative = [index for index in written if cues[index].start_ms < 0 or cues[index].end_ms < 0]
        if negative:
            report.add("negative-time", f"negative times clamped to {lowering.zero_label}", cue=negative[0],
                       count=len(negative))
            changed = list(cues)
            for index in negative:
                cue = changed[index]
                changed[index] = cue.replace(start_ms=max(cue.start_ms, 0), end_ms=max(cue.end_ms, 0))
    limit = lowering.max_ms
    if limit is not None:
        source = changed if changed is not None else cues
        late = [index for index in written if source[index].end_ms > limit]
        if late:
            report.add("time-range", f"times after {lowering.max_label or limit} clamped to it", cue=late[0],
                       count=len(late))
            changed = list(source)
            for index in late:
                cue = changed[index]
                changed[index] = cue.replace(start_ms=min(cue.start_ms, limit), end_ms=limit, words=())
    if changed is not None:
        doc = doc.with_cues(changed)
    if empty:
        report.add("empty-cue", "cues without text left out", cue=empty[0], count=len(empty))
    if lowering.empty == "keep" and lowering.overlaps == "keep":
        return Lowered(doc, dropped, drop_comments)  # the cues are listed when a writer asks for them
    final = doc.cues
    kept = [(index, final[index]) for index in written]
    if lowering.overlaps == "cut":
        kept = _cut_overlaps(kept, report)
    return Lowered(doc, dropped, drop_comments, kept)


def _cut_overlaps(cues: list[tuple[int, Cue]], report: LossReport) -> list[tuple[int, Cue]]:
    """``cues`` in order of start (stable), each ending no later than the next one starts."""
    cues = sorted(cues, key=lambda pair: pair[1].start_ms)
    cut: list[int] = []
    for position in range(len(cues) - 1):
        index, cue = cues[position]
        following = cues[position + 1][1].start_ms
        if following < cue.end_ms:
            cut.append(index)
            cues[position] = (index, cue.replace(end_ms=following))
    if cut:
        report.add("overlap", "overlapping cues cut where the next one starts", cue=min(cut), count=len(cut))
    return cues
