#!/usr/bin/env bash
# Runs the council server with the demo council and opens the desktop app pointed at it.
# Ctrl-C (or closing the app) stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")/.."

listen="${ECABINET_LISTEN:-127.0.0.1:8470}"
server_data="${ECABINET_DEMO_DATA:-${XDG_DATA_HOME:-$HOME/.local/share}/ecabinet/demo-server}"
pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

if curl -sf "http://$listen/healthz" >/dev/null 2>&1; then
  echo "Something already answers on $listen: stop it, or set ECABINET_LISTEN=127.0.0.1:PORT" >&2
  exit 1
fi

# Two minutes in, the secretariat publishes an amended draft resolution (version 2): read the
# draft first, mark it up, and watch the marks follow it and the changes show in the reader.
amend_after="${ECABINET_DEMO_AMEND_AFTER:-120}"
target/debug/council-server serve --demo --demo-amendment-after "$amend_after" --data-dir "$server_data" --listen "$listen" &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://$listen/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -sf "http://$listen/healthz" >/dev/null || { echo "the council server did not start" >&2; exit 1; }

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  # No screen (a server or CI machine): give the app a virtual one.
  export DISPLAY=:${ECABINET_XVFB_DISPLAY:-99}
  Xvfb "$DISPLAY" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
  pids+=($!)
  sleep 1
  echo "No display found: the app runs on the virtual display $DISPLAY (screenshot: DISPLAY=$DISPLAY import -window root shot.png)"
fi

echo "Server: http://$listen  (data in $server_data)"
echo "Starting the eCabinet app; log in with one of the demo accounts above. Ctrl-C stops everything."
target/debug/ecabinet &
pids+=($!)
wait "${pids[-1]}"
