"""Query and Scan: sort order by type, ranges, paging, limits before filters, indexes, segments, Select."""

from __future__ import annotations

from decimal import Decimal

from boto3.dynamodb.conditions import Attr, Key

from tests.services.aws_errors import error_of


def fill(ddb, name, items):
    for item in items:
        ddb.put_item(TableName=name, Item=item)


def sort_keys(answer, name="sk"):
    return [next(iter(i[name].values())) for i in answer["Items"]]


def test_numbers_sort_numerically_and_strings_by_utf8_bytes(ddb, make_table):
    make_table("nums", range=("sk", "N"))
    fill(ddb, "nums", [{"pk": {"S": "p"}, "sk": {"N": n}} for n in ("10", "-2", "2", "1.5", "-10")])
    answer = ddb.query(TableName="nums", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}})
    assert sort_keys(answer) == ["-10", "-2", "1.5", "2", "10"]
    backwards = ddb.query(TableName="nums", KeyConditionExpression="pk = :p", ScanIndexForward=False,
                          ExpressionAttributeValues={":p": {"S": "p"}})
    assert sort_keys(backwards) == ["10", "2", "1.5", "-2", "-10"]
    make_table("strs")
    fill(ddb, "strs", [{"pk": {"S": "p"}, "sk": {"S": s}} for s in ("b", "\u00e9", "B", "a", "\U0001f600", "\uffff")])
    answer = ddb.query(TableName="strs", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}})
    assert sort_keys(answer) == sorted(["b", "\u00e9", "B", "a", "\U0001f600", "\uffff"], key=lambda s: s.encode())


def test_range_conditions(ddb, make_table):
    make_table("rng", range=("sk", "N"))
    fill(ddb, "rng", [{"pk": {"S": "p"}, "sk": {"N": str(i)}} for i in range(10)])
    fill(ddb, "rng", [{"pk": {"S": "other"}, "sk": {"N": str(i)}} for i in range(3)])

    def q(condition, **values):
        return sort_keys(ddb.query(TableName="rng", KeyConditionExpression=f"pk = :p AND {condition}",
                                   ExpressionAttributeValues={":p": {"S": "p"},
                                                              **{f":{k}": {"N": str(v)} for k, v in values.items()}}))

    assert q("sk BETWEEN :a AND :b", a=3, b=5) == ["3", "4", "5"]
    assert q("sk > :a", a=7) == ["8", "9"]
    assert q("sk <= :a", a=1) == ["0", "1"]
    assert q(":a < sk", a=8) == ["9"]
    assert q("sk = :a", a=4) == ["4"]


def test_begins_with_and_paging(resource, make_table):
    make_table("pages")
    table = resource.Table("pages")
    with table.batch_writer() as writer:
        for i in range(25):
            writer.put_item(Item={"pk": "p", "sk": f"item#{i:02d}", "odd": i % 2})
    seen, start = [], None
    while True:
        kwargs = {"ExclusiveStartKey": start} if start else {}
        page = table.query(KeyConditionExpression=Key("pk").eq("p") & Key("sk").begins_with("item#"), Limit=10,
                           FilterExpression=Attr("odd").eq(1), **kwargs)
        assert page["ScannedCount"] <= 10  # Limit counts items read, before the filter
        seen += [i["sk"] for i in page["Items"]]
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    assert seen == [f"item#{i:02d}" for i in range(1, 25, 2)]


def test_one_megabyte_pages(ddb, make_table):
    make_table("big")
    blob = "x" * 300_000
    fill(ddb, "big", [{"pk": {"S": "p"}, "sk": {"S": str(i)}, "b": {"S": blob}} for i in range(5)])
    page = ddb.query(TableName="big", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}})
    assert page["Count"] == 4 and page["LastEvaluatedKey"] == {"pk": {"S": "p"}, "sk": {"S": "3"}}


def test_indexes_sparse_projection_and_keys_in_paging(ddb, make_table):
    make_table("gsi", attributes={"g": "S", "gs": "N"}, GlobalSecondaryIndexes=[{
        "IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                                          {"AttributeName": "gs", "KeyType": "RANGE"}],
        "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["keep"]}}])
    for i in range(4):
        ddb.put_item(TableName="gsi", Item={"pk": {"S": f"p{i}"}, "sk": {"S": "s"}, "g": {"S": "G"},
                                            "gs": {"N": str(1)}, "keep": {"S": "k"}, "drop": {"S": "d"}})
    ddb.put_item(TableName="gsi", Item={"pk": {"S": "sparse"}, "sk": {"S": "s"}})
    page = ddb.query(TableName="gsi", IndexName="byG", KeyConditionExpression="g = :g", Limit=3,
                     ExpressionAttributeValues={":g": {"S": "G"}})
    assert page["Count"] == 3 and all("drop" not in i and i["keep"] == {"S": "k"} for i in page["Items"])
    assert set(page["LastEvaluatedKey"]) == {"pk", "sk", "g", "gs"}
    rest = ddb.query(TableName="gsi", IndexName="byG", KeyConditionExpression="g = :g",
                     ExpressionAttributeValues={":g": {"S": "G"}}, ExclusiveStartKey=page["LastEvaluatedKey"])
    assert rest["Count"] == 1
    assert ddb.scan(TableName="gsi", IndexName="byG")["Count"] == 4  # the sparse item is not in the index
    assert error_of(ddb.query, TableName="gsi", IndexName="byG", ConsistentRead=True, KeyConditionExpression="g = :g",
                    ExpressionAttributeValues={":g": {"S": "G"}}) == (
        "ValidationException", "Consistent reads are not supported on global secondary indexes")
    assert error_of(ddb.query, TableName="gsi", IndexName="nope", KeyConditionExpression="g = :g",
                    ExpressionAttributeValues={":g": {"S": "G"}})[1] == "The table does not have the specified index: nope"


def test_key_condition_errors(ddb, make_table):
    make_table("kc")
    values = {":p": {"S": "p"}, ":s": {"S": "s"}}
    assert error_of(ddb.query, TableName="kc", KeyConditionExpression="pk = :p OR sk = :s",
                    ExpressionAttributeValues=values)[1] == "Invalid operator used in KeyConditionExpression: OR"
    assert error_of(ddb.query, TableName="kc", KeyConditionExpression="sk = :s",
                    ExpressionAttributeValues={":s": {"S": "s"}})[1] == "Query condition missed key schema element: pk"
    assert error_of(ddb.query, TableName="kc", KeyConditionExpression="pk = :p",
                    ExpressionAttributeValues={":p": {"N": "1"}})[1] == (
        "One or more parameter values were invalid: Condition parameter type does not match schema type")
    assert "cannot contain an empty string value. Key: pk" in error_of(
        ddb.query, TableName="kc", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": ""}})[1]


def test_select_count_and_specific_attributes(ddb, make_table):
    make_table("sel")
    fill(ddb, "sel", [{"pk": {"S": "p"}, "sk": {"S": str(i)}, "a": {"N": str(i)}, "b": {"S": "x"}} for i in range(3)])
    count = ddb.query(TableName="sel", KeyConditionExpression="pk = :p", Select="COUNT",
                      ExpressionAttributeValues={":p": {"S": "p"}})
    assert count["Count"] == 3 and "Items" not in count
    some = ddb.scan(TableName="sel", ProjectionExpression="a")
    assert all(set(i) == {"a"} for i in some["Items"])


def test_parallel_scan_segments_cover_the_table_once(ddb, make_table):
    make_table("par", range=None)
    fill(ddb, "par", [{"pk": {"S": f"k{i}"}} for i in range(60)])
    seen = []
    for segment in range(4):
        pages = ddb.get_paginator("scan").paginate(TableName="par", Segment=segment, TotalSegments=4,
                                                   PaginationConfig={"PageSize": 7})
        seen += [i["pk"]["S"] for page in pages for i in page["Items"]]
    assert sorted(seen) == sorted(f"k{i}" for i in range(60))
    assert error_of(ddb.scan, TableName="par", Segment=4, TotalSegments=4)[1] == (
        "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not less "
        "than TotalSegments: 4")


def test_scan_filter_and_resource_scan(resource, make_table):
    make_table("scn", range=None)
    table = resource.Table("scn")
    for i in range(10):
        table.put_item(Item={"pk": f"k{i}", "n": i})
    answer = table.scan(FilterExpression=Attr("n").gte(5) & ~Attr("n").eq(7))
    assert sorted(i["n"] for i in answer["Items"]) == [Decimal(v) for v in (5, 6, 8, 9)]
    assert answer["ScannedCount"] == 10


def test_legacy_key_conditions_and_filters(ddb, make_table):
    make_table("leg", range=("sk", "N"))
    fill(ddb, "leg", [{"pk": {"S": "p"}, "sk": {"N": str(i)}, "tag": {"S": "odd" if i % 2 else "even"}}
                      for i in range(6)])
    answer = ddb.query(TableName="leg", KeyConditions={
        "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p"}]},
        "sk": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}, {"N": "4"}]}},
        QueryFilter={"tag": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "odd"}]}},
        AttributesToGet=["sk"])
    assert answer["Items"] == [{"sk": {"N": "1"}}, {"sk": {"N": "3"}}] and answer["ScannedCount"] == 4
    scanned = ddb.scan(TableName="leg", ConditionalOperator="OR", ScanFilter={
        "sk": {"ComparisonOperator": "LT", "AttributeValueList": [{"N": "1"}]},
        "tag": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "od"}]}})
    assert sorted(int(i["sk"]["N"]) for i in scanned["Items"]) == [0, 1, 3, 5]
