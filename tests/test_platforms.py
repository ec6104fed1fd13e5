"""The platform profiles: one object per platform, every name it gives resolves, its data holds.

Identity and factory-default markers are tried on the lab's reset configurations and on real
captured configurations (tests/captures), which must not look reset.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from oxidized_captures import Session, sessions

from netrawat.platforms import CISCO_IOS, PLATFORMS, ROUTEROS, profile_for, resolve_name
from netrawat.remediation import engine_for


@pytest.mark.parametrize("name", sorted(PLATFORMS))
def test_every_named_implementation_resolves(name: str) -> None:
    profile = PLATFORMS[name]
    engine = engine_for(name)
    assert inspect.ismodule(resolve_name(profile.audit_checks))
    for method in ("remediate", "apply", "scope_between", "without_secrets", "scoped"):
        assert callable(getattr(engine, method)), method
    assert set(profile.health_collectors) == {"cli", "api"}
    for dotted in profile.health_collectors.values():
        task = resolve_name(dotted)
        assert inspect.isfunction(task) and "task" in inspect.signature(task).parameters


@pytest.mark.parametrize("name", sorted(PLATFORMS))
def test_profile_is_complete(name: str) -> None:
    profile = profile_for(name)
    assert profile.name == name
    assert profile.error_patterns and profile.volatile_rules and profile.sanitize_rules
    assert profile.secret_detectors and profile.factory_markers and profile.identity_pattern
    assert profile.config_command(7) and profile.config_command(None)
    names = [r.name for r in (*profile.volatile_rules, *profile.sanitize_rules)]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("profile", "text", "identity"),
    [
        (CISCO_IOS, "!\nhostname CR-DISKOMINFO\n!\nend\n", "CR-DISKOMINFO"),
        (CISCO_IOS, "version 15.2\n!\nend\n", None),
        (ROUTEROS, "/system identity set name=RTR-DINKES\n", "RTR-DINKES"),
        (ROUTEROS, '/system identity set name="AP Dinkes 2"\n', "AP Dinkes 2"),
        (ROUTEROS, "/system identity\nset name=AP-DISHUB\n", "AP-DISHUB"),
        (ROUTEROS, "/ip dns set servers=10.0.0.53\n", None),
        (ROUTEROS, "/interface bridge add name=lan\nset name=x\n", None),
    ],
)
def test_identity_from_config(profile: object, text: str, identity: str | None) -> None:
    assert profile.identity_from_config(text) == identity  # type: ignore[attr-defined]


RESET_IOS = (
    "version 15.2\n!\nhostname Router\n!\ninterface GigabitEthernet0/0\n no ip address\n!\nend\n"
)
RESET_ROUTEROS = (
    "/interface bridge add admin-mac=48:A9:8A:00:00:01 auto-mac=no comment=defconf name=bridge\n"
    "/ip pool add name=default-dhcp ranges=192.168.88.10-192.168.88.254\n"
    "/ip address add address=192.168.88.1/24 comment=defconf interface=bridge\n"
    '/ip firewall filter add action=accept chain=input comment="defconf: accept established"\n'
)


@pytest.mark.parametrize(
    ("profile", "text", "markers"),
    [
        (CISCO_IOS, RESET_IOS, ["ios-default-hostname"]),
        (CISCO_IOS, "hostname Switch\n", ["ios-default-hostname"]),
        (CISCO_IOS, "hostname Router-Dinkes\n", []),
        (ROUTEROS, RESET_ROUTEROS, ["routeros-defconf-comment", "routeros-defconf-address"]),
        (ROUTEROS, "/system identity set name=MikroTik\n", ["routeros-default-identity"]),
        (ROUTEROS, "/ip address add address=192.168.88.10/24 interface=lan\n", []),
        (ROUTEROS, "/system identity set name=MikroTik-Dinkes\n", []),
        (ROUTEROS, "/ip dns set servers=10.0.0.53 # defconfig\n", []),
    ],
)
def test_factory_markers(profile: object, text: str, markers: list[str]) -> None:
    assert profile.factory_markers_in(text) == markers  # type: ignore[attr-defined]


REAL = {  # capture: (identity, markers): routers in service keep defconf data
    "ios#C9200L-24P-4G_17.09.04a": ("LAB-SW123_9200L", []),
    "ios#C9800-L-F-K9_17.06.05": ("OXIDIZED-WLC1", []),
    "ios#asr920_16.8.1b": ("hostname", []),
    "routeros#CHR_7.10.1": (None, []),
    "routeros#CHR_7.16": (None, []),
    "routeros#L009UiGS_7.15.2": ("router", ["routeros-defconf-comment"]),
    "routeros#RB5009UPr+S+_7.18.2": (
        None,
        ["routeros-defconf-comment", "routeros-defconf-address"],
    ),
}


@pytest.mark.parametrize("session", sessions(), ids=lambda s: s.name)
def test_real_configs_identity_and_markers(session: Session) -> None:
    profile = profile_for(session.platform)
    identity, markers = REAL[session.name]
    assert profile.identity_from_config(session.config) == identity
    assert profile.factory_markers_in(session.config) == markers
    assert profile.new_factory_markers(session.config, session.config) == []


def test_new_factory_markers_against_the_last_backup() -> None:
    good = "/system identity set name=RTR-DINKES\n/ip address add address=10.20.0.1/24\n"
    assert ROUTEROS.new_factory_markers(good, RESET_ROUTEROS) == [
        "routeros-defconf-comment",
        "routeros-defconf-address",
    ]
    assert CISCO_IOS.new_factory_markers("hostname CR-DISKOMINFO\n", RESET_IOS) == [
        "ios-default-hostname"
    ]


ROOT = Path(__file__).resolve().parent.parent


def _platform_literals(path: Path) -> list[int]:
    """Lines of ``path`` where code (not a docstring) spells a platform name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in PLATFORMS and id(node) not in docstrings
    ]


def test_platform_knowledge_lives_in_the_platform_modules() -> None:
    """No map keyed by platform name and no ``if platform == ...`` outside netrawat/platforms:
    code asks the profile (issue 13.5)."""
    found = {}
    for folder in ("netrawat", "tasks", "playbooks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative.startswith("netrawat/platforms/"):
                continue
            lines = _platform_literals(path)
            if lines:
                found[relative] = lines
    assert found == {}, "ask profile_for(platform) instead of naming a platform"
