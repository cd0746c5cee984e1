"""Items and the expression language: conditions, updates, return values, numbers, sets, AWS's errors."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.services.aws_errors import error_fields, error_of, error_response

K = {"pk": {"S": "a"}, "sk": {"S": "1"}}


@pytest.fixture
def table(make_table):
    return make_table("items")


def put(ddb, **attrs):
    ddb.put_item(TableName="items", Item={**K, **attrs})


def test_numbers_are_exact_and_canonical(ddb, table):
    put(ddb, n={"N": "12345678901234567890123456789012345678"}, f={"N": "1.500"}, e={"N": "1E+2"})
    item = ddb.get_item(TableName="items", Key=K)["Item"]
    assert item["n"] == {"N": "12345678901234567890123456789012345678"}
    assert (item["f"], item["e"]) == ({"N": "1.5"}, {"N": "100"})
    _, message = error_of(ddb.put_item, TableName="items", Item={**K, "n": {"N": "1" * 39}})
    assert message == "Attempting to store more than 38 significant digits in a Number"
    _, message = error_of(ddb.put_item, TableName="items", Item={**K, "n": {"N": "abc"}})
    assert message == "The parameter cannot be converted to a numeric value: abc"


def test_key_errors(ddb, table):
    assert error_of(ddb.get_item, TableName="items", Key={"pk": {"S": "a"}}) == (
        "ValidationException", "The provided key element does not match the schema")
    assert error_of(ddb.get_item, TableName="items", Key={"pk": {"N": "1"}, "sk": {"S": "1"}})[1] == (
        "The provided key element does not match the schema")
    assert error_of(ddb.put_item, TableName="items", Item={"pk": {"S": "a"}})[1] == (
        "One or more parameter values were invalid: Missing the key sk in the item")
    assert error_of(ddb.put_item, TableName="items", Item={"pk": {"N": "1"}, "sk": {"S": "1"}})[1] == (
        "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N")
    assert "cannot contain an empty string value. Key: pk" in error_of(
        ddb.put_item, TableName="items", Item={"pk": {"S": ""}, "sk": {"S": "1"}})[1]
    assert error_of(ddb.get_item, TableName="nothere", Key=K) == (
        "ResourceNotFoundException", "Requested resource not found")


def test_empty_values_and_sets(ddb, table):
    put(ddb, s={"S": ""}, b={"B": b""})  # empty non-key strings and binaries are fine
    assert error_of(ddb.put_item, TableName="items", Item={**K, "ss": {"SS": []}})[1] == (
        "One or more parameter values were invalid: An string set  may not be empty")
    assert "contains duplicates" in error_of(ddb.put_item, TableName="items", Item={**K, "ss": {"SS": ["x", "x"]}})[1]


def test_item_size_limit_counts_names_and_values(ddb, table):
    name_and_keys = len("pk") + 1 + len("sk") + 1 + len("big")
    put(ddb, big={"S": "x" * (400 * 1024 - name_and_keys)})
    assert error_of(ddb.put_item, TableName="items", Item={**K, "big": {"S": "x" * (400 * 1024 - name_and_keys + 1)}}) \
        == ("ValidationException", "Item size has exceeded the maximum allowed size")


def test_condition_failure_returns_the_item_when_asked(ddb, table):
    put(ddb, v={"N": "1"})
    error = error_fields(ddb.put_item, TableName="items", Item=K, ConditionExpression="attribute_not_exists(pk)",
                         ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert error["Code"] == "ConditionalCheckFailedException"
    assert error["Message"] == "The conditional request failed"
    response = error_response(ddb.delete_item, TableName="items", Key=K, ConditionExpression="v = :two",
                              ExpressionAttributeValues={":two": {"N": "2"}}, ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert response["Item"]["v"] == {"N": "1"}


def test_update_expression_whole(ddb, table):
    put(ddb, n={"N": "5"}, l={"L": [{"S": "a"}, {"S": "b"}, {"S": "c"}]}, m={"M": {"x": {"N": "1"}}},
        s={"SS": ["a", "b"]}, gone={"S": "x"}, d={"SS": ["a", "b"]}, r={"L": [{"S": "a"}, {"S": "b"}, {"S": "c"}]})
    answer = ddb.update_item(
        TableName="items", Key=K, ReturnValues="ALL_NEW",
        UpdateExpression="SET n = n - :one, m.y = if_not_exists(m.y, :one), l = list_append(l, :more), #st = :s "
                         "REMOVE gone, r[0], r[2] ADD s :s2, c :one DELETE d :s1",
        ExpressionAttributeNames={"#st": "status"},
        ExpressionAttributeValues={":one": {"N": "1"}, ":more": {"L": [{"S": "d"}]}, ":s": {"S": "ok"},
                                   ":s2": {"SS": ["c"]}, ":s1": {"SS": ["a"]}})["Attributes"]
    assert answer["n"] == {"N": "4"} and answer["m"] == {"M": {"x": {"N": "1"}, "y": {"N": "1"}}}
    assert answer["l"] == {"L": [{"S": "a"}, {"S": "b"}, {"S": "c"}, {"S": "d"}]}
    assert answer["r"] == {"L": [{"S": "b"}]}
    assert sorted(answer["s"]["SS"]) == ["a", "b", "c"] and answer["d"] == {"SS": ["b"]} and answer["c"] == {"N": "1"} and "gone" not in answer
    updated = ddb.update_item(TableName="items", Key=K, UpdateExpression="SET m.x = :two",
                              ExpressionAttributeValues={":two": {"N": "2"}}, ReturnValues="UPDATED_NEW")
    assert updated["Attributes"] == {"m": {"M": {"x": {"N": "2"}}}}


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"UpdateExpression": "SET status = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}},
     "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status"),
    ({"UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": {"S": "x"}, ":w": {"S": "y"}}},
     "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"),
    ({"UpdateExpression": "SET a = :v"},
     "Invalid UpdateExpression: An expression attribute value used in expression is not defined; "
     "attribute value: :v"),
    ({"UpdateExpression": "SET #a = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}},
     "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; "
     "attribute name: #a"),
    ({"UpdateExpression": "SET a = :v, a.b = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}},
     "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these "
     "paths; path one: [a], path two: [a, b]"),
    ({"UpdateExpression": "ADD a :v", "ExpressionAttributeValues": {":v": {"S": "x"}}},
     "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: "
     "STRING, typeSet: ALLOWED_FOR_ADD_OPERAND"),
    ({"UpdateExpression": "SET pk = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}},
     "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"),
    ({"UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": {"S": "x"}},
      "ExpressionAttributeNames": {"#unused": "x"}},
     "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}"),
    ({"UpdateExpression": "SET a = "}, 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "= "'),
    ({"UpdateExpression": "SET a = b + :v", "ExpressionAttributeValues": {":v": {"N": "1"}}},
     "The provided expression refers to an attribute that does not exist in the item"),
])
def test_update_validation_errors(ddb, table, kwargs, message):
    assert error_of(ddb.update_item, TableName="items", Key=K, **kwargs) == ("ValidationException", message)


def test_condition_functions(ddb, table):
    put(ddb, s={"S": "hello"}, l={"L": [{"N": "1"}]}, ns={"NS": ["1", "2"]}, n={"N": "5"})
    values = {":h": {"S": "he"}, ":one": {"N": "1"}, ":t": {"S": "NS"}, ":lo": {"N": "1"}, ":hi": {"N": "5"}}
    condition = ("begins_with(s, :h) AND contains(l, :one) AND contains(ns, :one) AND attribute_type(ns, :t) "
                 "AND size(s) >= :hi AND n BETWEEN :lo AND :hi AND n IN (:one, :hi, :lo) OR NOT attribute_exists(s)")
    ddb.put_item(TableName="items", Item=K, ConditionExpression=condition, ExpressionAttributeValues=values)
    assert ddb.get_item(TableName="items", Key=K)["Item"] == K


def test_legacy_parameters(ddb, table):
    ddb.put_item(TableName="items", Item={**K, "v": {"N": "1"}}, Expected={"pk": {"Exists": False}})
    ddb.update_item(TableName="items", Key=K, AttributeUpdates={"v": {"Action": "ADD", "Value": {"N": "2"}}},
                    Expected={"v": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}]}})
    item = ddb.get_item(TableName="items", Key=K, AttributesToGet=["v"])["Item"]
    assert item == {"v": {"N": "3"}}
    code, message = error_of(ddb.put_item, TableName="items", Item=K, Expected={"pk": {"Exists": False}},
                             ConditionExpression="attribute_not_exists(pk)")
    assert message.startswith("Can not use both expression and non-expression parameters in the same request")


def test_return_values_and_capacity(ddb, table):
    put(ddb, v={"N": "1"})
    answer = ddb.put_item(TableName="items", Item={**K, "v": {"N": "2"}}, ReturnValues="ALL_OLD",
                          ReturnConsumedCapacity="TOTAL")
    assert answer["Attributes"]["v"] == {"N": "1"}
    assert answer["ConsumedCapacity"] == {"TableName": "items", "CapacityUnits": 1.0, "WriteCapacityUnits": 1.0}
    read = ddb.get_item(TableName="items", Key=K, ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"]
    assert read["CapacityUnits"] == 0.5
    assert error_of(ddb.put_item, TableName="items", Item=K, ReturnValues="ALL_NEW")[1] == (
        "Return values set to invalid value")


def test_resource_table_and_store_api(resource, table, aws):
    items = resource.Table("items")
    items.put_item(Item={"pk": "a", "sk": "1", "n": Decimal("2.5"), "tags": {"x", "y"}})
    state = aws.registry.get("dynamodb").store.get("123456789012", "us-east-1")
    assert state.get("items", {"pk": "a", "sk": "1"}) == {"pk": "a", "sk": "1", "n": Decimal("2.5"),
                                                          "tags": {"x", "y"}}
    state.put("items", {"pk": "b", "sk": "2", "n": 7})
    assert items.get_item(Key={"pk": "b", "sk": "2"})["Item"]["n"] == Decimal(7)
    assert len(state.items("items")) == 2
