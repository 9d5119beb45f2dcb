"""One batch variant as the user sets it: profile, model and parameter overrides (JSON).

As in Compare (:class:`~app.ui.compare.compare_window.CompareColumn`), overrides may set
any parameter, custom ones too; :meth:`VariantRow.target` checks them with
:func:`app.core.compare.parse_overrides`.
"""

from __future__ import annotations

import json

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from app.core.compare import CompareTarget, parse_overrides
from app.ui.common.fields import show_start
from app.ui.common.plain import plain_label

__all__ = ["VariantRow"]


class VariantRow(QWidget):
    """Variant ``index + 1``: a profile, a model and overrides; ``changed`` on any edit."""

    changed = Signal()

    def __init__(self, index: int, profiles: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        number = index + 1
        self.number = plain_label(str(number))
        self.profile = QComboBox()
        self.profile.addItems(profiles)
        self.profile.setAccessibleName(self.tr("Profile of variant {0}").format(number))
        self.profile.setToolTip(self.tr("The profile variant {0} sends to").format(number))
        self.model = QComboBox()
        self.model.setEditable(True)
        self.model.setMinimumContentsLength(14)
        show_start(self.model)
        self.model.setAccessibleName(self.tr("Model of variant {0}").format(number))
        self.overrides = QLineEdit()
        self.overrides.setPlaceholderText('{"temperature": 0.2}')
        self.overrides.setAccessibleName(
            self.tr("Parameter overrides of variant {0}").format(number)
        )
        self.overrides.setToolTip(
            self.tr("Parameters that differ from the batch's, as JSON (custom ones too)")
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.number)
        layout.addWidget(self.profile, 2)
        layout.addWidget(self.model, 2)
        layout.addWidget(self.overrides, 3)
        self.profile.currentTextChanged.connect(lambda _: self.changed.emit())
        self.model.currentTextChanged.connect(lambda _: self.changed.emit())
        self.overrides.textChanged.connect(lambda _: self.changed.emit())

    def set_profiles(self, names: list[str]) -> None:
        """Refill the profile list, keeping the chosen profile when it still exists."""
        current = self.profile.currentText()
        self.profile.blockSignals(True)
        self.profile.clear()
        self.profile.addItems(names)
        if current in names:
            self.profile.setCurrentText(current)
        self.profile.blockSignals(False)
        if self.profile.currentText() != current:
            self.changed.emit()

    def set_model(self, model: str) -> None:
        if self.model.findText(model) < 0 and model:
            self.model.addItem(model)
        self.model.setEditText(model)

    def set_target(self, target: CompareTarget) -> None:
        """Show ``target`` (a profile this app does not have is added to the list)."""
        if target.profile and self.profile.findText(target.profile) < 0:
            self.profile.addItem(target.profile)
        self.profile.setCurrentText(target.profile)
        self.set_model(target.model)
        text = json.dumps(target.overrides, ensure_ascii=False) if target.overrides else ""
        self.overrides.setText(text)

    def target(self) -> CompareTarget:
        """This variant; raises :class:`~app.core.compare.OverrideError` for bad overrides."""
        return CompareTarget(
            self.profile.currentText(),
            self.model.currentText().strip(),
            parse_overrides(self.overrides.text()),
        )

    def loose_target(self) -> CompareTarget:
        """This variant without its overrides (for checks when they cannot be read)."""
        return CompareTarget(self.profile.currentText(), self.model.currentText().strip())
