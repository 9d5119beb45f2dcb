#!/usr/bin/env bash
# Build "Completion Playground.app" and a .dmg on macOS (run on a Mac; CI: release.yml).
#
#   bash packaging/macos/build-dmg.sh     → dist/completion-playground-<version>-macos-<arch>.dmg
#
# Same PyInstaller spec as Linux and Windows (packaging/completion-playground.spec): on
# macOS it also makes the .app bundle. The icon (.icns) is made from the committed PNG
# sizes with iconutil. Not signed or notarised: set CODESIGN_IDENTITY to sign the bundle.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

PYTHON="${PYTHON:-python3}"
NAME=completion-playground
APP="Completion Playground.app"
version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' app/__init__.py)"
arch="$(uname -m)"

iconset="build/$NAME.iconset"
rm -rf "$iconset" && mkdir -p "$iconset"
for size in 16 32 128 256 512; do
    cp "resources/icons/hicolor/${size}x${size}/apps/$NAME.png" "$iconset/icon_${size}x${size}.png"
    double=$((size * 2))
    if [[ -f "resources/icons/hicolor/${double}x${double}/apps/$NAME.png" ]]; then
        cp "resources/icons/hicolor/${double}x${double}/apps/$NAME.png" \
            "$iconset/icon_${size}x${size}@2x.png"
    fi
done
iconutil -c icns "$iconset" -o "build/$NAME.icns"

"$PYTHON" -m PyInstaller --noconfirm --clean --distpath build/dist --workpath build/work \
    packaging/$NAME.spec
if [[ -n "${CODESIGN_IDENTITY:-}" ]]; then
    codesign --deep --force --options runtime --sign "$CODESIGN_IDENTITY" "build/dist/$APP"
fi

staging="build/dmg"
rm -rf "$staging" && mkdir -p "$staging" dist
cp -R "build/dist/$APP" "$staging/"
ln -s /Applications "$staging/Applications"
dmg="dist/$NAME-$version-macos-$arch.dmg"
rm -f "$dmg"
hdiutil create -volname "Completion Playground" -srcfolder "$staging" -ov -format UDZO "$dmg"
echo "[dmg] $dmg: $(du -h "$dmg" | cut -f1)"
