"""Bad config files never stop the app: each reader returns defaults and a problem message.

profiles.json, settings.json, the autosaved session and preset files are read by code that
must not raise anything but its own documented error (none at all for the first three,
:class:`PresetError` for presets), whatever the file holds: any JSON value, any bytes, a
field of the wrong type. A file that cannot be used is kept aside (never deleted); when
even that fails (a read-only folder) the app still starts with defaults and says so. The
CLI and the window are tested too. Base URLs with ``user:password@`` are refused, and one
found in an existing profiles.json is removed without the password being written anywhere.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core import profiles as profiles_module
from app.core import session_state as session_module
from app.core import settings as settings_module
from app.core.endpoint import Endpoint, InvalidBaseURL, normalise_base_url
from app.core.history import record_for
from app.core.messages import Message
from app.core.paths import AppPaths
from app.core.presets import PRESET_KIND, Preset, PresetError, PresetStore, parameter_type_errors
from app.core.profiles import LoadedProfiles, Profile, ProfileError, ProfileStore
from app.core.request import CompletionRequest
from app.core.result import ResultBuilder
from app.core.session_state import SessionFile, WorkingState
from app.core.settings import Settings, SettingsFile

SECRET = "hunter2-s3cret"

# -- strategies ---------------------------------------------------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
PROFILE_FIELDS = ("name", "base_url", "default_model", "headers", "proxy", "connect_timeout",
                  "read_timeout", "key_ref", "kind", "model_path", "id", "unsupported")  # fmt: skip
GOOD_PROFILE = {"name": "p", "base_url": "http://127.0.0.1:9/v1", "kind": "remote"}


def _field_values(names: tuple[str, ...], good: dict[str, Any]) -> st.SearchStrategy[dict]:
    """A dict that starts valid and has a few fields replaced by any JSON value."""
    return st.dictionaries(st.sampled_from(names), json_values, max_size=4).map(
        lambda changes: {**good, **changes}
    )


profile_documents = st.builds(
    lambda items, current, version: {
        "schema_version": version,
        "current": current,
        "profiles": items,
    },
    st.lists(_field_values(PROFILE_FIELDS, GOOD_PROFILE) | json_values, max_size=3),
    json_values,
    st.sampled_from([1, 1, 1, 0, 2, -1, "1", True, None]),
)
SETTINGS_FIELDS = tuple(f for f in Settings.__dataclass_fields__ if f != "extra")
settings_documents = st.builds(
    lambda values: {"schema_version": 1, "settings": values},
    st.dictionaries(st.sampled_from(SETTINGS_FIELDS) | st.text(max_size=5), json_values),
)
SESSION_FIELDS = tuple(WorkingState.__dataclass_fields__)
PARAMETER_NAMES = ("max_tokens", "temperature", "top_p", "n", "best_of", "logprobs", "seed",
                   "presence_penalty", "frequency_penalty", "stream", "echo", "include_usage",
                   "stop", "suffix", "user", "logit_bias", "unknown")  # fmt: skip
parameter_dicts = st.dictionaries(st.sampled_from(PARAMETER_NAMES), json_values, max_size=4)
session_documents = st.builds(
    lambda state, params: {"schema_version": 1, "state": {**state, "parameters": params}},
    st.dictionaries(st.sampled_from(SESSION_FIELDS), json_values, max_size=4),
    parameter_dicts | json_values,
)
preset_documents = st.builds(
    lambda extra, params: {
        "schema_version": 1,
        "kind": PRESET_KIND,
        "name": "p",
        **extra,
        "parameters": params,
    },
    st.dictionaries(
        st.sampled_from(["name", "prompt", "profile", "model", "prompt_mode", "schema_version"]),
        json_values,
        max_size=3,
    ),
    parameter_dicts,
)


def _contents(documents: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes]:
    """Any bytes, any JSON value, or a document of the file's own shape gone wrong."""
    return (
        st.binary(max_size=200)
        | json_values.map(lambda v: json.dumps(v).encode())
        | documents.map(lambda v: json.dumps(v).encode())
        | st.just(b"[" * 100_000)  # too deeply nested for the json module
    )


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _file_kept(folder: Path, name: str, content: bytes) -> bool:
    """The original bytes are still somewhere in ``folder`` (in place or kept aside)."""
    return any(p.read_bytes() == content for p in folder.iterdir() if p.name.startswith(name))


# -- fuzzing each reader --------------------------------------------------------------------


@FUZZ
@given(_contents(profile_documents))
def test_profiles_reader_never_raises(content):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "profiles.json"
        path.write_bytes(content)
        loaded = ProfileStore(Path(folder)).load()
        assert isinstance(loaded, LoadedProfiles) and loaded.profiles
        assert loaded.problem is None or isinstance(loaded.problem, Message)
        for profile in loaded.profiles:
            profile.validate()
            if not profile.is_local_model:
                profile.endpoint(None)
        assert loaded.current in [p.name for p in loaded.profiles]
        if loaded.problem is None or loaded.problem.code != "profiles.credentials_removed":
            assert _file_kept(Path(folder), "profiles.json", content)
        ProfileStore(Path(folder)).save(loaded.profiles, loaded.current)  # usable as loaded


@FUZZ
@given(_contents(settings_documents))
def test_settings_reader_never_raises(content):
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "settings.json").write_bytes(content)
        loaded = SettingsFile(Path(folder)).load()
        loaded.settings.validate()
        assert loaded.problem is None or isinstance(loaded.problem, Message)
        assert _file_kept(Path(folder), "settings.json", content)
        SettingsFile(Path(folder)).save(loaded.settings)


@FUZZ
@given(_contents(session_documents))
def test_session_reader_never_raises(content):
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "session.json").write_bytes(content)
        state, problem = SessionFile(Path(folder)).load()
        assert (state is None) or (problem is None)
        assert problem is None or isinstance(problem, Message)
        if state is not None:
            assert isinstance(state.prompt, str) and isinstance(state.prompt_mode, str)
            assert all(
                isinstance(getattr(state, n), (str, type(None))) for n in ("profile", "model")
            )
            assert not parameter_type_errors(state.parameters)
            assert all(isinstance(o, str) for o in state.outputs)
        assert _file_kept(Path(folder), "session.json", content)


@FUZZ
@given(_contents(preset_documents))
def test_preset_reader_raises_only_preset_error(content):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.json"
        path.write_bytes(content)
        try:
            preset = PresetStore.read(path)
        except PresetError as exc:
            assert str(path) in str(exc)
        else:
            assert isinstance(preset, Preset) and not parameter_type_errors(preset.parameters)
            preset.request(model="m")
        assert PresetStore(Path(folder)).load().presets  # the store reports, never raises
        assert path.read_bytes() == content  # never touched


# -- the cases from the issue, one by one -------------------------------------------------

BAD_PROFILES = {
    "null": "null",
    "a number": "5",
    "a string": '"profiles"',
    "negative schema": '{"schema_version": -1, "profiles": []}',
    "bool schema": '{"schema_version": true, "profiles": []}',
    **{
        f"{field} {json.dumps(value)[:12]}": json.dumps(
            {"schema_version": 1, "profiles": [{**GOOD_PROFILE, field: value}]}
        )
        for field, value in [
            ("base_url", 5),
            ("proxy", 5),
            ("default_model", 5),
            ("name", 5),
            ("name", None),
            ("headers", {"X-A": 5}),
            ("headers", ["a"]),
            ("connect_timeout", "10"),
            ("read_timeout", True),
            ("read_timeout", 1e400),
            ("read_timeout", 10**400),
            ("unsupported", "temperature"),
            ("unsupported", [1]),
            ("kind", 5),
            ("kind", "x"),
            ("model_path", 5),
            ("key_ref", 5),
            ("key_ref", ["k"]),
            ("id", 5),
        ]
    },
}


@pytest.mark.parametrize("content", BAD_PROFILES.values(), ids=BAD_PROFILES.keys())
def test_bad_profiles_file_is_reported_kept_aside_and_defaults_used(tmp_path, content):
    (tmp_path / "profiles.json").write_text(content, encoding="utf-8")
    loaded = ProfileStore(tmp_path).load()
    assert isinstance(loaded.problem, Message) and loaded.problem.code == "profiles.unreadable"
    assert str(tmp_path / "profiles.json") in str(loaded.problem)
    assert [p.name for p in loaded.profiles] == ["Local model"]
    assert (tmp_path / "profiles.json.corrupt").read_text(encoding="utf-8") == content
    assert not (tmp_path / "profiles.json").exists()


@pytest.mark.parametrize(
    "reader",
    [
        lambda folder: ProfileStore(folder).load().problem,
        lambda folder: SettingsFile(folder).load().problem,
        lambda folder: SessionFile(folder).load()[1],
    ],
    ids=["profiles.json", "settings.json", "session.json"],
)
def test_non_utf8_files_are_reported_and_kept_aside(tmp_path, reader):
    content = b'{"settings": {"language": "\xff\xfe"}}'
    for name in ("profiles.json", "settings.json", "session.json"):
        (tmp_path / name).write_bytes(content)
    problem = reader(tmp_path)
    assert isinstance(problem, Message) and "utf-8" in str(problem)
    kept = [p for p in tmp_path.iterdir() if p.suffix == ".corrupt"]
    assert len(kept) == 1 and kept[0].read_bytes() == content


@pytest.mark.parametrize(
    "session_state",
    [
        {"prompt": "x", "model": 5},
        {"prompt": "x", "prompt_mode": None},
        {"prompt": "x", "parameters": {"suffix": 5}},
        {"prompt": "x", "parameters": {"stop": 5}},
        {"prompt": "x", "parameters": {"max_tokens": 10**30}},
        {"prompt": "x", "parameters": {"temperature": "hot"}},
    ],
)
def test_session_fields_the_window_cannot_show_are_reported(tmp_path, session_state):
    (tmp_path / "session.json").write_text(json.dumps({"state": session_state}))
    state, problem = SessionFile(tmp_path).load()
    assert state is None and problem is not None and problem.code == "session.unreadable"
    assert (tmp_path / "session.json.corrupt").exists()


def test_preset_parameters_the_window_cannot_show_are_reported(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"schema_version": 1, "kind": PRESET_KIND, "name": "p",
                                "parameters": {"suffix": 5}}))  # fmt: skip
    with pytest.raises(PresetError, match="suffix"):
        PresetStore.read(path)


def _no_keep_aside(monkeypatch, module) -> None:
    def refuse(path: Path, label: str = "corrupt") -> Path:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(module, "keep_aside", refuse)


@pytest.mark.parametrize(
    ("module", "name", "load", "save"),
    [
        (
            profiles_module,
            "profiles.json",
            lambda s: s.load().problem,
            lambda s: s.save([Profile("a", "http://h/v1")], "a"),
        ),
        (
            settings_module,
            "settings.json",
            lambda s: s.load().problem,
            lambda s: s.save(Settings()),
        ),
        (
            session_module,
            "session.json",
            lambda s: s.load()[1],
            lambda s: s.save(WorkingState(prompt="p")),
        ),
    ],
    ids=["profiles", "settings", "session"],
)
def test_a_bad_file_that_cannot_be_moved_is_reported_and_never_overwritten(
    tmp_path, monkeypatch, module, name, load, save
):
    stores = {"profiles.json": ProfileStore, "settings.json": SettingsFile,
              "session.json": SessionFile}  # fmt: skip
    (tmp_path / name).write_text("{broken")
    store = stores[name](tmp_path)
    with monkeypatch.context() as patch:
        _no_keep_aside(patch, module)
        problem = load(store)
    assert isinstance(problem, Message) and "could not be moved aside" in str(problem)
    assert (tmp_path / name).read_text() == "{broken"  # left in place, untouched
    save(store)  # the folder is writable again: the unread file is moved aside first
    assert (tmp_path / f"{name}.corrupt").read_text() == "{broken"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX, not root")
def test_a_really_read_only_folder(tmp_path):
    (tmp_path / "profiles.json").write_text("null")
    (tmp_path / "settings.json").write_bytes(b"\xff")
    tmp_path.chmod(0o500)
    try:
        assert "could not be moved" in str(ProfileStore(tmp_path).load().problem)
        assert "could not be moved" in str(SettingsFile(tmp_path).load().problem)
        assert AppPaths(tmp_path, tmp_path / "data", tmp_path / "cache").prepare() is not None
    finally:
        tmp_path.chmod(0o700)


def test_folders_that_cannot_be_created_are_reported_not_raised(tmp_path):
    (tmp_path / "cache").write_text("a file where the cache folder should be")
    paths = AppPaths(tmp_path, tmp_path / "data", tmp_path / "cache")
    problem = paths.prepare()
    assert isinstance(problem, Message) and str(tmp_path / "cache") in str(problem)
    assert paths.ensure() is paths  # never raises
    assert (tmp_path / "data").is_dir()  # what could be created was


# -- the window -----------------------------------------------------------------------------


def test_window_starts_when_the_config_folder_is_unusable(open_window, isolated_home):
    isolated_home.mkdir(parents=True)
    (isolated_home / "cache").write_text("not a folder")
    (isolated_home / "profiles.json").write_text('{"profiles": [{"name": "x", "proxy": 5}]}')
    window = open_window()
    assert window.profiles.current.name == "Local model"
    assert "cannot write to" in window.messages.text()
    assert (isolated_home / "profiles.json.corrupt").exists()


def test_window_starts_when_a_bad_profiles_file_cannot_be_moved(
    open_window, isolated_home, monkeypatch
):
    isolated_home.mkdir(parents=True)
    (isolated_home / "profiles.json").write_text('{"profiles": [{"name": 5}]}')
    _no_keep_aside(monkeypatch, profiles_module)
    window = open_window()
    assert window.profiles.current.name == "Local model"
    assert "could not be moved aside" in window.messages.text()
    assert (isolated_home / "profiles.json").read_text() == '{"profiles": [{"name": 5}]}'


def test_a_non_utf8_settings_file_is_reported_by_the_started_app(tmp_path):
    """Through ``main`` (the settings are read once, before the window: still reported)."""
    (tmp_path / "settings.json").write_bytes(b"\xff\xfe not utf-8")
    proc = subprocess.run(
        [sys.executable, "-c",
         "import sys; from app.main import main; from app.ui.shell import application;"
         "orig = application.create_window\n"
         "def create(*a, **k):\n"
         "    w = orig(*a, **k); print('MESSAGE:', w.messages.text()); return w\n"
         "application.create_window = create\n"
         "sys.exit(main(['--config-dir', sys.argv[1], '--smoke-test']))", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "settings.json.corrupt" in proc.stdout
    assert (tmp_path / "settings.json.corrupt").read_bytes() == b"\xff\xfe not utf-8"


# -- the CLI --------------------------------------------------------------------------------


def cli(config_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "complete", "--config-dir", str(config_dir), *args],
        capture_output=True, text=True, encoding="utf-8", timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip


CLI_CASES = ["null", "a number", "base_url 5", "proxy 5", "default_model 5", 'headers {"X-A": 5}']


@pytest.mark.parametrize("case", CLI_CASES)
def test_cli_with_a_bad_profiles_file_exits_2_with_a_note(tmp_path, case):
    (tmp_path / "profiles.json").write_text(BAD_PROFILES[case], encoding="utf-8")
    proc = cli(tmp_path, "--profile", "p", "--prompt", "hi")
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2, proc.stderr
    assert "note: The profiles file" in proc.stderr and "no profile named 'p'" in proc.stderr
    assert (tmp_path / "profiles.json.corrupt").exists()


def test_cli_in_a_read_only_folder_runs_with_a_note(tmp_path, monkeypatch):
    from app.cli import run_complete
    from app.main import build_parser

    (tmp_path / "profiles.json").write_text("5")
    _no_keep_aside(monkeypatch, profiles_module)
    args = build_parser().parse_args(
        ["complete", "--config-dir", str(tmp_path), "--profile", "p", "--prompt", "hi"]
    )
    err = io.StringIO()
    assert run_complete(args, io.StringIO(), io.StringIO(), err) == 2
    assert "could not be moved aside" in err.getvalue()
    assert (tmp_path / "profiles.json").read_text() == "5"


# -- base URLs with credentials ---------------------------------------------------------------

CREDENTIAL_URLS = [
    f"http://user:{SECRET}@127.0.0.1:8080/v1",
    f"https://{SECRET}@api.example.com",
    f"user:{SECRET}@api.example.com/v1",
    f"http://user:{SECRET}@",
]


@pytest.mark.parametrize("url", CREDENTIAL_URLS)
def test_base_urls_with_credentials_are_refused_without_echoing_them(url):
    for attempt in (lambda: normalise_base_url(url), lambda: Endpoint(base_url=url)):
        with pytest.raises(InvalidBaseURL) as info:
            attempt()
        assert "user name or password" in str(info.value) and SECRET not in str(info.value)
        assert "API key field" in str(info.value)
    with pytest.raises(ProfileError) as error:
        Profile("p", url).validate()
    assert str(error.value).startswith("base_url:") and SECRET not in str(error.value)


def test_profiles_with_credentials_are_never_saved(tmp_path):
    with pytest.raises(ProfileError, match="user name or password"):
        ProfileStore(tmp_path).save([Profile("p", CREDENTIAL_URLS[0])], "p")
    assert not (tmp_path / "profiles.json").exists()


def test_credentials_in_an_existing_file_are_removed_and_reported(tmp_path):
    document = {
        "schema_version": 1,
        "current": "relay",
        "future": {"kept": True},
        "profiles": [
            {"name": "relay", "base_url": CREDENTIAL_URLS[0], "default_model": "m",
             "headers": {"X-Team": "a"}, "key_ref": "k1", "extra_field": 1},
            {"name": "plain", "base_url": "http://127.0.0.1:9/v1"},
        ],
    }  # fmt: skip
    (tmp_path / "profiles.json").write_text(json.dumps(document))
    loaded = ProfileStore(tmp_path).load()
    relay = loaded.find("relay")
    assert relay is not None and relay.base_url == "http://127.0.0.1:8080/v1"
    assert (relay.default_model, relay.headers, relay.key_ref) == ("m", {"X-Team": "a"}, "k1")
    assert relay.extra == {"extra_field": 1} and loaded.find("plain") is not None
    assert loaded.current == "relay"
    assert loaded.problem is not None and loaded.problem.code == "profiles.credentials_removed"
    assert "'relay'" in str(loaded.problem) and SECRET not in str(loaded.problem)
    saved = json.loads((tmp_path / "profiles.json").read_text())
    assert saved["future"] == {"kept": True}
    assert saved["profiles"][0]["base_url"] == "http://127.0.0.1:8080/v1"
    for path in tmp_path.rglob("*"):  # no copy of the password anywhere
        assert SECRET.encode() not in path.read_bytes()
    assert ProfileStore(tmp_path).load().problem is None  # reported once


def test_history_never_keeps_credentials_in_base_url():
    request = CompletionRequest(model="m", prompt="p")
    record = record_for(request, ResultBuilder().finish(), profile="p",
                        base_url=CREDENTIAL_URLS[0])  # fmt: skip
    assert record.base_url == "http://127.0.0.1:8080/v1"


def test_cli_refuses_a_base_url_with_credentials(tmp_path):
    proc = cli(tmp_path, "--base-url", CREDENTIAL_URLS[0], "--model", "m", "--prompt", "hi")
    assert proc.returncode == 2 and "user name or password" in proc.stderr
    assert SECRET not in proc.stderr + proc.stdout


def test_cli_uses_a_stored_profile_with_credentials_removed(tmp_path, api):
    url = api.base_url().replace("://", f"://user:{SECRET}@", 1)
    (tmp_path / "profiles.json").write_text(json.dumps(
        {"schema_version": 1, "profiles": [{"name": "p", "base_url": url,
                                           "default_model": "m"}]}))  # fmt: skip
    proc = cli(tmp_path, "--profile", "p", "--prompt", "hi", "--max-tokens", "2")
    assert proc.returncode == 0, proc.stderr
    assert "note: The base URL of the profile 'p' contained a user name or password" in proc.stderr
    assert "authorization" not in {k.lower() for k in api.requests[-1].headers}
    assert SECRET not in proc.stderr + proc.stdout
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "history.sqlite3" for p in files)
    for path in files:
        assert SECRET.encode() not in path.read_bytes(), path
