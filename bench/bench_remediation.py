"""Benchmark: compliance/remediation time and peak memory on big configurations (no device).

    .venv/bin/python bench/bench_remediation.py [--items 6000] [--repeat 3]

RouterOS: an ``/export terse`` of ``--items`` lines (firewall rules, addresses, DHCP leases,
as on a large OPD router; oxidized #1966 saw 6,000-line exports), checked against an intended
config that changes a tenth of them, over the owned menus. IOS: a running config with
``--items`` / 4 interfaces (4 lines each). Prints one JSON line of figures: seconds per host
(best of ``--repeat``) and peak traced memory.
"""

from __future__ import annotations

import argparse
import json
import time
import tracemalloc
from collections.abc import Callable

from netrawat.remediation import remediate

ROS_SCOPE = ["/ip firewall filter", "/ip address", "/ip dhcp-server lease", "/ip dns"]


def routeros_configs(items: int) -> tuple[str, str]:
    """(running, intended) exports of about ``items`` lines; intended differs in ~10 %."""
    running: list[str] = ["/ip dns set allow-remote-requests=yes servers=8.8.8.8"]
    intended: list[str] = ["/ip dns set allow-remote-requests=yes servers=10.0.0.53,10.0.1.53"]
    for n in range(items // 3):
        a, b = divmod(n, 250)
        rule = f"/ip firewall filter add action=accept chain=forward src-address=10.{a}.{b}.0/24"
        lease = (
            f"/ip dhcp-server lease add address=10.21.{a}.{b + 1} "
            f"mac-address=DC:2C:6E:{a % 256:02X}:{b:02X}:01 server=dhcp-lan"
        )
        address = f"/ip address add address=172.{16 + a % 16}.{b}.1/24 interface=vlan{n}"
        running += [rule, lease, address]
        changed = n % 10 == 0
        intended += [
            rule + (' comment="NOC"' if changed else ""),
            lease,
            address if n % 10 != 5 else address.replace(".1/24", ".2/24"),
        ]
    return "\n".join(running) + "\n", "\n".join(intended) + "\n"


def ios_configs(items: int) -> tuple[str, str]:
    """(running, intended) with ``items`` / 4 interfaces; every tenth description differs."""
    running: list[str] = ["hostname CR-BIG", "ntp server 10.99.99.123"]
    intended: list[str] = ["hostname CR-BIG", "ntp server 10.0.0.123"]
    for n in range(items // 4):
        head = f"interface GigabitEthernet0/{n}"
        body = [f" description port {n}", f" ip address 10.{n // 250}.{n % 250}.1 255.255.255.0"]
        running += [head, *body, " no shutdown"]
        wanted = [f" description {'uplink' if n % 10 == 0 else 'port'} {n}", body[1]]
        intended += [head, *wanted, " no shutdown"]
    return "\n".join(running) + "\n", "\n".join(intended) + "\n"


def measure(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(best seconds, peak MiB) of ``run``."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return best, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=6000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ros_running, ros_intended = routeros_configs(args.items)
    ios_running, ios_intended = ios_configs(args.items)
    ros_fix = remediate("mikrotik_routeros", ros_running, ros_intended, ROS_SCOPE)
    ios_fix = remediate("cisco_ios", ios_running, ios_intended, ["^interface ", "^ntp server "])
    ros_s, ros_mb = measure(
        lambda: remediate("mikrotik_routeros", ros_running, ros_intended, ROS_SCOPE), args.repeat
    )
    ios_s, ios_mb = measure(
        lambda: remediate("cisco_ios", ios_running, ios_intended, ["^interface ", "^ntp server "]),
        args.repeat,
    )
    figures = {
        "items": args.items,
        "routeros_lines": ros_running.count("\n"),
        "routeros_commands": len(ros_fix.commands),
        "routeros_seconds": round(ros_s, 3),
        "routeros_peak_mib": round(ros_mb, 1),
        "ios_lines": ios_running.count("\n"),
        "ios_commands": len(ios_fix.commands),
        "ios_seconds": round(ios_s, 3),
        "ios_peak_mib": round(ios_mb, 1),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
