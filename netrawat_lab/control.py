"""Starting, talking to and stopping a lab process (what ``netrawat lab ...`` does).

`start_lab` writes the fleet file, spawns ``python -m netrawat_lab.server`` detached (its own
session, output in ``DIR/lab.log``, pid in ``DIR/lab.pid``) and returns once its control socket
answers, which the server opens only after every device listens. `LabClient` sends control
requests; `stop_lab` asks the process to stop, waits, and cleans a stale pid file.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from netrawat_lab import layout
from netrawat_lab.errors import BAD_INPUT, LabCannotRunError, LabInputError
from netrawat_lab.fleetfile import load_fleet, save_fleet
from netrawat_lab.spec import DeviceSpec
from netrawat_lab.timescale import check_minute

START_TIMEOUT = 120.0
STOP_TIMEOUT = 20.0
SERVER_MODULE = "netrawat_lab.server"


class LabNotRunningError(LabCannotRunError):
    """No lab answers in the given directory."""

    default_hint = "start one with: netrawat lab up --dir DIR"


class LabClient:
    """Control requests to the lab running in ``lab_dir`` (one JSON line each way)."""

    def __init__(self, lab_dir: Path, timeout: float = 30.0) -> None:
        self.lab_dir = lab_dir
        self.timeout = timeout

    def request(self, op: str, **fields: Any) -> dict[str, Any]:
        """Send one request; `LabNotRunningError` if nothing answers, `LabInputError` if refused."""
        path = layout.control_socket(self.lab_dir)
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(self.timeout)
                sock.connect(str(path))
                sock.sendall(json.dumps({"op": op, **fields}).encode() + b"\n")
                answer = _read_line(sock)
        except (FileNotFoundError, ConnectionRefusedError) as exc:
            raise LabNotRunningError(f"no lab is running in {self.lab_dir}") from exc
        except OSError as exc:
            raise LabNotRunningError(f"the lab in {self.lab_dir} does not answer: {exc}") from exc
        if not answer:
            raise LabNotRunningError(f"the lab in {self.lab_dir} hung up without an answer")
        reply: dict[str, Any] = json.loads(answer)
        if not reply.get("ok"):
            raise LabInputError(str(reply.get("error")), hint=str(reply.get("hint") or ""))
        return reply

    def fault(self, host: str, name: str, value: str | None = None) -> dict[str, Any]:
        """Turn on a fault on one device."""
        return self.request("fault", host=host, name=name, value=value)

    def clear(self, host: str) -> dict[str, Any]:
        """Clear every fault of one device."""
        return self.request("clear", host=host)

    def reset(self, host: str | None = None) -> list[str]:
        """Put one device (or, without ``host``, every device) back exactly as seeded at
        lab start; the names of the devices reset."""
        fields = {"host": host} if host else {}
        reset: list[str] = self.request("reset", **fields)["reset"]
        return reset

    def history(self, host: str, reset: bool = False) -> list[dict[str, Any]]:
        """Every line the device received (shell lines and exec commands), oldest first."""
        entries: list[dict[str, Any]] = self.request("history", host=host, reset=reset)["history"]
        return entries

    def status(self) -> list[dict[str, Any]]:
        """One summary per device."""
        devices: list[dict[str, Any]] = self.request("status")["devices"]
        return devices

    def snapshot(self, host: str) -> dict[str, Any]:
        """The personality's view of one device (config text, faults, ...)."""
        snapshot: dict[str, Any] = self.request("snapshot", host=host)["snapshot"]
        return snapshot


def _read_line(sock: socket.socket) -> bytes:
    chunks: list[bytes] = []
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        chunks.append(chunk)
        if chunk.endswith(b"\n"):
            break
    return b"".join(chunks)


# ---- the lab process ------------------------------------------------------------------------
def _process_alive(pid: int, lab_dir: Path) -> bool:
    """Whether ``pid`` is a live (not zombie) lab server process serving ``lab_dir`` (a reused
    pid, even of another lab, is not ours to stop)."""
    with contextlib.suppress(ChildProcessError, OSError):
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False  # our own child, just reaped
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    state = stat.rsplit(")", 1)[-1].split()[0]
    args = cmdline.split(b"\0")
    ours = SERVER_MODULE.encode() in args and str(lab_dir.resolve()).encode() in args
    return state not in {"Z", "X"} and ours


def running_pid(lab_dir: Path) -> int | None:
    """The pid of the lab process of ``lab_dir`` if it is alive (a stale pid file is removed)."""
    pid_file = lab_dir / layout.PID
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    if _process_alive(pid, lab_dir):
        return pid
    pid_file.unlink(missing_ok=True)
    return None


def _log_tail(lab_dir: Path, lines: int = 5) -> str:
    try:
        text = (lab_dir / layout.LOG).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return " | ".join(text.strip().splitlines()[-lines:])


def start_lab(
    lab_dir: Path,
    specs: list[DeviceSpec],
    latency_ms: int = 0,
    *,
    timeout: float = START_TIMEOUT,
    env: Mapping[str, str] | None = None,
    owner_pid: int | None = None,
) -> int:
    """Write the fleet file into ``lab_dir`` and start its lab process; its pid once ready.
    With ``owner_pid`` the lab stops by itself once that process is gone (test sessions)."""
    check_minute({**os.environ, **(env or {})})  # the lab's clock, as exit code 2
    lab_dir.mkdir(parents=True, exist_ok=True)
    if running_pid(lab_dir) is not None:
        raise LabCannotRunError(
            f"a lab is already running in {lab_dir}",
            hint=f"stop it first: netrawat lab down --dir {lab_dir}",
        )
    save_fleet(lab_dir / layout.FLEET, specs)
    load_fleet(lab_dir / layout.FLEET)  # the same checks the lab process makes, as exit code 2
    command = [sys.executable, "-m", SERVER_MODULE, "--dir", str(lab_dir.resolve())]
    command += ["--latency", str(latency_ms)]
    if owner_pid is not None:
        command += ["--owner", str(owner_pid)]
    with open(lab_dir / layout.LOG, "ab") as log:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
            env={**os.environ, **(env or {})},
        )
    (lab_dir / layout.PID).write_text(f"{proc.pid}\n")
    _wait_ready(lab_dir, proc, timeout)
    return proc.pid


def _wait_ready(lab_dir: Path, proc: subprocess.Popen[bytes], timeout: float) -> None:
    client = LabClient(lab_dir, timeout=5.0)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            (lab_dir / layout.PID).unlink(missing_ok=True)
            tail = _log_tail(lab_dir, lines=1)
            hint = f"see {lab_dir / layout.LOG}"
            if "in use" in tail:
                hint = "another lab or program uses these addresses: choose another --block"
            if proc.returncode == BAD_INPUT:  # the fleet was refused (a bad fault value)
                message = tail.split("lab cannot start: ", 1)[-1]
                raise LabInputError(message, hint=f"fix the fleet file; see {lab_dir / layout.LOG}")
            raise LabCannotRunError(
                f"the lab process exited ({proc.returncode}): {tail}", hint=hint
            )
        with contextlib.suppress(LabNotRunningError):
            client.request("ping")
            return
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    (lab_dir / layout.PID).unlink(missing_ok=True)
    raise LabCannotRunError(
        f"the lab did not become ready in {timeout:.0f} s", hint=f"see {lab_dir / layout.LOG}"
    )


def stop_lab(lab_dir: Path, timeout: float = STOP_TIMEOUT) -> bool:
    """Stop the lab of ``lab_dir``; False if none was running (stale files are cleaned)."""
    pid = running_pid(lab_dir)
    if pid is None:
        layout.control_socket(lab_dir).unlink(missing_ok=True)
        return False
    try:
        LabClient(lab_dir, timeout=min(5.0, timeout)).request("stop")
    except (LabNotRunningError, LabInputError):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)  # control socket gone or wedged: ask the OS way
    if not _wait_gone(pid, lab_dir, timeout):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        _wait_gone(pid, lab_dir, 5.0)
    (lab_dir / layout.PID).unlink(missing_ok=True)
    layout.control_socket(lab_dir).unlink(missing_ok=True)
    return True


def _wait_gone(pid: int, lab_dir: Path, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _process_alive(pid, lab_dir):
            return True
        time.sleep(0.05)
    return False
