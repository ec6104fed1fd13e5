"""`netrawat user add|list|remove|passwd`: the people who log in to the web console and API.

The password is read from standard input (asked twice, hidden, on a terminal; the first line
otherwise, without its line ending, ``\\r\\n`` too, e.g.
``printf '%s\\n' "$PW" | netrawat user add budi --role engineer``) and stored
as an argon2 hash in the recap database. Weak or empty passwords are refused (exit code 2).
"""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from netrawat.cli.options import plain_command
from netrawat.cli.recap_common import DbOpt, JsonOpt, StateOpt, emit_json, err, store_for
from netrawat.console import show_table
from netrawat.errors import InputError
from netrawat.exitcodes import ExitCode

NameArg = Annotated[str, typer.Argument(help="The user name (lowercase), e.g. budi.")]
ROLE_NAMES = "viewer|engineer|admin"


def read_password(prompt: str = "password") -> str:
    """The new password: asked twice without echo on a terminal, else stdin's first line
    without its line ending (one trailing ``\\r\\n``, ``\\n`` or ``\\r``: a line from a
    Windows editor or ``clip.exe`` must not keep an invisible ``\\r`` in the password)."""
    if sys.stdin.isatty():
        first = getpass.getpass(f"{prompt}: ")
        second = getpass.getpass(f"{prompt} (again): ")
        if first != second:
            raise InputError("the two passwords differ", "type the same password twice")
        return first
    line = sys.stdin.readline()
    for ending in ("\r\n", "\n", "\r"):
        if line.endswith(ending):
            return line[: -len(ending)]
    return line


def _operator() -> str:
    from netrawat.recap.operators import current_operator

    return current_operator()


def _audit(store: object, action: str, target: str, detail: dict[str, str] | None = None) -> None:
    from netrawat.accounts.audit import record
    from netrawat.recap.store import RecapStore

    assert isinstance(store, RecapStore)
    record(store, username=_operator(), action=action, target=target, via="cli", detail=detail)


@plain_command
def add_cmd(
    name: NameArg,
    *,
    role: Annotated[str, typer.Option("--role", help=f"{ROLE_NAMES}.")],
    state: StateOpt = None,
    db: DbOpt = None,
) -> int:
    """Create a user; the password comes from standard input."""
    from netrawat.accounts.users import add_user, check_name, check_role

    check_name(name)
    check_role(role)
    password = read_password()
    with store_for(state, db) as store:
        user = add_user(store, name, role, password, by=_operator())
        _audit(store, "user.add", name, {"role": role})
    err.print(f"added user {escape(user.name)} ({user.role})")
    return ExitCode.OK


@plain_command
def passwd_cmd(name: NameArg, *, state: StateOpt = None, db: DbOpt = None) -> int:
    """Set a user's new password (from standard input); their sessions and tokens end."""
    from netrawat.accounts.users import check_name, set_password, unknown_user

    check_name(name)
    password = read_password("new password")
    with store_for(state, db, missing=unknown_user(name)) as store:
        set_password(store, name, password)
        _audit(store, "user.passwd", name)
    err.print(f"password of {escape(name)} changed; its sessions and API tokens ended")
    return ExitCode.OK


@plain_command
def remove_cmd(name: NameArg, *, state: StateOpt = None, db: DbOpt = None) -> int:
    """Delete a user (its sessions and tokens end; its audit entries stay)."""
    from netrawat.accounts.users import remove_user, unknown_user

    with store_for(state, db, missing=unknown_user(name)) as store:
        remove_user(store, name)
        _audit(store, "user.remove", name)
    err.print(f"removed user {escape(name)}")
    return ExitCode.OK


@plain_command
def list_cmd(*, state: StateOpt = None, db: DbOpt = None, json_output: JsonOpt = False) -> int:
    """List the users and their roles."""
    from netrawat.accounts.users import list_users

    with store_for(state, db, reads_only=True) as store:
        users = list_users(store)
    if json_output:
        emit_json(
            [
                {
                    "name": u.name,
                    "role": u.role,
                    "created_at": u.created_at.isoformat(),
                    "created_by": u.created_by,
                    "password_changed_at": u.password_changed_at.isoformat(),
                }
                for u in users
            ]
        )
        return ExitCode.OK
    table = Table("name", "role", "created (UTC)", "by", "password changed (UTC)")
    for u in users:
        table.add_row(
            escape(u.name),
            u.role,
            f"{u.created_at:%Y-%m-%d %H:%M}",
            escape(u.created_by),
            f"{u.password_changed_at:%Y-%m-%d %H:%M}",
        )
    if not users:
        err.print("no users yet: netrawat user add NAME --role admin")
        return ExitCode.OK
    show_table(err, table)
    return ExitCode.OK


def register(app: typer.Typer) -> None:
    """Add `netrawat user ...`."""
    group = typer.Typer(
        help="Users of the web console and API: add, list, remove, passwd.", no_args_is_help=True
    )
    group.command("add")(add_cmd)
    group.command("list")(list_cmd)
    group.command("remove")(remove_cmd)
    group.command("passwd")(passwd_cmd)
    app.add_typer(group, name="user")
