# SPDX-License-Identifier: GPL-3.0-or-later
"""The facts table of shared/DESIGN.md for NumPy and torch, observed on the
installed versions. Ground truth is np.shares_memory and raw pointers; the
code under test is memscope.relation / memscope.inspect."""
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")  # a pip or conda environment may lack it: a visible skip

import memscope
from conftest import numpy_range, ranges_overlap, torch_range


def test_numpy_default_float_is_float64():
    a = np.array([1.0, 2.0])
    assert a.dtype == np.float64
    assert memscope.inspect(a)["dtype"] == "float64"
    # from_numpy keeps it: deep-learning code has to ask for float32.
    assert torch.from_numpy(a).dtype == torch.float64
    assert memscope.inspect(torch.from_numpy(a))["dtype"] == "float64"


def test_from_numpy_aliases_both_ways(rel):
    a = np.arange(6.0).reshape(2, 3)
    t = torch.from_numpy(a)
    assert t.data_ptr() == a.__array_interface__["data"][0]  # ground truth: same pointer
    assert rel(a, t) == "alias"
    a[0, 0] = 99
    assert t[0, 0].item() == 99
    t[1, 2] = -5
    assert a[1, 2] == -5
    facts = memscope.inspect(t)
    assert facts["data"] == t.data_ptr()
    assert facts["allocation"] == (t.data_ptr(), 48)


@pytest.mark.parametrize("make, message", [
    (lambda: np.arange(6.0)[::-1], "negative"),
    (lambda: np.lib.stride_tricks.as_strided(np.arange(8, dtype=np.int32), shape=(3,), strides=(6,)),
     "multiple of the element byte size"),
    (lambda: np.arange(3, dtype=">i4"), "byte order"),
], ids=["negative strides", "strides not whole elements", "non-native byte order"])
@pytest.mark.parametrize("convert", [torch.from_numpy, torch.tensor, torch.as_tensor])
def test_from_numpy_validation_applies_to_every_conversion(make, message, convert):
    a = make()
    with pytest.raises(ValueError, match=message):
        convert(a)
    # MemScope still sees these arrays (or says why it cannot).
    facts = memscope.snapshot({"a": a})["objects"][0]
    assert facts["supported"] == (message != "byte order")


def test_from_numpy_unsupported_unsigned_dtypes_on_old_torch():
    a = np.arange(4, dtype=np.uint32)
    major_minor = tuple(int(x) for x in torch.__version__.split(".")[:2])
    if major_minor >= (2, 3):
        assert torch.from_numpy(a).data_ptr() == a.__array_interface__["data"][0]
    else:
        with pytest.raises(TypeError):
            torch.from_numpy(a)


def test_from_numpy_readonly_warns_and_still_aliases(rel):
    a = np.arange(4.0)
    a.setflags(write=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = torch.from_numpy(a)
    assert any("not writable" in str(w.message) or "non-writable" in str(w.message) for w in caught)
    assert t.data_ptr() == a.__array_interface__["data"][0]
    assert rel(a, t) == "alias"
    assert memscope.inspect(a)["readonly"] is True


def test_torch_tensor_always_copies(rel):
    a = np.arange(6.0).reshape(2, 3)
    t = torch.tensor(a)
    assert not ranges_overlap(numpy_range(a), torch_range(t))
    assert rel(a, t) == "copy"
    a[0, 0] = 7
    assert t[0, 0].item() == 0  # the copy stays put
    assert rel(a, t) == "unrelated"  # values differ now, memory still disjoint


@pytest.mark.parametrize("dtype, expected", [(None, "alias"), (torch.float64, "alias"), (torch.float32, "convert")])
def test_as_tensor_aliases_only_when_nothing_changes(rel, dtype, expected):
    a = np.arange(4.0)
    t = torch.as_tensor(a, dtype=dtype)
    shares = ranges_overlap(numpy_range(a), torch_range(t))
    assert shares == (expected == "alias")
    assert rel(a, t) == expected


def test_tensor_numpy_aliases_and_is_writeable(rel):
    t = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    n = t.numpy()
    assert n.__array_interface__["data"][0] == t.data_ptr()
    assert n.flags.writeable
    assert rel(t, n) == "alias"
    n[0, 1] = 42
    assert t[0, 1].item() == 42


def test_tensor_numpy_refuses_grad_and_conj():
    w = torch.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError):
        w.numpy()
    assert "requires_grad" in memscope.inspect(w)["flags"]
    # force=True still aliases a plain CPU tensor (torch >= 1.13).
    t = torch.ones(3)
    assert t.numpy(force=True).__array_interface__["data"][0] == t.data_ptr()
    z = torch.tensor([1 + 2j, 3 - 1j]).conj()
    assert z.is_conj()
    with pytest.raises(RuntimeError):
        z.numpy()
    assert "conj" in memscope.inspect(z)["flags"]


def test_same_object_when_nothing_changes(rel):
    t = torch.ones(4, dtype=torch.float64)
    assert t.cpu() is t
    assert t.to("cpu") is t
    assert t.double() is t
    assert rel(t, t.cpu()) == "alias"
    f = t.float()
    assert rel(t, f) == "convert"
    c = t.to("cpu", copy=True)
    assert c is not t and not ranges_overlap(torch_range(t), torch_range(c))
    assert rel(t, c) == "copy"


@pytest.mark.parametrize("view", [
    lambda a: a[1:, ::2], lambda a: a.T, lambda a: a.reshape(3, 4), lambda a: a.ravel(), lambda a: a[::-1],
    lambda a: a.astype(a.dtype, copy=False),
])
def test_numpy_views_alias(rel, view):
    a = np.arange(12.0).reshape(4, 3)
    v = view(a)
    assert np.shares_memory(a, v)
    assert rel(a, v) == "alias"


@pytest.mark.parametrize("copy", [lambda a: a.flatten(), lambda a: a[[0, 2]], lambda a: a.T.ravel(),
                                  lambda a: a.copy()])
def test_numpy_copies(rel, copy):
    a = np.arange(12.0).reshape(4, 3)
    c = copy(a)
    assert not np.shares_memory(a, c)
    assert rel(a, c) in ("copy", "unrelated")  # fancy indexing picks other values: unrelated
    if c.shape == a.shape:
        assert rel(a, c) == "copy"


def test_astype_same_dtype_copy_false_is_the_same_object():
    a = np.arange(3.0)
    assert a.astype(np.float64, copy=False) is a


@pytest.mark.parametrize("seed", range(20))
def test_relation_matches_shares_memory_on_random_views(seed, rel):
    rng = np.random.default_rng(seed)
    base = np.arange(64, dtype=np.int16).reshape(8, 8)
    views = []
    for _ in range(6):
        r0, r1 = sorted(rng.integers(0, 9, size=2))
        c0, c1 = sorted(rng.integers(0, 9, size=2))
        step = int(rng.integers(1, 4)) * (1 if rng.random() < 0.7 else -1)
        v = base[r0:r1, c0:c1][::1, ::step]
        views.append(v.T if rng.random() < 0.3 else v)
    for x in views:
        for y in views:
            truth = np.shares_memory(x, y, max_work=None)
            if x.size == 0 or y.size == 0:
                assert not truth
            assert (rel(x, y) == "alias") == truth


def test_interleaved_slices_do_not_alias(rel):
    a = np.arange(10.0)
    assert not np.shares_memory(a[::2], a[1::2])
    assert rel(a[::2], a[1::2]) != "alias"
    assert memscope.relation(a[::2], a)["shared_elements"] == 5


def test_dlpack_between_numpy_and_torch(rel):
    a = np.arange(5.0)
    t = torch.from_dlpack(a)
    assert t.data_ptr() == a.__array_interface__["data"][0]
    assert rel(a, t) == "alias"
    u = torch.arange(4.0)
    n = np.from_dlpack(u)
    assert n.__array_interface__["data"][0] == u.data_ptr()
    assert rel(u, n) == "alias"
    print("np.from_dlpack(torch tensor) writeable:", n.flags.writeable)
    if int(np.__version__.split(".")[0]) < 2:
        assert not n.flags.writeable  # NumPy 1.x imports (legacy) DLPack capsules read-only
        assert memscope.inspect(n)["readonly"] is True


def test_structured_and_byteswapped_arrays_are_reported_unsupported():
    s = np.zeros(3, dtype=[("x", "<i4"), ("y", "<f8")])
    with pytest.raises(TypeError, match="structured"):
        memscope.inspect(s)
    b = np.arange(3, dtype=">i4")
    with pytest.raises(TypeError, match="byte-swapped"):
        memscope.inspect(b)
    ns = {"s": s, "b": b, "ok": np.zeros(2)}
    snap = memscope.snapshot(ns)
    by_name = {o["names"][0]: o for o in snap["objects"]}
    assert by_name["s"]["supported"] is False and "structured" in by_name["s"]["unsupported"]
    assert by_name["ok"]["supported"] is True


def test_snapshot_groups_aliases():
    a = np.arange(8.0)
    ns = {"a": a, "even": a[::2], "odd": a[1::2], "t": torch.from_numpy(a), "c": a.copy(), "alias_of_a": a}
    snap = memscope.snapshot(ns)
    groups = [sorted(g) for g in snap["alias_groups"]]
    assert ["a", "even", "odd", "t"] in groups  # odd joins through a; alias_of_a is the same object as a
    names = {tuple(o["names"]) for o in snap["objects"]}
    assert ("a", "alias_of_a") in names
    alias_pairs = {(r["from"], r["to"]) for r in snap["relations"] if r["relation"] == "alias"}
    assert ("even", "odd") not in alias_pairs and ("odd", "even") not in alias_pairs


def _alias_bytes(**objects):
    s = memscope.snapshot(objects)
    return sorted((r["bytes"], r["summary"]) for r in s["relations"] if r["relation"] == "alias")


def test_shared_bytes_are_exact():
    # Bytes both objects view, counted element by element, not their address ranges.
    a = np.arange(12.0)
    assert _alias_bytes(a=a, ev=a[::2]) == [(48, "alias, 48 B shared")]
    z = np.array([1 + 2j, 3 + 4j])
    assert _alias_bytes(z=z, zr=z.real) == [(16, "alias, 16 B shared")]
    t = torch.arange(6.0, dtype=torch.float64).reshape(2, 3)
    assert _alias_bytes(t=t, n=t.narrow(1, 1, 2)) == [(32, "alias, 32 B shared")]


def test_a_copy_in_a_new_shape_is_a_copy():
    m = np.arange(6.0).reshape(2, 3)
    assert memscope.relation(m, m.flatten())["relation"] == "copy"
    at = m.T
    assert memscope.relation(at, at.reshape(6))["relation"] == "copy"
    assert memscope.relation(m, m.T.ravel())["relation"] == "unrelated"  # other order: not a copy of m


def test_relation_and_step_output_agree_on_shared_bytes():
    a = np.arange(12.0)
    assert memscope.relation(a, a[::2])["shared_bytes"] == 48
    assert memscope.relation(a[::2], a[1::2])["shared_bytes"] == 0


def test_structured_and_byte_swapped_views_alias_their_base():
    # Their element types are not shown, but their bytes are known: views are views.
    s = np.zeros(3, dtype=[("a", "<f8"), ("b", "<i4")])
    assert _alias_bytes(s=s, fa=s["a"]) == [(24, "alias, 24 B shared")]
    be = np.arange(4, dtype=">f8")
    assert _alias_bytes(be=be, le=be.view("<f8")) == [(32, "alias, 32 B shared")]
    assert _alias_bytes(be=be, other=np.arange(4.0)) == []
