"""DeviceSpec: what one simulated device is (a row of the lab's fleet file)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DeviceSpec:
    """One device of the lab fleet.

    ``seed`` carries the facts a personality builds its initial configuration from; the keys
    every personality understands are listed below, all optional (sensible defaults):

    - ``lan_address`` / ``lan_prefix``: the OPD LAN gateway address, e.g. ``10.21.4.1``/24
    - ``wan_address`` / ``wan_prefix`` / ``wan_gateway``: the uplink, e.g. ``100.64.4.2``/30
    - ``dns_servers``: list, default the city's resolvers ``[10.0.0.53, 10.0.1.53]``
    - ``ntp_servers``: list, default ``[10.0.0.123]``
    - ``dhcp_pool``: ``10.21.4.100-10.21.4.200``
    - ``ssid``: AP only, e.g. ``OPD-DINKES``; ``wifi_psk``: the pre-shared key (a secret)
    - ``snmp_community``: a secret
    - ``clients``: AP only, number of associated clients (default 7)
    - ``extra_lines``: int, pad the configuration with this many extra items (big configs)
    - ``factory``: true: a device fresh from the factory (RouterOS ``reset-configuration
      no-defaults=yes``: hardware only; IOS ``write erase`` + reload, the login kept), e.g.
      for restore drills
    - ``hardened``: RouterOS seeded with the security baseline (`routeros.hardening`), minus
      ``baseline_gaps`` (names in `netrawat_lab.baseline_gaps`); ``management_network`` and
      ``syslog_server`` feed it
    - ``archive_path``: IOS only, e.g. ``flash:archive-``: an ``archive`` section with that
      path (what ``configure terminal revert timer`` needs)
    """

    hostname: str
    opd: str
    role: str  # "router" | "ap"
    platform: str  # "mikrotik_routeros" | "cisco_ios"
    address: str  # loopback address the device listens on, 127.x.y.z
    port: int  # SSH port
    username: str
    password: str
    enable_secret: str = ""  # IOS only
    api_port: int | None = None  # RouterOS API (plain, 8728-like); None = API disabled
    version: str = ""  # pinned release, e.g. "7.16.1" or "15.9(3)M7"
    model: str = ""  # e.g. "RB4011iGS+" / "cAP ax" / "CISCO2911/K9"
    serial: str = ""
    faults: dict[str, str | None] = field(default_factory=dict)
    seed: dict[str, object] = field(default_factory=dict)
