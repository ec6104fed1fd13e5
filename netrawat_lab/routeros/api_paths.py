"""What napalm-ros 1.6 (with librouteros 4.2) reads over the RouterOS API, getter by getter.

This is the contract between the lab's API server and the RouterOS configuration model:
every path below must exist in the model (or be served by ``api_device.py``), with the
listed properties, for ``napalm.get_network_driver("ros")`` to work unmodified against the
lab. Read from ``napalm_ros/ros.py`` and ``librouteros/config.py``; values travel as strings
and librouteros turns ``true``/``false``/``yes``/``no`` into booleans and digit strings into
ints, so numbers must be plain digits and flags ``true``/``false``.

``REQUIRED`` properties raise ``KeyError`` in napalm-ros when missing; ``OPTIONAL`` ones have
defaults there. Findings that matter to netrawat code (not to the lab):

- ``get_ntp_servers`` reads ``primary-ntp``/``secondary-ntp``/``server-dns-names``: RouterOS 6
  properties. RouterOS 7 has ``servers`` instead, so on a real v7 box (and in the lab) it
  returns ``{}``. Do not use it to check NTP drift on RouterOS 7: read ``/system/ntp/client``
  ``servers`` directly (librouteros) or over SSH.
- ``get_ntp_stats`` is not implemented by napalm-ros (NotImplementedError).
- ``ping`` reads ``time`` of every row and ``min-rtt``/``avg-rtt``/``max-rtt`` of the last row:
  a lost packet (a row with ``status=timeout`` and no ``time``) makes it raise ``KeyError``,
  as on a real router; use count/loss from ``sent``/``packet-loss`` when loss is expected.
- ``get_config`` on RouterOS >= 7.13 uses the API, not SSH: ``/export file=...`` then reads the
  file back through ``/file print`` (``contents`` inline) or ``/file/read`` chunks, then
  removes it. Below 7.13 it runs ``export terse show-sensitive`` over SSH exec (paramiko, port
  ``ssh_port`` optional arg, default 22).
- ``is_alive`` prints ``/system/identity``.
- Config changes (``load_merge_candidate`` + ``commit_config``) need, in order:
  ``/system/scheduler print ?name=napalm-commit-confirm ?comment=...`` (pending check),
  ``/system/package/update print`` (version), on 7.16+ ``/file add name=... contents=...`` +
  ``/import file-name=... verbose=yes dry-run=yes`` (validation, a syntax error must trap),
  ``/file print ?name=flash`` (``type=directory`` means backups go under ``flash/``),
  ``/system/backup/save name=napalm-rollback dont-encrypt=yes``, then the same file upload +
  ``/import file-name=librouteros-import.rsc`` and ``/file remove``. ``revert_in`` adds
  ``/system/scheduler add name=napalm-commit-confirm interval=Ns on-event=... policy=...
  comment=...``; ``rollback`` is ``/system/backup/load name=... password=`` (a reboot).
  No SFTP is involved: files are written through ``/file add contents=``.

Where the lab's RouterOS model still differs from a real 7.16 (for the model's owner):

- ``/system/backup/load`` (napalm-ros ``rollback``) and ``/system/reboot`` are not commands of
  the lab device yet: the API traps ``no such command`` (the shell says ``bad command name``).
- Read-only settings with a default (``/snmp engine-id``, ``/ip/dns cache-used``) are left out
  of the model's rows; the API layer fills ``engine-id`` (`api_device.API_DEFAULTS`) since
  ``get_snmp_information`` needs it.
- Bridges have no ``mac-address`` in ``/interface`` (a real bridge shows its admin/auto MAC).
- ``unset`` of ``comment`` is refused (``unknown parameter comment``); RouterOS accepts it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ApiPath:
    """One menu napalm-ros reads, and the properties it needs there."""

    path: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    list_menu: bool = True
    """False for settings menus answering a single row (``/system/identity``)."""
    print_args: tuple[str, ...] = ()


IDENTITY = ApiPath("/system/identity", ("name",), list_menu=False)
RESOURCE = ApiPath(
    "/system/resource",
    ("uptime", "platform", "board-name", "version", "total-memory", "free-memory"),
    ("cpu-load", "architecture-name", "build-time", "free-hdd-space", "total-hdd-space"),
    list_menu=False,
)
ROUTERBOARD = ApiPath("/system/routerboard", (), ("serial-number", "model"), list_menu=False)
PACKAGE_UPDATE = ApiPath("/system/package/update", ("installed-version",), list_menu=False)
INTERFACE = ApiPath(
    "/interface",
    ("name", "running", "disabled"),
    ("comment", "actual-mtu", "mac-address", "type"),
)
INTERFACE_STATS = ApiPath(
    "/interface",
    ("name", "tx-byte", "rx-byte", "tx-packet", "rx-packet"),
    ("tx-error", "rx-error", "tx-drop", "rx-drop"),
    print_args=("stats",),
)
HEALTH = ApiPath("/system/health", (), ("name", "value", "type"))
"""v7 rows ``name=temperature value=45 type=C``; napalm-ros sorts names containing
``temperature``/``speed``/``state``."""
CPU = ApiPath("/system/resource/cpu", ("cpu", "load"))
ARP = ApiPath("/ip/arp", ("interface", "address"), ("mac-address",))
IP_ADDRESS = ApiPath("/ip/address", ("address", "interface"), ("network", "disabled"))
IPV6_ADDRESS = ApiPath("/ipv6/address", ("address", "interface"))
"""May answer ``no such command prefix`` (ipv6 package off): napalm-ros tolerates the trap."""
NTP_CLIENT = ApiPath("/system/ntp/client", (), ("enabled", "servers", "mode"), list_menu=False)
SNMP = ApiPath("/snmp", ("engine-id", "contact", "location"), ("enabled",), list_menu=False)
SNMP_COMMUNITY = ApiPath("/snmp/community", ("name",), ("addresses", "read-access"))
USER = ApiPath("/user", ("name", "group"))
NEIGHBOR = ApiPath("/ip/neighbor", ("interface", "identity"), ("interface-name",))
FILE = ApiPath("/file", ("name",), ("size", "contents", "type"))
SCHEDULER = ApiPath("/system/scheduler", ("name",), ("comment", "interval", "on-event"))

GETTERS: dict[str, tuple[ApiPath, ...]] = {
    "is_alive": (IDENTITY,),
    "get_facts": (RESOURCE, IDENTITY, ROUTERBOARD, INTERFACE),
    "get_interfaces": (INTERFACE,),
    "get_interfaces_counters": (INTERFACE_STATS,),
    "get_environment": (RESOURCE, HEALTH, CPU),
    "get_config": (PACKAGE_UPDATE, FILE),
    "get_arp_table": (ARP,),
    "get_interfaces_ip": (IP_ADDRESS, IPV6_ADDRESS),
    "get_ntp_servers": (NTP_CLIENT,),
    "get_snmp_information": (SNMP_COMMUNITY, SNMP),
    "get_users": (USER,),
    "get_lldp_neighbors": (NEIGHBOR,),
    "commit_config": (SCHEDULER, PACKAGE_UPDATE, FILE),
}
"""Every getter netrawat may call through NAPALM, with the menus it prints."""

COMMANDS: dict[str, str] = {
    "/ping": "address count size ttl [src-address routing-table interval]: one !re per packet "
    "with seq host size ttl time sent received packet-loss min-rtt avg-rtt max-rtt "
    "(status=timeout and no time/ttl for a lost packet)",
    "/export": "file terse verbose show-sensitive compact: writes <file>.rsc, answers !done",
    "/file/read": "file offset chunk-size: !re data=<bytes>",
    "/file/add": "name contents: creates a file, !done ret=*N",
    "/file/remove": ".id",
    "/import": "file-name verbose dry-run: runs the script (dry-run: parse only)",
    "/system/backup/save": "name dont-encrypt password: writes <name>.backup",
    "/system/backup/load": "name password: restores the backup and reboots",
    "/execute": "script as-string (napalm cli()): !done ret=<output>",
}
"""Commands other than print/add/set/remove/enable/disable that napalm-ros sends."""
