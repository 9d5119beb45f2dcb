"""The keyboard shortcuts sheet (F1 / Ctrl+/): every menu action with its keys.

Built from the window's menus when opened, so it always shows the shortcuts the app
really has (in the UI's language, in the platform's key names: Ctrl on Linux/Windows,
⌘ on macOS), with a filter box.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QMenuBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

__all__ = ["ShortcutsSheet", "plain_text"]


def plain_text(action: QAction) -> str:
    """An action's label without mnemonics (&) and trailing ellipsis."""
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…")


class ShortcutsSheet(QDialog):
    def __init__(self, menu_bar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.setModal(False)
        self.resize(520, 560)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter"))
        self.filter.setAccessibleName(self.tr("Filter shortcuts"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Action"), self.tr("Keys")])
        self.tree.setRootIsDecorated(False)
        self.tree.setAccessibleName(self.tr("Keyboard shortcuts"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.fill(menu_bar)

    def fill(self, menu_bar: QMenuBar) -> None:
        self.tree.clear()
        for menu_action in menu_bar.actions():
            menu = menu_action.menu()
            if menu is None:
                continue
            rows = []
            for action in menu.actions():
                keys = action.shortcuts()
                if action.isSeparator() or not keys:
                    continue
                # Once each: Ctrl+Return and Ctrl+Enter both read "Ctrl+回车" in Chinese.
                names = (k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
                shown = ", ".join(dict.fromkeys(names))
                rows.append((plain_text(action), shown))
            if not rows:
                continue
            group = QTreeWidgetItem(self.tree, [plain_text(menu_action), ""])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for text, shown in rows:
                QTreeWidgetItem(self.tree, [text, shown])
        self.tree.resizeColumnToContents(0)

    def rows(self) -> list[tuple[str, str]]:
        """(action, keys) as shown, group headers excluded."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.text(1):
                out.append((item.text(0), item.text(1)))
        return out

    def _filter(self, text: str) -> None:
        needle = text.casefold().strip()
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if not item.text(1):
                item.setHidden(bool(needle))
                continue
            hay = f"{item.text(0)} {item.text(1)}".casefold()
            item.setHidden(bool(needle) and needle not in hay)
