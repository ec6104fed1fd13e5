"""SSH host keys: strict checking against ``<state>/known_hosts``, trust on first use on request.

Every SSH connection netrawat opens (netmiko, and NAPALM ios through netmiko) rejects a host
whose key is not pinned (`paramiko.RejectPolicy`) and refuses a key that differs from the
pinned one (`paramiko.BadHostKeyException`). ``--trust-new-hosts`` adds a pre-step,
`pin_new_hosts`, that fetches the key of every host not yet pinned and appends it to the file;
it never touches a host that is already pinned, so a changed key is always refused.

paramiko reports an unknown key as ``SSHException("Server '[addr]:port' not found in
known_hosts")`` and a changed one as ``BadHostKeyException``; netmiko re-raises both as
``NetmikoTimeoutException`` (NAPALM then as ``ConnectionException``) with the original as
``__context__``. `explain` walks that chain and gives the per-host message and hint.
"""

from __future__ import annotations

import fcntl
import functools
import socket
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import paramiko
from nornir.core.task import Task

from netrawat.errors import CannotRunError, HostKeyError, exception_chain

SSH_DEFAULT_PORT = 22
_UNKNOWN_MARK = "not found in known_hosts"
_CHANGED_MARK = "does not match"
_write_lock = threading.Lock()
_cut_from: dict[str, Path] = {}
"""A per-host file of `cut_known_hosts` -> the known_hosts it was cut from (for messages)."""


def known_hosts_name(hostname: str, port: int) -> str:
    """The name OpenSSH and paramiko use in known_hosts: ``addr`` or ``[addr]:port``."""
    return hostname if port == SSH_DEFAULT_PORT else f"[{hostname}]:{port}"


def strict_ssh_args(known_hosts: Path) -> dict[str, Any]:
    """netmiko ``ConnectHandler`` arguments making it strict against our known_hosts only."""
    return {
        "ssh_strict": True,
        "system_host_keys": False,
        "alt_host_keys": True,
        "alt_key_file": str(known_hosts),
    }


@dataclass(frozen=True)
class Endpoint:
    """An SSH server to pin: the host's inventory name and its management address."""

    name: str
    hostname: str
    port: int

    @property
    def key_name(self) -> str:
        return known_hosts_name(self.hostname, self.port)


def load_known_hosts(known_hosts: Path) -> paramiko.HostKeys:
    """The pinned keys (empty when the file does not exist yet); ``.lookup(name)`` also
    finds hashed entries."""
    if not known_hosts.is_file():
        return paramiko.HostKeys()
    try:
        return paramiko.HostKeys(str(known_hosts))
    except (paramiko.hostkeys.InvalidHostKey, OSError, UnicodeDecodeError) as exc:
        raise CannotRunError(
            f"{known_hosts}: unreadable pinned host key ({exc.args[0] if exc.args else exc})",
            "fix or delete that line; a deleted host is pinned again with --trust-new-hosts",
        ) from exc


def is_pinned(known_hosts: Path, hostname: str, port: int) -> bool:
    """Whether a key for ``hostname:port`` is in the file (hashed entries included)."""
    return load_known_hosts(known_hosts).lookup(known_hosts_name(hostname, port)) is not None


def _name_pinned(text: str, name: str, known_hosts: Path) -> bool:
    """Whether known_hosts ``text`` has a key for ``name``: a plain text scan (pinning a
    fleet re-checks the file once per host; parsing every key each time is quadratic), with
    paramiko's parser only for hashed (``|1|``) entries."""
    if "|1|" in text:
        return load_known_hosts(known_hosts).lookup(name) is not None
    return name in _index_text(text)[0]


@functools.cache
def _usable_key_types() -> frozenset[str]:
    """The key types paramiko reads in known_hosts: a line of another type (``ssh-dss`` since
    paramiko 4, an ``sk-`` key) is skipped by its lookup, so it pins nothing here either."""
    return frozenset(name for kind in paramiko.key_classes for name in kind.identifiers())


def fetch_host_key(hostname: str, port: int, timeout: float) -> paramiko.PKey:
    """The host key the SSH server at ``hostname:port`` presents (no authentication)."""
    sock = socket.create_connection((hostname, port), timeout=timeout)
    transport = paramiko.Transport(sock)
    transport.banner_timeout = timeout
    try:
        transport.start_client(timeout=timeout)
        return transport.get_remote_server_key()
    finally:
        transport.close()


def pin_key(known_hosts: Path, hostname: str, port: int, key: paramiko.PKey) -> bool:
    """Append ``key`` for ``hostname:port`` unless one is pinned already. True if written.

    Thread-safe and process-safe (a lock plus ``flock``); the check is repeated under the
    lock so two runs never pin two different keys for one host.
    """
    name = known_hosts_name(hostname, port)
    with _write_lock, open(known_hosts, "a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            handle.seek(0)
            if _name_pinned(handle.read(), name, known_hosts):
                return False
            handle.write(f"{name} {key.get_name()} {key.get_base64()}\n")
            handle.flush()
            return True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class PinReport:
    """What a trust-on-first-use pass did."""

    pinned: list[str] = field(default_factory=list)
    """Host names whose key was pinned now."""
    unreachable: dict[str, str] = field(default_factory=dict)
    """Host name -> why its key could not be fetched (it stays unpinned and will fail)."""


def pin_new_hosts(
    endpoints: Iterable[Endpoint], known_hosts: Path, *, workers: int, timeout: float
) -> PinReport:
    """Trust on first use: fetch and pin the key of every endpoint not yet pinned.

    Endpoints already pinned are never contacted here, so a changed key cannot be accepted.
    """
    known_hosts.parent.mkdir(parents=True, exist_ok=True)
    known_hosts.touch(mode=0o600, exist_ok=True)
    plain, hashed = _plain_index(known_hosts)  # one pass; a lookup per host would be N²
    pinned = load_known_hosts(known_hosts) if hashed else None
    todo = [
        e
        for e in endpoints
        if e.key_name not in plain and (pinned is None or pinned.lookup(e.key_name) is None)
    ]
    report = PinReport()

    def pin_one(endpoint: Endpoint) -> None:
        try:
            key = fetch_host_key(endpoint.hostname, endpoint.port, timeout)
        except (OSError, paramiko.SSHException, EOFError) as exc:
            report.unreachable[endpoint.name] = f"{type(exc).__name__}: {exc}"
            return
        if pin_key(known_hosts, endpoint.hostname, endpoint.port, key):
            report.pinned.append(endpoint.name)

    if todo:
        pool = ThreadPoolExecutor(max_workers=max(1, min(workers, len(todo))))
        try:
            list(pool.map(pin_one, todo))
        except KeyboardInterrupt:  # the hosts queued are skipped, a fetch under way not
            pool.shutdown(wait=False, cancel_futures=True)  # waited for (up to its timeout)
            raise
        pool.shutdown()
    report.pinned.sort()
    return report


def cut_known_hosts(
    known_hosts: Path, endpoints: Iterable[Endpoint], directory: Path
) -> dict[str, Path]:
    """One known_hosts file per endpoint in ``directory``, holding only that host's pinned
    keys (empty when it has none); returns host name -> file.

    paramiko parses the whole file it is given at every connection, a key object per line
    under logging's global lock: one shared file of N hosts costs N² parses per run (1000
    hosts: a million, most of the run's CPU). Strictness is unchanged: a host still meets
    exactly its pinned keys, and an unknown or changed key is refused and reported against
    ``known_hosts`` (see `get_connection`).
    """
    plain, hashed = _plain_index(known_hosts)
    pinned = load_known_hosts(known_hosts) if hashed else None
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    for number, endpoint in enumerate(endpoints):
        lines = plain.get(endpoint.key_name, [])
        if not lines and pinned is not None:  # only hashed entries can still name it
            keys = pinned.lookup(endpoint.key_name) or {}
            lines = [f"{k.get_name()} {k.get_base64()}" for k in keys.values()]
        path = directory / f"host-{number}"
        path.write_text("".join(f"{endpoint.key_name} {line}\n" for line in lines), "utf-8")
        _cut_from[str(path)] = known_hosts
        files[endpoint.name] = path
    return files


def _plain_index(known_hosts: Path) -> tuple[dict[str, list[str]], bool]:
    """Host name -> its ``keytype base64`` entries, from the plain-named lines of
    ``known_hosts``, and whether any line has hashed names (``|1|``, looked up by paramiko).

    One pass over the text: asking paramiko's ``HostKeys.lookup`` per host scans every entry
    each time (N² for a fleet). The file was parsed and checked once already
    (`load_known_hosts`), and each per-host file is parsed again by paramiko when connecting.
    """
    return _index_text(known_hosts.read_text(encoding="utf-8") if known_hosts.is_file() else "")


def _index_text(text: str) -> tuple[dict[str, list[str]], bool]:
    """`_plain_index` of known_hosts ``text``."""
    index: dict[str, list[str]] = {}
    hashed = False
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 3 or fields[0].startswith(("#", "@")):
            continue
        if fields[1] not in _usable_key_types():  # paramiko's lookup skips it too
            continue
        for name in fields[0].split(","):
            if name.startswith("|1|"):
                hashed = True
            else:
                index.setdefault(name, []).append(f"{fields[1]} {fields[2]}")
    return index, hashed


def cut_origins() -> dict[str, str]:
    """Every per-host file `cut_known_hosts` made in this process -> its known_hosts (handed
    to worker processes, whose messages then name the real file)."""
    return {cut: str(origin) for cut, origin in _cut_from.items()}


def restore_cut_origins(origins: dict[str, str]) -> None:
    """Take over another process's `cut_origins`."""
    _cut_from.update({cut: Path(origin) for cut, origin in origins.items()})


def get_connection(task: Task, connection: str) -> Any:
    """``task.host.get_connection(connection)``, with a host-key refusal raised as the clear
    `HostKeyError` (unknown or CHANGED key) instead of a generic connect failure.

    Use it in tasks: ``conn = get_connection(task, "netmiko")``.
    """
    try:
        return task.host.get_connection(connection, task.nornir.config)
    except Exception as exc:
        extras = task.host.get_connection_parameters(connection).extras or {}
        options = extras.get("optional_args", extras)
        known = options.get("alt_key_file")
        host = task.host
        error = explain(
            exc,
            _cut_from.get(known, Path(known)) if known else None,
            known_hosts_name(str(host.hostname), int(host.port or SSH_DEFAULT_PORT)),
        )
        if error is None:
            raise
        raise error from exc


def explain(
    exc: BaseException, known_hosts: Path | None = None, known_as: str | None = None
) -> HostKeyError | None:
    """A `HostKeyError` with message and hint when ``exc`` is a host-key refusal, else None.
    ``known_as``: the server's name in known_hosts (`known_hosts_name`), for the hint.

    Typed exceptions anywhere in the chain win over text matches (netmiko's wrapper repeats
    paramiko's message, but only paramiko's exception carries both keys).
    """
    where = str(known_hosts) if known_hosts else "<state>/known_hosts"
    chain = list(exception_chain(exc))
    for link in chain:
        if isinstance(link, HostKeyError):
            return link
        if isinstance(link, paramiko.BadHostKeyException):
            return changed_key_error(
                link.hostname, link.expected_key, link.key, where, known_as=known_as
            )
    for link in chain:
        text = " ".join(str(link).split())
        if _UNKNOWN_MARK in text:
            return HostKeyError(
                f"unknown SSH host key: {_quoted_server(text)} is not pinned in {where}",
                "run again with --trust-new-hosts to pin it on first use (after checking "
                "that this is really the device)",
            )
        if "Host key for server" in text and _CHANGED_MARK in text:
            error = HostKeyError(
                f"SSH HOST KEY CHANGED: {text}", _changed_hint(where, _quoted_server(text))
            )
            error.changed = True
            return error
    return None


def changed_key_error(
    hostname: str,
    expected: paramiko.PKey,
    got: paramiko.PKey,
    where: str,
    *,
    known_as: str | None = None,
) -> HostKeyError:
    """The loud error for a key that differs from the pinned one."""
    error = HostKeyError(
        f"SSH HOST KEY CHANGED for {hostname}: pinned {expected.fingerprint}, device now "
        f"presents {got.get_name()} {got.fingerprint} - possible man-in-the-middle or a "
        "replaced device; refusing to connect",
        _changed_hint(where, known_as or hostname),
    )
    error.changed = True
    return error


def _changed_hint(where: str, name: str) -> str:
    """``name`` is the server as known_hosts names it (`known_hosts_name`: plain ``ADDR`` on
    port 22, ``[ADDR]:PORT`` otherwise): the ``ssh-keygen -R`` argument that matches.

    >>> "ssh-keygen -R '10.0.0.1' -f" in _changed_hint("kh", known_hosts_name("10.0.0.1", 22))
    True
    >>> "-R '[10.0.0.1]:2222'" in _changed_hint("kh", known_hosts_name("10.0.0.1", 2222))
    True
    """
    if name == "the server":
        name = "ADDR (or [ADDR]:PORT when the port is not 22)"
    return (
        "verify the device on site; only if it was legitimately replaced, remove its line "
        f"with `ssh-keygen -R '{name}' -f {where}` and run with --trust-new-hosts"
    )


def _quoted_server(text: str) -> str:
    start, end = text.find("'"), text.rfind("'")
    return text[start + 1 : end] if 0 <= start < end else "the server"
