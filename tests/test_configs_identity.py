"""A backup never replaces a good one with another device's or a reset device's config
(issue 15.1): the shrink, identity and factory checks of `prepare`, on real captures."""

from __future__ import annotations

import pytest
from oxidized_captures import Session, sessions

from netrawat.configs.pipeline import Prepared, Rejected, identity_of, kept_share, prepare
from netrawat.configs.verify import Fetched
from netrawat.platforms import profile_for

IOS = "cisco_ios"
ROS = "mikrotik_routeros"
IOS_GOOD = "".join(
    [
        "version 15.7\n",
        "hostname CR-DINKES\n",
        *(
            f"interface GigabitEthernet0/{n}\n ip address 10.0.{n}.1 255.255.255.0\n"
            for n in range(9)
        ),
        "ip route 0.0.0.0 0.0.0.0 10.0.0.254\n",
        "end\n",
    ]
)
ROS_GOOD = "".join(
    [
        "/interface bridge add comment=LAN name=bridge-lan\n",
        *(
            f"/ip firewall filter add action=accept chain=input src-address=10.{n}.0.0/16\n"
            for n in range(9)
        ),
        "/system identity set name=RTR-DINKES\n",
    ]
)


def _prepare(platform: str, text: str, previous: str | None, **kw: object) -> Prepared | Rejected:
    return prepare(Fetched(platform, text, True), previous, **kw)  # type: ignore[arg-type]


def _stored(platform: str, text: str) -> str:
    first = _prepare(platform, text, None)
    assert isinstance(first, Prepared)
    return first.stored


@pytest.mark.parametrize(
    ("platform", "good", "other", "expected"),
    [
        (IOS, IOS_GOOD, IOS_GOOD.replace("CR-DINKES", "CR-RSUD"), "CR-DINKES"),
        (ROS, ROS_GOOD, ROS_GOOD.replace("RTR-DINKES", "RTR-RSUD"), "RTR-DINKES"),
    ],
)
def test_another_devices_config_is_refused(
    platform: str, good: str, other: str, expected: str
) -> None:
    stored = _stored(platform, good)
    outcome = _prepare(platform, other, stored, expected_identity=expected)
    assert isinstance(outcome, Rejected) and outcome.check == "identity"
    assert "--accept-reset" in outcome.reason
    # the same on a first backup, against the inventory's name alone
    first = _prepare(platform, other, None, expected_identity=expected)
    assert isinstance(first, Rejected) and first.check == "identity"
    # the identity the last backup had is good too (an inventory name differing in case)
    again = _prepare(platform, good, stored, expected_identity=expected.lower())
    assert isinstance(again, Prepared)
    accepted = _prepare(platform, other, stored, expected_identity=expected, accept_reset=True)
    assert isinstance(accepted, Prepared)


def test_factory_defaults_the_last_backup_lacked_are_refused() -> None:
    stored = _stored(ROS, ROS_GOOD)
    reset = ROS_GOOD.replace(
        "/interface bridge add comment=LAN name=bridge-lan\n",
        "/interface bridge add comment=defconf name=bridge\n"
        "/ip address add address=192.168.88.1/24 comment=defconf interface=bridge\n",
    )
    outcome = _prepare(ROS, reset, stored, expected_identity="RTR-DINKES", min_ratio=0)
    assert isinstance(outcome, Rejected) and outcome.check == "factory"
    assert "defconf-comment" in outcome.reason and "defconf-address" in outcome.reason
    # markers the last backup already had are that device's normal state
    kept = _prepare(ROS, reset, _stored(ROS, reset), expected_identity="RTR-DINKES")
    assert isinstance(kept, Prepared)


def test_a_reset_cannot_pass_the_shrink_check_at_the_default_ratio() -> None:
    stored = _stored(IOS, IOS_GOOD)
    # a reset IOS router keeps its platform lines but loses every address: same count
    reset = IOS_GOOD.replace("CR-DINKES", "CR-DINKES").replace(" ip address", " shutdown\n no ip")
    outcome = _prepare(IOS, reset, stored, expected_identity="CR-DINKES")
    assert isinstance(outcome, Rejected) and outcome.check == "shrink"
    assert _prepare(IOS, reset, stored, expected_identity="CR-DINKES", min_ratio=0) != outcome
    assert kept_share(stored, stored) == 1.0


@pytest.mark.parametrize("session", sessions(), ids=lambda s: s.name)
def test_real_captures_name_themselves_and_carry_no_factory_marker_twice(
    session: Session,
) -> None:
    profile = profile_for(session.platform)
    identity = identity_of(session.config, profile)
    assert identity
    first = _prepare(session.platform, session.config, None, expected_identity=identity)
    assert isinstance(first, Prepared)
    again = _prepare(session.platform, session.config, first.stored, expected_identity="x")
    assert isinstance(again, Prepared)  # the last backup's identity is good enough
    assert profile.new_factory_markers(first.stored, again.stored) == []
