"""No key or token ever shows: logs (subkit's, httpx's, httpcore's), reprs, errors, CLI output, the journal."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from subkit.cli import cli
from subkit.errors import ProviderError
from subkit.providers._base import BaseClient
from subkit.providers._http import Timeouts
from subkit.providers.akool import AkoolClient
from subkit.providers.autosubtitle import AutosubtitleClient
from subkit.providers.rev import RevClient
from subkit.providers.revid import RevidClient
from tests.providers import _fake_akool as fa
from tests.providers import _fake_autosubtitle as fas
from tests.providers import _fake_rev as fr
from tests.providers import _fake_revid as frv
from tests.providers._harness import FakeClock

SECRETS = [fas.ACCESS_KEY, frv.API_KEY, fr.CLIENT_KEY, fr.USER_KEY, fa.API_KEY, fa.CLIENT_SECRET, "tok-SECRET-0001",
           "tok-SECRET-0002"]
MEDIA = "https://media.example.com/a.mp4"


def _assert_clean(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked into {where}"
    assert "-SECRET-" not in text, f"a secret-looking value leaked into {where}: {text[:300]!r}"


def _scenarios(servers: dict[str, Any], clock: FakeClock) -> list[tuple[BaseClient, Callable[[BaseClient], Any]]]:
    autosub, revid, rev, akool = servers["autosub"], servers["revid"], servers["rev"], servers["akool"]
    return [
        (AutosubtitleClient(fas.USER_ID, fas.ACCESS_KEY, base_url=autosub.base_url, clock=clock),
         lambda c: c.fetch(MEDIA, language="en")),
        (RevidClient(frv.API_KEY, base_url=revid.base_url, clock=clock), lambda c: c.fetch(MEDIA)),
        (RevClient(fr.CLIENT_KEY, fr.USER_KEY, base_url=f"{rev.base_url}/api/v1", clock=clock),
         lambda c: c.fetch(media_url=MEDIA, client_ref="r")),
        (AkoolClient(client_id=fa.CLIENT_ID, client_secret=fa.CLIENT_SECRET, base_url=akool.base_url, clock=clock,
                     timeouts=Timeouts(read=0.2)),
         lambda c: c.fetch(MEDIA, translate_to="es")),
    ]


def test_no_secret_in_logs_reprs_or_errors(autosub: Any, revid: Any, rev: Any, akool: Any, clock: FakeClock,
                                           caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    servers = {"autosub": autosub, "revid": revid, "rev": rev, "akool": akool}
    # Faults on every provider: errors, retries and timeouts are what get logged and quoted.
    autosub.fault("download", status=503, body=f"echo {fas.ACCESS_KEY}")
    autosub.fault("download", status=429, headers={"Retry-After": "1"})
    revid.fault("generate", status=500, body=f'{{"message": "bad key {frv.API_KEY}"}}', content_type="application/json")
    rev.fault("orders.get", drop=True)
    akool.fault("info", delay=0.4)
    texts: list[str] = []
    for client, run in _scenarios(servers, clock):
        texts.append(repr(client))
        texts.append(repr(client.session))
        try:
            result = run(client)
            texts.append(json.dumps(result.record()))
        except ProviderError as exc:
            texts += [str(exc), repr(exc), repr(exc.__cause__), repr(exc.__context__)]
        client.close()
    # Failure paths: wrong keys echo nothing back either.
    autosub.scenario["access_key"] = "another-key"
    revid.scenario["api_key"] = "another-key"
    for client, run in _scenarios(servers, clock)[:2]:
        with pytest.raises(ProviderError) as info:
            run(client)
        texts += [str(info.value), repr(info.value)]
        client.close()
    assert any("access_key=***" in record.getMessage() for record in caplog.records)
    for index, text in enumerate(texts):
        _assert_clean(text, f"text {index}")
    _assert_clean(caplog.text, "the logs")
    _assert_clean("\n".join(r.getMessage() for r in caplog.records), "the log messages")


def test_no_secret_in_cli_output_or_journal(autosub: Any, akool: Any, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUBKIT_AUTOSUBTITLE_USER_ID", fas.USER_ID)
    monkeypatch.setenv("SUBKIT_AUTOSUBTITLE_ACCESS_KEY", fas.ACCESS_KEY)
    monkeypatch.setenv("SUBKIT_AKOOL_CLIENT_ID", fa.CLIENT_ID)
    monkeypatch.setenv("SUBKIT_AKOOL_CLIENT_SECRET", fa.CLIENT_SECRET)
    monkeypatch.setenv("SUBKIT_DEBUG", "1")  # tracebacks too
    media = tmp_path / "media.txt"
    media.write_text(f"{MEDIA}\nhttps://media.example.com/b.mp4\n", encoding="utf-8")
    runner = CliRunner()
    outputs = []
    autosub.scenario["polls_until_ready"] = 0
    autosub.fault("upload", body="<html>proxy</html>", content_type="text/html")
    batch = runner.invoke(cli, ["fetch", "autosubtitle", "--from-list", str(media), "-l", "en", "--out-dir",
                                str(tmp_path / "out"), "--base-url", autosub.base_url, "--json",
                                "--poll-interval", "0.001"])
    outputs += [batch.stdout, batch.stderr]
    assert batch.exit_code == 3
    akool.scenario["fail_lang"] = "es"
    failed = runner.invoke(cli, ["fetch", "akool", "--media-url", MEDIA, "--translate-to", "es", "--base-url",
                                 akool.base_url, "--poll-interval", "0.001"])
    outputs += [failed.stdout, failed.stderr]
    assert failed.exit_code == 3 and "Traceback" in failed.stderr
    listing = runner.invoke(cli, ["providers", "--json"])
    outputs += [listing.stdout, listing.stderr]
    assert listing.exit_code == 0
    for index, text in enumerate(outputs):
        _assert_clean(text, f"CLI output {index}")
    _assert_clean((tmp_path / "out" / "journal.jsonl").read_text(encoding="utf-8"), "the journal")
    assert os.environ["SUBKIT_DEBUG"] == "1"
