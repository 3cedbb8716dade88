"""The provider clients live behind the ``providers`` extra (httpx): without it, a clear ConfigError."""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest
from click.testing import CliRunner

from subkit import providers
from subkit.cli import cli
from subkit.errors import ConfigError


@pytest.fixture
def no_httpx(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, *args: Any, **kwargs: Any) -> Any:
        return None if name == "httpx" else real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


@pytest.mark.usefixtures("no_httpx")
@pytest.mark.parametrize("name", [spec.name for spec in providers.PROVIDERS])
def test_a_client_without_httpx_names_the_extra(name: str) -> None:
    with pytest.raises(ConfigError, match=r"subkit\[providers\]"):
        providers.get(name).load()


@pytest.mark.usefixtures("no_httpx")
def test_fetch_without_httpx_exits_with_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUBKIT_REVID_API_KEY", "k")
    result = CliRunner().invoke(cli, ["fetch", "revid", "--media-url", "https://example.invalid/a.mp4", "-o", "-"])
    assert result.exit_code == 2, result.output
    assert "subkit[providers]" in result.stderr


def test_the_client_modules_load_with_httpx() -> None:
    assert providers.get("rev").load().__name__ == "subkit.providers.rev"
