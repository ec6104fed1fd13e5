"""The upgrade guard's words: report, commit message and the preventive notification line."""

from __future__ import annotations

from netrawat.playbooks.backup import BackupReport, HostBackup, commit_message
from netrawat.playbooks.preventive import _backup_line


def test_an_upgrade_is_named_in_report_commit_and_notification() -> None:
    upgraded = HostBackup(
        "RTR-DINKES",
        "dinkes",
        "mikrotik_routeros",
        "unchanged",
        os_version="7.16.1",
        upgraded_from="7.15.2",
        revalidated=["/system resource print", "/export terse show-sensitive"],
    )
    same = HostBackup("CR-DINKES", "dinkes", "cisco_ios", "unchanged", os_version="15.7")
    report = BackupReport("run-1", None, "tester", [upgraded, same])
    assert report.upgrades == ["RTR-DINKES 7.15.2 \u2192 7.16.1"]
    assert report.to_json()["upgrades"] == report.upgrades
    assert "OS upgraded: RTR-DINKES 7.15.2 \u2192 7.16.1" in commit_message(report)
    assert "OS RTR-DINKES 7.15.2 \u2192 7.16.1" in _backup_line(report).hosts
