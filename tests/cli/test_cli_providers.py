"""``subkit providers``: the provider table, whether credentials are set (never their values), the config file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from subkit.cli import cli


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("SUBKIT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


def test_providers_lists_every_provider_and_variable(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["providers"])
    assert result.exit_code == 0 and result.stderr == ""
    for name in ("akool", "autosubtitle", "rev", "revid"):
        assert f"\n{name} " in "\n" + result.stdout
    for variable in ("SUBKIT_REV_CLIENT_KEY", "SUBKIT_REV_USER_KEY", "SUBKIT_AUTOSUBTITLE_USER_ID",
                     "SUBKIT_AUTOSUBTITLE_ACCESS_KEY", "SUBKIT_REVID_API_KEY", "SUBKIT_AKOOL_API_KEY",
                     "SUBKIT_AKOOL_CLIENT_ID", "SUBKIT_AKOOL_CLIENT_SECRET"):
        assert f"{variable} [not set]" in result.stdout
    assert "missing credentials" in result.stdout
    assert str(tmp_path / "xdg" / "subkit" / "config.toml") in result.stdout


def test_providers_says_set_without_the_value(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUBKIT_REVID_API_KEY", "very-private-value")
    monkeypatch.setenv("SUBKIT_REVID_BASE_URL", "http://127.0.0.1:8080")
    result = runner.invoke(cli, ["providers", "--json"])
    assert result.exit_code == 0
    assert "very-private-value" not in result.stdout
    record = {p["name"]: p for p in json.loads(result.stdout)["providers"]}
    assert record["revid"]["ready"] is True and record["revid"]["base_url"] == "http://127.0.0.1:8080"
    assert record["revid"]["credentials"] == [[{"setting": "api_key", "env": "SUBKIT_REVID_API_KEY", "set": True}]]
    assert record["rev"]["ready"] is False


def test_providers_reads_the_config_file(runner: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "subkit.toml"
    config.write_text('[akool]\nclient_id = "id-value"\nclient_secret = "secret-value"\n', encoding="utf-8")
    result = runner.invoke(cli, ["providers", "--config", str(config), "--json"])
    assert result.exit_code == 0, result.stderr
    assert "secret-value" not in result.stdout and "id-value" not in result.stdout
    akool = next(p for p in json.loads(result.stdout)["providers"] if p["name"] == "akool")
    assert akool["ready"] is True
    assert [c["set"] for c in akool["credentials"][1]] == [True, True]
    text = runner.invoke(cli, ["providers", "--config", str(config)]).stdout
    assert "akool         AKool video translation (ready)" in text


def test_providers_bad_config_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "broken.toml"
    config.write_text("[akool\n", encoding="utf-8")
    result = runner.invoke(cli, ["providers", "--config", str(config)])
    assert result.exit_code == 2 and "not valid TOML" in result.stderr
    missing = runner.invoke(cli, ["providers", "--config", str(tmp_path / "none.toml")])
    assert missing.exit_code == 2 and "not found" in missing.stderr
