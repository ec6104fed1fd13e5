"""Which personality (device implementation) serves which platform.

`make_personality(spec)` builds the `Personality` of one lab device from its platform:

- ``mikrotik_routeros`` -> `netrawat_lab.routeros.device.RouterOSDevice`
- ``cisco_ios``         -> `netrawat_lab.ios.device.IOSDevice`

For tests and experiments the environment variable ``NETRAWAT_LAB_PERSONALITIES`` can point a
platform at another class, e.g. ``cisco_ios=mypkg.fake:FakeIOS,mikrotik_routeros=...`` (the lab
server runs in its own process, so this is how a test puts a stand-in device behind real SSH).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from typing import cast

from netrawat_lab.contract import Personality
from netrawat_lab.errors import LabInputError
from netrawat_lab.spec import DeviceSpec

PERSONALITIES: dict[str, str] = {
    "mikrotik_routeros": "netrawat_lab.routeros.device:RouterOSDevice",
    "cisco_ios": "netrawat_lab.ios.device:IOSDevice",
}
"""Platform name (netmiko's) -> ``module:Class`` of its personality."""

OVERRIDE_ENV = "NETRAWAT_LAB_PERSONALITIES"


def _overrides() -> dict[str, str]:
    text = os.environ.get(OVERRIDE_ENV, "")
    pairs = (item.split("=", 1) for item in text.split(",") if "=" in item)
    return {platform.strip(): target.strip() for platform, target in pairs}


def known_platforms() -> set[str]:
    """Platforms the lab can serve (including test overrides)."""
    return set(PERSONALITIES) | set(_overrides())


def personality_class(platform: str) -> Callable[[DeviceSpec], Personality]:
    """The class serving ``platform``; `LabInputError` for an unknown or missing one."""
    target = _overrides().get(platform) or PERSONALITIES.get(platform)
    if target is None:
        raise LabInputError(
            f"the lab has no device personality for platform {platform!r}",
            hint=f"use one of: {', '.join(sorted(PERSONALITIES))}",
        )
    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise LabInputError(
            f"the {platform} personality ({target}) cannot be loaded: {exc}",
            hint="is that part of the lab installed? check the fleet file's platforms",
        ) from exc
    return cast(Callable[[DeviceSpec], Personality], getattr(module, class_name))


def make_personality(spec: DeviceSpec) -> Personality:
    """A fresh personality for one device (one per device for the whole lab process)."""
    return personality_class(spec.platform)(spec)
