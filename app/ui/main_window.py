"""The main window: connection bar, prompt editor, streamed output, parameters, status.

It builds a :class:`CompletionRequest` from the widgets, hands it to the
:class:`RunController` and shows what comes back. It never blocks: the controller runs
everything on the asyncio loop that qasync drives inside Qt's event loop.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.endpoint import InvalidBaseURL, normalise_base_url
from app.core.errors import RedirectError
from app.core.history import RunRecord, record_for
from app.core.keys import KeyStatus
from app.core.local_model import LocalModelError
from app.core.presets import Preset
from app.core.profiles import Profile
from app.core.request import (
    CompletionRequest,
    RequestValidationError,
    parse_structured_prompt,
)
from app.core.result import CompletionResult, result_from_json
from app.core.session_state import WorkingState
from app.core.wire_log import WireLog
from app.ui.autosave import Autosaver
from app.ui.branch_controller import BranchController
from app.ui.capability_actions import CapabilityActions
from app.ui.code_actions import CodeActions
from app.ui.compare_window import CompareWindow
from app.ui.connection_bar import ConnectionBar
from app.ui.controller import RunController
from app.ui.help_actions import HelpActions
from app.ui.history_panel import HistoryPanel
from app.ui.i18n import display_name
from app.ui.message_area import MessageArea, Severity
from app.ui.output_view import OutputView
from app.ui.parameters import ParameterPanel
from app.ui.preset_actions import PresetActions
from app.ui.profile_dialog import ProfileDialog
from app.ui.profile_manager import ProfileManager
from app.ui.prompt_editor import PromptEditor
from app.ui.prompt_scoring import PromptScorer
from app.ui.run_status import RunStatus
from app.ui.settings_actions import SettingsActions
from app.ui.storage import WindowStorage
from app.ui.undo_history import UnifiedUndo
from app.ui.window_state import WindowState
from app.ui.wire_inspector import WireInspector
from app.ui.wording import describe as describe_error
from app.ui.wording import text_of

__all__ = ["MainWindow"]


class MainWindow(QMainWindow):
    def __init__(
        self,
        controller: RunController,
        profiles: ProfileManager,
        storage: WindowStorage,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.profiles = profiles
        self.storage = storage
        self.profile_dialog: ProfileDialog | None = None
        self.undo_stack = QUndoStack(self)
        self.setWindowTitle(display_name())
        self.resize(1200, 800)

        self.connection = ConnectionBar()
        self.prompt = PromptEditor()
        self.output = OutputView()
        self.messages = MessageArea()
        self.parameters = ParameterPanel()
        self.parameters.set_server_kind(getattr(profiles.current, "server_kind", None))
        self.prompt_mode = QComboBox()
        self.prompt_mode.addItem(self.tr("Prompt is text"), "text")
        self.prompt_mode.addItem(self.tr("Prompt is JSON: strings or token ids"), "json")
        self.prompt_mode.setAccessibleName(self.tr("Prompt format"))
        self.prompt_mode.setToolTip(
            self.tr('JSON mode sends e.g. ["first", "second"], [1212, 318] or [[1212], [13]]')
        )
        self.run_button = QPushButton(self.tr("Run"))
        self.run_button.setToolTip(self.tr("Run (Ctrl+Enter) / Stop (Esc)"))
        self.run_button.setAccessibleName(self.tr("Run or stop"))
        self.run_button.setDefault(False)
        self.status = RunStatus()
        self.setStatusBar(self.status)

        output_box = QWidget()
        output_layout = QVBoxLayout(output_box)
        output_layout.setContentsMargins(0, 0, 0, 0)
        output_layout.addWidget(self.messages)
        output_layout.addWidget(self.output, 1)

        self.text_splitter = QSplitter(Qt.Orientation.Vertical)
        self.text_splitter.addWidget(self.prompt)
        self.text_splitter.addWidget(output_box)
        self.text_splitter.setSizes([400, 400])

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.text_splitter, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.prompt_mode)
        buttons.addStretch(1)
        buttons.addWidget(self.run_button)
        left_layout.addLayout(buttons)

        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.addWidget(left)
        self.main_splitter.addWidget(self.parameters)
        self.main_splitter.setStretchFactor(0, 3)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([850, 350])

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.connection)
        layout.addWidget(self.main_splitter, 1)
        self.setCentralWidget(central)

        self.run_action = QAction(self.tr("&Run"), self)
        self.run_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.run_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.run_action.triggered.connect(self.run)
        self.stop_action = QAction(self.tr("&Stop"), self)
        self.stop_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.stop_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.stop_action.setEnabled(False)
        self.stop_action.triggered.connect(self.stop)
        self.addActions([self.run_action, self.stop_action])
        self.regenerate_action = QAction(self.tr("Re&generate"), self)
        self.regenerate_action.setShortcut(QKeySequence("Ctrl+R"))
        self.regenerate_action.triggered.connect(self.regenerate)
        self.append_action = QAction(self.tr("&Append output to prompt"), self)
        self.append_action.setShortcut(QKeySequence("Alt+Return"))
        self.append_action.triggered.connect(lambda: self.append_output())
        self.undo = UnifiedUndo(self.undo_stack, self.prompt.document(), self)
        self.undo_action = self.undo_stack.createUndoAction(self, self.tr("Undo"))
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self.undo_stack.createRedoAction(self, self.tr("Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.prompt.history_actions = (self.undo_action, self.redo_action)
        self.addActions([self.regenerate_action, self.append_action, self.undo_action,
                         self.redo_action])  # fmt: skip
        self.presets = PresetActions(
            storage.presets, self.capture_preset, self.apply_preset,
            lambda: [p.name for p in self.profiles.profiles], self,
        )  # fmt: skip
        presets_menu = self.menuBar().addMenu(self.tr("&Presets"))
        self.presets.fill_menu(presets_menu)
        self.addActions(presets_menu.actions())
        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        edit_menu.addActions([self.undo_action, self.redo_action, self.append_action])
        run_menu = self.menuBar().addMenu(self.tr("&Run"))
        run_menu.addActions([self.run_action, self.stop_action, self.regenerate_action])

        self.history = HistoryPanel(storage.history, self)
        if storage.history_problem:
            self.history.set_disabled_notice(text_of(storage.history_problem))
        self.history_dock = QDockWidget(self.tr("History"), self)
        self.history_dock.setObjectName("history")
        self.history_dock.setWidget(self.history)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.history_dock)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        view_menu.addAction(self.history_dock.toggleViewAction())
        self.search_history_action = QAction(self.tr("Search history"), self)
        self.search_history_action.setShortcut(QKeySequence("Ctrl+F"))
        self.search_history_action.triggered.connect(self.focus_history_search)
        view_menu.addAction(self.search_history_action)
        self.addAction(self.search_history_action)
        self.history.restoreRequested.connect(self.restore_run)
        self.history.inspectRequested.connect(self.inspect_record)
        self.wire_inspector: WireInspector | None = None
        self.wire_action = QAction(self.tr("Wire inspector…"), self)
        self.wire_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.wire_action.triggered.connect(lambda: self.inspect_wire())
        view_menu.addAction(self.wire_action)
        self.addAction(self.wire_action)
        self.history.problem.connect(lambda text: self.messages.show_message(text))
        self.presets.message.connect(
            lambda text, error: self.messages.show_message(
                text, Severity.ERROR if error else Severity.INFO
            )
        )
        self.presets.presetLoaded.connect(self._update_title)

        self.autosave = Autosaver(storage.session, self.capture_state, self)
        self.autosave.failed.connect(lambda text: self.messages.show_message(text))
        self.prompt.textChanged.connect(self.autosave.schedule)
        self.parameters.changed.connect(self.autosave.schedule)
        self.connection.model.currentTextChanged.connect(self.autosave.schedule)
        self.prompt_mode.currentIndexChanged.connect(self.autosave.schedule)

        self.run_button.clicked.connect(self._toggle_run)
        controller.textReceived.connect(self.output.append)
        controller.runFinished.connect(self._on_finished)
        self.output.useChoice.connect(self.append_output)
        controller.modelsLoaded.connect(self.connection.set_models)
        controller.modelsFailed.connect(self._on_models_failed)
        controller.progress.connect(self.status.state.setText)
        controller.connectionTested.connect(self._on_connection_tested)
        self.connection.refreshRequested.connect(self.refresh_models)
        self.connection.testRequested.connect(self.test_connection)
        self.connection.manageRequested.connect(self.show_profiles)
        self.connection.profileSelected.connect(profiles.set_current)
        profiles.profilesChanged.connect(self._show_profiles_list)
        profiles.currentChanged.connect(self._on_profile_changed)
        profiles.keyStatusChanged.connect(self._on_key_status)
        profiles.problem.connect(lambda text: self.messages.show_message(text, Severity.ERROR))
        self.branching = BranchController(self)
        self.scorer = PromptScorer(self)
        self.capabilities = CapabilityActions(self)
        run_menu.addAction(self.scorer.action)
        self.compare_window: CompareWindow | None = None
        self.compare_action = QAction(self.tr("Compare targets…"), self)
        self.compare_action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.compare_action.setToolTip(self.tr("Run this prompt on 2–4 profiles or models at once"))
        self.compare_action.triggered.connect(lambda: self.show_compare())
        run_menu.addAction(self.compare_action)
        self.addAction(self.compare_action)
        run_menu.addAction(self.capabilities.forget_action)
        self.code = CodeActions(self)
        view_menu.addAction(self.code.view_action)
        edit_menu.addAction(self.code.import_action)
        self.addActions([self.code.view_action, self.code.import_action])
        self.settings = SettingsActions(self)
        edit_menu.addSeparator()
        edit_menu.addAction(self.settings.action)
        self.addAction(self.settings.action)
        self.help = HelpActions(self)
        self.window_state = WindowState(storage.config_dir) if storage.config_dir else None
        if self.window_state is not None:
            self.window_state.restore("main", self, self._splitters())
        self._show_profiles_list()
        self.connection.model.setCurrentText(profiles.current.default_model)
        if profiles.load_problem:
            self.messages.show_message(text_of(profiles.load_problem), Severity.ERROR)
        if storage.session_problem:
            self.messages.show_message(text_of(storage.session_problem), Severity.ERROR)
        if storage.restored is not None:
            self.apply_state(storage.restored)
        self.undo.reset()  # the restored session is the starting point, not an edit
        self.prompt.setFocus()

    # -- actions -------------------------------------------------------------------------

    def build_request(self, *, validate: bool = True) -> CompletionRequest:
        """The request the widgets describe; raises RequestValidationError."""
        text = self.prompt.toPlainText()
        prompt = parse_structured_prompt(text) if self.prompt_mode.currentData() == "json" else text
        request = CompletionRequest(
            model=self.connection.model_name() or self.profiles.current.default_model,
            prompt=prompt,
            params=self.parameters.fields(),
        )
        if validate:
            request.validate()
        return request

    # -- presets, history, autosave ----------------------------------------------------------

    def capture_preset(self, name: str) -> Preset:
        return Preset.from_request(
            name,
            self.build_request(validate=False),
            profile=self.profiles.current.name,
            prompt_mode=self.prompt_mode.currentData(),
        )

    def apply_setup(
        self, prompt: object, mode: str, params: dict[str, Any], profile: str | None,
        model: str | None,
    ) -> None:  # fmt: skip
        if profile and self.profiles.find(profile) is not None:
            self.profiles.set_current(profile)
        as_json = mode == "json" or not isinstance(prompt, str)
        self.prompt_mode.setCurrentIndex(self.prompt_mode.findData("json" if as_json else "text"))
        text = json.dumps(prompt, ensure_ascii=False) if not isinstance(prompt, str) else prompt
        self.undo.edit(self.tr("Replace prompt"), lambda: self.prompt.setPlainText(text))
        self.parameters.set_fields(params)
        if model:
            self.connection.model.setCurrentText(model)

    def apply_preset(self, preset: Preset) -> None:
        self.apply_setup(preset.prompt, preset.prompt_mode, preset.parameters, preset.profile,
                          preset.model)  # fmt: skip

    def _update_title(self, preset: Preset | None = None) -> None:
        name = preset.name if preset is not None else None
        self.setWindowTitle(f"{name} — {display_name()}" if name else display_name())

    def restore_run(self, record: RunRecord) -> None:
        """Put a run from history back into the editor (prompt, parameters, model)."""
        restored = CompletionRequest.from_body({**record.request, "model": record.model or ""})
        self.apply_setup(
            restored.prompt, "text", restored.parameters(), record.profile, record.model
        )
        result = result_from_json(record.result, restored.choice_count)
        self.branching.set_run(restored, result)

    def show_compare(self) -> CompareWindow:
        """Open the (non-modal) Compare window."""
        if self.compare_window is None:
            self.compare_window = CompareWindow(self)
        self.compare_window.show()
        self.compare_window.raise_()
        self.compare_window.activateWindow()
        return self.compare_window

    def _inspector(self) -> WireInspector:
        if self.wire_inspector is None:
            self.wire_inspector = WireInspector(self)
        self.wire_inspector.show()
        self.wire_inspector.raise_()
        return self.wire_inspector

    def inspect_wire(self) -> WireInspector:
        """Show the last run's exchange in the (non-modal) wire inspector."""
        result = self.controller.last_result
        inspector = self._inspector()
        inspector.show_wire(result.wire if result else None, self.tr("The last run"))
        return inspector

    def inspect_record(self, record: RunRecord) -> WireInspector:
        inspector = self._inspector()
        source = self.tr("History run {0} ({1})").format(record.id, record.model or "")
        inspector.show_wire(WireLog.from_json(record.result.get("wire")), source)
        return inspector

    def focus_history_search(self) -> None:
        self.history_dock.show()
        self.history.search.setFocus()
        self.history.search.selectAll()

    def capture_state(self) -> WorkingState:
        fields_ = self.parameters.fields(lenient=True)  # an invalid value is not saved
        params = {k: (list(v) if isinstance(v, tuple) else v) for k, v in fields_.items()}
        return WorkingState(
            prompt=self.prompt.toPlainText(),
            prompt_mode=self.prompt_mode.currentData(),
            parameters=params,
            profile=self.profiles.current.name,
            model=self.connection.model_name(),
            outputs=[self.output.text(i) for i in range(self.output.count())],
        )

    def apply_state(self, state: WorkingState) -> None:
        self.apply_setup(state.prompt, state.prompt_mode, state.parameters, state.profile,
                          state.model)  # fmt: skip
        if state.outputs:
            self.output.reset(len(state.outputs))
            for i, text in enumerate(state.outputs):
                self.output.set_text(i, text)

    def append_output(self, index: int | None = None) -> None:
        """Append the shown output (or choice ``index``) to the prompt, undoably."""
        text = self.output.text(self.output.currentIndex() if index is None else index)
        if text:
            self.undo.edit(self.tr("Append output"), lambda: self.prompt.append_text(text))

    def regenerate(self) -> None:
        """Run the last request again (same profile, same parameters)."""
        request, profile = self.controller.last_request, self.controller.last_profile
        if self.controller.is_running or request is None or profile is None:
            return
        self.capabilities.last_dropped = ("", [])
        self.start_run(profile, request)

    def start_run(self, profile: Profile, request: CompletionRequest, *, prefix: str = "") -> None:
        """Clear the output (showing ``prefix``, a fork's fixed text) and start ``request``."""
        self.messages.clear()
        self.output.reset(request.choice_count)
        if prefix:
            self.output.set_text(0, prefix)
        self.status.running()
        self._set_running(True)
        self.controller.start(profile, request)

    def run(self) -> None:
        if self.controller.is_running:
            return
        try:
            request = self.build_request()
        except RequestValidationError as exc:
            lines = [f"{e.field}: {text_of(e.msg)}" for e in exc.errors]
            self.messages.show_message(
                self.tr("Not sent. Fix these parameters: {0}").format("; ".join(lines)),
                Severity.ERROR,
            )
            return
        profile = self.profiles.current
        self.start_run(profile, self.capabilities.prepare(profile, request))

    def stop(self) -> None:
        self.controller.cancel()

    def _toggle_run(self) -> None:
        if self.controller.is_running:
            self.stop()
        else:
            self.run()

    def refresh_models(self) -> None:
        self.controller.load_models(self.profiles.current)

    def test_connection(self) -> None:
        self.status.state.setText(self.tr("Testing the connection…"))
        self.controller.test_connection(self.profiles.current)

    def show_profiles(self) -> ProfileDialog:
        """Show the non-modal Profiles dialog (never exec(): runs may be streaming)."""
        if self.profile_dialog is None:
            self.profile_dialog = ProfileDialog(self.profiles, self.controller, self)
        self.profile_dialog.show()
        self.profile_dialog.raise_()
        self.profile_dialog.activateWindow()
        return self.profile_dialog

    def _show_profiles_list(self) -> None:
        self.connection.set_profiles(
            [p.name for p in self.profiles.profiles], self.profiles.current.name
        )

    def _on_profile_changed(self, profile: Profile) -> None:
        self._show_profiles_list()
        self.parameters.set_server_kind(getattr(profile, "server_kind", None))
        self.connection.model.setCurrentText(profile.default_model)
        self.refresh_models()

    def _on_key_status(self, status: KeyStatus) -> None:
        if not status.secure:
            self.messages.show_message(status.describe(), Severity.WARNING)

    def _on_connection_tested(self, ok: bool, message: str) -> None:
        self.status.state.setText(message)
        if not ok:
            self.messages.show_message(message, Severity.ERROR)

    # -- results -------------------------------------------------------------------------

    def _set_running(self, running: bool) -> None:
        self.run_button.setText(self.tr("Stop") if running else self.tr("Run"))
        self.stop_action.setEnabled(running)
        self.run_action.setEnabled(not running)

    def _on_finished(self, result: CompletionResult) -> None:
        self.output.flush()
        self._set_running(False)
        self._record(result)
        self.autosave.schedule()
        self.status.show_result(result)
        self.capabilities.annotate_status()
        notes = [text_of(note) for note in result.notes()]
        if result.error is not None:
            text = describe_error(result.error)
            if any(c.text for c in result.ordered_choices):
                text += " " + self.tr("The text received so far is kept.")
            action = self.capabilities.offer(result)
            if isinstance(result.error, RedirectError) and result.error.location:
                action = self._offer_new_base_url(result.error.location)
            if isinstance(result.error, LocalModelError):
                if result.error.log_tail:
                    text += "\n" + "\n".join(result.error.log_tail[-6:])
                profile = self.profiles.current
                action = (
                    self.tr("Restart local model"),
                    lambda: self.controller.restart_local_model(profile),
                )
            self.messages.show_message(text, Severity.ERROR, action)
        elif result.cancelled:
            self.messages.show_message(
                self.tr("Stopped. The text received so far is kept."), Severity.INFO
            )
        elif ignored := self.capabilities.offer_ignored(result):
            text, label, callback = ignored
            self.messages.show_message(
                " ".join([*notes, text]), Severity.WARNING, (label, callback)
            )
        elif notes:
            self.messages.show_message(" ".join(notes), Severity.WARNING)

    def _offer_new_base_url(self, location: str) -> tuple[str, Callable[[], None]] | None:
        """ "Use URL as the base URL" for a profile whose server moved (never automatic)."""
        try:
            new_base = normalise_base_url(location)
        except InvalidBaseURL:
            return None
        profile = self.controller.last_profile or self.profiles.current
        if profile.is_local_model or new_base == normalise_base_url(profile.base_url):
            return None

        def update() -> None:
            current = self.profiles.find(profile.name)
            if current is not None:
                self.profiles.save_profile(current.name, replace(current, base_url=new_base))
                self.messages.show_message(
                    self.tr("The base URL of {0} is now {1}.").format(current.name, new_base),
                    Severity.INFO,
                )

        return self.tr("Use {0} as the base URL").format(new_base), update

    def _record(self, result: CompletionResult) -> None:
        request, profile = self.controller.last_request, self.controller.last_profile
        if request is None:
            return
        self.history.record(
            record_for(request, result, profile=profile.name if profile else None,
                       base_url=self.controller.last_base_url)
        )  # fmt: skip

    def _on_models_failed(self, message: str) -> None:
        self.status.state.setText(self.tr("Model list unavailable: {0}").format(message))

    def _splitters(self) -> dict[str, QSplitter]:
        return {
            "text": self.text_splitter, "main": self.main_splitter,
            "output": self.output.body, "side": self.output.side,
        }  # fmt: skip

    def closeEvent(self, event: QCloseEvent) -> None:
        self.controller.cancel()
        if self.window_state is not None:
            self.window_state.save("main", self, self._splitters())
        super().closeEvent(event)
