"""Batch: the prompt template over every row of a data file, against 1–4 variants.

A separate, non-modal top-level window (Run ▸ Batch…). Its parts:

* **Template**: the prompt and the suffix, taken from the main window when the window
  first opens (and again with "Use the main window's prompt"), with the main window's
  parameters; both may hold ``{{column}}`` placeholders (:mod:`app.core.batch.template`).
* **Data**: a CSV, TSV or JSON Lines file (a path field or a file dialog) previewed in a
  table (:class:`~app.ui.batch.models.DataModel`) whose headers say which placeholder each
  column fills; a line under it maps every placeholder to its column.
* **Variants**: up to four rows of profile, model and parameter overrides, as in Compare;
  the expected column with its match mode, the log-likelihood option, and the concurrency
  per profile.
* **Checks**: the core's :meth:`BatchSpec.check <app.core.batch.BatchSpec.check>` errors and
  notes (a placeholder without a column, an unused column…), worded with
  :func:`~app.ui.common.wording.text_of`, before anything is sent; Run is disabled while
  there are errors.
* **Run / Stop / Resume**: a :class:`~app.core.batch.BatchRun` through the controller's
  Runner (every cell recorded in the history, one group per batch) as an asyncio task on
  the GUI thread (qasync). The batch's ``on_cell`` and ``on_progress`` only mark what
  changed; a frame timer (:data:`FRAME_MS`) sends the changed lines to the results table
  as ``dataChanged`` ranges and updates the progress (rate, time left, cells waiting after
  a 429). Stop keeps the finished cells; Resume runs what is left.
* **Results**: one line per row × variant, sortable and filterable (a search field and
  "Failed only"); clicking a line emits :attr:`BatchWindow.openRun` with its history
  record id, and the main window puts that run into the document. A summary per variant
  (pass rate, mean and p95 latency, tokens, cost) sits under it.
* **Files**: export the results as CSV or JSON Lines; save and open the batch's set-up
  (:func:`~app.core.batch.write_batch_file` / :func:`~app.core.batch.read_batch_file`).

Dialogs are opened with ``open()`` and answer through signals (never ``exec()``).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.batch import (
    MAX_CONCURRENCY,
    MAX_VARIANTS,
    BatchFileError,
    BatchInputError,
    BatchProgress,
    BatchRun,
    BatchSpec,
    DataError,
    DataSet,
    Prices,
    VariantSummary,
    export_csv,
    export_jsonl,
    load_data,
    placeholders,
    read_batch_file,
    write_batch_file,
)
from app.core.batch.runner import BatchCell
from app.core.compare import CompareTarget, OverrideError
from app.core.messages import Message
from app.core.request import RequestValidationError
from app.ui.batch.models import DataModel, ResultsFilter, ResultsModel
from app.ui.batch.variants import VariantRow
from app.ui.common.plain import ElidedLabel, plain_label, plain_tooltip
from app.ui.common.tones import ERROR, set_tone
from app.ui.common.wording import text_of
from app.ui.common.workspace import Workspace
from app.ui.profiles.profile_manager import ProfileManager
from app.ui.runs.controller import RunController

__all__ = ["FRAME_MS", "BatchWindow"]

#: The results table and the progress are updated at most this often (milliseconds).
FRAME_MS = 33
#: The per-variant summary (a pass over every cell) at most this often while running.
SUMMARY_EVERY_S = 0.25
#: How long after an edit the set-up is checked again (milliseconds).
CHECK_DELAY_MS = 150


def _money(value: float) -> str:
    if value >= 100:
        return f"{value:,.2f}"
    return f"{value:.4f}" if value >= 0.01 else f"{value:.6f}"


class BatchWindow(QWidget):
    """A separate top-level window; see the module doc."""

    #: Open this run (a history record id) in the main window's document.
    openRun = Signal(int)
    #: A run (or a resumed run) of the batch ended: the batch's history group id.
    finished = Signal(str)

    SUMMARY_COLUMNS = (
        QT_TRANSLATE_NOOP("BatchWindow", "Variant"),
        QT_TRANSLATE_NOOP("BatchWindow", "Done"),
        QT_TRANSLATE_NOOP("BatchWindow", "Failed"),
        QT_TRANSLATE_NOOP("BatchWindow", "Pass rate"),
        QT_TRANSLATE_NOOP("BatchWindow", "Mean latency"),
        QT_TRANSLATE_NOOP("BatchWindow", "p95 latency"),
        QT_TRANSLATE_NOOP("BatchWindow", "Tokens"),
        QT_TRANSLATE_NOOP("BatchWindow", "Cost"),
        QT_TRANSLATE_NOOP("BatchWindow", "Mean log-likelihood"),
    )
    #: Summary columns shown only when the batch asks for them.
    PASS_COLUMN, LOGLIK_COLUMN = 3, 8

    def __init__(
        self,
        workspace: Workspace,
        profiles: ProfileManager,
        controller: RunController,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle(self.tr("Batch"))
        self.resize(1300, 860)
        self.workspace = workspace
        self.profiles = profiles
        self.controller = controller
        self.data: DataSet | None = None
        self.data_path = ""
        self.batch: BatchRun | None = None
        self.task: asyncio.Task[BatchProgress] | None = None
        self.dialog: QFileDialog | None = None
        self.variant_rows: list[VariantRow] = []
        #: The set-up's problems (they disable Run) and notes, as shown.
        self.check_errors: list[str] = []
        self.check_notes: list[str] = []
        self._data_error: str | None = None
        self._parameters: dict[str, Any] = {}
        self._name = ""
        self._progress: BatchProgress | None = None
        self._progress_changed = False
        self._summary_at = 0.0
        self._last_opened: tuple[int, float] | None = None

        self._frame = QTimer(self)
        self._frame.setInterval(FRAME_MS)
        self._frame.timeout.connect(self._on_frame)
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.check)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(CHECK_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)

        setup = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self._build_template(), 1)
        left_layout.addWidget(self._build_variants())
        setup.addWidget(left)
        setup.addWidget(self._build_data())
        setup.setSizes([600, 700])
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(setup, 1)
        top_layout.addLayout(self._build_actions())
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(top)
        body.addWidget(self._build_results())
        body.setSizes([430, 430])
        layout = QVBoxLayout(self)
        layout.addWidget(body, 1)

        QShortcut(QKeySequence("Ctrl+Return"), self, self.run_batch)
        QShortcut(QKeySequence("Escape"), self, self.stop_batch)
        profiles.profilesChanged.connect(self._refresh_profiles)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop_batch)
        self.add_variant()
        self.use_main_prompt()
        self.check()

    # -- building ------------------------------------------------------------------------

    def _build_template(self) -> QGroupBox:
        box = QGroupBox(self.tr("Template"))
        hint = plain_label(
            self.tr("The prompt and the suffix may hold placeholders such as {0}.").format(
                "{{question}}"
            )
        )
        hint.setWordWrap(True)
        self.template = QPlainTextEdit()
        self.template.setAccessibleName(self.tr("Prompt template"))
        self.template.setPlaceholderText(self.tr("Prompt with {0} placeholders").format("{{…}}"))
        self.suffix = QPlainTextEdit()
        self.suffix.setAccessibleName(self.tr("Suffix template"))
        self.suffix.setPlaceholderText(self.tr("Suffix (optional)"))
        self.suffix.setMaximumHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.parameters_label = ElidedLabel()
        self.parameters_label.setAccessibleName(self.tr("Batch parameters"))
        self.use_main_button = QPushButton(self.tr("Use the main window's prompt"))
        self.use_main_button.setToolTip(
            self.tr("Take the prompt, the suffix and the parameters from the main window")
        )
        self.use_main_button.setAccessibleName(self.tr("Use the main window's prompt"))
        params_row = QHBoxLayout()
        params_row.addWidget(self.parameters_label, 1)
        params_row.addWidget(self.use_main_button)
        layout = QVBoxLayout(box)
        layout.addWidget(hint)
        layout.addWidget(self.template, 1)
        layout.addWidget(self.suffix)
        layout.addLayout(params_row)
        self.template.textChanged.connect(self.schedule_check)
        self.suffix.textChanged.connect(self.schedule_check)
        self.use_main_button.clicked.connect(self.use_main_prompt)
        return box

    def _build_variants(self) -> QGroupBox:
        box = QGroupBox(self.tr("Variants"))
        self.variants_layout = QVBoxLayout()
        self.variants_layout.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton(self.tr("Add variant"))
        self.add_button.setAccessibleName(self.tr("Add variant"))
        self.remove_button = QPushButton(self.tr("Remove variant"))
        self.remove_button.setAccessibleName(self.tr("Remove variant"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)

        self.expected = QComboBox()
        self.expected.setAccessibleName(self.tr("Expected column"))
        self.expected.setToolTip(self.tr("The column each output is checked against"))
        self.expected.addItem(self.tr("(none)"), None)
        self.match = QComboBox()
        self.match.setAccessibleName(self.tr("Match mode"))
        self.match.addItem(self.tr("exact"), "exact")
        self.match.addItem(self.tr("contains"), "contains")
        self.match.addItem(self.tr("regular expression"), "regex")
        self.loglik = QCheckBox(self.tr("Log-likelihood"))
        self.loglik.setAccessibleName(self.tr("Score the expected text's log-likelihood"))
        self.loglik.setToolTip(
            self.tr(
                "Also score the expected text's log-likelihood (the server must support "
                "echo and logprobs)"
            )
        )
        self.concurrency = QSpinBox()
        self.concurrency.setRange(1, MAX_CONCURRENCY)
        self.concurrency.setValue(4)
        self.concurrency.setAccessibleName(self.tr("Concurrency per profile"))
        self.concurrency.setToolTip(self.tr("Requests in flight at once, per profile"))
        # Two lines: on one the expected column's name was squeezed to "answe" by the
        # options beside it.
        checks = QHBoxLayout()
        checks.addWidget(plain_label(self.tr("Expected")))
        checks.addWidget(self.expected, 1)
        checks.addWidget(plain_label(self.tr("Match")))
        checks.addWidget(self.match)
        options = QHBoxLayout()
        options.addWidget(self.loglik)
        options.addStretch(1)
        options.addWidget(plain_label(self.tr("Concurrency")))
        options.addWidget(self.concurrency)

        layout = QVBoxLayout(box)
        layout.addLayout(self.variants_layout)
        layout.addLayout(buttons)
        layout.addLayout(checks)
        layout.addLayout(options)
        self.add_button.clicked.connect(self.add_variant)
        self.remove_button.clicked.connect(self.remove_variant)
        self.expected.currentIndexChanged.connect(self.schedule_check)
        self.match.currentIndexChanged.connect(self.schedule_check)
        self.loglik.toggled.connect(self.schedule_check)
        return box

    def _build_data(self) -> QGroupBox:
        box = QGroupBox(self.tr("Data"))
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.tr("A CSV, TSV or JSON Lines file"))
        self.path.setAccessibleName(self.tr("Data file"))
        self.format = QComboBox()
        self.format.setAccessibleName(self.tr("Data format"))
        self.format.addItem(self.tr("Format by extension"), None)
        self.format.addItem(self.tr("CSV"), "csv")
        self.format.addItem(self.tr("TSV"), "tsv")
        self.format.addItem(self.tr("JSON Lines"), "jsonl")
        self.browse_button = QPushButton(self.tr("Browse…"))
        self.browse_button.setAccessibleName(self.tr("Choose a data file"))
        self.load_button = QPushButton(self.tr("Load"))
        self.load_button.setAccessibleName(self.tr("Load the data file"))
        # Two lines: in the data side's width the four in one line left the path ~25 px.
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse_button)
        second = QHBoxLayout()
        second.addWidget(self.format, 1)
        second.addWidget(self.load_button)
        self.data_model = DataModel(self)
        self.preview = QTableView()
        self.preview.setModel(self.data_model)
        self.preview.setAccessibleName(self.tr("Data preview"))
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setWordWrap(False)
        self.preview.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.preview.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.preview.horizontalHeader().setDefaultSectionSize(160)
        self.data_info = plain_label()
        self.data_info.setAccessibleName(self.tr("Data summary"))
        self.mapping = plain_label()
        self.mapping.setWordWrap(True)
        self.mapping.setAccessibleName(self.tr("Placeholders and their columns"))
        self.errors_label = plain_label()
        self.errors_label.setWordWrap(True)
        set_tone(self.errors_label, ERROR)
        self.errors_label.setAccessibleName(self.tr("Problems that stop the batch"))
        self.notes_label = plain_label()
        self.notes_label.setWordWrap(True)
        self.notes_label.setAccessibleName(self.tr("Notes on the batch"))
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addLayout(second)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.data_info)
        layout.addWidget(self.mapping)
        layout.addWidget(self.errors_label)
        layout.addWidget(self.notes_label)
        self.browse_button.clicked.connect(self.browse_data)
        self.load_button.clicked.connect(lambda: self.load_data_file(self.path.text().strip()))
        self.path.returnPressed.connect(lambda: self.load_data_file(self.path.text().strip()))
        self.format.currentIndexChanged.connect(self._format_changed)
        return box

    def _build_actions(self) -> QVBoxLayout:
        self.run_button = QPushButton(self.tr("Run"))
        self.run_button.setToolTip(self.tr("Run every row on every variant (Ctrl+Enter)"))
        self.run_button.setAccessibleName(self.tr("Run the batch"))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop; finished rows are kept (Esc)"))
        self.stop_button.setAccessibleName(self.tr("Stop the batch"))
        self.resume_button = QPushButton(self.tr("Resume"))
        self.resume_button.setToolTip(self.tr("Run what is left of the stopped batch"))
        self.resume_button.setAccessibleName(self.tr("Resume the batch"))
        self.open_button = QPushButton(self.tr("Open batch…"))
        self.open_button.setAccessibleName(self.tr("Open a batch file"))
        self.save_button = QPushButton(self.tr("Save batch…"))
        self.save_button.setAccessibleName(self.tr("Save the batch to a file"))
        self.save_button.setToolTip(
            self.tr("Save the template, the data file's path, the variants and the options")
        )
        self.export_csv_button = QPushButton(self.tr("Export CSV…"))
        self.export_csv_button.setAccessibleName(self.tr("Export the results as CSV"))
        self.export_jsonl_button = QPushButton(self.tr("Export JSON Lines…"))
        self.export_jsonl_button.setAccessibleName(self.tr("Export the results as JSON Lines"))
        buttons = QHBoxLayout()
        for button in (self.run_button, self.stop_button, self.resume_button):
            buttons.addWidget(button)
        buttons.addSpacing(16)
        for button in (self.open_button, self.save_button):
            buttons.addWidget(button)
        buttons.addSpacing(16)
        for button in (self.export_csv_button, self.export_jsonl_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName(self.tr("Batch progress"))
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.progress_label = plain_label()
        self.progress_label.setAccessibleName(self.tr("Batch progress details"))
        progress = QHBoxLayout()
        progress.addWidget(self.progress_bar, 1)
        progress.addWidget(self.progress_label, 2)
        self.message = plain_label()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Batch messages"))
        layout = QVBoxLayout()
        layout.addLayout(buttons)
        layout.addLayout(progress)
        layout.addWidget(self.message)
        self.run_button.clicked.connect(self.run_batch)
        self.stop_button.clicked.connect(self.stop_batch)
        self.resume_button.clicked.connect(self.resume_batch)
        self.open_button.clicked.connect(self.open_dialog)
        self.save_button.clicked.connect(self.save_dialog)
        self.export_csv_button.clicked.connect(lambda: self.export_dialog("csv"))
        self.export_jsonl_button.clicked.connect(lambda: self.export_dialog("jsonl"))
        return layout

    def _build_results(self) -> QWidget:
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search outputs, errors and row values"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search the results"))
        self.failed_only = QCheckBox(self.tr("Failed only"))
        self.failed_only.setAccessibleName(self.tr("Show failed cells only"))
        self.count_label = plain_label()
        self.count_label.setAccessibleName(self.tr("Results shown"))
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.failed_only)
        bar.addWidget(self.count_label)
        self.results = ResultsModel(self)
        self.proxy = ResultsFilter(self.results, self)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(self.tr("Batch results"))
        self.table.setToolTip(self.tr("Click a line to open that run in the document"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)  # row order until a header is clicked
        vertical = self.table.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.resizeSection(ResultsModel.VARIANT, 160)
        # Each figure column as wide as its heading or a usual figure, once (sizing to the
        # contents would scan every row on each update); the output takes the rest (at
        # 1,024 px it had 130 px beside seven columns of a fixed 110 px).
        metrics = header.fontMetrics()
        for column, samples in self.results.usual_texts().items():
            heading = str(self.results.headerData(column, Qt.Orientation.Horizontal) or "")
            widest = max(metrics.horizontalAdvance(text) for text in samples)
            header.resizeSection(column, max(metrics.horizontalAdvance(heading) + 24, widest + 14))
        header.setSectionResizeMode(ResultsModel.OUTPUT, QHeaderView.ResizeMode.Stretch)
        self.summary_table = QTableWidget(0, len(self.SUMMARY_COLUMNS))
        self.summary_table.setHorizontalHeaderLabels(
            [self.tr(name) for name in self.SUMMARY_COLUMNS]
        )
        self.summary_table.setAccessibleName(self.tr("Summary per variant"))
        self.summary_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary_table.verticalHeader().setVisible(False)
        summary_header = self.summary_table.horizontalHeader()
        # Each figure's column as wide as its heading or its widest figure ("Mean
        # log-likelihood" was cut at both ends in a fixed 100 px); the variant takes the rest.
        summary_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        summary_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.summary_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self._fit_summary()
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary_table)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.failed_only.toggled.connect(self._failed_only_toggled)
        self.table.clicked.connect(self.open_cell)
        self.table.activated.connect(self.open_cell)
        return box

    # -- template ------------------------------------------------------------------------

    def use_main_prompt(self) -> None:
        """Take the prompt, the suffix and the parameters from the main window."""
        try:
            request = self.workspace.build_request(validate=False)
        except (RequestValidationError, ValueError) as exc:
            problems = getattr(exc, "errors", None)
            text = "; ".join(text_of(e.msg) for e in problems) if problems else str(exc)
            self._say(self.tr("The main window's prompt cannot be used: {0}").format(text), True)
            return
        prompt = request.prompt
        params = request.parameters()
        suffix = params.pop("suffix", "")
        self._parameters = params
        text = prompt if isinstance(prompt, str) else json.dumps(prompt, ensure_ascii=False)
        self.template.setPlainText(text)
        self.suffix.setPlainText(suffix if isinstance(suffix, str) else "")
        self._show_parameters()
        self.schedule_check()

    def _show_parameters(self) -> None:
        shown = ", ".join(
            f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in sorted(self._parameters.items())
        )
        self.parameters_label.setText(self.tr("Parameters: {0}").format(shown or "—"))

    # -- variants ------------------------------------------------------------------------

    def _profile_names(self) -> list[str]:
        return [p.name for p in self.profiles.profiles]

    def add_variant(self) -> VariantRow | None:
        if len(self.variant_rows) >= MAX_VARIANTS:
            return None
        row = VariantRow(len(self.variant_rows), self._profile_names(), self)
        row.profile.setCurrentText(self.workspace.current_profile().name)
        row.set_model(self.workspace.current_model())
        row.profile.currentTextChanged.connect(lambda name, r=row: self._profile_chosen(r, name))
        row.changed.connect(self.schedule_check)
        self.variant_rows.append(row)
        self.variants_layout.addWidget(row)
        self._update_variant_buttons()
        self.schedule_check()
        return row

    def remove_variant(self) -> None:
        if len(self.variant_rows) <= 1:
            return
        row = self.variant_rows.pop()
        row.setParent(None)
        row.deleteLater()
        self._update_variant_buttons()
        self.schedule_check()

    def _update_variant_buttons(self) -> None:
        self.add_button.setEnabled(len(self.variant_rows) < MAX_VARIANTS)
        self.remove_button.setEnabled(len(self.variant_rows) > 1)

    def _profile_chosen(self, row: VariantRow, name: str) -> None:
        profile = self.profiles.find(name)
        if profile is not None and profile.default_model:
            row.set_model(profile.default_model)

    def _refresh_profiles(self) -> None:
        names = self._profile_names()
        for row in self.variant_rows:
            row.set_profiles(names)

    # -- data ----------------------------------------------------------------------------

    def browse_data(self) -> QFileDialog:
        dialog = QFileDialog(self, self.tr("Open data file"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters(
            [
                self.tr("Data files (*.csv *.tsv *.tab *.jsonl *.ndjson *.json)"),
                self.tr("All files (*)"),
            ]
        )
        if self.data_path:
            dialog.setDirectory(str(Path(self.data_path).parent))
        dialog.fileSelected.connect(self.load_data_file)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _format_changed(self) -> None:
        if self.path.text().strip():
            self.load_data_file(self.path.text().strip())

    def load_data_file(self, path: str) -> bool:
        """Read ``path`` into the preview; a problem is shown (and Run disabled)."""
        path = path.strip()
        if self.path.text() != path:
            self.path.setText(path)
        if not path:
            return False
        try:
            data = load_data(path, self.format.currentData())
        except DataError as exc:
            self.data, self.data_path = None, path
            self._data_error = text_of(exc.msg)
            self.data_model.set_data(None)
            self.data_info.setText("")
            self._fill_expected(())
            self.check()
            return False
        self.data, self.data_path, self._data_error = data, path, None
        self.data_model.set_data(data)
        self.data_info.setText(
            self.tr("{0} rows, {1} columns").format(len(data.rows), len(data.columns))
        )
        self._fill_expected(data.columns)
        self.check()
        return True

    def _fill_expected(self, columns: tuple[str, ...] | list[str]) -> None:
        chosen = self.expected.currentData()
        self.expected.blockSignals(True)
        self.expected.clear()
        self.expected.addItem(self.tr("(none)"), None)
        for column in columns:
            self.expected.addItem(column, column)
        index = self.expected.findData(chosen) if chosen else 0
        self.expected.setCurrentIndex(max(0, index))
        self.expected.blockSignals(False)

    def set_expected(self, column: str | None) -> None:
        """Choose the expected column (one the data lacks is listed, so the check names it)."""
        if not column:
            self.expected.setCurrentIndex(0)
            return
        index = self.expected.findData(column)
        if index < 0:
            self.expected.addItem(column, column)
            index = self.expected.count() - 1
        self.expected.setCurrentIndex(index)

    # -- checking ------------------------------------------------------------------------

    def schedule_check(self) -> None:
        self._check_timer.start()

    def current_spec(self) -> tuple[BatchSpec, list[str]]:
        """The batch as set up now, and the variants' own problems (bad overrides…)."""
        problems: list[str] = []
        variants: list[CompareTarget] = []
        for row in self.variant_rows:
            number = row.index + 1
            try:
                target = row.target()
            except OverrideError as exc:
                problems.append(self.tr("Variant {0}: {1}").format(number, text_of(exc.msg)))
                target = row.loose_target()
            if target.profile and self.profiles.find(target.profile) is None:
                problems.append(
                    self.tr("Variant {0}: there is no profile named {1}.").format(
                        number, target.profile
                    )
                )
            variants.append(target)
        parameters = dict(self._parameters)
        suffix = self.suffix.toPlainText()
        if suffix:
            parameters["suffix"] = suffix
        spec = BatchSpec(
            prompt=self.template.toPlainText(),
            parameters=parameters,
            variants=variants,
            data_path=self.data_path,
            data_format=self.format.currentData(),
            expected_column=self.expected.currentData(),
            match=self.match.currentData(),
            loglik=self.loglik.isChecked(),
            concurrency=self.concurrency.value(),
            name=self._name,
        )
        return spec, problems

    def check(self) -> list[str]:
        """Check the set-up against the data now; returns the errors (Run needs none)."""
        self._check_timer.stop()
        spec, errors = self.current_spec()
        notes: list[str] = []
        data = self.data
        if self._data_error is not None:
            errors.insert(0, self._data_error)
        if data is not None:
            check = spec.check(data)
            errors += [text_of(m) for m in check.errors]
            notes += [text_of(m) for m in check.notes]
        elif self._data_error is None:
            notes.append(self.tr("Load a data file to check the template against its columns."))
        self.check_errors, self.check_notes = errors, notes
        self.errors_label.setText("\n".join(errors))
        self.errors_label.setVisible(bool(errors))
        self.notes_label.setText("\n".join(notes))
        self.notes_label.setVisible(bool(notes))
        self._show_mapping(spec)
        if self.results.batch is None:
            self._configure_columns(spec)
        self._update_buttons()
        return errors

    def _show_mapping(self, spec: BatchSpec) -> None:
        prompt = spec.prompt if isinstance(spec.prompt, str) else ""
        names = placeholders(prompt, spec.suffix)
        columns = self.data.columns if self.data is not None else ()
        parts = []
        for name in names:
            if name in columns:
                parts.append("{{" + name + "}} → " + name)
            else:
                parts.append(self.tr("{0} → no column").format("{{" + name + "}}"))
        if parts:
            self.mapping.setText(self.tr("Placeholders: {0}").format("; ".join(parts)))
        else:
            self.mapping.setText(self.tr("The template has no placeholders."))
        notes = {}
        for column in columns:
            if column in names:
                notes[column] = "← {{" + column + "}}"
            elif column == spec.expected_column:
                notes[column] = self.tr("(expected)")
            else:
                notes[column] = self.tr("(unused)")
        self.data_model.set_notes(notes)

    def mapping_of(self) -> dict[str, str | None]:
        """Each placeholder and the column that fills it (``None``: no column)."""
        spec, _ = self.current_spec()
        columns = self.data.columns if self.data is not None else ()
        prompt = spec.prompt if isinstance(spec.prompt, str) else ""
        return {n: (n if n in columns else None) for n in placeholders(prompt, spec.suffix)}

    # -- running -------------------------------------------------------------------------

    @property
    def is_running(self) -> bool:
        return self.task is not None and not self.task.done()

    def run_batch(self) -> asyncio.Task[BatchProgress] | None:
        """Start a new batch with the set-up as it is (checked first).

        The batch's cells (every row's request, checked) are built in a worker thread, so
        a large data set does not hold up the window; then they run.
        """
        if self.is_running:
            return None
        if self.check() or self.data is None:
            self._say(self.tr("Not run: fix the problems shown first."), True)
            return None
        spec, _ = self.current_spec()
        self.batch = None
        self.results.set_batch(None)
        self._progress = None
        self.update_summary()
        self._say(self.tr("Preparing {0} rows…").format(len(self.data.rows)))
        return self._spawn(self._build_and_run(spec, self.data))

    async def _build_and_run(self, spec: BatchSpec, data: DataSet) -> BatchProgress:
        limit = self.controller.output_limit
        batch = await asyncio.to_thread(BatchRun, spec, data, output_limit=limit)
        self.batch = batch
        self.results.set_batch(batch)  # sorted as the last batch was
        self._configure_columns(batch.spec)
        self.update_summary()
        return await self._run(batch)

    def resume_batch(self) -> asyncio.Task[BatchProgress] | None:
        """Run what is left of the last batch (its finished cells are kept)."""
        batch = self.batch
        if self.is_running or batch is None or batch.progress().remaining == 0:
            return None
        return self._spawn(self._run(batch))

    def stop_batch(self) -> None:
        """Stop the batch: finished cells are kept, Resume runs the rest."""
        if not self.is_running:
            return
        self._say(self.tr("Stopping…"))
        if self.batch is not None and self.batch.running:
            self.batch.stop()
        elif self.task is not None:
            self.task.cancel()  # still preparing: nothing was sent

    def _spawn(self, coro: Coroutine[Any, Any, BatchProgress]) -> asyncio.Task[BatchProgress]:
        task = asyncio.get_running_loop().create_task(coro)
        self.task = task
        task.add_done_callback(self._on_task_done)
        self._update_buttons()
        return task

    async def _run(self, batch: BatchRun) -> BatchProgress:
        batch.spec.concurrency = self.concurrency.value()  # Resume may use a new limit
        self._progress = batch.progress()
        self._summary_at = time.monotonic()
        self._say(self.tr("Running {0} rows on {1} variant(s)…").format(
            len(batch.data.rows), len(batch.variants)))  # fmt: skip
        self._show_progress()
        return await batch.run(
            self.controller.runner,
            self.profiles.find,
            on_cell=self._on_cell,
            on_progress=self._on_progress,
        )

    def _on_cell(self, cell: BatchCell) -> None:
        self.results.mark(cell)
        if not self._frame.isActive():
            self._frame.start()

    def _on_progress(self, progress: BatchProgress) -> None:
        self._progress = progress
        self._progress_changed = True
        if not self._frame.isActive():
            self._frame.start()

    def _on_frame(self) -> None:
        """Once per frame: changed lines to the table, the progress, now and then the
        summary; the timer stops when a frame finds nothing to do."""
        ranges = self.results.flush()
        changed = self._progress_changed
        self._progress_changed = False
        if changed:
            self._show_progress()
        now = time.monotonic()
        if ranges and now - self._summary_at >= SUMMARY_EVERY_S:
            self._summary_at = now
            self.update_summary()
            if self.results.sorted_by_figures:
                self.results.resort()  # finished cells move to their place
            self._show_count()
        if not ranges and not changed:
            self._frame.stop()

    def _on_task_done(self, task: asyncio.Task[BatchProgress]) -> None:
        self._frame.stop()
        self.results.flush()
        if self.results.sorted_by_figures:
            self.results.resort()
        batch = self.batch
        error = None if task.cancelled() else task.exception()
        if batch is not None:
            self._progress = batch.progress()
            self._progress_changed = False
            self._show_progress()
            self.update_summary()
            self._show_count()
        self._update_buttons()
        if isinstance(error, BatchInputError):
            self._show_errors(error.errors)
        elif error is not None:
            self._say(self.tr("The batch stopped: {0}").format(error), True)
        elif batch is None:
            self._say(self.tr("Not run: stopped before anything was sent."))
        elif self._progress is not None and self._progress.finished:
            p = self._progress
            self._say(
                self.tr("Done: {0} cells ({1} failed) in {2:.1f} s. Saved to history as one group.")
                .format(p.done, p.failed, p.elapsed)
            )  # fmt: skip
        else:
            self._say(self._stopped_text(batch.progress()))
        if batch is not None:
            self.finished.emit(batch.batch_id)

    def _stopped_text(self, progress: BatchProgress) -> str:
        return self.tr("Stopped: {0} of {1} cells done; Resume runs the {2} left.").format(
            progress.done, progress.total, progress.remaining
        )

    def _show_errors(self, errors: list[Message]) -> None:
        texts = [text_of(m) for m in errors]
        self.errors_label.setText("\n".join(texts))
        self.errors_label.setVisible(bool(texts))
        self._say(self.tr("Not run: fix the problems shown first."), True)

    def _configure_columns(self, spec: BatchSpec) -> None:
        """Show the cost, pass and log-likelihood columns only when ``spec`` fills them
        (a batch's, or before any batch the set-up's, so the empty table looks as the
        results will)."""
        priced = False
        for variant in spec.variants:
            profile = self.profiles.find(variant.profile)
            priced = priced or (profile is not None and Prices.of(profile) is not None)
        self.table.setColumnHidden(ResultsModel.COST, not priced)
        self.table.setColumnHidden(ResultsModel.PASS, not spec.expected_column)
        self.table.setColumnHidden(ResultsModel.LOGLIK, not spec.loglik)
        self.summary_table.setColumnHidden(self.PASS_COLUMN, not spec.expected_column)
        self.summary_table.setColumnHidden(self.LOGLIK_COLUMN, not spec.loglik)

    def _duration(self, seconds: float) -> str:
        seconds = max(0.0, seconds)
        if seconds < 60:
            return self.tr("{0:.0f} s").format(seconds)
        if seconds < 3600:
            minutes, rest = divmod(int(seconds), 60)
            return self.tr("{0} min {1:02d} s").format(minutes, rest)
        hours, rest = divmod(int(seconds) // 60, 60)
        return self.tr("{0} h {1:02d} min").format(hours, rest)

    def progress_text(self, progress: BatchProgress) -> str:
        parts = [self.tr("{0} of {1} done").format(progress.done, progress.total)]
        if progress.failed:
            parts.append(self.tr("{0} failed").format(progress.failed))
        if progress.rows_per_second:
            parts.append(self.tr("{0:.1f} rows/s").format(progress.rows_per_second))
        if progress.active and progress.eta is not None and progress.remaining:
            parts.append(self.tr("about {0} left").format(self._duration(progress.eta)))
        if progress.retrying:
            parts.append(self.tr("waiting for the server (429): {0}").format(progress.retrying))
        return " · ".join(parts)

    def _show_progress(self) -> None:
        progress = self._progress
        if progress is None:
            return
        self.progress_bar.setRange(0, max(1, progress.total))
        self.progress_bar.setValue(progress.done)
        self.progress_label.setText(self.progress_text(progress))

    def _update_buttons(self) -> None:
        running = self.is_running
        batch = self.batch
        left = batch is not None and batch.progress().remaining > 0
        self.run_button.setEnabled(not running and self.data is not None and not self.check_errors)
        self.stop_button.setEnabled(running)
        self.resume_button.setEnabled(not running and left)
        self.export_csv_button.setEnabled(batch is not None)
        self.export_jsonl_button.setEnabled(batch is not None)
        self.open_button.setEnabled(not running)

    # -- results -------------------------------------------------------------------------

    def _apply_search(self) -> None:
        self.proxy.set_text(self.search.text())
        self._show_count()

    def _failed_only_toggled(self, on: bool) -> None:
        self.proxy.set_failed_only(on)
        self._show_count()

    def _show_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.results.rowCount()
        self.count_label.setText(self.tr("{0} of {1} shown").format(shown, total) if total else "")

    def cell_at(self, index: QModelIndex) -> BatchCell | None:
        """The cell on a line of the results table (an index of the proxy)."""
        if not index.isValid():
            return None
        line = self.proxy.mapToSource(index).row()
        return self.results.cell_at(line) if 0 <= line < self.results.rowCount() else None

    def open_cell(self, index: QModelIndex) -> None:
        """Open the clicked line's run in the main window (its history record)."""
        cell = self.cell_at(index)
        if cell is None:
            return
        record = cell.record_id
        if record is None:
            if not cell.done:
                self._say(self.tr("Row {0} has not run on variant {1} yet.").format(
                    cell.row + 1, cell.variant + 1))  # fmt: skip
            else:
                self._say(self.tr("This run is not in the history, so it cannot be opened."),
                          True)  # fmt: skip
            return
        now = time.monotonic()
        interval = QApplication.doubleClickInterval() / 1000
        if self._last_opened is not None:
            last, at = self._last_opened
            if last == record and now - at < interval:
                return  # the second click of a double-click
        self._last_opened = (record, now)
        self.openRun.emit(record)

    def update_summary(self) -> None:
        rows = self.batch.summary() if self.batch is not None else []
        table = self.summary_table
        if table.rowCount() != len(rows):
            table.setRowCount(len(rows))
            self._fit_summary()
        for line, summary in enumerate(rows):
            for column, text in enumerate(self._summary_texts(summary)):
                item = table.item(line, column)
                if item is None:
                    item = QTableWidgetItem()
                    table.setItem(line, column, item)
                if item.text() != text:
                    item.setText(text)
                    item.setToolTip(plain_tooltip(text) if column == 0 else "")

    def _fit_summary(self) -> None:
        """The summary is as tall as its lines (one per variant), so the results get the rest."""
        table = self.summary_table
        lines = max(1, table.rowCount())
        height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
        height += lines * table.verticalHeader().defaultSectionSize()
        height += table.horizontalScrollBar().sizeHint().height()  # room if columns overflow
        table.setFixedHeight(height)

    def _summary_texts(self, s: VariantSummary) -> list[str]:
        def ms(value: float | None) -> str:
            return self.tr("{0:.0f} ms").format(value * 1000) if value is not None else "—"

        if s.pass_rate is not None:
            passed = self.tr("{0:.0%} ({1} of {2})").format(s.pass_rate, s.passed, s.checked)
        else:
            passed = "—"
        tokens = ("≈" if s.tokens_estimated else "") + f"{s.total_tokens:,}"
        cost = f"{_money(s.cost)} {s.currency or ''}".rstrip() if s.cost is not None else "—"
        loglik = f"{s.mean_loglik:.3f}" if s.mean_loglik is not None else "—"
        return [
            f"{s.variant + 1} · {s.label}",
            f"{s.done} / {s.cells}",
            str(s.failed),
            passed,
            ms(s.mean_latency),
            ms(s.p95_latency),
            tokens,
            cost,
            loglik,
        ]

    # -- files ---------------------------------------------------------------------------

    def _file_dialog(self, title: str, filters: list[str], save: bool, suffix: str) -> QFileDialog:
        dialog = QFileDialog(self, title)
        dialog.setNameFilters(filters)
        if save:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setDefaultSuffix(suffix)
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        self.dialog = dialog
        return dialog

    def export_dialog(self, kind: str) -> QFileDialog | None:
        if self.batch is None:
            return None
        if kind == "csv":
            dialog = self._file_dialog(
                self.tr("Export results as CSV"), [self.tr("CSV files (*.csv)")], True, "csv"
            )
        else:
            dialog = self._file_dialog(
                self.tr("Export results as JSON Lines"),
                [self.tr("JSON Lines files (*.jsonl)")],
                True,
                "jsonl",
            )
        dialog.fileSelected.connect(lambda path: self.export_to(path, kind))
        dialog.open()
        return dialog

    def export_to(self, path: str, kind: str) -> bool:
        """Write every cell's result to ``path`` (``kind``: ``csv`` or ``jsonl``)."""
        if self.batch is None:
            return False
        try:
            if kind == "csv":
                export_csv(self.batch, path)
            else:
                export_jsonl(self.batch, path)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            self._say(self.tr("The results could not be written to {0}: {1}").format(path, reason),
                      True)  # fmt: skip
            return False
        self._say(self.tr("{0} results written to {1}.").format(len(self.batch.cells), path))
        return True

    def save_dialog(self) -> QFileDialog:
        dialog = self._file_dialog(
            self.tr("Save batch"), [self.tr("Batch files (*.json)")], True, "json"
        )
        dialog.fileSelected.connect(self.save_to)
        dialog.open()
        return dialog

    def save_to(self, path: str) -> bool:
        """Save the set-up (template, data file's path, variants, options) to ``path``."""
        spec, _ = self.current_spec()
        spec.name = spec.name or Path(path).stem
        try:
            write_batch_file(path, spec)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            self._say(self.tr("The batch could not be saved to {0}: {1}").format(path, reason),
                      True)  # fmt: skip
            return False
        self._name = spec.name
        self._say(self.tr("Batch saved to {0}.").format(path))
        return True

    def open_dialog(self) -> QFileDialog:
        dialog = self._file_dialog(
            self.tr("Open batch"), [self.tr("Batch files (*.json)")], False, "json"
        )
        dialog.fileSelected.connect(self.open_file)
        dialog.open()
        return dialog

    def open_file(self, path: str) -> bool:
        """Read a batch file and set the window up from it (its data file is loaded)."""
        if self.is_running:
            return False
        try:
            spec = read_batch_file(path)
        except BatchFileError as exc:
            self._say(text_of(exc.msg), True)
            return False
        self.apply_spec(spec)
        self._say(self.tr("Batch opened from {0}.").format(path))
        return True

    def apply_spec(self, spec: BatchSpec) -> None:
        """Show ``spec`` in the window (and load its data file, if it names one)."""
        self._name = spec.name
        prompt = spec.prompt
        self.template.setPlainText(
            prompt if isinstance(prompt, str) else json.dumps(prompt, ensure_ascii=False)
        )
        parameters = dict(spec.parameters)
        suffix = parameters.pop("suffix", "")
        self._parameters = parameters
        self.suffix.setPlainText(suffix if isinstance(suffix, str) else "")
        self._show_parameters()
        wanted = max(1, len(spec.variants))
        while len(self.variant_rows) > wanted:
            self.remove_variant()
        while len(self.variant_rows) < wanted:
            self.add_variant()
        for row, target in zip(self.variant_rows, spec.variants, strict=False):
            row.set_target(target)
        self.match.setCurrentIndex(max(0, self.match.findData(spec.match)))
        self.loglik.setChecked(spec.loglik)
        self.concurrency.setValue(spec.concurrency)
        self.format.blockSignals(True)
        self.format.setCurrentIndex(max(0, self.format.findData(spec.data_format)))
        self.format.blockSignals(False)
        if spec.data_path:
            self.load_data_file(spec.data_path)
        else:
            self.data, self.data_path, self._data_error = None, "", None
            self.path.clear()
            self.data_model.set_data(None)
            self._fill_expected(())
        self.set_expected(spec.expected_column)
        self.check()

    # -- window --------------------------------------------------------------------------

    def _say(self, text: str, error: bool = False) -> None:
        set_tone(self.message, ERROR if error else None)
        self.message.setText(text)
