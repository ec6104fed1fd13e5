"""Names of a package that load their module on first use (PEP 562), so that importing a light
submodule does not import the package's heavy parts (SQLAlchemy, Jinja2, openpyxl)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_attributes(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: each name of ``homes`` is read from the module
    it names the first time it is asked for.

    >>> getattr_ = lazy_attributes("pkg", {"dumps": "json"})
    >>> getattr_("dumps").__module__
    'json'
    """

    def __getattr__(name: str) -> Any:
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(homes[name]), name)

    return __getattr__
