"""Nornir task: collect health facts along the right path for the host's platform.

The path is platform data (``PlatformProfile.health_collectors``: path -> the dotted name of
its collection task): RouterOS hosts with ``api_port`` in their data use the API (napalm-ros),
others the CLI; ``via`` forces one (``cli`` / ``api``) for comparisons and troubleshooting.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from nornir.core.task import Result, Task

from netrawat.errors import InputError
from netrawat.health.config import HealthConfig
from netrawat.platforms import PLATFORMS, resolve_name

VIAS = ("auto", "cli", "api")


def path_for(platform: str, has_api: bool, via: str = "auto") -> Callable[..., Result]:
    """The collection task of a platform; ``auto`` takes the API where the host has one."""
    if via not in VIAS:
        raise InputError(f"unknown collection path {via!r}", f"use one of: {', '.join(VIAS)}")
    chosen = via if via != "auto" else ("api" if has_api else "cli")
    profile = PLATFORMS.get(platform)
    dotted = profile.health_collectors.get(chosen) if profile else None
    if not dotted:
        raise InputError(f"no health collection for platform {platform!r}")
    task: Callable[..., Result] = resolve_name(dotted)
    return task


def collect_health(task: Task, *, configs: Mapping[str, HealthConfig], via: str = "auto") -> Result:
    """Run the host's collection task and return its facts (a DeviceFacts dict)."""
    config = configs[task.host.name]
    path = path_for(str(task.host.platform), bool(task.host.get("api_port")), via)
    sub = task.run(
        task=path,
        ping_targets=config.ping_targets,
        ping_count=int(config.thresholds["ping_count"]),
    )
    return Result(host=task.host, result=sub[0].result)
