"""One row of the parameter panel per registry parameter, made from its :class:`Param`.

Every row has the "send" tick (a check box with the parameter's label; unticked means the
parameter is not sent and the server's default applies), its value (always visible; editing
it ticks the box, clearing a text or list unticks it) and a reset button (↺) that shows the
server's default for the current server kind and goes back to it. The tooltip is the
parameter's help.

A yes/no parameter is a single check box: ticked sends ``true``, unticked sends nothing,
except when the server's default is ``true`` (``cache_prompt``): then it starts ticked and
unticking sends ``false``. ``stream`` is always sent.

:func:`make_row` picks the row for a parameter's type; :attr:`ParamRow.main` is the widget
tests and the panel's attribute access use (``panel.max_tokens`` is a
:class:`~app.ui.parameters.numeric_param.NumericParam`, ``panel.suffix`` a text editor).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core import parameters as registry
from app.core.messages import Message
from app.core.parameters import Param, ParamType
from app.core.request import parse_logit_bias
from app.core.server_kinds import DEFAULT_KIND
from app.ui.common.fields import show_start
from app.ui.common.plain import plain_tooltip
from app.ui.parameters.editors import IntListField, JsonField, ValidatedField
from app.ui.parameters.logit_bias_field import LogitBiasField
from app.ui.parameters.numeric_param import NumericParam
from app.ui.parameters.stop_chips import StopChips

__all__ = ["ParamRow", "label_of", "make_row", "shown_value"]

_CONTEXT = "Parameters"


def label_of(param: Param) -> str:
    """The parameter's label in the UI's language."""
    return QCoreApplication.translate(_CONTEXT, param.label)


def help_of(param: Param) -> str:
    return QCoreApplication.translate(_CONTEXT, param.help)


def shown_value(value: Any) -> str:
    """A value as the reset button's tooltip shows it (40, 0.95, true, ["\\n"])."""
    if isinstance(value, float):
        return f"{value:g}"
    return json.dumps(value, ensure_ascii=False)


class ParamRow(QWidget):
    """The row of one parameter. Subclasses provide the value widget."""

    changed = Signal()

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.param = param
        self.kind = DEFAULT_KIND
        self._quiet = 0
        self.label = label_of(param)
        self.check: QCheckBox
        self.reset_button = QToolButton()
        self.reset_button.setText("↺")
        self.reset_button.setAutoRaise(True)
        self.reset_button.setAccessibleName(
            self.tr("Reset {0} to the server default").format(self.label)
        )
        self.reset_button.clicked.connect(self.reset)
        self._tooltip = ""
        self._marked = False

    # -- what subclasses provide ----------------------------------------------------------

    @property
    def main(self) -> Any:
        """The value widget (what ``panel.<name>`` returns)."""
        raise NotImplementedError

    def value(self) -> Any:
        """The value shown, as JSON (whether it is sent or not); see :meth:`problem`."""
        raise NotImplementedError

    def _show(self, value: Any) -> None:
        """Show ``value`` (already checked) without touching the tick."""
        raise NotImplementedError

    def can_show(self, value: Any) -> bool:
        """Whether the widget shows ``value`` exactly (it is valid for the parameter)."""
        return True

    def problem(self) -> Message | None:
        """What is wrong with the value typed (``None``: it can be sent)."""
        return None

    def raw_text(self) -> str:
        """The value as typed (the JSON of a valid value)."""
        return json.dumps(self.value(), ensure_ascii=False)

    # -- sent or not --------------------------------------------------------------------------

    def is_sent(self) -> bool:
        return self.check.isChecked()

    def _set_sent(self, sent: bool) -> None:
        self.check.setChecked(sent)

    def show_value(self, value: Any) -> bool:
        """Show ``value`` and send it; ``False`` (nothing changes) when this row cannot
        show it exactly, e.g. out of range: the caller keeps it as a custom parameter."""
        if registry.check_value(self.param, value) is not None or not self.can_show(value):
            return False
        self._quietly(lambda: self._show(registry.coerce_value(self.param, value)))
        self._set_sent(True)
        self.changed.emit()
        return True

    def start_value(self, kind: str) -> Any:
        """What the row shows before anything is set."""
        return self.param.start_value(kind)

    def _show_start(self) -> None:
        start = self.start_value(self.kind)
        if self.can_show(start):
            self._quietly(lambda: self._show(start))

    def clear_to_start(self) -> None:
        """Not sent, showing the start value of the current kind (``stream``: on)."""
        self._show_start()
        self._set_sent(False)
        self.changed.emit()

    def server_default(self) -> Any:
        return self.param.default_for(self.kind)

    def reset(self) -> None:
        """Back to the server's default: shown, and not sent (so the server applies it)."""
        default = self.server_default()
        if default is None:
            return
        if self.can_show(default):
            self._quietly(lambda: self._show(default))
        self._set_sent(False)
        self.changed.emit()

    def set_kind(self, kind: str) -> None:
        """The server kind changed: an untouched value shows the new kind's start value."""
        old_start = self.start_value(self.kind)
        self.kind = kind
        if not self.is_sent() and self.problem() is None and self._same(self.value(), old_start):
            self._show_start()
        default = self.server_default()
        self.reset_button.setEnabled(default is not None)
        self.reset_button.setToolTip(
            plain_tooltip(
                self.tr("Server default: {0}").format(shown_value(default))
                if default is not None
                else self.tr("No known server default")
            )
        )

    @staticmethod
    def _same(a: Any, b: Any) -> bool:
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return abs(a - b) < 1e-9
        return bool(a == b)

    def _quietly(self, change: Callable[[], object]) -> None:
        self._quiet += 1
        try:
            change()
        finally:
            self._quiet -= 1

    def _edited(self, has_value: bool) -> None:
        """The user changed the value: send it (or not, when it was cleared)."""
        if not self._quiet:
            self._set_sent(has_value)
        self.changed.emit()

    # -- looks -------------------------------------------------------------------------------

    def _set_tooltips(self, *widgets: QWidget, send_hint: bool = True) -> None:
        text = help_of(self.param)
        if send_hint:
            hint = QCoreApplication.translate(
                "NumericParam", "Send this parameter (unchecked: the server's default)"
            )
            text = f"{text}\n{hint}"
        self._tooltip = plain_tooltip(text)
        for widget in (self.check, *widgets):
            widget.setToolTip(self._tooltip)

    @property
    def marked(self) -> bool:
        return self._marked

    def label_widget(self) -> QWidget:
        """The widget that names the parameter (struck through when unsupported)."""
        return self.check

    def set_marked(self, note: str | None) -> None:
        """Strike the label through with ``note`` as its tooltip, or undo that (``None``)."""
        label = self.label_widget()
        font = label.font()
        font.setStrikeOut(note is not None)
        label.setFont(font)
        label.setToolTip(plain_tooltip(note) if note is not None else self._tooltip)
        self._marked = note is not None

    def _lines(self, value_widget: QWidget) -> None:
        """Check box and reset button on the first line, the value widget below."""
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.check, 1)
        top.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(value_widget)


class NumericRow(ParamRow):
    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        integer = param.type == ParamType.INT
        start = param.start_value()
        self.numeric = NumericParam(
            self.label,
            param.minimum if param.minimum is not None else -1e9,
            param.maximum if param.maximum is not None else 1e9,
            start,
            integer=integer,
            step=param.step or (1 if integer else 0.01),
            enabled=param.initially_sent,
            slider_maximum=param.slider_maximum,
        )
        self.check = self.numeric.check
        self.numeric.top.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.numeric)
        self._set_tooltips(self.numeric.spin, self.numeric.slider)
        self.numeric.changed.connect(self.changed)

    @property
    def main(self) -> NumericParam:
        return self.numeric

    def value(self) -> Any:
        return self.numeric.number()

    def can_show(self, value: Any) -> bool:
        return self.numeric.can_show(value)

    def _show(self, value: Any) -> None:
        self.numeric.show_number(value)


class BoolRow(ParamRow):
    """One check box: the value and the tick at once."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.check = QCheckBox(self.label)
        self.check.setChecked(bool(param.start_value()))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check, 1)
        layout.addWidget(self.reset_button)
        self._set_tooltips(send_hint=False)
        self.check.toggled.connect(self.changed)

    @property
    def main(self) -> QCheckBox:
        return self.check

    def _default_true(self) -> bool:
        return self.server_default() is True

    def is_sent(self) -> bool:
        if self.param.name == "stream":
            return True
        return self.check.isChecked() != self._default_true()

    def _set_sent(self, sent: bool) -> None:
        if self.param.name != "stream":
            self.check.setChecked(sent != self._default_true())

    def value(self) -> bool:
        return self.check.isChecked()

    def can_show(self, value: Any) -> bool:
        return isinstance(value, bool)

    def _show(self, value: Any) -> None:
        self.check.setChecked(bool(value))

    def show_value(self, value: Any) -> bool:
        if not isinstance(value, bool):
            return False
        self.check.setChecked(value)
        return True

    def clear_to_start(self) -> None:
        self.check.setChecked(bool(self.param.start_value(self.kind)))

    def reset(self) -> None:
        self.check.setChecked(bool(self.server_default()))


class TextRow(ParamRow):
    """One line (``user``) or a few lines (``suffix``, a grammar) of text."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.check = QCheckBox(self.label)
        self.edit: QLineEdit | QPlainTextEdit
        if param.type == ParamType.TEXT:
            self.edit = QPlainTextEdit()
            self.edit.setTabChangesFocus(True)
            self.edit.setFixedHeight(60)
        else:
            self.edit = QLineEdit()
            show_start(self.edit)
        self.edit.setAccessibleName(self.label)
        self._lines(self.edit)
        self._set_tooltips(self.edit)
        self.check.toggled.connect(self.changed)
        self.edit.textChanged.connect(lambda *_: self._edited(bool(self.value())))

    @property
    def main(self) -> QLineEdit | QPlainTextEdit:
        return self.edit

    def value(self) -> str:
        edit = self.edit
        return edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()

    def can_show(self, value: Any) -> bool:
        if not isinstance(value, str):
            return False
        return isinstance(self.edit, QPlainTextEdit) or not any(c in value for c in "\r\n")

    def _show(self, value: Any) -> None:
        if isinstance(self.edit, QLineEdit):
            self.edit.setText(value)
        else:
            self.edit.setPlainText(value)


class ListRow(ParamRow):
    """A list of texts as chips (``stop``, DRY sequence breakers, sampler names)."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.check = QCheckBox(self.label)
        self.chips = StopChips(
            max_items=param.max_items, what=None if param.name == "stop" else self.label
        )
        self._lines(self.chips)
        self._set_tooltips(self.chips.input)
        self.check.toggled.connect(self.changed)
        self.chips.changed.connect(lambda: self._edited(bool(self.chips.values())))

    @property
    def main(self) -> StopChips:
        return self.chips

    def value(self) -> list[str]:
        return list(self.chips.values())

    def can_show(self, value: Any) -> bool:
        limit = self.param.max_items
        return isinstance(value, (list, tuple)) and (limit is None or len(value) <= limit)

    def _show(self, value: Any) -> None:
        self.chips.set_values(list(value))


class FieldRow(ParamRow):
    """A validated editor: JSON (logit_bias keeps its own checks) or whole numbers."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.check = QCheckBox(self.label)
        self.field: LogitBiasField | ValidatedField
        if param.name == "logit_bias":
            self.field = LogitBiasField()
        elif param.type == ParamType.INT_LIST:
            self.field = IntListField(self.label)
        else:
            self.field = JsonField(param, self.label)
        self._lines(self.field)
        self._set_tooltips(self.field.edit)
        self.check.toggled.connect(self.changed)
        self.field.changed.connect(lambda: self._edited(bool(self.raw_text().strip())))

    @property
    def main(self) -> LogitBiasField | ValidatedField:
        return self.field

    def raw_text(self) -> str:
        edit = self.field.edit
        return edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()

    def problem(self) -> Message | None:
        return self.field.problem()

    def value(self) -> Any:
        """The parsed value (``None`` when nothing is typed); check :meth:`problem` first."""
        if self.problem() is not None:
            return None
        text = self.raw_text()
        if self.param.type == ParamType.INT_LIST:
            return self.field.value()
        if not text.strip():
            return None
        value = registry.parse_json_text(text)
        if self.param.name == "logit_bias":
            return {str(k): int(v) for k, v in value.items()}
        return value

    def start_value(self, kind: str) -> Any:
        return self.param.default_for(kind)  # an empty editor, not "{}"

    def _text_for(self, value: Any) -> str:
        if value is None:
            return ""
        if self.param.type == ParamType.INT_LIST:
            return ", ".join(str(v) for v in value)
        return json.dumps(value, ensure_ascii=False)

    def can_show(self, value: Any) -> bool:
        if value is None:
            return True
        if self.param.name == "logit_bias":
            try:
                return parse_logit_bias(json.dumps(value, ensure_ascii=False)) == value
            except ValueError:
                return False
        if self.param.type == ParamType.INT_LIST:
            return isinstance(value, (list, tuple))
        return True

    def _show(self, value: Any) -> None:
        edit = self.field.edit
        text = self._text_for(value)
        if isinstance(edit, QLineEdit):
            edit.setText(text)
        else:
            edit.setPlainText(text)


def make_row(param: Param) -> ParamRow:
    """The row for ``param``, by its type, showing its start value (ticked when the
    parameter is sent from the start)."""
    row: ParamRow
    if param.is_numeric:
        row = NumericRow(param)
    elif param.type == ParamType.BOOL:
        row = BoolRow(param)
    elif param.type in (ParamType.STRING, ParamType.TEXT):
        row = TextRow(param)
    elif param.type == ParamType.STRING_LIST:
        row = ListRow(param)
    else:
        row = FieldRow(param)
    row._show_start()
    row._set_sent(param.initially_sent)
    return row
