"""Why a host failed: ONE classifier, by exception class, for every playbook, the recap and the
notifications.

    failure = classify(exc, known_hosts)      # Failure(kind="auth", reason="...", ...)
    failure.session_made                      # False: no session could be made at all

The kinds (``Failure.kind``) and what they mean:

========== ================================================================ ============
kind       what happened                                                    session made
========== ================================================================ ============
host-key   the SSH host key is unknown (strict mode) or CHANGED: refused    no
auth       the device refused the login (SSH or RouterOS API)               no
refused    the TCP connection was refused (port closed)                     no
connect    no session: TCP timeout, no SSH banner, SSH negotiation failed   no
timeout    logged in, then the device stopped answering (read timeout)      yes
device     the device answered a command with one of its error strings      yes
check      netrawat refused what the device sent (a backup check)           yes
internal   anything else: a bug or a library's surprise (see the run log)   yes
========== ================================================================ ============

Library exceptions are matched by class, walking the exception chain (client libraries wrap
the error that names the real cause: netmiko reports a refused port as a timeout).
"""

from __future__ import annotations

import socket
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from netrawat.errors import DeviceCommandError, NetrawatError, exception_chain

MAX_REASON = 300

NO_SESSION = frozenset({"host-key", "auth", "refused", "connect"})
"""Kinds where no session to the device could be made."""


@dataclass(frozen=True)
class Failure:
    """Why one host failed, as a kind (see the module table) and one line for people."""

    kind: str
    reason: str
    hint: str = ""

    @property
    def session_made(self) -> bool:
        """Whether netrawat got a working session before it failed (unreachable otherwise)."""
        return self.kind not in NO_SESSION

    def one_line(self) -> str:
        return f"{self.reason} (hint: {self.hint})" if self.hint else self.reason


def _first_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:MAX_REASON]


def _described(label: str, exc: BaseException) -> str:
    detail = _first_line(exc)
    return f"{label} ({detail})" if detail else label


def _refused(chain: Iterable[BaseException]) -> BaseException | None:
    """A refused TCP connection anywhere under the error (paramiko's NoValidConnectionsError
    keeps one error per address it tried)."""
    for link in chain:
        if isinstance(link, ConnectionRefusedError):
            return link
        nested = getattr(link, "errors", None)
        refusals = nested.values() if isinstance(nested, dict) else ()
        if refusals and all(isinstance(e, ConnectionRefusedError) for e in refusals):
            return next(iter(refusals))
    return None


def _library_kind(link: BaseException) -> tuple[str, str] | None:
    """(kind, label) for a client library's exception class, else None.

    Imported here: the libraries are loaded by then (they raised), and the CLI stays light.
    """
    import paramiko
    from librouteros import exceptions as ros
    from napalm.base import exceptions as napalm
    from netmiko import exceptions as netmiko

    table: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], str, str], ...] = (
        (
            (netmiko.NetmikoAuthenticationException, paramiko.AuthenticationException),
            "auth",
            "authentication failed",
        ),
        (napalm.ConnectAuthError, "auth", "authentication failed"),
        (netmiko.ReadTimeout, "timeout", "device stopped answering"),
        (netmiko.NetmikoTimeoutException, "connect", "cannot connect: timed out"),
        ((napalm.ConnectTimeoutError, napalm.ConnectionException), "connect", "cannot connect"),
        (ros.ConnectionClosed, "timeout", "the RouterOS API closed the connection"),
        ((ros.TrapError, ros.MultiTrapError), "device", "the RouterOS API refused a command"),
        (
            (paramiko.SSHException, paramiko.ssh_exception.NoValidConnectionsError),
            "connect",
            "SSH failed",
        ),
        ((TimeoutError, socket.timeout), "connect", "cannot connect: timed out"),
        (OSError, "connect", "cannot connect"),
    )
    for classes, kind, label in table:
        if isinstance(link, classes):
            return kind, label
    return None


def _kind_of(link: BaseException) -> str | None:
    known = _library_kind(link)
    return known[0] if known is not None else None


def classify(exc: BaseException | None, known_hosts: Path | None = None) -> Failure:
    """Why ``exc`` failed a host (see the module table); None means an unexplained failure."""
    if exc is None:
        return Failure("internal", "failed without an error (see the run log)")
    from netrawat.hostkeys import explain

    hostkey = explain(exc, known_hosts)
    if hostkey is not None:
        return Failure("host-key", " ".join(hostkey.message.split()), hostkey.hint)
    chain = list(exception_chain(exc))
    refused = _refused(chain)
    if refused is not None:
        return Failure("refused", _described("cannot connect: connection refused", refused))
    own = next((e for e in chain if isinstance(e, NetrawatError)), None)
    if own is not None:
        kind = "device" if isinstance(own, DeviceCommandError) else _own_kind(own)
        return Failure(kind, " ".join(own.message.split())[:MAX_REASON], own.hint)
    for link in chain:
        known = _library_kind(link)
        if known is not None:
            # the words come from the innermost error of the same kind: netmiko's wrapper
            # says "A paramiko SSHException occurred...", paramiko says what (no SSH banner)
            said = [e for e in chain[chain.index(link) :] if _kind_of(e) == known[0] and str(e)]
            return Failure(known[0], _described(known[1], said[-1] if said else link))
    return Failure("internal", f"{type(exc).__name__}: {_first_line(exc)}".rstrip(": "))


def _own_kind(exc: NetrawatError) -> str:
    """netrawat's own errors: a check refusing output names its ``check``."""
    return "check" if getattr(exc, "check", None) else "device"


def root_exception(exceptions: Iterable[BaseException | None]) -> BaseException | None:
    """The exception that failed a host, from its task and subtask results in order: netrawat's
    own error if one was raised, else the innermost one (not Nornir's subtask wrapper)."""
    from nornir.core.exceptions import NornirSubTaskError

    found = [e for e in exceptions if e is not None]
    own = [e for e in found if isinstance(e, NetrawatError)]
    if own:
        return own[0]
    real = [e for e in found if not isinstance(e, NornirSubTaskError)]
    chosen = real or found
    return chosen[-1] if chosen else None
