"""Audit mode: calls go on, would-be denials are recorded with their reasons, and the
principal's usage becomes a minimal policy that, applied in enforce, lets the same flow pass
and nothing more."""

from __future__ import annotations

import json
import urllib.request

from .enforce_helpers import ACCOUNT, denied, document, mode_fixture

audit = mode_fixture("audit")
NOTHING = document({"Effect": "Allow", "Action": "none:none", "Resource": "*"})
APP = f"arn:aws:iam::{ACCOUNT}:user/app"


def _setup(principals):
    principals.root("s3").create_bucket(Bucket="uploads")
    url = principals.root("sqs").create_queue(QueueName="jobs")["QueueUrl"]
    principals.root("dynamodb").create_table(
        TableName="jobs", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    return url


def _flow(app, url):
    """A small app: store an upload, queue a job, record it, take the job and read it back."""
    app("s3").put_object(Bucket="uploads", Key="in/photo.jpg", Body=b"jpg")
    app("sqs").send_message(QueueUrl=url, MessageBody="in/photo.jpg")
    app("dynamodb").put_item(TableName="jobs", Item={"id": {"S": "1"}, "key": {"S": "in/photo.jpg"}})
    [message] = app("sqs").receive_message(QueueUrl=url)["Messages"]
    app("s3").get_object(Bucket="uploads", Key=message["Body"])["Body"].read()
    app("sqs").delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def test_audit_records_would_be_denials_and_lets_calls_through(audit):
    url = _setup(audit)
    app = audit.user("app", inline={"nothing": NOTHING})
    _flow(app, url)
    denials = audit.gateway.iam.denials()
    assert [(d.action, d.enforced) for d in denials] == [
        ("s3:PutObject", False), ("sqs:SendMessage", False), ("dynamodb:PutItem", False),
        ("sqs:ReceiveMessage", False), ("s3:GetObject", False), ("sqs:DeleteMessage", False)]
    assert denials[0].message == (
        f'User: {APP} is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::uploads/in/photo.jpg" '
        "because no identity-based policy allows the s3:PutObject action")


def test_the_audited_policy_lets_the_same_flow_pass_in_enforce_and_nothing_more(audit):
    url = _setup(audit)
    app = audit.user("app", inline={"nothing": NOTHING})
    _flow(app, url)
    iam = audit.gateway.iam
    policy = iam.policy_for(APP)
    assert iam.used(APP)["s3:PutObject"] == ["arn:aws:s3:::uploads/in/photo.jpg"]
    assert {s["Resource"] for s in policy["Statement"]} >= {f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/jobs"}
    audit.root("iam").put_user_policy(UserName="app", PolicyName="least-privilege", PolicyDocument=json.dumps(policy))
    iam.set_mode("enforce")
    _flow(app, url)
    assert [d for d in iam.denials() if d.enforced] == []
    assert denied(app("s3").put_object, Bucket="uploads", Key="in/other.jpg", Body=b"x")[0] == "AccessDenied"
    assert denied(app("dynamodb").delete_item, TableName="jobs", Key={"id": {"S": "1"}})[0] == (
        "AccessDeniedException")


def test_the_admin_api_serves_the_usage_and_policy(audit):
    url = _setup(audit)
    _flow(audit.user("app", inline={"nothing": NOTHING}), url)
    admin = audit.gateway.admin_endpoint
    with urllib.request.urlopen(f"{admin}/api/iam/used?principal={APP}") as response:
        body = json.load(response)
    assert body["principal"] == APP and "sqs:SendMessage" in body["used"]
    assert body["policy"] == audit.gateway.iam.policy_for(APP)
    with urllib.request.urlopen(f"{admin}/api/iam/mode") as response:
        assert json.load(response) == {"mode": "audit"}
    with urllib.request.urlopen(f"{admin}/api/iam/denials") as response:
        assert len(json.load(response)) == 6
