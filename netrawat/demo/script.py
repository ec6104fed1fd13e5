"""The demo: every SOP activity on a small lab fleet, through the real commands, narrated.

1. start the device lab (8 devices, 3 OPDs) and inject a light, a medium and a heavy fault;
2. the nightly preventive run (drift, backup, health) and the summary it sends to the
   section's channel (a Telegram stand-in on 127.0.0.1);
3. SOP 1: register the OPD's letter; SOP 2: survey it with health; SOP 4: a dry-run repair,
   then the repair applied; re-check; SOP 5: close the request and print the recap;
4. the security baseline of the OPD (`netrawat audit`) and a fix as a dry run;
5. the history of the config repository (`git log --stat`), and the lab stopped.

Each command is printed as a user would type it and run in-process (`netrawat.cli.main.run`);
its exit code is checked against what the step expects, and the demo says so when it differs.
A step whose command is not in this checkout yet is named as missing, never faked.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml
from rich.console import Console
from rich.rule import Rule

from netrawat.cli.main import COMMAND_MODULES, run
from netrawat.demo.channel import DEMO_CHAT, DEMO_TOKEN, Channel, local_channel
from netrawat.demo.console import offer_console
from netrawat.errors import InputError
from netrawat.exitcodes import ExitCode
from netrawat.recap.values import LOCAL_TZ
from netrawat_lab.control import stop_lab
from netrawat_lab.errors import LabCannotRunError
from netrawat_lab.fleet import block_for
from netrawat_lab.handle import Lab

MARKER = ".netrawat-demo"
DEVICES = 8
LAB_ATTEMPTS = 4
FAULTS = (
    ("RTR-DINKES", "wrong-dns", "ringan: DNS drifted to 8.8.8.8 (a configuration fix)"),
    ("RTR-DISKOMINFO", "overheating", "sedang: a hot router (hardware: lapor Kabid)"),
    ("CR-DISKOMINFO", "unreachable", "berat: a router that does not answer at all"),
)
OPD, HOST, TEMPLATE = "dinkes", "RTR-DINKES", "restore_dns"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def request_number(now: datetime) -> str:
    """A letter number in the city's style, e.g. ``045/112/Dinkes/XI/2026``."""
    return f"045/112/Dinkes/{ROMAN[now.month - 1]}/{now.year}"


def prepare_dir(root: Path) -> None:
    """A fresh demo directory: a previous demo's is cleared (its lab stopped); any other
    non-empty directory is refused, and so is a file."""
    if root.exists() and not root.is_dir():
        raise InputError(f"{root} is not a directory", "pass --dir to an empty or new directory")
    if root.exists() and any(root.iterdir()):
        if not (root / MARKER).is_file():
            raise InputError(
                f"{root} is not empty and is not a netrawat demo directory",
                "pass --dir to an empty or new directory",
            )
        stop_lab(root / "lab")
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    (root / MARKER).write_text("written by `netrawat demo`; removed by the next demo run\n")


@dataclass
class Demo:
    """One demo run: where it works, what it printed, what went differently than expected."""

    root: Path
    console: Console
    started: float = field(default_factory=time.monotonic)
    step: int = 0
    surprises: list[str] = field(default_factory=list)

    @property
    def lab_dir(self) -> Path:
        return self.root / "lab"

    @property
    def state_dir(self) -> Path:
        return self.root / "state"

    def heading(self, title: str, what: str) -> None:
        self.step += 1
        self.console.print()
        self.console.print(Rule(f"[bold]{self.step}. {title}[/]", align="left"))
        self.console.print(what, soft_wrap=True)

    def say(self, text: str) -> None:
        self.console.print(text, soft_wrap=True, highlight=False)

    def netrawat(self, *args: str, expect: ExitCode = ExitCode.OK) -> int:
        """Show the command, run it, check its exit code."""
        self.console.print(f"[bold cyan]$ netrawat {shlex.join(args)}[/]", soft_wrap=True)
        code = run(list(args))
        mark = "[green]as expected[/]" if code == expect else "[bold red]UNEXPECTED[/]"
        self.console.print(f"[dim]exit code {code}[/] ({mark})")
        if code != expect:
            self.surprises.append(
                f"step {self.step}: netrawat {args[0]} exited {code}, not {expect}"
            )
        return code

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the demo's in-process commands, restore them after."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def up_on_free_addresses(lab_dir: Path) -> Lab:
    """The demo's lab, owned by this process (it stops if the demo dies); another address
    block when one is taken (other labs may run on this machine)."""
    block = block_for(lab_dir)
    for attempt in range(LAB_ATTEMPTS):
        try:
            return Lab.up(lab_dir, devices=DEVICES, block=block, owner_pid=os.getpid())
        except LabCannotRunError as exc:
            if "in use" not in exc.message or attempt == LAB_ATTEMPTS - 1:
                raise
            block = 2 + (block - 2 + 37) % 250
    raise AssertionError("unreachable")


def start_lab(demo: Demo, channel: Channel) -> Lab:
    demo.heading(
        "The device lab",
        f"{DEVICES} simulated routers and access points of 3 OPDs (MikroTik RouterOS 7, "
        "Cisco IOS), each on its own 127.x address, over real SSH.",
    )
    demo.console.print(f"[bold cyan]$ netrawat lab up --dir {demo.lab_dir} --devices {DEVICES}[/]")
    lab = up_on_free_addresses(demo.lab_dir)
    demo.say(f"lab up: {len(lab.specs)} devices (pid {lab.pid}): {', '.join(lab.hosts())}")
    secrets = yaml.safe_load(lab.secrets.read_text(encoding="utf-8"))
    secrets["notify"] = {
        "language": "id",
        "telegram": {"bot_token": DEMO_TOKEN, "chat_id": DEMO_CHAT, "api_base": channel.base},
    }
    lab.secrets.write_text(yaml.safe_dump(secrets), encoding="utf-8")
    lab.secrets.chmod(0o600)
    demo.say(
        f"notifications: {lab.secrets} got a `notify:` section sending to a Telegram "
        f"stand-in at {channel.base} (in production: api.telegram.org and/or SMTP)"
    )
    for host, fault, meaning in FAULTS:
        demo.say(f"fault on {host}: {fault} -> {meaning}")
        demo.netrawat("lab", "fault", "--dir", str(demo.lab_dir), host, fault)
    return lab


def preventive(demo: Demo, channel: Channel) -> None:
    demo.heading(
        "Nightly preventive maintenance (pemeliharaan preventif)",
        "What the systemd timer / cron runs at 02:00 WIB (`netrawat schedule install`): drift "
        "since the last backup, ONE backup commit, a graded health survey, then a summary.",
    )
    demo.netrawat("preventive", "--trust-new-hosts", expect=ExitCode.HOSTS_FAILED)
    if channel.texts:
        demo.say("\n[bold]The section's channel received:[/]")
        for line in channel.texts[-1].splitlines():
            demo.console.print(f"  │ {line}", markup=False, soft_wrap=True, highlight=False)
    else:
        demo.surprises.append("the preventive run sent no notification")


def request_and_survey(demo: Demo, number: str) -> None:
    demo.heading(
        "SOP 1: the OPD's letter (penerimaan laporan)",
        "Dinas Kesehatan writes: internet slow, websites do not open. Its number is kept verbatim.",
    )
    demo.netrawat(
        "request", "open", number, "--opd", OPD,
        "--summary", "Internet lambat, situs tidak bisa dibuka",
    )  # fmt: skip
    demo.heading(
        "SOP 2: survey and grade the damage (survei)",
        "The remote part of the site survey, filed under the request.",
    )
    demo.netrawat("health", "--request", number, "--opd", OPD, expect=ExitCode.HOSTS_FAILED)


def repair(demo: Demo, number: str) -> bool:
    """Dry run, then apply; False when `netrawat repair` is not in this checkout."""
    demo.heading(
        "SOP 4: repair light damage (perbaikan kerusakan ringan)",
        f"Graded ringan: the section fixes it itself with the `{TEMPLATE}` template. "
        "First a dry run (nothing sent), then the repair applied: backup before, push, "
        "verify, check, backup after (rolled back if a check fails).",
    )
    if "repair" not in COMMAND_MODULES:
        demo.say(
            "[bold yellow]not yet in this checkout:[/] `netrawat repair` (issue 8) has not "
            "landed, so the dry run and the repair are skipped; the re-check below will "
            "still find the damage."
        )
        return False
    demo.netrawat("repair", TEMPLATE, "--request", number, "--host", HOST)
    demo.netrawat("repair", TEMPLATE, "--request", number, "--host", HOST, "--apply")
    return True


def close_and_report(demo: Demo, number: str, repaired: bool) -> None:
    demo.heading("Re-check", f"{HOST} surveyed again under the same request.")
    expect = ExitCode.OK if repaired else ExitCode.HOSTS_FAILED
    demo.netrawat("health", "--request", number, "--host", HOST, expect=expect)
    demo.heading(
        "SOP 5: close the request and print the recap (laporan & rekapitulasi)",
        "The report book (Buku laporan) is built from the entry every run left.",
    )
    result = "restored" if repaired else "unresolved"
    note = "DNS dikembalikan ke server kota" if repaired else "perbaikan belum tersedia"
    demo.netrawat("request", "close", number, "--result", result, "--note", note)
    demo.netrawat("recap", "--format", "md")


def baseline(demo: Demo) -> None:
    """The security baseline of one OPD: findings with evidence, then a fix as a dry run."""
    demo.heading(
        "Security baseline (audit keamanan)",
        "MikroTik's 'Securing your router' and IOS basics, per device: Dinkes' routers still "
        "have telnet on and the factory admin user. Each finding names the repair to run.",
    )
    if "audit" not in COMMAND_MODULES:
        demo.say("[bold yellow]not yet in this checkout:[/] `netrawat audit` (issue 18)")
        return
    demo.netrawat("audit", "--opd", OPD, expect=ExitCode.HOSTS_FAILED)
    demo.netrawat("repair", "audit_service_off", "--host", HOST, "--var", "service=telnet")


def config_history(demo: Demo) -> None:
    demo.heading(
        "The config repository",
        "Sanitized backups, one commit per run, each naming its request or preventive run.",
    )
    configs = demo.state_dir / "configs"
    demo.console.print(f"[bold cyan]$ git -C {configs} log --stat[/]")
    shown = subprocess.run(
        ["git", "-C", str(configs), "log", "--stat", "--no-color"],
        capture_output=True,
        text=True,
        check=False,
    )
    demo.console.print(shown.stdout or shown.stderr, markup=False, highlight=False, soft_wrap=True)


def run_demo(root: Path, console: Console) -> int:
    """The whole demo; 0 when every step behaved as expected."""
    prepare_dir(root)
    demo = Demo(root.resolve(), console)
    number = request_number(datetime.now(LOCAL_TZ))
    env = {"NETRAWAT_INVENTORY": str(demo.lab_dir), "NETRAWAT_STATE": str(demo.state_dir)}
    console.print(
        "[bold]netrawat demo[/]: the SOP Pemeliharaan Komponen Jaringan on a simulated fleet.\n"
        f"Every command below uses: export {' '.join(f'{k}={v}' for k, v in env.items())}",
        soft_wrap=True,
    )
    with local_channel() as channel, environment(env):
        try:
            start_lab(demo, channel)
            preventive(demo, channel)
            request_and_survey(demo, number)
            repaired = repair(demo, number)
            close_and_report(demo, number, repaired)
            baseline(demo)
            config_history(demo)
        finally:
            demo.heading("Stop the lab", "Nothing is left running.")
            demo.netrawat("lab", "down", "--dir", str(demo.lab_dir))
    console.print()
    for surprise in demo.surprises:
        console.print(f"[bold red]unexpected[/]: {surprise}")
    verdict = "[green]every step as expected[/]" if not demo.surprises else "[red]see above[/]"
    console.print(
        f"demo finished in {demo.elapsed:.0f} s: {verdict}. Everything it made is in {root}/ "
        f"(state: {demo.state_dir}); run it again any time.",
        soft_wrap=True,
    )
    offer_console(root, demo.state_dir, console)
    return ExitCode.OK if not demo.surprises else ExitCode.HOSTS_FAILED
