"""The Profiles dialog: add from templates, edit, remove, store keys, test the connection.

Non-modal and opened with ``open()`` (never ``exec()``: it may be opened while runs are
streaming on the qasync loop). Keys typed here go to the OS keyring through the
:class:`ProfileManager`; the profile file only ever holds a reference.

Each server profile has a server kind (:mod:`app.core.server_kinds`), chosen from a list
or found by *Detect*, which asks the server in the background; the parameter panel follows
the current profile's kind once it is saved.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.core.detection import Detection
from app.core.errors import CompletionError
from app.core.messages import CONTEXT as CORE_CONTEXT
from app.core.profiles import LOCAL_MODEL, TEMPLATES, Profile, ProfileError
from app.core.server_kinds import KINDS, get_kind
from app.ui.common.plain import plain_label
from app.ui.common.task_keeper import TaskKeeper
from app.ui.common.tones import ERROR, OK, set_tone
from app.ui.common.wording import describe, text_of
from app.ui.profiles.profile_manager import ProfileManager
from app.ui.runs.controller import RunController

__all__ = ["ProfileDialog", "parse_headers"]

#: Form rows: base URL, API key, headers, proxy (servers only); model file (local only).
_SERVER_ROWS = (2, 5, 6, 7)
_MODEL_FILE_ROW = 10


def parse_headers(text: str) -> dict[str, str]:
    """``Name: value`` lines → a dict; raises ProfileError naming the bad line."""
    headers: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        if not sep or not name.strip():
            raise ProfileError(f"headers: line {number} is not 'Name: value'")
        headers[name.strip()] = value.strip()
    return headers


class ProfileDialog(QDialog):
    def __init__(
        self, manager: ProfileManager, controller: RunController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.manager = manager
        self.controller = controller
        self.setWindowTitle(self.tr("Profiles"))
        self.setModal(False)
        self.resize(820, 520)
        self._editing: str | None = None
        self._tasks = TaskKeeper()
        self._testing = False
        self._failed = False
        self._pending: Profile | None = None
        self._editing: str | None = None
        self._closing = False
        self.pending_question: QMessageBox | None = None
        #: Bumped whenever another profile is shown: a late detection result is dropped.
        self._detect_serial = 0
        self.detect_task: asyncio.Task[Detection | CompletionError] | None = None

        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Profiles"))
        self.add_button = QToolButton()
        self.add_button.setText(self.tr("Add"))
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_menu = QMenu(self.add_button)
        for template in TEMPLATES:
            action = self.add_menu.addAction(QCoreApplication.translate("Core", template.label))
            action.triggered.connect(lambda _=False, t=template: self.add_from_template(t))
        self.add_button.setMenu(self.add_menu)
        self.remove_button = QToolButton()
        self.remove_button.setText(self.tr("Remove"))
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        left.addLayout(row)

        self.name = QLineEdit()
        self.kind = plain_label()
        self.base_url = QLineEdit()
        self.base_url.setPlaceholderText("https://api.openai.com/v1")
        self.server_kind = QComboBox()
        for server in KINDS.values():
            label = QCoreApplication.translate(CORE_CONTEXT, server.label)
            self.server_kind.addItem(label, server.id)
        self.detect_button = QPushButton(self.tr("Detect"))
        self.detect_button.setToolTip(
            self.tr("Ask the server what it is (with the key typed here, else the stored one)")
        )
        # The kind's note (Ollama's template) is the app's own text, shown literally.
        self.kind_note = plain_label()
        self.kind_note.setWordWrap(True)
        self.kind_note.setVisible(False)
        server_box = QWidget()
        server_layout = QVBoxLayout(server_box)
        server_layout.setContentsMargins(0, 0, 0, 0)
        server_row = QHBoxLayout()
        server_row.addWidget(self.server_kind, 1)
        server_row.addWidget(self.detect_button)
        server_layout.addLayout(server_row)
        server_layout.addWidget(self.kind_note)
        self.default_model = QLineEdit()
        self.api_key = QLineEdit()
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.forget_key = QPushButton(self.tr("Forget key"))
        self.headers = QPlainTextEdit()
        self.headers.setTabChangesFocus(True)
        self.headers.setPlaceholderText(self.tr("X-Header: value"))
        self.headers.setFixedHeight(64)
        self.proxy = QLineEdit()
        self.proxy.setPlaceholderText(self.tr("System proxy (e.g. socks5://127.0.0.1:1080)"))
        self.connect_timeout = QDoubleSpinBox()
        self.connect_timeout.setRange(0.5, 600)
        self.connect_timeout.setSuffix(" s")
        self.read_timeout = QDoubleSpinBox()
        self.read_timeout.setRange(1, 3600)
        self.read_timeout.setSuffix(" s")
        self.model_path = QLineEdit()
        self.model_path.setPlaceholderText(self.tr("Built-in SmolLM2-135M-Instruct"))
        self.browse = QPushButton(self.tr("Choose GGUF…"))
        key_row = QHBoxLayout()
        key_row.addWidget(self.api_key, 1)
        key_row.addWidget(self.forget_key)
        model_row = QHBoxLayout()
        model_row.addWidget(self.model_path, 1)
        model_row.addWidget(self.browse)
        self.form = QFormLayout()
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Kind"), self.kind)
        self.form.addRow(self.tr("Base URL"), self.base_url)
        self.form.addRow(self.tr("Server kind"), server_box)
        self.form.addRow(self.tr("Default model"), self.default_model)
        self.form.addRow(self.tr("API key"), key_row)
        self.form.addRow(self.tr("Extra headers"), self.headers)
        self.form.addRow(self.tr("Proxy"), self.proxy)
        self.form.addRow(self.tr("Connect timeout"), self.connect_timeout)
        self.form.addRow(self.tr("Read timeout"), self.read_timeout)
        self.form.addRow(self.tr("Model file"), model_row)
        for widget, name in (
            (self.name, self.tr("Profile name")),
            (self.base_url, self.tr("Base URL")),
            (self.server_kind, self.tr("Server kind")),
            (self.detect_button, self.tr("Detect the server kind")),
            (self.default_model, self.tr("Default model")),
            (self.api_key, self.tr("API key")),
            (self.headers, self.tr("Extra headers")),
            (self.proxy, self.tr("Proxy")),
            (self.connect_timeout, self.tr("Connect timeout")),
            (self.read_timeout, self.tr("Read timeout")),
            (self.model_path, self.tr("Model file")),
        ):
            widget.setAccessibleName(name)
        # The keyring's and the server's words end up here: plain labels.
        self.key_status = plain_label()
        self.key_status.setWordWrap(True)
        self.feedback = plain_label()
        self.feedback.setWordWrap(True)
        self.feedback.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        right = QVBoxLayout()
        right.addLayout(self.form)
        right.addWidget(self.key_status)
        right.addWidget(self.feedback)
        right.addStretch(1)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.test_button = self.buttons.addButton(
            self.tr("Test connection"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        right.addWidget(self.buttons)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 3)

        self.list.currentTextChanged.connect(self._on_selected)
        self.remove_button.clicked.connect(self._remove)
        self.save_button.clicked.connect(self.save)
        self.test_button.clicked.connect(self.test)
        self.close_button.clicked.connect(self.close)
        self.forget_key.clicked.connect(self._forget_key)
        self.browse.clicked.connect(self._browse)
        self.detect_button.clicked.connect(self.detect)
        self.server_kind.currentIndexChanged.connect(self._update_kind_note)
        self.controller.connectionTested.connect(self._on_tested)
        manager.keyStatusChanged.connect(lambda _status: self._update_key_status())
        self._reload(manager.current.name)

    # -- list ----------------------------------------------------------------------------

    def _reload(self, select: str | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        self.list.addItems([p.name for p in self.manager.profiles])
        self.list.blockSignals(False)
        names = [p.name for p in self.manager.profiles]
        self.list.setCurrentRow(names.index(select) if select in names else 0)
        self._show(self.list.currentItem().text() if self.list.currentItem() else "")

    def _show(self, name: str) -> None:
        profile = self.manager.find(name)
        if profile is None:
            return
        self._load_fields(profile, name)

    # -- unsaved edits ---------------------------------------------------------------------

    def has_unsaved_edits(self) -> bool:
        """Whether the fields differ from the profile as it was loaded (or a key is typed)."""
        if self._pending is None:
            return False
        if self.api_key.text().strip():
            return True
        try:
            edited = self.profile_from_fields()
        except ProfileError:
            return True
        return edited.to_json() != self._pending.to_json() or (
            self._editing is None
            and (edited.name != self._pending.name or edited.base_url != self._pending.base_url)
        )

    def _on_selected(self, name: str) -> None:
        if name == (self._editing or "") or not self.has_unsaved_edits():
            self._show(name)
            return
        previous = self._editing
        self._ask_discard(lambda: self._show(name), lambda: self._select_quietly(previous))

    def _select_quietly(self, name: str | None) -> None:
        names = [p.name for p in self.manager.profiles]
        self.list.blockSignals(True)
        if name in names:
            self.list.setCurrentRow(names.index(name))
        else:
            self.list.clearSelection()
        self.list.blockSignals(False)

    def _ask_discard(self, proceed: Callable[[], None], cancel: Callable[[], None]) -> None:
        """Ask (never blocking the event loop: runs may be streaming) before edits are lost."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowTitle(self.tr("Unsaved changes"))
        box.setText(self.tr("The changes to “{0}” are not saved.").format(self.name.text().strip()))
        box.setStandardButtons(
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)

        def done(button: int) -> None:
            box.deleteLater()
            if button == QMessageBox.StandardButton.Discard:
                proceed()
            elif button == QMessageBox.StandardButton.Save:
                task = self.save()
                if task is None:
                    cancel()
                else:
                    task.add_done_callback(lambda _t: proceed() if not self._failed else None)
            else:
                cancel()

        box.finished.connect(done)
        self.pending_question = box
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing or not self.has_unsaved_edits():
            self._closing = False
            super().closeEvent(event)
            return
        event.ignore()

        def close() -> None:
            self._closing = True
            self.close()

        self._ask_discard(close, lambda: None)

    def _load_fields(self, profile: Profile, editing: str | None) -> None:
        self._editing = editing
        self._pending = profile
        local = profile.kind == LOCAL_MODEL
        self.name.setText(profile.name)
        self.kind.setText(self.tr("Local model (built in)") if local else self.tr("Server"))
        self.base_url.setText(profile.base_url)
        self.default_model.setText(profile.default_model)
        self.api_key.clear()
        self.headers.setPlainText("\n".join(f"{k}: {v}" for k, v in profile.headers.items()))
        self.proxy.setText(profile.proxy or "")
        self.connect_timeout.setValue(profile.connect_timeout)
        self.read_timeout.setValue(profile.read_timeout)
        self.model_path.setText(profile.model_path or "")
        self._detect_serial += 1  # a detection still running was for the previous profile
        self.server_kind.setCurrentIndex(max(0, self.server_kind.findData(profile.server_kind)))
        # The built-in model is always llama-cpp-python's server: nothing to choose or ask.
        self.server_kind.setEnabled(not local)
        self.detect_button.setEnabled(not local)
        self._update_kind_note()
        for row in _SERVER_ROWS:
            self.form.setRowVisible(row, not local)
        self.form.setRowVisible(_MODEL_FILE_ROW, local)
        self.api_key.setPlaceholderText(
            self.tr("A key is stored") if profile.key_ref else self.tr("No key (optional)")
        )
        self.forget_key.setEnabled(bool(profile.key_ref))
        self._say("")
        self._update_key_status()

    def _update_key_status(self) -> None:
        status = self.manager.keys.status
        self.key_status.setText(
            text_of(status.describe()) if status else self.tr("Checking the keyring…")
        )

    def add_from_template(self, template: object) -> None:
        from app.core.profiles import ProfileTemplate

        assert isinstance(template, ProfileTemplate)
        name = template.label
        taken = {p.name for p in self.manager.profiles}
        counter = 2
        while name in taken:
            name = f"{template.label} {counter}"
            counter += 1
        self.list.clearSelection()
        profile = template.make(name)
        profile.connect_timeout, profile.read_timeout = self.manager.default_timeouts
        self._load_fields(profile, None)
        self.name.setFocus()
        self._say(self.tr("New profile: fill in the fields and press Save."))

    def _remove(self) -> None:
        if self._editing is not None:
            self.manager.remove(self._editing)
            self._reload()

    # -- edit ----------------------------------------------------------------------------

    def profile_from_fields(self) -> Profile:
        """The profile as edited (raises ProfileError naming the field)."""
        profile = replace(
            self._pending,
            name=self.name.text().strip(),
            base_url=self.base_url.text().strip(),
            default_model=self.default_model.text().strip(),
            headers=parse_headers(self.headers.toPlainText()),
            proxy=self.proxy.text().strip() or None,
            connect_timeout=self.connect_timeout.value(),
            read_timeout=self.read_timeout.value(),
            model_path=self.model_path.text().strip() or None,
            server=self._server_field(),
        )
        profile.validate()
        return profile

    def save(self) -> asyncio.Task[None] | None:
        try:
            profile = self.profile_from_fields()
        except ProfileError as exc:
            self._error(str(exc))
            return None
        return self._tasks.spawn(self._save(profile, self.api_key.text().strip()))

    async def _save(self, profile: Profile, key: str) -> None:
        self._failed = False
        where = None
        if key:
            where = await self.manager.set_key(profile, key)
        try:
            self.manager.save_profile(self._editing, profile)
        except ProfileError as exc:
            self._error(str(exc))
            return
        self._reload(profile.name)
        if where is True:
            self._say(self.tr("Saved. The key is in the system keyring."), OK)
        elif where is False:
            self._say(
                self.tr("Saved. No secure storage: the key is kept for this session only."),
                OK,
            )
        else:
            self._say(self.tr("Saved."), OK)

    def _forget_key(self) -> None:
        if self._editing is None:
            return
        profile = self.manager.find(self._editing)
        if profile is not None:
            self._tasks.spawn(self._forget(profile))

    async def _forget(self, profile: Profile) -> None:
        updated = replace(profile)
        await self.manager.set_key(updated, None)
        self.manager.save_profile(profile.name, updated)
        self._reload(updated.name)
        self._say(self.tr("The key was removed."))

    def test(self) -> None:
        try:
            profile = self.profile_from_fields()
        except ProfileError as exc:
            self._error(str(exc))
            return
        self._say(self.tr("Testing…"))
        self._testing = True
        self.controller.test_connection(profile, self.api_key.text().strip() or None)

    def _on_tested(self, ok: bool, message: str) -> None:
        if not self._testing:
            return  # the main window's own test: it shows the answer itself
        self._testing = False
        self._say(message, OK if ok else ERROR)

    def _server_field(self) -> str | None:
        """The kind to store: unchanged stays as it was (``None`` means the default)."""
        pending = self._pending
        assert pending is not None
        if pending.is_local_model or self.selected_kind == pending.server_kind:
            return pending.server
        return self.selected_kind

    def _error(self, message: str) -> None:
        self._failed = True
        self._say(message, ERROR)

    def _say(self, message: str, tone: str | None = None) -> None:
        """Feedback in the dialog; its colour belongs to this message only."""
        set_tone(self.feedback, tone)
        self.feedback.setText(message)

    # -- server kind ---------------------------------------------------------------------

    @property
    def selected_kind(self) -> str:
        """The id of the server kind chosen in the combo box."""
        return str(self.server_kind.currentData())

    def _update_kind_note(self) -> None:
        note = get_kind(self.selected_kind).note
        self.kind_note.setText(QCoreApplication.translate(CORE_CONTEXT, note) if note else "")
        self.kind_note.setVisible(bool(note))

    def detect(self) -> asyncio.Task[Detection | CompletionError] | None:
        """Ask the edited profile's server what it is, in the background (never blocks).

        Uses the fields as they are (a new profile need not be saved first) and the key
        typed here, else the stored one. The result selects the kind; it is saved with
        the profile.
        """
        try:
            profile = self.profile_from_fields()
        except ProfileError as exc:
            self._error(str(exc))
            return None
        if profile.is_local_model:
            return None
        self._detect_serial += 1
        serial = self._detect_serial
        self.detect_button.setEnabled(False)
        self._say(self.tr("Asking the server what it is…"))
        task = self.controller.detect_server(profile, self.api_key.text().strip() or None)
        task.add_done_callback(lambda done: self._on_detected(done, serial))
        self.detect_task = task
        return task

    def _on_detected(self, task: asyncio.Task[Detection | CompletionError], serial: int) -> None:
        if not isValid(self) or serial != self._detect_serial:
            return  # the dialog is gone, or another profile is shown now
        self.detect_button.setEnabled(True)
        if task.cancelled():
            self.feedback.clear()
            return
        result = task.result()  # the task never fails: an error is its result
        if isinstance(result, CompletionError):
            self._error(describe(result))
            return
        self.server_kind.setCurrentIndex(max(0, self.server_kind.findData(result.kind)))
        self._say(text_of(result.message), OK)

    def _browse(self) -> None:
        dialog = QFileDialog(self, self.tr("Choose a GGUF model"))
        dialog.setNameFilter(self.tr("GGUF models (*.gguf)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.model_path.setText)
        dialog.open()
