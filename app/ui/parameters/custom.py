"""Custom parameters: any other body field, as a name and a JSON value, checked as typed.

A name is a letter or ``_`` followed by up to 63 letters, digits, ``_``, ``.`` or ``-``;
``model``, ``prompt`` and ``stream`` have their own fields. The value is JSON (``40``,
``"text"``, ``[1, 2]``, ``{"a": 1}``). A name the registry knows is checked as that
parameter (``top_k`` must be a whole number from -1 to 1000) and a note says so: it is a
parameter the server kind does not list, or, when the kind does list it, this value
replaces the one in its row.
"""

from __future__ import annotations

import json
import re
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core import parameters as registry
from app.core.messages import Message
from app.core.request import (
    BAD_NAME,
    RESERVED_NAME,
    RequestValidationError,
    parse_logit_bias,
)
from app.core.server_kinds import DEFAULT_KIND
from app.ui.common.fields import show_start
from app.ui.common.plain import plain_label, plain_tooltip
from app.ui.common.tones import ERROR, set_tone
from app.ui.common.wording import text_of
from app.ui.parameters.fold import Fold
from app.ui.parameters.rows import label_of

__all__ = ["CustomRow", "CustomSection", "custom_problem"]

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]{0,63}")
RESERVED = ("model", "prompt", "stream")


def custom_problem(name: str, text: str) -> Message | None:
    """What is wrong with a custom parameter typed as ``name`` and JSON ``text``."""
    if not NAME.fullmatch(name):
        return BAD_NAME()
    if name in RESERVED:
        return RESERVED_NAME()
    if not text.strip():
        return registry.JSON_VALUE()
    try:
        value = registry.parse_json_text(text)
    except ValueError as exc:
        return exc.args[0]  # type: ignore[no-any-return]
    try:
        json.dumps(value, allow_nan=False)
    except ValueError:
        return registry.JSON_VALUE()
    param = registry.get(name)
    if param is None:
        return None
    if param.name == "logit_bias" and isinstance(value, dict):
        try:
            parse_logit_bias(text)
        except RequestValidationError as exc:
            return exc.errors[0].msg
        return None
    return registry.check_value(param, value)


class CustomRow(QWidget):
    """Name, value and a remove button; problems and notes on a line below."""

    changed = Signal()
    removeRequested = Signal(object)  # CustomRow

    def __init__(self, name: str = "", text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = DEFAULT_KIND
        self.name_edit = QLineEdit(name)
        self.name_edit.setPlaceholderText(self.tr("name"))
        self.name_edit.setAccessibleName(self.tr("Custom parameter name"))
        self.value_edit = QLineEdit(text)
        show_start(self.name_edit)
        show_start(self.value_edit)
        self.value_edit.setPlaceholderText(self.tr('JSON, e.g. 40 or "text"'))
        self.value_edit.setAccessibleName(self.tr("Custom parameter value (JSON)"))
        self.remove_button = QToolButton()
        self.remove_button.setText("×")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setToolTip(self.tr("Remove this custom parameter"))
        self.remove_button.setAccessibleName(self.tr("Remove this custom parameter"))
        self.remove_button.clicked.connect(lambda: self.removeRequested.emit(self))
        self.error_label = plain_label()  # quotes what was typed
        self.error_label.setWordWrap(True)
        set_tone(self.error_label, ERROR)
        self.note_label = plain_label()
        self.note_label.setWordWrap(True)
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.name_edit, 2)
        line.addWidget(self.value_edit, 3)
        line.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(line)
        layout.addWidget(self.error_label)
        layout.addWidget(self.note_label)
        self.name_edit.textChanged.connect(self._validate)
        self.value_edit.textChanged.connect(self._validate)
        self._marked = False
        self._validate()

    def name(self) -> str:
        return self.name_edit.text()

    def text(self) -> str:
        return self.value_edit.text()

    def is_blank(self) -> bool:
        return not self.name() and not self.text().strip()

    def problem(self) -> Message | None:
        return None if self.is_blank() else custom_problem(self.name(), self.text())

    def value(self) -> Any:
        """The parsed value; check :meth:`problem` first."""
        return registry.parse_json_text(self.text())

    @property
    def error(self) -> str | None:
        problem = self.problem()
        return text_of(problem) if problem is not None else None

    def known(self) -> registry.Param | None:
        return registry.get(self.name())

    def set_kind(self, kind: str) -> None:
        self.kind = kind
        self._validate()

    def _validate(self) -> None:
        error = self.error
        self.error_label.setText(error or "")
        self.error_label.setVisible(error is not None)
        name = self.name()
        bad_name = error is not None and (not NAME.fullmatch(name) or name in RESERVED)
        set_tone(self.name_edit, ERROR if bad_name else None, border=True)
        value_bad = error is not None and not bad_name
        set_tone(self.value_edit, ERROR if value_bad else None, border=True)
        param = self.known()
        note = ""
        if param is not None:
            note = self.tr("A known parameter: checked as “{0}”.").format(label_of(param))
            if param.accepted_by(self.kind):
                note += " " + self.tr("This value replaces the one in its row above.")
        self.note_label.setText(note)
        self.note_label.setVisible(bool(note))
        self.changed.emit()

    def set_marked(self, note: str | None) -> None:
        """Strike the name through with ``note`` as its tooltip, or undo that."""
        if note is None and not self._marked:
            return
        font = self.name_edit.font()
        font.setStrikeOut(note is not None)
        self.name_edit.setFont(font)
        self.name_edit.setToolTip(plain_tooltip(note) if note is not None else "")
        self._marked = note is not None


class CustomSection(Fold):
    """The "Custom parameters" fold: rows and an "Add parameter" button."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.set_title(self.tr("Custom parameters"))
        self.header.setToolTip(
            plain_tooltip(self.tr("Any other field of the request body, sent as typed (JSON)."))
        )
        self.kind = DEFAULT_KIND
        self._rows: list[CustomRow] = []
        self._rows_layout = QVBoxLayout()
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        self._rows_layout.setSpacing(6)
        self.body_layout.addLayout(self._rows_layout)
        self.add_button = QPushButton(self.tr("Add parameter"))
        self.add_button.setAccessibleName(self.tr("Add a custom parameter"))
        self.add_button.clicked.connect(self._add_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        self.body_layout.addLayout(buttons)

    def rows(self) -> list[CustomRow]:
        return list(self._rows)

    def add_row(self, name: str = "", text: str = "") -> CustomRow:
        row = CustomRow(name, text)
        row.set_kind(self.kind)
        row.changed.connect(self.changed)
        row.removeRequested.connect(self.remove_row)
        self._rows_layout.addWidget(row)
        row.show()  # a widget added to a shown one stays hidden until shown
        self._rows.append(row)
        self.set_open(True)
        self.changed.emit()
        return row

    def _add_clicked(self) -> None:
        self.add_row().name_edit.setFocus()

    def remove_row(self, row: CustomRow) -> None:
        if row in self._rows:
            self._rows.remove(row)
            self._rows_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
            self.changed.emit()

    def clear(self) -> None:
        for row in list(self._rows):
            self.remove_row(row)

    def set_kind(self, kind: str) -> None:
        self.kind = kind
        for row in self._rows:
            row.set_kind(kind)
