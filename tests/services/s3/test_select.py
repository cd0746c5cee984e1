"""SelectObjectContent through botocore's event stream: CSV and JSON input, the SQL subset."""

from __future__ import annotations

import bz2
import gzip

import pytest
from botocore.exceptions import ClientError

from pytest_cloudmock.services.s3.select_sql import parse

from .conftest import error_of

PEOPLE = b'name,age,city\nalice,30,Paris\nbob,25,"New York, NY"\ncarol,41,Berlin\ndave,,Rome\n'
LINES = b'{"a":1,"b":{"c":"x"},"tags":["p","q"]}\n{"a":2,"b":{"c":null}}\n{"a":3}\n'
USE = {"CSV": {"FileHeaderInfo": "USE"}}


def select(s3, bucket, key, expression, source=None, output=None, **extra):
    response = s3.select_object_content(
        Bucket=bucket, Key=key, Expression=expression, ExpressionType="SQL",
        InputSerialization=source or USE, OutputSerialization=output or {"CSV": {}}, **extra)
    records, kinds = b"", []
    for event in response["Payload"]:
        kinds.extend(event)
        if "Records" in event:
            records += event["Records"]["Payload"]
    return records.decode(), kinds


@pytest.fixture
def people(s3_default, bucket):
    s3_default.put_object(Bucket=bucket, Key="people.csv", Body=PEOPLE)
    return bucket


def test_select_star_streams_records_stats_and_end(s3_default, people):
    records, kinds = select(s3_default, people, "people.csv", "SELECT * FROM S3Object")
    assert records == 'alice,30,Paris\nbob,25,"New York, NY"\ncarol,41,Berlin\ndave,,Rome\n'
    assert kinds == ["Records", "Stats", "End"]


@pytest.mark.parametrize(("expression", "expected"), [
    ("SELECT s.name FROM S3Object s WHERE s.age <> '' AND CAST(s.age AS INT) >= 30", "alice\ncarol\n"),
    ("SELECT s.name, s.city FROM S3Object s WHERE s.city LIKE '%r%' AND NOT s.name = 'alice'",
     'bob,"New York, NY"\ncarol,Berlin\n'),  # LIKE is case-sensitive: not Rome
    ("SELECT s.name FROM S3Object s WHERE s.age = '' OR s.name IN ('bob')", "bob\ndave\n"),
    ("SELECT UPPER(s.name) FROM S3Object s LIMIT 2", "ALICE\nBOB\n"),
    ("SELECT s.name FROM S3Object s WHERE s.age <> '' AND CAST(s.age AS INT) BETWEEN 26 AND 40", "alice\n"),
    ('SELECT s."name" FROM S3Object s WHERE s.name LIKE \'_ob\'', "bob\n"),
    ("SELECT COUNT(*) FROM S3Object", "4\n"),
    ("SELECT SUM(CAST(s.age AS INT)), MIN(CAST(s.age AS INT)), MAX(CAST(s.age AS INT)) FROM S3Object s "
     "WHERE s.age != ''", "96,25,41\n"),
])
def test_sql_subset_on_csv(s3_default, people, expression, expected):
    assert select(s3_default, people, "people.csv", expression)[0] == expected


def test_positional_columns_without_header_and_json_output(s3_default, people):
    source = {"CSV": {"FileHeaderInfo": "NONE"}}
    records, _ = select(s3_default, people, "people.csv", "SELECT s._1, s._3 AS place FROM S3Object s "
                        "WHERE s._2 = '25'", source, {"JSON": {}})
    assert records == '{"_1":"bob","place":"New York, NY"}\n'
    ignored, _ = select(s3_default, people, "people.csv", "SELECT COUNT(*) FROM S3Object",
                        {"CSV": {"FileHeaderInfo": "IGNORE"}})
    assert ignored == "4\n"


def test_csv_delimiters_quotes_and_output_options(s3_default, bucket):
    s3_default.put_object(Bucket=bucket, Key="semi.csv", Body=b"a;b\r\n'x;y';2\r\n")
    source = {"CSV": {"FileHeaderInfo": "USE", "FieldDelimiter": ";", "QuoteCharacter": "'",
                      "RecordDelimiter": "\r\n"}}
    records, _ = select(s3_default, bucket, "semi.csv", "SELECT s.a, s.b FROM S3Object s", source,
                        {"CSV": {"QuoteFields": "ALWAYS", "FieldDelimiter": "|", "RecordDelimiter": "\n"}})
    assert records == '"x;y"|"2"\n'


@pytest.mark.parametrize("compression", ["NONE", "GZIP", "BZIP2"])
def test_json_lines_and_compression(s3_default, bucket, compression):
    body = {"NONE": LINES, "GZIP": gzip.compress(LINES), "BZIP2": bz2.compress(LINES)}[compression]
    s3_default.put_object(Bucket=bucket, Key="l.json", Body=body)
    source = {"JSON": {"Type": "LINES"}, "CompressionType": compression}
    records, _ = select(s3_default, bucket, "l.json", "SELECT s.a, s.b.c FROM S3Object[*] s "
                        "WHERE s.b.c IS NOT NULL", source, {"JSON": {}})
    assert records == '{"a":1,"c":"x"}\n'
    missing, _ = select(s3_default, bucket, "l.json", "SELECT s.a FROM S3Object s WHERE s.b IS MISSING",
                        source, {"CSV": {}})
    assert missing == "3\n"


def test_json_document_paths(s3_default, bucket):
    s3_default.put_object(Bucket=bucket, Key="doc.json",
                          Body=b'{"Records":[{"id":1,"v":[10,20]},{"id":2,"v":[30]}]}')
    records, _ = select(s3_default, bucket, "doc.json", "SELECT r.id, r.v[0] AS first FROM S3Object[*].Records[*] r",
                        {"JSON": {"Type": "DOCUMENT"}}, {"JSON": {"RecordDelimiter": ","}})
    assert records == '{"id":1,"first":10},{"id":2,"first":30},'


def test_progress_events_when_asked(s3_default, people):
    _, kinds = select(s3_default, people, "people.csv", "SELECT * FROM S3Object",
                      RequestProgress={"Enabled": True})
    assert kinds == ["Records", "Progress", "Stats", "End"]


@pytest.mark.parametrize(("expression", "code"), [
    ("SELEC * FROM S3Object", "ParseExpectedKeyword"),
    ("SELECT * FROM S3Object WHERE", "ParseUnexpectedToken"),
    ("SELECT * FROM S3Object s WHERE s.a = 'x' ^", "LexerInvalidChar"),
    ("SELECT CAST(s.name AS INT) FROM S3Object s", "CastFailed"),
    ("SELECT s.name, COUNT(*) FROM S3Object s", "UnsupportedSyntax"),
])
def test_sql_errors(s3_default, people, expression, code):
    with pytest.raises(ClientError) as exc:
        select(s3_default, people, "people.csv", expression)
    assert error_of(exc) == (code, 400)


def test_request_errors(s3_default, people):
    with pytest.raises(ClientError) as exc:  # not gzip
        select(s3_default, people, "people.csv", "SELECT * FROM S3Object",
               {"CSV": {}, "CompressionType": "GZIP"})
    assert error_of(exc) == ("InvalidCompressionFormat", 400)
    with pytest.raises(ClientError) as exc:
        select(s3_default, people, "missing.csv", "SELECT * FROM S3Object")
    assert error_of(exc) == ("NoSuchKey", 404)
    with pytest.raises(ClientError) as exc:
        select(s3_default, people, "people.csv", "SELECT * FROM S3Object", {"JSON": {"Type": "LINES"}})
    assert error_of(exc) == ("JSONParsingError", 400)


def test_parser_precedence():
    query = parse("SELECT 1 + 2 * 3, (1 + 2) * 3, 7 / 2, 'a' || 'b' FROM S3Object")
    assert [node.eval(None) for node, _ in query.projection] == [7, 9, 3, "ab"]
    assert parse("SELECT * FROM S3Object WHERE NOT 1 = 2 AND 1 = 1 OR 1 = 3").where.eval(None) is True
