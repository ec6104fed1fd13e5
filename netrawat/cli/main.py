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


def build_app() -> typer.Typer:
    """The typer application with every working capability registered."""
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

    for name in COMMAND_MODULES:
        importlib.import_module(f"netrawat.cli.{name}").register(app)
    return app


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return the process exit code (see `ExitCode`).

    Commands end with ``raise typer.Exit(code)`` (the `fleet_command` and `plain_command`
    decorators turn a returned int into that); usage errors exit 2; a `NetrawatError`
    becomes one line on stderr and its exit code.
    """
    app = build_app()
    try:
        app(args=sys.argv[1:] if argv is None else argv, prog_name="netrawat")
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
