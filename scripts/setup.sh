#!/usr/bin/env bash
# Installs what eCabinet needs on Debian 12, skipping whatever is already there, so a
# second run costs a second. `scripts/setup.sh run` is enough to run the product;
# `scripts/setup.sh test` adds what the end-to-end tests drive the app with, and
# `scripts/setup.sh bench` the peers the benchmarks compare with.
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-run}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Tauri's WebKitGTK stack, the C toolchain, and Xvfb for machines without a display.
packages=(libwebkit2gtk-4.1-dev build-essential pkg-config file curl libxdo-dev libssl-dev
          libayatana-appindicator3-dev librsvg2-dev xvfb)
if [ "$purpose" = bench ]; then
  # The benchmarks' peers: pdftoppm and mutool beside our renderer, nginx beside the
  # council server's downloads, Mosquitto beside the live sitting's fan-out (meeting-load
  # starts its own broker on a free loopback port; the package's service is never used).
  packages+=(poppler-utils mupdf-tools nginx-light mosquitto)
fi
if [ "$purpose" = test ]; then
  # WebKitWebDriver drives the real app window; xdotool answers the system file dialogs it
  # opens (WebDriver cannot reach them); ImageMagick takes screenshots on failure;
  # PostgreSQL's tools (initdb, pg_ctl, psql) let the tests start a throwaway cluster, so
  # every server test runs on PostgreSQL as well as SQLite. The package's own cluster is
  # not used.
  packages+=(webkit2gtk-driver imagemagick xdotool postgresql)
  # The API fuzzer (schemathesis) and the second reader of exported annotations (pypdf),
  # both from PyPI, live in virtual environments of their own; pdftoppm is the first reader.
  packages+=(python3-venv poppler-utils)
fi
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
# PDFium comes from a PyPI wheel (see fetch-pdfium.sh), fetched with pip.
python3 -m pip --version >/dev/null 2>&1 || packages+=(python3 python3-pip)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { echo "cargo is missing: install Rust (https://rustup.rs) and run this again" >&2; exit 1; }

# PDFium, pinned and verified (never committed).
scripts/fetch-pdfium.sh

# The UI's npm packages, only when the lock file changed since the last install.
if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  say "installing the UI's npm packages"
  npm --prefix ui ci --no-audit --no-fund --loglevel=error
fi

if [ "$purpose" = test ]; then
  # schemathesis, pinned, for scripts/fuzz-api.sh (make test, make fuzz); skipped when present.
  scripts/fuzz-api.sh install
  # pypdf, pinned, for crates/pdf/tests/export_checked.rs; skipped when present.
  scripts/pypdf-venv.sh install
fi

if [ "$purpose" = test ] && ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  say "installing tauri-driver (WebDriver bridge to the app window)"
  cargo install tauri-driver --locked --version 2.1.0 --quiet
fi
