"""Autosubtitle Online client against the fake server: the flow, every error code, the shared faults."""

from __future__ import annotations

from typing import Any

import pytest

from subkit.errors import (
    ConfigError,
    ProviderAuthError,
    ProviderInputError,
    ProviderJobFailed,
    ProviderProtocolError,
    ProviderQuotaError,
    ProviderTimeout,
    ProviderTransportError,
)
from subkit.providers import FetchResult
from subkit.providers._http import PollPolicy, ProgressEvent, Timeouts
from subkit.providers.autosubtitle import AutosubtitleClient
from tests.providers._fake_autosubtitle import ACCESS_KEY, USER_ID, FakeAutosubtitle
from tests.providers._harness import FakeClock

MEDIA = "https://media.example.com/talk.mp4"


def _client(server: FakeAutosubtitle, clock: FakeClock, **options: Any) -> AutosubtitleClient:
    return AutosubtitleClient(options.pop("user_id", USER_ID), options.pop("access_key", ACCESS_KEY),
                              base_url=server.base_url, clock=clock, **options)


def _fetch(server: FakeAutosubtitle, clock: FakeClock, **options: Any) -> FetchResult:
    with _client(server, clock) as client:
        return client.fetch(MEDIA, **{"language": "en", **options})


def test_autosubtitle_fetch_source(autosub: FakeAutosubtitle, clock: FakeClock) -> None:
    result = _fetch(autosub, clock)
    assert [f.role for f in result.files] == ["source"]
    doc = result.document
    assert [c.plain_text() for c in doc.cues] == ["Hello there.", "How are you?"]
    assert doc.language == "en" and doc.source_format == "srt"
    assert result.files[0].text.startswith("1\n00:00:01,000")  # CRLF gone
    assert len(autosub.requests("download")) == 3  # 2 polls "not ready" + the SRT
    assert len(clock.sleeps) == 2
    upload = autosub.requests("upload")[0].form()
    assert upload == {"user_id": USER_ID, "access_key": ACCESS_KEY, "url": MEDIA}
    generate = autosub.requests("generate")[0].form()
    assert generate["is_translate"] == "0" and generate["is_email"] == "0" and generate["slan"] == "en"


def test_autosubtitle_translation_target_first(autosub: FakeAutosubtitle, clock: FakeClock) -> None:
    result = _fetch(autosub, clock, translate_to="fr", noise_reduction=True, enhanced=True)
    assert [(f.role, f.language) for f in result.files] == [("target", "fr"), ("source", "en")]
    assert result.document.cues[0].plain_text() == "Bonjour."
    # The target has a BOM and a '.' before the milliseconds: both tolerated.
    assert result.files[0].document.cues[1].start_ms == 3000
    form = autosub.requests("generate")[0].form()
    assert (form["is_translate"], form["tlan"], form["is_noise_reduction"], form["is_enhanced"]) == ("1", "fr",
                                                                                                      "1", "1")
    assert [r.q("subtitle_type") for r in autosub.requests("download")][-2:] == ["target", "source"]


def test_autosubtitle_source_with_translation(autosub: FakeAutosubtitle, clock: FakeClock) -> None:
    result = _fetch(autosub, clock, translate_to="fr", subtitle_type="source")
    assert [f.role for f in result.files] == ["source", "target"]


def test_autosubtitle_double_kept_whole(autosub: FakeAutosubtitle, clock: FakeClock) -> None:
    result = _fetch(autosub, clock, translate_to="fr", subtitle_type="double")
    assert [f.role for f in result.files] == ["double"]
    assert result.document.cues[0].plain_text() == "Hello there.\nBonjour."
    assert result.document.header["autosubtitle.subtitle_type"] == "double"


def test_autosubtitle_target_needs_translation(autosub: FakeAutosubtitle, clock: FakeClock) -> None:
    with pytest.raises(ConfigError), _client(autosub, clock) as client:
        client.submit(MEDIA, language="en", subtitle_type="target")
    assert autosub.journal == []


def test_autosubtitle_download_as_json(autosub: FakeAutosubtitle, clock: FakeClock) -> None:
    autosub.scenario["download_as_json"] = True
    assert len(_fetch(autosub, clock).document.cues) == 2


def test_autosubtitle_flag_encoding_is_configurable(autosub: FakeAutosubtitle, clock: FakeClock) -> None:
    with _client(autosub, clock, flags=("true", "false")) as client:
        client.fetch(MEDIA, language="en", translate_to="de")
    assert autosub.requests("generate")[0].form()["is_translate"] == "true"


def test_autosubtitle_progress_events(autosub: FakeAutosubtitle, clock: FakeClock) -> None:
    events: list[ProgressEvent] = []
    with _client(autosub, clock, progress=events.append) as client:
        client.fetch(MEDIA, language="en")
    assert [e.stage for e in events] == ["submit", "submit", "wait", "wait", "download"]
    assert events[-1].job == "T1" and events[-1].percent == 100.0


@pytest.mark.parametrize(("knob", "value", "error", "code"), [
    ("url_fail", True, ProviderInputError, "1006"),
    ("empty_tag", True, ProviderProtocolError, None),
    ("quota", True, ProviderQuotaError, "2003"),
    ("fail_with", 2005, ProviderJobFailed, "2005"),
    ("fail_with", 2004, ProviderJobFailed, "2004"),
    ("fail_with", 2008, ProviderJobFailed, "2008"),
])
def test_autosubtitle_error_codes(autosub: FakeAutosubtitle, clock: FakeClock, knob: str, value: Any,
                                  error: type[Exception], code: str | None) -> None:
    autosub.scenario[knob] = value
    with pytest.raises(error) as info:
        _fetch(autosub, clock)
    assert getattr(info.value, "code", None) == code
    assert getattr(info.value, "provider", None) == "autosubtitle"


def test_autosubtitle_noise_reduction_hint(autosub: FakeAutosubtitle, clock: FakeClock) -> None:
    autosub.scenario["fail_with"] = 2005
    with pytest.raises(ProviderJobFailed, match="without noise reduction"):
        _fetch(autosub, clock)


def test_autosubtitle_bad_key(autosub: FakeAutosubtitle, clock: FakeClock) -> None:
    with pytest.raises(ProviderAuthError, match="1001"), _client(autosub, clock, access_key="wrong-key") as c:
        c.fetch(MEDIA, language="en")
    autosub.scenario["auth_401"] = True
    with pytest.raises(ProviderAuthError, match="401"), _client(autosub, clock, access_key="wrong-key") as c:
        c.fetch(MEDIA, language="en")


def test_autosubtitle_upload_1005_reuploaded(autosub: FakeAutosubtitle, clock: FakeClock) -> None:
    autosub.scenario["upload_1005_times"] = 2
    assert len(_fetch(autosub, clock).document.cues) == 2
    assert len(autosub.requests("upload")) == 3
    autosub.scenario["upload_1005_times"] = 3
    with pytest.raises(ProviderTransportError, match="1005"):
        _fetch(autosub, clock)


def test_autosubtitle_generate_2002_retried(autosub: FakeAutosubtitle, clock: FakeClock) -> None:
    autosub.scenario["generate_2002_times"] = 2
    assert len(_fetch(autosub, clock).document.cues) == 2
    assert len(autosub.requests("generate")) == 3
    autosub.scenario["generate_2002_times"] = 9
    with pytest.raises(ProviderInputError, match="2002"):
        _fetch(autosub, clock)


def test_autosubtitle_not_ready_until_deadline(autosub: FakeAutosubtitle, clock: FakeClock) -> None:
    autosub.scenario["polls_until_ready"] = 10_000
    with pytest.raises(ProviderTimeout), _client(autosub, clock, poll=PollPolicy(interval=10, max_interval=60,
                                                                                 deadline=300)) as client:
        client.fetch(MEDIA, language="en")
    assert sum(clock.sleeps) == pytest.approx(300)
    assert max(clock.sleeps) <= 60


# ---------------------------------------------------------------- shared faults


def test_autosubtitle_fault_429_then_5xx_on_download(autosub: FakeAutosubtitle, clock: FakeClock) -> None:
    autosub.fault("download", status=429, headers={"Retry-After": "3"})
    autosub.fault("download", status=503)
    assert len(_fetch(autosub, clock).document.cues) == 2
    assert 3.0 in clock.sleeps


def test_autosubtitle_fault_malformed_json(autosub: FakeAutosubtitle, clock: FakeClock) -> None:
    autosub.fault("generate", body='{"err_code":10', content_type="application/json")
    with pytest.raises(ProviderProtocolError, match="malformed"):
        _fetch(autosub, clock)


def test_autosubtitle_fault_html(autosub: FakeAutosubtitle, clock: FakeClock) -> None:
    autosub.fault("upload", body="<html><body>Bad gateway</body></html>", content_type="text/html")
    with pytest.raises(ProviderProtocolError, match="expected JSON"):
        _fetch(autosub, clock)


def test_autosubtitle_fault_slow_upload_not_resent(autosub: FakeAutosubtitle, clock: FakeClock) -> None:
    autosub.fault("upload", delay=0.5)
    with pytest.raises(ProviderTimeout) as info, _client(autosub, clock, timeouts=Timeouts(read=0.2)) as client:
        client.fetch(MEDIA, language="en")
    assert info.value.maybe_created
    assert len(autosub.requests("upload")) == 1


def test_autosubtitle_fault_dropped_download_retried(autosub: FakeAutosubtitle, clock: FakeClock) -> None:
    autosub.fault("download", drop=True)
    assert len(_fetch(autosub, clock).document.cues) == 2


def test_autosubtitle_fault_dropped_generate_not_resent(autosub: FakeAutosubtitle, clock: FakeClock) -> None:
    autosub.fault("generate", drop=True)
    with pytest.raises(ProviderTransportError) as info:
        _fetch(autosub, clock)
    assert info.value.maybe_created and len(autosub.requests("generate")) == 1


def test_autosubtitle_through_providers_fetch(autosub: FakeAutosubtitle, clock: FakeClock,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from subkit import providers

    monkeypatch.setenv("SUBKIT_AUTOSUBTITLE_USER_ID", USER_ID)
    monkeypatch.setenv("SUBKIT_AUTOSUBTITLE_ACCESS_KEY", ACCESS_KEY)
    monkeypatch.setenv("SUBKIT_AUTOSUBTITLE_BASE_URL", autosub.base_url)
    result = providers.fetch("autosubtitle", client_options={"clock": clock}, media_url=MEDIA, language="en")
    assert result.provider == "autosubtitle" and len(result.document.cues) == 2


def test_autosubtitle_scenario_over_http(autosub: FakeAutosubtitle, clock: FakeClock) -> None:
    import httpx

    httpx.post(f"{autosub.base_url}/__fake/scenario", json={"quota": True}).raise_for_status()
    with pytest.raises(ProviderQuotaError):
        _fetch(autosub, clock)
