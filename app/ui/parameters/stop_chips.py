"""Stop sequences as removable chips, with invisible characters made visible (``\\n``).

Type a sequence (escapes ``\\n``, ``\\t``, ``\\r``, ``\\\\`` understood) and press Enter to
add it; at most four, as the API allows.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QToolButton, QWidget

from app.core.request import MAX_STOP_SEQUENCES
from app.ui.plain import escape_mnemonic

__all__ = ["StopChips", "escape_visible", "unescape_typed"]

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}


def unescape_typed(text: str) -> str:
    """``a\\nb`` typed by a user → ``a`` newline ``b``."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPES:
            out.append(_ESCAPES[text[i + 1]])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def escape_visible(text: str) -> str:
    """Show control characters as escapes: newline → ``\\n``."""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


class StopChips(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: list[str] = []
        self._chips: list[QToolButton] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.input = QLineEdit()
        self.input.setPlaceholderText(self.tr("Add stop sequence (\\n = newline), Enter"))
        self.input.setAccessibleName(self.tr("New stop sequence"))
        self.input.returnPressed.connect(self._add_typed)
        self._layout.addWidget(self.input, 1)

    def values(self) -> tuple[str, ...]:
        return tuple(self._values)

    def set_values(self, values: tuple[str, ...] | list[str]) -> None:
        for chip in self._chips:
            self._layout.removeWidget(chip)
            chip.deleteLater()
        self._chips.clear()
        self._values.clear()
        for value in values:
            self._add(value, notify=False)
        self.changed.emit()

    def _add_typed(self) -> None:
        text = self.input.text()
        if not text:
            return
        value = unescape_typed(text)
        if value in self._values:
            self.input.clear()
            return
        self._add(value)
        self.input.clear()

    def _add(self, value: str, *, notify: bool = True) -> None:
        if len(self._values) >= MAX_STOP_SEQUENCES:
            return
        chip = QToolButton()
        chip.setText(f"{escape_mnemonic(escape_visible(value))}  ×")  # "&" is not a mnemonic
        chip.setToolTip(self.tr("Remove stop sequence"))
        chip.setAccessibleName(self.tr("Stop sequence {0}, remove").format(escape_visible(value)))
        chip.clicked.connect(lambda: self._remove(chip, value))
        self._layout.insertWidget(len(self._chips), chip)
        self._chips.append(chip)
        self._values.append(value)
        self._update_input()
        if notify:
            self.changed.emit()

    def _remove(self, chip: QToolButton, value: str) -> None:
        if chip in self._chips:
            self._chips.remove(chip)
            self._values.remove(value)
            self._layout.removeWidget(chip)
            chip.deleteLater()
            self._update_input()
            self.changed.emit()

    def chips(self) -> list[QToolButton]:
        return list(self._chips)

    def _update_input(self) -> None:
        full = len(self._values) >= MAX_STOP_SEQUENCES
        self.input.setEnabled(not full)
        self.input.setPlaceholderText(
            self.tr("At most {0} stop sequences").format(MAX_STOP_SEQUENCES)
            if full
            else self.tr("Add stop sequence (\\n = newline), Enter")
        )
