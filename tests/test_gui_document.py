"""The writing surface in the real window: one document, continued in place.

Type, run: the completion appears after the prompt, tinted; edit and run again: it
continues; undo removes one completion; regenerate replaces it; insertion at the cursor
sends the rest as suffix; the document keeps its share of the window whatever appears;
the status line never widens the window; the Profiles dialog asks before losing edits.
"""

from __future__ import annotations

import gc
import weakref

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core import parameters as registry
from app.core.document_text import SOFT_LIMIT
from app.core.presets import Preset
from app.ui.analysis.token_view import ProbabilityMode
from app.ui.document.view import DocumentView
from app.ui.runs.frames import FLOOD_FRAME_MS, FRAME_MS
from tests.conftest import loopback_profile, shut_down
from tests.loopback_server import TOKENS

pytestmark = pytest.mark.gui


def expected_text(count: int, offset: int = 0) -> str:
    return "".join(TOKENS[(offset + i) % len(TOKENS)] for i in range(count))


@pytest.fixture
def window(open_window, api):
    w = open_window([loopback_profile(api)])
    w.parameters.max_tokens.set_value(4)
    return w


def run(qtbot, window) -> object:
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as finished:
        qtbot.keyClick(window.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    return finished.args[0]


def tinted(window, first: int, last: int) -> bool:
    """Whether document positions first:last carry the generated tint (and nothing else)."""
    block = window.prompt.document().findBlock(first)
    formats = block.layout().formats()
    start = first - block.position()
    return any(f.start <= start and f.start + f.length >= last - block.position() for f in formats)


def test_type_run_edit_run_again_undo_redo(qtbot, window, api):
    qtbot.keyClicks(window.prompt, "Once")
    run(qtbot, window)
    first = expected_text(4)
    assert window.prompt.text() == "Once" + first
    assert tinted(window, 4, 4 + len(first))
    assert not tinted(window, 0, 4)  # the user's text is not tinted
    cursor = window.prompt.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    window.prompt.setTextCursor(cursor)
    qtbot.keyClicks(window.prompt, " and")
    run(qtbot, window)
    assert api.last_completion().body["prompt"] == "Once" + first + " and"
    assert window.prompt.text() == "Once" + first + " and" + first
    # Undo removes the last completion in one step, then the typing, then the first one.
    window.undo_action.trigger()
    assert window.prompt.text() == "Once" + first + " and"
    window.undo_action.trigger()
    assert window.prompt.text() == "Once" + first
    assert tinted(window, 4, 4 + len(first))  # undo brings the colours back with the text
    window.redo_action.trigger()
    window.redo_action.trigger()
    assert window.prompt.text() == "Once" + first + " and" + first


def test_regenerate_replaces_the_last_completion_in_one_undo_step(qtbot, window, api):
    window.prompt.setPlainText("Q:")
    run(qtbot, window)
    assert window.prompt.text() == "Q:" + expected_text(4)
    window.parameters.max_tokens.set_value(2)
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
        qtbot.keyClick(window.prompt, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert api.last_completion().body["prompt"] == "Q:"  # the text before the completion
    assert window.prompt.text() == "Q:" + expected_text(2)
    window.undo_action.trigger()
    assert window.prompt.text() == "Q:" + expected_text(4)


def test_stop_keeps_what_arrived_in_the_document(qtbot, window, api):
    profile = window.profiles.current
    profile.base_url = api.base_url("normal", delay=0.03)
    window.profiles.save_profile(profile.name, profile)
    window.parameters.max_tokens.set_value(200)
    window.prompt.setPlainText("P")
    qtbot.keyClick(window.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(window.completion_text()) > 5, timeout=10000)
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as finished:
        qtbot.keyClick(window.prompt, Qt.Key.Key_Escape)
    assert finished.args[0].cancelled
    assert window.prompt.text() == "P" + finished.args[0].text


def test_insertion_at_the_cursor_sends_the_rest_as_suffix(qtbot, window, api):
    window.prompt.setPlainText("def f():\n    return\n")
    cursor = window.prompt.textCursor()
    cursor.setPosition(len("def f():\n"))
    window.prompt.setTextCursor(cursor)
    window.view.insert.setChecked(True)
    run(qtbot, window)
    body = api.last_completion().body
    assert body["prompt"] == "def f():\n" and body["suffix"] == "    return\n"
    assert window.prompt.text() == "def f():\n" + expected_text(4) + "    return\n"


def test_insertion_without_suffix_support_says_so_nothing_silent(qtbot, window, api):
    profile = window.profiles.current
    profile.server = "llamacpp"  # llama.cpp refuses a suffix field
    window.profiles.save_profile(profile.name, profile)
    window.prompt.setPlainText("before|after")
    cursor = window.prompt.textCursor()
    cursor.setPosition(len("before|"))
    window.prompt.setTextCursor(cursor)
    window.view.insert.setChecked(True)
    run(qtbot, window)
    body = api.last_completion().body
    assert body["prompt"] == "before|" and "suffix" not in body
    assert window.prompt.text() == "before|" + expected_text(4) + "after"


def test_a_long_paragraph_streams_into_short_blocks(qtbot, window, api):
    profile = window.profiles.current
    profile.base_url = api.base_url("fast")
    window.profiles.save_profile(profile.name, profile)
    window.parameters.max_tokens.set_value(4000)  # ~20,000 characters, no newline
    window.prompt.setPlainText("x")
    run(qtbot, window)
    text = window.prompt.text()
    assert text == "x" + expected_text(4000)
    document = window.prompt.document()
    assert document.blockCount() >= len(text) // SOFT_LIMIT
    block = document.firstBlock()
    while block.isValid():
        assert len(block.text()) <= SOFT_LIMIT  # characters (an emoji is 2 UTF-16 units)
        block = block.next()
    assert window.controller.frames.count < 200  # edits bounded by frames, not tokens
    # A run after a flood starts at the usual pace again.
    window.controller.frames._timer.setInterval(FLOOD_FRAME_MS)
    paces = []
    window.controller.runStarted.connect(lambda _: paces.append(window.controller.frames.interval))
    run(qtbot, window)
    assert paces == [FRAME_MS]


def test_the_last_frame_has_its_own_loop_turn_before_the_run_ends(qtbot, window, api):
    """The end of a run (buttons, status, branches) is not done in the same event-loop turn
    as writing the last frame: together they were one stall."""
    profile = window.profiles.current
    profile.base_url = api.base_url("fast")
    window.profiles.save_profile(profile.name, profile)
    window.parameters.max_tokens.set_value(2000)
    events: list[str] = []

    def on_text(_texts: object) -> None:
        events.append("text")
        QTimer.singleShot(0, lambda: events.append("turn"))

    window.controller.textReceived.connect(on_text)
    window.controller.runFinished.connect(lambda _: events.append("end"))
    run(qtbot, window)
    last_text = len(events) - 1 - events[::-1].index("text")
    assert "turn" in events[last_text : events.index("end")]


@pytest.mark.parametrize(("size", "share"), [((1280, 800), 0.60), ((1024, 700), 0.50)])
def test_the_document_keeps_its_share_of_the_window(qtbot, window, size, share):
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().width() == size[0])
    QApplication.processEvents()
    editor = window.prompt
    area = editor.width() * editor.height()
    assert area >= share * window.width() * window.height(), (editor.size(), window.size())
    before = editor.size()
    window.tell("A message about something that happened. " * 8)
    window.view.choices.show()  # a header appears
    window.tokens_dock.show()  # a panel appears (tabbed with the parameters)
    QApplication.processEvents()
    assert window.messages.isVisible()
    # The message floats over the document, the strip sits in the Run bar, the panel is
    # tabbed with the parameters: nothing takes room from the text.
    assert editor.width() >= before.width() and editor.height() >= before.height()


def _resized(qtbot, window, width: int, height: int = 700) -> None:
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width)
    QApplication.processEvents()


@pytest.mark.parametrize("width", [1024, 1280])
def test_a_narrow_window_keeps_the_sidebar_whole(qtbot, window, width):
    """At 1024 px the Run bar and the connection bar held the document at >= 770 px and
    the sidebar got ~245 px, scrolling sideways. The bars are narrower now, and the Run
    bar drops the captions that repeat a tooltip (the shortcut hint, then "Colours:")
    rather than squeeze anything."""
    panel = window.parameters
    taken = [p for p in registry.PARAMS if p.accepted_by(panel.server_kind())]
    qtbot.waitUntil(lambda: panel.built_rows() == len(taken))  # painted: every row
    _resized(qtbot, window, width)
    assert panel.widget().minimumSizeHint().width() <= panel.viewport().width()
    assert not panel.horizontalScrollBar().isVisible()
    view = window.view
    for control in (view.prompt_mode, view.insert, view.colouring, view.run_button,
                    window.connection.profile, window.connection.model,
                    window.connection.test):  # fmt: skip
        assert control.width() >= control.minimumSizeHint().width(), control.accessibleName()
    for caption in (view.colour_label, view.shortcut_hint):  # whole or not shown
        assert caption.isHidden() or caption.width() >= caption.sizeHint().width()
    if width == 1280:
        assert view.colour_label.isVisible() and view.shortcut_hint.isVisible()


def test_a_window_narrowed_and_widened_again_gives_the_sidebar_its_width_back(qtbot, window):
    """Snapped to half a laptop screen and back: 1,280 → 740 px squeezed the sidebar to
    ~125 px, and widening gave all the room to the document (the sidebar scrolled sideways
    for good). The width the narrowing took comes back, in steps as the window widens; a
    width the user chose is the one that comes back."""
    dock = window.parameters_dock
    _resized(qtbot, window, 1280)
    assert dock.width() == 380
    _resized(qtbot, window, 740)
    assert dock.width() < 200
    _resized(qtbot, window, 900)
    qtbot.waitUntil(lambda: dock.width() > 200)
    _resized(qtbot, window, 1280)
    qtbot.waitUntil(lambda: dock.width() == 380)
    assert not window.parameters.horizontalScrollBar().isVisible()
    # The user's own width: moving the dock's edge (the window keeps its width).
    window.resizeDocks([dock], [300], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: dock.width() == 300)
    _resized(qtbot, window, 740)
    _resized(qtbot, window, 1280)
    qtbot.waitUntil(lambda: dock.width() == 300)
    qtbot.wait(50)
    assert dock.width() == 300
    # The Tokens tab in front (the same area): the same.
    window.tokens_dock.show()
    window.tokens_dock.raise_()
    qtbot.waitUntil(window.tokens_dock.isVisible)
    _resized(qtbot, window, 740)
    assert window.tokens_dock.width() < 200
    _resized(qtbot, window, 1280)
    qtbot.waitUntil(lambda: window.tokens_dock.width() == 300)


def test_the_run_bar_drops_its_captions_one_by_one_and_brings_them_back(qtbot):
    view = DocumentView()
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    hint, label = view.shortcut_hint, view.colour_label

    def at(width: int) -> tuple[bool, bool]:
        view.resize(width, 300)
        QApplication.processEvents()
        for caption in (hint, label):  # whole or not shown
            assert caption.isHidden() or caption.width() >= caption.sizeHint().width()
        for control in (view.prompt_mode, view.insert, view.colouring, view.run_button):
            assert control.width() >= control.minimumSizeHint().width()
        return hint.isVisible(), label.isVisible()

    assert at(1200) == (True, True)
    compact = view.minimumSizeHint().width()  # the bar without either caption
    assert at(compact) == (False, False)
    assert at(compact + label.sizeHint().width() + view.bar.spacing()) == (False, True)
    assert at(1200) == (True, True)


def test_the_run_bar_fits_again_when_the_choice_strip_comes_and_goes(qtbot):
    """The bar was fitted on resizes only: the choice strip that comes after a run with
    n > 1 cut "Colours:" to "Colou" and the shortcut hint to "Ctrl+Ent"."""
    from types import SimpleNamespace

    view = DocumentView()
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    hint, label = view.shortcut_hint, view.colour_label

    def whole_or_hidden() -> bool:
        QApplication.processEvents()
        shown = [*view.choices.buttons, view.token_count, view.run_button]
        return all(
            c.isHidden() or c.width() >= c.sizeHint().width() for c in (hint, label)
        ) and all(c.width() >= c.minimumSizeHint().width() for c in shown)

    view.resize(view.sizeHint().width() + 10, 300)
    assert whole_or_hidden() and hint.isVisible() and label.isVisible()
    choices = [SimpleNamespace(id=k, generated_text="text", finish_reason="stop") for k in range(3)]
    view.choices.set_choices(choices, 0)
    assert view.choices.isVisible()
    assert whole_or_hidden() and not hint.isVisible()
    view.choices.set_choices([], None)
    assert whole_or_hidden() and label.isVisible()


def test_a_long_status_text_never_widens_the_window(qtbot, window):
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    window.status.show_state("Could not connect to https://" + "very-long-host." * 60 + "/v1")
    window.status.finish.setText("finish: " + "x" * 500)
    QApplication.processEvents()
    assert window.width() == 1024
    assert window.status.state.text().startswith("Could not connect")  # whole, elided on screen


def test_the_profiles_dialog_asks_before_losing_edits(qtbot, open_window, api):
    window = open_window([loopback_profile(api, "first"), loopback_profile(api, "second")])
    dialog = window.show_profiles()
    dialog.default_model.setText("edited-model")
    assert dialog.has_unsaved_edits()
    dialog.list.setCurrentRow(1)  # choose the other profile: asked first
    box = dialog.pending_question
    assert box is not None and box.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert dialog.name.text() == "first" and dialog.default_model.text() == "edited-model"
    dialog.list.setCurrentRow(1)
    dialog.pending_question.button(QMessageBox.StandardButton.Discard).click()
    assert dialog.name.text() == "second"
    assert window.profiles.find("first").default_model == "test-model"  # nothing saved
    dialog._error("broken")
    assert "c62828" in dialog.feedback.styleSheet()
    dialog.list.setCurrentRow(0)
    assert dialog.feedback.styleSheet() == ""  # the colour belonged to that message


def test_older_completions_keep_colours_not_token_objects(qtbot, window, api):
    window.parameters.logprobs.set_value(3)
    window.prompt.setPlainText("A")
    for _ in range(2):
        with qtbot.waitSignal(window.runs.painted, timeout=10000):
            run(qtbot, window)
    older = min(window.prompt.spans, key=lambda s: s.run)
    newest = window.runs.span
    assert older is not newest
    assert older.layout.compacted and not older.layout.tokens  # nothing per token kept
    assert not newest.layout.compacted
    assert older.layout.probability(0) is not None  # still coloured
    editor = window.prompt
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=editor.unit_point(older, 1))
    # The alternatives come back from the run's history record.
    qtbot.waitUntil(lambda: len(window.tokens.details.alternative_items()) == 3, timeout=5000)
    assert not older.layout.compacted


def test_a_run_is_shown_then_coloured_then_recorded(qtbot, window, api):
    """The end of a run: the outcome at once (nothing waits for the history), then the
    colours, then the history record: one after-run worker, in the order asked for."""
    window.parameters.logprobs.set_value(3)
    window.prompt.setPlainText("A")
    store = window.storage.history
    before = store.count()
    order: list[str] = []
    at_finish: list[tuple[int | None, int]] = []
    window.controller.runFinished.connect(lambda o: at_finish.append((o.record_id, store.count())))
    window.runs.painted.connect(lambda _: order.append("painted"))
    window.controller.runRecorded.connect(lambda _: order.append("recorded"))
    with qtbot.waitSignals([window.runs.painted, window.controller.runRecorded], timeout=10000):
        outcome = run(qtbot, window)
    assert at_finish == [(None, before)]
    assert order == ["painted", "recorded"]
    assert outcome.record_id is not None and store.count() == before + 1
    assert window.runs.span.record_id == outcome.record_id  # its tokens can be read again


def test_a_run_that_ended_is_recorded_even_when_the_window_quits_at_once(qtbot, qloop, window, api):
    window.prompt.setPlainText("A")
    store = window.storage.history
    before = store.count()
    recorded: list[object] = []
    window.controller.runRecorded.connect(recorded.append)
    outcome = run(qtbot, window)
    shut_down(qtbot, qloop, window)  # at once: the record is awaited, not cancelled
    assert recorded == [outcome] and outcome.record_id is not None
    assert store.count() == before + 1


def test_autosave_view_code_and_token_count_wait_for_the_end_of_a_run(qtbot, open_window, api):
    """A run changes the document every frame: reading the whole text for the session file
    or the token count meanwhile would cost time proportional to it, frame after frame. Slow
    tokens (longer apart than the autosave's delay) would have set both off mid-run."""
    window = open_window([loopback_profile(api, "normal", delay=0.6)])
    window.parameters.max_tokens.set_value(3)
    window.prompt.setPlainText("Say hi")
    window.counter.schedule()
    qtbot.waitUntil(lambda: window.counter.shown is not None, timeout=5000)
    saves: list[bool] = []
    counts: list[bool] = []
    capture, text = window.autosave._capture, window.counter._text
    window.autosave._capture = lambda: saves.append(window.controller.is_running) or capture()
    window.counter._text = lambda: counts.append(window.controller.is_running) or text()
    run(qtbot, window)
    qtbot.waitUntil(lambda: bool(saves and counts), timeout=5000)
    assert not any(saves) and not any(counts)  # none of them while the run was writing
    assert window.counter.shown == (window.counter.shown[0], False)
    # A run recorded while the next one streams (a long record) leaves them to its end.
    saves.clear()
    first = window.controller.last_outcome
    with qtbot.waitSignal(window.controller.runStarted):
        qtbot.keyClick(window.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    window.controller.runRecorded.emit(first)
    assert not window.autosave._timer.isActive()
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
        pass
    qtbot.waitUntil(lambda: bool(saves), timeout=5000)
    assert not any(saves)


def test_the_previous_runs_tokens_go_when_the_next_run_starts(qtbot, window, api):
    """Two runs' token objects are never alive at once (a million each at 100k tokens)."""
    window.parameters.logprobs.set_value(3)
    window.prompt.setPlainText("A")
    # Coloured first, then recorded (the record needs the tokens until it is written).
    with qtbot.waitSignals([window.runs.painted, window.controller.runRecorded], timeout=10000):
        run(qtbot, window)
    previous = weakref.ref(window.controller.last_result)
    alive_at_start = []

    def started(_: object) -> None:
        gc.collect()
        alive_at_start.append(previous() is not None)

    window.controller.runStarted.connect(started)
    with qtbot.waitSignal(window.runs.painted, timeout=10000):
        run(qtbot, window)
    assert alive_at_start == [False]
    assert window.controller.last_result is not None  # the new run's, for the inspector


def test_the_http_client_is_ready_before_the_first_run(qtbot, window, api):
    """Made off the loop's thread after start-up (run_gui asks), not on the first Run's path."""
    connections = window.controller.connections
    assert not connections._clients
    task = window.controller.prepare(window.current_profile())
    qtbot.waitUntil(task.done, timeout=5000)
    ready = list(connections._clients.values())
    assert len(ready) == 1
    window.prompt.setPlainText("A")
    run(qtbot, window)
    assert list(connections._clients.values()) == ready  # the run used it, made none


def test_colours_alone_are_not_an_edit(qtbot, window):
    """Re-colouring blocks (another colour mode, or scrolling a coloured document, which
    colours the blocks it brings into view) made Qt emit ``textChanged``: the preset's
    title got its "edited" mark and the autosave wrote an unchanged document."""
    window.presets.load(Preset(name="mine", prompt="line\n" * 200, profile="loopback"))
    assert window.windowTitle().startswith("mine — ")
    window.autosave._timer.stop()  # loading the preset itself was a change
    saves: list[bool] = []
    window.autosave.saved.connect(lambda: saves.append(True))
    for mode in (ProbabilityMode.FULL, ProbabilityMode.LEAST_LIKELY, ProbabilityMode.OFF):
        window.set_probability_mode(mode)
    window.prompt.verticalScrollBar().setValue(window.prompt.verticalScrollBar().maximum())
    QApplication.processEvents()
    assert window.windowTitle().startswith("mine — ")  # no " *"
    assert not window.autosave._timer.isActive() and not saves
    qtbot.keyClicks(window.prompt, "typed")  # a real edit still counts
    assert window.windowTitle().startswith("mine * — ")
    assert window.autosave._timer.isActive()
