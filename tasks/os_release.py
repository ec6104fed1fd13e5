"""Nornir task: ask the device which OS release it runs (the upgrade guard's check that the
collection commands still answer as netrawat reads them on the new release).

RouterOS ``/system resource print`` (``version: 7.16.1 (stable)``), IOS ``show version``
(``Cisco IOS Software, ... Version 15.7(3)M8, ...``): a reply that is refused or no longer
parses fails the task, and the backup taken on that release is not trusted.
"""

from __future__ import annotations

import re

from nornir.core.task import Result, Task

from netrawat.errors import DeviceCommandError
from netrawat.hostkeys import get_connection
from netrawat.inventory.connections import Timeouts
from netrawat.platforms import profile_for
from netrawat.platforms.profile import compiled


def probe_release(task: Task) -> Result:
    """``result``: the release the device states (``DeviceCommandError`` if it cannot)."""
    profile = profile_for(task.host.platform)
    conn = get_connection(task, "netmiko")
    if profile.has_enable and not conn.check_enable_mode():
        conn.enable()
    reply = str(conn.send_command(profile.release_probe, read_timeout=Timeouts.of(task.host).read))
    error = profile.find_error(reply)
    match = compiled(profile.release_probe_pattern, re.MULTILINE).search(reply)
    if error is not None or match is None:
        what = f"was refused: {error}" if error else "no longer names the release"
        raise DeviceCommandError(
            f"{profile.release_probe!r} {what}",
            "the device's OS changed how it answers: check netrawat's commands for this release",
        )
    return Result(host=task.host, result=match.group(1))
