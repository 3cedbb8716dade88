"""Exceptions and warnings raised by subkit.

Every exception that leaves the public API is a :class:`SubkitError`; foreign
exceptions (``UnicodeDecodeError``, ``OSError``, lxml or httpx errors, ...) are
translated at the boundary with ``raise ... from exc``.

The tree::

    SubkitError
    ├── FormatError                  something about a subtitle format
    │   ├── UnknownFormatError       a name or extension no format answers to
    │   ├── FormatDetectionError     content and extension did not pick one format
    │   ├── ParseError               input that cannot be read (carries line/column)
    │   └── UnsupportedFeatureError  a strict write that would drop something
    ├── ModelError                   a model object built with invalid values (also a ValueError)
    │   └── FrozenModelError         an attribute assigned on an immutable model object (also an AttributeError)
    ├── OperationError               an op was given arguments it cannot honour
    ├── ProviderError                a hosted caption service failed
    │   ├── ProviderAuthError
    │   ├── ProviderQuotaError
    │   ├── ProviderInputError
    │   ├── ProviderRateLimitError   (carries ``retry_after``)
    │   ├── ProviderJobFailed
    │   ├── ProviderTimeout
    │   ├── ProviderProtocolError
    │   └── ProviderTransportError
    ├── ConfigError                  bad options or configuration
    └── SubkitIOError                a file could not be read or written (also an OSError, with errno)

    Warning
    └── SubkitWarning
        └── LossyConversionWarning   a writer dropped or approximated something

Every exception keeps its structured attributes through ``pickle`` (they are
passed back to ``__init__`` by ``__reduce__``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

__all__ = [
    "ConfigError",
    "FormatDetectionError",
    "FormatError",
    "FrozenModelError",
    "LossyConversionWarning",
    "ModelError",
    "OperationError",
    "ParseError",
    "ProviderAuthError",
    "ProviderError",
    "ProviderInputError",
    "ProviderJobFailed",
    "ProviderProtocolError",
    "ProviderQuotaError",
    "ProviderRateLimitError",
    "ProviderTimeout",
    "ProviderTransportError",
    "SubkitError",
    "SubkitIOError",
    "SubkitWarning",
    "UnknownFormatError",
    "UnsupportedFeatureError",
]


class SubkitError(Exception):
    """Root of every exception subkit raises.

    Subclasses store their keyword attributes and hand them back to
    ``__init__`` when unpickled, so errors cross process boundaries intact.
    """

    def __init__(self, message: str, **attrs: Any) -> None:
        super().__init__(message)
        self.message = message
        self._attrs = attrs
        for key, value in attrs.items():
            setattr(self, key, value)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self._attrs))

    def __str__(self) -> str:
        return self.message


def _rebuild(cls: type[SubkitError], message: str, attrs: dict[str, Any]) -> SubkitError:
    """Recreate an exception from its pickled parts."""
    err = cls.__new__(cls)
    SubkitError.__init__(err, message, **attrs)
    return err


class FormatError(SubkitError):
    """A problem tied to a subtitle format."""


class UnknownFormatError(FormatError):
    """No registered format has the given name or extension.

    Attributes:
        name: what was asked for.
    """

    name: str

    def __init__(self, message: str, *, name: str = "") -> None:
        super().__init__(message, name=name)


class FormatDetectionError(FormatError):
    """The content and the file name did not single out one format.

    Attributes:
        candidates: the format names that tied (empty when none matched).
    """

    candidates: tuple[str, ...]

    def __init__(self, message: str, *, candidates: tuple[str, ...] = ()) -> None:
        super().__init__(message, candidates=tuple(candidates))


class ParseError(FormatError):
    """Input that a reader cannot turn into a document.

    Attributes:
        format: the format identifier of the reader.
        source: file name (or ``"<string>"``/``"<stdin>"``).
        line: 1-based line (or, for binary formats, block) number, if known.
        column: 1-based column, if known.
        excerpt: the offending text, shortened.
    """

    format: str
    source: str | None
    line: int | None
    column: int | None
    excerpt: str | None

    def __init__(
        self,
        message: str,
        *,
        format: str = "",
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        excerpt: str | None = None,
    ) -> None:
        where = source or "<input>"
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        full = f"{where}: {message}"
        if excerpt:
            full += f" (near {excerpt!r})"
        super().__init__(
            full, format=format, source=source, line=line, column=column, excerpt=excerpt
        )
        self.reason = message

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_parse, (self.reason, self._attrs))


def _rebuild_parse(reason: str, attrs: dict[str, Any]) -> ParseError:
    return ParseError(reason, **attrs)


class UnsupportedFeatureError(FormatError):
    """A strict write was asked to drop something the target cannot express.

    Attributes:
        format: the target format.
        feature: the loss's feature key (see :class:`subkit.model.Loss`).
    """

    format: str
    feature: str

    def __init__(self, message: str, *, format: str = "", feature: str = "") -> None:
        super().__init__(message, format=format, feature=feature)


class ModelError(SubkitError, ValueError):
    """A model object was built with values that break its invariants.

    It is also a :class:`ValueError`, so code written against plain value checks keeps working.
    """


class FrozenModelError(ModelError, dataclasses.FrozenInstanceError):
    """An attribute was assigned on a model object; they are immutable (use ``.replace(...)``).

    It is also the :class:`dataclasses.FrozenInstanceError` (an ``AttributeError``) that frozen dataclasses raise.
    """


class OperationError(SubkitError):
    """An operation was given arguments it cannot honour."""


class ConfigError(SubkitError):
    """Bad options, settings or configuration."""


class SubkitIOError(SubkitError, OSError):
    """A file could not be read or written; also an :class:`OSError`.

    With an ``errno`` it is also the matching built-in subclass, so that
    ``except FileNotFoundError`` (``ENOENT``), ``except PermissionError``
    (``EACCES``/``EPERM``), ``IsADirectoryError``, ``NotADirectoryError`` and
    ``FileExistsError`` catch it as they would the ``OSError`` it replaces.

    Attributes:
        path: the file concerned (also ``filename``).
        errno: the operating system's error number, if there was one (``strerror`` its text).
    """

    path: str

    def __new__(cls, message: str = "", *, path: str = "", errno: int | None = None) -> SubkitIOError:
        if cls is SubkitIOError and errno is not None:
            cls = _IO_KINDS.get(errno, cls)
        return super().__new__(cls, message)

    def __init__(self, message: str, *, path: str = "", errno: int | None = None) -> None:
        super().__init__(message, path=path, errno=errno)
        self.filename = path or None
        if errno is not None:
            import os

            self.strerror = os.strerror(errno)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_io, (self.message, self._attrs))


def _rebuild_io(message: str, attrs: dict[str, Any]) -> SubkitIOError:
    """Recreate a :class:`SubkitIOError` (of the subclass its errno picks) from its pickled parts."""
    return SubkitIOError(message, **attrs)


class _NotFoundError(SubkitIOError, FileNotFoundError):
    """A :class:`SubkitIOError` for ``ENOENT``."""


class _PermissionError(SubkitIOError, PermissionError):
    """A :class:`SubkitIOError` for ``EACCES`` and ``EPERM``."""


class _IsADirectoryError(SubkitIOError, IsADirectoryError):
    """A :class:`SubkitIOError` for ``EISDIR``."""


class _NotADirectoryError(SubkitIOError, NotADirectoryError):
    """A :class:`SubkitIOError` for ``ENOTDIR``."""


class _ExistsError(SubkitIOError, FileExistsError):
    """A :class:`SubkitIOError` for ``EEXIST``."""


def _io_kinds() -> dict[int, type[SubkitIOError]]:
    import errno as codes

    return {codes.ENOENT: _NotFoundError, codes.EACCES: _PermissionError, codes.EPERM: _PermissionError,
            codes.EISDIR: _IsADirectoryError, codes.ENOTDIR: _NotADirectoryError, codes.EEXIST: _ExistsError}


_IO_KINDS = _io_kinds()
for _kind in set(_IO_KINDS.values()):  # tracebacks and reprs name the public class
    _kind.__name__ = _kind.__qualname__ = "SubkitIOError"


class ProviderError(SubkitError):
    """A hosted caption service returned an error or could not be reached.

    Attributes:
        provider: the provider name (``rev``, ``autosubtitle``, ``revid``, ``akool``).
        code: the provider's own error code or HTTP status, if any.
        retry_after: seconds to wait before trying again, if the service said.
        maybe_created: a create request (upload, order, job) may have reached the
            service before the failure, so it was not sent again.
    """

    provider: str
    code: str | None
    retry_after: float | None
    maybe_created: bool

    def __init__(
        self,
        message: str,
        *,
        provider: str = "",
        code: str | None = None,
        retry_after: float | None = None,
        maybe_created: bool = False,
    ) -> None:
        super().__init__(
            message, provider=provider, code=code, retry_after=retry_after, maybe_created=maybe_created
        )


class ProviderAuthError(ProviderError):
    """The credentials were missing, wrong or expired."""


class ProviderQuotaError(ProviderError):
    """The account has no credit or quota left."""


class ProviderInputError(ProviderError):
    """The service rejected the request's input."""


class ProviderRateLimitError(ProviderError):
    """Too many requests; ``retry_after`` says how long to wait."""


class ProviderJobFailed(ProviderError):  # noqa: N818 - named for what happened, as the design says
    """The job was accepted but failed on the service's side."""


class ProviderTimeout(ProviderError):  # noqa: N818
    """The job did not finish, or the service did not answer, in time."""


class ProviderProtocolError(ProviderError):
    """The service answered with something that does not follow its API."""


class ProviderTransportError(ProviderError):
    """The connection failed (DNS, refused, reset, TLS)."""


class SubkitWarning(UserWarning):
    """Base class of subkit's warnings."""


class LossyConversionWarning(SubkitWarning):
    """A writer dropped or approximated something the target cannot express."""
