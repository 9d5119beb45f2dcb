"""The parameter panel, built from the registry (:mod:`app.core.parameters`).

One row per parameter (:mod:`app.ui.parameters.rows`), built the first time a server kind
that takes it is shown (or the row is asked for): the default profile's server takes 23 of
the 60, and each row is ~1–2 ms of start-up. A panel made with ``later=True`` (the
window's) builds the rows of the kind's own fold, below the first screen, just after it is
first painted: 8 of the default profile's 23, ~18 ms off the first frame (a row asked for
is built at once all the same). The server kind of the current profile decides
which rows show (:meth:`ParameterPanel.set_server_kind`); a row that is not built holds
nothing (a value the kind does not take lives in the custom parameters).
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

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from app.core import parameters as registry
from app.core.parameters import GROUPS, Group, Param
from app.core.request import FieldError, RequestValidationError
from app.core.server_kinds import DEFAULT_KIND, get_kind
from app.ui.common.plain import plain_label
from app.ui.common.tones import WARNING, box_colours, on_theme_change, set_sheet
from app.ui.parameters.custom import CustomRow, CustomSection
from app.ui.parameters.fold import Fold
from app.ui.parameters.rows import ParamRow, make_row

__all__ = ["ParameterPanel"]


def is_openai(param: Param) -> bool:
    """OpenAI's own parameters (shown in the common folds); the rest are a kind's own."""
    return registry.OPENAI in param.kinds


#: Each parameter's place in the registry (rows keep that order in their fold).
_ORDER = {param.name: number for number, param in enumerate(registry.PARAMS)}


def _params_of(group: Group, *, openai: bool) -> Iterator[Param]:
    for param in registry.PARAMS:
        if param.group == group and is_openai(param) == openai:
            yield param


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

    def __init__(
        self, parent: QWidget | None = None, *, kind: str | None = None, later: bool = False
    ) -> None:
        """``kind``: the server kind shown first (default: OpenAI-style); its rows are the
        ones built now, but with ``later`` those of its own fold (below OpenAI's, off the
        first screen) that start unsent: the loop's turn after the panel's first paint."""
        super().__init__(parent)
        self._later = later
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
        self._style_note()
        on_theme_change(self.note, self._style_note)
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

        self.custom = CustomSection()
        self.custom.changed.connect(self._on_changed)
        self.custom.changed.connect(self._mark_custom)
        outer.addWidget(self.custom)
        outer.addStretch(1)
        self.setWidget(body)

        stream = self.row("stream").check
        stream.toggled.connect(self.row("include_usage").check.setEnabled)
        self.row("include_usage").check.setEnabled(stream.isChecked())
        self.set_server_kind(kind or DEFAULT_KIND)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # QScrollArea filters its widget's events: the rows' body is painted, first time.
        if self._later and event.type() == QEvent.Type.Paint:
            self._later = False
            QTimer.singleShot(0, self, self._build_shown)  # once this frame is painted
        return super().eventFilter(watched, event)

    def _build_shown(self) -> None:
        """Build the rows the current kind shows that are not built yet (unsent, at their
        start values: no change to announce)."""
        dirty = self._dirty
        self._loading += 1
        try:
            self._build_rows_of(self._kind)
        finally:
            self._loading -= 1
            self._dirty = dirty

    def _build_rows_of(self, kind: str) -> None:
        """Build the rows ``kind`` shows that are not built yet (with ``later``, before the
        first paint: not the unsent ones of its own fold)."""
        for param in registry.PARAMS:
            if param.accepted_by(kind) and param.name not in self._rows:
                if self._later and not is_openai(param) and not param.initially_sent:
                    continue  # after the first paint (eventFilter)
                self._build(param)

    def _build(self, param: Param) -> ParamRow:
        """Make ``param``'s row, in its place (the registry's order) in its fold."""
        row = make_row(param)
        order = _ORDER[param.name]
        before = sum(
            1
            for built in self._rows.values()
            if built.param.group == param.group
            and is_openai(built.param) == is_openai(param)
            and _ORDER[built.param.name] < order
        )
        self._rows[param.name] = row
        if is_openai(param):
            self.folds[param.group].body_layout.insertWidget(before, row)
        else:
            section = self._sections[param.group]
            section.layout.insertWidget(1 + before, row)  # after the heading
            section.rows.append(row)
        row.changed.connect(self._on_changed)
        row.set_kind(self._kind)
        row.setVisible(param.accepted_by(self._kind))
        if param.name in self._marked or (
            param.name == "include_usage" and "stream_options" in self._marked
        ):
            row.set_marked(self._rejected_note())
        return row

    # -- attribute access by parameter name ----------------------------------------------------

    def __getattr__(self, name: str) -> Any:
        if self.__dict__.get("_rows") is not None and name in _ORDER:
            return self.row(name).main
        raise AttributeError(name)

    def row(self, name: str) -> ParamRow:
        """The row of parameter ``name`` (every registry parameter has one; built now if
        it was not yet)."""
        row = self._rows.get(name)
        if row is None:
            param = registry.get(name)
            if param is None:
                raise KeyError(name)
            row = self._build(param)
        return row

    def rows(self) -> list[ParamRow]:
        """Every parameter's row, in the registry's order (all built)."""
        return [self.row(param.name) for param in registry.PARAMS]

    def built_rows(self) -> int:
        """How many rows are built so far (for tests)."""
        return len(self._rows)

    def custom_rows(self) -> list[CustomRow]:
        return self.custom.rows()

    def server_kind(self) -> str:
        return self._kind

    def fold_of(self, name: str) -> Fold:
        """The fold that holds parameter ``name``'s row."""
        param = registry.get(name)
        if param is None:
            raise KeyError(name)
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

    def _style_note(self) -> None:
        box = box_colours(WARNING)
        sheet = (
            f"QLabel {{ background: {box.background}; color: {box.text};"
            f" border: 1px solid {box.border}; border-radius: 3px; padding: 4px; }}"
        )
        set_sheet(self.note, sheet)

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
            self._build_rows_of(kind)
            for row in moved:
                row.clear_to_start()
            self.custom.set_kind(kind)
            for custom in self.custom.rows():
                param = custom.known()
                if param is None or not param.accepted_by(kind) or custom.problem() is not None:
                    continue
                if self.row(param.name).show_value(custom.value()):
                    self.custom.remove_row(custom)
            self._show_kind(kind)
            self._kind_shown = kind
            self._apply_marks()

    def _show_kind(self, kind: str) -> None:
        server = get_kind(kind)
        for row in self._rows.values():
            row.setVisible(row.param.accepted_by(kind))
        for group, fold in self.folds.items():
            fold.setVisible(any(p.accepted_by(kind) for p in _params_of(group, openai=True)))
        any_own = False
        for group, section in self._sections.items():
            shown = any(p.accepted_by(kind) for p in _params_of(group, openai=False))
            section.widget.setVisible(shown)
            any_own = any_own or shown
        self.own_fold.setVisible(any_own)
        label = QCoreApplication.translate("Core", server.label)
        self.own_fold.set_title(self.tr("{0}: its own samplers").format(label))
        if server.note:
            self.note.setText(QCoreApplication.translate("Core", server.note))
        self.note.setVisible(bool(server.note))

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
        stream = bool(self.row("stream").value())
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
            self.row("stream").show_value(stream is not False)
            for name, value in params.items():
                if name == "stream" or value is None:
                    continue
                param = registry.get(name)
                takes = param is not None and param.accepted_by(self._kind)
                if takes and self.row(name).show_value(value):
                    continue
                self.custom.add_row(name, json.dumps(value, ensure_ascii=False))
            self._apply_marks()

    # -- learned limits -----------------------------------------------------------------

    def _label_for(self, name: str) -> QWidget | None:
        """The widget that names parameter ``name`` (a body key) in the panel."""
        if name == "stream_options":
            name = "include_usage"
        if name in _ORDER:
            return self.row(name).label_widget()
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
