"""Captured mail and SMS as a user of the plugin reads them: `cloudmock.cognito.messages()` and
`GET /api/cognito/messages` on the admin API."""

from __future__ import annotations

import requests

from .conftest import PASSWORD


def test_messages_through_the_fixture_and_the_admin_api(cloudmock) -> None:
    idp = cloudmock.client("cognito-idp")
    pool = idp.create_user_pool(PoolName="fixture", AutoVerifiedAttributes=["email"])["UserPool"]
    app = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="c")["UserPoolClient"]
    idp.sign_up(ClientId=app["ClientId"], Username="xena", Password=PASSWORD,
                UserAttributes=[{"Name": "email", "Value": "xena@example.com"}])
    [message] = cloudmock.cognito.messages(pool_id=pool["Id"], username="xena")
    assert (message["Reason"], message["DeliveryMedium"]) == ("SignUp", "EMAIL")
    assert cloudmock.cognito.last_code(pool["Id"], "xena@example.com") == message["Code"]
    listed = requests.get(f"{cloudmock.admin_endpoint}/api/cognito/messages",
                          params={"pool_id": pool["Id"]}, timeout=5).json()
    assert [(m["Username"], m["Code"]) for m in listed] == [("xena", message["Code"])]
    idp.confirm_sign_up(ClientId=app["ClientId"], Username="xena", ConfirmationCode=message["Code"])
    assert idp.admin_get_user(UserPoolId=pool["Id"], Username="xena")["UserStatus"] == "CONFIRMED"
