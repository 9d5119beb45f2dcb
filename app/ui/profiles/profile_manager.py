"""The window's view of profiles and keys: load, edit, save, switch, and the key status.

Wraps :class:`app.core.profiles.ProfileStore`, :class:`app.core.keys.KeyStore` and
:class:`app.core.connections.Connections` for the widgets, with signals. Keyring calls
run in worker threads; the key probe has a time limit so a locked keyring never blocks
the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.core.connections import Connections
from app.core.endpoint import DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT
from app.core.keys import KeyStatus, KeyStore
from app.core.paths import AppPaths
from app.core.profiles import LoadedProfiles, Profile, ProfileError, ProfileStore, new_id

if TYPE_CHECKING:
    import asyncio

__all__ = ["ProfileManager"]


class ProfileManager(QObject):
    profilesChanged = Signal()
    currentChanged = Signal(object)  # Profile
    keyStatusChanged = Signal(object)  # KeyStatus
    problem = Signal(str)

    def __init__(
        self,
        paths: AppPaths,
        connections: Connections,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = ProfileStore(paths.config_dir)
        self.connections = connections
        self._loaded: LoadedProfiles = self.store.load()
        self.load_problem = self._loaded.problem
        self._probe: asyncio.Task[KeyStatus] | None = None
        #: (connect, read) seconds for new profiles (Settings ▸ New profiles).
        self.default_timeouts: tuple[float, float] = (DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT)

    @property
    def keys(self) -> KeyStore:
        return self.connections.keys

    @property
    def profiles(self) -> list[Profile]:
        return list(self._loaded.profiles)

    @property
    def current(self) -> Profile:
        return self._loaded.current_profile

    def find(self, name: str) -> Profile | None:
        return self._loaded.find(name)

    def start_key_probe(self) -> asyncio.Task[KeyStatus]:
        """Probe the keyring once, off the GUI thread, with a time limit."""
        import asyncio

        if self._probe is None:
            self._probe = asyncio.get_running_loop().create_task(self._run_probe())
        return self._probe

    async def _run_probe(self) -> KeyStatus:
        status = await self.connections.probe_keys()
        self.keyStatusChanged.emit(status)
        return status

    async def wait_for_key_status(self) -> KeyStatus:
        return await self.start_key_probe()

    def set_current(self, name: str) -> None:
        if self.find(name) is None or name == self._loaded.current:
            return
        self._loaded.current = name
        self._save()
        self.currentChanged.emit(self.current)

    def _save(self) -> None:
        try:
            self.store.save(self._loaded.profiles, self._loaded.current)
        except (OSError, ProfileError) as exc:
            self.problem.emit(self.tr("Profiles could not be saved: {0}").format(exc))

    def save_profile(self, original_name: str | None, profile: Profile) -> None:
        """Add (``original_name`` None) or replace a profile; raises ProfileError."""
        profile.validate()
        profiles = self._loaded.profiles
        index = next((i for i, p in enumerate(profiles) if p.name == original_name), None)
        clash = self.find(profile.name)
        if clash is not None and (index is None or profiles[index] is not clash):
            raise ProfileError(f"name: a profile named {profile.name!r} exists already")
        if index is None:
            profiles.append(profile)
        else:
            profiles[index] = profile
            if self._loaded.current == original_name:
                self._loaded.current = profile.name
        self._save()
        self.profilesChanged.emit()
        if self._loaded.current == profile.name:
            self.currentChanged.emit(profile)

    def remove(self, name: str) -> None:
        import asyncio

        profile = self.find(name)
        if profile is None or len(self._loaded.profiles) == 1:
            return
        self._loaded.profiles.remove(profile)
        if profile.key_ref:
            asyncio.get_running_loop().run_in_executor(None, self.keys.delete, profile.key_ref)
        was_current = self._loaded.current == name
        if was_current:
            self._loaded.current = self._loaded.profiles[0].name
        self._save()
        self.profilesChanged.emit()
        if was_current:
            self.currentChanged.emit(self.current)

    async def set_key(self, profile: Profile, key: str | None) -> bool | None:
        """Store (or with ``None``/"" remove) a profile's key; True if in the keyring.

        The profile keeps only ``key_ref``; call :meth:`save_profile` afterwards.
        """
        import asyncio

        await self.wait_for_key_status()
        if not key:
            if profile.key_ref:
                await asyncio.to_thread(self.keys.delete, profile.key_ref)
            profile.key_ref = None
            return None
        profile.key_ref = profile.key_ref or f"{profile.id}-{new_id(4)}"
        return await asyncio.to_thread(self.keys.set, profile.key_ref, key)

    async def has_key(self, profile: Profile) -> bool:
        import asyncio

        if not profile.key_ref:
            return False
        await self.wait_for_key_status()
        return bool(await asyncio.to_thread(self.keys.get, profile.key_ref))
