"""The main window: one document you write in and the model continues, and the parts around it.

The window only composes parts: the connection bar on top, the document (with its Run bar)
in the middle, the parameter sidebar and the token panel on the right, history below (closed
at first), the message strip over the document's top edge (so a message never shrinks
it), and the status line. A run is planned here from the document (the whole text, or the
text before the cursor with the rest as ``suffix``), handed to the controller, written into
the document by :class:`~app.ui.document.runs.DocumentRuns`, and worded at its end. It
never blocks: everything runs on the asyncio loop that qasync drives inside Qt's loop.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QMainWindow,
    QMenu,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.document_text import plan_prompt
from app.core.endpoint import InvalidBaseURL, normalise_base_url
from app.core.errors import RedirectError
from app.core.keys import KeyStatus
from app.core.local_model import LocalModelError
from app.core.presets import Preset
from app.core.profiles import Profile
from app.core.request import CompletionRequest, RequestValidationError, parse_structured_prompt
from app.core.session_state import WorkingState
from app.ui.analysis.capability_actions import CapabilityActions
from app.ui.analysis.token_view import ProbabilityMode, visible_token
from app.ui.code.code_actions import CodeActions
from app.ui.common.actions import text_action
from app.ui.common.i18n import display_name
from app.ui.common.message_area import MessageArea, Severity
from app.ui.common.plain import escape_mnemonic
from app.ui.common.screen import fit_on_screen
from app.ui.common.task_keeper import TaskKeeper
from app.ui.common.wording import describe as describe_error
from app.ui.common.wording import text_of
from app.ui.common.workspace import Action
from app.ui.document.prompt_scoring import PromptScorer
from app.ui.document.runs import DocumentRuns
from app.ui.document.spans import Span
from app.ui.document.token_count import TokenCounter
from app.ui.document.undo_history import UnifiedUndo
from app.ui.document.view import DocumentView
from app.ui.parameters import ParameterPanel
from app.ui.presets.preset_actions import PresetActions
from app.ui.profiles.connection_bar import ConnectionBar
from app.ui.profiles.profile_manager import ProfileManager
from app.ui.runs.controller import RunController
from app.ui.shell.autosave import Autosaver
from app.ui.shell.dock_width import SqueezedDock
from app.ui.shell.help_actions import HelpActions
from app.ui.shell.run_status import RunStatus
from app.ui.shell.settings_actions import SettingsActions
from app.ui.shell.storage import WindowStorage
from app.ui.shell.window_state import WindowState

if TYPE_CHECKING:  # built on first use: dialogs, Compare, the wire inspector, history,
    # the choices side by side; a run's modules (its plan, result, statistics) load with it
    from app.core.history import RunRecord
    from app.core.runs import RunOutcome, RunPlan
    from app.core.token_stats import RunStats
    from app.ui.analysis.output_view import OutputView
    from app.ui.analysis.token_side import TokenSide
    from app.ui.analysis.wire_inspector import WireInspector
    from app.ui.batch.batch_window import BatchWindow
    from app.ui.compare.compare_window import CompareWindow
    from app.ui.history.history_panel import HistoryPanel
    from app.ui.profiles.profile_dialog import ProfileDialog

__all__ = ["MainWindow"]

SIDEBAR_WIDTH = 380


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
        controller.set_history_opener(lambda: storage.history)  # opened when first needed
        self.profile_dialog: ProfileDialog | None = None
        self.compare_window: CompareWindow | None = None
        self.batch_window: BatchWindow | None = None
        self.wire_inspector: WireInspector | None = None
        self._selected: tuple[Span, int] | None = None
        self._dirty = False
        self._testing = False
        self._tasks = TaskKeeper()
        self._output: OutputView | None = None
        self.window_state: WindowState | None = None
        self.setWindowTitle(display_name())
        self.resize(1280, 800)
        self._build_parts()
        self._build_docks()
        self._build_actions()
        self._connect()
        self._start()

    # -- composition --------------------------------------------------------------------------

    def _build_parts(self) -> None:
        self.undo_stack = QUndoStack(self)
        self.connection = ConnectionBar()
        self.view = DocumentView()
        self.prompt = self.document = self.view.editor
        self.prompt_mode = self.view.prompt_mode
        self.run_button = self.view.run_button
        self.messages = MessageArea(self.view)  # floats over the document's top edge
        self.messages.installEventFilter(self)
        self.view.installEventFilter(self)
        self.parameters = ParameterPanel(kind=self.profiles.current.server_kind, later=True)
        self.status = RunStatus()
        self.setStatusBar(self.status)
        self.runs = DocumentRuns(self.document, self.controller, self)
        self.undo = UnifiedUndo(self.undo_stack, self.document.document(), self)
        self.undo.state = (self.document.snapshot_spans, self.document.restore_spans)
        self.undo.suppress = lambda: self.document.joining > 0
        self.counter = TokenCounter(
            self.view.token_count, self.document.text, self.current_profile,
            self.current_model, self.controller.connections, self,
        )  # fmt: skip
        self.counter.busy = lambda: self.controller.is_running
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.connection)
        layout.addWidget(self.view, 1)
        self.setCentralWidget(central)

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.parameters_dock = self._dock(self.tr("Parameters"), "parameters", self.parameters,
                                          right)  # fmt: skip
        # Built the first time it is shown or used (a tab behind the parameters at start).
        self._tokens: TokenSide | None = None
        self._stats: RunStats | None = None  # the last run's, for a panel built later
        self.tokens_dock = self._dock(self.tr("Tokens"), "tokens", QWidget(), right)
        self.tabifyDockWidget(self.parameters_dock, self.tokens_dock)
        self.parameters_dock.raise_()
        self.resizeDocks([self.parameters_dock], [SIDEBAR_WIDTH], Qt.Orientation.Horizontal)
        # The history panel is built the first time it is shown (start-up stays light).
        self._history: HistoryPanel | None = None
        self.history_dock = self._dock(self.tr("History"), "history", QWidget(),
                                       Qt.DockWidgetArea.BottomDockWidgetArea)  # fmt: skip
        self.history_dock.hide()  # opens with Ctrl+F or View ▸ History
        self.history_dock.visibilityChanged.connect(lambda shown: shown and self.history)
        # Built the first time it is shown or used, like history.
        self.output_dock = self._dock(self.tr("Choices side by side"), "output", QWidget(),
                                      Qt.DockWidgetArea.BottomDockWidgetArea)  # fmt: skip
        self.output_dock.hide()
        self.output_dock.visibilityChanged.connect(lambda shown: shown and self.output)
        # Side by side they need ~1,150 px (the history's buttons, the choices' bar): as
        # tabs a window of 1,024 px holds both (the user may still drag one beside the other).
        self.tabifyDockWidget(self.history_dock, self.output_dock)
        for dock in (self.history_dock, self.output_dock):  # View ▸ … brings its tab forward
            dock.toggleViewAction().triggered.connect(lambda on, d=dock: on and d.raise_())
        self.tokens_dock.visibilityChanged.connect(lambda shown: shown and self.tokens)

    def _action(self, text: str, slot: Callable[[], Any], *keys: str) -> QAction:
        action = text_action(text, self)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(lambda: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.run_action = self._action(self.tr("&Run"), self.run, "Ctrl+Return", "Ctrl+Enter")
        self.run_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.stop_action = self._action(self.tr("&Stop"), self.stop, "Esc")
        self.stop_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.stop_action.setEnabled(False)
        self.regenerate_action = self._action(self.tr("Re&generate"), self.regenerate, "Ctrl+R")
        self.regenerate_action.setToolTip(self.tr("Replace the last completion with a new one"))
        self.quit_action = self._action(self.tr("&Quit"), self.close, "Ctrl+Q")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.undo_action = self.undo_stack.createUndoAction(self, self.tr("Undo"))
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self.undo_stack.createRedoAction(self, self.tr("Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addActions([self.undo_action, self.redo_action])
        self.document.history_actions = (self.undo_action, self.redo_action)
        self.search_history_action = self._action(self.tr("Search history"),
                                                  self.focus_history_search, "Ctrl+F")  # fmt: skip
        self.wire_action = self._action(self.tr("Wire inspector…"), self.inspect_wire,
                                        "Ctrl+Shift+I")  # fmt: skip
        self.compare_action = self._action(self.tr("Compare targets…"), self.show_compare,
                                           "Ctrl+Shift+K")  # fmt: skip
        self.compare_action.setToolTip(self.tr("Run this prompt on 2–4 profiles or models at once"))
        self.batch_action = self._action(self.tr("Batch…"), self.show_batch, "Ctrl+Shift+B")
        self.batch_action.setToolTip(
            self.tr("Run a prompt template over every row of a data file, on up to 4 variants")
        )
        self.presets = PresetActions(
            self.storage.presets, self.capture_preset, self.apply_preset,
            lambda: [p.name for p in self.profiles.profiles], self,
        )  # fmt: skip
        self.scorer = PromptScorer(self, self.document, self.controller, self)
        self.capabilities = CapabilityActions(self.profiles, self.parameters, self)
        self.code = CodeActions(self, self.profiles, self)
        self.settings = SettingsActions(self.storage, self.profiles, self.controller, self, self)
        self.settings.pruned.connect(lambda _: self._history is not None and self._history.reload())
        self.help = HelpActions(self)

        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("&File"))
        self.presets.fill_menu(file_menu)
        self.addActions(file_menu.actions())
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menu.addMenu(self.tr("&Edit"))
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addAction(self.code.import_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.settings.action)
        self.addActions([self.code.view_action, self.code.import_action, self.settings.action])
        run_menu = menu.addMenu(self.tr("&Run"))
        run_menu.addActions([self.run_action, self.stop_action, self.regenerate_action,
                             self.scorer.action, self.compare_action, self.batch_action,
                             self.capabilities.forget_action])  # fmt: skip
        view_menu = menu.addMenu(self.tr("&View"))
        for dock in (self.parameters_dock, self.tokens_dock, self.history_dock, self.output_dock):
            view_menu.addAction(dock.toggleViewAction())
        self.parameters_dock.toggleViewAction().setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.history_dock.toggleViewAction().setShortcut(QKeySequence("Ctrl+H"))
        self.addActions([self.parameters_dock.toggleViewAction(),
                         self.history_dock.toggleViewAction()])  # fmt: skip
        view_menu.addSeparator()
        view_menu.addActions([self.search_history_action, self.code.view_action, self.wire_action])
        self.help.fill_menu(menu.addMenu(self.tr("&Help")))

    def _connect(self) -> None:
        controller, profiles, view = self.controller, self.profiles, self.view
        view.runClicked.connect(self._toggle_run)
        view.modeChanged.connect(lambda mode: self.set_probability_mode(ProbabilityMode(mode)))
        view.choices.choiceSelected.connect(self.runs.show_branch)
        self.document.unitClicked.connect(self._on_unit_clicked)
        self.document.unitMenuRequested.connect(self._on_unit_menu)
        self.document.edited.connect(self.counter.schedule)
        self.runs.branchesChanged.connect(self._show_branches)
        self.runs.statsReady.connect(self._show_stats)
        controller.runStarted.connect(self._on_started)
        controller.runFinished.connect(self._on_finished)
        controller.runRecorded.connect(self._on_recorded)
        controller.textReceived.connect(self._on_text_for_output)
        controller.modelsLoaded.connect(self.connection.set_models)
        controller.modelsFailed.connect(self._on_models_failed)
        controller.progress.connect(self.status.show_state)
        controller.connectionTested.connect(self._on_connection_tested)
        self.output_dock.visibilityChanged.connect(self._on_output_shown)
        self.connection.refreshRequested.connect(self.refresh_models)
        self.connection.testRequested.connect(self.test_connection)
        self.connection.manageRequested.connect(self.show_profiles)
        self.connection.profileSelected.connect(profiles.set_current)
        self.connection.model.currentTextChanged.connect(lambda _: self.counter.schedule())
        profiles.profilesChanged.connect(self._show_profiles_list)
        profiles.currentChanged.connect(self._on_profile_changed)
        profiles.keyStatusChanged.connect(self._on_key_status)
        profiles.problem.connect(lambda text: self.tell(text, Severity.ERROR))
        self.presets.message.connect(
            lambda text, error: self.tell(text, Severity.ERROR if error else Severity.INFO)
        )
        self.presets.presetLoaded.connect(self._on_preset_loaded)
        self.capabilities.retryRequested.connect(self.run_plan)
        # A run writing into the document changes it every frame: View code and autosave
        # follow at its end (_on_finished), not frame by frame.
        self.document.changed.connect(lambda: self.controller.is_running or self.code.schedule())
        for signal in (self.parameters.changed, self.prompt_mode.currentIndexChanged,
                       self.view.insert.toggled, self.profiles.currentChanged):  # fmt: skip
            signal.connect(self.code.schedule)
        self.connection.model.currentTextChanged.connect(lambda _: self.code.schedule())
        self.autosave = Autosaver(self.storage.session, self.capture_state, self)
        self.autosave.failed.connect(lambda text: self.tell(text, Severity.ERROR))
        self.document.changed.connect(
            lambda: self.controller.is_running or self.autosave.schedule()
        )
        for signal in (self.parameters.changed, self.prompt_mode.currentIndexChanged):
            signal.connect(self.autosave.schedule)
        self.connection.model.currentTextChanged.connect(self.autosave.schedule)
        self.parameters.changed.connect(self._mark_edited)
        self.document.changed.connect(self._mark_edited)

    def _start(self) -> None:
        self.window_state = (
            WindowState(self.storage.config_dir) if self.storage.config_dir else None
        )
        if self.window_state is not None:
            self.window_state.restore("main", self, self._splitters())
            mode = self.window_state.value("view/colouring", int(ProbabilityMode.OFF))
            if mode in {int(m) for m in ProbabilityMode}:
                self.set_probability_mode(ProbabilityMode(mode))
        # Narrowed to its minimum (a half-screen snap) and widened again, the window gives
        # the sidebar back the width the narrowing took.
        self.sidebar_width = SqueezedDock(self, self.parameters_dock, self.tokens_dock)
        self._show_profiles_list()
        self.connection.model.setCurrentText(self.profiles.current.default_model)
        for problem in (self.profiles.load_problem, self.storage.session_problem):
            if problem:
                self.tell(text_of(problem), Severity.ERROR)
        if self.storage.restored is not None:
            self.apply_state(self.storage.restored)
        self.undo.reset()  # the restored session is the starting point, not an edit
        self.autosave.cancel()  # nor something to write again
        self.counter.schedule()
        self.document.setFocus()

    def _splitters(self) -> dict[str, QSplitter]:
        splitters = {}  # a part not built yet: its remembered sizes stay as they were
        if self._tokens is not None:
            splitters["side"] = self._tokens
        if self._output is not None:
            splitters["output"] = self._output.body
        return splitters

    @property
    def tokens(self) -> TokenSide:
        """The Tokens panel (its dock), built when first shown or used."""
        if self._tokens is None:
            from app.ui.analysis.token_side import TokenSide

            side = self._tokens = TokenSide()
            side.branches.branchSelected.connect(self.runs.show_branch)
            side.details.forkRequested.connect(self.fork)
            if self.window_state is not None:
                self.window_state.restore_splitter("main", "side", side)
            self.tokens_dock.setWidget(side)
            side.details.show_stats(self._stats)
            if self.runs.tree is not None:  # after a run: the branches list only with forks
                self._show_branches()
        return self._tokens

    def _show_stats(self, stats: RunStats | None) -> None:
        """The run's statistics in the Tokens panel (kept for it until it is built)."""
        self._stats = stats
        if self._tokens is not None:
            self._tokens.details.show_stats(stats)

    @property
    def output(self) -> OutputView:
        """The choices side by side (its dock), built when first shown or used."""
        if self._output is None:
            from app.ui.analysis.output_view import OutputView

            output = self._output = OutputView()
            output.set_mode(self.view.mode)
            output.useChoice.connect(self._use_choice)
            if self.window_state is not None:
                self.window_state.restore_splitter("main", "output", output.body)
            self.output_dock.setWidget(output)
        return self._output

    # -- the Workspace interface (what features may ask of the window) ------------------------

    def current_profile(self) -> Profile:
        return self.profiles.current

    def current_model(self) -> str:
        return self.connection.model_name() or self.profiles.current.default_model

    def tell(self, text: str, severity: Severity = Severity.INFO, action: Action | None = None
             ) -> None:  # fmt: skip
        self.messages.show_message(text, severity, action)
        self._place_messages()

    def set_status(self, text: str) -> None:
        self.status.show_state(text)

    def is_running(self) -> bool:
        return self.controller.is_running

    def build_request(self, *, validate: bool = True) -> CompletionRequest:
        """The request Run would send now (raises RequestValidationError)."""
        return self._plan_request(validate=validate)[0]

    def _plan_request(self, *, validate: bool = True) -> tuple[CompletionRequest, int | None]:
        text = self.document.text()
        params = self.parameters.fields() if validate else self.parameters.fields(lenient=True)
        if self.prompt_mode.currentData() == "json":
            prompt: Any = parse_structured_prompt(text)
            insert_at = None
        else:
            plan = plan_prompt(
                text,
                self.document.cursor_offset(),
                insert=self.view.insert.isChecked(),
                server_kind=self.profiles.current.server_kind,
            )
            prompt, insert_at = plan.prompt, plan.insert_at
            if self.view.insert.isChecked():
                params["suffix"] = plan.suffix
        request = CompletionRequest(model=self.current_model(), prompt=prompt, params=params)
        if validate:
            request.validate()
        return request, insert_at

    def apply_setup(
        self, prompt: object, mode: str, params: dict[str, Any], profile: str | None,
        model: str | None,
    ) -> None:  # fmt: skip
        if profile and self.profiles.find(profile) is not None:
            self.profiles.set_current(profile)
        as_json = mode == "json" or not isinstance(prompt, str)
        self.prompt_mode.setCurrentIndex(self.prompt_mode.findData("json" if as_json else "text"))
        text = json.dumps(prompt, ensure_ascii=False) if not isinstance(prompt, str) else prompt
        self.undo.edit(self.tr("Replace prompt"), lambda: self.document.setPlainText(text))
        self.parameters.set_fields(params)
        if model:
            self.connection.model.setCurrentText(model)

    def run_plan(self, plan: RunPlan, insert_at: int | None = None) -> None:
        """Start ``plan``; its completion goes into the document (at ``insert_at``)."""
        if self.controller.is_running:
            return
        self.messages.clear()
        if isinstance(plan.request.prompt, str):
            self.runs.start(plan, insert_at)
        else:  # a JSON prompt (strings or token ids): the choices show side by side
            self.output_dock.show()
            self.output_dock.raise_()
            self.controller.start(plan)

    # -- runs ---------------------------------------------------------------------------------

    def run(self) -> None:
        if self.controller.is_running:
            return
        try:
            request, insert_at = self._plan_request()
        except RequestValidationError as exc:
            lines = [f"{e.field}: {text_of(e.msg)}" for e in exc.errors]
            self.tell(self.tr("Not sent. Fix these parameters: {0}").format("; ".join(lines)),
                      Severity.ERROR)  # fmt: skip
            return
        from app.core.runs import prepare

        self.run_plan(prepare(self.profiles.current, request), insert_at)

    def regenerate(self) -> None:
        """Replace the last completion with a new one (same parameters, one undo step)."""
        span = self.runs.last_completion()
        if self.controller.is_running:
            return
        if span is None:
            self.run()
            return
        try:
            request, _ = self._plan_request()
        except RequestValidationError:
            self.run()  # says what is wrong
            return
        from app.core.runs import prepare

        before = self.document.text_between(0, span.start)
        request = request.with_changes(prompt=before)
        self.messages.clear()
        self.runs.regenerate(prepare(self.profiles.current, request))

    def fork(self, alternative: str, probability: float) -> None:
        """Continue from the clicked token's ``alternative`` (Tokens panel)."""
        if self._selected is None or self.controller.is_running:
            return
        span, unit = self._selected
        self.messages.clear()
        if not self.runs.fork(span, unit, alternative, probability):
            self.tell(self.tr("This completion cannot be forked any more (it was edited)."),
                      Severity.WARNING)  # fmt: skip
        self._selected = None

    def stop(self) -> None:
        self.controller.cancel()

    def _toggle_run(self) -> None:
        if self.controller.is_running:
            self.stop()
        else:
            self.run()

    def _set_running(self, running: bool) -> None:
        self.view.set_running(running)
        self.stop_action.setEnabled(running)
        self.run_action.setEnabled(not running)

    def _on_started(self, plan: RunPlan) -> None:
        self.undo.label_next(self.tr("Completion"))
        self.status.running()
        self._set_running(True)
        self.capabilities.note_dropped(plan)
        if self.output_dock.isVisible() or not isinstance(plan.request.prompt, str):
            self.output.reset(plan.request.choice_count)

    def _on_text_for_output(self, texts: dict[int, str]) -> None:
        if self.output_dock.isVisible():
            self.output.write(texts)

    def _on_output_shown(self, visible: bool) -> None:
        outcome = self.controller.last_outcome
        if visible and outcome is not None and not self.controller.is_running:
            self._fill_output(outcome)

    def _fill_output(self, outcome: RunOutcome) -> None:
        result = outcome.result
        choices = result.ordered_choices
        self.output.reset(max(1, len(choices)))
        for k, choice in enumerate(choices):
            self.output.set_text(k, choice.text)
            self.output.show_tokens(k, choice.tokens, choice.finish_reason)

    def _on_finished(self, outcome: RunOutcome) -> None:
        result = outcome.result
        self.undo.label_next(None)
        self._set_running(False)
        if self.output_dock.isVisible():
            self._fill_output(outcome)
        self.status.show_result(result)
        self.capabilities.annotate_status(self.status)
        self._tell_outcome(outcome)

    def _on_recorded(self, outcome: RunOutcome) -> None:
        """The run is in the history now (or could not be put there: said once). The
        after-run work is done: the session file, View code and the token count go next
        (not beside it: each is a worker thread sharing the interpreter with the window).
        If the next run has started meanwhile, its own end schedules them."""
        if not self.controller.is_running:
            self.autosave.schedule()
            self.code.schedule()
            self.counter.schedule()
        if self._history is not None:
            self._history.reload()
        if outcome.history_problem is not None:
            self.tell(text_of(outcome.history_problem), Severity.WARNING)

    def _tell_outcome(self, outcome: RunOutcome) -> None:
        result = outcome.result
        notes = [text_of(note) for note in result.notes()]
        if result.error is not None:
            text = describe_error(result.error)
            if any(c.text for c in result.ordered_choices):
                text += " " + self.tr("The text received so far is kept.")
            action = self.capabilities.offer(outcome)
            if isinstance(result.error, RedirectError) and result.error.location:
                action = self._offer_new_base_url(outcome.profile, result.error.location)
            if isinstance(result.error, LocalModelError):
                if result.error.log_tail:
                    text += "\n" + "\n".join(result.error.log_tail[-6:])
                profile = outcome.profile
                action = (self.tr("Restart local model"),
                          lambda: self.controller.restart_local_model(profile))  # fmt: skip
            self.tell(text, Severity.ERROR, action)
        elif result.cancelled:
            self.tell(self.tr("Stopped. The text received so far is kept."), Severity.INFO)
        elif ignored := self.capabilities.offer_ignored(outcome):
            text, label, callback = ignored
            self.tell(" ".join([*notes, text]), Severity.WARNING, (label, callback))
        elif notes:
            self.tell(" ".join(notes), Severity.WARNING)

    def _offer_new_base_url(self, profile: Profile, location: str) -> Action | None:
        """ "Use URL as the base URL" for a profile whose server moved (never automatic)."""
        try:
            new_base = normalise_base_url(location)
        except InvalidBaseURL:
            return None
        if profile.is_local_model or new_base == normalise_base_url(profile.base_url):
            return None

        def update() -> None:
            current = self.profiles.find(profile.name)
            if current is not None:
                self.profiles.save_profile(current.name, replace(current, base_url=new_base))
                self.tell(self.tr("The base URL of {0} is now {1}.").format(current.name, new_base),
                          Severity.INFO)  # fmt: skip

        return self.tr("Use {0} as the base URL").format(new_base), update

    # -- tokens, branches ---------------------------------------------------------------------

    def set_probability_mode(self, mode: ProbabilityMode) -> None:
        self.document.set_probability_mode(mode)
        if self._output is not None:
            self._output.set_mode(mode)
        if self.view.mode != mode:
            self.view.set_mode(mode)

    def _on_unit_clicked(self, span: Span, unit: int) -> None:
        layout = span.layout
        if layout is None:
            return
        if layout.compacted:  # an older completion: its tokens come back from history
            history = self.storage.history
            if history is not None:
                task = self.runs.reload_tokens(span, history)

                async def reload() -> None:
                    if await task:
                        self._on_unit_clicked(span, unit)

                self._tasks.spawn(reload())
            return
        self._selected = (span, unit)
        token_unit = layout.units[unit]
        start, end = span.unit_range(unit)
        self.tokens.details.can_fork = span is self.runs.span
        self.tokens.details.show_unit(
            token_unit, layout.tokens[token_unit.first], self.document.text_between(start, end)
        )
        self.tokens_dock.show()
        self.tokens_dock.raise_()

    def _on_unit_menu(self, menu: QMenu, span: Span, unit: int) -> None:
        """Right-click on a token of the newest completion: fork from an alternative."""
        layout = span.layout
        if layout is None or layout.compacted or span is not self.runs.span:
            return
        from app.core.token_stats import alternatives

        pairs, _ = alternatives(layout.tokens[layout.units[unit].first])
        if not pairs:
            return
        first = menu.actions()[0] if menu.actions() else None
        forks = QMenu(self.tr("Fork from this token"), menu)
        forks.setEnabled(not self.controller.is_running)
        for alt, prob in pairs:
            action = forks.addAction(escape_mnemonic(f"{visible_token(alt)}  {prob:.2%}"))
            action.triggered.connect(lambda _=False, a=alt, p=prob: self._fork_at(span, unit, a, p))
        menu.insertMenu(first, forks)
        menu.insertSeparator(first)

    def _fork_at(self, span: Span, unit: int, alternative: str, probability: float) -> None:
        self._selected = (span, unit)
        self.fork(alternative, probability)

    def completion_text(self, choice: int | None = None) -> str:
        """The last completion's text in the document, or choice ``choice`` of the last run."""
        if choice is not None:
            choices = self.runs.choices()
            return choices[choice].generated_text if choice < len(choices) else ""
        span = self.runs.last_completion()
        if span is None:
            return ""
        return self.document.text_between(span.start, span.end)

    def _use_choice(self, index: int) -> None:
        """ "Use this" in the side-by-side view: that choice goes into the document."""
        choices = self.runs.choices()
        if 0 <= index < len(choices):
            self.runs.show_branch(choices[index].id)

    def _show_branches(self) -> None:
        runs = self.runs
        self.view.choices.set_choices(runs.choices(), runs.shown)
        tree = runs.tree
        forked = tree is not None and len(tree.branches) > len(tree.roots)
        if self._tokens is None and not forked:
            return  # nothing to show or clear in a panel not built yet
        branches = self.tokens.branches
        branches.set_tree(tree if forked else None, runs.shown)
        branches.setVisible(forked)  # the list only matters once there are forks
        if forked:
            self.tokens_dock.show()

    # -- presets, history, session ------------------------------------------------------------

    def capture_preset(self, name: str) -> Preset:
        return Preset.from_request(
            name,
            self.build_request(validate=False),
            profile=self.profiles.current.name,
            prompt_mode=self.prompt_mode.currentData(),
        )

    def apply_preset(self, preset: Preset) -> None:
        self.apply_setup(preset.prompt, preset.prompt_mode, preset.parameters, preset.profile,
                          preset.model)  # fmt: skip

    def _on_preset_loaded(self, _preset: Preset | None = None) -> None:
        self._dirty = False  # just opened or saved: nothing to save
        self._update_title()

    def _mark_edited(self) -> None:
        if self.presets.current is not None and not self._dirty:
            self._dirty = True
            self._update_title()

    def _update_title(self) -> None:
        """The title names the preset, with * while it has unsaved edits."""
        preset = self.presets.current
        if preset is None:
            self.setWindowTitle(display_name())
            return
        mark = " *" if self._dirty else ""
        self.setWindowTitle(f"{preset.name}{mark} — {display_name()}")

    def restore_run(self, record: RunRecord) -> None:
        """Put a run from history back: its prompt and completion in the document, its
        parameters in the sidebar, its figures in the status line."""
        from app.core.result import result_from_json

        restored = CompletionRequest.from_body({**record.request, "model": record.model or ""})
        result = result_from_json(record.result, restored.choice_count)
        text = restored.prompt if isinstance(restored.prompt, str) else ""
        self.apply_setup(restored.prompt, "text", restored.parameters(), record.profile,
                         record.model)  # fmt: skip
        if text and result.choices:
            self.undo.label_next(self.tr("Restore run"))
            self.runs.show_restored(restored, result)
            self.undo.label_next(None)
        self.status.show_result(result)

    @property
    def history(self) -> HistoryPanel:
        """The history panel (built on first use)."""
        if self._history is None:
            from app.ui.history import history_panel  # built on first use

            panel = self._history = history_panel.HistoryPanel(self.storage.history, self)
            if self.storage.history_problem:
                panel.set_disabled_notice(text_of(self.storage.history_problem))
            panel.restoreRequested.connect(self.restore_run)
            panel.inspectRequested.connect(self.inspect_record)
            panel.problem.connect(lambda text: self.tell(text, Severity.ERROR))
            self.history_dock.setWidget(panel)
            self.resizeDocks([self.history_dock], [260], Qt.Orientation.Vertical)
        return self._history

    def focus_history_search(self) -> None:
        self.history_dock.show()
        self.history_dock.raise_()
        self.history.search.setFocus()
        self.history.search.selectAll()

    def capture_state(self) -> WorkingState:
        params = self.parameters.fields(lenient=True)  # an invalid value is not saved
        return WorkingState(
            prompt=self.document.text(),
            prompt_mode=self.prompt_mode.currentData(),
            parameters={k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items()},
            profile=self.profiles.current.name,
            model=self.connection.model_name(),
            outputs=[],
        )

    def apply_state(self, state: WorkingState) -> None:
        self.apply_setup(state.prompt, state.prompt_mode, state.parameters, state.profile,
                          state.model)  # fmt: skip

    # -- windows and dialogs ------------------------------------------------------------------

    def show_compare(self) -> CompareWindow:
        """Open the (non-modal) Compare window."""
        if self.compare_window is None:
            from app.ui.compare.compare_window import CompareWindow

            self.compare_window = CompareWindow(self, self.profiles, self.controller, self)
            self.compare_window.recorded.connect(
                lambda: self._history is not None and self._history.reload()
            )
            fit_on_screen(self.compare_window, self)
        self.compare_window.show()
        self.compare_window.raise_()
        self.compare_window.activateWindow()
        return self.compare_window

    def show_batch(self) -> BatchWindow:
        """Open the (non-modal) Batch window."""
        if self.batch_window is None:
            from app.ui.batch.batch_window import BatchWindow

            self.batch_window = BatchWindow(self, self.profiles, self.controller, self)
            self.batch_window.openRun.connect(self.open_history_run)
            self.batch_window.finished.connect(
                lambda _: self._history is not None and self._history.reload()
            )
            fit_on_screen(self.batch_window, self)
        self.batch_window.show()
        self.batch_window.raise_()
        self.batch_window.activateWindow()
        return self.batch_window

    def open_history_run(self, record_id: int) -> None:
        """Put run ``record_id`` from history into the document (a batch cell's run)."""
        from app.core.history import HistoryError

        store = self.storage.history
        if store is None:
            return
        try:
            record = store.get(record_id)
        except HistoryError as exc:
            self.tell(text_of(exc.msg), Severity.ERROR)
            return
        except KeyError:
            self.tell(self.tr("This run is no longer in the history."), Severity.WARNING)
            return
        self.restore_run(record)

    def _inspector(self) -> WireInspector:
        if self.wire_inspector is None:
            from app.ui.analysis.wire_inspector import WireInspector

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
        from app.core.wire_log import WireLog

        inspector = self._inspector()
        source = self.tr("History run {0} ({1})").format(record.id, record.model or "")
        inspector.show_wire(WireLog.from_json(record.result.get("wire")), source)
        return inspector

    def show_profiles(self) -> ProfileDialog:
        """Show the non-modal Profiles dialog (never exec(): runs may be streaming)."""
        if self.profile_dialog is None:
            from app.ui.profiles.profile_dialog import ProfileDialog

            self.profile_dialog = ProfileDialog(self.profiles, self.controller, self)
        self.profile_dialog.show()
        self.profile_dialog.raise_()
        self.profile_dialog.activateWindow()
        return self.profile_dialog

    # -- profiles and models ------------------------------------------------------------------

    def refresh_models(self) -> None:
        self.controller.load_models(self.profiles.current)

    def test_connection(self) -> None:
        self.status.show_state(self.tr("Testing the connection…"))
        self._testing = True
        self.controller.test_connection(self.profiles.current)

    def _show_profiles_list(self) -> None:
        self.connection.set_profiles(
            [p.name for p in self.profiles.profiles], self.profiles.current.name
        )

    def _on_profile_changed(self, profile: Profile) -> None:
        self._show_profiles_list()
        self.parameters.set_server_kind(profile.server_kind)
        self.connection.model.setCurrentText(profile.default_model)
        if self.messages.severity == Severity.ERROR or self.messages.severity == Severity.WARNING:
            self.messages.clear()  # the last profile's problem is not this one's
        status = self.profiles.keys.status
        if status is not None:
            self._on_key_status(status)
        self.refresh_models()
        self.counter.schedule()

    def _on_key_status(self, status: KeyStatus) -> None:
        # Only where a key is needed: the built-in model needs none.
        needs_key = not self.profiles.current.is_local_model
        if not status.secure and needs_key:
            self.tell(text_of(status.describe()), Severity.WARNING)

    def _on_connection_tested(self, ok: bool, message: str) -> None:
        if not getattr(self, "_testing", False):
            return  # the Profiles dialog's own test: it shows the answer itself
        self._testing = False
        self.status.show_state(message)
        if not ok:
            self.tell(message, Severity.ERROR)

    def _on_models_failed(self, message: str) -> None:
        self.status.show_state(self.tr("Model list unavailable: {0}").format(message))

    # -- window -------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide,
                            QEvent.Type.LayoutRequest):  # fmt: skip
            self._place_messages()
        return super().eventFilter(watched, event)

    def _place_messages(self) -> None:
        """The message strip floats over the top of the document: it never shrinks it (no
        layout moves while a run streams), and the text starts below it (its first lines,
        the prompt, were hidden under an error): the editor's viewport begins lower."""
        area = self.messages
        editor = self.document
        top = 0
        if area.isVisible():
            area.setFixedWidth(max(200, self.view.width() - 24))
            area.adjustSize()
            area.move(12, 6)
            area.raise_()
            top = max(0, area.geometry().bottom() + 6 - editor.geometry().top())
        if editor.viewportMargins().top() != top:
            editor.setViewportMargins(0, top, 0, 0)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.controller.cancel()
        self.autosave.flush_sync()  # the last edits before quitting are not lost
        if self.window_state is not None:
            self.window_state.set_value("view/colouring", int(self.view.mode))
            self.window_state.save("main", self, self._splitters())
        super().closeEvent(event)
