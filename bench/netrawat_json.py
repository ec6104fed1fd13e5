"""Run one `netrawat ... --json` process and time it (shared by the fleet bench scripts)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any


def timed_netrawat(*args: str) -> tuple[float, dict[str, Any]]:
    """Seconds and parsed JSON report of ``python -m netrawat ARGS``; exits on no report."""
    command = [sys.executable, "-m", "netrawat", *args]
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if not proc.stdout.strip():
        raise SystemExit(f"netrawat {args[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(proc.stdout)
    return elapsed, report
