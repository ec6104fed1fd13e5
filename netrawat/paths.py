"""Where netrawat finds its own files and, by default, the user's.

The package owns what it runs: the built-in templates (``netrawat.templates``, the checkout's
``templates/``) and the example inventory (``netrawat.example_inventory``, the checkout's
``inventory/``) are package data, found with `importlib.resources` in a wheel as in a checkout.
A site's own templates directory (``--templates DIR`` / ``$NETRAWAT_TEMPLATES``) is searched
first, per platform and template name, then the built-in one (as NAPALM's ``template_path``).
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path


def _package_dir(package: str) -> Path:
    """The directory of a package shipped as plain files (a wheel is installed unzipped)."""
    return Path(str(files(package)))


BUILTIN_TEMPLATES = _package_dir("netrawat.templates")
"""The templates netrawat ships: ``<platform>/{intended,repair}/``, ``textfsm/<platform>/``."""

EXAMPLE_INVENTORY = _package_dir("netrawat.example_inventory")
"""The example OPD inventory netrawat ships (the lab's default fleet mirrors it)."""

TEMPLATES_ENV = "NETRAWAT_TEMPLATES"
"""The environment variable naming a site's own templates directory (searched first)."""

RECAP_DB_ENV = "NETRAWAT_RECAP_DB"
"""The environment variable naming the recap database URL (else SQLite in the state dir)."""


def template_roots() -> tuple[Path, ...]:
    """The template directories in search order: the site's (if set), then the built-in."""
    site = os.environ.get(TEMPLATES_ENV, "").strip()
    if site and Path(site).resolve() != BUILTIN_TEMPLATES.resolve():
        return (Path(site), BUILTIN_TEMPLATES)
    return (BUILTIN_TEMPLATES,)


def find_template_file(*parts: str, roots: tuple[Path, ...] | None = None) -> Path | None:
    """The first ``root/<parts...>`` that exists, searching ``roots`` (default
    `template_roots`), or None."""
    for root in roots or template_roots():
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    return None


def default_state_dir() -> Path:
    """``$NETRAWAT_STATE``, else ``$XDG_STATE_HOME/netrawat``, else ``~/.local/state/netrawat``."""
    env = os.environ.get("NETRAWAT_STATE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_STATE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "state"
    return base / "netrawat"
