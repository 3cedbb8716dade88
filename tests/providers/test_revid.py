"""Revid client against the fake server: sync and webhook modes, settings, errors, ASS into the model."""

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
    ProviderRateLimitError,
    ProviderTimeout,
)
from subkit.providers import FetchResult
from subkit.providers._http import RetryPolicy, Timeouts
from subkit.providers.revid import SETTINGS, RevidClient, check_settings
from tests.providers._fake_revid import API_KEY, SETTING_TYPES, FakeRevid
from tests.providers._harness import FakeClock, WebhookReceiver

MEDIA = "https://media.example.com/clip.mp4"

ALL_SETTINGS: dict[str, Any] = {
    "line_color": "#FFFFFF", "word_color": "#FFFF00", "outline_color": "#000000", "all_caps": True,
    "max_words_per_line": 4, "x": 100, "y": 200, "position": "bottom_center", "alignment": "center",
    "font_family": "Arial", "font_size": 48, "bold": True, "italic": False, "underline": False, "strikeout": False,
    "style": "classic", "outline_width": 3, "spacing": 1, "angle": 0, "shadow_offset": 2,
}


def _client(server: FakeRevid, clock: FakeClock, **options: Any) -> RevidClient:
    return RevidClient(options.pop("api_key", API_KEY), base_url=server.base_url, clock=clock, **options)


def _fetch(server: FakeRevid, clock: FakeClock, **options: Any) -> FetchResult:
    with _client(server, clock) as client:
        return client.fetch(MEDIA, **options)


def test_revid_settings_table_matches_the_service() -> None:
    assert {key: value for key, value in SETTINGS.items()} == SETTING_TYPES


def test_revid_sync_classic_into_the_model(revid: FakeRevid, clock: FakeClock) -> None:
    result = _fetch(revid, clock, settings={"style": "classic"})
    doc = result.document
    assert [c.plain_text() for c in doc.cues] == ["Hello, world", "Second line\nbroken here", "Last one"]
    assert doc.cues[0].placement.align == 2
    assert doc.cues[2].placement.x == 960 and doc.cues[2].placement.y == 900
    assert doc.canvas == (1920, 1080)
    default = doc.styles["Default"]
    assert default.font_family == "Arial" and default.font_size == 48 and default.bold
    assert result.job["mode"] == "sync" and result.job["ass_url"].startswith(revid.base_url)
    request = revid.requests("generate")[0]
    assert request.header("x-api-key") == API_KEY
    assert request.json() == {"media_url": MEDIA, "settings": {"style": "classic"}}
    file_request = revid.requests("file")[0]
    assert file_request.header("x-api-key") is None  # cloud storage gets no key


def test_revid_every_option_is_sent(revid: FakeRevid, clock: FakeClock) -> None:
    _fetch(revid, clock, settings=ALL_SETTINGS, replace=[{"find": "colour", "replace": "color"}],
           exclude_time_ranges=[{"start": "00:00:01.000", "end": "00:00:02.500"}], language="en",
           canvas=(1080, 1920), id="my-job-7")
    body = revid.requests("generate")[0].json()
    assert body == {"media_url": MEDIA, "settings": ALL_SETTINGS, "replace": [{"find": "colour", "replace": "color"}],
                    "exclude_time_ranges": [{"start": "00:00:01.000", "end": "00:00:02.500"}], "language": "en",
                    "canvas_width": 1080, "canvas_height": 1920, "id": "my-job-7"}


@pytest.mark.parametrize(("options", "message"), [
    ({"settings": {"colour": "red"}}, "unknown caption setting"),
    ({"settings": {"font_size": "48"}}, "must be int"),
    ({"settings": {"bold": 1}}, "must be bool"),
    ({"settings": {"max_words_per_line": True}}, "must be int"),
    ({"settings": {"position": "center"}}, "position must be one of"),
    ({"settings": {"style": "neon"}}, "style must be one of"),
    ({"settings": {"alignment": "justify"}}, "alignment must be one of"),
    ({"exclude_time_ranges": [{"start": "00:00:02.000", "end": "00:00:01.000"}]}, "ends before"),
    ({"exclude_time_ranges": [{"start": "2s", "end": "3s"}]}, "hh:mm:ss"),
    ({"exclude_time_ranges": [{"start": "00:00:01", "end": "00:00:02", "why": "x"}]}, "exactly"),
    ({"replace": [{"find": "a"}]}, "find"),
    ({"canvas": (0, 100)}, "canvas"),
])
def test_revid_bad_options_never_sent(revid: FakeRevid, clock: FakeClock, options: dict[str, Any],
                                      message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        _fetch(revid, clock, **options)
    assert revid.journal == []


def test_revid_media_url_must_be_a_url(revid: FakeRevid, clock: FakeClock) -> None:
    with pytest.raises(ConfigError, match="http"), _client(revid, clock) as client:
        client.fetch("clip.mp4")


def test_check_settings_accepts_every_setting() -> None:
    assert check_settings(ALL_SETTINGS) == ALL_SETTINGS


def test_revid_webhook_mode_polls_status(revid: FakeRevid, clock: FakeClock, hook: WebhookReceiver) -> None:
    revid.scenario.update(webhook=True, polls_until_done=4)
    result = _fetch(revid, clock, webhook_url=hook.url, settings={"style": "classic"})
    assert result.job["mode"] == "webhook"
    assert len(revid.requests("status")) == 4
    assert len(result.document.cues) == 3
    received = hook.wait_for(1)
    assert received and received[0].json()["code"] == 200
    assert revid.requests("generate")[0].json()["webhook_url"] == hook.url


def test_revid_status_404_is_retried_twice(revid: FakeRevid, clock: FakeClock) -> None:
    revid.scenario["status_404_times"] = 2
    assert len(_fetch(revid, clock, webhook_url="http://127.0.0.1:9/hook").document.cues) == 3
    revid.scenario["status_404_times"] = 3
    with pytest.raises(ProviderJobFailed, match="not found"):
        _fetch(revid, clock, webhook_url="http://127.0.0.1:9/hook")


def test_revid_karaoke_tags_become_words(revid: FakeRevid, clock: FakeClock) -> None:
    doc = _fetch(revid, clock, settings={"style": "karaoke"}).document
    assert [c.plain_text() for c in doc.cues] == ["Hello, world", "Second line"]
    assert [w.text for w in doc.cues[0].words] == ["Hello, ", "world"]


def test_revid_highlight_layers_dropped_unless_kept(revid: FakeRevid, clock: FakeClock) -> None:
    assert [c.plain_text() for c in _fetch(revid, clock, settings={"style": "highlight"}).document.cues] == [
        "Hello world"]
    with _client(revid, clock) as client:
        kept = client.fetch(MEDIA, settings={"style": "highlight"}, keep_layers=True)
    assert len(kept.document.cues) == 3


def test_revid_font_errors_list_the_fonts(revid: FakeRevid, clock: FakeClock) -> None:
    revid.scenario["font_error"] = True
    with pytest.raises(ProviderInputError, match="available fonts: Arial, Roboto"):
        _fetch(revid, clock)
    revid.scenario.update(font_error=False, font_error_docs_shape=True)
    with pytest.raises(ProviderInputError, match="available fonts: Arial, Roboto"):
        _fetch(revid, clock)


def test_revid_font_error_in_a_queued_job(revid: FakeRevid, clock: FakeClock) -> None:
    revid.scenario["font_error"] = True
    with pytest.raises(ProviderJobFailed, match="Roboto"):
        _fetch(revid, clock, webhook_url="http://127.0.0.1:9/hook")


def test_revid_failed_job(revid: FakeRevid, clock: FakeClock) -> None:
    revid.scenario["job_fails"] = True
    with pytest.raises(ProviderJobFailed, match="Download failed"):
        _fetch(revid, clock, webhook_url="http://127.0.0.1:9/hook")
    with pytest.raises(ProviderJobFailed, match="Download failed"):
        _fetch(revid, clock)
    # A 500 in sync mode is tried once more, then it is a failed job.
    assert len(revid.requests("generate")) == 3


@pytest.mark.parametrize(("knob", "error"), [("quota", ProviderQuotaError), ("queue_full", ProviderRateLimitError)])
def test_revid_quota_and_queue(revid: FakeRevid, clock: FakeClock, knob: str, error: type[Exception]) -> None:
    revid.scenario[knob] = True
    with pytest.raises(error):
        _fetch(revid, clock)


def test_revid_queue_full_retried_with_backoff(revid: FakeRevid, clock: FakeClock) -> None:
    revid.fault("generate", status=429, body='{"message":"MAX_QUEUE_LENGTH (10) reached"}',
                content_type="application/json")
    assert len(_fetch(revid, clock).document.cues) == 3
    assert len(clock.sleeps) == 1


def test_revid_bad_key(revid: FakeRevid, clock: FakeClock) -> None:
    with pytest.raises(ProviderAuthError), _client(revid, clock, api_key="nope-nope") as client:
        client.fetch(MEDIA)


def test_revid_server_side_validation_message(revid: FakeRevid, clock: FakeClock) -> None:
    revid.fault("generate", status=400, body='{"message":"Invalid payload: media_url is not a uri"}',
                content_type="application/json")
    with pytest.raises(ProviderInputError, match="Invalid payload"):
        _fetch(revid, clock)


def test_revid_200_without_url(revid: FakeRevid, clock: FakeClock) -> None:
    revid.fault("generate", status=200, body='{"code":200,"response":null,"message":"success"}',
                content_type="application/json")
    with pytest.raises(ProviderProtocolError, match="no file URL"):
        _fetch(revid, clock)


def test_revid_slow_sync_request_not_resent(revid: FakeRevid, clock: FakeClock) -> None:
    revid.scenario["delay"] = 0.6
    with pytest.raises(ProviderTimeout) as info, _client(revid, clock, timeouts=Timeouts(read=0.2)) as client:
        client.fetch(MEDIA)
    assert info.value.maybe_created and len(revid.requests("generate")) == 1


def test_revid_status_faults(revid: FakeRevid, clock: FakeClock) -> None:
    revid.fault("status", status=503)
    revid.fault("status", drop=True)
    revid.fault("status", status=429, headers={"Retry-After": "2"})
    with _client(revid, clock, retry=RetryPolicy(max_retries=3)) as client:
        assert len(client.fetch(MEDIA, webhook_url="http://127.0.0.1:9/h").document.cues) == 3
    assert 2.0 in clock.sleeps


def test_revid_malformed_and_html(revid: FakeRevid, clock: FakeClock) -> None:
    revid.fault("generate", body='{"code":20', content_type="application/json")
    with pytest.raises(ProviderProtocolError, match="malformed"):
        _fetch(revid, clock)
    revid.fault("generate", body="<html>maintenance</html>", content_type="text/html")
    with pytest.raises(ProviderProtocolError, match="expected JSON"):
        _fetch(revid, clock)
