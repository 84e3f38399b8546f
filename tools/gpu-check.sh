#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# On a machine with an NVIDIA GPU and no Qt: builds the engine and the `memscope`
# Python module (MEMSCOPE_ENGINE_ONLY, real CUDA backend), runs the gpu-labelled
# tests (C++ device checks; Python interop with torch/CuPy on the GPU) and the
# copy-bandwidth benchmark (engine H2D/D2H against raw cudaMemcpy, pageable and pinned).
# Usage: tools/gpu-check.sh [MiB per copy, default 256]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${MEMSCOPE_GPU_BUILD_DIR:-$root/build-gpu}"
mib="${1:-256}"

command -v nvcc >/dev/null || [ -x /usr/local/cuda/bin/nvcc ] || { echo "gpu-check: nvcc not found" >&2; exit 1; }
export PATH="/usr/local/cuda/bin:$PATH"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "gpu-check: nvidia-smi not available"

python_arg=()
py=$(command -v python3 || true)
[ -n "$py" ] && python_arg=(-DMEMSCOPE_PYTHON="$py")
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)

cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DMEMSCOPE_ENGINE_ONLY=ON \
    -DMEMSCOPE_WITH_CUDA=ON "${python_arg[@]}"
cmake --build "$build" -j"$(nproc)"

echo "== gpu tests"
status=0
(cd "$build" && ctest --output-on-failure -L gpu -LE bench -V) > "$build/gpu-tests.log" 2>&1 || status=$?
grep -vE '^(UpdateCTestConfiguration|Constructing|Checking test|Parse|Add coverage|Test project)' "$build/gpu-tests.log"
echo "== copy bandwidth ($mib MiB per copy)"
"$build/tests/bench_transfer" "$mib" || [ $? -eq 77 ]
exit "$status"
