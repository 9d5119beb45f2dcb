"""The Batch window's table models: the data preview, the results and their proxy.

* :class:`DataModel` shows a :class:`~app.core.batch.DataSet` (one row per data row, one
  column per data column); each column's header also says which placeholder it fills, or
  that it is the expected column, or unused.
* :class:`ResultsModel` shows a :class:`~app.core.batch.BatchRun`'s cells, one line per
  row × variant, read live from the cells. Changed cells are only *marked*
  (:meth:`ResultsModel.mark`, from the batch's ``on_cell``); :meth:`ResultsModel.flush`
  (the window calls it once per frame) turns the marks into as few ``dataChanged``
  ranges as there are runs of adjacent lines: never a model reset per cell.
* :class:`ResultsFilter` is what the table shows: it filters by a search text and "failed
  only"; sorting (a header click) is handed to :meth:`ResultsModel.sort`, which orders
  the lines by one key per cell (numbers for the figures).

Everything shown is plain text (a view's cells are never rich text); tooltips go through
:func:`~app.ui.common.plain.plain_tooltip`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from app.core.batch import FAILED, OK, PENDING, RUNNING, WAITING, BatchCell, BatchRun, DataSet
from app.ui.common.plain import plain_tooltip
from app.ui.common.wording import text_of

__all__ = [
    "CELL_ROLE",
    "DataModel",
    "ResultsFilter",
    "ResultsModel",
    "one_line",
]

_Index = QModelIndex | QPersistentModelIndex
#: The role that gives a results line's :class:`BatchCell`.
CELL_ROLE = Qt.ItemDataRole.UserRole
#: Characters of a value shown in a table cell (the tooltip shows more).
SHOWN_CHARS = 300
TOOLTIP_CHARS = 4000
#: Sorts after every real value (a cell that has not finished yet).
_LAST = float("inf")
_FAILED_COLOUR = QColor(190, 40, 40)
_STATE_ORDER = {PENDING: 0, RUNNING: 1, WAITING: 2, OK: 3, FAILED: 4}


def _inverse(order: list[int]) -> list[int]:
    inverse = [0] * len(order)
    for line, index in enumerate(order):
        inverse[index] = line
    return inverse


def one_line(text: str, limit: int = SHOWN_CHARS) -> str:
    """``text`` on one line: line breaks shown as ↵, cut at ``limit`` characters."""
    short = text[: limit + 1]
    shown = short.replace("\r\n", "↵").replace("\n", "↵").replace("\r", "↵").replace("\t", " ")
    return shown[:limit] + "…" if len(short) > limit else shown


class DataModel(QAbstractTableModel):
    """The rows of a data set, read-only; headers say what each column fills."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_set: DataSet | None = None
        self.columns: tuple[str, ...] = ()
        self._notes: dict[str, str] = {}

    def set_data(self, data: DataSet | None) -> None:
        self.beginResetModel()
        self.data_set = data
        self.columns = data.columns if data is not None else ()
        self._notes = {}
        self.endResetModel()

    def set_notes(self, notes: Mapping[str, str]) -> None:
        """A second header line per column (``{{name}}``, "expected", "unused")."""
        if dict(notes) == self._notes:
            return
        self._notes = dict(notes)
        if self.columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)

    def note(self, column: str) -> str:
        return self._notes.get(column, "")

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.data_set is None:
            return 0
        return len(self.data_set.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        if not 0 <= section < len(self.columns):
            return None
        name = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            note = self._notes.get(name)
            return f"{name}\n{note}" if note else name
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(name)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.data_set is None:
            return None
        value = self.data_set.rows[index.row()].get(self.columns[index.column()], "")
        if role == Qt.ItemDataRole.DisplayRole:
            return one_line(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(value[:TOOLTIP_CHARS])
        return None


def _usage_text(usage: Any) -> str:
    if not isinstance(usage, dict):
        return ""
    parts = [usage.get(k) for k in ("prompt_tokens", "completion_tokens", "total_tokens")]
    if not any(isinstance(p, (int, float)) and not isinstance(p, bool) for p in parts):
        return ""
    shown = ["?" if p is None else str(p) for p in parts]
    return f"{shown[0]} + {shown[1]} = {shown[2]}"


def _usage_total(usage: Any) -> float:
    value = usage.get("total_tokens") if isinstance(usage, dict) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return -1.0
    return float(value)


def _finite(value: float | None) -> float:
    return value if value is not None and math.isfinite(value) else _LAST


class ResultsModel(QAbstractTableModel):
    """One line per cell, read live: row-major (row 1's variants, then row 2's…) until
    :meth:`sort` orders the lines by a column."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("ResultsModel", "Row"),
        QT_TRANSLATE_NOOP("ResultsModel", "Variant"),
        QT_TRANSLATE_NOOP("ResultsModel", "Status"),
        QT_TRANSLATE_NOOP("ResultsModel", "Output"),
        QT_TRANSLATE_NOOP("ResultsModel", "Finish reason"),
        QT_TRANSLATE_NOOP("ResultsModel", "Tokens"),
        QT_TRANSLATE_NOOP("ResultsModel", "Usage"),
        QT_TRANSLATE_NOOP("ResultsModel", "Latency"),
        QT_TRANSLATE_NOOP("ResultsModel", "Cost"),
        QT_TRANSLATE_NOOP("ResultsModel", "Pass"),
        QT_TRANSLATE_NOOP("ResultsModel", "Log-likelihood"),
    )
    ROW, VARIANT, STATUS, OUTPUT, FINISH, TOKENS, USAGE, LATENCY, COST, PASS, LOGLIK = range(11)
    #: Columns aligned right (figures).
    NUMBERS = frozenset({ROW, TOKENS, USAGE, LATENCY, COST, LOGLIK})
    STATES: ClassVar[dict[str, str]] = {
        PENDING: QT_TRANSLATE_NOOP("ResultsModel", "pending"),
        RUNNING: QT_TRANSLATE_NOOP("ResultsModel", "running"),
        WAITING: QT_TRANSLATE_NOOP("ResultsModel", "waiting (429)"),
        OK: QT_TRANSLATE_NOOP("ResultsModel", "ok"),
        FAILED: QT_TRANSLATE_NOOP("ResultsModel", "failed"),
    }

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.batch: BatchRun | None = None
        #: The batch's cells, row-major (``cells[row * variants + variant]``).
        self.cells: list[BatchCell] = []
        #: Line → index into :attr:`cells`, and back.
        self._order: list[int] = []
        self._line: list[int] = []
        self._width = 1
        self._dirty: set[int] = set()
        #: The column the lines are sorted by (``None``: row-major) and its order.
        self.sort_column: int | None = None
        self.sort_order = Qt.SortOrder.AscendingOrder
        #: ``dataChanged`` signals sent so far (one per run of adjacent changed lines).
        self.ranges_sent = 0

    # -- filling -----------------------------------------------------------------------

    def set_batch(self, batch: BatchRun | None) -> None:
        """Show ``batch``'s cells (the one model reset: a new batch), sorted as before."""
        self.beginResetModel()
        self.batch = batch
        self.cells = list(batch.cells) if batch is not None else []
        self._width = max(1, len(batch.variants)) if batch is not None else 1
        self._dirty.clear()
        self._order = self._sorted_order()
        self._line = _inverse(self._order)
        self.endResetModel()

    def cell_at(self, line: int) -> BatchCell:
        """The cell shown on ``line``."""
        return self.cells[self._order[line]]

    def line_of(self, cell: BatchCell) -> int:
        """The line that shows ``cell``."""
        return self._line[cell.row * self._width + cell.variant]

    def mark(self, cell: BatchCell) -> None:
        """Note that ``cell`` changed; shown at the next :meth:`flush`."""
        self._dirty.add(cell.row * self._width + cell.variant)

    @property
    def pending(self) -> bool:
        return bool(self._dirty)

    def flush(self) -> int:
        """Send the marked lines as ``dataChanged`` ranges; returns how many ranges."""
        if not self._dirty:
            return 0
        line_of = self._line
        lines = sorted(line_of[i] for i in self._dirty)
        self._dirty.clear()
        last_column = len(self.COLUMNS) - 1
        ranges = 0
        start = previous = lines[0]
        for line in [*lines[1:], None]:
            if line is not None and line == previous + 1:
                previous = line
                continue
            self.dataChanged.emit(self.index(start, 0), self.index(previous, last_column))
            ranges += 1
            if line is not None:
                start = previous = line
        self.ranges_sent += ranges
        return ranges

    # -- sorting -----------------------------------------------------------------------

    def _sorted_order(self) -> list[int]:
        column, count = self.sort_column, len(self.cells)
        if column is None or column < 0:
            return list(range(count))
        cells, key = self.cells, self.sort_key
        descending = self.sort_order == Qt.SortOrder.DescendingOrder
        return sorted(range(count), key=lambda i: key(cells[i], column), reverse=descending)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the lines by ``column`` (``-1``: row-major again), keeping the selection.

        One key per cell and Python's sort: thousands of lines sort in milliseconds, where
        a comparison-by-comparison sort through ``data()`` would take a visible moment.
        """
        self.sort_column = column if 0 <= column < len(self.COLUMNS) else None
        self.sort_order = order
        self.resort()

    def resort(self) -> None:
        """Sort again by the current column (figures change while a batch runs)."""
        order = self._sorted_order()
        if order == self._order:
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        cells = [self._order[index.row()] for index in old]
        self._order, self._line = order, _inverse(order)
        self.changePersistentIndexList(
            old, [self.index(self._line[c], i.column()) for i, c in zip(old, cells, strict=True)]
        )
        self.layoutChanged.emit()

    @property
    def sorted_by_figures(self) -> bool:
        """Whether the order may change as cells finish (sorted by a column but Row)."""
        return self.sort_column is not None and self.sort_column != self.ROW

    # -- reading -----------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.cells)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(self.COLUMNS[section])
        return None

    def variant_label(self, index: int) -> str:
        if self.batch is None or not 0 <= index < len(self.batch.variants):
            return ""
        return f"{index + 1} · {self.batch.variants[index].label}"

    def state_text(self, cell: BatchCell) -> str:
        return self.tr(self.STATES.get(cell.state, cell.state))

    def error_text(self, cell: BatchCell) -> str:
        return text_of(cell.error) if cell.error is not None else ""

    def usual_texts(self) -> dict[int, list[str]]:
        """What the columns beside the output usually show (their words, and figures of a
        usual size): the table sizes them once from these, never by scanning rows."""
        return {
            self.ROW: ["1,000"],
            self.STATUS: [self.tr(state) for state in self.STATES.values()],
            self.FINISH: ["length"],
            self.TOKENS: ["≈100 + 100 = 200"],
            self.USAGE: ["100 + 100 = 200"],
            self.LATENCY: [self.tr("{0:.0f} ms").format(999), self.tr("{0:.2f} s").format(10)],
            self.COST: ["0.0001 $"],
            self.PASS: [self.tr("pass"), self.tr("fail")],
            self.LOGLIK: ["-100.00"],
        }

    def display(self, cell: BatchCell, column: int) -> str:
        """The text a column shows for ``cell`` (the search looks at some of them)."""
        if column == self.ROW:
            return str(cell.row + 1)
        if column == self.VARIANT:
            return self.variant_label(cell.variant)
        if column == self.STATUS:
            return self.state_text(cell)
        if column == self.OUTPUT:
            if cell.state == FAILED and not cell.text:
                return one_line(self.error_text(cell))
            return one_line(cell.text)
        if column == self.FINISH:
            return cell.finish_reason or ""
        if column == self.TOKENS:
            tokens = cell.tokens
            if tokens is None:
                return ""
            mark = "≈" if tokens.estimated else ""
            return f"{mark}{tokens.prompt} + {tokens.completion} = {tokens.total}"
        if column == self.USAGE:
            return _usage_text(cell.usage)
        if column == self.LATENCY:
            latency = cell.latency
            if latency is None:
                return ""
            if latency < 1:
                return self.tr("{0:.0f} ms").format(latency * 1000)
            return self.tr("{0:.2f} s").format(latency)
        if column == self.COST:
            cost = self.cost_of(cell)
            if cost is None:
                return ""
            return f"{cost:.6f} {cell.currency or ''}".rstrip()
        if column == self.PASS:
            if cell.passed is None:
                return ""
            return self.tr("pass") if cell.passed else self.tr("fail")
        if column == self.LOGLIK:
            loglik = cell.loglik
            if loglik is None:
                return ""
            return f"{loglik.value:.3f}" if loglik.value is not None else "—"
        return ""

    @staticmethod
    def cost_of(cell: BatchCell) -> float | None:
        costs = [c for c in (cell.cost, cell.score_cost) if c is not None]
        return math.fsum(costs) if costs else None

    def sort_key(self, cell: BatchCell, column: int) -> tuple[Any, int]:
        """A key that orders the column's values (numbers for the figures); ties stay in
        row-major order."""
        index = cell.row * self._width + cell.variant
        value: Any
        if column == self.ROW:
            value = 0
        elif column == self.VARIANT:
            value = cell.variant
        elif column == self.STATUS:
            value = _STATE_ORDER.get(cell.state, 0)
        elif column in (self.OUTPUT, self.FINISH):
            value = self.display(cell, column).casefold()
        elif column == self.TOKENS:
            value = float(cell.tokens.total) if cell.tokens is not None else -1.0
        elif column == self.USAGE:
            value = _usage_total(cell.usage)
        elif column == self.LATENCY:
            value = _finite(cell.latency)
        elif column == self.COST:
            value = _finite(self.cost_of(cell))
        elif column == self.PASS:
            value = -1 if cell.passed is None else int(cell.passed)
        elif column == self.LOGLIK:
            loglik = cell.loglik.value if cell.loglik is not None else None
            value = _finite(loglik) if loglik is not None else -_LAST
        else:
            value = 0
        return value, index

    def tooltip(self, cell: BatchCell, column: int) -> str:
        if column == self.OUTPUT:
            text = cell.text or self.error_text(cell)
            return plain_tooltip(text[:TOOLTIP_CHARS])
        if column == self.STATUS and cell.state == FAILED:
            return plain_tooltip(self.error_text(cell))
        if column == self.STATUS and cell.state == WAITING and cell.retry_in is not None:
            return plain_tooltip(self.tr("Tried again in {0:.1f} s").format(cell.retry_in))
        if column == self.VARIANT:
            return plain_tooltip(self.variant_label(cell.variant))
        if column == self.LOGLIK and cell.loglik is not None and cell.loglik.problem:
            return plain_tooltip(text_of(cell.loglik.problem))
        if column == self.TOKENS and cell.tokens is not None and cell.tokens.estimated:
            return plain_tooltip(self.tr("≈: counted or estimated, not the server's figure"))
        return ""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cell = self.cells[self._order[index.row()]]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(cell, column)
        if role == CELL_ROLE:
            return cell
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(cell, column) or None
        failed_text = cell.state == FAILED and column in (self.STATUS, self.OUTPUT)
        if role == Qt.ItemDataRole.ForegroundRole and failed_text:
            return QBrush(_FAILED_COLOUR)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ResultsFilter(QSortFilterProxyModel):
    """The results as the table shows them: sorted (the view's header asks this proxy;
    the :class:`ResultsModel` orders its lines, see :meth:`ResultsModel.sort`) and
    filtered to the lines matching the search (output, error, the row's values) and,
    with "failed only", to failed cells."""

    def __init__(self, source: ResultsModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.results = source
        self.setSourceModel(source)
        self.failed_only = False
        self.text = ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted by the source (one key per cell), never comparison by comparison here."""
        self.results.sort(column, order)

    def set_failed_only(self, on: bool) -> None:
        if on != self.failed_only:
            self._refilter(lambda: setattr(self, "failed_only", on))

    def set_text(self, text: str) -> None:
        text = text.strip().casefold()
        if text != self.text:
            self._refilter(lambda: setattr(self, "text", text))

    def _refilter(self, change: Callable[[], None]) -> None:
        """Change the filter and apply it to the rows (Qt 6.10+ announces the change
        first; older versions only have ``invalidateRowsFilter``, deprecated since)."""
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - PySide6 < 6.10
            change()
            self.invalidateRowsFilter()

    @staticmethod
    def _haystack(cell: BatchCell, error: str) -> Iterable[str]:
        yield cell.text
        yield error
        yield from cell.values.values()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        results = self.results
        if not 0 <= source_row < len(results.cells):
            return False
        cell = results.cell_at(source_row)
        if self.failed_only and cell.state != FAILED:
            return False
        if not self.text:
            return True
        error = self.results.error_text(cell)
        return any(self.text in part.casefold() for part in self._haystack(cell, error))
