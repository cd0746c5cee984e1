"""SQS's own checks through boto3 (json and query): attributes, permissions, delays, message
attributes, FIFO batches, recently deleted names, KMS keys; and every operation answered.

Where a message is asserted whole it is AWS's; where AWS's wording is not documented only
the code is asserted.
"""

from __future__ import annotations

import hashlib

import pytest

from pytest_cloudmock.services.sqs import SqsService

from ..every_operation import call_every_operation


def error(sqs, call, **kwargs) -> tuple[str, str]:
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as info:
        getattr(sqs, call)(**kwargs)
    return info.value.response["Error"]["Code"], info.value.response["Error"]["Message"]


def test_every_sqs_operation_is_answered(sqs):
    assert call_every_operation(sqs, seed=14, rounds=2) == []


def test_the_service_implements_its_whole_model():
    service = SqsService()
    assert sorted(service.implemented()) == sorted(service.model.operation_names)


def test_queue_attribute_names_and_values_get_aws_messages(sqs, make_queue):
    assert error(sqs, "create_queue", QueueName="q", Attributes={"Colour": "blue"}) == (
        "InvalidAttributeName", "Unknown Attribute Colour.")
    assert error(sqs, "create_queue", QueueName="q", Attributes={"DelaySeconds": "901"}) == (
        "InvalidAttributeValue", "Invalid value for the parameter DelaySeconds.")
    url = make_queue("q")
    assert error(sqs, "set_queue_attributes", QueueUrl=url, Attributes={"MaximumMessageSize": "1"}) == (
        "InvalidAttributeValue", "Invalid value for the parameter MaximumMessageSize.")
    assert error(sqs, "set_queue_attributes", QueueUrl=url, Attributes={"FifoQueue": "true"})[0] == "InvalidAttributeName"
    assert error(sqs, "get_queue_attributes", QueueUrl=url, AttributeNames=["Nope"])[0] == "InvalidAttributeName"


def test_add_permission_arguments(sqs, make_queue):
    url = make_queue("shared")
    sqs.add_permission(QueueUrl=url, Label="ok", AWSAccountIds=["111122223333"], Actions=["SendMessage", "*"])
    code, message = error(sqs, "add_permission", QueueUrl=url, Label="ok", AWSAccountIds=["111122223333"], Actions=["SendMessage"])
    assert code == "InvalidParameterValue" and message == "Value ok for parameter Label is invalid. Reason: Already exists."
    assert error(sqs, "add_permission", QueueUrl=url, Label="owner", AWSAccountIds=["111122223333"],
                 Actions=["DeleteQueue"])[0] == "InvalidParameterValue"
    assert error(sqs, "add_permission", QueueUrl=url, Label="bogus", AWSAccountIds=["111122223333"],
                 Actions=["Fly"])[0] == "InvalidParameterValue"
    assert error(sqs, "add_permission", QueueUrl=url, Label="bad label!", AWSAccountIds=["111122223333"],
                 Actions=["SendMessage"])[0] == "InvalidParameterValue"
    assert error(sqs, "add_permission", QueueUrl=url, Label="many", AWSAccountIds=["111122223333"],
                 Actions=["SendMessage"] * 8)[0] == "OverLimit"
    assert error(sqs, "remove_permission", QueueUrl=url, Label="absent")[0] == "InvalidParameterValue"


def test_delay_above_900_seconds(sqs, make_queue):
    url = make_queue("slow")
    assert error(sqs, "send_message", QueueUrl=url, MessageBody="x", DelaySeconds=901) == (
        "InvalidParameterValue", "Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.")
    result = sqs.send_message_batch(QueueUrl=url, Entries=[
        {"Id": "ok", "MessageBody": "x", "DelaySeconds": 900}, {"Id": "late", "MessageBody": "y", "DelaySeconds": 901}])
    assert [e["Id"] for e in result["Successful"]] == ["ok"]
    assert [(e["Id"], e["Code"]) for e in result["Failed"]] == [("late", "InvalidParameterValue")]


def test_message_attribute_names_and_types(sqs, make_queue):
    url = make_queue("typed")
    cases = [
        ({"AWS.thing": {"DataType": "String", "StringValue": "x"}}, "Message (user) attribute name 'AWS.thing' is invalid."),
        ({"a..b": {"DataType": "String", "StringValue": "x"}}, "Message (user) attribute name 'a..b' is invalid."),
        ({"n": {"DataType": "Integer", "StringValue": "1"}}, "The type of message (user) attribute 'n' is invalid."),
        ({"n": {"DataType": "Number", "StringValue": "one"}}, "Can't cast the value of message (user) attribute 'n' to a number."),
    ]
    for attributes, start in cases:
        code, message = error(sqs, "send_message", QueueUrl=url, MessageBody="x", MessageAttributes=attributes)
        assert code == "InvalidParameterValue" and message.startswith(start), message


def test_message_attribute_name_wildcards(sqs, make_queue):
    url = make_queue("wild")
    attributes = {name: {"DataType": "String", "StringValue": name} for name in ("color.red", "color.blue", "size")}

    def names(patterns):
        sqs.send_message(QueueUrl=url, MessageBody="x", MessageAttributes=attributes)
        message = sqs.receive_message(QueueUrl=url, MessageAttributeNames=patterns)["Messages"][0]
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return sorted(message.get("MessageAttributes", {}))

    assert names(["All"]) == ["color.blue", "color.red", "size"]
    assert names([".*"]) == ["color.blue", "color.red", "size"]
    assert names(["color.*"]) == ["color.blue", "color.red"]
    assert names(["size", "color.red"]) == ["color.red", "size"]
    assert names(["nothing"]) == []


def test_fifo_batch_keeps_order_and_deduplicates(sqs, make_queue):
    url = make_queue("batch.fifo", FifoQueue=True, ContentBasedDeduplication=True)
    entries = [{"Id": f"m{i}", "MessageBody": f"body-{i}", "MessageGroupId": "g"} for i in range(5)]
    entries.append({"Id": "again", "MessageBody": "body-1", "MessageGroupId": "g"})  # same content: deduplicated
    result = sqs.send_message_batch(QueueUrl=url, Entries=entries)
    ids = {e["Id"]: e for e in result["Successful"]}
    assert ids["again"]["MessageId"] == ids["m1"]["MessageId"]
    numbers = [int(ids[f"m{i}"]["SequenceNumber"]) for i in range(5)]
    assert numbers == sorted(numbers) and len(set(numbers)) == 5
    bodies = [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]]
    assert bodies == [f"body-{i}" for i in range(5)]
    dedup = hashlib.sha256(b"body-1").hexdigest()
    repeat = sqs.send_message(QueueUrl=url, MessageBody="other", MessageGroupId="g", MessageDeduplicationId=dedup)
    assert repeat["MessageId"] == ids["m1"]["MessageId"]  # content-based id and explicit id share one window


def test_a_deleted_queue_name_is_taken_for_60_seconds(sqs, make_queue, frozen):
    url = make_queue("gone")
    sqs.delete_queue(QueueUrl=url)
    # Both protocols show the legacy query code (json clients read it from x-amzn-query-error).
    assert error(sqs, "create_queue", QueueName="gone") == (
        "AWS.SimpleQueueService.QueueDeletedRecently",
        "You must wait 60 seconds after deleting a queue before you can create another with the same name.")
    frozen.advance(59)
    assert error(sqs, "create_queue", QueueName="gone")[0] == "AWS.SimpleQueueService.QueueDeletedRecently"
    frozen.advance(1)
    assert sqs.create_queue(QueueName="gone")["QueueUrl"] == url


def test_kms_keys_are_checked_when_sending(sqs, make_queue, client):
    kms = client("kms")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    url = make_queue("sealed", KmsMasterKeyId=key)
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert (attrs["KmsMasterKeyId"], attrs["KmsDataKeyReusePeriodSeconds"], attrs["SqsManagedSseEnabled"]) == (key, "300", "false")
    sqs.send_message(QueueUrl=url, MessageBody="secret")
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "secret"
    kms.disable_key(KeyId=key)
    assert error(sqs, "send_message", QueueUrl=url, MessageBody="x")[0] == "KMS.DisabledException"
    kms.enable_key(KeyId=key)
    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    assert error(sqs, "send_message", QueueUrl=url, MessageBody="x")[0] == "KMS.InvalidStateException"
    missing = make_queue("lost", KmsMasterKeyId="alias/does-not-exist")  # AWS accepts it until it needs the key
    assert error(sqs, "send_message", QueueUrl=missing, MessageBody="x")[0] == "KMS.NotFoundException"
    assert error(sqs, "receive_message", QueueUrl=missing)[0] == "KMS.NotFoundException"
    managed = make_queue("managed", KmsMasterKeyId="alias/aws/sqs")
    assert "MessageId" in sqs.send_message(QueueUrl=managed, MessageBody="x")


def test_switching_to_kms_turns_sqs_managed_encryption_off(sqs, make_queue):
    url = make_queue("switch")
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["SqsManagedSseEnabled"])["Attributes"] == {
        "SqsManagedSseEnabled": "true"}
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"KmsMasterKeyId": "alias/aws/sqs"})
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert (attrs["SqsManagedSseEnabled"], attrs["KmsDataKeyReusePeriodSeconds"]) == ("false", "300")
    # AWS refuses both kinds at once (its wording is not documented: code only).
    assert error(sqs, "set_queue_attributes", QueueUrl=url, Attributes={"SqsManagedSseEnabled": "true"})[0] == (
        "InvalidAttributeValue")
    assert error(sqs, "create_queue", QueueName="both", Attributes={
        "KmsMasterKeyId": "alias/aws/sqs", "SqsManagedSseEnabled": "true"})[0] == "InvalidAttributeValue"
