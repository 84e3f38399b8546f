#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The canvas scenes of docs/screenshots/scenes/, each typed into the app and
# grabbed in presentation mode (text at 175 %: nothing under 20 px) in a
# 1280×720 window: docs/screenshots/canvas-NAME.png.
# Usage: tools/canvas-screenshots.sh [BUILD_DIR] [PYTHON]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
python=${2:-$HOME/.local/share/memscope/venv/bin/python}
for scene in docs/screenshots/scenes/*.py; do
    name=$(basename "$scene" .py)
    QT_QPA_PLATFORM=offscreen "$build/app/memscope" --python "$python" --no-cuda --script "$scene" \
        --theme light --present 175 --size 1280x720 --screenshot "docs/screenshots/canvas-$name.png" 2>/dev/null
    echo "docs/screenshots/canvas-$name.png"
done
