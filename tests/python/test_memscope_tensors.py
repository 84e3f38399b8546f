# SPDX-License-Identifier: GPL-3.0-or-later
"""MemScope's own tensors in Python: aliasing through the buffer protocol,
__array_interface__ and DLPack; emulated devices reachable only by transfers."""
import numpy as np
import pytest

import memscope
from conftest import numpy_range, ranges_overlap

EMULATED = "(emulated)" in memscope.devices()[1]


def test_creation_and_values():
    t = memscope.tensor([[1, 2, 3], [4, 5, 6]], dtype="int8")
    assert t.shape == (2, 3) and t.dtype == "int8" and t.strides == (3, 1)
    assert t.tolist() == [[1, 2, 3], [4, 5, 6]]
    assert memscope.tensor([1.5, 2]).dtype == "float64"  # NumPy's default float
    assert memscope.tensor([True, False]).dtype == "bool"
    with pytest.raises(ValueError, match="ragged"):
        memscope.tensor([[1, 2], [3]])
    with pytest.raises(ValueError, match="unknown dtype 'float128'"):
        memscope.tensor([1], dtype="float128")


def test_numpy_round_trip_aliases(rel):
    t = memscope.tensor([[1.0, 2.0], [3.0, 4.0]], dtype="float32")
    n = t.numpy()
    assert n.__array_interface__["data"][0] == t.data_ptr()
    n[1, 1] = 40
    assert t[1, 1].item() == 40
    assert rel(t, n) == "alias"
    view = np.asarray(t)  # buffer protocol
    assert np.shares_memory(view, n)
    ai = np.array(t, copy=False)  # __array_interface__ / buffer
    assert np.shares_memory(ai, n)


def test_from_numpy_aliases_and_keeps_the_array_alive(rel):
    a = np.arange(6.0).reshape(2, 3)
    t = memscope.from_numpy(a[:, ::-1])
    del a
    import gc
    gc.collect()
    assert t.tolist() == [[2.0, 1.0, 0.0], [5.0, 4.0, 3.0]]  # memory still valid
    b = np.arange(4.0)
    m = memscope.from_numpy(b)
    m[0] = 9
    assert b[0] == 9
    assert rel(b, m) == "alias"


def test_read_only_numpy_stays_read_only():
    a = np.arange(3.0)
    a.setflags(write=False)
    m = memscope.from_numpy(a)
    assert m.readonly
    with pytest.raises(ValueError, match="read-only"):
        m[0] = 1.0
    assert not m.numpy().flags.writeable


def test_views_and_element_assignment(rel):
    t = memscope.tensor(list(range(12)), dtype="float64").reshape(3, 4)
    col = t[:, 1]
    col[2] = -1
    assert t[2, 1].item() == -1
    assert rel(t, t.T) == "alias"
    assert rel(t[:, ::2], t[:, 1::2]) != "alias"
    with pytest.raises(ValueError, match="without copying"):
        t.T.reshape(12)
    with pytest.raises(IndexError):
        t[3, 0]
    with pytest.raises(ValueError, match="does not fit int8"):
        memscope.tensor([1], dtype="int8")[0] = 300
    assert t.view("int64").shape == (3, 4)


def test_astype_and_copy_relations(rel):
    t = memscope.tensor([1.0, 2.0, 3.0])
    assert rel(t, t.astype("float32")) == "convert"
    assert rel(t, t.copy()) == "copy"
    assert rel(t, t.astype("float64", copy=False)) == "alias"
    assert t.astype("int8").tolist() == [1, 2, 3]


def test_dlpack_to_numpy_and_torch(rel):
    t = memscope.tensor([1.0, 2.0, 3.0], dtype="float32")
    n = np.from_dlpack(t)
    assert n.__array_interface__["data"][0] == t.data_ptr()
    torch = pytest.importorskip("torch")
    u = torch.from_dlpack(t)
    assert u.data_ptr() == t.data_ptr()
    u[0] = 7
    assert t[0].item() == 7
    assert rel(t, u) == "alias"


@pytest.mark.skipif(not EMULATED, reason="a real GPU is present; emulated-device checks do not apply")
def test_emulated_device_is_reachable_only_by_transfers(rel):
    t = memscope.tensor([1.0, 2.0], dtype="float32")
    g = t.to("cuda")
    assert g.device == "cuda:0 (emulated)" and g.is_emulated
    assert rel(t, g) == "transfer"
    with pytest.raises(TypeError, match="to\\('cpu'\\)"):
        g.numpy()
    with pytest.raises(BufferError, match="cuda:0 \\(emulated\\)"):
        memoryview(g)
    assert np.asarray(g).dtype == object  # NumPy can only wrap the Python object, not its memory
    with pytest.raises(BufferError):
        g.__dlpack__()
    assert not hasattr(g, "__cuda_array_interface__")
    assert not hasattr(g, "__array_interface__")
    g[0] = 5
    back = g.to("cpu")
    assert back.tolist() == [5.0, 2.0] and t.tolist() == [1.0, 2.0]
    assert not ranges_overlap(numpy_range(back.numpy()), numpy_range(t.numpy()))
    assert memscope.inspect(g)["device"] == "cuda:0 (emulated)"


def test_inspect_reports_memory_facts():
    t = memscope.tensor([[1, 2], [3, 4]], dtype="int16")
    f = memscope.inspect(t.T)
    assert f["framework"] == "memscope"
    assert f["strides"] == (2, 4) and f["shape"] == (2, 2)
    assert f["extent"] == (t.data_ptr(), t.data_ptr() + 8)
    with pytest.raises(TypeError, match="cannot see the memory of a list"):
        memscope.inspect([1, 2])


def test_buffer_requests_respect_contiguity():
    import hashlib
    t = memscope.tensor([[1, 2, 3, 4], [5, 6, 7, 8]], dtype="int32")
    assert hashlib.sha256(t).hexdigest() == hashlib.sha256(np.asarray(t).tobytes()).hexdigest()
    strided = t[:, ::2]
    with pytest.raises(BufferError, match="contiguous"):
        hashlib.sha256(strided)  # a simple (contiguous) request: refused, never misread
    view = memoryview(strided)  # a strided request is fine
    assert view.shape == (2, 2) and view.strides == (16, 8)
    assert view.tolist() == [[1, 3], [5, 7]]


def test_self_referencing_and_deep_lists_raise_like_numpy():
    # Both overflowed the C++ stack (SIGSEGV) before the depth limit.
    selfref = []
    selfref.append(selfref)
    with pytest.raises(ValueError, match="deeper than 32"):
        memscope.tensor(selfref)
    deep = 0
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(ValueError, match="deeper than 32"):
        memscope.tensor(deep)
    # NumPy's own limit: 32 levels still make a tensor.
    ok = 1.0
    for _ in range(32):
        ok = [ok]
    t = memscope.tensor(ok)
    assert t.ndim == 32 and t.shape == (1,) * 32
    too_deep = [ok]
    with pytest.raises(ValueError):
        np.array(too_deep)  # NumPy refuses 33 dimensions too
    with pytest.raises(ValueError, match="deeper than 32"):
        memscope.tensor(too_deep)


@pytest.mark.parametrize("factory", ["zeros", "empty"])
@pytest.mark.parametrize("shape", [(2**40, 2**40), (2**62, 4), (2**31, 2**31, 2**2), (2**61, 8)])
def test_factories_refuse_shapes_that_overflow_int64(factory, shape):
    with pytest.raises(ValueError, match="more elements or bytes than fit in 64 bits"):
        getattr(memscope, factory)(shape, dtype="float64")


@pytest.mark.parametrize("factory", ["zeros", "empty"])
def test_factories_refuse_negative_dimensions(factory):
    with pytest.raises(ValueError, match="negative dimension"):
        getattr(memscope, factory)((2, -3))


def test_views_refuse_shapes_that_overflow_int64():
    with pytest.raises(ValueError, match="more elements or bytes than fit in 64 bits"):
        memscope.zeros((1,), dtype="float64").broadcast_to([2**40, 2**40])


def test_zero_size_shapes_cost_nothing():
    t = memscope.zeros((0, 10**9), dtype="float64")
    assert t.shape == (0, 10**9) and t.nbytes == 0 and t.tolist() == []
