"""Helpers the API and the pages share: the services, the caller's address, JSON forms of
recap objects (without host details that could carry device output)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import Request

from netrawat.recap.query import RunEntry
from netrawat.recap.requests import Request as LetterRequest
from netrawat.web.services import Services

SAFE_DETAILS = {
    "health": ("state", "verdict", "failed", "errors", "not_checked", "escalate"),
    "diff": ("against", "status", "added", "removed", "non_compliant"),
    "backup": ("check", "lines"),
    "repair": ("template", "status"),
    "preventive": ("backup", "health", "drift"),
    "audit": ("audit",),
}
"""The per-host details a response may show, per playbook (others may hold device output)."""


def services_of(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


def remote_of(request: Request) -> str | None:
    return request.client.host if request.client else None


def safe_details(playbook: str, details: Mapping[str, Any]) -> dict[str, Any]:
    """The known safe fields of a host's details; of an audit also its failing rule ids (its
    findings' evidence is device output, so it stays out)."""
    safe = {k: details[k] for k in SAFE_DETAILS.get(playbook, ()) if k in details}
    if playbook == "audit":
        found = details.get("findings") or []
        safe["rules"] = [str(f.get("rule")) for f in found if isinstance(f, dict)]
    return safe


def run_json(run: RunEntry, *, hosts: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "run_id": run.run_id,
        "playbook": run.playbook,
        "request": run.request,
        "preventive_id": run.preventive_id,
        "operator": run.operator,
        "opds": list(run.opds),
        "started_at": run.started_at.isoformat(),
        "ended_at": run.ended_at.isoformat() if run.ended_at else None,
        "status": run.status,
        "summary": run.summary,
        "grade": run.grade,
        "outcomes": run.outcome_counts(),
        "commits": list(run.commits),
        "escalations": list(run.item("escalation")),
    }
    if hosts:
        data["hosts"] = [
            {
                "host": h.host,
                "opd": h.opd,
                "outcome": h.outcome,
                "grade": h.grade,
                "commit": h.commit,
                "error": h.error,
                "details": safe_details(run.playbook, h.details),
            }
            for h in run.hosts
        ]
        data["errors"] = list(run.item("error"))
    return data


def request_json(request: LetterRequest) -> dict[str, Any]:
    return request.to_json()
