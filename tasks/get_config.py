"""Nornir task: fetch a device's running configuration over SSH (netmiko), never judging it.

RouterOS: ``/export terse`` plus ``show-sensitive`` on v7 (v7 hides secrets without it; on
v6 secrets show by default and ``show-sensitive`` is a syntax error). The major version comes
from host data ``os_version`` if the inventory has it, else from the release remembered from
the host's last good backup (``known_major``, `netrawat.configs.versions`), else from
``/system resource print``. A remembered release is checked against the export's own header
(``# ... by RouterOS 7.16.1``): when the export was refused or names another major release,
the version is asked again and the export repeated once with the right flag.
IOS: ``show running-config`` in privileged mode (``enable`` first if needed).

The output is read with netmiko's channel primitives instead of ``send_command`` so that a
session that hangs or drops part-way still hands back what it printed (for the quarantine)
and a dropped connection is noticed at once instead of after the whole read timeout. The read
fails when no byte arrives for the host's read timeout (``data.timeouts.read``).
The result is a `Fetched`; `netrawat.configs.verify` decides whether it may be stored.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from netmiko import BaseConnection, ReadTimeout
from nornir.core.task import Result, Task

from netrawat.configs.verify import Fetched
from netrawat.configs.versions import major_of
from netrawat.errors import DeviceCommandError
from netrawat.hostkeys import get_connection
from netrawat.inventory.connections import Timeouts
from netrawat.platforms import PLATFORMS, ROUTEROS, PlatformProfile, profile_for

_VERSION = re.compile(r"^\s*version:\s*(\d+)\.(\d+)", re.MULTILINE)
_FULL_VERSION = re.compile(r"^\s*version:\s*(\d+\.\S+)", re.MULTILINE)
POLL_SECONDS = 0.02
TAIL = 4096
TOTAL_FACTOR = 20
"""A whole read may take at most this many read timeouts (30 s -> 10 min)."""
"""How much of the end of the output is searched for the prompt on each read."""


@dataclass(frozen=True)
class BulkRead:
    """What came back for one long command."""

    output: str
    prompt_returned: bool
    problem: str = ""


def parse_major(text: str) -> int | None:
    """The major version in ``/system resource print`` output (``version: 7.16.1 (stable)``)."""
    match = _VERSION.search(text)
    return int(match.group(1)) if match else None


def config_version(platform: str, output: str) -> str:
    """The release a configuration names: the RouterOS export header, IOS ``version``.

    >>> config_version("mikrotik_routeros", "# 2024-10-28 12:28:48 by RouterOS 7.16.1\\n#")
    '7.16.1'
    >>> config_version("mikrotik_routeros", "# jul/21/2023 09:42:42 by RouterOS 6.48.6\\n")
    '6.48.6'
    >>> config_version("cisco_ios", "!\\nversion 15.9\\nservice timestamps\\n")
    '15.9'
    >>> config_version("mikrotik_routeros", "expected end of command (line 1 column 14)")
    ''
    """
    profile = PLATFORMS.get(platform)  # ``PlatformProfile.version_in_config``
    return profile.version_from_config(output) if profile else ""


def routeros_major(conn: BaseConnection, declared: object, timeout: float) -> int:
    """The RouterOS major version: host data ``os_version`` or ``/system resource print``."""
    if declared:
        text = f"version: {declared}"
    else:
        text = str(conn.send_command("/system resource print", read_timeout=timeout))
    major = parse_major(text)
    if major is None:
        raise DeviceCommandError(
            "cannot tell the RouterOS version from /system resource print",
            "set data.os_version (e.g. '7.16.1') for this host in the inventory",
        )
    return major


def export_command(major: int) -> str:
    """The export command of a RouterOS major version (v8+ behaves like v7; platform data)."""
    return ROUTEROS.config_command(major)


def _channel_closed(conn: BaseConnection) -> bool:
    channel = conn.remote_conn
    return bool(
        channel is None
        or getattr(channel, "closed", False)
        or getattr(channel, "eof_received", False)
    )


def prompt_at_end(text: str, prompt: str) -> int | None:
    """Where ``prompt`` starts when it ends ``text`` (spaces or tabs after it, and one final
    newline, allowed), else None: what ``re.escape(prompt) + r"[ \\t]*$"`` matches, without
    compiling a pattern per device (Python's regex compiler is written in Python: a tenth
    of a millisecond or more per pattern, per device).

    >>> prompt_at_end("/export\\n[admin@R1] >  ", "[admin@R1] >")
    8
    >>> prompt_at_end("x\\nR1#\\n", "R1#")
    2
    >>> prompt_at_end("R1# show run\\n", "R1#") is None
    True
    """
    end = len(text) - 1 if text.endswith("\n") else len(text)
    kept = text[:end].rstrip(" \t")
    return len(kept) - len(prompt) if prompt and kept.endswith(prompt) else None


def _body_after_echo(output: str, command: str, prompt: str) -> str | None:
    """The reply between the echoed command line and the final prompt, once both are there.

    Waiting for the echo first means a stray prompt still in flight from before the command
    (a device re-printing its prompt) is never taken for the end of the output."""
    echo_at = output.find(command)
    if echo_at < 0:
        return None
    after = output[echo_at + len(command) :]
    if prompt_at_end(after[-TAIL:], prompt) is None:
        return None
    start = prompt_at_end(after, prompt)
    end = len(after) - 1 if after.endswith("\n") else len(after)
    return (after[:start] + after[end:]).partition("\n")[2]


def _partial(output: str, command: str) -> str:
    """What arrived after the echo (all of it if the echo never came)."""
    echo_at = output.find(command)
    return output if echo_at < 0 else output[echo_at + len(command) :].partition("\n")[2]


def _stalled(started: float, last_data: float, idle_timeout: float) -> str:
    """Why reading should stop now ('' to go on): silence, or the whole-read cap."""
    now = time.monotonic()
    if now - last_data > idle_timeout:
        return f"no data for {idle_timeout:g} s"
    if now - started > idle_timeout * TOTAL_FACTOR:
        return f"output still incomplete after {idle_timeout * TOTAL_FACTOR:g} s"
    return ""


def read_bulk(
    conn: BaseConnection, command: str, idle_timeout: float, prompt_pattern: str | None = None
) -> BulkRead:
    """Send ``command`` and read until the prompt comes back after its echo, the channel
    closes, no data arrives for ``idle_timeout`` seconds, or the whole read has taken
    ``TOTAL_FACTOR`` times that (a device trickling bytes forever). Echo and prompt are
    removed.

    ``prompt_pattern`` (the platform's ``exec_prompt``) lets the prompt be read as soon as
    it arrives; without it netmiko's ``find_prompt`` waits a fixed quarter second first."""
    prompt = conn.find_prompt(pattern=prompt_pattern).strip()
    conn.write_channel(command + conn.RETURN)
    output, started = "", time.monotonic()
    last_data = started
    while True:
        chunk = conn.read_channel()
        if chunk:
            output += chunk
            last_data = time.monotonic()
            body = _body_after_echo(output, command, prompt)
            if body is not None:
                return BulkRead(body, True)
        if _channel_closed(conn) and not chunk:
            return BulkRead(_partial(output, command), False, "connection closed by device")
        problem = _stalled(started, last_data, idle_timeout)
        if problem:
            return BulkRead(_partial(output, command), False, problem)
        if not chunk:
            time.sleep(POLL_SECONDS)


def _drop(task: Task, conn: BaseConnection) -> None:
    """Close a session that must not be reused; the transport goes first so netmiko's polite
    logout does not wait another read timeout on a device that stopped answering."""
    conn.paramiko_cleanup()
    task.host.close_connection("netmiko")


def _enable(task: Task, conn: BaseConnection) -> None:
    """Enter privileged mode (the session is known not to be in it) or fail with a hint
    about the enable secret."""
    try:
        conn.enable(check_state=False)  # netmiko would ask the prompt again first
    except (ValueError, ReadTimeout) as exc:
        _drop(task, conn)
        raise DeviceCommandError(
            "cannot enter enable mode (show running-config needs it)",
            "check enable_secret for this host in the secrets file",
        ) from exc


def _versioned_read(
    conn: BaseConnection,
    profile: PlatformProfile,
    declared: object,
    known_major: int | None,
    timeout: float,
) -> tuple[str, BulkRead, int]:
    """(command, what it returned, major version) of a versioned show-config command; see
    the module docstring."""
    if declared or not known_major:
        major = routeros_major(conn, declared, timeout)
        command = profile.config_command(major)
        return command, read_bulk(conn, command, timeout, profile.exec_prompt), major
    command = profile.config_command(known_major)
    read = read_bulk(conn, command, timeout, profile.exec_prompt)
    if not read.prompt_returned:
        return command, read, known_major
    seen = major_of(config_version(profile.name, read.output))
    if seen == known_major:
        return command, read, known_major
    major = seen or routeros_major(conn, None, timeout)  # changed, or the export was refused
    command = profile.config_command(major)
    return command, read_bulk(conn, command, timeout, profile.exec_prompt), major


def get_config(task: Task, known_major: int | None = None) -> Result:
    """Fetch the configuration; ``result`` is a `Fetched` (verify it before storing).

    ``known_major``: the major release remembered from the host's last good backup (skips
    the RouterOS version query while the export agrees with it). The result carries
    ``major_version`` and ``os_version`` (the release the configuration names, "" if none).
    """
    profile = profile_for(task.host.platform)
    timeouts = Timeouts.of(task.host)
    conn = get_connection(task, "netmiko")  # host-key refusals become a clear HostKeyError
    command = profile.show_config_command
    major = ""
    if profile.needs_major_version:
        declared = task.host.get("os_version")
        command, read, number = _versioned_read(conn, profile, declared, known_major, timeouts.read)
        major = str(number)
    else:
        if profile.has_enable and not conn.check_enable_mode():
            _enable(task, conn)
        read = read_bulk(conn, command, timeouts.read, profile.exec_prompt)
    if not read.prompt_returned:
        _drop(task, conn)  # never reuse a half-read session
    fetched = Fetched(profile.name, read.output, read.prompt_returned, read.problem)
    version = config_version(profile.name, read.output) if read.prompt_returned else ""
    return Result(
        host=task.host, result=fetched, command=command, major_version=major, os_version=version
    )
