"""Show text from a server, a file or the user literally, never as rich text.

Qt guesses the format of label and tooltip text (``Qt::mightBeRichText``): a string
whose first line holds a known tag, such as an error body ``<h1>Session expired</h1>``,
a model id ``<a href=…>`` or ``<img src="file:///…">``, is drawn as HTML (links, styled
text, local images; ``file:///dev/zero`` even aborts the app). Every widget that can show
such text uses these helpers:

* :func:`plain_label` / :func:`set_plain` / :func:`make_labels_plain`: labels whose text
  format is :attr:`Qt.TextFormat.PlainText`, so whatever text they get is shown as is.
* :func:`plain_tooltip`: tooltips have no format setting; the text is escaped and wrapped
  in a paragraph (so it *is* rich text, on purpose) that keeps spaces and line breaks.
* :func:`escape_mnemonic`: button and action texts are plain, but ``&`` marks a keyboard
  mnemonic; dynamic parts double it so it is shown.

A label that must stay rich (About) escapes every dynamic value with :func:`escape_html`.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QWidget

__all__ = [
    "ElidedLabel",
    "escape_html",
    "escape_mnemonic",
    "make_labels_plain",
    "plain_label",
    "plain_tooltip",
    "set_plain",
]


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that shows any text it is given literally (PlainText format)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def set_plain(label: QLabel, text: str) -> None:
    """Show ``text`` in ``label`` literally (switches the label to PlainText for good)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)


def make_labels_plain(widget: QWidget) -> None:
    """Switch every QLabel inside ``widget`` (e.g. a QInputDialog's prompt) to PlainText."""
    for label in widget.findChildren(QLabel):
        label.setTextFormat(Qt.TextFormat.PlainText)


#: What ``html.escape(text, quote=False)`` replaces (the ``html`` module imports its table
#: of 2,231 entities, ~2.4 ms of every start-up, for these three).
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape_html(text: str) -> str:
    """``text`` for the content of an element of rich text: ``&``, ``<`` and ``>`` escaped."""
    return text.translate(_ESCAPES)


def plain_tooltip(text: str) -> str:
    """A tooltip string that Qt shows as ``text`` exactly: escaped, spaces and newlines kept.

    Tooltips are always format-guessed, so the result is explicit rich text (a ``<p>``)
    holding nothing but the escaped characters; an empty ``text`` stays empty (no tooltip).
    """
    if not text:
        return ""
    return "<p style='white-space:pre-wrap'>" + escape_html(text) + "</p>"


def escape_mnemonic(text: str) -> str:
    """``text`` for a button or action label: ``&`` doubled so it shows (not a mnemonic)."""
    return text.replace("&", "&&")


class ElidedLabel(QLabel):
    """A plain-text label that never asks for more width than it has: a long text (an
    unreachable URL, a server's sentence) is cut with "…" and shown whole in its tooltip,
    so it can never widen the window."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(plain_tooltip(text) if len(text) > 40 else "")
        self.update()

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 40), hint.height())

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(min(hint.width(), 480), hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        first_line = self.text().split("\n", 1)[0]
        shown = self.fontMetrics().elidedText(first_line, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, int(self.alignment() | Qt.AlignmentFlag.AlignVCenter), shown)
        painter.end()  # now, not when the wrapper goes (a profiler may hold the frame)
