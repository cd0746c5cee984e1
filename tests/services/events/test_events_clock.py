"""Scheduled rules fire on the gateway clock; archives keep events and replays send them again."""

from __future__ import annotations

import json
from datetime import timedelta

from ..aws_errors import error_of


def test_rate_rule_fires_when_the_clock_moves(events, queue, drain, frozen):
    url, arn = queue("ticks")
    events.put_rule(Name="every5", ScheduleExpression="rate(5 minutes)")
    events.put_targets(Rule="every5", Targets=[{"Id": "q", "Arn": arn}])
    frozen.advance(minutes=4)
    assert drain(url) == []
    frozen.advance(minutes=11)  # 10:15: fired at 10:05, 10:10, 10:15
    bodies = drain(url)
    assert [b["time"] for b in bodies] == ["2026-01-05T10:05:00Z", "2026-01-05T10:10:00Z", "2026-01-05T10:15:00Z"]
    assert bodies[0]["source"] == "aws.events" and bodies[0]["detail-type"] == "Scheduled Event"
    assert bodies[0]["resources"] == [events.describe_rule(Name="every5")["Arn"]]
    assert bodies[0]["detail"] == {}


def test_cron_rule_fires_in_order_and_a_disabled_rule_does_not(events, queue, drain, frozen):
    url, arn = queue("crons")
    events.put_rule(Name="half-past", ScheduleExpression="cron(30 * * * ? *)")
    events.put_rule(Name="top", ScheduleExpression="cron(0 * * * ? *)")
    events.put_rule(Name="off", ScheduleExpression="cron(0 * * * ? *)", State="DISABLED")
    for name in ("half-past", "top", "off"):
        events.put_targets(Rule=name, Targets=[{"Id": "q", "Arn": arn, "Input": json.dumps({"rule": name})}])
    frozen.advance(hours=2)
    assert [b["rule"] for b in drain(url)] == ["half-past", "top", "half-past", "top"]


def test_schedule_errors(events):
    assert error_of(events.put_rule, Name="x", ScheduleExpression="rate(1 minutes)") == (
        "ValidationException", "Parameter ScheduleExpression is not valid.")
    assert error_of(events.put_rule, Name="x", ScheduleExpression="cron(0 * * * * *)")[0] == "ValidationException"
    events.create_event_bus(Name="custom")
    assert error_of(events.put_rule, Name="x", EventBusName="custom", ScheduleExpression="rate(1 hour)") == (
        "ValidationException", "ScheduleExpression is supported only on the default event bus.")
    assert error_of(events.put_rule, Name="x") == (
        "ValidationException", "Parameter(s) EventPattern or ScheduleExpression must be specified.")


def test_archive_and_replay(events, queue, drain, frozen):
    url, arn = queue("replayed")
    bus_arn = events.describe_event_bus()["Arn"]
    archive_arn = events.create_archive(ArchiveName="orders", EventSourceArn=bus_arn,
                                        EventPattern=json.dumps({"source": ["shop"]}))["ArchiveArn"]
    rule_arn = events.put_rule(Name="orders", EventPattern=json.dumps({"source": ["shop"]}))["RuleArn"]
    events.put_targets(Rule="orders", Targets=[{"Id": "q", "Arn": arn}])
    start = frozen.utcnow()
    for n in range(3):
        events.put_events(Entries=[{"Source": "shop", "DetailType": "order", "Detail": json.dumps({"n": n})}])
    events.put_events(Entries=[{"Source": "elsewhere", "DetailType": "x", "Detail": "{}"}])
    first = drain(url)
    assert sorted(b["detail"]["n"] for b in first) == [0, 1, 2]
    described = events.describe_archive(ArchiveName="orders")
    assert described["EventCount"] == 3 and described["SizeBytes"] > 0
    frozen.advance(minutes=1)
    replay = events.start_replay(ReplayName="again", EventSourceArn=archive_arn, EventStartTime=start,
                                 EventEndTime=start + timedelta(seconds=30),
                                 Destination={"Arn": bus_arn, "FilterArns": [rule_arn]})
    assert replay["State"] == "STARTING"
    replayed = drain(url)
    assert sorted(b["detail"]["n"] for b in replayed) == [0, 1, 2]
    assert {b["replay-name"] for b in replayed} == {"again"}
    assert {b["id"] for b in replayed} == {b["id"] for b in first}
    assert events.describe_replay(ReplayName="again")["State"] == "COMPLETED"
    assert events.describe_archive(ArchiveName="orders")["EventCount"] == 3  # replays are not archived again
    assert error_of(events.cancel_replay, ReplayName="again")[0] == "IllegalStatusException"
    assert error_of(events.start_replay, ReplayName="later", EventSourceArn=archive_arn, EventStartTime=start,
                    EventEndTime=start + timedelta(days=1), Destination={"Arn": bus_arn})[0] == "ValidationException"


def test_a_long_jump_fires_at_most_a_hundred_times_and_the_schedule_goes_on(events, queue, drain, frozen, sqs):
    url, arn = queue("many")
    events.put_rule(Name="minutely", ScheduleExpression="rate(1 minute)")
    events.put_targets(Rule="minutely", Targets=[{"Id": "q", "Arn": arn, "Input": "{}"}])
    frozen.advance(days=2)
    assert len(drain(url)) == 100
    frozen.advance(minutes=1)
    assert len(drain(url)) == 1


def test_clock_set_back_fires_on_the_new_time(events, queue, drain, frozen):
    url, arn = queue("back")
    events.put_rule(Name="hourly", ScheduleExpression="rate(1 hour)")
    events.put_targets(Rule="hourly", Targets=[{"Id": "q", "Arn": arn, "Input": "{}"}])
    frozen.set("2025-06-01T00:00:00Z")
    frozen.advance(hours=1)
    assert len(drain(url)) == 1


def test_archived_events_expire_after_the_retention(events, frozen):
    bus_arn = events.describe_event_bus()["Arn"]
    events.create_archive(ArchiveName="short", EventSourceArn=bus_arn, RetentionDays=1)
    events.create_archive(ArchiveName="forever", EventSourceArn=bus_arn)
    events.put_events(Entries=[{"Source": "shop", "DetailType": "order", "Detail": "{}"}])
    frozen.advance(hours=23)
    events.put_events(Entries=[{"Source": "shop", "DetailType": "order", "Detail": "{}"}])
    frozen.advance(hours=2)
    assert events.describe_archive(ArchiveName="short")["EventCount"] == 1
    assert events.describe_archive(ArchiveName="forever")["EventCount"] == 2
