"""Token probabilities in the real window: colour, hover, click, fork, choices, branches."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QToolTip

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
    """Run, and wait until the completion's tokens are coloured and counted (computed off
    the GUI thread at the end of the run)."""
    with (
        qtbot.waitSignal(window.runs.painted, timeout=10000),
        qtbot.waitSignal(window.runs.statsReady, timeout=10000),
        qtbot.waitSignal(window.controller.runFinished, timeout=10000) as finished,
    ):
        qtbot.keyClick(window.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    return finished.args[0]


def span_units(window):
    span = window.runs.span
    return span, [window.prompt.text_between(*span.unit_range(k))
                  for k in range(len(span.layout.units))]  # fmt: skip


def block_formats(window):
    block = window.prompt.document().firstBlock()
    return block.layout().formats()


def test_tokens_are_coloured_in_every_mode_in_the_document(qtbot, window):
    run_and_wait(qtbot, window)
    _, texts = span_units(window)
    assert texts == TOKENS[:8]
    assert window.prompt.text() == "Say hi" + "".join(TOKENS[:8])
    tint = {f.format.background().color().rgba() for f in block_formats(window)}
    assert len(tint) == 1  # mode Off: generated text is tinted, the prompt is not
    assert all(f.start >= len("Say hi") for f in block_formats(window))
    for mode in (ProbabilityMode.MOST_LIKELY, ProbabilityMode.LEAST_LIKELY, ProbabilityMode.FULL):
        window.view.colouring.setCurrentIndex(window.view.colouring.findData(int(mode)))
        colours = {f.format.background().color().rgba() for f in block_formats(window)}
        assert colours, mode
        if mode == ProbabilityMode.FULL:
            assert len(colours) > 2  # different probabilities, different colours
    assert window._tokens is None  # a run does not build the Tokens panel behind its tab…
    assert "Perplexity" in window.tokens.details.stats.text()  # …which shows the run's figures
    # The least likely tokens wrap only between them, never inside " world 12.3%".
    least = next(line for line in window.tokens.details.stats.text().splitlines()
                 if line.startswith("Least likely: "))  # fmt: skip
    items = least.removeprefix("Least likely: ").split(", ")
    assert len(items) > 1 and all(" " not in item and "%" in item for item in items), items


def test_colours_reach_the_end_of_a_completion_with_emoji(qtbot, window):
    """Document positions count UTF-16 units: the highlighter measured a block by its
    Python length, so after each emoji (two units) one more unit at the block's end went
    uncoloured (a 256-token run with 32 emoji: its last 32 characters)."""
    window.parameters.max_tokens.set_value(24)  # three times the loopback's tokens, 3 emoji
    run_and_wait(qtbot, window)
    span = window.runs.span
    assert span.end - span.start == sum(len(t.encode("utf-16-le")) // 2 for t in TOKENS) * 3
    for mode in (ProbabilityMode.OFF, ProbabilityMode.FULL):
        window.set_probability_mode(mode)
        QApplication.processEvents()
        formats = block_formats(window)
        assert max(f.start + f.length for f in formats) == span.end, mode  # block 0 at 0
        if mode == ProbabilityMode.FULL:
            coloured = {f.start for f in formats if f.start >= span.start}
            assert len(coloured) == len(span.layout.units)  # every token its own colour


def test_the_colours_do_not_wait_for_the_statistics(qtbot, window, monkeypatch):
    """At the end of a run the colours come first; the Tokens panel's statistics (a pass
    over every token) follow from the same worker."""
    import threading

    from app.core import token_stats as module  # the window imports it with its first run

    release = threading.Event()
    counting = module.run_stats

    def slow_stats(tokens):
        release.wait(10)
        return counting(tokens)

    monkeypatch.setattr(module, "run_stats", slow_stats)
    order: list[str] = []
    window.runs.painted.connect(lambda _: order.append("painted"))
    window.runs.statsReady.connect(lambda stats: order.append(f"stats {stats is not None}"))
    with qtbot.waitSignal(window.runs.painted, timeout=10000):
        qtbot.keyClick(window.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert order == ["painted"]  # coloured while the statistics are still being counted
    assert window.runs.span.layout is not None
    with qtbot.waitSignal(window.runs.statsReady, timeout=10000):
        release.set()
    assert order == ["painted", "stats True"]
    assert "Perplexity" in window.tokens.details.stats.text()


def test_hover_shows_probability_and_alternatives(qtbot, window):
    run_and_wait(qtbot, window)
    editor = window.prompt
    span = window.runs.span
    point = editor.unit_point(span, 2)  # " world"
    with qtbot.waitSignal(editor.unitHovered, timeout=2000) as hovered:
        qtbot.mouseMove(editor.viewport(), point)
    assert hovered.args == [span, 2]
    tip = QToolTip.text()
    assert "“ world”" in tip and "%" in tip
    assert "top 3 cover" in tip


def test_click_an_alternative_in_the_document_forks_and_nothing_is_lost(qtbot, window, api):
    run_and_wait(qtbot, window)
    editor = window.prompt
    original = editor.text()
    span = window.runs.span
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=editor.unit_point(span, 2))
    details = window.tokens.details
    assert window.tokens_dock.isVisible()
    # Built on this click, after the run: no forks yet, so no (empty) branches list.
    assert details.isVisible() and window.tokens.branches.isHidden()
    items = details.alternative_items()
    assert len(items) == 3
    alternative = next(i for i in items if i.data(Qt.ItemDataRole.UserRole) != " world")
    alt_text = alternative.data(Qt.ItemDataRole.UserRole)
    lst = details.alternatives
    with (
        qtbot.waitSignal(window.runs.painted, timeout=10000),
        qtbot.waitSignal(window.controller.runFinished, timeout=10000),
    ):
        qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton,
                         pos=lst.visualItemRect(alternative).center())  # fmt: skip
    sent = api.last_completion().body
    assert sent["prompt"] == "Say hi" + "Hello," + alt_text
    assert "n" not in sent and "echo" not in sent and sent["logprobs"] == 3
    forked = editor.text()
    assert forked.startswith("Say hi" + "Hello," + alt_text) and forked != original
    _, texts = span_units(window)
    assert texts[2] == alt_text  # the forced token is coloured too
    # One undo step takes the fork back out, the original returns with its colours.
    window.undo_action.trigger()
    assert editor.text() == original
    window.redo_action.trigger()
    assert editor.text() == forked
    panel = window.tokens.branches
    assert panel.isVisible() and panel.topLevelItemCount() == 1
    root = panel.topLevelItem(0)
    assert root.childCount() == 1 and alt_text in root.child(0).text(0)
    # Walk back to the original: it is unchanged.
    qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.visualItemRect(root).center())  # fmt: skip
    assert editor.text() == original
    child = panel.topLevelItem(0).child(0)
    qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.visualItemRect(child).center())  # fmt: skip
    assert editor.text() == forked


def test_right_click_a_token_forks_from_its_context_menu(qtbot, window, api):
    run_and_wait(qtbot, window)
    editor = window.prompt
    span = window.runs.span
    point = editor.unit_point(span, 2)  # " world"
    with qtbot.waitSignal(editor.unitMenuRequested, timeout=2000) as asked:
        event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point,
                                  editor.viewport().mapToGlobal(point))  # fmt: skip
        QApplication.sendEvent(editor.viewport(), event)
    menu = asked.args[0]
    forks = next(a.menu() for a in menu.actions() if a.menu() is not None)
    assert forks.title() == "Fork from this token" and forks.isEnabled()
    entries = [a.text() for a in forks.actions()]
    assert len(entries) == 3 and all("%" in e for e in entries)
    alt = next(a for a in forks.actions() if not a.text().startswith("“ world”"))
    with (
        qtbot.waitSignal(window.runs.painted, timeout=10000),
        qtbot.waitSignal(window.controller.runFinished, timeout=10000),
    ):
        alt.trigger()
    menu.close()
    sent = api.last_completion().body["prompt"]
    assert sent.startswith("Say hi" + "Hello,") and sent != "Say hi" + "Hello, world"
    assert editor.text().startswith(sent)


def test_n_choices_side_by_side_with_use_this(qtbot, window, api):
    window.parameters.n.set_value(3)
    result = run_and_wait(qtbot, window)
    assert len(result.choices) == 3
    window.output_dock.show()
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
    assert window.prompt.toPlainText() == "Say hi" + output.text(0)
    output.side_by_side.setChecked(False)
    assert output.tabs.count() == 3


def test_the_choices_token_details_stay_readable_in_a_narrow_dock(qtbot, window, api):
    """Beside the choices the details were squeezed to ~70 px (their text cut, under
    them an always-empty branches list): they keep 200 px, and the branches are only
    the document's (the window's Tokens panel)."""
    from PySide6.QtWidgets import QTreeWidget

    window.parameters.n.set_value(2)
    run_and_wait(qtbot, window)
    window.resize(1024, 700)
    # The two bottom docks are tabs; dragged apart, they share the width.
    window.removeDockWidget(window.output_dock)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, window.output_dock)
    window.splitDockWidget(window.history_dock, window.output_dock, Qt.Orientation.Horizontal)
    window.history_dock.show()
    window.output_dock.show()
    output = window.output
    qtbot.waitUntil(output.details.isVisible)
    QApplication.processEvents()
    assert output.details.width() >= 200
    assert not output.findChildren(QTreeWidget)


def test_the_choices_statistics_are_never_cut_off_in_a_short_dock(qtbot, window, api):
    """Beside the choices, in the output dock's default height, the run's statistics under
    the alternatives were cut at the dock's bottom edge: the details scroll instead, and
    the panels have the style's margins (they touched the window's edges)."""
    from PySide6.QtWidgets import QStyle

    window.parameters.n.set_value(2)
    window.resize(1280, 800)
    run_and_wait(qtbot, window)
    window.output_dock.show()
    window.output_dock.raise_()
    window.tokens_dock.show()
    window.tokens_dock.raise_()
    output = window.output
    qtbot.waitUntil(output.details_area.isVisible)
    qtbot.waitUntil(lambda: bool(output.details.stats.text()))
    QApplication.processEvents()
    details, stats = output.details, output.details.stats
    assert stats.height() >= stats.heightForWidth(stats.width())  # all its lines
    assert stats.geometry().bottom() < details.height()  # inside the scrolled panel
    margin = window.style().pixelMetric(QStyle.PixelMetric.PM_LayoutLeftMargin)
    assert output.layout().contentsMargins().left() == margin > 0
    assert window.tokens.contentsMargins().right() == margin


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
