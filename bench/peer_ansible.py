"""The Ansible peer: the same backup with ``ansible-playbook`` (bench/ansible/backup.yml).

    .venv/bin/python bench/peer_ansible.py --inventory LAB_DIR --work DIR [--workers 20]

Writes an Ansible inventory of the lab (groups ``routeros`` and ``ios``, network_cli over
paramiko, the lab's throwaway credentials) into ``DIR``, then runs the playbook with
``--forks`` = workers; configs land in ``DIR/backups``. Needs the ``bench`` extra
(``pip install -e '.[bench]'``: the ``ansible`` package with community.routeros and cisco.ios).
Prints one JSON line: hosts, failed hosts (from the play recap), files stored.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

BENCH = Path(__file__).resolve().parent
PLAYBOOK = BENCH / "ansible" / "backup.yml"
NETWORK_OS = {"mikrotik_routeros": "community.routeros.routeros", "cisco_ios": "cisco.ios.ios"}
GROUP = {"mikrotik_routeros": "routeros", "cisco_ios": "ios"}
_RECAP = re.compile(r"^(\S+)\s+:\s+ok=\d+\s+changed=\d+\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


def _host_vars(host: dict[str, Any], creds: dict[str, Any]) -> dict[str, Any]:
    entry = {
        "ansible_host": host["hostname"],
        "ansible_port": host["port"],
        "ansible_user": creds["username"],
        "ansible_password": creds["password"],
        "ansible_network_os": NETWORK_OS[host["platform"]],
    }
    if "enable_secret" in creds:
        entry["ansible_become_password"] = creds["enable_secret"]
    return entry


def write_inventory(lab_dir: Path, work: Path) -> Path:
    """An Ansible YAML inventory of the lab's hosts, mode 0600 (it holds lab credentials)."""
    hosts = yaml.safe_load((lab_dir / "hosts.yaml").read_text())
    secrets = yaml.safe_load((lab_dir / "secrets.yaml").read_text())
    groups: dict[str, dict[str, Any]] = {g: {"hosts": {}} for g in GROUP.values()}
    for name, host in hosts.items():
        creds = {**secrets.get("defaults", {}), **secrets.get("hosts", {}).get(name, {})}
        groups[GROUP[host["platform"]]]["hosts"][name] = _host_vars(host, creds)
    doc = {
        "all": {
            "vars": {
                "ansible_connection": "ansible.netcommon.network_cli",
                "backup_dir": str(work / "backups"),
            },
            "children": groups,
        }
    }
    path = work / "inventory.yml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    path.chmod(0o600)
    return path


def environment(work: Path) -> dict[str, str]:
    """Ansible's settings for the run: everything under ``work``, no host-key prompts."""
    return {
        **os.environ,
        "ANSIBLE_HOME": str(work / "home"),
        "ANSIBLE_LOCAL_TEMP": str(work / "tmp"),
        "ANSIBLE_HOST_KEY_CHECKING": "False",
        "ANSIBLE_PERSISTENT_CONNECT_TIMEOUT": "60",
        "ANSIBLE_PERSISTENT_COMMAND_TIMEOUT": "120",
        "ANSIBLE_RETRY_FILES_ENABLED": "False",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
    }


def command(lab_dir: Path, work: Path, workers: int) -> list[str]:
    """The ``ansible-playbook`` command line (writes the inventory first)."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "backups").mkdir(exist_ok=True)
    inventory = write_inventory(lab_dir, work)
    playbook = str(Path(sys.executable).parent / "ansible-playbook")
    return [playbook, "-i", str(inventory), "--forks", str(workers), str(PLAYBOOK)]


def failed_hosts(output: str) -> list[str]:
    """Hosts the PLAY RECAP counts as unreachable or failed."""
    return [m[1] for m in _RECAP.finditer(output) if int(m[2]) or int(m[3])]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inventory", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=20)
    args = parser.parse_args()
    argv = command(args.inventory, args.work, args.workers)
    proc = subprocess.run(
        argv, env=environment(args.work), capture_output=True, text=True, check=False
    )
    (args.work / "ansible.log").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    failed = failed_hosts(proc.stdout)
    stored = len(list((args.work / "backups").iterdir()))
    hosts = len(yaml.safe_load((args.inventory / "hosts.yaml").read_text()))
    print(json.dumps({"hosts": hosts, "failed": len(failed), "stored": stored}))
    return 0 if proc.returncode == 0 and not failed else 1


if __name__ == "__main__":
    raise SystemExit(main())
