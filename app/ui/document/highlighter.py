"""Colours of the document: generated text tinted, tokens by probability, a scored prompt.

One :class:`QSyntaxHighlighter` paints every layer, block by block: Qt calls it for blocks
whose text changed, and the editor for the blocks on screen when the colours change
(:meth:`~app.ui.document.editor.DocumentEditor.invalidate_colours`; the others when they
are scrolled into view). The work per block is bounded by the block's length (soft breaks
keep blocks short), so colouring never costs time proportional to the whole text. Formats
are cached per probability step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from app.ui.analysis.token_view import ProbabilityMode, probability_colour
from app.ui.document.spans import COMPLETION, SCORE, Span

__all__ = ["DocumentHighlighter", "generated_tint"]

_STEPS = 20


def generated_tint(dark: bool) -> QColor:
    """The background of generated text (before any probability colouring)."""
    return QColor(64, 160, 255, 46) if dark else QColor(0, 120, 215, 30)


class DocumentHighlighter(QSyntaxHighlighter):
    def __init__(
        self, document: QTextDocument, spans: Callable[[int, int], Sequence[Span]]
    ) -> None:
        super().__init__(document)
        self._spans = spans
        self.mode = ProbabilityMode.OFF
        self.dark = False
        self.tinted = True
        self._formats: dict[tuple[int, int], QTextCharFormat | None] = {}
        self._tint = QTextCharFormat()
        self._tint.setBackground(generated_tint(False))
        #: Told the number of every block coloured (the editor skips those on screen).
        self.coloured: Callable[[int], None] = lambda number: None

    def configure(self, mode: ProbabilityMode, dark: bool) -> None:
        self.mode, self.dark = mode, dark
        self._formats.clear()
        self._tint = QTextCharFormat()
        self._tint.setBackground(generated_tint(dark))

    def _format(self, probability: float, mode: ProbabilityMode) -> QTextCharFormat | None:
        key = (int(mode), round(probability * _STEPS))
        if key not in self._formats:
            colour = probability_colour(key[1] / _STEPS, mode, self.dark)
            fmt = None
            if colour is not None:
                fmt = QTextCharFormat()
                fmt.setBackground(colour)
            self._formats[key] = fmt
        return self._formats[key]

    def highlightBlock(self, text: str) -> None:
        block = self.currentBlock()
        self.coloured(block.blockNumber())
        first = block.position()
        # Document positions count UTF-16 units: an emoji is two of them, one in ``text``.
        last = first + block.length() - 1
        for span in self._spans(first, last):
            start, end = max(span.start, first), min(span.end, last)
            if end <= start and not (span.start == span.end == first):
                continue
            if span.kind == COMPLETION and self.tinted:
                self.setFormat(start - first, end - start, self._tint)
            mode = ProbabilityMode.FULL if span.kind == SCORE else self.mode
            layout = span.layout
            if layout is None or mode == ProbabilityMode.OFF:
                continue
            probabilities = layout.probabilities
            for k in span.units_in(start, end):
                p = probabilities[k]
                if p is None or p != p:  # None, or NaN in a compacted layout
                    continue
                fmt = self._format(p, mode)
                if fmt is None:
                    continue
                unit_start, unit_end = span.unit_range(k)
                lo, hi = max(unit_start, start), min(unit_end, end)
                if hi > lo:
                    self.setFormat(lo - first, hi - lo, fmt)
