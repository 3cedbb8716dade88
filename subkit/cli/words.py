"""``subkit words``: give every cue timed words and re-cut cues into lines (see :func:`subkit.ops.words`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from subkit.cli._ops import OpStep, op_command, op_step
from subkit.ops import ESTIMATES, words

__all__ = ["words_command", "words_options", "words_step"]

F = TypeVar("F", bound=Callable[..., Any])

HELP = """Give every cue timed words and re-cut cues into lines.

Word times of IN (ASS karaoke, WebVTT inner timestamps, Whisper or Rev
JSON...) are kept; cues without them get estimated ones: the cue's time is
spread over its words by characters (or syllables), with short silences
after punctuation. With --max-words-per-line, --max-chars or --max-lines the
cues are also re-cut, preferably at sentence ends, clause punctuation and
pauses.

\b
Examples:
  subkit words talk.srt talk.ass
  subkit words talk.srt talk.vtt --estimate syllables --max-chars 32 --max-lines 2
"""


def words_options(function: F) -> F:
    """The options of the words op, shared by ``subkit words`` and the ``words`` step of ``subkit process``."""
    decorators = [
        click.option("--estimate", type=click.Choice(ESTIMATES), default="chars", show_default=True,
                     help="How missing word times are estimated: by characters or by syllables."),
        click.option("--max-words-per-line", type=click.IntRange(min=1), metavar="N",
                     help="At most N words per line (re-cuts the cues)."),
        click.option("--max-chars", type=click.IntRange(min=1), metavar="N",
                     help="At most N characters per line, spaces included (re-cuts the cues)."),
        click.option("--max-lines", type=click.IntRange(min=1), metavar="N",
                     help="At most N lines per cue (re-cuts the cues)."),
        click.option("--pauses/--no-pauses", default=True, show_default=True,
                     help="Leave short silences after sentence and clause ends when estimating."),
        click.option("--reestimate", is_flag=True, help="Estimate every cue, ignoring its own word times."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def _build(**options: Any) -> OpStep:
    return OpStep("words", words, dict(options))


words_command = op_command("words", words_options, _build, HELP)
words_step = op_step("words", words_options, _build, HELP)
