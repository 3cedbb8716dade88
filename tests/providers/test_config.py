"""Credentials and settings: environment variables, the config file, the provider table, client construction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from subkit import providers
from subkit.errors import ConfigError
from subkit.providers import PROVIDERS, config_path, load_config, provider_settings
from subkit.providers._base import BaseClient
from subkit.providers.akool import AkoolClient
from subkit.providers.autosubtitle import AutosubtitleClient
from subkit.providers.rev import RevClient
from subkit.providers.revid import RevidClient


def test_config_path_follows_xdg_and_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert config_path() == tmp_path / "subkit" / "config.toml"
    monkeypatch.setenv("SUBKIT_CONFIG", str(tmp_path / "other.toml"))
    assert config_path() == tmp_path / "other.toml"


def test_missing_default_config_is_empty() -> None:
    assert load_config() == {}


def test_explicitly_named_config_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")


def test_toml_config_and_env_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "subkit" / "config.toml"
    path.parent.mkdir()
    path.write_text('[rev]\nclient_key = "file-client"\nuser_key = "file-user"\nsandbox = true\n'
                    '[akool]\napi_key = "file-akool"\nretries = 3\n', encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert provider_settings("rev") == {"client_key": "file-client", "user_key": "file-user", "sandbox": "true"}
    monkeypatch.setenv("SUBKIT_REV_USER_KEY", "env-user")
    monkeypatch.setenv("SUBKIT_REV_BASE_URL", "http://127.0.0.1:1/api/v1")
    settings = provider_settings("rev")
    assert settings["user_key"] == "env-user" and settings["client_key"] == "file-client"
    client = providers.client("rev")
    assert isinstance(client, RevClient) and client.sandbox
    assert client.session.base_url == "http://127.0.0.1:1/api/v1"
    assert provider_settings("akool")["retries"] == "3"
    client.close()


def test_json_config(tmp_path: Path) -> None:
    path = tmp_path / "conf.json"
    path.write_text(json.dumps({"revid": {"api_key": "json-key"}}), encoding="utf-8")
    assert provider_settings("revid", config=path) == {"api_key": "json-key"}
    assert isinstance(providers.client("revid", config=str(path)), RevidClient)


@pytest.mark.parametrize(("name", "text"), [("bad.toml", "[rev\n"), ("bad.json", "{"), ("list.json", "[1]")])
def test_broken_configs(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(path)


@pytest.mark.parametrize(("name", "needed"), [
    ("rev", "SUBKIT_REV_CLIENT_KEY"), ("autosubtitle", "SUBKIT_AUTOSUBTITLE_USER_ID"),
    ("revid", "SUBKIT_REVID_API_KEY"), ("akool", "SUBKIT_AKOOL_API_KEY"),
])
def test_missing_credentials_name_the_variables(name: str, needed: str) -> None:
    with pytest.raises(ConfigError, match=needed):
        providers.client(name)


def test_every_provider_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    values = {"SUBKIT_REV_CLIENT_KEY": "c1", "SUBKIT_REV_USER_KEY": "u1", "SUBKIT_AUTOSUBTITLE_USER_ID": "7",
              "SUBKIT_AUTOSUBTITLE_ACCESS_KEY": "k1", "SUBKIT_REVID_API_KEY": "r1",
              "SUBKIT_AKOOL_CLIENT_ID": "i1", "SUBKIT_AKOOL_CLIENT_SECRET": "s1"}
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    kinds: dict[str, type[BaseClient]] = {"rev": RevClient, "autosubtitle": AutosubtitleClient,
                                          "revid": RevidClient, "akool": AkoolClient}
    for spec in PROVIDERS:
        client = providers.client(spec.name)
        assert isinstance(client, kinds[spec.name]) and isinstance(client, BaseClient)
        assert client.session.base_url == spec.base_url
        assert spec.missing(provider_settings(spec.name)) is None
        client.close()
    assert providers.client("akool").token_mode


def test_provider_lookup() -> None:
    assert providers.get("Auto-Subtitle".replace("-", "")).name == "autosubtitle"
    with pytest.raises(ConfigError, match="known: akool"):
        providers.get("youtube")


def test_import_subkit_providers_is_light() -> None:
    import subprocess
    import sys

    code = "import sys, subkit.providers, subkit.cli.providers; print('httpx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
