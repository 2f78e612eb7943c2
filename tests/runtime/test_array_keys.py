"""Cache keys of numpy arrays (`runtime.cache.value_key`): by dtype, shape and bytes, hashed where the data lies."""

from __future__ import annotations

import hashlib
import pickle
import tracemalloc

import numpy as np

from pflow_studio.runtime.cache import value_key
from pflow_studio.runtime.keys import element_keys


def test_an_array_keys_by_dtype_shape_and_every_byte():
    base = np.arange(12, dtype=np.float64)
    changed = base.copy()
    changed[-1] = -1.0
    variants = [base, base.reshape(3, 4), base.astype(np.float32), base.astype(np.int64), changed, base[:-1]]
    assert len({value_key(v) for v in variants}) == len(variants)
    assert value_key(base) == value_key(base.copy()) == value_key(np.arange(12, dtype=np.float64))


def test_arrays_inside_lists_and_dicts_are_keyed_too():
    a, b = np.zeros(5), np.ones(5)
    assert value_key([a, b]) != value_key([b, a])
    assert value_key({"x": a}) == value_key({"x": a.copy()}) != value_key({"x": b})


def test_values_without_arrays_keep_the_key_of_their_plain_pickle():
    for value in (1, 2.5, "text", [1, [2, 3]], {"a": (1, 2)}):
        assert value_key(value) == hashlib.sha256(pickle.dumps(value, protocol=5)).hexdigest()


def test_a_big_array_is_hashed_without_copying_its_data():
    big = np.ones(2_000_000)  # 16 MB
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        value_key(big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < big.nbytes / 4


def test_map_elements_that_are_arrays_get_distinct_keys():
    prefix = bytes(32)
    items = [{"x": np.zeros(3)}, {"x": np.ones(3)}, {"x": np.zeros(3)}]
    keys = element_keys(prefix, ["x"], items)
    assert None not in keys and keys[0] == keys[2] != keys[1]
