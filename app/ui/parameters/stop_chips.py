"""A list of texts as removable chips, with invisible characters made visible (``\\n``).

Stop sequences, DRY sequence breakers, sampler names. Type an entry (escapes ``\\n``,
``\\t``, ``\\r``, ``\\\\`` understood) and press Enter to add it; at most ``max_items``
(four stop sequences, as the API allows). The chips wrap onto new lines in a narrow panel.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QToolButton, QVBoxLayout, QWidget

from app.core.request import MAX_STOP_SEQUENCES
from app.ui.common.plain import escape_mnemonic
from app.ui.parameters.flow import FlowLayout

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
    """Chips for a list of texts; ``what`` names the list (``None``: stop sequences)."""

    changed = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        max_items: int | None = MAX_STOP_SEQUENCES,
        what: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._max_items = max_items
        self._what = what
        self._values: list[str] = []
        self._chips: list[QToolButton] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self._chip_area = QWidget()
        self._flow = FlowLayout(self._chip_area)
        self._chip_area.hide()
        layout.addWidget(self._chip_area)
        self.input = QLineEdit()
        self.input.setAccessibleName(
            self.tr("New stop sequence")
            if what is None
            else self.tr("New entry of {0}").format(what)
        )
        self.input.returnPressed.connect(self._add_typed)
        layout.addWidget(self.input)
        self._update_input()

    def values(self) -> tuple[str, ...]:
        return tuple(self._values)

    def set_values(self, values: tuple[str, ...] | list[str]) -> None:
        for chip in self._chips:
            self._flow.removeWidget(chip)
            chip.deleteLater()
        self._chips.clear()
        self._values.clear()
        for value in values:
            self._add(value, notify=False)
        self._update_input()
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

    def _full(self) -> bool:
        return self._max_items is not None and len(self._values) >= self._max_items

    def _add(self, value: str, *, notify: bool = True) -> None:
        if self._full():
            return
        chip = QToolButton()
        chip.setText(f"{escape_mnemonic(escape_visible(value))}  ×")  # "&" is not a mnemonic
        if self._what is None:
            chip.setToolTip(self.tr("Remove stop sequence"))
            name = self.tr("Stop sequence {0}, remove").format(escape_visible(value))
        else:
            chip.setToolTip(self.tr("Remove this entry"))
            name = self.tr("{0} entry {1}, remove").format(self._what, escape_visible(value))
        chip.setAccessibleName(name)
        chip.clicked.connect(lambda: self._remove(chip, value))
        self._flow.addWidget(chip)
        self._chips.append(chip)
        self._values.append(value)
        self._chip_area.show()
        self._update_input()
        if notify:
            self.changed.emit()

    def _remove(self, chip: QToolButton, value: str) -> None:
        if chip in self._chips:
            self._chips.remove(chip)
            self._values.remove(value)
            self._flow.removeWidget(chip)
            chip.deleteLater()
            self._update_input()
            self.changed.emit()

    def chips(self) -> list[QToolButton]:
        return list(self._chips)

    def _update_input(self) -> None:
        full = self._full()
        self._chip_area.setVisible(bool(self._chips))
        self.input.setEnabled(not full)
        if full:
            text = (
                self.tr("At most {0} stop sequences")
                if self._what is None
                else self.tr("At most {0} entries")
            ).format(self._max_items)
        elif self._what is None:
            text = self.tr("Add stop sequence (\\n = newline), Enter")
        else:
            text = self.tr("Add an entry (\\n = newline), Enter")
        self.input.setPlaceholderText(text)
