"""``show`` outputs about forwarding: interfaces, addresses, routes, ARP, NTP, and ``ping``."""

from __future__ import annotations

import ipaddress
from collections import defaultdict

from netrawat_lab.ios.config import InterfaceConfig
from netrawat_lab.ios.state import Runtime


def _mac(rt: Runtime, name: str) -> str:
    """A stable MAC per interface (Cisco dotted form)."""
    base = sum(rt.spec.hostname.encode()) & 0xFFFF
    index = sum(ord(c) for c in name) & 0xFF
    return f"5c50.{base:04x}.{index:02x}{len(name):02x}"


def _hardware(name: str) -> str:
    if name.startswith("GigabitEthernet"):
        return "CN Gigabit Ethernet"
    if name.startswith("Vlan"):
        return "EtherSVI"
    return name.rstrip("0123456789")


def _interface_block(rt: Runtime, interface: InterfaceConfig) -> list[str]:
    status, protocol = rt.oper_status(interface)
    mac = _mac(rt, interface.name)
    counters = rt.state.read_counters(interface.name, protocol == "up")
    lines = [f"{interface.name} is {status}, line protocol is {protocol} "]
    if interface.name.startswith("Loopback"):
        lines.append("  Hardware is Loopback")
    else:
        lines.append(f"  Hardware is {_hardware(interface.name)}, address is {mac} (bia {mac})")
    if interface.description:
        lines.append(f"  Description: {interface.description}")
    if interface.address is not None:
        lines.append(f"  Internet address is {interface.address.with_prefixlen}")
    bandwidth = "8000000 Kbit/sec, DLY 5000" if interface.name.startswith("Loop") else None
    lines += [
        f"  MTU 1500 bytes, BW {bandwidth or '1000000 Kbit/sec, DLY 10'} usec, ",
        "     reliability 255/255, txload 1/255, rxload 1/255",
        "  Encapsulation ARPA, loopback not set",
        "  Keepalive set (10 sec)",
    ]
    if interface.name.startswith("GigabitEthernet"):
        speed = "1000Mbps" if protocol == "up" else "Auto-speed"
        duplex = "Full Duplex" if protocol == "up" else "Auto Duplex"
        lines += [
            f"  {duplex}, {speed}, media type is RJ45",
            "  output flow-control is unsupported, input flow-control is unsupported",
        ]
    last = "00:00:00" if protocol == "up" else "never"
    rate = 1 if protocol == "up" else 0
    lines += [
        "  ARP type: ARPA, ARP Timeout 04:00:00",
        f"  Last input {last}, output {last}, output hang never",
        '  Last clearing of "show interface" counters never',
        "  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 0",
        "  Queueing strategy: fifo",
        "  Output queue: 0/40 (size/max)",
        f"  5 minute input rate {rate * 412000} bits/sec, {rate * 87} packets/sec",
        f"  5 minute output rate {rate * 388000} bits/sec, {rate * 79} packets/sec",
        f"     {counters.in_packets} packets input, {counters.in_bytes} bytes, 0 no buffer",
        f"     Received {counters.broadcasts} broadcasts ({counters.multicasts} IP multicasts)",
        "     0 runts, 0 giants, 0 throttles ",
        f"     {counters.in_errors} input errors, {counters.crc} CRC, 0 frame, 0 overrun,"
        " 0 ignored",
        "     0 watchdog, 0 multicast, 0 pause input",
        f"     {counters.out_packets} packets output, {counters.out_bytes} bytes, 0 underruns",
        f"     0 output errors, 0 collisions, {counters.resets} interface resets",
        "     0 unknown protocol drops",
        "     0 babbles, 0 late collision, 0 deferred",
        f"     {1 if protocol != 'up' else 0} lost carrier, 0 no carrier, 0 pause output",
        "     0 output buffer failures, 0 output buffers swapped out",
    ]
    return lines


def _select(rt: Runtime, name: str | None) -> list[InterfaceConfig]:
    interfaces = rt.running.interfaces()
    return [i for i in interfaces if name is None or i.name == name]


def show_interfaces(rt: Runtime, name: str | None = None) -> str:
    """``show interfaces [NAME]``."""
    lines: list[str] = []
    for interface in _select(rt, name):
        lines += _interface_block(rt, interface)
    return "\n".join(lines) + "\n"


def show_ip_interface(rt: Runtime) -> str:
    """``show ip interface`` (NAPALM get_interfaces_ip reads the ``Internet address`` lines)."""
    lines: list[str] = []
    for interface in rt.running.interfaces():
        status, protocol = rt.oper_status(interface)
        lines.append(f"{interface.name} is {status}, line protocol is {protocol}")
        if interface.address is None:
            lines.append("  Internet protocol processing disabled")
            continue
        lines += [
            f"  Internet address is {interface.address.with_prefixlen}",
            "  Broadcast address is 255.255.255.255",
            "  Address determined by non-volatile memory",
            "  MTU is 1500 bytes",
            "  Helper address is not set",
            "  Directed broadcast forwarding is disabled",
            "  Outgoing access list is not set",
            "  Inbound  access list is not set",
            "  Proxy ARP is enabled",
            "  Security level is default",
            "  Split horizon is enabled",
            "  ICMP redirects are always sent",
            "  ICMP unreachables are always sent",
            "  ICMP mask replies are never sent",
            "  IP fast switching is enabled",
            "  IP CEF switching is enabled",
        ]
    return "\n".join(lines) + "\n"


def show_ip_interface_brief(rt: Runtime) -> str:
    """``show ip interface brief``."""
    lines = ["Interface                  IP-Address      OK? Method Status                Protocol"]
    saved = {i.name: i.address for i in (rt.booted or rt.startup).interfaces()}
    for interface in rt.running.interfaces():
        status, protocol = rt.oper_status(interface)
        address = str(interface.address.ip) if interface.address else "unassigned"
        method = "unset"
        if interface.address is not None:  # NVRAM: as loaded at boot; manual: typed since
            method = "NVRAM" if saved.get(interface.name) == interface.address else "manual"
        lines.append(f"{interface.name:<27}{address:<16}YES {method:<7}{status:<22}{protocol}")
    return "\n".join(lines) + "\n"


def show_interface_summary(rt: Runtime) -> str:
    """``show interface summary`` (NAPALM reads the IQD/OQD drop columns)."""
    lines = [
        "",
        " *: interface is up",
        " IHQ: pkts in input hold queue     IQD: pkts dropped from input queue",
        " OHQ: pkts in output hold queue    OQD: pkts dropped from output queue",
        " RXBS: rx rate (bits/sec)          RXPS: rx rate (pkts/sec)",
        " TXBS: tx rate (bits/sec)          TXPS: tx rate (pkts/sec)",
        " TRTL: throttle count",
        "",
        "  Interface                   IHQ       IQD       OHQ       OQD      RXBS      RXPS"
        "      TXBS      TXPS      TRTL",
        "-" * 113,
    ]
    for interface in rt.running.interfaces():
        up = rt.oper_status(interface)[1] == "up"
        rates = (412000, 87, 388000, 79) if up else (0, 0, 0, 0)
        columns = "".join(f"{v:>10}" for v in (0, 0, 0, 0, *rates, 0))
        lines.append(f"{'*' if up else ' '} {interface.name:<26}{columns}")
    return "\n".join(lines) + "\n"


TRAILING_SPACE = " "  # IOS prints this line with a trailing blank
_ROUTE_CODES = f"""Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP
       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area{TRAILING_SPACE}
       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
       E1 - OSPF external type 1, E2 - OSPF external type 2
       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2
       ia - IS-IS inter area, * - candidate default, U - per-user static route
       o - ODR, P - periodic downloaded static route, H - NHRP, l - LISP
       a - application route
       + - replicated route, % - next hop override, p - overrides from PfR
"""


def _classful(network: ipaddress.IPv4Network) -> ipaddress.IPv4Network:
    first = network.network_address.packed[0]
    prefix = 8 if first < 128 else 16 if first < 192 else 24
    return ipaddress.IPv4Network(f"{network.network_address}/{prefix}", strict=False)


def _routes(rt: Runtime) -> list[tuple[str, ipaddress.IPv4Network, str]]:
    """(code, network, text after the network) of every installed route."""
    routes = []
    for interface, address in rt.connected():
        routes.append(("C", address.network, f"is directly connected, {interface.name}"))
        host = ipaddress.IPv4Network(f"{address.ip}/32")
        routes.append(("L", host, f"is directly connected, {interface.name}"))
    up = {i.name for i, _ in rt.connected()}
    for network, next_hop in rt.running.static_routes():
        code = "S*" if network.prefixlen == 0 else "S"
        if not next_hop[0].isdigit():  # ip route P M INTERFACE
            if next_hop in up:
                routes.append((code, network, f"is directly connected, {next_hop}"))
            continue
        if rt.resolve(ipaddress.IPv4Address(next_hop)) is not None:
            routes.append((code, network, f"[1/0] via {next_hop}"))
    return routes


def show_ip_route(rt: Runtime) -> str:
    """``show ip route`` (15.x layout: classful headers, ``L`` local routes)."""
    routes = _routes(rt)
    defaults = [r for r in routes if r[1].prefixlen == 0]
    gateway = (
        f"Gateway of last resort is {defaults[0][2].split()[-1]} to network 0.0.0.0"
        if defaults
        else "Gateway of last resort is not set"
    )
    lines = [_ROUTE_CODES, gateway, ""]
    for code, network, rest in defaults:
        lines.append(f"{code:<6}{network.with_prefixlen} {rest}")
    groups: dict[ipaddress.IPv4Network, list[tuple[str, ipaddress.IPv4Network, str]]]
    groups = defaultdict(list)
    for route in routes:
        if route[1].prefixlen:
            groups[_classful(route[1])].append(route)
    for major in sorted(groups):
        members = sorted(groups[major], key=lambda r: (r[1].network_address, r[1].prefixlen))
        masks = {r[1].prefixlen for r in members}
        variable = len(masks) > 1
        if variable:
            lines.append(
                f"      {major} is variably subnetted, {len(members)} subnets, {len(masks)} masks"
            )
        else:
            lines.append(
                f"      {major.network_address}/{min(masks)} is subnetted, {len(members)} subnets"
            )
        for code, network, rest in members:
            shown = network.with_prefixlen if variable else str(network.network_address)
            lines.append(f"{code:<9}{shown} {rest}")
    return "\n".join(lines) + "\n"


def show_arp(rt: Runtime) -> str:
    """``show arp`` / ``show ip arp``: own addresses, the gateway, a few LAN hosts."""
    lines = ["Protocol  Address          Age (min)  Hardware Addr   Type   Interface"]
    rng_seed = sum(rt.spec.hostname.encode())
    for interface, address in rt.connected():
        entries = [(address.ip, "-", _mac(rt, interface.name))]
        neighbours = 1 if address.network.prefixlen >= 30 else 3
        hosts = [h for h in address.network.hosts() if h != address.ip][:neighbours]
        for offset, host in enumerate(hosts):
            mac = f"00{(rng_seed + offset) % 256:02x}.{int(host) & 0xFFFF:04x}.{offset + 16:04x}"
            entries.append((host, str(offset * 3), mac))
        for ip, age, mac in entries:
            lines.append(f"Internet  {ip!s:<17}{age:>9}   {mac}  ARPA   {interface.name}")
    return "\n".join(lines) + "\n"


def show_ntp_associations(rt: Runtime) -> str:
    """``show ntp associations``: the city's servers answer, others do not."""
    lines = [
        "",
        "  address         ref clock       st   when   poll reach  delay  offset   disp",
    ]
    peer = ntp_peer(rt)
    for index, server in enumerate(rt.running.values("ntp", "server")):
        reachable = "wrong-ntp" not in rt.faults and rt.resolve(
            ipaddress.IPv4Address(server) if server[0].isdigit() else ipaddress.IPv4Address(0)
        )
        if reachable:
            mark = "*~" if server == peer else "+~"
            lines.append(
                f"{mark}{server:<16}.GPS.             1     {31 + index:>2}     64   377"
                f"  1.{204 + index:03d}  -0.{318 + index:03d}  0.{941 + index:03d}"
            )
        else:
            lines.append(
                f" ~{server:<16}.INIT.           16      -     64     0  0.000   0.000 15937."
            )
    lines.append(" * sys.peer, # selected, + candidate, - outlyer, x falseticker, ~ configured")
    return "\n".join(lines) + "\n"


def ntp_peer(rt: Runtime) -> str | None:
    """The NTP server the clock is synchronised to (the first reachable one), if any."""
    if "wrong-ntp" in rt.faults:
        return None
    for server in rt.running.values("ntp", "server"):
        if server[0].isdigit() and rt.resolve(ipaddress.IPv4Address(server)) is not None:
            return server
    return None


def show_ntp_status(rt: Runtime) -> str:
    """``show ntp status``."""
    peer = ntp_peer(rt)
    if peer is None:
        return (
            "Clock is unsynchronized, stratum 16, no reference clock\n"
            "nominal freq is 250.0000 Hz, actual freq is 250.0000 Hz, precision is 2**21\n"
            "ntp uptime is 0 (1/100 of seconds), resolution is 4000\n"
            "reference time is 00000000.00000000 (07:00:00.000 WIB Thu Jan 1 1970)\n"
            "clock offset is 0.0000 msec, root delay is 0.00 msec\n"
            "root dispersion is 0.00 msec, peer dispersion is 0.00 msec\n"
            "loopfilter state is 'FSET' (Drift set from file), drift is 0.000000000 s/s\n"
            "system poll interval is 64, never updated.\n"
        )
    return (
        f"Clock is synchronized, stratum 2, reference is {peer}\n"
        "nominal freq is 250.0000 Hz, actual freq is 249.9990 Hz, precision is 2**21\n"
        "ntp uptime is 99874600 (1/100 of seconds), resolution is 4000\n"
        "clock offset is -0.3180 msec, root delay is 1.20 msec\n"
        "root dispersion is 3.82 msec, peer dispersion is 0.94 msec\n"
        "loopfilter state is 'CTRL' (Normal Controlled Loop), drift is 0.000000582 s/s\n"
        "system poll interval is 64, last update was 31 sec ago.\n"
    )


def ping(
    rt: Runtime, target: str, repeat: int = 5, size: int = 100, source: str | None = None
) -> str:
    """``ping A.B.C.D``: replies follow routes, link state and the wan-loss fault."""
    header = (
        "Type escape sequence to abort.\n"
        f"Sending {repeat}, {size}-byte ICMP Echos to {target}, timeout is 2 seconds:\n"
    )
    if source is not None:
        header += f"Packet sent with a source address of {source} \n"
    address = ipaddress.IPv4Address(target)
    own = {a.ip for _, a in rt.connected()}
    via = rt.resolve(address)
    stranded = any(  # its own subnet is down: the default route does not reach it either
        i.address is not None and address in i.address.network and rt.oper_status(i)[1] != "up"
        for i in rt.running.interfaces()
    )
    lost = repeat
    if stranded:
        via = None
    if address in own:
        lost = 0
    elif via is not None:
        lan = any(address in a.network for i, a in rt.connected() if i.name == via.name)
        wan = via.name == rt.hardware.wan or not lan
        lost = round(repeat * rt.state.wan_loss / 100) if wan else 0
    marks = "!" * (repeat - lost) + "." * lost
    ok = repeat - lost
    result = f"Success rate is {ok * 100 // repeat} percent ({ok}/{repeat})"
    if ok:
        result += ", round-trip min/avg/max = 1/2/4 ms"
    return (
        header + "\n".join(marks[i : i + 70] for i in range(0, repeat, 70)) + "\n" + result + "\n"
    )
