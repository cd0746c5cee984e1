"""Batches and transactions: limits, duplicates, all-or-nothing, reasons in order, tokens; concurrency."""

from __future__ import annotations

import threading

import pytest
from botocore.exceptions import ClientError

from tests.services.aws_errors import error_of


def key(i, table="tx"):
    return {"pk": {"S": f"k{i}"}}


@pytest.fixture
def tables(make_table):
    make_table("tx", range=None)
    make_table("tx2", range=None)


def test_batch_write_and_get(ddb, tables):
    ddb.batch_write_item(RequestItems={
        "tx": [{"PutRequest": {"Item": {**key(i), "v": {"N": str(i)}}}} for i in range(20)],
        "tx2": [{"PutRequest": {"Item": key(0)}}]})
    ddb.batch_write_item(RequestItems={"tx": [{"DeleteRequest": {"Key": key(0)}}]})
    answer = ddb.batch_get_item(RequestItems={"tx": {"Keys": [key(0), key(1), key(2)], "ProjectionExpression": "v"},
                                              "tx2": {"Keys": [key(0)]}})
    assert sorted(i["v"]["N"] for i in answer["Responses"]["tx"]) == ["1", "2"]
    assert answer["Responses"]["tx2"] == [key(0)] and answer["UnprocessedKeys"] == {}
    assert error_of(ddb.batch_get_item, RequestItems={"tx": {"Keys": [key(1), key(1)]}}) == (
        "ValidationException", "Provided list of item keys contains duplicates")
    assert error_of(ddb.batch_write_item, RequestItems={"tx": [{"PutRequest": {"Item": key(1)}},
                                                               {"DeleteRequest": {"Key": key(1)}}]})[1] == (
        "Provided list of item keys contains duplicates")
    too_many = {"tx": {"Keys": [key(i) for i in range(60)]}, "tx2": {"Keys": [key(i) for i in range(41)]}}
    assert error_of(ddb.batch_get_item, RequestItems=too_many)[1] == (
        "Too many items requested for the BatchGetItem call")


def test_transaction_applies_across_tables_or_not_at_all(ddb, tables):
    ddb.put_item(TableName="tx", Item={**key(1), "n": {"N": "1"}})
    ddb.put_item(TableName="tx", Item=key(5))
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": "tx2", "Item": key(1)}},
        {"Update": {"TableName": "tx", "Key": key(1), "UpdateExpression": "SET n = n + :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}}}},
        {"ConditionCheck": {"TableName": "tx", "Key": key(5), "ConditionExpression": "attribute_exists(pk)"}}])
    assert ddb.get_item(TableName="tx", Key=key(1))["Item"]["n"] == {"N": "2"}
    with pytest.raises(ClientError) as info:
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": "tx2", "Item": key(2)}},
            {"Delete": {"TableName": "tx", "Key": key(1), "ConditionExpression": "n = :nine",
                        "ExpressionAttributeValues": {":nine": {"N": "9"}},
                        "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}])
    error = info.value.response
    assert error["Error"]["Code"] == "TransactionCanceledException"
    assert error["Error"]["Message"] == ("Transaction cancelled, please refer cancellation reasons for specific "
                                         "reasons [None, ConditionalCheckFailed]")
    assert [r["Code"] for r in error["CancellationReasons"]] == ["None", "ConditionalCheckFailed"]
    assert error["CancellationReasons"][1]["Item"]["n"] == {"N": "2"}
    assert "Item" not in ddb.get_item(TableName="tx2", Key=key(2))  # nothing applied
    assert error_of(ddb.transact_write_items, TransactItems=[
        {"Put": {"TableName": "tx", "Item": key(3)}}, {"Delete": {"TableName": "tx", "Key": key(3)}}])[1] == (
        "Transaction request cannot include multiple operations on one item")


def test_client_request_token_is_idempotent_for_ten_minutes(ddb, tables, aws):
    items = [{"Update": {"TableName": "tx", "Key": key(1), "UpdateExpression": "ADD n :one",
                         "ExpressionAttributeValues": {":one": {"N": "1"}}}}]
    aws.clock.freeze()
    try:
        ddb.transact_write_items(TransactItems=items, ClientRequestToken="tok")
        ddb.transact_write_items(TransactItems=items, ClientRequestToken="tok")
        assert ddb.get_item(TableName="tx", Key=key(1))["Item"]["n"] == {"N": "1"}
        code, _ = error_of(ddb.transact_write_items, TransactItems=items[:0] + [
            {"Put": {"TableName": "tx", "Item": key(9)}}], ClientRequestToken="tok")
        assert code == "IdempotentParameterMismatchException"
        aws.clock.advance(601)
        ddb.transact_write_items(TransactItems=items, ClientRequestToken="tok")
        assert ddb.get_item(TableName="tx", Key=key(1))["Item"]["n"] == {"N": "2"}
    finally:
        aws.clock.unfreeze()


def test_transact_get_items(ddb, tables):
    ddb.put_item(TableName="tx", Item={**key(1), "a": {"S": "x"}, "b": {"S": "y"}})
    answer = ddb.transact_get_items(TransactItems=[
        {"Get": {"TableName": "tx", "Key": key(1), "ProjectionExpression": "a"}},
        {"Get": {"TableName": "tx2", "Key": key(1)}}])
    assert answer["Responses"] == [{"Item": {"a": {"S": "x"}}}, {}]


# 5,000 increments per thread in the issue; 1,000 here keeps CI in seconds (same code path).
THREADS, INCREMENTS = 8, 1000


def test_concurrent_conditional_increments_give_the_exact_total(ddb_clients, aws, tables):
    client = ddb_clients["client"]
    client.put_item(TableName="tx", Item={**key(0), "n": {"N": "0"}})
    errors = []

    def work():
        try:
            for _ in range(INCREMENTS):
                client.update_item(TableName="tx", Key=key(0), UpdateExpression="SET n = n + :one",
                                   ConditionExpression="attribute_exists(pk)",
                                   ExpressionAttributeValues={":one": {"N": "1"}})
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert client.get_item(TableName="tx", Key=key(0))["Item"]["n"] == {"N": str(THREADS * INCREMENTS)}


def test_concurrent_transactions_never_half_apply(ddb_clients, aws, tables):
    client = ddb_clients["client"]
    for i in (1, 2):
        client.put_item(TableName="tx", Item={**key(i), "n": {"N": "100"}})
    problems = []

    def transfer(source, target):
        for _ in range(40):
            try:
                client.transact_write_items(TransactItems=[
                    {"Update": {"TableName": "tx", "Key": key(source), "UpdateExpression": "SET n = n - :one",
                                "ConditionExpression": "n >= :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}},
                    {"Update": {"TableName": "tx", "Key": key(target), "UpdateExpression": "SET n = n + :one",
                                "ExpressionAttributeValues": {":one": {"N": "1"}}}}])
            except ClientError as exc:  # a drained source cancels the whole transaction
                if exc.response["Error"]["Code"] != "TransactionCanceledException":
                    problems.append(exc)

    def audit():
        for _ in range(60):
            got = client.transact_get_items(TransactItems=[{"Get": {"TableName": "tx", "Key": key(i)}} for i in (1, 2)])
            total = sum(int(r["Item"]["n"]["N"]) for r in got["Responses"])
            if total != 200:
                problems.append(total)

    threads = [threading.Thread(target=transfer, args=(1, 2)), threading.Thread(target=transfer, args=(2, 1)),
               threading.Thread(target=transfer, args=(1, 2)), threading.Thread(target=audit)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
