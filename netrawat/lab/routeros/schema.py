"""The menus of the simulated RouterOS 7.16.1, in ``/export`` order.

Only what the lab's users touch is modelled; a path not listed here is ``bad command name``.
Field order is the print order; ``/export`` sorts arguments by name as RouterOS does.
"""

from __future__ import annotations

from netrawat.lab.routeros.menus import Field, MenuSpec

F = Field

_IFACE = F("interface", "ref", ref="/interface", required=True)
_COMMON_IF = (
    F("mtu", "int", "1500"),
    F("arp", "enum", "enabled", ("enabled", "disabled", "proxy-arp", "reply-only")),
)

INTERFACE_TYPES = ("ether", "bridge", "wifi", "vlan")

MENUS: tuple[MenuSpec, ...] = (
    MenuSpec(
        "/interface/bridge",
        "list",
        (
            F("name", required=True),
            F("type", readonly=True),
            F("mtu", "str", "auto"),
            _COMMON_IF[1],
            F("protocol-mode", "enum", "rstp", ("none", "rstp", "stp", "mstp")),
            F("vlan-filtering", "bool", "no"),
            F("admin-mac", "mac"),
            F("auto-mac", "bool", "yes"),
        ),
        key="name",
        store="/interface",
        item_type="bridge",
        what="interface",
    ),
    MenuSpec(
        "/interface/ethernet",
        "list",
        (
            F("name", required=True),
            F("default-name", readonly=True),
            F("type", readonly=True),
            *_COMMON_IF,
            F("mac-address", "mac", readonly=True),
            F("auto-negotiation", "bool", "yes"),
            F(
                "advertise",
                "str",
                "10M-baseT-half,10M-baseT-full,100M-baseT-half,100M-baseT-full,1G-baseT-half,1G-baseT-full",
            ),
        ),
        key="name",
        store="/interface",
        item_type="ether",
        what="interface",
        can_add=False,
        can_remove=False,
        builtin_key="default-name",
    ),
    MenuSpec(
        "/interface/wifi",
        "list",
        (
            F("name", required=True),
            F("default-name", readonly=True),
            F("type", readonly=True),
            F("mtu", "int", "1500"),
            F("mac-address", "mac", readonly=True),
            F("channel.band", "enum", None, ("2ghz-n", "2ghz-ax", "5ghz-ac", "5ghz-ax")),
            F("channel.width", "str"),
            F("configuration.country", "str"),
            F("configuration.mode", "enum", None, ("ap", "station")),
            F("configuration.ssid", "str"),
            F("security.authentication-types", "str"),
            F("security.passphrase", "str", sensitive=True),
        ),
        key="name",
        store="/interface",
        item_type="wifi",
        what="interface",
        can_add=False,
        can_remove=False,
        builtin_key="default-name",
    ),
    MenuSpec(
        "/interface/vlan",
        "list",
        (
            F("name", required=True),
            F("type", readonly=True),
            F("mtu", "int", "1500"),
            F("vlan-id", "int", required=True),
            _IFACE,
        ),
        key="name",
        store="/interface",
        item_type="vlan",
        what="interface",
    ),
    MenuSpec(
        "/interface",
        "list",
        (
            F("name", required=True),
            F("default-name", readonly=True),
            F("type", readonly=True),
            F("mtu", "str", "1500"),
            F("mac-address", "mac", readonly=True),
        ),
        key="name",
        what="interface",
        can_add=False,
        can_remove=False,
        exported=False,
    ),
    MenuSpec("/interface/list", "list", (F("name", required=True),), key="name", what="list"),
    MenuSpec(
        "/ip/pool",
        "list",
        (F("name", required=True), F("ranges", "ranges", required=True)),
        key="name",
        what="pool",
    ),
    MenuSpec(
        "/ip/dhcp-server",
        "list",
        (
            F("name", required=True),
            _IFACE,
            F("address-pool", "ref", ref="/ip/pool", also=("static-only",)),
            F("lease-time", "time", "30m"),
        ),
        key="name",
        what="server",
    ),
    MenuSpec(
        "/interface/bridge/port",
        "list",
        (
            F("interface", "ref", ref="/interface", required=True),
            F("bridge", "ref", ref="/interface/bridge", required=True),
        ),
    ),
    MenuSpec(
        "/interface/list/member",
        "list",
        (
            F("list", "ref", ref="/interface/list", required=True),
            F("interface", "ref", ref="/interface", required=True),
        ),
    ),
    MenuSpec(
        "/ip/address",
        "list",
        (
            F("address", "prefix", required=True),
            F("network", "ip"),
            _IFACE,
            F("actual-interface", readonly=True),
        ),
    ),
    MenuSpec(
        "/ip/dhcp-client",
        "list",
        (
            _IFACE,
            F("add-default-route", "enum", "yes", ("yes", "no", "special-classless")),
            F("use-peer-dns", "bool", "yes"),
        ),
    ),
    MenuSpec(
        "/ip/dhcp-server/lease",
        "list",
        (
            F("address", "ip", required=True),
            F("mac-address", "mac", required=True),
            F("server", "ref", ref="/ip/dhcp-server", also=("all",)),
            F("host-name", readonly=True),
            F("status", readonly=True),
            F("last-seen", readonly=True),
        ),
    ),
    MenuSpec(
        "/ip/dhcp-server/network",
        "list",
        (F("address", "network", required=True), F("gateway", "ip"), F("dns-server", "ip-list")),
    ),
    MenuSpec(
        "/ip/dns",
        "single",
        (
            F("servers", "ip-list", ""),
            F("dynamic-servers", readonly=True, default=""),
            F("allow-remote-requests", "bool", "no"),
            F("max-udp-packet-size", "int", "4096"),
            F("cache-size", "str", "2048KiB"),
            F("cache-max-ttl", "time", "1w"),
            F("cache-used", readonly=True, default="32KiB"),
        ),
    ),
    MenuSpec(
        "/ip/dns/static",
        "list",
        (
            F("name", required=True),
            F("address", "ip", required=True),
            F("type", "enum", "A", ("A", "CNAME")),
        ),
    ),
    MenuSpec(
        "/ip/firewall/address-list",
        "list",
        (F("list", required=True), F("address", required=True), F("creation-time", readonly=True)),
    ),
    MenuSpec(
        "/ip/firewall/filter",
        "list",
        (
            F("chain", required=True),
            F(
                "action",
                "enum",
                "accept",
                ("accept", "drop", "reject", "fasttrack-connection", "log", "passthrough"),
            ),
            F("src-address"),
            F("dst-address"),
            F("protocol"),
            F("dst-port"),
            F("in-interface"),
            F("in-interface-list"),
            F("out-interface-list"),
            F("connection-state"),
            F("src-address-list"),
        ),
        ordered=True,
    ),
    MenuSpec(
        "/ip/firewall/nat",
        "list",
        (
            F("chain", required=True),
            F(
                "action",
                "enum",
                "accept",
                ("accept", "masquerade", "dst-nat", "src-nat", "redirect"),
            ),
            F("src-address"),
            F("dst-address"),
            F("protocol"),
            F("dst-port"),
            F("out-interface"),
            F("out-interface-list"),
            F("to-addresses"),
            F("to-ports"),
        ),
        ordered=True,
    ),
    MenuSpec(
        "/ip/route",
        "list",
        (
            F("dst-address", "network", "0.0.0.0/0"),
            F("gateway", required=True),
            F("distance", "int", "1"),
            F("scope", "int", "30"),
            F("target-scope", "int", "10"),
            F("routing-table", "str", "main"),
            F("immediate-gw", readonly=True),
        ),
    ),
    MenuSpec(
        "/snmp/community",
        "list",
        (
            F("name", required=True),
            F("addresses", "str", "::/0"),
            F("security", "enum", "none", ("none", "authorized", "private")),
            F("read-access", "bool", "yes"),
            F("write-access", "bool", "no"),
            F("authentication-password", sensitive=True),
        ),
        key="name",
        what="community",
    ),
    MenuSpec(
        "/snmp",
        "single",
        (
            F("enabled", "bool", "no"),
            F("contact", "str", ""),
            F("location", "str", ""),
            F("engine-id", readonly=True, default=""),
            F("trap-version", "int", "1"),
        ),
    ),
    MenuSpec(
        "/system/clock",
        "single",
        (
            F("time", readonly=True),
            F("date", readonly=True),
            F("time-zone-autodetect", "bool", "yes"),
            F("time-zone-name", "str", "manual"),
            F("gmt-offset", readonly=True),
            F("dst-active", readonly=True),
        ),
    ),
    MenuSpec("/system/identity", "single", (F("name", "str", "MikroTik"),)),
    MenuSpec(
        "/system/ntp/client",
        "single",
        (
            F("enabled", "bool", "no"),
            F("mode", "enum", "unicast", ("unicast", "broadcast", "multicast", "manycast")),
            F("servers", "str", ""),
            F("vrf", "str", "main"),
            F("freq-drift", readonly=True),
            F("status", readonly=True),
        ),
    ),
    MenuSpec(
        "/user",
        "list",
        (
            F("name", required=True),
            F("group", "enum", "read", ("full", "read", "write")),
            F("address", "str", ""),
            F("last-logged-in", readonly=True),
            F("password", writeonly=True),
        ),
        key="name",
        what="user",
        exported=False,
    ),
    MenuSpec(
        "/system/scheduler",
        "list",
        (
            F("name", required=True),
            F("start-date", readonly=True),
            F("start-time", "str", "startup"),
            F("interval", "time", "0s"),
            F("on-event", "text", ""),
            F("policy", "str", "ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon"),
            F("run-count", readonly=True),
            F("next-run", readonly=True),
        ),
        key="name",
        what="scheduler",
    ),
    MenuSpec(
        "/file",
        "list",
        (
            F("name", required=True),
            F("type", readonly=True),
            F("size", readonly=True),
            F("creation-time", readonly=True),
            F("contents", "text", ""),
        ),
        key="name",
        what="file",
        exported=False,
        has_disabled=False,
    ),
)
"""Every configurable menu, in the order ``/export`` prints them."""

VIEWS: tuple[MenuSpec, ...] = (
    MenuSpec("/system/resource", "view"),
    MenuSpec("/system/routerboard", "view"),
    MenuSpec("/system/health", "view"),
    MenuSpec("/ip/arp", "view"),
    MenuSpec("/interface/wifi/registration-table", "view"),
    MenuSpec("/log", "view"),
    MenuSpec("/user/active", "view"),
    MenuSpec("/system/history", "view"),
    MenuSpec("/system/package/update", "view"),
    MenuSpec("/system/package", "view"),
    MenuSpec("/system/resource/cpu", "view"),
    MenuSpec("/ip/neighbor", "view"),
)
"""Read-only menus whose rows the device computes (see `netrawat.lab.routeros.state`)."""

SPECS: dict[str, MenuSpec] = {m.path: m for m in (*MENUS, *VIEWS)}
