"""Ordered RouterOS menus (firewall rules): ``add ... place-before=`` and ``move``, in the
shell, over the binary API and over SSH, with the ``/export`` order following.

The repair engine puts a re-added firewall rule back in its place with ``place-before=``; the
last test proves that end to end: remediation → netmiko over SSH → the original order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import librouteros
import pytest
from helpers import send_config
from librouteros.exceptions import TrapError
from netmiko import ConnectHandler
from routeros_fakes import cli, make_device

from netrawat.configs.normalize import normalize
from netrawat_lab.handle import Lab
from netrawat_lab.routeros.commands import Session
from netrawat_lab.routeros.device import RouterOSDevice
from netrawat_lab.spec import DeviceSpec
from netrawat_lab.testing import private_slot, rehearsal_fleet

FILTER = "/ip firewall filter"
SEEDED = [
    "accept established",
    "",
    "",
    "Diskominfo NOC",
    "drop all not from LAN",
    "",
    "",
]
"""The comments of the seeded filter rules, in order (numbers 0-6)."""


def filter_comments(export: str) -> list[str]:
    """The comment of every ``/ip firewall filter add`` line of an export, in order."""
    comments = []
    for line in export.splitlines():
        if line.startswith(f"{FILTER} add "):
            rest = line.split(" comment=", 1)[1] if " comment=" in line else ""
            comments.append(rest.split('"')[1] if rest.startswith('"') else rest.split(" ")[0])
    return comments


def exported(device: RouterOSDevice) -> list[str]:
    return filter_comments(cli(device, "/export terse"))


@pytest.fixture
def shell() -> tuple[RouterOSDevice, Session]:
    """A fresh device and a session that has printed the filter rules (numbers 0-6)."""
    device, session = make_device(), Session("admin")
    cli(device, f"{FILTER} print", session)
    assert exported(device) == SEEDED
    return device, session


@pytest.mark.parametrize(
    "where",
    ["3", "*4", '[ find where comment="Diskominfo NOC" ]'],
)
def test_add_place_before_puts_the_rule_there_in_the_export(
    shell: tuple[RouterOSDevice, Session], where: str
) -> None:
    device, session = shell
    assert (
        cli(
            device,
            f"{FILTER} add chain=input action=drop comment=new place-before={where}",
            session,
        )
        == ""
    )
    assert exported(device) == [*SEEDED[:3], "new", *SEEDED[3:]]
    assert cli(device, f"{FILTER} print count-only", session) == "8"


def test_add_without_place_before_goes_to_the_end_and_nat_is_ordered_too(
    shell: tuple[RouterOSDevice, Session],
) -> None:
    device, session = shell
    assert cli(device, f"{FILTER} add chain=forward comment=last", session) == ""
    assert exported(device) == [*SEEDED, "last"]
    cli(device, "/ip firewall nat add chain=srcnat action=masquerade comment=first place-before=0")
    nat = [
        ln for ln in cli(device, "/export terse").splitlines() if ln.startswith("/ip firewall nat")
    ]
    assert "comment=first" in nat[0]


@pytest.mark.parametrize(
    ("menu", "rule"),
    [
        ("/ip firewall nat", "chain=srcnat action=masquerade"),
        ("/ip firewall mangle", "chain=forward action=change-mss new-mss=clamp-to-pmtu"),
        ("/ip firewall raw", "chain=prerouting action=notrack"),
    ],
)
def test_nat_mangle_and_raw_are_ordered_too(menu: str, rule: str) -> None:
    device = make_device()

    def comments() -> list[str]:
        lines = cli(device, "/export terse").splitlines()
        return [ln.split("comment=")[1].split(" ")[0] for ln in lines if ln.startswith(menu)]

    for name in ("a", "b", "c"):
        assert cli(device, f"{menu} add {rule} comment=lab-{name}") == ""
    ids = cli(device, f':put [ {menu} find where comment~"^lab-" ]').split(";")
    assert cli(device, f"{menu} add {rule} comment=lab-d place-before={ids[1]}") == ""
    assert comments()[-4:] == ["lab-a", "lab-d", "lab-b", "lab-c"]
    assert cli(device, f"{menu} move {ids[0]} destination={ids[2]}") == ""
    assert comments()[-4:] == ["lab-d", "lab-b", "lab-a", "lab-c"]


@pytest.mark.parametrize("where", ["99", "*99", "[ find comment=tidak-ada ]", "7"])
def test_place_before_an_unknown_item_is_no_such_item_and_adds_nothing(
    shell: tuple[RouterOSDevice, Session], where: str
) -> None:
    device, session = shell
    line = f"{FILTER} add chain=input comment=new place-before={where}"
    assert cli(device, line, session) == "no such item"
    assert exported(device) == SEEDED


def test_unordered_menus_have_neither_place_before_nor_move() -> None:
    device = make_device()
    add = "/ip address add address=10.9.9.1/24 interface=ether3 place-before=0"
    assert cli(device, add).startswith("expected end of command (line 1 column ")
    assert cli(device, "/ip address move 0 1") == "bad command name move (line 1 column 13)"


@pytest.mark.parametrize(
    ("line", "order"),
    [
        ("move 0 destination=3", [1, 2, 0, 3, 4, 5, 6]),
        ("move numbers=0 destination=3", [1, 2, 0, 3, 4, 5, 6]),
        ("move 0 3", [1, 2, 0, 3, 4, 5, 6]),
        ("move 5 0", [5, 0, 1, 2, 3, 4, 6]),
        ("move 1,4 2", [0, 1, 4, 2, 3, 5, 6]),
        ('move [ find comment="accept established" ]', [1, 2, 3, 4, 5, 6, 0]),
        ("move *4 destination=*4", [0, 1, 2, 3, 4, 5, 6]),
    ],
)
def test_move_reorders_the_rules_in_the_export(
    shell: tuple[RouterOSDevice, Session], line: str, order: list[int]
) -> None:
    device, session = shell
    before = cli(device, f"{FILTER} export terse").splitlines()[5:]
    assert cli(device, f"{FILTER} {line}", session) == ""
    after = cli(device, f"{FILTER} export terse").splitlines()[5:]
    assert after == [before[i] for i in order]


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("move 9 destination=0", "no such item"),
        ("move 0 destination=9", "no such item"),
        ("move *99", "no such item"),
        ("move 0 1 2", "expected end of command (line 1 column 30)"),
        ("move 0 to=1", "expected end of command (line 1 column 28)"),
    ],
)
def test_move_refuses_unknown_items_and_changes_nothing(
    shell: tuple[RouterOSDevice, Session], line: str, error: str
) -> None:
    device, session = shell
    assert cli(device, f"{FILTER} {line}", session) == error
    assert exported(device) == SEEDED


# -- over the binary API, and end to end over SSH on the lab -------------------------------


PrivateLab = Callable[..., Lab]


@pytest.fixture
def router(private_lab: PrivateLab) -> tuple[Lab, DeviceSpec]:
    """A lab of this test only (the tests change its rules): RTR-DINKES, API on."""
    (spec,) = [s for s in rehearsal_fleet(private_slot()) if s.hostname == "RTR-DINKES"]
    lab = private_lab([spec])
    return lab, lab.spec("RTR-DINKES")


@pytest.fixture
def router_api(
    router: tuple[Lab, DeviceSpec],
) -> Iterator[tuple[librouteros.api.Api, DeviceSpec]]:
    _lab, spec = router
    api = librouteros.connect(
        host=spec.address,
        port=spec.api_port,
        username=spec.username,
        password=spec.password,
        timeout=10,
    )
    yield api, spec
    api.close()


def ssh_export(spec: DeviceSpec) -> str:
    """``/export terse`` read over SSH with netmiko, its dated header dropped."""
    with ConnectHandler(
        device_type="mikrotik_routeros",
        host=spec.address,
        port=spec.port,
        username=spec.username,
        password=spec.password,
        ssh_strict=False,
        system_host_keys=False,
        alt_host_keys=False,
        use_keys=False,
        allow_agent=False,
    ) as conn:
        output = str(conn.send_command("/export terse", read_timeout=20))
    return "\n".join(line for line in output.splitlines() if not line.startswith("#"))


@pytest.mark.lab
def test_api_add_place_before_and_move_follow_in_the_export(
    router_api: tuple[librouteros.api.Api, DeviceSpec],
) -> None:
    api, spec = router_api
    rules = api.path("ip", "firewall", "filter")
    ids = [row[".id"] for row in rules]
    noc = ids[SEEDED.index("Diskominfo NOC")]
    new = rules.add(chain="input", action="drop", comment="api-new", **{"place-before": noc})
    assert filter_comments(ssh_export(spec)) == [*SEEDED[:3], "api-new", *SEEDED[3:]]
    assert [row[".id"] for row in rules][3] == new
    tuple(api("/ip/firewall/filter/move", numbers=new, destination=ids[0]))
    assert filter_comments(ssh_export(spec)) == ["api-new", *SEEDED]
    tuple(api("/ip/firewall/filter/move", **{"numbers": f"{ids[0]},{new}"}))
    assert filter_comments(ssh_export(spec)) == [*SEEDED[1:], "accept established", "api-new"]
    with pytest.raises(TrapError, match="no such item"):
        rules.add(chain="input", comment="lost", **{"place-before": "*99"})
    with pytest.raises(TrapError, match="no such item"):
        tuple(api("/ip/firewall/filter/move", numbers="*99", destination=ids[0]))
    with pytest.raises(TrapError, match="no such command"):
        tuple(api("/ip/address/move", numbers="*1"))


@pytest.mark.lab
def test_remediation_re_adds_a_deleted_middle_rule_in_its_exact_place_over_ssh(
    router: tuple[Lab, DeviceSpec],
) -> None:
    """A firewall rule in the middle deleted by hand → the exact remediation (sent with
    netmiko) → the original ``/export terse``, rule order included; its rollback deletes it
    again."""
    from netrawat.remediation import remediate
    from netrawat.repair.plan import full_scope

    lab, spec = router
    platform = spec.platform

    def config() -> str:
        return normalize(str(lab.snapshot(spec.hostname)["config"]), platform).text

    original, good = ssh_export(spec), config()
    send_config(spec, [f'{FILTER} remove [ find where comment="Diskominfo NOC" ]'])
    deleted, changed = ssh_export(spec), config()
    assert filter_comments(deleted) == [c for c in SEEDED if c != "Diskominfo NOC"]
    fix = remediate(platform, changed, good, full_scope(platform, changed, good), exact=True)
    assert len(fix.commands) == 1 and " place-before=[ find where " in fix.commands[0]
    send_config(spec, fix.commands)
    assert ssh_export(spec) == original
    send_config(spec, fix.rollback)
    assert ssh_export(spec) == deleted
