"""The per-host repair task: read, plan, (push, re-read, verify, check | roll back), save.

    nornir.run(task=repair_host, rendered=..., settings=..., secrets=..., health_dir=...)

Dry run (the default): the live configuration is read (nothing else is sent), the commands
and the expected diff are computed and returned. Apply:

1. the pre-change configuration is read and verified like a backup (the playbook committed a
   backup of it just before);
2. the commands are pushed one by one, the device's error strings checked after each line;
3. the configuration is read again: ``changed`` and the diff come from it, never assumed;
   engine-mode repairs must leave nothing for the engine to send (proof they took effect);
4. the template's health checks run on fresh facts from the device;
5. IOS: ``write memory``, only now.

Roll back only on evidence: a line the device rejected, a re-read that shows the repair did
not take, a check that ran and failed, or saving that failed. Then the device is rolled back:
rollback = remediation from the configuration now to the pre-change one
(`netrawat.repair.plan.rollback_commands`), pushed the same checked way, then the
configuration is read once more and compared, normalized, with the pre-change one.

A check that could not run (its facts not collected: a timeout, a getter that raises, no
session for the post-checks) is no evidence against the change: the re-read proved it, so it
stays (and is saved); the outcome is ``unverified`` - "applied, not verified by checks (why)",
exit 1, recorded as such in the recap.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from nornir.core.exceptions import NornirSubTaskError
from nornir.core.task import Result, Task

from netrawat.configs.pipeline import Prepared, Rejected, prepare
from netrawat.errors import DeviceError
from netrawat.failures import root_exception
from netrawat.health.engine import evaluate
from netrawat.health.inventory_layers import config_for_host
from netrawat.health.model import CheckResult
from netrawat.health.store import load_snapshot
from netrawat.inventory.filters import host_opd
from netrawat.repair.model import HostRepair, RepairFailed, Rollback
from netrawat.repair.plan import converged, plan_repair, rollback_commands, unified
from netrawat.repair.render import RenderedRepair
from netrawat.safechange import SafetyRecord, safe_net_for
from netrawat.tasks.collect_health import collect_health
from netrawat.tasks.get_config import get_config
from netrawat.tasks.push_config import PushOutcome, push_config, save_config
from netrawat.tasks.safe_change import arm, await_device_revert, drop_session, keep

ROLLBACK_ROUNDS = 2
"""A rollback line may fail because of an earlier one; one more computed round is tried."""


class LiveConfigUnreadable(DeviceError):
    """The live configuration failed a backup check (cut, empty, error): nothing is sent."""


@dataclass(frozen=True)
class RepairSettings:
    """What the operator chose (the per-host part)."""

    apply: bool = False
    require_safe: bool = False
    """Refuse to push where the device has no safety net of its own (``--require-safe``)."""


def read_live(task: Task, secrets: frozenset[str], step: str) -> Prepared:
    """The device's configuration now, verified and normalized as a backup would be."""
    fetched = task.run(task=get_config, name=f"read config ({step})")[0].result
    prepared = prepare(fetched, None, min_ratio=0, known_secrets=secrets)
    if isinstance(prepared, Rejected):
        raise LiveConfigUnreadable(
            f"configuration read {step} failed the {prepared.check} check: {prepared.reason}",
            "run `netrawat backup` for this host to see the output quarantined",
        )
    return prepared


def _push(task: Task, lines: list[str], step: str) -> PushOutcome:
    outcome: PushOutcome = task.run(task=push_config, name=step, lines=lines)[0].result
    return outcome


# -- checks -----------------------------------------------------------------------------------


def run_checks(
    task: Task, rendered: RenderedRepair, health_dir: Path
) -> tuple[list[CheckResult], bool]:
    """The template's health checks on fresh facts: (results, all passed)."""
    host = task.host
    config = config_for_host(host)
    up = rendered.values.get(rendered.template.expect_up or "")
    if up:
        config = dataclasses.replace(config, expected_up=(*config.expected_up, str(up)))
    if "gateway_ping" not in rendered.checks:  # one probe, not a survey's worth (1 s each)
        config = dataclasses.replace(config, thresholds={**config.thresholds, "ping_count": 1})
    try:
        facts = task.run(task=collect_health, name="post-checks", configs={host.name: config})[
            0
        ].result
    except NornirSubTaskError as exc:  # no session for the checks: nothing proven either way
        failure = f"could not collect health facts: {one_line(exc)}"
        return [CheckResult(n, "not_checked", message=failure) for n in rendered.checks], False
    health = evaluate(
        host=host.name,
        opd=host_opd(host),
        role=str(host.get("role")),
        platform=str(host.platform),
        config=config,
        facts=facts,
        previous=load_snapshot(health_dir, host.name),
    )
    results = [r for r in health.results if r.check in rendered.checks]
    return results, all(r.status in ("pass", "skip") for r in results)


# -- rollback ---------------------------------------------------------------------------------


def _drop_session(task: Task) -> None:
    """Close a netmiko session left in an unknown state; the next step opens a fresh one."""
    drop_session(task)


def cause_of(exc: BaseException) -> BaseException:
    """The error under Nornir's ``Subtask: X (failed)`` wrappers (the innermost one)."""
    seen: set[int] = set()
    while isinstance(exc, NornirSubTaskError) and id(exc) not in seen:
        seen.add(id(exc))
        inner = root_exception(r.exception for r in exc.result)
        if inner is None or inner is exc:
            break
        exc = inner
    return exc


def one_line(exc: BaseException) -> str:
    """``Class: message`` of the real cause, on one line: the device's words or the
    exception's, never Nornir's ``Subtask: push (failed)``."""
    cause = cause_of(exc)
    text = str(getattr(cause, "message", None) or cause)
    return f"{type(cause).__name__}: {' '.join(text.split())[:200]}".rstrip(": ")


def _rollback_round(task: Task, pre: Prepared, secrets: frozenset[str], record: Rollback) -> bool:
    """One computed rollback push; True when nothing is left to send or it all went in."""
    try:
        now = read_live(task, secrets, "before rollback")
        commands = rollback_commands(str(task.host.platform), pre.private, now.private)
        if not commands:
            return True
        record.commands += commands
        pushed = _push(task, commands, "rollback")
    except Exception as exc:  # keep trying to put the device back
        record.error = one_line(exc)
        _drop_session(task)
        return False
    record.sent += pushed.sent
    if not pushed.ok:
        record.error = f"{pushed.failed_line!r}: {pushed.error}"
    return pushed.ok


def roll_back(task: Task, pre: Prepared, secrets: frozenset[str], reason: str) -> Rollback:
    """Put the device back to ``pre`` and prove it by re-reading (see module docstring)."""
    platform = str(task.host.platform)
    record = Rollback(reason)
    for _ in range(ROLLBACK_ROUNDS):
        if _rollback_round(task, pre, secrets, record):
            break
    try:
        after = read_live(task, secrets, "after rollback")
    except Exception as exc:  # unproven is reported as such
        record.error = f"could not re-read the configuration: {one_line(exc)}"
        record.left = "(unknown: the configuration could not be read after the rollback)"
        return record
    record.verified = after.private == pre.private
    record.equivalent = record.verified or not rollback_commands(
        platform, pre.private, after.private
    )
    if not record.verified:
        record.left = unified(pre.private, after.private, platform, "rollback")
    return record


def _fail(
    task: Task, outcome: HostRepair, pre: Prepared, secrets: frozenset[str], why: str
) -> None:
    """Roll back, record it, raise `RepairFailed`."""
    outcome.rollback = roll_back(task, pre, secrets, why)
    _keep_quietly(task, outcome.safety)  # the net-zero change stays; no timer left running
    outcome.changed = not outcome.rollback.verified  # the net change, from the re-read
    if outcome.rollback.equivalent:
        outcome.status = "rolled-back"
        hint = "the device is as it was before the repair (verified by re-reading it)"
    else:
        outcome.status = "rollback-failed"
        hint = (
            "the device could NOT be put back: see the diff left, restore it by hand, lapor Kabid"
        )
    outcome.reason = why
    raise RepairFailed(f"{why}; {outcome.status}", outcome, hint)


# -- the task ---------------------------------------------------------------------------------


def _outcome(task: Task, rendered: RenderedRepair) -> HostRepair:
    host = task.host
    return HostRepair(
        host=host.name,
        opd=host_opd(host),
        platform=str(host.platform),
        template=rendered.template.name,
        variables=dict(rendered.values),
        sources=dict(rendered.sources),
        rendered=rendered.lines or rendered.intended.splitlines(),
        not_restored=list(rendered.not_restored),
    )


def _apply(
    task: Task,
    *,
    rendered: RenderedRepair,
    outcome: HostRepair,
    pre: Prepared,
    secrets: frozenset[str],
    health_dir: Path,
) -> None:
    pushed = _push(task, outcome.commands, "push")
    outcome.sent, outcome.failed_line, outcome.device_error = (
        pushed.sent,
        pushed.failed_line,
        pushed.error,
    )
    if not pushed.ok:
        _fail(task, outcome, pre, secrets, f"line {pushed.failed_line!r} failed: {pushed.error}")
    post = read_live(task, secrets, "after push")
    outcome.diff = unified(pre.private, post.private, outcome.platform)
    outcome.changed = post.private != pre.private
    left = converged(rendered, post.private)
    if left:
        _fail(task, outcome, pre, secrets, f"the device still differs after the push: {left[:3]}")
    results, _passed = run_checks(task, rendered, health_dir)
    outcome.checks = [r.to_json() for r in results]
    failed = [f"{r.check}: {r.message}" for r in results if r.status == "fail"]
    if failed:  # evidence against the change: a check ran and failed
        _fail(task, outcome, pre, secrets, f"post-check failed: {'; '.join(failed)}")
    unchecked = [r for r in results if r.status == "not_checked"]
    if outcome.safety is not None and outcome.safety.armed:
        try:
            keep(task, outcome.safety)
        except Exception as exc:
            _fail(task, outcome, pre, secrets, f"keeping the change failed: {one_line(exc)}")
    try:
        task.run(task=save_config, name="save")
    except NornirSubTaskError as exc:
        _fail(task, outcome, pre, secrets, f"saving failed: {one_line(exc)}")
    if unchecked:  # the re-read proved the change; no check could say more: it stays
        reasons = dict.fromkeys(r.message for r in unchecked)
        names = ", ".join(r.check for r in unchecked)
        outcome.status = "unverified"
        outcome.reason = (
            f"applied, not verified by checks ({names}: {'; '.join(reasons)}); the re-read "
            "shows the change in place: it stays"
        )
        return
    outcome.status = "repaired"


# -- the device's own safety net --------------------------------------------------------------


def _keep_quietly(task: Task, record: SafetyRecord | None) -> None:
    """Release Safe Mode / confirm after a rollback over SSH (best effort)."""
    if record is None or not record.armed or record.released:
        return
    try:
        keep(task, record)
    except Exception as exc:  # the rollback is verified; the net ends with the session
        record.note += f"; not released: {one_line(exc)}"
        _drop_session(task)


def _arm(task: Task, count: int) -> SafetyRecord:
    """Put the change under the device's safety net (or say why not)."""
    try:
        return arm(task, count=count)
    except Exception as exc:  # no net: the caller falls back or refuses
        _drop_session(task)
        net = safe_net_for(str(task.host.platform))
        return SafetyRecord(
            mechanism=net.mechanism if net else "none",
            note=f"could not arm the safety net: {one_line(exc)}",
        )


def _session_lost(
    task: Task, outcome: HostRepair, pre: Prepared, secrets: frozenset[str], why: str
) -> None:
    """The session broke with the safety net armed: wait for the device to undo the change
    by itself, prove it by re-reading; else say so (and roll back over SSH if reachable)."""
    record = outcome.safety
    assert record is not None
    label = safe_net_for(outcome.platform).label  # type: ignore[union-attr]
    now = await_device_revert(
        task,
        record,
        lambda: read_live(task, secrets, "after the lost session").private,
        pre.private,
    )
    if record.device_reverted:
        outcome.status, outcome.changed = "reverted-by-device", False
        outcome.reason = (
            f"{why}; reverted by the device ({label}) within {record.waited_s:g} s: "
            "its configuration is back as before (verified by re-reading it)"
        )
        raise RepairFailed(
            outcome.reason, outcome, "the device is as it was; see why the change cut it off"
        )
    if now is None:
        outcome.status, outcome.changed = "rollback-failed", True
        outcome.reason = (
            f"{why}; the device did not revert by itself: still unreachable after "
            f"{record.waited_s:g} s ({label})"
        )
        raise RepairFailed(
            outcome.reason, outcome, "go to the device (console), restore it, lapor Kabid"
        )
    record.note += "; the device was reachable but had not undone the change"
    _fail(task, outcome, pre, secrets, f"{why}; the device did not revert by itself ({label})")


def repair_host(
    task: Task,
    *,
    rendered: Mapping[str, RenderedRepair],
    settings: RepairSettings,
    secrets: frozenset[str],
    health_dir: Path,
) -> Result:
    """Dry-run or apply one host's repair; ``result`` is its `HostRepair`."""
    repair = rendered[task.host.name]
    outcome = _outcome(task, repair)
    pre = read_live(task, secrets, "before the repair")
    plan = plan_repair(repair, pre.private)
    outcome.commands, outcome.expected_diff, outcome.modelled = (
        plan.commands,
        plan.expected_diff,
        plan.modelled,
    )
    if not settings.apply:
        outcome.status = "dry-run"
    elif not plan.commands:
        outcome.status = "no-change"
    else:
        outcome.safety = _arm(task, len(plan.commands))
        if outcome.safety.held_elsewhere:
            outcome.status = "blocked"
            outcome.reason = f"{outcome.safety.note}; nothing sent: try again later"
            return Result(host=task.host, result=outcome, changed=False)
        if not outcome.safety.armed and settings.require_safe:
            outcome.status = "blocked"
            outcome.reason = (
                f"--require-safe: no device-side safety net ({outcome.safety.note}); nothing sent"
            )
            return Result(host=task.host, result=outcome, changed=False)
        try:
            _apply(
                task,
                rendered=repair,
                outcome=outcome,
                pre=pre,
                secrets=secrets,
                health_dir=health_dir,
            )
        except RepairFailed:
            raise
        except Exception as exc:  # a dropped session, an unreadable re-read: put it back
            _drop_session(task)  # a fresh session for the rollback
            why = one_line(exc)
            if outcome.safety.armed:
                _session_lost(task, outcome, pre, secrets, why)
            _fail(task, outcome, pre, secrets, why)
    return Result(host=task.host, result=outcome, changed=outcome.changed)
