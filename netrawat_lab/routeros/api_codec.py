"""The RouterOS API wire format: length-prefixed words grouped into sentences.

A *word* is its byte length, encoded in 1 to 5 bytes, followed by the bytes. A *sentence* is
a run of words ended by an empty word (a single ``0x00`` byte). Length encoding, big-endian:

=====================  =====  ===========================
length                 bytes  first byte / encoding
=====================  =====  ===========================
``0x00-0x7F``          1      the length itself
``0x80-0x3FFF``        2      ``length | 0x8000``
``0x4000-0x1FFFFF``    3      ``length | 0xC00000``
``0x200000-0xFFFFFFF`` 4      ``length | 0xE0000000``
``>= 0x10000000``      5      ``0xF0`` then 4 length bytes
=====================  =====  ===========================

A first byte ``>= 0xF8`` is a reserved control byte (the router treats it as a broken stream).

>>> encode_length(0x7F), encode_length(0x80)
(b'\\x7f', b'\\x80\\x80')
>>> decode_length(encode_length(0x200000))
2097152
>>> encode_sentence(["/login", "=name=admin"])
b'\\x06/login\\x0b=name=admin\\x00'
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

MAX_LENGTH = 0xFFFFFFFF
"""The longest word the 5-byte encoding can carry."""


class ApiProtocolError(Exception):
    """The peer sent bytes that are not a valid API stream (the session is then closed)."""


def encode_length(length: int) -> bytes:
    """The 1-5 byte big-endian encoding of a word length."""
    if length < 0:
        raise ApiProtocolError(f"negative word length {length}")
    if length < 0x80:
        return length.to_bytes(1, "big")
    if length < 0x4000:
        return (length | 0x8000).to_bytes(2, "big")
    if length < 0x200000:
        return (length | 0xC00000).to_bytes(3, "big")
    if length < 0x10000000:
        return (length | 0xE0000000).to_bytes(4, "big")
    if length <= MAX_LENGTH:
        return b"\xf0" + length.to_bytes(4, "big")
    raise ApiProtocolError(f"word length {length} is too long for the API")


def extra_length_bytes(first: int) -> int:
    """How many more bytes follow a length's first byte."""
    if first < 0x80:
        return 0
    if first < 0xC0:
        return 1
    if first < 0xE0:
        return 2
    if first < 0xF0:
        return 3
    if first < 0xF8:
        return 4
    raise ApiProtocolError(f"reserved control byte 0x{first:02x} in the API stream")


def decode_length(encoded: bytes) -> int:
    """The word length from its full encoding (first byte plus `extra_length_bytes`)."""
    first = encoded[0]
    size = extra_length_bytes(first) + 1
    if len(encoded) != size:
        raise ApiProtocolError(f"length encoding needs {size} bytes, got {len(encoded)}")
    if size == 5:
        return int.from_bytes(encoded[1:], "big")
    masks = {1: 0x00, 2: 0x8000, 3: 0xC00000, 4: 0xE0000000}
    return int.from_bytes(encoded, "big") ^ masks[size]


def encode_word(word: str) -> bytes:
    """One word: its encoded byte length then its UTF-8 bytes."""
    data = word.encode("utf-8", errors="surrogateescape")
    return encode_length(len(data)) + data


def encode_sentence(words: Iterable[str]) -> bytes:
    """The words of one sentence followed by the empty word that ends it."""
    return b"".join(encode_word(word) for word in words) + b"\x00"


async def read_word(reader: asyncio.StreamReader, max_length: int) -> str:
    """The next word from the stream ("" for the end-of-sentence word).

    Raises `asyncio.IncompleteReadError` when the peer goes away mid-word and
    `ApiProtocolError` on a reserved control byte or a word longer than ``max_length``.
    """
    first = await reader.readexactly(1)
    extra = extra_length_bytes(first[0])
    encoded = first + (await reader.readexactly(extra) if extra else b"")
    length = decode_length(encoded)
    if length > max_length:
        raise ApiProtocolError(f"word of {length} bytes exceeds the limit of {max_length}")
    if length == 0:
        return ""
    data = await reader.readexactly(length)
    # RouterOS passes bytes through; clients (librouteros) default to ASCII. Keep any byte.
    return data.decode("utf-8", errors="surrogateescape")


async def read_sentence(
    reader: asyncio.StreamReader, *, max_length: int = MAX_LENGTH, max_words: int = 65536
) -> list[str]:
    """The words of the next sentence (possibly none: RouterOS ignores empty sentences)."""
    words: list[str] = []
    while (word := await read_word(reader, max_length)) != "":
        words.append(word)
        if len(words) > max_words:
            raise ApiProtocolError(f"sentence of more than {max_words} words")
    return words
