"""Sign-in rules: SECRET_HASH, aliases, user existence errors, temporary password expiry,
which flows which operation takes, attribute verification codes."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from botocore.exceptions import ClientError

from .conftest import PASSWORD, error_of


def secret_hash(username: str, client: dict) -> str:
    digest = hmac.new(client["ClientSecret"].encode(), (username + client["ClientId"]).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def test_secret_hash_is_checked(idp, pool, make_user) -> None:
    make_user("abe")
    client = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="s", GenerateSecret=True,
                                         ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]
    params = {"USERNAME": "abe", "PASSWORD": PASSWORD}
    with pytest.raises(ClientError) as exc:
        idp.initiate_auth(ClientId=client["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                          AuthParameters={**params, "SECRET_HASH": secret_hash("someone", client)})
    assert error_of(exc) == ("NotAuthorizedException", f"Unable to verify secret hash for client {client['ClientId']}")
    tokens = idp.initiate_auth(ClientId=client["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                               AuthParameters={**params, "SECRET_HASH": secret_hash("abe", client)})["AuthenticationResult"]
    refreshed = idp.initiate_auth(ClientId=client["ClientId"], AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={
        "REFRESH_TOKEN": tokens["RefreshToken"], "SECRET_HASH": secret_hash("abe", client)})
    assert "AccessToken" in refreshed["AuthenticationResult"]


def test_aliases_and_user_existence_errors(idp) -> None:
    pool = idp.create_user_pool(PoolName="aliases", AliasAttributes=["email", "preferred_username"],
                                UsernameConfiguration={"CaseSensitive": False})["UserPool"]
    client = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="c", PreventUserExistenceErrors="ENABLED",
                                         ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])["UserPoolClient"]
    idp.admin_create_user(UserPoolId=pool["Id"], Username="Bella", MessageAction="SUPPRESS", UserAttributes=[
        {"Name": "email", "Value": "bella@example.com"}, {"Name": "email_verified", "Value": "true"},
        {"Name": "preferred_username", "Value": "bee"}])
    idp.admin_set_user_password(UserPoolId=pool["Id"], Username="bella", Password=PASSWORD, Permanent=True)
    for name in ("BELLA", "bella@example.com", "bee"):
        answer = idp.initiate_auth(ClientId=client["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": name, "PASSWORD": PASSWORD})
        assert "IdToken" in answer["AuthenticationResult"]
    with pytest.raises(ClientError) as exc:
        idp.initiate_auth(ClientId=client["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                          AuthParameters={"USERNAME": "nobody", "PASSWORD": PASSWORD})
    assert error_of(exc) == ("NotAuthorizedException", "Incorrect username or password.")
    with pytest.raises(ClientError) as exc:
        idp.admin_create_user(UserPoolId=pool["Id"], Username="carl@example.com")
    assert error_of(exc) == ("InvalidParameterException",
                             "Username cannot be of email format, since user pool is configured for email alias.")


def test_temporary_password_expires(idp, pool, app, frozen) -> None:
    idp.admin_create_user(UserPoolId=pool["Id"], Username="cleo", TemporaryPassword=PASSWORD, MessageAction="SUPPRESS")
    frozen.advance(8 * 86400)
    with pytest.raises(ClientError) as exc:
        idp.initiate_auth(ClientId=app["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                          AuthParameters={"USERNAME": "cleo", "PASSWORD": PASSWORD})
    assert error_of(exc) == ("NotAuthorizedException", "Temporary password has expired and must be reset by an administrator.")


def test_flows_belong_to_their_operation(idp, pool, app, make_user) -> None:
    make_user("dora")
    with pytest.raises(ClientError) as exc:
        idp.admin_initiate_auth(UserPoolId=pool["Id"], ClientId=app["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                AuthParameters={"USERNAME": "dora", "PASSWORD": PASSWORD})
    assert error_of(exc) == ("InvalidParameterException", "Initiate Auth method not supported.")
    with pytest.raises(ClientError) as exc:
        idp.initiate_auth(ClientId=app["ClientId"], AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                          AuthParameters={"USERNAME": "dora", "PASSWORD": PASSWORD})
    assert error_of(exc) == ("InvalidParameterException", "Initiate Auth method not supported.")
    legacy = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="legacy",
                                         ExplicitAuthFlows=["ADMIN_NO_SRP_AUTH"])["UserPoolClient"]
    answer = idp.admin_initiate_auth(UserPoolId=pool["Id"], ClientId=legacy["ClientId"], AuthFlow="ADMIN_NO_SRP_AUTH",
                                     AuthParameters={"USERNAME": "dora", "PASSWORD": PASSWORD})
    assert "AccessToken" in answer["AuthenticationResult"]


def test_attribute_change_sends_a_code_and_verification_uses_it(idp, pool, app, make_user, cognito) -> None:
    make_user("eve")
    access = idp.initiate_auth(ClientId=app["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                               AuthParameters={"USERNAME": "eve", "PASSWORD": PASSWORD})["AuthenticationResult"]["AccessToken"]
    sent = idp.update_user_attributes(AccessToken=access, UserAttributes=[{"Name": "email", "Value": "eve@new.example"}])
    assert sent["CodeDeliveryDetailsList"][0]["AttributeName"] == "email"
    attributes = {a["Name"]: a["Value"] for a in idp.get_user(AccessToken=access)["UserAttributes"]}
    assert (attributes["email"], attributes["email_verified"]) == ("eve@new.example", "false")
    message = cognito.messages(pool["Id"], "eve")[-1]
    assert (message["Reason"], message["Destination"]) == ("UpdateUserAttribute", "eve@new.example")
    with pytest.raises(ClientError) as exc:
        idp.verify_user_attribute(AccessToken=access, AttributeName="email",
                                  Code=str((int(message["Code"]) + 1) % 1_000_000).zfill(6))
    assert error_of(exc)[0] == "CodeMismatchException"
    idp.verify_user_attribute(AccessToken=access, AttributeName="email", Code=message["Code"])
    attributes = {a["Name"]: a["Value"] for a in idp.get_user(AccessToken=access)["UserAttributes"]}
    assert attributes["email_verified"] == "true"
    resent = idp.get_user_attribute_verification_code(AccessToken=access, AttributeName="email")
    assert resent["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"


def test_resend_confirmation_code(idp, pool, app, cognito) -> None:
    idp.sign_up(ClientId=app["ClientId"], Username="finn", Password=PASSWORD,
                UserAttributes=[{"Name": "email", "Value": "finn@example.com"}])
    first = cognito.last_code(pool["Id"], "finn")
    idp.resend_confirmation_code(ClientId=app["ClientId"], Username="finn")
    second = cognito.messages(pool["Id"], "finn")[-1]
    assert second["Reason"] == "ResendCode"
    if first != second["Code"]:
        with pytest.raises(ClientError) as exc:
            idp.confirm_sign_up(ClientId=app["ClientId"], Username="finn", ConfirmationCode=first)
        assert error_of(exc)[0] == "CodeMismatchException"
    idp.confirm_sign_up(ClientId=app["ClientId"], Username="finn", ConfirmationCode=second["Code"])
    with pytest.raises(ClientError) as exc:
        idp.confirm_sign_up(ClientId=app["ClientId"], Username="finn", ConfirmationCode=second["Code"])
    assert error_of(exc) == ("NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")


def test_refresh_token_rotation_replaces_the_used_token(idp, pool, make_user) -> None:
    make_user("gus")
    client = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="rot", ExplicitAuthFlows=[
        "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 0})["UserPoolClient"]
    first = idp.initiate_auth(ClientId=client["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": "gus", "PASSWORD": PASSWORD})["AuthenticationResult"]
    second = idp.get_tokens_from_refresh_token(RefreshToken=first["RefreshToken"], ClientId=client["ClientId"])
    assert second["AuthenticationResult"]["RefreshToken"] != first["RefreshToken"]
    with pytest.raises(ClientError) as exc:
        idp.get_tokens_from_refresh_token(RefreshToken=first["RefreshToken"], ClientId=client["ClientId"])
    assert error_of(exc) == ("NotAuthorizedException", "Invalid Refresh Token")


def test_sign_up_refused_when_only_admins_create_users(idp) -> None:
    pool = idp.create_user_pool(PoolName="closed", AdminCreateUserConfig={"AllowAdminCreateUserOnly": True})["UserPool"]
    client = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="c")["UserPoolClient"]
    with pytest.raises(ClientError) as exc:
        idp.sign_up(ClientId=client["ClientId"], Username="hal", Password=PASSWORD)
    assert error_of(exc) == ("NotAuthorizedException", "SignUp is not permitted for this user pool")


def test_challenge_sessions_expire_with_the_clients_validity(idp, pool, frozen) -> None:
    client = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="short", AuthSessionValidity=5,
                                         ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])["UserPoolClient"]
    idp.admin_create_user(UserPoolId=pool["Id"], Username="ida", TemporaryPassword=PASSWORD, MessageAction="SUPPRESS")
    challenge = idp.initiate_auth(ClientId=client["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                  AuthParameters={"USERNAME": "ida", "PASSWORD": PASSWORD})
    frozen.advance(5 * 60 + 1)
    with pytest.raises(ClientError) as exc:
        idp.respond_to_auth_challenge(ClientId=client["ClientId"], ChallengeName="NEW_PASSWORD_REQUIRED",
                                      Session=challenge["Session"],
                                      ChallengeResponses={"USERNAME": "ida", "NEW_PASSWORD": "N3w-Password"})
    assert error_of(exc) == ("NotAuthorizedException", "Invalid session for the user, session is expired.")


def test_choice_based_sign_in_with_an_email_code(idp, cognito) -> None:
    pool = idp.create_user_pool(PoolName="choice", Policies={"SignInPolicy": {
        "AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}})["UserPool"]
    client = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="c",
                                         ExplicitAuthFlows=["ALLOW_USER_AUTH"])["UserPoolClient"]
    idp.admin_create_user(UserPoolId=pool["Id"], Username="jo", MessageAction="SUPPRESS",
                          UserAttributes=[{"Name": "email", "Value": "jo@example.com"}])
    idp.admin_set_user_password(UserPoolId=pool["Id"], Username="jo", Password=PASSWORD, Permanent=True)
    select = idp.initiate_auth(ClientId=client["ClientId"], AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "jo"})
    assert select["ChallengeName"] == "SELECT_CHALLENGE"
    assert select["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]
    otp = idp.respond_to_auth_challenge(ClientId=client["ClientId"], ChallengeName="SELECT_CHALLENGE",
                                        Session=select["Session"], ChallengeResponses={"USERNAME": "jo", "ANSWER": "EMAIL_OTP"})
    assert otp["ChallengeName"] == "EMAIL_OTP"
    assert otp["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "j***@e***"
    code = cognito.last_code(pool["Id"], "jo")
    done = idp.respond_to_auth_challenge(ClientId=client["ClientId"], ChallengeName="EMAIL_OTP", Session=otp["Session"],
                                         ChallengeResponses={"USERNAME": "jo", "EMAIL_OTP_CODE": code})
    assert "IdToken" in done["AuthenticationResult"]
    direct = idp.initiate_auth(ClientId=client["ClientId"], AuthFlow="USER_AUTH", AuthParameters={
        "USERNAME": "jo", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": PASSWORD})
    assert "AccessToken" in direct["AuthenticationResult"]
