"""`SSHTerminal`: the server side of one interactive shell session (implements
`netrawat_lab.contract.Terminal`).

No asyncssh line editor is used: bytes go out exactly as the personality writes them, and
`read_line` does its own echo. ``\\r``, ``\\n`` and ``\\r\\n`` all end a line (a client sending
``\\r\\n`` gets one command, not two). Every line read is recorded in the device's history.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

import asyncssh

BACKSPACES = frozenset("\x7f\x08")
DEFAULT_COLUMNS = 80
"""The width of a shell opened without a pty (what a device assumes)."""
BULK_CHUNK = 16384
CUT_FRACTION = 0.3
"""Where `hang` and `truncate` cut a bulk output (oxidized #1966: 6,000 lines cut at ~1,650)."""


class SessionFaults(Protocol):
    """What a terminal needs to know of its device's session faults (see `DeviceServer`)."""

    def delay_seconds(self) -> float:
        """Latency before each reply: the lab's base latency plus the ``slow`` fault."""

    def has_fault(self, name: str) -> bool:
        """Whether the named fault is on."""

    async def wait_reachable(self) -> None:
        """Wait while the device has vanished (``unreachable=drop``)."""


Recorder = Callable[[str], None]


class SSHTerminal:
    """One shell session of a lab device, over an asyncssh server process."""

    def __init__(
        self,
        process: asyncssh.SSHServerProcess[str],
        faults: SessionFaults,
        record: Recorder,
    ) -> None:
        self._process = process
        self._faults = faults
        self._record = record
        self._buffer = ""
        self._pos = 0
        self._skip_lf = False
        self._eof = False
        self.username: str = str(process.get_extra_info("username") or "")
        width = process.get_terminal_size()[0] if process.get_terminal_type() else 0
        self.columns: int = width or DEFAULT_COLUMNS

    async def _fill_within(self, timeout: float | None) -> bool | None:
        """`_fill`, giving up after ``timeout`` seconds (None: nothing came in time)."""
        if timeout is None:
            return await self._fill()
        try:
            return await asyncio.wait_for(self._fill(), timeout)
        except TimeoutError:
            return None

    async def read_key(self, timeout: float | None = None) -> str | None:
        """Next single key, not echoed and without waiting for Enter (a ``\r\n`` pair is one
        key, ``\r``); ``""`` when ``timeout`` seconds pass first; None once gone."""
        while True:
            if self._pos >= len(self._buffer):
                filled = await self._fill_within(timeout)
                if filled is None:
                    return ""
                if not filled:
                    return None
            char = self._buffer[self._pos]
            self._pos += 1
            if self._skip_lf:
                self._skip_lf = False
                if char == "\n":
                    continue
            self._skip_lf = char == "\r"
            return char

    async def _fill(self) -> bool:
        """Read more input into the (consumed) buffer; False at end of input."""
        if self._eof:
            return False
        try:
            data = await self._process.stdin.read(4096)
        except (asyncssh.Error, ConnectionError, asyncio.IncompleteReadError):
            data = ""
        if not data:
            self._eof = True
            return False
        self._buffer, self._pos = data, 0
        return True

    async def read_line(
        self, echo: bool = True, *, column: int = 0, wrap_at: int = 0, hotkeys: str = ""
    ) -> str | None:
        """Next line without its terminator, echoing it when ``echo``; None once gone.

        ``wrap_at``: the echo breaks onto a new row (``\r\n``) whenever it reaches that
        column, counting from ``column`` (where the cursor stands after the prompt).
        A key of ``hotkeys`` is returned alone at once, without echo (the line typed so far
        is dropped)."""
        line: list[str] = []
        shown: list[str] = []
        cursor = [column]
        while True:
            if self._pos >= len(self._buffer):
                self._echo(shown, echo)
                if not await self._fill():
                    return None
            char = self._buffer[self._pos]
            self._pos += 1
            if self._skip_lf:
                self._skip_lf = False
                if char == "\n":
                    continue
            if char in "\r\n":
                self._skip_lf = char == "\r"
                break
            if char in hotkeys:
                self._echo(shown, echo)
                self._record(f"^{chr(ord(char) + 64)}")
                return char
            _edit(line, shown, char)
            _wrap(shown, cursor, wrap_at, char)
        shown.append("\r\n")
        self._echo(shown, echo)
        text = "".join(line)
        self._record(text if echo else "*" * len(text))
        return text

    def _echo(self, shown: list[str], echo: bool) -> None:
        """Send the echo gathered so far (one write per input chunk, not per character)."""
        if echo and shown and not self._process.is_closing():
            self._process.stdout.write("".join(shown))
        shown.clear()

    async def _pause(self) -> None:
        delay = self._faults.delay_seconds()
        if delay > 0:
            await asyncio.sleep(delay)

    async def write(self, text: str) -> None:
        """Send text after the device's latency."""
        await self._pause()
        await self._send(text)

    async def _send(self, text: str) -> None:
        await self._faults.wait_reachable()
        if self._process.is_closing():
            return
        try:
            for start in range(0, len(text), BULK_CHUNK):
                self._process.stdout.write(text[start : start + BULK_CHUNK])
                await self._process.stdout.drain()
        except (asyncssh.Error, ConnectionError, BrokenPipeError):
            self._eof = True

    async def write_bulk(self, text: str) -> bool:
        """Send a long output; under ``hang``/``truncate`` only its first part (False)."""
        await self._pause()
        if self._faults.has_fault("truncate"):
            await self._send(text[: int(len(text) * CUT_FRACTION)])
            self._drop_connection()
            return False
        if self._faults.has_fault("hang"):
            await self._send(text[: int(len(text) * CUT_FRACTION)])
            await self._process.wait_closed()
            return False
        await self._send(text)
        return True

    def _drop_connection(self) -> None:
        conn = self._process.get_extra_info("connection")
        if conn is not None:
            conn.abort()
        self._eof = True

    def close(self) -> None:
        """End the session from the device side."""
        if not self._process.is_closing():
            self._process.exit(0)


def _wrap(shown: list[str], cursor: list[int], wrap_at: int, char: str) -> None:
    """Count the echoed column and start a new row at ``wrap_at`` (0: never)."""
    if not wrap_at or char in BACKSPACES:
        return
    cursor[0] += 1
    if cursor[0] >= wrap_at:
        shown.append("\r\n")
        cursor[0] = 0


def _edit(line: list[str], shown: list[str], char: str) -> None:
    """Apply one typed character to the line and to what is echoed back."""
    if char in BACKSPACES:
        if line:
            line.pop()
            shown.append("\b \b")
        return
    line.append(char)
    shown.append(char)
