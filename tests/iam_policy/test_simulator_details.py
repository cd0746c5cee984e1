"""What the simulator says besides the decision: matched statements with their positions,
missing context values, the boundary's say, the cross-account details."""

from __future__ import annotations

import json

POLICY = ('{\n "Version": "2012-10-17",\n "Statement": [\n'
          '  {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},\n'
          '  {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*",\n'
          '   "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}\n ]\n}')


def test_matched_statements_and_missing_context(client):
    iam = client("iam")
    [allowed, denied] = iam.simulate_custom_policy(
        PolicyInputList=[POLICY], ActionNames=["s3:GetObject", "s3:DeleteObject"],
        ResourceArns=["arn:aws:s3:::b/k"])["EvaluationResults"]
    assert allowed["EvalDecision"] == "allowed"
    assert allowed["MatchedStatements"] == [{
        "SourcePolicyId": "PolicyInputList.1", "SourcePolicyType": "IAM Policy",
        "StartPosition": {"Line": 4, "Column": 3}, "EndPosition": {"Line": 4, "Column": 57}}]
    assert denied["EvalDecision"] == "allowed"  # the deny's key is absent: its condition does not hold
    assert denied["MissingContextValues"] == ["aws:MultiFactorAuthPresent"]
    [mfa_off] = iam.simulate_custom_policy(
        PolicyInputList=[POLICY], ActionNames=["s3:DeleteObject"], ResourceArns=["arn:aws:s3:::b/k"],
        ContextEntries=[{"ContextKeyName": "aws:MultiFactorAuthPresent", "ContextKeyValues": ["false"],
                         "ContextKeyType": "boolean"}])["EvaluationResults"]
    assert mfa_off["EvalDecision"] == "explicitDeny"
    assert mfa_off["MatchedStatements"][0]["StartPosition"] == {"Line": 5, "Column": 3}


def test_boundary_and_cross_account_details(client):
    iam = client("iam")
    allow_all = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*",
                                                                    "Resource": "*"}]})
    only_sqs = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:*",
                                                                   "Resource": "*"}]})
    [limited] = iam.simulate_custom_policy(PolicyInputList=[allow_all], PermissionsBoundaryPolicyInputList=[only_sqs],
                                           ActionNames=["s3:GetObject"])["EvaluationResults"]
    assert limited["EvalDecision"] == "implicitDeny"
    assert limited["PermissionsBoundaryDecisionDetail"] == {"AllowedByPermissionsBoundary": False}
    caller = "arn:aws:iam::111111111111:user/alice"
    bucket_policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": caller}, "Action": "s3:GetObject", "Resource": "*"}]})
    [cross] = iam.simulate_custom_policy(
        PolicyInputList=[allow_all], ActionNames=["s3:GetObject"], ResourceArns=["arn:aws:s3:::theirs/k"],
        ResourcePolicy=bucket_policy, ResourceOwner="arn:aws:iam::222222222222:root", CallerArn=caller,
    )["EvaluationResults"]
    assert cross["EvalDecision"] == "allowed"
    assert cross["EvalDecisionDetails"] == {"IAM Policy": "allowed", "Resource Policy": "allowed"}
