"""User pools and app clients: what DescribeUserPool/DescribeUserPoolClient answer, custom
attributes, updates (AWS resets what an update leaves out), tags, domains, MFA configuration."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from .conftest import error_of


def test_describe_user_pool_members(idp, pool) -> None:
    described = idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
    assert described["Id"].startswith("us-east-1_") and described["Name"] == "app"
    assert described["Arn"] == f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{pool['Id']}"
    assert described["Policies"]["PasswordPolicy"] == {
        "MinimumLength": 8, "RequireUppercase": True, "RequireLowercase": True, "RequireNumbers": True,
        "RequireSymbols": True, "PasswordHistorySize": 0, "TemporaryPasswordValidityDays": 7}
    assert described["MfaConfiguration"] == "OFF" and described["EstimatedNumberOfUsers"] == 0
    assert described["AdminCreateUserConfig"] == {"AllowAdminCreateUserOnly": False, "UnusedAccountValidityDays": 7}
    assert described["VerificationMessageTemplate"]["DefaultEmailOption"] == "CONFIRM_WITH_CODE"
    names = [a["Name"] for a in described["SchemaAttributes"]]
    assert names[:3] == ["sub", "name", "given_name"] and "custom:tier" in names
    assert described["AutoVerifiedAttributes"] == ["email"]


def test_custom_attributes_and_schema_checks(idp, pool, app) -> None:
    idp.add_custom_attributes(UserPoolId=pool["Id"], CustomAttributes=[
        {"Name": "score", "AttributeDataType": "Number", "Mutable": False}])
    with pytest.raises(ClientError) as exc:
        idp.add_custom_attributes(UserPoolId=pool["Id"], CustomAttributes=[{"Name": "score", "AttributeDataType": "Number"}])
    assert error_of(exc) == ("InvalidParameterException", "Existing attribute already has name custom:score.")
    idp.admin_create_user(UserPoolId=pool["Id"], Username="yan", MessageAction="SUPPRESS",
                          UserAttributes=[{"Name": "custom:score", "Value": "7"}])
    with pytest.raises(ClientError) as exc:
        idp.admin_update_user_attributes(UserPoolId=pool["Id"], Username="yan",
                                         UserAttributes=[{"Name": "custom:score", "Value": "8"}])
    assert error_of(exc)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as exc:
        idp.admin_create_user(UserPoolId=pool["Id"], Username="zed", UserAttributes=[{"Name": "custom:nope", "Value": "1"}])
    assert error_of(exc) == ("InvalidParameterException",
                             "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.\n")


def test_update_user_pool_resets_what_it_leaves_out(idp, pool) -> None:
    idp.update_user_pool(UserPoolId=pool["Id"], Policies={"PasswordPolicy": {"MinimumLength": 12}},
                         UserPoolTags={"team": "auth"})
    described = idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
    assert described["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    assert "AutoVerifiedAttributes" not in described
    assert idp.list_tags_for_resource(ResourceArn=described["Arn"])["Tags"] == {"team": "auth"}
    idp.tag_resource(ResourceArn=described["Arn"], Tags={"env": "test"})
    idp.untag_resource(ResourceArn=described["Arn"], TagKeys=["team"])
    assert idp.list_tags_for_resource(ResourceArn=described["Arn"])["Tags"] == {"env": "test"}


def test_deletion_protection(idp) -> None:
    pool = idp.create_user_pool(PoolName="kept", DeletionProtection="ACTIVE")["UserPool"]
    with pytest.raises(ClientError) as exc:
        idp.delete_user_pool(UserPoolId=pool["Id"])
    assert error_of(exc)[0] == "InvalidParameterException"
    idp.update_user_pool(UserPoolId=pool["Id"], DeletionProtection="INACTIVE")
    idp.delete_user_pool(UserPoolId=pool["Id"])
    assert idp.list_user_pools(MaxResults=10)["UserPools"] == []


def test_app_clients(idp, pool) -> None:
    client = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="svc", GenerateSecret=True,
                                         AccessTokenValidity=5, TokenValidityUnits={"AccessToken": "minutes"},
                                         ReadAttributes=["email"])["UserPoolClient"]
    described = idp.describe_user_pool_client(UserPoolId=pool["Id"], ClientId=client["ClientId"])["UserPoolClient"]
    assert described["ClientSecret"] == client["ClientSecret"]
    assert (described["RefreshTokenValidity"], described["AccessTokenValidity"]) == (30, 5)
    assert described["EnableTokenRevocation"] is True and described["AuthSessionValidity"] == 3
    with pytest.raises(ClientError) as exc:
        idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="bad", AllowedOAuthFlows=["code"],
                                    AllowedOAuthScopes=["orders/read"], CallbackURLs=["https://x.example"],
                                    AllowedOAuthFlowsUserPoolClient=True)
    assert error_of(exc) == ("ScopeDoesNotExistException", "Invalid scope requested: orders/read")
    listed = idp.list_user_pool_clients(UserPoolId=pool["Id"], MaxResults=10)["UserPoolClients"]
    assert [c["ClientName"] for c in listed] == ["svc"]
    idp.delete_user_pool_client(UserPoolId=pool["Id"], ClientId=client["ClientId"])
    with pytest.raises(ClientError) as exc:
        idp.describe_user_pool_client(UserPoolId=pool["Id"], ClientId=client["ClientId"])
    assert error_of(exc) == ("ResourceNotFoundException", f"User pool client {client['ClientId']} does not exist.")


def test_domains_and_mfa_configuration(idp, pool) -> None:
    idp.create_user_pool_domain(UserPoolId=pool["Id"], Domain="my-app")
    other = idp.create_user_pool(PoolName="other")["UserPool"]
    with pytest.raises(ClientError) as exc:
        idp.create_user_pool_domain(UserPoolId=other["Id"], Domain="my-app")
    assert error_of(exc) == ("InvalidParameterException", "Domain already associated with another user pool.")
    described = idp.describe_user_pool_domain(Domain="my-app")["DomainDescription"]
    assert (described["UserPoolId"], described["Status"]) == (pool["Id"], "ACTIVE")
    idp.delete_user_pool_domain(UserPoolId=pool["Id"], Domain="my-app")
    assert idp.describe_user_pool_domain(Domain="my-app")["DomainDescription"] == {}
    answer = idp.set_user_pool_mfa_config(UserPoolId=pool["Id"], MfaConfiguration="OPTIONAL",
                                          SoftwareTokenMfaConfiguration={"Enabled": True})
    assert answer["MfaConfiguration"] == "OPTIONAL"
    assert idp.get_user_pool_mfa_config(UserPoolId=pool["Id"])["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    assert idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]["MfaConfiguration"] == "OPTIONAL"


def test_signing_certificate_is_the_pools_key(idp, pool, aws) -> None:
    import base64

    import requests
    from cryptography import x509

    cert = x509.load_der_x509_certificate(base64.b64decode(idp.get_signing_certificate(UserPoolId=pool["Id"])["Certificate"]))
    jwk = requests.get(f"{aws.endpoint}/{pool['Id']}/.well-known/jwks.json", timeout=5).json()["keys"][0]
    n = int.from_bytes(base64.urlsafe_b64decode(jwk["n"] + "=="), "big")
    assert cert.public_key().public_numbers().n == n
