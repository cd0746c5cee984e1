"""A few AWS managed policies (`arn:aws:iam::aws:policy/...`), attachable in every account.

The commonly attached ones, with AWS's documents (the IAM policy engine evaluates them):
attaching any other AWS managed ARN answers `NoSuchEntity`, as attaching an unknown policy does.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from .state import ManagedPolicy, PolicyVersion


def _doc(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=4)


def _allow(actions: list[str] | str, resource: str = "*") -> dict:
    return {"Effect": "Allow", "Action": actions, "Resource": resource}


_LOGS = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
_LAMBDA_LOG_READS = {"Effect": "Allow", "Action": ["logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents",
                                                   "logs:StartLiveTail", "logs:StopLiveTail"],
                     "Resource": "arn:aws:logs:*:*:log-group:/aws/lambda/*"}
_LAMBDA_CONSOLE = ["cloudformation:DescribeStacks", "cloudformation:ListStackResources", "cloudwatch:GetMetricData",
                   "cloudwatch:ListMetrics", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
                   "iam:GetPolicy", "iam:GetPolicyVersion", "iam:GetRole", "iam:GetRolePolicy",
                   "iam:ListAttachedRolePolicies", "iam:ListRolePolicies", "iam:ListRoles", "kms:ListAliases",
                   "logs:DescribeLogGroups", "states:DescribeStateMachine", "states:ListStateMachines",
                   "tag:GetResources", "xray:GetTraceSummaries", "xray:BatchGetTraces"]
_DYNAMODB_READS = ["dynamodb:BatchGetItem", "dynamodb:Describe*", "dynamodb:List*", "dynamodb:GetAbacStatus",
                   "dynamodb:GetItem", "dynamodb:GetResourcePolicy", "dynamodb:Query", "dynamodb:Scan",
                   "dynamodb:PartiQLSelect", "dax:Describe*", "dax:List*", "dax:GetItem", "dax:BatchGetItem",
                   "dax:Query", "dax:Scan", "application-autoscaling:DescribeScalableTargets",
                   "application-autoscaling:DescribeScalingActivities", "application-autoscaling:DescribeScalingPolicies",
                   "cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmsForMetric",
                   "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics", "cloudwatch:GetMetricData",
                   "datapipeline:DescribeObjects", "datapipeline:DescribePipelines", "datapipeline:GetPipelineDefinition",
                   "datapipeline:ListPipelines", "datapipeline:QueryObjects", "ec2:DescribeVpcs", "ec2:DescribeSubnets",
                   "ec2:DescribeSecurityGroups", "iam:GetRole", "iam:ListRoles", "kms:DescribeKey", "kms:ListAliases",
                   "sns:ListSubscriptionsByTopic", "sns:ListTopics", "lambda:ListFunctions",
                   "lambda:ListEventSourceMappings", "lambda:GetFunctionConfiguration", "resource-groups:ListGroups",
                   "resource-groups:ListGroupResources", "resource-groups:GetGroup", "resource-groups:GetGroupQuery",
                   "tag:GetResources", "kinesis:ListStreams", "kinesis:DescribeStream", "kinesis:DescribeStreamSummary"]
_INSIGHTS = {"Action": "cloudwatch:GetInsightRuleReport", "Effect": "Allow",
             "Resource": "arn:aws:cloudwatch:*:*:insight-rule/DynamoDBContributorInsights*"}
# ReadOnlyAccess is AWS's very long read-everything policy: abbreviated here to the read
# actions of the services cloudmock serves as Tier 1 (AWS's own lists, per service).
_READ_ONLY = ["s3:Describe*", "s3:Get*", "s3:List*", "sqs:Get*", "sqs:List*", "sns:Check*", "sns:Get*", "sns:List*",
              "dynamodb:BatchGet*", "dynamodb:Describe*", "dynamodb:Get*", "dynamodb:List*", "dynamodb:PartiQLSelect",
              "dynamodb:Query", "dynamodb:Scan", "lambda:Get*", "lambda:List*", "kms:Describe*", "kms:Get*",
              "kms:List*", "secretsmanager:Describe*", "secretsmanager:GetResourcePolicy", "secretsmanager:List*",
              "ssm:Describe*", "ssm:Get*", "ssm:List*", "iam:Generate*", "iam:Get*", "iam:List*", "iam:Simulate*",
              "logs:Describe*", "logs:FilterLogEvents", "logs:Get*", "logs:List*", "logs:StartQuery",
              "logs:StopQuery", "logs:TestMetricFilter", "events:Describe*", "events:List*", "events:Test*",
              "kinesis:Describe*", "kinesis:Get*", "kinesis:List*", "cloudwatch:Describe*", "cloudwatch:Get*",
              "cloudwatch:List*", "states:Describe*", "states:Get*", "states:List*", "scheduler:Get*",
              "scheduler:List*", "firehose:Describe*", "firehose:List*", "sts:GetCallerIdentity"]

# name -> (path, id, document). The ids of the policies added with IAM enforcement are ours
# (AWS's real policy ids were not at hand); documents are AWS's, as its managed policy
# reference shows them (ReadOnlyAccess abbreviated, see above).
POLICIES: dict[str, tuple[str, str, str]] = {
    "AdministratorAccess": ("/", "ANPAIWMBCKSKIEE64ZLYK", _doc(_allow("*"))),
    "PowerUserAccess": ("/", "ANPAJYRXTHIB4FOVS3ZXS", _doc(
        {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"},
        _allow(["account:GetAccountInformation", "account:GetPrimaryEmail", "account:ListRegions",
                "iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:ListRoles",
                "organizations:DescribeOrganization"]),
    )),
    "ReadOnlyAccess": ("/", "ANPAILL3HVNFSB6DCOWYQ", _doc(_allow(_READ_ONLY))),
    "AmazonS3FullAccess": ("/", "ANPAIFIR6V6BVTRAHWINE", _doc(_allow(["s3:*", "s3-object-lambda:*"]))),
    "AmazonS3ReadOnlyAccess": ("/", "ANPAIZTJ4DXE7G6AGAE6M", _doc(_allow(
        ["s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*", "s3-object-lambda:List*"]))),
    "AmazonSQSFullAccess": ("/", "ANPAI65L554VRJ33ECQS6", _doc(_allow("sqs:*"))),
    "AmazonSQSReadOnlyAccess": ("/", "ANPAIUGSSQY362XGCM6KW", _doc(_allow(
        ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListDeadLetterSourceQueues", "sqs:ListQueues",
         "sqs:ListMessageMoveTasks", "sqs:ListQueueTags"]))),
    "AmazonSNSFullAccess": ("/", "ANPAJWEKLCXXUNT2SOLSG", _doc(
        {"Sid": "SNSFullAccess", "Effect": "Allow", "Action": "sns:*", "Resource": "*"},
        {"Sid": "SMSAccessViaSNS", "Effect": "Allow",
         "Action": ["sms-voice:DescribeVerifiedDestinationNumbers", "sms-voice:CreateVerifiedDestinationNumber",
                    "sms-voice:SendDestinationNumberVerificationCode", "sms-voice:SendTextMessage",
                    "sms-voice:DeleteVerifiedDestinationNumber", "sms-voice:VerifyDestinationNumber",
                    "sms-voice:DescribeAccountAttributes", "sms-voice:DescribeSpendLimits",
                    "sms-voice:DescribePhoneNumbers", "sms-voice:SetTextMessageSpendLimitOverride",
                    "sms-voice:DescribeOptedOutNumbers", "sms-voice:DeleteOptedOutNumber"],
         "Resource": "*", "Condition": {"StringEquals": {"aws:CalledVia": ["sns.amazonaws.com"]}}},
    )),
    "AmazonSNSReadOnlyAccess": ("/", "ANPAIZGQCQTFOFPMHSB6W", _doc(_allow(
        ["sns:GetTopicAttributes", "sns:List*", "sns:CheckIfPhoneNumberIsOptedOut", "sns:GetEndpointAttributes",
         "sns:GetDataProtectionPolicy", "sns:GetPlatformApplicationAttributes", "sns:GetSMSAttributes",
         "sns:GetSMSSandboxAccountStatus", "sns:GetSubscriptionAttributes"]))),
    "AmazonDynamoDBFullAccess": ("/", "ANPAINUGF2JSOSUY76KYA", _doc(
        _allow(["dynamodb:*", "dax:*", "application-autoscaling:DeleteScalingPolicy",
                "application-autoscaling:DeregisterScalableTarget", "application-autoscaling:DescribeScalableTargets",
                "application-autoscaling:DescribeScalingActivities", "application-autoscaling:DescribeScalingPolicies",
                "application-autoscaling:PutScalingPolicy", "application-autoscaling:RegisterScalableTarget",
                "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms",
                "cloudwatch:DescribeAlarmsForMetric", "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics",
                "cloudwatch:PutMetricAlarm", "cloudwatch:GetMetricData", "datapipeline:ActivatePipeline",
                "datapipeline:CreatePipeline", "datapipeline:DeletePipeline", "datapipeline:DescribeObjects",
                "datapipeline:DescribePipelines", "datapipeline:GetPipelineDefinition", "datapipeline:ListPipelines",
                "datapipeline:PutPipelineDefinition", "datapipeline:QueryObjects", "ec2:DescribeVpcs",
                "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "iam:GetRole", "iam:ListRoles",
                "kms:DescribeKey", "kms:ListAliases", "sns:CreateTopic", "sns:DeleteTopic",
                "sns:ListSubscriptions", "sns:ListSubscriptionsByTopic", "sns:ListTopics", "sns:Subscribe",
                "sns:Unsubscribe", "sns:SetTopicAttributes", "lambda:CreateFunction", "lambda:ListFunctions",
                "lambda:ListEventSourceMappings", "lambda:CreateEventSourceMapping", "lambda:DeleteEventSourceMapping",
                "lambda:GetFunctionConfiguration", "lambda:DeleteFunction", "resource-groups:ListGroups",
                "resource-groups:ListGroupResources", "resource-groups:GetGroup", "resource-groups:GetGroupQuery",
                "resource-groups:DeleteGroup", "resource-groups:CreateGroup", "tag:GetResources",
                "kinesis:ListStreams", "kinesis:DescribeStream", "kinesis:DescribeStreamSummary"]),
        _INSIGHTS,
        {"Action": ["iam:PassRole"], "Effect": "Allow", "Resource": "*", "Condition": {"StringLike": {
            "iam:PassedToService": ["application-autoscaling.amazonaws.com",
                                    "application-autoscaling.amazonaws.com.cn", "dax.amazonaws.com"]}}},
        {"Effect": "Allow", "Action": ["iam:CreateServiceLinkedRole"], "Resource": "*", "Condition": {
            "StringEquals": {"iam:AWSServiceName": ["replication.dynamodb.amazonaws.com", "dax.amazonaws.com",
                                                    "dynamodb.application-autoscaling.amazonaws.com",
                                                    "contributorinsights.dynamodb.amazonaws.com",
                                                    "kinesisreplication.dynamodb.amazonaws.com"]}}},
    )),
    "AmazonDynamoDBReadOnlyAccess": ("/", "ANPAIY2XFNA232XJ6J7X2", _doc(_allow(_DYNAMODB_READS), _INSIGHTS)),
    "AWSLambda_FullAccess": ("/", "ANPAZKAPJZG4JE3IO5BKL", _doc(
        _allow([*_LAMBDA_CONSOLE, "lambda:*"]),
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
         "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}},
        _LAMBDA_LOG_READS,
    )),
    "AWSLambda_ReadOnlyAccess": ("/", "ANPAZKAPJZG4MW35THVLF", _doc(
        _allow([*_LAMBDA_CONSOLE, "lambda:Get*", "lambda:List*"]), _LAMBDA_LOG_READS)),
    "AWSStepFunctionsFullAccess": ("/", "ANPAJXKA6VP3UFBVHDPPA", _doc(
        _allow("states:*"),
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::*:role/service-role/StepFunctions*"},
    )),
    "AWSStepFunctionsReadOnlyAccess": ("/", "ANPAJONHB2TJQDJPFW5TM", _doc(_allow(
        ["states:ListStateMachines", "states:ListActivities", "states:DescribeStateMachine",
         "states:DescribeStateMachineForExecution", "states:ListExecutions", "states:DescribeExecution",
         "states:GetExecutionHistory", "states:DescribeActivity", "states:ListMapRuns", "states:DescribeMapRun",
         "states:ListTagsForResource", "states:ListStateMachineVersions", "states:ListStateMachineAliases",
         "states:DescribeStateMachineAlias"]))),
    "AWSKeyManagementServicePowerUser": ("/", "ANPAJNPP7PPPPMJRV2SA4", _doc(_allow(
        ["kms:CreateAlias", "kms:CreateKey", "kms:DeleteAlias", "kms:Describe*", "kms:GenerateRandom", "kms:Get*",
         "kms:List*", "kms:TagResource", "kms:UntagResource", "iam:ListGroups", "iam:ListRoles", "iam:ListUsers"]))),
    "AWSLambdaBasicExecutionRole": ("/service-role/", "ANPAJNCQGXC42545SKXIK", _doc(_allow(_LOGS))),
    "AWSLambdaSQSQueueExecutionRole": ("/service-role/", "ANPAJFWJZI6JNND4TSELK", _doc(_allow(
        ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", *_LOGS]))),
    "AWSLambdaDynamoDBExecutionRole": ("/service-role/", "ANPAIP7WNAGMIPYNW4WQG", _doc(_allow(
        ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams",
         *_LOGS]))),
    "AWSLambdaKinesisExecutionRole": ("/service-role/", "ANPAJHOLKJPXV4GBRMJUQ", _doc(_allow(
        ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator",
         "kinesis:ListShards", "kinesis:ListStreams", "kinesis:SubscribeToShard", *_LOGS]))),
    "SecretsManagerReadWrite": ("/", "ANPAJTVL5T7BR5UOS4ZHM", _doc(
        {"Sid": "BasePermissions", "Effect": "Allow", "Resource": "*",
         "Action": ["secretsmanager:*", "cloudformation:CreateChangeSet", "cloudformation:DescribeChangeSet",
                    "cloudformation:DescribeStackResource", "cloudformation:DescribeStacks",
                    "cloudformation:ExecuteChangeSet", "docdb-elastic:GetCluster", "docdb-elastic:ListClusters",
                    "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "kms:DescribeKey",
                    "kms:ListAliases", "kms:ListKeys", "lambda:ListFunctions", "rds:DescribeDBClusters",
                    "rds:DescribeDBInstances", "redshift:DescribeClusters", "redshift-serverless:ListWorkgroups",
                    "redshift-serverless:GetNamespace", "tag:GetResources"]},
        {"Sid": "LambdaPermissions", "Effect": "Allow",
         "Action": ["lambda:AddPermission", "lambda:CreateFunction", "lambda:GetFunction", "lambda:InvokeFunction",
                    "lambda:UpdateFunctionConfiguration"],
         "Resource": "arn:aws:lambda:*:*:function:SecretsManager*"},
        {"Sid": "SARPermissions", "Effect": "Allow",
         "Action": ["serverlessrepo:CreateCloudFormationChangeSet", "serverlessrepo:GetApplication"],
         "Resource": "arn:aws:serverlessrepo:*:*:applications/SecretsManager*"},
        {"Sid": "S3Permissions", "Effect": "Allow", "Action": ["s3:GetObject"],
         "Resource": ["arn:aws:s3:::awsserverlessrepo-changesets*", "arn:aws:s3:::secrets-manager-rotation-apps-*/*"]},
    )),
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
