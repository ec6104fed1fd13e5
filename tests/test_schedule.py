"""`netrawat schedule install|show|remove` into test folders: systemd units that systemd-analyze
accepts and whose command really runs, a crontab block that keeps the user's other lines, times
converted from WIB, bad input refused."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from netrawat.cli.main import run as cli
from netrawat.exitcodes import ExitCode
from netrawat.paths import EXAMPLE_INVENTORY
from netrawat.schedule import cron
from netrawat.schedule.jobs import CADENCE

USER_CRONTAB = "MAILTO=jaringan@pontianak.go.id\n15 4 * * * /usr/local/bin/other-job\n"


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    """An inventory under a path with a space (quoting is part of what is tested)."""
    target = tmp_path / "my inventory"
    shutil.copytree(EXAMPLE_INVENTORY, target)
    return target


@pytest.fixture
def utc() -> Iterator[None]:
    """The machine's zone is UTC for the test (cron times are converted from WIB)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("TZ", "UTC")
    time.tzset()
    yield
    mp.undo()
    time.tzset()


def _install(inventory: Path, *args: str) -> int:
    return cli(["schedule", "install", "--inventory", str(inventory), *args])


def _show(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, dict[str, str]]:
    capsys.readouterr()
    assert cli(["schedule", "show", "--json", *args]) == ExitCode.OK
    jobs: dict[str, dict[str, str]] = json.loads(capsys.readouterr().out)["jobs"]
    return jobs


def test_systemd_units_install_show_remove(
    inventory: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    units = tmp_path / "units"
    state = tmp_path / "state dir"
    foreign = units / "backup-home.timer"
    units.mkdir()
    foreign.write_text("[Timer]\nOnCalendar=daily\n")
    args = ("--kind", "systemd", "--dir", str(units))
    assert _install(inventory, "--state", str(state), *args) == ExitCode.OK
    names = sorted(p.name for p in units.glob("netrawat-*"))
    assert names == sorted(f"netrawat-{j}.{k}" for j in CADENCE for k in ("service", "timer"))
    timer = (units / "netrawat-preventive.timer").read_text()
    assert "OnCalendar=*-*-* 02:00:00 Asia/Pontianak" in timer
    assert (
        "OnCalendar=Mon *-*-* 03:00:00 Asia/Pontianak"
        in (units / "netrawat-compliance.timer").read_text()
    )
    service = (units / "netrawat-preventive.service").read_text()
    assert f'Environment="NETRAWAT_INVENTORY={inventory}"' in service
    assert f'Environment="NETRAWAT_STATE={state}"' in service
    assert f"ExecStart={sys.executable} -m netrawat preventive\n" in service

    jobs = _show(capsys, *args)
    assert set(jobs) == set(CADENCE)
    assert jobs["health"]["schedule"] == "*-*-* 07:00:00 Asia/Pontianak"

    assert _install(inventory, "--job", "preventive", "--at", "preventive=01:30", *args) == 0
    assert set(_show(capsys, *args)) == {"preventive"}  # install = exactly these jobs
    assert "01:30:00" in (units / "netrawat-preventive.timer").read_text()

    assert cli(["schedule", "remove", *args]) == ExitCode.OK
    assert sorted(p.name for p in units.iterdir()) == ["backup-home.timer"]
    assert foreign.read_text() == "[Timer]\nOnCalendar=daily\n"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_units_verify_and_their_command_runs(inventory: Path, tmp_path: Path) -> None:
    units = tmp_path / "units"
    assert _install(inventory, "--kind", "systemd", "--dir", str(units)) == ExitCode.OK
    files = [str(p) for p in sorted(units.glob("netrawat-*"))]
    verify = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *files],
        check=False,
        capture_output=True,
        text=True,
    )
    assert verify.returncode == 0, verify.stderr
    service = (units / "netrawat-health.service").read_text()
    exec_start = re.search(r"^ExecStart=(.*)$", service, re.MULTILINE)
    assert exec_start is not None
    argv = shlex.split(exec_start.group(1))
    done = subprocess.run([*argv, "--help"], check=False, capture_output=True, text=True)
    assert done.returncode == 0 and "Usage: netrawat health" in done.stdout


def test_foreign_unit_with_our_name_is_never_overwritten(inventory: Path, tmp_path: Path) -> None:
    units = tmp_path / "units"
    units.mkdir()
    (units / "netrawat-health.timer").write_text("# hand-made\n")
    assert _install(inventory, "--kind", "systemd", "--dir", str(units)) == ExitCode.BAD_INPUT
    assert (units / "netrawat-health.timer").read_text() == "# hand-made\n"


def test_crontab_block_keeps_other_lines(
    inventory: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], utc: None
) -> None:
    folder = tmp_path / "cron"
    folder.mkdir()
    (folder / "crontab").write_text(USER_CRONTAB)
    args = ("--kind", "cron", "--dir", str(folder))
    assert _install(inventory, *args) == ExitCode.OK
    assert _install(inventory, *args) == ExitCode.OK  # again: replaced, not duplicated
    text = (folder / "crontab").read_text()
    assert text.startswith(USER_CRONTAB)
    assert text.count(cron.BEGIN) == 1 and text.count(cron.END) == 1
    jobs = _show(capsys, *args)
    assert jobs["preventive"]["schedule"] == "0 19 * * * (every day 02:00 WIB)"
    assert jobs["compliance"]["schedule"] == "0 20 * * 0 (every Mon 03:00 WIB)"
    line = next(ln for ln in text.splitlines() if ln.endswith(" health"))
    env_and_command = line.split(" ", 5)[5]
    done = subprocess.run(
        ["sh", "-c", env_and_command + " --help"], check=False, capture_output=True, text=True
    )
    assert done.returncode == 0 and "Usage: netrawat health" in done.stdout
    assert f"NETRAWAT_INVENTORY='{inventory}'" in line

    assert cli(["schedule", "remove", *args]) == ExitCode.OK
    assert (folder / "crontab").read_text() == USER_CRONTAB


def test_cron_times_from_wib_across_midnight() -> None:
    monday = CADENCE["compliance"]
    assert cron.local_fields(monday, date(2026, 11, 23)) is not None
    # In WIB itself nothing moves.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TZ", "Asia/Pontianak")
        time.tzset()
        assert cron.local_fields(monday, date(2026, 11, 23)) == (0, 3, "1")
        mp.setenv("TZ", "UTC")
        time.tzset()
        assert cron.local_fields(monday, date(2026, 11, 23)) == (0, 20, "0")
    time.tzset()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--job", "reboot"], "unknown job reboot"),
        (["--at", "preventive=25:00"], "expected JOB=HH:MM"),
        (["--job", "health", "--at", "preventive=01:00"], "expected JOB=HH:MM"),
        (["--kind", "launchd"], "unknown schedule kind"),
    ],
)
def test_bad_input_is_refused(
    inventory: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    expected: str,
) -> None:
    capsys.readouterr()
    assert _install(inventory, "--dir", str(tmp_path / "x"), *args) == ExitCode.BAD_INPUT
    assert expected in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_inventory_must_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    code = _install(tmp_path / "nowhere", "--dir", str(tmp_path / "units"))
    assert code == ExitCode.BAD_INPUT
    assert "holds no hosts.yaml" in capsys.readouterr().err


def test_the_web_console_installs_as_a_service_beside_the_timers(
    inventory: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    units = tmp_path / "units"
    args = ("--kind", "systemd", "--dir", str(units))
    assert _install(inventory, "--console", "127.0.0.1:8080", *args) == ExitCode.OK
    unit = (units / "netrawat-web.service").read_text()
    assert f'Environment="NETRAWAT_INVENTORY={inventory}"' in unit
    assert "-m netrawat serve --listen 127.0.0.1:8080" in unit
    if shutil.which("systemd-analyze"):
        verify = subprocess.run(
            ["systemd-analyze", "verify", "--man=no", str(units / "netrawat-web.service")],
            check=False,
            capture_output=True,
            text=True,
        )
        assert verify.returncode == 0, verify.stderr
    assert cli(["schedule", "remove", *args]) == ExitCode.OK
    assert not (units / "netrawat-web.service").exists()

    capsys.readouterr()
    crontab = ("--kind", "cron", "--dir", str(tmp_path / "cron"))
    assert _install(inventory, "--console", "127.0.0.1:8080", *crontab) == ExitCode.BAD_INPUT
    assert "cron cannot keep a server running" in capsys.readouterr().err
    assert _install(inventory, "--console", "nonsense", *args) == ExitCode.BAD_INPUT
    (units / "netrawat-web.service").write_text("# hand-made\n")
    assert _install(inventory, "--console", "127.0.0.1:8080", *args) == ExitCode.BAD_INPUT
    assert (units / "netrawat-web.service").read_text() == "# hand-made\n"
