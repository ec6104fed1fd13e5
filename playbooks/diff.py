"""Playbook: config diffs — drift since the last backup, or compliance against intended config.

    report = run_diff(fleet, DiffSettings(against="intended"))
    return report.exit_code

``against="backup"``: each device's live configuration (fetched with `get_config`, verified,
normalized and sanitized exactly as a backup would be) against its file at HEAD of
``<state>/configs``; a unified diff per device. Nothing is committed, no lock is taken (the
repository is only read, at one commit, with git plumbing).

``against="intended"``: every host's intended configuration is rendered first (no device
contacted; a bad inventory value stops the run with exit code 2), then each device's live
configuration is checked feature by feature with the remediation engines.

Both write a report (Markdown + HTML) into ``<state>/reports/`` and record the run in the recap.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from nornir.core.inventory import Host
from nornir.core.task import MultiResult, Result, Task

from netrawat.compliance.check import Drift, FeatureResult, compliance, drift
from netrawat.compliance.features import load_features
from netrawat.compliance.render import Intended, IntendedDataError
from netrawat.configs.pipeline import Rejected, prepare
from netrawat.configs.repo import ConfigRepo, backup_path
from netrawat.configs.versions import VersionStore
from netrawat.errors import DeviceError, NetrawatError
from netrawat.exitcodes import ExitCode
from netrawat.failures import classify, root_exception
from netrawat.fleet import Fleet
from netrawat.platforms import profile_for
from netrawat.playbooks.backup import Quiet, known_secrets
from netrawat.processors.recap import HostEntry
from netrawat.recap import Run
from netrawat.recap.values import request_number
from netrawat.tasks.get_config import get_config
from netrawat.tasks.render_intended import render_intended

AGAINST = ("backup", "intended")
CLEAN = {"backup": "no-drift", "intended": "compliant"}
DIRTY = {"backup": "drift", "intended": "non-compliant"}


class LiveConfigRejected(DeviceError):
    """The live configuration failed a backup check: it cannot be compared."""


@dataclass(frozen=True)
class DiffSettings:
    """What the operator chose for this run."""

    against: str = "backup"
    features: tuple[str, ...] = ()
    request: str | None = None
    open_request: bool = False
    preventive_id: str | None = None
    """Set by a preventive run (``PM-YYYYMMDD-HHMM``): the recap files the run under it."""
    write_report: bool = True
    context: int = 3


@dataclass
class HostDiff:
    """One host's outcome."""

    host: str
    opd: str
    platform: str
    status: str
    """no-drift | drift | no-backup | compliant | non-compliant | failed"""
    path: str = ""
    diff: str = ""
    added: int = 0
    removed: int = 0
    features: list[FeatureResult] = field(default_factory=list)
    reason: str = ""

    @property
    def non_compliant(self) -> list[FeatureResult]:
        return [f for f in self.features if f.status == "non-compliant"]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["features"] = [f.to_json() for f in self.features]
        return data


@dataclass
class DiffReport:
    """What a diff run found, for the table, ``--json``, the report files and the exit code."""

    run_id: str
    against: str
    request: str | None
    operator: str
    baseline: str | None
    """The config-repository commit compared against (drift only)."""
    hosts: list[HostDiff]
    reports: list[str] = field(default_factory=list)

    def of(self, status: str) -> list[HostDiff]:
        return [h for h in self.hosts if h.status == status]

    @property
    def exit_code(self) -> ExitCode:
        clean = CLEAN[self.against]
        return ExitCode.OK if all(h.status == clean for h in self.hosts) else ExitCode.HOSTS_FAILED

    def counts(self) -> dict[str, int]:
        statuses = (CLEAN[self.against], DIRTY[self.against], "no-backup", "failed")
        return {
            s: len(self.of(s)) for s in statuses if s != "no-backup" or self.against == "backup"
        }

    def by_feature(self) -> dict[str, dict[str, int]]:
        """Per feature, how many hosts are compliant / non-compliant / skipped."""
        table: dict[str, dict[str, int]] = {}
        for host in self.hosts:
            for feature in host.features:
                row = table.setdefault(
                    feature.feature, {"compliant": 0, "non-compliant": 0, "skipped": 0}
                )
                row[feature.status] += 1
        return dict(sorted(table.items()))

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "against": self.against,
            "request": self.request,
            "operator": self.operator,
            "baseline_commit": self.baseline,
            "counts": self.counts(),
            "features": self.by_feature(),
            "reports": self.reports,
            "hosts": [h.to_json() for h in self.hosts],
            "exit_code": int(self.exit_code),
        }


# -- per host (worker threads) ---------------------------------------------------------------


def diff_host(
    task: Task,
    *,
    against: str,
    baseline: Mapping[str, str],
    commit: str | None,
    intended: Mapping[str, Intended],
    secrets: frozenset[str],
    context: int = 3,
    majors: Mapping[str, int] | None = None,
) -> Result:
    """Fetch the live config, prepare it like a backup, compare it; the result is a `HostDiff`."""
    host = task.host
    platform = profile_for(host.platform)
    opd = str(host.get("opd") or "unknown")
    path = backup_path(opd, host.name, platform.config_extension)
    fetched = task.run(task=get_config, known_major=(majors or {}).get(host.name))[0].result
    prepared = prepare(fetched, None, min_ratio=0, known_secrets=secrets)
    if isinstance(prepared, Rejected):
        raise LiveConfigRejected(
            f"live configuration failed the {prepared.check} check: {prepared.reason}",
            "run `netrawat backup` for this host to see it quarantined",
        )
    outcome = HostDiff(host.name, opd, platform.name, "", path=path)
    if against == "backup":
        stored = baseline.get(path)
        if stored is None or commit is None:
            outcome.status = "no-backup"
            outcome.reason = "no backup in the config repository yet (run netrawat backup)"
        else:
            found: Drift = drift(stored, prepared.stored, path, commit, context)
            outcome.status = DIRTY[against] if found.drifted else CLEAN[against]
            outcome.diff, outcome.added, outcome.removed = found.diff, found.added, found.removed
    else:
        features = load_features(platform.name)
        outcome.features = compliance(features, intended[host.name], prepared.private)
        outcome.status = DIRTY[against] if outcome.non_compliant else CLEAN[against]
    return Result(host=host, result=outcome, changed=False)


# -- the run ---------------------------------------------------------------------------------


def read_baseline(repo: ConfigRepo, paths: set[str]) -> tuple[str | None, dict[str, str]]:
    """The HEAD commit of the config repository and the stored text of ``paths`` in it."""
    head = repo.head()
    if head is None:
        return None, {}
    names = set(repo.git("ls-tree", "-r", "--name-only", "-z", head).split("\0"))
    return head, {p: repo.git("cat-file", "blob", f"{head}:{p}") for p in paths & names}


def render_all(fleet: Fleet, features: tuple[str, ...]) -> dict[str, Intended]:
    """Intended configs of every selected host; the first bad one stops the run (exit 2)."""
    results = fleet.nornir.run(task=render_intended, name="render_intended", features=features)
    rendered: dict[str, Intended] = {}
    for name in sorted(results):
        multi = results[name]
        if multi.failed:
            exc = multi[0].exception
            if isinstance(exc, NetrawatError):
                raise exc
            raise IntendedDataError(f"host {name}: cannot render the intended config: {exc}")
        rendered[name] = multi[0].result
    return rendered


def _outcome(host: Host, multi: MultiResult, known_hosts: Path) -> HostDiff:
    """One host's outcome, as soon as its task is done (the recording processor calls it)."""
    if multi.failed:
        failure = classify(root_exception(r.exception for r in multi), known_hosts)
        return HostDiff(
            host.name,
            str(host.get("opd") or "unknown"),
            str(host.platform),
            "failed",
            reason=failure.reason or "failed",
        )
    result: HostDiff = multi[0].result
    return result


def _entry(against: str, host: HostDiff) -> HostEntry:
    """What the recap keeps of one host's diff: drift or non-compliance is light damage."""
    outcome = {"failed": "failed", "no-backup": "skipped", CLEAN[against]: "ok"}.get(host.status)
    return HostEntry(
        host.host,
        host.opd,
        outcome or "changed",
        grade="ringan" if outcome is None else None,
        error=host.reason or None,
        details={
            "against": against,
            "status": host.status,
            "added": host.added,
            "removed": host.removed,
            "non_compliant": [f.feature for f in host.non_compliant],
        },
    )


def _summary(run: Run, report: DiffReport) -> None:
    for path in report.reports:
        run.add_report(path)
    counts = ", ".join(f"{n} {s}" for s, n in report.counts().items())
    run.set_summary(f"diff against {report.against}: {counts}")


def run_diff(fleet: Fleet, settings: DiffSettings) -> DiffReport:
    """Run the whole diff (see module docstring) and return its report."""
    from netrawat.compliance.report import write_reports

    number = request_number(settings.request) if settings.request is not None else None
    hosts = fleet.hosts.values()
    intended = render_all(fleet, settings.features) if settings.against == "intended" else {}
    repo = ConfigRepo(fleet.state.configs)
    paths = {
        backup_path(
            str(h.get("opd") or "unknown"), h.name, profile_for(h.platform).config_extension
        )
        for h in hosts
    }
    commit, baseline = read_baseline(repo, paths) if settings.against == "backup" else (None, {})
    task_name = f"diff-{settings.against}"
    describe = functools.partial(_outcome, known_hosts=fleet.state.known_hosts)
    entry = functools.partial(_entry, settings.against)
    with fleet.start_run(
        "diff",
        request=number,
        preventive_id=settings.preventive_id,
        open_request=settings.open_request,
        options={"against": settings.against, "features": list(settings.features)},
    ) as run:
        with fleet.recording(run, task_name, describe, entry) as recorded:
            results = fleet.nornir.run(
                task=diff_host,
                name=task_name,
                against=settings.against,
                baseline=Quiet(baseline),
                commit=commit,
                intended=Quiet(intended),
                secrets=known_secrets(fleet),
                context=settings.context,
                majors=Quiet(VersionStore.load(fleet.state.versions).majors(list(fleet.hosts))),
            )
        hosts_done = recorded.outcomes_for(fleet.hosts, results)
        report = DiffReport(run.run_id, settings.against, number, run.operator, commit, hosts_done)
        if settings.write_report:
            report.reports = [str(p) for p in write_reports(report, reports_dir(fleet))]
        _summary(run, report)
    return report


def reports_dir(fleet: Fleet) -> Path:
    """``<state>/reports`` (created owner-only)."""
    path = fleet.state.root / "reports"
    path.mkdir(mode=0o700, exist_ok=True)
    return path
