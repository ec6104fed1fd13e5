"""netrawat against real devices replayed from their recordings (issue 14.4).

Every recorded session in tests/captures (Oxidized: RouterOS 7.10.1-7.18.2, IOS-XE 16.8-17.9;
NAPALM's IOS getter outputs, the broken cases included) is served over real SSH by one
replay server (`replay.server`): the recorded prompt and answers byte for byte, the
platform's real error reply to anything not recorded. The real CLI then runs backup (twice),
diff, health and a repair dry run over the whole replayed fleet, and each recording is judged
on its own: what backup stored against what the device printed, what health graded against
what the recording can prove.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from replay import fleet as replay_fleet
from replay.device import DeviceSpec, Replay
from replay.recordings import IOS, ROUTEROS, Recording, all_recordings

from netrawat.cli.main import run as cli

pytestmark = pytest.mark.lab

RECORDINGS = all_recordings()
WITH_CONFIG = [r for r in RECORDINGS if r.config is not None]
WITHOUT_CONFIG = [r for r in RECORDINGS if r.config is None]
IDS = [r.key for r in RECORDINGS]


@dataclass
class Run:
    code: int
    doc: dict[str, Any]
    stderr: str


@dataclass
class Replayed:
    """What the CLI did against the replayed fleet (files and JSON: shareable between
    xdist workers)."""

    log: Path
    """Every line the replayed devices were sent (JSON lines, see `replay.server`)."""
    state: Path
    runs: dict[str, Run]
    typed_before_repair: int

    def host(self, run: str, rec: Recording, key: str = "hosts") -> dict[str, Any]:
        rows = [h for h in self.runs[run].doc[key] if h["host"] == rec.host]
        assert len(rows) == 1, f"{rec.host} not in {run}: {self.runs[run].stderr[-2000:]}"
        return rows[0]


def _cli(*args: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli(list(args))
    return Run(
        int(code), json.loads(out.getvalue()) if out.getvalue().strip() else {}, err.getvalue()
    )


def _run_all(root: Path) -> None:
    """Serve the recordings, run the CLI against them, stop; results in ``root``."""
    served = replay_fleet.start(root, RECORDINGS)
    try:
        common = ("--inventory", str(served.inventory), "--state", str(root / "state"))
        common += ("--trust-new-hosts", "--json")
        runs = {
            "backup": _cli("backup", *common),
            "backup-again": _cli("backup", *common),
            "diff": _cli("diff", *common, "--no-report"),
            "health": _cli("health", *common),
        }
        typed = len(served.log.read_text(encoding="utf-8").splitlines())
        runs["repair"] = _cli("repair", "restore_dns", *common)
    finally:
        served.stop()
    result = {"typed": typed, "runs": {k: dataclasses.asdict(v) for k, v in runs.items()}}
    (root / "runs.json").write_text(json.dumps(result), encoding="utf-8")


def _shared_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One directory per test run, the same for every xdist worker of it."""
    uid = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not uid:
        return tmp_path_factory.mktemp("replay")
    root = tmp_path_factory.getbasetemp().parent / f"replay-{uid}"
    root.mkdir(exist_ok=True)
    return root


@pytest.fixture(scope="session")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> Replayed:
    """The CLI's runs against the replayed fleet, made once per test run (the first xdist
    worker to get here runs them; the others wait for its results)."""
    root = _shared_root(tmp_path_factory)
    with (root / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "runs.json").exists():
            _run_all(root)
    result = json.loads((root / "runs.json").read_text(encoding="utf-8"))
    runs = {k: Run(**v) for k, v in result["runs"].items()}
    return Replayed(root / "typed.jsonl", root / "state", runs, result["typed"])


# -- the replay itself answers as the recorded platforms do ------------------------------------


def _replay(rec: Recording, user: str = "admin") -> Replay:
    answers = {cmd: (a.text, a.framed) for cmd, a in rec.answers.items()}
    return Replay(DeviceSpec(rec.platform, rec.device, rec.greeting, answers), user)


def test_ios_error_reply_has_the_recorded_form() -> None:
    """The ASR920 recording holds a real IOS refusal (`show vtp status`); an unrecorded
    command is refused in that same form, the caret under the first unknown word."""
    asr = next(r for r in RECORDINGS if r.key == "oxidized:ios#asr920_16.8.1b")
    recorded = asr.answers["show vtp status"].text.split("\n")
    assert recorded[-3:] == ["% Invalid input detected at '^' marker.", "", "hostname#"]
    assert recorded[-4].strip() == "^"
    replay = _replay(asr)
    reply = replay.reply("show ip route").split("\n")
    assert reply[-3:] == recorded[-3:]
    assert reply[-4] == " " * len("hostname#show ") + "^"
    assert replay.reply("terminal width 511") == "terminal width 511\nhostname#"


def test_routeros_error_reply_and_login_options() -> None:
    chr716 = next(r for r in RECORDINGS if r.key == "oxidized:routeros#CHR_7.16")
    replay = _replay(chr716, "netops+ct511w4098h")
    assert replay.prompt == "[netops@MikroTik] > "
    assert replay.reply("/ip route print").split("\r\n")[1] == (
        "bad command name ip (line 1 column 2)"
    )
    assert replay.reply("/system resource print without-paging").split("\r\n")[1] == (
        "expected end of command (line 1 column 24)"
    )


# -- backup ------------------------------------------------------------------------------------

VOLATILE = {
    ROUTEROS: re.compile(
        r"^# (?:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d by RouterOS |poe-out status: |Interface not active$)"
    ),
    IOS: re.compile(
        r"^(?:Building configuration\.\.\.$|Current configuration : \d+ bytes$"
        r"|! Last configuration change at |! NVRAM config last updated at )"
    ),
}
"""The recorded lines that are volatile (they change on their own between two reads): the
only lines of a recording a backup may leave out."""

REMOVED = "<removed>"


def _expected_lines(rec: Recording) -> list[str]:
    assert rec.config is not None
    lines = [line.rstrip() for line in rec.config.split("\n")]
    lines = [line for line in lines if not VOLATILE[rec.platform].match(line)]
    return "\n".join(lines).strip("\n").split("\n")  # blank lines at either end are no content


def _same_but_secret(stored: str, recorded: str) -> bool:
    if stored == recorded:
        return True
    if REMOVED not in stored:
        return False
    pattern = ".+".join(re.escape(part) for part in stored.split(REMOVED))
    return re.fullmatch(pattern, recorded) is not None


@pytest.mark.parametrize("rec", WITH_CONFIG, ids=[r.key for r in WITH_CONFIG])
def test_backup_stores_the_recorded_config(replayed: Replayed, rec: Recording) -> None:
    """Line for line what the device printed, minus its volatile lines, secrets replaced."""
    row = replayed.host("backup", rec)
    assert row["status"] == "changed", row
    stored = (replayed.state / "configs" / row["path"]).read_text(encoding="utf-8")
    stored_lines = stored.rstrip("\n").split("\n")
    expected = _expected_lines(rec)
    assert len(stored_lines) == len(expected), "\n".join(sorted(set(expected) ^ set(stored_lines)))
    different = [
        (s, e) for s, e in zip(stored_lines, expected, strict=True) if not _same_but_secret(s, e)
    ]
    assert different == []
    for secret in rec.must_not_store:
        assert secret not in stored


SECRET_SHAPES = {
    ROUTEROS: re.compile(
        r"\b(?:password|secret|passphrase|pre-shared-key|private-key|preshared-key"
        r"|authentication-password|encryption-password|trap-community)=(\S*)"
    ),
    IOS: re.compile(
        r"\b(?:password|secret|server-key|key 7|set-key \w+|snmp-server community)"
        r"(?: \d+(?= \S))? (\S+)"
    ),
}
"""Secret-bearing settings of each platform: in a stored backup their value is `<removed>`."""


@pytest.mark.parametrize("rec", WITH_CONFIG, ids=[r.key for r in WITH_CONFIG])
def test_backup_keeps_no_secret_value(replayed: Replayed, rec: Recording) -> None:
    row = replayed.host("backup", rec)
    stored = (replayed.state / "configs" / row["path"]).read_text(encoding="utf-8")
    leaks = [
        line
        for line in stored.splitlines()
        for value in SECRET_SHAPES[rec.platform].findall(line)
        if value not in (REMOVED, "", '""')
    ]
    assert leaks == []


@pytest.mark.parametrize("rec", WITHOUT_CONFIG, ids=[r.key for r in WITHOUT_CONFIG])
def test_backup_refuses_a_device_that_refused_the_command(
    replayed: Replayed, rec: Recording
) -> None:
    """No configuration in the recording: the device answers `show running-config` with
    its error; backup fails that host alone, stores nothing and quarantines the reply."""
    row = replayed.host("backup", rec)
    assert row["status"] == "failed"
    assert "% Invalid input detected" in row["reason"]
    assert not (replayed.state / "configs" / "replay" / f"{rec.host}.cfg").exists()
    quarantined = Path(row["quarantine"]).read_text(encoding="utf-8")
    assert "% Invalid input detected at '^' marker." in quarantined


def test_backup_runs_exit_and_commit_as_documented(replayed: Replayed) -> None:
    first, again = replayed.runs["backup"], replayed.runs["backup-again"]
    assert first.code == again.code == 1  # some recordings hold no configuration
    assert first.doc["commit"]
    assert first.doc["counts"] == {
        "changed": len(WITH_CONFIG),
        "unchanged": 0,
        "failed": len(WITHOUT_CONFIG),
    }
    assert again.doc["commit"] is None  # nothing changed: no commit
    assert again.doc["counts"]["unchanged"] == len(WITH_CONFIG)


# -- diff --------------------------------------------------------------------------------------


@pytest.mark.parametrize("rec", RECORDINGS, ids=IDS)
def test_diff_finds_no_drift_in_a_replayed_device(replayed: Replayed, rec: Recording) -> None:
    row = replayed.host("diff", rec)
    if rec.config is None:
        assert row["status"] == "failed"
        assert "% Invalid input detected" in row["reason"]
    else:
        assert row["status"] == "no-drift", row
    assert replayed.runs["diff"].code == 1


# -- health ------------------------------------------------------------------------------------

UNRECORDED = "(never recorded: pings, routes, RouterOS menus other than resource)"
EVIDENCE: dict[str, dict[str, tuple[str, ...]]] = {
    IOS: {
        "identity": ("show version",),
        "recent_reboot": ("show version",),
        "cpu_load": ("show proc cpu",),
        # NAPALM falls back to `show memory` where `show memory statistics` is refused (IOS-XE)
        "memory": ("show memory statistics|show memory",),
        "temperature": ("show env temperature status",),
        "sensors": ("show env temperature status",),
        # NAPALM reads `show interface summary` only for discards, which health does not use
        "interface_admin_down": ("show interfaces",),
        "interface_link_down": ("show interfaces",),
        "interface_errors": ("show interfaces",),
        "link_flaps": ("show interfaces",),
        "uplink_down": ("show interfaces", "show ip route"),
        "gateway_ping": ("show ip route", UNRECORDED),
        "dns": ("show running-config",),
        "ntp": ("show running-config",),
        "ntp_sync": ("show running-config", "show ntp associations"),
        "dns_reachable": ("show running-config", UNRECORDED),
    },
    ROUTEROS: {
        "identity": ("/system identity print",),
        "recent_reboot": ("/system resource print",),
        "cpu_load": ("/system resource print",),
        "memory": ("/system resource print",),
        "storage": ("/system resource print",),
    },
}
"""The recorded answers a health check needs before it may pass or fail (any check not
listed has none in any recording: it must never be graded on a replayed device)."""


def gradable(rec: Recording) -> set[str]:
    """The checks this recording holds evidence for: every command they need is recorded
    with a real answer (not the device's error reply); ``a|b``: either will do."""
    usable = {
        cmd
        for cmd, answer in rec.answers.items()
        if "% Invalid input" not in answer.text and not answer.text.startswith("bad command")
    }
    return {
        check
        for check, needs in EVIDENCE[rec.platform].items()
        if all(any(alt in usable for alt in need.split("|")) for need in needs)
    }


def _device(replayed: Replayed, rec: Recording) -> dict[str, Any]:
    return replayed.host("health", rec, key="devices")


GRADE_ORDER = ("ok", "ringan", "sedang", "berat")


@pytest.mark.parametrize("rec", RECORDINGS, ids=IDS)
def test_health_reaches_every_replayed_device(replayed: Replayed, rec: Recording) -> None:
    """A session was made with every replayed device: never graded unreachable."""
    checks = {c["check"]: c for c in _device(replayed, rec)["checks"]}
    assert checks["reachable"]["status"] == "pass", checks["reachable"]


@pytest.mark.parametrize("rec", RECORDINGS, ids=IDS)
def test_health_grades_only_from_evidence(replayed: Replayed, rec: Recording) -> None:
    """Checks the recording cannot prove are listed, not graded; the grade is the worst of
    the checks that could run and failed."""
    device = _device(replayed, rec)
    evidence = gradable(rec) | {"reachable"}
    graded = {c["check"] for c in device["checks"] if c["status"] in ("pass", "fail")}
    assert graded - evidence == set(), device["checks"]
    worst = max(
        (c["grade"] for c in device["checks"] if c["status"] == "fail"),
        key=GRADE_ORDER.index,
        default="ok",
    )
    # nothing graded after the login: no grade at all, never "ok"
    assert device["grade"] == (worst if graded - {"reachable"} else None)
    assert device["grade"] != "berat"


EVIDENCE_LOST: dict[str, str] = {}
"""Recordings whose evidence health still drops (told to the health engineer)."""


@pytest.mark.parametrize(
    "rec",
    [
        pytest.param(
            r,
            id=r.key,
            marks=[pytest.mark.xfail(strict=True, reason=EVIDENCE_LOST[r.key])]
            if r.key in EVIDENCE_LOST
            else [],
        )
        for r in RECORDINGS
    ],
)
def test_health_checks_what_the_recording_proves(replayed: Replayed, rec: Recording) -> None:
    """The converse: a check the recording holds evidence for is graded (or skipped as not
    applicable), never lost because another command of its section was refused; every
    check not graded says why."""
    checks = _device(replayed, rec)["checks"]
    ran = {c["check"] for c in checks if c["status"] in ("pass", "fail", "skip")}
    assert gradable(rec) - ran == set(), checks
    assert all(c["message"] for c in checks if c["status"] not in ("pass", "fail"))


def test_health_run_exits_without_traceback(replayed: Replayed) -> None:
    run = replayed.runs["health"]
    assert run.code == 1  # nothing is fully checked on a replayed device
    assert "Traceback" not in run.stderr
    assert {d["host"] for d in run.doc["devices"]} == {r.host for r in RECORDINGS}


def test_health_escalates_nothing_unproven(replayed: Replayed) -> None:
    """No recording proves a sedang/berat fault: no *lapor Kabid*."""
    assert replayed.runs["health"].doc["escalate"] == []


# -- repair (dry run) --------------------------------------------------------------------------


@pytest.mark.parametrize("rec", RECORDINGS, ids=IDS)
def test_repair_dry_run_renders_from_the_recorded_config(
    replayed: Replayed, rec: Recording
) -> None:
    """restore_dns: the commands follow from the recorded name servers; a device whose
    configuration cannot be read is `failed` with the device's words."""
    row = replayed.host("repair", rec)
    if rec.config is None:
        assert row["status"] == "failed"
        assert "% Invalid input detected" in str(row.get("error") or row.get("reason"))
        return
    assert row["status"] == "dry-run", row
    if rec.platform == ROUTEROS:
        assert row["commands"] == ["/ip dns set servers=10.0.0.53"]
    else:
        recorded = re.findall(r"^ip name-server (?:vrf \S+ )?(.+)$", rec.config, re.MULTILINE)
        removed = list(dict.fromkeys(a for line in recorded for a in line.split()))
        assert row["commands"] == [f"no ip name-server {a}" for a in removed] + [
            "ip name-server 10.0.0.53"
        ]


def test_repair_dry_run_sends_nothing_and_exits_1(replayed: Replayed) -> None:
    """Only reads reach the devices during the dry run; some hosts failed: exit 1."""
    typed = replayed.log.read_text(encoding="utf-8").splitlines()[replayed.typed_before_repair :]
    lines = {json.loads(t)["line"].strip() for t in typed}
    writes = {x for x in lines if x.startswith(("/ip dns set", "ip name-server", "conf"))}
    assert writes == set()
    assert replayed.runs["repair"].code == 1
    assert replayed.runs["repair"].doc["counts"] == {
        "dry-run": len(WITH_CONFIG),
        "failed": len(WITHOUT_CONFIG),
    }
