#!/usr/bin/env bash
# Installs the PDFium shared library that the `ecabinet-pdf` crate binds to at run time.
#
# There is no Debian package for PDFium and GitHub downloads are not reachable from every build
# machine, so the library is taken from the PyPI wheel of pypdfium2, which ships a self-contained
# libpdfium.so (it depends only on libc, libm, libpthread and libgcc_s). Both the wheel and the
# library inside it are pinned by sha256: a PDF engine reads untrusted input, so the binary that
# does it must be exactly the one that was reviewed.
#
# Where it goes (the same logic as `ecabinet_pdf::PdfiumLocation`):
#   ${ECABINET_PDFIUM_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/ecabinet/pdfium}/libpdfium.so
#
# Idempotent: when the library is already installed with the pinned hash it prints one line and
# exits without touching the network.
set -euo pipefail

readonly PYPDFIUM2_VERSION="5.15.2"
readonly PDFIUM_BUILD="8149"
readonly WHEEL_PLATFORM="manylinux_2_17_x86_64"
readonly WHEEL_SHA256="dc31aea5b0fb9fefc9b537a65f4113980b2c40798445736a7e6565bc85161e37"
readonly LIBRARY_SHA256="c76dc0f7839644bfa7c3e3107a6068df714e339c861bb7d4519907b821d427f9"
readonly LIBRARY_IN_WHEEL="pypdfium2_raw/libpdfium.so"

die() {
    echo "fetch-pdfium: error: $*" >&2
    exit 1
}

sha256_of() {
    sha256sum "$1" | cut -d' ' -f1
}

if [[ -n "${ECABINET_PDFIUM_DIR:-}" ]]; then
    install_dir="$ECABINET_PDFIUM_DIR"
else
    [[ -n "${XDG_DATA_HOME:-}" || -n "${HOME:-}" ]] ||
        die "neither ECABINET_PDFIUM_DIR, XDG_DATA_HOME nor HOME is set: cannot choose where to install PDFium"
    install_dir="${XDG_DATA_HOME:-$HOME/.local/share}/ecabinet/pdfium"
fi
target="$install_dir/libpdfium.so"

command -v sha256sum >/dev/null || die "sha256sum is missing (install coreutils)"

if [[ -f "$target" ]]; then
    if [[ "$(sha256_of "$target")" == "$LIBRARY_SHA256" ]]; then
        echo "PDFium build $PDFIUM_BUILD already installed at $target"
        exit 0
    fi
    echo "fetch-pdfium: $target has an unexpected sha256; replacing it with the pinned build" >&2
fi

case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) die "only Linux x86_64 is supported by this script (this machine is $(uname -s) $(uname -m)); set ECABINET_PDFIUM to a libpdfium you installed yourself" ;;
esac

if command -v python3 >/dev/null; then
    python=python3
else
    die "python3 is required (for pip and zipfile); install python3 and python3-pip"
fi
"$python" -m pip --version >/dev/null 2>&1 ||
    die "pip is not available for $python; install python3-pip"

work_dir="$(mktemp -d "${TMPDIR:-/tmp}/fetch-pdfium.XXXXXX")"
staged=""
cleanup() {
    rm -rf "$work_dir"
    if [[ -n "$staged" ]]; then rm -f "$staged"; fi
}
trap cleanup EXIT

echo "fetch-pdfium: downloading pypdfium2 $PYPDFIUM2_VERSION ($WHEEL_PLATFORM) from PyPI"
"$python" -m pip download --quiet --disable-pip-version-check \
    --no-deps --only-binary=:all: \
    --platform "$WHEEL_PLATFORM" --python-version 3.11 \
    "pypdfium2==$PYPDFIUM2_VERSION" -d "$work_dir" ||
    die "pip could not download pypdfium2==$PYPDFIUM2_VERSION (is PyPI reachable? is a proxy needed?)"

shopt -s nullglob
wheels=("$work_dir"/pypdfium2-*.whl)
shopt -u nullglob
((${#wheels[@]} == 1)) || die "expected one pypdfium2 wheel in $work_dir, found ${#wheels[@]}"
wheel="${wheels[0]}"

actual="$(sha256_of "$wheel")"
[[ "$actual" == "$WHEEL_SHA256" ]] ||
    die "the downloaded wheel $(basename "$wheel") has sha256 $actual, expected $WHEEL_SHA256; refusing to install it"

mkdir -p "$install_dir" || die "cannot create $install_dir"
# Stage inside the install directory so the final mv is an atomic rename on one filesystem:
# an app starting meanwhile sees either no library or the whole library, never half of one.
staged="$(mktemp "$install_dir/.libpdfium.so.XXXXXX")"

"$python" - "$wheel" "$LIBRARY_IN_WHEEL" "$staged" <<'PY' || die "could not extract $LIBRARY_IN_WHEEL from $wheel"
import shutil
import sys
import zipfile

wheel, member, destination = sys.argv[1:4]
with zipfile.ZipFile(wheel) as archive, archive.open(member) as source, open(destination, "wb") as sink:
    shutil.copyfileobj(source, sink)
PY

actual="$(sha256_of "$staged")"
[[ "$actual" == "$LIBRARY_SHA256" ]] ||
    die "libpdfium.so from the wheel has sha256 $actual, expected $LIBRARY_SHA256; refusing to install it"

chmod 0755 "$staged"
mv -f "$staged" "$target"
staged=""
echo "PDFium build $PDFIUM_BUILD installed at $target"
