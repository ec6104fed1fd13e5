"""Nornir task: health facts of a RouterOS device through napalm-ros (RouterOS API)."""

from __future__ import annotations

from collections.abc import Sequence

from nornir.core.task import Result, Task

from netrawat.health.collect_routeros_api import RosDriver, collect_routeros_api
from netrawat.tasks.device_session import device_session


def _driver(connection: RosDriver) -> RosDriver:
    return connection


def collect_health_routeros_api(
    task: Task, *, ping_targets: Sequence[str] = (), ping_count: int = 5
) -> Result:
    """Collect every health fact through the RouterOS API (host data ``api_port``)."""
    session = device_session(task, "napalm", _driver)
    facts = collect_routeros_api(
        session, role=str(task.host.get("role")), ping_targets=ping_targets, ping_count=ping_count
    )
    return Result(host=task.host, result=facts)
