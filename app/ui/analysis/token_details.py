"""The side panel for a clicked token: its alternatives (click one to fork) and run statistics."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.core.logprobs import TokenLogprob
from app.core.token_stats import RunStats, alternatives
from app.core.token_units import TokenUnit
from app.ui.analysis.token_view import visible_token

__all__ = ["TokenDetails"]

_ALT_ROLE = Qt.ItemDataRole.UserRole
_PROB_ROLE = Qt.ItemDataRole.UserRole + 1


class TokenDetails(QWidget):
    """Shows one token unit; ``forkRequested(alternative, probability)`` on a click."""

    forkRequested = Signal(str, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self.tr("Click a token to see its alternatives."))
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.alternatives = QListWidget()
        self.alternatives.setAccessibleName(self.tr("Alternative tokens"))
        self.alternatives.setToolTip(
            self.tr("Click an alternative to fork: generation continues from it.")
        )
        # Three lines at the least: in a short dock the statistics under it stay in view.
        self.alternatives.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 8)
        self.alternatives.itemClicked.connect(self._on_clicked)
        self.alternatives.itemActivated.connect(self._on_clicked)
        self.stats = QLabel()
        self.stats.setWordWrap(True)
        self.stats.setTextFormat(Qt.TextFormat.PlainText)
        self.stats.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.title)
        layout.addWidget(self.alternatives, 1)
        layout.addWidget(self.stats)
        self.can_fork = True

    def show_unit(self, unit: TokenUnit, token: TokenLogprob, text: str) -> None:
        self.alternatives.clear()
        p = unit.probability
        title = visible_token(text)
        if p is not None:
            title += " — " + self.tr("{0:.2%}").format(p)
        self.title.setText(title)
        pairs, covered = alternatives(token)
        for alt, prob in pairs:
            item = QListWidgetItem(f"{visible_token(alt)}  {prob:.2%}")
            item.setData(_ALT_ROLE, alt)
            item.setData(_PROB_ROLE, prob)
            if alt == token.token:
                item.setToolTip(self.tr("The token the model chose"))
            self.alternatives.addItem(item)
        if pairs:
            self.alternatives.setToolTip(
                self.tr("Top {0} cover {1:.1%}. Click one to fork from it.").format(
                    len(pairs), covered
                )
            )

    def clear_unit(self) -> None:
        self.alternatives.clear()
        self.title.setText(self.tr("Click a token to see its alternatives."))

    def show_stats(self, stats: RunStats | None) -> None:
        if stats is None or stats.mean_logprob is None:
            self.stats.setText("")
            return
        lines = [
            self.tr("Mean logprob: {0:.3f}").format(stats.mean_logprob),
            self.tr("Perplexity: {0:.2f}").format(stats.perplexity or 0.0),
        ]
        if stats.mean_entropy is not None:
            lines.append(self.tr("Mean entropy ≥ {0:.2f} nats (top-k)").format(stats.mean_entropy))
        if stats.lowest:
            # Each token with its probability is kept on one line (no-break spaces, also
            # in a token like " leather"): the line wraps only between them.
            worst = ", ".join(
                f"{visible_token(t)} {p:.1%}".replace(" ", "\u00a0") for _, t, p in stats.lowest
            )
            lines.append(self.tr("Least likely: {0}").format(worst))
        self.stats.setText("\n".join(lines))

    def alternative_items(self) -> list[QListWidgetItem]:
        return [self.alternatives.item(i) for i in range(self.alternatives.count())]

    def _on_clicked(self, item: QListWidgetItem) -> None:
        if self.can_fork:
            self.forkRequested.emit(str(item.data(_ALT_ROLE)), float(item.data(_PROB_ROLE)))
