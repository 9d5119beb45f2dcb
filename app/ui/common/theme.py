"""Light and dark themes: follow the system's colour scheme, or a manual choice.

"system" leaves the platform's palette alone and follows its colour scheme (Qt 6's
``QStyleHints.colorScheme``, which changes live when the desktop switches). "light" and
"dark" ask the platform for that scheme (``setColorScheme``, Qt ≥ 6.8: title bars and
native dialogs follow) and, because not every platform honours the request, also set the
Fusion style with a matching palette so every widget really is light or dark.
:func:`is_dark` is what views use to pick readable colours (token probabilities).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

__all__ = ["apply_theme", "dark_palette", "is_dark", "light_palette"]

_original: dict[str, object] = {}


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether ``palette`` (default: the app's) shows text on a dark editing background."""
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def dark_palette() -> QPalette:
    p = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colours = {
        role.Window: "#1f2227", role.WindowText: "#e6e6e6", role.Base: "#16181c",
        role.AlternateBase: "#23262c", role.ToolTipBase: "#2b2f36", role.ToolTipText: "#e6e6e6",
        role.PlaceholderText: "#8b9099", role.Text: "#e6e6e6", role.Button: "#2a2e35",
        role.ButtonText: "#e6e6e6", role.BrightText: "#ff6b6b", role.Light: "#3a3f47",
        role.Midlight: "#31353c", role.Mid: "#272a30", role.Dark: "#141619",
        role.Shadow: "#000000", role.Highlight: "#3d7bd9", role.HighlightedText: "#ffffff",
        role.Link: "#6ea8ff", role.LinkVisited: "#b69cff",
    }  # fmt: skip
    for r, colour in colours.items():
        p.setColor(r, QColor(colour))
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group.Disabled, r, QColor("#6c717a"))
    return p


def light_palette() -> QPalette:
    style = QStyleFactory.create("Fusion")
    return style.standardPalette() if style is not None else QPalette()


def apply_theme(app: QApplication, theme: str) -> None:
    """Apply "system", "light" or "dark" now (no restart needed)."""
    if not _original:
        _original["style"] = app.style().name()
        _original["palette"] = QPalette(app.palette())
    hints = app.styleHints()
    if theme == "system":
        if hasattr(hints, "unsetColorScheme"):
            hints.unsetColorScheme()
        app.setStyle(str(_original["style"]))
        app.setPalette(_original["palette"])  # type: ignore[arg-type]
        return
    dark = theme == "dark"
    if hasattr(hints, "setColorScheme"):
        hints.setColorScheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if dark else light_palette())
