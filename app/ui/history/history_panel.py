"""The history panel: newest runs first, searchable, filterable, paged lazily.

:class:`HistoryTableModel` is a Qt table model that fetches 200 rows at a time
(``canFetchMore``/``fetchMore``), so 10,000 runs open as fast as 200. Actions: restore a
run into the editor, copy its output, delete, export the selection as JSONL or Markdown.
Database work runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.history import HistoryError, HistoryStore, RunRecord, RunSummary
from app.ui.common.plain import plain_label, plain_tooltip
from app.ui.common.task_keeper import TaskKeeper

__all__ = ["PAGE", "HistoryPanel", "HistoryTableModel"]

PAGE = 200
_Index = QModelIndex | QPersistentModelIndex


class HistoryTableModel(QAbstractTableModel):
    COLUMNS = (
        QT_TRANSLATE_NOOP("HistoryTableModel", "When"),
        QT_TRANSLATE_NOOP("HistoryTableModel", "Model"),
        QT_TRANSLATE_NOOP("HistoryTableModel", "Profile"),
        QT_TRANSLATE_NOOP("HistoryTableModel", "Status"),
        QT_TRANSLATE_NOOP("HistoryTableModel", "Prompt"),
        QT_TRANSLATE_NOOP("HistoryTableModel", "Output"),
    )
    STATUSES: ClassVar[dict[str, str]] = {
        "ok": QT_TRANSLATE_NOOP("HistoryTableModel", "ok"),
        "error": QT_TRANSLATE_NOOP("HistoryTableModel", "error"),
        "cancelled": QT_TRANSLATE_NOOP("HistoryTableModel", "stopped"),
    }

    def __init__(self, store: HistoryStore | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.rows: list[RunSummary] = []
        self.total = 0
        self.text = ""
        self.model_filter: str | None = None
        self.profile_filter: str | None = None

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = []
        self.total = 0
        if self.store is not None:
            try:
                self.total = self.store.count(self.text, self.model_filter, self.profile_filter)
                self.rows = self.store.search(
                    self.text, self.model_filter, self.profile_filter, limit=PAGE
                )
            except HistoryError:
                self.rows, self.total = [], 0
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: _Index) -> None:
        if self.store is None or parent.isValid():
            return
        more = self.store.search(
            self.text, self.model_filter, self.profile_filter, limit=PAGE, offset=len(self.rows)
        )
        if more:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
            self.rows.extend(more)
            self.endInsertRows()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(self.COLUMNS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        column = index.column()
        if column == 0:
            value = time.strftime("%Y-%m-%d %H:%M", time.localtime(row.created))
        elif column == 3:
            value = self.tr(self.STATUSES.get(row.status, row.status))
        else:
            value = (row.model, row.profile, row.status, row.prompt, row.output)[column - 1] or ""
        if role == Qt.ItemDataRole.ToolTipRole:  # tooltips are rich-text-guessed: escape
            return plain_tooltip(value)
        return " ".join(value.split()) if column not in (0, 3) else value


class HistoryPanel(QWidget):
    restoreRequested = Signal(object)  # RunRecord
    inspectRequested = Signal(object)  # RunRecord
    problem = Signal(str)

    def __init__(self, store: HistoryStore | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._tasks = TaskKeeper()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search prompts and outputs"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search history"))
        self.model_filter = QComboBox()
        self.model_filter.setAccessibleName(self.tr("Filter by model"))
        self.profile_filter = QComboBox()
        self.profile_filter.setAccessibleName(self.tr("Filter by profile"))
        self.table_model = HistoryTableModel(store, self)
        self.table = QTableView()
        self.table.setModel(self.table_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName(self.tr("Runs"))
        self.restore_button = QPushButton(self.tr("Restore"))
        self.copy_button = QPushButton(self.tr("Copy output"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.inspect_button = QPushButton(self.tr("Inspect wire…"))
        self.inspect_button.setToolTip(self.tr("The request sent and the raw response"))
        self.export_jsonl = QPushButton(self.tr("Export JSONL…"))
        self.export_md = QPushButton(self.tr("Export Markdown…"))
        self.notice = plain_label()
        self.notice.setWordWrap(True)
        self.notice.hide()
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.model_filter, 1)
        filters.addWidget(self.profile_filter, 1)
        buttons = QHBoxLayout()
        for button in (self.restore_button, self.copy_button, self.inspect_button,
                       self.delete_button, self.export_jsonl, self.export_md):  # fmt: skip
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.model_filter.activated.connect(lambda _i: self.reload())
        self.profile_filter.activated.connect(lambda _i: self.reload())
        self.table.doubleClicked.connect(lambda _i: self.restore_selected())
        self.restore_button.clicked.connect(self.restore_selected)
        self.copy_button.clicked.connect(self.copy_selected)
        self.inspect_button.clicked.connect(self.inspect_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.export_jsonl.clicked.connect(lambda: self._export("jsonl"))
        self.export_md.clicked.connect(lambda: self._export("md"))
        if store is None:
            self.set_disabled_notice(self.tr("History is disabled."))
        self.reload()

    def set_disabled_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setStyleSheet("color: #b71c1c;")
        self.notice.show()
        for widget in (self.search, self.table, self.restore_button, self.copy_button,
                       self.delete_button, self.export_jsonl, self.export_md):  # fmt: skip
            widget.setEnabled(False)

    def reload(self) -> None:
        model = self.table_model
        model.text = self.search.text()
        model.model_filter = self.model_filter.currentData()
        model.profile_filter = self.profile_filter.currentData()
        model.reload()
        self._refresh_filters()

    def _refresh_filters(self) -> None:
        if self.store is None:
            return
        try:
            models, profiles = self.store.distinct("model"), self.store.distinct("profile")
        except HistoryError as exc:
            self.problem.emit(str(exc))
            return
        for combo, values, label in (
            (self.model_filter, models, self.tr("All models")),
            (self.profile_filter, profiles, self.tr("All profiles")),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(label, None)
            for value in values:
                combo.addItem(value, value)
            combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)
            combo.blockSignals(False)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.table_model.rows[r].id for r in rows]

    def _record(self, run_id: int) -> RunRecord | None:
        assert self.store is not None
        try:
            return self.store.get(run_id)
        except (HistoryError, KeyError) as exc:
            self.problem.emit(str(exc))
            return None

    def restore_selected(self) -> None:
        ids = self.selected_ids()
        record = self._record(ids[0]) if ids and self.store else None
        if record is not None:
            self.restoreRequested.emit(record)

    def inspect_selected(self) -> None:
        ids = self.selected_ids()
        record = self._record(ids[0]) if ids and self.store else None
        if record is not None:
            self.inspectRequested.emit(record)

    def copy_selected(self) -> None:
        if self.store is None:
            return
        texts = [r.output for i in self.selected_ids() if (r := self._record(i)) is not None]
        QGuiApplication.clipboard().setText("\n\n".join(texts))

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if ids and self.store is not None:
            self._in_thread(self.store.delete, ids)

    def _in_thread(
        self, func: Callable[..., Any], *args: Any, refresh: bool = True
    ) -> asyncio.Task[None]:
        async def work() -> None:
            try:
                await asyncio.to_thread(func, *args)
            except (HistoryError, OSError) as exc:
                self.problem.emit(str(exc))
            if refresh:
                self.reload()

        return self._tasks.spawn(work())

    def _export(self, kind: str) -> None:
        ids = self.selected_ids()
        if not ids or self.store is None:
            return
        dialog = QFileDialog(self, self.tr("Export runs"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(kind)
        dialog.setNameFilter("JSON Lines (*.jsonl)" if kind == "jsonl" else "Markdown (*.md)")
        dialog.fileSelected.connect(lambda path: self.export_to(kind, ids, Path(path)))
        dialog.open()

    def export_to(self, kind: str, ids: list[int], path: Path) -> asyncio.Task[None]:
        assert self.store is not None
        func = self.store.export_jsonl if kind == "jsonl" else self.store.export_markdown
        return self._in_thread(func, ids, path, refresh=False)

    def record(self, record: RunRecord) -> asyncio.Task[None] | None:
        """Save a finished run (in a worker thread) and show it."""
        if self.store is None:
            return None
        return self._in_thread(self.store.add, record)
