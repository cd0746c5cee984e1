"""User sessions (list, revoke, the per-user limit), machine-to-machine tokens, token exchange,
and the newer settings operations (recovery records, replicas, CIMD policies, limits)."""

from __future__ import annotations

import datetime

import jwt
import pytest
from botocore.exceptions import ClientError

from .conftest import PASSWORD, error_of, needs_operations


def _sign_in(idp, app, username):
    return idp.initiate_auth(ClientId=app["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD})["AuthenticationResult"]


def test_sessions_are_listed_and_revoked(idp, pool, app, make_user, frozen) -> None:
    needs_operations(idp, "ListUserSessions", "AdminRevokeUserSession")
    make_user("kim")
    first = _sign_in(idp, app, "kim")
    frozen.advance(5)
    second = _sign_in(idp, app, "kim")
    sessions = idp.list_user_sessions(AccessToken=second["AccessToken"])["Sessions"]
    assert len(sessions) == 2 and [s["IsCurrentSession"] for s in sessions] == [False, True]
    assert {s["ClientId"] for s in sessions} == {app["ClientId"]}
    first_id = sessions[0]["SessionId"]
    assert first_id.startswith("tkn") and len(first_id) == 28
    idp.admin_revoke_user_session(UserPoolId=pool["Id"], Username="kim", SessionId=first_id)
    with pytest.raises(ClientError) as exc:
        idp.get_user(AccessToken=first["AccessToken"])
    assert error_of(exc) == ("NotAuthorizedException", "Access Token has been revoked")
    assert idp.get_user(AccessToken=second["AccessToken"])["Username"] == "kim"
    assert len(idp.admin_list_user_sessions(UserPoolId=pool["Id"], Username="kim")["Sessions"]) == 1
    with pytest.raises(ClientError) as exc:
        idp.revoke_user_session(AccessToken=second["AccessToken"], SessionId=first_id)
    assert error_of(exc)[0] == "ResourceNotFoundException"


def test_session_tracking_keeps_at_most_max_per_user(idp, pool, app, make_user) -> None:
    needs_operations(idp, "SetUserPoolSessionConfiguration")
    assert idp.get_user_pool_session_configuration(UserPoolId=pool["Id"])["UserSessionTracking"] == "DISABLED"
    idp.set_user_pool_session_configuration(UserPoolId=pool["Id"], UserSessionTracking="ENABLED",
                                            TokenSession={"MaxPerUser": 2})
    make_user("lee")
    oldest = _sign_in(idp, app, "lee")
    _sign_in(idp, app, "lee")
    _sign_in(idp, app, "lee")
    assert len(idp.admin_list_user_sessions(UserPoolId=pool["Id"], Username="lee")["Sessions"]) == 2
    with pytest.raises(ClientError) as exc:
        idp.get_user(AccessToken=oldest["AccessToken"])
    assert error_of(exc)[1] == "Access Token has been revoked"
    config = idp.get_user_pool_client_session_configuration(UserPoolId=pool["Id"], ClientId=app["ClientId"])
    assert config["SSOSession"] == {"MaxValidityMinutes": 60}


def test_client_token_and_token_exchange(idp, pool, make_user) -> None:
    needs_operations(idp, "GetClientToken", "GetDerivedToken")
    idp.create_resource_server(UserPoolId=pool["Id"], Identifier="api", Name="API",
                               Scopes=[{"ScopeName": "read", "ScopeDescription": "r"}])
    machine = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="m2m", GenerateSecret=True,
                                          AllowedOAuthFlows=["client_credentials"], AllowedOAuthScopes=["api/read"],
                                          AllowedOAuthFlowsUserPoolClient=True)["UserPoolClient"]
    answer = idp.get_client_token(ClientId=machine["ClientId"], Secret=machine["ClientSecret"])
    claims = jwt.decode(answer["ClientAuthenticationResult"]["AccessToken"], options={"verify_signature": False})
    assert (claims["sub"], claims["scope"]) == (machine["ClientId"], "api/read")
    with pytest.raises(ClientError) as exc:
        idp.get_client_token(ClientId=machine["ClientId"], Secret="w" * 51)
    assert error_of(exc)[0] == "NotAuthorizedException"

    exchanger = idp.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="x", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH",
                                                                  "ALLOW_TOKEN_EXCHANGE_IMPERSONATION"])["UserPoolClient"]
    make_user("max")
    tokens = _sign_in(idp, exchanger, "max")
    derived = idp.get_derived_token(ClientId=exchanger["ClientId"], SubjectToken=tokens["AccessToken"],
                                    SubjectTokenType="ACCESS_TOKEN", Audiences=["https://orders.example"])
    issued = jwt.decode(derived["IssuedToken"], options={"verify_signature": False})
    assert (issued["sub"], issued["aud"], issued["username"]) == (
        jwt.decode(tokens["AccessToken"], options={"verify_signature": False})["sub"], "https://orders.example", "max")
    assert derived["IssuedTokenType"] == "ACCESS_TOKEN" and derived["TokenType"] == "Bearer"
    with pytest.raises(ClientError) as exc:
        idp.get_derived_token(ClientId=exchanger["ClientId"], SubjectToken="nope", SubjectTokenType="ACCESS_TOKEN")
    assert error_of(exc)[0] == "NotAuthorizedException"


def test_admin_factor_views_and_software_token_removal(idp, pool, app, make_user, frozen) -> None:
    needs_operations(idp, "AdminGetUserAuthFactors", "AdminDeleteSoftwareToken")
    from .test_cognito_mfa import totp

    make_user("ned")
    access = _sign_in(idp, app, "ned")["AccessToken"]
    secret = idp.associate_software_token(AccessToken=access)["SecretCode"]
    idp.verify_software_token(AccessToken=access, UserCode=totp(secret, frozen.now()))
    factors = idp.admin_get_user_auth_factors(UserPoolId=pool["Id"], Username="ned")
    assert factors["ConfiguredUserAuthFactors"] == ["PASSWORD", "SOFTWARE_TOKEN"]
    idp.admin_delete_software_token(UserPoolId=pool["Id"], Username="ned")
    assert idp.admin_get_user_auth_factors(UserPoolId=pool["Id"], Username="ned")["ConfiguredUserAuthFactors"] == ["PASSWORD"]


def test_recovery_replica_cimd_and_limit_settings(idp, pool, app) -> None:
    needs_operations(idp, "InitiatePointInTimeRecovery", "CreateUserPoolReplica", "CreateCIMDPolicy", "GetProvisionedLimit")
    restoration = idp.initiate_point_in_time_recovery(
        UserPoolId=pool["Id"], RestoreTimestamp=datetime.datetime.now(datetime.timezone.utc))["Restoration"]
    assert restoration["RestoreStatus"] == "PREVIEW_GENERATED"
    done = idp.start_point_in_time_recovery(UserPoolId=pool["Id"], RestoreId=restoration["RestoreId"])
    assert done["Restoration"]["RestoreStatus"] == "RESTORE_COMPLETED"
    assert [r["RestoreId"] for r in idp.list_point_in_time_recoveries(UserPoolId=pool["Id"])["Restorations"]] == [
        restoration["RestoreId"]]

    replica = idp.create_user_pool_replica(UserPoolId=pool["Id"], RegionName="eu-west-1")["UserPoolReplica"]
    assert (replica["Role"], replica["UserPoolArn"].split(":")[3]) == ("SECONDARY", "eu-west-1")
    with pytest.raises(ClientError) as exc:
        idp.delete_user_pool_replica(UserPoolId=pool["Id"], RegionName="eu-west-1")
    assert error_of(exc)[0] == "InvalidParameterException"
    idp.update_user_pool_replica(UserPoolId=pool["Id"], RegionName="eu-west-1", Status="INACTIVE")
    idp.delete_user_pool_replica(UserPoolId=pool["Id"], RegionName="eu-west-1")
    assert [r["Role"] for r in idp.list_user_pool_replicas(UserPoolId=pool["Id"])["UserPoolReplicas"]] == ["PRIMARY"]

    policy = idp.create_cimd_policy(UserPoolId=pool["Id"], ClientId=app["ClientId"], PolicyName="p",
                                    URLPatterns=["https://clients.example/*"])["CIMDPolicy"]
    assert idp.describe_cimd_policy(UserPoolId=pool["Id"], CIMDPolicyId=policy["CIMDPolicyId"])["CIMDPolicy"]["PolicyName"] == "p"
    assert idp.list_client_metadata_urls(UserPoolId=pool["Id"], CIMDPolicyId=policy["CIMDPolicyId"])["ClientMetadataURLs"] == []

    definition = {"LimitClass": "API_CATEGORY", "Attributes": {"Category": "UserAuthentication"}}
    assert idp.get_provisioned_limit(LimitDefinition=definition)["Limit"]["ProvisionedLimitValue"] == 120
    idp.update_provisioned_limit(LimitDefinition=definition, RequestedLimitValue=200)
    assert idp.get_provisioned_limit(LimitDefinition=definition)["Limit"]["ProvisionedLimitValue"] == 200
