"""The writing surface: the document, and the bar below it with the choice strip (n > 1),
the view options, the prompt token count and Run.

:class:`DocumentView` only lays these out and relays what the user asks for as signals; the
window decides what a run is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.analysis.token_view import ProbabilityMode
from app.ui.common.plain import plain_label, plain_tooltip
from app.ui.document.editor import DocumentEditor

if TYPE_CHECKING:
    from app.core.branches import Branch

__all__ = ["ChoiceStrip", "DocumentView"]


class ChoiceStrip(QWidget):
    """With n > 1: one button per choice; the checked one is in the document."""

    choiceSelected = Signal(int)  # branch id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.caption = plain_label(self.tr("Choices:"))
        self._layout.addWidget(self.caption)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._group.idClicked.connect(self.choiceSelected)
        self.buttons: list[QToolButton] = []
        self._layout.addStretch(1)
        self.hide()

    def set_choices(self, choices: list[Branch], shown: int | None) -> None:
        for button in self.buttons:
            self._group.removeButton(button)
            button.deleteLater()
        self.buttons = []
        if len(choices) < 2:
            self.hide()
            return
        for k, branch in enumerate(choices):
            button = QToolButton()
            button.setCheckable(True)
            button.setText(self.tr("Choice {0}").format(k + 1))
            preview = branch.generated_text[:300]
            reason = branch.finish_reason or self.tr("unfinished")
            button.setToolTip(plain_tooltip(f"{reason}\n\n{preview}"))
            button.setAccessibleName(self.tr("Put choice {0} in the document").format(k + 1))
            button.setChecked(branch.id == shown)
            self._group.addButton(button, branch.id)
            self._layout.insertWidget(1 + k, button)
            self.buttons.append(button)
        self.show()


class DocumentView(QWidget):
    """The document above its Run bar (with the choice strip)."""

    runClicked = Signal()
    modeChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = DocumentEditor()
        self.choices = ChoiceStrip()

        self.prompt_mode = QComboBox()
        self.prompt_mode.addItem(self.tr("Text"), "text")
        self.prompt_mode.addItem(self.tr("JSON"), "json")
        self.prompt_mode.setItemData(
            1, self.tr("JSON: strings or token ids"), Qt.ItemDataRole.ToolTipRole
        )
        self.prompt_mode.setAccessibleName(self.tr("Prompt format"))
        self.prompt_mode.setToolTip(
            self.tr('JSON mode sends e.g. ["first", "second"], [1212, 318] or [[1212], [13]]')
        )
        self.insert = QCheckBox(self.tr("Insert at cursor"))
        self.insert.setToolTip(
            self.tr(
                "Complete at the cursor: the text before it is the prompt, the text after it "
                "the suffix (where the server takes one)."
            )
        )
        self.colouring = QComboBox()
        for mode in ProbabilityMode:
            self.colouring.addItem(mode.label(), int(mode))
        self.colouring.setAccessibleName(self.tr("Token probability colouring"))
        self.colouring.setToolTip(
            self.tr("Colour generated tokens by probability (needs the logprobs parameter)")
        )
        self.colouring.currentIndexChanged.connect(
            lambda: self.modeChanged.emit(int(self.colouring.currentData()))
        )
        self.colour_label = colour_label = QLabel(self.tr("Colours:"))
        colour_label.setTextFormat(Qt.TextFormat.PlainText)
        colour_label.setBuddy(self.colouring)
        self.token_count = plain_label()
        self.token_count.setAccessibleName(self.tr("Prompt tokens"))
        self.token_count.setMinimumWidth(90)
        self.token_count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.run_button = QPushButton(self.tr("Run"))
        self.run_button.setToolTip(self.tr("Run (Ctrl+Enter) / Stop (Esc)"))
        self.run_button.setAccessibleName(self.tr("Run or stop"))
        self.run_button.setDefault(False)
        self.run_button.setMinimumWidth(120)
        self.run_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        font = QFont(self.run_button.font())
        font.setBold(True)
        self.run_button.setFont(font)
        self.run_button.setProperty("primary", True)
        self.run_button.clicked.connect(self.runClicked)
        self.shortcut_hint = plain_label(self.tr("Ctrl+Enter"))
        self.shortcut_hint.setEnabled(False)
        for caption in (colour_label, self.shortcut_hint):
            caption.setMinimumWidth(1)  # dropped when tight (_fit_bar), never squeezing

        self.bar = bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        # The choice strip sits in the bar: showing it never takes height from the text.
        bar.addWidget(self.choices)
        bar.addWidget(self.prompt_mode)
        bar.addWidget(self.insert)
        bar.addWidget(colour_label)
        bar.addWidget(self.colouring)
        bar.addStretch(1)
        bar.addWidget(self.token_count)
        bar.addWidget(self.shortcut_hint)
        bar.addWidget(self.run_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.editor, 1)
        layout.addLayout(bar)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_bar()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            # What the bar holds changed width: the choice strip came (n > 1), the token
            # count or the shortcut hint has new text. Fitted again, not only on a resize
            # ("Colours:" was cut to "Colou" beside three choice buttons).
            self._fit_bar()
        return super().event(event)

    def _fit_bar(self) -> None:
        """In a narrow window the bar drops the captions that only repeat a tooltip, the
        shortcut hint first, then "Colours:": they do not hold the window wider than the
        document and the sidebar need (at 1024 px the sidebar was squeezed). Their
        minimum width is 1 px, so the bar's minimum never counts them."""
        optional = (self.shortcut_hint, self.colour_label)  # in the order they go
        spacing = max(0, self.bar.spacing())
        room = [w.sizeHint().width() + spacing for w in optional]
        need = self.bar.sizeHint().width() + sum(
            extra for w, extra in zip(optional, room, strict=True) if w.isHidden()
        )
        for widget, extra in zip(optional, room, strict=True):
            fits = self.width() >= need
            if widget.isHidden() == fits:
                widget.setHidden(not fits)
            need -= extra

    def set_running(self, running: bool) -> None:
        self.run_button.setText(self.tr("Stop") if running else self.tr("Run"))
        self.shortcut_hint.setText(self.tr("Esc") if running else self.tr("Ctrl+Enter"))

    def set_mode(self, mode: ProbabilityMode) -> None:
        self.colouring.setCurrentIndex(self.colouring.findData(int(mode)))

    @property
    def mode(self) -> ProbabilityMode:
        return ProbabilityMode(self.colouring.currentData())
