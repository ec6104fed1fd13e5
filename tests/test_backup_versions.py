"""The release each host ran at its last good backup (`netrawat.configs.versions`), and the
backup skipping the RouterOS version query while the export agrees with it (real SSH)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import fleet_args, inventory_copy, run_json

from netrawat.configs.repo import ConfigRepo
from netrawat.configs.versions import VersionStore
from netrawat.exitcodes import ExitCode
from netrawat.state import StateDir
from netrawat_lab.handle import Lab

QUERY = "/system resource print"
ROUTEROS = ("RTR-DINKES", "RTR-DISDIKBUD")


def commands(lab: Lab, host: str) -> list[str]:
    """The commands ``host`` received since the last call (no bare Enters, no logout)."""
    return [line for line in lab.history(host, reset=True) if line.strip() not in ("", "quit")]


def test_store_round_trip_and_change(tmp_path: Path) -> None:
    path = tmp_path / "versions.json"
    store = VersionStore.load(path)
    assert store.known == {} and store.major("R1") is None
    when = datetime(2026, 12, 1, 22, 0, tzinfo=UTC)
    assert store.remember("R1", "7.16.1", when) is False  # first sighting: no change
    assert store.remember("CR", "15.9", when) is False
    store.save()
    assert path.stat().st_mode & 0o777 == 0o600
    again = VersionStore.load(path)
    assert again.majors() == {"R1": 7, "CR": 15}
    assert again.majors(["R1", "other"]) == {"R1": 7}
    assert again.get("R1") is not None and again.get("R1").seen == "2026-12-01T22:00:00Z"  # type: ignore[union-attr]
    assert again.remember("R1", "7.18.2") is True  # an upgrade is noticed
    again.forget("CR")
    assert again.majors() == {"R1": 7}


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", '{"R1": 7}'])
def test_unreadable_store_is_empty(tmp_path: Path, text: str) -> None:
    path = tmp_path / "versions.json"
    path.write_text(text)
    assert VersionStore.load(path).known == {}


@pytest.mark.lab
def test_repeat_backup_asks_no_version_and_a_changed_release_is_noticed(
    clean_lab: Lab, tmp_path: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    lab = clean_lab
    inventory = inventory_copy(lab, tmp_path / "inventory", 4)
    args = ("backup", *fleet_args(inventory, state.root))
    for host in ROUTEROS:
        lab.history(host, reset=True)
    code, first, _ = run_json(capsys, *args)
    assert code == ExitCode.OK, first
    assert all(QUERY in commands(lab, h) for h in ROUTEROS)
    remembered = VersionStore.load(state.versions)
    assert {h: remembered.major(h) for h in ROUTEROS} == dict.fromkeys(ROUTEROS, 7)
    assert remembered.major("CR-DINKES") == 15  # IOS: the config's own `version` line
    stored = ConfigRepo(state.configs).read_all()

    code, second, _ = run_json(capsys, *args)
    assert code == ExitCode.OK, second
    for host in ROUTEROS:
        assert commands(lab, host) == ["/export terse show-sensitive"], host

    # The store says v6 (no show-sensitive), the export header says 7.16.1: exported again
    # with the v7 flag, and the store corrected.
    raw = json.loads(state.versions.read_text())
    raw["RTR-DINKES"]["version"] = "6.48.6"
    state.versions.write_text(json.dumps(raw))
    code, third, _ = run_json(capsys, *args)
    assert code == ExitCode.OK, third
    sent = commands(lab, "RTR-DINKES")
    assert sent[:2] == ["/export terse", "/export terse show-sensitive"]
    assert set(sent[2:]) <= {QUERY}  # the upgrade guard's own release probe may follow
    assert VersionStore.load(state.versions).get("RTR-DINKES").version == "7.16.1"  # type: ignore[union-attr]
    assert {h["status"] for h in third["hosts"]} == {"unchanged"}
    assert ConfigRepo(state.configs).read_all() == stored
