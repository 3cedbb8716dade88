"""``subkit providers``: the hosted caption services, and which credentials each needs.

The table comes from :data:`subkit.providers.PROVIDERS` and the environment or
config file; it says whether each credential is set, never its value, and
imports no provider module (so no httpx).
"""

from __future__ import annotations

from typing import Any

import click

from subkit.cli._run import RunSettings, io_options, pass_settings
from subkit.cli._shared import echo_json
from subkit.providers import PROVIDERS, ProviderSpec, config_path, provider_settings

__all__ = ["provider_record", "providers_command"]


def provider_record(spec: ProviderSpec, settings: dict[str, str]) -> dict[str, Any]:
    """One row of ``subkit providers --json``: names, credential sets and whether they are set."""
    return {
        "name": spec.name,
        "title": spec.title,
        "base_url": settings.get("base_url") or spec.base_url,
        "credentials": [
            [{"setting": key, "env": spec.env(key), "set": bool(settings.get(key))} for key in alternative]
            for alternative in spec.credentials
        ],
        "ready": spec.missing(settings) is None,
    }


@click.command("providers")
@click.option("--config", type=click.Path(dir_okay=False), metavar="FILE",
              help="Config file to look in (default: $XDG_CONFIG_HOME/subkit/config.toml).")
@io_options("json", json={"help": "Print the table as JSON."})
@pass_settings
def providers_command(run: RunSettings, /, config: str | None) -> None:
    """List the caption providers and their credentials.

    A credential is found in the environment (SUBKIT_<PROVIDER>_<KEY>) or in
    the provider's table of the config file. Values are never shown, only
    whether they are set. SUBKIT_<PROVIDER>_BASE_URL (or base_url in the
    config) points a provider at a sandbox or test server.
    """
    records = [provider_record(spec, provider_settings(spec.name, config=config)) for spec in PROVIDERS]
    if run.as_json:
        echo_json({"config": str(config or config_path()), "providers": records})
        return
    for record in records:
        state = "ready" if record["ready"] else "missing credentials"
        click.echo(f"{record['name']:<13} {record['title']} ({state})")
        for index, alternative in enumerate(record["credentials"]):
            lead = "  needs " if index == 0 else "  or    "
            names = ", ".join(f"{c['env']} [{'set' if c['set'] else 'not set'}]" for c in alternative)
            click.echo(f"{lead}{names}")
        click.echo(f"  api   {record['base_url']}")
    click.echo(f"config file: {config or config_path()}")
