"""Translations with Qt's own tools: the app's ``.qm`` files and Qt's own (qtbase).

Sources are ``resources/i18n/completion_playground_<lang>.ts`` (made by ``pyside6-lupdate``
from every ``tr()`` call; see ``scripts/update_translations.py``), compiled to ``.qm`` by
``pyside6-lrelease``. The language is the Settings choice, or the system locale when that
is "system". Qt's own strings (standard buttons, file dialogs, context menus) come from
``qtbase_<lang>.qm`` in Qt's translations directory. Widgets must be created after
:func:`install_translators`: a language change applies after a restart.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.resource_files import resource_path

__all__ = ["AVAILABLE", "display_name", "install_translators", "resolve_language"]

#: The languages the UI is translated into (English is the source language).
AVAILABLE = ("en", "zh_CN")
_installed: list[QTranslator] = []


def display_name() -> str:
    """The app's name in the UI's language (补全试验场 in Chinese, as in the .desktop file)."""
    return QCoreApplication.translate("App", "Completion Playground")


def resolve_language(choice: str, locale: QLocale | None = None) -> str:
    """The language to show: the choice, or for "system" the best match for the locale."""
    if choice in AVAILABLE:
        return choice
    locale = locale or QLocale.system()
    if locale.language() == QLocale.Language.Chinese:
        # Simplified Chinese also for Traditional-script locales: closer than English.
        return "zh_CN"
    return "en"


def install_translators(choice: str) -> str:
    """Install the translators for ``choice`` ("system", "en", "zh_CN"); returns the
    language in use. Previously installed translators are removed first."""
    app = QCoreApplication.instance()
    assert app is not None, "create the QApplication first"
    for translator in _installed:
        QCoreApplication.removeTranslator(translator)
    _installed.clear()
    language = resolve_language(choice)
    QLocale.setDefault(QLocale(language))
    own = QTranslator(app)
    if own.load(str(resource_path("i18n", f"completion_playground_{language}.qm"))):
        QCoreApplication.installTranslator(own)
        _installed.append(own)
    if language == "en":  # English is the source language: only plural forms above
        return language
    qt = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(f"qtbase_{language}", qt_dir) or qt.load(
        f"qtbase_{language}", str(resource_path("i18n"))
    ):
        QCoreApplication.installTranslator(qt)
        _installed.append(qt)
    return language
