"""Helpers the fleet-command lab tests share: an inventory copy with short timeouts, running a
command in-process with ``--json``, and typing configuration on a lab device over real SSH."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from netmiko import ConnectHandler

from netrawat.cli.main import run as cli
from netrawat.fleetspec import FleetSpec, Selection
from netrawat.platforms import profile_for
from netrawat_lab.handle import Lab
from netrawat_lab.spec import DeviceSpec


def inventory_copy(lab: Lab, copy: Path, timeout: int) -> Path:
    """A copy of the lab's inventory in ``copy`` whose connect/auth/banner/read timeouts are
    ``timeout`` seconds (a hung device fails fast); its secrets file stays 0600."""
    shutil.copytree(lab.inventory, copy, ignore=shutil.ignore_patterns("*.sock", "*.log", "*.pid"))
    defaults = yaml.safe_load((copy / "defaults.yaml").read_text()) or {}
    defaults.setdefault("data", {})["timeouts"] = dict.fromkeys(
        ("connect", "auth", "banner", "read"), timeout
    )
    (copy / "defaults.yaml").write_text(yaml.safe_dump(defaults))
    (copy / "secrets.yaml").chmod(0o600)
    return copy


def fleet_args(inventory: Path, state: Path) -> tuple[str, ...]:
    """The options every fleet command of these tests takes: the inventory, the state
    directory, first-use host keys and JSON output."""
    return ("--inventory", str(inventory), "--state", str(state), "--trust-new-hosts", "--json")


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    """Run ``netrawat ARGS`` in-process: (exit code, JSON on stdout or {} when none, stderr)."""
    capsys.readouterr()
    code = cli(list(args))
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else {}, captured.err


def send_config(spec: DeviceSpec, commands: list[str]) -> str:
    """Type configuration commands on a lab device over SSH, as an engineer would; the device
    must accept every one (its error strings, `netrawat.platforms`). Returns the output."""
    profile = profile_for(spec.platform)
    params: dict[str, Any] = {
        "device_type": profile.netmiko_platform,
        "host": spec.address,
        "port": spec.port,
        "username": spec.username,
        "password": spec.password,
        "secret": spec.enable_secret,
        "ssh_strict": False,
        "system_host_keys": False,
        "alt_host_keys": False,
        "use_keys": False,
        "allow_agent": False,
    }
    with ConnectHandler(**params) as conn:
        if profile.has_enable:
            conn.enable()
            output = str(conn.send_config_set(commands))
        else:
            output = "".join(str(conn.send_command(c, read_timeout=10)) for c in commands)
    error = profile.find_error(output)
    assert error is None, f"{spec.hostname} refused a command: {error}\n{output}"
    return output


SELECTION_FIELDS = frozenset({"hosts", "opds", "roles", "platforms", "groups"})


def fleet_spec(**values: Any) -> FleetSpec:
    """A `FleetSpec` from flat keywords (``hosts=(...)`` and the other filters go into its
    `Selection`), as the CLI builds it from its options."""
    chosen = {k: tuple(values.pop(k)) for k in list(values) if k in SELECTION_FIELDS}
    return FleetSpec(selection=Selection(**chosen), **values)
