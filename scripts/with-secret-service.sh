#!/usr/bin/env bash
# Run a command against a real SecretService: gnome-keyring on a private D-Bus session.
#
#   scripts/with-secret-service.sh COMMAND [ARGS...]
#
# Starts `dbus-run-session`, inside it `gnome-keyring-daemon --foreground --unlock
# --components=secrets` with a throw-away password on stdin, waits until
# org.freedesktop.secrets is on the bus, runs COMMAND, then stops the daemon.
# Exit 3 if gnome-keyring or D-Bus is not installed (scripts/install-system-deps.sh
# --secret-service installs them).
set -euo pipefail

for tool in dbus-run-session gnome-keyring-daemon dbus-send; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "with-secret-service: $tool is not installed" >&2
        exit 3
    fi
done

inner() {
    set -euo pipefail
    local home log rc=0
    home="$(mktemp -d)"
    log="$home/gnome-keyring.log"
    # A private keyring directory: never the user's own keyrings.
    export XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/run"
    mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
    chmod 700 "$XDG_RUNTIME_DIR"
    printf 'ci-only-keyring-password' |
        gnome-keyring-daemon --foreground --unlock --components=secrets >"$log" 2>&1 &
    local daemon=$!
    local ready=0
    for _ in $(seq 1 100); do
        if dbus-send --session --print-reply --dest=org.freedesktop.DBus \
            /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
            string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
            ready=1
            break
        fi
        sleep 0.1
    done
    if ((!ready)); then
        echo "with-secret-service: org.freedesktop.secrets did not appear on the bus" >&2
        cat "$log" >&2 || true
        kill "$daemon" 2>/dev/null || true
        return 1
    fi
    echo "with-secret-service: gnome-keyring is serving org.freedesktop.secrets"
    "$@" || rc=$?
    kill "$daemon" 2>/dev/null || true
    wait "$daemon" 2>/dev/null || true
    rm -rf "$home"
    return "$rc"
}

export -f inner
exec dbus-run-session -- bash -c 'inner "$@"' bash "$@"
