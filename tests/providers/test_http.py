"""The shared HTTP layer with ``httpx.MockTransport``: retries, backoff, Retry-After, creates, downloads, redaction."""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable, Mapping
from datetime import datetime, timezone

import httpx
import pytest

from subkit.errors import (
    ConfigError,
    ProviderError,
    ProviderProtocolError,
    ProviderRateLimitError,
    ProviderTimeout,
    ProviderTransportError,
)
from subkit.providers._http import (
    HttpSession,
    PollPolicy,
    Redactor,
    RetryPolicy,
    Timeouts,
    decode_payload,
    json_body,
    parse_retry_after,
    poll,
)
from tests.providers._harness import FakeClock

SECRET = "sk-SECRET-value-123"


def _session(handler: Callable[[httpx.Request], httpx.Response], clock: FakeClock, *,
             retry: RetryPolicy | None = None, rand: float = 0.5) -> HttpSession:
    return HttpSession(
        provider="test",
        base_url="https://api.example.test/v1/",
        auth_headers=lambda: {"x-api-key": SECRET},
        redactor=Redactor([SECRET]),
        transport=httpx.MockTransport(handler),
        retry=retry or RetryPolicy(),
        clock=clock,
        rand=lambda: rand,
    )


def _sequence(*responses: httpx.Response | Exception) -> tuple[Callable[[httpx.Request], httpx.Response],
                                                               list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(item, Exception):
            raise item
        return item

    return handler, seen


# ---------------------------------------------------------------- Retry-After


@pytest.mark.parametrize(("value", "expected"), [
    ("0", 0.0), ("7", 7.0), (" 2.5 ", 2.5), ("-3", 0.0), ("", None), (None, None), ("soon", None),
    ("inf", None), ("nan", None),
])
def test_parse_retry_after_seconds(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value) == expected


def test_parse_retry_after_http_date() -> None:
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after("Wed, 01 May 2024 12:00:45 GMT", now=now) == 45.0
    assert parse_retry_after("Wed, 01 May 2024 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("Wed, 32 May 2024 99:00:00 GMT", now=now) is None


# ---------------------------------------------------------------- backoff


def test_backoff_schedule_without_jitter() -> None:
    policy = RetryPolicy(jitter=0, cap=30)
    assert [policy.delay(n, 0.9) for n in range(7)] == [1, 2, 4, 8, 16, 30, 30]


def test_backoff_jitter_bounds() -> None:
    policy = RetryPolicy()
    assert policy.delay(2, 0.0) == pytest.approx(3.2)
    assert policy.delay(2, 0.999999) == pytest.approx(4.8, rel=1e-5)


def test_retry_policy_rejects_bad_values() -> None:
    with pytest.raises(ConfigError):
        RetryPolicy(jitter=1.5)
    with pytest.raises(ConfigError):
        PollPolicy(deadline=0)


def test_5xx_retried_with_backoff_then_success() -> None:
    clock = FakeClock()
    handler, seen = _sequence(httpx.Response(503), httpx.Response(500), httpx.Response(200, json={"ok": 1}))
    response = _session(handler, clock).request("GET", "/thing")
    assert response.status_code == 200
    assert len(seen) == 3
    assert clock.sleeps == [1.0, 2.0]  # rand 0.5 = no jitter offset


def test_retries_run_out() -> None:
    clock = FakeClock()
    handler, seen = _sequence(httpx.Response(502, text="bad gateway"))
    with pytest.raises(ProviderTransportError) as info:
        _session(handler, clock).request("GET", "/thing")
    assert len(seen) == 4
    assert clock.sleeps == [1.0, 2.0, 4.0]
    assert info.value.code == "502" and info.value.provider == "test"


def test_429_honours_retry_after_seconds_and_dates() -> None:
    clock = FakeClock()
    handler, _ = _sequence(httpx.Response(429, headers={"Retry-After": "7"}),
                              httpx.Response(429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}),
                              httpx.Response(200))
    assert _session(handler, clock).request("GET", "/x").status_code == 200
    assert clock.sleeps == [7.0, 0.0]  # a date in the past: no wait


def test_429_with_too_long_retry_after_is_raised() -> None:
    clock = FakeClock()
    handler, seen = _sequence(httpx.Response(429, headers={"Retry-After": "600"}))
    with pytest.raises(ProviderRateLimitError) as info:
        _session(handler, clock).request("GET", "/x")
    assert info.value.retry_after == 600.0
    assert len(seen) == 1 and clock.sleeps == []


def test_429_retries_exhausted() -> None:
    clock = FakeClock()
    handler, _ = _sequence(httpx.Response(429, headers={"Retry-After": "1"}))
    with pytest.raises(ProviderRateLimitError):
        _session(handler, clock, retry=RetryPolicy(max_retries=2)).request("GET", "/x")
    assert clock.sleeps == [1.0, 1.0]


def test_other_statuses_are_returned() -> None:
    handler, seen = _sequence(httpx.Response(404, text="nope"))
    assert _session(handler, FakeClock()).request("GET", "/x").status_code == 404
    assert len(seen) == 1


# ---------------------------------------------------------------- creates and transport errors


def test_read_timeout_on_a_read_is_retried() -> None:
    clock = FakeClock()
    handler, seen = _sequence(httpx.ReadTimeout("slow"), httpx.Response(200))
    assert _session(handler, clock).request("GET", "/x").status_code == 200
    assert len(seen) == 2


def test_create_is_not_retried_after_a_read_timeout() -> None:
    handler, seen = _sequence(httpx.ReadTimeout("slow"), httpx.Response(201))
    with pytest.raises(ProviderTimeout) as info:
        _session(handler, FakeClock()).request("POST", "/orders", create=True, json={})
    assert len(seen) == 1
    assert info.value.maybe_created is True
    assert "not sent again" in str(info.value)


def test_create_is_not_retried_after_a_dropped_connection() -> None:
    handler, seen = _sequence(httpx.RemoteProtocolError("Server disconnected"), httpx.Response(201))
    with pytest.raises(ProviderTransportError) as info:
        _session(handler, FakeClock()).request("POST", "/orders", create=True, json={})
    assert len(seen) == 1 and info.value.maybe_created


def test_create_is_retried_when_it_never_left() -> None:
    handler, seen = _sequence(httpx.ConnectError("refused"), httpx.Response(201))
    assert _session(handler, FakeClock()).request("POST", "/orders", create=True).status_code == 201
    assert len(seen) == 2


def test_create_is_retried_after_503() -> None:
    handler, seen = _sequence(httpx.Response(503), httpx.Response(201))
    assert _session(handler, FakeClock()).request("POST", "/orders", create=True).status_code == 201
    assert len(seen) == 2


def test_connection_failure_after_retries() -> None:
    handler, seen = _sequence(httpx.ConnectError("refused"))
    with pytest.raises(ProviderTransportError) as info:
        _session(handler, FakeClock()).request("GET", "/x")
    assert len(seen) == 4 and info.value.maybe_created is False
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_errors_pickle_with_their_attributes() -> None:
    error = ProviderTimeout("t", provider="rev", code="x", retry_after=2.0, maybe_created=True)
    back = pickle.loads(pickle.dumps(error))
    assert (back.provider, back.code, back.retry_after, back.maybe_created) == ("rev", "x", 2.0, True)


# ---------------------------------------------------------------- requests


def test_base_url_auth_and_absolute_urls() -> None:
    handler, seen = _sequence(httpx.Response(200))
    session = _session(handler, FakeClock())
    session.request("GET", "/orders", params={"page": 0})
    session.request("GET", "https://cdn.example.test/f.srt", auth=False)
    assert str(seen[0].url) == "https://api.example.test/v1/orders?page=0"
    assert seen[0].headers["x-api-key"] == SECRET
    assert "x-api-key" not in seen[1].headers


def test_injected_client_is_used_and_not_closed() -> None:
    handler, seen = _sequence(httpx.Response(200))
    client = httpx.Client(transport=httpx.MockTransport(handler))
    session = HttpSession(provider="t", base_url="https://h.test", auth_headers=dict, redactor=Redactor(),
                          client=client)
    session.request("GET", "/a")
    session.close()
    assert not client.is_closed and len(seen) == 1
    client.close()


def test_timeouts_reach_httpx() -> None:
    seen: list[Mapping[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200)

    session = HttpSession(provider="t", base_url="https://h.test", auth_headers=dict, redactor=Redactor(),
                          transport=httpx.MockTransport(handler), timeouts=Timeouts(connect=3, read=9))
    session.request("GET", "/a")
    assert seen[0]["connect"] == 3 and seen[0]["read"] == 9


# ---------------------------------------------------------------- downloads


def test_download_streams_and_limits() -> None:
    body = b"x" * 5000

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([body[:2500], body[2500:]]))

    session = _session(handler, FakeClock())
    assert session.download("https://cdn.test/f.srt") == body
    with pytest.raises(ProviderProtocolError, match="download limit"):
        session.download("https://cdn.test/f.srt", limit=3000)


def test_download_refuses_a_declared_size_over_the_limit() -> None:
    handler, _ = _sequence(httpx.Response(200, content=b"x" * 100, headers={"Content-Length": "100"}))
    with pytest.raises(ProviderProtocolError):
        _session(handler, FakeClock()).download("https://cdn.test/f", limit=10)


def test_download_retries_5xx_and_fails_on_404() -> None:
    clock = FakeClock()
    handler, _ = _sequence(httpx.Response(503), httpx.Response(200, content=b"ok"))
    assert _session(handler, clock).download("https://cdn.test/f") == b"ok"
    assert clock.sleeps == [1.0]
    handler, _ = _sequence(httpx.Response(404))
    with pytest.raises(ProviderProtocolError, match="HTTP 404"):
        _session(handler, clock).download("https://cdn.test/f")


def test_download_sends_no_credentials() -> None:
    handler, seen = _sequence(httpx.Response(200, content=b"ok"))
    _session(handler, FakeClock()).download("https://cdn.test/f")
    assert "x-api-key" not in seen[0].headers


# ---------------------------------------------------------------- bodies


def test_json_body_rejects_html_and_malformed_json() -> None:
    with pytest.raises(ProviderProtocolError, match="expected JSON"):
        json_body(httpx.Response(200, text="<html>oops</html>", headers={"Content-Type": "text/html"}), "t")
    with pytest.raises(ProviderProtocolError, match="malformed JSON"):
        json_body(httpx.Response(200, text='{"code":10'), "t")
    assert json_body(httpx.Response(200, json={"a": 1}), "t") == {"a": 1}


def test_decode_payload() -> None:
    assert decode_payload(b"\xef\xbb\xbfa\r\nb\rc\n") == "a\nb\nc\n"
    assert decode_payload(b"caf\xe9") == "caf\ufffd"


# ---------------------------------------------------------------- polling


def test_poll_grows_the_interval_and_meets_the_deadline() -> None:
    clock = FakeClock()
    calls = 0

    def never() -> int | None:
        nonlocal calls
        calls += 1
        return None

    with pytest.raises(ProviderTimeout, match="deadline"):
        poll(never, policy=PollPolicy(interval=1, max_interval=4, factor=2, deadline=20), clock=clock,
             provider="t", what="job")
    assert clock.sleeps[:4] == [1, 2, 4, 4]
    assert sum(clock.sleeps) == pytest.approx(20)
    assert calls == len(clock.sleeps) + 1


def test_poll_returns_the_first_result() -> None:
    clock = FakeClock()
    answers = iter([None, None, "done"])
    assert poll(lambda: next(answers), policy=PollPolicy(interval=5), clock=clock, provider="t", what="j") == "done"
    assert clock.sleeps == [5.0, 7.5]


# ---------------------------------------------------------------- redaction


def test_redactor_hides_secrets_and_sensitive_fields() -> None:
    redact = Redactor([SECRET, "ab", None])
    text = redact(f"key {SECRET} https://h/x?access_key=zzz&token=yyy&user_id=3 ab")
    assert SECRET not in text and "zzz" not in text and "yyy" not in text
    assert "user_id=3" in text and text.endswith(" ab")
    assert SECRET not in repr(redact)


def test_session_logs_and_errors_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="subkit.providers")
    handler, _ = _sequence(httpx.Response(500, text=f"echo {SECRET}"))
    session = _session(handler, FakeClock())
    with pytest.raises(ProviderError) as info:
        session.request("GET", f"/x?access_key={SECRET}")
    assert caplog.records
    assert SECRET not in caplog.text
    assert SECRET not in str(info.value) and SECRET not in repr(info.value)
    assert SECRET not in repr(session)
