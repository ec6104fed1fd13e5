"""Bad input on every command, as a user types it: one line on stderr with a hint, the
documented exit code (2 bad input, 3 cannot run), never a traceback, and nothing written to the
state directory. In-process through `netrawat.cli.main.run` (no device is contacted)."""

from __future__ import annotations

import io
import re
import socket
from pathlib import Path

import pytest
from inventory_factory import write_inventory
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from netrawat.cli.main import run
from netrawat.console import show_table
from netrawat.exitcodes import ExitCode

BAD, CANNOT = ExitCode.BAD_INPUT, ExitCode.CANNOT_RUN

# Each case: argv (with {inv}, {state}, {file}, {empty}, {tmp} filled in), the exit code, and a
# piece of the one error line. The state directory {state} must not exist afterwards.
CASES: list[tuple[str, list[str], int, str]] = [
    # usage errors: one line naming the command's help, not click's framed box
    ("workers 0", ["inventory", "--inventory", "{inv}", "--workers", "0"], BAD, "--workers"),
    ("workers huge", ["inventory", "--inventory", "{inv}", "--workers", "9" * 30], BAD, "500"),
    ("processes <0", ["inventory", "--inventory", "{inv}", "--processes", "-1"], BAD, "0"),
    ("unknown option", ["recap", "--out", "x"], BAD, "--output"),
    ("unknown subcommand", ["schedule", "list"], BAD, "netrawat schedule -h"),
    ("unknown command", ["nosuch"], BAD, "netrawat -h"),
    ("missing option", ["request", "open", "045/1"], BAD, "--opd"),
    ("missing argument", ["user", "add"], BAD, "name"),
    ("lab dir is a file", ["lab", "up", "--dir", "{file}"], BAD, "is a file"),
    ("empty --state", ["request", "list", "--state", " "], BAD, "state directory is empty"),
    # inventories
    ("no inventory", ["inventory", "--inventory", "{tmp}/nowhere"], BAD, "does not exist"),
    ("inventory is a file", ["inventory", "--inventory", "{file}"], BAD, "not a directory"),
    ("empty inventory", ["inventory", "--inventory", "{empty}"], BAD, "hosts.yaml"),
    ("empty hosts.yaml", ["inventory", "--inventory", "{tmp}/nohosts"], BAD, "has no hosts"),
    ("malformed yaml", ["inventory", "--inventory", "{tmp}/badyaml"], BAD, "malformed YAML"),
    ("non-utf8 yaml", ["inventory", "--inventory", "{tmp}/nonutf"], BAD, "cannot read"),
    ("unknown host", ["health", "--inventory", "{inv}", "--host", "NOPE"], BAD, "no such host"),
    ("unknown opd", ["backup", "--inventory", "{inv}", "--opd", "nope"], BAD, "no such opd"),
    ("huge host", ["inventory", "--inventory", "{inv}", "--host", "A" * 100_000], BAD, "fleet"),
    ("shell chars", ["diff", "--inventory", "{inv}", "--host", "$(id)"], BAD, "no such host"),
    ("non-utf8 host", ["audit", "--inventory", "{inv}", "--host", "R\udcff"], BAD, "UTF-8"),
    ("non-utf8 opd filter", ["request", "list", "--opd", "\udcff"], BAD, "not valid UTF-8"),
    ("non-utf8 recap opd", ["recap", "--opd", "x\udcff"], BAD, "not valid UTF-8"),
    ("non-utf8 path", ["inventory", "--inventory", "/tmp/\udcff"], BAD, "not valid UTF-8"),
    ("non-utf8 number", ["request", "show", "A\udcff"], BAD, "not valid UTF-8"),
    (
        "non-utf8 summary",
        ["request", "open", "1/X", "--opd", "d", "--summary", "\udcff"],
        BAD,
        "UTF",
    ),
    ("no secrets", ["inventory", "--inventory", "{inv}", "--secrets", "{tmp}/no"], BAD, "secrets"),
    # a mistyped --db read as an empty report book (and left an empty file behind)
    ("recap --db typo", ["recap", "--db", "sqlite:///{tmp}/typo.sqlite"], BAD, "no such file"),
    ("request list --db typo", ["request", "list", "--db", "sqlite:///{tmp}/t"], BAD, "no such"),
    (
        "request show --db typo",
        ["request", "show", "1/X", "--db", "sqlite:///{tmp}/t"],
        BAD,
        "--db",
    ),
    ("user list --db typo", ["user", "list", "--db", "sqlite:///{tmp}/typo"], BAD, "no such file"),
    ("bad against", ["diff", "--inventory", "{inv}", "--against", "x"], BAD, "--against"),
    ("preventive host", ["preventive", "--inventory", "{inv}", "--host", "N"], BAD, "no such"),
    # requests and the recap
    ("empty number", ["request", "open", " ", "--opd", "dinkes", "--summary", "s"], BAD, "empty"),
    ("control chars", ["request", "show", "X\x1b[31m"], BAD, "control characters"),
    ("empty summary", ["request", "open", "1/X", "--opd", "dinkes", "--summary", ""], BAD, "summ"),
    ("unknown opd code", ["request", "open", "1/X", "--opd", "zz", "--summary", "s"], BAD, "OPD"),
    ("close unknown", ["request", "close", "9/X", "--result", "restored"], BAD, "not registered"),
    ("close bad result", ["request", "close", "9/X", "--result", "bogus"], BAD, "result"),
    ("show unknown", ["request", "show", "9/X"], BAD, "not registered"),
    ("health unknown request", ["health", "--request", "9/X", "--host", "R*"], BAD, "not regis"),
    ("backup unknown request", ["backup", "--request", "9/X"], BAD, "not registered"),
    (
        "repair unknown request",
        ["repair", "restore_dns", "--request", "9/X", "--host", "R"],
        BAD,
        "9/X",
    ),
    ("repair unknown template", ["repair", "nosuch", "--host", "R*"], BAD, "no repair template"),
    ("repair apply to all", ["repair", "restore_dns", "--apply"], BAD, "whole fleet"),
    ("repair apply no request", ["repair", "restore_dns", "--apply", "--host", "R*"], BAD, "--req"),
    ("bad month", ["recap", "--month", "2026-13"], BAD, "YYYY-MM"),
    ("month 0001", ["recap", "--month", "0001-01"], BAD, "out of range"),
    ("month 9999-12", ["recap", "--month", "9999-12"], BAD, "out of range"),
    ("from year 1", ["recap", "--from", "0001-01-01"], BAD, "out of range"),
    ("dates swapped", ["recap", "--from", "2026-11-15", "--to", "2026-11-01"], BAD, "swap"),
    ("bad format", ["recap", "--month", "2026-11", "--format", "pdf"], BAD, "md, html"),
    # users, schedule, serve, lab, demo
    ("bad role", ["user", "add", "bob", "--role", "god"], BAD, "role"),
    ("bad user name", ["user", "add", "a b", "--role", "admin"], BAD, "user name"),
    ("remove unknown", ["user", "remove", "nobody"], BAD, "no user"),
    ("bad --at", ["schedule", "install", "--at", "25:99"], BAD, "JOB=HH:MM"),
    ("bad listen", ["serve", "--listen", "nonsense"], BAD, "HOST:PORT"),
    ("no lab", ["lab", "status", "--dir", "{empty}"], CANNOT, "no lab is running"),
    ("demo dir is a file", ["demo", "--dir", "{file}"], BAD, "not a directory"),
    (
        "schedule dir is a file",
        ["schedule", "show", "--kind", "cron", "--dir", "{file}"],
        BAD,
        "a file",
    ),
    (
        "dir under a file",
        ["schedule", "install", "--dir", "{file}/sub", "--kind", "cron"],
        BAD,
        "Not a dir",
    ),
    (
        "output under a file",
        ["recap", "--month", "2026-11", "--output", "{file}/x.md"],
        BAD,
        "is not a directory",
    ),
    ("state under a file", ["request", "list", "--state", "{file}/sub"], BAD, "Not a directory"),
    ("lab dir under a file", ["lab", "up", "--dir", "{file}/sub"], BAD, "Not a directory"),
    (
        "lab from no inventory",
        ["lab", "up", "--dir", "{tmp}/l", "--from-inventory", "{empty}"],
        BAD,
        "hosts",
    ),
    (
        "state name too long",
        ["user", "list", "--state", "{tmp}/" + "x" * 300 + "/y"],
        BAD,
        "too long",
    ),
    ("state is a file", ["request", "list", "--state", "{file}"], CANNOT, "unusable"),
]


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name in ("NETRAWAT_INVENTORY", "NETRAWAT_SECRETS", "NETRAWAT_RECAP_DB"):
        monkeypatch.delenv(name, raising=False)
    state = tmp_path / "state"
    monkeypatch.setenv("NETRAWAT_STATE", str(state))
    monkeypatch.setenv("NETRAWAT_INVENTORY", str(write_inventory(tmp_path / "inv")))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("not a directory\n")
    (tmp_path / "empty").mkdir()
    write_inventory(tmp_path / "nohosts")
    (tmp_path / "nohosts" / "hosts.yaml").write_text("")
    (tmp_path / "badyaml").mkdir()
    (tmp_path / "badyaml" / "hosts.yaml").write_text("foo: [\n")
    write_inventory(tmp_path / "nonutf")
    (tmp_path / "nonutf" / "hosts.yaml").write_bytes(b"R\xff:\n  hostname: 127.0.0.1\n")
    return {
        "inv": str(tmp_path / "inv"),
        "state": str(state),
        "file": str(tmp_path / "afile"),
        "empty": str(tmp_path / "empty"),
        "tmp": str(tmp_path),
    }


@pytest.mark.parametrize(
    ("argv", "code", "says"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_one_line_with_a_hint_and_writes_nothing(
    argv: list[str],
    code: int,
    says: str,
    places: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    got = run([word.format(**places) for word in argv])
    out, err = capsys.readouterr()
    assert got == code, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert len(lines[0]) <= 1100, "an error line is readable, whatever was typed"
    assert "(hint: " in lines[0] and says in lines[0], err
    assert "Traceback" not in out + err and out == ""
    assert not Path(places["state"]).exists(), "bad input wrote to the state directory"


def test_a_command_group_without_its_subcommand_shows_its_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["schedule"]) == BAD
    assert "Usage: netrawat schedule" in capsys.readouterr().out


def test_help_still_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["request", "open", "-h"]) == ExitCode.OK
    assert "Usage: netrawat request open" in capsys.readouterr().out


# --- output: tables fit an 80-column terminal, plain tab-separated columns when piped ------


def _inventory_table(rows: int) -> Table:
    table = Table("name", "opd", "role", "platform", "model", "address", "host key", title="t")
    for n in range(rows):
        table.add_row(
            f"AP-DISKOMINFO-{n:02}",
            "diskominfo",
            "ap",
            "mikrotik_routeros",
            "CISCO2911/K9",
            f"127.200.0.{n}:2222",
            "not pinned",
        )
    return table


@pytest.mark.parametrize("width", [80, 100, 200])
def test_a_table_on_a_terminal_fits_and_cuts_nothing(width: int) -> None:
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=True, color_system=None)
    show_table(console, _inventory_table(3))
    lines = out.getvalue().splitlines()
    assert all(cell_len(line) <= width for line in lines), out.getvalue()
    assert "…" not in out.getvalue(), "a cell was cut short"
    assert "pinned" in out.getvalue() and "host key" in out.getvalue()  # last column shown
    if width >= 100:  # room enough: the host names stay whole
        assert "AP-DISKOMINFO-02" in out.getvalue()


def test_user_list_piped_is_tab_separated(
    places: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery staple\n"))
    assert run(["user", "add", "ana", "--role", "admin"]) == ExitCode.OK
    capsys.readouterr()
    assert run(["user", "list"]) == ExitCode.OK
    err = capsys.readouterr().err.splitlines()
    assert err[0].split("\t")[:2] == ["name", "role"] and err[1].split("\t")[:2] == ["ana", "admin"]


def test_serve_on_a_port_in_use_is_one_line_before_anything_starts(
    places: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert run(["serve", "--listen", f"127.0.0.1:{port}"]) == CANNOT
    err = capsys.readouterr().err
    assert err.startswith("error: cannot listen on") and len(err.splitlines()) == 1, err
    assert "console on" not in err


def test_piped_human_output_is_not_wrapped_at_80_columns(
    places: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    where = f"{places['tmp']}/{'a-rather-long-folder-name-' * 3}/schedule"
    argv = ["schedule", "install", "--kind", "cron", "--dir", where, "--job", "preventive"]
    assert run(argv) == ExitCode.OK
    err = capsys.readouterr().err
    assert f"wrote {where}/crontab" in err.splitlines()[1], err  # the path on its line, whole


def test_ctrl_c_is_one_line_and_exit_130(
    places: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def pressed(*_: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C while the command works

    monkeypatch.setattr("netrawat.cli.request.check_opd", pressed)
    code = run(["request", "open", "1/X", "--opd", "dinkes", "--summary", "s"])
    assert code == ExitCode.INTERRUPTED == 130
    assert capsys.readouterr().err.startswith("interrupted (Ctrl-C)")


@pytest.mark.parametrize("terminal", ["0", "1"])
def test_brackets_in_paths_and_numbers_are_text_not_markup(
    terminal: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A folder named ``[/]x`` or a letter number ``[red]1`` is printed as typed (rich read
    it as markup: a crash, exit 4, or a silently lost part)."""
    monkeypatch.setenv("TTY_COMPATIBLE", terminal)  # rich: draw as on a terminal, or not
    monkeypatch.delenv("NETRAWAT_RECAP_DB", raising=False)
    odd = tmp_path / "[" / "]x"
    inventory, state = write_inventory(odd / "[red]inv"), odd / "state"
    assert run(["inventory", "--inventory", str(inventory)]) == ExitCode.OK
    title = "".join(re.sub(r"\x1b\[[0-9;]*m", "", capsys.readouterr().err).split())  # unwrapped
    assert "[red]inv" in title
    common = ["--state", str(state), "--inventory", str(inventory)]
    assert run(["request", "open", "[red]1/[/]", "--opd", "dinkes", "--summary", "s", *common]) == 0
    assert run(["request", "list", "--state", str(state)]) == ExitCode.OK
    assert run(["request", "show", "[red]1/[/]", "--state", str(state)]) == ExitCode.OK
    where = odd / "[b]schedule"
    assert run(["schedule", "install", "--kind", "cron", "--dir", str(where), *common]) == 0
    assert run(["recap", "--state", str(state), "-o", str(odd / "[i]r.md")]) == ExitCode.OK
    err = "".join(re.sub(r"\x1b\[[0-9;]*m", "", capsys.readouterr().err).split())  # unwrapped
    assert "[red]1/[/]" in err and f"{where}/crontab" in err and "[i]r.md" in err, err


@pytest.mark.parametrize("terminal", [True, False])
def test_device_text_in_the_health_table_is_not_markup(terminal: bool) -> None:
    from netrawat.health.model import CheckResult, DeviceHealth, Grade
    from netrawat.health.report import HealthReport, print_report

    said = "comment [/] and [red]x[/red] [admin@RTR-DINKES] >"
    device = DeviceHealth(
        "RTR-DINKES", "dinkes", "router", "mikrotik_routeros",
        results=[CheckResult("interfaces", "fail", Grade.RINGAN, said)],
    )  # fmt: skip
    out = io.StringIO()
    console = Console(file=out, width=200, force_terminal=terminal, color_system=None)
    print_report(HealthReport([device], run_id="r"), console)
    assert said in out.getvalue()


def test_preventive_summary_prints_errors_and_paths_as_text() -> None:
    from datetime import UTC, datetime

    from netrawat.cli.preventive import print_summary
    from netrawat.errors import CannotRunError
    from netrawat.notify.base import Delivery
    from netrawat.playbooks.preventive import PreventiveReport

    report = PreventiveReport(
        "PM-20261202-0200",
        "r",
        datetime.now(UTC),
        step_errors={"backup": CannotRunError("cannot use /srv/[/]state", "fix [red]it")},
        deliveries=[Delivery("telegram", False, "HTTP 400 [/] bad")],
        log_path="/srv/[b]state/logs/x.log",
    )
    out = io.StringIO()
    print_summary(report, Console(file=out, width=200, force_terminal=True, color_system=None))
    text = out.getvalue()
    assert "/srv/[/]state" in text and "HTTP 400 [/] bad" in text and "[b]state" in text
    assert "FAILED" in text and "[bold red]" not in text  # the markup meant as markup stays


def test_the_pinned_keys_hint_is_a_command_to_paste(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from netrawat.fleet import _announce
    from netrawat.hostkeys import PinReport
    from netrawat.state import StateDir

    state = StateDir(tmp_path / "state dir [/]")
    _announce(PinReport(pinned=["RTR-DINKES"]), state)
    assert f"ssh-keygen -lf '{state.known_hosts}'" in capsys.readouterr().err


def test_fleet_options_show_plain_metavars_in_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["backup", "-h"]) == ExitCode.OK
    text = capsys.readouterr().out
    assert "list[str]" not in text and "<Path>" not in text
    assert all(word in text for word in ("NAME", "CODE", "DIR", "FILE"))


def test_a_recap_named_by_the_environment_must_exist_for_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "recap-typo.sqlite"
    monkeypatch.setenv("NETRAWAT_RECAP_DB", f"sqlite:///{typo}")
    assert run(["recap", "--state", str(tmp_path / "state")]) == BAD
    err = capsys.readouterr().err
    assert "no such file" in err and "NETRAWAT_RECAP_DB" in err
    assert not typo.exists(), "a report created the database it could not find"
    assert run(["request", "open", "045/1", "--opd", "dinkes", "--summary", "x"]) == ExitCode.OK
    assert typo.exists(), "a command that records still creates it"
    assert run(["recap", "--state", str(tmp_path / "state")]) == ExitCode.OK


def test_a_recap_url_with_escapes_is_read_as_sqlalchemy_reads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``%20`` names ``a b.sqlite`` for SQLAlchemy: that existing file is no typo."""
    real = tmp_path / "a b.sqlite"
    url = f"sqlite:///{real}"
    assert run(["request", "open", "045/2", "--opd", "dinkes", "--summary", "x", "--db", url]) == 0
    escaped = f"sqlite:///{tmp_path}/a%20b.sqlite"
    assert run(["request", "list", "--db", escaped, "--json"]) == ExitCode.OK
    assert "045/2" in capsys.readouterr().out
