"""Admin-created users through NEW_PASSWORD_REQUIRED, ListUsers filters, passwords, groups,
and AWS's error codes and messages."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from .conftest import PASSWORD, error_of


def _password_auth(idp, app, username, password=PASSWORD):
    return idp.initiate_auth(ClientId=app["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": username, "PASSWORD": password})


def test_admin_created_user_is_forced_through_new_password_required(idp, pool, app, cognito) -> None:
    created = idp.admin_create_user(UserPoolId=pool["Id"], Username="dave",
                                    UserAttributes=[{"Name": "email", "Value": "dave@example.com"}],
                                    DesiredDeliveryMediums=["EMAIL"])["User"]
    assert created["UserStatus"] == "FORCE_CHANGE_PASSWORD" and created["Enabled"] is True
    [invite] = cognito.messages(pool["Id"], "dave")
    assert invite["Subject"] == "Your temporary password"
    assert invite["Message"] == f"Your username is dave and temporary password is {invite['Code']}. "

    challenge = idp.admin_initiate_auth(UserPoolId=pool["Id"], ClientId=app["ClientId"],
                                        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                        AuthParameters={"USERNAME": "dave", "PASSWORD": invite["Code"]})
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert json.loads(challenge["ChallengeParameters"]["userAttributes"]) == {"email": "dave@example.com"}
    assert challenge["ChallengeParameters"]["USER_ID_FOR_SRP"] == "dave"

    with pytest.raises(ClientError) as exc:
        idp.respond_to_auth_challenge(ClientId=app["ClientId"], ChallengeName="NEW_PASSWORD_REQUIRED",
                                      Session=challenge["Session"],
                                      ChallengeResponses={"USERNAME": "dave", "NEW_PASSWORD": "short"})
    assert error_of(exc) == ("InvalidPasswordException", "Password did not conform with policy: Password not long enough")
    done = idp.respond_to_auth_challenge(ClientId=app["ClientId"], ChallengeName="NEW_PASSWORD_REQUIRED",
                                         Session=challenge["Session"],
                                         ChallengeResponses={"USERNAME": "dave", "NEW_PASSWORD": PASSWORD,
                                                             "userAttributes.name": "Dave"})
    assert done["AuthenticationResult"]["TokenType"] == "Bearer"
    user = idp.admin_get_user(UserPoolId=pool["Id"], Username="dave")
    assert user["UserStatus"] == "CONFIRMED"
    assert {"Name": "name", "Value": "Dave"} in user["UserAttributes"]
    assert "AuthenticationResult" in _password_auth(idp, app, "dave")
    with pytest.raises(ClientError) as exc:  # the session is used up
        idp.respond_to_auth_challenge(ClientId=app["ClientId"], ChallengeName="NEW_PASSWORD_REQUIRED",
                                      Session=challenge["Session"],
                                      ChallengeResponses={"USERNAME": "dave", "NEW_PASSWORD": PASSWORD})
    assert error_of(exc) == ("NotAuthorizedException", "Invalid session for the user.")


@pytest.mark.parametrize(("password", "reason"), [
    ("Ab1!", "Password not long enough"),
    ("ABCDEFG1!", "Password must have lowercase characters"),
    ("abcdefg1!", "Password must have uppercase characters"),
    ("Abcdefgh!", "Password must have numeric characters"),
    ("Abcdefgh1", "Password must have symbol characters"),
])
def test_password_policy_answers_aws_reasons(idp, app, password, reason) -> None:
    with pytest.raises(ClientError) as exc:
        idp.sign_up(ClientId=app["ClientId"], Username="erin", Password=password)
    assert error_of(exc) == ("InvalidPasswordException", f"Password did not conform with policy: {reason}")


def test_sign_in_errors(idp, pool, app, make_user) -> None:
    make_user("frank")
    with pytest.raises(ClientError) as exc:
        _password_auth(idp, app, "frank", "Wrong-pass1")
    assert error_of(exc) == ("NotAuthorizedException", "Incorrect username or password.")
    with pytest.raises(ClientError) as exc:
        _password_auth(idp, app, "nobody")
    assert error_of(exc) == ("UserNotFoundException", "User does not exist.")
    idp.admin_disable_user(UserPoolId=pool["Id"], Username="frank")
    with pytest.raises(ClientError) as exc:
        _password_auth(idp, app, "frank")
    assert error_of(exc) == ("NotAuthorizedException", "User is disabled.")
    idp.admin_enable_user(UserPoolId=pool["Id"], Username="frank")
    idp.admin_reset_user_password(UserPoolId=pool["Id"], Username="frank")
    with pytest.raises(ClientError) as exc:
        _password_auth(idp, app, "frank")
    assert error_of(exc) == ("PasswordResetRequiredException", "Password reset required for the user")
    srp_only = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="srp")["UserPoolClient"]
    with pytest.raises(ClientError) as exc:
        _password_auth(idp, srp_only, "frank")
    assert error_of(exc) == ("InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client")
    with pytest.raises(ClientError) as exc:
        idp.describe_user_pool(UserPoolId="us-east-1_nothere1")
    assert error_of(exc) == ("ResourceNotFoundException", "User pool us-east-1_nothere1 does not exist.")
    with pytest.raises(ClientError) as exc:
        idp.admin_create_user(UserPoolId=pool["Id"], Username="frank")
    assert error_of(exc) == ("UsernameExistsException", "User account already exists")


def test_forgot_password_and_change_password(idp, pool, app, make_user, cognito) -> None:
    make_user("gina")
    details = idp.forgot_password(ClientId=app["ClientId"], Username="gina")["CodeDeliveryDetails"]
    assert details["DeliveryMedium"] == "EMAIL"
    code = cognito.last_code(pool["Id"], "gina")
    with pytest.raises(ClientError) as exc:
        idp.confirm_forgot_password(ClientId=app["ClientId"], Username="gina", ConfirmationCode=str((int(code) + 1) % 1000000).zfill(6),
                                    Password="N3w-password")
    assert error_of(exc) == ("CodeMismatchException", "Invalid verification code provided, please try again.")
    idp.confirm_forgot_password(ClientId=app["ClientId"], Username="gina", ConfirmationCode=code, Password="N3w-password")
    tokens = _password_auth(idp, app, "gina", "N3w-password")["AuthenticationResult"]
    idp.change_password(PreviousPassword="N3w-password", ProposedPassword="0ther-Password", AccessToken=tokens["AccessToken"])
    assert "AuthenticationResult" in _password_auth(idp, app, "gina", "0ther-Password")

    idp.global_sign_out(AccessToken=tokens["AccessToken"])
    with pytest.raises(ClientError) as exc:
        idp.get_user(AccessToken=tokens["AccessToken"])
    assert error_of(exc) == ("NotAuthorizedException", "Access Token has been revoked")
    with pytest.raises(ClientError) as exc:
        idp.initiate_auth(ClientId=app["ClientId"], AuthFlow="REFRESH_TOKEN_AUTH",
                          AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})
    assert error_of(exc) == ("NotAuthorizedException", "Invalid Refresh Token")


def test_revoke_token_refuses_the_tokens_it_made(idp, app, make_user) -> None:
    make_user("hank")
    tokens = _password_auth(idp, app, "hank")["AuthenticationResult"]
    idp.revoke_token(Token=tokens["RefreshToken"], ClientId=app["ClientId"])
    with pytest.raises(ClientError) as exc:
        idp.get_user(AccessToken=tokens["AccessToken"])
    assert error_of(exc) == ("NotAuthorizedException", "Access Token has been revoked")


def test_access_token_expires_on_the_gateway_clock(idp, app, make_user, frozen) -> None:
    make_user("ivy")
    tokens = _password_auth(idp, app, "ivy")["AuthenticationResult"]
    frozen.advance(3601)
    with pytest.raises(ClientError) as exc:
        idp.get_user(AccessToken=tokens["AccessToken"])
    assert error_of(exc) == ("NotAuthorizedException", "Access Token has expired")
    with pytest.raises(ClientError) as exc:
        idp.get_user(AccessToken="not-a-token")
    assert error_of(exc) == ("NotAuthorizedException", "Invalid Access Token")


def test_list_users_filters(idp, pool, make_user) -> None:
    make_user("jane", email="jane@corp.example")
    make_user("jack", email="jack@home.example", given_name="Jack")
    make_user("kate", email="kate@corp.example")
    idp.admin_disable_user(UserPoolId=pool["Id"], Username="kate")

    def names(text: str) -> list[str]:
        return sorted(u["Username"] for u in idp.list_users(UserPoolId=pool["Id"], Filter=text)["Users"])

    assert names('email ^= "ja"') == ["jack", "jane"]
    assert names('email = "kate@corp.example"') == ["kate"]
    assert names('username^="k"') == ["kate"]
    assert names('given_name = "Jack"') == ["jack"]
    assert names('status = "Disabled"') == ["kate"]
    assert names('cognito:user_status = "confirmed"') == ["jack", "jane", "kate"]
    assert names('email = "nobody@corp.example"') == []
    with pytest.raises(ClientError) as exc:
        names("email like jane")
    assert error_of(exc) == ("InvalidParameterException", "Error while parsing filter.")
    page = idp.list_users(UserPoolId=pool["Id"], Limit=2, AttributesToGet=["email"])
    assert len(page["Users"]) == 2 and [a["Name"] for a in page["Users"][0]["Attributes"]] == ["email"]
    rest = idp.list_users(UserPoolId=pool["Id"], Limit=2, PaginationToken=page["PaginationToken"])
    assert len(rest["Users"]) == 1 and "PaginationToken" not in rest


def test_groups_precedence_and_token_claims(idp, pool, app, make_user) -> None:
    import jwt

    make_user("liz")
    idp.create_group(UserPoolId=pool["Id"], GroupName="admins", Precedence=1,
                     RoleArn="arn:aws:iam::123456789012:role/admin")
    idp.create_group(UserPoolId=pool["Id"], GroupName="readers", Precedence=5,
                     RoleArn="arn:aws:iam::123456789012:role/reader")
    with pytest.raises(ClientError) as exc:
        idp.create_group(UserPoolId=pool["Id"], GroupName="admins")
    assert error_of(exc)[0] == "GroupExistsException"
    for group in ("readers", "admins"):
        idp.admin_add_user_to_group(UserPoolId=pool["Id"], Username="liz", GroupName=group)
    groups = idp.admin_list_groups_for_user(UserPoolId=pool["Id"], Username="liz")["Groups"]
    assert [g["GroupName"] for g in groups] == ["admins", "readers"]
    assert [u["Username"] for u in idp.list_users_in_group(UserPoolId=pool["Id"], GroupName="admins")["Users"]] == ["liz"]
    tokens = _password_auth(idp, app, "liz")["AuthenticationResult"]
    claims = jwt.decode(tokens["IdToken"], options={"verify_signature": False})
    assert claims["cognito:groups"] == ["admins", "readers"]
    assert claims["cognito:preferred_role"] == "arn:aws:iam::123456789012:role/admin"
    idp.admin_remove_user_from_group(UserPoolId=pool["Id"], Username="liz", GroupName="admins")
    assert [g["GroupName"] for g in idp.admin_list_groups_for_user(UserPoolId=pool["Id"], Username="liz")["Groups"]] == ["readers"]


def test_email_as_username_pool(idp) -> None:
    pool = idp.create_user_pool(PoolName="by-email", UsernameAttributes=["email"])["UserPool"]
    client = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="c",
                                         ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])["UserPoolClient"]
    out = idp.sign_up(ClientId=client["ClientId"], Username="mia@example.com", Password=PASSWORD)
    with pytest.raises(ClientError) as exc:
        idp.sign_up(ClientId=client["ClientId"], Username="mia@example.com", Password=PASSWORD)
    assert error_of(exc) == ("UsernameExistsException", "An account with the given email already exists.")
    with pytest.raises(ClientError) as exc:
        idp.sign_up(ClientId=client["ClientId"], Username="mia", Password=PASSWORD)
    assert error_of(exc) == ("InvalidParameterException", "Username should be an email.")
    idp.admin_confirm_sign_up(UserPoolId=pool["Id"], Username="mia@example.com")
    user = idp.admin_get_user(UserPoolId=pool["Id"], Username="mia@example.com")
    assert user["Username"] == out["UserSub"]
    assert "AuthenticationResult" in _password_auth(idp, client, "mia@example.com")
