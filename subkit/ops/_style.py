"""Word-by-word caption styling: render any document the way Revid's caption generator does.

:func:`style` takes a document (any format; word times are used when it has
them and estimated otherwise, see :func:`subkit.ops.words`) and the caption
settings Revid takes (:class:`StyleSettings`), and returns a new document
laid out for the target format:

* ``ass`` / ``ssa``: Revid's own output: one ``Default`` style, every event
  anchored with ``\\an``/``\\pos``, and per style the events described in
  :mod:`subkit.ops._style_ass` (karaoke ``\\k`` sweeps, layered highlight
  events, underlined current words, one event per word);
* ``webvtt``: a ``STYLE`` block and cues, karaoke through inner timestamps
  and ``::cue(:past)``/``::cue(:future)`` (:mod:`subkit.ops._style_vtt`);
* anything else (SRT, ...): inline colours and underline with one cue per
  word state (:mod:`subkit.ops._style_srt`).

What the target cannot express is recorded in ``losses`` (a
:class:`~subkit.model.LossReport`; a strict one raises instead). Write the
result with the matching writer: ``subkit.dumps(style(doc, s, target="webvtt"), "webvtt")``.

>>> import subkit
>>> doc = subkit.loads("1\\n00:00:00,000 --> 00:00:01,000\\nHello world\\n", format="srt")
>>> styled = style(doc, {"style": "word_by_word", "canvas_width": 1280, "canvas_height": 720})
>>> [(c.start_ms, c.end_ms, c.plain_text()) for c in styled.cues]
[(0, 500, 'Hello'), (500, 1000, 'world')]
>>> print(subkit.dumps(styled, "ass").splitlines()[-1])
Dialogue: 0,0:00:00.50,0:00:01.00,Default,,0,0,0,,{\\an2\\pos(640,600)\\c&H00FFFF&}world
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from subkit.errors import OperationError
from subkit.model import Document, LossReport
from subkit.ops._report import ChangeReport, add_to
from subkit.ops._style_settings import ALIGNMENTS, POSITIONS, STYLES, StyleSettings
from subkit.ops._words import ESTIMATES, Estimate

__all__ = ["ALIGNMENTS", "POSITIONS", "STYLES", "StyleSettings", "style", "target_family"]


def target_family(target: str) -> str:
    """``"ass"``, ``"webvtt"`` or ``"flat"``: which renderer serves the format ``target``.

    Raises:
        UnknownFormatError: ``target`` is not a format name.
    """
    from subkit import formats

    name = formats.get(target).name
    if name in ("ass", "ssa"):
        return "ass"
    if name == "webvtt":
        return "webvtt"
    return "flat"


def style(
    doc: Document,
    settings: StyleSettings | Mapping[str, Any] | None = None,
    *,
    target: str = "ass",
    estimate: Estimate = "chars",
    pauses: bool = True,
    sweep: bool = False,
    losses: LossReport | None = None,
    report: ChangeReport | None = None,
) -> Document:
    """Lay ``doc`` out as styled captions for the format ``target``.

    Args:
        doc: the document (not changed). Comment cues and cues without words
            are left out; inline formatting of the input is replaced by the
            settings' look.
        settings: a :class:`StyleSettings`, or Revid's JSON object (a dict);
            ``None`` for the defaults (classic, white, bottom centre).
        target: the format the result will be written in (``ass``, ``ssa``,
            ``webvtt``, ``srt``, ...).
        estimate: how word times missing from the input are estimated
            (``chars`` or ``syllables``).
        pauses: leave short silences after punctuation when estimating.
        sweep: karaoke in ASS fills each word from left to right (``\\kf``)
            instead of switching it at once (``\\k``, as Revid does).
        losses: receives what ``target`` cannot express (strict: raises).
        report: counts the ``cues`` read and the ``events`` made.

    Returns:
        The styled document (canvas set; for ASS one ``Default`` style).

    Raises:
        OperationError: bad settings or options.
        UnknownFormatError: ``target`` is not a format.
        UnsupportedFeatureError: ``losses`` is strict and ``target`` cannot
            express a setting.
    """
    if settings is None:
        resolved = StyleSettings()
    elif isinstance(settings, StyleSettings):
        resolved = settings
    elif isinstance(settings, Mapping):
        resolved = StyleSettings.from_json(settings)
    else:
        raise OperationError(f"settings must be StyleSettings or a mapping, not {type(settings).__name__}")
    if estimate not in ESTIMATES:
        raise OperationError(f"estimate must be one of {', '.join(ESTIMATES)}, not {estimate!r}")
    family = target_family(target)
    if family == "ass":
        from subkit.ops._style_ass import render_ass

        result = render_ass(doc, resolved, estimate=estimate, pauses=pauses, sweep=sweep)
    elif family == "webvtt":
        from subkit.ops._style_vtt import render_vtt

        result = render_vtt(doc, resolved, estimate=estimate, pauses=pauses, losses=losses)
    else:
        from subkit import formats
        from subkit.ops._style_srt import render_flat

        result = render_flat(doc, resolved, target=formats.get(target).name, estimate=estimate, pauses=pauses,
                             losses=losses)
    add_to(report, "cues", len(doc.cues))
    add_to(report, "events", len(result.cues))
    return result
