"""ListTables seeks in the name index kept beside the tables (creation order stays the tables'
own): the same pages as sorting every name and keeping those after ExclusiveStartTableName."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_cloudmock.indexes import NameIndexed

NAMES = st.text(alphabet="ab_-.", min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(names=st.lists(NAMES, max_size=20), dropped=st.sets(st.integers(0, 19)), after=st.none() | NAMES,
       limit=st.integers(1, 6))
def test_keys_after_is_the_sorted_names_after_the_start(names: list[str], dropped: set[int], after: str | None,
                                                        limit: int) -> None:
    table: NameIndexed[int] = NameIndexed()
    for i, name in enumerate(names):
        table[name] = i
    for i, name in enumerate(list(table)):
        if i in dropped:
            del table[name]
    expected = [n for n in sorted(table) if after is None or n > after]
    assert list(table.keys_after(after)) == expected


def test_table_pages_walk_every_table_in_name_order(ddb: Any) -> None:
    names = [f"t-{i:02d}" for i in (5, 1, 9, 3, 0, 7, 2, 8, 6, 4)]  # created out of order
    for name in names:
        ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    ddb.delete_table(TableName="t-03")
    seen, start = [], None
    while True:
        out = ddb.list_tables(Limit=3, **({"ExclusiveStartTableName": start} if start else {}))
        seen += out["TableNames"]
        start = out.get("LastEvaluatedTableName")
        if not start:
            break
    assert seen == sorted(set(names) - {"t-03"})
    assert ddb.list_tables(ExclusiveStartTableName="t-055")["TableNames"] == ["t-06", "t-07", "t-08", "t-09"]
    assert "LastEvaluatedTableName" not in ddb.list_tables(Limit=9)  # exactly the last one: no more
