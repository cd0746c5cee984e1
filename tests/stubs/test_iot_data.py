"""IoT Data through boto3: shadows by AWS's document rules, published and retained messages."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from pytest_cloudmock.stubs.custom.iotdata import published


def update(iot, thing: str, doc: dict, **kw) -> dict:
    return json.loads(iot.update_thing_shadow(thingName=thing, payload=json.dumps(doc).encode(), **kw)["payload"].read())


def get(iot, thing: str, **kw) -> dict:
    return json.loads(iot.get_thing_shadow(thingName=thing, **kw)["payload"].read())


def error(info: pytest.ExceptionInfo[ClientError]) -> tuple[int, str, str]:
    response = info.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"], response["Error"]["Message"]


def test_shadow_documents_merge_delete_and_report_a_delta(client, frozen):
    iot = client("iot-data")
    now = int(frozen.utcnow().timestamp())
    accepted = update(iot, "lamp", {"state": {"desired": {"color": "red", "light": {"on": True, "level": 5}}},
                                    "clientToken": "t1"})
    assert accepted["version"] == 1 and accepted["clientToken"] == "t1" and accepted["timestamp"] == now
    assert accepted["metadata"] == {"desired": {"color": {"timestamp": now},
                                                "light": {"on": {"timestamp": now}, "level": {"timestamp": now}}}}
    frozen.advance(10)
    update(iot, "lamp", {"state": {"reported": {"color": "green", "light": {"on": True, "level": 5}, "fw": [1, 2]}}})
    doc = get(iot, "lamp")
    assert doc["version"] == 2
    assert doc["state"]["delta"] == {"color": "red"}  # desired attributes the device does not report
    assert doc["state"]["reported"]["fw"] == [1, 2]
    assert doc["metadata"]["reported"]["fw"] == [{"timestamp": now + 10}, {"timestamp": now + 10}]
    assert doc["metadata"]["desired"]["color"] == {"timestamp": now}
    update(iot, "lamp", {"state": {"reported": {"color": "red", "fw": None}}})  # null deletes
    doc = get(iot, "lamp")
    assert "delta" not in doc["state"] and "fw" not in doc["state"]["reported"]
    update(iot, "lamp", {"state": {"desired": None}})  # the whole section
    assert "desired" not in get(iot, "lamp")["state"] and get(iot, "lamp")["version"] == 4


def test_stale_versions_and_bad_documents_get_aws_errors(client):
    iot = client("iot-data")
    update(iot, "t", {"state": {"reported": {"a": 1}}})
    with pytest.raises(ClientError) as info:
        update(iot, "t", {"state": {"reported": {"a": 2}}, "version": 7})
    assert error(info) == (409, "ConflictException", "Version conflict")
    assert update(iot, "t", {"state": {"reported": {"a": 2}}, "version": 1})["version"] == 2
    cases = [(b"{not json", "Invalid JSON"), (b'{"x": 1}', "Missing required node: state"),
             (b'{"state": 3}', "State node must be an object"),
             (b'{"state": {"desired": [1]}}', "Desired node must be an object"),
             (b'{"state": {"delta": {}}}', "State contains an invalid node"),
             (json.dumps({"state": {"reported": {}}, "clientToken": "x" * 65}).encode(), "Invalid clientToken"),
             (json.dumps({"state": {"reported": {"a": {"b": {"c": {"d": {"e": {"f": {"g": 1}}}}}}}}}).encode(),
              "JSON contains too many levels of nesting; maximum is 6")]
    for payload, message in cases:
        with pytest.raises(ClientError) as info:
            iot.update_thing_shadow(thingName="t", payload=payload)
        assert error(info) == (400, "InvalidRequestException", message)
    with pytest.raises(ClientError) as info:
        iot.update_thing_shadow(thingName="t", payload=json.dumps({"state": {"reported": {"x": "y" * 9000}}}).encode())
    assert error(info)[:2] == (413, "RequestEntityTooLargeException")


def test_named_shadows_are_listed_and_deleted_shadows_keep_their_version_48_hours(client, frozen):
    iot = client("iot-data")
    for name in ("b", "a", "c"):
        update(iot, "pump", {"state": {"reported": {"n": name}}}, shadowName=name)
    update(iot, "pump", {"state": {"reported": {"classic": True}}})
    assert iot.list_named_shadows_for_thing(thingName="pump")["results"] == ["a", "b", "c"]
    first = iot.list_named_shadows_for_thing(thingName="pump", pageSize=2)
    assert first["results"] == ["a", "b"]
    assert iot.list_named_shadows_for_thing(thingName="pump", nextToken=first["nextToken"])["results"] == ["c"]
    assert get(iot, "pump", shadowName="a")["state"]["reported"] == {"n": "a"}
    deleted = json.loads(iot.delete_thing_shadow(thingName="pump", shadowName="a")["payload"].read())
    assert deleted["version"] == 1
    with pytest.raises(ClientError) as info:
        get(iot, "pump", shadowName="a")
    assert error(info) == (404, "ResourceNotFoundException", "No shadow exists with name: 'a'")
    with pytest.raises(ClientError) as info:
        iot.delete_thing_shadow(thingName="nothing")
    assert error(info) == (404, "ResourceNotFoundException", "No shadow exists with name: 'nothing'")
    assert update(iot, "pump", {"state": {"reported": {}}}, shadowName="a")["version"] == 2  # within 48 hours
    iot.delete_thing_shadow(thingName="pump", shadowName="b")
    frozen.advance(49 * 3600)
    assert update(iot, "pump", {"state": {"reported": {}}}, shadowName="b")["version"] == 1


def test_publish_is_captured_with_the_shadow_topics_and_retained_messages_kept(client, aws):
    iot = client("iot-data")
    iot.publish(topic="sensors/1", qos=1, payload=b'{"t": 20}')
    iot.publish(topic="sensors/2", retain=True, payload=b"keep")
    update(iot, "lamp", {"state": {"desired": {"on": True}}})
    messages = published(aws.registry.get("iot-data"), "123456789012", "us-east-1")
    assert [(m["topic"], m["qos"], m["retain"]) for m in messages[:2]] == [("sensors/1", 1, False), ("sensors/2", 0, True)]
    assert messages[0]["payload"] == b'{"t": 20}'
    assert [m["topic"] for m in messages[2:]] == ["$aws/things/lamp/shadow/update/accepted",
                                                   "$aws/things/lamp/shadow/update/documents",
                                                   "$aws/things/lamp/shadow/update/delta"]
    assert json.loads(messages[-1]["payload"])["state"] == {"on": True}
    kept = iot.get_retained_message(topic="sensors/2")
    assert kept["payload"] == b"keep" and kept["qos"] == 0 and kept["lastModifiedTime"] > 0
    assert [(t["topic"], t["payloadSize"]) for t in iot.list_retained_messages()["retainedTopics"]] == [("sensors/2", 4)]
    iot.publish(topic="sensors/2", retain=True, payload=b"")  # an empty retained message clears it
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.get_retained_message(topic="sensors/2")
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.delete_connection(clientId="device-1")
