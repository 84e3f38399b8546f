# SPDX-License-Identifier: GPL-3.0-or-later
"""Real-GPU rows of the facts table (ctest label gpu). Skips, saying why, on
machines without a usable GPU or without CUDA-enabled frameworks."""
import pytest

import memscope

if "(emulated)" in memscope.devices()[-1] or len(memscope.devices()) < 2:
    pytest.skip("no real GPU: %s" % memscope.cuda_status(), allow_module_level=True)

np = pytest.importorskip("numpy")
torch = pytest.importorskip("torch")
if not torch.cuda.is_available():
    pytest.skip("torch has no CUDA here", allow_module_level=True)


def rel(a, b):
    return memscope.relation(a, b)["relation"]


def test_torch_cuda_tensor_facts():
    g = torch.arange(6.0, device="cuda").reshape(2, 3)
    f = memscope.inspect(g)
    assert f["device"] == "cuda:%d" % g.device.index
    assert f["data"] == g.data_ptr()
    with pytest.raises(TypeError):
        g.numpy()  # claim 5: a GPU tensor needs .cpu() first


def test_cpu_copies_and_numpy_shares_with_the_host_copy():
    g = torch.arange(4.0, device="cuda")
    h = g.cpu()
    assert rel(g, h) == "transfer"
    n = h.numpy()
    assert n.__array_interface__["data"][0] == h.data_ptr()
    assert rel(h, n) == "alias"
    n[0] = 42
    assert g[0].item() == 0  # the GPU tensor is untouched


def test_memscope_cuda_tensor_is_shared_with_torch():
    m = memscope.tensor([1.0, 2.0, 3.0], dtype="float32", device="cuda")
    assert not m.is_emulated
    cai = m.__cuda_array_interface__
    assert cai["data"][0] == m.data_ptr()
    t = torch.as_tensor(m, device="cuda")
    assert t.data_ptr() == m.data_ptr()
    t[0] = 9
    assert m[0].item() == 9
    u = torch.from_dlpack(m)
    assert u.data_ptr() == m.data_ptr()
    assert rel(m, t) == "alias"


def test_transfers_round_trip():
    h = memscope.tensor(list(range(1000)), dtype="int32")
    g = h.to("cuda")
    assert rel(h, g) == "transfer"
    assert g.to("cpu").tolist() == h.tolist()
    s = g[::3]
    c = s.copy()  # strided copy on the device: the gather kernel
    assert c.to("cpu").tolist() == list(range(0, 1000, 3))


def test_cupy_if_installed():
    cupy = pytest.importorskip("cupy")
    x = cupy.arange(5, dtype=cupy.float32)
    f = memscope.inspect(x)
    assert f["data"] == x.data.ptr and f["device"].startswith("cuda:")
