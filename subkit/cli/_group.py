"""The click group behind ``subkit``: lazy subcommands and error translation.

Subcommands live in their own modules and are imported only when they run
(or when their own ``--help`` is asked for). ``subkit --help`` lists them from
the one-line summaries in the command table, so it imports none of them; this
keeps start-up fast however many commands (and however heavy their
dependencies: ``fetch`` needs httpx) are added.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import click

from subkit.cli._shared import EXIT_INTERRUPTED, CliError, translate

__all__ = ["LazyCommand", "LazyGroup", "SubkitGroup"]


@dataclass(frozen=True, slots=True)
class LazyCommand:
    """Where a subcommand lives, and what ``subkit --help`` says about it.

    Attributes:
        target: ``"package.module:function"`` naming the click command object.
        summary: the one-line help shown in the command list (keep it equal to
            the first line of the command's docstring; a test checks this).
    """

    target: str
    summary: str

    def load(self) -> click.Command:
        """Import the module and return the command.

        Raises:
            TypeError: the target is not a click command.
        """
        module_name, _, attribute = self.target.partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.target} is not a click command")
        return command


class LazyGroup(click.Group):
    """A :class:`click.Group` whose subcommands are imported on first use.

    Args:
        lazy_commands: command name -> :class:`LazyCommand`.
        *args, **kwargs: passed to :class:`click.Group`.
    """

    def __init__(
        self, *args: Any, lazy_commands: Mapping[str, LazyCommand] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands: dict[str, LazyCommand] = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Eager and lazy command names, sorted."""
        return sorted(set(super().list_commands(ctx)) | set(self.lazy_commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command called ``cmd_name``, importing it on first use."""
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in self.lazy_commands:
            command = self.lazy_commands[cmd_name].load()
            self.add_command(command, cmd_name)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands, taking the summaries of commands not yet imported from the table."""
        rows: list[tuple[str, str]] = []
        width = max((len(name) for name in self.list_commands(ctx)), default=0)
        limit = formatter.width - 6 - width
        for name in self.list_commands(ctx):
            loaded = self.commands.get(name)
            if loaded is not None:
                if loaded.hidden:
                    continue
                rows.append((name, loaded.get_short_help_str(limit)))
            else:
                rows.append((name, self.lazy_commands[name].summary))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class SubkitGroup(LazyGroup):
    """The ``subkit`` group: a :class:`LazyGroup` that turns exceptions into exit statuses.

    Click's own exceptions (usage errors, ``--help``, exits) pass through; a
    :class:`~subkit.errors.SubkitError` becomes one line on stderr and exit
    status 1 (2 for bad options, 3 for providers); anything else is an internal
    error with status 70. A broken pipe is left to click, which exits quietly.
    """

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand, translating what it raises.

        Raises:
            CliError: for any exception that is not click's own.
        """
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise
        except KeyboardInterrupt as exc:
            raise CliError("interrupted", exit_code=EXIT_INTERRUPTED) from exc
        except Exception as exc:
            raise translate(exc) from exc
