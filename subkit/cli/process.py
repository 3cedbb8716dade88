"""``subkit process``: run a chain of ops on one file, read once and written once.

``subkit process IN OUT STEP [ARGS] [STEP [ARGS]] ...``, or with the output
as a last step: ``subkit process IN STEP ... save OUT``, or many inputs and
folders before the first step (named as the op commands name them). Each step is a click
command of its own (``<op>_step`` in ``subkit/cli/<op>.py``) with the options
of the standalone ``subkit <op>`` command; :data:`STEPS` names them and they
are imported only when used. The arguments are split at step names, each
step's options are parsed by its own command, and its callback returns the
``Document -> Document`` function to run.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from pathlib import Path

import click

from subkit.cli._ops import pipeline
from subkit.cli._run import READ_WRITE, Job, RunSettings, io_options, pass_settings, plan_jobs, run_jobs
from subkit.model import Document

__all__ = ["STEPS", "load_step", "process_command", "split_chain", "split_steps"]

#: Step name -> ``"module:attribute"`` of its click command (imported lazily).
STEPS: dict[str, str] = {
    "clean": "subkit.cli.clean:clean_step",
    "exclude": "subkit.cli.exclude:exclude_step",
    "lint": "subkit.cli.lint:lint_step",
    "replace": "subkit.cli.replace:replace_step",
    "retime": "subkit.cli.retime:retime_step",
    "style": "subkit.cli.style:style_step",
    "sync": "subkit.cli.sync:sync_step",
    "words": "subkit.cli.words:words_step",
}

#: The pseudo-step naming the output at the end of the chain.
SAVE = "save"


def load_step(name: str) -> click.Command:
    """Import the click command of step ``name``.

    Raises:
        click.UsageError: no such step.
        TypeError: the table names something that is not a click command.
    """
    target = STEPS.get(name)
    if target is None:
        raise click.UsageError(f"unknown step {name!r} (steps: {', '.join(sorted(STEPS))}, save)")
    module_name, _, attribute = target.partition(":")
    command = getattr(importlib.import_module(module_name), attribute)
    if not isinstance(command, click.Command):
        raise TypeError(f"{target} is not a click command")
    return command


def _valued_options(command: click.Command) -> set[str]:
    """The option strings of ``command`` that take a value (their next argument is never a step name)."""
    return {
        opt
        for param in command.params
        if isinstance(param, click.Option) and not param.is_flag and not param.count
        for opt in (*param.opts, *param.secondary_opts)
    }


def split_chain(args: Sequence[str]) -> tuple[list[str], str | None, list[tuple[str, list[str]]]]:
    """Split the arguments after the first IN into ``(more paths, save OUT or None, [(step, its args), ...])``.

    The words before the first step name are paths (more inputs, or OUT). A
    word is a step name only where it cannot be the value of the previous
    step's option, so ``replace --find clean`` finds the word "clean".

    Raises:
        click.UsageError: no step, a stray argument, or ``save`` misplaced.

    >>> split_chain(["b.srt", "out/", "exclude", "--range", "0:10-0:20", "replace", "--find", "um"])
    (['b.srt', 'out/'], None, [('exclude', ['--range', '0:10-0:20']), ('replace', ['--find', 'um'])])
    """
    items = list(args)
    paths: list[str] = []
    while items and items[0] not in STEPS and items[0] != SAVE:
        paths.append(items.pop(0))
    saved: str | None = None
    steps: list[tuple[str, list[str]]] = []
    index = 0
    while index < len(items):
        name = items[index]
        index += 1
        if name == SAVE:
            if index >= len(items):
                raise click.UsageError("'save' needs an output file: save OUT")
            saved = items[index]
            if index + 1 < len(items):
                raise click.UsageError(f"'save OUT' must come last; found {items[index + 1]!r} after it")
            break
        if name not in STEPS:
            raise click.UsageError(f"expected a step name, got {name!r} (steps: {', '.join(sorted(STEPS))}, save)")
        valued = _valued_options(load_step(name))
        own: list[str] = []
        while index < len(items):
            token = items[index]
            if (token in STEPS or token == SAVE) and not (own and own[-1] in valued and "=" not in own[-1]):
                break
            own.append(token)
            index += 1
        steps.append((name, own))
    if not steps:
        # The last of several words may be a misspelt step rather than a path.
        got = f"expected a step name, got {paths[-1]!r}; " if len(paths) > 1 else ""
        raise click.UsageError(f"{got}no steps given (steps: {', '.join(sorted(STEPS))})")
    return paths, saved, steps


def split_steps(args: Sequence[str]) -> tuple[str | None, list[tuple[str, list[str]]]]:
    """Split the arguments after IN into ``(OUT, [(step, its args), ...])``: one output at most.

    Raises:
        click.UsageError: no step, a stray argument, or OUT given twice.

    >>> split_steps(["out.srt", "exclude", "--range", "0:10-0:20", "replace", "--find", "um"])
    ('out.srt', [('exclude', ['--range', '0:10-0:20']), ('replace', ['--find', 'um'])])
    """
    paths, saved, steps = split_chain(args)
    if len(paths) > 1:
        raise click.UsageError(f"expected a step name, got {paths[1]!r} (steps: {', '.join(sorted(STEPS))}, save)")
    if paths and saved is not None:
        raise click.UsageError("the output is given twice (OUT and save)")
    return (paths[0] if paths else saved), steps


def _build(ctx: click.Context, name: str, args: list[str]) -> Callable[[Document], Document]:
    command = load_step(name)
    try:
        with command.make_context(name, list(args), parent=ctx) as step_ctx:
            function = step_ctx.invoke(command.callback, **step_ctx.params)  # type: ignore[arg-type]
    except click.UsageError as exc:
        # The usage line shown is that of "subkit NAME" (whose options the step takes), not process's IN/OUT pieces.
        exc.ctx = click.Context(command, info_name=name, parent=ctx.find_root())
        if not exc.message.startswith("step "):
            exc.message = f"step {name}: {exc.message}"
        raise
    if not callable(function):
        raise TypeError(f"step {name!r} did not return a function")
    return function  # type: ignore[no-any-return]


_EPILOG = "\b\nSteps:\n  " + ", ".join(sorted([*STEPS, SAVE])) + "\n(see subkit COMMAND --help for each step's options)"


@click.command(
    "process",
    context_settings={"help_option_names": ["-h", "--help"], "ignore_unknown_options": True,
                      "allow_interspersed_args": False},
    epilog=_EPILOG,
)
@io_options(*READ_WRITE)
@click.argument("source", metavar="IN...")
@click.argument("chain", nargs=-1, type=click.UNPROCESSED, metavar="[OUT] STEP [ARGS]... [save OUT]")
@click.pass_context
@pass_settings
def process_command(settings: RunSettings, ctx: click.Context, /, source: str, chain: tuple[str, ...]) -> None:
    """Run several operations on a subtitle file in one pass.

    Reads IN once, runs each STEP in order and writes OUT once. Each step
    takes the options of the command of the same name (subkit exclude,
    replace, retime, clean, ...). The output goes right after IN or last, as
    "save OUT". Options of process itself come before IN. With --json, the
    summary lists each step with its cue counts and changes.

    \b
    Several inputs (files or folders) before the first step are each read,
    processed and written beside their input as IN.process.EXT (one IN
    without OUT too), or into --out-dir DIR (or a last path that is a
    folder); --name TEMPLATE changes the names, as in the op commands.

    \b
    Examples:
      subkit process in.srt out.ass exclude --range 0:10-0:20 --mode cut replace --find um
      subkit process in.vtt clean --rolling retime --shift 1.5s save out.vtt
      subkit process --json in.srt out.srt replace --rules fixes.json clean --min-gap 2f
      subkit process -d fixed/ season1/ clean --hi retime --shift 1s
    """
    paths, saved, plan = split_chain(chain)
    if saved is not None:
        if len(paths) == 1:
            raise click.UsageError("the output is given twice (OUT and save)")
        if paths or Path(source).is_dir() or settings.out_dir is not None or settings.template is not None:
            raise click.UsageError("'save OUT' takes one IN: for several inputs use --out-dir or --name")
        jobs = [Job((source,), (saved,))]
    else:
        jobs = plan_jobs([source, *paths], settings, command="process")
    # The jobs are planned before the steps are built, so that a step finds the run's settings in ctx.obj.
    functions = [_build(ctx, name, args) for name, args in plan]
    run_jobs(jobs, settings, pipeline(functions))
