"""The notifier contract: a `Message` goes out through any object with ``name`` and ``send``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from netrawat.errors import NetrawatError
from netrawat.exitcodes import ExitCode


class NotifyError(NetrawatError):
    """A notification could not be delivered (the run itself is not undone)."""

    exit_code = ExitCode.HOSTS_FAILED


@dataclass(frozen=True)
class Message:
    """What every channel sends: a subject line and a plain-text body."""

    subject: str
    body: str

    @property
    def text(self) -> str:
        """Subject and body as one text (chat channels have no subject)."""
        return f"{self.subject}\n\n{self.body}"


class Notifier(Protocol):
    """One channel. ``send`` raises `NotifyError` (with a hint) when delivery fails."""

    name: str

    def send(self, message: Message) -> None: ...


@dataclass(frozen=True)
class Delivery:
    """The outcome of sending one message through one notifier."""

    notifier: str
    ok: bool
    error: str = ""

    def to_json(self) -> dict[str, object]:
        return {"notifier": self.notifier, "ok": self.ok, "error": self.error}
