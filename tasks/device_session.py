"""A health collection's session with its device: the first connection, and fresh ones.

The first `get_connection` is the login: if it raises, no session could be made and the
task fails (the host is unreachable, or its host key was refused). Later reconnections,
after a section left the session unusable, belong to the collection (`Session.recover`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from nornir.core.task import Task

from netrawat.health.collect_common import Session

Source = TypeVar("Source")


def drop_connection(task: Task, connection: str) -> None:
    """Close ``connection`` of the host; a broken one that fails to close is dropped."""
    if connection not in task.host.connections:
        return
    try:
        task.host.close_connection(connection)
    except Exception:  # a hung or dropped session may fail to close: it is gone anyway
        task.host.connections.pop(connection, None)


def device_session(task: Task, connection: str, wrap: Callable[[Any], Source]) -> Session[Source]:
    """Log in now (raising when no session can be made) and return the `Session` the
    sections share; ``wrap`` turns a Nornir connection into the collection's source."""

    def opener() -> Source:
        return wrap(task.host.get_connection(connection, task.nornir.config))

    return Session(opener, lambda: drop_connection(task, connection), current=opener())
