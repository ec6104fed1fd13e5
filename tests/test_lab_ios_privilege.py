"""The IOS lab answers ``show privilege`` like IOS does (Ansible's cisco.ios checks it)."""

from __future__ import annotations

from test_lab_ios import ENABLE, IOSDevice, make_spec, session


def test_show_privilege_follows_enable() -> None:
    device = IOSDevice(make_spec())
    text = session(device, "show privilege", enable=False)
    assert "Current privilege level is 1\n" in text
    text = session(device, "show privilege")
    assert "Current privilege level is 15\n" in text
    assert ENABLE not in text.split("show privilege", 1)[1]
