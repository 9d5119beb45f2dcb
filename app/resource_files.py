"""Find bundled resources (icons, translations) in a source tree, a wheel or a frozen app."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["resource_path"]


def _roots() -> list[Path]:
    here = Path(__file__).resolve().parent
    roots = [here / "resources", here.parent / "resources"]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        roots.insert(0, Path(frozen) / "resources")
    return roots


def resource_path(*parts: str) -> Path:
    """The path of a resource file (the first root that has it; else the source tree's)."""
    for root in _roots():
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    return _roots()[-1].joinpath(*parts)
