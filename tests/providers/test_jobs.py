"""``subkit.providers.jobs``: the batch engine of provider fetches, and the policies that import no httpx."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from subkit import providers
from subkit.errors import ConfigError, ProviderError
from subkit.providers import FetchResult, PollPolicy
from subkit.providers.jobs import JOURNAL_NAME, FetchJournal, FetchOutcome, fetch_many
from tests.providers import _fake_autosubtitle as fake
from tests.providers._fake_autosubtitle import FakeAutosubtitle

MEDIA = [f"https://media.example.com/ep{n}.mp4" for n in range(3)]


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUBKIT_AUTOSUBTITLE_USER_ID", fake.USER_ID)
    monkeypatch.setenv("SUBKIT_AUTOSUBTITLE_ACCESS_KEY", fake.ACCESS_KEY)


def _client(server: FakeAutosubtitle) -> Any:
    return providers.client("autosubtitle", base_url=server.base_url,
                            poll=PollPolicy(interval=0.001, max_interval=0.001, deadline=5))


def _submit(client: Any, media: str) -> dict[str, Any]:
    record: dict[str, Any] = client.submit(media, language="en")
    return record


def _finish(client: Any, record: dict[str, Any]) -> FetchResult:
    result: FetchResult = client.finish(record)
    return result


def _deliver_into(folder: Path) -> Any:
    def deliver(media: str, result: FetchResult) -> list[dict[str, Any]]:
        target = folder / f"{media.rsplit('/', 1)[-1]}.srt"
        target.write_text(result.files[0].text, encoding="utf-8")
        return [{"output": str(target)}]

    return deliver


def test_fetch_many_fetches_every_media_and_a_rerun_sends_nothing(
        autosub: FakeAutosubtitle, credentials: None, tmp_path: Path) -> None:
    seen: list[str] = []
    with _client(autosub) as client:
        outcomes = fetch_many(client, MEDIA, journal=tmp_path / JOURNAL_NAME, submit=_submit, finish=_finish,
                              deliver=_deliver_into(tmp_path), concurrency=3,
                              on_outcome=lambda outcome: seen.append(outcome.media))
    assert [o.media for o in outcomes] == MEDIA and all(o.ok and o.result is not None for o in outcomes)
    assert sorted(seen) == sorted(MEDIA)
    assert len(autosub.requests("upload")) == 3 and len(list(tmp_path.glob("*.srt"))) == 3
    events = [json.loads(line)["event"] for line in (tmp_path / JOURNAL_NAME).read_text().splitlines()]
    assert events.count("submitting") == events.count("submitted") == events.count("done") == 3
    before = len(autosub.journal)
    with _client(autosub) as client:
        again = fetch_many(client, MEDIA, journal=tmp_path / JOURNAL_NAME, submit=_submit, finish=_finish,
                           deliver=_deliver_into(tmp_path))
    assert [o.skipped for o in again] == ["already done"] * 3
    assert [o.outputs for o in again] == [o.outputs and [o.outputs[0]["output"]] for o in outcomes]
    assert len(autosub.journal) == before


@pytest.mark.parametrize("idempotent", [False, True])
def test_an_interrupted_create_is_sent_again_only_when_the_create_is_idempotent(
        autosub: FakeAutosubtitle, credentials: None, tmp_path: Path, idempotent: bool) -> None:
    # The journal of a run killed between sending a create and recording its answer.
    book = FetchJournal(tmp_path / JOURNAL_NAME)
    book.append({"media": MEDIA[0], "event": "submitting"})
    book.close()
    with _client(autosub) as client:
        [outcome] = fetch_many(client, MEDIA[:1], journal=tmp_path / JOURNAL_NAME, submit=_submit,
                               finish=_finish, deliver=_deliver_into(tmp_path), idempotent_create=idempotent)
    if idempotent:
        assert outcome.ok and len(autosub.requests("upload")) == 1
    else:
        assert not outcome.ok and outcome.unresolved and outcome.stage == "submit"
        assert isinstance(outcome.error, ProviderError) and outcome.error.maybe_created
        assert "may have created a job" in str(outcome.error) and not autosub.requests("upload")


def test_a_failure_is_journaled_with_its_stage_and_the_job_resumes_later(
        autosub: FakeAutosubtitle, credentials: None, tmp_path: Path) -> None:
    autosub.scenario["polls_until_ready"] = 1000
    quick = PollPolicy(interval=0.001, max_interval=0.001, deadline=0.01)
    with providers.client("autosubtitle", base_url=autosub.base_url, poll=quick) as client:
        [failed] = fetch_many(client, MEDIA[:1], journal=tmp_path / JOURNAL_NAME, submit=_submit,
                              finish=_finish, deliver=_deliver_into(tmp_path))
    assert isinstance(failed, FetchOutcome) and not failed.ok and failed.stage == "wait"
    last = FetchJournal(tmp_path / JOURNAL_NAME).state[MEDIA[0]]
    assert last["event"] == "failed" and last["stage"] == "wait" and "record" in last
    autosub.scenario["polls_until_ready"] = 0
    with _client(autosub) as client:
        [done] = fetch_many(client, MEDIA[:1], journal=tmp_path / JOURNAL_NAME, submit=_submit, finish=_finish,
                            deliver=_deliver_into(tmp_path))
    assert done.ok and len(autosub.requests("upload")) == 1


def test_fetch_many_refuses_no_concurrency(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="concurrency"):
        fetch_many(None, MEDIA, journal=tmp_path / JOURNAL_NAME, submit=_submit, finish=_finish,
                   deliver=_deliver_into(tmp_path), concurrency=0)


def test_the_policies_import_and_work_without_httpx() -> None:
    code = (
        "import sys\n"
        "sys.modules['httpx'] = None\n"  # any import of httpx now fails
        "from subkit.providers.policies import Clock, PollPolicy, ProgressEvent, RetryPolicy, SystemClock, Timeouts\n"
        "from subkit.providers import Timeouts as T2\n"
        "import subkit.providers.jobs\n"
        "assert Timeouts is T2\n"
        "t = Timeouts.within(5, Timeouts(read=900))\n"
        "assert (t.connect, t.read, t.exchange, t.deadline(True)) == (5.0, 5.0, 5.0, 5.0)\n"
        "assert Timeouts().deadline(False) == 70.0 and Timeouts().deadline(True) == 130.0\n"
        "assert RetryPolicy(jitter=0).delay(1, 0.5) == 2.0 and PollPolicy(deadline=9).deadline == 9\n"
        "assert ProgressEvent(provider='rev', stage='wait').stage == 'wait'\n"
        "assert SystemClock().now() > 0\n"
        "try:\n"
        "    Timeouts().as_httpx()\n"
        "except Exception as exc:\n"
        "    assert type(exc).__name__ == 'ConfigError' and 'subkit[providers]' in str(exc), exc\n"
        "else:\n"
        "    raise AssertionError('as_httpx worked without httpx')\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


@pytest.mark.parametrize("bad", [0, -1.0])
def test_timeouts_must_be_positive(bad: float) -> None:
    from subkit.providers import Timeouts

    with pytest.raises(ConfigError):
        Timeouts.within(bad)
    with pytest.raises(ConfigError):
        Timeouts(read=bad)


def test_media_lists_skip_comments_blanks_and_repeats(tmp_path: Path) -> None:
    from subkit.errors import SubkitIOError
    from subkit.providers.jobs import media_stem, read_media_list

    path = tmp_path / "media.txt"
    path.write_text("# episodes\n\n a.mp4 \nb.mp4\na.mp4\n", encoding="utf-8")
    assert read_media_list(path) == ["a.mp4", "b.mp4"]
    with pytest.raises(SubkitIOError):
        read_media_list(tmp_path / "missing.txt")
    # Same name, different media: different stems; odd characters become dashes.
    assert media_stem("https://x.example/a/ep 1.mp4") != media_stem("https://y.example/a/ep 1.mp4")
    assert media_stem("https://x.example/a/ep 1.mp4").startswith("ep-1-")
