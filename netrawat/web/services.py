"""Everything a request handler needs, opened once per application."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from netrawat.inventory.secrets import find_secrets_file
from netrawat.recap import schema
from netrawat.recap.store import RecapStore, open_store
from netrawat.web.fleetview import ConfigHistory, InventoryView
from netrawat.web.latest import LatestState
from netrawat.web.settings import WebSettings

SECRET_KEYS = ("pass", "secret", "token", "key", "community", "auth")
SECRET_ENV = ("NETRAWAT_PASSWORD", "NETRAWAT_ENABLE_SECRET")
MIN_SECRET = 4


def secret_values(path: Path | None) -> frozenset[str]:
    """Every secret of the secrets file (passwords, enable secrets, bot tokens, ...) and of the
    NETRAWAT_* environment: no response may contain one. User names are not secrets."""
    found = {os.environ[name] for name in SECRET_ENV if len(os.environ.get(name, "")) >= MIN_SECRET}
    if path is None or not path.exists():
        return frozenset(found)
    import yaml

    def walk(node: object, secret: bool) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                named = any(word in str(key).lower() for word in SECRET_KEYS)
                walk(value, secret or named)
        elif isinstance(node, list):
            for value in node:
                walk(value, secret)
        elif secret and isinstance(node, (str, int)) and not isinstance(node, bool):
            found.update([str(node)] if len(str(node)) >= MIN_SECRET else [])

    with contextlib.suppress(OSError, yaml.YAMLError):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), False)
    return frozenset(found)


@dataclass
class Services:
    """The open recap store, the fleet views and the settings of one application."""

    settings: WebSettings
    store: RecapStore
    inventory: InventoryView
    latest: LatestState
    history: ConfigHistory
    secrets: frozenset[str]

    @classmethod
    def open(cls, settings: WebSettings) -> Services:
        store = open_store(None if settings.db_url else settings.state, settings.db_url)
        with store.begin() as conn:
            for index in schema.run_hosts.indexes:
                index.create(conn, checkfirst=True)  # older databases lack the console's index
            conn.execute(sa.select(1))
        secrets_file = find_secrets_file(settings.secrets, settings.inventory)
        return cls(
            settings=settings,
            store=store,
            inventory=InventoryView(settings.inventory),
            latest=LatestState(store),
            history=ConfigHistory(settings.state.configs),
            secrets=secret_values(secrets_file),
        )

    def close(self) -> None:
        self.store.close()
