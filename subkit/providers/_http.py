"""The HTTP layer every provider client shares: timeouts, retries, polling, downloads, redaction.

A provider client builds one :class:`HttpSession` and sends every request
through it. The session

* owns (or borrows) an :class:`httpx.Client`, so tests inject a transport or a
  whole client;
* retries what is safe to retry (connection failures, 429, 5xx, timeouts on
  reads) with exponential backoff and jitter, honouring ``Retry-After`` in
  seconds or as an HTTP date, and never resends a *create* (upload, order, job)
  once the request may have reached the service;
* turns every httpx exception into a :class:`~subkit.errors.ProviderError`;
* keeps keys and tokens out of log records, reprs and error messages
  (:class:`Redactor`).

Polling (:func:`poll`) takes an injectable :class:`Clock`, so tests run a
one-hour deadline in microseconds. This module imports httpx at import time;
only the provider modules import it, never ``import subkit``.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import logging
import math
import random
import re
import socket
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, TypeVar

import httpx

from subkit.errors import (
    ProviderError,
    ProviderProtocolError,
    ProviderRateLimitError,
    ProviderTimeout,
    ProviderTransportError,
)
from subkit.providers.policies import (
    Clock,
    PollPolicy,
    Progress,
    ProgressEvent,
    RetryPolicy,
    SystemClock,
    Timeouts,
)

__all__ = [
    "DEFAULT_DOWNLOAD_LIMIT",
    "DEFAULT_RESPONSE_LIMIT",
    "Clock",
    "HttpSession",
    "PollPolicy",
    "Progress",
    "ProgressEvent",
    "Redactor",
    "RetryPolicy",
    "SystemClock",
    "Timeouts",
    "decode_payload",
    "json_body",
    "parse_retry_after",
    "poll",
]

#: The logger of every provider; records carry redacted URLs only.
LOG = logging.getLogger("subkit.providers")

#: Downloads larger than this (bytes) are refused: subtitle files are small.
DEFAULT_DOWNLOAD_LIMIT = 50 * 1024 * 1024

#: API answers larger than this (bytes, after decompression) are refused: they are small JSON or
#: subtitle text, and a gzip bomb must not fill the memory.
DEFAULT_RESPONSE_LIMIT = 50 * 1024 * 1024

#: Query and form field names whose values are always redacted, whatever their value.
SENSITIVE_FIELDS = frozenset({"access_key", "api_key", "apikey", "key", "token", "clientsecret", "client_secret"})

T = TypeVar("T")


# ---------------------------------------------------------------- policies


# ---------------------------------------------------------------- redaction


class Redactor:
    """Replaces secrets in text with ``***``.

    Args:
        secrets: the values to hide (keys, tokens, ``client:user`` pairs).
            Values shorter than 4 characters are ignored: hiding them would
            mangle ordinary words.

    >>> r = Redactor(["s3cr3t-key"])
    >>> r("GET /x?access_key=s3cr3t-key&user_id=7")
    'GET /x?access_key=***&user_id=7'
    """

    __slots__ = ("_secrets",)

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        self._secrets: list[str] = []
        self.add(*secrets)

    def add(self, *secrets: str | None) -> None:
        """Hide these values too (a token obtained later, say)."""
        for secret in secrets:
            if secret and len(secret) >= 4 and secret not in self._secrets:
                self._secrets.append(secret)
                _LIBRARY_LOG_FILTER.secrets.add(secret)
        self._secrets.sort(key=len, reverse=True)  # longer first: a pair before its halves

    def __call__(self, text: str) -> str:
        """``text`` with every secret, and every value of a sensitive query field, replaced."""
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return _SENSITIVE_QUERY.sub(lambda m: f"{m.group(1)}=***", text)

    def __repr__(self) -> str:
        return f"Redactor({len(self._secrets)} secret(s))"


_SENSITIVE_QUERY = re.compile(
    r"(?i)\b(" + "|".join(sorted(SENSITIVE_FIELDS)) + r")=(?!\*\*\*)[^&\s\"']+"
)


class _LibraryLogFilter(logging.Filter):
    """Redacts the records of httpx and httpcore, which log request URLs (Autosubtitle puts its key in them).

    It knows every secret any :class:`Redactor` was given in this process.
    """

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        text = _SENSITIVE_QUERY.sub(lambda m: f"{m.group(1)}=***", text)
        record.msg, record.args = text, None
        return True


_LIBRARY_LOG_FILTER = _LibraryLogFilter()
for _name in ("httpx", "httpcore", "httpcore.connection", "httpcore.http11", "httpcore.http2", "httpcore.proxy",
              "httpcore.socks"):
    if _LIBRARY_LOG_FILTER not in logging.getLogger(_name).filters:
        logging.getLogger(_name).addFilter(_LIBRARY_LOG_FILTER)


# ---------------------------------------------------------------- helpers


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta seconds or an HTTP date.

    Returns ``None`` for a missing or unreadable value; a date in the past is 0.

    >>> parse_retry_after("120")
    120.0
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT",
    ...                   now=datetime(2015, 10, 21, 7, 28, 0, tzinfo=timezone.utc))
    30.0
    >>> parse_retry_after("soon") is None
    True
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    current = now or datetime.now(timezone.utc)
    return max(0.0, (when - current).total_seconds())


def decode_payload(data: bytes) -> str:
    r"""Subtitle bytes from a provider as text: UTF-8 (invalid bytes replaced), no BOM, LF line ends.

    >>> decode_payload(b"\xef\xbb\xbf1\r\n00:00:01,000 --> 00:00:02,000\r\nHi\r\n")
    '1\n00:00:01,000 --> 00:00:02,000\nHi\n'
    """
    text = data.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def json_body(response: httpx.Response, provider: str, *, redact: Redactor | None = None) -> Any:
    """The JSON in a response, or :class:`ProviderProtocolError` when it is not JSON.

    HTML (a proxy's error page, a login wall) and malformed JSON are both
    protocol errors; the message quotes the start of the body, redacted.

    Raises:
        ProviderProtocolError: the body is not JSON.
    """
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    text = response.text
    if kind in ("text/html", "application/xhtml+xml") or text.lstrip()[:1] == "<":
        raise ProviderProtocolError(
            f"{provider}: expected JSON, got {kind or 'a body'} (HTTP {response.status_code}): "
            f"{_excerpt(text, redact)}",
            provider=provider,
            code=str(response.status_code),
        )
    try:
        return json.loads(text)
    except ValueError:
        raise ProviderProtocolError(
            f"{provider}: malformed JSON (HTTP {response.status_code}): {_excerpt(text, redact)}",
            provider=provider,
            code=str(response.status_code),
        ) from None


def _excerpt(text: str, redact: Redactor | None) -> str:
    short = " ".join(text.split())[:80]
    return repr(redact(short) if redact else short)


# ---------------------------------------------------------------- polling


def poll(
    check: Callable[[], T | None],
    *,
    policy: PollPolicy,
    clock: Clock,
    provider: str,
    what: str,
) -> T:
    """Call ``check`` until it returns something other than ``None``, waiting between calls.

    The wait starts at ``policy.interval`` and grows by ``policy.factor`` up
    to ``policy.max_interval``; the loop never sleeps past the deadline.

    Raises:
        ProviderTimeout: the deadline passed first (``what`` names the job).
        ProviderError: whatever ``check`` raises.
    """
    start = clock.now()
    interval = policy.interval
    while True:
        result = check()
        if result is not None:
            return result
        left = policy.deadline - (clock.now() - start)
        if left <= 0:
            raise ProviderTimeout(
                f"{provider}: {what} not ready after {policy.deadline:g} s (polling deadline)", provider=provider
            )
        clock.sleep(min(interval, left))
        interval = min(policy.max_interval, interval * policy.factor)


# ---------------------------------------------------------------- session


#: httpx errors after which a request certainly did not reach the service.
_NOT_SENT: tuple[type[Exception], ...] = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(slots=True)
class HttpSession:
    """One provider's connection: base URL, auth headers, retries, redaction.

    Args:
        provider: the provider name used in errors and logs.
        base_url: the API root (no trailing slash needed).
        auth_headers: returns the headers that authenticate a request to the
            API (called for each request, so a refreshed token is picked up).
        redactor: hides the credentials.
        client: an :class:`httpx.Client` to use; it is not closed by
            :meth:`close`. When ``None``, one is created with ``transport``.
        transport: an httpx transport for the client created here (tests use
            :class:`httpx.MockTransport`).
        timeouts: the default timeouts.
        retry: the retry policy.
        clock: sleeps between retries.
        rand: a source of random numbers in [0, 1) for the jitter.
    """

    provider: str
    base_url: str
    auth_headers: Callable[[], Mapping[str, str]]
    redactor: Redactor
    client: httpx.Client | None = None
    transport: httpx.BaseTransport | None = None
    timeouts: Timeouts = field(default_factory=Timeouts)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    clock: Clock = field(default_factory=SystemClock)
    rand: Callable[[], float] = random.random
    _owned: bool = False

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        if self.client is None:
            self.client = httpx.Client(transport=self.transport, timeout=self.timeouts.as_httpx())
            self._owned = True

    def __repr__(self) -> str:
        return f"HttpSession(provider={self.provider!r}, base_url={self.redactor(self.base_url)!r})"

    def close(self) -> None:
        """Close the httpx client if this session created it."""
        if self._owned and self.client is not None:
            self.client.close()

    def url(self, path: str) -> str:
        """An absolute URL: ``path`` under the base URL, or ``path`` itself when it is absolute."""
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def request(
        self,
        method: str,
        path: str,
        *,
        create: bool = False,
        auth: bool = True,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        files: Any = None,
        timeout: httpx.Timeout | None = None,
        retry_statuses: frozenset[int] | None = None,
        limit: int = DEFAULT_RESPONSE_LIMIT,
    ) -> httpx.Response:
        """Send a request, retrying what the policy allows, and return the final response.

        Statuses other than the retryable ones are returned for the caller to
        interpret; a retryable status that is still there when the retries run
        out raises.

        Args:
            method: the HTTP method.
            path: a path under the base URL, or an absolute URL.
            create: the request creates something (an upload, order or job).
                It is then never sent again once it may have reached the
                service (a read timeout or a dropped connection): the error
                says ``maybe_created=True`` instead.
            auth: add the authentication headers (``False`` for file URLs).
            headers, params, json, data, content, files: as :meth:`httpx.Client.request`.
            timeout: overrides the default timeouts for this request.
            retry_statuses: overrides the policy's retryable statuses.
            limit: the largest answer accepted, in bytes after decompression.

        The whole exchange (connecting, sending, the headers, the body) must
        end within ``Timeouts.exchange`` when the session has one, else within
        the connect plus read timeouts (plus the write timeout when a body is
        sent), so a server that trickles its answer cannot hold the client
        forever; the answer is read in chunks and refused past ``limit``.

        Raises:
            ProviderRateLimitError: 429 after the last retry.
            ProviderTransportError: 5xx after the last retry, or the connection failed.
            ProviderTimeout: the service did not answer in time, or not completely within the deadline.
            ProviderProtocolError: the answer is larger than ``limit``.
        """
        assert self.client is not None
        url = self.url(path)
        shown = f"{method} {self.redactor(url)}"
        statuses = self.retry.retry_statuses if retry_statuses is None else retry_statuses
        all_headers = dict(self.auth_headers()) if auth else {}
        all_headers.update(headers or {})
        attempt = 0
        effective = timeout if timeout is not None else self.timeouts.as_httpx()
        sends_body = json is not None or data is not None or content is not None or files is not None
        while True:
            try:
                response = self._exchange(
                    self.client.build_request(
                        method, url, headers=all_headers, params=params, json=json, data=data, content=content,
                        files=files, timeout=effective,
                    ),
                    shown, create=create, limit=limit, deadline=self._deadline(effective, sends_body),
                )
            except _DeadlineError as exc:
                raise self._expired(shown, exc.seconds, create) from None
            except httpx.HTTPError as exc:
                error = self._transport_error(exc, shown, create)
                if attempt >= self.retry.max_retries or error.maybe_created:
                    raise error from None  # httpx's message may carry the URL, and with it a key
                wait = self.retry.delay(attempt, self.rand())
                LOG.info("%s: %s; retry %d in %.2f s", shown, type(exc).__name__, attempt + 1, wait)
            else:
                LOG.debug("%s -> %d", shown, response.status_code)
                if response.status_code not in statuses:
                    return response
                error = self._status_error(response, shown)
                if attempt >= self.retry.max_retries:
                    raise error
                if error.retry_after is not None and error.retry_after > self.retry.max_retry_after:
                    raise error
                wait = (
                    error.retry_after if error.retry_after is not None else self.retry.delay(attempt, self.rand())
                )
                LOG.info("%s -> %d; retry %d in %.2f s", shown, response.status_code, attempt + 1, wait)
            self.clock.sleep(wait)
            attempt += 1

    def _transport_error(self, exc: httpx.HTTPError, shown: str, create: bool) -> ProviderError:
        """The provider error for an httpx exception; creates may have reached the service unless not sent."""
        maybe = create and not isinstance(exc, _NOT_SENT)
        note = "; the request may have been received, so it was not sent again" if maybe else ""
        name = type(exc).__name__
        if isinstance(exc, httpx.TimeoutException):
            return ProviderTimeout(
                f"{self.provider}: {shown}: no answer in time ({name}){note}",
                provider=self.provider,
                maybe_created=maybe,
            )
        return ProviderTransportError(
            f"{self.provider}: {shown}: connection failed ({name}){note}",
            provider=self.provider,
            maybe_created=maybe,
        )

    def _status_error(self, response: httpx.Response, shown: str) -> ProviderError:
        status = response.status_code
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        detail = self.redactor(" ".join(response.text.split())[:120])
        if status == 429:
            return ProviderRateLimitError(
                f"{self.provider}: {shown}: rate limited (HTTP 429){': ' + detail if detail else ''}",
                provider=self.provider,
                code="429",
                retry_after=retry_after,
            )
        return ProviderTransportError(
            f"{self.provider}: {shown}: service error (HTTP {status}){': ' + detail if detail else ''}",
            provider=self.provider,
            code=str(status),
            retry_after=retry_after,
        )

    def download(self, url: str, *, limit: int = DEFAULT_DOWNLOAD_LIMIT, auth: bool = False,
                 headers: Mapping[str, str] | None = None) -> bytes:
        """GET a file in chunks, refusing one larger than ``limit`` bytes.

        File URLs (cloud storage, CDNs) get no authentication unless ``auth``.

        Raises:
            ProviderProtocolError: the file is larger than ``limit``, or the status is not 2xx.
            ProviderTransportError, ProviderTimeout, ProviderRateLimitError: as :meth:`request`.
        """
        assert self.client is not None
        shown = f"GET {self.redactor(url)}"
        all_headers = dict(self.auth_headers()) if auth else {}
        all_headers.update(headers or {})
        attempt = 0
        effective = self.timeouts.as_httpx()
        while True:
            try:
                response = self._exchange(
                    self.client.build_request("GET", self.url(url), headers=all_headers, timeout=effective),
                    shown, create=False, limit=limit, deadline=self._deadline(effective, False), download=True,
                )
            except _DeadlineError as exc:
                error: ProviderError = self._expired(shown, exc.seconds, False)
                if attempt >= self.retry.max_retries:
                    raise error from None
                wait = self.retry.delay(attempt, self.rand())
            except httpx.HTTPError as exc:
                error = self._transport_error(exc, shown, False)
                if attempt >= self.retry.max_retries:
                    raise error from None
                wait = self.retry.delay(attempt, self.rand())
            else:
                if response.status_code in self.retry.retry_statuses:
                    error = self._status_error(response, shown)
                    if attempt >= self.retry.max_retries:
                        raise error
                    if error.retry_after is not None and error.retry_after > self.retry.max_retry_after:
                        raise error  # a far Retry-After (a day, a date in 2077) is not slept through
                    wait = error.retry_after if error.retry_after is not None else self.retry.delay(
                        attempt, self.rand())
                elif not 200 <= response.status_code < 300:
                    raise ProviderProtocolError(
                        f"{self.provider}: {shown}: HTTP {response.status_code} for a file download",
                        provider=self.provider,
                        code=str(response.status_code),
                    )
                elif response.extensions.get(_UNFRAMED) and not response.content.endswith(b"\n"):
                    # No length and no chunking: the body ended when the connection closed, and a subtitle
                    # file ends with a line break. Without one the download was cut: fetch it again.
                    error = ProviderTransportError(
                        f"{self.provider}: {shown}: the download was cut short (the connection closed "
                        "before the end of the file)",
                        provider=self.provider,
                    )
                    if attempt >= self.retry.max_retries:
                        raise error
                    wait = self.retry.delay(attempt, self.rand())
                else:
                    return response.content
            self.clock.sleep(wait)
            attempt += 1

    def _exchange(self, request: httpx.Request, shown: str, *, create: bool, limit: int, deadline: float,
                  download: bool = False) -> httpx.Response:
        """Send ``request`` and read its answer in chunks, within ``deadline`` seconds and ``limit`` bytes.

        Returns a response whose (decoded) content is read. The deadline is
        real time: a watchdog thread shuts the connection down when it passes,
        which ends a read that a trickling server keeps alive.

        Raises:
            _DeadlineError: the deadline passed.
            ProviderProtocolError: the answer is larger than ``limit``.
            httpx.HTTPError: as :meth:`httpx.Client.send`.
        """
        assert self.client is not None
        watchdog = _Watchdog(self.client, deadline)
        request.extensions = {**request.extensions, "trace": watchdog.trace}
        watchdog.start()
        try:
            try:
                response = self.client.send(request, stream=True)
            except httpx.HTTPError:
                if watchdog.fired:
                    raise _DeadlineError(deadline) from None
                raise
            try:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise self._too_large(shown, limit, download)
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():  # decoded: the limit holds for a gzip bomb too
                    size += len(chunk)
                    if size > limit:
                        raise self._too_large(shown, limit, download)
                    if watchdog.fired:
                        raise _DeadlineError(deadline)
                    chunks.append(chunk)
            except httpx.HTTPError:
                if watchdog.fired:
                    raise _DeadlineError(deadline) from None
                raise
            finally:
                response.close()
        finally:
            watchdog.cancel()
        headers = [(k, v) for k, v in response.headers.multi_items()
                   if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")]
        unframed = not declared and "chunked" not in response.headers.get("transfer-encoding", "").lower()
        return httpx.Response(response.status_code, headers=headers, content=b"".join(chunks), request=request,
                              extensions={_UNFRAMED: unframed})

    def _deadline(self, timeout: httpx.Timeout, sends_body: bool) -> float:
        """Seconds one exchange may take: the session's whole-exchange timeout when set, else the sum of ``timeout``."""
        if self.timeouts.exchange is not None:
            return self.timeouts.exchange
        return _deadline(timeout, sends_body)

    def _expired(self, shown: str, seconds: float, create: bool) -> ProviderTimeout:
        note = "; the request may have been received, so it was not sent again" if create else ""
        return ProviderTimeout(
            f"{self.provider}: {shown}: no complete answer within {seconds:g} s{note}",
            provider=self.provider,
            maybe_created=create,
        )

    def _too_large(self, shown: str, limit: int, download: bool = True) -> ProviderProtocolError:
        what = "the file is larger than the" if download else "the answer is larger than the"
        return ProviderProtocolError(
            f"{self.provider}: {shown}: {what} {limit}-byte {'download' if download else 'response'} limit",
            provider=self.provider,
        )


#: The response extension that marks a body ended by the connection closing (no length, no chunks).
_UNFRAMED = "subkit.unframed"


class _DeadlineError(Exception):
    """The exchange deadline passed (turned into a ProviderTimeout by the session)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def _deadline(timeout: httpx.Timeout, sends_body: bool) -> float:
    """Seconds one exchange may take: connect plus read, plus write when a body is sent."""
    total = (timeout.connect or 0.0) + (timeout.read or 0.0)
    if sends_body:
        total += timeout.write or 0.0
    return total if total > 0 else 60.0


class _Watchdog:
    """Shuts an exchange's connection down when its deadline passes.

    httpx's timeouts bound each socket operation, not the exchange: a server
    sending a byte a second never trips them. The watchdog learns the socket
    from httpcore's trace hook (a new connection), else takes the pool's busy
    connections, and shuts it down, which ends the blocked read at once.
    """

    def __init__(self, client: httpx.Client, seconds: float) -> None:
        self.client = client
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def trace(self, event: str, info: Mapping[str, Any]) -> None:
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            found = _socket_of(info.get("return_value"))
            if found is not None:
                self._sockets.append(found)

    def start(self) -> None:
        self._timer.start()

    def cancel(self) -> None:
        self._timer.cancel()

    def _fire(self) -> None:
        self.fired = True
        targets = list(self._sockets) or _busy_sockets(self.client)
        for sock in targets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _socket_of(stream: Any) -> socket.socket | None:
    try:
        found = stream.get_extra_info("socket") if stream is not None else None
    except Exception:  # a stream of another kind: no socket to shut down
        return None
    return found if isinstance(found, socket.socket) else None


def _busy_sockets(client: httpx.Client) -> list[socket.socket]:
    """The sockets of the connections in use in ``client``'s pool (reused keep-alive connections)."""
    pool = getattr(getattr(client, "_transport", None), "_pool", None)
    found: list[socket.socket] = []
    for connection in getattr(pool, "connections", ()):
        try:
            if connection.is_idle():
                continue
            inner = getattr(connection, "_connection", None)
            sock = _socket_of(getattr(inner, "_network_stream", None))
        except Exception:  # an unknown transport: nothing to shut down
            continue
        if sock is not None:
            found.append(sock)
    return found
