"""Entry point of the `netrawat` command.

Each capability lives in its own module `netrawat.cli.<name>` exposing
``register(app: typer.Typer) -> None``. A module is listed in `COMMAND_MODULES` only once its
capability works end to end: `netrawat --help` shows nothing that does not exist.
"""

from __future__ import annotations

import importlib
import sys

import typer

from netrawat import __version__
from netrawat.errors import NetrawatError
from netrawat.exitcodes import ExitCode

COMMAND_MODULES: tuple[str, ...] = (
    "inventory",
    "request",
    "recap",
    "lab",
    "backup",
    "health",
    "diff",
    "repair",
    "preventive",
    "schedule",
    "demo",
)


def modules_for(argv: list[str] | None) -> tuple[str, ...]:
    """The command modules to load for ``argv``: only the named command's module when it has
    one (``netrawat backup ...`` starts in half the time: no diff engine, no report
    renderers), else all of them (``--help``, or a command a module registers under
    another name)."""
    first = next((word for word in argv or [] if not word.startswith("-")), None)
    return (first,) if first in COMMAND_MODULES else COMMAND_MODULES


def build_app(argv: list[str] | None = None) -> typer.Typer:
    """The typer application with every working capability registered (with ``argv``: the
    ones `modules_for` it needs)."""
    app = typer.Typer(
        name="netrawat",
        help=(
            "Network maintenance for the OPD fleet of Diskominfo Kota Pontianak "
            "(SOP Pemeliharaan Komponen Jaringan)."
        ),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback(invoke_without_command=True)
    def _root(
        version: bool = typer.Option(False, "--version", help="Show the version and exit."),
    ) -> None:
        if version:
            typer.echo(f"netrawat {__version__}")
            raise typer.Exit(0)

    for name in modules_for(argv):
        importlib.import_module(f"netrawat.cli.{name}").register(app)
    return app


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return the process exit code (see `ExitCode`).

    Commands end with ``raise typer.Exit(code)`` (the `fleet_command` and `plain_command`
    decorators turn a returned int into that); usage errors exit 2; a `NetrawatError`
    becomes one line on stderr and its exit code.
    """
    args = sys.argv[1:] if argv is None else argv
    app = build_app(args)
    try:
        app(args=args, prog_name="netrawat")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else ExitCode.BAD_INPUT
    except NetrawatError as exc:
        typer.echo(f"error: {exc.one_line()}", err=True)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        return ExitCode.CANNOT_RUN
    return ExitCode.OK


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
