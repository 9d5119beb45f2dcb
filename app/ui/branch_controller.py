"""Forks in the window: click a token, click an alternative, and a new branch streams in.

Keeps the :class:`BranchTree` of the last run (or of a run restored from history), shows
any branch again when it is picked in the branch list, and gives each pane its tokens
when a run or fork ends. The original output is never changed by a fork.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from app.core.branches import Branch, BranchTree, ForkError
from app.core.request import CompletionRequest
from app.core.result import CompletionResult
from app.ui.message_area import Severity

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

__all__ = ["BranchController"]


class BranchController(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.tree: BranchTree | None = None
        #: Branch id shown in each output pane.
        self.shown: list[int] = []
        self.pending: Branch | None = None
        self._selected: tuple[int, int] | None = None
        output = window.output
        output.unitClicked.connect(self._on_unit_clicked)
        output.details.forkRequested.connect(self.fork)
        output.branches.branchSelected.connect(self.show_branch)
        window.controller.runStarted.connect(self._on_started)
        window.controller.runFinished.connect(self._on_finished)
        self._before: tuple[BranchTree | None, list[int]] = (None, [])

    # -- runs ------------------------------------------------------------------------

    def _on_started(self, _request: CompletionRequest) -> None:
        if self.pending is None:
            self._before = (self.tree, list(self.shown))

    def _on_finished(self, result: CompletionResult) -> None:
        request = self.window.controller.last_request
        before = self._before
        if self.pending is not None:
            branch, self.pending = self.pending, None
            branch.result = result
            self._show([branch.id])
            label = self.tr("Fork")
        elif request is None:
            return
        else:
            self.set_run(request, result)
            label = self.tr("Run")
        after = (self.tree, list(self.shown))
        self.window.undo.push_run(self.restore_view, before, after, label)

    def restore_view(self, state: tuple[BranchTree | None, list[int]]) -> None:
        """Show a saved output state again (undo/redo of runs)."""
        if self.window.controller.is_running:
            return
        tree, shown = state
        self.tree = tree
        if tree is None or not shown:
            self.shown = []
            self.window.output.reset(1)
            self.window.output.branches.set_tree(None)
            self.window.output.branches.hide()
            return
        self._show(shown)

    def set_run(self, request: CompletionRequest, result: CompletionResult) -> None:
        """A new run (or one restored from history): a new tree with its choices as roots."""
        self.tree = BranchTree(request, result)
        self._show([b.id for b in self.tree.roots])

    def _show(self, ids: list[int]) -> None:
        tree = self.tree
        if tree is None:
            return
        output = self.window.output
        branches = [tree.branches[i] for i in ids]
        if output.count() != len(branches) or any(
            output.text(k) != b.text for k, b in enumerate(branches)
        ):
            output.reset(len(branches))
            for k, branch in enumerate(branches):
                output.set_text(k, branch.text)
        self.shown = ids
        for k, branch in enumerate(branches):
            output.show_tokens(k, branch.tokens, branch.finish_reason)
        forked = len(tree.branches) > len(tree.roots)
        output.branches.set_tree(tree if forked else None, ids[0] if len(ids) == 1 else None)
        output.branches.setVisible(forked)

    def show_branch(self, branch_id: int) -> None:
        if self.tree is None or self.window.controller.is_running:
            return
        branch = self.tree.branches[branch_id]
        if branch.parent is None:
            self._show([b.id for b in self.tree.roots])
            self.window.output.setCurrentIndex(self.tree.roots.index(branch))
        else:
            self._show([branch_id])

    # -- forks -----------------------------------------------------------------------

    def _on_unit_clicked(self, pane: int, unit: int) -> None:
        self._selected = (pane, unit)

    def fork(self, alternative: str, probability: float) -> None:
        """Fork the clicked token's branch with ``alternative`` and run the continuation."""
        window = self.window
        if self.tree is None or self._selected is None or window.controller.is_running:
            return
        pane, unit_index = self._selected
        if pane >= len(self.shown):
            return
        view = window.output.pane(pane)
        if unit_index >= len(view.units):
            return
        profile = window.controller.last_profile or window.profiles.current
        try:
            branch, request = self.tree.fork(
                self.shown[pane], view.units[unit_index], alternative, probability
            )
        except ForkError as exc:
            window.messages.show_message(str(exc), Severity.WARNING)
            return
        self._before = (self.tree, list(self.shown))
        self.pending = branch
        self._selected = None
        self.shown = [branch.id]
        window.start_run(profile, request, prefix=branch.prefix)
        window.output.branches.set_tree(self.tree, branch.id)
        window.output.branches.show()
