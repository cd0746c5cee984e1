"""Properties of the pieces many inputs go through: hash key ranges and sequence numbers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pytest_cloudmock.services.kinesis import sequence
from pytest_cloudmock.services.kinesis.state import HASH_SPACE


@given(st.integers(min_value=1, max_value=500))
def test_even_ranges_cover_the_hash_space_without_gaps(count):
    ranges = sequence.even_ranges(count)
    assert len(ranges) == count and ranges[0][0] == 0 and ranges[-1][1] == HASH_SPACE - 1
    assert all(a[1] + 1 == b[0] for a, b in zip(ranges, ranges[1:], strict=False))
    assert all(start <= end for start, end in ranges)


@given(st.text(min_size=1, max_size=256), st.integers(min_value=1, max_value=64))
def test_every_partition_key_lands_in_exactly_one_range(key, count):
    value = sequence.hash_key_of(key)
    assert sum(start <= value <= end for start, end in sequence.even_ranges(count)) == 1


@given(st.lists(st.tuples(st.integers(min_value=1, max_value=10**30), st.integers(min_value=0, max_value=9999)),
                min_size=2, max_size=50))
def test_sequence_numbers_order_by_counter_and_round_trip(pairs):
    numbers = [sequence.make_sequence(counter, shard) for counter, shard in pairs]
    for (counter, shard), number in zip(pairs, numbers, strict=True):
        text = sequence.text(number)
        assert len(text) == 56 and sequence.parse(text) == number
        assert sequence.counter_of(number) == counter and sequence.shard_index_of(number) == shard
    by_counter = sorted(zip(pairs, numbers, strict=True), key=lambda pn: pn[0])
    assert [n for _p, n in by_counter] == sorted(numbers)
