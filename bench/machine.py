"""What machine a benchmark ran on (CPU, memory, load, versions), for bench/RESULTS.md."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

PACKAGES = ("netmiko", "nornir", "nornir-netmiko", "paramiko", "asyncssh", "napalm",
            "napalm-ros", "ansible", "ansible-core")  # fmt: skip


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo."""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe_machine(load_only: bool = False) -> dict[str, Any]:
    """Time, load average, and (unless ``load_only``) CPU, memory, OS and package versions."""
    facts: dict[str, Any] = {
        "utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }
    if load_only:
        return facts
    return facts | {
        "cpu": cpu_model(),
        "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "versions": {p: _version(p) for p in PACKAGES},
    }
