"""`core.memo.remembered`: one conversion per distinct value, never a shared mutable result."""

from __future__ import annotations

from decimal import Decimal

from kiemdiem.core.memo import remembered


def counting(fn):
    calls = []

    def wrapped(value):
        calls.append(value)
        return fn(value)

    return wrapped, calls


def test_each_distinct_value_is_converted_once_and_types_stay_apart():
    fn, calls = counting(lambda v: ("got", v))
    convert = remembered(fn)
    for v in (1, 1, True, 1.0, Decimal(1), 1, True):
        convert(v)
    assert calls == [1, True, 1.0, Decimal(1)]
    assert convert(True) == ("got", True)


def test_unhashable_values_and_mutable_results_are_converted_every_time():
    fn, calls = counting(lambda v: list(v) if isinstance(v, tuple) else v)
    convert = remembered(fn)
    first, second = convert((1, 2)), convert((1, 2))
    assert first == second == [1, 2] and first is not second
    convert([3]), convert([3])
    assert calls == [(1, 2), (1, 2), [3], [3]]


def test_a_key_that_refuses_a_value_means_no_memory_for_it():
    def key(v):
        if v < 0:
            raise TypeError("negative")
        return v

    fn, calls = counting(abs)
    convert = remembered(fn, key=key)
    for v in (-2, -2, 2, 2):
        convert(v)
    assert calls == [-2, -2, 2]


def test_a_limit_starts_the_memory_over_when_full():
    fn, calls = counting(lambda v: v * 2)
    convert = remembered(fn, limit=2)
    for v in (1, 2, 3, 1):
        convert(v)
    assert calls == [1, 2, 3, 1]  # 3 found the memory full: 1 was forgotten
