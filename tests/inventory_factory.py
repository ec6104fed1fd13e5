"""Small throwaway inventories for tests: a valid base that each test breaks in one way."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import yaml

PASSWORD = secrets.token_hex(8)
"""A throwaway password generated per test session (never a real one)."""


def base_hosts() -> dict[str, Any]:
    return {
        "RTR-DINKES": {
            "hostname": "127.0.0.1",
            "port": 10022,
            "platform": "mikrotik_routeros",
            "groups": ["opd_dinkes"],
            "data": {"role": "router", "api_port": 18728},
        },
        "AP-DINKES-01": {
            "hostname": "127.0.0.1",
            "port": 10023,
            "platform": "mikrotik_routeros",
            "groups": ["opd_dinkes"],
            "data": {"role": "ap"},
        },
        "RTR-RSUD": {
            "hostname": "127.0.0.2",
            "port": 10022,
            "platform": "cisco_ios",
            "groups": ["opd_rsud", "cisco"],
            "data": {"role": "router"},
        },
    }


def base_groups() -> dict[str, Any]:
    return {
        "cisco": {"data": {"vendor": "Cisco"}},
        "opd_dinkes": {"data": {"opd": "dinkes", "opd_name": "Dinas Kesehatan", "kind": "dinas"}},
        "opd_rsud": {"data": {"opd": "rsud", "opd_name": "RSUD", "kind": "rsud"}},
    }


def write_inventory(
    root: Path,
    hosts: dict[str, Any] | None = None,
    groups: dict[str, Any] | None = None,
    defaults: dict[str, Any] | None = None,
    secrets_doc: dict[str, Any] | None = None,
) -> Path:
    """Write an inventory (and a 0600 secrets file) into ``root``; returns ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "hosts.yaml").write_text(yaml.safe_dump(hosts or base_hosts()), encoding="utf-8")
    (root / "groups.yaml").write_text(yaml.safe_dump(groups or base_groups()), encoding="utf-8")
    (root / "defaults.yaml").write_text(
        yaml.safe_dump(defaults or {"data": {"dns_servers": ["10.0.0.53"]}}), encoding="utf-8"
    )
    doc = secrets_doc or {"defaults": {"username": "netops", "password": PASSWORD}}
    secrets_file = root / "secrets.yaml"
    secrets_file.write_text(yaml.safe_dump(doc), encoding="utf-8")
    secrets_file.chmod(0o600)
    return root
