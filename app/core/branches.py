"""Forks of a run: alternative continuations that branch off at a chosen token.

Every run starts a :class:`BranchTree` with one root branch per choice. Forking branch
``b`` at one of its token units with an alternative token makes a new branch whose fixed
prefix is ``b``'s text before that unit plus the alternative; the request for it is the
original prompt plus that prefix, with one choice and no echo. The original stays as it
was: forking only ever adds branches, and any branch can be shown again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from app.core.logprobs import TokenLogprob
from app.core.request import CompletionRequest
from app.core.result import CompletionResult
from app.core.token_units import TokenUnit

__all__ = ["Branch", "BranchTree", "ForkError"]


class ForkError(ValueError):
    """This run cannot be forked (the message says why)."""


@dataclass
class Branch:
    """One continuation of the document: the text it forks from and its run's result."""

    id: int
    parent: int | None
    label: str
    #: Text fixed before the generated continuation (empty for a root).
    prefix: str = ""
    prefix_tokens: list[TokenLogprob] = field(default_factory=list)
    result: CompletionResult | None = None
    choice: int = 0
    #: History row of this branch's run, once recorded.
    run_id: int | None = None

    @property
    def generated_text(self) -> str:
        if self.result is None or self.choice not in self.result.choices:
            return ""
        return self.result.choices[self.choice].text

    @property
    def text(self) -> str:
        return self.prefix + self.generated_text

    @property
    def has_tokens(self) -> bool:
        """Whether :attr:`tokens` has any (without putting the list together)."""
        if self.prefix_tokens:
            return True
        result = self.result
        return (
            result is not None
            and self.choice in result.choices
            and bool(result.choices[self.choice].tokens)
        )

    @property
    def tokens(self) -> list[TokenLogprob]:
        own = []
        if self.result is not None and self.choice in self.result.choices:
            own = self.result.choices[self.choice].tokens
        return [*self.prefix_tokens, *own]

    @property
    def finish_reason(self) -> str | None:
        if self.result is None or self.choice not in self.result.choices:
            return None
        return self.result.choices[self.choice].finish_reason


class BranchTree:
    """The branches of one run (the original choices and every fork made from them)."""

    def __init__(self, request: CompletionRequest, result: CompletionResult) -> None:
        self.request = request
        self.echoed = bool(request.echo)
        self.branches: dict[int, Branch] = {}
        self._next = 0
        for index in sorted(result.choices) or [0]:
            label = f"Choice {index + 1}" if len(result.choices) > 1 else "Original"
            self._add(Branch(0, None, label, result=result, choice=index))

    def _add(self, branch: Branch) -> Branch:
        branch.id = self._next
        self._next += 1
        self.branches[branch.id] = branch
        return branch

    @property
    def roots(self) -> list[Branch]:
        return [b for b in self.branches.values() if b.parent is None]

    def children(self, branch_id: int) -> list[Branch]:
        return [b for b in self.branches.values() if b.parent == branch_id]

    def can_fork(self) -> str | None:
        """Why this tree cannot be forked, or ``None`` when it can."""
        if not isinstance(self.request.prompt, str):
            return "Forking needs a text prompt (this run's prompt is a list or token ids)."
        return None

    def fork(
        self, parent_id: int, unit: TokenUnit, alternative: str, probability: float | None
    ) -> tuple[Branch, CompletionRequest]:
        """A new (empty) branch diverging at ``unit`` with ``alternative``, and its request."""
        reason = self.can_fork()
        if reason:
            raise ForkError(reason)
        parent = self.branches[parent_id]
        text, tokens = parent.text, parent.tokens
        chosen = tokens[unit.first] if unit.first < len(tokens) else None
        prefix = text[: unit.start] + alternative
        forced = TokenLogprob(
            token=alternative,
            logprob=math.log(probability) if probability else None,
            top=chosen.top if chosen else (),
        )
        label = f"Fork {len(self.branches) - len(self.roots) + 1}: “{alternative}”"
        branch = self._add(
            Branch(
                0,
                parent_id,
                label,
                prefix=prefix,
                prefix_tokens=[*tokens[: unit.first], forced],
            )
        )
        return branch, self.fork_request(prefix)

    def fork_request(self, prefix: str) -> CompletionRequest:
        prompt = prefix if self.echoed else str(self.request.prompt) + prefix
        return self.request.with_changes(
            prompt=prompt, n=None, best_of=None, echo=None, include_usage=None
        )

    def path(self, branch_id: int) -> list[int]:
        """Branch ids from the root down to ``branch_id``."""
        ids = [branch_id]
        while (parent := self.branches[ids[-1]].parent) is not None:
            ids.append(parent)
        return ids[::-1]
