"""AKool client against the fake server: both auth modes, lists, translation jobs, webhooks, errors, faults."""

from __future__ import annotations

from typing import Any

import pytest

from subkit.errors import (
    ConfigError,
    ProviderAuthError,
    ProviderInputError,
    ProviderJobFailed,
    ProviderProtocolError,
    ProviderTimeout,
    ProviderTransportError,
)
from subkit.providers import FetchResult
from subkit.providers._http import PollPolicy, Timeouts
from subkit.providers.akool import AkoolClient, decrypt_webhook, verify_webhook
from tests.providers._fake_akool import API_KEY, CLIENT_ID, CLIENT_SECRET, FakeAkool, encrypt_envelope
from tests.providers._harness import FakeClock, WebhookReceiver

MEDIA = "https://media.example.com/promo.mp4"


def _client(server: FakeAkool, clock: FakeClock, *, token: bool = False, **options: Any) -> AkoolClient:
    if token:
        return AkoolClient(client_id=options.pop("client_id", CLIENT_ID),
                           client_secret=options.pop("client_secret", CLIENT_SECRET),
                           base_url=server.base_url, clock=clock, **options)
    return AkoolClient(options.pop("api_key", API_KEY), base_url=server.base_url, clock=clock, **options)


def _fetch(server: FakeAkool, clock: FakeClock, *, token: bool = False, **options: Any) -> FetchResult:
    with _client(server, clock, token=token) as client:
        return client.fetch(MEDIA, **{"translate_to": "es", **options})


def test_akool_api_key_fetch(akool: FakeAkool, clock: FakeClock) -> None:
    result = _fetch(akool, clock, caption_type=2)
    assert [(f.role, f.language) for f in result.files] == [("target", "es"), ("source", None)]
    assert result.document.cues[0].plain_text() == "Bienvenidos a la demo."
    assert result.files[1].document.cues[0].plain_text() == "Welcome to the demo."
    for request in akool.journal:
        if request.route == "file":
            assert request.header("x-api-key") is None and request.header("authorization") is None
        else:
            assert request.header("x-api-key") == API_KEY and request.header("authorization") is None
    body = akool.requests("create")[0].json()
    assert body == {"url": MEDIA, "language": "es", "source_language": "DEFAULT", "lipsync": False,
                    "caption_type": 2}
    assert len(akool.requests("info")) == 3


def test_akool_token_mode_sends_only_bearer(akool: FakeAkool, clock: FakeClock) -> None:
    result = _fetch(akool, clock, token=True)
    assert len(result.files) == 2
    assert akool.requests("token")[0].json() == {"clientId": CLIENT_ID, "clientSecret": CLIENT_SECRET}
    for request in akool.journal:
        if request.route not in ("token", "file"):
            assert request.header("authorization", ) == "Bearer tok-SECRET-0001"
            assert request.header("x-api-key") is None
    assert len(akool.requests("token")) == 1  # cached


def test_akool_token_refreshed_once(akool: FakeAkool, clock: FakeClock) -> None:
    akool.scenario["token_expires_after"] = 2
    assert len(_fetch(akool, clock, token=True).files) == 2
    assert len(akool.requests("token")) == 2


def test_akool_token_refresh_only_once(akool: FakeAkool, clock: FakeClock) -> None:
    akool.scenario["token_expires_after"] = 0
    with pytest.raises(ProviderAuthError, match="1101"):
        _fetch(akool, clock, token=True)
    assert len(akool.requests("token")) == 2


def test_akool_bad_credentials(akool: FakeAkool, clock: FakeClock) -> None:
    with pytest.raises(ProviderAuthError, match="1101"), _client(akool, clock, api_key="bad-key-x") as client:
        client.languages()
    with pytest.raises(ProviderAuthError, match="1101"), _client(akool, clock, token=True,
                                                                   client_secret="wrong-secret") as client:
        client.languages()
    akool.scenario["banned"] = True
    with pytest.raises(ProviderAuthError, match="1200"), _client(akool, clock) as client:
        client.languages()


def test_akool_missing_auth_is_1102(akool: FakeAkool, clock: FakeClock) -> None:
    with _client(akool, clock) as client:
        response = client.session.request("GET", "/api/open/v3/language/list", auth=False)
        with pytest.raises(ProviderAuthError, match="1102"):
            client._call("GET", "/api/open/v3/language/list", auth=False)
    assert response.json()["code"] == 1102


def test_akool_needs_credentials() -> None:
    with pytest.raises(ConfigError):
        AkoolClient()
    with pytest.raises(ConfigError):
        AkoolClient.from_settings({"client_id": "x"})


def test_akool_languages_and_all_voice_pages(akool: FakeAkool, clock: FakeClock) -> None:
    with _client(akool, clock) as client:
        languages = client.languages()
        voices = client.voices(language_code="es")
    assert [x["lang_code"] for x in languages] == ["en", "es", "ja"] and languages[1]["need_voice_id"]
    assert len(voices) == 150 and len({v["voice_id"] for v in voices}) == 150
    pages = akool.requests("voices")
    assert [p.q("page") for p in pages] == ["1", "2"] and pages[0].q("language_code") == "es"


def test_akool_every_create_parameter(akool: FakeAkool, clock: FakeClock) -> None:
    studio = {"no_translate_words": ["AKool"], "fixed_words": {"demo": "demostración"},
              "pronounced_words": {"SQL": "sequel"}, "style": "cheerful"}
    _fetch(akool, clock, translate_to=["es"], source_language="en", lipsync=True,
           webhook_url="https://hooks.example.com/akool", speaker_num=2, remove_bgm=True, dynamic_duration=False,
           caption_type=4, caption_url="https://media.example.com/subs.srt",
           voices_map={"es": {"voice_id": "voice-3"}}, studio_voice=studio)
    body = akool.requests("create")[0].json()
    assert body == {"url": MEDIA, "language": "es", "source_language": "en", "lipsync": True,
                    "webhookUrl": "https://hooks.example.com/akool", "speaker_num": 2, "remove_bgm": True,
                    "dynamic_duration": False, "caption_type": 4, "caption_url": "https://media.example.com/subs.srt",
                    "voices_map": {"es": {"voice_id": "voice-3"}}, "studio_voice": studio}


@pytest.mark.parametrize("options", [
    {"caption_type": 7}, {"translate_to": []}, {"studio_voice": {"mood": "x"}}, {"studio_voice": {"style": "x"}},
])
def test_akool_bad_options_never_sent(akool: FakeAkool, clock: FakeClock, options: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        _fetch(akool, clock, **options)
    assert akool.journal == []


def test_akool_multi_language_jobs(akool: FakeAkool, clock: FakeClock) -> None:
    result = _fetch(akool, clock, translate_to=["es", "ja"])
    assert [(f.role, f.language) for f in result.files] == [("target", "es"), ("target", "ja"), ("source", None)]
    assert len(set(result.job["jobs"].values())) == 2
    assert akool.requests("create")[0].json()["language"] == "es,ja"
    assert result.files[1].document.cues[0].plain_text() == "デモへようこそ。"


def test_akool_one_language_fails(akool: FakeAkool, clock: FakeClock) -> None:
    akool.scenario["fail_lang"] = "ja"
    result = _fetch(akool, clock, translate_to=["es", "ja"])
    assert [f.language for f in result.files if f.role == "target"] == ["es"]
    assert "Translation engine failed" in result.job["failed"]["ja"]
    assert result.job["status"] == "partial"


def test_akool_all_languages_fail(akool: FakeAkool, clock: FakeClock) -> None:
    akool.scenario["fail_lang"] = "es"
    with pytest.raises(ProviderJobFailed, match="Translation engine failed"):
        _fetch(akool, clock)


def test_akool_missing_audio_splits(akool: FakeAkool, clock: FakeClock) -> None:
    akool.scenario["omit_audio_splits"] = True
    with pytest.raises(ProviderJobFailed, match="no subtitle files"):
        _fetch(akool, clock)


@pytest.mark.parametrize(("knob", "code"), [("no_audio", "1203"), ("too_long", "1204")])
def test_akool_input_errors(akool: FakeAkool, clock: FakeClock, knob: str, code: str) -> None:
    akool.scenario[knob] = True
    with pytest.raises(ProviderInputError) as info:
        _fetch(akool, clock)
    assert info.value.code == code


def test_akool_transient_create_resubmitted(akool: FakeAkool, clock: FakeClock) -> None:
    akool.scenario["transient_create"] = 2
    assert len(_fetch(akool, clock).files) == 2
    assert len(akool.requests("create")) == 3
    akool.scenario["transient_create"] = 3
    with pytest.raises(ProviderTransportError, match="1205"):
        _fetch(akool, clock)


def test_akool_unknown_job(akool: FakeAkool, clock: FakeClock) -> None:
    with _client(akool, clock) as client:
        with pytest.raises(ProviderInputError, match="1008"):
            client.video_info("nope")
        record = {"jobs": {"es": "nope"}, "failed": {}}
        with pytest.raises(ProviderJobFailed, match="does not exist"):
            client.finish(record)


def test_akool_progress_and_deadline(akool: FakeAkool, clock: FakeClock) -> None:
    akool.scenario["polls_until_done"] = 5
    percents: list[float | None] = []
    with _client(akool, clock, progress=lambda e: percents.append(e.percent)) as client:
        client.fetch(MEDIA, translate_to="es")
    assert [p for p in percents if p not in (None, 0.0, 100.0)] == [40.0, 60.0, 80.0]
    akool.scenario["polls_until_done"] = 10_000
    with pytest.raises(ProviderTimeout), _client(akool, clock, poll=PollPolicy(interval=5, deadline=60)) as client:
        client.fetch(MEDIA, translate_to="es")


def test_akool_faults(akool: FakeAkool, clock: FakeClock) -> None:
    akool.fault("info", status=429, headers={"Retry-After": "4"})
    akool.fault("info", status=502)
    akool.fault("file", drop=True)
    akool.fault("voices", status=500)
    assert len(_fetch(akool, clock).files) == 2
    assert 4.0 in clock.sleeps


def test_akool_html_body_is_a_protocol_error(akool: FakeAkool, clock: FakeClock) -> None:
    akool.fault("info", status=200, body="<html><title>Login</title></html>", content_type="text/html")
    with pytest.raises(ProviderProtocolError, match="expected JSON"):
        _fetch(akool, clock)


def test_akool_malformed_json(akool: FakeAkool, clock: FakeClock) -> None:
    akool.fault("create", body='{"code":10', content_type="application/json")
    with pytest.raises(ProviderProtocolError, match="malformed"):
        _fetch(akool, clock)


def test_akool_slow_create_not_resent(akool: FakeAkool, clock: FakeClock) -> None:
    akool.fault("create", delay=0.5)
    with pytest.raises(ProviderTimeout) as info, _client(akool, clock, timeouts=Timeouts(read=0.2)) as client:
        client.fetch(MEDIA, translate_to="es")
    assert info.value.maybe_created and len(akool.requests("create")) == 1


def test_akool_http_error_with_message(akool: FakeAkool, clock: FakeClock) -> None:
    akool.fault("languages", status=403, body='{"msg":"forbidden here"}', content_type="application/json")
    with pytest.raises(ProviderAuthError, match="forbidden here"), _client(akool, clock) as client:
        client.languages()


# ---------------------------------------------------------------- webhook


def test_akool_webhook_known_vector(akool: FakeAkool, clock: FakeClock, hook: WebhookReceiver) -> None:
    pytest.importorskip("cryptography")
    akool.scenario["webhook"] = True
    _fetch(akool, clock, webhook_url=hook.url)
    received = hook.wait_for(1)
    assert received
    payload = received[0].json()
    assert verify_webhook(payload, client_id=CLIENT_ID)
    plain = decrypt_webhook(payload, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    assert plain["status"] == 3 and plain["type"] == "video translate" and plain["_id"].startswith("job")


def test_akool_webhook_tampering_detected() -> None:
    pytest.importorskip("cryptography")
    payload = encrypt_envelope({"_id": "x", "status": 4}, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                               timestamp=1, nonce="n")
    assert decrypt_webhook(payload, client_id=CLIENT_ID, client_secret=CLIENT_SECRET) == {"_id": "x", "status": 4}
    tampered = {**payload, "nonce": "other"}
    assert not verify_webhook(tampered, client_id=CLIENT_ID)
    with pytest.raises(ProviderProtocolError, match="signature"):
        decrypt_webhook(tampered, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    with pytest.raises(ConfigError):
        decrypt_webhook(payload, client_id="short", client_secret=CLIENT_SECRET)
