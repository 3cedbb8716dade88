"""The policies of a provider client, as plain values: timeouts, retries, polling, the clock, progress events.

This module imports neither httpx nor a provider module, so code that only
configures a client (the CLI, a job scheduler, tests) can build these values
without the ``providers`` extra installed.

>>> PollPolicy(interval=2, deadline=600).deadline
600
>>> RetryPolicy(max_retries=0).max_retries
0
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from subkit.errors import ConfigError

if TYPE_CHECKING:
    import httpx

__all__ = ["Clock", "PollPolicy", "Progress", "ProgressEvent", "RetryPolicy", "SystemClock", "Timeouts"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Timeouts:
    """How long one HTTP exchange may take, in seconds (``providers.md`` §0 defaults).

    ``connect``, ``read``, ``write`` and ``pool`` bound each socket operation
    (httpx's timeouts); ``exchange`` bounds the whole exchange: connecting,
    sending, the status line and headers, and every byte of the body. A
    server that trickles its answer a byte at a time never trips a per-read
    timeout, so the session also holds each exchange to its deadline: exactly
    ``exchange`` when it is set, else connect plus read (plus write when a
    body is sent). :meth:`within` makes the policy ``--timeout`` stands for.

    Attributes:
        connect: to open the connection.
        read: between two reads of the answer.
        write: between two writes of the request body.
        pool: to get a connection from the pool.
        exchange: the whole exchange, or ``None`` for the sum above.

    >>> Timeouts(read=900).read
    900
    >>> Timeouts.within(5).exchange, Timeouts.within(5).connect
    (5.0, 5.0)
    """

    connect: float = 10.0
    read: float = 60.0
    write: float = 60.0
    pool: float = 10.0
    exchange: float | None = None

    def __post_init__(self) -> None:
        values = (self.connect, self.read, self.write, self.pool)
        if any(not value > 0 for value in values) or (self.exchange is not None and not self.exchange > 0):
            raise ConfigError("timeouts must be positive numbers of seconds")

    @classmethod
    def within(cls, seconds: float, base: Timeouts | None = None) -> Timeouts:
        """Timeouts whose every exchange ends within ``seconds`` (no single operation may wait longer either).

        Args:
            seconds: the whole-exchange deadline.
            base: the per-operation timeouts to start from (capped at ``seconds``).

        Raises:
            ConfigError: ``seconds`` is not positive.
        """
        if not seconds > 0:
            raise ConfigError(f"the timeout must be positive, got {seconds!r}")
        base = base or cls()
        seconds = float(seconds)
        return cls(connect=min(base.connect, seconds), read=min(base.read, seconds),
                   write=min(base.write, seconds), pool=min(base.pool, seconds), exchange=seconds)

    def deadline(self, sends_body: bool) -> float:
        """Seconds one exchange may take: ``exchange``, else connect plus read (plus write with a body)."""
        if self.exchange is not None:
            return self.exchange
        return self.connect + self.read + (self.write if sends_body else 0.0)

    def as_httpx(self) -> httpx.Timeout:
        """The per-operation values as an :class:`httpx.Timeout` (imports httpx).

        Raises:
            ConfigError: httpx is not installed.
        """
        try:
            import httpx
        except ImportError:
            raise ConfigError("the providers need httpx, which is not installed: "
                              "pip install 'subkit[providers]'") from None
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


@dataclass(frozen=True, slots=True, kw_only=True)
class RetryPolicy:
    """How often and how long to wait before sending a failed request again.

    The n-th retry (from 0) waits ``min(cap, base * factor**n)`` seconds,
    spread by ``±jitter`` (a fraction) so that many clients do not retry in
    step. A ``Retry-After`` from the service replaces the computed delay, up
    to ``max_retry_after`` seconds; a longer one is not waited for (the error
    is raised with its ``retry_after``).

    Attributes:
        max_retries: retries after the first attempt (0 disables retrying).
        base: the first delay in seconds.
        factor: growth per retry.
        cap: the longest computed delay.
        jitter: relative spread of each delay, 0.2 meaning ±20 %.
        max_retry_after: the longest ``Retry-After`` honoured.
        retry_statuses: HTTP statuses worth retrying.

    >>> RetryPolicy(jitter=0).delay(3, 0.5)
    8.0
    >>> RetryPolicy(jitter=0).delay(10, 0.5)
    30.0
    """

    max_retries: int = 3
    base: float = 1.0
    factor: float = 2.0
    cap: float = 30.0
    jitter: float = 0.2
    max_retry_after: float = 120.0
    retry_statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504})

    def __post_init__(self) -> None:
        if self.max_retries < 0 or self.base < 0 or self.cap < 0 or not 0 <= self.jitter < 1:
            raise ConfigError("retry policy: counts and delays must be >= 0 and jitter in [0, 1)")

    def delay(self, retry: int, unit: float) -> float:
        """The wait before retry number ``retry`` (0-based); ``unit`` is a random number in [0, 1)."""
        raw = min(self.cap, self.base * self.factor**retry)
        return max(0.0, raw * (1 + self.jitter * (2 * unit - 1)))


@dataclass(frozen=True, slots=True, kw_only=True)
class PollPolicy:
    """How to wait for a job: a growing interval and an overall deadline, in seconds.

    Attributes:
        interval: the first wait between two status checks.
        max_interval: the longest wait.
        factor: growth of the wait after each check.
        deadline: give up (``ProviderTimeout``) once this much time has passed.
    """

    interval: float = 5.0
    max_interval: float = 60.0
    factor: float = 1.5
    deadline: float = 3600.0

    def __post_init__(self) -> None:
        if self.interval < 0 or self.max_interval < 0 or self.deadline <= 0 or self.factor < 1:
            raise ConfigError("poll policy: intervals must be >= 0, the deadline > 0 and the factor >= 1")


class Clock(Protocol):
    """Time as a poll loop sees it; tests pass a fake one."""

    def now(self) -> float:
        """Seconds on a monotonic scale."""

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds``."""


class SystemClock:
    """The real clock: :func:`time.monotonic` and :func:`time.sleep`."""

    def now(self) -> float:
        """Seconds on the monotonic clock."""
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        """Sleep for ``seconds``."""
        time.sleep(seconds)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgressEvent:
    """What a fetch is doing, for progress displays.

    Attributes:
        provider: the provider name.
        stage: ``submit``, ``wait`` or ``download``.
        job: the provider's job, order or file id (empty before submission).
        status: the provider's status text, if any.
        percent: progress 0-100, when the provider reports one.
        elapsed: seconds since waiting started.
    """

    provider: str
    stage: Literal["submit", "wait", "download"]
    job: str = ""
    status: str = ""
    percent: float | None = None
    elapsed: float = 0.0


#: A progress callback.
Progress = Callable[[ProgressEvent], None]
