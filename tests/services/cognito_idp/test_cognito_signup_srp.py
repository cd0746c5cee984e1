"""The front door end to end: sign-up, the code read from the captured mail, SRP sign-in with
pycognito's AWSSRP, the ID token verified by pyjwt against the JWKS served over HTTP, refresh."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP

from .conftest import PASSWORD, error_of


def test_sign_up_confirm_srp_sign_in_verify_and_refresh(idp, pool, app, cognito, aws) -> None:
    out = idp.sign_up(ClientId=app["ClientId"], Username="alice", Password=PASSWORD,
                      UserAttributes=[{"Name": "email", "Value": "alice@example.com"}])
    assert out["UserConfirmed"] is False
    assert out["CodeDeliveryDetails"] == {"Destination": "a***@e***", "DeliveryMedium": "EMAIL",
                                          "AttributeName": "email"}
    [mail] = cognito.messages(pool["Id"], "alice")
    assert (mail["Destination"], mail["Subject"]) == ("alice@example.com", "Your verification code")
    assert mail["Message"] == f"Your verification code is {mail['Code']}. "

    with pytest.raises(ClientError) as exc:  # not yet confirmed
        idp.initiate_auth(ClientId=app["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                          AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD})
    assert error_of(exc) == ("UserNotConfirmedException", "User is not confirmed.")
    idp.confirm_sign_up(ClientId=app["ClientId"], Username="alice", ConfirmationCode=mail["Code"])
    user = idp.admin_get_user(UserPoolId=pool["Id"], Username="alice")
    assert user["UserStatus"] == "CONFIRMED"
    assert {"Name": "email_verified", "Value": "true"} in user["UserAttributes"]

    srp = AWSSRP(username="alice", password=PASSWORD, pool_id=pool["Id"], client_id=app["ClientId"], client=idp)
    tokens = srp.authenticate_user()["AuthenticationResult"]

    jwks = jwt.PyJWKClient(f"{aws.endpoint}/{pool['Id']}/.well-known/jwks.json")
    key = jwks.get_signing_key_from_jwt(tokens["IdToken"])
    claims = jwt.decode(tokens["IdToken"], key.key, algorithms=["RS256"], audience=app["ClientId"],
                        issuer=f"{aws.endpoint}/{pool['Id']}")
    assert claims["cognito:username"] == "alice"
    assert claims["token_use"] == "id"
    assert claims["email"] == "alice@example.com" and claims["email_verified"] is True
    assert claims["exp"] - claims["iat"] == 3600
    access = jwt.decode(tokens["AccessToken"], key.key, algorithms=["RS256"])
    assert access["token_use"] == "access" and access["client_id"] == app["ClientId"]
    assert access["scope"] == "aws.cognito.signin.user.admin" and access["username"] == "alice"
    assert access["origin_jti"] == claims["origin_jti"]

    assert idp.get_user(AccessToken=tokens["AccessToken"])["Username"] == "alice"
    refreshed = idp.initiate_auth(ClientId=app["ClientId"], AuthFlow="REFRESH_TOKEN_AUTH",
                                  AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})["AuthenticationResult"]
    assert "RefreshToken" not in refreshed
    again = jwt.decode(refreshed["IdToken"], key.key, algorithms=["RS256"], audience=app["ClientId"])
    assert again["origin_jti"] == claims["origin_jti"] and again["auth_time"] == claims["auth_time"]


def test_srp_with_a_wrong_password_is_refused(idp, pool, app, make_user) -> None:
    make_user("bob")
    srp = AWSSRP(username="bob", password="Wrong-pass1", pool_id=pool["Id"], client_id=app["ClientId"], client=idp)
    with pytest.raises(ClientError) as exc:
        srp.authenticate_user()
    assert error_of(exc) == ("NotAuthorizedException", "Incorrect username or password.")


def test_srp_with_a_client_secret(idp, pool, make_user) -> None:
    make_user("carol")
    client: dict[str, Any] = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="server",
                                                         GenerateSecret=True)["UserPoolClient"]
    assert len(client["ClientSecret"]) == 51
    srp = AWSSRP(username="carol", password=PASSWORD, pool_id=pool["Id"], client_id=client["ClientId"],
                 client_secret=client["ClientSecret"], client=idp)
    assert "IdToken" in srp.authenticate_user()["AuthenticationResult"]
    bare = AWSSRP(username="carol", password=PASSWORD, pool_id=pool["Id"], client_id=client["ClientId"], client=idp)
    with pytest.raises(ClientError) as exc:
        bare.authenticate_user()
    assert error_of(exc) == ("NotAuthorizedException",
                             f"Client {client['ClientId']} is configured with secret but SECRET_HASH was not received")
