"""View code and Import curl in the main window.

View code (Ctrl+Shift+C) shows what Run would send — the same body, without the
parameters the profile is known to reject — to the current profile's URL, and follows
the editor while it is open. The key is never shown: code reads it from
``$OPENAI_API_KEY``, and the stored key is passed to the generator only so that it can
be taken out should it appear anywhere (a prompt that quotes it, a header).

Import curl reads a pasted command (:func:`app.core.curl_parse.parse_curl`), selects the
remote profile whose base URL matches or creates one ("Imported – host"), puts a literal
key into the keyring through :class:`ProfileManager`, and fills the editor (one undo
step). Problems are shown in the dialog, which keeps the pasted text.

The dialogs, the code generator and the curl reader load when first used (start-up
imports only what the first frame needs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget

from app.core.capabilities import without_unsupported
from app.core.endpoint import InvalidBaseURL, normalise_base_url
from app.core.profiles import Profile, ProfileError
from app.core.request import CompletionRequest, RequestValidationError
from app.ui.common.actions import text_action
from app.ui.common.message_area import Severity
from app.ui.common.task_keeper import TaskKeeper
from app.ui.common.wording import text_of
from app.ui.common.workspace import Workspace
from app.ui.profiles.profile_manager import ProfileManager

if TYPE_CHECKING:
    import asyncio

    from app.core.curl_parse import ImportedCurl
    from app.ui.code.code_view import CodeViewDialog, CurlImportDialog

__all__ = ["CodeActions"]

LOCAL_PLACEHOLDER_URL = "http://127.0.0.1:8080/v1"


def _same_base(url: str, base: str) -> bool:
    try:
        return normalise_base_url(url) == base
    except InvalidBaseURL:
        return False


class CodeActions(QObject):
    """``schedule()`` is to be called whenever the request may have changed (the window
    connects its editors' change signals to it)."""

    def __init__(self, workspace: Workspace, profiles: ProfileManager, window: QWidget) -> None:
        super().__init__(window)
        self.workspace = workspace
        self.profiles = profiles
        self.window = window
        self.code_dialog: CodeViewDialog | None = None
        self.import_dialog: CurlImportDialog | None = None
        self._secret: str | None = None
        self._tasks = TaskKeeper()
        self.view_action = text_action(self.tr("View code…"), window)
        self.view_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.view_action.setToolTip(self.tr("The current request as curl, Python or JavaScript"))
        self.view_action.triggered.connect(lambda: self.show_code())
        self.import_action = text_action(self.tr("Import curl command…"), window)
        self.import_action.triggered.connect(lambda: self.show_import())
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(150)
        self._refresh.timeout.connect(self.refresh)
        profiles.currentChanged.connect(lambda _: self._on_profile())

    # -- View code -------------------------------------------------------------------------

    def show_code(self) -> CodeViewDialog:
        if self.code_dialog is None:
            from app.ui.code.code_view import CodeViewDialog

            self.code_dialog = CodeViewDialog(self.window)
            self.code_dialog.languageChanged.connect(lambda _: self.refresh())
        self.refresh()
        self._load_secret()
        self.code_dialog.show()
        self.code_dialog.raise_()
        self.code_dialog.activateWindow()
        return self.code_dialog

    def schedule(self) -> None:
        if self.code_dialog is not None and self.code_dialog.isVisible():
            self._refresh.start()

    def _on_profile(self) -> None:
        self._secret = None
        if self.code_dialog is not None and self.code_dialog.isVisible():
            self._load_secret()
            self._refresh.start()

    def _load_secret(self) -> None:
        """Fetch the stored key (off the GUI thread) so the generator can keep it out."""
        profile = self.profiles.current

        async def load() -> None:
            try:
                self._secret = await self.profiles.connections.key_for(profile)
            except Exception:  # no key is fine: the code has none anyway
                self._secret = None
            self.refresh()

        self._tasks.spawn(load())

    def _base_url(self, profile: Profile) -> tuple[str, str]:
        """The URL to show and a sentence about it."""
        if not profile.is_local_model:
            return profile.base_url, ""
        info = self.profiles.connections.local_model.info
        if info is not None:
            return info.base_url, self.tr(
                "The built-in model's server listens on this port while the app runs and "
                "takes the session key the app gave it; to script a local model, start "
                "llama.cpp's server yourself (then no key is needed)."
            )
        return LOCAL_PLACEHOLDER_URL, self.tr(
            "The built-in model is not running; the URL is where a llama.cpp server "
            "started by you would listen (llama-server --port 8080)."
        )

    def refresh(self) -> None:
        dialog = self.code_dialog
        if dialog is None:
            return
        profile = self.profiles.current
        try:
            request = self.workspace.build_request()
        except RequestValidationError as exc:
            dialog.show_problem(self.tr("The request is not valid yet: {0}").format(exc))
            return
        from app.core.code_export import DEFAULT_KEY_ENV, generate

        request, dropped = without_unsupported(request, profile.unsupported)
        base_url, url_note = self._base_url(profile)
        code = generate(
            request, base_url, language=dialog.current_language(),
            extra_headers=profile.headers, has_key=not profile.is_local_model,
            secrets=[self._secret] if self._secret else [],
        )  # fmt: skip
        notes = []
        if not profile.is_local_model:
            notes.append(
                self.tr("The key is read from ${0}; it is never written into the code.").format(
                    DEFAULT_KEY_ENV
                )
            )
        if dropped:
            notes.append(
                self.tr("Left out, as Run does (unsupported by {0}): {1}.").format(
                    profile.name, ", ".join(dropped)
                )
            )
        if url_note:
            notes.append(url_note)
        dialog.show_code(code, " ".join(notes))

    # -- Import curl -------------------------------------------------------------------------

    def show_import(self) -> CurlImportDialog:
        if self.import_dialog is None:
            from app.ui.code.code_view import CurlImportDialog

            self.import_dialog = CurlImportDialog(self.window)
            self.import_dialog.importRequested.connect(self.import_command)
        self.import_dialog.show()
        self.import_dialog.raise_()
        self.import_dialog.activateWindow()
        return self.import_dialog

    def import_command(self, text: str) -> asyncio.Task[bool] | None:
        from app.core.curl_parse import CurlImportError, parse_curl

        dialog = self.import_dialog
        try:
            imported = parse_curl(text)
            request = imported.request()
        except CurlImportError as exc:
            if dialog is not None:
                dialog.show_error(text_of(exc.msg))
            return None
        if dialog is not None:
            dialog.begin()
        return self._tasks.spawn(self._import(imported, request))

    def _unique_name(self, host: str) -> str:
        base = self.tr("Imported – {0}").format(host)
        name, i = base, 2
        while self.profiles.find(name) is not None:
            name, i = f"{base} ({i})", i + 1
        return name

    async def _import(self, imported: ImportedCurl, request: CompletionRequest) -> bool:
        manager = self.profiles
        dialog = self.import_dialog
        notes = [text_of(note) for note in imported.notes]
        profile = next(
            (p for p in manager.profiles
             if not p.is_local_model and _same_base(p.base_url, imported.base_url)),
            None,
        )  # fmt: skip
        try:
            if profile is None:
                host = urlsplit(imported.base_url).netloc
                profile = Profile(
                    name=self._unique_name(host), base_url=imported.base_url,
                    default_model=request.model, headers=dict(imported.headers),
                    proxy=imported.proxy,
                )  # fmt: skip
                if imported.api_key:
                    where = await manager.set_key(profile, imported.api_key)
                    notes.append(self._key_note(where))
                manager.save_profile(None, profile)
                notes.insert(0, self.tr("Created the profile “{0}”.").format(profile.name))
            else:
                if imported.api_key:
                    if await manager.has_key(profile):
                        notes.append(
                            self.tr(
                                "The profile already has a key, which was kept; edit the "
                                "profile to replace it."
                            )
                        )
                    else:
                        where = await manager.set_key(profile, imported.api_key)
                        manager.save_profile(profile.name, profile)
                        notes.append(self._key_note(where))
                notes.insert(0, self.tr("Using the profile “{0}”.").format(profile.name))
        except ProfileError as exc:
            if dialog is not None:
                dialog.show_error(str(exc))
            return False
        if imported.key_placeholder and not await manager.has_key(profile):
            notes.append(
                self.tr("The command reads the key from ${0}: add the key to the profile.").format(
                    imported.key_placeholder
                )
            )
        manager.set_current(profile.name)
        self.workspace.apply_setup(
            request.prompt, "text", request.parameters(), None, request.model or None
        )
        if dialog is not None:
            dialog.text.clear()
            dialog.error.clear()
            dialog.import_button.setEnabled(True)
            dialog.close()
        self.workspace.tell(
            self.tr("Imported the curl command.") + " " + " ".join(notes), Severity.INFO
        )
        return True

    def _key_note(self, where: bool | None) -> str:
        if where is False:
            return self.tr("No secure storage: the key is kept for this session only.")
        return self.tr("The key is in the system keyring.")
