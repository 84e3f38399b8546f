# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs test_gpu_interop.py where pytest is not installed (GPU machines get
their Python packages from a fixed image). Provides the few pytest functions
the file uses. Exit codes follow pytest: 0 passed, 1 failed, 5 all skipped."""
import contextlib
import importlib
import re
import sys
import traceback
import types


class Skipped(Exception):
    pass


def skip(reason, allow_module_level=False):
    raise Skipped(reason)


def importorskip(name):
    try:
        return importlib.import_module(name)
    except ImportError:
        raise Skipped("%s not installed" % name)


@contextlib.contextmanager
def raises(kinds, match=None):
    try:
        yield
    except kinds as e:
        if match and not re.search(match, str(e)):
            raise AssertionError("%r does not match %r" % (str(e), match))
        return
    raise AssertionError("did not raise %r" % (kinds,))


sys.modules["pytest"] = types.SimpleNamespace(skip=skip, importorskip=importorskip, raises=raises)
sys.path.insert(0, __file__.rsplit("/", 1)[0])
try:
    module = importlib.import_module("test_gpu_interop")
except Skipped as e:
    print("SKIPPED:", e)
    sys.exit(5)
passed = failed = skipped = 0
for name in sorted(n for n in dir(module) if n.startswith("test_")):
    try:
        getattr(module, name)()
        passed += 1
        print("PASSED ", name)
    except Skipped as e:
        skipped += 1
        print("SKIPPED", name, e)
    except Exception:
        failed += 1
        print("FAILED ", name)
        traceback.print_exc()
print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
sys.exit(1 if failed else (5 if not passed else 0))
