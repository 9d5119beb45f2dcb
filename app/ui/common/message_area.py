"""A non-modal message strip above the output: errors, warnings and notes, never a dialog."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QToolButton, QWidget

from app.ui.common.plain import escape_mnemonic, plain_label
from app.ui.common.tones import ERROR, INFO, WARNING, box_colours, on_theme_change, set_sheet

__all__ = ["MessageArea", "Severity"]


class Severity(Enum):
    """How a message is shown: its value is its tone (:mod:`app.ui.common.tones`)."""

    INFO = INFO
    WARNING = WARNING
    ERROR = ERROR


class MessageArea(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = plain_label()  # server text: shown literally, never as HTML
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAccessibleName(self.tr("Message"))
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setToolTip(self.tr("Dismiss"))
        self.close_button.setAccessibleName(self.tr("Dismiss message"))
        self.close_button.clicked.connect(self.clear)
        self.action_button = QPushButton()
        self.action_button.hide()
        self.action_button.clicked.connect(self._run_action)
        self._action: Callable[[], None] | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.severity: Severity | None = None
        self.hide()

    def _run_action(self) -> None:
        action = self._action
        self.clear()
        if action is not None:
            action()

    def show_message(
        self,
        text: str,
        severity: Severity = Severity.ERROR,
        action: tuple[str, Callable[[], None]] | None = None,
    ) -> None:
        """Show ``text``; ``action`` adds a button (label, callback), e.g. "Restart".

        Both are shown literally: no rich text, no ``&`` mnemonic.
        """
        if action is None:
            self._action = None
            self.action_button.hide()
        else:
            self.action_button.setText(escape_mnemonic(action[0]))
            self._action = action[1]
            self.action_button.show()
        self.severity = severity
        self._restyle()
        on_theme_change(self, self._restyle)
        self.label.setText(text)
        self.show()

    def _restyle(self) -> None:
        if self.severity is None:
            return
        box = box_colours(self.severity.value)
        sheet = (
            f"MessageArea {{ background: {box.background}; border-radius: 4px; }}"
            f" QLabel {{ color: {box.text}; }}"
        )
        set_sheet(self, sheet)

    def text(self) -> str:
        return self.label.text() if self.isVisible() or self.severity else ""

    def clear(self) -> None:
        self._action = None
        self.action_button.hide()
        self.severity = None
        self.label.clear()
        self.hide()
