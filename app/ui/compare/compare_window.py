"""Compare: the current prompt against 2–4 targets at once, one streaming column each.

Each column picks a profile, a model and optional parameter overrides (JSON). "Run all"
starts every column concurrently through the controller's side runs; text goes into the
columns a frame at a time, at the document's pace (:mod:`app.ui.runs.frames`); each
column shows its own timings and usage. A word diff compares any two columns. All runs of
one comparison are saved to history under one group id.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.compare import (
    MAX_TARGETS,
    MIN_TARGETS,
    CompareTarget,
    OverrideError,
    new_group_id,
    parse_overrides,
    word_diff,
)
from app.core.events import ChoiceDelta, Event
from app.core.request import CompletionRequest, RequestValidationError
from app.core.result import CompletionResult
from app.core.runs import prepare
from app.ui.common.fields import show_start
from app.ui.common.plain import escape_html, plain_label
from app.ui.common.tones import ADDED, REMOVED, box_colours, on_theme_change
from app.ui.common.wording import describe as describe_error
from app.ui.common.wording import text_of
from app.ui.common.workspace import Workspace
from app.ui.profiles.profile_manager import ProfileManager
from app.ui.runs.controller import RunController
from app.ui.runs.frames import Frames

__all__ = ["CompareColumn", "CompareWindow"]


class CompareColumn(QWidget):
    """One target: its profile/model/overrides, streamed text and figures."""

    def __init__(self, index: int, profiles: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.profile = QComboBox()
        self.profile.addItems(profiles)
        self.profile.setAccessibleName(self.tr("Profile of column {0}").format(index + 1))
        self.model = QComboBox()
        self.model.setEditable(True)
        show_start(self.model)
        self.model.setAccessibleName(self.tr("Model of column {0}").format(index + 1))
        self.overrides = QLineEdit()
        self.overrides.setPlaceholderText('{"temperature": 0.2}')
        self.overrides.setAccessibleName(
            self.tr("Parameter overrides of column {0}").format(index + 1)
        )
        self.overrides.setToolTip(self.tr("Parameters that differ from the main window, as JSON"))
        form = QFormLayout()
        form.addRow(self.tr("Profile"), self.profile)
        form.addRow(self.tr("Model"), self.model)
        form.addRow(self.tr("Parameters"), self.overrides)
        self.output = QPlainTextEdit()
        self.output.setReadOnly(True)
        self.output.setUndoRedoEnabled(False)
        self.output.setAccessibleName(self.tr("Output of column {0}").format(index + 1))
        self.figures = plain_label()  # errors and finish reasons from the server
        self.figures.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(form)
        layout.addWidget(self.output, 1)
        layout.addWidget(self.figures)
        self.result: CompletionResult | None = None
        self.request: CompletionRequest | None = None

    def target(self) -> CompareTarget:
        """This column's target; raises ValueError for bad overrides."""
        return CompareTarget(
            self.profile.currentText(),
            self.model.currentText().strip(),
            parse_overrides(self.overrides.text()),
        )

    def show_result(self, result: CompletionResult) -> None:
        self.result = result
        parts = []
        if result.error is not None:
            parts.append(describe_error(result.error))
        elif result.cancelled:
            parts.append(self.tr("stopped"))
        else:
            reasons = ", ".join(sorted({c.finish_reason or "?" for c in result.ordered_choices}))
            parts.append(self.tr("finish: {0}").format(reasons))
        t = result.timings
        if t.time_to_first_token is not None:
            parts.append(self.tr("first token {0:.0f} ms").format(t.time_to_first_token * 1000))
        if result.tokens_per_second:
            parts.append(self.tr("{0:.1f} tokens/s").format(result.tokens_per_second))
        if t.total is not None:
            parts.append(self.tr("total {0:.2f} s").format(t.total))
        usage = result.usage or {}
        if isinstance(usage.get("total_tokens"), int):
            parts.append(
                self.tr("usage {0} + {1} = {2}").format(
                    usage.get("prompt_tokens", "?"),
                    usage.get("completion_tokens", "?"),
                    usage["total_tokens"],
                )
            )
        self.figures.setText(" · ".join(parts))


class CompareWindow(QWidget):
    """A separate top-level window; ``finished(group_id)`` when every column has ended."""

    finished = Signal(str)
    #: A column's run was recorded in the history.
    recorded = Signal()

    def __init__(
        self,
        workspace: Workspace,
        profiles: ProfileManager,
        controller: RunController,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.workspace = workspace
        self.profiles = profiles
        self.controller = controller
        self.setWindowTitle(self.tr("Compare"))
        self.resize(1200, 700)
        self.columns: list[CompareColumn] = []
        self.tasks: list[asyncio.Task[CompletionResult]] = []
        self.group_id: str | None = None
        self.diff_ops: list[tuple[str, str]] = []
        self.frames = Frames(self)  # the columns' text, by column index
        self.frames.frame.connect(self._write)

        self.add_button = QPushButton(self.tr("Add column"))
        self.remove_button = QPushButton(self.tr("Remove column"))
        self.run_button = QPushButton(self.tr("Run all"))
        self.run_button.setToolTip(
            self.tr("Run the main window's prompt on every column (Ctrl+Enter)")
        )
        self.stop_button = QPushButton(self.tr("Stop all"))
        self.stop_button.setEnabled(False)
        self.message = plain_label()
        self.message.setWordWrap(True)
        top = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.run_button, self.stop_button):
            top.addWidget(button)
        top.addWidget(self.message, 1)

        self.splitter = QSplitter()
        self.diff_a = QComboBox()
        self.diff_b = QComboBox()
        self.diff_a.setAccessibleName(self.tr("First column to compare"))
        self.diff_b.setAccessibleName(self.tr("Second column to compare"))
        self.diff_button = QPushButton(self.tr("Show word diff"))
        self.diff_view = QTextBrowser()
        self.diff_view.setAccessibleName(self.tr("Word diff"))
        diff_bar = QHBoxLayout()
        diff_bar.addWidget(plain_label(self.tr("Diff")))
        diff_bar.addWidget(self.diff_a)
        diff_bar.addWidget(plain_label("→"))
        diff_bar.addWidget(self.diff_b)
        diff_bar.addWidget(self.diff_button)
        diff_bar.addStretch(1)
        diff_box = QWidget()
        diff_layout = QVBoxLayout(diff_box)
        diff_layout.setContentsMargins(0, 0, 0, 0)
        diff_layout.addLayout(diff_bar)
        diff_layout.addWidget(self.diff_view, 1)
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(self.splitter)
        body.addWidget(diff_box)
        body.setSizes([500, 200])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(body, 1)

        self.add_button.clicked.connect(self.add_column)
        self.remove_button.clicked.connect(self.remove_column)
        self.run_button.clicked.connect(self.run_all)
        self.stop_button.clicked.connect(self.stop_all)
        self.diff_button.clicked.connect(self.show_diff)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.run_all)
        QShortcut(QKeySequence("Escape"), self, self.stop_all)
        for _ in range(MIN_TARGETS):
            self.add_column()

    # -- columns -------------------------------------------------------------------------

    def add_column(self) -> CompareColumn | None:
        if len(self.columns) >= MAX_TARGETS or self.is_running:
            return None
        profiles = self.profiles
        column = CompareColumn(len(self.columns), [p.name for p in profiles.profiles])
        column.profile.setCurrentText(profiles.current.name)
        column.model.setEditText(self.workspace.current_model())
        column.profile.currentTextChanged.connect(
            lambda name, c=column: self._profile_chosen(c, name)
        )
        self.columns.append(column)
        self.splitter.addWidget(column)
        self._update_buttons()
        return column

    def _profile_chosen(self, column: CompareColumn, name: str) -> None:
        profile = self.profiles.find(name)
        if profile is not None:
            column.model.setEditText(profile.default_model)

    def remove_column(self) -> None:
        if len(self.columns) <= MIN_TARGETS or self.is_running:
            return
        column = self.columns.pop()
        column.setParent(None)
        column.deleteLater()
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(len(self.columns) < MAX_TARGETS)
        self.remove_button.setEnabled(len(self.columns) > MIN_TARGETS)
        for combo in (self.diff_a, self.diff_b):
            keep = combo.currentIndex()
            combo.clear()
            combo.addItems([self.tr("Column {0}").format(i + 1) for i in range(len(self.columns))])
            combo.setCurrentIndex(max(0, min(keep, len(self.columns) - 1)))
        if self.diff_b.currentIndex() == self.diff_a.currentIndex() and len(self.columns) > 1:
            self.diff_b.setCurrentIndex(1)

    # -- running -------------------------------------------------------------------------

    @property
    def is_running(self) -> bool:
        return any(not t.done() for t in self.tasks)

    def run_all(self) -> list[asyncio.Task[CompletionResult]]:
        """Start every column at once with the main window's prompt and parameters."""
        if self.is_running:
            return []
        try:
            base = self.workspace.build_request()
            plans = []
            for column in self.columns:
                target = column.target()
                profile = self.profiles.find(target.profile)
                if profile is None:
                    raise ValueError(
                        self.tr("Column {0}: no profile {1}").format(
                            column.index + 1, target.profile
                        )
                    )
                request = prepare(profile, target.request(base)).request
                plans.append((column, profile, request))
        except OverrideError as exc:
            self.message.setText(self.tr("Not run: {0}").format(text_of(exc.msg)))
            return []
        except RequestValidationError as exc:
            problems = "; ".join(f"{e.field}: {text_of(e.msg)}" for e in exc.errors)
            self.message.setText(self.tr("Not run: {0}").format(problems))
            return []
        except ValueError as exc:
            self.message.setText(self.tr("Not run: {0}").format(exc))
            return []
        self.message.setText(self.tr("Running {0} targets…").format(len(plans)))
        self.group_id = new_group_id()
        self.tasks = []
        self.frames.reset()
        for column, profile, request in plans:
            column.output.clear()
            column.figures.setText(self.tr("running…"))
            column.result, column.request = None, request
            task = self.controller.side_run(
                profile,
                request,
                lambda event, i=column.index: self._on_event(i, event),
                group_id=self.group_id,
                record=True,  # the core records each column, as one group
            )
            task.add_done_callback(lambda t, c=column, p=profile: self._column_done(c, p.name, t))
            self.tasks.append(task)
        self.run_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        return list(self.tasks)

    def stop_all(self) -> None:
        for task in self.tasks:
            if not task.done():
                task.cancel()

    def _on_event(self, index: int, event: Event) -> None:
        if type(event) is ChoiceDelta and event.index == 0 and event.text:
            self.frames.add(index, event.text)

    def _write(self, texts: dict[int, str]) -> None:
        for index, text in texts.items():
            if index < len(self.columns):
                cursor = QTextCursor(self.columns[index].output.document())
                cursor.movePosition(QTextCursor.MoveOperation.End)
                cursor.insertText(text)

    def _column_done(
        self, column: CompareColumn, profile: str, task: asyncio.Task[CompletionResult]
    ) -> None:
        if task.cancelled():
            return
        result = task.result()
        if result.choices:  # the whole text at once (what still waits is in it)
            self.frames.discard(column.index)
            column.output.setPlainText(result.ordered_choices[0].text)
        column.show_result(result)
        self.recorded.emit()
        if not self.is_running:
            self.run_button.setEnabled(True)
            self.stop_button.setEnabled(False)
            self.message.setText(self.tr("Done. Saved to history as one group."))
            if self.diff_a.currentIndex() != self.diff_b.currentIndex():
                self.show_diff()
            self.finished.emit(self.group_id or "")

    # -- diff ----------------------------------------------------------------------------

    def show_diff(self) -> None:
        a, b = self.diff_a.currentIndex(), self.diff_b.currentIndex()
        if not (0 <= a < len(self.columns) and 0 <= b < len(self.columns)):
            return
        self.diff_ops = word_diff(
            self.columns[a].output.toPlainText(), self.columns[b].output.toPlainText()
        )
        self._show_diff_ops()
        on_theme_change(self.diff_view, self._show_diff_ops)  # its colours are the theme's

    def _show_diff_ops(self) -> None:
        removed, added = box_colours(REMOVED), box_colours(ADDED)
        parts = []
        for op, text in self.diff_ops:
            shown = escape_html(text).replace("\n", "<br>")
            if op == "delete":
                style = f"background:{removed.background};color:{removed.text}"
                parts.append(f"<del style='{style}'>{shown}</del>")
            elif op == "insert":
                style = f"background:{added.background};color:{added.text}"
                parts.append(f"<ins style='{style}'>{shown}</ins>")
            else:
                parts.append(shown)
        self.diff_view.setHtml("".join(parts))
