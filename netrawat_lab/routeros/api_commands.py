"""Device commands of the RouterOS API that are not menu operations: ``/export``, ``/import``,
``/ping``, ``/system/backup/save``, ``/execute``.

They use the same device services as the SSH shell (`RouterOSDevice.export_text`,
``write_file``, ``run_script``, the live state's ping model and the CLI line runner), so
both ways see one device. How each answers over the API (a real RouterOS 7.16):

- ``/export file=X [terse] [verbose] [show-sensitive] [compact] [hide-sensitive]`` writes
  ``X.rsc`` and answers a bare ``!done`` (without ``file`` it sends nothing back either).
- ``/import file-name=X [verbose] [dry-run]``: ``!done``, or a ``!trap`` with the first
  error of the script (``... (line N column M)``); ``dry-run`` changes nothing.
- ``/ping address=A [count=N] [size=N] [ttl=N] [interval=T]``: one ``!re`` per packet, paced
  by ``interval`` (default 1s), with ``seq host size ttl time sent received packet-loss
  min-rtt avg-rtt max-rtt``; a lost packet has ``status=timeout`` and no ``time``/``ttl``.
  Without ``count`` it runs until ``/cancel``.
- ``/system/backup/save name=X [dont-encrypt] [password]``: writes ``X.backup``.
- ``/execute script=S as-string``: runs S and answers ``!done =ret=<output>``; without
  ``as-string`` it answers ``=ret=`` a job id and, with ``file=F``, writes the output to F.txt.

Any other command outside a menu (``/system/reboot``, ``/system/backup/load``...) runs as the
equivalent CLI line (`DeviceCommands.cli`), so the API and the shell never disagree on what a
device can do: ``bad command name`` becomes ``no such command``, any other RouterOS error a
``!trap``, success a bare ``!done``.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Mapping
from typing import TYPE_CHECKING

from netrawat_lab.routeros.actions import ACTIONS, format_rtt
from netrawat_lab.routeros.api_backend import ApiTrap, Emit, Reply
from netrawat_lab.routeros.api_device import Command
from netrawat_lab.routeros.commands import Session, run_line
from netrawat_lab.routeros.errors import Failure, InvalidValue, UnknownArgument
from netrawat_lab.routeros.export import ExportOptions, quote
from netrawat_lab.routeros.live import ping_times
from netrawat_lab.routeros.values import normalise

if TYPE_CHECKING:
    from netrawat_lab.routeros.device import RouterOSDevice

EXPORT_ARGS = {"terse": "terse", "verbose": "verbose", "show-sensitive": "show_sensitive"}
EXPORT_IGNORED = frozenset({"file", "compact", "hide-sensitive"})
PING_ARGS = frozenset(
    {"address", "count", "size", "ttl", "interval", "src-address", "interface", "routing-table"}
)
PING_BATCH = 64
REPLY_TTL = "64"


def flag(value: str) -> bool:
    """An API flag argument: ``=terse=`` / ``=terse=yes`` / ``=terse=true`` are on."""
    return value.lower() in ("", "yes", "true")


def _only(args: Mapping[str, str], allowed: frozenset[str] | set[str]) -> None:
    for name in args:
        if name not in allowed:
            raise UnknownArgument(name)


def _seconds(value: str) -> float:
    """``1s``, ``200ms``, ``0.5`` → seconds (RouterOS time values)."""
    for unit, scale in (("ms", 0.001), ("s", 1.0)):
        if value.endswith(unit) and value[: -len(unit)].replace(".", "", 1).isdigit():
            return float(value[: -len(unit)]) * scale
    if value.replace(".", "", 1).isdigit():
        return float(value)
    raise InvalidValue("interval")


def _run_cli(device: RouterOSDevice, user: str, line: str) -> list[str]:
    """Output lines of one CLI line run as ``user`` (errors come back as text, as RouterOS
    prints them)."""
    return run_line(device, Session(user), line, ACTIONS).lines


def _cli_error(device: RouterOSDevice, user: str, line: str) -> str | None:
    """The message of the error that stopped one CLI line run as ``user``, or None: the
    device's own refusal, as its shell printed it."""
    error = run_line(device, Session(user), line, ACTIONS).error
    return None if error is None else error.message


class DeviceCommands:
    """The API's device commands for one `RouterOSDevice`."""

    def __init__(self, device: RouterOSDevice, user: str = "admin") -> None:
        self.device = device
        self.user = user

    def table(self) -> dict[tuple[str, str], Command]:
        """``(path, verb)`` → command, for `ModelBackend` (``*`` = under any menu)."""
        return {
            ("*", "export"): self.export,
            ("", "import"): self.import_script,
            ("", "ping"): self.ping,
            ("/system/backup", "save"): self.backup_save,
            ("", "execute"): self.execute,
        }

    async def cli(self, path: str, verb: str, args: dict[str, str]) -> Reply:
        """A non-menu command as its CLI line (``/system/reboot`` → ``/system reboot``)."""
        words = ["/" + " ".join([*(part for part in path.split("/") if part), verb])]
        for name, value in args.items():
            words.append(name if value == "" else f"{name}={quote(value)}")
        error = _cli_error(self.device, self.user, " ".join(words))
        if error is not None and error.startswith("bad command name"):
            raise ApiTrap("no such command" if path else "no such command prefix", 0)
        if error is not None:
            raise ApiTrap(error.split(" (line ")[0], 4)
        return {}

    async def export(self, path: str, args: dict[str, str], _emit: Emit) -> Reply:
        """``/export`` (or ``/ip/address/export``) into a file."""
        _only(args, set(EXPORT_ARGS) | EXPORT_IGNORED)
        flags = {attr: flag(args[name]) for name, attr in EXPORT_ARGS.items() if name in args}
        text = self.device.export_text(ExportOptions(**flags), path or "/")
        name = args.get("file")
        if name:
            self.device.write_file(name if name.endswith(".rsc") else f"{name}.rsc", text)
        return {}

    async def import_script(self, _path: str, args: dict[str, str], _emit: Emit) -> Reply:
        """``/import file-name=X``: run the script; its first error is the trap."""
        _only(args, {"file-name", "verbose", "dry-run"})
        name = args.get("file-name", "")
        if not name:
            raise Failure("missing value(s) of argument(s) file-name")
        try:
            script = self.device.model.get("/file", name).values.get("contents", "")
        except Exception:
            raise InvalidValue("file-name") from None
        errors = self.device.run_script(script, dry_run=flag(args.get("dry-run", "no")))
        if errors:
            raise ApiTrap(errors[0], 4)
        return {}

    async def backup_save(self, _path: str, args: dict[str, str], _emit: Emit) -> Reply:
        """``/system/backup/save name=X``, through the CLI's own command."""
        _only(args, {"name", "dont-encrypt", "password", "encryption"})
        words = [f"{k}={quote(v)}" for k, v in args.items() if k == "name"]
        output = _run_cli(self.device, self.user, " ".join(["/system backup save", *words]))
        if output != ["Configuration backup saved"]:
            raise ApiTrap(output[0] if output else "failure: backup not saved", 4)
        return {}

    async def execute(self, _path: str, args: dict[str, str], _emit: Emit) -> Reply:
        """``/execute script=S [as-string] [file=F]``: run S line by line."""
        _only(args, {"script", "as-string", "file"})
        if "script" not in args:
            raise Failure("missing value(s) of argument(s) script")
        output: list[str] = []
        for line in args["script"].replace(";", "\n").splitlines():
            if line.strip():
                output.extend(_run_cli(self.device, self.user, line.strip()))
        text = "".join(f"{line}\r\n" for line in output)
        if "as-string" in args and flag(args["as-string"]):
            return {"ret": text} if text else {}
        if args.get("file"):
            name = args["file"]
            self.device.write_file(name if "." in name else f"{name}.txt", text)
        return {"ret": "*1"}

    async def ping(self, _path: str, args: dict[str, str], emit: Emit) -> Reply:
        """``/ping``: one row per packet, paced by ``interval``; endless without ``count``."""
        _only(args, PING_ARGS)
        address = args.get("address", "")
        if not address:
            raise Failure("missing value(s) of argument(s) address")
        normalise("ip", address, "address")
        count = int(normalise("int", args["count"], "count")) if "count" in args else None
        size = normalise("int", args.get("size", "56"), "size")
        interval = _seconds(args.get("interval", "1s"))
        received: list[int] = []
        sequence = range(count) if count is not None else itertools.count()
        for seq in sequence:
            if seq:
                await asyncio.sleep(interval)
            batch = ping_times(self.device.live, address, (seq // PING_BATCH + 1) * PING_BATCH)
            rtt = batch[seq]
            if rtt is not None:
                received.append(rtt)
            await emit(_ping_row(seq, address, size, rtt, received))
        return {}


def _ping_row(seq: int, address: str, size: str, rtt: int | None, received: list[int]) -> Reply:
    sent = seq + 1
    row = {"seq": str(seq), "host": address}
    if rtt is None:
        row["status"] = "timeout"
    else:
        row.update({"size": size, "ttl": REPLY_TTL, "time": format_rtt(rtt)})
    row.update(
        {
            "sent": str(sent),
            "received": str(len(received)),
            "packet-loss": str(100 * (sent - len(received)) // sent),
        }
    )
    if received:
        row.update(
            {
                "min-rtt": format_rtt(min(received)),
                "avg-rtt": format_rtt(sum(received) // len(received)),
                "max-rtt": format_rtt(max(received)),
            }
        )
    return row
