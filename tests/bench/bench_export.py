#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Export time of a 10-step lesson as a ratio to running it headless without
export (`memscope check`), the goal in issue 12 being at most 2x. Prints the
median of five runs of each, per view. Not a test: numbers for
docs/PERFORMANCE.md (ctest -L bench -R bench_export -V).

Usage: bench_export.py MEMSCOPE LESSON.md
"""
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

MEMSCOPE, LESSON = sys.argv[1], sys.argv[2]
RUNS = 5


def seconds(args):
    start = time.perf_counter()
    subprocess.run([MEMSCOPE, *args], check=True, capture_output=True)
    return time.perf_counter() - start


def median(make_args):
    times = []
    for _ in range(RUNS):
        work = tempfile.mkdtemp(prefix="memscope-bench-export-")
        try:
            times.append(seconds(make_args(work)))
        finally:
            shutil.rmtree(work)
    return statistics.median(times)


seconds(["check", LESSON])  # warm the page cache: torch's first import is slow
check = median(lambda work: ["check", LESSON])
print(f"memscope check (run headless, no export): {check:.2f} s (median of {RUNS})")
for view, extra in (("canvas", []), ("slide", []), ("slide", ["--scale", "2"]), ("canvas", ["--formats", "png,svg,html,md,gif"])):
    t = median(lambda work: ["export", LESSON, "--view", view, "--out", work + "/out", *extra])
    label = " ".join(["--view", view, *extra])
    print(f"memscope export {label}: {t:.2f} s, {t / check:.2f}x")
