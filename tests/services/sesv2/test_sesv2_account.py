"""Configuration sets and their options, the account's settings, and the suppression list
(date filters, reasons, paging), all in the store v1 shares."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ..aws_errors import error_with_status


def test_configuration_set_options_round_trip(sesv2, client):
    sesv2.create_dedicated_ip_pool(PoolName="pool")
    sesv2.create_configuration_set(
        ConfigurationSetName="cs", TrackingOptions={"CustomRedirectDomain": "t.example.com", "HttpsPolicy": "REQUIRE"},
        DeliveryOptions={"TlsPolicy": "REQUIRE", "SendingPoolName": "pool", "MaxDeliverySeconds": 600},
        ReputationOptions={"ReputationMetricsEnabled": True}, SendingOptions={"SendingEnabled": True},
        SuppressionOptions={"SuppressedReasons": ["BOUNCE"]},
        VdmOptions={"DashboardOptions": {"EngagementMetrics": "ENABLED"}},
        ArchivingOptions={"ArchiveArn": "arn:aws:ses:us-east-1:123456789012:mailmanager-archive/a-" + "0" * 24})
    got = sesv2.get_configuration_set(ConfigurationSetName="cs")
    assert got["TrackingOptions"] == {"CustomRedirectDomain": "t.example.com", "HttpsPolicy": "REQUIRE"}
    assert got["DeliveryOptions"] == {"TlsPolicy": "REQUIRE", "SendingPoolName": "pool", "MaxDeliverySeconds": 600}
    assert got["ReputationOptions"]["ReputationMetricsEnabled"] is True
    assert got["SuppressionOptions"] == {"SuppressedReasons": ["BOUNCE"]}
    assert got["VdmOptions"] == {"DashboardOptions": {"EngagementMetrics": "ENABLED"}}
    sesv2.put_configuration_set_reputation_options(ConfigurationSetName="cs", ReputationMetricsEnabled=False)
    sesv2.put_configuration_set_tracking_options(ConfigurationSetName="cs", CustomRedirectDomain="u.example.com")
    sesv2.put_configuration_set_archiving_options(ConfigurationSetName="cs")
    got = sesv2.get_configuration_set(ConfigurationSetName="cs")
    assert got["ReputationOptions"]["ReputationMetricsEnabled"] is False and "ArchivingOptions" not in got
    assert got["TrackingOptions"] == {"CustomRedirectDomain": "u.example.com"}
    # the v1 API sees the same set
    assert client("ses").describe_configuration_set(ConfigurationSetName="cs")["ConfigurationSet"]["Name"] == "cs"
    assert sesv2.list_configuration_sets()["ConfigurationSets"] == ["cs"]


def test_configuration_set_errors(sesv2):
    sesv2.create_configuration_set(ConfigurationSetName="cs")
    code, _, status = error_with_status(sesv2.create_configuration_set, ConfigurationSetName="cs")
    assert (code, status) == ("AlreadyExistsException", 400)
    code, _, status = error_with_status(sesv2.get_configuration_set, ConfigurationSetName="nope")
    assert (code, status) == ("NotFoundException", 404)
    assert error_with_status(sesv2.put_configuration_set_delivery_options, ConfigurationSetName="cs",
                             SendingPoolName="ghost")[:2] == ("NotFoundException", "SendingPool <ghost> doesn't exist")
    sesv2.put_configuration_set_delivery_options(ConfigurationSetName="cs", SendingPoolName="ses-shared-pool")
    assert error_with_status(sesv2.put_configuration_set_sending_options, ConfigurationSetName="nope",
                             SendingEnabled=False)[0] == "NotFoundException"
    sesv2.delete_configuration_set(ConfigurationSetName="cs")
    assert sesv2.list_configuration_sets()["ConfigurationSets"] == []


def test_event_destinations(sesv2):
    sesv2.create_configuration_set(ConfigurationSetName="cs")
    firehose = {"IamRoleArn": "arn:aws:iam::123456789012:role/r",
                "DeliveryStreamArn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/s"}
    sesv2.create_configuration_set_event_destination(
        ConfigurationSetName="cs", EventDestinationName="fh",
        EventDestination={"Enabled": True, "MatchingEventTypes": ["SEND", "DELIVERY"], "KinesisFirehoseDestination": firehose})
    assert sesv2.get_configuration_set_event_destinations(ConfigurationSetName="cs")["EventDestinations"] == [
        {"Name": "fh", "Enabled": True, "MatchingEventTypes": ["SEND", "DELIVERY"], "KinesisFirehoseDestination": firehose}]
    assert error_with_status(sesv2.create_configuration_set_event_destination, ConfigurationSetName="cs",
                             EventDestinationName="fh", EventDestination={"KinesisFirehoseDestination": firehose})[0] == \
        "AlreadyExistsException"
    assert error_with_status(sesv2.create_configuration_set_event_destination, ConfigurationSetName="cs",
                             EventDestinationName="none", EventDestination={"Enabled": True})[0] == "BadRequestException"
    bus = {"EventBusArn": "arn:aws:events:us-east-1:123456789012:event-bus/default"}
    sesv2.update_configuration_set_event_destination(
        ConfigurationSetName="cs", EventDestinationName="fh",
        EventDestination={"Enabled": False, "MatchingEventTypes": ["BOUNCE"], "EventBridgeDestination": bus})
    [dest] = sesv2.get_configuration_set_event_destinations(ConfigurationSetName="cs")["EventDestinations"]
    assert dest == {"Name": "fh", "Enabled": False, "MatchingEventTypes": ["BOUNCE"], "EventBridgeDestination": bus}
    sesv2.delete_configuration_set_event_destination(ConfigurationSetName="cs", EventDestinationName="fh")
    assert error_with_status(sesv2.delete_configuration_set_event_destination, ConfigurationSetName="cs",
                             EventDestinationName="fh")[0] == "NotFoundException"


def test_account_settings(sesv2):
    got = sesv2.get_account()
    assert got["ProductionAccessEnabled"] is False and got["SendingEnabled"] is True
    assert got["SendQuota"] == {"Max24HourSend": 200.0, "MaxSendRate": 1.0, "SentLast24Hours": 0.0}
    sesv2.put_account_suppression_attributes(SuppressedReasons=["COMPLAINT"])
    sesv2.put_account_vdm_attributes(VdmAttributes={"VdmEnabled": "ENABLED"})
    sesv2.put_account_dedicated_ip_warmup_attributes(AutoWarmupEnabled=True)
    got = sesv2.get_account()
    assert got["SuppressionAttributes"] == {"SuppressedReasons": ["COMPLAINT"]}
    assert got["VdmAttributes"] == {"VdmEnabled": "ENABLED"} and got["DedicatedIpAutoWarmupEnabled"] is True
    sesv2.put_account_details(MailType="MARKETING", WebsiteURL="https://example.com")
    got = sesv2.get_account()
    assert got["ProductionAccessEnabled"] is False and "ReviewDetails" not in got["Details"]
    sesv2.put_account_details(MailType="TRANSACTIONAL", WebsiteURL="https://example.com", ContactLanguage="EN",
                              ProductionAccessEnabled=True)
    got = sesv2.get_account()
    assert got["ProductionAccessEnabled"] is True and got["SendQuota"]["Max24HourSend"] == 50000.0
    assert got["Details"]["MailType"] == "TRANSACTIONAL"


@pytest.fixture
def frozen_at():
    return "2026-03-01T12:00:00Z"


def test_suppression_list_filters_and_pages(sesv2, frozen):
    sesv2.put_suppressed_destination(EmailAddress="old@example.net", Reason="BOUNCE")
    frozen.advance(days=2)
    sesv2.put_suppressed_destination(EmailAddress="mid@example.net", Reason="COMPLAINT")
    frozen.advance(days=2)
    sesv2.put_suppressed_destination(EmailAddress="new@example.net", Reason="BOUNCE")
    now = frozen.utcnow()

    def emails(**kwargs):
        return [s["EmailAddress"] for s in sesv2.list_suppressed_destinations(**kwargs)["SuppressedDestinationSummaries"]]

    assert emails() == ["new@example.net", "mid@example.net", "old@example.net"]
    assert emails(Reasons=["BOUNCE"]) == ["new@example.net", "old@example.net"]
    assert emails(StartDate=now - timedelta(days=3)) == ["new@example.net", "mid@example.net"]
    assert emails(EndDate=now - timedelta(days=1)) == ["mid@example.net", "old@example.net"]
    first = sesv2.list_suppressed_destinations(PageSize=2)
    assert len(first["SuppressedDestinationSummaries"]) == 2
    rest = sesv2.list_suppressed_destinations(PageSize=2, NextToken=first["NextToken"])
    assert [s["EmailAddress"] for s in rest["SuppressedDestinationSummaries"]] == ["old@example.net"]
    assert "NextToken" not in rest
    code, _, _ = error_with_status(sesv2.list_suppressed_destinations, NextToken="bogus")
    assert code == "InvalidNextTokenException"

    got = sesv2.get_suppressed_destination(EmailAddress="MID@example.net")["SuppressedDestination"]
    assert got["Reason"] == "COMPLAINT" and got["LastUpdateTime"] == now - timedelta(days=2)
    sesv2.delete_suppressed_destination(EmailAddress="mid@example.net")
    code, _, status = error_with_status(sesv2.get_suppressed_destination, EmailAddress="mid@example.net")
    assert (code, status) == ("NotFoundException", 404)
    assert error_with_status(sesv2.delete_suppressed_destination, EmailAddress="mid@example.net")[0] == \
        "NotFoundException"


def test_suppression_import_and_export_jobs(sesv2, client, aws, verified, production):
    s3 = client("s3")
    s3.create_bucket(Bucket="lists")
    s3.put_object(Bucket="lists", Key="suppress.csv", Body=b"a@example.net,BOUNCE\nb@example.net, COMPLAINT\nbad,BOUNCE\n")
    job = sesv2.create_import_job(ImportDestination={"SuppressionListDestination": {"SuppressionListImportAction": "PUT"}},
                                  ImportDataSource={"S3Url": "s3://lists/suppress.csv", "DataFormat": "CSV"})["JobId"]
    aws.settle()
    got = sesv2.get_import_job(JobId=job)
    assert (got["JobStatus"], got["ProcessedRecordsCount"], got["FailedRecordsCount"]) == ("COMPLETED", 3, 1)
    listed = sesv2.list_suppressed_destinations()["SuppressedDestinationSummaries"]
    assert sorted((s["EmailAddress"], s["Reason"]) for s in listed) == [("a@example.net", "BOUNCE"),
                                                                       ("b@example.net", "COMPLAINT")]
    s3.put_object(Bucket="lists", Key="unsuppress.json", Body=b'{"emailAddress": "a@example.net"}\n')
    sesv2.create_import_job(ImportDestination={"SuppressionListDestination": {"SuppressionListImportAction": "DELETE"}},
                            ImportDataSource={"S3Url": "s3://lists/unsuppress.json", "DataFormat": "JSON"})
    aws.settle()
    assert [s["EmailAddress"] for s in sesv2.list_suppressed_destinations()["SuppressedDestinationSummaries"]] == \
        ["b@example.net"]

    verified("sender@example.com")
    sesv2.send_email(FromEmailAddress="sender@example.com", Destination={"ToAddresses": ["x@example.net"]},
                     Content={"Simple": {"Subject": {"Data": "Hi"}, "Body": {"Text": {"Data": "b"}}}})
    now = aws.clock.utcnow()
    export = sesv2.create_export_job(
        ExportDataSource={"MessageInsightsDataSource": {"StartDate": now - timedelta(hours=1),
                                                        "EndDate": now + timedelta(hours=1)}},
        ExportDestination={"DataFormat": "JSON", "S3Url": "s3://lists/exports"})["JobId"]
    aws.settle()
    got = sesv2.get_export_job(JobId=export)
    assert got["JobStatus"] == "COMPLETED" and got["Statistics"]["ExportedRecordsCount"] == 1
    body = s3.get_object(Bucket="lists", Key=f"exports/{export}.json")["Body"].read()
    assert b'"destination": "x@example.net"' in body and b'"lastDeliveryEvent": "DELIVERY"' in body
    assert error_with_status(sesv2.cancel_export_job, JobId=export)[0] == "BadRequestException"
    assert [j["JobId"] for j in sesv2.list_export_jobs(JobStatus="COMPLETED")["ExportJobs"]] == [export]


def test_bad_addresses_and_destination_arns_are_refused(sesv2):
    assert error_with_status(sesv2.put_suppressed_destination, EmailAddress="no-at-sign", Reason="BOUNCE")[0] == \
        "BadRequestException"
    sesv2.create_contact_list(ContactListName="l")
    assert error_with_status(sesv2.create_contact, ContactListName="l", EmailAddress="a@b")[0] == "BadRequestException"
    sesv2.create_configuration_set(ConfigurationSetName="cs")
    assert error_with_status(sesv2.create_configuration_set_event_destination, ConfigurationSetName="cs",
                             EventDestinationName="d", EventDestination={
                                 "SnsDestination": {"TopicArn": "arn:aws:sqs:us-east-1:123456789012:q"}})[0] == \
        "BadRequestException"


def test_metrics_export_writes_csv(sesv2, client, aws, verified, production, frozen):
    s3 = client("s3")
    s3.create_bucket(Bucket="metrics")
    verified("sender@example.com")
    for to in ("success@simulator.amazonses.com", "bounce@simulator.amazonses.com"):
        sesv2.send_email(FromEmailAddress="sender@example.com", Destination={"ToAddresses": [to]},
                         Content={"Simple": {"Subject": {"Data": "m"}, "Body": {"Text": {"Data": "b"}}}})
    now = aws.clock.utcnow()
    job = sesv2.create_export_job(
        ExportDataSource={"MetricsDataSource": {"Dimensions": {"EMAIL_IDENTITY": ["sender@example.com"]},
                                                "Namespace": "VDM", "StartDate": now - timedelta(minutes=5),
                                                "EndDate": now + timedelta(minutes=5),
                                                "Metrics": [{"Name": "SEND", "Aggregation": "VOLUME"},
                                                            {"Name": "PERMANENT_BOUNCE", "Aggregation": "VOLUME"}]}},
        ExportDestination={"DataFormat": "CSV", "S3Url": "s3://metrics/out/"})["JobId"]
    aws.settle()
    assert sesv2.get_export_job(JobId=job)["ExportSourceType"] == "METRICS_DATA"
    lines = s3.get_object(Bucket="metrics", Key=f"out/{job}.csv")["Body"].read().decode().splitlines()
    assert lines[0] == "timestamp,metric,aggregation,value"
    assert [line.split(",")[1:] for line in lines[1:]] == [["SEND", "VOLUME", "2"], ["PERMANENT_BOUNCE", "VOLUME", "1"]]
