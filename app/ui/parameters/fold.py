"""A folding section: an arrow button with a title that shows or hides what is below it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSizePolicy, QToolButton, QVBoxLayout, QWidget

from app.ui.common.plain import escape_mnemonic

__all__ = ["Fold"]


class Fold(QWidget):
    """``header`` (checked: open) over ``body``; add rows to :attr:`body_layout`."""

    toggled = Signal(bool)

    def __init__(self, title: str, parent: QWidget | None = None, *, open_: bool = True) -> None:
        super().__init__(parent)
        self.header = QToolButton()
        self.header.setCheckable(True)
        self.header.setAutoRaise(True)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        font = self.header.font()
        font.setBold(True)
        self.header.setFont(font)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(8, 0, 0, 6)
        self.body_layout.setSpacing(6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.header)
        layout.addWidget(self.body)
        self.set_title(title)
        self.header.toggled.connect(self._on_toggled)
        self.header.setChecked(open_)
        self._on_toggled(open_)

    def set_title(self, title: str) -> None:
        self.header.setText(escape_mnemonic(title))
        self.header.setAccessibleName(title)

    def title(self) -> str:
        return self.header.accessibleName()

    def _on_toggled(self, open_: bool) -> None:
        self.header.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)
        self.body.setVisible(open_)
        self.toggled.emit(open_)

    def is_open(self) -> bool:
        return self.header.isChecked()

    def set_open(self, open_: bool) -> None:
        self.header.setChecked(open_)
