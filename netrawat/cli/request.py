"""`netrawat request open|close|show|list`: the OPD letters (SOP step 1) and their outcome."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from netrawat.cli.options import plain_command
from netrawat.cli.recap_common import DbOpt, JsonOpt, StateOpt, emit_json, err, store_for
from netrawat.console import show_table
from netrawat.errors import InputError
from netrawat.exitcodes import ExitCode
from netrawat.recap import i18n, values
from netrawat.recap.values import RequestNumber, request_number

if TYPE_CHECKING:  # the recap store (SQLAlchemy) loads only when a command runs
    pass

NumberArg = Annotated[
    RequestNumber,
    typer.Argument(
        parser=request_number,  # a bad number exits 2 before the recap is opened
        metavar="NO",
        help="The request (letter) number, e.g. 045/112/Diskes/XI/2026.",
    ),
]


def check_opd(opd: str, inventory: Path) -> None:
    """``--opd`` must name an OPD of the inventory (exit 2 with the known codes otherwise)."""
    from netrawat.inventory.model import load_inventory

    root = inventory.expanduser().resolve()
    if not (root / "hosts.yaml").is_file():
        raise InputError(
            f"cannot check --opd {opd!r}: no inventory in {root}",
            "pass --inventory DIR (or set NETRAWAT_INVENTORY)",
        )
    codes = sorted(
        {str(g.data["opd"]) for g in load_inventory(root).groups.values() if "opd" in g.data}
    )
    if opd.strip().lower() not in {c.lower() for c in codes}:
        close = difflib.get_close_matches(opd.lower(), codes, n=3)
        raise InputError(
            f"unknown OPD {opd!r}: the inventory {root} has no such OPD",
            f"did you mean {', '.join(close)}?" if close else f"use one of: {', '.join(codes)}",
        )


@plain_command
def open_cmd(
    number: NumberArg,
    *,
    opd: Annotated[str, typer.Option("--opd", help="Short code of the OPD that sent the letter.")],
    summary: Annotated[str, typer.Option("--summary", help="The complaint, in a sentence.")],
    received: Annotated[
        str | None,
        typer.Option(
            "--received", help="When the letter arrived: YYYY-MM-DD[ HH:MM] (WIB); default now."
        ),
    ] = None,
    inventory: Annotated[
        Path,
        typer.Option(
            "--inventory",
            envvar="NETRAWAT_INVENTORY",
            help="Inventory directory: --opd must be one of its OPD codes.",
        ),
    ] = Path("inventory"),
    state: StateOpt = None,
    db: DbOpt = None,
    json_output: JsonOpt = False,
) -> int:
    """Register an OPD's letter requesting network repair (SOP step 1)."""
    when = values.moment(received, "--received date") if received else None
    values.short_text(summary, "summary")  # checked before anything is opened
    check_opd(opd, inventory)
    from netrawat.recap.requests import open_request

    with store_for(state, db) as store:
        request = open_request(store, number, opd=opd, summary=summary, received_at=when)
    if json_output:
        emit_json(request.to_json())
    err.print(f"opened request {escape(request.number)} ({request.opd})")
    return ExitCode.OK


@plain_command
def close_cmd(
    number: NumberArg,
    *,
    result: Annotated[
        str, typer.Option("--result", help=f"Outcome: {'|'.join(values.CLOSE_RESULTS)}.")
    ],
    note: Annotated[str | None, typer.Option("--note", help="A note for the report.")] = None,
    state: StateOpt = None,
    db: DbOpt = None,
    json_output: JsonOpt = False,
) -> int:
    """Record the outcome of a request and close it (SOP step 5)."""
    from netrawat.recap.requests import close_request, unknown_request

    values.choice(result, values.CLOSE_RESULTS, "result")  # checked before the recap opens
    if note:
        values.short_text(note, "note")
    with store_for(state, db, missing=unknown_request(number)) as store:
        request = close_request(store, number, result=result, note=note)
    if json_output:
        emit_json(request.to_json())
    err.print(f"closed request {escape(request.number)}: {request.result}")
    return ExitCode.OK


@plain_command
def show_cmd(
    number: NumberArg,
    *,
    lang: Annotated[str, typer.Option("--lang", help="id (default) or en.")] = "id",
    state: StateOpt = None,
    db: DbOpt = None,
    json_output: JsonOpt = False,
) -> int:
    """Show a request's timeline and its SOP steps against their targets."""
    lang = i18n.check_lang(lang)
    from netrawat.recap.requests import unknown_request
    from netrawat.recap.timeline import build_timeline, timeline_json

    with store_for(state, db, missing=unknown_request(number)) as store:
        timeline = build_timeline(store, number)
    if json_output:
        emit_json(timeline_json(timeline))
        return ExitCode.OK
    request = timeline.request
    err.print(
        f"[bold]{escape(request.number)}[/] — {request.opd} — "
        f"{i18n.label(lang, 'status', request.status)}"
        f"{', ' + i18n.label(lang, 'result', request.result) if request.result else ''}"
    )
    err.print(escape(request.summary))
    events = Table(*(i18n.text(lang, k) for k in ("when", "event", "operator", "detail")))
    for event in timeline.events:
        events.add_row(
            f"{event.at.astimezone(values.LOCAL_TZ):%Y-%m-%d %H:%M}",
            i18n.label(lang, "event", event.kind),
            event.operator or "-",
            escape(event.text),
        )
    show_table(err, events)
    steps = Table(*(i18n.text(lang, k) for k in ("step", "duration", "target", "overrun")))
    for step in timeline.steps:
        flag = "[red]!![/]" if step.overrun else "ok"
        steps.add_row(
            i18n.text(lang, f"step_{step.step.key}"),
            i18n.duration(lang, step.duration),
            i18n.duration(lang, step.target),
            flag + (f" ({i18n.text(lang, 'in_progress')})" if step.in_progress else ""),
        )
    show_table(err, steps)
    return ExitCode.OK


@plain_command
def list_cmd(
    *,
    opd: Annotated[str | None, typer.Option("--opd", help="Only this OPD.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="open or closed.")] = None,
    state: StateOpt = None,
    db: DbOpt = None,
    json_output: JsonOpt = False,
) -> int:
    """List requests, newest first."""
    chosen = values.choice(status, ("open", "closed"), "status") if status else None
    from netrawat.recap.requests import list_requests

    with store_for(state, db, reads_only=True) as store:
        found = list_requests(store, opd=opd, status=chosen)
    if json_output:
        emit_json([r.to_json() for r in found])
        return ExitCode.OK
    table = Table("number", "opd", "received (WIB)", "status", "result", "summary")
    for request in found:
        table.add_row(
            escape(request.number),
            request.opd,
            f"{request.received_at.astimezone(values.LOCAL_TZ):%Y-%m-%d %H:%M}",
            request.status,
            request.result or "-",
            escape(request.summary[:60]),
        )
    show_table(err, table)
    return ExitCode.OK


def register(app: typer.Typer) -> None:
    """Add `netrawat request ...`."""
    group = typer.Typer(
        help="OPD repair requests (letters): open, close, show, list.", no_args_is_help=True
    )
    group.command("open")(open_cmd)
    group.command("close")(close_cmd)
    group.command("show")(show_cmd)
    group.command("list")(list_cmd)
    app.add_typer(group, name="request")
