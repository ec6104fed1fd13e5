"""Requests (SOP step 1 → 5) and runs attached to them: lifecycle, bad input, the CLI."""

from __future__ import annotations

import json

import pytest
from recap_fixtures import NUMBER, state_fixture, store_fixture  # noqa: F401

from netrawat.cli.main import run as cli
from netrawat.errors import InputError
from netrawat.exitcodes import ExitCode
from netrawat.recap import RecapStore, start_run
from netrawat.recap.requests import close_request, get_request, list_requests, open_request
from netrawat.recap.timeline import build_timeline
from netrawat.recap.values import moment
from netrawat.state import StateDir


def test_lifecycle_open_run_close(state: StateDir, store: RecapStore) -> None:
    opened = open_request(
        store, NUMBER, opd="DINKES", summary="Internet mati", received_at=moment("2026-11-20 08:00")
    )
    assert opened.number == NUMBER and opened.opd == "dinkes" and opened.is_open
    assert opened.received_at.isoformat() == "2026-11-20T01:00:00+00:00"  # WIB = UTC+7
    with start_run(state, playbook="health", request=NUMBER, opds=["dinkes"]) as run:
        run.host("RTR-DINKES", opd="dinkes", outcome="failed", grade="sedang", error="timeout")
    with start_run(state, playbook="repair", request=NUMBER, opds=["dinkes"]) as run:
        run.host("RTR-DINKES", opd="dinkes", outcome="changed", actions=["ganti kabel"])
        run.escalate("switch rusak, dilaporkan ke Kabid")
    closed = close_request(store, NUMBER, result="escalated", note="menunggu pengadaan")
    assert closed.result == "escalated" and not closed.is_open
    timeline = build_timeline(store, NUMBER)
    kinds = [e.kind for e in timeline.events]
    assert kinds[0] == "received" and kinds[-1] == "closed"
    assert kinds.count("run_started") == 2 and "escalation" in kinds
    assert "run_failed" in kinds and "run_ok" in kinds
    assert timeline.grade == "sedang"
    assert [s.step.key for s in timeline.steps] == ["receipt", "survey", "repair", "report"]


def test_run_on_unknown_request_asks_to_open_it(state: StateDir) -> None:
    with (
        pytest.raises(InputError, match="not registered") as info,
        start_run(state, playbook="backup", request="999/XX/2026"),
    ):
        pytest.fail("the run must not start")
    assert "--open" in info.value.hint and "request open" in info.value.hint


def test_run_with_open_request_registers_it(state: StateDir, store: RecapStore) -> None:
    with start_run(
        state, playbook="health", request="7/A/2026", opds=["bappeda"], open_request=True
    ):
        pass
    assert get_request(store, "7/A/2026").opd == "bappeda"


def test_closed_request_is_not_reused(state: StateDir, store: RecapStore) -> None:
    open_request(store, NUMBER, opd="dinkes", summary="x")
    close_request(store, NUMBER, result="restored")
    with (
        pytest.raises(InputError, match="was closed"),
        start_run(state, playbook="repair", request=NUMBER),
    ):
        pass
    with pytest.raises(InputError, match="was closed"):
        close_request(store, NUMBER, result="restored")
    with pytest.raises(InputError, match="already registered"):
        open_request(store, NUMBER, opd="dinkes", summary="again")


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("045/1\n/X", "control"),
        ("a\x00b", "control"),
        ("x" * 200, "characters long"),
    ],
)
def test_bad_request_numbers(store: RecapStore, number: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        open_request(store, number, opd="dinkes", summary="x")


def test_request_number_kept_verbatim_never_a_path(store: RecapStore, state: StateDir) -> None:
    tricky = "../../etc/passwd; rm -rf /"
    open_request(store, tricky, opd="dinkes", summary="x")
    assert get_request(store, tricky).number == tricky
    assert not any("passwd" in p.name or p.name == "etc" for p in state.root.rglob("*"))
    assert not (state.root.parent / "etc").exists()


@pytest.mark.parametrize("raw", ["2026-13-01", "23/11/2026", "yesterday", "2026-11-31"])
def test_malformed_dates(raw: str) -> None:
    with pytest.raises(InputError, match="malformed"):
        moment(raw)


def test_received_in_future_is_refused(store: RecapStore) -> None:
    with pytest.raises(InputError, match="future"):
        open_request(store, NUMBER, opd="dinkes", summary="x", received_at=moment("2099-01-01"))


def test_bad_values_in_run(state: StateDir) -> None:
    with start_run(state, playbook="health") as run:
        with pytest.raises(InputError, match="grade"):
            run.host("R1", outcome="ok", grade="parah")
        with pytest.raises(InputError, match="outcome"):
            run.host("R1", outcome="meh")
    with (
        pytest.raises(InputError, match="preventive id"),
        start_run(state, playbook="backup", preventive_id="nightly"),
    ):
        pass
    with (
        pytest.raises(InputError, match="not both"),
        start_run(
            state,
            playbook="backup",
            request=NUMBER,
            preventive_id="PM-20261123-0200",
            open_request=True,
        ),
    ):
        pass


def test_list_filters(store: RecapStore) -> None:
    open_request(store, "1/A", opd="dinkes", summary="x")
    open_request(store, "2/B", opd="bappeda", summary="y")
    close_request(store, "2/B", result="restored")
    assert [r.number for r in list_requests(store, opd="dinkes")] == ["1/A"]
    assert [r.number for r in list_requests(store, status="closed")] == ["2/B"]


def test_cli_request_commands(state: StateDir, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--state", str(state.root)]
    assert (
        cli(
            [
                "request",
                "open",
                NUMBER,
                "--opd",
                "dinkes",
                "--summary",
                "Internet mati",
                "--received",
                "2026-11-20 08:00",
                *base,
            ]
        )
        == ExitCode.OK
    )
    assert cli(["request", "open", NUMBER, "--opd", "dinkes", "--summary", "x", *base]) == 2
    assert "already registered" in capsys.readouterr().err
    assert (
        cli(
            [
                "request",
                "open",
                "9/Z",
                "--opd",
                "dinkes",
                "--summary",
                "x",
                "--received",
                "20-11-2026",
                *base,
            ]
        )
        == ExitCode.BAD_INPUT
    )
    assert "malformed --received date" in capsys.readouterr().err
    assert cli(["request", "show", "nope", *base]) == ExitCode.BAD_INPUT
    assert "not registered" in capsys.readouterr().err
    assert cli(["request", "close", NUMBER, "--result", "fixed", *base]) == ExitCode.BAD_INPUT
    assert "unknown result" in capsys.readouterr().err
    assert cli(["request", "close", NUMBER, "--result", "restored", *base]) == ExitCode.OK
    assert cli(["request", "close", NUMBER, "--result", "restored", *base]) == 2
    capsys.readouterr()
    assert cli(["request", "show", NUMBER, "--json", *base]) == ExitCode.OK
    shown = json.loads(capsys.readouterr().out)
    assert shown["status"] == "closed" and shown["result"] == "restored"
    assert [e["kind"] for e in shown["events"]] == ["received", "opened", "closed"]
    assert cli(["request", "list", "--json", *base]) == ExitCode.OK
    assert [r["number"] for r in json.loads(capsys.readouterr().out)] == [NUMBER]
    assert cli(["request", "show", NUMBER, "--lang", "en", *base]) == ExitCode.OK
    assert "Receipt of the report" in capsys.readouterr().err


def test_cli_unusable_database_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["request", "list", "--db", "nosuchdb://x"]) == ExitCode.BAD_INPUT
    assert "not usable" in capsys.readouterr().err
