#!/usr/bin/env bash
# pypdf, pinned, in a virtual environment of its own: the second, independent reader that
# crates/pdf/tests/export_checked.rs checks exported annotations with (pdftoppm is the first).
# The test finds the environment at the path below and fails, naming this script, when it
# is missing.
#
#   scripts/pypdf-venv.sh install   create it (run by `scripts/setup.sh test`); skipped when present
#   scripts/pypdf-venv.sh python    print the path of its python
set -euo pipefail
cd "$(dirname "$0")/.."

PYPDF_VERSION=7.1.1
venv="${XDG_CACHE_HOME:-$HOME/.cache}/ecabinet/pypdf-$PYPDF_VERSION"

case "${1:-install}" in
  install)
    # The stamp is written last, so an interrupted install is redone rather than trusted.
    [ -f "$venv/.installed" ] && exit 0
    printf '\033[1m==> %s\033[0m\n' "installing pypdf $PYPDF_VERSION into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "pypdf==$PYPDF_VERSION"
    touch "$venv/.installed"
    ;;
  python) echo "$venv/bin/python" ;;
  *) echo "usage: $0 [install|python]" >&2; exit 2 ;;
esac
