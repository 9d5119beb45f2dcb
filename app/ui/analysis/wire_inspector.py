"""The wire inspector: exactly what went over the wire for a run, for debugging relays.

Three tabs: the request (method, URL, headers with the key masked, the JSON body as
sent), the response (status line and headers) and the raw event log, one SSE event per
row as received, comments and ``[DONE]`` included. Non-modal; shows the last run, or the
run selected in the history when opened from there.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.wire_log import WireLog
from app.ui.common.editor_font import mark_editor

__all__ = ["WireInspector"]


def _mono(widget: QWidget) -> None:
    mark_editor(widget)


class WireInspector(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Wire inspector"))
        self.resize(760, 560)
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.source.setTextFormat(Qt.TextFormat.PlainText)
        self.request_view = QPlainTextEdit()
        self.request_view.setAccessibleName(self.tr("Request sent"))
        self.response_view = QPlainTextEdit()
        self.response_view.setAccessibleName(self.tr("Response status and headers"))
        self.events = QListWidget()
        self.events.setAccessibleName(self.tr("Raw events"))
        self.events.setWordWrap(True)
        for view in (self.request_view, self.response_view):
            view.setReadOnly(True)
            _mono(view)
        _mono(self.events)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.request_view, self.tr("Request"))
        self.tabs.addTab(self.response_view, self.tr("Response headers"))
        self.tabs.addTab(self.events, self.tr("Raw events"))
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy the current tab's text"))
        self.copy_button.clicked.connect(self.copy_current)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.source)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.wire: WireLog | None = None

    def show_wire(self, wire: WireLog | None, source: str) -> None:
        self.wire = wire
        self.source.setText(source)
        self.events.clear()
        if wire is None or not wire.method:
            self.request_view.setPlainText(self.tr("Nothing was sent for this run."))
            self.response_view.clear()
            return
        headers = "\n".join(f"{k}: {v}" for k, v in wire.request_headers.items())
        self.request_view.setPlainText(
            f"{wire.method} {wire.url}\n{headers}\n\n{wire.request_json}"
        )
        if wire.status is None:
            self.response_view.setPlainText(self.tr("No response (the connection failed)."))
        else:
            lines = [f"{wire.http_version} {wire.status}"]
            lines += [f"{k}: {v}" for k, v in wire.response_headers]
            self.response_view.setPlainText("\n".join(lines))
        events = wire.events()
        self.events.addItems(events)
        if wire.truncated:
            self.events.addItem(self.tr("… (cut: the raw log keeps the first part only)"))
        self.tabs.setTabText(2, self.tr("Raw events ({0})").format(len(events)))

    def current_text(self) -> str:
        widget = self.tabs.currentWidget()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        return "\n\n".join(self.events.item(i).text() for i in range(self.events.count()))

    def copy_current(self) -> None:
        QGuiApplication.clipboard().setText(self.current_text())
