"""The Settings dialog (non-modal): language, theme, default timeouts, editor font, history.

It only edits a :class:`app.core.settings.Settings` value: *Apply* and *OK* emit
``applyRequested`` with it, and the owner (:class:`app.ui.shell.settings_actions.SettingsActions`)
saves and applies it, answering with :meth:`SettingsDialog.show_result`.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFontComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.settings import Settings
from app.ui.common.plain import plain_label

__all__ = ["SettingsDialog"]


class SettingsDialog(QDialog):
    applyRequested = Signal(object, bool)  # Settings, close afterwards

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setModal(False)
        self._base = Settings()

        self.language = QComboBox()
        self.language.setAccessibleName(self.tr("Language"))
        self.language.addItem(self.tr("System default"), "system")
        # Each language is named in itself, so it can be found whatever the UI shows.
        self.language.addItem("English", "en")
        self.language.addItem("简体中文", "zh_CN")
        self.theme = QComboBox()
        self.theme.setAccessibleName(self.tr("Theme"))
        self.theme.addItem(self.tr("Follow the system"), "system")
        self.theme.addItem(self.tr("Light"), "light")
        self.theme.addItem(self.tr("Dark"), "dark")
        appearance = QGroupBox(self.tr("Appearance"))
        form = QFormLayout(appearance)
        form.addRow(self.tr("&Language"), self.language)
        self.language_note = plain_label(self.tr("A new language applies after a restart."))
        self.language_note.setWordWrap(True)
        form.addRow("", self.language_note)
        form.addRow(self.tr("&Theme"), self.theme)
        self.system_font = QCheckBox(self.tr("System fixed-width font"))
        self.font_family = QFontComboBox()
        self.font_family.setAccessibleName(self.tr("Editor font"))
        self.font_size = QSpinBox()
        self.font_size.setRange(6, 72)
        self.font_size.setSuffix(self.tr(" pt"))
        self.font_size.setAccessibleName(self.tr("Editor font size"))
        self.system_font.toggled.connect(lambda on: self.font_family.setEnabled(not on))
        font_row = QHBoxLayout()
        font_row.addWidget(self.font_family, 1)
        font_row.addWidget(self.font_size)
        form.addRow(self.tr("Editor &font"), self.system_font)
        form.addRow("", font_row)

        self.connect_timeout = QDoubleSpinBox()
        self.connect_timeout.setRange(0.5, 600)
        self.connect_timeout.setSuffix(self.tr(" s"))
        self.connect_timeout.setAccessibleName(self.tr("Default connect timeout"))
        self.read_timeout = QDoubleSpinBox()
        self.read_timeout.setRange(1, 3600)
        self.read_timeout.setSuffix(self.tr(" s"))
        self.read_timeout.setAccessibleName(self.tr("Default read timeout"))
        network = QGroupBox(self.tr("Network"))
        net_form = QFormLayout(network)
        net_form.addRow(self.tr("&Connect timeout"), self.connect_timeout)
        net_form.addRow(self.tr("&Read timeout"), self.read_timeout)

        self.history_days = QSpinBox()
        self.history_days.setRange(0, 36500)
        self.history_days.setSpecialValueText(self.tr("Forever"))
        self.history_days.setSuffix(self.tr(" days"))
        self.history_days.setAccessibleName(self.tr("Keep runs for"))
        self.history_max = QSpinBox()
        self.history_max.setRange(0, 10_000_000)
        self.history_max.setSingleStep(1000)
        self.history_max.setSpecialValueText(self.tr("No limit"))
        self.history_max.setAccessibleName(self.tr("Keep at most this many runs"))
        self.output_limit = QSpinBox()
        self.output_limit.setRange(0, 2_000_000_000)
        self.output_limit.setSingleStep(100_000)
        self.output_limit.setSpecialValueText(self.tr("No limit"))
        self.output_limit.setSuffix(self.tr(" characters"))
        self.output_limit.setAccessibleName(self.tr("Stop a run after this much output"))
        self.output_limit.setToolTip(
            self.tr("A server that never stops cannot fill the memory: the run stops here, "
                    "the text is kept.")
        )  # fmt: skip
        net_form.addRow(self.tr("&Output limit"), self.output_limit)
        history = QGroupBox(self.tr("History"))
        hist_form = QFormLayout(history)
        hist_form.addRow(self.tr("Keep runs &for"), self.history_days)
        hist_form.addRow(self.tr("Keep at &most"), self.history_max)

        self.feedback = plain_label()  # may name a file and the system's error
        self.feedback.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(lambda: self.applyRequested.emit(self.value(), True))
        self.buttons.rejected.connect(self.close)
        apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        apply_button.clicked.connect(lambda: self.applyRequested.emit(self.value(), False))

        layout = QVBoxLayout(self)
        layout.addWidget(appearance)
        layout.addWidget(network)
        layout.addWidget(history)
        layout.addWidget(self.feedback)
        layout.addWidget(self.buttons)

    def load(self, settings: Settings) -> None:
        self._base = settings
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        self.system_font.setChecked(not settings.editor_font)
        self.font_family.setEnabled(bool(settings.editor_font))
        if settings.editor_font:
            self.font_family.setCurrentFont(settings.editor_font)
        self.font_size.setValue(settings.editor_font_size)
        self.connect_timeout.setValue(settings.connect_timeout)
        self.read_timeout.setValue(settings.read_timeout)
        self.history_days.setValue(settings.history_days)
        self.history_max.setValue(settings.history_max_runs)
        self.output_limit.setValue(settings.output_limit)
        self.feedback.clear()

    def value(self) -> Settings:
        family = "" if self.system_font.isChecked() else self.font_family.currentFont().family()
        return replace(
            self._base,
            language=str(self.language.currentData()),
            theme=str(self.theme.currentData()),
            editor_font=family,
            editor_font_size=self.font_size.value(),
            connect_timeout=round(self.connect_timeout.value(), 2),
            read_timeout=round(self.read_timeout.value(), 2),
            history_days=self.history_days.value(),
            history_max_runs=self.history_max.value(),
            output_limit=self.output_limit.value(),
        )

    def show_result(self, message: str, close: bool) -> None:
        self.feedback.setText(message)
        if close:
            self.close()
