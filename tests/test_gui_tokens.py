"""Token probabilities in the real window: colour, hover, click, fork, choices, branches."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolTip

from app.ui.analysis.token_view import ProbabilityMode
from tests.conftest import loopback_profile
from tests.loopback_server import TOKENS

pytestmark = pytest.mark.gui


@pytest.fixture
def window(open_window, api):
    w = open_window([loopback_profile(api)])
    w.parameters.max_tokens.set_value(8)
    w.parameters.logprobs.set_value(3)
    w.prompt.setPlainText("Say hi")
    return w


def run_and_wait(qtbot, window) -> object:
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as finished:
        qtbot.keyClick(window.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    return finished.args[0]


def test_tokens_are_coloured_in_every_mode(qtbot, window):
    run_and_wait(qtbot, window)
    view = window.output.pane(0)
    assert [view.toPlainText()[u.start : u.end] for u in view.units] == TOKENS[:8]
    block = view.document().firstBlock()
    assert block.layout().formats() == []  # mode Off: plain
    for mode in (ProbabilityMode.MOST_LIKELY, ProbabilityMode.LEAST_LIKELY, ProbabilityMode.FULL):
        window.output.mode.setCurrentIndex(window.output.mode.findData(int(mode)))
        formats = block.layout().formats()
        assert formats, mode
        colours = {f.format.background().color().rgba() for f in formats}
        if mode == ProbabilityMode.FULL:
            assert len(colours) > 1  # different probabilities, different colours
    assert "mean logprob" in window.output.choice_pane(0).summary.text()
    assert "Perplexity" in window.output.details.stats.text()


def test_hover_shows_probability_and_alternatives(qtbot, window):
    run_and_wait(qtbot, window)
    view = window.output.pane(0)
    point = view.unit_point(2)  # " world"
    with qtbot.waitSignal(view.unitHovered, timeout=2000) as hovered:
        qtbot.mouseMove(view.viewport(), point)
    assert hovered.args == [2]
    tip = QToolTip.text()
    assert "“ world”" in tip and "%" in tip
    assert "top 3 cover" in tip


def test_click_alternative_forks_without_losing_the_original(qtbot, window, api):
    run_and_wait(qtbot, window)
    original = window.output.text(0)
    view = window.output.pane(0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.unit_point(2))
    items = window.output.details.alternative_items()
    assert len(items) == 3
    alternative = next(i for i in items if i.data(Qt.ItemDataRole.UserRole) != " world")
    alt_text = alternative.data(Qt.ItemDataRole.UserRole)
    lst = window.output.details.alternatives
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
        qtbot.mouseClick(
            lst.viewport(), Qt.MouseButton.LeftButton, pos=lst.visualItemRect(alternative).center()
        )
    sent = api.requests[-1].body
    assert sent["prompt"] == "Say hi" + "Hello," + alt_text
    assert "n" not in sent and "echo" not in sent and sent["logprobs"] == 3
    forked = window.output.text(0)
    assert forked.startswith("Hello," + alt_text) and forked != original
    assert window.output.pane(0).units[2].start == len("Hello,")  # forced token coloured too
    panel = window.output.branches
    assert panel.isVisible() and panel.topLevelItemCount() == 1
    root = panel.topLevelItem(0)
    assert root.childCount() == 1 and alt_text in root.child(0).text(0)
    # Walk back to the original: it is unchanged.
    qtbot.mouseClick(
        panel.viewport(), Qt.MouseButton.LeftButton, pos=panel.visualItemRect(root).center()
    )
    assert window.output.text(0) == original
    # … and forward to the fork again.
    child = panel.topLevelItem(0).child(0)
    qtbot.mouseClick(
        panel.viewport(), Qt.MouseButton.LeftButton, pos=panel.visualItemRect(child).center()
    )
    assert window.output.text(0) == forked


def test_n_choices_side_by_side_with_use_this(qtbot, window, api):
    window.parameters.n.set_value(3)
    result = run_and_wait(qtbot, window)
    assert len(result.choices) == 3
    output = window.output
    assert output.count() == 3
    for i in range(3):
        pane = output.choice_pane(i)
        assert output.text(i) == "".join(TOKENS[(i + j) % len(TOKENS)] for j in range(8))
        assert "finish: length" in pane.summary.text() and "8 token" in pane.summary.text()
        assert "mean logprob" in pane.summary.text()
    output.side_by_side.setChecked(True)
    assert output.stack.currentWidget() is output.columns
    assert output.columns.count() == 3 and output.choice_pane(2).isVisible()
    third = output.choice_pane(2)
    qtbot.mouseClick(third.use_button, Qt.MouseButton.LeftButton)
    assert window.prompt.toPlainText() == "Say hi" + output.text(2)
    window.undo_action.trigger()
    assert window.prompt.toPlainText() == "Say hi"
    output.side_by_side.setChecked(False)
    assert output.tabs.count() == 3


def test_multibyte_tokens_are_grouped(qtbot, window):
    from app.core.logprobs import TokenLogprob

    view = window.output.pane(0)
    text = "你好🙂!"
    view.setPlainText(text)
    tokens = [
        TokenLogprob("你", -0.1),
        TokenLogprob("bytes:\\xe5\\xa5", -0.2),
        TokenLogprob("bytes:\\xbd", -0.3),
        TokenLogprob("\ufffd", -0.4),
        TokenLogprob("\ufffd", -0.5),
        TokenLogprob("!", -0.6),
    ]
    view.set_tokens(tokens)
    spans = [(text[u.start : u.end], u.first, u.last) for u in view.units]
    assert spans == [("你", 0, 1), ("好🙂", 1, 5), ("!", 5, 6)]
    view.set_mode(ProbabilityMode.FULL)
    ranges = view.document().firstBlock().layout().formats()
    # Qt counts UTF-16 units: the emoji is two, so "!" starts at 4.
    assert [(r.start, r.length) for r in ranges] == [(0, 1), (1, 3), (4, 1)]
