"""Status-bar figures of the last run: finish reason, usage, time to first token, tokens/s.

Long texts are elided (whole in the tooltip), so the status line never widens the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QStatusBar, QWidget

from app.ui.common.plain import ElidedLabel, plain_label

if TYPE_CHECKING:
    from app.core.result import CompletionResult

__all__ = ["RunStatus"]


class RunStatus(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Server text (errors, model ids, finish reasons, usage) lands here: plain labels.
        self.state = ElidedLabel(self.tr("Ready"))
        self.finish = ElidedLabel()
        self.usage = plain_label()
        self.ttft = plain_label()
        self.speed = plain_label()
        self.addWidget(self.state, 1)
        for label in (self.finish, self.usage, self.ttft, self.speed):
            self.addPermanentWidget(label)

    def show_state(self, text: str) -> None:
        """What is going on now (elided when long: the status line never widens the window)."""
        self.state.setText(text)

    def running(self) -> None:
        self.state.setText(self.tr("Running…"))
        for label in (self.finish, self.usage, self.ttft, self.speed):
            label.clear()

    def show_result(self, result: CompletionResult) -> None:
        if result.cancelled:
            self.state.setText(self.tr("Stopped"))
        elif result.error is not None:
            self.state.setText(self.tr("Failed"))
        else:
            self.state.setText(self.tr("Done"))
        reasons = ", ".join(c.finish_reason or "—" for c in result.ordered_choices)
        self.finish.setText(self.tr("finish: {0}").format(reasons) if reasons else "")
        if result.usage:
            u = result.usage
            self.usage.setText(
                self.tr("tokens: {0} prompt + {1} completion = {2}").format(
                    u.get("prompt_tokens", "?"),
                    u.get("completion_tokens", "?"),
                    u.get("total_tokens", "?"),
                )
            )
        elif result.ok:
            self.usage.setText(self.tr("usage not reported"))
        ttft = result.timings.time_to_first_token
        self.ttft.setText(self.tr("first token {0:.0f} ms").format(ttft * 1000) if ttft else "")
        tps = result.tokens_per_second
        total = result.timings.total
        if tps:
            self.speed.setText(self.tr("{0:.1f} tokens/s").format(tps))
        else:  # a rate needs real arrival times (a streamed answer over several reads)
            self.speed.setText(self.tr("total {0:.2f} s").format(total) if total else "")
