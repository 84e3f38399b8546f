#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs everything MemScope needs on Debian 12: the Debian packages and a
# Python environment that adds TensorFlow (CPU) from PyPI beside Debian's NumPy
# and torch. Idempotent: when everything is present it only checks and exits.
set -euo pipefail

VENV="${MEMSCOPE_VENV:-${HOME}/.local/share/memscope/venv}"
# TensorFlow 2.16 is the newest line that accepts NumPy 1.x; Debian's torch is
# built against NumPy 1.24, so NumPy must stay Debian's.
TF_SPEC="tensorflow-cpu==2.16.2"

PACKAGES=(
    build-essential cmake ninja-build pkg-config
    qt6-base-dev qt6-svg-dev libqt6svg6 qt6-gtk-platformtheme
    libqcustomplot-dev libqcustomplot2.1-qt6
    pybind11-dev python3-dev python3-numpy python3-torch python3-pytest python3-coverage libdlpack-dev
    python3-venv python3-pip libopenblas0-pthread libxxhash-dev nlohmann-json3-dev libzstd-dev libgif-dev
    xvfb xauth fonts-dejavu-core clang-format libpng-dev
)

say() { printf 'memscope setup: %s\n' "$*"; }
die() { printf 'memscope setup: error: %s\n' "$*" >&2; exit 1; }

[ -r /etc/debian_version ] || die "this script supports Debian 12 (no /etc/debian_version here)"
command -v dpkg-query >/dev/null || die "dpkg-query not found: not a Debian system?"

missing=()
for p in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = "installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    SUDO=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "need root or sudo to install: ${missing[*]}"
        SUDO=(sudo)
    fi
    "${SUDO[@]}" apt-get update -qq || die "apt-get update failed (network or sources.list?)"
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq \
        "${missing[@]}" >/dev/null || die "apt-get could not install: ${missing[*]}"
fi

SYSPY=/usr/bin/python3
[ -x "$SYSPY" ] || die "$SYSPY missing after installing python3-dev"

if [ ! -x "$VENV/bin/python" ]; then
    say "creating Python environment $VENV (Debian's Python, system site-packages)"
    mkdir -p "$(dirname "$VENV")"
    "$SYSPY" -m venv --system-site-packages "$VENV" || die "could not create the venv at $VENV"
fi

vpy="$VENV/bin/python"
if ! "$vpy" -c 'import tensorflow' >/dev/null 2>&1; then
    say "installing $TF_SPEC into $VENV (keeps Debian's NumPy)"
    numpy_version=$("$SYSPY" -c 'import numpy; print(numpy.__version__)') \
        || die "Debian's NumPy does not import"
    constraints=$(mktemp)
    trap 'rm -f "$constraints"' EXIT
    echo "numpy==$numpy_version" > "$constraints"
    "$vpy" -m pip install -q --disable-pip-version-check -c "$constraints" "$TF_SPEC" \
        || die "pip could not install $TF_SPEC (is PyPI reachable?)"
fi

# torch and TensorFlow must import together in one process: both ship large
# native libraries, and MemScope embeds exactly one interpreter.
if ! out=$(TF_CPP_MIN_LOG_LEVEL=3 "$vpy" -c '
import numpy, torch, tensorflow
print(numpy.__version__, torch.__version__, tensorflow.__version__)' 2>&1); then
    die "NumPy, torch and TensorFlow do not import together in $vpy: ${out##*$'\n'}"
fi
say "ready: numpy/torch/tensorflow ${out##*$'\n'} in $VENV"
