# SPDX-License-Identifier: GPL-3.0-or-later
"""The TensorFlow rows of the facts table, observed on the installed version.
Ground truth: raw pointers (np.asarray of a CPU EagerTensor is a zero-copy
view, checked here against the tensor's DLPack export)."""
import ctypes

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")
import memscope  # noqa: E402
from conftest import numpy_range, ranges_overlap  # noqa: E402


def tensor_ptr(t):
    """The tensor's own data pointer, read from its DLPack capsule."""
    capsule = tf.experimental.dlpack.to_dlpack(t)
    get = ctypes.pythonapi.PyCapsule_GetPointer
    get.restype = ctypes.c_void_p
    get.argtypes = [ctypes.py_object, ctypes.c_char_p]
    managed = get(capsule, b"dltensor")
    return ctypes.c_void_p.from_address(managed).value  # DLTensor.data is the first field


def aligned_array(n, alignment, offset):
    """float32 array of n elements whose data pointer is `offset` bytes past an `alignment` boundary."""
    raw = np.zeros(n * 4 + alignment * 2, dtype=np.uint8)
    start = (-raw.__array_interface__["data"][0]) % alignment + offset
    a = raw[start:start + n * 4].view(np.float32)
    a[:] = np.arange(n, dtype=np.float32)
    assert a.__array_interface__["data"][0] % alignment == offset
    return a


def test_asarray_is_a_zero_copy_read_only_view(rel):
    t = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    view = np.asarray(t)
    assert view.__array_interface__["data"][0] == tensor_ptr(t)
    assert not view.flags.writeable
    assert rel(t, view) == "alias"
    facts = memscope.inspect(t)
    assert facts["readonly"] is True and facts["data"] == tensor_ptr(t)
    # __array__() is a writeable alias of the same bytes.
    writable = t.__array__()
    assert writable.__array_interface__["data"][0] == tensor_ptr(t)
    assert writable.flags.writeable


def test_tensor_numpy_copies(rel):
    """Tutorial claim 1 says .numpy() shares memory; the source says copy."""
    t = tf.constant([1.0, 2.0, 3.0])
    n = t.numpy()
    shares = n.__array_interface__["data"][0] == tensor_ptr(t)
    print("TF %s: tensor.numpy() shares memory: %s" % (tf.__version__, shares))
    assert not shares
    assert rel(t, n) == "copy"
    n[0] = 100
    assert t.numpy()[0] == 1.0  # edits do not reach the tensor


@pytest.mark.parametrize("convert", [tf.constant, tf.convert_to_tensor])
@pytest.mark.parametrize("offset", [0, 4], ids=["64-byte aligned", "misaligned"])
def test_constant_from_numpy_is_observed_not_assumed(rel, convert, offset):
    """Version dependent: older TF aliases aligned buffers. Assert what this TF does."""
    a = aligned_array(16, 64, offset)
    t = convert(a)
    shares = ranges_overlap(numpy_range(a), numpy_range(np.asarray(t)))
    print("TF %s: %s of a %s buffer shares memory: %s" % (tf.__version__, convert.__name__,
                                                         "aligned" if offset == 0 else "misaligned", shares))
    assert rel(a, t) == ("alias" if shares else "copy")
    if offset:
        assert not shares  # no TF version aliases a misaligned buffer
    a[0] = -1
    assert (t.numpy()[0] == -1) == shares


def test_float64_is_kept():
    """Tutorial claim 8: convert_to_tensor keeps NumPy's float64."""
    t = tf.convert_to_tensor(np.array([1.0, 2.0]))
    assert t.dtype == tf.float64
    assert memscope.inspect(t)["dtype"] == "float64"


def test_variables_are_reported_not_guessed():
    v = tf.Variable([1.0, 2.0])
    snap = memscope.snapshot({"v": v})
    assert snap["objects"][0]["supported"] is False
    assert "Variable" in snap["objects"][0]["unsupported"]


def test_dlpack_between_tensorflow_and_torch(rel):
    torch = pytest.importorskip("torch")
    t = tf.constant([1.0, 2.0, 3.0])
    u = torch.from_dlpack(tf.experimental.dlpack.to_dlpack(t))
    assert u.data_ptr() == tensor_ptr(t)
    assert rel(t, u) == "alias"
