"""One numeric parameter row: a "send it" check box, a slider and a spin box kept in step.

Unchecked means "not set": the parameter is left out of the request and the server's
default applies. Integer and float parameters share this widget.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QSlider,
    QSpinBox,
    QWidget,
)

__all__ = ["NumericParam"]

_SLIDER_STEPS = 1000


class NumericParam(QWidget):
    """``value()`` is the number when enabled, otherwise ``None``."""

    changed = Signal()

    def __init__(
        self,
        label: str,
        minimum: float,
        maximum: float,
        default: float,
        *,
        integer: bool = False,
        decimals: int = 2,
        step: float = 0.05,
        enabled: bool = False,
        slider_maximum: float | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._integer = integer
        self._minimum = minimum
        self._slider_max = maximum if slider_maximum is None else slider_maximum
        self.check = QCheckBox(label)
        self.check.setChecked(enabled)
        self.check.setToolTip(self.tr("Send this parameter (unchecked: the server's default)"))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, _SLIDER_STEPS)
        self.slider.setAccessibleName(label)
        self.spin: QSpinBox | QDoubleSpinBox
        if integer:
            self.spin = QSpinBox()
            self.spin.setRange(int(minimum), int(maximum))
        else:
            self.spin = QDoubleSpinBox()
            self.spin.setRange(minimum, maximum)
            self.spin.setDecimals(decimals)
            self.spin.setSingleStep(step)
        self.spin.setAccessibleName(label)
        self.spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        self.spin.setKeyboardTracking(False)
        self.spin.setMinimumWidth(80)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check, 2)
        layout.addWidget(self.slider, 3)
        layout.addWidget(self.spin, 1)
        self.spin.setValue(default)  # type: ignore[arg-type]
        self._sync_slider()
        self.slider.valueChanged.connect(self._from_slider)
        self.spin.valueChanged.connect(self._from_spin)
        self.check.toggled.connect(self._on_toggled)
        self._on_toggled(enabled)

    def _to_slider(self, value: float) -> int:
        span = self._slider_max - self._minimum
        clamped = min(max(value, self._minimum), self._slider_max)
        return round((clamped - self._minimum) / span * _SLIDER_STEPS) if span else 0

    def _sync_slider(self) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(self._to_slider(self.spin.value()))
        self.slider.blockSignals(False)

    def _from_slider(self, position: int) -> None:
        value = self._minimum + (self._slider_max - self._minimum) * position / _SLIDER_STEPS
        self.spin.blockSignals(True)
        self.spin.setValue(round(value) if self._integer else value)  # type: ignore[arg-type]
        self.spin.blockSignals(False)
        self.changed.emit()

    def _from_spin(self, _value: float) -> None:
        self._sync_slider()
        self.changed.emit()

    def _on_toggled(self, on: bool) -> None:
        self.slider.setEnabled(on)
        self.spin.setEnabled(on)
        self.changed.emit()

    def value(self) -> float | int | None:
        if not self.check.isChecked():
            return None
        value = self.spin.value()
        return int(value) if self._integer else round(float(value), 4)

    def set_value(self, value: float | None) -> None:
        """Set a number (and check the box), or ``None`` to uncheck."""
        if value is None:
            self.check.setChecked(False)
            return
        self.spin.setValue(value)  # type: ignore[arg-type]
        self.check.setChecked(True)
