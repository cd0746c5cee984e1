"""Cognito identity pools (`cognito-identity`): a user pool sign-in exchanged for an identity and
AWS credentials of the pool's role (issued by our STS, accepted by the gateway), unauthenticated
identities, token-based role mapping, and every operation answered."""

from __future__ import annotations

import boto3
import jwt
import pytest
from botocore.exceptions import ClientError

from pytest_cloudmock.services.cognito_identity import CognitoIdentityService

from ..every_operation import call_every_operation
from ..service_fuzz import fuzz
from .conftest import PASSWORD, error_of

AUTH_ROLE = "arn:aws:iam::123456789012:role/cognito-auth"
UNAUTH_ROLE = "arn:aws:iam::123456789012:role/cognito-unauth"


@pytest.fixture
def identity(client):
    return client("cognito-identity")


def _caller(aws, creds) -> str:
    """Who the gateway takes these credentials for."""
    sts = boto3.client("sts", endpoint_url=aws.endpoint, region_name="us-east-1", aws_access_key_id=creds["AccessKeyId"],
                       aws_secret_access_key=creds["SecretKey"], aws_session_token=creds["SessionToken"])
    return sts.get_caller_identity()["Arn"]


def _signed_in(idp, pool, app, make_user, name="ada"):
    make_user(name)
    return idp.initiate_auth(ClientId=app["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": name, "PASSWORD": PASSWORD})["AuthenticationResult"]


def _identity_pool(identity, pool, app, **extra):
    provider = f"cognito-idp.us-east-1.amazonaws.com/{pool['Id']}"
    created = identity.create_identity_pool(
        IdentityPoolName="app_identities", AllowUnauthenticatedIdentities=True,
        CognitoIdentityProviders=[{"ProviderName": provider, "ClientId": app["ClientId"]}], **extra)
    identity.set_identity_pool_roles(IdentityPoolId=created["IdentityPoolId"],
                                     Roles={"authenticated": AUTH_ROLE, "unauthenticated": UNAUTH_ROLE})
    return created["IdentityPoolId"], provider


def test_user_pool_sign_in_to_aws_credentials(aws, idp, identity, pool, app, make_user) -> None:
    tokens = _signed_in(idp, pool, app, make_user)
    pool_id, provider = _identity_pool(identity, pool, app)
    logins = {provider: tokens["IdToken"]}
    identity_id = identity.get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
    assert identity_id.startswith("us-east-1:")
    assert identity.get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"] == identity_id  # same user, same id

    token = identity.get_open_id_token(IdentityId=identity_id, Logins=logins)["Token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["sub"], claims["aud"], claims["iss"]) == (identity_id, pool_id, "https://cognito-identity.amazonaws.com")
    assert claims["amr"] == ["authenticated", provider]

    creds = identity.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")
    assert _caller(aws, creds) == "arn:aws:sts::123456789012:assumed-role/cognito-auth/CognitoIdentityCredentials"
    described = identity.describe_identity(IdentityId=identity_id)
    assert described["Logins"] == [provider]

    with pytest.raises(ClientError) as exc:  # an identity with logins needs them
        identity.get_credentials_for_identity(IdentityId=identity_id)
    assert error_of(exc)[0] == "NotAuthorizedException"
    with pytest.raises(ClientError) as exc:
        identity.get_id(IdentityPoolId=pool_id, Logins={"accounts.google.com": "x"})
    assert error_of(exc) == ("NotAuthorizedException", "Token is not from a supported provider of this identity pool.")


def test_unauthenticated_identities_and_token_role_mapping(aws, idp, identity, pool, app, make_user) -> None:
    idp.create_group(UserPoolId=pool["Id"], GroupName="editors", Precedence=1,
                     RoleArn="arn:aws:iam::123456789012:role/editor")
    tokens_user = "bea"
    make_user(tokens_user)
    idp.admin_add_user_to_group(UserPoolId=pool["Id"], Username=tokens_user, GroupName="editors")
    tokens = idp.initiate_auth(ClientId=app["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                               AuthParameters={"USERNAME": tokens_user, "PASSWORD": PASSWORD})["AuthenticationResult"]
    pool_id, provider = _identity_pool(identity, pool, app)
    identity.set_identity_pool_roles(IdentityPoolId=pool_id, Roles={"authenticated": AUTH_ROLE, "unauthenticated": UNAUTH_ROLE},
                                     RoleMappings={provider: {"Type": "Token", "AmbiguousRoleResolution": "AuthenticatedRole"}})
    logins = {provider: tokens["IdToken"]}
    identity_id = identity.get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
    creds = identity.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)["Credentials"]
    assert _caller(aws, creds) == "arn:aws:sts::123456789012:assumed-role/editor/CognitoIdentityCredentials"

    guest = identity.get_id(IdentityPoolId=pool_id)["IdentityId"]
    assert guest != identity_id
    guest_creds = identity.get_credentials_for_identity(IdentityId=guest)["Credentials"]
    assert _caller(aws, guest_creds) == "arn:aws:sts::123456789012:assumed-role/cognito-unauth/CognitoIdentityCredentials"
    identity.update_identity_pool(IdentityPoolId=pool_id, IdentityPoolName="app_identities",
                                  AllowUnauthenticatedIdentities=False)
    with pytest.raises(ClientError) as exc:
        identity.get_id(IdentityPoolId=pool_id)
    assert error_of(exc) == ("NotAuthorizedException", "Unauthenticated access is not supported for this identity pool.")
    listed = identity.list_identities(IdentityPoolId=pool_id, MaxResults=10)["Identities"]
    assert {i["IdentityId"] for i in listed} == {identity_id, guest}


def test_every_identity_operation_answers(identity, idp, pool, app) -> None:
    _identity_pool(identity, pool, app)
    assert call_every_operation(identity, seed=5, rounds=2) == []


@pytest.mark.parametrize("seed", range(2))
def test_random_identity_calls_never_crash(seed: int) -> None:
    assert fuzz(CognitoIdentityService(), rounds=15, seed=seed) == []


def test_developer_identities(identity) -> None:
    pool_id = identity.create_identity_pool(IdentityPoolName="dev", AllowUnauthenticatedIdentities=False,
                                            DeveloperProviderName="login.example")["IdentityPoolId"]
    first = identity.get_open_id_token_for_developer_identity(IdentityPoolId=pool_id, Logins={"login.example": "u-1"},
                                                              TokenDuration=900)
    claims = jwt.decode(first["Token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 900 and claims["amr"] == ["authenticated", "login.example"]
    second = identity.get_open_id_token_for_developer_identity(IdentityPoolId=pool_id, Logins={"login.example": "u-2"})
    assert identity.lookup_developer_identity(IdentityPoolId=pool_id, DeveloperUserIdentifier="u-1")["IdentityId"] == \
        first["IdentityId"]
    merged = identity.merge_developer_identities(SourceUserIdentifier="u-2", DestinationUserIdentifier="u-1",
                                                 DeveloperProviderName="login.example", IdentityPoolId=pool_id)
    assert merged["IdentityId"] == first["IdentityId"]
    with pytest.raises(ClientError) as exc:
        identity.describe_identity(IdentityId=second["IdentityId"])
    assert error_of(exc)[0] == "ResourceNotFoundException"
    identity.unlink_developer_identity(IdentityId=first["IdentityId"], IdentityPoolId=pool_id,
                                       DeveloperProviderName="login.example", DeveloperUserIdentifier="u-1")
    assert identity.describe_identity(IdentityId=first["IdentityId"])["Logins"] == []
