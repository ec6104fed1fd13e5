"""The benchmark suite behind ``make bench``: backup against its floor and its peers, health
paths, lab capacity and scaling, side by side in one run on a lab with WAN-like latency.

    .venv/bin/python bench/suite.py [--sizes 50,200,1000] [--latency 20] [--workers 20]
        [--rounds 2] [--ansible-max 200] [--health 200] [--capacity 1000]
        [--out bench/RESULTS.md]

For every fleet size N one lab of N generated devices (RouterOS routers and APs, Cisco IOS
routers) is started with ``--latency`` ms before every reply, then, in turn on that same lab:
the floor (bench/floor_backup.py: bare Nornir + nornir_netmiko), ``netrawat backup`` (fresh
state: every host changed, one commit) and Ansible (bench/peer_ansible.py, N <= --ansible-max:
it is slow). Floor and netrawat alternate ``--rounds`` times; the best of each is compared,
since the shared machine is noisy. Then ``netrawat health --via cli`` and ``--via api`` on a
lab of ``--health`` RouterOS routers with the API on, and bench/lab_capacity.py. Writes the
tables to ``--out`` and the raw figures next to it (results.json). Exit 1 if any run had a
failed device.
"""

from __future__ import annotations

import argparse
import compileall
import functools
import importlib.util
import json
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from api_getters import fleet as api_fleet
from machine import describe_machine
from measure import Measured, python_command, run_measured
from peer_ansible import command as ansible_command
from peer_ansible import environment as ansible_environment
from peer_ansible import failed_hosts as ansible_failed
from peer_rancid import available as rancid_available
from report import write_report

from netrawat_lab.fleet import LabCredentials, Layout, generate_fleet
from netrawat_lab.handle import Lab
from netrawat_lab.spec import DeviceSpec
from netrawat_lab.testing import Slot, private_slot, respecs, start_test_lab

BENCH = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Row:
    """One measured run of one tool over one fleet."""

    tool: str
    devices: int
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    peak_tree_rss_mb: float
    lab_cpu_s: float
    failed: int
    round: int = 0
    hosts: int = 0
    """Hosts backed up when only part of the fleet is (the IOS rows); 0: all of them."""
    workers: int = 0
    processes: int = 0
    peak_threads: int = 0

    @classmethod
    def of(
        cls,
        tool: str,
        devices: int,
        m: Measured,
        failed: int,
        round_: int = 0,
        *,
        workers: int = 0,
        processes: int = 0,
    ) -> Row:
        return cls(
            tool,
            devices,
            round(m.wall_s, 2),
            round(m.cpu_s, 2),
            round(m.peak_rss_mb, 1),
            round(m.peak_tree_rss_mb, 1),
            round(m.lab_cpu_s, 2),
            failed,
            round_,
            workers=workers,
            processes=processes,
            peak_threads=m.peak_threads,
        )


def netrawat_command(*args: str) -> list[str]:
    """``python -m netrawat ARGS``, its sources compiled (`compile_netrawat`)."""
    compile_netrawat()
    return [sys.executable, "-m", "netrawat", *args]


@functools.cache
def compile_netrawat() -> None:
    """Compile netrawat's sources to bytecode once, as ``pip install`` does for a wheel (and
    as the floor's libraries are). Run from an editable checkout with PYTHONDONTWRITEBYTECODE
    set, every `netrawat` process would otherwise compile its ~100 modules again (~0.15 s of
    CPU a run that no installed netrawat pays). A source edited later is compiled in memory
    as before (Python checks the source's mtime): never a stale module."""
    for name in ("netrawat", "netrawat.tasks", "netrawat.playbooks", "netrawat_lab"):
        spec = importlib.util.find_spec(name)
        for where in (spec.submodule_search_locations or []) if spec else []:
            compileall.compile_dir(where, quiet=1)


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return None


def run_netrawat_backup(
    lab: Lab,
    inventory: Path,
    state: Path,
    workers: int,
    tool: str,
    *,
    round_: int = 0,
    processes: int = 1,
) -> Row:
    """One `netrawat backup` process over ``inventory`` (the lab's, or a copy of it)."""
    argv = netrawat_command(
        "backup", "--inventory", str(inventory), "--state", str(state), "--trust-new-hosts",
        "--workers", str(workers), "--processes", str(processes), "--json",
    )  # fmt: skip
    m = run_measured(argv, lab_pid=lab.pid)
    report = _json_or_none(m.stdout)
    failed = report["counts"]["failed"] if report else len(lab.specs)
    if report is None:
        print(f"netrawat backup gave no report: {m.stderr[-1500:]}", file=sys.stderr)
    return Row.of(tool, len(lab.specs), m, failed, round_, workers=workers, processes=processes)


def with_os_version(lab: Lab, copy: Path, version: str = "7.16.1") -> Path:
    """A copy of the lab inventory declaring ``data.os_version`` fleet-wide (the documented
    way to skip the RouterOS version query; IOS hosts ignore it)."""
    copy.mkdir(parents=True, exist_ok=True)
    for name in ("hosts.yaml", "groups.yaml", "secrets.yaml"):
        shutil.copy2(lab.dir / name, copy / name)
    defaults = yaml.safe_load((lab.dir / "defaults.yaml").read_text()) or {}
    defaults.setdefault("data", {})["os_version"] = version
    (copy / "defaults.yaml").write_text(yaml.safe_dump(defaults), encoding="utf-8")
    return copy


def run_floor(lab: Lab, out: Path, workers: int, round_: int, *extra: str) -> Row:
    argv = python_command(
        BENCH / "floor_backup.py", "--inventory", str(lab.dir), "--out", str(out),
        "--workers", str(workers), *extra,
    )  # fmt: skip
    m = run_measured(argv, lab_pid=lab.pid)
    report = _json_or_none(m.stdout)
    failed = report["failed"] if report else len(lab.specs)
    tool = "floor" + (" IOS" if extra else "")
    return Row.of(tool, len(lab.specs), m, failed, round_, workers=workers, processes=1)


def rancid_rows(lab: Lab, root: Path, workers: int) -> list[Row]:
    """IOS hosts only: the floor, netrawat (``--platform cisco_ios``) and RANCID."""
    n = len(lab.specs)
    rows = [run_floor(lab, root / f"floor-ios-{n}", workers, 0, "--platform", "cisco_ios")]
    argv = netrawat_command(
        "backup", "--inventory", str(lab.dir), "--state", str(root / f"state-ios-{n}"),
        "--trust-new-hosts", "--workers", str(workers), "--json", "--platform", "cisco_ios",
    )  # fmt: skip
    for round_ in (0, 1):  # a first run (pins the keys), then a repeat run: the best counts
        m = run_measured(argv, lab_pid=lab.pid)
        report = _json_or_none(m.stdout)
        failed = report["counts"]["failed"] if report else n
        rows.append(Row.of("netrawat IOS", n, m, failed, round_))
    work = root / f"rancid-{n}"
    argv = python_command(
        BENCH / "peer_rancid.py", "--inventory", str(lab.dir), "--work", str(work),
        "--workers", str(workers),
    )  # fmt: skip
    m = run_measured(argv, lab_pid=lab.pid)
    report = _json_or_none(m.stdout)
    rows.append(Row.of("rancid IOS", n, m, report["failed"] if report else n))
    print(f"backup {n} IOS: " + " / ".join(str(r.wall_s) for r in rows) + " s", file=sys.stderr)
    ios = len(lab.hosts(platform="cisco_ios"))
    return [replace(row, hosts=ios) for row in rows]


def run_ansible(lab: Lab, work: Path, workers: int) -> Row:
    argv = ansible_command(lab.dir, work, workers)
    m = run_measured(argv, env=ansible_environment(work), lab_pid=lab.pid)
    (work / "ansible.log").write_text(m.stdout + m.stderr, encoding="utf-8")
    stored = len(list((work / "backups").iterdir()))
    failed = max(len(ansible_failed(m.stdout)), len(lab.specs) - stored)
    return Row.of("ansible", len(lab.specs), m, failed)


def start_lab(root: Path, specs: list[DeviceSpec], latency: int) -> Lab:
    """A lab owned by this process (it stops if the suite dies), on the specs' slot."""
    first = specs[0]
    slot = Slot(int(first.address.split(".")[1]), first.port)
    return start_test_lab(root, specs, slot, latency_ms=latency)


def backup_rows(n: int, args: argparse.Namespace, root: Path) -> list[Row]:
    """On one lab of n: netrawat's first run (fresh state: every key pinned, every host
    changed, one commit), then ``--rounds`` rounds of floor / netrawat / netrawat with
    ``os_version`` declared (repeat runs on that state: the daily case), then Ansible."""
    slot = private_slot()
    specs = respecs(generate_fleet(n, Layout(slot.block, LabCredentials.generate())), slot)
    lab = start_lab(root / f"lab-{n}", specs, args.latency)
    declared = with_os_version(lab, root / f"inventory-{n}")
    state = root / f"state-{n}"
    rows: list[Row] = []
    try:
        rows.append(run_netrawat_backup(lab, lab.dir, state, args.workers, "netrawat first run"))
        for r in range(rounds_at(n, args)):
            if n <= args.floor_max:
                rows.append(run_floor(lab, root / f"floor-{n}-{r}", args.workers, r))
            rows.append(
                run_netrawat_backup(lab, lab.dir, state, args.workers, "netrawat", round_=r)
            )
            if args.os_version_rows:
                rows.append(
                    run_netrawat_backup(
                        lab, declared, state, args.workers, "netrawat os_version", round_=r
                    )
                )
            walls = " / ".join(f"{row.tool} {row.wall_s}" for row in rows[-3:])
            print(f"backup {n}: round {r}: {walls} s", file=sys.stderr)
        if n in args.sweep_at:
            rows += sweep_rows(lab, state, args, root)
        if n <= args.ansible_max:
            rows.append(run_ansible(lab, root / f"ansible-{n}", args.workers))
            print(f"backup {n}: ansible {rows[-1].wall_s} s", file=sys.stderr)
        if n <= args.rancid_max and rancid_available():
            rows += rancid_rows(lab, root, args.workers)
    finally:
        lab.down()
    return rows


def rounds_at(n: int, args: argparse.Namespace) -> int:
    """Rounds at N: ``--rounds`` up to ``--rounds-max``, ``--big-rounds`` up to ``--floor-max``,
    one above (the 5,000-device point: no floor, one repeat run)."""
    if n <= args.rounds_max:
        return int(args.rounds)
    return int(args.big_rounds) if n <= args.floor_max else 1


def sweep_rows(lab: Lab, state: Path, args: argparse.Namespace, root: Path) -> list[Row]:
    """On one lab: netrawat and the floor at each ``--sweep-workers`` count (one process),
    then netrawat over 2..``--processes-max`` processes at ``--workers`` and at the largest
    swept count (more processes only pay with more devices in flight)."""
    n, rows = len(lab.specs), []
    for workers in args.sweep_workers:
        if workers != args.workers:
            rows.append(run_floor(lab, root / f"floor-{n}-w{workers}", workers, 0))
            rows.append(run_netrawat_backup(lab, lab.dir, state, workers, "netrawat"))
            print(f"backup {n} --workers {workers}: floor {rows[-2].wall_s} s, "
                  f"netrawat {rows[-1].wall_s} s", file=sys.stderr)  # fmt: skip
    for processes in range(2, args.processes_max + 1):
        for workers in sorted({args.workers, max(args.sweep_workers)}):
            rows.append(
                run_netrawat_backup(
                    lab, lab.dir, state, workers, "netrawat", processes=processes
                )
            )  # fmt: skip
            print(f"backup {n} --processes {processes} --workers {workers}: "
                  f"{rows[-1].wall_s} s", file=sys.stderr)  # fmt: skip
    return rows


def health_rows(n: int, args: argparse.Namespace, root: Path) -> list[Row]:
    """`netrawat health` over n RouterOS routers with the API on: CLI path, then API path."""
    lab = start_lab(root / "lab-health", api_fleet(n, 0), args.latency)
    rows: list[Row] = []
    try:
        for via in ("cli", "api"):
            argv = netrawat_command(
                "health", "--via", via, "--inventory", str(lab.dir),
                "--state", str(root / f"health-{via}"), "--trust-new-hosts",
                "--workers", str(args.workers), "--json",
            )  # fmt: skip
            m = run_measured(argv, lab_pid=lab.pid)
            report = _json_or_none(m.stdout)
            devices = report["devices"] if report else []
            failed = n - sum(1 for d in devices if d["complete"] and not d["error"])
            rows.append(Row.of(f"health --via {via}", n, m, failed))
            print(f"health {via}: {rows[-1].wall_s} s, {failed} failed", file=sys.stderr)
    finally:
        lab.down()
    return rows


def capacity(args: argparse.Namespace) -> dict[str, Any]:
    """bench/lab_capacity.py's figures for a lab of ``--capacity`` devices."""
    n = args.capacity
    argv = python_command(
        BENCH / "lab_capacity.py", "--up", "200", "--devices", str(n), "--sessions", str(n // 5)
    )
    m = run_measured(argv)
    figures = _json_or_none(m.stdout.strip().splitlines()[-1] if m.stdout.strip() else "")
    return figures or {"error": m.stderr[-1500:]}


def _sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default=[50, 200, 1000])
    parser.add_argument("--latency", type=int, default=20, help="ms before every lab reply")
    parser.add_argument("--workers", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="floor/netrawat alternations")
    parser.add_argument("--rounds-max", type=int, default=200, help="--big-rounds above this N")
    parser.add_argument("--big-rounds", type=int, default=2, help="rounds above --rounds-max")
    parser.add_argument("--ansible-max", type=int, default=200, help="no Ansible above this N")
    parser.add_argument("--rancid-max", type=int, default=200, help="no RANCID above this N")
    parser.add_argument("--floor-max", type=int, default=1000, help="no floor above this N")
    parser.add_argument(
        "--sweep-at",
        type=_sizes,
        default=[100, 200, 1000],
        help="N of the --workers and --processes sweep (comma-separated)",
    )
    parser.add_argument("--sweep-workers", type=_sizes, default=[10, 20, 50, 100])
    parser.add_argument("--processes-max", type=int, default=2)
    parser.add_argument(
        "--os-version-rows", action="store_true", help="also runs with data.os_version declared"
    )
    parser.add_argument("--health", type=int, default=200, help="devices (0: skip)")
    parser.add_argument("--capacity", type=int, default=1000, help="lab devices (0: skip)")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite --out from results.json, run nothing"
    )
    return parser.parse_args()


def section(name: str) -> None:
    print(f"== {name}", file=sys.stderr, flush=True)


def main() -> int:
    args = parse_args()
    if args.report_only:
        write_report(json.loads(args.out.with_name("results.json").read_text()), args.out)
        return 0
    results: dict[str, Any] = {
        "machine": describe_machine(),
        "args": vars(args) | {"out": str(args.out)},
    }
    results["command"] = " ".join(["bench/suite.py", *sys.argv[1:]])
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="netrawat-bench-") as tmp:
        root = Path(tmp)
        if args.health:  # small and quick: first, so a cut-short suite still has it
            section(f"health {args.health}")
            rows += health_rows(args.health, args, root)
        for n in args.sizes:
            section(f"backup {n}")
            rows += backup_rows(n, args, root)
            save(results, rows, args.out)  # a suite stopped at a later size keeps these
    if args.capacity:
        section(f"lab capacity {args.capacity}")
        results["capacity"] = capacity(args)
    save(results, rows, args.out)
    print(f"wrote {args.out}", file=sys.stderr)
    return 1 if any(r.failed for r in rows) else 0


def save(results: dict[str, Any], rows: list[Row], out: Path) -> None:
    """Write results.json and the report from the rows measured so far."""
    results["rows"] = [asdict(r) for r in rows]
    results["machine_after"] = describe_machine(load_only=True)
    out.with_name("results.json").write_text(json.dumps(results, indent=1) + "\n")
    write_report(results, out)


if __name__ == "__main__":
    raise SystemExit(main())
