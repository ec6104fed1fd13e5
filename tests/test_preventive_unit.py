"""Preventive run logic without devices: the preventive id, exit codes, when to notify, a step
that crashes, the step lines of the notification."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from netrawat.errors import LockHeldError
from netrawat.exitcodes import ExitCode
from netrawat.notify import Delivery, load_notify_config
from netrawat.playbooks.preventive import (
    PreventiveReport,
    StepCrashed,
    _step,
    new_preventive_id,
    step_lines,
    wants_notification,
)
from netrawat.recap import start_run
from netrawat.state import StateDir

NOW = datetime(2026, 11, 22, 19, 0, tzinfo=UTC)  # 02:00 WIB on the 23rd


def _report(**extra: Any) -> PreventiveReport:
    return PreventiveReport("PM-20261123-0200", "run-1", NOW, **extra)


def test_preventive_id_is_the_wib_minute_and_unique(tmp_path: Path) -> None:
    state = StateDir.resolve(tmp_path / "state")
    fleet: Any = SimpleNamespace(state=state)
    assert new_preventive_id(fleet, NOW) == "PM-20261123-0200"
    for expected in ("PM-20261123-0200", "PM-20261123-0200-2"):
        with start_run(state, playbook="preventive", preventive_id=expected):
            pass
    assert new_preventive_id(fleet, NOW) == "PM-20261123-0200-3"


def test_exit_code_is_the_worst_step() -> None:
    assert _report().exit_code == ExitCode.OK
    held = LockHeldError("another backup run holds the lock", "wait")
    assert _report(step_errors={"backup": held}).exit_code == ExitCode.CANNOT_RUN
    failed_delivery = [Delivery("telegram", False, "chat not found")]
    assert _report(deliveries=failed_delivery).exit_code == ExitCode.HOSTS_FAILED


def test_when_to_notify() -> None:
    clean, broken = _report(), _report(deliveries=[Delivery("email", False, "down")])
    for when, expected in (("always", (True, True)), ("problems", (False, True))):
        config = load_notify_config({"notify": {"preventive": when}})
        assert (wants_notification(config, clean), wants_notification(config, broken)) == expected
    never = load_notify_config({"notify": {"preventive": "never"}})
    assert not wants_notification(never, broken)


def test_a_crashing_step_is_reported_and_the_run_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    report = _report()

    def boom() -> None:
        raise KeyError("missing-key")

    _step(report, "backup", boom)
    error = report.step_errors["backup"]
    assert isinstance(error, StepCrashed)
    assert error.one_line().startswith("KeyError: 'missing-key' (hint: the traceback is in")
    assert report.exit_code == ExitCode.CANNOT_RUN
    assert "step backup crashed" in caplog.text and "Traceback" in caplog.text


def test_step_lines_name_skipped_and_failed_steps() -> None:
    held = LockHeldError("another backup run holds the lock", "wait")
    report = _report(
        skipped={"drift": "no backup yet: this run makes the first one"},
        step_errors={"backup": held},
    )
    lines = step_lines(report)
    assert [(line.step, line.skipped, bool(line.error)) for line in lines] == [
        ("drift", "no_backup", False),
        ("backup", "", True),
    ]
