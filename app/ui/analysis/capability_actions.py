"""Learned endpoint limits in the window: retry without a rejected parameter, mark it.

When a run fails because the server refused a parameter (see
:mod:`app.core.capabilities`), the error message offers "Retry without …". Accepting it
stores the parameter in the profile's ``unsupported`` list and asks for the run again
without it (:attr:`CapabilityActions.retryRequested`); from then on that parameter is left
out of requests to the profile (its value stays in the sidebar) and its control is marked.
"Forget learned limits" clears the list. Custom parameters are learned the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.core.capabilities import ignored_parameters, rejected_parameter
from app.core.profiles import Profile
from app.ui.common.actions import text_action
from app.ui.common.workspace import StatusLine
from app.ui.parameters import ParameterPanel
from app.ui.profiles.profile_manager import ProfileManager

if TYPE_CHECKING:
    from app.core.runs import RunOutcome, RunPlan

__all__ = ["CapabilityActions"]


class CapabilityActions(QObject):
    #: Run this plan (the failed run's request without the rejected parameter).
    retryRequested = Signal(object)

    def __init__(self, profiles: ProfileManager, panel: ParameterPanel, parent: QObject) -> None:
        super().__init__(parent)
        self.profiles = profiles
        self.panel = panel
        self.forget_action = text_action(self.tr("Forget learned limits of this profile"), parent)
        self.forget_action.setToolTip(self.tr("Send every parameter to this profile again"))
        self.forget_action.triggered.connect(self.forget)
        self.last_dropped: tuple[str, tuple[str, ...]] = ("", ())
        profiles.currentChanged.connect(lambda _: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        """Mark the current profile's unsupported parameters in the parameter panel."""
        profile = self.profiles.current
        self.panel.mark_unsupported(profile.unsupported, profile.name)
        self.forget_action.setEnabled(bool(profile.unsupported))

    def note_dropped(self, plan: RunPlan) -> None:
        """A run starts: remember what it left out (said in the status line at its end)."""
        self.last_dropped = (plan.profile.name, plan.dropped)

    def annotate_status(self, status: StatusLine) -> None:
        """After a run: say in the status line which parameters were left out."""
        name, dropped = self.last_dropped
        if dropped:
            note = self.tr("not sent (unsupported by {0}): {1}").format(name, ", ".join(dropped))
            status.show_state(f"{status.state.text()} · {note}")

    def offer(self, outcome: RunOutcome) -> tuple[str, Callable[[], None]] | None:
        """For a failed run: ("Retry without X", callback) when the server blamed X."""
        request, profile = outcome.request, outcome.profile
        blamed = rejected_parameter(outcome.result.error, request.to_body())
        if blamed is None:
            return None
        return (
            self.tr("Retry without {0}").format(blamed),
            lambda: self.retry_without(profile, outcome, blamed),
        )

    def offer_ignored(self, outcome: RunOutcome) -> tuple[str, str, Callable[[], None]] | None:
        """For a run that succeeded but visibly ignored logprobs/echo: message and action."""
        profile = outcome.profile
        ignored = [
            p
            for p in ignored_parameters(outcome.request, outcome.result)
            if p not in profile.unsupported
        ]
        if not ignored:
            return None
        return (
            self.tr("The server accepted but ignored: {0}.").format(", ".join(ignored)),
            self.tr("Remember for {0}").format(profile.name),
            lambda: self.learn(profile, ignored),
        )

    def learn(self, profile: Profile, names: list[str]) -> Profile:
        current = self.profiles.find(profile.name) or profile
        learned = sorted({*current.unsupported, *names})
        updated = replace(current, unsupported=learned)
        self.profiles.save_profile(current.name, updated)
        self.refresh()
        return updated

    def retry_without(self, profile: Profile, outcome: RunOutcome, name: str) -> None:
        updated = self.learn(profile, [name])
        from app.core.runs import prepare

        self.retryRequested.emit(prepare(updated, outcome.request, group_id=outcome.plan.group_id))

    def forget(self) -> None:
        current = self.profiles.current
        self.profiles.save_profile(current.name, replace(current, unsupported=[]))
        self.refresh()
