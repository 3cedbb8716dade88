"""Rev client against the fake server: inputs, orders, polling, attachments, client_ref, errors, faults."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from subkit import formats
from subkit.errors import (
    ConfigError,
    ProviderAuthError,
    ProviderInputError,
    ProviderJobFailed,
    ProviderProtocolError,
    ProviderQuotaError,
    ProviderRateLimitError,
    ProviderTimeout,
    ProviderTransportError,
    UnknownFormatError,
)
from subkit.providers import FetchResult
from subkit.providers._http import PollPolicy, RetryPolicy, Timeouts
from subkit.providers.rev import HUMAN_POLL, SANDBOX_URL, RevClient, _status_kind
from tests.providers._fake_rev import CLIENT_KEY, USER_KEY, FakeRev
from tests.providers._harness import FakeClock

MEDIA = "https://media.example.com/interview.mp4"


def _client(server: FakeRev, clock: FakeClock, **options: Any) -> RevClient:
    return RevClient(options.pop("client_key", CLIENT_KEY), options.pop("user_key", USER_KEY),
                     base_url=f"{server.base_url}/api/v1", clock=clock, **options)


def _fetch(server: FakeRev, clock: FakeClock, **options: Any) -> FetchResult:
    with _client(server, clock) as client:
        return client.fetch(**{"media_url": MEDIA, **options})


def _has_rev_json() -> bool:
    try:
        formats.get("rev_json").load()
    except (UnknownFormatError, ImportError):
        return False
    return True


def test_rev_fetch_by_url(rev: FakeRev, clock: FakeClock) -> None:
    result = _fetch(rev, clock, language="en", video_length_seconds=3.2)
    assert [c.plain_text() for c in result.document.cues] == ["Welcome back.", "Let's begin."]
    assert result.job["order_number"] == "CP00001" and result.job["status"] == "Complete"
    for request in rev.journal:
        assert request.header("authorization") == f"Rev {CLIENT_KEY}:{USER_KEY}"
    staged = rev.requests("inputs")[0].json()
    assert staged == {"url": MEDIA}
    order = rev.requests("orders.create")[0].json()
    assert order == {"automated_caption_options": {
        "inputs": [{"uri": "urn:rev:inputmedia:0001", "video_length_seconds": 4}],
        "output_file_formats": ["SubRip"], "inputs_language": "en"}}
    assert rev.requests("orders.get")[0].header("accept") == "application/json"
    assert rev.requests("content")[0].header("accept") == "application/x-subrip"


def test_rev_every_order_option(rev: FakeRev, clock: FakeClock) -> None:
    _fetch(rev, clock, language="en", sandbox_mode=True, client_ref="ref-1",
           output_file_formats=["SubRip", "WebVtt"], burned_in_captions=True, ponumber="PO9", workspace_id="ws1",
           notification={"url": "https://hooks.example.com/rev", "level": "FinalOnly",
                         "content_type": "ApplicationJson"}, non_standard_tat_guarantee=False)
    body = rev.requests("orders.create")[0].json()
    assert body["sandbox_mode"] is True and body["client_ref"] == "ref-1"
    assert body["automated_caption_options"]["output_file_formats"] == ["SubRip", "WebVtt"]
    assert body["burned_in_captions"] is True and body["ponumber"] == "PO9" and body["workspace_id"] == "ws1"
    assert body["notification"]["level"] == "FinalOnly" and body["non_standard_tat_guarantee"] is False


def test_rev_sandbox_client_flag(rev: FakeRev, clock: FakeClock) -> None:
    with _client(rev, clock, sandbox=True) as client:
        client.fetch(media_url=MEDIA)
    assert rev.requests("orders.create")[0].json()["sandbox_mode"] is True
    assert SANDBOX_URL.startswith("https://api-sandbox.rev.com")


def test_rev_human_order_uses_caption_options_and_slow_polling(rev: FakeRev, clock: FakeClock) -> None:
    result = _fetch(rev, clock, human=True, subtitle_languages=["es"])
    body = rev.requests("orders.create")[0].json()
    assert "caption_options" in body and body["caption_options"]["subtitle_languages"] == ["es"]
    assert result.job["human"] is True
    assert clock.sleeps[0] == HUMAN_POLL.interval


@pytest.mark.parametrize("multipart", [False, True])
def test_rev_file_upload(rev: FakeRev, clock: FakeClock, tmp_path: Path, multipart: bool) -> None:
    media = tmp_path / "clip one.mp4"
    media.write_bytes(b"\x00\x01fake-media" * 10)
    with _client(rev, clock) as client:
        urn = client.upload_file(media, multipart=multipart)
        assert urn.startswith("urn:rev:inputmedia:")
    request = rev.requests("inputs")[0]
    if multipart:
        assert request.multipart_files()[0][1] == "clip one.mp4"
    else:
        assert request.header("content-type") == "video/mp4"
        assert request.header("content-disposition") == 'attachment; filename="clip one.mp4"'
        assert request.body == media.read_bytes()
    assert rev.inputs[urn]["filename"] == "clip one.mp4"


def test_rev_fetch_by_file(rev: FakeRev, clock: FakeClock, tmp_path: Path) -> None:
    media = tmp_path / "a.mp3"
    media.write_bytes(b"ID3")
    assert len(_fetch(rev, clock, media_url=None, file=media).document.cues) == 2


def test_rev_external_link(rev: FakeRev, clock: FakeClock) -> None:
    _fetch(rev, clock, media_url=None, external_link="https://www.youtube.com/watch?v=x")
    assert rev.requests("inputs") == []
    assert rev.requests("orders.create")[0].json()["automated_caption_options"]["inputs"] == [
        {"external_link": "https://www.youtube.com/watch?v=x"}]


def test_rev_input_errors(rev: FakeRev, clock: FakeClock) -> None:
    with _client(rev, clock) as client:
        with pytest.raises(ProviderInputError, match="10002"):
            client.upload_url("")
        rev_response = client.session.request("POST", "/inputs", create=True, content=b"x",
                                              headers={"Content-Type": "trololo",
                                                       "Content-Disposition": 'attachment; filename="a.x"'})
        assert rev_response.status_code == 400 and rev_response.json()["code"] == 10001
        no_name = client.session.request("POST", "/inputs", create=True, content=b"x",
                                         headers={"Content-Type": "video/mp4"})
        assert no_name.json()["code"] == 10004
        two = client.session.request("POST", "/inputs", create=True,
                                     files=[("a", ("a.mp4", b"1", "video/mp4")), ("b", ("b.mp4", b"2", "video/mp4"))])
        assert two.json()["code"] == 10003


def test_rev_order_validation_before_sending(rev: FakeRev, clock: FakeClock) -> None:
    with _client(rev, clock) as client:
        with pytest.raises(ConfigError, match="exactly one"):
            client.place_caption_order([{"uri": "u", "external_link": "l"}])
        with pytest.raises(ConfigError, match="40"):
            client.place_caption_order([{"uri": "u"}], client_ref="x" * 41)
        with pytest.raises(ConfigError, match="unknown output format"):
            client.place_caption_order([{"uri": "u"}], output_file_formats=["Docx"])
        with pytest.raises(ConfigError):
            client.submit()
    assert rev.journal == []


@pytest.mark.parametrize("as_string", [False, True])
def test_rev_order_error_codes(rev: FakeRev, clock: FakeClock, as_string: bool) -> None:
    rev.scenario["code_as_string"] = as_string
    with _client(rev, clock) as client:
        with pytest.raises(ProviderInputError) as info:
            client.place_caption_order([{"uri": "urn:rev:inputmedia:9999"}])
        assert info.value.code == "10002"
        rev.scenario["balance_exceeded"] = True
        urn = client.upload_url(MEDIA)
        with pytest.raises(ProviderQuotaError) as quota:
            client.place_caption_order([{"uri": urn}])
        assert quota.value.code == "30011"


def test_rev_unauthorised(rev: FakeRev, clock: FakeClock) -> None:
    with pytest.raises(ProviderAuthError) as info, _client(rev, clock, user_key="wrong-user") as client:
        client.fetch(media_url=MEDIA)
    assert info.value.code == "401"


def test_rev_status_spellings() -> None:
    assert [_status_kind(s) for s in ("Complete", "COMPLETED", "Cancelled", "canceled", "In Progress",
                                      "Finding Captioner", "")] == [
        "ready", "ready", "failed", "failed", "pending", "pending", "pending"]


def test_rev_polls_through_intermediate_statuses(rev: FakeRev, clock: FakeClock) -> None:
    rev.scenario.update(polls_until_done=4, finding_captioner=True)
    statuses: list[str] = []
    with _client(rev, clock, progress=lambda e: statuses.append(e.status)) as client:
        client.fetch(media_url=MEDIA)
    assert "Finding Captioner" in statuses and "In Progress" in statuses and statuses[-1] == "Complete"
    assert len(rev.requests("orders.get")) == 5


def test_rev_cancelled_order(rev: FakeRev, clock: FakeClock) -> None:
    rev.scenario["cancel"] = True
    with pytest.raises(ProviderJobFailed, match="canceled"):
        _fetch(rev, clock)


def test_rev_deadline(rev: FakeRev, clock: FakeClock) -> None:
    rev.scenario["polls_until_done"] = 10_000
    with pytest.raises(ProviderTimeout), _client(rev, clock, poll=PollPolicy(interval=10, deadline=100)) as client:
        client.fetch(media_url=MEDIA)


def test_rev_client_ref_reuses_the_order(rev: FakeRev, clock: FakeClock) -> None:
    first = _fetch(rev, clock, client_ref="episode-1")
    second = _fetch(rev, clock, client_ref="episode-1")
    assert second.job["reused"] is True and second.job["order_number"] == first.job["order_number"]
    assert len(rev.requests("orders.create")) == 1
    assert len(rev.requests("inputs")) == 1


def test_rev_order_list_paging(rev: FakeRev, clock: FakeClock) -> None:
    with _client(rev, clock) as client:
        for index in range(5):
            client.place_caption_order([{"uri": client.upload_url(MEDIA)}], client_ref=f"r{index % 2}")
        everything = list(client.iter_orders(page_size=2))
        assert [o["order_number"] for o in everything] == [f"CP{n:05d}" for n in range(1, 6)]
        assert len(rev.requests("orders.list")) == 3  # 2 + 2 + 1, then stop
        assert [o["client_ref"] for o in client.iter_orders(client_ref="r1")] == ["r1", "r1"]
        assert client.find_order("r0") is not None and client.find_order("nope") is None


def test_rev_lost_create_answer_recovered_by_client_ref(rev: FakeRev, clock: FakeClock) -> None:
    rev.fault("orders.create", drop_after=True)  # the order is placed, its answer lost
    result = _fetch(rev, clock, client_ref="lost-answer")
    assert result.job["order_number"] == "CP00001" and len(rev.orders) == 1
    assert len(rev.requests("orders.create")) == 1


def test_rev_lost_create_answer_without_client_ref(rev: FakeRev, clock: FakeClock) -> None:
    rev.fault("orders.create", drop_after=True)
    with pytest.raises(ProviderTransportError) as info:
        _fetch(rev, clock)
    assert info.value.maybe_created and len(rev.requests("orders.create")) == 1


def test_rev_get_order_errors(rev: FakeRev, clock: FakeClock) -> None:
    with _client(rev, clock) as client:
        with pytest.raises(ProviderInputError):
            client.get_order("CP99999", known=False)
        with pytest.raises(ProviderJobFailed):
            client.get_order("CP99999")


def test_rev_attachment_formats(rev: FakeRev, clock: FakeClock) -> None:
    result = _fetch(rev, clock, format="webvtt")
    assert result.files[0].format == "webvtt" and result.files[0].text.startswith("WEBVTT")
    assert rev.requests("content")[0].header("accept") == "text/vtt"
    with _client(rev, clock) as client:
        number = result.job["order_number"]
        meta = client.get_attachment(f"A{number}")
        assert meta["kind"] == "caption"
        with pytest.raises(ProviderProtocolError, match="not available") as info:
            client.get_attachment_content(f"A{number}", accept="application/x-nothing")
        assert info.value.code == "406"
        with pytest.raises(ConfigError):
            client.get_attachment_content(f"A{number}", format="docx")
        with pytest.raises(ConfigError, match="cannot read"):
            client.finish(result.job, format="cheetah")


def test_rev_406_falls_back_to_the_suffix(rev: FakeRev, clock: FakeClock) -> None:
    rev.scenario["accept_406_once"] = True
    assert len(_fetch(rev, clock).document.cues) == 2
    assert [r.path.rsplit("/", 1)[-1] for r in rev.requests("content")] == ["content", "content.srt"]


def test_rev_subtitle_attachment_is_a_target(rev: FakeRev, clock: FakeClock) -> None:
    rev.scenario["with_subtitle"] = True
    result = _fetch(rev, clock)
    assert [f.role for f in result.files] == ["source", "target"]
    assert result.files[1].document.cues[0].plain_text() == "Bienvenidos."


def test_rev_transcript(rev: FakeRev, clock: FakeClock) -> None:
    result = _fetch(rev, clock, transcript=True)
    request = next(r for r in rev.requests("content") if r.path.split("/")[-2].startswith("T"))
    assert request.header("accept") == "application/json"
    if not _has_rev_json():
        assert "rev_json" in result.job["transcript"]
        pytest.skip("the rev_json reader is not registered yet")
    transcript = result.files[-1]
    assert transcript.role == "transcript" and transcript.format == "rev_json"
    assert "Welcome" in transcript.document.cues[0].plain_text()


def test_rev_cancel(rev: FakeRev, clock: FakeClock) -> None:
    with _client(rev, clock) as client:
        number = client.place_caption_order([{"uri": client.upload_url(MEDIA)}])
        client.cancel_order(number)
        assert rev.orders[number]["status"] == "Cancelled"
        done = client.fetch(media_url=MEDIA).job["order_number"]
        with pytest.raises(ProviderInputError, match="not allowed"):
            client.cancel_order(done)


def test_rev_faults(rev: FakeRev, clock: FakeClock) -> None:
    rev.fault("orders.get", status=429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})
    rev.fault("orders.get", status=500)
    rev.fault("content", drop=True)
    rev.fault("inputs", status=503)
    assert len(_fetch(rev, clock).document.cues) == 2
    assert len(rev.requests("inputs")) == 2


def test_rev_rate_limit_gives_up(rev: FakeRev, clock: FakeClock) -> None:
    for _ in range(3):
        rev.fault("orders.get", status=429, headers={"Retry-After": "1"})
    with pytest.raises(ProviderRateLimitError) as info, _client(rev, clock, retry=RetryPolicy(max_retries=2)) as c:
        c.fetch(media_url=MEDIA)
    assert info.value.retry_after == 1.0


def test_rev_slow_order_is_not_placed_twice(rev: FakeRev, clock: FakeClock) -> None:
    rev.fault("orders.create", delay=0.5)
    with pytest.raises(ProviderTimeout) as info, _client(rev, clock, timeouts=Timeouts(read=0.2)) as client:
        client.fetch(media_url=MEDIA)
    assert info.value.maybe_created and len(rev.requests("orders.create")) == 1


def test_rev_malformed_order_json(rev: FakeRev, clock: FakeClock) -> None:
    rev.fault("orders.get", body='{"status": "Comp', content_type="application/json")
    with pytest.raises(ProviderProtocolError, match="malformed"):
        _fetch(rev, clock)
