"""Keys against a real SecretService (gnome-keyring), run by ``make test`` and CI through
``scripts/with-secret-service.sh``. Skipped in the ordinary run (which uses a test keyring).
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import keyring
import pytest

from app.core.keys import SERVICE, KeyStore
from app.core.paths import AppPaths
from app.core.profiles import Profile, ProfileStore

pytestmark = [
    pytest.mark.secretservice,
    pytest.mark.skipif(
        os.environ.get("CP_REAL_KEYRING") != "1",
        reason="needs a real SecretService: make test runs it via scripts/with-secret-service.sh",
    ),
]


def test_the_backend_is_the_real_secret_service():
    backend = keyring.get_keyring()
    assert "SecretService" in type(backend).__module__ + type(backend).__name__
    status = KeyStore().probe()
    assert status.secure, status.problem


def test_keys_round_trip_through_the_secret_service():
    store = KeyStore()
    store.probe()
    ref = f"test-{uuid.uuid4().hex}"
    assert store.set(ref, "sk-real-keyring-123456") is True
    assert KeyStore().get(ref) is None  # a new store must probe before it reads
    fresh = KeyStore()
    fresh.probe()
    assert fresh.get(ref) == "sk-real-keyring-123456"
    assert keyring.get_password(SERVICE, ref) == "sk-real-keyring-123456"
    fresh.delete(ref)
    assert keyring.get_password(SERVICE, ref) is None


def test_cli_profile_reads_its_key_from_the_secret_service(api, tmp_path):
    ref = f"test-{uuid.uuid4().hex}"
    keyring.set_password(SERVICE, ref, "sk-from-secret-service")
    home = tmp_path / "cfg"
    ProfileStore(AppPaths.resolve(home).config_dir).save(
        [Profile(name="relay", base_url=api.base_url(), default_model="m", key_ref=ref)],
        "relay",
    )
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "app", "--config-dir", str(home), "complete",
             "--profile", "relay", "--prompt", "p", "--max-tokens", "2"],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert api.requests[-1].headers["authorization"] == "Bearer sk-from-secret-service"
        files = [p for p in home.rglob("*") if p.is_file()]
        assert all(b"sk-from-secret-service" not in p.read_bytes() for p in files)
    finally:
        keyring.delete_password(SERVICE, ref)
