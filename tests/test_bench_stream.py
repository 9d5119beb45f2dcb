"""``bench/stream.py``'s Qt floor: what it gives Qt is what the document gives Qt.

The floor (Qt's own time to take a run's text) is only a floor if it lays out the blocks the
document makes; these tests keep the two together. Its time is printed by the bench, never
asserted here.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from app.ui.document.editor import DocumentEditor

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def stream():
    sys.path.insert(0, str(BENCH))  # the bench imports its neighbour machine.py
    spec = importlib.util.spec_from_file_location("bench_stream", BENCH / "stream.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)
        sys.path.remove(str(BENCH))


TEXTS = [
    "short line\n" * 50,  # no soft breaks at all
    ("word " * 2000 + "\n") * 3,  # long lines cut after spaces
    "x" * 9000 + "\nend",  # a long line without spaces, then a short one
]


@pytest.mark.parametrize("text", TEXTS, ids=["lines", "words", "no-spaces"])
def test_the_floor_has_the_documents_blocks(qtbot, stream, text):
    editor = DocumentEditor()
    qtbot.addWidget(editor)
    editor.write(editor.begin_completion(), text)
    document = editor.document()
    shown = [document.findBlockByNumber(i).text() for i in range(document.blockCount())]
    assert stream.with_soft_breaks(text).split("\n") == shown
    assert editor.text() == text  # the soft breaks are not in the text


def test_the_floor_inserts_all_of_the_text(qtbot, stream, monkeypatch):
    from PySide6.QtWidgets import QPlainTextEdit

    made: list[QPlainTextEdit] = []
    real = QPlainTextEdit.__init__

    def keep(self, *args):
        real(self, *args)
        made.append(self)

    monkeypatch.setattr(QPlainTextEdit, "__init__", keep)
    text = TEXTS[1] + TEXTS[2]
    assert stream.qt_floor(text, 7, (600, 400)) > 0
    (editor,) = made
    assert editor.toPlainText() == stream.with_soft_breaks(text)
