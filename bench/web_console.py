"""Benchmark: the web console and API on a year of nightly history (issue 16).

    .venv/bin/python bench/web_console.py [--devices 300] [--nights 365] [--commits 2000]

Seeds a state directory: an inventory of ``--devices`` devices (5 per OPD), one nightly
backup run and one health run per night for every device (300 x 365 x 2 = 219,000 host rows),
~600 OPD letters (90 % closed) and a config repository of ``--commits`` commits
(git fast-import). Then serves the console
in-process (FastAPI test client) and measures the server time (``Server-Timing``, the time the
application took) of the dashboard, a device page and ``GET /api/v1/devices``: the first call
(which folds the history into the latest-state cache) and the median / p95 of the next ones.
Targets: dashboard and device page < 200 ms, /api/v1/devices < 100 ms. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from netrawat.accounts.users import add_user
from netrawat.recap import open_store, schema
from netrawat.state import StateDir

PASSWORD = "kopi pagi di tepi Kapuas"
CHECKS = ("dns", "ntp", "temperature", "interface_errors", "gateway_ping")


def write_inventory(root: Path, devices: int) -> list[tuple[str, str]]:
    root.mkdir(parents=True)
    hosts, groups, found = {}, {}, []
    for n in range(devices):
        opd = f"opd{n // 5:03d}"
        name = f"{'RTR' if n % 5 == 0 else 'AP'}-{opd.upper()}-{n % 5}"
        groups[f"opd_{opd}"] = {"data": {"opd": opd, "opd_name": opd, "kind": "dinas"}}
        hosts[name] = {
            "hostname": f"127.50.{n // 250}.{n % 250 + 1}",
            "platform": "mikrotik_routeros",
            "groups": [f"opd_{opd}"],
            "data": {"role": "router" if n % 5 == 0 else "ap"},
        }
        found.append((name, opd))
    (root / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    (root / "groups.yaml").write_text(yaml.safe_dump(groups))
    (root / "defaults.yaml").write_text(yaml.safe_dump({"data": {}}))
    return found


def seed_recap(state: StateDir, devices: list[tuple[str, str]], nights: int) -> int:
    store = open_store(state)
    rng = random.Random(16)
    start = datetime.now(UTC).replace(hour=19, minute=0, second=0, microsecond=0)
    start -= timedelta(days=nights)
    rows = 0
    opds = sorted({o for _, o in devices})
    with store.begin() as conn:
        for night in range(nights):
            at = start + timedelta(days=night)
            for playbook in ("backup", "health"):
                run_id = f"{at:%Y%m%dT%H%M%SZ}-{playbook}-{uuid.uuid4().hex[:8]}"
                conn.execute(
                    sa.insert(schema.runs).values(
                        run_id=run_id, playbook=playbook, request_number=None,
                        preventive_id=f"PM-{at:%Y%m%d}-0200", operator="netrawat", opds=opds,
                        options={}, started_at=at, machine="bench", pid=1, process_start=None,
                    )
                )  # fmt: skip
                host_rows = []
                for name, opd in devices:
                    failed = rng.random() < 0.04
                    check = rng.choice(CHECKS)
                    host_rows.append(
                        {
                            "run_id": run_id, "host": name, "opd": opd, "at": at,
                            "outcome": "failed" if failed else ("changed" if playbook ==
                                "backup" and rng.random() < 0.02 else "ok"),
                            "grade": "ringan" if failed and playbook == "health" else None,
                            "actions": [], "commit": None, "error": None,
                            "details": {"failed": {check: "x"} if failed else {}, "errors": {},
                                        "escalate": False} if playbook == "health" else
                                       {"check": "", "lines": 40},
                        }
                    )  # fmt: skip
                conn.execute(sa.insert(schema.run_hosts), host_rows)
                rows += len(host_rows)
                conn.execute(
                    sa.insert(schema.run_ends).values(
                        run_id=run_id, ended_at=at + timedelta(minutes=3), status="ok",
                        summary=f"{playbook} of {len(devices)}",
                    )
                )  # fmt: skip
        letters, closes = [], []
        for n in range(args_requests(nights)):
            at = start + timedelta(hours=n * nights * 24 // max(args_requests(nights), 1))
            number = f"{n:03d}/112/{rng.choice(opds)}/XI/2026"
            letters.append(
                {"number": number, "opd": rng.choice(opds), "summary": "Internet lambat",
                 "received_at": at, "opened_at": at, "opened_by": "budi"}
            )  # fmt: skip
            if rng.random() < 0.9:
                closes.append(
                    {"request_number": number, "kind": "closed", "at": at + timedelta(days=1),
                     "operator": "budi", "result": "restored", "note": None}
                )  # fmt: skip
        conn.execute(sa.insert(schema.requests), letters)
        conn.execute(sa.insert(schema.request_events), closes)
    add_user(store, "bench", "viewer", PASSWORD, by="bench")
    store.close()
    return rows


def args_requests(nights: int) -> int:
    """About 600 letters a year (a few per working day), 90 % of them closed."""
    return nights * 600 // 365


def seed_configs(state: StateDir, devices: list[tuple[str, str]], commits: int) -> None:
    """``commits`` commits over a year, each changing a few devices' backups (fast-import)."""
    repo = state.configs
    subprocess.run(["git", "init", "-q", "--initial-branch=main", str(repo)], check=True)
    rng = random.Random(2026)
    stamp = int(time.time()) - 365 * 86400
    lines = []
    for n in range(commits):
        stamp += 365 * 86400 // commits
        message = f"backup PM-{n}"
        lines.append("commit refs/heads/main")
        lines.append(f"committer netrawat <netrawat@localhost> {stamp} +0000")
        lines.append(f"data {len(message)}\n{message}")
        changed = devices if n == 0 else rng.sample(devices, 3)
        for name, opd in changed:
            text = "".join(f"/ip address add address=10.{n % 250}.{i}.1/24\n" for i in range(40))
            data = text.encode()
            lines.append(f"M 100644 inline {opd}/{name}.rsc")
            lines.append(f"data {len(data)}\n{text}")
    subprocess.run(
        ["git", "-C", str(repo), "fast-import", "--quiet"],
        input=("\n".join(lines) + "\n").encode(),
        check=True,
    )
    subprocess.run(["git", "-C", str(repo), "reset", "-q", "--hard", "main"], check=True)


def server_ms(reply: Any) -> float:
    found = re.search(r"dur=([0-9.]+)", reply.headers.get("server-timing", ""))
    assert reply.status_code == 200 and found, (reply.status_code, reply.text[:200])
    return float(found.group(1))


def measure(client: Any, path: str, headers: dict[str, str], repeat: int) -> dict[str, float]:
    first = server_ms(client.get(path, headers=headers))
    times = sorted(server_ms(client.get(path, headers=headers)) for _ in range(repeat))
    return {
        "first_ms": round(first, 1),
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=300)
    parser.add_argument("--nights", type=int, default=365)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    from fastapi.testclient import TestClient

    from netrawat.web.app import create_app
    from netrawat.web.settings import WebSettings

    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        root = Path(tmp)
        devices = write_inventory(root / "inventory", args.devices)
        state = StateDir.resolve(root / "state")
        began = time.perf_counter()
        rows = seed_recap(state, devices, args.nights)
        seed_configs(state, devices, args.commits)
        seeded = time.perf_counter() - began
        client = TestClient(create_app(WebSettings(state=state, inventory=root / "inventory")))
        token = client.post("/api/v1/auth/token", json={"username": "bench", "password": PASSWORD})
        api = {"Authorization": f"Bearer {token.json()['token']}"}
        api_devices = measure(client, "/api/v1/devices", api, args.repeat)
        page = client.get("/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf is not None
        client.post(
            "/login",
            data={"username": "bench", "password": PASSWORD, "csrf": csrf.group(1), "next": "/"},
        )
        name = devices[len(devices) // 2][0]
        result = {
            "devices": args.devices,
            "nights": args.nights,
            "host_rows": rows,
            "commits": args.commits,
            "seed_s": round(seeded, 1),
            "api_devices": api_devices,
            "dashboard": measure(client, "/", {}, args.repeat),
            "device_page": measure(client, f"/devices/{name}", {}, args.repeat),
            "runs_page": measure(client, "/runs", {}, max(5, args.repeat // 4)),
        }
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
