"""``scripts/pip_progress.py``: the install's progress lines, from pip's and the build's output."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import pip_progress  # noqa: E402

# As pip -v showed them while it built llama-cpp-python 0.3.x with Ninja (paths shortened).
NINJA_COMPILE = (
    "[143/193] /usr/bin/g++ -DGGML_SHARED -DLLAMA_BUILD -Dmtmd_EXPORTS -I/tmp/pip-install-x/"
    "vendor/llama.cpp/include -O3 -DNDEBUG -fPIC -MD -MT vendor/llama.cpp/tools/mtmd/CMakeFiles/"
    "mtmd.dir/mtmd-image.cpp.o -MF x.o.d -o vendor/llama.cpp/tools/mtmd/CMakeFiles/mtmd.dir/"
    "mtmd-image.cpp.o -c /tmp/pip-install-x/vendor/llama.cpp/tools/mtmd/mtmd-image.cpp"
)
NINJA_LINK = "[150/193] : && /usr/bin/g++ -fPIC -O3 -shared -o bin/libllama.so obj/a.o obj/b.o && :"
MAKE_LINE = "[ 42%] Building CXX object vendor/llama.cpp/ggml/src/CMakeFiles/ggml.dir/ggml.cpp.o"


def test_ninja_lines_give_the_share_done_and_the_file():
    detail = pip_progress.build_detail(NINJA_COMPILE)
    assert detail == "74% (143/193) compiling mtmd-image.cpp"
    assert pip_progress.build_detail(NINJA_LINK) == "77% (150/193) linking libllama.so"
    short = pip_progress.build_detail("[3/193] Building C object ggml/src/ggml.c.o")
    assert short == "1% (3/193) Building C object ggml/src/ggml.c.o"


def test_make_lines_and_other_lines():
    assert pip_progress.build_detail(MAKE_LINE).startswith("42% Building CXX object")
    assert pip_progress.build_detail("Collecting httpx") is None
    assert pip_progress.build_detail("[notice] A new release of pip is available") is None
    assert pip_progress.build_detail("[0/0] nothing") is None


def fake_pip(lines: list[str], code: int = 0) -> list[str]:
    script = textwrap.dedent(f"""
        import sys
        for line in {lines!r}:
            print(line, flush=True)
        sys.exit({code})
    """)
    return [sys.executable, "-c", script]


def test_the_build_is_followed_step_by_step(tmp_path, capsys):
    lines = [
        "Collecting llama-cpp-python",
        "Building wheel for llama-cpp-python (pyproject.toml): started",
        "[1/193] /usr/bin/gcc -o a.o -c /x/ggml.c",
        NINJA_COMPILE,
        "Successfully installed llama-cpp-python-0.3.9",
    ]
    log = tmp_path / "venv" / "install.log"
    assert pip_progress.follow(fake_pip(lines), log, every=0.0) == 0
    shown = capsys.readouterr().out.splitlines()
    assert any("Building wheel for llama-cpp-python" in line and "compiling mtmd-image.cpp" in line
               and "74% (143/193)" in line for line in shown), shown  # fmt: skip
    assert "Successfully installed" in shown[-2] and shown[-1].lstrip().startswith("done in")
    assert log.read_text().splitlines() == lines  # the whole output is kept


def test_a_failure_prints_the_log_tail_and_keeps_the_exit_code(tmp_path, capsys):
    lines = ["Collecting nothing-here", "ERROR: No matching distribution found for nothing-here"]
    assert pip_progress.follow(fake_pip(lines, code=1), tmp_path / "install.log") == 1
    err = capsys.readouterr().err
    assert "No matching distribution" in err and "pip failed after" in err
