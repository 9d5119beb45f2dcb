"""The Presets menu: save, save as, open (searchable picker), rename, delete, import, export.

Dialogs are opened with ``open()`` and answer through signals (never ``exec()``). The
window supplies two functions: one that captures the current setup as a preset, one that
applies a preset. A preset whose profile does not exist asks which profile to use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from app.core.presets import Preset, PresetError, PresetStore
from app.ui.common.actions import text_action
from app.ui.common.plain import make_labels_plain

if TYPE_CHECKING:  # the dialogs load when first opened, not with the window
    from PySide6.QtWidgets import QDialog

    from app.ui.presets.preset_picker import PresetPicker

__all__ = ["PresetActions"]


class PresetActions(QObject):
    presetLoaded = Signal(object)  # Preset (after the window applied it)
    message = Signal(str, bool)  # text, is_error

    def __init__(
        self,
        store: PresetStore,
        capture: Callable[[str], Preset],
        apply: Callable[[Preset], None],
        profile_names: Callable[[], list[str]],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._capture = capture
        self._apply = apply
        self._profile_names = profile_names
        self._parent = parent
        self.current: Preset | None = None
        self.dialog: QDialog | None = None

        def action(text: str, slot: Callable[[], object], shortcut: str | None = None) -> QAction:
            act = text_action(text, parent)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(lambda _checked=False: slot())
            return act

        self.save_action = action(self.tr("&Save preset"), self.save, "Ctrl+S")
        self.save_as_action = action(self.tr("Save preset &as…"), self.save_as)
        self.open_action = action(self.tr("&Open preset…"), self.open_picker, "Ctrl+O")
        self.rename_action = action(self.tr("&Rename preset…"), self.rename)
        self.delete_action = action(self.tr("&Delete preset"), self.delete)
        self.import_action = action(self.tr("&Import preset…"), self.import_dialog)
        self.export_action = action(self.tr("&Export preset…"), self.export_dialog)

    def fill_menu(self, menu: QMenu) -> None:
        menu.addActions([self.open_action, self.save_action, self.save_as_action])
        menu.addSeparator()
        menu.addActions([self.rename_action, self.delete_action])
        menu.addSeparator()
        menu.addActions([self.import_action, self.export_action])

    # -- helpers ---------------------------------------------------------------------------

    def presets(self) -> list[Preset]:
        loaded = self.store.load()
        for problem in loaded.problems:
            self.message.emit(problem, True)
        return loaded.presets

    def _ask_text(self, title: str, label: str, value: str, done: Callable[[str], None]) -> None:
        from PySide6.QtWidgets import QInputDialog

        dialog = QInputDialog(self._parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        make_labels_plain(dialog)
        dialog.setTextValue(value)
        dialog.textValueSelected.connect(lambda text: text.strip() and done(text.strip()))
        self.dialog = dialog
        dialog.open()

    def _report(self, func: Callable[[], object], success: str) -> bool:
        try:
            func()
        except (PresetError, OSError) as exc:
            self.message.emit(str(exc), True)
            return False
        self.message.emit(success, False)
        return True

    # -- actions ---------------------------------------------------------------------------

    def save(self) -> None:
        if self.current is None or self.current.builtin:
            self.save_as()
            return
        preset = self._capture(self.current.name)
        preset.extra = dict(self.current.extra)  # keep fields of newer versions
        if self._report(lambda: self.store.save(preset, replace_name=preset.name),
                        self.tr("Preset “{0}” saved.").format(preset.name)):  # fmt: skip
            self.current = preset
            self.presetLoaded.emit(preset)  # saved: no unsaved edits any more

    def save_as(self) -> None:
        suggested = self.current.name if self.current else self.tr("New preset")
        self._ask_text(self.tr("Save preset as"), self.tr("Preset name:"), suggested,
                       self.save_named)  # fmt: skip

    def save_named(self, name: str) -> None:
        preset = self._capture(name)
        if self.store.path_for(name).exists():
            self.message.emit(self.tr("A preset named “{0}” exists already.").format(name), True)
            return
        if self._report(lambda: self.store.save(preset),
                        self.tr("Preset “{0}” saved.").format(name)):  # fmt: skip
            self.current = preset
            self.presetLoaded.emit(preset)  # the window title names it from now on

    def open_picker(self) -> PresetPicker:
        from app.ui.presets.preset_picker import PresetPicker

        picker = PresetPicker(self.presets(), self._parent)
        picker.chosen.connect(self.load)
        self.dialog = picker
        picker.open()
        return picker

    def load(self, preset: Preset) -> None:
        names = self._profile_names()
        if preset.profile and preset.profile not in names:
            from PySide6.QtWidgets import QInputDialog

            dialog = QInputDialog(self._parent)
            dialog.setWindowTitle(self.tr("Choose a profile"))
            dialog.setLabelText(
                self.tr(
                    "The preset uses the profile “{0}”, which does not exist here. "
                    "Which profile should it use?"
                ).format(preset.profile)
            )
            make_labels_plain(dialog)  # the profile name comes from a preset file
            dialog.setComboBoxItems(names)
            dialog.setComboBoxEditable(False)
            dialog.textValueSelected.connect(
                lambda name: self._finish_load(replace(preset, profile=name))
            )
            self.dialog = dialog
            dialog.open()
            return
        self._finish_load(preset)

    def _finish_load(self, preset: Preset) -> None:
        self._apply(preset)
        self.current = preset
        self.presetLoaded.emit(preset)

    def rename(self) -> None:
        preset = self.current
        if preset is None or preset.builtin:
            self.message.emit(self.tr("Open one of your presets to rename it."), True)
            return

        def done(name: str) -> None:
            try:
                self.current = self.store.rename(preset, name)
            except (PresetError, OSError) as exc:
                self.message.emit(str(exc), True)
                return
            self.presetLoaded.emit(self.current)

        self._ask_text(self.tr("Rename preset"), self.tr("New name:"), preset.name, done)

    def delete(self) -> None:
        preset = self.current
        if preset is None or preset.builtin:
            self.message.emit(self.tr("Open one of your presets to delete it."), True)
            return
        if self._report(lambda: self.store.delete(preset),
                        self.tr("Preset “{0}” deleted.").format(preset.name)):  # fmt: skip
            self.current = None
            self.presetLoaded.emit(None)

    def import_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        dialog = QFileDialog(self._parent, self.tr("Import preset"))
        dialog.setNameFilter(self.tr("Presets (*.json)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: self.import_file(Path(path)))
        self.dialog = dialog
        dialog.open()

    def import_file(self, path: Path) -> None:
        try:
            preset = self.store.import_file(path)
        except (PresetError, OSError) as exc:
            self.message.emit(str(exc), True)
            return
        self.message.emit(self.tr("Imported “{0}”.").format(preset.name), False)
        self.load(preset)

    def export_dialog(self) -> None:
        name = self.current.name if self.current else self.tr("preset")
        from PySide6.QtWidgets import QFileDialog

        dialog = QFileDialog(self._parent, self.tr("Export preset"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("json")
        dialog.selectFile(f"{name}.json")
        dialog.fileSelected.connect(lambda path: self.export_file(Path(path)))
        self.dialog = dialog
        dialog.open()

    def export_file(self, path: Path) -> None:
        preset = self._capture(self.current.name if self.current else path.stem)
        self._report(lambda: self.store.export_file(preset, path),
                     self.tr("Exported to {0}.").format(path))  # fmt: skip
