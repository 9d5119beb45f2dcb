"""The list of a run's branches (original choices and forks) as a small tree."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from app.core.branches import Branch, BranchTree

__all__ = ["BranchPanel"]

_ID_ROLE = Qt.ItemDataRole.UserRole


class BranchPanel(QTreeWidget):
    """Click a branch to show it; ``branchSelected(branch_id)``."""

    branchSelected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels([self.tr("Branches")])
        self.setAccessibleName(self.tr("Branches of this run"))
        self.setToolTip(self.tr("The original output and every fork made from it."))
        self.itemClicked.connect(self._on_clicked)
        self.itemActivated.connect(self._on_clicked)
        self._items: dict[int, QTreeWidgetItem] = {}

    def _label(self, branch: Branch) -> str:
        if branch.parent is None:
            if branch.label.startswith("Choice "):
                return self.tr("Choice {0}").format(branch.label.split(" ", 1)[1])
            return self.tr("Original")
        label = branch.label
        if branch.result is None:
            label += " " + self.tr("(running…)")
        elif not branch.result.ok:
            label += " " + self.tr("(stopped)")
        return label

    def set_tree(self, tree: BranchTree | None, current: int | None = None) -> None:
        self.clear()
        self._items.clear()
        if tree is None:
            return
        for branch in tree.branches.values():
            parent = self._items.get(branch.parent) if branch.parent is not None else None
            item = QTreeWidgetItem([self._label(branch)])
            item.setData(0, _ID_ROLE, branch.id)
            if parent is None:
                self.addTopLevelItem(item)
            else:
                parent.addChild(item)
            self._items[branch.id] = item
        self.expandAll()
        if current is not None and current in self._items:
            self.setCurrentItem(self._items[current])

    def item_for(self, branch_id: int) -> QTreeWidgetItem | None:
        return self._items.get(branch_id)

    def _on_clicked(self, item: QTreeWidgetItem) -> None:
        self.branchSelected.emit(int(item.data(0, _ID_ROLE)))
