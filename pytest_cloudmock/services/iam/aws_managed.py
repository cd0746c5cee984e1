"""A few AWS managed policies (`arn:aws:iam::aws:policy/...`), attachable in every account.

Only a small, commonly used subset: attaching any other AWS managed ARN answers
`NoSuchEntity`, as attaching an unknown policy does.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from .state import ManagedPolicy, PolicyVersion


def _doc(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=4)


def _allow(actions: list[str] | str, resource: str = "*") -> dict:
    return {"Effect": "Allow", "Action": actions, "Resource": resource}


# name -> (path, id, document)
POLICIES: dict[str, tuple[str, str, str]] = {
    "AdministratorAccess": ("/", "ANPAIWMBCKSKIEE64ZLYK", _doc(_allow("*"))),
    "PowerUserAccess": ("/", "ANPAJYRXTHIB4FOVS3ZXS", _doc(
        {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"},
        _allow(["iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:ListRoles",
                "organizations:DescribeOrganization", "account:ListRegions"]),
    )),
    "ReadOnlyAccess": ("/", "ANPAILL3HVNFSB6DCOWYQ", _doc(
        _allow(["*:Describe*", "*:Get*", "*:List*", "*:BatchGet*"]))),
    "AmazonS3FullAccess": ("/", "ANPAIFIR6V6BVTRAHWINE", _doc(_allow(["s3:*", "s3-object-lambda:*"]))),
    "AmazonS3ReadOnlyAccess": ("/", "ANPAIZTJ4DXE7G6AGAE6M", _doc(_allow(
        ["s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*", "s3-object-lambda:List*"]))),
    "AmazonSQSFullAccess": ("/", "ANPAI65L554VRJ33ECQS6", _doc(_allow("sqs:*"))),
    "AmazonSNSFullAccess": ("/", "ANPAJWEKLCXXUNT2SOLSG", _doc(_allow("sns:*"))),
    "AmazonDynamoDBFullAccess": ("/", "ANPAINUGF2JSOSUY76KYA", _doc(_allow("dynamodb:*"))),
    "AWSLambdaBasicExecutionRole": ("/service-role/", "ANPAJNCQGXC42545SKXIK", _doc(_allow(
        ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]))),
    "AWSLambda_FullAccess": ("/", "ANPAZKAPJZG4JE3IO5BKL", _doc(_allow(["lambda:*", "logs:*"]))),
    "CloudWatchLogsFullAccess": ("/", "ANPAJ3ZGNWK2R5HW5BQFO", _doc(_allow("logs:*"))),
}
_CREATED = datetime(2015, 2, 6, 18, 39, 46, tzinfo=timezone.utc)


def arn_of(name: str, partition: str = "aws") -> str:
    path = POLICIES[name][0]
    return f"arn:{partition}:iam::aws:policy{path}{name}"


def lookup(arn: str) -> ManagedPolicy | None:
    """A fresh copy of the AWS managed policy with this ARN, or None."""
    if ":iam::aws:policy/" not in arn:
        return None
    name = arn.rsplit("/", 1)[-1]
    entry = POLICIES.get(name)
    if entry is None or arn.split(":iam::aws:policy", 1)[1] != entry[0] + name:
        return None
    path, policy_id, document = entry
    return ManagedPolicy(
        name=name, path=path, id=policy_id, arn=arn, created=_CREATED, updated=_CREATED,
        versions={"v1": PolicyVersion("v1", document, created=_CREATED)}, default_version="v1", next_version=2,
    )


def all_arns(partition: str = "aws") -> list[str]:
    return [arn_of(name, partition) for name in POLICIES]
