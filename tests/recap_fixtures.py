"""Helpers for the recap tests: a fresh state directory and store, a throwaway PostgreSQL.

Test modules import the fixtures by their function names (``state_fixture``...); pytest
knows them by their short names (``state``, ``store``, ``postgres_url``).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from netrawat.recap import RecapStore, open_store
from netrawat.state import StateDir

NUMBER = "045/112/Diskes/XI/2026"


@pytest.fixture(name="state")
def state_fixture(tmp_path: Path) -> StateDir:
    return StateDir.resolve(tmp_path / "state")


@pytest.fixture(name="store")
def store_fixture(state: StateDir) -> Iterator[RecapStore]:
    opened = open_store(state)
    yield opened
    opened.close()


def _pg_bindir() -> Path | None:
    found = shutil.which("pg_config")
    if found:
        out = subprocess.run([found, "--bindir"], capture_output=True, text=True, check=False)
        candidate = Path(out.stdout.strip())
        if (candidate / "initdb").exists():
            return candidate
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return versions[-1].parent if versions else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session", name="postgres_url")
def postgres_url_fixture() -> Iterator[str]:
    """A PostgreSQL server of our own: initdb + pg_ctl in a temp dir, loopback port."""
    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries absent (apt-get install postgresql)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg absent (pip install 'netrawat[postgres]')")
    run_as: dict[str, object] = {}
    if os.geteuid() == 0:  # initdb refuses root: run the server as the postgres user
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and no 'postgres' user to run the server")
        run_as = {"user": account.pw_uid, "group": account.pw_gid}
    base = Path(tempfile.mkdtemp(prefix="netrawat-pg-"))
    if run_as:
        os.chown(base, int(str(run_as["user"])), int(str(run_as["group"])))
    data, port = base / "data", _free_port()
    subprocess.run(
        [bindir / "initdb", "-D", data, "-U", "netrawat", "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
        **run_as,  # type: ignore[call-overload]
    )
    options = f"-h 127.0.0.1 -p {port} -k {base} -c fsync=off"
    subprocess.run(
        [bindir / "pg_ctl", "-D", data, "-o", options, "-l", base / "log", "-w", "start"],
        check=True,
        capture_output=True,
        **run_as,  # type: ignore[call-overload]
    )
    try:
        yield f"postgresql://netrawat@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"],
            check=False,
            capture_output=True,
            **run_as,  # type: ignore[call-overload]
        )
        shutil.rmtree(base, ignore_errors=True)
