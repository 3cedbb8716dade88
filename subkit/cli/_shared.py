"""What the CLI commands share: exit codes, error translation, parameter types, output helpers.

Errors leave a command in one of two ways:

* a :class:`~subkit.errors.SubkitError` (or any other exception) propagates
  to :class:`subkit.cli._group.SubkitGroup`, which turns it into a
  :class:`CliError` through :func:`translate`;
* a command that handles several files itself (``convert`` with several
  inputs) reports each failure with :func:`report_failure` and exits at the end
  with the highest :func:`exit_code_for` among them.

Either way the user sees ``subkit: <message>`` on one line and never a
traceback, unless ``SUBKIT_DEBUG=1`` is set in the environment.
"""

from __future__ import annotations

import codecs
import dataclasses
import json
import os
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

import click

import subkit
from subkit import formats
from subkit._version import __version__
from subkit.errors import ConfigError, ProviderError, SubkitError, UnknownFormatError
from subkit.formats import FormatSpec
from subkit.model import Diagnostic, Document, Loss

__all__ = [
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PROVIDER",
    "EXIT_STATUS_HELP",
    "EXIT_USAGE",
    "CliError",
    "EncodingType",
    "FormatType",
    "Loaded",
    "debug_enabled",
    "describe",
    "diagnostic_record",
    "echo_json",
    "echo_warnings",
    "exit_code_for",
    "format_diagnostic",
    "format_loss",
    "load_input",
    "loss_record",
    "report_failure",
    "translate",
]

#: Success.
EXIT_OK = 0
#: An input or format error: a file that cannot be read, parsed or detected, an
#: unknown format, or a ``--strict`` conversion that would lose something.
EXIT_INPUT = 1
#: A usage error: a bad command line or option value (click's own code).
EXIT_USAGE = 2
#: A hosted caption service or the network failed.
EXIT_PROVIDER = 3
#: A bug in subkit (``EX_SOFTWARE`` of BSD's sysexits.h).
EXIT_INTERNAL = 70
#: Interrupted by Ctrl-C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130

#: The exit-status table shown at the end of ``subkit --help`` (``\b`` keeps
#: click from re-wrapping it).
EXIT_STATUS_HELP = f"""\b
Exit status:
  {EXIT_OK:<3} success
  {EXIT_INPUT:<3} input or format error (unreadable, unparsable or unrecognised file,
      unknown format, --strict conversion that would lose something)
  {EXIT_USAGE:<3} usage error (bad command line or option value)
  {EXIT_PROVIDER:<3} caption provider or network error
  {EXIT_INTERNAL:<3} internal error: a bug in subkit (SUBKIT_DEBUG=1 shows the traceback)
  {EXIT_INTERRUPTED:<3} interrupted (Ctrl-C); a batch convert says which files were done
"""

#: Environment variable that makes errors print their traceback.
DEBUG_ENV = "SUBKIT_DEBUG"

_ISSUES_HINT = (
    "this is a bug in subkit {version}; please report it with the command line and the input file "
    "(run with {env}=1 to see the traceback)"
)


def debug_enabled() -> bool:
    """Whether ``SUBKIT_DEBUG`` asks for tracebacks (any value but empty, ``0``, ``false``, ``no``)."""
    return os.environ.get(DEBUG_ENV, "").strip().lower() not in ("", "0", "false", "no")


def exit_code_for(exc: BaseException) -> int:
    """The exit status an exception maps to (see :data:`EXIT_STATUS_HELP`).

    Bad options reaching the library (:class:`~subkit.errors.ConfigError`) are
    usage errors; provider failures have their own code; every other
    :class:`~subkit.errors.SubkitError` is an input or format error; anything
    else is a bug.
    """
    if isinstance(exc, click.ClickException):
        return exc.exit_code
    if isinstance(exc, ConfigError):
        return EXIT_USAGE
    if isinstance(exc, ProviderError):
        return EXIT_PROVIDER
    if isinstance(exc, SubkitError):
        return EXIT_INPUT
    return EXIT_INTERNAL


def describe(exc: BaseException, *names: str) -> str:
    """One line saying what went wrong, naming the file when the message does not.

    Library messages usually name the file and line already (``ParseError``
    does); writer errors do not, so they get the first of ``names`` in front
    unless the message mentions one of them.
    """
    message = cli_words(" ".join(str(exc).split()) or type(exc).__name__)
    if names and not any(name in message for name in names):
        message = f"{names[0]}: {message}"
    return message


class CliError(click.ClickException):
    """A failure shown as ``subkit: <message>`` (plus an optional hint) with an exit status.

    Attributes:
        exit_code: the process exit status.
        hint: a second line of advice, or ``None``.
        cause: the exception behind it; its traceback is shown under ``SUBKIT_DEBUG=1``.
    """

    def __init__(
        self,
        message: str,
        *,
        exit_code: int = EXIT_INPUT,
        hint: str | None = None,
        cause: BaseException | None = None,
    ) -> None:
        super().__init__(message)
        # click >= 8.5 declares ClickException.exit_code a ClassVar; the status of this
        # error is per instance, so it goes straight into the instance's namespace.
        vars(self)["exit_code"] = exit_code
        self.hint = hint
        self.cause = cause

    def show(self, file: IO[Any] | None = None) -> None:
        """Print the message (and the cause's traceback when debugging) to ``file`` or stderr."""
        # With no file, click.echo(err=True) finds the current stderr (CliRunner's too).
        err = file is None
        if self.cause is not None and debug_enabled():
            click.echo("".join(traceback.format_exception(self.cause)), file=file, err=err, nl=False)
        click.echo(f"subkit: {self.format_message()}", file=file, err=err)
        if self.hint:
            click.echo(f"subkit: {self.hint}", file=file, err=err)


def translate(exc: Exception, *names: str) -> CliError:
    """The :class:`CliError` to raise for an exception that escaped a command.

    A :class:`~subkit.errors.SubkitError` becomes its own message; anything
    else is reported as an internal error with a hint to report it.
    """
    code = exit_code_for(exc)
    if code == EXIT_INTERNAL:
        detail = " ".join(str(exc).split())
        what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
        return CliError(
            f"internal error: {what}",
            exit_code=EXIT_INTERNAL,
            hint=_ISSUES_HINT.format(version=__version__, env=DEBUG_ENV),
            cause=exc,
        )
    return CliError(describe(exc, *names), exit_code=code, cause=exc)


def report_failure(exc: Exception, *names: str) -> int:
    """Print a per-file failure the way :class:`CliError` would and return its exit status."""
    error = translate(exc, *names)
    error.show()
    return error.exit_code


# ---------------------------------------------------------------- parameter types

# click 8.4 made ParamType generic in the converted value's type; older clicks
# cannot subscript it at run time, so only the type checker sees the parameter.
if TYPE_CHECKING:
    _FormatParam = click.ParamType[FormatSpec]
    _StrParam = click.ParamType[str]
else:
    _FormatParam = _StrParam = click.ParamType


class FormatType(_FormatParam):
    """A format name or alias (``vtt``, ``subkit-json``, ``EBU_STL``...), converted to a :class:`FormatSpec`.

    Args:
        writable: also require that subkit can write the format.
    """

    name = "format"

    def __init__(self, *, writable: bool = False) -> None:
        self.writable = writable

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> FormatSpec:
        """Look the name up in the registry.

        Raises:
            click.BadParameter: no such format, or (``writable``) one subkit only reads.
        """
        if isinstance(value, FormatSpec):
            return value
        try:
            spec = formats.get(str(value))
        except UnknownFormatError as exc:
            self.fail(str(exc), param, ctx)
        if self.writable and not spec.can_write:
            self.fail(f"subkit reads {spec.name} but cannot write it", param, ctx)
        return spec

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[click.shell_completion.CompletionItem]:
        """Complete format identifiers and aliases."""
        from click.shell_completion import CompletionItem

        words: list[str] = []
        for spec in formats.FORMATS:
            if self.writable and not spec.can_write:
                continue
            words.append(spec.name)
            words.extend(spec.aliases)
        return [CompletionItem(word) for word in words if word.startswith(incomplete.lower())]


class EncodingType(_StrParam):
    """A Python codec name (``utf-8``, ``cp1252``, ``utf-16``...), checked when the command line is parsed."""

    name = "encoding"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """Check that Python knows the codec.

        Raises:
            click.BadParameter: an unknown encoding.
        """
        text = str(value)
        try:
            codecs.lookup(text)
        except LookupError:
            self.fail(f"unknown encoding {text!r}", param, ctx)
        return text


# ---------------------------------------------------------------- input


@dataclass(frozen=True, slots=True)
class Loaded:
    """A document and how its file was read.

    Attributes:
        doc: the document.
        format: the format identifier of the reader used (``doc.source_format``
            may differ: subkit JSON keeps the format its document came from).
        encoding: the text encoding of the file (``None`` for binary formats).
        name: the input as messages name it (``<stdin>`` for ``-``).
        guessed: whether the encoding was a close-call guess (a diagnostic says so).
    """

    doc: Document
    format: str
    encoding: str | None
    name: str
    guessed: bool = False


def load_input(
    path: str,
    *,
    format: FormatSpec | None = None,
    encoding: str | None = None,
    strict: bool = False,
    options: Callable[[FormatSpec], dict[str, Any]] | None = None,
    language: str | None = None,
) -> Loaded:
    """Read ``path`` (``-`` for standard input) with :func:`subkit.load`, keeping the format and encoding.

    ``options``, given the format found, returns the reader options to use;
    ``language`` is a hint for encoding detection.

    Raises:
        SubkitIOError: the file cannot be read, or ``encoding`` does not fit it.
        FormatDetectionError: no format given and none (or several) fit.
        ParseError: the content cannot be read (or, with ``strict``, has a flaw
            or a guessed encoding).
    """
    name = "<stdin>" if path == "-" else path
    options_for = None if options is None else (lambda found: options(formats.get(found)))
    doc = subkit.load(
        path, format=None if format is None else format.name, encoding=encoding, strict=strict,
        language=language, options_for=options_for,
    )
    info = doc.loaded
    assert info is not None  # subkit.load always records how it read
    used = info.encoding if info.encoding is not None or formats.get(info.format).binary else "utf-8"
    return Loaded(doc, info.format, used, name, info.alternative is not None)


# ---------------------------------------------------------------- output


def format_diagnostic(diag: Diagnostic, name: str) -> str:
    """``file:line: severity: message; action``, as compilers print warnings."""
    return cli_words(str(diag if diag.source else dataclasses.replace(diag, source=name)))


#: The library's advice in Python words, and the same advice on the command line.
_CLI_WORDS = (("name it with format=", "name it with --from/--to"), ("name one with format=", "name one with --from"),
              ("name the format with format=", "name the format with --from"), ("pass force=True", "pass --force"))


def cli_words(message: str) -> str:
    """``message`` with the library's Python advice (``format=``, ``force=True``) said as options."""
    for python, option in _CLI_WORDS:
        if python in message:
            message = message.replace(python, option)
    return message


def format_loss(loss: Loss, target: str, name: str) -> str:
    """``out.srt: warning: srt cannot express speaker: speakers dropped (2 cues, first at cue 1)``."""
    text = f"{name}: warning: {target} cannot express {loss.feature}: {loss.message}"
    if loss.first_cue is not None:
        cues = "cue" if loss.count == 1 else "cues"
        text += f" ({loss.count} {cues}, first at cue {loss.first_cue + 1})"
    return text


def diagnostic_record(diag: Diagnostic) -> dict[str, Any]:
    """A diagnostic as a JSON object: ``line``, ``column``, ``message``, ``action``, ``severity``."""
    return {
        "line": diag.line,
        "column": diag.column,
        "message": diag.message,
        "action": diag.action,
        "severity": diag.severity,
    }


def loss_record(loss: Loss) -> dict[str, Any]:
    """A loss as a JSON object: ``feature``, ``message``, ``count``, ``first_cue`` (0-based or null)."""
    return {
        "feature": loss.feature,
        "message": loss.message,
        "count": loss.count,
        "first_cue": loss.first_cue,
    }


def echo_json(value: Any) -> None:
    """Print ``value`` as indented JSON on standard output."""
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


def echo_warnings(lines: Sequence[str]) -> None:
    """Print warning lines on standard error."""
    for line in lines:
        click.echo(line, err=True)


def diagnostic_lines(diags: Sequence[Diagnostic], name: str, *, keep: int = 1) -> list[str]:
    """The diagnostics as lines, near-identical ones grouped per kind with a count.

    Diagnostics of one kind (the same severity and message once its numbers
    are set aside) are printed ``keep`` times; the last of those lines then says
    how many more there were and on which lines, so that a file with one flaw in
    every packet gives one line per flaw, not hundreds. A reader's own
    ``more of the same: ...`` notice joins the group it speaks of.
    """
    import re

    number = re.compile(r"\d+")
    prefix = "more of the same: "

    def kind(diag: Diagnostic) -> tuple[str, str]:
        return diag.severity, number.sub("#", diag.message.removeprefix(prefix))

    groups: dict[tuple[str, str], list[Diagnostic]] = {}
    for diag in diags:
        groups.setdefault(kind(diag), []).append(diag)
    lines: list[str] = []
    for diag in diags:
        group = groups[kind(diag)]
        shown = [item for item in group if not item.message.startswith(prefix)]
        capped = len(shown) != len(group)
        if diag.message.startswith(prefix) and shown:
            continue
        position = next(i for i, item in enumerate(group) if item is diag)
        if position >= keep:
            continue
        text = format_diagnostic(diag, name)
        rest = shown[keep:]
        if position == min(keep, len(shown)) - 1 and (rest or capped):
            numbers = [item.line for item in rest if item.line is not None]
            where = f", lines {min(numbers)}-{max(numbers)}" if len(numbers) > 1 else \
                f", line {numbers[0]}" if numbers else ""
            more = " and more not listed" if capped else ""
            text += f" (and {len(rest)} more like it{where}{more})"
        lines.append(text)
    return lines
