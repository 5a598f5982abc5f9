"""``reportgen config check``: validate sources.toml and say what it configures."""

from __future__ import annotations

import json
import logging
import os

import click

from reportgen.cli.app import State, handle_errors
from reportgen.config.core import redact_url


@click.group("config")
def config_group() -> None:
    """Inspect and validate the configuration."""


@config_group.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_obj
def config_check(state: State, as_json: bool) -> None:
    """Validate sources.toml: keys, types, ids, URLs.  Exit 2 on any problem."""
    with handle_errors(state, as_json=as_json):
        cfg = state.config(log_warnings=False)  # each warning printed once, below
        warnings = list(cfg.warnings)
        uses_routes = any(s.route for s in cfg.enabled_sources)
        if uses_routes and cfg.rsshub.access_key_env and cfg.rsshub.access_key() is None:
            warnings.append(f"${cfg.rsshub.access_key_env} is not set: RSSHub routes are fetched without a key")
        if cfg.email.enabled and cfg.email.password_env and cfg.email.password_env not in os.environ:
            warnings.append(f"${cfg.email.password_env} is not set: mail cannot log in to {cfg.email.host}")
        for channel in cfg.push.enabled_channels:
            for name in channel.missing_env():
                warnings.append(f"${name} is not set: push channel {channel.name!r} cannot send")
        result = {
            "ok": True, "path": str(cfg.path), "banks": len(cfg.banks), "sources": len(cfg.sources),
            "enabled_sources": len(cfg.enabled_sources), "database": redact_url(cfg.settings.database),
            "output_dir": str(cfg.settings.output_dir), "warnings": warnings,
            "push": [c.as_dict() for c in cfg.push.channels],  # URLs with their secrets hidden
        }
        if as_json:
            click.echo(json.dumps(result, ensure_ascii=False))
        else:
            click.echo(f"{cfg.path}: OK — {len(cfg.banks)} banks, {len(cfg.sources)} sources "
                       f"({len(cfg.enabled_sources)} enabled); database {result['database']}")
            for warning in warnings:
                state.note(warning, level=logging.WARNING, plain=f"warning: {warning}")
