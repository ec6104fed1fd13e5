"""Options every fleet subcommand takes after its name, declared once.

Usage in a command module::

    @fleet_command
    def backup(fleet: FleetOptions, request: RequestOpt = None) -> int:
        with open_fleet(fleet.spec) as opened:
            result = opened.nornir.run(task=...)

`fleet_command` appends the common options (`--inventory`, `--state`, `--secrets`,
`--workers`, `--processes`, `--host`, `--opd`, `--role`, `--platform`, `--group`,
`--trust-new-hosts`, `--json`) to the command's signature and hands them to it as one
`FleetOptions` value;
`netrawat.fleet.open_fleet(fleet.spec)` turns that into the selected, validated Nornir fleet.
"""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from netrawat.fleetspec import FleetSpec, Selection
from netrawat.paths import RECAP_DB_ENV, default_state_dir
from netrawat.platforms import PLATFORMS, ROLES
from netrawat.state import parse_state_option


@dataclass(frozen=True)
class FleetOptions:
    """The common options of a fleet subcommand: the fleet spec handed to the playbook, and
    the output choice that stays with the CLI."""

    spec: FleetSpec
    json: bool = False
    request: str | None = None
    open_request: bool = False

    @property
    def selection(self) -> Selection:
        return self.spec.selection

    def refuse_unknown_request(self) -> None:
        """``--request NO`` (without ``--open``) on a state directory without a recap database
        cannot name a registered request: refused before the fleet opens (which would create
        the state directory). Called by the command after its own usage checks."""
        if self.request is None or self.open_request or os.environ.get(RECAP_DB_ENV):
            return
        state = (self.spec.state or default_state_dir()).expanduser().resolve()
        if not (state / "recap.sqlite").exists():
            from netrawat.recap.requests import unknown_request

            raise unknown_request(self.request)


_COMMON: list[inspect.Parameter] = [
    inspect.Parameter(
        "inventory",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            Path | None,
            typer.Option(
                "--inventory",
                metavar="DIR",
                envvar="NETRAWAT_INVENTORY",
                help="Inventory directory (hosts.yaml, groups.yaml, defaults.yaml).",
                rich_help_panel="Fleet",
            ),
        ],
    ),
    inspect.Parameter(
        "state",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            Path | None,
            typer.Option(
                "--state",
                metavar="DIR",
                envvar="NETRAWAT_STATE",
                parser=parse_state_option,
                help="State directory: config repository, recap database, known_hosts, logs.",
                rich_help_panel="Fleet",
            ),
        ],
    ),
    inspect.Parameter(
        "secrets",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            Path | None,
            typer.Option(
                "--secrets",
                metavar="FILE",
                envvar="NETRAWAT_SECRETS",
                help="Secrets file with device credentials (kept outside git, mode 0600).",
                rich_help_panel="Fleet",
            ),
        ],
    ),
    inspect.Parameter(
        "workers",
        inspect.Parameter.KEYWORD_ONLY,
        default=20,
        annotation=Annotated[
            int,
            typer.Option(
                "--workers",
                metavar="N",
                min=1,
                max=500,
                help="Devices worked on in parallel.",
                rich_help_panel="Fleet",
            ),
        ],
    ),
    inspect.Parameter(
        "processes",
        inspect.Parameter.KEYWORD_ONLY,
        default=0,
        annotation=Annotated[
            int,
            typer.Option(
                "--processes",
                metavar="N",
                min=0,
                max=64,
                help="Worker processes the hosts are split over, each running its share of "
                "--workers (0: one per 500 hosts, at most half the cores).",
                rich_help_panel="Fleet",
            ),
        ],
    ),
    inspect.Parameter(
        "host",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            list[str] | None,
            typer.Option(
                "--host",
                metavar="NAME",
                help="Only this host (repeatable; shell patterns such as 'AP-RSUD-*').",
                rich_help_panel="Filters",
            ),
        ],
    ),
    inspect.Parameter(
        "opd",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            list[str] | None,
            typer.Option(
                "--opd",
                metavar="CODE",
                help="Only this OPD, by short code (repeatable).",
                rich_help_panel="Filters",
            ),
        ],
    ),
    inspect.Parameter(
        "role",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            list[str] | None,
            typer.Option(
                "--role",
                metavar="ROLE",
                help=f"Only this role: {' or '.join(ROLES)} (repeatable).",
                rich_help_panel="Filters",
            ),
        ],
    ),
    inspect.Parameter(
        "platform",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            list[str] | None,
            typer.Option(
                "--platform",
                metavar="PLATFORM",
                help=f"Only this platform: {' or '.join(sorted(PLATFORMS))}.",
                rich_help_panel="Filters",
            ),
        ],
    ),
    inspect.Parameter(
        "group",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            list[str] | None,
            typer.Option(
                "--group",
                metavar="GROUP",
                help="Only members of this inventory group (repeatable).",
                rich_help_panel="Filters",
            ),
        ],
    ),
    inspect.Parameter(
        "trust_new_hosts",
        inspect.Parameter.KEYWORD_ONLY,
        default=False,
        annotation=Annotated[
            bool,
            typer.Option(
                "--trust-new-hosts",
                help="Pin the SSH host key of hosts seen for the first time (never a changed one).",
                rich_help_panel="Fleet",
            ),
        ],
    ),
    inspect.Parameter(
        "json_output",
        inspect.Parameter.KEYWORD_ONLY,
        default=False,
        annotation=Annotated[
            bool,
            typer.Option(
                "--json", help="Machine-readable JSON on stdout.", rich_help_panel="Output"
            ),
        ],
    ),
]
_COMMON_NAMES = {p.name for p in _COMMON}


def _tuple(values: list[str] | None) -> tuple[str, ...]:
    return tuple(values or ())


def fleet_command(func: Callable[..., int]) -> Callable[..., NoReturn]:
    """Give a command the common fleet options, passed to it as `fleet: FleetOptions`."""
    own = [
        p for p in inspect.signature(func, eval_str=True).parameters.values() if p.name != "fleet"
    ]

    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> NoReturn:
        common = {name: kwargs.pop(name) for name in _COMMON_NAMES}
        selection = Selection(
            hosts=_tuple(common["host"]),
            opds=_tuple(common["opd"]),
            roles=_tuple(common["role"]),
            platforms=_tuple(common["platform"]),
            groups=_tuple(common["group"]),
        )
        spec = FleetSpec(
            inventory=common["inventory"],
            state=common["state"],
            secrets=common["secrets"],
            workers=common["workers"],
            processes=common["processes"],
            selection=selection,
            trust_new_hosts=common["trust_new_hosts"],
        )
        fleet = FleetOptions(
            spec,
            json=common["json_output"],
            request=kwargs.get("request"),
            open_request=bool(kwargs.get("open_request")),
        )
        raise typer.Exit(int(func(fleet=fleet, **kwargs) or 0))

    wrapper.__signature__ = inspect.Signature(own + _COMMON)  # type: ignore[attr-defined]
    return wrapper


def plain_command(func: Callable[..., int]) -> Callable[..., NoReturn]:
    """Turn a command's returned exit code into ``typer.Exit`` (for commands without a fleet)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> NoReturn:
        raise typer.Exit(int(func(*args, **kwargs) or 0))

    return wrapper
