"""The RANCID peer for the lab's Cisco IOS routers: ``rancid -t cisco`` per device.

    .venv/bin/python bench/peer_rancid.py --inventory LAB_DIR --work DIR [--workers 20]

Needs Debian's ``rancid`` package (``rancid``, ``clogin``, expect, OpenSSH). Writes into
``DIR`` a ``.cloginrc`` (mode 0600, the lab's throwaway credentials) and an ``ssh`` wrapper
(the IOS lab offers IOS 15's old key exchange, as RANCID users configure for real IOS), then
runs ``rancid -t cisco ADDRESS`` for every IOS host, ``--workers`` at once (like rancid-run's
PAR_COUNT), with ``HOME=DIR``. Each run logs in with clogin, runs RANCID's whole IOS command
list (show version, inventory, running-config, ...) and writes ``DIR/out/ADDRESS.new``; the
CVS/git commit rancid-run would add is left out (the floor stores files too). Prints one JSON
line: hosts, failed (no file or no ``end``), files stored.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

SSH_WRAPPER = """#!/bin/sh
# OpenSSH for the IOS lab: IOS 15's key exchange, throwaway lab host keys
exec ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \\
  -o KexAlgorithms=+diffie-hellman-group14-sha1,diffie-hellman-group-exchange-sha1 \\
  -o HostKeyAlgorithms=+ssh-rsa "$@"
"""


def available() -> bool:
    """Whether RANCID is installed (Debian package ``rancid``)."""
    return bool(shutil.which("rancid") and shutil.which("clogin"))


def ios_hosts(lab_dir: Path) -> dict[str, dict[str, Any]]:
    """The lab's IOS hosts with their credentials merged in."""
    hosts = yaml.safe_load((lab_dir / "hosts.yaml").read_text())
    secrets = yaml.safe_load((lab_dir / "secrets.yaml").read_text())
    chosen = {}
    for name, host in hosts.items():
        if host["platform"] == "cisco_ios":
            creds = {**secrets.get("defaults", {}), **secrets.get("hosts", {}).get(name, {})}
            chosen[name] = {**host, **creds}
    return chosen


def write_setup(lab_dir: Path, work: Path) -> list[str]:
    """``.cloginrc`` and the ssh wrapper in ``work``; the IOS addresses to back up."""
    (work / "out").mkdir(parents=True, exist_ok=True)
    wrapper = work / "ssh-lab"
    wrapper.write_text(SSH_WRAPPER, encoding="utf-8")
    wrapper.chmod(0o700)
    lines, addresses = [], []
    for host in ios_hosts(lab_dir).values():
        address = host["hostname"]
        addresses.append(address)
        lines += [
            f"add user {address} {{{host['username']}}}",
            f"add password {address} {{{host['password']}}} {{{host.get('enable_secret', '')}}}",
            f"add method {address} {{ssh:{host['port']}}}",
        ]
    lines.append(f"add sshcmd * {wrapper}")
    rc = work / ".cloginrc"
    rc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rc.chmod(0o600)
    return addresses


def backup_one(address: str, work: Path) -> bool:
    """One ``rancid -t cisco`` run; True if it stored a whole configuration."""
    env = {**os.environ, "HOME": str(work)}
    subprocess.run(
        ["rancid", "-t", "cisco", address],
        cwd=work / "out",
        env=env,
        capture_output=True,
        timeout=600,
        check=False,
    )
    stored = work / "out" / f"{address}.new"
    return stored.is_file() and stored.read_text(errors="replace").rstrip().endswith("end")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inventory", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=20)
    args = parser.parse_args()
    addresses = write_setup(args.inventory, args.work)
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        results = list(pool.map(lambda a: backup_one(a, args.work), addresses))
    stored = len(list((args.work / "out").glob("*.new")))
    print(json.dumps({"hosts": len(results), "failed": results.count(False), "stored": stored}))
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
