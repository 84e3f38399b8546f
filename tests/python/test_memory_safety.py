# SPDX-License-Identifier: GPL-3.0-or-later
"""Nothing a script holds can crash MemScope (issue 7): views that reach
unmapped, protected, truncated or freed memory, lying interfaces, absurd
strides and odd namespace entries are listed with why, never read blindly.
Before the checked reader most of these killed the test process (SIGSEGV,
SIGBUS) or read freed memory."""
import ctypes
import mmap
import os

import numpy as np
import pytest
from numpy.lib.stride_tricks import as_strided

import memscope

NOT_READABLE = "memory not readable at 0x"


def objects(ns):
    return {tuple(o["names"]): o for o in memscope.snapshot(ns)["objects"]}


def fact(ns, name):
    return objects(ns)[(name,)]


def assert_listed_not_read(ns, name, why=""):
    o = fact(ns, name)
    assert not o["supported"], o
    assert o["unsupported"].startswith(NOT_READABLE), o["unsupported"]
    assert why in o["unsupported"]
    with pytest.raises(TypeError, match="memory not readable"):
        memscope.inspect(ns[name])


def test_as_strided_huge_stride():
    a = np.arange(4.0)
    v = as_strided(a, shape=(3,), strides=(2**40,))  # cases/c83
    assert_listed_not_read({"a": a, "v": v}, "v", "reaches past its allocation")
    assert fact({"a": a, "v": v}, "a")["supported"]


def test_as_strided_negative_huge_stride():
    a = np.arange(10.0)
    v = as_strided(a, shape=(4,), strides=(-2**40,))  # cases/c25b
    assert_listed_not_read({"a": a, "v": v}, "v")


def test_as_strided_slightly_out_of_bounds():
    a = np.arange(4.0)
    v = as_strided(a, shape=(8,), strides=(8,))  # cases/c26c: heap bytes past the array
    assert_listed_not_read({"v": v}, "v", "reaches past its allocation")
    inside = as_strided(a, shape=(2,), strides=(16,))
    assert memscope.inspect(inside)["extent"][1] <= memscope.inspect(a)["extent"][1]


def test_extent_overflowing_int64():
    a = np.arange(4.0)
    v = as_strided(a, shape=(2**32,), strides=(2**40,))
    assert_listed_not_read({"v": v}, "v", "overflows int64")


def test_zero_size_views_read_nothing():
    a = np.arange(4.0)
    z = as_strided(a, shape=(0, 10**9), strides=(2**40, 2**40))
    assert fact({"z": z}, "z")["supported"]


def test_lying_array_interface_is_ignored():
    class Liar(np.ndarray):  # cases/c65
        @property
        def __array_interface__(self):
            return {"data": (8, False), "shape": (4,), "typestr": "<f8", "version": 3}

    e = np.zeros(4).view(Liar)
    real = np.ndarray.__array_interface__.__get__(e)["data"][0]
    assert memscope.inspect(e)["data"] == real
    assert fact({"e": e}, "e")["data"] == real


def test_numpy_resize_under_a_view():
    a = np.zeros(4)
    b = a[:2]
    a.resize(10**6, refcheck=False)  # cases/c76: b now points at freed memory
    ns = {"a": a, "b": b}
    assert_listed_not_read(ns, "b", "reaches past its allocation")
    assert fact(ns, "a")["supported"]


def test_torch_resize_failing_half_way():
    torch = pytest.importorskip("torch")
    t = torch.zeros(4)
    n = t.numpy()
    with pytest.raises(RuntimeError):
        t.resize_(10**6)  # cases/c75: the storage is NumPy's and cannot grow
    if tuple(t.shape) != (10**6,):
        pytest.skip("this torch leaves the shape alone when resize_ fails")
    ns = {"t": t, "n": n}
    assert_listed_not_read(ns, "t", "reaches past its allocation")
    assert fact(ns, "n")["supported"]


def test_torch_storage_resized_to_zero():
    torch = pytest.importorskip("torch")
    u = torch.ones(3)
    storage = u.untyped_storage() if hasattr(u, "untyped_storage") else u.storage()
    storage.resize_(0)
    assert_listed_not_read({"u": u}, "u", "null data pointer")


@pytest.mark.parametrize("elements", [4096, 1 << 19], ids=["copied", "hashed"])
def test_truncated_memmap(tmp_path, elements):
    path = tmp_path / "data.f8"
    np.zeros(elements).tofile(path)
    mm = np.memmap(path, dtype=np.float64, mode="r", shape=(elements,))
    assert fact({"mm": mm}, "mm")["supported"]
    os.truncate(path, 100)  # a plain read past the first page now raises SIGBUS
    assert_listed_not_read({"mm": mm, "tail": mm[elements // 2:]}, "mm")
    assert_listed_not_read({"mm": mm, "tail": mm[elements // 2:]}, "tail")
    del mm


def test_protected_page():
    m = mmap.mmap(-1, 2 * mmap.PAGESIZE)
    buf = ctypes.c_char.from_buffer(m)
    addr = ctypes.addressof(buf)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    arr = np.frombuffer(m, dtype=np.uint8)
    head = arr[:mmap.PAGESIZE]
    assert libc.mprotect(addr + mmap.PAGESIZE, mmap.PAGESIZE, 0) == 0  # PROT_NONE
    try:
        if memscope_reads_protected_pages():
            pytest.skip("checked reads fall back to /proc/self/mem here, which reads PROT_NONE pages")
        ns = {"arr": arr, "head": head}
        assert_listed_not_read(ns, "arr")
        assert fact(ns, "head")["supported"]
    finally:
        libc.mprotect(addr + mmap.PAGESIZE, mmap.PAGESIZE, mmap.PROT_READ | mmap.PROT_WRITE)
    del arr, head, buf


def memscope_reads_protected_pages():
    import errno
    import sys
    if sys.platform != "linux":
        return True
    libc = ctypes.CDLL(None, use_errno=True)
    try:
        f = libc.process_vm_readv
    except AttributeError:
        return True
    src = ctypes.c_uint64(7)
    dst = ctypes.c_uint64(0)

    class Iovec(ctypes.Structure):
        _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]

    f.restype = ctypes.c_ssize_t
    local = Iovec(ctypes.addressof(dst), 8)
    remote = Iovec(ctypes.addressof(src), 8)
    n = f(os.getpid(), ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
    return n != 8 and ctypes.get_errno() in (errno.ENOSYS, errno.EPERM)


def test_huge_broadcast_snapshot_finishes():
    b = np.broadcast_to(np.zeros(3), (10**12, 3))
    a = np.arange(10.0)
    x = as_strided(a, shape=(10**12,), strides=(0,))  # cases/c26b
    y = as_strided(a, shape=(2**40, 2**19), strides=(0, 0))
    ns = {"b": b, "x": x, "y": y}
    for name in ns:
        assert fact(ns, name)["supported"], name
    assert fact(ns, "b")["extent"][1] - fact(ns, "b")["extent"][0] == 24


def test_huge_torch_expand_and_empty_strided():
    torch = pytest.importorskip("torch")
    e = torch.zeros(3).expand(10**12, 3)
    s = torch.empty_strided((10**9, 4), (0, 1))
    ns = {"e": e, "s": s}
    assert fact(ns, "e")["supported"] and fact(ns, "e")["allocation"][1] == 12
    assert fact(ns, "s")["supported"] and fact(ns, "s")["allocation"][1] == 16


def test_three_thousand_views_have_bounded_relations():
    base = np.zeros(16)
    ns = {"v%d" % i: base[:] for i in range(3000)}  # cases/c32b
    s = memscope.snapshot(ns)
    assert len(s["alias_groups"]) == 1 and len(s["alias_groups"][0]) == 3000
    assert len(s["relations"]) <= 3000  # not 4.5 million pairs


def test_odd_keys_and_classes_never_blind_the_scan():
    class Meta(type):
        @property
        def __module__(cls):
            raise RuntimeError("no module")

    class Odd(metaclass=Meta):  # cases/c69
        pass

    class OddArray(np.ndarray, metaclass=Meta):
        pass

    a = np.arange(3)
    ns = {"\ud800": np.arange(2), "odd": Odd(), "w": np.zeros(2).view(OddArray), "a": a, "b": a[::2]}
    found = objects(ns)
    assert found[("a",)]["supported"] and found[("b",)]["supported"]
    assert found[("'\\ud800'",)]["supported"]  # named by its escaped repr
    assert ("odd",) not in found  # not array-like: skipped
    w = found[("w",)]
    assert not w["supported"] and w["unsupported"].startswith("not shown: RuntimeError: no module")


def test_exception_whose_str_raises_does_not_blind_the_scan():
    class BadError(Exception):
        def __str__(self):
            raise ValueError("str failed")

    class Raising(np.ndarray):
        @property
        def dtype(self):
            raise BadError()

    a = np.arange(3)
    r = np.zeros(2).view(Raising)
    found = objects({"a": a, "r": r})
    assert found[("a",)]["supported"]
    # NumPy's own dtype is read (the property is not trusted), so r is shown.
    assert found[("r",)]["supported"]


def test_raising_adapter_lists_the_object_with_why():
    torch = pytest.importorskip("torch")

    class BadTensor(torch.Tensor):
        def data_ptr(self):
            raise MemoryError("boom")

    b = torch.zeros(2).as_subclass(BadTensor)
    a = np.arange(2)
    found = objects({"a": a, "b": b})
    assert found[("a",)]["supported"]
    assert found[("b",)]["unsupported"] == "not shown: MemoryError: boom"
    assert found[("b",)]["framework"] == "torch"


def test_from_numpy_refuses_unreadable_views():
    # memscope's own wrappers never hold memory that cannot be read: refused up front.
    a = np.arange(4.0)
    v = as_strided(a, shape=(3,), strides=(2**40,))
    with pytest.raises(ValueError, match="not readable|past|outside"):
        memscope.from_numpy(v)
    ok = memscope.from_numpy(a[::2])
    assert ok.numpy().tolist() == [0.0, 2.0]
