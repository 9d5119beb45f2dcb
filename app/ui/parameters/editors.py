"""Validated editors for JSON values and lists of whole numbers, checked as the user types.

A problem is shown under the editor in plain text (it may quote what was typed) and the
editor gets a red frame; :meth:`problem` returns it as a core
:class:`~app.core.messages.Message` for the request's validation error.
"""

from __future__ import annotations

import json
import re
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from app.core import parameters as registry
from app.core.messages import Message
from app.ui.common.fields import show_start
from app.ui.common.plain import plain_label
from app.ui.common.tones import ERROR, set_tone
from app.ui.common.wording import text_of

__all__ = ["IntListField", "JsonField", "ValidatedField", "format_int_list", "parse_int_list"]

_WHOLE = re.compile(r"[+-]?\d+")


class ValidatedField(QWidget):
    """An editor (``edit``) with an error line below it (``error_label``)."""

    changed = Signal()

    def __init__(self, edit: QLineEdit | QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = edit
        self.error_label = plain_label()  # may quote what was typed
        self.error_label.setWordWrap(True)
        set_tone(self.error_label, ERROR)
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.error_label)
        self.edit.textChanged.connect(self._validate)
        self._error: str | None = None

    def text(self) -> str:
        edit = self.edit
        return edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()

    def set_text(self, text: str) -> None:
        if isinstance(self.edit, QLineEdit):
            self.edit.setText(text)
        else:
            self.edit.setPlainText(text)

    def problem(self) -> Message | None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _validate(self) -> None:
        problem = self.problem()
        self._error = text_of(problem) if problem is not None else None
        self.error_label.setText(self._error or "")
        self.error_label.setVisible(self._error is not None)
        set_tone(self.edit, ERROR if self._error is not None else None, border=True)
        self.changed.emit()

    @property
    def error(self) -> str | None:
        """The problem in the UI's language (``None`` when there is none)."""
        return self._error


class JsonField(ValidatedField):
    """Any JSON value for ``param`` (a schema, a structured-outputs object), several lines."""

    def __init__(self, param: registry.Param, label: str, parent: QWidget | None = None) -> None:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(64)
        edit.setAccessibleName(label)
        self.param = param
        super().__init__(edit, parent)
        edit.setPlaceholderText(self.tr("A JSON value, e.g. {0}").format('{"type": "object"}'))

    def problem(self) -> Message | None:
        text = self.text()
        if not text.strip():
            return None
        try:
            value = registry.parse_json_text(text)
        except ValueError as exc:
            return exc.args[0]  # type: ignore[no-any-return]
        return registry.check_value(self.param, value)

    def value(self) -> Any:
        """The JSON value typed (``None`` when empty); raises ValueError when invalid."""
        text = self.text()
        return registry.parse_json_text(text) if text.strip() else None

    def set_value(self, value: Any) -> None:
        self.set_text("" if value is None else json.dumps(value, ensure_ascii=False))


def parse_int_list(text: str) -> list[int] | None:
    """``6, 0, 1`` (or ``[6, 0, 1]``) → ``[6, 0, 1]``; ``None`` when it is not such a list."""
    stripped = text.strip()
    if stripped.startswith("[") and stripped.endswith("]"):
        stripped = stripped[1:-1].strip()
    if not stripped:
        return []
    parts = [part.strip() for part in stripped.split(",")]
    if not all(_WHOLE.fullmatch(part) for part in parts):
        return None
    return [int(part) for part in parts]


def format_int_list(values: list[int]) -> str:
    return ", ".join(str(v) for v in values)


class IntListField(ValidatedField):
    """Whole numbers separated by commas (token ids, sampler ids)."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        edit = QLineEdit()
        show_start(edit)
        edit.setAccessibleName(label)
        super().__init__(edit, parent)
        edit.setPlaceholderText(self.tr("Whole numbers separated by commas"))

    def problem(self) -> Message | None:
        return None if parse_int_list(self.text()) is not None else registry.INT_LIST()

    def value(self) -> list[int] | None:
        return parse_int_list(self.text())

    def set_value(self, values: list[int]) -> None:
        self.set_text(format_int_list(values))
