"""The outbox (`ctx.defer`) and the background dispatcher (`settle`)."""

from __future__ import annotations

import threading
import time

import pytest

from pytest_cloudmock.dispatch import Dispatcher, SettleTimeout

from ..services.sns_endpoint import Endpoint


def test_s3_notification_to_a_slow_subscriber_does_not_block_other_s3_writes(client):
    """S3 → SNS → HTTP: while the subscriber holds the first put's delivery, a put to
    another bucket answers at once (notifications run after S3's locks are released)."""
    hold = threading.Event()
    endpoint = Endpoint(auto_confirm=True)
    try:
        s3, sns = client("s3"), client("sns")
        topic = sns.create_topic(Name="events")["TopicArn"]
        sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=endpoint.url)
        s3.create_bucket(Bucket="watched")
        s3.create_bucket(Bucket="other")
        s3.put_bucket_notification_configuration(
            Bucket="watched",
            NotificationConfiguration={"TopicConfigurations": [{"TopicArn": topic, "Events": ["s3:ObjectCreated:*"]}]},
        )
        endpoint.hold = hold  # from now on (after S3's test event), notifications wait
        first = threading.Thread(target=s3.put_object, kwargs={"Bucket": "watched", "Key": "a", "Body": b"1"})
        first.start()
        assert endpoint.arrived.wait(10), "the notification never reached the subscriber"
        started = time.perf_counter()
        s3.put_object(Bucket="other", Key="b", Body=b"2")
        assert s3.get_object(Bucket="watched", Key="a")["Body"].read() == b"1"
        elapsed = time.perf_counter() - started
        assert first.is_alive(), "the first put should still be delivering"
        assert elapsed < 1.0
    finally:
        hold.set()
        first.join(10)
        endpoint.stop()


def test_deferred_effects_run_in_order_after_the_service(aws):
    from pytest_cloudmock.api import RequestContext

    order = []
    ctx = RequestContext("x", "Op", {}, "us-east-1", "123456789012", "", "id", "json", registry=aws.registry)
    ctx.defer(lambda: order.append(1))
    ctx.defer(lambda: (order.append(2), ctx.defer(lambda: order.append(3))))
    ctx.defer(lambda: 1 / 0)  # logged, never stops the rest
    ctx.defer(lambda: order.append(4))
    from pytest_cloudmock.dispatch import run_deferred

    run_deferred(ctx.deferred)
    assert order == [1, 2, 4, 3]


def test_settle_waits_for_work_queued_by_queued_work():
    dispatcher = Dispatcher(workers=2)
    done = []
    gate = threading.Event()

    def second():
        done.append("second")

    def first():
        gate.wait(5)
        done.append("first")
        dispatcher.submit(second)

    dispatcher.submit(first)
    threading.Timer(0.05, gate.set).start()
    dispatcher.settle(5)
    assert done == ["first", "second"]
    dispatcher.stop()


def test_settle_times_out_with_a_clear_error():
    dispatcher = Dispatcher(workers=1)
    gate = threading.Event()
    dispatcher.submit(lambda: gate.wait(5))
    with pytest.raises(SettleTimeout, match="1 background task"):
        dispatcher.settle(0.05)
    gate.set()
    dispatcher.settle(5)
    dispatcher.stop()


def test_ctx_dispatch_runs_on_the_gateway_dispatcher_and_settle_waits(aws):
    from pytest_cloudmock.api import RequestContext

    ran = threading.Event()
    ctx = RequestContext("x", "Op", {}, "us-east-1", "123456789012", "", "id", "json", registry=aws.registry)
    ctx.dispatch(ran.set)
    aws.settle(5)
    assert ran.is_set()


def test_admin_settle_waits_for_background_work(aws):
    from ..gateway.test_admin import admin

    gate = threading.Event()
    ran = threading.Event()
    aws.dispatcher.submit(lambda: (gate.wait(5), ran.set()))
    assert admin(aws, "/api/settle", "POST", {"timeout": 0.01})[0] == 504
    gate.set()
    assert admin(aws, "/api/settle", "POST", {}) == (200, {"settled": True})
    assert ran.is_set()
    assert admin(aws, "/api/settle", "POST", {"timeout": "soon"})[0] == 400
