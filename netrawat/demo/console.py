"""The demo's last words: how to open the web console on the demo's state, with a throwaway
user made for it (its password printed: it guards nothing but this demo directory)."""

from __future__ import annotations

import secrets
from pathlib import Path

from rich.console import Console

from netrawat.errors import NetrawatError

USER = "demo"


def offer_console(root: Path, state: Path, console: Console) -> None:
    """Create (or renew) the ``demo`` engineer and print how to serve the console."""
    try:
        from netrawat.accounts.users import add_user, list_users, set_password
        from netrawat.recap.store import open_store
    except ImportError:
        console.print(
            "web console: install the web extra to look at this state in a browser "
            "(pip install 'netrawat[web]'; in a checkout: make venv)",
            soft_wrap=True,
        )
        return
    password = secrets.token_urlsafe(12)
    try:
        store = open_store(None, f"sqlite:///{state / 'recap.sqlite'}")
        try:
            if USER in {u.name for u in list_users(store)}:
                set_password(store, USER, password)
            else:
                add_user(store, USER, "engineer", password, by="netrawat demo")
        finally:
            store.close()
    except NetrawatError as exc:
        console.print(f"web console: no demo user ({exc.one_line()})", soft_wrap=True)
        return
    console.print(
        "\n[bold]The web console on this demo's state[/] (dashboard, devices, runs, report book):\n"
        f"  netrawat serve --state {root}/state --inventory {root}/lab --listen 127.0.0.1:8080\n"
        f"  then open http://127.0.0.1:8080/ and log in as [bold]{USER}[/] with password "
        f"[bold]{password}[/] (a throwaway engineer of this demo; the lab is stopped, so "
        f"runs started there need `netrawat lab up --dir {root}/lab` first)",
        soft_wrap=True,
        highlight=False,
    )
