"""One numeric parameter: a "send it" check box and a spin box, the slider on a line below.

Unchecked means "not set": the parameter is left out of the request and the server's
default applies. The value stays visible and editable; editing it checks the box. Integer
and float parameters share this widget. The slider has the whole width of the panel to
itself (the label and the spin box share the first line), so small steps stay reachable in
a narrow sidebar.

The mouse wheel changes the slider or the spin box only while it has the keyboard focus;
otherwise the wheel scrolls the panel (:class:`WheelGuard`), so scrolling down a long list
of parameters never changes one by accident.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.ui.common.viewport import viewport

__all__ = ["FloatSpinBox", "NumericParam", "WheelGuard"]

_SLIDER_STEPS = 1000
_INT32 = (-(2**31), 2**31 - 1)  # QSpinBox is 32-bit; the CLI accepts the full int64 range
#: Digits a float spin box keeps (it shows only those that are needed, at least two).
FLOAT_DECIMALS = 6


class WheelGuard(QObject):
    """An event filter: wheel events reach the widget only while it has the focus.

    Otherwise the wheel scrolls the scroll area the widget is in (the event goes to its
    viewport; outside a scroll area it is ignored and goes on to the parent widgets).
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() != QEvent.Type.Wheel
            or not isinstance(watched, QWidget)
            or watched.hasFocus()
        ):
            return False
        area = _scroll_area_of(watched)
        if area is None:
            event.ignore()
        else:
            QCoreApplication.sendEvent(viewport(area), event)
            event.accept()
        return True


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def guard_wheel(widget: QWidget, guard: WheelGuard) -> None:
    """Focus by click or Tab only (not by the wheel) and take the wheel only when focused."""
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.installEventFilter(guard)


class FloatSpinBox(QDoubleSpinBox):
    """A spin box that keeps six decimals but shows only the ones that are needed (0.70,
    0.755), so a value from a preset is shown exactly without a row of zeros."""

    def __init__(self, min_decimals: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._min_decimals = min_decimals
        self.setDecimals(FLOAT_DECIMALS)

    def textFromValue(self, value: float) -> str:
        text = f"{value:.{FLOAT_DECIMALS}f}".rstrip("0")
        whole, _, fraction = text.partition(".")
        fraction = fraction.ljust(self._min_decimals, "0")
        point = self.locale().decimalPoint()
        return f"{whole}{point}{fraction}" if fraction else whole


def _decimals(step: float) -> int:
    """Digits after the point that ``step`` needs (0.01 → 2, 0.1 → 1, 60 → 0)."""
    if step <= 0 or step >= 1:
        return 0
    return max(0, math.ceil(-math.log10(step) - 1e-9))


class NumericParam(QWidget):
    """``value()`` is the number when the box is checked, otherwise ``None``."""

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
        if integer:
            minimum, maximum = max(minimum, _INT32[0]), min(maximum, _INT32[1])
        self._minimum = minimum
        self._maximum = maximum
        self._slider_max = min(maximum if slider_maximum is None else slider_maximum, maximum)
        # The slider covers the useful range: a seed's starts at 0, not at -2**31.
        self._slider_min = 0 if minimum < 0 and -minimum > self._slider_max > 0 else minimum
        self._quiet = 0
        self.check = QCheckBox(label)
        self.check.setChecked(enabled)
        self.check.setToolTip(self.tr("Send this parameter (unchecked: the server's default)"))
        self._guard = WheelGuard(self)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, _SLIDER_STEPS)
        self.slider.setAccessibleName(label)
        guard_wheel(self.slider, self._guard)
        self.spin: QSpinBox | QDoubleSpinBox
        if integer:
            self.spin = QSpinBox()
            self.spin.setRange(int(minimum), int(maximum))
            self.spin.setSingleStep(max(1, int(step)))
        else:
            self.spin = FloatSpinBox(max(decimals, _decimals(step)))
            self.spin.setRange(minimum, maximum)
            self.spin.setSingleStep(step)
        self.spin.setAccessibleName(label)
        self.spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        self.spin.setKeyboardTracking(False)
        self.spin.setMinimumWidth(90)
        guard_wheel(self.spin, self._guard)
        #: The first line: the check box (label) and the spin box; rows add to its end.
        self.top = QHBoxLayout()
        self.top.setContentsMargins(0, 0, 0, 0)
        self.top.addWidget(self.check, 1)
        self.top.addWidget(self.spin)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self.top)
        layout.addWidget(self.slider)
        self.spin.setValue(default)  # type: ignore[arg-type]
        self._sync_slider()
        self.slider.valueChanged.connect(self._from_slider)
        self.spin.valueChanged.connect(self._from_spin)
        self.check.toggled.connect(self.changed)

    # -- the slider follows the spin box ----------------------------------------------------

    def _to_slider(self, value: float) -> int:
        span = self._slider_max - self._slider_min
        clamped = min(max(value, self._slider_min), self._slider_max)
        return round((clamped - self._slider_min) / span * _SLIDER_STEPS) if span > 0 else 0

    def _sync_slider(self) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(self._to_slider(self.spin.value()))
        self.slider.blockSignals(False)

    def _from_slider(self, position: int) -> None:
        low = self._slider_min
        value = low + (self._slider_max - low) * position / _SLIDER_STEPS
        step = self.spin.singleStep()
        if not self._integer and step > 0:
            value = round(round(value / step) * step, FLOAT_DECIMALS)  # on the spin box's grid
        self.spin.blockSignals(True)
        self.spin.setValue(round(value) if self._integer else value)  # type: ignore[arg-type]
        self.spin.blockSignals(False)
        self._edited()

    def _from_spin(self, _value: float) -> None:
        self._sync_slider()
        self._edited()

    def _edited(self) -> None:
        """A value the user set is a value to send."""
        if not self._quiet and not self.check.isChecked():
            self.check.setChecked(True)  # emits changed
        else:
            self.changed.emit()

    # -- values ---------------------------------------------------------------------------

    def number(self) -> float | int:
        """The number shown, whether it is sent or not."""
        value = self.spin.value()
        return int(value) if self._integer else round(float(value), FLOAT_DECIMALS)

    def value(self) -> float | int | None:
        return self.number() if self.check.isChecked() else None

    def can_show(self, value: float) -> bool:
        """Whether the spin box shows ``value`` exactly (range, 32 bits, six decimals)."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if not math.isfinite(value) or not self._minimum <= value <= self._maximum:
            return False
        if self._integer:
            return float(value).is_integer()
        return round(value, FLOAT_DECIMALS) == value

    def show_number(self, value: float) -> None:
        """Show ``value`` without checking the box."""
        self._quiet += 1
        try:
            self.spin.setValue(value)  # type: ignore[arg-type]
            self._sync_slider()
        finally:
            self._quiet -= 1

    def set_value(self, value: float | None) -> None:
        """Set a number (and check the box), or ``None`` to uncheck."""
        if value is None:
            self.check.setChecked(False)
            return
        self.show_number(value)
        self.check.setChecked(True)
