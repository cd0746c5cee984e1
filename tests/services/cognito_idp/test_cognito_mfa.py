"""MFA: TOTP software tokens (AssociateSoftwareToken/VerifySoftwareToken, a real RFC 6238 secret),
SMS codes captured, MFA_SETUP for pools that require MFA."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct

import pytest
from botocore.exceptions import ClientError

from .conftest import PASSWORD, error_of


def totp(secret: str, now: float) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), as an authenticator app computes it."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(now // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return str((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000).zfill(6)


def _sign_in(idp, app, username):
    return idp.initiate_auth(ClientId=app["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD})


def test_totp_mfa_enrolment_and_sign_in(idp, pool, app, make_user, frozen) -> None:
    idp.set_user_pool_mfa_config(UserPoolId=pool["Id"], MfaConfiguration="OPTIONAL",
                                 SoftwareTokenMfaConfiguration={"Enabled": True})
    make_user("nina")
    access = _sign_in(idp, app, "nina")["AuthenticationResult"]["AccessToken"]
    secret = idp.associate_software_token(AccessToken=access)["SecretCode"]
    assert len(secret) == 32 and base64.b32decode(secret)
    with pytest.raises(ClientError) as exc:
        idp.set_user_mfa_preference(AccessToken=access, SoftwareTokenMfaSettings={"Enabled": True})
    assert error_of(exc) == ("InvalidParameterException", "User has not verified software token mfa")
    wrong = str((int(totp(secret, frozen.now())) + 1) % 1_000_000).zfill(6)
    with pytest.raises(ClientError) as exc:
        idp.verify_software_token(AccessToken=access, UserCode=wrong)
    assert error_of(exc)[0] == "EnableSoftwareTokenMFAException"
    assert idp.verify_software_token(AccessToken=access, UserCode=totp(secret, frozen.now()),
                                     FriendlyDeviceName="phone")["Status"] == "SUCCESS"
    idp.set_user_mfa_preference(AccessToken=access,
                                SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    user = idp.admin_get_user(UserPoolId=pool["Id"], Username="nina")
    assert (user["PreferredMfaSetting"], user["UserMFASettingList"]) == ("SOFTWARE_TOKEN_MFA", ["SOFTWARE_TOKEN_MFA"])

    challenge = _sign_in(idp, app, "nina")
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert challenge["ChallengeParameters"]["FRIENDLY_DEVICE_NAME"] == "phone"
    with pytest.raises(ClientError) as exc:
        idp.respond_to_auth_challenge(ClientId=app["ClientId"], ChallengeName="SOFTWARE_TOKEN_MFA",
                                      Session=challenge["Session"],
                                      ChallengeResponses={"USERNAME": "nina", "SOFTWARE_TOKEN_MFA_CODE": wrong})
    assert error_of(exc) == ("CodeMismatchException", "Invalid code received for user")
    frozen.advance(30)  # the next step's code
    done = idp.respond_to_auth_challenge(
        ClientId=app["ClientId"], ChallengeName="SOFTWARE_TOKEN_MFA", Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "nina", "SOFTWARE_TOKEN_MFA_CODE": totp(secret, frozen.now())})
    assert "IdToken" in done["AuthenticationResult"]


def test_sms_mfa_code_is_captured(idp, pool, app, make_user, cognito) -> None:
    idp.set_user_pool_mfa_config(UserPoolId=pool["Id"], MfaConfiguration="OPTIONAL",
                                 SmsMfaConfiguration={"SmsConfiguration": {
                                     "SnsCallerArn": "arn:aws:iam::123456789012:role/sns"}})
    make_user("omar", phone_number="+15555550123")
    idp.admin_set_user_mfa_preference(UserPoolId=pool["Id"], Username="omar",
                                      SMSMfaSettings={"Enabled": True, "PreferredMfa": True})
    challenge = _sign_in(idp, app, "omar")
    assert challenge["ChallengeName"] == "SMS_MFA"
    assert challenge["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "+*******0123"
    sms = cognito.messages(pool["Id"], "omar")[-1]
    assert (sms["DeliveryMedium"], sms["Destination"]) == ("SMS", "+15555550123")
    assert sms["Message"] == f"Your authentication code is {sms['Code']}. "
    done = idp.respond_to_auth_challenge(ClientId=app["ClientId"], ChallengeName="SMS_MFA", Session=challenge["Session"],
                                         ChallengeResponses={"USERNAME": "omar", "SMS_MFA_CODE": sms["Code"]})
    assert "AccessToken" in done["AuthenticationResult"]


def test_required_mfa_sets_up_a_software_token_during_sign_in(idp, pool, app, make_user, frozen) -> None:
    idp.set_user_pool_mfa_config(UserPoolId=pool["Id"], MfaConfiguration="ON",
                                 SoftwareTokenMfaConfiguration={"Enabled": True})
    make_user("pia")
    setup = _sign_in(idp, app, "pia")
    assert setup["ChallengeName"] == "MFA_SETUP"
    associated = idp.associate_software_token(Session=setup["Session"])
    verified = idp.verify_software_token(Session=associated["Session"],
                                         UserCode=totp(associated["SecretCode"], frozen.now()))
    done = idp.respond_to_auth_challenge(ClientId=app["ClientId"], ChallengeName="MFA_SETUP",
                                         Session=verified["Session"], ChallengeResponses={"USERNAME": "pia"})
    assert "IdToken" in done["AuthenticationResult"]
    assert _sign_in(idp, app, "pia")["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


def test_remembered_device_signs_in_with_device_srp_and_skips_mfa(idp, pool, app, make_user, cognito) -> None:
    from pycognito.aws_srp import AWSSRP, generate_hash_device

    idp.update_user_pool(UserPoolId=pool["Id"], MfaConfiguration="OPTIONAL", AutoVerifiedAttributes=["email"],
                         SmsConfiguration={"SnsCallerArn": "arn:aws:iam::123456789012:role/sns"},
                         DeviceConfiguration={"ChallengeRequiredOnNewDevice": True,
                                              "DeviceOnlyRememberedOnUserPrompt": False})
    make_user("quin", phone_number="+15555550199")
    idp.admin_set_user_mfa_preference(UserPoolId=pool["Id"], Username="quin",
                                      SMSMfaSettings={"Enabled": True, "PreferredMfa": True})
    # first sign-in: SMS MFA, then a new device to confirm
    first = idp.initiate_auth(ClientId=app["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": "quin", "PASSWORD": PASSWORD})
    assert first["ChallengeName"] == "SMS_MFA"
    done = idp.respond_to_auth_challenge(
        ClientId=app["ClientId"], ChallengeName="SMS_MFA", Session=first["Session"],
        ChallengeResponses={"USERNAME": "quin", "SMS_MFA_CODE": cognito.last_code(pool["Id"], "quin")})
    device = done["AuthenticationResult"]["NewDeviceMetadata"]
    device_password, verifier_config = generate_hash_device(device["DeviceGroupKey"], device["DeviceKey"])
    confirmed = idp.confirm_device(AccessToken=done["AuthenticationResult"]["AccessToken"], DeviceKey=device["DeviceKey"],
                                   DeviceSecretVerifierConfig=verifier_config, DeviceName="laptop")
    assert confirmed["UserConfirmationNecessary"] is False
    devices = idp.admin_list_devices(UserPoolId=pool["Id"], Username="quin")["Devices"]
    assert {"Name": "device_status", "Value": "remembered"} in devices[0]["DeviceAttributes"]

    # next sign-in from that device: SRP, then DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER, no MFA
    srp = AWSSRP(username="quin", password=PASSWORD, pool_id=pool["Id"], client_id=app["ClientId"], client=idp,
                 device_key=device["DeviceKey"], device_group_key=device["DeviceGroupKey"],
                 device_password=device_password)
    tokens = srp.authenticate_user()
    assert "IdToken" in tokens["AuthenticationResult"]
    assert "NewDeviceMetadata" not in tokens["AuthenticationResult"]

    wrong = AWSSRP(username="quin", password=PASSWORD, pool_id=pool["Id"], client_id=app["ClientId"], client=idp,
                   device_key=device["DeviceKey"], device_group_key=device["DeviceGroupKey"],
                   device_password="not-the-device-password")
    with pytest.raises(ClientError) as exc:
        wrong.authenticate_user()
    assert error_of(exc) == ("NotAuthorizedException", "Incorrect username or password.")
