"""What every provider client shares: construction, the session, progress, parsing payloads.

A client is built with its credentials and keyword options::

    RevClient("client-key", "user-key", base_url=..., client=..., transport=...,
              timeouts=..., retry=..., poll=..., clock=..., progress=...)

and offers ``submit(...)`` (send the media, return a JSON-ready job record),
``finish(record)`` (wait for that job, download, parse) and ``fetch(...)``,
which is both. The CLI's batch mode keeps the records in its journal, so a
re-run resumes waiting instead of submitting again.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

import httpx

import subkit
from subkit.errors import ConfigError, ProviderProtocolError, SubkitError
from subkit.providers._http import (
    Clock,
    HttpSession,
    PollPolicy,
    Progress,
    ProgressEvent,
    Redactor,
    RetryPolicy,
    SystemClock,
    Timeouts,
)
from subkit.providers._result import Role, SubtitleFile

__all__ = ["BaseClient"]

_Client = TypeVar("_Client", bound="BaseClient")


class BaseClient:
    """The common part of the provider clients (see the module docstring).

    Args:
        secrets: credential values to redact everywhere.
        base_url: the API root; ``SUBKIT_<NAME>_BASE_URL`` or the production URL when ``None``.
        client: an :class:`httpx.Client` to send requests with (not closed by :meth:`close`).
        transport: an httpx transport for the client created when ``client`` is ``None``.
        timeouts: request timeouts.
        retry: the retry policy.
        poll: the polling policy (interval, growth, deadline).
        clock: time for polling and retry waits (tests pass a fake one).
        progress: called with a :class:`ProgressEvent` as the job advances.
        rand: random numbers in [0, 1) for retry jitter.
    """

    #: The provider name.
    name: ClassVar[str] = ""
    #: The production API root.
    default_base_url: ClassVar[str] = ""
    #: The default polling policy of this provider.
    default_poll: ClassVar[PollPolicy] = PollPolicy()
    #: The default timeouts of this provider.
    default_timeouts: ClassVar[Timeouts] = Timeouts()

    def __init__(
        self,
        *,
        secrets: tuple[str | None, ...],
        base_url: str | None = None,
        client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        poll: PollPolicy | None = None,
        clock: Clock | None = None,
        progress: Progress | None = None,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.redactor = Redactor(secrets)
        url = base_url or os.environ.get(f"SUBKIT_{self.name.upper()}_BASE_URL") or self.default_base_url
        self.clock: Clock = clock or SystemClock()
        self.poll_policy = poll or self.default_poll
        self.progress = progress
        self.session = HttpSession(
            provider=self.name,
            base_url=url,
            auth_headers=self._auth_headers,
            redactor=self.redactor,
            client=client,
            transport=transport,
            timeouts=timeouts or self.default_timeouts,
            retry=retry or RetryPolicy(),
            clock=self.clock,
            rand=rand,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.redactor(self.session.base_url)!r}, credentials=<redacted>)"

    def __enter__(self: _Client) -> _Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client if the client created it."""
        self.session.close()

    @classmethod
    def from_settings(cls, settings: Mapping[str, str], **kwargs: Any) -> Any:
        """A client from a settings table (config file plus environment; see :mod:`subkit.providers._config`).

        Raises:
            ConfigError: a credential is missing.
        """
        raise NotImplementedError

    @classmethod
    def _require(cls, settings: Mapping[str, str], *keys: str) -> list[str]:
        missing = [key for key in keys if not settings.get(key)]
        if missing:
            names = ", ".join(f"SUBKIT_{cls.name.upper()}_{key.upper()}" for key in missing)
            raise ConfigError(
                f"{cls.name}: missing credentials: set {names} or add them to the [{cls.name}] table of the "
                "config file"
            )
        return [settings[key] for key in keys]

    def _auth_headers(self) -> Mapping[str, str]:
        return {}

    def _emit(self, stage: Any, job: str = "", status: str = "", percent: float | None = None,
              elapsed: float = 0.0) -> None:
        if self.progress is not None:
            self.progress(ProgressEvent(provider=self.name, stage=stage, job=job, status=status,
                                        percent=percent, elapsed=elapsed))

    def _parse(self, text: str, *, format: str, language: str | None, role: Role, name: str) -> SubtitleFile:
        """Read a downloaded file into a document.

        Raises:
            ProviderProtocolError: the file is not readable as ``format``.
        """
        try:
            doc = subkit.loads(text, format=format, source=name)
        except SubkitError as exc:
            raise ProviderProtocolError(
                f"{self.name}: the {role} file is not valid {format}: {exc}", provider=self.name
            ) from exc
        if language and not doc.language:
            doc = doc.replace(language=language)
        return SubtitleFile(format=format, text=text, language=language, role=role, name=name, document=doc)
