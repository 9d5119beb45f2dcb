"""The Tokens panel: the clicked token's details above the run's branches.

The document's window builds it the first time it is shown or used (it sits in a tab
behind the parameters at start-up).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QStyle, QWidget

from app.ui.analysis.branch_panel import BranchPanel
from app.ui.analysis.token_details import TokenDetails

__all__ = ["TokenSide"]


class TokenSide(QSplitter):
    """``details`` (a token's probability, alternatives and fork, the run's statistics)
    above ``branches`` (the run's choices and forks)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        style = self.style()
        metric = QStyle.PixelMetric
        self.setContentsMargins(  # the style's layout margins, as the other panels have
            style.pixelMetric(metric.PM_LayoutLeftMargin),
            style.pixelMetric(metric.PM_LayoutTopMargin),
            style.pixelMetric(metric.PM_LayoutRightMargin),
            style.pixelMetric(metric.PM_LayoutBottomMargin),
        )
        self.details = TokenDetails()
        self.branches = BranchPanel()
        self.addWidget(self.details)
        self.addWidget(self.branches)
