"""Per-host connection options: credentials, netmiko/NAPALM platform names, timeouts, host keys.

Timeouts come from the inventory data key ``timeouts`` (defaults.yaml, a group or a host),
in seconds: ``{connect: 10, auth: 20, banner: 20, read: 30}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nornir.core.inventory import ConnectionOptions, Host

from netrawat.errors import InventoryError
from netrawat.hostkeys import strict_ssh_args
from netrawat.inventory.secrets import Credentials
from netrawat.platforms import PlatformProfile, profile_for
from netrawat.sshkex import tune_key_exchange

DEFAULT_TIMEOUTS = {"connect": 10.0, "auth": 20.0, "banner": 20.0, "read": 30.0}


@dataclass(frozen=True)
class Timeouts:
    """Connection timeouts of one host, in seconds."""

    connect: float
    auth: float
    banner: float
    read: float

    @classmethod
    def of(cls, host: Host) -> Timeouts:
        given = host.get("timeouts") or {}
        if not isinstance(given, dict) or set(given) - set(DEFAULT_TIMEOUTS):
            raise InventoryError(
                f"host {host.name}: key 'data.timeouts': {given!r} is not a mapping of "
                f"{', '.join(DEFAULT_TIMEOUTS)}",
                "e.g. timeouts: {connect: 10, read: 30}",
            )
        values = {**DEFAULT_TIMEOUTS, **given}
        for key, value in values.items():
            if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
                raise InventoryError(
                    f"host {host.name}: key 'data.timeouts.{key}': {value!r} is not a "
                    "positive number of seconds",
                    "use e.g. 30",
                )
        return cls(**{k: float(v) for k, v in values.items()})


def netmiko_args(timeouts: Timeouts, known_hosts: Path, secret: str) -> dict[str, Any]:
    """The ``ConnectHandler`` keyword arguments every SSH connection gets."""
    return {
        "secret": secret,
        "conn_timeout": timeouts.connect,
        "auth_timeout": timeouts.auth,
        "banner_timeout": timeouts.banner,
        "read_timeout_override": timeouts.read,
        "allow_agent": False,
        "use_keys": False,
        **strict_ssh_args(known_hosts),
    }


def napalm_options(
    host: Host, profile: PlatformProfile, timeouts: Timeouts, ssh: dict[str, Any]
) -> ConnectionOptions:
    """NAPALM's options, from the profile: a driver over SSH (NAPALM ios, through netmiko) gets
    the same strict arguments; an API driver (napalm-ros: ``data.api_port``, default
    ``profile.default_api_port``) its port, SSH only for get_config on old releases."""
    if profile.napalm_over_ssh:
        return ConnectionOptions(
            platform=profile.napalm_platform,
            port=host.port,
            extras={"timeout": int(timeouts.read), "optional_args": dict(ssh)},
        )
    api_port = host.get("api_port") or profile.default_api_port
    return ConnectionOptions(
        platform=profile.napalm_platform,
        port=api_port,
        extras={
            "timeout": int(timeouts.read),
            "optional_args": {
                "port": api_port,
                "ssh_port": host.port or 22,
                "paramiko_allow_agent": False,
            },
        },
    )


def use_known_hosts(host: Host, known_hosts: Path) -> None:
    """Point the host's SSH connections (netmiko, NAPALM ios) at another known_hosts file."""
    netmiko = host.connection_options["netmiko"].extras or {}
    napalm = (host.connection_options["napalm"].extras or {}).get("optional_args", {})
    for options in (netmiko, napalm):
        if "alt_key_file" in options:
            options["alt_key_file"] = str(known_hosts)


def apply_connection_options(host: Host, credentials: Credentials, known_hosts: Path) -> None:
    """Set credentials and the netmiko/NAPALM connection options of one validated host."""
    tune_key_exchange()  # OpenSSH-sized DH exponents, fixed groups first (idempotent)
    profile = profile_for(host.platform)
    timeouts = Timeouts.of(host)
    host.username = credentials.username
    host.password = credentials.password
    if host.port is None:
        host.port = 22
    ssh = netmiko_args(timeouts, known_hosts, credentials.enable_secret)
    host.connection_options["netmiko"] = ConnectionOptions(
        platform=profile.netmiko_platform, extras=ssh
    )
    host.connection_options["napalm"] = napalm_options(host, profile, timeouts, ssh)
