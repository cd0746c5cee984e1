"""CloudFormation resource providers: one per resource type, found by `provider_for`.

Each provider module is imported only when a template first asks for one of its types.
Types not served by a Tier 1 provider fall back to the generic provider of the stub
catalog (`stub.py`) when the catalog declares the resource.
"""

from __future__ import annotations

import importlib
import threading

from .base import Created, ProviderContext, ResourceProvider

__all__ = ["Created", "ProviderContext", "ResourceProvider", "provider_for", "supported_types"]

#: type name -> (module in this package, class name)
PROVIDERS: dict[str, tuple[str, str]] = {
    "AWS::S3::Bucket": ("s3", "BucketProvider"),
    "AWS::S3::BucketPolicy": ("s3", "BucketPolicyProvider"),
    "AWS::SQS::Queue": ("sqs", "QueueProvider"),
    "AWS::SQS::QueuePolicy": ("sqs", "QueuePolicyProvider"),
    "AWS::SNS::Topic": ("sns", "TopicProvider"),
    "AWS::SNS::Subscription": ("sns", "SubscriptionProvider"),
    "AWS::SNS::TopicPolicy": ("sns", "TopicPolicyProvider"),
    "AWS::DynamoDB::Table": ("dynamodb", "TableProvider"),
    "AWS::Lambda::Function": ("lambda_", "FunctionProvider"),
    "AWS::Lambda::Version": ("lambda_", "VersionProvider"),
    "AWS::Lambda::Alias": ("lambda_", "AliasProvider"),
    "AWS::Lambda::Permission": ("lambda_", "PermissionProvider"),
    "AWS::Lambda::EventSourceMapping": ("lambda_", "EventSourceMappingProvider"),
    "AWS::Lambda::LayerVersion": ("lambda_", "LayerVersionProvider"),
    "AWS::Lambda::Url": ("lambda_", "UrlProvider"),
    "AWS::IAM::Role": ("iam", "RoleProvider"),
    "AWS::IAM::Policy": ("iam", "PolicyProvider"),
    "AWS::IAM::ManagedPolicy": ("iam", "ManagedPolicyProvider"),
    "AWS::IAM::User": ("iam", "UserProvider"),
    "AWS::IAM::Group": ("iam", "GroupProvider"),
    "AWS::IAM::InstanceProfile": ("iam", "InstanceProfileProvider"),
    "AWS::IAM::AccessKey": ("iam", "AccessKeyProvider"),
    "AWS::KMS::Key": ("kms", "KeyProvider"),
    "AWS::KMS::Alias": ("kms", "AliasProvider"),
    "AWS::SecretsManager::Secret": ("secretsmanager", "SecretProvider"),
    "AWS::SSM::Parameter": ("ssm", "ParameterProvider"),
    "AWS::Events::Rule": ("events", "RuleProvider"),
    "AWS::Events::EventBus": ("events", "EventBusProvider"),
    "AWS::Scheduler::Schedule": ("scheduler", "ScheduleProvider"),
    "AWS::Scheduler::ScheduleGroup": ("scheduler", "ScheduleGroupProvider"),
    "AWS::StepFunctions::StateMachine": ("stepfunctions", "StateMachineProvider"),
    "AWS::Kinesis::Stream": ("kinesis", "StreamProvider"),
    "AWS::KinesisFirehose::DeliveryStream": ("firehose", "DeliveryStreamProvider"),
    "AWS::Logs::LogGroup": ("logs", "LogGroupProvider"),
    "AWS::CloudWatch::Alarm": ("cloudwatch", "AlarmProvider"),
    "AWS::ApiGateway::RestApi": ("apigateway", "RestApiProvider"),
    "AWS::ApiGateway::Resource": ("apigateway", "ResourceProvider"),
    "AWS::ApiGateway::Method": ("apigateway", "MethodProvider"),
    "AWS::ApiGateway::Deployment": ("apigateway", "DeploymentProvider"),
    "AWS::ApiGateway::Stage": ("apigateway", "StageProvider"),
    "AWS::ApiGateway::Authorizer": ("apigateway", "AuthorizerProvider"),
    "AWS::ApiGateway::Model": ("apigateway", "ModelProvider"),
    "AWS::ApiGateway::RequestValidator": ("apigateway", "RequestValidatorProvider"),
    "AWS::ApiGateway::ApiKey": ("apigateway", "ApiKeyProvider"),
    "AWS::ApiGateway::UsagePlan": ("apigateway", "UsagePlanProvider"),
    "AWS::ApiGateway::UsagePlanKey": ("apigateway", "UsagePlanKeyProvider"),
    "AWS::ApiGateway::GatewayResponse": ("apigateway", "GatewayResponseProvider"),
    "AWS::ApiGateway::BasePathMapping": ("apigateway", "BasePathMappingProvider"),
    "AWS::ApiGateway::DomainName": ("apigateway", "DomainNameProvider"),
    "AWS::ApiGateway::Account": ("apigateway", "AccountProvider"),
    "AWS::ApiGatewayV2::Api": ("apigatewayv2", "ApiProvider"),
    "AWS::ApiGatewayV2::Route": ("apigatewayv2", "RouteProvider"),
    "AWS::ApiGatewayV2::Integration": ("apigatewayv2", "IntegrationProvider"),
    "AWS::ApiGatewayV2::IntegrationResponse": ("apigatewayv2", "IntegrationResponseProvider"),
    "AWS::ApiGatewayV2::RouteResponse": ("apigatewayv2", "RouteResponseProvider"),
    "AWS::ApiGatewayV2::Stage": ("apigatewayv2", "StageProvider"),
    "AWS::ApiGatewayV2::Deployment": ("apigatewayv2", "DeploymentProvider"),
    "AWS::ApiGatewayV2::Authorizer": ("apigatewayv2", "AuthorizerProvider"),
    "AWS::ApiGatewayV2::Model": ("apigatewayv2", "ModelProvider"),
    "AWS::ApiGatewayV2::DomainName": ("apigatewayv2", "DomainNameProvider"),
    "AWS::ApiGatewayV2::ApiMapping": ("apigatewayv2", "ApiMappingProvider"),
    "AWS::Cognito::UserPool": ("cognito", "UserPoolProvider"),
    "AWS::Cognito::UserPoolClient": ("cognito", "UserPoolClientProvider"),
    "AWS::Cognito::UserPoolDomain": ("cognito", "UserPoolDomainProvider"),
    "AWS::Cognito::UserPoolGroup": ("cognito", "UserPoolGroupProvider"),
    "AWS::Cognito::UserPoolUser": ("cognito", "UserPoolUserProvider"),
    "AWS::Cognito::UserPoolResourceServer": ("cognito", "UserPoolResourceServerProvider"),
    "AWS::Cognito::UserPoolUserToGroupAttachment": ("cognito", "UserPoolUserToGroupAttachmentProvider"),
    "AWS::Cognito::IdentityPool": ("cognito", "IdentityPoolProvider"),
    "AWS::Cognito::IdentityPoolRoleAttachment": ("cognito", "IdentityPoolRoleAttachmentProvider"),
    "AWS::SES::EmailIdentity": ("ses", "EmailIdentityProvider"),
    "AWS::SES::ConfigurationSet": ("ses", "ConfigurationSetProvider"),
    "AWS::SES::ConfigurationSetEventDestination": ("ses", "ConfigurationSetEventDestinationProvider"),
    "AWS::SES::Template": ("ses", "TemplateProvider"),
    "AWS::SES::ContactList": ("ses", "ContactListProvider"),
    "AWS::SES::ReceiptRuleSet": ("ses", "ReceiptRuleSetProvider"),
    "AWS::SES::ReceiptRule": ("ses", "ReceiptRuleProvider"),
    "AWS::SES::ReceiptFilter": ("ses", "ReceiptFilterProvider"),
    "AWS::SES::DedicatedIpPool": ("ses", "DedicatedIpPoolProvider"),
    "AWS::SES::VdmAttributes": ("ses", "VdmAttributesProvider"),
    "AWS::EC2::VPC": ("ec2", "VPCProvider"),
    "AWS::EC2::Subnet": ("ec2", "SubnetProvider"),
    "AWS::EC2::InternetGateway": ("ec2", "InternetGatewayProvider"),
    "AWS::EC2::VPCGatewayAttachment": ("ec2", "VPCGatewayAttachmentProvider"),
    "AWS::EC2::RouteTable": ("ec2", "RouteTableProvider"),
    "AWS::EC2::Route": ("ec2", "RouteProvider"),
    "AWS::EC2::SubnetRouteTableAssociation": ("ec2", "SubnetRouteTableAssociationProvider"),
    "AWS::EC2::NatGateway": ("ec2", "NatGatewayProvider"),
    "AWS::EC2::EIP": ("ec2", "EIPProvider"),
    "AWS::EC2::SecurityGroup": ("ec2", "SecurityGroupProvider"),
    "AWS::EC2::SecurityGroupIngress": ("ec2", "SecurityGroupIngressProvider"),
    "AWS::EC2::SecurityGroupEgress": ("ec2", "SecurityGroupEgressProvider"),
    "AWS::EC2::KeyPair": ("ec2", "KeyPairProvider"),
    "AWS::EC2::Instance": ("ec2", "InstanceProvider"),
    "AWS::EC2::Volume": ("ec2", "VolumeProvider"),
}

_made: dict[str, ResourceProvider] = {}
_lock = threading.Lock()


def provider_for(type_name: str) -> ResourceProvider | None:
    """The provider of `type_name` (`AWS::SQS::Queue`), or None when no provider serves it."""
    found = _made.get(type_name)
    if found is not None:
        return found
    with _lock:
        if type_name not in _made:
            made = _make(type_name)
            if made is None:
                return None
            _made[type_name] = made
        return _made[type_name]


def _make(type_name: str) -> ResourceProvider | None:
    entry = PROVIDERS.get(type_name)
    if entry is not None:
        module = importlib.import_module(f"{__name__}.{entry[0]}")
        return getattr(module, entry[1])()
    from .stub import StubProvider, stub_target

    target = stub_target(type_name)
    return StubProvider(type_name, *target) if target else None


def supported_types() -> list[str]:
    """The types with a Tier 1 provider (stub-catalog types are found on demand)."""
    return sorted(PROVIDERS)
