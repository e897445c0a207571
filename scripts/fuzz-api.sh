#!/usr/bin/env bash
# Fuzzes the whole council API with schemathesis: a real `council-server serve --demo` on a
# loopback port, its /api/openapi.json, and a token of each role. The checks: no 5xx, no
# response that breaks the documented schema or content type, no undocumented status, and
# no operation that answers without its token.
# Anything found exits non-zero, so `make test` fails.
#
#   scripts/fuzz-api.sh install   install schemathesis into its virtual environment (setup.sh test)
#   scripts/fuzz-api.sh quick     the bounded run of `make test` (about a minute)
#   scripts/fuzz-api.sh deep      `make fuzz`: many more cases per operation, and the stateful phase
#
# Settings and the exclusions still in place, each with its reason: scripts/fuzz-api.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-quick}"

SCHEMATHESIS_VERSION=4.32.5
venv="${XDG_CACHE_HOME:-$HOME/.cache}/ecabinet/schemathesis-$SCHEMATHESIS_VERSION"
schemathesis="$venv/bin/schemathesis"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

install() {
  # The stamp is written last, so an interrupted install is redone rather than trusted.
  [ -f "$venv/.installed" ] && return 0
  say "installing schemathesis $SCHEMATHESIS_VERSION into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  touch "$venv/.installed"
}

case "$mode" in
  install) install; exit 0 ;;
  # Per operation and role: a few generated cases on top of the examples and the coverage
  # phase's boundary values. Five roles × 18 operations stay within about a minute.
  quick) budget=(--max-examples 20 --phases examples,coverage,fuzzing) ;;
  deep) budget=(--max-examples 200 --phases examples,coverage,fuzzing,stateful) ;;
  *) echo "usage: $0 [install|quick|deep]" >&2; exit 2 ;;
esac
[ -x "$schemathesis" ] || { echo "schemathesis is missing: run scripts/setup.sh test" >&2; exit 1; }

server="${CARGO_TARGET_DIR:-target}/debug/council-server"
[ -x "$server" ] || { echo "$server is missing: cargo build -p council-server" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/ecabinet-fuzz.XXXXXX")"
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

password="fuzz-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
ECABINET_DEMO_PASSWORD="$password" ECABINET_LOG=warn \
  "$server" serve --demo --data-dir "$work/data" --listen 127.0.0.1:0 >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
# Seeding the demo checks its papers in PDF workers: allow a slow machine a minute.
for _ in $(seq 600); do
  grep -q '^council-server listening on ' "$work/server.out" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
base="$(sed -n 's/^council-server listening on //p' "$work/server.out")"
if [ -z "$base" ]; then
  echo "the council server did not start:" >&2
  cat "$work/server.log" >&2
  exit 1
fi

token_of() {
  curl -sf -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$password\"}" "$base/api/v1/auth/login" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

# Every role signs in before any fuzzing: the fuzzed login and password routes fail often
# enough to set off the login throttle for this address, which must not lock out the roles
# still to come.
roles=(secretary chair delegate01 guest admin)
declare -A tokens
for username in "${roles[@]}"; do
  tokens[$username]="$(token_of "$username")"
done

failed=()
for username in "${roles[@]}"; do
  token="${tokens[$username]}"
  say "fuzzing $base/api/openapi.json as $username ($mode)"
  # Logging out revokes the token mid-run (excluded in fuzz-api.toml); the PDF upload's
  # body goes out as raw bytes through the serializer in fuzz-api-hooks.py.
  if ! SCHEMATHESIS_HOOKS=scripts/fuzz-api-hooks.py "$schemathesis" --no-color \
    --config-file scripts/fuzz-api.toml run "$base/api/openapi.json" \
    --header "Authorization: Bearer $token" "${budget[@]}" \
    --report junit --report-junit-path "$work/junit-$username.xml" \
    >"$work/fuzz-$username.txt" 2>&1; then
    failed+=("$username")
    cat "$work/fuzz-$username.txt"
  else
    grep -E '^(Test cases|  [0-9]+ generated)' -A1 "$work/fuzz-$username.txt" | grep generated || true
  fi
done

if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "the council server died during the run:" >&2
  tail -50 "$work/server.log" >&2
  exit 1
fi
# One closing line in the plain form test reports end with: a run per role.
summary="fuzz: $(( ${#roles[@]} - ${#failed[@]} )) passed, ${#failed[@]} failed"
if [ ${#failed[@]} -gt 0 ]; then
  echo "schemathesis found problems as: ${failed[*]} (above; replay one with its curl line)" >&2
  echo "server log (warnings and errors):" >&2
  tail -40 "$work/server.log" >&2
  echo "$summary"
  exit 1
fi
say "the API answered every generated request as documented"
echo "$summary"
