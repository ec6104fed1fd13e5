"""Device credentials: a secrets file outside git (mode 0600) and NETRAWAT_* env variables.

File format (YAML)::

    defaults: {username: netops, password: ..., enable_secret: ...}
    groups:   {opd_dinkes: {password: ...}}
    hosts:    {RTR-DINKES: {username: ..., password: ...}}
    notify:   {...}                       # read by the notification code, not here

Which file: ``--secrets FILE`` / ``$NETRAWAT_SECRETS``, else ``<inventory>/secrets.yaml``, else
``~/.config/netrawat/secrets.yaml``; none at all is fine when the env variables suffice.
Precedence, lowest first: file ``defaults``, env ``NETRAWAT_USERNAME`` / ``NETRAWAT_PASSWORD`` /
``NETRAWAT_ENABLE_SECRET``, the host's groups (first listed group wins, as in Nornir), the host.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nornir.core.inventory import Host

from netrawat.errors import CredentialsError, InventoryError
from netrawat.inventory.model import all_groups
from netrawat.inventory.yamlfile import load_mapping

CREDENTIAL_FIELDS = ("username", "password", "enable_secret")
SECTIONS = ("defaults", "groups", "hosts", "notify")
ENV_VARS = {
    "username": "NETRAWAT_USERNAME",
    "password": "NETRAWAT_PASSWORD",
    "enable_secret": "NETRAWAT_ENABLE_SECRET",
}
USER_SECRETS = Path("~/.config/netrawat/secrets.yaml")


@dataclass(frozen=True)
class Credentials:
    """What one host logs in with."""

    username: str
    password: str
    enable_secret: str = ""


@dataclass(frozen=True)
class Secrets:
    """The parsed secrets file (possibly none) plus the environment."""

    path: Path | None
    defaults: dict[str, str] = field(default_factory=dict)
    groups: dict[str, dict[str, str]] = field(default_factory=dict)
    hosts: dict[str, dict[str, str]] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    """The whole file, for other sections such as ``notify``."""

    def for_host(self, host: Host, env: Mapping[str, str] | None = None) -> Credentials:
        """The credentials of ``host`` or a `CredentialsError` naming what is missing."""
        merged: dict[str, str] = dict(self.defaults)
        environ = os.environ if env is None else env
        merged.update({k: environ[v] for k, v in ENV_VARS.items() if environ.get(v)})
        for group in reversed(list(all_groups(host))):
            merged.update(self.groups.get(group.name, {}))
        merged.update(self.hosts.get(host.name, {}))
        missing = [k for k in ("username", "password") if not merged.get(k)]
        if missing:
            source = f"secrets file {self.path}" if self.path else "no secrets file"
            keys = " and ".join(f"'{k}'" for k in missing)
            raise CredentialsError(
                f"{source}: host {host.name}: key {keys} missing (looked in hosts/{host.name}, "
                "its groups, defaults and the NETRAWAT_* environment)",
                f"add it to the secrets file or set {' / '.join(ENV_VARS[k] for k in missing)}",
            )
        return Credentials(
            username=merged["username"],
            password=merged["password"],
            enable_secret=merged.get("enable_secret", ""),
        )


def find_secrets_file(explicit: Path | None, inventory_dir: Path) -> Path | None:
    """The secrets file to use (see module docstring), or None when there is none."""
    if explicit is not None:
        path = explicit.expanduser()
        if not path.is_file():
            raise CredentialsError(
                f"secrets file {path} not found",
                "fix --secrets / NETRAWAT_SECRETS or create the file (mode 0600)",
            )
        return path
    for candidate in (inventory_dir / "secrets.yaml", USER_SECRETS.expanduser()):
        if candidate.is_file():
            return candidate
    return None


def check_permissions(path: Path) -> None:
    """Refuse a secrets file that the group or others may read or write."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise CredentialsError(
            f"secrets file {path} is readable by others (mode {mode:04o})",
            f"chmod 600 {path}",
        )


def check_not_in_git(path: Path) -> None:
    """Refuse a secrets file that a git repository tracks (it would end up in history)."""
    git = shutil.which("git")
    if git is None:
        return
    try:
        tracked = subprocess.run(
            [git, "-C", str(path.parent), "ls-files", "--error-unmatch", path.name],
            capture_output=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return
    if tracked.returncode == 0:
        raise CredentialsError(
            f"secrets file {path} is tracked by git",
            f"git rm --cached {path}, list it in .gitignore, and change the passwords it held",
        )


def load_secrets(explicit: Path | None, inventory_dir: Path) -> Secrets:
    """Find, permission-check and parse the secrets file (an empty `Secrets` if there is none)."""
    path = find_secrets_file(explicit, inventory_dir)
    if path is None:
        return Secrets(path=None)
    check_permissions(path)
    check_not_in_git(path)
    try:
        raw = load_mapping(path, required=True)
    except InventoryError as exc:
        raise CredentialsError(exc.message, exc.hint) from exc
    for key in raw:
        if key not in SECTIONS:
            raise CredentialsError(
                f"{path}: unknown section '{key}'", f"use: {', '.join(SECTIONS)}"
            )
    return Secrets(
        path=path,
        defaults=_entry(path, "defaults", raw.get("defaults")),
        groups=_entries(path, "groups", raw.get("groups")),
        hosts=_entries(path, "hosts", raw.get("hosts")),
        raw=raw,
    )


def _entries(path: Path, section: str, body: object) -> dict[str, dict[str, str]]:
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise CredentialsError(f"{path}: section '{section}' must be a mapping of names", "")
    return {str(name): _entry(path, f"{section}/{name}", entry) for name, entry in body.items()}


def _entry(path: Path, where: str, body: object) -> dict[str, str]:
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise CredentialsError(f"{path}: {where}: expected a mapping of credentials", "")
    for key, value in body.items():
        if key not in CREDENTIAL_FIELDS:
            raise CredentialsError(
                f"{path}: {where}: unknown key '{key}'", f"use: {', '.join(CREDENTIAL_FIELDS)}"
            )
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise CredentialsError(f"{path}: {where}: key '{key}' must be a text", "quote it")
    return {str(k): str(v) for k, v in body.items()}
