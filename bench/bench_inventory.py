"""Benchmark: loading, validating, crediting and filtering a big inventory (no network).

    .venv/bin/python bench/bench_inventory.py [--hosts 5000] [--per-opd 10]

Writes a synthetic fleet of ``--hosts`` hosts (``--per-opd`` per OPD group) into a temporary
directory, then times `load_selection` (YAML parse with duplicate-key check, Nornir build,
validation, credentials, connection options, filters) for the whole fleet and for one OPD.
Prints one JSON line of figures, including peak Python memory.
"""

from __future__ import annotations

import argparse
import json
import secrets
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import yaml

from netrawat.fleet import load_selection
from netrawat.fleetspec import FleetSpec, Selection


def write_fleet(root: Path, hosts: int, per_opd: int) -> None:
    groups: dict[str, Any] = {}
    entries: dict[str, Any] = {}
    for i in range(hosts):
        code = f"opd{i // per_opd}"
        groups[f"opd_{code}"] = {"data": {"opd": code, "opd_name": code, "kind": "dinas"}}
        entries[f"DEV-{i:05d}"] = {
            "hostname": f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}",
            "port": 22,
            "platform": "mikrotik_routeros" if i % 5 else "cisco_ios",
            "groups": [f"opd_{code}"],
            "data": {"role": "router" if i % 3 == 0 else "ap", "model": "RB4011iGS+"},
        }
    (root / "hosts.yaml").write_text(yaml.safe_dump(entries), encoding="utf-8")
    (root / "groups.yaml").write_text(yaml.safe_dump(groups), encoding="utf-8")
    (root / "defaults.yaml").write_text(
        yaml.safe_dump({"data": {"dns_servers": ["10.0.0.53"]}}), encoding="utf-8"
    )
    doc = {"defaults": {"username": "bench", "password": secrets.token_hex(8)}}
    (root / "secrets.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    (root / "secrets.yaml").chmod(0o600)


def timed(options: FleetSpec, known_hosts: Path) -> tuple[float, int]:
    started = time.perf_counter()
    nornir, _ = load_selection(options, known_hosts)
    return time.perf_counter() - started, len(nornir.inventory.hosts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hosts", type=int, default=5000)
    parser.add_argument("--per-opd", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_fleet(root, args.hosts, args.per_opd)
        known = root / "known_hosts"
        whole, count = timed(FleetSpec(inventory=root), known)
        one_opd, selected = timed(
            FleetSpec(inventory=root, selection=Selection(opds=("opd0",))), known
        )
        tracemalloc.start()  # a separate pass: tracing slows everything down
        timed(FleetSpec(inventory=root), known)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(
        json.dumps(
            {
                "hosts": count,
                "load_validate_s": round(whole, 3),
                "per_1000_hosts_s": round(whole / count * 1000, 3),
                "one_opd_s": round(one_opd, 3),
                "one_opd_hosts": selected,
                "peak_python_mb": round(peak / 2**20, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
