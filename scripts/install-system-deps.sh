#!/usr/bin/env bash
# Install the Debian packages that Qt 6 (PySide6-Essentials wheels) needs at run time
# for the "offscreen" and "xcb" platform plugins, plus fonts.
#
# The PySide6 wheels bundle Qt itself but link against system libraries. The list
# below was derived from `ldd` on PySide6/Qt/lib/libQt6{Core,Gui,Widgets,Network,
# DBus,OpenGL,Svg,XcbQpa}.so.6 and Qt/plugins/{platforms,xcbglintegrations,
# imageformats,tls,platforminputcontexts,iconengines}/*.so, mapped with `dpkg -S`.
# On a fresh Debian 12 machine of this project's kind only libxcb-icccm4 and
# libxcb-keysyms1 were actually missing (needed by the xcb plugin); the rest are
# listed so that a leaner Debian/Ubuntu machine also ends up complete.
#
# Usage: scripts/install-system-deps.sh [--xvfb] [--secret-service] [--packaging]
#        [--no-cjk-fonts] [--check]
#   --secret-service  gnome-keyring + D-Bus for the keyring tests, and curl (the tests
#                   run View code's curl snippets)
#   --packaging     binutils, desktop-file-utils, appstream (make package; dpkg-deb is in dpkg)
#   --xvfb          also install xvfb (a virtual X server; not needed for tests,
#                   which use QT_QPA_PLATFORM=offscreen)
#   --no-cjk-fonts  skip fonts-noto-cjk and fonts-noto-color-emoji (~67 MB download)
#   --check         only report what is missing; exit 1 if anything is
#
# Idempotent: when everything is present it runs a single dpkg-query and exits.
# Without root or usable sudo it prints the apt-get command to run and exits 0.
set -euo pipefail

log() { printf '[system-deps] %s\n' "$*"; }

# --- packages ----------------------------------------------------------------
# Qt core/gui/widgets/network/dbus and the offscreen platform plugin.
QT_BASE_PKGS=(
    libglib2.0-0      # libglib-2.0, libgthread-2.0 (QtCore event loop)
    libdbus-1-3       # QtDBus
    libegl1           # libEGL   (QtGui / OpenGL)
    libgl1            # libGL    (QtGui / OpenGL, pulls libglx0 + libglvnd0)
    libfontconfig1    # font discovery
    libfreetype6      # font rendering
    libpng16-16       # PNG image I/O
    libxkbcommon0     # keymaps (QtGui)
    libx11-6          # QtGui links libX11
    libgssapi-krb5-2  # QtNetwork (GSSAPI auth)
)
# The xcb platform plugin (libqxcb.so / libQt6XcbQpa.so.6) and its GL integrations.
QT_XCB_PKGS=(
    libx11-xcb1
    libxcb1
    libxcb-cursor0       # required by Qt >= 6.5 to load the xcb plugin at all
    libxcb-icccm4        # MISSING on a fresh machine of this kind
    libxcb-keysyms1      # MISSING on a fresh machine of this kind
    libxcb-image0
    libxcb-render0
    libxcb-render-util0
    libxcb-shape0
    libxcb-shm0
    libxcb-sync1
    libxcb-util1
    libxcb-xfixes0
    libxcb-xkb1
    libxcb-randr0
    libxcb-glx0
    libxkbcommon-x11-0
)
FONT_PKGS=(fontconfig fonts-dejavu-core)
# CJK text and colour emoji (without them Chinese and 🙂 show as boxes).
CJK_FONT_PKGS=(fonts-noto-cjk fonts-noto-color-emoji)
XVFB_PKGS=(xvfb xauth)
# A real SecretService for the keyring tests (make test): gnome-keyring on a private D-Bus.
SECRET_SERVICE_PKGS=(gnome-keyring dbus dbus-bin dbus-daemon)
# Building and checking the .deb (make package): strip and objdump, desktop-file-validate,
# appstreamcli.
PACKAGING_PKGS=(binutils desktop-file-utils appstream)
# Tools the tests run for real (View code's curl snippets are executed with curl).
TEST_TOOL_PKGS=(curl ca-certificates)

want_xvfb=0
want_secrets=0
want_packaging=0
want_cjk=1
check_only=0
for arg in "$@"; do
    case "$arg" in
        --xvfb) want_xvfb=1 ;;
        --secret-service) want_secrets=1 ;;
        --packaging) want_packaging=1 ;;
        --no-cjk-fonts) want_cjk=0 ;;
        --check) check_only=1 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) log "unknown option: $arg"; exit 2 ;;
    esac
done

if ! command -v dpkg-query >/dev/null 2>&1; then
    log "dpkg-query not found: not a Debian-based system; install Qt 6 runtime libraries"
    log "(EGL/GL, fontconfig, xkbcommon, xcb-cursor/icccm/keysyms/...) with your package manager."
    exit 0
fi

pkgs=("${QT_BASE_PKGS[@]}" "${QT_XCB_PKGS[@]}" "${FONT_PKGS[@]}")
((want_cjk)) && pkgs+=("${CJK_FONT_PKGS[@]}")
((want_xvfb)) && pkgs+=("${XVFB_PKGS[@]}")
((want_secrets)) && pkgs+=("${SECRET_SERVICE_PKGS[@]}" "${TEST_TOOL_PKGS[@]}")
((want_packaging)) && pkgs+=("${PACKAGING_PKGS[@]}")

# One dpkg-query for all packages (fast path). Unknown packages print nothing.
declare -A installed=()
while IFS=' ' read -r name status; do
    [[ "$status" == "installed" ]] && installed["${name%%:*}"]=1
done < <(dpkg-query -W -f='${binary:Package} ${db:Status-Status}\n' "${pkgs[@]}" 2>/dev/null || true)

missing=()
for p in "${pkgs[@]}"; do
    [[ -n "${installed[$p]:-}" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
    log "all ${#pkgs[@]} Debian packages present (Qt runtime libs, fonts$( ((want_xvfb)) && echo ', xvfb'))"
    exit 0
fi

log "missing Debian packages: ${missing[*]}"
install_cmd="apt-get install -y --no-install-recommends ${missing[*]}"

if ((check_only)); then
    log "run: sudo apt-get update && sudo $install_cmd"
    exit 1
fi

# --- privileges ----------------------------------------------------------------
SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO=(sudo -n)
    elif command -v sudo >/dev/null 2>&1 && [[ -t 0 ]]; then
        log "sudo will ask for your password to install them"
        SUDO=(sudo)
    else
        log "not root and no usable sudo: please run this yourself, then retry:"
        log "    sudo apt-get update && sudo $install_cmd"
        log "continuing without them (Qt may fail to load its platform plugin)"
        exit 0
    fi
fi

export DEBIAN_FRONTEND=noninteractive
APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o Dpkg::Use-Pty=0 -o APT::Color=0)

updated=0
apt_update() {
    ((updated)) && return 0
    log "apt-get update"
    "${APT[@]}" update -qq
    updated=1
}

# Decide whether package lists need refreshing: none at all, older than a week,
# or a needed package that apt has no candidate for.
lists=/var/lib/apt/lists
if ! compgen -G "$lists/*_Packages*" >/dev/null; then
    log "apt package lists are missing"
    apt_update
elif [[ -n "$(find "$lists" -maxdepth 0 -mtime +7 2>/dev/null)" ]]; then
    log "apt package lists are older than 7 days"
    apt_update
else
    for p in "${missing[@]}"; do
        cand="$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')"
        if [[ -z "$cand" || "$cand" == "(none)" ]]; then
            log "apt has no candidate for $p"
            apt_update
            break
        fi
    done
fi

log "${SUDO[*]:+${SUDO[*]} }$install_cmd"
if ! "${APT[@]}" install -y -q --no-install-recommends "${missing[@]}"; then
    if ((updated)); then
        log "apt-get install failed"
        exit 1
    fi
    log "apt-get install failed; refreshing package lists and retrying once"
    apt_update
    "${APT[@]}" install -y -q --no-install-recommends "${missing[@]}"
fi
log "installed: ${missing[*]}"
