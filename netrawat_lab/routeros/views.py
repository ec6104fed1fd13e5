"""The read-only menus of a RouterOS lab device computed from its live state:
``/system resource``, ``routerboard``, ``health``, ``/interface wifi registration-table``,
``/log``, ``/system clock`` and ``/system ntp client`` status.

`SystemViews` is a mixin of `netrawat_lab.routeros.live.LiveState`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from netrawat_lab.routeros.hardware import BUILD_TIME, Hardware
from netrawat_lab.routeros.hardware import stable_number as _digest
from netrawat_lab.routeros.knobs import Knobs
from netrawat_lab.routeros.model import Item, RouterOSModel, Row
from netrawat_lab.routeros.routing import exists
from netrawat_lab.spec import DeviceSpec


def format_uptime(seconds: float) -> str:
    """RouterOS duration: ``6w5d11h55m45s``, ``32m36s``, ``0s``.

    >>> format_uptime(3 * 86400 + 4 * 3600 + 5)
    '3d4h5s'
    """
    left = int(seconds)
    parts = []
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        amount, left = divmod(left, size)
        if amount:
            parts.append(f"{amount}{unit}")
    return "".join(parts) or "0s"


def _log_time(when: datetime, today: object) -> str:
    """v7 log times: ``12:00:01`` today, ``2026-11-20 12:00:01`` before."""
    return when.strftime("%H:%M:%S" if when.date() == today else "%Y-%m-%d %H:%M:%S")


class SystemViews:
    """Computed system menus."""

    model: RouterOSModel
    spec: DeviceSpec
    hw: Hardware
    knobs: Knobs
    log: list[tuple[datetime, str, str]]

    uptime_seconds: Callable[[], float]

    now: Callable[[], datetime]

    running: Callable[[str], bool]

    internet_up: Callable[[], bool]
    release: str

    def resource(self) -> list[Row]:
        """``/system/resource``."""
        total = self.hw.total_memory_mib
        fraction = self.knobs.free_memory_fraction
        free = total * (fraction if fraction is not None else 0.82)
        cpu = (
            self.knobs.cpu_load
            if self.knobs.cpu_load is not None
            else 1 + int(self.uptime_seconds()) % 4
        )
        return [
            {
                "uptime": format_uptime(self.uptime_seconds()),
                "version": f"{self.release} (stable)",
                "build-time": BUILD_TIME,
                "factory-software": self.hw.factory_software,
                "free-memory": f"{free:.1f}MiB",
                "total-memory": f"{total:.1f}MiB",
                "cpu": self.hw.cpu,
                "cpu-count": str(self.hw.cpu_count),
                "cpu-frequency": f"{self.hw.cpu_frequency_mhz}MHz",
                "cpu-load": f"{cpu}%",
                "free-hdd-space": f"{self.hw.total_hdd_mib * 0.79:.1f}MiB",
                "total-hdd-space": f"{self.hw.total_hdd_mib:.1f}MiB",
                "write-sect-since-reboot": str(1200 + int(self.uptime_seconds()) // 3600),
                "write-sect-total": str(48211 + int(self.uptime_seconds()) // 3600),
                "bad-blocks": "0%",
                "architecture-name": self.hw.architecture,
                "board-name": self.hw.board_name,
                "platform": "MikroTik",
            }
        ]

    def routerboard(self) -> list[Row]:
        """``/system/routerboard``."""
        return [
            {
                "routerboard": "true",
                "board-name": self.hw.board_name,
                "model": self.hw.model,
                "revision": "r2",
                "serial-number": self.spec.serial or f"HE{_digest(self.spec.hostname):08X}"[:12],
                "firmware-type": self.hw.firmware_type,
                "factory-firmware": self.hw.factory_software,
                "current-firmware": self.release,
                "upgrade-firmware": self.release,
            }
        ]

    def health(self) -> list[Row]:
        """``/system/health`` (v7: one row per sensor)."""
        rows = []
        for index, sensor in enumerate(self.hw.sensors):
            value = sensor.value
            if sensor.type == "C" and self.knobs.temperature is not None:
                value = str(self.knobs.temperature)
            rows.append(
                {".id": f"*{index + 1:X}", "name": sensor.name, "value": value, "type": sensor.type}
            )
        return rows

    def registrations(self) -> list[Row]:
        """``/interface/wifi/registration-table``: associated clients of enabled radios."""
        radios = [r for r in self.model.items("/interface/wifi") if self.running(r.values["name"])]
        rows: list[Row] = []
        for n in range(self.knobs.clients if radios else 0):
            radio = radios[n % len(radios)]
            rows.append(
                {
                    ".id": f"*{n + 1:X}",
                    "interface": radio.values["name"],
                    "ssid": radio.values.get("configuration.ssid", ""),
                    "mac-address": f"A6:{n:02X}:5C:{_digest(self.spec.hostname, n) % 256:02X}:19:0A",  # noqa: E501
                    "uptime": format_uptime(600 + n * 431),
                    "last-activity": f"{(n * 130) % 990 + 10}ms",
                    "signal": f"-{48 + (n * 5) % 30}",
                    "auth-type": "wpa2-psk",
                    "band": radio.values.get("channel.band", ""),
                    "tx-rate": "286.7Mbps-20MHz/2S/SGI",
                    "rx-rate": "173.3Mbps-20MHz/2S",
                }
            )
        return rows

    def log_rows(self) -> list[Row]:
        """``/log``."""
        today = self.now().date()
        return [
            {
                ".id": f"*{i + 1:X}",
                "time": _log_time(t, today),
                "topics": topics,
                "message": message,
            }
            for i, (t, topics, message) in enumerate(self.log)
        ]

    def _lease_live(self, item: Item) -> Row:
        """Static leases of PCs that are off: waiting, never seen."""
        return {} if item.dynamic else {"status": "waiting", "last-seen": "never"}

    def _clock_live(self, _item: Item) -> Row:
        now = self.now()
        return {
            "time": now.strftime("%H:%M:%S"),
            "date": now.strftime("%Y-%m-%d"),
            "gmt-offset": "+07:00",
            "dst-active": "false",
        }

    def _ntp_live(self, _item: Item) -> Row:
        enabled = self.model.value("/system/ntp/client", "enabled") == "yes"
        servers = [s for s in self.model.value("/system/ntp/client", "servers").split(",") if s]
        reachable = enabled and self.internet_up() and any(exists(s) for s in servers)
        if reachable:
            return {"freq-drift": "3.121 PPM", "status": "synchronized"}
        return {"status": "waiting" if enabled else "stopped"}

    def _cpus(self) -> list[Row]:
        load = self.resource()[0]["cpu-load"].rstrip("%")
        return [
            {".id": f"*{n + 1:X}", "cpu": f"cpu{n}", "load": load, "irq": "0", "disk": "0"}
            for n in range(self.hw.cpu_count)
        ]
