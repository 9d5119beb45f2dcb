"""The working state, autosaved: prompt, parameters, profile, model and the last output.

Written atomically to ``session.json`` in the config dir a moment after every change, so a
crash or ``kill -9`` loses at most that moment. A file that cannot be read is reported and
kept aside (``session.json.corrupt``), never overwritten silently.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app.core.atomic import atomic_write_json, keep_aside

__all__ = ["SessionFile", "WorkingState"]

SCHEMA_VERSION = 1


@dataclass
class WorkingState:
    prompt: str = ""
    prompt_mode: str = "text"
    parameters: dict[str, Any] = field(default_factory=dict)
    profile: str | None = None
    model: str | None = None
    #: Text of each choice of the last run, as shown.
    outputs: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Any) -> WorkingState:
        if not isinstance(data, dict) or not isinstance(data.get("state"), dict):
            raise ValueError("not a session file")
        state = data["state"]
        known = {k: state[k] for k in cls.__dataclass_fields__ if k in state}
        result = cls(**known)
        if not isinstance(result.prompt, str) or not isinstance(result.parameters, dict):
            raise ValueError("unexpected field types")
        if not isinstance(result.outputs, list) or not all(
            isinstance(o, str) for o in result.outputs
        ):
            raise ValueError("'outputs' is not a list of texts")
        return result


class SessionFile:
    FILE_NAME = "session.json"

    def __init__(self, config_dir: Path) -> None:
        self.path = Path(config_dir) / self.FILE_NAME

    def load(self) -> tuple[WorkingState | None, str | None]:
        """(state or None, a problem sentence or None)."""
        if not self.path.exists():
            return None, None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return WorkingState.from_json(data), None
        except (ValueError, TypeError, UnicodeDecodeError, OSError) as exc:
            moved = keep_aside(self.path)
            return None, (
                f"The saved session {self.path} could not be read ({exc}); it was kept as "
                f"{moved.name} and a fresh session was started."
            )

    def save(self, state: WorkingState) -> None:
        atomic_write_json(self.path, {"schema_version": SCHEMA_VERSION, "state": asdict(state)})
