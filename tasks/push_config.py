"""Nornir task: send configuration lines one by one, checking the device's reply to each.

"No exception" is not success: after every line the reply is searched for the platform's
error strings (`PlatformProfile.find_error`: RouterOS ``no such item``, ``expected end of
command (line 1 column 5)``, IOS ``% Invalid input detected`` ...). The first line that fails
stops the push: nothing after it is sent, and the result says which line failed and why (the
caller rolls back). IOS lines are sent inside ``configure terminal`` (left again at the end,
whatever happened); RouterOS applies each line at once and has no configuration mode.

Saving (IOS ``write memory``) is a separate task, `save_config`, run only once the change is
verified. RouterOS persists every change by itself.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from netmiko import BaseConnection, ReadTimeout
from nornir.core.task import Result, Task

from netrawat.errors import DeviceCommandError, DeviceError
from netrawat.inventory.connections import Timeouts
from netrawat.platforms import PlatformProfile, profile_for


@dataclass
class PushOutcome:
    """What a push sent and what the device answered.

    On a rejection: ``failed_line`` (also ``rejected_line``) is the line the device refused,
    ``error`` the reply line that says so (``% Configuration failed.``, ``failure: already have
    such address``) and ``device_words`` the device's whole reply to that line, verbatim but
    for blank lines (an IOS caret marker stays with its message). Neither is sanitized: a
    report shows them through the sanitizer like every configuration text."""

    sent: list[str] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)
    failed_line: str | None = None
    error: str | None = None
    device_words: str | None = None

    @property
    def ok(self) -> bool:
        return self.failed_line is None

    @property
    def rejected_line(self) -> str | None:
        return self.failed_line

    def to_json(self) -> dict[str, object]:
        return {
            "sent": self.sent,
            "replies": [r for r in self.replies],
            "failed_line": self.failed_line,
            "rejected_line": self.rejected_line,
            "error": self.error,
            "device_words": self.device_words,
        }


def send_lines(
    conn: BaseConnection, profile: PlatformProfile, lines: Sequence[str], read_timeout: float
) -> PushOutcome:
    """Send ``lines`` in order, stopping at the first reply holding an error string."""
    outcome = PushOutcome()
    # the prompt ending one line's reply matches any identity, not the one seen at login: a
    # repair may change it, and IOS lines move between sub-modes (``PlatformProfile``)
    expect = profile.config_line_prompt
    config_mode = profile.has_enable
    if config_mode:
        if not conn.check_enable_mode():
            conn.enable()
        conn.config_mode()
    try:
        for line in lines:
            reply = _send_line(conn, line, expect, read_timeout)
            outcome.sent.append(line)
            outcome.replies.append(reply.strip())
            error = profile.find_error(reply)
            if error is not None:
                outcome.failed_line, outcome.error = line, error
                outcome.device_words = "\n".join(s for s in reply.splitlines() if s.strip())
                break
    finally:
        if not channel_closed(conn):
            if config_mode:
                conn.send_command(
                    "end", expect_string=profile.exec_prompt, read_timeout=read_timeout
                )
            conn.set_base_prompt()  # the identity/hostname may have changed
    return outcome


class SessionLost(DeviceError):
    """The device closed the session in the middle of a push (its management path may be
    cut by the change itself)."""


POLL_SECONDS = 0.02


def _send_line(conn: BaseConnection, line: str, expect: str, read_timeout: float) -> str:
    """One configuration line; a multi-line one (an IOS banner: its first line, text lines,
    closing delimiter) is typed line by line, the device giving a prompt only after the last.

    The reply is read with netmiko's channel primitives so that a session the device drops
    (a change cutting its own management path) is noticed at once, not after the read
    timeout; the echo and the closing prompt are removed."""
    *first, last = line.split("\n")
    for part in first:
        conn.write_channel(part + conn.RETURN)
    conn.write_channel(last + conn.RETURN)
    prompt = re.compile(expect)
    output, deadline = "", time.monotonic() + read_timeout
    while True:
        chunk = conn.read_channel()
        output += chunk
        body = _after_echo(output, last)
        if body is not None and prompt.search(body):
            return prompt.sub("", body)
        if not chunk:
            if channel_closed(conn):
                raise SessionLost(
                    f"the device closed the session after {last!r}",
                    "the change may have cut its management path",
                )
            if time.monotonic() > deadline:
                raise ReadTimeout(f"no prompt after {last!r} within {read_timeout:g} s")
            time.sleep(POLL_SECONDS)


def _after_echo(output: str, sent: str) -> str | None:
    """What follows the echoed line (None until its end of line has come)."""
    at = output.find(sent)
    rest = output[at + len(sent) :] if at >= 0 else output
    _head, newline, body = rest.partition("\n")
    return body if newline else None


def channel_closed(conn: BaseConnection) -> bool:
    """Whether the SSH channel under a netmiko session is gone."""
    channel = conn.remote_conn
    return bool(
        channel is None
        or getattr(channel, "closed", False)
        or getattr(channel, "eof_received", False)
    )


def push_config(task: Task, *, lines: Sequence[str]) -> Result:
    """Push ``lines``; ``result`` is a `PushOutcome` (a failed line is data, not an exception,
    so the caller can roll back what was already applied)."""
    profile = profile_for(task.host.platform)
    conn = task.host.get_connection("netmiko", task.nornir.config)
    outcome = send_lines(conn, profile, lines, Timeouts.of(task.host).read)
    return Result(host=task.host, result=outcome, changed=bool(outcome.sent), failed=False)


def save_config(task: Task) -> Result:
    """Make the running configuration the startup one where the platform needs it (IOS
    ``write memory``, checked for ``[OK]``); a no-op on RouterOS."""
    profile = profile_for(task.host.platform)
    if not profile.saves_config_explicitly:
        return Result(host=task.host, result="not needed", changed=False)
    conn = task.host.get_connection("netmiko", task.nornir.config)
    if not conn.check_enable_mode():
        conn.enable()
    reply = str(conn.send_command("write memory", read_timeout=Timeouts.of(task.host).read))
    error = profile.find_error(reply)
    if error is not None or "[OK]" not in reply:
        raise DeviceCommandError(
            f"write memory failed: {error or reply.strip()[-200:]}",
            "the change is live but not saved: save it by hand or roll back",
        )
    return Result(host=task.host, result=reply.strip(), changed=True)
