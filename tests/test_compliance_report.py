"""Drift diffs and the diff report files (pure: no device)."""

from __future__ import annotations

from pathlib import Path

from netrawat.compliance.check import FeatureResult, compliance, drift
from netrawat.compliance.features import Feature, PlatformFeatures, load_features
from netrawat.compliance.render import Intended
from netrawat.compliance.report import html, markdown, write_reports
from netrawat.playbooks.diff import DiffReport, HostDiff

STORED = "/ip dns set servers=10.0.0.53\n/system identity set name=RTR-A\n"


def test_unchanged_config_has_no_drift() -> None:
    found = drift(STORED, STORED, "a/RTR-A.rsc", "0" * 40)
    assert not found.drifted and found.diff == "" and (found.added, found.removed) == (0, 0)


def test_drift_is_a_unified_diff_with_counts() -> None:
    live = STORED.replace("10.0.0.53", "8.8.8.8") + "/ip route add gateway=1.1.1.1\n"
    found = drift(STORED, live, "dinkes/RTR-A.rsc", "abcdef0123456789" * 2, context=0)
    assert found.diff.splitlines() == [
        "--- a/dinkes/RTR-A.rsc (backup abcdef012345)",
        "+++ b/dinkes/RTR-A.rsc (live)",
        "@@ -1 +1 @@",
        "-/ip dns set servers=10.0.0.53",
        "+/ip dns set servers=8.8.8.8",
        "@@ -2,0 +3 @@",
        "+/ip route add gateway=1.1.1.1",
    ]
    assert (found.added, found.removed) == (2, 1)


def test_lines_shown_for_review_never_carry_a_secret() -> None:
    base = load_features("mikrotik_routeros")
    owned = Feature("snmp", "SNMP communities", ("/snmp community",), ())
    features = PlatformFeatures(base.platform, base.directory, base.forbidden, (owned,))
    running = "/snmp community add addresses=10.0.0.0/16 name=s3cr3tcommunity\n"
    wanted = "/snmp community add addresses=10.0.0.0/16 name=netrawat-ro\n"
    intended = Intended("RTR-A", "mikrotik_routeros", rendered={"snmp": wanted})
    (result,) = compliance(features, intended, running)
    assert result.status == "non-compliant"
    assert "s3cr3tcommunity" not in repr(result) and "netrawat-ro" not in repr(result)
    assert result.extra == ["/snmp community add addresses=10.0.0.0/16 name=<removed>"]
    assert result.remediation[0] == "/snmp community remove [ find where name=<removed> ]"


def _report(tmp_path: Path) -> DiffReport:
    bad = FeatureResult(
        "dns",
        "non-compliant",
        missing=["ip name-server 10.0.0.53"],
        extra=['ip name-server 10.99.99.53 <script>alert("x")</script>'],
        remediation=["no ip name-server 10.99.99.53"],
        rollback=["ip name-server 10.99.99.53"],
    )
    hosts = [
        HostDiff("CR-A", "dinkes", "cisco_ios", "non-compliant", features=[bad]),
        HostDiff(
            "CR-B", "dinkes", "cisco_ios", "compliant", features=[FeatureResult("dns", "compliant")]
        ),
        HostDiff("CR-C", "dinkes", "cisco_ios", "failed", reason="cannot connect | refused"),
    ]
    return DiffReport("20261123T000000Z-diff-abc", "intended", "045/112/X", "ops", None, hosts)


def test_report_files_are_private_and_html_escapes_device_text(tmp_path: Path) -> None:
    report = _report(tmp_path)
    paths = write_reports(report, tmp_path)
    assert [p.name for p in paths] == [
        "diff-20261123T000000Z-diff-abc.md",
        "diff-20261123T000000Z-diff-abc.html",
    ]
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in paths)
    page = html(report)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "@page { size: A4" in page


def test_markdown_lists_missing_extra_remediation_and_rollback(tmp_path: Path) -> None:
    text = markdown(_report(tmp_path))
    assert "| CR-A | dinkes | cisco_ios | non-compliant | non-compliant: dns |" in text
    assert "| CR-C | dinkes | cisco_ios | failed | cannot connect \\| refused |" in text
    assert "- 1 compliant, 1 non-compliant, 1 failed" in text
    for title in ("missing lines", "extra lines", "remediation", "rollback"):
        assert f"*{title}*" in text
    assert "## CR-B" not in text and "## CR-C" not in text
    assert "| dns | 1 | 1 | 0 |" in text
    assert _report(tmp_path).to_json()["features"] == {
        "dns": {"compliant": 1, "non-compliant": 1, "skipped": 0}
    }
