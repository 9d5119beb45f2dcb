"""The output area: one pane per choice (tabs or side by side), token colouring, details.

Tokens can arrive thousands of times a second; touching the document for each would
freeze the window. :class:`OutputView` is handed the run controller's frames (the text of
each choice since the last frame, :mod:`app.ui.runs.frames`) and writes each in one edit
per choice, at the controller's pace. When a run ends, each pane gets its tokens
(for colouring and hover) and a header: finish reason, token count, mean logprob and a
"Use this" button when there are several choices.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.logprobs import TokenLogprob
from app.core.token_stats import RunStats, run_stats
from app.ui.analysis.token_details import TokenDetails
from app.ui.analysis.token_view import ProbabilityMode, TokenTextView
from app.ui.common.plain import plain_label

__all__ = ["ChoicePane", "OutputView"]


class ChoicePane(QWidget):
    """One choice: a header line and its :class:`TokenTextView`."""

    useRequested = Signal(int)

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        header = QHBoxLayout()
        self.summary = plain_label()  # the finish reason is the server's text
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.use_button = QToolButton()
        self.use_button.setText(self.tr("Use this"))
        self.use_button.setToolTip(self.tr("Append this choice to the prompt (undoable)"))
        self.use_button.setAccessibleName(self.tr("Use choice {0}").format(index + 1))
        self.use_button.clicked.connect(lambda: self.useRequested.emit(self.index))
        self.use_button.hide()
        header.addWidget(self.summary, 1)
        header.addWidget(self.use_button)
        self.header = QWidget()
        self.header.setLayout(header)
        header.setContentsMargins(4, 0, 4, 0)
        self.header.hide()
        self.view = TokenTextView()
        self.view.setAccessibleName(self.tr("Completion output, choice {0}").format(index + 1))
        self.view.setPlaceholderText(self.tr("The completion appears here."))
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)
        self.stats: RunStats | None = None

    def show_summary(
        self, finish_reason: str | None, tokens: list[TokenLogprob], several: bool
    ) -> None:
        self.stats = run_stats(tokens) if tokens else None
        parts = [self.tr("finish: {0}").format(finish_reason or self.tr("none"))]
        if tokens:
            parts.append(self.tr("%n token(s)", "", len(tokens)))
        if self.stats is not None and self.stats.mean_logprob is not None:
            parts.append(self.tr("mean logprob {0:.3f}").format(self.stats.mean_logprob))
        self.summary.setText(" · ".join(parts))
        self.use_button.setVisible(several)
        self.header.show()

    def clear_summary(self) -> None:
        self.stats = None
        self.summary.clear()
        self.header.hide()


class OutputView(QWidget):
    """Choice panes with batched appends, a probability-colour mode and token details."""

    useChoice = Signal(int)
    #: (pane index, unit index) of a clicked token.
    unitClicked = Signal(int, int)
    modeChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._panes: list[ChoicePane] = []
        self._current = 0

        self.mode = QComboBox()
        for mode in ProbabilityMode:
            self.mode.addItem(mode.label(), int(mode))
        self.mode.setAccessibleName(self.tr("Token probability colouring"))
        self.mode.setToolTip(self.tr("Colour tokens by probability (needs the logprobs parameter)"))
        self.mode.currentIndexChanged.connect(self._on_mode)
        self.side_by_side = QCheckBox(self.tr("Side by side"))
        self.side_by_side.setToolTip(self.tr("Show the choices in columns instead of tabs"))
        self.side_by_side.toggled.connect(self._arrange)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        mode_label = plain_label(self.tr("Token probabilities:"))
        mode_label.setBuddy(self.mode)
        bar.addWidget(mode_label)
        bar.addWidget(self.mode)
        bar.addStretch(1)
        bar.addWidget(self.side_by_side)

        self.tabs = QTabWidget()
        self.tabs.setTabBarAutoHide(True)
        self.tabs.setDocumentMode(True)
        # The tab widget passes focus to its tab bar, which is hidden with one choice:
        # Tab would stop here. The bar itself takes focus when it is shown.
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.currentChanged.connect(self._on_tab)
        self.columns = QSplitter(Qt.Orientation.Horizontal)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.columns)

        # The clicked token's details beside the choices (the run's branches are the
        # document's: in the window's Tokens panel). Never squeezed below a readable width.
        # In a scroll area: the dock is often short, and the statistics under the
        # alternatives were cut off at its bottom edge.
        self.details = TokenDetails()
        self.details_area = QScrollArea()
        self.details_area.setWidgetResizable(True)
        self.details_area.setFrameShape(QFrame.Shape.NoFrame)
        self.details_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.details_area.setWidget(self.details)
        self.details_area.setMinimumWidth(200)
        self.details_area.hide()
        self.body = QSplitter(Qt.Orientation.Horizontal)
        self.body.addWidget(self.stack)
        self.body.addWidget(self.details_area)
        self.body.setStretchFactor(0, 3)
        self.body.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)  # the style's margins, as the history panel's
        layout.addLayout(bar)
        layout.addWidget(self.body, 1)
        self.reset(1)

    # -- panes -----------------------------------------------------------------------------

    def count(self) -> int:
        return len(self._panes)

    def currentIndex(self) -> int:
        if not self.side_by_side.isChecked():
            return max(0, self.tabs.currentIndex())
        return min(self._current, len(self._panes) - 1)

    def setCurrentIndex(self, index: int) -> None:
        self._current = index
        self.tabs.setCurrentIndex(index)

    def choice_pane(self, index: int) -> ChoicePane:
        while len(self._panes) <= index:
            self._add_pane()
        return self._panes[index]

    def pane(self, index: int) -> TokenTextView:
        return self.choice_pane(index).view

    def _add_pane(self) -> ChoicePane:
        index = len(self._panes)
        pane = ChoicePane(index)
        pane.useRequested.connect(self.useChoice)
        pane.view.unitClicked.connect(lambda unit, i=index: self._on_unit_clicked(i, unit))
        pane.view.set_mode(ProbabilityMode(self.mode.currentData()))
        self._panes.append(pane)
        if self.side_by_side.isChecked():
            self.columns.addWidget(pane)
            pane.show()
        else:
            self.tabs.addTab(pane, self.tr("Choice {0}").format(index + 1))
        return pane

    def reset(self, choices: int) -> None:
        """Clear everything and prepare ``choices`` panes."""
        self.tabs.clear()
        for pane in self._panes:
            pane.setParent(None)
            pane.deleteLater()
        self._panes = []
        self._current = 0
        self.details.clear_unit()
        self.details.show_stats(None)
        for _ in range(max(1, choices)):
            self._add_pane()

    def _arrange(self, side_by_side: bool) -> None:
        self.tabs.clear()
        for i, pane in enumerate(self._panes):
            if side_by_side:
                self.columns.addWidget(pane)
                pane.show()
            else:
                self.tabs.addTab(pane, self.tr("Choice {0}").format(i + 1))
        self.stack.setCurrentWidget(self.columns if side_by_side else self.tabs)

    # -- streaming ---------------------------------------------------------------------

    def write(self, texts: dict[int, str]) -> None:
        """One frame: the new text of each choice, one edit per choice (a pane scrolled to
        its end follows the text)."""
        for index, text in sorted(texts.items()):
            pane = self.pane(index)
            bar = pane.verticalScrollBar()
            at_bottom = bar.value() >= bar.maximum() - 4
            cursor = QTextCursor(pane.document())
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(text)
            if at_bottom:
                bar.setValue(bar.maximum())

    def text(self, index: int = 0) -> str:
        """Text shown for a choice."""
        return self.pane(index).toPlainText() if index < self.count() else ""

    def set_text(self, index: int, text: str) -> None:
        self.pane(index).setPlainText(text)

    # -- tokens ------------------------------------------------------------------------

    def show_tokens(
        self, index: int, tokens: list[TokenLogprob], finish_reason: str | None
    ) -> None:
        """Give pane ``index`` its tokens (after the text is complete) and its header."""
        pane = self.choice_pane(index)
        pane.view.set_tokens(tokens)
        if tokens or self.count() > 1:
            pane.show_summary(finish_reason, tokens, several=self.count() > 1)
        else:
            pane.clear_summary()  # the status bar already says how it ended
        if tokens:
            self.details_area.show()
            if index == self.currentIndex():
                self.details.show_stats(pane.stats)

    def set_mode(self, mode: ProbabilityMode) -> None:
        self.mode.setCurrentIndex(self.mode.findData(int(mode)))

    def _on_mode(self) -> None:
        mode = ProbabilityMode(self.mode.currentData())
        for pane in self._panes:
            pane.view.set_mode(mode)
        self.modeChanged.emit(int(mode))

    def _on_tab(self, index: int) -> None:
        if 0 <= index < len(self._panes):
            self._current = index
            self.details.clear_unit()
            self.details.show_stats(self._panes[index].stats)

    def _on_unit_clicked(self, pane_index: int, unit_index: int) -> None:
        self._current = pane_index
        view = self.pane(pane_index)
        unit = view.units[unit_index]
        self.details.show_unit(
            unit, view.tokens[unit.first], view.toPlainText()[unit.start : unit.end]
        )
        self.details.show_stats(self._panes[pane_index].stats)
        self.details_area.show()
        self.unitClicked.emit(pane_index, unit_index)
