"""The Help menu: the keyboard shortcuts sheet (F1, Ctrl+/) and the About dialog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from app.ui.common.actions import text_action
from app.ui.common.i18n import display_name

if TYPE_CHECKING:  # built on first use
    from app.ui.shell.about_dialog import AboutDialog
    from app.ui.shell.shortcuts_sheet import ShortcutsSheet

__all__ = ["HelpActions"]


class HelpActions(QObject):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.shortcuts: ShortcutsSheet | None = None
        self.about: AboutDialog | None = None
        self.shortcuts_action = text_action(self.tr("&Keyboard shortcuts"), window)
        self.shortcuts_action.setShortcuts([QKeySequence("F1"), QKeySequence("Ctrl+/")])
        self.shortcuts_action.triggered.connect(lambda: self.show_shortcuts())
        self.about_action = text_action(self.tr("&About {0}").format(display_name()), window)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(lambda: self.show_about())
        window.addAction(self.shortcuts_action)

    def fill_menu(self, menu: QMenu) -> None:
        menu.addActions([self.shortcuts_action, self.about_action])

    def show_shortcuts(self) -> ShortcutsSheet:
        if self.shortcuts is None:
            from app.ui.shell.shortcuts_sheet import ShortcutsSheet

            self.shortcuts = ShortcutsSheet(self.window.menuBar(), self.window)
        else:
            self.shortcuts.fill(self.window.menuBar())
        self.shortcuts.show()
        self.shortcuts.raise_()
        return self.shortcuts

    def show_about(self) -> AboutDialog:
        if self.about is None:
            from app.ui.shell.about_dialog import AboutDialog

            self.about = AboutDialog(self.window)
        self.about.show()
        self.about.raise_()
        return self.about
