"""The parameter panel built from the registry: rows per server kind, values, custom
parameters, folds, reset, the wheel, and what a real run sends."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QTextDocument, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app.core import parameters as registry
from app.core.parameters import Param, ParamType
from app.core.request import CompletionRequest, RequestValidationError
from app.core.server_kinds import KINDS, get_kind
from app.ui.parameters import ParameterPanel
from tests.conftest import loopback_profile

pytestmark = pytest.mark.gui

KIND_IDS = sorted(KINDS)


@pytest.fixture
def panel(qtbot) -> ParameterPanel:
    widget = ParameterPanel()
    qtbot.addWidget(widget)
    widget.resize(380, 700)
    widget.show()
    return widget


@pytest.fixture
def window(open_window, api):
    w = open_window([loopback_profile(api)])
    w.parameters.max_tokens.set_value(8)
    return w


def other_value(param: Param, kind: str) -> Any:
    """A valid value of ``param`` that is not the server's default for ``kind``."""
    default = param.default_for(kind)
    start = param.start_value(kind)
    if param.type == ParamType.INT:
        low = max(int(param.minimum if param.minimum is not None else 0), -1)
        high = int(param.slider_maximum or param.maximum or low + 10)
        for value in (low + 3, low + 2, low + 1, high):
            if value not in (default, start) and value <= (param.maximum or value):
                return value
    if param.type == ParamType.FLOAT:
        low, high = float(param.minimum or 0), float(param.maximum or 1)
        value = round(low + (high - low) * 0.37, 2)
        return value if value != default else round(value + 0.01, 2)
    if param.type == ParamType.BOOL:
        return not default if default is not None else True
    if param.type == ParamType.STRING:
        return "ab c"
    if param.type == ParamType.TEXT:
        return 'root ::= "yes" | "no"\n# two lines'
    if param.type == ParamType.STRING_LIST:
        return ["\n", "END"]
    if param.type == ParamType.INT_LIST:
        return [6, 0, 1]
    if param.name == "logit_bias":
        return {"50256": -100, "13": 5}
    return {"type": "object", "required": ["a"], "n": [1, 2.5, None, True]}


def shown(tooltip: str) -> str:
    """The text a tooltip shows (tooltips with dynamic text are escaped rich text)."""
    document = QTextDocument()
    document.setHtml(tooltip)
    return document.toPlainText()


def wheel(widget: QWidget, delta: int = -120) -> None:
    """A real wheel event over the middle of ``widget`` (through QApplication, so an
    ignored event goes on to the parents as the mouse's would)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(),
        QPoint(0, delta),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


# -- built from the registry ----------------------------------------------------------------


def test_a_fresh_panel_sends_the_starting_parameters(panel):
    assert panel.fields() == {"max_tokens": 256, "temperature": 0.7, "stream": True}
    assert panel.server_kind() == "openai"
    assert not panel.top_p.check.isChecked() and panel.top_p.spin.value() == 1.0
    assert panel.seed.spin.value() == 42 and panel.include_usage.isEnabled()
    panel.stream.setChecked(False)
    assert not panel.include_usage.isEnabled()
    assert panel.fields()["stream"] is False


@pytest.mark.parametrize("kind", KIND_IDS)
def test_each_kind_shows_exactly_its_parameters_in_registry_order(panel, kind):
    panel.set_server_kind(kind)
    shown = [row.param.name for row in panel.rows() if not row.isHidden()]
    assert shown == [p.name for p in get_kind(kind).parameters]
    assert [r.param.name for r in panel.rows()] == [p.name for p in registry.PARAMS]
    for row in panel.rows():
        fold = panel.fold_of(row.param.name)
        assert (registry.OPENAI in row.param.kinds) == (fold is not panel.own_fold)
    own = [r for r in panel.rows() if not r.isHidden() and registry.OPENAI not in r.param.kinds]
    assert panel.own_fold.isHidden() == (not own)
    if own:
        assert get_kind(kind).label in panel.own_fold.title()


@pytest.mark.parametrize("kind", KIND_IDS)
def test_every_registry_parameter_round_trips_through_the_panel(panel, kind):
    panel.set_server_kind(kind)
    for param in get_kind(kind).parameters:
        value = other_value(param, kind)
        params = {param.name: value}
        if param.name == "stream":
            params = {"stream": value}
        panel.set_fields(params)
        sent = panel.fields()
        assert sent[param.name] == value, param.name
        assert not panel.custom_rows(), param.name
        panel.set_fields(sent)
        assert panel.fields() == sent, param.name
        CompletionRequest("m", "p", params=sent).validation_errors()  # a request takes it


def test_every_parameter_round_trips_all_at_once(panel):
    for kind in KIND_IDS:
        panel.set_server_kind(kind)
        params = {p.name: other_value(p, kind) for p in get_kind(kind).parameters}
        params["stream"] = True  # include_usage needs it
        panel.set_fields(params)
        assert panel.fields() == params, kind
        assert not panel.custom_rows()


def test_a_value_the_kind_does_not_take_moves_to_custom_and_back(panel):
    panel.set_server_kind("llamacpp")
    panel.top_k.set_value(7)
    panel.samplers.set_values(["top_k", "temperature"])
    assert panel.fields()["top_k"] == 7
    panel.set_server_kind("openai")
    assert panel.row("top_k").isHidden()
    customs = {row.name(): row.text() for row in panel.custom_rows()}
    assert customs == {"top_k": "7", "samplers": '["top_k", "temperature"]'}
    assert all(row.isVisibleTo(panel) for row in panel.custom_rows())
    sent = panel.fields()
    assert sent["top_k"] == 7 and sent["samplers"] == ["top_k", "temperature"]
    panel.user.setText("me")
    panel.set_server_kind("llamacpp")
    assert [row.name() for row in panel.custom_rows()] == ["user"]
    assert panel.top_k.value() == 7 and panel.samplers.values() == ("top_k", "temperature")
    assert panel.fields()["user"] == "me"
    panel.set_server_kind("vllm")
    assert panel.fields()["user"] == "me" and not panel.row("user").isHidden()
    assert {row.name() for row in panel.custom_rows()} == {"samplers"}
    assert panel.fields()["top_k"] == 7  # vLLM takes top_k too: still in its row


def test_set_fields_keeps_what_no_row_can_show_as_custom(panel):
    panel.set_fields({"temperature": 5, "my_flag": {"a": [1]}, "top_k": 40, "stream": False})
    customs = {row.name(): row for row in panel.custom_rows()}
    assert set(customs) == {"temperature", "my_flag", "top_k"}
    assert "between 0 and 2" in customs["temperature"].error_label.text()
    assert customs["temperature"].note_label.isVisibleTo(panel)
    with pytest.raises(RequestValidationError) as raised:
        panel.fields()
    assert raised.value.field == "temperature"
    assert panel.fields(lenient=True) == {"stream": False, "my_flag": {"a": [1]}, "top_k": 40}


def test_a_fresh_session_restored_sends_what_was_saved(panel):
    panel.set_server_kind("llamacpp")
    panel.set_fields({"max_tokens": 12})
    assert panel.fields() == {"max_tokens": 12, "stream": True}  # absent: not sent
    assert panel.cache_prompt.isChecked() and panel.top_k.spin.value() == 40


# -- rows -----------------------------------------------------------------------------------


def test_editing_a_value_ticks_it_and_clearing_unticks_it(panel):
    panel.top_p.spin.setValue(0.5)
    assert panel.top_p.check.isChecked() and panel.fields()["top_p"] == 0.5
    panel.suffix.setPlainText("tail")
    assert panel.row("suffix").check.isChecked() and panel.fields()["suffix"] == "tail"
    panel.suffix.clear()
    assert "suffix" not in panel.fields()
    panel.stop.set_values(["###"])
    assert panel.fields()["stop"] == ["###"]
    panel.stop.set_values([])
    assert "stop" not in panel.fields()


def test_yes_no_parameters(panel):
    panel.set_server_kind("llamacpp")
    cache = panel.cache_prompt
    assert cache.isChecked() and "cache_prompt" not in panel.fields()  # server default: on
    cache.setChecked(False)
    assert panel.fields()["cache_prompt"] is False
    panel.ignore_eos.setChecked(True)
    assert panel.fields()["ignore_eos"] is True
    panel.set_server_kind("vllm")
    assert panel.skip_special_tokens.isChecked()
    assert "skip_special_tokens" not in panel.fields()
    assert {row.name() for row in panel.custom_rows()} == {"cache_prompt"}


def test_lists_of_numbers_and_json_are_checked_as_typed(qtbot, panel):
    panel.set_server_kind("vllm")
    ids = panel.stop_token_ids
    qtbot.keyClicks(ids.edit, "50256, x")
    assert ids.error_label.isVisibleTo(panel) and "whole numbers" in ids.error_label.text()
    assert panel.row("stop_token_ids").check.isChecked()
    with pytest.raises(RequestValidationError) as raised:
        panel.fields()
    assert raised.value.field == "stop_token_ids"
    ids.edit.setText("50256, 13")
    assert not ids.error_label.isVisibleTo(panel)
    assert panel.fields()["stop_token_ids"] == [50256, 13]
    schema = panel.structured_outputs
    assert schema.edit.tabChangesFocus()
    schema.edit.setPlainText('{"choice": ["a", "b"')
    assert schema.error_label.isVisibleTo(panel) and "not valid JSON" in schema.error
    with pytest.raises(RequestValidationError):
        panel.fields()
    schema.edit.setPlainText('{"choice": ["a", "b"]}')
    assert schema.error is None
    assert panel.fields()["structured_outputs"] == {"choice": ["a", "b"]}


def test_reset_shows_the_kinds_default_and_stops_sending(panel):
    panel.set_server_kind("llamacpp")
    row = panel.row("top_k")
    assert shown(row.reset_button.toolTip()) == "Server default: 40"
    panel.top_k.set_value(7)
    row.reset_button.click()
    assert panel.top_k.value() is None and panel.top_k.spin.value() == 40
    assert "top_k" not in panel.fields()
    panel.set_server_kind("vllm")
    assert shown(row.reset_button.toolTip()) == "Server default: 0"
    assert panel.top_k.spin.value() == 0  # an untouched value follows the kind
    panel.row("temperature").reset_button.click()
    assert "temperature" not in panel.fields()
    assert panel.temperature.spin.value() == 1.0
    suffix = panel.row("suffix").reset_button
    assert not panel.row("seed").reset_button.isEnabled()
    assert not suffix.isEnabled() and shown(suffix.toolTip()) == "No known server default"
    panel.set_server_kind("llamacpp")
    panel.cache_prompt.setChecked(False)
    panel.row("cache_prompt").reset_button.click()
    assert panel.cache_prompt.isChecked() and "cache_prompt" not in panel.fields()


def test_folds_collapse_and_expand(qtbot, panel):
    panel.set_server_kind("llamacpp")
    sampling = panel.fold_of("temperature")
    assert sampling.title() == "Sampling" and sampling.is_open()
    assert panel.temperature.isVisible()
    qtbot.mouseClick(sampling.header, Qt.MouseButton.LeftButton)
    assert not sampling.is_open() and not panel.temperature.isVisible()
    assert sampling.header.arrowType() == Qt.ArrowType.RightArrow
    assert panel.fields()["temperature"] == 0.7  # folded away, still sent
    qtbot.mouseClick(sampling.header, Qt.MouseButton.LeftButton)
    assert panel.temperature.isVisible()
    own = panel.fold_of("top_k")
    assert own.title() == "llama.cpp server: its own samplers"
    qtbot.mouseClick(own.header, Qt.MouseButton.LeftButton)
    assert not panel.top_k.isVisible()


def test_ollama_shows_its_warning(panel):
    panel.set_server_kind("ollama")
    assert panel.note.isVisible() and "chat template" in panel.note.text()
    assert panel.note.textFormat() == Qt.TextFormat.PlainText
    assert panel.row("n").isHidden() and panel.own_fold.isHidden()
    panel.set_server_kind("openai")
    assert not panel.note.isVisible()


def test_every_control_has_an_accessible_name(panel):
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QLineEdit, QPlainTextEdit

    panel.set_server_kind("llamacpp")
    panel.custom.add_row()
    kinds = (QAbstractButton, QAbstractSpinBox, QLineEdit, QPlainTextEdit)
    controls = [w for w in panel.widget().findChildren(QWidget) if isinstance(w, kinds)]
    controls = [
        w for w in controls
        if w.isVisibleTo(panel) and not isinstance(w.parent(), QAbstractSpinBox)
    ]  # fmt: skip
    unnamed = [
        w for w in controls
        if not w.accessibleName() and not (isinstance(w, QAbstractButton) and w.text())
    ]  # fmt: skip
    assert not unnamed, [type(w).__name__ for w in unnamed]


# -- custom parameters ------------------------------------------------------------------------


def test_a_custom_parameter_is_checked_as_typed_and_sent(qtbot, window, api):
    panel = window.parameters
    qtbot.mouseClick(panel.custom.add_button, Qt.MouseButton.LeftButton)
    (row,) = panel.custom_rows()
    assert QApplication.focusWidget() is row.name_edit
    qtbot.keyClicks(row.name_edit, "1flag")
    qtbot.keyClicks(row.value_edit, "tru")
    assert row.error_label.isVisibleTo(panel) and "parameter name" in row.error_label.text()
    row.name_edit.setText("my_flag")
    assert "not valid JSON" in row.error_label.text()
    window.run()
    assert "my_flag" in window.messages.text() and api.requests == []
    qtbot.keyClick(row.value_edit, Qt.Key.Key_E)
    assert not row.error_label.isVisibleTo(panel) and not row.note_label.isVisibleTo(panel)
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as finished:
        window.run()
    assert finished.args[0].ok, finished.args[0].error
    assert api.last_completion().body["my_flag"] is True
    qtbot.mouseClick(row.remove_button, Qt.MouseButton.LeftButton)
    assert panel.custom_rows() == [] and "my_flag" not in panel.fields()


def test_a_custom_parameter_named_like_a_known_one_is_checked_as_that_one(panel):
    row = panel.custom.add_row("top_k", '"many"')
    assert "whole number" in row.error_label.text()
    assert "Top K" in row.note_label.text() and "replaces" not in row.note_label.text()
    row.value_edit.setText("5000")
    assert "between -1 and 1000" in row.error_label.text()
    row.value_edit.setText("40")
    assert row.error is None and panel.fields()["top_k"] == 40
    bias = panel.custom.add_row("logit_bias", '{"x": 1}')
    assert "not a token id" in bias.error_label.text()
    bias.value_edit.setText('{"50256": -100}')
    assert bias.error is None
    temperature = panel.custom.add_row("temperature", "1.5")
    assert "replaces the one in its row" in temperature.note_label.text()
    assert panel.fields()["temperature"] == 1.5
    reserved = panel.custom.add_row("stream", "true")
    assert "own fields" in reserved.error_label.text()
    panel.custom.remove_row(reserved)
    panel.set_server_kind("llamacpp")  # top_k and logit_bias go into their rows
    assert [r.name() for r in panel.custom_rows()] == []
    assert panel.top_k.value() == 40 and panel.temperature.value() == 1.5
    assert panel.fields()["logit_bias"] == {"50256": -100}


def test_learned_limits_strike_through_rows_and_custom_parameters(panel):
    panel.custom.add_row("my_flag", "1")
    panel.mark_unsupported(["top_p", "my_flag", "stream_options"], "strict <b>x</b>")
    assert panel.unsupported_marked() == {"top_p", "my_flag", "stream_options"}
    for widget in (panel._label_for("top_p"), panel._label_for("my_flag"),
                   panel.include_usage):  # fmt: skip
        assert widget.font().strikeOut()
        assert "strict &lt;b&gt;x&lt;/b&gt;" in widget.toolTip()
    later = panel.custom.add_row()
    later.name_edit.setText("my_flag")  # typed after the mark: marked too
    assert later.name_edit.font().strikeOut()
    panel.mark_unsupported([], "strict")
    assert not panel.top_p.check.font().strikeOut()
    assert not later.name_edit.font().strikeOut()
    assert "Nucleus" in panel.top_p.check.toolTip()


# -- the panel in the window ------------------------------------------------------------------


def test_a_run_sends_exactly_the_panels_fields(qtbot, window, api):
    current = window.profiles.current
    window.profiles.save_profile(current.name, replace(current, server="llamacpp"))
    panel = window.parameters
    assert panel.server_kind() == "llamacpp" and not panel.row("top_k").isHidden()
    panel.top_k.set_value(12)
    panel.min_p.set_value(0.1)
    panel.samplers.set_values(["top_k", "min_p", "temperature"])
    panel.dry_sequence_breakers.set_values(["\n"])
    panel.grammar.setPlainText('root ::= "a"')
    panel.json_schema.edit.setPlainText('{"type": "string"}')
    panel.cache_prompt.setChecked(False)
    panel.custom.add_row("my_flag", '{"deep": [1, "x"]}')
    fields = panel.fields()
    window.prompt.setPlainText("Hello")
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as finished:
        window.run()
    assert finished.args[0].ok, finished.args[0].error
    body = [r for r in api.requests if r.path.endswith("/completions")][-1].body
    expected = CompletionRequest("test-model", "Hello", params=fields).to_body()
    assert body == expected
    assert {k: v for k, v in body.items() if k not in ("model", "prompt")} == fields


def test_the_session_keeps_the_panel_and_a_setup_applies_it(qtbot, window):
    panel = window.parameters
    panel.custom.add_row("my_flag", "[1, 2]")
    panel.top_p.set_value(0.25)
    state = window.capture_state()
    assert state.parameters == panel.fields()
    assert state.parameters["my_flag"] == [1, 2]
    panel.set_fields({})
    window.apply_state(state)
    assert panel.fields() == state.parameters


def test_the_slider_has_room_in_a_normal_window(qtbot, window):
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    QApplication.processEvents()
    panel = window.parameters
    assert 300 <= panel.width() <= 420
    for name in ("temperature", "max_tokens", "top_p"):
        slider = getattr(panel, name).slider
        assert slider.isVisible() and slider.width() >= 200, (name, slider.width())


def test_no_kind_makes_the_rows_scroll_sideways(qtbot, window):
    """The sidebar opens wide enough for every kind's widest row ("Dynamic temperature
    exponent" of llama.cpp, koboldcpp and text-generation-webui; at 330 px even OpenAI's
    "Ask for usage at the end of the stream" scrolled sideways by 2 px)."""
    window.resize(1280, 800)
    panel = window.parameters
    taken = [p for p in registry.PARAMS if p.accepted_by(panel.server_kind())]
    qtbot.waitUntil(lambda: panel.built_rows() == len(taken))  # painted: all of its rows
    bar = panel.horizontalScrollBar()
    for kind in KIND_IDS:
        panel.set_server_kind(kind)
        QApplication.processEvents()
        assert panel.widget().minimumSizeHint().width() <= panel.viewport().width(), kind
        assert not bar.isVisible(), kind


def system_wheel(widget: QWidget, delta: int = -120) -> None:
    """A wheel turn as the window system delivers it (spontaneous, at the mouse)."""
    window = widget.window()
    position = widget.mapTo(window, widget.rect().center())
    QTest.wheelEvent(window.windowHandle(), QPointF(position), QPoint(0, delta))


@pytest.mark.parametrize("send", [wheel, system_wheel])
def test_the_wheel_scrolls_the_panel_unless_a_value_has_the_focus(qtbot, window, send):
    panel = window.parameters
    window.resize(1280, 600)
    qtbot.waitUntil(lambda: panel.verticalScrollBar().maximum() > 0)
    bar = panel.verticalScrollBar()
    temperature = panel.temperature
    for widget in (temperature.spin, temperature.slider):
        assert widget.focusPolicy() == Qt.FocusPolicy.StrongFocus
        bar.setValue(0)
        window.prompt.setFocus()
        qtbot.waitUntil(window.prompt.hasFocus)
        before = temperature.value()
        send(widget)
        assert temperature.value() == before
        assert bar.value() > 0  # the panel scrolled instead
        assert not widget.hasFocus()  # the wheel does not take the focus either
        bar.setValue(0)
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        send(widget)
        assert temperature.value() != before
        assert bar.value() == 0
        temperature.set_value(0.7)


def test_rows_are_built_when_a_kind_shows_them_in_the_registrys_order(qtbot):
    """Start-up builds the rows of the kind shown, not all 60 (~1 ms each); a row asked for,
    or shown by another kind later, goes into its fold in the registry's order."""
    panel = ParameterPanel()
    qtbot.addWidget(panel)
    openai = [p.name for p in registry.PARAMS if p.accepted_by("openai")]
    assert panel.built_rows() == len(openai) < len(registry.PARAMS)
    panel.set_server_kind("koboldcpp")
    taken = {p.name for p in registry.PARAMS if p.accepted_by("koboldcpp")}
    assert panel.built_rows() == len(taken | set(openai))
    assert panel.row("mirostat").isHidden()  # built on request, hidden: kobold takes another
    panel.rows()  # all of them
    assert panel.built_rows() == len(registry.PARAMS)
    for group, fold in panel.folds.items():
        layout = fold.body_layout
        shown = [layout.itemAt(i).widget().param.name for i in range(layout.count())]
        openai_rows = [p for p in registry.PARAMS if registry.OPENAI in p.kinds]
        expected = [p.name for p in openai_rows if p.group == group]
        assert shown == expected


def test_a_panel_made_for_a_kind_is_the_panel_switched_to_it(qtbot):
    """The window makes its sidebar for the profile's kind at once (no OpenAI rows first)."""
    from app.core.parameters import LLAMA_CPP_PYTHON

    direct = ParameterPanel(kind=LLAMA_CPP_PYTHON)
    switched = ParameterPanel()
    qtbot.addWidget(direct)
    qtbot.addWidget(switched)
    switched.set_server_kind(LLAMA_CPP_PYTHON)
    assert direct.server_kind() == switched.server_kind() == LLAMA_CPP_PYTHON
    assert direct.built_rows() <= switched.built_rows()
    assert direct.fields() == switched.fields()
    assert {r.param.name for r in direct.rows() if not r.isHidden()} == {
        r.param.name for r in switched.rows() if not r.isHidden()
    }
    assert direct.own_fold.isVisibleTo(direct) and switched.own_fold.isVisibleTo(switched)


def test_the_window_s_panel_builds_its_kind_s_own_rows_after_its_first_paint(qtbot):
    """``later``: the rows of the kind's own fold (below the first screen) come the loop's
    turn after the first paint; nothing changes for what is sent, nothing is announced, and
    a row asked for before that is there at once."""
    from app.core.parameters import LLAMACPP

    now = ParameterPanel(kind=LLAMACPP)
    later = ParameterPanel(kind=LLAMACPP, later=True)
    for panel in (now, later):
        qtbot.addWidget(panel)
    own = [
        p.name
        for p in registry.PARAMS
        if p.accepted_by(LLAMACPP) and registry.OPENAI not in p.kinds
    ]
    assert len(own) >= 5
    assert later.built_rows() == now.built_rows() - len(own)
    assert later.fields() == now.fields()
    assert later.row(own[0]).isVisibleTo(later)  # asked for: built now, in its place
    assert later.built_rows() == now.built_rows() - len(own) + 1
    changes: list[None] = []
    later.changed.connect(lambda: changes.append(None))
    later.resize(380, 700)
    later.show()
    qtbot.waitUntil(lambda: later.built_rows() == now.built_rows())
    assert changes == []
    assert later.fields() == now.fields()
    section = later._sections[registry.Group.SAMPLING].layout  # in the registry's order
    names = [section.itemAt(i).widget().param.name for i in range(1, section.count())]
    assert names == [n for n in own if registry.get(n).group == registry.Group.SAMPLING]
    assert [r.param.name for r in later.rows() if not r.isHidden()] == [
        r.param.name for r in now.rows() if not r.isHidden()
    ]


def test_the_window_builds_its_panel_s_rows_after_the_first_frame(qtbot, open_window):
    """The window's panel is made with ``later``: once shown, every row its kind takes."""
    window = open_window()  # the default profile: the local model (llama.cpp's server)
    panel = window.parameters
    kind = panel.server_kind()
    taken = [p.name for p in registry.PARAMS if p.accepted_by(kind)]
    qtbot.waitUntil(lambda: panel.built_rows() == len(taken))
