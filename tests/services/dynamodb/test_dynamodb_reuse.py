"""Work the service keeps between calls (parsed expressions, canonical numbers, partition
hashes, measured sizes) never changes an answer: the same text with other names or
values, a bad input repeated, sizes after overwrites and deletes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_cloudmock.services.dynamodb.expressions import parser
from tests.services.aws_errors import error_of


def test_one_condition_text_with_other_values_and_names(ddb, make_table):
    make_table("reuse", range=("sk", "N"))
    for pk in ("a", "b"):
        for sk in range(5):
            ddb.put_item(TableName="reuse", Item={"pk": {"S": pk}, "sk": {"N": str(sk)}, "x": {"N": str(sk * 10)},
                                                  "y": {"S": f"{pk}{sk}"}})

    def query(pk: str, low: int, high: int, **extra):
        answer = ddb.query(TableName="reuse", KeyConditionExpression="pk = :p AND sk BETWEEN :lo AND :hi",
                           ExpressionAttributeValues={":p": {"S": pk}, ":lo": {"N": str(low)}, ":hi": {"N": str(high)}},
                           **extra)
        return [(i["pk"]["S"], i["sk"]["N"]) for i in answer["Items"]]

    assert query("a", 1, 2) == [("a", "1"), ("a", "2")]
    assert query("b", 3, 4) == [("b", "3"), ("b", "4")]
    assert query("a", 1, 2) == [("a", "1"), ("a", "2")]

    def projected(name: str):
        answer = ddb.get_item(TableName="reuse", Key={"pk": {"S": "a"}, "sk": {"N": "3"}}, ProjectionExpression="#n",
                              ExpressionAttributeNames={"#n": name})
        return answer["Item"]

    assert projected("x") == {"x": {"N": "30"}}
    assert projected("y") == {"y": {"S": "a3"}}

    def put_if(name: str, value: dict) -> str:
        try:
            ddb.put_item(TableName="reuse", Item={"pk": {"S": "a"}, "sk": {"N": "0"}, "x": {"N": "0"}, "y": {"S": "a0"}},
                         ConditionExpression="#a = :v", ExpressionAttributeNames={"#a": name},
                         ExpressionAttributeValues={":v": value})
            return "written"
        except ddb.exceptions.ConditionalCheckFailedException:
            return "refused"

    assert put_if("x", {"N": "0"}) == "written"
    assert put_if("x", {"N": "1"}) == "refused"
    assert put_if("y", {"S": "a0"}) == "written"
    assert put_if("y", {"N": "0"}) == "refused"


def test_a_cached_parse_still_refuses_unused_values_and_bad_input_every_time(ddb, make_table):
    make_table("bad", range=None)
    key = {"pk": {"S": "k"}}
    ddb.put_item(TableName="bad", Item=key)
    ddb.get_item(TableName="bad", Key=key, ProjectionExpression="#a", ExpressionAttributeNames={"#a": "pk"})
    for _ in range(2):
        assert error_of(ddb.get_item, TableName="bad", Key=key, ProjectionExpression="#a",
                        ExpressionAttributeNames={"#a": "pk", "#b": "other"}) == (
            "ValidationException", "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}")
        assert error_of(ddb.query, TableName="bad", KeyConditionExpression="pk = :p AND",
                        ExpressionAttributeValues={":p": {"S": "k"}})[0] == "ValidationException"
        assert error_of(ddb.put_item, TableName="bad", Item={"pk": {"S": "k"}, "n": {"N": "1e200"}}) == (
            "ValidationException",
            "Number overflow. Attempting to store a number with magnitude larger than supported range")
        assert error_of(ddb.get_item, TableName="bad", Key={"pk": {"S": ""}})[0] == "ValidationException"


def test_numbers_stored_canonical_on_every_call(ddb, make_table):
    make_table("nums", hash=("pk", "N"), range=None)
    for text in ("1.50", "1.5", "001.500", "15E-1"):
        ddb.put_item(TableName="nums", Item={"pk": {"N": text}, "v": {"N": text}})
    items = ddb.scan(TableName="nums")["Items"]
    assert items == [{"pk": {"N": "1.5"}, "v": {"N": "1.5"}}]


def _size(item: dict) -> int:
    """AWS's item size rule for names, strings and numbers (the documented rule, worked out here again)."""
    total = 0
    for name, value in item.items():
        total += len(name.encode())
        if "S" in value:
            total += len(value["S"].encode())
        else:
            digits = value["N"].lstrip("-").replace(".", "").strip("0") or "0"
            total += (len(digits) + 1) // 2 + 1
    return total


def test_table_and_index_sizes_follow_overwrites_and_deletes(ddb, make_table):
    index = [{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
              "Projection": {"ProjectionType": "ALL"}}]
    make_table("sizes", range=None, attributes={"g": "S"}, GlobalSecondaryIndexes=index)
    make_table("fresh", range=None, attributes={"g": "S"}, GlobalSecondaryIndexes=index)
    items = {
        "a": {"pk": {"S": "a"}, "g": {"S": "one"}, "n": {"N": "12345"}},
        "b": {"pk": {"S": "b"}, "v": {"S": "é" * 10}},
    }
    for item in items.values():
        ddb.put_item(TableName="sizes", Item=item)
    items["a"] = {"pk": {"S": "a"}, "g": {"S": "two"}, "n": {"N": "-1.5"}}
    ddb.put_item(TableName="sizes", Item=items["a"])
    ddb.update_item(TableName="sizes", Key={"pk": {"S": "b"}}, UpdateExpression="SET g = :g",
                    ExpressionAttributeValues={":g": {"S": "three"}})
    items["b"]["g"] = {"S": "three"}
    ddb.put_item(TableName="sizes", Item={"pk": {"S": "c"}, "g": {"S": "gone"}})
    ddb.delete_item(TableName="sizes", Key={"pk": {"S": "c"}})
    table = ddb.describe_table(TableName="sizes")["Table"]
    assert (table["TableSizeBytes"], table["ItemCount"]) == (sum(_size(i) for i in items.values()), 2)
    for item in items.values():  # the same items written once: the index counts them the same
        ddb.put_item(TableName="fresh", Item=item)
    fresh = ddb.describe_table(TableName="fresh")["Table"]["GlobalSecondaryIndexes"][0]
    index = table["GlobalSecondaryIndexes"][0]
    assert (index["IndexSizeBytes"], index["ItemCount"]) == (fresh["IndexSizeBytes"], fresh["ItemCount"])


_NAMES = st.sampled_from(["a", "b", "c"])
_VALUE = st.one_of(st.builds(lambda s: {"S": s}, st.text(max_size=3)),
                   st.builds(lambda n: {"N": str(n)}, st.integers(-5, 5)),
                   st.builds(lambda b: {"BOOL": b}, st.booleans()))


@settings(max_examples=60, deadline=None)
@given(names=st.dictionaries(st.sampled_from(["#x", "#y"]), _NAMES, min_size=1),
       values=st.dictionaries(st.sampled_from([":u", ":v"]), _VALUE, min_size=1),
       text=st.sampled_from(["#x = :u", "#x = :u AND #y < :v", "begins_with(#x, :u) OR :v <> #y",
                             "#x BETWEEN :u AND :v", "#y IN (:u, :v)", "size(#x) > :v", "attribute_exists(#x)"]))
def test_a_cached_condition_parse_equals_a_fresh_one(names, values, text):
    _assert_cached_parse_equals_fresh(names, values, lambda exprs: exprs.condition(text),
                                      lambda exprs: parser._condition(exprs, text, "ConditionExpression"))


@settings(max_examples=60, deadline=None)
@given(names=st.dictionaries(st.sampled_from(["#x", "#y"]), _NAMES, min_size=1),
       values=st.dictionaries(st.sampled_from([":u", ":v"]), _VALUE, min_size=1),
       text=st.sampled_from(["SET #x = :u", "SET #x = #y + :v REMOVE #y", "ADD #x :u", "SET #x = if_not_exists(#y, :u)",
                             "SET #x = :u, #y = :v", "SET #x.#y = :v", "REMOVE #x, #y", "DELETE #x :v"]))
def test_a_cached_update_parse_equals_a_fresh_one(names, values, text):
    _assert_cached_parse_equals_fresh(names, values, lambda exprs: exprs.update(text),
                                      lambda exprs: parser._update(exprs, text))


def _assert_cached_parse_equals_fresh(names, values, cached, fresh):
    """The parse through the cache (twice: a miss, then a hit) equals an uncached one: the same
    result and the same names and values marked used, or the same refusal."""
    def outcome(parse):
        exprs = parser.Expressions(names, values, any_expression=True)
        try:
            result = parse(exprs)
        except Exception as error:  # noqa: BLE001 - the same refusal either way
            return ("error", type(error).__name__, str(error))
        return result, exprs.used_names, exprs.used_values

    expected = outcome(fresh)
    assert outcome(cached) == expected
    assert outcome(cached) == expected


def test_capacity_is_counted_when_asked_and_left_out_otherwise(ddb, make_table):
    # AWS: a write unit per 1 KB of the larger of the old and new item, a read unit per 4 KB
    # (half for eventually consistent reads), transactions twice that.
    make_table("cap", range=None)
    big = {"pk": {"S": "big"}, "v": {"S": "x" * 2500}}  # 2,506 bytes: 3 write units
    small = {"pk": {"S": "big"}}
    assert "ConsumedCapacity" not in ddb.put_item(TableName="cap", Item=big)
    assert ddb.put_item(TableName="cap", Item=small, ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"] == {
        "TableName": "cap", "CapacityUnits": 3.0, "WriteCapacityUnits": 3.0}
    assert ddb.put_item(TableName="cap", Item=big, ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"][
        "CapacityUnits"] == 3.0
    assert "ConsumedCapacity" not in ddb.get_item(TableName="cap", Key=small)
    assert ddb.get_item(TableName="cap", Key=small, ConsistentRead=True,
                        ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"]["CapacityUnits"] == 1.0
    writes = {"cap": [{"PutRequest": {"Item": {"pk": {"S": f"b{i}"}, "v": {"S": "y" * 1100}}}} for i in range(3)]}
    answer = ddb.batch_write_item(RequestItems=writes)
    assert (answer["UnprocessedItems"], "ConsumedCapacity" in answer) == ({}, False)
    assert ddb.batch_write_item(RequestItems=writes, ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"] == [
        {"TableName": "cap", "CapacityUnits": 6.0, "WriteCapacityUnits": 6.0}]
    transact = [{"Put": {"TableName": "cap", "Item": {"pk": {"S": f"t{i}"}}}} for i in range(2)]
    assert "ConsumedCapacity" not in ddb.transact_write_items(TransactItems=transact)
    assert ddb.transact_write_items(TransactItems=transact, ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"] == [
        {"TableName": "cap", "CapacityUnits": 4.0, "WriteCapacityUnits": 4.0}]


def test_nesting_beyond_32_levels_is_refused_whatever_the_innermost_type(ddb, make_table):
    make_table("deep", range=None)
    for inner in ({"S": "x"}, {"N": "1"}, {"BOOL": True}):
        value = inner
        for _ in range(32):
            value = {"L": [value]}
        ddb.put_item(TableName="deep", Item={"pk": {"S": "ok"}, "v": value})
        assert error_of(ddb.put_item, TableName="deep", Item={"pk": {"S": "no"}, "v": {"L": [value]}}) == (
            "ValidationException", "Nesting Levels have exceeded supported limits")


def test_client_tokens_expire_after_ten_minutes_even_when_the_clock_went_back(ddb, make_table, aws):
    # Tokens are forgotten oldest first; one kept behind a newer token (the clock was set back)
    # still counts as expired once it is ten minutes old.
    make_table("tok", range=None)

    def add(token: str) -> None:
        ddb.transact_write_items(ClientRequestToken=token, TransactItems=[{"Update": {
            "TableName": "tok", "Key": {"pk": {"S": token}}, "UpdateExpression": "ADD n :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}}}}])

    def count(token: str) -> str:
        return ddb.get_item(TableName="tok", Key={"pk": {"S": token}})["Item"]["n"]["N"]

    aws.clock.freeze(1_000_000)
    try:
        add("late")
        aws.clock.set(1_000_000 - 300)
        add("early")
        for token in ("late", "early"):
            add(token)  # replays: nothing applied twice
        assert (count("late"), count("early")) == ("1", "1")
        aws.clock.set(1_000_000 + 301)  # "early" is 601 s old, "late" 301 s
        add("early")
        add("late")
        assert (count("late"), count("early")) == ("1", "2")
        for i in range(200):  # botocore gives every call a token of its own
            ddb.transact_write_items(TransactItems=[{"Put": {"TableName": "tok", "Item": {"pk": {"S": f"x{i}"}}}}])
        aws.clock.advance(600)
        add("late")
        assert count("late") == "2"
    finally:
        aws.clock.reset()  # back to real time: later tests' TTLs count from today


def test_batch_and_transaction_reads_count_capacity_only_when_asked(ddb, make_table):
    make_table("rcap", range=None)
    ddb.put_item(TableName="rcap", Item={"pk": {"S": "big"}, "v": {"S": "x" * 5000}})  # 5,009 bytes: 2 read units
    keys = [{"pk": {"S": "big"}}, {"pk": {"S": "missing"}}]
    assert "ConsumedCapacity" not in ddb.batch_get_item(RequestItems={"rcap": {"Keys": keys}})
    answer = ddb.batch_get_item(RequestItems={"rcap": {"Keys": keys, "ConsistentRead": True}},
                                ReturnConsumedCapacity="TOTAL")
    assert answer["ConsumedCapacity"] == [{"TableName": "rcap", "CapacityUnits": 3.0, "ReadCapacityUnits": 3.0}]
    gets = [{"Get": {"TableName": "rcap", "Key": k}} for k in keys]
    assert "ConsumedCapacity" not in ddb.transact_get_items(TransactItems=gets)
    assert ddb.transact_get_items(TransactItems=gets, ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"] == [
        {"TableName": "rcap", "CapacityUnits": 6.0, "ReadCapacityUnits": 6.0}]


def test_one_update_text_applied_to_many_items_keeps_them_apart(ddb, make_table):
    make_table("upd", range=None)

    def update(pk: str, expression: str, value: dict) -> dict:
        return ddb.update_item(TableName="upd", Key={"pk": {"S": pk}}, UpdateExpression=expression,
                               ExpressionAttributeValues={":v": value}, ReturnValues="ALL_NEW")["Attributes"]

    for pk in ("a", "b"):
        assert update(pk, "SET n = :v", {"N": "1"}) == {"pk": {"S": pk}, "n": {"N": "1"}}
    assert update("a", "ADD n :v", {"N": "5"})["n"] == {"N": "6"}
    assert update("a", "ADD n :v", {"N": "5"})["n"] == {"N": "11"}
    assert update("c", "SET n = :v", {"N": "1"})["n"] == {"N": "1"}
    items = {i["pk"]["S"]: i["n"]["N"] for i in ddb.scan(TableName="upd")["Items"]}
    assert items == {"a": "11", "b": "1", "c": "1"}


def test_pages_and_read_units_follow_item_sizes_through_overwrites_and_new_indexes(ddb, make_table):
    # A page stops once it has read 1 MB; a read unit is 4 KB (half for eventually consistent reads).
    make_table("pages", attributes={"g": "S"}, GlobalSecondaryIndexes=[{
        "IndexName": "keys", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "KEYS_ONLY"}}])
    blob = "x" * 300_000
    items = [{"pk": {"S": "p"}, "sk": {"S": str(i)}, "g": {"S": "G"}, "b": {"S": blob}} for i in range(4)]
    for item in items:
        ddb.put_item(TableName="pages", Item=item)
    assert "LastEvaluatedKey" in ddb.scan(TableName="pages")  # 4 x 300 KB: the fourth item ends the page
    for i in (0, 1):
        items[i] = {"pk": {"S": "p"}, "sk": {"S": str(i)}, "g": {"S": "G"}}
        ddb.put_item(TableName="pages", Item=items[i])
    whole = ddb.scan(TableName="pages", ReturnConsumedCapacity="TOTAL")
    assert ("LastEvaluatedKey" in whole, whole["Count"]) == (False, 4)
    read = sum(_size(i) for i in items)
    assert whole["ConsumedCapacity"]["CapacityUnits"] == -(-read // 4096) / 2
    keys_only = ddb.query(TableName="pages", IndexName="keys", KeyConditionExpression="g = :g",
                          ExpressionAttributeValues={":g": {"S": "G"}}, ReturnConsumedCapacity="TOTAL")
    projected = sum(_size({k: i[k] for k in ("pk", "sk", "g")}) for i in items)
    assert keys_only["ConsumedCapacity"]["CapacityUnits"] == -(-projected // 4096) / 2
    ddb.update_table(TableName="pages", AttributeDefinitions=[{"AttributeName": "sk", "AttributeType": "S"}],
                     GlobalSecondaryIndexUpdates=[{"Create": {
                         "IndexName": "all", "KeySchema": [{"AttributeName": "sk", "KeyType": "HASH"}],
                         "Projection": {"ProjectionType": "ALL"}}}])
    filled = ddb.query(TableName="pages", IndexName="all", KeyConditionExpression="sk = :s",
                       ExpressionAttributeValues={":s": {"S": "3"}}, ReturnConsumedCapacity="TOTAL")
    assert filled["ConsumedCapacity"]["CapacityUnits"] == -(-_size(items[3]) // 4096) / 2
