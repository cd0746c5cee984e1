"""The properties each resource type's schema marks `required`, checked before a provider runs.

From AWS's published resource schemas (the `required` list of each type's registry schema);
tests/services/cloudformation/test_provider_validation.py checks the table against the
schemas cfn-lint ships. A type not listed here has no required property or is not checked.
"""

from __future__ import annotations

REQUIRED: dict[str, tuple[str, ...]] = {
    "AWS::ApiGateway::Resource": ("ParentId", "PathPart", "RestApiId"),
    "AWS::ApiGateway::Method": ("RestApiId", "ResourceId", "HttpMethod"),
    "AWS::ApiGateway::Deployment": ("RestApiId",),
    "AWS::ApiGateway::Stage": ("RestApiId",),
    "AWS::ApiGateway::Authorizer": ("RestApiId", "Type", "Name"),
    "AWS::ApiGateway::Model": ("RestApiId",),
    "AWS::ApiGateway::RequestValidator": ("RestApiId",),
    "AWS::ApiGateway::GatewayResponse": ("ResponseType", "RestApiId"),
    "AWS::ApiGateway::UsagePlanKey": ("KeyType", "UsagePlanId", "KeyId"),
    "AWS::ApiGateway::BasePathMapping": ("DomainName",),
    "AWS::ApiGatewayV2::Route": ("RouteKey", "ApiId"),
    "AWS::ApiGatewayV2::Integration": ("ApiId", "IntegrationType"),
    "AWS::ApiGatewayV2::IntegrationResponse": ("ApiId", "IntegrationId", "IntegrationResponseKey"),
    "AWS::ApiGatewayV2::RouteResponse": ("RouteResponseKey", "RouteId", "ApiId"),
    "AWS::ApiGatewayV2::Deployment": ("ApiId",),
    "AWS::ApiGatewayV2::Authorizer": ("AuthorizerType", "ApiId", "Name"),
    "AWS::ApiGatewayV2::Model": ("ApiId", "Schema", "Name"),
    "AWS::ApiGatewayV2::ApiMapping": ("DomainName", "Stage", "ApiId"),
    "AWS::ApiGatewayV2::Stage": ("StageName", "ApiId"),
    "AWS::ApiGatewayV2::DomainName": ("DomainName",),
    "AWS::Cognito::UserPoolClient": ("UserPoolId",),
    "AWS::Cognito::UserPoolDomain": ("UserPoolId", "Domain"),
    "AWS::Cognito::UserPoolGroup": ("UserPoolId",),
    "AWS::Cognito::UserPoolUser": ("UserPoolId",),
    "AWS::Cognito::UserPoolResourceServer": ("UserPoolId", "Identifier", "Name"),
    "AWS::Cognito::UserPoolUserToGroupAttachment": ("UserPoolId", "Username", "GroupName"),
    "AWS::Cognito::IdentityPool": ("AllowUnauthenticatedIdentities",),
    "AWS::Cognito::IdentityPoolRoleAttachment": ("IdentityPoolId",),
    "AWS::SES::EmailIdentity": ("EmailIdentity",),
    "AWS::SES::ConfigurationSetEventDestination": ("ConfigurationSetName", "EventDestination"),
    "AWS::SES::ReceiptRule": ("Rule", "RuleSetName"),
    "AWS::SES::ReceiptFilter": ("Filter",),
    "AWS::EC2::Subnet": ("VpcId",),
    "AWS::EC2::VPCGatewayAttachment": ("VpcId",),
    "AWS::EC2::RouteTable": ("VpcId",),
    "AWS::EC2::Route": ("RouteTableId",),
    "AWS::EC2::SubnetRouteTableAssociation": ("RouteTableId", "SubnetId"),
    "AWS::EC2::SecurityGroup": ("GroupDescription",),
    "AWS::EC2::SecurityGroupIngress": ("IpProtocol",),
    "AWS::EC2::SecurityGroupEgress": ("IpProtocol", "GroupId"),
    "AWS::EC2::KeyPair": ("KeyName",),
}
