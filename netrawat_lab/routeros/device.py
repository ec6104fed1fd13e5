"""`RouterOSDevice`: one simulated MikroTik RouterOS 7.16.1 device (the lab `Personality`).

It owns the configuration model (`model`, shared with the RouterOS API server), the live
state (`live`: clock, counters, links), the faults (`faults`), and serves SSH shells and
SSH exec requests. The API server reaches the same objects through this device.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from netrawat_lab.contract import ManagementAccess, Terminal
from netrawat_lab.routeros.actions import ACTIONS
from netrawat_lab.routeros.commands import Session, run_line
from netrawat_lab.routeros.errors import RouterOSError
from netrawat_lab.routeros.export import ExportOptions, export_lines, header
from netrawat_lab.routeros.faults import FaultBook
from netrawat_lab.routeros.hardware import hardware_for
from netrawat_lab.routeros.live import LiveState
from netrawat_lab.routeros.model import RouterOSModel, normalise_path
from netrawat_lab.routeros.safemode import SafeMode
from netrawat_lab.routeros.seed import build_hardware, seed_configuration
from netrawat_lab.routeros.shell import serve_shell
from netrawat_lab.spec import DeviceSpec


@dataclass
class _Seeded:
    """A device as seeded at lab start (`RouterOSDevice.reset` puts it back)."""

    config: dict[str, object]
    log: list[tuple[datetime, str, str]]
    history: list[dict[str, str]]
    link_downs: dict[str, int]
    last_login: dict[str, str]


class RouterOSDevice:
    """A RouterOS 7.16.1 device built from a `DeviceSpec`."""

    platform = "mikrotik_routeros"

    @property
    def version(self) -> tuple[int, ...]:
        """The release as numbers (``upgrade=VERSION`` changes it)."""
        return tuple(int(p) for p in self.live.release.split(".") if p.isdigit())

    @property
    def major(self) -> int:
        """The major release (6 prints and exports as v6 does)."""
        return self.version[0] if self.version else 7

    def __init__(self, spec: DeviceSpec) -> None:
        self.spec = spec
        self.hw = hardware_for(spec.model, spec.role)
        self.model = RouterOSModel()
        build_hardware(self.model, self.hw)
        if not spec.seed.get("factory"):  # factory: as after reset-configuration no-defaults
            seed_configuration(self.model, spec, self.hw)
        self.live = LiveState(self.model, spec, self.hw)
        self.safe_mode = SafeMode(self)
        self.management: ManagementAccess | None = None
        """Set by the lab server: the ``cut-on-change`` fault cuts and restores access."""
        self.access_cut = False
        self.faults = FaultBook(self)
        self.model.listeners.append(self._cut_on_change)
        digest = hashlib.blake2s(spec.hostname.encode(), digest_size=4).hexdigest().upper()
        self.software_id = f"{digest[:4]}-{digest[4:]}"
        self._seeded = self._seeded_state()
        for name, value in spec.faults.items():
            if name in self.faults._handlers():
                self.faults.apply(name, value)

    # ----- Personality -------------------------------------------------------------------
    def login_name(self, sent_username: str) -> str:
        """``admin+ct511w4098h`` → ``admin`` (RouterOS login options after ``+``)."""
        return sent_username.split("+", 1)[0]

    async def run_shell(self, term: Terminal) -> None:
        """Serve one interactive shell session."""
        await serve_shell(self, term)

    async def run_exec(self, command: str) -> tuple[str, int]:
        """SSH exec (``ssh admin@host "/export terse show-sensitive"``): the output of each
        ``;``-free line, ``\\r\\n`` line ends, exit status 0 as RouterOS gives."""
        session = Session("admin")
        out: list[str] = []
        for line in command.splitlines():
            if line.strip():
                out.extend(run_line(self, session, line, ACTIONS).lines)
        return "".join(f"{line}\r\n" for line in out), 0

    def apply_fault(self, name: str, value: str | None) -> None:
        """Turn on a device fault."""
        self.faults.apply(name, value)

    def clear_faults(self) -> None:
        """Undo every device fault."""
        self.faults.clear()

    def _seeded_state(self) -> _Seeded:
        """What `reset` puts back: the configuration (``/file`` and ``/user`` included, as
        the API shares it), the log, ``/system history`` and the login records."""
        live = self.live
        return copy.deepcopy(
            _Seeded(self.model.dump(), live.log, live.history, live.link_downs, live.last_login)
        )

    def reset(self) -> None:
        """Back to exactly as seeded: faults off, safe mode forgotten (its undo timer too),
        configuration, files, log and history as at lab start. The model object stays the
        same (the API sessions and shells hold it); uptime, counters and the logged-in
        sessions (``/user active``) go on."""
        self.faults.clear()
        self.safe_mode.reset()
        self.model.restore(self._seeded.config)  # restore takes its own copy
        seeded = copy.deepcopy(replace(self._seeded, config={}))
        live = self.live
        live.log[:] = seeded.log
        live.history[:] = seeded.history
        live.link_downs = seeded.link_downs
        live.last_login = seeded.last_login
        live.actor = "admin"
        self.access_cut = False

    def snapshot(self) -> Mapping[str, object]:
        """Config (``/export terse``), faults, identity, version, uptime."""
        return {
            "config": self.export_text(ExportOptions(terse=True), "/"),
            "faults": dict(self.faults.active),
            "identity": self.model.value("/system/identity", "name"),
            "version": self.live.release,
            "model": self.hw.model,
            "uptime": self.live.resource()[0]["uptime"],
        }

    # ----- cut-on-change ------------------------------------------------------------------
    def _cut_on_change(self, _path: str, _operation: str, _item: str) -> None:
        """Under ``cut-on-change`` the first accepted change (by a session, not a fault) cuts
        management access, as a firewall rule on the management address would."""
        if not self.faults.has("cut-on-change") or self.faults.applying:
            return
        if self.faults.active.get("cut-on-change") == "fired" or self.management is None:
            return
        self.faults.active["cut-on-change"] = "fired"
        self.access_cut = True
        self.live.add_log("system,info", "management access lost (lab fault cut-on-change)")
        self.management.cut_access()

    def reverted_by_device(self) -> None:
        """The device undid changes by itself (safe mode): access cut by one comes back."""
        if self.access_cut and self.management is not None:
            self.access_cut = False
            self.management.restore_access()

    # ----- services used by commands and the API -----------------------------------------
    def export_text(self, options: ExportOptions, menu: str = "/") -> str:
        """The full text of ``/export`` (of ``menu`` and below)."""
        now = self.live.now()
        when = (
            now.strftime("%Y-%m-%d %H:%M:%S")
            if self.major >= 7
            else f"{now:%b}".lower() + now.strftime("/%d/%Y %H:%M:%S")
        )
        serial = self.live.routerboard()[0]["serial-number"]
        lines = header(
            self.model, when, self.software_id, self.hw.model, serial, release=self.live.release
        )
        lines += export_lines(self.model, options, normalise_path(menu), self.live.export_note)
        return "\n".join(lines) + "\n"

    def write_file(self, name: str, contents: str) -> None:
        """Create or replace a file in ``/file``."""
        with contextlib.suppress(RouterOSError):
            self.model.remove("/file", name)
        self.model.add("/file", {"name": name, "contents": contents})

    def run_script(self, script: str, *, dry_run: bool = False) -> list[str]:
        """Run a ``.rsc`` script line by line (``/import``); the first error stops it and is
        returned with its line number. ``dry_run`` checks on a copy and changes nothing."""
        saved = self.model.dump()
        session = Session("admin")
        logical = script.replace("\\\n", "").replace("\\\r\n", "")
        for number, line in enumerate(logical.splitlines(), start=1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            reply = run_line(self, session, text, ACTIONS)
            if reply.lines:
                self.model.restore(saved)
                return [reply.lines[0].replace("(line 1 ", f"(line {number} ")]
        if dry_run:
            self.model.restore(saved)
        return []
