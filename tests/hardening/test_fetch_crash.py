"""A batch fetch killed between a create and its journal line never creates the job twice.

The fake service accepts the create, then the test kills the ``subkit fetch``
process (``SIGKILL``, so nothing is flushed or cleaned up) before the answer
reaches it. The journal then holds ``submitting`` but no job record; a second
run must not send the create again (it reports the media for a manual check).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from subkit.cli.fetch import JOURNAL_NAME, Journal
from tests.providers import _fake_autosubtitle as fake_autosub
from tests.providers import _fake_revid as fake_revid
from tests.providers._harness import FakeServer

ROOT = Path(__file__).resolve().parents[2]

#: provider -> (fake factory, the route that creates a paid job, extra arguments).
PROVIDERS: dict[str, tuple[Callable[[], FakeServer], str, list[str]]] = {
    "revid": (lambda: fake_revid.FakeRevid(polls_until_done=0), "generate", []),
    "autosubtitle": (lambda: fake_autosub.FakeAutosubtitle(polls_until_ready=0), "upload", ["-l", "en"]),
}


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUBKIT_")}
    env.update(
        SUBKIT_REVID_API_KEY=fake_revid.API_KEY,
        SUBKIT_AUTOSUBTITLE_USER_ID=fake_autosub.USER_ID,
        SUBKIT_AUTOSUBTITLE_ACCESS_KEY=fake_autosub.ACCESS_KEY,
        PYTHONPATH=str(ROOT),
    )
    return env


@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_kill_between_create_and_journal_does_not_create_twice(provider: str, tmp_path: Path) -> None:
    make, route, extra = PROVIDERS[provider]
    server: FakeServer = make().start()
    try:
        media = tmp_path / "media.txt"
        media.write_text("https://media.example.com/ep0.mp4\n", encoding="utf-8")
        out_dir = tmp_path / "out"
        env = _env()
        args = [sys.executable, "-m", "subkit", "fetch", provider, "--from-list", str(media), "--out-dir",
                str(out_dir), "--base-url", server.base_url, "--poll-interval", "0.001", *extra]
        process = subprocess.Popen(args, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        killed = threading.Event()

        def kill() -> None:  # the service has the job; its answer never reaches the client
            os.kill(process.pid, signal.SIGKILL)
            killed.set()

        server.fault(route, on_handled=kill)
        process.communicate(timeout=120)
        assert killed.wait(timeout=30) and process.returncode == -signal.SIGKILL
        assert len(server.requests(route)) == 1
        state = Journal(out_dir / JOURNAL_NAME).state["https://media.example.com/ep0.mp4"]
        assert state["event"] == "submitting"

        again = subprocess.run([*args, "--json"], cwd=tmp_path, env=env, capture_output=True, text=True,
                               timeout=120, check=False)
        assert len(server.requests(route)) == 1, "the paid job was created a second time"
        assert again.returncode == 3
        record = json.loads(again.stdout)
        assert not record["ok"] and "may have created a job" in record["media"][0]["error"]
    finally:
        server.stop()
