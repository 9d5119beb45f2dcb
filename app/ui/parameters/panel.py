"""The parameter panel, built from the registry (:mod:`app.core.parameters`).

One row per parameter (:mod:`app.ui.parameters.rows`), built once at start-up; the server
kind of the current profile decides which rows show (:meth:`ParameterPanel.set_server_kind`).
OpenAI's parameters sit in folds by group (Sampling, Penalties, Choices and probabilities,
Text, Structure); the parameters only the kind's server takes have a fold of their own,
ordered by group; custom parameters (any other body field) come last.

:meth:`ParameterPanel.fields` is the parameter dict of the request
(``CompletionRequest(model, prompt, params=panel.fields())``) and
:meth:`ParameterPanel.set_fields` shows one (a preset, the saved session, a history run).
Nothing hidden is sent and nothing set is dropped: a value the new server kind does not
take moves into the custom parameters, where it stays visible and is sent; switching back
moves it back into its row.

Rows are reached by parameter name: ``panel.max_tokens`` is the row's value widget
(``panel.max_tokens.set_value(8)``), ``panel.row("top_k")`` the row itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from app.core import parameters as registry
from app.core.parameters import GROUPS, Group, Param
from app.core.request import FieldError, RequestValidationError
from app.core.server_kinds import DEFAULT_KIND, get_kind
from app.ui.common.plain import plain_label
from app.ui.parameters.custom import CustomRow, CustomSection
from app.ui.parameters.fold import Fold
from app.ui.parameters.rows import ParamRow, make_row

__all__ = ["ParameterPanel"]

_NOTE_STYLE = (
    "QLabel { background: #fff8e1; color: #8d6e00; border: 1px solid #e0c060;"
    " border-radius: 3px; padding: 4px; }"
)


def is_openai(param: Param) -> bool:
    """OpenAI's own parameters (shown in the common folds); the rest are a kind's own."""
    return registry.OPENAI in param.kinds


def _group_label(group: Group) -> str:
    return QCoreApplication.translate("Parameters", group.label)


class _Section:
    """A group heading inside the kind's own fold, shown when one of its rows is."""

    def __init__(self, group: Group) -> None:
        self.widget = QWidget()
        self.heading = plain_label(_group_label(group))
        font = self.heading.font()
        font.setItalic(True)
        self.heading.setFont(font)
        self.layout = QVBoxLayout(self.widget)
        self.layout.setContentsMargins(0, 4, 0, 0)
        self.layout.setSpacing(6)
        self.layout.addWidget(self.heading)
        self.rows: list[ParamRow] = []


class ParameterPanel(QScrollArea):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self._kind = DEFAULT_KIND
        self._kind_shown: str | None = None
        self._loading = 0
        self._dirty = False
        self._marked: set[str] = set()
        self._marked_profile = ""
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setSpacing(4)
        self.note: QLabel = plain_label()  # the kind's warning (Ollama)
        self.note.setWordWrap(True)
        self.note.setStyleSheet(_NOTE_STYLE)
        self.note.hide()
        outer.addWidget(self.note)

        self.folds: dict[Group, Fold] = {}
        for group in GROUPS:
            fold = Fold(_group_label(group))
            self.folds[group] = fold
            outer.addWidget(fold)
        self.own_fold = Fold("")
        outer.addWidget(self.own_fold)
        self._sections: dict[Group, _Section] = {}
        for group in GROUPS:
            section = _Section(group)
            self._sections[group] = section
            self.own_fold.body_layout.addWidget(section.widget)

        self._rows: dict[str, ParamRow] = {}
        for param in registry.PARAMS:
            row = make_row(param)
            self._rows[param.name] = row
            if is_openai(param):
                self.folds[param.group].body_layout.addWidget(row)
            else:
                section = self._sections[param.group]
                section.layout.addWidget(row)
                section.rows.append(row)
            row.changed.connect(self._on_changed)

        self.custom = CustomSection()
        self.custom.changed.connect(self._on_changed)
        self.custom.changed.connect(self._mark_custom)
        outer.addWidget(self.custom)
        outer.addStretch(1)
        self.setWidget(body)

        stream = self._rows["stream"].check
        stream.toggled.connect(self._rows["include_usage"].check.setEnabled)
        self._rows["include_usage"].check.setEnabled(stream.isChecked())
        self.set_server_kind(DEFAULT_KIND)

    # -- attribute access by parameter name ----------------------------------------------------

    def __getattr__(self, name: str) -> Any:
        rows = self.__dict__.get("_rows")
        if rows is not None and name in rows:
            return rows[name].main
        raise AttributeError(name)

    def row(self, name: str) -> ParamRow:
        """The row of parameter ``name`` (every registry parameter has one)."""
        return self._rows[name]

    def rows(self) -> list[ParamRow]:
        return list(self._rows.values())

    def custom_rows(self) -> list[CustomRow]:
        return self.custom.rows()

    def server_kind(self) -> str:
        return self._kind

    def fold_of(self, name: str) -> Fold:
        """The fold that holds parameter ``name``'s row."""
        param = self._rows[name].param
        return self.folds[param.group] if is_openai(param) else self.own_fold

    # -- change notification --------------------------------------------------------------

    def _on_changed(self) -> None:
        if self._loading:
            self._dirty = True
        else:
            self.changed.emit()

    @contextmanager
    def _batch(self) -> Iterator[None]:
        """Many changes, one ``changed`` signal at the end."""
        self._loading += 1
        try:
            yield
        finally:
            self._loading -= 1
            if not self._loading and self._dirty:
                self._dirty = False
                self.changed.emit()

    # -- server kind ----------------------------------------------------------------------

    def set_server_kind(self, kind_id: str | None) -> None:
        """Show the rows of this server kind (``None``: OpenAI-style).

        Values are kept per parameter. A value that is set for a parameter the new kind
        does not take moves into the custom parameters (kept, visible and sent); a custom
        parameter the new kind does take moves back into its row.
        """
        kind = get_kind(kind_id).id
        if kind == self._kind_shown:
            return
        with self._batch():
            self._dirty = True
            moved: list[ParamRow] = []
            for row in self._rows.values():
                if not row.param.accepted_by(kind) and row.is_sent():
                    self.custom.add_row(row.param.name, self._custom_text(row))
                    moved.append(row)
            self._kind = kind
            for row in self._rows.values():
                row.set_kind(kind)
            for row in moved:
                row.clear_to_start()
            self.custom.set_kind(kind)
            for custom in self.custom.rows():
                param = custom.known()
                if param is None or not param.accepted_by(kind) or custom.problem() is not None:
                    continue
                if self._rows[param.name].show_value(custom.value()):
                    self.custom.remove_row(custom)
            self._show_kind(kind)
            self._kind_shown = kind
            self._apply_marks()

    def _show_kind(self, kind: str) -> None:
        server = get_kind(kind)
        for row in self._rows.values():
            row.setVisible(row.param.accepted_by(kind))
        for group, fold in self.folds.items():
            fold.setVisible(
                any(r.param.accepted_by(kind) for r in self._rows_of(group, openai=True))
            )
        any_own = False
        for section in self._sections.values():
            shown = any(r.param.accepted_by(kind) for r in section.rows)
            section.widget.setVisible(shown)
            any_own = any_own or shown
        self.own_fold.setVisible(any_own)
        label = QCoreApplication.translate("Core", server.label)
        self.own_fold.set_title(self.tr("{0}: its own samplers").format(label))
        if server.note:
            self.note.setText(QCoreApplication.translate("Core", server.note))
        self.note.setVisible(bool(server.note))

    def _rows_of(self, group: Group, *, openai: bool) -> Iterator[ParamRow]:
        for row in self._rows.values():
            if row.param.group == group and is_openai(row.param) == openai:
                yield row

    @staticmethod
    def _custom_text(row: ParamRow) -> str:
        if row.problem() is not None:
            return row.raw_text()
        return json.dumps(row.value(), ensure_ascii=False)

    # -- values ---------------------------------------------------------------------------

    def fields(self, *, lenient: bool = False) -> dict[str, Any]:
        """The parameters to send, ``{name: JSON value}``: the ticked rows of the current
        kind, ``stream`` always, then the custom parameters (which win over a row).

        Raises :class:`RequestValidationError` naming every row or custom parameter whose
        value is invalid; ``lenient`` leaves those out instead (the autosave).
        """
        errors: list[FieldError] = []
        params: dict[str, Any] = {}
        stream = bool(self._rows["stream"].value())
        for name, row in self._rows.items():
            if not row.param.accepted_by(self._kind):
                continue
            if name == "stream":
                params[name] = stream
                continue
            if not row.is_sent() or (name == "include_usage" and not stream):
                continue
            problem = row.problem()
            if problem is not None:
                errors.append(FieldError(name, problem))
                continue
            value = row.value()
            if value is not None:
                params[name] = value
        for custom in self.custom.rows():
            if custom.is_blank():
                continue
            problem = custom.problem()
            if problem is not None:
                errors.append(FieldError(custom.name() or self.tr("(no name)"), problem))
                continue
            params[custom.name()] = custom.value()
        if errors and not lenient:
            raise RequestValidationError(errors)
        return params

    def set_fields(self, params: Mapping[str, Any]) -> None:
        """Show these parameters: absent ones not sent (with their start values); names
        the registry does not know, or the current kind does not take, as custom ones."""
        with self._batch():
            self._dirty = True
            self.custom.clear()
            for row in self._rows.values():
                row.clear_to_start()
            stream = params.get("stream", True)
            self._rows["stream"].show_value(stream is not False)
            for name, value in params.items():
                if name == "stream" or value is None:
                    continue
                param = registry.get(name)
                takes = param is not None and param.accepted_by(self._kind)
                if takes and self._rows[name].show_value(value):
                    continue
                self.custom.add_row(name, json.dumps(value, ensure_ascii=False))
            self._apply_marks()

    # -- learned limits -----------------------------------------------------------------

    def _label_for(self, name: str) -> QWidget | None:
        """The widget that names parameter ``name`` (a body key) in the panel."""
        if name == "stream_options":
            name = "include_usage"
        row = self._rows.get(name)
        if row is not None:
            return row.label_widget()
        for custom in self.custom.rows():
            if custom.name() == name:
                return custom.name_edit
        return None

    def mark_unsupported(self, names: list[str], profile: str) -> None:
        """Strike through the parameters ``profile`` is known to reject (not sent to it)."""
        self._marked = set(names)
        self._marked_profile = profile
        self._apply_marks()

    def _apply_marks(self) -> None:
        marked = set(self._marked)
        if "stream_options" in marked:
            marked.add("include_usage")
        note = self._rejected_note()
        for name, row in self._rows.items():
            if name in marked or row.marked:
                row.set_marked(note if name in marked else None)
        self._mark_custom()

    def _rejected_note(self) -> str:
        return self.tr(
            "{0} rejected this parameter, so it is not sent there "
            "(Run ▸ Forget learned limits of this profile)."
        ).format(self._marked_profile)

    def _mark_custom(self) -> None:
        """Custom parameters are marked by name, also while the name is typed."""
        for custom in self.custom.rows():
            rejected = custom.name() in self._marked
            custom.set_marked(self._rejected_note() if rejected else None)

    def unsupported_marked(self) -> set[str]:
        return set(self._marked)
