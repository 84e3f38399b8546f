# SPDX-License-Identifier: GPL-3.0-or-later
"""Arrays and tensors reached through attributes and containers (issue 8):
named by path, one fact per object with all its paths, cycles and bounds.
The code under test is memscope.snapshot (adapters.cpp scanNamespace)."""
import numpy as np
import pytest

import memscope


def objects_by_name(snap):
    return {name: obj for obj in snap["objects"] for name in obj["names"]}


def test_lists_tuples_dicts_are_named_by_path():
    a = np.arange(3.0)
    ns = {"xs": [a, np.zeros(2)], "tup": (np.ones(1),), "d": {"k": a, 3: np.zeros(4), (1, "b"): np.ones(2)},
          "ns": __import__("types").SimpleNamespace(arr=np.zeros(5)), "_hidden": [np.zeros(6)]}
    snap = memscope.snapshot(ns)
    names = objects_by_name(snap)
    assert set(names) == {"xs[0]", "xs[1]", "tup[0]", "d['k']", "d[3]", "d[(1, 'b')]", "ns.arr"}
    # One object under two paths is one fact with both names.
    assert names["xs[0]"]["names"] == ["d['k']", "xs[0]"]
    assert names["xs[0]"]["data"] == a.__array_interface__["data"][0]
    assert names["d[3]"]["shape"] == (4,)
    assert snap["notes"] == []


def test_a_global_and_a_path_to_one_object_are_one_fact():
    a = np.arange(4)
    snap = memscope.snapshot({"a": a, "box": [[a]]})
    assert [o["names"] for o in snap["objects"]] == [["a", "box[0][0]"]]


def test_keys_that_are_not_builtin_values_run_no_repr():
    class Key:
        def __repr__(self):
            raise AssertionError("user __repr__ must not run")

        def __hash__(self):
            return 1

    snap = memscope.snapshot({"d": {Key(): np.zeros(1)}})
    [obj] = snap["objects"]
    assert obj["names"] == ["d[<Key object>]"]  # tp_name: the class name only


def test_odd_keys_are_named_and_never_blind_the_scan():
    big = 10 ** 5000  # its repr raises (int max str digits): named by type
    snap = memscope.snapshot({"d": {"\ud800": np.zeros(1), big: np.zeros(2), b"k": np.zeros(3), None: np.zeros(4)}})
    assert sorted(n for o in snap["objects"] for n in o["names"]) == ["d['\\ud800']", "d[<int object>]", "d[None]",
                                                                       "d[b'k']"]


def test_a_list_containing_itself_ends():
    cyc = [np.zeros(2)]
    cyc.append(cyc)
    d = {}
    d["self"] = d
    d["arr"] = cyc[0]
    snap = memscope.snapshot({"cyc": cyc, "d": d})
    assert [o["names"] for o in snap["objects"]] == [["cyc[0]", "d['arr']"]]
    assert snap["notes"] == []


def test_depth_bound_is_noted():
    shown = [[[np.zeros(1)]]]  # 3 levels below the global: shown
    snap = memscope.snapshot({"shown": shown})
    assert set(objects_by_name(snap)) == {"shown[0][0][0]"}
    assert snap["notes"] == []
    snap = memscope.snapshot({"deep": [[[[np.zeros(1)]]]]})
    assert snap["objects"] == []
    assert snap["notes"] == ["containers more than 3 levels below a global are not searched"]


def test_count_bound_is_noted():
    many = [np.zeros(1) for _ in range(3000)]
    snap = memscope.snapshot({"many": many})
    assert len(snap["objects"]) == 2000
    assert "many[0]" in objects_by_name(snap) and "many[1999]" in objects_by_name(snap)
    assert snap["notes"] == ["only the first 2,000 objects inside containers are searched"]
    # Exactly at the bound: nothing left out, nothing noted.
    snap = memscope.snapshot({"many": many[:2000]})
    assert len(snap["objects"]) == 2000 and snap["notes"] == []


def test_strings_and_plain_objects_are_not_searched():
    class Holder:
        def __init__(self):
            self.arr = np.zeros(2)  # generic attributes are not walked

    snap = memscope.snapshot({"s": "abc", "b": b"xyz", "h": Holder(), "n": [1, 2.0, None, "t"]})
    assert snap["objects"] == [] and snap["notes"] == []


torch = pytest.importorskip("torch")


def test_module_parameters_buffers_and_submodules():
    torch.manual_seed(0)
    lin = torch.nn.Linear(3, 2)
    seq = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
    md = torch.nn.ModuleDict({"enc": torch.nn.Linear(1, 1, bias=False)})
    snap = memscope.snapshot({"lin": lin, "seq": seq, "md": md})
    names = objects_by_name(snap)
    assert {"lin.weight", "lin.bias", "seq[0].weight", "seq[0].bias", "seq[1].weight", "seq[1].bias",
            "seq[1].running_mean", "seq[1].running_var", "seq[1].num_batches_tracked",
            "md['enc'].weight"} == set(names)
    w = names["lin.weight"]
    assert w["type"] == "torch.nn.parameter.Parameter"
    assert "requires_grad" in w["flags"]
    assert w["data"] == lin.weight.data_ptr() and w["shape"] == (2, 3)
    assert "requires_grad" not in names["seq[1].running_mean"]["flags"]


def test_parameters_list_and_state_dict():
    lin = torch.nn.Linear(3, 2)
    params = list(lin.parameters())
    sd = lin.state_dict()
    snap = memscope.snapshot({"lin": lin, "params": params, "sd": sd})
    names = objects_by_name(snap)
    # The same Parameter object under two paths: one fact.
    assert names["lin.weight"]["names"] == ["lin.weight", "params[0]"]
    assert names["lin.bias"]["names"] == ["lin.bias", "params[1]"]
    # state_dict() holds detached tensors: other objects, the same memory.
    assert names["sd['weight']"]["names"] == ["sd['weight']"]
    assert names["sd['weight']"]["type"] == "torch.Tensor"
    assert names["sd['weight']"]["group"] == names["lin.weight"]["group"]
    assert ["lin.weight", "sd['weight']"] in [sorted(g) for g in snap["alias_groups"]]
    assert len(snap["objects"]) == 4
