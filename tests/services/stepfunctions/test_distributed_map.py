"""Distributed Map: items read from S3 (JSON, CSV, a listing), batches, child executions
in a Map run, tolerated failures and results written to S3."""

from __future__ import annotations

import json

import pytest

from .conftest import output

BUCKET = "sfn-items"


@pytest.fixture
def s3(client):
    s3 = client("s3")
    s3.create_bucket(Bucket=BUCKET)
    return s3


def distributed(processor_states: dict, **fields) -> dict:
    return {"StartAt": "M", "States": {"M": {
        "Type": "Map", "End": True, **fields,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                          "StartAt": next(iter(processor_states)), "States": processor_states}}}}


def test_json_items_from_s3_with_result_writer(run, sfn, s3):
    s3.put_object(Bucket=BUCKET, Key="in.json", Body=json.dumps([{"n": i} for i in range(5)]).encode())
    definition = distributed(
        {"Inc": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "End": True}},
        ItemReader={"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"},
                    "Parameters": {"Bucket": BUCKET, "Key.$": "$.key"}},
        ResultWriter={"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": BUCKET,
                                                                                 "Prefix": "out"}})
    described = run(definition, {"key": "in.json"})
    got = output(described)
    manifest = json.loads(s3.get_object(Bucket=BUCKET, Key=got["ResultWriterDetails"]["Key"])["Body"].read())
    assert manifest["MapRunArn"] == got["MapRunArn"] and manifest["DestinationBucket"] == BUCKET
    key = manifest["ResultFiles"]["SUCCEEDED"][0]["Key"]
    results = json.loads(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
    assert sorted(json.loads(r["Output"])["n"] for r in results) == [1, 2, 3, 4, 5]
    runs = sfn.list_map_runs(executionArn=described["executionArn"])["mapRuns"]
    assert [r["mapRunArn"] for r in runs] == [got["MapRunArn"]]
    map_run = sfn.describe_map_run(mapRunArn=got["MapRunArn"])
    assert map_run["status"] == "SUCCEEDED" and map_run["itemCounts"]["succeeded"] == 5
    children = sfn.list_executions(mapRunArn=got["MapRunArn"])["executions"]
    assert len(children) == 5 and {c["status"] for c in children} == {"SUCCEEDED"}
    sfn.update_map_run(mapRunArn=got["MapRunArn"], maxConcurrency=3)
    assert sfn.describe_map_run(mapRunArn=got["MapRunArn"])["maxConcurrency"] == 3


def test_csv_items_batched(run, s3):
    s3.put_object(Bucket=BUCKET, Key="in.csv", Body=b"id,name\n1,ana\n2,bo\n3,cy\n")
    definition = distributed(
        {"Count": {"Type": "Pass", "Parameters": {"names.$": "$.Items[*].name", "tag.$": "$.BatchInput.tag"},
                   "End": True}},
        ItemReader={"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": BUCKET, "Key": "in.csv"},
                    "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}},
        ItemBatcher={"MaxItemsPerBatch": 2, "BatchInput": {"tag": "t"}})
    assert output(run(definition)) == [{"names": ["ana", "bo"], "tag": "t"}, {"names": ["cy"], "tag": "t"}]


def test_listing_items_and_tolerated_failures(run, s3):
    for key in ("a/1", "a/2", "a/3", "a/4"):
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"x")
    states = {"C": {"Type": "Choice", "Choices": [{"Variable": "$.Key", "StringEquals": "a/4", "Next": "Bad"}],
                    "Default": "Ok"},
              "Bad": {"Type": "Fail", "Error": "Item.Bad"}, "Ok": {"Type": "Succeed"}}
    reader = {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": BUCKET, "Prefix": "a/"}}
    tolerant = distributed(states, ItemReader=reader, ToleratedFailureCount=1)
    got = output(run(tolerant))
    assert len(got) == 4 and got[3] == {"Error": "Item.Bad", "Cause": ""}
    by_path = distributed(states, ItemReader=reader, ToleratedFailureCountPath="$.tolerate")
    assert run(by_path, {"tolerate": 1})["status"] == "SUCCEEDED"
    assert run(by_path, {"tolerate": 0})["status"] == "FAILED"
    strict = distributed(states, ItemReader=reader, ToleratedFailurePercentage=10)
    described = run(strict)
    assert (described["status"], described["error"]) == ("FAILED", "States.ExceedToleratedFailureThreshold")


def test_missing_object_fails_the_map(run, s3):
    definition = distributed({"P": {"Type": "Pass", "End": True}}, ItemReader={
        "Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": BUCKET, "Key": "nope.json"}})
    described = run(definition)
    assert described["status"] == "FAILED" and described["error"] == "S3.NoSuchKeyException"


def test_stopping_the_parent_aborts_the_map_run_children(sfn, aws, machine, frozen):
    definition = distributed({"W": {"Type": "Wait", "Seconds": 60, "End": True}})
    execution = sfn.start_execution(stateMachineArn=machine(definition), input="[1, 2]")["executionArn"]
    aws.settle()
    [map_run] = sfn.list_map_runs(executionArn=execution)["mapRuns"]
    assert {c["status"] for c in sfn.list_executions(mapRunArn=map_run["mapRunArn"])["executions"]} == {"RUNNING"}
    sfn.stop_execution(executionArn=execution)
    aws.settle()
    children = sfn.list_executions(mapRunArn=map_run["mapRunArn"])["executions"]
    assert {c["status"] for c in children} == {"ABORTED"}
    assert sfn.describe_map_run(mapRunArn=map_run["mapRunArn"])["status"] == "ABORTED"
