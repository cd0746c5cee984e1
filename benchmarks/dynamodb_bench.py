"""DynamoDB: pytest-cloudmock vs moto, in the same run, with the same boto3 calls.

Scenarios: PutItem, GetItem, Query of 10 items from a table of N items (N = 1,000
and 100,000, to show a query's cost does not grow with the table), a Scan page of
100 items, and TransactWriteItems of two puts. Backends: cloudmock in-process and
over HTTP, moto's `mock_aws` and moto's server. Median microseconds per call.

    python benchmarks/dynamodb_bench.py [--calls 200] [--items 100000] [--only SUBSTRING]
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.vs_moto import Client, cloudmock, measure, moto_decorator, moto_server  # noqa: E402

TABLE = "bench"


def make_table(ddb: Any, items: int) -> None:
    ddb.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "N"}])
    puts = [{"PutRequest": {"Item": {"pk": {"S": f"p{i // 100}"}, "sk": {"N": str(i % 100)},
                                     "v": {"S": "value"}}}} for i in range(items)]
    for start in range(0, len(puts), 25):
        ddb.batch_write_item(RequestItems={TABLE: puts[start:start + 25]})


def put_item(client: Client) -> Callable[[], None]:
    ddb = client("dynamodb")
    make_table(ddb, 0)
    return lambda: ddb.put_item(TableName=TABLE, Item={"pk": {"S": "a"}, "sk": {"N": "1"}, "v": {"S": "x" * 100}})


def get_item(client: Client) -> Callable[[], None]:
    ddb = client("dynamodb")
    make_table(ddb, 100)
    key = {"pk": {"S": "p0"}, "sk": {"N": "5"}}
    return lambda: ddb.get_item(TableName=TABLE, Key=key)


def query_10(items: int) -> Callable[[Client], Callable[[], None]]:
    def scenario(client: Client) -> Callable[[], None]:
        ddb = client("dynamodb")
        make_table(ddb, items)
        values = {":p": {"S": f"p{items // 200}"}, ":lo": {"N": "40"}, ":hi": {"N": "49"}}

        def call() -> None:
            answer = ddb.query(TableName=TABLE, KeyConditionExpression="pk = :p AND sk BETWEEN :lo AND :hi",
                               ExpressionAttributeValues=values)
            assert answer["Count"] == 10

        return call

    return scenario


def scan_page(client: Client) -> Callable[[], None]:
    ddb = client("dynamodb")
    make_table(ddb, 1000)
    return lambda: ddb.scan(TableName=TABLE, Limit=100)


def transact_write(client: Client) -> Callable[[], None]:
    ddb = client("dynamodb")
    make_table(ddb, 0)
    items = [{"Put": {"TableName": TABLE, "Item": {"pk": {"S": "t"}, "sk": {"N": str(i)}}}} for i in range(2)]
    return lambda: ddb.transact_write_items(TransactItems=items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--only", default="")
    parser.add_argument("--no-server", action="store_true", help="skip the two HTTP backends")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every request
    scenarios = {
        "PutItem": put_item,
        "GetItem": get_item,
        "Query 10 of 1,000": query_10(1000),
        f"Query 10 of {args.items:,}": query_10(args.items),
        "Scan page (100)": scan_page,
        "TransactWriteItems (2 puts)": transact_write,
    }
    backends = {"cm in-proc": lambda: cloudmock("inprocess"), "moto mock_aws": moto_decorator}
    if not args.no_server:
        backends.update({"cm http": lambda: cloudmock("http"), "moto server": moto_server})
    names = list(backends)
    print(f"{'median us/call':32}" + "".join(f"{n:>15}" for n in names) + f"{'moto/cm':>10}")
    for title, scenario in scenarios.items():
        if args.only and args.only not in title:
            continue
        medians = {name: measure(make, scenario, args.calls, 1) for name, make in backends.items()}
        ratio = medians["moto mock_aws"] / medians["cm in-proc"]
        print(f"{title:32}" + "".join(f"{medians[n]:15.0f}" for n in names) + f"{ratio:9.1f}x", flush=True)


if __name__ == "__main__":
    main()
