"""Nornir task: health facts of a RouterOS device over SSH (netmiko + own TextFSM templates)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nornir.core.task import Result, Task

from netrawat.health.collect_routeros_cli import RouterOSCli, collect_routeros_cli
from netrawat.tasks.device_session import device_session


def collect_health_routeros_cli(
    task: Task, *, ping_targets: Sequence[str] = (), ping_count: int = 5
) -> Result:
    """Collect every health fact through the RouterOS CLI; works with the API disabled."""
    read_timeout = max(30.0, ping_count * 2.0 + 10.0)

    def cli(conn: Any) -> RouterOSCli:
        return RouterOSCli(
            lambda command: str(conn.send_command(command, read_timeout=read_timeout))
        )

    session = device_session(task, "netmiko", cli)
    facts = collect_routeros_cli(
        session, role=str(task.host.get("role")), ping_targets=ping_targets, ping_count=ping_count
    )
    return Result(host=task.host, result=facts)
