"""One SSH server process serving every replayed device, each on its own loopback address.

    python -m replay.server SPEC.json        (from tests/, as the `replay_fleet` fixture does)

SPEC: ``{"username", "password", "log", "devices": [{"address", "port", "platform",
"device", "greeting", "answers": {command: [text, framed]}}]}``. Prints ``ready`` once every
address listens (or ``error: ...`` and exits 1 when one cannot be bound), then serves until
its standard input closes (the test process ended). Every line a client types is appended to
``log`` as JSON (address, line, whether it was recorded), so tests can tell what was asked.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
from pathlib import Path
from typing import Any

import asyncssh

from replay.device import DeviceSpec, Replay


class _Auth(asyncssh.SSHServer):
    """Password login with the throwaway credentials (RouterOS login options after ``+``)."""

    def __init__(self, username: str, password: str) -> None:
        self._username, self._password = username, password

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return username.split("+", 1)[0] == self._username and password == self._password


class _Log:
    def __init__(self, path: Path) -> None:
        self._file = path.open("a", encoding="utf-8", buffering=1)

    def write(self, address: str, line: str, recorded: bool) -> None:
        self._file.write(json.dumps({"address": address, "line": line, "recorded": recorded}))
        self._file.write("\n")


def _session(spec: DeviceSpec, address: str, log: _Log) -> Any:
    async def run(process: asyncssh.SSHServerProcess[str]) -> None:
        replay = Replay(spec, process.get_extra_info("username") or "")
        if process.command is not None:  # exec request: one command, then the channel closes
            log.write(address, process.command, process.command.strip() in spec.answers)
            process.stdout.write(spec.answers.get(process.command.strip(), ("", False))[0])
            process.exit(0)
            return
        process.stdout.write(replay.greeting())
        await _lines(process, replay, address, log)
        process.exit(0)

    return run


async def _lines(
    process: asyncssh.SSHServerProcess[str], replay: Replay, address: str, log: _Log
) -> None:
    """Answer every line typed (``\\r``, ``\\n`` or ``\\r\\n`` ends one) until quit or EOF."""
    buffer, after_cr = "", False
    while True:
        try:
            data = await process.stdin.read(4096)
        except (asyncssh.BreakReceived, asyncssh.TerminalSizeChanged):
            continue
        if not data:
            return
        for char in data:
            if after_cr and char == "\n":
                after_cr = False
                continue
            after_cr = char == "\r"
            if char not in "\r\n":
                buffer += char
                continue
            line, buffer = buffer, ""
            log.write(address, line, line.strip() in replay.spec.answers)
            if replay.closes_on(line):
                return
            process.stdout.write(replay.reply(line))


async def serve(spec: dict[str, Any]) -> list[asyncssh.SSHAcceptor]:
    key = asyncssh.generate_private_key("ssh-ed25519")
    log = _Log(Path(spec["log"]))
    servers = []
    for dev in spec["devices"]:
        device = DeviceSpec(
            dev["platform"],
            dev["device"],
            dev["greeting"],
            {k: (v[0], bool(v[1])) for k, v in dev["answers"].items()},
        )
        servers.append(
            await asyncssh.create_server(
                lambda: _Auth(spec["username"], spec["password"]),
                dev["address"],
                dev["port"],
                server_host_keys=[key],
                process_factory=_session(device, dev["address"], log),
                line_editor=False,
                encoding="utf-8",
                reuse_address=False,
            )
        )
    return servers


def _exit_when_parent_goes() -> None:
    sys.stdin.read()
    os._exit(0)


async def main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    try:
        await serve(spec)
    except OSError as exc:
        print(f"error: {exc}", flush=True)
        return 1
    print("ready", flush=True)
    threading.Thread(target=_exit_when_parent_goes, daemon=True).start()
    await asyncio.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1])))
