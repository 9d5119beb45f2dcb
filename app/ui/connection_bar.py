"""Base URL, API key and model picker: where the next run goes.

Key storage in the OS keyring arrives with profiles; until then the key lives only in
memory for this session. The model combobox is editable and filled from ``/v1/models``.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from app.core.endpoint import Endpoint, InvalidBaseURL

__all__ = ["DEFAULT_BASE_URL", "ConnectionBar"]

DEFAULT_BASE_URL = "http://127.0.0.1:8080/v1"


class ConnectionBar(QWidget):
    endpointChanged = Signal()
    refreshRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.base_url = QLineEdit(DEFAULT_BASE_URL)
        self.base_url.setAccessibleName(self.tr("Base URL"))
        self.base_url.setPlaceholderText("https://api.openai.com/v1")
        self.base_url.setMinimumWidth(260)
        self.api_key = QLineEdit()
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setPlaceholderText(self.tr("API key (kept in memory only)"))
        self.api_key.setAccessibleName(self.tr("API key"))
        self.model = QComboBox()
        self.model.setEditable(True)
        self.model.setMinimumWidth(200)
        self.model.setAccessibleName(self.tr("Model"))
        self.model.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.refresh = QToolButton()
        self.refresh.setText("⟳")
        self.refresh.setToolTip(self.tr("Reload the model list from the server"))
        self.refresh.setAccessibleName(self.tr("Reload models"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label, widget, stretch in (
            (self.tr("&Base URL"), self.base_url, 3),
            (self.tr("&Key"), self.api_key, 2),
            (self.tr("&Model"), self.model, 2),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            layout.addWidget(caption)
            layout.addWidget(widget, stretch)
        layout.addWidget(self.refresh)
        self.base_url.editingFinished.connect(self.endpointChanged)
        self.api_key.editingFinished.connect(self.endpointChanged)
        self.refresh.clicked.connect(self.refreshRequested)

    def endpoint(self) -> Endpoint:
        """The endpoint described by the fields; raises InvalidBaseURL."""
        return Endpoint(base_url=self.base_url.text(), api_key=self.api_key.text().strip() or None)

    def model_name(self) -> str:
        return self.model.currentText().strip()

    def set_models(self, models: list[str]) -> None:
        current = self.model_name()
        self.model.blockSignals(True)
        self.model.clear()
        self.model.addItems(models)
        if current:
            self.model.setCurrentText(current)
        elif models:
            self.model.setCurrentIndex(0)
        self.model.blockSignals(False)

    def is_valid(self) -> bool:
        try:
            self.endpoint()
        except InvalidBaseURL:
            return False
        return True
