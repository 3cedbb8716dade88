"""``subkit replace``: find and replace words or patterns in cue text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from subkit.cli._ops import OpStep, op_command, op_step
from subkit.ops import Rule, load_rules, replace

__all__ = ["replace_command", "replace_step"]

F = TypeVar("F", bound=Callable[..., Any])

HELP = """Find and replace words or patterns in subtitle text.

\b
Rules come from --rules FILE (a JSON list of {"find": ..., "replace": ...}
objects, as Revid takes them) and from --find X --replace Y pairs; a --find
without --replace removes the text. Matching is literal and by whole word
(um does not hit umbrella) unless --regex or --no-whole-word; --regex allows
groups in the replacement (\\1, \\g<name>). Removing a word removes it from
the timed words and drops cues left empty; the number of changes is printed.

\b
Examples:
  subkit replace in.srt out.srt --find um --find uh
  subkit replace in.ass out.ass --find colour --replace color --ignore-case
  subkit replace in.vtt out.vtt --regex --find "(\\d+)%" --replace "\\1 percent"
  subkit replace in.srt out.srt --rules fixes.json
"""

_ORDER_KEY = "subkit.replace.order"
_FIND = ("--find", "-F")
_REPLACE = ("--replace", "-R")


class _PairedCommand(click.Command):
    """Remembers the order of --find and --replace on the command line, which pairs them."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        order: list[str] = []
        valued = {opt for param in self.params if isinstance(param, click.Option) and not param.is_flag
                  for opt in param.opts}
        skip = False
        for token in args:
            if skip:
                skip = False
                continue
            if token == "--":
                break
            name = token.split("=", 1)[0]
            if name in _FIND:
                order.append("find")
            elif name in _REPLACE:
                order.append("replace")
            skip = name in valued and "=" not in token
        ctx.meta[_ORDER_KEY] = order
        return super().parse_args(ctx, args)


def _options(function: F) -> F:
    decorators = [
        click.option("--rules", "rules_files", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
                     help="A JSON file of rules (repeatable); applied before --find/--replace."),
        click.option("-F", "--find", "finds", multiple=True, metavar="TEXT", help="Text to find (repeatable)."),
        click.option("-R", "--replace", "replacements", multiple=True, metavar="TEXT",
                     help="Replacement for the --find before it; omit it to remove."),
        click.option("-i", "--ignore-case", is_flag=True, help="Match regardless of case."),
        click.option("--regex", is_flag=True, help="--find is a regular expression (and rules without 'regex')."),
        click.option("--whole-word/--no-whole-word", default=True, show_default=True,
                     help="Match literal text only as whole words."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def _pairs(finds: Sequence[str], replacements: Sequence[str]) -> list[tuple[str, str]]:
    order = click.get_current_context().meta.get(_ORDER_KEY) or ["find"] * len(finds)
    pairs: list[list[str]] = []
    find_iter, replace_iter = iter(finds), iter(replacements)
    for kind in order:
        if kind == "find":
            pairs.append([next(find_iter), ""])
            pairs[-1].append("open")
        else:
            if not pairs or pairs[-1][2] != "open":
                raise click.UsageError("--replace must follow the --find it belongs to")
            pairs[-1][1] = next(replace_iter)
            pairs[-1][2] = "closed"
    return [(find, replacement) for find, replacement, _ in pairs]


def _build(
    rules_files: tuple[str, ...],
    finds: tuple[str, ...],
    replacements: tuple[str, ...],
    ignore_case: bool,
    regex: bool,
    whole_word: bool,
) -> OpStep:
    switches = {"regex": regex, "ignore_case": ignore_case, "whole_word": whole_word}
    rules: list[Rule] = []
    for path in rules_files:
        rules.extend(load_rules(path, **switches))
    for find, replacement in _pairs(finds, replacements):
        rules.append(Rule(find, replacement, **switches))
    if not rules:
        raise click.UsageError("give at least one --find or --rules FILE")
    return OpStep("replace", replace, {"rules": tuple(rules)})


replace_command = op_command("replace", _options, _build, HELP, cls=_PairedCommand)
replace_step = op_step("replace", _options, _build, HELP, cls=_PairedCommand)
