# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared fixtures: versions in the report header, ground-truth helpers."""
import importlib

import pytest


def pytest_report_header(config):
    lines = []
    for name in ("numpy", "torch", "tensorflow", "jax", "cupy"):
        try:
            module = importlib.import_module(name)
            lines.append("%s %s" % (name, module.__version__))
        except ImportError:
            lines.append("%s not installed" % name)
    import memscope
    lines.append("memscope devices: %s (%s)" % (memscope.devices(), memscope.cuda_status()))
    return ["observed with " + ", ".join(lines)]


def pytest_sessionfinish(session, exitstatus):
    """Everything skipped (a framework is not installed) is "Skipped" for ctest (exit 77), not a pass."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or exitstatus != 0:
        return
    passed = len(reporter.stats.get("passed", []))
    skipped = len(reporter.stats.get("skipped", []))
    if skipped and not passed:
        session.exitstatus = 77


def byte_range(ptr, shape, strides, itemsize):
    """[lo, hi) of the bytes a strided view touches, from raw numbers only."""
    if any(n == 0 for n in shape):
        return (ptr, ptr)
    lo = hi = ptr
    for n, s in zip(shape, strides):
        if s < 0:
            lo += (n - 1) * s
        else:
            hi += (n - 1) * s
    return (lo, hi + itemsize)


def torch_range(t):
    return byte_range(t.data_ptr(), tuple(t.shape), tuple(s * t.element_size() for s in t.stride()),
                      t.element_size())


def numpy_range(a):
    return byte_range(a.__array_interface__["data"][0], a.shape, a.strides, a.itemsize)


def ranges_overlap(r1, r2):
    return r1[0] < r1[1] and r2[0] < r2[1] and r1[0] < r2[1] and r2[0] < r1[1]


@pytest.fixture
def rel():
    import memscope
    return lambda a, b: memscope.relation(a, b)["relation"]
