"""SNS mobile push over the gateway: platform applications, endpoints, publish to an endpoint.

AWS documents the cases (deleted endpoint, disabled endpoint, same token with other
attributes); messages AWS is known to send are asserted whole, the others by code only.
"""

from __future__ import annotations

import json

import pytest

from ..aws_errors import error_of, error_with_status

ACCOUNT = "123456789012"
GCM = {"PlatformCredential": "server-api-key"}
APNS = {"PlatformPrincipal": "-----BEGIN CERTIFICATE-----", "PlatformCredential": "-----BEGIN PRIVATE KEY-----"}


@pytest.fixture
def sns(client):
    return client("sns")


@pytest.fixture
def sns_state(aws):
    return aws.registry.get("sns").store.get(ACCOUNT, "us-east-1")


@pytest.fixture
def app(sns):
    return sns.create_platform_application(Name="my-app", Platform="GCM", Attributes=GCM)["PlatformApplicationArn"]


def test_applications_create_get_set_list_delete(sns, app):
    assert app == f"arn:aws:sns:us-east-1:{ACCOUNT}:app/GCM/my-app"
    attrs = sns.get_platform_application_attributes(PlatformApplicationArn=app)["Attributes"]
    assert attrs == {"Enabled": "true"}  # credentials are never read back
    sns.set_platform_application_attributes(PlatformApplicationArn=app, Attributes={"EventEndpointCreated": "arn:aws:sns:us-east-1:123456789012:events"})
    assert sns.get_platform_application_attributes(PlatformApplicationArn=app)["Attributes"]["EventEndpointCreated"].endswith(":events")
    apple = sns.create_platform_application(Name="ios", Platform="APNS", Attributes=APNS)["PlatformApplicationArn"]
    assert sns.get_platform_application_attributes(PlatformApplicationArn=apple)["Attributes"]["AuthenticationMethod"] == "Certificate"
    listed = sns.list_platform_applications()["PlatformApplications"]
    assert [a["PlatformApplicationArn"] for a in listed] == sorted([app, apple])
    sns.delete_platform_application(PlatformApplicationArn=apple)
    sns.delete_platform_application(PlatformApplicationArn=apple)  # twice is fine
    code, message, status = error_with_status(sns.get_platform_application_attributes, PlatformApplicationArn=apple)
    assert (code, message, status) == ("NotFound", "PlatformApplication does not exist", 404)


def test_application_checks(sns):
    assert error_of(sns.create_platform_application, Name="x", Platform="NOKIA", Attributes=GCM)[0] == "InvalidParameter"
    # APNS needs a principal and a credential; FCM (GCM) a credential (AWS's mobile push error table).
    assert error_of(sns.create_platform_application, Name="x", Platform="APNS",
                    Attributes={"PlatformCredential": "k"})[0] == "InvalidParameter"
    assert error_of(sns.create_platform_application, Name="x", Platform="GCM", Attributes={"Colour": "red"})[0] == "InvalidParameter"
    assert error_of(sns.create_platform_application, Name="bad name!", Platform="GCM", Attributes=GCM)[0] == "InvalidParameter"
    assert error_of(sns.get_platform_application_attributes, PlatformApplicationArn="nope")[0] == "InvalidParameter"


def test_endpoints_are_idempotent_per_token(sns, app):
    arn = sns.create_platform_endpoint(PlatformApplicationArn=app, Token="device-1", CustomUserData="alice")["EndpointArn"]
    assert arn.startswith(f"arn:aws:sns:us-east-1:{ACCOUNT}:endpoint/GCM/my-app/")
    assert sns.create_platform_endpoint(PlatformApplicationArn=app, Token="device-1", CustomUserData="alice")["EndpointArn"] == arn
    code, message = error_of(sns.create_platform_endpoint, PlatformApplicationArn=app, Token="device-1", CustomUserData="bob")
    assert code == "InvalidParameter"
    assert message == (f"Invalid parameter: Token Reason: Endpoint {arn} already exists with the same Token, "
                       "but different attributes.")
    assert sns.get_endpoint_attributes(EndpointArn=arn)["Attributes"] == {
        "Enabled": "true", "Token": "device-1", "CustomUserData": "alice"}
    other = sns.create_platform_endpoint(PlatformApplicationArn=app, Token="device-2", Attributes={"Enabled": "false"})["EndpointArn"]
    listed = sns.list_endpoints_by_platform_application(PlatformApplicationArn=app)["Endpoints"]
    assert sorted(e["EndpointArn"] for e in listed) == sorted([arn, other])
    missing_app = app.replace("my-app", "gone")
    assert error_with_status(sns.create_platform_endpoint, PlatformApplicationArn=missing_app, Token="t")[::2] == ("NotFound", 404)
    assert error_of(sns.list_endpoints_by_platform_application, PlatformApplicationArn=missing_app)[0] == "NotFound"


def test_endpoint_attributes_and_enabled_flag(sns, app, sns_state):
    arn = sns.create_platform_endpoint(PlatformApplicationArn=app, Token="device-1")["EndpointArn"]
    sns.publish(TargetArn=arn, Message="hello")
    pushed = [d for d in sns_state.outbox if d.endpoint == arn]
    assert [(d.protocol, d.message) for d in pushed] == [("application", "hello")]
    sns.set_endpoint_attributes(EndpointArn=arn, Attributes={"Enabled": "False", "Token": "device-9"})
    assert sns.get_endpoint_attributes(EndpointArn=arn)["Attributes"] == {"Enabled": "false", "Token": "device-9"}
    assert error_with_status(sns.publish, TargetArn=arn, Message="hi") == ("EndpointDisabled", "Endpoint is disabled", 400)
    assert error_of(sns.set_endpoint_attributes, EndpointArn=arn, Attributes={"Enabled": "maybe"})[0] == "InvalidParameter"
    assert error_of(sns.set_endpoint_attributes, EndpointArn=arn, Attributes={"Colour": "red"})[0] == "InvalidParameter"


def test_publish_picks_the_platform_payload(sns, app, sns_state):
    arn = sns.create_platform_endpoint(PlatformApplicationArn=app, Token="device-1")["EndpointArn"]
    payload = json.dumps({"default": "plain", "GCM": json.dumps({"notification": {"title": "hi"}})})
    sns.publish(TargetArn=arn, Message=payload, MessageStructure="json")
    assert json.loads(sns_state.outbox[-1].message) == {"notification": {"title": "hi"}}


def test_deleted_endpoint_errors(sns, app):
    arn = sns.create_platform_endpoint(PlatformApplicationArn=app, Token="device-1")["EndpointArn"]
    sns.delete_endpoint(EndpointArn=arn)
    sns.delete_endpoint(EndpointArn=arn)  # deleting twice is no error
    assert error_with_status(sns.get_endpoint_attributes, EndpointArn=arn) == ("NotFound", "Endpoint does not exist", 404)
    assert error_of(sns.set_endpoint_attributes, EndpointArn=arn, Attributes={"Enabled": "true"}) == (
        "NotFound", "Endpoint does not exist")
    assert error_of(sns.publish, TargetArn=arn, Message="hi") == (
        "InvalidParameter", "Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified")


def test_deleting_an_application_deletes_its_endpoints(sns, app):
    arn = sns.create_platform_endpoint(PlatformApplicationArn=app, Token="device-1")["EndpointArn"]
    sns.delete_platform_application(PlatformApplicationArn=app)
    assert error_of(sns.get_endpoint_attributes, EndpointArn=arn)[0] == "NotFound"
    assert sns.list_platform_applications()["PlatformApplications"] == []


def test_topic_fan_out_to_endpoints(sns, app, sns_state):
    live = sns.create_platform_endpoint(PlatformApplicationArn=app, Token="live")["EndpointArn"]
    off = sns.create_platform_endpoint(PlatformApplicationArn=app, Token="off", Attributes={"Enabled": "false"})["EndpointArn"]
    topic = sns.create_topic(Name="mobile")["TopicArn"]
    for endpoint in (live, off):
        sns.subscribe(TopicArn=topic, Protocol="application", Endpoint=endpoint)
    sns.publish(TopicArn=topic, MessageStructure="json",
                Message=json.dumps({"default": "plain", "GCM": '{"data": {"k": "v"}}', "APNS": '{"aps": {}}'}))
    assert [(d.endpoint, d.message) for d in sns_state.outbox if d.protocol == "application"] == [
        (live, '{"data": {"k": "v"}}')]
    assert [(d.endpoint, d.error) for d in sns_state.failed] == [(off, "EndpointDisabled")]
