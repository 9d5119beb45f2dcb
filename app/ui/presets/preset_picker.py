"""The searchable preset picker (Presets ▸ Open preset…), loaded when first opened."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from app.core.presets import Preset

__all__ = ["PresetPicker"]


class PresetPicker(QDialog):
    """Type to filter, Enter or double-click to load."""

    chosen = Signal(object)  # Preset

    def __init__(self, presets: list[Preset], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Open preset"))
        self.resize(460, 420)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Search presets"))
        self.filter.setAccessibleName(self.tr("Search presets"))
        self.items = QStandardItemModel(self)
        for preset in presets:
            label = preset.name + (self.tr("  (built in)") if preset.builtin else "")
            item = QStandardItem(label)
            item.setData(preset, Qt.ItemDataRole.UserRole)
            item.setEditable(False)
            self.items.appendRow(item)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.items)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.list = QListView()
        self.list.setModel(self.proxy)
        self.list.setAccessibleName(self.tr("Presets"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._filter)
        self.filter.returnPressed.connect(self.accept)
        self.list.doubleClicked.connect(lambda _i: self.accept())
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._filter("")

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        if self.proxy.rowCount():
            self.list.setCurrentIndex(self.proxy.index(0, 0))

    def accept(self) -> None:
        index = self.list.currentIndex()
        if index.isValid():
            self.chosen.emit(index.data(Qt.ItemDataRole.UserRole))
        super().accept()
