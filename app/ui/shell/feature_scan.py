"""Spare start-up PySide6's source scan of every module imported after it.

PySide6 supports ``from __feature__ import snake_case``. To know which modules may use it, it
reads the whole source of every module named in an ``import`` after PySide6 itself, the
standard library's among them (``typing``, ``os``, ``asyncio``…), and keeps it in
``linecache``: ~130 files at start-up here, ~20 ms and 4 MB that stay for the session.
The app uses no ``__feature__``. :func:`skip_feature_scan` enters the modules already loaded
and the app's own in PySide's table beforehand with the answer the scan gives a module that
selects no feature, so it never reads them. If PySide ever keeps that table elsewhere,
nothing happens and the scan runs as before (tests check that it is skipped).
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
from pathlib import Path

import PySide6  # noqa: F401  (first: PySide's table exists once PySide6 is imported)

import app

__all__ = ["skip_feature_scan"]

#: The table's answers: the module imports PySide (no feature selected), or it does not.
USES_PYSIDE = 0
IGNORED = -1


def _table() -> dict[str, int] | None:
    try:
        from shibokensupport import feature  # type: ignore[import-not-found]
    except ImportError:
        return None
    table = getattr(feature, "pyside_feature_dict", None)
    return table if isinstance(table, dict) else None


def _app_modules() -> list[str]:
    """The app's module names, from its files (importing nothing)."""
    root = Path(app.__file__).parent
    names = []
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


#: What comes right after the first frame (asyncio, qasync and theirs; SQLite for the
#: history): not loaded yet, entered by name (packages with every module in their folder).
LATER = (
    "_asyncio", "_contextvars", "_ctypes", "_datetime", "_posixsubprocess", "_queue", "_socket",
    "_sqlite3", "_ssl", "array", "concurrent", "contextvars", "datetime", "fcntl", "queue",
    "select", "selectors", "signal", "socket", "ssl", "subprocess",
)  # fmt: skip
LATER_PACKAGES = ("asyncio", "concurrent.futures", "ctypes", "qasync", "sqlite3")


def _later_modules() -> list[str]:
    names = list(LATER)
    for package in LATER_PACKAGES:
        top, *inner = package.split(".")
        spec = importlib.util.find_spec(top)  # finds the top package, does not import it
        if spec is None or spec.origin is None:
            continue
        folder = Path(spec.origin).parent.joinpath(*inner)
        names.append(package)
        with contextlib.suppress(OSError):
            names.extend(f"{package}.{p.stem}" for p in folder.glob("*.py") if p.stem != "__init__")
    return names


def skip_feature_scan() -> int:
    """Enter the loaded modules and the app's in PySide's feature table; how many."""
    table = _table()
    if table is None:
        return 0
    names = set(sys.modules)
    names.update(_app_modules())
    names.update(_later_modules())
    before = len(table)
    for name in names:
        pyside = name.startswith(("app.ui", "PySide6", "qasync"))
        table.setdefault(name, USES_PYSIDE if pyside else IGNORED)
    return len(table) - before
