"""What every format module shares: option bases, the write result, reader diagnostics.

A format module (``subkit/formats/<name>.py``) exposes:

* ``NAME``: its identifier;
* ``FEATURES``: a frozenset of the feature keys (see :mod:`subkit.formats._features`)
  its writer can express;
* ``LOWERING``: how its writer lowers a document first (a
  :class:`~subkit.formats._lower.Lowering` row: negative times, the last
  writable time, empty cues, overlaps);
* ``ReadOptions`` / ``WriteOptions``: dataclasses deriving from the bases here;
* ``sniff(head) -> bool``: whether the first few KiB look like this format;
* ``read(data, *, options) -> Document``: ``data`` is ``str`` with ``\\n``
  newlines (``bytes`` for binary formats);
* ``write(doc, *, options, report) -> str | bytes``: passes the document
  through :func:`~subkit.formats._lower.lower` with its ``LOWERING``, then
  writes it, recording in ``report`` what it had to drop under the keys of
  :data:`~subkit.formats._lower.LOSS_KEYS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from subkit.errors import ParseError
from subkit.model import Diagnostic, WriteResult

__all__ = ["BaseReadOptions", "BaseWriteOptions", "DiagnosticSink", "LineCounter", "WriteResult"]


@dataclass(frozen=True, slots=True, kw_only=True)
class BaseReadOptions:
    """Options every reader takes.

    Attributes:
        strict: raise :class:`~subkit.errors.ParseError` at the first problem
            instead of repairing it and recording a diagnostic.
        source: a name for the input in messages (file name).
    """

    strict: bool = False
    source: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BaseWriteOptions:
    """Options every writer takes.

    Attributes:
        strict: raise :class:`~subkit.errors.UnsupportedFeatureError` instead of
            dropping or changing something the format cannot express (the
            lowering stage makes the writer's loss report strict).
        bom: start the text with a byte order mark (U+FEFF), which some
            players need to take long UTF-8 files as UTF-8 (GStreamer's SRT
            reader); text formats only.
    """

    strict: bool = False
    bom: bool = False


class LineCounter:
    """The 1-based line of a character offset, computed only when a diagnostic needs one.

    Counting resumes from the previous answer (diagnostics come mostly in
    order), so a reader's total cost stays linear in the size of its input.
    """

    __slots__ = ("data", "line", "offset")

    def __init__(self, data: str, line: int = 1) -> None:
        self.data = data
        self.offset = 0
        self.line = line

    def __call__(self, offset: int) -> int:
        if offset >= self.offset:
            self.line += self.data.count("\n", self.offset, offset)
        else:
            self.line -= self.data.count("\n", offset, self.offset)
        self.offset = offset
        return self.line


class DiagnosticSink:
    """Collects a reader's diagnostics; in strict mode the first one raises.

    Readers call :meth:`warn` for something repaired and :meth:`error` for
    something skipped; both take the 1-based line where it happened.
    """

    __slots__ = ("format", "items", "source", "strict")

    def __init__(self, format: str, options: BaseReadOptions) -> None:
        self.format = format
        self.strict = options.strict
        self.source = options.source
        self.items: list[Diagnostic] = []

    def _raise(self, message: str, line: int | None, column: int | None, excerpt: str | None) -> None:
        raise ParseError(
            message,
            format=self.format,
            source=self.source,
            line=line,
            column=column,
            excerpt=_shorten(excerpt),
        )

    def warn(
        self,
        message: str,
        action: str,
        *,
        line: int | None = None,
        column: int | None = None,
        excerpt: str | None = None,
    ) -> None:
        """Record a repaired problem (strict mode: raise ParseError).

        Raises:
            ParseError: in strict mode.
        """
        self._record("warning", message, action, line, column, excerpt)

    def error(
        self,
        message: str,
        action: str,
        *,
        line: int | None = None,
        column: int | None = None,
        excerpt: str | None = None,
    ) -> None:
        """Record skipped data (strict mode: raise ParseError).

        Raises:
            ParseError: in strict mode.
        """
        self._record("error", message, action, line, column, excerpt)

    def _record(
        self,
        severity: Literal["warning", "error"],
        message: str,
        action: str,
        line: int | None,
        column: int | None,
        excerpt: str | None,
    ) -> None:
        if self.strict:
            self._raise(message, line, column, excerpt)
        self.items.append(
            Diagnostic(
                message=message, action=action, line=line, column=column, source=self.source, severity=severity
            )
        )

    def fail(self, message: str, *, line: int | None = None, excerpt: str | None = None) -> ParseError:
        """A ParseError to raise when nothing usable can be read, even leniently."""
        return ParseError(message, format=self.format, source=self.source, line=line, excerpt=_shorten(excerpt))


def _shorten(text: str | None, limit: int = 60) -> str | None:
    if text is None:
        return None
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"
