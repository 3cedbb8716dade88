"""The shared fake-server harness: a real HTTP server on 127.0.0.1 in a thread, with fault injection.

Each provider's fake subclasses :class:`FakeServer` and lists its routes. A
scenario (credentials, ``polls_until_done``, knobs) is set in the constructor,
by assigning ``server.scenario``, or with ``POST /__fake/scenario``. Faults are
queued per route name and each is used once:

* ``{"status": 429, "headers": {"Retry-After": "1"}}``, ``{"status": 503}``;
* ``{"delay": 0.5}``: answer normally, but late;
* ``{"body": "{\\"code\\":10"}`` (status 200 unless given) and ``"content_type"``;
* ``{"drop": True}``: close the connection without an answer;
* ``{"drop_after": True}``: handle the request, then close without an answer;
* ``{"on_handled": callback}``: handle the request, call ``callback()``, then answer.

Every request is kept in :attr:`FakeServer.journal`.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    """One request the fake received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    route: str = ""

    def q(self, name: str, default: str | None = None) -> str | None:
        """The first value of a query parameter."""
        values = self.query.get(name)
        return values[0] if values else default

    def json(self) -> Any:
        """The body as JSON (``None`` when it is not)."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except ValueError:
            return None

    def form(self) -> dict[str, str]:
        """The body as an URL-encoded form."""
        return {k: v[0] for k, v in parse_qs(self.body.decode("utf-8"), keep_blank_values=True).items()}

    def header(self, name: str) -> str | None:
        """A header value (names are case-insensitive)."""
        return self.headers.get(name.lower())

    def multipart_files(self) -> list[tuple[str, str, bytes]]:
        """(field name, file name, data) of each file part of a multipart body."""
        kind = self.header("content-type") or ""
        message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + kind.encode() + b"\r\n\r\n" + self.body)
        parts = []
        for part in message.iter_parts():
            filename = part.get_filename()
            if filename:
                payload = part.get_payload(decode=True)
                parts.append((str(part.get_param("name", header="content-disposition") or ""), filename,
                              payload if isinstance(payload, bytes) else b""))
        return parts


@dataclass
class Response:
    """What a route answers."""

    status: int = 200
    body: bytes | str | Any = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None

    def encoded(self) -> tuple[bytes, str | None]:
        if isinstance(self.body, bytes):
            return self.body, self.content_type
        if isinstance(self.body, str):
            return self.body.encode("utf-8"), self.content_type or "text/plain; charset=utf-8"
        return json.dumps(self.body).encode("utf-8"), self.content_type or "application/json"


def json_response(body: Any, status: int = 200, **headers: str) -> Response:
    """A JSON answer."""
    return Response(status, body, dict(headers), "application/json")


_Server = TypeVar("_Server", bound="FakeServer")

#: A route: (method, path pattern, name, handler).
Route = tuple[str, str, str, Callable[[Request, "re.Match[str]"], Response]]


class FakeServer:
    """A loopback HTTP server with routes, a scenario, per-route faults and a request journal.

    Args:
        scenario: initial scenario values (merged over :meth:`defaults`).
    """

    def __init__(self, **scenario: Any) -> None:
        self.scenario: dict[str, Any] = {**self.defaults(), **scenario}
        self.faults: dict[str, list[dict[str, Any]]] = {}
        self.journal: list[Request] = []
        self.lock = threading.RLock()
        self._compiled = [(m, re.compile(p + r"$"), n, h) for m, p, n, h in self.routes()]
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    # -- to override
    def defaults(self) -> dict[str, Any]:
        """Default scenario values."""
        return {"polls_until_done": 2}

    def routes(self) -> list[Route]:
        """The routes of this fake."""
        return []

    # -- life cycle
    def start(self: _Server) -> _Server:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def fault(self, route: str, **fault: Any) -> None:
        """Queue a fault for the next request of ``route``."""
        with self.lock:
            self.faults.setdefault(route, []).append(fault)

    def requests(self, route: str) -> list[Request]:
        """The requests received on ``route``."""
        return [r for r in self.journal if r.route == route]

    # -- dispatch
    def _dispatch(self, request: Request) -> Response | None:
        if request.path == "/__fake/scenario" and request.method == "POST":
            with self.lock:
                self.scenario.update(request.json() or {})
            return json_response({"ok": True})
        for method, pattern, name, handler in self._compiled:
            match = pattern.match(request.path)
            if match and method == request.method:
                request.route = name
                with self.lock:
                    self.journal.append(request)
                    queue = self.faults.get(name) or []
                    fault = queue.pop(0) if queue else None
                if fault is not None:
                    if fault.get("drop"):
                        return None
                    if fault.get("drop_after"):  # the request is handled, its answer lost
                        with self.lock:
                            handler(request, match)
                        return None
                    if "on_handled" in fault:  # the request is handled, then the test acts (kills the client)
                        with self.lock:
                            answer = handler(request, match)
                        fault["on_handled"]()
                        return answer
                    if "delay" in fault:
                        time.sleep(float(fault["delay"]))
                    if "status" in fault or "body" in fault:
                        return Response(int(fault.get("status", 200)), str(fault.get("body", "")),
                                        dict(fault.get("headers", {})), fault.get("content_type"))
                with self.lock:
                    return handler(request, match)
        with self.lock:
            self.journal.append(request)
        return Response(404, b"")

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # One write per answer and no Nagle delay: otherwise every request costs ~40 ms.
            wbufsize = 1 << 16
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                request = Request(self.command, parts.path, parse_qs(parts.query, keep_blank_values=True),
                                  {k.lower(): v for k, v in self.headers.items()}, body)
                try:
                    response = server._dispatch(request)
                except Exception as exc:  # a bug in a fake: answer 599 so the test shows it
                    response = Response(599, f"fake error: {type(exc).__name__}: {exc}")
                if response is None:
                    self.close_connection = True
                    with contextlib.suppress(OSError):
                        self.connection.shutdown(socket.SHUT_RDWR)
                    return
                data, kind = response.encoded()
                try:
                    self.send_response(response.status)
                    if kind:
                        self.send_header("Content-Type", kind)
                    for key, value in response.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(data)
                except OSError:
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = _serve  # noqa: N815 - http.server's names

        return Handler


class WebhookReceiver(FakeServer):
    """A second loopback server that records whatever is POSTed to it."""

    def routes(self) -> list[Route]:
        return [("POST", r"/.*", "hook", lambda request, match: json_response({"ok": True}))]

    @property
    def url(self) -> str:
        return f"{self.base_url}/hook"

    def wait_for(self, count: int = 1, timeout: float = 5.0) -> list[Request]:
        """The received requests once there are ``count`` of them."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                if len(self.journal) >= count:
                    return list(self.journal)
            time.sleep(0.01)
        return list(self.journal)


def post_json(url: str, payload: Any) -> None:
    """POST JSON from a fake to another server (used for webhooks), ignoring failures."""
    import urllib.request

    data = json.dumps(payload).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            answer.read()
    except OSError:
        pass


class FakeClock:
    """A clock whose sleeps return at once and are recorded."""

    def __init__(self) -> None:
        self.time = 1000.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.time += seconds
