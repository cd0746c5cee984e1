"""PartiQL: SELECT with conditions and projections, INSERT, UPDATE, DELETE, batches and transactions."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.services.aws_errors import error_of


@pytest.fixture
def songs(ddb, make_table):
    make_table("songs", range=("sk", "N"))
    for i in range(5):
        ddb.execute_statement(Statement="INSERT INTO songs VALUE {'pk': ?, 'sk': ?, 'title': ?, 'tags': <<'a', 'b'>>}",
                              Parameters=[{"S": "band"}, {"N": str(i)}, {"S": f"song {i}"}])
    return "songs"


def test_select_where_and_projection(ddb, songs):
    answer = ddb.execute_statement(Statement='SELECT title FROM "songs" WHERE pk = ? AND sk >= 3',
                                   Parameters=[{"S": "band"}])
    assert sorted(i["title"]["S"] for i in answer["Items"]) == ["song 3", "song 4"]
    assert all(set(i) == {"title"} for i in answer["Items"])
    found = ddb.execute_statement(Statement="SELECT * FROM songs WHERE begins_with(title, 'song') AND sk IN [1, 2]")
    assert len(found["Items"]) == 2
    missing = ddb.execute_statement(Statement="SELECT * FROM songs WHERE nothing IS MISSING AND sk = 0")
    assert len(missing["Items"]) == 1


def test_insert_update_delete(ddb, songs):
    code, _ = error_of(ddb.execute_statement,
                       Statement="INSERT INTO songs VALUE {'pk': 'band', 'sk': 1, 'title': 'again'}")
    assert code == "DuplicateItemException"
    ddb.execute_statement(Statement="UPDATE songs SET plays = 7 REMOVE tags WHERE pk = 'band' AND sk = 1")
    item = ddb.get_item(TableName="songs", Key={"pk": {"S": "band"}, "sk": {"N": "1"}})["Item"]
    assert item["plays"] == {"N": "7"} and "tags" not in item
    assert error_of(ddb.execute_statement,
                    Statement="UPDATE songs SET plays = 8 WHERE pk = 'band' AND sk = 99")[0] == (
        "ConditionalCheckFailedException")
    ddb.execute_statement(Statement="DELETE FROM songs WHERE pk = 'band' AND sk = 1")
    assert "Item" not in ddb.get_item(TableName="songs", Key={"pk": {"S": "band"}, "sk": {"N": "1"}})
    assert error_of(ddb.execute_statement, Statement="SELEKT * FROM songs")[0] == "ValidationException"


def test_batch_and_transaction(ddb, songs):
    answer = ddb.batch_execute_statement(Statements=[
        {"Statement": "SELECT * FROM songs WHERE pk = 'band' AND sk = 2"},
        {"Statement": "INSERT INTO songs VALUE {'pk': 'band', 'sk': 2}"}])["Responses"]
    assert answer[0]["Item"]["title"] == {"S": "song 2"}
    assert answer[1]["Error"]["Code"] == "DuplicateItem"
    with pytest.raises(ClientError) as info:
        ddb.execute_transaction(TransactStatements=[
            {"Statement": "INSERT INTO songs VALUE {'pk': 'new', 'sk': 1}"},
            {"Statement": "UPDATE songs SET x = 1 WHERE pk = 'band' AND sk = 42"}])
    assert info.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert ddb.execute_statement(Statement="SELECT * FROM songs WHERE pk = 'new'")["Items"] == []
