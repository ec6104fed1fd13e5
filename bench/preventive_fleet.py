"""Benchmark: the nightly `netrawat preventive` run over the city's fleet, through real SSH.

    .venv/bin/python bench/preventive_fleet.py [--devices N] [--workers 20] [--latency 0]

Starts a lab mirroring the example OPD inventory (73 devices; ``--devices N`` generates N
instead), then runs ``netrawat preventive --json --no-notify`` twice as a separate process:
the first night (no backup yet: backup of every host + health) and the second (drift against
that backup + a backup with nothing changed + health). Prints one JSON line: seconds per run,
devices per minute, the steps' counts, and the peak RSS of the preventive processes (measured
before the lab process is stopped, so it is not counted).
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
from pathlib import Path
from typing import Any

from netrawat_json import timed_netrawat

from netrawat_lab.handle import Lab
from netrawat_lab.testing import private_slot


def run_preventive(lab: Lab, state: Path, workers: int) -> tuple[float, dict[str, Any]]:
    """Seconds and JSON report of one `netrawat preventive` process."""
    return timed_netrawat(
        "preventive",
        "--inventory",
        str(lab.inventory),
        "--state",
        str(state),
        "--trust-new-hosts",
        "--no-notify",
        "--workers",
        str(workers),
        "--json",
    )


def _counts(report: dict[str, Any]) -> dict[str, Any]:
    drift = report["drift"]["counts"] if report["drift"] else "skipped"
    return {
        "drift": drift,
        "backup": report["backup"]["counts"],
        "worst_grade": report["health"]["worst_grade"],
        "exit_code": report["exit_code"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=None)
    parser.add_argument("--workers", type=int, default=20)
    parser.add_argument("--latency", type=int, default=0, help="lab latency per reply, ms")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-preventive-") as tmp:
        root = Path(tmp)
        lab = Lab.up(
            root / "lab", devices=args.devices, latency_ms=args.latency, block=private_slot().block
        )
        try:
            first_s, first = run_preventive(lab, root / "state", args.workers)
            second_s, second = run_preventive(lab, root / "state", args.workers)
            peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        finally:
            lab.down()
    devices = len(lab.specs)
    figures = {
        "devices": devices,
        "workers": args.workers,
        "latency_ms": args.latency,
        "first_night_s": round(first_s, 2),
        "first_night": _counts(first),
        "second_night_s": round(second_s, 2),
        "second_night": _counts(second),
        "devices_per_minute_second_night": round(devices / second_s * 60, 1),
        "peak_rss_mb_of_preventive": round(peak_mb, 1),
    }
    print(json.dumps(figures))
    return 0 if first["exit_code"] == 0 and second["exit_code"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
