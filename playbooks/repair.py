"""Playbook: repairs rendered from templates (SOP step 4, light damage the section fixes itself).

    report = run_repair(fleet, RepairSettings(template="restore_dns", request="045/..."))
    return report.exit_code

1. Before any connection: the template exists for every selected host's platform and role,
   every variable (command line or inventory) is typed and injection-checked and the template
   renders (a restore also finds its backup commit). Bad input: exit 2, nothing ran.
2. SOP escalation: a host graded sedang/berat by its latest health run is not repaired
   without ``--force``; the recap records the escalation to the Kabid either way.
3. Dry run (default): per host the exact commands and the expected diff; nothing is sent.
4. ``--apply`` (needs ``--request``): a backup run commits every target's configuration first
   (commit id recorded; a host whose backup fails is not touched), then `repair_host` pushes,
   verifies, checks, rolls back on failure; then a second backup run records the result.
5. One recap entry (playbook ``repair``): template, variables, rendered commands, expected and
   real diffs, backup commits before and after, check results, rollbacks, escalations.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nornir.core import Nornir
from nornir.core.inventory import Host
from nornir.core.task import MultiResult

from netrawat.configs.repo import ConfigRepo
from netrawat.configs.verify import DEFAULT_MIN_RATIO
from netrawat.errors import InputError
from netrawat.failures import root_exception
from netrawat.fleet import Fleet, Preflight
from netrawat.inventory.filters import host_opd
from netrawat.playbooks.backup import BackupReport, BackupSettings, known_secrets, run_backup
from netrawat.processors.recap import HostEntry, RecordingProcessor
from netrawat.recap import Run
from netrawat.recap.values import request_number
from netrawat.repair.escalation import LatestGrade, latest_grades
from netrawat.repair.library import find_template, require_known
from netrawat.repair.model import HostRepair, RepairFailed, RepairReport
from netrawat.repair.render import RenderedRepair, render_repair
from netrawat.runlock import run_lock
from netrawat.state import StateDir
from netrawat.tasks.repair_host import RepairSettings as HostSettings
from netrawat.tasks.repair_host import one_line, repair_host

LOCK_NAME = "repair"
"""One applied repair at a time per state directory: two engineers never interleave pushes
(and rollbacks) on the same device."""
RECAP_OUTCOME = {
    "dry-run": "ok",
    "no-change": "unchanged",
    "repaired": "changed",
    "unverified": "unverified",
    "blocked": "blocked",
}
"""The recap outcome of each repair status (anything else: ``failed``). ``unverified`` and
``blocked`` keep the run from counting as *berhasil* (run status ``incomplete``)."""


@dataclass(frozen=True)
class RepairSettings:
    """What the operator asked for."""

    template: str
    variables: Mapping[str, str] = field(default_factory=dict)
    apply: bool = False
    request: str | None = None
    open_request: bool = False
    force: bool = False
    require_safe: bool = False
    """Refuse hosts whose device has no safety net of its own (Safe Mode, revert timer)."""
    templates_root: Path | None = None
    """One templates directory to use alone (tests); None: the site's, then the built-in."""


# -- before any connection --------------------------------------------------------------------


def check_settings(settings: RepairSettings) -> str | None:
    """The request number (validated); ``--apply`` without one is refused."""
    require_known(settings.template, settings.templates_root)
    if settings.apply and not settings.request:
        raise InputError(
            "--apply needs the request number of the OPD's letter",
            "add --request NO (with --open to register it); without --apply it is a dry run",
        )
    return request_number(settings.request) if settings.request is not None else None


def preflight(settings: RepairSettings) -> Preflight:
    """Everything `run_repair` checks before touching a device, for `open_fleet` to run on the
    selected hosts before any network (not even the host-key scan of ``--trust-new-hosts``):
    bad input exits 2 with nothing sent."""

    def check(nornir: Nornir, state: StateDir) -> None:
        check_settings(settings)
        render_all(dict(nornir.inventory.hosts), settings, ConfigRepo(state.configs))

    return check


def render_all(
    hosts: Mapping[str, Host], settings: RepairSettings, repo: ConfigRepo
) -> dict[str, RenderedRepair]:
    """Every selected host's rendered repair; the first bad one stops the run (exit 2)."""
    rendered: dict[str, RenderedRepair] = {}
    for name, host in sorted(hosts.items()):
        template = find_template(settings.template, str(host.platform), settings.templates_root)
        if template is None:
            raise InputError(
                f"repair {settings.template} has no template for {host.platform} (host {name})",
                "see `netrawat repair --list`, or narrow the hosts with --platform/--host",
            )
        if not template.applies_to(host.get("role")):
            raise InputError(
                f"repair {settings.template} is for {', '.join(template.roles)}, "
                f"not {host.get('role')} (host {name})",
                "narrow the hosts with --role/--host",
            )
        rendered[name] = render_repair(template, host, settings.variables, repo)
    return rendered


# -- the run ----------------------------------------------------------------------------------


def _subfleet(fleet: Fleet, names: Iterable[str]) -> Fleet:
    wanted = set(names)
    return dataclasses.replace(
        fleet, nornir=fleet.nornir.filter(filter_func=lambda h: h.name in wanted)
    )


def _blocked(
    rendered: Mapping[str, RenderedRepair], grades: Mapping[str, LatestGrade], force: bool
) -> dict[str, HostRepair]:
    out = {}
    for name, repair in rendered.items():
        grade = grades.get(name)
        if grade is None or not grade.escalates or force:
            continue
        outcome = HostRepair(name, "", repair.template.platform, repair.template.name, "blocked")
        outcome.reason = (
            f"graded {grade.grade} by health run {grade.run_id}: SOP step 4 reports it to the "
            "Kabid; repair only with --force"
        )
        out[name] = outcome
    return out


def _pre_backup(
    fleet: Fleet, names: list[str], settings: RepairSettings, number: str | None, restore: bool
) -> tuple[BackupReport, dict[str, HostRepair]]:
    """The fresh verified backup before the change; hosts whose backup failed are dropped.

    A restore is what follows a lost configuration: its size, shrink, identity and factory
    checks are off (the collapsed configuration is the truth to record before restoring; the
    good one stays in history)."""
    ratio = 0.0 if restore else DEFAULT_MIN_RATIO
    accepted = frozenset(names) if restore else frozenset()  # a restore follows a known reset
    report = run_backup(
        _subfleet(fleet, names),
        BackupSettings(request=number, min_ratio=ratio, accept_reset=accepted),
    )
    failed = {}
    for host in report.of("failed"):
        outcome = HostRepair(host.host, host.opd, host.platform, settings.template)
        outcome.reason = f"pre-change backup failed ({host.reason}): nothing was sent"
        failed[host.host] = outcome
    return report, failed


def _collect(template: str, host: Host, multi: MultiResult) -> HostRepair:
    """One host's repair outcome, as soon as its task is done (the recording processor)."""
    exc = multi[0].exception
    if exc is None and isinstance(multi[0].result, HostRepair):
        # its own result decides: a subtask it caught (post-checks without a session) still
        # shows in ``multi.failed``
        return multi[0].result
    if isinstance(exc, RepairFailed):
        return exc.outcome
    name = host.name
    outcome = HostRepair(name, host_opd(host), str(host.platform), template)
    cause = root_exception(r.exception for r in multi)
    outcome.reason = one_line(cause) if cause is not None else "failed (see the run log)"
    return outcome


def _entry(template: str, outcome: HostRepair) -> HostEntry:
    """What the recap keeps of one host's repair (its commands, rollback, escalation)."""
    host = outcome.public()
    actions = [f"{template}: {line}" for line in host.sent]
    if host.rollback is not None:
        actions += [f"rollback: {line}" for line in host.rollback.sent]
    unchanged = host.status == "repaired" and not host.changed
    return HostEntry(
        host.host,
        host.opd or None,
        "unchanged" if unchanged else RECAP_OUTCOME.get(host.status, "failed"),
        grade=host.grade if host.grade not in (None, "ok") else None,
        actions=actions,
        commit=host.backup_after if host.changed else None,
        error=host.reason or None,
        details=host.to_json(),
        escalation=host.escalation or None,
    )


def _summary(run: Run, report: RepairReport) -> None:
    for commit in (report.backup_before, report.backup_after):
        if commit:
            run.add_commit(commit)
    counts = ", ".join(f"{n} {s}" for s, n in report.counts().items())
    run.set_summary(
        f"repair {report.template} ({'apply' if report.apply else 'dry run'}): {counts}"
    )


def _commit_of(report: BackupReport, repo: ConfigRepo) -> str | None:
    """The commit holding the hosts' configs: the run's own, or HEAD when nothing changed."""
    return report.commit or repo.head()


def _attach_grades(
    outcomes: dict[str, HostRepair], grades: Mapping[str, LatestGrade], force: bool
) -> None:
    for name, outcome in outcomes.items():
        grade = grades.get(name)
        if grade is None:
            continue
        outcome.grade = grade.grade
        if grade.escalates:
            outcome.escalation = grade.escalation(forced=force and outcome.status != "blocked")


def _repair(
    fleet: Fleet,
    recorder: RecordingProcessor[HostRepair],
    *,
    settings: RepairSettings,
    number: str | None,
    report: RepairReport,
    rendered: Mapping[str, RenderedRepair],
    outcomes: dict[str, HostRepair],
) -> None:
    repo = ConfigRepo(fleet.state.configs)
    targets = [n for n in sorted(rendered) if n not in outcomes]
    if settings.apply and targets:
        restore = any(rendered[n].template.mode == "restore" for n in targets)
        before, failed = _pre_backup(fleet, targets, settings, number, restore)
        report.backup_before = _commit_of(before, repo)
        outcomes.update(failed)
        targets = [n for n in targets if n not in failed]
    if targets:
        # Ctrl-C while applying: a host mid-change finishes its step, its session is not cut
        changing = fleet.changing_devices() if settings.apply else nullcontext()
        with changing, fleet.attached(recorder):  # each host recorded as its repair ends
            results = _subfleet(fleet, targets).nornir.run(
                task=repair_host,
                name=recorder.task_name,
                rendered=rendered,
                settings=HostSettings(apply=settings.apply, require_safe=settings.require_safe),
                secrets=known_secrets(fleet),
                health_dir=fleet.state.health,
            )
        for name in targets:
            outcomes[name] = recorder.outcome_of(fleet.hosts[name], results[name])
    touched = [n for n in targets if outcomes[n].sent]
    if settings.apply and touched:
        after = run_backup(_subfleet(fleet, touched), BackupSettings(request=number, min_ratio=0))
        report.backup_after = _commit_of(after, repo)
    for name in targets:
        outcomes[name].backup_before = report.backup_before
        outcomes[name].backup_after = report.backup_after if name in touched else None


def run_repair(fleet: Fleet, settings: RepairSettings) -> RepairReport:
    """Run the whole repair (see module docstring) and return its report."""
    number = check_settings(settings)
    rendered = render_all(fleet.hosts, settings, ConfigRepo(fleet.state.configs))
    grades = latest_grades(fleet.state.health, rendered)
    outcomes = _blocked(rendered, grades, settings.force) if settings.apply else {}
    options: dict[str, Any] = {
        "template": settings.template,
        "variables": dict(settings.variables),
        "apply": settings.apply,
        "force": settings.force,
        "require_safe": settings.require_safe,
    }
    with fleet.start_run(
        "repair", request=number, open_request=settings.open_request, options=options
    ) as run:
        recorder = RecordingProcessor(
            run,
            f"repair-{settings.template}",
            functools.partial(_collect, settings.template),
            functools.partial(_entry, settings.template),
        )
        report = RepairReport(
            run.run_id, settings.template, settings.apply, number, run.operator, []
        )
        with run_lock(fleet.state, LOCK_NAME) if settings.apply else nullcontext():
            _repair(
                fleet,
                recorder,
                settings=settings,
                number=number,
                report=report,
                rendered=rendered,
                outcomes=outcomes,
            )
        for name, outcome in outcomes.items():
            outcome.opd = outcome.opd or host_opd(fleet.hosts[name])
        if settings.apply:  # a dry run changes nothing: nothing to escalate yet
            _attach_grades(outcomes, grades, settings.force)
        report.hosts = [outcomes[n] for n in sorted(outcomes)]
        for outcome in report.hosts:  # what the run learnt after each host: backups, grades
            recorder.record(outcome)
        _summary(run, report)
    return report
