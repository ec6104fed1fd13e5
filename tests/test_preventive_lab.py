"""`netrawat preventive` against the device lab over real SSH, notifying through loopback SMTP and
HTTP servers: drift + backup + health filed under one preventive id, the summary in Bahasa
Indonesia, the lock against overlapping runs, the log file, the exit codes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import fleet_args, inventory_copy, run_json
from notify_servers import BotApi, Mailbox, smtp_server, telegram_server

from netrawat.cli.main import run as cli
from netrawat.exitcodes import ExitCode
from netrawat.recap import open_store
from netrawat.recap.query import load_runs
from netrawat.recap.schema import runs as runs_table
from netrawat.runlock import run_lock
from netrawat.state import StateDir
from netrawat_lab.handle import Lab

pytestmark = pytest.mark.lab

TOKEN = "123456789:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ"
TIMEOUT = 4


@pytest.fixture
def channels() -> Iterator[tuple[Mailbox, BotApi]]:
    with smtp_server() as box, telegram_server() as api:
        yield box, api


@pytest.fixture
def inventory(lab: Lab, tmp_path: Path, channels: tuple[Mailbox, BotApi]) -> Path:
    """The lab's inventory (short timeouts) with a secrets file whose notify section points at
    the loopback channels."""
    box, api = channels
    copy = inventory_copy(lab, tmp_path / "inventory", TIMEOUT)
    secrets = yaml.safe_load((copy / "secrets.yaml").read_text())
    secrets["notify"] = {
        "email": {
            "host": "127.0.0.1",
            "port": box.port,
            "security": "none",
            "sender": "netrawat@pontianak.go.id",
            "to": ["jaringan@pontianak.go.id"],
            "timeout": 5,
        },
        "telegram": {"bot_token": TOKEN, "chat_id": "-100200300", "api_base": api.base},
    }
    (copy / "secrets.yaml").write_text(yaml.safe_dump(secrets))
    (copy / "secrets.yaml").chmod(0o600)
    return copy


def _preventive(
    inventory: Path, state: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, dict[str, Any]]:
    code, report, _ = _preventive_err(inventory, state, capsys, *args)
    return code, report


def _preventive_err(
    inventory: Path, state: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, dict[str, Any], str]:
    return run_json(capsys, "preventive", *fleet_args(inventory, state), *args)


def _runs_of(state: Path, preventive_id: str) -> dict[str, str]:
    store = open_store(StateDir(state))
    try:
        with store.begin() as conn:
            found = load_runs(conn, [runs_table.c.preventive_id == preventive_id])
    finally:
        store.close()
    return {r.playbook: r.status for r in found}


def test_preventive_run_finds_damage_files_it_and_notifies(
    lab: Lab,
    inventory: Path,
    tmp_path: Path,
    channels: tuple[Mailbox, BotApi],
    capsys: pytest.CaptureFixture[str],
) -> None:
    box, api = channels
    state = tmp_path / "state"
    code, first = _preventive(inventory, state, capsys, "--host", "RTR-*", "--host", "CR-DINKES")
    assert code == ExitCode.OK, first
    pm = first["preventive_id"]
    assert pm.startswith("PM-")
    assert first["skipped"] == {"drift": "no backup yet: this run makes the first one"}
    assert first["backup"]["counts"]["changed"] == 3
    assert first["health"]["worst_grade"] == "ok"
    assert _runs_of(state, pm) == {"preventive": "ok", "backup": "ok", "health": "ok"}
    assert [d["ok"] for d in first["notifications"]] == [True, True]
    assert "semua perangkat sehat" in box.messages[0]["Subject"]
    first_body = box.messages[0].get_content().replace("\r\n", "\n")
    assert "- Perubahan konfigurasi sejak backup: dilewati (belum ada backup" in first_body
    subject = subprocess.run(
        ["git", "-C", str(state / "configs"), "log", "-1", "--format=%s%n%b"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert subject.startswith(f"backup {pm}: 3 changed") and f"Preventive: {pm}" in subject
    assert Path(first["log"]).is_file() and Path(first["log"]).parent == state / "logs"

    with lab.faulted("RTR-DINKES", "wrong-dns"), lab.faulted("RTR-DISDIKBUD", "unreachable"):
        code, second = _preventive(
            inventory, state, capsys, "--host", "RTR-*", "--host", "CR-DINKES"
        )
    assert code == ExitCode.HOSTS_FAILED
    pm2 = second["preventive_id"]
    assert pm2 != pm
    drift = {h["host"]: h["status"] for h in second["drift"]["hosts"]}
    assert drift == {"CR-DINKES": "no-drift", "RTR-DINKES": "drift", "RTR-DISDIKBUD": "failed"}
    backup = {h["host"]: h["status"] for h in second["backup"]["hosts"]}
    assert backup == {"CR-DINKES": "unchanged", "RTR-DINKES": "changed", "RTR-DISDIKBUD": "failed"}
    grades = {d["host"]: d["grade"] for d in second["health"]["devices"]}
    assert grades == {"CR-DINKES": "ok", "RTR-DINKES": "ringan", "RTR-DISDIKBUD": "berat"}
    assert _runs_of(state, pm2) == {
        "preventive": "failed",
        "diff": "failed",
        "backup": "failed",
        "health": "failed",
    }
    mail = box.messages[-1]
    assert mail["Subject"] == (
        f"[netrawat] Pemeliharaan preventif {pm2}: 1 perangkat perlu lapor Kabid"
    )
    body = mail.get_content().replace("\r\n", "\n")
    assert "Lapor Kabid (sedang/berat):\n- RTR-DISDIKBUD (disdikbud) berat: reachable" in body
    assert "- RTR-DINKES (dinkes) ringan: dns" in body
    assert "- Backup konfigurasi: 1 berubah, 1 tetap, 1 gagal (commit " in body
    assert "- Perubahan konfigurasi sejak backup: 1 sama, 1 berubah, 1 gagal\n" in body
    assert "\n    RTR-DINKES: drift +1 -1\n    RTR-DISDIKBUD: cannot connect" in body
    assert api.texts[-1] == f"{mail['Subject']}\n\n{body}"


def test_overlapping_run_refused_and_bad_input_stops_before_any_device(
    lab: Lab, inventory: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    StateDir.resolve(state)
    with run_lock(StateDir(state), "preventive"):
        code, _, err = _preventive_err(inventory, state, capsys, "--host", "CR-DINKES")
    assert code == ExitCode.CANNOT_RUN
    assert "another preventive run holds the lock" in err

    secrets = yaml.safe_load((inventory / "secrets.yaml").read_text())
    secrets["notify"]["telegram"]["api_base"] = "http://api.telegram.org"
    (inventory / "secrets.yaml").write_text(yaml.safe_dump(secrets))
    lab.history("CR-DINKES", reset=True)
    code, _ = _preventive(inventory, state, capsys, "--host", "CR-DINKES")
    assert code == ExitCode.BAD_INPUT
    assert lab.history("CR-DINKES") == []
    code, _ = _preventive(inventory, state, capsys, "--step", "reboot")
    assert code == ExitCode.BAD_INPUT


def test_no_notify_and_single_step(
    inventory: Path,
    tmp_path: Path,
    channels: tuple[Mailbox, BotApi],
    capsys: pytest.CaptureFixture[str],
) -> None:
    box, api = channels
    state = tmp_path / "state"
    code, report = _preventive(
        inventory, state, capsys, "--host", "CR-DINKES", "--step", "health", "--no-notify"
    )
    assert code == ExitCode.OK
    assert report["backup"] is None and report["drift"] is None
    assert report["skipped"] == {"drift": "not selected", "backup": "not selected"}
    assert report["notify_note"].startswith("notifications turned off")
    assert box.messages == [] and api.posts == []


def test_health_run_with_heavy_damage_sends_an_alert(
    lab: Lab,
    inventory: Path,
    tmp_path: Path,
    channels: tuple[Mailbox, BotApi],
    capsys: pytest.CaptureFixture[str],
) -> None:
    box, api = channels
    base = ["health", "--inventory", str(inventory), "--state", str(tmp_path / "state")]
    assert cli([*base, "--trust-new-hosts", "--host", "CR-DINKES"]) == ExitCode.OK
    assert box.messages == [] and api.posts == []  # healthy: nothing to report
    with lab.faulted("CR-DINKES", "uplink-down"):
        capsys.readouterr()
        assert cli([*base, "--host", "CR-DINKES"]) == ExitCode.HOSTS_FAILED
    err = capsys.readouterr().err
    assert "damage alert via email: sent" in err and "damage alert via telegram: sent" in err
    subject = box.messages[0]["Subject"]
    assert subject.startswith("[netrawat] Survei kesehatan jaringan ")
    assert subject.endswith(": 1 perangkat perlu lapor Kabid")
    assert "- CR-DINKES (dinkes) berat: uplink_down" in api.texts[0]


def test_cron_style_run_needs_no_terminal(inventory: Path, tmp_path: Path) -> None:
    """As cron runs it: a separate process, no TTY, stdin closed, a bare environment."""
    state = tmp_path / "state"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-m", "netrawat", "preventive", "--no-notify", "--trust-new-hosts"],
        env={**env, "NETRAWAT_INVENTORY": str(inventory), "NETRAWAT_STATE": str(state)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == ExitCode.OK, done.stderr
    assert "\x1b[" not in done.stderr  # no colour or progress bar without a terminal
    assert "preventive PM-" in done.stderr and done.stdout == ""
    logs = list((state / "logs").glob("*.log"))
    assert len(logs) == 1
    assert "step health starts" in logs[0].read_text()


def test_not_checked_alone_alerts_nobody_and_is_no_success(
    lab: Lab,
    inventory: Path,
    tmp_path: Path,
    channels: tuple[Mailbox, BotApi],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Evidence only: a device whose NAPALM getter raises after a good login (real Catalyst
    `show memory statistics`) is listed as not fully checked: no Kabid alert, no damage mail,
    the preventive and health runs end `incomplete`, never `ok`."""
    box, api = channels
    state = tmp_path / "state"
    with lab.faulted("CR-DINKES", "no-io-memory"):
        code, report = _preventive(inventory, state, capsys, "--host", "CR-DINKES")
        capsys.readouterr()
        base = ["health", "--inventory", str(inventory), "--state", str(state)]
        assert cli([*base, "--host", "CR-DINKES"]) == ExitCode.HOSTS_FAILED
        err = capsys.readouterr().err
    assert code == ExitCode.HOSTS_FAILED, report
    device = report["health"]["devices"][0]
    assert device["state"] == "partial" and report["health"]["escalate"] == []
    assert _runs_of(state, report["preventive_id"]) == {
        "preventive": "incomplete",
        "backup": "ok",
        "health": "incomplete",
    }
    subject = box.messages[-1]["Subject"]
    assert subject.endswith(": 1 perangkat belum terperiksa"), subject
    assert "Kabid" not in subject
    body = box.messages[-1].get_content().replace("\r\n", "\n")
    assert "- CR-DINKES (dinkes) belum lengkap: tidak dapat diperiksa (" in body
    assert "damage alert" not in err  # the health run alone sends nothing
    assert len(box.messages) == 1 and len(api.texts) == 1
