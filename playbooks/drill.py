"""Playbook: restore drills — every selected device's stored backup restored onto a fresh
device of the same platform and model, read back and compared (issue 17.2).

    targets = plan_drill(hosts, ConfigRepo(state.configs), commit="HEAD")   # no network
    report = run_drill(state, drill_fleet, targets)   # drill_fleet: the fresh devices
    return report.exit_code

The fresh devices are plain connection data here (a `FleetSpec` naming an inventory of
factory devices, one per target, with the target's name): the CLI starts them in a private
device lab and stops it after. Each drill is one recap entry (playbook ``drill``); the
report book shows each device's last drill.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from nornir.core.inventory import Host
from nornir.core.task import MultiResult

from netrawat.configs.repo import ConfigRepo, GitError, backup_path
from netrawat.errors import InputError
from netrawat.exitcodes import ExitCode
from netrawat.failures import root_exception
from netrawat.fleet import open_fleet
from netrawat.fleetspec import FleetSpec
from netrawat.platforms import profile_for
from netrawat.playbooks.backup import Quiet, known_secrets
from netrawat.recap import start_run
from netrawat.state import StateDir
from netrawat.tasks.restore_drill import DrillOutcome, restore_drill

PLAYBOOK = "drill"


@dataclass(frozen=True)
class DrillTarget:
    """One device to drill: where its backup is and what it holds."""

    host: str
    opd: str
    platform: str
    role: str
    model: str
    username: str
    path: str
    commit: str
    backup: str


@dataclass
class HostDrill:
    """One device's drill result."""

    host: str
    opd: str
    platform: str
    status: str = "failed"
    """restored | differs | failed"""
    commit: str = ""
    method: str = ""
    steps: list[str] = field(default_factory=list)
    not_restorable: list[str] = field(default_factory=list)
    """Backup lines holding a removed secret: backups never hold them (set by hand)."""
    differences: list[str] = field(default_factory=list)
    reason: str = ""


@dataclass
class DrillReport:
    """The whole drill."""

    run_id: str
    commit: str
    hosts: list[HostDrill]

    @property
    def exit_code(self) -> ExitCode:
        ok = all(h.status == "restored" for h in self.hosts)
        return ExitCode.OK if ok else ExitCode.HOSTS_FAILED

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "commit": self.commit,
            "hosts": [asdict(h) for h in self.hosts],
            "exit_code": int(self.exit_code),
        }


def plan_drill(hosts: Mapping[str, Host], repo: ConfigRepo, commit: str) -> list[DrillTarget]:
    """Each selected host's backup at ``commit``; a host without one is bad input (exit 2)."""
    if repo.head() is None:
        raise InputError("there is no config repository to drill", "run `netrawat backup` first")
    try:
        sha = repo.git("rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}").strip()
    except GitError:
        raise InputError(f"no commit {commit!r} in the config repository", "see git log") from None
    targets = []
    for name, host in sorted(hosts.items()):
        opd = str(host.get("opd") or "unknown")
        path = backup_path(opd, name, profile_for(host.platform).config_extension)
        try:
            text = repo.git("cat-file", "blob", f"{sha}:{path}")
        except GitError:
            raise InputError(
                f"host {name}: no backup {path} at commit {sha[:12]}",
                "back it up first, or narrow the hosts with --host/--opd",
            ) from None
        targets.append(
            DrillTarget(
                name,
                opd,
                str(host.platform),
                str(host.get("role") or "router"),
                str(host.get("model") or ""),
                str(host.username or "admin"),
                path,
                sha,
                text,
            )
        )
    return targets


def _outcome(target: DrillTarget, multi: MultiResult | None) -> HostDrill:
    host = HostDrill(target.host, target.opd, target.platform, commit=target.commit)
    if multi is None:
        host.reason = "the fresh device did not take part"
        return host
    if multi.failed:
        exc = root_exception(r.exception for r in multi)
        host.reason = " ".join(str(exc).split())[:300] if exc else "failed"
        return host
    result: DrillOutcome = multi[0].result
    host.method, host.steps = result.method, result.steps
    host.not_restorable, host.differences = result.not_restorable, result.differences
    host.status = "restored" if result.restored else "differs"
    if not result.restored:
        host.reason = "the restored configuration differs from the backup"
    return host


def run_drill(state: StateDir, drill: FleetSpec, targets: list[DrillTarget]) -> DrillReport:
    """Restore every target onto its fresh device (``drill``), compare, record."""
    commit = targets[0].commit if targets else ""
    opds = sorted({t.opd for t in targets})
    with start_run(state, playbook=PLAYBOOK, opds=opds, options={"commit": commit}) as run:
        with open_fleet(drill) as fleet:
            results = fleet.nornir.run(
                task=restore_drill,
                name="drill",
                backups=Quiet({t.host: t.backup for t in targets}),
                known_secrets=known_secrets(fleet),
            )
        report = DrillReport(
            run.run_id, commit, [_outcome(t, results.get(t.host)) for t in targets]
        )
        for host in report.hosts:
            run.host(
                host.host,
                opd=host.opd,
                outcome="ok" if host.status == "restored" else "failed",
                actions=[f"drill {host.method}: {step}" for step in host.steps],
                commit=host.commit or None,
                error=host.reason or None,
                details={
                    "drill": host.status,
                    "commit": host.commit,
                    "not_restorable": host.not_restorable,
                    "differences": host.differences,
                },
            )
        restored = sum(h.status == "restored" for h in report.hosts)
        run.set_summary(
            f"restore drill of {commit[:12]}: {restored} of {len(report.hosts)} restored"
        )
    return report
