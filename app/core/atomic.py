"""Atomic file writes: a temporary file in the same folder, fsync, then ``os.replace``.

A crash or a full disk leaves either the old file or the new one, never half of either.
Everything the app writes is private to the user: files are created 0600 (``mkstemp``)
and folders 0700 (on POSIX; Windows keeps its per-user ACLs).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = [
    "PRIVATE_DIR_MODE",
    "PRIVATE_FILE_MODE",
    "atomic_write_bytes",
    "atomic_write_json",
    "atomic_write_text",
    "keep_aside",
    "make_private_dir",
]

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and missing parents) if needed; the folder itself is made 0700.

    Raises OSError when it cannot be created (a read-only parent, a file in the way).
    """
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically; the file is 0600 (``mkstemp``'s mode)."""
    make_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if os.name == "posix":
        with contextlib.suppress(OSError):
            dir_fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: Path, data: Any) -> None:
    """Readable, diff-friendly JSON (sorted keys are not used: field order is meaningful)."""
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def keep_aside(path: Path, label: str = "corrupt") -> Path:
    """Move a bad file out of the way (never delete it) and return where it went.

    Raises OSError when it cannot be moved (e.g. a read-only folder): the caller reports
    that and leaves the file where it is.
    """
    stamp = 0
    while True:
        suffix = f".{label}" if stamp == 0 else f".{label}-{stamp}"
        target = path.with_name(path.name + suffix)
        if not target.exists():
            break
        stamp += 1
    os.replace(path, target)
    return target
