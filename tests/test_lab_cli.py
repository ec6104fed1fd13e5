"""``netrawat lab ...`` as a user runs it (a real process): up, status, fault, clear, history,
down, and what happens with stale pid files, a second ``up``, bad input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from lab_clients import STUB_ENV, connect, tcp_state

from netrawat.cli.main import run
from netrawat.exitcodes import ExitCode
from netrawat_lab import layout
from netrawat_lab.control import running_pid, stop_lab
from netrawat_lab.fleetfile import load_fleet
from netrawat_lab.handle import Lab
from netrawat_lab.testing import private_slot, rehearsal_fleet

pytestmark = pytest.mark.lab


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str


def netrawat_process(*args: str | Path) -> Outcome:
    """The real console entry point in its own process."""
    proc = subprocess.run(
        [sys.executable, "-m", "netrawat", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **STUB_ENV},
        timeout=120,
        check=False,
    )
    return Outcome(proc.returncode, proc.stdout, proc.stderr)


CLI = Callable[..., Outcome]


@pytest.fixture
def netrawat(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> CLI:
    """The CLI run in this process (the lab it starts is still a process of its own)."""
    for name, value in STUB_ENV.items():
        monkeypatch.setenv(name, value)

    def call(*args: str | Path) -> Outcome:
        code = run([str(a) for a in args])
        out, err = capsys.readouterr()
        return Outcome(code, out, err)

    return call


def _lab_processes(lab_dir: Path) -> list[int]:
    """Pids of live processes whose command line names ``lab_dir``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[-1].split()[0]
        except OSError:
            continue
        if str(lab_dir).encode() in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def test_up_status_fault_history_down_leaves_nothing_running(tmp_path: Path, netrawat: CLI) -> None:
    lab_dir = tmp_path / "lab"
    block = str(private_slot().block)
    up = netrawat_process("lab", "up", "--dir", lab_dir, "--devices", "3", "--block", block)
    assert up.returncode == ExitCode.OK, up.stderr
    assert "3 devices" in up.stderr
    for name in ("hosts.yaml", "groups.yaml", "defaults.yaml", "secrets.yaml", "fleet.yaml"):
        assert (lab_dir / name).exists()
    specs = load_fleet(lab_dir / layout.FLEET)
    try:
        status = netrawat("lab", "status", "--dir", lab_dir, "--json")
        devices = json.loads(status.stdout)["devices"]
        assert [d["hostname"] for d in devices] == [s.hostname for s in specs]
        assert all(d["address"].startswith(f"127.{block}.") for d in devices)

        assert (
            netrawat("lab", "fault", "--dir", lab_dir, "CR-DISKOMINFO", "slow=20").returncode == 0
        )
        devices = json.loads(netrawat("lab", "status", "--dir", lab_dir, "--json").stdout)[
            "devices"
        ]
        assert devices[2]["faults"] == {"slow": "20"}
        assert netrawat("lab", "clear", "--dir", lab_dir, "CR-DISKOMINFO").returncode == 0

        client = connect(specs[0])
        client.exec_command("/system resource print")[1].read()
        client.close()
        history = netrawat("lab", "history", "--dir", lab_dir, "RTR-DISKOMINFO")
        assert history.stdout.rstrip().endswith("exec  /system resource print")
    finally:
        down = netrawat_process("lab", "down", "--dir", lab_dir)
    assert down.returncode == ExitCode.OK
    assert _lab_processes(lab_dir) == []
    assert not (lab_dir / layout.PID).exists()
    assert not layout.control_socket(lab_dir).exists()
    assert all(tcp_state(s.address, s.port) == "refused" for s in specs)
    again = netrawat("lab", "down", "--dir", lab_dir)
    assert again.returncode == ExitCode.OK
    assert "no lab was running" in again.stderr


def test_second_up_is_refused_and_stale_pid_is_handled(tmp_path: Path, netrawat: CLI) -> None:
    lab_dir = tmp_path / "lab"
    block = str(private_slot().block)
    assert (
        netrawat("lab", "up", "--dir", lab_dir, "--devices", "1", "--block", block).returncode == 0
    )
    try:
        second = netrawat("lab", "up", "--dir", lab_dir, "--devices", "1", "--block", block)
        assert second.returncode == ExitCode.CANNOT_RUN
        assert "already running" in second.stderr
    finally:
        assert netrawat("lab", "down", "--dir", lab_dir).returncode == 0

    dead = subprocess.Popen(["true"])
    dead.wait()
    (lab_dir / layout.PID).write_text(f"{dead.pid}\n")
    assert running_pid(lab_dir) is None  # a dead pid is not a lab
    status = netrawat("lab", "status", "--dir", lab_dir)
    assert status.returncode == ExitCode.CANNOT_RUN
    assert "no lab is running" in status.stderr
    (lab_dir / layout.PID).write_text(f"{os.getpid()}\n")  # alive, but not a lab server
    down = netrawat("lab", "down", "--dir", lab_dir)
    assert down.returncode == ExitCode.OK
    assert not (lab_dir / layout.PID).exists()
    # a restart reuses the directory's fleet (same credentials) and host keys
    restart = netrawat("lab", "up", "--dir", lab_dir)
    assert restart.returncode == ExitCode.OK, restart.stderr
    assert netrawat("lab", "down", "--dir", lab_dir).returncode == 0


def test_non_loopback_fleet_is_refused_before_anything_starts(
    tmp_path: Path, netrawat: CLI
) -> None:
    fleet = tmp_path / "fleet.yaml"
    fleet.write_text(
        yaml.safe_dump(
            [
                {
                    "hostname": "RTR-REAL",
                    "opd": "dinkes",
                    "role": "router",
                    "platform": "mikrotik_routeros",
                    "address": "192.168.88.1",
                    "port": 2222,
                    "username": "u",
                    "password": "p",
                }
            ]
        )
    )
    result = netrawat("lab", "up", "--dir", tmp_path / "lab", "--fleet", fleet)
    assert result.returncode == ExitCode.BAD_INPUT
    assert "not a loopback address" in result.stderr
    assert not (tmp_path / "lab" / layout.PID).exists()


def test_bad_fault_and_unknown_host_are_input_errors(tmp_path: Path, netrawat: CLI) -> None:
    result = netrawat("lab", "fault", "--dir", tmp_path, "RTR-X", "melting")
    assert result.returncode == ExitCode.BAD_INPUT
    assert "unknown lab fault 'melting'" in result.stderr
    result = netrawat("lab", "fault", "--dir", tmp_path, "RTR-X", "unreachable=sometimes")
    assert result.returncode == ExitCode.BAD_INPUT
    result = netrawat("lab", "fault", "--dir", tmp_path, "RTR-X", "hang")
    assert result.returncode == ExitCode.CANNOT_RUN  # valid fault, but no lab runs there


@pytest.mark.parametrize(
    ("fault", "said"),
    [
        ("slow=99999999999999", "slow=99999999999999: milliseconds must be 0 to 60000"),
        ("slow=60001", "slow=60001: milliseconds must be 0 to 60000"),
        ("overheating=9000", "overheating=9000: degrees Celsius must be 0 to 150"),
        ("echo-wrap=3", "echo-wrap=3: columns must be 20 to 1000"),
        ("max-sessions=" + "9" * 5000, "max-sessions=99999999999999999999...: shells must be"),
        ("high-cpu=\u00b2", "the value must be a whole number"),
    ],
)
def test_absurd_fault_values_are_refused_in_one_line(tmp_path: Path, fault: str, said: str) -> None:
    """Bounds are checked before the lab is asked (none runs in tmp_path): exit 2, one line
    with a hint, never a traceback (int() of 5000 digits raises ValueError)."""
    result = netrawat_process("lab", "fault", "--dir", tmp_path, "RTR-X", fault)
    assert result.returncode == ExitCode.BAD_INPUT, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and said in lines[0] and "hint:" in lines[0], result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("minute", "said"),
    [
        ("inf", "NETRAWAT_LAB_MINUTE=inf: seconds must be 0.01 to 3600"),
        ("nan", "NETRAWAT_LAB_MINUTE=nan: seconds must be"),
        ("-1", "NETRAWAT_LAB_MINUTE=-1: seconds must be"),
        ("0", "NETRAWAT_LAB_MINUTE=0: seconds must be"),
        ("1e9", "NETRAWAT_LAB_MINUTE=1e9: seconds must be"),
        ("9" * 400, "NETRAWAT_LAB_MINUTE=99999999999999999999...: seconds must be"),
        ("soon", "NETRAWAT_LAB_MINUTE=soon: not a number"),
    ],
)
def test_an_absurd_device_minute_is_refused_in_one_line(
    tmp_path: Path, minute: str, said: str
) -> None:
    """The lab's clock (``NETRAWAT_LAB_MINUTE``) is bounded like fault values: ``lab up``
    refuses it before any lab starts, exit 2, one line with a hint."""
    lab_dir = tmp_path / "lab"
    proc = subprocess.run(
        [sys.executable, "-m", "netrawat", "lab", "up", "--dir", str(lab_dir), "--devices", "1"],
        capture_output=True,
        text=True,
        env={**os.environ, **STUB_ENV, "NETRAWAT_LAB_MINUTE": minute},
        timeout=120,
        check=False,
    )
    assert proc.returncode == ExitCode.BAD_INPUT, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and said in lines[0] and "hint:" in lines[0], proc.stderr
    assert not (lab_dir / layout.PID).exists()


def test_down_kills_a_wedged_lab(private_lab: Callable[..., Lab]) -> None:
    lab = private_lab(rehearsal_fleet(private_slot()), env=STUB_ENV)
    assert lab.pid is not None
    os.kill(lab.pid, signal.SIGSTOP)  # answers nothing, ignores SIGTERM until killed
    assert stop_lab(lab.dir, timeout=1.0)
    assert _lab_processes(lab.dir) == []
    assert running_pid(lab.dir) is None


def test_a_deep_lab_directory_gets_its_socket_in_the_temp_directory(tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*["d" * 20] * 6)
    socket_path = layout.control_socket(deep)
    assert len(str(socket_path)) <= layout.MAX_SOCKET_PATH
    assert socket_path == layout.control_socket(deep)  # stable
    assert socket_path != layout.control_socket(tmp_path / "other")


def test_a_test_lab_stops_when_its_owner_dies(tmp_path: Path) -> None:
    owner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        slot = private_slot()
        lab = Lab.up(
            tmp_path / "lab", specs=rehearsal_fleet(slot), env=STUB_ENV, owner_pid=owner.pid
        )
        assert running_pid(lab.dir) == lab.pid
    finally:
        owner.kill()
        owner.wait()
    deadline = time.monotonic() + 30
    while running_pid(lab.dir) is not None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert running_pid(lab.dir) is None
    assert _lab_processes(lab.dir) == []
