"""JSON text for large values, written so that other threads keep running meanwhile.

``json.dumps`` is one call into C that holds the GIL until it returns: a 100k-token run
with top-5 logprobs is ~15 MB of JSON, and encoding it in the history's worker thread
froze the window for half a second. :func:`dumps` gives exactly the same text as
``json.dumps(value, ensure_ascii=False)`` but encodes long lists a slice at a time, so the
interpreter can switch threads between slices.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["SLICE", "Items", "compressed", "dumps", "loads"]

#: List items encoded per call into the C encoder: ~1 ms of work (a 100k-token run's tokens
#: with top-5 logprobs), the longest the window's thread waits for the history's worker.
SLICE = 250
#: How deep dicts and short lists are opened up looking for long lists.
_DEPTH = 6
#: zlib level: fast (a 100k-token run's 25 MB of JSON in about a quarter of a second).
_LEVEL = 1


class Items:
    """A JSON array of ``convert(item)`` for each item, made a slice at a time when encoded:
    the JSON-able form of a long list (a run's tokens) never exists whole, so it is never
    freed in one go either (freeing 100k dicts is one C call that holds the GIL).

    ``direct``: the items are JSON already (tuples of strings and numbers) unless a float
    in them is not finite; a slice is encoded as it is, and converted only if it has one.
    """

    __slots__ = ("convert", "direct", "items")

    def __init__(
        self, items: Sequence[Any], convert: Callable[[Any], Any], *, direct: bool = False
    ) -> None:
        self.items = items
        self.convert = convert
        self.direct = direct


def dumps(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)``, in slices."""
    parts: list[str] = []
    _encode(value, parts, _DEPTH)
    return "".join(parts)


def compressed(value: Any) -> bytes:
    """:func:`dumps`'s text as UTF-8, zlib-compressed a slice at a time (``zlib`` lets other
    threads run while it works). A run's history record shrinks ~10×, and no 100 MB
    string is ever joined or encoded in one go (each of those holds the GIL throughout)."""
    parts: list[str] = []
    _encode(value, parts, _DEPTH)
    packer = zlib.compressobj(_LEVEL)
    out = [packer.compress(part.encode("utf-8", "surrogatepass")) for part in parts]
    out.append(packer.flush())
    return b"".join(out)


def loads(data: str | bytes) -> Any:
    """The value of :func:`dumps`'s text or of :func:`compressed`'s bytes."""
    if isinstance(data, bytes):
        data = zlib.decompress(data)
    return json.loads(data)


def _encode(value: Any, parts: list[str], depth: int) -> None:
    if isinstance(value, Items):
        parts.append("[")
        items, convert = value.items, value.convert
        for i in range(0, len(items), SLICE):
            if i:
                parts.append(", ")
            chunk = items[i : i + SLICE]
            if value.direct:
                try:
                    parts.append(json.dumps(chunk, ensure_ascii=False, allow_nan=False)[1:-1])
                    continue
                except ValueError:  # an infinite logprob: this slice item by item
                    pass
            chunk = [convert(item) for item in chunk]
            parts.append(json.dumps(chunk, ensure_ascii=False)[1:-1])
        parts.append("]")
        return
    if depth > 0 and isinstance(value, (list, tuple)):
        if len(value) > SLICE:
            parts.append("[")
            for i in range(0, len(value), SLICE):
                if i:
                    parts.append(", ")
                parts.append(json.dumps(list(value[i : i + SLICE]), ensure_ascii=False)[1:-1])
            parts.append("]")
            return
        if any(isinstance(item, (dict, list, tuple)) for item in value):
            parts.append("[")
            for i, item in enumerate(value):
                if i:
                    parts.append(", ")
                _encode(item, parts, depth - 1)
            parts.append("]")
            return
    elif depth > 0 and isinstance(value, dict) and all(isinstance(k, str) for k in value):
        parts.append("{")
        for i, (key, item) in enumerate(value.items()):
            if i:
                parts.append(", ")
            parts.append(json.dumps(key, ensure_ascii=False))
            parts.append(": ")
            _encode(item, parts, depth - 1)
        parts.append("}")
        return
    parts.append(json.dumps(value, ensure_ascii=False))
