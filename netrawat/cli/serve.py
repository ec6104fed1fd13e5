"""`netrawat serve`: the web console and REST API on the same state, recap database, config
repository and inventory as the CLI (same options and environment variables).

It starts the worker process that runs the playbooks the console and API ask for
(`netrawat.web.worker`), then serves HTTP with uvicorn until Ctrl-C / SIGTERM.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from netrawat.cli.options import plain_command
from netrawat.cli.recap_common import DbOpt, StateOpt, err
from netrawat.errors import CannotRunError, InputError
from netrawat.exitcodes import ExitCode
from netrawat.paths import RECAP_DB_ENV
from netrawat.state import StateDir

WEB_LIBRARIES = ("fastapi", "uvicorn", "argon2", "multipart")
INSTALL_HINT = "install the web extra: pip install 'netrawat[web]' (in a checkout: make venv)"


def parse_listen(listen: str) -> tuple[str, int]:
    """``HOST:PORT`` (IPv6 as ``[::1]:8080``) into its parts."""
    host, sep, port = listen.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InputError(f"--listen {listen!r} is not HOST:PORT", "e.g. --listen 127.0.0.1:8080")
    return host, int(port)


def check_libraries() -> None:
    missing = [name for name in WEB_LIBRARIES if importlib.util.find_spec(name) is None]
    if missing:
        raise CannotRunError(f"the web console needs {', '.join(missing)}", INSTALL_HINT)


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """The worker process, told to stop when this process ends."""
    return subprocess.Popen(
        [sys.executable, "-m", "netrawat.web.worker"],
        env={**env, "NETRAWAT_WORKER_PARENT": str(os.getpid())},
        stdin=subprocess.DEVNULL,
    )


def check_free(host: str, port: int) -> None:
    """Refuse an address another program listens on before anything starts (uvicorn would
    print its own error lines after the console's banner and the worker)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CannotRunError(
                f"cannot listen on {host}:{port}: {exc.strerror}",
                "choose another --listen (an address of this machine, a free port)",
            ) from None


@plain_command
def serve(
    *,
    listen: Annotated[
        str, typer.Option("--listen", help="Address and port to serve on (HOST:PORT).")
    ] = "127.0.0.1:8080",
    inventory: Annotated[
        Path | None,
        typer.Option("--inventory", envvar="NETRAWAT_INVENTORY", help="Inventory directory."),
    ] = None,
    secrets: Annotated[
        Path | None,
        typer.Option("--secrets", envvar="NETRAWAT_SECRETS", help="Secrets file of the runs."),
    ] = None,
    state: StateOpt = None,
    db: DbOpt = None,
    idle_minutes: Annotated[
        int,
        typer.Option(
            "--idle-timeout",
            min=1,
            max=24 * 60,
            help="Minutes before an idle console session ends.",
        ),
    ] = 30,
    worker: Annotated[
        bool, typer.Option("--worker/--no-worker", help="Start the worker that runs playbooks.")
    ] = True,
    systemd_unit: Annotated[
        bool,
        typer.Option(
            "--systemd-unit", help="Print a systemd unit running this command as a service."
        ),
    ] = False,
) -> int:
    """Serve the web console and the REST API (/api/v1); log in as a user of `netrawat user`."""
    host, port = parse_listen(listen)
    if systemd_unit:
        from netrawat.fleet import DEFAULT_INVENTORY
        from netrawat.schedule.command import RunPaths
        from netrawat.web.unit import render_unit

        paths = RunPaths.checked(inventory or DEFAULT_INVENTORY, state, secrets)
        typer.echo(render_unit(paths, listen, db), nl=False)
        return ExitCode.OK
    check_libraries()
    check_free(host, port)
    import uvicorn

    from netrawat.fleet import DEFAULT_INVENTORY
    from netrawat.web.app import create_app
    from netrawat.web.settings import WebSettings

    resolved = StateDir.resolve(state)
    inventory_dir = (inventory or DEFAULT_INVENTORY).expanduser().resolve()
    settings = WebSettings(
        state=resolved,
        inventory=inventory_dir,
        secrets=secrets,
        db_url=db,
        idle_timeout=timedelta(minutes=idle_minutes),
    )
    app = create_app(settings)
    env = {
        **os.environ,
        "NETRAWAT_STATE": str(resolved.root),
        "NETRAWAT_INVENTORY": str(inventory_dir),
    }
    if secrets:
        env["NETRAWAT_SECRETS"] = str(secrets.expanduser().resolve())
    if db:
        env[RECAP_DB_ENV] = db
    child = start_worker(env) if worker else None
    err.print(f"netrawat console on http://{listen}/ (API: http://{listen}/api/v1/openapi.json)")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)
    finally:
        if child is not None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
    return ExitCode.OK


def register(app: typer.Typer) -> None:
    """Add the `serve` command."""
    app.command(name="serve")(serve)
