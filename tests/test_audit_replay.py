"""`netrawat audit` against real devices replayed from their recordings over SSH (RouterOS
7.10-7.18, IOS XE 16.8-17.9, NAPALM's IOS running configs): what the audit judged live is what
the baseline says of the configuration the device printed; a command the recording never
answered (``/user print terse``) leaves only its rule unchecked, with the device's refusal."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from replay import fleet as replay_fleet
from replay.recordings import ROUTEROS, Recording, all_recordings

from netrawat.audit.engine import audit_device, load_baseline
from netrawat.audit.model import AuditFacts
from netrawat.cli.main import run as cli
from netrawat.configs.normalize import normalize
from netrawat.tasks.audit_facts import DATA_KEYS

pytestmark = pytest.mark.lab

WITH_CONFIG = [r for r in all_recordings() if r.config is not None]
NEEDS_OUTPUT = {"ros-no-admin-user", "ros-version-supported"}


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, dict[str, Any]]]:
    """The audit's JSON report of the replayed fleet, and the inventory data it compared with."""
    root = tmp_path_factory.mktemp("audit-replay")
    served = replay_fleet.start(root, WITH_CONFIG)
    defaults = yaml.safe_load((served.inventory / "defaults.yaml").read_text()) or {}
    data = {k: v for k, v in (defaults.get("data") or {}).items() if k in DATA_KEYS}
    args = ["audit", "--inventory", str(served.inventory), "--state", str(root / "state")]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = cli([*args, "--trust-new-hosts", "--json"])
    yield int(code), json.loads(out.getvalue()) | {"data": data}
    served.stop()


def _device(report: dict[str, Any], rec: Recording) -> dict[str, Any]:
    return next(d for d in report["devices"] if d["host"] == rec.host)


@pytest.mark.parametrize("rec", WITH_CONFIG, ids=[r.key for r in WITH_CONFIG])
def test_live_audit_judges_what_the_device_printed(
    audited: tuple[int, dict[str, Any]], rec: Recording
) -> None:
    code, report = audited
    assert code == 1  # real devices out of the box are not hardened
    device = _device(report, rec)
    assert device["status"] == "findings" and device["error"] is None
    live = {r["rule"]: r["status"] for r in device["results"]}
    assert rec.config is not None
    config = normalize(rec.config, rec.platform).text
    offline = audit_device(
        load_baseline(rec.platform),
        AuditFacts(rec.platform, config, data=report["data"]),
        {},
        host=rec.host,
        opd="replay",
        role="router",
    )
    expected = {r.rule.id: r.status for r in offline.results if r.rule.id not in NEEDS_OUTPUT}
    assert {k: v for k, v in live.items() if k not in NEEDS_OUTPUT} == expected


@pytest.mark.parametrize(
    "rec", [r for r in WITH_CONFIG if r.platform == ROUTEROS], ids=lambda r: r.key
)
def test_unrecorded_command_leaves_only_its_rule_unchecked(
    audited: tuple[int, dict[str, Any]], rec: Recording
) -> None:
    results = {r["rule"]: r for r in _device(audited[1], rec)["results"]}
    admin = results["ros-no-admin-user"]
    assert admin["status"] == "error"
    assert admin["message"].startswith("cannot check: /user print terse refused: ")
    version = results["ros-version-supported"]  # /system resource print was recorded
    assert version["status"] in ("pass", "fail") and version["evidence"][0].startswith(
        "version: 7."
    )
    assert results["ros-telnet-off"]["status"] == "fail"  # no /ip service line: enabled
