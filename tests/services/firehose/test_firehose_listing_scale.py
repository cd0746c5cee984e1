"""ListDeliveryStreams reads its page from the stream names kept in order (after the exclusive start
name, of the type asked for) instead of sorting every stream: hypothesis compares it with sorting."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(made=st.lists(st.tuples(st.text("ab-", min_size=1, max_size=3), st.booleans()), max_size=8,
                     unique_by=lambda m: m[0]),
       after=st.sampled_from([None, "a", "b-", "zz"]), kind=st.sampled_from([None, "DirectPut", "KinesisStreamAsSource"]),
       limit=st.integers(1, 4))
def test_pages_equal_sorting_every_stream(aws, firehose, to_s3, made, after, kind, limit):
    aws.reset()
    for name, deleted in made:
        to_s3(name)
        if deleted:
            firehose.delete_delivery_stream(DeliveryStreamName=name)
    kept = sorted(name for name, deleted in made if not deleted and kind != "KinesisStreamAsSource"
                  and (not after or name > after))
    params = {k: v for k, v in (("ExclusiveStartDeliveryStreamName", after), ("DeliveryStreamType", kind)) if v}
    answer = firehose.list_delivery_streams(Limit=limit, **params)
    assert answer["DeliveryStreamNames"] == kept[:limit]
    assert answer["HasMoreDeliveryStreams"] == (len(kept) > limit)
