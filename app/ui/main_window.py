"""The main window: connection bar, prompt editor, streamed output, parameters, status.

It builds a :class:`CompletionRequest` from the widgets, hands it to the
:class:`RunController` and shows what comes back. It never blocks: the controller runs
everything on the asyncio loop that qasync drives inside Qt's event loop.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import APP_DISPLAY_NAME
from app.core.keys import KeyStatus
from app.core.local_model import LocalModelError
from app.core.profiles import Profile
from app.core.request import (
    CompletionRequest,
    RequestValidationError,
    parse_structured_prompt,
)
from app.core.result import CompletionResult
from app.ui.connection_bar import ConnectionBar
from app.ui.controller import RunController
from app.ui.message_area import MessageArea, Severity
from app.ui.output_view import OutputView
from app.ui.parameter_panel import ParameterPanel
from app.ui.profile_dialog import ProfileDialog
from app.ui.profile_manager import ProfileManager
from app.ui.prompt_editor import PromptEditor
from app.ui.run_status import RunStatus

__all__ = ["MainWindow"]


class MainWindow(QMainWindow):
    def __init__(
        self,
        controller: RunController,
        profiles: ProfileManager,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.profiles = profiles
        self.profile_dialog: ProfileDialog | None = None
        self.setWindowTitle(APP_DISPLAY_NAME)
        self.resize(1200, 800)

        self.connection = ConnectionBar()
        self.prompt = PromptEditor()
        self.output = OutputView()
        self.messages = MessageArea()
        self.parameters = ParameterPanel()
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
        run_menu = self.menuBar().addMenu(self.tr("&Run"))
        run_menu.addAction(self.run_action)
        run_menu.addAction(self.stop_action)

        self.run_button.clicked.connect(self._toggle_run)
        controller.textReceived.connect(self.output.append)
        controller.runFinished.connect(self._on_finished)
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
        self._show_profiles_list()
        self.connection.model.setCurrentText(profiles.current.default_model)
        if profiles.load_problem:
            self.messages.show_message(profiles.load_problem, Severity.ERROR)
        self.prompt.setFocus()

    # -- actions -------------------------------------------------------------------------

    def build_request(self) -> CompletionRequest:
        """The request the widgets describe; raises RequestValidationError."""
        text = self.prompt.toPlainText()
        prompt = parse_structured_prompt(text) if self.prompt_mode.currentData() == "json" else text
        request = CompletionRequest(
            model=self.connection.model_name() or self.profiles.current.default_model,
            prompt=prompt,
            **self.parameters.fields(),
        )
        request.validate()
        return request

    def run(self) -> None:
        if self.controller.is_running:
            return
        try:
            request = self.build_request()
        except RequestValidationError as exc:
            lines = [f"{e.field}: {e.message}" for e in exc.errors]
            self.messages.show_message(
                self.tr("Not sent. Fix these parameters: {0}").format("; ".join(lines)),
                Severity.ERROR,
            )
            return
        self.messages.clear()
        self.output.reset(request.choice_count)
        self.status.running()
        self._set_running(True)
        self.controller.start(self.profiles.current, request)

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
        self.status.show_result(result)
        notes = result.notes()
        if result.error is not None:
            text = result.error.user_message()
            if any(c.text for c in result.ordered_choices):
                text += " " + self.tr("The text received so far is kept.")
            action = None
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
        elif notes:
            self.messages.show_message(" ".join(notes), Severity.WARNING)

    def _on_models_failed(self, message: str) -> None:
        self.status.state.setText(self.tr("Model list unavailable: {0}").format(message))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.controller.cancel()
        super().closeEvent(event)
