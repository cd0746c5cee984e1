"""EventBridge Scheduler: schedules invoked when the gateway clock passes them, in order;
time zones, start and end dates, ActionAfterCompletion, templated and universal targets,
retries and the dead-letter queue; groups, tags and AWS's errors."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from pytest_cloudmock.services.scheduler import SchedulerService

from ..aws_errors import error_of, error_with_status
from ..every_operation import call_every_operation
from ..service_fuzz import fuzz

OFF = {"Mode": "OFF"}
ROLE = "arn:aws:iam::123456789012:role/scheduler"


def target(arn, **extra):
    return {"Arn": arn, "RoleArn": ROLE, **extra}


def test_rate_schedule_fires_in_order_when_the_clock_advances(scheduler, queue, drain, frozen):
    url, arn = queue("ticks")
    scheduler.create_schedule(Name="every20", ScheduleExpression="rate(20 minutes)", FlexibleTimeWindow=OFF,
                              Target=target(arn, Input='{"at": "<aws.scheduler.scheduled-time>"}'))
    frozen.advance(minutes=19)
    assert drain(url) == []
    frozen.advance(hours=1)  # 11:19: 10:20, 10:40, 11:00
    assert [b["at"] for b in drain(url)] == ["2026-01-05T10:20:00Z", "2026-01-05T10:40:00Z", "2026-01-05T11:00:00Z"]


def test_at_schedule_fires_once_and_deletes_itself(scheduler, queue, drain, frozen):
    url, arn = queue("once")
    scheduler.create_schedule(Name="once", ScheduleExpression="at(2026-01-05T12:30:00)",
                              ScheduleExpressionTimezone="Europe/Paris",  # 11:30 UTC
                              FlexibleTimeWindow=OFF, ActionAfterCompletion="DELETE",
                              Target=target(arn, Input='{"arn": "<aws.scheduler.schedule-arn>"}'))
    frozen.advance(minutes=89)
    assert drain(url) == []
    assert scheduler.get_schedule(Name="once")["ActionAfterCompletion"] == "DELETE"
    frozen.advance(minutes=1)
    assert drain(url) == [{"arn": "arn:aws:scheduler:us-east-1:123456789012:schedule/default/once"}]
    frozen.advance(days=1)
    assert drain(url) == []
    assert error_of(scheduler.get_schedule, Name="once")[0] == "ResourceNotFoundException"


def test_cron_with_time_zone_and_start_end_dates(scheduler, queue, drain, frozen):
    url, arn = queue("crons")
    # 9:00 on weekdays in New York (14:00 UTC in January); Mon 5 Jan 2026 .. Wed 7 Jan included
    scheduler.create_schedule(Name="weekday9", ScheduleExpression="cron(0 9 ? * MON-FRI *)",
                              ScheduleExpressionTimezone="America/New_York", FlexibleTimeWindow=OFF,
                              StartDate=datetime(2026, 1, 6, tzinfo=timezone.utc),
                              EndDate=datetime(2026, 1, 8, tzinfo=timezone.utc),
                              Target=target(arn, Input='"<aws.scheduler.scheduled-time>"'))
    frozen.advance(days=10)
    assert drain(url) == ["2026-01-06T14:00:00Z", "2026-01-07T14:00:00Z"]


def test_schedules_of_several_kinds_fire_in_time_order(scheduler, queue, drain, frozen):
    url, arn = queue("order")
    scheduler.create_schedule(Name="b", ScheduleExpression="at(2026-01-05T10:45:00)", FlexibleTimeWindow=OFF,
                              Target=target(arn, Input='"b"'))
    scheduler.create_schedule(Name="a", ScheduleExpression="rate(30 minutes)", FlexibleTimeWindow=OFF,
                              Target=target(arn, Input='"a"'))
    scheduler.create_schedule(Name="c", ScheduleExpression="cron(50 10 * * ? *)", FlexibleTimeWindow={
        "Mode": "FLEXIBLE", "MaximumWindowInMinutes": 5}, Target=target(arn, Input='"c"'))
    frozen.advance(hours=1)
    assert drain(url) == ["a", "b", "c", "a"]


def test_universal_target_calls_any_service(scheduler, sqs, queue, drain, frozen):
    url, _ = queue("universal")
    scheduler.create_schedule(
        Name="send", ScheduleExpression="rate(1 hour)", FlexibleTimeWindow=OFF,
        Target=target("arn:aws:scheduler:::aws-sdk:sqs:sendMessage",
                      Input=json.dumps({"QueueUrl": url, "MessageBody": "from the universal target"})))
    frozen.advance(hours=2)
    assert drain(url) == ["from the universal target", "from the universal target"]


def test_fifo_and_event_bus_targets(scheduler, client, queue, drain, frozen):
    url, arn = queue("sched.fifo", FifoQueue="true")
    assert error_of(scheduler.create_schedule, Name="fifo", ScheduleExpression="rate(1 hour)",
                    FlexibleTimeWindow=OFF, Target=target(arn))[0] == "ValidationException"
    scheduler.create_schedule(Name="fifo", ScheduleExpression="rate(1 hour)", FlexibleTimeWindow=OFF,
                              Target=target(arn, Input='{"n": 1}', SqsParameters={"MessageGroupId": "g"}))
    events = client("events")
    bus_url, bus_queue = queue("via-bus")
    events.put_rule(Name="from-scheduler", EventPattern=json.dumps({"source": ["my.scheduler"]}))
    events.put_targets(Rule="from-scheduler", Targets=[{"Id": "q", "Arn": bus_queue}])
    scheduler.create_schedule(Name="bus", ScheduleExpression="rate(1 hour)", FlexibleTimeWindow=OFF,
                              Target=target(events.describe_event_bus()["Arn"], Input='{"k": "v"}',
                                            EventBridgeParameters={"DetailType": "tick", "Source": "my.scheduler"}))
    frozen.advance(hours=1)
    assert drain(url) == [{"n": 1}]
    [event] = drain(bus_url)
    assert (event["source"], event["detail-type"], event["detail"]) == ("my.scheduler", "tick", {"k": "v"})


def test_failed_invocation_goes_to_the_dead_letter_queue(scheduler, sqs, queue, aws, frozen):
    dlq_url, dlq_arn = queue("sched-dlq")
    scheduler.create_schedule(
        Name="broken", ScheduleExpression="rate(1 hour)", FlexibleTimeWindow=OFF,
        Target=target("arn:aws:sqs:us-east-1:123456789012:missing", Input='{"x": 1}',
                      RetryPolicy={"MaximumRetryAttempts": 0}, DeadLetterConfig={"Arn": dlq_arn}))
    frozen.advance(hours=1)
    aws.settle()
    [message] = sqs.receive_message(QueueUrl=dlq_url, MessageAttributeNames=["All"])["Messages"]
    assert json.loads(message["Body"]) == {"x": 1}
    attributes = {k: v["StringValue"] for k, v in message["MessageAttributes"].items()}
    assert attributes["TARGET_ARN"] == "arn:aws:sqs:us-east-1:123456789012:missing"
    assert attributes["ERROR_CODE"]


def test_disabled_schedule_does_not_fire(scheduler, queue, drain, frozen):
    url, arn = queue("disabled")
    scheduler.create_schedule(Name="off", ScheduleExpression="rate(1 hour)", FlexibleTimeWindow=OFF, State="DISABLED",
                              Target=target(arn))
    frozen.advance(hours=3)
    assert drain(url) == []


def test_groups_tags_and_errors(scheduler):
    arn = scheduler.create_schedule_group(Name="team", Tags=[{"Key": "k", "Value": "v"}])["ScheduleGroupArn"]
    assert arn == "arn:aws:scheduler:us-east-1:123456789012:schedule-group/team"
    assert scheduler.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "v"}]
    assert sorted(g["Name"] for g in scheduler.list_schedule_groups()["ScheduleGroups"]) == ["default", "team"]
    code, _, status = error_with_status(scheduler.create_schedule_group, Name="team")
    assert (code, status) == ("ConflictException", 409)
    scheduler.create_schedule(Name="s", GroupName="team", ScheduleExpression="rate(1 day)", FlexibleTimeWindow=OFF,
                              Target=target("arn:aws:sqs:us-east-1:123456789012:q"))
    assert [s["Name"] for s in scheduler.list_schedules(GroupName="team")["Schedules"]] == ["s"]
    assert error_of(scheduler.create_schedule, Name="s", GroupName="team", ScheduleExpression="rate(1 day)",
                    FlexibleTimeWindow=OFF, Target=target("arn:aws:sqs:us-east-1:123456789012:q"))[0] == \
        "ConflictException"
    code, _, status = error_with_status(scheduler.get_schedule, Name="s")
    assert (code, status) == ("ResourceNotFoundException", 404)
    for expression in ("rate(1 hours)", "cron(0 9 * * * *)", "at(tomorrow)"):
        assert error_of(scheduler.create_schedule, Name="bad", ScheduleExpression=expression,
                        FlexibleTimeWindow=OFF, Target=target("arn:aws:sqs:us-east-1:123456789012:q"))[0] == \
            "ValidationException"
    assert error_of(scheduler.create_schedule, Name="bad", ScheduleExpression="rate(1 day)",
                    ScheduleExpressionTimezone="Mars/Olympus", FlexibleTimeWindow=OFF,
                    Target=target("arn:aws:sqs:us-east-1:123456789012:q"))[0] == "ValidationException"
    assert error_of(scheduler.create_schedule, Name="bad", ScheduleExpression="rate(1 day)",
                    FlexibleTimeWindow={"Mode": "FLEXIBLE"},
                    Target=target("arn:aws:sqs:us-east-1:123456789012:q"))[0] == "ValidationException"
    scheduler.delete_schedule_group(Name="team")
    assert error_of(scheduler.get_schedule_group, Name="team")[0] == "ResourceNotFoundException"
    assert error_of(scheduler.list_schedules, GroupName="team")[0] == "ResourceNotFoundException"


def test_every_operation_answers(scheduler):
    scheduler.create_schedule_group(Name="existing")
    assert call_every_operation(scheduler, seed=18, rounds=3) == []


def test_fuzzed_calls_never_crash():
    """Valid-shaped random calls straight into the service: results or AWS errors only."""
    assert fuzz(SchedulerService(), rounds=30, seed=18) == []


def test_universal_target_input_is_typed_and_checked_by_the_target_model(scheduler, client, queue, sqs, aws, frozen):
    kinesis = client("kinesis")
    kinesis.create_stream(StreamName="s", ShardCount=1)
    scheduler.create_schedule(
        Name="put", ScheduleExpression="rate(1 hour)", FlexibleTimeWindow=OFF,
        Target=target("arn:aws:scheduler:::aws-sdk:kinesis:putRecord",
                      Input=json.dumps({"StreamName": "s", "Data": "aGVsbG8=", "PartitionKey": "k"})))
    dlq_url, dlq_arn = queue("bad-input")
    scheduler.create_schedule(
        Name="bad", ScheduleExpression="rate(1 hour)", FlexibleTimeWindow=OFF,
        Target=target("arn:aws:scheduler:::aws-sdk:sqs:sendMessage", Input=json.dumps({"QueueUrl": "x"}),
                      DeadLetterConfig={"Arn": dlq_arn}))
    frozen.advance(hours=1)
    aws.settle()
    shard = kinesis.list_shards(StreamName="s")["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(StreamName="s", ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    [record] = kinesis.get_records(ShardIterator=iterator["ShardIterator"])["Records"]
    assert record["Data"] == b"hello"
    [dead] = sqs.receive_message(QueueUrl=dlq_url, MessageAttributeNames=["All"])["Messages"]
    assert dead["MessageAttributes"]["ERROR_CODE"]["StringValue"] == "ValidationException"
