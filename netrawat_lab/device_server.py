"""`DeviceServer`: everything the lab does for ONE device on the network side.

It listens for SSH on the device's own loopback address (and for the RouterOS API when the
device has an ``api_port``), checks passwords, and owns the transport and session faults:
``unreachable`` (=refused: nothing listens; =drop: TCP accepted, never answered),
``auth-failure``, ``host-key-changed``, ``slow``, ``hang``, ``truncate``, ``max-sessions``.
Device faults go to
the personality. Lines received are kept in a bounded history for ``netrawat lab history``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import asyncssh

from netrawat_lab import hostkeys
from netrawat_lab.contract import DEVICE_FAULTS, Personality
from netrawat_lab.errors import LabError
from netrawat_lab.spec import DeviceSpec
from netrawat_lab.ssh_algorithms import algorithms_for, host_keypair
from netrawat_lab.terminal import SSHTerminal

log = logging.getLogger("netrawat_lab")

HISTORY_LIMIT = 5000
SSH_VERSIONS = {"mikrotik_routeros": "ROSSSH", "cisco_ios": "Cisco-1.25"}
"""What each platform's sshd puts after ``SSH-2.0-`` in its banner (as the real boxes do)."""


class ApiServe(Protocol):
    """`netrawat_lab.routeros.api.serve_api`: one RouterOS API session of a device."""

    async def __call__(
        self,
        device: object,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        check_login: Callable[[str, str], bool],
        delay_seconds: Callable[[], float] | None = None,
        *,
        has_fault: Callable[[str], bool] | None = None,
    ) -> None:
        """Serve until the client goes."""


def _api_server() -> ApiServe | None:
    """The RouterOS API session server, if that part of the lab is installed."""
    try:
        from netrawat_lab.routeros.api import serve_api
    except ImportError:
        return None
    return serve_api


class _SSHServer(asyncssh.SSHServer):
    """Per-connection callbacks: password checks against the device's credentials."""

    def __init__(self, device: DeviceServer) -> None:
        self._device = device
        self._conn: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        self._device.connections.add(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._conn is not None:
            self._device.connections.discard(self._conn)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return self._device.check_login(username, password)


class DeviceServer:
    """The listeners, faults and history of one lab device."""

    def __init__(
        self,
        spec: DeviceSpec,
        personality: Personality,
        host_key: asyncssh.SSHKey,
        base_latency_ms: int = 0,
    ) -> None:
        self.spec = spec
        self.personality = personality
        self.host_key = host_key
        self.active_key = host_key
        self.base_latency_ms = base_latency_ms
        self.faults: dict[str, str | None] = {}
        self.connections: set[asyncssh.SSHServerConnection] = set()
        self.history: deque[tuple[float, int, str, str]] = deque(maxlen=HISTORY_LIMIT)
        """(time, session number, "shell" | "exec", line) of the last HISTORY_LIMIT lines."""
        self._session_count = 0
        self._shells = 0
        """Shell sessions being served now (``max-sessions``)."""
        self._ssh: asyncssh.SSHAcceptor | None = None
        self._api: asyncio.Server | None = None
        self._drop: asyncio.Server | None = None
        self._held: list[asyncio.StreamWriter] = []
        self._reachable = asyncio.Event()
        self._reachable.set()
        self._api_writers: set[asyncio.StreamWriter] = set()
        self.access_cut = False
        """Management access lost (``cut-on-change`` fired, not yet undone by the device)."""
        self._tasks: set[asyncio.Task[None]] = set()
        if hasattr(personality, "management"):
            personality.management = self

    # ---- what terminals and listeners ask -------------------------------------------------
    def delay_seconds(self) -> float:
        """Latency before every reply: the lab's base latency plus ``slow=MS``."""
        slow = int(self.faults.get("slow") or 0) if "slow" in self.faults else 0
        return (self.base_latency_ms + slow) / 1000.0

    def has_fault(self, name: str) -> bool:
        """Whether the named fault is on."""
        return name in self.faults

    async def wait_reachable(self) -> None:
        """Return at once, or, while the device has vanished (``unreachable=drop``), once it
        is back: its open sessions stay open but silent meanwhile."""
        await self._reachable.wait()

    def check_login(self, username: str, password: str) -> bool:
        """Password check for SSH and the API; always False under ``auth-failure``."""
        if "auth-failure" in self.faults:
            return False
        name = self.personality.login_name(username)
        return name == self.spec.username and password == self.spec.password

    def _recorder(self, kind: str) -> Callable[[str], None]:
        self._session_count += 1
        session = self._session_count

        def record(line: str) -> None:
            self.history.append((time.time(), session, kind, line))

        return record

    # ---- listeners ------------------------------------------------------------------------
    async def start(self) -> None:
        """Listen on the device's address(es), then turn on the faults of its spec."""
        await self._listen()
        already = self._personality_faults()
        for name, value in self.spec.faults.items():
            if name in already:  # the personality applied its spec's device faults itself
                self.faults[name] = value
            else:
                await self.apply_fault(name, value)

    def _personality_faults(self) -> set[str]:
        faults = self.personality.snapshot().get("faults")
        return set(faults) if isinstance(faults, Mapping) else set()

    async def _listen(self) -> None:
        spec = self.spec
        self._ssh = await asyncssh.create_server(
            lambda: _SSHServer(self),
            spec.address,
            spec.port,
            server_host_keys=[host_keypair(self.active_key, spec.platform)],
            process_factory=self._serve_process,
            line_editor=False,
            encoding="utf-8",
            server_version=SSH_VERSIONS.get(spec.platform, "AsyncSSH"),
            allow_scp=False,
            agent_forwarding=False,
            x11_forwarding=False,
            reuse_address=True,
            **algorithms_for(spec.platform),
        )
        serve_api = _api_server()
        if spec.api_port and serve_api is not None:
            self._api = await asyncio.start_server(
                lambda r, w: self._serve_api(serve_api, r, w),
                spec.address,
                spec.api_port,
                reuse_address=True,
            )

    async def _serve_api(
        self, serve_api: ApiServe, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self._api_writers.add(writer)
        try:
            await serve_api(
                self.personality,
                reader,
                writer,
                self.check_login,
                self.delay_seconds,
                has_fault=self.has_fault,
            )
        except asyncio.CancelledError:
            pass  # the lab is shutting down
        except Exception:  # one broken API session must not disturb the lab
            log.exception("%s: API session failed", self.spec.hostname)
        finally:
            self._api_writers.discard(writer)
            writer.close()

    async def _stop_listening(self, abort_sessions: bool) -> None:
        for server in (self._ssh, self._api, self._drop):
            if server is not None:
                server.close()
        for server in (self._ssh, self._api, self._drop):
            if server is not None:
                with contextlib.suppress(Exception):
                    await server.wait_closed()
        self._ssh = self._api = self._drop = None
        for writer in self._held:
            writer.close()
        self._held.clear()
        if abort_sessions:
            for conn in list(self.connections):
                conn.abort()

    async def _listen_drop(self) -> None:
        """Accept TCP connections and never say a word (a box whose sshd is wedged)."""

        async def hold(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self._held.append(writer)

        self._drop = await asyncio.start_server(
            hold, self.spec.address, self.spec.port, reuse_address=True
        )

    async def stop(self) -> None:
        """Close every listener and session."""
        await self._stop_listening(abort_sessions=True)

    # ---- sessions -------------------------------------------------------------------------
    async def _serve_process(self, process: asyncssh.SSHServerProcess[str]) -> None:
        try:
            if process.command is not None:
                await self._serve_exec(process, process.command)
            elif self._all_lines_busy():
                process.exit(1)  # the surplus login is closed before any prompt
            else:
                self._shells += 1
                try:
                    term = SSHTerminal(process, self, self._recorder("shell"))
                    await self.personality.run_shell(term)
                    term.close()
                finally:
                    self._shells -= 1
        except (asyncssh.Error, ConnectionError, BrokenPipeError):
            pass
        except Exception:
            log.exception("%s: session failed", self.spec.hostname)
            with contextlib.suppress(Exception):
                process.exit(1)

    def _all_lines_busy(self) -> bool:
        """``max-sessions=N``: N shells are open already."""
        if "max-sessions" not in self.faults:
            return False
        return self._shells >= int(self.faults["max-sessions"] or 1)

    async def _serve_exec(self, process: asyncssh.SSHServerProcess[str], command: str) -> None:
        """An exec request: its output is bulk output (``slow``, ``hang``, ``truncate`` apply)."""
        record = self._recorder("exec")
        record(command)
        output, status = await self.personality.run_exec(command)
        if await SSHTerminal(process, self, record).write_bulk(output):
            process.exit(status)

    # ---- management access (ManagementAccess) --------------------------------------------
    def cut_access(self) -> None:
        """Drop every session at once and stop listening (new connections are refused), as
        a firewall rule on the management address would; `restore_access` undoes it."""
        if self.access_cut:
            return
        self.access_cut = True
        for conn in list(self.connections):
            conn.abort()
        for writer in list(self._api_writers):
            writer.transport.abort()
        servers = [s for s in (self._ssh, self._api) if s is not None]
        self._ssh = self._api = None
        for server in servers:
            server.close()
        self._spawn(self._wait_closed(servers))
        log.info("%s: management access cut", self.spec.hostname)

    def restore_access(self) -> None:
        """Listen again (the change that cut access was undone)."""
        if not self.access_cut:
            return
        self.access_cut = False
        if "unreachable" not in self.faults:
            self._spawn(self._listen())
        log.info("%s: management access back", self.spec.hostname)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _wait_closed(servers: list[Any]) -> None:
        for server in servers:
            with contextlib.suppress(Exception):
                await server.wait_closed()

    # ---- faults ---------------------------------------------------------------------------
    async def apply_fault(self, name: str, value: str | None) -> None:
        """Turn on a fault (already validated by `faults.check_fault`)."""
        if name in DEVICE_FAULTS:
            self.personality.apply_fault(name, value)
            self.faults[name] = value
            return
        self.faults[name] = value
        if name == "unreachable":
            await self._stop_listening(abort_sessions=value != "drop")
            if value == "drop":
                self._set_reachable(False)
                await self._listen_drop()
        elif name == "host-key-changed":
            self.active_key = hostkeys.new_host_key(self.spec.platform)
            if "unreachable" not in self.faults:
                await self._stop_listening(abort_sessions=False)
                await self._listen()

    async def clear(self) -> None:
        """Clear every fault: listeners, host key and personality back to normal."""
        transport = {"unreachable", "host-key-changed"} & set(self.faults)
        self.faults.clear()
        self.personality.clear_faults()
        if self.access_cut:
            self.access_cut = False
            transport.add("cut")
        if transport:
            self._set_reachable(True)
            self.active_key = self.host_key
            await self._stop_listening(abort_sessions=False)
            await self._listen()

    async def reset(self) -> None:
        """Put the device back exactly as seeded at lab start (``lab reset``): every fault
        cleared, the personality's configuration and state reset in place, the spec's faults
        on again, the history emptied. The listeners and the host key stay as they are
        (unless a fault had changed them); open sessions stay open."""
        reset = getattr(self.personality, "reset", None)
        if reset is None:
            raise LabError(
                f"the {self.spec.platform} personality of {self.spec.hostname} cannot reset",
                hint="restart the lab (netrawat lab down, then up)",
            )
        await self.clear()
        reset()
        for name, value in self.spec.faults.items():
            await self.apply_fault(name, value)
        self.history.clear()

    def _set_reachable(self, reachable: bool) -> None:
        """Vanish or come back for the open sessions: while gone, their incoming bytes are
        not read (no replies, not even SSH keepalives: TCP silence) and terminals hold their
        output (`wait_reachable`); nothing is closed, as when a box loses power or its link."""
        transports = [getattr(conn, "_transport", None) for conn in self.connections]
        transports += [writer.transport for writer in self._api_writers]
        for transport in transports:
            if isinstance(transport, asyncio.ReadTransport) and not transport.is_closing():
                if reachable:
                    transport.resume_reading()
                else:
                    transport.pause_reading()
        if reachable:
            self._reachable.set()
        else:
            self._reachable.clear()

    def history_entries(self) -> list[dict[str, Any]]:
        """The history as JSON-able entries, oldest first."""
        keys = ("time", "session", "kind", "line")
        return [dict(zip(keys, entry, strict=True)) for entry in self.history]

    def status(self) -> dict[str, Any]:
        """A JSON-able summary for ``lab status``."""
        spec = self.spec
        return {
            "hostname": spec.hostname,
            "opd": spec.opd,
            "role": spec.role,
            "platform": spec.platform,
            "address": spec.address,
            "port": spec.port,
            "api_port": spec.api_port,
            "listening": self._ssh is not None,
            "management_cut": self.access_cut,
            "sessions": len(self.connections),
            "faults": dict(self.faults),
            "host_key": hostkeys.public_line(self.active_key),
        }
