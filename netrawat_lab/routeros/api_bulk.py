"""The ``hang`` and ``truncate`` session faults on RouterOS API sessions.

Over SSH they cut bulk output (``/export``); over the API the bulk replies are prints of
``/file`` (an export read back with its ``contents``, as librouteros/napalm-ros do) and of
``/log``. Such a reply stops after `CUT_FRACTION` of its bytes, mid-sentence: ``truncate``
then drops the connection; ``hang`` keeps it open and answers nothing more (the input is
read and ignored until the client gives up), so the client waits for a ``!done`` that never
comes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from netrawat_lab.terminal import CUT_FRACTION

BULK_MENUS = ("/file", "/log")
FaultCheck = Callable[[str], bool]


def bulk_fault(path: str, has_fault: FaultCheck | None) -> str | None:
    """``"hang"``/``"truncate"`` if a print of ``path`` is to be cut now, else None.

    >>> bulk_fault("/file", {"hang"}.__contains__), bulk_fault("/ip/address", lambda n: True)
    ('hang', None)
    """
    if has_fault is None or not path.startswith(BULK_MENUS):
        return None
    for name in ("truncate", "hang"):
        if has_fault(name):
            return name
    return None


async def send_cut(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    sentences: Sequence[bytes],
    fault: str,
) -> None:
    """Send the first part of a reply, then drop (``truncate``) or go quiet (``hang``) until
    the client leaves; always ends with `ConnectionError` (the session is over)."""
    data = b"".join(sentences)
    writer.write(data[: int(len(data) * CUT_FRACTION)])
    await writer.drain()
    if fault == "truncate":
        writer.transport.abort()
        raise ConnectionError("truncate fault: connection dropped")
    while await reader.read(65536):
        pass
    raise ConnectionError("hang fault: the client gave up")
