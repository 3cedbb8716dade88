"""Fixtures of the provider tests: fake servers on 127.0.0.1, a fake clock, no outbound network."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.providers._fake_akool import FakeAkool
from tests.providers._fake_autosubtitle import FakeAutosubtitle
from tests.providers._fake_rev import FakeRev
from tests.providers._fake_revid import FakeRevid
from tests.providers._harness import FakeClock, WebhookReceiver


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No credentials, base URLs or config file from the developer's environment."""
    import os

    for name in list(os.environ):
        if name.startswith("SUBKIT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg")))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def autosub() -> Iterator[FakeAutosubtitle]:
    server = FakeAutosubtitle().start()
    yield server
    server.stop()


@pytest.fixture
def revid() -> Iterator[FakeRevid]:
    server = FakeRevid().start()
    yield server
    server.stop()


@pytest.fixture
def rev() -> Iterator[FakeRev]:
    server = FakeRev().start()
    yield server
    server.stop()


@pytest.fixture
def akool() -> Iterator[FakeAkool]:
    server = FakeAkool().start()
    yield server
    server.stop()


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver().start()
    yield server
    server.stop()
