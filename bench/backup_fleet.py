"""Benchmark: a whole `netrawat backup` run over a lab fleet, through real SSH.

    .venv/bin/python bench/backup_fleet.py [--devices 100] [--workers 20] [--latency 0]
        [--extra-lines 0]

Starts a lab of ``--devices`` generated devices (RouterOS and IOS), then runs
``netrawat backup --json`` three times as a separate process: the first backup (every host
changed, one commit), a second run with nothing changed (no commit), and a third with
``--keep-private``. Prints one JSON line: seconds per run, devices per minute, the peak RSS
of the backup process, lines stored and lines ignored. Published figure to beat: Oxidized
~4 devices/minute in practice on 750 devices with 30 threads (oxidized #887).
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


def run_backup(lab: Lab, state: Path, workers: int, *extra: str) -> tuple[float, dict[str, Any]]:
    """Seconds and JSON report of one `netrawat backup` process."""
    return timed_netrawat(
        "backup",
        "--inventory",
        str(lab.inventory),
        "--state",
        str(state),
        "--trust-new-hosts",
        "--workers",
        str(workers),
        "--json",
        *extra,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=100)
    parser.add_argument("--workers", type=int, default=20)
    parser.add_argument("--latency", type=int, default=0, help="lab latency per reply, ms")
    parser.add_argument("--extra-lines", type=int, default=0, help="pad every config")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-backup-") as tmp:
        root = Path(tmp)
        slot = private_slot()
        specs = respecs(
            generate_fleet(args.devices, Layout(slot.block, LabCredentials.generate())), slot
        )
        for spec in specs:
            if args.extra_lines:
                spec.seed["extra_lines"] = args.extra_lines
        lab = Lab.up(root / "lab", specs=specs, latency_ms=args.latency)
        try:
            first_s, first = run_backup(lab, root / "state", args.workers)
            second_s, second = run_backup(lab, root / "state", args.workers)
            third_s, _ = run_backup(lab, root / "state", args.workers, "--keep-private")
        finally:
            lab.down()
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    figures = {
        "devices": args.devices,
        "workers": args.workers,
        "latency_ms": args.latency,
        "first_run_s": round(first_s, 2),
        "first_counts": first["counts"],
        "devices_per_minute": round(args.devices / first_s * 60, 1),
        "no_change_run_s": round(second_s, 2),
        "no_change_commit": second["commit"],
        "no_change_counts": second["counts"],
        "keep_private_run_s": round(third_s, 2),
        "peak_rss_mb_of_children": round(peak_mb, 1),
        "lines_stored": sum(h["lines"] for h in first["hosts"]),
        "lines_ignored": first["ignored_lines"],
    }
    print(json.dumps(figures))
    return 0 if not first["counts"]["failed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
