"""Options shared by `netrawat request` and `netrawat recap` (not fleet commands).

Light at import: the recap store (SQLAlchemy) loads only when a command opens it.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from netrawat.errors import InputError, NetrawatError
from netrawat.paths import RECAP_DB_ENV, default_state_dir
from netrawat.recap.location import plain_sqlite_path
from netrawat.recap.values import RequestNumber, request_number
from netrawat.state import StateDir, parse_state_option

if TYPE_CHECKING:
    from rich.console import Console

    from netrawat.recap.store import RecapStore

    err: Console

StateOpt = Annotated[
    Path | None,
    typer.Option(
        "--state",
        envvar="NETRAWAT_STATE",
        parser=parse_state_option,
        help="State directory (holds recap.sqlite by default).",
    ),
]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar=RECAP_DB_ENV,
        help="Recap database URL instead of the state's SQLite, e.g. postgresql://u@host/netrawat.",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON on stdout.")]

# For fleet commands (backup, health, diff, repair) that attach their run to a request:
#     def health(fleet: FleetOptions, request: RequestOpt = None, open_request: OpenRequestOpt
#                = False) -> int:
#         with start_run(state, playbook="health", request=request, open_request=open_request,
#                        opds=..., options=...) as run: ...
RequestOpt = Annotated[
    RequestNumber | None,
    typer.Option(
        "--request",
        parser=request_number,  # checked once, here: a bad number exits 2 before anything runs
        metavar="NO",
        help="The OPD's request (letter) number this run works on, e.g. 045/112/Diskes/XI/2026.",
        rich_help_panel="Recap",
    ),
]
OpenRequestOpt = Annotated[
    bool,
    typer.Option(
        "--open",
        help="Register the --request number first if it is not known yet.",
        rich_help_panel="Recap",
    ),
]


def __getattr__(name: str) -> Any:
    """`err`, the stderr console of the recap commands, made on first use: a fleet command
    that imports this module for its --request option loads no rich."""
    if name != "err":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from netrawat.console import err_console

    console = globals()["err"] = err_console(highlight=False)
    return console


@contextmanager
def store_for(
    state: Path | None,
    db: str | None,
    *,
    missing: NetrawatError | None = None,
    reads_only: bool = False,
) -> Iterator[RecapStore]:
    """The recap database of the state directory (or ``--db``), closed after the block.

    With ``missing``: a command that only reads or changes what is already recorded raises
    it when the state directory has no recap database yet, instead of creating one (nothing
    is written to the state on bad input). Such a command, and one that ``reads_only``, given
    a SQLite file by ``--db`` or ``$NETRAWAT_RECAP_DB`` that does not exist refuses it (a
    mistyped path would otherwise read as an empty report book, and leave an empty file)."""
    from netrawat.recap.store import open_store

    if missing is not None or reads_only:
        _require_named_file(db or os.environ.get(RECAP_DB_ENV))
    if missing is not None and db is None:
        root = (state or default_state_dir()).expanduser().resolve()
        if not (root / "recap.sqlite").exists():
            raise missing

    store = open_store(None if db else StateDir.resolve(state), db)
    try:
        yield store
    finally:
        store.close()


def _require_named_file(url: str | None) -> None:
    """A ``sqlite:///PATH`` recap named by the user must exist for a command that reads."""
    path = plain_sqlite_path(url) if url else None  # as SQLAlchemy would read it
    if path and not Path(path).exists():
        raise InputError(
            f"recap database {path}: no such file",
            f"check --db / ${RECAP_DB_ENV}; the first run that records creates it",
        )


def emit_json(data: Any) -> None:
    """Write JSON to stdout."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
