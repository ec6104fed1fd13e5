"""The state directory: everything a run keeps between runs.

Layout (created on first use, owner-only permissions)::

    <state>/
      configs/          git repository of sanitized backups, <opd>/<hostname>.<ext>
      private/          optional unsanitized copies (mode 0700, never in git)
      quarantine/       outputs that failed verification, per run
      recap.sqlite      the recap database (default; a PostgreSQL URL may replace it)
      known_hosts       pinned SSH host keys (OpenSSH format)
      versions.json     each host's OS release at its last good backup (a cache)
      health/           last health results per host (for counter growth)
      logs/             one log file per run
      locks/            run locks
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from netrawat.errors import CannotRunError
from netrawat.paths import default_state_dir

UNUSABLE_HINT = "pass --state DIR (or set NETRAWAT_STATE) to a writable directory"
UNUSABLE_ERRNOS = frozenset(
    {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EIO}
)
"""OSError numbers that mean "this state directory cannot be used" (exit 3), not a bug."""


def unusable(exc: OSError, what: str) -> CannotRunError:
    """A one-line exit-3 error for an OSError met on ``what`` (a path)."""
    name = exc.filename or what
    advice = {
        errno.ENOSPC: "free disk space on that file system",
        errno.EDQUOT: "free disk space on that file system (quota)",
        errno.EROFS: "the file system is read-only: " + UNUSABLE_HINT,
    }.get(exc.errno or 0, UNUSABLE_HINT)
    return CannotRunError(f"cannot use {name}: {exc.strerror or exc}", advice)


def check_owner_only(path: Path, what: str) -> None:
    """Refuse ``path`` if another user owns it or group/others may write it (a planted file
    or directory would decide what netrawat trusts or where it writes)."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise CannotRunError(
            f"{what} {path} is a symbolic link", f"use the real path, or remove {path}"
        )
    if info.st_uid != os.geteuid():
        raise CannotRunError(
            f"{what} {path} belongs to another user (uid {info.st_uid})",
            f"use a state directory of your own (--state DIR), or chown {path}",
        )
    if info.st_mode & 0o022:
        raise CannotRunError(
            f"{what} {path} is writable by group or others (mode {stat.S_IMODE(info.st_mode):o})",
            f"chmod go-w {path} (netrawat creates it 0700/0600)",
        )


def write_owner_only(path: Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` atomically, mode 0600: a new temporary file opened with
    ``O_EXCL|O_NOFOLLOW`` (a planted file or link is never written through), then renamed."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    fd = os.open(tmp, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


@dataclass(frozen=True)
class StateDir:
    """Paths inside one state directory."""

    root: Path

    @classmethod
    def resolve(cls, path: Path | None) -> StateDir:
        """The state directory named on the command line, or the default; created if missing."""
        state = cls((path or default_state_dir()).expanduser().resolve())
        state.ensure()
        return state

    def ensure(self) -> None:
        """Create the directory tree, or fail with a hint (exit 3) if it cannot be used: not
        writable (read-only, full disk: a probe is written), or not safe (owned by another
        user, writable by group/others; the same for ``known_hosts``)."""
        check_owner_only(self.root, "state directory")
        try:
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            check_owner_only(self.root, "state directory")
            for sub in (self.logs, self.locks, self.quarantine, self.health):
                sub.mkdir(exist_ok=True, mode=0o700)
                check_owner_only(sub, "state directory")
            check_owner_only(self.known_hosts, "known_hosts file")
            self._probe()
        except OSError as exc:
            raise CannotRunError(
                f"state directory {self.root} is unusable: {exc.strerror}",
                _hint_for(exc),
            ) from exc

    def _probe(self) -> None:
        """Write, sync and remove one small file: a read-only or full file system shows now,
        before anything connects, not half-way through a run."""
        probe = self.root / f".probe-{os.getpid()}-{secrets.token_hex(4)}"
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            os.write(fd, b"netrawat" * 512)
            os.fsync(fd)
        finally:
            os.close(fd)
            probe.unlink(missing_ok=True)

    @property
    def configs(self) -> Path:
        return self.root / "configs"

    @property
    def private(self) -> Path:
        return self.root / "private"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def recap_db(self) -> Path:
        return self.root / "recap.sqlite"

    @property
    def known_hosts(self) -> Path:
        return self.root / "known_hosts"

    @property
    def versions(self) -> Path:
        return self.root / "versions.json"

    @property
    def health(self) -> Path:
        return self.root / "health"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def locks(self) -> Path:
        return self.root / "locks"


def _hint_for(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "free disk space on that file system, or " + UNUSABLE_HINT
    return UNUSABLE_HINT


def parse_state_option(value: str) -> Path:
    """``--state`` as typed: an empty value is refused (it would silently be the working
    directory); raises ValueError, which the CLI reports as a bad value (exit 2)."""
    if not value.strip():
        raise ValueError("the state directory is empty: name a directory, e.g. ~/netrawat")
    return Path(value)
