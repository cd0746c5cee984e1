"""IAM enforcement answers each service's denial in its own words, and reads each service's
resource-based policy (SQS, SNS, KMS, Secrets Manager, IAM trust policies)."""

from __future__ import annotations

import json

from .enforce_helpers import ACCOUNT, OTHER, denied, document, mode_fixture

enforce = mode_fixture("enforce")
NOTHING = document({"Effect": "Allow", "Action": "none:none", "Resource": "*"})


def test_query_and_json_services_answer_their_own_codes(enforce):
    sqs = enforce.root("sqs")
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    topic = enforce.root("sns").create_topic(Name="t")["TopicArn"]
    enforce.root("dynamodb").create_table(
        TableName="tbl", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    nobody = enforce.user("nobody", inline={"nothing": NOTHING})
    user = f"arn:aws:iam::{ACCOUNT}:user/nobody"
    queue = f"arn:aws:sqs:us-east-1:{ACCOUNT}:q"
    assert denied(nobody("sqs").send_message, QueueUrl=url, MessageBody="x") == (
        "AccessDenied", f"User: {user} is not authorized to perform: sqs:SendMessage on resource: {queue} "
                        "because no identity-based policy allows the sqs:SendMessage action", 403)
    assert denied(nobody("sns").publish, TopicArn=topic, Message="x")[::2] == ("AuthorizationError", 403)
    code, message, status = denied(nobody("dynamodb").get_item, TableName="tbl", Key={"pk": {"S": "a"}})
    assert (code, status) == ("AccessDeniedException", 400)
    assert f"dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/tbl" in message
    assert denied(nobody("iam").list_users)[::2] == ("AccessDenied", 403)
    assert denied(nobody("sqs").list_queues)[1] == (
        f"User: {user} is not authorized to perform: sqs:ListQueues "
        "because no identity-based policy allows the sqs:ListQueues action")


def test_batch_operations_are_authorized_as_their_single_action(enforce):
    url = enforce.root("sqs").create_queue(QueueName="q")["QueueUrl"]
    sender = enforce.user("sender", inline={"send": document(
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": f"arn:aws:sqs:*:{ACCOUNT}:q"})})
    out = sender("sqs").send_message_batch(QueueUrl=url, Entries=[{"Id": "1", "MessageBody": "a"}])
    assert [s["Id"] for s in out["Successful"]] == ["1"]


def test_a_queue_policy_lets_another_account_send(enforce):
    sqs = enforce.root("sqs")
    url = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    queue = f"arn:aws:sqs:us-east-1:{ACCOUNT}:inbox"
    writer = enforce.user("writer", account=OTHER, inline={"send": document(
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queue})})
    assert denied(writer("sqs").send_message, QueueUrl=url, MessageBody="x")[1].endswith(
        "because no resource-based policy allows the sqs:SendMessage action")
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": document(
        {"Effect": "Allow", "Principal": {"AWS": OTHER}, "Action": "sqs:SendMessage", "Resource": queue})})
    writer("sqs").send_message(QueueUrl=url, MessageBody="x")
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])[
        "Attributes"]["ApproximateNumberOfMessages"] == "1"


def test_kms_key_policies_must_allow_even_in_the_same_account(enforce):
    kms = enforce.root("kms")
    delegated = kms.create_key()["KeyMetadata"]["KeyId"]  # the default policy delegates to IAM
    own = kms.create_key(Policy=document(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/admin-only"}, "Action": "kms:*",
         "Resource": "*"}))["KeyMetadata"]["KeyId"]
    user = enforce.user("crypto", inline={"kms": document({"Effect": "Allow", "Action": "kms:Encrypt",
                                                           "Resource": "*"})})
    user("kms").encrypt(KeyId=delegated, Plaintext=b"x")
    assert denied(user("kms").encrypt, KeyId=own, Plaintext=b"x")[::2] == ("AccessDeniedException", 400)


def test_kms_encryption_context_conditions(enforce):
    key = enforce.root("kms").create_key()["KeyMetadata"]["KeyId"]
    user = enforce.user("ctx", inline={"kms": document({
        "Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*",
        "Condition": {"StringEquals": {"kms:EncryptionContext:app": "billing"}}})})
    user("kms").encrypt(KeyId=key, Plaintext=b"x", EncryptionContext={"app": "billing"})
    assert denied(user("kms").encrypt, KeyId=key, Plaintext=b"x", EncryptionContext={"app": "other"})[0] == (
        "AccessDeniedException")


def test_secrets_manager_resource_policy_and_resource_tags(enforce):
    sm = enforce.root("secretsmanager")
    arn = sm.create_secret(Name="db", SecretString="pw", Tags=[{"Key": "team", "Value": "blue"}])["ARN"]
    by_tag = document({"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*",
                       "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}})
    iam = enforce.root("iam")
    blue = enforce.user("blue", inline={"tags": by_tag})
    iam.tag_user(UserName="blue", Tags=[{"Key": "team", "Value": "blue"}])
    red = enforce.user("red", inline={"tags": by_tag})
    iam.tag_user(UserName="red", Tags=[{"Key": "team", "Value": "red"}])
    assert blue("secretsmanager").get_secret_value(SecretId="db")["SecretString"] == "pw"
    assert denied(red("secretsmanager").get_secret_value, SecretId="db")[1].endswith(
        "because no identity-based policy allows the secretsmanager:GetSecretValue action")
    sm.put_resource_policy(SecretId="db", ResourcePolicy=document(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/red"},
         "Action": "secretsmanager:GetSecretValue", "Resource": "*"}))
    assert red("secretsmanager").get_secret_value(SecretId=arn)["SecretString"] == "pw"


def test_assume_role_needs_the_trust_policy(enforce):
    iam = enforce.root("iam")
    iam.create_role(RoleName="locked", AssumeRolePolicyDocument=document(
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}))
    caller = enforce.user("caller", inline={"assume": document({"Effect": "Allow", "Action": "sts:AssumeRole",
                                                                "Resource": "*"})})
    code, message, status = denied(caller("sts").assume_role, RoleArn=f"arn:aws:iam::{ACCOUNT}:role/locked",
                                   RoleSessionName="s1")
    assert (code, status) == ("AccessDenied", 403)
    assert message.endswith("because no resource-based policy allows the sts:AssumeRole action")
    assert caller("sts").get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/caller"  # never denied


def test_ec2_answers_an_encoded_message_sts_decodes(enforce):
    nobody = enforce.user("nobody", inline={"nothing": NOTHING})
    code, message, status = denied(nobody("ec2").describe_vpcs)
    assert (code, status) == ("UnauthorizedOperation", 403)
    encoded = message.rsplit("Encoded authorization failure message: ", 1)[1]
    decoded = json.loads(enforce.root("sts").decode_authorization_message(EncodedMessage=encoded)["DecodedMessage"])
    assert decoded["allowed"] is False and decoded["context"]["action"] == "ec2:DescribeVpcs"
    assert decoded["context"]["principal"]["arn"] == f"arn:aws:iam::{ACCOUNT}:user/nobody"


def test_simulator_and_enforcement_agree_on_a_user(enforce):
    enforce.root("s3").create_bucket(Bucket="sim")
    policy = document({"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::sim/in/*"})
    user = enforce.user("sim", inline={"p": policy})
    arn = f"arn:aws:iam::{ACCOUNT}:user/sim"
    iam = enforce.root("iam")
    for key, expected in (("in/a", "allowed"), ("out/a", "implicitDeny")):
        simulated = iam.simulate_principal_policy(PolicySourceArn=arn, ActionNames=["s3:PutObject"],
                                                  ResourceArns=[f"arn:aws:s3:::sim/{key}"])["EvaluationResults"][0]
        assert simulated["EvalDecision"] == expected
        if expected == "allowed":
            user("s3").put_object(Bucket="sim", Key=key, Body=b"x")
        else:
            assert denied(user("s3").put_object, Bucket="sim", Key=key, Body=b"x")[0] == "AccessDenied"


def test_source_ip_and_current_time_conditions_follow_the_gateway(enforce):
    from datetime import datetime, timezone

    url = enforce.root("sqs").create_queue(QueueName="q")["QueueUrl"]
    office_hours = document({
        "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*",
        "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"},
                      "DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}})
    user = enforce.user("office", inline={"hours": office_hours})
    assert denied(user("sqs").send_message, QueueUrl=url, MessageBody="x")[0] == "AccessDenied"  # from 127.0.0.1
    enforce.gateway.iam.source_ip = "203.0.113.9"
    clock = enforce.gateway.clock
    try:
        user("sqs").send_message(QueueUrl=url, MessageBody="x")
        clock.freeze(datetime(2031, 1, 1, tzinfo=timezone.utc))
        assert denied(user("sqs").send_message, QueueUrl=url, MessageBody="x")[0] == "AccessDenied"
    finally:
        enforce.gateway.iam.source_ip = "127.0.0.1"
        clock.reset()


def test_aws_managed_policies_are_listed_with_their_documents(enforce):
    iam = enforce.root("iam")
    names = {p["PolicyName"] for page in iam.get_paginator("list_policies").paginate(Scope="AWS")
             for p in page["Policies"]}
    assert {"AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess", "AmazonS3ReadOnlyAccess",
            "AmazonSQSReadOnlyAccess", "AmazonSNSReadOnlyAccess", "AmazonDynamoDBReadOnlyAccess",
            "AWSLambda_ReadOnlyAccess", "AWSStepFunctionsFullAccess", "AWSStepFunctionsReadOnlyAccess",
            "AWSKeyManagementServicePowerUser", "AWSLambdaSQSQueueExecutionRole", "AWSLambdaDynamoDBExecutionRole",
            "AWSLambdaKinesisExecutionRole", "SecretsManagerReadWrite"} <= names
    version = iam.get_policy_version(PolicyArn="arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
                                     VersionId="v1")["PolicyVersion"]["Document"]
    assert "sqs:ReceiveMessage" in version["Statement"][0]["Action"]
    url = enforce.root("sqs").create_queue(QueueName="q")["QueueUrl"]
    reader = enforce.user("reader", managed=["arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess"])
    assert reader("sqs").list_queues()["QueueUrls"] == [url]
    assert denied(reader("sqs").send_message, QueueUrl=url, MessageBody="x")[0] == "AccessDenied"
