"""How netrawat drives netmiko: the Nornir ``netmiko`` connection with cheaper channel reads.

`Netmiko` is nornir_netmiko's connection plugin (same options, same ``ConnectHandler``
arguments, same netmiko driver per platform), except that the driver it builds is a
subclass with `CheapReads` mixed in. `netrawat.fleet.register_connections` registers it
as ``netmiko``, so every task's ``task.host.get_connection("netmiko", ...)`` gets one.

Why: netmiko post-processes every read of the channel, even an empty poll. On RouterOS
(``ansi_escape_codes`` on) each read runs ``strip_ansi_escape_codes``, 38 ``re.sub`` calls
on the data, and ``clear_buffer`` runs it a second time on what it read; every read also
runs ``normalize_linefeeds`` (two regex substitutions). A backup of 100 devices polls the
channel about 2,300 times while connecting, finding the prompt and reading the export: some
80 ms of client CPU spent removing escape codes that were never there (a RouterOS login with
``+ct`` asks for a dumb terminal). `CheapReads` returns the text unchanged when it cannot
hold anything those substitutions change (no ESC character, no carriage return) and calls
netmiko's own code otherwise: the result is the same string in every case.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from netmiko import BaseConnection
from netmiko.ssh_dispatcher import ssh_dispatcher
from nornir.core.configuration import Config
from nornir_netmiko.connections.netmiko import Netmiko as NornirNetmiko
from nornir_netmiko.connections.netmiko import napalm_to_netmiko_map

ESC = "\x1b"
"""Every escape sequence netmiko strips starts with it (``chr(27) + ...`` in
``BaseConnection.strip_ansi_escape_codes``)."""
CR = "\r"
"""Every line-ending netmiko normalizes holds it (``\\r\\n``, ``\\r\\r\\n``, ``\\n\\r``, a lone
``\\r``)."""


class CheapReads(BaseConnection):
    """netmiko's read post-processing, skipped when it cannot change the text."""

    def strip_ansi_escape_codes(self, string_buffer: str) -> str:
        """netmiko's, once the text holds an ESC character (else nothing to strip)."""
        if ESC not in string_buffer:
            return string_buffer
        return super().strip_ansi_escape_codes(string_buffer)

    def normalize_linefeeds(self, a_string: str) -> str:
        """netmiko's, once the text holds a carriage return (else nothing to convert)."""
        if CR not in a_string:
            return a_string
        return super().normalize_linefeeds(a_string)


def _reads_like_base(driver: type[BaseConnection]) -> bool:
    """Whether the driver post-processes reads with netmiko's generic code (a few drivers,
    e.g. Huawei or NX-OS, have their own, which `CheapReads` must not shortcut)."""
    return all(
        getattr(driver, name) is getattr(BaseConnection, name)
        for name in ("strip_ansi_escape_codes", "normalize_linefeeds")
    )


@cache
def driver_class(device_type: str) -> type[BaseConnection]:
    """netmiko's driver class for ``device_type``, with `CheapReads` in front of it when it
    reads like `BaseConnection` (``ValueError`` for a platform netmiko does not know)."""
    try:
        base = ssh_dispatcher(device_type)
    except KeyError:
        raise ValueError(f"Unsupported 'device_type': {device_type!r}") from None
    if not _reads_like_base(base):
        return base
    return type(f"Cheap{base.__name__}", (CheapReads, base), {})


class Netmiko(NornirNetmiko):
    """nornir_netmiko's connection plugin building a `CheapReads` driver."""

    def open(  # noqa: PLR0917 (Nornir's ConnectionPlugin signature)
        self,
        hostname: str | None,
        username: str | None,
        password: str | None,
        port: int | None,
        platform: str | None,
        extras: dict[str, Any] | None = None,
        configuration: Config | None = None,
    ) -> None:
        parameters: dict[str, Any] = {
            "host": hostname,
            "username": username,
            "password": password,
            "port": port,
        }
        ssh = getattr(configuration, "ssh", None)
        if ssh is not None:
            parameters["ssh_config_file"] = ssh.config_file
        if platform is not None:
            parameters["device_type"] = napalm_to_netmiko_map.get(platform, platform)
        parameters.update(extras or {})
        self.connection = driver_class(str(parameters.get("device_type")))(**parameters)
