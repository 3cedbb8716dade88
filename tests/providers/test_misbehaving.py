"""The shared HTTP session against servers that misbehave on purpose, on 127.0.0.1.

Each server speaks raw HTTP over a socket so that it can do what a real
framework would not: trickle a byte at a time (slowloris), send a gzip bomb,
announce or stream an oversized answer, ask to retry in a day, or close the
connection before the end of the file. The session must end each exchange
within its deadline and its size limit, and never hand a cut file on.
"""

from __future__ import annotations

import functools
import gzip
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from subkit.errors import ProviderProtocolError, ProviderTimeout, ProviderTransportError
from subkit.providers._http import HttpSession, Redactor, RetryPolicy, Timeouts
from tests.providers._harness import FakeClock

#: A behaviour: given the connection (the request is read already), answer (or not).
Behaviour = Callable[[socket.socket], None]

SRT = b"1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:03,000 --> 00:00:04,000\nWorld\n"


class RawServer:
    """A one-behaviour HTTP server on a loopback socket, one thread per connection."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.stopping = threading.Event()
        self.requests = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        self.sock.settimeout(0.1)
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn:
            data = b""
            conn.settimeout(5)
            try:
                while b"\r\n\r\n" not in data:
                    piece = conn.recv(65536)
                    if not piece:
                        return
                    data += piece
                self.requests += 1
                self.behaviour(conn)
            except OSError:
                pass  # the client gave up: that is the point of most behaviours

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def serve() -> Iterator[Callable[[Behaviour], RawServer]]:
    servers: list[RawServer] = []

    def start(behaviour: Behaviour) -> RawServer:
        servers.append(RawServer(behaviour))
        return servers[-1]

    yield start
    for session in _SESSIONS:
        session.close()
    _SESSIONS.clear()
    for server in servers:
        server.close()


#: The sessions a test opened, closed with its servers.
_SESSIONS: list[HttpSession] = []


def _session(url: str, clock: FakeClock | None = None, *, read: float = 1.0) -> HttpSession:
    _SESSIONS.append(HttpSession(
        provider="test",
        base_url=url,
        auth_headers=dict,
        redactor=Redactor(),
        timeouts=Timeouts(connect=0.5, read=read, write=1.0, pool=0.5),
        retry=RetryPolicy(max_retries=1, jitter=0),
        clock=clock or FakeClock(),
    ))
    return _SESSIONS[-1]


def _trickle(prefix: bytes, *, every: float = 0.2, limit: float = 20.0) -> Behaviour:
    def behaviour(conn: socket.socket) -> None:
        conn.sendall(prefix)
        end = time.monotonic() + limit
        while time.monotonic() < end:
            conn.sendall(b"a")
            time.sleep(every)

    return behaviour


@pytest.mark.parametrize(
    "prefix",
    [b"HTTP/1.1 200 OK\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"],
    ids=["headers", "body"],
)
@pytest.mark.parametrize("method", ["request", "download"])
def test_a_trickling_server_cannot_outlast_the_deadline(serve: Callable[[Behaviour], RawServer], prefix: bytes,
                                                        method: str) -> None:
    server = serve(_trickle(prefix))
    session = _session(server.url)
    began = time.monotonic()
    with pytest.raises(ProviderTimeout, match="no complete answer within"):
        if method == "request":
            session.request("GET", "/slow")
        else:
            session.download(f"{server.url}/slow.srt")
    # connect 0.5 + read 1.0 per exchange, two exchanges at most (one retry): far below the 20 s trickle.
    assert time.monotonic() - began < 8


@pytest.mark.parametrize("method", ["request", "download"])
def test_the_exchange_deadline_is_exactly_the_timeout(serve: Callable[[Behaviour], RawServer], method: str) -> None:
    # Timeouts.within(T) (``fetch --timeout T``): the whole exchange, not connect plus read, ends at T.
    server = serve(_trickle(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", every=0.1))
    session = HttpSession(provider="test", base_url=server.url, auth_headers=dict, redactor=Redactor(),
                          timeouts=Timeouts.within(1.5, Timeouts(connect=5, read=5)),
                          retry=RetryPolicy(max_retries=0), clock=FakeClock())
    _SESSIONS.append(session)
    began = time.monotonic()
    with pytest.raises(ProviderTimeout, match=r"no complete answer within 1\.5 s"):
        if method == "request":
            session.request("GET", "/slow")
        else:
            session.download(f"{server.url}/slow.srt")
    took = time.monotonic() - began
    # Not before the deadline, and not the 5 + 5 s that per-operation timeouts would allow (nor the 20 s trickle).
    assert 1.4 <= took < 4.5, took


def test_a_create_cut_by_the_deadline_is_not_sent_again(serve: Callable[[Behaviour], RawServer]) -> None:
    server = serve(_trickle(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"))
    with pytest.raises(ProviderTimeout) as caught:
        _session(server.url).request("POST", "/jobs", create=True, json={"media": "x"})
    assert caught.value.maybe_created and server.requests == 1


@functools.cache
def _gzip_bomb(size: int) -> bytes:
    return gzip.compress(b"\0" * size, compresslevel=6)


@pytest.mark.parametrize("method", ["request", "download"])
def test_a_gzip_bomb_is_refused_by_its_decoded_size(serve: Callable[[Behaviour], RawServer], method: str) -> None:
    bomb = _gzip_bomb(64 * 1024 * 1024)  # 64 MiB of zeros in ~64 KB

    def behaviour(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(bomb) + bomb)

    server = serve(behaviour)
    session = _session(server.url, read=10)
    with pytest.raises(ProviderProtocolError, match="larger than the 1048576-byte"):
        if method == "request":
            session.request("GET", "/status", limit=1024 * 1024)
        else:
            session.download(f"{server.url}/file.srt", limit=1024 * 1024)


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_an_oversized_api_answer_is_refused(serve: Callable[[Behaviour], RawServer], declared: bool) -> None:
    size = 3 * 1024 * 1024

    def behaviour(conn: socket.socket) -> None:
        if declared:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % size)
            conn.sendall(b"[" + b"1," * (size // 2 - 1) + b"1")
        else:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            chunk = b"1," * 32768
            for _ in range(size // len(chunk) + 1):
                conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            conn.sendall(b"0\r\n\r\n")

    server = serve(behaviour)
    with pytest.raises(ProviderProtocolError, match="answer is larger than the 1048576-byte response limit"):
        _session(server.url, read=10).request("GET", "/jobs", limit=1024 * 1024)


@pytest.mark.parametrize("retry_after", ["86400", "Fri, 01 Jan 2077 00:00:00 GMT"])
def test_a_far_retry_after_on_a_download_is_not_slept_through(serve: Callable[[Behaviour], RawServer],
                                                               retry_after: str) -> None:
    def behaviour(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: %s\r\nContent-Length: 0\r\n\r\n"
                     % retry_after.encode())

    server = serve(behaviour)
    clock = FakeClock()
    with pytest.raises(ProviderTransportError) as caught:
        _session(server.url, clock).download(f"{server.url}/file.srt")
    assert clock.sleeps == [] and server.requests == 1
    assert caught.value.retry_after is not None and caught.value.retry_after >= 86400


@pytest.mark.parametrize(
    "answer",
    [
        # Connection: close and no length: the body ends where the connection does, mid-cue.
        b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + SRT[:-4],
        # A length longer than what arrives before the connection closes.
        b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % (len(SRT) + 50) + SRT,
    ],
    ids=["unframed", "short"],
)
def test_a_cut_download_is_not_accepted(serve: Callable[[Behaviour], RawServer], answer: bytes) -> None:
    server = serve(lambda conn: conn.sendall(answer))
    with pytest.raises(ProviderTransportError, match=r"cut short|connection failed"):
        _session(server.url).download(f"{server.url}/file.srt")
    assert server.requests == 2  # sent once more, then refused


def test_a_whole_unframed_download_is_accepted(serve: Callable[[Behaviour], RawServer]) -> None:
    server = serve(lambda conn: conn.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + SRT))
    assert _session(server.url).download(f"{server.url}/file.srt") == SRT
