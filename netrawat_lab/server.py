"""The lab process: one asyncio loop serving every device of a fleet file, plus a control socket.

Run by ``netrawat lab up`` as ``python -m netrawat_lab.server --dir DIR`` (detached, its own
session, output in ``DIR/lab.log``). It reads ``DIR/fleet.yaml``, starts a `DeviceServer` per
device, and only then opens the control socket, so a successful ``ping`` means every device
accepts connections.

Control protocol (unix socket, one JSON object per line each way): ``{"op": "ping"}``,
``{"op": "status"}``, ``{"op": "fault", "host": H, "name": F, "value": V}``,
``{"op": "clear", "host": H}``, ``{"op": "reset", "host": H}`` (back as seeded at start;
without host: every device), ``{"op": "history", "host": H}``,
``{"op": "snapshot", "host": H}``, ``{"op": "stop"}``. Answers are ``{"ok": true, ...}`` or
``{"ok": false, "error": "...", "hint": "..."}``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from netrawat_lab import hostkeys, layout
from netrawat_lab.device_server import DeviceServer
from netrawat_lab.errors import LabError
from netrawat_lab.faults import check_fault
from netrawat_lab.fleetfile import load_fleet
from netrawat_lab.personalities import make_personality
from netrawat_lab.spec import DeviceSpec
from netrawat_lab.timescale import check_minute

log = logging.getLogger("netrawat_lab")
START_BATCH = 64
OWNER_POLL_SECONDS = 1.0

Handler = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]


class LabServer:
    """Every device of the lab and the control socket that changes them."""

    def __init__(
        self,
        lab_dir: Path,
        specs: list[DeviceSpec],
        latency_ms: int = 0,
        owner_pid: int | None = None,
    ) -> None:
        self.lab_dir = lab_dir
        self.owner_pid = owner_pid
        keys = hostkeys.load_or_create_all(
            lab_dir / layout.HOSTKEYS, ((spec.hostname, spec.platform) for spec in specs)
        )
        self.devices: dict[str, DeviceServer] = {
            spec.hostname: DeviceServer(
                spec, make_personality(spec), keys[spec.hostname], latency_ms
            )
            for spec in specs
        }
        self._stopped = asyncio.Event()
        self._control: asyncio.Server | None = None
        self._handlers: dict[str, Handler] = {
            "ping": self._ping,
            "status": self._status,
            "fault": self._fault,
            "clear": self._clear,
            "reset": self._reset,
            "history": self._history,
            "snapshot": self._snapshot,
            "stop": self._stop,
        }

    async def start(self) -> None:
        """Start every device (in batches), then open the control socket."""
        devices = list(self.devices.values())
        for first in range(0, len(devices), START_BATCH):
            await asyncio.gather(*(d.start() for d in devices[first : first + START_BATCH]))
        socket_path = layout.control_socket(self.lab_dir)
        with contextlib.suppress(FileNotFoundError):
            socket_path.unlink()
        self._control = await asyncio.start_unix_server(self._serve_control, path=str(socket_path))
        os.chmod(socket_path, 0o600)
        log.info("lab ready: %d devices, control socket %s", len(devices), socket_path)

    async def run(self) -> None:
        """Serve until ``stop`` or SIGTERM/SIGINT, then close everything."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._stopped.set)
        await self.start()
        watch = asyncio.create_task(self._watch_owner()) if self.owner_pid else None
        await self._stopped.wait()
        if watch is not None:
            watch.cancel()
        await self.shutdown()

    async def _watch_owner(self) -> None:
        """Stop when the owning process (a test session) is gone, even if it was killed."""
        status = Path(f"/proc/{self.owner_pid}/stat")
        while True:
            await asyncio.sleep(OWNER_POLL_SECONDS)
            try:
                state = status.read_text().rsplit(")", 1)[-1].split()[0]
            except OSError:
                state = "gone"
            if state in {"gone", "Z", "X"}:
                log.info("owner process %s is gone: stopping", self.owner_pid)
                self._stopped.set()
                return

    async def shutdown(self) -> None:
        """Close the control socket and every device."""
        if self._control is not None:
            self._control.close()
        await asyncio.gather(*(d.stop() for d in self.devices.values()), return_exceptions=True)
        with contextlib.suppress(FileNotFoundError):
            layout.control_socket(self.lab_dir).unlink()
        log.info("lab stopped")

    # ---- control socket -------------------------------------------------------------------
    async def _serve_control(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            while line := await reader.readline():
                answer = await self.answer(line)
                writer.write(json.dumps(answer).encode() + b"\n")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass  # client gone, or the lab is shutting down: nothing to answer
        finally:
            writer.close()

    async def answer(self, line: bytes) -> dict[str, Any]:
        """The answer to one control request line."""
        try:
            request = json.loads(line)
            handler = self._handlers.get(str(request.get("op")))
            if handler is None:
                return {"ok": False, "error": f"unknown op {request.get('op')!r}"}
            return await handler(request)
        except LabError as exc:
            return {"ok": False, "error": exc.message, "hint": exc.hint}
        except (ValueError, AttributeError) as exc:
            return {"ok": False, "error": f"bad control request: {exc}"}
        except Exception as exc:  # a personality refusing a fault value, an address taken...
            log.exception("control request failed")
            return {"ok": False, "error": f"the lab could not do it: {exc}", "hint": "see lab.log"}

    def _device(self, request: dict[str, Any]) -> DeviceServer:
        host = str(request.get("host"))
        device = self.devices.get(host)
        if device is None:
            raise LabError(
                f"the lab has no device {host!r}", hint="netrawat lab status --dir DIR lists them"
            )
        return device

    async def _ping(self, _request: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "pid": os.getpid(), "devices": len(self.devices)}

    async def _status(self, _request: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "pid": os.getpid(),
            "devices": [d.status() for d in self.devices.values()],
        }

    async def _fault(self, request: dict[str, Any]) -> dict[str, Any]:
        device = self._device(request)
        value = request.get("value")
        name, value = check_fault(str(request.get("name")), None if value is None else str(value))
        await device.apply_fault(name, value)
        return {"ok": True, "faults": dict(device.faults)}

    async def _clear(self, request: dict[str, Any]) -> dict[str, Any]:
        device = self._device(request)
        await device.clear()
        return {"ok": True, "faults": {}}

    async def _reset(self, request: dict[str, Any]) -> dict[str, Any]:
        """One device (``host``) or, without one, every device back to as seeded."""
        devices = [self._device(request)] if request.get("host") else list(self.devices.values())
        for device in devices:
            await device.reset()
        return {"ok": True, "reset": [d.spec.hostname for d in devices]}

    async def _history(self, request: dict[str, Any]) -> dict[str, Any]:
        device = self._device(request)
        entries = device.history_entries()
        if request.get("reset"):
            device.history.clear()
        return {"ok": True, "history": entries}

    async def _snapshot(self, request: dict[str, Any]) -> dict[str, Any]:
        device = self._device(request)
        return {
            "ok": True,
            "status": device.status(),
            "snapshot": dict(device.personality.snapshot()),
        }

    async def _stop(self, _request: dict[str, Any]) -> dict[str, Any]:
        self._stopped.set()
        return {"ok": True}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the detached lab process."""
    parser = argparse.ArgumentParser(prog="python -m netrawat_lab.server")
    parser.add_argument("--dir", required=True, type=Path)
    parser.add_argument("--latency", type=int, default=0, help="base latency per reply, ms")
    parser.add_argument("--owner", type=int, default=None, help="stop when this pid is gone")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    try:
        check_minute(os.environ)
        specs = load_fleet(args.dir / layout.FLEET)
        server = LabServer(args.dir, specs, args.latency, args.owner)
        asyncio.run(server.run())
    except LabError as exc:
        log.error("lab cannot start: %s", exc.one_line())
        return int(exc.exit_code)
    except OSError as exc:
        log.error("lab cannot start: %s", exc)
        return 3
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
