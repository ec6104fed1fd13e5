"""bench/RESULTS.md from the suite's figures: tables, ratios, targets met or missed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

Row = dict[str, Any]

TARGET_FLOOR_RATIO = 1.0
TARGET_CPU_RATIO = 0.8
FLOOR_TARGET_SIZES = (100, 200, 1000)
"""Where issue 19 sets the floor targets; other sizes are shown, not judged."""
TARGET_ANSIBLE_RATIO = 5.0
TARGET_RSS_MB = 1024.0
TOOLS = ("floor", "netrawat", "netrawat os_version", "netrawat first run", "ansible")
DEFAULT = {"workers": None, "processes": 1}
"""Set by `write_report`: the rows of the main tables are the suite's --workers, 1 process."""


def _matches(row: Row, match: dict[str, Any]) -> bool:
    """Whether ``row`` has the wanted values (None: any; a row without one, 0: any)."""
    return all(v is None or row.get(k, 0) in (v, 0) for k, v in match.items())


def best(rows: list[Row], tool: str, n: int, **match: Any) -> Row | None:
    """The fastest run of ``tool`` over ``n`` devices (with the suite's --workers and one
    process unless ``match`` says otherwise; ``workers=None``: any count)."""
    wanted = {**DEFAULT, **match}
    runs = [r for r in rows if r["tool"] == tool and r["devices"] == n and _matches(r, wanted)]
    return min(runs, key=lambda r: r["wall_s"]) if runs else None


def leanest(rows: list[Row], tool: str, n: int) -> Row | None:
    """The run of ``tool`` over ``n`` devices (one process, any --workers) that used the least
    client CPU: CPU is compared between each tool's most frugal runs, whatever their wall."""
    runs = [
        r
        for r in rows
        if r["tool"] == tool and r["devices"] == n and _matches(r, DEFAULT | {"workers": None})
    ]
    return min(runs, key=lambda r: r["cpu_s"]) if runs else None


def _table(header: list[str], lines: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    out += ["| " + " | ".join(str(x) for x in line) + " |" for line in lines]
    return [*out, ""]


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "-"


def backup_section(rows: list[Row], sizes: list[int]) -> list[str]:
    header = ["N", "tool", "runs", "wall s (best)", "devices/s", "client CPU s",
              "peak RSS MB (largest process)", "peak RSS MB (all processes)", "lab CPU s",
              "failed"]  # fmt: skip
    lines = []
    for n in sizes:
        for tool in TOOLS:
            row = best(rows, tool, n)
            if row is None:
                continue
            runs = sorted(
                r["wall_s"]
                for r in rows
                if r["tool"] == tool and r["devices"] == n and _matches(r, DEFAULT)
            )
            lines.append([n, tool, " / ".join(map(str, runs)), row["wall_s"],
                          round(n / row["wall_s"], 1), row["cpu_s"], row["peak_rss_mb"],
                          row["peak_tree_rss_mb"], row["lab_cpu_s"], row["failed"]])  # fmt: skip
    return ["## Backup: netrawat, its floor and Ansible", "", *_table(header, lines)]


def ratio_lines(rows: list[Row], sizes: list[int]) -> list[list[Any]]:
    """Per N: netrawat/floor (wall, client CPU), with os_version declared, first run, and
    ansible/netrawat (against the repeat run and against the first run)."""
    lines = []
    for n in sizes:
        floor, ours, declared, first, peer = (best(rows, t, n) for t in TOOLS)
        if not (floor and ours):
            continue
        line = [n, _ratio(ours["wall_s"], floor["wall_s"]), _ratio(ours["cpu_s"], floor["cpu_s"])]
        line += [_ratio(x["wall_s"], floor["wall_s"]) if x else "-" for x in (declared, first)]
        line += [
            _ratio(peer["wall_s"], x["wall_s"]) if peer and x else "not run" for x in (ours, first)
        ]
        lines.append(line)
    return lines


def ratio_section(rows: list[Row], sizes: list[int]) -> list[str]:
    header = ["N", "netrawat/floor (wall)", "netrawat/floor (client CPU)",
              "netrawat os_version/floor (wall)", "netrawat first run/floor (wall)",
              "ansible/netrawat (wall)", "ansible/netrawat first run (wall)"]  # fmt: skip
    return ["## Ratios", "", *_table(header, ratio_lines(rows, sizes))]


def scaling_section(rows: list[Row], sizes: list[int]) -> list[str]:
    header = ["N", "wall s", "ms per device", "vs smallest N", "client CPU ms/device",
              "lab CPU ms/device", "peak threads", "peak RSS MB",
              "RSS MB per 100 devices"]  # fmt: skip
    lines, base = [], None
    for n in sizes:
        row = best(rows, "netrawat", n)
        if row is None:
            continue
        per = row["wall_s"] / n * 1000
        base = base or per
        lines.append([n, row["wall_s"], round(per, 1), f"{per / base:.2f}x",
                      round(row["cpu_s"] / n * 1000, 1), round(row["lab_cpu_s"] / n * 1000, 1),
                      row.get("peak_threads", "-"), row["peak_rss_mb"],
                      round(row["peak_rss_mb"] / n * 100, 1)])  # fmt: skip
    return ["## Scaling of netrawat backup (repeat runs)", "", *_table(header, lines)]


def _cpu_columns(rows: list[Row], n: int) -> list[Any]:
    """Client CPU ms/device of the floor and netrawat (each tool's leanest run) and their ratio."""
    floor, ours = leanest(rows, "floor", n), leanest(rows, "netrawat", n)
    if not (floor and ours):
        return ["-", "-", "-"]
    return [round(floor["cpu_s"] / n * 1000, 1), round(ours["cpu_s"] / n * 1000, 1),
            _ratio(ours["cpu_s"], floor["cpu_s"])]  # fmt: skip


def floor_section(rows: list[Row], sizes: list[int]) -> list[str]:
    """Issue 19: netrawat against the floor, each at its best worker count (one process)."""
    header = ["N", "floor best (workers)", "netrawat best (workers)", "wall ratio",
              "floor CPU ms/device", "netrawat CPU ms/device", "CPU ratio",
              "netrawat 2 processes", "ratio"]  # fmt: skip
    lines = []
    for n in sizes:
        floor = best(rows, "floor", n, workers=None)
        ours = best(rows, "netrawat", n, workers=None)
        if not (floor and ours):
            continue
        two = best(rows, "netrawat", n, processes=2)
        lines.append([
            n, f"{floor['wall_s']} ({floor.get('workers') or '-'})",
            f"{ours['wall_s']} ({ours.get('workers') or '-'})",
            _ratio(ours["wall_s"], floor["wall_s"]),
            *_cpu_columns(rows, n),
            two["wall_s"] if two else "-", _ratio(two["wall_s"], floor["wall_s"]) if two else "-",
        ])  # fmt: skip
    return ["## Against the floor, each at its best worker count", "", *_table(header, lines)]


def sweep_section(rows: list[Row]) -> list[str]:
    """--workers sweep (one process) and --processes, at the sweep size."""
    swept = sorted({(r["devices"], r.get("workers", 0)) for r in rows if r.get("workers")})
    sizes = sorted({n for n, _ in swept if sum(1 for m, _ in swept if m == n) > 1})
    header = ["N", "tool", "workers", "processes", "wall s", "devices/s", "client CPU ms/device",
              "lab CPU share", "peak threads (all processes)", "peak RSS MB (all processes)",
              "failed"]  # fmt: skip
    lines = []
    for n in sizes:
        for tool, processes in (("floor", 1), ("netrawat", 1), ("netrawat", 2)):
            for workers in sorted({w for m, w in swept if m == n}):
                row = best(rows, tool, n, workers=workers, processes=processes)
                if row is None:
                    continue
                lines.append([n, tool, workers, processes, row["wall_s"],
                              round(n / row["wall_s"], 1), round(row["cpu_s"] / n * 1000, 1),
                              f"{row['lab_cpu_s'] / row['wall_s']:.0%}",
                              row.get("peak_threads", "-"), row["peak_tree_rss_mb"],
                              row["failed"]])  # fmt: skip
    if not lines:
        return []
    return ["## Workers and processes", "", *_table(header, lines)]


def health_section(rows: list[Row]) -> list[str]:
    header = ["path", "N", "wall s", "ms per device (wall)", "client CPU ms/device",
              "lab CPU ms/device", "peak RSS MB", "not fully checked"]  # fmt: skip
    lines = []
    for row in rows:
        if row["tool"].startswith("health"):
            n = row["devices"]
            lines.append([row["tool"], n, row["wall_s"], round(row["wall_s"] / n * 1000, 1),
                          round(row["cpu_s"] / n * 1000, 1),
                          round(row["lab_cpu_s"] / n * 1000, 1), row["peak_rss_mb"],
                          row["failed"]])  # fmt: skip
    return ["## Health: NAPALM API path vs CLI path", "", *_table(header, lines)]


def rancid_section(rows: list[Row], sizes: list[int]) -> list[str]:
    """IOS hosts only: floor, netrawat and RANCID, with the ratios."""
    header = ["N (IOS hosts)", "tool", "wall s", "hosts/s", "client CPU s",
              "peak RSS MB (all processes)", "failed", "ratio"]  # fmt: skip
    lines = []
    for n in sizes:
        floor, ours, peer = (best(rows, t, n) for t in ("floor IOS", "netrawat IOS", "rancid IOS"))
        for row, ratio in ((floor, ""), (ours, "netrawat/floor"), (peer, "rancid/netrawat")):
            if row is None:
                continue
            base = floor if ratio == "netrawat/floor" else ours
            value = f"{ratio} {_ratio(row['wall_s'], base['wall_s'])}" if ratio and base else ""
            lines.append([f"{n} ({row['hosts']})", row["tool"], row["wall_s"],
                          round(row["hosts"] / row["wall_s"], 1), row["cpu_s"],
                          row["peak_tree_rss_mb"], row["failed"], value])  # fmt: skip
    if not lines:
        return []
    return ["## RANCID (IOS routers of the fleet only)", "", *_table(header, lines)]


def capacity_section(results: dict[str, Any], rows: list[Row]) -> list[str]:
    out = ["## Lab capacity", ""]
    cap = results.get("capacity")
    if cap:
        out += ["bench/lab_capacity.py: `" + str(cap) + "`", ""]
    header = ["run (best)", "N", "lab CPU share of wall", "client CPU share of wall",
              "lab ceiling devices/s (1 core)"]  # fmt: skip
    lines = []
    chosen = {(r["tool"], r["devices"]) for r in rows}
    for tool, n in sorted(chosen, key=lambda k: (k[1], k[0])):
        row = best(rows, tool, n)
        if row is None or row["lab_cpu_s"] <= 0 or tool == "ansible" or tool.endswith("IOS"):
            continue
        lines.append([tool, n, f"{row['lab_cpu_s'] / row['wall_s']:.0%}",
                      f"{row['cpu_s'] / row['wall_s']:.0%}",
                      round(n / row["lab_cpu_s"], 1)])  # fmt: skip
    return out + _table(header, lines)


def machine_lines(results: dict[str, Any]) -> list[str]:
    m, after = results["machine"], results.get("machine_after", {})
    versions = ", ".join(f"{k} {v}" for k, v in m["versions"].items())
    return [
        f"- Machine: {m['cpu']}, {m['cpus']} CPUs, {m['memory_gb']} GB RAM, Linux "
        f"{m['kernel']}, Python {m['python']} (shared with other engineers' work: noisy).",
        f"- Load average at start {m['loadavg']}, at end {after.get('loadavg', '?')}; "
        f"started {m['utc']} UTC, ended {after.get('utc', '?')} UTC.",
        f"- Versions: {versions}.",
        f"- Command: `make bench` = `.venv/bin/python {results['command']}`.",
        f"- Lab latency {results['args']['latency']} ms before every reply; "
        f"{results['args']['workers']} workers / Ansible forks.",
        "",
    ]


def write_report(results: dict[str, Any], out: Path) -> None:
    rows: list[Row] = results["rows"]
    sizes: list[int] = results["args"]["sizes"]
    DEFAULT["workers"] = results["args"]["workers"]
    head = out.with_name("RESULTS.head.md")
    lines = [head.read_text(encoding="utf-8").rstrip(), ""] if head.exists() else []
    lines += ["## Run", "", *machine_lines(results)]
    lines += targets_section(rows, sizes)
    lines += floor_section(rows, sizes) + sweep_section(rows)
    lines += backup_section(rows, sizes) + ratio_section(rows, sizes)
    lines += rancid_section(rows, sizes)
    lines += scaling_section(rows, sizes) + health_section(rows)
    lines += capacity_section(results, rows)
    out.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


def targets_section(rows: list[Row], sizes: list[int]) -> list[str]:
    """Each target of issue 10, met or missed, from this run."""
    checks: list[list[Any]] = []
    for n in sizes:
        floor = best(rows, "floor", n, workers=None)
        ours = best(rows, "netrawat", n, workers=None)
        if not (floor and ours) or n not in FLOOR_TARGET_SIZES:
            continue
        lean_floor, lean_ours = leanest(rows, "floor", n), leanest(rows, "netrawat", n)
        wall = ours["wall_s"] / floor["wall_s"]
        cpu = lean_ours["cpu_s"] / lean_floor["cpu_s"] if lean_floor and lean_ours else 99.0
        checks.append([f"backup N={n} at or under the floor (each at its best workers)",
                       f"{wall:.2f}x", wall <= TARGET_FLOOR_RATIO])  # fmt: skip
        checks.append([f"client CPU per device N={n} at most {TARGET_CPU_RATIO}x the floor's",
                       f"{cpu:.2f}x", cpu <= TARGET_CPU_RATIO])  # fmt: skip
    for n, _, _, _, _, peer, peer_first in ratio_lines(rows, sizes):
        if n == 200 and peer != "not run":
            checks.append([f"at least {TARGET_ANSIBLE_RATIO:g}x faster than Ansible at 200",
                           f"{peer} (first run: {peer_first})",
                           float(peer) >= TARGET_ANSIBLE_RATIO])  # fmt: skip
    for n in sizes:
        ours = [r for r in rows if r["tool"].startswith("netrawat") and r["devices"] == n]
        if not ours:
            continue
        failed = sum(r["failed"] for r in ours)
        if n >= 1000:
            checks.append([f"{n} devices in one run, no errors",
                           f"{failed} failed over {len(ours)} runs", failed == 0])  # fmt: skip
        peak = max(r["peak_rss_mb"] for r in ours)
        checks.append([f"peak RSS under 1 GB at N={n}", f"{peak} MB (largest of {len(ours)} runs)",
                       peak < TARGET_RSS_MB])  # fmt: skip
    lines = [[name, value, "met" if ok else "**missed**"] for name, value, ok in checks]
    return ["## Targets (this run)", "", *_table(["target", "measured", ""], lines)]
