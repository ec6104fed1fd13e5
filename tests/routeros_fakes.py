"""Helpers for RouterOS personality tests without SSH: a device factory and a scripted
`Terminal` that records the exact bytes the shell writes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from netrawat_lab.routeros.actions import ACTIONS
from netrawat_lab.routeros.commands import Session, run_line
from netrawat_lab.routeros.device import RouterOSDevice
from netrawat_lab.spec import DeviceSpec


def make_spec(role: str = "router", **seed: object) -> DeviceSpec:
    """A RouterOS device spec like the lab's (RB4011 router or cAP ax AP)."""
    return DeviceSpec(
        hostname="RTR-DINKES" if role == "router" else "AP-DINKES-1",
        opd="dinkes",
        role=role,
        platform="mikrotik_routeros",
        address="127.0.0.2",
        port=22,
        username="admin",
        password="throwaway",
        model="RB4011iGS+" if role == "router" else "cAP ax",
        seed={
            "lan_address": "10.21.4.1" if role == "router" else "10.21.4.2",
            "wan_address": "100.64.4.2",
            "wan_gateway": "100.64.4.1",
            "ssid": "OPD-DINKES",
            "wifi_psk": "rahasia-dinkes-123",
            "snmp_community": "komunitas-rahasia",
            **seed,
        },
    )


def make_device(role: str = "router", **seed: object) -> RouterOSDevice:
    """A fresh device."""
    return RouterOSDevice(make_spec(role, **seed))


def cli(device: RouterOSDevice, line: str, session: Session | None = None) -> str:
    """One CLI line's output (lines joined with ``\\n``)."""
    return "\n".join(run_line(device, session or Session("admin"), line, ACTIONS).lines)


class ScriptedTerminal:
    """A `Terminal` fed with input lines; ``output`` holds every byte written."""

    def __init__(self, lines: Iterable[str], username: str = "admin+ct511w4098h") -> None:
        self.username = username
        self._lines = list(lines)
        self.output = ""
        self.closed = False
        self.bulk_writes = 0
        self.columns = 80

    async def read_line(
        self, echo: bool = True, *, column: int = 0, wrap_at: int = 0, hotkeys: str = ""
    ) -> str | None:
        if not self._lines:
            return None
        line = self._lines.pop(0)
        if echo:
            self.output += line + "\r\n"
        return line

    async def read_key(self, timeout: float | None = None) -> str | None:
        """Keys are typed as one-character lines; Ctrl-C ends an endless command at once."""
        return self._lines.pop(0) if self._lines else None

    async def write(self, text: str) -> None:
        self.output += text

    async def write_bulk(self, text: str) -> bool:
        self.bulk_writes += 1
        self.output += text
        return True

    def close(self) -> None:
        self.closed = True


def run_session(
    device: RouterOSDevice, lines: Iterable[str], username: str = "admin+ct511w4098h"
) -> ScriptedTerminal:
    """Serve one shell session with scripted input; returns the terminal."""
    term = ScriptedTerminal(lines, username)
    asyncio.run(device.run_shell(term))
    return term
