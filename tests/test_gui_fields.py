"""Editable model fields show the beginning of a name the program put there."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.ui.batch.variants import VariantRow
from app.ui.profiles.connection_bar import ConnectionBar

LONG = "SmolLM2-135M-Instruct-a-long-model-name-from-a-relay-Q4_K_M"


def test_a_batch_variant_shows_the_start_of_its_model(qtbot):
    row = VariantRow(0, ["Local model"])
    qtbot.addWidget(row)
    row.resize(420, 40)
    row.show()
    qtbot.waitExposed(row)
    row.set_model(LONG)
    edit = row.model.lineEdit()
    assert row.model.currentText() == LONG
    assert edit.cursorPosition() == 0  # Qt's default: at the end, the start scrolled away


def test_the_connection_bar_too_but_never_under_the_users_typing(qtbot):
    bar = ConnectionBar()
    qtbot.addWidget(bar)
    bar.resize(600, 40)
    bar.show()
    qtbot.waitExposed(bar)
    bar.set_models([LONG, "other"])
    edit = bar.model.lineEdit()
    assert bar.model_name() == LONG and edit.cursorPosition() == 0
    bar.model.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.end(False)
    qtbot.keyClicks(edit, "-x")
    assert bar.model_name() == LONG + "-x" and edit.cursorPosition() == len(LONG) + 2
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.cursorPosition() == len(LONG) + 1


def test_a_restored_custom_parameter_shows_its_start_and_typing_still_appends(qtbot):
    from app.ui.parameters.custom import CustomRow

    value = '{"type": "object", "properties": {"answer": {"type": "string"}}}'
    row = CustomRow("guided_json", value)
    qtbot.addWidget(row)
    row.resize(360, 40)
    row.show()
    qtbot.waitExposed(row)
    assert row.value_edit.text() == value and row.value_edit.cursorPosition() == 0
    row.value_edit.setText(value + " ")  # set again by the program (a preset, a session)
    assert row.value_edit.cursorPosition() == 0
    row.name_edit.clear()
    qtbot.keyClicks(row.name_edit, "top_k")  # keys go in order, with or without the focus
    assert row.name_edit.text() == "top_k"
