"""The parameter panel: every request parameter of the seeds, as a form.

Numeric parameters are :class:`NumericParam` rows (check box = send it, slider, spin box);
stop sequences are chips; logit_bias is a validated JSON field. :meth:`ParameterPanel.fields`
returns keyword arguments for :class:`app.core.request.CompletionRequest`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core import parameters as registry
from app.ui.logit_bias_field import LogitBiasField
from app.ui.numeric_param import NumericParam
from app.ui.plain import plain_tooltip
from app.ui.stop_chips import StopChips

__all__ = ["ParameterPanel"]

_SEED_MAX = 2**31 - 1  # QSpinBox is 32-bit; the CLI accepts the full int64 range


class ParameterPanel(QScrollArea):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        body = QWidget()
        outer = QVBoxLayout(body)

        sampling = QGroupBox(self.tr("Sampling"))
        form = QFormLayout(sampling)
        self.max_tokens = NumericParam(
            self.tr("Maximum tokens"),
            0,
            registry.get("max_tokens").maximum,
            256,
            integer=True,
            enabled=True,
            slider_maximum=4096,
        )
        self.temperature = NumericParam(self.tr("Temperature"), 0.0, 2.0, 0.7, enabled=True)
        self.top_p = NumericParam(self.tr("Top P"), 0.0, 1.0, 1.0)
        self.presence_penalty = NumericParam(self.tr("Presence penalty"), -2.0, 2.0, 0.0)
        self.frequency_penalty = NumericParam(self.tr("Frequency penalty"), -2.0, 2.0, 0.0)
        self.seed = NumericParam(
            self.tr("Seed"), 0, _SEED_MAX, 42, integer=True, slider_maximum=1000
        )
        sampling_rows = (
            self.max_tokens,
            self.temperature,
            self.top_p,
            self.presence_penalty,
            self.frequency_penalty,
            self.seed,
        )
        for row in sampling_rows:
            form.addRow(row)
        outer.addWidget(sampling)

        choices = QGroupBox(self.tr("Choices and probabilities"))
        form = QFormLayout(choices)
        self.n = NumericParam(
            self.tr("Choices (n)"), 1, registry.get("n").maximum, 1, integer=True, slider_maximum=10
        )
        self.best_of = NumericParam(
            self.tr("Best of"), 1, registry.get("best_of").maximum, 2, integer=True
        )
        self.logprobs = NumericParam(self.tr("Log probabilities"), 0, 5, 5, integer=True)
        self.echo = QCheckBox(self.tr("Echo the prompt"))
        self.stream = QCheckBox(self.tr("Stream tokens"))
        self.stream.setChecked(True)
        self.include_usage = QCheckBox(self.tr("Ask for usage at the end of the stream"))
        for row in (self.n, self.best_of, self.logprobs):
            form.addRow(row)
        form.addRow(self.echo)
        form.addRow(self.stream)
        form.addRow(self.include_usage)
        outer.addWidget(choices)

        text = QGroupBox(self.tr("Text"))
        form = self._text_form = QFormLayout(text)
        self.stop = StopChips()
        form.addRow(self.tr("Stop"), self.stop)
        self.suffix = QPlainTextEdit()
        self.suffix.setTabChangesFocus(True)
        self.suffix.setPlaceholderText(self.tr("Text after the insertion point (optional)"))
        self.suffix.setAccessibleName(self.tr("Suffix"))
        self.suffix.setFixedHeight(60)
        form.addRow(self.tr("Suffix"), self.suffix)
        self.logit_bias = LogitBiasField()
        form.addRow(self.tr("Logit bias"), self.logit_bias)
        self.user = QLineEdit()
        self.user.setPlaceholderText(self.tr("End-user id (optional)"))
        self.user.setAccessibleName(self.tr("User"))
        form.addRow(self.tr("User"), self.user)
        outer.addWidget(text)
        outer.addStretch(1)
        self.setWidget(body)

        for row in (*sampling_rows, self.n, self.best_of, self.logprobs):
            row.changed.connect(self.changed)
        for box in (self.echo, self.stream, self.include_usage):
            box.toggled.connect(self.changed)
        self.stop.changed.connect(self.changed)
        self.suffix.textChanged.connect(self.changed)
        self.logit_bias.changed.connect(self.changed)
        self.user.textChanged.connect(self.changed)
        self.stream.toggled.connect(self.include_usage.setEnabled)
        self._marked: set[str] = set()

    def _label_for(self, name: str) -> QWidget | None:
        """The widget that names parameter ``name`` (a body key) in the form."""
        widget = {"stream_options": self.include_usage}.get(name) or getattr(self, name, None)
        if isinstance(widget, NumericParam):
            return widget.check
        if isinstance(widget, QCheckBox):
            return widget
        if isinstance(widget, QWidget):
            return self._text_form.labelForField(widget)
        return None

    def mark_unsupported(self, names: list[str], profile: str) -> None:
        """Strike through the parameters ``profile`` is known to reject (not sent to it)."""
        for name in self._marked - set(names):
            label = self._label_for(name)
            if label is not None:
                font = label.font()
                font.setStrikeOut(False)
                label.setFont(font)
                label.setToolTip(label.property("plainToolTip") or "")
        for name in names:
            label = self._label_for(name)
            if label is None:
                continue
            if name not in self._marked:
                label.setProperty("plainToolTip", label.toolTip())
            font = label.font()
            font.setStrikeOut(True)
            label.setFont(font)
            label.setToolTip(
                plain_tooltip(  # the profile's name is the user's text
                    self.tr(
                        "{0} rejected this parameter, so it is not sent there "
                        "(Run ▸ Forget learned limits of this profile)."
                    ).format(profile)
                )
            )
        self._marked = set(names)

    def unsupported_marked(self) -> set[str]:
        return set(self._marked)

    def set_fields(self, params: dict[str, Any]) -> None:
        """Show these request parameters (absent numeric ones are unchecked)."""
        for name in ("max_tokens", "temperature", "top_p", "presence_penalty",
                     "frequency_penalty", "seed", "n", "best_of", "logprobs"):  # fmt: skip
            row: NumericParam = getattr(self, name)
            row.set_value(params.get(name))
        self.echo.setChecked(bool(params.get("echo")))
        self.stream.setChecked(params.get("stream", True) is not False)
        self.include_usage.setChecked(bool(params.get("include_usage")))
        self.stop.set_values(list(params.get("stop") or ()))
        self.suffix.setPlainText(params.get("suffix") or "")
        self.logit_bias.set_value(params.get("logit_bias"))
        self.user.setText(params.get("user") or "")

    def fields(self) -> dict[str, Any]:
        """Request keyword arguments; raises RequestValidationError for bad logit_bias."""
        stream = self.stream.isChecked()
        return {
            "max_tokens": self.max_tokens.value(),
            "temperature": self.temperature.value(),
            "top_p": self.top_p.value(),
            "presence_penalty": self.presence_penalty.value(),
            "frequency_penalty": self.frequency_penalty.value(),
            "seed": self.seed.value(),
            "n": self.n.value(),
            "best_of": self.best_of.value(),
            "logprobs": self.logprobs.value(),
            "echo": True if self.echo.isChecked() else None,
            "stream": stream,
            "include_usage": True if stream and self.include_usage.isChecked() else None,
            "stop": self.stop.values(),
            "suffix": self.suffix.toPlainText() or None,
            "logit_bias": self.logit_bias.value(),
            "user": self.user.text() or None,
        }
