"""One exception hierarchy. Every error a user can meet carries a one-line message and a hint.

The CLI turns a `NetrawatError` into ``error: <message> (hint: <hint>)`` on stderr and exits
with the error's `exit_code`. Per-host failures inside Nornir tasks are raised as
`DeviceError` subclasses and end up as failed `Result`s, never as a crash of the run.
"""

from __future__ import annotations

from collections.abc import Iterator

from netrawat.exitcodes import ExitCode


class NetrawatError(Exception):
    """Base of every error netrawat raises on purpose."""

    exit_code: ExitCode = ExitCode.BAD_INPUT
    default_hint: str = ""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint if hint is not None else self.default_hint

    def one_line(self) -> str:
        """The message and hint as one line, with newlines folded away."""
        text = " ".join(self.message.split())
        if self.hint:
            text += f" (hint: {' '.join(self.hint.split())})"
        return text


class InputError(NetrawatError):
    """Bad input on the command line or in a file the user gave us (exit code 2)."""


class InventoryError(InputError):
    """The inventory is broken: nothing runs on it (exit code 2)."""


class CredentialsError(InputError):
    """Credentials are missing or stored unsafely (exit code 2)."""


class CannotRunError(NetrawatError):
    """The run cannot start at all: lock held, state unusable, lab not running (exit code 3)."""

    exit_code = ExitCode.CANNOT_RUN


class LockHeldError(CannotRunError):
    """Another netrawat run holds the lock on this state directory."""


class DeviceError(NetrawatError):
    """A failure on one device. Raised inside a task; Nornir turns it into a failed Result."""

    exit_code = ExitCode.HOSTS_FAILED


class DeviceCommandError(DeviceError):
    """The device answered a command with one of its platform's error strings."""


class HostKeyError(DeviceError):
    """The device's SSH host key is unknown (strict mode) or has changed."""

    changed: bool = False
    """True when the device presents a key other than the pinned one (not merely unknown)."""


def exception_chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and what it was raised from or during (``__cause__`` / ``__context__``), in
    order, each once: client libraries wrap the error that names the real cause."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__
