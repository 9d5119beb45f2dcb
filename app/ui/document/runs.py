"""Runs in the document: the completion streams into the text, then gets its tokens.

:class:`DocumentRuns` connects the run controller to the document editor. A run writes its
choice into a new :class:`~app.ui.document.spans.Span` frame by frame (the editor is
read-only meanwhile; Esc stops and what arrived stays). When it ends, the token units are
computed off the GUI thread, and only the blocks on screen are coloured at once (the others
as they are scrolled into view), so a 500k-token run never freezes the window. The run's
branches (its choices and every fork) live in a :class:`~app.core.branches.BranchTree`:
picking a choice, a fork or a branch puts that text in place of the completion, as one
undoable edit; nothing is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.core.token_units import align
from app.ui.common.task_keeper import TaskKeeper
from app.ui.document.editor import DocumentEditor
from app.ui.document.spans import COMPLETION, Span, UnitLayout, layout_units
from app.ui.runs.controller import RunController

if TYPE_CHECKING:  # the run's modules: loaded with the first run, not at start-up
    from app.core.branches import Branch, BranchTree
    from app.core.history import HistoryStore
    from app.core.logprobs import TokenLogprob
    from app.core.request import CompletionRequest
    from app.core.result import CompletionResult
    from app.core.runs import RunOutcome, RunPlan
    from app.core.token_stats import RunStats

__all__ = ["DocumentRuns"]

#: Blocks painted per event-loop turn when a run's colours arrive.


class DocumentRuns(QObject):
    """Writes runs into the document and keeps their branches."""

    #: The run has ended and the document shows its text (RunOutcome).
    finished = Signal(object)
    #: The shown branch's colours are ready, or it has none (its Span).
    painted = Signal(object)
    #: The shown branch's token statistics, for the Tokens panel (RunStats, or None when it
    #: has no tokens): computed after its colours, which do not wait for them.
    statsReady = Signal(object)
    #: The tree or the shown branch changed (the branch list and the choice strip follow).
    branchesChanged = Signal()

    def __init__(
        self, editor: DocumentEditor, controller: RunController, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self.controller = controller
        self.span: Span | None = None
        self.tree: BranchTree | None = None
        #: The branch shown in :attr:`span`.
        self.shown: int | None = None
        self._plan: RunPlan | None = None
        self._pending: Branch | None = None
        self._choice = 0
        self._skip = 0
        self._run_number = 0
        self._tasks = TaskKeeper()
        #: Completions whose run is not in the history yet (its record id comes later).
        self._unrecorded: list[tuple[RunOutcome, Span]] = []
        controller.textReceived.connect(self._on_text)
        controller.runFinished.connect(self._on_finished)
        controller.runRecorded.connect(self._on_recorded)

    @property
    def is_running(self) -> bool:
        return self._plan is not None

    # -- starting -----------------------------------------------------------------------------

    def start(self, plan: RunPlan, insert_at: int | None) -> None:
        """Run ``plan``; its completion goes in at text offset ``insert_at`` (end: None)."""
        self._begin(plan)
        self.span = self.editor.begin_completion(insert_at, run=self._run_number)
        self.tree, self.shown = None, None
        self._go(plan)

    def regenerate(self, plan: RunPlan) -> None:
        """Run ``plan`` again in place of the last completion (one undo step with it)."""
        span = self.last_completion()
        if span is None:
            self.start(plan, None)
            return
        self._begin(plan)
        self.span = self.editor.begin_completion(replace=span, run=self._run_number)
        self.tree, self.shown = None, None
        self._go(plan)

    def fork(self, span: Span, unit: int, alternative: str, probability: float) -> bool:
        """Continue from ``alternative`` in place of token ``unit`` of ``span``: the text
        from that token on is replaced (one undo step) and the rest streams in."""
        if self.is_running or span is not self.span or self.tree is None or self.shown is None:
            return False
        layout = span.layout
        if layout is None:
            return False
        from app.core.branches import ForkError
        from app.core.runs import RunPlan

        token_unit = layout.units[unit]
        try:
            branch, request = self.tree.fork(self.shown, token_unit, alternative, probability)
        except ForkError:
            return False
        start, _ = span.unit_range(unit)
        prompt_end = self.editor.offset_of(span.start)
        request = request.with_changes(
            prompt=self.editor.text()[:prompt_end] + branch.prefix
            if isinstance(request.prompt, str)
            else request.prompt
        )
        assert self._last_plan is not None
        plan = RunPlan(self._last_plan.profile, request, self._last_plan.dropped)
        self._begin(plan)
        self._pending = branch
        self.shown = branch.id
        self.editor.continue_completion(span, start, alternative)
        self._skip = 0
        self.branchesChanged.emit()
        self._go(plan)
        return True

    def _begin(self, plan: RunPlan) -> None:
        self._compact_older()
        self._run_number += 1
        self._plan = plan
        self._last_plan = plan
        self._pending = None
        self._choice = 0
        prompt = plan.request.prompt
        echoed = plan.request.echo and isinstance(prompt, str)
        self._skip = len(prompt) if echoed else 0  # type: ignore[arg-type]

    def _go(self, plan: RunPlan) -> None:
        self.editor.setReadOnly(True)
        self.controller.start(plan)

    # -- streaming ------------------------------------------------------------------------------

    def _on_text(self, texts: dict[int, str]) -> None:
        span = self.span
        if self._plan is None or span is None:
            return
        text = texts.get(self._choice)
        if not text:
            return
        if self._skip:  # the echoed prompt is already in the document
            cut = min(self._skip, len(text))
            text, self._skip = text[cut:], self._skip - cut
        self.editor.write(span, text)

    # -- the end ----------------------------------------------------------------------------------

    def _on_finished(self, outcome: RunOutcome) -> None:
        if self._plan is None or outcome.plan is not self._plan:
            return
        self._plan = None
        span = self.span
        self.editor.setReadOnly(False)
        result = outcome.result
        if span is not None:
            span.record_id = outcome.record_id
            if outcome.record_id is None:
                self._unrecorded.append((outcome, span))
            self.editor.close_completion(span)
            if span.end <= span.start:
                self.editor.remove_completion(span, edit=False)
                self.span = span = None
        if self._pending is not None:
            branch, self._pending = self._pending, None
            branch.result = result
            self.shown = branch.id
        elif result.choices:
            from app.core.branches import BranchTree

            self.tree = BranchTree(outcome.request, result)
            self.shown = self.tree.roots[0].id if self.tree.roots else None
        self.branchesChanged.emit()
        self.finished.emit(outcome)
        if span is not None:
            self._compute_units(span)

    def _on_recorded(self, outcome: RunOutcome) -> None:
        for k, (waiting, span) in enumerate(self._unrecorded):
            if waiting is outcome:
                del self._unrecorded[k]
                span.record_id = outcome.record_id
                return

    def _branch_text_and_tokens(self) -> tuple[str, list[TokenLogprob]]:
        return _text_and_tokens(self.tree, self.shown)

    def _compute_units(self, span: Span) -> None:
        tree, shown = self.tree, self.shown
        if tree is None or shown is None or not tree.branches[shown].has_tokens:
            self.painted.emit(span)
            self.statsReady.emit(None)
            return
        soft = list(span.soft)
        tokens_of: list[list[TokenLogprob]] = []

        def lay_out() -> UnitLayout | None:
            # The text too: joining a long run's pieces is work for this thread.
            text, tokens = _text_and_tokens(tree, shown)
            tokens_of.append(tokens)
            if not tokens:  # an echoed prompt's only
                return None
            return layout_units(text, align(text, tokens), tokens, soft)

        def count() -> RunStats | None:
            from app.core.token_stats import run_stats

            tokens = tokens_of[0] if tokens_of else None
            return run_stats(tokens) if tokens else None

        # Both asked for now, so that they come before the run's history record (one
        # worker, in order): the colours first, then the statistics (~1 µs a token, 0.1 s
        # at 100k tokens, which the colours no longer wait for).
        done = self.controller.after_run(lay_out)
        counted = self.controller.after_run(count)

        async def compute() -> None:
            layout = await done
            if span not in self.editor.spans or span is not self.span:
                return  # edited or replaced meanwhile
            if layout is not None:
                span.set_units(layout)
                # Coloured where it is on screen now, elsewhere when scrolled into view.
                self.editor.invalidate_colours()
            self.painted.emit(span)
            stats = await counted
            if span is self.span:
                self.statsReady.emit(stats)

        self._tasks.spawn(compute())

    # -- choices and branches -------------------------------------------------------------------

    def _compact_older(self) -> None:
        """Older completions keep their colours, not their token objects (memory stays
        flat however many runs the document has seen; see :meth:`UnitLayout.compact`)."""
        for span in self.editor.spans:
            if span is not self.span and span.layout is not None:
                span.layout.compact()
        if self.span is not None and self.span.layout is not None:
            self.span.layout.compact()

    async def reload_tokens(self, span: Span, history: HistoryStore) -> bool:
        """Read a compacted completion's tokens from its history record again (off the GUI
        thread); ``True`` when the span has its alternatives back."""
        import asyncio

        from app.core.history import HistoryError
        from app.core.result import result_from_json

        record_id, layout = span.record_id, span.layout
        if record_id is None or layout is None or not layout.compacted:
            return False
        text = self.editor.text_between(span.start, span.end)
        soft = list(span.soft)

        def work() -> UnitLayout | None:
            record = history.get(record_id)
            result = result_from_json(record.result)
            for choice in result.ordered_choices:
                if choice.text.endswith(text) and choice.tokens:
                    cut = len(choice.text) - len(text)
                    units = [u for u in align(choice.text, choice.tokens) if u.start >= cut]
                    shifted = [u._replace(start=u.start - cut, end=u.end - cut) for u in units]
                    return layout_units(text, shifted, choice.tokens, soft)
            return None

        try:
            fresh = await asyncio.to_thread(work)
        except (HistoryError, KeyError, ValueError):
            return False
        if fresh is None or span not in self.editor.spans:
            return False
        span.set_units(fresh)
        return True

    def last_completion(self) -> Span | None:
        """The newest completion still in the document (after an undo: the one before)."""
        if self.span is not None and self.span in self.editor.spans:
            return self.span
        spans = [s for s in self.editor.spans if s.kind == COMPLETION and s.end > s.start]
        return max(spans, key=lambda s: s.run, default=None)

    def choices(self) -> list[Branch]:
        return self.tree.roots if self.tree is not None else []

    def show_branch(self, branch_id: int) -> bool:
        """Put branch ``branch_id``'s text in place of the completion (undoable)."""
        tree, span = self.tree, self.span
        if self.is_running or tree is None or span is None or branch_id not in tree.branches:
            return False
        if span not in self.editor.spans:
            return False
        self.shown = branch_id
        text, _ = self._branch_text_and_tokens()
        self.editor.replace_completion(span, text)
        self.branchesChanged.emit()
        self._compute_units(span)
        return True

    def show_restored(self, request: CompletionRequest, result: CompletionResult) -> None:
        """A run from history: its completion after the prompt, with its tokens."""
        if self.is_running or not result.choices:
            return
        from app.core.branches import BranchTree

        self._run_number += 1
        self.tree = BranchTree(request, result)
        self.shown = self.tree.roots[0].id
        text, _ = self._branch_text_and_tokens()
        if not text:
            return
        span = self.editor.begin_completion(None, run=self._run_number)
        self.editor.write(span, text)
        self.editor.close_completion(span)
        self.span = span
        self.branchesChanged.emit()
        self._compute_units(span)


def _text_and_tokens(tree: BranchTree | None, shown: int | None) -> tuple[str, list[TokenLogprob]]:
    """The shown branch's text and tokens (without an echoed prompt's)."""
    if tree is None or shown is None:
        return "", []
    branch = tree.branches[shown]
    text, tokens = branch.text, branch.tokens
    if branch.parent is None and tree.echoed:
        prompt = str(tree.request.prompt)
        if text.startswith(prompt):
            # The echoed prompt's tokens are not in the completion: cut them off.
            units = align(text, tokens)
            first = next((u.first for u in units if u.start >= len(prompt)), len(tokens))
            text, tokens = text[len(prompt) :], tokens[first:]
    return text, tokens
