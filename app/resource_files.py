"""Find bundled resources (icons, translations) in a source tree, a wheel or a frozen app."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["ICON_SIZES", "icon_png", "resource_path"]

#: The sizes the app icon is rendered to as PNG (``scripts/render_icons.py``): what
#: desktops, installers and the window use.
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


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


def icon_png(name: str, size: int) -> Path:
    """The app icon ``name`` rendered at ``size`` pixels (in the icon theme's layout)."""
    return resource_path("icons", "hicolor", f"{size}x{size}", "apps", f"{name}.png")
