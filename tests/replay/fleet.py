"""Start the replay server for a set of recordings and write an inventory pointing at it."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import yaml

from replay.recordings import Recording

TESTS = Path(__file__).resolve().parent.parent
ATTEMPTS = 6
USERNAME = "replay"


@dataclass
class ReplayFleet:
    """The running server, its devices' addresses and an ``--inventory`` directory."""

    process: subprocess.Popen[str]
    recordings: dict[str, Recording]
    """inventory host name -> recording"""
    addresses: dict[str, str]
    """inventory host name -> address"""
    inventory: Path
    log: Path

    def lines_sent(self, host: str) -> list[dict[str, Any]]:
        """Every line a client typed at ``host`` (with ``recorded``: whether it was)."""
        address = self.addresses[host]
        entries = [json.loads(x) for x in self.log.read_text(encoding="utf-8").splitlines()]
        return [e for e in entries if e["address"] == address]

    def stop(self) -> None:
        stdin: IO[str] | None = self.process.stdin
        if stdin is not None:
            stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _device(rec: Recording, address: str, port: int) -> dict[str, Any]:
    return {
        "address": address,
        "port": port,
        "platform": rec.platform,
        "device": rec.device,
        "greeting": rec.greeting,
        "answers": {cmd: [a.text, a.framed] for cmd, a in rec.answers.items()},
    }


def _slot(attempt: int) -> tuple[int, int]:
    """(second octet, port) of an attempt: apart from the lab's 127.B.x.y blocks and ports
    as far as chance allows; a taken address makes the next attempt move on."""
    seed = os.getpid() * 7919 + attempt * 104729
    return 2 + seed % 250, 20000 + seed % 40000


def _spawn(spec_path: Path) -> tuple[subprocess.Popen[str], str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "replay.server", str(spec_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=TESTS,
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def start(root: Path, recordings: Iterable[Recording], password: str = "") -> ReplayFleet:
    """Serve ``recordings`` over SSH on 127.B.240.N (one process) and write the inventory."""
    recs = {r.host: r for r in recordings}
    password = password or secrets.token_hex(12)
    root.mkdir(parents=True, exist_ok=True)
    log = root / "typed.jsonl"
    for attempt in range(ATTEMPTS):
        block, port = _slot(attempt)
        addresses = {host: f"127.{block}.240.{i + 1}" for i, host in enumerate(recs)}
        spec = {
            "username": USERNAME,
            "password": password,
            "log": str(log),
            "devices": [_device(r, addresses[h], port) for h, r in recs.items()],
        }
        spec_path = root / "replay-spec.json"
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        process, status = _spawn(spec_path)
        if status == "ready":
            inventory = write_inventory(root / "inventory", recs, addresses, port, password)
            return ReplayFleet(process, recs, addresses, inventory, log)
        process.wait()
    raise RuntimeError(f"replay server could not listen: {status}")


def write_inventory(
    root: Path, recs: dict[str, Recording], addresses: dict[str, str], port: int, password: str
) -> Path:
    """An inventory of the replayed devices: one OPD, throwaway credentials, the device's
    recorded name as its expected identity, short timeouts."""
    root.mkdir(parents=True, exist_ok=True)
    hosts = {
        host: {
            "hostname": addresses[host],
            "port": port,
            "platform": rec.platform,
            "groups": ["opd_replay"],
            "data": {"role": "router", "expected_identity": rec.device},
        }
        for host, rec in recs.items()
    }
    groups = {"opd_replay": {"data": {"opd": "replay", "opd_name": "Replayed", "kind": "dinas"}}}
    defaults = {
        "data": {
            "dns_servers": ["10.0.0.53"],
            "ntp_servers": ["10.0.0.123"],
            "timeouts": {"connect": 5, "auth": 5, "banner": 5, "read": 10},
        }
    }
    for name, doc in (("hosts", hosts), ("groups", groups), ("defaults", defaults)):
        (root / f"{name}.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    secrets_file = root / "secrets.yaml"
    secrets_file.write_text(
        yaml.safe_dump({"defaults": {"username": USERNAME, "password": password}}),
        encoding="utf-8",
    )
    secrets_file.chmod(0o600)
    return root
