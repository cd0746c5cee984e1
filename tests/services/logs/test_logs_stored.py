"""Stored resources through boto3: resource, data protection, account, destination and
index policies, transformers, deliveries, anomaly detectors, integrations, lookup tables,
scheduled queries, imports; and other services writing logs through the registry."""

from __future__ import annotations

from typing import Any

from pytest_cloudmock.gateway import Gateway

from ..aws_errors import error_of
from .conftest import ACCOUNT

POLICY = '{"Version": "2012-10-17", "Statement": []}'


def test_resource_policies_with_revisions(logs: Any) -> None:
    first = logs.put_resource_policy(policyName="p", policyDocument=POLICY)
    assert first["resourcePolicy"]["policyScope"] == "ACCOUNT"
    second = logs.put_resource_policy(policyName="p", policyDocument=POLICY, expectedRevisionId=first["revisionId"])
    assert second["revisionId"] != first["revisionId"]
    assert error_of(logs.put_resource_policy, policyName="p", policyDocument=POLICY,
                    expectedRevisionId=first["revisionId"])[0] == "ConflictException"
    assert [p["policyName"] for p in logs.describe_resource_policies()["resourcePolicies"]] == ["p"]
    logs.delete_resource_policy(policyName="p")
    assert error_of(logs.delete_resource_policy, policyName="p")[0] == "ResourceNotFoundException"
    for i in range(10):
        logs.put_resource_policy(policyName=f"p{i}", policyDocument=POLICY)
    assert error_of(logs.put_resource_policy, policyName="p10", policyDocument=POLICY) == (
        "LimitExceededException", "Resource limit exceeded.")


def test_data_protection_and_account_policies(logs: Any) -> None:
    logs.create_log_group(logGroupName="g")
    logs.put_data_protection_policy(logGroupIdentifier="g", policyDocument=POLICY)
    assert logs.get_data_protection_policy(logGroupIdentifier="g")["policyDocument"] == POLICY
    assert logs.describe_log_groups()["logGroups"][0]["dataProtectionStatus"] == "ACTIVATED"
    logs.delete_data_protection_policy(logGroupIdentifier="g")
    assert "policyDocument" not in logs.get_data_protection_policy(logGroupIdentifier="g")
    logs.put_account_policy(policyName="a", policyDocument=POLICY, policyType="DATA_PROTECTION_POLICY")
    (policy,) = logs.describe_account_policies(policyType="DATA_PROTECTION_POLICY")["accountPolicies"]
    assert (policy["policyName"], policy["accountId"], policy["scope"]) == ("a", ACCOUNT, "ALL")
    assert logs.describe_account_policies(policyType="SUBSCRIPTION_FILTER_POLICY")["accountPolicies"] == []
    logs.delete_account_policy(policyName="a", policyType="DATA_PROTECTION_POLICY")
    assert error_of(logs.delete_account_policy, policyName="a", policyType="DATA_PROTECTION_POLICY")[0] == \
        "ResourceNotFoundException"


def test_destinations_and_their_tags(logs: Any) -> None:
    target = f"arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/s"
    dest = logs.put_destination(destinationName="d", targetArn=target, roleArn="arn:aws:iam::1:role/r",
                                tags={"k": "v"})["destination"]
    logs.put_destination_policy(destinationName="d", accessPolicy=POLICY)
    (found,) = logs.describe_destinations(DestinationNamePrefix="d")["destinations"]
    assert (found["targetArn"], found["accessPolicy"]) == (target, POLICY)
    assert logs.list_tags_for_resource(resourceArn=dest["arn"])["tags"] == {"k": "v"}
    logs.delete_destination(destinationName="d")
    assert error_of(logs.delete_destination, destinationName="d")[0] == "ResourceNotFoundException"


def test_index_policies_and_transformers(logs: Any) -> None:
    logs.create_log_group(logGroupName="g")
    logs.put_index_policy(logGroupIdentifier="g", policyDocument='{"Fields": ["requestId"]}')
    (index,) = logs.describe_field_indexes(logGroupIdentifiers=["g"])["fieldIndexes"]
    assert index["fieldIndexName"] == "requestId"
    logs.delete_index_policy(logGroupIdentifier="g")
    assert logs.describe_index_policies(logGroupIdentifiers=["g"])["indexPolicies"] == []
    config = [{"parseJSON": {}}]
    logs.put_transformer(logGroupIdentifier="g", transformerConfig=config)
    assert logs.get_transformer(logGroupIdentifier="g")["transformerConfig"] == config
    logs.delete_transformer(logGroupIdentifier="g")
    assert error_of(logs.get_transformer, logGroupIdentifier="g")[0] == "ResourceNotFoundException"


def test_deliveries(logs: Any) -> None:
    logs.put_delivery_source(name="src", resourceArn=f"arn:aws:bedrock:us-east-1:{ACCOUNT}:x", logType="APPLICATION_LOGS")
    dest = logs.put_delivery_destination(name="dst", deliveryDestinationConfiguration={
        "destinationResourceArn": "arn:aws:s3:::bucket"})["deliveryDestination"]
    assert dest["deliveryDestinationType"] == "S3"
    delivery = logs.create_delivery(deliverySourceName="src", deliveryDestinationArn=dest["arn"])["delivery"]
    assert logs.get_delivery(id=delivery["id"])["delivery"]["deliveryDestinationType"] == "S3"
    assert error_of(logs.create_delivery, deliverySourceName="src", deliveryDestinationArn=dest["arn"])[0] == \
        "ConflictException"
    assert error_of(logs.delete_delivery_source, name="src")[0] == "ConflictException"
    logs.put_delivery_destination_policy(deliveryDestinationName="dst", deliveryDestinationPolicy=POLICY)
    assert logs.get_delivery_destination_policy(deliveryDestinationName="dst")["policy"][
        "deliveryDestinationPolicy"] == POLICY
    logs.delete_delivery(id=delivery["id"])
    logs.delete_delivery_source(name="src")
    assert logs.describe_delivery_sources()["deliverySources"] == []
    assert error_of(logs.get_delivery, id=delivery["id"])[0] == "ResourceNotFoundException"


def test_anomaly_detectors_lookup_tables_scheduled_queries_imports(logs: Any) -> None:
    arn = logs.create_log_anomaly_detector(logGroupArnList=["arn:aws:logs:us-east-1:1:log-group:g"],
                                           detectorName="d")["anomalyDetectorArn"]
    logs.update_log_anomaly_detector(anomalyDetectorArn=arn, enabled=False)
    assert logs.get_log_anomaly_detector(anomalyDetectorArn=arn)["anomalyDetectorStatus"] == "PAUSED"
    assert logs.list_anomalies(anomalyDetectorArn=arn)["anomalies"] == []
    logs.delete_log_anomaly_detector(anomalyDetectorArn=arn)
    assert error_of(logs.get_log_anomaly_detector, anomalyDetectorArn=arn)[0] == "ResourceNotFoundException"

    table = logs.create_lookup_table(lookupTableName="t", tableBody="id,name\n1,a\n2,b\n")["lookupTableArn"]
    (summary,) = logs.describe_lookup_tables()["lookupTables"]
    assert (summary["tableFields"], summary["recordsCount"]) == (["id", "name"], 2)
    logs.update_lookup_table(lookupTableArn=table, tableBody="id\n1\n")
    assert logs.get_lookup_table(lookupTableArn=table)["tableBody"] == "id\n1\n"

    created = logs.create_scheduled_query(name="q", queryLanguage="CWLI", queryString="fields @message",
                                          scheduleExpression="rate(5 minutes)", executionRoleArn="arn:aws:iam::1:role/r")
    assert logs.get_scheduled_query(identifier="q")["scheduledQueryArn"] == created["scheduledQueryArn"]
    assert logs.get_scheduled_query_history(identifier="q", startTime=0, endTime=1)["triggerHistory"] == []
    logs.delete_scheduled_query(identifier=created["scheduledQueryArn"])

    import_id = logs.create_import_task(importSourceArn="arn:aws:cloudtrail:us-east-1:1:eventdatastore/x",
                                        importRoleArn="arn:aws:iam::1:role/r")["importId"]
    assert logs.cancel_import_task(importId=import_id)["importStatus"] == "CANCELLED"
    assert error_of(logs.cancel_import_task, importId=import_id)[0] == "InvalidOperationException"


def test_other_services_write_logs_through_the_registry(logs: Any, aws: Gateway) -> None:
    call = lambda op, **params: aws.registry.call("logs", op, params, account_id=ACCOUNT,  # noqa: E731
                                                  region="us-east-1")
    call("CreateLogGroup", logGroupName="/aws/lambda/fn")
    call("CreateLogStream", logGroupName="/aws/lambda/fn", logStreamName="2026/01/01/[$LATEST]abc")
    now = int(aws.clock.now() * 1000)
    result = call("PutLogEvents", logGroupName="/aws/lambda/fn", logStreamName="2026/01/01/[$LATEST]abc",
                  logEvents=[{"timestamp": now, "message": "START RequestId: 1 Version: $LATEST\n"},
                             {"timestamp": now, "message": "END RequestId: 1\n"}])
    assert "rejectedLogEventsInfo" not in result
    events = logs.filter_log_events(logGroupName="/aws/lambda/fn", filterPattern="START")["events"]
    assert [e["message"] for e in events] == ["START RequestId: 1 Version: $LATEST\n"]


def test_store_snapshot_and_restore(logs: Any, aws: Gateway) -> None:
    store = aws.registry.get("logs").store  # type: ignore[union-attr]
    logs.create_log_group(logGroupName="kept")
    logs.put_account_policy(policyName="a", policyDocument=POLICY, policyType="DATA_PROTECTION_POLICY")
    snapshot = store.snapshot()
    logs.delete_log_group(logGroupName="kept")
    logs.create_log_group(logGroupName="later")
    store.restore(snapshot)
    assert [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]] == ["kept"]
    assert len(logs.describe_account_policies(policyType="DATA_PROTECTION_POLICY")["accountPolicies"]) == 1
