"""Import and export jobs run for real against our S3: contact lists and the suppression list."""

from __future__ import annotations

import json

import pytest

from ..aws_errors import error_with_status

TOPICS = [{"TopicName": "news", "DisplayName": "News", "DefaultSubscriptionStatus": "OPT_OUT"}]


@pytest.fixture
def bucket(s3):
    s3.create_bucket(Bucket="imports")
    return "imports"


def test_contact_list_import_from_csv(sesv2, s3, bucket, aws):
    sesv2.create_contact_list(ContactListName="list", Topics=TOPICS)
    s3.put_object(Bucket=bucket, Key="contacts.csv", Body=(
        b"emailAddress,unsubscribeAll,attributesData,topicPreferences.news\n"
        b"a@example.com,false,{},OPT_IN\n"
        b"b@example.com,true,,\n"
        b"not-an-address,false,,\n"
    ))
    job = sesv2.create_import_job(
        ImportDestination={"ContactListDestination": {"ContactListName": "list", "ContactListImportAction": "PUT"}},
        ImportDataSource={"S3Url": f"s3://{bucket}/contacts.csv", "DataFormat": "CSV"})["JobId"]
    aws.settle()
    got = sesv2.get_import_job(JobId=job)
    assert got["JobStatus"] == "COMPLETED"
    assert (got["ProcessedRecordsCount"], got["FailedRecordsCount"]) == (3, 1)
    a = sesv2.get_contact(ContactListName="list", EmailAddress="a@example.com")
    assert a["TopicPreferences"] == [{"TopicName": "news", "SubscriptionStatus": "OPT_IN"}]
    assert sesv2.get_contact(ContactListName="list", EmailAddress="b@example.com")["UnsubscribeAll"] is True
    listed = sesv2.list_import_jobs(ImportDestinationType="CONTACT_LIST")["ImportJobs"]
    assert [j["JobId"] for j in listed] == [job]
    assert sesv2.list_import_jobs(ImportDestinationType="SUPPRESSION_LIST")["ImportJobs"] == []


def test_contact_list_import_json_delete(sesv2, s3, bucket, aws):
    sesv2.create_contact_list(ContactListName="list", Topics=TOPICS)
    sesv2.create_contact(ContactListName="list", EmailAddress="a@example.com")
    lines = [{"emailAddress": "a@example.com"}, {"emailAddress": "z@example.com"}]
    s3.put_object(Bucket=bucket, Key="gone.json", Body="\n".join(json.dumps(x) for x in lines).encode())
    sesv2.create_import_job(
        ImportDestination={"ContactListDestination": {"ContactListName": "list", "ContactListImportAction": "DELETE"}},
        ImportDataSource={"S3Url": f"s3://{bucket}/gone.json", "DataFormat": "JSON"})
    aws.settle()
    assert sesv2.list_contacts(ContactListName="list")["Contacts"] == []


def test_import_of_a_missing_object_fails_the_job(sesv2, bucket, aws):
    sesv2.create_contact_list(ContactListName="list")
    job = sesv2.create_import_job(
        ImportDestination={"ContactListDestination": {"ContactListName": "list", "ContactListImportAction": "PUT"}},
        ImportDataSource={"S3Url": f"s3://{bucket}/missing.csv", "DataFormat": "CSV"})["JobId"]
    aws.settle()
    got = sesv2.get_import_job(JobId=job)
    assert got["JobStatus"] == "FAILED" and "missing.csv" in got["FailureInfo"]["ErrorMessage"]


def test_import_job_input_errors(sesv2):
    source = {"S3Url": "s3://b/k.csv", "DataFormat": "CSV"}
    assert error_with_status(sesv2.create_import_job, ImportDestination={
        "ContactListDestination": {"ContactListName": "nope", "ContactListImportAction": "PUT"}},
        ImportDataSource=source)[0] == "BadRequestException"
    assert error_with_status(sesv2.create_import_job, ImportDestination={
        "SuppressionListDestination": {"SuppressionListImportAction": "PUT"}},
        ImportDataSource={"S3Url": "https://b/k", "DataFormat": "CSV"})[0] == "BadRequestException"
    # in the sandbox the suppression list takes no bulk changes
    assert error_with_status(sesv2.create_import_job, ImportDestination={
        "SuppressionListDestination": {"SuppressionListImportAction": "PUT"}},
        ImportDataSource=source)[0] == "BadRequestException"
    code, _, status = error_with_status(sesv2.get_import_job, JobId="nope")
    assert (code, status) == ("NotFoundException", 404)
