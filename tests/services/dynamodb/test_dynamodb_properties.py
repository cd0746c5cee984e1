"""Properties: generated expressions never give a 5xx; random operation sequences match a reference model."""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cloudmock.api import AWSError, RequestContext
from pytest_cloudmock.services.dynamodb import DynamoDbService

NAMES = {"#a": "a", "#b": "b", "#s": "status"}
VALUES = {":n": {"N": "1"}, ":s": {"S": "x"}, ":l": {"L": [{"N": "2"}]}, ":ss": {"SS": ["q"]}, ":m": {"M": {}}}
TOKENS = ["a", "b", "c", "pk", "sk", "status", "#a", "#b", "#s", "#zz", ":n", ":s", ":l", ":ss", ":m", ":zz",
          "=", "<>", "<", "<=", ">", ">=", "(", ")", "[", "]", "0", "3", ",", ".", "+", "-", "AND", "OR", "NOT",
          "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE", "size", "attribute_exists", "attribute_not_exists",
          "attribute_type", "begins_with", "contains", "if_not_exists", "list_append", "foo", "@", "  "]


def call(service: DynamoDbService, operation: str, **params: Any) -> dict[str, Any] | AWSError:
    ctx = RequestContext(service="dynamodb", operation=operation, params=params, region="us-east-1",
                         account_id="123456789012", access_key_id="AKIAEXAMPLE", request_id="r", protocol="json")
    try:
        return service.handle_request(ctx)
    except AWSError as error:
        return error


def fresh() -> DynamoDbService:
    service = DynamoDbService()
    call(service, "CreateTable", TableName="props", BillingMode="PAY_PER_REQUEST",
         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                               {"AttributeName": "sk", "AttributeType": "N"}])
    call(service, "PutItem", TableName="props", Item={"pk": {"S": "p"}, "sk": {"N": "1"}, "a": {"N": "3"},
                                                      "b": {"L": [{"S": "x"}]}, "c": {"SS": ["q", "r"]}})
    return service


SERVICE = fresh()
expressions = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=12).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expression=expressions, kind=st.sampled_from(["UpdateExpression", "ConditionExpression", "FilterExpression",
                                                     "KeyConditionExpression", "ProjectionExpression"]),
       with_names=st.booleans(), with_values=st.booleans())
def test_generated_expressions_never_give_a_5xx(expression, kind, with_names, with_values):
    params: dict[str, Any] = {"TableName": "props", kind: expression}
    if with_names:
        params["ExpressionAttributeNames"] = NAMES
    if with_values:
        params["ExpressionAttributeValues"] = VALUES
    key = {"pk": {"S": "p"}, "sk": {"N": "1"}}
    if kind in ("UpdateExpression", "ConditionExpression"):
        answer = call(SERVICE, "UpdateItem", Key=key, **params)
    elif kind == "KeyConditionExpression":
        answer = call(SERVICE, "Query", **params)
    else:
        answer = call(SERVICE, "Scan", **params)
    if isinstance(answer, AWSError):
        assert answer.status == 400 and answer.code in ("ValidationException", "ConditionalCheckFailedException")


# -- a reference model: a dict of items keyed by (pk, sk) ------------------------------------------
keys = st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(min_value=-3, max_value=3))
operations = st.lists(st.one_of(
    st.tuples(st.just("put"), keys, st.integers(-5, 5)),
    st.tuples(st.just("add"), keys, st.integers(-5, 5)),
    st.tuples(st.just("delete"), keys, st.none()),
    st.tuples(st.just("put_if_absent"), keys, st.integers(-5, 5)),
    st.tuples(st.just("get"), keys, st.none()),
    st.tuples(st.just("query"), keys, st.none()),
), max_size=40)


@settings(max_examples=150, deadline=None)
@given(ops=operations)
def test_random_operation_sequences_match_a_reference_model(ops):
    service = fresh()
    call(service, "DeleteItem", TableName="props", Key={"pk": {"S": "p"}, "sk": {"N": "1"}})
    model: dict[tuple[str, int], int] = {}
    for op, (pk, sk), n in ops:
        key = {"pk": {"S": pk}, "sk": {"N": str(sk)}}
        if op == "put":
            call(service, "PutItem", TableName="props", Item={**key, "v": {"N": str(n)}})
            model[(pk, sk)] = n
        elif op == "add":
            answer = call(service, "UpdateItem", TableName="props", Key=key, UpdateExpression="ADD v :n",
                          ExpressionAttributeValues={":n": {"N": str(n)}}, ReturnValues="UPDATED_NEW")
            model[(pk, sk)] = model.get((pk, sk), 0) + n
            assert answer["Attributes"]["v"] == {"N": str(model[(pk, sk)])}
        elif op == "delete":
            answer = call(service, "DeleteItem", TableName="props", Key=key, ReturnValues="ALL_OLD")
            old = model.pop((pk, sk), None)
            assert (answer.get("Attributes", {}).get("v") or {}).get("N") == (None if old is None else str(old))
        elif op == "put_if_absent":
            answer = call(service, "PutItem", TableName="props", Item={**key, "v": {"N": str(n)}},
                          ConditionExpression="attribute_not_exists(pk)")
            if (pk, sk) in model:
                assert isinstance(answer, AWSError) and answer.code == "ConditionalCheckFailedException"
            else:
                model[(pk, sk)] = n
        elif op == "get":
            item = call(service, "GetItem", TableName="props", Key=key).get("Item")
            assert (None if item is None else Decimal(item["v"]["N"])) == model.get((pk, sk))
        else:
            answer = call(service, "Query", TableName="props", KeyConditionExpression="pk = :p AND sk >= :s",
                          ExpressionAttributeValues={":p": {"S": pk}, ":s": {"N": str(sk)}})
            expected = sorted((k[1], v) for k, v in model.items() if k[0] == pk and k[1] >= sk)
            assert [(int(i["sk"]["N"]), int(i["v"]["N"])) for i in answer["Items"]] == expected
    scanned = call(service, "Scan", TableName="props")
    assert sorted((i["pk"]["S"], int(i["sk"]["N"]), int(i["v"]["N"])) for i in scanned["Items"]) == sorted(
        (k[0], k[1], v) for k, v in model.items())


@settings(max_examples=300, deadline=None)
@given(number=st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
    lambda d: d.is_zero() or Decimal("1E-130") <= abs(d) <= Decimal("9E+125")))
def test_numbers_keep_their_value_within_38_digits(number):
    answer = call(SERVICE, "PutItem", TableName="props",
                  Item={"pk": {"S": "num"}, "sk": {"N": "0"}, "v": {"N": str(number)}})
    significant = number.normalize(decimal.Context(prec=200))  # the default context would round to 28
    digits = len(significant.as_tuple().digits) if not number.is_zero() else 1
    if digits > 38:
        assert isinstance(answer, AWSError) and answer.message == (
            "Attempting to store more than 38 significant digits in a Number")
        return
    item = call(SERVICE, "GetItem", TableName="props", Key={"pk": {"S": "num"}, "sk": {"N": "0"}})["Item"]
    assert Decimal(item["v"]["N"]) == number and "E" not in item["v"]["N"]
