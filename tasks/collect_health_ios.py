"""Nornir task: health facts of a Cisco IOS device (NAPALM getters + netmiko for the rest)."""

from __future__ import annotations

from collections.abc import Sequence

from nornir.core.task import Result, Task

from netrawat.health.collect_ios import IosDriver, collect_ios
from netrawat.tasks.device_session import device_session


def _driver(connection: IosDriver) -> IosDriver:
    return connection


def collect_health_ios(
    task: Task, *, ping_targets: Sequence[str] = (), ping_count: int = 5
) -> Result:
    """Collect every health fact of an IOS device over SSH through NAPALM."""
    session = device_session(task, "napalm", _driver)
    facts = collect_ios(
        session, role=str(task.host.get("role")), ping_targets=ping_targets, ping_count=ping_count
    )
    return Result(host=task.host, result=facts)
