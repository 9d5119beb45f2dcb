"""What a feature may ask of the window it lives in: a small interface, not the window.

Features (View code, Compare, prompt scoring, learned limits …) are given an object that
satisfies :class:`Workspace` (the main window does) instead of importing the main window
and reaching into its widgets. They tell the window what happened through these calls and
their own signals; the window composes them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from app.core.profiles import Profile
from app.core.request import CompletionRequest
from app.ui.common.message_area import Severity

if TYPE_CHECKING:
    from app.core.runs import RunPlan

__all__ = ["Action", "StatusLine", "Workspace"]

#: A button offered with a message: (label, callback).
Action = tuple[str, Callable[[], None]]


class _Text(Protocol):
    def text(self) -> str: ...


class StatusLine(Protocol):
    """The status line's "what is going on" part."""

    @property
    def state(self) -> _Text: ...

    def show_state(self, text: str) -> None: ...


class Workspace(Protocol):
    def build_request(self, *, validate: bool = True) -> CompletionRequest:
        """The request the window describes now (raises RequestValidationError)."""
        ...

    def current_profile(self) -> Profile: ...

    def current_model(self) -> str: ...

    def tell(
        self, text: str, severity: Severity = Severity.INFO, action: Action | None = None
    ) -> None:
        """Show one sentence where the user looks (the message strip)."""
        ...

    def set_status(self, text: str) -> None:
        """Say what is going on in the status line."""
        ...

    def apply_setup(
        self,
        prompt: object,
        mode: str,
        params: dict[str, Any],
        profile: str | None,
        model: str | None,
    ) -> None:
        """Put a prompt and its parameters in the window (one undo step)."""
        ...

    def run_plan(self, plan: RunPlan) -> None:
        """Start a run as the window's Run would (its completion goes into the document)."""
        ...

    def is_running(self) -> bool: ...
