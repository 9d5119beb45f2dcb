"""The parameter panel, built from the parameter registry (see :mod:`.panel`)."""

from app.ui.parameters.panel import ParameterPanel

__all__ = ["ParameterPanel"]
