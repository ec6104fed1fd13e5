"""`netrawat backup` against the device lab, through real SSH.

Each test has its own state directory (config repository, recap, known_hosts) and an
inventory copied from the lab's with short timeouts, so a hung device fails in seconds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import fleet_args, inventory_copy, run_json, send_config

from netrawat.cli.main import run as cli
from netrawat.configs.repo import ConfigRepo
from netrawat.exitcodes import ExitCode
from netrawat.recap import open_store
from netrawat.recap.query import get_run
from netrawat.state import StateDir
from netrawat_lab.handle import Lab
from netrawat_lab.testing import private_slot, rehearsal_fleet

pytestmark = pytest.mark.lab

NUMBER = "045/112/Diskes/XI/2026"
READ_TIMEOUT = 4


def with_short_timeouts(lab: Lab, copy: Path) -> Path:
    """A copy of the lab's inventory with short timeouts (its secrets file still 0600)."""
    return inventory_copy(lab, copy, READ_TIMEOUT)


@pytest.fixture
def inventory(lab: Lab, tmp_path: Path) -> Path:
    """The session lab's inventory with short timeouts."""
    return with_short_timeouts(lab, tmp_path / "inventory")


def backup(
    inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, dict[str, Any]]:
    """Run `netrawat backup --json` in-process; (exit code, JSON report)."""
    code, report, _ = run_json(capsys, "backup", *fleet_args(inventory, state.root), *extra)
    return code, report


def statuses(report: dict[str, Any]) -> dict[str, str]:
    return {h["host"]: h["status"] for h in report["hosts"]}


def commits(state: StateDir) -> list[str]:
    return ConfigRepo(state.configs).git("log", "--format=%H").split()


def test_first_backup_no_change_then_exactly_one_change(
    clean_lab: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    lab = clean_lab
    code, first = backup(inventory, state, capsys, "--request", NUMBER, "--open")
    assert code == ExitCode.OK, first
    assert set(statuses(first).values()) == {"changed"}
    repo = ConfigRepo(state.configs)
    stored = repo.read_all()
    assert set(stored) == {
        f"{s.opd}/{s.hostname}.{'rsc' if s.platform == 'mikrotik_routeros' else 'cfg'}"
        for s in lab.specs
    }
    message = repo.git("log", "-1", "--format=%B")
    assert f"Request: {NUMBER}" in message and f"Run: {first['run_id']}" in message
    assert "Operator: " in message and "Changed: " in message
    assert first["ignored_lines"]  # RouterOS export header and IOS volatile lines

    code, second = backup(inventory, state, capsys, "--request", NUMBER)
    assert code == ExitCode.OK
    assert set(statuses(second).values()) == {"unchanged"}
    assert second["commit"] is None and len(commits(state)) == 1

    with lab.faulted("RTR-DINKES", "wrong-dns"):
        code, third = backup(inventory, state, capsys, "--request", NUMBER)
    assert code == ExitCode.OK
    assert statuses(third)["RTR-DINKES"] == "changed"
    assert [h for h, s in statuses(third).items() if s == "changed"] == ["RTR-DINKES"]
    assert len(commits(state)) == 2
    changed = repo.git("diff", "--name-only", "HEAD~1", "HEAD").split()
    assert changed == ["dinkes/RTR-DINKES.rsc"]
    diff = repo.git("diff", "--unified=0", "HEAD~1", "HEAD").splitlines()
    body = [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert body and all("dns" in line for line in body), body

    store = open_store(state)
    try:
        with store.begin() as conn:
            entry = get_run(conn, third["run_id"])
    finally:
        store.close()
    assert entry is not None and entry.request == NUMBER
    assert entry.commits == (third["commit"],)
    assert {h.host: h.outcome for h in entry.hosts}["RTR-DINKES"] == "changed"


def test_truncated_export_keeps_the_previous_backup_and_quarantines_it(
    clean_lab: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    lab = clean_lab
    code, _ = backup(inventory, state, capsys)
    assert code == ExitCode.OK
    repo = ConfigRepo(state.configs)
    before = repo.read_all()
    head = repo.head()
    with lab.faulted("RTR-DISDIKBUD", "truncate"):
        code, report = backup(inventory, state, capsys)
    assert code == ExitCode.HOSTS_FAILED
    host = next(h for h in report["hosts"] if h["host"] == "RTR-DISDIKBUD")
    assert host["status"] == "failed" and host["check"] in {"prompt", "end"}
    assert {s for h, s in statuses(report).items() if h != "RTR-DISDIKBUD"} == {"unchanged"}
    assert repo.read_all() == before and repo.head() == head
    quarantined = Path(host["quarantine"])
    assert quarantined.is_file() and quarantined.stat().st_mode & 0o777 == 0o600
    assert quarantined.is_relative_to(state.quarantine / report["run_id"])
    partial = quarantined.read_text()
    assert partial and partial != before["disdikbud/RTR-DISDIKBUD.rsc"]
    assert quarantined.with_suffix(".reason").read_text().strip() in host["reason"]


def test_auth_failure_unreachable_and_hung_devices_fail_alone(
    clean_lab: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    lab = clean_lab
    code, _ = backup(inventory, state, capsys, "--host", "CR-DINKES")  # pin its key first
    lab.fault("AP-DINKES-1", "auth-failure")
    lab.fault("CR-DISDIKBUD", "unreachable")
    lab.fault("CR-DINKES", "hang")
    code, report = backup(inventory, state, capsys)
    assert code == ExitCode.HOSTS_FAILED
    by_host = {h["host"]: h for h in report["hosts"]}
    assert by_host["AP-DINKES-1"]["check"] == "auth"
    assert by_host["CR-DISDIKBUD"]["status"] == "failed"
    assert by_host["CR-DISDIKBUD"]["reason"].startswith("cannot connect: connection refused")
    assert by_host["CR-DINKES"]["check"] == "prompt", by_host["CR-DINKES"]
    assert f"no data for {READ_TIMEOUT} s" in by_host["CR-DINKES"]["reason"]
    good = {"RTR-DINKES", "RTR-DISDIKBUD"}
    assert {h for h, v in by_host.items() if v["status"] != "failed"} == good
    stored = ConfigRepo(state.configs).read_all()
    assert {p.split("/")[1].split(".")[0] for p in stored} == good | {"CR-DINKES"}
    message = ConfigRepo(state.configs).git("log", "-1", "--format=%B")
    assert "AP-DINKES-1: authentication failed" in message


def test_no_secret_of_the_lab_fleet_reaches_git(
    clean_lab: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    lab = clean_lab
    code, report = backup(inventory, state, capsys, "--keep-private")
    assert code == ExitCode.OK
    with lab.faulted("RTR-DINKES", "wrong-ntp"):
        backup(inventory, state, capsys, "--keep-private")
    secrets: set[str] = set()
    for spec in lab.specs:
        secrets |= {spec.password, spec.enable_secret}
        secrets |= {str(spec.seed.get(k) or "") for k in ("wifi_psk", "snmp_community")}
    secrets.discard("")
    assert secrets
    repo = ConfigRepo(state.configs)
    history = repo.git("log", "--all", "-p", "--format=%H%n%B")
    objects = subprocess.run(
        ["git", "-C", str(state.configs), "cat-file", "--batch-all-objects", "--batch"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8", "replace")
    run_logs = "".join(p.read_text() for p in state.logs.glob("*.log"))
    for secret in secrets:
        assert secret not in history
        assert secret not in objects
        assert secret not in run_logs  # Nornir logs task arguments into the run log
    assert sum(sum(h["sanitized"].values()) for h in report["hosts"]) >= len(lab.specs)
    # the private copies keep what git must not: owner-only, outside the repository
    private = {
        p.relative_to(state.private): p
        for p in state.private.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(state.private).parts
    }
    assert set(map(str, private)) == set(repo.read_all())
    assert state.private.stat().st_mode & 0o777 == 0o700
    for path in private.values():
        assert path.stat().st_mode & 0o777 == 0o600
        assert path.parent.stat().st_mode & 0o777 == 0o700
    ap = next(s for s in lab.specs if s.role == "ap")
    psk = str(ap.seed.get("wifi_psk") or "")
    if psk:
        assert psk in (state.private / ap.opd / f"{ap.hostname}.rsc").read_text()


@pytest.mark.parametrize("number", ["", "   ", "045/112\n/XI", "045\x00/2026"])
def test_bad_request_numbers_are_refused_before_connecting(
    inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str], number: str
) -> None:
    value = number.encode().decode("unicode_escape")
    code = cli(
        ["backup", "--inventory", str(inventory), "--state", str(state.root), "--request", value]
    )
    assert code == ExitCode.BAD_INPUT
    assert "error: request number" in capsys.readouterr().err
    assert not (state.configs / ".git").exists()


HOLD = """
import sys, time
from pathlib import Path
from netrawat.runlock import acquire
from netrawat.state import StateDir
acquire(StateDir.resolve(Path(sys.argv[1])), "backup")
print("held", flush=True)
time.sleep(120)
"""


def test_second_concurrent_run_is_refused(
    inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(state.root)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        code = cli(["backup", "--inventory", str(inventory), "--state", str(state.root)])
        err = capsys.readouterr().err
        assert code == ExitCode.CANNOT_RUN
        assert f"another backup run holds the lock: pid {holder.pid}" in err
    finally:
        holder.kill()
        holder.wait()


def test_kill_9_mid_run_leaves_repository_and_backups_intact(
    clean_lab: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    lab = clean_lab
    code, _ = backup(inventory, state, capsys)
    assert code == ExitCode.OK
    repo = ConfigRepo(state.configs)
    before, head = repo.read_all(), repo.head()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with lab.faulted("CR-DINKES", "slow", "300"), lab.faulted("RTR-DINKES", "wrong-dns"):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "netrawat",
                "backup",
                "--inventory",
                str(inventory),
                "--state",
                str(state.root),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(1.5)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    subprocess.run(
        ["git", "-C", str(state.configs), "fsck", "--full", "--strict"],
        check=True,
        capture_output=True,
    )
    assert repo.read_all() == before and repo.head() == head
    code, report = backup(inventory, state, capsys)  # the stale lock is no obstacle
    assert code == ExitCode.OK
    assert set(statuses(report).values()) == {"unchanged"}


def test_export_flag_follows_the_routeros_version(
    clean_lab: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    lab = clean_lab
    hosts = yaml.safe_load((inventory / "hosts.yaml").read_text())
    hosts["RTR-DISDIKBUD"].setdefault("data", {})["os_version"] = "6.48.6"
    (inventory / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    for host in ("RTR-DINKES", "RTR-DISDIKBUD", "CR-DINKES"):
        lab.history(host, reset=True)
    code, _ = backup(
        inventory,
        state,
        capsys,
        "--platform",
        "mikrotik_routeros",
        "--host",
        "RTR-DINKES",
        "--host",
        "RTR-DISDIKBUD",
    )
    assert code == ExitCode.OK
    v7 = lab.history("RTR-DINKES")
    assert "/system resource print" in v7 and "/export terse show-sensitive" in v7
    v6 = lab.history("RTR-DISDIKBUD")  # declared v6: no query, no show-sensitive
    assert "/export terse" in v6
    assert not any("show-sensitive" in line or "resource" in line for line in v6)
    assert lab.history("CR-DINKES") == []


def test_collapsed_config_is_refused_unless_the_check_is_turned_off(
    clean_lab: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    lab = clean_lab
    code, _ = backup(inventory, state, capsys, "--host", "RTR-DINKES")
    assert code == ExitCode.OK
    before = ConfigRepo(state.configs).read_all()
    with lab.faulted("RTR-DINKES", "config-reset"):  # factory defaults: ~60 % of the lines
        code, report = backup(
            inventory, state, capsys, "--host", "RTR-DINKES", "--min-size-ratio", "0.9"
        )
        assert code == ExitCode.HOSTS_FAILED
        (host,) = report["hosts"]
        assert (host["status"], host["check"]) == ("failed", "size")
        assert "size collapsed" in host["reason"]
        assert ConfigRepo(state.configs).read_all() == before
        # with the size checks off the identity check still refuses the reset (issue 15.1);
        # the operator's --accept-reset records it
        code, report = backup(
            inventory, state, capsys, "--host", "RTR-DINKES", "--min-size-ratio", "0"
        )
        assert code == ExitCode.HOSTS_FAILED and report["hosts"][0]["check"] == "identity"
        code, report = backup(
            inventory,
            state,
            capsys,
            "--host",
            "RTR-DINKES",
            "--min-size-ratio",
            "0",
            "--accept-reset",
            "RTR-DINKES",
        )
        assert code == ExitCode.OK and statuses(report) == {"RTR-DINKES": "changed"}


def test_push_after_commit_and_a_failed_push(
    inventory: Path, state: StateDir, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    code, report = backup(inventory, state, capsys, "--opd", "dinkes", "--push", str(remote))
    assert code == ExitCode.OK and report["pushed"] == str(remote)
    pushed = subprocess.run(
        ["git", "-C", str(remote), "rev-parse", "main"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert pushed == report["commit"]
    code, report = backup(
        inventory, state, capsys, "--opd", "disdikbud", "--push", str(tmp_path / "missing.git")
    )
    assert code == ExitCode.HOSTS_FAILED
    assert report["commit"] and report["push_error"]
    assert ConfigRepo(state.configs).head() == report["commit"]  # the local commit stays


def test_big_export_is_stored_whole_and_a_cut_one_is_refused(
    private_lab: Callable[..., Lab], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (spec,) = [s for s in rehearsal_fleet(private_slot()) if s.hostname == "RTR-DINKES"]
    spec.seed["extra_lines"] = 6000  # oxidized #1966: 6,000 lines cut at ~1,650
    big = private_lab([spec])
    inventory = with_short_timeouts(big, tmp_path / "inventory")
    state = StateDir.resolve(tmp_path / "state")
    code, report = backup(inventory, state, capsys)
    assert code == ExitCode.OK
    (host,) = report["hosts"]
    assert host["lines"] > 6000
    stored = ConfigRepo(state.configs).read("dinkes/RTR-DINKES.rsc")
    assert stored is not None and stored.count("\n") == host["lines"]
    with big.faulted("RTR-DINKES", "truncate"):
        code, report = backup(inventory, state, capsys)
    assert code == ExitCode.HOSTS_FAILED
    assert ConfigRepo(state.configs).read("dinkes/RTR-DINKES.rsc") == stored
    partial = Path(report["hosts"][0]["quarantine"]).read_text()
    assert 0 < partial.count("\n") < host["lines"]


def test_wrong_enable_secret_fails_that_router_with_a_hint(
    inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    secrets = yaml.safe_load((inventory / "secrets.yaml").read_text())
    secrets["hosts"]["CR-DINKES"]["enable_secret"] = "not-the-secret"
    (inventory / "secrets.yaml").write_text(yaml.safe_dump(secrets))
    code, report = backup(inventory, state, capsys, "--platform", "cisco_ios")
    assert code == ExitCode.HOSTS_FAILED
    assert statuses(report) == {"CR-DINKES": "failed", "CR-DISDIKBUD": "changed"}
    (failed,) = [h for h in report["hosts"] if h["status"] == "failed"]
    assert failed["reason"] == "cannot enter enable mode (show running-config needs it)"


def test_dry_run_shows_the_diff_and_stores_nothing(
    clean_lab: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    lab = clean_lab
    code, _ = backup(inventory, state, capsys, "--opd", "dinkes")
    assert code == ExitCode.OK
    head = ConfigRepo(state.configs).head()
    with lab.faulted("RTR-DINKES", "wrong-dns"):
        code, report = backup(
            inventory, state, capsys, "--opd", "dinkes", "--dry-run", "--keep-private"
        )
    assert code == ExitCode.OK and report["dry_run"] and report["commit"] is None
    assert ConfigRepo(state.configs).head() == head
    assert not state.private.exists()
    (changed,) = [h for h in report["hosts"] if h["status"] == "changed"]
    assert changed["host"] == "RTR-DINKES"
    body = [
        line
        for line in changed["diff"]
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert body and all("/ip dns" in line for line in body)


def test_unknown_or_changed_host_key_fails_that_host_loudly(
    clean_lab: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    lab = clean_lab
    capsys.readouterr()
    code = cli(
        [
            "backup",
            "--inventory",
            str(inventory),
            "--state",
            str(state.root),
            "--json",
            "--opd",
            "disdikbud",
        ]
    )  # no --trust-new-hosts: nothing is pinned yet
    report = json.loads(capsys.readouterr().out)
    assert code == ExitCode.HOSTS_FAILED
    assert {h["check"] for h in report["hosts"]} == {"host-key"}
    assert all("unknown SSH host key" in h["reason"] for h in report["hosts"])
    code, report = backup(inventory, state, capsys, "--opd", "disdikbud")
    assert code == ExitCode.OK
    with lab.faulted("RTR-DISDIKBUD", "host-key-changed"):
        code, report = backup(inventory, state, capsys, "--opd", "disdikbud")
    assert code == ExitCode.HOSTS_FAILED
    (failed,) = [h for h in report["hosts"] if h["status"] == "failed"]
    assert failed["host"] == "RTR-DISDIKBUD" and failed["check"] == "host-key"
    assert "SSH HOST KEY CHANGED" in failed["reason"]


def test_a_held_credential_never_blocks_the_run_only_the_host_holding_it(
    lab: Lab,
    clean_lab: Lab,
    inventory: Path,
    state: StateDir,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 15.3: a credential in metadata (the operator's name equal to a device password)
    blocked the whole commit, exit 3, no per-host result, no --json. Now metadata is never
    scanned; a credential inside one host's configuration fails that host alone, naming the
    rule, and --json prints every host."""
    password = lab.spec("RTR-DINKES").password
    assert len(password) >= 6
    monkeypatch.setenv("NETRAWAT_OPERATOR", password)
    code, report = backup(inventory, state, capsys, "--platform", "cisco_ios")
    assert code == ExitCode.OK, report
    message = ConfigRepo(state.configs).git("log", "-1", "--format=%B")
    assert password not in message and "Operator: <removed>" in message

    monkeypatch.delenv("NETRAWAT_OPERATOR")
    leak = f"/ip pool add name=leak ranges=10.9.9.1 comment={password}"
    send_config(lab.spec("RTR-DISDIKBUD"), [leak])
    try:
        code, report = backup(inventory, state, capsys, "--platform", "mikrotik_routeros")
    finally:  # the shared lab keeps configuration changes: later tests must not see the leak
        send_config(lab.spec("RTR-DISDIKBUD"), ["/ip pool remove [ find name=leak ]"])
    assert code == ExitCode.HOSTS_FAILED
    assert report["hosts"] and statuses(report)["RTR-DISDIKBUD"] == "failed"
    assert all(s != "failed" for h, s in statuses(report).items() if h != "RTR-DISDIKBUD")
    (leaky,) = [h for h in report["hosts"] if h["host"] == "RTR-DISDIKBUD"]
    assert leaky["check"] == "secret" and "known-secret" in leaky["reason"]
    assert password not in json.dumps(report)


def _recorded_hosts(state: StateDir) -> dict[str, str]:
    """Host -> outcome of the newest backup run in the recap (read the way a report does)."""
    store = open_store(state)
    try:
        with store.begin() as conn:
            runs = sa_runs(conn)
            if not runs:
                return {}
            entry = get_run(conn, runs[-1])
    finally:
        store.close()
    assert entry is not None
    return {h.host: h.outcome for h in entry.hosts}


def sa_runs(conn: Any) -> list[str]:
    import sqlalchemy as sa

    from netrawat.recap import schema

    query = sa.select(schema.runs.c.run_id).where(schema.runs.c.playbook == "backup")
    return [row.run_id for row in conn.execute(query.order_by(schema.runs.c.started_at))]


def test_kill_9_mid_run_keeps_the_hosts_already_done_in_the_recap(
    clean_lab: Lab, state: StateDir, tmp_path: Path
) -> None:
    """The recording processor writes each host as it finishes: a backup killed while one
    device hangs keeps the rows of the hosts done, and its run reads as interrupted."""
    lab = clean_lab
    inventory = inventory_copy(lab, tmp_path / "inventory", 120)  # the hung one waits
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    argv = [sys.executable, "-m", "netrawat", "backup", "--trust-new-hosts"]
    argv += ["--inventory", str(inventory), "--state", str(state.root)]
    with lab.faulted("CR-DINKES", "hang"):
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        done: dict[str, str] = {}
        while time.monotonic() < deadline and len(done) < len(lab.specs) - 1:
            time.sleep(0.3)
            if state.root.joinpath("recap.sqlite").exists():
                done = _recorded_hosts(state)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert len(done) == len(lab.specs) - 1, done
    assert "CR-DINKES" not in done
    assert set(done.values()) == {"changed"}  # each one's fetched config, still uncommitted
    assert _recorded_hosts(state) == done  # nothing lost with the kill
    store = open_store(state)
    try:
        with store.begin() as conn:
            entry = get_run(conn, sa_runs(conn)[-1])
    finally:
        store.close()
    assert entry is not None and entry.status == "interrupted"
