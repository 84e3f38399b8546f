#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's two commands: `tools/dev.sh run` and `tools/dev.sh test`.
# Each one sets everything up, configures, builds (-j2) and then launches the
# app or runs the whole test suite.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
VENV="${MEMSCOPE_VENV:-${HOME}/.local/share/memscope/venv}"
BUILD="${MEMSCOPE_BUILD_DIR:-$root/build}"

usage() { echo "usage: tools/dev.sh run [app arguments] | test [ctest arguments]" >&2; exit 2; }
[ $# -ge 1 ] || usage
cmd=$1; shift

bash tools/setup.sh

cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DMEMSCOPE_PYTHON="$VENV/bin/python" -DMEMSCOPE_WERROR=ON >/dev/null
cmake --build "$BUILD" -j2

case "$cmd" in
run)
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
        echo "memscope: no display found; starting under a virtual X server (xvfb-run)." >&2
        exec xvfb-run -a "$BUILD/app/memscope" "$@"
    fi
    exec "$BUILD/app/memscope" "$@"
    ;;
test)
    # Benchmarks are measured on purpose (ctest -L bench), never as tests.
    cd "$BUILD"
    exec ctest --output-on-failure -j2 -LE bench "$@"
    ;;
*) usage ;;
esac
