"""The SAM transform (`AWS::Serverless-2016-10-31`): serverless resources into plain ones.

`AWS::Serverless::Function` (with its role, events and `AutoPublishAlias`), `Api`, `HttpApi`,
`SimpleTable`, `LayerVersion` and `StateMachine` become the resources SAM generates,
with SAM's logical ids (`<Function>Role`, `<Function><Event>`, `<Function><Event>Permission`,
`ServerlessRestApi`, `ServerlessHttpApi`, ...), so templates that `!GetAtt MyFunctionRole.Arn` keep working.
`Globals` are merged into each resource first.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import TYPE_CHECKING, Any

from . import errors

if TYPE_CHECKING:
    from ...api import RequestContext

_BASIC = "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
_EVENT_POLICIES = {
    "SQS": "AWSLambdaSQSQueueExecutionRole", "Kinesis": "AWSLambdaKinesisExecutionRole",
    "DynamoDB": "AWSLambdaDynamoDBExecutionRole",
}
_FUNCTION_PROPERTIES = ("Handler", "Runtime", "MemorySize", "Timeout", "Environment", "Layers", "Description",
                        "FunctionName", "Architectures", "TracingConfig", "VpcConfig", "ReservedConcurrentExecutions",
                        "EphemeralStorage", "KmsKeyArn", "PackageType", "ImageConfig", "FileSystemConfigs",
                        "LoggingConfig", "RecursiveLoop", "SnapStart", "RuntimeManagementConfig")
_POLICY_TEMPLATES: dict[str, tuple[list[str], str]] = {
    # template name -> (actions, resource pattern over the template's parameter)
    "SQSPollerPolicy": (["sqs:ChangeMessageVisibility", "sqs:ChangeMessageVisibilityBatch", "sqs:DeleteMessage",
                         "sqs:DeleteMessageBatch", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
                        "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}"),
    "SQSSendMessagePolicy": (["sqs:SendMessage*"], "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}"),
    "S3ReadPolicy": (["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion"],
                     "arn:${AWS::Partition}:s3:::${BucketName}*"),
    "S3CrudPolicy": (["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion", "s3:PutObject",
                      "s3:PutObjectAcl", "s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration",
                      "s3:DeleteObject"], "arn:${AWS::Partition}:s3:::${BucketName}*"),
    "S3WritePolicy": (["s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration"],
                      "arn:${AWS::Partition}:s3:::${BucketName}*"),
    "DynamoDBCrudPolicy": (["dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:Scan",
                            "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem",
                            "dynamodb:BatchGetItem", "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem"],
                           "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}*"),
    "DynamoDBReadPolicy": (["dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem",
                            "dynamodb:DescribeTable"],
                           "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}*"),
    "DynamoDBWritePolicy": (["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"],
                            "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}"),
    "SNSPublishMessagePolicy": (["sns:Publish"], "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${TopicName}"),
    "LambdaInvokePolicy": (["lambda:InvokeFunction"],
                           "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${FunctionName}*"),
    "SSMParameterReadPolicy": (["ssm:DescribeParameters", "ssm:GetParameters", "ssm:GetParameter",
                                "ssm:GetParametersByPath"],
                               "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${ParameterName}"),
    "AWSSecretsManagerGetSecretValuePolicy": (["secretsmanager:GetSecretValue"], "${SecretArn}"),
    "EventBridgePutEventsPolicy": (["events:PutEvents"],
                                   "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/${EventBusName}"),
    "StepFunctionsExecutionPolicy": (["states:StartExecution"],
                                     "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${StateMachineName}"),
}


class SamError(Exception):
    def __init__(self, logical_id: str, message: str) -> None:
        super().__init__(message)
        self.logical_id, self.message = logical_id, message


def expand_sam(ctx: RequestContext, template: dict[str, Any]) -> dict[str, Any]:
    """The processed template; SAM's "Invalid Serverless Application Specification document" on errors."""
    try:
        return _Expansion(template).run()
    except SamError as exc:
        raise errors.validation(
            "Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification "
            f"document. Number of errors found: 1. Resource with id [{exc.logical_id}] is invalid. {exc.message}"
        ) from None


class _Expansion:
    def __init__(self, template: dict[str, Any]) -> None:
        self.source = copy.deepcopy(template)
        self.globals = self.source.pop("Globals", None) or {}
        self.resources: dict[str, Any] = {}
        self.implicit_api: dict[str, Any] | None = None  # path -> method -> function for ServerlessRestApi
        self.api_paths: dict[str, dict[str, Any]] = {}  # explicit Serverless::Api id -> swagger paths
        self.implicit_http_api: dict[str, Any] | None = None  # OpenAPI paths for ServerlessHttpApi
        self.http_api_paths: dict[str, dict[str, Any]] = {}  # explicit Serverless::HttpApi id -> paths

    def run(self) -> dict[str, Any]:
        source = self.source.get("Resources") or {}
        for logical_id, resource in source.items():  # APIs first: events name them wherever they stand
            kind = resource.get("Type") if isinstance(resource, dict) else None
            if kind == "AWS::Serverless::Api":
                self.api_paths[logical_id] = {}
            elif kind == "AWS::Serverless::HttpApi":
                self.http_api_paths[logical_id] = {}
        for logical_id, resource in source.items():
            if not isinstance(resource, dict):
                continue
            kind = resource.get("Type")
            if kind == "AWS::Serverless::Function":
                self.function(logical_id, resource)
            elif kind == "AWS::Serverless::SimpleTable":
                self.simple_table(logical_id, resource)
            elif kind == "AWS::Serverless::LayerVersion":
                self.layer(logical_id, resource)
            elif kind == "AWS::Serverless::StateMachine":
                self.state_machine(logical_id, resource)
            elif kind in ("AWS::Serverless::Api", "AWS::Serverless::HttpApi"):
                pass  # expanded below, once every event has added its paths
            else:
                self.resources.setdefault(logical_id, resource)
        for logical_id, resource in source.items():
            if isinstance(resource, dict) and resource.get("Type") == "AWS::Serverless::Api":
                self.api(logical_id, self._merged(resource, "Api"))
            if isinstance(resource, dict) and resource.get("Type") == "AWS::Serverless::HttpApi":
                self.http_api(logical_id, self._merged(resource, "HttpApi"), self.http_api_paths[logical_id])
        if self.implicit_api is not None:
            self.rest_api("ServerlessRestApi", {"StageName": "Prod"}, self.implicit_api)
        if self.implicit_http_api is not None:
            self.http_api("ServerlessHttpApi", self.globals.get("HttpApi") or {}, self.implicit_http_api)
        out = {k: v for k, v in self.source.items() if k != "Resources"}
        out["Resources"] = self.resources
        return out

    # -- helpers ---------------------------------------------------------------------------
    def _merged(self, resource: dict[str, Any], section: str) -> dict[str, Any]:
        props = dict(resource.get("Properties") or {})
        for key, value in (self.globals.get(section) or {}).items():
            if key not in props:
                props[key] = copy.deepcopy(value)
            elif isinstance(value, dict) and isinstance(props[key], dict):
                props[key] = {**value, **props[key]}
                if key == "Environment":
                    props[key]["Variables"] = {**(value.get("Variables") or {}), **(props[key].get("Variables") or {})}
            elif isinstance(value, list) and isinstance(props[key], list):
                props[key] = value + props[key]
        return props

    def _add(self, logical_id: str, type_name: str, properties: dict[str, Any], source: dict[str, Any] | None = None,
             **extra: Any) -> None:
        resource: dict[str, Any] = {"Type": type_name, "Properties": properties}
        for key in ("Condition", "DependsOn", "DeletionPolicy", "UpdateReplacePolicy", "Metadata"):
            if source is not None and key in source and key not in extra:
                resource[key] = source[key]
        resource.update(extra)
        self.resources[logical_id] = resource

    @staticmethod
    def _code(logical_id: str, props: dict[str, Any], uri_key: str, inline_key: str | None) -> dict[str, Any]:
        if inline_key and props.get(inline_key) is not None:
            return {"ZipFile": props[inline_key]}
        uri = props.get(uri_key)
        if isinstance(uri, str) and uri.startswith("s3://"):
            bucket, _, key = uri[5:].partition("/")
            return {"S3Bucket": bucket, "S3Key": key}
        if isinstance(uri, dict) and "Bucket" in uri:
            code = {"S3Bucket": uri["Bucket"], "S3Key": uri["Key"]}
            if "Version" in uri:
                code["S3ObjectVersion"] = uri["Version"]
            return code
        if props.get("ImageUri"):
            return {"ImageUri": props["ImageUri"]}
        raise SamError(logical_id, f"'{uri_key}' is not a valid S3 Uri of the form 's3://bucket/key' with "
                                   "optional versionId query parameter.")

    # -- functions --------------------------------------------------------------------------
    def function(self, logical_id: str, resource: dict[str, Any]) -> None:
        props = self._merged(resource, "Function")
        function: dict[str, Any] = {k: props[k] for k in _FUNCTION_PROPERTIES if k in props}
        if "Tracing" in props:
            function["TracingConfig"] = {"Mode": props["Tracing"]}
        if "DeadLetterQueue" in props:
            function["DeadLetterConfig"] = {"TargetArn": props["DeadLetterQueue"].get("TargetArn")}
        function["Code"] = self._code(logical_id, props, "CodeUri", "InlineCode")
        if "ImageUri" in function["Code"]:
            function["PackageType"] = "Image"
        tags = {"lambda:createdBy": "SAM", **(props.get("Tags") or {})}
        function["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
        events = props.get("Events") or {}
        if props.get("Role"):
            function["Role"] = props["Role"]
        else:
            role_id = f"{logical_id}Role"
            self.role(role_id, logical_id, props, events, resource)
            function["Role"] = {"Fn::GetAtt": [role_id, "Arn"]}
        self._add(logical_id, "AWS::Lambda::Function", function, resource)
        target: dict[str, Any] = {"Ref": logical_id}
        alias = props.get("AutoPublishAlias")
        if alias:
            digest = hashlib.sha256(json.dumps(function, sort_keys=True, default=str).encode()).hexdigest()[:10]
            version_id = f"{logical_id}Version{digest}"
            self._add(version_id, "AWS::Lambda::Version", {"FunctionName": {"Ref": logical_id}},
                      DeletionPolicy="Retain")
            self._add(f"{logical_id}Alias{alias}", "AWS::Lambda::Alias", {
                "Name": alias, "FunctionName": {"Ref": logical_id},
                "FunctionVersion": {"Fn::GetAtt": [version_id, "Version"]}})
            target = {"Ref": f"{logical_id}Alias{alias}"}
        for event_name, event in events.items():
            self.event(logical_id, event_name, event or {}, target, resource)

    def role(self, role_id: str, function_id: str, props: dict[str, Any], events: dict[str, Any],
             source: dict[str, Any]) -> None:
        managed: list[Any] = [{"Fn::Sub": _BASIC}]
        for event in events.values():
            name = _EVENT_POLICIES.get((event or {}).get("Type", ""))
            if name:
                arn = {"Fn::Sub": f"arn:${{AWS::Partition}}:iam::aws:policy/service-role/{name}"}
                if arn not in managed:
                    managed.append(arn)
        inline = []
        policies = props.get("Policies") or []
        for index, policy in enumerate(policies if isinstance(policies, list) else [policies]):
            if isinstance(policy, str):
                managed.append(policy if policy.startswith("arn:") else
                               {"Fn::Sub": f"arn:${{AWS::Partition}}:iam::aws:policy/{policy}"})
            elif isinstance(policy, dict) and "Statement" in policy:
                inline.append({"PolicyName": f"{role_id}Policy{index}", "PolicyDocument": policy})
            elif isinstance(policy, dict) and len(policy) == 1:
                (name, parameters), = policy.items()
                inline.append({"PolicyName": f"{role_id}Policy{index}",
                               "PolicyDocument": self.policy_template(function_id, name, parameters or {})})
            else:
                managed.append(policy)  # an intrinsic naming a managed policy ARN
        role: dict[str, Any] = {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"Service": ["lambda.amazonaws.com"]}}]},
            "ManagedPolicyArns": managed,
            "Tags": [{"Key": "lambda:createdBy", "Value": "SAM"}],
        }
        if inline:
            role["Policies"] = inline
        if props.get("PermissionsBoundary"):
            role["PermissionsBoundary"] = props["PermissionsBoundary"]
        self._add(role_id, "AWS::IAM::Role", role, source, DependsOn=None)
        self.resources[role_id].pop("DependsOn", None)

    def policy_template(self, function_id: str, name: str, parameters: dict[str, Any]) -> dict[str, Any]:
        found = _POLICY_TEMPLATES.get(name)
        if found is None:
            raise SamError(function_id, f"Invalid value for 'Policies' property: policy template '{name}' is not "
                                        "supported by cloudmock")  # SAM knows more templates than cloudmock
        actions, resource = found
        variables = {k: v for k, v in parameters.items()} if isinstance(parameters, dict) else {}
        return {"Statement": [{"Effect": "Allow", "Action": actions,
                               "Resource": {"Fn::Sub": [resource, variables]} if variables else {"Fn::Sub": resource}}]}

    def event(self, function_id: str, name: str, event: dict[str, Any], target: dict[str, Any],
              source: dict[str, Any]) -> None:
        kind, props = event.get("Type"), dict(event.get("Properties") or {})
        function_arn = {"Fn::GetAtt": [function_id, "Arn"]} if target == {"Ref": function_id} else target
        event_id = f"{function_id}{name}"
        if kind in ("SQS", "Kinesis", "DynamoDB", "MSK", "MQ"):
            mapping: dict[str, Any] = {"FunctionName": target,
                                       "EventSourceArn": props.get("Queue") or props.get("Stream") or props.get("Broker")}
            for key in ("BatchSize", "Enabled", "MaximumBatchingWindowInSeconds", "FilterCriteria",
                        "FunctionResponseTypes", "ScalingConfig", "StartingPosition", "StartingPositionTimestamp",
                        "ParallelizationFactor", "MaximumRetryAttempts", "BisectBatchOnFunctionError",
                        "MaximumRecordAgeInSeconds", "DestinationConfig", "TumblingWindowInSeconds"):
                if key in props:
                    mapping[key] = props[key]
            self._add(event_id, "AWS::Lambda::EventSourceMapping", mapping, None,
                      **({"Condition": source["Condition"]} if "Condition" in source else {}))
        elif kind == "S3":
            bucket_id = (props.get("Bucket") or {}).get("Ref") if isinstance(props.get("Bucket"), dict) else None
            bucket = self.resources.get(bucket_id or "") or (self.source.get("Resources") or {}).get(bucket_id or "")
            if bucket is None or bucket.get("Type") != "AWS::S3::Bucket":
                raise SamError(function_id, f"Event with id [{name}] is invalid. S3 events must reference an "
                                            "AWS::S3::Bucket in the same template.")
            permission = f"{event_id}Permission"
            self._permission(permission, function_arn, "s3.amazonaws.com", None, source_account=True)
            events = props.get("Events")
            notification = bucket.setdefault("Properties", {}).setdefault("NotificationConfiguration", {})
            for item in [events] if isinstance(events, str) else events or []:
                entry = {"Event": item, "Function": function_arn}
                if "Filter" in props:
                    entry["Filter"] = props["Filter"]
                notification.setdefault("LambdaConfigurations", []).append(entry)
            depends = bucket.get("DependsOn") or []
            bucket["DependsOn"] = ([depends] if isinstance(depends, str) else list(depends)) + [permission]
        elif kind == "SNS":
            subscription = {"Endpoint": function_arn, "Protocol": "lambda", "TopicArn": props.get("Topic")}
            for key in ("FilterPolicy", "FilterPolicyScope", "RedrivePolicy"):
                if key in props:
                    subscription[key] = props[key]
            if "Region" in props:
                subscription["Region"] = props["Region"]
            self._add(event_id, "AWS::SNS::Subscription", subscription)
            self._permission(f"{event_id}Permission", function_arn, "sns.amazonaws.com", props.get("Topic"))
        elif kind in ("Schedule", "ScheduleV2", "CloudWatchEvent", "EventBridgeRule"):
            if kind == "ScheduleV2":
                raise SamError(function_id, f"Event with id [{name}] is invalid. ScheduleV2 is not supported by "
                                            "cloudmock's SAM transform.")
            rule: dict[str, Any] = {"Targets": [{"Arn": function_arn, "Id": f"{event_id}LambdaTarget"}]}
            if kind == "Schedule":
                rule["ScheduleExpression"] = props.get("Schedule")
                enabled = props.get("Enabled", True)
                rule["State"] = props.get("State") or ("ENABLED" if enabled in (True, "true", "True") else "DISABLED")
            else:
                rule["EventPattern"] = props.get("Pattern")
                if props.get("EventBusName"):
                    rule["EventBusName"] = props["EventBusName"]
            for key in ("Name", "Description"):
                if key in props:
                    rule[key] = props[key]
            if "Input" in props:
                rule["Targets"][0]["Input"] = props["Input"]
            self._add(event_id, "AWS::Events::Rule", rule)
            self._permission(f"{event_id}Permission", function_arn, "events.amazonaws.com",
                             {"Fn::GetAtt": [event_id, "Arn"]})
        elif kind == "Api":
            path, method = props.get("Path"), str(props.get("Method", "")).lower()
            if not path or not method:
                raise SamError(function_id, f"Event with id [{name}] is invalid. Event is missing key 'Path' or "
                                            "'Method'.")
            api_id, paths = self._event_api(function_id, name, props.get("RestApiId"), "RestApiId",
                                            "AWS::Serverless::Api", "ServerlessRestApi")
            verb = "x-amazon-apigateway-any-method" if method == "any" else method  # SAM's key for ANY
            paths.setdefault(path, {})[verb] = _integration(function_arn)
            source_arn = {"Fn::Sub": ["arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:"
                                      "${__ApiId__}/*/" + ("*" if method == "any" else method.upper()) + "/" +
                                      str(path).lstrip("/"), {"__ApiId__": {"Ref": api_id}}]}
            self._permission(f"{event_id}PermissionProd", function_arn, "apigateway.amazonaws.com", source_arn)
        elif kind == "HttpApi":
            self.http_event(function_id, name, props, function_arn)
        else:
            raise SamError(function_id, f"Event with id [{name}] is invalid. Event type '{kind}' is not supported by "
                                        "cloudmock's SAM transform.")

    def _event_api(self, function_id: str, name: str, api: Any, key: str, api_type: str,
                   implicit_id: str) -> tuple[str, dict[str, Any]]:
        """The API an `Api`/`HttpApi` event adds its route to, and that API's OpenAPI paths: the
        one its `RestApiId`/`ApiId` names, else the implicit `ServerlessRestApi`/`ServerlessHttpApi`."""
        api_id = api.get("Ref") if isinstance(api, dict) else api
        rest = api_type == "AWS::Serverless::Api"
        if api_id:
            known = self.api_paths if rest else self.http_api_paths
            if api_id not in known:
                raise SamError(function_id, f"Event with id [{name}] is invalid. {key} must be a valid reference to "
                                            f"an '{api_type}' resource in same template.")
            return api_id, known[api_id]
        if rest:
            self.implicit_api = paths = self.implicit_api if self.implicit_api is not None else {}
        else:
            self.implicit_http_api = paths = self.implicit_http_api if self.implicit_http_api is not None else {}
        return implicit_id, paths

    def http_event(self, function_id: str, name: str, props: dict[str, Any], function_arn: Any) -> None:
        """An `HttpApi` event: a route of the implicit `ServerlessHttpApi` or of the `ApiId` named."""
        api_id, paths = self._event_api(function_id, name, props.get("ApiId"), "ApiId", "AWS::Serverless::HttpApi",
                                        "ServerlessHttpApi")
        method = str(props.get("Method") or "ANY").lower()
        path = str(props.get("Path") or "$default")
        verb = "x-amazon-apigateway-any-method" if method in ("any", "x-amazon-apigateway-any-method") else method
        integration = _integration(function_arn)
        integration["x-amazon-apigateway-integration"]["payloadFormatVersion"] = str(
            props.get("PayloadFormatVersion", "2.0"))
        paths.setdefault(path, {})[verb] = integration
        route = "*" if path == "$default" else ("*" if verb.startswith("x-") else method.upper()) + path
        source_arn = {"Fn::Sub": ["arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/*/"
                                  + route.lstrip("/"), {"__ApiId__": {"Ref": api_id}}]}
        self._permission(f"{function_id}{name}Permission", function_arn, "apigateway.amazonaws.com", source_arn)

    def http_api(self, logical_id: str, props: dict[str, Any], paths: dict[str, Any]) -> None:
        """`AWS::ApiGatewayV2::Api` from the OpenAPI body, with its auto-deployed stage."""
        body = _with_paths(props.get("DefinitionBody"), paths) or {
            "openapi": "3.0.1", "info": {"version": "1.0", "title": {"Ref": "AWS::StackName"}}, "paths": paths}
        api: dict[str, Any] = {"Body": body}
        for key in ("Description", "FailOnWarnings", "DisableExecuteApiEndpoint", "CorsConfiguration"):
            if key in props:
                api[key] = props[key]
        api["Tags"] = {"httpapi:createdBy": "SAM", **(props.get("Tags") or {})}
        self._add(logical_id, "AWS::ApiGatewayV2::Api", api)
        stage = str(props.get("StageName", "$default"))
        stage_props: dict[str, Any] = {"ApiId": {"Ref": logical_id}, "StageName": stage, "AutoDeploy": True}
        if "StageVariables" in props:
            stage_props["StageVariables"] = props["StageVariables"]
        suffix = "ApiGatewayDefaultStage" if stage == "$default" else "".join(c for c in stage if c.isalnum()) + "Stage"
        self._add(f"{logical_id}{suffix}", "AWS::ApiGatewayV2::Stage", stage_props)

    def _permission(self, logical_id: str, function: Any, principal: str, source_arn: Any,
                    source_account: bool = False) -> None:
        props: dict[str, Any] = {"Action": "lambda:InvokeFunction", "FunctionName": function, "Principal": principal}
        if source_arn is not None:
            props["SourceArn"] = source_arn
        if source_account:
            props["SourceAccount"] = {"Ref": "AWS::AccountId"}
        self._add(logical_id, "AWS::Lambda::Permission", props)

    # -- other serverless resources ---------------------------------------------------------
    def api(self, logical_id: str, props: dict[str, Any]) -> None:
        self.rest_api(logical_id, props, self.api_paths.get(logical_id, {}))

    def rest_api(self, logical_id: str, props: dict[str, Any], paths: dict[str, Any]) -> None:
        body = _with_paths(props.get("DefinitionBody"), paths) or {
            "swagger": "2.0", "info": {"version": "1.0", "title": {"Ref": "AWS::StackName"}}, "paths": paths}
        api: dict[str, Any] = {"Body": body}
        for key in ("Name", "Description", "BinaryMediaTypes", "MinimumCompressionSize", "Tags"):
            if key in props:
                api[key] = props[key] if key != "Tags" else [{"Key": k, "Value": v} for k, v in props[key].items()]
        if "EndpointConfiguration" in props:
            config = props["EndpointConfiguration"]
            api["EndpointConfiguration"] = {"Types": [config if isinstance(config, str) else config.get("Type")]}
        self._add(logical_id, "AWS::ApiGateway::RestApi", api)
        digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()[:10]
        deployment = f"{logical_id}Deployment{digest}"
        self._add(deployment, "AWS::ApiGateway::Deployment", {"RestApiId": {"Ref": logical_id},
                                                              "Description": f"RestApi deployment id: {digest}"})
        stage = str(props.get("StageName", "Prod"))
        stage_props: dict[str, Any] = {"RestApiId": {"Ref": logical_id}, "DeploymentId": {"Ref": deployment},
                                       "StageName": stage}
        if "Variables" in props:
            stage_props["Variables"] = props["Variables"]
        self._add(f"{logical_id}{stage.replace('-', '')}Stage", "AWS::ApiGateway::Stage", stage_props)

    def simple_table(self, logical_id: str, resource: dict[str, Any]) -> None:
        props = self._merged(resource, "SimpleTable")
        key = props.get("PrimaryKey") or {"Name": "id", "Type": "String"}
        kind = {"String": "S", "Number": "N", "Binary": "B"}.get(str(key.get("Type")))
        if kind is None:
            raise SamError(logical_id, "Type of the PrimaryKey must be one of String, Number or Binary.")
        table: dict[str, Any] = {"AttributeDefinitions": [{"AttributeName": key["Name"], "AttributeType": kind}],
                                 "KeySchema": [{"AttributeName": key["Name"], "KeyType": "HASH"}]}
        if props.get("ProvisionedThroughput"):
            table["ProvisionedThroughput"] = props["ProvisionedThroughput"]
        else:
            table["BillingMode"] = "PAY_PER_REQUEST"
        for name in ("TableName", "SSESpecification", "PointInTimeRecoverySpecification"):
            if name in props:
                table[name] = props[name]
        if props.get("Tags"):
            table["Tags"] = [{"Key": k, "Value": v} for k, v in props["Tags"].items()]
        self._add(logical_id, "AWS::DynamoDB::Table", table, resource)

    def layer(self, logical_id: str, resource: dict[str, Any]) -> None:
        props = self._merged(resource, "LayerVersion")
        code = self._code(logical_id, props, "ContentUri", None)
        layer: dict[str, Any] = {"Content": code}
        for name in ("LayerName", "Description", "CompatibleRuntimes", "CompatibleArchitectures", "LicenseInfo"):
            if name in props:
                layer[name] = props[name]
        if "LayerName" not in layer:
            layer["LayerName"] = logical_id
        # SAM suffixes the id with a hash of the content; cloudmock keeps the id so `!Ref` needs no rewrite.
        self._add(logical_id, "AWS::Lambda::LayerVersion", layer, resource,
                  DeletionPolicy=props.get("RetentionPolicy", "Retain") if "RetentionPolicy" in props else "Retain")

    def state_machine(self, logical_id: str, resource: dict[str, Any]) -> None:
        props = self._merged(resource, "StateMachine")
        machine: dict[str, Any] = {}
        if "Definition" in props:
            machine["Definition"] = props["Definition"]
        if "DefinitionUri" in props:
            machine["DefinitionS3Location"] = self._code(logical_id, props, "DefinitionUri", None)
        if "DefinitionSubstitutions" in props:
            machine["DefinitionSubstitutions"] = props["DefinitionSubstitutions"]
        for name in ("Name", "Type", "Logging", "Tracing"):
            if name in props:
                machine["StateMachineName" if name == "Name" else "StateMachineType" if name == "Type" else
                        f"{name}Configuration"] = props[name]
        if props.get("Role"):
            machine["RoleArn"] = props["Role"]
        else:
            role_id = f"{logical_id}Role"
            self._add(role_id, "AWS::IAM::Role", {
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"Service": ["states.amazonaws.com"]}}]},
                "ManagedPolicyArns": [p for p in props.get("Policies") or [] if isinstance(p, str)],
                "Tags": [{"Key": "stateMachine:createdBy", "Value": "SAM"}]})
            machine["RoleArn"] = {"Fn::GetAtt": [role_id, "Arn"]}
        self._add(logical_id, "AWS::StepFunctions::StateMachine", machine, resource)


def _with_paths(body: Any, paths: dict[str, Any]) -> Any:
    """A `DefinitionBody` with the events' methods merged in (as SAM does); methods the body
    defines itself are kept."""
    if not isinstance(body, dict) or not paths:
        return body
    merged = copy.deepcopy(body)
    for path, methods in paths.items():
        existing = merged.setdefault("paths", {}).setdefault(path, {})
        for method, operation in methods.items():
            existing.setdefault(method, operation)
    return merged


def _integration(function_arn: Any) -> dict[str, Any]:
    uri = {"Fn::Sub": ["arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
                       "${__Function__}/invocations", {"__Function__": function_arn}]}
    return {"x-amazon-apigateway-integration": {"httpMethod": "POST", "type": "aws_proxy", "uri": uri},
            "responses": {}}
