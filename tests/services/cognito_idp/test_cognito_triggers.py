"""Lambda triggers with AWS's event shapes: a real Python function adding claims (pre token
generation v2), and Python callables for sign-up, messages, authentication, migration and
custom challenges."""

from __future__ import annotations

import json

import jwt
import pytest
from botocore.exceptions import ClientError

from pytest_cloudmock.services.lambda_ import lambda_zip

from .conftest import PASSWORD, arn, error_of

PRE_TOKEN = """
def handler(event, context):
    groups = event["request"]["groupConfiguration"]["groupsToOverride"]
    event["response"] = {"claimsAndScopeOverrideDetails": {
        "idTokenGeneration": {"claimsToAddOrOverride": {"tenant": "acme", "plan": event["request"]["userAttributes"]["custom:tier"]},
                              "claimsToSuppress": ["email"]},
        "accessTokenGeneration": {"claimsToAddOrOverride": {"tenant": "acme"}, "scopesToAdd": ["orders/read"]},
        "groupOverrideDetails": {"groupsToOverride": groups + ["from-trigger"]},
    }}
    return event
"""


def claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def _password_auth(idp, app, username, password=PASSWORD):
    return idp.initiate_auth(ClientId=app["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": username, "PASSWORD": password})


def test_pre_token_generation_v2_with_a_real_function(idp, pool, app, make_user, client) -> None:
    lam = client("lambda")
    function = lam.create_function(FunctionName="pre-token", Runtime="python3.12", Handler="lambda_function.handler",
                                   Role="arn:aws:iam::123456789012:role/r", Code={"ZipFile": lambda_zip(PRE_TOKEN)})
    idp.update_user_pool(UserPoolId=pool["Id"], AutoVerifiedAttributes=["email"], LambdaConfig={
        "PreTokenGenerationConfig": {"LambdaVersion": "V2_0", "LambdaArn": function["FunctionArn"]}})
    make_user("quinn", custom__tier="gold")
    tokens = _password_auth(idp, app, "quinn")["AuthenticationResult"]
    id_claims, access = claims_of(tokens["IdToken"]), claims_of(tokens["AccessToken"])
    assert (id_claims["tenant"], id_claims["plan"]) == ("acme", "gold")
    assert "email" not in id_claims and id_claims["cognito:groups"] == ["from-trigger"]
    assert access["tenant"] == "acme"
    assert access["scope"] == "aws.cognito.signin.user.admin orders/read"
    refreshed = idp.initiate_auth(ClientId=app["ClientId"], AuthFlow="REFRESH_TOKEN_AUTH",
                                  AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})["AuthenticationResult"]
    assert claims_of(refreshed["IdToken"])["tenant"] == "acme"


def test_pre_sign_up_post_confirmation_and_custom_message(idp, pool, app, callables, cognito) -> None:
    def pre_sign_up(event):
        if event["request"]["userAttributes"]["email"].endswith("@blocked.example"):
            raise ValueError("domain not allowed")
        event["response"]["autoVerifyEmail"] = event["request"]["validationData"].get("invited") == "yes"
        return event

    def custom_message(event):
        event["response"]["emailSubject"] = "Welcome"
        event["response"]["emailMessage"] = f"Hi {event['userName']}, your code is {event['request']['codeParameter']}"
        return event

    callables.functions.update(pre=pre_sign_up, post=lambda e: e, message=custom_message)
    idp.update_user_pool(UserPoolId=pool["Id"], AutoVerifiedAttributes=["email"], LambdaConfig={
        "PreSignUp": arn("pre"), "PostConfirmation": arn("post"), "CustomMessage": arn("message")})
    with pytest.raises(ClientError) as exc:
        idp.sign_up(ClientId=app["ClientId"], Username="rob", Password=PASSWORD,
                    UserAttributes=[{"Name": "email", "Value": "rob@blocked.example"}])
    assert error_of(exc) == ("UserLambdaValidationException", "PreSignUp failed with error domain not allowed.")
    idp.sign_up(ClientId=app["ClientId"], Username="rob", Password=PASSWORD,
                UserAttributes=[{"Name": "email", "Value": "rob@example.com"}],
                ValidationData=[{"Name": "invited", "Value": "yes"}])
    mail = cognito.messages(pool["Id"], "rob")[-1]
    assert (mail["Subject"], mail["Message"]) == ("Welcome", f"Hi rob, your code is {mail['Code']}")
    idp.confirm_sign_up(ClientId=app["ClientId"], Username="rob", ConfirmationCode=mail["Code"])
    sources = [e["triggerSource"] for e in callables.events]
    assert sources == ["PreSignUp_SignUp", "PreSignUp_SignUp", "CustomMessage_SignUp", "PostConfirmation_ConfirmSignUp"]
    pre = callables.events[1]
    assert pre["userPoolId"] == pool["Id"] and pre["userName"] == "rob" and pre["version"] == "1"
    assert pre["callerContext"]["clientId"] == app["ClientId"]
    assert pre["response"] == {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False}
    assert callables.events[-1]["request"]["userAttributes"]["cognito:user_status"] == "CONFIRMED"


def test_pre_authentication_refusal_and_user_migration(idp, pool, app, make_user, callables) -> None:
    def pre_auth(event):
        if event["userName"] == "sam":
            raise RuntimeError("account locked")
        return event

    def migrate(event):
        if event["request"]["password"] != "Legacy-pass1":
            raise RuntimeError("Bad password")
        event["response"] = {"userAttributes": {"email": "tom@example.com", "email_verified": "true"},
                             "finalUserStatus": "CONFIRMED", "messageAction": "SUPPRESS"}
        return event

    callables.functions.update(pre_auth=pre_auth, migrate=migrate)
    idp.update_user_pool(UserPoolId=pool["Id"], LambdaConfig={"PreAuthentication": arn("pre_auth"),
                                                              "UserMigration": arn("migrate")})
    make_user("sam")
    with pytest.raises(ClientError) as exc:
        _password_auth(idp, app, "sam")
    assert error_of(exc) == ("UserLambdaValidationException", "PreAuthentication failed with error account locked.")
    tokens = _password_auth(idp, app, "tom", "Legacy-pass1")["AuthenticationResult"]
    assert claims_of(tokens["IdToken"])["email"] == "tom@example.com"
    assert idp.admin_get_user(UserPoolId=pool["Id"], Username="tom")["UserStatus"] == "CONFIRMED"
    assert callables.events[0]["triggerSource"] == "PreAuthentication_Authentication"
    assert "UserMigration_Authentication" in [e["triggerSource"] for e in callables.events]


def test_custom_auth_with_define_create_verify(idp, pool, app, make_user, callables) -> None:
    def define(event):
        session = event["request"]["session"]
        if session and session[-1]["challengeResult"]:
            event["response"].update(issueTokens=True, failAuthentication=False)
        elif len(session) >= 2:
            event["response"].update(issueTokens=False, failAuthentication=True)
        else:
            event["response"].update(challengeName="CUSTOM_CHALLENGE", issueTokens=False, failAuthentication=False)
        return event

    def create(event):
        event["response"] = {"publicChallengeParameters": {"question": "2+2"},
                             "privateChallengeParameters": {"answer": "4"}, "challengeMetadata": "MATH"}
        return event

    def verify(event):
        event["response"]["answerCorrect"] = (
            event["request"]["challengeAnswer"] == event["request"]["privateChallengeParameters"]["answer"])
        return event

    callables.functions.update(define=define, create=create, verify=verify)
    idp.update_user_pool(UserPoolId=pool["Id"], LambdaConfig={
        "DefineAuthChallenge": arn("define"), "CreateAuthChallenge": arn("create"),
        "VerifyAuthChallengeResponse": arn("verify")})
    make_user("uma")
    first = idp.initiate_auth(ClientId=app["ClientId"], AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "uma"})
    assert first["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert first["ChallengeParameters"] == {"question": "2+2", "USERNAME": "uma"}
    second = idp.respond_to_auth_challenge(ClientId=app["ClientId"], ChallengeName="CUSTOM_CHALLENGE",
                                           Session=first["Session"], ChallengeResponses={"USERNAME": "uma", "ANSWER": "5"})
    assert second["ChallengeName"] == "CUSTOM_CHALLENGE"
    done = idp.respond_to_auth_challenge(ClientId=app["ClientId"], ChallengeName="CUSTOM_CHALLENGE",
                                         Session=second["Session"], ChallengeResponses={"USERNAME": "uma", "ANSWER": "4"})
    assert "IdToken" in done["AuthenticationResult"]
    last_define = [e for e in callables.events if e["triggerSource"] == "DefineAuthChallenge_Authentication"][-1]
    assert [s["challengeResult"] for s in last_define["request"]["session"]] == [False, True]
    assert last_define["request"]["session"][0]["challengeMetadata"] == "MATH"


def test_pre_token_generation_v1_overrides_groups(idp, pool, app, make_user, callables) -> None:
    def pre_token(event):
        assert event["version"] == "1" and event["triggerSource"] == "TokenGeneration_Authentication"
        event["response"] = {"claimsOverrideDetails": {"claimsToAddOrOverride": {"level": "3"},
                                                       "groupOverrideDetails": {"groupsToOverride": ["vip"]}}}
        return event

    callables.functions["pre_token"] = pre_token
    idp.update_user_pool(UserPoolId=pool["Id"], LambdaConfig={"PreTokenGeneration": arn("pre_token")})
    make_user("val")
    tokens = _password_auth(idp, app, "val")["AuthenticationResult"]
    assert claims_of(tokens["IdToken"])["level"] == "3"
    assert claims_of(tokens["IdToken"])["cognito:groups"] == ["vip"]
    assert claims_of(tokens["AccessToken"])["cognito:groups"] == ["vip"]
    assert "level" not in claims_of(tokens["AccessToken"])
    assert json.loads(json.dumps(callables.events[-1]["request"]["groupConfiguration"])) == {
        "groupsToOverride": [], "iamRolesToOverride": [], "preferredRole": None}


POST_CONFIRMATION = """
import boto3

def handler(event, context):
    boto3.client("cognito-idp").admin_add_user_to_group(
        UserPoolId=event["userPoolId"], Username=event["userName"], GroupName="members")
    return event
"""


def test_a_trigger_function_calls_back_into_the_pool(idp, pool, app, client, cognito) -> None:
    """The common post-confirmation pattern: the function adds the new user to a group through the
    API while ConfirmSignUp waits for it (no lock is held across the trigger)."""
    lam = client("lambda")
    function = lam.create_function(FunctionName="post-confirm", Runtime="python3.12", Handler="lambda_function.handler",
                                   Role="arn:aws:iam::123456789012:role/r", Code={"ZipFile": lambda_zip(POST_CONFIRMATION)})
    idp.create_group(UserPoolId=pool["Id"], GroupName="members")
    idp.update_user_pool(UserPoolId=pool["Id"], AutoVerifiedAttributes=["email"],
                         LambdaConfig={"PostConfirmation": function["FunctionArn"]})
    idp.sign_up(ClientId=app["ClientId"], Username="walt", Password=PASSWORD,
                UserAttributes=[{"Name": "email", "Value": "walt@example.com"}])
    idp.confirm_sign_up(ClientId=app["ClientId"], Username="walt", ConfirmationCode=cognito.last_code(pool["Id"], "walt"))
    groups = idp.admin_list_groups_for_user(UserPoolId=pool["Id"], Username="walt")["Groups"]
    assert [g["GroupName"] for g in groups] == ["members"]
    tokens = _password_auth(idp, app, "walt")["AuthenticationResult"]
    assert claims_of(tokens["AccessToken"])["cognito:groups"] == ["members"]
