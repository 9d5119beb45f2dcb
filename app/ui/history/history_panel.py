"""The history panel: newest runs first, searchable, filterable, paged lazily.

:class:`HistoryTableModel` is a Qt table model that fetches 200 rows at a time
(``canFetchMore``/``fetchMore``) by keyset: each page continues after the ``(created, id)``
of the last run read, so the page at run 100,000 costs what the first does, and a run
recorded meanwhile never shifts a page. A search reads at most
:data:`~app.core.history.SCAN_STEP` runs per request (:meth:`HistoryStore.scan`): a page of a
rare text may come in several short steps, the next one an event-loop turn later when a
step found nothing (the view asks for more only when it shows the last row), and typing
another search drops the steps of the last. New runs are added at the top (the rows
already loaded, the scroll position and the selection stay). Actions: restore a run into
the editor, copy its output, delete, export the selection as JSONL or Markdown. Recording,
deleting and exporting run in a worker thread; a page is read on the spot.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar, overload

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

from app.core.history import (
    HistoryError,
    HistoryStore,
    Key,
    RunRecord,
    RunSummary,
    ScanPage,
    Tally,
)
from app.ui.common.plain import plain_label, plain_tooltip
from app.ui.common.task_keeper import TaskKeeper
from app.ui.common.tones import ERROR, set_tone
from app.ui.common.wording import text_of

__all__ = ["PAGE", "HistoryPanel", "HistoryTableModel", "Rows"]

PAGE = 200
#: Rows let go of per event-loop turn when the list is read again (~3 ms).
FREE_SLICE = 10_000
_Index = QModelIndex | QPersistentModelIndex


class Rows(Sequence[RunSummary]):
    """The rows the list holds, kept as plain tuples; reading one gives a RunSummary.

    Python's collector stops tracking a tuple of plain values, but never a named tuple:
    100,000 rows kept as RunSummary would add tens of milliseconds to every full collection
    in the process (a pause while scrolling, or while a run streams).
    """

    __slots__ = ("_items",)

    def __init__(self, rows: Iterable[RunSummary] = ()) -> None:
        self._items: list[tuple[Any, ...]] = [tuple(row) for row in rows]

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> RunSummary: ...

    @overload
    def __getitem__(self, index: slice) -> list[RunSummary]: ...

    def __getitem__(self, index: int | slice) -> RunSummary | list[RunSummary]:
        if isinstance(index, slice):
            return [RunSummary._make(item) for item in self._items[index]]
        return RunSummary._make(self._items[index])

    def insert(self, at: int, rows: Iterable[RunSummary]) -> None:
        self._items[at:at] = [tuple(row) for row in rows]

    def extend(self, rows: Iterable[RunSummary]) -> None:
        self._items.extend(tuple(row) for row in rows)

    def remove(self, first: int, last: int) -> None:
        """Remove rows ``first`` to ``last`` (inclusive)."""
        del self._items[first : last + 1]

    def ids(self) -> list[int]:
        return [item[0] for item in self._items]

    def free_later(self) -> None:
        """Let go of the rows a slice per event-loop turn (freeing 100,000 at once took
        ~35 ms: a pause when a search follows a long scroll)."""
        items, self._items = self._items, []

        def drop() -> None:
            del items[-FREE_SLICE:]
            if items:
                QTimer.singleShot(0, drop)

        if items:
            drop()


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

    #: A page could not be read (the sentence for the user).
    failed = Signal(str)

    def __init__(self, store: HistoryStore | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.rows = Rows()
        self.text = ""
        self.model_filter: str | None = None
        self.profile_filter: str | None = None
        #: Where the next page goes on (the last run read); ``None``: nothing more.
        self._next: Key | None = None
        #: The database as the list last saw it (what :meth:`refresh` compares with).
        self._tally: Tally | None = None
        #: Bumped by every reload: a step scheduled for an earlier list is dropped.
        self._generation = 0

    def filters(self) -> tuple[str, str | None, str | None]:
        return (self.text, self.model_filter, self.profile_filter)

    def _step(self, page: ScanPage | None = None) -> list[RunSummary]:
        """The next step after :attr:`_next` (or ``page``, the first, read already)."""
        assert self.store is not None
        if page is None:
            text, model, profile = self.filters()
            page = self.store.scan(self._next, PAGE, text=text, model=model, profile=profile)
        self._next = page.next
        if not page.rows and page.next is not None:  # nothing in this step: no row to show
            generation = self._generation  # for the view to ask for more; go on by itself
            QTimer.singleShot(0, lambda: generation == self._generation and self._go_on())
        return page.rows

    def _go_on(self) -> None:
        self.fetchMore(QModelIndex())

    def _failed(self, exc: HistoryError) -> None:
        self._next = None
        self.failed.emit(text_of(exc.msg))

    def reload(self) -> None:
        """Start again from the newest run (after the filters changed, or to resync)."""
        self._generation += 1
        self.beginResetModel()
        self.rows.free_later()
        self.rows, self._next, self._tally = Rows(), None, None
        if self.store is not None:
            try:
                text, model, profile = self.filters()
                self._tally, first = self.store.opening(PAGE, text=text, model=model,
                                                        profile=profile)  # fmt: skip
                self.rows = Rows(self._step(first))
            except HistoryError as exc:
                self.rows = Rows()
                self._failed(exc)
        self.endResetModel()

    def refresh(self) -> None:
        """Add the runs recorded since the list was read above it; read it again if runs
        went away behind its back (another process pruned, say) or many were recorded."""
        if self.store is None or self._tally is None:
            self.reload()
            return
        text, model, profile = self.filters()
        try:
            since = self.store.since(self._tally, PAGE + 1, text=text, model=model,
                                     profile=profile)  # fmt: skip
        except HistoryError as exc:
            self._failed(exc)
            return
        if since is None or len(since[1]) > PAGE:
            self.reload()
            return
        self._tally, newer = since
        if newer:
            self.beginInsertRows(QModelIndex(), 0, len(newer) - 1)
            self.rows.insert(0, newer)
            self.endInsertRows()

    def forget(self, ids: list[int]) -> None:
        """Take deleted runs out of the list (the rest, and the scroll position, stay)."""
        gone = set(ids)
        shown = self.rows.ids()
        removed = 0
        last = len(shown) - 1
        while last >= 0:  # from the bottom, a block of adjacent rows at a time
            if shown[last] not in gone:
                last -= 1
                continue
            first = last
            while first > 0 and shown[first - 1] in gone:
                first -= 1
            self.beginRemoveRows(QModelIndex(), first, last)
            self.rows.remove(first, last)
            self.endRemoveRows()
            removed += last - first + 1
            last = first - 1
        if self._tally is not None:  # deleted here, not gone behind the list's back
            self._tally = self._tally._replace(runs=self._tally.runs - removed)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and self._next is not None

    def fetchMore(self, parent: _Index) -> None:
        """The next step, after the last run read (never an offset)."""
        if self.store is None or parent.isValid() or self._next is None:
            return
        try:
            more = self._step()
        except HistoryError as exc:
            self._failed(exc)
            return
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
        elif column == 5 and not row.output and row.error:
            # A failed run without text: say why, rather than an empty cell.
            value = "⚠ " + row.error
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
        self.table_model.failed.connect(self.problem)
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
        set_tone(self.notice, ERROR)
        self.notice.show()
        for widget in (self.search, self.table, self.restore_button, self.copy_button,
                       self.delete_button, self.export_jsonl, self.export_md):  # fmt: skip
            widget.setEnabled(False)

    def reload(self) -> None:
        """Show what the database holds: new runs at the top (the window calls this after
        every run) or, when the filters changed, the list read again from the newest."""
        model = self.table_model
        filters = (
            self.search.text(),
            self.model_filter.currentData(),
            self.profile_filter.currentData(),
        )
        if filters == model.filters() and model.rows:
            model.refresh()
        else:
            model.text, model.model_filter, model.profile_filter = filters
            model.reload()
        self._refresh_filters()

    def _refresh_filters(self) -> None:
        if self.store is None:
            return
        try:
            models, profiles = self.store.distinct("model"), self.store.distinct("profile")
        except HistoryError as exc:
            self.problem.emit(text_of(exc.msg))
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
        except HistoryError as exc:
            self.problem.emit(text_of(exc.msg))
        except KeyError as exc:
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
            self._in_thread(self.store.delete, ids, then=lambda: self.table_model.forget(ids))

    def _in_thread(
        self,
        func: Callable[..., Any],
        *args: Any,
        refresh: bool = True,
        then: Callable[[], None] | None = None,
    ) -> asyncio.Task[None]:
        """Run ``func`` in a worker thread; then ``then`` if it worked, and reload."""

        async def work() -> None:
            try:
                await asyncio.to_thread(func, *args)
            except HistoryError as exc:
                self.problem.emit(text_of(exc.msg))
            except OSError as exc:
                self.problem.emit(str(exc))
            else:
                if then is not None:
                    then()
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
