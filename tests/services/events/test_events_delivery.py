"""Rules deliver matching events to their targets (SQS, FIFO, another bus, Lambda), shaped by
Input, InputPath and InputTransformer; failures go to the dead-letter queue."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from ..aws_errors import error_of

ORDER = {"source": ["shop"], "detail-type": ["order"]}


def put(events, detail, bus="default", source="shop", detail_type="order", **extra):
    entry = {"Source": source, "DetailType": detail_type, "Detail": json.dumps(detail), "EventBusName": bus, **extra}
    answer = events.put_events(Entries=[entry])
    assert answer["FailedEntryCount"] == 0, answer
    return answer["Entries"][0]["EventId"]


def test_matching_event_reaches_sqs_and_others_do_not(events, queue, drain):
    url, arn = queue("orders")
    events.put_rule(Name="orders", EventPattern=json.dumps(ORDER))
    events.put_targets(Rule="orders", Targets=[{"Id": "q", "Arn": arn}])
    event_id = put(events, {"total": 5})
    put(events, {"total": 6}, source="other")
    [body] = drain(url)
    assert body["id"] == event_id
    assert body["detail"] == {"total": 5}
    assert body["source"] == "shop" and body["detail-type"] == "order"
    assert body["account"] == "123456789012" and body["region"] == "us-east-1"
    assert set(body) == {"version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"}


def test_input_transformer_to_sqs(events, queue, drain):
    url, arn = queue("shaped")
    events.put_rule(Name="orders", EventPattern=json.dumps(ORDER))
    events.put_targets(Rule="orders", Targets=[{
        "Id": "q", "Arn": arn,
        "InputTransformer": {
            "InputPathsMap": {"total": "$.detail.total", "who": "$.detail.customer.name", "items": "$.detail.items",
                              "missing": "$.detail.nope"},
            "InputTemplate": '{"sum": <total>, "text": "order of <who> for <total>", "items": <items>, '
                             '"rule": "<aws.events.rule-name>", "gone": <missing>}',
        },
    }])
    put(events, {"total": 12.5, "customer": {"name": 'Ann "A"'}, "items": [1, 2]})
    [body] = drain(url)
    assert body == {"sum": 12.5, "text": 'order of Ann "A" for 12.5', "items": [1, 2], "rule": "orders", "gone": None}


def test_input_transformer_plain_text_and_string_templates(events, queue, drain):
    url, arn = queue("texts")
    events.put_rule(Name="orders", EventPattern=json.dumps(ORDER))
    events.put_targets(Rule="orders", Targets=[
        {"Id": "plain", "Arn": arn, "InputTransformer": {
            "InputPathsMap": {"who": "$.detail.who"}, "InputTemplate": "hello <who>"}},
        {"Id": "quoted", "Arn": arn, "InputTransformer": {
            "InputPathsMap": {"who": "$.detail.who"}, "InputTemplate": '"hello <who>"'}},
    ])
    put(events, {"who": "Bob"})
    assert sorted(map(str, drain(url))) == ["hello Bob", "hello Bob"]


def test_input_and_input_path(events, queue, drain):
    url, arn = queue("inputs")
    events.put_rule(Name="orders", EventPattern=json.dumps(ORDER))
    events.put_targets(Rule="orders", Targets=[
        {"Id": "const", "Arn": arn, "Input": '{"fixed": true}'},
        {"Id": "path", "Arn": arn, "InputPath": "$.detail.items[1]"},
    ])
    put(events, {"items": ["a", {"b": 2}]})
    bodies = drain(url)
    assert sorted(bodies, key=str) == sorted([{"fixed": True}, {"b": 2}], key=str)


def test_fifo_queue_target_needs_a_message_group(events, queue, drain):
    url, arn = queue("orders.fifo", FifoQueue="true")
    events.put_rule(Name="orders", EventPattern=json.dumps(ORDER))
    failed = events.put_targets(Rule="orders", Targets=[{"Id": "q", "Arn": arn}])
    assert failed["FailedEntryCount"] == 1
    events.put_targets(Rule="orders", Targets=[{"Id": "q", "Arn": arn, "SqsParameters": {"MessageGroupId": "g1"}}])
    put(events, {"n": 1})
    put(events, {"n": 2})
    assert sorted(b["detail"]["n"] for b in drain(url)) == [1, 2]


def test_custom_bus_and_bus_to_bus(events, queue, drain):
    url, arn = queue("relay")
    bus_arn = events.create_event_bus(Name="orders")["EventBusArn"]
    events.put_rule(Name="forward", EventPattern=json.dumps(ORDER))
    events.put_targets(Rule="forward", Targets=[{"Id": "bus", "Arn": bus_arn}])
    events.put_rule(Name="sink", EventBusName="orders", EventPattern=json.dumps(ORDER))
    events.put_targets(Rule="sink", EventBusName="orders", Targets=[{"Id": "q", "Arn": arn}])
    event_id = put(events, {"n": 1})
    [body] = drain(url)
    assert body["id"] == event_id


def test_cross_account_delivery_needs_the_bus_policy(events, client, queue, drain, aws):
    url, arn = queue("cross")
    events.create_event_bus(Name="shared")
    other_account = "111122223333"  # a 12-digit access key id is its own account
    other = client("events", aws_access_key_id=other_account, aws_secret_access_key="x")
    events.put_rule(Name="sink", EventBusName="shared", EventPattern=json.dumps(ORDER))
    events.put_targets(Rule="sink", EventBusName="shared", Targets=[{"Id": "q", "Arn": arn}])
    bus_arn = events.describe_event_bus(Name="shared")["Arn"]
    entry = {"Source": "shop", "DetailType": "order", "Detail": "{}", "EventBusName": bus_arn}
    refused = other.put_events(Entries=[entry])
    assert refused["FailedEntryCount"] == 1
    events.put_permission(EventBusName="shared", Action="events:PutEvents", Principal=other_account,
                          StatementId="other")
    policy = json.loads(events.describe_event_bus(Name="shared")["Policy"])
    assert policy["Statement"][0]["Principal"] == {"AWS": f"arn:aws:iam::{other_account}:root"}
    assert other.put_events(Entries=[entry])["FailedEntryCount"] == 0
    [body] = drain(url)
    assert body["account"] == other_account
    events.remove_permission(EventBusName="shared", StatementId="other")
    assert "Policy" not in events.describe_event_bus(Name="shared")
    assert error_of(events.remove_permission, EventBusName="shared", StatementId="other")[0] == \
        "ResourceNotFoundException"


def test_failed_delivery_goes_to_the_dead_letter_queue(events, queue, drain):
    dlq_url, dlq_arn = queue("dlq")
    events.put_rule(Name="orders", EventPattern=json.dumps(ORDER))
    missing = "arn:aws:sqs:us-east-1:123456789012:nowhere"
    events.put_targets(Rule="orders", Targets=[{"Id": "q", "Arn": missing, "DeadLetterConfig": {"Arn": dlq_arn},
                                                "RetryPolicy": {"MaximumRetryAttempts": 2}}])
    event_id = put(events, {"n": 1})
    aws_settled = drain(dlq_url)
    assert [b["id"] for b in aws_settled] == [event_id]


def test_dead_letter_attributes(events, queue, sqs, aws):
    dlq_url, dlq_arn = queue("dlq2")
    events.put_rule(Name="orders", EventPattern=json.dumps(ORDER))
    missing = "arn:aws:states:us-east-1:123456789012:stateMachine:nope"
    events.put_targets(Rule="orders", Targets=[{"Id": "sfn", "Arn": missing, "DeadLetterConfig": {"Arn": dlq_arn}}])
    put(events, {"n": 1})
    aws.settle()
    [message] = sqs.receive_message(QueueUrl=dlq_url, MessageAttributeNames=["All"])["Messages"]
    attributes = {k: v["StringValue"] for k, v in message["MessageAttributes"].items()}
    assert attributes["TARGET_ARN"] == missing
    assert attributes["RULE_ARN"].endswith(":rule/orders")
    assert attributes["ERROR_CODE"]
    assert attributes["RETRY_ATTEMPTS"] == "0"
    assert attributes["EXHAUSTED_RETRY_CONDITION"] == "MaximumRetryAttemptsExhausted"


def test_disabled_rule_does_not_deliver(events, queue, drain):
    url, arn = queue("off")
    events.put_rule(Name="orders", EventPattern=json.dumps(ORDER), State="DISABLED")
    events.put_targets(Rule="orders", Targets=[{"Id": "q", "Arn": arn}])
    put(events, {})
    assert drain(url) == []
    events.enable_rule(Name="orders")
    put(events, {})
    assert len(drain(url)) == 1


def test_input_transformer_predefined_variables_and_wildcard_paths(events, queue, drain, frozen):
    url, arn = queue("predefined")
    rule_arn = events.put_rule(Name="orders", EventPattern=json.dumps(ORDER))["RuleArn"]
    events.put_targets(Rule="orders", Targets=[{"Id": "q", "Arn": arn, "InputTransformer": {
        "InputPathsMap": {"ids": "$.detail.items[*].id"},
        "InputTemplate": '{"ids": <ids>, "arn": "<aws.events.rule-arn>", "at": "<aws.events.event.ingestion-time>", '
                         '"envelope": <aws.events.event>, "whole": <aws.events.event.json>}'}}])
    event_id = put(events, {"items": [{"id": "a"}, {"id": "b"}]})
    [body] = drain(url)
    assert body["ids"] == ["a", "b"]
    assert body["arn"] == rule_arn
    assert body["at"] == "2026-01-05T10:00:00.000Z"
    assert body["envelope"]["id"] == event_id and "detail" not in body["envelope"]
    assert body["whole"]["detail"] == {"items": [{"id": "a"}, {"id": "b"}]}


def test_input_paths_map_keys_cannot_name_predefined_variables(events):
    """The model's key pattern has no dots, so no key can start with "AWS." as AWS forbids."""
    events.put_rule(Name="orders", EventPattern=json.dumps(ORDER))
    code, _ = error_of(events.put_targets, Rule="orders", Targets=[{
        "Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:q",
        "InputTransformer": {"InputPathsMap": {"AWS.x": "$.id"}, "InputTemplate": "<AWS.x>"}}])
    assert code == "ValidationException"


def test_concurrent_put_events_deliver_each_event_once(events, queue, drain):
    url, arn = queue("concurrent")
    events.put_rule(Name="orders", EventPattern=json.dumps(ORDER))
    events.put_targets(Rule="orders", Targets=[{"Id": "q", "Arn": arn, "InputPath": "$.detail.n"}])

    def send(worker: int) -> None:
        for i in range(10):
            put(events, {"n": worker * 10 + i})

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(send, range(8)))
    assert sorted(drain(url)) == list(range(80))
