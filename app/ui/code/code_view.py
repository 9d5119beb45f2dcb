"""The View code window and the Import curl dialog (widgets only; the work is in the core).

:class:`CodeViewDialog` shows the current request as curl, Python or JavaScript
(:mod:`app.core.code_export`), read-only in a monospace font, with a Copy button. It is
non-modal and follows the editor: the owner calls :meth:`CodeViewDialog.show_code` when
the request changes. :class:`CurlImportDialog` takes a pasted curl command; it emits
``importRequested`` and stays open with the text and the error if the import fails.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.code_export import LANGUAGES
from app.ui.common.editor_font import mark_editor
from app.ui.common.plain import plain_label

__all__ = ["CodeViewDialog", "CurlImportDialog"]


def _mono(editor: QPlainTextEdit) -> None:
    mark_editor(editor)
    editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)


class CodeViewDialog(QDialog):
    languageChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("View code"))
        self.setModal(False)
        self.resize(760, 560)
        self.language = QComboBox()
        self.language.setAccessibleName(self.tr("Language"))
        for lang in LANGUAGES:
            self.language.addItem(lang.name, lang.key)
        self.language.currentIndexChanged.connect(
            lambda _: self.languageChanged.emit(self.language.currentData())
        )
        self.code = QPlainTextEdit()
        self.code.setReadOnly(True)
        self.code.setAccessibleName(self.tr("Code"))
        _mono(self.code)
        self.note = plain_label()  # names profiles and parameters
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = QPushButton(self.tr("&Copy"))
        self.copy_button.clicked.connect(self.copy)
        self.feedback = plain_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)

        top = QHBoxLayout()
        top.addWidget(plain_label(self.tr("Show as:")))
        top.addWidget(self.language)
        top.addStretch(1)
        top.addWidget(self.feedback)
        top.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.code, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)

    def current_language(self) -> str:
        return str(self.language.currentData())

    def show_code(self, code: str, note: str) -> None:
        self.code.setPlainText(code)
        self.note.setText(note)
        self.copy_button.setEnabled(bool(code))
        self.feedback.clear()

    def show_problem(self, message: str) -> None:
        """The request cannot be shown (it is not valid): say why, show no code."""
        self.show_code("", message)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.code.toPlainText())
        self.feedback.setText(self.tr("Copied"))


class CurlImportDialog(QDialog):
    importRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import curl command"))
        self.setModal(False)
        self.resize(680, 420)
        intro = plain_label(
            self.tr(
                "Paste a curl command for /v1/completions (for example from a relay's "
                "documentation or from View code). Its URL selects or creates a profile; "
                "its model, prompt and parameters fill the editor. A key in the command "
                "goes to the system keyring, never to a file."
            )
        )
        intro.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setAccessibleName(self.tr("curl command"))
        self.text.setPlaceholderText(
            "curl https://api.example.com/v1/completions \\\n"
            '  -H "Authorization: Bearer $OPENAI_API_KEY" \\\n'
            "  -H 'Content-Type: application/json' \\\n"
            """  -d '{"model": "gpt-3.5-turbo-instruct", "prompt": "Hello", "max_tokens": 16}'"""
        )
        _mono(self.text)
        self.error = plain_label()  # may quote the pasted command
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: palette(highlight);")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText(self.tr("&Import"))
        self.buttons.accepted.connect(lambda: self.importRequested.emit(self.text.toPlainText()))
        self.buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.import_button.setEnabled(True)

    def begin(self) -> None:
        self.error.clear()
        self.import_button.setEnabled(False)
