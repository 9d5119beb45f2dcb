"""The profile switcher, the model picker and the "Test connection" button.

The model combobox is editable and filled from the profile's ``/v1/models``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QToolButton,
    QWidget,
)

from app.core.profiles import LOCAL_MODEL_NAME
from app.ui.common.fields import show_start
from app.ui.common.plain import plain_label

__all__ = ["ConnectionBar", "shown_profile_name"]


def shown_profile_name(name: str) -> str:
    """A profile's name as shown: the first-launch profile's English name is translated
    (it was made by the app, not typed by the user); every other name is the user's."""
    if name == LOCAL_MODEL_NAME:
        return QCoreApplication.translate("Core", "Local model")
    return name


class ConnectionBar(QWidget):
    profileSelected = Signal(str)
    manageRequested = Signal()
    refreshRequested = Signal()
    testRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = QComboBox()
        self.profile.setMinimumWidth(120)
        self.profile.setAccessibleName(self.tr("Profile"))
        self.manage = QToolButton()
        self.manage.setText(self.tr("Profiles…"))
        self.manage.setToolTip(self.tr("Add, edit or remove profiles and their API keys"))
        self.manage.setAccessibleName(self.tr("Manage profiles"))
        self.model = QComboBox()
        self.model.setEditable(True)
        show_start(self.model)
        self.model.setMinimumWidth(160)
        self.model.setAccessibleName(self.tr("Model"))
        self.model.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.refresh = QToolButton()
        self.refresh.setText("⟳")
        self.refresh.setToolTip(self.tr("Reload the model list from the server"))
        self.refresh.setAccessibleName(self.tr("Reload models"))
        self.test = QPushButton(self.tr("Test connection"))
        self.test.setAccessibleName(self.tr("Test connection"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        caption = plain_label(self.tr("&Profile"))
        caption.setBuddy(self.profile)
        layout.addWidget(caption)
        layout.addWidget(self.profile, 2)
        layout.addWidget(self.manage)
        caption = plain_label(self.tr("&Model"))
        caption.setBuddy(self.model)
        layout.addWidget(caption)
        layout.addWidget(self.model, 3)
        layout.addWidget(self.refresh)
        layout.addWidget(self.test)
        self.profile.activated.connect(
            lambda index: self.profileSelected.emit(str(self.profile.itemData(index)))
        )
        self.manage.clicked.connect(self.manageRequested)
        self.refresh.clicked.connect(self.refreshRequested)
        self.test.clicked.connect(self.testRequested)

    def set_profiles(self, names: list[str], current: str) -> None:
        """The profiles by name (the built-in one shown in the UI's language)."""
        self.profile.blockSignals(True)
        self.profile.clear()
        for name in names:
            self.profile.addItem(shown_profile_name(name), name)
        self.profile.setCurrentIndex(max(0, self.profile.findData(current)))
        self.profile.blockSignals(False)

    def model_name(self) -> str:
        return self.model.currentText().strip()

    def set_models(self, models: list[str]) -> None:
        current = self.model_name()
        self.model.blockSignals(True)
        self.model.clear()
        self.model.addItems(models)
        if current:
            self.model.setCurrentText(current)
        elif models:
            self.model.setCurrentIndex(0)
        self.model.blockSignals(False)
