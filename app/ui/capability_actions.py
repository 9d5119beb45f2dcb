"""Learned endpoint limits in the window: retry without a rejected parameter, mark it.

When a run fails because the server refused a parameter (see
:mod:`app.core.capabilities`), the error message offers "Retry without …". Accepting it
stores the parameter in the profile's ``unsupported`` list and runs again without it;
from then on that parameter is left out of requests to the profile (its value stays in
the form) and its control is marked. "Forget learned limits" clears the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from app.core.capabilities import ignored_parameters, rejected_parameter, without_unsupported
from app.core.profiles import Profile
from app.core.request import CompletionRequest
from app.core.result import CompletionResult

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

__all__ = ["CapabilityActions"]


class CapabilityActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.forget_action = QAction(self.tr("Forget learned limits of this profile"), window)
        self.forget_action.setToolTip(self.tr("Send every parameter to this profile again"))
        self.forget_action.triggered.connect(self.forget)
        self.last_dropped: tuple[str, list[str]] = ("", [])
        window.profiles.currentChanged.connect(lambda _: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        """Mark the current profile's unsupported parameters in the parameter panel."""
        profile = self.window.profiles.current
        self.window.parameters.mark_unsupported(profile.unsupported, profile.name)
        self.forget_action.setEnabled(bool(profile.unsupported))

    def prepare(self, profile: Profile, request: CompletionRequest) -> CompletionRequest:
        """``request`` without what ``profile`` is known to reject (said in the status bar)."""
        trimmed, dropped = without_unsupported(request, profile.unsupported)
        self.last_dropped = (profile.name, dropped)
        return trimmed

    def annotate_status(self) -> None:
        """After a run: say in the status bar which parameters were left out."""
        name, dropped = self.last_dropped
        if dropped:
            state = self.window.status.state
            note = self.tr("not sent (unsupported by {0}): {1}").format(name, ", ".join(dropped))
            state.setText(f"{state.text()} · {note}")

    def offer(self, result: CompletionResult) -> tuple[str, Callable[[], None]] | None:
        """For a failed run: ("Retry without X", callback) when the server blamed X."""
        request = self.window.controller.last_request
        profile = self.window.controller.last_profile
        if request is None or profile is None:
            return None
        blamed = rejected_parameter(result.error, request.to_body())
        if blamed is None:
            return None
        return (
            self.tr("Retry without {0}").format(blamed),
            lambda: self.retry_without(profile, request, blamed),
        )

    def offer_ignored(self, result: CompletionResult) -> tuple[str, str, Callable[[], None]] | None:
        """For a run that succeeded but visibly ignored logprobs/echo: message and action."""
        request = self.window.controller.last_request
        profile = self.window.controller.last_profile
        if request is None or profile is None:
            return None
        ignored = [p for p in ignored_parameters(request, result) if p not in profile.unsupported]
        if not ignored:
            return None
        names = ", ".join(ignored)
        return (
            self.tr("The server accepted but ignored: {0}.").format(names),
            self.tr("Remember for {0}").format(profile.name),
            lambda: self.learn(profile, ignored),
        )

    def learn(self, profile: Profile, names: list[str]) -> Profile:
        current = self.window.profiles.find(profile.name) or profile
        learned = sorted({*current.unsupported, *names})
        updated = replace(current, unsupported=learned)
        self.window.profiles.save_profile(current.name, updated)
        self.refresh()
        return updated

    def retry_without(self, profile: Profile, request: CompletionRequest, name: str) -> None:
        updated = self.learn(profile, [name])
        if self.window.controller.is_running:
            return
        self.window.start_run(updated, self.prepare(updated, request))

    def forget(self) -> None:
        current = self.window.profiles.current
        self.window.profiles.save_profile(current.name, replace(current, unsupported=[]))
        self.refresh()
