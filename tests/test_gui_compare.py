"""Compare in the real window: two targets stream concurrently, diff, history group."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from app.core.compare import CompareTarget, parse_overrides, split_words, word_diff
from app.core.profiles import Profile
from app.core.request import CompletionRequest
from tests.loopback_server import TOKENS


def test_word_diff_words_and_cjk():
    assert split_words("Hello, 你好 world") == ["Hello", ",", " ", "你", "好", " ", "world"]
    ops = word_diff("the cat sat", "the dog sat")
    assert ops == [("equal", "the "), ("delete", "cat"), ("insert", "dog"), ("equal", " sat")]
    assert word_diff("你好世界", "你好中国") == [
        ("equal", "你好"),
        ("delete", "世界"),
        ("insert", "中国"),
    ]


def test_overrides_are_checked():
    assert parse_overrides('{"temperature": 0.2, "stop": "\\n"}') == {
        "temperature": 0.2,
        "stop": "\n",
    }
    assert parse_overrides('{"top_k": 1, "my_field": [1]}') == {"top_k": 1, "my_field": [1]}
    for bad in ("[1]", '{"top_k": "x"}', '{"temperature": 9}', "{", '{"model": "m"}'):
        with pytest.raises(ValueError, match="parameters"):
            parse_overrides(bad)
    target = CompareTarget("p", "m2", {"temperature": 0.2, "stop": "x"})
    request = target.request(CompletionRequest(model="m1", prompt="hi", temperature=1.0))
    assert (request.model, request.temperature, request.stop) == ("m2", 0.2, ("x",))


@pytest.fixture
def window(open_window, api):
    slow = api.base_url(scenario="normal", delay=0.03)
    w = open_window(
        [
            Profile(name="relay A", base_url=slow, default_model="model-a"),
            Profile(name="relay B", base_url=slow, default_model="model-b"),
        ]
    )
    w.parameters.max_tokens.set_value(6)
    w.parameters.include_usage.setChecked(True)
    w.prompt.setPlainText("Compare me")
    return w


@pytest.mark.gui
def test_compare_two_targets_concurrently(qtbot, window, api):
    qtbot.keyClick(
        window,
        Qt.Key.Key_K,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    compare = window.compare_window
    assert compare is not None and compare.isVisible() and len(compare.columns) == 2
    a, b = compare.columns
    b.profile.setCurrentText("relay B")
    assert b.model.currentText() == "model-b"
    b.overrides.setText('{"temperature": 0.2, "n": 2}')
    arrivals: list[tuple[int, float]] = []
    original = compare._on_event
    compare._on_event = lambda i, e: (arrivals.append((i, time.monotonic())), original(i, e))
    api.clear()
    with qtbot.waitSignal(compare.finished, timeout=15000) as finished:
        qtbot.mouseClick(compare.run_button, Qt.MouseButton.LeftButton)
        assert not compare.run_button.isEnabled()
    group = finished.args[0]
    assert group.startswith("compare-")
    # Both requests went out, each with its own target.
    bodies = sorted((r.body for r in api.requests), key=lambda body: body["model"])
    assert [b_["model"] for b_ in bodies] == ["model-a", "model-b"]
    assert "temperature" in bodies[1] and bodies[1]["temperature"] == 0.2 and bodies[1]["n"] == 2
    # Concurrent: column 1 received text before column 0 had finished.
    first_b = min(t for i, t in arrivals if i == 1)
    last_a = max(t for i, t in arrivals if i == 0)
    assert first_b < last_a
    expected_a = "".join(TOKENS[j % len(TOKENS)] for j in range(6))
    assert a.output.toPlainText() == expected_a
    assert b.output.toPlainText() == expected_a  # choice 0 of B
    for column in (a, b):
        assert "finish: length" in column.figures.text()
        assert "tokens/s" in column.figures.text() and "usage" in column.figures.text()
    # The diff view compares the columns (identical text here: nothing inserted or deleted).
    assert all(op == "equal" for op, _ in compare.diff_ops)
    b.output.setPlainText(expected_a.replace("world", "there"))
    qtbot.mouseClick(compare.diff_button, Qt.MouseButton.LeftButton)
    assert ("delete", "world") in compare.diff_ops and ("insert", "there") in compare.diff_ops
    assert "<del" in compare.diff_view.toHtml() or "line-through" in compare.diff_view.toHtml()
    # Its colours follow the theme (light pink and green marks stayed in a dark window).
    from PySide6.QtWidgets import QApplication

    from app.ui.common.theme import apply_theme
    from app.ui.common.tones import BOXES, REMOVED

    light, dark = BOXES[REMOVED]
    assert light.background in compare.diff_view.toHtml()
    try:
        apply_theme(QApplication.instance(), "dark")
        qtbot.waitUntil(lambda: dark.background in compare.diff_view.toHtml())
    finally:
        apply_theme(QApplication.instance(), "system")
    qtbot.waitUntil(lambda: light.background in compare.diff_view.toHtml())
    # Saved to history as one group.
    panel = window.history
    qtbot.waitUntil(lambda: panel.table_model.rowCount() == 2, timeout=5000)
    records = [panel.store.get(row.id) for row in panel.table_model.rows]
    assert {r.group_id for r in records} == {group}
    assert {r.profile for r in records} == {"relay A", "relay B"}


@pytest.mark.gui
def test_compare_bad_overrides_are_reported(qtbot, window):
    compare = window.show_compare()
    compare.columns[1].overrides.setText("{oops")
    assert compare.run_all() == []
    assert "parameters" in compare.message.text()
    compare.add_button.click()
    compare.add_button.click()
    assert len(compare.columns) == 4 and not compare.add_button.isEnabled()
    compare.remove_button.click()
    assert len(compare.columns) == 3


@pytest.mark.gui
def test_a_flood_reaches_the_columns_in_frames_at_the_document_s_pace(qtbot, window, api):
    """Columns are written a frame at a time like the document (app/ui/runs/frames.py):
    edits bounded by frames, not tokens, and a text cut into frames arrives whole."""
    fast = api.base_url("fast")
    for name in ("relay A", "relay B"):
        profile = window.profiles.find(name)
        profile.base_url = fast
        window.profiles.save_profile(name, profile)
    window.parameters.max_tokens.set_value(3000)
    compare = window.show_compare()
    written: list[dict[int, str]] = []
    compare.frames.frame.connect(written.append)
    with qtbot.waitSignal(compare.finished, timeout=30000):
        compare.run_all()
    expected = "".join(TOKENS[j % len(TOKENS)] for j in range(3000))
    for column in compare.columns:
        assert column.output.toPlainText() == expected
    assert 0 < len(written) < 300  # 3000 tokens per column, far fewer edits
    streamed = "".join(texts.get(0, "") for texts in written)
    assert expected.startswith(streamed)  # in order; the rest came with the result
