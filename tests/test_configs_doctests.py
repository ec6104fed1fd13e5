"""The docstring examples of the backup modules run as tests (netutils' habit)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "netrawat.configs.normalize",
    "netrawat.configs.pipeline",
    "netrawat.configs.sanitize",
    "netrawat.configs.secretscan",
    "netrawat.playbooks.backup",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
