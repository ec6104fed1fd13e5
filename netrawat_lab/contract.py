"""The contract between the lab's SSH server and a device personality.

The server (``server.py``) owns networking: listening sockets, SSH host keys, password
checks, transport-level faults (``unreachable``, ``auth-failure``, ``host-key-changed``) and
the control socket. A *personality* (``routeros/``, ``ios/``) owns what a logged-in user sees:
the shell, the configuration model, every command's output, and device-state faults.

One `Device` object exists per simulated device for the whole life of the lab process; every
SSH session (and RouterOS API session) of that device works on the same state, so a change
made in one session shows in the next.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

# Fault names understood by `netrawat lab fault HOST FAULT[=VALUE]` and the fleet file.
# Transport faults are handled by the server; the rest by the personality.
TRANSPORT_FAULTS = frozenset(
    {
        "unreachable",  # =refused (default: nothing listens) | =drop (accepts, never answers)
        "auth-failure",  # every password is rejected
        "host-key-changed",  # the device presents a new host key (kept until `lab clear`)
    }
)
SESSION_FAULTS = frozenset(
    {
        "slow",  # =MS extra latency before every reply
        "hang",  # bulk output (/export, show running-config) stops part-way; session stays open
        "truncate",  # bulk output stops part-way and the connection is dropped
        "max-sessions",  # =N (default 1) shells at once: one more is closed at once, as
        # an IOS box whose vty lines are all busy (`line vty 0 0`) or RouterOS
        # `/ip service ssh max-sessions=N` close the surplus login
    }
)
DEVICE_FAULTS = frozenset(
    {
        "interface-down",  # =IFACE (default: the first LAN port) oper down, link lost
        "flapping",  # =IFACE link flaps, error/CRC counters rise on every read
        "high-cpu",  # =PCT (default 97)
        "low-memory",  # free memory ~3 %
        "overheating",  # =CELSIUS (default 88)
        "wan-loss",  # =PCT (default 100) ping loss to the gateway / internet
        "wrong-dns",  # DNS servers replaced by a wrong one (a config change: drift)
        "wrong-ntp",  # NTP servers replaced by a wrong one (a config change: drift)
        "radio-disabled",  # AP: the wireless interface is disabled (config change)
        "no-clients",  # AP: registration table empty
        "config-reset",  # configuration back to factory defaults
        "startup-screens",  # RouterOS: license / new password / "Please press Enter" at login
        "echo-wrap",  # =COLUMNS (default 80) RouterOS: echo wraps there whatever the login width
        "uplink-down",  # the WAN/uplink port is down (OPD loses internet)
        "cut-on-change",  # the next accepted config change cuts management access until undone
        "no-io-memory",  # IOS: `show memory statistics` has no I/O row (Catalyst 4500/2960)
        "upgrade",  # =VERSION the device now runs that OS release (what it prints follows)
    }
)
ALL_FAULTS = TRANSPORT_FAULTS | SESSION_FAULTS | DEVICE_FAULTS


class Terminal(Protocol):
    """One interactive SSH shell session, as the personality sees it (implemented by the server).

    Bytes are exact: the personality writes its own line endings (``\\r\\n`` for RouterOS,
    ``\\r\\n`` on output and ``\\n``-terminated input for IOS, as the real boxes do) and its own
    echo through `read_line`.
    """

    username: str
    """The login name as the client sent it (RouterOS clients add ``+ct511w4098h``)."""

    columns: int
    """The width of the client's pty (80 when the shell was opened without one)."""

    async def read_line(
        self, echo: bool = True, *, column: int = 0, wrap_at: int = 0, hotkeys: str = ""
    ) -> str | None:
        """Next input line without its terminator (``\\r``, ``\\n`` or ``\\r\\n``), echoing the
        typed characters and a newline when ``echo``; ``None`` when the client has gone.
        ``wrap_at`` > 0: the echo starts a new row on reaching that column (counted from
        ``column``, where the cursor stood). A key of ``hotkeys`` (RouterOS Ctrl-X, Ctrl-D)
        acts without Enter: it is returned alone at once, the text typed before it dropped."""

    async def read_key(self, timeout: float | None = None) -> str | None:
        """Next single key without Enter and without echo (``\\r\\n`` counts as one key,
        ``\\r``); ``""`` if ``timeout`` seconds pass first; ``None`` when the client has gone."""

    async def write(self, text: str) -> None:
        """Send text to the client, after the device's ``slow`` latency if set."""

    async def write_bulk(self, text: str) -> bool:
        """Send a long output (``/export``, ``show running-config``) honouring the ``hang`` and
        ``truncate`` faults; returns False if the output was cut (the caller then stops)."""

    def close(self) -> None:
        """End the session from the device side."""


class Personality(Protocol):
    """What a platform implementation provides. One instance per simulated device."""

    platform: str
    """``mikrotik_routeros`` or ``cisco_ios`` (netmiko platform names)."""

    def login_name(self, sent_username: str) -> str:
        """The account name a login attempt is for (RouterOS strips ``+`` and what follows)."""

    async def run_shell(self, term: Terminal) -> None:
        """Serve one interactive shell session until the user exits or disconnects."""

    async def run_exec(self, command: str) -> tuple[str, int]:
        """Serve an SSH exec request: (output, exit status)."""

    def apply_fault(self, name: str, value: str | None) -> None:
        """Turn on a device-state fault (see `DEVICE_FAULTS`)."""

    def clear_faults(self) -> None:
        """Undo every device-state fault, restoring the configuration as it was before them."""

    def reset(self) -> None:
        """Put the device back exactly as it was seeded when the lab started (``lab reset``):
        configuration, file store, safe mode / archive / revert timers, log, and no faults
        (the server applies the spec's faults again). Open sessions and the clock go on."""

    def snapshot(self) -> Mapping[str, object]:
        """A JSON-able view of the device for `netrawat lab status` and tests
        (at least: ``config`` text as the device would export it, ``faults``)."""


class ManagementAccess(Protocol):
    """The management path of a device, as the server owns it. A personality that has a
    ``management`` attribute gets one from the server (the ``cut-on-change`` fault)."""

    def cut_access(self) -> None:
        """Lose management access as a firewall rule on the management address would: every
        SSH and API session drops, new connections fail, until `restore_access`."""

    def restore_access(self) -> None:
        """Management access is back (the change that cut it was undone by the device)."""
