#!/usr/bin/env bash
# Assemble the .deb from the PyInstaller folder: the app under /opt/completion-playground,
# a launcher in /usr/bin, the .desktop file, hicolor icons and AppStream metainfo.
# Built with `dpkg-deb --root-owner-group` (files owned by root without fakeroot).
#
#   bash packaging/linux/build-deb.sh build/dist/completion-playground
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

app_dir="${1:?usage: build-deb.sh PYINSTALLER_DIR}"
NAME=completion-playground
APP_ID=io.github.completion_playground
version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' app/__init__.py)"
arch="$(dpkg --print-architecture)"
root="build/deb/${NAME}_${version}_${arch}"
rm -rf "$root"
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
    "$root/usr/share/metainfo" "$root/usr/share/icons/hicolor/scalable/apps" \
    "$root/usr/share/doc/$NAME"

cp -a "$app_dir" "$root/opt/$NAME"
# A symlink: the frozen app finds its _internal folder through the resolved path.
ln -s "/opt/$NAME/$NAME" "$root/usr/bin/$NAME"
install -m 644 packaging/linux/$NAME.desktop "$root/usr/share/applications/"
install -m 644 "packaging/linux/$APP_ID.metainfo.xml" "$root/usr/share/metainfo/"
install -m 644 "resources/icons/$NAME.svg" "$root/usr/share/icons/hicolor/scalable/apps/"
for png in resources/icons/hicolor/*/apps/$NAME.png; do
    size_dir="$(basename "$(dirname "$(dirname "$png")")")"
    install -D -m 644 "$png" "$root/usr/share/icons/hicolor/$size_dir/apps/$NAME.png"
done
cat > "$root/usr/share/doc/$NAME/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Completion Playground
License: MIT

Files: opt/$NAME/_internal/PySide6/* opt/$NAME/_internal/shiboken6/*
License: LGPL-3.0-only
Comment: Qt and Qt for Python; the About dialog lists every bundled component and licence.
COPYRIGHT

installed_kb="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
# The oldest glibc the bundled binaries accept: the newest GLIBC_x.y symbol version they
# use (PySide6's wheels need 2.34; libpython and the libraries PyInstaller copies from the
# build machine may need more, so build on the oldest system you want to support).
glibc="$(find "$root/opt/$NAME" -type f \( -name '*.so*' -o -name "$NAME" \) \
    -exec objdump -T {} + 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' \
    | sort -uV | tail -n1)"
echo "[deb] needs glibc >= ${glibc:-2.34}"
# The Qt xcb/wayland plugins' system libraries, fonts and D-Bus (keyring, portals).
depends=(
    "libc6 (>= ${glibc:-2.34})" libegl1 libgl1 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0
    libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
    libxcb-image0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0
    libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxcb-randr0 libxcb-glx0
    libxkbcommon0 libxkbcommon-x11-0 libwayland-client0 libwayland-cursor0 libwayland-egl1
)
printf -v depends_line '%s, ' "${depends[@]}"
cat > "$root/DEBIAN/control" <<CONTROL
Package: $NAME
Version: $version
Architecture: $arch
Maintainer: Completion Playground developers <completion-playground@users.noreply.github.com>
Installed-Size: $installed_kb
Depends: ${depends_line%, }
Recommends: fonts-noto-cjk, gnome-keyring | kwalletmanager
Section: devel
Priority: optional
Description: Desktop playground for OpenAI-compatible completion endpoints
 Experiment with prompts against any OpenAI-compatible /v1/completions endpoint
 (OpenAI, API relays, llama.cpp, vLLM, Ollama, LM Studio): streaming output,
 token probabilities, presets, a searchable history and API keys kept in the
 system keyring. Includes a small local model (SmolLM2-135M) for offline use.
CONTROL
# Refresh the icon cache and the desktop database when the tools exist.
for script in postinst postrm; do
    cat > "$root/DEBIAN/$script" <<'SCRIPT'
#!/bin/sh
set -e
if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
fi
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q /usr/share/applications || true
fi
SCRIPT
    chmod 755 "$root/DEBIAN/$script"
done

mkdir -p dist
deb="dist/${NAME}_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "[deb] $deb: $(du -h "$deb" | cut -f1), installed $((installed_kb / 1024)) MB"
