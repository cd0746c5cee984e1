"""Functions run as their execution roles: a Lambda whose role lacks `sqs:SendMessage`
fails exactly there, with AWS's message, and passes once the role allows it."""

from __future__ import annotations

import json

from pytest_cloudmock.services.lambda_ import lambda_zip

from .enforce_helpers import ACCOUNT, document, mode_fixture

enforce = mode_fixture("enforce")
SENDER = """
import boto3

def handler(event, context):
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName="out")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="hi")
    return "sent"
"""


def test_a_function_whose_role_lacks_send_message_fails_there(enforce):
    sqs, iam, lam = enforce.root("sqs"), enforce.root("iam"), enforce.root("lambda")
    url = sqs.create_queue(QueueName="out")["QueueUrl"]
    role = iam.create_role(RoleName="fn", AssumeRolePolicyDocument=document(
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}))["Role"]
    iam.put_role_policy(RoleName="fn", PolicyName="lookup", PolicyDocument=document(
        {"Effect": "Allow", "Action": "sqs:GetQueueUrl", "Resource": "*"}))
    lam.create_function(FunctionName="sender", Runtime="python3.12", Role=role["Arn"],
                        Handler="lambda_function.handler", Code={"ZipFile": lambda_zip(SENDER)})
    failed = lam.invoke(FunctionName="sender")
    error = json.loads(failed["Payload"].read())
    assert failed["FunctionError"] == "Unhandled"
    assert (f"User: arn:aws:sts::{ACCOUNT}:assumed-role/fn/sender is not authorized to perform: sqs:SendMessage "
            f"on resource: arn:aws:sqs:us-east-1:{ACCOUNT}:out because no identity-based policy allows the "
            "sqs:SendMessage action") in error["errorMessage"]
    iam.put_role_policy(RoleName="fn", PolicyName="send", PolicyDocument=document(
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": f"arn:aws:sqs:*:{ACCOUNT}:out"}))
    assert json.loads(lam.invoke(FunctionName="sender")["Payload"].read()) == "sent"
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "hi"
