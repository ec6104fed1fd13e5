"""Nornir task: health facts of a RouterOS device through napalm-ros (RouterOS API)."""

from __future__ import annotations

from collections.abc import Sequence

from nornir.core.task import Result, Task

from netrawat.health.collect_routeros_api import collect_routeros_api


def collect_health_routeros_api(
    task: Task, *, ping_targets: Sequence[str] = (), ping_count: int = 5
) -> Result:
    """Collect every health fact through the RouterOS API (host data ``api_port``)."""
    driver = task.host.get_connection("napalm", task.nornir.config)
    facts = collect_routeros_api(
        driver, role=str(task.host.get("role")), ping_targets=ping_targets, ping_count=ping_count
    )
    return Result(host=task.host, result=facts)
