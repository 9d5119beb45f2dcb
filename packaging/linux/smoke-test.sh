#!/usr/bin/env bash
# Install the built .deb, check the installed app, then remove it (CI runs this as root).
#
#   bash packaging/linux/smoke-test.sh dist/completion-playground_*.deb
#
# Checks: apt installs it with its Depends; the files are where they belong;
# `completion-playground --smoke-test` opens the window offscreen; one CLI completion
# through the installed app against the loopback test server; one completion with the
# bundled local model; the keyring backends are found inside the frozen app; the start-up
# time (average of 5 smoke tests). Then `dpkg -r` removes everything.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

deb="${1:?usage: smoke-test.sh PACKAGE.deb}"
NAME=completion-playground
PYTHON="${PYTHON:-.venv/bin/python}"
export QT_QPA_PLATFORM=offscreen
home="$(mktemp -d)"
export COMPLETION_PLAYGROUND_HOME="$home/config"
server_pid=
cleanup() {
    [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$home"
}
trap cleanup EXIT
step() { printf '[smoke] %s\n' "$*"; }

t0=$SECONDS
# dpkg -i; should a library in Depends be missing, apt fetches it and finishes the install.
if ! dpkg -i "$deb" >/dev/null; then
    apt-get install -f -y --no-install-recommends >/dev/null
fi
step "installed in $((SECONDS - t0)) s: $(dpkg-query -W -f='${Package} ${Version}, Installed-Size ${Installed-Size} KiB' $NAME)"
test -x /opt/$NAME/$NAME
test "$(readlink -f /usr/bin/$NAME)" = "/opt/$NAME/$NAME"
test -f /usr/share/applications/$NAME.desktop
test -f /usr/share/icons/hicolor/256x256/apps/$NAME.png
test -f /usr/share/icons/hicolor/scalable/apps/$NAME.svg
desktop-file-validate /usr/share/applications/$NAME.desktop
appstreamcli validate --no-net /usr/share/metainfo/io.github.completion_playground.metainfo.xml >/dev/null
step "files, .desktop and metainfo valid"

out="$($NAME --smoke-test 2>/dev/null)"
[[ "$out" == ok ]] || { echo "smoke test printed: $out" >&2; exit 1; }
start=$(date +%s%N)
for _ in 1 2 3 4 5; do $NAME --smoke-test >/dev/null 2>&1; done
step "window opens offscreen; start-up (open the window and quit) $(( ($(date +%s%N) - start) / 5000000 )) ms on average"

port="$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$PYTHON" tests/loopback_server.py --port "$port" >/dev/null 2>&1 &
server_pid=$!
for _ in $(seq 50); do
    curl -fs "http://127.0.0.1:$port/v1/models" >/dev/null 2>&1 && break
    sleep 0.1
done
text="$($NAME complete --base-url "http://127.0.0.1:$port/v1" --model test-model \
    --prompt "Say hi" --max-tokens 6 --no-history)"
[[ "$text" == *Hello* ]] || { echo "unexpected completion: $text" >&2; exit 1; }
step "CLI completion through the installed app: ${text//$'\n'/ }"

t1=$SECONDS
local_text="$($NAME complete --profile "Local model" --prompt "The capital of France is" \
    --max-tokens 8 --temperature 0 --seed 1 --no-history)"
[[ -n "${local_text// /}" ]] || { echo "the local model answered nothing" >&2; exit 1; }
step "bundled local model answered in $((SECONDS - t1)) s: ${local_text//$'\n'/ }"

# In a private D-Bus session with gnome-keyring (as `make test` uses): the frozen app's
# keyring must find and use the Secret Service backend.
report="$(bash scripts/with-secret-service.sh $NAME --diagnose)"
printf '%s\n' "$report" | sed 's/^/[smoke]   /'
[[ "$report" == *"stored in the system keyring (keyring.backends.SecretService.Keyring)"* ]] || {
    echo "the keyring backends were not bundled" >&2; exit 1; }
[[ "$report" == *"zh_CN app ok, Qt ok"* ]] || {
    echo "the translations were not bundled" >&2; exit 1; }
[[ "$report" == *"server available, model SmolLM2"* ]] || {
    echo "the local model was not bundled" >&2; exit 1; }

dpkg -r $NAME >/dev/null
test ! -e /opt/$NAME && test ! -e /usr/bin/$NAME
step "removed; total $((SECONDS - t0)) s"
