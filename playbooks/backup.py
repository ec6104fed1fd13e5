"""Playbook: back up every selected device's configuration into the git config repository.

    report = run_backup(fleet, BackupSettings(request="045/112/Diskes/XI/2026"))
    return report.exit_code

One run: take the ``backup`` run lock, bring the repository back to its last commit (a
killed run leaves nothing half-done), fetch every device in parallel (`get_config`), verify,
normalize and sanitize each output (`netrawat.configs.pipeline.prepare`) inside the host's
task so that a bad device only fails itself, quarantine rejected outputs, then make ONE
commit of every changed host, optionally push, and record the run in the recap.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import re
import shutil
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from nornir.core.inventory import Host
from nornir.core.task import AggregatedResult, MultiResult, Result, Task

from netrawat.configs.pipeline import Prepared, Rejected, prepare
from netrawat.configs.repo import (
    ConfigRepo,
    GitError,
    SecretLeakError,
    backup_path,
    safe_component,
)
from netrawat.configs.sanitize import sanitize
from netrawat.configs.secretscan import KnownSecrets, scan
from netrawat.configs.verify import DEFAULT_MIN_RATIO, Fetched
from netrawat.configs.versions import VersionStore
from netrawat.errors import DeviceError
from netrawat.exitcodes import ExitCode
from netrawat.failures import classify, root_exception
from netrawat.fleet import Fleet
from netrawat.platforms import profile_for
from netrawat.processors.recap import HostEntry, RecordingProcessor
from netrawat.recap import Run
from netrawat.recap.values import request_number
from netrawat.runlock import run_lock
from netrawat.state import StateDir, write_owner_only
from netrawat.tasks.get_config import get_config
from netrawat.tasks.upgrade_guard import ReleaseCheck, guard_release, upgrade_text

LOCK_NAME = "backup"
PLAIN_COPIES_MESSAGE = "private copies kept as plain files by netrawat 0.1\n"
SECRET_KEY_WORDS = ("pass", "secret", "key", "token", "community", "psk")


class BackupRejected(DeviceError):
    """The fetched configuration failed a check: the previous backup is kept."""

    def __init__(self, check: str, reason: str, quarantined: str | None) -> None:
        hint = f"the output is in {quarantined}" if quarantined else "nothing was stored"
        super().__init__(f"{check} check failed: {reason}", hint)
        self.check = check
        self.quarantined = quarantined


@dataclass(frozen=True)
class BackupSettings:
    """What the operator chose for this run."""

    request: str | None = None
    open_request: bool = False
    preventive_id: str | None = None
    """Set by a preventive run (``PM-YYYYMMDD-HHMM``): the recap files the run under it."""
    keep_private: bool = False
    min_ratio: float = DEFAULT_MIN_RATIO
    accept_reset: frozenset[str] = frozenset()
    """Hosts whose reset (or replacement) the operator confirmed: their size, shrink, identity
    and factory checks are off for this run, and the commit message says so."""
    push: str | None = None
    dry_run: bool = False
    """Fetch and verify, show what would change; commit, push and private copies are skipped
    (rejected outputs are still quarantined: they are evidence)."""


@dataclass
class HostBackup:
    """One host's outcome in a backup run."""

    host: str
    opd: str
    platform: str
    status: str  # changed | unchanged | failed
    path: str = ""
    reason: str = ""
    check: str = ""
    lines: int = 0
    ignored: dict[str, int] = field(default_factory=dict)
    sanitized: dict[str, int] = field(default_factory=dict)
    quarantine: str | None = None
    accepted_reset: bool = False
    commit: str | None = None
    """The run's commit holding this host's new backup (changed hosts, once committed)."""
    diff: list[str] = field(default_factory=list)
    """Dry run: the unified diff the commit would make for this host."""
    os_version: str = ""
    """The OS release the device runs (from its configuration, checked on a change)."""
    upgraded_from: str | None = None
    """The release at the last stored backup, when it differs (upgrade guard)."""
    revalidated: list[str] = field(default_factory=list)
    """Commands re-checked on the new release before the backup was trusted."""


@dataclass
class BackupReport:
    """What a backup run did, for the summary, ``--json`` and the exit code."""

    run_id: str
    request: str | None
    operator: str
    hosts: list[HostBackup]
    commit: str | None = None
    pushed: str | None = None
    push_error: str | None = None
    recovered_lock: dict[str, Any] | None = None
    dry_run: bool = False
    preventive_id: str | None = None
    unrecorded: str | None = None
    """Why the recap could not record this run (locked or failing database), if so: the
    backup itself is stored; the run exits 1 and says so."""

    def of(self, status: str) -> list[HostBackup]:
        return [h for h in self.hosts if h.status == status]

    @property
    def upgrades(self) -> list[str]:
        """``RTR-DINKES 7.15.2 → 7.16.1`` for every host whose OS release changed."""
        return [
            upgrade_text(h.host, h.upgraded_from, h.os_version)
            for h in self.hosts
            if h.upgraded_from and h.os_version
        ]

    @property
    def ignored(self) -> dict[str, int]:
        """Volatile lines ignored per normalize rule, over every host."""
        total: Counter[str] = Counter()
        for host in self.hosts:
            total.update(host.ignored)
        return dict(sorted(total.items()))

    @property
    def exit_code(self) -> ExitCode:
        if self.of("failed") or self.push_error or self.unrecorded:
            return ExitCode.HOSTS_FAILED
        return ExitCode.OK

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "dry_run": self.dry_run,
            "request": self.request,
            "operator": self.operator,
            "commit": self.commit,
            "pushed": self.pushed,
            "push_error": self.push_error,
            "counts": {s: len(self.of(s)) for s in ("changed", "unchanged", "failed")},
            "upgrades": self.upgrades,
            "ignored_lines": self.ignored,
            "hosts": [asdict(h) for h in self.hosts],
            "unrecorded": self.unrecorded,
            "exit_code": int(self.exit_code),
        }


class Quiet(dict[str, Any]):
    """Per-host inputs (stored configs, intended configs, versions) logged by size, not in
    full: Nornir logs a run's arguments, and a repeat backup's ``previous`` holds every
    stored configuration (megabytes formatted into the run log, on every run)."""

    def __repr__(self) -> str:
        return f"<{len(self)} hosts>"


# -- per host (runs in the worker threads) ---------------------------------------------------


def _owner_only_dirs(root: Path, directory: Path) -> None:
    """Create ``directory`` and every level from ``root`` down to it with mode 0700."""
    for level in [*reversed(directory.relative_to(root).parents), directory.relative_to(root)]:
        target = root / level
        target.mkdir(exist_ok=True)
        target.chmod(0o700)


def _write_owner_only(root: Path, path: Path, text: str) -> None:
    """Write ``text`` atomically with mode 0600; directories from ``root`` down are 0700."""
    _owner_only_dirs(root.parent, path.parent)
    write_owner_only(path, text)


KEEP_QUARANTINE_RUNS = 30
"""Quarantine keeps the rejected outputs of the newest 30 runs that had any."""


def quarantine_text(fetched: Fetched, known: Iterable[str], keep_private: bool) -> str:
    """What the quarantine keeps of a rejected output: the raw text with ``--keep-private``,
    else the sanitized text with every line the secret scan still flags withheld."""
    if keep_private:
        return fetched.output
    clean = sanitize(fetched.output, fetched.platform).text
    flagged = {f.line for f in scan(clean, fetched.platform, known)}
    return "".join(
        f"{WITHHELD}\n" if number in flagged else line
        for number, line in enumerate(clean.splitlines(keepends=True), start=1)
    )


WITHHELD = "<line withheld: it may hold a secret; --keep-private keeps it>"


def _quarantine(dir_: Path, opd: str, host: str, text: str, reason: str) -> str:
    base = dir_ / f"{safe_component(opd, 'OPD code')}__{safe_component(host, 'host name')}"
    _write_owner_only(dir_, base.with_suffix(".txt"), text)
    _write_owner_only(dir_, base.with_suffix(".reason"), reason + "\n")
    return str(base.with_suffix(".txt"))


def prune_quarantine(quarantine: Path, keep: int = KEEP_QUARANTINE_RUNS) -> None:
    """Remove the quarantine directories of all but the newest ``keep`` runs."""
    try:
        runs = sorted(
            (p for p in quarantine.iterdir() if p.is_dir() and not p.is_symlink()),
            key=lambda p: p.stat().st_mtime,
        )
    except OSError:
        return
    for old in runs[: max(0, len(runs) - keep)]:
        shutil.rmtree(old, ignore_errors=True)


def backup_host(
    task: Task,
    *,
    previous: Mapping[str, str],
    settings: BackupSettings,
    quarantine_dir: Path,
    known_secrets: frozenset[str],
    majors: Mapping[str, int] | None = None,
    releases: Mapping[str, str] | None = None,
) -> Result:
    """Fetch, check and prepare one host's backup; raise `BackupRejected` if it fails a check.

    ``majors``: host -> major release remembered from its last good backup (`VersionStore`);
    ``releases``: host -> the full release then (the upgrade guard, `guard_release`)."""
    host = task.host
    opd = str(host.get("opd") or "unknown")
    path = backup_path(opd, host.name, profile_for(host.platform).config_extension)

    def prepared(fetched: Fetched) -> Prepared | Rejected:
        return prepare(
            fetched,
            previous.get(path),
            min_ratio=settings.min_ratio,
            known_secrets=known_secrets,
            expected_identity=str(host.get("expected_identity") or host.name),
            accept_reset=host.name in settings.accept_reset,
        )

    got = task.run(task=get_config, known_major=(majors or {}).get(host.name))[0]
    fetched, outcome, release = guard_release(task, got, prepared, (releases or {}).get(host.name))
    if release.problem and not isinstance(outcome, Rejected):
        outcome = Rejected("upgrade", release.problem)
    if isinstance(outcome, Rejected):
        kept = quarantine_text(fetched, known_secrets, settings.keep_private)
        where = _quarantine(quarantine_dir, opd, host.name, kept, outcome.reason)
        raise BackupRejected(outcome.check, outcome.reason, where)
    changed = previous.get(path) != outcome.stored
    version = release.release or str(getattr(got, "os_version", "") or "")
    return Result(
        host=host,
        result=outcome,
        changed=changed,
        path=path,
        opd=opd,
        os_version=version,
        release=release,
    )


# -- the run ---------------------------------------------------------------------------------


def known_secrets(fleet: Fleet) -> KnownSecrets:
    """Every credential netrawat holds: host passwords, enable secrets, secret-file values."""
    found: set[str] = set()
    for host in fleet.nornir.inventory.hosts.values():
        found.add(host.password or "")
        extras = host.connection_options.get("netmiko")
        if extras and extras.extras:
            found.add(str(extras.extras.get("secret") or ""))
    found.update(_secret_values(fleet.secrets.raw))
    return KnownSecrets(s for s in found if s)


def _secret_values(node: Any, key: str = "") -> Iterable[str]:
    if isinstance(node, Mapping):
        for k, v in node.items():
            yield from _secret_values(v, str(k))
    elif isinstance(node, list):
        for v in node:
            yield from _secret_values(v, key)
    elif isinstance(node, str) and any(w in key.lower() for w in SECRET_KEY_WORDS):
        yield node


def _host_outcome(
    host: Host, multi: MultiResult, known_hosts: Path, accepted: frozenset[str]
) -> HostBackup:
    """One host's outcome, as soon as its task is done (the recording processor calls it)."""
    name = host.name
    opd = str(host.get("opd") or "unknown")
    if multi.failed:
        exc = root_exception(r.exception for r in multi)
        failure = classify(exc, known_hosts)
        return HostBackup(
            name,
            opd,
            str(host.platform),
            "failed",
            reason=failure.reason or "failed",
            check=str(getattr(exc, "check", None) or failure.kind),
            quarantine=getattr(exc, "quarantined", None),
        )
    top = multi[0]
    prepared: Prepared = top.result
    release: ReleaseCheck = getattr(top, "release", None) or ReleaseCheck()
    return HostBackup(
        name,
        opd,
        str(host.platform),
        "changed" if top.changed else "unchanged",
        path=str(getattr(top, "path", "")),
        lines=prepared.lines,
        ignored=prepared.ignored,
        sanitized=prepared.sanitized,
        accepted_reset=name in accepted,
        os_version=release.release or "",
        upgraded_from=release.upgraded_from,
        revalidated=release.revalidated,
    )


def commit_message(report: BackupReport) -> str:
    """The commit message: request number (verbatim), operator, run id, hosts by outcome."""
    changed, unchanged, failed = (report.of(s) for s in ("changed", "unchanged", "failed"))
    subject = (
        f"backup {report.request or report.preventive_id or '(no request)'}: "
        f"{len(changed)} changed, "
        f"{len(unchanged)} unchanged, {len(failed)} failed"
    )
    lines = [
        subject,
        "",
        f"Request: {report.request or '-'}",
        *([f"Preventive: {report.preventive_id}"] if report.preventive_id else []),
        f"Operator: {report.operator}",
        f"Run: {report.run_id}",
        f"Changed: {', '.join(h.host for h in changed) or '-'}",
        f"Unchanged: {', '.join(h.host for h in unchanged) or '-'}",
        *(
            [f"Accepted reset: {', '.join(h.host for h in report.hosts if h.accepted_reset)}"]
            if any(h.accepted_reset for h in report.hosts)
            else []
        ),
        *([f"OS upgraded: {', '.join(report.upgrades)}"] if report.upgrades else []),
        "Failed:" + ("" if failed else " -"),
    ]
    lines += [f"  {h.host}: {h.reason[:200]}" for h in failed]
    return "\n".join(lines) + "\n"


def _commit(
    repo: ConfigRepo, report: BackupReport, results: AggregatedResult, secrets: frozenset[str]
) -> None:
    files: dict[str, str] = {}
    platforms: dict[str, str] = {}
    for host in report.of("changed"):
        files[host.path] = results[host.host][0].result.stored
        platforms[host.path] = host.platform
    try:
        report.commit = repo.commit(files, commit_message(report), secrets, platforms)
    except SecretLeakError as exc:  # fail those hosts by name and rule, store the others
        for host in report.of("changed"):
            if host.path in exc.leaks:
                files.pop(host.path)
                host.status, host.check = "failed", "secret"
                host.reason = f"secret scan: {'; '.join(exc.leaks[host.path][:3])}: not stored"
        report.commit = repo.commit(files, commit_message(report), secrets, platforms)


def _keep_private(repo: ConfigRepo, report: BackupReport, results: AggregatedResult) -> None:
    """Commit the full copies of this run's good backups into the private repository (its
    own owner-only git history: a later bad copy never overwrites the only good one)."""
    files = {
        h.path: results[h.host][0].result.private
        for h in report.hosts
        if h.status in ("changed", "unchanged")
    }
    fresh = not (repo.root / ".git").is_dir()
    repo.ensure()
    older = _plain_files(repo.root) if fresh else {}
    if older:  # copies an older netrawat kept as plain files: their own first commit
        repo.commit(older, PLAIN_COPIES_MESSAGE, scan_secrets=False)
    repo.commit(files, commit_message(report), scan_secrets=False)


def _plain_files(root: Path) -> dict[str, str]:
    found = {}
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if path.is_file() and not path.is_symlink() and relative.parts[0] != ".git":
            found[relative.as_posix()] = path.read_text(encoding="utf-8", errors="replace")
    return found


def _add_diffs(
    report: BackupReport, results: AggregatedResult, previous: Mapping[str, str]
) -> None:
    """Dry run: the diff each changed host's commit would carry."""
    for host in report.of("changed"):
        new = results[host.host][0].result.stored
        old = previous.get(host.path, "")
        host.diff = list(
            difflib.unified_diff(
                old.splitlines(),
                new.splitlines(),
                f"a/{host.path}",
                f"b/{host.path}",
                lineterm="",
            )
        )


def redact_remote(remote: str) -> str:
    """A remote URL without its user/password part, for output and the recap.

    >>> redact_remote("https://netrawat:tok3n@git.example/cfg.git")
    'https://***@git.example/cfg.git'
    """
    return re.sub(r"://[^@/]+@", "://***@", remote)


def _push(repo: ConfigRepo, report: BackupReport, remote: str | None) -> None:
    if not remote or not report.commit:
        return
    try:
        repo.push(remote)
        report.pushed = redact_remote(remote)
    except GitError as exc:
        report.push_error = redact_remote(exc.message)


def _remember_versions(store: VersionStore, results: AggregatedResult) -> None:
    """Keep the release of every host backed up now (the next run skips its query)."""
    for name, multi in results.items():
        version = "" if multi.failed else str(getattr(multi[0], "os_version", "") or "")
        if version:
            store.remember(name, version)
    store.save()


def _entry(host: HostBackup) -> HostEntry:
    """What the recap keeps of one host's backup."""
    changed = host.status == "changed"
    return HostEntry(
        host.host,
        host.opd,
        host.status,
        actions=[f"backup {host.path}"] if changed else [],
        commit=host.commit if changed else None,
        error=host.reason or None,
        details={
            "check": host.check,
            "lines": host.lines,
            "ignored": host.ignored,
            "sanitized": host.sanitized,
            "quarantine": host.quarantine,
            "accepted_reset": host.accepted_reset,
            "os_version": host.os_version,
            "upgraded_from": host.upgraded_from,
            "revalidated": host.revalidated,
        },
    )


def _record_commit(
    run: Run, recorded: RecordingProcessor[HostBackup], report: BackupReport
) -> None:
    """What only the whole run knows: the commit (on each changed host), the push, the
    summary. Every host was recorded as it finished."""
    for host in report.of("changed"):
        host.commit = report.commit
        if report.commit:
            recorded.record(host)
    if report.push_error:
        run.add_error(f"push to {report.push_error}")
    summary = commit_message(report).splitlines()[0]
    if report.upgrades:
        summary += f"; OS upgraded: {', '.join(report.upgrades)}"
    run.set_summary(summary)


def _record_interrupted_commit(
    run: Run,
    recorded: RecordingProcessor[HostBackup],
    report: BackupReport,
    repo: ConfigRepo,
    before: str | None,
) -> None:
    """Ctrl-C after the commit was made (during the private copies, a push that hangs, or
    git's own last steps): the run ends interrupted, but its changed hosts still name the
    commit that holds them (the branch moved past ``before``: only this run, holding the
    lock, commits), as the next run sees them unchanged and would never record it."""
    if report.commit is None:
        with contextlib.suppress(GitError):
            head = repo.head()
            report.commit = head if head != before else None
    if report.commit:
        _record_commit(run, recorded, report)


def run_backup(fleet: Fleet, settings: BackupSettings) -> BackupReport:
    """Run the whole backup (see module docstring) and return its report."""
    number = request_number(settings.request) if settings.request is not None else None
    state: StateDir = fleet.state
    repo = ConfigRepo(state.configs)
    with run_lock(state, LOCK_NAME) as lock:
        repo.ensure()
        previous = repo.read_all()
        with fleet.start_run(
            "backup",
            request=number,
            preventive_id=settings.preventive_id,
            open_request=settings.open_request,
            options={
                **asdict(settings),
                "request": None,
                "push": redact_remote(settings.push) if settings.push else None,
            },
            best_effort=True,  # a locked or failing recap never stops the backup itself
        ) as run:
            secrets = known_secrets(fleet)
            versions = VersionStore.load(state.versions)
            describe = functools.partial(
                _host_outcome, known_hosts=state.known_hosts, accepted=settings.accept_reset
            )
            with fleet.recording(run, "backup", describe, _entry) as recorded:
                results = fleet.nornir.run(
                    task=backup_host,
                    name="backup",
                    previous=Quiet(previous),
                    settings=settings,
                    quarantine_dir=state.quarantine / run.run_id,
                    known_secrets=secrets,
                    majors=Quiet(versions.majors(list(fleet.hosts))),
                    releases=Quiet({h: k.version for h, k in versions.known.items()}),
                )
            prune_quarantine(state.quarantine)
            report = BackupReport(
                run.run_id,
                number,
                run.operator,
                recorded.outcomes_for(fleet.hosts, results),
                recovered_lock=lock.recovered_from,
                preventive_id=settings.preventive_id,
                dry_run=settings.dry_run,
            )
            if settings.dry_run:
                _add_diffs(report, results, previous)
            else:
                stored = repo.head()
                try:
                    _commit(repo, report, results, secrets)
                    if settings.keep_private:
                        _keep_private(ConfigRepo(state.private), report, results)
                    _push(repo, report, settings.push)
                    _remember_versions(versions, results)
                except KeyboardInterrupt:  # the commit may be made: the recap still names it
                    _record_interrupted_commit(run, recorded, report, repo, stored)
                    raise
            _record_commit(run, recorded, report)
    report.unrecorded = run.unrecorded
    return report
