# SPDX-License-Identifier: GPL-3.0-or-later
"""MemScope's astype against the installed NumPy's, value by value. NumPy's
float -> integer casts of NaN, infinities and out-of-range values are the C
conversion of the platform (x86-64: INT64_MIN, "integer indefinite"); MemScope
promises NumPy's results, so they are compared live rather than written down."""
import math
import warnings

import numpy as np
import pytest

import memscope

FLOATS = [0.0, -0.0, 0.5, -0.5, 1.5, -1.5, -2.9, 2.9, 127.0, 128.0, -129.0, 255.0, 256.0, 300.7, -300.7,
          65504.0, 65519.0, 65520.0, 70000.0, 2.0**31, -2.0**31, 2.0**32, 2.0**53 + 2, 2.0**63, -2.0**63,
          2.0**64, 1e20, -1e20, 1e39, -1e39, 3.4028235e38, 1e300, float("inf"), float("-inf"), float("nan")]
INTS = [0, 1, -1, 127, 128, -128, -129, 255, 256, 258, 65535, 65536, -32769, 2**31, -2**31 - 1, 2**32 + 5,
        2**53 + 1, 2**62, -2**63, 2**63 - 1]
TARGETS = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
           "float16", "float32", "float64", "complex64", "complex128"]


def same(a, b):
    """Equal value and Python type; floats to the bit (repr tells -0.0 and NaN apart)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (float, complex)):
        return repr(a) == repr(b)
    return a == b


def numpy_cast(values, source, target):
    """NumPy's result for each value on its own: NumPy's element-wise loop. (Its
    SIMD loops give other uint32 results for out-of-range values in arrays of
    some lengths, e.g. 4, 8, 16 on AVX2: one value, two answers. MemScope
    converts element by element, so that is what it is compared with.)"""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "invalid value encountered in cast" is the point here
        return [np.array([v], dtype=source).astype(target).tolist()[0] for v in values]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("source", ["float64", "float32"])
def test_float_casts_match_numpy(source, target):
    values = [v for v in FLOATS if source == "float64" or not math.isfinite(v) or abs(v) <= 3.4028235e38]
    expected = numpy_cast(values, source, target)
    got = memscope.tensor(values, dtype=source).astype(target).tolist()
    wrong = [(v, g, e) for v, g, e in zip(values, got, expected) if not same(g, e)]
    assert not wrong, "value, memscope, numpy: %s" % wrong


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("source", ["int64", "uint64", "bool"])
def test_integer_casts_match_numpy(source, target):
    if source == "uint64":
        values = [v for v in INTS if v >= 0] + [2**64 - 1, 2**63]
    elif source == "bool":
        values = [True, False]
    else:
        values = INTS
    expected = numpy_cast(values, source, target)
    got = memscope.tensor(values, dtype=source).astype(target).tolist()
    wrong = [(v, g, e) for v, g, e in zip(values, got, expected) if not same(g, e)]
    assert not wrong, "value, memscope, numpy: %s" % wrong


@pytest.mark.parametrize("target", TARGETS)
def test_complex_casts_match_numpy(target):
    values = [1.5 + 2j, -2.9 - 1j, complex("nan+1j"), complex("inf-infj"), 0j, 300.7 + 0j]
    expected = numpy_cast(values, "complex128", target)
    got = memscope.tensor(values, dtype="complex128").astype(target).tolist()
    wrong = [(v, g, e) for v, g, e in zip(values, got, expected) if not same(g, e)]
    assert not wrong, "value, memscope, numpy: %s" % wrong
