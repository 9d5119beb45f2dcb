"""Give memory back to the system after a run (glibc's allocator; elsewhere a no-op).

Each run copies the whole document a few times (the request's prompt, its JSON body, the
history record), so these blocks grow with the document. glibc serves a freed large
block's successors from the heap instead of fresh pages once it has seen one freed (its
"dynamic mmap threshold"); the heap then holds holes that are never returned, and a
window that ran ten 100k-token runs kept ~25 MB more per run than it used. Fixing the
threshold keeps large blocks in their own pages, which go back to the system when freed;
:func:`release_free_memory` returns what the heap has free after a run (~1 ms).

``mallopt`` and ``malloc_trim`` are glibc functions; on macOS, Windows or musl nothing is
done and the functions return False.
"""

from __future__ import annotations

import ctypes
import sys
from functools import cache

__all__ = ["LARGE_BLOCK", "keep_large_blocks_apart", "release_free_memory"]

#: Blocks from this size on get pages of their own (glibc's initial threshold is 128 KiB).
LARGE_BLOCK = 256 * 1024
_M_MMAP_THRESHOLD = -3  # from <malloc.h>


@cache
def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt, libc.malloc_trim  # noqa: B018 - glibc only (musl has neither)
    except (OSError, AttributeError):
        return None
    return libc


def keep_large_blocks_apart(size: int = LARGE_BLOCK) -> bool:
    """Serve blocks of ``size`` bytes or more from their own pages, for the whole process."""
    libc = _libc()
    return bool(libc and libc.mallopt(_M_MMAP_THRESHOLD, size) == 1)


def release_free_memory() -> bool:
    """Return the heap's free pages to the system; True if some were."""
    libc = _libc()
    return bool(libc and libc.malloc_trim(0) == 1)
