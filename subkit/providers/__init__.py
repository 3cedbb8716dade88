"""Hosted caption services as sources of documents: Rev, Autosubtitle Online, Revid and AKool.

Each provider has a module with a client whose methods mirror the service's
API, plus a ``fetch(...)`` that submits media, waits for the job, downloads
the subtitles and returns a :class:`~subkit.providers.FetchResult` holding
the :class:`~subkit.model.Document` and the raw files.

This package itself is light: the table of providers and the credential
look-up import neither httpx nor the provider modules, so ``subkit
providers`` and ``subkit --help`` stay fast. :func:`client` imports a
provider module when it is first needed.

>>> [spec.name for spec in PROVIDERS]
['akool', 'autosubtitle', 'rev', 'revid']
>>> get("rev").env("client_key")
'SUBKIT_REV_CLIENT_KEY'
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from subkit.errors import ConfigError
from subkit.providers._config import config_path, load_config, provider_settings
from subkit.providers._result import FetchResult, SubtitleFile
from subkit.providers.policies import (
    Clock,
    PollPolicy,
    Progress,
    ProgressEvent,
    RetryPolicy,
    SystemClock,
    Timeouts,
)

__all__ = [
    "PROVIDERS",
    "Clock",
    "FetchResult",
    "PollPolicy",
    "Progress",
    "ProgressEvent",
    "ProviderSpec",
    "RetryPolicy",
    "SubtitleFile",
    "SystemClock",
    "Timeouts",
    "client",
    "config_path",
    "fetch",
    "get",
    "load_config",
    "provider_settings",
]


@dataclass(frozen=True, slots=True)
class ProviderSpec:
    """One hosted service.

    Attributes:
        name: the identifier (``subkit fetch NAME``, config section, env prefix).
        title: a human name.
        module: dotted path of the client module.
        class_name: the client class in it.
        credentials: alternative sets of settings that authenticate; one
            complete set is enough (AKool takes an API key *or* a client id
            and secret).
        base_url: the production API root.
        idempotent_create: sending a create again finds the earlier job instead of paying
            for a new one (Rev's ``client_ref``), so an interrupted create may be retried.
    """

    name: str
    title: str
    module: str
    class_name: str
    credentials: tuple[tuple[str, ...], ...]
    base_url: str
    idempotent_create: bool = False

    def env(self, key: str) -> str:
        """The environment variable holding the setting ``key``."""
        return f"SUBKIT_{self.name.upper()}_{key.upper()}"

    def load(self) -> ModuleType:
        """Import and return the client module.

        Raises:
            ConfigError: httpx, which the clients talk through, is not installed.
        """
        if importlib.util.find_spec("httpx") is None:
            raise ConfigError(
                f"the {self.title} client needs httpx, which is not installed: pip install 'subkit[providers]'"
            )
        return importlib.import_module(self.module)

    def missing(self, settings: dict[str, str]) -> list[str] | None:
        """``None`` when ``settings`` hold one complete credential set, else the names of the first set."""
        for alternative in self.credentials:
            if all(settings.get(key) for key in alternative):
                return None
        return list(self.credentials[0])


#: Every provider, sorted by name.
PROVIDERS: tuple[ProviderSpec, ...] = (
    ProviderSpec("akool", "AKool video translation", "subkit.providers.akool", "AkoolClient",
                 (("api_key",), ("client_id", "client_secret")), "https://openapi.akool.com"),
    ProviderSpec("autosubtitle", "Autosubtitle Online", "subkit.providers.autosubtitle", "AutosubtitleClient",
                 (("user_id", "access_key"),), "https://api.autosubtitle.online"),
    ProviderSpec("rev", "Rev captions", "subkit.providers.rev", "RevClient",
                 (("client_key", "user_key"),), "https://api.rev.com/api/v1", idempotent_create=True),
    ProviderSpec("revid", "Revid ASS captions", "subkit.providers.revid", "RevidClient",
                 (("api_key",),), "https://api.revidapi.com"),
)


def get(name: str) -> ProviderSpec:
    """The provider called ``name`` (case and ``-``/``_`` do not matter).

    Raises:
        ConfigError: no such provider.
    """
    key = name.strip().lower().replace("-", "_")
    for spec in PROVIDERS:
        if spec.name == key:
            return spec
    known = ", ".join(spec.name for spec in PROVIDERS)
    raise ConfigError(f"unknown provider {name!r} (known: {known})")


def client(name: str, *, config: str | None = None, **kwargs: Any) -> Any:
    """A client for provider ``name`` with credentials from the environment or the config file.

    Args:
        name: the provider.
        config: a config file path; the default location when ``None``
            (see :func:`config_path`).
        **kwargs: passed to the client class (``client=``, ``transport=``,
            ``base_url=``, ``clock=``, ...).

    Raises:
        ConfigError: unknown provider, unreadable config, missing credentials, or httpx not installed.
    """
    spec = get(name)
    settings = provider_settings(spec.name, config=config)
    module = spec.load()
    cls = getattr(module, spec.class_name)
    return cls.from_settings(settings, **kwargs)


def fetch(name: str, /, *, config: str | None = None, client_options: dict[str, Any] | None = None,
          **options: Any) -> FetchResult:
    """Submit media to provider ``name``, wait, download and read the subtitles, in one call.

    Credentials come from the environment or the config file, as :func:`client`.

    Args:
        name: the provider.
        config: a config file path.
        client_options: passed to the client class (``base_url``, ``poll``, ``progress``...).
        **options: the provider's ``fetch`` arguments (``media_url``, ``language``, ...).

    Raises:
        ConfigError: bad options or missing credentials.
        ProviderError: the service or the network failed.
    """
    with client(name, config=config, **(client_options or {})) as provider:
        result: FetchResult = provider.fetch(**options)
    return result
