"""The test-facing state: `cloudmock.store("dynamodb")` seeds and reads items as plain Python values."""

from __future__ import annotations

from decimal import Decimal


def test_store_seeds_and_reads_through_the_plugin_fixture(cloudmock):
    ddb = cloudmock.client("dynamodb")
    ddb.create_table(TableName="users", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    state = cloudmock.store("dynamodb")
    state.put("users", {"id": "u1", "age": 30, "tags": {"a", "b"}, "blob": b"\x00", "meta": {"x": [1, "y"]}})
    item = ddb.get_item(TableName="users", Key={"id": {"S": "u1"}})["Item"]
    assert item["age"] == {"N": "30"} and sorted(item["tags"]["SS"]) == ["a", "b"]
    ddb.put_item(TableName="users", Item={"id": {"S": "u2"}, "score": {"N": "1.50"}})
    assert state.get("users", {"id": "u2"}) == {"id": "u2", "score": Decimal("1.5")}
    assert {i["id"] for i in state.items("users")} == {"u1", "u2"}
    state.delete("users", {"id": "u1"})
    assert ddb.scan(TableName="users")["Count"] == 1
