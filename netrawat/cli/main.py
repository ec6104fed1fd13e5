"""Entry point of the `netrawat` command.

Each capability lives in its own module `netrawat.cli.<name>` exposing
``register(app: typer.Typer) -> None``. A module is listed in `COMMAND_MODULES` only once its
capability works end to end: `netrawat --help` shows nothing that does not exist.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click import Context as TyperContext
from typer._click import exceptions as click_errors
from typer.core import TyperOption

from netrawat import __version__
from netrawat.cli.coercion import light_coercion
from netrawat.errors import NetrawatError
from netrawat.exitcodes import ExitCode
from netrawat.paths import TEMPLATES_ENV
from netrawat_lab.errors import LabError

HELP_OPTIONS = ("-h", "--help")

COMMAND_MODULES: tuple[str, ...] = (
    # in the order of the SOP: letter, survey, backup/diff, repair, recap; then the rest
    "request",
    "health",
    "backup",
    "diff",
    "audit",
    "repair",
    "drill",
    "recap",
    "preventive",
    "schedule",
    "inventory",
    "user",
    "serve",
    "lab",
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
        context_settings={"help_option_names": list(HELP_OPTIONS)},
    )

    @app.callback(invoke_without_command=True)
    def _root(
        version: Annotated[
            bool, typer.Option("--version", help="Show the version and exit.")
        ] = False,
        templates: Annotated[
            Path | None,
            typer.Option(
                "--templates",
                envvar=TEMPLATES_ENV,
                file_okay=False,
                exists=True,
                help="A site templates directory, searched before the built-in templates.",
            ),
        ] = None,
    ) -> None:
        if templates is not None:
            os.environ[TEMPLATES_ENV] = str(templates.resolve())
        if version:
            typer.echo(f"netrawat {__version__}")
            raise typer.Exit(0)

    for name in modules_for(argv):
        importlib.import_module(f"netrawat.cli.{name}").register(app)
    _one_line_summaries(app)
    return app


def _one_line_summaries(app: typer.Typer) -> None:
    """List each command in ``netrawat --help`` by the first sentence of its help, on one line
    (its full help stays on ``netrawat COMMAND --help``)."""
    for command in app.registered_commands:
        doc = command.help if isinstance(command.help, str) else None
        doc = doc or (command.callback.__doc__ if command.callback else None)
        if not command.short_help and doc:
            command.short_help = _first_sentence(doc)
    for group in app.registered_groups:
        instance = group.typer_instance
        doc = group.help if isinstance(group.help, str) else None
        if not doc and instance is not None and isinstance(instance.info.help, str):
            doc = instance.info.help
        if not isinstance(group.short_help, str) and doc:
            group.short_help = _first_sentence(doc)


def _first_sentence(doc: str) -> str:
    paragraph = " ".join(doc.strip().split("\n\n")[0].split())
    return paragraph.split(". ")[0].rstrip(".") + "."


def _tuned(command: Any) -> Any:
    """A flag takes no value: its help row shows no ``<bool>`` type (typer prints one); every
    option's value is checked by `light_coercion`."""
    context = TyperContext(command, help_option_names=list(HELP_OPTIONS))
    for param in [*command.params, command.get_help_option(context)]:  # help is made once
        if isinstance(param, TyperOption) and param.is_flag and not param.count:
            param.metavar = ""
        light_coercion(param)
    for sub in getattr(command, "commands", {}).values():
        _tuned(sub)
    return command


def cli_command(argv: list[str] | None = None) -> Any:
    """The click command `run` parses ``argv`` with: the typer application's, `_tuned`."""
    return _tuned(typer.main.get_command(build_app(argv)))


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return the process exit code (see `ExitCode`).

    Commands end with ``raise typer.Exit(code)`` (the `fleet_command` and `plain_command`
    decorators turn a returned int into that); usage errors exit 2; a `NetrawatError`
    becomes one line on stderr and its exit code.
    """
    args = sys.argv[1:] if argv is None else argv
    undecodable = next((arg for arg in args if _not_utf8(arg)), None)
    if undecodable is not None:  # it could be neither stored, nor printed, nor sent to a device
        _say(
            f"error: argument {undecodable!r} is not valid UTF-8 text (hint: retype it; check "
            "that the terminal's encoding (locale) is UTF-8)"
        )
        return ExitCode.BAD_INPUT
    command = cli_command(args)
    try:
        code = command.main(args=args, prog_name="netrawat", standalone_mode=False)
        if code == ExitCode.INTERRUPTED:  # typer turns Ctrl-C into Exit(130)
            _say(
                "interrupted (Ctrl-C): hosts not started are skipped, open sessions cut "
                "(a repair being applied finishes its step first)"
            )
        return code if isinstance(code, int) and code != 0 else ExitCode.OK  # typer.Exit(code)
    except click_errors.NoArgsIsHelpError as exc:  # `netrawat lab`: its help, exit 2
        from typer import rich_utils

        rich_utils.rich_format_error(exc)
        return ExitCode.BAD_INPUT
    except click_errors.ClickException as exc:
        _say(f"error: {_usage_line(exc)}")
        return ExitCode.BAD_INPUT
    except typer.Abort:  # a prompt met the end of its input (or Ctrl-D)
        typer.echo("error: aborted: no answer (hint: run it on a terminal)", err=True)
        return ExitCode.BAD_INPUT
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else ExitCode.BAD_INPUT
    except (NetrawatError, LabError) as exc:
        _say(f"error: {exc.one_line()}")
        return int(exc.exit_code)
    except KeyboardInterrupt:
        _say("interrupted (Ctrl-C)")
        return ExitCode.INTERRUPTED
    except Exception as exc:
        return _unexpected(exc)
    return ExitCode.OK


def _not_utf8(arg: str) -> bool:
    """Bytes of the command line that are not UTF-8 reach Python as lone surrogates."""
    return any("\udc80" <= ch <= "\udcff" for ch in arg)


MAX_ERROR_LINE = 1000
"""An error line longer than this is shortened in its middle (the hint is at its end)."""


def _say(line: str) -> None:
    """Write an error line to stderr; bytes of the command line that were not UTF-8 (lone
    surrogates) are shown escaped instead of failing to print."""
    if len(line) > MAX_ERROR_LINE:  # a pasted 100 kB value: keep the start and the hint
        half = MAX_ERROR_LINE // 2
        line = f"{line[:half]} [...] {line[-half:]}"
    typer.echo(line.encode("utf-8", "backslashreplace").decode("utf-8"), err=True)


def _usage_line(exc: click_errors.ClickException) -> str:
    """A usage error (missing or invalid option, unknown command) as one line with a hint
    naming the command's help (instead of click's framed box of five lines)."""
    message = " ".join(exc.format_message().replace("Value error, ", "").split()).rstrip(".")
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else "netrawat"
    return f"{message} (hint: see `{where} -h`)"


PATH_ERRNOS = frozenset({errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG, errno.ELOOP})
"""OSError numbers that mean a path given on the command line cannot be what it should be
(``--dir FILE/sub``, ``--output DIR``): bad input (exit 2), not a bug."""


def _unexpected(exc: Exception) -> int:
    """What escaped every handler: an unusable state (a full disk, a read-only or damaged
    file, a database error) is exit 3 with a hint; anything else is a bug, exit 4, its
    traceback in the run log (or a crash file) and one line naming it."""
    from netrawat.state import UNUSABLE_ERRNOS, unusable

    if isinstance(exc, OSError) and exc.errno in PATH_ERRNOS:
        _say(
            f"error: cannot use {exc.filename or 'a path'}: {exc.strerror} (hint: check the "
            "paths given on the command line: a file where a directory is expected, or one "
            "too long?)"
        )
        return ExitCode.BAD_INPUT
    if isinstance(exc, OSError) and exc.errno in UNUSABLE_ERRNOS:
        error = unusable(exc, "a file of the state directory")
        _say(f"error: {error.one_line()}")
        return int(error.exit_code)
    if type(exc).__module__.startswith("sqlalchemy"):
        typer.echo(
            f"error: the recap database failed: {' '.join(str(exc).split())[:300]} "
            "(hint: check it is reachable and writable; a damaged recap.sqlite is moved aside "
            "with mv recap.sqlite recap.sqlite.damaged)",
            err=True,
        )
        return ExitCode.CANNOT_RUN
    return _internal_error(exc)


def _internal_error(exc: Exception) -> int:
    import traceback

    from netrawat.runlog import write_crash

    text = "".join(traceback.format_exception(exc))
    try:
        where = f"the traceback is in {write_crash(text)}"
    except OSError as failed:
        where = f"no log could be written ({failed.strerror})"
    summary = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
    typer.echo(
        f"error: internal error: {summary} (hint: this is a bug in netrawat; {where}; "
        f"please report it with that file)",
        err=True,
    )
    return ExitCode.INTERNAL_ERROR


def main() -> None:
    """Console-script entry point."""
    code = run()
    if code == ExitCode.INTERRUPTED:
        _end_interrupted(code)
    sys.exit(code)


def _end_interrupted(code: int) -> None:
    """Ctrl-C, once the run is wound up (recap *interrupted*, lock freed, sessions cut): a
    worker thread still blocked on a device (logging in, waiting for a reply) is not waited
    for, as the interpreter would, up to the device's timeouts; the process ends now and
    the kernel closes those sockets. Only when such a thread is left."""
    import threading

    left = [t for t in threading.enumerate() if t.is_alive() and not t.daemon]
    if left == [threading.main_thread()]:
        return
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    logging.shutdown()
    os._exit(code)
