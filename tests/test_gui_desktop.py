"""The window as a desktop app: settings, themes, shortcuts, keyboard reach, geometry,
Chinese input and file names, About."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QInputMethodEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from app.core.logprobs import TokenLogprob
from app.core.paths import AppPaths
from app.core.presets import PresetStore
from app.core.profiles import TEMPLATES
from app.core.settings import SettingsFile
from app.ui.analysis.token_view import ProbabilityMode, probability_colour
from app.ui.common.theme import apply_theme, is_dark
from tests.conftest import loopback_profile, shut_down

pytestmark = pytest.mark.gui
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(open_window, api):
    w = open_window([loopback_profile(api)])
    w.parameters.max_tokens.set_value(4)
    yield w
    apply_theme(QApplication.instance(), "system")


# -- Settings ------------------------------------------------------------------------------


def test_the_editor_font_reaches_marked_editors_only_and_skips_deleted_ones(qtbot, monkeypatch):
    from shiboken6 import delete

    from app.ui.common import editor_font

    monkeypatch.setattr(editor_font, "_choice", None)  # restored after the test
    marked, gone, other = QPlainTextEdit(), QPlainTextEdit(), QPlainTextEdit()
    qtbot.addWidget(marked)
    qtbot.addWidget(other)
    editor_font.mark_editor(marked)
    editor_font.mark_editor(gone)
    delete(gone)  # its C++ side is gone while Python still holds the wrapper
    size = other.font().pointSize()
    editor_font.set_editor_font("DejaVu Sans", size + 7)
    assert marked.font().pointSize() == size + 7
    assert marked.font().family() == "DejaVu Sans"
    assert other.font().pointSize() == size


def test_settings_apply_theme_font_timeouts_and_language(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_Comma, CTRL)
    dialog = window.settings.dialog
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    # Dark theme, chosen with the keyboard.
    dialog.theme.setFocus()
    qtbot.keyClick(dialog.theme, Qt.Key.Key_End)
    assert dialog.theme.currentData() == "dark"
    dialog.system_font.setChecked(False)
    dialog.font_family.setCurrentFont(QFont("DejaVu Sans"))
    dialog.font_size.setValue(15)
    dialog.read_timeout.setValue(123)
    dialog.language.setCurrentIndex(dialog.language.findData("zh_CN"))
    apply_button = dialog.buttons.button(dialog.buttons.StandardButton.Apply)
    qtbot.mouseClick(apply_button, Qt.MouseButton.LeftButton)
    assert "after a restart" in dialog.feedback.text()
    assert is_dark()
    qtbot.waitUntil(lambda: is_dark(window.prompt.palette()))
    assert window.prompt.font().pointSize() == 15
    assert window.prompt.font().family() == "DejaVu Sans"
    assert window.output.pane(0).font().pointSize() == 15
    saved = SettingsFile(AppPaths.resolve().config_dir).load().settings
    assert (saved.theme, saved.language, saved.read_timeout) == ("dark", "zh_CN", 123)
    # Token colours follow the theme: a deep tint on dark, a light tint on light.
    dark_colour = probability_colour(0.9, ProbabilityMode.FULL, is_dark())
    assert dark_colour is not None and dark_colour.lightness() < 128
    # New profiles get the default timeouts.
    profiles = window.show_profiles()
    profiles.add_from_template(TEMPLATES[1])
    assert profiles.read_timeout.value() == 123
    profiles.close()
    # Light again, and OK closes the dialog.
    dialog.theme.setCurrentIndex(dialog.theme.findData("light"))
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert not dialog.isVisible() and not is_dark()
    qtbot.waitUntil(lambda: not is_dark(window.prompt.palette()))
    light_colour = probability_colour(0.9, ProbabilityMode.FULL, is_dark())
    assert light_colour is not None and light_colour.lightness() > 128


def test_a_broken_settings_file_is_reported_and_kept(open_window):
    paths = AppPaths.resolve()
    paths.ensure()
    (paths.config_dir / "settings.json").write_text("{oops", encoding="utf-8")
    w = open_window()
    assert "settings.json.corrupt" in w.messages.text()
    assert (paths.config_dir / "settings.json.corrupt").read_text(encoding="utf-8") == "{oops"


def test_history_retention_applies_when_saved(qtbot, window):
    assert window.storage.history is not None
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
        window.run_action.trigger()
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
        window.run_action.trigger()
    qtbot.waitUntil(lambda: window.storage.history.count() == 2)
    dialog = window.settings.show()
    dialog.history_max.setValue(1)
    dialog.buttons.button(dialog.buttons.StandardButton.Apply).click()
    qtbot.waitUntil(lambda: window.storage.history.count() == 1)
    qtbot.waitUntil(lambda: window.history.table_model.rowCount() == 1)


# -- Shortcuts -------------------------------------------------------------------------------


def _posted(api) -> list[str]:
    return [r.body["prompt"] for r in api.requests if r.method == "POST"]


def test_the_documented_shortcuts_do_what_they_say(qtbot, window, api):
    window.prompt.setFocus()
    qtbot.keyClicks(window.prompt, "Hi")
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
        qtbot.keyClick(window.prompt, Qt.Key.Key_Return, CTRL)
    assert _posted(api) == ["Hi"]
    first = window.prompt.toPlainText()
    assert first.startswith("Hi") and first != "Hi"  # the completion, in the document
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
        qtbot.keyClick(window.prompt, Qt.Key.Key_R, CTRL)  # regenerate: the same prompt
    assert _posted(api) == ["Hi", "Hi"]
    assert window.prompt.toPlainText() == first  # in place of the completion, not after it
    # Esc stops a slow run.
    window.parameters.max_tokens.set_value(200)
    window.profiles.save_profile(
        "loopback", loopback_profile(api, delay=0.05),
    )  # fmt: skip
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as done:
        qtbot.keyClick(window.prompt, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: bool(window.completion_text()))
        qtbot.keyClick(window.prompt, Qt.Key.Key_Escape)
    assert done.args[0].cancelled
    # Ctrl+Z undoes the run's completion... and Ctrl+Shift+Z brings it back.
    before = window.prompt.toPlainText()
    assert before.startswith(first) and before != first
    qtbot.keyClick(window.prompt, Qt.Key.Key_Z, CTRL)
    assert window.prompt.toPlainText() == first
    qtbot.keyClick(window.prompt, Qt.Key.Key_Z, CTRL_SHIFT)
    assert window.prompt.toPlainText() == before
    # The docks: Ctrl+Shift+P hides and shows the parameters, Ctrl+H the history.
    assert window.parameters_dock.isVisible() and not window.history_dock.isVisible()
    qtbot.keyClick(window.prompt, Qt.Key.Key_P, CTRL_SHIFT)
    assert not window.parameters_dock.isVisible()
    qtbot.keyClick(window.prompt, Qt.Key.Key_P, CTRL_SHIFT)
    assert window.parameters_dock.isVisible()
    qtbot.keyClick(window.prompt, Qt.Key.Key_H, CTRL)
    assert window.history_dock.isVisible()
    qtbot.keyClick(window.prompt, Qt.Key.Key_H, CTRL)
    assert not window.history_dock.isVisible()
    # Ctrl+F opens the history at its search.
    qtbot.keyClick(window.prompt, Qt.Key.Key_F, CTRL)
    assert window.history_dock.isVisible()
    assert QApplication.focusWidget() is window.history.search
    # Ctrl+S asks for a preset name (non-modal), Ctrl+O opens the picker.
    qtbot.keyClick(window.prompt, Qt.Key.Key_S, CTRL)
    ask = window.presets.dialog
    assert ask is not None and ask.isVisible()
    ask.setTextValue("快捷键预设")
    ask.accept()
    assert window.windowTitle().startswith("快捷键预设 — ")
    ask.close()
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window.prompt, Qt.Key.Key_O, CTRL)
    picker = window.presets.dialog
    assert picker is not None and picker.isVisible() and picker is not ask
    picker.close()


def _contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_error_text_stays_readable_in_the_dark_theme(qtbot, window):
    """Error lines were a fixed red (#c62828): 2.8:1 on the dark theme's background, under
    the 4.5:1 text needs. Each tone has a colour per theme, and a shown error takes the
    theme's when it changes (live)."""
    from app.ui.common.message_area import Severity
    from app.ui.common.theme import dark_palette, light_palette
    from app.ui.common.tones import BOXES, ERROR, TONES

    for light, dark in TONES.values():
        for palette, colour in ((light_palette(), light), (dark_palette(), dark)):
            for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
                assert _contrast(QColor(colour), palette.color(role)) >= 4.5, (colour, role)
    for boxes in BOXES.values():
        for box in boxes:
            assert _contrast(QColor(box.text), QColor(box.background)) >= 4.5, box
    window.messages.show_message("502 Bad Gateway", Severity.ERROR)
    row = window.parameters.custom.add_row("logit_bias", '{"x": 1}')
    assert row.error_label.isVisibleTo(window)

    def shown_colour() -> str:
        return row.error_label.styleSheet().split("color:")[1].strip(" ;")

    app = QApplication.instance()
    try:
        apply_theme(app, "light")
        assert shown_colour() == TONES[ERROR][0]
        apply_theme(app, "dark")
        qtbot.waitUntil(lambda: shown_colour() == TONES[ERROR][1])
        qtbot.waitUntil(lambda: TONES[ERROR][1] in row.value_edit.styleSheet())  # its frame
        background = row.error_label.palette().color(QPalette.ColorRole.Window)
        assert _contrast(QColor(shown_colour()), background) >= 4.5
        # The message strip was a light pink box in the dark window: a dark one now.
        dark_box = BOXES[ERROR][1]
        qtbot.waitUntil(lambda: dark_box.background in window.messages.styleSheet())
        apply_theme(app, "light")
        qtbot.waitUntil(lambda: shown_colour() == TONES[ERROR][0])
        qtbot.waitUntil(lambda: BOXES[ERROR][0].background in window.messages.styleSheet())
        row.value_edit.setText('{"50256": -100}')  # fixed: no colour left behind
        assert row.value_edit.styleSheet() == "" and not row.error_label.isVisibleTo(window)
    finally:
        apply_theme(app, "system")


def test_shortcuts_sheet_lists_every_shortcut(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F1)
    sheet = window.help.shortcuts
    assert sheet is not None and sheet.isVisible()
    rows = dict(sheet.rows())
    for action, keys in {
        "Run": "Ctrl+Return", "Stop": "Esc", "Regenerate": "Ctrl+R", "Undo": "Ctrl+Z",
        "Redo": "Ctrl+Shift+Z", "Save preset": "Ctrl+S", "Open preset": "Ctrl+O",
        "Search history": "Ctrl+F", "Settings": "Ctrl+,", "Keyboard shortcuts": "F1",
        "Score prompt": "Ctrl+Shift+Return", "Compare targets": "Ctrl+Shift+K",
        "View code": "Ctrl+Shift+C", "Wire inspector": "Ctrl+Shift+I",
        "Parameters": "Ctrl+Shift+P", "History": "Ctrl+H",
    }.items():  # fmt: skip
        assert keys in rows[action], (action, rows.get(action))
    qtbot.keyClicks(sheet.filter, "preset")
    visible = [
        sheet.tree.topLevelItem(i).text(0)
        for i in range(sheet.tree.topLevelItemCount())
        if not sheet.tree.topLevelItem(i).isHidden()
    ]
    assert visible and all("preset" in v.lower() for v in visible)


def test_the_shortcuts_sheet_names_each_key_once_in_chinese(qtbot, open_window, api):
    """Ctrl+Return and Ctrl+Enter are both "Ctrl+回车" in Chinese: Run's keys read once,
    not "Ctrl+回车, Ctrl+回车"."""
    from app.ui.common.i18n import install_translators

    install_translators("zh_CN")
    try:
        window = open_window([loopback_profile(api)])
        sheet = window.help.show_shortcuts()
        rows = dict(sheet.rows())
        run_keys = rows[window.run_action.text().replace("&", "")].split(", ")
        assert run_keys == ["Ctrl+回车"]
        for action, keys in rows.items():
            assert len(set(keys.split(", "))) == len(keys.split(", ")), (action, keys)
    finally:
        install_translators("en")


# -- Keyboard reach and accessible names ------------------------------------------------


def _interactive(widget: QWidget) -> bool:
    return isinstance(
        widget, (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QPlainTextEdit,
                 QTextEdit),
    )  # fmt: skip


def _name(widget: QWidget) -> str:
    if widget.accessibleName():
        return widget.accessibleName()
    if isinstance(widget, QAbstractButton):
        return widget.text() or widget.toolTip()
    return ""


def test_tab_reaches_every_control_in_order_and_each_has_a_name(qtbot, window):
    window.history_dock.show()  # closed at first: Tab reaches it once it is open
    window.prompt.setFocus()
    assert QApplication.focusWidget() is window.prompt
    seen: list[QWidget] = []
    for _ in range(200):
        # Tab types a tab in the prompt editor; Ctrl+Tab leaves it.
        current = QApplication.focusWidget()
        takes_tab = (
            isinstance(current, QPlainTextEdit | QTextEdit)
            and not current.isReadOnly()
            and not current.tabChangesFocus()
        )
        modifier = CTRL if takes_tab else Qt.KeyboardModifier.NoModifier
        qtbot.keyClick(current, Qt.Key.Key_Tab, modifier)
        widget = QApplication.focusWidget()
        if widget is window.prompt:
            break
        seen.append(widget)
    else:
        pytest.fail(f"Tab never came back to the prompt: {[type(w).__name__ for w in seen]}")
    interactive = [w for w in seen if _interactive(w)]
    view = window.view
    run_bar = (view.prompt_mode, view.insert, view.colouring, window.run_button)
    assert all(w in seen for w in run_bar), [_name(w) for w in run_bar if w not in seen]
    assert window.connection.model in seen and window.parameters.max_tokens.spin in seen
    assert window.history.search in seen
    unnamed = [f"{type(w).__name__}:{w.objectName()}" for w in interactive if not _name(w)]
    assert not unnamed, unnamed
    # Sensible order (a cycle from the document): the Run bar under it (prompt format,
    # insert at cursor, colours, Run), the parameters dock, the history dock, then the
    # connection bar at the top, and back to the document.
    landmarks = (*run_bar, window.parameters.max_tokens.spin, window.history.search,
                 window.connection.model)  # fmt: skip
    order = [seen.index(w) for w in landmarks]
    assert order == sorted(order), order


# -- Geometry ---------------------------------------------------------------------------------


def _show_output_tokens(window) -> None:
    """Give the side-by-side view tokens: its token panel (the splitter's second half) shows."""
    window.output.show_tokens(0, [TokenLogprob("a", -0.1)], "length")


def test_the_bottom_docks_share_a_1024_px_window_as_tabs(qtbot, open_window):
    """Side by side the history and the choices need ~1,150 px: opening both grew a 1,024-px
    window past its screen. They are tabs; View ▸ … brings the chosen one forward."""
    w = open_window()
    w.resize(1024, 700)
    qtbot.waitUntil(lambda: w.width() == 1024)
    w.history_dock.toggleViewAction().trigger()
    w.output_dock.toggleViewAction().trigger()
    QApplication.processEvents()
    assert w.width() == 1024
    assert w.tabifiedDockWidgets(w.output_dock) == [w.history_dock]
    assert not w.output_dock.visibleRegion().isEmpty()  # the one just opened is in front
    assert w.history_dock.visibleRegion().isEmpty()
    w.history_dock.toggleViewAction().trigger()  # closes it
    w.history_dock.toggleViewAction().trigger()  # and opens it again, in front
    QApplication.processEvents()
    assert not w.history_dock.visibleRegion().isEmpty()
    assert w.width() == 1024


def test_geometry_docks_and_splitters_are_remembered(qtbot, qloop, open_window):
    paths = AppPaths.resolve()
    w = open_window()
    assert not w.history_dock.isVisible() and not w.output_dock.isVisible()  # closed at first
    assert w._output is None  # the side-by-side view is built when first shown
    assert w._tokens is None  # and the Tokens panel (a tab behind the parameters)
    assert w.tokens.details.visibleRegion().isEmpty()  # the parameters are in front
    # The docks: the side-by-side view open (with its token panel), the Tokens tab in front.
    w.output_dock.show()
    w.tokens_dock.raise_()
    _show_output_tokens(w)
    # As narrow as it goes (the offscreen screen is narrower than that), not as tall.
    w.resize(w.minimumSizeHint().width(), 620)
    qtbot.waitUntil(
        lambda: (
            w.height() == 620
            and not w.tokens.details.visibleRegion().isEmpty()
            and w.output.body.sizes()[1] > 0
        )
    )
    QApplication.processEvents()
    size = (w.width(), w.height())
    defaults = (w.tokens.sizes(), w.output.body.sizes())
    w.tokens.setSizes([300, 60])  # token details tall, branches short
    w.output.body.setSizes([350, 400])  # a wide token panel beside the choices
    sizes = (w.tokens.sizes(), w.output.body.sizes())
    assert sizes[0] != defaults[0] and sizes[1] != defaults[1]
    shut_down(qtbot, qloop, w)
    assert (paths.config_dir / "window.ini").exists()
    again = open_window()
    assert (again.width(), again.height()) == size
    assert again.output_dock.isVisible() and not again.history_dock.isVisible()
    assert not again.tokens.details.visibleRegion().isEmpty()  # the Tokens tab in front
    assert again.parameters.visibleRegion().isEmpty()
    _show_output_tokens(again)
    qtbot.waitUntil(lambda: again.output.body.sizes()[1] > 0)
    assert (again.tokens.sizes(), again.output.body.sizes()) == sizes


# -- Chinese text ------------------------------------------------------------------------------


def test_input_method_commits_chinese_into_the_editor(qtbot, window):
    window.prompt.setFocus()
    assert window.prompt.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    preedit = QInputMethodEvent("nihao", [])
    QApplication.sendEvent(window.prompt, preedit)
    commit = QInputMethodEvent()
    commit.setCommitString("你好")
    QApplication.sendEvent(window.prompt, commit)
    assert window.prompt.toPlainText() == "你好"
    qtbot.keyClick(window.prompt, Qt.Key.Key_Z, CTRL)  # one undo step
    assert window.prompt.toPlainText() == ""


def test_chinese_preset_names_and_export_paths(qtbot, window, tmp_path):
    window.prompt.setPlainText("中文提示词")
    window.presets.save_named("中文预设：测试")
    store = PresetStore(AppPaths.resolve().data_dir / "presets")
    path = store.path_for("中文预设：测试")
    assert path.exists() and "中文预设" in path.name
    assert json.loads(path.read_text(encoding="utf-8"))["prompt"] == "中文提示词"
    target = tmp_path / "导出" / "预设 一.json"
    target.parent.mkdir()
    store.export_file(store.read(path), target)
    assert json.loads(target.read_text(encoding="utf-8"))["name"] == "中文预设：测试"


# -- About, icon, title --------------------------------------------------------------------


def test_about_lists_version_and_licences_and_the_icon_is_set(qtbot, window):
    from app import __version__

    window.help.about_action.trigger()
    about = window.help.about
    assert about is not None and about.isVisible()
    assert __version__ in about.summary.text()
    names = {about.table.item(r, 0).text(): about.table.item(r, 2).text()
             for r in range(about.table.rowCount())}  # fmt: skip
    assert "LGPL" in names["PySide6_Essentials"] or "LGPL" in names.get("PySide6-Essentials", "")
    assert names["httpx"] == "BSD-3-Clause" and names["keyring"] == "MIT"
    # A licence field that says "UNKNOWN" (socksio's) gives way to the classifiers.
    assert "UNKNOWN" not in names.values()
    if "socksio" in names:
        assert names["socksio"] == "MIT License"
    icon = QGuiApplication.windowIcon()
    assert not icon.isNull()
    assert not icon.pixmap(256, 256).isNull()
    # HiDPI: at a device pixel ratio of 2 the icon has twice the pixels (the 128 px PNG).
    sharp = icon.pixmap(QSize(64, 64), 2.0)
    assert (sharp.width(), sharp.devicePixelRatio()) == (128, 2.0)
