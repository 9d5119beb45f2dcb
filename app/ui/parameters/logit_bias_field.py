"""The logit_bias JSON field, validated as the user types (red frame and a reason)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from app.core.messages import Message
from app.core.request import RequestValidationError, parse_logit_bias
from app.ui.common.fields import show_start
from app.ui.common.plain import plain_label
from app.ui.common.tones import ERROR, set_tone
from app.ui.common.wording import text_of

__all__ = ["LogitBiasField"]


class LogitBiasField(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        show_start(self.edit)
        self.edit.setPlaceholderText('{"50256": -100}')
        self.edit.setAccessibleName(self.tr("Logit bias (JSON)"))
        self.error_label = plain_label()  # may quote what was typed
        self.error_label.setWordWrap(True)
        set_tone(self.error_label, ERROR)
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.error_label)
        self.edit.textChanged.connect(self._validate)
        self._error: str | None = None

    def _validate(self) -> None:
        try:
            parse_logit_bias(self.edit.text())
        except RequestValidationError as exc:
            self._error = text_of(exc.errors[0].msg)
            self.error_label.setText(self._error)
            self.error_label.show()
            set_tone(self.edit, ERROR, border=True)
        else:
            self._error = None
            self.error_label.hide()
            set_tone(self.edit, None)
        self.changed.emit()

    @property
    def error(self) -> str | None:
        return self._error

    def problem(self) -> Message | None:
        """What is wrong with the text typed (``None``: fine or empty)."""
        try:
            parse_logit_bias(self.edit.text())
        except RequestValidationError as exc:
            return exc.errors[0].msg
        return None

    def value(self) -> dict[str, int] | None:
        """The parsed bias, or ``None`` when empty. Raises RequestValidationError if invalid."""
        return parse_logit_bias(self.edit.text()) or None

    def set_value(self, value: dict[str, int] | None) -> None:
        import json

        self.edit.setText(json.dumps(value) if value else "")
