"""A read-only text view that colours tokens by probability and tells what is under the mouse.

Colouring is a :class:`QSyntaxHighlighter` over the token units of
:mod:`app.core.token_units` (one format per unit, formats cached per probability step),
so a 10,000-token run is coloured in one pass without touching the text. Modes follow
the old OpenAI playground: Off, Most likely, Least likely, Full spectrum. Hovering shows
the token's probability and the top alternatives; clicking a token emits
:attr:`TokenTextView.unitClicked` (the details panel then offers its alternatives).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from enum import IntEnum
from itertools import accumulate

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Signal
from PySide6.QtGui import (
    QColor,
    QMouseEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from app.core.logprobs import TokenLogprob
from app.core.token_units import TokenUnit, align
from app.ui.common.editor_font import mark_editor
from app.ui.common.plain import escape_html
from app.ui.common.theme import is_dark
from app.ui.common.viewport import viewport

__all__ = [
    "ProbabilityMode",
    "TokenTextView",
    "describe_probability",
    "describe_token",
    "probability_colour",
    "visible_token",
]

_STEPS = 20


class ProbabilityMode(IntEnum):
    OFF = 0
    MOST_LIKELY = 1
    LEAST_LIKELY = 2
    FULL = 3

    def label(self) -> str:
        return {
            ProbabilityMode.OFF: QCoreApplication.translate("ProbabilityMode", "Off"),
            ProbabilityMode.MOST_LIKELY: QCoreApplication.translate(
                "ProbabilityMode", "Most likely"
            ),
            ProbabilityMode.LEAST_LIKELY: QCoreApplication.translate(
                "ProbabilityMode", "Least likely"
            ),
            ProbabilityMode.FULL: QCoreApplication.translate("ProbabilityMode", "Full spectrum"),
        }[self]


def probability_colour(probability: float, mode: ProbabilityMode, dark: bool) -> QColor | None:
    """Background for a token: light tints on light themes, deep tints on dark ones."""
    p = min(1.0, max(0.0, probability))
    if mode == ProbabilityMode.FULL:
        hue = p / 3.0  # 0 = red … 1/3 = green
        return QColor.fromHsvF(hue, 0.55, 0.42) if dark else QColor.fromHsvF(hue, 0.38, 1.0)
    if mode == ProbabilityMode.MOST_LIKELY:
        strength = p
        base = QColor(46, 160, 67) if not dark else QColor(38, 166, 65)
    elif mode == ProbabilityMode.LEAST_LIKELY:
        strength = 1.0 - p
        base = QColor(215, 58, 73) if not dark else QColor(248, 81, 73)
    else:
        return None
    if strength < 0.05:
        return None
    base.setAlphaF(0.12 + 0.55 * strength)
    return base


def visible_token(token: str) -> str:
    """A token as shown in tooltips and lists: quotes, escaped newlines and tabs."""
    return "“" + token.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r") + "”"


def describe_probability(shown: str, probability: float | None) -> str:
    """Hover text of an older completion's token: its probability (rich text, escaped)."""
    lines = [f"<b>{escape_html(visible_token(shown))}</b>"]
    if probability is not None:
        lines.append(
            QCoreApplication.translate("TokenTextView", "probability {0:.2%}").format(probability)
        )
    lines.append(QCoreApplication.translate("TokenTextView", "click for the alternatives"))
    return "<br>".join(lines)


def describe_token(shown: str, unit: TokenUnit, token: TokenLogprob) -> str:
    """Hover text (rich text; every token escaped): the token, its probability, the top
    alternatives with their probabilities and how much they cover."""
    lines = [f"<b>{escape_html(visible_token(shown if unit.size > 1 else token.token))}</b>"]
    p = unit.probability
    if p is None:
        lines.append(
            QCoreApplication.translate("TokenTextView", "no probability (first token of an echo)")
        )
    else:
        lines.append(
            QCoreApplication.translate(
                "TokenTextView", "probability {0:.2%} (logprob {1:.3f})"
            ).format(p, unit.logprob)
        )
    if unit.size > 1:
        lines.append(
            QCoreApplication.translate("TokenTextView", "{0} tokens make up this text").format(
                unit.size
            )
        )
    from app.core.token_stats import alternatives  # with the first run's tokens

    pairs, covered = alternatives(token)
    if pairs:
        rows = "".join(
            f"<tr><td>{escape_html(visible_token(t))}</td><td align='right'>{prob:.2%}</td></tr>"
            for t, prob in pairs
        )
        lines.append(f"<table>{rows}</table>")
        lines.append(
            QCoreApplication.translate("TokenTextView", "top {0} cover {1:.1%}").format(
                len(pairs), covered
            )
        )
    return "<br>".join(lines)


class _Highlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.starts: list[int] = []  # UTF-16 positions, as the document counts
        self.ends: list[int] = []
        self.probs: list[float | None] = []
        self.mode = ProbabilityMode.OFF
        self.dark = False
        self._formats: dict[int, QTextCharFormat | None] = {}

    def configure(self, mode: ProbabilityMode, dark: bool) -> None:
        self.mode, self.dark = mode, dark
        self._formats.clear()

    def _format(self, probability: float) -> QTextCharFormat | None:
        step = round(probability * _STEPS)
        if step not in self._formats:
            colour = probability_colour(step / _STEPS, self.mode, self.dark)
            fmt = None
            if colour is not None:
                fmt = QTextCharFormat()
                fmt.setBackground(colour)
            self._formats[step] = fmt
        return self._formats[step]

    def highlightBlock(self, text: str) -> None:
        if self.mode == ProbabilityMode.OFF or not self.starts:
            return
        block = self.currentBlock()
        block_start = block.position()
        block_end = block_start + block.length() - 1  # UTF-16 units, as the positions
        k = max(0, bisect_right(self.starts, block_start) - 1)
        starts, ends, probs = self.starts, self.ends, self.probs
        while k < len(starts) and starts[k] < block_end:
            p = probs[k]
            if p is not None and ends[k] > block_start:
                fmt = self._format(p)
                if fmt is not None:
                    start = max(starts[k], block_start)
                    self.setFormat(start - block_start, min(ends[k], block_end) - start, fmt)
            k += 1


def _utf16_positions(text: str) -> list[int] | None:
    """UTF-16 offset of every character boundary, or ``None`` when they are the same."""
    if len(text.encode("utf-16-le")) == 2 * len(text):
        return None
    return [0, *accumulate(2 if ord(c) > 0xFFFF else 1 for c in text)]


class TokenTextView(QPlainTextEdit):
    """One choice's text with its token units; streaming text is appended by the owner."""

    unitHovered = Signal(int)
    unitClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        mark_editor(self)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setUndoRedoEnabled(False)
        self.setMouseTracking(True)
        viewport(self).setMouseTracking(True)  # wrapped cheaply before Qt hands it over
        self.tokens: list[TokenLogprob] = []
        self.units: list[TokenUnit] = []
        self._highlighter = _Highlighter(self.document())
        self._mode = ProbabilityMode.OFF
        self._hovered: int | None = None
        self._press: QPoint | None = None

    # -- content -------------------------------------------------------------------------

    def set_tokens(self, tokens: Sequence[TokenLogprob]) -> None:
        """Line up ``tokens`` with the text shown now and colour them (if a mode is on)."""
        text = self.toPlainText()
        self.tokens = list(tokens)
        self.units = align(text, self.tokens) if self.tokens else []
        utf16 = _utf16_positions(text) if self.units else None
        h = self._highlighter
        if utf16 is None:
            h.starts = [u.start for u in self.units]
            h.ends = [u.end for u in self.units]
        else:
            h.starts = [utf16[u.start] for u in self.units]
            h.ends = [utf16[u.end] for u in self.units]
        h.probs = [u.probability for u in self.units]
        self._hovered = None
        if self._mode != ProbabilityMode.OFF:
            h.rehighlight()

    def clear_tokens(self) -> None:
        self.set_tokens([])

    def set_mode(self, mode: ProbabilityMode) -> None:
        self._mode = mode
        self._highlighter.configure(mode, is_dark(self.palette()))
        self._highlighter.rehighlight()

    def changeEvent(self, event: QEvent) -> None:
        """Re-colour the tokens when the theme (palette) changes."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._mode != ProbabilityMode.OFF:
            self.set_mode(self._mode)

    @property
    def mode(self) -> ProbabilityMode:
        return self._mode

    # -- geometry ------------------------------------------------------------------------

    def unit_at(self, pos: QPoint) -> int | None:
        """The unit under a viewport position, or ``None``."""
        if not self.units:
            return None
        cursor = self.cursorForPosition(pos)
        q = cursor.position()
        rect = self.cursorRect(cursor)
        if abs(rect.center().y() - pos.y()) > rect.height():
            return None
        h = self._highlighter
        # The character under the pointer is the one before or after the cursor position.
        for candidate in (q, q - 1) if rect.center().x() <= pos.x() else (q - 1, q):
            k = bisect_right(h.starts, candidate) - 1
            if 0 <= k < len(h.starts) and h.starts[k] <= candidate < h.ends[k]:
                return k
        return None

    def unit_point(self, index: int) -> QPoint:
        """A viewport point inside unit ``index`` (for tests and keyboard users)."""
        h = self._highlighter
        start, end = h.starts[index], h.ends[index]
        cursor = QTextCursor(self.document())
        cursor.setPosition(start + (end - start) // 2)
        rect = self.cursorRect(cursor)
        if end - start <= 1:
            cursor.setPosition(start)
            left = self.cursorRect(cursor)
            cursor.setPosition(end)
            right = self.cursorRect(cursor)
            return QPoint((left.center().x() + right.center().x()) // 2, left.center().y())
        return rect.center()

    # -- hover and click -----------------------------------------------------------------

    def describe_unit(self, index: int) -> str:
        """Tooltip HTML: the token, its probability, the alternatives and their coverage."""
        unit = self.units[index]
        token = self.tokens[unit.first]
        shown = self.toPlainText()[unit.start : unit.end] if unit.size > 1 else token.token
        return describe_token(shown, unit, token)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        index = self.unit_at(event.position().toPoint())
        if index != self._hovered:
            self._hovered = index
            if index is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(
                    event.globalPosition().toPoint(), self.describe_unit(index), self.viewport()
                )
                self.unitHovered.emit(index)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        pos = event.position().toPoint()
        press, self._press = self._press, None
        if press is None or (press - pos).manhattanLength() > 4:
            return  # a drag selects text
        index = self.unit_at(pos)
        if index is not None:
            self.unitClicked.emit(index)
