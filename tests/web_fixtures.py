"""A web console on a seeded state for the web tests: an inventory, a recap with a backup, a
health survey and a request, a config repository with two backups, and one user per role.

The users' passwords are generated per test session (throwaway, never real ones).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher, profiles
from fastapi.testclient import TestClient
from inventory_factory import PASSWORD, write_inventory

from netrawat.accounts import passwords
from netrawat.accounts.users import add_user
from netrawat.configs.repo import ConfigRepo
from netrawat.recap import open_store, start_run
from netrawat.recap.requests import open_request
from netrawat.state import StateDir
from netrawat.web.app import create_app
from netrawat.web.settings import WebSettings

# Hashes of the tests' throwaway passwords need no strength: argon2's cheapest parameters keep a
# login at a fraction of a millisecond instead of ~1 s on the loaded test machine (production
# keeps argon2-cffi's defaults; `test_user_commands` checks a stored hash is argon2id).
passwords._HASHER = PasswordHasher.from_parameters(profiles.CHEAPEST)
passwords._DUMMY = passwords._HASHER.hash("a password nobody has, for timing")

NUMBER = "045/112/Dinkes/XI/2026"
PASSWORDS = {
    role: f"kopi {secrets.token_hex(6)} tepi Kapuas" for role in ("viewer", "engineer", "admin")
}
USERS = {"viewer": "ani", "engineer": "budi", "admin": "citra"}
CONFIG_V1 = (
    "/ip dns set servers=10.0.0.53\n/snmp community set [ find default=yes ] name=<removed>\n"
)
CONFIG_V2 = "/ip dns set servers=8.8.8.8\n/snmp community set [ find default=yes ] name=<removed>\n"


@dataclass
class Console:
    """A seeded state, its settings, and how to get clients."""

    settings: WebSettings
    commits: tuple[str, str]

    def client(self, **changes: Any) -> TestClient:
        settings = replace(self.settings, **changes) if changes else self.settings
        return TestClient(create_app(settings), base_url="http://testserver")

    def token(self, client: TestClient, role: str) -> dict[str, str]:
        reply = client.post(
            "/api/v1/auth/token", json={"username": USERS[role], "password": PASSWORDS[role]}
        )
        assert reply.status_code == 200, reply.text
        return {"Authorization": f"Bearer {reply.json()['token']}"}


def login(client: TestClient, role: str, password: str | None = None) -> Any:
    """Log in through the form (with its CSRF token); the reply to the POST."""
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None
    return client.post(
        "/login",
        data={
            "username": USERS[role],
            "password": password or PASSWORDS[role],
            "csrf": token.group(1),
            "next": "/",
        },
        follow_redirects=False,
    )


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def seed(root: Path, roles: tuple[str, ...] = tuple(USERS)) -> Console:
    inventory = write_inventory(root / "inventory")
    state = StateDir.resolve(root / "state")
    repo = ConfigRepo(state.configs)
    repo.ensure()
    first = repo.commit({"dinkes/RTR-DINKES.rsc": CONFIG_V1}, "backup PM-1")
    second = repo.commit({"dinkes/RTR-DINKES.rsc": CONFIG_V2}, "backup PM-2")
    assert first and second
    store = open_store(state)
    try:
        with start_run(state, playbook="backup", opds=["dinkes"], store=store) as run:
            run.host("RTR-DINKES", opd="dinkes", outcome="changed", commit=second)
            run.host("AP-DINKES-01", opd="dinkes", outcome="failed", error="timeout")
        with start_run(state, playbook="health", opds=["dinkes", "rsud"], store=store) as run:
            run.host(
                "RTR-DINKES", opd="dinkes", outcome="failed", grade="ringan",
                details={"failed": {"dns": "configured: 8.8.8.8"}, "errors": {}, "escalate": False},
            )  # fmt: skip
            run.host(
                "RTR-RSUD", opd="rsud", outcome="failed", grade="berat",
                details={"failed": {"reachable": "no answer"}, "errors": {"ntp": "x"},
                         "escalate": True},
            )  # fmt: skip
            run.escalate("lapor Kabid: RTR-RSUD (rsud) berat")
        open_request(store, NUMBER, opd="dinkes", summary="Internet lambat")
        for role in roles:
            add_user(store, USERS[role], role, PASSWORDS[role], by="test")
    finally:
        store.close()
    settings = WebSettings(state=state, inventory=inventory, secrets=inventory / "secrets.yaml")
    return Console(settings, (first, second))


@pytest.fixture(scope="module", name="console")
def console_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    yield seed(tmp_path_factory.mktemp("web"))


__all__ = ["PASSWORD", "Console", "console_fixture", "csrf_of", "login", "timedelta"]
