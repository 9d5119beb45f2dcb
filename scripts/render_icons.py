"""Render the app icon's PNG sizes from its SVG source (run after editing the SVG).

    python scripts/render_icons.py

writes ``resources/icons/hicolor/<N>x<N>/apps/completion-playground.png`` for the sizes
desktops and installers use (16–512) and ``resources/icons/completion-playground.ico``
(Windows). Uses Qt's own SVG renderer, offscreen; the PNGs are committed so that building
a package needs no renderer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import APP_NAME as NAME  # noqa: E402
from app.resource_files import ICON_SIZES, icon_png  # noqa: E402

ICONS = ROOT / "resources" / "icons"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - QImage painting needs the GUI app
    renderer = QSvgRenderer(str(ICONS / f"{NAME}.svg"))
    if not renderer.isValid():
        print("the SVG cannot be read", file=sys.stderr)
        return 1
    for size in ICON_SIZES:
        target = icon_png(NAME, size)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render(renderer, size).save(str(target), "PNG"):
            print(f"could not write {target}", file=sys.stderr)
            return 1
        print(target.relative_to(ROOT))
    ico = ICONS / f"{NAME}.ico"
    if render(renderer, 256).save(str(ico), "ICO"):
        print(ico.relative_to(ROOT))
    else:
        print("no ICO writer in this Qt build; Windows packaging uses the 256 px PNG")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
