"""The working state, autosaved: prompt, parameters, profile, model and the last output.

Written atomically to ``session.json`` in the config dir a moment after every change, so a
crash or ``kill -9`` loses at most that moment. A file that cannot be read is reported and
kept aside (``session.json.corrupt``), never overwritten silently. :meth:`SessionFile.load`
never raises: whatever the file holds, it returns a state the window can show (or none)
and, when something was wrong, a :class:`~app.core.messages.Message`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app.core.atomic import atomic_write_json, keep_aside
from app.core.messages import QT_TRANSLATE_NOOP, Message, kind
from app.core.presets import parameter_type_errors

__all__ = ["SessionFile", "WorkingState"]

SCHEMA_VERSION = 1

SESSION_UNREADABLE = kind(
    "session.unreadable",
    QT_TRANSLATE_NOOP(
        "Core",
        "The saved session {path} could not be read ({reason}); it was kept as {kept} and a "
        "fresh session was started.",
    ),
)
SESSION_UNREADABLE_NOT_MOVED = kind(
    "session.unreadable_not_moved",
    QT_TRANSLATE_NOOP(
        "Core",
        "The saved session {path} could not be read ({reason}) and could not be moved aside "
        "({error}); a fresh session was started.",
    ),
)


@dataclass
class WorkingState:
    """What the window is working on: the document, parameters, profile and model."""

    prompt: str = ""
    prompt_mode: str = "text"
    parameters: dict[str, Any] = field(default_factory=dict)
    profile: str | None = None
    model: str | None = None
    #: Text of each choice of the last run, as shown.
    outputs: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Any) -> WorkingState:
        """The state in a session document; raises ValueError when it is not one."""
        if not isinstance(data, dict) or not isinstance(data.get("state"), dict):
            raise ValueError("not a session file")
        state = data["state"]
        known = {k: state[k] for k in cls.__dataclass_fields__ if k in state}
        result = cls(**known)
        if not isinstance(result.prompt, str) or not isinstance(result.prompt_mode, str):
            raise ValueError("'prompt' and 'prompt_mode' must be texts")
        if not isinstance(result.parameters, dict):
            raise ValueError("'parameters' is not an object")
        problems = parameter_type_errors(result.parameters)
        if problems:
            raise ValueError("; ".join(problems))
        for name in ("profile", "model"):
            if getattr(result, name) is not None and not isinstance(getattr(result, name), str):
                raise ValueError(f"'{name}' is not a text")
        if not isinstance(result.outputs, list) or not all(
            isinstance(o, str) for o in result.outputs
        ):
            raise ValueError("'outputs' is not a list of texts")
        return result


class SessionFile:
    """Reads and writes ``session.json``; every write is atomic."""

    FILE_NAME = "session.json"

    def __init__(self, config_dir: Path) -> None:
        self.path = Path(config_dir) / self.FILE_NAME
        self._unread_in_place = False

    def load(self) -> tuple[WorkingState | None, Message | None]:
        """(state or None, a problem or None); never raises."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None, None
        except OSError as exc:
            return None, self._unusable(exc.strerror or type(exc).__name__)
        try:
            return WorkingState.from_json(json.loads(raw.decode("utf-8"))), None
        except (ValueError, TypeError, RecursionError) as exc:  # incl. UnicodeDecodeError
            return None, self._unusable(str(exc) or type(exc).__name__)

    def _unusable(self, reason: str) -> Message:
        try:
            moved = keep_aside(self.path)
        except OSError as exc:
            self._unread_in_place = True
            return SESSION_UNREADABLE_NOT_MOVED(
                path=str(self.path), reason=reason, error=exc.strerror or str(exc)
            )
        return SESSION_UNREADABLE(path=str(self.path), reason=reason, kept=moved.name)

    def save(self, state: WorkingState) -> None:
        """Write atomically (raises OSError); an unread file is moved aside first."""
        if self._unread_in_place and self.path.exists():
            keep_aside(self.path)
        self._unread_in_place = False
        atomic_write_json(self.path, {"schema_version": SCHEMA_VERSION, "state": asdict(state)})
