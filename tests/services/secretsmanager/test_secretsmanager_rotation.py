"""Rotation through a Lambda: the four steps run, stages move, failures leave AWSPENDING."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..aws_errors import error_of

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:rotate"


def rotation_function(sm: Any, steps: list[str], fail_at: str | None = None):
    """The standard four-step rotation function (AWS's template), over boto3."""

    def handler(event: dict[str, Any]) -> None:
        arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
        steps.append(step)
        if step == fail_at:
            raise RuntimeError(f"{step} failed")
        if step == "createSecret":
            sm.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")
            try:
                sm.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
            except ClientError:
                password = sm.get_random_password(ExcludePunctuation=True)["RandomPassword"]
                sm.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=password,
                                    VersionStages=["AWSPENDING"])
        elif step == "testSecret":
            sm.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        elif step == "finishSecret":
            versions = sm.describe_secret(SecretId=arn)["VersionIdsToStages"]
            current = next(v for v, stages in versions.items() if "AWSCURRENT" in stages)
            if current != token:
                sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token,
                                               RemoveFromVersionId=current)

    return handler


def test_rotation_runs_all_four_steps_and_moves_stages(aws, sm, python_lambda):
    steps: list[str] = []
    python_lambda.functions["rotate"] = rotation_function(sm, steps)
    first = sm.create_secret(Name="db", SecretString="old")["VersionId"]
    out = sm.rotate_secret(SecretId="db", RotationLambdaARN=FUNCTION, RotationRules={"AutomaticallyAfterDays": 30})
    aws.settle()
    assert steps == ["createSecret", "setSecret", "testSecret", "finishSecret"]
    assert {e["ClientRequestToken"] for _, e in python_lambda.calls} == {out["VersionId"]}
    described = sm.describe_secret(SecretId="db")
    assert described["VersionIdsToStages"] == {first: ["AWSPREVIOUS"], out["VersionId"]: ["AWSCURRENT"]}
    assert described["RotationEnabled"] and described["RotationLambdaARN"] == FUNCTION
    assert "LastRotatedDate" in described and "NextRotationDate" in described
    assert sm.get_secret_value(SecretId="db")["SecretString"] != "old"


def test_failed_step_leaves_pending_and_blocks_the_next_rotation(aws, sm, python_lambda):
    steps: list[str] = []
    python_lambda.functions["rotate"] = rotation_function(sm, steps, fail_at="testSecret")
    sm.create_secret(Name="db", SecretString="old")
    token = sm.rotate_secret(SecretId="db", RotationLambdaARN=FUNCTION)["VersionId"]
    aws.settle()
    assert steps == ["createSecret", "setSecret", "testSecret"]
    assert sm.get_secret_value(SecretId="db")["SecretString"] == "old"
    assert sm.get_secret_value(SecretId="db", VersionStage="AWSPENDING")["VersionId"] == token
    code, _ = error_of(sm.rotate_secret, SecretId="db")
    assert code == "InvalidRequestException"
    python_lambda.functions["rotate"] = rotation_function(sm, steps)
    sm.rotate_secret(SecretId="db", ClientRequestToken=token)  # retrying the same rotation
    aws.settle()
    assert sm.get_secret_value(SecretId="db")["VersionId"] == token


def test_scheduled_rotation_on_the_gateway_clock(aws, sm, python_lambda, frozen):
    steps: list[str] = []
    python_lambda.functions["rotate"] = rotation_function(sm, steps)
    sm.create_secret(Name="db", SecretString="old")
    sm.rotate_secret(SecretId="db", RotationLambdaARN=FUNCTION, RotationRules={"ScheduleExpression": "rate(10 days)"},
                     RotateImmediately=False)
    sm.describe_secret(SecretId="db")
    aws.settle()
    assert steps == []
    frozen.advance(days=10)
    sm.describe_secret(SecretId="db")
    aws.settle()
    assert steps == ["createSecret", "setSecret", "testSecret", "finishSecret"]


def test_rotation_needs_a_function(sm):
    sm.create_secret(Name="db", SecretString="old")
    assert error_of(sm.rotate_secret, SecretId="db") == (
        "InvalidRequestException", "No Lambda rotation function ARN is associated with this secret.")
    sm.cancel_rotate_secret(SecretId="db")
    assert not sm.describe_secret(SecretId="db")["RotationEnabled"]


ROTATION_SOURCE = '''
import boto3

sm = boto3.client("secretsmanager")  # no endpoint: the function's environment points at the gateway


def handler(event, context):
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    if step == "createSecret":
        sm.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")
        try:
            sm.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        except sm.exceptions.ResourceNotFoundException:
            password = sm.get_random_password(ExcludePunctuation=True)["RandomPassword"]
            sm.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=password,
                                VersionStages=["AWSPENDING"])
    elif step == "testSecret":
        sm.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
    elif step == "finishSecret":
        versions = sm.describe_secret(SecretId=arn)["VersionIdsToStages"]
        current = next(v for v, stages in versions.items() if "AWSCURRENT" in stages)
        if current != token:
            sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT",
                                           MoveToVersionId=token, RemoveFromVersionId=current)
'''


def test_rotation_through_a_real_lambda_function(aws, sm, client):
    """AWS's four-step rotation template, deployed as a zip to our Lambda and run in its own
    process, calling Secrets Manager back through boto3 with no endpoint in its code."""
    from pytest_cloudmock import lambda_zip

    function = client("lambda").create_function(
        FunctionName="rotator", Runtime="python3.12", Role="arn:aws:iam::123456789012:role/rotation",
        Handler="lambda_function.handler", Code={"ZipFile": lambda_zip(ROTATION_SOURCE)}, Timeout=30,
    )["FunctionArn"]
    first = sm.create_secret(Name="db", SecretString="old")["VersionId"]
    out = sm.rotate_secret(SecretId="db", RotationLambdaARN=function, RotationRules={"AutomaticallyAfterDays": 30})
    aws.settle(60)
    steps = [i.payload["Step"] for i in aws.registry.get("lambda").invocations("rotator")]
    assert steps == ["createSecret", "setSecret", "testSecret", "finishSecret"]
    described = sm.describe_secret(SecretId="db")
    assert described["VersionIdsToStages"] == {first: ["AWSPREVIOUS"], out["VersionId"]: ["AWSCURRENT"]}
    assert sm.get_secret_value(SecretId="db")["SecretString"] != "old"
