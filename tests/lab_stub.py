"""A trivial stand-in device personality, for testing the lab server on its own.

The lab server loads it through ``NETRAWAT_LAB_PERSONALITIES=<platform>=lab_stub:StubDevice``
(with this directory on ``PYTHONPATH``): a prompt, echo, a long ``export`` for the bulk faults,
``quit`` to leave. The real RouterOS / IOS personalities are tested by their own suites.
"""

from __future__ import annotations

from collections.abc import Mapping

from netrawat_lab.contract import Terminal
from netrawat_lab.spec import DeviceSpec

EXPORT_LINES = 400


class StubDevice:
    """Answers every line with ``ok: <line>``; ``export`` sends EXPORT_LINES numbered lines."""

    def __init__(self, spec: DeviceSpec) -> None:
        self.spec = spec
        self.platform = spec.platform
        self.faults: dict[str, str | None] = {}

    def login_name(self, sent_username: str) -> str:
        return sent_username.split("+", 1)[0]

    def prompt(self, term: Terminal) -> str:
        return f"[{self.login_name(term.username)}@{self.spec.hostname}] > "

    async def run_shell(self, term: Terminal) -> None:
        await term.write(self.prompt(term))
        while (line := await term.read_line()) is not None:
            if line == "quit":
                return
            if line == "export":
                text = "".join(f"item {n}\r\n" for n in range(EXPORT_LINES)) + "end\r\n"
                if not await term.write_bulk(text):
                    return
            elif line:
                await term.write(f"ok: {line}\r\n")
            await term.write(self.prompt(term))

    async def run_exec(self, command: str) -> tuple[str, int]:
        return f"exec: {command}\n", 0

    def apply_fault(self, name: str, value: str | None) -> None:
        self.faults[name] = value

    def clear_faults(self) -> None:
        self.faults.clear()

    def reset(self) -> None:
        self.faults.clear()  # a stub has nothing else to put back

    def snapshot(self) -> Mapping[str, object]:
        return {"config": "stub", "faults": dict(self.faults)}


class NoResetDevice(StubDevice):
    """A personality written before ``reset`` existed (it has no such method)."""

    reset = None  # type: ignore[assignment]
