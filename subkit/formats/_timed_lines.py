"""Helpers shared by the one-line-per-cue formats: MicroDVD, MPL2, TMPlayer, LRC and transcripts.

These formats put a cue on one physical line, split its text lines with ``|``
(LRC and transcripts excepted), mark italic lines with a leading ``/``, and
some of them give only start times, so that a cue lasts until the next one
starts. The pieces here do those three things the same way for all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from subkit.errors import ModelError
from subkit.model import ContentItem, Cue, LineBreak, LossReport, Run, RunStyle, _trusted_run
from subkit.timing import units_ms

__all__ = [
    "ITALIC",
    "LAST_CUE_MS",
    "close_ends",
    "flat_text",
    "format_slash_lines",
    "line_runs",
    "next_starts",
    "parse_slash_lines",
    "units",
]

#: How long the last cue lasts in formats that give only start times (no next cue to end it).
LAST_CUE_MS = 3000

#: The style of an italic line.
ITALIC = RunStyle(italic=True)

_BREAK = LineBreak()


def parse_slash_lines(text: str) -> tuple[ContentItem, ...]:
    """Content of ``line|line`` text where a leading ``/`` marks an italic line (MPL2, TMPlayer).

    >>> parse_slash_lines("/Hello|there")
    (Run('Hello', RunStyle(italic=True)), LineBreak(), Run('there'))
    """
    if "\n" in text:
        raise ModelError("Run.text cannot contain a line break; use LineBreak")
    if "|" not in text:
        # One line (the usual case): no list.
        if text[:1] == "/":
            return (_trusted_run(text[1:], ITALIC),) if len(text) > 1 else ()
        return (_trusted_run(text),) if text else ()
    items: list[ContentItem] = []
    for line in text.split("|"):
        if line[:1] == "/":
            if len(line) > 1:
                items.append(_trusted_run(line[1:], ITALIC))
        elif line:
            items.append(_trusted_run(line))
        items.append(_BREAK)
    items.pop()
    return tuple(items)


def line_runs(cue: Cue) -> list[list[Run]]:
    """The runs of each line of ``cue`` (raw markup left out)."""
    return [[item for item in line if type(item) is Run] for line in cue.lines()]


def format_slash_lines(cue: Cue, index: int, report: LossReport) -> str:
    """``line|line`` text, ``/`` before a line that is italic throughout; other styles are reported.

    The caller reports unsupported features first; this reports only italics
    that cover part of a line, which a ``/`` cannot express.
    """
    content = cue.content
    if len(content) == 1 and type(content[0]) is Run:
        # One run on one line (the usual case): no per-line lists.
        run = content[0]
        text = run.text
        if run.style.italic and text:
            text = "/" + text
        return text.replace("|", "¦") if "|" in text else text
    out: list[str] = []
    for runs in line_runs(cue):
        text = "".join(run.text for run in runs)
        italic = [bool(run.style.italic) for run in runs if run.text]
        if italic and all(italic):
            text = "/" + text
        elif any(italic):
            report.add("italic", "italics over part of a line written plain (a '/' marks whole lines)", cue=index)
        out.append(text.replace("|", "¦"))
    return "|".join(out)


def flat_text(cue: Cue, index: int, report: LossReport, separator: str = " ") -> str:
    """The plain text of ``cue`` on one line: hard breaks become ``separator`` (and are reported)."""
    text = cue.plain_text()
    if "\n" in text:
        report.add("line-break", "line breaks written as spaces (the format has one line per cue)", cue=index)
        text = text.replace("\n", separator)
    return text


def next_starts(starts: Sequence[int]) -> list[int | None]:
    """For each cue, the next strictly later start among the cues after it (``None`` for none).

    >>> next_starts([0, 1000, 1000, 4000])
    [1000, 4000, 4000, None]
    """
    count = len(starts)
    nexts: list[int | None] = [None] * count
    # Scanning backwards, cues at the same time share the next later start.
    for index in range(count - 2, -1, -1):
        after = starts[index + 1]
        nexts[index] = after if after > starts[index] else nexts[index + 1]
    return nexts


def close_ends(
    starts: Sequence[int],
    ends: Sequence[int | None],
    last_ms: int = LAST_CUE_MS,
    on_open: Callable[[int], None] | None = None,
) -> list[int]:
    """End times for cues given in time order: an unknown end is the next cue's start.

    A cue with no later start lasts ``last_ms``. A known end is kept. ``on_open``
    is called with the index of each cue whose end had to be made up.

    >>> close_ends([0, 1000, 1000, 4000], [None, None, 1500, None])
    [1000, 4000, 1500, 7000]
    """
    result: list[int] = []
    nexts = next_starts(starts)
    for index, start in enumerate(starts):
        end = ends[index]
        if end is None:
            upcoming = nexts[index]
            end = upcoming if upcoming is not None else start + last_ms
            if on_open is not None:
                on_open(index)
        result.append(max(end, start))
    return result


def units(ms: int, unit_ms: int) -> int:
    """``ms`` in units of ``unit_ms`` (deciseconds, seconds), rounded half up, exactly (:func:`subkit.timing.units_ms`).

    >>> units(150, 100), units(-150, 100), units(1499, 1000)
    (2, -1, 1)
    """
    return units_ms(ms, unit_ms)
