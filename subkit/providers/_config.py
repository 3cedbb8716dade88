"""Provider settings: the config file and ``SUBKIT_<PROVIDER>_<KEY>`` environment variables.

The config file is TOML with one table per provider::

    [rev]
    client_key = "..."
    user_key = "..."

    [akool]
    api_key = "..."
    base_url = "https://openapi.akool.com"

It is found at ``$SUBKIT_CONFIG`` if set, else in the platform's user config
folder (``platformdirs``): ``$XDG_CONFIG_HOME/subkit/config.toml`` on Linux
(``~/.config/subkit/config.toml`` when ``XDG_CONFIG_HOME`` is unset),
``~/Library/Application Support/subkit/config.toml`` on macOS,
``%APPDATA%\\subkit\\config.toml`` on Windows. A file at the old
``~/.config/subkit/config.toml`` is still used when the platform's is missing. Python 3.10 has no ``tomllib``: there the
file is read with ``tomli`` when installed, and a file whose name ends in
``.json`` is read as JSON (the same tables as JSON objects) on any version.

An environment variable beats the file: ``SUBKIT_REV_CLIENT_KEY`` overrides
``[rev] client_key``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from subkit.errors import ConfigError

__all__ = ["CONFIG_ENV", "config_path", "load_config", "provider_settings"]

#: Environment variable naming the config file.
CONFIG_ENV = "SUBKIT_CONFIG"

#: Settings a provider section may hold (anything else is ignored, so a newer file works with an older subkit).
KNOWN_KEYS = ("api_key", "client_id", "client_secret", "client_key", "user_key", "user_id", "access_key",
              "base_url", "sandbox")


def config_path() -> Path:
    """Where the config file is looked for (it need not exist).

    >>> import os
    >>> os.environ.get("SUBKIT_CONFIG") or str(config_path()).endswith("config.toml")
    True
    """
    explicit = os.environ.get(CONFIG_ENV)
    if explicit:
        return Path(explicit).expanduser()
    import platformdirs

    found = Path(platformdirs.user_config_dir("subkit", appauthor=False, roaming=True)) / "config.toml"
    legacy = Path("~/.config/subkit/config.toml").expanduser()
    if not found.is_file() and "XDG_CONFIG_HOME" not in os.environ and legacy.is_file():
        return legacy
    return found


def _parse_toml(text: str, path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib as toml
    else:  # pragma: no cover - Python 3.10
        try:
            import tomli as toml  # type: ignore[import-not-found,unused-ignore]
        except ModuleNotFoundError:
            raise ConfigError(
                f"{path}: reading TOML on Python 3.10 needs tomli (pip install tomli), "
                "or write the config as JSON in a file ending in .json"
            ) from None
    try:
        data: dict[str, Any] = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return data


def load_config(path: str | os.PathLike[str] | None = None) -> dict[str, dict[str, str]]:
    """The provider tables of the config file (``{}`` when the default file does not exist).

    Values are turned into strings; booleans become ``"true"``/``"false"``.

    Raises:
        ConfigError: an explicitly named file is missing, or a file is not valid TOML/JSON.
    """
    target = Path(path) if path is not None else config_path()
    if not target.is_file():
        if path is not None or os.environ.get(CONFIG_ENV):
            raise ConfigError(f"{target}: config file not found")
        return {}
    try:
        text = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{target}: cannot read the config file: {exc}") from None
    if target.suffix.lower() == ".json":
        try:
            raw = json.loads(text)
        except ValueError as exc:
            raise ConfigError(f"{target}: not valid JSON: {exc}") from None
    else:
        raw = _parse_toml(text, target)
    if not isinstance(raw, dict):
        raise ConfigError(f"{target}: the config must be a table of provider tables")
    tables: dict[str, dict[str, str]] = {}
    for name, table in raw.items():
        if not isinstance(table, dict):
            continue
        tables[str(name).lower()] = {
            str(key): (str(value).lower() if isinstance(value, bool) else str(value))
            for key, value in table.items()
            if isinstance(value, (str, int, float, bool))
        }
    return tables


def provider_settings(name: str, *, config: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """Settings of one provider: the config file's table, overridden by ``SUBKIT_<NAME>_<KEY>`` variables.

    Raises:
        ConfigError: the config file cannot be read.
    """
    settings = dict(load_config(config).get(name, {}))
    for key in KNOWN_KEYS:
        value = os.environ.get(f"SUBKIT_{name.upper()}_{key.upper()}")
        if value:
            settings[key] = value
    return settings
