"""``show`` outputs about the box itself: version, clock, CPU, memory, environment,
inventory, logging, hosts, and the running/startup configuration with their headers."""

from __future__ import annotations

from datetime import datetime

from netrawat_lab.ios.show_network import ntp_peer
from netrawat_lab.ios.state import IO_TOTAL, PROCESSOR_TOTAL, Runtime, cisco_time

DEFAULT_VERSION = "15.7(3)M8"
DEFAULT_MODEL = "CISCO2911/K9"
NVRAM_SIZE = 262_136
_CRYPTO = """This product contains cryptographic features and is subject to United
States and local country laws governing import, export, transfer and
use. Delivery of Cisco cryptographic products does not imply
third-party authority to import, export, distribute or use encryption.
Importers, exporters, distributors and users are responsible for
compliance with U.S. and local country laws. By using this product you
agree to comply with applicable laws and regulations. If you are unable
to comply with U.S. and local laws, return this product immediately.

A summary of U.S. laws governing Cisco cryptographic products may be found at:
http://www.cisco.com/wwl/export/crypto/tool/stqrg.html

If you require further assistance please contact us by sending email to
export@cisco.com."""


def _image(version: str, family: str) -> str:
    """``15.7(3)M8`` -> ``c2900-universalk9-mz.SPA.157-3.M8.bin``."""
    main, _, rest = version.partition("(")
    build, _, train = rest.partition(")")
    return f"{family.lower()}-universalk9-mz.SPA.{main.replace('.', '')}-{build}.{train}.bin"


def show_version(rt: Runtime) -> str:
    """``show version`` of a 2911 (parsed by NAPALM get_facts and ntc-templates)."""
    spec = rt.spec
    version = spec.version or DEFAULT_VERSION
    boot = cisco_time(rt.state.boot)
    hw = rt.hardware
    family = hw.family
    ports = "\n".join(hw.port_lines)
    image = f"{family} Software ({family}-UNIVERSALK9-M)"
    return f"""Cisco IOS Software, {image}, Version {version}, RELEASE SOFTWARE (fc2)
Technical Support: http://www.cisco.com/techsupport
Copyright (c) 1986-2021 by Cisco Systems, Inc.
Compiled Wed 24-Feb-21 05:40 by prod_rel_team


ROM: System Bootstrap, Version 15.0(1r)M16, RELEASE SOFTWARE (fc1)

{rt.running.hostname} uptime is {rt.state.uptime()}
System returned to ROM by power-on
System restarted at {boot}
System image file is "flash0:{_image(version, family)}"
Last reload type: Normal Reload
Last reload reason: power-on



{_CRYPTO}
Cisco {spec.model or DEFAULT_MODEL} (revision 1.0) with {hw.memory} bytes of memory.
Processor board ID {spec.serial or "FGL0000000A"}
{ports}
DRAM configuration is 64 bits wide with parity enabled.
255K bytes of non-volatile configuration memory.
250880K bytes of ATA System CompactFlash 0 (Read/Write)


License Info:

License UDI:

-------------------------------------------------
Device#   PID                   SN
-------------------------------------------------
*1        {spec.model or DEFAULT_MODEL:<22}{spec.serial or "FGL0000000A"}



Technology Package License Information for Module:'{family.lower()}'

-----------------------------------------------------------------
Technology    Technology-package           Technology-package
              Current       Type           Next reboot
------------------------------------------------------------------
ipbase        ipbasek9      Permanent      ipbasek9
security      securityk9    Permanent      securityk9
uc            None          None           None
data          None          None           None

Configuration register is 0x2102
"""


def show_clock(rt: Runtime) -> str:
    """``show clock``: a leading ``*`` when NTP has not synchronised the clock."""
    synced = ntp_peer(rt) is not None
    return ("" if synced else "*") + cisco_time(rt.state.now(), millis=True) + "\n"


def show_processes_cpu(rt: Runtime) -> str:
    """``show processes cpu`` (NAPALM reads the one-minute figure)."""
    five_sec, one_min, five_min = rt.state.cpu()
    lines = [
        f"CPU utilization for five seconds: {five_sec}%/0%; one minute: {one_min}%;"
        f" five minutes: {five_min}%",
        " PID Runtime(ms)     Invoked      uSecs   5Sec   1Min   5Min TTY Process ",
    ]
    processes = (
        "Chunk Manager",
        "Load Meter",
        "SpanTree Helper",
        "Check heaps",
        "Pool Manager",
        "Timers",
        "ARP Input",
        "IP Input",
        "SSH Process",
        "NTP",
        "IP SNMP",
        "DHCPD Receive",
    )
    for pid, name in enumerate(processes, start=1):
        busy = name == "IP Input" and rt.state.cpu_override is not None
        pct = f"{five_sec - 1:.2f}%" if busy else "0.00%"
        lines.append(
            f"{pid:4d}{pid * 9133:12d}{pid * 45877:12d}{199 + pid:11d}"
            f"{pct:>7}{pct:>7}{pct:>7}{0:4d} {name}"
        )
    return "\n".join(lines) + "\n"


def show_memory_statistics(rt: Runtime) -> str:
    """``show memory statistics``: the Processor and I/O lines NAPALM sums (the Processor line
    alone under ``no-io-memory``, as Catalyst 4500/2960 print it: NAPALM then raises)."""
    proc_used, io_used = rt.state.memory_used()
    rows = [
        ("Processor", "2A9F5F20", PROCESSOR_TOTAL, proc_used),
        ("I/O", "E800000", IO_TOTAL, io_used),
    ]
    if rt.state.no_io_memory:
        rows = rows[:1]
    lines = ["                Head    Total(b)     Used(b)     Free(b)   Lowest(b)  Largest(b)"]
    for name, head, total, used in rows:
        free = total - used
        lines.append(
            f"{name:>9}{head:>11}{total:>12}{used:>12}{free:>12}{free * 99 // 100:>12}"
            f"{free * 93 // 100:>12}"
        )
    return "\n".join(lines) + "\n"


def _sensor(name: str, value: int, yellow: int, red: int) -> str:
    state = "GREEN" if value < yellow else "YELLOW" if value < red else "RED"
    return (
        f"{name} Temperature Value: {value} Degree Celsius\n"
        f"Temperature State: {state}\n"
        f"Yellow Threshold : {yellow} Degree Celsius\n"
        f"Red Threshold    : {red} Degree Celsius\n"
    )


def show_environment_temperature(rt: Runtime) -> str:
    """``show environment temperature`` / ``show env temperature status``: inlet and hotspot
    sensors in the ``<name> Temperature Value`` layout that NAPALM and ntc-templates parse."""
    inlet = rt.state.temperature()
    return _sensor("Inlet", inlet, 65, 80) + "\n" + _sensor("Hotspot", inlet + 14, 105, 125)


def show_inventory(rt: Runtime) -> str:
    """``show inventory``: chassis and power supply."""
    model, serial = rt.spec.model or DEFAULT_MODEL, rt.spec.serial or "FGL0000000A"
    psu = rt.hardware.psu
    return (
        f'NAME: "{model} chassis", DESCR: "{model} chassis, Hw Serial#: {serial},'
        ' Hw Revision: 1.0"\n'
        f"PID: {model:<18}, VID: V07 , SN: {serial}\n\n"
        f'NAME: "{psu} Power Supply", DESCR: "{psu} Power Supply"\n'
        f"PID: {psu:<18}, VID: V03 , SN: QCS1604P0BT\n\n"
    )


def show_logging(rt: Runtime) -> str:
    """``show logging``: settings, then the buffer (``logging buffered``)."""
    count = rt.state.log_seq
    lines = [
        "Syslog logging: enabled (0 messages dropped, 3 messages rate-limited, 0 flushes,"
        " 0 overruns, xml disabled, filtering disabled)",
        "",
        "No Active Message Discriminator.",
        "",
        "",
        "",
        "No Inactive Message Discriminator.",
        "",
        "",
        f"    Console logging: level debugging, {count} messages logged, xml disabled,",
        "                     filtering disabled",
        "    Monitor logging: level debugging, 0 messages logged, xml disabled,",
        "                     filtering disabled",
        f"    Buffer logging:  level warnings, {count} messages logged, xml disabled,",
        "                    filtering disabled",
        "    Exception Logging: size (4096 bytes)",
        "    Count and timestamp logging messages: disabled",
        "    Persistent logging: disabled",
        "",
        "No active filter modules.",
        "",
        f"    Trap logging: level informational, {count} message lines logged",
        "        Logging Source-Interface:       VRF Name:",
        "",
        "Log Buffer (51200 bytes):",
        "",
    ]
    for moment, message in rt.state.log:
        stamp = moment.strftime("%b %d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"
        lines.append(f"*{stamp}: {message}")
    return "\n".join(lines) + "\n"


def show_hosts(rt: Runtime) -> str:
    """``show hosts``: default domain and name servers (NAPALM builds the FQDN from it)."""
    domains = rt.running.values("ip", "domain", "name")
    servers = rt.running.values("ip", "name-server")
    lookup = "no ip domain lookup" not in list(rt.running.heads("no", "ip", "domain"))
    lines = [f"Default domain is {domains[0]}" if domains else "Default domain is not set"]
    lines.append(f"Name servers are {', '.join(servers)}" if servers else "")
    if not lookup:
        lines.append("Name/address lookup uses static mappings")
    else:
        lines.append("Name/address lookup uses domain service")
    lines += [
        "",
        "Codes: UN - unknown, EX - expired, OK - OK, ?? - revalidate",
        "       temp - temporary, perm - permanent",
        "       NA - Not Applicable None - Not defined",
        "",
        "Host                      Port  Flags      Age Type   Address(es)",
    ]
    return "\n".join(line for line in lines if line is not None) + "\n"


def _header_comments(
    change: tuple[datetime, str] | None, saved: tuple[datetime, str] | None
) -> list[str]:
    lines = ["!"]
    if change is None:
        lines.append("! No configuration change since last restart")
    else:
        lines.append(f"! Last configuration change at {cisco_time(change[0])} by {change[1]}")
    if saved is not None:
        lines.append(f"! NVRAM config last updated at {cisco_time(saved[0])} by {saved[1]}")
    return [*lines, "!"]


def clock_period(rt: Runtime) -> int | None:
    """``ntp clock-period`` (moves as NTP disciplines the clock) when NTP is configured."""
    if not rt.running.values("ntp", "server"):
        return None
    return 17_179_869 + rt.state.rng.randint(-40, 40)


def running_config_text(rt: Runtime) -> str:
    """``show running-config``, with ``Current configuration : N bytes`` counted exactly
    over the text that follows that line (``\\n`` line ends, as IOS counts)."""
    body = _header_comments(rt.last_change, rt.nvram_saved) + rt.running.render_body(
        clock_period(rt)
    )
    text = "\n".join(body) + "\n"
    size = len(text.encode())
    return f"Building configuration...\n\nCurrent configuration : {size} bytes\n{text}"


def startup_config_text(rt: Runtime) -> str:
    """``show startup-config``: what ``write memory`` stored, with its own header."""
    stored = rt.startup.render_body(rt.startup_period)
    text = "\n".join([*_header_comments(rt.startup_change, rt.nvram_saved), *stored]) + "\n"
    return f"Using {len(text.encode())} out of {NVRAM_SIZE} bytes\n{text}"


def interface_config_text(rt: Runtime, name: str) -> str:
    """``show running-config interface NAME``."""
    body = rt.running.render_body()
    start = body.index(f"interface {name}")
    end = next(i for i in range(start + 1, len(body)) if not body[i].startswith(" "))
    text = "\n".join(["!", *body[start:end], "end"]) + "\n"
    return (
        f"Building configuration...\n\nCurrent configuration : {len(text.encode())} bytes\n{text}"
    )
