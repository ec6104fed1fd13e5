"""Benchmark: `netrawat repair restore_dns` over a lab fleet with wrong DNS, through real SSH.

    .venv/bin/python bench/repair_fleet.py [--devices 40] [--workers 20] [--latency 0]

Starts a lab of ``--devices`` generated devices (RouterOS and IOS), puts the ``wrong-dns``
fault on every one, then runs as separate processes: the dry run, the applied repair (backup
before, push, re-read, ``dns`` check, IOS ``write memory``, backup after) and the same repair
again (nothing left to change). Prints one JSON line: seconds per run, devices per minute,
statuses, and the peak RSS of the repair processes.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
from pathlib import Path
from typing import Any

from netrawat_json import timed_netrawat

from netrawat_lab.fleet import LabCredentials, Layout, generate_fleet
from netrawat_lab.handle import Lab
from netrawat_lab.testing import private_slot, respecs

REQUEST = "900/BENCH/XI/2026"


def run_repair(lab: Lab, state: Path, workers: int, *extra: str) -> tuple[float, dict[str, Any]]:
    """Seconds and JSON report of one `netrawat repair restore_dns` process."""
    return timed_netrawat(
        "repair",
        "restore_dns",
        *("--role", "router", "--role", "ap"),
        *("--inventory", str(lab.inventory), "--state", str(state)),
        *("--trust-new-hosts", "--workers", str(workers), "--json"),
        *extra,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=40)
    parser.add_argument("--workers", type=int, default=20)
    parser.add_argument("--latency", type=int, default=0, help="lab latency per reply, ms")
    args = parser.parse_args()
    apply = ("--apply", "--request", REQUEST, "--open")
    with tempfile.TemporaryDirectory(prefix="bench-repair-") as tmp:
        root = Path(tmp)
        slot = private_slot()
        specs = respecs(
            generate_fleet(args.devices, Layout(slot.block, LabCredentials.generate())), slot
        )
        lab = Lab.up(root / "lab", specs=specs, latency_ms=args.latency)
        try:
            for spec in specs:
                lab.fault(spec.hostname, "wrong-dns")
            dry_s, dry = run_repair(lab, root / "state", args.workers)
            apply_s, applied = run_repair(lab, root / "state", args.workers, *apply)
            again_s, again = run_repair(lab, root / "state", args.workers, *apply)
        finally:
            lab.down()
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    figures = {
        "devices": args.devices,
        "workers": args.workers,
        "latency_ms": args.latency,
        "dry_run_s": round(dry_s, 2),
        "dry_run_counts": dry["counts"],
        "apply_s": round(apply_s, 2),
        "apply_counts": applied["counts"],
        "repaired_devices_per_minute": round(args.devices / apply_s * 60, 1),
        "second_apply_s": round(again_s, 2),
        "second_apply_counts": again["counts"],
        "peak_rss_mb_of_children": round(peak_mb, 1),
    }
    print(json.dumps(figures))
    return 0 if applied["counts"].get("repaired") == args.devices else 1


if __name__ == "__main__":
    raise SystemExit(main())
