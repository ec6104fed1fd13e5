"""The floor of a backup: bare Nornir + nornir_netmiko fetching every config, nothing more.

    .venv/bin/python bench/floor_backup.py --inventory LAB_DIR --out DIR [--workers 20]
        [--platform cisco_ios]

What any tool must pay to back up a fleet over SSH: one netmiko session per device and one
command (RouterOS ``/export terse show-sensitive``, IOS ``show running-config`` after
``enable``), each output written to ``DIR/<host>.txt``. No verification, sanitizing, git,
recap, host-key policy or version probe. Reads the lab's inventory and ``secrets.yaml``.
Prints one JSON line: hosts fetched, hosts failed, bytes stored.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import yaml
from nornir import InitNornir
from nornir.core import Nornir
from nornir.core.inventory import ConnectionOptions
from nornir.core.task import Result, Task
from nornir_netmiko.tasks import netmiko_send_command

COMMANDS = {
    "mikrotik_routeros": "/export terse show-sensitive",
    "cisco_ios": "show running-config",
}


def open_inventory(inventory: Path, workers: int) -> Nornir:
    """Nornir over the lab inventory, credentials from its secrets file."""
    nr = InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": workers}},
        inventory={
            "plugin": "SimpleInventory",
            "options": {
                "host_file": str(inventory / "hosts.yaml"),
                "group_file": str(inventory / "groups.yaml"),
                "defaults_file": str(inventory / "defaults.yaml"),
            },
        },
        logging={"enabled": False},
    )
    secrets: dict[str, Any] = yaml.safe_load((inventory / "secrets.yaml").read_text())
    for name, host in nr.inventory.hosts.items():
        creds = {**secrets.get("defaults", {}), **secrets.get("hosts", {}).get(name, {})}
        host.username, host.password = creds["username"], creds["password"]
        host.connection_options["netmiko"] = ConnectionOptions(
            extras={"secret": creds.get("enable_secret", "")}
        )
    return nr


def fetch(task: Task, out: Path) -> Result:
    """Fetch one config and write it to ``out/<host>.txt``."""
    platform = str(task.host.platform)
    reply = task.run(
        netmiko_send_command,
        command_string=COMMANDS[platform],
        enable=platform == "cisco_ios",
        read_timeout=60,
    )
    text = str(reply.result)
    (out / f"{task.host.name}.txt").write_text(text, encoding="utf-8")
    return Result(host=task.host, result=len(text))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inventory", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=20)
    parser.add_argument("--platform", help="only hosts of this platform (e.g. cisco_ios)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    nr = open_inventory(args.inventory, args.workers)
    if args.platform:
        nr = nr.filter(platform=args.platform)
    results = nr.run(task=fetch, out=args.out)
    nr.close_connections()
    sizes = [r[0].result for r in results.values() if not r.failed]
    print(
        json.dumps(
            {"hosts": len(results), "failed": len(results.failed_hosts), "bytes": sum(sizes)}
        )
    )
    return 1 if results.failed_hosts else 0


if __name__ == "__main__":
    raise SystemExit(main())
