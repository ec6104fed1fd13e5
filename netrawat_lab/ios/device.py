"""IOSDevice: the Cisco IOS 15 personality the lab server serves (one per device)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from netrawat_lab.contract import ManagementAccess, Terminal
from netrawat_lab.ios import faults
from netrawat_lab.ios.hardware import hardware_for
from netrawat_lab.ios.seed import factory_config, initial_config
from netrawat_lab.ios.shell import Session
from netrawat_lab.ios.show_system import clock_period, running_config_text
from netrawat_lab.ios.state import DeviceState, Runtime
from netrawat_lab.spec import DeviceSpec


class _ExecTerminal:
    """Collects the output of one SSH exec request (``ssh R1 "show version"``)."""

    def __init__(self, username: str) -> None:
        self.username = username
        self.columns = 80
        self.output: list[str] = []

    async def read_line(
        self, echo: bool = True, *, column: int = 0, wrap_at: int = 0, hotkeys: str = ""
    ) -> str | None:
        return None

    async def read_key(self, timeout: float | None = None) -> str | None:
        return None

    async def write(self, text: str) -> None:
        self.output.append(text)

    async def write_bulk(self, text: str) -> bool:
        self.output.append(text)
        return True

    def close(self) -> None:
        return None


@dataclass
class _Seeded:
    """A router as seeded at lab start (`IOSDevice.reset` puts it back)."""

    runtime: dict[str, object]
    state: dict[str, object]
    archive: tuple[list[str], int]
    version: str


_SEEDED_RUNTIME = (
    "running",
    "startup",
    "booted",
    "last_change",
    "nvram_saved",
    "startup_period",
    "startup_change",
    "pre_fault_config",
    "pre_upgrade",
)
"""`Runtime` fields a session or a fault can change, put back by `IOSDevice.reset`."""


class IOSDevice:
    """A Cisco 2911 running IOS 15.7(3)M8, configured from its DeviceSpec."""

    platform = "cisco_ios"

    def __init__(self, spec: DeviceSpec) -> None:
        hardware = hardware_for(spec.model)
        state = DeviceState.for_device(spec, hardware.cabled)
        running = factory_config(spec) if spec.seed.get("factory") else initial_config(spec)
        self.rt = Runtime(
            spec=spec, running=running, startup=running.copy(), state=state, hardware=hardware
        )
        deployed = (state.boot + timedelta(minutes=3), spec.username)
        self.rt.last_change = deployed
        self.rt.save(spec.username, clock_period(self.rt))
        self.rt.nvram_saved = deployed
        self.rt.booted = running.copy()
        self.management: ManagementAccess | None = None
        """Set by the lab server: the ``cut-on-change`` fault cuts and restores access."""
        self.access_cut = False
        self.rt.on_change = self._cut_on_change
        self.rt.on_revert = self._reverted_by_device
        state.add_log("%SYS-5-RESTART: System restarted --")
        self._seeded = self._seeded_state()
        for name, value in spec.faults.items():
            self.apply_fault(name, value)

    def _seeded_state(self) -> _Seeded:
        """What `reset` puts back: running, startup and boot configurations with their
        change records, the archive, the moving state (links, log, overrides), the release."""
        rt = self.rt
        runtime = {name: getattr(rt, name) for name in _SEEDED_RUNTIME}
        archive = (list(rt.archive.files), rt.archive.count)
        return copy.deepcopy(_Seeded(runtime, dict(vars(rt.state)), archive, rt.spec.version))

    def reset(self) -> None:
        """Back to exactly as seeded: faults off, a pending revert timer cancelled, running
        and startup configuration, archive, links, log as at lab start. The `Runtime` and
        its `DeviceState` stay the same objects (open sessions hold them); the interface
        counters go on, as does the clock."""
        rt = self.rt
        self.clear_faults()
        rt.archive.reset()
        seeded = copy.deepcopy(self._seeded)
        for name, value in seeded.runtime.items():
            setattr(rt, name, value)
        seeded.state["counters"] = rt.state.counters
        vars(rt.state).update(seeded.state)
        rt.archive.files[:], rt.archive.count = seeded.archive
        rt.spec.version = seeded.version

    def login_name(self, sent_username: str) -> str:
        """IOS takes the login name as sent."""
        return sent_username

    def _privileged_at_login(self, username: str) -> bool:
        """Users with ``privilege 15`` land in ``R1#``; others in ``R1>`` and need enable."""
        for head in self.rt.running.heads("username", username):
            return "privilege 15" in head
        return False

    async def run_shell(self, term: Terminal) -> None:
        """Serve one interactive session."""
        session = Session(self.rt, term, self._privileged_at_login(term.username))
        await session.run()

    async def run_exec(self, command: str) -> tuple[str, int]:
        """One exec-channel command at the login privilege level."""
        username = self.rt.spec.username
        terminal = _ExecTerminal(username)
        session = Session(self.rt, terminal, self._privileged_at_login(username))
        await session.handle(command)
        return "".join(terminal.output), 0

    def apply_fault(self, name: str, value: str | None) -> None:
        """Turn on a device-state fault."""
        faults.apply_fault(self.rt, name, value)

    def clear_faults(self) -> None:
        """Undo every device-state fault."""
        faults.clear_faults(self.rt)
        self.access_cut = False  # the server listens again itself

    def _cut_on_change(self) -> None:
        """Under ``cut-on-change`` the first configuration change a session makes cuts
        management access, as an access list on the management address would."""
        if "cut-on-change" not in self.rt.faults or self.management is None:
            return
        if self.rt.faults["cut-on-change"] == "fired":
            return
        self.rt.faults["cut-on-change"] = "fired"
        self.access_cut = True
        self.rt.state.add_log("%SYS-5-CONFIG_I: management access lost (lab fault cut-on-change)")
        self.management.cut_access()

    def _reverted_by_device(self) -> None:
        """The revert timer rolled the configuration back: access cut by a change is back."""
        if self.access_cut and self.management is not None:
            self.access_cut = False
            self.management.restore_access()

    def snapshot(self) -> Mapping[str, object]:
        """JSON-able view: running and startup configuration, faults, link state."""
        startup = "\n".join(self.rt.startup.render_body(self.rt.startup_period)) + "\n"
        return {
            "platform": self.platform,
            "hostname": self.rt.running.hostname,
            "config": running_config_text(self.rt),
            "startup_config": startup,
            "unsaved_changes": self.rt.running.render_body() != self.rt.startup.render_body(),
            "faults": dict(self.rt.faults),
            "interfaces": {
                i.name: " / ".join(self.rt.oper_status(i)) for i in self.rt.running.interfaces()
            },
        }
