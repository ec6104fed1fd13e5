"""Put an applied change under the device's own safety net, keep it, or wait for the device
to undo it (`netrawat.safechange`: RouterOS Safe Mode, IOS revert timer).

    record = arm(task, count=len(commands))      # before the push, on the push's session
    keep(task, record)                           # after the change is verified
    await_device_revert(task, record, reread, pre)  # after the session was lost

Where a device has no net (IOS without an archive path, more changes than Safe Mode can
undo, Safe Mode held by another session) `arm` says why in ``record.note`` and leaves
``record.armed`` False: the caller falls back to its SSH rollback, or refuses.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from netmiko import BaseConnection
from nornir.core.task import Task

from netrawat.errors import DeviceCommandError
from netrawat.hostkeys import get_connection
from netrawat.inventory.connections import Timeouts
from netrawat.safechange import SafeChangeSettings, SafeNet, SafetyRecord, safe_net_for
from netrawat.tasks.push_config import channel_closed

POLL_SECONDS = 2.0
ROUTEROS_PROMPT_END = r"\][^\r\n]*>[ \t]*$"
IOS_PRIVILEGED_PROMPT = r"#[ \t]*$"


def arm(task: Task, *, count: int) -> SafetyRecord:
    """Take Safe Mode / start the revert timer on the session the push will use."""
    net = safe_net_for(str(task.host.platform))
    if net is None:
        return SafetyRecord(note=f"{task.host.platform} has no device-side safety net")
    record = SafetyRecord(mechanism=net.mechanism)
    settings = SafeChangeSettings.of(task.host, net)
    conn = get_connection(task, "netmiko")
    timeout = Timeouts.of(task.host).read
    if net.mechanism == "safe-mode":
        _take_safe_mode(conn, net, record, count, timeout)
    else:
        _start_revert_timer(conn, net, record, settings.timer_minutes, timeout)
    return record


def _take_safe_mode(
    conn: BaseConnection, net: SafeNet, record: SafetyRecord, count: int, timeout: float
) -> None:
    if net.max_actions is not None and count > net.max_actions:
        record.note = (
            f"{count} changes: more than the {net.max_actions} {net.label} can undo "
            "(the router would leave safe mode without undoing anything)"
        )
        return
    conn.write_channel(net.toggle)
    answer = str(
        conn.read_until_pattern(
            pattern=rf"{re.escape(net.taken)}|{re.escape(net.hijack)}", read_timeout=timeout
        )
    )
    if net.hijack in answer:
        conn.write_channel("d")  # don't take it: another engineer is working in safe mode
        conn.read_until_pattern(pattern=ROUTEROS_PROMPT_END, read_timeout=timeout)
        record.held_elsewhere = True
        record.note = (
            "another session holds Safe Mode on the router (someone is working on it): a "
            "change made now would be undone if that session dropped"
        )
        return
    conn.read_until_pattern(pattern=re.escape(net.prompt_marker) + r"[ \t]*$", read_timeout=timeout)
    conn.set_base_prompt()
    record.armed = True
    record.note = f"{net.label} taken ({net.taken})"


def _start_revert_timer(
    conn: BaseConnection, net: SafeNet, record: SafetyRecord, minutes: int, timeout: float
) -> None:
    if not conn.check_enable_mode():
        conn.enable()
    archive = str(conn.send_command(net.check_command, read_timeout=timeout))
    if net.not_enabled in archive:
        record.note = (
            "no archive path on the router (add `archive` / ` path flash:archive-`), so no "
            "revert timer"
        )
        return
    reply = str(
        conn.send_command(
            net.arm_command.format(minutes=minutes),
            expect_string=IOS_PRIVILEGED_PROMPT,
            read_timeout=timeout,
        )
    )
    if conn.check_config_mode():
        conn.exit_config_mode()
    if net.armed not in reply:
        record.note = f"the revert timer was refused: {reply.strip()[:160] or 'no answer'}"
        return
    record.armed = True
    record.note = f"{net.label}: {minutes} min ({net.armed.split(':')[0]})"


def keep(task: Task, record: SafetyRecord) -> None:
    """Keep the verified change: release Safe Mode / ``configure confirm`` (checked)."""
    net = safe_net_for(str(task.host.platform))
    if net is None or not record.armed or record.released:
        return
    conn = get_connection(task, "netmiko")
    timeout = Timeouts.of(task.host).read
    if net.mechanism == "safe-mode":
        if net.prompt_marker not in conn.find_prompt():
            record.released = True
            record.note += "; the router had left Safe Mode by itself (the change stands)"
            return
        conn.write_channel(net.toggle)
        conn.read_until_pattern(pattern=re.escape(net.released), read_timeout=timeout)
        conn.read_until_pattern(pattern=ROUTEROS_PROMPT_END, read_timeout=timeout)
        conn.set_base_prompt()
        if net.prompt_marker in conn.base_prompt:
            raise DeviceCommandError(
                "Safe Mode could not be released", "the router will undo the change on logout"
            )
    else:
        if conn.check_config_mode():
            conn.exit_config_mode()
        conn.send_command(net.confirm_command, expect_string=IOS_PRIVILEGED_PROMPT)
        left = str(conn.send_command(net.pending_command, read_timeout=timeout))
        if net.none_pending not in left:
            raise DeviceCommandError(
                f"configure confirm did not stop the revert timer: {left.strip()[:160]}",
                "the router will roll the change back when the timer ends",
            )
    record.released = True
    record.note += "; released" if net.mechanism == "safe-mode" else "; confirmed"


def await_device_revert(
    task: Task,
    record: SafetyRecord,
    reread: Callable[[], str],
    pre: str,
) -> str | None:
    """After a lost session: reconnect until the device is back as ``pre`` by itself or the
    wait (host data ``safe_change.revert_wait``) is over. Returns the configuration last read
    (None if the device was never reached); sets ``record.device_reverted``."""
    net = safe_net_for(str(task.host.platform))
    assert net is not None
    settings = SafeChangeSettings.of(task.host, net)
    record.session_lost = True
    started = time.monotonic()
    deadline = started + settings.revert_wait_s
    last: str | None = None
    while True:
        drop_session(task)
        try:
            last = reread()
        except Exception:  # still cut off: the device has not undone it yet
            last = None
        record.waited_s = round(time.monotonic() - started, 1)
        if last is not None and last == pre:
            record.device_reverted = True
            return last
        if time.monotonic() >= deadline:
            record.device_reverted = None if last is None else False
            return last
        pause = min(POLL_SECONDS, max(0.5, settings.revert_wait_s / 20))
        time.sleep(min(pause, max(0.0, deadline - time.monotonic())))


def drop_session(task: Task) -> None:
    """Close the netmiko session; one the device already dropped is torn down at the
    transport first (netmiko's polite logout would wait a read timeout on it)."""
    if "netmiko" not in task.host.connections:
        return
    try:
        conn = task.host.connections["netmiko"].connection
        if conn is not None and channel_closed(conn):
            conn.paramiko_cleanup()
        task.host.close_connection("netmiko")
    except Exception:  # a broken session may fail to close; it is gone
        task.host.connections.pop("netmiko", None)
