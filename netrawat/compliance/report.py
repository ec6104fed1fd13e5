"""The change-review report of a diff run: Markdown and HTML in ``<state>/reports/``.

Files are ``diff-<run-id>.md`` and ``diff-<run-id>.html`` (mode 0600). The HTML is rendered
with autoescaping (device text never becomes markup) and prints on A4. Every line in them was
sanitized before (see `netrawat.compliance.check`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Protocol

import jinja2

from netrawat.compliance.check import FeatureResult
from netrawat.escape import markdown_text
from netrawat.state import write_owner_only

FENCE = "```"


class _Host(Protocol):
    host: str
    opd: str
    platform: str
    status: str
    path: str
    diff: str
    added: int
    removed: int
    features: list[FeatureResult]
    reason: str


class _Report(Protocol):
    run_id: str
    against: str
    request: str | None
    operator: str
    baseline: str | None
    hosts: list[Any]

    def counts(self) -> dict[str, int]: ...

    def by_feature(self) -> dict[str, dict[str, int]]: ...


def _detail(host: _Host) -> str:
    if host.status in ("failed", "no-backup"):
        return host.reason
    if host.features:
        bad = [f.feature for f in host.features if f.status == "non-compliant"]
        if bad:
            return "non-compliant: " + ", ".join(bad)
        if all(f.status == "skipped" for f in host.features):
            return "no feature checked: " + "; ".join(
                f"{f.feature}: {f.reason}" for f in host.features
            )
        return "every checked feature compliant"
    return f"+{host.added} -{host.removed}" if host.diff else "unchanged since the backup"


def fence_for(text: str) -> str:
    """A code fence longer than any backtick run in ``text`` (a device line holding ```
    cannot close the block and turn the rest into live markdown)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(len(FENCE), longest + 1)


def _block(title: str, lines: list[str]) -> list[str]:
    fence = fence_for("\n".join(lines))
    return [f"*{title}*", "", fence, *lines, fence, ""] if lines else []


def _feature_md(feature: FeatureResult) -> list[str]:
    head = f"#### {markdown_text(feature.feature)}: {feature.status}"
    if feature.status == "skipped":
        return [head, "", f"skipped: {markdown_text(feature.reason)}", ""]
    if feature.status == "compliant":
        return [head, ""]
    return [
        head,
        "",
        *_block("missing lines", feature.missing),
        *_block("extra lines", feature.extra),
        *_block("remediation", feature.remediation),
        *_block("rollback", feature.rollback),
    ]


def markdown(report: _Report) -> str:
    """The report as Markdown."""
    title = "drift since the last backup" if report.against == "backup" else "compliance"
    out = [
        f"# netrawat diff — {title}",
        "",
        f"- run: `{report.run_id}`",
        f"- request: {markdown_text(report.request or '-')}",
        f"- operator: {markdown_text(report.operator)}",
    ]
    if report.baseline:
        out.append(f"- backup commit: `{report.baseline}`")
    out.append("- " + ", ".join(f"{n} {s}" for s, n in report.counts().items()))
    out += ["", "| host | OPD | platform | status | detail |", "| --- | --- | --- | --- | --- |"]
    for host in report.hosts:
        cells = (host.host, host.opd, host.platform, host.status, _detail(host))
        out.append("| " + " | ".join(markdown_text(c) for c in cells) + " |")
    out.append("")
    features = report.by_feature()
    if features:
        out += ["| feature | compliant | non-compliant | skipped |", "| --- | --- | --- | --- |"]
        for name, row in features.items():
            out.append(
                f"| {name} | {row['compliant']} | {row['non-compliant']} | {row['skipped']} |"
            )
        out.append("")
    for host in report.hosts:
        if host.status in ("no-drift", "compliant", "failed", "no-backup"):
            continue
        out += [f"## {markdown_text(host.host)} ({markdown_text(host.opd)})", ""]
        if host.diff:
            fence = fence_for(host.diff)
            out += [f"{fence}diff", host.diff.rstrip("\n"), fence, ""]
        for feature in host.features:
            out += _feature_md(feature)
    return "\n".join(out) + "\n"


HTML_TEMPLATE = Path(__file__).with_name("templates") / "report.html.j2"


def html(report: _Report) -> str:
    """The report as a standalone HTML page."""
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(HTML_TEMPLATE.read_text(encoding="utf-8"))
    return template.render(r=report, detail=_detail, dirty=("drift", "non-compliant"))


def _write(path: Path, text: str) -> Path:
    return write_owner_only(path, text)


def write_reports(report: _Report, directory: Path) -> list[Path]:
    """Write ``diff-<run-id>.md`` and ``.html`` into ``directory``; their paths."""
    base = directory / f"diff-{report.run_id}"
    return [
        _write(base.with_suffix(".md"), markdown(report)),
        _write(base.with_suffix(".html"), html(report)),
    ]
